//! `[sweep]`: the saved metric against the run, and the tornado's swing. (The axes and the
//! metric's name are read, and refused, as the file is loaded.)

use super::checks::Checks;
use crate::scenario::{MIN_SWING, Scenario, SweepRun};

/// The rules of `[sweep]`: its metric is one the run reports, and its swing is a share.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let sweep = &s.sweep;
    if let Some(measure) = sweep.metric
        && !measure.reported_by(sweep.run)
    {
        c.fail(
            "sweep.metric",
            format!("\"{}\"", measure.name()),
            if sweep.run == SweepRun::Plan {
                "a plan reports required_hours: remove sweep.metric or run a cohort or a \
                 calendar (sweep.run)"
            } else {
                "required_hours comes from plans: set sweep.run = \"plan\""
            },
        );
    }
    if !(MIN_SWING..1.0).contains(&sweep.swing) {
        c.fail(
            "sweep.swing",
            sweep.swing,
            format!(
                "must be from {MIN_SWING} and below 1: the share each parameter is swung down \
                 and up by (0.2 for 20%)"
            ),
        );
    }
}
