//! Same scenario and seed: the same numbers to the last digit, on any number of threads.

use callblitz::engine::{CohortModel, simulate_cohort};
use callblitz::stats::Metric;

use crate::common::{callblitz, scenario, stdout_of};

const SCENARIO: &str = r#"
[simulation]
replications = 1000
seed = 42
[leads]
count = 500
[reps]
give_up = [ { after = 2, share = 0.6 } ]
"#;

fn on_threads(threads: usize, seed: u64) -> Vec<Vec<u64>> {
    let s = scenario(SCENARIO);
    let model = CohortModel::new(&s);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let samples = pool.install(|| simulate_cohort(&model, s.simulation.replications, seed));
    Metric::ALL
        .iter()
        .map(|&m| {
            samples
                .get(m)
                .values()
                .iter()
                .map(|v| v.to_bits())
                .collect()
        })
        .collect()
}

#[test]
fn engine_values_are_bitwise_identical_on_any_thread_count() {
    let one = on_threads(1, 42);
    assert_eq!(one, on_threads(2, 42));
    assert_eq!(one, on_threads(5, 42));
    assert_ne!(
        one,
        on_threads(2, 43),
        "another seed must give other numbers"
    );
}

fn simulate_output(threads: &str, seed: &str, csv: &std::path::Path) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(&file, SCENARIO).unwrap();
    stdout_of(
        callblitz()
            .args([
                "simulate",
                file.to_str().unwrap(),
                "--json",
                "--threads",
                threads,
            ])
            .args(["--seed", seed, "--csv", csv.to_str().unwrap()]),
    )
}

#[test]
fn cli_output_is_byte_identical_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (csv1, csv2, csv3) = (
        dir.path().join("1.csv"),
        dir.path().join("2.csv"),
        dir.path().join("3.csv"),
    );
    let json1 = simulate_output("1", "42", &csv1);
    let json2 = simulate_output("2", "42", &csv2);
    assert_eq!(json1, json2);
    assert_eq!(std::fs::read(&csv1).unwrap(), std::fs::read(&csv2).unwrap());
    let json3 = simulate_output("2", "43", &csv3);
    assert_ne!(json1, json3, "another seed must give other numbers");
    let text = String::from_utf8(json1).unwrap();
    assert!(text.contains("\"seed\": 42"), "the seed is echoed: {text}");
}
