//! One output path for every command: `--json`, `--csv` and `--chart` are declared once
//! ([`OutputArgs`], flattened into each command's `Args`), checked with the run's other files
//! before any work ([`OutputArgs::check`]), and [`Outputs::emit`] writes a [`Report`] the same
//! way for every command: the CSV, then the chart, then the JSON or the text on stdout.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::paths::{Files, STDOUT, Stdout};
use super::{CliError, print};
use callblitz::output::write_whole;
use callblitz::report::{NoChart, Report};

/// The output flags of every command that reports. Each command says in its own `--help` what
/// its CSV and its chart hold, with `#[command(mut_arg("csv", ...))]` on its `Args`.
#[derive(Debug, clap::Args)]
pub(super) struct OutputArgs {
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write the report's rows to this CSV file (- for standard output, in place of the
    /// text).
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Also draw the report's chart into this file (.png or .svg).
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
}

impl OutputArgs {
    /// Checks the run's `files` (its inputs and its command's own outputs) with these outputs
    /// added: --csv (holding `csv_holds`) before the command's own and --chart after them, the
    /// order in which a refusal of two outputs on one file names them, and --json, which takes
    /// stdout as `-` does. The chart's file must name a format.
    pub(super) fn check<'a>(
        &'a self,
        files: Files<'a>,
        csv_holds: &'static str,
    ) -> Result<Outputs<'a>, CliError> {
        let stdout = files
            .report_outputs(
                self.json,
                csv_holds,
                self.csv.as_deref(),
                self.chart.as_deref(),
            )
            .check()?;
        if let Some(path) = &self.chart {
            callblitz::chart::check_path(path).map_err(|err| chart_refused(path, err))?;
        }
        Ok(Outputs { args: self, stdout })
    }
}

/// A run's output flags, checked: what [`Outputs::emit`] writes.
pub(super) struct Outputs<'a> {
    args: &'a OutputArgs,
    stdout: Stdout,
}

impl Outputs<'_> {
    /// Whether a chart was asked for.
    pub(super) fn chart_asked(&self) -> bool {
        self.args.chart.is_some()
    }

    /// Refuses, before the work, a chart asked for that `why` says the run cannot have.
    pub(super) fn refuse_chart(&self, why: NoChart) -> Result<(), CliError> {
        match &self.args.chart {
            Some(path) => Err(chart_refused(path, why)),
            None => Ok(()),
        }
    }

    /// Writes `report` as asked: the CSV, then the chart (or refuses it, saying why the result
    /// has none), then its JSON or its text on stdout, unless an output (`--csv -`, `--log -`)
    /// took stdout.
    pub(super) fn emit(&self, report: &impl Report) -> Result<(), CliError> {
        if let Some(path) = &self.args.csv {
            write_output(path, |w| report.write_csv(w))?;
        }
        if let Some(path) = &self.args.chart {
            let chart = report.chart().map_err(|why| chart_refused(path, why))?;
            callblitz::chart::save(&chart, path).map_err(|err| match err {
                callblitz::chart::ChartError::Format => chart_refused(path, err),
                other => CliError::output(path, std::io::Error::other(other.to_string())),
            })?;
        }
        match self.stdout {
            Stdout::Output => Ok(()),
            Stdout::Report if self.args.json => print(|out| report.write_json(out)),
            Stdout::Report => print(|out| report.write_text(out)),
        }
    }
}

/// `--chart path` refused, for the reason `why`.
fn chart_refused(path: &Path, why: impl std::fmt::Display) -> CliError {
    CliError::Input(format!("--chart {}: {why}", path.display()))
}

/// Writes the output file at `path` whole with `write`; `-` (which only the flags that may
/// take it get past [`Files::check`]) writes to stdout.
pub(super) fn write_output(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    if path.as_os_str() == STDOUT {
        print(write)
    } else {
        write_whole(path, write).map_err(|err| CliError::output(path, err))
    }
}
