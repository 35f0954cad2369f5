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
    /// Deals × their deal size, set by [`FunnelCounts::priced`].
    pub(super) revenue: f64,
}

impl FunnelCounts {
    /// The counts with their deals priced at `deal_size` each.
    pub(super) fn priced(self, deal_size: f64) -> FunnelCounts {
        FunnelCounts {
            revenue: self.deals as f64 * deal_size,
            ..self
        }
    }

    /// Adds another group's counts (priced) to these.
    pub(super) fn add(&mut self, other: &FunnelCounts) {
        self.leads += other.leads;
        self.touches += other.touches;
        self.dials += other.dials;
        self.contacts += other.contacts;
        self.appointments_set += other.appointments_set;
        self.appointments_held += other.appointments_held;
        self.opportunities += other.opportunities;
        self.deals += other.deals;
        self.minutes += other.minutes;
        self.planned += other.planned;
        self.revenue += other.revenue;
    }

    /// Every metric of the replication, its deals priced.
    pub(super) fn outcome(&self) -> MetricValues {
        let mut outcome = MetricValues::default();
        outcome.set(Metric::Leads, self.leads as f64);
        outcome.set(Metric::Touches, self.touches as f64);
        outcome.set(Metric::Dials, self.dials as f64);
        outcome.set(Metric::Contacts, self.contacts as f64);
        outcome.set(Metric::AppointmentsSet, self.appointments_set as f64);
        outcome.set(Metric::AppointmentsHeld, self.appointments_held as f64);
        outcome.set(Metric::Opportunities, self.opportunities as f64);
        outcome.set(Metric::Deals, self.deals as f64);
        outcome.set(Metric::Revenue, self.revenue);
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

/// What a replication of several groups of leads counts: the totals, and each group's counts
/// when there is more than one (docs/model.md, "Segments").
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentedOutcome {
    pub total: MetricValues,
    /// Each group's metrics, in the scenario's order of lead groups; empty for one group.
    pub segments: Vec<MetricValues>,
}

impl SegmentedOutcome {
    /// The outcome of each group's priced counts, in order.
    pub(super) fn of(groups: &[FunnelCounts]) -> SegmentedOutcome {
        let mut total = FunnelCounts::default();
        for counts in groups {
            total.add(counts);
        }
        let segments = if groups.len() > 1 {
            groups.iter().map(FunnelCounts::outcome).collect()
        } else {
            Vec::new()
        };
        SegmentedOutcome {
            total: total.outcome(),
            segments,
        }
    }
}

impl super::Accumulate<SegmentedOutcome> for crate::stats::Samples {
    fn with_capacity(replications: usize) -> Self {
        crate::stats::Samples::with_capacity(replications)
    }

    fn push(&mut self, outcome: SegmentedOutcome) {
        crate::stats::Samples::push(self, &outcome.total);
        self.push_segments(&outcome.segments);
    }

    fn merge(&mut self, other: Self) {
        crate::stats::Samples::merge(self, other);
    }
}
