//! `[leads]`: the cohort's size, the leads' reachability and where inbound leads come from.

use super::checks::{Checks, MIN_RATE};
use crate::scenario::Scenario;

/// The most leads a cohort may hold per replication.
const MAX_LEADS: u64 = 100_000_000;
/// The most leads a cohort run may simulate in all (about two minutes on two cores).
pub const MAX_LEAD_REPLICATIONS: u64 = 100_000_000_000;
/// The most inbound arrivals a week.
const MAX_PER_WEEK: f64 = 1_000_000.0;
/// The smallest Beta shape (mean × concentration, and (1 − mean) × concentration): below it
/// the quantile function cannot be computed to the digits the engine needs.
pub const MIN_BETA_SHAPE: f64 = 0.01;
/// The largest concentration: beyond it every lead has practically the same chance.
pub const MAX_CONCENTRATION: f64 = 1e6;
/// The largest decay: each touch of a cycle at most half as likely again to reach as the one
/// before. A bound of the model, not a published figure: the published call data show tiring
/// (InsightSquared), and no study we know measures how fast repetition can warm a prospect.
pub const MAX_DECAY: f64 = 1.5;
/// The largest weight of a day in `leads.arrival_profile` (weights are relative).
const MAX_PROFILE_WEIGHT: f64 = 1e6;

/// The rules of `[leads]`.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let (leads, replications) = (&s.leads, s.simulation.replications);
    c.whole_between("leads.count", leads.count, 1, MAX_LEADS);
    if leads.count.saturating_mul(replications) > MAX_LEAD_REPLICATIONS {
        c.fail(
            "leads.count",
            leads.count,
            format!(
                "with {} replications this is {} leads to simulate, more than the {} a run may \
                 take (about two minutes): use fewer leads or fewer replications",
                replications,
                leads.count.saturating_mul(replications),
                MAX_LEAD_REPLICATIONS
            ),
        );
    }
    let reach = &leads.reachability;
    match reach.concentration {
        None => c.rate("leads.reachability.mean", reach.mean),
        Some(kappa) => {
            if reach.mean > 0.0 && reach.mean < MIN_RATE {
                c.rate("leads.reachability.mean", reach.mean);
            } else if !(reach.mean > 0.0 && reach.mean < 1.0) {
                c.fail(
                    "leads.reachability.mean",
                    reach.mean,
                    "must be above 0 and below 1 when a concentration is given (a Beta \
                     distribution needs both of its shapes above 0); remove concentration \
                     for the same chance on every lead",
                );
            }
            if !(kappa > 0.0 && kappa <= MAX_CONCENTRATION) {
                c.fail(
                    "leads.reachability.concentration",
                    kappa,
                    format!(
                        "must be above 0 and at most {MAX_CONCENTRATION:e}: small values spread \
                         leads widely, large ones make them alike; remove the key for the same \
                         chance on every lead"
                    ),
                );
            } else if reach.mean > 0.0 && reach.mean < 1.0 {
                let shape = (reach.mean * kappa).min((1.0 - reach.mean) * kappa);
                if shape < MIN_BETA_SHAPE {
                    let least = MIN_BETA_SHAPE / reach.mean.min(1.0 - reach.mean);
                    let fix = if least <= MAX_CONCENTRATION {
                        format!("use a concentration of at least {least}")
                    } else {
                        "no concentration allowed spreads them that little: remove it for the \
                         same chance on every lead"
                            .to_string()
                    };
                    c.fail(
                        "leads.reachability.concentration",
                        kappa,
                        format!(
                            "with mean {} this spreads leads too widely to simulate: mean × \
                             concentration and (1 − mean) × concentration must each be at least \
                             {MIN_BETA_SHAPE}; {fix}",
                            reach.mean
                        ),
                    );
                }
            }
        }
    }
    if !(reach.decay > 0.0 && reach.decay <= MAX_DECAY) {
        c.fail(
            "leads.reachability.decay",
            reach.decay,
            format!(
                "must be above 0 and at most {MAX_DECAY} (a bound of the model): each further \
                 touch of a cycle multiplies the chance by it, so below 1 prospects tire, 1 \
                 means no tiring and above 1 repetition warms them"
            ),
        );
    }
    c.share("leads.unreachable", leads.unreachable);
    source(c, s);
    territory(c, s);
}

