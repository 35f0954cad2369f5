//! One calendar replication, day by day: leads move between the desks and the reps' days,
//! and the ledger counts what they do.

use std::collections::VecDeque;

use super::desk::{CalendarScratch, TeamDay};
use super::lead::{Lead, LeadSource, POOL, Place, Ticket, Waiting};
use super::ledger::Ledger;
use super::{CalendarModel, CalendarOutcome, DAY_MINUTES};
use crate::engine::Replicate;
use crate::engine::rng::{Leap, Stream, leaped};
use crate::scenario::{Priority, RoutingMode};

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
        if let Some(turnover) = &self.turnover {
            // Hires draw from a stream of their own (two long jumps on), apart from every
            // kind of lead's.
            let mut people = leaped(&leaped(stream, Leap::LongJump), Leap::LongJump);
            let seats = self.reps.iter().map(|r| (r.hours_per_day, r.ramp_weeks));
            scratch
                .staffing
                .draw(turnover, &self.calendar, seats, &mut people);
        }
        let mut replication = CalendarReplication {
            model: self,
            scratch,
            team: TeamDay::new(self),
            ledger: Ledger::new(self),
            rotation: 0,
            leads: match self.referrals {
                Some(_) => LeadSource::new(stream).with_referrals(),
                None => LeadSource::new(stream),
            },
            referred_waiting: VecDeque::new(),
        };
        for day in 0..days {
            replication.day(day);
            if self.with_weeks && day % 7 == 6 {
                let backlog = replication.backlog(day);
                replication.ledger.week_backlog(day, backlog);
            }
        }
        replication.finish()
    }
}

/// Leads one rep started in a row on one day whose first day ended at the same place: `made`
/// touches each, taking `minutes` in all.
struct StartedInRow {
    place: Place,
    made: u16,
    leads: u32,
    minutes: f64,
}

/// One calendar replication under way, worked day by day over the horizon.
struct CalendarReplication<'a> {
    model: &'a CalendarModel,
    scratch: &'a mut CalendarScratch,
    team: TeamDay,
    ledger: Ledger,
    /// The rep the next inbound lead goes to (round-robin).
    rotation: usize,
    leads: LeadSource<'a>,
    /// Referred leads due but not yet started, oldest first.
    referred_waiting: VecDeque<Lead>,
}

