//! `[speed_to_lead]`: how long an inbound lead stays at hand after it asks to be called.

use super::checks::{Checks, MAX_DAYS};
use crate::scenario::Scenario;

/// The rules of `[speed_to_lead]`.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let speed = &s.speed_to_lead;
    if !(0.0..=1.0).contains(&speed.at_hand) {
        c.fail(
            "speed_to_lead.at_hand",
            speed.at_hand,
            "must be a number from 0 to 1: the chance a reachable inbound lead is by its phone \
             the moment it asks to be called (0 means speed makes no difference)",
        );
    }
    let most_minutes = f64::from(MAX_DAYS) * 24.0 * 60.0;
    if !(speed.half_life_minutes > 0.0 && speed.half_life_minutes <= most_minutes) {
        c.fail(
            "speed_to_lead.half_life_minutes",
            speed.half_life_minutes,
            format!(
                "must be above 0 and at most {most_minutes}: the minutes after which half the \
                 leads at hand are no longer"
            ),
        );
    }
}
