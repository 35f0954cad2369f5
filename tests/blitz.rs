//! `blitz`: dials follow from time (renewal theory), the teams' multipliers act, a real
//! blitz's call log is placed against the simulated ones, and bad logs are named by line.

use callblitz::blitz::{BlitzFigure, Simulated};
use callblitz::engine::{BlitzModel, simulate_blitz};
use callblitz::stats::{Moments, percentile_of};

use crate::common::{
    assert_png, assert_refused, assert_within, callblitz, scenario, shipped, stdout_of,
};

/// One rep dialing a 600-minute session: every lead has the same chance, so a dial's minutes
/// X are a renewal cycle with known moments.
const LONG_SESSION: &str = r#"
[simulation]
replications = 2000
seed = 3
[leads]
reachability = { mean = 0.2 }
unreachable = 0.25
[channels.call]
minutes = 0.8
conversation_minutes = 2.0
[funnel]
appointment_rate = 0.3
booking_minutes = 4.0
[blitz]
minutes = 600
reps = 1
dial_spread = 0.5
"#;

/// Mean dials per rep of `text`, with its standard error.
fn dials_per_rep(text: &str) -> (f64, f64) {
    let s = scenario(text);
    let model = BlitzModel::new(&s);
    let runs = simulate_blitz(&model, s.simulation.replications, s.simulation.seed);
    let mut dials = Moments::default();
    for run in &runs.runs {
        dials.push(f64::from(run.reps[0].dials));
    }
    (
        dials.mean(),
        (dials.variance() / dials.count() as f64).sqrt(),
    )
}

/// E[X] and E[X²] of a dial's minutes X in [`LONG_SESSION`]: D (Gamma, mean d, coefficient of
/// variation v) plus, with chance q, a conversation of c minutes and b more when it books
/// (chance a).
fn dial_moments() -> (f64, f64) {
    let (d, v, c, b, a) = (0.8, 0.5, 2.0, 4.0, 0.3);
    let q = 0.75 * 0.2;
    let mean = d + q * (c + a * b);
    let second = d * d * (1.0 + v * v)
        + 2.0 * d * q * (c + a * b)
        + q * (c * c + 2.0 * c * a * b + a * b * b);
    (mean, second)
}

#[test]
fn dials_follow_from_the_minutes_each_takes() {
    let (mean, second) = dial_moments();
    // Dials started before t: t / E[X] + E[X²] / (2 E[X]²) (renewal theory, t ≫ E[X]). The
    // issue's rule of thumb, minutes ÷ (minutes per dial + contact rate × conversation
    // minutes), is its first term (here with the booking minutes in the conversation's).
    let t = 600.0;
    let (dials, se) = dials_per_rep(LONG_SESSION);
    assert_within(
        "dials per rep",
        dials,
        t / mean + second / (2.0 * mean * mean),
        se,
    );
    assert!(
        (dials - t / mean).abs() / (t / mean) < 0.01,
        "the rule of thumb holds to 1%"
    );
    // A 10-minute break: two renewal runs, of 300 and 290 minutes (a dial never outlasts it).
    let with_break = format!("{LONG_SESSION}breaks = [{{ after = 300, minutes = 10 }}]\n");
    let (dials, se) = dials_per_rep(&with_break);
    let expected = (t - 10.0) / mean + 2.0 * second / (2.0 * mean * mean);
    assert_within("dials per rep with a break", dials, expected, se);
}

#[test]
fn team_multipliers_act_on_contacts_and_conversion() {
    let text = r#"
        [simulation]
        replications = 3000
        [blitz]
        minutes = 90
        dial_spread = 0.0
        [[blitz.teams]]
        name = "plain"
        reps = 3
        [[blitz.teams]]
        name = "boosted"
        reps = 3
        response = 1.5
        conversion = 2.0
    "#;
    let s = scenario(text);
    let model = BlitzModel::new(&s);
    let simulated = Simulated::new(&model, &simulate_blitz(&model, 3000, 9));
    let rate = |team: usize, q: BlitzFigure| simulated.teams[team].summary(q).mean;
    // Conversations per dial: 1.5 times as many (min(1, p · 1.5) never binds here).
    let per_dial = |team: usize| {
        let g = &simulated.teams[team];
        let (c, d): (f64, f64) = g.counts.iter().fold((0.0, 0.0), |(c, d), x| {
            (c + f64::from(x.conversations), d + f64::from(x.dials))
        });
        (c / d, (c / d * (1.0 - c / d) / d).sqrt())
    };
    let ((plain, se_plain), (boosted, se_boosted)) = (per_dial(0), per_dial(1));
    let se = 1.5 * se_plain + se_boosted;
    assert_within(
        "conversations per dial, boosted ÷ plain",
        boosted,
        1.5 * plain,
        se,
    );
    let appointments = |team: usize| {
        let g = &simulated.teams[team];
        let (a, c): (f64, f64) = g.counts.iter().fold((0.0, 0.0), |(a, c), x| {
            (
                a + f64::from(x.appointments),
                c + f64::from(x.conversations),
            )
        });
        (a / c, (a / c * (1.0 - a / c) / c).sqrt())
    };
    let ((plain, se_plain), (boosted, se_boosted)) = (appointments(0), appointments(1));
    assert_within(
        "appointments per conversation, plain",
        plain,
        0.12,
        se_plain,
    );
    assert_within(
        "appointments per conversation, boosted",
        boosted,
        0.24,
        se_boosted,
    );
    assert!(
        rate(1, BlitzFigure::Dials) < rate(0, BlitzFigure::Dials),
        "conversations take time"
    );
}

