//! The command line: one file per subcommand, each with its `Args` and `run`. Commands turn
//! flags into a validated scenario and plain engine values; the library never sees clap.

mod blitz;
mod calibrate;
mod compare;
mod emit;
mod init;
mod paths;
mod plan;
mod scenario;
mod simulate;
mod sweep;
mod track;

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressFinish, ProgressStyle};

use self::paths::Files;
use callblitz::engine::Progress;
use callblitz::runs::{DrawnOutcome, Kind, Outcome, Run};
use callblitz::scenario::{Override, Scenario, ScenarioError, Source};

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
    /// Check a team's real activity against its plan, week by week: verdicts per indicator,
    /// the shortfall split into effort and yield, and when a shortfall can be told from luck.
    Track(Box<track::Args>),
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
    /// stand for (such as --replications), and the run's --seed.
    fn load(
        &self,
        run: &RunArgs,
        extra: impl IntoIterator<Item = Override>,
    ) -> Result<Scenario, CliError> {
        let overrides = self.overrides(run.overrides().into_iter().chain(extra));
        Ok(self.source(run.seed)?.scenario(&overrides)?)
    }

    /// The --set overrides, then `extra`.
    fn overrides(&self, extra: impl IntoIterator<Item = Override>) -> Vec<Override> {
        self.set.iter().cloned().chain(extra).collect()
    }

    /// The scenario file, parsed once, with `seed` (a --seed flag) replacing its own.
    fn source(&self, seed: Option<u64>) -> Result<Source, CliError> {
        Ok(Source::read(&self.file)?.with_seed(seed))
    }
}

/// The flags every simulating command takes: seed, replications and threads.
#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Master seed, any whole number from 0 to 2^64 − 1 (in place of simulation.seed).
    #[arg(long)]
    seed: Option<u64>,
    /// Replications (same as --set simulation.replications=N).
    #[arg(long, value_parser = clap::value_parser!(u64).range(..=i64::MAX as u64))]
    replications: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
}

impl RunArgs {
    /// The override --replications stands for (clap keeps it within TOML's signed integers,
    /// and the scenario's rules then check it). The seed needs no checking: it is applied to
    /// the resolved scenario (see [`ScenarioArgs::source`]).
    fn overrides(&self) -> Vec<Override> {
        self.replications
            .map(|replications| {
                flag_override(
                    "--replications",
                    "simulation.replications",
                    replications as i64,
                )
            })
            .into_iter()
            .collect()
    }

    /// Runs `run` on --threads, with a progress bar on stderr while a person is watching it:
    /// its outcome, and with the scenario's `[uncertainty]` drawn when it has one.
    fn run(&self, run: &Run) -> Result<(Outcome, Option<DrawnOutcome>), CliError> {
        Ok(self.run_all(std::slice::from_ref(run))?.remove(0))
    }

    /// Runs `runs` in turn on --threads, one progress bar counting them all (each twice when
    /// it also draws its `[uncertainty]`).
    fn run_all(&self, runs: &[Run]) -> Result<Vec<(Outcome, Option<DrawnOutcome>)>, CliError> {
        let total = runs
            .iter()
            .map(|run| Some(run.replications()? * if run.draws() { 2 } else { 1 }))
            .sum::<Option<u64>>();
        let counted = match runs.first().map(Run::kind) {
            Some(Kind::Cohort) => "simulated cohorts",
            Some(Kind::Blitz) => "simulated blitzes",
            _ => "simulated years",
        };
        let bar = progress_bar(total, counted);
        let outcomes = self.on_threads(|| {
            runs.iter()
                .map(|run| {
                    let luck = run.run_watched(&Watched(&bar));
                    let drawn = run.run_drawn(&luck, &Watched(&bar));
                    (luck, drawn)
                })
                .collect()
        })?;
        bar.finish_and_clear();
        Ok(outcomes)
    }

