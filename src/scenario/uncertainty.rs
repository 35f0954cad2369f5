//! `[uncertainty]`: numbers a scenario does not know exactly, each with its 95% interval,
//! drawn afresh for every replication (docs/model.md, "Parameter uncertainty").
//!
//! A rate in (0, 1) is drawn logit-normal, a positive number log-normal, with the interval's
//! ends at the 2.5% and 97.5% quantiles; every key is drawn independently of the others. The
//! draw is by inversion of one uniform per key, in the fixed order of [`Uncertain::ALL`], so
//! two scenarios with the same seed draw the same quantile of a key whatever else they hold.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use statrs::distribution::{ContinuousCDF, Normal};

use super::validate::{MAX_CONCENTRATION, MAX_DECAY, MIN_BETA_SHAPE};
use super::{Channel, Scenario};

/// The standard normal's 97.5% quantile: a 95% interval spans ± this many standard deviations.
const Z_975: f64 = 1.959_963_984_540_054;

/// The smallest chance above 0 a drawn rate may take (validation's smallest rate).
const MIN_RATE: f64 = 1e-6;

/// The largest deal size a draw may take (validation's).
const MAX_DEAL_SIZE: f64 = 1e10;

/// `[uncertainty]`: a dotted scenario key → its 95% interval.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Uncertainty {
    pub intervals: BTreeMap<String, Interval>,
}

/// A 95% interval `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

impl Serialize for Interval {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        [self.lo, self.hi].serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Ends;
        impl<'de> Visitor<'de> for Ends {
            type Value = Interval;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an interval [lo, hi] of two numbers under the key's quoted name, e.g. \
                     \"funnel.win_rate\" = [0.15, 0.25]",
                )
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Interval, A::Error> {
                let wrong = || super::load::refused::<A::Error>("", TWO_ENDS);
                let lo = seq.next_element::<f64>()?.ok_or_else(wrong)?;
                let hi = seq.next_element::<f64>()?.ok_or_else(wrong)?;
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(wrong());
                }
                Ok(Interval { lo, hi })
            }
        }
        deserializer.deserialize_seq(Ends)
    }
}

/// What an interval must be written as.
const TWO_ENDS: &str = "must be an interval of two numbers, [lo, hi], e.g. [0.15, 0.25]";

impl Uncertainty {
    /// Whether the scenario knows every number exactly.
    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    /// The keys with an interval, as known parameters (unknown keys are validation's).
    pub fn parameters(&self) -> impl Iterator<Item = (Uncertain, Interval)> + '_ {
        self.intervals
            .iter()
            .filter_map(|(key, &interval)| Some((Uncertain::from_key(key)?, interval)))
    }

    /// `scenario` with every key of the table set to its draw from `uniforms` (one in (0, 1)
    /// per entry of [`Uncertain::ALL`], in that order); the other keys are as written. The
    /// draw stays within each key's bounds, and a concentration is raised where the drawn
    /// mean needs it to keep both Beta shapes simulable.
    pub fn drawn(&self, scenario: &Scenario, uniforms: &[f64; Uncertain::ALL.len()]) -> Scenario {
        let mut drawn = scenario.clone();
        for (parameter, interval) in self.parameters() {
            let u = uniforms[parameter.position()];
            parameter.set(&mut drawn, interval.quantile(parameter.scale(), u));
        }
        let reach = &mut drawn.leads.reachability;
        if let Some(kappa) = &mut reach.concentration {
            let least = MIN_BETA_SHAPE / reach.mean.min(1.0 - reach.mean);
            *kappa = kappa.max(least).min(MAX_CONCENTRATION);
        }
        drawn
    }
}

/// How a key's draws are shaped by its bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// A rate or share strictly between 0 and 1: logit-normal.
    Rate,
    /// A positive number up to a limit: log-normal, held at the limit.
    Positive { most: f64 },
}

impl Interval {
    /// The value at quantile `u` of the key's distribution whose 2.5% and 97.5% quantiles are
    /// the interval's ends.
    pub fn quantile(&self, scale: Scale, u: f64) -> f64 {
        let z = Normal::standard().inverse_cdf(u.clamp(1e-15, 1.0 - 1e-15));
        // The scale on which the number is normal, there and back.
        type Map = fn(f64) -> f64;
        let (to, from): (Map, Map) = match scale {
            Scale::Rate => (logit, logistic),
            Scale::Positive { .. } => (f64::ln, f64::exp),
        };
        let (a, b) = (to(self.lo), to(self.hi));
        let x = from((a + b) / 2.0 + (b - a) / (2.0 * Z_975) * z);
        match scale {
            Scale::Rate => x.clamp(MIN_RATE, 1.0 - f64::EPSILON),
            Scale::Positive { most } => x.min(most),
        }
    }
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// A number `[uncertainty]` can hold an interval for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uncertain {
    Mean,
    Concentration,
    Decay,
    Unreachable,
    AppointmentRate,
    ShowRate,
    OpportunityRate,
    WinRate,
    DealSize,
    Response(Channel),
}

impl Uncertain {
    /// Every such number, in the order uniforms are drawn for them.
    pub const ALL: [Uncertain; 13] = [
        Uncertain::Mean,
        Uncertain::Concentration,
        Uncertain::Decay,
        Uncertain::Unreachable,
        Uncertain::AppointmentRate,
        Uncertain::ShowRate,
        Uncertain::OpportunityRate,
        Uncertain::WinRate,
        Uncertain::DealSize,
        Uncertain::Response(Channel::Call),
        Uncertain::Response(Channel::Voicemail),
        Uncertain::Response(Channel::Email),
        Uncertain::Response(Channel::Inmail),
    ];

