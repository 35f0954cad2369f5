//! Dials are phone touches, the call and voicemail channels (a voicemail is a dial that leaves a
//! message), counted alike by the cohort, the calendar, the plan, `blitz` and `calibrate`.

use callblitz::engine::{CalendarModel, LeadModel, simulate_calendar};
use callblitz::plan::{FunnelStep, ReverseFunnel};
use callblitz::scenario::Channel;
use callblitz::stats::{Metric, Moments};
use serde_json::Value;

use crate::common::{assert_within, callblitz, run, scenario, shipped, stdout_of};

/// Six touches on the lead's first day, four of them dials: call, email, voicemail, call,
/// InMail, voicemail.
const MIXED_DAY: &str = r#"
[cadence]
touches = [
  { day = 0, channel = "call" }, { day = 0, channel = "email" },
  { day = 0, channel = "voicemail" }, { day = 0, channel = "call" },
  { day = 0, channel = "inmail" }, { day = 0, channel = "voicemail" },
]
"#;

/// Nobody answers, so every lead makes every touch of [`MIXED_DAY`]: 4 dials and 6 touches
/// per lead, exactly.
const NOBODY_ANSWERS: &str = r#"
[simulation]
replications = 40
seed = 5
weeks = 6
weeks_off = 1
[leads]
count = 700
reachability = { mean = 0.0 }
[team]
ramp_weeks = 0
"#;

#[test]
fn a_cohort_counts_every_call_and_voicemail_touch_as_a_dial() {
    let (_, samples) = run(&format!("{NOBODY_ANSWERS}{MIXED_DAY}"));
    for touches in samples.get(Metric::Touches).values() {
        assert_eq!(*touches, 700.0 * 6.0);
    }
    for dials in samples.get(Metric::Dials).values() {
        assert_eq!(*dials, 700.0 * 4.0);
    }
}

#[test]
fn a_calendar_counts_every_call_and_voicemail_touch_as_a_dial() {
    // Every touch falls on the lead's first day, so each lead started makes all six.
    let s = scenario(&format!("{NOBODY_ANSWERS}{MIXED_DAY}"));
    let model = CalendarModel::new(&s, s.team.prospecting_hours_per_day);
    let runs = simulate_calendar(&model, s.simulation.replications, s.simulation.seed);
    let leads = runs.samples.get(Metric::Leads).values();
    let touches = runs.samples.get(Metric::Touches).values();
    let dials = runs.samples.get(Metric::Dials).values();
    assert!(leads.iter().all(|&l| l > 100.0), "the team works leads");
    for ((leads, touches), dials) in leads.iter().zip(touches).zip(dials) {
        assert_eq!(*touches, leads * 6.0);
        assert_eq!(*dials, leads * 4.0);
    }
}

/// Leads alike, each touch reaching them with chance 0.2 × the channel's response; 5 touches
/// on several days, 3 of them dials.
const REACHABLE: &str = r#"
[simulation]
replications = 400
seed = 9
[leads]
count = 1000
reachability = { mean = 0.2 }
unreachable = 0.0
[cadence]
touches = [
  { day = 0, channel = "call" }, { day = 1, channel = "email" },
  { day = 2, channel = "voicemail" }, { day = 4, channel = "inmail" },
  { day = 7, channel = "call" },
]
[channels.call]
response = 1.0
[channels.voicemail]
response = 0.5
[channels.email]
response = 0.25
[channels.inmail]
response = 0.1
"#;

/// Expected dials per lead of [`REACHABLE`] by hand: touch k is made when the k touches before
/// it missed, S(k) = Π (1 − 0.2 · response_j).
fn reachable_dials_per_lead() -> f64 {
    let responses = [1.0, 0.25, 0.5, 0.1, 1.0];
    let is_dial = [1.0, 0.0, 1.0, 0.0, 1.0];
    let mut survival = 1.0;
    let mut dials = 0.0;
    for (response, dial) in responses.iter().zip(is_dial) {
        dials += survival * dial;
        survival *= 1.0 - 0.2 * response;
    }
    dials
}

#[test]
fn a_cohort_of_reachable_leads_makes_the_dials_of_the_closed_form() {
    let (_, samples) = run(REACHABLE);
    let mut per_lead = Moments::default();
    for dials in samples.get(Metric::Dials).values() {
        per_lead.push(dials / 1000.0);
    }
    assert_within(
        "dials per lead",
        per_lead.mean(),
        reachable_dials_per_lead(),
        (per_lead.variance() / per_lead.count() as f64).sqrt(),
    );
}

#[test]
fn the_reverse_funnel_counts_call_and_voicemail_touches_as_dials() {
    let s = scenario(REACHABLE);
    let lead = LeadModel::new(&s);
    let funnel = ReverseFunnel::new(&lead, 10.0, 52.0, 48.0, 5.0).unwrap();
    let leads = funnel.per_year(FunnelStep::Leads);
    let dials = funnel.per_year(FunnelStep::Dials);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b;
    assert!(
        close(dials, leads * reachable_dials_per_lead()),
        "{dials} dials for {leads} leads"
    );
    // Touches are the dials and the touches on the other channels.
    let others =
        funnel.per_year(FunnelStep::EmailTouches) + funnel.per_year(FunnelStep::InmailTouches);
    assert!(close(dials + others, funnel.per_year(FunnelStep::Touches)));
    let per_lead = lead.expected_per_lead().touches_by_channel;
    let calls_and_voicemails =
        per_lead[Channel::Call.index()] + per_lead[Channel::Voicemail.index()];
    assert!(close(dials, leads * calls_and_voicemails));
}

#[test]
fn blitz_and_calibrate_count_the_same_dials_and_voicemails_in_a_log() {
    // The rows counted here, independently: a dial is a row on the call or voicemail channel,
    // a voicemail a dial whose outcome is voicemail.
    let log = shipped("blitz-leader-involved.csv");
    let mut reader = csv::Reader::from_path(&log).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (channel, outcome) = (column("channel"), column("outcome"));
    let (mut dials, mut voicemails, mut rows) = (0u64, 0u64, 0u64);
    for record in reader.records() {
        let record = record.unwrap();
        rows += 1;
        if matches!(&record[channel], "call" | "voicemail") {
            dials += 1;
            voicemails += u64::from(&record[outcome] == "voicemail");
        }
    }
    assert!(
        voicemails > 0 && dials > voicemails,
        "the log has voicemails"
    );
    assert_eq!(dials, rows, "a blitz log holds only dials");

    let json = |args: &[&str]| -> Value {
        serde_json::from_slice(&stdout_of(callblitz().args(args))).unwrap()
    };
    let blitz = json(&[
        "blitz",
        &shipped("blitz-leader-involved.toml"),
        "--replications",
        "20",
        "--json",
        "--actual",
        &log,
    ]);
    let actual = &blitz["actual"];
    assert_eq!(actual["total"]["values"]["dials"]["actual"], dials as f64);
    assert_eq!(actual["voicemails"], voicemails);

    let calibrate = json(&["calibrate", &log, "--json"]);
    // No lead in this log is touched after its first conversation, so calibrate's dials (those
    // up to each lead's first conversation) are every dial.
    assert_eq!(calibrate["dials"], dials);
    assert_eq!(calibrate["voicemails"], voicemails);
    let rep_dials: u64 = calibrate["reps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["dials"].as_u64().unwrap())
        .sum();
    assert_eq!(rep_dials, dials);
    let share = calibrate["rates"]["voicemail_per_dial"]["estimate"]
        .as_f64()
        .unwrap();
    assert!(
        (share - voicemails as f64 / dials as f64).abs() < 1e-12,
        "{share}"
    );
}
