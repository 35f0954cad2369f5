//! Sampling by inversion, so that one draw gives one value, monotone in the draw: a small
//! discrete distribution from a 64-bit draw, binomial and Beta quantiles, and a lead's
//! reachability from its rank.

use crate::scenario::Scenario;

/// Bits of the draw that index the guide table (1,024 entries, 4 KiB: stays in L1).
const GUIDE_BITS: u32 = 10;

/// The most comparisons a draw makes in a fixed scan before binary search is cheaper.
const MAX_FIXED_SCAN: usize = 8;

/// Samples an outcome in `0..=n` whose cumulative probabilities are fixed, by inversion: the
/// outcome is the number of thresholds at or below the draw. Inversion is monotone in the draw,
/// so the same draw gives comparable outcomes under different distributions (common random
/// numbers). A guide table (indexed search) starts next to the answer; from there a fixed
/// number of comparisons, as many as the most thresholds any bucket holds, finishes without a
/// data-dependent branch. Where thresholds crowd into one bucket (long cadences, tiny
/// chances), a binary search within the bucket takes over.
#[derive(Debug, Clone)]
pub struct InverseCdf {
    /// thresholds[k] = P(outcome ≤ k) · 2^64, for k < n.
    thresholds: Vec<u64>,
    /// The thresholds followed by `span` copies of u64::MAX, so the fixed scan never runs off.
    padded: Vec<u64>,
    /// guide[b] = the outcome of the smallest draw in bucket b.
    guide: Vec<u32>,
    /// The most thresholds inside any one bucket.
    span: usize,
}

impl InverseCdf {
    /// From the cumulative probabilities P(outcome ≤ k) for k = 0..n−1 (non-decreasing, in
    /// [0, 1]); the last outcome n takes the remaining probability.
    pub fn new(cumulative: &[f64]) -> Self {
        let thresholds: Vec<u64> = cumulative.iter().map(|&p| to_fixed_point(p)).collect();
        let guide = (0..1u64 << GUIDE_BITS)
            .map(|bucket| {
                let lowest = bucket << (64 - GUIDE_BITS);
                thresholds.partition_point(|&t| t <= lowest) as u32
            })
            .collect::<Vec<u32>>();
        let n = thresholds.len() as u32;
        let span = guide
            .iter()
            .zip(guide.iter().skip(1).chain([&n]))
            .map(|(lo, hi)| (hi - lo) as usize)
            .max()
            .unwrap_or(0);
        let padded = thresholds
            .iter()
            .copied()
            .chain(std::iter::repeat_n(u64::MAX, span))
            .collect();
        InverseCdf {
            thresholds,
            padded,
            guide,
            span,
        }
    }

    /// The outcome for a uniform 64-bit draw.
    #[inline]
    pub fn sample(&self, draw: u64) -> usize {
        let start = self.guide[(draw >> (64 - GUIDE_BITS)) as usize] as usize;
        if self.span > MAX_FIXED_SCAN {
            let end = (start + self.span).min(self.thresholds.len());
            return start + self.thresholds[start..end].partition_point(|&t| t <= draw);
        }
        let above: usize = self.padded[start..start + self.span]
            .iter()
            .map(|&t| usize::from(t <= draw))
            .sum();
        // Only the draw u64::MAX can also count padding; it belongs to the last outcome.
        (start + above).min(self.thresholds.len())
    }

    /// How many outcomes there are (n + 1).
    pub fn outcomes(&self) -> usize {
        self.thresholds.len() + 1
    }
}

/// p · 2^64 rounded down, saturating at the top (a draw is then at or above it with chance
/// 2^−64, below any Monte Carlo resolution).
fn to_fixed_point(p: f64) -> u64 {
    if p >= 1.0 {
        u64::MAX
    } else if p <= 0.0 {
        0
    } else {
        (p * 18_446_744_073_709_551_616.0) as u64
    }
}

