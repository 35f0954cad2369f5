//! The team calendar: inbound arrivals, speed to lead, reps as individuals, round-robin and the
//! shared pool, recycling, cherry-picking, nurture; conservation of time and the closed forms.

use callblitz::engine::{CalendarModel, CalendarSamples, LeadModel, simulate_calendar};
use callblitz::scenario::{Override, Scenario, load_str};
use callblitz::stats::{Metric, Moments};

use crate::common::{assert_png, assert_within, callblitz, shipped, stdout_of};
use crate::schema::{CompareJson, SimulateJson};

/// Loads scenario text with `--set`-style overrides.
fn team_scenario(text: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| Override::parse(o).unwrap())
        .collect();
    load_str(text, "team.toml", &overrides).unwrap_or_else(|err| panic!("{err}"))
}

/// Runs the calendar engine on scenario text with overrides.
fn run(text: &str, overrides: &[&str]) -> (Scenario, CalendarModel, CalendarSamples) {
    let s = team_scenario(text, overrides);
    let model = CalendarModel::new(&s, s.team.prospecting_hours_per_day);
    let runs = simulate_calendar(&model, s.simulation.replications, s.simulation.seed);
    (s, model, runs)
}

/// Mean and standard error of a per-replication quantity.
fn mean_se(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let mut m = Moments::default();
    values.for_each(|v| m.push(v));
    (m.mean(), (m.variance() / m.count() as f64).sqrt())
}

/// Per replication: `numerator` / `denominator`.
fn ratio(runs: &CalendarSamples, numerator: Metric, denominator: Metric) -> (f64, f64) {
    let n = runs.samples.get(numerator).values();
    let d = runs.samples.get(denominator).values();
    mean_se(n.iter().zip(d).map(|(a, b)| a / b))
}

/// Contacts per inbound lead touched, over all replications, with the binomial standard error
/// (each lead converses or not independently of the others, given time to spare).
fn contacts_per_touched_lead(runs: &CalendarSamples) -> (f64, f64) {
    let (touched, _never) = runs.first_touch.split_at(runs.first_touch.len() - 1);
    let touched = touched.iter().sum::<u64>() as f64;
    let contacts: f64 = runs.samples.get(Metric::Contacts).values().iter().sum();
    let rate = contacts / touched;
    (rate, (rate * (1.0 - rate) / touched).sqrt())
}

/// Inbound leads that arrived in each replication, touched or not.
fn arrivals(runs: &CalendarSamples) -> f64 {
    runs.first_touch.iter().sum::<u64>() as f64 / runs.samples.len() as f64
}

/// An inbound team with time to spare: 60 leads a week for four reps with two hours a day.
const INBOUND: &str = r#"
[simulation]
replications = 200
seed = 7
weeks = 13
weeks_off = 1
[leads]
source = "inbound"
per_week = 60
[team]
reps = 4
prospecting_hours_per_day = 2.0
ramp_weeks = 0
"#;

#[test]
fn hours_used_never_exceed_any_reps_capacity() {
    let members = r#"
        [[team.members]]
        name = "slow and short"
        hours_per_day = 0.3
        minutes_per_touch = 2.0
        [[team.members]]
        name = "new hire"
        ramp_weeks = 6
        give_up = 2
        [[team.members]]
        name = "closer"
        skill = 1.5
    "#;
    let with_members = format!("{}{members}", INBOUND.replace("reps = 4\n", ""));
    let setups: [(&str, &[&str]); 6] = [
        (INBOUND, &[]),
        (INBOUND, &["routing.mode=shared-pool"]),
        // Overloaded: a tenth of the time the flow needs.
        (INBOUND, &["team.prospecting_hours_per_day=0.1"]),
        (
            &with_members,
            &[
                "routing.recycle_after_days=2",
                "nurture.monthly_response_rate=0.3",
            ],
        ),
        (
            &with_members,
            &["routing.mode=shared-pool", "leads.source=both"],
        ),
        (
            &with_members,
            &[
                "routing.priority=score",
                "leads.per_week=400",
                "routing.cherry_pick=0.2",
            ],
        ),
    ];
    for (text, overrides) in setups {
        let (_, model, runs) = run(text, overrides);
        for (rep, counts) in model.reps().iter().zip(&runs.reps) {
            let capacity = rep.capacity().total_minutes();
            for c in counts {
                assert!(
                    c.minutes <= capacity * (1.0 + 1e-12),
                    "{overrides:?}: {} worked {} of {capacity} minutes",
                    rep.name,
                    c.minutes
                );
            }
        }
        for (r, hours) in runs
            .samples
            .get(Metric::ProspectingHours)
            .values()
            .iter()
            .enumerate()
        {
            let by_reps: f64 = runs.reps.iter().map(|c| c[r].minutes / 60.0).sum();
            assert!(
                (hours - by_reps).abs() < 1e-6,
                "team hours are the reps' hours"
            );
            assert!(*hours <= model.total_minutes() / 60.0 * (1.0 + 1e-12));
        }
    }
}

