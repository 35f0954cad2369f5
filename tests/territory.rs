//! Finite territories and the quarterly restart in calendar runs: accounts are conserved, a
//! territory with time to spare is worked once a cycle, restarts follow their schedule, longer
//! persistence never loses conversations, and a plan says when the territory is too small.

use callblitz::engine::{CalendarModel, CalendarSamples, simulate_calendar};
use callblitz::plan::{AtConfidence, Target, at_confidence, expected};
use callblitz::scenario::{Override, Scenario, load_str};
use callblitz::stats::Metric;

use crate::common::{assert_within, callblitz, stdout_of, weeks_of_each};

/// One rep with a whole working day, no ramp, no weeks off, 3 minutes a dial.
const AMPLE: &str = r#"
[simulation]
replications = 400
weeks = 26
weeks_off = 0
[channels.call]
minutes = 3.0
conversation_minutes = 0.0
[funnel]
booking_minutes = 0.0
[team]
prospecting_hours_per_day = 8.0
ramp_weeks = 0
"#;

/// [`AMPLE`] with dotted overrides.
fn ample(overrides: &[&str]) -> Scenario {
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| Override::parse(o).unwrap())
        .collect();
    load_str(AMPLE, "test.toml", &overrides).unwrap_or_else(|err| panic!("{err}"))
}

fn calendar(overrides: &[&str]) -> (Scenario, CalendarSamples) {
    let s = ample(overrides);
    let model = CalendarModel::new(&s, s.team.prospecting_hours_per_day).recording_weeks();
    let runs = simulate_calendar(&model, s.simulation.replications, s.simulation.seed);
    (s, runs)
}

fn values(runs: &CalendarSamples, metric: Metric) -> &[f64] {
    runs.samples.get(metric).values()
}

#[test]
fn a_territory_is_started_once_and_never_more() {
    // 300 accounts with time to spare: every one is started, none twice.
    let (_, runs) = calendar(&["leads.count=300"]);
    assert!(values(&runs, Metric::Leads).iter().all(|&n| n == 300.0));
    assert!(runs.list_started.values().iter().all(|&n| n == 300.0));
    assert_eq!(runs.territory_used_up.len(), 400, "used up in every year");
    // Short of time (a quarter of an hour a day for a 10-call cadence), fewer are started,
    // and each of them counts once as a lead.
    let (_, short) = calendar(&["leads.count=300", "team.prospecting_hours_per_day=0.25"]);
    let started = short.list_started.values();
    assert!(started.iter().all(|&n| n < 300.0), "{:?}", &started[..5]);
    assert_eq!(values(&short, Metric::Leads), started);
    // A monthly refill adds its accounts at the start of each month after the first: six
    // months of 26 weeks hold five refills.
    let (_, refilled) = calendar(&["leads.count=100", "leads.refill_per_month=20"]);
    assert!(values(&refilled, Metric::Leads).iter().all(|&n| n == 200.0));
}

#[test]
fn with_time_to_spare_a_territory_is_worked_as_the_closed_form_says() {
    // Every lead answers a call with chance p; 4 calls a cycle, a second cycle at response r.
    // E[touches] = Σ_{k<4} q^k + q^4 Σ_{k<4} s^k, P(contact) = 1 − q^4 s^4, q = 1 − p and
    // s = 1 − p r, for every account, as all of them start on the first days and both cycles
    // fall inside the horizon.
    let (p, r, n) = (0.1_f64, 0.5_f64, 250.0);
    let (_, runs) = calendar(&[
        "leads.count=250",
        "leads.reachability={mean=0.1}",
        "leads.unreachable=0",
        "cadence={attempts=4,days=8,restart={cycles=2,pause_days=30,response=0.5}}",
    ]);
    let (q, s) = (1.0 - p, 1.0 - p * r);
    let first: f64 = (0..4).map(|k| q.powi(k)).sum();
    let second: f64 = (0..4).map(|k| s.powi(k)).sum();
    let touches = n * (first + q.powi(4) * second);
    let contact = 1.0 - q.powi(4) * s.powi(4);
    let replications = runs.samples.len() as f64;
    let contacts = values(&runs, Metric::Contacts);
    let mean = contacts.iter().sum::<f64>() / replications;
    let se = (n * contact * (1.0 - contact) / replications).sqrt();
    assert_within("contacts", mean, n * contact, se);
    let made = values(&runs, Metric::Touches);
    let mean_touches = made.iter().sum::<f64>() / replications;
    // Touches per lead are at most 8: their variance is below 8² / 4 per lead.
    assert_within(
        "touches",
        mean_touches,
        touches,
        (n * 16.0 / replications).sqrt(),
    );
    assert!(
        values(&runs, Metric::Penetration)
            .iter()
            .all(|&x| x == 100.0)
    );
}

#[test]
fn every_unreached_account_restarts_on_schedule() {
    // One call a cycle, cycles 30 days apart (day 0, 30, 60: weeks 0, 4 and 8). With time to
    // spare all 100 accounts are called on day 0, and exactly those not yet reached are called
    // again on each restart.
    let s = ample(&[
        "leads.count=100",
        "cadence={attempts=1,days=1,restart={cycles=3,pause_days=30}}",
    ]);
    let model = CalendarModel::new(&s, s.team.prospecting_hours_per_day).recording_weeks();
    let runs = weeks_of_each(&model, s.simulation.replications, s.simulation.seed);
    for weeks in &runs {
        let reached_by = |week: usize| weeks[..week].iter().map(|w| w.contacts).sum::<u32>();
        for (w, week) in weeks.iter().enumerate() {
            let expected = match w {
                0 => 100,
                4 | 8 => 100 - reached_by(w),
                _ => 0,
            };
            assert_eq!(week.touches, expected, "week {w}");
        }
    }
    // Some are reached, so some do not restart.
    assert!(runs.iter().any(|w| w[4].touches < 100));
}

