//! `callblitz scenario show|check`: the fully resolved scenario, or a validity check.

use super::{CliError, ScenarioArgs, print};
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
            let resolved = scenario.load([])?;
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
