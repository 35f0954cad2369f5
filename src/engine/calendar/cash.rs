//! A replication's money week by week, when it is priced: what is paid out and earned in each
//! week, so that the week the hire pays back is known (docs/model.md "Money").

use serde::Serialize;

/// What a calendar run's events cost and earn, as money per event (the engine's own copy of
/// a run's prices, stated by the layer that prices runs).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CashPrices {
    /// A seat's cost for a week it is filled: a rep's loaded cost and tools.
    pub seat_week: f64,
    pub per_lead: f64,
    pub per_appointment_held: f64,
    pub per_opportunity: f64,
    /// Commission as a share of revenue won.
    pub commission_rate: f64,
}

/// When a replication's cumulative margin turns for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Payback {
    /// The cumulative margin is at or above 0 from the end of this week (1-based) to the
    /// horizon's end.
    Week(u32),
    /// The horizon ends with the margin below 0.
    NotWithinHorizon,
}

/// Money in and out of one replication, by week.
#[derive(Debug, Clone, Default)]
pub(super) struct CashFlow {
    /// Revenue less commission and prices per event, each week; the seats' cost comes at the
    /// end, from who filled them.
    by_week: Vec<f64>,
}

impl CashFlow {
    /// No money yet, over `weeks` weeks.
    pub(super) fn new(weeks: u32) -> Self {
        CashFlow {
            by_week: vec![0.0; weeks as usize],
        }
    }

    /// `amount` (earned when positive) on `day`; nothing after the horizon.
    pub(super) fn add(&mut self, day: f64, amount: f64) {
        if let Some(week) = self.by_week.get_mut((day / 7.0) as usize) {
            *week += amount;
        }
    }

    /// The week the margin turns for good, the seats costing `seats_cost(w)` in week w.
    pub(super) fn payback(&self, seats_cost: impl Fn(usize) -> f64) -> Payback {
        let margins = self
            .by_week
            .iter()
            .enumerate()
            .scan(0.0, |margin, (w, flow)| {
                *margin += flow - seats_cost(w);
                Some(*margin)
            });
        let last_below = margins
            .enumerate()
            .filter(|&(_, margin)| margin < 0.0)
            .last()
            .map(|(w, _)| w);
        let weeks = self.by_week.len();
        match last_below {
            None => Payback::Week(1),
            Some(w) if w + 1 == weeks => Payback::NotWithinHorizon,
            Some(w) => Payback::Week(w as u32 + 2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_margin_turns_for_good_after_the_last_week_below_zero() {
        let mut cash = CashFlow::new(4);
        // Week 2 earns 150, week 4 earns 100: seats cost 50 a week.
        cash.add(7.0, 150.0);
        cash.add(27.0, 100.0);
        // Cumulative: -50, 50, 0, 50: at or above 0 from the end of week 2.
        assert_eq!(cash.payback(|_| 50.0), Payback::Week(2));
        // With a dearer seat: -60, 30, -30, 10: from week 4, the last.
        assert_eq!(cash.payback(|_| 60.0), Payback::Week(4));
        // Dearer still: below at the end.
        assert_eq!(cash.payback(|_| 70.0), Payback::NotWithinHorizon);
        // An empty seat costs nothing: +150 in week 2 alone covers week 1's 50.
        assert_eq!(
            cash.payback(|w| if w < 2 { 50.0 } else { 0.0 }),
            Payback::Week(2)
        );
        // Outside the horizon counts for nothing.
        cash.add(28.0, -1e9);
        assert_eq!(cash.payback(|_| 50.0), Payback::Week(2));
    }
}
