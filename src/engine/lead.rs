//! The lead model shared by every engine: the cadence with its costs, the exact distribution of
//! each lead's first-conversation touch, the give-up mixture and the funnel.

use super::sampling::InverseCdf;
use crate::reach::{GiveUpMix, Population};
use crate::scenario::{Channel, RoutingMode, Scenario};

/// Conversion rates down the funnel, conversation to won.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FunnelRates {
    pub appointment: f64,
    pub show: f64,
    pub opportunity: f64,
    pub win: f64,
}

impl FunnelRates {
    /// Deals per conversation.
    pub fn deals_per_conversation(&self) -> f64 {
        self.appointment * self.show * self.opportunity * self.win
    }
}

/// One planned touch with what it costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlannedTouch {
    /// Day offset from the lead's first touch.
    pub day: u32,
    pub channel: Channel,
    /// Minutes when the touch reaches nobody.
    pub minutes: f64,
    /// Extra minutes when it becomes the conversation.
    pub conversation_minutes: f64,
}

/// Expected values for one lead worked through the cadence (docs/model.md closed forms).
#[derive(Debug, Clone, PartialEq)]
pub struct PerLead {
    /// Chance of a conversation with the decision maker.
    pub contacts: f64,
    pub touches: f64,
    /// Touches by channel, indexed by [`Channel::index`].
    pub touches_by_channel: [f64; 4],
    /// Prospecting minutes: touches, conversations and bookings.
    pub minutes: f64,
}

/// Everything about a lead that does not depend on time or capacity.
#[derive(Debug, Clone)]
pub struct LeadModel {
    touches: Vec<PlannedTouch>,
    /// Each touch's multiplier on the lead's reachability
    /// ([`crate::scenario::Cadence::multipliers`]).
    multipliers: Vec<f64>,
    population: Population,
    survival: Vec<f64>,
    first_conversation: InverseCdf,
    give_up: GiveUpMix,
    /// Draws a lead's stopping point from the give-up mixture (an index into its points).
    stop_sampler: InverseCdf,
    prefix_minutes: Vec<f64>,
    prefix_dials: Vec<u64>,
    funnel: FunnelRates,
    deal_size: f64,
    booking_minutes: f64,
}

impl LeadModel {
    /// Builds the lead model of a valid scenario.
    pub fn new(scenario: &Scenario) -> Self {
        let reach = &scenario.leads.reachability;
        let cadence = scenario.cadence.expand();
        let touches: Vec<PlannedTouch> = cadence
            .iter()
            .map(|t| {
                let settings = scenario.channels.settings(t.channel);
                PlannedTouch {
                    day: t.day,
                    channel: t.channel,
                    minutes: settings.minutes,
                    conversation_minutes: settings.conversation_minutes,
                }
            })
            .collect();
        let multipliers = scenario
            .cadence
            .multipliers(&scenario.channels, reach.decay);
        let population = Population {
            mean: reach.mean,
            concentration: reach.concentration,
            unreachable: scenario.leads.unreachable,
        };
        let survival = population.survival(&multipliers);
        let first_conversation =
            InverseCdf::new(&survival[1..].iter().map(|s| 1.0 - s).collect::<Vec<f64>>());
        // docs/model.md: a shared pool's queue works the whole cadence, whatever reps would do.
        let give_up = if scenario.routing.mode == RoutingMode::SharedPool {
            &[][..]
        } else {
            &scenario.reps.give_up[..]
        };
        let give_up = GiveUpMix::new(
            give_up.iter().map(|g| (g.after as usize, g.share)),
            touches.len(),
        );
        let mut cumulative = 0.0;
        let stop_thresholds: Vec<f64> = give_up.points()[..give_up.points().len() - 1]
            .iter()
            .map(|&(_, share)| {
                cumulative += share;
                cumulative
            })
            .collect();
        let f = &scenario.funnel;
        LeadModel {
            stop_sampler: InverseCdf::new(&stop_thresholds),
            prefix_minutes: prefix_sums(touches.iter().map(|t| t.minutes)),
            prefix_dials: prefix_sums(touches.iter().map(|t| u64::from(t.channel.is_dial()))),
            touches,
            multipliers,
            population,
            survival,
            first_conversation,
            give_up,
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

    /// The planned touches with their costs.
    pub fn touches(&self) -> &[PlannedTouch] {
        &self.touches
    }

    /// Each touch's multiplier on the lead's reachability: channel and touch response ×
    /// decay^k × the restart's response (see [`crate::reach::touch_chance`] for its chance).
    pub fn multipliers(&self) -> &[f64] {
        &self.multipliers
    }

    /// How reachable the leads are.
    pub fn population(&self) -> &Population {
        &self.population
    }

    /// S(k), k = 0..=n: chance of no conversation in the first k touches.
    pub fn survival(&self) -> &[f64] {
        &self.survival
    }

    /// Samples the 0-based touch of the first conversation from a 64-bit draw; n means none.
    pub fn first_conversation(&self) -> &InverseCdf {
        &self.first_conversation
    }

    /// The give-up mixture over the cadence.
    pub fn give_up(&self) -> &GiveUpMix {
        &self.give_up
    }

    /// The touches a lead is worked at most, drawn from the give-up mixture with `draw`.
    pub fn stop(&self, draw: u64) -> usize {
        match self.give_up.points() {
            // One give-up point (as when reps work the whole cadence): nothing to draw.
            [(only, _)] => *only,
            points => points[self.stop_sampler.sample(draw)].0,
        }
    }

    pub fn funnel(&self) -> FunnelRates {
        self.funnel
    }

    pub fn deal_size(&self) -> f64 {
        self.deal_size
    }

    /// Extra minutes when a conversation books an appointment.
    pub fn booking_minutes(&self) -> f64 {
        self.booking_minutes
    }

    /// Minutes of the first t touches when none reaches anyone, t = 0..=n.
    pub fn prefix_minutes(&self) -> &[f64] {
        &self.prefix_minutes
    }

    /// Dials (call and voicemail touches) among the first t touches, t = 0..=n.
    pub fn prefix_dials(&self) -> &[u64] {
        &self.prefix_dials
    }

    /// The expected contacts, touches and minutes of one lead, exactly.
    pub fn expected_per_lead(&self) -> PerLead {
        let s = &self.survival;
        let mix = &self.give_up;
        let mut touches_by_channel = [0.0; 4];
        for channel in Channel::ALL {
            touches_by_channel[channel.index()] = mix.expected_over_touches(s, |k| {
                f64::from(u8::from(self.touches[k].channel == channel))
            });
        }
        let contacts = mix.contact_probability(s);
        let conversation_minutes: f64 = (0..self.touches.len())
            .map(|k| mix.contact_at(s, k) * self.touches[k].conversation_minutes)
            .sum();
        PerLead {
            contacts,
            touches: mix.expected_touches(s),
            touches_by_channel,
            minutes: mix.expected_over_touches(s, |k| self.touches[k].minutes)
                + conversation_minutes
                + contacts * self.funnel.appointment * self.booking_minutes,
        }
    }
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
