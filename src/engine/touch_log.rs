//! One replication of a cohort drawn lead by lead, touch by touch: what a call log of the
//! scenario would hold. Each lead's first-conversation touch comes from the same exact
//! distribution the cohort engine uses, its stopping point from the give-up mixture, and its
//! appointment from the funnel, so a log read back by `calibrate` recovers the scenario.

use rand::Rng;

use super::lead::LeadModel;
use super::rng::replication_stream;
use super::sampling::unit_interval;
use crate::scenario::Channel;

/// One touch of the simulated log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedTouch {
    /// The lead, numbered from 0.
    pub lead: u64,
    /// The touch's place in the cadence, from 0.
    pub touch: usize,
    /// The cadence day of the touch.
    pub day: u32,
    pub channel: Channel,
    /// Whether the touch reached the decision maker.
    pub conversation: bool,
    /// Whether that conversation set a first-time appointment.
    pub appointment: bool,
}

/// Works `leads` leads of `lead` through the cadence under `seed` (replication 0's stream),
/// passing every touch made to `each` in lead order, each lead's touches in cadence order.
pub fn cohort_touches(lead: &LeadModel, leads: u64, seed: u64, mut each: impl FnMut(LoggedTouch)) {
    let mut stream = replication_stream(seed, 0);
    let cadence = lead.touches();
    let n = cadence.len();
    for id in 0..leads {
        let first_conversation = lead.first_conversation().sample(stream.next_u64());
        let stop = lead.stop(stream.next_u64()).min(n);
        let appointment = unit_interval(stream.next_u64()) < lead.funnel().appointment;
        let reached = first_conversation < stop;
        let made = if reached {
            first_conversation + 1
        } else {
            stop
        };
        for (k, planned) in cadence[..made].iter().enumerate() {
            let conversation = reached && k == first_conversation;
            each(LoggedTouch {
                lead: id,
                touch: k,
                day: planned.day,
                channel: planned.channel,
                conversation,
                appointment: conversation && appointment,
            });
        }
    }
}
