//! How a tornado is shown: the levers ranked, as a table, CSV, JSON or chart.

use std::io::{self, Write};

use serde::Serialize;

use super::csv_out::{self, Cell, Column};
use super::sweep::setup;
use super::{NoChart, Report, readable, write_columns};
use crate::chart::{TornadoBar, TornadoChart};
use crate::plan::HOURS_TOLERANCE;
use crate::sweep::{Reading, SideReading, SweepRun, Tornado, TornadoRow};

/// A tornado and what it ran.
#[derive(Debug, Clone)]
pub struct TornadoReport {
    pub scenario: String,
    pub seed: u64,
    pub replications: u64,
    pub run: SweepRun,
    pub tornado: Tornado,
}

impl TornadoReport {
    fn percent(&self) -> String {
        format!("{}%", readable(self.tornado.swing * 100.0))
    }

    fn setup(&self, in_full: bool) -> String {
        setup(self.run, self.replications, self.seed, in_full)
    }
}

impl Report for TornadoReport {
    /// The levers that move the measure, ranked.
    type Chart = TornadoChart;

    /// The levers ranked, the measure at each side, and what was left out and why.
    fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        let t = &self.tornado;
        let name = t.measure.name();
        writeln!(out, "{}", self.scenario)?;
        writeln!(
            out,
            "What moves {name} most: each parameter {} down and up, one at a time\n{}\n",
            self.percent(),
            self.setup(true)
        )?;
        writeln!(
            out,
            "{name} at the scenario's values: {}\n",
            reading(&t.base)
        )?;
        let moving: Vec<_> = t.rows.iter().filter(|r| r.moves()).collect();
        let intervals = t.rows.iter().any(|r| r.ci95.is_some());
        let mut header: Vec<String> = ["parameter, by effect", "down", "value", "up"]
            .map(String::from)
            .to_vec();
        header.extend([
            format!("{name} down"),
            format!("{name} up"),
            "effect".into(),
        ]);
        if intervals {
            header.push("95% interval".into());
        }
        let rows: Vec<Vec<String>> = moving
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let at = |s: &Option<SideReading>| {
                    s.map_or("(as is)".to_string(), |s| reading(&s.reading))
                };
                let mut cells = vec![
                    format!("{:>2}. {}", i + 1, row.name),
                    side(&row.low),
                    parameter(row.base),
                    side(&row.high),
                    at(&row.low),
                    at(&row.high),
                    effect(row),
                ];
                if intervals {
                    cells.push(row.ci95.map_or("–".to_string(), |[a, b]| {
                        format!("{} – {}", signed(a), signed(b))
                    }));
                }
                cells
            })
            .collect();
        if rows.is_empty() {
            writeln!(out, "no parameter moves {name} here")?;
        } else {
            write_columns(out, &header, &rows)?;
        }
        let uncertainty = if intervals {
            "the 95% interval is the effect's, from the replication-by-replication differences"
        } else {
            &format!(
                "each plan's hours are found within {HOURS_TOLERANCE} h, every plan on the same \
                 random numbers"
            )
        };
        writeln!(
            out,
            "\neffect: {name} with the parameter up minus with it down; {uncertainty}"
        )?;
        for note in marks(moving.iter().copied()) {
            writeln!(out, "{note}")?;
        }
        let still: Vec<&str> = t
            .rows
            .iter()
            .filter(|r| !r.moves())
            .map(|r| r.name.as_str())
            .collect();
        if !still.is_empty() {
            writeln!(out, "no effect on {name}: {}", still.join(", "))?;
        }
        // One line per reason, naming every parameter it leaves out.
        let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
        for (parameter, why) in &t.left_out {
            match reasons.iter_mut().find(|(w, _)| w == why) {
                Some((_, names)) => names.push(parameter),
                None => reasons.push((why, vec![parameter])),
            }
        }
        for (why, names) in reasons {
            writeln!(out, "not swung: {} ({why})", names.join(", "))?;
        }
        Ok(())
    }

    /// `{"scenario", "seed", "replications", "run", "metric", "swing", "base", "levers":
    /// [{"parameter", "value", "down", "up", "effect", "effect_is_bound", "effect_ci95"}], "left_out":
    /// [{"parameter", "reason"}]}`; a side is `{"value", "capped", "stepped", "metric", "beyond"}`
    /// or null.
    fn json(&self) -> impl Serialize {
        let t = &self.tornado;
        let side = |s: &Option<SideReading>| {
            s.map(|s| SideJson {
                value: s.value,
                capped: s.capped,
                stepped: s.stepped,
                metric: s.reading.value,
                beyond: s.reading.beyond,
            })
        };
        TornadoJson {
            scenario: &self.scenario,
            seed: self.seed,
            replications: self.replications,
            run: self.run.name(),
            metric: t.measure.name(),
            swing: t.swing,
            base: BaseJson {
                metric: t.base.value,
                beyond: t.base.beyond,
            },
            levers: t
                .rows
                .iter()
                .map(|r| LeverJson {
                    parameter: &r.name,
                    value: r.base,
                    down: side(&r.low),
                    up: side(&r.high),
                    effect: r.effect,
                    effect_is_bound: r.bound,
                    effect_ci95: r.ci95,
                })
                .collect(),
            left_out: t
                .left_out
                .iter()
                .map(|(parameter, reason)| LeftOutJson { parameter, reason })
                .collect(),
        }
    }

    /// A row per swung parameter, ranked.
    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        type Ranked<'r> = (usize, &'r TornadoRow);
        let name = self.tornado.measure.name();
        let columns: [Column<Ranked>; 11] = [
            Column::new("rank", |&(i, _): &Ranked| Cell::Whole(i + 1)),
            Column::new("parameter", |(_, row): &Ranked| {
                Cell::Text(row.name.clone())
            }),
            Column::new("value", |(_, row): &Ranked| Cell::Number(row.base)),
            Column::new("down", |(_, row): &Ranked| row.low.map(|s| s.value).into()),
            Column::new("up", |(_, row): &Ranked| row.high.map(|s| s.value).into()),
            Column::new(format!("{name}_down"), |(_, row): &Ranked| {
                row.low.map(|s| s.reading.value).into()
            }),
            Column::new(format!("{name}_up"), |(_, row): &Ranked| {
                row.high.map(|s| s.reading.value).into()
            }),
            Column::new("effect", |(_, row): &Ranked| Cell::Number(row.effect)),
            Column::new("effect_ci95_low", |(_, row): &Ranked| {
                row.ci95.map(|c| c[0]).into()
            }),
            Column::new("effect_ci95_high", |(_, row): &Ranked| {
                row.ci95.map(|c| c[1]).into()
            }),
            Column::new("note", |(_, row): &Ranked| Cell::Text(note(row))),
        ];
        csv_out::write_columns(out, &columns, self.tornado.rows.iter().enumerate())
    }

    /// The tornado chart of the parameters that move the measure; `None` when none does.
    fn chart(&self) -> Result<TornadoChart, NoChart> {
        let t = &self.tornado;
        let name = t.measure.name();
        let moving = || t.rows.iter().filter(|r| r.moves());
        if moving().next().is_none() {
            return Err(NoChart(format!(
                "no parameter moves {name} here, so there are no bars to draw"
            )));
        }
        Ok(TornadoChart {
            title: format!("What moves {name} most"),
            subtitle: format!("{}: {}", self.scenario, self.setup(false)),
            notes: marks(moving()).into_iter().map(String::from).collect(),
            measure: name.to_string(),
            base: (t.base.value, reading(&t.base)),
            side_labels: [
                format!("parameter {} down", self.percent()),
                format!("parameter {} up", self.percent()),
            ],
            bars: moving()
                .map(|r| TornadoBar {
                    label: format!("{} ({} / {})", r.name, side(&r.low), side(&r.high)),
                    low: r.low.map(|s| (s.reading.value, reading(&s.reading))),
                    high: r.high.map(|s| (s.reading.value, reading(&s.reading))),
                })
                .collect(),
        })
    }
}

