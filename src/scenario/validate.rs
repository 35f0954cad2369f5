//! The rules every scenario value must follow, checked all at once.

use std::fmt;

use super::{ChannelSettings, RoutingMode, Scenario};

/// The most touches a cadence may plan (the survival tables are quadratic in it).
pub const MAX_TOUCHES: usize = 500;
/// The most replications a run may ask for (memory grows with it).
pub const MAX_REPLICATIONS: u64 = 1_000_000;
/// The most leads a cohort may hold per replication.
pub const MAX_LEADS: u64 = 100_000_000;
/// The most leads a cohort run may simulate in all (about two minutes on two cores).
pub const MAX_LEAD_REPLICATIONS: u64 = 100_000_000_000;
/// The most inbound arrivals a week.
pub const MAX_PER_WEEK: f64 = 1_000_000.0;
/// The most reps (or `[[team.members]]`) a team may have.
pub const MAX_REPS: u32 = 10_000;
/// The most blocks a rep's prospecting day may be split into.
pub const MAX_SESSIONS: u32 = 96;
/// The most days any day count may span (ten years).
const MAX_DAYS: u32 = 3650;
/// The fewest minutes a touch may take: six seconds, quicker than any dialer.
const MIN_TOUCH_MINUTES: f64 = 0.1;
/// The most minutes one touch, conversation or booking may take: ten hours, longer than any
/// working day.
const MAX_TOUCH_MINUTES: f64 = 600.0;
/// The largest deal size, and a tenth of the largest revenue goal: no business is near them,
/// and sums over many deals stay exact in floating point.
const MAX_DEAL_SIZE: f64 = 1e10;
/// The most deals a goal may ask for.
const MAX_GOAL_DEALS: f64 = 1e7;
/// The smallest Beta shape (mean × concentration, and (1 − mean) × concentration): below it
/// the quantile function cannot be computed to the digits the engine needs.
pub const MIN_BETA_SHAPE: f64 = 0.01;
/// The largest concentration: beyond it every lead has practically the same chance.
pub const MAX_CONCENTRATION: f64 = 1e6;
/// The smallest chance above 0 a funnel rate, a reachability or a response may be.
const MIN_RATE: f64 = 1e-6;
/// The smallest deal size above 0: a cent.
const MIN_DEAL_SIZE: f64 = 0.01;
/// The largest speed-to-lead boost (an odds ratio).
const MAX_BOOST: f64 = 1e4;

/// One value that breaks a rule: the key, the value as written, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub key: String,
    /// The offending value, or empty for a rule between keys.
    pub value: String,
    pub fix: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.key, self.fix)
        } else {
            write!(f, "{} = {}: {}", self.key, self.value, self.fix)
        }
    }
}

/// Collects invalid values with their keys.
#[derive(Default)]
struct Checks {
    found: Vec<Invalid>,
}

impl Checks {
    fn fail(&mut self, key: impl Into<String>, value: impl fmt::Display, fix: impl Into<String>) {
        let mut value = value.to_string();
        // A number like 1e308 is shown as written, not as its 309 digits.
        if value.len() > 20
            && let Ok(x) = value.parse::<f64>()
        {
            value = format!("{x:e}");
        }
        self.found.push(Invalid {
            key: key.into(),
            value,
            fix: fix.into(),
        });
    }

    /// A number inside `[lo, hi]`.
    fn between(&mut self, key: &str, value: f64, lo: f64, hi: f64) {
        if !(lo..=hi).contains(&value) {
            let shown = |x: f64| {
                if x.abs() >= 1e7 {
                    format!("{x:e}")
                } else {
                    x.to_string()
                }
            };
            self.fail(
                key,
                value,
                format!("must be between {} and {}", shown(lo), shown(hi)),
            );
        }
    }

    /// A share: a number inside `[0, 1]`.
    fn share(&mut self, key: &str, value: f64) {
        self.between(key, value, 0.0, 1.0);
    }

