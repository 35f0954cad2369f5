//! `[team]` and its `[[team.members]]`.

use super::checks::Checks;
use crate::scenario::{Member, Scenario};

/// The most reps (or `[[team.members]]`) a team may have.
const MAX_REPS: u32 = 10_000;
/// How far from 1 the members' stated shares of the goal may add up to (rounding in a file).
const GOAL_SHARES_TOLERANCE: f64 = 1e-9;
/// The most blocks a rep's prospecting day may be split into.
const MAX_SESSIONS: u32 = 96;

/// The rules of `[team]`, its members' included.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let team = &s.team;
    if team.members.is_empty() {
        c.whole_between("team.reps", team.reps.into(), 1, MAX_REPS.into());
    }
    if !(team.prospecting_hours_per_day > 0.0 && team.prospecting_hours_per_day <= 24.0) {
        c.fail(
            "team.prospecting_hours_per_day",
            team.prospecting_hours_per_day,
            "must be above 0 and at most 24",
        );
    }
    if !(team.workday_hours > 0.0 && team.workday_hours <= 24.0) {
        c.fail(
            "team.workday_hours",
            team.workday_hours,
            "must be above 0 and at most 24",
        );
    } else if team.prospecting_hours_per_day > team.workday_hours {
        c.fail(
            "team.prospecting_hours_per_day",
            team.prospecting_hours_per_day,
            format!(
                "must be at most team.workday_hours ({}): nobody prospects longer than the \
                 working day",
                team.workday_hours
            ),
        );
    }
    c.between(
        "team.ramp_weeks",
        team.ramp_weeks,
        0.0,
        f64::from(s.simulation.weeks),
    );

    if !(1..=MAX_SESSIONS).contains(&team.sessions_per_day) {
        c.fail(
            "team.sessions_per_day",
            team.sessions_per_day,
            format!(
                "must be a whole number from 1 to {MAX_SESSIONS}: the blocks a rep's \
                 prospecting time comes in each working day"
            ),
        );
    }
    members(c, s);
}

/// `[[team.members]]`: their number against `team.reps`, and each member's own keys.
fn members(c: &mut Checks, s: &Scenario) {
    let team = &s.team;
    let members = &team.members;
    if members.is_empty() {
        return;
    }
    if members.len() > MAX_REPS as usize {
        c.fail(
            "team.members",
            format!("[{} members]", members.len()),
            format!("a team may have at most {MAX_REPS} members"),
        );
    } else if team.reps as usize != members.len() {
        c.fail(
            "team.reps",
            team.reps,
            format!(
                "does not match the {} [[team.members]] listed: remove team.reps, it counts the \
                 members",
                members.len()
            ),
        );
    }
    // The limit a member's hours must keep; a bad workday is reported on its own key.
    let workday = if team.workday_hours > 0.0 && team.workday_hours <= 24.0 {
        team.workday_hours
    } else {
        24.0
    };
    let appointment_rate = s.funnel.appointment_rate;
    for (i, m) in members.iter().enumerate() {
        let key = |name: &str| format!("team.members[{i}].{name}");
        if m.name.trim().is_empty() {
            c.fail(
                key("name"),
                format!("\"{}\"", m.name),
                "must not be empty: reports name each member",
            );
        } else if let Some(first) = members[..i].iter().position(|o| o.name == m.name) {
            c.fail(
                key("name"),
                format!("\"{}\"", m.name),
                format!(
                    "team.members[{first}] has this name already: give each member a name of \
                     their own"
                ),
            );
        }
        if let Some(hours) = m.hours_per_day
            && !(hours > 0.0 && hours <= workday)
        {
            c.fail(
                key("hours_per_day"),
                hours,
                format!(
                    "must be above 0 and at most team.workday_hours ({workday}): nobody \
                     prospects longer than the working day; remove it for the team's \
                     prospecting_hours_per_day"
                ),
            );
        }
        if let Some(minutes) = m.minutes_per_touch {
            c.touch_minutes(
                &key("minutes_per_touch"),
                minutes,
                "this rep's time for a call that reaches nobody; remove it for \
                 channels.call.minutes",
            );
        }
        if !(m.skill >= 0.0 && m.skill.is_finite()) {
            c.fail(
                key("skill"),
                m.skill,
                "must be a number of 0 or more: it multiplies funnel.appointment_rate for this \
                 rep's conversations (1 is the team's rate)",
            );
        } else if (0.0..=1.0).contains(&appointment_rate) && m.skill * appointment_rate > 1.0 {
            c.fail(
                key("skill"),
                m.skill,
                format!(
                    "times funnel.appointment_rate ({appointment_rate}) this is a chance above \
                     1 of booking an appointment from a conversation: use a skill of at most {}",
                    (1000.0 / appointment_rate).floor() / 1000.0
                ),
            );
        }
        if m.give_up == Some(0) {
            c.fail(
                key("give_up"),
                0,
                "must be 1 or more: the touches after which this rep drops a lead; remove it \
                 for reps.give_up",
            );
        }
        if let Some(ramp) = m.ramp_weeks
            && !(0.0..=f64::from(s.simulation.weeks)).contains(&ramp)
        {
            c.fail(
                key("ramp_weeks"),
                ramp,
                format!(
                    "must be between 0 and simulation.weeks ({}): the weeks this rep takes to \
                     reach full capacity; remove it for team.ramp_weeks",
                    s.simulation.weeks
                ),
            );
        }
        if let Some(share) = m.goal_share
            && !(share > 0.0 && share <= 1.0)
        {
            c.fail(
                key("goal_share"),
                share,
                "must be above 0 and at most 1: this rep's share of the team's goal",
            );
        }
    }
    goal_shares(c, members);
}

/// Members' stated shares of the goal: every member's or none, adding up to 1.
fn goal_shares(c: &mut Checks, members: &[Member]) {
    let stated: Vec<f64> = members.iter().filter_map(|m| m.goal_share).collect();
    if stated.is_empty() {
        return;
    }
    if let Some(i) = members.iter().position(|m| m.goal_share.is_none()) {
        c.fail(
            format!("team.members[{i}].goal_share"),
            "",
            "is needed when another member states one: give every member a share of the \
             goal (adding up to 1), or none to split it by the deals each rep brings in",
        );
    } else if (stated.iter().sum::<f64>() - 1.0).abs() > GOAL_SHARES_TOLERANCE {
        let shares: Vec<String> = stated.iter().map(f64::to_string).collect();
        c.fail(
            "team.members",
            format!("goal_share {}", shares.join(" + ")),
            "the members' shares of the goal must add up to 1",
        );
    }
}
