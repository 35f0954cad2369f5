//! How a run of `simulate` is shown: a row per metric, JSON (docs/model.md), a row per
//! replication, and for a calendar its weeks: the timeline's CSV and the chart.

use std::io::{self, Write};

use serde::Serialize;

use super::csv_out::{self, Cell, Column, Statistic};
use super::money::write_money;
use super::segments::SegmentJson;
use super::uncertainty::{Drawn, DrawnJson, heading};
use super::{
    Breakdown, MetricMap, NoChart, Report, TeamReport, group_thousands, readable, write_columns,
    year_fan,
};
use crate::chart::{FanChart, FanPanels};
use crate::money::{CostParts, Money};
use crate::stats::{Band, Metric, Samples, Summary, Timeline, WeeklySeries};

/// The result of a run: what was simulated and every metric's values.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub scenario: String,
    /// What kind of run it was, in a few words ("cohort of 1,000 leads").
    pub setup: String,
    pub seed: u64,
    pub replications: u64,
    pub samples: Samples,
    /// The team's results, for calendar runs.
    pub team: Option<TeamReport>,
    /// A calendar run's weeks, when they were recorded (for the timeline or the chart).
    pub weeks: Option<Weeks>,
    /// The run with the scenario's `[uncertainty]` drawn, when it has one.
    pub drawn: Option<Drawn>,
    /// The results by segment, when the scenario has more than one group of leads.
    pub segments: Option<Breakdown>,
    /// What the run cost and earned, when the scenario has `[costs]`.
    pub money: Option<Money>,
}

/// A calendar run's weeks: the timeline, and what its chart marks beside it.
#[derive(Debug, Clone)]
pub struct Weeks {
    pub timeline: Timeline,
    /// The team, as the chart's subtitle names it: "2 rep(s), round-robin".
    pub team_label: String,
    pub ramp_weeks: f64,
    /// (start, end) of each span of weeks off.
    pub weeks_off: Vec<(f64, f64)>,
    /// Whether the readable table lists the weeks too (`simulate --weekly`).
    pub in_text: bool,
}

impl Weeks {
    /// A row per week: the mean touches, contacts and appointments set, the penetration (median
    /// and P10 to P90) and the touches overdue at its end; a week off reads "off".
    fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "\nWeek by week (means over replications; penetration: the share of the touches \
             planned for the week made by the horizon's end, median and P10 to P90)"
        )?;
        let rows: Vec<[String; 6]> = self
            .timeline
            .weeks
            .iter()
            .zip(&self.timeline.off)
            .enumerate()
            .map(|(w, (bands, &off))| {
                let week = (w + 1).to_string();
                if off {
                    return [
                        week,
                        "off".into(),
                        "off".into(),
                        "off".into(),
                        "off".into(),
                        "off".into(),
                    ];
                }
                let mean = |series: WeeklySeries| readable(bands[series as usize].mean);
                let p = bands[WeeklySeries::Penetration as usize];
                let penetration = if p.p50.is_nan() {
                    crate::report::NONE.to_string()
                } else {
                    format!(
                        "{}% ({} to {})",
                        readable(p.p50),
                        readable(p.p10),
                        readable(p.p90)
                    )
                };
                [
                    week,
                    mean(WeeklySeries::Touches),
                    mean(WeeklySeries::Contacts),
                    mean(WeeklySeries::AppointmentsSet),
                    penetration,
                    mean(WeeklySeries::Backlog),
                ]
            })
            .collect();
        write_columns(
            out,
            &[
                "week",
                "touches",
                "contacts",
                "appointments set",
                "penetration",
                "overdue at its end",
            ],
            &rows,
        )
    }
}

impl RunReport {
    /// The summary of every metric, in vocabulary order.
    pub fn summaries(&self) -> Vec<(Metric, Summary)> {
        summaries(&self.samples)
    }
}

/// The summary of every metric of `samples`, in vocabulary order.
fn summaries(samples: &Samples) -> Vec<(Metric, Summary)> {
    Metric::ALL
        .iter()
        .map(|&m| (m, samples.get(m).summary()))
        .collect()
}

