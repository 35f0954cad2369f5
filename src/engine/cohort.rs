//! The cohort engine: `leads.count` leads worked through the cadence with no limit on the
//! reps' time (docs/model.md, "Two ways to run").
//!
//! Leads are independent, so a replication needs one 64-bit draw per lead: the touch of the
//! lead's first conversation K, by inversion of its exact distribution (the survival table
//! of [`crate::reach`], with the Beta reachability, the unreachable share, decay and channel
//! responses integrated out). The histogram of K then fixes everything else: each bin is split
//! over the give-up points, and the funnel stages are binomial thinnings of the contacts. All
//! of it is exact in distribution, with no per-lead allocation.

use rand::Rng;
use rand_distr::{Binomial, Distribution};

use super::counts::{FunnelCounts, SegmentedOutcome};
use super::lead::LeadModel;
use super::rng::{Stream, split_off};
use super::sampling::{binomial_quantile, unit_interval};
use crate::scenario::Scenario;

/// A cohort: `leads.count` leads, shared out over the scenario's groups of leads, and the
/// leads their conversations refer.
#[derive(Debug, Clone)]
pub struct CohortModel {
    groups: Vec<CohortGroup>,
    leads: u64,
    /// The referred leads' model and the chance a conversation refers one (referrals on).
    referred: Option<(CohortGroup, f64)>,
}

/// One group's leads of a cohort and the model they follow.
#[derive(Debug, Clone)]
struct CohortGroup {
    lead: LeadModel,
    leads: u64,
}

impl CohortModel {
    /// Builds the model of a valid scenario. Each group of leads gets its share of
    /// `leads.count` by largest remainder: its share rounded down, and the leads left over one
    /// each to the groups with the largest remainders (the first of equal ones).
    pub fn new(scenario: &Scenario) -> Self {
        let all = scenario.lead_groups();
        let referred = all.iter().find(|g| g.shares.referred > 0.0).map(|g| {
            let lead = LeadModel::new(&g.scenario);
            (
                CohortGroup { lead, leads: 0 },
                scenario.referrals.per_conversation,
            )
        });
        let groups: Vec<_> = all.into_iter().filter(|g| g.shares.list > 0.0).collect();
        let shares: Vec<f64> = groups.iter().map(|g| g.shares.list).collect();
        let counts = largest_remainder(&shares, scenario.leads.count);
        CohortModel {
            groups: groups
                .iter()
                .zip(counts)
                .map(|(group, leads)| CohortGroup {
                    lead: LeadModel::new(&group.scenario),
                    leads,
                })
                .collect(),
            leads: scenario.leads.count,
            referred,
        }
    }

    /// Leads per replication.
    pub fn leads(&self) -> u64 {
        self.leads
    }

    /// The model of each lead (of the first group's, when the scenario has segments).
    pub fn lead(&self) -> &LeadModel {
        &self.groups[0].lead
    }

    /// Each group's lead model and its leads per replication, in the scenario's order.
    pub fn groups(&self) -> impl Iterator<Item = (&LeadModel, u64)> {
        self.groups.iter().map(|g| (&g.lead, g.leads))
    }
}

/// `total` shared out in proportion to `shares` (which add up to 1) by largest remainder.
pub fn largest_remainder(shares: &[f64], total: u64) -> Vec<u64> {
    let quotas: Vec<f64> = shares.iter().map(|s| s * total as f64).collect();
    let mut counts: Vec<u64> = quotas.iter().map(|q| q.floor() as u64).collect();
    let left = total.saturating_sub(counts.iter().sum());
    let mut by_remainder: Vec<usize> = (0..shares.len()).collect();
    by_remainder.sort_by(|&a, &b| {
        let remainder = |i: usize| quotas[i] - quotas[i].floor();
        remainder(b).total_cmp(&remainder(a)).then(a.cmp(&b))
    });
    for &i in by_remainder.iter().cycle().take(left as usize) {
        counts[i] += 1;
    }
    counts
}

impl super::Replicate for CohortModel {
    type Output = SegmentedOutcome;
    type Scratch = Vec<Scratch>;

    fn scratch(&self) -> Vec<Scratch> {
        self.groups
            .iter()
            .map(|group| &group.lead)
            .chain(self.referred.as_ref().map(|(group, _)| &group.lead))
            .map(|lead| {
                let bins = lead.first_conversation().outcomes();
                Scratch {
                    lanes: vec![[0; LANES]; bins],
                    counts: vec![0; bins],
                }
            })
            .collect()
    }