#[test]
fn percentiles_count_ties_as_half() {
    let values = [1.0, 2.0, 2.0, 3.0];
    assert_eq!(percentile_of(values.iter().copied(), 2.0), 0.5);
    assert_eq!(percentile_of(values.iter().copied(), 0.0), 0.0);
    assert_eq!(percentile_of(values.iter().copied(), 9.0), 1.0);
}

#[test]
fn a_real_blitz_is_placed_against_the_simulated_ones() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("blitz.png");
    let stdout = stdout_of(
        callblitz()
            .args(["blitz", &shipped("blitz-leader-involved.toml"), "--json"])
            .args(["--replications", "300", "--actual"])
            .arg(shipped("blitz-leader-involved.csv"))
            .arg("--chart")
            .arg(&chart),
    );
    let json: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(json["teams"].as_array().unwrap().len(), 2);
    assert_eq!(json["leaderboard"].as_array().unwrap().len(), 8);
    assert_eq!(json["total"]["progress"].as_array().unwrap().len(), 120);
    assert_eq!(json["teams"][1]["progress"].as_array().unwrap().len(), 120);
    let actual = &json["actual"];
    // The example log: 853 dials by 8 reps.
    assert_eq!(actual["total"]["values"]["dials"]["actual"], 853.0);
    assert_eq!(actual["reps"].as_array().unwrap().len(), 8);
    for group in actual["teams"].as_array().unwrap() {
        for value in group["values"].as_object().unwrap().values() {
            let p = value["percentile"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&p), "{p}");
        }
    }
    assert_png(&chart, 1200, 1500);
}

/// Runs `blitz --actual` on a log with `rows` after the header, expecting exit code 2 and
/// every one of `expected` in the message.
#[track_caller]
fn rejects_log(header: &str, rows: &[&str], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    std::fs::write(&log, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    let output = callblitz()
        .args([
            "blitz",
            &shipped("blitz-leader-involved.toml"),
            "--replications",
            "20",
        ])
        .arg("--actual")
        .arg(&log)
        .output()
        .unwrap();
    assert_refused(&output, expected);
}

#[test]
fn bad_logs_are_named_by_file_line_and_column() {
    let header = "lead_id,timestamp,channel,outcome,rep";
    let good = "L1,2026-03-05T09:00:00,call,no_answer,Ana";
    rejects_log(
        header,
        &[good, "L2,5 March,call,no_answer,Ana"],
        &["log.csv:3: timestamp = \"5 March\"", "ISO 8601"],
    );
    rejects_log(
        header,
        &[good, "L2,2026-03-05,call,no_answer,Ana"],
        &["log.csv:3: timestamp = \"2026-03-05\"", "time of day"],
    );
    rejects_log(
        header,
        &[good, good, "L3,2026-03-05T09:01:00,call,hung_up,Ben"],
        &["log.csv:4: outcome = \"hung_up\"", "no_answer, voicemail"],
    );
    rejects_log(
        header,
        &[good, "L2,2026-03-05T09:01:00,phone,no_answer,Ben"],
        &["log.csv:3: channel = \"phone\""],
    );
    rejects_log(
        header,
        &[good, "L2,2026-03-05T09:01:00,call,no_answer,Zed"],
        &[
            "log.csv:3: rep = \"Zed\" is in no team",
            "Leader dials: Ana",
        ],
    );
    rejects_log(
        header,
        &[good, "L2,2026-03-05T09:01:00,email,no_answer,Ana"],
        &["log.csv:3: channel = \"email\"", "dials"],
    );
    rejects_log(
        header,
        &[good, "L2,2026-03-05T12:00:00,call,no_answer,Ana"],
        &["log.csv:3", "at or after the end of the 120-minute session"],
    );
    rejects_log(
        header,
        &[good, "L2,2026-03-05T09:01:00,call,no_answer"],
        &["log.csv:3", "the row has 4 fields but the header has 5"],
    );
    rejects_log(
        "lead_id,time,channel,outcome,rep",
        &[good],
        &[
            "log.csv:1: no `timestamp` column",
            "the header has: lead_id, time",
        ],
    );
    rejects_log(
        "lead_id,timestamp,channel,outcome",
        &["L1,2026-03-05T09:00:00,call,no_answer"],
        &["no `rep` column"],
    );
    // Every rep of both teams must be in the log, so totals compare like with like.
    rejects_log(
        header,
        &[good],
        &["team \"Leader dials\" lists Ben, Cleo, Dev but the log has no dial by them"],
    );
}

#[test]
fn blitzes_are_identical_on_any_thread_count() {
    let s = scenario(LONG_SESSION);
    let model = BlitzModel::new(&s);
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| simulate_blitz(&model, 200, 5))
    };
    assert_eq!(on(1), on(2));
}

#[test]
fn log_columns_can_be_mapped_and_every_blitz_written_as_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("export.csv");
    let csv = dir.path().join("blitzes.csv");
    let text = std::fs::read_to_string(shipped("blitz-leader-involved.csv")).unwrap();
    std::fs::write(&log, text.replacen("lead_id,timestamp", "Lead,When", 1)).unwrap();
    let stdout = stdout_of(
        callblitz()
            .args(["blitz", &shipped("blitz-leader-involved.toml"), "--json"])
            .args([
                "--replications",
                "50",
                "--lead-col",
                "Lead",
                "--time-col",
                "When",
            ])
            .arg("--actual")
            .arg(&log)
            .arg("--csv")
            .arg(&csv),
    );
    let json: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(json["actual"]["total"]["values"]["dials"]["actual"], 853.0);
    let rows = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(rows.lines().count(), 51, "a header and a row per blitz");
    assert!(
        rows.starts_with("replication,Leader dials: dials,"),
        "{rows}"
    );
    rejects_log(
        "Lead,When,channel,outcome,rep",
        &["L1,2026-03-05T09:00:00,call,no_answer,Ana"],
        &["no `lead_id` column", "--lead-col"],
    );
}
