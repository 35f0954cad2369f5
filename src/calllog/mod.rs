//! Call logs (docs/model.md): CSV with a header, one row per touch, default columns
//! `lead_id,timestamp,channel,outcome` plus an optional `rep`; timestamps in ISO 8601, with `Z`,
//! an offset or an RFC 9557 time zone (`[Europe/Paris]`), or civil times taken as UTC.
//!
//! Logs are read as a stream, one row at a time, so a log of millions of rows needs no more
//! memory than what the caller keeps of it. Every bad row is reported with its file, line and
//! column, and how to fix it; with `skip_invalid` bad rows are counted and skipped instead.

use std::io::Write;
use std::path::Path;

use crate::engine::{CohortModel, cohort_touches};
use crate::scenario::{Channel, Scenario};

mod records;
mod time;

use records::{MAX_RECORD_BYTES, RecordError, Records};

pub use time::TimeError;

/// What a touch led to, as a call log writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Disposition {
    NoAnswer,
    Voicemail,
    Gatekeeper,
    BadNumber,
    Conversation,
    /// An appointment set, in a conversation.
    Appointment,
}

impl Disposition {
    /// Every outcome, in the order of docs/model.md.
    pub const ALL: [Disposition; 6] = [
        Disposition::NoAnswer,
        Disposition::Voicemail,
        Disposition::Gatekeeper,
        Disposition::BadNumber,
        Disposition::Conversation,
        Disposition::Appointment,
    ];

    /// The outcome's name in a call log.
    pub fn name(self) -> &'static str {
        match self {
            Disposition::NoAnswer => "no_answer",
            Disposition::Voicemail => "voicemail",
            Disposition::Gatekeeper => "gatekeeper",
            Disposition::BadNumber => "bad_number",
            Disposition::Conversation => "conversation",
            Disposition::Appointment => "appointment",
        }
    }

    /// The outcome's place in [`Disposition::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether the touch reached the decision maker (an appointment is also a conversation).
    pub fn is_conversation(self) -> bool {
        matches!(self, Disposition::Conversation | Disposition::Appointment)
    }
}

/// One row of a call log.
#[derive(Debug, Clone, PartialEq)]
pub struct Touch {
    pub lead_id: String,
    /// Seconds since the Unix epoch (civil times, without an offset or a zone, are taken as UTC).
    pub time: f64,
    pub channel: Channel,
    pub outcome: Disposition,
    pub rep: Option<String>,
    /// The file line the row is on.
    pub line: u64,
}

/// One row of a call log as the stream passes it on, borrowing the row's text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row<'a> {
    pub lead_id: &'a str,
    /// Milliseconds since the Unix epoch (civil times, without an offset or a zone, are UTC).
    pub millis: i64,
    pub channel: Channel,
    pub outcome: Disposition,
    /// The rep, when the log has a rep column and the cell is not empty.
    pub rep: Option<&'a str>,
    /// The lead's segment, when [`Options::segment_column`] names a column.
    pub segment: Option<&'a str>,
    /// The file line the row is on.
    pub line: u64,
}

/// A call log that cannot be read: the file, the line when there is one, and what is wrong.
#[derive(Debug, Clone, thiserror::Error)]
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
    /// docs/model.md: `lead_id,timestamp,channel,outcome` plus `rep`.
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

/// How to read a call log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    pub columns: Columns,
    /// A log's own outcome labels and what they mean, e.g. "Left Voicemail" → voicemail.
    pub outcome_labels: Vec<(String, Disposition)>,
    /// A log's own channel labels and what they mean, e.g. "Phone" → call.
    pub channel_labels: Vec<(String, Channel)>,
    /// Whether every row must name its rep.
    pub need_rep: bool,
    /// Skip bad rows (counting them) instead of stopping at the first.
    pub skip_invalid: bool,
    /// A column naming each lead's segment (e.g. its KARE category), which every row must fill.
    pub segment_column: Option<String>,
}