/// A uniform number in (0, 1) from a 64-bit draw (53 bits, never 0 or 1).
pub fn unit_interval(draw: u64) -> f64 {
    ((draw >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

/// The Binomial(n, p) quantile at `u`: the smallest x with P(X ≤ x) ≥ u. One uniform gives one
/// draw, and the same uniform gives no fewer successes from more trials, so variants that differ
/// in n stay coupled. The search starts at the mode, where the CDF comes from the regularized
/// incomplete beta function, and walks the probabilities from there: about one standard
/// deviation of steps.
pub fn binomial_quantile(n: u64, p: f64, u: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    let q = 1.0 - p;
    let nf = n as f64;
    let mut x = (((nf + 1.0) * p).floor() as u64).min(n);
    let xf = x as f64;
    // P(X ≤ x) = I_{1−p}(n − x, x + 1) for x < n.
    let mut cdf = if x >= n {
        1.0
    } else {
        statrs::function::beta::beta_reg(nf - xf, xf + 1.0, q)
    };
    let mut pmf =
        (statrs::function::factorial::ln_binomial(n, x) + xf * p.ln() + (nf - xf) * q.ln()).exp();
    if u <= cdf {
        while x > 0 {
            let below = cdf - pmf;
            if below < u {
                break;
            }
            let xf = x as f64;
            pmf *= xf / (nf - xf + 1.0) * q / p;
            x -= 1;
            cdf = below;
        }
    } else {
        while cdf < u && x < n {
            let xf = x as f64;
            pmf *= (nf - xf) / (xf + 1.0) * p / q;
            x += 1;
            cdf += pmf;
        }
    }
    x
}

/// Intervals of a [`BetaQuantiles`] table.
const QUANTILE_INTERVALS: usize = 16_384;

/// Intervals at each end of a [`BetaQuantiles`] table where the exact inverse is computed.
const EXACT_INTERVALS: usize = 64;

/// A Beta distribution sampled by inversion: one uniform gives one value, monotone in the
/// uniform, so the uniform is the value's rank. The quantile function is tabulated at 16,385
/// evenly spaced probabilities and interpolated linearly, except in the first and last 64
/// intervals, where it may be steep without bound and the exact inverse is computed (one draw
/// in 128). Building the table takes about 20 milliseconds; a draw, a multiplication and a
/// lookup.
#[derive(Debug, Clone)]
pub struct BetaQuantiles {
    distribution: statrs::distribution::Beta,
    quantiles: Vec<f64>,
}

impl BetaQuantiles {
    /// The quantiles of Beta(`alpha`, `beta`), or `None` when the shapes are not both above 0.
    pub fn new(alpha: f64, beta: f64) -> Option<Self> {
        use statrs::distribution::ContinuousCDF;
        let distribution = statrs::distribution::Beta::new(alpha, beta).ok()?;
        let quantiles = (0..=QUANTILE_INTERVALS)
            .map(|i| distribution.inverse_cdf(i as f64 / QUANTILE_INTERVALS as f64))
            .collect();
        Some(BetaQuantiles {
            distribution,
            quantiles,
        })
    }

    /// The value of rank `u` in (0, 1).
    pub fn sample(&self, u: f64) -> f64 {
        use statrs::distribution::ContinuousCDF;
        let x = u * QUANTILE_INTERVALS as f64;
        let i = x as usize;
        if !(EXACT_INTERVALS..QUANTILE_INTERVALS - EXACT_INTERVALS).contains(&i) {
            return self.distribution.inverse_cdf(u);
        }
        let (lo, hi) = (self.quantiles[i], self.quantiles[i + 1]);
        lo + (x - i as f64) * (hi - lo)
    }
}

/// A lead's reachability p drawn by inversion from its rank u in (0, 1), so the draw is the
/// lead's rank: the lowest ranks are the unreachable share, the rest follow the Beta (or all
/// get the mean, when every reachable lead is alike).
#[derive(Debug, Clone)]
pub(super) struct ReachSampler {
    unreachable: f64,
    reach: Reach,
}

/// How reachable the reachable leads are.
#[derive(Debug, Clone)]
enum Reach {
    Fixed(f64),
    Spread(BetaQuantiles),
}

impl ReachSampler {
    /// The leads of a valid scenario.
    pub(super) fn new(scenario: &Scenario) -> Self {
        let reach = &scenario.leads.reachability;
        ReachSampler {
            unreachable: scenario.leads.unreachable,
            reach: match reach.concentration {
                Some(kappa) => Reach::Spread(
                    BetaQuantiles::new(reach.mean * kappa, (1.0 - reach.mean) * kappa)
                        .expect("validated Beta shapes"),
                ),
                None => Reach::Fixed(reach.mean),
            },
        }
    }

    /// The reachability of rank `u`.
    pub(super) fn sample(&self, u: f64) -> f64 {
        let unreachable = self.unreachable;
        if u < unreachable {
            return 0.0;
        }
        match &self.reach {
            Reach::Fixed(p) => *p,
            Reach::Spread(table) => table.sample((u - unreachable) / (1.0 - unreachable)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabulated_beta_quantiles_match_the_exact_inverse() {
        use statrs::distribution::{Beta, ContinuousCDF};
        use statrs::statistics::Distribution;
        // Shapes from the cold-outbound default (0.45, 2.55) to very skewed and very narrow.
        for (alpha, beta) in [(0.45, 2.55), (1.0, 9.0), (0.05, 0.95), (40.0, 160.0)] {
            let table = BetaQuantiles::new(alpha, beta).unwrap();
            let exact = Beta::new(alpha, beta).unwrap();
            let n = 200_000;
            let (mut bias, mut worst) = (0.0f64, 0.0f64);
            for i in 0..n {
                let u = (i as f64 + 0.5) / n as f64;
                let error = table.sample(u) - exact.inverse_cdf(u);
                bias += error / n as f64;
                worst = worst.max(error.abs());
            }
            // The error in the mean reachability, and at any one rank.
            assert!(
                bias.abs() < 1e-6 * exact.mean().unwrap(),
                "({alpha}, {beta}) bias {bias}"
            );
            assert!(worst < 1e-3, "({alpha}, {beta}) worst {worst}");
        }
    }

    #[test]
    fn beta_quantiles_at_the_corners_of_the_valid_shapes_are_finite_and_ordered() {
        use crate::scenario::{MAX_CONCENTRATION, MIN_BETA_SHAPE};
        let (least, most) = (MIN_BETA_SHAPE, MAX_CONCENTRATION);
        for (alpha, beta) in [
            (least, least),
            (least, most - least),
            (most - least, least),
            (most / 2.0, most / 2.0),
        ] {
            let table = BetaQuantiles::new(alpha, beta).unwrap();
            let mut last = 0.0;
            for i in 1..4000 {
                let p = table.sample(i as f64 / 4000.0);
                // At these extremes statrs' inverse keeps about nine digits: differences in a
                // chance of a millionth are invisible to any run.
                assert!(
                    (0.0..=1.0).contains(&p) && p >= last - 1e-6,
                    "({alpha}, {beta}) at {i}: {p} after {last}"
                );
                last = p;
            }
        }
    }

    #[test]
    fn binomial_quantile_inverts_the_cdf() {
        use statrs::distribution::{Binomial, DiscreteCDF};
        for (n, p) in [
            (1, 0.3),
            (10, 0.5),
            (57, 0.04),
            (1000, 0.25),
            (6400, 0.12),
            (5, 0.999),
        ] {
            let dist = Binomial::new(p, n).unwrap();
            for i in 1..200 {
                let u = i as f64 / 200.0;
                let x = binomial_quantile(n, p, u);
                assert!(dist.cdf(x) >= u - 1e-9, "n {n} p {p} u {u}: F({x}) < u");
                if x > 0 {
                    assert!(
                        dist.cdf(x - 1) < u + 1e-9,
                        "n {n} p {p} u {u}: F({}) ≥ u",
                        x - 1
                    );
                }
            }
        }
        assert_eq!(binomial_quantile(0, 0.5, 0.7), 0);
        assert_eq!(binomial_quantile(9, 1.0, 0.1), 9);
    }

    #[test]
    fn binomial_quantile_is_monotone_in_trials() {
        for i in 1..100 {
            let u = i as f64 / 100.0;
            let counts: Vec<u64> = (0..300).map(|n| binomial_quantile(n, 0.12, u)).collect();
            assert!(counts.windows(2).all(|w| w[0] <= w[1]));
        }
    }

    #[test]
    fn guided_search_equals_counting_thresholds() {
        let cdf = InverseCdf::new(&[0.001, 0.1, 0.1, 0.5, 0.999_999]);
        let draws = (0..200_000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .chain([0, 1, u64::MAX, cdf.thresholds[1], cdf.thresholds[1] - 1]);
        for draw in draws {
            let counted = cdf.thresholds.iter().filter(|&&t| t <= draw).count();
            assert_eq!(cdf.sample(draw), counted, "draw {draw}");
        }
        assert_eq!(cdf.outcomes(), 6);
    }

    #[test]
    fn crowded_thresholds_search_the_bucket() {
        // 400 thresholds inside the first bucket: the binary search path.
        let cumulative: Vec<f64> = (1..=400).map(|k| k as f64 * 1e-6).collect();
        let cdf = InverseCdf::new(&cumulative);
        assert!(cdf.span > MAX_FIXED_SCAN);
        let draws = (0..100_000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20)
            .chain((0..400).map(|k| cdf.thresholds[k]))
            .chain([0, u64::MAX]);
        for draw in draws {
            let counted = cdf.thresholds.iter().filter(|&&t| t <= draw).count();
            assert_eq!(cdf.sample(draw), counted, "draw {draw}");
        }
    }

    #[test]
    fn sampling_is_monotone_in_the_draw() {
        let cdf = InverseCdf::new(&[0.2, 0.4, 0.6, 0.8]);
        let mut last = 0;
        for i in 0..1000u64 {
            let k = cdf.sample(i * (u64::MAX / 1000));
            assert!(k >= last);
            last = k;
        }
    }
}
