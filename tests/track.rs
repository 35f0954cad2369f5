//! `track`, the weekly check-in: its verdicts hold their false-alarm rate on years of the plan
//! itself, "when can we tell" holds its power on fresh years short of the plan, the shipped
//! example reads as documented, and bad dates are refused.

use callblitz::engine::{CalendarModel, Drawn, Replicate, Week, replication_stream};
use callblitz::plan::Target;
use callblitz::scenario::{Interval, Scenario, Uncertain};
use callblitz::track::{
    FALSE_ALARM, Indicator, Outlook, POWER, PlanGiven, PlanSource, Standing, plan_weeks, prior,
    told_share, when_to_tell,
};

use crate::common::{
    assert_png, assert_refused, callblitz, json_of, new_hire, on_threads, shipped, stdout_of,
};

/// The new hire's plan hours, to the search's precision (`callblitz plan`).
const HOURS: f64 = 24.8;

/// A share estimated from `n` fresh years against a line set by `m` years of the plan: its
/// standard error, the line's own sampling error included.
fn share_error(p: f64, n: f64, m: f64) -> f64 {
    (p * (1.0 - p) * (1.0 / n + 1.0 / m)).sqrt()
}

#[test]
fn a_rep_on_plan_is_called_behind_beyond_luck_no_more_than_stated() {
    let plan = plan_weeks(&new_hire(&[]), HOURS).unwrap();
    let fresh = plan_weeks(
        &new_hire(&["simulation.seed=77", "simulation.replications=2000"]),
        HOURS,
    )
    .unwrap();
    let tolerance = 4.5 * share_error(FALSE_ALARM, 2000.0, 1000.0);
    for week in [1, 3, 6, 10, 20, 40] {
        for indicator in Indicator::EVERY {
            let share = told_share(&plan, &fresh, week, indicator);
            assert!(
                share <= FALSE_ALARM + tolerance,
                "week {}: {} called behind beyond luck in {share} of years on plan",
                week + 1,
                indicator.name()
            );
        }
    }
}

#[test]
fn a_rep_short_of_plan_is_told_apart_by_the_week_predicted() {
    let s = new_hire(&[]);
    let plan = plan_weeks(&s, HOURS).unwrap();
    let given = PlanGiven {
        hours_per_week: HOURS,
        from: PlanSource::Stated,
    };
    let tell = when_to_tell(&s, &given, &plan, 0.7).unwrap();
    let fresh_seed = ["simulation.seed=78", "simulation.replications=2000"];
    let short = plan_weeks(&new_hire(&fresh_seed), 0.7 * HOURS).unwrap();
    let tolerance = 4.5 * share_error(POWER, 2000.0, 1000.0);
    for (indicator, week) in [
        (Indicator::Touches, tell.fewer_hours.touches),
        (
            Indicator::AppointmentsSet,
            tell.fewer_hours.appointments_set,
        ),
    ] {
        let week = week.expect("told apart within the year") as usize;
        let share = told_share(&plan, &short, week - 1, indicator);
        assert!(
            share >= POWER - tolerance,
            "{}: told apart in {share} of fresh years by week {week}",
            indicator.name()
        );
        if week > 1 {
            // The week before, fewer than the stated power (the first such week is the answer).
            let earlier = told_share(&plan, &short, week - 2, indicator);
            assert!(
                earlier < POWER + tolerance,
                "{}: {earlier} a week earlier",
                indicator.name()
            );
        }
    }
    // Appointments take longer to tell than touches, whose plan hardly varies.
    assert!(tell.fewer_hours.touches < tell.fewer_hours.appointments_set);
    let weak = tell
        .lower_yield
        .expect("a lower yield told apart within the year");
    let mut lower = new_hire(&fresh_seed);
    lower.funnel.appointment_rate *= 0.7;
    let weak_years = plan_weeks(&lower, HOURS).unwrap();
    let share = told_share(
        &plan,
        &weak_years,
        weak as usize - 1,
        Indicator::AppointmentsSet,
    );
    assert!(
        share >= POWER - tolerance,
        "lower yield: {share} by week {weak}"
    );
}

