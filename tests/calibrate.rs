//! `calibrate`: logs simulated from known parameters are fitted back within their intervals,
//! the intervals cover as often as they claim, and bad rows are named by line.

use std::path::{Path, PathBuf};

use callblitz::calibrate::{Calibration, Evidence, FitOptions, Parameter, Rate};
use callblitz::calllog::{Options, write_cohort_log};
use callblitz::engine::CohortModel;
use callblitz::scenario::{Channel, Override, Scenario, Uncertain, load_str};
use serde_json::Value;

use crate::common::{assert_png, assert_refused, assert_within, callblitz, scenario, stdout_of};

/// Writes the call log of one replication of scenario `text` into `dir`.
fn simulated_log(dir: &Path, name: &str, text: &str) -> PathBuf {
    log_of(dir, name, &scenario(text))
}

/// Writes the call log of one replication of `s` into `dir`.
fn log_of(dir: &Path, name: &str, s: &Scenario) -> PathBuf {
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write_cohort_log(s, &CohortModel::new(s), &mut file).unwrap();
    drop(file);
    path
}

/// The shipped cold-outbound defaults, with `sets` applied as `--set` would.
fn cold_outbound(sets: &[String]) -> Scenario {
    let text = std::fs::read_to_string(crate::common::shipped("cold-outbound.toml")).unwrap();
    let overrides: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    load_str(&text, "cold-outbound.toml", &overrides).unwrap()
}

/// The shipped defaults' population: mean 0.18, concentration 3, decay 0.92, a quarter
/// unreachable (scenarios/cold-outbound.toml).
const DEFAULTS: [(Parameter, f64); 6] = [
    (Parameter::Mean, 0.18),
    (Parameter::Concentration, 3.0),
    (Parameter::Alpha, 0.54),
    (Parameter::Beta, 2.46),
    (Parameter::Unreachable, 0.25),
    (Parameter::Decay, 0.92),
];

/// Whether `value` lies in the 95% interval `c` reports for `quantity`.
fn covers(c: &Calibration, quantity: Parameter, value: f64) -> bool {
    let rate = c.quantity(quantity).unwrap();
    rate.ci95[0] <= value && value <= rate.ci95[1]
}

/// Fits the log at `log`, decay free; `unreachable` also fits an unreachable share.
fn calibrate(log: &Path, unreachable: bool) -> Calibration {
    fit(
        log,
        FitOptions {
            unreachable,
            decay: None,
        },
    )
}

fn fit(log: &Path, options: FitOptions) -> Calibration {
    let evidence = Evidence::read(log, &Options::default()).unwrap();
    Calibration::new(evidence, options).unwrap()
}

/// A known population and what the fit should find.
struct Truth {
    text: &'static str,
    mean: f64,
    concentration: f64,
    unreachable: Option<f64>,
    responses: &'static [(Channel, f64)],
}

const TRUTHS: [Truth; 4] = [
    // Calls only, half the leads dropped after the third.
    Truth {
        text: r#"
            [simulation]
            seed = 11
            [leads]
            count = 20000
            reachability = { mean = 0.1, concentration = 10.0, decay = 1.0 }
            unreachable = 0.0
            [cadence]
            attempts = 16
            days = 28
            [reps]
            give_up = [{ after = 3, share = 0.5 }]
        "#,
        mean: 0.1,
        concentration: 10.0,
        unreachable: None,
        responses: &[],
    },
    // A quarter unreachable, a multichannel cadence.
    Truth {
        text: r#"
            [simulation]
            seed = 12
            [leads]
            count = 30000
            reachability = { mean = 0.15, concentration = 3.0, decay = 1.0 }
            unreachable = 0.25
            [cadence]
            touches = [
              { day = 0, channel = "call" }, { day = 0, channel = "email" },
              { day = 2, channel = "voicemail" }, { day = 4, channel = "call" },
              { day = 4, channel = "email" }, { day = 7, channel = "call" },
              { day = 9, channel = "voicemail" }, { day = 11, channel = "email" },
              { day = 14, channel = "call" }, { day = 16, channel = "call" },
              { day = 18, channel = "voicemail" }, { day = 21, channel = "email" },
              { day = 23, channel = "call" }, { day = 25, channel = "voicemail" },
              { day = 27, channel = "call" }, { day = 27, channel = "email" },
            ]
            [channels.voicemail]
            response = 0.95
            [channels.email]
            response = 0.2
            [reps]
            give_up = []
        "#,
        mean: 0.15,
        concentration: 3.0,
        unreachable: Some(0.25),
        responses: &[(Channel::Voicemail, 0.95), (Channel::Email, 0.2)],
    },
    // A hard list: a third unreachable, the rest spread wide.
    Truth {
        text: r#"
            [simulation]
            seed = 13
            [leads]
            count = 30000
            reachability = { mean = 0.08, concentration = 2.0, decay = 1.0 }
            unreachable = 0.3
            [cadence]
            attempts = 12
            days = 21
            [reps]
            give_up = [{ after = 2, share = 0.2 }, { after = 6, share = 0.3 }]
        "#,
        mean: 0.08,
        concentration: 2.0,
        unreachable: Some(0.3),
        responses: &[],
    },
    // An easy, alike list worked by calls and InMail.
    Truth {
        text: r#"
            [simulation]
            seed = 14
            [leads]
            count = 10000
            reachability = { mean = 0.3, concentration = 50.0, decay = 1.0 }
            unreachable = 0.0
            [cadence]
            touches = [
              { day = 0, channel = "call" }, { day = 1, channel = "inmail" },
              { day = 3, channel = "call" }, { day = 5, channel = "inmail" },
              { day = 8, channel = "call" }, { day = 10, channel = "inmail" },
            ]
            [channels.inmail]
            response = 0.3
            [reps]
            give_up = []
        "#,
        mean: 0.3,
        concentration: 50.0,
        unreachable: None,
        responses: &[(Channel::Inmail, 0.3)],
    },
];

