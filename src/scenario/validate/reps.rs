//! `[reps]`: the give-up mixture.

use super::checks::Checks;
use crate::scenario::Scenario;

/// The rules of `[reps]`: each stopping point, and shares that add up to at most 1.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
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
}
