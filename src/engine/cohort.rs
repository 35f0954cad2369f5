//! The cohort engine: `leads.count` leads worked through the cadence with no limit on the
//! reps' time (MODEL.md §3, "Two ways to run").
//!
//! Leads are independent, so a replication needs one 64-bit draw per lead: the touch of the
//! lead's first conversation K, by inversion of its exact distribution (the survival table
//! of [`crate::reach`], with the Beta reachability, the unreachable share, decay and channel
//! responses integrated out). The histogram of K then fixes everything else: each bin is split
//! over the give-up points, and the funnel stages are binomial thinnings of the contacts. All
//! of it is exact in distribution, with no per-lead allocation.

use rand::Rng;
use rand_distr::{Binomial, Distribution};

use super::rng::Stream;
use super::sampling::InverseCdf;
use crate::reach::{GiveUpMix, Population};
use crate::scenario::{Channel, Scenario, Touch};
use crate::stats::{Metric, Outcome};

/// Conversion rates down the funnel, conversation to won.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FunnelRates {
    pub appointment: f64,
    pub show: f64,
    pub opportunity: f64,
    pub win: f64,
}

/// Everything a cohort replication needs, precomputed from a scenario.
#[derive(Debug, Clone)]
pub struct CohortModel {
    leads: u64,
    cadence: Vec<Touch>,
    /// S(k), k = 0..=n: chance of no conversation in the first k touches.
    survival: Vec<f64>,
    /// Samples the 0-based touch of the first conversation; n means none.
    first_conversation: InverseCdf,
    give_up: GiveUpMix,
    /// Minutes of the first t touches when none of them reaches anyone, t = 0..=n.
    prefix_minutes: Vec<f64>,
    /// Calls among the first t touches, t = 0..=n.
    prefix_dials: Vec<u64>,
    /// Extra minutes when touch k (0-based) becomes the conversation.
    conversation_minutes: Vec<f64>,
    funnel: FunnelRates,
    deal_size: f64,
    booking_minutes: f64,
}

impl CohortModel {
    /// Builds the model of a valid scenario.
    pub fn new(scenario: &Scenario) -> Self {
        let cadence = scenario.cadence.expand();
        let reach = &scenario.leads.reachability;
        let settings = |channel: Channel| match channel {
            Channel::Call => &scenario.channels.call,
            Channel::Voicemail => &scenario.channels.voicemail,
            Channel::Email => &scenario.channels.email,
            Channel::Inmail => &scenario.channels.inmail,
        };
        let multipliers: Vec<f64> = cadence
            .iter()
            .zip(0i32..)
            .map(|(touch, k)| settings(touch.channel).response * reach.decay.powi(k))
            .collect();
        let population = Population {
            mean: reach.mean,
            concentration: reach.concentration,
            unreachable: scenario.leads.unreachable,
        };
        let survival = population.survival(&multipliers);
        let first_conversation =
            InverseCdf::new(&survival[1..].iter().map(|s| 1.0 - s).collect::<Vec<f64>>());
        let give_up = GiveUpMix::new(
            scenario
                .reps
                .give_up
                .iter()
                .map(|g| (g.after as usize, g.share)),
            cadence.len(),
        );
        let prefix_minutes = prefix_sums(cadence.iter().map(|t| settings(t.channel).minutes));
        let prefix_dials = prefix_sums(
            cadence
                .iter()
                .map(|t| u64::from(t.channel == Channel::Call)),
        );
        let conversation_minutes = cadence
            .iter()
            .map(|t| settings(t.channel).conversation_minutes)
            .collect();
        let f = &scenario.funnel;
        CohortModel {
            leads: scenario.leads.count,
            cadence,
            survival,
            first_conversation,
            give_up,
            prefix_minutes,
            prefix_dials,
            conversation_minutes,
            funnel: FunnelRates {
                appointment: f.appointment_rate,
                show: f.show_rate,
                opportunity: f.opportunity_rate,
                win: f.win_rate,
            },
            deal_size: f.deal_size,
            booking_minutes: f.booking_minutes,
        }
    }

    /// Leads per replication.
    pub fn leads(&self) -> u64 {
        self.leads
    }

    /// The planned touches.
    pub fn cadence(&self) -> &[Touch] {
        &self.cadence
    }

    /// S(k), k = 0..=n, for the whole population.
    pub fn survival(&self) -> &[f64] {
        &self.survival
    }

    /// The give-up mixture over the cadence.
    pub fn give_up(&self) -> &GiveUpMix {
        &self.give_up
    }

    /// The funnel's conversion rates.
    pub fn funnel(&self) -> FunnelRates {
        self.funnel
    }

    /// Scratch space one replication needs (reuse it across replications).
    pub fn scratch(&self) -> Scratch {
        let bins = self.first_conversation.outcomes();
        Scratch {
            lanes: vec![[0; LANES]; bins],
            counts: vec![0; bins],
        }
    }

