//! Every validation rule: the problem names the key, the line, the bad value and the fix.

use callblitz::scenario::{Location, Override, Problem, Scenario, load, load_str};
use predicates::prelude::*;

use crate::common::callblitz;

/// Loads text that must be rejected and returns its problems.
fn problems(text: &str) -> Vec<Problem> {
    match load_str(text, "bad.toml", &[]) {
        Ok(_) => panic!("accepted a bad scenario:\n{text}"),
        Err(err) => err.problems,
    }
}

/// Asserts that `text` is rejected with a problem on `key`, at `line`, whose message holds
/// `fragment`.
#[track_caller]
fn rejects(text: &str, key: &str, line: usize, fragment: &str) {
    let found = problems(text);
    let problem = found
        .iter()
        .find(|p| p.key.as_deref() == Some(key))
        .unwrap_or_else(|| panic!("no problem on `{key}` in {found:#?}"));
    assert_eq!(
        problem.location,
        Location::File {
            path: "bad.toml".into(),
            line: Some(line)
        },
        "{problem}"
    );
    assert!(
        problem.message.contains(fragment),
        "`{}` lacks `{fragment}`",
        problem.message
    );
}

#[test]
fn every_rule_names_key_line_value_and_fix() {
    let cases: &[(&str, &str, usize, &str)] = &[
        (
            "[simulation]\nreplications = 1",
            "simulation.replications",
            2,
            "= 1: must be a whole number from 2",
        ),
        (
            "[simulation]\nreplications = 5000000",
            "simulation.replications",
            2,
            "to 1000000",
        ),
        (
            "[simulation]\nweeks = 0",
            "simulation.weeks",
            2,
            "= 0: must be a whole number from 1 to 520",
        ),
        (
            "[simulation]\nworking_days_per_week = 8",
            "simulation.working_days_per_week",
            2,
            "from 1 to 7",
        ),
        (
            "[simulation]\nweeks = 10\nweeks_off = 10",
            "simulation.weeks_off",
            3,
            "must be less than simulation.weeks (10)",
        ),
        (
            "[leads]\ncount = 0",
            "leads.count",
            2,
            "= 0: must be a whole number from 1",
        ),
        (
            "[simulation]\nreplications = 1000000\n[leads]\ncount = 1000000",
            "leads.count",
            4,
            "more than the 100000000000 a run may take",
        ),
        (
            "[leads]\nreachability = { mean = 1.5 }",
            "leads.reachability.mean",
            2,
            "= 1.5: must be between 0 and 1",
        ),
        (
            "[leads]\nreachability = { mean = 0.0, concentration = 3 }",
            "leads.reachability.mean",
            2,
            "above 0 and below 1 when a concentration",
        ),
        (
            "[leads]\nreachability = { mean = 0.1, concentration = -2 }",
            "leads.reachability.concentration",
            2,
            "= -2: must be above 0 and at most 1e6",
        ),
        (
            "[leads]\nreachability = { mean = 0.1, decay = 1.6 }",
            "leads.reachability.decay",
            2,
            "= 1.6: must be above 0 and at most 1.5",
        ),
        (
            "[leads]\nunreachable = -0.1",
            "leads.unreachable",
            2,
            "= -0.1: must be between 0 and 1",
        ),
        (
            "[leads]\nsource = \"inbound\"\nper_week = -5",
            "leads.per_week",
            3,
            "= -5: must be a number from 0 to 1000000",
        ),
        (
            "[cadence]\nattempts = 3\ndays = 5\ntouches = [{ day = 0, channel = \"call\" }]",
            "cadence",
            1,
            "either `touches` or the shorthand",
        ),
        (
            "[cadence]\ntouches = [{ day = 3, channel = \"call\" }]",
            "cadence.touches[0].day",
            2,
            "the first touch must be on day 0",
        ),
        (
            "[cadence]\ntouches = []",
            "cadence.touches",
            2,
            "must plan at least one touch",
        ),
        (
            "[cadence]\ntouches = [\n  { day = 5, channel = \"call\" },\n  { day = 2, channel = \"email\" },\n]",
            "cadence.touches[1].day",
            4,
            "in day order",
        ),
        (
            "[cadence]\nattempts = 0\ndays = 5",
            "cadence.attempts",
            2,
            "= 0: must be a whole number from 1 to 500",
        ),
        (
            "[cadence]\nattempts = 3\ndays = 0",
            "cadence.days",
            3,
            "= 0: must be a whole number from 1",
        ),
        (
            "[reps]\ngive_up = [{ after = 0, share = 0.5 }]",
            "reps.give_up[0].after",
            2,
            "must be 1 or more",
        ),
        (
            "[reps]\ngive_up = [{ after = 2, share = 1.5 }]",
            "reps.give_up[0].share",
            2,
            "= 1.5: must be between 0 and 1",
        ),
        (
            "[reps]\ngive_up = [{ after = 2, share = 0.7 }, { after = 3, share = 0.6 }]",
            "reps.give_up",
            2,
            "add up to at most 1",
        ),
        (
            "[channels.email]\nminutes = -1",
            "channels.email.minutes",
            2,
            "= -1: must be from 0.1 to 600 minutes",
        ),
        (
            "[channels.voicemail]\nminutes = 0",
            "channels.voicemail.minutes",
            2,
            "must be from 0.1 to 600 minutes",
        ),
        (
            "[channels.call]\nminutes = 1\nconversation_minutes = -3\nresponse = 1",
            "channels.call.conversation_minutes",
            3,
            "must be between 0 and 600",
        ),
        (
            "[channels.inmail]\nminutes = 1\nconversation_minutes = 1\nresponse = 1.5",
            "channels.inmail.response",
            4,
            "multiplies the chance of a live call",
        ),
        (
            "[funnel]\nappointment_rate = 2",
            "funnel.appointment_rate",
            2,
            "= 2: must be between 0 and 1",
        ),
        (
            "[funnel]\nshow_rate = -0.5",
            "funnel.show_rate",
            2,
            "between 0 and 1",
        ),
        (
            "[funnel]\nopportunity_rate = 1.1",
            "funnel.opportunity_rate",
            2,
            "between 0 and 1",
        ),
        (
            "[funnel]\nwin_rate = 7",
            "funnel.win_rate",
            2,
            "between 0 and 1",
        ),
        (
            "[funnel]\ndeal_size = -100",
            "funnel.deal_size",
            2,
            "must be between 0 and 1e10",
        ),
        (
            "[funnel]\nbooking_minutes = -1",
            "funnel.booking_minutes",
            2,
            "must be between 0 and 600",
        ),
        (
            "[funnel]\nappointment_lag_days = -1",
            "funnel.appointment_lag_days",
            2,
            "must be between 0 and 3650",
        ),
        (
            "[funnel]\nsales_cycle_days = { median = 0, p90 = 10 }",
            "funnel.sales_cycle_days.median",
            2,
            "above 0",
        ),
        (
            "[funnel]\nsales_cycle_days = { median = 60, p90 = 30 }",
            "funnel.sales_cycle_days.p90",
            2,
            "at least the median (60)",
        ),
        ("[team]\nreps = 0", "team.reps", 2, "from 1 to 10000"),
        (
            "[team]\nprospecting_hours_per_day = 30",
            "team.prospecting_hours_per_day",
            2,
            "at most 24",
        ),
        (
            "[team]\nworkday_hours = 0",
            "team.workday_hours",
            2,
            "must be above 0 and at most 24",
        ),
        (
            "[team]\nworkday_hours = 6\nprospecting_hours_per_day = 7",
            "team.prospecting_hours_per_day",
            3,
            "at most team.workday_hours (6)",
        ),
        (
            "[team]\nsessions_per_day = 0",
            "team.sessions_per_day",
            2,
            "= 0: must be a whole number from 1 to 96",
        ),
        (
            "[team]\nramp_weeks = 60",
            "team.ramp_weeks",
            2,
            "between 0 and 52",
        ),
        (
            "[goal]\ndeals = 10\nrevenue = 5000",
            "goal",
            1,
            "either `deals` or `revenue`",
        ),
        (
            "[goal]\ndeals = 0",
            "goal.deals",
            2,
            "must be from 1 to 1e7",
        ),
        (
            "[goal]\nrevenue = -5",
            "goal.revenue",
            2,
            "must be from 1 to 1e11",
        ),
        (
            "[goal]\ndeals = 4\nconfidence = 1.0",
            "goal.confidence",
            3,
            "above 0 and below 1",
        ),
    ];
    for (text, key, line, fragment) in cases {
        rejects(text, key, *line, fragment);
    }
}

