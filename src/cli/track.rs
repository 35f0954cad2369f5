//! `callblitz track`: the weekly check-in of a team's real activity against its plan.

use std::path::PathBuf;

use super::emit::OutputArgs;
use super::{CliError, LogArgs, RunArgs, ScenarioArgs, prepare, working};
use callblitz::calllog::parse_labels;
use callblitz::plan::SavedPlan;
use callblitz::report::{LogRows, TrackReport};
use callblitz::runs::{Kind, Outcome};
use callblitz::track::{
    Activity, DatesGiven, DealColumns, DealOptions, Exports, HeldAt, MeetingColumns, PipelineAt,
    PlanGiven, PlanSource, STAGE_NAMES, Stage, check_in, day_of, read_deals, read_meetings,
};

#[derive(Debug, clap::Args)]
#[command(
    mut_arg("csv", |a| a.help(
        "Also write the weekly rows (a row per week and indicator: actual, the plan's expected, \
         P10, P90, percentile and verdict) to this CSV file (- for standard output, in place of \
         the text)"
    )),
    mut_arg("chart", |a| a.help(
        "Also draw each indicator's actual to date over the plan's fan to this .png or .svg file"
    )),
)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// The team's activity: a call log (CSV with lead_id, timestamp, channel, outcome and
    /// optionally rep), as `calibrate` reads it.
    #[arg(long, value_name = "ACTIVITY.csv")]
    log: PathBuf,
    #[command(flatten)]
    columns: LogArgs,
    /// The opportunities export (CSV: opportunity_id, created, stage open/won/lost, closed,
    /// amount): deals won so far and open opportunities, for the re-forecast.
    #[arg(long, value_name = "DEALS.csv")]
    deals: Option<PathBuf>,
    /// The export's own column names, e.g. "created=Created Date,closed=Close Date" (keys: id,
    /// created, stage, closed, amount).
    #[arg(long, value_name = "KEY=NAME,...")]
    deal_cols: Option<String>,
    /// The export's own stage labels, e.g. "Closed Won=won,Negotiation=open".
    #[arg(long, value_name = "LABEL=STAGE,...")]
    stage_map: Option<String>,
    /// The meetings export (CSV: date, and status held / no_show / canceled): first-time
    /// appointments held, judged by the week they were held.
    #[arg(long, value_name = "MEETINGS.csv")]
    meetings: Option<PathBuf>,
    /// The meetings export's own column names, e.g. "date=Start Date,status=Outcome".
    #[arg(long, value_name = "KEY=NAME,...")]
    meeting_cols: Option<String>,
    /// The plan's first day, YYYY-MM-DD (default: the Monday of the log's first week).
    #[arg(long, value_name = "DATE", value_parser = date)]
    start: Option<jiff::civil::Date>,
    /// The check-in's day, YYYY-MM-DD: whole weeks up to it are judged (default: the log's
    /// last day).
    #[arg(long, value_name = "DATE", value_parser = date)]
    as_of: Option<jiff::civil::Date>,
    /// Weeks the team took off (1-based from --start, e.g. 7,12): left out, not judged.
    #[arg(long, value_name = "WEEK,...", value_delimiter = ',')]
    weeks_off: Vec<u32>,
    /// The prospecting hours a week per rep the plan gave (instead of the plan's own search at
    /// the scenario's confidence).
    #[arg(long, value_name = "HOURS", conflicts_with = "plan")]
    hours: Option<f64>,
    /// The plan the rep was given, saved by `plan --save`: its hours, refused if the scenario
    /// has changed since in anything that moves them.
    #[arg(long, value_name = "PLAN.json")]
    plan: Option<PathBuf>,
    /// "When can we tell": a rep at this share of the plan, from above 0 to below 1.
    #[arg(long, value_name = "SHARE", default_value_t = 0.7)]
    share: f64,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    run: RunArgs,
}

/// A date as the flags take it.
fn date(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse()
        .map_err(|_| format!("{text:?} is not a date: write it as YYYY-MM-DD, e.g. 2026-01-05"))
}

