//! `[[leads.segments]]`: a cohort of segments against the share-weighted mixture of each
//! segment's closed forms, the shares a calendar gives each segment, determinism on any number
//! of threads, a one-segment scenario that is the scenario itself, bad segments refused, and
//! every report's segments adding up to its totals.

use callblitz::engine::{CalendarModel, CohortModel, simulate_calendar, simulate_cohort};
use callblitz::stats::{Metric, Samples};

use crate::closed_forms::Case;
use crate::common::{
    assert_refused, assert_within, callblitz, json_of, scenario, shipped, stdout_of,
};
use crate::schema::{CompareJson, SimulateJson};

/// Three segments of one call channel each (response 1, no decay), so that each has the
/// textbook closed form: homogeneous, Beta and Beta with unreachable leads, three cadence
/// lengths and three funnels.
const MIXTURE: &str = r#"
[simulation]
replications = 4000
seed = 17
[leads]
count = 1000
[channels.call]
response = 1.0
[reps]
give_up = []

[[leads.segments]]
name = "attain"
share = 0.5
unreachable = 0.25
reachability = { mean = 0.1, concentration = 10.0 }
cadence = { attempts = 10, days = 28 }
funnel = { appointment_rate = 0.12, show_rate = 0.75, opportunity_rate = 0.5, win_rate = 0.2 }

[[leads.segments]]
name = "recapture"
share = 0.3
unreachable = 0.0
reachability = { mean = 0.2 }
cadence = { attempts = 4, days = 14 }
funnel = { appointment_rate = 0.3, show_rate = 0.8, opportunity_rate = 0.6, win_rate = 0.4 }

[[leads.segments]]
name = "expand"
share = 0.2
unreachable = 0.1
reachability = { mean = 0.4, concentration = 2.0 }
cadence = { attempts = 2, days = 7 }
funnel = { appointment_rate = 0.5, show_rate = 0.9, opportunity_rate = 0.7, win_rate = 0.5 }
"#;

/// One segment's closed form: its share, its population and cadence, and its deals per
/// conversation.
struct Closed {
    share: f64,
    case: Case,
    deals_per_conversation: f64,
}

fn mixture_segments() -> [Closed; 3] {
    [
        Closed {
            share: 0.5,
            case: Case::new(0.1, Some(10.0), 0.25, 10),
            deals_per_conversation: 0.12 * 0.75 * 0.5 * 0.2,
        },
        Closed {
            share: 0.3,
            case: Case::new(0.2, None, 0.0, 4),
            deals_per_conversation: 0.3 * 0.8 * 0.6 * 0.4,
        },
        Closed {
            share: 0.2,
            case: Case::new(0.4, Some(2.0), 0.1, 2),
            deals_per_conversation: 0.5 * 0.9 * 0.7 * 0.5,
        },
    ]
}

/// The mean of a metric over replications, and its standard error.
fn mean_and_se(samples: &Samples, metric: Metric) -> (f64, f64) {
    let moments = samples.get(metric).moments();
    (
        moments.mean(),
        (moments.variance() / moments.count() as f64).sqrt(),
    )
}

