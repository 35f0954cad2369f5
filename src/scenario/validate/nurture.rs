//! `[nurture]`: content for leads that end their cadence unreached.

use super::checks::{Checks, MAX_DAYS};
use crate::scenario::Scenario;

/// The rules of `[nurture]`.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
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
}
