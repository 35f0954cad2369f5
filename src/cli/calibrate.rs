//! `callblitz calibrate`: fit the model to a team's own call log.

use std::path::PathBuf;

use super::{CliError, Files, LogArgs, check_chart_path, print, save_chart};
use crate::calibrate::{Calibration, Evidence};
use crate::output::write_whole;
use crate::report::{CalibrationReport, Report};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The call log (CSV with lead_id, timestamp, channel, outcome and optionally rep).
    log: PathBuf,
    #[command(flatten)]
    columns: LogArgs,
    /// Also fit a share of leads that can never be reached (a zero-inflated model).
    #[arg(long)]
    unreachable: bool,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
    /// Write the fitted numbers as a scenario fragment (TOML) that the other commands read.
    #[arg(long, value_name = "OUT.toml")]
    scenario: Option<PathBuf>,
    /// Chart observed against fitted conversations by attempt, and the give-up, to this .png
    /// or .svg file.
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<(), CliError> {
    Files::new()
        .reads("the call log", None, &args.log)
        .writes(
            "--scenario",
            "the scenario fragment",
            args.scenario.as_deref(),
        )
        .writes("--chart", "the chart", args.chart.as_deref())
        .check()?;
    if let Some(path) = &args.chart {
        check_chart_path(path)?;
    }
    let evidence = Evidence::read(&args.log, &args.columns.options(false)?)
        .map_err(|err| CliError::Input(err.to_string()))?;
    let calibration = Calibration::new(evidence, args.unreachable).map_err(|err| {
        let fix = if args.unreachable {
            "; --unreachable also fits the share of leads never reached, which a short log may \
             not settle: fit without --unreachable, or with a log of more leads"
        } else {
            ""
        };
        CliError::Input(format!("{}: {err}{fix}", args.log.display()))
    })?;
    let report = CalibrationReport(&calibration);
    if let Some(path) = &args.scenario {
        let fragment = report.scenario_fragment();
        write_whole(path, |w| w.write_all(fragment.as_bytes()))
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
