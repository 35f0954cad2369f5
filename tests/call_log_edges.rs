//! Call logs at their edges: time zones, out-of-range dates, repeated rows, files that are not
//! files, oversized rows and the bytes CSV exports carry (BOMs, CRLF, quotes, other encodings).

use crate::common::{assert_refused, callblitz, stdout_of};

/// A small log, with `{Z}` where each time's offset or zone goes.
const LOG: &str = "lead_id,timestamp,channel,outcome,rep
L1,2026-03-02T09:00:00{Z},call,no_answer,ann
L1,2026-03-03T09:00:00{Z},call,conversation,ann
L2,2026-03-02T09:05:00{Z},call,no_answer,bob
L2,2026-03-03T09:05:00{Z},voicemail,voicemail,bob
L2,2026-03-04T09:05:00{Z},call,appointment,bob
L3,2026-03-02T09:10:00{Z},call,no_answer,ann
L3,2026-03-03T09:10:00{Z},call,no_answer,ann
";

/// Writes `text` to `name` in `dir` and returns its path.
fn write(dir: &tempfile::TempDir, name: &str, text: impl AsRef<[u8]>) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// `calibrate --json` on `path`, which must succeed, without the log's name.
fn calibrated(path: &std::path::Path) -> serde_json::Value {
    let mut json: serde_json::Value = serde_json::from_slice(&stdout_of(
        callblitz().arg("calibrate").arg(path).arg("--json"),
    ))
    .unwrap();
    json.as_object_mut().unwrap().remove("log");
    json
}

/// `calibrate` on `path`, refused with every `expected` text.
#[track_caller]
fn refused(path: &std::path::Path, flags: &[&str], expected: &[&str]) -> String {
    let output = callblitz()
        .arg("calibrate")
        .arg(path)
        .args(flags)
        .output()
        .unwrap();
    assert_refused(&output, expected);
    String::from_utf8(output.stderr).unwrap()
}

/// The log in UTC with `row` in place of its fourth line.
fn with_row(row: &str) -> String {
    let log = LOG.replace("{Z}", "Z");
    let mut lines: Vec<&str> = log.lines().collect();
    lines[3] = row;
    lines.join("\n") + "\n"
}

