//! The rules every scenario value must follow, checked all at once: one validator per section,
//! all written with the same [`Checks`] helpers.

mod blitz;
mod cadence;
mod channels;
mod checks;
mod costs;
mod funnel;
mod goal;
mod leads;
mod nurture;
mod people;
mod referrals;
mod reps;
mod routing;
mod segments;
mod service;
mod simulation;
mod speed_to_lead;
mod sweep;
mod team;
mod uncertainty;

pub use cadence::MAX_TOUCH_MULTIPLIER;
pub use checks::Invalid;
pub use leads::{MAX_CONCENTRATION, MAX_DECAY, MAX_LEAD_REPLICATIONS, MIN_BETA_SHAPE};

use super::Scenario;
use checks::Checks;

/// Each section's validator, in the order its problems are listed (the loader then sorts them
/// by line).
const SECTIONS: [fn(&mut Checks, &Scenario); 19] = [
    simulation::check,
    leads::check,
    segments::check,
    cadence::check,
    reps::check,
    channels::check,
    funnel::check,
    team::check,
    routing::check,
    speed_to_lead::check,
    nurture::check,
    referrals::check,
    blitz::check,
    goal::check,
    costs::check,
    people::check,
    service::check,
    sweep::check,
    uncertainty::check,
];

/// Every rule a scenario breaks; empty when it is valid.
pub fn validate(s: &Scenario) -> Vec<Invalid> {
    let mut c = Checks::default();
    for check in SECTIONS {
        check(&mut c, s);
    }
    c.found
}