#[test]
fn simulated_logs_are_fitted_back_within_their_intervals() {
    // 99.9% profile intervals: with some twenty quantities checked, a correct fit fails this
    // test about once in fifty seeds; a biased one fails it every time.
    let dir = tempfile::tempdir().unwrap();
    for (i, truth) in TRUTHS.iter().enumerate() {
        let log = simulated_log(dir.path(), &format!("log{i}.csv"), truth.text);
        let c = calibrate(&log, truth.unreachable.is_some());
        let mut expected = vec![
            (Parameter::Mean, truth.mean),
            (Parameter::Concentration, truth.concentration),
            (Parameter::Alpha, truth.mean * truth.concentration),
            (Parameter::Beta, (1.0 - truth.mean) * truth.concentration),
            (Parameter::Decay, 1.0),
        ];
        if let Some(share) = truth.unreachable {
            expected.push((Parameter::Unreachable, share));
        }
        for &(channel, response) in truth.responses {
            expected.push((Parameter::Response(channel), response));
        }
        for (quantity, value) in expected {
            let interval = c.fit.interval(quantity, 0.999).unwrap();
            let hi = interval.hi.unwrap_or(f64::INFINITY);
            assert!(
                interval.lo <= value && value <= hi,
                "set {i}: {quantity:?} = {value} outside the 99.9% interval {} – {hi}",
                interval.lo
            );
            // The 95% interval is inside the 99.9% one and holds the estimate.
            let rate = c.quantity(quantity).unwrap();
            assert!(interval.lo <= rate.ci95[0] && rate.ci95[1] <= hi);
            assert!(rate.ci95[0] <= rate.estimate && rate.estimate <= rate.ci95[1]);
        }
        let test = c.test.expect("enough attempts to test the fit");
        assert!(
            test.p_value > 0.001,
            "set {i}: the true model misfits: {test:?}"
        );
    }
}

#[test]
fn give_up_and_appointments_are_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let truth = &TRUTHS[2];
    let log = simulated_log(dir.path(), "log.csv", truth.text);
    let c = calibrate(&log, true);
    let leads = c.evidence.leads as f64;
    // Kaplan–Meier shares: about binomial among the leads still unreached at the point.
    let share = |after: usize| {
        c.give_up
            .iter()
            .find(|&&(k, _)| k == after)
            .map_or(0.0, |&(_, s)| s)
    };
    for (after, expected) in [(2, 0.2), (6, 0.3), (12, 0.5)] {
        let at_risk = c.attempts[after - 1].leads as f64;
        let se = (expected * (1.0 - expected) / at_risk).sqrt() * leads / at_risk;
        assert_within(
            &format!("dropped after {after}"),
            share(after),
            expected,
            se,
        );
    }
    assert_eq!(c.give_up.len(), 3, "{:?}", c.give_up);
    let rate = c
        .rates
        .iter()
        .find(|(name, _)| name == "appointment_rate")
        .unwrap()
        .1;
    let reached = c.evidence.reached as f64;
    let p = scenario(truth.text).funnel.appointment_rate;
    assert_within(
        "appointment rate",
        rate.estimate,
        p,
        (p * (1.0 - p) / reached).sqrt(),
    );
}

#[test]
fn ninety_five_percent_intervals_cover_about_as_often_as_they_claim() {
    // 30 small logs: a 95% interval misses 1.5 times on average; 7 or more misses has a chance
    // below 0.001 when the coverage is right, and is what too-narrow intervals give.
    let dir = tempfile::tempdir().unwrap();
    let mut misses = [0; 2];
    for seed in 0..30 {
        let text = format!(
            "[simulation]\nseed = {}\n[leads]\ncount = 1500\nunreachable = 0.0\n\
             reachability = {{ mean = 0.12, concentration = 6.0, decay = 1.0 }}\n\
             [cadence]\nattempts = 8\ndays = 14\n[reps]\ngive_up = []\n",
            100 + seed
        );
        let text: &'static str = Box::leak(text.into_boxed_str());
        let log = simulated_log(dir.path(), "small.csv", text);
        let c = calibrate(&log, false);
        for (slot, (quantity, value)) in [(Parameter::Mean, 0.12), (Parameter::Concentration, 6.0)]
            .into_iter()
            .enumerate()
        {
            let rate = c.quantity(quantity).unwrap();
            if !(rate.ci95[0] <= value && value <= rate.ci95[1]) {
                misses[slot] += 1;
            }
        }
    }
    assert!(misses.iter().all(|&m| m <= 6), "misses of 30: {misses:?}");
}

