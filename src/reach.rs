//! The lead model's closed forms (docs/model.md): the chance that a lead is still unreached after
//! k touches, and what follows from it for a given give-up mixture.
//!
//! Touch k (k = 1, 2, …) of a lead of reachability p has a multiplier c_k (channel response ×
//! the touch's own response × decay^(k−1) …) and reaches the lead with [`touch_chance`]: p · c_k
//! up to c_k = 1, and 1 − (1 − p)^c_k above (the touch counts as c_k touches' worth). Over a
//! Beta(α, β) population the survival S(k) = E[Π_{c_j≤1} (1 − p c_j) · (1 − p)^{C_k}], with
//! C_k the sum of the multipliers above 1, is computed exactly: (1 − p)^{C_k} shifts β by C_k,
//! the product of the other factors is kept as a polynomial in Bernstein form, whose
//! coefficients stay in [0, 1] (no cancellation, however long the cadence), and the Beta
//! expectation of each Bernstein basis polynomial is a beta-binomial probability.

use statrs::function::gamma::ln_gamma;

/// The chance that a touch of multiplier `c` reaches a lead of reachability `p`: p · c for c up
/// to 1; above 1 the touch counts as c touches' worth, 1 − (1 − p)^c, which agrees at c = 1,
/// grows with c and never passes 1 (close to p · c for a lead rarely reached).
pub fn touch_chance(p: f64, c: f64) -> f64 {
    if c <= 1.0 {
        p * c
    } else {
        1.0 - (1.0 - p).powf(c)
    }
}

/// How reachable a population of leads is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Population {
    /// Mean per-touch chance of a conversation among reachable leads.
    pub mean: f64,
    /// Beta concentration κ = α + β; `None` gives every reachable lead the chance `mean`.
    pub concentration: Option<f64>,
    /// Share of leads that can never be reached.
    pub unreachable: f64,
}

impl Population {
    /// The Beta shapes (α, β), when the population is spread.
    pub fn shapes(&self) -> Option<(f64, f64)> {
        self.concentration
            .map(|kappa| (self.mean * kappa, (1.0 - self.mean) * kappa))
    }

    /// S(k) for k = 0..=n: the chance that a lead has had no conversation after the first k
    /// touches, where touch j reaches it with [`touch_chance`]`(p, multipliers[j])`.
    pub fn survival(&self, multipliers: &[f64]) -> Vec<f64> {
        self.reachable_survival(multipliers)
            .into_iter()
            .map(|s| self.unreachable + (1.0 - self.unreachable) * s)
            .collect()
    }

    /// [`Population::survival`] among the leads that can be reached.
    fn reachable_survival(&self, multipliers: &[f64]) -> Vec<f64> {
        match self.shapes() {
            None => homogeneous_survival(self.mean, multipliers),
            Some((alpha, beta)) => beta_survival(alpha, beta, multipliers),
        }
    }

    /// The chance that a first touch with multiplier `response` reaches a lead when a reachable
    /// lead is at hand with chance `at_hand` (speed to lead): [`first_touch_chance`] is linear
    /// in the lead's own chance, so its mean over the population is the chance at the mean own
    /// chance (1 − S(1) among the reachable).
    pub fn first_touch_chance(&self, response: f64, at_hand: f64) -> f64 {
        let own = 1.0 - self.reachable_survival(&[response])[1];
        (1.0 - self.unreachable) * first_touch_chance(own, at_hand, response)
    }
}

/// The chance that a first touch with multiplier `response` reaches a reachable lead whose own
/// chance on it is `own`: at hand (chance `at_hand`) the touch reaches it as it would a lead
/// always reached ([`touch_chance`] at p = 1), and otherwise, or when that misses, with its own
/// chance.
pub fn first_touch_chance(own: f64, at_hand: f64, response: f64) -> f64 {
    own + (1.0 - own) * at_hand * touch_chance(1.0, response)
}

