//! `[sweep]`: a saved grid, its metric and the tornado's swing.

use super::checks::Checks;
use crate::scenario::{Axis, Grid, MIN_SWING, Measure, Run, Scenario};

/// The rules of `[sweep]`: its axes read as `--vary` reads them, its metric is one the run
/// reports, and its swing is a share.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let sweep = &s.sweep;
    let mut axes = Vec::new();
    for (i, text) in sweep.vary.iter().enumerate() {
        match Axis::parse(text) {
            Ok(axis) => axes.push(axis),
            Err(why) => c.fail(
                format!("sweep.vary[{i}]"),
                format!("\"{text}\""),
                why.replacen(&format!("--vary {text}: "), "", 1),
            ),
        }
    }
    if !axes.is_empty()
        && let Err(why) = Grid::new(axes)
    {
        c.fail("sweep.vary", "", why.replace("--vary ", ""));
    }
    if let Some(name) = &sweep.metric {
        match Measure::named(name) {
            Err(why) => c.fail("sweep.metric", format!("\"{name}\""), why),
            Ok(measure) if !measure.reported_by(sweep.run) => c.fail(
                "sweep.metric",
                format!("\"{name}\""),
                if sweep.run == Run::Plan {
                    "a plan reports required_hours: remove sweep.metric or run a cohort or a \
                     calendar (sweep.run)"
                        .to_string()
                } else {
                    "required_hours comes from plans: set sweep.run = \"plan\"".to_string()
                },
            ),
            Ok(_) => {}
        }
    }
    if !(MIN_SWING..1.0).contains(&sweep.swing) {
        c.fail(
            "sweep.swing",
            sweep.swing,
            format!(
                "must be from {} and below 1: the share each parameter is swung down and up \
                 by (0.2 for 20%)",
                MIN_SWING
            ),
        );
    }
}
