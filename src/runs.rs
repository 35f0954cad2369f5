//! Runs: what a command simulates, prepared and checked before anything runs.
//!
//! Every simulation a command starts goes through here: a [`Run`] is only made by
//! [`Run::prepare`], which holds every rule about what a run may do (a cohort cannot honour a
//! team's calendar, a plan sizes list prospecting only, a run must finish in reasonable time
//! and fit in memory), and [`Run::run`] is the one place the kinds of run are told apart.
//! Commands that run many (sweep points, tornado sides, compare variants) share one run's
//! budget through [`check_together`].

use crate::engine::{
    BlitzModel, BlitzSamples, CalendarModel, CalendarSamples, CohortModel, Progress,
    drawn_calendar, drawn_cohort, run_replications,
};
use crate::money::priced_calendar;
use crate::plan::{
    AtConfidence, DrawnPlan, MAX_SIZED_REPS, ReverseFunnel, Round, Sizing, Target, at_confidence,
    at_confidence_drawn, expected, size_team,
};
use crate::scenario::{MAX_LEAD_REPLICATIONS, Priority, Scenario};
use crate::stats::Samples;

/// What a run simulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A cohort of leads worked through the cadence.
    Cohort,
    /// The team's calendar year.
    Calendar,
    /// A plan: the prospecting hours that reach the goal at its confidence.
    Plan,
    /// An inbound team sized for its lead flow: the reps and hours that keep `[service]`'s
    /// promises and the goal at its confidence.
    Sizing,
    /// A calling blitz.
    Blitz,
}

impl From<crate::scenario::SweepRun> for Kind {
    fn from(run: crate::scenario::SweepRun) -> Kind {
        match run {
            crate::scenario::SweepRun::Cohort => Kind::Cohort,
            crate::scenario::SweepRun::Calendar => Kind::Calendar,
            crate::scenario::SweepRun::Plan => Kind::Plan,
        }
    }
}

/// Why a run is refused: what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

impl Refusal {
    /// The refusal with `context` (a file, a variant, a sweep point) before its reason.
    pub fn within(self, context: impl std::fmt::Display) -> Refusal {
        Refusal(format!("{context}: {}", self.0))
    }
}

/// A run whose scenario is known to suit it and to be small enough to finish.
#[derive(Debug, Clone)]
pub struct Run {
    scenario: Scenario,
    job: Job,
}

/// What [`Run::run`] does, with what preparing found.
#[derive(Debug, Clone)]
enum Job {
    Cohort,
    Calendar { record_weeks: bool },
    Plan(Box<PlanStart>),
    Sizing(Box<SizingStart>),
    Blitz(Box<BlitzModel>),
}

/// What an inbound team's sizing aims for.
#[derive(Debug, Clone)]
pub struct SizingStart {
    pub target: Target,
    /// The most reps it may try: fewer than [`MAX_SIZED_REPS`] when a larger team's run
    /// would make more touches than a run may.
    pub most_reps: u32,
}

/// A plan's goal and the steady-state funnel its search starts from.
#[derive(Debug, Clone)]
pub struct PlanStart {
    pub target: Target,
    /// The expected reverse funnel of the goal (no ramp, no lag).
    pub expected: ReverseFunnel,
    /// Prospecting hours per rep-week of the expected funnel.
    pub expected_hours_per_week: f64,
    /// Whether the plan also finds the hours at every confidence of the curve
    /// ([`crate::plan::CURVE_CONFIDENCES`]), or only at its own.
    pub curve: bool,
}

/// What a run found.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A cohort's replications.
    Cohort(Samples),
    /// A calendar's replications, with the model they ran on.
    Calendar(Box<CalendarModel>, Box<CalendarSamples>),
    /// A plan: where its search started, the answer and every candidate simulated.
    Plan(Box<PlanStart>, AtConfidence, Vec<Round>),
    /// An inbound team's size, and every candidate simulated.
    Sizing(Box<Sizing>),
    /// A blitz's replications.
    Blitz(BlitzSamples),
}

