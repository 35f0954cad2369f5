//! Output files never land on the run's own inputs, nor on each other: such runs are refused
//! before any work, whatever the spelling of the path (relative, `..`, absolute, a symlink, a
//! hard link), and leave every file as it was.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{assert_refused, callblitz, shipped, stdout_of};

/// A folder holding a run's inputs, under the names the tests use: `mine.toml` (a cohort
/// scenario), `other.toml` (another one), `blitz.toml` with its real blitz `real.csv`, and a
/// call log `log.csv`; plus an empty folder `sub` for `sub/../` spellings.
fn inputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, shipped_name) in [
        ("mine.toml", "three-call.toml"),
        ("other.toml", "sixteen-touch.toml"),
        ("blitz.toml", "blitz-leader-involved.toml"),
        ("real.csv", "blitz-leader-involved.csv"),
    ] {
        std::fs::copy(shipped(shipped_name), dir.path().join(name)).unwrap();
    }
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    stdout_of(callblitz().current_dir(dir.path()).args([
        "simulate",
        "mine.toml",
        "--replications",
        "20",
        "--log",
        "log.csv",
    ]));
    dir
}

/// Every entry below `dir`: whether it is a symlink, and the bytes it reads as.
fn contents(dir: &Path) -> BTreeMap<String, (bool, Vec<u8>)> {
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let link = path.symlink_metadata().unwrap().file_type().is_symlink();
        if path.is_dir() {
            for (name, inner) in contents(&path) {
                found.insert(format!("{}/{name}", path.display()), inner);
            }
        } else {
            found.insert(
                path.display().to_string(),
                (link, std::fs::read(&path).unwrap()),
            );
        }
    }
    found
}

/// Runs `args` in `dir` and asserts it was refused naming every `expected` text, with every
/// file in `dir` as it was and none added: nothing was run.
#[track_caller]
fn refused_untouched(dir: &Path, args: &[&str], expected: &[&str]) {
    let before = contents(dir);
    let output = callblitz().current_dir(dir).args(args).output().unwrap();
    assert_refused(&output, expected);
    assert_eq!(contents(dir), before, "{args:?} changed the folder");
}

/// Each command's runs (small ones, should one start), with the output flags and the inputs
/// they read.
const RUNS: &[(&[&str], &[&str], &[&str])] = &[
    (
        &["simulate", "mine.toml", "--replications", "20"],
        &["--csv", "--log"],
        &["mine.toml"],
    ),
    (
        &[
            "simulate",
            "mine.toml",
            "--calendar",
            "--replications",
            "20",
        ],
        &["--csv", "--timeline", "--chart"],
        &["mine.toml"],
    ),
    (
        &["plan", "mine.toml", "--replications", "20"],
        &["--csv", "--timeline", "--chart"],
        &["mine.toml"],
    ),
    (
        &["compare", "mine.toml", "other.toml", "--replications", "20"],
        &["--csv", "--chart"],
        &["mine.toml", "other.toml"],
    ),
    (
        &[
            "blitz",
            "blitz.toml",
            "--actual",
            "real.csv",
            "--replications",
            "20",
        ],
        &["--csv", "--chart"],
        &["blitz.toml", "real.csv"],
    ),
    (
        &[
            "sweep",
            "mine.toml",
            "--vary",
            "cadence.attempts=1,2",
            "--replications",
            "20",
        ],
        &["--csv", "--chart"],
        &["mine.toml"],
    ),
    (
        &["sweep", "mine.toml", "--tornado", "--replications", "20"],
        &["--csv", "--chart"],
        &["mine.toml"],
    ),
    (
        &["calibrate", "log.csv"],
        &["--csv", "--scenario", "--chart"],
        &["log.csv"],
    ),
];

#[test]
fn an_output_over_an_input_is_refused() {
    let dir = inputs();
    for (run, outputs, inputs) in RUNS {
        for flag in *outputs {
            for input in *inputs {
                let mut args = run.to_vec();
                args.extend([*flag, input]);
                let named = format!("{flag} {input} is ");
                refused_untouched(dir.path(), &args, &[&named, "this run reads", "elsewhere"]);
            }
        }
    }
}

