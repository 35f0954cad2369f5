//! `[people]`: reps who leave and hires who never ramp up. Turnover only takes capacity away,
//! so it never raises a year's deals or the chance of the goal; what it costs is the weeks the
//! seats were filled; `plan --one-more-hire` weighs the team against one more rep on the same
//! years; and all of it is the same on any number of threads.

use callblitz::engine::{CalendarModel, CalendarSamples, run_replications};
use callblitz::stats::Metric;

use crate::common::{assert_refused, callblitz, new_hire, on_threads, shipped, stdout_of};

const TURNOVER: [&str; 3] = [
    "people.attrition_per_year=0.35",
    "people.never_ramp_share=0.3",
    "people.hiring_weeks=8",
];

/// Every year's deals of new-hire-kpis at `hours_per_week`, with `overrides`.
fn deals(overrides: &[&str], hours_per_week: f64) -> Vec<f64> {
    let scenario = new_hire(&[&["simulation.replications=2000"], overrides].concat());
    let model = CalendarModel::new(&scenario, hours_per_week / 5.0);
    let runs: CalendarSamples = run_replications(&model, 2000, 7, &());
    runs.samples.get(Metric::Deals).values().to_vec()
}

#[test]
fn turnover_never_raises_a_years_deals() {
    for hours in [10.0, 25.0, 40.0] {
        let kept = deals(&[], hours);
        let turned_over = deals(&TURNOVER, hours);
        let fewer = kept.iter().zip(&turned_over).filter(|(k, t)| t < k).count();
        for (year, (k, t)) in kept.iter().zip(&turned_over).enumerate() {
            assert!(
                t <= k,
                "{hours} h, year {year}: {t} deals with turnover, {k} without"
            );
        }
        // And it does take deals away: a hire who leaves or fails loses weeks of selling.
        assert!(
            fewer > 100,
            "{hours} h: only {fewer} of 2,000 years lost a deal"
        );
    }
}

/// The `--json` output of `callblitz ARGS` on `threads` threads.
fn json_on(threads: &str, args: &[&str]) -> serde_json::Value {
    let mut command = callblitz();
    command.args(args).args(["--json", "--threads", threads]);
    serde_json::from_slice(&stdout_of(&mut command)).unwrap()
}

fn with_turnover(mut args: Vec<String>) -> Vec<String> {
    for set in TURNOVER.iter().chain(&[
        "costs.rep_per_year=85000",
        "costs.tools_per_rep_per_year=4000",
    ]) {
        args.extend(["--set".to_string(), set.to_string()]);
    }
    args
}

#[test]
fn one_more_hire_runs_the_plans_own_years_and_the_same_years_with_a_rep_more() {
    let args = with_turnover(vec![
        "plan".into(),
        shipped("new-hire-kpis.toml"),
        "--deals".into(),
        "10".into(),
        "--one-more-hire".into(),
        "--replications".into(),
        "400".into(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let plan = json_on("2", &args);
    // The same numbers on one thread as on two.
    assert_eq!(plan, json_on("1", &args));
    let at = &plan["at_confidence"];
    let hires = &plan["one_more_hire"];
    assert_eq!(hires["hours_per_week"], at["prospecting_hours_per_week"]);
    let [one, two] = [&hires["options"][0], &hires["options"][1]];
    assert_eq!(
        (one["reps"].as_u64(), two["reps"].as_u64()),
        (Some(1), Some(2))
    );
    // The team as it is on the plan's seeds is the plan itself.
    assert_eq!(one["probability_of_goal"], at["probability_of_goal"]);
    assert_eq!(one["money"], at["money"]);
    assert_eq!(one["people"], at["people"]);
    // A second rep sharing the territory never lowers the chance, and costs a second seat for
    // the weeks it was filled.
    let p = |o: &serde_json::Value| o["probability_of_goal"].as_f64().unwrap();
    assert!(p(two) >= p(one), "{} against {}", p(two), p(one));
    for option in [one, two] {
        let filled = option["people"]["filled_share"].as_f64().unwrap();
        let reps = option["reps"].as_f64().unwrap();
        let people_cost = option["money"]["parts"]["people"].as_f64().unwrap();
        let expected = 89_000.0 * reps * filled;
        assert!(
            (people_cost - expected).abs() <= 1e-6 * expected,
            "{people_cost} against {expected}"
        );
        assert!(filled < 1.0 && filled > 0.5, "filled share {filled}");
    }
    let margin = |o: &serde_json::Value| o["money"]["gross_margin"]["mean"].as_f64().unwrap();
    let extra = hires["extra_margin"]["mean"].as_f64().unwrap();
    assert!(
        (extra - (margin(two) - margin(one))).abs() <= 1e-6 * margin(two).abs(),
        "extra margin {extra} against {} - {}",
        margin(two),
        margin(one)
    );
    let share = hires["pays_for_itself"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&share));
}

#[test]
fn a_plan_with_turnover_needs_at_least_the_hours_of_one_without() {
    let plan = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        json_on("2", &args)
    };
    let base = || -> Vec<String> {
        [
            "plan",
            &shipped("new-hire-kpis.toml"),
            "--replications",
            "400",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let kept = plan(base());
    let hours = kept["at_confidence"]["prospecting_hours_per_week"]
        .as_f64()
        .unwrap();
    let turned_over = plan(with_turnover(base()));
    // The same confidence takes more hours with turnover, or cannot be reached at all.
    match turned_over["at_confidence"]["prospecting_hours_per_week"].as_f64() {
        Some(more) => assert!(more >= hours, "{more} h with turnover, {hours} h without"),
        None => assert!(turned_over["unreachable"].is_object()),
    }
}

#[test]
fn one_more_hire_is_refused_for_a_team_of_named_members() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("members.toml");
    let text = std::fs::read_to_string(shipped("new-hire-kpis.toml")).unwrap();
    let text = text.replace("reps = 1                    # the new hire\n", "")
        + "\n[[team.members]]\nname = \"Ana\"\n[[team.members]]\nname = \"Ben\"\n";
    std::fs::write(&path, text).unwrap();
    let output = callblitz()
        .args(["plan", path.to_str().unwrap(), "--one-more-hire"])
        .output()
        .unwrap();
    assert_refused(&output, &["--one-more-hire", "[[team.members]]"]);
}

#[test]
fn bad_people_get_the_key_and_the_fix() {
    let refused = |sets: &[&str], expected: &[&str]| {
        let mut command = callblitz();
        command.args(["plan", &shipped("new-hire-kpis.toml")]);
        for set in sets {
            command.args(["--set", set]);
        }
        assert_refused(&command.output().unwrap(), expected);
    };
    refused(
        &["people.attrition_per_year=0.3"],
        &["people.hiring_weeks", "hiring_weeks = 8"],
    );
    refused(
        &["people.never_ramp_share=1.5", "people.hiring_weeks=4"],
        &["people.never_ramp_share", "from 0 to 0.99"],
    );
    let mut command = callblitz();
    command.args(["simulate", &shipped("new-hire-kpis.toml")]);
    for set in TURNOVER {
        command.args(["--set", set]);
    }
    assert_refused(&command.output().unwrap(), &["[people]", "--calendar"]);
}

#[test]
fn engine_runs_with_turnover_are_the_same_on_one_and_two_threads() {
    let run = |threads| on_threads(threads, || deals(&TURNOVER, 25.0));
    let [one, two] = [run(1), run(2)];
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one), bits(&two));
}
