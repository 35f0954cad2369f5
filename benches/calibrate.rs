//! `calibrate` throughput, in call-log rows per second: streaming and summarising the log of
//! benches/calibrate-log.toml, then the zero-inflated fit with every profile-likelihood
//! interval, as one run of the command does.

use std::hint::black_box;

use callblitz::calibrate::{Calibration, Evidence, FitOptions};
use callblitz::calllog::{Options, write_cohort_log};
use callblitz::engine::CohortModel;
use callblitz::scenario::load;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn parse_and_fit(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/calibrate-log.toml");
    let scenario = load(&path, &[]).expect("the benchmark scenario is valid");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&log).unwrap());
    write_cohort_log(&scenario, &CohortModel::new(&scenario), &mut file).unwrap();
    drop(file);
    let options = Options::default();
    let rows = Evidence::read(&log, &options).unwrap().touches;
    let mut group = c.benchmark_group("calibrate");
    group.sample_size(10);
    group.throughput(Throughput::Elements(rows));
    group.bench_function("read", |b| {
        b.iter(|| Evidence::read(black_box(&log), &options).unwrap())
    });
    group.bench_function("read-and-fit", |b| {
        b.iter(|| {
            let evidence = Evidence::read(black_box(&log), &options).unwrap();
            Calibration::new(
                evidence,
                FitOptions {
                    unreachable: true,
                    decay: None,
                },
            )
            .unwrap()
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Criterion's own charts need a system font library; the figures are in its text output.
    config = Criterion::default().without_plots();
    targets = parse_and_fit
}
criterion_main!(benches);
