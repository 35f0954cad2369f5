//! How a sweep is shown: a row per grid point, as a table, CSV or JSON.

use std::io::{self, Write};

use serde::Serialize;

use super::csv_out::{self, Cell, Column, Statistic};
use super::segments::SegmentJson;
use super::{
    Breakdown, Entries, MetricMap, NoChart, Report, group_thousands, readable, write_columns,
};
use crate::chart::{LinePoint, SweepChart};
use crate::plan::{AtConfidence, HOURS_TOLERANCE};
use crate::stats::{Metric, Samples, Summary};
use crate::sweep::{Grid, Measure, PlanFigure, PointResult, SweepRun};

/// Everything a sweep found: each grid point's outcome, in point order.
#[derive(Debug, Clone)]
pub struct SweepReport {
    pub scenario: String,
    pub seed: u64,
    pub replications: u64,
    pub run: SweepRun,
    pub grid: Grid,
    pub points: Vec<PointResult>,
    /// What the chart follows: a metric or a plan's hours.
    pub measure: Measure,
    /// The names of the scenario's groups of leads, for points with more than one.
    pub segment_names: Vec<String>,
}

/// The metrics the table shows, as means (the CSV and JSON have every metric).
const SHOWN: [Metric; 5] = [
    Metric::Touches,
    Metric::Contacts,
    Metric::AppointmentsSet,
    Metric::Deals,
    Metric::ProspectingHours,
];

impl SweepReport {
    /// Each point's values as readable labels, one per axis.
    fn labels(&self, point: usize) -> Vec<String> {
        self.grid
            .point(point)
            .iter()
            .zip(&self.grid.axes)
            .map(|(&i, axis)| axis.label(i))
            .collect()
    }

    fn paths(&self) -> Vec<String> {
        self.grid.axes.iter().map(|a| a.path.clone()).collect()
    }

    /// Why a sweep that varies `paths` paths has no chart, if it has none: a chart shows one or
    /// two. Known before the sweep runs, so that it can be refused then.
    pub fn no_chart(paths: usize) -> Option<NoChart> {
        (!(1..=2).contains(&paths)).then(|| {
            NoChart(format!(
                "a chart shows one or two varied paths, and this sweep varies {paths}; chart \
                 from --csv instead"
            ))
        })
    }
}

impl Report for SweepReport {
    /// A line of the measure for one varied path, a heatmap for two.
    type Chart = SweepChart;

