//! Where work waits and who does it: a desk holds the due touches of one rep (round-robin) or
//! of the whole team (shared pool), and each rep's day holds the time they have left.

use std::collections::VecDeque;

use super::lead::{Lead, Place, Ticket, Waiting};
use super::staffing::Staffing;
use super::time::{Capacity, Day};
use super::{Blocks, CalendarModel};
use crate::scenario::RoutingMode;

/// The largest bucket kept for reuse, in leads.
const MAX_SPARE_LEADS: usize = 4096;

/// Leads waiting in a row at one place: a bucket's leads from the end of the run before to
/// `end`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    pub(super) place: Place,
    pub(super) end: u32,
}

/// The leads whose next touch falls due on one day, in the order they came: as runs of leads
/// at the same place (leads started together stay together), so that serving reads each
/// lead's 8 bytes in sequence and works out what the run shares once.
#[derive(Debug, Default)]
pub(super) struct Bucket {
    pub(super) runs: Vec<Run>,
    pub(super) leads: Vec<Waiting>,
}

impl Bucket {
    /// Adds `leads` at `place` after the bucket's last lead.
    pub(super) fn push(&mut self, place: Place, leads: &[Waiting]) {
        self.leads.extend_from_slice(leads);
        let end = self.leads.len() as u32;
        match self.runs.last_mut() {
            Some(last) if last.place == place => last.end = end,
            _ => self.runs.push(Run { place, end }),
        }
    }

    /// Moves every lead of `other` after the bucket's last, in order.
    fn append(&mut self, other: &mut Bucket) {
        let base = self.leads.len() as u32;
        self.runs.extend(other.runs.drain(..).map(|run| Run {
            end: base + run.end,
            ..run
        }));
        self.leads.append(&mut other.leads);
    }

    fn clear(&mut self) {
        self.runs.clear();
        self.leads.clear();
    }

    /// Every lead from the `served`-th on, as tickets.
    fn tickets_from(&self, served: usize) -> impl Iterator<Item = Ticket> + '_ {
        let mut start = 0;
        self.runs.iter().flat_map(move |run| {
            let from = start.max(served);
            start = run.end as usize;
            self.leads[from.min(start)..start]
                .iter()
                .map(move |&waiting| Ticket {
                    place: run.place,
                    waiting,
                })
        })
    }
}

/// How far serving has gone through a bucket: its leads served, and the run of the next.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Served {
    pub(super) leads: usize,
    run: usize,
}

impl Served {
    /// The run of the next lead to serve, its leads served so far left behind.
    pub(super) fn run<'b>(&mut self, bucket: &'b Bucket) -> &'b Run {
        while bucket.runs[self.run].end as usize <= self.leads {
            self.run += 1;
        }
        &bucket.runs[self.run]
    }
}

/// The work waiting for one rep (round-robin) or for the whole team (shared pool).
#[derive(Debug, Default)]
pub(super) struct Desk {
    /// Leads waiting for their next touch, by the day it falls due.
    buckets: Vec<Bucket>,
    /// How far each bucket has been served.
    served: Vec<Served>,
    /// The oldest day with leads left unserved.
    pub(super) oldest: usize,
    /// Inbound leads waiting for their first touch, in arrival order.
    pub(super) new_leads: VecDeque<Lead>,
    /// Nurtured leads who responded, waiting for their conversation.
    pub(super) callbacks: VecDeque<Lead>,
    /// Emptied buckets, kept for reuse: memory holds the leads waiting, not every touch made.
    spare: Vec<Bucket>,
}

impl Desk {
    /// Empties a served bucket into the spare pool.
    fn retire(&mut self, due: usize) {
        let mut bucket = std::mem::take(&mut self.buckets[due]);
        // A bucket that once held a whole backlog (score priority gathers it into one) is
        // freed rather than kept.
        if (1..=MAX_SPARE_LEADS).contains(&bucket.leads.capacity()) {
            bucket.clear();
            self.spare.push(bucket);
        }
        self.served[due] = Served::default();
    }

    /// Adds `leads` at `place` to the bucket of day `due`, reusing a spare bucket for a day's
    /// first.
    pub(super) fn push(&mut self, due: usize, place: Place, leads: &[Waiting]) {
        let bucket = &mut self.buckets[due];
        if bucket.leads.capacity() == 0 {
            *bucket = self.spare.pop().unwrap_or_default();
        }
        bucket.push(place, leads);
    }