#[test]
fn calibrate_writes_json_a_scenario_fragment_and_a_chart() {
    let dir = tempfile::tempdir().unwrap();
    let log = simulated_log(dir.path(), "log.csv", TRUTHS[1].text);
    let fragment = dir.path().join("fitted.toml");
    let chart = dir.path().join("fit.png");
    let json: Value = serde_json::from_slice(&stdout_of(
        callblitz()
            .arg("calibrate")
            .arg(&log)
            .args(["--unreachable", "--json", "--scenario"])
            .arg(&fragment)
            .arg("--chart")
            .arg(&chart),
    ))
    .unwrap();
    assert_eq!(json["leads"], 30000);
    for key in ["alpha", "beta", "mean", "concentration"] {
        assert!(json["reachability"][key].as_f64().unwrap() > 0.0, "{key}");
    }
    let attempts = json["contact_by_attempt"].as_array().unwrap();
    assert_eq!(attempts.len(), 16);
    assert_eq!(attempts[0]["attempt"], 1);
    assert!(attempts[0]["observed"].as_f64().is_some() && attempts[0]["fitted"].is_f64());
    let rate = &json["rates"]["email_response"];
    let [lo, hi] = [0, 1].map(|i| rate["ci95"][i].as_f64().unwrap());
    assert!(lo < rate["estimate"].as_f64().unwrap() && rate["estimate"].as_f64().unwrap() < hi);
    assert!(json["rates"]["appointment_rate"]["estimate"].is_f64());
    assert_png(&chart, 1100, 1000);
    // The fragment is a scenario that the other commands run, with the fitted numbers.
    let shown: Value = serde_json::from_slice(&stdout_of(
        callblitz()
            .args(["scenario", "show", "--json"])
            .arg(&fragment),
    ))
    .unwrap();
    let fitted = |path: &[&str]| {
        path.iter()
            .fold(&shown, |v, key| &v[*key])
            .as_f64()
            .unwrap()
    };
    let mean = json["reachability"]["mean"].as_f64().unwrap();
    assert!((fitted(&["leads", "reachability", "mean"]) / mean - 1.0).abs() < 1e-4);
    let decay = json["reachability"]["decay"].as_f64().unwrap();
    assert!((fitted(&["leads", "reachability", "decay"]) / decay - 1.0).abs() < 1e-3);
    let unreachable = json["reachability"]["unreachable"].as_f64().unwrap();
    assert!((fitted(&["leads", "unreachable"]) - unreachable).abs() < 1e-4);
    let email = rate["estimate"].as_f64().unwrap();
    assert!((fitted(&["channels", "email", "response"]) / email - 1.0).abs() < 1e-3);
    stdout_of(
        callblitz()
            .arg("simulate")
            .arg(&fragment)
            .args(["--replications", "20"]),
    );
}

/// Runs `calibrate` on a log of `rows` under `header` with `flags`, expecting exit code 2 and
/// every `expected` text on stderr.
fn rejects(header: &str, rows: &[&str], flags: &[&str], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    std::fs::write(&log, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    let output = callblitz()
        .arg("calibrate")
        .arg(&log)
        .args(flags)
        .output()
        .unwrap();
    assert_refused(&output, expected);
}

const HEADER: &str = "lead_id,timestamp,channel,outcome";
const GOOD: [&str; 3] = [
    "L1,2026-03-02T09:00:00,call,no_answer",
    "L1,2026-03-03T09:00:00,call,conversation",
    "L2,2026-03-02T09:05:00,call,no_answer",
];

#[test]
fn bad_rows_are_named_by_line() {
    fn with(bad: &str) -> [&str; 4] {
        [GOOD[0], GOOD[1], bad, GOOD[2]]
    }
    rejects(
        HEADER,
        &with("L3,March 2nd,call,no_answer"),
        &[],
        &["log.csv:4: timestamp = \"March 2nd\"", "ISO 8601"],
    );
    rejects(
        HEADER,
        &with("L3,2026-03-02T09:00:00,call,Connected"),
        &[],
        &[
            "log.csv:4: outcome = \"Connected\"",
            "--outcome-map \"Connected=conversation,Left Voicemail=voicemail\"",
        ],
    );
    rejects(
        HEADER,
        &with("L3,2026-03-02T09:00:00,Phone,no_answer"),
        &[],
        &["log.csv:4: channel = \"Phone\"", "--channel-map"],
    );
    rejects(
        HEADER,
        &with(",2026-03-02T09:00:00,call,no_answer"),
        &[],
        &["log.csv:4: lead_id", "the lead it touched"],
    );
    rejects(
        HEADER,
        &with("L3,2026-03-02T09:00:00,call"),
        &[],
        &["log.csv:4", "3 fields but the header has 4"],
    );
    rejects(
        "lead,when,channel,outcome",
        &GOOD,
        &[],
        &["log.csv:1", "no `lead_id` column", "--lead-col"],
    );
    rejects(
        HEADER,
        &GOOD,
        &["--outcome-map", "Connected"],
        &["--outcome-map \"Connected\"", "LABEL=VALUE"],
    );
    rejects(
        HEADER,
        &GOOD,
        &["--channel-map", "=call"],
        &["--channel-map \"=call\"", "the label before = is empty"],
    );
    rejects(
        HEADER,
        &GOOD,
        &["--rep-col", "salesperson"],
        &["log.csv:1", "no `salesperson` column"],
    );
    rejects(
        HEADER,
        &GOOD,
        &["--scenario", "/no/such/folder/fitted.toml"],
        &["--scenario /no/such/folder/fitted.toml: the folder /no/such/folder does not exist"],
    );
    rejects(
        HEADER,
        &["L1,2026-03-02T09:00:00,email,no_answer"],
        &[],
        &["no calls"],
    );
    rejects(
        HEADER,
        &[
            "L1,2026-03-02T09:00:00,call,no_answer",
            "L1,2026-03-03T09:00:00,email,conversation",
        ],
        &[],
        &["no call reached anyone"],
    );
    rejects(
        HEADER,
        &["L1,2026-03-02T09:00:00,call,no_answer"],
        &[],
        &["no lead in the log had a conversation"],
    );
    for decay in ["0", "1.5", "nan"] {
        rejects(
            HEADER,
            &GOOD,
            &["--decay", decay],
            &["--decay ", "from above 0 to 1", "leave --decay out"],
        );
    }
    rejects(
        HEADER,
        &GOOD,
        &["--segment-col", "kare"],
        &["log.csv:1", "no `kare` column", "--segment-col"],
    );
    let segmented = "lead_id,timestamp,channel,outcome,kare";
    rejects(
        segmented,
        &[
            "L1,2026-03-02T09:00:00,call,no_answer,attain",
            "L1,2026-03-03T09:00:00,call,conversation,expand",
        ],
        &["--segment-col", "kare"],
        &[
            "log.csv:3",
            "segment \"expand\" and an earlier row in \"attain\"",
        ],
    );
    rejects(
        segmented,
        &["L1,2026-03-02T09:00:00,call,no_answer,"],
        &["--segment-col", "kare"],
        &["log.csv:2", "every row needs the lead's segment"],
    );
    rejects(
        segmented,
        &[
            "L1,2026-03-02T09:00:00,call,conversation,attain",
            "L2,2026-03-02T09:00:00,call,no_answer,expand",
        ],
        &["--segment-col", "kare"],
        &["segment \"expand\": no lead in the log had a conversation"],
    );
}

#[test]
fn skip_invalid_reports_how_many_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    let mut rows = vec![HEADER.to_string()];
    for lead in 0..200 {
        for attempt in 0..4 {
            let outcome = if (lead + attempt) % 7 == 0 {
                "Connected"
            } else {
                "Left Voicemail"
            };
            rows.push(format!(
                "L{lead},2026-03-0{}T09:00:00,Phone,{outcome}",
                attempt + 2
            ));
        }
    }
    for bad in [5, 9, 30, 31, 40, 77, 300] {
        rows[bad] = "L1,not a time,Phone,Connected".to_string();
    }
    std::fs::write(&log, rows.join("\n") + "\n").unwrap();
    let maps = [
        "--outcome-map",
        "Left Voicemail=voicemail,Connected=conversation",
        "--channel-map",
        "Phone=call",
    ];
    let output = callblitz()
        .arg("calibrate")
        .arg(&log)
        .args(maps)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("log.csv:6: timestamp"));
    let json: Value = serde_json::from_slice(&stdout_of(
        callblitz()
            .arg("calibrate")
            .arg(&log)
            .args(maps)
            .args(["--skip-invalid", "--json"]),
    ))
    .unwrap();
    assert_eq!(json["skipped_rows"], 7);
    assert_eq!(json["touches"], 800 - 7);
    let table = String::from_utf8(stdout_of(
        callblitz()
            .arg("calibrate")
            .arg(&log)
            .args(maps)
            .arg("--skip-invalid"),
    ))
    .unwrap();
    assert!(
        table.contains("skipped 7 invalid row(s), on line(s) 6, 10, 31, 32, 41, …"),
        "{table}"
    );
}

