//! The calendar engine (docs/model.md, "Two ways to run"): the team works day by day over the
//! horizon with limited prospecting time, lead by lead.
//!
//! Each working day, in this order:
//! 1. new inbound leads, as they arrive during the day (speed to lead): the owner (round-robin)
//!    or the first free rep (shared pool) makes the first touch, while their day's time lasts;
//! 2. nurtured leads who responded: a conversation;
//! 3. due follow-ups, the longest overdue first (or the highest lead score first);
//! 4. new leads from the list, while time is left.
//!
//! A touch that does not fit waits for the next working day. Conversations move down the funnel
//! with the appointment lag and a lognormal sales cycle, and only what happens inside the
//! horizon counts.
//!
//! Every lead's fate is drawn when it enters, from streams of its own kind (list or inbound) in
//! entry order: the touch of its first conversation, where its rep gives up, how far down the
//! funnel it would go and how long its sales cycle is. The n-th lead is therefore the same lead
//! whatever the capacity (common random numbers). List leads draw their first conversation
//! from the exact distribution the cohort engine uses; inbound leads draw their reachability p
//! itself, because the first touch's chance depends on how long they waited for it.

mod cash;
mod day_loop;
mod desk;
mod lead;
mod ledger;
mod staffing;
mod time;

pub use cash::{CashPrices, Payback};
pub use desk::CalendarScratch;
pub use staffing::{PeopleSummary, StaffCounts};
pub use time::{Capacity, WorkCalendar};

use rand_distr::Poisson;
use statrs::distribution::{ContinuousCDF, Normal};

use super::lead::LeadModel;
use super::sampling::{InverseCdf, ReachSampler, unit_interval};
use crate::reach::touch_chance;
use crate::scenario::{FIRST_TOUCH_EDGES, Pickup, Priority, RoutingMode, Scenario, SpeedToLead};
use crate::stats::{MetricValues, Tally, Timeline, WeekValues, WeeklySeries, WeeklyTally};
use staffing::Turnover;

/// Funnel stages a conversation can reach: 0 none, then set, held, opportunity, won.
const SET: u8 = 1;
const HELD: u8 = 2;
const OPPORTUNITY: u8 = 3;
const WON: u8 = 4;

/// Minutes in a calendar day.
const DAY_MINUTES: f64 = 1440.0;

/// Upper edges, in minutes, of the time-to-first-touch bins; the last bin is open.
pub const FIRST_TOUCH_BINS: [(f64, &str); 7] = [
    (FIRST_TOUCH_EDGES[0], "within 5 minutes"),
    (FIRST_TOUCH_EDGES[1], "5 to 30 minutes"),
    (FIRST_TOUCH_EDGES[2], "30 to 60 minutes"),
    (FIRST_TOUCH_EDGES[3], "1 to 4 hours"),
    (FIRST_TOUCH_EDGES[4], "4 to 24 hours"),
    (FIRST_TOUCH_EDGES[5], "1 to 3 days"),
    (f64::INFINITY, "more than 3 days"),
];

/// One rep as the engine sees them.
#[derive(Debug, Clone)]
pub struct RepModel {
    /// The rep's name (members' own, or "rep 1", "rep 2", ... under `team.reps`).
    pub name: String,
    /// Prospecting hours a day of their own (`[[team.members]]`); `None`: the team's.
    own_hours_per_day: Option<f64>,
    /// The prospecting hours a working day they work once ramped: their own, or the team's.
    hours_per_day: f64,
    /// Weeks over which their capacity ramps up from 0.
    ramp_weeks: f64,
    /// The one part of the model that depends on the team's hours.
    capacity: Capacity,
    /// Touches after which this rep drops every lead; `None`: drawn for each lead.
    give_up: Option<u16>,
}

/// One group of leads (docs/model.md, "Segments") as the calendar works it: its lead model and
/// what follows from it, with each rep's pace and skill applied.
#[derive(Debug, Clone)]
struct GroupModel {
    lead: LeadModel,
    /// Minutes of each touch of the cadence when it reaches nobody, at each rep's pace: rep r's
    /// touch k at r × touches + k (one table, read on every touch).
    touch_minutes: Vec<f64>,
    /// Per rep, the funnel stage of a conversation with them (their skill applied).
    stage_sampler: Vec<InverseCdf>,
    /// spaced[k]: whether the cadence puts touch k on a later day than touch k − 1.
    spaced: Vec<bool>,
    /// The first t touches of the cadence by channel, t = 0..=n: what a rep's touches were.
    prefix_by_channel: Vec<[u32; 4]>,
    /// The touches a lead's first day holds (at least one), made together.
    first_block: u16,
    /// planned_in_horizon[d]: the touches of the cadence due inside the horizon for a lead
    /// that enters on day d, its conversation aside (due days only grow along the cadence).
    planned_in_horizon: Vec<u16>,
    cycle_mu: f64,
    cycle_sigma: f64,
    appointment_lag_days: f64,
    /// How reachable the group's inbound leads are: p itself, drawn per lead from its rank
    /// (`None`: the group has no inbound leads).
    reach: Option<ReachSampler>,
}

