//! The weekly check-in (`callblitz track`): the team's real activity, week by week, against the
//! spread of the plan's own simulated years, with a verdict per indicator, the shortfall split
//! into effort and yield, and how many weeks it takes to tell a rep behind plan from bad luck.
//!
//! The plan is simulated with every week worked: the weeks the team took off (`weeks_off`) are
//! left out of the log's weeks, and the log's worked weeks are set against the plan's in order.

mod activity;
mod deals;
mod forecast;
mod meetings;

pub use activity::{
    Activity, ActivityError, CheckInDates, DatesGiven, RepActivity, date_of, day_of, monday_of,
    summed,
};
pub use deals::{
    DealColumns, DealOptions, ExportError, Opportunity, PipelineAt, STAGE_NAMES, Stage, read_deals,
};
pub use forecast::{Forecast, HOURS_STEP, Outlook, PRIOR_WEEKS, Prior, Standing, UpdatedRate};
pub use meetings::{HeldAt, MEETING_STATUSES, MeetingColumns, read_meetings};

use crate::engine::{Accumulate, CalendarModel, CalendarOutcome, Week, run_replications};
use crate::plan::{Target, expected_deal_size};
use crate::runs::{Kind, Refusal, Run};
use crate::scenario::Scenario;
use crate::stats::{Tally, wilson_95};

/// How often a week on plan is called "behind beyond luck": the verdict's false-alarm rate.
pub const FALSE_ALARM: f64 = 0.10;

/// The chance "when can we tell" asks for of telling a rep behind plan from bad luck.
pub const POWER: f64 = 0.80;

/// A leading indicator a call log shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indicator {
    /// Prospecting hours, estimated from the touches and the scenario's minutes.
    ProspectingHours,
    Touches,
    /// Touches on the call and voicemail channels.
    Dials,
    /// First conversations with a decision maker (at most one per lead).
    Conversations,
    /// First-time appointments set (at most one per lead).
    AppointmentsSet,
    /// First-time appointments held (the meetings export's, by the week held).
    AppointmentsHeld,
    /// Qualified opportunities created (the opportunities export's; the plan's at the
    /// appointment held).
    Opportunities,
    /// Deals won (closed in the week).
    Deals,
}

/// A value of every indicator, in [`Indicator::ALL`] order.
pub type Values = [f64; Indicator::ALL.len()];

impl Indicator {
    /// Every indicator, in output order: effort first, then results.
    pub const ALL: [Indicator; 5] = [
        Indicator::ProspectingHours,
        Indicator::Touches,
        Indicator::Dials,
        Indicator::Conversations,
        Indicator::AppointmentsSet,
    ];

    /// Every indicator the plan's weeks hold: the call log's, then the exports'.
    pub const EVERY: [Indicator; 8] = [
        Indicator::ProspectingHours,
        Indicator::Touches,
        Indicator::Dials,
        Indicator::Conversations,
        Indicator::AppointmentsSet,
        Indicator::AppointmentsHeld,
        Indicator::Opportunities,
        Indicator::Deals,
    ];

    /// The indicator's name in JSON and CSV.
    pub fn name(self) -> &'static str {
        match self {
            Indicator::ProspectingHours => "prospecting_hours",
            Indicator::Touches => "touches",
            Indicator::Dials => "dials",
            Indicator::Conversations => "conversations",
            Indicator::AppointmentsSet => "appointments_set",
            Indicator::AppointmentsHeld => "appointments_held",
            Indicator::Opportunities => "opportunities",
            Indicator::Deals => "deals",
        }
    }

    /// The indicator in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Indicator::ProspectingHours => "prospecting hours",
            Indicator::Touches => "touches",
            Indicator::Dials => "dials",
            Indicator::Conversations => "conversations",
            Indicator::AppointmentsSet => "first-time appointments set",
            Indicator::AppointmentsHeld => "first-time appointments held",
            Indicator::Opportunities => "opportunities",
            Indicator::Deals => "deals won",
        }
    }

    /// Its value in a simulated week.
    fn of(self, week: &Week) -> f64 {
        match self {
            Indicator::ProspectingHours => week.minutes / 60.0,
            Indicator::Touches => f64::from(week.touches),
            Indicator::Dials => f64::from(week.dials),
            Indicator::Conversations => f64::from(week.contacts),
            Indicator::AppointmentsSet => f64::from(week.appointments_set),
            Indicator::AppointmentsHeld => f64::from(week.appointments_held),
            Indicator::Opportunities => f64::from(week.opportunities),
            Indicator::Deals => f64::from(week.deals),
        }
    }
}