/// What a run found with the scenario's `[uncertainty]` drawn for every replication: luck
/// plus what is not known about the numbers.
#[derive(Debug, Clone)]
pub enum DrawnOutcome {
    /// Every metric's values over the replications of a cohort or a calendar.
    Samples(Samples),
    /// A plan.
    Plan(Box<DrawnPlan>),
}

impl DrawnOutcome {
    /// The replications of a cohort or a calendar; `None` for a plan.
    pub fn into_samples(self) -> Option<Samples> {
        match self {
            DrawnOutcome::Samples(samples) => Some(samples),
            DrawnOutcome::Plan(_) => None,
        }
    }
}

impl Run {
    /// Checks that `scenario` suits a run of `kind` and is small enough to finish in
    /// reasonable time, and prepares it.
    pub fn prepare(scenario: Scenario, kind: Kind) -> Result<Run, Refusal> {
        let job = match kind {
            Kind::Cohort => {
                check_cohort(&scenario)?;
                Job::Cohort
            }
            Kind::Calendar => {
                check_calendar(&scenario, scenario.team.prospecting_hours_per_day)?;
                Job::Calendar {
                    record_weeks: false,
                }
            }
            Kind::Plan => {
                let target = Target::of(&scenario).map_err(|err| Refusal(err.to_string()))?;
                check_plannable(&scenario)?;
                check_calendar(&scenario, scenario.team.workday_hours)?;
                let (expected, expected_hours_per_week) =
                    expected(&scenario, &target).map_err(|err| Refusal(err.to_string()))?;
                Job::Plan(Box::new(PlanStart {
                    target,
                    expected,
                    expected_hours_per_week,
                    curve: true,
                }))
            }
            Kind::Sizing => {
                let target = Target::of(&scenario).map_err(|err| Refusal(err.to_string()))?;
                check_sizable(&scenario)?;
                // The leads a run may hold; the team's touches are bounded by `most_reps`.
                check_calendar(&scenario, scenario.team.prospecting_hours_per_day)?;
                let most_reps = most_sized_reps(&scenario);
                Job::Sizing(Box::new(SizingStart { target, most_reps }))
            }
            Kind::Blitz => {
                let model = BlitzModel::new(&scenario);
                check_blitz(&model, &scenario)?;
                Job::Blitz(Box::new(model))
            }
        };
        Ok(Run { scenario, job })
    }

    /// The calendar run, keeping every week's figures (for a timeline or a chart).
    pub fn recording_weeks(mut self) -> Run {
        if let Job::Calendar { record_weeks } = &mut self.job {
            *record_weeks = true;
        }
        self
    }

    /// The plan at its own confidence only, without the curve of the others: what a sweep's
    /// point needs, at about half the search.
    pub fn without_curve(mut self) -> Run {
        if let Job::Plan(start) = &mut self.job {
            start.curve = false;
        }
        self
    }

    /// The scenario the run simulates.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// What the run simulates.
    pub fn kind(&self) -> Kind {
        match self.job {
            Job::Cohort => Kind::Cohort,
            Job::Calendar { .. } => Kind::Calendar,
            Job::Plan(_) => Kind::Plan,
            Job::Sizing(_) => Kind::Sizing,
            Job::Blitz(_) => Kind::Blitz,
        }
    }

    /// A plan's goal and starting point, before the search.
    pub fn plan_start(&self) -> Option<&PlanStart> {
        match &self.job {
            Job::Plan(start) => Some(start),
            _ => None,
        }
    }

    /// A blitz's model, for placing a real blitz against it before simulating.
    pub fn blitz_model(&self) -> Option<&BlitzModel> {
        match &self.job {
            Job::Blitz(model) => Some(model),
            _ => None,
        }
    }

    /// Runs the scenario's replications under its seed on the current rayon pool.
    pub fn run(&self) -> Outcome {
        self.run_watched(&())
    }

