//! `compare`: paired differences against the closed forms, paired against unpaired intervals,
//! the touch analysis, the JSON contract and the charts.

use callblitz::compare::{Compared, TouchAnalysis, difference};
use callblitz::engine::{CohortModel, LeadModel, simulate_cohort};
use callblitz::stats::Metric;
use predicates::prelude::*;

use crate::common::{
    assert_png, assert_refused, assert_within, callblitz, scenario, shipped, stdout_of,
};
use crate::schema::CompareJson;

fn cadence(attempts: u32) -> String {
    format!(
        r#"
        [simulation]
        replications = 4000
        seed = 21
        [leads]
        count = 1000
        reachability = {{ mean = 0.1, concentration = 10.0 }}
        unreachable = 0.0
        [cadence]
        attempts = {attempts}
        days = {attempts}
        "#
    )
}

#[test]
fn contact_gain_between_cadences_matches_the_closed_forms() {
    // docs/model.md: with Beta(1, 9) reachability, 3 calls reach 25% of leads, 16 calls 64%.
    let (three, sixteen) = (scenario(&cadence(3)), scenario(&cadence(16)));
    let a = simulate_cohort(&CohortModel::new(&three), 4000, 21);
    let b = simulate_cohort(&CohortModel::new(&sixteen), 4000, 21);
    let d = difference(Compared::PerHundredLeads(Metric::Contacts), &a, &b);
    let half_width = (d.ci95[1] - d.ci95[0]) / 2.0;
    // The interval is 1.96 (t) standard errors wide on each side.
    assert_within(
        "contact gain per 100 leads",
        d.mean,
        39.0,
        half_width / 1.96,
    );

    // The paired interval is narrower than the unpaired one on the same runs.
    let unpaired = (d.unpaired_ci95[1] - d.unpaired_ci95[0]) / 2.0;
    assert!(
        half_width < unpaired,
        "paired {half_width} vs unpaired {unpaired}"
    );
    // Prospecting hours are left out on purpose: an early conversation adds minutes under
    // three calls but saves up to 15 touches under sixteen, so the two move apart and pairing
    // cannot narrow that interval.
    for metric in [
        Metric::Touches,
        Metric::AppointmentsSet,
        Metric::AppointmentsHeld,
        Metric::Deals,
    ] {
        let d = difference(Compared::Total(metric), &a, &b);
        assert!(
            d.ci95[1] - d.ci95[0] <= d.unpaired_ci95[1] - d.unpaired_ci95[0],
            "{}",
            metric.name()
        );
    }
}

#[test]
fn touch_analysis_adds_up_to_the_closed_forms() {
    let s = scenario(&cadence(16));
    let lead = LeadModel::new(&s);
    let analysis = TouchAnalysis::new(&lead, Some((100.0, 5.0)));
    let per_lead = lead.expected_per_lead();
    let conversations: f64 = analysis.touches.iter().map(|t| t.conversations).sum();
    let touches: f64 = analysis.touches.iter().map(|t| t.touches).sum();
    let hours: f64 = analysis.touches.iter().map(|t| t.hours).sum();
    assert!((conversations - 64.0).abs() < 1e-9, "{conversations}");
    assert!((touches - 100.0 * per_lead.touches).abs() < 1e-9);
    assert!((hours - 100.0 * per_lead.minutes / 60.0).abs() < 1e-9);
    // Touch k+1 reaches 9/(9+k) − 9/(10+k) of the leads, so the yield per hour falls.
    assert!(
        analysis
            .touches
            .windows(2)
            .all(|w| w[1].appointments_per_hour < w[0].appointments_per_hour)
    );
    assert_eq!(analysis.touches.last().unwrap().cumulative_share, 1.0);
    // With a monotone yield, the cutoff has no dips and sits where the yield crosses.
    let cutoff = &analysis.below_average;
    assert!(cutoff.dips.is_empty());
    let k = cutoff.last_worth_it;
    let average = analysis.average_appointments_per_hour;
    assert!(analysis.touches[k - 1].appointments_per_hour >= average);
    assert!(analysis.touches[k].appointments_per_hour < average);
    assert_eq!(analysis.break_even_appointments_per_hour, Some(0.05));
    let channels = analysis.by_channel();
    assert_eq!(channels.len(), 1);
    assert!((channels[0].conversations - conversations).abs() < 1e-9);
    assert!((channels[0].hours - hours).abs() < 1e-9);
}

