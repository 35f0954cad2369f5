//! `sweep`: a grid of scenario values, every point run on the same random numbers.
//!
//! The grid's parts ([`Axis`], [`Grid`], [`Measure`]) are scenario data, read and checked with
//! the scenario's `[sweep]` (see [`crate::scenario`]); this module runs them.

mod tornado;

pub use crate::scenario::{Axis, Grid, MIN_SWING, Measure, Run};
pub use tornado::{Lever, Reading, Side, SideReading, Tornado, TornadoRow, levers};

use rayon::prelude::*;

use crate::engine::{CalendarModel, CohortModel, simulate_calendar, simulate_cohort};
use crate::plan::{AtConfidence, Target, at_confidence};
use crate::scenario::Scenario;
use crate::stats::{Metric, Samples};

/// What a point reports by default: deals, or for a plan the hours it requires.
pub fn default_measure(run: Run) -> Measure {
    match run {
        Run::Plan => Measure::RequiredHours,
        Run::Cohort | Run::Calendar => Measure::Metric(Metric::Deals),
    }
}

// What a measure reads from a point is the sweep's to say: the scenario layer knows no outcomes.
impl Measure {
    /// The measure at one point: a metric's mean, or the hours a plan requires (`None` when
    /// no hours reach the goal, or when the point's run does not report the measure).
    pub fn of(self, outcome: &Outcome) -> Option<f64> {
        match (self, outcome) {
            (Measure::Metric(m), Outcome::Simulated(samples)) => {
                Some(samples.get(m).moments().mean())
            }
            (Measure::RequiredHours, Outcome::Planned(plan)) => plan.required_hours(),
            _ => None,
        }
    }
}

/// One point ready to run: its scenario and what to run on it.
#[derive(Debug, Clone)]
pub struct Point {
    pub scenario: Scenario,
    pub job: Job,
}

/// What a point runs; a plan carries its goal and the expected hours its search starts from.
#[derive(Debug, Clone)]
pub enum Job {
    Cohort,
    Calendar,
    Plan {
        target: Target,
        expected_hours_per_week: f64,
    },
}

/// What one point found.
#[derive(Debug, Clone)]
pub enum Outcome {
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

/// The names of a plan point's [`PlanPoint::figures`], in order.
pub const PLAN_FIGURES: [&str; 12] = [
    "required_hours_per_week",
    "max_hours_per_week",
    "probability_of_goal",
    "expected_hours_per_week",
    "appointments_set_per_week_ramped",
    "appointments_held_per_week_ramped",
    "leads_per_week",
    "contacts_per_week",
    "dials_per_working_day",
    "deals_p10",
    "deals_p50",
    "deals_p90",
];

impl PlanPoint {
    /// Prospecting hours per rep-week that reach the goal at its confidence; `None` when even
    /// the whole working week does not.
    pub fn required_hours(&self) -> Option<f64> {
        match &self.answer {
            AtConfidence::Plan(plan) => Some(plan.hours_per_week),
            AtConfidence::Unreachable(_) => None,
        }
    }

    /// The plan's weekly figures per rep, named by [`PLAN_FIGURES`]: the hours required and
    /// what they bring (`None` where no hours reach the goal; the chance of the goal is then
    /// the chance at the most hours a working week holds).
    pub fn figures(&self) -> [Option<f64>; PLAN_FIGURES.len()] {
        let reps = f64::from(self.reps);
        match &self.answer {
            AtConfidence::Plan(p) => [
                p.hours_per_week,
                self.max_hours_per_week,
                p.probability,
                self.expected_hours_per_week,
                p.appointments_set_per_week_ramped / reps,
                p.appointments_held_per_week_ramped / reps,
                p.leads_per_week / reps,
                p.contacts_per_week / reps,
                p.dials_per_working_day / reps,
                p.deals[0],
                p.deals[1],
                p.deals[2],
            ]
            .map(Some),
            AtConfidence::Unreachable(short) => {
                let mut figures = [None; PLAN_FIGURES.len()];
                figures[1] = Some(short.max_hours_per_week);
                figures[2] = Some(short.probability_at_max);
                figures[3] = Some(self.expected_hours_per_week);
                figures
            }
        }
    }
}

/// Runs every point in parallel, each on the same random numbers (its scenario's seed: common
/// random numbers, as in compare), so the differences between points are the parameters', not
/// luck. `done` is called as each point finishes. Results are in point order whatever the
/// number of threads.
pub fn run_points(points: &[Point], done: impl Fn() + Sync) -> Vec<Outcome> {
    points
        .par_iter()
        .map(|Point { scenario: s, job }| {
            let (replications, seed) = (s.simulation.replications, s.simulation.seed);
            let outcome = match job {
                Job::Cohort => {
                    Outcome::Simulated(simulate_cohort(&CohortModel::new(s), replications, seed))
                }
                Job::Calendar => {
                    let model = CalendarModel::new(s, s.team.prospecting_hours_per_day);
                    Outcome::Simulated(simulate_calendar(&model, replications, seed).samples)
                }
                Job::Plan {
                    target,
                    expected_hours_per_week,
                } => Outcome::Planned(PlanPoint {
                    expected_hours_per_week: *expected_hours_per_week,
                    answer: at_confidence(s, target, *expected_hours_per_week).0,
                    reps: s.team.reps,
                    max_hours_per_week: s.team.workday_hours
                        * f64::from(s.simulation.working_days_per_week),
                }),
            };
            done();
            outcome
        })
        .collect()
}