/// What a week's actual says against the plan's spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Above the plan's upper tail: at most [`FALSE_ALARM`] of the plan's years do as well.
    Ahead,
    /// At or above the plan's expected value.
    OnPlan,
    /// Below the expected value, as often happens to a rep on plan.
    BehindWithinLuck,
    /// So far below that at most [`FALSE_ALARM`] of the plan's years do as badly.
    BehindBeyondLuck,
}

impl Verdict {
    /// The verdict on `actual` against the plan's years `plan`, whose mean is `expected`. A
    /// year of the plan itself is behind beyond luck (or ahead) at most [`FALSE_ALARM`] of the
    /// time: the plan's own years set the line.
    fn of(actual: f64, expected: f64, plan: &Tally) -> Verdict {
        let share = |count: u64| count as f64 / plan.len() as f64;
        if actual < expected {
            if share(plan.at_most(actual)) <= FALSE_ALARM {
                Verdict::BehindBeyondLuck
            } else {
                Verdict::BehindWithinLuck
            }
        } else if share(plan.at_least(actual)) <= FALSE_ALARM {
            Verdict::Ahead
        } else {
            Verdict::OnPlan
        }
    }

    /// The verdict in a table.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ahead => "ahead",
            Verdict::OnPlan => "on plan",
            Verdict::BehindWithinLuck => "behind, within luck",
            Verdict::BehindBeyondLuck => "BEHIND BEYOND LUCK",
        }
    }
}

/// An actual set against the plan's simulated years.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Judged {
    pub actual: f64,
    /// The mean over the plan's years.
    pub expected: f64,
    pub p10: f64,
    pub p90: f64,
    /// The actual's percentile among the plan's years (ties counted half).
    pub percentile: f64,
    pub verdict: Verdict,
}

impl Judged {
    /// `actual` against the plan's years `plan`.
    fn of(actual: f64, plan: &Tally) -> Judged {
        let n = plan.len() as f64;
        let expected = plan.sum() / n;
        let (at_least, at_most) = (plan.at_least(actual) as f64, plan.at_most(actual) as f64);
        Judged {
            actual,
            expected,
            p10: plan.percentile(0.1),
            p90: plan.percentile(0.9),
            // Below, plus half the ties: (n − at_least) + (at_least + at_most − n) / 2.
            percentile: 100.0 * (n - at_least + at_most) / (2.0 * n),
            verdict: Verdict::of(actual, expected, plan),
        }
    }
}

/// The plan's simulated years, week by week: each indicator's values in the week and to the
/// week's end.
#[derive(Debug, Clone, Default)]
pub struct PlanWeeks {
    weekly: Vec<[Tally; Indicator::EVERY.len()]>,
    to_date: Vec<[Tally; Indicator::EVERY.len()]>,
}

impl PlanWeeks {
    /// Weeks simulated.
    pub fn weeks(&self) -> usize {
        self.weekly.len()
    }

    /// The years' values of `indicator` in week `week` (0-based), or up to its end.
    fn of(&self, week: usize, indicator: Indicator, to_date: bool) -> &Tally {
        let by_week = if to_date { &self.to_date } else { &self.weekly };
        &by_week[week][indicator as usize]
    }

    /// The years' mean of `indicator` up to the end of `week`.
    fn mean_to_date(&self, week: usize, indicator: Indicator) -> f64 {
        let tally = self.of(week, indicator, true);
        tally.sum() / tally.len() as f64
    }
}

impl Accumulate<CalendarOutcome> for PlanWeeks {
    fn with_capacity(_: usize) -> Self {
        PlanWeeks::default()
    }

    fn push(&mut self, outcome: CalendarOutcome) {
        let mut so_far = [0.0; Indicator::EVERY.len()];
        for (w, week) in outcome.weeks.iter().enumerate() {
            if w == self.weekly.len() {
                self.weekly.push(Default::default());
                self.to_date.push(Default::default());
            }
            for (i, indicator) in Indicator::EVERY.into_iter().enumerate() {
                let value = indicator.of(week);
                so_far[i] += value;
                self.weekly[w][i].push(value);
                self.to_date[w][i].push(so_far[i]);
            }
        }
    }

