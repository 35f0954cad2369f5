//! The blitz engine: reps dial back to back from a list for a session, minute by minute.
//!
//! Each dial takes the call channel's minutes (divided by the team's pace, Gamma-distributed
//! with the scenario's spread) and reaches a new lead: its reachability p is drawn as in
//! docs/model.md (the unreachable share, then the Beta by inversion), and the dial becomes a
//! conversation with chance min(1, p × the call's response × the team's response). A
//! conversation adds its minutes, and ends in an appointment (funnel.appointment_rate, with
//! the booking minutes), another positive response, or neither, each rate times the team's
//! conversion. With referrals on, a conversation also yields a referral with
//! `referrals.per_conversation`, and a referral is a positive response (published blitz results
//! count it so). Nobody dials during a break.

use rand::Rng;
use rand_distr::{Distribution, Gamma};

use super::Replicate;
use super::rng::Stream;
use super::sampling::{ReachSampler, unit_interval};
use crate::scenario::{DEFAULT_BLITZ_REPS, Scenario};

/// What a blitz counts, per rep and by minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BlitzCounts {
    pub dials: u32,
    pub conversations: u32,
    pub appointments: u32,
    /// Appointments, referrals and other positive responses.
    pub positives: u32,
    /// Conversations that yielded a referral.
    pub referrals: u32,
}

impl BlitzCounts {
    /// Adds another's counts.
    pub fn add(&mut self, other: &BlitzCounts) {
        self.dials += other.dials;
        self.conversations += other.conversations;
        self.appointments += other.appointments;
        self.positives += other.positives;
        self.referrals += other.referrals;
    }
}

/// One team of a blitz, as the engine sees it.
#[derive(Debug, Clone)]
pub struct BlitzTeamModel {
    pub name: String,
    /// The reps' names, in order.
    pub reps: Vec<String>,
    /// Whether the names are the scenario's `members` (else they are made up).
    pub named: bool,
    /// Mean minutes of a dial that reaches nobody, at this team's pace.
    dial_minutes: f64,
    /// Multiplier on a dial's chance of a conversation (the call's response included).
    response: f64,
    /// Multiplier on a conversation's chance of an appointment or another positive response.
    conversion: f64,
}

/// Everything a blitz replication needs.
#[derive(Debug, Clone)]
pub struct BlitzModel {
    minutes: f64,
    /// (start, end) of each break, in order.
    breaks: Vec<(f64, f64)>,
    teams: Vec<BlitzTeamModel>,
    /// Gamma shape of a dial's minutes (`None`: every dial takes its mean).
    dial_shape: Option<f64>,
    conversation_minutes: f64,
    booking_minutes: f64,
    /// The list's leads' reachability.
    reach: ReachSampler,
    appointment_rate: f64,
    other_positive_rate: f64,
    /// Chance a conversation yields a referral (0: referrals off).
    referral_chance: f64,
}

impl BlitzModel {
    /// The blitz of a valid scenario: `[[blitz.teams]]`, or `blitz.reps` reps in one team.
    pub fn new(scenario: &Scenario) -> Self {
        let blitz = &scenario.blitz;
        let call = &scenario.channels.call;
        let teams = if blitz.teams.is_empty() {
            vec![BlitzTeamModel {
                name: "team".to_string(),
                reps: (1..=blitz.reps.unwrap_or(DEFAULT_BLITZ_REPS))
                    .map(|i| format!("rep {i}"))
                    .collect(),
                named: false,
                dial_minutes: call.minutes,
                response: call.response,
                conversion: 1.0,
            }]
        } else {
            blitz
                .teams
                .iter()
                .map(|t| BlitzTeamModel {
                    name: t.name.clone(),
                    reps: if t.members.is_empty() {
                        (1..=t.reps).map(|i| format!("{} {i}", t.name)).collect()
                    } else {
                        t.members.clone()
                    },
                    named: !t.members.is_empty(),
                    dial_minutes: call.minutes / t.pace,
                    response: call.response * t.response,
                    conversion: t.conversion,
                })
                .collect()
        };
        let mut breaks: Vec<(f64, f64)> = blitz
            .breaks
            .iter()
            .map(|b| (b.after, b.after + b.minutes))
            .collect();
        breaks.sort_by(|a, b| a.0.total_cmp(&b.0));
        BlitzModel {
            minutes: blitz.minutes,
            breaks,
            teams,
            dial_shape: (blitz.dial_spread > 0.0).then(|| 1.0 / (blitz.dial_spread.powi(2))),
            conversation_minutes: call.conversation_minutes,
            booking_minutes: scenario.funnel.booking_minutes,
            reach: ReachSampler::new(scenario),
            appointment_rate: scenario.funnel.appointment_rate,
            other_positive_rate: blitz.other_positive_rate,
            referral_chance: scenario.referrals.per_conversation,
        }
    }

    /// Whether conversations yield referrals.
    pub fn has_referrals(&self) -> bool {
        self.referral_chance > 0.0
    }

