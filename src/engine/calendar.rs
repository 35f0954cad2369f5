//! The calendar engine (MODEL.md §3, "Two ways to run"): the team works day by day over the
//! horizon with limited prospecting time. Each working day, due follow-ups come first (oldest
//! first), then new leads from an unlimited list as capacity allows; a touch that does not fit
//! waits for the next working day. Conversations move down the funnel with the appointment lag
//! and a lognormal sales cycle, and only what happens inside the horizon counts.
//!
//! Every lead's fate is drawn when it starts, from the replication's stream in start order:
//! the touch of its first conversation (the same exact distribution as the cohort engine),
//! where its rep gives up, how far down the funnel it goes and how long its sales cycle is.
//! The n-th lead started is therefore the same lead whatever the capacity (common random
//! numbers), and more prospecting time can only start leads earlier and start more of them.

use rand::Rng;
use statrs::distribution::{ContinuousCDF, Normal};

use super::Replicate;
use super::lead::LeadModel;
use super::rng::Stream;
use super::sampling::{InverseCdf, unit_interval};
use crate::scenario::{Channel, Scenario, Simulation};
use crate::stats::{Metric, Outcome};

/// Working days of the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkCalendar {
    /// Calendar days in the horizon (7 per week).
    days: u32,
    working: Vec<bool>,
    /// next_working[d]: the first working day on or after d (`days` when none is left).
    next_working: Vec<u32>,
    working_weeks: u32,
    weeks_off: Vec<u32>,
}

impl WorkCalendar {
    /// The first `working_days_per_week` days of each week are worked, except in the weeks off,
    /// which are spread evenly over the horizon.
    pub fn new(simulation: &Simulation) -> Self {
        let weeks = simulation.weeks;
        let off: Vec<u32> = (0..simulation.weeks_off)
            .map(|j| ((2 * j + 1) * weeks) / (2 * simulation.weeks_off))
            .collect();
        let days = weeks * 7;
        let working: Vec<bool> = (0..days)
            .map(|day| day % 7 < simulation.working_days_per_week && !off.contains(&(day / 7)))
            .collect();
        let mut next_working = vec![days; days as usize + 1];
        for day in (0..days).rev() {
            next_working[day as usize] = if working[day as usize] {
                day
            } else {
                next_working[day as usize + 1]
            };
        }
        WorkCalendar {
            days,
            working,
            next_working,
            working_weeks: weeks - simulation.weeks_off,
            weeks_off: off,
        }
    }

    /// Calendar days in the horizon.
    pub fn days(&self) -> u32 {
        self.days
    }

    /// Weeks in the horizon.
    pub fn weeks(&self) -> u32 {
        self.days / 7
    }

    pub fn is_working(&self, day: u32) -> bool {
        self.working.get(day as usize).copied().unwrap_or(false)
    }

    /// Weeks worked: the horizon less the weeks off.
    pub fn working_weeks(&self) -> u32 {
        self.working_weeks
    }

    /// The weeks off (0-based), spread evenly over the horizon.
    pub fn weeks_off(&self) -> &[u32] {
        &self.weeks_off
    }

    /// The first working day on or after `day`, or the horizon's end when there is none.
    fn next_working_day(&self, day: u32) -> u32 {
        self.next_working
            .get(day as usize)
            .copied()
            .unwrap_or(self.days)
    }
}

/// Prospecting minutes available each calendar day.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    minutes: Vec<f64>,
    /// later[d]: the minutes of every day after d.
    later: Vec<f64>,
}

impl Capacity {
    /// `reps` reps prospecting `hours_per_day` each working day at full productivity, ramping
    /// linearly from 0 to full over `ramp_weeks` from the first day.
    pub fn new(calendar: &WorkCalendar, reps: u32, hours_per_day: f64, ramp_weeks: f64) -> Self {
        let full = f64::from(reps) * hours_per_day * 60.0;
        let minutes = (0..calendar.days())
            .map(|day| {
                if !calendar.is_working(day) {
                    0.0
                } else if ramp_weeks <= 0.0 {
                    full
                } else {
                    full * ((f64::from(day) + 0.5) / (7.0 * ramp_weeks)).min(1.0)
                }
            })
            .collect::<Vec<f64>>();
        let mut later = vec![0.0; minutes.len()];
        for day in (0..minutes.len().saturating_sub(1)).rev() {
            later[day] = later[day + 1] + minutes[day + 1];
        }
        Capacity { minutes, later }
    }

