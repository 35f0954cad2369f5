//! `plan`: from an annual goal back to the weekly work that reaches it.
//!
//! Two answers. The **expected** plan is the steady-state reverse funnel, exact from the closed
//! forms: deals → opportunities → appointments held → set → conversations → leads → touches →
//! prospecting hours, with no lag and no ramp. The plan **at confidence** is the smallest
//! full-productivity prospecting time whose simulated calendar (ramp, weeks off, the sales
//! cycle's lag and plain luck) reaches the goal with at least the stated probability. Every
//! candidate is simulated on the same random numbers, so the chance of reaching the goal rises
//! with the hours and a bracketing search settles in about ten simulations. With an
//! `[uncertainty]` table, [`at_confidence_drawn`] searches again with the numbers not known
//! exactly drawn for every replication, on the same luck.

mod hires;
mod reps;
mod saved;
mod sizing;
mod thresholds;

pub use hires::{HireChoice, HireOption, one_more_hire, weighable};
pub use reps::{ChannelTouches, RepPlan};
pub use saved::{SAVED_PLAN_FORMAT, SavedPlan, SavedPlanError, differences};
pub use sizing::{Candidate, MAX_SIZED_REPS, PromiseKept, Sizing, TeamSize, size_team};
pub use thresholds::ChanceAt;
use thresholds::Thresholds;

use crate::engine::{
    CalendarModel, CalendarSamples, LeadModel, PeopleSummary, Progress, WorkCalendar,
    drawn_calendar, run_at_hours, run_replications,
};
use crate::money::{Charge, Money, Prices, priced_calendar};
use crate::scenario::{Channel, Scenario};
use crate::stats::{Metric, Timeline, WeeklySeries};

/// What a plan must reach.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// Deals a year (for a revenue goal: the revenue ÷ deal size, rounded up).
    pub deals: f64,
    /// The revenue goal, when the goal was stated as revenue.
    pub revenue: Option<f64>,
    /// Required chance of reaching it.
    pub confidence: f64,
}

impl Target {
    /// The scenario's goal.
    pub fn of(scenario: &Scenario) -> Result<Target, PlanError> {
        let goal = &scenario.goal;
        let deals = match (goal.deals, goal.revenue) {
            // Deals come whole: a goal of 2.5 deals needs 3.
            (Some(deals), _) => deals.ceil(),
            (None, Some(revenue)) => {
                let deal_size = expected_deal_size(scenario);
                if deal_size <= 0.0 {
                    return Err(PlanError::Impossible(
                        "a revenue goal needs funnel.deal_size above 0".into(),
                    ));
                }
                // Rounded up, but not past a whole number that rounding error nudged.
                (revenue / deal_size * (1.0 - 1e-12)).ceil()
            }
            (None, None) => unreachable!("validation requires goal.deals or goal.revenue"),
        };
        Ok(Target {
            deals,
            revenue: goal.revenue,
            confidence: goal.confidence,
        })
    }

    /// Whether a replication with `deals` deals reaches the goal.
    fn reached_by(&self, deals: f64) -> bool {
        deals >= self.deals.ceil()
    }

    /// The share of the replications `runs` that reach the goal.
    fn share_reached(&self, runs: &CalendarSamples) -> f64 {
        let deals = runs.samples.get(Metric::Deals).values();
        deals.iter().filter(|&&d| self.reached_by(d)).count() as f64 / deals.len().max(1) as f64
    }
}

/// The revenue of a deal: `funnel.deal_size`, or with segments the mean over the deals the
/// list's segments expect to close (each segment's deal size, weighted by its share of the
/// deals).
pub fn expected_deal_size(scenario: &Scenario) -> f64 {
    if scenario.leads.segments.is_empty() {
        return scenario.funnel.deal_size;
    }
    let (mut deals, mut revenue) = (0.0, 0.0);
    for (share, lead) in list_groups(scenario) {
        let per_lead =
            share * lead.expected_per_lead().contacts * lead.funnel().deals_per_conversation();
        deals += per_lead;
        revenue += per_lead * lead.deal_size();
    }
    if deals > 0.0 { revenue / deals } else { 0.0 }
}

/// The list's groups of leads (the leads a plan sizes), each with its share and lead model.
fn list_groups(scenario: &Scenario) -> Vec<(f64, LeadModel)> {
    scenario
        .list_groups()
        .into_iter()
        .map(|g| (g.shares.list, LeadModel::new(&g.scenario)))
        .collect()
}

/// Why a plan cannot be made at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("{0}")]
    Impossible(String),
}

/// The periods a reverse funnel is stated in, in the order outputs list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Year,
    Quarter,
    Month,
    Week,
    WorkingDay,
}

impl Period {
    /// Every period, in output order.
    pub const ALL: [Period; 5] = [
        Period::Year,
        Period::Quarter,
        Period::Month,
        Period::Week,
        Period::WorkingDay,
    ];

    /// The period's name in JSON keys and CSV headers; text headers write it with spaces.
    pub fn name(self) -> &'static str {
        match self {
            Period::Year => "per_year",
            Period::Quarter => "per_quarter",
            Period::Month => "per_month",
            Period::Week => "per_week",
            Period::WorkingDay => "per_working_day",
        }
    }
}

/// The steps of the reverse funnel, from the goal back to the hours, in the order outputs list
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunnelStep {
    Deals,
    Revenue,
    Opportunities,
    AppointmentsHeld,
    AppointmentsSet,
    Contacts,
    Leads,
    Touches,
    Dials,
    VoicemailTouches,
    EmailTouches,
    InmailTouches,
    ProspectingHours,
}

