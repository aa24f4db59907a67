//! Tables as `gh` and `kubectl` print them: a header line, then one line per row,
//! columns as wide as their content and two spaces apart, numbers right-aligned.
//! When the lines are wider than the terminal, the widest free-text column is cut
//! with `…`; dates, times, numbers and ids are never cut.

use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Between two columns.
const GAP: &str = "  ";

/// A column is not cut narrower than this.
const NARROWEST: usize = 6;

/// The rows of a table, kept until all have arrived.
pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    /// Every value of the column seen so far is a number (or missing).
    numeric: Vec<bool>,
    /// The column holds a date, a time or a boolean.
    fixed: Vec<bool>,
}

impl Table {
    /// A table with these column names.
    pub fn new(header: &[&'static str]) -> Self {
        Table {
            header: header.to_vec(),
            rows: Vec::new(),
            numeric: vec![true; header.len()],
            fixed: vec![false; header.len()],
        }
    }

    /// Adds a row: each cell's text and its JSON value, in column order.
    pub fn push(&mut self, cells: Vec<(String, Value)>) {
        let mut row = Vec::with_capacity(cells.len());
        for (column, (text, value)) in cells.into_iter().enumerate() {
            if let (Some(numeric), Some(fixed)) =
                (self.numeric.get_mut(column), self.fixed.get_mut(column))
            {
                match &value {
                    Value::Null => {}
                    Value::Number(_) => {}
                    Value::Bool(_) => {
                        *numeric = false;
                        *fixed = true;
                    }
                    _ => {
                        *numeric = false;
                        *fixed |= is_date_or_time(&text);
                    }
                }
            }
            // One line per row: a line break inside a cell would start another.
            row.push(text.replace(['\n', '\r', '\t'], " "));
        }
        self.rows.push(row);
    }

    /// Whether column `column` may be cut: free text, not an id.
    fn cuttable(&self, column: usize) -> bool {
        let name = self.header.get(column).copied().unwrap_or_default();
        let id = name == "id" || name.ends_with("_id");
        !id && !self.numeric.get(column).copied().unwrap_or(true)
            && !self.fixed.get(column).copied().unwrap_or(true)
    }

    /// The table as text, its lines at most `width` columns wide if that can be done
    /// by cutting free text.
    pub fn render(&self, width: Option<usize>) -> String {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        if let Some(limit) = width {
            self.fit(&mut widths, limit);
        }
        let mut text = String::new();
        let header: Vec<String> = self.header.iter().map(|h| (*h).to_owned()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            for (column, (cell, &w)) in row.iter().zip(&widths).enumerate() {
                if column > 0 {
                    line.push_str(GAP);
                }
                let cell = cut(cell, w);
                let pad = " ".repeat(w.saturating_sub(cell.width()));
                if self.numeric.get(column).copied().unwrap_or(false) {
                    line.push_str(&pad);
                    line.push_str(&cell);
                } else {
                    line.push_str(&cell);
                    line.push_str(&pad);
                }
            }
            text.push_str(line.trim_end());
            text.push('\n');
        }
        text
    }

    /// Narrows the widest cuttable columns, a column at a time, until the line fits
    /// in `limit` or nothing more can be cut.
    fn fit(&self, widths: &mut [usize], limit: usize) {
        let gaps = GAP.len() * widths.len().saturating_sub(1);
        let mut total: usize = widths.iter().sum::<usize>() + gaps;
        while total > limit {
            let widest = (0..widths.len())
                .filter(|&c| self.cuttable(c) && widths[c] > NARROWEST)
                .max_by_key(|&c| (widths[c], std::cmp::Reverse(c)));
            let Some(column) = widest else { break };
            widths[column] -= 1;
            total -= 1;
        }
    }
}

/// `text` cut to `width` columns, ending in `…` if it was cut.
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        kept.push(c);
        used += w;
    }
    kept.push('…');
    kept
}

/// `2025-06-02`, `2025-06-02 07:00:00`, `07:00`: text a cut would make wrong.
fn is_date_or_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let at = |i: usize, c: u8| bytes.get(i) == Some(&c);
    let date = digits(0..4) && at(4, b'-') && digits(5..7) && at(7, b'-') && digits(8..10);
    let time = digits(0..2) && at(2, b':') && digits(3..5);
    date || time
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut table = Table::new(&["date", "name", "user_id", "hours"]);
        for (date, name, id, hours) in [
            ("2025-06-02", "Avery Holt, Station 1 engine", 1001, 24.0),
            ("2025-06-02", "Bo Li", 1002, 12.5),
        ] {
            table.push(vec![
                (date.to_owned(), Value::from(date)),
                (name.to_owned(), Value::from(name)),
                (id.to_string(), Value::from(id)),
                (hours.to_string(), Value::from(hours)),
            ]);
        }
        table
    }

    #[test]
    fn a_table_is_a_header_and_one_line_per_row_with_numbers_right_aligned() {
        assert_eq!(
            table().render(None),
            "date        name                          user_id  hours\n\
             2025-06-02  Avery Holt, Station 1 engine     1001     24\n\
             2025-06-02  Bo Li                            1002   12.5\n"
        );
    }

    #[test]
    fn a_narrow_terminal_cuts_the_free_text_and_never_a_date_or_an_id() {
        let text = table().render(Some(40));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.width() <= 40), "{text}");
        assert!(lines[1].starts_with("2025-06-02  Avery Holt"), "{text}");
        assert!(
            lines[1].contains('…') && lines[1].contains("1001"),
            "{text}"
        );
    }

    #[test]
    fn what_cannot_be_cut_stays_whole_even_if_it_is_too_wide() {
        let text = table().render(Some(10));
        assert!(
            text.lines()
                .nth(1)
                .unwrap()
                .starts_with("2025-06-02  Avery…")
        );
    }

    #[test]
    fn dates_and_times_are_recognised() {
        assert!(is_date_or_time("2025-06-02 07:00:00"));
        assert!(is_date_or_time("07:00"));
        assert!(!is_date_or_time("Engine 7"));
        assert_eq!(cut("Ångström units", 5), "Ångs…");
    }
}
