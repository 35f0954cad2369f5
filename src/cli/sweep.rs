//! `callblitz sweep`: run a scenario over a grid of values, or swing every parameter in turn
//! (--tornado).

use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};

use super::{
    CliError, RunArgs, ScenarioArgs, check_calendar, check_chart_path, check_cohort, print,
    save_chart,
};
use crate::report::{SweepReport, TornadoReport, write_atomically};
use crate::scenario::{Override, Scenario};
use crate::sweep::{
    Axis, Grid, Job, Measure, Outcome, Point, Run, Tornado, default_measure, levers, run_points,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// A scenario path and its values: a list (leads.reachability.mean=0.05,0.1,0.15), an
    /// integer range (cadence.attempts=1..16) or a stepped one (0.05..0.2:0.05). Repeat for a
    /// grid. Without it, the grid saved in the scenario's [sweep] vary.
    #[arg(long, value_name = "PATH=LIST|RANGE", value_parser = Axis::parse)]
    vary: Vec<Axis>,
    /// Swing every numeric parameter down and up by --swing, one at a time, and rank them by
    /// their effect on --metric: which lever matters most.
    #[arg(long, conflicts_with = "vary")]
    tornado: bool,
    /// The tornado's swing: 20% or 0.2 (default: the scenario's sweep.swing, 20%).
    #[arg(long, value_name = "SHARE", requires = "tornado", value_parser = swing_share)]
    swing: Option<f64>,
    /// Run the team's calendar at each point instead of a cohort.
    #[arg(long, conflicts_with = "plan")]
    calendar: bool,
    /// Run a plan at each point: the prospecting hours per rep-week that reach the goal at its
    /// confidence (the metric required_hours).
    #[arg(long)]
    plan: bool,
    /// What the chart and the tornado follow: a metric (default deals) or required_hours (a
    /// plan's hours).
    #[arg(long, value_name = "NAME", value_parser = Measure::named)]
    metric: Option<Measure>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write one row per grid point (or per parameter of a tornado) to this CSV file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Chart to this .png or .svg file: for one varied path a line (with its P05–P95 band for a
    /// metric), for two a heatmap; with --tornado, the tornado.
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

/// `20%` or `0.2`, above 0 and below 1.
fn swing_share(text: &str) -> Result<f64, String> {
    let (number, scale) = match text.trim().strip_suffix('%') {
        Some(percent) => (percent, 100.0),
        None => (text.trim(), 1.0),
    };
    number
        .trim()
        .parse::<f64>()
        .ok()
        .map(|x| x / scale)
        .filter(|x| *x > 0.0 && *x < 1.0)
        .ok_or_else(|| {
            "write the swing as a percentage above 0% and below 100% (20%) or as a share (0.2)"
                .to_string()
        })
}

pub fn run(args: Args) -> Result<(), CliError> {
    if let Some(path) = &args.chart {
        check_chart_path(path)?;
    }
    let base = args.scenario.load(args.run.overrides())?;
    // A flag decides; else asking for required hours asks for plans; else the scenario's.
    let run = if args.plan {
        Run::Plan
    } else if args.calendar {
        Run::Calendar
    } else if args.metric == Some(Measure::RequiredHours) {
        Run::Plan
    } else {
        base.sweep.run
    };
    let measure = match (args.metric, &base.sweep.metric) {
        (Some(measure), _) => measure,
        (None, Some(name)) => Measure::named(name).map_err(CliError::Input)?,
        (None, None) => default_measure(run),
    };
    if !measure.reported_by(run) {
        return Err(CliError::Input(format!(
            "the metric {} is not one a {} reports: choose --metric required_hours for plans, \
             a metric such as deals otherwise",
            measure.name(),
            run.name()
        )));
    }
    let report = if args.tornado {
        Report::Tornado(tornado(&args, &base, run, measure)?)
    } else {
        Report::Grid(grid(&args, &base, run)?, measure)
    };
    if let Some(path) = &args.csv {
        write_atomically(path, |w| report.write_csv(w))
            .map_err(|err| CliError::output(path, err))?;
    }
    if let Some(path) = &args.chart {
        match &report {
            Report::Grid(grid, measure) => {
                save_chart(
                    &grid.chart(*measure).expect("one or two axes, checked"),
                    path,
                )?;
            }
            Report::Tornado(tornado) => save_chart(&tornado.chart(), path)?,
        }
    }
    if args.json {
        let json = match &report {
            Report::Grid(grid, _) => grid.to_json(),
            Report::Tornado(tornado) => tornado.to_json(),
        };
        print(|out| writeln!(out, "{json:#}"))
    } else {
        print(|out| report.write_table(out))
    }
}

/// What a sweep found: a grid (charted by its measure) or a tornado.
enum Report {
    Grid(SweepReport, Measure),
    Tornado(TornadoReport),
}

impl Report {
    fn write_csv(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self {
            Report::Grid(grid, _) => grid.write_csv(out),
            Report::Tornado(tornado) => tornado.write_csv(out),
        }
    }

    fn write_table(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self {
            Report::Grid(grid, _) => grid.write_table(out),
            Report::Tornado(tornado) => tornado.write_table(out),
        }
    }
}

/// Every grid point, run and reported.
fn grid(args: &Args, base: &Scenario, run: Run) -> Result<SweepReport, CliError> {
    // The grid on the command line, else the one saved in the scenario (checked on loading).
    let (axes, origin) = if args.vary.is_empty() {
        let saved = base.sweep.vary.iter().map(|text| {
            Axis::parse(text).expect("the scenario's sweep.vary was checked on loading")
        });
        (saved.collect(), "[sweep] vary")
    } else {
        (args.vary.clone(), "--vary")
    };
    if axes.is_empty() {
        return Err(CliError::Input(format!(
            "{}: nothing to sweep: give --vary PATH=LIST|RANGE (e.g. --vary \
             cadence.attempts=1..16) or --tornado, or save a grid in the scenario's [sweep] \
             vary",
            args.scenario.file.display()
        )));
    }
    let grid = Grid::new(axes).map_err(CliError::Input)?;
    if let Some(path) = &args.chart
        && grid.axes.len() > 2
    {
        return Err(CliError::Input(format!(
            "--chart {}: a chart shows one or two varied paths, and this sweep varies {}; \
             chart from --csv instead",
            path.display(),
            grid.axes.len()
        )));
    }
    // Every point is loaded and checked before any is run.
    let points = (0..grid.len())
        .map(|i| {
            let point: Vec<Override> = grid
                .point(i)
                .iter()
                .zip(&grid.axes)
                .map(|(&v, axis)| Override {
                    path: axis.path.clone(),
                    value: axis.values[v].clone(),
                    flag: Some(format!("{origin} {}={}", axis.path, axis.label(v))),
                })
                .collect();
            let at = point
                .iter()
                .map(|o| format!("{}={}", o.path, o.value))
                .collect::<Vec<_>>()
                .join(", ");
            let overrides = args.run.overrides().into_iter().chain(point);
            point_of(args.scenario.load(overrides)?, run, &at)
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    let outcomes = run_all(args, &points)?;
    Ok(SweepReport {
        scenario: base.name.clone(),
        seed: base.simulation.seed,
        replications: base.simulation.replications,
        run,
        grid,
        points: outcomes,
    })
}

/// Every numeric parameter swung down and up in turn, ranked by its effect.
fn tornado(
    args: &Args,
    base: &Scenario,
    run: Run,
    measure: Measure,
) -> Result<TornadoReport, CliError> {
    let swing = args.swing.unwrap_or(base.sweep.swing);
    let (levers, left_out) = levers(base, run, swing, |set| {
        let overrides = args.run.overrides().into_iter().chain([set.clone()]);
        args.scenario.load(overrides).ok()
    });
    let mut points = vec![point_of(base.clone(), run, "the scenario's values")?];
    for lever in &levers {
        for side in [&lever.low, &lever.high].into_iter().flatten() {
            let at = format!("{} = {}", lever.name, side.value);
            points.push(point_of(side.scenario.clone(), run, &at)?);
        }
    }
    let outcomes = run_all(args, &points)?;
    Ok(TornadoReport {
        scenario: base.name.clone(),
        seed: base.simulation.seed,
        replications: base.simulation.replications,
        run,
        tornado: Tornado::new(measure, swing, &levers, &outcomes, left_out),
    })
}

/// A point ready to run, once the scenario is known to suit the run; `at` names the point in
/// errors.
fn point_of(scenario: Scenario, run: Run, at: &str) -> Result<Point, CliError> {
    let named = |err: CliError| match err {
        CliError::Input(why) => CliError::Input(format!("at {at}: {why}")),
        other => other,
    };
    let job = match run {
        Run::Cohort => check_cohort(&scenario).map(|()| Job::Cohort),
        Run::Calendar => check_calendar(&scenario, scenario.team.prospecting_hours_per_day)
            .map(|()| Job::Calendar),
        Run::Plan => super::plan::prepare(&scenario).map(|(target, _, hours)| Job::Plan {
            target,
            expected_hours_per_week: hours,
        }),
    }
    .map_err(named)?;
    Ok(Point { scenario, job })
}

/// Runs the points on --threads, with a progress bar on stderr when a person is watching it;
/// stdout stays clean.
fn run_all(args: &Args, points: &[Point]) -> Result<Vec<Outcome>, CliError> {
    let progress = if std::io::stderr().is_terminal() {
        ProgressBar::new(points.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} points, {elapsed} (about {eta} left)")
            .expect("a valid template"),
    );
    let outcomes = args
        .run
        .on_threads(|| run_points(points, || progress.inc(1)))?;
    progress.finish_and_clear();
    Ok(outcomes)
}
