//! `[funnel]`: conversion rates, deal size and timing.

use super::checks::{Checks, MAX_DAYS, MAX_DEAL_SIZE};
use crate::scenario::Scenario;

/// The smallest deal size above 0: a cent.
const MIN_DEAL_SIZE: f64 = 0.01;

/// The rules of `[funnel]`.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let f = &s.funnel;
    c.rate("funnel.appointment_rate", f.appointment_rate);
    c.rate("funnel.show_rate", f.show_rate);
    c.rate("funnel.opportunity_rate", f.opportunity_rate);
    c.rate("funnel.win_rate", f.win_rate);
    c.between("funnel.deal_size", f.deal_size, 0.0, MAX_DEAL_SIZE);
    if f.deal_size > 0.0 && f.deal_size < MIN_DEAL_SIZE {
        c.fail(
            "funnel.deal_size",
            f.deal_size,
            format!("must be 0 or at least {MIN_DEAL_SIZE}: a deal is worth a cent or more"),
        );
    }
    c.extra_minutes("funnel.booking_minutes", f.booking_minutes);
    c.days("funnel.appointment_lag_days", f.appointment_lag_days);
    let cycle = &f.sales_cycle_days;
    if !(cycle.median > 0.0 && cycle.median <= MAX_DAYS.into()) {
        c.fail(
            "funnel.sales_cycle_days.median",
            cycle.median,
            format!("must be above 0 and at most {MAX_DAYS} days"),
        );
    }
    if !(cycle.p90 >= cycle.median && cycle.p90 <= MAX_DAYS.into()) {
        c.fail(
            "funnel.sales_cycle_days.p90",
            cycle.p90,
            format!(
                "must be at least the median ({}) and at most {MAX_DAYS} days: nine deals in \
                 ten close within it",
                cycle.median
            ),
        );
    }
}
