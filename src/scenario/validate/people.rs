//! `[people]`: reps who leave and hires who never make it.

use super::checks::Checks;
use crate::scenario::Scenario;

/// The largest share of a year's reps who may leave or fail: at 1 every seat would be empty
/// all the time (an infinite hazard, or a seat refilled without end).
const MAX_TURNOVER_SHARE: f64 = 0.99;

/// The rules of `[people]`: shares below 1, a hiring delay wherever a rep can leave, and a
/// ramp for every hire who may never finish it.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let people = &s.people;
    for (key, share) in [
        ("people.attrition_per_year", people.attrition_per_year),
        ("people.never_ramp_share", people.never_ramp_share),
    ] {
        if !(0.0..=MAX_TURNOVER_SHARE).contains(&share) {
            c.fail(
                key,
                share,
                format!(
                    "must be a share from 0 to {MAX_TURNOVER_SHARE} (e.g. 0.3 for 30%): at 1 \
                     no seat would ever be filled"
                ),
            );
        }
    }
    match people.hiring_weeks {
        None if !people.is_empty() => c.fail(
            "people.hiring_weeks",
            "",
            "is needed when a rep can leave: the weeks a seat stays empty before the next hire \
             starts (no published figure fits every team; e.g. hiring_weeks = 8)",
        ),
        Some(weeks) => c.between(
            "people.hiring_weeks",
            weeks,
            0.0,
            f64::from(s.simulation.weeks),
        ),
        None => {}
    }
    if people.never_ramp_share > 0.0 {
        let team = &s.team;
        let fix = "must be above 0 with people.never_ramp_share: a hire who never ramps is let \
                   go when the ramp ends";
        if team.members.is_empty() && team.ramp_weeks == 0.0 {
            c.fail("team.ramp_weeks", 0, fix);
        }
        let no_ramp = team
            .members
            .iter()
            .position(|m| m.ramp_weeks.unwrap_or(team.ramp_weeks) == 0.0);
        if let Some(i) = no_ramp {
            c.fail(format!("team.members[{i}].ramp_weeks"), 0, fix);
        }
    }
}
