//! `[costs]`: each replication's cost is the sum of its parts, a cohort's cost per appointment
//! held is the closed form's, and a scenario without costs says nothing of money.

use callblitz::engine::LeadModel;

use crate::common::{assert_refused, callblitz, json_of, new_hire, shipped, stdout_of};

const COSTS: [&str; 6] = [
    "costs.rep_per_year=85000",
    "costs.tools_per_rep_per_year=4000",
    "costs.per_lead=2",
    "costs.commission_rate=0.1",
    "costs.per_appointment_held=50",
    "costs.per_opportunity=120",
];

/// The rows of a `simulate --csv -` run of `file` with `extra` arguments, by column name.
fn csv_rows(file: &str, extra: &[&str]) -> Vec<std::collections::HashMap<String, f64>> {
    let mut command = callblitz();
    command
        .args(["simulate", &shipped(file), "--csv", "-"])
        .args(extra);
    for cost in COSTS {
        command.args(["--set", cost]);
    }
    let text = String::from_utf8(stdout_of(&mut command)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|line| {
            header
                .iter()
                .zip(line.split(','))
                .map(|(name, cell)| (name.to_string(), cell.parse().unwrap()))
                .collect()
        })
        .collect()
}

fn assert_close(what: &str, a: f64, b: f64) {
    assert!(
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        "{what}: {a} against {b}"
    );
}

#[test]
fn every_replication_costs_the_sum_of_its_parts() {
    let cohort = csv_rows("sixteen-touch.toml", &["--replications", "200"]);
    let calendar = csv_rows(
        "new-hire-kpis.toml",
        &["--calendar", "--replications", "100"],
    );
    for (rows, calendar) in [(cohort, false), (calendar, true)] {
        for row in rows {
            let v = |name: &str| row[name];
            let parts = v("cost_people") + v("cost_leads") + v("cost_commission");
            assert_close("cost", v("cost"), parts);
            assert_close("margin", v("gross_margin"), v("revenue") - v("cost"));
            assert_close("leads", v("cost_leads"), 2.0 * v("leads"));
            let commission =
                0.1 * v("revenue") + 50.0 * v("appointments_held") + 120.0 * v("opportunities");
            assert_close("commission", v("cost_commission"), commission);
            if calendar {
                // One rep for the horizon's 52 weeks: a year's cost and seat.
                assert_close("people", v("cost_people"), 89_000.0);
            }
        }
    }
}

#[test]
fn a_cohorts_cost_per_appointment_held_is_the_closed_form() {
    // A cohort is charged its minutes at the loaded cost per working minute: (85,000 + 4,000)
    // over 8 h × 60 × 5 days × 48 of 52 weeks, scaled to a 52-week year.
    let scenario = new_hire(&[]);
    let sim = &scenario.simulation;
    let per_minute = 89_000.0
        / (scenario.team.workday_hours
            * 60.0
            * f64::from(sim.working_days_per_week)
            * f64::from(sim.weeks - sim.weeks_off)
            * 52.0
            / f64::from(sim.weeks));
    let lead = LeadModel::new(&scenario);
    let per_lead = lead.expected_per_lead();
    let funnel = lead.funnel();
    let held = per_lead.contacts * funnel.appointment * funnel.show;
    let held_commission = 50.0 * held
        + 120.0 * held * funnel.opportunity
        + 0.1 * held * funnel.opportunity * funnel.win * scenario.funnel.deal_size;
    let closed = (per_lead.minutes * per_minute + 2.0 + held_commission) / held;
    let rows = csv_rows("new-hire-kpis.toml", &["--replications", "2000"]);
    let n = rows.len() as f64;
    let mean = |name: &str| rows.iter().map(|r| r[name]).sum::<f64>() / n;
    let (cost, held_mean) = (mean("cost"), mean("appointments_held"));
    let ratio = cost / held_mean;
    // The ratio of means' standard error, by the delta method.
    let residual: Vec<f64> = rows
        .iter()
        .map(|r| r["cost"] - closed * r["appointments_held"])
        .collect();
    let m = residual.iter().sum::<f64>() / n;
    let var = residual.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    let se = (var / n).sqrt() / held_mean;
    assert!(
        (ratio - closed).abs() <= 4.5 * se,
        "cost per appointment held {ratio} against the closed form {closed} (se {se})"
    );
    // And the report's own figure is the same ratio.
    let mut command = callblitz();
    command.args([
        "simulate",
        &shipped("new-hire-kpis.toml"),
        "--replications",
        "2000",
        "--json",
    ]);
    for cost in COSTS {
        command.args(["--set", cost]);
    }
    let json: serde_json::Value = json_of(&mut command);
    let reported = json["money"]["per_appointment_held"].as_f64().unwrap();
    assert!(
        (reported - ratio).abs() <= 1e-6 * ratio,
        "{reported} against {ratio}"
    );
}