/// What the CSV notes of a row's sides: one that cannot move, stops at its limit, moves
/// further than the swing, or reaches no goal.
fn note(row: &TornadoRow) -> String {
    let mut notes = Vec::new();
    for (side, word) in [(&row.low, "down"), (&row.high, "up")] {
        match side {
            None => notes.push(format!("cannot go {word}")),
            Some(s) if s.capped => notes.push(format!("{word} stops at its limit")),
            Some(s) if s.stepped => {
                notes.push(format!("{word}, rounded, moves further than the swing"));
            }
            Some(s) if s.reading.beyond => {
                notes.push(format!("{word}: no hours reach the goal"));
            }
            Some(_) => {}
        }
    }
    notes.join("; ")
}

/// A side's swung value, or "–" where the parameter could not move that way.
fn side(s: &Option<SideReading>) -> String {
    s.map_or("–".to_string(), value)
}

/// A swung value, marked when it stopped at its limit (*) or moved further than the swing (^).
fn value(side: SideReading) -> String {
    let star = if side.capped { "*" } else { "" };
    let step = if side.stepped { "^" } else { "" };
    format!("{}{star}{step}", parameter(side.value))
}

/// A parameter's value: as tables show numbers, but small or cut values with the digits that
/// tell them apart (0.004, 0.999999).
fn parameter(x: f64) -> String {
    let shown = readable(x);
    if shown
        .parse::<f64>()
        .is_ok_and(|y| (y - x).abs() <= 1e-9 * x.abs())
        || x.abs() >= 10.0
    {
        shown
    } else {
        format!("{x}")
    }
}

