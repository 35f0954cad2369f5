//! `--json` shapes as schemas: each output is read into structs that deny unknown fields, so a
//! key added, renamed or dropped fails a test (simulate and plan are read in cli.rs, compare in
//! compare.rs and team.rs, a plan tornado in sweep.rs; the shared shapes are in schema.rs).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::common::{callblitz, json_of, shipped, stdout_of};
use crate::schema::{BandJson, RateJson, SegmentJson, SummaryJson, TornadoJson, nullable};

/// A metric summary; a rate of nothing has null figures and a `none` reason.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct Summary {
    mean: Option<f64>,
    sd: Option<f64>,
    p05: Option<f64>,
    p50: Option<f64>,
    p95: Option<f64>,
    mean_ci95: [Option<f64>; 2],
    #[serde(default)]
    none: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct BlitzJson {
    scenario: String,
    seed: u64,
    replications: u64,
    minutes: f64,
    teams: Vec<GroupJson>,
    total: GroupJson,
    leaderboard: Vec<RankJson>,
    #[serde(default)]
    actual: Option<ActualJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct GroupJson {
    name: String,
    reps: usize,
    metrics: BTreeMap<String, Summary>,
    progress: Vec<MinuteJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct MinuteJson {
    minute: usize,
    dials: BandJson,
    contacts: BandJson,
    appointments_set: BandJson,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct RankJson {
    rank: usize,
    appointments_set: Summary,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ActualJson {
    teams: Vec<PlacedJson>,
    total: PlacedJson,
    reps: Vec<PlacedJson>,
    voicemails: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PlacedJson {
    name: String,
    #[serde(default)]
    team: Option<String>,
    values: BTreeMap<String, PlacementJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacementJson {
    actual: f64,
    percentile: f64,
}

#[test]
fn blitz_json_follows_its_schema() {
    let blitz = |extra: &[&str]| -> BlitzJson {
        let file = shipped("blitz-leader-involved.toml");
        let json = stdout_of(
            callblitz()
                .args(["blitz", &file, "--json", "--replications", "40"])
                .args(extra),
        );
        serde_json::from_slice(&json).unwrap()
    };
    let log = shipped("blitz-leader-involved.csv");
    let placed = blitz(&["--actual", &log]);
    assert_eq!(placed.teams.len(), 2);
    assert_eq!(
        placed.total.reps,
        placed.teams.iter().map(|t| t.reps).sum::<usize>()
    );
    assert_eq!(placed.total.progress.len(), placed.minutes as usize);
    let actual = placed.actual.expect("--actual places the real blitz");
    assert_eq!(actual.reps.len(), placed.total.reps);
    for value in actual.reps.iter().flat_map(|r| r.values.values()) {
        assert!((0.0..=1.0).contains(&value.percentile) && value.actual >= 0.0);
    }
    let nobody = blitz(&["--set", "leads.unreachable=1"]);
    assert!(nobody.actual.is_none());
    let rate = &nobody.total.metrics["appointment_rate_per_conversation"];
    assert!(rate.mean.is_none() && rate.none.is_some(), "{rate:?}");
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CalibrateJson {
    log: String,
    leads: u64,
    touches: u64,
    dials: u64,
    voicemails: u64,
    reachability: ReachabilityJson,
    bad_number_leads: u64,
    contact_by_attempt: Vec<AttemptJson>,
    goodness_of_fit: FitJson,
    decay_test: Option<DecayTestJson>,
    warnings: Vec<String>,
    rates: BTreeMap<String, RateJson>,
    give_up: Vec<GiveUpJson>,
    reps: Vec<RepJson>,
    skipped_rows: u64,
    skipped_lines: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ReachabilityJson {
    alpha: f64,
    beta: f64,
    mean: f64,
    concentration: f64,
    unreachable: f64,
    decay: f64,
    decay_held: bool,
    log_likelihood: f64,
    /// Profile intervals; an end the data do not bound is null.
    ci95: BTreeMap<String, [Option<f64>; 2]>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct AttemptJson {
    attempt: u64,
    leads: u64,
    observed: f64,
    fitted: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct FitJson {
    statistic: f64,
    df: u64,
    groups: u64,
    p_value: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct DecayTestJson {
    held: f64,
    fitted: f64,
    statistic: f64,
    p_value: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct GiveUpJson {
    after: u64,
    share: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct RepJson {
    rep: String,
    leads: u64,
    dials: u64,
    touches_per_unreached_lead: f64,
    conversations_per_dial: RateJson,
    appointment_rate: RateJson,
}

#[test]
fn calibrate_json_follows_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    stdout_of(
        callblitz()
            .args([
                "simulate",
                &shipped("sixteen-touch.toml"),
                "--replications",
                "2",
            ])
            .args(["--set", "leads.count=2000", "--log"])
            .arg(&log),
    );
    for flags in [&[][..], &["--unreachable"], &["--decay", "1"]] {
        let json = stdout_of(
            callblitz()
                .arg("calibrate")
                .arg(&log)
                .arg("--json")
                .args(flags),
        );
        let fit: CalibrateJson = serde_json::from_slice(&json).unwrap();
        assert_eq!(fit.leads, 2000);
        assert!(fit.ci95_has_every_channel());
        let held = flags.contains(&"--decay");
        assert_eq!(fit.reachability.decay_held, held);
        assert_eq!(fit.decay_test.is_some(), held);
        assert_eq!(fit.reachability.ci95.contains_key("decay"), !held);
        for rate in fit.rates.values() {
            assert!(rate.ci95[0] <= rate.estimate && rate.estimate <= rate.ci95[1]);
        }
    }
}

impl CalibrateJson {
    /// The sixteen-touch cadence's voicemails and emails are fitted relative to calls.
    fn ci95_has_every_channel(&self) -> bool {
        let ci95 = &self.reachability.ci95;
        [
            "mean",
            "concentration",
            "email_response",
            "voicemail_response",
        ]
        .iter()
        .all(|k| ci95.contains_key(*k))
    }
}

/// `sweep --json` of a grid.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct SweepJson {
    scenario: String,
    seed: u64,
    replications: u64,
    run: String,
    vary: Vec<AxisJson>,
    points: Vec<PointJson>,
}

/// A varied path and its values, as the scenario would hold them (numbers, arrays, tables).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AxisJson {
    path: String,
    values: Vec<Value>,
}

/// A grid point: the values set, and the metrics of a cohort or calendar or a plan's figures.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PointJson {
    set: BTreeMap<String, Value>,
    #[serde(default)]
    metrics: Option<BTreeMap<String, SummaryJson>>,
    #[serde(default)]
    plan: Option<PlanPointJson>,
    /// A simulated point of a scenario with more than one group of leads only.
    #[serde(default)]
    segments: Option<Vec<SegmentJson>>,
}

/// A plan's figures per rep; those of the hours found are null where no hours reach the goal.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct PlanPointJson {
    #[serde(deserialize_with = "nullable")]
    required_hours_per_week: Option<f64>,
    max_hours_per_week: f64,
    probability_of_goal: f64,
    expected_hours_per_week: f64,
    #[serde(deserialize_with = "nullable")]
    appointments_set_per_week_ramped: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    appointments_held_per_week_ramped: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    leads_per_week: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    contacts_per_week: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    dials_per_working_day: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    deals_p10: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    deals_p50: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    deals_p90: Option<f64>,
}

impl PlanPointJson {
    /// The figures of the hours found: all there, or (no hours reach the goal) all null.
    fn of_the_hours_found(&self) -> [Option<f64>; 9] {
        [
            self.required_hours_per_week,
            self.appointments_set_per_week_ramped,
            self.appointments_held_per_week_ramped,
            self.leads_per_week,
            self.contacts_per_week,
            self.dials_per_working_day,
            self.deals_p10,
            self.deals_p50,
            self.deals_p90,
        ]
    }
}

/// `sweep FILE ARGS --json`, read as its schema.
fn sweep(file: &str, args: &[&str]) -> SweepJson {
    json_of(callblitz().args(["sweep", file, "--json"]).args(args))
}

impl SweepJson {
    /// Asserts the points run the grid in order, the last path varying fastest, and each holds
    /// what its run gives: metrics (every one) or a plan.
    #[track_caller]
    fn assert_runs_the_grid(&self, run: &str) {
        assert_eq!(self.run, run);
        let sizes: Vec<usize> = self.vary.iter().map(|a| a.values.len()).collect();
        assert_eq!(self.points.len(), sizes.iter().product::<usize>());
        for (i, point) in self.points.iter().enumerate() {
            let mut rest = i;
            for (axis, size) in self.vary.iter().zip(&sizes).rev() {
                assert_eq!(point.set[&axis.path], axis.values[rest % size], "point {i}");
                rest /= size;
            }
            assert_eq!(point.set.len(), self.vary.len());
            match (&point.metrics, &point.plan) {
                (Some(metrics), None) => {
                    assert_ne!(run, "plan");
                    assert_eq!(metrics.len(), 11, "every metric");
                }
                (None, Some(_)) => assert_eq!(run, "plan"),
                _ => panic!("point {i} has metrics or a plan, not both"),
            }
        }
    }
}

#[test]
fn sweep_json_follows_its_schema() {
    let cohort = sweep(
        &shipped("cold-outbound.toml"),
        &[
            "--vary",
            "cadence.attempts=2,4,6",
            "--vary",
            "reps.give_up=[],[{after=3,share=0.8}]",
            "--replications",
            "30",
            "--set",
            "leads.count=200",
        ],
    );
    cohort.assert_runs_the_grid("cohort");
    assert_eq!(cohort.replications, 30);
    assert_eq!(
        cohort.vary[1].values,
        [
            serde_json::json!([]),
            serde_json::json!([{"after": 3, "share": 0.8}])
        ]
    );
    let leads = &cohort.points[0].metrics.as_ref().unwrap()["leads"];
    assert_eq!((leads.mean, leads.sd), (200.0, 0.0));

    let kpis = shipped("new-hire-kpis.toml");
    let short_year = [
        "--set",
        "simulation.weeks=13",
        "--set",
        "simulation.weeks_off=0",
    ];
    let calendar = sweep(
        &kpis,
        &[
            &[
                "--calendar",
                "--vary",
                "team.reps=1,2",
                "--replications",
                "10",
            ][..],
            &short_year,
        ]
        .concat(),
    );
    calendar.assert_runs_the_grid("calendar");

    // 400 deals are out of reach: that point's figures of the hours found are null.
    let plan = sweep(
        &kpis,
        &[
            "--plan",
            "--vary",
            "goal.deals=20,400",
            "--replications",
            "30",
        ],
    );
    plan.assert_runs_the_grid("plan");
    let [reached, unreached] = [0, 1].map(|i| plan.points[i].plan.as_ref().unwrap());
    assert!(reached.of_the_hours_found().iter().all(Option::is_some));
    assert!(reached.probability_of_goal >= 0.8);
    assert!(unreached.of_the_hours_found().iter().all(Option::is_none));
    assert!(unreached.probability_of_goal < 0.8);
    assert_eq!(unreached.max_hours_per_week, 40.0);
}

#[test]
fn tornado_json_follows_its_schema() {
    let three_call = shipped("three-call.toml");
    let tornado: TornadoJson =
        json_of(callblitz().args(["sweep", &three_call, "--tornado"]).args([
            "--replications",
            "100",
            "--json",
        ]));
    assert_eq!(
        (tornado.run.as_str(), tornado.metric.as_str()),
        ("cohort", "deals")
    );
    assert_eq!((tornado.swing, tornado.replications), (0.2, 100));
    assert!(!tornado.base.beyond);
    assert!(!tornado.levers.is_empty() && !tornado.left_out.is_empty());
    for lever in &tornado.levers {
        assert!(lever.effect_is_up_minus_down(&tornado.base), "{lever:?}");
        assert!(
            !lever.effect_is_bound && lever.effect_ci95.is_some(),
            "{lever:?}"
        );
        assert!(lever.down.is_some() || lever.up.is_some(), "{lever:?}");
    }
    assert!(tornado.left_out.iter().all(|l| !l.reason.is_empty()));
}

/// `scenario show --json`: the resolved scenario. Keys the TOML leaves out when unset are
/// optional here too.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct ScenarioJson {
    name: String,
    simulation: SimulationJson,
    leads: LeadsJson,
    cadence: CadenceJson,
    reps: RepsJson,
    channels: ChannelsJson,
    funnel: FunnelJson,
    team: TeamSettingsJson,
    routing: RoutingJson,
    speed_to_lead: SpeedToLeadJson,
    nurture: NurtureJson,
    referrals: ReferralsJson,
    goal: GoalJson,
    #[serde(default)]
    service: Option<ServiceJson>,
    blitz: BlitzSettingsJson,
    sweep: SweepSettingsJson,
    #[serde(default)]
    variants: Vec<VariantSettingsJson>,
}

/// `[service]`: only the promises stated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ServiceJson {
    #[serde(default)]
    penetration: Option<f64>,
    #[serde(default)]
    called_within_minutes: Option<f64>,
    #[serde(default)]
    called_within_share: Option<f64>,
    #[serde(default)]
    backlog: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct SimulationJson {
    replications: u64,
    seed: u64,
    weeks: u32,
    working_days_per_week: u32,
    weeks_off: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct LeadsJson {
    count: u64,
    unlimited: bool,
    refill_per_month: u64,
    reachability: ReachabilitySettingsJson,
    unreachable: f64,
    source: String,
    per_week: f64,
    #[serde(default)]
    arrival_profile: Vec<f64>,
    #[serde(default)]
    segments: Vec<SegmentSettingsJson>,
}

/// A `[[leads.segments]]` entry: a key it does not give takes the scenario's value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct SegmentSettingsJson {
    name: String,
    share: f64,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    unreachable: Option<f64>,
    #[serde(default)]
    reachability: Option<ReachabilitySettingsJson>,
    #[serde(default)]
    funnel: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    cadence: Option<CadenceJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct ReachabilitySettingsJson {
    mean: f64,
    #[serde(default)]
    concentration: Option<f64>,
    decay: f64,
}

/// Either the touches, or the calls and days they spread over.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct CadenceJson {
    #[serde(default)]
    touches: Option<Vec<TouchSettingJson>>,
    #[serde(default)]
    attempts: Option<u32>,
    #[serde(default)]
    days: Option<u32>,
    #[serde(default)]
    restart: Option<RestartJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct RestartJson {
    cycles: u32,
    pause_days: u32,
    response: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct TouchSettingJson {
    day: u32,
    channel: String,
    response: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct RepsJson {
    give_up: Vec<GiveUpJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct ChannelsJson {
    call: ChannelJson,
    voicemail: ChannelJson,
    email: ChannelJson,
    inmail: ChannelJson,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct ChannelJson {
    minutes: f64,
    conversation_minutes: f64,
    response: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct FunnelJson {
    appointment_rate: f64,
    show_rate: f64,
    opportunity_rate: f64,
    win_rate: f64,
    deal_size: f64,
    booking_minutes: f64,
    appointment_lag_days: f64,
    sales_cycle_days: SalesCycleJson,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct SalesCycleJson {
    median: f64,
    p90: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct TeamSettingsJson {
    reps: u32,
    prospecting_hours_per_day: f64,
    ramp_weeks: f64,
    workday_hours: f64,
    sessions_per_day: u32,
    #[serde(default)]
    members: Vec<MemberJson>,
}

/// A rep of the team; what a member leaves out, the team's settings give.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct MemberJson {
    name: String,
    #[serde(default)]
    hours_per_day: Option<f64>,
    #[serde(default)]
    minutes_per_touch: Option<f64>,
    skill: f64,
    #[serde(default)]
    give_up: Option<u32>,
    #[serde(default)]
    ramp_weeks: Option<f64>,
    #[serde(default)]
    goal_share: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct RoutingJson {
    mode: String,
    priority: String,
    #[serde(default)]
    recycle_after_days: Option<u32>,
    cherry_pick: f64,
    score_accuracy: f64,
    pickup: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct SpeedToLeadJson {
    at_hand: f64,
    half_life_minutes: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct NurtureJson {
    after_days: u32,
    monthly_response_rate: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct ReferralsJson {
    per_conversation: f64,
    lag_days: u32,
    #[serde(default)]
    unreachable: Option<f64>,
    #[serde(default)]
    reachability: Option<ReachabilitySettingsJson>,
    #[serde(default)]
    funnel: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    cadence: Option<CadenceJson>,
}

/// Deals, revenue or both.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct GoalJson {
    #[serde(default)]
    deals: Option<f64>,
    #[serde(default)]
    revenue: Option<f64>,
    confidence: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct BlitzSettingsJson {
    minutes: f64,
    #[serde(default)]
    reps: Option<u32>,
    dial_spread: f64,
    other_positive_rate: f64,
    #[serde(default)]
    breaks: Vec<BreakJson>,
    #[serde(default)]
    teams: Vec<BlitzTeamJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct BreakJson {
    after: f64,
    minutes: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct BlitzTeamJson {
    name: String,
    reps: u32,
    pace: f64,
    response: f64,
    conversion: f64,
    #[serde(default)]
    members: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct SweepSettingsJson {
    vary: Vec<String>,
    run: String,
    #[serde(default)]
    metric: Option<String>,
    swing: f64,
}

/// A variant: its name and the keys it sets, as `--set` would (any value).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
struct VariantSettingsJson {
    name: String,
    set: BTreeMap<String, Value>,
}

#[test]
fn scenario_show_json_follows_its_schema_and_says_what_the_toml_says() {
    let show = |file: &str, extra: &[&str]| -> (Value, Value) {
        let json = stdout_of(
            callblitz()
                .args(["scenario", "show", file, "--json"])
                .args(extra),
        );
        let toml = stdout_of(callblitz().args(["scenario", "show", file]).args(extra));
        let toml: toml::Value = toml::from_str(std::str::from_utf8(&toml).unwrap()).unwrap();
        (
            serde_json::from_slice(&json).unwrap(),
            serde_json::to_value(toml).unwrap(),
        )
    };
    let files: Vec<_> = std::fs::read_dir(shipped(""))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    assert!(files.len() >= 8, "{files:?}");
    // The keys no shipped scenario sets.
    let three_call = shipped("three-call.toml");
    let unusual = [
        "--set",
        "leads.reachability={mean=0.1}",
        "--set",
        "blitz.reps=3",
        "--set",
        "team={members=[{name=\"A\",hours_per_day=2,ramp_weeks=4,goal_share=0.6},{name=\"B\",goal_share=0.4}]}",
        "--set",
        "routing.recycle_after_days=7",
        "--set",
        "referrals={per_conversation=0.1,reachability={mean=0.3},funnel={win_rate=0.3}}",
    ];
    let runs = files
        .iter()
        .map(|path| (path.display().to_string(), &[][..]))
        .chain([(three_call, &unusual[..])]);
    for (file, extra) in runs {
        let (json, toml) = show(&file, extra);
        assert_eq!(json, toml, "{file}");
        let scenario: ScenarioJson = serde_json::from_value(json).unwrap();
        let cadence = &scenario.cadence;
        assert_ne!(
            cadence.touches.is_some(),
            cadence.attempts.is_some() && cadence.days.is_some(),
            "{file}: touches, or attempts over days"
        );
    }
}

#[test]
fn a_sweep_of_segments_breaks_every_point_down_and_the_segments_add_up() {
    let json = sweep(
        &shipped("kare-mix.toml"),
        &["--vary", "leads.count=1000,2000", "--replications", "50"],
    );
    json.assert_runs_the_grid("cohort");
    for point in &json.points {
        let segments = point
            .segments
            .as_ref()
            .expect("each point has its segments");
        assert_eq!(segments.len(), 3);
        let metrics = point.metrics.as_ref().unwrap();
        for metric in ["leads", "contacts", "deals", "revenue", "prospecting_hours"] {
            let sum: f64 = segments.iter().map(|s| s.metrics[metric].mean).sum();
            let total = metrics[metric].mean;
            assert!((sum - total).abs() <= 1e-9 * total.max(1.0), "{metric}");
        }
    }
}