#[test]
fn spare_capacity_makes_every_planned_touch() {
    for mode in ["round-robin", "shared-pool"] {
        let (_, _, runs) = run(INBOUND, &[&format!("routing.mode={mode}")]);
        // Only a lead arriving after the last block of the last day can miss its first touch.
        for &p in runs.samples.get(Metric::Penetration).values() {
            assert!(p >= 99.0, "{mode}: penetration {p}");
        }
        let never = runs.first_touch.last().unwrap();
        assert!(
            (*never as f64) < 0.002 * arrivals(&runs) * runs.samples.len() as f64,
            "{mode}: {never} leads never touched"
        );
        // Nothing is overdue at the end but leads of the last day waiting for a block.
        let backlog = runs.backlog.moments().mean();
        assert!(backlog < 60.0 / 5.0, "{mode}: backlog {backlog}");
    }
}

#[test]
fn half_the_capacity_the_cadence_needs_gives_about_half_the_penetration() {
    // Every touch takes the call's minutes (no conversation or booking time, no speed-to-lead
    // effect), so the cadence needs leads × E[touches] × those minutes, E[touches] by the
    // closed form. Give the team half of that.
    let text = r#"
        [simulation]
        replications = 100
        weeks = 26
        weeks_off = 0
        [leads]
        source = "inbound"
        per_week = 100
        [cadence]
        attempts = 5
        days = 4
        [channels.call]
        conversation_minutes = 0.0
        [funnel]
        booking_minutes = 0.0
        [speed_to_lead]
        at_hand = 0.0
        [team]
        reps = 2
        ramp_weeks = 0
    "#;
    let s = team_scenario(text, &[]);
    let per_lead = LeadModel::new(&s).expected_per_lead().touches;
    let needed_per_day = 100.0 / 5.0 * per_lead * s.channels.call.minutes;
    let hours = needed_per_day / 2.0 / 2.0 / 60.0;
    let (_, _, runs) = run(text, &[&format!("team.prospecting_hours_per_day={hours}")]);
    let (penetration, se) = mean_se(
        runs.samples
            .get(Metric::Penetration)
            .values()
            .iter()
            .copied(),
    );
    // Sampling error is small (se ≈ {se}); the band is the horizon's edges: capacity idles
    // while the first backlog builds (at most the cadence's 4 days of 130), and leads
    // arriving in the last 4 days have fewer touches planned.
    let edge = 4.0 / 130.0;
    assert!(
        penetration >= 50.0 * (1.0 - edge) - 4.5 * se
            && penetration <= 50.0 / (1.0 - edge) + 4.5 * se,
        "penetration {penetration} (se {se})"
    );
}

/// An inbound flow worked with a cadence whose touches all fall on the first day, so no
/// touch is ever cut off by the horizon, and no speed-to-lead effect: the contact rate per lead
/// is the closed form of docs/model.md.
const SAME_DAY: &str = r#"
[simulation]
replications = 200
seed = 11
weeks = 13
weeks_off = 1
[leads]
source = "inbound"
per_week = 80
[cadence]
touches = [
  { day = 0, channel = "call" }, { day = 0, channel = "call" },
  { day = 0, channel = "voicemail" }, { day = 0, channel = "call" },
  { day = 0, channel = "email" }, { day = 0, channel = "call" },
]
[reps]
give_up = [ { after = 1, share = 0.4 }, { after = 3, share = 0.3 } ]
[speed_to_lead]
at_hand = 0.0
[team]
reps = 3
ramp_weeks = 0
"#;

