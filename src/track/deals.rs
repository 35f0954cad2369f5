//! Opportunities as CRMs export them: one row per opportunity, default columns
//! `opportunity_id,created,stage,closed,amount`; stages `open`, `won` or `lost` (or the
//! export's own labels, mapped); dates `YYYY-MM-DD`, or a time whose date comes first.

use std::path::Path;

/// An opportunity's stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Open,
    Won,
    Lost,
}

impl Stage {
    /// The stage a cell names, by the export's own labels first, then by the usual names.
    fn named(text: &str, labels: &[(String, Stage)]) -> Option<Stage> {
        if let Some((_, stage)) = labels.iter().find(|(label, _)| label == text) {
            return Some(*stage);
        }
        match text.trim().to_ascii_lowercase().as_str() {
            "open" => Some(Stage::Open),
            "won" | "closed won" | "closed-won" | "closed_won" => Some(Stage::Won),
            "lost" | "closed lost" | "closed-lost" | "closed_lost" => Some(Stage::Lost),
            _ => None,
        }
    }

    /// A stage's name, for a label map.
    pub fn parse(text: &str) -> Option<Stage> {
        Stage::named(text, &[])
    }
}

/// The stage names, for messages.
pub const STAGE_NAMES: &str = "open, won or lost";

/// The names of an export's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealColumns {
    pub id: String,
    pub created: String,
    pub stage: String,
    pub closed: String,
    pub amount: String,
}

impl Default for DealColumns {
    fn default() -> Self {
        DealColumns {
            id: "opportunity_id".into(),
            created: "created".into(),
            stage: "stage".into(),
            closed: "closed".into(),
            amount: "amount".into(),
        }
    }
}

/// How to read an export: its columns and its own stage labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DealOptions {
    pub columns: DealColumns,
    pub stage_labels: Vec<(String, Stage)>,
}

/// One opportunity, its days counted from 1970-01-01.
#[derive(Debug, Clone, PartialEq)]
pub struct Opportunity {
    pub created: i64,
    pub stage: Stage,
    /// The day it was won or lost.
    pub closed: Option<i64>,
    pub amount: Option<f64>,
}

/// An export (opportunities, meetings) that cannot be read: the file, the line and what is
/// wrong.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ExportError {
    pub file: String,
    pub line: Option<u64>,
    pub message: String,
}

