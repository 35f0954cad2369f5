//! Each simulated year's threshold: the fewest prospecting hours a week at which it reaches the
//! goal. Every candidate runs on the same random numbers, so a year's deals rise with its hours
//! and the share of years whose threshold is at most h is the chance of the goal at h: the
//! plan at any confidence is a quantile of the thresholds (docs/model.md, "The plan at every
//! confidence").
//!
//! The search is shared by all years: each round tries every confidence not yet settled at
//! the hours where the years' estimated thresholds put its quantile, and simulates there only
//! the years whose side of those hours is not known yet, until every asked confidence is known
//! to within the tolerance.

/// One year at one number of hours: the hours a week, and the deals it closed there.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Probe {
    hours: f64,
    deals: f64,
}

/// What is known of one year's threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bracket {
    /// The most hours known to fall short of the goal (no hours at first).
    short: Probe,
    /// The fewest hours known to reach it.
    reach: Option<Probe>,
}

impl Bracket {
    /// The hours known to reach the goal (infinite while none is).
    fn reach_hours(&self) -> f64 {
        self.reach.map_or(f64::INFINITY, |r| r.hours)
    }
}

/// The thresholds of a plan's simulated years, as far as the search has found them.
#[derive(Debug, Clone)]
pub struct Thresholds {
    brackets: Vec<Bracket>,
    /// Deals that reach the goal.
    goal: f64,
    /// The most prospecting a working week holds, per rep.
    max_hours: f64,
    /// Where a year never simulated is tried first.
    guess: f64,
    /// Hours within which a threshold is known well enough.
    tolerance: f64,
}

/// The share of the estimated quantile a first try of every year aims at.
const SHORT_OF_QUANTILE: f64 = 0.95;

/// How far inside a confidence's interval its next hours must fall, as a share of the
/// interval: the interval then shrinks by at least this much once every year open there has
/// run, whatever the estimates say.
const SAFEGUARD: f64 = 0.1;

impl Thresholds {
    /// Nothing known yet of `replications` years that must close `goal` deals within
    /// `max_hours` a week; `guess` is where the search starts.
    pub fn new(replications: u64, goal: f64, max_hours: f64, guess: f64, tolerance: f64) -> Self {
        let nothing = Bracket {
            short: Probe {
                hours: 0.0,
                deals: 0.0,
            },
            reach: None,
        };
        Thresholds {
            brackets: vec![nothing; replications as usize],
            goal,
            max_hours,
            guess: guess.clamp(tolerance.min(max_hours), max_hours),
            tolerance,
        }
    }

    /// Moves the guess, where years never simulated are tried first, toward the hours at
    /// `confidence`: the guess is taken for the median year, and the years simulated so far
    /// (the screening years) tell how much further the quantile lies by the spread of their
    /// estimated thresholds. It is aimed a little short of that, since a first try past the
    /// quantile leaves every year that reached open below it, and one short of it only the
    /// years that fell short.
    pub fn aim_guess(&mut self, confidence: f64) {
        let mut estimates: Vec<f64> = self
            .brackets
            .iter()
            .filter(|b| b.short.hours > 0.0 || b.reach.is_some())
            .map(|b| self.estimate(b))
            .collect();
        if estimates.len() < 2 {
            return;
        }
        estimates.sort_by(f64::total_cmp);
        let at = |q: f64| estimates[((estimates.len() - 1) as f64 * q).round() as usize];
        let spread = at(confidence) / at(0.5);
        if spread.is_finite() && spread > 0.0 {
            self.guess = (self.guess * spread * SHORT_OF_QUANTILE)
                .clamp(self.tolerance.min(self.max_hours), self.max_hours);
        }
    }

    /// Records that year `replication` closed `deals` deals at `hours` a week.
    pub fn record(&mut self, replication: u64, hours: f64, deals: f64) {
        let bracket = &mut self.brackets[replication as usize];
        let probe = Probe { hours, deals };
        if deals >= self.goal {
            if hours < bracket.reach_hours() {
                bracket.reach = Some(probe);
            }
        } else if hours > bracket.short.hours {
            bracket.short = probe;
        }
    }