    fn merge(&mut self, other: Self) {
        if self.weekly.is_empty() {
            *self = other;
            return;
        }
        for (mine, theirs) in [
            (&mut self.weekly, other.weekly),
            (&mut self.to_date, other.to_date),
        ] {
            for (week, more) in mine.iter_mut().zip(theirs) {
                for (tally, values) in week.iter_mut().zip(more) {
                    tally.merge(values);
                }
            }
        }
    }
}

/// The plan a check-in holds the team to.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanGiven {
    /// Prospecting hours a week per rep, once ramped up.
    pub hours_per_week: f64,
    /// Where the hours come from.
    pub from: PlanSource,
}

/// Where a check-in's plan comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanSource {
    /// The plan's own search at the scenario's confidence.
    Search,
    /// Hours given (`--hours`).
    Stated,
    /// A plan saved when it was made (`plan --save`).
    Saved,
}

impl PlanSource {
    /// Where the hours come from, in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            PlanSource::Search => "the plan's own search at the scenario's confidence",
            PlanSource::Stated => "stated with --hours",
            PlanSource::Saved => "saved with the plan by `plan --save`",
        }
    }
}

/// The plan's weeks for a check-in: the scenario's calendar at the plan's hours, every week
/// worked (the team's weeks off are left out of the log instead).
pub fn plan_weeks(scenario: &Scenario, hours_per_week: f64) -> Result<PlanWeeks, Refusal> {
    let mut all_worked = scenario.clone();
    all_worked.simulation.weeks_off = 0;
    let hours_per_day = hours_per_week / f64::from(all_worked.simulation.working_days_per_week);
    all_worked.team.prospecting_hours_per_day = hours_per_day;
    let run = Run::prepare(all_worked, Kind::Calendar)?;
    let s = run.scenario();
    let model = CalendarModel::new(s, hours_per_day).recording_weeks();
    Ok(run_replications(
        &model,
        s.simulation.replications,
        s.simulation.seed,
        &(),
    ))
}

/// One week of the check-in, actual against plan.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInWeek {
    /// 1-based week of the log from its start.
    pub week: u32,
    /// The first day of the week (days since 1970-01-01).
    pub first_day: i64,
    /// A week the team took off: nothing is judged.
    pub off: bool,
    /// `None` in a week off, or for a rep with no plan of their own.
    pub judged: Option<[Judged; Indicator::ALL.len()]>,
    /// The week's actuals, judged or not.
    pub actual: Values,
}

/// A rate of the funnel, actual against plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RateCheck {
    pub name: &'static str,
    pub actual: f64,
    /// The 95% Wilson interval of the actual.
    pub ci95: [f64; 2],
    /// The plan's ratio of expected counts to date.
    pub plan: f64,
    pub successes: u64,
    pub trials: u64,
}

impl RateCheck {
    fn new(name: &'static str, successes: f64, trials: f64, plan: f64) -> RateCheck {
        let (successes, trials) = (successes as u64, trials as u64);
        RateCheck {
            name,
            actual: if trials > 0 {
                successes as f64 / trials as f64
            } else {
                f64::NAN
            },
            ci95: wilson_95(successes, trials),
            plan,
            successes,
            trials,
        }
    }

    /// Whether the interval lies wholly below the plan's rate.
    pub fn below_plan(&self) -> bool {
        self.ci95[1] < self.plan
    }
}

/// A part of the shortfall in appointments, with its interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Part {
    /// Appointments (negative: fewer than plan).
    pub appointments: f64,
    pub ci95: [f64; 2],
}

/// The gap between appointments set and the plan's expected, to date, split in two: effort
/// (the touches made against the plan's, at the plan's appointments per touch) and yield (the
/// appointments per touch of the touches made against the plan's).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Shortfall {
    /// Appointments set less the plan's expected: effort plus yield.
    pub gap: f64,
    /// `ci95`: the effort part at the plan's P90 and P10 touches to date, the range luck
    /// alone gives the plan's own touches.
    pub effort: Part,
    /// `ci95`: from the Wilson interval of the appointments per touch.
    #[serde(rename = "yield")]
    pub yield_part: Part,
    /// The funnel's rates to date, actual against plan: where the yield went.
    pub rates: Vec<RateCheck>,
}

