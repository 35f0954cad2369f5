//! `callblitz sweep`: run a scenario over a grid of values, or swing every parameter in turn
//! (--tornado).

use super::emit::{OutputArgs, Outputs};
use super::{CliError, RunArgs, ScenarioArgs, progress_bar};
use callblitz::plan::AtConfidence;
use callblitz::report::{SweepReport, TornadoReport, group_names};
use callblitz::runs::{self, Kind, Refusal, check_together};
use callblitz::scenario::{Location, Origin, Override, Scenario, Source};
use callblitz::sweep::{
    Axis, Grid, MIN_SWING, Measure, PointResult, SweepRun, Tornado, default_measure, levers,
    run_points,
};

#[derive(Debug, clap::Args)]
#[command(
    mut_arg("csv", |a| a.help(
        "Also write one row per grid point (or per parameter of a tornado) to this CSV file (- \
         for standard output, in place of the table)"
    )),
    mut_arg("chart", |a| a.help(
        "Chart to this .png or .svg file: for one varied path a line (with its P05–P95 band for \
         a metric), for two a heatmap; with --tornado, the tornado"
    )),
)]
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
    /// Run a cohort of leads at each point (the default, unless the scenario's sweep.run says
    /// otherwise).
    #[arg(long, conflicts_with_all = ["calendar", "plan"])]
    cohort: bool,
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
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    run: RunArgs,
}

/// `20%` or `0.2`, from 1% and below 100%.
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
        .filter(|x| (MIN_SWING..1.0).contains(x))
        .ok_or_else(|| {
            "write the swing as a percentage from 1% and below 100% (20%) or as a share (0.2)"
                .to_string()
        })
}

pub fn run(args: Args) -> Result<(), CliError> {
    // clap lets `requires` lapse beside a conflicting flag (--vary): said here instead.
    if args.swing.is_some() && !args.tornado {
        return Err(CliError::Input(
            "--swing is the tornado's: add --tornado, or leave --swing out of a --vary grid".into(),
        ));
    }
    let outputs = args.output.check(args.scenario.files(), "the CSV")?;
    // The file is parsed once: the base, every grid point and every swing come from it.
    let source = args.scenario.source(args.run.seed)?;
    let base = source.scenario(&args.scenario.overrides(args.run.overrides()))?;
    // A flag decides; else asking for required hours asks for plans; else the scenario's.
    let (run, run_from) = if args.plan {
        (SweepRun::Plan, "--plan")
    } else if args.calendar {
        (SweepRun::Calendar, "--calendar")
    } else if args.cohort {
        (SweepRun::Cohort, "--cohort")
    } else if args.metric == Some(Measure::RequiredHours) {
        (SweepRun::Plan, "--metric required_hours")
    } else {
        (base.sweep.run, "the scenario's sweep.run")
    };
    let saved = base.sweep.metric;
    // A saved metric that the run does not report (say `deals` under --plan) gives way to the
    // run's default; only --metric can ask for what the run does not report.
    let measure = match (args.metric, saved) {
        (Some(measure), _) => measure,
        (None, Some(measure)) if measure.reported_by(run) => measure,
        (None, _) => default_measure(run),
    };
    if !measure.reported_by(run) {
        // Asking for required hours picks plans unless a flag chose another run.
        let fix = if run == SweepRun::Plan {
            "a plan reports required_hours: give --metric required_hours, or run --cohort or \
             --calendar"
        } else {
            "required_hours comes from plans: use --plan in its place, or give another --metric"
        };
        return Err(CliError::Input(format!(
            "the metric {} (--metric) is not one a {} ({run_from}) reports; {fix}",
            measure.name(),
            run.name()
        )));
    }
    if args.tornado {
        outputs.emit(&tornado(&args, &source, &base, run, measure)?)
    } else {
        outputs.emit(&grid(&args, &outputs, &source, &base, run, measure)?)
    }
}