    /// A chance the funnel or a lead's reachability multiplies: 0, or from [`MIN_RATE`] to 1.
    /// A rate of 1e-300 is no business's, and the reverse funnel would divide by it.
    fn rate(&mut self, key: &str, value: f64) {
        self.share(key, value);
        if value > 0.0 && value < MIN_RATE {
            self.fail(
                key,
                value,
                format!("must be 0 or at least {MIN_RATE:e}: no business converts that rarely"),
            );
        }
    }

    /// A finite number that is 0 or more.
    fn non_negative(&mut self, key: &str, value: f64) {
        if !(value >= 0.0 && value.is_finite()) {
            self.fail(key, value, "must be a number of 0 or more");
        }
    }

    /// A finite number above 0.
    fn positive(&mut self, key: &str, value: f64) {
        if !(value > 0.0 && value.is_finite()) {
            self.fail(key, value, "must be a number above 0");
        }
    }

    fn whole_between(&mut self, key: &str, value: u64, lo: u64, hi: u64) {
        if !(lo..=hi).contains(&value) {
            self.fail(
                key,
                value,
                format!("must be a whole number from {lo} to {hi}"),
            );
        }
    }

    /// Minutes a touch takes that reaches nobody.
    fn touch_minutes(&mut self, key: &str, minutes: f64, what: &str) {
        if !(MIN_TOUCH_MINUTES..=MAX_TOUCH_MINUTES).contains(&minutes) {
            self.fail(
                key,
                minutes,
                format!("must be from {MIN_TOUCH_MINUTES} to {MAX_TOUCH_MINUTES} minutes: {what}"),
            );
        }
    }

    /// Minutes added to a touch or a conversation (0 for none).
    fn extra_minutes(&mut self, key: &str, minutes: f64) {
        self.between(key, minutes, 0.0, MAX_TOUCH_MINUTES);
    }

    /// A day count from 0 to ten years.
    fn days(&mut self, key: &str, days: f64) {
        self.between(key, days, 0.0, MAX_DAYS.into());
    }

    fn channel(&mut self, name: &str, settings: &ChannelSettings) {
        self.touch_minutes(
            &format!("channels.{name}.minutes"),
            settings.minutes,
            "the rep's time for a touch that reaches nobody",
        );
        self.extra_minutes(
            &format!("channels.{name}.conversation_minutes"),
            settings.conversation_minutes,
        );
        let key = format!("channels.{name}.response");
        if (0.0..MIN_RATE).contains(&settings.response) && settings.response > 0.0 {
            self.rate(&key, settings.response);
        } else if !(0.0..=1.0).contains(&settings.response) {
            self.fail(
                key,
                settings.response,
                "must be between 0 and 1: it multiplies the chance of a live call (1.0), \
                 so 0.2 means a fifth as likely to lead to a conversation",
            );
        }
    }
}

