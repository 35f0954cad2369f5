//! Summaries of replications: mergeable accumulators (so parallel batches combine in a fixed
//! order, the same on any number of threads), the metric vocabulary of docs/model.md and the
//! weekly timeline of calendar runs.

mod tally;
mod timeline;
mod weekly;

pub use tally::Tally;
pub use timeline::{Band, Timeline, WeekValues, WeeklySeries};
pub use weekly::WeeklyTally;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// The output metrics, one vocabulary everywhere (docs/model.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    Leads,
    Touches,
    Dials,
    Contacts,
    AppointmentsSet,
    AppointmentsHeld,
    Opportunities,
    Deals,
    Revenue,
    ProspectingHours,
    Penetration,
}

impl Metric {
    /// Every metric, in the order outputs list them.
    pub const ALL: [Metric; 11] = [
        Metric::Leads,
        Metric::Touches,
        Metric::Dials,
        Metric::Contacts,
        Metric::AppointmentsSet,
        Metric::AppointmentsHeld,
        Metric::Opportunities,
        Metric::Deals,
        Metric::Revenue,
        Metric::ProspectingHours,
        Metric::Penetration,
    ];

    /// The metric's name in JSON keys and CSV headers.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Leads => "leads",
            Metric::Touches => "touches",
            Metric::Dials => "dials",
            Metric::Contacts => "contacts",
            Metric::AppointmentsSet => "appointments_set",
            Metric::AppointmentsHeld => "appointments_held",
            Metric::Opportunities => "opportunities",
            Metric::Deals => "deals",
            Metric::Revenue => "revenue",
            Metric::ProspectingHours => "prospecting_hours",
            Metric::Penetration => "penetration",
        }
    }

    /// Whether "per 100 leads" means something for this metric (not for a percentage).
    pub fn scales_with_leads(self) -> bool {
        self != Metric::Penetration
    }
}

/// The values of every metric in one replication.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MetricValues(pub [f64; Metric::ALL.len()]);

impl MetricValues {
    /// One metric's value.
    pub fn get(&self, metric: Metric) -> f64 {
        self.0[metric as usize]
    }

    /// Sets one metric's value.
    pub fn set(&mut self, metric: Metric, value: f64) {
        self.0[metric as usize] = value;
    }
}

/// Count, mean and sum of squared deviations (Welford), mergeable (Chan et al.).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    /// Adds one value.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// Combines with the moments of another sample.
    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let n = self.n + other.n;
        let delta = other.mean - self.mean;
        self.mean += delta * other.n as f64 / n as f64;
        self.m2 += other.m2 + delta * delta * (self.n as f64 * other.n as f64) / n as f64;
        self.n = n;
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Sample variance (n − 1 in the denominator); 0 for fewer than two values.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }
}

/// The values of one metric over replications: moments plus the values themselves, which the
/// percentiles need. Merging appends, so merged batches keep replication order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sample {
    moments: Moments,
    values: Vec<f64>,
}

impl Sample {
    pub fn with_capacity(capacity: usize) -> Self {
        Sample {
            moments: Moments::default(),
            values: Vec::with_capacity(capacity),
        }
    }

    pub fn push(&mut self, x: f64) {
        self.moments.push(x);
        self.values.push(x);
    }

    pub fn merge(&mut self, other: Sample) {
        self.moments.merge(&other.moments);
        self.values.extend(other.values);
    }

    /// The values in replication order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    pub fn moments(&self) -> &Moments {
        &self.moments
    }

    /// The values in ascending order, for percentiles.
    pub fn sorted(&self) -> Sorted {
        Sorted::new(self.values.clone())
    }

    /// Mean, spread, percentiles and the 95% interval of the mean; with no values (a rate of
    /// nothing in every replication) every figure is NaN, which reports show as none.
    pub fn summary(&self) -> Summary {
        if self.values.is_empty() {
            return Summary::NONE;
        }
        let sorted = self.sorted();
        let n = self.moments.count();
        let mean = self.moments.mean();
        let sd = self.moments.variance().sqrt();
        let half = if n >= 2 {
            t_quantile_975(n - 1) * sd / (n as f64).sqrt()
        } else {
            0.0
        };
        Summary {
            mean,
            sd,
            p05: sorted.percentile(0.05),
            p50: sorted.percentile(0.50),
            p95: sorted.percentile(0.95),
            mean_ci95: [mean - half, mean + half],
        }
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom (1.96 for large samples).
fn t_quantile_975(df: u64) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(1.959_963_984_540_054)
}