impl FunnelStep {
    /// Every step, in output order.
    pub const ALL: [FunnelStep; 13] = [
        FunnelStep::Deals,
        FunnelStep::Revenue,
        FunnelStep::Opportunities,
        FunnelStep::AppointmentsHeld,
        FunnelStep::AppointmentsSet,
        FunnelStep::Contacts,
        FunnelStep::Leads,
        FunnelStep::Touches,
        FunnelStep::Dials,
        FunnelStep::VoicemailTouches,
        FunnelStep::EmailTouches,
        FunnelStep::InmailTouches,
        FunnelStep::ProspectingHours,
    ];

    /// The step's name in every output: the metric's name, or `CHANNEL_touches` for touches on
    /// a channel other than calls.
    pub fn name(self) -> &'static str {
        match self {
            FunnelStep::Deals => Metric::Deals.name(),
            FunnelStep::Revenue => Metric::Revenue.name(),
            FunnelStep::Opportunities => Metric::Opportunities.name(),
            FunnelStep::AppointmentsHeld => Metric::AppointmentsHeld.name(),
            FunnelStep::AppointmentsSet => Metric::AppointmentsSet.name(),
            FunnelStep::Contacts => Metric::Contacts.name(),
            FunnelStep::Leads => Metric::Leads.name(),
            FunnelStep::Touches => Metric::Touches.name(),
            FunnelStep::Dials => Metric::Dials.name(),
            FunnelStep::VoicemailTouches => "voicemail_touches",
            FunnelStep::EmailTouches => "email_touches",
            FunnelStep::InmailTouches => "inmail_touches",
            FunnelStep::ProspectingHours => Metric::ProspectingHours.name(),
        }
    }

    /// Whether the funnel lists the step even at zero: touches on voicemail, email and InMail
    /// are listed only when the cadence uses the channel.
    fn listed_at_zero(self) -> bool {
        !matches!(
            self,
            FunnelStep::VoicemailTouches | FunnelStep::EmailTouches | FunnelStep::InmailTouches
        )
    }
}

/// The steady-state reverse funnel for `deals` deals a year, with the divisors of each period.
#[derive(Debug, Clone, PartialEq)]
pub struct ReverseFunnel {
    /// The yearly value of each step, indexed by [`FunnelStep`].
    per_year: [f64; FunnelStep::ALL.len()],
    /// Divisors of the horizon, indexed by [`Period`].
    pub divisors: [f64; Period::ALL.len()],
}

impl ReverseFunnel {
    /// Exact, from the closed forms, for `deals` over a horizon of `weeks` weeks (what "per
    /// year" means here); errors when a stage converts nothing.
    pub fn new(
        lead: &LeadModel,
        deals: f64,
        weeks: f64,
        working_weeks: f64,
        days_per_week: f64,
    ) -> Result<Self, PlanError> {
        let f = lead.funnel();
        let per_lead = lead.expected_per_lead();
        let stages = [
            ("funnel.win_rate", f.win),
            ("funnel.opportunity_rate", f.opportunity),
            ("funnel.show_rate", f.show),
            ("funnel.appointment_rate", f.appointment),
        ];
        if let Some((key, _)) = stages.iter().find(|(_, rate)| *rate <= 0.0) {
            return Err(PlanError::Impossible(format!(
                "{key} is 0, so no conversation ever becomes a deal: no amount of prospecting \
                 reaches the goal"
            )));
        }
        if per_lead.contacts <= 0.0 {
            return Err(PlanError::Impossible(
                "no lead is ever reached (leads.reachability.mean or the channels' response \
                 is 0): no amount of prospecting reaches the goal"
                    .into(),
            ));
        }
        let opportunities = deals / f.win;
        let held = opportunities / f.opportunity;
        let set = held / f.show;
        let contacts = set / f.appointment;
        let leads = contacts / per_lead.contacts;
        let touches_on = |channel: Channel| leads * per_lead.touches_by_channel[channel.index()];
        let per_year = FunnelStep::ALL.map(|step| match step {
            FunnelStep::Deals => deals,
            FunnelStep::Revenue => deals * lead.deal_size(),
            FunnelStep::Opportunities => opportunities,
            FunnelStep::AppointmentsHeld => held,
            FunnelStep::AppointmentsSet => set,
            FunnelStep::Contacts => contacts,
            FunnelStep::Leads => leads,
            FunnelStep::Touches => leads * per_lead.touches,
            FunnelStep::Dials => Channel::ALL
                .into_iter()
                .filter(|c| c.is_dial())
                .map(touches_on)
                .sum(),
            FunnelStep::VoicemailTouches => touches_on(Channel::Voicemail),
            FunnelStep::EmailTouches => touches_on(Channel::Email),
            FunnelStep::InmailTouches => touches_on(Channel::Inmail),
            FunnelStep::ProspectingHours => leads * per_lead.minutes / 60.0,
        });
        Ok(ReverseFunnel {
            per_year,
            // Quarters and months of the horizon: 13 and 52/12 weeks each.
            divisors: Period::ALL.map(|period| match period {
                Period::Year => 1.0,
                Period::Quarter => weeks / 13.0,
                Period::Month => weeks * 12.0 / 52.0,
                Period::Week => working_weeks,
                Period::WorkingDay => working_weeks * days_per_week,
            }),
        })
    }