#[test]
fn time_zone_annotations_are_resolved_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Winter in Paris is UTC+1: each spelling of the same instants fits the same.
    let utc = calibrated(&write(&dir, "utc.csv", LOG.replace("{Z}", "Z")));
    let shifted = |zone: &str| LOG.replace("T09:", "T10:").replace("{Z}", zone);
    for (name, zone) in [
        ("zone.csv", "[Europe/Paris]"),
        ("offset.csv", "+01:00"),
        ("both.csv", "+01:00[Europe/Paris]"),
        ("critical.csv", "+01:00[!Europe/Paris]"),
        ("fixed.csv", "[+01:00]"),
    ] {
        assert_eq!(calibrated(&write(&dir, name, shifted(zone))), utc, "{zone}");
    }
    // A civil time without a zone is UTC, as it always was.
    assert_eq!(
        calibrated(&write(&dir, "civil.csv", LOG.replace("{Z}", ""))),
        utc
    );
    // Read as UTC, 10:00 Paris would put L1's touches an hour later: a different log.
    let log = write(&dir, "log.csv", shifted("[Europe/Paris]"));
    let (touches, _) = callblitz::calllog::read(&log, &Default::default()).unwrap();
    assert_eq!(touches[0].time, 1_772_442_000.0, "2026-03-02T09:00:00Z");

    for (row, expected) in [
        (
            "L1,2026-03-05T10:30:00[Foo/Bar],call,no_answer,ann",
            &[
                "log.csv:4: timestamp",
                "the time zone \"Foo/Bar\" is not in",
            ][..],
        ),
        (
            "L1,2026-03-05T10:30:00+02:00[Europe/Paris],call,no_answer,ann",
            &[
                "log.csv:4",
                "+02:00 disagrees with the time zone Europe/Paris, which is at +01:00",
            ],
        ),
        (
            "L1,2026-03-05T10:30:00+25:00,call,no_answer,ann",
            &["log.csv:4", "+25:00 is beyond", "-12:00 to +14:00"],
        ),
        (
            "L1,2026-03-05T10:30:00-13:00,call,no_answer,ann",
            &["log.csv:4", "-13:00 is beyond", "-12:00 to +14:00"],
        ),
        (
            "L1,2026-03-05T10:30:00+30:00,call,no_answer,ann",
            &["log.csv:4", "+30:00 is beyond", "-12:00 to +14:00"],
        ),
        (
            "L1,2026-03-05T10:30:00[+25:00],call,no_answer,ann",
            &["log.csv:4", "+25:00 is beyond"],
        ),
        (
            "L1,2026-03-05T10:30:00+1:00,call,no_answer,ann",
            &[
                "log.csv:4",
                "the offset \"+1:00\" is not an ISO 8601 offset",
            ],
        ),
        (
            "L1,2026-03-29T02:30:00[Europe/Paris],call,no_answer,ann",
            &[
                "log.csv:4",
                "does not exist in Europe/Paris",
                "+01:00 to +02:00",
            ],
        ),
        (
            "L1,2026-10-25T02:30:00[Europe/Paris],call,no_answer,ann",
            &["log.csv:4", "happens twice in Europe/Paris"],
        ),
        (
            "L1,2026-03-05,call,no_answer,ann",
            &["log.csv:4", "a date without a time of day"],
        ),
    ] {
        refused(&write(&dir, "log.csv", with_row(row)), &[], expected);
    }
    // The time of a clock going back is read when its offset says which.
    let early = write(
        &dir,
        "early.csv",
        with_row("L1,2026-10-25T02:30:00+02:00[Europe/Paris],call,no_answer,ann"),
    );
    let late = write(
        &dir,
        "late.csv",
        with_row("L1,2026-10-25T01:30:00Z,call,no_answer,ann"),
    );
    assert_eq!(calibrated(&early), calibrated(&late));
}

#[test]
fn out_of_range_dates_are_told_from_bad_syntax() {
    let dir = tempfile::tempdir().unwrap();
    for value in ["9999-12-31T23:59:59Z", "+010000-01-01T00:00:00Z"] {
        let path = write(
            &dir,
            "log.csv",
            with_row(&format!("L1,{value},call,no_answer,ann")),
        );
        let stderr = refused(
            &path,
            &[],
            &[
                &format!(
                    "log.csv:4: timestamp = \"{value}\": a valid date and time, but outside the supported range"
                ),
                "-9999-01-02T01:59:59Z to 9999-12-30T22:00:00Z",
            ],
        );
        assert!(!stderr.contains("not an ISO 8601"), "{stderr}");
    }
    // The last instant in range is read.
    let path = write(
        &dir,
        "log.csv",
        with_row("L1,9999-12-30T22:00:00Z,call,no_answer,ann"),
    );
    calibrated(&path);
    for (value, expected) in [
        (
            "2026-02-30T09:00:00",
            "not an ISO 8601 date and time of day (parsed date is not valid",
        ),
        (
            "2026-03-02T25:00:00",
            "not an ISO 8601 date and time of day",
        ),
        ("March 2nd", "not an ISO 8601 date and time of day"),
    ] {
        let path = write(
            &dir,
            "log.csv",
            with_row(&format!("L1,{value},call,no_answer,ann")),
        );
        refused(&path, &[], &["log.csv:4: timestamp", expected]);
    }
}

