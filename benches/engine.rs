//! Engine throughput: the canonical cohort (benches/canonical-cohort.toml, 10,000 leads ×
//! 1,000 replications) as leads per second, on one thread and on all of them; calendars as
//! touches per second on one thread and on all of them: a new hire's list prospecting, and the
//! team of benches/team-calendar.toml (10 reps, 500 inbound leads a week) in both routing
//! modes; a sweep of 16 cohort points on one thread and on all of them; and the plan of
//! scenarios/new-hire-kpis.toml, with its curve and as a sweep's point, beside one calendar
//! run of its replications at the hours it finds.

use std::hint::black_box;

use callblitz::engine::CohortModel;
use callblitz::runs::{Kind, Outcome, Run};
use callblitz::scenario::{Override, Scenario, load};
use callblitz::stats::Metric;
use callblitz::sweep::run_points;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

/// The scenario at `path` (from the crate's root) with `overrides`, e.g. `cadence.attempts=3`.
fn scenario(path: &str, overrides: &[&str]) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| Override::parse(o).unwrap())
        .collect();
    load(&path, &overrides).expect("a valid scenario")
}

/// A run of `kind` on the scenario, checked as any command's is.
fn prepared(scenario: Scenario, kind: Kind) -> Run {
    Run::prepare(scenario, kind).expect("a run the checks allow")
}

/// Benchmarks `work` as `{name}/1-threads` and `{name}/N-threads` (N: every core).
fn on_one_and_all_cores<T: Send>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    work: impl Fn() -> T + Sync,
) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_function(format!("{name}/{threads}-threads"), |b| {
            b.iter(|| pool.install(&work))
        });
    }
}

fn cohort(c: &mut Criterion) {
    let run = prepared(scenario("benches/canonical-cohort.toml", &[]), Kind::Cohort);
    let sim = &run.scenario().simulation;
    let mut group = c.benchmark_group("cohort");
    group.sample_size(20);
    group.throughput(Throughput::Elements(
        run.scenario().leads.count * sim.replications,
    ));
    on_one_and_all_cores(&mut group, "canonical", || black_box(&run).run());
    group.finish();
}

fn model_building(c: &mut Criterion) {
    let scenario = scenario("scenarios/sixteen-touch.toml", &[]);
    c.bench_function("model/sixteen-touch", |b| {
        b.iter(|| CohortModel::new(black_box(&scenario)))
    });
}

/// Calendar years a calendar bench runs: four batches of the engine's 64, so that two threads
/// share them evenly.
const CALENDAR_YEARS: &str = "simulation.replications=256";

/// 256 calendar years of the scenario at `path` (from the crate's root) with `overrides`, at
/// its own prospecting hours, reported as touches per second on one thread and on all cores.
fn calendar_bench(c: &mut Criterion, name: &str, path: &str, overrides: &[&str]) {
    let overrides = [overrides, &[CALENDAR_YEARS, "simulation.seed=1"]].concat();
    let run = prepared(scenario(path, &overrides), Kind::Calendar);
    let Outcome::Calendar(_, runs) = run.run() else {
        unreachable!("a calendar run")
    };
    let touches = runs
        .samples
        .get(Metric::Touches)
        .values()
        .iter()
        .sum::<f64>();
    let mut group = c.benchmark_group("calendar");
    group.sample_size(10);
    group.throughput(Throughput::Elements(touches as u64));
    on_one_and_all_cores(&mut group, name, || black_box(&run).run());
    group.finish();
}

fn calendar(c: &mut Criterion) {
    calendar_bench(
        c,
        "new-hire",
        "scenarios/new-hire-kpis.toml",
        &["team.prospecting_hours_per_day=4.5"],
    );
    for mode in ["round-robin", "shared-pool"] {
        calendar_bench(
            c,
            &format!("team-{mode}"),
            "benches/team-calendar.toml",
            &[&format!("routing.mode={mode}")],
        );
    }
}

/// A sweep of 16 points (cadence.attempts = 1..16) of the canonical cohort at 200 replications
/// each, on one thread and on all of them: the grid's scaling with cores.
fn sweep(c: &mut Criterion) {
    let points: Vec<Run> = (1..=16)
        .map(|attempts| {
            let overrides = [
                &format!("cadence.attempts={attempts}") as &str,
                "simulation.replications=200",
            ];
            prepared(
                scenario("benches/canonical-cohort.toml", &overrides),
                Kind::Cohort,
            )
        })
        .collect();
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.throughput(Throughput::Elements(points.len() as u64));
    on_one_and_all_cores(&mut group, "16-points", || {
        run_points(black_box(&points), || ())
    });
    group.finish();
}

/// The plan of scenarios/new-hire-kpis.toml (1,000 years): with its curve, as `plan` runs it,
/// and at its own confidence only, as a sweep's point runs it; beside them one calendar run of
/// the 1,000 years at the hours the plan finds, the unit a plan's cost is counted in.
fn plan(c: &mut Criterion) {
    let s = scenario("scenarios/new-hire-kpis.toml", &[]);
    let run = prepared(s.clone(), Kind::Plan);
    let Outcome::Plan(_, answer, _) = run.run() else {
        unreachable!("a plan")
    };
    let hours = answer.hours_per_week().expect("a reachable goal");
    let at_hours = format!("team.prospecting_hours_per_day={}", hours / 5.0);
    let calendar = prepared(
        scenario("scenarios/new-hire-kpis.toml", &[&at_hours]),
        Kind::Calendar,
    );
    let point = prepared(s, Kind::Plan).without_curve();
    let mut group = c.benchmark_group("plan");
    group.sample_size(10);
    group.bench_function("new-hire/curve", |b| b.iter(|| black_box(&run).run()));
    group.bench_function("new-hire/point", |b| b.iter(|| black_box(&point).run()));
    group.bench_function("new-hire/one-calendar-run", |b| {
        b.iter(|| black_box(&calendar).run())
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Criterion's own charts need a system font library; the figures are in its text output.
    config = Criterion::default().without_plots();
    targets = cohort, model_building, calendar, sweep, plan
}
criterion_main!(benches);
