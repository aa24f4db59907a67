//! The output formats, the settings every command writes with ([`Output`]), and a
//! sink that writes rows in one of them as they arrive.

use std::io::{self, IsTerminal, Write};

use serde::Serialize;
use serde_json::Value;

use crate::failure::Failure;
use crate::jq::Jq;
use crate::table;

/// How rows are written to stdout.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Aligned columns, one line per row (the default on a terminal).
    Table,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// One JSON array (the default when stdout is not a terminal).
    Json,
    /// One JSON object per line, written as pages arrive.
    Ndjson,
}

/// How a command writes: the format, the chosen fields, the `--jq` filter and the
/// width a table must fit. Built once from the flags, the profile and the defaults.
pub struct Output {
    /// The format.
    pub format: Format,
    /// `--fields`: the columns (or keys) to write, in this order.
    pub fields: Option<Vec<String>>,
    /// `--jq`: the filter JSON output goes through.
    pub jq: Option<Jq>,
    /// The width a table is cut to, if known (`COLUMNS`, else the terminal's).
    pub width: Option<usize>,
}

impl Output {
    /// The settings for `format` (else the profile's, else table on a terminal and
    /// JSON elsewhere), `fields`, and the filter `jq` (JSON, or NDJSON if asked for).
    pub fn new(
        format: Option<Format>,
        profile_format: Option<Format>,
        fields: Option<&str>,
        jq: Option<&str>,
    ) -> Result<Output, Failure> {
        let jq = jq.map(Jq::parse).transpose()?;
        let format = match (format, &jq) {
            (Some(Format::Table | Format::Csv), Some(_)) => {
                return Err(Failure::usage(
                    "--jq filters JSON: use it with --format json or ndjson",
                ));
            }
            (Some(format), _) => format,
            // A filter reads JSON, whatever the profile prefers.
            (None, Some(_)) => match profile_format {
                Some(Format::Ndjson) => Format::Ndjson,
                _ => Format::Json,
            },
            (None, None) => profile_format.unwrap_or(if io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Json
            }),
        };
        let fields = fields.map(|list| {
            list.split(',')
                .map(|name| name.trim().to_owned())
                .filter(|name| !name.is_empty())
                .collect()
        });
        Ok(Output {
            format,
            fields,
            jq,
            width: terminal_width(),
        })
    }

    /// The indices of the columns of `R` to write: `--fields` in its order, or all.
    pub fn columns(&self, names: &[&str]) -> Result<Vec<usize>, Failure> {
        let Some(fields) = &self.fields else {
            return Ok((0..names.len()).collect());
        };
        fields
            .iter()
            .map(|field| {
                names.iter().position(|name| name == field).ok_or_else(|| {
                    Failure::usage(format!(
                        "--fields: no field `{field}`; the fields are {}",
                        names.join(", ")
                    ))
                })
            })
            .collect()
    }

    /// Refuses `--fields` where a command has no columns to choose from.
    pub fn no_fields(&self, command: &str) -> Result<(), Failure> {
        match &self.fields {
            Some(_) => Err(Failure::usage(format!(
                "--fields chooses the columns of the task commands; {command} has none (--jq picks from its JSON)"
            ))),
            None => Ok(()),
        }
    }

    /// Writes one JSON document: pretty, or through `--jq`.
    pub fn write_json<T: Serialize + ?Sized>(
        &self,
        out: &mut impl Write,
        value: &T,
    ) -> Result<(), Failure> {
        match &self.jq {
            Some(jq) => {
                let text = serde_json::to_vec(value).map_err(io::Error::from)?;
                jq.run(&text, out)?;
            }
            None => {
                serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
                out.write_all(b"\n")?;
            }
        }
        Ok(out.flush()?)
    }
}

/// `COLUMNS` if it is a number, else the width of the terminal stdout is, if it is one.
fn terminal_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return Some(columns);
    }
    console::Term::stdout()
        .size_checked()
        .map(|(_, columns)| usize::from(columns))
}

/// A flat record with named columns: the JSON keys, CSV header and table header.
pub trait Row: Serialize {
    /// The column names, in order; also the serialized field names.
    const COLUMNS: &'static [&'static str];
    /// The cells, in column order, as text.
    fn cells(&self) -> Vec<String>;
    /// The cells, in column order, as JSON values.
    fn values(&self) -> Vec<Value>;
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

/// `value` as JSON, `null` if it cannot be one.
pub fn json_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
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
            fn values(&self) -> Vec<serde_json::Value> {
                vec![$($crate::output::json_value(&self.$field)),*]
            }
        }
    };
}
pub(crate) use row;

/// Writes rows of one kind in one format. CSV, JSON and NDJSON are written as rows
/// arrive (constant memory, except JSON through `--jq`, which filters the whole
/// array); a table needs every row to size its columns. A reader that goes away is
/// [`Failure::OutputClosed`], so that the command stops fetching and exits quietly.
pub struct Sink<'o, W: Write> {
    out: W,
    output: &'o Output,
    names: &'static [&'static str],
    columns: Vec<usize>,
    state: State,
    rows: usize,
}

