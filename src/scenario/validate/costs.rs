//! `[costs]`: what prospecting costs.

use super::checks::{Checks, MAX_DEAL_SIZE};
use crate::scenario::Scenario;

/// The rules of `[costs]`: prices of 0 or more, no larger than the largest deal size, and a
/// commission rate that is a share.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let costs = &s.costs;
    for (key, price) in [
        ("costs.rep_per_year", costs.rep_per_year),
        ("costs.base_salary", costs.base_salary),
        ("costs.tools_per_rep_per_year", costs.tools_per_rep_per_year),
        ("costs.per_lead", costs.per_lead),
        ("costs.per_appointment_held", costs.per_appointment_held),
        ("costs.per_opportunity", costs.per_opportunity),
    ] {
        c.between(key, price, 0.0, MAX_DEAL_SIZE);
    }
    c.share("costs.commission_rate", costs.commission_rate);
}
