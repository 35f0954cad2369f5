//! Hard edges: inputs that once panicked, hung, or were silently misread, one regression test a
//! class, and a seeded fuzz harness that mutates scenarios key by key and byte by byte.
//!
//! The harness runs `CALLBLITZ_FUZZ_CASES` byte mutations (default 300) besides every key
//! mutation; set it higher to search longer, e.g. `CALLBLITZ_FUZZ_CASES=20000 cargo test
//! --release hard_edges`.
//!
//! Time bounds here detect hangs; they are far above what a refusal takes (well under a
//! second on the development machine).

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};

use crate::common::{assert_refused, callblitz, shipped};

/// Writes `text` as `name` in a new temporary folder.
fn scenario_file(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path.display().to_string())
}

fn output(args: &[&str]) -> Output {
    callblitz().args(args).output().unwrap()
}

#[test]
fn panics_from_extreme_concentrations_are_refused_by_check_and_every_command() {
    for kappa in ["5e-324", "1e-310", "1e-300", "1e12"] {
        let (_dir, file) = scenario_file(
            "tiny.toml",
            &format!("[leads]\nreachability = {{ mean = 0.15, concentration = {kappa} }}\n"),
        );
        let started = Instant::now();
        for command in [
            vec!["scenario", "check", &file],
            vec!["blitz", &file, "--replications", "2"],
            vec!["simulate", &file, "--replications", "2"],
        ] {
            assert_refused(
                &output(&command),
                &["tiny.toml:2", "leads.reachability.concentration"],
            );
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{kappa}");
    }
}

#[test]
fn an_error_message_that_cannot_be_printed_still_exits_2() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let status = Command::new(assert_cmd::cargo::cargo_bin("callblitz"))
        .args(["simulate", &shipped("cold-outbound.toml")])
        .args(["--set", "funnel.win_rate=2"])
        .stdout(Stdio::null())
        .stderr(full)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}

#[test]
fn paths_that_are_not_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let fifo = fifo.display().to_string();
    let folder = dir.path().display().to_string();
    for path in ["/dev/zero", fifo.as_str(), folder.as_str()] {
        let started = Instant::now();
        assert_refused(
            &output(&["scenario", "check", path]),
            &[path, "is not a regular file"],
        );
        assert!(started.elapsed() < Duration::from_secs(30), "{path}");
    }
}