/// Values in ascending order: the one place percentiles are computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Sorted(Vec<f64>);

impl Sorted {
    /// Sorts `values` (by `f64::total_cmp`, so the order is total and the same every run).
    pub fn new(mut values: Vec<f64>) -> Self {
        values.sort_by(f64::total_cmp);
        Sorted(values)
    }

    /// The values, smallest first.
    pub fn values(&self) -> &[f64] {
        &self.0
    }

    /// The `q` quantile (0 to 1) by linear interpolation between order statistics (the common
    /// "type 7" definition, as in NumPy and R); NaN of no values.
    pub fn percentile(&self, q: f64) -> f64 {
        type_7_quantile(self.0.len(), q, |i| self.0[i])
    }
}

/// [`Sorted::percentile`] of `n` values whose `i`th smallest (0-based) is `nth(i)`: [`Sorted`]
/// and [`Tally`] both interpolate through it, so they give the same percentiles of the same
/// values.
fn type_7_quantile(n: usize, q: f64, nth: impl Fn(usize) -> f64) -> f64 {
    match n {
        0 => f64::NAN,
        1 => nth(0),
        n => {
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            let low = nth(lo);
            low + (h - lo as f64) * (nth(hi) - low)
        }
    }
}

impl FromIterator<f64> for Sorted {
    fn from_iter<I: IntoIterator<Item = f64>>(values: I) -> Self {
        Sorted::new(values.into_iter().collect())
    }
}

/// The share of `simulated` values below `actual`, ties counting half (NaN values left out,
/// NaN when none is left): 0.83 means the actual value beat 83% of the simulated ones. It
/// counts in one pass rather than sorting, as callers ask it of many values in turn.
pub fn percentile_of(simulated: impl Iterator<Item = f64>, actual: f64) -> f64 {
    let (mut below, mut ties, mut n) = (0.0, 0.0, 0.0);
    for v in simulated.filter(|v| !v.is_nan()) {
        n += 1.0;
        if v < actual {
            below += 1.0;
        } else if v == actual {
            ties += 1.0;
        }
    }
    if n == 0.0 {
        f64::NAN
    } else {
        (below + ties / 2.0) / n
    }
}

/// The Wilson score interval of a proportion, `successes` of `trials`, at 95%: it stays inside
/// [0, 1] and keeps its coverage for small counts and rates near 0 or 1.
pub fn wilson_95(successes: u64, trials: u64) -> [f64; 2] {
    if trials == 0 {
        return [0.0, 1.0];
    }
    const Z: f64 = 1.959_963_984_540_054;
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // With no successes (or no failures) the interval ends at 0 (or 1) exactly; the formula
    // leaves rounding dust there, such as 2.7e-20, outside the estimate.
    let lo = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if successes == trials {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    [lo, hi]
}

impl FromIterator<f64> for Sample {
    fn from_iter<I: IntoIterator<Item = f64>>(values: I) -> Self {
        let mut sample = Sample::default();
        values.into_iter().for_each(|x| sample.push(x));
        sample
    }
}

/// A metric summary over replications (docs/model.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub mean: f64,
    pub sd: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    pub mean_ci95: [f64; 2],
}

impl Summary {
    /// The summary of no values: nothing can be computed.
    pub const NONE: Summary = Summary {
        mean: f64::NAN,
        sd: f64::NAN,
        p05: f64::NAN,
        p50: f64::NAN,
        p95: f64::NAN,
        mean_ci95: [f64::NAN; 2],
    };
}

/// In JSON a figure that cannot be computed is `null`, and a summary of no values says why.
impl Serialize for Summary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let figure = |x: f64| x.is_finite().then_some(x);
        let none = self.mean.is_nan();
        let mut out = serializer.serialize_struct("Summary", 6 + usize::from(none))?;
        out.serialize_field("mean", &figure(self.mean))?;
        out.serialize_field("sd", &figure(self.sd))?;
        out.serialize_field("p05", &figure(self.p05))?;
        out.serialize_field("p50", &figure(self.p50))?;
        out.serialize_field("p95", &figure(self.p95))?;
        out.serialize_field("mean_ci95", &self.mean_ci95.map(figure))?;
        if none {
            out.serialize_field(
                "none",
                "no replication has anything to compute it from (a rate of no events)",
            )?;
        }
        out.end()
    }
}

