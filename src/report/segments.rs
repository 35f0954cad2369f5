//! The breakdown of a run by segment of leads (docs/model.md, "Segments"), which every report
//! adds beside its totals when the scenario has more than one group of leads: each segment's
//! metrics and its yield per prospecting hour, so the time given to each can be judged.

use std::io::{self, Write};

use serde::Serialize;

use super::{MetricMap, readable, write_columns};
use crate::scenario::Scenario;
use crate::stats::{Metric, Samples};

/// What a prospecting hour yields: metrics divided by prospecting hours, mean over mean.
const YIELDS: [Metric; 4] = [
    Metric::Contacts,
    Metric::AppointmentsSet,
    Metric::Deals,
    Metric::Revenue,
];

/// The metrics the readable table of segments shows, means over replications.
const SHOWN: [Metric; 6] = [
    Metric::Leads,
    Metric::Contacts,
    Metric::AppointmentsSet,
    Metric::Deals,
    Metric::Revenue,
    Metric::ProspectingHours,
];

/// The yields the readable table shows, each per so many prospecting hours that it reads in
/// whole numbers or tenths.
const PER_HOURS: [(Metric, f64); 3] = [
    (Metric::AppointmentsSet, 10.0),
    (Metric::Deals, 100.0),
    (Metric::Revenue, 1.0),
];

/// A run's results by segment, in the scenario's order of lead groups.
#[derive(Debug, Clone)]
pub struct Breakdown {
    pub segments: Vec<SegmentResult>,
}

/// One segment's results.
#[derive(Debug, Clone)]
pub struct SegmentResult {
    pub name: String,
    pub samples: Samples,
}

impl SegmentResult {
    /// The mean of `metric` per prospecting hour, over replications (none without hours).
    pub fn per_hour(&self, metric: Metric) -> f64 {
        let hours = self.samples.get(Metric::ProspectingHours).moments().mean();
        if hours > 0.0 {
            self.samples.get(metric).moments().mean() / hours
        } else {
            f64::NAN
        }
    }

    fn mean(&self, metric: Metric) -> f64 {
        self.samples.get(metric).moments().mean()
    }
}

impl Breakdown {
    /// The breakdown of `samples`, a run of `scenario`, by its groups of leads; `None` when
    /// the run has one group (its totals are the whole story).
    pub fn of(scenario: &Scenario, samples: &Samples) -> Option<Breakdown> {
        Breakdown::named(&group_names(scenario), samples)
    }

    /// The breakdown of `samples` by groups of leads named `names`, in order; `None` when the
    /// run has one group.
    pub fn named(names: &[String], samples: &Samples) -> Option<Breakdown> {
        let segments = samples.segments();
        if segments.is_empty() {
            return None;
        }
        Some(Breakdown {
            segments: names
                .iter()
                .zip(segments)
                .map(|(name, samples)| SegmentResult {
                    name: name.clone(),
                    samples: samples.clone(),
                })
                .collect(),
        })
    }

    /// Under `heading`, a row per segment: the means of its leads, conversations,
    /// appointments, deals, revenue and hours, and what an hour of its prospecting yields.
    pub fn write_text(&self, out: &mut dyn Write, heading: &str) -> io::Result<()> {
        writeln!(
            out,
            "\n{heading} (means over replications; per h: per prospecting hour)"
        )?;
        let header: Vec<String> = std::iter::once("segment".to_string())
            .chain(SHOWN.iter().map(|m| m.name().to_string()))
            .chain(PER_HOURS.iter().map(|&(m, hours)| {
                let name = if m == Metric::AppointmentsSet {
                    "set"
                } else {
                    m.name()
                };
                if hours == 1.0 {
                    format!("{name} per h")
                } else {
                    format!("{name} per {hours} h")
                }
            }))
            .collect();
        let rows: Vec<Vec<String>> = self
            .segments
            .iter()
            .map(|segment| {
                std::iter::once(segment.name.clone())
                    .chain(SHOWN.iter().map(|&m| readable(segment.mean(m))))
                    .chain(
                        PER_HOURS
                            .iter()
                            .map(|&(m, hours)| readable(segment.per_hour(m) * hours)),
                    )
                    .collect()
            })
            .collect();
        write_columns(out, &header, &rows)
    }

    /// `[{"name", "metrics": {NAME: summary}, "per_prospecting_hour": {NAME: value}}]`.
    pub fn json(&self) -> Vec<SegmentJson> {
        self.segments
            .iter()
            .map(|segment| SegmentJson {
                name: segment.name.clone(),
                metrics: MetricMap(
                    Metric::ALL
                        .iter()
                        .map(|&m| (m, segment.samples.get(m).summary()))
                        .collect(),
                ),
                per_prospecting_hour: super::Entries(
                    YIELDS
                        .iter()
                        .map(|&m| (m.name(), finite_or_none(segment.per_hour(m))))
                        .collect(),
                ),
            })
            .collect()
    }
}

/// The names of a scenario's groups of leads, in the order runs keep them.
pub fn group_names(scenario: &Scenario) -> Vec<String> {
    scenario.lead_groups().into_iter().map(|g| g.name).collect()
}

/// A number for JSON: `null` where it cannot be computed.
fn finite_or_none(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// One segment in JSON.
#[derive(Serialize)]
pub struct SegmentJson {
    name: String,
    metrics: MetricMap,
    per_prospecting_hour: super::Entries<&'static str, Option<f64>>,
}
