//! `callblitz calibrate`: fit the model to a team's own call log.

use std::path::PathBuf;

use super::emit::{OutputArgs, write_output};
use super::{CliError, Files, LogArgs, working};
use callblitz::calibrate::{Calibration, Evidence, FitOptions};
use callblitz::report::CalibrationReport;

#[derive(Debug, clap::Args)]
#[command(
    mut_arg("csv", |a| a.help(
        "Also write the estimates (a row per fitted quantity and observed rate: name, estimate \
         and its 95% interval) to this CSV file (- for standard output, in place of the table)"
    )),
    mut_arg("chart", |a| a.help(
        "Chart observed against fitted conversations by attempt, and the give-up, to this .png \
         or .svg file"
    )),
)]
pub struct Args {
    /// The call log (CSV with lead_id, timestamp, channel, outcome and optionally rep).
    log: PathBuf,
    #[command(flatten)]
    columns: LogArgs,
    /// Also fit a share of leads that can never be reached (a zero-inflated model), besides
    /// those whose number the log shows as bad.
    #[arg(long)]
    unreachable: bool,
    /// Hold decay (the multiplier on a lead's chance per further attempt) at this value, from
    /// above 0 to 1, instead of fitting it; the fit then tests the held value.
    #[arg(long, value_name = "D")]
    decay: Option<f64>,
    /// Fit each segment of this column (e.g. a KARE category or lead source, one per lead)
    /// by itself, and write one [[leads.segments]] entry per segment with --scenario.
    #[arg(long, value_name = "NAME")]
    segment_col: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
    /// Write the fitted numbers as a scenario fragment (TOML) that the other commands read.
    #[arg(long, value_name = "OUT.toml")]
    scenario: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let files = Files::new().reads("the call log", None, &args.log).writes(
        "--scenario",
        "the scenario fragment",
        args.scenario.as_deref(),
    );
    let outputs = args.output.check(files, "the CSV")?;
    if let Some(decay) = args.decay
        && !(decay > 0.0 && decay <= 1.0)
    {
        return Err(CliError::Input(format!(
            "--decay {decay}: decay multiplies a lead's chance at each further attempt and is \
             from above 0 to 1; leave --decay out to fit it"
        )));
    }
    let mut options = args.columns.options(false)?;
    options.segment_column = args.segment_col.clone();
    let spinner = working(format!("reading {}", args.log.display()));
    let evidence =
        Evidence::read(&args.log, &options).map_err(|err| CliError::Input(err.to_string()))?;
    spinner.set_message(format!("fitting {} leads", evidence.leads));
    let calibration = Calibration::new(
        evidence,
        FitOptions {
            unreachable: args.unreachable,
            decay: args.decay,
        },
    );
    spinner.finish_and_clear();
    let calibration = calibration.map_err(|err| {
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
        write_output(path, |w| w.write_all(fragment.as_bytes()))?;
    }
    outputs.emit(&report)
}
