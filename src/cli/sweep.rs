//! `callblitz sweep`: run a scenario over a grid of values.

use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};

use super::{CliError, RunArgs, ScenarioArgs, check_chart_path, check_cohort, print, save_chart};
use crate::report::{SweepReport, write_atomically};
use crate::scenario::Override;
use crate::stats::Metric;
use crate::sweep::{Axis, Grid, run_cohorts};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// A scenario path and its values: a list (leads.reachability.mean=0.05,0.1,0.15), an
    /// integer range (cadence.attempts=1..16) or a stepped one (0.05..0.2:0.05). Repeat for a
    /// grid.
    #[arg(long, value_name = "PATH=LIST|RANGE", value_parser = Axis::parse, required = true)]
    vary: Vec<Axis>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write one row per grid point to this CSV file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Chart the metric to this .png or .svg file: a line with its P05–P95 band for one
    /// varied path, a heatmap for two.
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    /// The metric the chart shows.
    #[arg(long, value_name = "NAME", default_value = "deals", value_parser = metric_named)]
    metric: Metric,
    #[command(flatten)]
    run: RunArgs,
}

/// A metric by its name in the vocabulary of MODEL.md §4.
fn metric_named(name: &str) -> Result<Metric, String> {
    Metric::ALL
        .into_iter()
        .find(|m| m.name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
            format!("no metric `{name}`; choose one of {}", names.join(", "))
        })
}

pub fn run(args: Args) -> Result<(), CliError> {
    let grid = Grid::new(args.vary).map_err(CliError::Input)?;
    if let Some(path) = &args.chart {
        check_chart_path(path)?;
        if grid.axes.len() > 2 {
            return Err(CliError::Input(format!(
                "--chart {}: a chart shows one or two varied paths, and this sweep varies {}; \
                 chart from --csv instead",
                path.display(),
                grid.axes.len()
            )));
        }
    }
    // Every point is loaded and checked before any is run.
    let scenarios = (0..grid.len())
        .map(|i| {
            let point: Vec<Override> = grid
                .point(i)
                .iter()
                .zip(&grid.axes)
                .map(|(&v, axis)| Override {
                    path: axis.path.clone(),
                    value: axis.values[v].clone(),
                    flag: Some(format!("--vary {}={}", axis.path, axis.label(v))),
                })
                .collect();
            let overrides = args.run.overrides().into_iter().chain(point);
            let scenario = args.scenario.load(overrides)?;
            check_cohort(&scenario)?;
            Ok(scenario)
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    let first = &scenarios[0];
    let (replications, seed) = (first.simulation.replications, first.simulation.seed);
    // A progress bar on stderr when a person is watching it; stdout stays clean.
    let progress = if std::io::stderr().is_terminal() {
        ProgressBar::new(grid.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} points, {elapsed} (about {eta} left)")
            .expect("a valid template"),
    );
    let points = args
        .run
        .on_threads(|| run_cohorts(&scenarios, || progress.inc(1)))?;
    progress.finish_and_clear();
    let report = SweepReport {
        scenario: first.name.clone(),
        seed,
        replications,
        grid,
        points,
    };
    if let Some(path) = &args.csv {
        write_atomically(path, |w| report.write_csv(w))
            .map_err(|err| CliError::output(path, err))?;
    }
    if let Some(path) = &args.chart {
        let chart = report.chart(args.metric).expect("one or two axes, checked");
        save_chart(&chart, path)?;
    }
    if args.json {
        print(|out| writeln!(out, "{:#}", report.to_json()))
    } else {
        print(|out| report.write_table(out))
    }
}
