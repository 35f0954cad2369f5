//! Reading a scenario file: TOML syntax, `--set` overrides, unknown keys, wrong types and
//! invalid values, all reported at once with the place each one comes from.

use std::fmt;
use std::path::Path;

use serde_path_to_error::Segment;

use super::tables_only::{ARRAY_FOR_TABLE, TablesOnly};
use super::{Invalid, Scenario, validate};

/// The most problems one file reports before the reader stops looking for more.
const MAX_PROBLEMS: usize = 50;

/// Where a problem was found: a line of the scenario file, or a `--set` override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The scenario file, at a line when the parser knows it.
    File { path: String, line: Option<usize> },
    /// A `--set PATH=VALUE` override (or a flag standing for one), as the user wrote it.
    Set(String),
    /// The `set` table of a `[[variants]]` entry, at its line of the file.
    Variant {
        path: String,
        line: Option<usize>,
        index: usize,
        name: String,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File {
                path,
                line: Some(line),
            } => write!(f, "{path}:{line}"),
            Location::File { path, line: None } => write!(f, "{path}"),
            Location::Set(origin) => write!(f, "{origin}"),
            Location::Variant {
                path,
                line,
                index,
                name,
            } => {
                write!(f, "{path}")?;
                if let Some(line) = line {
                    write!(f, ":{line}")?;
                }
                write!(f, ": variants[{index}] \"{name}\"")
            }
        }
    }
}

/// One problem with a scenario: where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub location: Location,
    /// The dotted key the problem is about, when there is one.
    pub key: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every problem found in one scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "{one}"),
            many => {
                write!(f, "the scenario has {} problems:", many.len())?;
                for problem in many {
                    write!(f, "\n  {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

/// A `--set PATH=VALUE` override: a dotted key path and a TOML value.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: String,
    pub value: toml::Value,
    /// Where the override comes from.
    pub origin: Origin,
}

/// Where an override comes from, for the messages about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `--set PATH=VALUE` itself.
    Set,
    /// A flag standing for the override (`--replications`), or a sweep point, as the user wrote it.
    Flag(String),
    /// The `set` table of the `[[variants]]` entry at `index`.
    Variant { index: usize, name: String },
}

impl Override {
    /// Parses `PATH=VALUE`. The value is read as TOML (`0.08`, `true`, `[1, 2]`,
    /// `{ after = 3, share = 0.8 }`) and, where that fails, taken as a plain string.
    pub fn parse(text: &str) -> Result<Override, String> {
        let Some((path, raw)) = text.split_once('=') else {
            return Err(format!(
                "`{text}` has no `=`: write PATH=VALUE, e.g. leads.reachability.mean=0.08"
            ));
        };
        let path = path.trim();
        if path == "variants" || path.starts_with("variants.") || path.starts_with("variants[") {
            return Err(format!(
                "`{path}`: [[variants]] are compared as the file writes them; edit the file, \
                 or set a key for every variant (e.g. --set cadence.attempts=5)"
            ));
        }
        // A key of [uncertainty] is a whole dotted key, quoted in TOML: one spelling.
        let unquoted;
        let path = match path.strip_prefix(WHOLE_KEYS) {
            Some(key) => {
                unquoted = format!("{WHOLE_KEYS}{}", key.trim_matches('"'));
                unquoted.as_str()
            }
            None => path,
        };
        if !is_key_path(path) {
            return Err(format!(
                "`{path}` is not a dotted key path: write e.g. leads.reachability.mean=0.08 or \
                 reps.give_up[0].share=0.8"
            ));
        }
        Ok(Override {
            path: path.to_string(),
            value: value_as_written(raw.trim()),
            origin: Origin::Set,
        })
    }

    /// Where the override is reported: the flag as the user wrote it, or the variant's line.
    fn location(&self, source: &Source) -> Location {
        match &self.origin {
            Origin::Set => Location::Set(format!("--set {}", self.path)),
            Origin::Flag(flag) => Location::Set(flag.clone()),
            Origin::Variant { index, name } => Location::Variant {
                path: source.origin.clone(),
                line: source.line_of(&format!("variants[{index}].set")),
                index: *index,
                name: name.clone(),
            },
        }
    }

    fn parts(&self) -> Vec<KeyPart<'_>> {
        key_parts(&self.path)
    }
}

