//! A tally of values: how many times each value was seen, in ascending order. It gives the
//! same order statistics, percentiles and sum as the values themselves, sorted, in memory that
//! grows with the distinct values rather than with the values.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::type_7_quantile;

/// A value ordered as [`f64::total_cmp`] orders it, the order [`super::Sorted`] sorts by.
#[derive(Debug, Clone, Copy)]
struct TotalOrder(f64);

impl Ord for TotalOrder {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl PartialOrd for TotalOrder {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for TotalOrder {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for TotalOrder {}

/// Values counted by value. Merging adds counts, so tallies merged in any order are the same
/// tally.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    counts: BTreeMap<TotalOrder, u64>,
    len: u64,
}

impl Tally {
    /// Counts one more `x`.
    pub fn push(&mut self, x: f64) {
        *self.counts.entry(TotalOrder(x)).or_insert(0) += 1;
        self.len += 1;
    }

    /// Adds the counts of another tally.
    pub fn merge(&mut self, other: Tally) {
        for (value, count) in other.counts {
            *self.counts.entry(value).or_insert(0) += count;
        }
        self.len += other.len;
    }

    /// How many values were counted.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The values in ascending order, each as many times as it was counted.
    fn ascending(&self) -> impl Iterator<Item = f64> + '_ {
        self.counts
            .iter()
            .flat_map(|(value, &count)| std::iter::repeat_n(value.0, count as usize))
    }

    /// The sum of the values added smallest first: to the last bit the sum of the sorted
    /// values.
    pub fn sum(&self) -> f64 {
        self.ascending().sum()
    }

    /// The `i`th smallest value (0-based), `i` below [`Tally::len`].
    fn order_statistic(&self, i: u64) -> f64 {
        let mut below = 0;
        for (value, &count) in &self.counts {
            below += count;
            if i < below {
                return value.0;
            }
        }
        unreachable!("order statistic {i} of {} values", self.len)
    }

    /// The `q` quantile (0 to 1), interpolated as [`super::Sorted::percentile`] does; NaN of
    /// no values.
    pub fn percentile(&self, q: f64) -> f64 {
        type_7_quantile(self.len as usize, q, |i| self.order_statistic(i as u64))
    }

    /// How many values are at or below `x`.
    pub fn at_most(&self, x: f64) -> u64 {
        self.counts
            .range(..=TotalOrder(x))
            .map(|(_, &count)| count)
            .sum()
    }

    /// Each distinct value, ascending, with how many times it was counted.
    pub fn values(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        self.counts.iter().map(|(value, &count)| (value.0, count))
    }

    /// How many values are at or above `x`.
    pub fn at_least(&self, x: f64) -> u64 {
        self.counts
            .range(TotalOrder(x)..)
            .map(|(_, &count)| count)
            .sum()
    }
}

impl FromIterator<f64> for Tally {
    fn from_iter<I: IntoIterator<Item = f64>>(values: I) -> Self {
        let mut tally = Tally::default();
        values.into_iter().for_each(|x| tally.push(x));
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::super::Sorted;
    use super::*;

    /// Whole numbers with many repeats and ratios with few, out of order.
    fn values() -> Vec<f64> {
        (0..211)
            .map(|i| ((i * 37) % 23) as f64)
            .chain((1..97).map(|i| 100.0 * ((i * 13) % 29) as f64 / (i % 31 + 29) as f64))
            .collect()
    }

    #[test]
    fn a_tally_has_the_percentiles_and_sum_of_the_sorted_values() {
        let values = values();
        let tally: Tally = values.iter().copied().collect();
        let sorted = Sorted::new(values.clone());
        assert_eq!(tally.len(), values.len() as u64);
        assert!(tally.counts.len() < values.len(), "repeats are counted");
        for q in [0.0, 0.05, 0.1, 0.37, 0.5, 0.9, 0.95, 1.0] {
            assert_eq!(
                tally.percentile(q).to_bits(),
                sorted.percentile(q).to_bits(),
                "q = {q}"
            );
        }
        let sum: f64 = sorted.values().iter().sum();
        assert_eq!(tally.sum().to_bits(), sum.to_bits());
        assert_eq!(
            tally.at_least(11.0),
            values.iter().filter(|&&v| v >= 11.0).count() as u64
        );
    }

    #[test]
    fn tallies_merged_at_any_split_equal_one_tally_of_all() {
        let values = values();
        let whole: Tally = values.iter().copied().collect();
        for split in [0, 1, 100, values.len()] {
            let mut first: Tally = values[..split].iter().copied().collect();
            first.merge(values[split..].iter().copied().collect());
            assert_eq!(first, whole, "split at {split}");
        }
    }

    #[test]
    fn a_tally_of_nothing_or_of_one_value_reads_as_sorted_does() {
        let none = Tally::default();
        assert!(none.is_empty() && none.percentile(0.5).is_nan());
        let one: Tally = [7.5].into_iter().collect();
        assert_eq!((one.percentile(0.1), one.percentile(0.9)), (7.5, 7.5));
    }
}
