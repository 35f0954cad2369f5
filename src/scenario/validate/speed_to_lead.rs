//! `[speed_to_lead]`: the boost of calling an inbound lead at once.

use super::checks::{Checks, MAX_DAYS};
use crate::scenario::Scenario;

/// The largest speed-to-lead boost (an odds ratio).
const MAX_BOOST: f64 = 1e4;

/// The rules of `[speed_to_lead]`.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
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
}