#[test]
fn csv_dialects_are_read_or_refused_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let log = LOG.replace("{Z}", "Z");
    let utc = calibrated(&write(&dir, "utc.csv", &log));
    let quoted: String = log
        .lines()
        .map(|line| {
            let cells: Vec<String> = line.split(',').map(|c| format!("\"{c}\"")).collect();
            cells.join(",") + "\n"
        })
        .collect();
    let spaced = log.replace(',', " , ");
    let blank = log.replace('\n', "\n\n");
    let crlf = log.replace('\n', "\r\n");
    let cr = log.replace('\n', "\r");
    let bom = format!("\u{feff}{log}");
    let everything = format!("\u{feff}\r\n{}\r\n\r\n", quoted.replace('\n', "\r\n\r\n"));
    for (name, text) in [
        ("quoted.csv", quoted.as_str()),
        ("spaced.csv", &spaced),
        ("blank.csv", &blank),
        ("crlf.csv", &crlf),
        ("cr.csv", &cr),
        ("bom.csv", &bom),
        ("everything.csv", &everything),
    ] {
        assert_eq!(calibrated(&write(&dir, name, text)), utc, "{name}");
    }
    // Lines are counted as an editor counts them, whatever ends them.
    let bad = "L9,not a time,call,no_answer,ann";
    for (name, text, line) in [
        ("crlf.csv", crlf.clone() + bad, 9),
        ("blank.csv", blank.clone() + bad, 17),
        ("cr.csv", cr.clone() + bad, 9),
        ("everything.csv", everything.clone() + bad, 20),
        // A quoted cell across two lines, in a column the reader leaves alone.
        (
            "multiline.csv",
            log.lines()
                .enumerate()
                .map(|(i, line)| match i {
                    0 => format!("{line},notes\n"),
                    3 => format!("{line},\"call\nback\"\n"),
                    _ => format!("{line},\n"),
                })
                .collect::<String>()
                + bad
                + ",",
            10,
        ),
    ] {
        refused(
            &write(&dir, name, text),
            &[],
            &[&format!("{name}:{line}: timestamp = \"not a time\"")],
        );
    }
    // Bytes that are not UTF-8 are refused where they are.
    let mut latin = log.clone().into_bytes();
    latin.extend(b"L4,2026-03-02T09:00:00Z,call,no_answer,Ren\xe9\n");
    refused(
        &write(&dir, "latin.csv", latin),
        &[],
        &[
            "latin.csv:9: rep (column 5): the cell is not UTF-8 text (byte 0xE9, at character 4)",
            "save the log as UTF-8",
        ],
    );
    let mut header = b"lead_id,timestamp,channel,outcome,r\xe9p\n".to_vec();
    header.extend(
        log.lines()
            .skip(1)
            .flat_map(|l| format!("{l}\n").into_bytes()),
    );
    refused(
        &write(&dir, "header.csv", header),
        &[],
        &["header.csv:1: column 5 of the header: the cell is not UTF-8 text"],
    );
    // An empty file, and one with two columns of the same name.
    refused(
        &write(&dir, "empty.csv", ""),
        &[],
        &["empty.csv: the file is empty"],
    );
    refused(
        &write(&dir, "twice.csv", log.replacen(",rep", ",timestamp", 1)),
        &[],
        &[
            "twice.csv:1: the header has two `timestamp` columns (columns 2 and 5)",
            "--time-col",
        ],
    );
}

#[test]
fn a_long_cell_in_a_column_not_read_is_no_reason_to_refuse() {
    // CRM exports carry notes; a 200 KB one in a well-formed row reads as the same log.
    let dir = tempfile::tempdir().unwrap();
    let log = LOG.replace("{Z}", "Z");
    let notes = format!("\"{}\"", "call back, ".repeat(20_000));
    let with_notes: String = log
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let cell = if i == 0 { "notes" } else { notes.as_str() };
            format!("{line},{cell}\n")
        })
        .collect();
    let plain = write(&dir, "plain.csv", &log);
    let noted = write(&dir, "noted.csv", with_notes);
    assert_eq!(calibrated(&plain), calibrated(&noted));
}