    /// The scenario key, as `[uncertainty]` names it.
    pub fn key(self) -> String {
        match self {
            Uncertain::Mean => "leads.reachability.mean".into(),
            Uncertain::Concentration => "leads.reachability.concentration".into(),
            Uncertain::Decay => "leads.reachability.decay".into(),
            Uncertain::Unreachable => "leads.unreachable".into(),
            Uncertain::AppointmentRate => "funnel.appointment_rate".into(),
            Uncertain::ShowRate => "funnel.show_rate".into(),
            Uncertain::OpportunityRate => "funnel.opportunity_rate".into(),
            Uncertain::WinRate => "funnel.win_rate".into(),
            Uncertain::DealSize => "funnel.deal_size".into(),
            Uncertain::Response(channel) => format!("channels.{}.response", channel.name()),
        }
    }

    /// The number a key names.
    pub fn from_key(key: &str) -> Option<Uncertain> {
        Uncertain::ALL.into_iter().find(|p| p.key() == key)
    }

    fn position(self) -> usize {
        Uncertain::ALL
            .iter()
            .position(|&p| p == self)
            .expect("every number is in ALL")
    }

    /// How the key's draws are shaped.
    pub fn scale(self) -> Scale {
        match self {
            Uncertain::Concentration => Scale::Positive {
                most: MAX_CONCENTRATION,
            },
            Uncertain::DealSize => Scale::Positive {
                most: MAX_DEAL_SIZE,
            },
            // A decay above 1 is a warming cadence, up to the model's bound.
            Uncertain::Decay => Scale::Positive { most: MAX_DECAY },
            _ => Scale::Rate,
        }
    }

    /// The scenario's own value of the key; `None` for a concentration the scenario leaves
    /// out (every lead alike).
    pub fn value(self, s: &Scenario) -> Option<f64> {
        let f = &s.funnel;
        Some(match self {
            Uncertain::Mean => s.leads.reachability.mean,
            Uncertain::Concentration => return s.leads.reachability.concentration,
            Uncertain::Decay => s.leads.reachability.decay,
            Uncertain::Unreachable => s.leads.unreachable,
            Uncertain::AppointmentRate => f.appointment_rate,
            Uncertain::ShowRate => f.show_rate,
            Uncertain::OpportunityRate => f.opportunity_rate,
            Uncertain::WinRate => f.win_rate,
            Uncertain::DealSize => f.deal_size,
            Uncertain::Response(channel) => s.channels.settings(channel).response,
        })
    }

    fn set(self, s: &mut Scenario, x: f64) {
        let f = &mut s.funnel;
        let reach = &mut s.leads.reachability;
        match self {
            Uncertain::Mean => reach.mean = x,
            Uncertain::Concentration => reach.concentration = Some(x),
            Uncertain::Decay => reach.decay = x,
            Uncertain::Unreachable => s.leads.unreachable = x,
            Uncertain::AppointmentRate => f.appointment_rate = x,
            Uncertain::ShowRate => f.show_rate = x,
            Uncertain::OpportunityRate => f.opportunity_rate = x,
            Uncertain::WinRate => f.win_rate = x,
            Uncertain::DealSize => f.deal_size = x,
            Uncertain::Response(channel) => s.channels.settings_mut(channel).response = x,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_intervals_ends_are_its_draws_2_5_and_97_5_percent_quantiles() {
        let rate = Interval { lo: 0.15, hi: 0.25 };
        let size = Interval {
            lo: 10_000.0,
            hi: 40_000.0,
        };
        let most = Scale::Positive { most: 1e10 };
        for (interval, scale) in [(rate, Scale::Rate), (size, most)] {
            assert!((interval.quantile(scale, 0.025) - interval.lo).abs() < 1e-9 * interval.hi);
            assert!((interval.quantile(scale, 0.975) - interval.hi).abs() < 1e-9 * interval.hi);
        }
        // The median is the midpoint on the logit and the log scale.
        let median = rate.quantile(Scale::Rate, 0.5);
        assert!((logit(median) - (logit(0.15) + logit(0.25)) / 2.0).abs() < 1e-12);
        assert!((size.quantile(most, 0.5) - 20_000.0).abs() < 1e-6);
        // Held at the limit, and never outside (0, 1).
        assert_eq!(
            size.quantile(Scale::Positive { most: 30_000.0 }, 0.99),
            30_000.0
        );
        let wide = Interval {
            lo: 1e-4,
            hi: 0.9999,
        };
        for u in [0.0, 1e-300, 0.5, 1.0] {
            let x = wide.quantile(Scale::Rate, u);
            assert!(x > 0.0 && x < 1.0, "{x}");
        }
    }

    #[test]
    fn every_key_names_its_number_and_draws_set_only_the_table() {
        for p in Uncertain::ALL {
            assert_eq!(Uncertain::from_key(&p.key()), Some(p));
        }
        let scenario = Scenario::default();
        let mut table = Uncertainty::default();
        table
            .intervals
            .insert("funnel.win_rate".into(), Interval { lo: 0.1, hi: 0.3 });
        let uniforms = [0.975; Uncertain::ALL.len()];
        let drawn = table.drawn(&scenario, &uniforms);
        assert!((drawn.funnel.win_rate - 0.3).abs() < 1e-12);
        let mut back = drawn.clone();
        back.funnel.win_rate = scenario.funnel.win_rate;
        assert_eq!(back, scenario);
    }
}
