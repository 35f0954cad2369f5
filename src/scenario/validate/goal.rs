//! `[goal]`: what a plan must reach, and how surely.

use super::checks::{Checks, MAX_DEAL_SIZE};
use crate::scenario::Scenario;

/// The most deals a goal may ask for.
const MAX_GOAL_DEALS: f64 = 1e7;

/// The rules of `[goal]`: deals or revenue, and a confidence.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let goal = &s.goal;
    match (goal.deals, goal.revenue) {
        (Some(_), Some(_)) => c.fail(
            "goal",
            "",
            "give either `deals` or `revenue`, not both (from the command line, set the \
             whole table: --set 'goal={revenue=800000}')",
        ),
        (None, None) => c.fail("goal", "", "give `deals` or `revenue`"),
        (Some(deals), None) => between_at_least(c, "goal.deals", deals, 1.0, MAX_GOAL_DEALS),
        (None, Some(revenue)) => {
            between_at_least(c, "goal.revenue", revenue, 1.0, 10.0 * MAX_DEAL_SIZE);
        }
    }
    if !(goal.confidence > 0.0 && goal.confidence < 1.0) {
        c.fail(
            "goal.confidence",
            goal.confidence,
            "must be above 0 and below 1 (e.g. 0.8 for an 80% chance of reaching the goal)",
        );
    }
}

/// A number from `least` to `most`, for goals (at least one deal, or one unit of revenue).
fn between_at_least(c: &mut Checks, key: &str, value: f64, least: f64, most: f64) {
    if !(least..=most).contains(&value) {
        c.fail(key, value, format!("must be from {least} to {most:e}"));
    }
}
