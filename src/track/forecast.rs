//! The re-forecast at a check-in: the chance of the year's goal from where the team stands,
//! and the hours a week that get it back to the plan's confidence.
//!
//! The year is simulated again from its first day with the weeks already worked at the minutes
//! the team really worked, and from the check-in at the hours asked (the ramp still to come
//! included), with the rates the log so far has updated; only the deals from conversations from
//! the check-in on count. The deals the past can still bring come from the team's own pipeline
//! instead: each appointment set not yet resolved, and each open opportunity, brings a deal
//! with its chance under the scenario's funnel and sales cycle, independently of the rest.
//!
//! Rates are updated by Beta–binomial conjugacy: the plan's rate is a prior worth
//! [`PRIOR_WEEKS`] weeks of the plan's own expected evidence, and every replication draws its
//! rates from the posterior (the `[uncertainty]` machinery, with the posterior's 95% interval).

use statrs::distribution::{Beta, ContinuousCDF, Normal};

use crate::engine::{Accumulate, CalendarModel, CalendarOutcome, Drawn, run_replications};
use crate::plan::Target;
use crate::runs::{Kind, Refusal, Run};
use crate::scenario::{Interval, Scenario, Uncertain};

/// The plan's rates weigh as much as this many weeks of the evidence the plan itself expects
/// from its first day (no published figure: a quarter's worth, so a quarter of real activity
/// counts as much as the plan).
pub const PRIOR_WEEKS: usize = 13;

/// Precision of the hours needed from now on, a week.
pub const HOURS_STEP: f64 = 0.25;

/// Where the team stands at the check-in.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// Days of the plan's year gone by (whole weeks: the check-in is at a week's end).
    pub check_in_day: u32,
    /// Weeks of the team's own weeks off already taken.
    pub weeks_off_taken: u32,
    /// Prospecting minutes each rep worked in each week gone by.
    pub minutes_by_week: Vec<f64>,
    /// Touches, first conversations and first-time appointments set so far.
    pub touches: f64,
    pub conversations: f64,
    pub appointments: f64,
    /// Days of the year (from its first) on which appointments still unresolved were set.
    pub pending_appointments: Vec<u32>,
    /// Days of the year on which each open opportunity was created.
    pub open_opportunities: Vec<u32>,
    /// Deals won so far.
    pub deals_won: u32,
}

/// The plan's expected evidence over its first [`PRIOR_WEEKS`] weeks, the prior's weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prior {
    pub touches: f64,
    pub conversations: f64,
}

/// A rate the log updated.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UpdatedRate {
    pub name: &'static str,
    /// The plan's rate, the prior's mean.
    pub plan: f64,
    /// The prior's weight, in trials.
    pub prior_trials: f64,
    pub successes: f64,
    pub trials: f64,
    /// The posterior's mean, and its 95% interval.
    pub updated: f64,
    pub ci95: [f64; 2],
}

impl UpdatedRate {
    fn new(name: &'static str, plan: f64, prior_trials: f64, successes: f64, trials: f64) -> Self {
        let (a, b) = (
            plan * prior_trials + successes,
            (1.0 - plan) * prior_trials + trials - successes,
        );
        let posterior = Beta::new(a, b).expect("positive shapes");
        UpdatedRate {
            name,
            plan,
            prior_trials,
            successes,
            trials,
            updated: a / (a + b),
            ci95: [posterior.inverse_cdf(0.025), posterior.inverse_cdf(0.975)],
        }
    }
}

/// The re-forecast.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Forecast {
    /// The chance of the goal at the plan's hours from now on.
    pub probability_of_goal: f64,
    pub goal_deals: f64,
    pub deals_won: u32,
    /// Deals the team's pipeline is expected to bring inside the year.
    pub pipeline_deals: f64,
    /// Deals expected from conversations from now on, at the plan's hours.
    pub future_deals: f64,
    pub weeks_left: u32,
    /// The fewest hours a week per rep from now on (to [`HOURS_STEP`]) that reach the plan's
    /// confidence; `None` when no hours within the working week do.
    pub required_prospecting_hours_per_week: Option<f64>,
    /// The chance of the goal at those hours.
    pub probability_at_required: Option<f64>,
    /// First-time appointments a week per rep expected from now on at those hours.
    pub required_appointments_set_per_week: Option<f64>,
    pub rates: Vec<UpdatedRate>,
}

/// Each replication's deals from conversations from the check-in on, and its appointments set
/// from it.
#[derive(Debug, Clone, Default)]
struct FutureYears(Vec<(u32, f64)>);

impl Accumulate<CalendarOutcome> for FutureYears {
    fn with_capacity(replications: usize) -> Self {
        FutureYears(Vec::with_capacity(replications))
    }

    fn push(&mut self, outcome: CalendarOutcome) {
        self.0.push((
            outcome.deals_from_check_in,
            f64::from(outcome.appointments_from_check_in),
        ));
    }