    /// The teams, in order.
    pub fn teams(&self) -> &[BlitzTeamModel] {
        &self.teams
    }

    /// Session minutes.
    pub fn minutes(&self) -> f64 {
        self.minutes
    }

    /// The most dials one replication can make: every rep dialing the whole session at the
    /// quickest mean pace (the run-size guard's estimate).
    pub fn expected_dials_at_most(&self) -> f64 {
        self.teams
            .iter()
            .map(|t| t.reps.len() as f64 * self.minutes / t.dial_minutes)
            .sum()
    }

    /// (start, end) of each break, in order.
    pub fn breaks(&self) -> &[(f64, f64)] {
        &self.breaks
    }

    /// Whole minutes of the progress series (the session's, rounded up).
    pub fn progress_minutes(&self) -> usize {
        self.minutes.ceil() as usize
    }

    /// The first minute at or after `t` outside every break.
    fn after_breaks(&self, mut t: f64) -> f64 {
        for &(start, end) in &self.breaks {
            if t >= start && t < end {
                t = end;
            }
        }
        t
    }

    /// Minutes of one dial for a team whose mean is `mean`.
    fn dial_minutes(&self, mean: f64, stream: &mut Stream) -> f64 {
        match self.dial_shape {
            None => mean,
            Some(shape) => Gamma::new(shape, mean / shape)
                .map(|g| g.sample(stream))
                .unwrap_or(mean),
        }
    }

    /// Dials one rep's session, adding to `rep` and to the team's `progress` by minute.
    fn dial_session(
        &self,
        team: &BlitzTeamModel,
        stream: &mut Stream,
        rep: &mut BlitzCounts,
        progress: &mut [BlitzCounts],
    ) {
        let last = progress.len() - 1;
        let minute = |t: f64| (t.max(0.0) as usize).min(last);
        let mut t = self.after_breaks(0.0);
        while t < self.minutes {
            let dial = self.dial_minutes(team.dial_minutes, stream);
            let p = self.reach.sample(unit_interval(stream.next_u64()));
            // Not reach::touch_chance: a blitz team's response (1.5 in a shipped scenario) has
            // always scaled the chance itself, capped at 1, and its published figures rest on it.
            let reached = unit_interval(stream.next_u64()) < (p * team.response).min(1.0);
            let outcome = unit_interval(stream.next_u64());
            rep.dials += 1;
            progress[minute(t)].dials += 1;
            let mut end = t + dial;
            if reached {
                let appointment = outcome < self.appointment_rate * team.conversion;
                // Drawn only with referrals on, so that a blitz without them keeps its stream.
                let referral =
                    self.has_referrals() && unit_interval(stream.next_u64()) < self.referral_chance;
                let positive = referral
                    || outcome
                        < (self.appointment_rate + self.other_positive_rate) * team.conversion;
                end += self.conversation_minutes;
                if appointment {
                    end += self.booking_minutes;
                }
                let counts = BlitzCounts {
                    dials: 0,
                    conversations: 1,
                    appointments: u32::from(appointment),
                    positives: u32::from(positive),
                    referrals: u32::from(referral),
                };
                rep.add(&counts);
                // Logged at the dial's start, as call logs time a touch.
                progress[minute(t)].add(&counts);
            }
            t = self.after_breaks(end);
        }
    }
}

/// One blitz replication: every rep's counts (teams in order), and each team's counts by
/// minute (team-major).
#[derive(Debug, Clone, PartialEq)]
pub struct BlitzOutcome {
    pub reps: Vec<BlitzCounts>,
    pub progress: Vec<BlitzCounts>,
}

impl Replicate for BlitzModel {
    type Output = BlitzOutcome;
    type Scratch = ();

    fn scratch(&self) {}

    fn replicate(&self, stream: &mut Stream, _: &mut ()) -> BlitzOutcome {
        let minutes = self.progress_minutes();
        let mut progress = vec![BlitzCounts::default(); minutes * self.teams.len()];
        let mut reps = Vec::new();
        for (team, by_minute) in self.teams.iter().zip(progress.chunks_mut(minutes)) {
            for _ in &team.reps {
                let mut rep = BlitzCounts::default();
                self.dial_session(team, stream, &mut rep, by_minute);
                reps.push(rep);
            }
        }
        BlitzOutcome { reps, progress }
    }
}

/// Blitz replications, in replication order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BlitzSamples {
    pub runs: Vec<BlitzOutcome>,
}

impl super::Accumulate<BlitzOutcome> for BlitzSamples {
    fn with_capacity(replications: usize) -> Self {
        BlitzSamples {
            runs: Vec::with_capacity(replications),
        }
    }

    fn push(&mut self, output: BlitzOutcome) {
        self.runs.push(output);
    }

    fn merge(&mut self, other: Self) {
        self.runs.extend(other.runs);
    }
}

/// Runs `replications` blitz replications under `seed`.
pub fn simulate_blitz(model: &BlitzModel, replications: u64, seed: u64) -> BlitzSamples {
    super::run_replications(model, replications, seed, &())
}
