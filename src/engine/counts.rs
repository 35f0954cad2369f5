//! What a replication counts down the funnel, and the metrics that follow (docs/model.md): the
//! cohort and calendar engines count differently but report alike.

use crate::stats::{Metric, MetricValues};

/// The running counts of one replication.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct FunnelCounts {
    pub(super) leads: u64,
    pub(super) touches: u64,
    pub(super) dials: u64,
    pub(super) contacts: u64,
    pub(super) appointments_set: u64,
    pub(super) appointments_held: u64,
    pub(super) opportunities: u64,
    pub(super) deals: u64,
    /// Prospecting minutes: touches, conversations and bookings.
    pub(super) minutes: f64,
    /// Touches the cadence planned, up to each lead's conversation.
    pub(super) planned: u64,
}

impl FunnelCounts {
    /// Every metric of the replication, each deal worth `deal_size`.
    pub(super) fn outcome(&self, deal_size: f64) -> MetricValues {
        let mut outcome = MetricValues::default();
        outcome.set(Metric::Leads, self.leads as f64);
        outcome.set(Metric::Touches, self.touches as f64);
        outcome.set(Metric::Dials, self.dials as f64);
        outcome.set(Metric::Contacts, self.contacts as f64);
        outcome.set(Metric::AppointmentsSet, self.appointments_set as f64);
        outcome.set(Metric::AppointmentsHeld, self.appointments_held as f64);
        outcome.set(Metric::Opportunities, self.opportunities as f64);
        outcome.set(Metric::Deals, self.deals as f64);
        outcome.set(Metric::Revenue, self.deals as f64 * deal_size);
        outcome.set(Metric::ProspectingHours, self.minutes / 60.0);
        // Nothing planned (no lead, or no touch due inside the horizon): nothing was missed.
        let penetration = if self.planned == 0 {
            100.0
        } else {
            100.0 * self.touches as f64 / self.planned as f64
        };
        outcome.set(Metric::Penetration, penetration);
        outcome
    }
}