    /// Total minutes over the horizon.
    pub fn total_minutes(&self) -> f64 {
        self.minutes.iter().sum()
    }
}

/// Weekly counts of one replication.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Week {
    pub touches: u32,
    pub contacts: u32,
    pub appointments_set: u32,
    pub appointments_held: u32,
    pub opportunities: u32,
    /// Deals closed in the week.
    pub deals: u32,
}

/// What one calendar replication produces: the totals, and the weeks when asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarOutcome {
    pub outcome: Outcome,
    pub weeks: Vec<Week>,
}

/// Everything a calendar replication needs, precomputed.
#[derive(Debug, Clone)]
pub struct CalendarModel {
    lead: LeadModel,
    calendar: WorkCalendar,
    capacity: Capacity,
    /// Touches worked at most, by give-up outcome.
    stops: Vec<u16>,
    stop_sampler: InverseCdf,
    /// Funnel stage reached after a conversation: 0 none, 1 set, 2 held, 3 opportunity, 4 won.
    stage_sampler: InverseCdf,
    cycle_mu: f64,
    cycle_sigma: f64,
    appointment_lag_days: f64,
    /// Whether replications record their weeks.
    with_weeks: bool,
}

/// Funnel stages a conversation can reach.
const SET: u8 = 1;
const HELD: u8 = 2;
const OPPORTUNITY: u8 = 3;
const WON: u8 = 4;

impl CalendarModel {
    /// The model of a valid scenario, with `hours_per_day` of prospecting per rep at full
    /// productivity.
    pub fn new(scenario: &Scenario, hours_per_day: f64) -> Self {
        let lead = LeadModel::new(scenario);
        let calendar = WorkCalendar::new(&scenario.simulation);
        let team = &scenario.team;
        let capacity = Capacity::new(&calendar, team.reps, hours_per_day, team.ramp_weeks);
        let points = lead.give_up().points();
        let mut cumulative = 0.0;
        let stop_thresholds: Vec<f64> = points[..points.len() - 1]
            .iter()
            .map(|&(_, share)| {
                cumulative += share;
                cumulative
            })
            .collect();
        let f = lead.funnel();
        let reach = [
            f.appointment,
            f.appointment * f.show,
            f.appointment * f.show * f.opportunity,
            f.deals_per_conversation(),
        ];
        let cycle = &scenario.funnel.sales_cycle_days;
        CalendarModel {
            stops: points.iter().map(|&(g, _)| g as u16).collect(),
            stop_sampler: InverseCdf::new(&stop_thresholds),
            stage_sampler: InverseCdf::new(&reach.map(|r| 1.0 - r)),
            cycle_mu: cycle.median.ln(),
            // MODEL.md §3: σ = (ln p90 − ln median) / 1.2816, z of the 90th percentile.
            cycle_sigma: (cycle.p90.ln() - cycle.median.ln()) / 1.281_551_565_5,
            appointment_lag_days: scenario.funnel.appointment_lag_days,
            lead,
            calendar,
            capacity,
            with_weeks: false,
        }
    }

    /// Makes replications record their weekly counts.
    pub fn recording_weeks(mut self) -> Self {
        self.with_weeks = true;
        self
    }

    pub fn calendar(&self) -> &WorkCalendar {
        &self.calendar
    }

    pub fn capacity(&self) -> &Capacity {
        &self.capacity
    }

    pub fn lead(&self) -> &LeadModel {
        &self.lead
    }

    /// Minutes a group's next touch takes: every lead's touch, plus the conversations and
    /// bookings of the leads answering on it (at the group's end).
    fn group_minutes(&self, group: &Group) -> f64 {
        let k = group.next;
        let base = self.lead.touches()[k as usize].minutes * group.leads.len() as f64;
        let extra: f64 = group
            .leads
            .iter()
            .rev()
            .take_while(|l| l.last == k)
            .map(|l| self.touch_minutes(l, k) - self.lead.touches()[k as usize].minutes)
            .sum();
        base + extra
    }