#[test]
fn a_cohort_of_segments_matches_the_share_weighted_mixture_of_their_closed_forms() {
    let s = scenario(MIXTURE);
    let samples = simulate_cohort(
        &CohortModel::new(&s),
        s.simulation.replications,
        s.simulation.seed,
    );
    let leads = s.leads.count as f64;
    let segments = mixture_segments();
    let mixture = |per_lead: &dyn Fn(&Closed) -> f64| -> f64 {
        segments.iter().map(|c| c.share * leads * per_lead(c)).sum()
    };
    let expected = [
        (Metric::Contacts, mixture(&|c| c.case.contact_probability())),
        (Metric::Touches, mixture(&|c| c.case.expected_touches())),
        (
            Metric::Deals,
            mixture(&|c| c.case.contact_probability() * c.deals_per_conversation),
        ),
    ];
    for (metric, expected) in expected {
        let (mean, se) = mean_and_se(&samples, metric);
        assert_within(metric.name(), mean, expected, se);
    }
    // Each segment on its own, too: its share of the leads, exactly, and its closed form.
    assert_eq!(samples.segments().len(), 3);
    for (closed, own) in segments.iter().zip(samples.segments()) {
        let n = closed.share * leads;
        assert!(own.get(Metric::Leads).values().iter().all(|&l| l == n));
        let (contacts, se) = mean_and_se(own, Metric::Contacts);
        assert_within(
            "a segment's contacts",
            contacts,
            n * closed.case.contact_probability(),
            se,
        );
        let (touches, se) = mean_and_se(own, Metric::Touches);
        assert_within(
            "a segment's touches",
            touches,
            n * closed.case.expected_touches(),
            se,
        );
    }
}

#[test]
fn a_cohort_shares_its_leads_out_by_largest_remainder() {
    // 1,001 leads at 0.5/0.3/0.2: quotas 500.5, 300.3 and 200.2, the one left over to the
    // largest remainder.
    let s = scenario(&MIXTURE.replace("count = 1000", "count = 1001"));
    let model = CohortModel::new(&s);
    let counts: Vec<u64> = model.groups().map(|(_, n)| n).collect();
    assert_eq!(counts, [501, 300, 200]);
}

/// A calendar on a territory the rep uses up, with list segments.
const TERRITORY: &str = r#"
[simulation]
replications = 60
seed = 5
weeks = 26
weeks_off = 2
[leads]
count = 700
[team]
prospecting_hours_per_day = 3.0
ramp_weeks = 0
[[leads.segments]]
name = "attain"
share = 0.55
[[leads.segments]]
name = "recapture"
share = 0.3
reachability = { mean = 0.3 }
cadence = { attempts = 3, days = 6 }
[[leads.segments]]
name = "expand"
share = 0.15
unreachable = 0.0
funnel = { deal_size = 5000.0, sales_cycle_days = { median = 20 } }
"#;

#[test]
fn a_calendar_gives_each_segment_its_share_of_the_accounts_started_within_quota() {
    let s = scenario(TERRITORY);
    let model = CalendarModel::new(&s, s.team.prospecting_hours_per_day);
    let runs = simulate_calendar(&model, s.simulation.replications, s.simulation.seed);
    let shares = [0.55, 0.3, 0.15];
    let started = runs.samples.get(Metric::Leads).values();
    assert!(started.contains(&700.0), "some years use the territory up");
    for (share, own) in shares.iter().zip(runs.samples.segments()) {
        for (&total, &leads) in started.iter().zip(own.get(Metric::Leads).values()) {
            // The quota method: each segment's count is its share rounded down or up.
            let quota = share * total;
            assert!(
                leads >= quota.floor() && leads <= quota.ceil(),
                "{leads} accounts against a quota of {quota}"
            );
        }
    }
}

#[test]
fn inbound_arrivals_join_each_segment_with_its_share() {
    let s = scenario(
        r#"
        [simulation]
        replications = 40
        seed = 8
        weeks = 20
        weeks_off = 0
        [leads]
        source = "inbound"
        per_week = 60
        [team]
        reps = 2
        [[leads.segments]]
        name = "web"
        share = 0.7
        [[leads.segments]]
        name = "referral"
        share = 0.3
        reachability = { mean = 0.4, concentration = 4.0, decay = 0.9 }
        "#,
    );
    let model = CalendarModel::new(&s, s.team.prospecting_hours_per_day);
    let runs = simulate_calendar(&model, s.simulation.replications, s.simulation.seed);
    let total: f64 = runs.samples.get(Metric::Leads).values().iter().sum();
    let web: f64 = runs.samples.segments()[0]
        .get(Metric::Leads)
        .values()
        .iter()
        .sum();
    // Given the arrivals, each joins "web" with chance 0.7: binomial.
    let se = (total * 0.7 * 0.3).sqrt();
    assert_within("inbound leads in \"web\"", web, 0.7 * total, se);
    // The easier segment converts more of its leads.
    let rate = |own: &Samples| {
        own.get(Metric::Contacts).moments().mean() / own.get(Metric::Leads).moments().mean()
    };
    assert!(rate(&runs.samples.segments()[1]) > rate(&runs.samples.segments()[0]));
}

