//! What prospecting costs and earns (`[costs]`): each replication's cost, split into its
//! parts, set against its revenue. Every part is a price times a count the run already keeps,
//! so a replication's total is the sum of its parts by construction.
//!
//! A cohort is charged for the time its touches take, at the rep's loaded cost per working
//! minute (the year's cost over the working year's minutes); a calendar is charged every rep's
//! whole horizon, prospecting or not, since a hire is paid for the weeks, not the dials.

use serde::Serialize;

use crate::engine::{CalendarModel, CalendarSamples, CashPrices, Payback};
use crate::scenario::{Costs, Scenario};
use crate::stats::{Metric, Sample, Samples, Summary};

/// Weeks in a year, for the horizon's share of a yearly cost.
const WEEKS_PER_YEAR: f64 = 52.0;

/// A replication's cost, part by part.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct CostParts {
    /// Reps' loaded cost and their tools' seats: the minutes worked (cohort) or the whole
    /// horizon (calendar).
    pub people: f64,
    /// Leads started, at the price per lead.
    pub leads: f64,
    /// Commission: a rate on revenue, and per appointment held and per opportunity.
    pub commission: f64,
}

impl CostParts {
    /// The whole cost: the sum of the parts.
    pub fn total(&self) -> f64 {
        self.people + self.leads + self.commission
    }

    fn add(&mut self, other: &CostParts) {
        self.people += other.people;
        self.leads += other.leads;
        self.commission += other.commission;
    }

    fn scaled(self, by: f64) -> CostParts {
        CostParts {
            people: self.people * by,
            leads: self.leads * by,
            commission: self.commission * by,
        }
    }
}

/// The prices of a run: what its people cost per minute worked or in all, and per count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prices {
    /// People's cost per prospecting minute (cohorts) or over the horizon (calendars).
    people: People,
    /// One rep's loaded cost and tools for a year: what a seat costs while filled.
    per_rep_year: f64,
    costs: Costs,
    pub charge: Charge,
}

/// How a run's people are charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charge {
    /// For the minutes worked, at the loaded cost per working minute (a cohort).
    MinutesWorked,
    /// For every rep's whole horizon (a calendar).
    WholeHorizon,
}

impl Charge {
    /// How people are charged, in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Charge::MinutesWorked => {
                "for the minutes worked, at the loaded cost per working minute"
            }
            Charge::WholeHorizon => "for the whole horizon",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum People {
    PerMinute(f64),
    Horizon(f64),
}

impl Prices {
    /// The prices of `scenario`, people charged by `charge`; `None` when its `[costs]` are all
    /// zero.
    pub fn of(scenario: &Scenario, charge: Charge) -> Option<Prices> {
        let costs = scenario.costs;
        if costs.is_empty() {
            return None;
        }
        let sim = &scenario.simulation;
        let per_rep_year = costs.rep_per_year + costs.tools_per_rep_per_year;
        let people = match charge {
            Charge::MinutesWorked => {
                let working_weeks = f64::from(sim.weeks - sim.weeks_off);
                let minutes = scenario.team.workday_hours
                    * 60.0
                    * f64::from(sim.working_days_per_week)
                    * working_weeks
                    * WEEKS_PER_YEAR
                    / f64::from(sim.weeks);
                People::PerMinute(per_rep_year / minutes)
            }
            Charge::WholeHorizon => {
                let team = &scenario.team;
                let reps = if team.members.is_empty() {
                    team.reps as usize
                } else {
                    team.members.len()
                };
                People::Horizon(reps as f64 * per_rep_year * f64::from(sim.weeks) / WEEKS_PER_YEAR)
            }
        };
        Some(Prices {
            people,
            per_rep_year,
            costs,
            charge,
        })
    }

    /// The prices of a calendar's events, money in and out week by week: the same prices as
    /// [`Prices::parts`], so that the weeks add up to the replication's margin.
    fn cash(&self) -> CashPrices {
        let c = &self.costs;
        CashPrices {
            seat_week: self.per_rep_year / WEEKS_PER_YEAR,
            per_lead: c.per_lead,
            per_appointment_held: c.per_appointment_held,
            per_opportunity: c.per_opportunity,
            commission_rate: c.commission_rate,
        }
    }

