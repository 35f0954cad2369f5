//! `sweep`: grids run deterministically on any number of threads, on common random numbers,
//! and bad grids are refused with the fix.

use serde_json::Value;

use crate::common::{assert_refused, callblitz, shipped, stdout_of};

#[test]
fn the_csv_is_the_same_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let csv = |threads: &str| {
        let path = dir.path().join(format!("sweep-{threads}.csv"));
        stdout_of(
            callblitz()
                .args(["sweep", &shipped("sixteen-touch.toml")])
                .args(["--vary", "leads.reachability.mean=0.05..0.2:0.05"])
                .args(["--vary", "reps.give_up=[],[{after=3,share=0.8}]"])
                .args(["--replications", "300", "--threads", threads, "--csv"])
                .arg(&path),
        );
        std::fs::read_to_string(path).unwrap()
    };
    let one = csv("1");
    assert_eq!(one, csv("2"));
    let mut lines = one.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("leads.reachability.mean,reps.give_up,leads_mean,leads_sd,"));
    assert_eq!(lines.count(), 8);
}

#[test]
fn contacts_never_fall_as_attempts_rise() {
    // Every point runs on the same random numbers, so a longer cadence reaches every lead a
    // shorter one does: each summary of contacts can only grow.
    let json: Value = serde_json::from_slice(&stdout_of(
        callblitz()
            .args(["sweep", &shipped("cold-outbound.toml")])
            .args([
                "--vary",
                "cadence.attempts=1..16",
                "--replications",
                "500",
                "--json",
            ]),
    ))
    .unwrap();
    let points = json["points"].as_array().unwrap();
    assert_eq!(points.len(), 16);
    for (i, point) in points.iter().enumerate() {
        assert_eq!(point["set"]["cadence.attempts"], i as i64 + 1);
    }
    for stat in ["mean", "p05", "p50", "p95"] {
        let contacts: Vec<f64> = points
            .iter()
            .map(|p| p["metrics"]["contacts"][stat].as_f64().unwrap())
            .collect();
        assert!(
            contacts.windows(2).all(|w| w[1] >= w[0]),
            "{stat}: {contacts:?}"
        );
        assert!(contacts[15] > contacts[0], "{stat}: {contacts:?}");
    }
}

#[test]
fn bad_grids_are_refused_with_the_fix() {
    let refuse = |vary: &[&str], expected: &str| {
        let mut command = callblitz();
        command.args(["sweep", &shipped("cold-outbound.toml")]);
        for v in vary {
            command.args(["--vary", v]);
        }
        assert_refused(&command.output().unwrap(), &[expected]);
    };
    refuse(
        &["leads.reachability.mean=0.05..0.2:0"],
        "the step 0 must be above 0",
    );
    refuse(&["cadence.attempts=16..1"], "the range 16..1 is empty");
    refuse(&["leads.reachability.mean=0.05..0.2"], "needs a step");
    refuse(
        &["cadence.attempts=1..200", "cadence.days=1..200"],
        "40000 points (200 × 200)",
    );
    refuse(
        &["leads.reachability.mean=0.5,1.5"],
        "--vary leads.reachability.mean=1.5: leads.reachability.mean = 1.5",
    );
    refuse(&["leads.reachabilty.mean=0.1"], "did you mean");
    let output = callblitz()
        .args(["sweep", &shipped("cold-outbound.toml")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn one_path_charts_as_a_band_two_as_a_heatmap_more_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = |vary: &[&str], chart: &std::path::Path| {
        let mut command = callblitz();
        command.args([
            "sweep",
            &shipped("cold-outbound.toml"),
            "--replications",
            "50",
        ]);
        for v in vary {
            command.args(["--vary", v]);
        }
        command.arg("--chart").arg(chart);
        command
    };
    for (vary, name) in [
        (&["cadence.attempts=1..6"][..], "line.png"),
        (
            &["cadence.attempts=1..6", "funnel.win_rate=0.1,0.2"][..],
            "heatmap.png",
        ),
    ] {
        let path = dir.path().join(name);
        stdout_of(&mut sweep(vary, &path));
        crate::common::assert_png(&path, 1100, 760);
    }
    let path = dir.path().join("three.png");
    let output = sweep(
        &[
            "cadence.attempts=1..2",
            "cadence.days=7,14",
            "funnel.win_rate=0.1,0.2",
        ],
        &path,
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("this sweep varies 3"));
    assert!(!path.exists());
    let output = sweep(&["cadence.attempts=1..2"], &path)
        .args(["--metric", "dealz"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no metric `dealz`; choose one of leads")
    );
}