impl GroupModel {
    /// The group of `scenario`'s leads over `calendar`, worked by reps of these paces (× each
    /// touch's minutes) and skills (× the appointment rate).
    fn new(
        scenario: &Scenario,
        calendar: &WorkCalendar,
        paces_and_skills: &[(f64, f64)],
        inbound: bool,
    ) -> Self {
        let lead = LeadModel::new(scenario);
        let f = lead.funnel();
        let stage_sampler = |skill: f64| {
            let set = (f.appointment * skill).min(1.0);
            let reach = [
                set,
                set * f.show,
                set * f.show * f.opportunity,
                set * f.show * f.opportunity * f.win,
            ];
            InverseCdf::new(&reach.map(|r| 1.0 - r))
        };
        let touches = lead.touches();
        let cycle = &scenario.funnel.sales_cycle_days;
        GroupModel {
            touch_minutes: paces_and_skills
                .iter()
                .flat_map(|&(pace, _)| touches.iter().map(move |t| t.minutes * pace))
                .collect(),
            stage_sampler: paces_and_skills
                .iter()
                .map(|&(_, skill)| stage_sampler(skill))
                .collect(),
            spaced: (0..touches.len())
                .map(|k| k > 0 && touches[k].day > touches[k - 1].day)
                .collect(),
            prefix_by_channel: std::iter::once([0; 4])
                .chain(touches.iter().scan([0; 4], |by_channel, t| {
                    by_channel[t.channel.index()] += 1;
                    Some(*by_channel)
                }))
                .collect(),
            first_block: touches.iter().take_while(|t| t.day == 0).count().max(1) as u16,
            planned_in_horizon: (0..calendar.days())
                .map(|entered| {
                    touches.partition_point(|t| {
                        calendar.next_working_day(entered.saturating_add(t.day)) < calendar.days()
                    }) as u16
                })
                .collect(),
            cycle_mu: cycle.median.ln(),
            // docs/model.md: σ = (ln p90 − ln median) / 1.2816, z of the 90th percentile.
            cycle_sigma: (cycle.p90.ln() - cycle.median.ln()) / 1.281_551_565_5,
            appointment_lag_days: scenario.funnel.appointment_lag_days,
            reach: inbound.then(|| ReachSampler::new(scenario)),
            lead,
        }
    }

    /// Minutes `rep` takes for touch `k` when it reaches nobody.
    #[inline]
    fn touch_minutes(&self, rep: usize, k: u16) -> f64 {
        self.touch_minutes[rep * self.lead.touches().len() + usize::from(k)]
    }

    /// Touches planned for each lead.
    #[inline]
    fn touches(&self) -> u16 {
        self.lead.touches().len() as u16
    }