/// A value written on the command line (or in a `--vary` list): read as TOML (`0.08`, `true`,
/// `[1, 2]`, `{ after = 3, share = 0.8 }`) or, where that fails, taken as a plain string.
pub(super) fn value_as_written(text: &str) -> toml::Value {
    format!("v = {text}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut table| table.remove("v"))
        .unwrap_or_else(|| toml::Value::String(text.to_string()))
}

/// Reads, resolves and validates the scenario file at `path`, then applies `overrides`.
pub fn load(path: &Path, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
    Source::read(path)?.scenario(overrides)
}

/// Like [`load`], for scenario text that has already been read; `origin` names it in errors.
pub fn load_str(
    text: &str,
    origin: &str,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    Source::parse(text.to_string(), origin)?.scenario(overrides)
}

/// A scenario from `text` with the overrides `overrides` (`key=value`), for unit tests.
#[cfg(test)]
pub(crate) fn load_with(text: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| Override::parse(o).unwrap())
        .collect();
    load_str(text, "test.toml", &overrides).unwrap()
}

/// The largest scenario file read: far above any real one, far below what memory holds.
const MAX_FILE_BYTES: u64 = 16 << 20;

/// Reads a scenario file whole. Only a regular file is read, and only up to its cap, so that a
/// device (`/dev/zero`), a FIFO or a folder gets an answer at once instead of a hang.
fn read_text(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let cannot = |err: std::io::Error| format!("cannot read the scenario file: {err}");
    // Asked before opening: opening a FIFO waits for a writer.
    if !std::fs::metadata(path).map_err(cannot)?.is_file() {
        return Err(
            "is not a regular file (a folder, a device or a pipe): give the path of a \
             scenario file (TOML)"
                .into(),
        );
    }
    let mut bytes = Vec::new();
    let file = std::fs::File::open(path).map_err(cannot)?;
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "is larger than the {} MiB a scenario file may be: is it a scenario?",
            MAX_FILE_BYTES >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|err| {
        let at = err.utf8_error().valid_up_to();
        format!(
            "is not UTF-8 text (byte {at} on line {}): save it as UTF-8",
            line_at(&String::from_utf8_lossy(&err.into_bytes()[..at]), at)
        )
    })
}

/// The most `[[variants]]` one file may hold: `compare` prints a column for each (a grid of
/// values is a job for `sweep`).
pub const MAX_VARIANTS: usize = 100;

/// A scenario file parsed once, from which scenarios with any overrides are resolved in memory
/// (sweeps, tornado bisections and variants never read the file again). It holds the file as
/// plain TOML values, with the spans that place a problem on its line, and what its own values
/// deserialize to.
#[derive(Debug, Clone)]
pub struct Source {
    origin: String,
    text: String,
    spans: toml_edit::Document<String>,
    table: toml::Table,
    /// The file's own values (defaults where one could not be read), with the problems found.
    read: (Scenario, Vec<Problem>),
    /// A master seed that replaces the file's in every scenario resolved (a `--seed` flag).
    seed: Option<u64>,
}

impl Source {
    /// Reads and parses the scenario file at `path`.
    pub fn read(path: &Path) -> Result<Source, ScenarioError> {
        let name = path.display().to_string();
        let text = read_text(path).map_err(|message| ScenarioError {
            problems: vec![Problem {
                location: Location::File {
                    path: name.clone(),
                    line: None,
                },
                key: None,
                message,
            }],
        })?;
        Source::parse(text, &name)
    }

    /// Parses scenario text; `origin` names it in errors.
    pub fn parse(text: String, origin: &str) -> Result<Source, ScenarioError> {
        let syntax_error = |span: Option<std::ops::Range<usize>>, message: &str| {
            let message = message.trim();
            // The parser points at the repeated key without naming it.
            let message = match span.clone().and_then(|s| text.get(s)) {
                Some(key) if message == "duplicate key" => format!(
                    "duplicate key `{}`: a key (or a [table] header) may appear once; remove \
                     one of them",
                    key.trim().trim_matches(['[', ']'])
                ),
                _ => message.to_string(),
            };
            ScenarioError {
                problems: vec![Problem {
                    location: Location::File {
                        path: origin.to_string(),
                        line: span.map(|s| line_at(&text, s.start)),
                    },
                    key: None,
                    message: format!("not valid TOML: {message}"),
                }],
            }
        };
        let spans = toml_edit::Document::parse(text.clone())
            .map_err(|err| syntax_error(err.span(), err.message()))?;
        let table = text
            .parse::<toml::Table>()
            .map_err(|err| syntax_error(err.span(), err.message()))?;
        let mut source = Source {
            origin: origin.to_string(),
            text,
            spans,
            table,
            read: (Scenario::default(), Vec::new()),
            seed: None,
        };
        source.read = deserialize_all(source.table.clone(), &|key| source.locate(key));
        Ok(source)
    }

    /// The source with `seed`, when given, as the master seed of every scenario it resolves:
    /// any `u64`, beyond what a TOML integer holds.
    pub fn with_seed(mut self, seed: Option<u64>) -> Source {
        self.seed = seed.or(self.seed);
        self
    }