    /// The cost of one replication whose metrics are `metric`, part by part. A calendar
    /// whose seats turn over (`[people]`) pays for the `staffed_weeks` its seats were filled
    /// instead of every rep's whole horizon.
    pub fn parts(&self, metric: impl Fn(Metric) -> f64, staffed_weeks: Option<f64>) -> CostParts {
        let c = &self.costs;
        CostParts {
            people: match (self.people, staffed_weeks) {
                (People::PerMinute(price), _) => price * 60.0 * metric(Metric::ProspectingHours),
                (People::Horizon(_), Some(weeks)) => self.per_rep_year * weeks / WEEKS_PER_YEAR,
                (People::Horizon(cost), None) => cost,
            },
            leads: c.per_lead * metric(Metric::Leads),
            commission: c.commission_rate * metric(Metric::Revenue)
                + c.per_appointment_held * metric(Metric::AppointmentsHeld)
                + c.per_opportunity * metric(Metric::Opportunities),
        }
    }
}

/// `model` of `scenario`, its replications keeping their money by week when the scenario has
/// `[costs]`, for the week each pays back.
pub fn priced_calendar(model: CalendarModel, scenario: &Scenario) -> CalendarModel {
    match Prices::of(scenario, Charge::WholeHorizon) {
        Some(prices) => model.priced(prices.cash()),
        None => model,
    }
}

/// A goal stated as one rep's income for the year: base pay plus commission on revenue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IncomeGoal {
    pub income: f64,
    pub base_salary: f64,
    pub commission_rate: f64,
    /// The revenue whose commission, with the base, earns the income: the goal a plan reaches.
    pub revenue: f64,
}

impl IncomeGoal {
    /// The revenue one rep of `scenario` must win to earn `income` in the year: (income −
    /// `costs.base_salary`) / `costs.commission_rate`. Reaching the income with a confidence is
    /// reaching that revenue with it, exactly. Refused when commission is not only a rate on
    /// revenue, or the base alone earns the income.
    pub fn of(scenario: &Scenario, income: f64) -> Result<IncomeGoal, String> {
        let c = &scenario.costs;
        let team = &scenario.team;
        if team.reps != 1 || !team.members.is_empty() {
            return Err(format!(
                "--income {income}: an income is one rep's; the scenario has a team (plan one \
                 rep with --set team.reps=1)"
            ));
        }
        if c.per_appointment_held > 0.0 || c.per_opportunity > 0.0 {
            return Err(format!(
                "--income {income}: an income goal is planned from commission on revenue only; \
                 costs.per_appointment_held and costs.per_opportunity are not counted yet (set \
                 them to 0, or plan the revenue with --revenue)"
            ));
        }
        if c.commission_rate <= 0.0 {
            return Err(format!(
                "--income {income}: no commission to earn it from: set costs.commission_rate, \
                 e.g. --set costs.commission_rate=0.1 (and costs.base_salary)"
            ));
        }
        if !(income > c.base_salary && income.is_finite()) {
            return Err(format!(
                "--income {income}: the base pay (costs.base_salary = {}) already earns it, or \
                 it is not a number: give an income above the base",
                c.base_salary
            ));
        }
        Ok(IncomeGoal {
            income,
            base_salary: c.base_salary,
            commission_rate: c.commission_rate,
            revenue: (income - c.base_salary) / c.commission_rate,
        })
    }
}

/// A variant's gross margin less the baseline's, replication by replication on the same
/// random numbers: the mean with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MarginDifference {
    pub mean: f64,
    pub ci95: [f64; 2],
}

/// The money of a run's replications.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Money {
    /// How people were charged.
    #[serde(skip)]
    pub charge: Charge,
    /// Total cost per replication.
    pub cost: Summary,
    /// Each part's mean.
    pub parts: CostParts,
    pub revenue: Summary,
    /// Revenue less cost.
    pub gross_margin: Summary,
    /// The share of replications whose revenue does not cover their cost.
    pub loss_chance: f64,
    /// Mean margin over mean cost (none when nothing costs anything).
    pub return_on_cost: Option<f64>,
    /// Mean cost over the mean count of each result (none where no replication has one).
    pub per_conversation: Option<f64>,
    pub per_appointment_held: Option<f64>,
    pub per_opportunity: Option<f64>,
    pub per_deal: Option<f64>,
    /// When the cumulative margin turns for good, for a calendar run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payback: Option<PaybackSummary>,
    /// Each replication's cost, part by part, and its gross margin, in replication order.
    #[serde(skip)]
    pub by_replication: Vec<(CostParts, f64)>,
}