pub fn run(args: Args) -> Result<(), CliError> {
    let mut files = args
        .scenario
        .files()
        .reads("the activity log", Some("--log"), &args.log);
    if let Some(deals) = &args.deals {
        files = files.reads("the opportunities export", Some("--deals"), deals);
    }
    if let Some(plan) = &args.plan {
        files = files.reads("the saved plan", Some("--plan"), plan);
    }
    if let Some(meetings) = &args.meetings {
        files = files.reads("the meetings export", Some("--meetings"), meetings);
    }
    let outputs = args.output.check(files, "the weekly rows")?;
    if !(args.share > 0.0 && args.share < 1.0) {
        return Err(CliError::Input(format!(
            "--share {}: the share of the plan a rep falls short at is from above 0 to below 1, \
             e.g. 0.7",
            args.share
        )));
    }
    let scenario = args.scenario.load(&args.run, [])?;
    let week_most =
        scenario.team.workday_hours * f64::from(scenario.simulation.working_days_per_week);
    let saved = match &args.plan {
        Some(path) => {
            let read = |path| {
                let saved = SavedPlan::read(path)?;
                saved.hours_for(&scenario, path)
            };
            Some(read(path).map_err(|err| CliError::Input(err.to_string()))?)
        }
        None => None,
    };
    let plan = match args.hours.or(saved) {
        Some(hours) if hours > 0.0 && hours <= week_most => PlanGiven {
            hours_per_week: hours,
            from: if args.hours.is_some() {
                PlanSource::Stated
            } else {
                PlanSource::Saved
            },
        },
        Some(hours) => {
            return Err(CliError::Input(format!(
                "--hours {hours}: prospecting hours a week are above 0 and at most the working \
                 week ({week_most} h: team.workday_hours × simulation.working_days_per_week)"
            )));
        }
        None => {
            let run = prepare(scenario.clone(), Kind::Plan, &args.scenario.file)
                .map_err(|why| {
                    CliError::Input(format!(
                        "{why}; a check-in of a plan made elsewhere gives its hours with --hours"
                    ))
                })?
                .without_curve();
            let (Outcome::Plan(_, answer, _), _) = args.run.run(&run)? else {
                unreachable!("a plan's run plans")
            };
            PlanGiven {
                hours_per_week: answer.hours_per_week().ok_or_else(|| {
                    CliError::Input(format!(
                        "{}: no prospecting hours within the working day reach the goal at its \
                         confidence (see `callblitz plan`): give the hours the rep was given \
                         with --hours",
                        args.scenario.file.display()
                    ))
                })?,
                from: PlanSource::Search,
            }
        }
    };
    let options = args.columns.options(false)?;
    let given = DatesGiven {
        start: args.start.map(day_of),
        as_of: args.as_of.map(day_of),
        weeks_off: args.weeks_off.clone(),
    };
    let deal_options = deal_options(&args)?;
    let mut meeting_columns = MeetingColumns::default();
    named_columns(
        "--meeting-cols",
        args.meeting_cols.as_deref(),
        &mut [
            ("date", &mut meeting_columns.date),
            ("status", &mut meeting_columns.status),
        ],
    )?;
    let spinner = working(format!("reading {}", args.log.display()));
    let activity = Activity::read(&args.log, &options, &scenario, &given)
        .map_err(|err| CliError::Input(err.to_string()))?;
    let (start, weeks) = (activity.dates.start, activity.weeks.len());
    let pipeline = match &args.deals {
        Some(path) => Some(PipelineAt::of(
            &read_deals(path, &deal_options).map_err(|err| CliError::Input(err.to_string()))?,
            start,
            start + 7 * weeks as i64 - 1,
        )),
        None => None,
    };
    let meetings = match &args.meetings {
        Some(path) => Some(HeldAt::of(
            &read_meetings(path, &meeting_columns)
                .map_err(|err| CliError::Input(err.to_string()))?,
            start,
            weeks,
        )),
        None => None,
    };
    let exports = Exports { pipeline, meetings };
    spinner.finish_and_clear();
    let check_in = args
        .run
        .on_threads(|| check_in(&scenario, plan, &activity, &exports, args.share))?
        .map_err(|why| why.within(args.scenario.file.display()))?;
    let report = TrackReport {
        scenario: &scenario.name,
        seed: scenario.simulation.seed,
        replications: scenario.simulation.replications,
        log: LogRows {
            counted: activity.rows,
            before_start: activity.before_start,
            after_as_of: activity.after_as_of,
            in_week_under_way: activity.in_week_under_way,
            skipped: activity.skipped.describe(),
        },
        check_in: &check_in,
    };
    outputs.emit(&report)
}

/// Sets each column name `text` (`flag`'s "KEY=NAME,...") gives to the slot of its key.
fn named_columns(
    flag: &str,
    text: Option<&str>,
    slots: &mut [(&str, &mut String)],
) -> Result<(), CliError> {
    for pair in text.iter().flat_map(|text| text.split(',')) {
        let Some((key, name)) = pair.split_once('=') else {
            return Err(CliError::Input(format!(
                "{flag} {pair:?}: write KEY=NAME, e.g. {}=My Column",
                slots[0].0
            )));
        };
        let keys: Vec<&str> = slots.iter().map(|(key, _)| *key).collect();
        let Some((_, slot)) = slots.iter_mut().find(|(k, _)| *k == key.trim()) else {
            return Err(CliError::Input(format!(
                "{flag}: {:?} is not a column key: use {}",
                key.trim(),
                keys.join(", ")
            )));
        };
        **slot = name.trim().to_string();
    }
    Ok(())
}

/// How to read the opportunities export: --deal-cols and --stage-map.
fn deal_options(args: &Args) -> Result<DealOptions, CliError> {
    let mut columns = DealColumns::default();
    named_columns(
        "--deal-cols",
        args.deal_cols.as_deref(),
        &mut [
            ("id", &mut columns.id),
            ("created", &mut columns.created),
            ("stage", &mut columns.stage),
            ("closed", &mut columns.closed),
            ("amount", &mut columns.amount),
        ],
    )?;
    let stage_labels = parse_labels(
        "--stage-map",
        args.stage_map.as_deref().unwrap_or_default(),
        Stage::parse,
        STAGE_NAMES,
    )
    .map_err(CliError::Input)?;
    Ok(DealOptions {
        columns,
        stage_labels,
    })
}
