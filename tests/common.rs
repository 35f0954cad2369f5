//! Helpers shared by the test modules.

use callblitz::engine::{CohortModel, simulate_cohort};
use callblitz::scenario::{Scenario, load_str};
use callblitz::stats::Samples;

/// Loads scenario text that must be valid.
pub fn scenario(text: &str) -> Scenario {
    load_str(text, "test.toml", &[]).unwrap_or_else(|err| panic!("invalid test scenario: {err}"))
}

/// Runs the cohort engine on scenario text.
pub fn run(text: &str) -> (Scenario, Samples) {
    let s = scenario(text);
    let samples = simulate_cohort(
        &CohortModel::new(&s),
        s.simulation.replications,
        s.simulation.seed,
    );
    (s, samples)
}

/// Asserts |observed − expected| ≤ 4.5 standard errors.
#[track_caller]
pub fn assert_within(what: &str, observed: f64, expected: f64, standard_error: f64) {
    let z = (observed - expected) / standard_error;
    assert!(
        z.abs() <= 4.5,
        "{what}: observed {observed}, expected {expected}, {z:.2} standard errors apart (se {standard_error})"
    );
}
