//! The weekly check-in's report: verdicts to date first, then where a gap in appointments
//! comes from, when a shortfall can be told from luck, each rep, and the weeks.

use std::io::{self, Write};

use serde::Serialize;

use super::csv_out::{number, write_rows};
use super::{Entries, NoChart, Report, readable, write_columns};
use crate::chart::{FanChart, FanPanels};
use crate::track::{
    CheckIn, CheckInWeek, FALSE_ALARM, Forecast, HOURS_STEP, Indicator, Judged, Lagging, POWER,
    PRIOR_WEEKS, Part, PlanSource, RateCheck, RevenueCheck, Told, Values, Verdict, WhenToTell,
    date_of,
};

/// A check-in, with the scenario it was planned from.
pub struct TrackReport<'a> {
    pub scenario: &'a str,
    pub seed: u64,
    pub replications: u64,
    /// The rows the log read, and those it left out.
    pub log: LogRows,
    pub check_in: &'a CheckIn,
}

/// How the log's rows were counted.
#[derive(Debug, Clone, Serialize)]
pub struct LogRows {
    pub counted: u64,
    pub before_start: u64,
    pub after_as_of: u64,
    pub in_week_under_way: u64,
    /// What a lenient read skipped, in words.
    pub skipped: Option<String>,
}

#[derive(Serialize)]
struct Json<'a> {
    scenario: &'a str,
    seed: u64,
    replications: u64,
    start: String,
    as_of: String,
    plan: PlanJson,
    log: &'a LogRows,
    false_alarm: f64,
    to_date: Entries<&'static str, &'a Judged>,
    weeks: Vec<WeekJson<'a>>,
    reps: Vec<RepJson<'a>>,
    shortfall: &'a crate::track::Shortfall,
    when_to_tell: &'a WhenToTell,
    power: f64,
    /// The opportunities export at the check-in, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pipeline: Option<&'a crate::track::PipelineAt>,
    /// The meetings export's meetings held, with --meetings.
    #[serde(skip_serializing_if = "Option::is_none")]
    meetings: Option<&'a crate::track::HeldAt>,
    /// The indicators from the exports, with --deals or --meetings.
    #[serde(skip_serializing_if = "Option::is_none")]
    lagging: Option<LaggingJson<'a>>,
    /// The re-forecast; absent (with `forecast_missing` saying why) without a goal.
    #[serde(skip_serializing_if = "Option::is_none")]
    forecast: Option<&'a Forecast>,
    #[serde(skip_serializing_if = "Option::is_none")]
    forecast_missing: Option<&'a str>,
}

#[derive(Serialize)]
struct LaggingJson<'a> {
    to_date: Entries<&'static str, &'a Judged>,
    weeks: Vec<LaggingWeekJson<'a>>,
    revenue: Option<&'a RevenueCheck>,
}

#[derive(Serialize)]
struct LaggingWeekJson<'a> {
    week: u32,
    off: bool,
    /// Absent in a week off.
    #[serde(skip_serializing_if = "Option::is_none")]
    metrics: Option<Entries<&'static str, &'a Judged>>,
}

#[derive(Serialize)]
struct PlanJson {
    prospecting_hours_per_week: f64,
    /// "search" (the plan's own), "stated" (--hours) or "saved" (--plan).
    from: PlanSource,
}

#[derive(Serialize)]
struct WeekJson<'a> {
    week: u32,
    start: String,
    off: bool,
    /// Judged weeks: each indicator against the plan; weeks off: the actuals alone.
    metrics: Entries<&'static str, MetricJson<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum MetricJson<'a> {
    Judged(&'a Judged),
    Actual { actual: f64 },
}

/// Each indicator keyed by name: judged, or the actual alone.
fn metrics<'a>(
    judged: Option<&'a [Judged; Indicator::ALL.len()]>,
    actual: &Values,
) -> Entries<&'static str, MetricJson<'a>> {
    Entries(
        Indicator::ALL
            .iter()
            .map(|&i| {
                let metric = match judged {
                    Some(judged) => MetricJson::Judged(&judged[i as usize]),
                    None => MetricJson::Actual {
                        actual: actual[i as usize],
                    },
                };
                (i.name(), metric)
            })
            .collect(),
    )
}

