//! `callblitz simulate`: a cohort over many replications.

use std::path::PathBuf;

use super::{CliError, RunArgs, ScenarioArgs, check_calendar, print};
use crate::engine::{CalendarModel, CohortModel, simulate_calendar, simulate_cohort};
use crate::report::{RunReport, Timeline, group_thousands, write_atomically};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write one row per replication to this CSV file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Simulate the team's calendar (capacity, ramp, weeks off, sales cycle) instead of a cohort.
    #[arg(long)]
    calendar: bool,
    /// With --calendar: write the weekly timeline (mean and P10/P50/P90 per week) to this CSV.
    #[arg(long, value_name = "FILE", requires = "calendar")]
    timeline: Option<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let scenario = args.scenario.load(args.run.overrides())?;
    let replications = scenario.simulation.replications;
    let seed = scenario.simulation.seed;
    let (setup, samples) = if args.calendar {
        let team = &scenario.team;
        check_calendar(&scenario, team.prospecting_hours_per_day)?;
        let mut model = CalendarModel::new(&scenario, team.prospecting_hours_per_day);
        if args.timeline.is_some() {
            model = model.recording_weeks();
        }
        let runs = args
            .run
            .on_threads(|| simulate_calendar(&model, replications, seed))?;
        if let Some(path) = &args.timeline {
            let timeline = Timeline::new(&runs.weeks);
            write_atomically(path, |w| timeline.write_csv(w))
                .map_err(|err| CliError::output(path, err))?;
        }
        let setup = format!(
            "calendar of {} weeks ({} worked), {} rep(s) prospecting {} h a day after a {}-week ramp",
            scenario.simulation.weeks,
            model.calendar().working_weeks(),
            team.reps,
            team.prospecting_hours_per_day,
            team.ramp_weeks
        );
        (setup, runs.samples)
    } else {
        let model = CohortModel::new(&scenario);
        let samples = args
            .run
            .on_threads(|| simulate_cohort(&model, replications, seed))?;
        let setup = format!(
            "cohort of {} leads",
            group_thousands(model.leads() as f64, 0)
        );
        (setup, samples)
    };
    let report = RunReport {
        scenario: scenario.name.clone(),
        setup,
        seed,
        replications,
        samples,
    };
    if let Some(path) = &args.csv {
        write_atomically(path, |w| report.write_csv(w))
            .map_err(|err| CliError::output(path, err))?;
    }
    if args.json {
        print(|out| writeln!(out, "{}", report.to_json()))
    } else {
        print(|out| report.write_table(out))
    }
}