#[test]
fn many_variants_are_refused_at_once_and_a_hundred_accepted() {
    let variants = |n: usize| {
        (0..n)
            .map(|i| {
                format!(
                    "[[variants]]\nname = \"v{i}\"\nset = {{ \"cadence.attempts\" = {} }}\n",
                    1 + i % 9
                )
            })
            .collect::<String>()
    };
    let (_dir, file) = scenario_file("many.toml", &variants(2000));
    let started = Instant::now();
    assert_refused(
        &output(&["compare", &file]),
        &["many.toml:1", "2000 [[variants]] are more than the 100"],
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    // A hundred variants, each small enough to compare as a calendar too.
    let hundred = format!("[simulation]\nreplications = 100\n{}", variants(100));
    let (_dir, file) = scenario_file("hundred.toml", &hundred);
    let checked = output(&["scenario", "check", &file]);
    assert!(checked.status.success());
}

#[test]
fn an_array_where_a_table_belongs_is_refused() {
    for (text, key) in [
        ("team = [3, 4.5]\n", "team must be a table, not an array"),
        ("funnel = [0.5]\n", "funnel must be a table, not an array"),
        ("leads = []\n", "leads must be a table, not an array"),
        (
            "[reps]\ngive_up = [[3, 0.8]]\n",
            "reps.give_up[0] must be a table, not an array",
        ),
    ] {
        let (_dir, file) = scenario_file("arrays.toml", text);
        assert_refused(
            &output(&["scenario", "check", &file]),
            &["arrays.toml:", key],
        );
    }
}

#[test]
fn two_forms_of_one_key_in_a_variant_and_empty_names_are_refused() {
    let (_dir, file) = scenario_file(
        "v.toml",
        "[[variants]]\nname = \"a\"\nset = { \"cadence.attempts\" = 3, cadence = { attempts = 4 } }\n\
         [[variants]]\nname = \" \"\n",
    );
    for command in ["check", "compare"] {
        let args = if command == "check" {
            vec!["scenario", "check", &file]
        } else {
            vec!["compare", &file]
        };
        assert_refused(
            &output(&args),
            &[
                "v.toml:3: variants[0] \"a\" sets `cadence.attempts` twice",
                "v.toml:5: variants[1].name is empty",
            ],
        );
    }
}

#[test]
fn absurd_but_finite_values_are_refused_not_turned_into_nan() {
    for (set, expected) in [
        (
            "funnel.deal_size=1e308",
            "funnel.deal_size = 1e308: must be between 0 and 1e10",
        ),
        (
            "funnel.booking_minutes=1e308",
            "funnel.booking_minutes = 1e308",
        ),
        (
            "channels.call.minutes=1e-9",
            "channels.call.minutes = 0.000000001",
        ),
        (
            "cadence={touches=[{day=0,channel=\"call\"},{day=4294967295,channel=\"call\"}]}",
            "cadence.touches[1].day = 4294967295: must be a whole number from 0 to 3650",
        ),
    ] {
        assert_refused(
            &output(&["plan", &shipped("new-hire-kpis.toml"), "--set", set]),
            &[expected],
        );
    }
}

#[test]
fn a_blitz_that_reaches_nobody_says_none_not_nan() {
    let blitz = |extra: &[&str]| {
        let file = shipped("blitz-leader-involved.toml");
        let mut args = vec!["blitz", &file, "--replications", "20"];
        args.extend(["--set", "leads.unreachable=1"]);
        args.extend(extra);
        output(&args)
    };
    let out = blitz(&[]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    let row = text
        .lines()
        .find(|l| l.starts_with("appointments per conversation"))
        .unwrap();
    assert_eq!(
        row.split_whitespace().filter(|w| *w == "none").count(),
        3,
        "{row}"
    );
    assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
    let out = blitz(&["--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rate = &json["total"]["metrics"]["appointment_rate_per_conversation"];
    assert!(rate["mean"].is_null() && rate["p50"].is_null(), "{rate}");
    assert!(rate["none"].is_string(), "{rate}");
}

#[test]
fn messages_name_the_key_the_flag_and_the_limit() {
    let (_dir, file) = scenario_file("dup.toml", "name = \"a\"\n[team]\nreps = 1\nreps = 2\n");
    assert_refused(
        &output(&["scenario", "check", &file]),
        &["dup.toml:4: not valid TOML: duplicate key `reps`"],
    );
    let long = format!("[leads]\nsource = \"{}\"\n", "y".repeat(1_000_000));
    let (_dir, file) = scenario_file("long.toml", &long);
    let out = output(&["scenario", "check", &file]);
    assert_refused(&out, &["long.toml:2", "(1000002 characters in all)"]);
    assert!(out.stderr.len() < 1000, "{} bytes", out.stderr.len());
    assert_refused(
        &output(&[
            "scenario",
            "check",
            &shipped("cold-outbound.toml"),
            "--set",
            "leads.count=1e12",
        ]),
        &["written without a decimal point or exponent (1000000000000)"],
    );
    let (_dir, file) = scenario_file(
        "gu.toml",
        "[reps]\ngive_up = [{ after = 3, share = 0.5 }]\n",
    );
    assert_refused(
        &output(&[
            "sweep",
            &file,
            "--vary",
            "reps.give_up[0].share=0.5,2",
            "--replications",
            "4",
        ]),
        &["--vary reps.give_up[0].share=2: reps.give_up[0].share = 2: must be between 0 and 1"],
    );
    let (_dir, file) = scenario_file("sw.toml", "[sweep]\nvary = [\"funnel.win_rate=0.1,2\"]\n");
    assert_refused(
        &output(&["scenario", "check", &file]),
        &["sw.toml:2 [sweep] vary funnel.win_rate=2: funnel.win_rate = 2"],
    );
    let out = output(&[
        "blitz",
        &shipped("blitz-leader-involved.toml"),
        "--set",
        "blitz.teams[0].conversion=100",
    ]);
    assert_refused(
        &out,
        &["times funnel.appointment_rate + blitz.other_positive_rate"],
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("   "));
}

/// Runs callblitz on `args`, killing it after `limit`: None when it had to be killed.
fn run_bounded(args: &[String], limit: Duration) -> Option<Output> {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("callblitz"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        if started.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            return None;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Asserts a run ended as callblitz promises: exit 0, or exit 2 with an `error:` that names
/// the scenario file or a flag; never a panic, a signal or a hang.
fn assert_clean(args: &[String], file: &Path, text: &str) {
    let out = run_bounded(args, Duration::from_secs(20))
        .unwrap_or_else(|| panic!("{args:?} hung on:\n{text}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => {}
        Some(2) => {
            let name = file.file_name().unwrap().to_string_lossy();
            // A flag of this very command line, as the error gives it.
            let names_a_flag = args
                .iter()
                .filter(|a| a.starts_with("--"))
                .any(|flag| stderr.contains(&format!("{flag} ")));
            assert!(
                stderr.starts_with("error: ") && (stderr.contains(&*name) || names_a_flag),
                "{args:?}: an error that names neither the file nor a flag: {stderr}\non:\n{text}"
            );
        }

        code => panic!("{args:?} exited {code:?}: {stderr}\non:\n{text}"),
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    for bad in ["NaN", "inf%", " inf "] {
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains(bad),
            "{args:?} printed {bad} on:\n{text}"
        );
    }
}

/// Values that have broken loaders: out of every range, of every type, at the float limits.
const NASTY: [&str; 14] = [
    "0",
    "-1",
    "1e308",
    "-1e308",
    "5e-324",
    "nan",
    "inf",
    "4294967295",
    "9223372036854775807",
    "\"x\"",
    "[]",
    "{}",
    "true",
    "[1, 2]",
];

/// Every leaf of a TOML value with its dotted path.
fn leaves(value: &toml::Value, path: String, out: &mut Vec<String>) {
    match value {
        toml::Value::Table(table) => {
            for (key, inner) in table {
                let next = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                leaves(inner, next, out);
            }
        }
        toml::Value::Array(array) if array.iter().any(|v| v.is_table()) => {
            for (i, inner) in array.iter().enumerate() {
                leaves(inner, format!("{path}[{i}]"), out);
            }
        }
        _ => out.push(path),
    }
}

/// The commands each mutated scenario is fed to, small enough to run by the thousand.
fn commands(file: &str) -> Vec<Vec<String>> {
    let owned = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        owned(&["scenario", "check", file]),
        owned(&[
            "simulate",
            file,
            "--replications",
            "3",
            "--set",
            "leads.count=50",
        ]),
        owned(&["blitz", file, "--replications", "2"]),
        owned(&["simulate", file, "--calendar", "--replications", "2"]),
    ]
}

/// Runs every case (the bytes of a scenario file) on two workers.
fn run_all(cases: Vec<Vec<u8>>, dir: &Path) {
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for worker in 0..2 {
            let (cases, next) = (&cases, &next);
            scope.spawn(move || {
                let file = dir.join(format!("fuzz-{worker}.toml"));
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(text) = cases.get(i) else { break };
                    std::fs::write(&file, text).unwrap();
                    for args in commands(&file.display().to_string()) {
                        assert_clean(&args, &file, &String::from_utf8_lossy(text));
                    }
                }
            });
        }
    });
}

#[test]
fn fuzzed_scenarios_exit_cleanly_key_by_key() {
    let mut cases = Vec::new();
    for name in [
        "blitz-leader-involved.toml",
        "new-hire-kpis.toml",
        "shared-pool-vs-round-robin.toml",
    ] {
        let text = std::fs::read_to_string(shipped(name)).unwrap();
        let table: toml::Table = text.parse().unwrap();
        let mut paths = Vec::new();
        leaves(&toml::Value::Table(table), String::new(), &mut paths);
        assert!(paths.len() > 10, "{paths:?}");
        for path in &paths {
            for value in NASTY {
                let mut doc: toml_edit::DocumentMut = text.parse().unwrap();
                if set_leaf(&mut doc, path, value) {
                    cases.push(doc.to_string().into_bytes());
                }
            }
        }
    }
    assert!(cases.len() > 500, "{}", cases.len());
    let dir = tempfile::tempdir().unwrap();
    run_all(cases, dir.path());
}

/// Replaces the leaf at `path` (`a.b`, `a[0].b`) with `value` written as TOML.
fn set_leaf(doc: &mut toml_edit::DocumentMut, path: &str, value: &str) -> bool {
    let Ok(parsed) = format!("v = {value}").parse::<toml_edit::DocumentMut>() else {
        return false;
    };
    let Some(new) = parsed.get("v").cloned() else {
        return false;
    };
    let mut item = doc.as_item_mut();
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let Some(next) = item.get_mut(name) else {
            return false;
        };
        item = match index {
            Some(i) => match next.get_mut(i) {
                Some(element) => element,
                None => return false,
            },
            None => next,
        };
    }
    *item = new;
    true
}

#[test]
fn fuzzed_scenarios_exit_cleanly_byte_by_byte() {
    let cases_wanted: usize = std::env::var("CALLBLITZ_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let texts: Vec<Vec<u8>> = ["cold-outbound.toml", "blitz-leader-involved.toml"]
        .iter()
        .map(|name| std::fs::read(shipped(name)).unwrap())
        .collect();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(14);
    let mut cases = Vec::new();
    for _ in 0..cases_wanted {
        let mut bytes = texts[rng.random_range(0..texts.len())].clone();
        for _ in 0..rng.random_range(1..4) {
            let at = rng.random_range(0..bytes.len());
            match rng.random_range(0..6) {
                0 => bytes[at] = rng.random(),
                1 => {
                    bytes.remove(at);
                }
                2 => bytes.insert(at, b"=[]{}\"#.,\n\\\x00\xff9e"[rng.random_range(0..15)]),
                3 => bytes.truncate(at),
                4 => bytes.splice(at..at, b"\r\n".iter().copied()).for_each(drop),
                _ => bytes.splice(0..0, "\u{feff}".bytes()).for_each(drop),
            }
            if bytes.is_empty() {
                break;
            }
        }
        // Non-UTF-8 bytes are kept: the loader must refuse them cleanly.
        cases.push(bytes);
    }
    let dir = tempfile::tempdir().unwrap();
    run_all(cases, dir.path());
}

#[test]
fn work_limits_count_every_run_of_a_command() {
    for args in [
        vec![
            "sweep",
            "new-hire-kpis.toml",
            "--calendar",
            "--vary",
            "cadence.attempts=1..100",
            "--vary",
            "funnel.win_rate=0.01..1:0.01",
            "--replications",
            "1000",
        ],
        vec![
            "sweep",
            "what-matters.toml",
            "--tornado",
            "--replications",
            "30000",
        ],
    ] {
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args[1] = shipped(&args[1]);
        let started = Instant::now();
        let out = callblitz().args(&args).output().unwrap();
        assert_refused(&out, &["runs would simulate up to", "touches in all"]);
        assert!(started.elapsed() < Duration::from_secs(30), "{args:?}");
    }
}

#[test]
fn check_refuses_what_any_command_refuses_unless_asked_for_one() {
    let file = shipped("cold-outbound.toml");
    let big = [
        "--set",
        "simulation.replications=300000",
        "--set",
        "leads.count=100",
    ];
    let mut args = vec!["scenario", "check", &file];
    args.extend(big);
    assert_refused(
        &output(&args),
        &[
            "cold-outbound.toml: blitz would refuse it",
            "use at most 156250 replications",
        ],
    );
    args.extend(["--for", "cohort"]);
    assert!(output(&args).status.success());
    let mut simulate = vec!["simulate", &file];
    simulate.extend(big);
    simulate.extend(["--json"]);
    assert!(output(&simulate).status.success());
    let (_dir, variants) = scenario_file(
        "v.toml",
        "[[variants]]\nname = \"a\"\n[[variants]]\nname = \"b\"\nset = { \"team.reps\" = 5000 }\n",
    );
    for (command, expected) in [
        (
            vec!["scenario", "check", &variants],
            "v.toml: variant \"b\": simulate --calendar would refuse it",
        ),
        (
            vec!["compare", &variants, "--calendar"],
            "v.toml: variant \"b\": [team]",
        ),
    ] {
        assert_refused(&output(&command), &[expected]);
    }
}

#[test]
fn an_output_that_is_a_folder_or_inside_a_file_is_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().display().to_string();
    let inside = format!("{}/a.csv", shipped("three-call.toml"));
    for (path, expected) in [
        (folder.as_str(), "is a folder"),
        (inside.as_str(), "is not a folder"),
    ] {
        assert_refused(
            &output(&["simulate", &shipped("three-call.toml"), "--csv", path]),
            &[&format!("--csv {path}: "), expected],
        );
    }
}

#[test]
fn rates_and_money_too_small_to_divide_by_are_refused() {
    for (set, expected) in [
        (
            "funnel.win_rate=5e-324",
            "funnel.win_rate = 5e-324: must be 0 or at least 1e-6",
        ),
        (
            "funnel.deal_size=5e-324",
            "funnel.deal_size = 5e-324: must be 0 or at least 0.01",
        ),
        (
            "goal={revenue=5e-324}",
            "goal.revenue = 5e-324: must be from 1 to",
        ),
        (
            "leads.reachability.mean=1e-300",
            "leads.reachability.mean = 1e-300",
        ),
    ] {
        assert_refused(
            &output(&["plan", &shipped("new-hire-kpis.toml"), "--set", set]),
            &[expected],
        );
    }
    for money in [["inf", "40"], ["300", "inf"], ["5e-324", "40"]] {
        let out = output(&[
            "compare",
            &shipped("three-call-vs-sixteen-touch.toml"),
            "--value-per-appointment",
            money[0],
            "--cost-per-hour",
            money[1],
        ]);
        assert_refused(&out, &["--value-per-appointment must be from 0.01 to 1e9"]);
    }
}

#[test]
fn a_set_that_a_flag_replaces_is_still_checked() {
    for (set, flag) in [
        (
            ["--set", "simulation.replications=banana"],
            ["--replications", "3"],
        ),
        (["--set", "simulation.seed=-5"], ["--seed", "3"]),
    ] {
        let mut args = vec!["simulate", "three-call.toml"];
        let file = shipped(args[1]);
        args[1] = &file;
        args.extend(set);
        args.extend(flag);
        assert_refused(&output(&args), &[set[1].split('=').next().unwrap()]);
    }
}

#[test]
fn calendars_that_would_hold_too_many_leads_are_refused_at_once() {
    let started = Instant::now();
    assert_refused(
        &output(&[
            "simulate",
            &shipped("what-matters.toml"),
            "--calendar",
            "--replications",
            "2",
            "--set",
            "team.reps=10000",
            "--set",
            "team.prospecting_hours_per_day=8",
        ]),
        &[
            "what-matters.toml: [team]",
            "leads at once",
            "use fewer reps",
        ],
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn check_refuses_what_plan_and_compare_refuse() {
    let (_dir, seeds) = scenario_file(
        "seeds.toml",
        "[[variants]]\nname = \"A\"\n[[variants]]\nname = \"B\"\nset = { \"simulation.seed\" = 5 }\n",
    );
    assert_refused(
        &output(&["scenario", "check", &seeds]),
        &[
            "seeds.toml: compare would refuse it",
            "common random numbers",
        ],
    );
    let file = shipped("new-hire-kpis.toml");
    let zero = ["scenario", "check", &file, "--set", "funnel.win_rate=0"];
    assert_refused(
        &output(&zero),
        &["plan would refuse it", "funnel.win_rate is 0"],
    );
    let mut simulated = zero.to_vec();
    simulated.extend(["--for", "cohort"]);
    assert!(output(&simulated).status.success());
}

#[test]
fn output_paths_no_file_can_have_are_refused_before_the_run() {
    let long = "a".repeat(300);
    for (path, expected) in [
        ("out.csv/", "ends in /"),
        (long.as_str(), "longer than the 255 bytes"),
    ] {
        assert_refused(
            &output(&["simulate", &shipped("three-call.toml"), "--csv", path]),
            &[expected],
        );
    }
    assert_refused(
        &output(&["init", "/no/such/folder/x.toml"]),
        &["does not exist"],
    );
}

#[test]
fn a_link_into_a_missing_folder_and_a_set_of_variants_are_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("dangling.csv");
    std::os::unix::fs::symlink(dir.path().join("nowhere").join("x.csv"), &link).unwrap();
    let link = link.display().to_string();
    assert_refused(
        &output(&["simulate", &shipped("three-call.toml"), "--csv", &link]),
        &["nowhere does not exist"],
    );
    assert_refused(
        &output(&[
            "compare",
            &shipped("three-call-vs-sixteen-touch.toml"),
            "--set",
            "variants[0].name=x",
        ]),
        &["[[variants]] are compared as the file writes them"],
    );
    assert_refused(
        &output(&[
            "scenario",
            "check",
            &shipped("what-matters.toml"),
            "--set",
            "simulation={}",
            // Four reps: at the manual pace two make too few touches to exceed the budget.
            "--set",
            "team.reps=4",
        ]),
        &["what-matters.toml: the sweep of 9 points", "--replications"],
    );
}

#[test]
fn a_file_read_in_part_names_its_own_values_not_flags_it_did_not_apply() {
    // A wrong type stops the overrides from applying: the problems must speak of the file's
    // values, and a flag that would replace an invalid value must not be blamed for it.
    let (_dir, file) = scenario_file(
        "s.toml",
        "[simulation]\nreplications = 1\n[leads]\ncount = \"many\"\n",
    );
    let err = output(&["simulate", &file, "--replications", "20"]);
    assert_eq!(err.status.code(), Some(2));
    let text = String::from_utf8_lossy(&err.stderr);
    assert!(text.contains("s.toml:4: leads.count: wrong type"), "{text}");
    assert!(!text.contains("--replications"), "{text}");
    assert!(!text.contains("replications = 1"), "{text}");
    // Without the flag, the file's own invalid value is named at its line.
    let err = output(&["simulate", &file]);
    let text = String::from_utf8_lossy(&err.stderr);
    assert!(
        text.contains("s.toml:2: simulation.replications = 1"),
        "{text}"
    );
}
