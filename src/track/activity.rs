//! A team's activity from its call log, week by week from the check-in's start: the weeks are
//! 7 days from the start, UTC days, and a week is judged once the check-in's day has reached its
//! last working day.

use std::collections::HashMap;
use std::path::Path;

use super::{Indicator, Values};
use crate::calllog::{self, Disposition, LogError, Options, Skipped};
use crate::scenario::{Channel, Scenario};

const DAY_MILLIS: i64 = 86_400_000;

/// The check-in's days, counted from 1970-01-01 (UTC).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInDates {
    /// The plan's first day (given, or the Monday of the log's first week).
    pub start: i64,
    /// The check-in's day: activity after it is left out (given, or the log's last day).
    pub as_of: i64,
    /// The weeks (1-based from the start) the team took off: not judged.
    pub weeks_off: Vec<u32>,
}

impl CheckInDates {
    /// The plan's week (0-based, counting worked weeks only) of each of the log's first
    /// `weeks` weeks: `None` for a week off.
    pub fn plan_weeks(&self, weeks: usize) -> Vec<Option<usize>> {
        let mut worked = 0;
        (1..=weeks as u32)
            .map(|week| {
                let off = self.weeks_off.contains(&week);
                let plan_week = (!off).then_some(worked);
                worked += usize::from(!off);
                plan_week
            })
            .collect()
    }
}

/// What to read the log with: the dates as given (`None`: from the log) and the weeks off.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatesGiven {
    pub start: Option<i64>,
    pub as_of: Option<i64>,
    pub weeks_off: Vec<u32>,
}

/// One rep's activity in the weeks a check-in judges.
#[derive(Debug, Clone, PartialEq)]
pub struct RepActivity {
    pub name: String,
    /// Every indicator in each whole week, as the team's [`Activity::weeks`].
    pub weeks: Vec<Values>,
}

/// Every indicator summed over `weeks`.
pub fn summed(weeks: &[Values]) -> Values {
    let mut total = [0.0; Indicator::ALL.len()];
    for week in weeks {
        for (sum, value) in total.iter_mut().zip(week) {
            *sum += value;
        }
    }
    total
}

/// A team's activity in the weeks a check-in judges.
#[derive(Debug, Clone)]
pub struct Activity {
    pub dates: CheckInDates,
    /// Every indicator in each whole week from the start to the check-in's day.
    pub weeks: Vec<Values>,
    /// Each rep's, in order of first appearance (empty without a rep column).
    pub reps: Vec<RepActivity>,
    /// The day (from the start) of each first-time appointment set in the weeks judged.
    pub appointment_days: Vec<u32>,
    /// Rows counted in the weeks judged.
    pub rows: u64,
    /// Rows dated before the start, and after the check-in's day: reported, not counted.
    pub before_start: u64,
    pub after_as_of: u64,
    /// Rows in the week under way (not over by the check-in's day): reported, not judged.
    pub in_week_under_way: u64,
    pub skipped: Skipped,
}

/// A log that cannot be checked in: the file's own error, or dates that do not fit it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ActivityError {
    #[error(transparent)]
    Log(#[from] LogError),
    #[error("{0}")]
    Dates(String),
}

/// A row as the check-in keeps it.
struct Kept {
    millis: i64,
    line: u64,
    lead: u32,
    rep: Option<u16>,
    channel: Channel,
    outcome: Disposition,
}

/// The Monday on or before `day`: 1970-01-01 was a Thursday.
pub fn monday_of(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// A date as a check-in day.
pub fn day_of(date: jiff::civil::Date) -> i64 {
    date.since(jiff::civil::date(1970, 1, 1))
        .expect("a date within jiff's range")
        .get_days()
        .into()
}

/// A check-in day as a date.
pub fn date_of(day: i64) -> jiff::civil::Date {
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(day))
        .expect("a day read from a date")
}

