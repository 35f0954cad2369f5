//! The command line: one file per subcommand, each with its `Args` and `run`. Commands turn
//! flags into a validated scenario and plain engine values; the library never sees clap.

mod blitz;
mod calibrate;
mod compare;
mod init;
mod paths;
mod plan;
mod scenario;
mod simulate;
mod sweep;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use self::paths::Files;
use crate::scenario::{Override, Scenario, ScenarioError, Source, load};

/// callblitz: simulate and plan outbound sales prospecting.
#[derive(Debug, Parser)]
#[command(name = "callblitz", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Simulate a calling blitz (a team dialing together for a session): what to expect per
    /// team, per rep and by minute; with --actual, where a real blitz falls.
    Blitz(blitz::Args),
    /// Fit the model to a team's own call log: reachability (with an unreachable share),
    /// channel responses, funnel rates, give-up, per-rep rates, and how well the fit matches.
    Calibrate(calibrate::Args),
    /// Compare strategies side by side on the same leads: differences with paired intervals,
    /// and what each touch of a cadence brings.
    Compare(compare::Args),
    /// Back-calculate the weekly KPIs (prospecting hours, first-time appointments, leads) that
    /// reach an annual goal with a stated confidence.
    Plan(plan::Args),
    /// Simulate a cohort of leads worked through the cadence (or, with --calendar, the team's
    /// year), over many replications.
    Simulate(simulate::Args),
    /// Run a scenario over a grid of values (--vary PATH=LIST|RANGE, repeatable), every point
    /// on the same random numbers; or rank the levers that matter most (--tornado).
    Sweep(sweep::Args),
    /// Show or check a scenario file.
    #[command(subcommand)]
    Scenario(scenario::Command),
    /// Write a commented starter scenario (to stdout, or to FILE).
    Init(init::Args),
}

/// The scenario file and `--set` overrides every command takes.
#[derive(Debug, clap::Args)]
struct ScenarioArgs {
    /// The scenario file (TOML).
    file: PathBuf,
    /// Override a scenario key, e.g. --set leads.reachability.mean=0.08 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = Override::parse)]
    set: Vec<Override>,
}

impl ScenarioArgs {
    /// The run's files, starting with the scenario file it reads.
    fn files(&self) -> Files<'_> {
        Files::new().reads("the scenario file", None, &self.file)
    }

    /// Loads the scenario with the overrides, then any extra overrides a command's own flags
    /// stand for (such as --seed).
    fn load(&self, extra: impl IntoIterator<Item = Override>) -> Result<Scenario, CliError> {
        Ok(load(&self.file, &self.overrides(extra))?)
    }

    /// The --set overrides, then `extra`.
    fn overrides(&self, extra: impl IntoIterator<Item = Override>) -> Vec<Override> {
        self.set.iter().cloned().chain(extra).collect()
    }

    /// The scenario file, parsed once.
    fn source(&self) -> Result<Source, CliError> {
        Ok(Source::read(&self.file)?)
    }
}

/// The flags every simulating command takes: seed, replications and threads.
#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Master seed (same as --set simulation.seed=N).
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Replications (same as --set simulation.replications=N).
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    replications: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
}

impl RunArgs {
    /// The overrides --seed and --replications stand for (clap keeps both within TOML's
    /// signed integers).
    fn overrides(&self) -> Vec<Override> {
        let mut overrides = Vec::new();
        if let Some(seed) = self.seed {
            overrides.push(flag_override("--seed", "simulation.seed", seed as i64));
        }
        if let Some(replications) = self.replications {
            overrides.push(flag_override(
                "--replications",
                "simulation.replications",
                replications as i64,
            ));
        }
        overrides
    }

    /// Runs `work` on a pool of --threads workers, or on the default pool (one per core).
    fn on_threads<T: Send>(&self, work: impl FnOnce() -> T + Send) -> Result<T, CliError> {
        match self.threads {
            None => Ok(work()),
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n.into())
                .build()
                .map(|pool| pool.install(work))
                .map_err(|err| {
                    CliError::Input(format!("--threads {n}: cannot start the threads: {err}"))
                }),
        }
    }
}