    /// How many years reaching the goal make `confidence`: the fewest whose share is at least
    /// it (a rounding error in the product does not ask for one more).
    fn needed(&self, confidence: f64) -> usize {
        let n = self.brackets.len();
        ((confidence * n as f64 - 1e-9).ceil() as usize).clamp(1, n)
    }

    /// Where the hours at `confidence` lie: above the first hours, at most the second
    /// (infinite while too few years are known to reach the goal).
    fn interval(&self, confidence: f64) -> (f64, f64) {
        let k = self.needed(confidence) - 1;
        let kth = |mut hours: Vec<f64>| *hours.select_nth_unstable_by(k, f64::total_cmp).1;
        (
            kth(self.brackets.iter().map(|b| b.short.hours).collect()),
            kth(self.brackets.iter().map(Bracket::reach_hours).collect()),
        )
    }

    /// Whether `interval` of a confidence is settled: known within the tolerance, or out of
    /// reach (too many years fall short even at the most hours).
    fn settled(&self, (above, at_most): (f64, f64)) -> bool {
        at_most - above <= self.tolerance || above >= self.max_hours
    }

    /// The fewest hours a week, within the tolerance, at which at least `confidence` of the
    /// years reach the goal; `None` when even the most hours do not. Meaningful once
    /// [`Thresholds::next_probes`] has nothing left for it.
    pub fn hours_at(&self, confidence: f64) -> Option<f64> {
        let (above, at_most) = self.interval(confidence);
        (above < self.max_hours && at_most.is_finite()).then_some(at_most)
    }

    /// Every year whose side of the guess is not known yet, at the guess: the first round,
    /// which places every year on one side of it.
    pub fn at_guess(&self) -> Vec<(u64, f64)> {
        self.brackets
            .iter()
            .enumerate()
            .filter(|(_, b)| b.short.hours < self.guess && self.guess < b.reach_hours())
            .map(|(r, _)| (r as u64, self.guess))
            .collect()
    }

    /// The years to simulate next for `confidences`, each with its hours a week. Each
    /// confidence not yet settled is tried at the quantile of the years' estimated thresholds
    /// (kept inside its interval), and every year whose side of those hours is not known yet
    /// runs there (at the one nearest its own estimate, when it is open at several). Empty when
    /// every confidence is settled.
    pub fn next_probes(&self, confidences: &[f64]) -> Vec<(u64, f64)> {
        let estimates: Vec<f64> = self.brackets.iter().map(|b| self.estimate(b)).collect();
        let tried: Vec<f64> = confidences
            .iter()
            .map(|&c| (c, self.interval(c)))
            .filter(|&(_, interval)| !self.settled(interval))
            .map(|(c, (above, at_most))| {
                let k = self.needed(c) - 1;
                let mut sorted = estimates.clone();
                let quantile = *sorted.select_nth_unstable_by(k, f64::total_cmp).1;
                let (low, high) = if at_most.is_finite() {
                    let width = at_most - above;
                    let margin = (SAFEGUARD * width)
                        .max(self.tolerance / 2.0)
                        .min(width / 2.0);
                    (above + margin, at_most - margin)
                } else {
                    ((above + self.tolerance).min(self.max_hours), self.max_hours)
                };
                quantile.clamp(low, high)
            })
            .collect();
        self.brackets
            .iter()
            .zip(&estimates)
            .enumerate()
            .filter_map(|(r, (b, &estimate))| {
                tried
                    .iter()
                    .copied()
                    .filter(|&h| b.short.hours < h && h < b.reach_hours())
                    .min_by(|a, b| (a - estimate).abs().total_cmp(&(b - estimate).abs()))
                    .map(|hours| (r as u64, hours))
            })
            .collect()
    }

    /// Where a year's threshold is likely to be, from what is known of it: the secant of its
    /// deals between the hours it falls short at and reaches at (from no hours and no deals
    /// when it has only reached), its deals scaled up to the goal when it has only fallen
    /// short, the search's guess when it has never run, and beyond any hours when it falls short
    /// at the most.
    fn estimate(&self, b: &Bracket) -> f64 {
        let Bracket { short, reach } = *b;
        // Aimed at the step to the goal's last deal.
        let aim = self.goal - 0.5;
        match reach {
            None if short.hours >= self.max_hours => f64::INFINITY,
            None if short.hours == 0.0 => self.guess,
            None if short.deals > 0.0 => (short.hours * aim / short.deals).max(short.hours),
            None => short.hours * 2.0,
            Some(reach) => {
                let rise = (aim - short.deals) / (reach.deals - short.deals);
                short.hours + (reach.hours - short.hours) * rise.clamp(0.0, 1.0)
            }
        }
    }