/// Every rule a scenario breaks; empty when it is valid.
pub fn validate(s: &Scenario) -> Vec<Invalid> {
    let mut c = Checks::default();

    let sim = &s.simulation;
    if !(2..=MAX_REPLICATIONS).contains(&sim.replications) {
        c.fail(
            "simulation.replications",
            sim.replications,
            format!(
                "must be a whole number from 2 to {MAX_REPLICATIONS}: the spread and the \
                 confidence interval need at least two"
            ),
        );
    }
    c.whole_between("simulation.weeks", sim.weeks.into(), 1, 520);
    c.whole_between(
        "simulation.working_days_per_week",
        sim.working_days_per_week.into(),
        1,
        7,
    );
    if sim.weeks_off >= sim.weeks {
        c.fail(
            "simulation.weeks_off",
            sim.weeks_off,
            format!(
                "must be less than simulation.weeks ({}), or no week is left to work",
                sim.weeks
            ),
        );
    }

    let leads = &s.leads;
    c.whole_between("leads.count", leads.count, 1, MAX_LEADS);
    if leads.count.saturating_mul(sim.replications) > MAX_LEAD_REPLICATIONS {
        c.fail(
            "leads.count",
            leads.count,
            format!(
                "with {} replications this is {} leads to simulate, more than the {} a run may \
                 take (about two minutes): use fewer leads or fewer replications",
                sim.replications,
                leads.count.saturating_mul(sim.replications),
                MAX_LEAD_REPLICATIONS
            ),
        );
    }
    let reach = &leads.reachability;
    match reach.concentration {
        None => c.rate("leads.reachability.mean", reach.mean),
        Some(kappa) => {
            if reach.mean > 0.0 && reach.mean < MIN_RATE {
                c.rate("leads.reachability.mean", reach.mean);
            } else if !(reach.mean > 0.0 && reach.mean < 1.0) {
                c.fail(
                    "leads.reachability.mean",
                    reach.mean,
                    "must be above 0 and below 1 when a concentration is given (a Beta \
                     distribution needs both of its shapes above 0); remove concentration \
                     for the same chance on every lead",
                );
            }
            if !(kappa > 0.0 && kappa <= MAX_CONCENTRATION) {
                c.fail(
                    "leads.reachability.concentration",
                    kappa,
                    format!(
                        "must be above 0 and at most {MAX_CONCENTRATION:e}: small values spread \
                         leads widely, large ones make them alike; remove the key for the same \
                         chance on every lead"
                    ),
                );
            } else if reach.mean > 0.0 && reach.mean < 1.0 {
                let shape = (reach.mean * kappa).min((1.0 - reach.mean) * kappa);
                if shape < MIN_BETA_SHAPE {
                    let least = MIN_BETA_SHAPE / reach.mean.min(1.0 - reach.mean);
                    let fix = if least <= MAX_CONCENTRATION {
                        format!("use a concentration of at least {least}")
                    } else {
                        "no concentration allowed spreads them that little: remove it for the \
                         same chance on every lead"
                            .to_string()
                    };
                    c.fail(
                        "leads.reachability.concentration",
                        kappa,
                        format!(
                            "with mean {} this spreads leads too widely to simulate: mean × \
                             concentration and (1 − mean) × concentration must each be at least \
                             {MIN_BETA_SHAPE}; {fix}",
                            reach.mean
                        ),
                    );
                }
            }
        }
    }
    if !(reach.decay > 0.0 && reach.decay <= 1.0) {
        c.fail(
            "leads.reachability.decay",
            reach.decay,
            "must be above 0 and at most 1: each further touch multiplies the chance by it \
             (1 means no tiring)",
        );
    }
    c.share("leads.unreachable", leads.unreachable);
    leads_source(&mut c, s);

    let cadence = &s.cadence;
    match (&cadence.touches, cadence.attempts, cadence.days) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => c.fail(
            "cadence",
            "",
            "give either `touches` or the shorthand `attempts`/`days`, not both (to replace \
             a cadence from the command line, set the whole table: \
             --set 'cadence={attempts=3,days=7}')",
        ),
        (Some(touches), None, None) => {
            if touches.is_empty() {
                c.fail("cadence.touches", "[]", "must plan at least one touch");
            }
            if touches.len() > MAX_TOUCHES {
                c.fail(
                    "cadence.touches",
                    format!("[{} touches]", touches.len()),
                    format!("may plan at most {MAX_TOUCHES} touches"),
                );
            }
            if let Some(first) = touches.first().filter(|t| t.day != 0) {
                c.fail(
                    "cadence.touches[0].day",
                    first.day,
                    "the first touch must be on day 0: days count from the lead's first touch",
                );
            }
            for (i, touch) in touches.iter().enumerate() {
                c.whole_between(
                    &format!("cadence.touches[{i}].day"),
                    touch.day.into(),
                    0,
                    MAX_DAYS.into(),
                );
            }
            for (i, pair) in touches.windows(2).enumerate() {
                if pair[1].day < pair[0].day {
                    c.fail(
                        format!("cadence.touches[{}].day", i + 1),
                        pair[1].day,
                        format!(
                            "touches must be listed in day order: this one comes after a \
                             touch on day {}",
                            pair[0].day
                        ),
                    );
                }
            }
        }
        (None, attempts, days) => {
            // Deserialization fills both halves of the shorthand.
            let attempts = attempts.unwrap_or_default();
            c.whole_between("cadence.attempts", attempts.into(), 1, MAX_TOUCHES as u64);
            c.whole_between(
                "cadence.days",
                days.unwrap_or_default().into(),
                1,
                MAX_DAYS.into(),
            );
        }
    }

    let mut total_share = 0.0;
    for (i, g) in s.reps.give_up.iter().enumerate() {
        if g.after == 0 {
            c.fail(
                format!("reps.give_up[{i}].after"),
                0,
                "must be 1 or more: the number of touches after which these leads are dropped",
            );
        }
        c.share(&format!("reps.give_up[{i}].share"), g.share);
        total_share += g.share;
    }
    if total_share > 1.0 + 1e-9 {
        c.fail(
            "reps.give_up",
            format!("shares adding up to {total_share}"),
            "the shares must add up to at most 1 (the rest of the leads run the whole cadence)",
        );
    }

    let ch = &s.channels;
    c.channel("call", &ch.call);
    c.channel("voicemail", &ch.voicemail);
    c.channel("email", &ch.email);
    c.channel("inmail", &ch.inmail);

    let f = &s.funnel;
    c.rate("funnel.appointment_rate", f.appointment_rate);
    c.rate("funnel.show_rate", f.show_rate);
    c.rate("funnel.opportunity_rate", f.opportunity_rate);
    c.rate("funnel.win_rate", f.win_rate);
    c.between("funnel.deal_size", f.deal_size, 0.0, MAX_DEAL_SIZE);
    if f.deal_size > 0.0 && f.deal_size < MIN_DEAL_SIZE {
        c.fail(
            "funnel.deal_size",
            f.deal_size,
            format!("must be 0 or at least {MIN_DEAL_SIZE}: a deal is worth a cent or more"),
        );
    }
    c.extra_minutes("funnel.booking_minutes", f.booking_minutes);
    c.days("funnel.appointment_lag_days", f.appointment_lag_days);
    let cycle = &f.sales_cycle_days;
    if !(cycle.median > 0.0 && cycle.median <= MAX_DAYS.into()) {
        c.fail(
            "funnel.sales_cycle_days.median",
            cycle.median,
            format!("must be above 0 and at most {MAX_DAYS} days"),
        );
    }
    if !(cycle.p90 >= cycle.median && cycle.p90 <= MAX_DAYS.into()) {
        c.fail(
            "funnel.sales_cycle_days.p90",
            cycle.p90,
            format!(
                "must be at least the median ({}) and at most {MAX_DAYS} days: nine deals in \
                 ten close within it",
                cycle.median
            ),
        );
    }

    let team = &s.team;
    if team.members.is_empty() {
        c.whole_between("team.reps", team.reps.into(), 1, MAX_REPS.into());
    }
    if !(team.prospecting_hours_per_day > 0.0 && team.prospecting_hours_per_day <= 24.0) {
        c.fail(
            "team.prospecting_hours_per_day",
            team.prospecting_hours_per_day,
            "must be above 0 and at most 24",
        );
    }
    if !(team.workday_hours > 0.0 && team.workday_hours <= 24.0) {
        c.fail(
            "team.workday_hours",
            team.workday_hours,
            "must be above 0 and at most 24",
        );
    } else if team.prospecting_hours_per_day > team.workday_hours {
        c.fail(
            "team.prospecting_hours_per_day",
            team.prospecting_hours_per_day,
            format!(
                "must be at most team.workday_hours ({}): nobody prospects longer than the \
                 working day",
                team.workday_hours
            ),
        );
    }
    c.between(
        "team.ramp_weeks",
        team.ramp_weeks,
        0.0,
        f64::from(s.simulation.weeks),
    );

    if !(1..=MAX_SESSIONS).contains(&team.sessions_per_day) {
        c.fail(
            "team.sessions_per_day",
            team.sessions_per_day,
            format!(
                "must be a whole number from 1 to {MAX_SESSIONS}: the blocks a rep's \
                 prospecting time comes in each working day"
            ),
        );
    }
    members(&mut c, s);
    routing(&mut c, s);

    let speed = &s.speed_to_lead;
    if !(1.0..=MAX_BOOST).contains(&speed.boost) {
        c.fail(
            "speed_to_lead.boost",
            speed.boost,
            format!(
                "must be a number from 1 to {MAX_BOOST}: it multiplies the odds of reaching an \
                 inbound lead called at once (1 means speed makes no difference)"
            ),
        );
    }
    let most_minutes = f64::from(MAX_DAYS) * 24.0 * 60.0;
    if !(speed.half_life_minutes > 0.0 && speed.half_life_minutes <= most_minutes) {
        c.fail(
            "speed_to_lead.half_life_minutes",
            speed.half_life_minutes,
            format!(
                "must be above 0 and at most {most_minutes}: the minutes after which the boost \
                 has halved"
            ),
        );
    }

    let nurture = &s.nurture;
    if !(nurture.monthly_response_rate >= 0.0 && nurture.monthly_response_rate < 1.0) {
        c.fail(
            "nurture.monthly_response_rate",
            nurture.monthly_response_rate,
            "must be 0 or more and below 1: the chance a nurtured lead responds within a \
             month (0 turns nurture off)",
        );
    }
    c.whole_between(
        "nurture.after_days",
        nurture.after_days.into(),
        0,
        MAX_DAYS.into(),
    );

    blitz(&mut c, s);

    let goal = &s.goal;
    match (goal.deals, goal.revenue) {
        (Some(_), Some(_)) => c.fail(
            "goal",
            "",
            "give either `deals` or `revenue`, not both (from the command line, set the \
             whole table: --set 'goal={revenue=800000}')",
        ),
        (None, None) => c.fail("goal", "", "give `deals` or `revenue`"),
        (Some(deals), None) => between_at_least(&mut c, "goal.deals", deals, 1.0, MAX_GOAL_DEALS),
        (None, Some(revenue)) => {
            between_at_least(&mut c, "goal.revenue", revenue, 1.0, 10.0 * MAX_DEAL_SIZE);
        }
    }
    if !(goal.confidence > 0.0 && goal.confidence < 1.0) {
        c.fail(
            "goal.confidence",
            goal.confidence,
            "must be above 0 and below 1 (e.g. 0.8 for an 80% chance of reaching the goal)",
        );
    }

    sweep(&mut c, s);

    c.found
}

