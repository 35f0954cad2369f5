//! `calibrate`: logs simulated from known parameters are fitted back within their intervals,
//! the intervals cover as often as they claim, and bad rows are named by line.

use std::path::{Path, PathBuf};

use callblitz::calibrate::{Calibration, Evidence, Parameter};
use callblitz::calllog::{Options, write_cohort_log};
use callblitz::engine::CohortModel;
use callblitz::scenario::Channel;
use serde_json::Value;

use crate::common::{assert_png, assert_refused, assert_within, callblitz, scenario, stdout_of};

/// Writes the call log of one replication of scenario `text` into `dir`.
fn simulated_log(dir: &Path, name: &str, text: &str) -> PathBuf {
    let s = scenario(text);
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write_cohort_log(&s, &CohortModel::new(&s), &mut file).unwrap();
    drop(file);
    path
}

fn calibrate(log: &Path, zero_inflated: bool) -> Calibration {
    let evidence = Evidence::read(log, &Options::default()).unwrap();
    Calibration::new(evidence, zero_inflated).unwrap()
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
    assert_eq!(fitted(&["leads", "reachability", "decay"]), 1.0);
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
