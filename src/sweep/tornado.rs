//! The tornado: every numeric parameter of a scenario swung down and up by the same share, one
//! at a time, the others held at their values, and ranked by how far that moves the measure.
//!
//! Which parameters: every number in the sections that act on the run (for a cohort: leads,
//! cadence, reps, channels and funnel rates; a calendar or plan adds the team, routing, speed
//! to lead, nurture and the funnel's timing). Left out, with the reason given: numbers that are
//! 0 (a relative swing cannot move them), channels the cadence never uses, speed to lead
//! without inbound leads, and what a plan solves for (prospecting hours). The cadence's touch
//! days and the arrival profile are patterns rather than levers, and are not swung.
//!
//! An integer moves by at least 1. A value whose swing leaves its valid range is cut short at
//! the limit (a share of 0.9 swung up 20% stops at 1), and the output says so.

use crate::compare::{Quantity, difference};
use crate::scenario::{Channel, Override, Scenario};

use super::{Measure, Outcome, Run};

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
    /// Whether a whole number the swing would not move was moved by 1 (further than the swing).
    pub stepped: bool,
    /// The scenario with the parameter at `value`.
    pub scenario: Scenario,
}

/// The scenario's levers for `run`, each swung by `swing` (0.2: 20% down and up), and the
/// parameters left out with the reason. `load` applies an override to the scenario and returns
/// the result when it is valid.
pub fn levers(
    scenario: &Scenario,
    run: Run,
    swing: f64,
    load: impl Fn(&Override) -> Option<Scenario>,
) -> (Vec<Lever>, Vec<(String, String)>) {
    let tree = toml::Value::try_from(scenario).expect("a scenario serializes to TOML");
    let mut leaves = Vec::new();
    numbers(&tree, &mut Vec::new(), &mut leaves);
    let used: Vec<Channel> = scenario
        .cadence
        .expand()
        .iter()
        .map(|t| t.channel)
        .collect();
    let (mut swung, mut left_out) = (Vec::new(), Vec::new());
    for (steps, base) in leaves {
        let name = display(&steps);
        let Some(kept) = acts_on(&name, run, scenario, &used) else {
            continue;
        };
        if let Err(reason) = kept {
            left_out.push((name, reason));
            continue;
        }
        let number = base.as_float().or(base.as_integer().map(|i| i as f64));
        let Some(x) = number else { continue };
        if x == 0.0 {
            left_out.push((
                name.clone(),
                "at 0, which a relative swing cannot move: vary it with --vary PATH=LIST"
                    .to_string(),
            ));
            continue;
        }
        // `stepped`: a whole number the swing would not move, moved by 1.
        let side = |value: toml::Value, capped: bool, stepped: bool| {
            let set = Override {
                path: override_path(&steps),
                value: replaced(&tree, &steps, value.clone()),
                flag: Some(format!("--tornado ({name} = {value})")),
            };
            let swung = value
                .as_float()
                .unwrap_or_else(|| value.as_integer().unwrap() as f64);
            load(&set).map(|scenario| Side {
                value: swung,
                capped,
                stepped,
                scenario,
            })
        };
        let (low, high) = match base {
            toml::Value::Integer(n) => {
                let step = |factor: f64, nudge: i64| {
                    let m = (n as f64 * factor).round() as i64;
                    if m == n {
                        (n + nudge, true)
                    } else {
                        (m, false)
                    }
                };
                let (low, low_stepped) = step(1.0 - swing, -1);
                let (high, high_stepped) = step(1.0 + swing, 1);
                (
                    (low >= 0)
                        .then(|| side(toml::Value::Integer(low), false, low_stepped))
                        .flatten(),
                    side(toml::Value::Integer(high), false, high_stepped),
                )
            }
            _ => {
                let low = side(toml::Value::Float(round(x * (1.0 - swing))), false, false);
                // A share or probability swung past 1 stops at 1.
                let high = side(toml::Value::Float(round(x * (1.0 + swing))), false, false)
                    .or_else(|| (x < 1.0).then(|| side(toml::Value::Float(1.0), true, false))?);
                (low, high)
            }
        };
        if low.is_none() && high.is_none() {
            left_out.push((
                name,
                format!("no valid value {:.0}% either way", swing * 100.0),
            ));
            continue;
        }
        swung.push(Lever {
            name,
            base: x,
            low,
            high,
        });
    }
    (swung, left_out)
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

/// Whether the parameter `name` acts on a `run` of the scenario: `None` for sections that do
/// not (left out without a word), `Some(Err(reason))` for parameters left out with a reason.
fn acts_on(
    name: &str,
    run: Run,
    scenario: &Scenario,
    used: &[Channel],
) -> Option<Result<(), String>> {
    let section = name.split(['.', '[']).next().unwrap_or_default();
    let calendar = run != Run::Cohort;
    let cohort_sections = ["leads", "cadence", "reps", "channels", "funnel"];
    let calendar_sections = ["team", "routing", "speed_to_lead", "nurture"];
    if !(cohort_sections.contains(&section) || calendar && calendar_sections.contains(&section)) {
        return None;
    }
    let timing = [
        "leads.per_week",
        "funnel.appointment_lag_days",
        "funnel.sales_cycle_days",
    ];
    if name.starts_with("cadence.touches")
        || name.starts_with("leads.arrival_profile")
        || !calendar && timing.iter().any(|t| name.starts_with(t))
    {
        return None;
    }
    if let Some(channel) = Channel::ALL
        .iter()
        .find(|c| name.starts_with(&format!("channels.{}.", c.name())))
        && !used.contains(channel)
    {
        return Some(Err(format!(
            "the cadence has no {} touches",
            channel.name()
        )));
    }
    if section == "speed_to_lead" && !scenario.leads.source.has_arrivals() {
        return Some(Err(
            "it acts on inbound leads, and leads.source brings none".into(),
        ));
    }
    if run == Run::Plan && name == "team.prospecting_hours_per_day" {
        return Some(Err("what the plan finds".into()));
    }
    Some(Ok(()))
}

/// The measure at one side of a swing: its value, and whether it is only a bound (a plan that
/// no hours within the working week reach reports those hours).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub value: f64,
    pub beyond: bool,
}