/// `leads.unlimited` and `leads.refill_per_month`, which shape the list of calendar runs.
fn territory(c: &mut Checks, s: &Scenario) {
    let leads = &s.leads;
    c.whole_between(
        "leads.refill_per_month",
        leads.refill_per_month,
        0,
        MAX_LEADS,
    );
    let source = format!("\"{}\"", leads.source.name());
    if !leads.source.has_list() {
        for (set, key, value) in [
            (leads.unlimited, "leads.unlimited", "true".to_string()),
            (
                leads.refill_per_month > 0,
                "leads.refill_per_month",
                leads.refill_per_month.to_string(),
            ),
        ] {
            if set {
                c.fail(
                    key,
                    value,
                    format!(
                        "shapes the list, and leads.source = {source} has none: set \
                         leads.source = \"list\" or \"both\", or remove {key}"
                    ),
                );
            }
        }
    } else if leads.unlimited && leads.refill_per_month > 0 {
        c.fail(
            "leads.refill_per_month",
            leads.refill_per_month,
            "refills a territory, and leads.unlimited = true has no end to refill: remove one \
             of the two",
        );
    }
}

/// `leads.source`, `leads.per_week` and `leads.arrival_profile`, which go together.
fn source(c: &mut Checks, s: &Scenario) {
    let leads = &s.leads;
    let source = format!("\"{}\"", leads.source.name());
    if !(leads.per_week >= 0.0 && leads.per_week <= MAX_PER_WEEK) {
        c.fail(
            "leads.per_week",
            leads.per_week,
            format!("must be a number from 0 to {MAX_PER_WEEK}: inbound arrivals a week"),
        );
    } else if leads.source.has_arrivals() && leads.per_week == 0.0 {
        c.fail(
            "leads.source",
            &source,
            "inbound leads need an arrival rate: set leads.per_week to the average number of \
             leads that arrive a week (above 0), or use source = \"list\"",
        );
    } else if !leads.source.has_arrivals() && leads.per_week > 0.0 {
        c.fail(
            "leads.per_week",
            leads.per_week,
            "per_week is for inbound arrivals: set leads.source = \"inbound\" or \"both\", \
             or remove per_week",
        );
    }

    let profile = &leads.arrival_profile;
    if profile.is_empty() {
        return;
    }
    let written = format!(
        "[{}]",
        profile
            .iter()
            .map(f64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !leads.source.has_arrivals() {
        c.fail(
            "leads.arrival_profile",
            &written,
            format!(
                "shapes inbound arrivals over the week, and leads.source = {source} has none: \
                 set leads.source = \"inbound\" or \"both\", or remove arrival_profile"
            ),
        );
    }
    let days = s.simulation.working_days_per_week;
    if profile.len() != days as usize {
        c.fail(
            "leads.arrival_profile",
            &written,
            format!(
                "must have one entry for each working day (simulation.working_days_per_week = \
                 {days}), Monday first, not {}; or remove it for the same arrivals every day",
                profile.len()
            ),
        );
    }
    let mut all_valid = true;
    for (i, &weight) in profile.iter().enumerate() {
        if !(0.0..=MAX_PROFILE_WEIGHT).contains(&weight) {
            all_valid = false;
            c.fail(
                format!("leads.arrival_profile[{i}]"),
                weight,
                format!(
                    "must be a number from 0 to {MAX_PROFILE_WEIGHT}: the day's share of the \
                     week's arrivals, relative to the other days"
                ),
            );
        }
    }
    if all_valid && profile.iter().sum::<f64>() <= 0.0 {
        c.fail(
            "leads.arrival_profile",
            &written,
            "must have at least one day above 0, or no lead ever arrives; remove it for the \
             same arrivals every day",
        );
    }
}