#[test]
fn without_costs_nothing_speaks_of_money_and_bad_prices_are_refused() {
    let json: serde_json::Value = json_of(callblitz().args([
        "simulate",
        &shipped("new-hire-kpis.toml"),
        "--replications",
        "50",
        "--json",
    ]));
    assert!(json.get("money").is_none());
    let csv = String::from_utf8(stdout_of(callblitz().args([
        "simulate",
        &shipped("new-hire-kpis.toml"),
        "--replications",
        "5",
        "--csv",
        "-",
    ])))
    .unwrap();
    assert!(!csv.lines().next().unwrap().contains("cost"));
    let text = String::from_utf8(stdout_of(callblitz().args([
        "simulate",
        &shipped("new-hire-kpis.toml"),
        "--replications",
        "5",
    ])))
    .unwrap();
    assert!(!text.contains("Money"));
    let output = callblitz()
        .args(["simulate", &shipped("new-hire-kpis.toml")])
        .args([
            "--set",
            "costs.commission_rate=2",
            "--set",
            "costs.per_lead=-1",
        ])
        .output()
        .unwrap();
    assert_refused(
        &output,
        &[
            "costs.commission_rate = 2: must be between 0 and 1",
            "costs.per_lead = -1",
        ],
    );
}

#[test]
fn a_plan_prices_its_year_without_moving_its_hours() {
    let plan = |costs: &[&str]| {
        let mut command = callblitz();
        command.args(["plan", &shipped("new-hire-kpis.toml"), "--json"]);
        for cost in costs {
            command.args(["--set", cost]);
        }
        json_of::<serde_json::Value>(&mut command)["at_confidence"].clone()
    };
    let priced = plan(&COSTS);
    let plain = plan(&[]);
    assert_eq!(
        priced["prospecting_hours_per_week"],
        plain["prospecting_hours_per_week"]
    );
    assert!(plain.get("money").is_none());
    let money = &priced["money"];
    let part = |name: &str| money["parts"][name].as_f64().unwrap();
    // One rep's year and seat, whole.
    assert_close("people", part("people"), 89_000.0);
    assert_close(
        "cost",
        money["cost"]["mean"].as_f64().unwrap(),
        part("people") + part("leads") + part("commission"),
    );
    // The plan's own revenue: its median among the year's.
    let revenue = money["revenue"]["p50"].as_f64().unwrap();
    assert_eq!(revenue, priced["revenue"]["p50"].as_f64().unwrap());
}

#[test]
fn money_is_the_same_on_any_number_of_threads() {
    let money =
        |threads: &str| calendar_money(&COSTS, &["--replications", "60", "--threads", threads]);
    let one = money("1");
    assert!(one["cost"]["mean"].as_f64().unwrap() > 0.0);
    assert!(one["payback"]["within_horizon"].is_f64());
    assert_eq!(one, money("2"));
}

#[test]
fn an_income_goal_is_planned_as_the_revenue_that_earns_it() {
    let plan = |goal: &[&str]| {
        let mut command = callblitz();
        command.args(["plan", &shipped("new-hire-kpis.toml"), "--json"]);
        command.args([
            "--set",
            "costs.base_salary=50000",
            "--set",
            "costs.commission_rate=0.1",
        ]);
        command.args(goal);
        json_of::<serde_json::Value>(&mut command)
    };
    // (70,000 − 50,000) / 10% = 200,000 of revenue.
    let income = plan(&["--income", "70000"]);
    let revenue = plan(&["--revenue", "200000"]);
    assert_eq!(income["income"]["revenue"], 200_000.0);
    assert_eq!(income["goal"], revenue["goal"]);
    assert_eq!(income["at_confidence"], revenue["at_confidence"]);
    let refused = |extra: &[&str], expected: &[&str]| {
        let output = callblitz()
            .args(["plan", &shipped("new-hire-kpis.toml")])
            .args(extra)
            .output()
            .unwrap();
        assert_refused(&output, expected);
    };
    refused(
        &["--income", "70000"],
        &["--income 70000", "costs.commission_rate"],
    );
    refused(
        &[
            "--income",
            "40000",
            "--set",
            "costs.base_salary=50000",
            "--set",
            "costs.commission_rate=0.1",
        ],
        &["already earns it"],
    );
    refused(
        &[
            "--income",
            "90000",
            "--set",
            "costs.commission_rate=0.1",
            "--set",
            "costs.per_opportunity=100",
        ],
        &["costs.per_opportunity"],
    );
}

/// `compare FILE --json` of a shipped scenario with `extra` arguments and every cost in `COSTS`.
fn priced_compare(file: &str, extra: &[&str]) -> serde_json::Value {
    let mut command = callblitz();
    command
        .args(["compare", &shipped(file), "--json"])
        .args(extra);
    for cost in COSTS {
        command.args(["--set", cost]);
    }
    json_of(&mut command)
}

