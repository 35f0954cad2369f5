//! Weekly penetration: of the touches the cadence planned for a week, the share made by the
//! horizon's end. It never passes 100%, weeks off have none and are flagged, and the timeline,
//! tallied as replications finish, is that of every replication's weeks and the same on any
//! number of threads.

use callblitz::engine::{CalendarModel, Week, WorkCalendar, simulate_calendar};
use callblitz::scenario::Scenario;
use callblitz::stats::{Band, Metric, Sorted, Timeline, WeeklySeries};

use crate::common::{callblitz, new_hire, on_threads, shipped, stdout_of, weeks_of_each};

/// An inbound team of three that drops most leads after two touches, over 13 weeks with one
/// off, with `overrides`.
fn inbound_team(overrides: &[&str]) -> Scenario {
    let mut all = vec![
        "simulation.weeks=13",
        "simulation.weeks_off=1",
        "leads.source=inbound",
        "leads.refill_per_month=0",
        "leads.per_week=150",
        "reps.give_up=[{after=2,share=0.7}]",
        "team.reps=3",
        "team.ramp_weeks=0",
    ];
    all.extend_from_slice(overrides);
    new_hire(&all)
}

/// The calendar scenarios checked: a new hire whose week after each week off catches up, the
/// same hire short of time, round-robin with recycling, and a shared pool short of time.
fn scenarios() -> Vec<(&'static str, Scenario, f64)> {
    vec![
        ("new hire", new_hire(&[]), 4.5),
        ("new hire short of time", new_hire(&[]), 1.0),
        (
            "round-robin with recycling",
            inbound_team(&["routing.recycle_after_days=3"]),
            1.0,
        ),
        (
            "shared pool short of time",
            inbound_team(&["routing.mode=shared-pool"]),
            0.5,
        ),
    ]
}

#[test]
fn no_week_is_penetrated_beyond_its_plan_and_weeks_off_are_flagged() {
    for (what, s, hours) in scenarios() {
        let model = CalendarModel::new(&s, hours).recording_weeks();
        let runs = simulate_calendar(&model, 60, 4);
        let calendar = WorkCalendar::new(&s.simulation);
        let off = |w: usize| calendar.weeks_off().contains(&(w as u32));
        let mut catch_up = false;
        for (run, touches) in weeks_of_each(&model, 60, 4)
            .iter()
            .zip(runs.samples.get(Metric::Touches).values())
        {
            for (w, week) in run.iter().enumerate() {
                assert!(
                    week.planned_made <= week.planned,
                    "{what}, week {}: {} of {} planned touches made",
                    w + 1,
                    week.planned_made,
                    week.planned
                );
                if off(w) {
                    assert_eq!((week.touches, week.planned), (0, 0), "{what}: week off");
                }
                // Touches made in a week beyond those planned for it: a catch-up week, which
                // touches made ÷ touches planned in the week would put above 100%.
                catch_up |= week.touches > week.planned;
            }
            // Without recycling every touch made was planned inside the horizon, so the weeks'
            // planned touches made add up to the touches.
            if !what.contains("recycling") {
                let made: u32 = run.iter().map(|w| w.planned_made).sum();
                assert_eq!(f64::from(made), *touches, "{what}");
            }
        }
        // The new hire catches up after each week off (what read 101.7% when a week's
        // penetration was its touches over its plan).
        if what.starts_with("new hire") {
            assert!(catch_up, "{what}: some week catches up on an earlier one");
        }
        let timeline = runs.timeline(&calendar);
        assert_eq!(timeline.off.len(), calendar.weeks() as usize);
        for (w, bands) in timeline.weeks.iter().enumerate() {
            assert_eq!(timeline.off[w], off(w), "{what}, week {}", w + 1);
            let penetration = bands[WeeklySeries::Penetration as usize];
            if off(w) {
                assert!(penetration.mean.is_nan(), "{what}: a week off has no value");
            } else {
                assert!(
                    penetration.mean <= 100.0 && penetration.p90 <= 100.0,
                    "{what}, week {}: {penetration:?}",
                    w + 1
                );
            }
        }
    }
}