    /// The name errors give the file.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The scenario with `overrides` applied, validated.
    pub fn scenario(&self, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
        let (scenario, problems) = self.read.clone();
        // Each --set is checked as the user wrote it, before a flag or a sweep point that sets
        // the same key replaces it: `--set simulation.replications=banana --replications 3`
        // is refused, not quietly mended.
        let sets: Vec<Override> = overrides
            .iter()
            .filter(|o| o.origin == Origin::Set)
            .cloned()
            .collect();
        if sets.is_empty() || sets.len() == overrides.len() {
            return self.resolve(scenario, problems, overrides);
        }
        let with_sets = self.resolve(scenario, problems, &sets)?;
        self.resolve(with_sets, Vec::new(), overrides)
    }

    /// The `[[variants]]` of the file, each its `set` applied and then `common`, with their
    /// names; each variant's scenario has no variants of its own. Refused: fewer than two
    /// variants, more than [`MAX_VARIANTS`], names empty or given twice, and a key that one
    /// `set` gives in two forms (`"cadence.attempts" = 3` beside `cadence = { attempts = 4 }`).
    pub fn variants(&self, common: &[Override]) -> Result<Vec<(String, Scenario)>, ScenarioError> {
        let mut base = self.scenario(common)?;
        let variants = std::mem::take(&mut base.variants);
        let mut problems = Vec::new();
        let mut fail = |key: String, message: String| {
            problems.push(Problem {
                location: self.locate(&key),
                key: Some(key),
                message,
            })
        };
        if variants.len() < 2 {
            fail(
                "variants".into(),
                "compare needs two or more [[variants]] (each a `name` and a `set` table of \
                 dotted overrides), or two or more scenario files"
                    .into(),
            );
        }
        if variants.len() > MAX_VARIANTS {
            fail(
                "variants".into(),
                format!(
                    "{} [[variants]] are more than the {MAX_VARIANTS} a comparison shows: run \
                     a grid of values with `callblitz sweep` instead",
                    variants.len()
                ),
            );
        }
        let mut leaves_of = Vec::new();
        for (i, variant) in variants.iter().enumerate() {
            let name = variant.name.trim();
            if name.is_empty() {
                fail(
                    format!("variants[{i}].name"),
                    format!("variants[{i}].name is empty: give each variant a name"),
                );
            } else if let Some(first) = variants[..i].iter().position(|v| v.name == variant.name) {
                fail(
                    format!("variants[{i}].name"),
                    format!(
                        "variants[{i}].name = \"{}\": variants[{first}] has this name already: \
                         give each variant its own name",
                        variant.name
                    ),
                );
            }
            let mut leaves = Vec::new();
            for (path, value) in &variant.set {
                flatten_under("", path, value, &mut leaves);
            }
            if let Some((path, _)) = leaves
                .iter()
                .find(|(path, _)| same_or_nested("variants", path))
            {
                fail(
                    format!("variants[{i}].set"),
                    format!(
                        "variants[{i}] \"{}\" sets `{path}`: a variant cannot hold variants",
                        variant.name
                    ),
                );
            }
            for (j, (path, _)) in leaves.iter().enumerate() {
                if let Some((other, _)) = leaves[..j]
                    .iter()
                    .find(|(o, _)| same_or_nested(o, path) || same_or_nested(path, o))
                {
                    let twice = if other == path {
                        format!("`{path}` twice")
                    } else {
                        format!("`{other}` and `{path}`, one inside the other")
                    };
                    fail(
                        format!("variants[{i}].set"),
                        format!(
                            "variants[{i}] \"{}\" sets {twice}: set each key once, in one form",
                            variant.name
                        ),
                    );
                }
            }
            leaves_of.push(leaves);
        }
        if !problems.is_empty() {
            return Err(ScenarioError { problems });
        }
        let mut resolved = Vec::new();
        for (i, (variant, leaves)) in variants.iter().zip(leaves_of).enumerate() {
            let own = leaves.into_iter().map(|(path, value)| Override {
                path,
                value,
                origin: Origin::Variant {
                    index: i,
                    name: variant.name.clone(),
                },
            });
            let overrides: Vec<Override> = own.chain(common.iter().cloned()).collect();
            match self.resolve(base.clone(), Vec::new(), &overrides) {
                Ok(scenario) => resolved.push((variant.name.clone(), scenario)),
                Err(err) => problems.extend(err.problems),
            }
        }
        if problems.is_empty() {
            Ok(resolved)
        } else {
            Err(ScenarioError { problems })
        }
    }

