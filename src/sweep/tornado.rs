//! The tornado: every numeric parameter of a scenario swung down and up by the same share, one
//! at a time, the others held at their values, and ranked by how far that moves the measure.
//!
//! Which parameters: every number in the sections that act on the run (for a cohort: leads,
//! cadence, reps, channels and funnel rates; a calendar or plan adds the team, routing, speed
//! to lead, nurture and the funnel's timing). Left out, with the reason given: numbers that are
//! 0 (a relative swing cannot move them), channels the cadence never uses, a segment's share
//! (it moves the others'), speed to lead without inbound leads, and what a plan solves for
//! (prospecting hours). The cadence's touch days and the arrival profile are patterns rather
//! than levers, and are not swung.
//!
//! An integer moves by at least 1. A value whose swing leaves its valid range is cut short at
//! the limit (a share of 0.9 swung up 20% stops at 1), and the output says so. A decay of 1 or
//! less stops at 1 the same way: above 1 it would no longer be the tiring it stands for.

use crate::compare::{Compared, difference};
use crate::scenario::{Channel, Origin, Override, Priority, Scenario};

use super::{Measure, PointResult, SweepRun};

/// One swung parameter: its value and the values below and above it that were run.
#[derive(Debug, Clone)]
pub struct Lever {
    /// As it reads: `funnel.show_rate`, `reps.give_up[0].share`.
    pub name: String,
    pub base: f64,
    /// `None` when no valid value lies that way (a share already at 1).
    pub low: Option<Side>,
    pub high: Option<Side>,
}

/// One side of a swing.
#[derive(Debug, Clone)]
pub struct Side {
    pub value: f64,
    /// Whether the swing stopped short at the parameter's limit.
    pub capped: bool,
    /// Whether a whole number, rounded, moved further than the swing.
    pub stepped: bool,
    /// The scenario with the parameter at `value`.
    pub scenario: Scenario,
}

/// The scenario's levers for `run`, each swung by `swing` (0.2: 20% down and up), and the
/// parameters left out with the reason. `load` applies an override to the scenario and returns
/// the result, or why it is not valid.
pub fn levers(
    scenario: &Scenario,
    run: SweepRun,
    swing: f64,
    load: impl Fn(&Override) -> Result<Scenario, String>,
) -> (Vec<Lever>, Vec<(String, String)>) {
    let tree = toml::Value::try_from(scenario).expect("a scenario serializes to TOML");
    let mut leaves = Vec::new();
    numbers(&tree, &mut Vec::new(), &mut leaves);
    let (mut swung, mut left_out) = (Vec::new(), Vec::new());
    for (steps, base) in leaves {
        let name = display(&steps);
        match acts_on(&name, run, scenario) {
            None => continue,
            Some(Err(reason)) => {
                left_out.push((name, reason));
                continue;
            }
            Some(Ok(())) => {}
        }
        let integer = base.is_integer();
        let Some(x) = base.as_float().or(base.as_integer().map(|i| i as f64)) else {
            continue;
        };
        if x == 0.0 {
            left_out.push((
                name.clone(),
                "at 0, which a relative swing cannot move: vary it with --vary PATH=LIST".into(),
            ));
            continue;
        }
        let at = |value: f64| {
            let value = if integer {
                toml::Value::Integer(value as i64)
            } else {
                toml::Value::Float(value)
            };
            load(&Override {
                path: override_path(&steps),
                value: replaced(&tree, &steps, value.clone()),
                origin: Origin::Flag(format!("--tornado ({name} = {value})")),
            })
        };
        let side = |factor: f64| -> Result<Side, String> {
            let target = if integer {
                // A whole number moves by at least 1.
                let m = (x * factor).round();
                if m == x {
                    x + (factor - 1.0).signum()
                } else {
                    m
                }
            } else {
                round(x * factor)
            };
            let (value, capped, scenario) = match swing_ceiling(&name, x) {
                Some(cap) if target > cap && cap > x => (cap, true, at(cap)?),
                Some(cap) if target > cap => {
                    return Err(format!("at {cap}, the most a swing takes it to"));
                }
                _ => match at(target) {
                    Ok(scenario) => (target, false, scenario),
                    Err(why) => {
                        // Past a limit: stop at the furthest valid value towards the target.
                        let limit =
                            furthest_valid(x, target, integer, |v| at(v).is_ok()).ok_or(why)?;
                        (limit, true, at(limit).expect("checked valid"))
                    }
                },
            };
            Ok(Side {
                value,
                capped,
                stepped: integer && (value / x - 1.0).abs() > swing + 1e-9,
                scenario,
            })
        };
        match (side(1.0 - swing), side(1.0 + swing)) {
            (Err(why), Err(_)) => left_out.push((name, why)),
            (low, high) => swung.push(Lever {
                name,
                base: x,
                low: low.ok(),
                high: high.ok(),
            }),
        }
    }
    (swung, left_out)
}

