//! JSON shapes several commands share, as `deny_unknown_fields` structs: reading an output into
//! them is a schema check.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// Reads a value that may be null but must be there: a bare `Option` field would also accept
/// the key left out.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::deserialize(deserializer)
}

/// A rate with its 95% interval (`calibrate`, `compare`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateJson {
    pub estimate: f64,
    pub ci95: [f64; 2],
}

/// P10, median and P90 (weekly bands, blitz progress).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct BandJson {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

/// A metric's summary over the replications (simulate, compare, sweep, the team's figures).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct SummaryJson {
    pub mean: f64,
    pub sd: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    pub mean_ci95: [f64; 2],
}

/// `simulate --json` as docs/model.md specifies it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulateJson {
    pub scenario: String,
    pub seed: u64,
    pub replications: u64,
    pub metrics: BTreeMap<String, SummaryJson>,
    /// Scenarios with more than one group of leads only.
    #[serde(default)]
    pub segments: Option<Vec<SegmentJson>>,
    /// Calendar runs only.
    #[serde(default)]
    pub team: Option<TeamJson>,
}

/// One segment of a run (`simulate`, `compare`, `sweep`): its metrics and what a prospecting
/// hour of it yields (null without hours).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentJson {
    pub name: String,
    pub metrics: BTreeMap<String, SummaryJson>,
    pub per_prospecting_hour: BTreeMap<String, Option<f64>>,
}

/// The `team` object of a calendar run (`simulate --calendar`, `compare --calendar`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct TeamJson {
    pub routing: String,
    /// Inbound leads only.
    #[serde(default)]
    pub first_touch: Option<FirstTouchJson>,
    pub backlog_at_end: SummaryJson,
    /// With nurture on only.
    #[serde(default)]
    pub nurture_responses: Option<SummaryJson>,
    pub capacity_hours: f64,
    pub unused_prospecting_hours: SummaryJson,
    /// A territory of accounts only.
    #[serde(default)]
    pub territory: Option<TerritoryJson>,
    pub conversations_by_touch: Vec<TouchConversationsJson>,
    pub reps: Vec<TeamRepJson>,
}

/// How far a team got through its territory.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct TerritoryJson {
    pub accounts: u64,
    pub refill_per_month: u64,
    pub accounts_started: SummaryJson,
    pub used_up_share: f64,
    #[serde(default)]
    pub used_up_median_week: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct TouchConversationsJson {
    pub touch: usize,
    pub share: f64,
    pub cumulative: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct FirstTouchJson {
    pub inbound_leads_per_replication: f64,
    pub bins: Vec<FirstTouchBinJson>,
    pub never: f64,
    pub skipped: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct FirstTouchBinJson {
    pub within: String,
    pub share: f64,
    pub reached_on_first_touch: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct TeamRepJson {
    pub name: String,
    pub touches: SummaryJson,
    pub conversations: SummaryJson,
    pub appointments_set: SummaryJson,
    pub prospecting_hours: SummaryJson,
    #[serde(deserialize_with = "nullable")]
    pub penetration: Option<f64>,
}

/// `compare --json`, of cohorts or (with `--calendar`) of calendars.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct CompareJson {
    pub seed: u64,
    pub replications: u64,
    pub variants: Vec<VariantJson>,
    pub differences: Vec<DifferenceJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct VariantJson {
    pub name: String,
    pub metrics: BTreeMap<String, SummaryJson>,
    pub rates: BTreeMap<String, RateJson>,
    /// The touch analysis, these five keys together: absent for team calendars with inbound
    /// leads or members (see [`VariantJson::has_the_touch_analysis_whole_or_not_at_all`]).
    #[serde(default)]
    pub touches: Option<Vec<TouchJson>>,
    #[serde(default)]
    pub average_appointments_per_hour: Option<f64>,
    #[serde(default)]
    pub last_touch_above_average: Option<usize>,
    /// Null without a value per appointment and a cost per hour.
    #[serde(default)]
    pub break_even_appointments_per_hour: Option<f64>,
    #[serde(default)]
    pub last_touch_above_break_even: Option<usize>,
    /// Calendar runs only.
    #[serde(default)]
    pub team: Option<TeamJson>,
    /// Variants with more than one group of leads only.
    #[serde(default)]
    pub segments: Option<Vec<SegmentJson>>,
}

impl VariantJson {
    /// The touch analysis's keys come all or none; the break-even pair, both or neither.
    pub fn has_the_touch_analysis_whole_or_not_at_all(&self) -> bool {
        let analysed = self.touches.is_some();
        let break_even = self.break_even_appointments_per_hour.is_some();
        analysed == self.average_appointments_per_hour.is_some()
            && analysed == self.last_touch_above_average.is_some()
            && break_even == self.last_touch_above_break_even.is_some()
            && (analysed || !break_even)
    }
}

/// One touch of the cadence, per 100 leads.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct TouchJson {
    pub touch: usize,
    pub day: u32,
    pub channel: String,
    pub touches_per_100_leads: f64,
    pub conversations_per_100_leads: f64,
    pub cumulative_share: f64,
    pub appointments_per_100_leads: f64,
    pub deals_per_100_leads: f64,
    pub hours_per_100_leads: f64,
    pub appointments_per_hour: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct DifferenceJson {
    pub baseline: String,
    pub variant: String,
    pub metric: String,
    pub mean: f64,
    pub ci95: [f64; 2],
    pub unpaired_ci95: [f64; 2],
}

/// `sweep --tornado --json`: the levers ranked by their effect on a metric or, for plans, on
/// the required hours.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct TornadoJson {
    pub scenario: String,
    pub seed: u64,
    pub replications: u64,
    pub run: String,
    pub metric: String,
    pub swing: f64,
    pub base: ReadingJson,
    pub levers: Vec<LeverJson>,
    pub left_out: Vec<LeftOutJson>,
}

impl TornadoJson {
    /// The lever swinging `parameter`.
    #[track_caller]
    pub fn lever(&self, parameter: &str) -> &LeverJson {
        self.levers
            .iter()
            .find(|l| l.parameter == parameter)
            .unwrap_or_else(|| panic!("no lever {parameter}"))
    }
}

/// The measure at a setting; `beyond` when no hours within the working week reach the goal
/// (the value is then those most hours).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingJson {
    pub metric: f64,
    pub beyond: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct LeverJson {
    pub parameter: String,
    pub value: f64,
    /// Null where the parameter cannot move that way.
    #[serde(deserialize_with = "nullable")]
    pub down: Option<SideJson>,
    #[serde(deserialize_with = "nullable")]
    pub up: Option<SideJson>,
    pub effect: f64,
    pub effect_is_bound: bool,
    /// Null for plans.
    #[serde(deserialize_with = "nullable")]
    pub effect_ci95: Option<[f64; 2]>,
}

impl LeverJson {
    /// Whether the effect is the measure up (or at the base, when the parameter cannot go up)
    /// minus down (or at the base), to the rounding of sums.
    pub fn effect_is_up_minus_down(&self, base: &ReadingJson) -> bool {
        let at = |side: &Option<SideJson>| side.as_ref().map_or(base.metric, |s| s.metric);
        let (from, to) = (at(&self.down), at(&self.up));
        (self.effect - (to - from)).abs() <= 1e-9 * from.abs().max(1.0)
    }
}

/// One side of a swing: the parameter's value there and the measure it gave.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct SideJson {
    pub value: f64,
    pub capped: bool,
    pub stepped: bool,
    pub metric: f64,
    pub beyond: bool,
}

/// A parameter not swung, and why.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeftOutJson {
    pub parameter: String,
    pub reason: String,
}
