//! The command line as a user meets it: outputs, wording of errors, exit codes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use predicates::prelude::*;
use serde::Deserialize;

use crate::common::{self, assert_png, callblitz, stdout_of};
use crate::schema::{BandJson, SimulateJson, nullable};

fn shipped(name: &str) -> PathBuf {
    PathBuf::from(common::shipped(name))
}

/// A scenario file in a temporary directory.
fn scenario_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
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
fn a_csv_into_a_missing_folder_is_refused_before_the_run() {
    callblitz()
        .args(["simulate", shipped("three-call.toml").to_str().unwrap()])
        .args(["--replications", "10", "--csv", "/nonexistent-dir/runs.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: --csv /nonexistent-dir/runs.csv: the folder /nonexistent-dir does not exist",
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

/// `plan --json` as docs/model.md specifies it, with the search; unknown fields fail the test.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PlanJson {
    scenario: String,
    seed: u64,
    replications: u64,
    goal: PlanGoalJson,
    expected: BTreeMap<String, BTreeMap<String, f64>>,
    /// One of these two is null: the plan, or why no hours reach the goal.
    #[serde(deserialize_with = "nullable")]
    at_confidence: Option<AtConfidenceJson>,
    #[serde(deserialize_with = "nullable")]
    unreachable: Option<UnreachableJson>,
    search: Vec<SearchJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PlanGoalJson {
    reps: u32,
    deals: f64,
    #[serde(deserialize_with = "nullable")]
    revenue: Option<f64>,
    confidence: f64,
    weeks: u32,
    working_weeks: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct AtConfidenceJson {
    confidence: f64,
    prospecting_hours_per_week: f64,
    leads_per_week: f64,
    appointments_set_per_week: f64,
    appointments_held_per_week: f64,
    appointments_set_per_week_ramped: f64,
    appointments_held_per_week_ramped: f64,
    probability_of_goal: f64,
    contacts_per_week: f64,
    dials_per_working_day: f64,
    deals: BandJson,
    revenue: BandJson,
    #[serde(deserialize_with = "nullable")]
    goal_likely_from_week: Option<usize>,
    /// A territory of accounts only.
    #[serde(default)]
    territory: Option<PlanTerritoryJson>,
    /// Scenarios with more than one group of leads only.
    #[serde(default)]
    segments: Option<Vec<PlanSegmentJson>>,
    curve: Vec<LevelJson>,
    chance_by_hours: Vec<ChanceJson>,
}

/// The plan at one confidence; null hours when none reach it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelJson {
    confidence: f64,
    #[serde(deserialize_with = "nullable")]
    prospecting_hours_per_week: Option<f64>,
}

/// The chance of the goal at some hours, between the bounds the search proved.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChanceJson {
    prospecting_hours_per_week: f64,
    at_least: f64,
    at_most: f64,
}

/// A segment's part of the plan: weekly figures per rep, revenue the team's year.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PlanSegmentJson {
    name: String,
    leads_per_week: f64,
    appointments_set_per_week: f64,
    prospecting_hours_per_week: f64,
    revenue: f64,
    revenue_per_prospecting_hour: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanTerritoryJson {
    accounts: u64,
    refill_per_month: u64,
    accounts_started: f64,
    used_up_share: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnreachableJson {
    max_hours_per_week: f64,
    probability_at_max: f64,
    deals_at_confidence: f64,
    reasons: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SearchJson {
    years: u64,
    hours_per_week: [f64; 2],
}

fn plan_json(replications: &str, extra: &[&str]) -> (PlanJson, Vec<u8>) {
    let stdout = stdout_of(
        callblitz()
            .args([
                "plan",
                shipped("new-hire-kpis.toml").to_str().unwrap(),
                "--json",
            ])
            .args(["--replications", replications])
            .args(extra),
    );
    (serde_json::from_slice(&stdout).unwrap(), stdout)
}

#[test]
fn plan_json_follows_the_contract_and_per_week_is_per_year_over_working_weeks() {
    let (json, _) = plan_json("400", &[]);
    assert_eq!(json.goal.revenue, Some(180_000.0));
    assert_eq!(json.goal.deals, 15.0);
    assert_eq!(json.goal.working_weeks, 48);
    let periods: Vec<&str> = json.expected.keys().map(String::as_str).collect();
    assert_eq!(
        periods,
        [
            "per_month",
            "per_quarter",
            "per_week",
            "per_working_day",
            "per_year"
        ]
    );
    for (name, per_year) in &json.expected["per_year"] {
        let per_week = json.expected["per_week"][name];
        assert!(
            (per_week - per_year / 48.0).abs() < 1e-9 * per_year.max(1.0),
            "{name}"
        );
    }
    let at = json
        .at_confidence
        .expect("the new hire's goal is reachable");
    assert!(at.probability_of_goal >= at.confidence);
    assert!(at.prospecting_hours_per_week > 0.0 && at.prospecting_hours_per_week <= 40.0);
    assert!(at.deals.p10 <= at.deals.p50 && at.deals.p50 <= at.deals.p90);
    // The hire's territory: 3,000 accounts and 200 a month, 11 refills in the year at most.
    let territory = at.territory.expect("the new hire works a territory");
    assert_eq!(
        (territory.accounts, territory.refill_per_month),
        (3000, 200)
    );
    assert!(territory.accounts_started > 0.0 && territory.accounts_started <= 5200.0);
    assert!((0.0..=1.0).contains(&territory.used_up_share));
    assert!(json.unreachable.is_none());
    // The search runs the plan on every year, at its hours.
    let hours = at.prospecting_hours_per_week;
    assert!(
        json.search
            .iter()
            .any(|r| (r.years, r.hours_per_week) == (json.replications, [hours, hours])),
        "{:?}",
        json.search
    );
    for round in &json.search {
        assert!(round.years > 0 && round.hours_per_week[0] <= round.hours_per_week[1]);
    }
    // The curve holds the plan at its own confidence, and more confidence never needs fewer
    // hours.
    let own = at
        .curve
        .iter()
        .find(|level| level.confidence == at.confidence);
    assert_eq!(
        own.and_then(|level| level.prospecting_hours_per_week),
        Some(hours)
    );
    let levels: Vec<f64> = at.curve.iter().map(|l| l.confidence).collect();
    assert_eq!(levels, [0.5, 0.6, 0.7, 0.8, 0.9, 0.95]);
    let needed: Vec<f64> = at
        .curve
        .iter()
        .map(|l| l.prospecting_hours_per_week.unwrap_or(f64::INFINITY))
        .collect();
    assert!(needed.windows(2).all(|w| w[0] <= w[1]), "{needed:?}");
    // The chance lies between its bounds, which rise with the hours; the plan's confidence is
    // met from its hours on and out of reach a search step below them.
    for pair in at.chance_by_hours.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            a.at_least <= a.at_most && a.prospecting_hours_per_week < b.prospecting_hours_per_week
        );
        assert!(a.at_least <= b.at_least && a.at_most <= b.at_most);
    }
    for chance in &at.chance_by_hours {
        if chance.prospecting_hours_per_week >= hours {
            assert!(chance.at_least >= at.confidence, "{chance:?}");
        }
        if chance.prospecting_hours_per_week <= hours - 0.25 {
            assert!(chance.at_most < at.confidence, "{chance:?}");
        }
    }
}

#[test]
fn plan_flags_set_the_goal_and_the_output_is_the_same_on_any_thread_count() {
    let (json, one) = plan_json(
        "400",
        &["--deals", "20", "--confidence", "0.7", "--threads", "1"],
    );
    assert_eq!(
        (json.goal.deals, json.goal.revenue, json.goal.confidence),
        (20.0, None, 0.7)
    );
    let (_, two) = plan_json(
        "400",
        &["--deals", "20", "--confidence", "0.7", "--threads", "2"],
    );
    assert_eq!(one, two);
    callblitz()
        .args(["plan", shipped("new-hire-kpis.toml").to_str().unwrap()])
        .args(["--deals", "-3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--deals: goal.deals = -3: must be from 1 to 1e7",
        ));
}

#[test]
fn plan_writes_csv_timeline_and_a_chart_of_the_stated_size() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, timeline, png, svg) = (
        dir.path().join("plan.csv"),
        dir.path().join("weeks.csv"),
        dir.path().join("fan.png"),
        dir.path().join("fan.svg"),
    );
    callblitz()
        .args(["plan", shipped("new-hire-kpis.toml").to_str().unwrap()])
        .args(["--replications", "300", "--csv", csv.to_str().unwrap()])
        .args([
            "--timeline",
            timeline.to_str().unwrap(),
            "--chart",
            png.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("prospecting hours per week"));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("metric,per_year,per_quarter,per_month,per_week,per_working_day\n"));
    assert!(text.contains("\nprospecting_hours,"));
    let weeks = std::fs::read_to_string(&timeline).unwrap();
    assert_eq!(weeks.lines().count(), 1 + 52);
    assert!(weeks.starts_with("week,week_off,touches_mean,touches_p10,touches_p50,touches_p90,"));
    // Two panels: the chance of the goal by hours, and the fan of deals.
    assert_png(&png, 1200, 1300);
    callblitz()
        .args(["plan", shipped("new-hire-kpis.toml").to_str().unwrap()])
        .args(["--replications", "300", "--chart", svg.to_str().unwrap()])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&svg)
            .unwrap()
            .starts_with("<svg width=\"1200\" height=\"1300\"")
    );
    callblitz()
        .args(["plan", shipped("new-hire-kpis.toml").to_str().unwrap()])
        .args(["--chart", "fan.gif"])
        .assert()
        .code(2)
        .stderr("error: --chart fan.gif: the chart file must end in .png or .svg\n");
}