#[test]
fn oversized_rows_are_refused_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let log = LOG.replace("{Z}", "Z");
    // An unclosed quote takes in the rest of a 4 MB file; a single 2 MB line has no line end.
    let mut unclosed = log.clone() + "L5,\"2026-03-02T09:00:00Z,call,no_answer,ann\n";
    unclosed.push_str(
        &log.lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\n")
            .repeat(12_000),
    );
    let long_line = log.clone() + &"x".repeat(2 << 20);
    for (name, text) in [("unclosed.csv", unclosed), ("long.csv", long_line)] {
        let path = write(&dir, name, text);
        for flags in [&[][..], &["--skip-invalid"]] {
            let stderr = refused(
                &path,
                flags,
                &[&format!("{name}:9: this row runs past 1 MiB"), "close the"],
            );
            assert!(stderr.len() < 1000, "{stderr}");
        }
    }
}

#[test]
fn logs_that_are_not_regular_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.csv");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path and nothing else.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    let blitz = crate::common::shipped("blitz-leader-involved.toml");
    for (path, what) in [
        (std::path::PathBuf::from("/dev/zero"), "a device"),
        (fifo, "a named pipe"),
        (dir.path().to_path_buf(), "a folder"),
    ] {
        let expected = [
            &format!("{}: this is {what}, not a call log", path.display())[..],
            "give the path of a CSV file",
        ];
        let started = std::time::Instant::now();
        let output = callblitz()
            .arg("calibrate")
            .arg(&path)
            .timeout(std::time::Duration::from_secs(10))
            .output()
            .unwrap();
        assert_refused(&output, &expected);
        let output = callblitz()
            .args(["blitz", &blitz, "--replications", "10", "--actual"])
            .arg(&path)
            .timeout(std::time::Duration::from_secs(10))
            .output()
            .unwrap();
        assert_refused(&output, &expected);
        assert!(started.elapsed().as_secs() < 5, "{what}");
    }
}

#[test]
fn long_bad_cells_are_quoted_short() {
    let dir = tempfile::tempdir().unwrap();
    let long = "9".repeat(60_000);
    let zone = format!("2026-03-02T09:00:00[{}]", "A".repeat(60_000));
    let offset = format!("2026-03-02T09:00:00+{}", "1".repeat(60_000));
    for (row, column) in [
        (format!("L1,{long},call,no_answer,ann"), "timestamp"),
        (format!("L1,{zone},call,no_answer,ann"), "timestamp"),
        (format!("L1,{offset},call,no_answer,ann"), "timestamp"),
        (
            format!("L1,2026-03-02T09:00:00Z,{long},no_answer,ann"),
            "channel",
        ),
        (
            format!("L1,2026-03-02T09:00:00Z,call,{long},ann"),
            "outcome",
        ),
    ] {
        let path = write(&dir, "log.csv", with_row(&row));
        let stderr = refused(
            &path,
            &[],
            &[&format!("log.csv:4: {column} = \""), "…\" (60"],
        );
        assert!(stderr.len() < 1200, "{} bytes: {stderr}", stderr.len());
        // The cut is on characters, so a long run of multi-byte text is cut whole.
        let path = write(&dir, "log.csv", with_row(&row.replace('9', "é")));
        assert!(refused(&path, &[], &["log.csv:4"]).len() < 1200);
    }
    // A long rep that no team lists, in a blitz.
    let mut log =
        std::fs::read_to_string(crate::common::shipped("blitz-leader-involved.csv")).unwrap();
    log.push_str(&format!(
        "L9,2026-03-05T09:00:00,call,no_answer,{}\n",
        "R".repeat(60_000)
    ));
    let path = write(&dir, "blitz.csv", log);
    let output = callblitz()
        .args([
            "blitz",
            &crate::common::shipped("blitz-leader-involved.toml"),
        ])
        .args(["--replications", "10", "--actual"])
        .arg(&path)
        .output()
        .unwrap();
    assert_refused(
        &output,
        &[
            "blitz.csv:855: rep = \"RRR",
            "…\" (60000 characters) is in no team",
        ],
    );
    assert!(output.stderr.len() < 1200);
    // A long header, when a column is missing.
    let header = (0..5000)
        .map(|i| format!("column {i}"))
        .collect::<Vec<_>>()
        .join(",");
    let path = write(
        &dir,
        "wide.csv",
        format!("{header}\n{}\n", vec!["x"; 5000].join(",")),
    );
    let stderr = refused(
        &path,
        &[],
        &["wide.csv:1: no `lead_id` column", "… (5000 columns)"],
    );
    assert!(stderr.len() < 1200, "{stderr}");
}