/// How long it takes to tell a rep short of plan from bad luck: the first week by whose end
/// [`POWER`] of the years of a rep at `share` of the plan are called behind beyond luck.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WhenToTell {
    /// A rep at this share of the plan (e.g. 0.7).
    pub share: f64,
    /// Working `share` of the plan's hours: the week their touches, and their appointments
    /// set, are told apart (`None`: not within the horizon).
    pub fewer_hours: Told,
    /// Working the plan's hours at `share` of its appointments per conversation: the week
    /// their appointments set are told apart.
    pub lower_yield: Option<u32>,
}

/// The weeks (1-based) by which a shortfall in effort shows in each indicator.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Told {
    pub touches: Option<u32>,
    pub appointments_set: Option<u32>,
}

/// The indicators a check-in reads from the exports (`--meetings`, `--deals`), each judged
/// week by week and to date.
#[derive(Debug, Clone, PartialEq)]
pub struct Lagging {
    /// In [`Indicator::EVERY`] order.
    pub indicators: Vec<Indicator>,
    /// Each week's, in `indicators` order (`None`: a week off).
    pub weeks: Vec<Option<Vec<Judged>>>,
    pub to_date: Vec<Judged>,
}

impl Lagging {
    /// `indicator` to date, judged, when an export shows it.
    pub fn to_date_of(&self, indicator: Indicator) -> Option<&Judged> {
        let at = self.indicators.iter().position(|&i| i == indicator)?;
        Some(&self.to_date[at])
    }

    /// Each export's weekly counts (`series`: an indicator and its count in each log week)
    /// against the plan's weeks, `plan_weeks[w]` the plan's week of log week w (`None`: a
    /// week off); `None` without any.
    fn judged(
        plan: &PlanWeeks,
        series: Vec<(Indicator, Vec<f64>)>,
        plan_weeks: &[Option<usize>],
    ) -> Option<Lagging> {
        if series.is_empty() {
            return None;
        }
        let last = plan_weeks.iter().flatten().last().copied().unwrap_or(0);
        let judged_week = |w: usize, week: usize, to_date: bool| {
            series
                .iter()
                .map(|(indicator, counts)| {
                    let actual = if to_date {
                        counts[..=w].iter().sum()
                    } else {
                        counts[w]
                    };
                    Judged::of(actual, plan.of(week, *indicator, to_date))
                })
                .collect()
        };
        let weeks = plan_weeks
            .iter()
            .enumerate()
            .map(|(w, week)| week.map(|week| judged_week(w, week, false)))
            .collect();
        Some(Lagging {
            indicators: series.iter().map(|&(indicator, _)| indicator).collect(),
            weeks,
            to_date: judged_week(plan_weeks.len().saturating_sub(1), last, true),
        })
    }
}

/// Revenue won to date against the plan's, the gap split exactly into the number of deals and
/// their size. The plan's deal size is one number (`funnel.deal_size`, or the segments'
/// average), so revenue is compared, not judged: the plan has no spread of deal sizes to set a
/// real one against.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RevenueCheck {
    pub actual: f64,
    /// The plan's expected deals to date × its deal size.
    pub expected: f64,
    pub plan_deal_size: f64,
    /// (deals won − the plan's expected deals) × the plan's deal size.
    pub from_deals: f64,
    /// Revenue won − deals won × the plan's deal size.
    pub from_deal_size: f64,
}

impl RevenueCheck {
    /// The export's revenue won against `deals` (the lagging deals to date) at
    /// `plan_deal_size`.
    fn of(pipeline: &PipelineAt, deals: &Judged, plan_deal_size: f64) -> RevenueCheck {
        let actual = pipeline.revenue_won;
        RevenueCheck {
            actual,
            expected: deals.expected * plan_deal_size,
            plan_deal_size,
            from_deals: (deals.actual - deals.expected) * plan_deal_size,
            from_deal_size: actual - deals.actual * plan_deal_size,
        }
    }
}

/// One rep's check-in, week by week and to date.
#[derive(Debug, Clone, PartialEq)]
pub struct RepCheck {
    pub name: String,
    /// Each week, judged against one rep's plan when there is one.
    pub weeks: Vec<CheckInWeek>,
    pub to_date: Values,
    /// Against one rep's plan: `None` for a team of unlike members.
    pub judged: Option<[Judged; Indicator::ALL.len()]>,
}