/// Every grid point, run and reported.
fn grid(
    args: &Args,
    outputs: &Outputs,
    source: &Source,
    base: &Scenario,
    run: SweepRun,
    measure: Measure,
) -> Result<SweepReport, CliError> {
    // The grid on the command line, else the one saved in the scenario (checked on loading).
    let overrides = args.scenario.overrides(args.run.overrides());
    let (grid, points) = if args.vary.is_empty() {
        saved_grid(source, base, run, &overrides)?
    } else {
        prepare_grid(source, args.vary.clone(), "--vary", run, &overrides)?
    };
    if let Some(why) = SweepReport::no_chart(grid.axes.len()) {
        outputs.refuse_chart(why)?;
    }
    let outcomes = run_all(args, &points)?;
    Ok(SweepReport {
        scenario: base.name.clone(),
        seed: base.simulation.seed,
        replications: base.simulation.replications,
        run,
        grid,
        points: outcomes,
        measure,
        segment_names: group_names(base),
    })
}

/// Refuses a scenario whose saved `[sweep]` grid `sweep` would refuse (a point out of range,
/// an axis its run never reads, a point too large to run), as `scenario check` reports it.
pub(super) fn check_saved_grid(
    source: &Source,
    base: &Scenario,
    overrides: &[Override],
) -> Result<(), CliError> {
    if base.sweep.vary.is_empty() {
        return Ok(());
    }
    saved_grid(source, base, base.sweep.run, overrides).map(|_| ())
}

/// The grid saved in the scenario's `[sweep]`, every point loaded and checked for `run`.
fn saved_grid(
    source: &Source,
    base: &Scenario,
    run: SweepRun,
    overrides: &[Override],
) -> Result<(Grid, Vec<runs::Run>), CliError> {
    let axes = base.sweep.vary.clone();
    if axes.is_empty() {
        return Err(CliError::Input(format!(
            "{}: nothing to sweep: give --vary PATH=LIST|RANGE (e.g. --vary \
             cadence.attempts=1..16) or --tornado, or save a grid in the scenario's [sweep] \
             vary",
            source.origin()
        )));
    }
    let origin = format!("{} [sweep] vary", source.locate("sweep.vary"));
    prepare_grid(source, axes, &origin, run, overrides)
}