#[test]
fn round_robin_give_up_loses_conversations_the_shared_pool_keeps() {
    let s = team_scenario(SAME_DAY, &[]);
    let lead = LeadModel::new(&s);
    let survival = lead.survival();
    let expected_rr = lead.give_up().contact_probability(survival);
    let expected_pool = 1.0 - survival[survival.len() - 1];
    let (_, _, rr) = run(SAME_DAY, &[]);
    let (_, _, pool) = run(SAME_DAY, &["routing.mode=shared-pool"]);
    let (rate_rr, se_rr) = contacts_per_touched_lead(&rr);
    let (rate_pool, se_pool) = contacts_per_touched_lead(&pool);
    assert_within("round-robin contacts per lead", rate_rr, expected_rr, se_rr);
    assert_within(
        "shared-pool contacts per lead",
        rate_pool,
        expected_pool,
        se_pool,
    );
    let gap = rate_pool - rate_rr;
    assert!(
        gap > 10.0 * (se_rr * se_rr + se_pool * se_pool).sqrt(),
        "the pool keeps {gap} more contacts per lead"
    );
    // Round-robin penetration falls by the touches the give-up points drop: the cadence plans
    // Σ_{k<n} S(k) touches a lead, the reps make E[touches] of them.
    let planned: f64 = survival[..survival.len() - 1].iter().sum();
    let expected_penetration = 100.0 * lead.give_up().expected_touches(survival) / planned;
    let (pen, pen_se) = mean_se(rr.samples.get(Metric::Penetration).values().iter().copied());
    assert_within("round-robin penetration", pen, expected_penetration, pen_se);
}

/// A single call per lead: its chance of a conversation is all speed to lead. Three reps
/// share the leads and dial in short blocks every five minutes, staggered.
const ONE_CALL: &str = r#"
[simulation]
replications = 200
seed = 5
weeks = 13
weeks_off = 1
[leads]
source = "inbound"
per_week = 100
[cadence]
attempts = 1
days = 1
[routing]
mode = "shared-pool"
[team]
reps = 3
ramp_weeks = 0
sessions_per_day = 96
"#;

#[test]
fn an_overloaded_team_pays_the_speed_to_lead_penalty() {
    let overloaded = "team.prospecting_hours_per_day=0.05";
    let rate = |overrides: &[&str]| {
        let (_, _, runs) = run(ONE_CALL, overrides);
        let within_5 = runs.first_touch[0] as f64 / runs.first_touch.iter().sum::<u64>() as f64;
        let (rate, se) = contacts_per_touched_lead(&runs);
        (rate, se, within_5)
    };
    let (fast, fast_se, fast_within_5) = rate(&[]);
    let (slow, slow_se, slow_within_5) = rate(&[overloaded]);
    assert!(
        fast_within_5 > 0.9,
        "{fast_within_5} first touched within 5 minutes"
    );
    assert!(
        slow_within_5 < 0.2,
        "{slow_within_5} first touched within 5 minutes"
    );
    let se = (fast_se * fast_se + slow_se * slow_se).sqrt();
    assert!(
        fast - slow > 10.0 * se,
        "fast {fast} vs slow {slow} (se {se})"
    );
    // Without the effect, delay costs nothing: both sit on the closed form 1 − S(1).
    let s = team_scenario(ONE_CALL, &[]);
    let expected = 1.0 - LeadModel::new(&s).survival()[1];
    for overrides in [
        &["speed_to_lead.at_hand=0"][..],
        &["speed_to_lead.at_hand=0", overloaded],
    ] {
        let (_, _, runs) = run(ONE_CALL, overrides);
        let (rate, se) = contacts_per_touched_lead(&runs);
        assert_within(&format!("{overrides:?}"), rate, expected, se);
    }
}

#[test]
fn team_reps_is_shorthand_for_identical_members() {
    let members = "[[team.members]]\nname = \"a\"\n[[team.members]]\nname = \"b\"\n\
                   [[team.members]]\nname = \"c\"\n";
    let shorthand = INBOUND.replace("reps = 4", "reps = 3");
    let listed = format!("{}{members}", INBOUND.replace("reps = 4\n", ""));
    for overrides in [&[][..], &["routing.mode=shared-pool", "leads.source=both"]] {
        let (_, _, a) = run(&shorthand, overrides);
        let (_, _, b) = run(&listed, overrides);
        assert_eq!(a, b, "{overrides:?}");
    }
}

