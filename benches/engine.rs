//! Engine throughput on the canonical cohort (benches/canonical-cohort.toml): 10,000 leads ×
//! 1,000 replications, reported as leads per second, on one thread and on all of them.

use std::hint::black_box;

use callblitz::engine::{CalendarModel, CohortModel, simulate_calendar, simulate_cohort};
use callblitz::scenario::load;
use callblitz::stats::Metric;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn canonical_model() -> (CohortModel, u64) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/canonical-cohort.toml");
    let scenario = load(&path, &[]).expect("the canonical scenario is valid");
    (
        CohortModel::new(&scenario),
        scenario.simulation.replications,
    )
}

fn cohort(c: &mut Criterion) {
    let (model, replications) = canonical_model();
    let mut group = c.benchmark_group("cohort");
    group.sample_size(20);
    group.throughput(Throughput::Elements(model.leads() * replications));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_function(format!("canonical/{threads}-threads"), |b| {
            b.iter(|| pool.install(|| simulate_cohort(black_box(&model), replications, 1)))
        });
    }
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

/// The calendar of `scenarios/new-hire-kpis.toml` at 4.5 prospecting hours a day, 100 years,
/// reported as touches per second.
fn calendar(c: &mut Criterion) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/new-hire-kpis.toml");
    let scenario = load(&path, &[]).unwrap();
    let model = CalendarModel::new(&scenario, 4.5);
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
    group.bench_function("new-hire/100-years", |b| {
        b.iter(|| simulate_calendar(black_box(&model), replications, 1))
    });
    group.finish();
}

criterion_group!(benches, cohort, model_building, calendar);
criterion_main!(benches);