    /// [`Run::run`], telling `progress` of every replication done: a plan's search runs an
    /// unknown number of them (about [`PLAN_SEARCH_RUNS`] times the scenario's), other runs
    /// [`Run::replications`].
    pub fn run_watched(&self, progress: &dyn Progress) -> Outcome {
        let s = &self.scenario;
        let (replications, seed) = (s.simulation.replications, s.simulation.seed);
        match &self.job {
            Job::Cohort => Outcome::Cohort(run_replications(
                &CohortModel::new(s),
                replications,
                seed,
                progress,
            )),
            Job::Calendar { record_weeks } => {
                let mut model =
                    priced_calendar(CalendarModel::new(s, s.team.prospecting_hours_per_day), s);
                if *record_weeks {
                    model = model.recording_weeks();
                }
                let runs = run_replications(&model, replications, seed, progress);
                Outcome::Calendar(Box::new(model), Box::new(runs))
            }
            Job::Plan(start) => {
                let (answer, search) = at_confidence(
                    s,
                    &start.target,
                    start.expected_hours_per_week,
                    start.curve,
                    progress,
                );
                Outcome::Plan(start.clone(), answer, search)
            }
            Job::Sizing(start) => Outcome::Sizing(Box::new(size_team(
                s,
                &start.target,
                start.most_reps,
                progress,
            ))),
            Job::Blitz(model) => Outcome::Blitz(run_replications(
                model.as_ref(),
                replications,
                seed,
                progress,
            )),
        }
    }

    /// Whether the run also draws the scenario's `[uncertainty]` ([`Run::run_drawn`]): every
    /// kind but a blitz, whose session is short enough for its numbers to be known.
    pub fn draws(&self) -> bool {
        !self.scenario.uncertainty.is_empty() && !matches!(self.job, Job::Blitz(_))
    }

    /// The run again with the scenario's `[uncertainty]` drawn for every replication, on the
    /// same seed: replication r meets the same luck as in `luck`, this run's own outcome
    /// (a plan's search starts from its hours). `None` when the run draws nothing.
    pub fn run_drawn(&self, luck: &Outcome, progress: &dyn Progress) -> Option<DrawnOutcome> {
        if !self.draws() {
            return None;
        }
        let s = &self.scenario;
        let (replications, seed) = (s.simulation.replications, s.simulation.seed);
        Some(match (&self.job, luck) {
            (Job::Cohort, _) => DrawnOutcome::Samples(run_replications(
                &drawn_cohort(s),
                replications,
                seed,
                progress,
            )),
            (Job::Calendar { .. }, _) => {
                let model = drawn_calendar(s, s.team.prospecting_hours_per_day, false);
                let runs: CalendarSamples = run_replications(&model, replications, seed, progress);
                DrawnOutcome::Samples(runs.samples)
            }
            (Job::Plan(start), Outcome::Plan(_, answer, _)) => {
                DrawnOutcome::Plan(Box::new(at_confidence_drawn(
                    s,
                    &start.target,
                    start.expected_hours_per_week,
                    answer.hours_per_week(),
                    start.curve,
                    progress,
                )))
            }
            _ => unreachable!("a run's own outcome is of its kind, and a blitz draws nothing"),
        })
    }

    /// The replications a run simulates, for a progress bar (`None` for a plan, whose search
    /// decides how many).
    pub fn replications(&self) -> Option<u64> {
        match self.job {
            Job::Plan(_) | Job::Sizing(_) => None,
            _ => Some(self.scenario.simulation.replications),
        }
    }

    /// The most this run may simulate, for [`check_together`]: twice over when it draws its
    /// `[uncertainty]` too.
    fn work(&self) -> Work {
        let times = if self.draws() { 2.0 } else { 1.0 };
        let Work { leads, touches } = self.work_once();
        Work {
            leads: leads * times,
            touches: touches * times,
        }
    }