#[test]
fn recycling_hands_dropped_leads_to_another_rep() {
    let drop_after_one = "reps.give_up=[{after=1,share=1.0}]";
    let (_, _, kept) = run(INBOUND, &[drop_after_one]);
    let (_, _, recycled) = run(INBOUND, &[drop_after_one, "routing.recycle_after_days=2"]);
    // Without recycling every lead touched gets exactly one touch.
    let touched = |runs: &CalendarSamples| {
        let (bins, _never) = runs.first_touch.split_at(runs.first_touch.len() - 1);
        bins.iter().sum::<u64>() as f64
    };
    let touches = |runs: &CalendarSamples| {
        runs.samples
            .get(Metric::Touches)
            .values()
            .iter()
            .sum::<f64>()
    };
    assert_eq!(touches(&kept), touched(&kept));
    let (touches, se) = ratio(&recycled, Metric::Touches, Metric::Leads);
    assert!(
        touches > 1.2 && touches < 2.0 + 4.5 * se,
        "{touches} touches a lead"
    );
    for metric in [Metric::Penetration, Metric::Contacts] {
        let (before, se_before) = mean_se(kept.samples.get(metric).values().iter().copied());
        let (after, se_after) = mean_se(recycled.samples.get(metric).values().iter().copied());
        assert!(
            after - before > 10.0 * (se_before.powi(2) + se_after.powi(2)).sqrt(),
            "{}: {before} -> {after}",
            metric.name()
        );
    }
}

#[test]
fn cherry_picking_skips_the_lowest_scores() {
    let skip_half = "routing.cherry_pick=0.5";
    let (_, _, all) = run(INBOUND, &[]);
    // Contacts per arriving lead, with its standard error.
    let per_arrival = |runs: &CalendarSamples| {
        let contacts = runs.samples.get(Metric::Contacts).moments();
        let se = (contacts.variance() / contacts.count() as f64).sqrt();
        (contacts.mean() / arrivals(runs), se / arrivals(runs))
    };
    for (accuracy, keeps_better) in [("1", true), ("0", false)] {
        let (_, _, picked) = run(
            INBOUND,
            &[skip_half, &format!("routing.score_accuracy={accuracy}")],
        );
        // Half the leads are skipped: a binomial share of the arrivals.
        let never = *picked.first_touch.last().unwrap() as f64 / picked.samples.len() as f64;
        let worked = 1.0 - never / arrivals(&picked);
        let leads = arrivals(&picked) * picked.samples.len() as f64;
        assert_within("share worked", worked, 0.5, (0.25 / leads).sqrt());
        let ((kept, kept_se), (every, every_se)) = (per_arrival(&picked), per_arrival(&all));
        let ratio = kept / every;
        let se = ratio * ((kept_se / kept).powi(2) + (every_se / every).powi(2)).sqrt();
        if keeps_better {
            assert!(
                ratio - 0.5 > 10.0 * se,
                "an accurate score keeps the better half: {ratio}"
            );
        } else {
            assert_within("a useless score skips at random", ratio, 0.5, se);
        }
    }
}

#[test]
fn scoring_priority_helps_an_overloaded_team() {
    // 36 minutes a rep a day: twelve dials at the default pace, 48 for the team against the
    // 12 new leads a day and their follow-ups (some 80 touches a day).
    let overloaded = [
        "team.prospecting_hours_per_day=0.6",
        "routing.score_accuracy=1",
        "speed_to_lead.at_hand=0",
    ];
    let contacts = |priority: &str| {
        let mut overrides = overloaded.to_vec();
        let priority = format!("routing.priority={priority}");
        overrides.push(&priority);
        let (_, _, runs) = run(INBOUND, &overrides);
        mean_se(runs.samples.get(Metric::Contacts).values().iter().copied())
    };
    let (by_age, se_age) = contacts("age");
    let (by_score, se_score) = contacts("score");
    assert!(
        by_score - by_age > 5.0 * (se_age.powi(2) + se_score.powi(2)).sqrt(),
        "by score {by_score} vs by age {by_age}"
    );
}