#[test]
fn duplicate_rows_are_refused_naming_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    let log = LOG.replace("{Z}", "Z");
    let lines: Vec<&str> = log.lines().collect();
    // Line 3 again on line 9, spelled in another zone; line 6 twice more; line 2 with another
    // rep, and line 4 on another channel, are different touches.
    let mut repeated = log.clone();
    repeated.push_str("L1,2026-03-03T10:00:00+01:00,call,conversation,ann\n");
    repeated.push_str(&format!("{}\n{}\n", lines[5], lines[5]));
    repeated.push_str("L1,2026-03-02T09:00:00Z,call,no_answer,bob\n");
    repeated.push_str("L2,2026-03-02T09:05:00Z,voicemail,no_answer,bob\n");
    let path = write(&dir, "repeated.csv", &repeated);
    refused(
        &path,
        &[],
        &[
            "repeated.csv:9: this row repeats line 3 (the same lead, time, channel, outcome and rep)",
            "the log has 3 such rows",
            "remove the repeat, or pass --skip-invalid",
        ],
    );
    // Skipped, they are counted and placed, and the rest is read as a log without them.
    let output = stdout_of(
        callblitz()
            .arg("calibrate")
            .arg(&path)
            .arg("--skip-invalid"),
    );
    let table = String::from_utf8(output).unwrap();
    assert!(
        table.contains("skipped 3 row(s) repeating an earlier row, on line(s) 9, 10, 11"),
        "{table}"
    );
    let skipping = |path: &std::path::Path| {
        let mut json: serde_json::Value = serde_json::from_slice(&stdout_of(
            callblitz()
                .arg("calibrate")
                .arg(path)
                .args(["--skip-invalid", "--json"]),
        ))
        .unwrap();
        let json = json.as_object_mut().unwrap();
        json.remove("log");
        let skipped = (json.remove("skipped_rows"), json.remove("skipped_lines"));
        (serde_json::Value::Object(json.clone()), skipped)
    };
    let unique: Vec<&str> = repeated
        .lines()
        .enumerate()
        .filter(|(i, _)| !(8..=10).contains(i))
        .map(|(_, l)| l)
        .collect();
    let unique = write(&dir, "unique.csv", unique.join("\n"));
    let (json, (rows, lines)) = skipping(&path);
    assert_eq!(json, skipping(&unique).0);
    assert_eq!(rows.unwrap(), 3);
    assert_eq!(
        lines.unwrap()[0]["problem"],
        "repeats line 3 (the same lead, time, channel, outcome and rep)"
    );
    // With unreadable rows too, the first lines of both are shown, in file order.
    let mixed = write(
        &dir,
        "mixed.csv",
        repeated.clone() + "L9,not a time,call,no_answer,ann\n",
    );
    let table = String::from_utf8(stdout_of(
        callblitz()
            .arg("calibrate")
            .arg(&mixed)
            .arg("--skip-invalid"),
    ))
    .unwrap();
    assert!(
        table.contains(
            "skipped 4 row(s) (1 invalid, 3 repeating an earlier row), on line(s) 9, 10, 11, 14"
        ),
        "{table}"
    );

    // blitz --actual: the shipped log with one dial twice.
    let blitz = crate::common::shipped("blitz-leader-involved.toml");
    let shipped =
        std::fs::read_to_string(crate::common::shipped("blitz-leader-involved.csv")).unwrap();
    let dial = shipped.lines().nth(40).unwrap();
    let twice = write(&dir, "blitz.csv", format!("{shipped}{dial}\n"));
    let output = callblitz()
        .args(["blitz", &blitz, "--replications", "10", "--actual"])
        .arg(&twice)
        .output()
        .unwrap();
    assert_refused(
        &output,
        &["blitz.csv:855: this row repeats line 41", "--skip-invalid"],
    );
    let output = callblitz()
        .args([
            "blitz",
            &blitz,
            "--replications",
            "10",
            "--json",
            "--skip-invalid",
            "--actual",
        ])
        .arg(&twice)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("blitz.csv: skipped 1 row(s) repeating an earlier row, on line(s) 855"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["actual"]["total"]["values"]["dials"]["actual"], 853.0);
}

