//! `callblitz blitz`: simulate a calling blitz, and place a real one against it.

use std::path::PathBuf;

use super::emit::OutputArgs;
use super::{CliError, LogArgs, RunArgs, ScenarioArgs, prepare};
use callblitz::blitz::{Actual, Simulated};
use callblitz::report::BlitzReport;
use callblitz::runs::{Kind, Outcome};

#[derive(Debug, clap::Args)]
#[command(
    mut_arg("json", |a| a.help("Print one JSON object instead of the tables")),
    mut_arg("csv", |a| a.help(
        "Also write one row per simulated blitz to this CSV file: each team's and everyone's \
         dials, conversations, appointments and positive responses (- for standard output, in \
         place of the tables)"
    )),
    mut_arg("chart", |a| a.help(
        "Chart progress by minute, the teams and the leaderboard to this .png or .svg file"
    )),
)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// A real blitz's call log (CSV with lead_id, timestamp, channel, outcome and rep) to
    /// place against the simulated ones.
    #[arg(long, value_name = "LOG.csv")]
    actual: Option<PathBuf>,
    #[command(flatten)]
    log: LogArgs,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let mut files = args.scenario.files();
    if let Some(path) = &args.actual {
        files = files.reads("the call log", Some("--actual"), path);
    }
    let outputs = args.output.check(files, "the CSV")?;
    let scenario = args.scenario.load(&args.run, [])?;
    let run = prepare(scenario, Kind::Blitz, &args.scenario.file)?;
    let (scenario, model) = (run.scenario(), run.blitz_model().expect("a blitz run"));
    // The log is read, and its reps matched to the teams, before any simulating.
    let log = match &args.actual {
        Some(path) => {
            let (touches, skipped) = callblitz::calllog::read(path, &args.log.options(true)?)
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
    let (Outcome::Blitz(samples), _) = args.run.run(&run)? else {
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
    outputs.emit(&report)
}