enum State {
    Table(table::Table),
    Csv,
    Json,
    /// The array, kept for `--jq`.
    JsonFiltered(Vec<u8>),
    Ndjson,
}

impl<'o, W: Write> Sink<'o, W> {
    /// A sink for rows of type `R` as `output` says, writing to `out`.
    pub fn new<R: Row>(out: W, output: &'o Output) -> Result<Self, Failure> {
        let columns = output.columns(R::COLUMNS)?;
        let header: Vec<&'static str> = columns
            .iter()
            .filter_map(|&i| R::COLUMNS.get(i).copied())
            .collect();
        let state = match output.format {
            Format::Table => State::Table(table::Table::new(&header)),
            Format::Csv => State::Csv,
            Format::Json if output.jq.is_some() => State::JsonFiltered(b"[".to_vec()),
            Format::Json => State::Json,
            Format::Ndjson => State::Ndjson,
        };
        let mut sink = Self {
            out,
            output,
            names: R::COLUMNS,
            columns,
            state,
            rows: 0,
        };
        if let State::Csv = sink.state {
            sink.csv_record(header)?;
        }
        Ok(sink)
    }

    /// Adds one row.
    pub fn push<R: Row>(&mut self, row: &R) -> Result<(), Failure> {
        match &mut self.state {
            State::Table(table) => {
                let (cells, values) = (row.cells(), row.values());
                let pick = |i: &usize| {
                    let cell = cells.get(*i).cloned().unwrap_or_default();
                    (cell, values.get(*i).cloned().unwrap_or(Value::Null))
                };
                table.push(self.columns.iter().map(pick).collect());
            }
            State::Csv => {
                let cells = row.cells();
                let chosen: Vec<&str> = self
                    .columns
                    .iter()
                    .map(|&i| cells.get(i).map_or("", String::as_str))
                    .collect();
                self.csv_record(chosen)?;
            }
            State::Json => {
                let object = self.object(row);
                self.out
                    .write_all(if self.rows == 0 { b"[\n  " } else { b",\n  " })?;
                self.out.write_all(&object)?;
            }
            State::JsonFiltered(buffer) => {
                if self.rows > 0 {
                    buffer.push(b',');
                }
                let object = object(self.names, &self.columns, row);
                buffer.extend_from_slice(&object);
            }
            State::Ndjson => {
                let object = self.object(row);
                match &self.output.jq {
                    Some(jq) => jq.run(&object, &mut self.out)?,
                    None => {
                        self.out.write_all(&object)?;
                        self.out.write_all(b"\n")?;
                    }
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn object<R: Row>(&self, row: &R) -> Vec<u8> {
        object(self.names, &self.columns, row)
    }

    /// One CSV record, encoded in memory and written out, so that a closed pipe is
    /// an I/O error of its own kind.
    fn csv_record<'a>(&mut self, record: impl IntoIterator<Item = &'a str>) -> Result<(), Failure> {
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(record)
            .map_err(|e| Failure::Api(format!("could not write CSV: {e}")))?;
        let bytes = csv
            .into_inner()
            .map_err(|e| Failure::Api(format!("could not write CSV: {}", e.error())))?;
        Ok(self.out.write_all(&bytes)?)
    }

    /// Makes what was pushed so far visible (after each page).
    pub fn flush(&mut self) -> Result<(), Failure> {
        match self.state {
            State::Table(_) | State::JsonFiltered(_) => Ok(()),
            State::Csv | State::Json | State::Ndjson => Ok(self.out.flush()?),
        }
    }

    /// Writes the end of the output.
    pub fn finish(mut self) -> Result<(), Failure> {
        match self.state {
            State::Table(table) => {
                self.out
                    .write_all(table.render(self.output.width).as_bytes())?;
            }
            State::Csv | State::Ndjson => {}
            State::Json => {
                self.out
                    .write_all(if self.rows == 0 { b"[]\n" } else { b"\n]\n" })?;
            }
            State::JsonFiltered(mut buffer) => {
                buffer.push(b']');
                if let Some(jq) = &self.output.jq {
                    jq.run(&buffer, &mut self.out)?;
                }
            }
        }
        Ok(self.out.flush()?)
    }
}

/// The JSON object of `row` with the keys `columns` pick from `names`, in that order.
fn object<R: Row>(names: &[&str], columns: &[usize], row: &R) -> Vec<u8> {
    let values = row.values();
    let mut text = b"{".to_vec();
    for (n, &i) in columns.iter().enumerate() {
        if n > 0 {
            text.push(b',');
        }
        // Keys are plain identifiers and values are JSON: neither can fail to encode.
        let name = names.get(i).copied().unwrap_or_default();
        let value = values.get(i).unwrap_or(&Value::Null);
        text.extend_from_slice(serde_json::to_string(name).unwrap_or_default().as_bytes());
        text.push(b':');
        text.extend_from_slice(
            serde_json::to_string(value)
                .unwrap_or_else(|_| "null".to_owned())
                .as_bytes(),
        );
    }
    text.push(b'}');
    text
}
