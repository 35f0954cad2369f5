//! What the reports say of a run with the scenario's `[uncertainty]` drawn per replication
//! (docs/model.md, "Parameter uncertainty"): the numbers drawn, and every metric over luck plus
//! what is not known about them, beside the numbers on luck alone.

use serde::Serialize;

use super::segments::SegmentJson;
use super::{Breakdown, MetricMap};
use crate::scenario::Scenario;
use crate::stats::{Metric, Samples};

/// A run's replications with the scenario's `[uncertainty]` drawn for each.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// The keys drawn, as `[uncertainty]` names them.
    pub keys: Vec<String>,
    pub samples: Samples,
    /// The results by segment with the numbers drawn, when the scenario has segments.
    pub segments: Option<Breakdown>,
}

impl Drawn {
    /// The replications `samples` of `scenario`, drawn from its `[uncertainty]`.
    pub fn new(scenario: &Scenario, samples: Samples) -> Drawn {
        Drawn {
            keys: drawn_keys(scenario),
            segments: Breakdown::of(scenario, &samples),
            samples,
        }
    }

    /// Every metric's summary, in vocabulary order.
    pub(super) fn metrics(&self) -> MetricMap {
        MetricMap(
            Metric::ALL
                .iter()
                .map(|&m| (m, self.samples.get(m).summary()))
                .collect(),
        )
    }

    /// `{"drawn": [KEY], "metrics": {NAME: summary}, "segments"}`.
    pub(super) fn json(&self) -> DrawnJson<'_> {
        DrawnJson {
            drawn: &self.keys,
            metrics: self.metrics(),
            segments: self.segments.as_ref().map(Breakdown::json),
        }
    }
}

/// The keys of `scenario`'s `[uncertainty]`.
pub fn drawn_keys(scenario: &Scenario) -> Vec<String> {
    scenario.uncertainty.intervals.keys().cloned().collect()
}

/// The heading of a section on luck plus parameter uncertainty: what was drawn, and how.
pub(super) fn heading(keys: &[String]) -> String {
    format!(
        "With parameter uncertainty: {} drawn for each replication from their 95% intervals \
         ([uncertainty]), on the same luck",
        keys.join(", ")
    )
}

#[derive(Serialize)]
pub(super) struct DrawnJson<'a> {
    drawn: &'a [String],
    metrics: MetricMap,
    #[serde(skip_serializing_if = "Option::is_none")]
    segments: Option<Vec<SegmentJson>>,
}
