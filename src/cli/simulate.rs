//! `callblitz simulate`: a cohort, or the team's calendar, over many replications.

use std::path::PathBuf;

use super::emit::{OutputArgs, write_output};
use super::{CliError, RunArgs, ScenarioArgs, prepare};
use callblitz::calllog::write_cohort_log;
use callblitz::engine::CohortModel;
use callblitz::money::Prices;
use callblitz::report::{
    Breakdown, Drawn, RunReport, Weeks, group_thousands, simulated, write_timeline_csv,
};
use callblitz::runs::{DrawnOutcome, Kind, Outcome};

#[derive(Debug, clap::Args)]
#[command(
    mut_arg("csv", |a| a.help(
        "Also write one row per replication to this CSV file (- for standard output, in place \
         of the table)"
    )),
    mut_arg("chart", |a| a.requires("calendar").help(
        "With --calendar: chart weekly penetration and the backlog of overdue touches, with \
         P10–P90 bands, to this .png or .svg file"
    )),
)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Simulate the team's calendar (capacity, ramp, weeks off, sales cycle) instead of a cohort.
    #[arg(long)]
    calendar: bool,
    /// With --calendar: write the weekly timeline (mean and P10/P50/P90 per week) to this CSV.
    #[arg(long, value_name = "FILE", requires = "calendar")]
    timeline: Option<PathBuf>,
    /// With --calendar: also list the weeks in the table (touches, contacts, appointments,
    /// penetration and overdue touches; weeks off read "off").
    #[arg(long, requires = "calendar")]
    weekly: bool,
    /// Also write the touch-by-touch call log of one replication (cohort runs) to this CSV, in
    /// the layout `calibrate` reads (- for standard output, in place of the table).
    #[arg(long, value_name = "FILE", conflicts_with = "calendar")]
    log: Option<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let files = args
        .scenario
        .files()
        .writes("--timeline", "the timeline", args.timeline.as_deref())
        .writes("--log", "the call log", args.log.as_deref());
    let outputs = args.output.check(files, "the CSV")?;
    let scenario = args.scenario.load(&args.run, [])?;
    let kind = if args.calendar {
        Kind::Calendar
    } else {
        Kind::Cohort
    };
    let mut run = prepare(scenario, kind, &args.scenario.file)?;
    let weeks_wanted = args.timeline.is_some() || args.weekly || outputs.chart_asked();
    if weeks_wanted {
        run = run.recording_weeks();
    }
    let scenario = run.scenario();
    if let Some(path) = &args.log {
        let model = CohortModel::new(scenario);
        write_output(path, |w| write_cohort_log(scenario, &model, w))?;
    }
    let (outcome, drawn) = args.run.run(&run)?;
    let setup = match &outcome {
        Outcome::Calendar(model, _) => {
            let team = &scenario.team;
            format!(
                "calendar of {} weeks ({} worked), {} rep(s), {}, {}",
                scenario.simulation.weeks,
                model.calendar().working_weeks(),
                team.reps,
                scenario.routing.mode.name(),
                if team.members.is_empty() {
                    format!(
                        "prospecting {} h a day after a {}-week ramp",
                        team.prospecting_hours_per_day, team.ramp_weeks
                    )
                } else {
                    "as listed in [[team.members]]".to_string()
                }
            )
        }
        _ => format!(
            "cohort of {} leads",
            group_thousands(scenario.leads.count as f64, 0)
        ),
    };
    let weeks = match &outcome {
        Outcome::Calendar(model, runs) if weeks_wanted => Some(Weeks {
            timeline: runs.timeline(model.calendar()),
            team_label: format!(
                "{} rep(s), {}",
                scenario.team.reps,
                scenario.routing.mode.name()
            ),
            ramp_weeks: scenario.team.ramp_weeks,
            weeks_off: model.calendar().weeks_off_spans(),
            in_text: args.weekly,
        }),
        _ => None,
    };
    if let (Some(weeks), Some(path)) = (&weeks, &args.timeline) {
        write_output(path, |w| write_timeline_csv(&weeks.timeline, w))?;
    }
    let (samples, team, money) = simulated(outcome, Prices::of(scenario, kind.charge()));
    let report = RunReport {
        segments: Breakdown::of(scenario, &samples),
        money,
        scenario: scenario.name.clone(),
        setup,
        seed: scenario.simulation.seed,
        replications: scenario.simulation.replications,
        samples,
        team,
        weeks,
        drawn: drawn
            .and_then(DrawnOutcome::into_samples)
            .map(|samples| Drawn::new(scenario, samples)),
    };
    outputs.emit(&report)
}
