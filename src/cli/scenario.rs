//! `callblitz scenario show|check`: the fully resolved scenario, or a validity check.

use super::{CliError, ScenarioArgs, print};
use callblitz::runs::{Kind, Refusal, Run, check_common_numbers};
use callblitz::scenario::Scenario;

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
    /// Check a scenario and report every problem in it (exit code 2 when there are any),
    /// including what any command would refuse about it (run sizes, variants, a saved grid).
    Check {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// Check the file only for these runs (repeatable); by default for every command.
        #[arg(long = "for", value_enum, value_name = "RUN")]
        uses: Vec<Use>,
    },
}

/// A run a scenario may be checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Use {
    /// simulate and compare, on cohorts of leads.
    Cohort,
    /// simulate --calendar and compare --calendar.
    Calendar,
    /// plan.
    Plan,
    /// blitz.
    Blitz,
}

pub fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Show { scenario, json } => {
            let resolved = scenario.source(None)?.scenario(&scenario.overrides([]))?;
            if json {
                let text =
                    serde_json::to_string_pretty(&resolved).expect("a scenario serializes to JSON");
                print(|out| writeln!(out, "{text}"))
            } else {
                print(|out| write!(out, "{}", resolved_toml(&resolved)))
            }
        }
        Command::Check { scenario, uses } => {
            let source = scenario.source(None)?;
            let overrides = scenario.overrides([]);
            let resolved = source.scenario(&overrides)?;
            let variants = if resolved.variants.is_empty() {
                vec![(String::new(), resolved.clone())]
            } else {
                source.variants(&overrides)?
            };
            super::sweep::check_saved_grid(&source, &resolved, &overrides)?;
            check_runs(source.origin(), &variants, &uses)?;
            let touches = resolved.cadence.expand();
            let last_day = touches.last().map_or(0, |t| t.day);
            let cycles = match resolved.cadence.cycles() {
                1 => String::new(),
                n => format!(" in {n} cycles"),
            };
            let leads = &resolved.leads;
            let list = if leads.has_territory() {
                let refill = match leads.refill_per_month {
                    0 => String::new(),
                    n => format!(", {n} more a month"),
                };
                format!("a territory of {} accounts{refill}", leads.count)
            } else if leads.source.has_list() {
                "an unlimited list".to_string()
            } else {
                "inbound leads only".to_string()
            };
            print(|out| {
                writeln!(
                    out,
                    "{}: valid. \"{}\": {} touches{cycles}, the last on day {}; cohorts of {} \
                     leads, calendars work {list}; {} replications",
                    scenario.file.display(),
                    resolved.name,
                    touches.len(),
                    last_day,
                    leads.count,
                    resolved.simulation.replications
                )
            })
        }
    }
}

/// Refuses a scenario that a command would refuse, naming the command: each of
/// `variants` (the file itself when it has none) for each of `uses` (every command when
/// empty), and a comparison of the variants as a whole. Unless asked for by name, a command
/// that does not suit the file (plan on inbound leads, a cohort of a team with members) is
/// a choice of command, not a fault of the file, and is left to the command.
fn check_runs(file: &str, variants: &[(String, Scenario)], uses: &[Use]) -> Result<(), CliError> {
    let asked = |kind: Use| uses.is_empty() || uses.contains(&kind);
    let named = |kind: Use| uses.contains(&kind);
    let mut refusals = Vec::new();
    let mut note = |name: &str, commands: &str, result: Result<(), Refusal>| {
        if let Err(err) = result {
            let variant = if name.is_empty() {
                String::new()
            } else {
                format!(" variant \"{name}\":")
            };
            refusals.push(format!(
                "{file}:{variant} {commands} would refuse it: {err}"
            ));
        }
    };
    // A cohort's refusal only when asked for by name: a file made for a team's calendar is
    // no fault of the file. Cohorts are still prepared for the comparison's total.
    let commands = [
        (Use::Cohort, Kind::Cohort, "simulate"),
        (Use::Calendar, Kind::Calendar, "simulate --calendar"),
        (Use::Plan, Kind::Plan, "plan"),
        (Use::Blitz, Kind::Blitz, "blitz"),
    ];
    let mut comparable: [Vec<Run>; 2] = Default::default();
    for (name, scenario) in variants {
        for (kind, run, command) in commands {
            // `plan` of leads that arrive sizes the team instead.
            let run = if kind == Use::Plan {
                Kind::plan_for(scenario)
            } else {
                run
            };
            if !asked(kind) || !(named(kind) || run.suits(scenario)) {
                continue;
            }
            match Run::prepare(scenario.clone(), run) {
                Ok(prepared) if kind == Use::Cohort => comparable[0].push(prepared),
                Ok(prepared) if kind == Use::Calendar => comparable[1].push(prepared),
                Ok(_) => {}
                Err(why) => note(name, command, Err(why)),
            }
        }
    }
    if variants.len() > 1 {
        note("", "compare", check_common_numbers(variants));
        for (runs, command) in comparable.iter().zip(["compare", "compare --calendar"]) {
            if runs.len() == variants.len() {
                note("", command, super::compare::check_comparison(runs));
            }
        }
    }
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
