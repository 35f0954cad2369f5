//! Each rep's KPI card in a team's plan: every rep's counts add up to the team's in every
//! replication, so the cards add up to the team's plan; a rep's skill shows in their own
//! appointments per conversation; a rep who states their hours keeps them; and the cards are
//! the same on any number of threads.

use callblitz::engine::{CalendarModel, CalendarSamples, run_replications};
use callblitz::scenario::Channel;
use callblitz::stats::Metric;

use crate::common::{assert_refused, assert_within, callblitz, shipped, shipped_with, stdout_of};

/// scenarios/team-kpis.toml with `overrides`.
fn team(overrides: &[&str]) -> callblitz::scenario::Scenario {
    shipped_with("team-kpis.toml", overrides)
}

#[test]
fn every_reps_counts_add_up_to_the_teams_in_every_year() {
    let scenario = team(&[]);
    let model = CalendarModel::new(&scenario, 3.0);
    let runs: CalendarSamples = run_replications(&model, 200, 11, &());
    let team_of = |metric: Metric| runs.samples.get(metric).values().to_vec();
    let sum_of = |f: &dyn Fn(&callblitz::engine::RepCounts) -> f64| -> Vec<f64> {
        (0..200)
            .map(|year| runs.reps.iter().map(|rep| f(&rep[year])).sum())
            .collect()
    };
    let touches = |c: &callblitz::engine::RepCounts| c.touches_by_channel.iter().sum::<u32>();
    let dials = |c: &callblitz::engine::RepCounts| {
        c.touches_by_channel[Channel::Call.index()]
            + c.touches_by_channel[Channel::Voicemail.index()]
    };
    let exact: [(&str, Metric, Vec<f64>); 6] = [
        (
            "touches",
            Metric::Touches,
            sum_of(&|c| f64::from(touches(c))),
        ),
        ("dials", Metric::Dials, sum_of(&|c| f64::from(dials(c)))),
        (
            "conversations",
            Metric::Contacts,
            sum_of(&|c| f64::from(c.conversations)),
        ),
        (
            "set",
            Metric::AppointmentsSet,
            sum_of(&|c| f64::from(c.appointments_set)),
        ),
        (
            "held",
            Metric::AppointmentsHeld,
            sum_of(&|c| f64::from(c.appointments_held)),
        ),
        ("deals", Metric::Deals, sum_of(&|c| f64::from(c.deals))),
    ];
    for (what, metric, reps) in exact {
        assert_eq!(reps, team_of(metric), "{what}");
    }
    // Each rep's touches by channel are their touches.
    for rep in &runs.reps {
        assert!(rep.iter().all(|c| touches(c) == c.touches));
    }
    let revenue = sum_of(&|c| c.revenue);
    for (reps, team) in revenue.iter().zip(team_of(Metric::Revenue)) {
        assert!(
            (reps - team).abs() <= 1e-6 * team.max(1.0),
            "{reps} vs {team}"
        );
    }
    assert!(
        team_of(Metric::Deals).iter().sum::<f64>() > 1000.0,
        "too few deals to tell"
    );
}

#[test]
fn a_reps_skill_multiplies_their_own_appointments_per_conversation() {
    let scenario = team(&[]);
    let model = CalendarModel::new(&scenario, 3.0);
    let runs: CalendarSamples = run_replications(&model, 300, 3, &());
    let rate = scenario.funnel.appointment_rate;
    for (member, counts) in scenario.team.members.iter().zip(&runs.reps) {
        let conversations: u32 = counts.iter().map(|c| c.conversations).sum();
        let set: u32 = counts.iter().map(|c| c.appointments_set).sum();
        let p = (rate * member.skill).min(1.0);
        let n = f64::from(conversations);
        assert_within(
            &format!("{}'s appointments per conversation", member.name),
            f64::from(set) / n,
            p,
            (p * (1.0 - p) / n).sqrt(),
        );
    }
}

/// `plan --json` of the shipped team on `threads` threads, with `sets`.
fn plan_json(threads: &str, sets: &[&str]) -> serde_json::Value {
    let mut command = callblitz();
    command.args([
        "plan",
        &shipped("team-kpis.toml"),
        "--json",
        "--threads",
        threads,
    ]);
    for set in sets {
        command.args(["--set", set]);
    }
    serde_json::from_slice(&stdout_of(&mut command)).unwrap()
}

