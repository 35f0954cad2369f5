//! Every text report as a snapshot under tests/snapshots: each command runs small and seeded,
//! and what it prints must be what was committed, to the character. After a deliberate change
//! of wording or numbers, `INSTA_UPDATE=always cargo test --release snapshots` rewrites the
//! files, to be read in the diff before committing.

use std::path::Path;

use crate::common::{callblitz, shipped};

/// The repository, where the shipped scenarios are `scenarios/…`: reports that name their
/// file then print no machine's paths.
fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What a command printed, and how it ended.
struct Printed {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

/// Runs `callblitz COMMAND` in `dir`; the command's words are split at white space.
fn run_in(dir: &Path, command: &str) -> Printed {
    let output = callblitz()
        .current_dir(dir)
        .args(command.split_whitespace())
        .output()
        .unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("the output is UTF-8");
    Printed {
        stdout: text(output.stdout),
        stderr: text(output.stderr),
        code: output.status.code(),
    }
}

/// One line break: the end of most reports.
const LINE: &str = "\n";
/// A blank line: the end of reports whose last section closes with one.
const BLANK_LINE: &str = "\n\n";

/// Asserts that `text`, which `command` printed, is the snapshot `name` and ends in exactly
/// `ending` (insta trims line breaks at the end, so they are checked here).
#[track_caller]
fn assert_text(name: &str, command: &str, text: &str, ending: &str) {
    let body = text.trim_end_matches('\n');
    assert_eq!(
        &text[body.len()..],
        ending,
        "{name}: the line breaks at the end"
    );
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("callblitz {command}"),
    }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Runs `command` in `dir`, which must succeed with nothing on stderr, and asserts its stdout
/// is the snapshot `name`, ending in `ending`.
#[track_caller]
fn assert_stdout_in(dir: &Path, name: &str, command: &str, ending: &str) {
    let printed = run_in(dir, command);
    assert_eq!(printed.code, Some(0), "{name}: {}", printed.stderr);
    assert_eq!(printed.stderr, "", "{name}: nothing goes to stderr");
    assert_text(name, command, &printed.stdout, ending);
}

/// [`assert_stdout_in`] the repository, for a report ending in one line break.
#[track_caller]
fn assert_stdout(name: &str, command: &str) {
    assert_stdout_in(repository(), name, command, LINE);
}

/// Runs `command` in `dir`, which must end with exit code `code` and print nothing on stdout,
/// and asserts its stderr is the snapshot `name`.
#[track_caller]
fn assert_stderr_in(dir: &Path, name: &str, command: &str, code: i32) {
    let printed = run_in(dir, command);
    assert_eq!((printed.code, printed.stdout.as_str()), (Some(code), ""));
    assert_text(name, command, &printed.stderr, LINE);
}

/// A temporary folder holding `files` (name, text).
fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn simulate_reports() {
    assert_stdout(
        "simulate-cohort",
        "simulate scenarios/three-call.toml --replications 200",
    );
    assert_stdout(
        "simulate-calendar",
        "simulate scenarios/shared-pool-vs-round-robin.toml --calendar --replications 10",
    );
}

#[test]
fn compare_reports() {
    assert_stdout_in(
        repository(),
        "compare-two-files",
        "compare scenarios/three-call.toml scenarios/sixteen-touch.toml --replications 100 \
         --value-per-appointment 300 --cost-per-hour 40",
        BLANK_LINE,
    );
    assert_stdout_in(
        repository(),
        "compare-variants",
        "compare scenarios/three-call-vs-sixteen-touch.toml --replications 100",
        BLANK_LINE,
    );
    assert_stdout(
        "compare-calendar",
        "compare scenarios/shared-pool-vs-round-robin.toml --calendar --replications 10",
    );
}

#[test]
fn plan_reports() {
    let plan = "plan scenarios/new-hire-kpis.toml --replications 50";
    assert_stdout("plan-reachable", plan);
    assert_stdout("plan-unreachable", &format!("{plan} --deals 400"));
}

#[test]
fn sweep_reports() {
    assert_stdout(
        "sweep-one-axis",
        "sweep scenarios/cold-outbound.toml --vary cadence.attempts=3,6,10 --replications 100",
    );
    assert_stdout(
        "sweep-two-axes",
        "sweep scenarios/cold-outbound.toml --vary cadence.attempts=3,6,10,16 \
         --vary reps.give_up=[],[{after=3,share=0.8}] --replications 100",
    );
    // A goal of 400 deals no hours reach: its row says so.
    assert_stdout(
        "sweep-plan",
        "sweep scenarios/new-hire-kpis.toml --plan --vary funnel.appointment_rate=0.1,0.2 \
         --vary goal.deals=20,400 --replications 30",
    );
    assert_stdout(
        "sweep-tornado",
        "sweep scenarios/three-call.toml --tornado --replications 100",
    );
}

#[test]
fn blitz_reports() {
    let blitz = "blitz scenarios/blitz-leader-involved.toml --replications 50";
    assert_stdout("blitz", blitz);
    let actual = format!("{blitz} --actual scenarios/blitz-leader-involved.csv");
    assert_stdout("blitz-actual", &actual);

    // A row that cannot be read, skipped: the note goes to stderr, the report to stdout.
    let log = std::fs::read_to_string(shipped("blitz-leader-involved.csv")).unwrap();
    let scenario = std::fs::read_to_string(shipped("blitz-leader-involved.toml")).unwrap();
    let dir = folder_with(&[
        (
            "log.csv",
            &format!("{log}L999,5 March,call,no_answer,Ana\n"),
        ),
        ("blitz.toml", &scenario),
    ]);
    let skipping = "blitz blitz.toml --replications 50 --actual log.csv --skip-invalid";
    let printed = run_in(dir.path(), skipping);
    assert_eq!(printed.code, Some(0), "{}", printed.stderr);
    assert_eq!(
        printed.stdout,
        run_in(repository(), &actual).stdout,
        "the skipped row changes nothing"
    );
    assert_text("blitz-skipped-row", skipping, &printed.stderr, LINE);
}

#[test]
fn calibrate_report() {
    let scenario = std::fs::read_to_string(shipped("cold-outbound.toml")).unwrap();
    let dir = folder_with(&[("cold-outbound.toml", &scenario)]);
    let simulate =
        "simulate cold-outbound.toml --replications 2 --set leads.count=500 --log log.csv";
    assert_eq!(run_in(dir.path(), simulate).code, Some(0));
    assert_stdout_in(dir.path(), "calibrate", "calibrate log.csv", LINE);
}

#[test]
fn scenario_reports() {
    assert_stdout(
        "scenario-show",
        "scenario show scenarios/three-call.toml --set funnel.win_rate=0.3",
    );
    assert_stdout(
        "scenario-check",
        "scenario check scenarios/what-matters.toml",
    );
    let dir = folder_with(&[(
        "oops.toml",
        "name = \"oops\"\n[leads]\nreachability = { mean = 1.5 }\nunreachabel = 0.2\n\
         [funnel]\nwin_rate = \"high\"\n",
    )]);
    assert_stderr_in(
        dir.path(),
        "scenario-check-refused",
        "scenario check oops.toml",
        2,
    );
}

#[test]
fn init_reports() {
    assert_stdout("init", "init");
    let dir = tempfile::tempdir().unwrap();
    assert_stderr_in(dir.path(), "init-file", "init mine.toml", 0);
}