#[test]
fn a_simulated_log_makes_the_touches_the_closed_form_expects() {
    let text = TRUTHS[0].text;
    let s = scenario(text);
    let model = CohortModel::new(&s);
    let expected = model.lead().expected_per_lead();
    let dir = tempfile::tempdir().unwrap();
    let log = simulated_log(dir.path(), "log.csv", text);
    let (touches, _) = callblitz::calllog::read(&log, &Options::default()).unwrap();
    let leads = s.leads.count as f64;
    let mut per_lead = std::collections::HashMap::<&str, f64>::new();
    for touch in &touches {
        *per_lead.entry(&touch.lead_id).or_default() += 1.0;
    }
    assert_eq!(per_lead.len() as f64, leads);
    let stats: callblitz::stats::Sample = per_lead.values().copied().collect();
    assert_within(
        "touches per lead",
        stats.moments().mean(),
        expected.touches,
        (stats.moments().variance() / leads).sqrt(),
    );
    let contacts = touches
        .iter()
        .filter(|t| t.outcome.is_conversation())
        .count() as f64;
    assert_within(
        "contacts per lead",
        contacts / leads,
        expected.contacts,
        (expected.contacts * (1.0 - expected.contacts) / leads).sqrt(),
    );
    // Simulated logs are cohort runs only.
    let output = callblitz()
        .arg("simulate")
        .arg(crate::common::shipped("new-hire-kpis.toml"))
        .args(["--calendar", "--log"])
        .arg(dir.path().join("x.csv"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn odd_logs_still_give_fragments_the_other_commands_accept() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, rows: &[String]| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
        path
    };
    let touch = |lead: usize, day: usize, channel: &str, outcome: &str| {
        format!(
            "L{lead},2026-03-{:02}T09:00:00,{channel},{outcome}",
            day + 1
        )
    };
    // Every lead reached on its first call: the mean is near 1 and must stay below it.
    let all_first: Vec<String> = (0..3)
        .map(|l| touch(l, 0, "call", "conversation"))
        .collect();
    // A third of the leads dropped after 2 touches, a third after 5, the rest reached on touch
    // 8: both drop points are real give-up points, not "the whole cadence".
    let mut dropped = Vec::new();
    for lead in 0..60 {
        let (touches, reached) = match lead % 3 {
            0 => (2, false),
            1 => (5, false),
            _ => (8, true),
        };
        for k in 0..touches {
            let outcome = if reached && k + 1 == touches {
                "conversation"
            } else {
                "no_answer"
            };
            dropped.push(touch(lead, k, "call", outcome));
        }
    }
    // Email reaches more leads than calls do: its response stays at the bound of 1.
    let mut email_better = Vec::new();
    for lead in 0..400 {
        email_better.push(touch(
            lead,
            0,
            "call",
            if lead % 10 == 0 {
                "conversation"
            } else {
                "no_answer"
            },
        ));
        if lead % 10 != 0 {
            email_better.push(touch(
                lead,
                1,
                "email",
                if lead % 3 == 0 {
                    "conversation"
                } else {
                    "no_answer"
                },
            ));
        }
    }
    for (name, rows, zero_inflated) in [
        ("all-first.csv", all_first, true),
        ("dropped.csv", dropped, false),
        ("email-better.csv", email_better, false),
    ] {
        let log = write(name, &rows);
        let fragment = dir.path().join(format!("{name}.toml"));
        let mut command = callblitz();
        command
            .arg("calibrate")
            .arg(&log)
            .arg("--scenario")
            .arg(&fragment);
        if zero_inflated {
            command.arg("--unreachable");
        }
        let table = String::from_utf8(stdout_of(&mut command)).unwrap();
        // A fragment describes the log's cohort; plan it only once its goal suits it.
        stdout_of(
            callblitz()
                .args(["scenario", "check", "--for", "cohort", "--for", "calendar"])
                .arg(&fragment),
        );
        let text = std::fs::read_to_string(&fragment).unwrap();
        match name {
            "dropped.csv" => {
                assert!(
                    text.contains("{ after = 2, share = 0.3333 }, { after = 5, share = 0.3333 }"),
                    "{text}"
                );
            }
            "email-better.csv" => {
                assert!(text.contains("response = 1.0"), "{text}");
                assert!(
                    table.contains("email response is at its bound of 1"),
                    "{table}"
                );
            }
            _ => assert!(!text.contains("mean = 1.0,"), "{text}"),
        }
    }
}

#[test]
fn a_simulated_log_dials_on_working_days_only() {
    // From a Monday start the 16-touch cadence's days 4, 11, 18 and 25 are Fridays and its last
    // day, 27, a Sunday: those touches land on the Monday after.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    stdout_of(
        callblitz()
            .args(["simulate", &crate::common::shipped("sixteen-touch.toml")])
            .args(["--set", "leads.count=300", "--log"])
            .arg(&log),
    );
    let weekdays = crate::common::weekdays_of_log(&log);
    assert!(weekdays.iter().sum::<u32>() > 0);
    assert_eq!(weekdays[5..], [0, 0], "touches on a weekend: {weekdays:?}");
}