    /// The touches due inside the horizon for a lead entering on day `entered`, its
    /// conversation aside.
    #[inline]
    fn planned_in_horizon(&self, entered: u32) -> u16 {
        self.planned_in_horizon
            .get(entered as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Sales-cycle days of a won deal, from its draw.
    fn cycle_days(&self, draw: u64) -> f64 {
        let z = Normal::standard().inverse_cdf(unit_interval(draw));
        (self.cycle_mu + self.cycle_sigma * z).exp()
    }

    /// The 0-based touch of the first conversation among touches 1.. of a lead of reachability
    /// p (n: none), by inversion of its survival Π (1 − [`touch_chance`]`(p, c_k)`) at `u`.
    fn later_conversation(&self, p: f64, u: f64) -> u16 {
        let n = self.touches();
        if p <= 0.0 {
            return n;
        }
        let mut survival = 1.0;
        for (k, c) in self.lead.multipliers().iter().enumerate().skip(1) {
            survival *= 1.0 - touch_chance(p, *c);
            if u >= survival {
                return k as u16;
            }
        }
        n
    }
}

/// How the list's accounts are shared out over the groups, by the quota method (Balinski and
/// Young, 1975): the next account goes, of the groups below their share of the accounts so far
/// with it, to the one with the largest share ÷ (its accounts + 1). Every run of accounts from
/// the first is then shared out within quota: each group's count is its share of them rounded
/// down or up.
#[derive(Debug, Clone)]
struct ListShares {
    /// (group, share of the list's accounts), for each group with list accounts.
    groups: Vec<(u8, f64)>,
}

/// How far below its quota a group must be to take the next account: shares add up to 1
/// only within rounding, and some group is always a whole 1 / groups below.
const QUOTA_SLACK: f64 = 1e-9;

impl ListShares {
    /// The group of the account after `started` accounts (`assigned` of them to each group,
    /// in the order of `groups`), and its place in `groups`.
    fn next(&self, assigned: &[u64], started: u64) -> (u8, usize) {
        let mut best = 0;
        let mut best_priority = f64::NEG_INFINITY;
        for (i, &(_, share)) in self.groups.iter().enumerate() {
            let has = assigned[i] as f64;
            let below_quota = has < share * (started + 1) as f64 - QUOTA_SLACK;
            let priority = share / (has + 1.0);
            if below_quota && priority > best_priority {
                best_priority = priority;
                best = i;
            }
        }
        (self.groups[best].0, best)
    }
}

impl RepModel {
    /// The prospecting hours a working day the rep works once ramped up.
    pub fn hours_per_day(&self) -> f64 {
        self.hours_per_day
    }

    /// Whether the rep states their own hours (`[[team.members]]`), which a plan keeps.
    pub fn states_own_hours(&self) -> bool {
        self.own_hours_per_day.is_some()
    }

    /// Prospecting minutes each calendar day.
    pub fn capacity(&self) -> &Capacity {
        &self.capacity
    }
}

/// Inbound lead flow and speed to lead.
#[derive(Debug, Clone)]
struct Arrivals {
    /// How many leads arrive on each day of the week (`None`: none on days not worked).
    per_weekday: [Option<Poisson<f64>>; 7],
    /// Arrivals come during the working day, this long.
    workday_minutes: f64,
    /// Prospecting blocks of each rep a day.
    sessions_per_day: u32,
    /// The group of each inbound lead, drawn by share (`None`: every one in the same group).
    groups: Option<(Vec<u8>, InverseCdf)>,
    /// The group of inbound leads when there is one.
    only_group: u8,
    /// When a rep picks up a new lead.
    pickup: Pickup,
    speed_to_lead: SpeedToLead,
}

/// One rep's prospecting blocks on one day: a block starts every `gap` minutes from `offset`
/// and lasts `length`.
#[derive(Debug, Clone, Copy)]
struct Blocks {
    gap: f64,
    length: f64,
    offset: f64,
}

impl Arrivals {
    /// The blocks of rep `rep` of `reps` on a day with `minutes` of prospecting; `None` when
    /// the rep has no prospecting time that day. Blocks start every workday ÷ sessions
    /// minutes, offset for each rep by an equal share of that gap, so a team covers the day in
    /// turns.
    fn blocks(&self, rep: usize, reps: usize, minutes: f64) -> Option<Blocks> {
        let sessions = f64::from(self.sessions_per_day);
        let gap = self.workday_minutes / sessions;
        let length = minutes / sessions;
        (length > 0.0).then(|| Blocks {
            gap,
            length,
            offset: gap * rep as f64 / reps as f64,
        })
    }

    /// The first minute at or after `t` in one of `blocks`; `None` when the day has no such
    /// minute.
    fn in_session(&self, blocks: Blocks, t: f64) -> Option<f64> {
        let sessions = f64::from(self.sessions_per_day);
        // ⌊x⌋ floored at 0: the conversion truncates toward 0 and takes a negative x to 0,
        // without the call `floor` costs on a CPU of the baseline (minutes stay far below 2^64).
        let block = ((t - blocks.offset) / blocks.gap) as u64 as f64;
        let start = blocks.offset + block * blocks.gap;
        if block < sessions && t < start + blocks.length {
            return Some(t.max(start));
        }
        (block + 1.0 < sessions).then_some(start + blocks.gap)
    }

    /// The minute at which a rep of these `blocks` picks up a lead ready at minute `ready`: at
    /// once, or at the start of their first block from then on (`None`: no block starts that
    /// day).
    fn picked_up(&self, blocks: Blocks, ready: f64) -> Option<f64> {
        match self.pickup {
            Pickup::AtOnce => Some(ready),
            Pickup::BlockStart => {
                let block = ((ready - blocks.offset) / blocks.gap).ceil().max(0.0);
                (block < f64::from(self.sessions_per_day))
                    .then_some(blocks.offset + block * blocks.gap)
            }
        }
    }
}

/// The accounts a list offers over the horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ListSupply {
    /// A fresh lead is always at hand.
    Unlimited,
    /// A territory of `accounts`, with `refill_per_month` more at the start of each month
    /// after the first.
    Territory {
        accounts: u64,
        refill_per_month: u64,
    },
}

/// Days in a month: 365.25 / 12.
const MONTH_DAYS: f64 = 30.4375;

impl ListSupply {
    /// The accounts that may have been started by `day` (`u64::MAX`: no end).
    pub fn released_by(self, day: u32) -> u64 {
        match self {
            ListSupply::Unlimited => u64::MAX,
            ListSupply::Territory {
                accounts,
                refill_per_month,
            } => {
                let months = (f64::from(day) / MONTH_DAYS).floor() as u64;
                accounts.saturating_add(refill_per_month.saturating_mul(months))
            }
        }
    }
}

/// Nurture of leads that end their cadence unconverted.
#[derive(Debug, Clone, Copy)]
struct Nurture {
    after_days: f64,
    /// Daily response hazard: a share `monthly_response_rate` responds within a month.
    hazard_per_day: f64,
}

/// Everything a calendar replication needs, precomputed.
#[derive(Debug, Clone)]
pub struct CalendarModel {
    /// The groups of leads, in the scenario's order (one without segments).
    groups: Vec<GroupModel>,
    /// How the list's accounts are shared out over the groups.
    list_shares: ListShares,
    calendar: WorkCalendar,
    reps: Vec<RepModel>,
    mode: RoutingMode,
    priority: Priority,
    recycle_after_days: Option<u32>,
    /// Round-robin: reps skip leads whose visible score (standard normal) is below this.
    cherry_pick_below: Option<f64>,
    score_accuracy: f64,
    /// Whether the score is needed at all.
    scored: bool,
    /// The list that fills spare time, if any.
    list: Option<ListSupply>,
    arrivals: Option<Arrivals>,
    nurture: Option<Nurture>,
    /// Referrals, when conversations bring them.
    referrals: Option<Referrals>,
    /// How seats empty and fill, when reps can leave (`[people]`).
    turnover: Option<Turnover>,
    /// What events cost and earn, when replications keep their money by week.
    cash: Option<CashPrices>,
    /// Whether replications record their weeks.
    with_weeks: bool,
    /// A check-in the year resumes from, when it is re-forecast.
    resumed: Option<Resumed>,
}

/// A year resumed at a check-in: the minutes each rep really worked in each week before it,
/// and the day from which its deals are the forecast's.
#[derive(Debug, Clone, PartialEq)]
struct Resumed {
    check_in_day: u32,
    minutes_by_week: Vec<f64>,
}

/// How conversations bring referred leads (docs/model.md, "Referrals").
#[derive(Debug, Clone, Copy)]
struct Referrals {
    /// The group of referred leads.
    group: u8,
    /// Chance a conversation refers a lead.
    chance: f64,
    /// Days from the conversation to the referred lead's first touch.
    lag_days: u32,
}

impl CalendarModel {
    /// The model of a valid scenario, with `hours_per_day` of prospecting for every rep whose
    /// `[[team.members]]` entry does not give their own (all of them under `team.reps`); see
    /// [`CalendarModel::set_hours_per_day`] to change them.
    pub fn new(scenario: &Scenario, hours_per_day: f64) -> Self {
        let calendar = WorkCalendar::new(&scenario.simulation);
        let team = &scenario.team;
        let call_minutes = scenario.channels.call.minutes;
        let reps: Vec<RepModel> = if team.members.is_empty() {
            (1..=team.reps)
                .map(|i| RepModel {
                    name: format!("rep {i}"),
                    own_hours_per_day: None,
                    hours_per_day,
                    ramp_weeks: team.ramp_weeks,
                    capacity: Capacity::new(&calendar, hours_per_day, team.ramp_weeks),
                    give_up: None,
                })
                .collect()
        } else {
            team.members
                .iter()
                .map(|m| {
                    let ramp_weeks = m.ramp_weeks.unwrap_or(team.ramp_weeks);
                    RepModel {
                        name: m.name.clone(),
                        own_hours_per_day: m.hours_per_day,
                        hours_per_day: m.hours_per_day.unwrap_or(hours_per_day),
                        ramp_weeks,
                        capacity: Capacity::new(
                            &calendar,
                            m.hours_per_day.unwrap_or(hours_per_day),
                            ramp_weeks,
                        ),
                        give_up: m.give_up.map(|g| g.min(u32::from(u16::MAX)) as u16),
                    }
                })
                .collect()
        };
        let paces_and_skills: Vec<(f64, f64)> = if team.members.is_empty() {
            vec![(1.0, 1.0); reps.len()]
        } else {
            team.members
                .iter()
                .map(|m| {
                    let pace = m.minutes_per_touch.map_or(1.0, |t| t / call_minutes);
                    (pace, m.skill)
                })
                .collect()
        };
        let lead_groups = scenario.lead_groups();
        let has_arrivals = scenario.leads.source.has_arrivals();
        let groups: Vec<GroupModel> = lead_groups
            .iter()
            .map(|g| {
                GroupModel::new(
                    &g.scenario,
                    &calendar,
                    &paces_and_skills,
                    has_arrivals && g.shares.inbound > 0.0,
                )
            })
            .collect();
        let of_source = |share: fn(&crate::scenario::LeadGroup) -> f64| -> Vec<(u8, f64)> {
            lead_groups
                .iter()
                .enumerate()
                .filter(|(_, g)| share(g) > 0.0)
                .map(|(i, g)| (i as u8, share(g)))
                .collect()
        };
        let list_shares = ListShares {
            groups: of_source(|g| g.shares.list),
        };
        let inbound_groups = of_source(|g| g.shares.inbound);
        let routing = &scenario.routing;
        let leads = &scenario.leads;
        let arrivals = leads.source.has_arrivals().then(|| {
            let days = scenario.simulation.working_days_per_week as usize;
            let profile: Vec<f64> = if leads.arrival_profile.is_empty() {
                vec![1.0; days]
            } else {
                leads.arrival_profile.clone()
            };
            let total: f64 = profile.iter().sum();
            let mut per_weekday = [None; 7];
            for (day, weight) in per_weekday.iter_mut().zip(&profile) {
                let mean = leads.per_week * weight / total;
                *day = (mean > 0.0).then(|| Poisson::new(mean).ok()).flatten();
            }
            let mut cumulative = 0.0;
            let thresholds: Vec<f64> = inbound_groups[..inbound_groups.len() - 1]
                .iter()
                .map(|&(_, share)| {
                    cumulative += share;
                    cumulative
                })
                .collect();
            Arrivals {
                per_weekday,
                workday_minutes: team.workday_hours * 60.0,
                sessions_per_day: team.sessions_per_day,
                groups: (inbound_groups.len() > 1).then(|| {
                    (
                        inbound_groups.iter().map(|&(g, _)| g).collect(),
                        InverseCdf::new(&thresholds),
                    )
                }),
                only_group: inbound_groups[0].0,
                pickup: routing.pickup,
                speed_to_lead: scenario.speed_to_lead.clone(),
            }
        });
        let nurture = &scenario.nurture;
        let round_robin = routing.mode == RoutingMode::RoundRobin;
        let cherry_pick_below = (round_robin && routing.cherry_pick > 0.0)
            .then(|| Normal::standard().inverse_cdf(routing.cherry_pick));
        CalendarModel {
            mode: routing.mode,
            priority: routing.priority,
            recycle_after_days: routing.recycle_after_days.filter(|_| round_robin),
            scored: cherry_pick_below.is_some() || routing.priority == Priority::Score,
            cherry_pick_below,
            score_accuracy: routing.score_accuracy,
            list: leads.source.has_list().then_some(if leads.unlimited {
                ListSupply::Unlimited
            } else {
                ListSupply::Territory {
                    accounts: leads.count,
                    refill_per_month: leads.refill_per_month,
                }
            }),
            arrivals,
            nurture: (nurture.monthly_response_rate > 0.0).then(|| Nurture {
                after_days: f64::from(nurture.after_days),
                hazard_per_day: -(1.0 - nurture.monthly_response_rate).ln() / MONTH_DAYS,
            }),
            referrals: lead_groups
                .iter()
                .position(|g| g.shares.referred > 0.0)
                .map(|group| Referrals {
                    group: group as u8,
                    chance: scenario.referrals.per_conversation,
                    lag_days: scenario.referrals.lag_days,
                }),
            groups,
            list_shares,
            turnover: Turnover::of(&scenario.people),
            calendar,
            reps,
            cash: None,
            with_weeks: false,
            resumed: None,
        }
    }

