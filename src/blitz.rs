//! Calling blitzes: what simulated sessions produce per team, per rep and by minute, and where
//! a real blitz (its call log) falls among them.

use std::collections::BTreeMap;

use crate::calllog::{Disposition, LogError, Touch, quoted};
use crate::engine::{BlitzCounts, BlitzModel, BlitzSamples};
use crate::stats::{Sample, Sorted, Summary};

/// The quantities a blitz reports, in order (with referrals on, [`BlitzFigure::Referrals`]
/// follows the positive responses).
const QUANTITIES: [BlitzFigure; 7] = [
    BlitzFigure::Dials,
    BlitzFigure::Conversations,
    BlitzFigure::Appointments,
    BlitzFigure::Positives,
    BlitzFigure::PositivesPerDial,
    BlitzFigure::PositivesPerConversation,
    BlitzFigure::AppointmentsPerConversation,
];

/// One thing a blitz produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlitzFigure {
    Dials,
    Conversations,
    Appointments,
    /// Appointments, referrals and other positive responses.
    Positives,
    /// Conversations that yielded a referral.
    Referrals,
    PositivesPerDial,
    PositivesPerConversation,
    AppointmentsPerConversation,
}

impl BlitzFigure {
    pub fn name(self) -> &'static str {
        match self {
            BlitzFigure::Dials => "dials",
            // The metric vocabulary of docs/model.md: each dial reaches a new lead, so a
            // conversation is a first conversation, a contact.
            BlitzFigure::Conversations => "contacts",
            BlitzFigure::Appointments => "appointments_set",
            BlitzFigure::Positives => "positive_responses",
            BlitzFigure::Referrals => "referrals",
            BlitzFigure::PositivesPerDial => "positive_rate_per_dial",
            BlitzFigure::PositivesPerConversation => "positive_rate_per_conversation",
            BlitzFigure::AppointmentsPerConversation => "appointment_rate_per_conversation",
        }
    }

    /// The quantity's value for some counts; a rate of nothing (no dial, no conversation) is
    /// NaN, and summaries leave it out.
    pub fn of(self, c: &BlitzCounts) -> f64 {
        let rate = |n: u32, d: u32| f64::from(n) / f64::from(d);
        match self {
            BlitzFigure::Dials => f64::from(c.dials),
            BlitzFigure::Conversations => f64::from(c.conversations),
            BlitzFigure::Appointments => f64::from(c.appointments),
            BlitzFigure::Positives => f64::from(c.positives),
            BlitzFigure::Referrals => f64::from(c.referrals),
            BlitzFigure::PositivesPerDial => rate(c.positives, c.dials),
            BlitzFigure::PositivesPerConversation => rate(c.positives, c.conversations),
            BlitzFigure::AppointmentsPerConversation => rate(c.appointments, c.conversations),
        }
    }
}

/// Simulated counts of one group of reps (a team, or everyone), one per replication.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub reps: usize,
    pub counts: Vec<BlitzCounts>,
    /// Cumulative counts by the end of each minute, one series per replication.
    pub progress: Vec<Vec<BlitzCounts>>,
}

impl Group {
    /// The summary of one quantity over replications.
    pub fn summary(&self, q: BlitzFigure) -> Summary {
        self.sample(q).summary()
    }

    fn sample(&self, q: BlitzFigure) -> Sample {
        self.values(q).collect()
    }

    /// One quantity in every replication where it is defined.
    pub fn values(&self, q: BlitzFigure) -> impl Iterator<Item = f64> + '_ {
        self.counts
            .iter()
            .map(move |c| q.of(c))
            .filter(|v| !v.is_nan())
    }

    /// (P10, median, P90) of a cumulative count at the end of each minute.
    pub fn progress_band(&self, q: BlitzFigure) -> Vec<(f64, f64, f64)> {
        let minutes = self.progress.first().map_or(0, Vec::len);
        (0..minutes)
            .map(|m| {
                let sorted: Sorted = self.progress.iter().map(|p| q.of(&p[m])).collect();
                (
                    sorted.percentile(0.1),
                    sorted.percentile(0.5),
                    sorted.percentile(0.9),
                )
            })
            .collect()
    }
}