/// The most a swing takes parameter `name` at `x` to, inside its valid range: a decay of 1 or
/// less (prospects tire; the scenario's, a segment's or the referred leads') goes no higher
/// than 1, since beyond it the lever turns tiring into
/// warming, another model, which `--vary` explores on request.
fn swing_ceiling(name: &str, x: f64) -> Option<f64> {
    (name.ends_with("reachability.decay") && x <= 1.0).then_some(1.0)
}

/// The value furthest from `from` (valid) towards `to` (not valid) that is still valid, found by
/// bisection, and cut to 6 significant digits where that stays valid; `None` when nothing
/// beyond `from` is.
fn furthest_valid(from: f64, to: f64, integer: bool, valid: impl Fn(f64) -> bool) -> Option<f64> {
    let (mut good, mut bad) = (from, to);
    for _ in 0..60 {
        let mid = if integer {
            ((good + bad) / 2.0).trunc()
        } else {
            (good + bad) / 2.0
        };
        if mid == good || mid == bad {
            break;
        }
        if valid(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    // Six significant digits: to the nearest where valid (a closed limit such as 1), else
    // towards `from` (an open limit, below 1, is not rounded onto).
    let scale = 10f64.powi(good.abs().log10().floor() as i32 - 5);
    let toward = if from < good { f64::floor } else { f64::ceil };
    let value = [(good / scale).round() * scale, toward(good / scale) * scale]
        .map(round)
        .into_iter()
        .find(|&tidy| !integer && tidy != from && valid(tidy))
        .unwrap_or(good);
    (value != from).then_some(value)
}

/// Rounds the float noise off a swung value (0.15 × 0.8 = 0.12, not 0.12000000000000001).
fn round(x: f64) -> f64 {
    format!("{x:.10e}").parse().unwrap_or(x)
}

/// One step into the scenario's tree.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every number in `value`, with its steps from the root.
fn numbers(value: &toml::Value, at: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, toml::Value)>) {
    match value {
        toml::Value::Integer(_) | toml::Value::Float(_) => out.push((at.clone(), value.clone())),
        toml::Value::Table(table) => {
            for (key, v) in table {
                at.push(Step::Key(key.clone()));
                numbers(v, at, out);
                at.pop();
            }
        }
        toml::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(Step::Index(i));
                numbers(v, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// `reps.give_up[0].share`.
fn display(steps: &[Step]) -> String {
    let mut text = String::new();
    for step in steps {
        match step {
            Step::Key(key) if text.is_empty() => text.push_str(key),
            Step::Key(key) => text.push_str(&format!(".{key}")),
            Step::Index(i) => text.push_str(&format!("[{i}]")),
        }
    }
    text
}

/// The dotted path an override can set: the keys before the first array.
fn override_path(steps: &[Step]) -> String {
    let keys: Vec<&str> = steps
        .iter()
        .map_while(|s| match s {
            Step::Key(key) => Some(key.as_str()),
            Step::Index(_) => None,
        })
        .collect();
    keys.join(".")
}

/// The value at [`override_path`] with the number at `steps` replaced: the number itself, or the
/// whole array holding it.
fn replaced(tree: &toml::Value, steps: &[Step], number: toml::Value) -> toml::Value {
    let keys = steps
        .iter()
        .take_while(|s| matches!(s, Step::Key(_)))
        .count();
    let mut at = tree;
    for step in &steps[..keys] {
        if let Step::Key(key) = step {
            at = &at[key.as_str()];
        }
    }
    let mut value = at.clone();
    let mut slot = &mut value;
    for step in &steps[keys..] {
        slot = match step {
            Step::Key(key) => &mut slot[key.as_str()],
            Step::Index(i) => &mut slot[*i],
        };
    }
    *slot = number;
    value
}

/// Whether the parameter `name` acts on a `run` of the scenario: `None` for what is never a
/// lever there (left out without a word), `Some(Err(reason))` for parameters left out with a
/// reason.
fn acts_on(name: &str, run: SweepRun, scenario: &Scenario) -> Option<Result<(), String>> {
    let section = name.split(['.', '[']).next().unwrap_or_default();
    let calendar = run != SweepRun::Cohort;
    let cohort_sections = ["leads", "cadence", "reps", "channels", "funnel"];
    let calendar_sections = ["team", "people", "routing", "speed_to_lead", "nurture"];
    if !(cohort_sections.contains(&section) || calendar && calendar_sections.contains(&section)) {
        return None;
    }
    // What only a team's calendar reads: timing, arrivals and the territory's shape.
    let calendar_only = [
        "leads.per_week",
        "leads.unlimited",
        "leads.refill_per_month",
        "funnel.appointment_lag_days",
        "funnel.sales_cycle_days",
    ];
    if name.starts_with("cadence.touches")
        || name.starts_with("leads.arrival_profile")
        || !calendar && calendar_only.iter().any(|t| name.starts_with(t))
        // A calendar's list is a territory of `count` accounts, unless it is unlimited.
        || calendar && name == "leads.count" && !scenario.leads.has_territory()
    {
        return None;
    }
    let why = |reason: &str| Some(Err(reason.to_string()));
    let used: Vec<Channel> = scenario
        .cadence
        .expand()
        .iter()
        .map(|t| t.channel)
        .collect();
    // A member's pace is stated in minutes of an unanswered call, whatever the cadence.
    let paced = calendar
        && name == "channels.call.minutes"
        && scenario
            .team
            .members
            .iter()
            .any(|m| m.minutes_per_touch.is_some());
    if let Some(channel) = Channel::ALL
        .iter()
        .find(|c| name.starts_with(&format!("channels.{}.", c.name())))
        && !used.contains(channel)
        && !paced
    {
        return Some(Err(format!(
            "the cadence has no {} touches",
            channel.name()
        )));
    }
    let routing = &scenario.routing;
    match name {
        _ if name.starts_with("leads.segments[") && name.ends_with("].share") => why(
            "a segment's share moves the others', since a source's shares add up to 1: weigh \
             mixes side by side with [[variants]] in compare",
        ),
        _ if section == "speed_to_lead" && !scenario.leads.source.has_arrivals() => {
            why("it acts on inbound leads, and leads.source brings none")
        }
        "nurture.after_days" if scenario.nurture.monthly_response_rate == 0.0 => {
            why("it acts only with nurture.monthly_response_rate above 0")
        }
        "routing.score_accuracy"
            if routing.cherry_pick == 0.0 && routing.priority == Priority::Age =>
        {
            why("it acts only with routing.cherry_pick above 0 or routing.priority = \"score\"")
        }
        "team.prospecting_hours_per_day" if run == SweepRun::Plan => why("what the plan finds"),
        "team.reps" if !scenario.team.members.is_empty() => {
            why("counted from [[team.members]]: vary the members to change the team")
        }
        "team.workday_hours" if run == SweepRun::Plan => {
            why("the most hours a plan may ask for, not a lever")
        }
        _ => Some(Ok(())),
    }
}

/// The measure at one side of a swing: its value, and whether it is only a bound (a plan that
/// no hours within the working week reach reports those hours).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub value: f64,
    pub beyond: bool,
}

impl Reading {
    fn of(measure: Measure, outcome: &PointResult) -> Reading {
        match (measure.of(outcome), outcome) {
            (Some(value), _) => Reading {
                value,
                beyond: false,
            },
            (None, PointResult::Planned(plan)) => match &plan.answer {
                crate::plan::AtConfidence::Unreachable(short) => Reading {
                    value: short.max_hours_per_week,
                    beyond: true,
                },
                crate::plan::AtConfidence::Plan(_) => unreachable!("a plan has its hours"),
            },
            (None, PointResult::Simulated(_)) => {
                unreachable!("the measure was checked against the run")
            }
        }
    }
}

/// A side of a swing and the measure there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SideReading {
    /// The parameter's value.
    pub value: f64,
    /// Whether the swing stopped short at the parameter's limit.
    pub capped: bool,
    /// Whether a whole number moved further than the swing.
    pub stepped: bool,
    pub reading: Reading,
}

/// One ranked row of the tornado.
#[derive(Debug, Clone)]
pub struct TornadoRow {
    pub name: String,
    pub base: f64,
    /// Below and above (`None` where the parameter could not move that way).
    pub low: Option<SideReading>,
    pub high: Option<SideReading>,
    /// The measure at the high side minus at the low side.
    pub effect: f64,
    /// Whether the effect is only a bound: a side's plan reaches no hours within the working
    /// week, so the effect is at least this large.
    pub bound: bool,
    /// 95% interval of the effect, from the replication-by-replication differences (common
    /// random numbers); `None` for plans.
    pub ci95: Option<[f64; 2]>,
}

impl TornadoRow {
    /// Whether the parameter moves the measure: its effect, a bound, or replications that
    /// changed though their means tied.
    pub fn moves(&self) -> bool {
        self.effect != 0.0 || self.bound || self.ci95.is_some_and(|[low, high]| low != high)
    }
}

/// The whole tornado: the measure at the scenario's own values and the rows, largest effect
/// first.
#[derive(Debug, Clone)]
pub struct Tornado {
    pub measure: Measure,
    pub swing: f64,
    pub base: Reading,
    pub rows: Vec<TornadoRow>,
    pub left_out: Vec<(String, String)>,
}

impl Tornado {
    /// Ranks the levers by the size of their effect. `outcomes` holds the base point's, then
    /// each lever's low and high sides' in order (sides that are `None` have none).
    pub fn new(
        measure: Measure,
        swing: f64,
        levers: &[Lever],
        outcomes: &[PointResult],
        left_out: Vec<(String, String)>,
    ) -> Tornado {
        let base_outcome = &outcomes[0];
        let mut next = outcomes[1..].iter();
        let mut rows: Vec<TornadoRow> = levers
            .iter()
            .map(|lever| {
                let low = lever
                    .low
                    .as_ref()
                    .map(|s| (s, next.next().expect("an outcome")));
                let high = lever
                    .high
                    .as_ref()
                    .map(|s| (s, next.next().expect("an outcome")));
                let reading = |side: Option<(&Side, &PointResult)>| {
                    side.map(|(s, o)| SideReading {
                        value: s.value,
                        capped: s.capped,
                        stepped: s.stepped,
                        reading: Reading::of(measure, o),
                    })
                };
                let from = low.map_or(base_outcome, |(_, o)| o);
                let to = high.map_or(base_outcome, |(_, o)| o);
                let ci95 = match (measure, from, to) {
                    (Measure::Metric(m), PointResult::Simulated(a), PointResult::Simulated(b)) => {
                        Some(difference(Compared::Total(m), a, b).ci95)
                    }
                    _ => None,
                };
                let (from, to) = (Reading::of(measure, from), Reading::of(measure, to));
                let effect = to.value - from.value;
                TornadoRow {
                    name: lever.name.clone(),
                    base: lever.base,
                    low: reading(low),
                    high: reading(high),
                    // Below the noise of summing in a different order: no effect.
                    effect: if effect.abs() <= 1e-9 * from.value.abs().max(1.0) {
                        0.0
                    } else {
                        effect
                    },
                    bound: from.beyond || to.beyond,
                    ci95,
                }
            })
            .collect();
        // Largest effect first; ties keep the scenario's order.
        rows.sort_by(|a, b| b.effect.abs().total_cmp(&a.effect.abs()));
        Tornado {
            measure,
            swing,
            base: Reading::of(measure, base_outcome),
            rows,
            left_out,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    fn levers_of(text: &str, run: SweepRun) -> (Vec<Lever>, Vec<(String, String)>) {
        let scenario = load_str(text, "test.toml", &[]).unwrap();
        levers(&scenario, run, 0.2, |set| {
            load_str(text, "test.toml", std::slice::from_ref(set)).map_err(|e| e.to_string())
        })
    }

    fn find<'a>(levers: &'a [Lever], name: &str) -> &'a Lever {
        levers
            .iter()
            .find(|l| l.name == name)
            .unwrap_or_else(|| panic!("no lever {name}"))
    }

    #[test]
    fn segment_shares_are_not_swung_and_a_segments_tiring_decay_stops_at_1() {
        let text = r#"
            [[leads.segments]]
            name = "a"
            share = 0.6
            reachability = { mean = 0.1, decay = 0.9 }
            [[leads.segments]]
            name = "b"
            share = 0.4
        "#;
        let (levers, left_out) = levers_of(text, SweepRun::Cohort);
        for share in ["leads.segments[0].share", "leads.segments[1].share"] {
            assert!(levers.iter().all(|l| l.name != share));
            let (_, why) = left_out.iter().find(|(name, _)| name == share).unwrap();
            assert!(why.contains("[[variants]]"), "{why}");
        }
        let decay = find(&levers, "leads.segments[0].reachability.decay");
        assert_eq!(
            decay.high.as_ref().map(|s| (s.value, s.capped)),
            Some((1.0, true))
        );
    }

    #[test]
    fn a_decay_that_tires_is_swung_no_higher_than_1_and_one_that_warms_within_its_bounds() {
        let decay = |text: &str| {
            let (levers, _) = levers_of(text, SweepRun::Cohort);
            let lever = find(&levers, "leads.reachability.decay");
            (
                lever.low.as_ref().map(|s| s.value),
                lever.high.as_ref().map(|s| (s.value, s.capped)),
            )
        };
        let tiring = "[leads]\nreachability = { mean = 0.1, decay = 0.9 }";
        assert_eq!(decay(tiring), (Some(0.72), Some((1.0, true))));
        let flat = "[leads]\nreachability = { mean = 0.1, decay = 1.0 }";
        assert_eq!(decay(flat), (Some(0.8), None));
        let warming = "[leads]\nreachability = { mean = 0.1, decay = 1.05 }\n[cadence]\nattempts = 3\ndays = 6";
        assert_eq!(decay(warming), (Some(0.84), Some((1.26, false))));
    }

    #[test]
    fn every_number_is_swung_by_the_share_or_at_least_one() {
        let text = "[reps]\ngive_up = [{ after = 3, share = 0.9 }]\n[funnel]\nshow_rate = 0.75";
        let (levers, left_out) = levers_of(text, SweepRun::Cohort);
        let show = find(&levers, "funnel.show_rate");
        assert_eq!(show.low.as_ref().unwrap().value, 0.6);
        assert_eq!(show.high.as_ref().unwrap().value, 0.9);
        assert_eq!(show.low.as_ref().unwrap().scenario.funnel.show_rate, 0.6);
        // An element of an array: the whole array is set, with only that number changed.
        let share = find(&levers, "reps.give_up[0].share");
        let high = share.high.as_ref().unwrap();
        assert!(high.capped, "0.9 × 1.2 is past 1, so the swing stops at 1");
        assert_eq!(high.value, 1.0);
        assert_eq!(high.scenario.reps.give_up[0].after, 3);
        let after = find(&levers, "reps.give_up[0].after");
        assert_eq!(after.low.as_ref().unwrap().value, 2.0);
        assert_eq!(after.high.as_ref().unwrap().value, 4.0);
        assert_eq!(
            after.high.as_ref().unwrap().scenario.reps.give_up[0].share,
            0.9
        );
        // A live call's response is already 1: only swung down.
        let call = find(&levers, "channels.call.response");
        assert!(call.high.is_none() && call.low.is_some());
        // The cadence is all calls; a cohort has no team.
        assert!(
            left_out
                .iter()
                .any(|(n, why)| n == "channels.email.response" && why.contains("no email touches"))
        );
        assert!(levers.iter().all(|l| !l.name.starts_with("team.")));
        assert!(levers.iter().all(|l| !l.name.starts_with("simulation.")));
        // Timing acts on calendars only.
        assert!(
            levers
                .iter()
                .all(|l| !l.name.starts_with("funnel.sales_cycle"))
        );
    }

    #[test]
    fn a_swing_past_any_limit_stops_at_it_or_says_why() {
        // The shares of a give-up mixture sum to at most 1: 0.6 swung up stops at 0.7.
        let text = "[reps]\ngive_up = [{ after = 1, share = 0.3 }, { after = 3, share = 0.6 }]";
        let (levers, _) = levers_of(text, SweepRun::Cohort);
        let high = find(&levers, "reps.give_up[1].share").high.clone().unwrap();
        assert!(high.capped);
        assert!((high.value - 0.7).abs() < 1e-9, "{}", high.value);
        // A team counted from its members cannot be given another size: the loader says why.
        let members = "[[team.members]]\nname = \"a\"\n[[team.members]]\nname = \"b\"";
        let (_, left_out) = levers_of(members, SweepRun::Calendar);
        let (_, why) = left_out.iter().find(|(n, _)| n == "team.reps").unwrap();
        assert!(why.contains("[[team.members]]"), "{why}");
    }

    #[test]
    fn calendars_and_plans_add_the_team() {
        let (levers, left_out) = levers_of("", SweepRun::Calendar);
        assert!(
            levers
                .iter()
                .any(|l| l.name == "team.prospecting_hours_per_day")
        );
        assert!(
            levers
                .iter()
                .any(|l| l.name == "funnel.sales_cycle_days.median")
        );
        assert!(left_out.iter().any(|(n, _)| n == "routing.cherry_pick"));
        let (levers, left_out) = levers_of("", SweepRun::Plan);
        assert!(
            levers
                .iter()
                .all(|l| l.name != "team.prospecting_hours_per_day")
        );
        assert!(left_out.iter().any(|(n, why)| n == "team.prospecting_hours_per_day"
            && why.contains("plan finds")));
        // One rep cannot go down 20% and stay a team: it only goes up, by one.
        let reps = find(&levers, "team.reps");
        assert!(reps.low.is_none());
        let high = reps.high.as_ref().unwrap();
        assert_eq!(high.value, 2.0);
        assert!(high.stepped, "1 to 2 is further than 20%");
        let attempts = find(&levers, "cadence.attempts");
        assert!(!attempts.high.as_ref().unwrap().stepped, "10 to 12 is 20%");
    }
}