#[test]
fn an_output_over_an_input_is_refused_however_it_is_spelled() {
    let dir = inputs();
    let absolute = |name: &str| dir.path().join(name).display().to_string();
    std::os::unix::fs::symlink("mine.toml", dir.path().join("link.toml")).unwrap();
    std::os::unix::fs::symlink(absolute("log.csv"), dir.path().join("sub/log-link.csv")).unwrap();
    std::fs::hard_link(dir.path().join("real.csv"), dir.path().join("hard.csv")).unwrap();
    std::fs::hard_link(dir.path().join("other.toml"), dir.path().join("hard.svg")).unwrap();
    let cases: &[(&[&str], &str, String)] = &[
        (&["simulate", "mine.toml"], "--csv", "./mine.toml".into()),
        (
            &["simulate", "mine.toml"],
            "--log",
            "sub/../mine.toml".into(),
        ),
        (&["simulate", "mine.toml"], "--csv", absolute("mine.toml")),
        (&["simulate", "mine.toml"], "--csv", "link.toml".into()),
        (&["simulate", "./link.toml"], "--log", "mine.toml".into()),
        (
            &["simulate", &absolute("mine.toml")],
            "--csv",
            "sub/../link.toml".into(),
        ),
        (
            &["calibrate", "log.csv"],
            "--scenario",
            "./sub/log-link.csv".into(),
        ),
        (
            &["calibrate", "sub/log-link.csv"],
            "--chart",
            absolute("log.csv"),
        ),
        (
            &["calibrate", "./log.csv"],
            "--scenario",
            "sub/../log.csv".into(),
        ),
        (
            &["blitz", "blitz.toml", "--actual", "real.csv"],
            "--csv",
            "hard.csv".into(),
        ),
        (
            &["blitz", "blitz.toml", "--actual", "./hard.csv"],
            "--chart",
            absolute("real.csv"),
        ),
        (
            &["compare", "mine.toml", "other.toml"],
            "--chart",
            "hard.svg".into(),
        ),
        (
            &["compare", "mine.toml", "hard.svg"],
            "--csv",
            "sub/../other.toml".into(),
        ),
        (
            &["plan", "./sub/../mine.toml"],
            "--timeline",
            "link.toml".into(),
        ),
        (
            &["sweep", "link.toml", "--tornado"],
            "--csv",
            absolute("mine.toml"),
        ),
    ];
    for (run, flag, output) in cases {
        let mut args = run.to_vec();
        args.extend([*flag, output.as_str()]);
        if run[0] != "calibrate" {
            args.extend(["--replications", "20"]);
        }
        let named = format!("{flag} {output} is ");
        refused_untouched(dir.path(), &args, &[&named, "this run reads"]);
    }
    // A real blitz's log is named by its flag.
    refused_untouched(
        dir.path(),
        &[
            "blitz",
            "blitz.toml",
            "--actual",
            "real.csv",
            "--csv",
            "hard.csv",
            "--replications",
            "20",
        ],
        &[
            "--csv hard.csv is the call log this run reads (--actual real.csv): write the CSV \
           elsewhere",
        ],
    );
    refused_untouched(
        dir.path(),
        &[
            "simulate",
            "mine.toml",
            "--csv",
            "mine.toml",
            "--replications",
            "20",
        ],
        &["--csv mine.toml is the scenario file this run reads: write the CSV elsewhere"],
    );
}

#[test]
fn two_outputs_on_one_path_are_refused() {
    let dir = inputs();
    let absolute = dir.path().join("x.svg").display().to_string();
    let spellings = ["x.svg", "./x.svg", "sub/../x.svg", absolute.as_str()];
    for (run, outputs, _) in RUNS {
        for (i, first) in outputs.iter().enumerate() {
            for second in &outputs[i + 1..] {
                for (k, spelling) in spellings.iter().enumerate() {
                    let other = spellings[(k + 1) % spellings.len()];
                    let mut args = run.to_vec();
                    args.extend([*first, spelling, *second, other]);
                    let named = format!("{second} {other} is the file {first} {spelling} writes");
                    // Whether the file exists yet or not.
                    refused_untouched(dir.path(), &args, &[&named, "elsewhere"]);
                    std::fs::write(dir.path().join("x.svg"), "an earlier chart").unwrap();
                    refused_untouched(dir.path(), &args, &[&named]);
                    std::fs::remove_file(dir.path().join("x.svg")).unwrap();
                }
            }
        }
    }
    // Links to an output already there are that output.
    std::fs::write(dir.path().join("x.csv"), "earlier runs").unwrap();
    std::os::unix::fs::symlink("x.csv", dir.path().join("link.csv")).unwrap();
    std::fs::hard_link(dir.path().join("x.csv"), dir.path().join("hard.csv")).unwrap();
    for other in ["link.csv", "hard.csv"] {
        refused_untouched(
            dir.path(),
            &[
                "simulate",
                "mine.toml",
                "--replications",
                "20",
                "--csv",
                "x.csv",
                "--log",
                other,
            ],
            &[&format!(
                "--log {other} is the file --csv x.csv writes too: write the call log elsewhere"
            )],
        );
    }
}

