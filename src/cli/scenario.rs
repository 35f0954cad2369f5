//! `callblitz scenario show|check`: the fully resolved scenario, or a validity check.

use super::{CliError, ScenarioArgs, print};
use crate::engine::BlitzModel;
use crate::scenario::Scenario;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print the fully resolved scenario: every default filled in, overrides applied.
    Show {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Print JSON instead of TOML.
        #[arg(long)]
        json: bool,
    },
    /// Check a scenario and report every problem in it (exit code 2 when there are any).
    Check {
        #[command(flatten)]
        scenario: ScenarioArgs,
    },
}

pub fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Show { scenario, json } => {
            let resolved = scenario.load([])?;
            if json {
                let text =
                    serde_json::to_string_pretty(&resolved).expect("a scenario serializes to JSON");
                print(|out| writeln!(out, "{text}"))
            } else {
                print(|out| write!(out, "{}", resolved_toml(&resolved)))
            }
        }
        Command::Check { scenario } => {
            let source = scenario.source()?;
            let overrides = scenario.overrides([]);
            let resolved = source.scenario(&overrides)?;
            if !resolved.variants.is_empty() {
                source.variants(&overrides)?;
            }
            super::sweep::check_saved_grid(&source, &resolved, &overrides)?;
            check_runs(source.origin(), &resolved)?;
            let touches = resolved.cadence.expand();
            let last_day = touches.last().map_or(0, |t| t.day);
            print(|out| {
                writeln!(
                    out,
                    "{}: valid. \"{}\": {} touches, the last on day {}; {} leads, {} replications",
                    scenario.file.display(),
                    resolved.name,
                    touches.len(),
                    last_day,
                    resolved.leads.count,
                    resolved.simulation.replications
                )
            })
        }
    }
}

/// Refuses a scenario that a command would refuse for its size, naming the command. A command
/// that does not suit the file (plan on inbound leads, a cohort of a team with members) is a
/// choice of command, and a goal no hours reach is plan's answer, not a fault of the file:
/// those are left to the command.
fn check_runs(file: &str, scenario: &Scenario) -> Result<(), CliError> {
    let mut refusals = Vec::new();
    let mut note = |commands: &str, result: Result<(), CliError>| {
        if let Err(err) = result {
            refusals.push(format!("{file}: {commands} would refuse it: {err}"));
        }
    };
    note(
        "simulate --calendar and compare --calendar",
        super::check_calendar(scenario, scenario.team.prospecting_hours_per_day),
    );
    if super::plan::suits(scenario) {
        note(
            "plan",
            super::check_calendar(scenario, scenario.team.workday_hours),
        );
    }
    note(
        "blitz",
        super::blitz::check_size(&BlitzModel::new(scenario), scenario),
    );
    match refusals.as_slice() {
        [] => Ok(()),
        [one] => Err(CliError::Input(one.clone())),
        many => Err(CliError::Input(format!(
            "the scenario has {} problems:\n  {}",
            many.len(),
            many.join("\n  ")
        ))),
    }
}

/// The resolved scenario as TOML, followed by the cadence spelled out touch by touch.
fn resolved_toml(scenario: &Scenario) -> String {
    let mut text = toml::to_string_pretty(scenario).expect("a scenario serializes to TOML");
    text.push_str("\n# The cadence, touch by touch (day: channel):\n");
    for (k, touch) in scenario.cadence.expand().iter().enumerate() {
        text.push_str(&format!(
            "#   touch {:>2}  day {:>3}: {}\n",
            k + 1,
            touch.day,
            touch.channel.name()
        ));
    }
    text
}