    /// The most one pass of this run may simulate.
    fn work_once(&self) -> Work {
        let s = &self.scenario;
        match self.job {
            Job::Cohort => Work {
                leads: s.leads.count as f64 * s.simulation.replications as f64,
                touches: 0.0,
            },
            Job::Calendar { .. } => Work {
                leads: 0.0,
                touches: calendar_touches(s, s.team.prospecting_hours_per_day).1,
            },
            Job::Plan(ref start) => Work {
                leads: 0.0,
                touches: if start.curve {
                    PLAN_SEARCH_RUNS
                } else {
                    PLAN_POINT_RUNS
                } * calendar_touches(s, s.team.workday_hours).1,
            },
            Job::Sizing(ref start) => Work {
                leads: 0.0,
                touches: SIZING_RUNS * sized_touches(s, start.most_reps),
            },
            Job::Blitz(_) => Work {
                leads: 0.0,
                touches: 0.0,
            },
        }
    }
}

impl Kind {
    /// How a run of this kind charges its people: a cohort for its minutes, a team's
    /// calendar (and a plan, and a blitz's reps) for their whole horizon.
    pub fn charge(self) -> crate::money::Charge {
        match self {
            Kind::Cohort => crate::money::Charge::MinutesWorked,
            Kind::Calendar | Kind::Plan | Kind::Sizing | Kind::Blitz => {
                crate::money::Charge::WholeHorizon
            }
        }
    }

    /// Refuses to vary `path` (a dotted scenario key) across runs of this kind of `scenario`
    /// when they never read it, which would give identical results.
    pub fn check_reads(self, path: &str, scenario: &Scenario) -> Result<(), Refusal> {
        let territory = scenario.leads.has_territory();
        let section = path.split('.').next().unwrap_or_default();
        let team = ["team", "people", "routing", "speed_to_lead", "nurture"];
        let calendar = [
            "simulation.weeks",
            "simulation.weeks_off",
            "simulation.working_days_per_week",
            "leads.unlimited",
            "leads.refill_per_month",
        ];
        let why = match self {
            Kind::Cohort if team.contains(&section) || calendar.contains(&path) => {
                "acts on the team's calendar, which a cohort has not got: add --calendar or --plan"
            }
            Kind::Cohort | Kind::Calendar if section == "goal" => {
                "is what a plan aims for, and a cohort or a calendar never reads it: use --plan"
            }
            _ if section == "blitz" => "is read by `callblitz blitz` alone",
            Kind::Calendar | Kind::Plan if path == "leads.count" && !territory => {
                "is the size of a cohort, and this calendar has no territory (an unlimited list \
                 or inbound leads only): use --cohort"
            }
            Kind::Plan if path == "team.prospecting_hours_per_day" => {
                "is what a plan finds: vary it with --calendar, or vary what drives it"
            }
            _ => return Ok(()),
        };
        Err(Refusal(format!("{path} {why}")))
    }

    /// Whether the scenario is one a run of this kind can size at all: a plan needs list
    /// prospecting with the same hours for every rep, a cohort no team calendar. A scenario
    /// that does not suit a kind is a choice of command, not a fault of the file.
    pub fn suits(self, scenario: &Scenario) -> bool {
        match self {
            Kind::Cohort => check_cohort(scenario).is_ok(),
            Kind::Plan => check_plannable(scenario).is_ok(),
            Kind::Sizing => check_sizable(scenario).is_ok(),
            Kind::Calendar | Kind::Blitz => true,
        }
    }

    /// The run `plan` makes of `scenario`: the hours that reach its goal from a list, or for
    /// leads that arrive by themselves (which hours cannot make arrive faster), the team
    /// sized for their flow.
    pub fn plan_for(scenario: &Scenario) -> Kind {
        if scenario.leads.source.has_arrivals() {
            Kind::Sizing
        } else {
            Kind::Plan
        }
    }
}