/// How to read a call log: its column names and labels, for CRM exports that name them their
/// own way, and what to do with bad rows.
#[derive(Debug, clap::Args)]
struct LogArgs {
    /// The call log's column of lead ids.
    #[arg(long, value_name = "NAME", default_value = "lead_id")]
    lead_col: String,
    /// The call log's column of ISO 8601 times.
    #[arg(long, value_name = "NAME", default_value = "timestamp")]
    time_col: String,
    /// The call log's column of channels (call, voicemail, email, inmail).
    #[arg(long, value_name = "NAME", default_value = "channel")]
    channel_col: String,
    /// The call log's column of outcomes (no_answer, ..., appointment).
    #[arg(long, value_name = "NAME", default_value = "outcome")]
    outcome_col: String,
    /// The call log's column of reps.
    #[arg(long, value_name = "NAME", default_value = "rep")]
    rep_col: String,
    /// The log's own outcome labels, e.g. "Left Voicemail=voicemail,Connected=conversation".
    #[arg(long, value_name = "LABEL=OUTCOME,...")]
    outcome_map: Option<String>,
    /// The log's own channel labels, e.g. "Phone=call,LinkedIn=inmail".
    #[arg(long, value_name = "LABEL=CHANNEL,...")]
    channel_map: Option<String>,
    /// Skip rows that cannot be read (reporting how many and where) instead of stopping.
    #[arg(long)]
    skip_invalid: bool,
}

impl LogArgs {
    /// The reading options; `need_rep` makes the rep column required, as does naming it.
    fn options(&self, need_rep: bool) -> Result<crate::calllog::Options, CliError> {
        use crate::calllog::{self as log, Columns, Options};
        Ok(Options {
            columns: Columns {
                lead_id: self.lead_col.clone(),
                timestamp: self.time_col.clone(),
                channel: self.channel_col.clone(),
                outcome: self.outcome_col.clone(),
                rep: self.rep_col.clone(),
            },
            outcome_labels: log::parse_labels(
                "--outcome-map",
                self.outcome_map.as_deref().unwrap_or_default(),
                log::outcome_named,
                log::OUTCOME_NAMES,
            )
            .map_err(CliError::Input)?,
            channel_labels: log::parse_labels(
                "--channel-map",
                self.channel_map.as_deref().unwrap_or_default(),
                log::channel_named,
                log::CHANNEL_NAMES,
            )
            .map_err(CliError::Input)?,
            need_rep: need_rep || self.rep_col != crate::calllog::Columns::default().rep,
            skip_invalid: self.skip_invalid,
        })
    }
}

/// Checks up front that `path` names a chart format, before any work is done for it.
fn check_chart_path(path: &std::path::Path) -> Result<(), CliError> {
    crate::chart::check_path(path)
        .map_err(|err| CliError::Input(format!("--chart {}: {err}", path.display())))
}

/// Draws `chart` into `path`.
fn save_chart(chart: &impl crate::chart::Chart, path: &std::path::Path) -> Result<(), CliError> {
    crate::chart::save(chart, path).map_err(|err| match err {
        crate::chart::ChartError::Format => {
            CliError::Input(format!("--chart {}: {err}", path.display()))
        }
        other => CliError::Output {
            path: path.display().to_string(),
            source: std::io::Error::other(other.to_string()),
        },
    })
}

/// A failure, with the exit code it gives: 2 for bad input, 1 when the input was fine but the
/// run could not finish (an output file could not be written).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    #[error("{0}")]
    Input(String),
    #[error("cannot write {path}: {source}")]
    Output {
        path: String,
        source: std::io::Error,
    },
}

impl CliError {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Scenario(_) | CliError::Input(_) => 2,
            CliError::Output { .. } => 1,
        }
    }

    /// A refusal of a run, prefixed with the scenario file it is about.
    fn in_file(self, file: &Path) -> Self {
        match self {
            CliError::Input(why) => CliError::Input(format!("{}: {why}", file.display())),
            other => other,
        }
    }

    fn output(path: &Path, source: std::io::Error) -> Self {
        CliError::Output {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Blitz(args) => blitz::run(args),
        Command::Calibrate(args) => calibrate::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Scenario(command) => scenario::run(command),
        Command::Init(args) => init::run(args),
    }
}

/// The most touches a calendar run may simulate in all: at the 65 million touches a second a
/// core makes on a new hire's list, about 40 seconds on two cores (the count is an upper
/// bound: each rep's hours spent on their quickest touch).
const MAX_CALENDAR_TOUCHES: f64 = 5e9;
/// The most leads one calendar replication may hold at once, inbound or from the list
/// (64 bytes each, a replication per thread).
const MAX_INBOUND_PER_RUN: f64 = 5e6;
/// The most inbound leads a calendar run may draw in all.
const MAX_INBOUND: f64 = 2e9;

