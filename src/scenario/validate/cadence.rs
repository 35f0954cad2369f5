//! `[cadence]`: the touches planned for each lead, in either form.

use super::checks::{Checks, MAX_DAYS};
use crate::scenario::Scenario;

/// The most touches a cadence may plan (the survival tables are quadratic in it).
const MAX_TOUCHES: usize = 500;

/// The rules of `[cadence]`: one form or the other, each within its limits, and the restart.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    form(c, s);
    restart(c, s);
}

/// `[cadence.restart]`: whole cycles within the limits of a cadence.
fn restart(c: &mut Checks, s: &Scenario) {
    let Some(restart) = s.cadence.restart else {
        return;
    };
    let per_cycle = s.cadence.one_cycle().len().max(1);
    let most = (MAX_TOUCHES / per_cycle) as u64;
    if restart.cycles < 2 {
        c.fail(
            "cadence.restart.cycles",
            restart.cycles,
            "must be at least 2, the first cycle and a restart: one cycle is no restart, so \
             remove [cadence.restart] instead",
        );
    } else if u64::from(restart.cycles) > most {
        c.fail(
            "cadence.restart.cycles",
            restart.cycles,
            format!(
                "{} cycles of {per_cycle} touches plan more than the {MAX_TOUCHES} touches a \
                 cadence may: use at most {most} cycles, or a shorter cadence",
                restart.cycles
            ),
        );
    }
    c.whole_between(
        "cadence.restart.pause_days",
        restart.pause_days.into(),
        0,
        MAX_DAYS.into(),
    );
    c.share("cadence.restart.response", restart.response);
    let span = s.cadence.cycle_days() * u64::from(restart.cycles.saturating_sub(1))
        + u64::from(s.cadence.one_cycle().last().map_or(0, |t| t.day));
    // A pause past the limit is refused on its own; the span would blame the cycles.
    if (2..=most).contains(&u64::from(restart.cycles))
        && restart.pause_days <= MAX_DAYS
        && span > u64::from(MAX_DAYS)
    {
        c.fail(
            "cadence.restart.cycles",
            restart.cycles,
            format!(
                "{} cycles of {} days each (the cadence and its pause) span {span} days, more \
                 than the {MAX_DAYS} a cadence may: use fewer cycles or a shorter pause",
                restart.cycles,
                s.cadence.cycle_days()
            ),
        );
    }
}

/// The cadence's one cycle, in either form.
fn form(c: &mut Checks, s: &Scenario) {
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
}