#[test]
fn compare_prices_each_variant_as_simulate_does_and_pairs_their_margins() {
    let args = ["--calendar", "--replications", "300"];
    let compared = priced_compare("three-call-vs-sixteen-touch.toml", &args);
    let variants = compared["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 3);
    // The file's own scenario (the "16 touches" variant sets nothing), simulated alone, is
    // priced to the digit as compare prices it.
    let mut alone = callblitz();
    alone
        .args([
            "simulate",
            &shipped("three-call-vs-sixteen-touch.toml"),
            "--json",
        ])
        .args(args);
    for cost in COSTS {
        alone.args(["--set", cost]);
    }
    let alone: serde_json::Value = json_of(&mut alone);
    assert_eq!(variants[1]["name"], "16 touches");
    assert_eq!(variants[1]["money"], alone["money"]);
    assert!(variants[0].get("gross_margin_vs_baseline").is_none());
    let margin = |v: &serde_json::Value| v["money"]["gross_margin"]["mean"].as_f64().unwrap();
    for variant in &variants[1..] {
        let d = &variant["gross_margin_vs_baseline"];
        let mean = d["mean"].as_f64().unwrap();
        // A mean of paired differences is the difference of the means.
        assert_close(
            "paired margin",
            mean,
            margin(variant) - margin(&variants[0]),
        );
        let [low, high] = [0, 1].map(|i| d["ci95"][i].as_f64().unwrap());
        assert!(low < mean && mean < high, "{low} < {mean} < {high}");
    }
    // The same numbers on one thread as on two.
    let [one, two] = ["1", "2"].map(|threads| {
        priced_compare(
            "three-call-vs-sixteen-touch.toml",
            &[&args[..], &["--threads", threads]].concat(),
        )
    });
    assert_eq!(one, two);
}

#[test]
fn compare_without_costs_says_nothing_of_money() {
    let json: serde_json::Value = json_of(callblitz().args([
        "compare",
        &shipped("three-call-vs-sixteen-touch.toml"),
        "--replications",
        "200",
        "--json",
    ]));
    for variant in json["variants"].as_array().unwrap() {
        assert!(variant.get("money").is_none());
        assert!(variant.get("gross_margin_vs_baseline").is_none());
    }
    let cohort = priced_compare(
        "three-call-vs-sixteen-touch.toml",
        &["--replications", "200"],
    );
    assert!(cohort["variants"][1]["gross_margin_vs_baseline"]["mean"].is_f64());
}

/// The money of `simulate --calendar --json` on new-hire-kpis with `sets` and `extra`
/// arguments, as JSON.
fn calendar_money(sets: &[&str], extra: &[&str]) -> serde_json::Value {
    let mut command = callblitz();
    command
        .args([
            "simulate",
            &shipped("new-hire-kpis.toml"),
            "--calendar",
            "--json",
        ])
        .args(extra);
    for set in sets {
        command.args(["--set", set]);
    }
    json_of::<serde_json::Value>(&mut command)["money"].clone()
}

#[test]
fn a_replication_pays_back_within_the_horizon_exactly_when_its_margin_is_not_below_zero() {
    // The weeks' money adds up to the year's margin, so the years paying back are the years
    // not losing money: at prices where about half lose, with and without turnover.
    let dear = [
        "costs.rep_per_year=90000",
        "costs.per_lead=2",
        "costs.commission_rate=0.1",
    ];
    let turnover = [
        "people.attrition_per_year=0.35",
        "people.never_ramp_share=0.3",
        "people.hiring_weeks=8",
    ];
    for sets in [dear.to_vec(), [&dear[..], &turnover[..]].concat()] {
        let money = calendar_money(&sets, &["--replications", "2000"]);
        let loss = money["loss_chance"].as_f64().unwrap();
        assert!(loss > 0.1 && loss < 0.9, "{sets:?}: loss chance {loss}");
        let payback = &money["payback"];
        // As counts of the 2,000 years.
        let paid = (2000.0 * payback["within_horizon"].as_f64().unwrap()).round();
        assert_eq!(paid, (2000.0 * (1.0 - loss)).round(), "{sets:?}");
        let months: Vec<Option<f64>> = (0..3).map(|i| payback["months"][i].as_f64()).collect();
        // Quantiles in order, inside the year where they exist.
        let p10 = months[0].expect("the best tenth of years pay back");
        assert!(p10 > 0.0 && p10 <= 12.0, "{months:?}");
        let known: Vec<f64> = months.iter().flatten().copied().collect();
        assert!(known.windows(2).all(|w| w[0] <= w[1]), "{months:?}");
        assert_eq!(months[2].is_none(), loss > 0.1, "{months:?} at loss {loss}");
    }
    // Commission alone (no seat, no price per event) costs nothing until a deal pays it:
    // every year pays back in its first week.
    let free = calendar_money(&["costs.commission_rate=0.1"], &["--replications", "50"]);
    assert_eq!(free["payback"]["within_horizon"], 1.0);
    let first = free["payback"]["months"][0].as_f64().unwrap();
    assert_close("the first week, in months", first, 12.0 / 52.0);
}