#[test]
fn a_simulated_log_keeps_spaced_touches_on_distinct_working_days() {
    // Days 5 and 6 are a Saturday and a Sunday: the touches due then fall to Monday and, as in
    // the calendar, the ones after each to a working day later than the touch before.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    stdout_of(
        callblitz()
            .args(["simulate", &crate::common::shipped("cold-outbound.toml")])
            .args([
                "--set",
                "leads.count=200",
                "--set",
                "leads.unreachable=0.99",
            ])
            .args([
                "--set",
                "cadence={touches=[{day=0,channel=\"call\"},{day=5,channel=\"call\"},\
                 {day=6,channel=\"voicemail\"},{day=7,channel=\"call\"}]}",
                "--log",
            ])
            .arg(&log),
    );
    let text = std::fs::read_to_string(&log).unwrap();
    let mut days: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for row in text.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        days.entry(cells[0]).or_default().push(&cells[1][..10]);
    }
    let unreached: Vec<&Vec<&str>> = days.values().filter(|d| d.len() == 4).collect();
    assert!(!unreached.is_empty());
    for dates in unreached {
        assert_eq!(
            dates[..],
            ["2026-01-05", "2026-01-12", "2026-01-13", "2026-01-14"]
        );
    }
}

/// The cadence of scenarios/sixteen-touch.toml: 7 calls, 4 voicemails and 5 emails.
const SIXTEEN_TOUCHES: &str = "cadence={touches=[\
    {day=0,channel=\"call\"},{day=0,channel=\"email\"},{day=2,channel=\"voicemail\"},\
    {day=4,channel=\"call\"},{day=4,channel=\"email\"},{day=7,channel=\"call\"},\
    {day=9,channel=\"voicemail\"},{day=11,channel=\"email\"},{day=14,channel=\"call\"},\
    {day=16,channel=\"call\"},{day=18,channel=\"voicemail\"},{day=21,channel=\"email\"},\
    {day=23,channel=\"call\"},{day=25,channel=\"voicemail\"},{day=27,channel=\"call\"},\
    {day=27,channel=\"email\"}]}";

#[test]
fn the_shipped_defaults_are_fitted_back_within_their_95_percent_intervals() {
    // Over ten calls a lead that can never be reached and a reachable one whose chance has
    // decayed look much alike, so the unreachable share and decay trade off against each
    // other: 200,000 leads is the size at which decay's interval leaves out 1 (the log shows
    // its decay beyond chance) and the mean is known to about ±0.05; the unreachable share
    // stays wide (about 0 to 0.4). The sixteen-touch cadence of calls, voicemails and emails
    // (on 100,000 leads) adds its two channel responses.
    let dir = tempfile::tempdir().unwrap();
    // The shipped seed, as `callblitz simulate scenarios/cold-outbound.toml --log` draws it.
    let calls = cold_outbound(&["leads.count=200000".into()]);
    let sixteen = cold_outbound(&["leads.count=100000".into(), SIXTEEN_TOUCHES.into()]);
    let logs = [
        (log_of(dir.path(), "calls.csv", &calls), vec![]),
        (
            log_of(dir.path(), "sixteen.csv", &sixteen),
            vec![
                (Parameter::Response(Channel::Voicemail), 0.95),
                (Parameter::Response(Channel::Email), 0.2),
            ],
        ),
    ];
    for (log, responses) in logs {
        let c = calibrate(&log, true);
        for (quantity, value) in DEFAULTS.into_iter().chain(responses) {
            let rate = c.quantity(quantity).unwrap();
            assert!(
                covers(&c, quantity, value),
                "{}: {quantity:?} = {value} outside its 95% interval {:?}",
                log.display(),
                rate.ci95
            );
        }
        let decay = c.quantity(Parameter::Decay).unwrap();
        assert!(
            decay.ci95[1] < 1.0,
            "the log's decay is not seen: {decay:?}"
        );
        assert!(c.test.unwrap().p_value > 0.001, "{:?}", c.test);
    }
}