    /// Sets the prospecting hours a day of every rep whose `[[team.members]]` entry does not
    /// give their own: the only part of the model that depends on them, so a search over hours
    /// builds the rest once.
    pub fn set_hours_per_day(&mut self, hours_per_day: f64) {
        for rep in &mut self.reps {
            if rep.own_hours_per_day.is_none() {
                rep.hours_per_day = hours_per_day;
                rep.capacity = Capacity::new(&self.calendar, hours_per_day, rep.ramp_weeks);
            }
        }
        self.apply_past();
    }

    /// The year resumed at a check-in on `check_in_day`: before it, every rep works
    /// `minutes_by_week[w]` in week w, spread evenly over its working days (what the team really
    /// worked); from it, the model's own hours and ramp. Deals from conversations on or after
    /// the check-in are counted apart ([`CalendarOutcome::deals_from_check_in`]).
    pub fn resuming(mut self, check_in_day: u32, minutes_by_week: Vec<f64>) -> Self {
        // A check-in knows who is on the team; its callers refuse turnover.
        debug_assert!(self.turnover.is_none(), "a resumed year has no turnover");
        self.resumed = Some(Resumed {
            check_in_day,
            minutes_by_week,
        });
        self.apply_past();
        self
    }

    /// Puts the worked minutes of a resumed year's past into every rep's capacity.
    fn apply_past(&mut self) {
        let Some(resumed) = &self.resumed else {
            return;
        };
        for rep in &mut self.reps {
            rep.capacity.replace_before(
                &self.calendar,
                resumed.check_in_day,
                &resumed.minutes_by_week,
            );
        }
    }

