//! First-time meetings as calendars and CRMs export them: one row per meeting, default columns
//! `date` and, optionally, `status` (`held`, or `no_show` / `canceled`: set but not held); a row
//! without a status was held. Appointments held are judged from it, by the week they were held.

use std::path::Path;

use super::deals::{Export, ExportError, day_of_cell};

/// The names of a meetings export's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingColumns {
    pub date: String,
    pub status: String,
}

impl Default for MeetingColumns {
    fn default() -> Self {
        MeetingColumns {
            date: "date".into(),
            status: "status".into(),
        }
    }
}

/// The statuses a meeting may have, for messages.
pub const MEETING_STATUSES: &str =
    "held (or completed, attended), no_show (or no-show, missed) or canceled";

/// Whether a status cell says the meeting was held (`None`: not a status).
fn held(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "held" | "completed" | "attended" | "done" => Some(true),
        "no_show" | "no-show" | "no show" | "noshow" | "missed" | "canceled" | "cancelled" => {
            Some(false)
        }
        _ => None,
    }
}

/// The days (from 1970-01-01) of the meetings held in the export at `path`.
pub fn read_meetings(path: &Path, columns: &MeetingColumns) -> Result<Vec<i64>, ExportError> {
    let mut export = Export::open(path)?;
    let header = export.header.clone();
    let at = |name: &str| header.iter().position(|h| h.trim() == name);
    let date_at = at(&columns.date).ok_or_else(|| {
        export.fail(
            Some(1),
            format!(
                "no column {:?} in the header ({}): name the export's column with \
                 --meeting-cols, e.g. --meeting-cols \"date=Start Date,status=Outcome\"",
                columns.date,
                header.iter().collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    let status_at = at(&columns.status);
    let mut days = Vec::new();
    let records: Vec<_> = export.reader.records().collect();
    for record in records {
        let record = record.map_err(|err| {
            let line = err.position().map(|p| p.line());
            export.fail(line, format!("cannot read the row: {err}"))
        })?;
        let line = record.position().map(|p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let day = day_of_cell(cell(date_at)).ok_or_else(|| {
            export.fail(
                line,
                format!(
                    "column {:?}: {:?} is not a date: write it as YYYY-MM-DD",
                    columns.date,
                    cell(date_at)
                ),
            )
        })?;
        let status = status_at.map(cell).unwrap_or_default();
        let was_held = held(status).ok_or_else(|| {
            export.fail(
                line,
                format!(
                    "column {:?}: {status:?} is not a meeting status: use {MEETING_STATUSES}",
                    columns.status
                ),
            )
        })?;
        if was_held {
            days.push(day);
        }
    }
    Ok(days)
}

/// The meetings held in each of the `weeks` whole weeks from `start`, and how many fall
/// outside them (before the start, or after the last week judged): reported, not counted.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct HeldAt {
    #[serde(skip)]
    pub by_week: Vec<f64>,
    pub held: u32,
    pub left_out: u32,
}

impl HeldAt {
    /// The meetings held on `days`, by week from `start`.
    pub fn of(days: &[i64], start: i64, weeks: usize) -> HeldAt {
        let mut at = HeldAt {
            by_week: vec![0.0; weeks],
            ..HeldAt::default()
        };
        for &day in days {
            let week = (day >= start).then(|| ((day - start) / 7) as usize);
            match week.filter(|&w| w < weeks) {
                Some(w) => {
                    at.by_week[w] += 1.0;
                    at.held += 1;
                }
                None => at.left_out += 1,
            }
        }
        at
    }
}