/// Asserts that `callblitz scenario check` rejects `text` with exit code 2, and that its
/// report holds every one of `fragments`.
#[track_caller]
fn check_rejects(text: &str, fragments: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, text).unwrap();
    let mut assert = callblitz()
        .args(["scenario", "check", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("panicked").not());
    for fragment in fragments {
        assert = assert.stderr(predicate::str::contains(*fragment));
    }
}

#[test]
fn inbound_sources_need_an_arrival_rate_and_a_list_takes_none() {
    rejects(
        "[leads]\nsource = \"inbound\"",
        "leads.source",
        2,
        "leads.source = \"inbound\": inbound leads need an arrival rate: set leads.per_week",
    );
    rejects(
        "[leads]\nsource = \"both\"\nper_week = 0",
        "leads.source",
        2,
        "inbound leads need an arrival rate: set leads.per_week",
    );
    rejects(
        "[leads]\nper_week = 20",
        "leads.per_week",
        2,
        "leads.per_week = 20: per_week is for inbound arrivals: set leads.source = \"inbound\" \
         or \"both\", or remove per_week",
    );
    rejects(
        "[leads]\nsource = \"inbound\"\nper_week = 2000000",
        "leads.per_week",
        3,
        "= 2000000: must be a number from 0 to 1000000",
    );
    rejects(
        "[leads]\nsource = \"both\"\nper_week = nan",
        "leads.per_week",
        3,
        "= NaN: must be a number from 0 to 1000000",
    );
    let s = crate::common::scenario("[leads]\nsource = \"both\"\nper_week = 12.5\n");
    assert_eq!(s.leads.per_week, 12.5);
    check_rejects(
        "[leads]\nsource = \"inbound\"\n",
        &[
            "bad.toml:2: leads.source = \"inbound\": inbound leads need an arrival rate: set \
           leads.per_week",
        ],
    );
}