    /// The day deals count for a re-forecast from, when the year is resumed at a check-in.
    pub(super) fn check_in_day(&self) -> Option<u32> {
        self.resumed.as_ref().map(|r| r.check_in_day)
    }

    /// Makes replications keep their money by week at `prices`, for the week each pays back
    /// ([`CalendarOutcome::payback`]).
    pub fn priced(mut self, prices: CashPrices) -> Self {
        self.cash = Some(prices);
        self
    }

    /// Makes replications record their weekly counts.
    pub fn recording_weeks(mut self) -> Self {
        self.with_weeks = true;
        self
    }

    /// The working days of the horizon.
    pub fn calendar(&self) -> &WorkCalendar {
        &self.calendar
    }

    /// The lead model leads follow (the first group's, when the scenario has segments).
    pub fn lead(&self) -> &LeadModel {
        &self.groups[0].lead
    }

    /// Whether `lead` is a referred lead.
    fn is_referred(&self, lead: &lead::Lead) -> bool {
        self.referrals.is_some_and(|r| r.group == lead.group)
    }

    /// The touches of the longest cadence any group of leads follows.
    pub fn most_touches(&self) -> usize {
        self.groups
            .iter()
            .map(|g| g.lead.touches().len())
            .max()
            .unwrap_or(0)
    }

    /// The reps, in order.
    pub fn reps(&self) -> &[RepModel] {
        &self.reps
    }

    /// Whether leads arrive by themselves.
    pub fn has_arrivals(&self) -> bool {
        self.arrivals.is_some()
    }

    /// The list that fills spare time, if any.
    pub fn list(&self) -> Option<ListSupply> {
        self.list
    }

    /// Whether unconverted leads are nurtured.
    pub fn has_nurture(&self) -> bool {
        self.nurture.is_some()
    }

    /// How leads are routed to reps.
    pub fn mode(&self) -> RoutingMode {
        self.mode
    }

    /// Whether leads need the draws only team features use (see `lead::Extra`).
    fn needs_extras(&self) -> bool {
        self.recycle_after_days.is_some() || self.nurture.is_some() || self.scored
    }

