//! `callblitz plan`: the weekly KPIs that reach an annual goal, at a stated confidence.

use std::path::PathBuf;

use super::{
    CliError, RunArgs, ScenarioArgs, check_calendar, check_chart_path, flag_override, print,
    save_chart,
};
use crate::chart::FanChart;
use crate::engine::WorkCalendar;
use crate::output::write_whole;
use crate::plan::{AtConfidence, ReverseFunnel, Target, at_confidence, expected};
use crate::report::{PlanReport, readable, write_timeline_csv};
use crate::scenario::Scenario;
use crate::stats::WeeklySeries;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Goal in deals for the year (instead of the scenario's [goal]).
    #[arg(long, conflicts_with = "revenue", allow_negative_numbers = true)]
    deals: Option<f64>,
    /// Goal in revenue for the year (instead of the scenario's [goal]).
    #[arg(long, allow_negative_numbers = true)]
    revenue: Option<f64>,
    /// Required chance of reaching the goal, e.g. 0.8 (same as --set goal.confidence=C).
    #[arg(long, allow_negative_numbers = true)]
    confidence: Option<f64>,
    /// Print one JSON object instead of the text.
    #[arg(long)]
    json: bool,
    /// Also write the expected reverse funnel (a row per metric, a column per period) to a CSV.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Also write the weekly timeline at the planned hours to a CSV.
    #[arg(long, value_name = "FILE")]
    timeline: Option<PathBuf>,
    /// Also draw the fan chart of cumulative deals at the planned hours (.png or .svg).
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: Args) -> Result<(), CliError> {
    args.scenario
        .files()
        .writes("--csv", "the reverse funnel", args.csv.as_deref())
        .writes("--timeline", "the timeline", args.timeline.as_deref())
        .writes("--chart", "the chart", args.chart.as_deref())
        .check()?;
    let mut extra = args.run.overrides();
    if let Some(confidence) = args.confidence {
        extra.push(flag_override("--confidence", "goal.confidence", confidence));
    }
    if let Some(path) = &args.chart {
        check_chart_path(path)?;
    }
    // A goal given by flag replaces the scenario's, whichever form that had.
    if let Some(deals) = args.deals {
        extra.push(flag_override("--deals", "goal.deals", deals));
    }
    if let Some(revenue) = args.revenue {
        extra.push(flag_override("--revenue", "goal.revenue", revenue));
    }
    let scenario = args.scenario.load(extra)?;
    let (target, expected, hours_per_week) =
        prepare(&scenario).map_err(|e| e.in_file(&args.scenario.file))?;
    let sim = &scenario.simulation;
    let working_weeks = sim.weeks - sim.weeks_off;
    let (answer, search) = args
        .run
        .on_threads(|| at_confidence(&scenario, &target, hours_per_week))?;
    let report = PlanReport {
        scenario: scenario.name.clone(),
        seed: sim.seed,
        replications: sim.replications,
        reps: scenario.team.reps,
        weeks: sim.weeks,
        working_weeks,
        working_days_per_week: sim.working_days_per_week,
        ramp_weeks: scenario.team.ramp_weeks,
        target,
        expected,
        at_confidence: answer,
        search,
    };
    if let Some(path) = &args.csv {
        write_whole(path, |w| report.write_csv(w)).map_err(|err| CliError::output(path, err))?;
    }
    if let (AtConfidence::Plan(plan), Some(path)) = (&report.at_confidence, &args.timeline) {
        write_whole(path, |w| write_timeline_csv(&plan.timeline, w))
            .map_err(|err| CliError::output(path, err))?;
    }
    if let Some(path) = &args.chart {
        let AtConfidence::Plan(plan) = &report.at_confidence else {
            return Err(CliError::Input(format!(
                "--chart {}: no plan reaches the goal, so there is nothing to chart (see the \
                 explanation above with --chart left out)",
                path.display()
            )));
        };
        let fan = FanChart {
            title: format!(
                "Cumulative deals at {} prospecting hours a week",
                readable(plan.hours_per_week)
            ),
            subtitle: format!(
                "{}: {} simulated years; {:.0}% reach the goal of {} deals",
                scenario.name,
                readable(sim.replications as f64),
                plan.probability * 100.0,
                readable(report.target.deals)
            ),
            x_label: "week of the year".into(),
            y_label: "deals closed, cumulative".into(),
            weeks: plan.timeline.series(WeeklySeries::CumulativeDeals),
            cumulative: true,
            goal: Some((
                report.target.deals,
                format!("goal ({})", readable(report.target.deals)),
            )),
            ramp_weeks: scenario.team.ramp_weeks,
            pauses: WorkCalendar::new(sim).weeks_off_spans(),
            pause_label: "weeks off".into(),
            band_label: "P10 to P90 of simulated years".into(),
            actual: None,
        };
        save_chart(&fan, path)?;
    }
    if args.json {
        print(|out| writeln!(out, "{}", report.to_json()))
    } else {
        print(|out| report.write_text(out))
    }
}

/// The goal, the expected reverse funnel and the hours per rep-week the search starts from, once
/// the scenario is known to be one a plan can size in reasonable time.
pub(super) fn prepare(scenario: &Scenario) -> Result<(Target, ReverseFunnel, f64), CliError> {
    let target = Target::of(scenario).map_err(|err| CliError::Input(err.to_string()))?;
    check_size(scenario)?;
    let (funnel, hours_per_week) =
        expected(scenario, &target).map_err(|err| CliError::Input(err.to_string()))?;
    Ok((target, funnel, hours_per_week))
}

/// Refuses a plan whose search would take too long, or that plan cannot size at all.
pub(super) fn check_size(scenario: &Scenario) -> Result<(), CliError> {
    check_plannable(scenario)?;
    check_calendar(scenario, scenario.team.workday_hours)
}

/// Whether a plan can size the scenario's prospecting at all (see [`check_plannable`]).
pub(super) fn suits(scenario: &Scenario) -> bool {
    check_plannable(scenario).is_ok()
}

/// Refuses scenarios whose prospecting time a plan cannot size: a plan finds the hours of list
/// prospecting that reach the goal, the same hours for every rep.
fn check_plannable(scenario: &Scenario) -> Result<(), CliError> {
    if scenario.leads.source.has_arrivals() {
        return Err(CliError::Input(format!(
            "leads.source = \"{}\": plan sizes list prospecting, and hours cannot make inbound \
             leads arrive faster; see what a team does with them with `simulate --calendar`, \
             or plan on a list (leads.source = \"list\")",
            scenario.leads.source.name()
        )));
    }
    if let Some((i, _)) = scenario
        .team
        .members
        .iter()
        .enumerate()
        .find(|(_, m)| m.hours_per_day.is_some())
    {
        return Err(CliError::Input(format!(
            "team.members[{i}].hours_per_day: plan finds the prospecting hours every rep needs, \
             so members cannot state their own; remove hours_per_day from [[team.members]]"
        )));
    }
    Ok(())
}