#[test]
fn arrival_profiles_have_one_weight_per_working_day() {
    rejects(
        "[leads]\nsource = \"inbound\"\nper_week = 10\narrival_profile = [1, 2, 3]",
        "leads.arrival_profile",
        4,
        "= [1, 2, 3]: must have one entry for each working day \
         (simulation.working_days_per_week = 5)",
    );
    rejects(
        "[simulation]\nworking_days_per_week = 3\n[leads]\nsource = \"inbound\"\nper_week = 10\n\
         arrival_profile = [1, -2, 3]",
        "leads.arrival_profile[1]",
        6,
        "= -2: must be a number from 0 to 1000000",
    );
    rejects(
        "[leads]\nsource = \"both\"\nper_week = 10\narrival_profile = [0, 0, 0, 0, 0]",
        "leads.arrival_profile",
        4,
        "must have at least one day above 0",
    );
    rejects(
        "[leads]\narrival_profile = [1, 1, 1, 1, 2]",
        "leads.arrival_profile",
        2,
        "leads.source = \"list\" has none: set leads.source = \"inbound\" or \"both\", or \
         remove arrival_profile",
    );
    let s = crate::common::scenario(
        "[leads]\nsource = \"inbound\"\nper_week = 10\narrival_profile = [3, 2, 2, 2, 1]\n",
    );
    assert_eq!(s.leads.arrival_profile, [3.0, 2.0, 2.0, 2.0, 1.0]);
    check_rejects(
        "[leads]\nsource = \"inbound\"\nper_week = 10\narrival_profile = [1, 2]\n",
        &["bad.toml:4: leads.arrival_profile = [1, 2]: must have one entry for each working day"],
    );
}

#[test]
fn speed_to_lead_is_a_chance_that_halves() {
    rejects(
        "[speed_to_lead]\nat_hand = 1.5",
        "speed_to_lead.at_hand",
        2,
        "= 1.5: must be a number from 0 to 1",
    );
    rejects(
        "[speed_to_lead]\nat_hand = nan",
        "speed_to_lead.at_hand",
        2,
        "(0 means speed makes no difference)",
    );
    rejects(
        "[speed_to_lead]\nhalf_life_minutes = 0",
        "speed_to_lead.half_life_minutes",
        2,
        "= 0: must be above 0 and at most 5256000",
    );
    let s = crate::common::scenario("[speed_to_lead]\nat_hand = 0\n");
    assert_eq!(s.speed_to_lead.at_hand, 0.0, "0 turns the effect off");
    check_rejects(
        "[speed_to_lead]\nat_hand = -3\nhalf_life_minutes = -1\n",
        &[
            "bad.toml:2: speed_to_lead.at_hand = -3: must be a number from 0 to 1",
            "bad.toml:3: speed_to_lead.half_life_minutes = -1: must be above 0",
        ],
    );
    rejects(
        "[routing]\npickup = \"later\"",
        "routing.pickup",
        2,
        "at-once",
    );
}