    /// The reverse funnel of a mixture of groups of leads, each `(share of the leads, model)`:
    /// the goal's deals shared out over the groups in proportion to the deals their shares of
    /// the leads close, and each group's funnel summed. One group gives [`ReverseFunnel::new`]
    /// exactly. Errors name the group (`names`) that converts nothing.
    pub fn mixture(
        groups: &[(f64, LeadModel)],
        names: &[String],
        deals: f64,
        weeks: f64,
        working_weeks: f64,
        days_per_week: f64,
    ) -> Result<(Self, Vec<ReverseFunnel>), PlanError> {
        let yields: Vec<f64> = groups
            .iter()
            .map(|(share, lead)| {
                share * lead.expected_per_lead().contacts * lead.funnel().deals_per_conversation()
            })
            .collect();
        let total: f64 = yields.iter().sum();
        let mut funnels = Vec::with_capacity(groups.len());
        for (((_, lead), name), y) in groups.iter().zip(names).zip(&yields) {
            let of_deals = if total > 0.0 { y / total } else { 0.0 };
            let funnel =
                ReverseFunnel::new(lead, deals * of_deals, weeks, working_weeks, days_per_week)
                    .map_err(|PlanError::Impossible(why)| {
                        if groups.len() > 1 {
                            PlanError::Impossible(format!("segment \"{name}\": {why}"))
                        } else {
                            PlanError::Impossible(why)
                        }
                    })?;
            funnels.push(funnel);
        }
        let mut sum = funnels[0].clone();
        for funnel in &funnels[1..] {
            for (total, part) in sum.per_year.iter_mut().zip(funnel.per_year) {
                *total += part;
            }
        }
        Ok((sum, funnels))
    }

    /// The steps the funnel lists, in order: every step but touches on a channel the cadence
    /// does not use.
    pub fn lines(&self) -> impl Iterator<Item = FunnelStep> + '_ {
        FunnelStep::ALL
            .into_iter()
            .filter(|&step| step.listed_at_zero() || self.per_year(step) > 0.0)
    }

    /// The yearly value of a step.
    pub fn per_year(&self, step: FunnelStep) -> f64 {
        self.per_year[step as usize]
    }

    /// The value of a step per `period` (per week: per week worked).
    pub fn per(&self, step: FunnelStep, period: Period) -> f64 {
        self.per_year(step) / self.divisors[period as usize]
    }
}

/// The steady-state reverse funnel of `target` over the scenario's horizon, and the prospecting
/// hours per week each rep needs for it: where the search at confidence starts.
pub fn expected(scenario: &Scenario, target: &Target) -> Result<(ReverseFunnel, f64), PlanError> {
    let sim = &scenario.simulation;
    let names: Vec<String> = scenario.list_groups().into_iter().map(|g| g.name).collect();
    let (funnel, _) = ReverseFunnel::mixture(
        &list_groups(scenario),
        &names,
        target.deals,
        f64::from(sim.weeks),
        f64::from(sim.weeks - sim.weeks_off),
        f64::from(sim.working_days_per_week),
    )?;
    let hours_per_week =
        funnel.per(FunnelStep::ProspectingHours, Period::Week) / f64::from(scenario.team.reps);
    Ok((funnel, hours_per_week))
}

/// One round of the search: the years it simulated, each at hours of its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Round {
    /// Simulated years.
    pub years: u64,
    /// The fewest and the most prospecting hours per week per rep they ran at.
    pub hours_per_week: (f64, f64),
}

/// The plan at one confidence (`at_confidence.curve` in JSON).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AtLevel {
    pub confidence: f64,
    /// Prospecting hours per week per rep; `None` when even the most a week holds fall short.
    pub hours_per_week: Option<f64>,
}

/// The confidences every plan states, besides its own.
pub const CURVE_CONFIDENCES: [f64; 6] = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

/// The plan at confidence: the hours, what they produce, and how sure it is.
#[derive(Debug, Clone)]
pub struct ConfidentPlan {
    pub hours_per_week: f64,
    pub probability: f64,
    /// Means over replications, per week worked.
    pub leads_per_week: f64,
    pub appointments_set_per_week: f64,
    pub appointments_held_per_week: f64,
    /// Appointments per week worked once the ramp is over (the target for a ramped rep).
    pub appointments_set_per_week_ramped: f64,
    pub appointments_held_per_week_ramped: f64,
    pub contacts_per_week: f64,
    pub dials_per_working_day: f64,
    /// Deals and revenue in the year: P10, P50, P90.
    pub deals: [f64; 3],
    pub revenue: [f64; 3],
    /// The first week (1-based) after which reaching the goal is more likely than not.
    pub goal_likely_from_week: Option<usize>,
    /// How far the plan's hours get through the territory, when there is one.
    pub territory: Option<TerritoryUse>,
    /// What each segment of leads gives at these hours, when the scenario has segments.
    pub segments: Vec<SegmentPlan>,
    pub timeline: Timeline,
    /// The plan at each of [`CURVE_CONFIDENCES`] and the plan's own confidence, in order.
    pub curve: Vec<AtLevel>,
    /// The chance of the goal against the hours a week, between the bounds the search proved.
    pub chance_by_hours: Vec<ChanceAt>,
    /// What the year costs and earns at these hours, when the scenario has `[costs]`.
    pub money: Option<Money>,
    /// What turnover did to the seats, when the scenario has `[people]`.
    pub people: Option<PeopleSummary>,
    /// Each rep's KPI card, adding up to the team's, when the team has more than one rep.
    pub reps: Vec<RepPlan>,
}

/// One segment's part of the plan at confidence (`at_confidence.segments` in JSON): means over
/// the simulated years, per week worked for the team.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SegmentPlan {
    pub name: String,
    pub leads_per_week: f64,
    pub appointments_set_per_week: f64,
    pub prospecting_hours_per_week: f64,
    /// Revenue closed in the year.
    pub revenue: f64,
    /// Revenue closed in the year per prospecting hour.
    pub revenue_per_prospecting_hour: f64,
}