/// The footnotes the marks of [`value`] need, for the rows shown.
fn marks<'a>(rows: impl Iterator<Item = &'a TornadoRow>) -> Vec<&'static str> {
    let sides: Vec<SideReading> = rows.flat_map(|r| [r.low, r.high]).flatten().collect();
    let mut notes = Vec::new();
    if sides.iter().any(|s| s.capped) {
        notes.push("*: the swing stops at the parameter's limit");
    }
    if sides.iter().any(|s| s.stepped) {
        notes.push("^: a whole number, rounded, moves further than the swing");
    }
    if sides.iter().any(|s| s.reading.beyond) {
        notes.push(
            "over N: no hours within the working week reach the goal there, so the effect is \
             a bound",
        );
    }
    notes
}

/// The measure, or for a plan no hours reach: "over 40".
fn reading(r: &Reading) -> String {
    if r.beyond {
        format!("over {}", readable(r.value))
    } else {
        readable(r.value)
    }
}

/// The effect, signed; a bound says which way the true effect lies.
fn effect(row: &TornadoRow) -> String {
    match (row.bound, row.effect > 0.0) {
        (false, _) => signed(row.effect),
        (true, _) if row.effect == 0.0 => "–".to_string(),
        (true, true) => format!("{} or more", signed(row.effect)),
        (true, false) => format!("{} or less", signed(row.effect)),
    }
}

/// `+1.25` or `-0.40`.
fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", readable(x))
    } else {
        readable(x)
    }
}

/// The JSON object, keys in this order: what each side ran, the measure and the swing, the
/// measure at the scenario's values, the levers ranked, and the parameters left out.
#[derive(Serialize)]
struct TornadoJson<'a> {
    scenario: &'a str,
    seed: u64,
    replications: u64,
    run: &'static str,
    metric: &'static str,
    swing: f64,
    base: BaseJson,
    levers: Vec<LeverJson<'a>>,
    left_out: Vec<LeftOutJson<'a>>,
}

/// The measure at the scenario's own values; `beyond`: only a bound.
#[derive(Serialize)]
struct BaseJson {
    metric: f64,
    beyond: bool,
}

#[derive(Serialize)]
struct LeverJson<'a> {
    parameter: &'a str,
    value: f64,
    /// null where the parameter cannot move that way.
    down: Option<SideJson>,
    up: Option<SideJson>,
    effect: f64,
    effect_is_bound: bool,
    /// null for plans.
    effect_ci95: Option<[f64; 2]>,
}

/// A side of a swing: the parameter's value there, how it was swung, and the measure.
#[derive(Serialize)]
struct SideJson {
    value: f64,
    capped: bool,
    stepped: bool,
    metric: f64,
    beyond: bool,
}

#[derive(Serialize)]
struct LeftOutJson<'a> {
    parameter: &'a str,
    reason: &'a str,
}
