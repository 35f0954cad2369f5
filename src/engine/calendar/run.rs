//! One calendar replication, day by day and lead by lead.

use std::collections::VecDeque;

use rand::Rng;
use rand_distr::{Distribution, Poisson};

use super::time::Day;
use super::{
    Arrivals, CalendarModel, CalendarOutcome, DAY_MINUTES, FIRST_TOUCH_BINS, HELD, OPPORTUNITY,
    RepCounts, SET, WON, Week,
};
use crate::engine::Replicate;
use crate::engine::counts::FunnelCounts;
use crate::engine::rng::{Leap, Stream, leaped};
use crate::engine::sampling::unit_interval;
use crate::scenario::{Priority, RoutingMode};

/// The largest bucket kept for reuse, in leads.
const MAX_SPARE_LEADS: usize = 4096;

/// The owner of a lead in the shared pool: nobody in particular.
const POOL: u16 = u16::MAX;

/// One lead: its fate, drawn when it enters, and where it stands.
#[derive(Debug, Clone, Copy)]
struct Lead {
    /// Touch k falls due on `anchor` + the touch's day, snapped to a working day.
    anchor: i32,
    /// 0-based touch of its first conversation (n: none). Before an inbound lead's first touch:
    /// the first conversation after the first touch.
    conversation: u16,
    /// Its owner makes the touches below this one.
    stop: u16,
    /// The next touch to make.
    next: u16,
    /// The rep who owns it, or [`POOL`].
    owner: u16,
    /// The rep it was first given to, or [`POOL`].
    first_owner: u16,
    recycled: bool,
    inbound: bool,
    touched: bool,
    /// Inbound: the day it arrived and the minute of that working day.
    arrival_day: u32,
    arrival_minute: f32,
    /// Inbound: its reachability, and the uniform that decides its first touch.
    p: f32,
    first_touch_u: f32,
    stage_draw: u64,
    /// The top 32 bits of the draws of its sales cycle and of a second owner's give-up point
    /// (after recycling): 2^−32 resolution is far below any Monte Carlo error.
    cycle_draw: u32,
    second_stop_draw: u32,
    /// Days from the start of nurture to its response.
    nurture_days: f32,
    /// Visible score, standard normal scale.
    score: f32,
}

/// The desk a lead waits at: its owner's, or the pool's.
fn desk_of(lead: &Lead) -> usize {
    match lead.owner {
        POOL => 0,
        owner => owner as usize,
    }
}

/// The draws of a lead's funnel stage and sales cycle, from the stream of its kind.
struct Fate {
    stage_draw: u64,
    cycle_draw: u32,
}

impl Fate {
    fn draw(stream: &mut Stream) -> Self {
        Fate {
            stage_draw: stream.next_u64(),
            cycle_draw: (stream.next_u64() >> 32) as u32,
        }
    }
}

/// The draws only team features use: a second owner's give-up point, the nurture response
/// and the noise in the visible score.
struct Extra {
    second_stop_draw: u32,
    nurture_draw: u64,
    noise: f64,
}

impl Extra {
    /// For models that use none of them.
    const NONE: Extra = Extra {
        second_stop_draw: 0,
        nurture_draw: 0,
        noise: 0.5,
    };

    fn draw(stream: &mut Stream) -> Self {
        Extra {
            second_stop_draw: (stream.next_u64() >> 32) as u32,
            nurture_draw: stream.next_u64(),
            noise: unit_interval(stream.next_u64()),
        }
    }
}

/// The work waiting for one rep (round-robin) or for the whole team (shared pool).
#[derive(Debug, Default)]
struct Desk {
    /// Leads waiting for their next touch, by the day it falls due, in arrival order. Leads
    /// move from bucket to bucket by value, so serving a day reads them in sequence.
    buckets: Vec<Vec<Lead>>,
    /// How many leads of each bucket have been served.
    served: Vec<usize>,
    /// The oldest day with leads left unserved.
    oldest: usize,
    /// Inbound leads waiting for their first touch, in arrival order.
    new_leads: VecDeque<Lead>,
    /// Nurtured leads who responded, waiting for their conversation.
    callbacks: VecDeque<Lead>,
    /// Emptied buckets, kept for reuse: memory holds the leads waiting, not every touch made.
    spare: Vec<Vec<Lead>>,
}

