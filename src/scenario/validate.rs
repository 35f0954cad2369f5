//! The rules every scenario value must follow, checked all at once.

use std::fmt;

use super::{ChannelSettings, Scenario};

/// The most touches a cadence may plan (the survival tables are quadratic in it).
pub const MAX_TOUCHES: usize = 500;
/// The most replications a run may ask for (memory grows with it).
pub const MAX_REPLICATIONS: u64 = 1_000_000;
/// The most leads a cohort may hold per replication.
pub const MAX_LEADS: u64 = 100_000_000;
/// The most leads a cohort run may simulate in all (about two minutes on two cores).
pub const MAX_LEAD_REPLICATIONS: u64 = 100_000_000_000;

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
        self.found.push(Invalid {
            key: key.into(),
            value: value.to_string(),
            fix: fix.into(),
        });
    }

    /// A number inside `[lo, hi]`.
    fn between(&mut self, key: &str, value: f64, lo: f64, hi: f64) {
        if !(lo..=hi).contains(&value) {
            self.fail(key, value, format!("must be between {lo} and {hi}"));
        }
    }

    /// A share or rate: a number inside `[0, 1]`.
    fn share(&mut self, key: &str, value: f64) {
        self.between(key, value, 0.0, 1.0);
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

    fn channel(&mut self, name: &str, settings: &ChannelSettings) {
        if !(settings.minutes > 0.0 && settings.minutes.is_finite()) {
            self.fail(
                format!("channels.{name}.minutes"),
                settings.minutes,
                "must be above 0: every touch takes some of a rep's time",
            );
        }
        self.non_negative(
            &format!("channels.{name}.conversation_minutes"),
            settings.conversation_minutes,
        );
        let key = format!("channels.{name}.response");
        if !(0.0..=1.0).contains(&settings.response) {
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
        None => c.share("leads.reachability.mean", reach.mean),
        Some(kappa) => {
            if !(reach.mean > 0.0 && reach.mean < 1.0) {
                c.fail(
                    "leads.reachability.mean",
                    reach.mean,
                    "must be above 0 and below 1 when a concentration is given (a Beta \
                     distribution needs both of its shapes above 0); remove concentration \
                     for the same chance on every lead",
                );
            }
            if !(kappa > 0.0 && kappa.is_finite()) {
                c.fail(
                    "leads.reachability.concentration",
                    kappa,
                    "must be a number above 0: small values spread leads widely, large ones \
                     make them alike; remove the key for the same chance on every lead",
                );
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
    c.non_negative("leads.per_week", leads.per_week);

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
            c.whole_between("cadence.days", days.unwrap_or_default().into(), 1, 3650);
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
    c.share("funnel.appointment_rate", f.appointment_rate);
    c.share("funnel.show_rate", f.show_rate);
    c.share("funnel.opportunity_rate", f.opportunity_rate);
    c.share("funnel.win_rate", f.win_rate);
    c.non_negative("funnel.deal_size", f.deal_size);
    c.non_negative("funnel.booking_minutes", f.booking_minutes);
    c.non_negative("funnel.appointment_lag_days", f.appointment_lag_days);
    let cycle = &f.sales_cycle_days;
    c.positive("funnel.sales_cycle_days.median", cycle.median);
    if !(cycle.p90 >= cycle.median && cycle.p90.is_finite()) {
        c.fail(
            "funnel.sales_cycle_days.p90",
            cycle.p90,
            format!(
                "must be at least the median ({}): nine deals in ten close within it",
                cycle.median
            ),
        );
    }

    let team = &s.team;
    c.whole_between("team.reps", team.reps.into(), 1, 10_000);
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

    let goal = &s.goal;
    match (goal.deals, goal.revenue) {
        (Some(_), Some(_)) => c.fail(
            "goal",
            "",
            "give either `deals` or `revenue`, not both (from the command line, set the \
             whole table: --set 'goal={revenue=800000}')",
        ),
        (None, None) => c.fail("goal", "", "give `deals` or `revenue`"),
        (Some(deals), None) => c.positive("goal.deals", deals),
        (None, Some(revenue)) => c.positive("goal.revenue", revenue),
    }
    if !(goal.confidence > 0.0 && goal.confidence < 1.0) {
        c.fail(
            "goal.confidence",
            goal.confidence,
            "must be above 0 and below 1 (e.g. 0.8 for an 80% chance of reaching the goal)",
        );
    }

    c.found
}