    /// The readable table: a row per point; the mean of the main metrics and the P05–P95 of
    /// deals, or for plans the hours each rep needs and what they bring.
    fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}", self.scenario)?;
        writeln!(
            out,
            "sweep of {} points: {}\n",
            self.points.len(),
            setup(self.run, self.replications, self.seed, true)
        )?;
        let mut header = self.paths();
        if self.run == SweepRun::Plan {
            header.extend(
                [
                    "hours/week",
                    "chance",
                    "expected",
                    "appointments/week",
                    "leads/week",
                    "dials/day",
                    "deals p10–p90",
                ]
                .map(String::from),
            );
        } else {
            header.extend(SHOWN.iter().map(|m| m.name().to_string()));
            header.push("deals p05–p95".to_string());
        }
        let rows: Vec<Vec<String>> = self
            .points
            .iter()
            .enumerate()
            .map(|(i, outcome)| {
                let mut row = self.labels(i);
                row.extend(cells(outcome));
                row
            })
            .collect();
        write_columns(out, &header, &rows)?;
        if self.run == SweepRun::Plan {
            writeln!(
                out,
                "\nper rep: the prospecting hours a week (once ramped) that reach the goal with \
                 its confidence, found within {HOURS_TOLERANCE} h, and the chance they give; \
                 expected: the hours of the steady-state funnel (no ramp, no lag); appointments \
                 set a week once ramped; --csv and --json have every figure"
            )
        } else {
            writeln!(
                out,
                "\nmeans over the replications; --csv and --json have every metric"
            )
        }
    }

    /// `{"scenario", "seed", "replications", "run", "vary": [{"path", "values"}], "points":
    /// [{"set": {PATH: value}, "metrics": {NAME: summary}}]}`; a plan point has `"plan":
    /// {FIGURE: value or null}` in place of `"metrics"`.
    fn json(&self) -> impl Serialize {
        let points = self
            .points
            .iter()
            .enumerate()
            .map(|(i, outcome)| {
                let set = self
                    .grid
                    .point(i)
                    .iter()
                    .zip(&self.grid.axes)
                    .map(|(&v, axis)| (axis.path.as_str(), &axis.values[v]))
                    .collect();
                let (metrics, plan) = match outcome {
                    PointResult::Simulated(samples) => {
                        let summaries = Metric::ALL
                            .iter()
                            .map(|&m| (m, samples.get(m).summary()))
                            .collect();
                        (Some(MetricMap(summaries)), None)
                    }
                    PointResult::Planned(plan) => {
                        let figures = PlanFigure::ALL
                            .iter()
                            .map(|&figure| (figure.name(), plan.figure(figure)))
                            .collect();
                        (None, Some(Entries(figures)))
                    }
                };
                let segments = match outcome {
                    PointResult::Simulated(samples) => {
                        Breakdown::named(&self.segment_names, samples)
                    }
                    PointResult::Planned(_) => None,
                };
                PointJson {
                    set: Entries(set),
                    metrics,
                    plan,
                    segments: segments.as_ref().map(Breakdown::json),
                }
            })
            .collect();
        SweepJson {
            scenario: &self.scenario,
            seed: self.seed,
            replications: self.replications,
            run: self.run.name(),
            vary: self
                .grid
                .axes
                .iter()
                .map(|a| AxisJson {
                    path: &a.path,
                    values: &a.values,
                })
                .collect(),
            points,
        }
    }

    /// One row per point: a column per varied path, named by the path, then each metric's
    /// mean, sd, p05, p50 and p95 (for plans: each [`PlanFigure`]). With segments, a `segment`
    /// column follows the paths, and each point has a row of its totals (`all`) and one for
    /// each segment.
    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut columns: Vec<Column<PointRow>> = self
            .grid
            .axes
            .iter()
            .enumerate()
            .map(|(a, axis)| {
                Column::new(axis.path.clone(), move |row: &PointRow| {
                    Cell::Text(row.labels[a].clone())
                })
            })
            .collect();
        let segmented = self.points.iter().any(|point| match point {
            PointResult::Simulated(samples) => !samples.segments().is_empty(),
            PointResult::Planned(_) => false,
        });
        if segmented {
            columns.push(Column::new("segment", |row: &PointRow| {
                Cell::Text(row.segment.clone())
            }));
        }
        if self.run == SweepRun::Plan {
            // No hours reach the goal: those cells stay empty.
            columns.extend(PlanFigure::ALL.map(|figure| {
                Column::new(figure.name(), move |row: &PointRow| match row.outcome {
                    PointResult::Planned(plan) => plan.figure(figure).into(),
                    PointResult::Simulated(_) => Cell::Empty,
                })
            }));
        } else {
            for metric in Metric::ALL {
                columns.extend(SUMMARY_STATISTICS.map(|(statistic, of)| {
                    Column::new(
                        format!("{}_{statistic}", metric.name()),
                        move |row: &PointRow| row.summaries.get(metric as usize).map(of).into(),
                    )
                }));
            }
        }
        let summaries = |samples: &Samples| -> Vec<Summary> {
            Metric::ALL
                .iter()
                .map(|&m| samples.get(m).summary())
                .collect()
        };
        let rows = self
            .points
            .iter()
            .enumerate()
            .flat_map(|(i, outcome)| -> Vec<PointRow> {
                let row = |segment: String, summaries: Vec<Summary>| PointRow {
                    labels: self.labels(i),
                    outcome,
                    segment,
                    summaries,
                };
                match outcome {
                    PointResult::Simulated(samples) => {
                        std::iter::once(row("all".into(), summaries(samples)))
                            .chain(
                                self.segment_names
                                    .iter()
                                    .zip(samples.segments())
                                    .map(|(name, own)| row(name.clone(), summaries(own))),
                            )
                            .collect()
                    }
                    PointResult::Planned(_) => vec![row("all".into(), Vec::new())],
                }
            });
        csv_out::write_columns(out, &columns, rows)
    }

    /// The chart of the measure: a line (with its P05–P95 band for a metric) for one varied
    /// path, a heatmap for two.
    fn chart(&self) -> Result<SweepChart, NoChart> {
        if let Some(why) = Self::no_chart(self.grid.axes.len()) {
            return Err(why);
        }
        let measure = self.measure;
        let subtitle = format!(
            "{}: {}",
            self.scenario,
            setup(self.run, self.replications, self.seed, false)
        );
        let axes = &self.grid.axes;
        let labels = |a: usize| -> Vec<String> {
            (0..axes[a].values.len())
                .map(|i| axes[a].label(i))
                .collect()
        };
        let name = measure.name();
        Ok(if axes.len() == 1 {
            SweepChart::Line {
                title: format!("{name} by {}", axes[0].path),
                subtitle,
                x_label: axes[0].path.clone(),
                metric: match measure {
                    Measure::Metric(_) => name.to_string(),
                    Measure::RequiredHours => "prospecting hours per rep-week".to_string(),
                },
                points: self
                    .points
                    .iter()
                    .zip(labels(0))
                    .map(|(outcome, label)| LinePoint {
                        label,
                        value: measure.of(outcome),
                        ceiling: ceiling(outcome),
                        band: match (measure, outcome) {
                            (Measure::Metric(m), PointResult::Simulated(samples)) => {
                                let s = samples.get(m).summary();
                                Some((s.p05, s.p95))
                            }
                            _ => None,
                        },
                    })
                    .collect(),
            }
        } else {
            let columns = axes[1].values.len();
            let what = match measure {
                Measure::Metric(_) => "Mean",
                Measure::RequiredHours => "Plan:",
            };
            SweepChart::Heatmap {
                title: format!("{what} {name} by {} and {}", axes[0].path, axes[1].path),
                subtitle,
                row_label: axes[0].path.clone(),
                column_label: axes[1].path.clone(),
                rows: labels(0),
                columns: labels(1),
                values: self
                    .points
                    .chunks(columns)
                    .map(|row| {
                        row.iter()
                            .map(|o| {
                                measure.of(o).ok_or_else(|| match ceiling(o) {
                                    Some(hours) => format!("over {}", readable(hours)),
                                    None => "none".to_string(),
                                })
                            })
                            .collect()
                    })
                    .collect(),
            }
        })
    }
}