    /// Applies `overrides` to a scenario read from this file (with the problems found in
    /// reading it) and validates the result.
    fn resolve(
        &self,
        mut scenario: Scenario,
        mut problems: Vec<Problem>,
        overrides: &[Override],
    ) -> Result<Scenario, ScenarioError> {
        // Overrides apply to a file read whole; one that could not be read keeps its own
        // values, and its problems are told of the file.
        let applied: &[Override] = if problems.is_empty() { overrides } else { &[] };
        if !applied.is_empty() {
            (scenario, problems) = apply_overrides(&scenario, applied, self)?;
        }
        // Validate what could be read, so that a file's wrong types and invalid values are all
        // reported in one go. A value that could not be read was replaced by its default, so
        // rules about it (or about what holds it) would speak of the default: those are left
        // out, as are rules about keys an override not applied would replace (they speak of a
        // value the run would not use).
        let unread = problems.iter().filter_map(|p| p.key.clone());
        let replaced = overrides[applied.len()..].iter().map(|o| o.path.clone());
        let left_out: Vec<String> = unread.chain(replaced).collect();
        for invalid in validate(&scenario) {
            let about_left_out = left_out
                .iter()
                .any(|k| same_or_nested(k, &invalid.key) || same_or_nested(&invalid.key, k));
            if !about_left_out {
                problems.push(Problem {
                    location: locate(applied, self, &invalid.key),
                    message: invalid.to_string(),
                    key: Some(invalid.key),
                });
            }
        }
        if problems.is_empty() {
            if let Some(seed) = self.seed {
                scenario.simulation.seed = seed;
            }
            return Ok(scenario);
        }
        problems.sort_by_key(|p| match &p.location {
            Location::File { line, .. } | Location::Variant { line, .. } => (0, line.unwrap_or(0)),
            Location::Set(_) => (1, 0),
        });
        Err(ScenarioError { problems })
    }

    /// The file line of a dotted key, or of its nearest ancestor that the file states.
    pub fn locate(&self, key: &str) -> Location {
        Location::File {
            path: self.origin.clone(),
            line: self.line_of(key),
        }
    }

    fn line_of(&self, key: &str) -> Option<usize> {
        span_in_table(self.spans.as_table(), &key_parts(key))
            .map(|start| line_at(&self.text, start))
    }
}

/// A variant's `set` as dotted paths to values. Unquoted dotted keys set single keys
/// (`{ cadence.attempts = 3 }` sets `cadence.attempts`); a quoted dotted key sets exactly that
/// path, and a table given there replaces the table, as `--set` does
/// (`{ "leads.reachability" = { mean = 0.1 } }`).
fn flatten_under(
    parent: &str,
    key: &str,
    value: &toml::Value,
    leaves: &mut Vec<(String, toml::Value)>,
) {
    let path = if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    };
    match value {
        toml::Value::Table(table) if !key.contains('.') => {
            for (inner_key, inner) in table {
                flatten_under(&path, inner_key, inner, leaves);
            }
        }
        other => leaves.push((path, other.clone())),
    }
}