    fn merge(&mut self, other: Self) {
        self.0.extend(other.0);
    }
}

/// The chance a won deal's sales cycle is shorter than `days`, as the calendar draws it.
fn cycle_cdf(scenario: &Scenario, days: f64) -> f64 {
    let cycle = scenario.funnel.sales_cycle_days;
    if days <= 0.0 {
        return 0.0;
    }
    let sigma = (cycle.p90.ln() - cycle.median.ln()) / 1.281_551_565_5;
    Normal::standard().cdf((days.ln() - cycle.median.ln()) / sigma)
}

/// The chance of each deal the pipeline may bring inside a year of `horizon` days.
fn pipeline_chances(scenario: &Scenario, standing: &Standing, horizon: f64) -> Vec<f64> {
    let f = &scenario.funnel;
    let check_in = f64::from(standing.check_in_day);
    let appointments = standing.pending_appointments.iter().map(|&day| {
        let held = f64::from(day) + f.appointment_lag_days;
        if held >= horizon {
            0.0
        } else {
            f.show_rate * f.opportunity_rate * f.win_rate * cycle_cdf(scenario, horizon - held)
        }
    });
    // An open opportunity is still undecided: lost ones are taken to take as long to decide
    // as won ones, so it is won at the win rate, its cycle longer than its age.
    let open = standing.open_opportunities.iter().map(|&day| {
        let age = check_in - f64::from(day);
        let decided = cycle_cdf(scenario, age);
        if decided >= 1.0 {
            0.0
        } else {
            f.win_rate * (cycle_cdf(scenario, horizon - f64::from(day)) - decided) / (1.0 - decided)
        }
    });
    appointments.chain(open).collect()
}

/// `at_least[k]`: the chance that independent events of chances `chances` bring at least k.
fn at_least(chances: &[f64]) -> Vec<f64> {
    let mut exactly = vec![1.0];
    for &p in chances {
        let mut next = vec![0.0; exactly.len() + 1];
        for (k, &q) in exactly.iter().enumerate() {
            next[k] += q * (1.0 - p);
            next[k + 1] += q * p;
        }
        exactly = next;
    }
    let mut tail = vec![0.0; exactly.len() + 1];
    for k in (0..exactly.len()).rev() {
        tail[k] = tail[k + 1] + exactly[k];
    }
    tail
}

/// The scenario the rest of the year is simulated on: every week worked (the weeks off still to
/// come are spread as fewer hours), its rates those of `rates`, drawn from their posterior.
fn updated(scenario: &Scenario, contact: &UpdatedRate, booking: &UpdatedRate) -> Scenario {
    let mut s = scenario.clone();
    s.simulation.weeks_off = 0;
    let scale = |x: f64| (x / contact.plan).clamp(0.0, 1.0);
    let mean = s.leads.reachability.mean;
    let reach = |rate: f64| (mean * scale(rate)).clamp(1e-6, 1.0 - 1e-6);
    s.leads.reachability.mean = reach(contact.updated);
    s.funnel.appointment_rate = booking.updated;
    let intervals = &mut s.uncertainty.intervals;
    intervals.insert(
        Uncertain::Mean.key(),
        Interval {
            lo: reach(contact.ci95[0]),
            hi: reach(contact.ci95[1]),
        },
    );
    intervals.insert(
        Uncertain::AppointmentRate.key(),
        Interval {
            lo: booking.ci95[0],
            hi: booking.ci95[1],
        },
    );
    s
}

/// The rest of a year from a check-in, ready to simulate at any hours from now on.
pub struct Outlook<'a> {
    /// The scenario with its rates updated and drawn from their posterior.
    rest: Scenario,
    standing: &'a Standing,
    /// `pipeline[k]`: the chance the pipeline brings at least k deals.
    pipeline: Vec<f64>,
    /// Deals still needed for the goal, those won aside.
    needed: f64,
    confidence: f64,
    weeks_left: u32,
    /// Of the weeks left, the share not off.
    worked_share: f64,
    contact: UpdatedRate,
    booking: UpdatedRate,
}