/// A row per metric of `samples`: mean, percentiles, per 100 leads and the 95% interval of the
/// mean.
fn write_metric_table(out: &mut dyn Write, samples: &Samples) -> io::Result<()> {
    let leads = samples.get(Metric::Leads).moments().mean();
    let header = [
        "metric",
        "mean",
        "p05",
        "p50",
        "p95",
        "per 100 leads",
        "95% CI of mean",
    ];
    let rows: Vec<[String; 7]> = summaries(samples)
        .into_iter()
        .map(|(metric, s)| {
            let per_100 = if metric.scales_with_leads() {
                readable(s.mean / leads * 100.0)
            } else {
                "-".to_string()
            };
            [
                metric.name().to_string(),
                readable(s.mean),
                readable(s.p05),
                readable(s.p50),
                readable(s.p95),
                per_100,
                format!(
                    "{} to {}",
                    readable(s.mean_ci95[0]),
                    readable(s.mean_ci95[1])
                ),
            ]
        })
        .collect();
    write_columns(out, &header, &rows)
}

impl RunReport {
    /// With `[costs]`, each replication's cost, its parts and its gross margin, on the rows
    /// `replication` picks out (others left empty).
    fn money_columns<'a, R: 'a>(
        &'a self,
        replication: impl Fn(&R) -> Option<usize> + Copy + 'a,
    ) -> Vec<Column<'a, R>> {
        let Some(money) = &self.money else {
            return Vec::new();
        };
        let column = |name: &str, value: fn(&(CostParts, f64)) -> f64| {
            Column::new(name, move |row: &R| {
                Cell::from(replication(row).map(|r| value(&money.by_replication[r])))
            })
        };
        vec![
            column("cost", |(parts, _)| parts.total()),
            column("cost_people", |(parts, _)| parts.people),
            column("cost_leads", |(parts, _)| parts.leads),
            column("cost_commission", |(parts, _)| parts.commission),
            column("gross_margin", |&(_, margin)| margin),
        ]
    }
}

impl Report for RunReport {
    /// Weekly penetration above the backlog of overdue touches, each with its P10–P90 band.
    type Chart = FanPanels;

