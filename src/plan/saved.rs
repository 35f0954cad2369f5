//! A plan kept for the check-ins that follow it (`plan --save`, `track --plan`): the hours a
//! rep was given and the scenario they came from, so that a check-in months later holds the rep
//! to the plan they were actually given, and says so when the scenario has been edited since.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::scenario::Scenario;

/// The `format` a saved plan carries, so that a file of another kind is told apart.
pub const SAVED_PLAN_FORMAT: &str = "callblitz plan 1";

/// The parts of a scenario that do not move a plan's hours: its name, the other commands'
/// tables, and the Monte Carlo's size and seed (a check-in draws its own years at the hours
/// given).
const NOT_THE_PLAN: [&str; 6] = [
    "name",
    "blitz",
    "sweep",
    "variants",
    "simulation.seed",
    "simulation.replications",
];

/// The most differences a refusal lists.
const MOST_LISTED: usize = 5;

/// A plan as saved: what the rep was asked for, and the whole scenario it was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedPlan {
    /// Always [`SAVED_PLAN_FORMAT`].
    pub format: String,
    /// The scenario file the plan was made from, as given.
    pub scenario_file: String,
    /// The plan's prospecting hours a week per rep at full productivity.
    pub hours_per_week: f64,
    /// First-time appointments set a week worked, once ramped (for the reader: the check-in
    /// simulates the plan's weeks again at its hours).
    pub appointments_set_per_week_ramped: f64,
    /// The chance of the goal the plan was made for.
    pub confidence: f64,
    /// Every key of the scenario, defaults filled in.
    pub scenario: Scenario,
}

/// Why a saved plan cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SavedPlanError {
    #[error("{file}: cannot read the saved plan: {why}")]
    Unreadable { file: String, why: String },
    #[error(
        "{file}: line {line}, column {column}: not a saved plan ({why}); --plan takes the JSON \
         file that `callblitz plan SCENARIO --save PLAN.json` writes"
    )]
    NotAPlan {
        file: String,
        line: usize,
        column: usize,
        why: String,
    },
    #[error(
        "{file}: format {found:?} is not one this callblitz reads ({SAVED_PLAN_FORMAT:?}): give \
         its hours with --hours instead of --plan"
    )]
    Format { file: String, found: String },
    #[error(
        "{file}: the scenario has changed since the plan was saved from {scenario_file} ({}); \
         check in against the plan the scenario makes now by leaving out --plan, or against \
         the saved hours on today's scenario with --hours {hours}",
        .differences.join("; ")
    )]
    Changed {
        file: String,
        scenario_file: String,
        differences: Vec<String>,
        hours: f64,
    },
}

impl SavedPlan {
    /// Reads the plan saved in `path`.
    pub fn read(path: &Path) -> Result<SavedPlan, SavedPlanError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|err| SavedPlanError::Unreadable {
            file: file.clone(),
            why: err.to_string(),
        })?;
        let plan: SavedPlan =
            serde_json::from_str(&text).map_err(|err| SavedPlanError::NotAPlan {
                file: file.clone(),
                line: err.line(),
                column: err.column(),
                // The message without the position, which the error leads with.
                why: err
                    .to_string()
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            })?;
        if plan.format != SAVED_PLAN_FORMAT {
            return Err(SavedPlanError::Format {
                file,
                found: plan.format,
            });
        }
        Ok(plan)
    }

    /// The plan's hours for a check-in on `scenario`, read from `path`: refused, listing what
    /// changed, when `scenario` differs from the saved one in anything that moves the plan.
    pub fn hours_for(&self, scenario: &Scenario, path: &Path) -> Result<f64, SavedPlanError> {
        let differences = differences(&self.scenario, scenario);
        if differences.is_empty() {
            return Ok(self.hours_per_week);
        }
        let shown = differences.len().min(MOST_LISTED);
        let mut listed = differences[..shown].to_vec();
        if differences.len() > shown {
            listed.push(format!("{} more", differences.len() - shown));
        }
        Err(SavedPlanError::Changed {
            file: path.display().to_string(),
            scenario_file: self.scenario_file.clone(),
            differences: listed,
            hours: self.hours_per_week,
        })
    }
}

/// The keys whose values differ between the scenario `saved` and `now`, as
/// "key: A when saved, B now", in key order; the keys of [`NOT_THE_PLAN`] aside.
pub fn differences(saved: &Scenario, now: &Scenario) -> Vec<String> {
    let as_value = |scenario: &Scenario| {
        serde_json::to_value(scenario).expect("a scenario is plain data, always serializable")
    };
    let mut found = Vec::new();
    walk("", &as_value(saved), &as_value(now), &mut found);
    found
}

/// Adds to `found` every leaf under `key` where `saved` and `now` differ.
fn walk(key: &str, saved: &Value, now: &Value, found: &mut Vec<String>) {
    if NOT_THE_PLAN.contains(&key) || saved == now {
        return;
    }
    if let (Value::Object(a), Value::Object(b)) = (saved, now) {
        let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let path = if key.is_empty() {
                k.clone()
            } else {
                format!("{key}.{k}")
            };
            walk(
                &path,
                a.get(k).unwrap_or(&Value::Null),
                b.get(k).unwrap_or(&Value::Null),
                found,
            );
        }
        return;
    }
    let shown = |value: &Value| match value {
        Value::Null => "unset".to_string(),
        other => other.to_string(),
    };
    found.push(format!(
        "{key}: {} when saved, {} now",
        shown(saved),
        shown(now)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_with;

    fn scenario(overrides: &[&str]) -> Scenario {
        load_with("[goal]\ndeals = 10\n", overrides)
    }

    #[test]
    fn a_scenario_equal_in_what_moves_the_plan_has_no_differences() {
        let saved = scenario(&[]);
        let now = scenario(&[
            "simulation.seed=7",
            "simulation.replications=50",
            "name=\"x\"",
        ]);
        assert!(differences(&saved, &now).is_empty());
    }

    #[test]
    fn every_changed_key_is_named_with_both_values() {
        let saved = scenario(&[]);
        let now = scenario(&["goal.deals=12", "funnel.show_rate=0.5"]);
        let found = differences(&saved, &now);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().any(|d| d.starts_with("goal.deals: 10")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|d| d.starts_with("funnel.show_rate:") && d.ends_with("0.5 now")),
            "{found:?}"
        );
    }
}