/// Times a mutation may write in a log's timestamp column: zones, offsets and ranges at and
/// past their edges, and broken spellings.
const ODD_TIMES: &[&str] = &[
    "2026-01-05T10:00:00[Europe/Paris]",
    "2026-01-05T10:00:00+01:00[Europe/Paris]",
    "2026-01-05T10:00:00+02:00[Europe/Paris]",
    "2026-01-05T10:00:00Z[Asia/Tokyo]",
    "2026-01-05T10:00:00[Foo/Bar]",
    "2026-01-05T10:00:00[europe/paris]",
    "2026-01-05T10:00:00+25:00",
    "2026-01-05T10:00:00+26:00",
    "2026-01-05T10:00:00-13:00",
    "2026-01-05T10:00:00+14:00",
    "2026-01-05T10:00:00-12:00",
    "2026-01-05T10:00:00-00:00",
    "2026-01-05T10:00:00+05:45:30",
    "2026-01-05T10:00:00[!Europe/Paris]",
    "2026-01-05T10:00:00[u-ca=hebrew]",
    "2026-01-05T10:00:00[!u-ca=hebrew]",
    "2026-01-05T10:00:00[+05:30]",
    "2026-01-05T10:00:00[+25:00]",
    "2026-03-29T02:30:00[Europe/Paris]",
    "2026-10-25T02:30:00[Europe/Paris]",
    "9999-12-31T23:59:59Z",
    "9999-12-30T22:00:00Z",
    "-009999-01-01T00:00:00Z",
    "+010000-01-01T00:00:00Z",
    "-000000-01-01T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "2026-06-30T23:59:60Z",
    "2026-01-05",
    "2026-01-05T10",
    "20260105T100000Z",
    "2026-01-05 10:00:00.123456789",
    "2026-02-30T10:00:00",
    "2026-01-05T24:00:00",
    "2026-01-05T10:00:00+1:00",
    "2026-01-05T10:00:00 +01:00",
    "2026-01-05T10:00:00\u{2212}01:00",
    "2026-01-05T10:00:00[America/New_York",
    "2026-01-05T10:00:00Z[Europe/Paris][Asia/Tokyo]",
    "2026-01-05t10:00:00z",
    "Tuesday-ish",
    "",
    "   ",
];