/// One rep's share of a team of alike reps: the scenario for one of them, with the
/// territory's accounts and refill split evenly.
fn one_rep(scenario: &Scenario) -> Scenario {
    let mut one = scenario.clone();
    let reps = u64::from(scenario.team.reps.max(1));
    one.team.reps = 1;
    one.leads.count = scenario.leads.count.div_ceil(reps);
    one.leads.refill_per_month = scenario.leads.refill_per_month.div_ceil(reps);
    one
}

/// The check-in: the team's weeks against the plan, verdicts to date, the shortfall and when
/// to tell.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckIn {
    pub plan: PlanGiven,
    pub dates: CheckInDates,
    pub weeks: Vec<CheckInWeek>,
    /// Each indicator to the end of the last week judged.
    pub to_date: [Judged; Indicator::ALL.len()],
    pub shortfall: Shortfall,
    pub when_to_tell: WhenToTell,
    /// Each rep's totals to date (a log with reps), judged against one rep's share of the plan
    /// when the team's reps are alike (`team.reps`, no `[[team.members]]`).
    pub reps: Vec<RepCheck>,
    /// What the exports show at the check-in.
    pub exports: Exports,
    /// The indicators from the exports, when any is given: each week judged (`None` in a
    /// week off), and to date.
    pub lagging: Option<Lagging>,
    /// Revenue won to date against the plan's, when the export is given.
    pub revenue: Option<RevenueCheck>,
    /// The re-forecast from where the team stands, or why there is none (a scenario without
    /// a goal).
    pub forecast: Result<Forecast, String>,
    /// The plan's years to the end of each of its weeks, over the horizon: each indicator's
    /// (P10, median, P90), in [`Indicator::EVERY`] order.
    pub plan_to_date: Vec<[(f64, f64, f64); Indicator::EVERY.len()]>,
}

/// What the exports show at a check-in: the opportunities export (`--deals`) and the
/// meetings export (`--meetings`), each when given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exports {
    pub pipeline: Option<PipelineAt>,
    pub meetings: Option<HeldAt>,
}

impl Exports {
    /// Each indicator the exports show, in [`Indicator::EVERY`] order, with its count in each
    /// log week.
    fn series(&self) -> Vec<(Indicator, Vec<f64>)> {
        let mut series = Vec::new();
        if let Some(held) = &self.meetings {
            series.push((Indicator::AppointmentsHeld, held.by_week.clone()));
        }
        if let Some(p) = &self.pipeline {
            for (n, indicator) in [Indicator::Opportunities, Indicator::Deals]
                .into_iter()
                .enumerate()
            {
                series.push((indicator, p.by_week.iter().map(|w| w[n]).collect()));
            }
        }
        series
    }
}

/// Sets the team's `activity` against `plan` (`plan_weeks` at its hours): each week judged,
/// the totals to date, the shortfall; and, from the plan's scenario, when a rep at `share` of
/// it would be told apart.
pub fn check_in(
    scenario: &Scenario,
    plan: PlanGiven,
    activity: &Activity,
    exports: &Exports,
    share: f64,
) -> Result<CheckIn, Refusal> {
    let pipeline = exports.pipeline.as_ref();
    let plan_weeks = plan_weeks(scenario, plan.hours_per_week)?;
    let worked = activity.worked_weeks();
    if worked > plan_weeks.weeks() {
        return Err(Refusal(format!(
            "the check-in covers {worked} worked weeks, more than the scenario's {} \
             (simulation.weeks): set simulation.weeks to the plan's whole horizon",
            plan_weeks.weeks()
        )));
    }
    let plan_week_of = activity.dates.plan_weeks(activity.weeks.len());
    let weeks = judged_weeks(Some(&plan_weeks), &activity.weeks, &activity.dates);
    let to_date = summed(&activity.weeks);
    let last = worked - 1;
    let totals = Indicator::ALL.map(|indicator| {
        Judged::of(
            to_date[indicator as usize],
            plan_weeks.of(last, indicator, true),
        )
    });
    let shortfall = shortfall(&plan_weeks, last, &to_date);
    let when_to_tell = when_to_tell(scenario, &plan, &plan_weeks, share)?;
    let reps = rep_checks(scenario, &plan, activity, &plan_weeks, last)?;
    let lagging = Lagging::judged(&plan_weeks, exports.series(), &plan_week_of);
    let forecast = match Target::of(scenario) {
        Err(why) => Err(why.to_string()),
        Ok(target) => {
            let standing = standing(scenario, activity, &to_date, pipeline);
            let outlook = Outlook::new(scenario, &target, &standing, prior(&plan_weeks))?;
            Ok(outlook.forecast(plan.hours_per_week))
        }
    };
    Ok(CheckIn {
        plan,
        dates: activity.dates.clone(),
        weeks,
        to_date: totals,
        shortfall,
        when_to_tell,
        exports: exports.clone(),
        revenue: pipeline
            .zip(
                lagging
                    .as_ref()
                    .and_then(|l| l.to_date_of(Indicator::Deals)),
            )
            .map(|(p, deals)| RevenueCheck::of(p, deals, expected_deal_size(scenario))),
        lagging,
        forecast,
        reps,
        plan_to_date: (0..plan_weeks.weeks())
            .map(|w| {
                Indicator::EVERY.map(|indicator| {
                    let tally = plan_weeks.of(w, indicator, true);
                    (
                        tally.percentile(0.1),
                        tally.percentile(0.5),
                        tally.percentile(0.9),
                    )
                })
            })
            .collect(),
    })
}

