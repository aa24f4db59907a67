//! The output formats, and a sink that writes rows in one of them as they arrive.

use std::io::{self, IsTerminal, Write};

use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

/// How rows are written to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table that fits the terminal (the default on a terminal).
    Table,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// One JSON array (the default when stdout is not a terminal).
    Json,
    /// One JSON object per line, written as pages arrive.
    Ndjson,
}

impl Format {
    /// `chosen`, or the default for where stdout goes.
    pub fn resolve(chosen: Option<Format>) -> Format {
        chosen.unwrap_or(if io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Json
        })
    }
}

/// Writes `value` to stdout as pretty JSON.
pub fn print_json<T: Serialize>(value: &T) -> io::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// A flat record with named columns: the JSON keys, CSV header and table header.
pub trait Row: Serialize {
    /// The column names, in order; also the serialized field names.
    const COLUMNS: &'static [&'static str];
    /// The cells, in column order, as text.
    fn cells(&self) -> Vec<String>;
}

/// A value as the text of one CSV or table cell.
pub trait Cell {
    /// The cell text; empty for no value.
    fn text(&self) -> String;
}

impl Cell for String {
    fn text(&self) -> String {
        self.clone()
    }
}

impl Cell for u64 {
    fn text(&self) -> String {
        self.to_string()
    }
}

impl Cell for i64 {
    fn text(&self) -> String {
        self.to_string()
    }
}

impl Cell for bool {
    fn text(&self) -> String {
        self.to_string()
    }
}

impl Cell for f64 {
    fn text(&self) -> String {
        self.to_string()
    }
}

impl<T: Cell> Cell for Option<T> {
    fn text(&self) -> String {
        self.as_ref().map(Cell::text).unwrap_or_default()
    }
}

/// Declares a [`Row`] struct whose columns are its fields, in order.
macro_rules! row {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$field_meta:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
        }

        impl $crate::output::Row for $name {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];
            fn cells(&self) -> Vec<String> {
                vec![$($crate::output::Cell::text(&self.$field)),*]
            }
        }
    };
}
pub(crate) use row;

/// Writes rows of one kind in one format. CSV, JSON and NDJSON are written as rows
/// arrive (constant memory); a table needs every row to size its columns.
pub struct Sink<W: Write> {
    state: State<W>,
    rows: usize,
}

enum State<W: Write> {
    Table(Box<Table>, W),
    Csv(Box<csv::Writer<W>>),
    Json(W),
    Ndjson(W),
}

impl<W: Write> Sink<W> {
    /// A sink for rows of type `R` in `format`, writing to `out`.
    pub fn new<R: Row>(out: W, format: Format) -> io::Result<Self> {
        let state = match format {
            Format::Table => {
                let mut table = Table::new();
                table
                    .set_content_arrangement(ContentArrangement::Dynamic)
                    .set_header(R::COLUMNS.iter().copied());
                State::Table(Box::new(table), out)
            }
            Format::Csv => {
                let mut csv = csv::Writer::from_writer(out);
                csv.write_record(R::COLUMNS)?;
                State::Csv(Box::new(csv))
            }
            Format::Json => State::Json(out),
            Format::Ndjson => State::Ndjson(out),
        };
        Ok(Self { state, rows: 0 })
    }

    /// Adds one row.
    pub fn push<R: Row>(&mut self, row: &R) -> io::Result<()> {
        match &mut self.state {
            State::Table(table, _) => {
                table.add_row(row.cells());
            }
            State::Csv(csv) => csv.write_record(row.cells())?,
            State::Json(out) => {
                out.write_all(if self.rows == 0 { b"[\n  " } else { b",\n  " })?;
                serde_json::to_writer(&mut *out, row)?;
            }
            State::Ndjson(out) => {
                serde_json::to_writer(&mut *out, row)?;
                out.write_all(b"\n")?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Makes what was pushed so far visible (after each page).
    pub fn flush(&mut self) -> io::Result<()> {
        match &mut self.state {
            State::Table(..) => Ok(()),
            State::Csv(csv) => csv.flush(),
            State::Json(out) | State::Ndjson(out) => out.flush(),
        }
    }

    /// Writes the end of the output.
    pub fn finish(self) -> io::Result<()> {
        match self.state {
            State::Table(table, mut out) => {
                writeln!(out, "{table}")?;
                out.flush()
            }
            State::Csv(mut csv) => csv.flush(),
            State::Json(mut out) => {
                out.write_all(if self.rows == 0 { b"[]\n" } else { b"\n]\n" })?;
                out.flush()
            }
            State::Ndjson(mut out) => out.flush(),
        }
    }
}
