//! Engine throughput: the canonical cohort (benches/canonical-cohort.toml, 10,000 leads ×
//! 1,000 replications) as leads per second, on one thread and on all of them; calendars as
//! touches per second: a new hire's list prospecting, and the team of
//! benches/team-calendar.toml (10 reps, 500 inbound leads a week) in both routing modes; and a
//! sweep of 16 cohort points on one thread and on all of them.

use std::hint::black_box;

use callblitz::engine::{CalendarModel, CohortModel, simulate_calendar, simulate_cohort};
use callblitz::scenario::{Override, load};
use callblitz::stats::Metric;
use callblitz::sweep::{Job, Point, run_points};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

fn canonical_model() -> (CohortModel, u64) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/canonical-cohort.toml");
    let scenario = load(&path, &[]).expect("the canonical scenario is valid");
    (
        CohortModel::new(&scenario),
        scenario.simulation.replications,
    )
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
    let (model, replications) = canonical_model();
    let mut group = c.benchmark_group("cohort");
    group.sample_size(20);
    group.throughput(Throughput::Elements(model.leads() * replications));
    on_one_and_all_cores(&mut group, "canonical", || {
        simulate_cohort(black_box(&model), replications, 1)
    });
    group.finish();
}

fn model_building(c: &mut Criterion) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/sixteen-touch.toml");
    let scenario = load(&path, &[]).unwrap();
    c.bench_function("model/sixteen-touch", |b| {
        b.iter(|| CohortModel::new(black_box(&scenario)))
    });
}

/// 100 calendar years of the scenario at `path` (from the crate's root) with `overrides`, at
/// its own prospecting hours, reported as touches per second on all cores.
fn calendar_bench(c: &mut Criterion, name: &str, path: &str, overrides: &[&str]) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| Override::parse(o).unwrap())
        .collect();
    let scenario = load(&path, &overrides).unwrap();
    let model = CalendarModel::new(&scenario, scenario.team.prospecting_hours_per_day);
    let replications = 100;
    let touches = simulate_calendar(&model, replications, 1)
        .samples
        .get(Metric::Touches)
        .values()
        .iter()
        .sum::<f64>();
    let mut group = c.benchmark_group("calendar");
    group.sample_size(10);
    group.throughput(Throughput::Elements(touches as u64));
    group.bench_function(name, |b| {
        b.iter(|| simulate_calendar(black_box(&model), replications, 1))
    });
    group.finish();
}

fn calendar(c: &mut Criterion) {
    calendar_bench(
        c,
        "new-hire/100-years",
        "scenarios/new-hire-kpis.toml",
        &["team.prospecting_hours_per_day=4.5"],
    );
    for mode in ["round-robin", "shared-pool"] {
        calendar_bench(
            c,
            &format!("team-{mode}/100-years"),
            "benches/team-calendar.toml",
            &[&format!("routing.mode={mode}")],
        );
    }
}

/// A sweep of 16 points (cadence.attempts = 1..16) of the canonical cohort at 200 replications
/// each, on one thread and on all of them: the grid's scaling with cores.
fn sweep(c: &mut Criterion) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/canonical-cohort.toml");
    let points: Vec<Point> = (1..=16)
        .map(|attempts| {
            let overrides = [
                Override::parse(&format!("cadence.attempts={attempts}")).unwrap(),
                Override::parse("simulation.replications=200").unwrap(),
            ];
            Point {
                scenario: load(&path, &overrides).unwrap(),
                job: Job::Cohort,
            }
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

criterion_group! {
    name = benches;
    // Criterion's own charts need a system font library; the figures are in its text output.
    config = Criterion::default().without_plots();
    targets = cohort, model_building, calendar, sweep
}
criterion_main!(benches);