#[test]
fn team_members_are_counted_named_and_each_valid() {
    rejects(
        "[team]\nreps = 3\n[[team.members]]\nname = \"Ana\"\n[[team.members]]\nname = \"Bo\"",
        "team.reps",
        2,
        "team.reps = 3: does not match the 2 [[team.members]] listed: remove team.reps, it \
         counts the members",
    );
    rejects(
        "[[team.members]]\nname = \"\"",
        "team.members[0].name",
        2,
        "must not be empty",
    );
    rejects(
        "[[team.members]]\nname = \"Ana\"\n[[team.members]]\nname = \"Ana\"",
        "team.members[1].name",
        4,
        "team.members[1].name = \"Ana\": team.members[0] has this name already: give each \
         member a name of their own",
    );
    rejects(
        "[team]\nworkday_hours = 6\n[[team.members]]\nname = \"Ana\"\nhours_per_day = 7",
        "team.members[0].hours_per_day",
        5,
        "= 7: must be above 0 and at most team.workday_hours (6)",
    );
    rejects(
        "[[team.members]]\nname = \"Ana\"\nhours_per_day = 0",
        "team.members[0].hours_per_day",
        3,
        "must be above 0",
    );
    rejects(
        "[[team.members]]\nname = \"Ana\"\nminutes_per_touch = -1",
        "team.members[0].minutes_per_touch",
        3,
        "= -1: must be from 0.1 to 600 minutes",
    );
    rejects(
        "[[team.members]]\nname = \"Ana\"\nskill = -0.5",
        "team.members[0].skill",
        3,
        "= -0.5: must be a number of 0 or more: it multiplies funnel.appointment_rate",
    );
    rejects(
        "[funnel]\nappointment_rate = 0.25\n[[team.members]]\nname = \"Ana\"\nskill = 5",
        "team.members[0].skill",
        5,
        "times funnel.appointment_rate (0.25) this is a chance above 1 of booking an \
         appointment from a conversation: use a skill of at most 4",
    );
    rejects(
        "[[team.members]]\nname = \"Ana\"\ngive_up = 0",
        "team.members[0].give_up",
        3,
        "= 0: must be 1 or more",
    );
    rejects(
        "[[team.members]]\nname = \"Ana\"\nramp_weeks = 60",
        "team.members[0].ramp_weeks",
        3,
        "= 60: must be between 0 and simulation.weeks (52)",
    );
    let many: String = (0..10_001)
        .map(|i| format!("[[team.members]]\nname = \"rep {i}\"\n"))
        .collect();
    rejects(&many, "team.members", 1, "at most 10000 members");
    check_rejects(
        "[team]\nreps = 1\n[[team.members]]\nname = \"Ana\"\nskill = 20\n\
         [[team.members]]\nname = \"Ana\"\ngive_up = 0\n",
        &[
            "bad.toml:2: team.reps = 1: does not match the 2 [[team.members]] listed",
            "bad.toml:5: team.members[0].skill = 20: times funnel.appointment_rate (0.12)",
            "use a skill of at most 8.333",
            "bad.toml:7: team.members[1].name = \"Ana\": team.members[0] has this name already",
            "bad.toml:8: team.members[1].give_up = 0: must be 1 or more",
        ],
    );
}

