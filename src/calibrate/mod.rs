//! `calibrate`: a team's own call log turned into the model's numbers, with their uncertainty
//! and a check of how well the model fits.

mod evidence;
mod fit;

pub use evidence::{Evidence, MAX_ATTEMPTS, MAX_SEGMENTS, RepTally, RiskSet};
pub use fit::{
    AttemptFit, Departure, Fit, FitError, FitOptions, FittedReach, GoodnessOfFit, Interval, Model,
    Parameter,
};

use rayon::prelude::*;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::calllog::Disposition;
use crate::scenario::Channel;
use crate::stats::wilson_95;

/// The level of every interval reported.
pub const LEVEL: f64 = 0.95;

/// The false-alarm rate of the warnings that the shape of conversations by attempt departs
/// from the fit: a log drawn from the fitted model is flagged by each test this often.
pub const ALARM: f64 = 0.05;

/// An estimate with its 95% interval; an upper end of +∞ means the data set no upper limit.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Rate {
    pub estimate: f64,
    pub ci95: [f64; 2],
}

impl Rate {
    /// A proportion with its Wilson interval.
    pub fn proportion(successes: u64, trials: u64) -> Rate {
        Rate {
            estimate: if trials == 0 {
                f64::NAN
            } else {
                successes as f64 / trials as f64
            },
            ci95: wilson_95(successes, trials),
        }
    }

    fn fitted(estimate: f64, interval: Interval) -> Rate {
        Rate {
            estimate,
            ci95: [interval.lo, interval.hi.unwrap_or(f64::INFINITY)],
        }
    }
}

/// One rep's rates.
#[derive(Debug, Clone, PartialEq)]
pub struct RepRates {
    pub rep: String,
    pub leads: u64,
    pub dials: u64,
    pub conversations_per_dial: Rate,
    pub appointment_rate: Rate,
    /// Touches made on the rep's leads that were never reached, per such lead.
    pub touches_per_unreached_lead: f64,
}

/// Everything `calibrate` reports.
#[derive(Debug, Clone)]
pub struct Calibration {
    pub evidence: Evidence,
    pub fit: Fit,
    /// Each fitted quantity with its estimate and interval, in report order.
    pub reachability: Vec<(Parameter, Rate)>,
    pub attempts: Vec<AttemptFit>,
    pub test: Option<GoodnessOfFit>,
    /// Rates observed in the log, by name.
    pub rates: Vec<(String, Rate)>,
    /// The observed give-up distribution: (touches, share of leads dropped after them); a point
    /// at [`Evidence::longest`] is "worked to the end".
    pub give_up: Vec<(usize, f64)>,
    pub reps: Vec<RepRates>,
    /// With decay held: the test of decay against the same log fitted with it free.
    pub decay_test: Option<DecayTest>,
    /// With a segment column: each segment's own calibration.
    pub segments: Vec<SegmentFit>,
}

/// The likelihood-ratio test of a held decay: the log fitted again with decay free.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecayTest {
    pub held: f64,
    /// The decay fitted when free.
    pub fitted: f64,
    /// Twice the gain in log-likelihood from freeing decay.
    pub statistic: f64,
    /// The chance of a statistic this large if the held decay were true. Held at its bound of
    /// 1, decay can only be fitted lower, and the statistic is ½χ²₀ + ½χ²₁ (Self and Liang 1987).
    pub p_value: f64,
}

/// One segment of a log, fitted by itself.
#[derive(Debug, Clone)]
pub struct SegmentFit {
    pub name: String,
    /// The segment's share of the log's leads.
    pub share: f64,
    pub calibration: Calibration,
}