#[test]
fn outputs_of_their_own_beside_the_inputs_are_written() {
    let dir = inputs();
    std::fs::write(dir.path().join("runs.csv"), "an earlier run").unwrap();
    let before = contents(dir.path());
    for line in [
        "simulate ./mine.toml --replications 20 --csv runs.csv --log sub/../touches.csv",
        "calibrate log.csv --scenario fitted.toml",
        // The same scenario twice is read twice, and written never.
        "compare mine.toml ./mine.toml --replications 20 --csv differences.csv",
    ] {
        stdout_of(
            callblitz()
                .current_dir(dir.path())
                .args(line.split_whitespace()),
        );
    }
    let after = contents(dir.path());
    for (path, was) in &before {
        if !path.ends_with("runs.csv") {
            assert_eq!(&after[path], was, "{path} changed");
        }
    }
    let runs = std::fs::read_to_string(dir.path().join("runs.csv")).unwrap();
    assert!(runs.starts_with("replication,"), "{runs}");
    for written in ["touches.csv", "fitted.toml", "differences.csv"] {
        assert!(dir.path().join(written).is_file(), "{written} missing");
    }
}

#[test]
fn init_never_replaces_a_file_unless_forced() {
    let dir = inputs();
    std::os::unix::fs::symlink("mine.toml", dir.path().join("link.toml")).unwrap();
    std::fs::hard_link(dir.path().join("mine.toml"), dir.path().join("hard.toml")).unwrap();
    for path in ["mine.toml", "./sub/../mine.toml", "link.toml", "hard.toml"] {
        refused_untouched(
            dir.path(),
            &["init", path],
            &[&format!("{path} exists already"), "--force"],
        );
    }
}

#[test]
fn a_dash_sends_the_csv_or_the_log_to_stdout_in_place_of_the_text() {
    let dir = inputs();
    for (run, _, _) in RUNS {
        let mut to_file = run.to_vec();
        to_file.extend(["--csv", "rows.csv"]);
        stdout_of(callblitz().current_dir(dir.path()).args(&to_file));
        let written = std::fs::read(dir.path().join("rows.csv")).unwrap();
        let mut to_stdout = run.to_vec();
        to_stdout.extend(["--csv", "-"]);
        let printed = stdout_of(callblitz().current_dir(dir.path()).args(&to_stdout));
        assert_eq!(
            printed, written,
            "{to_stdout:?} printed more or less than the CSV"
        );
    }
    let simulate = ["simulate", "mine.toml", "--replications", "20"];
    let written = std::fs::read(dir.path().join("log.csv")).unwrap();
    let printed = stdout_of(
        callblitz()
            .current_dir(dir.path())
            .args(simulate)
            .args(["--log", "-", "--csv", "runs.csv"]),
    );
    assert_eq!(printed, written, "the log on stdout is the log in a file");
    assert!(dir.path().join("runs.csv").is_file());
}

#[test]
fn two_outputs_on_stdout_are_refused_naming_both() {
    let dir = inputs();
    let simulate = ["simulate", "mine.toml", "--replications", "20"];
    for (flags, named) in [
        (&["--json", "--csv", "-"][..], "--json and --csv - both"),
        (&["--csv", "-", "--log", "-"], "--csv - and --log - both"),
        (&["--log", "-", "--json"], "--json and --log - both"),
        (
            &["--csv", "-", "--log", "x.csv", "--json"],
            "--json and --csv -",
        ),
    ] {
        let mut args = simulate.to_vec();
        args.extend(flags);
        refused_untouched(dir.path(), &args, &[named, "write to standard output"]);
    }
    for (run, _, _) in RUNS {
        let mut args = run.to_vec();
        args.extend(["--csv", "-", "--json"]);
        refused_untouched(
            dir.path(),
            &args,
            &["--json and --csv - both write to standard output: write "],
        );
    }
}

#[test]
fn a_dash_for_an_output_that_cannot_take_stdout_is_refused() {
    let dir = inputs();
    let plan = ["plan", "mine.toml", "--replications", "20"];
    for (run, flag) in [
        (&plan[..], "--timeline"),
        (&plan, "--chart"),
        (&["calibrate", "log.csv"], "--scenario"),
    ] {
        let mut args = run.to_vec();
        args.extend([flag, "-"]);
        refused_untouched(
            dir.path(),
            &args,
            &[&format!(
                "{flag} -: standard output is not a file this flag can write yet"
            )],
        );
    }
}

#[test]
fn a_csv_on_stdout_stops_quietly_when_the_reader_goes() {
    let dir = inputs();
    // Far more rows than a pipe holds, so the reader leaves before the writing ends.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_callblitz"))
        .current_dir(dir.path())
        .args(["simulate", "mine.toml", "--set", "leads.count=10"])
        .args(["--replications", "200000", "--csv", "-"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0; 12];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    assert_eq!(&first, b"replication,");
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
