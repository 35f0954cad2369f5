//! `sweep`: grids run deterministically on any number of threads, on common random numbers,
//! and bad grids are refused with the fix.

use callblitz::engine::LeadModel;
use callblitz::plan::HOURS_TOLERANCE;
use callblitz::scenario::{Override, Scenario, load};
use serde_json::Value;

use crate::common::{assert_refused, assert_within, callblitz, json_of, shipped, stdout_of};
use crate::schema::{LeverJson, TornadoJson};

#[test]
fn the_csv_is_the_same_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let csv = |threads: &str| {
        let path = dir.path().join(format!("sweep-{threads}.csv"));
        stdout_of(
            callblitz()
                .args(["sweep", &shipped("sixteen-touch.toml")])
                .args(["--vary", "leads.reachability.mean=0.05..0.2:0.05"])
                .args(["--vary", "reps.give_up=[],[{after=3,share=0.8}]"])
                .args(["--replications", "300", "--threads", threads, "--csv"])
                .arg(&path),
        );
        std::fs::read_to_string(path).unwrap()
    };
    let one = csv("1");
    assert_eq!(one, csv("2"));
    let mut lines = one.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("leads.reachability.mean,reps.give_up,leads_mean,leads_sd,"));
    assert_eq!(lines.count(), 8);
}

#[test]
fn contacts_never_fall_as_attempts_rise() {
    // Every point runs on the same random numbers, so a longer cadence reaches every lead a
    // shorter one does: each summary of contacts can only grow.
    let json: Value = serde_json::from_slice(&stdout_of(
        callblitz()
            .args(["sweep", &shipped("cold-outbound.toml")])
            .args([
                "--vary",
                "cadence.attempts=1..16",
                "--replications",
                "500",
                "--json",
            ]),
    ))
    .unwrap();
    let points = json["points"].as_array().unwrap();
    assert_eq!(points.len(), 16);
    for (i, point) in points.iter().enumerate() {
        assert_eq!(point["set"]["cadence.attempts"], i as i64 + 1);
    }
    for stat in ["mean", "p05", "p50", "p95"] {
        let contacts: Vec<f64> = points
            .iter()
            .map(|p| p["metrics"]["contacts"][stat].as_f64().unwrap())
            .collect();
        assert!(
            contacts.windows(2).all(|w| w[1] >= w[0]),
            "{stat}: {contacts:?}"
        );
        assert!(contacts[15] > contacts[0], "{stat}: {contacts:?}");
    }
}

