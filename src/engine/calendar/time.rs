//! Time in the calendar engine: which days are worked, how many prospecting minutes each rep
//! has on each of them, and how one day's minutes are spent.

use super::staffing::Tenure;
use crate::scenario::Simulation;

/// Working days of the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkCalendar {
    /// Calendar days in the horizon (7 per week).
    days: u32,
    working: Vec<bool>,
    /// next_working[d]: the first working day on or after d (`days` when none is left).
    next_working: Vec<u32>,
    working_weeks: u32,
    weeks_off: Vec<u32>,
}

impl WorkCalendar {
    /// The first `working_days_per_week` days of each week are worked, except in the weeks off,
    /// which are spread evenly over the horizon.
    pub fn new(simulation: &Simulation) -> Self {
        let weeks = simulation.weeks;
        let off: Vec<u32> = (0..simulation.weeks_off)
            .map(|j| ((2 * j + 1) * weeks) / (2 * simulation.weeks_off))
            .collect();
        let days = weeks * 7;
        let working: Vec<bool> = (0..days)
            .map(|day| day % 7 < simulation.working_days_per_week && !off.contains(&(day / 7)))
            .collect();
        let mut next_working = vec![days; days as usize + 1];
        for day in (0..days).rev() {
            next_working[day as usize] = if working[day as usize] {
                day
            } else {
                next_working[day as usize + 1]
            };
        }
        WorkCalendar {
            days,
            working,
            next_working,
            working_weeks: weeks - simulation.weeks_off,
            weeks_off: off,
        }
    }

    /// Calendar days in the horizon.
    pub fn days(&self) -> u32 {
        self.days
    }

    /// Weeks in the horizon.
    pub fn weeks(&self) -> u32 {
        self.days / 7
    }

    pub fn is_working(&self, day: u32) -> bool {
        self.working.get(day as usize).copied().unwrap_or(false)
    }

    /// Weeks worked: the horizon less the weeks off.
    pub fn working_weeks(&self) -> u32 {
        self.working_weeks
    }

    /// The weeks off (0-based), spread evenly over the horizon.
    pub fn weeks_off(&self) -> &[u32] {
        &self.weeks_off
    }

    /// The weeks off as spans of weeks, for charts.
    pub fn weeks_off_spans(&self) -> Vec<(f64, f64)> {
        self.weeks_off
            .iter()
            .map(|&w| (f64::from(w), f64::from(w) + 1.0))
            .collect()
    }

    /// The first working day on or after `day`, or the horizon's end when there is none.
    pub fn next_working_day(&self, day: u32) -> u32 {
        self.next_working
            .get(day as usize)
            .copied()
            .unwrap_or(self.days)
    }
}

/// Prospecting minutes available each calendar day.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Capacity {
    pub(super) minutes: Vec<f64>,
    /// later[d]: the minutes of every day after d.
    pub(super) later: Vec<f64>,
}

impl Capacity {
    /// One rep prospecting `hours_per_day` each working day at full productivity, ramping
    /// linearly from 0 to full over `ramp_weeks` from the first day.
    pub fn new(calendar: &WorkCalendar, hours_per_day: f64, ramp_weeks: f64) -> Self {
        let mut capacity = Capacity::default();
        let whole_horizon = Tenure {
            start: 0.0,
            end: f64::INFINITY,
        };
        capacity.fill(calendar, hours_per_day, ramp_weeks, &[whole_horizon]);
        capacity
    }

    /// Fills the minutes of a seat whose hires hold `tenures` (in order, apart): each
    /// prospects `hours_per_day` each working day of their tenure, ramping linearly from 0 to
    /// full over `ramp_weeks` from their first day; the seat is empty between them.
    pub(super) fn fill(
        &mut self,
        calendar: &WorkCalendar,
        hours_per_day: f64,
        ramp_weeks: f64,
        tenures: &[Tenure],
    ) {
        let full = hours_per_day * 60.0;
        let days = calendar.days() as usize;
        self.minutes.clear();
        self.minutes.resize(days, 0.0);
        for tenure in tenures {
            let first = tenure.start.ceil().min(days as f64) as u32;
            let past_last = tenure.end.ceil().min(days as f64) as u32;
            for day in (first..past_last).filter(|&d| calendar.is_working(d)) {
                self.minutes[day as usize] = if ramp_weeks <= 0.0 {
                    full
                } else {
                    full * ((f64::from(day) - tenure.start + 0.5) / (7.0 * ramp_weeks)).min(1.0)
                };
            }
        }
        self.later.clear();
        self.later.resize(days, 0.0);
        for day in (0..days.saturating_sub(1)).rev() {
            self.later[day] = self.later[day + 1] + self.minutes[day + 1];
        }
    }

    /// Replaces the minutes of the days before `day` with those of `minutes_by_week`, each
    /// week's spread evenly over its working days (a week not given keeps its own).
    pub(super) fn replace_before(
        &mut self,
        calendar: &WorkCalendar,
        day: u32,
        minutes_by_week: &[f64],
    ) {
        let day = day.min(calendar.days());
        for (week, &minutes) in minutes_by_week.iter().enumerate() {
            let first = 7 * week as u32;
            let days: Vec<u32> = (first..(first + 7).min(day))
                .filter(|&d| calendar.is_working(d))
                .collect();
            for &d in &days {
                self.minutes[d as usize] = minutes / days.len() as f64;
            }
        }
        for d in (0..self.minutes.len().saturating_sub(1)).rev() {
            self.later[d] = self.later[d + 1] + self.minutes[d + 1];
        }
    }

    /// Total minutes over the horizon.
    pub fn total_minutes(&self) -> f64 {
        self.minutes.iter().sum()
    }
}

/// One working day's time. A touch that does not fit waits for the next day, except that a
/// day with nothing done yet takes one touch longer than its time (say a long conversation on
/// a short prospecting day): the overrun is taken from the following days, and only while the
/// rest of the horizon holds it, so the minutes used never exceed the capacity.
pub(super) struct Day {
    pub(super) left: f64,
    pub(super) worked: bool,
    pub(super) later: f64,
}

impl Day {
    /// Whether `minutes` of work can be done now.
    pub(super) fn fits(&self, minutes: f64) -> bool {
        minutes <= self.left || (!self.worked && minutes <= self.left + self.later)
    }

    pub(super) fn take(&mut self, minutes: f64) {
        self.left -= minutes;
        self.worked = true;
    }
}