impl Desk {
    /// Empties a served bucket into the spare pool.
    fn retire(&mut self, due: usize) {
        let mut bucket = std::mem::take(&mut self.buckets[due]);
        // A bucket that once held a whole backlog (score priority gathers it into one) is
        // freed rather than kept.
        if (1..=MAX_SPARE_LEADS).contains(&bucket.capacity()) {
            bucket.clear();
            self.spare.push(bucket);
        }
        self.served[due] = 0;
    }

    /// Adds a lead to the bucket of day `due`, reusing a spare bucket for a day's first.
    fn push(&mut self, due: usize, lead: Lead) {
        let bucket = &mut self.buckets[due];
        if bucket.capacity() == 0 {
            *bucket = self.spare.pop().unwrap_or_default();
        }
        bucket.push(lead);
    }
}

/// Reusable per-thread buffers of the calendar engine.
#[derive(Debug, Default)]
pub struct CalendarScratch {
    desks: Vec<Desk>,
    /// Leads to hand to another rep, by day.
    recycle: Vec<Vec<Lead>>,
    /// Nurtured leads responding, by day.
    responses: Vec<Vec<Lead>>,
    /// Due leads sorted by score.
    by_score: Vec<Lead>,
    /// Reps who could take a new lead: (start, minus the time they have left, rep).
    candidates: Vec<(f64, f64, usize)>,
}

impl CalendarScratch {
    fn reset(&mut self, desks: usize, days: usize) {
        self.desks.resize_with(desks, Desk::default);
        for desk in &mut self.desks {
            desk.buckets.resize_with(days, Vec::new);
            for due in 0..days {
                if desk.buckets[due].capacity() > 0 {
                    desk.retire(due);
                }
            }
            desk.served.clear();
            desk.served.resize(days, 0);
            desk.oldest = 0;
            desk.new_leads.clear();
            desk.callbacks.clear();
        }
        for by_day in [&mut self.recycle, &mut self.responses] {
            by_day.resize_with(days, Vec::new);
            by_day.iter_mut().for_each(Vec::clear);
        }
    }
}

/// One rep's day and running counts.
struct RepState {
    today: Day,
    /// Minutes borrowed from the days ahead by an overrun.
    owed: f64,
    /// The minute of the working day when the rep is free for the next new lead.
    free_at: f64,
    counts: RepCounts,
}

/// Running totals of one replication.
#[derive(Debug, Default)]
struct Totals {
    funnel: FunnelCounts,
    nurture_responses: u32,
    /// Inbound leads a rep skipped (cherry-picking).
    skipped: u32,
    first_touch: [u32; FIRST_TOUCH_BINS.len() + 1],
}

impl Replicate for CalendarModel {
    type Output = CalendarOutcome;
    type Scratch = CalendarScratch;

    fn scratch(&self) -> CalendarScratch {
        CalendarScratch::default()
    }

    fn replicate(&self, stream: &mut Stream, scratch: &mut CalendarScratch) -> CalendarOutcome {
        let desks = match self.mode {
            RoutingMode::RoundRobin => self.reps.len(),
            RoutingMode::SharedPool => 1,
        };
        let days = self.calendar.days();
        scratch.reset(desks, days as usize);
        // Each kind of lead draws from a stream of its own, so the n-th lead of a kind is the
        // same lead whatever the capacity. The extra streams are jumps of the replication's.
        let list_extra = leaped(stream, Leap::Jump);
        let inbound = leaped(stream, Leap::LongJump);
        let mut run = Run {
            model: self,
            s: scratch,
            reps: self
                .reps
                .iter()
                .map(|_| RepState {
                    today: Day {
                        left: 0.0,
                        worked: true,
                        later: 0.0,
                    },
                    owed: 0.0,
                    free_at: 0.0,
                    counts: RepCounts::default(),
                })
                .collect(),
            totals: Totals::default(),
            weeks: if self.with_weeks {
                vec![Week::default(); self.calendar.weeks() as usize]
            } else {
                Vec::new()
            },
            rotation: 0,
            cursor: 0,
            list_stream: stream,
            list_extra,
            inbound,
            list_waiting: None,
        };
        for day in 0..days {
            run.day(day);
            if self.with_weeks && day % 7 == 6 {
                let backlog = run.backlog(day);
                run.weeks[(day / 7) as usize].backlog = backlog;
            }
        }
        run.finish()
    }
}