    /// Simulates one replication from its stream. `scratch` comes from [`Self::scratch`].
    pub fn replicate(&self, stream: &mut Stream, scratch: &mut Scratch) -> Outcome {
        let first_touch_counts = self.count_first_conversations(stream, scratch);
        let n = self.cadence.len();
        let mut tally = Tally::default();
        for (k, &leads) in first_touch_counts.iter().enumerate() {
            if leads == 0 {
                continue;
            }
            // The cadence schedules touches up to the conversation (or all n without one).
            let scheduled = (k + 1).min(n);
            tally.planned += leads * scheduled as u64;
            // Split the bin over the give-up points: a lead stopped after g < scheduled
            // touches makes g of them and, when the conversation was due later, misses it.
            let mut left = leads;
            let mut share_left = 1.0;
            for &(after, share) in self.give_up.points() {
                if after >= scheduled || left == 0 {
                    break;
                }
                let stopped = binomial(stream, left, share / share_left);
                tally.work(self, stopped, after);
                left -= stopped;
                share_left -= share;
            }
            tally.work(self, left, scheduled);
            if k < n {
                tally.contacts += left;
                tally.minutes += left as f64 * self.conversation_minutes[k];
            }
        }
        let appointments_set = binomial(stream, tally.contacts, self.funnel.appointment);
        let appointments_held = binomial(stream, appointments_set, self.funnel.show);
        let opportunities = binomial(stream, appointments_held, self.funnel.opportunity);
        let deals = binomial(stream, opportunities, self.funnel.win);
        tally.minutes += appointments_set as f64 * self.booking_minutes;

        let mut outcome = Outcome::default();
        outcome.set(Metric::Leads, self.leads as f64);
        outcome.set(Metric::Touches, tally.touches as f64);
        outcome.set(Metric::Dials, tally.dials as f64);
        outcome.set(Metric::Contacts, tally.contacts as f64);
        outcome.set(Metric::AppointmentsSet, appointments_set as f64);
        outcome.set(Metric::AppointmentsHeld, appointments_held as f64);
        outcome.set(Metric::Opportunities, opportunities as f64);
        outcome.set(Metric::Deals, deals as f64);
        outcome.set(Metric::Revenue, deals as f64 * self.deal_size);
        outcome.set(Metric::ProspectingHours, tally.minutes / 60.0);
        outcome.set(
            Metric::Penetration,
            100.0 * tally.touches as f64 / tally.planned as f64,
        );
        outcome
    }
}

/// Interleaved histograms: most leads fall in the same bin (no conversation), and counting
/// them in one array would chain every increment on the previous store.
const LANES: usize = 4;

/// Reusable per-thread buffers of the cohort engine.
#[derive(Debug, Clone)]
pub struct Scratch {
    lanes: Vec<[u64; LANES]>,
    counts: Vec<u64>,
}

impl CohortModel {
    /// Draws every lead's first-conversation touch and returns the histogram: entry k counts
    /// leads first reached on touch k + 1, entry n those not reached.
    fn count_first_conversations<'a>(
        &self,
        stream: &mut Stream,
        scratch: &'a mut Scratch,
    ) -> &'a [u64] {
        scratch.lanes.fill([0; LANES]);
        let lanes = &mut scratch.lanes;
        for _ in 0..self.leads / LANES as u64 {
            let bins: [usize; LANES] =
                std::array::from_fn(|_| self.first_conversation.sample(stream.next_u64()));
            for (lane, bin) in bins.into_iter().enumerate() {
                lanes[bin][lane] += 1;
            }
        }
        for _ in 0..self.leads % LANES as u64 {
            lanes[self.first_conversation.sample(stream.next_u64())][0] += 1;
        }
        for (count, lane) in scratch.counts.iter_mut().zip(lanes.iter()) {
            *count = lane.iter().sum();
        }
        &scratch.counts
    }
}

/// Running totals of one replication.
#[derive(Debug, Default)]
struct Tally {
    touches: u64,
    dials: u64,
    contacts: u64,
    planned: u64,
    minutes: f64,
}

impl Tally {
    /// `leads` leads each make their first `touches` touches.
    fn work(&mut self, model: &CohortModel, leads: u64, touches: usize) {
        self.touches += leads * touches as u64;
        self.dials += leads * model.prefix_dials[touches];
        self.minutes += leads as f64 * model.prefix_minutes[touches];
    }
}

/// A Binomial(n, p) draw; p is a validated rate, kept inside [0, 1] against rounding.
fn binomial(stream: &mut Stream, n: u64, p: f64) -> u64 {
    if n == 0 {
        return 0;
    }
    Binomial::new(n, p.clamp(0.0, 1.0))
        .expect("a probability in [0, 1] is a valid binomial parameter")
        .sample(stream)
}

/// [0, x0, x0 + x1, …]: the running totals of a sequence, starting at zero.
fn prefix_sums<T: Copy + Default + std::ops::Add<Output = T>>(
    values: impl Iterator<Item = T>,
) -> Vec<T> {
    let mut sums = vec![T::default()];
    let mut total = T::default();
    for v in values {
        total = total + v;
        sums.push(total);
    }
    sums
}
