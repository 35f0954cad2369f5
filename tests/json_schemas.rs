//! `--json` shapes as schemas: each output is read into structs that deny unknown fields, so a
//! key added, renamed or dropped fails a test (simulate, plan and compare are in cli.rs).

use crate::schema::{BandJson, RateJson};
use std::collections::BTreeMap;

use serde::Deserialize;

use crate::common::{callblitz, shipped, stdout_of};

/// A metric summary; a rate of nothing has null figures and a `none` reason.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct Summary {
    mean: Option<f64>,
    sd: Option<f64>,
    p05: Option<f64>,
    p50: Option<f64>,
    p95: Option<f64>,
    mean_ci95: [Option<f64>; 2],
    #[serde(default)]
    none: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct BlitzJson {
    scenario: String,
    seed: u64,
    replications: u64,
    minutes: f64,
    teams: Vec<GroupJson>,
    total: GroupJson,
    leaderboard: Vec<RankJson>,
    #[serde(default)]
    actual: Option<ActualJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct GroupJson {
    name: String,
    reps: usize,
    metrics: BTreeMap<String, Summary>,
    progress: Vec<MinuteJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct MinuteJson {
    minute: usize,
    dials: BandJson,
    contacts: BandJson,
    appointments_set: BandJson,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct RankJson {
    rank: usize,
    appointments_set: Summary,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ActualJson {
    teams: Vec<PlacedJson>,
    total: PlacedJson,
    reps: Vec<PlacedJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PlacedJson {
    name: String,
    #[serde(default)]
    team: Option<String>,
    values: BTreeMap<String, PlacementJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacementJson {
    actual: f64,
    percentile: f64,
}

#[test]
fn blitz_json_follows_its_schema() {
    let blitz = |extra: &[&str]| -> BlitzJson {
        let file = shipped("blitz-leader-involved.toml");
        let json = stdout_of(
            callblitz()
                .args(["blitz", &file, "--json", "--replications", "40"])
                .args(extra),
        );
        serde_json::from_slice(&json).unwrap()
    };
    let log = shipped("blitz-leader-involved.csv");
    let placed = blitz(&["--actual", &log]);
    assert_eq!(placed.teams.len(), 2);
    assert_eq!(
        placed.total.reps,
        placed.teams.iter().map(|t| t.reps).sum::<usize>()
    );
    assert_eq!(placed.total.progress.len(), placed.minutes as usize);
    let actual = placed.actual.expect("--actual places the real blitz");
    assert_eq!(actual.reps.len(), placed.total.reps);
    for value in actual.reps.iter().flat_map(|r| r.values.values()) {
        assert!((0.0..=1.0).contains(&value.percentile) && value.actual >= 0.0);
    }
    let nobody = blitz(&["--set", "leads.unreachable=1"]);
    assert!(nobody.actual.is_none());
    let rate = &nobody.total.metrics["appointment_rate_per_conversation"];
    assert!(rate.mean.is_none() && rate.none.is_some(), "{rate:?}");
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CalibrateJson {
    log: String,
    leads: u64,
    touches: u64,
    reachability: ReachabilityJson,
    contact_by_attempt: Vec<AttemptJson>,
    goodness_of_fit: FitJson,
    rates: BTreeMap<String, RateJson>,
    give_up: Vec<GiveUpJson>,
    reps: Vec<RepJson>,
    skipped_rows: u64,
    skipped_lines: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ReachabilityJson {
    alpha: f64,
    beta: f64,
    mean: f64,
    concentration: f64,
    unreachable: f64,
    log_likelihood: f64,
    /// Profile intervals; an end the data do not bound is null.
    ci95: BTreeMap<String, [Option<f64>; 2]>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct AttemptJson {
    attempt: u64,
    leads: u64,
    observed: f64,
    fitted: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct FitJson {
    statistic: f64,
    df: u64,
    groups: u64,
    p_value: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct GiveUpJson {
    after: u64,
    share: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct RepJson {
    rep: String,
    leads: u64,
    dials: u64,
    touches_per_unreached_lead: f64,
    conversations_per_dial: RateJson,
    appointment_rate: RateJson,
}

#[test]
fn calibrate_json_follows_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    stdout_of(
        callblitz()
            .args([
                "simulate",
                &shipped("sixteen-touch.toml"),
                "--replications",
                "2",
            ])
            .args(["--set", "leads.count=2000", "--log"])
            .arg(&log),
    );
    for flags in [&[][..], &["--unreachable"]] {
        let json = stdout_of(
            callblitz()
                .arg("calibrate")
                .arg(&log)
                .arg("--json")
                .args(flags),
        );
        let fit: CalibrateJson = serde_json::from_slice(&json).unwrap();
        assert_eq!(fit.leads, 2000);
        assert!(fit.ci95_has_every_channel());
        for rate in fit.rates.values() {
            assert!(rate.ci95[0] <= rate.estimate && rate.estimate <= rate.ci95[1]);
        }
    }
}

impl CalibrateJson {
    /// The sixteen-touch cadence's voicemails and emails are fitted relative to calls.
    fn ci95_has_every_channel(&self) -> bool {
        let ci95 = &self.reachability.ci95;
        [
            "mean",
            "concentration",
            "email_response",
            "voicemail_response",
        ]
        .iter()
        .all(|k| ci95.contains_key(*k))
    }
}