    /// Runs `work` on --threads with a progress bar of `total` simulated years, which `work`
    /// tells of the replications it finishes.
    fn on_threads_watched<T: Send>(
        &self,
        total: u64,
        work: impl FnOnce(&dyn Progress) -> T + Send,
    ) -> Result<T, CliError> {
        let bar = progress_bar(Some(total), "simulated years");
        let done = self.on_threads(|| work(&Watched(&bar)))?;
        bar.finish_and_clear();
        Ok(done)
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
    fn options(&self, need_rep: bool) -> Result<callblitz::calllog::Options, CliError> {
        use callblitz::calllog::{self as log, Columns, Options};
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
            need_rep: need_rep || self.rep_col != callblitz::calllog::Columns::default().rep,
            skip_invalid: self.skip_invalid,
            segment_column: None,
        })
    }
}

/// A failure, with the exit code it gives: 2 for bad input, 1 when the input was fine but the
/// run could not finish (an output file could not be written).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    #[error("{0}")]
    Input(String),
    #[error("{0}")]
    Refused(#[from] callblitz::runs::Refusal),
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
            CliError::Scenario(_) | CliError::Input(_) | CliError::Refused(_) => 2,
            CliError::Output { .. } => 1,
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
        Command::Track(args) => track::run(*args),
        Command::Scenario(command) => scenario::run(command),
        Command::Init(args) => init::run(args),
    }
}

/// Prepares a run of `kind` on `scenario`, a refusal naming the scenario `file`.
fn prepare(scenario: Scenario, kind: Kind, file: &Path) -> Result<Run, CliError> {
    Ok(Run::prepare(scenario, kind).map_err(|why| why.within(file.display()))?)
}

/// An override that a command's own flag stands for.
fn flag_override(flag: &'static str, path: &str, value: impl Into<toml::Value>) -> Override {
    Override {
        origin: callblitz::scenario::Origin::Flag(flag.to_string()),
        path: path.to_string(),
        value: value.into(),
    }
}

/// A progress bar on stderr counting `total` `unit` (a count without an end when the total is
/// not known), drawn only when stderr is a terminal: pipes, files and CI see nothing, and
/// stdout stays clean.
fn progress_bar(total: Option<u64>, unit: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, template) = match total {
        Some(total) => (
            ProgressBar::new(total),
            format!("{{bar:30}} {{pos}}/{{len}} {unit}, {{elapsed}} (about {{eta}} left)"),
        ),
        None => (
            ProgressBar::no_length(),
            format!("{{spinner}} {{pos}} {unit}, {{elapsed}}"),
        ),
    };
    bar.set_style(ProgressStyle::with_template(&template).expect("a valid template"));
    // A run that stops early (an error) leaves no bar behind its message.
    bar.with_finish(ProgressFinish::AndClear)
}

/// A spinner on stderr saying what is being done (`message`), for work that cannot count its
/// steps; drawn only when stderr is a terminal.
fn working(message: String) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::new_spinner()
        .with_message(message)
        .with_finish(ProgressFinish::AndClear);
    spinner.set_style(
        ProgressStyle::with_template("{spinner} {msg}, {elapsed}").expect("a valid template"),
    );
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner
}

/// A progress bar told of replications as the engine finishes them.
struct Watched<'a>(&'a ProgressBar);

impl Progress for Watched<'_> {
    fn replications_done(&self, count: u64) {
        self.0.inc(count);
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
    let mut out = NotingStdout {
        lock: std::io::stdout().lock(),
        closed: false,
    };
    match write(&mut out).and_then(|()| std::io::Write::flush(&mut out)) {
        Err(_) if out.closed => Ok(()),
        Err(err) => Err(CliError::output(Path::new("stdout"), err)),
        Ok(()) => Ok(()),
    }
}

/// Stdout, noting a closed pipe itself: a writer on top of it (csv's) may report the failure
/// as an error of its own.
struct NotingStdout {
    lock: std::io::StdoutLock<'static>,
    closed: bool,
}

impl NotingStdout {
    fn noting<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if result
            .as_ref()
            .is_err_and(|err| err.kind() == std::io::ErrorKind::BrokenPipe)
        {
            self.closed = true;
        }
        result
    }
}

impl std::io::Write for NotingStdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let result = self.lock.write(buf);
        self.noting(result)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.lock.flush();
        self.noting(result)
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