/// What simulated blitzes produced: each team, everyone, and the leaderboard.
#[derive(Debug, Clone)]
pub struct Simulated {
    /// The quantities reported, in order.
    pub quantities: Vec<BlitzFigure>,
    pub teams: Vec<Group>,
    pub total: Group,
    /// Appointments of the rep ranked r (0: the best) in each replication.
    pub leaderboard: Vec<Sample>,
    /// Every rep's counts, by team, pooled over replications: what one rep of that team does.
    pub per_rep: Vec<Vec<BlitzCounts>>,
}

impl Simulated {
    pub fn new(model: &BlitzModel, samples: &BlitzSamples) -> Self {
        let minutes = model.progress_minutes();
        let teams = model.teams();
        let cumulative = |series: &[BlitzCounts]| -> Vec<BlitzCounts> {
            series
                .iter()
                .scan(BlitzCounts::default(), |total, c| {
                    total.add(c);
                    Some(*total)
                })
                .collect()
        };
        let mut groups: Vec<Group> = teams
            .iter()
            .map(|t| Group {
                name: t.name.clone(),
                reps: t.reps.len(),
                counts: Vec::new(),
                progress: Vec::new(),
            })
            .collect();
        let mut total = Group {
            name: "all teams".to_string(),
            reps: teams.iter().map(|t| t.reps.len()).sum(),
            counts: Vec::new(),
            progress: Vec::new(),
        };
        let mut per_rep: Vec<Vec<BlitzCounts>> = vec![Vec::new(); teams.len()];
        let mut leaderboard = vec![Sample::default(); total.reps];
        for run in &samples.runs {
            let mut reps = run.reps.iter();
            let mut everyone = BlitzCounts::default();
            let mut all_minutes = vec![BlitzCounts::default(); minutes];
            for (i, (team, group)) in teams.iter().zip(&mut groups).enumerate() {
                let mut sum = BlitzCounts::default();
                for rep in reps.by_ref().take(team.reps.len()) {
                    sum.add(rep);
                    per_rep[i].push(*rep);
                }
                everyone.add(&sum);
                group.counts.push(sum);
                let by_minute = &run.progress[i * minutes..(i + 1) * minutes];
                for (all, c) in all_minutes.iter_mut().zip(by_minute) {
                    all.add(c);
                }
                group.progress.push(cumulative(by_minute));
            }
            total.counts.push(everyone);
            total.progress.push(cumulative(&all_minutes));
            let mut ranked: Vec<u32> = run.reps.iter().map(|r| r.appointments).collect();
            ranked.sort_unstable_by(|a, b| b.cmp(a));
            for (rank, appointments) in leaderboard.iter_mut().zip(ranked) {
                rank.push(f64::from(appointments));
            }
        }
        let mut quantities = QUANTITIES.to_vec();
        if model.has_referrals() {
            let after_positives = 1 + quantities
                .iter()
                .position(|&q| q == BlitzFigure::Positives)
                .unwrap_or(0);
            quantities.insert(after_positives, BlitzFigure::Referrals);
        }
        Simulated {
            quantities,
            teams: groups,
            total,
            leaderboard,
            per_rep,
        }
    }
}

/// A real blitz, from its call log.
#[derive(Debug, Clone)]
pub struct Actual {
    /// Each team's counts, in the model's team order.
    pub teams: Vec<BlitzCounts>,
    pub total: BlitzCounts,
    /// Each rep's counts: (team index, name, counts), by team, then in the order of their
    /// first dial.
    pub reps: Vec<(usize, String, BlitzCounts)>,
    /// Cumulative counts of everyone by the end of each minute since the first dial.
    pub progress: Vec<BlitzCounts>,
    /// Dials whose outcome is voicemail (a voicemail touch, or a call that reached voicemail),
    /// as `calibrate` counts them; the simulation does not tell them from other unanswered
    /// dials.
    pub voicemails: u32,
}