#[test]
fn bad_grids_are_refused_with_the_fix() {
    let refuse = |vary: &[&str], expected: &str| {
        let mut command = callblitz();
        command.args(["sweep", &shipped("cold-outbound.toml")]);
        for v in vary {
            command.args(["--vary", v]);
        }
        assert_refused(&command.output().unwrap(), &[expected]);
    };
    refuse(
        &["leads.reachability.mean=0.05..0.2:0"],
        "the step 0 must be above 0",
    );
    refuse(&["cadence.attempts=16..1"], "the range 16..1 is empty");
    refuse(&["leads.reachability.mean=0.05..0.2"], "needs a step");
    refuse(
        &["cadence.attempts=1..200", "cadence.days=1..200"],
        "40000 points (200 × 200)",
    );
    refuse(
        &["leads.reachability.mean=0.5,1.5"],
        "--vary leads.reachability.mean=1.5: leads.reachability.mean = 1.5",
    );
    refuse(&["leads.reachabilty.mean=0.1"], "did you mean");
    // What the run never reads would give identical rows.
    refuse(
        &["team.reps=1,2"],
        "--vary team.reps: team.reps acts on the team's calendar",
    );
    let output = callblitz()
        .args(["sweep", &shipped("cold-outbound.toml")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn one_path_charts_as_a_band_two_as_a_heatmap_more_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = |vary: &[&str], chart: &std::path::Path| {
        let mut command = callblitz();
        command.args([
            "sweep",
            &shipped("cold-outbound.toml"),
            "--replications",
            "50",
        ]);
        for v in vary {
            command.args(["--vary", v]);
        }
        command.arg("--chart").arg(chart);
        command
    };
    for (vary, name) in [
        (&["cadence.attempts=1..6"][..], "line.png"),
        (
            &["cadence.attempts=1..6", "funnel.win_rate=0.1,0.2"][..],
            "heatmap.png",
        ),
    ] {
        let path = dir.path().join(name);
        stdout_of(&mut sweep(vary, &path));
        crate::common::assert_png(&path, 1100, 760);
    }
    let path = dir.path().join("three.png");
    let output = sweep(
        &[
            "cadence.attempts=1..2",
            "cadence.days=7,14",
            "funnel.win_rate=0.1,0.2",
        ],
        &path,
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("this sweep varies 3"));
    assert!(!path.exists());
    let output = sweep(&["cadence.attempts=1..2"], &path)
        .args(["--metric", "dealz"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no metric `dealz`; choose one of leads")
    );
}

/// The sweep's JSON for these arguments.
fn sweep_json(args: &[&str]) -> Value {
    serde_json::from_slice(&stdout_of(callblitz().arg("sweep").args(args))).unwrap()
}

/// Writes scenario text to a file in `dir` and returns its path.
fn scenario_file(dir: &tempfile::TempDir, text: &str) -> String {
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The scenario in `file`, with the parameter `set` to a value.
fn scenario_with(file: &str, set: Option<(&str, f64)>) -> Scenario {
    let overrides: Vec<_> = set
        .map(|(path, value)| Override::parse(&format!("{path}={value}")).unwrap())
        .into_iter()
        .collect();
    load(std::path::Path::new(file), &overrides).unwrap()
}

/// Expected deals of a cohort, exactly: leads × contacts per lead × the funnel's rates.
fn closed_form_deals(file: &str, set: Option<(&str, f64)>) -> f64 {
    let s = scenario_with(file, set);
    let lead = LeadModel::new(&s);
    let f = lead.funnel();
    s.leads.count as f64
        * lead.expected_per_lead().contacts
        * f.appointment
        * f.show
        * f.opportunity
        * f.win
}

#[test]
fn every_effect_of_the_tornado_matches_the_closed_forms() {
    // A cohort's expected deals are exact (docs/model.md), so each lever's effect (deals with it
    // up minus deals with it down) is known; the tornado's must lie within 4.5 standard errors
    // of the paired differences.
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(
        &dir,
        "[simulation]\nreplications = 4000\n[leads]\ncount = 300\n\
         [cadence]\ntouches = [{ day = 0, channel = \"call\" }, { day = 1, channel = \"email\" }, \
         { day = 3, channel = \"voicemail\" }, { day = 6, channel = \"call\" }]",
    );
    let json = sweep_json(&[&file, "--tornado", "--json"]);
    assert_eq!(json["metric"], "deals");
    assert_eq!(json["swing"], 0.2);
    let levers = json["levers"].as_array().unwrap();
    let mut effects = Vec::new();
    for lever in levers {
        let name = lever["parameter"].as_str().unwrap();
        let at = |side: &str| {
            let value = lever[side]["value"].as_f64();
            closed_form_deals(&file, value.map(|v| (name, v)))
        };
        let expected = at("up") - at("down");
        let [low, high] = [0, 1].map(|i| lever["effect_ci95"][i].as_f64().unwrap());
        let effect = lever["effect"].as_f64().unwrap();
        // The interval is ± t × se with t close to 1.96 at 4,000 replications.
        let se = ((high - low) / (2.0 * 1.96)).max(1e-12);
        assert_within(name, effect, expected, se);
        effects.push(effect.abs());
    }
    // Ranked by the size of the effect, each swung by 20% of its value.
    assert!(effects.windows(2).all(|w| w[0] >= w[1]), "{effects:?}");
    let win = levers
        .iter()
        .find(|l| l["parameter"] == "funnel.win_rate")
        .unwrap();
    let value = |key: &str| win[key]["value"].as_f64().unwrap();
    assert!((value("up") - 1.2 * win["value"].as_f64().unwrap()).abs() < 1e-12);
    assert!((value("down") - 0.8 * win["value"].as_f64().unwrap()).abs() < 1e-12);
    let names: Vec<&str> = levers
        .iter()
        .map(|l| l["parameter"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"channels.email.response"));
    assert!(!names.iter().any(|n| n.starts_with("channels.inmail")));
    let left_out = json["left_out"].as_array().unwrap();
    assert!(
        left_out
            .iter()
            .any(|l| l["parameter"] == "channels.inmail.response"
                && l["reason"].as_str().unwrap().contains("no inmail touches"))
    );
}

#[test]
fn the_tornado_is_the_same_on_one_and_two_threads_and_reads_its_swing_both_ways() {
    let csv = |threads: &str, swing: &str| {
        stdout_of(callblitz().args([
            "sweep",
            &shipped("three-call.toml"),
            "--tornado",
            "--swing",
            swing,
            "--replications",
            "200",
            "--threads",
            threads,
            "--json",
        ]))
    };
    let one = csv("1", "10%");
    assert_eq!(one, csv("2", "0.1"));
    let json: Value = serde_json::from_slice(&one).unwrap();
    let show = json["levers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["parameter"] == "funnel.show_rate")
        .unwrap()
        .clone();
    let base = show["value"].as_f64().unwrap();
    assert!((show["down"]["value"].as_f64().unwrap() - base * 0.9).abs() < 1e-9);
    assert!((show["up"]["value"].as_f64().unwrap() - base * 1.1).abs() < 1e-9);
    for bad in ["0%", "0.5%", "100%", "1.5", "twenty"] {
        let output = callblitz()
            .args([
                "sweep",
                &shipped("three-call.toml"),
                "--tornado",
                "--swing",
                bad,
            ])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "--swing {bad}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("from 1% and below 100%"));
    }
    let output = callblitz()
        .args(["sweep", &shipped("three-call.toml"), "--tornado"])
        .args(["--vary", "cadence.attempts=1..3"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_plan_point_is_the_plan_and_a_calendar_point_the_calendar() {
    // The same scenario and seed give the same numbers whichever command runs them.
    let kpis = shipped("new-hire-kpis.toml");
    let json = sweep_json(&[
        &kpis,
        "--plan",
        "--vary",
        "funnel.appointment_rate=0.2,0.25,0.3",
        "--replications",
        "200",
        "--json",
    ]);
    assert_eq!(json["run"], "plan");
    let hours: Vec<f64> = json["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["plan"]["required_hours_per_week"].as_f64().unwrap())
        .collect();
    let plan: Value = serde_json::from_slice(&stdout_of(callblitz().args([
        "plan",
        &kpis,
        "--set",
        "funnel.appointment_rate=0.25",
        "--replications",
        "200",
        "--json",
    ])))
    .unwrap();
    assert_eq!(
        hours[1],
        plan["at_confidence"]["prospecting_hours_per_week"]
            .as_f64()
            .unwrap()
    );
    // Better conversations need fewer hours.
    assert!(hours[0] > hours[1] && hours[1] > hours[2], "{hours:?}");

    let json = sweep_json(&[
        &kpis,
        "--calendar",
        "--vary",
        "team.reps=1,2",
        "--replications",
        "50",
        "--json",
    ]);
    let simulated: Value = serde_json::from_slice(&stdout_of(callblitz().args([
        "simulate",
        &kpis,
        "--calendar",
        "--set",
        "team.reps=2",
        "--replications",
        "50",
        "--json",
    ])))
    .unwrap();
    assert_eq!(
        json["points"][1]["metrics"]["deals"],
        simulated["metrics"]["deals"]
    );

    // A plan that no hours reach reports none, and says so.
    let json = sweep_json(&[
        &kpis,
        "--plan",
        "--vary",
        "goal.revenue=3000000",
        "--replications",
        "50",
        "--json",
    ]);
    assert!(json["points"][0]["plan"]["required_hours_per_week"].is_null());
    let output = callblitz()
        .args(["sweep", &kpis, "--calendar", "--metric", "required_hours"])
        .args(["--vary", "team.reps=1,2"])
        .output()
        .unwrap();
    assert_refused(
        &output,
        &[
            "required_hours (--metric) is not one a calendar (--calendar) reports",
            "use --plan in its place",
        ],
    );
}

/// The relative standard error of the hours a plan finds for a goal of `goal` deals at
/// `confidence`, on `replications` years. The hours are where the share of years reaching the
/// goal crosses the confidence; that share has the binomial error √(c(1 − c)/n). Deals D with
/// mean λ, proportional to the hours, move that share at the rate dP(D ≥ goal)/dλ =
/// P(D = goal − 1) for Poisson deals; deals no more dispersed than Poisson (a thinning of
/// conversations, each lead converses at most once) move it faster, so this bounds the error.
fn relative_error_of_planned_hours(goal: u32, confidence: f64, replications: f64) -> f64 {
    // P(D ≥ goal) and P(D = goal − 1) for D ~ Poisson(λ).
    let poisson = |lambda: f64| {
        let (mut below, mut pmf) = (0.0, (-lambda).exp());
        for k in 1..goal {
            below += pmf;
            pmf *= lambda / f64::from(k);
        }
        (1.0 - below - pmf, pmf)
    };
    // The mean at which the goal is reached with the confidence, by bisection.
    let (mut low, mut high) = (0.0, 10.0 * f64::from(goal));
    for _ in 0..100 {
        let mid = (low + high) / 2.0;
        if poisson(mid).0 < confidence {
            low = mid;
        } else {
            high = mid;
        }
    }
    (confidence * (1.0 - confidence) / replications).sqrt() / (high * poisson(high).1)
}

#[test]
fn a_plan_tornado_ranks_the_hours_each_lever_saves() {
    let dir = tempfile::tempdir().unwrap();
    // One call a lead in a one-week horizon: every lead's touch is made, and a rich funnel
    // needs few dials a deal, which keeps thirty plans of 200 replications quick. A dialer's
    // pace (0.75 min a dial) keeps the goal inside one working week.
    let (goal, replications) = (25, 200);
    let file = scenario_file(
        &dir,
        &format!(
            "[simulation]\nreplications = {replications}\nweeks = 1\nweeks_off = 0\n\
             [leads]\nunreachable = 0\nunlimited = true\n[cadence]\nattempts = 1\ndays = 1\n\
             [channels.call]\nminutes = 0.75\n\
             [team]\nramp_weeks = 0\n[funnel]\nappointment_rate = 0.4\nshow_rate = 0.9\n\
             opportunity_rate = 0.9\nwin_rate = 0.5\nappointment_lag_days = 0\n\
             booking_minutes = 0\nsales_cycle_days = {{ median = 1 }}\n\
             [goal]\ndeals = {goal}\nconfidence = 0.8\n"
        ),
    );
    let tornado: TornadoJson = json_of(callblitz().args(["sweep", &file, "--tornado"]).args([
        "--metric",
        "required_hours",
        "--json",
    ]));
    assert_eq!(
        (tornado.run.as_str(), tornado.metric.as_str()),
        ("plan", "required_hours")
    );
    // Each lever's hours down and up, as shares of the hours at the scenario's values. The win
    // rate acts after every prospecting minute is spent, so the hours that reach a mean of
    // deals scale as 1/win_rate (the binomial spread of deals differs between the sides by
    // under 1% of the hours). The minutes of a dial scale the minutes a lead takes, which the
    // closed forms give, and the hours with them.
    let win = tornado.lever("funnel.win_rate");
    let side = |lever: &LeverJson, up: bool| {
        let side = if up { &lever.up } else { &lever.down };
        side.as_ref().expect("both sides are swung").value
    };
    let win_shares = [false, true].map(|up| win.value / side(win, up));
    let minutes = tornado.lever("channels.call.minutes");
    let minutes_per_lead = |set| {
        LeadModel::new(&scenario_with(&file, set))
            .expected_per_lead()
            .minutes
    };
    let minutes_shares = [false, true].map(|up| {
        minutes_per_lead(Some(("channels.call.minutes", side(minutes, up))))
            / minutes_per_lead(None)
    });
    let error = relative_error_of_planned_hours(goal, 0.8, f64::from(replications));
    let base = tornado.base.metric;
    for (lever, [down, up]) in [(win, win_shares), (minutes, minutes_shares)] {
        let expected = base * (up - down);
        // 4.5 standard errors of each side and of the base the expectation scales (their sum
        // bounds any combination, whatever common random numbers correlate), plus the search's
        // tolerance on each of the three plans.
        let bound = 4.5 * error * base * (up + down + (up - down).abs())
            + HOURS_TOLERANCE * (2.0 + (up - down).abs());
        assert!(
            bound < expected.abs(),
            "{}: the test cannot tell the lever from none",
            lever.parameter
        );
        assert!(
            (lever.effect - expected).abs() <= bound,
            "{}: effect {} h, expected {expected} ± {bound}",
            lever.parameter,
            lever.effect
        );
    }
    for lever in &tornado.levers {
        assert!(
            lever.effect_ci95.is_none(),
            "plans have no interval: {lever:?}"
        );
        assert!(lever.effect_is_up_minus_down(&tornado.base), "{lever:?}");
    }
    assert!(tornado.left_out.iter().any(|l| {
        l.parameter == "team.prospecting_hours_per_day" && l.reason == "what the plan finds"
    }));
    // No hours reach a goal twelve times as large: there are no hours to rank.
    let output = callblitz()
        .args([
            "sweep",
            &file,
            "--tornado",
            "--plan",
            "--set",
            "goal.deals=300",
        ])
        .output()
        .unwrap();
    assert_refused(
        &output,
        &["no hours within the working week reach the goal"],
    );
}

#[test]
fn a_saved_sweep_runs_without_flags_and_bad_ones_are_refused_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(
        &dir,
        "[simulation]\nreplications = 100\n\n[sweep]\nvary = [\"cadence.attempts=1..3\", \
         \"funnel.win_rate=0.1,0.2\"]\n",
    );
    let saved = sweep_json(&[&file, "--json"]);
    let flagged = sweep_json(&[
        &file,
        "--vary",
        "cadence.attempts=1..3",
        "--vary",
        "funnel.win_rate=0.1,0.2",
        "--json",
    ]);
    assert_eq!(saved, flagged);
    assert_eq!(saved["points"].as_array().unwrap().len(), 6);
    // Flags replace the saved grid.
    let other = sweep_json(&[&file, "--vary", "cadence.attempts=4", "--json"]);
    assert_eq!(other["points"].as_array().unwrap().len(), 1);

    let bad = scenario_file(
        &dir,
        "name = \"bad\"\n[sweep]\nvary = [\"cadence.attempts=3..1\"]\nrun = \"calendar\"\n\
         metric = \"required_hours\"\nswing = 1.5\n",
    );
    let output = callblitz().args(["sweep", &bad]).output().unwrap();
    assert_refused(
        &output,
        &[
            "scenario.toml:3: sweep.vary[0] = \"cadence.attempts=3..1\": the range 3..1 is empty",
            "scenario.toml:5: sweep.metric = \"required_hours\": required_hours comes from plans",
            "scenario.toml:6: sweep.swing = 1.5: must be from 0.01 and below 1",
        ],
    );
    let output = callblitz()
        .args(["sweep", &shipped("cold-outbound.toml")])
        .output()
        .unwrap();
    assert_refused(&output, &["nothing to sweep", "[sweep] vary"]);
}

#[test]
fn the_tornado_chart_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tornado.png");
    stdout_of(
        callblitz()
            .args(["sweep", &shipped("three-call.toml"), "--tornado"])
            .args(["--replications", "100", "--chart"])
            .arg(&path),
    );
    let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let info = png::Decoder::new(file).read_info().unwrap();
    let (width, height) = (info.info().width, info.info().height);
    assert_eq!(width, 1200);
    // A row for each parameter that moves deals.
    assert!(height > 400, "{height}");
    crate::common::assert_png(&path, width, height);
}
