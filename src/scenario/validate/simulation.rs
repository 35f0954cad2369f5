//! `[simulation]`: replications and the calendar's horizon.

use super::checks::Checks;
use crate::scenario::Scenario;

/// The most replications a run may ask for (memory grows with it).
const MAX_REPLICATIONS: u64 = 1_000_000;

/// The rules of `[simulation]`.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let sim = &s.simulation;
    if !(2..=MAX_REPLICATIONS).contains(&sim.replications) {
        c.fail(
            "simulation.replications",
            sim.replications,
            format!(
                "must be a whole number from 2 to {MAX_REPLICATIONS}: the spread and the \
                 confidence interval need at least two"
            ),
        );
    }
    c.whole_between("simulation.weeks", sim.weeks.into(), 1, 520);
    c.whole_between(
        "simulation.working_days_per_week",
        sim.working_days_per_week.into(),
        1,
        7,
    );
    if sim.weeks_off >= sim.weeks {
        c.fail(
            "simulation.weeks_off",
            sim.weeks_off,
            format!(
                "must be less than simulation.weeks ({}), or no week is left to work",
                sim.weeks
            ),
        );
    }
}
