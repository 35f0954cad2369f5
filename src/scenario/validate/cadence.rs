//! `[cadence]`: the touches planned for each lead, in either form.

use super::checks::{Checks, MAX_DAYS, MIN_RATE};
use super::leads::MAX_DECAY;
use crate::scenario::Scenario;

/// The most touches a cadence may plan (the survival tables are quadratic in it).
const MAX_TOUCHES: usize = 500;
/// The largest multiplier any touch may have on a lead's reachability (channel response × the
/// touch's own × decay^k × the restart's): a touch worth four plain calls. A bound of the
/// model, not a published figure: no study we know measures how much likelier one touch can be
/// to reach than a plain call.
pub const MAX_TOUCH_MULTIPLIER: f64 = 4.0;

/// The rules of `[cadence]`: one form or the other, each within its limits, and the restart.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    form(c, s);
    restart(c, s);
    warming(c, s);
}

/// A decay above 1 multiplies every further touch of a cycle: no touch may end up worth more
/// than [`MAX_TOUCH_MULTIPLIER`] plain calls. (With decay at most 1 no touch can: channel and
/// restart responses are at most 1, a touch's own at most the bound.)
fn warming(c: &mut Checks, s: &Scenario) {
    let decay = s.leads.reachability.decay;
    if !(decay > 1.0 && decay <= MAX_DECAY) {
        return;
    }
    let Some(most) = most_decay(s) else {
        return;
    };
    let plain = s.cadence.multipliers(&s.channels, 1.0);
    let per_cycle = s.cadence.one_cycle().len().max(1);
    let touches = s.cadence.expand();
    // Touch k is r_k · decay^j, j its place in its cycle.
    let over = plain.iter().enumerate().find_map(|(k, &r)| {
        let j = (k % per_cycle) as i32;
        let multiplier = r * decay.powi(j);
        (multiplier > MAX_TOUCH_MULTIPLIER).then_some((k, j, multiplier))
    });
    let Some((k, j, multiplier)) = over else {
        return;
    };
    let most = offered(most);
    c.fail(
        "leads.reachability.decay",
        decay,
        format!(
            "touch {} of the cadence (day {}) would then multiply a lead's reachability by \
             {multiplier:.2} (its responses × {decay}^{j}), more than the {MAX_TOUCH_MULTIPLIER} \
             a touch may (a bound of the model): use a decay of at most {most} with this \
             cadence, or fewer touches a cycle",
            k + 1,
            touches[k].day
        ),
    );
}

/// The largest decay `s`'s cadence allows: touch k, of multiplier r_k without decay and at
/// place j in its cycle, stays within [`MAX_TOUCH_MULTIPLIER`] for every decay up to
/// (bound / r_k)^(1/j), and no decay may pass [`MAX_DECAY`]. `None` when a touch passes the
/// bound without decay (its own rules refuse it).
pub(super) fn most_decay(s: &Scenario) -> Option<f64> {
    let plain = s.cadence.multipliers(&s.channels, 1.0);
    if plain
        .iter()
        .any(|r| !(0.0..=MAX_TOUCH_MULTIPLIER).contains(r))
    {
        return None;
    }
    let per_cycle = s.cadence.one_cycle().len().max(1);
    Some(
        plain
            .iter()
            .enumerate()
            .filter(|&(k, &r)| r > 0.0 && k % per_cycle > 0)
            .map(|(k, &r)| (MAX_TOUCH_MULTIPLIER / r).powf(1.0 / (k % per_cycle) as f64))
            .fold(MAX_DECAY, f64::min),
    )
}

/// A decay bound as a fix offers it: three decimals, rounded down so that the value offered is
/// itself accepted.
pub(super) fn offered(most: f64) -> f64 {
    (most * 1000.0).floor() / 1000.0
}

