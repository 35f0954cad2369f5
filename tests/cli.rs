//! The command line as a user meets it: outputs, wording of errors, exit codes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde::Deserialize;

fn callblitz() -> Command {
    Command::cargo_bin("callblitz").unwrap()
}

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// A scenario file in a temporary directory.
fn scenario_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// `simulate --json` as MODEL.md §4 specifies it; unknown fields fail the test.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SimulateJson {
    scenario: String,
    seed: u64,
    replications: u64,
    metrics: BTreeMap<String, SummaryJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // the fields are read by deserializing, which checks the schema
struct SummaryJson {
    mean: f64,
    sd: f64,
    p05: f64,
    p50: f64,
    p95: f64,
    mean_ci95: [f64; 2],
}

const METRICS: [&str; 11] = [
    "leads",
    "touches",
    "dials",
    "contacts",
    "appointments_set",
    "appointments_held",
    "opportunities",
    "deals",
    "revenue",
    "prospecting_hours",
    "penetration",
];

#[test]
fn simulate_json_follows_the_contract() {
    let output = callblitz()
        .args([
            "simulate",
            shipped("three-call.toml").to_str().unwrap(),
            "--json",
        ])
        .args(["--replications", "200", "--seed", "9"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: SimulateJson = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json.scenario, "Three calls");
    assert_eq!((json.seed, json.replications), (9, 200));
    let names: Vec<&str> = json.metrics.keys().map(String::as_str).collect();
    let mut expected = METRICS.to_vec();
    expected.sort();
    assert_eq!(names, expected);
    let contacts = &json.metrics["contacts"];
    assert!(contacts.p05 <= contacts.p50 && contacts.p50 <= contacts.p95);
    assert!(contacts.mean_ci95[0] < contacts.mean && contacts.mean < contacts.mean_ci95[1]);
    assert_eq!(json.metrics["leads"].mean, 1000.0);
    // Metrics come in vocabulary order, as the table lists them.
    let text = String::from_utf8(output.stdout).unwrap();
    let positions: Vec<usize> = METRICS
        .iter()
        .map(|m| text.find(&format!("\"{m}\"")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn simulate_table_lists_every_metric_per_100_leads() {
    callblitz()
        .args(["simulate", shipped("sixteen-touch.toml").to_str().unwrap()])
        .args(["--replications", "100"])
        .assert()
        .success()
        .stdout(predicate::str::contains("per 100 leads"))
        .stdout(predicate::str::contains("95% CI of mean"))
        .stdout(predicate::function(|out: &str| {
            METRICS
                .iter()
                .all(|m| out.lines().any(|l| l.starts_with(m)))
        }));
}

#[test]
fn simulate_csv_has_a_row_per_replication() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("runs.csv");
    callblitz()
        .args(["simulate", shipped("three-call.toml").to_str().unwrap()])
        .args(["--replications", "50", "--csv", csv.to_str().unwrap()])
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!("replication,{}", METRICS.join(","))
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 50);
    assert!(rows[0].starts_with("0,1000,"));
    assert!(rows[49].starts_with("49,1000,"));
}

#[test]
fn a_csv_that_cannot_be_written_fails_cleanly() {
    callblitz()
        .args(["simulate", shipped("three-call.toml").to_str().unwrap()])
        .args(["--replications", "10", "--csv", "/nonexistent-dir/runs.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: cannot write /nonexistent-dir/runs.csv",
        ));
}

#[test]
fn bad_scenarios_exit_2_with_every_problem_and_no_panic() {
    let (_dir, path) = scenario_file(
        "name = \"bad\"\n[leads]\nreachability = { mean = 1.5 }\n[funnel]\nshow_rat = 0.8\n",
    );
    let file = path.display().to_string();
    callblitz()
        .args(["simulate", &file])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "error: the scenario has 2 problems:",
        ))
        .stderr(predicate::str::contains(format!(
            "{file}:3: leads.reachability.mean = 1.5: must be between 0 and 1"
        )))
        .stderr(predicate::str::contains(format!(
            "{file}:5: unknown key `funnel.show_rat`; did you mean `show_rate`?"
        )))
        .stderr(predicate::str::contains("panicked").not())
        .stderr(predicate::str::contains("backtrace").not());
}

