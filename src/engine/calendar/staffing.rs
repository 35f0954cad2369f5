//! Who fills each seat (`[people]`, docs/model.md "People"): a replication's hires, each with
//! their own ramp, the days a seat stands empty, and the capacity that leaves each rep.
//!
//! The draws come from a stream of their own, apart from the leads', so a replication's leads
//! are the same leads with or without turnover, and at any hours (common random numbers): a
//! seat's capacity each day is the hours times a share fixed by its hires, so more hours never
//! give less capacity, and turnover never gives more than a seat kept by one rep all year.

use rand::Rng;

use super::time::{Capacity, WorkCalendar};
use crate::engine::rng::Stream;
use crate::engine::sampling::unit_interval;
use crate::scenario::People;

/// Days in a year, for a yearly attrition share's daily hazard.
const YEAR_DAYS: f64 = 365.0;

/// How seats empty and fill.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Turnover {
    /// A rep's hazard of leaving, per calendar day: -ln(1 − yearly share) / 365.
    leave_per_day: f64,
    /// The chance a hire never reaches productivity and is let go when the ramp ends.
    never_ramp_share: f64,
    /// Days a seat stays empty before the next hire starts.
    hiring_days: f64,
}

/// One hire in a seat: the days from `start` (their first) to `end` (the seat empties).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Tenure {
    pub(super) start: f64,
    pub(super) end: f64,
}

/// What turnover did to one replication's seats.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StaffCounts {
    /// Hires after each seat's first rep.
    pub rehires: u32,
    /// Reps who left (attrition) before the horizon's end.
    pub left: u32,
    /// Hires who never reached productivity and were let go when their ramp ended.
    pub never_ramped: u32,
    /// Weeks of the horizon the seats were filled, summed over seats: what their people cost.
    pub staffed_weeks: f64,
    /// The prospecting minutes the seats held, ramps and vacancies applied.
    pub capacity_minutes: f64,
}

/// What turnover did to a team's seats over a run's replications: means per replication.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PeopleSummary {
    /// New hires after each seat's first rep.
    pub rehires: f64,
    /// Reps who left (attrition).
    pub left: f64,
    /// Hires who never reached productivity and were let go when their ramp ended.
    pub never_ramped: f64,
    /// The share of the seats' weeks a rep was in the seat.
    pub filled_share: f64,
    /// The team's prospecting hours over the horizon, ramps and vacancies applied.
    pub capacity_hours: f64,
}

impl PeopleSummary {
    /// The means of `counts`, one per replication, for `seats` seats over `weeks` weeks.
    pub fn of(counts: &[StaffCounts], seats: usize, weeks: u32) -> PeopleSummary {
        let n = counts.len().max(1) as f64;
        let mean = |count: fn(&StaffCounts) -> f64| counts.iter().map(count).sum::<f64>() / n;
        PeopleSummary {
            rehires: mean(|c| f64::from(c.rehires)),
            left: mean(|c| f64::from(c.left)),
            never_ramped: mean(|c| f64::from(c.never_ramped)),
            filled_share: mean(|c| c.staffed_weeks) / (seats as f64 * f64::from(weeks)),
            capacity_hours: mean(|c| c.capacity_minutes) / 60.0,
        }
    }
}

impl Turnover {
    /// The turnover of `people`; `None` when every hire stays.
    pub(super) fn of(people: &People) -> Option<Turnover> {
        (!people.is_empty()).then(|| Turnover {
            leave_per_day: -(1.0 - people.attrition_per_year).ln() / YEAR_DAYS,
            never_ramp_share: people.never_ramp_share,
            hiring_days: 7.0 * people.hiring_weeks.unwrap_or(0.0),
        })
    }

    /// The hires of one seat over `days` days, each ramping over `ramp_weeks`, into `tenures`
    /// (emptied first), counted into `counts`. Each hire takes two draws: whether they never
    /// ramp, and when they would leave.
    pub(super) fn seat(
        &self,
        ramp_weeks: f64,
        days: f64,
        stream: &mut Stream,
        tenures: &mut Vec<Tenure>,
        counts: &mut StaffCounts,
    ) {
        tenures.clear();
        let mut start = 0.0;
        while start < days {
            let ramp_end = 7.0 * ramp_weeks;
            // A hire with no ramp is productive from the first day.
            let never_ramps =
                unit_interval(stream.next_u64()) < self.never_ramp_share && ramp_end > 0.0;
            let stays = -unit_interval(stream.next_u64()).ln() / self.leave_per_day;
            let end = if never_ramps {
                stays.min(ramp_end)
            } else {
                stays
            } + start;
            if !tenures.is_empty() {
                counts.rehires += 1;
            }
            if end < days {
                if never_ramps && ramp_end <= stays {
                    counts.never_ramped += 1;
                } else {
                    counts.left += 1;
                }
            }
            counts.staffed_weeks += (end.min(days) - start) / 7.0;
            tenures.push(Tenure { start, end });
            start = end + self.hiring_days;
        }
    }
}

/// One replication's seats as people fill them: each rep's capacity, and the counts.
#[derive(Debug, Default)]
pub(super) struct Staffing {
    /// Each rep's prospecting minutes by day, their seat's hires applied.
    pub(super) capacity: Vec<Capacity>,
    tenures: Vec<Tenure>,
    pub(super) counts: StaffCounts,
    /// The seat-weeks filled in each week of the horizon, summed over seats.
    pub(super) filled_by_week: Vec<f64>,
}

