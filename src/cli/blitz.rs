//! `callblitz blitz`: simulate a calling blitz, and place a real one against it.

use std::path::PathBuf;

use super::{CliError, RunArgs, ScenarioArgs, check_chart_path, print, save_chart};
use crate::blitz::{Actual, Simulated};
use crate::engine::{BlitzModel, simulate_blitz};
use crate::report::BlitzReport;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Print one JSON object instead of the tables.
    #[arg(long)]
    json: bool,
    /// A real blitz's call log (CSV with lead_id, timestamp, channel, outcome and rep) to
    /// place against the simulated ones.
    #[arg(long, value_name = "LOG.csv")]
    actual: Option<PathBuf>,
    /// Chart progress by minute, the teams and the leaderboard to this .png or .svg file.
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: Args) -> Result<(), CliError> {
    if let Some(path) = &args.chart {
        check_chart_path(path)?;
    }
    let scenario = args.scenario.load(args.run.overrides())?;
    let model = BlitzModel::new(&scenario);
    check_size(&model, scenario.simulation.replications)?;
    // The log is read, and its reps matched to the teams, before any simulating.
    let log = match &args.actual {
        Some(path) => {
            let touches =
                crate::calllog::read(path, true).map_err(|err| CliError::Input(err.to_string()))?;
            let file = path.display().to_string();
            Some(
                Actual::from_log(&model, &touches, &file)
                    .map_err(|e| CliError::Input(e.to_string()))?,
            )
        }
        None => None,
    };
    let sim = &scenario.simulation;
    let samples = args
        .run
        .on_threads(|| simulate_blitz(&model, sim.replications, sim.seed))?;
    let report = BlitzReport {
        scenario: scenario.name.clone(),
        seed: sim.seed,
        replications: sim.replications,
        minutes: model.minutes(),
        breaks: model.breaks().to_vec(),
        simulated: Simulated::new(&model, &samples),
        actual: log,
    };
    if let Some(path) = &args.chart {
        save_chart(&report.chart(), path)?;
    }
    if args.json {
        print(|out| writeln!(out, "{}", report.to_json()))
    } else {
        print(|out| report.write_text(out))
    }
}

/// The most minute-by-team progress values a blitz run may keep (16 bytes each).
const MAX_PROGRESS: f64 = 2e7;

/// Refuses blitz runs whose progress by minute would not fit in memory.
fn check_size(model: &BlitzModel, replications: u64) -> Result<(), CliError> {
    let values = replications as f64 * model.progress_minutes() as f64 * model.teams().len() as f64;
    if values > MAX_PROGRESS {
        return Err(CliError::Input(format!(
            "simulation.replications = {replications}: a blitz keeps every replication's \
             progress by minute and team, {values:.1e} values here, more than the \
             {MAX_PROGRESS:.0e} a run may keep: use fewer replications"
        )));
    }
    Ok(())
}
