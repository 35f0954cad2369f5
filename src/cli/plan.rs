//! `callblitz plan`: the weekly KPIs that reach an annual goal, at a stated confidence.

use std::path::PathBuf;

use super::emit::{OutputArgs, Outputs, write_output};
use super::{CliError, RunArgs, ScenarioArgs, flag_override, prepare};
use callblitz::engine::WorkCalendar;
use callblitz::money::IncomeGoal;
use callblitz::plan::{AtConfidence, SAVED_PLAN_FORMAT, SavedPlan, one_more_hire, weighable};
use callblitz::report::{PlanReport, SizingReport, drawn_keys, write_timeline_csv};
use callblitz::runs::{DrawnOutcome, Kind, Outcome, PlanStart};
use callblitz::scenario::Scenario;
use callblitz::track::{PlanGiven, PlanSource, plan_weeks, when_to_tell};

#[derive(Debug, clap::Args)]
#[command(
    mut_arg("json", |a| a.help("Print one JSON object instead of the text")),
    mut_arg("csv", |a| a.help(
        "Also write the expected reverse funnel (a row per metric, a column per period) to a CSV \
         (- for standard output, in place of the text)"
    )),
    mut_arg("chart", |a| a.help(
        "Also draw the fan chart of cumulative deals at the planned hours (.png or .svg)"
    )),
)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Goal in deals for the year (instead of the scenario's [goal]).
    #[arg(long, conflicts_with = "revenue", allow_negative_numbers = true)]
    deals: Option<f64>,
    /// Goal in revenue for the year (instead of the scenario's [goal]).
    #[arg(long, conflicts_with = "income", allow_negative_numbers = true)]
    revenue: Option<f64>,
    /// Goal as the rep's own income for the year, base pay plus commission on revenue
    /// (costs.base_salary, costs.commission_rate): the revenue that earns it is planned.
    #[arg(long, conflicts_with = "deals", allow_negative_numbers = true)]
    income: Option<f64>,
    /// Required chance of reaching the goal, e.g. 0.8 (same as --set goal.confidence=C).
    #[arg(long, allow_negative_numbers = true)]
    confidence: Option<f64>,
    #[command(flatten)]
    output: OutputArgs,
    /// Also say when a rep at this share of the plan (from above 0 to below 1, e.g. 0.7) would
    /// be told apart from bad luck, as `track` judges a check-in (three more simulated runs).
    #[arg(long, value_name = "SHARE")]
    tell: Option<f64>,
    /// Also weigh one more hire: the team as it is and with one more rep at the plan's hours
    /// (or the most a week holds, when the goal is out of reach), on the same simulated years:
    /// the chance of the goal, the deals and, with [costs], what each costs and earns.
    #[arg(long)]
    one_more_hire: bool,
    /// Also write the weekly timeline at the planned hours to a CSV.
    #[arg(long, value_name = "FILE")]
    timeline: Option<PathBuf>,
    /// Also save the plan (its hours and the whole scenario) to this JSON file, for the
    /// check-ins that follow it: `track SCENARIO --plan FILE`.
    #[arg(long, value_name = "FILE")]
    save: Option<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let files = args
        .scenario
        .files()
        .writes("--timeline", "the timeline", args.timeline.as_deref())
        .writes("--save", "the saved plan", args.save.as_deref());
    let outputs = args.output.check(files, "the reverse funnel")?;
    let mut extra = Vec::new();
    if let Some(confidence) = args.confidence {
        extra.push(flag_override("--confidence", "goal.confidence", confidence));
    }
    // A goal given by flag replaces the scenario's, whichever form that had.
    if let Some(deals) = args.deals {
        extra.push(flag_override("--deals", "goal.deals", deals));
    }
    if let Some(revenue) = args.revenue {
        extra.push(flag_override("--revenue", "goal.revenue", revenue));
    }
    if let Some(share) = args.tell
        && !(share > 0.0 && share < 1.0)
    {
        return Err(CliError::Input(format!(
            "--tell {share}: the share of the plan a rep falls short at is from above 0 to \
             below 1, e.g. 0.7"
        )));
    }
    let income = match args.income {
        Some(income) => {
            let scenario = args.scenario.load(&args.run, extra.clone())?;
            let goal = IncomeGoal::of(&scenario, income).map_err(CliError::Input)?;
            extra.push(flag_override("--income", "goal.revenue", goal.revenue));
            Some(goal)
        }
        None => None,
    };
    let scenario = args.scenario.load(&args.run, extra)?;
    if args.one_more_hire {
        weighable(&scenario).map_err(|err| CliError::Input(format!("--one-more-hire: {err}")))?;
    }
    if Kind::plan_for(&scenario) == Kind::Sizing {
        return size(&args, scenario, outputs);
    }
    let run = prepare(scenario, Kind::Plan, &args.scenario.file)?;
    let (Outcome::Plan(start, answer, search), drawn) = args.run.run(&run)? else {
        unreachable!("a plan's run plans")
    };
    let PlanStart {
        target, expected, ..
    } = *start;
    let scenario = run.scenario();
    let when_to_tell = match (args.tell, answer.hours_per_week()) {
        (Some(share), Some(hours)) => Some(args.run.on_threads(|| {
            let given = PlanGiven {
                hours_per_week: hours,
                from: PlanSource::Search,
            };
            let plan = plan_weeks(scenario, hours)?;
            when_to_tell(scenario, &given, &plan, share)
        })??),
        _ => None,
    };
    let sim = &scenario.simulation;
    let hires = match args.one_more_hire {
        true => {
            let most = scenario.team.workday_hours * f64::from(sim.working_days_per_week);
            let hours = answer.hours_per_week().unwrap_or(most);
            Some(
                args.run
                    .on_threads_watched(2 * sim.replications, |progress| {
                        one_more_hire(scenario, &target, hours, progress)
                    })?
                    .map_err(|err| CliError::Input(format!("--one-more-hire: {err}")))?,
            )
        }
        false => None,
    };
    let working_weeks = sim.weeks - sim.weeks_off;
    let report = PlanReport {
        scenario: scenario.name.clone(),
        seed: sim.seed,
        replications: sim.replications,
        reps: scenario.team.reps,
        weeks: sim.weeks,
        working_weeks,
        working_days_per_week: sim.working_days_per_week,
        ramp_weeks: scenario.team.ramp_weeks,
        workday_hours: scenario.team.workday_hours,
        weeks_off: WorkCalendar::new(sim).weeks_off_spans(),
        target,
        expected,
        at_confidence: answer,
        search,
        drawn: match drawn {
            Some(DrawnOutcome::Plan(plan)) => Some((drawn_keys(scenario), *plan)),
            _ => None,
        },
        when_to_tell,
        income,
        hires,
    };
    if let (AtConfidence::Plan(plan), Some(path)) = (&report.at_confidence, &args.timeline) {
        write_output(path, |w| write_timeline_csv(&plan.timeline, w))?;
    }
    if let (AtConfidence::Plan(plan), Some(path)) = (&report.at_confidence, &args.save) {
        let saved = SavedPlan {
            format: SAVED_PLAN_FORMAT.to_string(),
            scenario_file: args.scenario.file.display().to_string(),
            hours_per_week: plan.hours_per_week,
            appointments_set_per_week_ramped: plan.appointments_set_per_week_ramped,
            confidence: target.confidence,
            scenario: scenario.clone(),
        };
        write_output(path, |w| {
            serde_json::to_writer_pretty(&mut *w, &saved)?;
            writeln!(w)
        })?;
    }
    outputs.emit(&report)?;
    match (&report.at_confidence, &args.save) {
        (AtConfidence::Unreachable(_), Some(path)) => Err(CliError::Input(format!(
            "--save {}: no plan to save, since no hours within the working day reach the goal \
             at its confidence (see above)",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// `plan` of an inbound team: the reps and hours that keep its `[service]`. The flags that
/// only a plan of hours reads are refused rather than ignored.
fn size(args: &Args, scenario: Scenario, outputs: Outputs<'_>) -> Result<(), CliError> {
    let only_hours = [
        ("--income", args.income.is_some()),
        ("--tell", args.tell.is_some()),
        ("--one-more-hire", args.one_more_hire),
        ("--timeline", args.timeline.is_some()),
        ("--save", args.save.is_some()),
    ];
    if let Some((flag, _)) = only_hours.iter().find(|(_, given)| *given) {
        return Err(CliError::Input(format!(
            "{flag}: leads arrive by themselves here (leads.source = \"{}\"), so plan sizes \
             the team for [service] rather than finding hours, and {flag} belongs to a plan of \
             hours: leave it out",
            scenario.leads.source.name()
        )));
    }
    outputs.refuse_chart(SizingReport::no_chart())?;
    let run = prepare(scenario, Kind::Sizing, &args.scenario.file)?;
    let (Outcome::Sizing(sizing), _) = args.run.run(&run)? else {
        unreachable!("a sizing's run sizes")
    };
    let scenario = run.scenario();
    let sim = &scenario.simulation;
    outputs.emit(&SizingReport {
        scenario: scenario.name.clone(),
        seed: sim.seed,
        replications: sim.replications,
        leads_per_week: scenario.leads.per_week,
        weeks: sim.weeks,
        working_weeks: sim.weeks - sim.weeks_off,
        sizing: *sizing,
    })
}