impl Calibration {
    /// Fits the log's evidence with `options`, and each of its segments by itself.
    pub fn new(mut evidence: Evidence, options: FitOptions) -> Result<Calibration, FitError> {
        let segments = std::mem::take(&mut evidence.segments);
        let leads = evidence.leads as f64;
        let mut calibration = Calibration::fit(evidence, options)?;
        calibration.segments = segments
            .into_iter()
            .map(|(name, evidence)| {
                let share = evidence.leads as f64 / leads;
                match Calibration::fit(evidence, options) {
                    Ok(calibration) => Ok(SegmentFit {
                        name,
                        share,
                        calibration,
                    }),
                    Err(err) => Err(FitError::Segment {
                        name,
                        error: Box::new(err),
                    }),
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(calibration)
    }

    fn fit(evidence: Evidence, options: FitOptions) -> Result<Calibration, FitError> {
        let model = Model::new(&evidence.risk, options)?;
        let first_dials = evidence
            .risk
            .iter()
            .find(|r| r.attempt == 1 && r.channel == Channel::Call)
            .filter(|r| r.conversations > 0)
            .map_or(0.1, |r| r.conversations as f64 / r.at_risk as f64);
        // A held decay is tested against the log fitted with it free (a log of one touch a
        // lead holds it at 1 for want of evidence, and has nothing to test).
        let free_decay = match model.held_decay() {
            Some(_) if options.decay.is_some() && evidence.risk.iter().any(|r| r.attempt > 1) => {
                let free = Model::new(
                    &evidence.risk,
                    FitOptions {
                        decay: None,
                        ..options
                    },
                )?;
                Some(Fit::new(free, first_dials)?)
            }
            _ => None,
        };
        let fit = Fit::new(model, first_dials)?;
        let decay_test = free_decay.map(|free| decay_test(&fit, &free));
        let reach = fit.reach;
        let mut quantities = vec![
            (Parameter::Mean, reach.mean()),
            (Parameter::Concentration, reach.concentration()),
            (Parameter::Alpha, reach.alpha),
            (Parameter::Beta, reach.beta),
        ];
        if fit.model().fits_unreachable() {
            quantities.push((Parameter::Unreachable, reach.unreachable));
        }
        if fit.model().fits_bad_number_share() {
            quantities.push((Parameter::BadNumberShare, reach.bad_number_share));
        }
        if fit.model().held_decay().is_none() {
            quantities.push((Parameter::Decay, reach.decay));
        }
        for &channel in fit.model().free_channels() {
            quantities.push((
                Parameter::Response(channel),
                reach.response[channel.index()],
            ));
        }
        let reachability = quantities
            .par_iter()
            .map(|&(quantity, estimate)| {
                fit.interval(quantity, LEVEL)
                    .map(|interval| (quantity, Rate::fitted(estimate, interval)))
            })
            .collect::<Result<Vec<_>, FitError>>()?;
        let attempts = fit.attempts();
        let test = fit.goodness_of_fit();
        let rates = observed_rates(&evidence);
        let give_up = give_up_distribution(&evidence.ended);
        let reps = evidence
            .reps
            .iter()
            .filter(|r| !r.name.is_empty())
            .map(|r| RepRates {
                rep: r.name.clone(),
                leads: r.leads,
                dials: r.dials,
                conversations_per_dial: Rate::proportion(r.dial_conversations, r.dials),
                appointment_rate: Rate::proportion(r.appointments, r.reached),
                touches_per_unreached_lead: r.unreached_touches as f64
                    / (r.leads - r.reached).max(1) as f64,
            })
            .collect();
        Ok(Calibration {
            evidence,
            fit,
            reachability,
            attempts,
            test,
            rates,
            give_up,
            reps,
            decay_test,
            segments: Vec::new(),
        })
    }

    /// A fitted quantity's estimate and interval.
    pub fn quantity(&self, quantity: Parameter) -> Option<Rate> {
        self.reachability
            .iter()
            .find(|(q, _)| *q == quantity)
            .map(|&(_, rate)| rate)
    }
}

/// The name of a fitted quantity in reports.
pub fn quantity_name(quantity: Parameter) -> String {
    match quantity {
        Parameter::Mean => "mean".into(),
        Parameter::Concentration => "concentration".into(),
        Parameter::Alpha => "alpha".into(),
        Parameter::Beta => "beta".into(),
        Parameter::Unreachable => "unreachable".into(),
        Parameter::BadNumberShare => "bad_number_share".into(),
        Parameter::Decay => "decay".into(),
        Parameter::Response(channel) => format!("{}_response", channel.name()),
    }
}

/// The test of `held`'s decay against `free`, the same log with decay fitted.
fn decay_test(held: &Fit, free: &Fit) -> DecayTest {
    let decay = held.reach.decay;
    // The free fit includes the held one, so the gain is never below 0 but for rounding.
    let statistic = (2.0 * (free.log_likelihood - held.log_likelihood)).max(0.0);
    let chi2 = ChiSquared::new(1.0)
        .expect("one degree of freedom")
        .sf(statistic);
    let p_value = if decay < 1.0 {
        chi2
    } else if free.reach.decay < decay {
        0.5 * chi2
    } else {
        1.0
    };
    DecayTest {
        held: decay,
        fitted: free.reach.decay,
        statistic,
        p_value,
    }
}

/// The log's rates: contacts per lead, conversations and each other outcome per dial (a touch
/// on the call or the voicemail channel), and the appointment rate. A dial's outcome is the
/// log's, whatever its channel: `voicemail_per_dial` counts calls that reached voicemail and
/// voicemail touches alike.
fn observed_rates(evidence: &Evidence) -> Vec<(String, Rate)> {
    let by_outcome = evidence.dial_outcomes();
    let dials: u64 = by_outcome.iter().sum();
    let of = |outcome: Disposition| by_outcome[outcome.index()];
    let mut rates = vec![
        (
            "contacts_per_lead".to_string(),
            Rate::proportion(evidence.reached, evidence.leads),
        ),
        (
            "conversations_per_dial".to_string(),
            Rate::proportion(
                of(Disposition::Conversation) + of(Disposition::Appointment),
                dials,
            ),
        ),
    ];
    for outcome in [
        Disposition::NoAnswer,
        Disposition::Voicemail,
        Disposition::Gatekeeper,
        Disposition::BadNumber,
    ] {
        rates.push((
            format!("{}_per_dial", outcome.name()),
            Rate::proportion(of(outcome), dials),
        ));
    }
    rates.push((
        "appointment_rate".to_string(),
        Rate::proportion(evidence.appointments, evidence.reached),
    ));
    rates
}

/// The share of leads dropped after each number of touches, by Kaplan–Meier. A lead reached on
/// touch j shows only that its rep would have made at least j touches: it counts among those
/// at risk of being dropped after k < j touches, and is censored from touch j on.
fn give_up_distribution(ended: &[(u64, u64)]) -> Vec<(usize, f64)> {
    let mut at_risk: u64 = ended.iter().map(|&(u, r)| u + r).sum();
    let mut still_worked = 1.0;
    let mut shares = Vec::new();
    for (k, &(dropped, reached)) in ended.iter().enumerate().skip(1) {
        at_risk -= reached;
        if dropped > 0 {
            let share = still_worked * dropped as f64 / at_risk as f64;
            shares.push((k, share));
            still_worked -= share;
        }
        at_risk -= dropped;
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn give_up_counts_reached_leads_as_still_worked() {
        // 10 leads: 2 dropped after 1 touch, 3 reached on touch 2, 5 dropped after 3 touches.
        let ended = [(0, 0), (2, 0), (0, 3), (5, 0)];
        let shares = give_up_distribution(&ended);
        assert_eq!(shares.len(), 2);
        assert_eq!(shares[0], (1, 0.2));
        // After touch 2 the 5 left at risk are all dropped: the remaining 80%.
        assert_eq!(shares[1].0, 3);
        assert!((shares[1].1 - 0.8).abs() < 1e-12);
        // A lead reached on touch 1 says nothing of being dropped after it: 1 of the 3 others
        // was, then the 2 left.
        let shares = give_up_distribution(&[(0, 0), (1, 1), (2, 0)]);
        assert!((shares[0].1 - 1.0 / 3.0).abs() < 1e-12);
        assert!((shares[1].1 - 2.0 / 3.0).abs() < 1e-12);
    }
}