/// The rows a lenient read skipped.
#[derive(Debug, Clone, Default)]
pub struct Skipped {
    /// Every row skipped: those that could not be read and those that repeat an earlier row.
    pub count: u64,
    /// Of them, the rows that repeat an earlier row.
    pub repeats: u64,
    /// The first few in file order, with their line and problem.
    pub first: Vec<LogError>,
}

impl Skipped {
    /// How many skipped rows are kept to be shown.
    pub const SHOWN: usize = 5;

    /// One line for a report: how many rows were skipped and where the first were.
    pub fn describe(&self) -> Option<String> {
        (self.count > 0).then(|| {
            let lines: Vec<String> = self
                .first
                .iter()
                .filter_map(|e| e.line.map(|l| l.to_string()))
                .collect();
            let what = match self.repeats {
                0 => format!("{} invalid row(s)", self.count),
                n if n == self.count => format!("{n} row(s) repeating an earlier row"),
                n => format!(
                    "{} row(s) ({} invalid, {n} repeating an earlier row)",
                    self.count,
                    self.count - n
                ),
            };
            format!(
                "skipped {what}, on line(s) {}{}",
                lines.join(", "),
                if self.count > self.first.len() as u64 {
                    ", …"
                } else {
                    ""
                }
            )
        })
    }
}

/// What makes two rows the same touch, for messages.
const SAME: &str = "the same lead, time, channel, outcome and rep";

impl Skipped {
    /// Adds `repeats` skipped rows that repeat earlier ones, of which `found` are the first in
    /// file order: (line, line of the row it repeats).
    pub fn add_repeats(&mut self, file: &str, repeats: u64, found: &[(u64, u64)]) {
        self.count += repeats;
        self.repeats += repeats;
        self.first
            .extend(found.iter().map(|&(line, first)| LogError {
                file: file.to_string(),
                line: Some(line),
                message: format!("repeats line {first} ({SAME})"),
            }));
        self.first.sort_by_key(|e| e.line);
        self.first.truncate(Self::SHOWN);
    }
}

/// The error for a log with `repeats` rows that repeat an earlier row, the first of them in
/// file order `found`: (line, line of the row it repeats).
pub fn repeat_error(file: &str, found: Option<(u64, u64)>, repeats: u64) -> LogError {
    let all = match repeats {
        1 => String::new(),
        n => format!(" (the log has {n} such rows)"),
    };
    let fix = "remove the repeat, or pass --skip-invalid to skip repeats";
    match found {
        Some((line, first)) => LogError {
            file: file.to_string(),
            line: Some(line),
            message: format!(
                "this row repeats line {first} ({SAME}), and would be counted twice{all}; {fix}"
            ),
        },
        // The file changed between the two reads.
        None => LogError {
            file: file.to_string(),
            line: None,
            message: format!("{repeats} row(s) repeat an earlier row ({SAME}); {fix}"),
        },
    }
}

/// Parses a label map, `"Left Voicemail=voicemail,Connected=conversation"`, for the flag
/// `flag`, with `parse` turning each right-hand side into a value (or None).
pub fn parse_labels<T>(
    flag: &str,
    text: &str,
    parse: impl Fn(&str) -> Option<T>,
    names: &str,
) -> Result<Vec<(String, T)>, String> {
    text.split(',')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| {
            let (label, value) = pair.rsplit_once('=').ok_or_else(|| {
                format!("{flag} \"{pair}\": write LABEL=VALUE pairs separated by commas")
            })?;
            if label.trim().is_empty() {
                return Err(format!(
                    "{flag} \"{pair}\": the label before = is empty; write the log's own label"
                ));
            }
            let parsed = parse(value.trim()).ok_or_else(|| {
                format!(
                    "{flag} \"{pair}\": \"{}\" is not one of {names}",
                    value.trim()
                )
            })?;
            Ok((label.trim().to_string(), parsed))
        })
        .collect()
}

/// The standard outcome named `text` (any case).
pub fn outcome_named(text: &str) -> Option<Disposition> {
    Disposition::ALL
        .into_iter()
        .find(|o| o.name().eq_ignore_ascii_case(text))
}

/// The channel named `text` (any case).
pub fn channel_named(text: &str) -> Option<Channel> {
    Channel::ALL
        .into_iter()
        .find(|c| c.name().eq_ignore_ascii_case(text))
}

