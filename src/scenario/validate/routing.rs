//! `[routing]`: who works which lead.

use super::checks::{Checks, MAX_DAYS};
use crate::scenario::{RoutingMode, Scenario};

/// `[routing]`: the keys that only a round-robin means something for.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let routing = &s.routing;
    let round_robin = routing.mode == RoutingMode::RoundRobin;
    let mode = routing.mode.name();
    if let Some(days) = routing.recycle_after_days {
        if !(1..=MAX_DAYS).contains(&days) {
            c.whole_between(
                "routing.recycle_after_days",
                days.into(),
                1,
                MAX_DAYS.into(),
            );
        } else if s.team.reps == 1 && round_robin {
            c.fail(
                "routing.recycle_after_days",
                days,
                "a dropped lead goes to another rep, and the team has one: add reps, or \
                 remove recycle_after_days",
            );
        } else if !round_robin {
            c.fail(
                "routing.recycle_after_days",
                days,
                format!(
                    "with mode = \"{mode}\" the pool works the whole cadence, so no lead is \
                     dropped to recycle: remove recycle_after_days or use mode = \"round-robin\""
                ),
            );
        }
    }
    if !(routing.cherry_pick >= 0.0 && routing.cherry_pick < 1.0) {
        c.fail(
            "routing.cherry_pick",
            routing.cherry_pick,
            "must be 0 or more and below 1: the share of leads, lowest score first, that reps \
             skip (1 would skip them all)",
        );
    } else if routing.cherry_pick > 0.0 && !s.leads.source.has_arrivals() {
        c.fail(
            "routing.cherry_pick",
            routing.cherry_pick,
            "reps skip inbound leads they are given; from a list they pick no lead at all \
             (leads.source = \"list\"): remove cherry_pick or use inbound leads",
        );
    } else if routing.cherry_pick > 0.0 && !round_robin {
        c.fail(
            "routing.cherry_pick",
            routing.cherry_pick,
            format!(
                "with mode = \"{mode}\" every lead in the pool is worked, so none is skipped: \
                 remove cherry_pick or use mode = \"round-robin\""
            ),
        );
    }
    if !(0.0..=1.0).contains(&routing.score_accuracy) {
        c.fail(
            "routing.score_accuracy",
            routing.score_accuracy,
            "must be between 0 and 1: the correlation between a lead's visible score and how \
             reachable it really is (0: the score says nothing, 1: it is exact)",
        );
    }
}
