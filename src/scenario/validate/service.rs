//! `[service]`: what an inbound team promises its new leads.

use super::checks::Checks;
use crate::scenario::{FIRST_TOUCH_EDGES, Scenario};

/// The rules of `[service]`: a penetration in percent, a time to first touch that is one of
/// the bins' edges with the share called by then (both or neither), a backlog of zero or
/// more, and promises only where leads arrive to keep them for.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let service = &s.service;
    if let Some(penetration) = service.penetration {
        c.between("service.penetration", penetration, 0.0, 100.0);
    }
    match (service.called_within_minutes, service.called_within_share) {
        (Some(minutes), Some(share)) => {
            if !FIRST_TOUCH_EDGES.contains(&minutes) {
                let edges: Vec<String> = FIRST_TOUCH_EDGES.iter().map(f64::to_string).collect();
                c.fail(
                    "service.called_within_minutes",
                    minutes,
                    format!(
                        "must be one of {}: the edges of the time-to-first-touch bins a \
                         calendar run counts",
                        edges.join(", ")
                    ),
                );
            }
            c.share("service.called_within_share", share);
        }
        (Some(_), None) => c.fail(
            "service.called_within_share",
            "",
            "is needed with service.called_within_minutes: the least share of new leads \
             first touched within those minutes (e.g. 0.5)",
        ),
        (None, Some(_)) => c.fail(
            "service.called_within_minutes",
            "",
            "is needed with service.called_within_share: the minutes within which that share \
             of new leads is first touched (e.g. 60)",
        ),
        (None, None) => {}
    }
    if let Some(backlog) = service.backlog {
        c.non_negative("service.backlog", backlog);
    }
    if !service.is_empty() && !s.leads.source.has_arrivals() {
        c.fail(
            "service",
            "",
            format!(
                "promises a service to new leads, and leads.source = \"{}\" has none arriving: \
                 remove [service], or set leads.source = \"inbound\" (or \"both\")",
                s.leads.source.name()
            ),
        );
    }
}