/// The outcome names, for messages.
pub const OUTCOME_NAMES: &str =
    "no_answer, voicemail, gatekeeper, bad_number, conversation or appointment";

/// The channel names, for messages.
pub const CHANNEL_NAMES: &str = "call, voicemail, email or inmail";

/// Streams the call log at `path`, passing each good row to `each` in file order. Stops at the
/// first bad row, or with `skip_invalid` skips bad rows and returns them.
pub fn stream(
    path: &Path,
    options: &Options,
    mut each: impl FnMut(Row<'_>),
) -> Result<Skipped, LogError> {
    let file = path.display().to_string();
    let fail = |line: Option<u64>, message: String| LogError {
        file: file.clone(),
        line,
        message,
    };
    let input = open_regular(path).map_err(|message| fail(None, message))?;
    let mut records = Records::new(input);
    let unreadable = |err: RecordError| match err {
        RecordError::Io { line, err } => fail(Some(line), format!("cannot read the file: {err}")),
        RecordError::TooLong { line } => fail(
            Some(line),
            format!(
                "this row runs past {} MiB, more than any call-log row needs; most often a \
                 cell that opens a quote (\") and never closes it takes in the rest of the \
                 file: close the quote, or remove the row",
                MAX_RECORD_BYTES >> 20
            ),
        ),
    };
    let Some(header_line) = records.next_record().map_err(unreadable)? else {
        return Err(fail(
            None,
            "the file is empty: a call log starts with a header line, e.g. \
             lead_id,timestamp,channel,outcome,rep"
                .into(),
        ));
    };
    let header = records
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            std::str::from_utf8(cell).map(clean).map_err(|err| {
                fail(
                    Some(header_line),
                    format!(
                        "column {} of the header: {}",
                        i + 1,
                        not_utf8(cell, err.valid_up_to())
                    ),
                )
            })
        })
        .collect::<Result<Vec<&str>, LogError>>()?
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<String>>();
    let names = &options.columns;
    let segment = options.segment_column.as_ref();
    let wanted = [
        (&names.lead_id, "--lead-col"),
        (&names.timestamp, "--time-col"),
        (&names.channel, "--channel-col"),
        (&names.outcome, "--outcome-col"),
        (&names.rep, "--rep-col"),
    ]
    .into_iter()
    .chain(segment.map(|name| (name, "--segment-col")));
    let mut columns = [None; 6];
    for (i, (slot, (name, flag))) in columns.iter_mut().zip(wanted).enumerate() {
        let mut found = header.iter().enumerate().filter(|(_, h)| *h == name);
        *slot = found.next().map(|(at, _)| at);
        if let (Some(first), Some((second, _))) = (*slot, found.next()) {
            return Err(fail(
                Some(header_line),
                format!(
                    "the header has two `{name}` columns (columns {} and {}); rename the one \
                     not to read, or name the column to read with {flag}",
                    first + 1,
                    second + 1
                ),
            ));
        }
        let required = i < 4 || i == 5 || options.need_rep;
        if slot.is_none() && required {
            let fix = if i == 5 {
                " (--segment-col names the column of each lead's segment)"
            } else if options.need_rep {
                " and --rep-col"
            } else {
                ""
            };
            return Err(fail(
                Some(header_line),
                format!(
                    "no `{name}` column (the header has: {}); name the log's columns with \
                     --lead-col, --time-col, --channel-col, --outcome-col{fix}",
                    listed(&header),
                ),
            ));
        }
    }
    let mut skipped = Skipped::default();
    let mut good = 0u64;
    let mut zones = time::Zones::default();
    while let Some(line) = records.next_record().map_err(unreadable)? {
        let row = if records.len() != header.len() {
            Err(fail(
                Some(line),
                format!(
                    "the row has {} fields but the header has {}; quote cells that contain commas",
                    records.len(),
                    header.len()
                ),
            ))
        } else {
            parse_row(&records, &columns, options, line, &mut zones)
                .map_err(|message| fail(Some(line), message))
        };
        match row {
            Ok(row) => {
                good += 1;
                each(row);
            }
            Err(err) if options.skip_invalid => {
                skipped.count += 1;
                if skipped.first.len() < Skipped::SHOWN {
                    skipped.first.push(err);
                }
            }
            Err(err) => return Err(err),
        }
    }
    if good == 0 {
        let why = match skipped.count {
            0 => "the log has a header but no rows".to_string(),
            n => format!(
                "none of the log's {n} row(s) could be read; the first problem: {}",
                skipped.first[0]
            ),
        };
        return Err(fail(None, why));
    }
    Ok(skipped)
}

