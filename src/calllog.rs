//! Call logs (MODEL.md §4): CSV with a header, one row per touch, default columns
//! `lead_id,timestamp,channel,outcome` plus an optional `rep`; timestamps in ISO 8601.
//! Every bad row is reported with its file, line and column, and how to fix it.

use std::path::Path;

use crate::scenario::Channel;

/// What a touch led to, as a call log writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    NoAnswer,
    Voicemail,
    Gatekeeper,
    BadNumber,
    Conversation,
    /// An appointment set, in a conversation.
    Appointment,
}

impl Outcome {
    const NAMES: [(&'static str, Outcome); 6] = [
        ("no_answer", Outcome::NoAnswer),
        ("voicemail", Outcome::Voicemail),
        ("gatekeeper", Outcome::Gatekeeper),
        ("bad_number", Outcome::BadNumber),
        ("conversation", Outcome::Conversation),
        ("appointment", Outcome::Appointment),
    ];

    /// Whether the touch reached the decision maker (an appointment is also a conversation).
    pub fn is_conversation(self) -> bool {
        matches!(self, Outcome::Conversation | Outcome::Appointment)
    }
}

/// One row of a call log.
#[derive(Debug, Clone, PartialEq)]
pub struct Touch {
    pub lead_id: String,
    /// Seconds since the Unix epoch (times without an offset are taken as UTC).
    pub time: f64,
    pub channel: Channel,
    pub outcome: Outcome,
    pub rep: Option<String>,
    /// The file line the row is on.
    pub line: u64,
}

/// A call log that cannot be read: the file, the line when there is one, and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct LogError {
    pub file: String,
    pub line: Option<u64>,
    pub message: String,
}

/// The names of a call log's columns (CRM exports name them their own way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub lead_id: String,
    pub timestamp: String,
    pub channel: String,
    pub outcome: String,
    pub rep: String,
}

impl Default for Columns {
    /// MODEL.md §4: `lead_id,timestamp,channel,outcome` plus `rep`.
    fn default() -> Self {
        Columns {
            lead_id: "lead_id".into(),
            timestamp: "timestamp".into(),
            channel: "channel".into(),
            outcome: "outcome".into(),
            rep: "rep".into(),
        }
    }
}

/// Reads the whole call log at `path` with the given column names; `need_rep` makes the rep
/// column required.
pub fn read(path: &Path, names: &Columns, need_rep: bool) -> Result<Vec<Touch>, LogError> {
    let file = path.display().to_string();
    let fail = |line: Option<u64>, message: String| LogError {
        file: file.clone(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|err| fail(None, format!("cannot read the file: {err}")))?;
    let header = reader
        .headers()
        .map_err(|err| fail(Some(1), format!("cannot read the header: {err}")))?
        .clone();
    let position = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().trim_start_matches('\u{feff}') == name)
    };
    let wanted = [
        &names.lead_id,
        &names.timestamp,
        &names.channel,
        &names.outcome,
        &names.rep,
    ];
    let mut columns = [None; 5];
    for (i, (slot, name)) in columns.iter_mut().zip(wanted).enumerate() {
        *slot = position(name);
        let required = i < 4 || need_rep;
        if slot.is_none() && required {
            let found: Vec<&str> = header.iter().collect();
            return Err(fail(
                Some(1),
                format!(
                    "no `{name}` column (the header has: {}); name the log's columns with \
                     --lead-col, --time-col, --channel-col, --outcome-col{}",
                    found.join(", "),
                    if need_rep { " and --rep-col" } else { "" }
                ),
            ));
        }
    }
    let mut touches = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| {
            let line = err.position().map(|p| p.line());
            fail(line, format!("cannot read the row: {err}"))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |index: Option<usize>| index.and_then(|i| record.get(i)).map(str::trim);
        let bad = |column: &String, value: &str, fix: &str| {
            fail(Some(line), format!("{column} = \"{value}\": {fix}"))
        };
        let lead_id = cell(columns[0]).unwrap_or_default();
        if lead_id.is_empty() {
            return Err(bad(
                &names.lead_id,
                lead_id,
                "every row needs the lead it touched",
            ));
        }
        let timestamp = cell(columns[1]).unwrap_or_default();
        let time = parse_time(timestamp).ok_or_else(|| {
            bad(
                &names.timestamp,
                timestamp,
                "not an ISO 8601 date and time of day; write e.g. 2026-03-02T09:15:00 or \
                 2026-03-02T09:15:00Z",
            )
        })?;
        let channel_text = cell(columns[2]).unwrap_or_default();
        let channel = Channel::ALL
            .into_iter()
            .find(|c| c.name() == channel_text)
            .ok_or_else(|| {
                bad(
                    &names.channel,
                    channel_text,
                    "must be call, voicemail, email or inmail",
                )
            })?;
        let outcome_text = cell(columns[3]).unwrap_or_default();
        let outcome = Outcome::NAMES
            .iter()
            .find(|(name, _)| *name == outcome_text)
            .map(|&(_, o)| o)
            .ok_or_else(|| {
                bad(
                    &names.outcome,
                    outcome_text,
                    "must be no_answer, voicemail, gatekeeper, bad_number, conversation or \
                     appointment",
                )
            })?;
        let rep = cell(columns[4]).map(str::to_string);
        if need_rep && rep.as_deref().is_none_or(str::is_empty) {
            return Err(bad(
                &names.rep,
                "",
                "every row needs the rep who made the touch",
            ));
        }
        touches.push(Touch {
            lead_id: lead_id.to_string(),
            time,
            channel,
            outcome,
            rep,
            line,
        });
    }
    if touches.is_empty() {
        return Err(fail(None, "the log has a header but no rows".into()));
    }
    Ok(touches)
}

/// Seconds since the epoch of an ISO 8601 time, with an offset or without (then UTC). A date
/// alone is refused: touches need their time of day.
fn parse_time(text: &str) -> Option<f64> {
    if !text.contains(':') {
        return None;
    }
    let timestamp = text.parse::<jiff::Timestamp>().ok().or_else(|| {
        let civil = text.parse::<jiff::civil::DateTime>().ok()?;
        civil
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    })?;
    Some(timestamp.as_millisecond() as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_with_and_without_offsets() {
        assert_eq!(parse_time("1970-01-01T00:01:00Z"), Some(60.0));
        assert_eq!(parse_time("1970-01-01T00:01:00"), Some(60.0));
        assert_eq!(parse_time("1970-01-01T01:01:00+01:00"), Some(60.0));
        assert_eq!(parse_time("1970-01-01 00:01:30"), Some(90.0));
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time("1970-01-01"), None);
    }
}