    /// Takes the leads whose next touch fits into the day, first started first, out of `group`
    /// into a group of their own (in `fits`, an empty list); returns it with the minutes it
    /// needs. `by_order` is scratch space.
    fn split_off_what_fits(
        &self,
        group: &mut Group,
        today: &Day,
        mut fits: Vec<Lead>,
        by_order: &mut Vec<(u32, f64)>,
    ) -> (Group, f64) {
        let k = group.next;
        by_order.clear();
        by_order.extend(
            group
                .leads
                .iter()
                .map(|l| (l.order, self.touch_minutes(l, k))),
        );
        by_order.sort_unstable_by_key(|&(order, _)| order);
        let mut minutes = 0.0;
        let mut cutoff = u32::MAX;
        for &(order, needed) in by_order.iter() {
            let fits = minutes + needed <= today.left || (minutes == 0.0 && today.fits(needed));
            if !fits {
                cutoff = order;
                break;
            }
            minutes += needed;
        }
        // Both parts keep the descending order of last touches.
        group.leads.retain(|lead| {
            let waits = lead.order >= cutoff;
            if !waits {
                fits.push(*lead);
            }
            waits
        });
        let served = Group {
            start: group.start,
            next: k,
            leads: fits,
        };
        (served, minutes)
    }

    /// How many of the cadence's touches fall due inside the horizon for a lead started on
    /// `start`.
    fn scheduled_touches(&self, start: u32) -> u16 {
        (0..self.lead.touches().len() as u16)
            .take_while(|&k| self.due_day(start, k) < self.calendar.days())
            .count() as u16
    }

    /// Draws the fate of lead number `order`: four draws, always, so lead n is the same lead in
    /// every run.
    fn draw_lead(&self, stream: &mut Stream, order: u32) -> Lead {
        let conversation = self.lead.first_conversation().sample(stream.next_u64()) as u16;
        let stop = self.stops[self.stop_sampler.sample(stream.next_u64())];
        let stage = self.stage_sampler.sample(stream.next_u64()) as u8;
        let cycle_draw = stream.next_u64();
        let cycle_days = if stage == WON {
            let z = Normal::standard().inverse_cdf(unit_interval(cycle_draw));
            (self.cycle_mu + self.cycle_sigma * z).exp()
        } else {
            0.0
        };
        let n = self.lead.touches().len() as u16;
        Lead {
            order,
            conversation,
            last: conversation.min(stop - 1).min(n - 1),
            stage,
            cycle_days,
        }
    }

    /// Minutes touch `k` of `lead` takes, its conversation and booking included.
    fn touch_minutes(&self, lead: &Lead, k: u16) -> f64 {
        let touch = &self.lead.touches()[k as usize];
        if k == lead.conversation && k == lead.last {
            let booking = if lead.stage >= SET {
                self.lead.booking_minutes()
            } else {
                0.0
            };
            touch.minutes + touch.conversation_minutes + booking
        } else {
            touch.minutes
        }
    }

    /// The day touch `k` of a lead started on `start` falls due, snapped to a working day.
    fn due_day(&self, start: u32, k: u16) -> u32 {
        let day = start + self.lead.touches()[k as usize].day;
        self.calendar.next_working_day(day)
    }
}

/// One lead's fate, drawn when it starts.
#[derive(Debug, Clone, Copy)]
struct Lead {
    /// Position in start order, which decides who goes first when a day runs out of time.
    order: u32,
    /// 0-based touch of the first conversation (n: none within the cadence).
    conversation: u16,
    /// The last touch it gets: its conversation, its rep's give-up point or the cadence's end.
    last: u16,
    stage: u8,
    cycle_days: f64,
}

/// Leads started on the same day and waiting for the same touch. They are kept in descending
/// order of their last touch, so the leads leaving at a touch are found at the end.
#[derive(Debug, Default)]
struct Group {
    start: u32,
    next: u16,
    leads: Vec<Lead>,
}