/// The most touches a calendar run may simulate in all: at the 65 million touches a second a
/// core makes on a new hire's list, about 40 seconds on two cores (the count is an upper
/// bound: each rep's hours spent on their quickest touch).
const MAX_CALENDAR_TOUCHES: f64 = 5e9;
/// The most leads one calendar replication may hold at once, inbound or from the list
/// (64 bytes each, a replication per thread).
const MAX_INBOUND_PER_RUN: f64 = 5e6;
/// The most inbound leads a calendar run may draw in all.
const MAX_INBOUND: f64 = 2e9;
/// The full calendar runs a plan's search costs, about, with its curve and without: `plan
/// scenarios/new-hire-kpis.toml` simulates some 4,400 years at 1,000 replications, 3,000
/// without the curve (a sweep's point), most of them at fewer hours than the most a week
/// holds, which the count assumes.
const PLAN_SEARCH_RUNS: f64 = 4.5;
const PLAN_POINT_RUNS: f64 = 3.0;
/// The most counts a blitz run may keep, by minute and team and by rep (16 bytes each).
/// The full calendar runs a sizing costs, about: screening runs of a quarter of the years
/// (doubling the team, halving the gap, then the hours) and the answer's run on every year.
const SIZING_RUNS: f64 = 4.0;
/// The most counts a blitz run may keep, by minute and team and by rep (16 bytes each).
const MAX_BLITZ_KEPT: f64 = 2e7;
/// The most dials a blitz run may simulate in all (about a minute on two cores).
const MAX_BLITZ_DIALS: f64 = 1e10;

/// The most touches a calendar run may make a day (each rep's hours over their quickest touch,
/// with `hours_per_day` for reps who state none) and in the whole run.
fn calendar_touches(scenario: &Scenario, hours_per_day: f64) -> (f64, f64) {
    let sim = &scenario.simulation;
    let ch = &scenario.channels;
    let quickest = [ch.call, ch.voicemail, ch.email, ch.inmail]
        .iter()
        .map(|c| c.minutes)
        .fold(f64::INFINITY, f64::min);
    let team = &scenario.team;
    let per_day: f64 = if team.members.is_empty() {
        f64::from(team.reps) * hours_per_day * 60.0 / quickest
    } else {
        team.members
            .iter()
            .map(|m| {
                let pace = m.minutes_per_touch.map_or(1.0, |t| t / ch.call.minutes);
                m.hours_per_day.unwrap_or(hours_per_day) * 60.0 / (quickest * pace)
            })
            .sum()
    };
    let working_days = f64::from((sim.weeks - sim.weeks_off) * sim.working_days_per_week);
    (per_day, per_day * working_days * sim.replications as f64)
}

/// Refuses calendar runs that would take too long, with `hours_per_day` the most prospecting
/// a rep will be asked for (members who state their own hours keep them).
fn check_calendar(scenario: &Scenario, hours_per_day: f64) -> Result<(), Refusal> {
    let sim = &scenario.simulation;
    let (per_day, mut touches) = calendar_touches(scenario, hours_per_day);
    let mut twice = "";
    if !scenario.uncertainty.is_empty() {
        touches *= 2.0;
        twice = " (twice: on luck alone and with [uncertainty] drawn)";
    }
    if touches > MAX_CALENDAR_TOUCHES {
        return Err(Refusal(format!(
            "[team]: {per_day:.0} touches a day at most (the reps' hours over their quickest \
             touch) for {} replications{twice} is up to {touches:.1e} touches to simulate, more \
             than the {MAX_CALENDAR_TOUCHES:.0e} a run may take: use fewer replications, fewer \
             reps or fewer hours",
            sim.replications
        )));
    }
    // Leads are held from their first touch to their last: at most a day's touches started
    // on each calendar day the longest cadence (of any segment) spans.
    let span = scenario
        .lead_groups()
        .iter()
        .filter_map(|g| g.scenario.cadence.expand().last().map(|t| t.day))
        .max()
        .unwrap_or(0);
    let held = per_day * f64::from(span + 1);
    if held > MAX_INBOUND_PER_RUN {
        return Err(Refusal(format!(
            "[team]: {per_day:.0} touches a day at most over a cadence of {} days may hold up \
             to {held:.1e} leads at once in each replication, more than the \
             {MAX_INBOUND_PER_RUN:.0e} a run may hold: use fewer reps or fewer hours",
            span + 1
        )));
    }
    // Inbound leads are kept while they wait, touched or not.
    if scenario.leads.source.has_arrivals() {
        let per_run = scenario.leads.per_week * f64::from(sim.weeks);
        if per_run > MAX_INBOUND_PER_RUN || per_run * sim.replications as f64 > MAX_INBOUND {
            return Err(Refusal(format!(
                "leads.per_week = {}: {per_run:.1e} inbound leads in each of {} replications \
                 is more than a run may take ({MAX_INBOUND_PER_RUN:.0e} in one, \
                 {MAX_INBOUND:.0e} in all): use fewer replications or fewer leads",
                scenario.leads.per_week, sim.replications
            )));
        }
    }
    Ok(())
}

