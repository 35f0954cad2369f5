//! `[sweep]`: a saved sweep, and the parts a grid is written with. An axis is a dotted scenario
//! path and its values, as `--vary` and `sweep.vary` write it: a list (`0.05,0.1,0.15`), an
//! integer range (`1..16`) or a stepped range (`0.05..0.2:0.05`). Range values are built from
//! an integer index (a + i · step, rounded to the decimals written), never by adding a float
//! step, so `0.05..0.2:0.05` ends at exactly 0.2.
//!
//! A saved grid is read into [`Axis`] values and its metric into a [`Measure`] as the file is
//! loaded, and refused there, by line and key, as `sweep` would refuse them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::load::{refused, value_as_written};
use crate::stats::Metric;

/// `[sweep]`: a saved sweep, which `callblitz sweep FILE` runs without flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sweep {
    /// The grid, each axis written as `--vary` takes it: `"cadence.attempts=1..16"`; empty for
    /// none. Read as a grid: refused, as `--vary` would be, when it is not one.
    #[serde(deserialize_with = "saved_axes")]
    pub vary: Vec<Axis>,
    /// What each point runs.
    pub run: SweepRun,
    /// What the chart and the tornado follow: a metric, or `required_hours` for plans
    /// (default: deals; for plans, required_hours).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<Measure>,
    /// The tornado's swing of every parameter, as a share (0.2: 20% down and 20% up).
    pub swing: f64,
}

impl Default for Sweep {
    fn default() -> Self {
        Sweep {
            vary: Vec::new(),
            run: SweepRun::Cohort,
            metric: None,
            // A common swing for a first look at sensitivity.
            swing: 0.2,
        }
    }
}

/// What a sweep runs at each point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SweepRun {
    /// A cohort of leads worked through the cadence.
    Cohort,
    /// The team's calendar year.
    Calendar,
    /// A plan: the prospecting hours that reach the goal at its confidence.
    Plan,
}

impl SweepRun {
    /// The run's name as scenario files write it.
    pub fn name(self) -> &'static str {
        match self {
            SweepRun::Cohort => "cohort",
            SweepRun::Calendar => "calendar",
            SweepRun::Plan => "plan",
        }
    }
}

/// The number a chart or a tornado follows: a metric's mean over replications, or a plan's
/// required prospecting hours per rep-week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Metric(Metric),
    RequiredHours,
}

impl Measure {
    /// The name `--metric` takes.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Metric(m) => m.name(),
            Measure::RequiredHours => "required_hours",
        }
    }

    /// The measure named `name`; the error lists the names there are.
    pub fn named(name: &str) -> Result<Measure, String> {
        if name == Measure::RequiredHours.name() {
            return Ok(Measure::RequiredHours);
        }
        Metric::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .map(Measure::Metric)
            .ok_or_else(|| {
                let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
                format!(
                    "no metric `{name}`; choose one of {} or required_hours (a plan's hours)",
                    names.join(", ")
                )
            })
    }

    /// Whether a run of this kind reports the measure: required hours come from plans only,
    /// metrics from simulations only.
    pub fn reported_by(self, run: SweepRun) -> bool {
        (self == Measure::RequiredHours) == (run == SweepRun::Plan)
    }
}

/// Written as its name.
impl Serialize for Measure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Read from its name, as `--metric` reads it.
impl<'de> Deserialize<'de> for Measure {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Measure::named(&name).map_err(|why| refused(format!("\"{name}\""), why))
    }
}

/// The smallest swing a tornado takes: below it, decimals hardly move and only whole numbers
/// (moved by 1) would show.
pub const MIN_SWING: f64 = 0.01;

/// The most points a grid may have.
pub const MAX_POINTS: usize = 10_000;

/// One varied path and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub path: String,
    pub values: Vec<toml::Value>,
    /// `PATH=LIST|RANGE` as written, which a scenario saves again as it was.
    written: String,
}