/// How far a plan's hours get through the territory (`at_confidence.territory` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct TerritoryUse {
    pub accounts: u64,
    pub refill_per_month: u64,
    /// Accounts started in the year, mean over replications.
    pub accounts_started: f64,
    /// Share of replications in which a rep had time for a new account and none was left.
    pub used_up_share: f64,
}

/// Why no plan reaches the goal at the stated confidence, and what would.
#[derive(Debug, Clone)]
pub struct Shortfall {
    /// The most prospecting a working week holds.
    pub max_hours_per_week: f64,
    pub probability_at_max: f64,
    /// Deals reached with the stated confidence at the most hours.
    pub deals_at_confidence: f64,
    pub reasons: Vec<String>,
}

/// The answer of the search.
#[derive(Debug, Clone)]
pub enum AtConfidence {
    Plan(Box<ConfidentPlan>),
    Unreachable(Shortfall),
}

impl AtConfidence {
    /// The hours a week per rep of a plan that reaches the goal.
    pub fn hours_per_week(&self) -> Option<f64> {
        match self {
            AtConfidence::Plan(plan) => Some(plan.hours_per_week),
            AtConfidence::Unreachable(_) => None,
        }
    }
}

/// The plan with the scenario's `[uncertainty]` drawn per replication: luck plus what is not
/// known about the numbers.
#[derive(Debug, Clone)]
pub struct DrawnPlan {
    pub answer: AtConfidence,
    /// Every round of the search, in order.
    pub search: Vec<Round>,
    /// The chance of the goal at the hours of the plan on luck alone, with the numbers drawn
    /// (`None` when luck alone reaches no plan).
    pub probability_at_luck_hours: Option<f64>,
}

/// Which numbers a plan's replications run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbers {
    /// The scenario's own: only luck varies.
    AsWritten,
    /// Each replication's draw of `[uncertainty]`.
    Drawn,
}

/// Hours per week within which the search stops.
pub const HOURS_TOLERANCE: f64 = 0.25;

/// The fewest replications a screening run uses.
const MIN_SCREEN: u64 = 100;

/// The most times the team a shortfall suggests may be the scenario's: each rep adds a
/// simulation's worth of work to the run that checks the suggestion.
const MAX_TEAM_GROWTH: u64 = 8;

/// The most replications a probe of a larger territory or team runs: enough to say "about"
/// (the share of years reaching the goal within a few points), and a larger team's runs stay
/// quick.
const MAX_PROBE_REPLICATIONS: u64 = 400;

/// Standard errors from the required confidence beyond which a screening run decides.
const SCREEN_Z: f64 = 4.0;

/// Hours per week between the points of the chance-by-hours curve.
const CURVE_STEP: f64 = 0.5;

/// The search for the hours at confidence: each simulated year's threshold (the fewest hours
/// at which it reaches the goal) is searched for on the same random numbers (the scenario's
/// seed), in rounds shared by all years (see [`thresholds`]), and the plan at any confidence
/// is a quantile of the thresholds; the answer is then simulated on every year, recording its
/// weeks. Every round is kept in `rounds`.
struct Search<'a> {
    scenario: &'a Scenario,
    /// Told of every replication simulated.
    progress: &'a dyn Progress,
    target: &'a Target,
    /// The most prospecting a working week holds, per rep.
    max_hours: f64,
    working_days_per_week: f64,
    replications: u64,
    /// Replications of a screening run: a quarter of them, the same streams a full run starts
    /// with.
    screen: u64,
    /// The standard error of a screening run's share at the required confidence.
    screen_error: f64,
    /// The calendar of the scenario, built once: each year only sets its hours. The search
    /// only needs each year's deals; the answer's run records its weeks for the timeline.
    screening: CalendarModel,
    full: CalendarModel,
    numbers: Numbers,
    /// Whether the search settles every one of [`CURVE_CONFIDENCES`] too.
    curve: bool,
    rounds: Vec<Round>,
}

impl<'a> Search<'a> {
    fn new(
        scenario: &'a Scenario,
        target: &'a Target,
        progress: &'a dyn Progress,
        numbers: Numbers,
        curve: bool,
    ) -> Self {
        let sim = &scenario.simulation;
        let working_days_per_week = f64::from(sim.working_days_per_week);
        let screen = sim.replications / 4;
        // Built at the scenario's own hours; every year sets its own before it runs.
        let screening = CalendarModel::new(scenario, scenario.team.prospecting_hours_per_day);
        Search {
            scenario,
            progress,
            target,
            max_hours: scenario.team.workday_hours * working_days_per_week,
            working_days_per_week,
            replications: sim.replications,
            screen,
            screen_error: (target.confidence * (1.0 - target.confidence) / screen as f64).sqrt(),
            full: priced_calendar(screening.clone().recording_weeks(), scenario),
            screening,
            numbers,
            curve,
            rounds: Vec::new(),
        }
    }

    /// Simulates year `r` at `hours` a week for each job `(r, hours)`, in job order.
    fn simulate_years(&mut self, jobs: &[(u64, f64)]) -> CalendarSamples {
        let per_day: Vec<(u64, f64)> = jobs
            .iter()
            .map(|&(r, hours)| (r, hours / self.working_days_per_week))
            .collect();
        let hours = jobs.iter().map(|&(_, hours)| hours);
        self.rounds.push(Round {
            years: jobs.len() as u64,
            hours_per_week: (
                hours.clone().fold(f64::INFINITY, f64::min),
                hours.fold(0.0, f64::max),
            ),
        });
        let seed = self.scenario.simulation.seed;
        match self.numbers {
            Numbers::AsWritten => run_at_hours(&self.screening, &per_day, seed, self.progress),
            Numbers::Drawn => {
                let hours_per_day = self.scenario.team.prospecting_hours_per_day;
                let model = drawn_calendar(self.scenario, hours_per_day, false);
                run_at_hours(&model, &per_day, seed, self.progress)
            }
        }
    }

