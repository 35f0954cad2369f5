//! Every replication's weeks, summarised as replications finish: a calendar run's memory for
//! its timeline does not grow with its replications.

use super::{Tally, WeekValues, WeeklySeries};

/// Per week and weekly series, a [`Tally`] of the replications' values (NaN, a week with no
/// value, left out): the exact percentiles and means of the values, whose distinct values are
/// few (the weekly counts are whole numbers; penetration's ratios repeat as well).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeeklyTally {
    replications: u64,
    weeks: Vec<[Tally; WeeklySeries::ALL.len()]>,
}

impl WeeklyTally {
    /// Counts one replication's weeks, given as its weeks' values in order.
    pub fn push(&mut self, weeks: impl IntoIterator<Item = WeekValues>) {
        self.replications += 1;
        for (w, values) in weeks.into_iter().enumerate() {
            if w == self.weeks.len() {
                self.weeks.push(Default::default());
            }
            for (tally, value) in self.weeks[w].iter_mut().zip(values) {
                if !value.is_nan() {
                    tally.push(value);
                }
            }
        }
    }

    /// Adds the replications of another tally.
    pub fn merge(&mut self, other: WeeklyTally) {
        self.replications += other.replications;
        if self.weeks.len() < other.weeks.len() {
            self.weeks.resize_with(other.weeks.len(), Default::default);
        }
        for (mine, theirs) in self.weeks.iter_mut().zip(other.weeks) {
            for (tally, more) in mine.iter_mut().zip(theirs) {
                tally.merge(more);
            }
        }
    }

    /// How many replications' weeks were counted.
    pub fn replications(&self) -> u64 {
        self.replications
    }

    /// How many weeks were counted (none before the first replication).
    pub fn weeks(&self) -> usize {
        self.weeks.len()
    }

    /// The values of `series` in week `week` (0-based).
    pub fn of(&self, week: usize, series: WeeklySeries) -> &Tally {
        &self.weeks[week][series as usize]
    }

    /// Each week's tallies, in order.
    pub(super) fn by_week(&self) -> &[[Tally; WeeklySeries::ALL.len()]] {
        &self.weeks
    }
}