impl Axis {
    /// Parses `--vary PATH=LIST|RANGE`; the error names the flag, says what is wrong and how to
    /// write it.
    pub fn parse(text: &str) -> Result<Axis, String> {
        Axis::read(text).map_err(|why| format!("--vary {text}: {why}"))
    }

    /// Parses `PATH=LIST|RANGE`; the error says what is wrong and how to write it.
    fn read(text: &str) -> Result<Axis, String> {
        let (path, spec) = text
            .split_once('=')
            .ok_or("write PATH=LIST or PATH=RANGE, e.g. cadence.attempts=1..16")?;
        let path = path.trim();
        if path.is_empty() || !path.split('.').all(|s| !s.is_empty()) {
            return Err(
                "the path before = is not a dotted key path, e.g. leads.reachability.mean".into(),
            );
        }
        let spec = spec.trim();
        let values = match spec.split_once("..") {
            Some((from, rest)) => range(from.trim(), rest.trim())?,
            None => list(spec)?,
        };
        Ok(Axis {
            path: path.to_string(),
            values,
            written: text.to_string(),
        })
    }

    /// A value as it reads in tables and CSV headers' cells.
    pub fn label(&self, index: usize) -> String {
        match &self.values[index] {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// `0.05,0.1,0.15`: each item read as TOML, or else taken as a plain string. Commas inside
/// brackets, braces or quotes belong to the item (`[],[{after=3,share=0.8}]` is two items).
fn list(spec: &str) -> Result<Vec<toml::Value>, String> {
    let mut items = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    for (i, c) in spec.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                items.push(spec[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(spec[start..].trim());
    if items.iter().any(|item| item.is_empty()) {
        return Err(
            "an empty value in the list: write values separated by commas, e.g. \
                    0.05,0.1,0.15"
                .into(),
        );
    }
    Ok(items.into_iter().map(value_as_written).collect())
}

/// `1..16` (integers, both ends included) or `0.05..0.2:0.05`.
fn range(from: &str, rest: &str) -> Result<Vec<toml::Value>, String> {
    let (to, step) = match rest.split_once(':') {
        Some((to, step)) => (to.trim(), Some(step.trim())),
        None => (rest, None),
    };
    let integers = [Some(from), Some(to), step]
        .iter()
        .flatten()
        .all(|t| t.parse::<i64>().is_ok());
    if integers {
        let (a, b) = (from.parse::<i64>().unwrap(), to.parse::<i64>().unwrap());
        let step = step.map_or(1, |s| s.parse::<i64>().unwrap());
        if step <= 0 {
            return Err(format!("the step {step} must be above 0"));
        }
        if b < a {
            return Err(format!(
                "the range {a}..{b} is empty: write the lower end first"
            ));
        }
        // In i128, so that the widest i64 range cannot wrap.
        let count = (i128::from(b) - i128::from(a)) / i128::from(step) + 1;
        check_count(count as f64)?;
        return Ok((0..count)
            .map(|i| {
                let x = i128::from(a) + i * i128::from(step);
                toml::Value::Integer(x as i64)
            })
            .collect());
    }
    let number = |t: &str| {
        t.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("\"{t}\" is not a number"))
    };
    let (a, b) = (number(from)?, number(to)?);
    let step_text = step.ok_or_else(|| {
        format!("a range of decimals needs a step: write {from}..{to}:STEP, e.g. 0.05..0.2:0.05")
    })?;
    let step = number(step_text)?;
    if step <= 0.0 {
        return Err(format!("the step {step_text} must be above 0"));
    }
    if b < a {
        return Err(format!(
            "the range {from}..{to} is empty: write the lower end first"
        ));
    }
    // The number of steps, allowing for the rounding in the decimal texts.
    let steps = ((b - a) / step + 1e-9).floor();
    check_count(steps + 1.0)?;
    // Rounded to 12 significant digits: the float noise of a + i · step goes, whatever the
    // notation the range was written in (0.05 or 5e-2).
    Ok((0..=steps as i64)
        .map(|i| {
            let x = a + i as f64 * step;
            toml::Value::Float(format!("{x:.11e}").parse().unwrap_or(x))
        })
        .collect())
}

/// Refuses an axis of more than [`MAX_POINTS`] values (checked before the values are built, so
/// a count too large for any integer is refused too).
fn check_count(count: f64) -> Result<(), String> {
    if count <= MAX_POINTS as f64 {
        return Ok(());
    }
    let count = if count < 1e15 {
        format!("{count}")
    } else if count.is_finite() {
        format!("{count:.1e}")
    } else {
        "countless".to_string()
    };
    Err(format!(
        "{count} values; a grid has at most {MAX_POINTS} points: narrow the range or widen its \
         step"
    ))
}

/// The grid: every combination of the axes' values, the last axis varying fastest.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub axes: Vec<Axis>,
}

impl Grid {
    /// A grid of `--vary` axes, refused when empty, when a path is varied twice or when it has
    /// more than [`MAX_POINTS`] points.
    pub fn new(axes: Vec<Axis>) -> Result<Grid, String> {
        if axes.is_empty() {
            return Err("nothing to sweep: give --vary PATH=LIST|RANGE".into());
        }
        check_axes(&axes, |path| format!("--vary {path}"))?;
        Ok(Grid { axes })
    }

    /// How many points the grid has.
    pub fn len(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }

    /// Whether the grid has no points (never, for a grid built by [`Grid::new`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value index on each axis of point `index`.
    pub fn point(&self, index: usize) -> Vec<usize> {
        let mut rest = index;
        let mut at: Vec<usize> = self
            .axes
            .iter()
            .rev()
            .map(|a| {
                let i = rest % a.values.len();
                rest /= a.values.len();
                i
            })
            .collect();
        at.reverse();
        at
    }
}

/// Refuses axes that make no grid: a path varied twice (named in the error by `name`), or more
/// than [`MAX_POINTS`] points in all.
fn check_axes(axes: &[Axis], name: fn(&str) -> String) -> Result<(), String> {
    for (i, axis) in axes.iter().enumerate() {
        if axes[..i].iter().any(|a| a.path == axis.path) {
            return Err(format!(
                "{}: the path is varied twice; give all its values in one --vary",
                name(&axis.path)
            ));
        }
    }
    let points = axes
        .iter()
        .try_fold(1u128, |n, a| n.checked_mul(a.values.len() as u128))
        .unwrap_or(u128::MAX);
    if points > MAX_POINTS as u128 {
        let sizes: Vec<String> = axes.iter().map(|a| a.values.len().to_string()).collect();
        return Err(format!(
            "the grid has {points} points ({}); at most {MAX_POINTS}: narrow a range or widen \
             its step",
            sizes.join(" × ")
        ));
    }
    Ok(())
}

/// Written as `--vary` takes it.
impl Serialize for Axis {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.written)
    }
}

/// Read as `--vary` reads it; refused with the reason alone, the loader names the key.
impl<'de> Deserialize<'de> for Axis {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Axis::read(&text).map_err(|why| refused(format!("\"{text}\""), why))
    }
}