/// A scenario file written to a temporary folder.
fn file_with(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path.display().to_string())
}

#[test]
fn one_segment_of_share_one_prints_exactly_what_the_scenario_without_segments_prints() {
    let base = r#"
        name = "one population"
        [simulation]
        replications = 300
        seed = 3
        [leads]
        count = 400
        [reps]
        give_up = [{ after = 3, share = 0.5 }]
    "#;
    let one = format!("{base}\n[[leads.segments]]\nname = \"everyone\"\nshare = 1.0\n");
    let (_a, plain) = file_with(base);
    let (_b, segmented) = file_with(&one);
    for args in [
        &["simulate"][..],
        &["simulate", "--json"],
        &["simulate", "--calendar"],
        &["simulate", "--calendar", "--json"],
    ] {
        let run = |file: &str| stdout_of(callblitz().args(args).arg(file));
        assert_eq!(
            String::from_utf8(run(&plain)).unwrap(),
            String::from_utf8(run(&segmented)).unwrap(),
            "{args:?}"
        );
    }
}

/// `simulate` of the shipped KARE scenario (`--calendar` when `calendar`) at `replications`
/// on `threads`: its JSON and its CSV.
fn simulate_kare(calendar: bool, replications: &str, threads: &str) -> (Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("runs.csv");
    let mut command = callblitz();
    command.args(["simulate", &shipped("kare-mix.toml"), "--json"]);
    command.args(["--replications", replications, "--threads", threads]);
    command.args(["--csv", csv.to_str().unwrap()]);
    if calendar {
        command.arg("--calendar");
    }
    (stdout_of(&mut command), std::fs::read(&csv).unwrap())
}

#[test]
fn segments_give_the_same_numbers_on_one_and_two_threads() {
    for calendar in [false, true] {
        let one = simulate_kare(calendar, "200", "1");
        assert_eq!(
            one,
            simulate_kare(calendar, "200", "2"),
            "calendar: {calendar}"
        );
        assert!(String::from_utf8_lossy(&one.0).contains("\"recapture\""));
    }
}

#[test]
fn bad_segments_are_refused_with_the_key_and_the_fix() {
    let cases: [(&str, &[&str]); 7] = [
        (
            "[[leads.segments]]\nname = \"\"\nshare = 1.0\n",
            &["leads.segments[0].name", "give each segment a name"],
        ),
        (
            "[[leads.segments]]\nname = \"a\"\nshare = 0.5\n[[leads.segments]]\nname = \"a\"\nshare = 0.5\n",
            &["leads.segments[1].name", "has this name already"],
        ),
        (
            "[[leads.segments]]\nname = \"a\"\nshare = 0.6\n[[leads.segments]]\nname = \"b\"\nshare = 0.3\n",
            &["leads.segments", "add up to 0.9", "must add up to 1"],
        ),
        (
            "[[leads.segments]]\nname = \"a\"\nshare = 0.0\n",
            &["leads.segments[0].share = 0", "above 0 and at most 1"],
        ),
        (
            "[[leads.segments]]\nname = \"a\"\nshare = 1.0\nsource = \"inbound\"\n",
            &["leads.segments[0].source", "has no inbound leads"],
        ),
        (
            "[[leads.segments]]\nname = \"expand\"\nshare = 1.0\nfunnel = { win_rate = 1.5 }\n",
            &[
                "leads.segments[0].funnel.win_rate = 1.5",
                "segment \"expand\"",
                "between 0 and 1",
            ],
        ),
        (
            "[[leads.segments]]\nname = \"a\"\nshare = 1.0\nreachabilty = { mean = 0.2 }\n",
            &["reachabilty", "reachability"],
        ),
    ];
    for (text, expected) in cases {
        let (_dir, file) = file_with(text);
        let output = callblitz()
            .args(["scenario", "check", &file])
            .output()
            .unwrap();
        assert_refused(&output, expected);
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("s.toml:"),
            "the file and line are named"
        );
    }
}

