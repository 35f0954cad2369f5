//! Each rep's KPI card: the team's plan split rep by rep, from what each rep did in the plan's
//! own simulated years, so the cards add up to the team's plan.

use serde::Serialize;

use super::Target;
use crate::engine::{CalendarModel, CalendarSamples, RepCounts};
use crate::scenario::{Channel, Scenario};

/// One rep's part of the team's plan (`at_confidence.reps` in JSON): means over the simulated
/// years, per week worked (ramp and weeks off included) unless said otherwise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepPlan {
    pub name: String,
    /// The prospecting hours a week the rep works once ramped up: the plan's, or their own.
    pub hours_per_week: f64,
    /// Whether those are the rep's own (`[[team.members]]` hours_per_day), kept by the plan.
    pub own_hours: bool,
    /// Prospecting hours the rep worked a week over the year.
    pub prospecting_hours_per_week: f64,
    /// Touches a week by channel (call, voicemail, email, inmail).
    pub touches_per_week: ChannelTouches,
    pub dials_per_working_day: f64,
    pub conversations_per_week: f64,
    pub appointments_set_per_week: f64,
    pub appointments_held_per_week: f64,
    /// Deals and revenue the rep closes in the year.
    pub deals: f64,
    pub revenue: f64,
    /// The share of the goal the rep carries: their stated `goal_share`, or else their share
    /// of the team's deals in these years.
    pub share_of_goal: f64,
    /// Whether the share is the one stated in `[[team.members]]`.
    pub stated_share: bool,
    /// The rep's part of the goal in deals (the team's deals × the share), and in revenue
    /// when the goal is revenue.
    pub goal_deals: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goal_revenue: Option<f64>,
    /// The share of simulated years in which the rep alone closes their part of the goal's
    /// deals: lower than the team's chance, which pools the reps' luck.
    pub probability_of_own_goal: f64,
}

/// Touches by channel.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChannelTouches {
    pub call: f64,
    pub voicemail: f64,
    pub email: f64,
    pub inmail: f64,
}

impl ChannelTouches {
    /// Every channel's touches.
    pub fn total(&self) -> f64 {
        self.call + self.voicemail + self.email + self.inmail
    }
}

/// The KPI card of each rep of `model` (built from `scenario`) from the plan's replications
/// `runs`: the goal split by the members' stated `goal_share`, or else by each rep's share of
/// the deals in these years.
pub(super) fn rep_plans(
    scenario: &Scenario,
    model: &CalendarModel,
    runs: &CalendarSamples,
    target: &Target,
) -> Vec<RepPlan> {
    let sim = &scenario.simulation;
    let working_weeks = f64::from(sim.weeks - sim.weeks_off);
    let working_days_per_week = f64::from(sim.working_days_per_week);
    let stated: Option<Vec<f64>> = scenario
        .team
        .members
        .iter()
        .map(|m| m.goal_share)
        .collect::<Option<Vec<f64>>>()
        .filter(|shares| !shares.is_empty());
    let mean = |counts: &[RepCounts], f: &dyn Fn(&RepCounts) -> f64| {
        counts.iter().map(f).sum::<f64>() / counts.len().max(1) as f64
    };
    let deals: Vec<f64> = runs
        .reps
        .iter()
        .map(|counts| mean(counts, &|c| f64::from(c.deals)))
        .collect();
    let team_deals: f64 = deals.iter().sum();
    model
        .reps()
        .iter()
        .zip(&runs.reps)
        .zip(&deals)
        .enumerate()
        .map(|(i, ((rep, counts), &rep_deals))| {
            let per_week = |f: &dyn Fn(&RepCounts) -> f64| mean(counts, f) / working_weeks;
            let channel =
                |channel: Channel| per_week(&|c| f64::from(c.touches_by_channel[channel.index()]));
            let touches = ChannelTouches {
                call: channel(Channel::Call),
                voicemail: channel(Channel::Voicemail),
                email: channel(Channel::Email),
                inmail: channel(Channel::Inmail),
            };
            let share = match &stated {
                Some(shares) => shares[i],
                None if team_deals > 0.0 => rep_deals / team_deals,
                None => 0.0,
            };
            let goal_deals = target.deals * share;
            let reached = counts
                .iter()
                .filter(|c| f64::from(c.deals) >= goal_deals)
                .count();
            RepPlan {
                name: rep.name.clone(),
                hours_per_week: rep.hours_per_day() * working_days_per_week,
                own_hours: rep.states_own_hours(),
                prospecting_hours_per_week: per_week(&|c| c.minutes / 60.0),
                dials_per_working_day: (touches.call + touches.voicemail) / working_days_per_week,
                touches_per_week: touches,
                conversations_per_week: per_week(&|c| f64::from(c.conversations)),
                appointments_set_per_week: per_week(&|c| f64::from(c.appointments_set)),
                appointments_held_per_week: per_week(&|c| f64::from(c.appointments_held)),
                deals: rep_deals,
                revenue: mean(counts, &|c| c.revenue),
                share_of_goal: share,
                stated_share: stated.is_some(),
                goal_deals,
                goal_revenue: target.revenue.map(|revenue| revenue * share),
                probability_of_own_goal: reached as f64 / counts.len().max(1) as f64,
            }
        })
        .collect()
}