/// Reads the whole call log at `path` into memory (for logs of one session, such as a blitz).
/// A row that repeats an earlier one is refused, or with `skip_invalid` skipped.
pub fn read(path: &Path, options: &Options) -> Result<(Vec<Touch>, Skipped), LogError> {
    let mut touches = Vec::new();
    let mut skipped = stream(path, options, |row| {
        touches.push(Touch {
            lead_id: row.lead_id.to_string(),
            time: row.millis as f64 / 1000.0,
            channel: row.channel,
            outcome: row.outcome,
            rep: row.rep.map(str::to_string),
            line: row.line,
        })
    })?;
    // Repeats: rows sorted by what makes them the same touch, then by file order.
    fn key(t: &Touch) -> (&str, u64, usize, usize, Option<&str>) {
        (
            t.lead_id.as_str(),
            t.time.to_bits(),
            t.channel.index(),
            t.outcome.index(),
            t.rep.as_deref(),
        )
    }
    let mut order: Vec<usize> = (0..touches.len()).collect();
    order.sort_by(|&a, &b| key(&touches[a]).cmp(&key(&touches[b])).then(a.cmp(&b)));
    let mut repeats: Vec<(usize, u64)> = order
        .chunk_by(|&a, &b| key(&touches[a]) == key(&touches[b]))
        .flat_map(|same| same[1..].iter().map(|&i| (i, touches[same[0]].line)))
        .collect();
    if !repeats.is_empty() {
        repeats.sort_unstable();
        let file = path.display().to_string();
        let found: Vec<(u64, u64)> = repeats
            .iter()
            .map(|&(i, first)| (touches[i].line, first))
            .collect();
        if !options.skip_invalid {
            return Err(repeat_error(
                &file,
                found.first().copied(),
                found.len() as u64,
            ));
        }
        skipped.add_repeats(
            &file,
            found.len() as u64,
            &found[..found.len().min(Skipped::SHOWN)],
        );
        let mut keep = vec![true; touches.len()];
        repeats.iter().for_each(|&(i, _)| keep[i] = false);
        let mut keep = keep.into_iter();
        touches.retain(|_| keep.next().unwrap_or(true));
    }
    Ok((touches, skipped))
}