fn homogeneous_survival(p: f64, multipliers: &[f64]) -> Vec<f64> {
    let mut survival = Vec::with_capacity(multipliers.len() + 1);
    let mut s = 1.0;
    survival.push(s);
    for &c in multipliers {
        s *= 1.0 - touch_chance(p, c);
        survival.push(s);
    }
    survival
}

fn beta_survival(alpha: f64, beta: f64, multipliers: &[f64]) -> Vec<f64> {
    // The factors 1 − p c of multipliers up to 1 in Bernstein form; (1 − p)^c of those above
    // summed into one exponent, which shifts β.
    let mut weights = vec![1.0];
    let mut shift = 0.0;
    let mut survival = Vec::with_capacity(multipliers.len() + 1);
    survival.push(1.0);
    for &c in multipliers {
        if c <= 1.0 {
            weights = times_miss(&weights, c);
        } else {
            shift += c;
        }
        let s = beta_binomial_expectation(alpha, beta + shift, &weights);
        survival.push(if shift > 0.0 {
            s * beta_ratio(alpha, beta, shift)
        } else {
            s
        });
    }
    survival
}

/// B(α, β + t) / B(α, β) = E[(1 − p)^t] over Beta(α, β), for t ≥ 0: the whole part of t as the
/// product Π (β + f + j) / (α + β + f + j), the fraction f from log-gamma differences (whose
/// rounding, relative about 1e-16 × ln Γ(β), stays below 1e-8 at the largest concentration).
fn beta_ratio(alpha: f64, beta: f64, t: f64) -> f64 {
    let whole = t.floor();
    let f = t - whole;
    let fraction = if f > 0.0 {
        ln_gamma(beta + f) - ln_gamma(beta) - ln_gamma(alpha + beta + f) + ln_gamma(alpha + beta)
    } else {
        0.0
    };
    let ln_ratio = fraction
        + (0..whole as u64)
            .map(|j| {
                let b = beta + f + j as f64;
                (b / (alpha + b)).ln()
            })
            .sum::<f64>();
    ln_ratio.exp()
}

/// Multiplies a polynomial in p of degree k, given by its Bernstein coefficients (`weights[m]`
/// multiplies C(k, m) p^m (1−p)^(k−m)), by the chance 1 − p c that a touch of multiplier c
/// misses, giving the degree k + 1 coefficients: 1 − p c = (1 − p) + p (1 − c). For c ≤ 1 the
/// coefficients stay in [0, 1], so nothing cancels however many touches are multiplied.
pub(crate) fn times_miss(weights: &[f64], c: f64) -> Vec<f64> {
    let k = weights.len() as f64;
    let stay = 1.0 - c;
    (0..=weights.len())
        .map(|m| {
            let mf = m as f64;
            let from_same = weights.get(m).map_or(0.0, |w| (k - mf) * w);
            let from_lower = if m > 0 {
                mf * stay * weights[m - 1]
            } else {
                0.0
            };
            (from_same + from_lower) / k
        })
        .collect()
}

/// Σ_m weights[m] · P(M = m) for M ~ BetaBinomial(k, α, β), k = weights.len() − 1.
pub(crate) fn beta_binomial_expectation(alpha: f64, beta: f64, weights: &[f64]) -> f64 {
    let pmf = beta_binomial_pmf(alpha, beta, weights.len() - 1);
    weights.iter().zip(&pmf).map(|(w, p)| w * p).sum()
}

/// P(M = m), m = 0..=k, for M ~ BetaBinomial(k, α, β), from the ratio recurrence in log space,
/// which neither overflows nor underflows for concentrated populations.
pub(crate) fn beta_binomial_pmf(alpha: f64, beta: f64, k: usize) -> Vec<f64> {
    // ln P(M = 0) = ln B(α, β + k) − ln B(α, β) = Σ_{j<k} ln((β + j) / (α + β + j)).
    let mut ln_p: f64 = (0..k)
        .map(|j| ((beta + j as f64) / (alpha + beta + j as f64)).ln())
        .sum();
    let kf = k as f64;
    (0..=k)
        .map(|m| {
            let p = ln_p.exp();
            if m < k {
                let mf = m as f64;
                ln_p += ((kf - mf) / (mf + 1.0) * (mf + alpha) / (kf - mf - 1.0 + beta)).ln();
            }
            p
        })
        .collect()
}