    /// Takes out the bucket of day `due` to serve it, with how far it is served. Touches
    /// falling due that day meanwhile (the cadence's same-day touches) go into a new bucket,
    /// and join the one taken out through [`Desk::refill`] and [`Desk::put_back`].
    pub(super) fn take_due(&mut self, due: usize) -> (Bucket, Served) {
        (std::mem::take(&mut self.buckets[due]), self.served[due])
    }

    /// Moves the leads added to day `due` since it was taken out to the end of `bucket`;
    /// false when there are none.
    pub(super) fn refill(&mut self, due: usize, bucket: &mut Bucket) -> bool {
        let added = &mut self.buckets[due];
        if added.leads.is_empty() {
            return false;
        }
        bucket.append(added);
        true
    }

    /// Puts back a bucket taken out, `served` as far as it is, with the leads added since.
    pub(super) fn put_back(&mut self, due: usize, mut bucket: Bucket, served: Served) {
        bucket.append(&mut self.buckets[due]);
        self.buckets[due] = bucket;
        self.served[due] = served;
    }

    /// Retires day `due`, all of it served, when it is the oldest left and before `today`.
    pub(super) fn close(&mut self, due: usize, today: usize) {
        if due == self.oldest && due < today {
            self.retire(due);
            self.oldest += 1;
        }
    }

    /// Gathers the due leads (the rest of them in `slots`) into today's bucket, highest score
    /// first, sorting in `by_score`.
    pub(super) fn gather_by_score(
        &mut self,
        today: usize,
        by_score: &mut Vec<Ticket>,
        slots: &LeadSlots,
    ) {
        by_score.clear();
        for due in self.oldest..=today {
            by_score.extend(self.buckets[due].tickets_from(self.served[due].leads));
            self.retire(due);
        }
        by_score.sort_by(|a, b| {
            let score = |t: &Ticket| slots.lead(&t.waiting).score;
            score(b).total_cmp(&score(a))
        });
        for ticket in by_score.iter() {
            self.push(today, ticket.place, &[ticket.waiting]);
        }
        self.oldest = today;
    }

    /// Due touches not yet made at the end of `day`: overdue follow-ups and new leads waiting
    /// for their first touch. (Nurture responses waiting for a call are not touches.)
    pub(super) fn backlog(&self, day: usize) -> usize {
        let overdue: usize = (self.oldest..=day)
            .map(|due| self.buckets[due].leads.len() - self.served[due].leads)
            .sum();
        overdue + self.new_leads.len()
    }
}

/// The leads waiting at the desks, each in a slot its ticket names. A lead leaving the desks
/// frees its slot for the next, so the slots number the leads waiting, not all leads.
#[derive(Debug, Default)]
pub(super) struct LeadSlots {
    leads: Vec<Lead>,
    free: Vec<u32>,
}

impl LeadSlots {
    /// Keeps `lead` in a slot, and gives its ticket.
    pub(super) fn keep(&mut self, lead: Lead) -> Ticket {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.leads[slot as usize] = lead;
                slot
            }
            None => {
                self.leads.push(lead);
                (self.leads.len() - 1) as u32
            }
        };
        Ticket::new(&lead, slot)
    }

    /// The lead of `waiting` (its `next` aside: its place's is the one that counts).
    #[inline]
    pub(super) fn lead(&self, waiting: &Waiting) -> &Lead {
        &self.leads[waiting.slot as usize]
    }

    /// Takes the lead of `waiting` out of its slot, with `next` its next touch.
    pub(super) fn release(&mut self, waiting: &Waiting, next: u16) -> Lead {
        self.free.push(waiting.slot);
        let mut lead = self.leads[waiting.slot as usize];
        lead.next = next;
        lead
    }

    /// Frees the slot of a lead that leaves without a word (its next touch past the horizon).
    pub(super) fn free(&mut self, waiting: &Waiting) {
        self.free.push(waiting.slot);
    }

    fn clear(&mut self) {
        self.leads.clear();
        self.free.clear();
    }
}

/// Reusable per-thread buffers of the calendar engine.
#[derive(Debug, Default)]
pub struct CalendarScratch {
    pub(super) desks: Vec<Desk>,
    /// The leads whose tickets wait at the desks.
    pub(super) slots: LeadSlots,
    /// Leads to hand to another rep, by day.
    pub(super) recycle: Vec<Vec<Lead>>,
    /// Nurtured leads responding, by day.
    pub(super) responses: Vec<Vec<Lead>>,
    /// Referred leads due to be started, by day.
    pub(super) referred: Vec<Vec<Lead>>,
    /// Due leads sorted by score.
    pub(super) by_score: Vec<Ticket>,
    /// The leads of a run, or of leads started in a row, going on together to their next
    /// touch; empty between uses.
    pub(super) moving: Vec<Waiting>,
    /// Reps who could take a new lead: (start, minus the time they have left, rep).
    pub(super) candidates: Vec<(f64, f64, usize)>,
    /// The minutes of the day at which today's inbound leads arrive.
    pub(super) arrival_minutes: Vec<f64>,
    /// Who fills each seat in this replication, when reps can leave.
    pub(super) staffing: Staffing,
}