fn example() -> Vec<String> {
    vec![
        "track".into(),
        shipped("new-hire-kpis.toml"),
        "--log".into(),
        shipped("new-hire-first-10-weeks.csv"),
        "--hours".into(),
        HOURS.to_string(),
    ]
}

#[test]
fn the_shipped_rep_makes_the_calls_and_books_too_few() {
    let json: serde_json::Value = json_of(callblitz().args(example()).arg("--json"));
    assert_eq!(json["start"], "2026-01-05");
    assert_eq!(json["as_of"], "2026-03-13");
    assert_eq!(json["weeks"].as_array().unwrap().len(), 10);
    let verdict = |name: &str| {
        json["to_date"][name]["verdict"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(verdict("appointments_set"), "behind_beyond_luck");
    for effort in ["touches", "dials", "prospecting_hours", "conversations"] {
        assert_ne!(verdict(effort), "behind_beyond_luck", "{effort}");
        assert_ne!(verdict(effort), "behind_within_luck", "{effort}");
    }
    // The gap is in yield: the effort part is not negative, the yield part's interval below 0.
    let shortfall = &json["shortfall"];
    assert!(shortfall["effort"]["appointments"].as_f64().unwrap() >= 0.0);
    assert!(shortfall["yield"]["ci95"][1].as_f64().unwrap() < 0.0);
    let gap = shortfall["gap"].as_f64().unwrap();
    let parts = shortfall["effort"]["appointments"].as_f64().unwrap()
        + shortfall["yield"]["appointments"].as_f64().unwrap();
    assert!((gap - parts).abs() < 1e-9, "{gap} against {parts}");
    let rates = shortfall["rates"].as_array().unwrap();
    assert_eq!(rates[1]["name"], "appointments_per_conversation");
    assert!(rates[1]["ci95"][1].as_f64().unwrap() < rates[1]["plan"].as_f64().unwrap());
}

#[test]
fn the_check_in_is_the_same_on_any_number_of_threads() {
    let on = |threads: &str| {
        stdout_of(
            callblitz()
                .args(example())
                .args(["--json", "--threads", threads]),
        )
    };
    assert_eq!(on("1"), on("2"));
    // And the same in-process (the library on a pool of one and of two).
    let s = new_hire(&[]);
    let one = on_threads(1, || format!("{:?}", plan_weeks(&s, HOURS).unwrap()));
    let two = on_threads(2, || format!("{:?}", plan_weeks(&s, HOURS).unwrap()));
    assert_eq!(one, two);
}

#[test]
fn activity_outside_the_check_in_is_reported_not_counted() {
    let json: serde_json::Value =
        json_of(
            callblitz()
                .args(example())
                .args(["--as-of", "2026-02-27", "--json"]),
        );
    assert_eq!(json["weeks"].as_array().unwrap().len(), 8);
    let after = json["log"]["after_as_of"].as_u64().unwrap();
    assert!(after > 0);
    let counted = json["log"]["counted"].as_u64().unwrap();
    let rows = std::fs::read_to_string(shipped("new-hire-first-10-weeks.csv"))
        .unwrap()
        .lines()
        .count() as u64
        - 1;
    assert_eq!(counted + after, rows);
    // A check-in on a Wednesday judges the weeks over; the days of the week under way wait.
    let json: serde_json::Value =
        json_of(
            callblitz()
                .args(example())
                .args(["--as-of", "2026-03-11", "--json"]),
        );
    assert_eq!(json["weeks"].as_array().unwrap().len(), 9);
    assert!(json["log"]["in_week_under_way"].as_u64().unwrap() > 0);
    // A week off is left out of the plan's weeks and judged as nothing.
    let json: serde_json::Value =
        json_of(
            callblitz()
                .args(example())
                .args(["--weeks-off", "10", "--json"]),
        );
    assert_eq!(json["weeks"][9]["off"], true);
    assert!(
        json["weeks"][9]["metrics"]["touches"]
            .get("verdict")
            .is_none()
    );
}

#[test]
fn bad_dates_and_flags_are_refused_with_the_fix() {
    let refused = |extra: &[&str], expected: &[&str]| {
        let output = callblitz().args(example()).args(extra).output().unwrap();
        assert_refused(&output, expected);
    };
    refused(
        &["--as-of", "2026-01-07"],
        &["--as-of 2026-01-07", "whole weeks"],
    );
    refused(&["--as-of", "2025-12-01"], &["is before --start"]);
    refused(&["--weeks-off", "11"], &["--weeks-off 11", "weeks 1 to 10"]);
    refused(&["--share", "1.5"], &["--share 1.5"]);
    refused(&["--start", "2026-13-01"], &["YYYY-MM-DD"]);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    std::fs::write(
        &log,
        "lead_id,timestamp,channel,outcome,rep\nL1,2026-01-05T09:00:00,call,no_answer,A\nL2,yesterday,call,no_answer,A\n",
    )
    .unwrap();
    let output = callblitz()
        .args(["track", &shipped("new-hire-kpis.toml"), "--log"])
        .arg(&log)
        .args(["--hours", "20"])
        .output()
        .unwrap();
    assert_refused(&output, &["log.csv:3"]);
    let output = callblitz()
        .args(["track", &shipped("new-hire-kpis.toml"), "--log"])
        .arg(&log)
        .args(["--hours", "0"])
        .output()
        .unwrap();
    assert_refused(&output, &["--hours 0"]);
}

/// The 95% interval of a Beta prior of mean `mean` worth `trials` trials.
fn prior_interval(mean: f64, trials: f64) -> Interval {
    use statrs::distribution::{Beta, ContinuousCDF};
    let beta = Beta::new(mean * trials, (1.0 - mean) * trials).unwrap();
    Interval {
        lo: beta.inverse_cdf(0.025),
        hi: beta.inverse_cdf(0.975),
    }
}

#[test]
fn the_re_forecast_is_calibrated_on_years_of_the_plan() {
    // Synthetic years of the plan, every week worked, each with its rates drawn from the
    // re-forecast's own prior (the plan's rates, worth PRIOR_WEEKS weeks of its evidence), cut
    // at week 10 and re-forecast; then whether each reached the goal.
    const YEARS: u64 = 600;
    const CUT_WEEKS: usize = 10;
    let base = new_hire(&["simulation.weeks_off=0", "simulation.replications=200"]);
    let target = Target::of(&base).unwrap();
    let prior = prior(&plan_weeks(&new_hire(&["simulation.weeks_off=0"]), HOURS).unwrap());
    let contact = prior.conversations / prior.touches;
    let mut truth = base.clone();
    let reach = |x: f64| base.leads.reachability.mean * x / contact;
    let contact_interval = prior_interval(contact, prior.touches);
    truth.uncertainty.intervals.insert(
        Uncertain::Mean.key(),
        Interval {
            lo: reach(contact_interval.lo),
            hi: reach(contact_interval.hi),
        },
    );
    truth.uncertainty.intervals.insert(
        Uncertain::AppointmentRate.key(),
        prior_interval(base.funnel.appointment_rate, prior.conversations),
    );
    let hours_per_day = HOURS / 5.0;
    let model = Drawn::new(&truth, |s: &Scenario| {
        CalendarModel::new(s, hours_per_day).recording_weeks()
    });
    let mut scratch = model.scratch();
    let mut forecasts: Vec<(f64, bool)> = (0..YEARS)
        .map(|r| {
            let year = model.replicate(&mut replication_stream(4242, r), &mut scratch);
            let past = &year.weeks[..CUT_WEEKS];
            let sum = |of: fn(&Week) -> f64| past.iter().map(of).sum::<f64>();
            let standing = Standing {
                check_in_day: 7 * CUT_WEEKS as u32,
                weeks_off_taken: 0,
                minutes_by_week: past.iter().map(|w| w.minutes).collect(),
                touches: sum(|w| f64::from(w.touches)),
                conversations: sum(|w| f64::from(w.contacts)),
                appointments: sum(|w| f64::from(w.appointments_set)),
                // The weekly record keeps no days: each week's appointments on its Wednesday.
                pending_appointments: past
                    .iter()
                    .enumerate()
                    .flat_map(|(w, week)| {
                        std::iter::repeat_n(7 * w as u32 + 2, week.appointments_set as usize)
                    })
                    .collect(),
                open_opportunities: Vec::new(),
                deals_won: 0,
            };
            let mut s = base.clone();
            s.simulation.seed = 1000 + r;
            let stated = Outlook::new(&s, &target, &standing, prior)
                .unwrap()
                .chance_at(HOURS);
            let deals: u32 = year.weeks.iter().map(|w| w.deals).sum();
            (stated, f64::from(deals) >= target.deals)
        })
        .collect();
    forecasts.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Stated against realised by decile of the stated chance, and over all the years: within
    // the binomial error of the years, and the Monte Carlo error of each forecast's 200
    // replications.
    eprintln!("stated   realised  years");
    let all = [&forecasts[..]];
    for bin in forecasts.chunks(YEARS as usize / 10).chain(all) {
        let n = bin.len() as f64;
        let stated = bin.iter().map(|f| f.0).sum::<f64>() / n;
        let realised = bin.iter().filter(|f| f.1).count() as f64 / n;
        let variance: f64 = bin.iter().map(|f| f.0 * (1.0 - f.0)).sum();
        let se = (variance * (1.0 + 1.0 / 200.0)).sqrt() / n;
        eprintln!("{stated:.3}    {realised:.3}     {n}");
        assert!(
            (realised - stated).abs() <= 4.5 * se.max(0.5 / n),
            "stated {stated:.3}, realised {realised:.3} over {n} years (se {se:.3})"
        );
    }
}

#[test]
fn the_opportunities_export_sets_the_pipeline_and_bad_rows_are_named() {
    let mut with_deals = example();
    with_deals.extend([
        "--deals".into(),
        shipped("new-hire-first-10-weeks-deals.csv"),
    ]);
    let json: serde_json::Value = json_of(callblitz().args(&with_deals).arg("--json"));
    let rows = std::fs::read_to_string(shipped("new-hire-first-10-weeks-deals.csv")).unwrap();
    let count = |stage: &str| {
        rows.lines()
            .filter(|l| l.contains(&format!(",{stage},")))
            .count()
    };
    let pipeline = &json["pipeline"];
    assert_eq!(pipeline["open"].as_u64().unwrap() as usize, count("open"));
    assert_eq!(pipeline["lost"].as_u64().unwrap() as usize, count("lost"));
    assert_eq!(pipeline["won"].as_u64().unwrap() as usize, count("won"));
    // The lagging indicators: the export's opportunities created and deals won, by week.
    let lagging = &json["lagging"];
    let created = rows.lines().skip(1).count() as f64;
    assert_eq!(lagging["to_date"]["opportunities"]["actual"], created);
    assert_eq!(lagging["to_date"]["deals"]["actual"], count("won") as f64);
    let weekly: f64 = lagging["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["metrics"]["opportunities"]["actual"].as_f64().unwrap())
        .sum();
    assert_eq!(weekly, created);
    let without: serde_json::Value = json_of(callblitz().args(example()).arg("--json"));
    assert!(without.get("lagging").is_none());
    let forecast = &json["forecast"];
    let chance = forecast["probability_of_goal"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&chance));
    // Each open opportunity brings at most one deal, at most at the win rate.
    let open = pipeline["open"].as_f64().unwrap();
    assert!(forecast["pipeline_deals"].as_f64().unwrap() <= 0.3 * open + 6.0 * 0.75 * 0.6 * 0.3);
    let dir = tempfile::tempdir().unwrap();
    let bad = |body: &str, expected: &[&str]| {
        let path = dir.path().join("deals.csv");
        std::fs::write(&path, body).unwrap();
        let output = callblitz()
            .args(example())
            .arg("--deals")
            .arg(&path)
            .output()
            .unwrap();
        assert_refused(&output, expected);
    };
    bad(
        "opportunity_id,created,stage,closed,amount\nO1,2026-01-20,negotiation,,\n",
        &[
            "deals.csv:2",
            "\"negotiation\" is not a stage",
            "--stage-map",
        ],
    );
    bad(
        "opportunity_id,created,stage,closed,amount\nO1,2026-01-20,won,,\n",
        &["deals.csv:2", "needs the day it closed"],
    );
    bad(
        "opportunity_id,opened,stage\nO1,2026-01-20,open\n",
        &["deals.csv:1", "no column \"created\"", "--deal-cols"],
    );
    bad(
        "opportunity_id,created,stage,closed,amount\nO1,2026-02-20,lost,2026-01-03,\n",
        &["deals.csv:2", "before it was created"],
    );
}

#[test]
fn each_rep_is_judged_against_one_reps_share_of_the_plan() {
    // Two reps logging the shipped rep's weeks, one of them under a name of their own.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("team.csv");
    let one = std::fs::read_to_string(shipped("new-hire-first-10-weeks.csv")).unwrap();
    let mut team = one.clone();
    for line in one.lines().skip(1) {
        team.push_str(&line.replace(",Alex", ",Blake").replacen('L', "M", 1));
        team.push('\n');
    }
    std::fs::write(&log, team).unwrap();
    let json: serde_json::Value = json_of(
        callblitz()
            .args(["track", &shipped("new-hire-kpis.toml"), "--log"])
            .arg(&log)
            .args(["--hours", "24.8", "--set", "team.reps=2", "--json"]),
    );
    let reps = json["reps"].as_array().unwrap();
    assert_eq!(reps.len(), 2);
    for rep in reps {
        let to_date = &rep["to_date"];
        assert_eq!(to_date["appointments_set"]["verdict"], "behind_beyond_luck");
        // Each rep made as many touches as the team's single rep did, half the team's.
        let team_touches = json["to_date"]["touches"]["actual"].as_f64().unwrap();
        assert_eq!(
            to_date["touches"]["actual"].as_f64().unwrap() * 2.0,
            team_touches
        );
        let expected = to_date["touches"]["expected"].as_f64().unwrap();
        let team_expected = json["to_date"]["touches"]["expected"].as_f64().unwrap();
        assert!((2.0 * expected - team_expected).abs() < 0.02 * team_expected);
        // Week by week too: each week half the team's, judged, adding up to the total.
        let weeks = rep["weeks"].as_array().unwrap();
        assert_eq!(weeks.len(), 10);
        let mut touches = 0.0;
        for (week, team_week) in weeks.iter().zip(json["weeks"].as_array().unwrap()) {
            let actual = week["metrics"]["touches"]["actual"].as_f64().unwrap();
            let team_actual = team_week["metrics"]["touches"]["actual"].as_f64().unwrap();
            assert_eq!(actual * 2.0, team_actual);
            assert!(week["metrics"]["appointments_set"]["verdict"].is_string());
            touches += actual;
        }
        assert_eq!(touches, to_date["touches"]["actual"].as_f64().unwrap());
    }
    // The CSV: the team's ten weeks, then each rep's, five indicators a week.
    let csv = String::from_utf8(stdout_of(
        callblitz()
            .args(["track", &shipped("new-hire-kpis.toml"), "--log"])
            .arg(&log)
            .args(["--hours", "24.8", "--set", "team.reps=2", "--csv", "-"]),
    ))
    .unwrap();
    let by_rep = |rep: &str| {
        csv.lines()
            .skip(1)
            .filter(|line| line.split(',').next() == Some(rep))
            .count()
    };
    assert_eq!([by_rep(""), by_rep("Alex"), by_rep("Blake")], [50, 50, 50]);
}

#[test]
fn plan_tells_before_hiring_what_the_check_in_tells_after() {
    let plan: serde_json::Value = json_of(callblitz().args([
        "plan",
        &shipped("new-hire-kpis.toml"),
        "--tell",
        "0.7",
        "--json",
    ]));
    let hours = plan["at_confidence"]["prospecting_hours_per_week"]
        .as_f64()
        .unwrap();
    let track: serde_json::Value = json_of(callblitz().args([
        "track",
        &shipped("new-hire-kpis.toml"),
        "--log",
        &shipped("new-hire-first-10-weeks.csv"),
        "--hours",
        &hours.to_string(),
        "--json",
    ]));
    assert_eq!(plan["when_to_tell"], track["when_to_tell"]);
    let without: serde_json::Value =
        json_of(callblitz().args(["plan", &shipped("new-hire-kpis.toml"), "--json"]));
    assert!(without.get("when_to_tell").is_none());
    let output = callblitz()
        .args(["plan", &shipped("new-hire-kpis.toml"), "--tell", "1"])
        .output()
        .unwrap();
    assert_refused(&output, &["--tell 1"]);
}

/// `track` of the shipped new hire's first ten weeks, before any other flag.
fn track_of_the_example() -> assert_cmd::Command {
    let mut command = callblitz();
    command.args([
        "track",
        &shipped("new-hire-kpis.toml"),
        "--log",
        &shipped("new-hire-first-10-weeks.csv"),
    ]);
    command
}

#[test]
fn a_saved_plan_is_the_plan_a_check_in_holds_the_rep_to() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("plan.json");
    let saved = saved.to_str().unwrap();
    let plan: serde_json::Value = json_of(callblitz().args([
        "plan",
        &shipped("new-hire-kpis.toml"),
        "--save",
        saved,
        "--json",
    ]));
    let hours = plan["at_confidence"]["prospecting_hours_per_week"]
        .as_f64()
        .unwrap();
    let track = |extra: &[&str]| {
        let mut command = track_of_the_example();
        command.arg("--json").args(extra);
        command
    };
    let from_saved: serde_json::Value = json_of(&mut track(&["--plan", saved]));
    assert_eq!(from_saved["plan"]["prospecting_hours_per_week"], hours);
    assert_eq!(from_saved["plan"]["from"], "saved");
    let stated: serde_json::Value = json_of(&mut track(&["--hours", &hours.to_string()]));
    assert_eq!(from_saved["to_date"], stated["to_date"]);
    assert_eq!(from_saved["forecast"], stated["forecast"]);
    // The check-in's own Monte Carlo may differ from the plan's; the plan may not.
    let reseeded = track(&["--plan", saved, "--seed", "9"]).output().unwrap();
    assert_eq!(reseeded.status.code(), Some(0));
    let edited = track(&["--plan", saved, "--set", "funnel.show_rate=0.6"])
        .output()
        .unwrap();
    assert_refused(
        &edited,
        &[
            "plan.json",
            "funnel.show_rate: 0.75 when saved, 0.6 now",
            &format!("--hours {hours}"),
        ],
    );
    let not_a_plan = track(&["--plan", &shipped("new-hire-kpis.toml")])
        .output()
        .unwrap();
    assert_refused(&not_a_plan, &["line 1, column 1", "not a saved plan"]);
    // A goal out of reach has no plan to save: the report says why, and nothing is written.
    let out_of_reach = dir.path().join("none.json");
    let output = callblitz()
        .args(["plan", &shipped("new-hire-kpis.toml"), "--deals", "400"])
        .arg("--save")
        .arg(&out_of_reach)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no plan to save"));
    assert!(!out_of_reach.exists());
}

#[test]
fn the_chart_draws_every_indicator_and_the_lagging_ones_with_the_export() {
    let dir = tempfile::tempdir().unwrap();
    for (deals, rows) in [(false, 3), (true, 4)] {
        let chart = dir.path().join(format!("track-{deals}.png"));
        let mut command = track_of_the_example();
        command.args(["--hours", "25"]);
        if deals {
            command.args(["--deals", &shipped("new-hire-first-10-weeks-deals.csv")]);
        }
        command.arg("--chart").arg(&chart);
        stdout_of(&mut command);
        // Two columns of 1200 × 600 panels: five leading indicators, and two lagging.
        assert_png(&chart, 2400, 600 * rows);
    }
}

#[test]
fn revenue_won_is_set_against_the_plan_split_into_deals_and_their_size() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("deals.csv");
    std::fs::write(
        &export,
        "opportunity_id,created,stage,closed,amount\n\
         O1,2026-01-20,won,2026-02-20,10000\n\
         O2,2026-01-27,won,2026-03-02,20000\n\
         O3,2026-02-03,won,2026-03-04,\n\
         O4,2026-02-10,open,,15000\n",
    )
    .unwrap();
    let mut command = track_of_the_example();
    command.args(["--hours", "25", "--deals"]).arg(&export);
    let json: serde_json::Value = json_of(command.arg("--json"));
    let revenue = &json["lagging"]["revenue"];
    let value = |key: &str| revenue[key].as_f64().unwrap();
    assert_eq!(value("actual"), 30_000.0);
    assert_eq!(json["pipeline"]["won_without_amount"], 1);
    let deals = &json["lagging"]["to_date"]["deals"];
    assert_eq!(deals["actual"], 3.0);
    // The shipped scenario's one deal size.
    assert_eq!(value("plan_deal_size"), 12_000.0);
    let expected_deals = deals["expected"].as_f64().unwrap();
    assert!((value("expected") - expected_deals * 12_000.0).abs() < 1e-6);
    // The two parts add up to the gap.
    let gap = value("actual") - value("expected");
    assert!((value("from_deals") + value("from_deal_size") - gap).abs() < 1e-6);
    assert_eq!(value("from_deal_size"), 30_000.0 - 3.0 * 12_000.0);
    let mut command = track_of_the_example();
    command.args(["--hours", "25", "--deals"]).arg(&export);
    let text = String::from_utf8(stdout_of(&mut command)).unwrap();
    assert!(text.contains("Revenue won to date: 30,000"), "{text}");
    assert!(
        text.contains("1 won deal(s) in the export have no amount"),
        "{text}"
    );
}