/// The most touches a calendar run may make a day (each rep's hours over their quickest touch,
/// with `hours_per_day` for reps who state none) and in the whole run.
fn calendar_touches(scenario: &Scenario, hours_per_day: f64) -> (f64, f64) {
    let sim = &scenario.simulation;
    let ch = &scenario.channels;
    let quickest = [ch.call, ch.voicemail, ch.email, ch.inmail]
        .iter()
        .map(|c| c.minutes)
        .fold(f64::INFINITY, f64::min);
    let team = &scenario.team;
    let per_day: f64 = if team.members.is_empty() {
        f64::from(team.reps) * hours_per_day * 60.0 / quickest
    } else {
        team.members
            .iter()
            .map(|m| {
                let pace = m.minutes_per_touch.map_or(1.0, |t| t / ch.call.minutes);
                m.hours_per_day.unwrap_or(hours_per_day) * 60.0 / (quickest * pace)
            })
            .sum()
    };
    let working_days = f64::from((sim.weeks - sim.weeks_off) * sim.working_days_per_week);
    (per_day, per_day * working_days * sim.replications as f64)
}

/// Refuses calendar runs that would take too long, with `hours_per_day` the most prospecting
/// a rep will be asked for (members who state their own hours keep them).
fn check_calendar(scenario: &Scenario, hours_per_day: f64) -> Result<(), CliError> {
    let sim = &scenario.simulation;
    let (per_day, touches) = calendar_touches(scenario, hours_per_day);
    if touches > MAX_CALENDAR_TOUCHES {
        return Err(CliError::Input(format!(
            "[team]: {per_day:.0} touches a day at most (the reps' hours over their quickest \
             touch) for {} replications is up to {touches:.1e} touches to simulate, more than \
             the {MAX_CALENDAR_TOUCHES:.0e} a run may take: use fewer replications, fewer reps \
             or fewer hours",
            sim.replications
        )));
    }
    // Leads are held from their first touch to their last: at most a day's touches started
    // on each calendar day the cadence spans.
    let span = scenario.cadence.expand().last().map_or(0, |t| t.day);
    let held = per_day * f64::from(span + 1);
    if held > MAX_INBOUND_PER_RUN {
        return Err(CliError::Input(format!(
            "[team]: {per_day:.0} touches a day at most over a cadence of {} days may hold up \
             to {held:.1e} leads at once in each replication, more than the \
             {MAX_INBOUND_PER_RUN:.0e} a run may hold: use fewer reps or fewer hours",
            span + 1
        )));
    }
    // Inbound leads are kept while they wait, touched or not.
    if scenario.leads.source.has_arrivals() {
        let per_run = scenario.leads.per_week * f64::from(sim.weeks);
        if per_run > MAX_INBOUND_PER_RUN || per_run * sim.replications as f64 > MAX_INBOUND {
            return Err(CliError::Input(format!(
                "leads.per_week = {}: {per_run:.1e} inbound leads in each of {} replications \
                 is more than a run may take ({MAX_INBOUND_PER_RUN:.0e} in one, \
                 {MAX_INBOUND:.0e} in all): use fewer replications or fewer leads",
                scenario.leads.per_week, sim.replications
            )));
        }
    }
    Ok(())
}

/// What one run of a command simulates, for the work limits.
#[derive(Debug, Clone, Copy)]
enum Cost {
    /// A cohort: its leads in every replication.
    Cohort,
    /// A calendar year in every replication, the reps asked for at most these hours a day.
    Calendar { hours_per_day: f64 },
    /// A plan's search: about [`PLAN_SEARCH_RUNS`] calendar runs at up to the working day.
    Plan,
}

/// The full calendar runs a plan's search costs, about: `plan scenarios/new-hire-kpis.toml`
/// simulates 5,750 years at 1,000 replications (screening runs on a quarter of them).
const PLAN_SEARCH_RUNS: f64 = 6.0;

/// Refuses a command whose runs together would take longer than one run may: `runs` gives
/// each run's scenario and what it simulates; `what` names the runs in the message, and `fix`
/// says how to need less.
fn check_total_work<'a>(
    what: &str,
    fix: &str,
    runs: impl IntoIterator<Item = (&'a Scenario, Cost)>,
) -> Result<(), CliError> {
    let (mut touches, mut leads, mut count) = (0.0, 0.0, 0);
    for (scenario, cost) in runs {
        count += 1;
        match cost {
            Cost::Cohort => {
                leads += scenario.leads.count as f64 * scenario.simulation.replications as f64;
            }
            Cost::Calendar { hours_per_day } => {
                touches += calendar_touches(scenario, hours_per_day).1;
            }
            Cost::Plan => {
                let most = calendar_touches(scenario, scenario.team.workday_hours).1;
                touches += PLAN_SEARCH_RUNS * most;
            }
        }
    }
    let most_leads = crate::scenario::MAX_LEAD_REPLICATIONS as f64;
    let (total, most, unit) = if touches > MAX_CALENDAR_TOUCHES {
        (touches, MAX_CALENDAR_TOUCHES, "touches")
    } else if leads > most_leads {
        (leads, most_leads, "leads")
    } else {
        return Ok(());
    };
    Err(CliError::Input(format!(
        "{what}: its {count} runs would simulate up to {total:.1e} {unit} in all, more than \
         the {most:.0e} one command may take (a minute or two on two cores): {fix}"
    )))
}