    /// The prospecting minutes of the whole team over the horizon.
    pub fn total_minutes(&self) -> f64 {
        self.reps.iter().map(|r| r.capacity.total_minutes()).sum()
    }

    /// The touch limit of a lead of `group` for its owner: their own give-up point, or the
    /// mixture's draw.
    fn stop_for(&self, group: &GroupModel, rep: Option<&RepModel>, draw: u64) -> u16 {
        let n = group.touches();
        if self.mode == RoutingMode::SharedPool {
            return n;
        }
        rep.and_then(|r| r.give_up)
            .unwrap_or_else(|| group.lead.stop(draw) as u16)
            .min(n)
    }

    /// The day touch `k` of a lead of `group` anchored on `anchor` falls due, snapped to a
    /// working day.
    fn due_day(&self, group: &GroupModel, anchor: i32, k: u16) -> u32 {
        let day = anchor + group.lead.touches()[k as usize].day as i32;
        self.calendar.next_working_day(day.max(0) as u32)
    }

    /// A visible lead score on the standard normal scale: correlated `score_accuracy` with the
    /// lead's true rank (a percentile), plus noise.
    fn score(&self, rank: f64, noise: f64) -> f32 {
        let normal = Normal::standard();
        let z = normal.inverse_cdf(rank.clamp(1e-12, 1.0 - 1e-12));
        let e = normal.inverse_cdf(noise);
        let rho = self.score_accuracy;
        (rho * z + (1.0 - rho * rho).sqrt() * e) as f32
    }
}

/// Weekly counts of one replication.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Week {
    /// Touches made in the week.
    pub touches: u32,
    /// Of them, dials (the call and voicemail channels).
    pub dials: u32,
    /// Prospecting minutes worked in the week: touches, conversations and bookings.
    pub minutes: f64,
    /// Touches the cadence planned for the week (due in it, up to each lead's conversation).
    pub planned: u32,
    /// Of those planned touches, the ones made by the horizon's end, in whichever week.
    pub planned_made: u32,
    /// First conversations in the week.
    pub contacts: u32,
    /// Appointments set in the week.
    pub appointments_set: u32,
    /// Appointments held in the week.
    pub appointments_held: u32,
    /// Qualified opportunities in the week.
    pub opportunities: u32,
    /// Deals closed in the week.
    pub deals: u32,
    /// Due touches not yet made at the end of the week, new leads' first touches included.
    pub backlog: u32,
}

impl Week {
    /// Every weekly series' value in each of one replication's weeks, in order: what its
    /// timeline summarises.
    pub fn values_by_week(weeks: &[Week]) -> impl Iterator<Item = WeekValues> + '_ {
        weeks.iter().scan(0, |deals_so_far, week| {
            *deals_so_far += week.deals;
            Some(week.series_values(*deals_so_far))
        })
    }

    /// The week's value of every weekly series, given the deals closed by its end. Penetration
    /// is the share of the touches planned for the week that were made by the horizon's end
    /// (at most 100%), NaN in a week the cadence planned no touches for (a week off).
    fn series_values(&self, cumulative_deals: u32) -> WeekValues {
        WeeklySeries::ALL.map(|series| match series {
            WeeklySeries::Touches => f64::from(self.touches),
            WeeklySeries::Contacts => f64::from(self.contacts),
            WeeklySeries::AppointmentsSet => f64::from(self.appointments_set),
            WeeklySeries::AppointmentsHeld => f64::from(self.appointments_held),
            WeeklySeries::Opportunities => f64::from(self.opportunities),
            WeeklySeries::Deals => f64::from(self.deals),
            WeeklySeries::CumulativeDeals => f64::from(cumulative_deals),
            WeeklySeries::Penetration if self.planned > 0 => {
                100.0 * f64::from(self.planned_made) / f64::from(self.planned)
            }
            WeeklySeries::Penetration => f64::NAN,
            WeeklySeries::Backlog => f64::from(self.backlog),
        })
    }

    /// Adds another week's counts, backlog aside.
    fn add(&mut self, other: &Week) {
        self.touches += other.touches;
        self.dials += other.dials;
        self.minutes += other.minutes;
        self.planned += other.planned;
        self.planned_made += other.planned_made;
        self.contacts += other.contacts;
        self.appointments_set += other.appointments_set;
        self.appointments_held += other.appointments_held;
        self.opportunities += other.opportunities;
        self.deals += other.deals;
    }
}

/// One rep's counts in one replication.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RepCounts {
    /// Touches the rep made.
    pub touches: u32,
    /// Conversations the rep had (nurture responses included).
    pub conversations: u32,
    /// Appointments the rep set.
    pub appointments_set: u32,
    /// Touches the cadence planned for the leads first given to this rep.
    pub planned: u32,
    /// Touches this rep made on those leads.
    pub made_on_own: u32,
    /// Prospecting minutes the rep worked.
    pub minutes: f64,
    /// The rep's touches by channel, indexed by [`crate::scenario::Channel::index`].
    pub touches_by_channel: [u32; 4],
    /// Of the appointments the rep set, those held inside the horizon.
    pub appointments_held: u32,
    /// Of those, the deals closed inside the horizon, and their revenue.
    pub deals: u32,
    pub revenue: f64,
}