#[test]
fn recycling_and_cherry_picking_belong_to_round_robin() {
    rejects(
        "[routing]\nmode = \"shared-pool\"\nrecycle_after_days = 30",
        "routing.recycle_after_days",
        3,
        "= 30: with mode = \"shared-pool\" the pool works the whole cadence, so no lead is \
         dropped to recycle: remove recycle_after_days or use mode = \"round-robin\"",
    );
    rejects(
        "[routing]\nrecycle_after_days = 4000",
        "routing.recycle_after_days",
        2,
        "= 4000: must be a whole number from 1 to 3650",
    );
    rejects(
        "[team]\nreps = 3\n[routing]\nrecycle_after_days = 0",
        "routing.recycle_after_days",
        4,
        "= 0: must be a whole number from 1 to 3650",
    );
    rejects(
        "[routing]\nrecycle_after_days = 5",
        "routing.recycle_after_days",
        2,
        "= 5: a dropped lead goes to another rep, and the team has one",
    );
    rejects(
        "[routing]\ncherry_pick = 0.3",
        "routing.cherry_pick",
        2,
        "= 0.3: reps skip inbound leads they are given; from a list they pick no lead",
    );
    rejects(
        "[leads]\nsource = \"inbound\"\nper_week = 50\n[routing]\nmode = \"shared-pool\"\n\
         cherry_pick = 0.3",
        "routing.cherry_pick",
        6,
        "= 0.3: with mode = \"shared-pool\" every lead in the pool is worked, so none is \
         skipped: remove cherry_pick or use mode = \"round-robin\"",
    );
    rejects(
        "[routing]\ncherry_pick = 1.0",
        "routing.cherry_pick",
        2,
        "= 1: must be 0 or more and below 1",
    );
    rejects(
        "[routing]\nscore_accuracy = 1.5",
        "routing.score_accuracy",
        2,
        "= 1.5: must be between 0 and 1",
    );
    let s = crate::common::scenario(
        "[leads]\nsource = \"inbound\"\nper_week = 50\n[team]\nreps = 2\n[routing]\n\
         mode = \"round-robin\"\npriority = \"score\"\nrecycle_after_days = 30\n\
         cherry_pick = 0.2\nscore_accuracy = 0\n",
    );
    assert_eq!(s.routing.recycle_after_days, Some(30));
    check_rejects(
        "[routing]\nmode = \"shared-pool\"\nrecycle_after_days = 30\ncherry_pick = 0.3\n",
        &[
            "bad.toml:3: routing.recycle_after_days = 30: with mode = \"shared-pool\"",
            "bad.toml:4: routing.cherry_pick = 0.3: reps skip inbound leads",
        ],
    );
}

#[test]
fn give_up_points_are_allowed_with_a_shared_pool() {
    // The pool simply works the whole cadence (docs/model.md overrides both at once).
    let s = crate::common::scenario(
        "[routing]\nmode = \"shared-pool\"\n[reps]\ngive_up = [{ after = 3, share = 0.8 }]\n\
         [[team.members]]\nname = \"Ana\"\ngive_up = 4\n",
    );
    assert_eq!(s.reps.give_up.len(), 1);
    assert_eq!(s.team.members[0].give_up, Some(4));
    let set = |s: &str| Override::parse(s).unwrap();
    load_str(
        "",
        "ok.toml",
        &[
            set("routing.mode=shared-pool"),
            set("reps.give_up=[{after=3,share=0.8}]"),
        ],
    )
    .unwrap();
}

#[test]
fn nurture_rates_stay_below_one() {
    rejects(
        "[nurture]\nmonthly_response_rate = 1",
        "nurture.monthly_response_rate",
        2,
        "= 1: must be 0 or more and below 1: the chance a nurtured lead responds within a month",
    );
    rejects(
        "[nurture]\nmonthly_response_rate = -0.1",
        "nurture.monthly_response_rate",
        2,
        "below 1",
    );
    rejects(
        "[nurture]\nafter_days = 4000",
        "nurture.after_days",
        2,
        "= 4000: must be a whole number from 0 to 3650",
    );
    check_rejects(
        "[nurture]\nafter_days = 5000\nmonthly_response_rate = 2\n",
        &[
            "bad.toml:2: nurture.after_days = 5000: must be a whole number from 0 to 3650",
            "bad.toml:3: nurture.monthly_response_rate = 2: must be 0 or more and below 1",
        ],
    );
}