/// Refuses cohort runs of a scenario whose team settings only a calendar run can honour,
/// rather than ignoring them.
fn check_cohort(scenario: &Scenario) -> Result<(), CliError> {
    let routing = &scenario.routing;
    let used: Vec<&str> = [
        (
            scenario.leads.source.has_arrivals(),
            "leads.source (inbound arrivals)",
        ),
        (!scenario.team.members.is_empty(), "[[team.members]]"),
        (
            routing.recycle_after_days.is_some(),
            "routing.recycle_after_days",
        ),
        (routing.cherry_pick > 0.0, "routing.cherry_pick"),
        (
            routing.priority != crate::scenario::Priority::Age,
            "routing.priority",
        ),
        (scenario.nurture.monthly_response_rate > 0.0, "[nurture]"),
    ]
    .into_iter()
    .filter_map(|(set, key)| set.then_some(key))
    .collect();
    if used.is_empty() {
        return Ok(());
    }
    Err(CliError::Input(format!(
        "{} act(s) on the team's calendar, which a cohort of leads has not got: add --calendar",
        used.join(", ")
    )))
}

/// An override that a command's own flag stands for.
fn flag_override(flag: &'static str, path: &str, value: impl Into<toml::Value>) -> Override {
    Override {
        origin: crate::scenario::Origin::Flag(flag.to_string()),
        path: path.to_string(),
        value: value.into(),
    }
}

/// Writes a message to stderr, long values cut (see [`abbreviate`]). A message that cannot be
/// written (stderr closed or full) is dropped rather than aborting: the exit code still tells
/// how the run ended.
pub fn note(message: impl std::fmt::Display) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "{}",
        abbreviate(&message.to_string())
    );
}

/// The longest word (a run without white space) a message shows whole.
const LONGEST_WORD: usize = 200;
/// The longest line a message shows whole.
const LONGEST_LINE: usize = 2000;

/// Cuts what a message quotes from the user's input when it is too long to read: a word over
/// 200 characters keeps its first 100 and last 40, a line over 2,000 its first 1,000 and last
/// 500, each saying how long it was. A 1 MB value gives a short message, not a 1 MB one.
fn abbreviate(message: &str) -> String {
    let cut = |text: &str, head: usize, tail: usize| -> String {
        let chars: Vec<char> = text.chars().collect();
        format!(
            "{}…{} ({} characters in all)",
            chars[..head].iter().collect::<String>(),
            chars[chars.len() - tail..].iter().collect::<String>(),
            chars.len()
        )
    };
    message
        .split('\n')
        .map(|line| {
            let words: String = line
                .split_inclusive(char::is_whitespace)
                .map(|word| {
                    let text = word.trim_end();
                    if text.chars().count() > LONGEST_WORD {
                        cut(text, 100, 40) + &word[text.len()..]
                    } else {
                        word.to_string()
                    }
                })
                .collect();
            if words.chars().count() > LONGEST_LINE {
                cut(&words, 1000, 500)
            } else {
                words
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes to stdout, treating a closed pipe (`| head`) as the reader's choice, not an error.
fn print(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    match write(&mut lock).and_then(|()| std::io::Write::flush(&mut lock)) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::output(Path::new("stdout"), err))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_and_short_ones_kept() {
        let short = "leads.source = \"x\" is not a known value";
        assert_eq!(abbreviate(short), short);
        let long = format!(
            "leads.source = \"{}\" is not a known value",
            "y".repeat(1_000_000)
        );
        let cut = abbreviate(&long);
        assert!(cut.len() < 400, "{} bytes", cut.len());
        assert!(cut.starts_with("leads.source = \"yyy") && cut.ends_with("known value"));
        assert!(cut.contains("(1000002 characters in all)"), "{cut}");
        let spaced = "ab ".repeat(100_000);
        assert!(abbreviate(&spaced).len() < 2000);
    }
}
