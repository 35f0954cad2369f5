//! `plan` of an inbound team: the team it sizes keeps the promises of `[service]` on fresh
//! simulated years at the stated confidence, a quarter hour or a rep fewer does not, members
//! fix the reps and keep their own hours, the answer is the same on any number of threads,
//! and what cannot be sized is refused.

use callblitz::engine::{CalendarModel, CalendarSamples, run_replications};
use callblitz::plan::{Target, size_team};
use callblitz::scenario::{Scenario, load_str};
use callblitz::stats::Metric;
use serde_json::Value;

use crate::common::{assert_refused, callblitz, json_of, on_threads, shipped, shipped_with};

/// scenarios/inbound-team-sizing.toml with `overrides`.
fn sizing_scenario(overrides: &[&str]) -> Scenario {
    shipped_with("inbound-team-sizing.toml", overrides)
}

/// The share of `years` years of `reps` reps at `hours` a day on `seed` that keep every
/// promise of the shipped scenario (written out here, apart from the search's own check).
fn kept_share(reps: u32, hours: f64, years: u64, seed: u64) -> f64 {
    let mut scenario = sizing_scenario(&[]);
    scenario.team.reps = reps;
    let service = scenario.service;
    let model = CalendarModel::new(&scenario, hours);
    let runs: CalendarSamples = run_replications(&model, years, seed, &());
    let penetration = runs.samples.get(Metric::Penetration).values();
    let within = runs.called_within(service.called_within_minutes.unwrap());
    let backlog = runs.backlog.values();
    let deals = runs.samples.get(Metric::Deals).values();
    let kept = (0..years as usize)
        .filter(|&y| {
            penetration[y] >= service.penetration.unwrap()
                && within[y] >= service.called_within_share.unwrap()
                && backlog[y] <= service.backlog.unwrap()
                && deals[y] >= scenario.goal.deals.unwrap()
        })
        .count();
    kept as f64 / years as f64
}

#[test]
fn the_sized_team_keeps_its_promises_on_fresh_years_and_one_step_less_does_not() {
    let json: Value =
        json_of(callblitz().args(["plan", &shipped("inbound-team-sizing.toml"), "--json"]));
    assert_eq!(json["kept"], true);
    let reps = json["team"]["reps"].as_u64().unwrap() as u32;
    let hours = json["team"]["hours_per_day"].as_f64().unwrap();
    let confidence = json["confidence"].as_f64().unwrap();
    assert!(json["team"]["chance"].as_f64().unwrap() >= confidence);
    let years = 1000;
    let error = (confidence * (1.0 - confidence) / years as f64).sqrt();
    // Fresh seeds: the years the search never saw.
    let fresh = kept_share(reps, hours, years, 9_001);
    assert!(
        fresh >= confidence - 4.5 * error,
        "{reps} reps at {hours} h keep the promises in {fresh} of fresh years"
    );
    // A quarter hour a day less, and a rep less at the team's full hours, fall short.
    if hours > 0.25 {
        let less = kept_share(reps, hours - 0.25, years, 9_001);
        assert!(less < confidence + 4.5 * error, "{hours} - 0.25 h: {less}");
    }
    if reps > 1 {
        let stated = sizing_scenario(&[]).team.prospecting_hours_per_day;
        let fewer = kept_share(reps - 1, stated, years, 9_001);
        assert!(
            fewer < confidence + 4.5 * error,
            "{} reps: {fewer}",
            reps - 1
        );
    }
    // The cards add up to the team and every candidate is listed.
    let cards = json["team"]["rep_cards"].as_array().unwrap();
    assert_eq!(cards.len(), reps as usize);
    let tried = json["tried"].as_array().unwrap();
    let last = tried.last().unwrap();
    assert_eq!(last["years"], json["replications"]);
    assert_eq!(last["reps"].as_u64().unwrap() as u32, reps);
}

#[test]
fn a_sizing_is_the_same_on_one_thread_and_two() {
    let scenario = sizing_scenario(&["simulation.replications=120"]);
    let target = Target::of(&scenario).unwrap();
    let on = |threads| on_threads(threads, || size_team(&scenario, &target, 16, &()));
    assert_eq!(on(1), on(2));
}

#[test]
fn members_fix_the_reps_and_keep_their_own_hours() {
    let scenario = load_str(
        r#"
        [simulation]
        replications = 100
        weeks = 26
        weeks_off = 0
        [leads]
        source = "inbound"
        per_week = 60
        [team]
        ramp_weeks = 0
        [[team.members]]
        name = "Ana"
        hours_per_day = 1.0
        [[team.members]]
        name = "Ben"
        [service]
        penetration = 70
        "#,
        "members.toml",
        &[],
    )
    .unwrap();
    let target = Target::of(&scenario).unwrap();
    let sizing = size_team(&scenario, &target, scenario.team.reps, &());
    assert!(sizing.members_fixed);
    assert_eq!(sizing.team.reps, 2);
    assert!(sizing.tried.iter().all(|c| c.reps == 2));
    let ana = &sizing.team.rep_cards[0];
    assert!(ana.own_hours);
    assert_eq!(ana.hours_per_week, 5.0);
    let ben = &sizing.team.rep_cards[1];
    assert!(!ben.own_hours);
    assert_eq!(ben.hours_per_week, sizing.team.hours_per_day * 5.0);
}

#[test]
fn a_goal_no_team_reaches_is_said_so_with_the_most_tried() {
    let output = callblitz()
        .args([
            "plan",
            &shipped("inbound-team-sizing.toml"),
            "--replications",
            "40",
            "--set",
            "leads.per_week=20",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    // 20 leads a week cannot bring 20 deals, however many reps call them.
    assert!(
        text.contains("No team within reach keeps every promise"),
        "{text}"
    );
    assert!(
        text.contains("hardest to keep is deals in the year"),
        "{text}"
    );
    assert!(
        text.contains("At most 128 reps: the most a sizing tries"),
        "{text}"
    );
}

#[test]
fn what_a_sizing_cannot_do_is_refused() {
    let file = shipped("inbound-team-sizing.toml");
    let refused = |args: &[&str], expected: &[&str]| {
        let output = callblitz()
            .args(["plan", file.as_str()])
            .args(args)
            .output()
            .unwrap();
        assert_refused(&output, expected);
    };
    refused(
        &["--set", "service={}"],
        &["[service]", "called_within_minutes", "simulate --calendar"],
    );
    refused(
        &["--set", "leads={source=\"list\"}"],
        &["service", "leads.source = \"list\"", "remove [service]"],
    );
    refused(
        &["--set", "service.called_within_minutes=45"],
        &[
            "service.called_within_minutes",
            "5, 30, 60, 240, 1440, 4320",
        ],
    );
    refused(
        &["--set", "service={called_within_minutes=60}"],
        &["service.called_within_share", "is needed"],
    );
    refused(
        &["--set", "service.penetration=120"],
        &["service.penetration"],
    );
    refused(
        &["--save", "/tmp/never-written.json"],
        &["--save", "[service]"],
    );
    refused(&["--chart", "/tmp/never-drawn.png"], &["draws no chart"]);
    refused(
        &["--set", "uncertainty={\"funnel.win_rate\"=[0.15,0.25]}"],
        &["[uncertainty]", "numbers as written"],
    );
    assert!(!std::path::Path::new("/tmp/never-written.json").exists());
}