#[test]
fn a_team_with_members_routing_nurture_and_speed_to_lead_is_valid() {
    let text = r#"
name = "Inbound team"
[leads]
source = "both"
per_week = 40
arrival_profile = [1.2, 1.1, 1.0, 0.9, 0.8]
[team]
prospecting_hours_per_day = 3
[[team.members]]
name = "Ana"
skill = 1.5
ramp_weeks = 0
[[team.members]]
name = "Bo"
hours_per_day = 4
minutes_per_touch = 1.0
give_up = 3
[[team.members]]
name = "Cy"
[routing]
mode = "round-robin"
priority = "score"
recycle_after_days = 21
cherry_pick = 0.1
score_accuracy = 0.6
pickup = "block-start"
[speed_to_lead]
at_hand = 0.8
half_life_minutes = 5
[nurture]
after_days = 30
monthly_response_rate = 0.02
"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.toml");
    std::fs::write(&path, text).unwrap();
    let file = path.to_str().unwrap();
    callblitz()
        .args(["scenario", "check", file])
        .assert()
        .success()
        .stdout(predicate::str::contains("valid"));
    let json = callblitz()
        .args(["scenario", "show", file, "--json"])
        .output()
        .unwrap();
    assert!(json.status.success());
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["team"]["reps"], 3, "reps counted from the members");
    assert_eq!(value["team"]["members"][1]["name"], "Bo");
    assert_eq!(value["routing"]["mode"], "round-robin");
    assert_eq!(value["nurture"]["monthly_response_rate"], 0.02);
    // The resolved TOML states reps beside the members and still reads back.
    let shown = callblitz()
        .args(["scenario", "show", file])
        .output()
        .unwrap();
    let reread = load_str(&String::from_utf8(shown.stdout).unwrap(), "shown.toml", &[]).unwrap();
    assert_eq!(reread.team.reps, 3);
    assert_eq!(reread, load(&path, &[]).unwrap());
}

#[test]
fn unknown_keys_get_a_did_you_mean_hint() {
    rejects(
        "name = \"x\"\n[leads]\nreachability = { meen = 0.1 }",
        "leads.reachability.meen",
        3,
        "did you mean `mean`?",
    );
    rejects(
        "[funnel]\nshow_rat = 0.5",
        "funnel.show_rat",
        2,
        "did you mean `show_rate`?",
    );
    rejects("[lead]\ncount = 5", "lead", 1, "did you mean `leads`?");
    rejects(
        "[cadence]\ntouches = [{ day = 0, channel = \"cal\" }]\n",
        "cadence.touches[0].channel",
        2,
        "did you mean `call`?",
    );
    rejects(
        "[leads]\nsource = \"inbund\"",
        "leads.source",
        2,
        "did you mean `inbound`?",
    );
    rejects(
        "[routing]\nrecycle_after_day = 30",
        "routing.recycle_after_day",
        2,
        "did you mean `recycle_after_days`?",
    );
    rejects(
        "[routing]\nmode = \"shared_pool\"",
        "routing.mode",
        2,
        "did you mean `shared-pool`?",
    );
    rejects(
        "[[team.members]]\nname = \"Ana\"\n[[team.members]]\nname = \"Bo\"\nskil = 1.2",
        "team.members[1].skil",
        5,
        "did you mean `skill`?",
    );
    rejects(
        "[speed_to_lead]\nhalf_life = 5",
        "speed_to_lead.half_life",
        2,
        "did you mean `half_life_minutes`?",
    );
    check_rejects(
        "[[team.members]]\nname = \"Ana\"\nhours_per_dya = 3\n",
        &["bad.toml:3: unknown key `team.members[0].hours_per_dya`; did you mean `hours_per_day`?"],
    );
}

#[test]
fn wrong_types_name_the_key_and_the_expected_type() {
    rejects(
        "[leads]\ncount = \"many\"",
        "leads.count",
        2,
        "expected a whole number",
    );
    rejects(
        "[funnel]\nwin_rate = \"high\"",
        "funnel.win_rate",
        2,
        "expected a number",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let found = problems(
        "[leads]\ncount = \"abc\"\nunreachable = 1.5\n[funnel]\nshow_rat = 0.5\nwin_rate = 3\n",
    );
    let keys: Vec<&str> = found.iter().filter_map(|p| p.key.as_deref()).collect();
    assert_eq!(
        keys,
        [
            "leads.count",
            "leads.unreachable",
            "funnel.show_rat",
            "funnel.win_rate"
        ],
        "{found:#?}"
    );
}

#[test]
fn syntax_errors_name_the_line() {
    let found = problems("name = \"x\"\n[leads\ncount = 5\n");
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].location,
        Location::File {
            path: "bad.toml".into(),
            line: Some(2)
        }
    );
    assert!(
        found[0].message.starts_with("not valid TOML"),
        "{}",
        found[0].message
    );
}