/// Refuses cohort runs of a scenario whose team settings only a calendar run can honour,
/// rather than ignoring them.
fn check_cohort(scenario: &Scenario) -> Result<(), Refusal> {
    let routing = &scenario.routing;
    let used: Vec<&str> = [
        (
            scenario.leads.source.has_arrivals(),
            "leads.source (inbound arrivals)",
        ),
        (!scenario.team.members.is_empty(), "[[team.members]]"),
        (
            routing.recycle_after_days.is_some(),
            "routing.recycle_after_days",
        ),
        (routing.cherry_pick > 0.0, "routing.cherry_pick"),
        (routing.priority != Priority::Age, "routing.priority"),
        (scenario.nurture.monthly_response_rate > 0.0, "[nurture]"),
        (!scenario.people.is_empty(), "[people]"),
    ]
    .into_iter()
    .filter_map(|(set, key)| set.then_some(key))
    .collect();
    if used.is_empty() {
        return Ok(());
    }
    Err(Refusal(format!(
        "{} act(s) on the team's calendar, which a cohort of leads has not got: add --calendar",
        used.join(", ")
    )))
}

/// Refuses scenarios whose prospecting time a plan cannot size: a plan finds the hours of list
/// prospecting that reach the goal, the same hours for every rep who does not state their own.
fn check_plannable(scenario: &Scenario) -> Result<(), Refusal> {
    if scenario.leads.source.has_arrivals() {
        return Err(Refusal(format!(
            "leads.source = \"{}\": this plan sizes list prospecting, and hours cannot make \
             inbound leads arrive faster; `callblitz plan` sizes an inbound team for the \
             service stated in [service], and `simulate --calendar` shows what a team does \
             with the leads",
            scenario.leads.source.name()
        )));
    }
    let members = &scenario.team.members;
    if !members.is_empty() && members.iter().all(|m| m.hours_per_day.is_some()) {
        return Err(Refusal(
            "team.members: every member states hours_per_day, so plan has no hours to find; \
             remove hours_per_day from the members whose hours the plan should size (the \
             others keep theirs), or see what these hours give with `simulate --calendar`"
                .to_string(),
        ));
    }
    Ok(())
}

/// Refuses scenarios whose team a sizing cannot size: it needs leads that arrive, a promise
/// to keep, hours to find, and the numbers as written.
fn check_sizable(scenario: &Scenario) -> Result<(), Refusal> {
    if !scenario.leads.source.has_arrivals() {
        return Err(Refusal(format!(
            "leads.source = \"{}\": no leads arrive, so there is no flow to size a team for; \
             `plan` finds the hours of list prospecting that reach the goal",
            scenario.leads.source.name()
        )));
    }
    if scenario.service.is_empty() {
        return Err(Refusal(format!(
            "leads.source = \"{}\": hours cannot make inbound leads arrive faster, so plan \
             sizes the team for the service it promises them, and none is stated: add \
             [service] with any of penetration = 80 (percent of the cadence's touches made), \
             called_within_minutes = 60 with called_within_share = 0.5, backlog = 100 \
             (touches overdue at the year's end, at most); or see what the team does with \
             `simulate --calendar`",
            scenario.leads.source.name()
        )));
    }
    let members = &scenario.team.members;
    if !members.is_empty() && members.iter().all(|m| m.hours_per_day.is_some()) {
        return Err(Refusal(
            "team.members: every member states hours_per_day, so plan has no hours to find \
             and no reps to add; remove hours_per_day from the members whose hours the plan \
             should size, or remove [[team.members]] and let it find the number of reps"
                .to_string(),
        ));
    }
    if !scenario.uncertainty.is_empty() {
        return Err(Refusal(
            "[uncertainty]: sizing an inbound team runs on the numbers as written; remove \
             [uncertainty] to size the team, or see the drawn numbers' spread with \
             `simulate --calendar`"
                .to_string(),
        ));
    }
    Ok(())
}

