//! `callblitz compare`: strategies side by side on common random numbers.

use std::path::PathBuf;

use super::{
    CliError, Cost, Files, RunArgs, check_calendar, check_chart_path, check_cohort,
    check_total_work, print, save_chart,
};
use crate::compare::TouchAnalysis;
use crate::engine::{CalendarModel, CohortModel, simulate_calendar, simulate_cohort};
use crate::output::write_whole;
use crate::report::{CompareReport, TeamReport, VariantResult, group_thousands};
use crate::scenario::{Override, Scenario, Source, load};

#[derive(Debug, clap::Args)]
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
    /// Print one JSON object instead of the tables.
    #[arg(long)]
    json: bool,
    /// Also write the differences against the baseline to this CSV file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Also draw the comparison charts into this file (.png or .svg).
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let what = if args.files.len() == 1 {
        "the scenario file"
    } else {
        "a scenario file"
    };
    args.files
        .iter()
        .fold(Files::new(), |files, file| files.reads(what, None, file))
        .writes("--csv", "the CSV", args.csv.as_deref())
        .writes("--chart", "the chart", args.chart.as_deref())
        .check()?;
    if let Some(path) = &args.chart {
        check_chart_path(path)?;
    }
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
    let mut common = args.set.clone();
    common.extend(args.run.overrides());
    let variants = variants(&args.files, &common)?;
    let file = match args.files.as_slice() {
        [one] => format!("{}: ", one.display()),
        _ => String::new(),
    };
    for (name, scenario) in &variants {
        let checked = if args.calendar {
            check_calendar(scenario, scenario.team.prospecting_hours_per_day)
        } else {
            check_cohort(scenario)
        };
        checked.map_err(|err| match err {
            CliError::Input(why) => CliError::Input(format!("{file}variant \"{name}\": {why}")),
            other => other,
        })?;
    }
    check_common_numbers(&variants)?;
    check_comparison(&variants, args.calendar)?;
    // Common random numbers need one seed and one number of replications: the baseline's.
    let baseline = &variants[0].1.simulation;
    let (replications, seed) = (baseline.replications, baseline.seed);
    let results = args.run.on_threads(|| {
        variants
            .iter()
            .map(|(name, scenario)| {
                let (samples, team) = if args.calendar {
                    let model =
                        CalendarModel::new(scenario, scenario.team.prospecting_hours_per_day);
                    let runs = simulate_calendar(&model, replications, seed);
                    let team = TeamReport::new(&model, &runs);
                    (runs.samples, Some(team))
                } else {
                    let samples = simulate_cohort(&CohortModel::new(scenario), replications, seed);
                    (samples, None)
                };
                // The per-touch closed forms describe a cohort: a team's inbound leads and
                // individual reps change what a touch brings.
                let individual =
                    scenario.leads.source.has_arrivals() || !scenario.team.members.is_empty();
                let touches = (!(args.calendar && individual)).then(|| {
                    TouchAnalysis::new(&crate::engine::LeadModel::new(scenario), value_and_cost)
                });
                VariantResult {
                    name: name.clone(),
                    samples,
                    touches,
                    team,
                }
            })
            .collect::<Vec<_>>()
    })?;
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
        variants: results,
    };
    if let Some(path) = &args.csv {
        write_whole(path, |w| report.write_csv(w)).map_err(|err| CliError::output(path, err))?;
    }
    if let Some(path) = &args.chart {
        save_chart(&report.chart(), path)?;
    }
    if args.json {
        print(|out| writeln!(out, "{}", report.to_json()))
    } else {
        print(|out| report.write_text(out))
    }
}

/// Refuses variants that cannot share their random numbers: another seed or number of
/// replications than the baseline's.
pub(super) fn check_common_numbers(variants: &[(String, Scenario)]) -> Result<(), CliError> {
    for (name, scenario) in &variants[1..] {
        let (base, this) = (&variants[0].1.simulation, &scenario.simulation);
        if (this.seed, this.replications) != (base.seed, base.replications) {
            return Err(CliError::Input(format!(
                "\"{name}\" runs seed {} with {} replications, but the baseline \"{}\" runs seed \
                 {} with {}: common random numbers need the same for every variant (set them \
                 for all with --seed and --replications)",
                this.seed, this.replications, variants[0].0, base.seed, base.replications
            )));
        }
    }
    Ok(())
}

/// Refuses a comparison whose variants together would take too long.
pub(super) fn check_comparison(
    variants: &[(String, Scenario)],
    calendar: bool,
) -> Result<(), CliError> {
    check_total_work(
        &format!("the comparison of {} variants", variants.len()),
        "use fewer variants, or fewer replications (--replications or simulation.replications)",
        variants.iter().map(|(_, s)| {
            let cost = if calendar {
                Cost::Calendar {
                    hours_per_day: s.team.prospecting_hours_per_day,
                }
            } else {
                Cost::Cohort
            };
            (s, cost)
        }),
    )
}

/// The variants to compare, with their names: one per file, or the `[[variants]]` of a single
/// file (each its overrides applied to the file, then `common`).
fn variants(files: &[PathBuf], common: &[Override]) -> Result<Vec<(String, Scenario)>, CliError> {
    if let [file] = files {
        return Ok(Source::read(file)?.variants(common)?);
    }
    let mut loaded = Vec::new();
    for file in files {
        let scenario = load(file, common)?;
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