/// Each of `weeks` (the log's, from the start of `dates`) against the plan's week it falls in,
/// when there is a plan (`plan`).
fn judged_weeks(
    plan: Option<&PlanWeeks>,
    weeks: &[Values],
    dates: &CheckInDates,
) -> Vec<CheckInWeek> {
    weeks
        .iter()
        .zip(dates.plan_weeks(weeks.len()))
        .zip(1..)
        .map(|((actual, plan_week), week)| CheckInWeek {
            week,
            first_day: dates.start + 7 * i64::from(week - 1),
            off: plan_week.is_none(),
            judged: plan.zip(plan_week).map(|(plan, w)| {
                Indicator::ALL.map(|i| Judged::of(actual[i as usize], plan.of(w, i, false)))
            }),
            actual: *actual,
        })
        .collect()
}

/// Each rep of `activity` week by week and to the end of plan week `last`, against one rep's
/// plan (the team's own, for a team of one).
fn rep_checks(
    scenario: &Scenario,
    plan: &PlanGiven,
    activity: &Activity,
    team: &PlanWeeks,
    last: usize,
) -> Result<Vec<RepCheck>, Refusal> {
    let alike = scenario.team.members.is_empty();
    let own;
    let rep_plan = match (alike, scenario.team.reps) {
        (false, _) => None,
        (true, 1) => Some(team),
        (true, _) if activity.reps.is_empty() => None,
        (true, _) => {
            own = plan_weeks(&one_rep(scenario), plan.hours_per_week)?;
            Some(&own)
        }
    };
    Ok(activity
        .reps
        .iter()
        .map(|rep| {
            let to_date = summed(&rep.weeks);
            RepCheck {
                name: rep.name.clone(),
                weeks: judged_weeks(rep_plan, &rep.weeks, &activity.dates),
                to_date,
                judged: rep_plan.map(|weeks| {
                    Indicator::ALL.map(|i| Judged::of(to_date[i as usize], weeks.of(last, i, true)))
                }),
            }
        })
        .collect())
}

/// Where the team stands at the end of the weeks judged, `to_date` its totals, with the
/// opportunities export's `pipeline` when there is one: then only the appointments set too
/// recently to have been held are still pending, the rest being in the export.
pub fn standing(
    scenario: &Scenario,
    activity: &Activity,
    to_date: &Values,
    pipeline: Option<&PipelineAt>,
) -> Standing {
    let reps = f64::from(scenario.team.reps.max(1));
    let check_in_day = 7 * activity.weeks.len() as u32;
    let lag = scenario.funnel.appointment_lag_days;
    Standing {
        check_in_day,
        weeks_off_taken: activity.dates.weeks_off.len() as u32,
        minutes_by_week: activity
            .weeks
            .iter()
            .map(|week| week[Indicator::ProspectingHours as usize] * 60.0 / reps)
            .collect(),
        touches: to_date[Indicator::Touches as usize],
        conversations: to_date[Indicator::Conversations as usize],
        appointments: to_date[Indicator::AppointmentsSet as usize],
        pending_appointments: activity
            .appointment_days
            .iter()
            .copied()
            .filter(|&day| pipeline.is_none() || f64::from(day) + lag > f64::from(check_in_day))
            .collect(),
        open_opportunities: pipeline.map(|p| p.open_created.clone()).unwrap_or_default(),
        deals_won: pipeline.map_or(0, |p| p.won),
    }
}

