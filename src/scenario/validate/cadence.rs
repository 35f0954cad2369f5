//! `[cadence]`: the touches planned for each lead, in either form.

use super::checks::{Checks, MAX_DAYS};
use crate::scenario::Scenario;

/// The most touches a cadence may plan (the survival tables are quadratic in it).
const MAX_TOUCHES: usize = 500;

/// The rules of `[cadence]`: one form or the other, each within its limits.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
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