impl CalendarScratch {
    /// Empties the buffers for a replication of `desks` desks over `days` days.
    pub(super) fn reset(&mut self, desks: usize, days: usize) {
        self.desks.resize_with(desks, Desk::default);
        for desk in &mut self.desks {
            desk.buckets.resize_with(days, Bucket::default);
            desk.served.resize(days, Served::default());
            for due in 0..days {
                if desk.buckets[due].leads.capacity() > 0 {
                    desk.retire(due);
                }
            }
            desk.served.fill(Served::default());
            desk.oldest = 0;
            desk.new_leads.clear();
            desk.callbacks.clear();
        }
        self.slots.clear();
        for by_day in [&mut self.recycle, &mut self.responses, &mut self.referred] {
            by_day.resize_with(days, Vec::new);
            by_day.iter_mut().for_each(Vec::clear);
        }
    }
}

/// One rep's working day.
pub(super) struct RepDay {
    pub(super) today: Day,
    /// Minutes borrowed from the days ahead by an overrun.
    owed: f64,
    /// The minute of the working day when the rep is free for the next new lead.
    pub(super) free_at: f64,
    /// Today's prospecting blocks, when inbound leads arrive (`None`: no time today).
    pub(super) blocks: Option<Blocks>,
}

/// The team's working day: each rep's, and whose turn it is in the shared pool.
pub(super) struct TeamDay {
    pub(super) reps: Vec<RepDay>,
    /// The rep the shared pool offers the next touch to first.
    cursor: usize,
}

impl TeamDay {
    /// The team of `model`, before its first day.
    pub(super) fn new(model: &CalendarModel) -> Self {
        TeamDay {
            reps: model
                .reps
                .iter()
                .map(|_| RepDay {
                    today: Day {
                        left: 0.0,
                        worked: true,
                        later: 0.0,
                    },
                    owed: 0.0,
                    free_at: 0.0,
                    blocks: None,
                })
                .collect(),
            cursor: 0,
        }
    }

    /// Opens working day `day`: each rep's minutes, less what an overrun took from them. A
    /// replication whose seats turn over gives each rep's capacity as `staffed`.
    pub(super) fn open(&mut self, model: &CalendarModel, day: u32, staffed: Option<&[Capacity]>) {
        let reps = model.reps.len();
        for (i, (rep, state)) in model.reps.iter().zip(&mut self.reps).enumerate() {
            let capacity = staffed.map_or(&rep.capacity, |seats| &seats[i]);
            let minutes = capacity.minutes[day as usize];
            let left = minutes - state.owed;
            state.today = Day {
                left,
                // A day already spent on an earlier overrun has no overrun of its own.
                worked: left <= 0.0,
                later: capacity.later[day as usize],
            };
            state.free_at = 0.0;
            state.blocks = model
                .arrivals
                .as_ref()
                .and_then(|arrivals| arrivals.blocks(i, reps, minutes));
        }
    }

    /// Closes the day: an overrun is owed by the days ahead.
    pub(super) fn close(&mut self) {
        for state in &mut self.reps {
            state.owed = (-state.today.left).max(0.0);
        }
    }

    /// The rep who does the next piece of a desk's work, and its minutes (`minutes` of a rep):
    /// the desk's rep (round-robin), or in the shared pool the next rep in turn who has time
    /// for it.
    pub(super) fn pick(
        &mut self,
        mode: RoutingMode,
        desk: usize,
        minutes: impl Fn(usize) -> f64,
    ) -> Option<(usize, f64)> {
        match mode {
            RoutingMode::RoundRobin => {
                let m = minutes(desk);
                self.reps[desk].today.fits(m).then_some((desk, m))
            }
            RoutingMode::SharedPool => {
                let reps = self.reps.len();
                (0..reps).find_map(|i| {
                    let rep = (self.cursor + i) % reps;
                    let m = minutes(rep);
                    self.reps[rep].today.fits(m).then(|| {
                        self.cursor = (rep + 1) % reps;
                        (rep, m)
                    })
                })
            }
        }
    }
}