/// The weight of the plan's rates: its expected evidence over its first [`PRIOR_WEEKS`] weeks.
pub fn prior(plan: &PlanWeeks) -> Prior {
    let week = PRIOR_WEEKS.min(plan.weeks()) - 1;
    Prior {
        touches: plan.mean_to_date(week, Indicator::Touches),
        conversations: plan.mean_to_date(week, Indicator::Conversations),
    }
}

/// The shortfall in appointments to the end of plan week `last`, given the actuals to date.
fn shortfall(plan: &PlanWeeks, last: usize, actual: &Values) -> Shortfall {
    let mean = |indicator| plan.mean_to_date(last, indicator);
    let get = |indicator: Indicator| actual[indicator as usize];
    let (touches, appointments) = (get(Indicator::Touches), get(Indicator::AppointmentsSet));
    let plan_touches = mean(Indicator::Touches);
    let per_touch = mean(Indicator::AppointmentsSet) / plan_touches;
    let touches_band = plan.of(last, Indicator::Touches, true);
    let effort = |made: f64| (touches - made) * per_touch;
    let [lo, hi] = wilson_95(appointments as u64, touches as u64);
    let conversations = get(Indicator::Conversations);
    Shortfall {
        gap: appointments - mean(Indicator::AppointmentsSet),
        effort: Part {
            appointments: effort(plan_touches),
            ci95: [
                effort(touches_band.percentile(0.9)),
                effort(touches_band.percentile(0.1)),
            ],
        },
        yield_part: Part {
            appointments: appointments - touches * per_touch,
            ci95: [touches * (lo - per_touch), touches * (hi - per_touch)],
        },
        rates: vec![
            RateCheck::new(
                "conversations_per_touch",
                conversations,
                touches,
                mean(Indicator::Conversations) / plan_touches,
            ),
            RateCheck::new(
                "appointments_per_conversation",
                appointments,
                conversations,
                mean(Indicator::AppointmentsSet) / mean(Indicator::Conversations),
            ),
        ],
    }
}

/// When a rep at `share` of the plan is told apart from bad luck: simulated at `share` of its
/// hours, and at its hours with `share` of its appointment rate, against `plan`'s years.
pub fn when_to_tell(
    scenario: &Scenario,
    given: &PlanGiven,
    plan: &PlanWeeks,
    share: f64,
) -> Result<WhenToTell, Refusal> {
    let short = plan_weeks(scenario, given.hours_per_week * share)?;
    let mut lower = scenario.clone();
    lower.funnel.appointment_rate *= share;
    for segment in &mut lower.leads.segments {
        if let Some(rate) = segment
            .funnel
            .as_mut()
            .and_then(|funnel| funnel.appointment_rate.as_mut())
        {
            *rate *= share;
        }
    }
    let weak = plan_weeks(&lower, given.hours_per_week)?;
    Ok(WhenToTell {
        share,
        fewer_hours: Told {
            touches: first_told(plan, &short, Indicator::Touches),
            appointments_set: first_told(plan, &short, Indicator::AppointmentsSet),
        },
        lower_yield: first_told(plan, &weak, Indicator::AppointmentsSet),
    })
}

/// The first week (1-based) by whose end at least [`POWER`] of the years of `short` are behind
/// beyond luck on `indicator` to date, against `plan`'s years.
fn first_told(plan: &PlanWeeks, short: &PlanWeeks, indicator: Indicator) -> Option<u32> {
    (0..plan.weeks().min(short.weeks()))
        .find(|&w| told_share(plan, short, w, indicator) >= POWER)
        .map(|w| w as u32 + 1)
}

/// The share of the years of `short` behind beyond luck on `indicator` to the end of week `w`.
pub fn told_share(plan: &PlanWeeks, short: &PlanWeeks, w: usize, indicator: Indicator) -> f64 {
    let plan = plan.of(w, indicator, true);
    let expected = plan.sum() / plan.len() as f64;
    let short = short.of(w, indicator, true);
    short
        .values()
        .filter(|&(value, _)| Verdict::of(value, expected, plan) == Verdict::BehindBeyondLuck)
        .map(|(_, count)| count)
        .sum::<u64>() as f64
        / short.len() as f64
}