#[test]
fn compare_a_variants_file_as_json_with_a_chart_of_the_stated_size() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("compare.png");
    let stdout = stdout_of(
        callblitz()
            .args([
                "compare",
                &shipped("three-call-vs-sixteen-touch.toml"),
                "--json",
            ])
            .args(["--replications", "500", "--chart", png.to_str().unwrap()]),
    );
    let json: CompareJson = serde_json::from_slice(&stdout).unwrap();
    let names: Vec<&str> = json.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Three calls",
            "16 touches",
            "16 touches, restarted each quarter"
        ]
    );
    assert_eq!(json.variants[0].touches.as_ref().map(Vec::len), Some(3));
    assert_eq!(json.variants[1].touches.as_ref().map(Vec::len), Some(16));
    // Four cycles of the 16 touches.
    assert_eq!(json.variants[2].touches.as_ref().map(Vec::len), Some(64));
    assert!(json.variants[0].team.is_none(), "a cohort has no team");
    for variant in &json.variants {
        assert!(variant.has_the_touch_analysis_whole_or_not_at_all());
        assert!(
            variant.break_even_appointments_per_hour.is_none(),
            "no value given"
        );
    }
    let gain = json
        .differences
        .iter()
        .find(|d| d.metric == "contacts_per_100_leads")
        .unwrap();
    assert_eq!(
        (gain.baseline.as_str(), gain.variant.as_str()),
        ("Three calls", "16 touches")
    );
    assert!(
        gain.ci95[0] > 0.0,
        "more touches, more conversations: {gain:?}"
    );
    assert_png(&png, 1200, 1500);
    let rate = &json.variants[1].rates["contacts_per_100_leads"];
    assert!(rate.ci95[0] < rate.estimate && rate.estimate < rate.ci95[1]);
}