/// The most reps a sizing of `scenario` may try: [`MAX_SIZED_REPS`], or the members listed,
/// or fewer when a larger team's runs would make more touches than a run may.
fn most_sized_reps(scenario: &Scenario) -> u32 {
    if !scenario.team.members.is_empty() {
        return scenario.team.reps;
    }
    let fits = |reps: u32| SIZING_RUNS * sized_touches(scenario, reps) <= MAX_CALENDAR_TOUCHES;
    (1..=MAX_SIZED_REPS)
        .rev()
        .find(|&reps| fits(reps))
        .unwrap_or(1)
}

/// The most touches a run of `reps` reps of `scenario` at a working day of prospecting may
/// make: their capacity, or for inbound leads alone, every touch the cadence plans for them.
fn sized_touches(scenario: &Scenario, reps: u32) -> f64 {
    let mut team = scenario.clone();
    if team.team.members.is_empty() {
        team.team.reps = reps;
    }
    let capacity = calendar_touches(&team, team.team.workday_hours).1;
    if scenario.leads.source.has_list() {
        return capacity;
    }
    let sim = &scenario.simulation;
    let planned = scenario
        .lead_groups()
        .iter()
        .map(|g| g.scenario.cadence.expand().len())
        .max()
        .unwrap_or(0);
    let arriving = scenario.leads.per_week * f64::from(sim.weeks) * sim.replications as f64;
    capacity.min(arriving * planned as f64)
}

/// Refuses blitz runs that would not fit in memory or would take too long, saying how many
/// replications would do.
fn check_blitz(model: &BlitzModel, scenario: &Scenario) -> Result<(), Refusal> {
    let replications = scenario.simulation.replications;
    let teams = model.teams();
    let reps: usize = teams.iter().map(|t| t.reps.len()).sum();
    let kept = (model.progress_minutes() * teams.len() + reps) as f64;
    let dials = model.expected_dials_at_most();
    let most = (MAX_BLITZ_KEPT / kept).min(MAX_BLITZ_DIALS / dials).floor();
    if most < 2.0 {
        return Err(Refusal(format!(
            "[blitz]: one replication keeps {kept:.0} counts and makes up to {dials:.0} dials, \
             too many for the two a run needs (a run may keep {MAX_BLITZ_KEPT:.0e} counts and \
             make {MAX_BLITZ_DIALS:.0e} dials): shorten blitz.minutes, use fewer reps or slower \
             dials (channels.call.minutes)"
        )));
    }
    if replications as f64 > most {
        return Err(Refusal(format!(
            "simulation.replications = {replications}: this blitz keeps {kept:.0} counts and \
             makes up to {dials:.0} dials per replication; a run may keep {MAX_BLITZ_KEPT:.0e} \
             counts and make {MAX_BLITZ_DIALS:.0e} dials: use at most {most:.0} replications"
        )));
    }
    Ok(())
}

/// What a run may simulate at most: cohort leads and calendar touches.
struct Work {
    leads: f64,
    touches: f64,
}