impl Staffing {
    /// Draws the hires of every seat from `stream`, seat by seat: rep r works
    /// `hours_and_ramps[r].0` hours a working day once ramped over `.1` weeks.
    pub(super) fn draw(
        &mut self,
        turnover: &Turnover,
        calendar: &WorkCalendar,
        hours_and_ramps: impl ExactSizeIterator<Item = (f64, f64)>,
        stream: &mut Stream,
    ) {
        self.counts = StaffCounts::default();
        self.capacity
            .resize_with(hours_and_ramps.len(), Capacity::default);
        let days = f64::from(calendar.days());
        self.filled_by_week.clear();
        self.filled_by_week.resize(calendar.weeks() as usize, 0.0);
        for ((hours, ramp_weeks), capacity) in hours_and_ramps.zip(&mut self.capacity) {
            turnover.seat(
                ramp_weeks,
                days,
                stream,
                &mut self.tenures,
                &mut self.counts,
            );
            capacity.fill(calendar, hours, ramp_weeks, &self.tenures);
            self.counts.capacity_minutes += capacity.total_minutes();
            for tenure in &self.tenures {
                add_weeks_filled(tenure, &mut self.filled_by_week);
            }
        }
    }
}

/// Adds the part of each week `tenure` fills to `filled_by_week`, in weeks: they sum to its
/// length within the horizon, as [`StaffCounts::staffed_weeks`] counts it.
fn add_weeks_filled(tenure: &Tenure, filled_by_week: &mut [f64]) {
    let horizon = 7.0 * filled_by_week.len() as f64;
    let (start, end) = (tenure.start, tenure.end.min(horizon));
    let mut day = start;
    while day < end {
        let week = (day / 7.0) as usize;
        let week_end = (7 * (week + 1)) as f64;
        let until = end.min(week_end);
        filled_by_week[week] += (until - day) / 7.0;
        day = until;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn turnover(attrition: f64, never_ramp: f64, hiring_weeks: f64) -> Turnover {
        Turnover::of(&People {
            attrition_per_year: attrition,
            never_ramp_share: never_ramp,
            hiring_weeks: Some(hiring_weeks),
        })
        .expect("some turnover")
    }

    #[test]
    fn hires_who_never_ramp_leave_at_the_ramp_and_the_seat_waits_for_the_next() {
        // Every hire fails and nobody leaves otherwise: the seat's rhythm is exact.
        let t = Turnover {
            leave_per_day: 0.0,
            never_ramp_share: 1.0,
            hiring_days: 14.0,
        };
        let mut stream = Stream::seed_from_u64(1);
        let (mut tenures, mut counts) = (Vec::new(), StaffCounts::default());
        t.seat(4.0, 100.0, &mut stream, &mut tenures, &mut counts);
        // 28 days in the seat, 14 empty: hires start on days 0, 42 and 84.
        assert_eq!(
            tenures,
            [
                Tenure {
                    start: 0.0,
                    end: 28.0
                },
                Tenure {
                    start: 42.0,
                    end: 70.0
                },
                Tenure {
                    start: 84.0,
                    end: 112.0
                },
            ]
        );
        assert_eq!(counts.rehires, 2);
        assert_eq!(counts.never_ramped, 2);
        assert_eq!(counts.left, 0);
        assert!((counts.staffed_weeks - (28.0 + 28.0 + 16.0) / 7.0).abs() < 1e-12);
    }

    #[test]
    fn the_yearly_share_of_reps_who_leave_is_the_attrition_share() {
        let share = 0.35;
        let t = turnover(share, 0.0, 0.0);
        let n = 40_000;
        let mut stream = Stream::seed_from_u64(7);
        let (mut tenures, mut counts) = (Vec::new(), StaffCounts::default());
        let mut left_within_year = 0;
        for _ in 0..n {
            t.seat(0.0, YEAR_DAYS, &mut stream, &mut tenures, &mut counts);
            left_within_year += usize::from(tenures[0].end < YEAR_DAYS);
        }
        let observed = left_within_year as f64 / f64::from(n);
        let se = (share * (1.0 - share) / f64::from(n)).sqrt();
        assert!((observed - share).abs() < 4.5 * se, "{observed} vs {share}");
    }

    #[test]
    fn departures_over_a_horizon_with_no_vacancy_are_poisson() {
        // With no hiring delay, departures are a Poisson process: a mean of hazard × days.
        let t = turnover(0.3, 0.0, 0.0);
        let days = 2.0 * YEAR_DAYS;
        let mean = -(0.7f64).ln() * 2.0;
        let n = 20_000;
        let mut stream = Stream::seed_from_u64(11);
        let mut tenures = Vec::new();
        let mut counts = StaffCounts::default();
        for _ in 0..n {
            t.seat(0.0, days, &mut stream, &mut tenures, &mut counts);
        }
        let observed = f64::from(counts.left) / f64::from(n);
        let se = (mean / f64::from(n)).sqrt();
        assert!((observed - mean).abs() < 4.5 * se, "{observed} vs {mean}");
        assert_eq!(counts.rehires, counts.left);
        assert!((counts.staffed_weeks - f64::from(n) * days / 7.0).abs() < 1e-6 * days);
    }
}
