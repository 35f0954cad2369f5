//! `callblitz blitz`: simulate a calling blitz, and place a real one against it.

use std::path::PathBuf;

use super::{
    CliError, LogArgs, RunArgs, ScenarioArgs, check_chart_path, prepare, print, save_chart,
};
use crate::blitz::{Actual, Simulated};
use crate::report::{BlitzReport, Report};
use crate::runs::{Kind, Outcome};

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
    let scenario = args.scenario.load(&args.run, [])?;
    let run = prepare(scenario, Kind::Blitz, &args.scenario.file)?;
    let (scenario, model) = (run.scenario(), run.blitz_model().expect("a blitz run"));
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
                Actual::from_log(model, &touches, &file)
                    .map_err(|e| CliError::Input(e.to_string()))?,
            )
        }
        None => None,
    };
    let sim = &scenario.simulation;
    let Outcome::Blitz(samples) = args.run.on_threads(|| run.run())? else {
        unreachable!("a blitz's run simulates blitzes")
    };
    let report = BlitzReport {
        scenario: scenario.name.clone(),
        seed: sim.seed,
        replications: sim.replications,
        minutes: model.minutes(),
        breaks: model.breaks().to_vec(),
        simulated: Simulated::new(model, &samples),
        actual: log,
    };
    if let Some(path) = &args.csv {
        crate::output::write_whole(path, |w| report.write_csv(w))
            .map_err(|err| CliError::output(path, err))?;
    }
    if let Some(path) = &args.chart {
        save_chart(&report, path)?;
    }
    if args.json {
        print(|out| report.write_json(out))
    } else {
        print(|out| report.write_text(out))
    }
}
