//! `sweep`: a grid of scenario values, every point run on the same random numbers.
//!
//! The grid's parts ([`Axis`], [`Grid`], [`Measure`]) are scenario data, read and checked with
//! the scenario's `[sweep]` (see [`crate::scenario`]); this module runs them.

mod tornado;

pub use crate::scenario::{Axis, Grid, MIN_SWING, Measure, SweepRun};
pub use tornado::{Lever, Reading, Side, SideReading, Tornado, TornadoRow, levers};

use rayon::prelude::*;

use crate::plan::AtConfidence;
use crate::runs;
use crate::stats::{Metric, Samples};

/// What a point reports by default: deals, or for a plan the hours it requires.
pub fn default_measure(run: SweepRun) -> Measure {
    match run {
        SweepRun::Plan => Measure::RequiredHours,
        SweepRun::Cohort | SweepRun::Calendar => Measure::Metric(Metric::Deals),
    }
}

// What a measure reads from a point is the sweep's to say: the scenario layer knows no outcomes.
impl Measure {
    /// The measure at one point: a metric's mean, or the hours a plan requires (`None` when
    /// no hours reach the goal, or when the point's run does not report the measure).
    pub fn of(self, outcome: &PointResult) -> Option<f64> {
        match (self, outcome) {
            (Measure::Metric(m), PointResult::Simulated(samples)) => {
                Some(samples.get(m).moments().mean())
            }
            (Measure::RequiredHours, PointResult::Planned(plan)) => plan.required_hours(),
            _ => None,
        }
    }
}

/// What one point found.
#[derive(Debug, Clone)]
pub enum PointResult {
    /// A cohort's or a calendar's replications.
    Simulated(Samples),
    Planned(PlanPoint),
}

/// A plan at one point: the steady-state hours and the answer at confidence.
#[derive(Debug, Clone)]
pub struct PlanPoint {
    /// Prospecting hours per rep-week of the steady-state reverse funnel (no ramp, no lag).
    pub expected_hours_per_week: f64,
    pub answer: AtConfidence,
    /// The point's reps, for figures per rep.
    pub reps: u32,
    /// The most prospecting hours a rep's working week holds (the search's ceiling).
    pub max_hours_per_week: f64,
}

/// The figures a plan point reports, in the order its CSV columns and table list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanFigure {
    RequiredHoursPerWeek,
    MaxHoursPerWeek,
    ProbabilityOfGoal,
    ExpectedHoursPerWeek,
    AppointmentsSetPerWeekRamped,
    AppointmentsHeldPerWeekRamped,
    LeadsPerWeek,
    ContactsPerWeek,
    DialsPerWorkingDay,
    DealsP10,
    DealsP50,
    DealsP90,
}

impl PlanFigure {
    /// Every figure, in output order.
    pub const ALL: [PlanFigure; 12] = [
        PlanFigure::RequiredHoursPerWeek,
        PlanFigure::MaxHoursPerWeek,
        PlanFigure::ProbabilityOfGoal,
        PlanFigure::ExpectedHoursPerWeek,
        PlanFigure::AppointmentsSetPerWeekRamped,
        PlanFigure::AppointmentsHeldPerWeekRamped,
        PlanFigure::LeadsPerWeek,
        PlanFigure::ContactsPerWeek,
        PlanFigure::DialsPerWorkingDay,
        PlanFigure::DealsP10,
        PlanFigure::DealsP50,
        PlanFigure::DealsP90,
    ];

    /// The figure's name in CSV headers and JSON keys.
    pub fn name(self) -> &'static str {
        match self {
            PlanFigure::RequiredHoursPerWeek => "required_hours_per_week",
            PlanFigure::MaxHoursPerWeek => "max_hours_per_week",
            PlanFigure::ProbabilityOfGoal => "probability_of_goal",
            PlanFigure::ExpectedHoursPerWeek => "expected_hours_per_week",
            PlanFigure::AppointmentsSetPerWeekRamped => "appointments_set_per_week_ramped",
            PlanFigure::AppointmentsHeldPerWeekRamped => "appointments_held_per_week_ramped",
            PlanFigure::LeadsPerWeek => "leads_per_week",
            PlanFigure::ContactsPerWeek => "contacts_per_week",
            PlanFigure::DialsPerWorkingDay => "dials_per_working_day",
            PlanFigure::DealsP10 => "deals_p10",
            PlanFigure::DealsP50 => "deals_p50",
            PlanFigure::DealsP90 => "deals_p90",
        }
    }
}