/// Reusable per-thread buffers of the calendar engine: groups waiting for their next touch,
/// bucketed by the day it falls due, first come first served within a day.
#[derive(Debug, Default)]
pub struct CalendarScratch {
    buckets: Vec<Vec<Group>>,
    /// How many groups of each bucket have been served.
    served: Vec<usize>,
    spare: Spare,
    by_order: Vec<(u32, f64)>,
}

/// Emptied lead lists, kept for reuse so a replication allocates little.
#[derive(Debug, Default)]
struct Spare(Vec<Vec<Lead>>);

impl Spare {
    fn recycle(&mut self, mut leads: Vec<Lead>) {
        leads.clear();
        self.0.push(leads);
    }

    fn take(&mut self) -> Vec<Lead> {
        self.0.pop().unwrap_or_default()
    }
}

/// One working day's time. A touch that does not fit waits for the next day, except that a
/// day with nothing done yet takes one touch longer than its time (say a long conversation on
/// a short prospecting day): the overrun is taken from the following days, and only while the
/// rest of the horizon holds it, so the minutes used never exceed the capacity.
struct Day {
    left: f64,
    worked: bool,
    later: f64,
}

impl Day {
    /// Whether `minutes` of work can be done now.
    fn fits(&self, minutes: f64) -> bool {
        minutes <= self.left || (!self.worked && minutes <= self.left + self.later)
    }

    fn take(&mut self, minutes: f64) {
        self.left -= minutes;
        self.worked = true;
    }
}

/// Running totals of one calendar replication.
#[derive(Debug, Default)]
struct Totals {
    leads: u64,
    touches: u64,
    dials: u64,
    contacts: u64,
    appointments_set: u64,
    appointments_held: u64,
    opportunities: u64,
    deals: u64,
    minutes: f64,
    planned: u64,
}

impl Replicate for CalendarModel {
    type Output = CalendarOutcome;
    type Scratch = CalendarScratch;

    fn scratch(&self) -> CalendarScratch {
        let days = self.calendar.days() as usize;
        CalendarScratch {
            buckets: (0..days).map(|_| Vec::new()).collect(),
            served: vec![0; days],
            spare: Spare::default(),
            by_order: Vec::new(),
        }
    }

    fn replicate(&self, stream: &mut Stream, scratch: &mut CalendarScratch) -> CalendarOutcome {
        for bucket in &mut scratch.buckets {
            for group in bucket.drain(..) {
                scratch.spare.recycle(group.leads);
            }
        }
        scratch.served.fill(0);
        let mut run = Run {
            model: self,
            totals: Totals::default(),
            weeks: if self.with_weeks {
                vec![Week::default(); self.calendar.weeks() as usize]
            } else {
                Vec::new()
            },
        };
        let mut oldest = 0;
        let mut list = List {
            stream,
            waiting: None,
            drawn: 0,
        };
        // Minutes borrowed from the days ahead by an overrun.
        let mut owed = 0.0;
        for day in 0..self.calendar.days() {
            let minutes = self.capacity.minutes[day as usize];
            if minutes <= 0.0 {
                continue;
            }
            let mut today = Day {
                left: minutes - owed,
                worked: false,
                later: self.capacity.later[day as usize],
            };
            if today.left <= 0.0 {
                owed = -today.left;
                continue;
            }
            if run.follow_ups(day, &mut oldest, &mut today, scratch) {
                run.start_leads(day, &mut today, scratch, &mut list);
            }
            owed = (-today.left).max(0.0);
        }
        run.finish()
    }
}

/// The unlimited list of new leads, drawn in order as they are needed.
struct List<'a> {
    stream: &'a mut Stream,
    /// A lead drawn but not started (its first touches did not fit that day).
    waiting: Option<Lead>,
    drawn: u32,
}

impl List<'_> {
    fn next(&mut self, model: &CalendarModel) -> Lead {
        self.waiting.take().unwrap_or_else(|| {
            self.drawn += 1;
            model.draw_lead(self.stream, self.drawn - 1)
        })
    }
}