    /// The readable table: a row per metric with mean, percentiles, per 100 leads and the 95%
    /// interval of the mean.
    fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}", self.scenario)?;
        writeln!(
            out,
            "{}, {} replications, seed {}\n",
            self.setup,
            group_thousands(self.replications as f64, 0),
            self.seed
        )?;
        write_metric_table(out, &self.samples)?;
        writeln!(
            out,
            "\npenetration = touches made / touches the cadence planned, in percent; \
             prospecting_hours = minutes of touches and conversations / 60"
        )?;
        if let Some(drawn) = &self.drawn {
            writeln!(out, "\n{}", heading(&drawn.keys))?;
            write_metric_table(out, &drawn.samples)?;
        }
        if let Some(segments) = &self.segments {
            segments.write_text(out, "By segment")?;
        }
        if let Some(segments) = self.drawn.as_ref().and_then(|d| d.segments.as_ref()) {
            segments.write_text(out, "By segment, with parameter uncertainty")?;
        }
        if let Some(team) = &self.team {
            team.write_text(out)?;
        }
        if let Some(money) = &self.money {
            write_money(out, money)?;
        }
        match &self.weeks {
            Some(weeks) if weeks.in_text => weeks.write_text(out),
            _ => Ok(()),
        }
    }

    /// `{"scenario", "seed", "replications", "metrics": {NAME: summary}}`, and a calendar's
    /// `"team"`.
    fn json(&self) -> impl Serialize {
        SimulateJson {
            scenario: &self.scenario,
            seed: self.seed,
            replications: self.replications,
            metrics: MetricMap(self.summaries()),
            segments: self.segments.as_ref().map(Breakdown::json),
            team: self.team.as_ref(),
            with_uncertainty: self.drawn.as_ref().map(Drawn::json),
            money: self.money.as_ref(),
        }
    }

    /// One row per replication: `replication`, then a column per metric. With segments, a
    /// `segment` column follows `replication`, and each replication has a row of its totals
    /// (`all`) and one for each segment.
    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let Some(breakdown) = &self.segments else {
            let columns: Vec<Column<usize>> =
                std::iter::once(Column::new("replication", |&r| Cell::Whole(r)))
                    .chain(Metric::ALL.iter().map(|&metric| {
                        let values = self.samples.get(metric).values();
                        Column::new(metric.name(), move |&r| Cell::Number(values[r]))
                    }))
                    .chain(self.money_columns(|&r| Some(r)))
                    .collect();
            return csv_out::write_columns(out, &columns, 0..self.samples.len());
        };
        let groups: &Vec<(&str, &Samples)> = &std::iter::once(("all", &self.samples))
            .chain(
                breakdown
                    .segments
                    .iter()
                    .map(|s| (s.name.as_str(), &s.samples)),
            )
            .collect();
        type Row = (usize, usize);
        let columns: Vec<Column<Row>> = [
            Column::new("replication", |&(r, _): &Row| Cell::Whole(r)),
            Column::new("segment", move |&(_, g): &Row| {
                Cell::Text(groups[g].0.to_string())
            }),
        ]
        .into_iter()
        .chain(Metric::ALL.iter().map(|&metric| {
            Column::new(metric.name(), move |&(r, g): &Row| {
                Cell::Number(groups[g].1.get(metric).values()[r])
            })
        }))
        // Money is the replication's, on its totals' row.
        .chain(self.money_columns(|&(r, g): &Row| (g == 0).then_some(r)))
        .collect();
        let rows = (0..self.samples.len()).flat_map(|r| (0..groups.len()).map(move |g| (r, g)));
        csv_out::write_columns(out, &columns, rows)
    }

    fn chart(&self) -> Result<FanPanels, NoChart> {
        let weeks = self.weeks.as_ref().ok_or_else(|| {
            NoChart("only a team calendar (--calendar) has weeks to chart".into())
        })?;
        let subtitle = format!(
            "{}: {}; {} simulated years",
            self.scenario,
            weeks.team_label,
            readable(self.replications as f64)
        );
        let panel = |title: &str, y_label: &str, series, goal| FanChart {
            y_label: y_label.to_string(),
            weeks: weeks.timeline.series(series),
            cumulative: false,
            goal,
            ..year_fan(
                title.to_string(),
                subtitle.clone(),
                weeks.ramp_weeks,
                &weeks.weeks_off,
            )
        };
        Ok(FanPanels(vec![
            panel(
                "Lead penetration by week",
                "planned touches made, %",
                WeeklySeries::Penetration,
                Some((100.0, "target (100%)".to_string())),
            ),
            panel(
                "Overdue touches at the end of each week",
                "touches overdue",
                WeeklySeries::Backlog,
                None,
            ),
        ]))
    }
}

/// The statistics of a week's band, as the timeline's columns end.
const BAND_STATISTICS: [Statistic<Band>; 4] = [
    ("mean", |b| b.mean),
    ("p10", |b| b.p10),
    ("p50", |b| b.p50),
    ("p90", |b| b.p90),
];

/// The weekly timeline, one row per week: `week`, `week_off` (1 in a week off, else 0), then
/// mean, p10, p50 and p90 of each series (empty where a week has no value, as penetration in a
/// week off).
pub fn write_timeline_csv(timeline: &Timeline, out: &mut dyn Write) -> io::Result<()> {
    type Week<'t> = (usize, &'t [Band; WeeklySeries::ALL.len()]);
    let mut columns: Vec<Column<Week>> = vec![
        Column::new("week", |&(w, _)| Cell::Whole(w + 1)),
        Column::new("week_off", |&(w, _)| {
            Cell::Whole(usize::from(timeline.off[w]))
        }),
    ];
    for series in WeeklySeries::ALL {
        for (statistic, of) in BAND_STATISTICS {
            columns.push(Column::new(
                format!("{}_{statistic}", series.name()),
                move |(_, bands): &Week| Cell::Number(of(&bands[series as usize])),
            ));
        }
    }
    csv_out::write_columns(out, &columns, timeline.weeks.iter().enumerate())
}

#[derive(Serialize)]
struct SimulateJson<'a> {
    scenario: &'a str,
    seed: u64,
    replications: u64,
    metrics: MetricMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    segments: Option<Vec<SegmentJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<&'a TeamReport>,
    /// The same metrics with the scenario's `[uncertainty]` drawn, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    with_uncertainty: Option<DrawnJson<'a>>,
    /// What the run cost and earned, with `[costs]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    money: Option<&'a Money>,
}