/// The give-up mixture: a share of leads is dropped after `after` touches; the rest run the
/// whole cadence.
#[derive(Debug, Clone, PartialEq)]
pub struct GiveUpMix {
    /// (touches worked, share of leads), sorted by touches.
    points: Vec<(usize, f64)>,
}

impl GiveUpMix {
    /// Builds the mixture for a cadence of `cadence_len` touches. Stopping points at or beyond
    /// the cadence's end are the same as running it whole.
    pub fn new(points: impl IntoIterator<Item = (usize, f64)>, cadence_len: usize) -> Self {
        let mut early: Vec<(usize, f64)> = points
            .into_iter()
            .filter(|&(after, share)| after < cadence_len && share > 0.0)
            .collect();
        early.sort_by_key(|&(after, _)| after);
        let rest = 1.0 - early.iter().map(|&(_, s)| s).sum::<f64>();
        if rest > 0.0 {
            early.push((cadence_len, rest));
        }
        GiveUpMix { points: early }
    }

    /// (touches worked at most, share) for every stopping point, the whole cadence last.
    pub fn points(&self) -> &[(usize, f64)] {
        &self.points
    }

    /// Chance that a lead has a conversation, from the survival table S(0..=n).
    pub fn contact_probability(&self, survival: &[f64]) -> f64 {
        self.points
            .iter()
            .map(|&(g, share)| share * (1.0 - survival[g]))
            .sum()
    }

    /// Expected touches made per lead: Σ_g share_g Σ_{k<g} S(k).
    pub fn expected_touches(&self, survival: &[f64]) -> f64 {
        self.expected_over_touches(survival, |_| 1.0)
    }

    /// Σ_g share_g Σ_{k<g} S(k) · value(k): the expected total of a per-touch quantity over the
    /// touches made (touch k + 1 is made when the first k brought no conversation).
    pub fn expected_over_touches(&self, survival: &[f64], value: impl Fn(usize) -> f64) -> f64 {
        self.points
            .iter()
            .map(|&(g, share)| share * (0..g).map(|k| survival[k] * value(k)).sum::<f64>())
            .sum()
    }