impl Reading {
    fn of(measure: Measure, outcome: &Outcome) -> Reading {
        match (measure.of(outcome), outcome) {
            (Some(value), _) => Reading {
                value,
                beyond: false,
            },
            (None, Outcome::Planned(plan)) => match &plan.answer {
                crate::plan::AtConfidence::Unreachable(short) => Reading {
                    value: short.max_hours_per_week,
                    beyond: true,
                },
                crate::plan::AtConfidence::Plan(_) => unreachable!("a plan has its hours"),
            },
            (None, Outcome::Simulated(_)) => {
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
    /// 95% interval of the effect, from the replication-by-replication differences (common
    /// random numbers); `None` for plans.
    pub ci95: Option<[f64; 2]>,
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
        outcomes: &[Outcome],
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
                let reading = |side: Option<(&Side, &Outcome)>| {
                    side.map(|(s, o)| SideReading {
                        value: s.value,
                        capped: s.capped,
                        stepped: s.stepped,
                        reading: Reading::of(measure, o),
                    })
                };
                let from = low.map_or(base_outcome, |(_, o)| o);
                let to = high.map_or(base_outcome, |(_, o)| o);
                let effect = Reading::of(measure, to).value - Reading::of(measure, from).value;
                let ci95 = match (measure, from, to) {
                    (Measure::Metric(m), Outcome::Simulated(a), Outcome::Simulated(b)) => {
                        Some(difference(Quantity::Total(m), a, b).ci95)
                    }
                    _ => None,
                };
                TornadoRow {
                    name: lever.name.clone(),
                    base: lever.base,
                    low: reading(low),
                    high: reading(high),
                    effect,
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

    fn levers_of(text: &str, run: Run) -> (Vec<Lever>, Vec<(String, String)>) {
        let scenario = load_str(text, "test.toml", &[]).unwrap();
        levers(&scenario, run, 0.2, |set| {
            load_str(text, "test.toml", std::slice::from_ref(set)).ok()
        })
    }

    fn find<'a>(levers: &'a [Lever], name: &str) -> &'a Lever {
        levers
            .iter()
            .find(|l| l.name == name)
            .unwrap_or_else(|| panic!("no lever {name}"))
    }

    #[test]
    fn every_number_is_swung_by_the_share_or_at_least_one() {
        let text = "[reps]\ngive_up = [{ after = 3, share = 0.9 }]\n[funnel]\nshow_rate = 0.75";
        let (levers, left_out) = levers_of(text, Run::Cohort);
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
    fn calendars_and_plans_add_the_team() {
        let (levers, left_out) = levers_of("", Run::Calendar);
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
        let (levers, left_out) = levers_of("", Run::Plan);
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
