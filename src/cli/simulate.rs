//! `callblitz simulate`: a cohort over many replications.

use std::path::PathBuf;

use super::{CliError, ScenarioArgs, flag_override, print};
use crate::engine::{CohortModel, simulate_cohort};
use crate::report::{RunReport, write_atomically};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write one row per replication to this CSV file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Master seed (same as --set simulation.seed=N).
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Replications (same as --set simulation.replications=N).
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    replications: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let mut extra = Vec::new();
    if let Some(seed) = args.seed {
        // clap keeps both within TOML's signed integers.
        extra.push(flag_override("simulation.seed", seed as i64));
    }
    if let Some(replications) = args.replications {
        extra.push(flag_override(
            "simulation.replications",
            replications as i64,
        ));
    }
    let scenario = args.scenario.load(extra)?;
    let model = CohortModel::new(&scenario);
    let replications = scenario.simulation.replications;
    let seed = scenario.simulation.seed;
    let samples = with_threads(args.threads, || simulate_cohort(&model, replications, seed))?;
    let report = RunReport {
        scenario: scenario.name.clone(),
        seed,
        replications,
        leads: model.leads(),
        samples,
    };
    if let Some(path) = &args.csv {
        write_atomically(path, |w| report.write_csv(w))
            .map_err(|err| CliError::output(path, err))?;
    }
    if args.json {
        print(|out| writeln!(out, "{}", report.to_json()))
    } else {
        print(|out| report.write_table(out))
    }
}

/// Runs `work` on a pool of `threads` workers, or on the default pool (one per core).
fn with_threads<T: Send>(
    threads: Option<u16>,
    work: impl FnOnce() -> T + Send,
) -> Result<T, CliError> {
    match threads {
        None => Ok(work()),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.into())
            .build()
            .map(|pool| pool.install(work))
            .map_err(|err| {
                CliError::Input(format!("--threads {n}: cannot start the threads: {err}"))
            }),
    }
}