    /// Simulates every year at `hours_per_week` per rep, recording the weeks.
    fn simulate_all(&mut self, hours_per_week: f64) -> CalendarSamples {
        self.rounds.push(Round {
            years: self.replications,
            hours_per_week: (hours_per_week, hours_per_week),
        });
        if self.numbers == Numbers::Drawn {
            return self.simulate_drawn(self.scenario, hours_per_week, self.replications, true);
        }
        self.full
            .set_hours_per_day(hours_per_week / self.working_days_per_week);
        let seed = self.scenario.simulation.seed;
        run_replications(&self.full, self.replications, seed, self.progress)
    }

    /// Simulates `scenario` at `hours_per_week` per rep with its `[uncertainty]` drawn for
    /// every replication.
    fn simulate_drawn(
        &self,
        scenario: &Scenario,
        hours_per_week: f64,
        replications: u64,
        weeks: bool,
    ) -> CalendarSamples {
        let hours_per_day = hours_per_week / self.working_days_per_week;
        let model = drawn_calendar(scenario, hours_per_day, weeks);
        run_replications(
            &model,
            replications,
            scenario.simulation.seed,
            self.progress,
        )
    }

    /// The share of replications reaching the goal.
    fn probability(&self, runs: &CalendarSamples) -> f64 {
        self.target.share_reached(runs)
    }

    /// The confidences the search settles: the plan's own and, with the curve,
    /// [`CURVE_CONFIDENCES`], in order.
    fn confidences(&self) -> Vec<f64> {
        let mut all = if self.curve {
            CURVE_CONFIDENCES.to_vec()
        } else {
            Vec::new()
        };
        all.push(self.target.confidence);
        all.sort_by(f64::total_cmp);
        all.dedup();
        all
    }

    /// Simulates rounds of years until every one of `confidences` is settled; returns the
    /// last round's runs when it ran every year at the most hours a week holds (a goal out of
    /// reach needs no other run to say by how much).
    fn settle(
        &mut self,
        thresholds: &mut Thresholds,
        confidences: &[f64],
    ) -> Option<CalendarSamples> {
        let mut last = None;
        loop {
            let jobs = thresholds.next_probes(confidences);
            if jobs.is_empty() {
                return last;
            }
            let runs = self.simulate_years(&jobs);
            Self::record(thresholds, &jobs, &runs);
            last = self.every_year_at_most(&jobs).then_some(runs);
        }
    }

    /// Whether `jobs` run every year at the most hours a week holds.
    fn every_year_at_most(&self, jobs: &[(u64, f64)]) -> bool {
        jobs.len() as u64 == self.replications
            && jobs.iter().all(|&(_, hours)| hours == self.max_hours)
    }

    /// Records the deals of `runs`, year `r` of `jobs` at its hours.
    fn record(thresholds: &mut Thresholds, jobs: &[(u64, f64)], runs: &CalendarSamples) {
        let deals = runs.samples.get(Metric::Deals).values();
        for (&(r, hours), &d) in jobs.iter().zip(deals) {
            thresholds.record(r, hours, d);
        }
    }
}