#[test]
fn plan_explains_an_unreachable_goal() {
    callblitz()
        .args(["plan", shipped("new-hire-kpis.toml").to_str().unwrap()])
        .args(["--replications", "200", "--deals", "400"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "This goal cannot be reached with 80% confidence.",
        ))
        .stdout(predicate::str::contains("team.workday_hours"));
    let (json, _) = plan_json("200", &["--deals", "400"]);
    assert!(json.at_confidence.is_none());
    let short = json.unreachable.expect("400 deals are out of reach");
    assert_eq!(short.max_hours_per_week, 40.0);
    assert!(short.probability_at_max < json.goal.confidence);
    assert!(short.deals_at_confidence < 400.0);
    assert!(
        short
            .reasons
            .iter()
            .any(|r| r.contains("team.workday_hours")),
        "{:?}",
        short.reasons
    );
    // The chance at the most hours is measured on every year there.
    let last = json.search.last().expect("the search ran");
    assert_eq!((last.years, last.hours_per_week), (200, [40.0, 40.0]));
}

#[test]
fn simulate_calendar_follows_the_same_contract_with_a_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let timeline = dir.path().join("weeks.csv");
    let stdout = stdout_of(
        callblitz()
            .args([
                "simulate",
                shipped("new-hire-kpis.toml").to_str().unwrap(),
                "--calendar",
            ])
            .args([
                "--json",
                "--replications",
                "100",
                "--timeline",
                timeline.to_str().unwrap(),
            ]),
    );
    let json: SimulateJson = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(json.replications, 100);
    assert!(json.metrics["deals"].mean > 0.0);
    assert!(json.metrics["penetration"].mean <= 100.0);
    let weeks = std::fs::read_to_string(&timeline).unwrap();
    let last = weeks.lines().last().unwrap();
    assert!(last.starts_with("52,"), "{last}");
    let team = json.team.expect("a calendar run reports its team");
    assert_eq!(team.routing, "round-robin");
    assert!(team.first_touch.is_none(), "no inbound leads");
    assert_eq!(team.reps.len(), 1);
    let (rep, all) = (team.reps[0].touches.mean, json.metrics["touches"].mean);
    assert!(
        (rep - all).abs() <= 1e-9 * all,
        "one rep makes every touch: {rep} vs {all}"
    );
    callblitz()
        .args([
            "simulate",
            shipped("new-hire-kpis.toml").to_str().unwrap(),
            "--calendar",
        ])
        .args(["--set", "team.reps=10000", "--set", "team.workday_hours=24"])
        .args(["--set", "team.prospecting_hours_per_day=20"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a run may take"));
    callblitz()
        .args(["simulate", shipped("new-hire-kpis.toml").to_str().unwrap()])
        .args(["--timeline", "x.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--calendar"));
}

#[test]
fn long_runs_draw_no_progress_into_pipes() {
    // Progress bars go to stderr only when it is a terminal: a pipe (as here, and in CI)
    // gets the report on stdout and nothing on stderr.
    for args in [
        &["plan", "new-hire-kpis.toml", "--replications", "100"][..],
        &[
            "simulate",
            "cold-outbound.toml",
            "--calendar",
            "--replications",
            "20",
        ],
        &[
            "compare",
            "three-call-vs-sixteen-touch.toml",
            "--replications",
            "50",
        ],
        &[
            "blitz",
            "blitz-leader-involved.toml",
            "--replications",
            "50",
        ],
    ] {
        let file = shipped(args[1]);
        let output = callblitz()
            .arg(args[0])
            .arg(&file)
            .args(&args[2..])
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
        assert!(!output.stdout.is_empty(), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    }
}

#[test]
fn a_plan_of_segments_gives_each_its_leads_appointments_and_revenue() {
    let stdout = stdout_of(
        callblitz()
            .args(["plan", shipped("kare-mix.toml").to_str().unwrap(), "--json"])
            .args(["--replications", "200"]),
    );
    let json: PlanJson = serde_json::from_slice(&stdout).unwrap();
    let plan = json.at_confidence.expect("the KARE goal is within reach");
    let segments = plan.segments.expect("a plan of segments has them");
    let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["attain", "recapture", "expand"]);
    let sum = |of: fn(&PlanSegmentJson) -> f64| segments.iter().map(of).sum::<f64>();
    assert!((sum(|s| s.leads_per_week) - plan.leads_per_week).abs() < 1e-9);
    assert!((sum(|s| s.appointments_set_per_week) - plan.appointments_set_per_week).abs() < 1e-9);
    for s in &segments {
        let hours_in_year = s.prospecting_hours_per_week * f64::from(json.goal.working_weeks);
        assert!((s.revenue / hours_in_year - s.revenue_per_prospecting_hour).abs() < 1e-6);
    }
}
