//! `callblitz compare`: strategies side by side on common random numbers.

use std::path::PathBuf;

use super::emit::OutputArgs;
use super::{CliError, Files, RunArgs};
use callblitz::compare::TouchAnalysis;
use callblitz::money::Prices;
use callblitz::report::{
    Breakdown, CompareReport, VariantResult, drawn_keys, group_thousands, simulated,
};
use callblitz::runs::{DrawnOutcome, Kind, Refusal, Run, check_common_numbers, check_together};
use callblitz::scenario::{Override, Scenario, Source};

#[derive(Debug, clap::Args)]
#[command(
    mut_arg("json", |a| a.help("Print one JSON object instead of the tables")),
    mut_arg("csv", |a| a.help(
        "Also write the differences against the baseline to this CSV file (- for standard \
         output, in place of the tables)"
    )),
    mut_arg("chart", |a| a.help("Also draw the comparison charts into this file (.png or .svg)")),
)]
pub struct Args {
    /// Two or more scenario files, or one file with [[variants]]. The first is the baseline.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Override a scenario key in every variant, e.g. --set leads.count=5000 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = Override::parse)]
    set: Vec<Override>,
    /// Compare the team's calendars (capacity, ramp, sales cycle) instead of cohorts.
    #[arg(long)]
    calendar: bool,
    /// Value of one appointment, for the break-even touch (with --cost-per-hour).
    #[arg(long, requires = "cost_per_hour", allow_negative_numbers = true)]
    value_per_appointment: Option<f64>,
    /// Cost of one prospecting hour, for the break-even touch (with --value-per-appointment).
    #[arg(
        long,
        requires = "value_per_appointment",
        allow_negative_numbers = true
    )]
    cost_per_hour: Option<f64>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let what = if args.files.len() == 1 {
        "the scenario file"
    } else {
        "a scenario file"
    };
    let files = args
        .files
        .iter()
        .fold(Files::new(), |files, file| files.reads(what, None, file));
    let outputs = args.output.check(files, "the CSV")?;
    let value_and_cost = match (args.value_per_appointment, args.cost_per_hour) {
        (Some(value), Some(cost))
            if (0.01..=1e9).contains(&value) && (0.0..=1e9).contains(&cost) =>
        {
            Some((value, cost))
        }
        (Some(_), Some(_)) => {
            return Err(CliError::Input(
                "--value-per-appointment must be from 0.01 to 1e9 and --cost-per-hour from 0 to \
                 1e9 (money per appointment and per hour)"
                    .into(),
            ));
        }
        _ => None,
    };
    let common = args
        .set
        .iter()
        .cloned()
        .chain(args.run.overrides())
        .collect::<Vec<_>>();
    let variants = variants(&args.files, &common, args.run.seed)?;
    let file = match args.files.as_slice() {
        [one] => format!("{}: ", one.display()),
        _ => String::new(),
    };
    let kind = if args.calendar {
        Kind::Calendar
    } else {
        Kind::Cohort
    };
    let runs = variants
        .iter()
        .map(|(name, scenario)| {
            Run::prepare(scenario.clone(), kind)
                .map_err(|why| why.within(format_args!("{file}variant \"{name}\"")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    check_common_numbers(&variants)?;
    check_comparison(&runs)?;
    // The flags price the per-touch analysis only: a variant without one would take them
    // silently.
    if let (Some(_), Some((name, _))) = (
        value_and_cost,
        variants
            .iter()
            .find(|(_, scenario)| !TouchAnalysis::applies(scenario, args.calendar)),
    ) {
        return Err(CliError::Input(format!(
            "--value-per-appointment and --cost-per-hour price the per-touch analysis, which \
             variant \"{name}\" has none of (segments, inbound leads or [[team.members]] in a \
             calendar): leave them out, or price the runs with a [costs] table"
        )));
    }
    // Common random numbers need one seed and one number of replications: the baseline's.
    let baseline = &variants[0].1.simulation;
    let (replications, seed) = (baseline.replications, baseline.seed);
    let results = variants
        .iter()
        .zip(args.run.run_all(&runs)?)
        .map(|((name, scenario), (outcome, drawn))| {
            let (samples, team, money) = simulated(outcome, Prices::of(scenario, kind.charge()));
            let touches = TouchAnalysis::of(scenario, args.calendar, value_and_cost);
            VariantResult {
                name: name.clone(),
                segments: Breakdown::of(scenario, &samples),
                samples,
                touches,
                team,
                money,
                drawn: drawn.and_then(DrawnOutcome::into_samples),
            }
        })
        .collect::<Vec<_>>();
    let report = CompareReport {
        title: variants
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(" vs "),
        setup: if args.calendar {
            "team calendars".into()
        } else if variants
            .iter()
            .all(|(_, s)| s.leads.count == variants[0].1.leads.count)
        {
            format!(
                "cohorts of {} leads",
                group_thousands(variants[0].1.leads.count as f64, 0)
            )
        } else {
            "cohorts of different sizes".into()
        },
        calendar: args.calendar,
        seed,
        replications,
        drawn_keys: {
            let mut keys: Vec<String> = variants.iter().flat_map(|(_, s)| drawn_keys(s)).collect();
            keys.sort();
            keys.dedup();
            keys
        },
        variants: results,
    };
    outputs.emit(&report)
}

/// Refuses a comparison whose variants together would take too long.
pub(super) fn check_comparison(runs: &[Run]) -> Result<(), Refusal> {
    check_together(
        &format!("the comparison of {} variants", runs.len()),
        "use fewer variants, or fewer replications (--replications or simulation.replications)",
        runs,
    )
}

/// The variants to compare, with their names: one per file, or the `[[variants]]` of a single
/// file (each its overrides applied to the file, then `common`), `seed` (a --seed) replacing
/// every file's.
fn variants(
    files: &[PathBuf],
    common: &[Override],
    seed: Option<u64>,
) -> Result<Vec<(String, Scenario)>, CliError> {
    if let [file] = files {
        return Ok(Source::read(file)?.with_seed(seed).variants(common)?);
    }
    let mut loaded = Vec::new();
    for file in files {
        let scenario = Source::read(file)?.with_seed(seed).scenario(common)?;
        if !scenario.variants.is_empty() {
            return Err(CliError::Input(format!(
                "{}: a file with [[variants]] is compared on its own; give it as the only file",
                file.display()
            )));
        }
        let mut name = scenario.name.clone();
        if loaded.iter().any(|(n, _): &(String, Scenario)| *n == name) {
            name = format!("{name} ({})", file.display());
        }
        loaded.push((name, scenario));
    }
    Ok(loaded)
}