/// `[cadence.restart]`: whole cycles within the limits of a cadence.
fn restart(c: &mut Checks, s: &Scenario) {
    let Some(restart) = s.cadence.restart else {
        return;
    };
    let per_cycle = s.cadence.one_cycle().len().max(1);
    let most = (MAX_TOUCHES / per_cycle) as u64;
    if restart.cycles < 2 {
        c.fail(
            "cadence.restart.cycles",
            restart.cycles,
            "must be at least 2, the first cycle and a restart: one cycle is no restart, so \
             remove [cadence.restart] instead",
        );
    } else if u64::from(restart.cycles) > most {
        c.fail(
            "cadence.restart.cycles",
            restart.cycles,
            format!(
                "{} cycles of {per_cycle} touches plan more than the {MAX_TOUCHES} touches a \
                 cadence may: use at most {most} cycles, or a shorter cadence",
                restart.cycles
            ),
        );
    }
    c.whole_between(
        "cadence.restart.pause_days",
        restart.pause_days.into(),
        0,
        MAX_DAYS.into(),
    );
    c.share("cadence.restart.response", restart.response);
    let span = s.cadence.cycle_days() * u64::from(restart.cycles.saturating_sub(1))
        + u64::from(s.cadence.one_cycle().last().map_or(0, |t| t.day));
    // A pause past the limit is refused on its own; the span would blame the cycles.
    if (2..=most).contains(&u64::from(restart.cycles))
        && restart.pause_days <= MAX_DAYS
        && span > u64::from(MAX_DAYS)
    {
        c.fail(
            "cadence.restart.cycles",
            restart.cycles,
            format!(
                "{} cycles of {} days each (the cadence and its pause) span {span} days, more \
                 than the {MAX_DAYS} a cadence may: use fewer cycles or a shorter pause",
                restart.cycles,
                s.cadence.cycle_days()
            ),
        );
    }
}

/// A touch's own response: 0 (the touch never reaches anyone), or from [`MIN_RATE`] to
/// [`MAX_TOUCH_MULTIPLIER`].
fn touch_response(c: &mut Checks, i: usize, response: f64) {
    let key = format!("cadence.touches[{i}].response");
    if !(response == 0.0 || (MIN_RATE..=MAX_TOUCH_MULTIPLIER).contains(&response)) {
        c.fail(
            key,
            response,
            format!(
                "must be 0 or from {MIN_RATE:e} to {MAX_TOUCH_MULTIPLIER} (a bound of the \
                 model): it multiplies this touch's chance on top of its channel's response, so \
                 1.3 makes it about 30% likelier to reach a hard-to-reach lead than the channel \
                 alone, and 1 (the default) leaves the channel's"
            ),
        );
    }
}

/// The cadence's one cycle, in either form.
fn form(c: &mut Checks, s: &Scenario) {
    let cadence = &s.cadence;
    match (&cadence.touches, cadence.attempts, cadence.days) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => c.fail(
            "cadence",
            "",
            "give either `touches` or the shorthand `attempts`/`days`, not both (to replace \
             a cadence from the command line, set the whole table: \
             --set 'cadence={attempts=3,days=7}')",
        ),
        (Some(touches), None, None) => {
            if touches.is_empty() {
                c.fail("cadence.touches", "[]", "must plan at least one touch");
            }
            if touches.len() > MAX_TOUCHES {
                c.fail(
                    "cadence.touches",
                    format!("[{} touches]", touches.len()),
                    format!("may plan at most {MAX_TOUCHES} touches"),
                );
            }
            if let Some(first) = touches.first().filter(|t| t.day != 0) {
                c.fail(
                    "cadence.touches[0].day",
                    first.day,
                    "the first touch must be on day 0: days count from the lead's first touch",
                );
            }
            for (i, touch) in touches.iter().enumerate() {
                c.whole_between(
                    &format!("cadence.touches[{i}].day"),
                    touch.day.into(),
                    0,
                    MAX_DAYS.into(),
                );
                touch_response(c, i, touch.response);
            }
            for (i, pair) in touches.windows(2).enumerate() {
                if pair[1].day < pair[0].day {
                    c.fail(
                        format!("cadence.touches[{}].day", i + 1),
                        pair[1].day,
                        format!(
                            "touches must be listed in day order: this one comes after a \
                             touch on day {}",
                            pair[0].day
                        ),
                    );
                }
            }
        }
        (None, attempts, days) => {
            // Deserialization fills both halves of the shorthand.
            let attempts = attempts.unwrap_or_default();
            c.whole_between("cadence.attempts", attempts.into(), 1, MAX_TOUCHES as u64);
            c.whole_between(
                "cadence.days",
                days.unwrap_or_default().into(),
                1,
                MAX_DAYS.into(),
            );
        }
    }
}
