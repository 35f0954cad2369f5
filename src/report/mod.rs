//! Outputs: the readable table, JSON (MODEL.md §4) and per-replication CSV, and whole-file
//! writing (a failure never leaves a half-written file).

mod blitz;
mod calibrate;
mod compare;
mod csv_out;
mod plan;
mod sweep;
mod team;
mod tornado;

pub use blitz::BlitzReport;
pub use calibrate::CalibrationReport;
pub use compare::{CompareReport, VariantResult};
pub use plan::PlanReport;
pub use sweep::SweepReport;
pub use team::{TeamReport, simulated};
pub use tornado::TornadoReport;

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::SerializeMap;

use self::csv_out::{Cell, Column, Statistic};
use crate::stats::{Band, Metric, Samples, Summary, Timeline, WeeklySeries};

/// The result of a run: what was simulated and every metric's values.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub scenario: String,
    /// What kind of run it was, in a few words ("cohort of 1,000 leads").
    pub setup: String,
    pub seed: u64,
    pub replications: u64,
    pub samples: Samples,
    /// The team's results, for calendar runs.
    pub team: Option<TeamReport>,
}

impl RunReport {
    /// The summary of every metric, in vocabulary order.
    pub fn summaries(&self) -> Vec<(Metric, Summary)> {
        Metric::ALL
            .iter()
            .map(|&m| (m, self.samples.get(m).summary()))
            .collect()
    }

    /// `{"scenario", "seed", "replications", "metrics": {NAME: summary}}`.
    pub fn to_json(&self) -> String {
        let json = SimulateJson {
            scenario: &self.scenario,
            seed: self.seed,
            replications: self.replications,
            metrics: MetricMap(self.summaries()),
            team: self.team.as_ref(),
        };
        serde_json::to_string_pretty(&json).expect("summaries serialize to JSON")
    }

    /// The readable table: a row per metric with mean, percentiles, per 100 leads and the 95%
    /// interval of the mean.
    pub fn write_table(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}", self.scenario)?;
        writeln!(
            out,
            "{}, {} replications, seed {}\n",
            self.setup,
            group_thousands(self.replications as f64, 0),
            self.seed
        )?;
        let leads = self.samples.get(Metric::Leads).moments().mean();
        let header = [
            "metric",
            "mean",
            "p05",
            "p50",
            "p95",
            "per 100 leads",
            "95% CI of mean",
        ];
        let rows: Vec<[String; 7]> = self
            .summaries()
            .into_iter()
            .map(|(metric, s)| {
                let per_100 = if metric.scales_with_leads() {
                    readable(s.mean / leads * 100.0)
                } else {
                    "-".to_string()
                };
                [
                    metric.name().to_string(),
                    readable(s.mean),
                    readable(s.p05),
                    readable(s.p50),
                    readable(s.p95),
                    per_100,
                    format!(
                        "{} to {}",
                        readable(s.mean_ci95[0]),
                        readable(s.mean_ci95[1])
                    ),
                ]
            })
            .collect();
        write_columns(out, &header, &rows)?;
        writeln!(
            out,
            "\npenetration = touches made / touches the cadence planned, in percent; \
             prospecting_hours = minutes of touches and conversations / 60"
        )?;
        match &self.team {
            Some(team) => team.write_table(out),
            None => Ok(()),
        }
    }

    /// One row per replication: `replication`, then a column per metric.
    pub fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let columns: Vec<Column<usize>> =
            std::iter::once(Column::new("replication", |&r| Cell::Whole(r)))
                .chain(Metric::ALL.iter().map(|&metric| {
                    let values = self.samples.get(metric).values();
                    Column::new(metric.name(), move |&r| Cell::Number(values[r]))
                }))
                .collect();
        csv_out::write_columns(out, &columns, 0..self.samples.len())
    }
}

/// The statistics of a week's band, as the timeline's columns end.
const BAND_STATISTICS: [Statistic<Band>; 4] = [
    ("mean", |b| b.mean),
    ("p10", |b| b.p10),
    ("p50", |b| b.p50),
    ("p90", |b| b.p90),
];

/// The weekly timeline, one row per week: `week`, then mean, p10, p50 and p90 of each series
/// (empty where a week has no value).
pub fn write_timeline_csv(timeline: &Timeline, out: &mut dyn Write) -> io::Result<()> {
    type Week<'t> = (usize, &'t [Band; WeeklySeries::ALL.len()]);
    let mut columns: Vec<Column<Week>> = vec![Column::new("week", |&(w, _)| Cell::Whole(w + 1))];
    for series in WeeklySeries::ALL {
        for (statistic, of) in BAND_STATISTICS {
            columns.push(Column::new(
                format!("{}_{statistic}", series.name()),
                move |(_, bands): &Week| Cell::Number(of(&bands[series as usize])),
            ));
        }
    }
    csv_out::write_columns(out, &columns, timeline.weeks.iter().enumerate())
}

#[derive(Serialize)]
struct SimulateJson<'a> {
    scenario: &'a str,
    seed: u64,
    replications: u64,
    metrics: MetricMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<&'a TeamReport>,
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