impl Search<'_> {
    /// Screens the most hours first: a goal they clearly miss is out of reach at any hours,
    /// and the search ends there, on the screening replications (whose thresholds are now
    /// known to be at most the most hours, or beyond them).
    fn out_of_reach(&mut self, thresholds: &mut Thresholds) -> Option<Shortfall> {
        if self.screen < MIN_SCREEN {
            return None;
        }
        let jobs: Vec<(u64, f64)> = (0..self.screen).map(|r| (r, self.max_hours)).collect();
        let runs = self.simulate_years(&jobs);
        Self::record(thresholds, &jobs, &runs);
        let p = self.probability(&runs);
        (p < self.target.confidence - SCREEN_Z * self.screen_error)
            .then(|| self.shortfall(self.max_hours, p, &runs))
    }

    /// Why `runs` at `hours` (the most a week holds) fall short, and what would carry the goal.
    fn shortfall(&mut self, hours: f64, probability: f64, runs: &CalendarSamples) -> Shortfall {
        let deals = runs.samples.get(Metric::Deals).sorted();
        let deals_at_confidence = deals.percentile(1.0 - self.target.confidence).floor();
        let mut reasons = reasons(self.scenario, self.target);
        let scenario = self.scenario;
        let short_by = self.target.deals / deals_at_confidence.max(1.0);
        let used_up_week = runs.territory_used_up_median_week();
        if let Some(week) = used_up_week.filter(|_| runs.territory_used_up_share() >= 0.5) {
            let accounts = scenario.leads.count;
            let mut reason = format!(
                "the territory of {accounts} accounts (leads.count) is used up by week {week:.0} \
                 (median) even at {hours:.0} h a week: more hours only work follow-ups"
            );
            let guess = (accounts as f64 * short_by).ceil() as u64;
            match self.smallest_carrying(accounts, guess, u64::MAX, |s, n| s.leads.count = n) {
                Some((n, p)) => reason.push_str(&format!(
                    "; a territory of about {} accounts would carry the goal ({:.0}% of \
                     simulated years at {hours:.0} h a week), or a monthly refill \
                     (leads.refill_per_month)",
                    two_figures_up(n),
                    p * 100.0
                )),
                None => {
                    // Time binds too: a territory scaled to the goal, and the team it needs.
                    let needed = two_figures_up(guess);
                    reason.push_str(&match self.smallest_team(needed) {
                        Some((n, p)) => format!(
                            "; a larger territory alone falls short at these hours: about {n} \
                             reps (team.reps) on about {needed} accounts would carry the goal \
                             ({:.0}% of simulated years at {hours:.0} h a week each)",
                            p * 100.0
                        ),
                        None => "; a larger territory alone falls short at these hours, and so \
                                 does a team several times as large: lower the goal"
                            .to_string(),
                    });
                }
            }
            reasons.insert(0, reason);
        } else if let Some((n, p)) = self.smallest_team(scenario.leads.count) {
            reasons.insert(
                1,
                format!(
                    "{n} reps (team.reps) prospecting the whole working day would carry it \
                     ({:.0}% of simulated years)",
                    p * 100.0
                ),
            );
        }
        Shortfall {
            max_hours_per_week: hours,
            probability_at_max: probability,
            deals_at_confidence,
            reasons,
        }
    }

    /// About the smallest team (`team.reps`, when the reps are not listed one by one) that
    /// carries the goal at the most hours on a territory of `accounts`, with the chance it
    /// gives; `None` beyond [`MAX_TEAM_GROWTH`] times the scenario's team.
    fn smallest_team(&mut self, accounts: u64) -> Option<(u64, f64)> {
        if !self.scenario.team.members.is_empty() {
            return None;
        }
        let reps = u64::from(self.scenario.team.reps);
        let most = reps * MAX_TEAM_GROWTH;
        self.smallest_carrying(reps, reps + 1, most, |s, n| {
            s.team.reps = u32::try_from(n).unwrap_or(u32::MAX);
            s.leads.count = accounts;
        })
    }

    /// About the smallest size, from `guess` up to `most`, that `resize` gives the scenario so
    /// that the most hours reach the goal with its confidence, with the chance it gives;
    /// `None` when a few steps up do not find one. Sizes step up by what the last one fell
    /// short by, then the step is bisected down to a tenth of the size (the scenario's own
    /// size, `from`, falls short).
    fn smallest_carrying(
        &mut self,
        from: u64,
        guess: u64,
        most: u64,
        resize: impl Fn(&mut Scenario, u64),
    ) -> Option<(u64, f64)> {
        /// Sizes tried on the way up, each larger by at least a quarter.
        const TRIES: usize = 4;
        let mut short = from;
        let mut size = guess.max(from + 1);
        let mut carrying = None;
        for _ in 0..TRIES {
            if size > most {
                return None;
            }
            let (p, at_confidence) = self.probe(size, &resize);
            if p >= self.target.confidence {
                carrying = Some((size, p));
                break;
            }
            short = size;
            let step = (self.target.deals / at_confidence.max(1.0)).max(1.25);
            size = (size as f64 * step).ceil() as u64;
        }
        let (mut high, mut p_high) = carrying?;
        while high - short > (high / 10).max(1) {
            let middle = short + (high - short) / 2;
            let (p, _) = self.probe(middle, &resize);
            if p >= self.target.confidence {
                (high, p_high) = (middle, p);
            } else {
                short = middle;
            }
        }
        Some((high, p_high))
    }

    /// The chance of the goal at the most hours with the scenario resized to `size`, and the
    /// deals reached with the stated confidence, on the screening replications (all of them
    /// when there are few).
    fn probe(&mut self, size: u64, resize: &impl Fn(&mut Scenario, u64)) -> (f64, f64) {
        let replications = if self.screen >= MIN_SCREEN {
            self.screen.min(MAX_PROBE_REPLICATIONS)
        } else {
            self.replications
        };
        let mut scenario = self.scenario.clone();
        resize(&mut scenario, size);
        let runs = match self.numbers {
            Numbers::AsWritten => {
                let model =
                    CalendarModel::new(&scenario, self.max_hours / self.working_days_per_week);
                run_replications(
                    &model,
                    replications,
                    scenario.simulation.seed,
                    self.progress,
                )
            }
            Numbers::Drawn => self.simulate_drawn(&scenario, self.max_hours, replications, false),
        };
        let deals = runs.samples.get(Metric::Deals).sorted();
        (
            self.probability(&runs),
            deals.percentile(1.0 - self.target.confidence),
        )
    }
}

/// Finds the smallest prospecting hours per week (per rep, at full productivity) whose
/// simulated calendar reaches `target` with at least its confidence, and the hours at each of
/// [`CURVE_CONFIDENCES`] when `curve` asks for them. Returns the answer and every round of the
/// search.
pub fn at_confidence(
    scenario: &Scenario,
    target: &Target,
    expected_hours_per_week: f64,
    curve: bool,
    progress: &dyn Progress,
) -> (AtConfidence, Vec<Round>) {
    let mut search = Search::new(scenario, target, progress, Numbers::AsWritten, curve);
    let answer = search.answer(first_guess(scenario, expected_hours_per_week), None);
    (answer, search.rounds)
}

/// [`at_confidence`] with the scenario's `[uncertainty]` drawn for every replication, on the
/// same seed (the same luck). The search starts from `luck_hours`, the plan on luck alone,
/// whose chance with the numbers drawn it measures first.
pub fn at_confidence_drawn(
    scenario: &Scenario,
    target: &Target,
    expected_hours_per_week: f64,
    luck_hours: Option<f64>,
    curve: bool,
    progress: &dyn Progress,
) -> DrawnPlan {
    let mut search = Search::new(scenario, target, progress, Numbers::Drawn, curve);
    let at_luck = luck_hours.map(|hours| (hours, search.simulate_all(hours)));
    let probability_at_luck_hours = at_luck.as_ref().map(|(_, runs)| search.probability(runs));
    let answer = search.answer(first_guess(scenario, expected_hours_per_week), at_luck);
    DrawnPlan {
        answer,
        search: search.rounds,
        probability_at_luck_hours,
    }
}

