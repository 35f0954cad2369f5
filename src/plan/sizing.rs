//! Sizing an inbound (or mixed) team for its lead flow: the fewest reps, then the fewest
//! prospecting hours a day, that keep every promise of `[service]` and reach the year's
//! `[goal]` in at least the goal's share of simulated years.
//!
//! Hours cannot make inbound leads arrive faster, so a plan of hours alone is no answer; what
//! a leader sets is the team's size and how long it dials. Every candidate runs on the same
//! random numbers (the scenario's seed): the leads that arrive are the same, and a larger team
//! or longer hours can only serve them sooner. The search screens candidates on the first
//! [`SCREEN_YEARS`] years, then runs the answer on every year and steps up (a quarter hour a
//! day, then a rep) until the whole run keeps the promises at the confidence.

use serde::Serialize;

use super::Target;
use super::reps::{RepPlan, rep_plans};
use crate::engine::{CalendarModel, CalendarSamples, Progress, run_replications};
use crate::scenario::Scenario;
use crate::stats::{Metric, Sorted};

/// Years a candidate is screened on before the answer runs on all of them.
const SCREEN_YEARS: u64 = 250;
/// The most reps a sizing tries: a larger team is sized by splitting its flow.
pub const MAX_SIZED_REPS: u32 = 128;
/// The step of the hours a day searched: a quarter hour.
const HOURS_STEP: f64 = 0.25;

/// One promise and how the answer keeps it (`promises` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromiseKept {
    /// `penetration`, `called_within`, `backlog` or `goal`.
    pub promise: &'static str,
    /// The minutes of `called_within`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<f64>,
    /// The bound a year must reach: at least it, or for `backlog` at most it.
    pub bound: f64,
    pub at_most: bool,
    /// The year's value at the answer: P10, P50, P90 over the simulated years.
    pub p10_50_90: [f64; 3],
    /// The share of years that keep this promise.
    pub chance: f64,
}

/// A team size and what it gives over the simulated years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamSize {
    pub reps: u32,
    /// Prospecting hours a day of each rep who does not state their own.
    pub hours_per_day: f64,
    /// The share of years that keep every promise at once.
    pub chance: f64,
    pub promises: Vec<PromiseKept>,
    /// Each rep's KPI card at this size.
    pub rep_cards: Vec<RepPlan>,
}

/// One candidate the search simulated (`tried` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Candidate {
    pub reps: u32,
    pub hours_per_day: f64,
    pub years: u64,
    pub chance: f64,
}

/// The search's answer and every candidate it simulated, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizing {
    /// The team that keeps the promises at the confidence, or when none within the most reps
    /// and hours does, the largest tried.
    pub team: TeamSize,
    pub kept: bool,
    /// The goal and the confidence the promises are kept at.
    pub target: Target,
    /// The most reps the search could try.
    pub most_reps: u32,
    /// Whether the reps are fixed by `[[team.members]]`, so only the hours were searched.
    pub members_fixed: bool,
    pub tried: Vec<Candidate>,
}

/// The promises of `scenario`'s `[service]` and its goal, each a bound on one value per year.
struct Promises<'a> {
    scenario: &'a Scenario,
    target: &'a Target,
}

impl Promises<'_> {
    /// Each promise's values over the years of `runs`, with its name, minutes, bound and
    /// whether the bound is a most.
    fn values(&self, runs: &CalendarSamples) -> Vec<PromiseValues> {
        let service = &self.scenario.service;
        let mut all = Vec::new();
        if let Some(least) = service.penetration {
            let values = runs.samples.get(Metric::Penetration).values().to_vec();
            all.push(PromiseValues::new(
                "penetration",
                None,
                least,
                false,
                values,
            ));
        }
        if let (Some(minutes), Some(share)) =
            (service.called_within_minutes, service.called_within_share)
        {
            let values = runs.called_within(minutes);
            all.push(PromiseValues::new(
                "called_within",
                Some(minutes),
                share,
                false,
                values,
            ));
        }
        if let Some(most) = service.backlog {
            let values = runs.backlog.values().to_vec();
            all.push(PromiseValues::new("backlog", None, most, true, values));
        }
        let deals = runs.samples.get(Metric::Deals).values().to_vec();
        all.push(PromiseValues::new(
            "goal",
            None,
            self.target.deals.ceil(),
            false,
            deals,
        ));
        all
    }

    /// The share of the years of `runs` that keep every promise at once.
    fn chance(&self, runs: &CalendarSamples) -> f64 {
        let promises = self.values(runs);
        let years = promises[0].values.len();
        let kept = (0..years)
            .filter(|&y| promises.iter().all(|p| p.kept(p.values[y])))
            .count();
        kept as f64 / years.max(1) as f64
    }
}

/// One promise's values over the years.
struct PromiseValues {
    promise: &'static str,
    minutes: Option<f64>,
    bound: f64,
    at_most: bool,
    values: Vec<f64>,
}

impl PromiseValues {
    fn new(
        promise: &'static str,
        minutes: Option<f64>,
        bound: f64,
        at_most: bool,
        values: Vec<f64>,
    ) -> Self {
        PromiseValues {
            promise,
            minutes,
            bound,
            at_most,
            values,
        }
    }