impl<'a> Outlook<'a> {
    /// The rest of `scenario`'s year for goal `target` from `standing`, its rates updated
    /// with `prior`'s weight on the plan's.
    pub fn new(
        scenario: &Scenario,
        target: &Target,
        standing: &'a Standing,
        prior: Prior,
    ) -> Result<Outlook<'a>, Refusal> {
        if !scenario.people.is_empty() {
            return Err(Refusal(
                "[people]: a check-in knows who is on the team, and its re-forecast does not \
                 draw who leaves next yet: remove [people] (or set its shares to 0) to track"
                    .into(),
            ));
        }
        let contact = UpdatedRate::new(
            "conversations_per_touch",
            prior.conversations / prior.touches,
            prior.touches,
            standing.conversations,
            standing.touches,
        );
        let booking = UpdatedRate::new(
            "appointments_per_conversation",
            scenario.funnel.appointment_rate,
            prior.conversations,
            standing.appointments,
            standing.conversations,
        );
        let rest = Run::prepare(updated(scenario, &contact, &booking), Kind::Calendar)?
            .scenario()
            .clone();
        let weeks = rest.simulation.weeks;
        let weeks_left = weeks.saturating_sub(standing.check_in_day / 7);
        if weeks_left == 0 {
            return Err(Refusal(format!(
                "the check-in is at the year's end (simulation.weeks = {weeks}): nothing is \
                 left to forecast"
            )));
        }
        let off_left = scenario
            .simulation
            .weeks_off
            .saturating_sub(standing.weeks_off_taken)
            .min(weeks_left);
        let pipeline = at_least(&pipeline_chances(&rest, standing, f64::from(weeks * 7)));
        Ok(Outlook {
            rest,
            standing,
            pipeline,
            needed: target.deals - f64::from(standing.deals_won),
            confidence: target.confidence,
            weeks_left,
            worked_share: f64::from(weeks_left - off_left) / f64::from(weeks_left),
            contact,
            booking,
        })
    }

    /// The year's replications at `hours_per_week` per rep from now on.
    fn years_at(&self, hours_per_week: f64) -> FutureYears {
        let s = &self.rest;
        let working_days = f64::from(s.simulation.working_days_per_week);
        // The weeks off still to come are spread as fewer hours over the weeks left.
        let hours_per_day = hours_per_week * self.worked_share / working_days;
        let model = Drawn::new(s, |drawn: &Scenario| {
            CalendarModel::new(drawn, hours_per_day).resuming(
                self.standing.check_in_day,
                self.standing.minutes_by_week.clone(),
            )
        });
        run_replications(&model, s.simulation.replications, s.simulation.seed, &())
    }

    /// The chance of the goal over `years`: each replication's deals from now on, with the
    /// pipeline's.
    fn chance(&self, years: &FutureYears) -> f64 {
        years
            .0
            .iter()
            .map(|&(deals, _)| {
                let short = (self.needed - f64::from(deals)).ceil();
                if short <= 0.0 {
                    1.0
                } else {
                    self.pipeline.get(short as usize).copied().unwrap_or(0.0)
                }
            })
            .sum::<f64>()
            / years.0.len() as f64
    }

    /// The chance of the goal at `hours_per_week` per rep from now on.
    pub fn chance_at(&self, hours_per_week: f64) -> f64 {
        self.chance(&self.years_at(hours_per_week))
    }

    /// The re-forecast at the plan's `hours_per_week` from now on, and the fewest hours that
    /// reach the plan's confidence.
    pub fn forecast(self, hours_per_week: f64) -> Forecast {
        let at_plan = self.years_at(hours_per_week);
        let mean = |years: &FutureYears, of: fn(&(u32, f64)) -> f64| {
            years.0.iter().map(of).sum::<f64>() / years.0.len() as f64
        };
        // Deals rise with the hours in every replication, so the chance does too: a bisection
        // over steps of hours finds the fewest that reach the confidence.
        let s = &self.rest;
        let working_days = f64::from(s.simulation.working_days_per_week);
        let most = (s.team.workday_hours * working_days / HOURS_STEP).floor() as u32;
        let top = self.years_at(f64::from(most) * HOURS_STEP);
        let required = (self.chance(&top) >= self.confidence).then(|| {
            let (mut lo, mut hi, mut best) = (0, most, top);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                let years = self.years_at(f64::from(mid) * HOURS_STEP);
                if self.chance(&years) >= self.confidence {
                    (hi, best) = (mid, years);
                } else {
                    lo = mid;
                }
            }
            (f64::from(hi) * HOURS_STEP, best)
        });
        let worked_weeks_left = self.weeks_left as f64 * self.worked_share;
        let per_rep_week = worked_weeks_left.max(1.0) * f64::from(s.team.reps.max(1));
        Forecast {
            probability_of_goal: self.chance(&at_plan),
            goal_deals: self.needed + f64::from(self.standing.deals_won),
            deals_won: self.standing.deals_won,
            pipeline_deals: self.pipeline[1..].iter().sum(),
            future_deals: mean(&at_plan, |&(d, _)| f64::from(d)),
            weeks_left: self.weeks_left,
            required_prospecting_hours_per_week: required.as_ref().map(|(h, _)| *h),
            probability_at_required: required.as_ref().map(|(_, years)| self.chance(years)),
            required_appointments_set_per_week: required
                .as_ref()
                .map(|(_, years)| mean(years, |&(_, a)| a) / per_rep_week),
            rates: vec![self.contact, self.booking],
        }
    }
}
