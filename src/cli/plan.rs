//! `callblitz plan`: the weekly KPIs that reach an annual goal, at a stated confidence.

use std::path::PathBuf;

use super::simulate::with_threads;
use super::{CliError, ScenarioArgs, check_calendar, flag_override, print};
use crate::chart::{self, ChartError, FanChart};
use crate::engine::{LeadModel, WorkCalendar};
use crate::plan::{AtConfidence, ReverseFunnel, Target, at_confidence};
use crate::report::{PlanReport, WEEKLY_SERIES, readable, write_atomically};

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
    /// Master seed (same as --set simulation.seed=N).
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Replications per simulated candidate (same as --set simulation.replications=N).
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    replications: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let mut extra = Vec::new();
    if let Some(seed) = args.seed {
        extra.push(flag_override("--seed", "simulation.seed", seed as i64));
    }
    if let Some(replications) = args.replications {
        extra.push(flag_override(
            "--replications",
            "simulation.replications",
            replications as i64,
        ));
    }
    if let Some(confidence) = args.confidence {
        extra.push(flag_override("--confidence", "goal.confidence", confidence));
    }
    if let Some(path) = &args.chart {
        chart::check_path(path)
            .map_err(|err| CliError::Input(format!("--chart {}: {err}", path.display())))?;
    }
    // A goal given by flag replaces the scenario's, whichever form that had.
    if let Some(deals) = args.deals {
        extra.push(flag_override("--deals", "goal.deals", deals));
    }
    if let Some(revenue) = args.revenue {
        extra.push(flag_override("--revenue", "goal.revenue", revenue));
    }
    let scenario = args.scenario.load(extra)?;
    let target = Target::of(&scenario).map_err(|err| CliError::Input(err.to_string()))?;
    let sim = &scenario.simulation;
    let working_weeks = sim.weeks - sim.weeks_off;
    let lead = LeadModel::new(&scenario);
    check_calendar(&scenario, scenario.team.workday_hours)?;
    let expected = ReverseFunnel::new(
        &lead,
        target.deals,
        f64::from(sim.weeks),
        f64::from(working_weeks),
        f64::from(sim.working_days_per_week),
    )
    .map_err(|err| CliError::Input(err.to_string()))?;
    let hours_per_week = expected.per_week("prospecting_hours") / f64::from(scenario.team.reps);
    let (answer, search) = with_threads(args.threads, || {
        at_confidence(&scenario, &target, hours_per_week)
    })?;
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
        write_atomically(path, |w| report.write_csv(w))
            .map_err(|err| CliError::output(path, err))?;
    }
    if let (AtConfidence::Plan(plan), Some(path)) = (&report.at_confidence, &args.timeline) {
        write_atomically(path, |w| plan.timeline.write_csv(w))
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
        let cumulative = WEEKLY_SERIES
            .iter()
            .position(|&s| s == "cumulative_deals")
            .expect("the timeline has cumulative deals");
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
            y_label: "deals closed, cumulative".into(),
            weeks: plan
                .timeline
                .weeks
                .iter()
                .map(|w| (w[cumulative].p10, w[cumulative].p50, w[cumulative].p90))
                .collect(),
            goal: Some(report.target.deals),
            ramp_weeks: scenario.team.ramp_weeks,
            weeks_off: WorkCalendar::new(sim).weeks_off().to_vec(),
        };
        chart::save(&fan, path).map_err(|err| match err {
            ChartError::Format => CliError::Input(format!("--chart {}: {err}", path.display())),
            other => CliError::Output {
                path: path.display().to_string(),
                source: std::io::Error::other(other.to_string()),
            },
        })?;
    }
    if args.json {
        print(|out| writeln!(out, "{}", report.to_json()))
    } else {
        print(|out| report.write_text(out))
    }
}