/// A row of the weekly CSV: one indicator in one week, of the team (no `rep`) or of one rep.
#[derive(Serialize)]
struct CsvRow<'a> {
    rep: &'a str,
    week: u32,
    start: String,
    off: bool,
    indicator: &'static str,
    /// Empty for a lagging indicator in a week off; the rest empty where nothing is judged.
    #[serde(serialize_with = "number")]
    actual: f64,
    #[serde(serialize_with = "number")]
    expected: f64,
    #[serde(serialize_with = "number")]
    p10: f64,
    #[serde(serialize_with = "number")]
    p90: f64,
    #[serde(serialize_with = "number")]
    percentile: f64,
    verdict: Option<Verdict>,
}

impl<'a> CsvRow<'a> {
    fn of(
        rep: &'a str,
        w: &CheckInWeek,
        i: Indicator,
        actual: f64,
        judged: Option<&Judged>,
    ) -> Self {
        let part = |f: fn(&Judged) -> f64| judged.map_or(f64::NAN, f);
        CsvRow {
            rep,
            week: w.week,
            start: date_of(w.first_day).to_string(),
            off: w.off,
            indicator: i.name(),
            actual,
            expected: part(|j| j.expected),
            p10: part(|j| j.p10),
            p90: part(|j| j.p90),
            percentile: part(|j| j.percentile),
            verdict: judged.map(|j| j.verdict),
        }
    }
}

#[derive(Serialize)]
struct RepJson<'a> {
    name: &'a str,
    /// Each indicator to date: judged against one rep's plan, or the actual alone.
    to_date: Entries<&'static str, MetricJson<'a>>,
    /// The rep's weeks, as the team's.
    weeks: Vec<WeekJson<'a>>,
}

/// The weeks of the team or of one rep.
fn weeks_json(weeks: &[CheckInWeek]) -> Vec<WeekJson<'_>> {
    weeks
        .iter()
        .map(|w| WeekJson {
            week: w.week,
            start: date_of(w.first_day).to_string(),
            off: w.off,
            metrics: metrics(w.judged.as_ref(), &w.actual),
        })
        .collect()
}