/// A day from a cell: a date, or a time whose first ten characters are its date.
pub(super) fn day_of_cell(text: &str) -> Option<i64> {
    let text = text.trim();
    let date = text.get(..10)?;
    let rest = &text[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    date.parse::<jiff::civil::Date>().ok().map(super::day_of)
}

/// An export opened for reading: its file's name, its rows and its header.
pub(super) struct Export {
    file: String,
    pub(super) reader: csv::Reader<std::fs::File>,
    pub(super) header: csv::StringRecord,
}

impl Export {
    /// Opens the export at `path` and reads its header.
    pub(super) fn open(path: &Path) -> Result<Export, ExportError> {
        let file = path.display().to_string();
        let fail = |line, message| ExportError {
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
        Ok(Export {
            file,
            reader,
            header,
        })
    }

    /// An error of the export at `line` (`None`: the file as a whole).
    pub(super) fn fail(&self, line: Option<u64>, message: String) -> ExportError {
        ExportError {
            file: self.file.clone(),
            line,
            message,
        }
    }
}

/// Reads the opportunities export at `path`.
pub fn read_deals(path: &Path, options: &DealOptions) -> Result<Vec<Opportunity>, ExportError> {
    let Export {
        file,
        mut reader,
        header,
    } = Export::open(path)?;
    let fail = |line: Option<u64>, message: String| ExportError {
        file: file.clone(),
        line,
        message,
    };
    let c = &options.columns;
    let column = |name: &str, required: bool| -> Result<Option<usize>, ExportError> {
        match header.iter().position(|h| h.trim() == name) {
            Some(i) => Ok(Some(i)),
            None if required => Err(fail(
                Some(1),
                format!(
                    "no column {name:?} in the header ({}): name the export's column with \
                     --deal-cols, e.g. --deal-cols \"created=Created Date\"",
                    header.iter().collect::<Vec<_>>().join(", ")
                ),
            )),
            None => Ok(None),
        }
    };
    let created_at = column(&c.created, true)?.expect("required");
    let stage_at = column(&c.stage, true)?.expect("required");
    let closed_at = column(&c.closed, false)?;
    let amount_at = column(&c.amount, false)?;
    let mut deals = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| {
            let line = err.position().map(|p| p.line());
            fail(line, format!("cannot read the row: {err}"))
        })?;
        let line = record.position().map(|p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let bad = |name: &str, value: &str, fix: &str| {
            fail(line, format!("column {name:?}: {value:?} {fix}"))
        };
        let created = day_of_cell(cell(created_at)).ok_or_else(|| {
            bad(
                &c.created,
                cell(created_at),
                "is not a date: write it as YYYY-MM-DD",
            )
        })?;
        let stage = Stage::named(cell(stage_at), &options.stage_labels).ok_or_else(|| {
            bad(
                &c.stage,
                cell(stage_at),
                &format!(
                    "is not a stage: use {STAGE_NAMES}, or map the export's own with \
                     --stage-map \"Closed Won=won,Negotiation=open\""
                ),
            )
        })?;
        let closed = match closed_at.map(cell).filter(|text| !text.is_empty()) {
            None => None,
            Some(text) => Some(
                day_of_cell(text)
                    .ok_or_else(|| bad(&c.closed, text, "is not a date: write it as YYYY-MM-DD"))?,
            ),
        };
        if stage != Stage::Open && closed.is_none() {
            return Err(fail(
                line,
                format!(
                    "a {} opportunity needs the day it closed in column {:?}",
                    if stage == Stage::Won { "won" } else { "lost" },
                    c.closed
                ),
            ));
        }
        if let Some(closed) = closed
            && closed < created
        {
            return Err(fail(
                line,
                format!(
                    "closed {} before it was created {}: check the dates",
                    super::date_of(closed),
                    super::date_of(created)
                ),
            ));
        }
        let amount = match amount_at.map(cell).filter(|text| !text.is_empty()) {
            None => None,
            Some(text) => Some(
                text.replace(',', "")
                    .parse::<f64>()
                    .ok()
                    .filter(|a| a.is_finite() && *a >= 0.0)
                    .ok_or_else(|| {
                        bad(&c.amount, text, "is not an amount: a number of 0 or more")
                    })?,
            ),
        };
        deals.push(Opportunity {
            created,
            stage,
            closed,
            amount,
        });
    }
    Ok(deals)
}

/// A list written as its length.
fn count<S: serde::Serializer>(items: &[u32], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(items.len() as u64)
}

/// The export at a check-in on `as_of` of a plan from `start`: deals won in the plan's year so
/// far, the days (from the start) the opportunities open at the check-in were created on, and
/// the rows left out (created after the check-in, or closed before the start).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct PipelineAt {
    pub won: u32,
    pub revenue_won: f64,
    /// Deals won with no amount in the export: counted in `won`, not in `revenue_won`.
    pub won_without_amount: u32,
    /// Serialized as `open`, their count.
    #[serde(rename = "open", serialize_with = "count")]
    pub open_created: Vec<u32>,
    pub lost: u32,
    pub left_out: u32,
    /// Opportunities created and deals won in each week from the start to the check-in.
    #[serde(skip)]
    pub by_week: Vec<[f64; 2]>,
}

impl PipelineAt {
    /// The pipeline of `deals` at a check-in on `as_of` of a plan from `start`.
    pub fn of(deals: &[Opportunity], start: i64, as_of: i64) -> PipelineAt {
        let weeks = ((as_of - start + 1) / 7).max(0) as usize;
        let mut at = PipelineAt {
            by_week: vec![[0.0; 2]; weeks],
            ..PipelineAt::default()
        };
        let week_of = |day: i64| (day >= start).then(|| ((day - start) / 7) as usize);
        for deal in deals {
            if let Some(w) = week_of(deal.created).filter(|&w| w < weeks) {
                at.by_week[w][0] += 1.0;
            }
            if deal.stage == Stage::Won
                && let Some(w) = deal.closed.and_then(week_of).filter(|&w| w < weeks)
            {
                at.by_week[w][1] += 1.0;
            }
            let closed_by_now = deal.closed.filter(|&day| day <= as_of);
            if deal.created > as_of || closed_by_now.is_some_and(|day| day < start) {
                at.left_out += 1;
                continue;
            }
            match (deal.stage, closed_by_now) {
                (Stage::Won, Some(_)) => {
                    at.won += 1;
                    match deal.amount {
                        Some(amount) => at.revenue_won += amount,
                        None => at.won_without_amount += 1,
                    }
                }
                (Stage::Lost, Some(_)) => at.lost += 1,
                // Open, or closed after the check-in: open at it.
                _ => at.open_created.push((deal.created - start).max(0) as u32),
            }
        }
        at
    }
}
