//! `callblitz blitz`: simulate a calling blitz, and place a real one against it.

use std::path::PathBuf;

use super::{CliError, LogArgs, RunArgs, ScenarioArgs, check_chart_path, print, save_chart};
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
    #[command(flatten)]
    log: LogArgs,
    /// Also write one row per simulated blitz to this CSV file: each team's and everyone's
    /// dials, conversations, appointments and positive responses.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Chart progress by minute, the teams and the leaderboard to this .png or .svg file.
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let mut files = args.scenario.files();
    if let Some(path) = &args.actual {
        files = files.reads("the call log", Some("--actual"), path);
    }
    files
        .writes("--csv", "the CSV", args.csv.as_deref())
        .writes("--chart", "the chart", args.chart.as_deref())
        .check()?;
    if let Some(path) = &args.chart {
        check_chart_path(path)?;
    }
    let scenario = args.scenario.load(args.run.overrides())?;
    let model = BlitzModel::new(&scenario);
    check_size(&model, &scenario).map_err(|e| e.in_file(&args.scenario.file))?;
    // The log is read, and its reps matched to the teams, before any simulating.
    let log = match &args.actual {
        Some(path) => {
            let (touches, skipped) = crate::calllog::read(path, &args.log.options(true)?)
                .map_err(|err| CliError::Input(err.to_string()))?;
            if let Some(note) = skipped.describe() {
                super::note(format_args!("{}: {note}", path.display()));
            }
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
    if let Some(path) = &args.csv {
        crate::output::write_whole(path, |w| report.write_csv(w))
            .map_err(|err| CliError::output(path, err))?;
    }
    if let Some(path) = &args.chart {
        save_chart(&report.chart(), path)?;
    }
    if args.json {
        print(|out| writeln!(out, "{}", report.to_json()))
    } else {
        print(|out| report.write_text(out))
    }
}

/// The most counts a blitz run may keep, by minute and team and by rep (16 bytes each).
const MAX_KEPT: f64 = 2e7;
/// The most dials a blitz run may simulate in all (about a minute on two cores).
const MAX_DIALS: f64 = 1e10;

/// Refuses blitz runs that would not fit in memory or would take too long, saying how many
/// replications would do.
pub(super) fn check_size(
    model: &BlitzModel,
    scenario: &crate::scenario::Scenario,
) -> Result<(), CliError> {
    let replications = scenario.simulation.replications;
    let teams = model.teams();
    let reps: usize = teams.iter().map(|t| t.reps.len()).sum();
    let kept = (model.progress_minutes() * teams.len() + reps) as f64;
    let dials = model.expected_dials_at_most();
    let most = (MAX_KEPT / kept).min(MAX_DIALS / dials).floor();
    if most < 2.0 {
        return Err(CliError::Input(format!(
            "[blitz]: one replication keeps {kept:.0} counts and makes up to {dials:.0} dials, \
             too many for the two a run needs (a run may keep {MAX_KEPT:.0e} counts and make \
             {MAX_DIALS:.0e} dials): shorten blitz.minutes, use fewer reps or slower dials \
             (channels.call.minutes)"
        )));
    }
    if replications as f64 > most {
        return Err(CliError::Input(format!(
            "simulation.replications = {replications}: this blitz keeps {kept:.0} counts and \
             makes up to {dials:.0} dials per replication; a run may keep {MAX_KEPT:.0e} counts \
             and make {MAX_DIALS:.0e} dials: use at most {most:.0} replications"
        )));
    }
    Ok(())
}
