//! The Monte Carlo engine. It sees only plain model values built from a validated
//! [`crate::scenario::Scenario`], never the command line or TOML.

mod cohort;
mod rng;
mod sampling;

pub use cohort::{CohortModel, FunnelRates, Scratch};
pub use rng::{Stream, replication_stream};
pub use sampling::InverseCdf;

use rayon::prelude::*;

use crate::stats::Samples;

/// Replications per parallel batch. Batches are fixed by index, not by thread, so the merge
/// order, and with it every summary, is the same on any number of threads.
const BATCH: u64 = 64;

/// Batches run in parallel before their results are merged, which bounds the memory held by
/// unmerged batches.
const BATCHES_PER_ROUND: u64 = 64;

/// Runs `replications` cohort replications under `seed` on the current rayon pool, and
/// returns every metric's values in replication order.
pub fn simulate_cohort(model: &CohortModel, replications: u64, seed: u64) -> Samples {
    let run_batch = |batch: u64| {
        let first = batch * BATCH;
        let last = (first + BATCH).min(replications);
        let mut scratch = model.scratch();
        let mut samples = Samples::with_capacity((last - first) as usize);
        for replication in first..last {
            let mut stream = replication_stream(seed, replication);
            samples.push(&model.replicate(&mut stream, &mut scratch));
        }
        samples
    };
    let batches = replications.div_ceil(BATCH);
    let mut all = Samples::with_capacity(replications as usize);
    for round in (0..batches).step_by(BATCHES_PER_ROUND as usize) {
        let results: Vec<Samples> = (round..(round + BATCHES_PER_ROUND).min(batches))
            .into_par_iter()
            .map(run_batch)
            .collect();
        for batch in results {
            all.merge(batch);
        }
    }
    all
}