// The deepest span a key path reaches in the file: the key itself where the file states it,
// else its nearest stated ancestor.
fn span_in_item(item: &toml_edit::Item, parts: &[KeyPart<'_>]) -> Option<usize> {
    match item {
        toml_edit::Item::Table(table) => span_in_table(table, parts),
        toml_edit::Item::Value(value) => span_in_value(value, parts),
        toml_edit::Item::ArrayOfTables(array) => match parts.split_first() {
            Some((KeyPart::Index(i), rest)) => array
                .get(*i)
                .and_then(|t| span_in_table(t, rest))
                .or(array.span().map(|s| s.start)),
            _ => array.span().map(|s| s.start),
        },
        toml_edit::Item::None => None,
    }
}

fn span_in_table(table: &toml_edit::Table, parts: &[KeyPart<'_>]) -> Option<usize> {
    match parts.split_first() {
        Some((KeyPart::Name(name), rest)) => {
            let (key, item) = table.get_key_value(name)?;
            span_in_item(item, rest).or(key.span().map(|s| s.start))
        }
        _ => table.span().map(|s| s.start),
    }
}

fn span_in_value(value: &toml_edit::Value, parts: &[KeyPart<'_>]) -> Option<usize> {
    let own = value.span().map(|s| s.start);
    match (parts.split_first(), value) {
        (Some((KeyPart::Name(name), rest)), toml_edit::Value::InlineTable(table)) => {
            let Some((key, item)) = table.get_key_value(name) else {
                return own;
            };
            span_in_item(item, rest)
                .or(key.span().map(|s| s.start))
                .or(own)
        }
        (Some((KeyPart::Index(i), rest)), toml_edit::Value::Array(array)) => {
            array.get(*i).and_then(|v| span_in_value(v, rest)).or(own)
        }
        _ => own,
    }
}

/// The table whose keys are whole dotted scenario keys (`"funnel.win_rate" = [0.15, 0.25]`):
/// everything after this prefix names one entry.
const WHOLE_KEYS: &str = "uncertainty.";

/// Whether `path` is dotted names, each optionally followed by array positions:
/// `leads.reachability.mean`, `reps.give_up[0].share`.
fn is_key_path(path: &str) -> bool {
    if let Some(key) = path.strip_prefix(WHOLE_KEYS) {
        return is_key_path(key);
    }
    path.split('.').all(|segment| {
        let (name, mut rest) = match segment.split_once('[') {
            Some((_, "")) => return false,
            Some((name, rest)) => (name, rest),
            None => (segment, ""),
        };
        let named = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        while let Some((index, after)) = rest.split_once(']') {
            if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) || index.len() > 6 {
                return false;
            }
            rest = match after.strip_prefix('[') {
                Some(next) => next,
                None if after.is_empty() => "",
                None => return false,
            };
        }
        named && rest.is_empty()
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyPart<'a> {
    Name(&'a str),
    Index(usize),
}

/// Splits `reps.give_up[1].share` into `reps`, `give_up`, 1, `share`.
fn key_parts(key: &str) -> Vec<KeyPart<'_>> {
    if let Some(whole) = key.strip_prefix(WHOLE_KEYS) {
        return vec![
            KeyPart::Name(&WHOLE_KEYS[..WHOLE_KEYS.len() - 1]),
            KeyPart::Name(whole),
        ];
    }
    let mut parts = Vec::new();
    for piece in key.split('.') {
        let (name, mut rest) = piece.split_once('[').map_or((piece, ""), |(n, r)| (n, r));
        if !name.is_empty() {
            parts.push(KeyPart::Name(name));
        }
        while let Some((index, after)) = rest.split_once(']') {
            if let Ok(index) = index.parse() {
                parts.push(KeyPart::Index(index));
            }
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    parts
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Whether `key` is `outer` or lies inside it (`a.b` is inside `a`, `a[0]` inside `a`; `a.bc`
/// is not inside `a.b`).
fn same_or_nested(outer: &str, key: &str) -> bool {
    key.strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// The override responsible for a key, if any, else its place in the file.
fn locate(overrides: &[Override], file: &Source, key: &str) -> Location {
    let key_parts = key_parts(key);
    overrides
        .iter()
        .rev()
        .find(|o| {
            let set = o.parts();
            let n = set.len().min(key_parts.len());
            set[..n] == key_parts[..n]
        })
        .map(|o| o.location(file))
        .unwrap_or_else(|| file.locate(key))
}

/// Applies the overrides to the resolved scenario, so that setting one key keeps every other
/// value (default or written) as it was.
fn apply_overrides(
    scenario: &Scenario,
    overrides: &[Override],
    file: &Source,
) -> Result<(Scenario, Vec<Problem>), ScenarioError> {
    let mut table =
        toml::Table::try_from(scenario).expect("a scenario always serializes to a TOML table");
    drop_replaced_alternatives(&mut table, overrides);
    drop_counted_reps(&mut table, overrides, file);
    let mut problems = Vec::new();
    for o in overrides {
        if let Err(message) = set_path(&mut table, &o.path, o.value.clone()) {
            problems.push(Problem {
                location: o.location(file),
                key: Some(o.path.clone()),
                message,
            });
        }
    }
    if !problems.is_empty() {
        return Err(ScenarioError { problems });
    }
    Ok(deserialize_all(table, &|key| locate(overrides, file, key)))
}

/// `team.reps` that neither the file nor an override states was counted from the members: it
/// is dropped so that members set by an override are counted again.
fn drop_counted_reps(table: &mut toml::Table, overrides: &[Override], file: &Source) {
    let stated_in_file = file
        .table
        .get("team")
        .and_then(|team| team.get("reps"))
        .is_some();
    let set = overrides
        .iter()
        .any(|o| same_or_nested(&o.path, "team.reps"));
    if !stated_in_file
        && !set
        && let Some(toml::Value::Table(team)) = table.get_mut("team")
    {
        team.remove("reps");
    }
}

/// Keys that state the same thing in different forms: a table holds one group or the other.
const ALTERNATIVES: [(&str, &[&str], &[&str]); 2] = [
    ("cadence", &["touches"], &["attempts", "days"]),
    ("goal", &["deals"], &["revenue"]),
];

/// When overrides set one form of an alternative (say `cadence.touches`), the resolved
/// scenario's other form (`cadence.attempts` and `days`) gives way, unless it is set too.
fn drop_replaced_alternatives(table: &mut toml::Table, overrides: &[Override]) {
    let sets = |parent: &str, key: &str| {
        overrides
            .iter()
            .any(|o| o.path == format!("{parent}.{key}"))
    };
    for (parent, one, other) in ALTERNATIVES {
        let Some(toml::Value::Table(inner)) = table.get_mut(parent) else {
            continue;
        };
        for (chosen, replaced) in [(one, other), (other, one)] {
            let chosen_set = chosen.iter().any(|k| sets(parent, k));
            let replaced_set = replaced.iter().any(|k| sets(parent, k));
            if chosen_set && !replaced_set {
                for key in replaced {
                    inner.remove(*key);
                }
            }
        }
    }
}

/// Sets the value at a key path (`reps.give_up[0].share`): missing tables on the way are made,
/// array elements must exist.
fn set_path(table: &mut toml::Table, path: &str, value: toml::Value) -> Result<(), String> {
    let parts = key_parts(path);
    let mut root = toml::Value::Table(std::mem::take(table));
    let result = set_in(&mut root, &parts, value, String::new());
    if let toml::Value::Table(inner) = root {
        *table = inner;
    }
    result
}

fn set_in(
    current: &mut toml::Value,
    parts: &[KeyPart<'_>],
    value: toml::Value,
    walked: String,
) -> Result<(), String> {
    let Some((part, rest)) = parts.split_first() else {
        *current = value;
        return Ok(());
    };
    match (part, current) {
        (KeyPart::Name(name), toml::Value::Table(table)) => {
            let here = if walked.is_empty() {
                name.to_string()
            } else {
                format!("{walked}.{name}")
            };
            let entry = table
                .entry(name.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            set_in(entry, rest, value, here)
        }
        (KeyPart::Index(i), toml::Value::Array(array)) => match array.get_mut(*i) {
            Some(element) => set_in(element, rest, value, format!("{walked}[{i}]")),
            None => Err(format!(
                "`{walked}` has {} element(s), so no element [{i}] to set: set the whole \
                 array instead: --set '{walked}=[...]'",
                array.len()
            )),
        },
        (part, other) => {
            let wanted = match part {
                KeyPart::Name(name) => format!("a table, so it has no key `{name}`"),
                KeyPart::Index(i) => format!("an array, so it has no element [{i}]"),
            };
            let hint = if other.is_array() {
                format!("; set the whole array instead: --set '{walked}=[...]'")
            } else {
                String::new()
            };
            Err(format!(
                "`{walked}` is {} {}, not {wanted}{hint}",
                article(other.type_str()),
                other.type_str(),
            ))
        }
    }
}

fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Deserializes a scenario, collecting every unknown key and wrongly typed value rather than
/// stopping at the first: each bad key (or, inside an array, the whole element holding it) is
/// reported, removed, and the rest read again. Returns what could be read (defaults in place of
/// what was removed) with the problems found, array positions as the file wrote them.
fn deserialize_all(
    mut table: toml::Table,
    locate: &dyn Fn(&str) -> Location,
) -> (Scenario, Vec<Problem>) {
    let mut problems: Vec<Problem> = Vec::new();
    let mut removals = Removals::default();
    loop {
        match serde_path_to_error::deserialize::<_, Scenario>(TablesOnly(table.clone())) {
            Ok(scenario) => return (scenario, problems),
            Err(err) => {
                let segments: Vec<Segment> = err.path().iter().cloned().collect();
                let key = removals.original_key(&segments);
                // toml appends "in `key`" on a line of its own; the key is named already.
                let raw = err.inner().to_string();
                let first_line = raw.lines().next().unwrap_or_default();
                let mut message = describe_serde_error(&key, first_line);
                if let Some(fix) = whole_number_limit(&table, &segments, first_line) {
                    message = format!("{message}: {fix}");
                }
                problems.push(Problem {
                    location: locate(&key),
                    message,
                    key: Some(key),
                });
                if problems.len() >= MAX_PROBLEMS || !removals.remove(&mut table, &segments) {
                    return (Scenario::default(), problems);
                }
            }
        }
    }
}

/// The rule a whole number too large for its type breaks, in the validator's words ("must be a
/// whole number from 1 to 520"): the largest value the type holds is put in its place and the
/// scenario checked, so the limit comes from the one place that states it.
fn whole_number_limit(table: &toml::Table, path: &[Segment], raw: &str) -> Option<String> {
    if !raw.starts_with("invalid value: integer `") || raw.contains("integer `-") {
        return None;
    }
    let largest: i64 = match raw.rsplit("expected ").next()? {
        "u16" => u16::MAX.into(),
        "u32" => u32::MAX.into(),
        "u64" => i64::MAX,
        _ => return None,
    };
    let mut key = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => key.push_str(&format!("[{index}]")),
            Segment::Map { key: name } => {
                if !key.is_empty() {
                    key.push('.');
                }
                key.push_str(name);
            }
            Segment::Enum { .. } | Segment::Unknown => return None,
        }
    }
    let mut probe = table.clone();
    set_path(&mut probe, &key, toml::Value::Integer(largest)).ok()?;
    let scenario = serde_path_to_error::deserialize::<_, Scenario>(TablesOnly(probe)).ok()?;
    let rule = validate(&scenario)
        .into_iter()
        .find(|invalid| invalid.key == key)
        .map(|invalid| invalid.fix);
    // No rule of its own: the type's limit is the key's.
    Some(rule.unwrap_or_else(|| format!("it can be at most {largest}")))
}

/// Array elements removed so far, to report later elements at the positions the file gave.
#[derive(Default)]
struct Removals {
    /// (the array's key, the element's position when it was removed), in removal order.
    removed: Vec<(String, usize)>,
}

impl Removals {
    /// The dotted key of `path` with array positions as written in the file.
    fn original_key(&self, path: &[Segment]) -> String {
        let mut key = String::new();
        for segment in path {
            match segment {
                Segment::Seq { index } => {
                    let position = self
                        .removed
                        .iter()
                        .rev()
                        .filter(|(array, _)| *array == key)
                        .fold(*index, |i, &(_, at)| if i >= at { i + 1 } else { i });
                    key.push_str(&format!("[{position}]"));
                }
                Segment::Map { key: name } => {
                    if !key.is_empty() {
                        key.push('.');
                    }
                    key.push_str(name);
                }
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        key
    }

    /// Removes what `path` points at so that reading can go on past it: inside an array, the
    /// whole element. False when there is nothing to remove (reading would fail again).
    fn remove(&mut self, table: &mut toml::Table, path: &[Segment]) -> bool {
        let cut = path
            .iter()
            .rposition(|s| matches!(s, Segment::Seq { .. }))
            .map_or(path.len(), |at| at + 1);
        let path = &path[..cut];
        let Some((last, parents)) = path.split_last() else {
            return false;
        };
        if let Segment::Seq { index } = last {
            self.removed.push((self.original_key(parents), *index));
        }
        let mut root = toml::Value::Table(std::mem::take(table));
        let removed = remove_in(&mut root, parents, last);
        if let toml::Value::Table(inner) = root {
            *table = inner;
        }
        removed
    }
}

fn remove_in(value: &mut toml::Value, parents: &[Segment], last: &Segment) -> bool {
    let target = parents
        .iter()
        .try_fold(value, |v, segment| match (segment, v) {
            (Segment::Map { key }, toml::Value::Table(t)) => t.get_mut(key.as_str()),
            (Segment::Seq { index }, toml::Value::Array(a)) => a.get_mut(*index),
            _ => None,
        });
    match (last, target) {
        (Segment::Map { key }, Some(toml::Value::Table(t))) => t.remove(key.as_str()).is_some(),
        (Segment::Seq { index }, Some(toml::Value::Array(a))) if *index < a.len() => {
            a.remove(*index);
            true
        }
        _ => false,
    }
}

/// How the message of [`refused`] starts; the rest is what follows the key.
const REFUSED: &str = "a scenario value refused";

/// The error a scenario type's own deserializer gives a value it reads but refuses (an axis of
/// `sweep.vary`, say), in the words validation gives a broken rule once the loader puts the key
/// in front: `KEY = VALUE: FIX`, or `KEY: FIX` when `value` is empty.
pub(super) fn refused<E: serde::de::Error>(value: impl Into<String>, fix: impl Into<String>) -> E {
    let rule = Invalid {
        key: REFUSED.to_string(),
        value: value.into(),
        fix: fix.into(),
    };
    E::custom(rule)
}

/// Turns serde's wording into the scenario's: key names, plain types and a "did you mean".
fn describe_serde_error(key: &str, raw: &str) -> String {
    let raw = raw.trim();
    if let Some(rule) = raw.strip_prefix(REFUSED) {
        return format!("{key}{rule}");
    }
    let quoted: Vec<&str> = raw.split('`').skip(1).step_by(2).collect();
    let expected = raw
        .split_once("expected")
        .map(|(_, e)| e.split('`').skip(1).step_by(2).collect::<Vec<_>>())
        .unwrap_or_default();
    if raw.starts_with("unknown field") {
        let bad = quoted.first().copied().unwrap_or("?");
        return format!(
            "unknown key `{key}`{}",
            hint(bad, &expected, "known keys here")
        );
    }
    if raw.starts_with("unknown variant") {
        let bad = quoted.first().copied().unwrap_or("?");
        return format!(
            "{key} = \"{bad}\" is not a known value{}",
            hint(bad, &expected, "known values")
        );
    }
    if raw.starts_with(ARRAY_FOR_TABLE) {
        // An array element cannot take a [header] of its own.
        let header = if key.ends_with(']') {
            String::new()
        } else {
            format!(", or write them under a [{key}] header")
        };
        return format!(
            "{key} must be a table, not an array: name its keys, e.g. \
             {{ key = value, ... }}{header}"
        );
    }
    if raw.starts_with("missing field") {
        let missing = quoted.first().copied().unwrap_or("?");
        let at = if key.is_empty() || key == "." {
            missing.to_string()
        } else {
            format!("{key}.{missing}")
        };
        return format!("`{at}` is missing: add it to the table");
    }
    if let Some(message) = describe_whole_number_error(raw) {
        return format!("{key} = {message}");
    }
    let mut plain = raw
        .replace("expected u64", "expected a whole number")
        .replace("expected u32", "expected a whole number")
        .replace("expected u16", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected a sequence", "expected an array")
        .replace("expected a boolean", "expected true or false")
        .replace("invalid type: ", "wrong type: ")
        .replace("invalid value: ", "");
    // serde names the Rust type of a table ("expected struct GiveUp"): say table instead.
    if let Some(at) = plain.find("expected struct ") {
        plain.truncate(at);
        plain.push_str("expected a table, e.g. { key = value, ... }");
    }
    format!("{key}: {plain}")
}

/// A number that a whole-number key cannot take, in the key's terms rather than its Rust type's
/// (whose range is not the key's own): a decimal or exponent, a negative count, one too large.
fn describe_whole_number_error(raw: &str) -> Option<String> {
    ["u64", "u32", "u16"]
        .into_iter()
        .find(|t| raw.ends_with(&format!("expected {t}")))?;
    let quoted = raw.split('`').nth(1)?;
    if raw.starts_with("invalid type: floating point") {
        let value: f64 = quoted.parse().ok()?;
        return Some(if value.fract() == 0.0 && value.abs() < 1e18 {
            format!(
                "{quoted}: must be a whole number, written without a decimal point or exponent \
                 ({value:.0})"
            )
        } else {
            format!("{quoted}: must be a whole number")
        });
    }
    if raw.starts_with("invalid value: integer") {
        return Some(if quoted.starts_with('-') {
            format!("{quoted}: must be a whole number of 0 or more")
        } else {
            format!("{quoted}: too large for this key")
        });
    }
    None
}

/// "; did you mean `x`?" for the closest known name, else the list of known names.
pub(super) fn hint(bad: &str, known: &[&str], what: &str) -> String {
    let best = known
        .iter()
        .map(|k| (strsim::normalized_damerau_levenshtein(bad, k), *k))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, name)) if score >= 0.5 => format!("; did you mean `{name}`?"),
        _ if known.is_empty() => String::new(),
        _ => format!(
            " ({what}: {})",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_parts_split_names_and_indices() {
        assert_eq!(
            key_parts("reps.give_up[1].share"),
            vec![
                KeyPart::Name("reps"),
                KeyPart::Name("give_up"),
                KeyPart::Index(1),
                KeyPart::Name("share")
            ]
        );
    }

    #[test]
    fn override_values_are_toml_or_plain_strings() {
        let o = Override::parse("leads.reachability.mean=0.08").unwrap();
        assert_eq!(o.value, toml::Value::Float(0.08));
        let o = Override::parse("routing.mode=shared-pool").unwrap();
        assert_eq!(o.value, toml::Value::String("shared-pool".into()));
        let o = Override::parse("reps.give_up=[{after=3,share=0.8}]").unwrap();
        assert!(o.value.is_array());
        assert!(Override::parse("no-equals-sign").is_err());
        assert!(Override::parse("a..b=1").is_err());
        assert!(Override::parse("reps.give_up[0].share=0.5").is_ok());
        for bad in ["a[=1", "a[]=1", "a[x]=1", "a[0]b=1", "[0]=1", "a[0=1"] {
            assert!(Override::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn members_set_by_an_override_are_counted_again() {
        let file = "[[team.members]]\nname = \"A\"\n[[team.members]]\nname = \"B\"\n\
                    [[team.members]]\nname = \"C\"\n";
        let two = "team.members=[{name=\"X\"},{name=\"Y\"}]";
        assert_eq!(load_with(file, &[two]).team.reps, 2);
        assert_eq!(load_with(file, &[]).team.reps, 3);
        // A stated number still has to match.
        let stated = format!("[team]\nreps = 3\n{file}");
        let overrides = [Override::parse(two).unwrap()];
        assert!(load_str(&stated, "test.toml", &overrides).is_err());
    }

    #[test]
    fn hint_suggests_the_closest_name() {
        assert_eq!(
            hint("meen", &["mean", "concentration", "decay"], "keys"),
            "; did you mean `mean`?"
        );
        assert!(hint("zzzzzz", &["mean", "decay"], "keys").contains("`mean`, `decay`"));
    }
}