/// A seeded random change to a log: a row repeated, cut, widened or narrowed, an odd time, a
/// blank line, a quote, a long cell; or bytes flipped, a BOM, CRLF, bytes that are not UTF-8,
/// the file cut short.
fn mutate(log: &[u8], rng: &mut impl rand::RngExt) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = log.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let mut pick = |range: std::ops::Range<usize>| rng.random_range(range);
    for _ in 0..pick(1..5) {
        // Mostly rows, sometimes the header.
        let at = match pick(0..10) {
            0 => 0,
            _ => pick(0..lines.len()),
        };
        match pick(0..16) {
            0 | 13 | 14 => {
                let copy = lines[at].clone();
                let to = pick(1..lines.len() + 1);
                lines.insert(to, copy);
            }
            1 => {
                let keep = pick(0..lines[at].len() + 1);
                lines[at].truncate(keep);
            }
            2 => lines[at].extend(b",extra"),
            3 => {
                let comma = lines[at].iter().rposition(|&b| b == b',').unwrap_or(0);
                lines[at].truncate(comma);
            }
            4 | 5 => {
                let time = ODD_TIMES[pick(0..ODD_TIMES.len())];
                let text = String::from_utf8_lossy(&lines[at]).into_owned();
                let mut cells: Vec<&str> = text.split(',').collect();
                if cells.len() > 1 {
                    cells[1] = time;
                }
                lines[at] = cells.join(",").into_bytes();
            }
            6 => {
                let blank: &[u8] = [&b""[..], b"  ", b"\r", b","][pick(0..4)];
                lines.insert(at, blank.to_vec());
            }
            7 => {
                let text = String::from_utf8_lossy(&lines[at]).into_owned();
                lines[at] = text
                    .split(',')
                    .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                    .collect::<Vec<_>>()
                    .join(",")
                    .into_bytes();
            }
            8 => {
                let to = pick(0..lines[at].len() + 1);
                lines[at].insert(to, b'"');
            }
            9 if lines.len() > 2 => {
                lines.remove(at);
            }
            10 => {
                let other = pick(0..lines.len());
                lines.swap(at, other);
            }
            11 if pick(0..20) == 0 => {
                let to = pick(0..lines[at].len() + 1);
                let long = vec![b'x'; pick(60_000..70_000)];
                lines[at].splice(to..to, long);
            }
            12 => {
                let to = pick(0..lines[at].len() + 1);
                let cell = "\u{feff}".as_bytes();
                lines[at].splice(to..to, cell.iter().copied());
            }
            _ => {
                let text = String::from_utf8_lossy(&lines[at]).into_owned();
                let mut cells: Vec<&str> = text.split(',').collect();
                let cell = pick(0..cells.len());
                cells[cell] = ["Phone", "CALL", "appointment", "", "rep 9", "L01"][pick(0..6)];
                lines[at] = cells.join(",").into_bytes();
            }
        }
    }
    let mut bytes = lines.join(&b'\n');
    for _ in 0..pick(0..3) {
        let at = pick(0..bytes.len() + 1);
        match pick(0..8) {
            0 if at < bytes.len() => bytes[at] = pick(0..256) as u8,
            1 => bytes.splice(at..at, "\u{feff}".bytes()).for_each(drop),
            2 => {
                bytes = String::from_utf8_lossy(&bytes)
                    .replace('\n', "\r\n")
                    .into_bytes()
            }
            3 => bytes.insert(at, [0xff, 0xc3, 0xe9, 0x80][pick(0..4)]),
            4 => bytes.truncate(at),
            5 => bytes.insert(at, 0),
            6 => bytes.insert(at, b'\r'),
            _ => bytes.insert(at, b','),
        }
    }
    bytes
}

/// Messages that are about the whole log, not a line of it.
const WHOLE_LOG: &[&str] = &[
    "the file is empty",
    "the log has a header but no rows",
    "the log has no calls before",
    "no lead in the log had a conversation",
    "no call reached anyone",
    "the likelihood could not be maximised",
];

/// Checks that a refusal names `file` and a line (`file:N`), or is about the whole log, and
/// stays short.
fn check_refusal(message: &str, file: &str, what: &str) {
    let names_line = message.match_indices(file).any(|(at, _)| {
        let rest = &message[at + file.len()..];
        rest.strip_prefix(':')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    });
    assert!(
        message.contains(file),
        "{what}: the file is not named: {message}"
    );
    assert!(
        names_line || WHOLE_LOG.iter().any(|m| message.contains(m)),
        "{what}: no line named: {message}"
    );
    assert!(
        message.len() < 4000,
        "{what}: {} bytes: {message}",
        message.len()
    );
}