    /// The chance of the goal against the hours, as far as the thresholds are known: at each
    /// of `hours`, the share of years known to reach the goal there (at least the chance) and
    /// the share not known to fall short (at most the chance).
    pub fn chance_by_hours(&self, hours: &[f64]) -> Vec<ChanceAt> {
        let n = self.brackets.len() as f64;
        hours
            .iter()
            .map(|&h| ChanceAt {
                hours_per_week: h,
                at_least: self
                    .brackets
                    .iter()
                    .filter(|b| b.reach_hours() <= h)
                    .count() as f64
                    / n,
                at_most: self.brackets.iter().filter(|b| b.short.hours < h).count() as f64 / n,
            })
            .collect()
    }
}

/// The chance of the goal at some hours a week, between two bounds the search proved.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ChanceAt {
    #[serde(rename = "prospecting_hours_per_week")]
    pub hours_per_week: f64,
    pub at_least: f64,
    pub at_most: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Years whose deals are `slope × hours` (rounded down), with `slopes` per year: the
    /// threshold of each is goal ÷ slope.
    fn searched(slopes: &[f64], goal: f64, confidences: &[f64]) -> (Thresholds, usize) {
        let mut t = Thresholds::new(slopes.len() as u64, goal, 40.0, 10.0, 0.25);
        let mut rounds = 0;
        loop {
            let probes = t.next_probes(confidences);
            if probes.is_empty() {
                return (t, rounds);
            }
            rounds += 1;
            assert!(rounds < 50, "the search ends");
            for (r, hours) in probes {
                t.record(r, hours, (slopes[r as usize] * hours).floor());
            }
        }
    }

    #[test]
    fn the_hours_at_a_confidence_are_the_quantile_of_the_thresholds() {
        // 200 years with thresholds spread from 8 to 28 hours (goal 10 deals).
        let slopes: Vec<f64> = (0..200).map(|i| 10.0 / (8.0 + 0.1 * i as f64)).collect();
        let (t, _) = searched(&slopes, 10.0, &[0.5, 0.8]);
        for (confidence, k) in [(0.5, 100), (0.8, 160)] {
            let hours = t.hours_at(confidence).unwrap();
            // The k-th threshold, where the k-th year's deals reach 10.
            let truth = 10.0 / slopes[k - 1];
            assert!(
                hours >= truth - 1e-9 && hours <= truth + 0.25,
                "{confidence}: {hours} against {truth}"
            );
        }
    }

    #[test]
    fn a_confidence_no_hours_reach_is_out_of_reach() {
        // Half the years never reach the goal.
        let slopes: Vec<f64> = (0..100)
            .map(|i| if i % 2 == 0 { 1.0 } else { 0.1 })
            .collect();
        let (t, _) = searched(&slopes, 10.0, &[0.4, 0.8]);
        assert!(t.hours_at(0.4).is_some_and(|h| (10.0..=10.25).contains(&h)));
        assert_eq!(t.hours_at(0.8), None);
    }

    #[test]
    fn the_chance_lies_between_the_bounds_the_search_proved() {
        let slopes: Vec<f64> = (0..100).map(|i| 10.0 / (8.0 + 0.2 * i as f64)).collect();
        let (t, _) = searched(&slopes, 10.0, &[0.5, 0.8, 0.9, 0.95]);
        let hours: Vec<f64> = (0..=80).map(|i| f64::from(i) * 0.5).collect();
        for c in t.chance_by_hours(&hours) {
            let truth = slopes
                .iter()
                .filter(|&&s| (s * c.hours_per_week).floor() >= 10.0)
                .count() as f64
                / 100.0;
            assert!(c.at_least <= truth && truth <= c.at_most, "{c:?}: {truth}");
        }
    }
}
