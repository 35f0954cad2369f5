//! Outputs: every command's result is a [`Report`], written as readable text, JSON (docs/model.md
//! §4), CSV or a chart; and the helpers the reports share for tables, numbers and JSON maps.

mod blitz;
mod calibrate;
mod compare;
mod csv_out;
mod money;
mod plan;
mod segments;
mod simulate;
mod sizing;
mod sweep;
mod team;
mod tornado;
mod track;
mod uncertainty;

pub use blitz::BlitzReport;
pub use calibrate::CalibrationReport;
pub use compare::{CompareReport, VariantResult};
pub use plan::PlanReport;
pub use segments::{Breakdown, SegmentResult, group_names};
pub use simulate::{RunReport, Weeks, write_timeline_csv};
pub use sizing::SizingReport;
pub use sweep::SweepReport;
pub use team::{TeamReport, simulated};
pub use tornado::TornadoReport;
pub use track::{LogRows, TrackReport};
pub use uncertainty::{Drawn, drawn_keys};

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::chart::{Chart, FanChart};
use crate::stats::{Metric, Summary};

/// A command's result, in every form it can be written: the readable text, one JSON object, a
/// CSV and a chart. The command line writes each form its flags ask for, the same way for
/// every command; another form (an HTML page) is one more method here.
pub trait Report {
    /// The chart the result draws.
    type Chart: Chart;

    /// The readable text: what a person reads on the terminal.
    fn write_text(&self, out: &mut dyn Write) -> io::Result<()>;

    /// The JSON object: serde structs whose fields are its keys, in their order.
    fn json(&self) -> impl Serialize;

    /// The CSV: its header, then its rows.
    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()>;

    /// The chart, or why this result has none.
    fn chart(&self) -> Result<Self::Chart, NoChart>;

    /// [`Report::json`], pretty-printed, and a line end.
    fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.json())?;
        writeln!(out)
    }
}

/// Why a result has no chart, in words that follow `--chart FILE: `.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NoChart(pub String);

/// A fan chart of simulated years by week, the first `ramp_weeks` and the `weeks_off` shaded:
/// what `simulate --calendar` and `plan` chart alike. The series, its axis and any goal are
/// the caller's.
fn year_fan(
    title: String,
    subtitle: String,
    ramp_weeks: f64,
    weeks_off: &[(f64, f64)],
) -> FanChart {
    FanChart {
        title,
        subtitle,
        x_label: "week of the year".to_string(),
        y_label: String::new(),
        weeks: Vec::new(),
        cumulative: false,
        goal: None,
        ramp_weeks,
        pauses: weeks_off.to_vec(),
        pause_label: "weeks off".to_string(),
        band_label: "P10 to P90 of simulated years".to_string(),
        actual: None,
    }
}

/// Metric summaries as a JSON object keyed by metric name, in vocabulary order.
pub struct MetricMap(pub Vec<(Metric, Summary)>);

impl Serialize for MetricMap {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (metric, summary) in &self.0 {
            map.serialize_entry(metric.name(), summary)?;
        }
        map.end()
    }
}

/// A JSON object whose keys are known only at run time, in the order given (serde_json's own
/// map would sort them).
pub struct Entries<K, V>(pub Vec<(K, V)>);

impl<K: Serialize, V: Serialize> Serialize for Entries<K, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
    }
}

/// Left-aligned first column, right-aligned numbers, two spaces between columns.
pub fn write_columns<H, C, R>(out: &mut dyn Write, header: &[H], rows: &[R]) -> io::Result<()>
where
    H: AsRef<str>,
    C: AsRef<str>,
    R: AsRef<[C]>,
{
    let mut widths: Vec<usize> = header.iter().map(|h| h.as_ref().chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row.as_ref()) {
            *width = (*width).max(cell.as_ref().chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        cells
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, &width))| {
                if i == 0 {
                    format!("{cell:<width$}")
                } else {
                    format!("{cell:>width$}")
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    writeln!(out, "{}", line(&mut header.iter().map(AsRef::as_ref)))?;
    for row in rows {
        writeln!(out, "{}", line(&mut row.as_ref().iter().map(AsRef::as_ref)))?;
    }
    Ok(())
}

/// What a table shows for a number that cannot be computed (a rate of nothing).
pub const NONE: &str = "none";

/// A number for people: thousands grouped, whole numbers without decimals, others with fewer
/// decimals the larger they are; `none` for one that cannot be computed.
pub fn readable(x: f64) -> String {
    if !x.is_finite() {
        return NONE.to_string();
    }
    let decimals = match x.abs() {
        _ if x.fract() == 0.0 => 0,
        a if a >= 1000.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    };
    group_thousands(x, decimals)
}

/// `x` with `decimals` decimals and thousands grouped by commas.
pub fn group_thousands(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), ""), |(w, f)| (w, f));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_numbers_group_thousands() {
        assert_eq!(readable(1_234_567.4), "1,234,567");
        assert_eq!(readable(999.94), "999.9");
        assert_eq!(readable(4.56789), "4.57");
        assert_eq!(readable(-12_345.0), "-12,345");
        assert_eq!(readable(-0.001), "0.00");
        assert_eq!(readable(100.0), "100");
        assert_eq!(readable(5.0), "5");
        assert_eq!(readable(10.5), "10.5");
    }
}
