//! `[uncertainty]`: every interval names a number callblitz can draw, inside that number's
//! bounds, around the scenario's own value.

use super::cadence;
use super::checks::Checks;
use crate::scenario::load::hint;
use crate::scenario::{Interval, Scale, Scenario, Uncertain};

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
        if overridden(c, s, parameter, &at, &shown) {
            continue;
        }
        if parameter == Uncertain::Decay {
            warming(c, s, interval, &at, &shown);
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

/// An interval on a number every group of leads gives its own value of: the draws would
/// change nothing. Refused, naming the segments; `true` when it is.
fn overridden(c: &mut Checks, s: &Scenario, parameter: Uncertain, at: &str, shown: &str) -> bool {
    if !s.groups_reading(parameter).is_empty() {
        return false;
    }
    let key = parameter.key();
    let mut names: Vec<String> = s.leads.segments.iter().map(|g| g.name.clone()).collect();
    if s.referrals.are_on() {
        names.push(crate::scenario::REFERRALS.into());
    }
    let (own, replaced) = match parameter {
        Uncertain::Mean | Uncertain::Concentration | Uncertain::Decay => (
            "reachability table".to_string(),
            "which replaces the whole leads.reachability (mean, concentration, decay)",
        ),
        _ => (
            key.rsplit('.').next().unwrap_or(&key).to_string(),
            "which replaces the scenario's",
        ),
    };
    c.fail(
        at,
        shown,
        format!(
            "every segment gives its own {own} ({}), {replaced}, so no lead reads the scenario's \
             {key} and the interval would change nothing: remove it, or leave the key out of a \
             segment whose leads should draw it",
            names.join(", ")
        ),
    );
    true
}

/// A decay interval reaching past the largest decay the cadence of a group that draws it
/// allows (every touch within [`super::MAX_TOUCH_MULTIPLIER`] plain calls): the draws near
/// its upper end are decays the scenario itself may not have.
fn warming(c: &mut Checks, s: &Scenario, interval: &Interval, at: &str, shown: &str) {
    let tightest = s
        .groups_reading(Uncertain::Decay)
        .into_iter()
        .filter_map(|group| Some((cadence::most_decay(&group.scenario)?, group)))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let Some((most, group)) = tightest else {
        return;
    };
    if interval.hi <= most {
        return;
    }
    let offered = cadence::offered(most);
    let whose = if group.scenario.cadence == s.cadence {
        "the scenario's cadence".to_string()
    } else {
        format!("the cadence of \"{}\"", group.name)
    };
    c.fail(
        at,
        shown,
        format!(
            "its upper end {} is above the largest decay {whose} allows, about {}: above it a \
             touch would multiply a lead's reachability by more than the {} a touch may (a \
             bound of the model), as a fixed decay may not either: end the interval at most {} \
             with this cadence, or plan fewer touches a cycle",
            interval.hi,
            offered,
            super::MAX_TOUCH_MULTIPLIER,
            offered,
        ),
    );
}