#[test]
fn intervals_with_decay_cover_about_as_often_as_they_claim() {
    // 20 logs of 20,000 leads from the shipped defaults. A 95% interval misses once in 20 on
    // average; 6 or more misses of one quantity has a chance of 0.0003 when its coverage is
    // right (binomial, 20 logs, 5%), and is what intervals half as wide as they should be give.
    let dir = tempfile::tempdir().unwrap();
    let mut misses = [0; DEFAULTS.len()];
    for seed in 0..20 {
        let s = cold_outbound(&[
            "leads.count=20000".into(),
            format!("simulation.seed={}", 200 + seed),
        ]);
        let c = calibrate(&log_of(dir.path(), "log.csv", &s), true);
        for (miss, &(quantity, value)) in misses.iter_mut().zip(&DEFAULTS) {
            *miss += u32::from(!covers(&c, quantity, value));
        }
    }
    assert!(misses.iter().all(|&m| m <= 5), "misses of 20: {misses:?}");
}

/// A log of `leads` leads from the shipped defaults' population, each called ten times over 28
/// days until reached, in which a share `shown` of the unreachable leads shows a bad number on
/// every call (with `keep_dialing`, as a dialer's sequence does; else the rep stops there); and
/// the same log with every bad number written as no answer, as a log that does not record them.
fn logs_with_bad_numbers(
    dir: &Path,
    leads: usize,
    shown: f64,
    keep_dialing: bool,
) -> (PathBuf, PathBuf) {
    use rand::SeedableRng;
    use rand_distr::{Beta, Distribution};
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(31);
    let beta = Beta::new(0.54, 2.46).unwrap();
    let mut rows = Vec::new();
    for lead in 0..leads {
        let unreachable = uniform_of(&mut rng) < 0.25;
        let bad = unreachable && uniform_of(&mut rng) < shown;
        let p = if unreachable {
            0.0
        } else {
            beta.sample(&mut rng)
        };
        for k in 0..10 {
            let outcome = if bad {
                "bad_number"
            } else if uniform_of(&mut rng) < p * 0.92f64.powi(k) {
                "conversation"
            } else {
                "no_answer"
            };
            rows.push(format!(
                "L{lead},2026-01-{:02}T{:02}:{:02}:00Z,call,{outcome}",
                5 + k * 28 / 10,
                9 + lead % 8,
                lead % 60
            ));
            if outcome == "conversation" || bad && !keep_dialing {
                break;
            }
        }
    }
    let write = |name: &str, text: String| {
        let path = dir.join(name);
        std::fs::write(&path, format!("{HEADER}\n{text}\n")).unwrap();
        path
    };
    let text = rows.join("\n");
    let relabelled = text.replace("bad_number", "no_answer");
    (write("bad.csv", text), write("relabelled.csv", relabelled))
}