/// Seeded random mutations of a simulated log, each read by calibrate's and blitz's readers
/// in-process and one in ten by `callblitz calibrate`: each is read (exit 0) or refused naming
/// the file and a line (exit 2), never a panic, within 10 s. CALLBLITZ_FUZZ_CASES sets how
/// many cases.
#[test]
fn fuzzed_call_logs_are_read_or_refused_cleanly() {
    use callblitz::calibrate::{Calibration, Evidence, FitOptions};
    use callblitz::calllog::Options;
    use rand::SeedableRng;

    // About 7 s in a release build, 15 s in a debug one; set CALLBLITZ_FUZZ_CASES for more.
    let cases: u64 = match std::env::var("CALLBLITZ_FUZZ_CASES") {
        Ok(text) => text
            .parse()
            .expect("CALLBLITZ_FUZZ_CASES is a number of cases"),
        Err(_) if cfg!(debug_assertions) => 1000,
        Err(_) => 5000,
    };
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.csv");
    stdout_of(
        callblitz()
            .args(["simulate", &crate::common::shipped("cold-outbound.toml")])
            .args(["--replications", "2", "--set", "leads.count=50", "--log"])
            .arg(&base),
    );
    let base = std::fs::read(&base).unwrap();
    let path = dir.path().join("case.csv");
    let file = path.display().to_string();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(20260305);
    let (mut read, mut refused) = (0, 0);
    for case in 0..cases {
        let text = mutate(&base, &mut rng);
        std::fs::write(&path, &text).unwrap();
        let what = format!(
            "case {case} ({})",
            String::from_utf8_lossy(&text[..text.len().min(300)])
        );
        let skip_invalid = case % 3 == 0;
        // Every case through the library's readers: calibrate's and blitz's.
        let started = std::time::Instant::now();
        let options = Options {
            skip_invalid,
            ..Options::default()
        };
        match Evidence::read(&path, &options) {
            Ok(evidence) => {
                read += 1;
                if case % 4 == 0 {
                    let _ = Calibration::new(evidence, FitOptions::default());
                }
            }
            Err(err) => {
                refused += 1;
                check_refusal(&err.to_string(), &file, &what);
            }
        }
        if let Err(err) = callblitz::calllog::read(&path, &options) {
            check_refusal(&err.to_string(), &file, &what);
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "{what}: took {:?}",
            started.elapsed()
        );
        // Some through the binary, killed if they take more than 10 s.
        if case % 10 == 0 {
            let output = callblitz()
                .arg("calibrate")
                .arg(&path)
                .args(skip_invalid.then_some("--skip-invalid"))
                .timeout(std::time::Duration::from_secs(10))
                .output()
                .unwrap_or_else(|err| panic!("{what}: {err}"));
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!stderr.contains("panicked"), "{what}: {stderr}");
            match output.status.code() {
                Some(0) => {}
                Some(2) => {
                    assert!(output.stdout.is_empty(), "{what}");
                    check_refusal(&stderr, &file, &what);
                }
                code => panic!("{what}: exit {code:?} (killed after 10 s if None): {stderr}"),
            }
        }
    }
    // The mutations leave a fair share of logs readable, and break the rest.
    assert!(
        read > cases / 10 && refused > cases / 10,
        "{read} read, {refused} refused"
    );
}

#[test]
fn a_quote_left_open_in_a_column_read_is_refused_not_swallowing_rows() {
    let dir = tempfile::tempdir().unwrap();
    let text = "lead_id,timestamp,channel,outcome,rep\n\
                L2,2026-03-05T09:01:00Z,call,appointment,Ben\n\
                L1,2026-03-05T09:00:00Z,call,no_answer,\"Ana\n\
                L3,2026-03-05T09:02:00Z,call,conversation,Cleo\n";
    let path = write(&dir, "open.csv", text);
    refused(
        &path,
        &[],
        &["open.csv:3: rep (column 5)", "close the quote"],
    );
}