/// What one calendar replication produces.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarOutcome {
    pub outcome: MetricValues,
    /// Each group's metrics, in the scenario's order, when it has more than one.
    pub segments: Vec<MetricValues>,
    /// The weeks, when recorded.
    pub weeks: Vec<Week>,
    pub reps: Vec<RepCounts>,
    /// Inbound leads by time to their first touch ([`FIRST_TOUCH_BINS`]), then never touched.
    pub first_touch: [u32; FIRST_TOUCH_BINS.len() + 1],
    /// Of those first touched in each bin, the leads the first touch reached.
    pub first_touch_reached: [u32; FIRST_TOUCH_BINS.len()],
    /// First conversations by the 0-based touch of the cadence that made them (nurture
    /// responses aside).
    pub conversations_by_touch: Vec<u32>,
    /// Due touches not made by the horizon's end.
    pub backlog: u32,
    /// Conversations that came from nurture.
    pub nurture_responses: u32,
    /// Inbound leads their rep skipped (cherry-picking).
    pub skipped: u32,
    /// Prospecting minutes of the horizon no work filled.
    pub unused_minutes: f64,
    /// What turnover did to the seats, when reps can leave.
    pub staffing: Option<StaffCounts>,
    /// When the cumulative margin turns for good, when the run is priced.
    pub payback: Option<Payback>,
    /// The first day a rep had time for a new account and none was left (the territory's
    /// accounts all started, with no refill due yet).
    pub territory_used_up: Option<u32>,
    /// Accounts of the list started.
    pub list_started: u64,
    /// Appointments set in conversations on or after the check-in, and deals closed inside
    /// the horizon from them, when the year is resumed at one ([`CalendarModel::resuming`]);
    /// 0 otherwise.
    pub appointments_from_check_in: u32,
    pub deals_from_check_in: u32,
}

/// Calendar replications: every metric's values, the tally of their weeks when recorded, and
/// the team's results.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarSamples {
    pub samples: crate::stats::Samples,
    /// The replications' weeks, when recorded, tallied as they finish.
    pub weeks: WeeklyTally,
    /// Per rep, one [`RepCounts`] per replication.
    pub reps: Vec<Vec<RepCounts>>,
    /// Inbound leads by time to first touch, over all replications.
    pub first_touch: [u64; FIRST_TOUCH_BINS.len() + 1],
    /// Of those first touched in each bin, the leads the first touch reached, over all
    /// replications.
    pub first_touch_reached: [u64; FIRST_TOUCH_BINS.len()],
    /// Inbound leads by time to first touch, then never touched, per replication: the
    /// service each year gave.
    pub first_touch_by_year: Vec<[u32; FIRST_TOUCH_BINS.len() + 1]>,
    /// First conversations by the 0-based touch that made them, over all replications.
    pub conversations_by_touch: Vec<u64>,
    pub backlog: crate::stats::Sample,
    pub nurture_responses: crate::stats::Sample,
    /// Inbound leads skipped by cherry-picking, over all replications.
    pub skipped: u64,
    /// Prospecting hours of the horizon no work filled, per replication.
    pub unused_hours: crate::stats::Sample,
    /// The week (1-based) the territory was first used up in, in the replications where it
    /// was.
    pub territory_used_up: Tally,
    /// Accounts of the list started, per replication.
    pub list_started: crate::stats::Sample,
    /// What turnover did to the seats, per replication, when reps can leave.
    pub staffing: Vec<StaffCounts>,
    /// When each replication pays back, in order, when the run is priced.
    pub payback: Vec<Payback>,
}

impl CalendarSamples {
    /// What turnover did to the seats of `model`, when its reps can leave.
    pub fn people(&self, model: &CalendarModel) -> Option<PeopleSummary> {
        (!self.staffing.is_empty())
            .then(|| PeopleSummary::of(&self.staffing, model.reps.len(), model.calendar.weeks()))
    }

    /// The weeks the seats were filled in each replication, when reps can leave: what their
    /// people cost.
    pub fn staffed_weeks(&self) -> Option<Vec<f64>> {
        (!self.staffing.is_empty()).then(|| self.staffing.iter().map(|s| s.staffed_weeks).collect())
    }

    /// Per replication, the share of its inbound leads first touched within `minutes`, one of
    /// the bins' edges ([`FIRST_TOUCH_EDGES`]); a year no lead arrived in kept every
    /// promise, so it counts as 1.
    pub fn called_within(&self, minutes: f64) -> Vec<f64> {
        let bins = FIRST_TOUCH_BINS
            .iter()
            .take_while(|(edge, _)| *edge <= minutes)
            .count();
        self.first_touch_by_year
            .iter()
            .map(|year| {
                let arrived: u32 = year.iter().sum();
                let within: u32 = year[..bins].iter().sum();
                if arrived == 0 {
                    1.0
                } else {
                    f64::from(within) / f64::from(arrived)
                }
            })
            .collect()
    }

    /// Share of replications in which a rep had time for a new account and none was left.
    pub fn territory_used_up_share(&self) -> f64 {
        self.territory_used_up.len() as f64 / self.samples.len().max(1) as f64
    }

    /// The median week (1-based) the territory was first used up in, over the replications
    /// where it was; `None` when it never was.
    pub fn territory_used_up_median_week(&self) -> Option<f64> {
        (!self.territory_used_up.is_empty()).then(|| self.territory_used_up.percentile(0.5))
    }