/// A uniform draw in [0, 1).
fn uniform_of(rng: &mut impl rand::Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

#[test]
fn bad_numbers_narrow_and_correct_the_unreachable_share() {
    // 50,000 leads; 60% of the unreachable quarter show a bad number, so 15% of the leads are
    // known to be unreachable.
    let dir = tempfile::tempdir().unwrap();
    let unreachable = |c: &Calibration| c.quantity(Parameter::Unreachable).unwrap();
    // A dialer that keeps calling a bad number: without the labels those leads are ten
    // unanswered calls, which the fit must share between the unreachable and the hard to
    // reach; with them, the share cannot fall below the leads known to be unreachable.
    let (bad, relabelled) = logs_with_bad_numbers(dir.path(), 50_000, 0.6, true);
    let with = calibrate(&bad, true);
    let without = calibrate(&relabelled, true);
    let flagged = with.evidence.bad_number_leads as f64 / with.evidence.leads as f64;
    assert!(covers(&with, Parameter::BadNumberShare, 0.6));
    for c in [&with, &without] {
        assert!(
            covers(c, Parameter::Unreachable, 0.25),
            "{:?}",
            unreachable(c)
        );
    }
    let width = |rate: Rate| rate.ci95[1] - rate.ci95[0];
    assert!(
        unreachable(&with).ci95[0] >= 0.95 * flagged,
        "{:?}",
        unreachable(&with)
    );
    assert!(
        width(unreachable(&with)) < width(unreachable(&without)) - 0.5 * flagged,
        "with bad numbers {:?}, without {:?}",
        unreachable(&with),
        unreachable(&without)
    );
    // A rep who stops at a bad number: without the labels those leads look dropped after one
    // call, as if they were like the rest, and the fit misreads the share.
    let (bad, relabelled) = logs_with_bad_numbers(dir.path(), 50_000, 0.6, false);
    let with = calibrate(&bad, true);
    let without = calibrate(&relabelled, true);
    assert!(
        covers(&with, Parameter::Unreachable, 0.25),
        "{:?}",
        unreachable(&with)
    );
    let error = |c: &Calibration| (unreachable(c).estimate - 0.25).abs();
    assert!(
        error(&with) < error(&without),
        "with bad numbers {:?}, without {:?}",
        unreachable(&with),
        unreachable(&without)
    );
    // Without --unreachable the leads with bad numbers are the only unreachable ones.
    let only_bad = calibrate(&bad, false);
    let fitted = unreachable(&only_bad).estimate;
    assert!(
        (fitted - flagged).abs() < 1e-3,
        "{fitted} against {flagged}"
    );
}

/// How many of `logs` logs of `leads` leads, drawn from the shipped defaults with every lead
/// reachable and decay `decay`, have each warning when fitted with decay held at 1: the
/// likelihood-ratio test of decay, and the Pearson test by attempt.
fn warnings_with_decay_held(logs: u64, leads: u32, decay: f64) -> [u32; 2] {
    let dir = tempfile::tempdir().unwrap();
    let mut flagged = [0; 2];
    for seed in 0..logs {
        let s = cold_outbound(&[
            format!("leads.count={leads}"),
            format!("simulation.seed={}", 400 + seed),
            "leads.unreachable=0".into(),
            format!("leads.reachability.decay={decay}"),
        ]);
        let c = fit(
            &log_of(dir.path(), "log.csv", &s),
            FitOptions {
                unreachable: false,
                decay: Some(1.0),
            },
        );
        let alarm = |p: f64| u32::from(p < callblitz::calibrate::ALARM);
        flagged[0] += alarm(c.decay_test.unwrap().p_value);
        flagged[1] += alarm(c.test.unwrap().p_value);
    }
    flagged
}

#[test]
fn a_decay_held_at_1_is_flagged_with_the_stated_power() {
    // 10,000 leads from the shipped defaults without their unreachable quarter (decay 0.92),
    // fitted with decay held at 1: the likelihood ratio's noncentrality is 10.7 at this size
    // (215.5 measured on 200,000 leads, less the 1 of a χ²₁), so the one-sided test at 5% has
    // power Φ(√10.7 − 1.645) = 0.95. Of 40 logs, 38 are flagged on average; 31 or fewer is
    // more than 4.5 binomial standard errors (1.4 logs) short.
    let [decay, _] = warnings_with_decay_held(40, 10_000, 0.92);
    assert!(decay >= 32, "{decay} of 40 logs flagged");
}

#[test]
fn logs_from_the_fitted_model_are_flagged_at_the_nominal_rate() {
    // The same logs with decay 1: each warning fires in 5% of them, 2 of 40 on average; 9 or
    // more is over 4.5 binomial standard errors (1.4 logs) above.
    let flagged = warnings_with_decay_held(40, 10_000, 1.0);
    assert!(
        flagged.iter().all(|&n| n <= 8),
        "flagged of 40: {flagged:?}"
    );
}

#[test]
fn segments_are_fitted_apart_and_written_as_leads_segments() {
    // Two populations in one log, told apart by a `kare` column.
    let dir = tempfile::tempdir().unwrap();
    let attain = cold_outbound(&["leads.count=20000".into(), "simulation.seed=51".into()]);
    let expand = cold_outbound(&[
        "leads.count=10000".into(),
        "simulation.seed=52".into(),
        "leads.reachability={mean=0.35,concentration=5.0,decay=0.95}".into(),
        "leads.unreachable=0.1".into(),
    ]);
    let mut merged = String::from("lead_id,timestamp,channel,outcome,rep,kare\n");
    for (name, s) in [("attain", &attain), ("expand", &expand)] {
        let log = log_of(dir.path(), &format!("{name}.csv"), s);
        let text = std::fs::read_to_string(log).unwrap();
        for row in text.lines().skip(1) {
            merged.push_str(&format!("{name}-{row},{name}\n"));
        }
    }
    let log = dir.path().join("log.csv");
    std::fs::write(&log, merged).unwrap();
    let fragment = dir.path().join("fitted.toml");
    let json: Value = serde_json::from_slice(&stdout_of(
        callblitz()
            .arg("calibrate")
            .arg(&log)
            .args([
                "--unreachable",
                "--segment-col",
                "kare",
                "--json",
                "--scenario",
            ])
            .arg(&fragment),
    ))
    .unwrap();
    let segments = json["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 2);
    assert_eq!(json["leads"], 30000);
    // The fragment's [[leads.segments]], in the agreed format, which the other commands read.
    let text = std::fs::read_to_string(&fragment).unwrap();
    let loaded = scenario(&text);
    let names: Vec<&str> = loaded
        .leads
        .segments
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["attain", "expand"]);
    // Every segment gives its own reachability and appointment rate: the whole log's
    // intervals on them would draw for no lead, so the fragment leaves them out and says so.
    for key in ["leads.reachability.mean", "funnel.appointment_rate"] {
        assert!(!loaded.uncertainty.intervals.contains_key(key), "{text}");
        assert!(
            loaded
                .groups_reading(Uncertain::from_key(key).unwrap())
                .is_empty()
        );
    }
    assert!(
        text.contains("# Not drawn (each segment gives its own")
            && text.contains("leads.reachability.mean, funnel.appointment_rate"),
        "{text}"
    );
    let parsed: toml::Table = text.parse().unwrap();
    let entries = parsed["leads"]["segments"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let mut total = 0.0;
    for ((entry, segment), (name, leads)) in entries
        .iter()
        .zip(segments)
        .zip([("attain", 20000.0), ("expand", 10000.0)])
    {
        let entry = entry.as_table().unwrap();
        let keys: Vec<&str> = entry.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["funnel", "name", "reachability", "share", "unreachable"],
            "{text}"
        );
        assert_eq!(entry["name"].as_str(), Some(name));
        assert_eq!(segment["name"], name);
        assert_eq!(segment["leads"], leads as u64);
        let share = entry["share"].as_float().unwrap();
        assert!((share - leads / 30000.0).abs() < 1e-6, "{share}");
        total += share;
        let reach = entry["reachability"].as_table().unwrap();
        let keys: Vec<&str> = reach.keys().map(String::as_str).collect();
        assert_eq!(keys, ["concentration", "decay", "mean"]);
        for (key, fitted) in [
            ("mean", &segment["reachability"]["mean"]),
            ("concentration", &segment["reachability"]["concentration"]),
            ("decay", &segment["reachability"]["decay"]),
        ] {
            let written = reach[key].as_float().unwrap();
            assert!(
                (written / fitted.as_f64().unwrap() - 1.0).abs() < 1e-3,
                "{key}"
            );
        }
        let unreachable = entry["unreachable"].as_float().unwrap();
        assert!(
            (unreachable - segment["reachability"]["unreachable"].as_f64().unwrap()).abs() < 1e-4
        );
    }
    assert!((total - 1.0).abs() < 1e-9, "shares sum to {total}");
    let mean = |i: usize| segments[i]["reachability"]["mean"].as_f64().unwrap();
    assert!(mean(1) > mean(0) + 0.05, "{} against {}", mean(1), mean(0));
    let table = String::from_utf8(stdout_of(
        callblitz()
            .arg("calibrate")
            .arg(&log)
            .args(["--segment-col", "kare"]),
    ))
    .unwrap();
    assert!(
        table.contains("Segment \"attain\": 20,000 leads (66.7% of the log)"),
        "{table}"
    );
    assert!(
        table.contains("Segment \"expand\": 10,000 leads (33.3% of the log)"),
        "{table}"
    );
}

#[test]
fn a_calibration_is_the_same_on_one_and_two_threads() {
    // Bad numbers and segments: every fitted number, interval and test, to the last bit.
    let dir = tempfile::tempdir().unwrap();
    let (bad, _) = logs_with_bad_numbers(dir.path(), 5_000, 0.6, true);
    let text = std::fs::read_to_string(&bad).unwrap();
    let mut segmented = String::from("lead_id,timestamp,channel,outcome,kare\n");
    for row in text.lines().skip(1) {
        let lead: usize = row[1..row.find(',').unwrap()].parse().unwrap();
        let segment = if lead.is_multiple_of(3) {
            "expand"
        } else {
            "attain"
        };
        segmented.push_str(&format!("{row},{segment}\n"));
    }
    let log = dir.path().join("segmented.csv");
    std::fs::write(&log, segmented).unwrap();
    let options = Options {
        segment_column: Some("kare".into()),
        ..Options::default()
    };
    let fitted = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let evidence = Evidence::read(&log, &options).unwrap();
            let c = Calibration::new(
                evidence,
                FitOptions {
                    unreachable: true,
                    decay: None,
                },
            )
            .unwrap();
            let mut csv = Vec::new();
            callblitz::report::Report::write_csv(
                &callblitz::report::CalibrationReport(&c),
                &mut csv,
            )
            .unwrap();
            assert_eq!(c.segments.len(), 2);
            (
                format!("{:?} {:?} {:?}", c.reachability, c.test, c.attempts),
                csv,
            )
        })
    };
    assert_eq!(fitted(1), fitted(2));
}