/// A number from `least` to `most`, for goals (at least one deal, or one unit of revenue).
fn between_at_least(c: &mut Checks, key: &str, value: f64, least: f64, most: f64) {
    if !(least..=most).contains(&value) {
        c.fail(key, value, format!("must be from {least} to {most:e}"));
    }
}

/// The rules of `[sweep]`: its axes read as `--vary` reads them, its metric is one the run
/// reports, and its swing is a share.
fn sweep(c: &mut Checks, s: &Scenario) {
    use crate::sweep::{Axis, Grid, Measure};
    let sweep = &s.sweep;
    let mut axes = Vec::new();
    for (i, text) in sweep.vary.iter().enumerate() {
        match Axis::parse(text) {
            Ok(axis) => axes.push(axis),
            Err(why) => c.fail(
                format!("sweep.vary[{i}]"),
                format!("\"{text}\""),
                why.replacen(&format!("--vary {text}: "), "", 1),
            ),
        }
    }
    if !axes.is_empty()
        && let Err(why) = Grid::new(axes)
    {
        c.fail("sweep.vary", "", why.replace("--vary ", ""));
    }
    if let Some(name) = &sweep.metric {
        match Measure::named(name) {
            Err(why) => c.fail("sweep.metric", format!("\"{name}\""), why),
            Ok(measure) if !measure.reported_by(sweep.run) => c.fail(
                "sweep.metric",
                format!("\"{name}\""),
                if sweep.run == super::Run::Plan {
                    "a plan reports required_hours: remove sweep.metric or run a cohort or a \
                     calendar (sweep.run)"
                        .to_string()
                } else {
                    "required_hours comes from plans: set sweep.run = \"plan\"".to_string()
                },
            ),
            Ok(_) => {}
        }
    }
    if !(crate::sweep::MIN_SWING..1.0).contains(&sweep.swing) {
        c.fail(
            "sweep.swing",
            sweep.swing,
            format!(
                "must be from {} and below 1: the share each parameter is swung down and up \
                 by (0.2 for 20%)",
                crate::sweep::MIN_SWING
            ),
        );
    }
}

