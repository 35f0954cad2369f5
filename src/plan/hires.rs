//! "Hire one or two?": the team as it is and with one more rep, at the same weekly hours, on
//! the same seeds: the chance of the goal, the deals and what each costs and earns, and what
//! the extra rep adds, year by year.

use serde::Serialize;

use super::{PlanError, Target, p10_50_90};
use crate::engine::{CalendarModel, CalendarSamples, PeopleSummary, Progress, run_replications};
use crate::money::{Charge, Money, Prices, priced_calendar};
use crate::scenario::Scenario;
use crate::stats::{Metric, Sample, Summary};

/// The team as it is against the team with one more rep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HireChoice {
    /// The weekly prospecting hours per rep both teams work.
    pub hours_per_week: f64,
    /// The team as it is, then with one more rep.
    pub options: [HireOption; 2],
    /// The larger team's deals less the smaller's, year by year on the same seeds.
    pub extra_deals: Summary,
    /// The larger team's gross margin less the smaller's, year by year, with `[costs]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_margin: Option<Summary>,
    /// The share of years in which the extra rep's margin is above 0: the rep pays for
    /// themselves within the horizon, ramp and turnover counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pays_for_itself: Option<f64>,
}

/// One team size at the plan's hours.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HireOption {
    pub reps: u32,
    /// The share of simulated years that reach the goal.
    pub probability_of_goal: f64,
    /// Deals in the year: P10, P50, P90.
    pub deals: [f64; 3],
    /// What turnover did to the seats, with `[people]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people: Option<PeopleSummary>,
    /// What the year costs and earns, with `[costs]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub money: Option<Money>,
}

impl HireOption {
    /// The option whose simulated years of `model` (built from `scenario`) are `runs`.
    fn of(
        scenario: &Scenario,
        target: &Target,
        model: &CalendarModel,
        runs: &CalendarSamples,
    ) -> Self {
        HireOption {
            reps: scenario.team.reps,
            probability_of_goal: target.share_reached(runs),
            deals: p10_50_90(runs, Metric::Deals),
            people: runs.people(model),
            money: Prices::of(scenario, Charge::WholeHorizon)
                .map(|prices| Money::of_calendar(runs, &prices)),
        }
    }
}

/// Whether one more hire can be weighed for `scenario`: its team is `team.reps` identical reps.
pub fn weighable(scenario: &Scenario) -> Result<(), PlanError> {
    match scenario.team.members.is_empty() {
        true => Ok(()),
        false => Err(PlanError::Impossible(
            "one more hire is weighed for a team of team.reps identical reps; this team has \
             [[team.members]]: add the new rep as a member and compare the two scenarios"
                .into(),
        )),
    }
}

/// "Hire one or two?" for a team of `team.reps` identical reps: every simulated year at
/// `hours_per_week` per rep, and the same years (the same seeds) with one more rep sharing the
/// team's leads, rules and turnover.
pub fn one_more_hire(
    scenario: &Scenario,
    target: &Target,
    hours_per_week: f64,
    progress: &dyn Progress,
) -> Result<HireChoice, PlanError> {
    weighable(scenario)?;
    let sim = &scenario.simulation;
    let hours_per_day = hours_per_week / f64::from(sim.working_days_per_week);
    let [smaller, larger] = [scenario.team.reps, scenario.team.reps + 1].map(|reps| {
        let mut sized = scenario.clone();
        sized.team.reps = reps;
        let model = priced_calendar(CalendarModel::new(&sized, hours_per_day), &sized);
        let runs: CalendarSamples = run_replications(&model, sim.replications, sim.seed, progress);
        let option = HireOption::of(&sized, target, &model, &runs);
        (option, runs)
    });
    let deals = |runs: &CalendarSamples| runs.samples.get(Metric::Deals).values().to_vec();
    let margins = |option: &HireOption| {
        option
            .money
            .as_ref()
            .map(|m| m.by_replication.iter().map(|(_, margin)| *margin).collect())
    };
    let extra_deals = year_by_year(&deals(&larger.1), &deals(&smaller.1));
    let extra_margin = margins(&larger.0)
        .zip(margins(&smaller.0))
        .map(|(l, s): (Vec<f64>, Vec<f64>)| year_by_year(&l, &s));
    Ok(HireChoice {
        hours_per_week,
        extra_deals: extra_deals.summary(),
        pays_for_itself: extra_margin.as_ref().map(|m| {
            m.values().iter().filter(|&&x| x > 0.0).count() as f64 / m.values().len().max(1) as f64
        }),
        extra_margin: extra_margin.map(|m| m.summary()),
        options: [smaller.0, larger.0],
    })
}

/// `larger` less `smaller`, replication by replication.
fn year_by_year(larger: &[f64], smaller: &[f64]) -> Sample {
    larger.iter().zip(smaller).map(|(l, s)| l - s).collect()
}