impl Actual {
    /// The blitz in `touches` (read with the `rep` column), its reps placed in the model's
    /// teams: by the teams' `members`, or all in the one team when there is one.
    pub fn from_log(model: &BlitzModel, touches: &[Touch], file: &str) -> Result<Self, LogError> {
        let teams = model.teams();
        let fail = |line: u64, message: String| LogError {
            file: file.to_string(),
            line: Some(line),
            message,
        };
        let start = touches.iter().map(|t| t.time).fold(f64::INFINITY, f64::min);
        let minutes = model.progress_minutes();
        let mut by_minute = vec![BlitzCounts::default(); minutes];
        let mut reps: Vec<(usize, String, BlitzCounts)> = Vec::new();
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        let mut voicemails = 0;
        for touch in touches {
            if !touch.channel.is_dial() {
                return Err(fail(
                    touch.line,
                    format!(
                        "channel = \"{}\": a blitz log holds dials (call or voicemail); remove \
                         the other touches",
                        touch.channel.name()
                    ),
                ));
            }
            let name = touch.rep.clone().unwrap_or_default();
            let team = match teams.iter().position(|t| t.named && t.reps.contains(&name)) {
                Some(team) => team,
                None if teams.len() == 1 && !teams[0].named => 0,
                None if teams.iter().all(|t| !t.named) => {
                    return Err(fail(
                        touch.line,
                        format!(
                            "rep = {}: no team lists its reps, so the log's reps \
                             cannot be placed; add members = [...] to each [[blitz.teams]]",
                            quoted(&name)
                        ),
                    ));
                }
                None => {
                    return Err(fail(
                        touch.line,
                        format!(
                            "rep = {} is in no team: list the reps of each team in \
                             [[blitz.teams]] members (now: {})",
                            quoted(&name),
                            teams
                                .iter()
                                .filter(|t| t.named)
                                .map(|t| format!("{}: {}", t.name, t.reps.join(", ")))
                                .collect::<Vec<_>>()
                                .join("; ")
                        ),
                    ));
                }
            };
            let minute = (touch.time - start) / 60.0;
            if minute >= model.minutes() {
                return Err(fail(
                    touch.line,
                    format!(
                        "this dial comes {minute:.1} minutes after the first, at or after the \
                         end of the {}-minute session (blitz.minutes): set the session's length, \
                         or remove touches from other days",
                        model.minutes()
                    ),
                ));
            }
            voicemails += u32::from(touch.outcome == Disposition::Voicemail);
            let counts = BlitzCounts {
                dials: 1,
                conversations: u32::from(touch.outcome.is_conversation()),
                appointments: u32::from(touch.outcome == Disposition::Appointment),
                positives: u32::from(touch.outcome == Disposition::Appointment),
                referrals: 0,
            };
            let slot = *index.entry(name.clone()).or_insert_with(|| {
                reps.push((team, name, BlitzCounts::default()));
                reps.len() - 1
            });
            reps[slot].2.add(&counts);
            by_minute[minute as usize].add(&counts);
        }
        // Reps grouped by team, each team's in the order they first dialed.
        reps.sort_by_key(|r| r.0);
        let mut team_counts = vec![BlitzCounts::default(); teams.len()];
        for (team, _, counts) in &reps {
            team_counts[*team].add(counts);
        }
        for (i, team) in teams.iter().enumerate() {
            let in_log = reps.iter().filter(|r| r.0 == i).count();
            let silent: Vec<&str> = team
                .reps
                .iter()
                .filter(|name| team.named && !reps.iter().any(|r| &r.1 == *name))
                .map(String::as_str)
                .collect();
            if !silent.is_empty() {
                return Err(LogError {
                    file: file.to_string(),
                    line: None,
                    message: format!(
                        "team \"{}\" lists {} but the log has no dial by them: remove them \
                         from the team's members and lower its reps, so the totals compare like \
                         with like",
                        team.name,
                        silent.join(", ")
                    ),
                });
            }
            if in_log != team.reps.len() {
                return Err(LogError {
                    file: file.to_string(),
                    line: None,
                    message: format!(
                        "the log has {in_log} rep(s) in team \"{}\" but the scenario has {}: \
                         set the team's reps to {in_log} (blitz.reps, or reps in \
                         [[blitz.teams]]) so the totals compare like with like",
                        team.name,
                        team.reps.len()
                    ),
                });
            }
        }
        let mut total = BlitzCounts::default();
        team_counts.iter().for_each(|c| total.add(c));
        let progress = by_minute
            .iter()
            .scan(BlitzCounts::default(), |sum, c| {
                sum.add(c);
                Some(*sum)
            })
            .collect();
        Ok(Actual {
            teams: team_counts,
            total,
            reps,
            progress,
            voicemails,
        })
    }
}