    /// Chance that the first conversation happens on touch k + 1 (0-based k), given the give-up
    /// mixture.
    pub fn contact_at(&self, survival: &[f64], k: usize) -> f64 {
        let reached = survival[k] - survival[k + 1];
        // A fold from +0: an empty sum of floats is −0, which prints as "-0.000".
        self.points
            .iter()
            .filter(|&&(g, _)| g > k)
            .fold(0.0, |total, &(_, share)| total + share * reached)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beta_population(mean: f64, kappa: f64) -> Population {
        Population {
            mean,
            concentration: Some(kappa),
            unreachable: 0.0,
        }
    }

    #[test]
    fn model_md_example_three_and_sixteen_touches() {
        // docs/model.md: mean 0.1, κ = 10 gives S(k) = 9 / (9 + k); 3 touches reach 25% with
        // 2.718 touches per lead, 16 touches reach 64% with 9.523.
        let s = beta_population(0.1, 10.0).survival(&[1.0; 16]);
        for (k, sk) in s.iter().enumerate() {
            assert!((sk - 9.0 / (9.0 + k as f64)).abs() < 1e-12, "S({k}) = {sk}");
        }
        let three = GiveUpMix::new([], 3);
        assert!((three.contact_probability(&s[..=3]) - 0.25).abs() < 1e-12);
        let touches = three.expected_touches(&s[..=3]);
        assert!((touches - (1.0 + 0.9 + 9.0 / 11.0)).abs() < 1e-12);
        assert_eq!((touches * 1000.0).round(), 2718.0);
        let sixteen = GiveUpMix::new([], 16);
        assert!((sixteen.contact_probability(&s) - 0.64).abs() < 1e-12);
        assert_eq!((sixteen.expected_touches(&s) * 1000.0).round(), 9523.0);
    }

    #[test]
    fn multipliers_match_direct_integration() {
        // E[Π (1 − p c_j)] by brute-force midpoint integration against the Beta density.
        let (alpha, beta) = (2.0, 5.0);
        let c = [1.0, 0.5, 0.92, 0.3, 0.8];
        let s = beta_survival(alpha, beta, &c);
        let n = 200_000;
        let norm = statrs::function::beta::beta(alpha, beta);
        for k in 0..=c.len() {
            let integral: f64 = (0..n)
                .map(|i| {
                    let p = (i as f64 + 0.5) / n as f64;
                    let density = p.powf(alpha - 1.0) * (1.0 - p).powf(beta - 1.0) / norm;
                    c[..k].iter().map(|cj| 1.0 - p * cj).product::<f64>() * density
                })
                .sum::<f64>()
                / n as f64;
            assert!(
                (s[k] - integral).abs() < 1e-8,
                "S({k}) {} vs {integral}",
                s[k]
            );
        }
    }

    #[test]
    fn beta_ratio_is_the_ratio_of_beta_functions() {
        use statrs::function::beta::ln_beta;
        for (alpha, beta) in [(0.45, 2.55), (2.0, 5.0), (30.0, 170.0)] {
            for t in [0.0, 0.3, 1.0, 1.3, 2.0, 7.75, 40.5] {
                let direct = (ln_beta(alpha, beta + t) - ln_beta(alpha, beta)).exp();
                let ratio = beta_ratio(alpha, beta, t);
                assert!(
                    (ratio - direct).abs() <= 1e-12 * direct,
                    "α {alpha}, β {beta}, t {t}: {ratio} vs {direct}"
                );
            }
        }
    }

    #[test]
    fn long_concentrated_cadences_stay_finite_and_monotone() {
        let s = beta_population(0.99, 1e6).survival(&[1.0; 500]);
        assert!(s.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)));
        assert!(s.windows(2).all(|w| w[1] <= w[0]));
        assert!((s[1] - 0.01).abs() < 1e-6);
        // Touches worth 4 and 0.5 plain ones, alternating: (1 − p)^4 then 1 − p/2.
        let mixed: Vec<f64> = (0..500).map(|k| [4.0, 0.5][k % 2]).collect();
        let s = beta_population(0.5, 1e6).survival(&mixed);
        assert!(s.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)));
        assert!(s.windows(2).all(|w| w[1] <= w[0]));
        assert!((s[2] - 0.5f64.powi(4) * 0.75).abs() < 1e-6);
    }

    #[test]
    fn unreachable_share_mixes_linearly() {
        let pop = Population {
            mean: 0.2,
            concentration: None,
            unreachable: 0.25,
        };
        let s = pop.survival(&[1.0, 1.0]);
        assert!((s[2] - (0.25 + 0.75 * 0.64)).abs() < 1e-15);
    }

    #[test]
    fn give_up_mixture_weights_stopping_points() {
        let s: Vec<f64> = (0..=10).map(|k| 0.9f64.powi(k)).collect();
        let mix = GiveUpMix::new([(3, 0.8)], 10);
        let expected = 0.8 * (1.0 - s[3]) + 0.2 * (1.0 - s[10]);
        assert!((mix.contact_probability(&s) - expected).abs() < 1e-15);
        let at: f64 = (0..10).map(|k| mix.contact_at(&s, k)).sum();
        assert!((at - expected).abs() < 1e-12);
    }
}
