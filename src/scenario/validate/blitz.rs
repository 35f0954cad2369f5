//! `[blitz]`: a calling session, its breaks and its teams.

use super::checks::Checks;
use crate::scenario::Scenario;

/// The most minutes a blitz may last.
const MAX_BLITZ_MINUTES: f64 = 600.0;
/// The most reps in one blitz.
const MAX_BLITZ_REPS: u64 = 1000;

/// The rules of `[blitz]`.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
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