/// The JSON object, keys in this order: what each point ran, the varied paths and their values,
/// then every point.
#[derive(Serialize)]
struct SweepJson<'a> {
    scenario: &'a str,
    seed: u64,
    replications: u64,
    run: &'static str,
    vary: Vec<AxisJson<'a>>,
    points: Vec<PointJson<'a>>,
}

#[derive(Serialize)]
struct AxisJson<'a> {
    path: &'a str,
    values: &'a [toml::Value],
}

/// A point: its value of each varied path, then a simulated point's metrics or a plan's
/// figures.
#[derive(Serialize)]
struct PointJson<'a> {
    set: Entries<&'a str, &'a toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metrics: Option<MetricMap>,
    /// Each [`PlanFigure`], null where no hours reach the goal.
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<Entries<&'static str, Option<f64>>>,
    /// A simulated point's results by segment, when it has more than one group of leads.
    #[serde(skip_serializing_if = "Option::is_none")]
    segments: Option<Vec<SegmentJson>>,
}

/// A point of the CSV: its values of the varied paths, its outcome, and for a simulated point
/// each metric's summary (in [`Metric::ALL`] order), computed once for its five columns.
struct PointRow<'a> {
    labels: Vec<String>,
    outcome: &'a PointResult,
    /// `all` for the point's totals, or a segment's name.
    segment: String,
    summaries: Vec<Summary>,
}

/// The statistics of a metric's summary, as the CSV's columns end.
const SUMMARY_STATISTICS: [Statistic<Summary>; 5] = [
    ("mean", |s| s.mean),
    ("sd", |s| s.sd),
    ("p05", |s| s.p05),
    ("p50", |s| s.p50),
    ("p95", |s| s.p95),
];

/// What each point (or each setting of a tornado) ran: "a cohort at each point, 1,000
/// replications on the same random numbers, seed 1"; `in_full` false leaves out the random
/// numbers, for a chart's subtitle.
pub(super) fn setup(run: SweepRun, replications: u64, seed: u64, in_full: bool) -> String {
    let what = match run {
        SweepRun::Cohort => "a cohort",
        SweepRun::Calendar => "a team calendar",
        SweepRun::Plan => "a plan",
    };
    let common = if in_full {
        " on the same random numbers"
    } else {
        ""
    };
    format!(
        "{what} at each point, {} replications{common}, seed {seed}",
        group_thousands(replications as f64, 0)
    )
}

/// The most hours a plan may ask for, at a point whose plan no hours reach.
fn ceiling(outcome: &PointResult) -> Option<f64> {
    match outcome {
        PointResult::Planned(plan) if plan.required_hours().is_none() => {
            Some(plan.max_hours_per_week)
        }
        _ => None,
    }
}

/// A point's cells in the table.
fn cells(outcome: &PointResult) -> Vec<String> {
    match outcome {
        PointResult::Simulated(samples) => {
            let mut row: Vec<String> = SHOWN
                .iter()
                .map(|&m| readable(samples.get(m).moments().mean()))
                .collect();
            let deals = samples.get(Metric::Deals).summary();
            row.push(format!("{} – {}", readable(deals.p05), readable(deals.p95)));
            row
        }
        PointResult::Planned(plan) => {
            let show = |figure| {
                plan.figure(figure)
                    .map_or_else(|| "–".to_string(), readable)
            };
            let hours = match &plan.answer {
                AtConfidence::Unreachable(short) => {
                    format!("over {}", readable(short.max_hours_per_week))
                }
                AtConfidence::Plan(_) => show(PlanFigure::RequiredHoursPerWeek),
            };
            let deals = match (
                plan.figure(PlanFigure::DealsP10),
                plan.figure(PlanFigure::DealsP90),
            ) {
                (Some(a), Some(b)) => format!("{} – {}", readable(a), readable(b)),
                _ => "–".to_string(),
            };
            let chance = plan.figure(PlanFigure::ProbabilityOfGoal).unwrap_or(0.0);
            vec![
                hours,
                format!("{:.0}%", chance * 100.0),
                show(PlanFigure::ExpectedHoursPerWeek),
                show(PlanFigure::AppointmentsSetPerWeekRamped),
                show(PlanFigure::LeadsPerWeek),
                show(PlanFigure::DialsPerWorkingDay),
                deals,
            ]
        }
    }
}