#[test]
fn overrides_change_one_key_and_are_blamed_for_their_problems() {
    let set = |s: &str| Override::parse(s).unwrap();
    let s = load_str(
        "[leads]\nreachability = { mean = 0.2, concentration = 4.0 }",
        "ok.toml",
        &[
            set("leads.reachability.mean=0.08"),
            set("cadence.attempts=3"),
        ],
    )
    .unwrap();
    assert_eq!(s.leads.reachability.mean, 0.08);
    assert_eq!(
        s.leads.reachability.concentration,
        Some(4.0),
        "other keys stay"
    );
    assert_eq!(s.cadence.attempts, Some(3));

    let s = load_str("", "ok.toml", &[set("reps.give_up=[{after=3,share=0.8}]")]).unwrap();
    assert_eq!(s.reps.give_up.len(), 1);

    let err = load_str("", "ok.toml", &[set("leads.reachability.mean=1.5")]).unwrap_err();
    assert_eq!(
        err.problems[0].location,
        Location::Set("--set leads.reachability.mean".into())
    );
    assert!(
        err.to_string()
            .contains("--set leads.reachability.mean: leads.reachability.mean = 1.5")
    );

    let err = load_str("", "ok.toml", &[set("leads.reachabilty.mean=0.1")]).unwrap_err();
    assert!(
        err.to_string().contains("did you mean `reachability`?"),
        "{err}"
    );

    let err = load_str("", "ok.toml", &[set("leads.count.x=1")]).unwrap_err();
    assert!(
        err.to_string()
            .contains("`leads.count` is an integer, not a table"),
        "{err}"
    );
}

#[test]
fn the_starter_scenario_states_exactly_the_defaults() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/cold-outbound.toml");
    assert_eq!(load(&path, &[]).unwrap(), Scenario::default());
}

#[test]
fn every_shipped_scenario_is_valid() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["scenarios", "benches"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                load(&path, &[]).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            }
        }
    }
}

#[test]
fn model_md_example_scenario_is_accepted() {
    // The scenario of docs/model.md, as written there (partial channel tables included).
    let s = load_str(
        r#"
name = "Three calls vs the 16-touch cadence"
[simulation]
replications = 10000
seed = 1
weeks = 52
working_days_per_week = 5
weeks_off = 4
[leads]
count = 1000
reachability = { mean = 0.10, concentration = 10.0, decay = 1.0 }
unreachable = 0.0
source = "list"
per_week = 0
[cadence]
touches = [ { day = 0, channel = "call" }, { day = 1, channel = "email" } ]
[reps]
give_up = [ { after = 3, share = 0.8 } ]
[channels.call]
minutes = 2.0
conversation_minutes = 8.0
response = 1.0
[channels.email]
minutes = 3.0
response = 0.2
[funnel]
appointment_rate = 0.25
show_rate = 0.8
opportunity_rate = 0.5
win_rate = 0.25
deal_size = 20000.0
appointment_lag_days = 5
sales_cycle_days = { median = 45, p90 = 120 }
[team]
reps = 1
prospecting_hours_per_day = 2.0
ramp_weeks = 12
[goal]
deals = 40
confidence = 0.8
"#,
        "model.toml",
        &[],
    )
    .unwrap();
    let default_email = Scenario::default().channels.email;
    assert_eq!(
        s.channels.email.conversation_minutes,
        default_email.conversation_minutes
    );
    assert_eq!(s.channels.email.response, 0.2);
}

#[test]
fn keys_left_out_of_a_nested_table_keep_their_defaults() {
    let d = Scenario::default();
    let s = load_str(
        "[channels.call]\nminutes = 1\n[funnel]\nsales_cycle_days = { median = 30 }\n\
         [cadence]\nattempts = 16\n[goal]\nconfidence = 0.9\n",
        "partial.toml",
        &[],
    )
    .unwrap();
    assert_eq!(s.channels.call.minutes, 1.0);
    assert_eq!(s.channels.call.response, d.channels.call.response);
    assert_eq!(s.channels.email, d.channels.email);
    assert_eq!(s.funnel.sales_cycle_days.median, 30.0);
    assert_eq!(
        s.funnel.sales_cycle_days.p90, 75.0,
        "the default tail, 2.5 × the median"
    );
    assert_eq!(
        (s.cadence.attempts, s.cadence.days),
        (Some(16), d.cadence.days)
    );
    assert_eq!((s.goal.deals, s.goal.confidence), (d.goal.deals, 0.9));
    // Inside a reachability table, a missing concentration means every lead alike (MODEL §3).
    let s = load_str("[leads.reachability]\nmean = 0.1\n", "r.toml", &[]).unwrap();
    assert_eq!(
        (
            s.leads.reachability.concentration,
            s.leads.reachability.decay
        ),
        (None, 1.0)
    );
}