/// One record's cells, checked; the error says which column is wrong and how to fix it.
fn parse_row<'a, R: std::io::Read>(
    record: &'a Records<R>,
    columns: &[Option<usize>; 6],
    options: &Options,
    line: u64,
    zones: &mut time::Zones,
) -> Result<Row<'a>, String> {
    let names = &options.columns;
    let cell = |index: Option<usize>, name: &str| -> Result<Option<&'a str>, String> {
        let Some((i, bytes)) = index.and_then(|i| Some((i, record.get(i)?))) else {
            return Ok(None);
        };
        let text = std::str::from_utf8(bytes).map_err(|err| {
            format!(
                "{name} (column {}): {}",
                i + 1,
                not_utf8(bytes, err.valid_up_to())
            )
        })?;
        // No id, time, channel, outcome or rep spans lines: a line break inside one is a quote
        // left open, which took in the rows after it.
        if text.contains(['\n', '\r']) {
            return Err(format!(
                "{name} (column {}) = {}: runs over more than one line, so a quote (\") opened \
                 here is not closed and the rows after it were taken into this cell: close the \
                 quote",
                i + 1,
                quoted(text)
            ));
        }
        Ok(Some(clean(text)))
    };
    let bad = |column: &str, value: &str, fix: &str| format!("{column} = {}: {fix}", quoted(value));
    let lead_id = cell(columns[0], &names.lead_id)?.unwrap_or_default();
    if lead_id.is_empty() {
        return Err(bad(
            &names.lead_id,
            lead_id,
            "every row needs the lead it touched",
        ));
    }
    let timestamp = cell(columns[1], &names.timestamp)?.unwrap_or_default();
    let millis = time::parse_time(timestamp, zones)
        .map_err(|err| bad(&names.timestamp, timestamp, &err.to_string()))?;
    let channel_text = cell(columns[2], &names.channel)?.unwrap_or_default();
    let channel = labelled(&options.channel_labels, channel_text)
        .or_else(|| channel_named(channel_text))
        .ok_or_else(|| {
            bad(
                &names.channel,
                channel_text,
                &format!(
                    "must be {CHANNEL_NAMES}; map the log's own labels to these with \
                     --channel-map, e.g. --channel-map \"Phone=call,LinkedIn=inmail\""
                ),
            )
        })?;
    let outcome_text = cell(columns[3], &names.outcome)?.unwrap_or_default();
    let outcome = labelled(&options.outcome_labels, outcome_text)
        .or_else(|| outcome_named(outcome_text))
        .ok_or_else(|| {
            bad(
                &names.outcome,
                outcome_text,
                &format!(
                    "must be {OUTCOME_NAMES}; map the log's own labels to these with \
                     --outcome-map, e.g. --outcome-map \"Connected=conversation,Left \
                     Voicemail=voicemail\""
                ),
            )
        })?;
    let rep = cell(columns[4], &names.rep)?.filter(|r| !r.is_empty());
    if options.need_rep && rep.is_none() {
        return Err(bad(
            &names.rep,
            "",
            "every row needs the rep who made the touch",
        ));
    }
    let segment = cell(
        columns[5],
        options.segment_column.as_deref().unwrap_or_default(),
    )?;
    if segment == Some("") {
        return Err(bad(
            options.segment_column.as_deref().unwrap_or_default(),
            "",
            "every row needs the lead's segment (--segment-col)",
        ));
    }
    Ok(Row {
        lead_id,
        millis,
        channel,
        outcome,
        rep,
        segment,
        line,
    })
}

/// Opens the file at `path` when it is a regular file. A directory, a device such as /dev/zero
/// or a named pipe is refused before it is read: those never end, or block.
fn open_regular(path: &Path) -> Result<std::fs::File, String> {
    let kind = |meta: &std::fs::Metadata| -> Option<&'static str> {
        let kind = meta.file_type();
        if kind.is_file() {
            return None;
        }
        if kind.is_dir() {
            return Some("a folder");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_fifo() {
                return Some("a named pipe");
            }
            if kind.is_char_device() || kind.is_block_device() {
                return Some("a device");
            }
            if kind.is_socket() {
                return Some("a socket");
            }
        }
        Some("not a regular file")
    };
    let refuse = |what: &str| {
        format!(
            "this is {what}, not a call log: give the path of a CSV file (to read from a pipe \
             or a device, save what it gives to a file first)"
        )
    };
    let meta = std::fs::metadata(path).map_err(|err| format!("cannot read the file: {err}"))?;
    if let Some(what) = kind(&meta) {
        return Err(refuse(what));
    }
    let file = std::fs::File::open(path).map_err(|err| format!("cannot read the file: {err}"))?;
    // The path may have been replaced between the two looks.
    let meta = file
        .metadata()
        .map_err(|err| format!("cannot read the file: {err}"))?;
    match kind(&meta) {
        Some(what) => Err(refuse(what)),
        None => Ok(file),
    }
}

/// The most characters of a log's text a message quotes.
const QUOTED: usize = 60;

/// `value` in double quotes for a message: its first 60 characters, then an ellipsis and how
/// long it is, with control and invisible characters escaped.
pub fn quoted(value: &str) -> String {
    match cut(value) {
        (text, false) => format!("\"{text}\""),
        (text, true) => format!("\"{text}\" ({} characters)", value.chars().count()),
    }
}