/// One [`Sample`] per metric, and the same for each segment of leads when a run has several
/// (docs/model.md, "Segments"): the segments' values of a replication add up to its totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples {
    metrics: Vec<Sample>,
    /// Per segment, in the scenario's order of lead groups; empty without a breakdown.
    segments: Vec<Samples>,
}

impl Samples {
    pub fn with_capacity(capacity: usize) -> Self {
        Samples {
            metrics: Metric::ALL
                .iter()
                .map(|_| Sample::with_capacity(capacity))
                .collect(),
            segments: Vec::new(),
        }
    }

    pub fn push(&mut self, outcome: &MetricValues) {
        for (sample, value) in self.metrics.iter_mut().zip(outcome.0) {
            sample.push(value);
        }
    }

    /// Adds one replication's values of each segment (nothing without a breakdown).
    pub fn push_segments(&mut self, segments: &[MetricValues]) {
        if self.segments.len() < segments.len() {
            let capacity = self.metrics[0].values.capacity();
            self.segments
                .resize_with(segments.len(), || Samples::with_capacity(capacity));
        }
        for (samples, values) in self.segments.iter_mut().zip(segments) {
            samples.push(values);
        }
    }

    pub fn merge(&mut self, other: Samples) {
        for (mine, theirs) in self.metrics.iter_mut().zip(other.metrics) {
            mine.merge(theirs);
        }
        if self.segments.len() < other.segments.len() {
            self.segments
                .resize_with(other.segments.len(), || Samples::with_capacity(0));
        }
        for (mine, theirs) in self.segments.iter_mut().zip(other.segments) {
            mine.merge(theirs);
        }
    }

    pub fn get(&self, metric: Metric) -> &Sample {
        &self.metrics[metric as usize]
    }

    /// Each segment's samples, in the order of the scenario's lead groups; empty when the run
    /// has one population of leads.
    pub fn segments(&self) -> &[Samples] {
        &self.segments
    }

    /// How many replications the samples hold.
    pub fn len(&self) -> usize {
        self.metrics[0].values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_at_any_split_equals_one_pass() {
        let xs: Vec<f64> = (0..97).map(|i| ((i * 37) % 101) as f64 * 0.5).collect();
        let mut whole = Moments::default();
        xs.iter().for_each(|&x| whole.push(x));
        for split in [0, 1, 13, 50, 96, 97] {
            let (mut a, mut b) = (Moments::default(), Moments::default());
            xs[..split].iter().for_each(|&x| a.push(x));
            xs[split..].iter().for_each(|&x| b.push(x));
            a.merge(&b);
            assert_eq!(a.count(), whole.count());
            assert!((a.mean() - whole.mean()).abs() < 1e-12);
            assert!((a.variance() - whole.variance()).abs() < 1e-9);
        }
    }

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let sorted: Sorted = [5.0, 2.0, 4.0, 1.0, 3.0].into_iter().collect();
        assert_eq!(sorted.percentile(0.5), 3.0);
        assert_eq!(sorted.percentile(0.05), 1.2);
        assert!((sorted.percentile(0.95) - 4.8).abs() < 1e-12);
    }

    #[test]
    fn wilson_interval_matches_a_textbook_case() {
        // 81 of 263 (Newcombe 1998, table I): 0.2553 to 0.3662.
        let [lo, hi] = wilson_95(81, 263);
        assert!(
            (lo - 0.2553).abs() < 5e-5 && (hi - 0.3662).abs() < 5e-5,
            "{lo} {hi}"
        );
        assert_eq!(wilson_95(0, 10)[0], 0.0);
        assert!((wilson_95(0, 10)[1] - 0.2775).abs() < 5e-5);
    }

    #[test]
    fn summary_interval_uses_student_t() {
        let mut s = Sample::default();
        for x in [1.0, 2.0, 3.0, 4.0] {
            s.push(x);
        }
        let summary = s.summary();
        // t(3, 0.975) = 3.182446; sd = 1.290994; half-width = 3.182446 · 1.290994 / 2.
        let half = 3.182_446_305 * 1.290_994_449 / 2.0;
        assert!((summary.mean_ci95[1] - (2.5 + half)).abs() < 1e-6);
        assert!((summary.sd - 1.290_994_449).abs() < 1e-8);
    }
}