#[test]
fn nurture_responses_are_extra_conversations() {
    let (_, _, without) = run(INBOUND, &[]);
    let (_, _, with) = run(
        INBOUND,
        &["nurture.monthly_response_rate=0.2", "nurture.after_days=7"],
    );
    let responses = with.nurture_responses.values();
    assert!(responses.iter().sum::<f64>() > 0.0);
    // With time to spare, nurture changes nothing else: the same leads, touches and
    // conversations, plus one conversation per response.
    let before = without.samples.get(Metric::Contacts).values();
    let after = with.samples.get(Metric::Contacts).values();
    for ((b, a), r) in before.iter().zip(after).zip(responses) {
        assert_eq!(a - b, *r);
    }
    assert_eq!(
        with.samples.get(Metric::Touches).values(),
        without.samples.get(Metric::Touches).values()
    );
}

#[test]
fn team_runs_are_identical_on_any_thread_count() {
    let text = format!(
        "{INBOUND}[[team.members]]\nname = \"a\"\ngive_up = 2\n[[team.members]]\nname = \"b\"\n\
         skill = 1.3\n[[team.members]]\nname = \"c\"\nhours_per_day = 0.5\n"
    )
    .replace("reps = 4\n", "");
    let s = team_scenario(
        &text,
        &[
            "leads.source=both",
            "routing.recycle_after_days=3",
            "routing.cherry_pick=0.1",
            "routing.priority=score",
            "nurture.monthly_response_rate=0.1",
        ],
    );
    let model = CalendarModel::new(&s, 1.0).recording_weeks();
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| simulate_calendar(&model, 130, 3))
    };
    assert_eq!(on(1), on(2));
}

#[test]
fn the_shipped_team_scenario_charts_penetration_and_backlog() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("team.png");
    let timeline = dir.path().join("weeks.csv");
    let stdout = stdout_of(
        callblitz()
            .args([
                "simulate",
                &shipped("shared-pool-vs-round-robin.toml"),
                "--calendar",
            ])
            .args(["--replications", "50", "--json", "--chart"])
            .arg(&chart)
            .arg("--timeline")
            .arg(&timeline),
    );
    let json: SimulateJson = serde_json::from_slice(&stdout).unwrap();
    let team = json.team.expect("a calendar run reports its team");
    assert_eq!(team.routing, "round-robin");
    let first_touch = team.first_touch.expect("leads arrive inbound");
    assert_eq!(first_touch.bins.len(), 7);
    assert!(team.nurture_responses.is_some(), "nurture is on");
    assert_eq!(team.reps.len(), 6);
    assert_png(&chart, 1200, 1200);
    let csv = std::fs::read_to_string(&timeline).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains("penetration_p10") && header.contains("backlog_p90"),
        "{header}"
    );
}

#[test]
fn team_settings_are_refused_where_they_cannot_act() {
    callblitz()
        .args(["simulate", &shipped("shared-pool-vs-round-robin.toml")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("[[team.members]]"))
        .stderr(predicates::str::contains("add --calendar"));
    callblitz()
        .args(["simulate", &shipped("cold-outbound.toml")])
        .args([
            "--set",
            "leads.source=inbound",
            "--set",
            "leads.per_week=50",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("leads.source (inbound arrivals)"));
    callblitz()
        .args(["plan", &shipped("shared-pool-vs-round-robin.toml")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("leads.source = \"inbound\""));
}

#[test]
fn compare_shows_how_each_team_worked_its_leads() {
    let scenario = shipped("shared-pool-vs-round-robin.toml");
    let run = |json: bool| {
        let mut cmd = callblitz();
        cmd.args(["compare", &scenario, "--calendar", "--replications", "40"]);
        if json {
            cmd.arg("--json");
        }
        String::from_utf8(stdout_of(&mut cmd)).unwrap()
    };
    let json: CompareJson = serde_json::from_str(&run(true)).unwrap();
    let variants = &json.variants;
    assert_eq!(variants.len(), 3);
    for v in variants {
        assert!(v.touches.is_none(), "no cohort touch table for a team");
        assert!(v.has_the_touch_analysis_whole_or_not_at_all());
        let team = v.team.as_ref().expect("a calendar run reports its team");
        assert!(team.first_touch.as_ref().is_some_and(|f| f.bins.len() == 7));
    }
    let pool = variants[2].team.as_ref().unwrap();
    assert_eq!(pool.routing, "shared-pool");
    // The pool enforces the cadence: full penetration with time to spare.
    assert!(variants[2].metrics["penetration"].mean > 99.0);
    let text = run(false);
    assert!(text.contains("How the team worked its leads"), "{text}");
    assert!(text.contains("Touch by touch: not shown for"), "{text}");
}