#[test]
fn scenario_check_accepts_good_files_and_rejects_bad_ones() {
    callblitz()
        .args([
            "scenario",
            "check",
            shipped("cold-outbound.toml").to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("valid"));
    let (_dir, path) = scenario_file("[cadence]\nattempts = 0\n");
    callblitz()
        .args(["scenario", "check", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "scenario.toml:2: cadence.attempts = 0: must be a whole number from 1 to 500",
        ));
}

#[test]
fn missing_files_and_bad_overrides_exit_2() {
    callblitz()
        .args(["simulate", "no-such-file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: no-such-file.toml: cannot read the scenario file",
        ));
    callblitz()
        .args(["simulate", shipped("three-call.toml").to_str().unwrap()])
        .args(["--set", "leads.count=many"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--set leads.count: leads.count: wrong type: string \"many\", expected a whole number",
        ));
    callblitz()
        .args(["simulate", shipped("three-call.toml").to_str().unwrap()])
        .args(["--set", "reps.give_up[0].after=3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("set the whole array"));
    callblitz()
        .args(["simulate", shipped("three-call.toml").to_str().unwrap()])
        .args(["--set", "leads.count"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has no `=`: write PATH=VALUE"));
    callblitz()
        .args(["simulate", shipped("three-call.toml").to_str().unwrap()])
        .args(["--threads", "0"])
        .assert()
        .code(2);
}

#[test]
fn scenario_show_resolves_defaults_and_overrides_and_round_trips() {
    let output = callblitz()
        .args([
            "scenario",
            "show",
            shipped("three-call.toml").to_str().unwrap(),
        ])
        .args(["--set", "funnel.win_rate=0.3"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("win_rate = 0.3"));
    assert!(text.contains("#   touch  3  day   4: call"), "{text}");
    // The printed scenario is itself a scenario file with the same meaning.
    let (_dir, path) = scenario_file(&text);
    let reread = callblitz::scenario::load(&path, &[]).unwrap();
    assert_eq!(reread.funnel.win_rate, 0.3);
    assert_eq!(reread.cadence.attempts, Some(3));

    let json = callblitz()
        .args([
            "scenario",
            "show",
            shipped("three-call.toml").to_str().unwrap(),
            "--json",
        ])
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["leads"]["unreachable"], 0.25);
    assert_eq!(value["cadence"]["attempts"], 3);
}

#[test]
fn init_writes_the_starter_and_never_overwrites_by_accident() {
    let starter = callblitz().arg("init").output().unwrap();
    assert!(starter.status.success());
    assert_eq!(
        starter.stdout,
        std::fs::read(shipped("cold-outbound.toml")).unwrap()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    callblitz()
        .args(["init", path.to_str().unwrap()])
        .assert()
        .success();
    callblitz()
        .args(["scenario", "check", path.to_str().unwrap()])
        .assert()
        .success();
    callblitz()
        .args(["init", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists already"));
    callblitz()
        .args(["init", path.to_str().unwrap(), "--force"])
        .assert()
        .success();
}

#[cfg(target_os = "linux")]
#[test]
fn a_million_replications_stay_under_200_mb() {
    callblitz()
        .args([
            "simulate",
            shipped("three-call.toml").to_str().unwrap(),
            "--json",
        ])
        .args(["--replications", "1000000", "--set", "leads.count=100"])
        .assert()
        .success();
    // The largest resident set of any child this test process has waited for: an upper bound
    // on the simulation's peak, whatever other tests ran.
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_CHILDREN is a valid target.
    let usage = unsafe {
        assert_eq!(
            libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()),
            0
        );
        usage.assume_init()
    };
    let peak_mb = usage.ru_maxrss as f64 / 1024.0;
    assert!(peak_mb < 200.0, "peak resident memory {peak_mb:.0} MB");
}