impl CalendarReplication<'_> {
    fn day(&mut self, day: u32) {
        let model = self.model;
        let mut recycled = std::mem::take(&mut self.scratch.recycle[day as usize]);
        for lead in recycled.drain(..) {
            self.reassign(lead, day);
        }
        self.scratch.recycle[day as usize] = recycled;
        let mut responded = std::mem::take(&mut self.scratch.responses[day as usize]);
        for lead in responded.drain(..) {
            self.scratch.desks[lead.desk()].callbacks.push_back(lead);
        }
        self.scratch.responses[day as usize] = responded;
        if !model.calendar.is_working(day) {
            return;
        }
        if model.arrivals.is_some() {
            self.arrive(day);
        }
        let staffed = model
            .turnover
            .is_some()
            .then_some(self.scratch.staffing.capacity.as_slice());
        self.team.open(model, day, staffed);
        self.new_leads(day);
        self.callbacks(day);
        self.follow_ups(day);
        if model.referrals.is_some() {
            self.referred_leads(day);
        }
        if let Some(list) = model.list {
            self.list_leads(day, list.released_by(day));
        }
        self.team.close();
    }

    /// Today's inbound leads: drawn in arrival order and handed to their owner (round-robin)
    /// or to the pool. A rep who cherry-picks drops a low-scoring lead untouched.
    fn arrive(&mut self, day: u32) {
        let model = self.model;
        let arrivals = model.arrivals.as_ref().expect("inbound leads arrive");
        let mut minutes = std::mem::take(&mut self.scratch.arrival_minutes);
        self.leads.arrival_minutes(arrivals, day, &mut minutes);
        for &minute in &minutes {
            let (mut lead, stop_draw) = self.leads.draw_inbound(model, arrivals, day, minute);
            self.ledger.lead(model, &lead);
            if model.mode == RoutingMode::RoundRobin {
                let owner = self.rotation % model.reps.len();
                self.rotation += 1;
                lead.owner = owner as u16;
                lead.first_owner = owner as u16;
                lead.stop = model.stop_for(lead.group(model), Some(&model.reps[owner]), stop_draw);
                if model
                    .cherry_pick_below
                    .is_some_and(|below| f64::from(lead.score) < below)
                {
                    self.ledger.skip();
                    self.leave(lead, day);
                    continue;
                }
            }
            self.scratch.desks[lead.desk()].new_leads.push_back(lead);
        }
        self.scratch.arrival_minutes = minutes;
    }

    /// Serves new inbound leads in arrival order while a rep has time: the owner (round-robin)
    /// or the rep free soonest (shared pool), no earlier than the lead arrived.
    fn new_leads(&mut self, day: u32) {
        let model = self.model;
        let Some(arrivals) = model.arrivals.as_ref() else {
            return;
        };
        for desk in 0..self.scratch.desks.len() {
            while let Some(&lead) = self.scratch.desks[desk].new_leads.front() {
                let ready = if lead.arrival_day == day {
                    f64::from(lead.arrival_minute)
                } else {
                    0.0
                };
                let delay = |start: f64| {
                    f64::from(day - lead.arrival_day) * DAY_MINUTES + start
                        - f64::from(lead.arrival_minute)
                };
                let eligible = match model.mode {
                    RoutingMode::RoundRobin => desk..desk + 1,
                    RoutingMode::SharedPool => 0..model.reps.len(),
                };
                // Who could start it when: the soonest first, and of those the one with the
                // most time left. Usually that rep has time for it; when not, the others in
                // that order.
                let mut candidates = std::mem::take(&mut self.scratch.candidates);
                candidates.clear();
                for rep in eligible {
                    let state = &self.team.reps[rep];
                    let Some(blocks) = state.blocks else {
                        continue;
                    };
                    let Some(picked) = arrivals.picked_up(blocks, ready) else {
                        continue;
                    };
                    let soonest = picked.max(state.free_at);
                    if let Some(start) = arrivals.in_session(blocks, soonest) {
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
                    let trial = lead.first_touched_after(model, delay(start));
                    let (made, minutes) = trial.first_day_minutes(model, rep);
                    if self.team.reps[rep].today.fits(minutes) {
                        taken = Some((start, rep, trial, made, minutes));
                        break;
                    }
                }
                self.scratch.candidates = candidates;
                let Some((start, rep, lead, made, minutes)) = taken else {
                    break;
                };
                self.scratch.desks[desk].new_leads.pop_front();
                self.ledger
                    .first_touch(delay(start), lead.conversation == 0);
                self.team.reps[rep].free_at = start + minutes;
                self.start(lead, rep, day, made, minutes);
            }
        }
    }

    /// Starts list leads while a rep has time for their first day's touches and the territory
    /// has accounts not yet started (`released` of them may be by today).
    fn list_leads(&mut self, day: u32, released: u64) {
        let model = self.model;
        let mut in_row = None;
        for rep in 0..model.reps.len() {
            let owner = match model.mode {
                RoutingMode::RoundRobin => rep as u16,
                RoutingMode::SharedPool => POOL,
            };
            loop {
                if self.ledger.list_started() >= released {
                    self.ledger.territory_used_up(day);
                    self.count_in_row(in_row.take(), rep, day);
                    return;
                }
                let (lead, stop_draw) = self.leads.draw_list(model, owner, day);
                let (made, minutes) = lead.first_day_minutes(model, rep);
                if !self.team.reps[rep].today.fits(minutes) {
                    self.leads.hold_list(lead, stop_draw);
                    break;
                }
                self.start_in_row(&mut in_row, lead, rep, day, made, minutes);
            }
            self.count_in_row(in_row.take(), rep, day);
        }
    }

    /// Starts the referred leads due by today, oldest first, while their owner (any rep, in a
    /// shared pool) has time for their first day's touches; the rest wait for the next day.
    fn referred_leads(&mut self, day: u32) {
        let model = self.model;
        let mut due = std::mem::take(&mut self.scratch.referred[day as usize]);
        self.referred_waiting.extend(due.drain(..));
        self.scratch.referred[day as usize] = due;
        while let Some(&waiting) = self.referred_waiting.front() {
            let lead = waiting.entering_on(day);
            let reps = match lead.owner {
                POOL => 0..model.reps.len(),
                owner => owner as usize..owner as usize + 1,
            };
            let Some((rep, made, minutes)) = reps
                .map(|rep| {
                    let (made, minutes) = lead.first_day_minutes(model, rep);
                    (rep, made, minutes)
                })
                .find(|&(rep, _, minutes)| self.team.reps[rep].today.fits(minutes))
            else {
                break;
            };
            self.referred_waiting.pop_front();
            self.start(lead, rep, day, made, minutes);
        }
    }

    /// A conversation of `rep`'s on `day` with `lead` may refer a lead, due `lag_days` later
    /// (on the next working day; a lead due today waits for tomorrow's turn), for the same rep
    /// or the pool.
    fn refer(&mut self, lead: &Lead, rep: usize, day: u32) {
        let model = self.model;
        let Some(referrals) = model.referrals else {
            return;
        };
        // A referred lead brings no referral of its own.
        if lead.group == referrals.group || !self.leads.refers(referrals.chance) {
            return;
        }
        let due = model.calendar.next_working_day(day + referrals.lag_days);
        if due >= model.calendar.days() {
            return;
        }
        let owner = match model.mode {
            RoutingMode::RoundRobin => rep as u16,
            RoutingMode::SharedPool => POOL,
        };
        let referred = self.leads.draw_referred(model, referrals.group, owner, due);
        // Referred leads count when referred, as inbound leads do when they arrive.
        self.ledger.lead(model, &referred);
        if due == day {
            // Today's referred leads have had their turn: this one waits for tomorrow's.
            self.referred_waiting.push_back(referred);
        } else {
            self.scratch.referred[due as usize].push(referred);
        }
    }

    /// A lead's first touches, `made` of them taking `minutes`, by `rep` on `day`.
    fn start(&mut self, lead: Lead, rep: usize, day: u32, made: u16, minutes: f64) {
        let mut in_row = None;
        self.start_in_row(&mut in_row, lead, rep, day, made, minutes);
        self.count_in_row(in_row, rep, day);
    }

    /// [`Self::start`] for one of the leads `rep` starts in a row on `day`. Its time is taken
    /// now; its touches are counted and it is put in line for its next touch later, by
    /// [`Self::count_in_row`], together with the leads before it whose first day ended at the
    /// same place (`in_row`).
    fn start_in_row(
        &mut self,
        in_row: &mut Option<StartedInRow>,
        mut lead: Lead,
        rep: usize,
        day: u32,
        made: u16,
        minutes: f64,
    ) {
        self.team.reps[rep].today.take(minutes);
        lead.touched = true;
        // Inbound leads count when they arrive, referred ones when referred; a list lead is an
        // account of the list started.
        if !lead.inbound && !lead.recycled && !self.model.is_referred(&lead) {
            self.ledger.list_lead(self.model, &lead);
        }
        self.ledger.plan(self.model, &lead);
        let Ticket { place, waiting } = self.scratch.slots.keep(lead);
        match in_row {
            Some(row) if row.place == place && row.made == made => {
                row.leads += 1;
                row.minutes += minutes;
            }
            _ => {
                let row = StartedInRow {
                    place,
                    made,
                    leads: 1,
                    minutes,
                };
                self.count_in_row(in_row.replace(row), rep, day);
            }
        }
        if self.after_touch(&place, waiting, made - 1, day, rep) {
            self.scratch.moving.push(waiting);
        }
    }

    /// Counts the first touches of the leads `rep` started in a row on `day`, and puts those
    /// that go on in line for their next touch.
    fn count_in_row(&mut self, in_row: Option<StartedInRow>, rep: usize, day: u32) {
        let Some(row) = in_row else {
            return;
        };
        self.count_touches(rep, day, row.minutes, 0..row.made, row.leads, &row.place);
        let mut moving = std::mem::take(&mut self.scratch.moving);
        if !moving.is_empty() {
            self.enqueue(&row.place.at(row.made), &moving, self.desk_of(rep), day);
            moving.clear();
        }
        self.scratch.moving = moving;
    }

    /// The desk where the leads `rep` works wait: the rep's own (round-robin, where its owner
    /// makes every touch of a lead), or the pool's.
    fn desk_of(&self, rep: usize) -> usize {
        match self.model.mode {
            RoutingMode::RoundRobin => rep,
            RoutingMode::SharedPool => 0,
        }
    }

    /// Counts the touches `ks` of `leads` leads at `place` made by `rep` on `day` in
    /// `minutes`.
    fn count_touches(
        &mut self,
        rep: usize,
        day: u32,
        minutes: f64,
        ks: std::ops::Range<u16>,
        leads: u32,
        place: &Place,
    ) {
        let model = self.model;
        self.ledger
            .touches(model, rep, day, minutes, (ks.clone(), leads), place);
        if model.with_weeks {
            self.ledger.planned_made(model, place, ks, leads);
        }
    }

    /// After touch `k` by `rep` of the lead `waiting` at `place`: its conversation, the owner
    /// giving up or the cadence's end (the lead leaves the desks), or true: it waits for its
    /// next touch.
    fn after_touch(
        &mut self,
        place: &Place,
        waiting: Waiting,
        k: u16,
        day: u32,
        rep: usize,
    ) -> bool {
        let model = self.model;
        let group = &model.groups[usize::from(place.group)];
        if k == waiting.conversation {
            let lead = self.scratch.slots.release(&waiting, k + 1);
            self.ledger.conversation(model, &lead, rep, day, Some(k));
            self.refer(&lead, rep, day);
            false
        } else if k + 1 >= waiting.stop || k + 1 >= group.touches() {
            let lead = self.scratch.slots.release(&waiting, k + 1);
            self.leave(lead, day);
            false
        } else {
            true
        }
    }

    /// A lead leaves its owner unconverted on `day`: to another rep after a while (recycling a
    /// dropped lead), or to nurture. An inbound lead that leaves untouched (skipped) and does
    /// not come back is never touched, and counted so now.
    fn leave(&mut self, lead: Lead, day: u32) {
        let model = self.model;
        let n = lead.group(model).touches();
        let days = model.calendar.days();
        if let Some(after) = model.recycle_after_days
            && !lead.recycled
            && lead.next < n
            && day + after < days
        {
            self.scratch.recycle[(day + after) as usize].push(lead);
            return;
        }
        if !lead.touched {
            self.ledger.never_touched(model, &lead);
        }
        if let Some(nurture) = model.nurture {
            let at = f64::from(day) + nurture.after_days + f64::from(lead.nurture_days);
            if at < f64::from(days) {
                self.scratch.responses[at as usize].push(lead);
            }
        }
    }

    /// Hands a dropped lead to the next rep, who works the rest of the cadence from today with
    /// their own give-up point.
    fn reassign(&mut self, mut lead: Lead, day: u32) {
        let model = self.model;
        let owner = (lead.owner as usize + 1) % model.reps.len();
        lead.owner = owner as u16;
        lead.recycled = true;
        let group = lead.group(model);
        let n = group.touches();
        let draw = u64::from(lead.second_stop_draw) << 32;
        let more = model.stop_for(group, Some(&model.reps[owner]), draw);
        lead.stop = lead.next.saturating_add(more).min(n);
        if !lead.touched {
            // Never touched (cherry-picked): its first touch is still to come.
            self.scratch.desks[owner].new_leads.push_back(lead);
            return;
        }
        lead.anchor = day as i32 - group.lead.touches()[lead.next as usize].day as i32;
        let due = lead.due_day(model, lead.anchor, lead.next);
        if due < model.calendar.days() {
            let Ticket { place, waiting } = self.scratch.slots.keep(lead);
            self.scratch.desks[owner].push(due as usize, place, &[waiting]);
        }
    }

    /// Puts `leads` at `place` in line at `desk` for their next touch: no earlier than the
    /// touch's due day and, when the cadence spaces it from the previous touch (made on
    /// `day`), no earlier than the next day. A touch due after the horizon is never made.
    fn enqueue(&mut self, place: &Place, leads: &[Waiting], desk: usize, day: u32) {
        let model = self.model;
        let group = &model.groups[usize::from(place.group)];
        let spaced = group.spaced[usize::from(place.next)];
        let due = model
            .due_day(group, place.anchor(), place.next)
            .max(day + u32::from(spaced));
        if due < model.calendar.days() {
            self.scratch.desks[desk].push(due as usize, *place, leads);
        } else {
            for waiting in leads {
                self.scratch.slots.free(waiting);
            }
        }
    }

    /// Nurtured leads who responded get their conversation, while a rep has time.
    fn callbacks(&mut self, day: u32) {
        let model = self.model;
        for desk in 0..self.scratch.desks.len() {
            while let Some(&lead) = self.scratch.desks[desk].callbacks.front() {
                let Some((rep, minutes)) = self.team.pick(model.mode, desk, |rep| {
                    lead.conversation_minutes(model, 0, rep)
                }) else {
                    break;
                };
                self.scratch.desks[desk].callbacks.pop_front();
                self.team.reps[rep].today.take(minutes);
                self.ledger
                    .nurture_response(model, &lead, rep, day, minutes);
                self.refer(&lead, rep, day);
            }
        }
    }

    /// Works each desk's due follow-ups while its reps have time: the longest overdue first,
    /// or the highest score first.
    fn follow_ups(&mut self, day: u32) {
        let model = self.model;
        let today = day as usize;
        for desk in 0..self.scratch.desks.len() {
            if model.priority == Priority::Score {
                let scratch = &mut *self.scratch;
                scratch.desks[desk].gather_by_score(today, &mut scratch.by_score, &scratch.slots);
            }
            let mut due = self.scratch.desks[desk].oldest;
            while due <= today {
                let (mut bucket, mut served) = self.scratch.desks[desk].take_due(due);
                let mut out_of_time = false;
                loop {
                    if served.leads == bucket.leads.len()
                        && !self.scratch.desks[desk].refill(due, &mut bucket)
                    {
                        break;
                    }
                    let run = *served.run(&bucket);
                    let leads = &bucket.leads[served.leads..run.end as usize];
                    let done = self.serve(desk, day, &run.place, leads);
                    served.leads += done;
                    if done < leads.len() {
                        out_of_time = true;
                        break;
                    }
                }
                let d = &mut self.scratch.desks[desk];
                d.put_back(due, bucket, served);
                if out_of_time {
                    break;
                }
                d.close(due, today);
                due += 1;
            }
        }
    }

    /// Makes the next touch of `leads`, waiting together at `place` at `desk`, in order while
    /// the desk's reps have time for them; how many it made. What the leads share is worked
    /// out once: the touch's minutes, the count, and the day the rest of them move on to.
    fn serve(&mut self, desk: usize, day: u32, place: &Place, leads: &[Waiting]) -> usize {
        let model = self.model;
        let group = &model.groups[usize::from(place.group)];
        let k = place.next;
        // Left empty by whoever used it last.
        let mut moving = std::mem::take(&mut self.scratch.moving);
        // The touches made in a row by one rep and their minutes, counted when another rep
        // makes one (in a shared pool each touch may be another's) and at the end.
        let mut by_one_rep: Option<(usize, u32, f64)> = None;
        let mut made = 0;
        for &waiting in leads {
            let slots = &self.scratch.slots;
            let Some((rep, minutes)) = self.team.pick(model.mode, desk, |rep| {
                waiting.touch_minutes(model, group, k, rep, slots)
            }) else {
                break;
            };
            made += 1;
            self.team.reps[rep].today.take(minutes);
            match &mut by_one_rep {
                Some((same, touches, spent)) if *same == rep => {
                    *touches += 1;
                    *spent += minutes;
                }
                _ => {
                    if let Some((other, touches, spent)) = by_one_rep.replace((rep, 1, minutes)) {
                        self.count_touches(other, day, spent, k..k + 1, touches, place);
                    }
                }
            }
            if self.after_touch(place, waiting, k, day, rep) {
                moving.push(waiting);
            }
        }
        if let Some((rep, touches, spent)) = by_one_rep {
            self.count_touches(rep, day, spent, k..k + 1, touches, place);
        }
        if !moving.is_empty() {
            self.enqueue(&place.at(k + 1), &moving, desk, day);
            moving.clear();
        }
        self.scratch.moving = moving;
        made
    }

    /// Due touches not yet made at the end of `day`, over every desk.
    fn backlog(&self, day: u32) -> u32 {
        self.scratch
            .desks
            .iter()
            .map(|d| d.backlog(day as usize))
            .sum::<usize>() as u32
    }

    fn finish(mut self) -> CalendarOutcome {
        // Inbound leads still waiting for their first touch are never touched.
        for desk in &self.scratch.desks {
            for lead in &desk.new_leads {
                self.ledger.never_touched(self.model, lead);
            }
        }
        let backlog = self.backlog(self.model.calendar.days() - 1);
        let staffing = self
            .model
            .turnover
            .is_some()
            .then_some(self.scratch.staffing.counts);
        let filled = staffing
            .is_some()
            .then_some(self.scratch.staffing.filled_by_week.as_slice());
        self.ledger.outcome(self.model, backlog, staffing, filled)
    }
}