#[test]
fn regression_problems_with_similar_keys_are_not_hidden() {
    // `simulation.weeks_off` starts with the text `simulation.weeks`; both are reported.
    let found = problems("[simulation]\nweeks = 600\nweeks_off = 700\n");
    let keys: Vec<&str> = found.iter().filter_map(|p| p.key.as_deref()).collect();
    assert_eq!(keys, ["simulation.weeks", "simulation.weeks_off"]);
    // A rule between keys does not hide a rule on one of them.
    let found = problems("[goal]\ndeals = 4\nrevenue = 5.0\nconfidence = 5\n");
    let keys: Vec<&str> = found.iter().filter_map(|p| p.key.as_deref()).collect();
    assert_eq!(keys, ["goal", "goal.confidence"]);
    let found =
        problems("[reps]\ngive_up = [{after = 0, share = 0.6}, {after = 3, share = 0.6}]\n");
    let keys: Vec<&str> = found.iter().filter_map(|p| p.key.as_deref()).collect();
    assert_eq!(keys, ["reps.give_up[0].after", "reps.give_up"]);
}

#[test]
fn regression_bad_array_elements_keep_their_positions() {
    let found =
        problems("[reps]\ngive_up = [ {after=3,share=0.5}, \"x\", 4, {after=-1, share=0.1} ]\n");
    let keys: Vec<&str> = found.iter().filter_map(|p| p.key.as_deref()).collect();
    assert_eq!(
        keys,
        [
            "reps.give_up[1]",
            "reps.give_up[2]",
            "reps.give_up[3].after"
        ],
        "{found:#?}"
    );
    assert!(
        found.iter().all(|p| !p.message.contains("missing")),
        "{found:#?}"
    );
    assert!(
        found[0].message.contains("expected a table"),
        "{}",
        found[0].message
    );
}

#[test]
fn out_of_range_integers_are_not_given_the_range_of_a_rust_type() {
    rejects(
        "[simulation]\nweeks = 5000000000",
        "simulation.weeks",
        2,
        "= 5000000000: too large for this key",
    );
    rejects(
        "[leads]\ncount = 1e12",
        "leads.count",
        2,
        "must be a whole number, written without a decimal point or exponent (1000000000000)",
    );
    rejects(
        "[leads]\ncount = -5",
        "leads.count",
        2,
        "= -5: must be a whole number of 0 or more",
    );
}

#[test]
fn blitz_settings_are_checked() {
    check_rejects(
        "[blitz]\nminutes = 0\nreps = 4\nother_positive_rate = 0.95\n\
         breaks = [{ after = 30, minutes = 20 }, { after = 40, minutes = 5 }]\n\
         [[blitz.teams]]\nname = \"A\"\nreps = 2\nconversion = 9\nmembers = [\"Ana\"]\n\
         [[blitz.teams]]\nname = \"A\"\nreps = 1\npace = 0\nmembers = [\"Ana\"]\n",
        &[
            "bad.toml:2: blitz.minutes = 0: must be above 0 and at most 600",
            "bad.toml:3: blitz.reps = 4: with [[blitz.teams]], give each team its reps instead",
            "blitz.other_positive_rate = 0.95: with funnel.appointment_rate (0.12) it must add \
             up to at most 1",
            "blitz.breaks[1].after = 40: must be inside the session",
            "bad.toml:9: blitz.teams[0].conversion = 9",
            "bad.toml:10: blitz.teams[0].members = [1 names]: must name all 2 reps",
            "bad.toml:12: blitz.teams[1].name = \"A\": every team needs a name of its own",
            "bad.toml:14: blitz.teams[1].pace = 0: must be between 0.01 and 100",
            "blitz.teams[1].members = \"Ana\": each rep needs a name of their own",
        ],
    );
    let s = crate::common::scenario("[blitz]\nreps = 3\n");
    assert_eq!(s.blitz.reps, Some(3));
}