impl PlanPoint {
    /// Prospecting hours per rep-week that reach the goal at its confidence; `None` when even
    /// the whole working week does not.
    pub fn required_hours(&self) -> Option<f64> {
        match &self.answer {
            AtConfidence::Plan(plan) => Some(plan.hours_per_week),
            AtConfidence::Unreachable(_) => None,
        }
    }

    /// One of the plan's weekly figures per rep: the hours required and what they bring (`None`
    /// where no hours reach the goal; the chance of the goal is then the chance at the most
    /// hours a working week holds).
    pub fn figure(&self, figure: PlanFigure) -> Option<f64> {
        let per_rep = |x: f64| x / f64::from(self.reps);
        match &self.answer {
            AtConfidence::Plan(p) => Some(match figure {
                PlanFigure::RequiredHoursPerWeek => p.hours_per_week,
                PlanFigure::MaxHoursPerWeek => self.max_hours_per_week,
                PlanFigure::ProbabilityOfGoal => p.probability,
                PlanFigure::ExpectedHoursPerWeek => self.expected_hours_per_week,
                PlanFigure::AppointmentsSetPerWeekRamped => {
                    per_rep(p.appointments_set_per_week_ramped)
                }
                PlanFigure::AppointmentsHeldPerWeekRamped => {
                    per_rep(p.appointments_held_per_week_ramped)
                }
                PlanFigure::LeadsPerWeek => per_rep(p.leads_per_week),
                PlanFigure::ContactsPerWeek => per_rep(p.contacts_per_week),
                PlanFigure::DialsPerWorkingDay => per_rep(p.dials_per_working_day),
                PlanFigure::DealsP10 => p.deals[0],
                PlanFigure::DealsP50 => p.deals[1],
                PlanFigure::DealsP90 => p.deals[2],
            }),
            AtConfidence::Unreachable(short) => match figure {
                PlanFigure::MaxHoursPerWeek => Some(short.max_hours_per_week),
                PlanFigure::ProbabilityOfGoal => Some(short.probability_at_max),
                PlanFigure::ExpectedHoursPerWeek => Some(self.expected_hours_per_week),
                PlanFigure::RequiredHoursPerWeek
                | PlanFigure::AppointmentsSetPerWeekRamped
                | PlanFigure::AppointmentsHeldPerWeekRamped
                | PlanFigure::LeadsPerWeek
                | PlanFigure::ContactsPerWeek
                | PlanFigure::DialsPerWorkingDay
                | PlanFigure::DealsP10
                | PlanFigure::DealsP50
                | PlanFigure::DealsP90 => None,
            },
        }
    }
}

/// Runs every point in parallel, each on the same random numbers (its scenario's seed: common
/// random numbers, as in compare), so the differences between points are the parameters', not
/// luck. `done` is called as each point finishes. Results are in point order whatever the
/// number of threads.
pub fn run_points(points: &[runs::Run], done: impl Fn() + Sync) -> Vec<PointResult> {
    points
        .par_iter()
        .map(|point| {
            let s = point.scenario();
            let outcome = match point.run() {
                runs::Outcome::Cohort(samples) => PointResult::Simulated(samples),
                runs::Outcome::Calendar(_, runs) => PointResult::Simulated(runs.samples),
                runs::Outcome::Plan(start, answer, _) => PointResult::Planned(PlanPoint {
                    expected_hours_per_week: start.expected_hours_per_week,
                    answer,
                    reps: s.team.reps,
                    max_hours_per_week: s.team.workday_hours
                        * f64::from(s.simulation.working_days_per_week),
                }),
                runs::Outcome::Sizing(_) | runs::Outcome::Blitz(_) => {
                    unreachable!("a sweep's points are cohorts, calendars or plans")
                }
            };
            done();
            outcome
        })
        .collect()
}