#[test]
fn on_a_territory_with_time_to_spare_longer_persistence_never_loses_conversations() {
    // The same accounts on the same random numbers: three calls, the same three and seven
    // more, and those ten restarted twice. Each year's conversations can only grow.
    let calls = |days: &[u32]| {
        let touches: Vec<String> = days
            .iter()
            .map(|d| format!("{{day={d},channel=\"call\"}}"))
            .collect();
        touches.join(",")
    };
    let three = format!("cadence.touches=[{}]", calls(&[0, 2, 4]));
    let ten_days = [0, 2, 4, 7, 9, 11, 14, 16, 18, 21];
    let ten = format!("cadence.touches=[{}]", calls(&ten_days));
    let restarted = format!(
        "cadence={{touches=[{}],restart={{cycles=3,pause_days=20}}}}",
        calls(&ten_days)
    );
    let runs = [three, ten, restarted].map(|c| calendar(&["leads.count=400", &c]).1);
    let contacts = runs.each_ref().map(|r| values(r, Metric::Contacts));
    for pair in contacts.windows(2) {
        assert!(
            pair[0]
                .iter()
                .zip(pair[1])
                .all(|(short, long)| long >= short)
        );
        assert!(pair[1].iter().sum::<f64>() > pair[0].iter().sum::<f64>());
    }
}

#[test]
fn unused_hours_and_worked_hours_make_up_the_capacity() {
    // 50 accounts use a small part of a whole working day: the rest is reported unused.
    let (s, runs) = calendar(&["leads.count=50"]);
    let model = CalendarModel::new(&s, s.team.prospecting_hours_per_day);
    let capacity = model.total_minutes() / 60.0;
    let worked = values(&runs, Metric::ProspectingHours);
    for (worked, unused) in worked.iter().zip(runs.unused_hours.values()) {
        assert!((worked + unused - capacity).abs() < 1e-6 * capacity);
        assert!(*unused > 0.9 * capacity);
    }
    // An unlimited list, stated as such, fills the day.
    let (_, open) = calendar(&["leads.count=50", "leads.unlimited=true"]);
    assert!(
        open.unused_hours
            .values()
            .iter()
            .all(|&u| u < 0.01 * capacity)
    );
    assert!(values(&open, Metric::Leads).iter().all(|&n| n > 50.0));
    assert!(open.territory_used_up.is_empty());
}

#[test]
fn a_plan_on_a_territory_too_small_says_so_and_names_one_that_carries_it() {
    let s = ample(&[
        "leads.count=200",
        "funnel={appointment_rate=0.5,show_rate=0.9,opportunity_rate=0.9,win_rate=0.5,\
         booking_minutes=0,sales_cycle_days={median=5}}",
        "goal.deals=20",
    ]);
    let target = Target::of(&s).unwrap();
    let (_, hours) = expected(&s, &target).unwrap();
    let (answer, _) = at_confidence(&s, &target, hours, false, &());
    let AtConfidence::Unreachable(short) = answer else {
        panic!("200 accounts cannot carry 20 deals")
    };
    let reason = &short.reasons[0];
    assert!(
        reason.starts_with("the territory of 200 accounts"),
        "{reason}"
    );
    let accounts: u64 = reason
        .split("a territory of about ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no territory named: {reason}"));
    assert!(accounts > 200);
    // The territory it names carries the goal.
    let mut bigger = s.clone();
    bigger.leads.count = accounts;
    let (_, hours) = expected(&bigger, &target).unwrap();
    let (answer, _) = at_confidence(&bigger, &target, hours, false, &());
    assert!(
        matches!(answer, AtConfidence::Plan(_)),
        "{accounts} accounts"
    );
}

#[test]
fn territories_and_restarts_give_the_same_numbers_on_any_number_of_threads() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let s = ample(&[
        "leads.count=300",
        "leads.refill_per_month=10",
        "cadence={attempts=5,days=10,restart={cycles=3,pause_days=40}}",
        "team.reps=2",
        "team.prospecting_hours_per_day=1.0",
    ]);
    std::fs::write(file.path(), toml::to_string(&s).unwrap()).unwrap();
    let path = file.path().to_str().unwrap();
    let on = |threads: &str| {
        stdout_of(callblitz().env("RAYON_NUM_THREADS", threads).args([
            "simulate",
            path,
            "--calendar",
            "--json",
        ]))
    };
    assert_eq!(on("1"), on("2"));
}

#[test]
fn territory_keys_that_would_do_nothing_are_refused() {
    for (set, names) in [
        (
            "leads={source=\"inbound\",per_week=10,unlimited=true}",
            "leads.unlimited",
        ),
        ("leads.refill_per_month=5", "leads.refill_per_month"),
        ("cadence.restart.cycles=1000", "cadence.restart.cycles"),
        ("cadence.restart.cycles=1", "cadence.restart.cycles"),
        ("leads.unlimited=3", "expected true or false"),
        ("cadence.restart.response=1.5", "cadence.restart.response"),
    ] {
        let extra = if names == "leads.refill_per_month" {
            vec!["--set", "leads.unlimited=true"]
        } else {
            vec![]
        };
        let output = callblitz()
            .args([
                "scenario",
                "check",
                &crate::common::shipped("cold-outbound.toml"),
            ])
            .args(["--set", set])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{set}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(names), "{set}: {stderr}");
    }
}
