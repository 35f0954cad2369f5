//! `callblitz simulate`: a cohort over many replications.

use std::path::PathBuf;

use super::{CliError, ScenarioArgs, check_calendar, flag_override, print};
use crate::engine::{CalendarModel, CohortModel, simulate_calendar, simulate_cohort};
use crate::report::{RunReport, Timeline, group_thousands, write_atomically};

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
    /// Simulate the team's calendar (capacity, ramp, weeks off, sales cycle) instead of a cohort.
    #[arg(long)]
    calendar: bool,
    /// With --calendar: write the weekly timeline (mean and P10/P50/P90 per week) to this CSV.
    #[arg(long, value_name = "FILE", requires = "calendar")]
    timeline: Option<PathBuf>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let mut extra = Vec::new();
    if let Some(seed) = args.seed {
        // clap keeps both within TOML's signed integers.
        extra.push(flag_override("--seed", "simulation.seed", seed as i64));
    }
    if let Some(replications) = args.replications {
        extra.push(flag_override(
            "--replications",
            "simulation.replications",
            replications as i64,
        ));
    }
    let scenario = args.scenario.load(extra)?;
    let replications = scenario.simulation.replications;
    let seed = scenario.simulation.seed;
    let (setup, samples) = if args.calendar {
        let team = &scenario.team;
        check_calendar(&scenario, team.prospecting_hours_per_day)?;
        let mut model = CalendarModel::new(&scenario, team.prospecting_hours_per_day);
        if args.timeline.is_some() {
            model = model.recording_weeks();
        }
        let runs = with_threads(args.threads, || {
            simulate_calendar(&model, replications, seed)
        })?;
        if let Some(path) = &args.timeline {
            let timeline = Timeline::new(&runs.weeks);
            write_atomically(path, |w| timeline.write_csv(w))
                .map_err(|err| CliError::output(path, err))?;
        }
        let setup = format!(
            "calendar of {} weeks ({} worked), {} rep(s) prospecting {} h a day after a {}-week ramp",
            scenario.simulation.weeks,
            model.calendar().working_weeks(),
            team.reps,
            team.prospecting_hours_per_day,
            team.ramp_weeks
        );
        (setup, runs.samples)
    } else {
        let model = CohortModel::new(&scenario);
        let samples = with_threads(args.threads, || simulate_cohort(&model, replications, seed))?;
        let setup = format!(
            "cohort of {} leads",
            group_thousands(model.leads() as f64, 0)
        );
        (setup, samples)
    };
    let report = RunReport {
        scenario: scenario.name.clone(),
        setup,
        seed,
        replications,
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
pub(super) fn with_threads<T: Send>(
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