    fn replicate(&self, stream: &mut Stream, scratch: &mut Vec<Scratch>) -> SegmentedOutcome {
        // The give-up splits and the funnel draw from sub-streams of their own, so the funnel's
        // numbers are the same in every variant of a comparison, however long its cadence. (The
        // give-up splits are binomial draws per touch, paired only loosely across variants.)
        let mut give_up_stream = split_off(stream);
        let mut funnel_stream = split_off(stream);
        let mut counts: Vec<FunnelCounts> = self
            .groups
            .iter()
            .zip(scratch.iter_mut())
            .map(|(group, scratch)| {
                let mut streams = (&mut *stream, &mut give_up_stream, &mut funnel_stream);
                group.replicate(group.leads, &mut streams, scratch)
            })
            .collect();
        if let Some((group, chance)) = &self.referred {
            // One referred lead per referring conversation, drawn only with referrals on.
            let conversations: u64 = counts.iter().map(|c| c.contacts).sum();
            let leads = binomial_quantile(conversations, *chance, unit_interval(stream.next_u64()));
            let scratch = scratch
                .last_mut()
                .expect("the referred leads have their scratch");
            let mut streams = (&mut *stream, &mut give_up_stream, &mut funnel_stream);
            counts.push(group.replicate(leads, &mut streams, scratch));
        }
        SegmentedOutcome::of(&counts)
    }
}

impl CohortGroup {
    /// `leads` of the group's leads in one replication: their first conversations from the
    /// first stream, the give-up splits from the second and the funnel from the third.
    fn replicate(
        &self,
        leads: u64,
        (stream, give_up_stream, funnel_stream): &mut (&mut Stream, &mut Stream, &mut Stream),
        scratch: &mut Scratch,
    ) -> FunnelCounts {
        let first_touch_counts = self.count_first_conversations(leads, stream, scratch);
        let lead = &self.lead;
        let n = lead.touches().len();
        let mut counts = FunnelCounts {
            leads,
            ..FunnelCounts::default()
        };
        for (k, &leads) in first_touch_counts.iter().enumerate() {
            if leads == 0 {
                continue;
            }
            // The cadence schedules touches up to the conversation (or all n without one).
            let scheduled = (k + 1).min(n);
            counts.planned += leads * scheduled as u64;
            // Split the bin over the give-up points: a lead stopped after g < scheduled
            // touches makes g of them and, when the conversation was due later, misses it.
            let mut left = leads;
            let mut share_left = 1.0;
            for &(after, share) in lead.give_up().points() {
                if after >= scheduled || left == 0 {
                    break;
                }
                let stopped = binomial(give_up_stream, left, share / share_left);
                work(&mut counts, lead, stopped, after);
                left -= stopped;
                share_left -= share;
            }
            work(&mut counts, lead, left, scheduled);
            if k < n {
                counts.contacts += left;
                counts.minutes += left as f64 * lead.touches()[k].conversation_minutes;
            }
        }
        // Each stage by inversion from one uniform: more trials never give fewer successes.
        let funnel = lead.funnel();
        let mut thin =
            |n: u64, p: f64| binomial_quantile(n, p, unit_interval(funnel_stream.next_u64()));
        counts.appointments_set = thin(counts.contacts, funnel.appointment);
        counts.appointments_held = thin(counts.appointments_set, funnel.show);
        counts.opportunities = thin(counts.appointments_held, funnel.opportunity);
        counts.deals = thin(counts.opportunities, funnel.win);
        counts.minutes += counts.appointments_set as f64 * lead.booking_minutes();
        counts.priced(lead.deal_size())
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

impl CohortGroup {
    /// Draws `leads` leads' first-conversation touches and returns the histogram: entry k
    /// counts leads first reached on touch k + 1, entry n those not reached.
    fn count_first_conversations<'a>(
        &self,
        leads: u64,
        stream: &mut Stream,
        scratch: &'a mut Scratch,
    ) -> &'a [u64] {
        scratch.lanes.fill([0; LANES]);
        let lanes = &mut scratch.lanes;
        let sampler = self.lead.first_conversation();
        for _ in 0..leads / LANES as u64 {
            let bins: [usize; LANES] = std::array::from_fn(|_| sampler.sample(stream.next_u64()));
            for (lane, bin) in bins.into_iter().enumerate() {
                lanes[bin][lane] += 1;
            }
        }
        for _ in 0..leads % LANES as u64 {
            lanes[sampler.sample(stream.next_u64())][0] += 1;
        }
        for (count, lane) in scratch.counts.iter_mut().zip(lanes.iter()) {
            *count = lane.iter().sum();
        }
        &scratch.counts
    }
}

/// `leads` leads each make their first `touches` touches.
fn work(counts: &mut FunnelCounts, lead: &LeadModel, leads: u64, touches: usize) {
    counts.touches += leads * touches as u64;
    counts.dials += leads * lead.prefix_dials()[touches];
    counts.minutes += leads as f64 * lead.prefix_minutes()[touches];
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
