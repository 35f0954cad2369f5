//! The helpers every section's rules are written with, and the limits several sections share.

use std::fmt;

/// The most days any day count may span (ten years).
pub(super) const MAX_DAYS: u32 = 3650;
/// The fewest minutes a touch may take: six seconds, quicker than any dialer.
const MIN_TOUCH_MINUTES: f64 = 0.1;
/// The most minutes one touch, conversation or booking may take: ten hours, longer than any
/// working day.
const MAX_TOUCH_MINUTES: f64 = 600.0;
/// The largest deal size, and a tenth of the largest revenue goal: no business is near them,
/// and sums over many deals stay exact in floating point.
pub(super) const MAX_DEAL_SIZE: f64 = 1e10;
/// The smallest chance above 0 a funnel rate, a reachability or a response may be.
pub(super) const MIN_RATE: f64 = 1e-6;

/// One value that breaks a rule: the key, the value as written, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub key: String,
    /// The offending value, or empty for a rule between keys.
    pub value: String,
    pub fix: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.key, self.fix)
        } else {
            write!(f, "{} = {}: {}", self.key, self.value, self.fix)
        }
    }
}

/// Collects invalid values with their keys.
#[derive(Default)]
pub(super) struct Checks {
    pub(super) found: Vec<Invalid>,
}

impl Checks {
    pub(super) fn fail(
        &mut self,
        key: impl Into<String>,
        value: impl fmt::Display,
        fix: impl Into<String>,
    ) {
        let mut value = value.to_string();
        // A number like 1e308 is shown as written, not as its 309 digits.
        if value.len() > 20
            && let Ok(x) = value.parse::<f64>()
        {
            value = format!("{x:e}");
        }
        self.found.push(Invalid {
            key: key.into(),
            value,
            fix: fix.into(),
        });
    }

    /// A number inside `[lo, hi]`.
    pub(super) fn between(&mut self, key: &str, value: f64, lo: f64, hi: f64) {
        if !(lo..=hi).contains(&value) {
            let shown = |x: f64| {
                if x.abs() >= 1e7 {
                    format!("{x:e}")
                } else {
                    x.to_string()
                }
            };
            self.fail(
                key,
                value,
                format!("must be between {} and {}", shown(lo), shown(hi)),
            );
        }
    }

    /// A share: a number inside `[0, 1]`.
    pub(super) fn share(&mut self, key: &str, value: f64) {
        self.between(key, value, 0.0, 1.0);
    }

    /// A chance the funnel or a lead's reachability multiplies: 0, or from [`MIN_RATE`] to 1.
    /// A rate of 1e-300 is no business's, and the reverse funnel would divide by it.
    pub(super) fn rate(&mut self, key: &str, value: f64) {
        self.share(key, value);
        if value > 0.0 && value < MIN_RATE {
            self.fail(
                key,
                value,
                format!("must be 0 or at least {MIN_RATE:e}: no business converts that rarely"),
            );
        }
    }

    /// A finite number that is 0 or more.
    pub(super) fn non_negative(&mut self, key: &str, value: f64) {
        if !(value >= 0.0 && value.is_finite()) {
            self.fail(key, value, "must be a number of 0 or more");
        }
    }

    /// A finite number above 0.
    pub(super) fn positive(&mut self, key: &str, value: f64) {
        if !(value > 0.0 && value.is_finite()) {
            self.fail(key, value, "must be a number above 0");
        }
    }

    pub(super) fn whole_between(&mut self, key: &str, value: u64, lo: u64, hi: u64) {
        if !(lo..=hi).contains(&value) {
            self.fail(
                key,
                value,
                format!("must be a whole number from {lo} to {hi}"),
            );
        }
    }

    /// Minutes a touch takes that reaches nobody.
    pub(super) fn touch_minutes(&mut self, key: &str, minutes: f64, what: &str) {
        if !(MIN_TOUCH_MINUTES..=MAX_TOUCH_MINUTES).contains(&minutes) {
            self.fail(
                key,
                minutes,
                format!("must be from {MIN_TOUCH_MINUTES} to {MAX_TOUCH_MINUTES} minutes: {what}"),
            );
        }
    }

    /// Minutes added to a touch or a conversation (0 for none).
    pub(super) fn extra_minutes(&mut self, key: &str, minutes: f64) {
        self.between(key, minutes, 0.0, MAX_TOUCH_MINUTES);
    }

    /// A day count from 0 to ten years.
    pub(super) fn days(&mut self, key: &str, days: f64) {
        self.between(key, days, 0.0, MAX_DAYS.into());
    }
}