/// Refuses runs that together would take longer than one run may (a minute or two on two
/// cores): `what` names the runs in the message, and `fix` says how to need less.
pub fn check_together<'a>(
    what: &str,
    fix: &str,
    runs: impl IntoIterator<Item = &'a Run>,
) -> Result<(), Refusal> {
    let (mut touches, mut leads, mut count) = (0.0, 0.0, 0);
    for run in runs {
        let work = run.work();
        count += 1;
        leads += work.leads;
        touches += work.touches;
    }
    let most_leads = MAX_LEAD_REPLICATIONS as f64;
    let (total, most, unit) = if touches > MAX_CALENDAR_TOUCHES {
        (touches, MAX_CALENDAR_TOUCHES, "touches")
    } else if leads > most_leads {
        (leads, most_leads, "leads")
    } else {
        return Ok(());
    };
    Err(Refusal(format!(
        "{what}: its {count} runs would simulate up to {total:.1e} {unit} in all, more than \
         the {most:.0e} one command may take (a minute or two on two cores): {fix}"
    )))
}

/// Refuses named variants that cannot share their random numbers: another seed or number of
/// replications than the first's (the baseline).
pub fn check_common_numbers(variants: &[(String, Scenario)]) -> Result<(), Refusal> {
    let Some(((base_name, base), rest)) = variants.split_first() else {
        return Ok(());
    };
    let base = &base.simulation;
    for (name, scenario) in rest {
        let this = &scenario.simulation;
        if (this.seed, this.replications) != (base.seed, base.replications) {
            return Err(Refusal(format!(
                "\"{name}\" runs seed {} with {} replications, but the baseline \"{base_name}\" \
                 runs seed {} with {}: common random numbers need the same for every variant \
                 (set them for all with --seed and --replications)",
                this.seed, this.replications, base.seed, base.replications
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_with;

    fn scenario(overrides: &[&str]) -> Scenario {
        load_with("", overrides)
    }

    #[test]
    fn a_cohort_of_a_team_with_members_is_refused_and_a_calendar_of_it_prepared() {
        let team = scenario(&["team.members=[{name=\"Ann\"}]", "team.reps=1"]);
        let refusal = Run::prepare(team.clone(), Kind::Cohort).unwrap_err();
        assert!(refusal.0.contains("[[team.members]]"), "{refusal}");
        assert!(!Kind::Cohort.suits(&team));
        let run = Run::prepare(team, Kind::Calendar).unwrap();
        assert_eq!(run.kind(), Kind::Calendar);
    }

    #[test]
    fn runs_that_each_fit_are_refused_together_when_their_sum_does_not() {
        // 1e6 leads × 60,000 replications is 6e10 lead-replications: one run fits the
        // 1e11 a command may take, two do not.
        let big = scenario(&["leads.count=1000000", "simulation.replications=60000"]);
        let run = Run::prepare(big, Kind::Cohort).unwrap();
        assert_eq!(check_together("one", "fix", [&run]), Ok(()));
        let two = check_together("two runs", "use fewer", [&run, &run]).unwrap_err();
        assert!(
            two.0
                .starts_with("two runs: its 2 runs would simulate up to 1.2e11 leads")
        );
        assert!(two.0.ends_with(": use fewer"), "{two}");
    }

    #[test]
    fn a_plan_starts_from_the_expected_funnel_and_varies_only_what_it_reads() {
        let run = Run::prepare(scenario(&["goal.deals=10"]), Kind::Plan).unwrap();
        let start = run.plan_start().unwrap();
        assert_eq!(start.target.deals, 10.0);
        assert!(start.expected_hours_per_week > 0.0);
        let base = scenario(&[]);
        assert!(
            Kind::Plan
                .check_reads("team.prospecting_hours_per_day", &base)
                .is_err()
        );
        assert!(Kind::Plan.check_reads("funnel.win_rate", &base).is_ok());
        assert!(Kind::Cohort.check_reads("goal.deals", &base).is_err());
        assert!(Kind::Calendar.check_reads("blitz.minutes", &base).is_err());
        // A territory's size is a calendar's lever; an unlimited list has none.
        assert!(Kind::Calendar.check_reads("leads.count", &base).is_ok());
        let unlimited = scenario(&["leads.unlimited=true"]);
        assert!(Kind::Plan.check_reads("leads.count", &unlimited).is_err());
    }
}
