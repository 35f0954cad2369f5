//! CSV files, every row written by the csv crate's `serialize`. Fixed columns are the fields
//! of a `#[derive(Serialize)]` struct, and csv takes the header from their names. Columns known
//! only at run time (one per metric, per varied path, per team) are a list of [`Column`]s,
//! each its name and how a row fills it: csv derives a header only from a struct's fixed
//! `&'static str` field names (not from a map's keys, nor from a nested struct), so
//! [`write_columns`] takes the header from the columns' names and each record from their cells.
//! One list gives both, in one order, so they cannot drift apart.

use std::io::{self, Write};

use serde::{Serialize, Serializer};

/// Serializes a number as Rust's `f64::to_string()` writes it (`1000`, `0.25`, `inf`), and NaN,
/// a figure that cannot be computed, as an empty cell; the csv crate's own format would write
/// `1000.0`. For `#[serde(serialize_with = "number")]`, and behind [`Cell::Number`].
pub fn number<S: Serializer>(x: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if x.is_nan() {
        serializer.serialize_str("")
    } else {
        serializer.collect_str(x)
    }
}

/// Writes `rows` of fixed columns under a header of their field names (no rows, no header).
pub fn write_rows<R: Serialize>(
    out: &mut dyn Write,
    rows: impl IntoIterator<Item = R>,
) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    for row in rows {
        writer.serialize(row)?;
    }
    writer.flush()
}

/// A statistic of a summary `T` (a week's band, a metric's summary): the name its columns end
/// in (`mean`, `p10`), and how to read it.
pub type Statistic<T> = (&'static str, fn(&T) -> f64);

/// What a [`Column`] holds in one row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    /// A count or a position: a replication, a week, a rank.
    Whole(usize),
    Number(#[serde(serialize_with = "number")] f64),
    /// No value: the cell stays empty.
    Empty,
}

impl From<Option<f64>> for Cell {
    fn from(value: Option<f64>) -> Self {
        value.map_or(Cell::Empty, Cell::Number)
    }
}

/// A column whose name is known only at run time: its name, and its cell in each row `R`.
pub struct Column<'a, R> {
    name: String,
    cell: Box<dyn Fn(&R) -> Cell + 'a>,
}

impl<'a, R> Column<'a, R> {
    pub fn new(name: impl Into<String>, cell: impl Fn(&R) -> Cell + 'a) -> Self {
        Column {
            name: name.into(),
            cell: Box::new(cell),
        }
    }
}

/// Writes `rows` under `columns`: a header of the columns' names, then each row's cells.
pub fn write_columns<R>(
    out: &mut dyn Write,
    columns: &[Column<'_, R>],
    rows: impl IntoIterator<Item = R>,
) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    writer.write_record(columns.iter().map(|column| &column.name))?;
    for row in rows {
        writer.serialize(Record { columns, row: &row })?;
    }
    writer.flush()
}

/// One row's cells, in the order of the columns.
struct Record<'r, 'a, R> {
    columns: &'r [Column<'a, R>],
    row: &'r R,
}

impl<R> Serialize for Record<'_, '_, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.columns.iter().map(|column| (column.cell)(self.row)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_rust_writes_them_and_nan_left_empty() {
        #[derive(Serialize)]
        struct Row {
            name: &'static str,
            #[serde(serialize_with = "number")]
            value: f64,
        }
        let mut out = Vec::new();
        let rows =
            [1000.0, 0.25, f64::NAN, f64::INFINITY, -3.0].map(|value| Row { name: "x", value });
        write_rows(&mut out, rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "name,value\nx,1000\nx,0.25\nx,\nx,inf\nx,-3\n");
        let mut out = Vec::new();
        let columns = [
            Column::new("n", |&i: &usize| Cell::Whole(i)),
            Column::new("half, or none", |&i: &usize| {
                (i > 0).then(|| i as f64 / 2.0).into()
            }),
        ];
        write_columns(&mut out, &columns, 0..3).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "n,\"half, or none\"\n0,\n1,0.5\n2,1\n");
    }
}
