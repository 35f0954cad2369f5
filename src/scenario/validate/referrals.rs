//! `[referrals]`: leads that conversations bring.

use super::checks::{Checks, MAX_DAYS};
use super::segments::own_numbers;
use crate::scenario::Scenario;

/// The rules of `[referrals]`.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let referrals = &s.referrals;
    c.rate("referrals.per_conversation", referrals.per_conversation);
    c.whole_between(
        "referrals.lag_days",
        referrals.lag_days.into(),
        0,
        MAX_DAYS.into(),
    );
    own_numbers(c, s, "referrals", &s.referrals.segment());
}