/// `sweep.vary`: its axes, refused as a whole when they make no grid (an empty list saves no grid).
fn saved_axes<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Axis>, D::Error> {
    let axes = Vec::<Axis>::deserialize(deserializer)?;
    if !axes.is_empty() {
        check_axes(&axes, str::to_string).map_err(|why| refused("", why))?;
    }
    Ok(axes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        let axis = Axis::parse(text).unwrap();
        (0..axis.values.len()).map(|i| axis.label(i)).collect()
    }

    #[test]
    fn lists_and_ranges() {
        assert_eq!(values("a.b=0.05,0.1, 0.15"), ["0.05", "0.1", "0.15"]);
        assert_eq!(
            values("a=round-robin,shared-pool"),
            ["round-robin", "shared-pool"]
        );
        assert_eq!(values("cadence.attempts=1..4"), ["1", "2", "3", "4"]);
        assert_eq!(values("x=2..10:4"), ["2", "6", "10"]);
        // Built from the index: the end is exact, with no 0.15000000000000002.
        assert_eq!(values("m=0.05..0.2:0.05"), ["0.05", "0.1", "0.15", "0.2"]);
        assert_eq!(values("m=0.1..0.35:0.1"), ["0.1", "0.2", "0.3"]);
        assert_eq!(values("m=1e-1..2e-1:5e-2"), ["0.1", "0.15", "0.2"]);
    }

    #[test]
    fn bad_grids_are_refused_with_the_fix() {
        let err = |text: &str| Axis::parse(text).unwrap_err();
        assert!(err("m=0.1..0.3:0").contains("must be above 0"));
        assert!(err("m=5..1").contains("is empty"));
        assert!(err("m=0.1..0.3").contains("needs a step"));
        assert!(err("m=1,,2").contains("empty value"));
        assert!(err("m").contains("PATH=LIST"));
        assert!(err("m=1..100000").contains("at most 10000"));
        // Ranges too wide for the arithmetic are refused, not wrapped or overflowed.
        assert!(err("m=0.1..1e308:1e-308").contains("at most 10000"));
        assert!(err("m=-9223372036854775808..9223372036854775807").contains("at most 10000"));
        let axis = |text: &str| Axis::parse(text).unwrap();
        let big = Grid::new(vec![axis("a=1..200"), axis("b=1..200")]).unwrap_err();
        assert!(big.contains("40000 points (200 × 200)"), "{big}");
        assert!(
            Grid::new(vec![axis("a=1,2"), axis("a=3")])
                .unwrap_err()
                .contains("twice")
        );
        assert!(Grid::new(vec![]).is_err());
    }

    #[test]
    fn points_run_through_every_combination() {
        let axis = |text: &str| Axis::parse(text).unwrap();
        let grid = Grid::new(vec![axis("a=1..2"), axis("b=1..3")]).unwrap();
        assert_eq!(grid.len(), 6);
        let all: Vec<Vec<usize>> = (0..6).map(|i| grid.point(i)).collect();
        assert_eq!(
            all,
            [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]].map(Vec::from)
        );
    }

    #[test]
    fn a_saved_grid_is_read_typed_and_saved_as_written() {
        use crate::scenario::{Scenario, load_str};
        let text = "[sweep]\nvary = [\"cadence.attempts=1..3\", \"funnel.win_rate=0.1,0.2\"]\n\
                    metric = \"contacts\"\n";
        let scenario = load_str(text, "t.toml", &[]).unwrap();
        let sweep = &scenario.sweep;
        assert_eq!(sweep.vary[0].path, "cadence.attempts");
        assert_eq!(sweep.vary[1].values.len(), 2);
        assert_eq!(sweep.metric, Some(Measure::Metric(Metric::Contacts)));
        let saved = toml::to_string(&scenario).unwrap();
        assert!(saved.contains("\"cadence.attempts=1..3\""), "{saved}");
        assert_eq!(toml::from_str::<Scenario>(&saved).unwrap(), scenario);

        let refused = |text: &str| load_str(text, "t.toml", &[]).unwrap_err().to_string();
        assert_eq!(
            refused("[sweep]\nvary = [\"a=1,2\", \"a=3\"]\n"),
            "t.toml:2: sweep.vary: a: the path is varied twice; give all its values in one --vary"
        );
        assert_eq!(
            refused("[sweep]\nvary = [\"a=1\", \"b\"]\n"),
            "t.toml:2: sweep.vary[1] = \"b\": write PATH=LIST or PATH=RANGE, e.g. \
             cadence.attempts=1..16"
        );
        assert!(
            refused("[sweep]\nmetric = \"dealz\"\n").starts_with(
                "t.toml:2: sweep.metric = \"dealz\": no metric `dealz`; choose one of"
            )
        );
    }
}