impl TrackReport<'_> {
    fn weeks_judged(&self) -> usize {
        self.check_in.weeks.len()
    }

    fn write_to_date(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.check_in;
        let worked = c.weeks.iter().filter(|w| w.judged.is_some()).count();
        writeln!(
            out,
            "To date ({worked} worked week(s)): the actual against the plan's simulated years"
        )?;
        let rows: Vec<Vec<String>> = Indicator::ALL
            .iter()
            .map(|&i| judged_row(i, &c.to_date[i as usize]))
            .collect();
        write_columns(
            out,
            &["", "actual", "plan", "P10 to P90", "percentile", "verdict"],
            &rows,
        )
    }

    fn write_lagging(&self, out: &mut dyn Write) -> io::Result<()> {
        let Some(lagging) = &self.check_in.lagging else {
            return Ok(());
        };
        let c = self.check_in;
        let mut from = Vec::new();
        if let Some(held) = &c.exports.meetings {
            from.push(format!(
                "the meetings export: {} held in the weeks judged, {} outside them left out",
                held.held, held.left_out
            ));
        }
        if c.exports.pipeline.is_some() {
            from.push(
                "the opportunities export: the plan's opportunities at the appointment held, its \
                 deals at their close"
                    .to_string(),
            );
        }
        writeln!(out, "\nFrom the exports ({})", from.join("; "))?;
        let weekly: Vec<String> = (0..lagging.indicators.len())
            .map(|i| {
                lagging
                    .weeks
                    .iter()
                    .map(|w| match w {
                        Some(judged) => format!(
                            "{}{}",
                            readable(judged[i].actual),
                            mark(judged[i].verdict).trim()
                        ),
                        None => "off".to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let rows: Vec<Vec<String>> = lagging
            .indicators
            .iter()
            .enumerate()
            .map(|(i, indicator)| {
                let mut row = judged_row(*indicator, &lagging.to_date[i]);
                row.push(weekly[i].clone());
                row
            })
            .collect();
        write_columns(
            out,
            &[
                "",
                "actual",
                "plan",
                "P10 to P90",
                "percentile",
                "verdict",
                "by week",
            ],
            &rows,
        )?;
        let (Some(revenue), Some(pipeline)) =
            (&self.check_in.revenue, &self.check_in.exports.pipeline)
        else {
            return Ok(());
        };
        let money = |x: f64| format!("{}{}", if x < 0.0 { "-" } else { "+" }, readable(x.abs()));
        writeln!(
            out,
            "Revenue won to date: {} against the plan's {} (its expected deals at its deal size \
             of {}): {} from the number of deals, {} from their size{}. Compared, not judged: \
             the plan has one deal size, no spread of them.",
            readable(revenue.actual),
            readable(revenue.expected),
            readable(revenue.plan_deal_size),
            money(revenue.from_deals),
            money(revenue.from_deal_size),
            match pipeline.won_without_amount {
                0 => String::new(),
                n => format!(" ({n} won deal(s) in the export have no amount: counted as 0)"),
            }
        )
    }

    fn write_shortfall(&self, out: &mut dyn Write) -> io::Result<()> {
        let s = &self.check_in.shortfall;
        let part = |p: &Part| {
            format!(
                "{:+.1}  ({} to {})",
                p.appointments,
                signed(p.ci95[0]),
                signed(p.ci95[1])
            )
        };
        writeln!(
            out,
            "\nWhere the gap in first-time appointments comes from: {:+.1} against the plan's \
             expected",
            s.gap
        )?;
        writeln!(
            out,
            "  effort (touches made against the plan's, at its appointments per touch)  {}   \
             range: the plan's own touches, P90 to P10",
            part(&s.effort)
        )?;
        writeln!(
            out,
            "  yield (appointments per touch made against the plan's)                   {}   \
             range: 95% interval",
            part(&s.yield_part)
        )?;
        let rows: Vec<Vec<String>> = s
            .rates
            .iter()
            .map(|r: &RateCheck| {
                vec![
                    format!("  {}", r.name.replace('_', " ")),
                    format!("{:.3}", r.actual),
                    format!("{:.3} to {:.3}", r.ci95[0], r.ci95[1]),
                    format!("{:.3}", r.plan),
                    format!(
                        "{} of {}",
                        readable(r.successes as f64),
                        readable(r.trials as f64)
                    ),
                    if r.below_plan() {
                        "below plan".to_string()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect();
        write_columns(
            out,
            &["", "actual", "95% interval", "plan", "counts", ""],
            &rows,
        )
    }

    fn write_forecast(&self, out: &mut dyn Write) -> io::Result<()> {
        let f = match &self.check_in.forecast {
            Ok(f) => f,
            Err(why) => return writeln!(out, "\nNo re-forecast: {why}."),
        };
        writeln!(
            out,
            "\nThe re-forecast: {:.0}% chance of the goal ({} deals) at the plan's {} hours a week from now on, {} week(s) left",
            100.0 * f.probability_of_goal,
            readable(f.goal_deals),
            readable(round_hours(self.check_in.plan.hours_per_week)),
            f.weeks_left
        )?;
        if let Some(p) = &self.check_in.exports.pipeline {
            writeln!(
                out,
                "  the opportunities export: {} won ({} revenue), {} lost, {} open at the \
                 check-in; {} left out (created after it, or closed before the start)",
                p.won,
                readable(p.revenue_won),
                p.lost,
                p.open_created.len(),
                p.left_out
            )?;
        } else {
            writeln!(
                out,
                "  without --deals: every appointment set so far counts as pipeline, its deal \
                 still to come"
            )?;
        }
        writeln!(
            out,
            "  deals: {} won so far, {} expected from the pipeline (appointments set, open opportunities), {} from the conversations to come",
            f.deals_won,
            readable(round_hours(f.pipeline_deals)),
            readable(round_hours(f.future_deals))
        )?;
        match (
            f.required_prospecting_hours_per_week,
            f.probability_at_required,
            f.required_appointments_set_per_week,
        ) {
            (Some(hours), Some(chance), Some(appointments)) => writeln!(
                out,
                "  to get back to the plan's confidence: {} prospecting hours a week per rep from now on (to {HOURS_STEP} h; {:.0}% chance), about {} first-time appointments set a week",
                readable(hours),
                100.0 * chance,
                readable(round_hours(appointments))
            )?,
            _ => writeln!(
                out,
                "  no prospecting hours within the working week get back to the plan's confidence: the goal needs more than hours (the rates, the leads or the goal)"
            )?,
        }
        writeln!(
            out,
            "  rates updated from the log (the plan's rate weighs as {PRIOR_WEEKS} weeks of its own expected evidence):"
        )?;
        let rows: Vec<Vec<String>> = f
            .rates
            .iter()
            .map(|r| {
                vec![
                    format!("    {}", r.name.replace('_', " ")),
                    format!("{:.3}", r.plan),
                    format!("{} of {}", readable(r.successes), readable(r.trials)),
                    format!("{:.3}", r.updated),
                    format!("{:.3} to {:.3}", r.ci95[0], r.ci95[1]),
                ]
            })
            .collect();
        write_columns(
            out,
            &["", "plan", "so far", "updated", "95% interval"],
            &rows,
        )
    }

    fn write_reps(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.check_in;
        if c.reps.len() < 2 {
            return Ok(());
        }
        writeln!(
            out,
            "\nEach rep to date, against one rep's share of the plan (! behind beyond luck, - \
             behind within luck, + ahead)"
        )?;
        let header: Vec<&str> = std::iter::once("rep")
            .chain(Indicator::ALL.iter().map(|i| i.name()))
            .collect();
        let rows: Vec<Vec<String>> = c
            .reps
            .iter()
            .map(|rep| {
                let cells = Indicator::ALL.iter().map(|&i| {
                    let actual = readable(round_hours(rep.to_date[i as usize]));
                    match &rep.judged {
                        Some(judged) => format!("{actual}{}", mark(judged[i as usize].verdict)),
                        None => actual,
                    }
                });
                std::iter::once(rep.name.clone()).chain(cells).collect()
            })
            .collect();
        write_columns(out, &header, &rows)?;
        // The weeks to raise with each rep: those behind beyond luck, and in what.
        for rep in &c.reps {
            let flagged: Vec<String> = rep
                .weeks
                .iter()
                .filter_map(|w| {
                    let behind: Vec<&str> = Indicator::ALL
                        .iter()
                        .filter(|&&i| {
                            w.judged.is_some_and(|judged| {
                                judged[i as usize].verdict == Verdict::BehindBeyondLuck
                            })
                        })
                        .map(|i| i.label())
                        .collect();
                    (!behind.is_empty()).then(|| format!("week {} ({})", w.week, behind.join(", ")))
                })
                .collect();
            if !flagged.is_empty() {
                writeln!(
                    out,
                    "  {} behind beyond luck in {}",
                    rep.name,
                    flagged.join("; ")
                )?;
            }
        }
        Ok(())
    }

    fn write_weeks(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "\nWeek by week: actual / plan's expected; ! behind beyond luck, - behind within \
             luck, + ahead"
        )?;
        let header: Vec<&str> = ["week", "starts"]
            .into_iter()
            .chain(Indicator::ALL.iter().map(|i| i.name()))
            .collect();
        let rows: Vec<Vec<String>> = self
            .check_in
            .weeks
            .iter()
            .map(|w| {
                let cells = Indicator::ALL.iter().map(|&i| {
                    let actual = readable(round_hours(w.actual[i as usize]));
                    match &w.judged {
                        None => format!("{actual} (off)"),
                        Some(judged) => {
                            let j = &judged[i as usize];
                            format!(
                                "{actual} / {}{}",
                                readable(round_hours(j.expected)),
                                mark(j.verdict)
                            )
                        }
                    }
                });
                [w.week.to_string(), date_of(w.first_day).to_string()]
                    .into_iter()
                    .chain(cells)
                    .collect()
            })
            .collect();
        write_columns(out, &header, &rows)
    }
}

/// "When can we tell?": the weeks until a rep short of plan is told from bad luck.
pub(super) fn write_when_to_tell(t: &WhenToTell, out: &mut dyn Write) -> io::Result<()> {
    let week = |w: Option<u32>| match w {
        Some(w) => format!("week {w}"),
        None => "not within the horizon".to_string(),
    };
    let Told {
        touches,
        appointments_set,
    } = t.fewer_hours;
    writeln!(
        out,
        "\nWhen can we tell? The week by whose end {:.0}% of reps at {:.0}% of the plan are \
         called behind beyond luck (a rep on plan is, {:.0}% of the time):",
        100.0 * POWER,
        100.0 * t.share,
        100.0 * FALSE_ALARM
    )?;
    writeln!(
        out,
        "  at {:.0}% of the plan's hours:                  touches by {}, first-time \
         appointments by {}",
        100.0 * t.share,
        week(touches),
        week(appointments_set)
    )?;
    writeln!(
        out,
        "  at its hours, {:.0}% of its appointment rate:   first-time appointments by {}",
        100.0 * t.share,
        week(t.lower_yield)
    )
}

/// A table row of `indicator` judged to date: actual, plan, P10 to P90, percentile, verdict.
fn judged_row(indicator: Indicator, j: &Judged) -> Vec<String> {
    vec![
        indicator.label().to_string(),
        readable(j.actual),
        readable(round_hours(j.expected)),
        format!("{} to {}", readable(j.p10), readable(j.p90)),
        format!("{:.0}", j.percentile),
        j.verdict.label().to_string(),
    ]
}

/// A verdict's mark in a table cell.
fn mark(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::BehindBeyondLuck => "!",
        Verdict::BehindWithinLuck => "-",
        Verdict::Ahead => "+",
        Verdict::OnPlan => " ",
    }
}

/// A value shown to one decimal at most (hours come from summed minutes).
fn round_hours(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A number with its sign.
fn signed(x: f64) -> String {
    format!("{x:+.1}")
}

impl Report for TrackReport<'_> {
    type Chart = FanPanels;

    fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.check_in;
        writeln!(out, "{}", self.scenario)?;
        writeln!(
            out,
            "Check-in of {} week(s) from {} as of {}, against {} simulated years of the plan \
             (seed {}).",
            self.weeks_judged(),
            date_of(c.dates.start),
            date_of(c.dates.as_of),
            readable(self.replications as f64),
            self.seed
        )?;
        writeln!(
            out,
            "The plan: {} prospecting hours a week per rep once ramped up ({}), every week \
             worked{}.",
            readable(round_hours(c.plan.hours_per_week)),
            c.plan.from.label(),
            if c.dates.weeks_off.is_empty() {
                String::new()
            } else {
                format!(
                    " but the team's weeks off ({})",
                    c.dates
                        .weeks_off
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        )?;
        let log = &self.log;
        writeln!(
            out,
            "The log: {} row(s) counted; {} before the start, {} after the check-in's day and {} \
             in the week under way left out.{}",
            readable(log.counted as f64),
            log.before_start,
            log.after_as_of,
            log.in_week_under_way,
            log.skipped
                .as_ref()
                .map(|s| format!(" It {s}."))
                .unwrap_or_default()
        )?;
        writeln!(
            out,
            "Behind beyond luck: below what {:.0}% of the plan's own years do, so a rep on plan \
             is called so {:.0}% of the time at most.\n",
            100.0 * FALSE_ALARM,
            100.0 * FALSE_ALARM
        )?;
        self.write_to_date(out)?;
        self.write_lagging(out)?;
        self.write_shortfall(out)?;
        self.write_forecast(out)?;
        write_when_to_tell(&self.check_in.when_to_tell, out)?;
        self.write_reps(out)?;
        self.write_weeks(out)
    }

    fn json(&self) -> impl Serialize {
        let c = self.check_in;
        Json {
            scenario: self.scenario,
            seed: self.seed,
            replications: self.replications,
            start: date_of(c.dates.start).to_string(),
            as_of: date_of(c.dates.as_of).to_string(),
            plan: PlanJson {
                prospecting_hours_per_week: c.plan.hours_per_week,
                from: c.plan.from,
            },
            log: &self.log,
            false_alarm: FALSE_ALARM,
            to_date: Entries(
                Indicator::ALL
                    .iter()
                    .map(|&i| (i.name(), &c.to_date[i as usize]))
                    .collect(),
            ),
            weeks: weeks_json(&c.weeks),
            reps: c
                .reps
                .iter()
                .map(|rep| RepJson {
                    name: &rep.name,
                    to_date: metrics(rep.judged.as_ref(), &rep.to_date),
                    weeks: weeks_json(&rep.weeks),
                })
                .collect(),
            shortfall: &c.shortfall,
            when_to_tell: &c.when_to_tell,
            power: POWER,
            pipeline: c.exports.pipeline.as_ref(),
            meetings: c.exports.meetings.as_ref(),
            lagging: c.lagging.as_ref().map(|l| LaggingJson {
                revenue: c.revenue.as_ref(),
                to_date: Entries(
                    l.indicators
                        .iter()
                        .zip(&l.to_date)
                        .map(|(i, j)| (i.name(), j))
                        .collect(),
                ),
                weeks: l
                    .weeks
                    .iter()
                    .zip(&c.weeks)
                    .map(|(judged, w)| LaggingWeekJson {
                        week: w.week,
                        off: judged.is_none(),
                        metrics: judged.as_ref().map(|judged| {
                            Entries(
                                l.indicators
                                    .iter()
                                    .zip(judged)
                                    .map(|(i, j)| (i.name(), j))
                                    .collect(),
                            )
                        }),
                    })
                    .collect(),
            }),
            forecast: c.forecast.as_ref().ok(),
            forecast_missing: c.forecast.as_ref().err().map(String::as_str),
        }
    }

    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.check_in;
        // The team's rows have no rep; the export has no rep column, so its indicators are the
        // team's alone.
        let teams = std::iter::once(("", &c.weeks, c.lagging.as_ref()));
        let reps = c
            .reps
            .iter()
            .map(|rep| (rep.name.as_str(), &rep.weeks, None));
        let rows = teams.chain(reps).flat_map(|(rep, weeks, lagging)| {
            weeks.iter().enumerate().flat_map(move |(k, w)| {
                let leading = Indicator::ALL.iter().map(move |&i| {
                    let judged = w.judged.as_ref().map(|judged| &judged[i as usize]);
                    CsvRow::of(rep, w, i, w.actual[i as usize], judged)
                });
                let lagging = lagging.into_iter().flat_map(move |l: &Lagging| {
                    l.indicators.iter().enumerate().map(move |(n, &i)| {
                        let judged = l.weeks[k].as_ref().map(|judged| &judged[n]);
                        CsvRow::of(rep, w, i, judged.map_or(f64::NAN, |j| j.actual), judged)
                    })
                });
                leading.chain(lagging)
            })
        });
        write_rows(out, rows)
    }

    fn chart(&self) -> Result<FanPanels, NoChart> {
        let c = self.check_in;
        // The call log's indicators, then the exports'.
        let indicators: Vec<Indicator> = Indicator::ALL
            .iter()
            .chain(c.lagging.iter().flat_map(|l| &l.indicators))
            .copied()
            .collect();
        // Each worked week's actual of every indicator shown, in that order.
        let worked: Vec<Vec<f64>> = c
            .weeks
            .iter()
            .zip(0..)
            .filter(|(w, _)| w.judged.is_some())
            .map(|(w, k)| {
                let lagging = c.lagging.as_ref().and_then(|l| l.weeks[k].as_ref());
                let mut values = w.actual.to_vec();
                values.extend(lagging.into_iter().flatten().map(|j| j.actual));
                values
            })
            .collect();
        // The plan's fan over the weeks judged and as many again ahead, within the horizon.
        let shown = (2 * worked.len()).min(c.plan_to_date.len());
        Ok(FanPanels(
            indicators
                .iter()
                .enumerate()
                .map(|(n, &i)| {
                    let mut so_far = 0.0;
                    FanChart {
                        title: format!("{} to date", i.label()),
                        subtitle: format!(
                            "{}: the team's actual over the plan's P10 to P90",
                            self.scenario
                        ),
                        x_label: "worked week of the plan".to_string(),
                        y_label: i.label().to_string(),
                        weeks: c.plan_to_date[..shown]
                            .iter()
                            .map(|bands| bands[i as usize])
                            .collect(),
                        cumulative: true,
                        goal: None,
                        ramp_weeks: 0.0,
                        pauses: Vec::new(),
                        pause_label: String::new(),
                        band_label: "P10 to P90 of the plan's years".to_string(),
                        actual: Some(
                            worked
                                .iter()
                                .map(|values| {
                                    so_far += values[n];
                                    so_far
                                })
                                .collect(),
                        ),
                    }
                })
                .collect(),
        ))
    }
}