impl Search<'_> {
    /// The search from `guess`, or from `known`: every year already simulated at some hours.
    fn answer(&mut self, guess: f64, known: Option<(f64, CalendarSamples)>) -> AtConfidence {
        let confidence = self.target.confidence;
        let mut thresholds = Thresholds::new(
            self.replications,
            self.target.deals.ceil(),
            self.max_hours,
            guess,
            HOURS_TOLERANCE,
        );
        let mut at_most = None;
        match known {
            Some((hours, runs)) => {
                let jobs: Vec<(u64, f64)> = (0..self.replications).map(|r| (r, hours)).collect();
                Self::record(&mut thresholds, &jobs, &runs);
            }
            None => {
                if let Some(short) = self.out_of_reach(&mut thresholds) {
                    return AtConfidence::Unreachable(short);
                }
                thresholds.aim_guess(confidence);
                let jobs = thresholds.at_guess();
                let runs = self.simulate_years(&jobs);
                Self::record(&mut thresholds, &jobs, &runs);
                at_most = self.every_year_at_most(&jobs).then_some(runs);
            }
        }
        // Any run of every year at the most hours tells by how much a goal out of reach is.
        let at_most = self.settle(&mut thresholds, &[confidence]).or(at_most);
        let Some(mut hours) = thresholds.hours_at(confidence) else {
            let runs = match at_most {
                Some(runs) => runs,
                None => self.simulate_all(self.max_hours),
            };
            let p = self.probability(&runs);
            return AtConfidence::Unreachable(self.shortfall(self.max_hours, p, &runs));
        };
        // The answer on every year. Should a year's deals have fallen with more hours (a later
        // order of events can bring another referral's draw, say), the quantile may promise
        // what the run does not keep: the hours then step up until it does.
        let mut runs = self.simulate_all(hours);
        let mut probability = self.probability(&runs);
        while probability < confidence && hours < self.max_hours {
            hours = (hours + HOURS_TOLERANCE).min(self.max_hours);
            runs = self.simulate_all(hours);
            probability = self.probability(&runs);
        }
        if probability < confidence {
            return AtConfidence::Unreachable(self.shortfall(hours, probability, &runs));
        }
        // The answer's run tells every year's side of its hours: the curve starts from there.
        let every_year: Vec<(u64, f64)> = (0..self.replications).map(|r| (r, hours)).collect();
        Self::record(&mut thresholds, &every_year, &runs);
        let confidences = self.confidences();
        self.settle(&mut thresholds, &confidences);
        let curve = confidences
            .iter()
            .map(|&c| AtLevel {
                confidence: c,
                hours_per_week: if c == confidence {
                    Some(hours)
                } else {
                    thresholds.hours_at(c)
                },
            })
            .collect();
        let steps = (self.max_hours / CURVE_STEP).floor() as usize;
        let grid: Vec<f64> = (0..=steps).map(|i| i as f64 * CURVE_STEP).collect();
        let mut plan = confident_plan(
            self.scenario,
            self.target,
            hours,
            probability,
            &self.full,
            &runs,
        );
        plan.curve = curve;
        plan.chance_by_hours = thresholds.chance_by_hours(&grid);
        AtConfidence::Plan(Box::new(plan))
    }
}

/// Where the search starts. The steady-state hours understate what the ramp and the deals
/// still in the sales cycle at year end cost, so they are scaled by the share of the year left
/// for work that closes in time; it is only a starting point.
fn first_guess(scenario: &Scenario, expected_hours_per_week: f64) -> f64 {
    let sim = &scenario.simulation;
    let weeks_worked = f64::from(sim.weeks - sim.weeks_off);
    let weeks_to_close =
        (scenario.funnel.appointment_lag_days + scenario.funnel.sales_cycle_days.median) / 7.0;
    let useful = (weeks_worked - scenario.team.ramp_weeks / 2.0 - weeks_to_close).max(1.0);
    expected_hours_per_week * weeks_worked / useful
}

