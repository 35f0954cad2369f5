//! Helpers shared by the test modules.

use callblitz::engine::{
    CalendarModel, CohortModel, Replicate, Week, replication_stream, simulate_cohort,
};
use callblitz::scenario::{Scenario, load_str};
use callblitz::stats::Samples;

/// Loads scenario text that must be valid.
pub fn scenario(text: &str) -> Scenario {
    load_str(text, "test.toml", &[]).unwrap_or_else(|err| panic!("invalid test scenario: {err}"))
}

/// Runs the cohort engine on scenario text.
pub fn run(text: &str) -> (Scenario, Samples) {
    let s = scenario(text);
    let samples = simulate_cohort(
        &CohortModel::new(&s),
        s.simulation.replications,
        s.simulation.seed,
    );
    (s, samples)
}

/// Every metric's values of `samples`, bit for bit, to compare runs to the last digit.
pub fn bits(samples: &Samples) -> Vec<Vec<u64>> {
    callblitz::stats::Metric::ALL
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

/// Every replication's weeks of a calendar run of `model` (recording its weeks), in
/// replication order, from the streams the run gives them: a run keeps only their tally.
pub fn weeks_of_each(model: &CalendarModel, replications: u64, seed: u64) -> Vec<Vec<Week>> {
    let mut scratch = model.scratch();
    (0..replications)
        .map(|r| {
            model
                .replicate(&mut replication_stream(seed, r), &mut scratch)
                .weeks
        })
        .collect()
}

/// Asserts |observed − expected| ≤ 4.5 standard errors.
#[track_caller]
pub fn assert_within(what: &str, observed: f64, expected: f64, standard_error: f64) {
    let z = (observed - expected) / standard_error;
    assert!(
        z.abs() <= 4.5,
        "{what}: observed {observed}, expected {expected}, {z:.2} standard errors apart (se {standard_error})"
    );
}

/// The `callblitz` binary, ready for arguments.
pub fn callblitz() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("callblitz").unwrap()
}

/// Runs a command that must succeed and returns its standard output.
#[track_caller]
pub fn stdout_of(command: &mut assert_cmd::Command) -> Vec<u8> {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Runs a command that must succeed and reads its standard output, JSON, as `T`: for a schema
/// struct, a check of the shape.
#[track_caller]
pub fn json_of<T: serde::de::DeserializeOwned>(command: &mut assert_cmd::Command) -> T {
    serde_json::from_slice(&stdout_of(command)).unwrap()
}

/// The path of a shipped scenario, as a string for command lines.
pub fn shipped(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
        .display()
        .to_string()
}

/// Asserts that `path` decodes, whole, as a PNG of `width` × `height` that is not blank.
#[track_caller]
pub fn assert_png(path: &std::path::Path, width: u32, height: u32) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width, frame.height), (width, height));
    assert!(pixels.iter().any(|&p| p != 255), "the image is blank");
}

/// Asserts that a command was refused as bad input: exit code 2, nothing on stdout, no panic,
/// and every `expected` text on stderr.
#[track_caller]
pub fn assert_refused(output: &std::process::Output, expected: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
    for text in expected {
        assert!(stderr.contains(text), "{text:?} not in: {stderr}");
    }
}

/// Rows of a call log by the weekday of their timestamp, Monday first.
pub fn weekdays_of_log(log: &std::path::Path) -> [u32; 7] {
    let mut reader = csv::Reader::from_path(log).unwrap();
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "timestamp")
        .unwrap();
    let mut weekdays = [0u32; 7];
    for record in reader.records() {
        let at: jiff::Timestamp = record.unwrap()[column].parse().unwrap();
        let day = at.to_zoned(jiff::tz::TimeZone::UTC).weekday();
        weekdays[day.to_monday_zero_offset() as usize] += 1;
    }
    weekdays
}

/// What `work` gives on a pool of `threads` worker threads.
pub fn on_threads<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(work)
}

/// The shipped scenario `name` (a file in scenarios/) with `overrides`, e.g.
/// `simulation.seed=7`.
pub fn shipped_with(name: &str, overrides: &[&str]) -> callblitz::scenario::Scenario {
    let overrides: Vec<callblitz::scenario::Override> = overrides
        .iter()
        .map(|o| callblitz::scenario::Override::parse(o).unwrap())
        .collect();
    callblitz::scenario::load(std::path::Path::new(&shipped(name)), &overrides).unwrap()
}

/// scenarios/new-hire-kpis.toml with `overrides`, e.g. `simulation.seed=7`.
pub fn new_hire(overrides: &[&str]) -> callblitz::scenario::Scenario {
    shipped_with("new-hire-kpis.toml", overrides)
}