#[test]
fn the_reps_cards_add_up_to_the_teams_plan_and_keep_own_hours() {
    let json = plan_json("2", &["simulation.replications=400"]);
    let plan = &json["at_confidence"];
    let reps = plan["reps"].as_array().unwrap();
    assert_eq!(reps.len(), 4);
    let sum = |key: &str| reps.iter().map(|r| r[key].as_f64().unwrap()).sum::<f64>();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    // The team's card is per rep: the reps' cards add up to it times the team.
    for key in [
        "appointments_set_per_week",
        "appointments_held_per_week",
        "dials_per_working_day",
    ] {
        let team = plan[key].as_f64().unwrap() * 4.0;
        assert!(close(sum(key), team), "{key}: {} vs {team}", sum(key));
    }
    assert!(close(sum("share_of_goal"), 1.0));
    assert!(close(sum("goal_deals"), 50.0), "{}", sum("goal_deals"));
    assert!(close(sum("goal_revenue"), 600_000.0));
    let hours = plan["prospecting_hours_per_week"].as_f64().unwrap();
    for rep in reps {
        let (own, week) = (
            rep["own_hours"].as_bool().unwrap(),
            rep["hours_per_week"].as_f64(),
        );
        // Cleo keeps her 2 hours a day; the others work the plan's.
        let expected = if rep["name"] == "Cleo" { 10.0 } else { hours };
        assert_eq!(own, rep["name"] == "Cleo");
        assert_eq!(week, Some(expected), "{rep}");
        let alone = rep["probability_of_own_goal"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&alone));
    }
}

#[test]
fn a_teams_cards_are_the_same_on_one_thread_and_two() {
    let sets = ["simulation.replications=200"];
    assert_eq!(
        plan_json("1", &sets)["at_confidence"]["reps"],
        plan_json("2", &sets)["at_confidence"]["reps"]
    );
}

#[test]
fn one_rep_has_no_cards_of_their_own() {
    let mut command = callblitz();
    command.args(["plan", &shipped("new-hire-kpis.toml"), "--json"]);
    command.args(["--set", "simulation.replications=200"]);
    let json: serde_json::Value = serde_json::from_slice(&stdout_of(&mut command)).unwrap();
    assert!(json["at_confidence"].get("reps").is_none());
}

#[test]
fn a_team_whose_every_member_states_hours_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixed.toml");
    let members = "[[team.members]]\nname = \"A\"\nhours_per_day = 2.0\n\
                   [[team.members]]\nname = \"B\"\nhours_per_day = 3.0\n";
    std::fs::write(&path, format!("[goal]\ndeals = 4.0\n{members}")).unwrap();
    let output = callblitz().arg("plan").arg(&path).output().unwrap();
    assert_refused(
        &output,
        &["team.members", "hours_per_day", "simulate --calendar"],
    );
}

#[test]
fn shares_the_leader_states_split_the_goal_and_leave_the_hours() {
    let sets = ["simulation.replications=200"];
    let shares = [0.4, 0.3, 0.2, 0.1];
    let stated: Vec<String> = shares
        .iter()
        .enumerate()
        .map(|(i, share)| format!("team.members[{i}].goal_share={share}"))
        .collect();
    let with_shares: Vec<&str> = sets
        .iter()
        .copied()
        .chain(stated.iter().map(String::as_str))
        .collect();
    let split = plan_json("2", &sets)["at_confidence"].clone();
    let stated = plan_json("2", &with_shares)["at_confidence"].clone();
    // The team's plan is the same: only the cards' parts of the goal change.
    assert_eq!(
        split["prospecting_hours_per_week"],
        stated["prospecting_hours_per_week"]
    );
    assert_eq!(split["probability"], stated["probability"]);
    for ((rep, unsplit), share) in stated["reps"]
        .as_array()
        .unwrap()
        .iter()
        .zip(split["reps"].as_array().unwrap())
        .zip(shares)
    {
        assert_eq!(rep["stated_share"], true);
        assert_eq!(unsplit["stated_share"], false);
        assert_eq!(rep["share_of_goal"].as_f64(), Some(share));
        assert!((rep["goal_deals"].as_f64().unwrap() - 50.0 * share).abs() < 1e-9);
        assert_eq!(rep["deals"], unsplit["deals"]);
    }
}

#[test]
fn stated_shares_of_the_goal_are_every_members_and_add_up_to_one() {
    let refused = |sets: &[&str], expected: &[&str]| {
        let mut command = callblitz();
        command.args(["plan", &shipped("team-kpis.toml")]);
        for set in sets {
            command.args(["--set", set]);
        }
        assert_refused(&command.output().unwrap(), expected);
    };
    refused(
        &["team.members[0].goal_share=0.5"],
        &["team.members[1].goal_share", "every member"],
    );
    let four = |last: &str| {
        [
            "team.members[0].goal_share=0.25".to_string(),
            "team.members[1].goal_share=0.25".to_string(),
            "team.members[2].goal_share=0.25".to_string(),
            format!("team.members[3].goal_share={last}"),
        ]
    };
    let short = four("0.2");
    let short: Vec<&str> = short.iter().map(String::as_str).collect();
    refused(&short, &["team.members", "add up to 1"]);
    let zero = four("0");
    let zero: Vec<&str> = zero.iter().map(String::as_str).collect();
    refused(&zero, &["team.members[3].goal_share", "above 0"]);
}