/// The most minutes a blitz may last.
const MAX_BLITZ_MINUTES: f64 = 600.0;
/// The most reps in one blitz.
const MAX_BLITZ_REPS: u64 = 1000;

/// The rules of `[blitz]`.
fn blitz(c: &mut Checks, s: &Scenario) {
    let b = &s.blitz;
    if !(b.minutes > 0.0 && b.minutes <= MAX_BLITZ_MINUTES) {
        c.fail(
            "blitz.minutes",
            b.minutes,
            format!("must be above 0 and at most {MAX_BLITZ_MINUTES}: the session's length"),
        );
    }
    match (b.reps, b.teams.is_empty()) {
        (Some(_), false) => c.fail(
            "blitz.reps",
            b.reps.unwrap_or_default(),
            "with [[blitz.teams]], give each team its reps instead: remove blitz.reps",
        ),
        (Some(reps), true) => c.whole_between("blitz.reps", reps.into(), 1, MAX_BLITZ_REPS),
        (None, _) => {}
    }
    c.between("blitz.dial_spread", b.dial_spread, 0.0, 3.0);
    c.rate("blitz.other_positive_rate", b.other_positive_rate);
    let positive = s.funnel.appointment_rate + b.other_positive_rate;
    if positive > 1.0 {
        c.fail(
            "blitz.other_positive_rate",
            b.other_positive_rate,
            format!(
                "with funnel.appointment_rate ({}) it must add up to at most 1: they are \
                 shares of the same conversations",
                s.funnel.appointment_rate
            ),
        );
    }
    let mut previous_end = f64::NEG_INFINITY;
    for (i, brk) in b.breaks.iter().enumerate() {
        if !(brk.after >= previous_end.max(0.0) && brk.after + brk.minutes < b.minutes) {
            c.fail(
                format!("blitz.breaks[{i}].after"),
                brk.after,
                "must be inside the session, ending before it does, and after the previous \
                 break ends (list breaks in order)",
            );
        }
        c.positive(&format!("blitz.breaks[{i}].minutes"), brk.minutes);
        previous_end = brk.after + brk.minutes;
    }
    let total_reps: u64 = b.teams.iter().map(|t| u64::from(t.reps)).sum();
    if total_reps > MAX_BLITZ_REPS {
        c.fail(
            "blitz.teams",
            format!("[{total_reps} reps]"),
            format!("a blitz may have at most {MAX_BLITZ_REPS} reps in all"),
        );
    }
    let mut names: Vec<&str> = Vec::new();
    let mut members: Vec<&str> = Vec::new();
    for (i, team) in b.teams.iter().enumerate() {
        let key = |k: &str| format!("blitz.teams[{i}].{k}");
        if team.name.trim().is_empty() || names.contains(&team.name.as_str()) {
            c.fail(
                key("name"),
                format!("\"{}\"", team.name),
                "every team needs a name of its own",
            );
        }
        names.push(&team.name);
        c.whole_between(&key("reps"), team.reps.into(), 1, MAX_BLITZ_REPS);
        c.between(&key("pace"), team.pace, 0.01, 100.0);
        c.between(&key("response"), team.response, 0.0, 100.0);
        c.non_negative(&key("conversion"), team.conversion);
        if positive * team.conversion > 1.0 {
            c.fail(
                key("conversion"),
                team.conversion,
                format!(
                    "times funnel.appointment_rate + blitz.other_positive_rate ({positive}) it \
                     must be at most 1: it can be at most {:.3}",
                    1.0 / positive
                ),
            );
        }
        if !team.members.is_empty() && team.members.len() != team.reps as usize {
            c.fail(
                key("members"),
                format!("[{} names]", team.members.len()),
                format!(
                    "must name all {} reps of the team, or be left out",
                    team.reps
                ),
            );
        }
        for member in &team.members {
            if member.trim().is_empty()
                || member.trim() != member
                || members.contains(&member.as_str())
            {
                c.fail(
                    key("members"),
                    format!("\"{member}\""),
                    "each rep needs a name of their own, in one team only, without spaces around it",
                );
            }
            members.push(member);
        }
    }
}