/// Asserts that the segments' values add up to the total, to rounding.
#[track_caller]
fn assert_adds_up(what: &str, parts: impl IntoIterator<Item = f64>, total: f64) {
    let sum: f64 = parts.into_iter().sum();
    assert!(
        (sum - total).abs() <= 1e-9 * total.abs().max(1.0),
        "{what}: the segments add up to {sum}, the total is {total}"
    );
}

#[test]
fn the_segments_of_simulate_add_up_to_its_totals_in_json_and_csv() {
    for calendar in [false, true] {
        let (json, csv) = simulate_kare(calendar, "100", "2");
        let json: SimulateJson = serde_json::from_slice(&json).unwrap();
        let segments = json.segments.expect("a run of segments has them");
        let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["attain", "recapture", "expand"]);
        for metric in Metric::ALL {
            if metric == Metric::Penetration {
                continue;
            }
            let name = metric.name();
            assert_adds_up(
                name,
                segments.iter().map(|s| s.metrics[name].mean),
                json.metrics[name].mean,
            );
        }
        for segment in &segments {
            let per_hour = segment.per_prospecting_hour["deals"].unwrap();
            let m = &segment.metrics;
            assert!(
                (per_hour - m["deals"].mean / m["prospecting_hours"].mean).abs() < 1e-12,
                "deals per prospecting hour"
            );
        }
        // The CSV: per replication, a row of totals ("all") and one per segment.
        let mut reader = csv::Reader::from_reader(csv.as_slice());
        let header = reader.headers().unwrap().clone();
        assert_eq!(&header[0], "replication");
        assert_eq!(&header[1], "segment");
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 100 * 4);
        for replication in rows.chunks(4) {
            assert_eq!(&replication[0][1], "all");
            for column in 2..header.len() {
                if &header[column] == "penetration" {
                    continue;
                }
                let value = |row: &csv::StringRecord| row[column].parse::<f64>().unwrap();
                assert_adds_up(
                    &header[column],
                    replication[1..].iter().map(value),
                    value(&replication[0]),
                );
            }
        }
    }
}

#[test]
fn the_segments_of_each_variant_of_a_comparison_add_up_to_its_totals() {
    let kare = std::fs::read_to_string(shipped("kare-mix.toml")).unwrap();
    let (_dir, file) = file_with(&format!(
        "{kare}\n[[variants]]\nname = \"as planned\"\n[[variants]]\nname = \"more expand\"\n\
         set = {{ \"leads.segments[0].share\" = 0.4, \"leads.segments[2].share\" = 0.45 }}\n"
    ));
    let json: CompareJson =
        json_of(callblitz().args(["compare", &file, "--json", "--replications", "100"]));
    for variant in &json.variants {
        let segments = variant
            .segments
            .as_ref()
            .expect("each variant has its segments");
        for metric in ["leads", "contacts", "appointments_set", "deals", "revenue"] {
            assert_adds_up(
                metric,
                segments.iter().map(|s| s.metrics[metric].mean),
                variant.metrics[metric].mean,
            );
        }
    }
    let expand = |v: usize| json.variants[v].segments.as_ref().unwrap()[2].metrics["leads"].mean;
    assert_eq!((expand(0), expand(1)), (500.0, 900.0));
}