    /// The weekly timeline of the recorded weeks of `calendar`: every series summarised over
    /// replications, and its weeks off (no weeks when they were not recorded).
    pub fn timeline(&self, calendar: &WorkCalendar) -> Timeline {
        Timeline::new(&self.weeks).with_weeks_off(calendar.weeks_off())
    }
}

impl super::Accumulate<CalendarOutcome> for CalendarSamples {
    fn with_capacity(replications: usize) -> Self {
        CalendarSamples {
            samples: crate::stats::Samples::with_capacity(replications),
            weeks: WeeklyTally::default(),
            reps: Vec::new(),
            first_touch: [0; FIRST_TOUCH_BINS.len() + 1],
            first_touch_reached: [0; FIRST_TOUCH_BINS.len()],
            first_touch_by_year: Vec::with_capacity(replications),
            conversations_by_touch: Vec::new(),
            backlog: crate::stats::Sample::with_capacity(replications),
            nurture_responses: crate::stats::Sample::with_capacity(replications),
            skipped: 0,
            unused_hours: crate::stats::Sample::with_capacity(replications),
            territory_used_up: Tally::default(),
            list_started: crate::stats::Sample::with_capacity(replications),
            staffing: Vec::new(),
            payback: Vec::new(),
        }
    }

    fn push(&mut self, output: CalendarOutcome) {
        self.samples.push(&output.outcome);
        self.samples.push_segments(&output.segments);
        if !output.weeks.is_empty() {
            self.weeks.push(Week::values_by_week(&output.weeks));
        }
        self.reps.resize_with(output.reps.len(), Vec::new);
        for (all, counts) in self.reps.iter_mut().zip(output.reps) {
            all.push(counts);
        }
        add_counts(&mut self.first_touch, output.first_touch.map(u64::from));
        self.first_touch_by_year.push(output.first_touch);
        add_counts(
            &mut self.first_touch_reached,
            output.first_touch_reached.map(u64::from),
        );
        let by_touch = &output.conversations_by_touch;
        add_counts(
            grown(&mut self.conversations_by_touch, by_touch.len()),
            by_touch.iter().map(|&c| u64::from(c)),
        );
        self.backlog.push(f64::from(output.backlog));
        self.nurture_responses
            .push(f64::from(output.nurture_responses));
        self.skipped += u64::from(output.skipped);
        self.unused_hours.push(output.unused_minutes / 60.0);
        if let Some(day) = output.territory_used_up {
            self.territory_used_up.push(f64::from(day / 7 + 1));
        }
        self.list_started.push(output.list_started as f64);
        self.staffing.extend(output.staffing);
        self.payback.extend(output.payback);
    }

    fn merge(&mut self, other: Self) {
        self.samples.merge(other.samples);
        self.weeks.merge(other.weeks);
        self.reps.resize_with(other.reps.len(), Vec::new);
        for (all, more) in self.reps.iter_mut().zip(other.reps) {
            all.extend(more);
        }
        add_counts(&mut self.first_touch, other.first_touch);
        add_counts(&mut self.first_touch_reached, other.first_touch_reached);
        self.first_touch_by_year.extend(other.first_touch_by_year);
        let by_touch = other.conversations_by_touch;
        add_counts(
            grown(&mut self.conversations_by_touch, by_touch.len()),
            by_touch,
        );
        self.backlog.merge(other.backlog);
        self.nurture_responses.merge(other.nurture_responses);
        self.skipped += other.skipped;
        self.unused_hours.merge(other.unused_hours);
        self.territory_used_up.merge(other.territory_used_up);
        self.list_started.merge(other.list_started);
        self.staffing.extend(other.staffing);
        self.payback.extend(other.payback);
    }
}

/// Adds counts to totals, a count a total.
fn add_counts(totals: &mut [u64], counts: impl IntoIterator<Item = u64>) {
    for (total, count) in totals.iter_mut().zip(counts) {
        *total += count;
    }
}

/// Grows totals that start empty to hold `len` counts.
fn grown(totals: &mut Vec<u64>, len: usize) -> &mut [u64] {
    if totals.len() < len {
        totals.resize(len, 0);
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    #[test]
    fn new_hours_set_on_a_model_simulate_as_a_model_built_at_them() {
        // One member keeps hours of their own; the other takes the team's.
        let scenario = load_str(
            r#"
            [simulation]
            weeks = 8
            weeks_off = 1
            [team]
            ramp_weeks = 2
            [[team.members]]
            name = "Ana"
            hours_per_day = 1.5
            [[team.members]]
            name = "Ben"
            ramp_weeks = 4
            "#,
            "test.toml",
            &[],
        )
        .unwrap();
        let mut model = CalendarModel::new(&scenario, 1.0);
        model.set_hours_per_day(3.0);
        let built = CalendarModel::new(&scenario, 3.0);
        for (set, built) in model.reps().iter().zip(built.reps()) {
            assert_eq!(set.capacity(), built.capacity());
        }
        let run = |model: &CalendarModel| crate::engine::simulate_calendar(model, 8, 3);
        assert_eq!(run(&model), run(&built));
        assert_ne!(
            model.total_minutes(),
            CalendarModel::new(&scenario, 1.0).total_minutes()
        );
    }
}