/// The largest weight of a day in `leads.arrival_profile` (weights are relative).
const MAX_PROFILE_WEIGHT: f64 = 1e6;

/// `leads.source`, `leads.per_week` and `leads.arrival_profile`, which go together.
fn leads_source(c: &mut Checks, s: &Scenario) {
    let leads = &s.leads;
    let source = format!("\"{}\"", leads.source.name());
    if !(leads.per_week >= 0.0 && leads.per_week <= MAX_PER_WEEK) {
        c.fail(
            "leads.per_week",
            leads.per_week,
            format!("must be a number from 0 to {MAX_PER_WEEK}: inbound arrivals a week"),
        );
    } else if leads.source.has_arrivals() && leads.per_week == 0.0 {
        c.fail(
            "leads.source",
            &source,
            "inbound leads need an arrival rate: set leads.per_week to the average number of \
             leads that arrive a week (above 0), or use source = \"list\"",
        );
    } else if !leads.source.has_arrivals() && leads.per_week > 0.0 {
        c.fail(
            "leads.per_week",
            leads.per_week,
            "per_week is for inbound arrivals: set leads.source = \"inbound\" or \"both\", \
             or remove per_week",
        );
    }

    let profile = &leads.arrival_profile;
    if profile.is_empty() {
        return;
    }
    let written = format!(
        "[{}]",
        profile
            .iter()
            .map(f64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !leads.source.has_arrivals() {
        c.fail(
            "leads.arrival_profile",
            &written,
            format!(
                "shapes inbound arrivals over the week, and leads.source = {source} has none: \
                 set leads.source = \"inbound\" or \"both\", or remove arrival_profile"
            ),
        );
    }
    let days = s.simulation.working_days_per_week;
    if profile.len() != days as usize {
        c.fail(
            "leads.arrival_profile",
            &written,
            format!(
                "must have one entry for each working day (simulation.working_days_per_week = \
                 {days}), Monday first, not {}; or remove it for the same arrivals every day",
                profile.len()
            ),
        );
    }
    let mut all_valid = true;
    for (i, &weight) in profile.iter().enumerate() {
        if !(0.0..=MAX_PROFILE_WEIGHT).contains(&weight) {
            all_valid = false;
            c.fail(
                format!("leads.arrival_profile[{i}]"),
                weight,
                format!(
                    "must be a number from 0 to {MAX_PROFILE_WEIGHT}: the day's share of the \
                     week's arrivals, relative to the other days"
                ),
            );
        }
    }
    if all_valid && profile.iter().sum::<f64>() <= 0.0 {
        c.fail(
            "leads.arrival_profile",
            &written,
            "must have at least one day above 0, or no lead ever arrives; remove it for the \
             same arrivals every day",
        );
    }
}

/// `[[team.members]]`: their number against `team.reps`, and each member's own keys.
fn members(c: &mut Checks, s: &Scenario) {
    let team = &s.team;
    let members = &team.members;
    if members.is_empty() {
        return;
    }
    if members.len() > MAX_REPS as usize {
        c.fail(
            "team.members",
            format!("[{} members]", members.len()),
            format!("a team may have at most {MAX_REPS} members"),
        );
    } else if team.reps as usize != members.len() {
        c.fail(
            "team.reps",
            team.reps,
            format!(
                "does not match the {} [[team.members]] listed: remove team.reps, it counts the \
                 members",
                members.len()
            ),
        );
    }
    // The limit a member's hours must keep; a bad workday is reported on its own key.
    let workday = if team.workday_hours > 0.0 && team.workday_hours <= 24.0 {
        team.workday_hours
    } else {
        24.0
    };
    let appointment_rate = s.funnel.appointment_rate;
    for (i, m) in members.iter().enumerate() {
        let key = |name: &str| format!("team.members[{i}].{name}");
        if m.name.trim().is_empty() {
            c.fail(
                key("name"),
                format!("\"{}\"", m.name),
                "must not be empty: reports name each member",
            );
        } else if let Some(first) = members[..i].iter().position(|o| o.name == m.name) {
            c.fail(
                key("name"),
                format!("\"{}\"", m.name),
                format!(
                    "team.members[{first}] has this name already: give each member a name of \
                     their own"
                ),
            );
        }
        if let Some(hours) = m.hours_per_day
            && !(hours > 0.0 && hours <= workday)
        {
            c.fail(
                key("hours_per_day"),
                hours,
                format!(
                    "must be above 0 and at most team.workday_hours ({workday}): nobody \
                     prospects longer than the working day; remove it for the team's \
                     prospecting_hours_per_day"
                ),
            );
        }
        if let Some(minutes) = m.minutes_per_touch {
            c.touch_minutes(
                &key("minutes_per_touch"),
                minutes,
                "this rep's time for a call that reaches nobody; remove it for \
                 channels.call.minutes",
            );
        }
        if !(m.skill >= 0.0 && m.skill.is_finite()) {
            c.fail(
                key("skill"),
                m.skill,
                "must be a number of 0 or more: it multiplies funnel.appointment_rate for this \
                 rep's conversations (1 is the team's rate)",
            );
        } else if (0.0..=1.0).contains(&appointment_rate) && m.skill * appointment_rate > 1.0 {
            c.fail(
                key("skill"),
                m.skill,
                format!(
                    "times funnel.appointment_rate ({appointment_rate}) this is a chance above \
                     1 of booking an appointment from a conversation: use a skill of at most {}",
                    (1000.0 / appointment_rate).floor() / 1000.0
                ),
            );
        }
        if m.give_up == Some(0) {
            c.fail(
                key("give_up"),
                0,
                "must be 1 or more: the touches after which this rep drops a lead; remove it \
                 for reps.give_up",
            );
        }
        if let Some(ramp) = m.ramp_weeks
            && !(0.0..=f64::from(s.simulation.weeks)).contains(&ramp)
        {
            c.fail(
                key("ramp_weeks"),
                ramp,
                format!(
                    "must be between 0 and simulation.weeks ({}): the weeks this rep takes to \
                     reach full capacity; remove it for team.ramp_weeks",
                    s.simulation.weeks
                ),
            );
        }
    }
}

/// `[routing]`: the keys that only a round-robin means something for.
fn routing(c: &mut Checks, s: &Scenario) {
    let routing = &s.routing;
    let round_robin = routing.mode == RoutingMode::RoundRobin;
    let mode = routing.mode.name();
    if let Some(days) = routing.recycle_after_days {
        if !(1..=MAX_DAYS).contains(&days) {
            c.whole_between(
                "routing.recycle_after_days",
                days.into(),
                1,
                MAX_DAYS.into(),
            );
        } else if s.team.reps == 1 && round_robin {
            c.fail(
                "routing.recycle_after_days",
                days,
                "a dropped lead goes to another rep, and the team has one: add reps, or \
                 remove recycle_after_days",
            );
        } else if !round_robin {
            c.fail(
                "routing.recycle_after_days",
                days,
                format!(
                    "with mode = \"{mode}\" the pool works the whole cadence, so no lead is \
                     dropped to recycle: remove recycle_after_days or use mode = \"round-robin\""
                ),
            );
        }
    }
    if !(routing.cherry_pick >= 0.0 && routing.cherry_pick < 1.0) {
        c.fail(
            "routing.cherry_pick",
            routing.cherry_pick,
            "must be 0 or more and below 1: the share of leads, lowest score first, that reps \
             skip (1 would skip them all)",
        );
    } else if routing.cherry_pick > 0.0 && !s.leads.source.has_arrivals() {
        c.fail(
            "routing.cherry_pick",
            routing.cherry_pick,
            "reps skip inbound leads they are given; from a list they pick no lead at all \
             (leads.source = \"list\"): remove cherry_pick or use inbound leads",
        );
    } else if routing.cherry_pick > 0.0 && !round_robin {
        c.fail(
            "routing.cherry_pick",
            routing.cherry_pick,
            format!(
                "with mode = \"{mode}\" every lead in the pool is worked, so none is skipped: \
                 remove cherry_pick or use mode = \"round-robin\""
            ),
        );
    }
    if !(0.0..=1.0).contains(&routing.score_accuracy) {
        c.fail(
            "routing.score_accuracy",
            routing.score_accuracy,
            "must be between 0 and 1: the correlation between a lead's visible score and how \
             reachable it really is (0: the score says nothing, 1: it is exact)",
        );
    }
}