/// The work of one replication.
struct Run<'a> {
    model: &'a CalendarModel,
    totals: Totals,
    weeks: Vec<Week>,
}

impl Run<'_> {
    /// Works the due follow-ups, the longest overdue first; false when the day's time ran out.
    fn follow_ups(
        &mut self,
        day: u32,
        oldest: &mut usize,
        today: &mut Day,
        scratch: &mut CalendarScratch,
    ) -> bool {
        for due in *oldest..=day as usize {
            while scratch.served[due] < scratch.buckets[due].len() {
                let slot = scratch.served[due];
                let group = &mut scratch.buckets[due][slot];
                let needed = self.model.group_minutes(group);
                if needed <= today.left {
                    today.take(needed);
                    scratch.served[due] += 1;
                    let group = std::mem::take(group);
                    self.touch(group, day, needed, scratch);
                } else {
                    let fits = scratch.spare.take();
                    let (served, minutes) =
                        self.model
                            .split_off_what_fits(group, today, fits, &mut scratch.by_order);
                    if minutes > 0.0 {
                        today.take(minutes);
                    }
                    if !served.leads.is_empty() {
                        self.touch(served, day, minutes, scratch);
                    }
                    return false;
                }
            }
            if due == *oldest && due < day as usize {
                *oldest += 1;
            }
        }
        true
    }

    /// Starts new leads from the list while their first day's touches fit, as one group.
    fn start_leads(
        &mut self,
        day: u32,
        today: &mut Day,
        scratch: &mut CalendarScratch,
        list: &mut List<'_>,
    ) {
        let model = self.model;
        let touches = model.lead.touches();
        // The touches of a lead's first day go together.
        let first_day = touches.iter().take_while(|t| t.day == 0).count().max(1) as u16;
        let scheduled = model.scheduled_touches(day);
        let mut group = Group {
            start: day,
            next: first_day,
            leads: scratch.spare.take(),
        };
        loop {
            let lead = list.next(model);
            let through = lead.last.min(first_day - 1);
            let minutes: f64 = (0..=through).map(|k| model.touch_minutes(&lead, k)).sum();
            if !today.fits(minutes) {
                list.waiting = Some(lead);
                break;
            }
            today.take(minutes);
            let t = &mut self.totals;
            t.leads += 1;
            t.planned += u64::from(scheduled.min(lead.conversation + 1));
            t.minutes += minutes;
            for k in 0..=through {
                self.count_touches(k, 1, day);
            }
            if lead.last < first_day {
                if lead.last == lead.conversation {
                    self.converse(&lead, day);
                }
            } else {
                group.leads.push(lead);
            }
        }
        group
            .leads
            .sort_unstable_by_key(|l| std::cmp::Reverse(l.last));
        self.enqueue(group, day, scratch);
    }

    /// Makes the group's next touch on `day`, taking `minutes` in all; the leads that leave
    /// leave, the others wait for their next touch.
    fn touch(&mut self, mut group: Group, day: u32, minutes: f64, scratch: &mut CalendarScratch) {
        let k = group.next;
        self.totals.minutes += minutes;
        self.count_touches(k, group.leads.len() as u32, day);
        while let Some(lead) = group.leads.last().copied().filter(|l| l.last == k) {
            group.leads.pop();
            if lead.conversation == k {
                self.converse(&lead, day);
            }
        }
        group.next = k + 1;
        self.enqueue(group, day, scratch);
    }

    /// Puts a group in line for its next touch: no earlier than the touch's due day and, when
    /// the cadence spaces it from the previous touch (made on `day`), no earlier than the next
    /// day. Groups with nobody left, or due after the horizon, are dropped.
    fn enqueue(&mut self, group: Group, day: u32, scratch: &mut CalendarScratch) {
        let touches = self.model.lead.touches();
        let k = group.next as usize;
        if group.leads.is_empty() || k >= touches.len() {
            scratch.spare.recycle(group.leads);
            return;
        }
        let spaced = k > 0 && touches[k].day > touches[k - 1].day;
        let due = self
            .model
            .due_day(group.start, group.next)
            .max(day + u32::from(spaced));
        if due < self.model.calendar.days() {
            scratch.buckets[due as usize].push(group);
        } else {
            scratch.spare.recycle(group.leads);
        }
    }

    fn count_touches(&mut self, k: u16, leads: u32, day: u32) {
        let call = self.model.lead.touches()[k as usize].channel == Channel::Call;
        self.totals.touches += u64::from(leads);
        self.totals.dials += if call { u64::from(leads) } else { 0 };
        self.record(
            day as f64,
            Week {
                touches: leads,
                ..Week::default()
            },
        );
    }
    /// A conversation on `day` and what follows from it inside the horizon.
    fn converse(&mut self, lead: &Lead, day: u32) {
        let horizon = f64::from(self.model.calendar.days());
        let t = &mut self.totals;
        t.contacts += 1;
        let set = u32::from(lead.stage >= SET);
        t.appointments_set += u64::from(set);
        self.record(
            day as f64,
            Week {
                contacts: 1,
                appointments_set: set,
                ..Week::default()
            },
        );
        let held = f64::from(day) + self.model.appointment_lag_days;
        if lead.stage < HELD || held >= horizon {
            return;
        }
        let opportunity = u32::from(lead.stage >= OPPORTUNITY);
        self.totals.appointments_held += 1;
        self.totals.opportunities += u64::from(opportunity);
        self.record(
            held,
            Week {
                appointments_held: 1,
                opportunities: opportunity,
                ..Week::default()
            },
        );
        let close = held + lead.cycle_days;
        if lead.stage == WON && close < horizon {
            self.totals.deals += 1;
            self.record(
                close,
                Week {
                    deals: 1,
                    ..Week::default()
                },
            );
        }
    }

    /// Adds counts to the week of `day`, when weeks are recorded.
    fn record(&mut self, day: f64, counts: Week) {
        if let Some(week) = self.weeks.get_mut((day / 7.0) as usize) {
            week.touches += counts.touches;
            week.contacts += counts.contacts;
            week.appointments_set += counts.appointments_set;
            week.appointments_held += counts.appointments_held;
            week.opportunities += counts.opportunities;
            week.deals += counts.deals;
        }
    }

    fn finish(self) -> CalendarOutcome {
        let t = self.totals;
        let lead = &self.model.lead;
        let mut outcome = Outcome::default();
        outcome.set(Metric::Leads, t.leads as f64);
        outcome.set(Metric::Touches, t.touches as f64);
        outcome.set(Metric::Dials, t.dials as f64);
        outcome.set(Metric::Contacts, t.contacts as f64);
        outcome.set(Metric::AppointmentsSet, t.appointments_set as f64);
        outcome.set(Metric::AppointmentsHeld, t.appointments_held as f64);
        outcome.set(Metric::Opportunities, t.opportunities as f64);
        outcome.set(Metric::Deals, t.deals as f64);
        outcome.set(Metric::Revenue, t.deals as f64 * lead.deal_size());
        outcome.set(Metric::ProspectingHours, t.minutes / 60.0);
        let penetration = if t.planned == 0 {
            100.0
        } else {
            100.0 * t.touches as f64 / t.planned as f64
        };
        outcome.set(Metric::Penetration, penetration);
        CalendarOutcome {
            outcome,
            weeks: self.weeks,
        }
    }
}

/// Calendar replications: every metric's values, and every replication's weeks when recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarSamples {
    pub samples: crate::stats::Samples,
    pub weeks: Vec<Vec<Week>>,
}

impl super::Accumulate<CalendarOutcome> for CalendarSamples {
    fn with_capacity(replications: usize) -> Self {
        CalendarSamples {
            samples: crate::stats::Samples::with_capacity(replications),
            weeks: Vec::new(),
        }
    }

    fn push(&mut self, output: CalendarOutcome) {
        self.samples.push(&output.outcome);
        if !output.weeks.is_empty() {
            self.weeks.push(output.weeks);
        }
    }

    fn merge(&mut self, other: Self) {
        self.samples.merge(other.samples);
        self.weeks.extend(other.weeks);
    }
}