impl Activity {
    /// Reads the call log at `path` with `options` and counts its activity by week from the
    /// check-in's start, with the scenario's minutes for the hours.
    pub fn read(
        path: &Path,
        options: &Options,
        scenario: &Scenario,
        given: &DatesGiven,
    ) -> Result<Activity, ActivityError> {
        let mut kept = Vec::new();
        let mut leads: HashMap<String, u32> = HashMap::new();
        let mut rep_names: Vec<String> = Vec::new();
        let mut rep_index: HashMap<String, u16> = HashMap::new();
        let skipped = calllog::stream(path, options, |row| {
            let next = leads.len() as u32;
            let lead = *leads.entry(row.lead_id.to_string()).or_insert(next);
            let rep = row.rep.map(|name| {
                *rep_index.entry(name.to_string()).or_insert_with(|| {
                    rep_names.push(name.to_string());
                    (rep_names.len() - 1) as u16
                })
            });
            kept.push(Kept {
                millis: row.millis,
                line: row.line,
                lead,
                rep,
                channel: row.channel,
                outcome: row.outcome,
            });
        })?;
        let file = path.display();
        if kept.is_empty() {
            return Err(ActivityError::Dates(format!(
                "{file}: the log has no rows to check in: export the weeks since the plan's start"
            )));
        }
        // Each lead's first conversation and first appointment count, in time order.
        kept.sort_by_key(|row| (row.millis, row.line));
        let days = |row: &Kept| row.millis.div_euclid(DAY_MILLIS);
        let first = days(&kept[0]);
        let last = days(&kept[kept.len() - 1]);
        let start = given.start.unwrap_or_else(|| monday_of(first));
        let as_of = given.as_of.unwrap_or(last);
        let working_days = i64::from(scenario.simulation.working_days_per_week);
        // Whole weeks: those whose last working day the check-in has reached.
        let weeks = if as_of >= start + working_days - 1 {
            ((as_of - (start + working_days - 1)) / 7 + 1) as usize
        } else {
            0
        };
        if as_of < start {
            return Err(ActivityError::Dates(format!(
                "--as-of {} is before --start {}: the check-in's day comes after the plan's start",
                date_of(as_of),
                date_of(start)
            )));
        }
        if weeks == 0 {
            return Err(ActivityError::Dates(format!(
                "--as-of {}: the check-in is before the end of the first week's working days \
                 ({} to {}): a check-in judges whole weeks; check in on or after {}, or give \
                 an earlier --start",
                date_of(as_of),
                date_of(start),
                date_of(start + working_days - 1),
                date_of(start + working_days - 1)
            )));
        }
        if let Some(&week) = given
            .weeks_off
            .iter()
            .find(|&&w| w == 0 || w as usize > weeks)
        {
            return Err(ActivityError::Dates(format!(
                "--weeks-off {week}: the check-in judges weeks 1 to {weeks} (from {} to {}); \
                 list the weeks off among them",
                date_of(start),
                date_of(start + 7 * weeks as i64 - 1)
            )));
        }
        if given.weeks_off.len() >= weeks {
            return Err(ActivityError::Dates(format!(
                "--weeks-off: every week of the check-in (1 to {weeks}) is off; nothing is left \
                 to judge"
            )));
        }
        let channels = &scenario.channels;
        let booking = scenario.funnel.booking_minutes;
        let mut activity = Activity {
            dates: CheckInDates {
                start,
                as_of,
                weeks_off: given.weeks_off.clone(),
            },
            weeks: vec![[0.0; Indicator::ALL.len()]; weeks],
            reps: rep_names
                .iter()
                .map(|name| RepActivity {
                    name: name.clone(),
                    weeks: vec![[0.0; Indicator::ALL.len()]; weeks],
                })
                .collect(),
            appointment_days: Vec::new(),
            rows: 0,
            before_start: 0,
            after_as_of: 0,
            in_week_under_way: 0,
            skipped,
        };
        let mut conversed = vec![false; leads.len()];
        let mut booked = vec![false; leads.len()];
        for row in &kept {
            let day = days(row);
            let first_conversation = row.outcome.is_conversation() && !conversed[row.lead as usize];
            let first_booking =
                row.outcome == Disposition::Appointment && !booked[row.lead as usize];
            conversed[row.lead as usize] |= row.outcome.is_conversation();
            booked[row.lead as usize] |= row.outcome == Disposition::Appointment;
            if day < start {
                activity.before_start += 1;
                continue;
            }
            if day > as_of {
                activity.after_as_of += 1;
                continue;
            }
            let week = ((day - start) / 7) as usize;
            if week >= weeks {
                activity.in_week_under_way += 1;
                continue;
            }
            activity.rows += 1;
            let settings = channels.settings(row.channel);
            let mut minutes = settings.minutes;
            if row.outcome.is_conversation() {
                minutes += settings.conversation_minutes;
            }
            if row.outcome == Disposition::Appointment {
                minutes += booking;
            }
            let dial = matches!(row.channel, Channel::Call | Channel::Voicemail);
            // In Indicator::ALL order: hours, touches, dials, conversations, appointments.
            let values: Values = [
                minutes / 60.0,
                1.0,
                f64::from(u8::from(dial)),
                f64::from(u8::from(first_conversation)),
                f64::from(u8::from(first_booking)),
            ];
            let add = |into: &mut Values| {
                for (total, value) in into.iter_mut().zip(values) {
                    *total += value;
                }
            };
            add(&mut activity.weeks[week]);
            if first_booking {
                activity.appointment_days.push((day - start) as u32);
            }
            if let Some(rep) = row.rep {
                add(&mut activity.reps[rep as usize].weeks[week]);
            }
        }
        Ok(activity)
    }

    /// The weeks judged that the team worked.
    pub fn worked_weeks(&self) -> usize {
        self.weeks.len() - self.dates.weeks_off.len()
    }
}