/// The first 60 characters of `value`, then an ellipsis, with control and invisible characters
/// escaped; and whether it was cut.
fn cut(value: &str) -> (String, bool) {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == QUOTED {
            out.push('…');
            return (out, true);
        }
        match c {
            '"' | '\'' | '\\' => out.push(c),
            c => out.extend(c.escape_debug()),
        }
    }
    (out, false)
}

/// A header's column names for a message: the first dozen, each cut short.
fn listed(header: &[String]) -> String {
    const MOST: usize = 12;
    let mut names: Vec<String> = header.iter().take(MOST).map(|h| cut(h).0).collect();
    if header.len() > MOST {
        names.push(format!("… ({} columns)", header.len()));
    }
    names.join(", ")
}

/// A cell's text without the spaces around it, nor a byte order mark (as concatenated exports
/// leave inside a file).
fn clean(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// Where `bytes`, valid UTF-8 up to `valid`, stop being UTF-8, and the fix.
fn not_utf8(bytes: &[u8], valid: usize) -> String {
    let at = String::from_utf8_lossy(&bytes[..valid]).chars().count() + 1;
    format!(
        "the cell is not UTF-8 text (byte 0x{:02X}, at character {at}); save the log as UTF-8 \
         (in Excel: CSV UTF-8)",
        bytes[valid]
    )
}

/// The meaning of a log's own label, when the user mapped it (any case).
fn labelled<T: Copy>(labels: &[(String, T)], text: &str) -> Option<T> {
    labels
        .iter()
        .find(|(label, _)| label.eq_ignore_ascii_case(text))
        .map(|&(_, value)| value)
}

/// Writes touches as a call log in the default layout (with the rep column, and a `segment`
/// column when the leads have segments), UTC times.
pub struct LogWriter<W: Write> {
    writer: csv::Writer<W>,
    with_segment: bool,
}

/// The column a simulated log names each lead's segment in (`calibrate --segment-col segment`).
pub const SEGMENT_COLUMN: &str = "segment";

impl<W: Write> LogWriter<W> {
    /// Starts the log with its header; `with_segment` adds the segment column.
    pub fn new(out: W, with_segment: bool) -> std::io::Result<Self> {
        let mut writer = csv::Writer::from_writer(out);
        let columns = [
            "lead_id",
            "timestamp",
            "channel",
            "outcome",
            "rep",
            SEGMENT_COLUMN,
        ];
        writer.write_record(&columns[..columns.len() - usize::from(!with_segment)])?;
        Ok(LogWriter {
            writer,
            with_segment,
        })
    }

    /// Writes one touch (its line is not written).
    pub fn write(&mut self, touch: &Row<'_>) -> std::io::Result<()> {
        let time = jiff::Timestamp::from_millisecond(touch.millis)
            .map_err(std::io::Error::other)?
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        let row = [
            touch.lead_id,
            &time,
            touch.channel.name(),
            touch.outcome.name(),
            touch.rep.unwrap_or_default(),
            touch.segment.unwrap_or_default(),
        ];
        self.writer
            .write_record(&row[..row.len() - usize::from(!self.with_segment)])?;
        Ok(())
    }

    /// Flushes the log.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// The first day of a simulated log: cohort leads all start on Monday 5 January 2026.
const LOG_START: &str = "2026-01-05T09:00:00Z";

/// Writes the call log of one cohort replication: each lead's touches on their cadence days
/// (a day not worked falls to the next working day, and a touch spaced from the one before on
/// a later one, as in the calendar), at a time of day
/// spread over 09:00–17:00 by lead, its leads dealt round-robin to the reps. With segments,
/// each row names its lead's segment in a `segment` column.
pub fn write_cohort_log(
    scenario: &Scenario,
    model: &CohortModel,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    const MINUTE: i64 = 60_000;
    const DAY: i64 = 24 * 60 * MINUTE;
    let start = LOG_START
        .parse::<jiff::Timestamp>()
        .expect("a valid constant time")
        .as_millisecond();
    let team = &scenario.team;
    let reps: Vec<String> = if team.members.is_empty() {
        (1..=team.reps).map(|i| format!("rep {i}")).collect()
    } else {
        team.members.iter().map(|m| m.name.clone()).collect()
    };
    let width = model.leads().to_string().len();
    let working_days = scenario.simulation.working_days_per_week;
    // The cohort's groups, as the cohort keeps them: those with list leads.
    let names: Vec<String> = scenario.list_groups().into_iter().map(|g| g.name).collect();
    let with_segment = !scenario.leads.segments.is_empty();
    let mut writer = LogWriter::new(out, with_segment)?;
    let mut failure = Ok(());
    let mut lead_id = String::new();
    // The lead's previous touch: its cadence day and the day it was logged on.
    let mut previous = (0, 0);
    // Each group of leads (segment) in turn, numbered on from the last, from a seed of its own.
    let mut first_lead = 0;
    for (index, (lead_model, leads)) in model.groups().enumerate() {
        let segment = with_segment.then_some(names[index].as_str());
        cohort_touches(
            lead_model,
            leads,
            scenario.simulation.seed.wrapping_add(index as u64),
            |touch| {
                let lead = first_lead + touch.lead;
                if failure.is_err() {
                    return;
                }
                if touch.touch == 0 {
                    lead_id = format!("L{:0width$}", lead + 1);
                }
                // As in the calendar: a touch the cadence spaces from the one before falls on a
                // later working day than it, even when both fall due on days not worked.
                let mut day = working_day(touch.day, working_days);
                if touch.touch > 0 && touch.day > previous.0 && day <= previous.1 {
                    day = working_day(previous.1 + 1, working_days);
                }
                previous = (touch.day, day);
                let outcome = match (touch.conversation, touch.appointment, touch.channel) {
                    (true, true, _) => Disposition::Appointment,
                    (true, false, _) => Disposition::Conversation,
                    (false, _, Channel::Voicemail) => Disposition::Voicemail,
                    (false, _, _) => Disposition::NoAnswer,
                };
                let row = Row {
                    lead_id: &lead_id,
                    millis: start
                        + i64::from(day) * DAY
                        + (lead % 480) as i64 * MINUTE
                        + touch.touch as i64 * 1000,
                    channel: touch.channel,
                    outcome,
                    rep: Some(&reps[(lead % reps.len() as u64) as usize]),
                    segment,
                    line: 0,
                };
                failure = writer.write(&row);
            },
        );
        first_lead += leads;
    }
    failure?;
    writer.finish()
}

/// Day `day` of a log that starts on a Monday, or the next working day when it is not one (the
/// first `per_week` days of each week are worked).
fn working_day(day: u32, per_week: u32) -> u32 {
    let weekday = day % 7;
    if weekday < per_week {
        day
    } else {
        day - weekday + 7
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_off_falls_to_the_next_working_day() {
        let five: Vec<u32> = (0..15).map(|d| working_day(d, 5)).collect();
        assert_eq!(five, [0, 1, 2, 3, 4, 7, 7, 7, 8, 9, 10, 11, 14, 14, 14]);
        assert_eq!(working_day(6, 7), 6);
        assert_eq!(working_day(4, 4), 7);
    }

    #[test]
    fn outcomes_know_their_place() {
        for (i, outcome) in Disposition::ALL.into_iter().enumerate() {
            assert_eq!(outcome.index(), i);
        }
    }

    #[test]
    fn label_maps_parse_and_name_their_mistakes() {
        let map = parse_labels(
            "--outcome-map",
            "Left Voicemail=voicemail, Connected=Conversation",
            outcome_named,
            OUTCOME_NAMES,
        )
        .unwrap();
        assert_eq!(
            map,
            vec![
                ("Left Voicemail".to_string(), Disposition::Voicemail),
                ("Connected".to_string(), Disposition::Conversation)
            ]
        );
        let err = parse_labels(
            "--outcome-map",
            "Connected=talked",
            outcome_named,
            OUTCOME_NAMES,
        )
        .unwrap_err();
        assert!(err.contains("\"talked\" is not one of"), "{err}");
        let err = parse_labels("--channel-map", "Phone", channel_named, CHANNEL_NAMES).unwrap_err();
        assert!(err.contains("LABEL=VALUE"), "{err}");
    }
}
