//! How a sweep is shown: a row per grid point, as a table, CSV or JSON.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::{MetricMap, group_thousands, readable, write_columns};
use crate::chart::SweepChart;
use crate::stats::{Metric, Samples};
use crate::sweep::Grid;

/// Everything a sweep found: each grid point's replications, in point order.
#[derive(Debug, Clone)]
pub struct SweepReport {
    pub scenario: String,
    pub seed: u64,
    pub replications: u64,
    pub grid: Grid,
    pub points: Vec<Samples>,
}

/// The metrics the table shows, as means (the CSV and JSON have every metric).
const SHOWN: [Metric; 5] = [
    Metric::Touches,
    Metric::Contacts,
    Metric::AppointmentsSet,
    Metric::Deals,
    Metric::ProspectingHours,
];

impl SweepReport {
    /// Each point's values as readable labels, one per axis.
    fn labels(&self, point: usize) -> Vec<String> {
        self.grid
            .point(point)
            .iter()
            .zip(&self.grid.axes)
            .map(|(&i, axis)| axis.label(i))
            .collect()
    }

    /// The readable table: a row per point, the mean of the main metrics and the P05–P95 of
    /// deals.
    pub fn write_table(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}", self.scenario)?;
        writeln!(
            out,
            "sweep of {} points, {} replications each on the same random numbers, seed {}\n",
            self.points.len(),
            group_thousands(self.replications as f64, 0),
            self.seed
        )?;
        let mut header: Vec<String> = self.grid.axes.iter().map(|a| a.path.clone()).collect();
        header.extend(SHOWN.iter().map(|m| m.name().to_string()));
        header.push("deals p05–p95".to_string());
        let rows: Vec<Vec<String>> = self
            .points
            .iter()
            .enumerate()
            .map(|(i, samples)| {
                let mut row = self.labels(i);
                row.extend(
                    SHOWN
                        .iter()
                        .map(|&m| readable(samples.get(m).moments().mean())),
                );
                let deals = samples.get(Metric::Deals).summary();
                row.push(format!("{} – {}", readable(deals.p05), readable(deals.p95)));
                row
            })
            .collect();
        write_columns(out, &header, &rows)?;
        writeln!(
            out,
            "\nmeans over the replications; --csv and --json have every metric"
        )
    }

    /// The chart of `metric`: a line with its P05–P95 band for one varied path, a heatmap of
    /// its mean for two; `None` for more.
    pub fn chart(&self, metric: Metric) -> Option<SweepChart> {
        let subtitle = format!(
            "{}: {} replications per point on the same random numbers, seed {}",
            self.scenario,
            group_thousands(self.replications as f64, 0),
            self.seed
        );
        let axes = &self.grid.axes;
        let labels = |a: usize| -> Vec<String> {
            (0..axes[a].values.len())
                .map(|i| axes[a].label(i))
                .collect()
        };
        match axes.len() {
            1 => Some(SweepChart::Line {
                title: format!("{} by {}", metric.name(), axes[0].path),
                subtitle,
                x_label: axes[0].path.clone(),
                metric: metric.name().to_string(),
                points: self
                    .points
                    .iter()
                    .zip(labels(0))
                    .map(|(samples, label)| {
                        let s = samples.get(metric).summary();
                        (label, s.mean, s.p05, s.p95)
                    })
                    .collect(),
            }),
            2 => {
                let columns = axes[1].values.len();
                Some(SweepChart::Heatmap {
                    title: format!(
                        "Mean {} by {} and {}",
                        metric.name(),
                        axes[0].path,
                        axes[1].path
                    ),
                    subtitle,
                    row_label: axes[0].path.clone(),
                    column_label: axes[1].path.clone(),
                    rows: labels(0),
                    columns: labels(1),
                    means: self
                        .points
                        .chunks(columns)
                        .map(|row| row.iter().map(|s| s.get(metric).moments().mean()).collect())
                        .collect(),
                })
            }
            _ => None,
        }
    }

    /// One row per point: a column per varied path, named by the path, then each metric's
    /// mean, sd, p05, p50 and p95.
    pub fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        let mut header: Vec<String> = self.grid.axes.iter().map(|a| a.path.clone()).collect();
        for metric in Metric::ALL {
            for stat in ["mean", "sd", "p05", "p50", "p95"] {
                header.push(format!("{}_{stat}", metric.name()));
            }
        }
        writer.write_record(&header)?;
        for (i, samples) in self.points.iter().enumerate() {
            let mut row = self.labels(i);
            for metric in Metric::ALL {
                let s = samples.get(metric).summary();
                row.extend([s.mean, s.sd, s.p05, s.p50, s.p95].map(|x| x.to_string()));
            }
            writer.write_record(&row)?;
        }
        writer.flush()
    }

    /// `{"scenario", "seed", "replications", "vary": [{"path", "values"}], "points":
    /// [{"set": {PATH: value}, "metrics": {NAME: summary}}]}`.
    pub fn to_json(&self) -> Value {
        let points: Vec<Value> = self
            .points
            .iter()
            .enumerate()
            .map(|(i, samples)| {
                let set: Map<String, Value> = self
                    .grid
                    .point(i)
                    .iter()
                    .zip(&self.grid.axes)
                    .map(|(&v, axis)| {
                        let value = serde_json::to_value(&axis.values[v]).unwrap_or(Value::Null);
                        (axis.path.clone(), value)
                    })
                    .collect();
                let metrics = MetricMap(
                    Metric::ALL
                        .iter()
                        .map(|&m| (m, samples.get(m).summary()))
                        .collect(),
                );
                json!({"set": set, "metrics": metrics})
            })
            .collect();
        json!({
            "scenario": self.scenario,
            "seed": self.seed,
            "replications": self.replications,
            "vary": self.grid.axes.iter().map(|a| json!({
                "path": a.path,
                "values": a.values,
            })).collect::<Vec<_>>(),
            "points": points,
        })
    }
}