/// When the replications' cumulative margins turn for good (revenue at each deal's close, less
/// commission, the seats' weeks and the prices per lead, appointment held and opportunity, as
/// they fall due): the months to pay back the team, ramp and turnover counted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PaybackSummary {
    /// The share of replications whose margin is at or above 0 at the horizon's end.
    pub within_horizon: f64,
    /// Months (of 52/12 weeks) from the start to the end of the week the margin turns, at
    /// the 10th, 50th and 90th percentile of replications; `None` past the horizon.
    pub months: [Option<f64>; 3],
}

impl PaybackSummary {
    /// The summary of `paybacks`, one per replication.
    fn of(paybacks: &[Payback]) -> PaybackSummary {
        let mut weeks: Vec<f64> = paybacks
            .iter()
            .map(|p| match p {
                Payback::Week(w) => f64::from(*w),
                Payback::NotWithinHorizon => f64::INFINITY,
            })
            .collect();
        weeks.sort_by(f64::total_cmp);
        let n = weeks.len().max(1);
        let paid = weeks.iter().filter(|w| w.is_finite()).count();
        // The smallest week that at least a share q of replications have paid back by.
        let at = |q: f64| {
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
            weeks
                .get(rank)
                .filter(|w| w.is_finite())
                .map(|w| w * 12.0 / WEEKS_PER_YEAR)
        };
        PaybackSummary {
            within_horizon: paid as f64 / n as f64,
            months: [at(0.1), at(0.5), at(0.9)],
        }
    }
}

impl Money {
    /// This run's gross margin less `baseline`'s, replication by replication (both runs on
    /// the same seeds and replications).
    pub fn margin_over(&self, baseline: &Money) -> MarginDifference {
        let paired: Sample = self
            .by_replication
            .iter()
            .zip(&baseline.by_replication)
            .map(|((_, margin), (_, base))| margin - base)
            .collect();
        let summary = paired.summary();
        MarginDifference {
            mean: summary.mean,
            ci95: summary.mean_ci95,
        }
    }

    /// The money of a cohort's `samples` at `prices`.
    pub fn of(samples: &Samples, prices: &Prices) -> Money {
        Money::priced(samples, prices, None)
    }

    /// The money of a calendar's replications `runs` at `prices`: its people paid for the weeks
    /// the seats were filled when they turn over, and its payback when the model was
    /// [`priced_calendar`].
    pub fn of_calendar(runs: &CalendarSamples, prices: &Prices) -> Money {
        let staffed_weeks = runs.staffed_weeks();
        Money {
            payback: (!runs.payback.is_empty()).then(|| PaybackSummary::of(&runs.payback)),
            ..Money::priced(&runs.samples, prices, staffed_weeks.as_deref())
        }
    }

    /// The money of `samples` at `prices`; `staffed_weeks`, per replication, when a
    /// calendar's seats turn over.
    fn priced(samples: &Samples, prices: &Prices, staffed_weeks: Option<&[f64]>) -> Money {
        let n = samples.len();
        let mut cost = Sample::with_capacity(n);
        let mut margin = Sample::with_capacity(n);
        let mut parts = CostParts::default();
        let mut by_replication = Vec::with_capacity(n);
        let revenue = samples.get(Metric::Revenue);
        for r in 0..n {
            let these = prices.parts(
                |m: Metric| samples.get(m).values()[r],
                staffed_weeks.map(|weeks| weeks[r]),
            );
            parts.add(&these);
            cost.push(these.total());
            let margin_r = revenue.values()[r] - these.total();
            margin.push(margin_r);
            by_replication.push((these, margin_r));
        }
        let mean_cost = cost.moments().mean();
        let per = |m: Metric| {
            let mean = samples.get(m).moments().mean();
            (mean > 0.0).then(|| mean_cost / mean)
        };
        let losses = margin.values().iter().filter(|&&m| m < 0.0).count();
        Money {
            parts: parts.scaled(1.0 / n as f64),
            revenue: revenue.summary(),
            gross_margin: margin.summary(),
            loss_chance: losses as f64 / n as f64,
            return_on_cost: (mean_cost > 0.0).then(|| margin.moments().mean() / mean_cost),
            per_conversation: per(Metric::Contacts),
            per_appointment_held: per(Metric::AppointmentsHeld),
            per_opportunity: per(Metric::Opportunities),
            per_deal: per(Metric::Deals),
            cost: cost.summary(),
            by_replication,
            charge: prices.charge,
            payback: None,
        }
    }
}