#[test]
fn compare_two_files_and_name_bad_variants() {
    callblitz()
        .args([
            "compare",
            &shipped("three-call.toml"),
            &shipped("sixteen-touch.toml"),
        ])
        .args(["--replications", "200", "--value-per-appointment", "300"])
        .args(["--cost-per-hour", "40"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Difference from \"Three calls\""))
        .stdout(predicate::str::contains("break-even (0.133"));
    callblitz()
        .args(["compare", &shipped("three-call.toml")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("two or more [[variants]]"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v.toml");
    std::fs::write(
        &file,
        "[[variants]]\nname = \"a\"\n[[variants]]\nname = \"b\"\nset = { \"funnel.win_rate\" = 3 }\n",
    )
    .unwrap();
    callblitz()
        .args(["compare", file.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "v.toml:5: variants[1] \"b\": funnel.win_rate = 3: must be between 0 and 1",
        ));
    // scenario check refuses it first, with the same words.
    callblitz()
        .args(["scenario", "check", file.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "v.toml:5: variants[1] \"b\": funnel.win_rate = 3: must be between 0 and 1",
        ));
}

#[test]
fn compare_calendars_pairs_the_same_years() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("differences.csv");
    let stdout = stdout_of(
        callblitz()
            .args([
                "compare",
                &shipped("new-hire-kpis.toml"),
                &shipped("new-hire-kpis.toml"),
            ])
            .args(["--calendar", "--replications", "50", "--json"])
            .args([
                "--set",
                "team.prospecting_hours_per_day=3",
                "--csv",
                csv.to_str().unwrap(),
            ]),
    );
    let json: CompareJson = serde_json::from_slice(&stdout).unwrap();
    // One rep working a list: the team section and the touch analysis both.
    for variant in &json.variants {
        assert_eq!(variant.team.as_ref().map(|t| t.reps.len()), Some(1));
        assert!(variant.touches.is_some() && variant.has_the_touch_analysis_whole_or_not_at_all());
    }
    // The same scenario twice: every paired difference is exactly zero.
    assert!(
        json.differences
            .iter()
            .all(|d| d.mean == 0.0 && d.ci95 == [0.0, 0.0])
    );
    assert_eq!(
        json.variants[1].name,
        format!(
            "{} ({})",
            json.variants[0].name,
            shipped("new-hire-kpis.toml")
        )
    );
    let rows = std::fs::read_to_string(&csv).unwrap();
    assert!(rows.starts_with("baseline,variant,metric,mean,ci95_low,ci95_high,"));
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn regression_rates_per_100_hours_do_not_depend_on_the_cohort_size() {
    // The same cadence at 1,000 and at 50 leads: the rates must agree within their interval
    // (a mean of per-replication ratios would not, for small cohorts).
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "sizes.toml",
        "[simulation]\nreplications = 3000\n[[variants]]\nname = \"big\"\n\
         [[variants]]\nname = \"small\"\nset = { \"leads.count\" = 50 }\n",
    );
    let stdout = stdout_of(callblitz().args(["compare", &file, "--json"]));
    let json: CompareJson = serde_json::from_slice(&stdout).unwrap();
    for d in json
        .differences
        .iter()
        .filter(|d| d.metric.ends_with("_per_100_hours"))
    {
        assert!(d.ci95[0] <= 0.0 && 0.0 <= d.ci95[1], "{d:?}");
    }
}

#[test]
fn regression_variant_settings_mean_what_set_means() {
    let dir = tempfile::tempdir().unwrap();
    // A quoted dotted key with a table replaces the table, as --set does: no concentration.
    let file = write(
        &dir,
        "reach.toml",
        "[simulation]\nreplications = 200\n[[variants]]\nname = \"spread\"\n\
         [[variants]]\nname = \"alike\"\nset = { \"leads.reachability\" = { mean = 0.15 } }\n",
    );
    let output = callblitz()
        .args(["compare", &file, "--json"])
        .output()
        .unwrap();
    let json: CompareJson = serde_json::from_slice(&output.stdout).unwrap();
    let gain = json
        .differences
        .iter()
        .find(|d| d.metric == "contacts_per_100_leads")
        .unwrap();
    assert!(
        gain.ci95[0] > 0.0,
        "alike leads are easier to reach in 10 calls: {gain:?}"
    );

    let duplicate = write(
        &dir,
        "dup.toml",
        "[[variants]]\nname = \"x\"\n[[variants]]\nname = \"x\"\n",
    );
    callblitz()
        .args(["compare", &duplicate])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "dup.toml:4: variants[1].name = \"x\": variants[0] has this name already",
        ));
    callblitz()
        .args(["compare", &duplicate, &shipped("three-call.toml")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is compared on its own"));
    let seeded = write(&dir, "seeded.toml", "[simulation]\nseed = 5\n");
    callblitz()
        .args(["compare", &shipped("three-call.toml"), &seeded])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "common random numbers need the same",
        ));
}

#[test]
fn regression_no_negative_zero_in_the_touch_table() {
    let s = scenario("[reps]\ngive_up = [{ after = 1, share = 1.0 }]\n");
    let analysis = TouchAnalysis::new(&LeadModel::new(&s), None);
    for t in &analysis.touches[1..] {
        assert!(
            t.deals.is_sign_positive() && t.conversations.is_sign_positive(),
            "{t:?}"
        );
    }
}

#[test]
fn value_and_cost_flags_are_refused_where_no_touch_analysis_would_use_them() {
    let output = callblitz()
        .args([
            "compare",
            &shipped("shared-pool-vs-round-robin.toml"),
            "--calendar",
            "--value-per-appointment",
            "500",
            "--cost-per-hour",
            "40",
        ])
        .output()
        .unwrap();
    assert_refused(
        &output,
        &["--value-per-appointment", "per-touch analysis", "[costs]"],
    );
}