fn confident_plan(
    scenario: &Scenario,
    target: &Target,
    hours_per_week: f64,
    probability: f64,
    model: &CalendarModel,
    runs: &CalendarSamples,
) -> ConfidentPlan {
    let sim = &scenario.simulation;
    let working_weeks = f64::from(sim.weeks - sim.weeks_off);
    let per_week = |metric: Metric| runs.samples.get(metric).moments().mean() / working_weeks;
    let quantiles = |metric: Metric| p10_50_90(runs, metric);
    // The share of replications at or above the goal by the end of each week.
    let needed = target.deals.ceil();
    let weeks = &runs.weeks;
    let goal_likely_from_week = (0..weeks.weeks()).find_map(|w| {
        let reached = weeks.of(w, WeeklySeries::CumulativeDeals).at_least(needed);
        (reached as f64 > 0.5 * weeks.replications() as f64).then_some(w + 1)
    });
    // Weeks worked after the ramp: their mean is what a ramped rep should hit each week.
    let calendar = WorkCalendar::new(sim);
    let ramped: Vec<usize> = (scenario.team.ramp_weeks.ceil() as usize..weeks.weeks())
        .filter(|w| !calendar.weeks_off().contains(&(*w as u32)))
        .collect();
    // The weekly counts are whole numbers, so their sums are exact.
    let ramped_mean = |series: WeeklySeries| {
        let total: f64 = ramped.iter().map(|&w| weeks.of(w, series).sum()).sum();
        total / (ramped.len().max(1) as u64 * weeks.replications().max(1)) as f64
    };
    ConfidentPlan {
        appointments_set_per_week_ramped: ramped_mean(WeeklySeries::AppointmentsSet),
        appointments_held_per_week_ramped: ramped_mean(WeeklySeries::AppointmentsHeld),
        hours_per_week,
        probability,
        leads_per_week: per_week(Metric::Leads),
        appointments_set_per_week: per_week(Metric::AppointmentsSet),
        appointments_held_per_week: per_week(Metric::AppointmentsHeld),
        contacts_per_week: per_week(Metric::Contacts),
        dials_per_working_day: per_week(Metric::Dials) / f64::from(sim.working_days_per_week),
        deals: quantiles(Metric::Deals),
        revenue: quantiles(Metric::Revenue),
        goal_likely_from_week,
        territory: scenario.leads.has_territory().then(|| TerritoryUse {
            accounts: scenario.leads.count,
            refill_per_month: scenario.leads.refill_per_month,
            accounts_started: runs.list_started.moments().mean(),
            used_up_share: runs.territory_used_up_share(),
        }),
        curve: Vec::new(),
        chance_by_hours: Vec::new(),
        segments: scenario
            .lead_groups()
            .into_iter()
            .zip(runs.samples.segments())
            .map(|(group, samples)| {
                let mean = |metric: Metric| samples.get(metric).moments().mean();
                let hours = mean(Metric::ProspectingHours);
                SegmentPlan {
                    name: group.name,
                    leads_per_week: mean(Metric::Leads) / working_weeks,
                    appointments_set_per_week: mean(Metric::AppointmentsSet) / working_weeks,
                    prospecting_hours_per_week: hours / working_weeks,
                    revenue: mean(Metric::Revenue),
                    revenue_per_prospecting_hour: if hours > 0.0 {
                        mean(Metric::Revenue) / hours
                    } else {
                        0.0
                    },
                }
            })
            .collect(),
        timeline: runs.timeline(&calendar),
        money: Prices::of(scenario, Charge::WholeHorizon)
            .map(|prices| Money::of_calendar(runs, &prices)),
        people: runs.people(model),
        // A team of one has no cards: the plan is its card.
        reps: if model.reps().len() < 2 {
            Vec::new()
        } else {
            reps::rep_plans(scenario, model, runs, target)
        },
    }
}

/// The 10th, 50th and 90th percentiles of `metric` over the replications `runs`.
fn p10_50_90(runs: &CalendarSamples, metric: Metric) -> [f64; 3] {
    let sorted = runs.samples.get(metric).sorted();
    [0.1, 0.5, 0.9].map(|q| sorted.percentile(q))
}

/// `n` rounded up to two significant figures (4,937 → 5,000): a size stated "about".
fn two_figures_up(n: u64) -> u64 {
    let unit = 10u64.pow((n.max(1).ilog10()).saturating_sub(1));
    n.div_ceil(unit) * unit
}

/// What stands between the scenario and its goal, in words, with what would help.
fn reasons(scenario: &Scenario, target: &Target) -> Vec<String> {
    let sim = &scenario.simulation;
    let f = &scenario.funnel;
    let mut reasons = vec![format!(
        "even prospecting the whole working day ({} h a day, team.workday_hours) falls short: \
         lower the goal, add reps (team.reps), or lengthen the horizon (simulation.weeks)",
        scenario.team.workday_hours
    )];
    let horizon = f64::from(sim.weeks) * 7.0;
    let to_close = f.appointment_lag_days + f.sales_cycle_days.median;
    if to_close >= horizon / 2.0 {
        reasons.push(format!(
            "half of all deals take {:.0} days or more from conversation to close \
             (appointment lag + median sales cycle), against a horizon of {horizon:.0} days: \
             most of the year's conversations close after it ends",
            to_close
        ));
    }
    if scenario.team.ramp_weeks >= f64::from(sim.weeks) / 3.0 {
        reasons.push(format!(
            "the ramp of {} weeks takes a large part of the {}-week horizon",
            scenario.team.ramp_weeks, sim.weeks
        ));
    }
    if target.deals > 0.0 && target.revenue.is_some() {
        reasons.push(format!(
            "the revenue goal means {} deals at a deal size of {}",
            target.deals,
            expected_deal_size(scenario)
        ));
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_follow_the_declaration_order_that_indexes_arrays() {
        assert!(
            Period::ALL
                .iter()
                .enumerate()
                .all(|(i, &p)| p as usize == i)
        );
        assert!(
            FunnelStep::ALL
                .iter()
                .enumerate()
                .all(|(i, &s)| s as usize == i)
        );
    }

    #[test]
    fn sizes_are_rounded_up_to_two_figures() {
        let rounded = [(7, 7), (49, 49), (4_937, 5_000), (1_001, 1_100), (120, 120)];
        for (n, expected) in rounded {
            assert_eq!(two_figures_up(n), expected, "{n}");
        }
    }

    #[test]
    fn touches_on_a_channel_are_named_after_the_channel() {
        let steps = [
            (FunnelStep::VoicemailTouches, Channel::Voicemail),
            (FunnelStep::EmailTouches, Channel::Email),
            (FunnelStep::InmailTouches, Channel::Inmail),
        ];
        for (step, channel) in steps {
            assert_eq!(step.name(), format!("{}_touches", channel.name()));
        }
    }
}
