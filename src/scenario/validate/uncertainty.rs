//! `[uncertainty]`: every interval names a number callblitz can draw, inside that number's
//! bounds, around the scenario's own value.

use super::checks::Checks;
use crate::scenario::load::hint;
use crate::scenario::{Scale, Scenario, Uncertain};

/// The rules of `[uncertainty]`.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    for (key, interval) in &s.uncertainty.intervals {
        let at = format!("uncertainty.{key}");
        let shown = format!("[{}, {}]", interval.lo, interval.hi);
        let Some(parameter) = Uncertain::from_key(key) else {
            let known: Vec<String> = Uncertain::ALL.iter().map(|p| p.key()).collect();
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            c.fail(
                &at,
                &shown,
                format!(
                    "callblitz cannot draw `{key}`{}",
                    hint(key, &known, "numbers it can draw")
                ),
            );
            continue;
        };
        if !(interval.lo.is_finite() && interval.hi.is_finite() && interval.lo < interval.hi) {
            c.fail(
                &at,
                &shown,
                "must be [lo, hi] with lo below hi: the 95% interval of the number",
            );
            continue;
        }
        let inside = match parameter.scale() {
            Scale::Rate => interval.lo > 0.0 && interval.hi < 1.0,
            Scale::Positive { most } => interval.lo > 0.0 && interval.hi <= most,
        };
        if !inside {
            let bounds = match parameter.scale() {
                Scale::Rate => "strictly between 0 and 1 (a rate is drawn logit-normal)".into(),
                Scale::Positive { most } => {
                    let most = if most >= 1e6 {
                        format!("{most:e}")
                    } else {
                        most.to_string()
                    };
                    format!("above 0 and at most {most} (drawn log-normal)")
                }
            };
            c.fail(&at, &shown, format!("both ends must be {bounds}"));
            continue;
        }
        match parameter.value(s) {
            None => c.fail(
                &at,
                &shown,
                "leads.reachability has no concentration (every lead alike), so there is no \
                 spread to draw: give leads.reachability.concentration, or remove this interval",
            ),
            Some(own) if !(interval.lo..=interval.hi).contains(&own) => c.fail(
                &at,
                &shown,
                format!(
                    "the scenario's own {key} = {own} lies outside it: the interval says where \
                     the number is, so set {key} inside it (its best estimate), or widen the \
                     interval"
                ),
            ),
            Some(_) => {}
        }
    }
}