#[test]
fn a_log_of_segments_names_them_and_is_fitted_back_by_segment() {
    // The KARE mix's log names each lead's segment, and `--segment-col segment` fits each
    // apart: every segment's share of the leads is the cohort's, and its contacts per lead are
    // its own closed form's within 4.5 binomial standard errors.
    let dir = tempfile::tempdir().unwrap();
    let kare = load_str(
        &std::fs::read_to_string(crate::common::shipped("kare-mix.toml")).unwrap(),
        "kare-mix.toml",
        &[Override::parse("leads.count=6000").unwrap()],
    )
    .unwrap();
    let log = log_of(dir.path(), "kare.csv", &kare);
    let header = std::fs::read_to_string(&log).unwrap();
    assert!(header.starts_with("lead_id,timestamp,channel,outcome,rep,segment\n"));
    let fragment = dir.path().join("fitted.toml");
    let json: Value = serde_json::from_slice(&stdout_of(
        callblitz()
            .arg("calibrate")
            .arg(&log)
            .args(["--segment-col", "segment", "--json", "--scenario"])
            .arg(&fragment),
    ))
    .unwrap();
    let fitted = scenario(&std::fs::read_to_string(&fragment).unwrap());
    let groups = kare.lead_groups();
    assert_eq!(fitted.leads.segments.len(), groups.len());
    for ((group, segment), fit) in groups
        .iter()
        .zip(&fitted.leads.segments)
        .zip(json["segments"].as_array().unwrap())
    {
        assert_eq!(segment.name, group.name);
        assert!((segment.share - group.shares.list).abs() < 1e-6);
        let leads = fit["leads"].as_f64().unwrap();
        let expected = callblitz::engine::LeadModel::new(&group.scenario)
            .expected_per_lead()
            .contacts;
        assert_within(
            &format!("{}: contacts per lead", group.name),
            fit["rates"]["contacts_per_lead"]["estimate"]
                .as_f64()
                .unwrap(),
            expected,
            (expected * (1.0 - expected) / leads).sqrt(),
        );
    }
}