/// The grid of `axes` (named `origin` in errors), every point loaded and checked for `run`
/// before any is run.
fn prepare_grid(
    source: &Source,
    axes: Vec<Axis>,
    origin: &str,
    run: SweepRun,
    overrides: &[Override],
) -> Result<(Grid, Vec<runs::Run>), CliError> {
    let grid = Grid::new(axes).map_err(CliError::Input)?;
    let base = source.scenario(overrides)?;
    for axis in &grid.axes {
        Kind::from(run)
            .check_reads(&axis.path, &base)
            .map_err(|why| why.within(format_args!("--vary {}", axis.path)))?;
    }
    let points = (0..grid.len())
        .map(|i| {
            let point: Vec<Override> = grid
                .point(i)
                .iter()
                .zip(&grid.axes)
                .map(|(&v, axis)| Override {
                    path: axis.path.clone(),
                    value: axis.values[v].clone(),
                    origin: Origin::Flag(format!("{origin} {}={}", axis.path, axis.label(v))),
                })
                .collect();
            let at = point
                .iter()
                .map(|o| format!("{}={}", o.path, o.value))
                .collect::<Vec<_>>()
                .join(", ");
            let overrides: Vec<Override> = overrides.iter().cloned().chain(point).collect();
            // A rule the point breaks elsewhere in the file (weeks_off against a varied
            // weeks) names the point that breaks it.
            let scenario = source.scenario(&overrides).map_err(|mut err| {
                for problem in &mut err.problems {
                    if !matches!(problem.location, Location::Set(_)) {
                        problem.message = format!("{} (at {origin} {at})", problem.message);
                    }
                }
                err
            })?;
            Ok(point_of(scenario, run, &at).map_err(|why| why.within(source.origin()))?)
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    check_together(
        &format!("{}: the sweep of {} points", source.origin(), points.len()),
        "use fewer points, or fewer replications (--replications or simulation.replications)",
        &points,
    )?;
    Ok((grid, points))
}

/// Every numeric parameter swung down and up in turn, ranked by its effect.
fn tornado(
    args: &Args,
    source: &Source,
    base: &Scenario,
    run: SweepRun,
    measure: Measure,
) -> Result<TornadoReport, CliError> {
    let swing = args.swing.unwrap_or(base.sweep.swing);
    let (mut levers, mut left_out) = levers(base, run, swing, |set| {
        let overrides = args
            .scenario
            .overrides(args.run.overrides().into_iter().chain([set.clone()]));
        // The first problem names the key and why: enough for a parameter left out.
        source.scenario(&overrides).map_err(|err| {
            err.problems
                .first()
                .map_or_else(|| err.to_string(), |p| p.message.clone())
        })
    });
    let base_point = point_of(base.clone(), run, "the scenario's values")
        .map_err(|why| why.within(args.scenario.file.display()))?;
    // A side whose run the scenario's checks refuse (too large a run, say) is dropped with the
    // reason; a lever left with no side is dropped. Every side is checked before any runs.
    let mut points = Vec::new();
    levers.retain_mut(|lever| {
        for (side, word) in [(&mut lever.low, "down"), (&mut lever.high, "up")] {
            if let Some(s) = side {
                match point_of(
                    s.scenario.clone(),
                    run,
                    &format!("{} = {}", lever.name, s.value),
                ) {
                    Ok(point) => points.push(point),
                    Err(err) => {
                        left_out.push((format!("{} {word}", lever.name), err.to_string()));
                        *side = None;
                    }
                }
            }
        }
        lever.low.is_some() || lever.high.is_some()
    });
    check_together(
        &format!(
            "{}: the tornado of {} levers",
            args.scenario.file.display(),
            levers.len()
        ),
        "use fewer replications (--replications or simulation.replications)",
        std::iter::once(&base_point).chain(&points),
    )?;
    // The scenario's own values first: a plan there must reach the goal for hours to rank.
    let mut outcomes = run_points(std::slice::from_ref(&base_point), || ());
    if let PointResult::Planned(plan) = &outcomes[0]
        && let AtConfidence::Unreachable(short) = &plan.answer
    {
        // The plan's first reason says what stands in the way (a territory, the hours).
        let why = short
            .reasons
            .first()
            .map_or(String::new(), |r| format!(" ({r})"));
        return Err(CliError::Input(format!(
            "{}: at the scenario's own values no hours within the working week reach the \
             goal{why}, so there are no hours to rank: lower the goal (goal.deals or \
             goal.revenue), or rank another metric without --plan (e.g. --metric deals \
             --calendar)",
            args.scenario.file.display()
        )));
    }
    outcomes.extend(run_all(args, &points)?);
    Ok(TornadoReport {
        scenario: base.name.clone(),
        seed: base.simulation.seed,
        replications: base.simulation.replications,
        run,
        tornado: Tornado::new(measure, swing, &levers, &outcomes, left_out),
    })
}

/// A point checked for `run`; `at` names the point in a refusal.
fn point_of(scenario: Scenario, run: SweepRun, at: &str) -> Result<runs::Run, Refusal> {
    runs::Run::prepare(scenario, run.into())
        .map(runs::Run::without_curve)
        .map_err(|why| why.within(format_args!("at {at}")))
}

/// Runs the points on --threads, with a progress bar on stderr when a person is watching it;
/// stdout stays clean.
fn run_all(args: &Args, points: &[runs::Run]) -> Result<Vec<PointResult>, CliError> {
    let progress = progress_bar(Some(points.len() as u64), "points");
    let outcomes = args
        .run
        .on_threads(|| run_points(points, || progress.inc(1)))?;
    progress.finish_and_clear();
    Ok(outcomes)
}