/// The work of one replication.
struct Run<'a> {
    model: &'a CalendarModel,
    s: &'a mut CalendarScratch,
    reps: Vec<RepState>,
    totals: Totals,
    weeks: Vec<Week>,
    /// The rep the next inbound lead goes to (round-robin).
    rotation: usize,
    /// The rep the shared pool offers the next touch to first.
    cursor: usize,
    list_stream: &'a mut Stream,
    list_extra: Stream,
    inbound: Stream,
    /// A list lead drawn but not started (its first day did not fit), and its give-up draw.
    list_waiting: Option<(Lead, u64)>,
}

impl Run<'_> {
    fn day(&mut self, day: u32) {
        let model = self.model;
        let mut recycled = std::mem::take(&mut self.s.recycle[day as usize]);
        for lead in recycled.drain(..) {
            self.reassign(lead, day);
        }
        self.s.recycle[day as usize] = recycled;
        let mut responded = std::mem::take(&mut self.s.responses[day as usize]);
        for lead in responded.drain(..) {
            self.s.desks[desk_of(&lead)].callbacks.push_back(lead);
        }
        self.s.responses[day as usize] = responded;
        if !model.calendar.is_working(day) {
            return;
        }
        if model.arrivals.is_some() {
            self.arrive(day);
        }
        for (rep, state) in model.reps.iter().zip(&mut self.reps) {
            let left = rep.capacity.minutes[day as usize] - state.owed;
            state.today = Day {
                left,
                // A day already spent on an earlier overrun has no overrun of its own.
                worked: left <= 0.0,
                later: rep.capacity.later[day as usize],
            };
            state.free_at = 0.0;
        }
        self.new_leads(day);
        self.callbacks(day);
        self.follow_ups(day);
        if model.list {
            self.list_leads(day);
        }
        for state in &mut self.reps {
            state.owed = (-state.today.left).max(0.0);
        }
    }

    /// Today's inbound leads: drawn in arrival order and handed to their owner (round-robin)
    /// or to the pool. A rep who cherry-picks drops a low-scoring lead untouched.
    fn arrive(&mut self, day: u32) {
        let model = self.model;
        let arrivals = model.arrivals.as_ref().expect("inbound leads arrive");
        let mean = arrivals.per_weekday[(day % 7) as usize];
        if mean <= 0.0 {
            return;
        }
        let count = Poisson::new(mean)
            .map(|p| p.sample(&mut self.inbound) as usize)
            .unwrap_or(0);
        let mut minutes: Vec<f64> = (0..count)
            .map(|_| unit_interval(self.inbound.next_u64()) * arrivals.workday_minutes)
            .collect();
        minutes.sort_by(f64::total_cmp);
        for minute in minutes {
            let (mut lead, stop_draw) = self.draw_inbound(arrivals, day, minute);
            self.totals.funnel.leads += 1;
            if model.mode == RoutingMode::RoundRobin {
                let owner = self.rotation % model.reps.len();
                self.rotation += 1;
                lead.owner = owner as u16;
                lead.first_owner = owner as u16;
                lead.stop = model.stop_for(Some(&model.reps[owner]), stop_draw);
                if model
                    .cherry_pick_below
                    .is_some_and(|below| f64::from(lead.score) < below)
                {
                    self.totals.skipped += 1;
                    self.leave(lead, day);
                    continue;
                }
            }
            self.s.desks[desk_of(&lead)].new_leads.push_back(lead);
        }
    }

    /// Draws an inbound lead arriving at `minute` of `day`, and the draw of its owner's give-up
    /// point (the owner is set on arrival). Its reachability's rank is its true rank.
    fn draw_inbound(&mut self, arrivals: &Arrivals, day: u32, minute: f64) -> (Lead, u64) {
        let model = self.model;
        let stream = &mut self.inbound;
        let rank = unit_interval(stream.next_u64());
        let p = arrivals.reach.sample(rank);
        let first_touch_u = unit_interval(stream.next_u64());
        let conversation = model.later_conversation(p, unit_interval(stream.next_u64()));
        let stop_draw = stream.next_u64();
        let fate = Fate::draw(stream);
        let extra = Extra::draw(stream);
        let lead = Lead {
            stop: model.stop_for(None, stop_draw),
            inbound: true,
            arrival_minute: minute as f32,
            p: p as f32,
            first_touch_u: first_touch_u as f32,
            ..self.entering(day, conversation, fate, extra, rank)
        };
        (lead, stop_draw)
    }

    /// A lead entering on `day` with its first conversation on touch `conversation`, owned by
    /// the pool until given to a rep; `rank` is how reachable it truly is, for its score.
    fn entering(&self, day: u32, conversation: u16, fate: Fate, extra: Extra, rank: f64) -> Lead {
        let model = self.model;
        Lead {
            anchor: day as i32,
            conversation,
            stop: model.lead.touches().len() as u16,
            next: 0,
            owner: POOL,
            first_owner: POOL,
            recycled: false,
            inbound: false,
            touched: false,
            arrival_day: day,
            arrival_minute: 0.0,
            p: 0.0,
            first_touch_u: 0.0,
            stage_draw: fate.stage_draw,
            cycle_draw: fate.cycle_draw,
            second_stop_draw: extra.second_stop_draw,
            nurture_days: model.nurture.map_or(f32::INFINITY, |n| {
                (-(1.0 - unit_interval(extra.nurture_draw)).ln() / n.hazard_per_day) as f32
            }),
            score: if model.scored {
                model.score(rank, extra.noise)
            } else {
                0.0
            },
        }
    }

    /// The next list lead, started by `owner` on `day`, and the draw of its owner's give-up
    /// point: the one left waiting, or a new one with the same four draws as the cohort
    /// engine's lead, then three more from a stream of their own.
    fn draw_list(&mut self, owner: u16, day: u32) -> (Lead, u64) {
        let model = self.model;
        let rep = (owner != POOL).then(|| &model.reps[owner as usize]);
        let (lead, stop_draw) = match self.list_waiting.take() {
            Some((lead, stop_draw)) => (
                Lead {
                    anchor: day as i32,
                    arrival_day: day,
                    ..lead
                },
                stop_draw,
            ),
            None => {
                let stream = &mut *self.list_stream;
                let conversation_draw = stream.next_u64();
                let conversation = model.lead.first_conversation().sample(conversation_draw);
                let stop_draw = stream.next_u64();
                let fate = Fate::draw(stream);
                let extra = if model.needs_extras() {
                    Extra::draw(&mut self.list_extra)
                } else {
                    Extra::NONE
                };
                // A list lead's true rank is how early it would answer.
                let rank = 1.0 - unit_interval(conversation_draw);
                let lead = self.entering(day, conversation as u16, fate, extra, rank);
                (lead, stop_draw)
            }
        };
        let lead = Lead {
            stop: model.stop_for(rep, stop_draw),
            owner,
            first_owner: owner,
            ..lead
        };
        (lead, stop_draw)
    }

    /// The funnel stage `lead` reaches in a conversation with `rep`.
    fn stage(&self, lead: &Lead, rep: usize) -> u8 {
        self.model.reps[rep].stage_sampler.sample(lead.stage_draw) as u8
    }

    /// Minutes of a conversation with `rep`, its booking included.
    fn conversation_minutes(&self, lead: &Lead, k: usize, rep: usize) -> f64 {
        let booking = if self.stage(lead, rep) >= SET {
            self.model.lead.booking_minutes()
        } else {
            0.0
        };
        self.model.lead.touches()[k].conversation_minutes + booking
    }

    /// Minutes `rep` takes for touch `k` of `lead`, its conversation and booking included.
    fn touch_minutes(&self, lead: &Lead, k: u16, rep: usize) -> f64 {
        let base = self.model.reps[rep].touch_minutes[k as usize];
        if k == lead.conversation {
            base + self.conversation_minutes(lead, k as usize, rep)
        } else {
            base
        }
    }

    /// The touches of a lead's first day that it gets, and their minutes with `rep`.
    fn first_day_minutes(&self, lead: &Lead, rep: usize) -> (u16, f64) {
        let last = lead
            .conversation
            .min(lead.stop.saturating_sub(1))
            .min(self.model.first_block - 1);
        let minutes = (0..=last).map(|k| self.touch_minutes(lead, k, rep)).sum();
        (last + 1, minutes)
    }

    /// An inbound lead's first conversation if its first touch comes `delay` minutes after it
    /// arrived: the first touch's odds are boosted by speed to lead.
    fn inbound_conversation(&self, lead: &Lead, delay: f64) -> u16 {
        let arrivals = self.model.arrivals.as_ref().expect("inbound leads arrive");
        let q = f64::from(lead.p) * self.model.lead.multipliers()[0];
        let boost = arrivals.boost_after(delay);
        let boosted = boost * q / (1.0 - q + boost * q);
        if f64::from(lead.first_touch_u) < boosted {
            0
        } else {
            lead.conversation
        }
    }

    /// Serves new inbound leads in arrival order while a rep has time: the owner (round-robin)
    /// or the rep free soonest (shared pool), no earlier than the lead arrived.
    fn new_leads(&mut self, day: u32) {
        let model = self.model;
        let Some(arrivals) = model.arrivals.as_ref() else {
            return;
        };
        for desk in 0..self.s.desks.len() {
            while let Some(&lead) = self.s.desks[desk].new_leads.front() {
                let ready = if lead.arrival_day == day {
                    f64::from(lead.arrival_minute)
                } else {
                    0.0
                };
                let eligible = match model.mode {
                    RoutingMode::RoundRobin => desk..desk + 1,
                    RoutingMode::SharedPool => 0..model.reps.len(),
                };
                // Who could start it when: the soonest first, and of those the one with the
                // most time left. Usually that rep has time for it; when not, the others in
                // that order.
                let mut candidates = std::mem::take(&mut self.s.candidates);
                candidates.clear();
                for rep in eligible {
                    let state = &self.reps[rep];
                    let capacity = model.reps[rep].capacity.minutes[day as usize];
                    let soonest = ready.max(state.free_at);
                    if let Some(start) =
                        arrivals.in_session(rep, model.reps.len(), capacity, soonest)
                    {
                        candidates.push((start, -state.today.left, rep));
                    }
                }
                let order = |a: &(f64, f64, usize), b: &(f64, f64, usize)| {
                    a.0.total_cmp(&b.0)
                        .then(a.1.total_cmp(&b.1))
                        .then(a.2.cmp(&b.2))
                };
                let soonest =
                    (0..candidates.len()).min_by(|&a, &b| order(&candidates[a], &candidates[b]));
                if let Some(i) = soonest {
                    candidates.swap(0, i);
                }
                let mut taken = None;
                for j in 0..candidates.len() {
                    if j == 1 {
                        candidates[1..].sort_unstable_by(order);
                    }
                    let (start, _, rep) = candidates[j];
                    let delay = f64::from(day - lead.arrival_day) * DAY_MINUTES + start
                        - f64::from(lead.arrival_minute);
                    let trial = Lead {
                        conversation: self.inbound_conversation(&lead, delay),
                        ..lead
                    };
                    let (made, minutes) = self.first_day_minutes(&trial, rep);
                    if self.reps[rep].today.fits(minutes) {
                        taken = Some((start, rep, trial, made, minutes));
                        break;
                    }
                }
                self.s.candidates = candidates;
                let Some((start, rep, lead, made, minutes)) = taken else {
                    break;
                };
                self.s.desks[desk].new_leads.pop_front();
                let delay = f64::from(day - lead.arrival_day) * DAY_MINUTES + start
                    - f64::from(lead.arrival_minute);
                let bin = FIRST_TOUCH_BINS
                    .iter()
                    .position(|&(upper, _)| delay < upper)
                    .unwrap_or(FIRST_TOUCH_BINS.len() - 1);
                self.totals.first_touch[bin] += 1;
                self.reps[rep].free_at = start + minutes;
                self.start(lead, rep, day, made, minutes);
            }
        }
    }

    /// Starts list leads while a rep has time for their first day's touches.
    fn list_leads(&mut self, day: u32) {
        let model = self.model;
        for rep in 0..model.reps.len() {
            let owner = match model.mode {
                RoutingMode::RoundRobin => rep as u16,
                RoutingMode::SharedPool => POOL,
            };
            loop {
                let (lead, stop_draw) = self.draw_list(owner, day);
                let (made, minutes) = self.first_day_minutes(&lead, rep);
                if !self.reps[rep].today.fits(minutes) {
                    // The same lead is the next one started, by whoever has time.
                    self.list_waiting = Some((lead, stop_draw));
                    break;
                }
                self.start(lead, rep, day, made, minutes);
            }
        }
    }

    /// A lead's first touches, `made` of them taking `minutes`, by `rep` on `day`.
    fn start(&mut self, mut lead: Lead, rep: usize, day: u32, made: u16, minutes: f64) {
        self.reps[rep].today.take(minutes);
        lead.touched = true;
        // Inbound leads count when they arrive.
        if !lead.inbound && !lead.recycled {
            self.totals.funnel.leads += 1;
        }
        self.plan(&lead);
        self.account(rep, day, minutes, 0..made, &lead);
        self.after_touch(lead, made - 1, day, rep);
    }

    /// Counts the touches the cadence plans for `lead` inside the horizon, up to its
    /// conversation, for the team, its first owner and the weeks they fall due in.
    fn plan(&mut self, lead: &Lead) {
        let model = self.model;
        let n = model.lead.touches().len() as u16;
        let planned = (0..n.min(lead.conversation + 1))
            .take_while(|&k| self.due_day(lead.anchor, k) < model.calendar.days())
            .count() as u16;
        self.totals.funnel.planned += u64::from(planned);
        if lead.first_owner != POOL {
            self.reps[lead.first_owner as usize].counts.planned += u32::from(planned);
        }
        if model.with_weeks {
            for k in 0..planned {
                let due = self.due_day(lead.anchor, k);
                self.weeks[(due / 7) as usize].planned += 1;
            }
        }
    }

    /// Counts the touches `ks` of `lead` made by `rep` on `day`, taking `minutes` in all.
    fn account(
        &mut self,
        rep: usize,
        day: u32,
        minutes: f64,
        ks: std::ops::Range<u16>,
        lead: &Lead,
    ) {
        let made = u32::from(ks.end - ks.start);
        let prefix = self.model.lead.prefix_dials();
        let dials = prefix[usize::from(ks.end)] - prefix[usize::from(ks.start)];
        let t = &mut self.totals.funnel;
        t.touches += u64::from(made);
        t.dials += dials;
        t.minutes += minutes;
        let counts = &mut self.reps[rep].counts;
        counts.touches += made;
        counts.minutes += minutes;
        if usize::from(lead.first_owner) == rep {
            counts.made_on_own += made;
        }
        self.record(
            f64::from(day),
            Week {
                touches: made,
                ..Week::default()
            },
        );
    }

    /// After touch `k` of a lead: its conversation, the owner giving up, the cadence's end, or
    /// the wait for the next touch.
    fn after_touch(&mut self, mut lead: Lead, k: u16, day: u32, rep: usize) {
        let n = self.model.lead.touches().len() as u16;
        lead.next = k + 1;
        if k == lead.conversation {
            self.converse(&lead, rep, day);
        } else if k + 1 >= lead.stop || k + 1 >= n {
            self.leave(lead, day);
        } else {
            self.enqueue(lead, day);
        }
    }

    /// A lead leaves its owner unconverted on `day`: to another rep after a while (recycling a
    /// dropped lead), or to nurture. An inbound lead that leaves untouched (skipped) and does
    /// not come back is never touched, and counted so now.
    fn leave(&mut self, lead: Lead, day: u32) {
        let model = self.model;
        let n = model.lead.touches().len() as u16;
        let days = model.calendar.days();
        if let Some(after) = model.recycle_after_days
            && !lead.recycled
            && lead.next < n
            && day + after < days
        {
            self.s.recycle[(day + after) as usize].push(lead);
            return;
        }
        if !lead.touched {
            self.never_touched(&lead);
        }
        if let Some(nurture) = model.nurture {
            let at = f64::from(day) + nurture.after_days + f64::from(lead.nurture_days);
            if at < f64::from(days) {
                self.s.responses[at as usize].push(lead);
            }
        }
    }

    /// Counts an inbound lead that is never touched: the cadence planned its touches from its
    /// arrival, as if the first came at once.
    fn never_touched(&mut self, lead: &Lead) {
        let planned = Lead {
            conversation: self.inbound_conversation(lead, 0.0),
            ..*lead
        };
        self.plan(&planned);
        self.totals.first_touch[FIRST_TOUCH_BINS.len()] += 1;
    }

    /// Hands a dropped lead to the next rep, who works the rest of the cadence from today with
    /// their own give-up point.
    fn reassign(&mut self, mut lead: Lead, day: u32) {
        let model = self.model;
        let owner = (lead.owner as usize + 1) % model.reps.len();
        lead.owner = owner as u16;
        lead.recycled = true;
        let n = model.lead.touches().len() as u16;
        let draw = u64::from(lead.second_stop_draw) << 32;
        let more = model.stop_for(Some(&model.reps[owner]), draw);
        lead.stop = lead.next.saturating_add(more).min(n);
        if !lead.touched {
            // Never touched (cherry-picked): its first touch is still to come.
            self.s.desks[owner].new_leads.push_back(lead);
            return;
        }
        lead.anchor = day as i32 - model.lead.touches()[lead.next as usize].day as i32;
        let due = self.due_day(lead.anchor, lead.next);
        if due < model.calendar.days() {
            self.s.desks[owner].push(due as usize, lead);
        }
    }

    /// Puts a lead in line for its next touch: no earlier than the touch's due day and, when
    /// the cadence spaces it from the previous touch (made on `day`), no earlier than the next
    /// day. A touch due after the horizon is never made.
    fn enqueue(&mut self, lead: Lead, day: u32) {
        let spaced = self.model.spaced[lead.next as usize];
        let due = self
            .due_day(lead.anchor, lead.next)
            .max(day + u32::from(spaced));
        if due < self.model.calendar.days() {
            self.s.desks[desk_of(&lead)].push(due as usize, lead);
        }
    }

    /// The day touch `k` of a lead anchored on `anchor` falls due, snapped to a working day.
    fn due_day(&self, anchor: i32, k: u16) -> u32 {
        let day = anchor + self.model.lead.touches()[k as usize].day as i32;
        self.model.calendar.next_working_day(day.max(0) as u32)
    }

    /// Nurtured leads who responded get their conversation, while a rep has time.
    fn callbacks(&mut self, day: u32) {
        for desk in 0..self.s.desks.len() {
            while let Some(&lead) = self.s.desks[desk].callbacks.front() {
                let Some((rep, minutes)) =
                    self.pick_rep(desk, |run, rep| run.conversation_minutes(&lead, 0, rep))
                else {
                    break;
                };
                self.s.desks[desk].callbacks.pop_front();
                self.reps[rep].today.take(minutes);
                self.totals.funnel.minutes += minutes;
                self.totals.nurture_responses += 1;
                self.reps[rep].counts.minutes += minutes;
                self.converse(&lead, rep, day);
            }
        }
    }

    /// The rep who does the next piece of a desk's work, and its minutes: the desk's rep
    /// (round-robin), or in the shared pool the next rep in turn who has time for it.
    fn pick_rep(
        &mut self,
        desk: usize,
        minutes: impl Fn(&Self, usize) -> f64,
    ) -> Option<(usize, f64)> {
        match self.model.mode {
            RoutingMode::RoundRobin => {
                let m = minutes(self, desk);
                self.reps[desk].today.fits(m).then_some((desk, m))
            }
            RoutingMode::SharedPool => {
                let reps = self.reps.len();
                (0..reps).find_map(|i| {
                    let rep = (self.cursor + i) % reps;
                    let m = minutes(self, rep);
                    self.reps[rep].today.fits(m).then(|| {
                        self.cursor = (rep + 1) % reps;
                        (rep, m)
                    })
                })
            }
        }
    }

    /// Works each desk's due follow-ups while its reps have time: the longest overdue first,
    /// or the highest score first.
    fn follow_ups(&mut self, day: u32) {
        for desk in 0..self.s.desks.len() {
            if self.model.priority == Priority::Score {
                self.sort_by_score(desk, day);
            }
            let mut due = self.s.desks[desk].oldest;
            'days: while due <= day as usize {
                // The bucket is served outside its desk; touches falling due today again (the
                // cadence's same-day touches) are added to it meanwhile, and join it after.
                let mut bucket = std::mem::take(&mut self.s.desks[desk].buckets[due]);
                let mut served = self.s.desks[desk].served[due];
                let mut out_of_time = false;
                loop {
                    if served == bucket.len() {
                        let added = &mut self.s.desks[desk].buckets[due];
                        if added.is_empty() {
                            break;
                        }
                        bucket.append(added);
                    }
                    let lead = bucket[served];
                    let Some((rep, minutes)) =
                        self.pick_rep(desk, |run, rep| run.touch_minutes(&lead, lead.next, rep))
                    else {
                        out_of_time = true;
                        break;
                    };
                    served += 1;
                    self.reps[rep].today.take(minutes);
                    self.account(rep, day, minutes, lead.next..lead.next + 1, &lead);
                    self.after_touch(lead, lead.next, day, rep);
                }
                let d = &mut self.s.desks[desk];
                bucket.append(&mut d.buckets[due]);
                d.buckets[due] = bucket;
                d.served[due] = served;
                if out_of_time {
                    break 'days;
                }
                if due == d.oldest && due < day as usize {
                    d.retire(due);
                    d.oldest += 1;
                }
                due += 1;
            }
        }
    }

    /// Gathers a desk's due leads into today's bucket, highest score first.
    fn sort_by_score(&mut self, desk: usize, day: u32) {
        let s = &mut *self.s;
        let d = &mut s.desks[desk];
        s.by_score.clear();
        for due in d.oldest..=day as usize {
            s.by_score
                .extend_from_slice(&d.buckets[due][d.served[due]..]);
            d.retire(due);
        }
        s.by_score.sort_by(|a, b| b.score.total_cmp(&a.score));
        std::mem::swap(&mut d.buckets[day as usize], &mut s.by_score);
        d.oldest = day as usize;
    }

    /// A conversation with `rep` on `day` and what follows from it inside the horizon.
    fn converse(&mut self, lead: &Lead, rep: usize, day: u32) {
        let stage = self.stage(lead, rep);
        let horizon = f64::from(self.model.calendar.days());
        let set = u32::from(stage >= SET);
        let t = &mut self.totals.funnel;
        t.contacts += 1;
        t.appointments_set += u64::from(set);
        let counts = &mut self.reps[rep].counts;
        counts.conversations += 1;
        counts.appointments_set += set;
        self.record(
            f64::from(day),
            Week {
                contacts: 1,
                appointments_set: set,
                ..Week::default()
            },
        );
        let held = f64::from(day) + self.model.appointment_lag_days;
        if stage < HELD || held >= horizon {
            return;
        }
        let opportunity = u32::from(stage >= OPPORTUNITY);
        self.totals.funnel.appointments_held += 1;
        self.totals.funnel.opportunities += u64::from(opportunity);
        self.record(
            held,
            Week {
                appointments_held: 1,
                opportunities: opportunity,
                ..Week::default()
            },
        );
        let close = held + self.model.cycle_days(u64::from(lead.cycle_draw) << 32);
        if stage == WON && close < horizon {
            self.totals.funnel.deals += 1;
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
    #[inline]
    fn record(&mut self, day: f64, counts: Week) {
        if self.weeks.is_empty() {
            return;
        }
        if let Some(week) = self.weeks.get_mut((day / 7.0) as usize) {
            week.add(&counts);
        }
    }

    /// Due touches not yet made at the end of `day`: overdue follow-ups and new leads waiting
    /// for their first touch. (Nurture responses waiting for a call are not touches.)
    fn backlog(&self, day: u32) -> u32 {
        self.s
            .desks
            .iter()
            .map(|d| {
                let overdue: usize = (d.oldest..=day as usize)
                    .map(|due| d.buckets[due].len() - d.served[due])
                    .sum();
                overdue + d.new_leads.len()
            })
            .sum::<usize>() as u32
    }

    fn finish(mut self) -> CalendarOutcome {
        // Inbound leads still waiting for their first touch are never touched.
        for desk in 0..self.s.desks.len() {
            for i in 0..self.s.desks[desk].new_leads.len() {
                let lead = self.s.desks[desk].new_leads[i];
                self.never_touched(&lead);
            }
        }
        let backlog = self.backlog(self.model.calendar.days() - 1);
        let t = self.totals;
        let outcome = t.funnel.outcome(self.model.lead.deal_size());
        CalendarOutcome {
            outcome,
            weeks: self.weeks,
            reps: self.reps.iter().map(|r| r.counts).collect(),
            first_touch: t.first_touch,
            backlog,
            nurture_responses: t.nurture_responses,
            skipped: t.skipped,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_lead_fits_in_a_cache_line() {
        assert!(std::mem::size_of::<super::Lead>() <= 64);
    }
}
