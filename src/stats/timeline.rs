//! The weekly timeline of calendar runs: each weekly series summarised over replications.

use super::{Tally, WeeklyTally};

/// The weekly series a calendar run reports, in the order outputs list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WeeklySeries {
    Touches,
    Contacts,
    AppointmentsSet,
    AppointmentsHeld,
    Opportunities,
    Deals,
    /// Deals closed from the start of the horizon to the end of the week.
    CumulativeDeals,
    /// Of the touches the cadence planned for the week, the percentage made by the horizon's
    /// end (in whichever week): at most 100%, none in a week off.
    Penetration,
    /// Due touches not yet made at the end of the week.
    Backlog,
}

impl WeeklySeries {
    /// Every series, in output order.
    pub const ALL: [WeeklySeries; 9] = [
        WeeklySeries::Touches,
        WeeklySeries::Contacts,
        WeeklySeries::AppointmentsSet,
        WeeklySeries::AppointmentsHeld,
        WeeklySeries::Opportunities,
        WeeklySeries::Deals,
        WeeklySeries::CumulativeDeals,
        WeeklySeries::Penetration,
        WeeklySeries::Backlog,
    ];

    /// The series' name, which the timeline's CSV columns start with.
    pub fn name(self) -> &'static str {
        match self {
            WeeklySeries::Touches => "touches",
            WeeklySeries::Contacts => "contacts",
            WeeklySeries::AppointmentsSet => "appointments_set",
            WeeklySeries::AppointmentsHeld => "appointments_held",
            WeeklySeries::Opportunities => "opportunities",
            WeeklySeries::Deals => "deals",
            WeeklySeries::CumulativeDeals => "cumulative_deals",
            WeeklySeries::Penetration => "penetration",
            WeeklySeries::Backlog => "backlog",
        }
    }
}

/// One replication's value of every series in one week, in [`WeeklySeries::ALL`] order; NaN
/// where the week has none (penetration in a week nothing was planned for).
pub type WeekValues = [f64; WeeklySeries::ALL.len()];

/// Mean and P10/P50/P90 of one weekly value over replications (all NaN when no replication
/// has a value).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub mean: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

impl Band {
    fn of(values: &Tally) -> Band {
        Band {
            mean: values.sum() / values.len() as f64,
            p10: values.percentile(0.10),
            p50: values.percentile(0.50),
            p90: values.percentile(0.90),
        }
    }
}

/// Per week of the horizon, every [`WeeklySeries`] summarised over replications.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// Each week's bands, indexed by [`WeeklySeries`].
    pub weeks: Vec<[Band; WeeklySeries::ALL.len()]>,
    /// Whether each week is a week off, when nobody works.
    pub off: Vec<bool>,
}

impl Timeline {
    /// Summarises every replication's weeks, as tallied, none of them off.
    pub fn new(replications: &WeeklyTally) -> Self {
        let weeks: Vec<_> = replications
            .by_week()
            .iter()
            .map(|week| week.each_ref().map(Band::of))
            .collect();
        Timeline {
            off: vec![false; weeks.len()],
            weeks,
        }
    }

    /// The same weeks with `weeks_off` (0-based) marked off.
    pub fn with_weeks_off(mut self, weeks_off: &[u32]) -> Self {
        for (w, off) in self.off.iter_mut().enumerate() {
            *off = weeks_off.contains(&(w as u32));
        }
        self
    }

    /// (P10, median, P90) of one series in every week.
    pub fn series(&self, series: WeeklySeries) -> Vec<(f64, f64, f64)> {
        self.weeks
            .iter()
            .map(|bands| {
                let b = bands[series as usize];
                (b.p10, b.p50, b.p90)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_follows_the_declaration_order_that_indexes_the_bands() {
        let in_order = WeeklySeries::ALL.iter().enumerate();
        assert!(in_order.into_iter().all(|(i, &s)| s as usize == i));
    }

    #[test]
    fn each_week_is_summarised_across_replications_leaving_out_missing_values() {
        let week = |touches: f64, penetration: f64| {
            let mut values = [0.0; WeeklySeries::ALL.len()];
            values[WeeklySeries::Touches as usize] = touches;
            values[WeeklySeries::Penetration as usize] = penetration;
            values
        };
        let runs = [
            vec![week(0.0, f64::NAN), week(20.0, 50.0)],
            vec![week(10.0, f64::NAN), week(40.0, 100.0)],
        ];
        let mut tally = WeeklyTally::default();
        runs.iter().for_each(|run| tally.push(run.iter().copied()));
        let timeline = Timeline::new(&tally);
        assert_eq!(timeline.weeks.len(), 2);
        assert_eq!(
            timeline.series(WeeklySeries::Touches),
            [(1.0, 5.0, 9.0), (22.0, 30.0, 38.0)]
        );
        assert_eq!(timeline.weeks[0][WeeklySeries::Touches as usize].mean, 5.0);
        assert!(
            timeline.weeks[0][WeeklySeries::Penetration as usize]
                .mean
                .is_nan()
        );
        assert_eq!(
            timeline.weeks[1][WeeklySeries::Penetration as usize].p50,
            75.0
        );
    }
}