    fn kept(&self, value: f64) -> bool {
        if self.at_most {
            value <= self.bound
        } else {
            value >= self.bound
        }
    }

    fn summary(self) -> PromiseKept {
        let kept = self.values.iter().filter(|&&v| self.kept(v)).count();
        let years = self.values.len().max(1) as f64;
        let sorted = Sorted::new(self.values);
        PromiseKept {
            promise: self.promise,
            minutes: self.minutes,
            bound: self.bound,
            at_most: self.at_most,
            p10_50_90: [0.1, 0.5, 0.9].map(|q| sorted.percentile(q)),
            chance: kept as f64 / years,
        }
    }
}

/// The search: the scenario, its promises and what it has simulated.
struct Search<'a> {
    scenario: &'a Scenario,
    promises: Promises<'a>,
    progress: &'a dyn Progress,
    tried: Vec<Candidate>,
}

impl Search<'_> {
    /// The model of `reps` reps at `hours_per_day` (members keep their own).
    fn model(&self, reps: u32, hours_per_day: f64) -> CalendarModel {
        let mut scenario = self.scenario.clone();
        if scenario.team.members.is_empty() {
            scenario.team.reps = reps;
        }
        CalendarModel::new(&scenario, hours_per_day)
    }

    /// Simulates `years` years of `reps` reps at `hours_per_day`.
    fn simulate(&mut self, reps: u32, hours_per_day: f64, years: u64) -> CalendarSamples {
        let model = self.model(reps, hours_per_day);
        let seed = self.scenario.simulation.seed;
        let runs: CalendarSamples = run_replications(&model, years, seed, self.progress);
        self.tried.push(Candidate {
            reps,
            hours_per_day,
            years,
            chance: self.promises.chance(&runs),
        });
        runs
    }

    /// Whether `reps` reps at `hours_per_day` keep the promises on the screening years.
    fn screens(&mut self, reps: u32, hours_per_day: f64, years: u64) -> bool {
        self.simulate(reps, hours_per_day, years);
        self.tried.last().map_or(0.0, |c| c.chance) >= self.promises.target.confidence
    }

    /// The fewest of `low..=high` for which `keeps` holds, given that it holds at `high`
    /// (and, the search assumes, at every value above the fewest).
    fn fewest(low: u32, high: u32, mut keeps: impl FnMut(u32) -> bool) -> u32 {
        let (mut low, mut high) = (low, high);
        while low < high {
            let mid = low + (high - low) / 2;
            if keeps(mid) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        high
    }
}

/// Sizes the team of `scenario` for its inbound flow (see the module's notes), trying at most
/// `most_reps` reps (at most [`MAX_SIZED_REPS`]), telling `progress` of every year simulated.
pub fn size_team(
    scenario: &Scenario,
    target: &Target,
    most_reps: u32,
    progress: &dyn Progress,
) -> Sizing {
    let sim = &scenario.simulation;
    let team = &scenario.team;
    let mut search = Search {
        scenario,
        promises: Promises { scenario, target },
        progress,
        tried: Vec::new(),
    };
    let screen = sim.replications.min(SCREEN_YEARS);
    let confidence = target.confidence;
    let members_fixed = !team.members.is_empty();
    // The most hours a day the search asks of a rep: the team's stated hours when it can add
    // reps instead, the working day when its members are fixed; quarter hours below.
    let most_hours = if members_fixed {
        team.workday_hours
    } else {
        team.prospecting_hours_per_day
    };
    let most_steps = (most_hours / HOURS_STEP).floor().max(1.0) as u32;
    let hours = |steps: u32| f64::from(steps) * HOURS_STEP;
    let mut reps = team.reps;
    let mut steps = most_steps;
    let mut reached = true;
    if !members_fixed {
        // Double the team until it keeps the promises at full hours, then halve the gap.
        let (mut low, mut high) = (1, 1);
        reached = loop {
            if search.screens(high, hours(most_steps), screen) {
                break true;
            }
            if high == most_reps {
                break false;
            }
            low = high + 1;
            high = (high * 2).min(most_reps);
        };
        reps = if reached {
            Search::fewest(low, high, |n| search.screens(n, hours(most_steps), screen))
        } else {
            most_reps
        };
    }
    if reached {
        steps = Search::fewest(1, most_steps, |k| search.screens(reps, hours(k), screen));
    }
    // The answer on every year; a step up while the whole run falls short.
    loop {
        let runs = search.simulate(reps, hours(steps), sim.replications);
        let chance = search.promises.chance(&runs);
        let at_most = reps >= most_reps || members_fixed;
        if chance >= confidence || (at_most && steps >= most_steps) {
            let model = search.model(reps, hours(steps));
            let team = TeamSize {
                reps,
                hours_per_day: hours(steps),
                chance,
                promises: search
                    .promises
                    .values(&runs)
                    .into_iter()
                    .map(PromiseValues::summary)
                    .collect(),
                rep_cards: rep_plans(scenario, &model, &runs, target),
            };
            return Sizing {
                team,
                kept: chance >= confidence,
                target: *target,
                most_reps,
                members_fixed,
                tried: search.tried,
            };
        }
        if steps < most_steps {
            steps += 1;
        } else {
            reps += 1;
        }
    }
}