#[test]
fn the_meetings_export_judges_appointments_held_by_the_week_held() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("meetings.csv");
    // Held, no-show, held (as "completed"), held, held without a status, and one after the
    // ten weeks judged (2026-01-05 to 2026-03-15).
    std::fs::write(
        &export,
        "Start,Outcome\n2026-01-20,held\n2026-01-28,no_show\n2026-02-03,completed\n\
         2026-02-12,held\n2026-02-25,\n2026-03-30,held\n",
    )
    .unwrap();
    let mut command = track_of_the_example();
    command.args(["--hours", "25", "--meetings"]).arg(&export);
    command.args(["--meeting-cols", "date=Start,status=Outcome", "--json"]);
    let json: serde_json::Value = json_of(&mut command);
    assert_eq!(json["meetings"]["held"], 4);
    assert_eq!(json["meetings"]["left_out"], 1);
    let held = &json["lagging"]["to_date"]["appointments_held"];
    assert_eq!(held["actual"], 4.0);
    assert!(held["verdict"].is_string());
    // Weeks 3, 5, 6 and 8 held one each; without --deals only the meetings' indicator.
    let weekly: Vec<f64> = json["lagging"]["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            w["metrics"]["appointments_held"]["actual"]
                .as_f64()
                .unwrap()
        })
        .collect();
    assert_eq!(weekly, [0., 0., 1., 0., 1., 1., 0., 1., 0., 0.]);
    assert!(json["lagging"]["to_date"].get("deals").is_none());
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "date,status\n2026-01-20,maybe\n").unwrap();
    let mut command = track_of_the_example();
    command.args(["--hours", "25", "--meetings"]).arg(&bad);
    assert_refused(
        &command.output().unwrap(),
        &["bad.csv:2", "\"maybe\" is not a meeting status", "no_show"],
    );
}
