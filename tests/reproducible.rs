//! Same scenario and seed: the same numbers to the last digit, on any number of threads.

use callblitz::engine::{CohortModel, simulate_cohort};

use crate::common::{bits, callblitz, scenario, stdout_of};

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
    bits(&samples)
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

#[test]
fn a_seed_takes_the_whole_u64_range_and_the_top_of_it_is_its_own() {
    // --seed is applied to the resolved scenario, not written into TOML, whose integers stop
    // at 2^63 − 1: the top of the range is a seed like any other.
    let dir = tempfile::tempdir().unwrap();
    let top = u64::MAX.to_string();
    let (one, two) = (dir.path().join("1.csv"), dir.path().join("2.csv"));
    let json = simulate_output("1", &top, &one);
    assert_eq!(json, simulate_output("2", &top, &two));
    assert_eq!(std::fs::read(&one).unwrap(), std::fs::read(&two).unwrap());
    let text = String::from_utf8(json).unwrap();
    assert!(text.contains(&format!("\"seed\": {top}")), "{text}");
    let below = simulate_output("2", &(u64::MAX - 1).to_string(), &dir.path().join("3.csv"));
    assert_ne!(
        text.into_bytes(),
        below,
        "neighbouring seeds give other numbers"
    );
}