#[test]
fn the_timeline_flags_weeks_off_and_is_the_same_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let timeline = |threads: &str| {
        let path = dir.path().join(format!("weeks-{threads}.csv"));
        stdout_of(
            callblitz()
                .env("RAYON_NUM_THREADS", threads)
                .args(["simulate", &shipped("new-hire-kpis.toml"), "--calendar"])
                .args([
                    "--replications",
                    "100",
                    "--set",
                    "team.prospecting_hours_per_day=1",
                ])
                .arg("--timeline")
                .arg(&path),
        );
        std::fs::read_to_string(path).unwrap()
    };
    let csv = timeline("1");
    assert_eq!(csv, timeline("2"));
    let calendar = WorkCalendar::new(&new_hire(&[]).simulation);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (week_off, mean, p90) = (
        column("week_off"),
        column("penetration_mean"),
        column("penetration_p90"),
    );
    let mut weeks = 0;
    for (w, record) in reader.records().enumerate() {
        let record = record.unwrap();
        weeks += 1;
        let off = calendar.weeks_off().contains(&(w as u32));
        assert_eq!(
            &record[week_off],
            if off { "1" } else { "0" },
            "week {}",
            w + 1
        );
        if off {
            assert_eq!((&record[mean], &record[p90]), ("", ""), "week {}", w + 1);
        } else {
            let p90: f64 = record[p90].parse().unwrap();
            assert!(p90 <= 100.0, "week {}: P90 {p90}", w + 1);
        }
    }
    assert_eq!(weeks, calendar.weeks());
}

#[test]
fn the_weekly_table_reads_off_in_weeks_off() {
    let text = String::from_utf8(stdout_of(
        callblitz()
            .args([
                "simulate",
                &shipped("new-hire-kpis.toml"),
                "--calendar",
                "--weekly",
            ])
            .args(["--replications", "50"]),
    ))
    .unwrap();
    let calendar = WorkCalendar::new(&new_hire(&[]).simulation);
    let table = text
        .split("\nWeek by week")
        .nth(1)
        .expect("--weekly lists the weeks");
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(2)
        .map(|line| line.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), calendar.weeks() as usize);
    for (w, row) in rows.iter().enumerate() {
        assert_eq!(row[0], (w + 1).to_string());
        let off = calendar.weeks_off().contains(&(w as u32));
        assert_eq!(row[1..].iter().all(|&cell| cell == "off"), off, "{row:?}");
        assert_eq!(row.contains(&"off"), off, "{row:?}");
    }
}

/// A band's figures bit for bit, every NaN as one (NaN is not equal to itself, and its sign
/// bit says nothing).
fn band_bits(band: &Band) -> [u64; 4] {
    [band.mean, band.p10, band.p50, band.p90].map(|x| {
        if x.is_nan() {
            f64::NAN.to_bits()
        } else {
            x.to_bits()
        }
    })
}

/// A timeline's figures bit for bit.
fn timeline_bits(timeline: &Timeline) -> Vec<[u64; 4]> {
    timeline.weeks.iter().flatten().map(band_bits).collect()
}

#[test]
fn the_weekly_tally_gives_the_timeline_of_every_replications_weeks_on_any_number_of_threads() {
    // Several batches of replications, merged.
    let replications = 300;
    for (what, s, hours) in scenarios() {
        let model = CalendarModel::new(&s, hours).recording_weeks();
        let calendar = WorkCalendar::new(&s.simulation);
        let run = |threads| on_threads(threads, || simulate_calendar(&model, replications, 9));
        let (one, two) = (run(1), run(2));
        assert_eq!(one.weeks, two.weeks, "{what}");
        let timeline = one.timeline(&calendar);
        assert_eq!(
            timeline_bits(&timeline),
            timeline_bits(&two.timeline(&calendar)),
            "{what}"
        );
        // The timeline as it was computed from every replication's weeks kept: each week's
        // values sorted, their mean summed smallest first.
        let each: Vec<Vec<_>> = weeks_of_each(&model, replications, 9)
            .iter()
            .map(|weeks| Week::values_by_week(weeks).collect())
            .collect();
        assert_eq!(timeline.weeks.len(), calendar.weeks() as usize, "{what}");
        for (w, bands) in timeline.weeks.iter().enumerate() {
            for series in WeeklySeries::ALL {
                let values = Sorted::new(
                    each.iter()
                        .map(|run| run[w][series as usize])
                        .filter(|v| !v.is_nan())
                        .collect(),
                );
                let values_of = values.values();
                let old = Band {
                    mean: values_of.iter().sum::<f64>() / values_of.len() as f64,
                    p10: values.percentile(0.1),
                    p50: values.percentile(0.5),
                    p90: values.percentile(0.9),
                };
                assert_eq!(
                    band_bits(&bands[series as usize]),
                    band_bits(&old),
                    "{what}, week {}, {}",
                    w + 1,
                    series.name()
                );
                // What a plan reads: replications at or above a count, and a count's total.
                let tally = one.weeks.of(w, series);
                let median = values.percentile(0.5).ceil();
                let at_least = values_of.iter().filter(|&&v| v >= median).count();
                assert_eq!(tally.at_least(median), at_least as u64, "{what}");
                assert_eq!(tally.sum(), values_of.iter().sum::<f64>(), "{what}");
            }
        }
        assert_eq!(one.weeks.replications(), replications, "{what}");
    }
}
