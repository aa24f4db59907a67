//! Validation of request bodies and query strings with Laravel-style messages
//! ("The start field is required."), collected into one 422 `invalid_params` answer.
//!
//! Getters return a placeholder when a value is missing or malformed and record the
//! problem; [`Check::finish`] must be called before any value is used.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde_json::{Map, Value};

use crate::clock::{anchor, parse_date, parse_local};
use crate::error::ApiError;
use crate::limits::{FIRST_YEAR, LAST_YEAR, LIST_ITEMS, TEXT_CHARS, in_years, within_days};

/// Collects the problems of one request.
#[derive(Debug)]
pub(crate) struct Check<'a> {
    map: &'a Map<String, Value>,
    errors: Vec<String>,
}

fn label(name: &str) -> String {
    name.replace('_', " ")
}

/// Reads an id: a non-negative integer or a numeric string.
pub(crate) fn as_id(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Reads a flag: `true`/`false`, `0`/`1` or their string forms.
pub(crate) fn as_flag(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().filter(|n| *n == 0 || *n == 1).map(|n| n == 1),
        Value::String(s) => match s.trim() {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl<'a> Check<'a> {
    pub(crate) fn new(map: &'a Map<String, Value>) -> Self {
        Self {
            map,
            errors: Vec::new(),
        }
    }

    /// A present value: not absent, not `null`, not an empty string.
    fn value(&self, name: &str) -> Option<&'a Value> {
        self.map
            .get(name)
            .filter(|v| !v.is_null() && v.as_str() != Some(""))
    }

    /// Whether the body names the field at all.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.value(name).is_some()
    }

    /// Records a problem unless `ok` holds.
    pub(crate) fn ensure(&mut self, ok: bool, message: impl Into<String>) {
        if !ok {
            self.errors.push(message.into());
        }
    }

    fn required(&mut self, name: &str) -> Option<&'a Value> {
        let v = self.value(name);
        if v.is_none() {
            self.errors
                .push(format!("The {} field is required.", label(name)));
        }
        v
    }

    fn parse<T>(
        &mut self,
        name: &str,
        v: Option<&Value>,
        f: impl Fn(&Value) -> Option<T>,
        what: &str,
    ) -> Option<T> {
        let v = v?;
        let parsed = f(v);
        if parsed.is_none() {
            self.errors.push(format!("The {} {what}.", label(name)));
        }
        parsed
    }

    /// A text of at most [`TEXT_CHARS`] characters.
    fn text(&mut self, name: &str, v: Option<&Value>) -> Option<String> {
        let text = self.parse(
            name,
            v,
            |v| v.as_str().map(str::to_owned),
            "must be a string",
        )?;
        if text.chars().count() > TEXT_CHARS {
            self.errors.push(format!(
                "The {} may not be greater than {TEXT_CHARS} characters.",
                label(name)
            ));
            return None;
        }
        Some(text)
    }

    pub(crate) fn req_str(&mut self, name: &str) -> String {
        let v = self.required(name);
        self.text(name, v).unwrap_or_default()
    }

    pub(crate) fn opt_str(&mut self, name: &str) -> Option<String> {
        let v = self.value(name);
        self.text(name, v)
    }

    pub(crate) fn req_id(&mut self, name: &str) -> u64 {
        let v = self.required(name);
        self.parse(name, v, as_id, "must be an integer")
            .unwrap_or_default()
    }

    pub(crate) fn opt_id(&mut self, name: &str) -> Option<u64> {
        let v = self.value(name);
        self.parse(name, v, as_id, "must be an integer")
    }

    pub(crate) fn req_int(&mut self, name: &str) -> i64 {
        let v = self.required(name);
        self.parse(
            name,
            v,
            |v| as_f64(v).filter(|f| f.fract() == 0.0).map(|f| f as i64),
            "must be an integer",
        )
        .unwrap_or_default()
    }

    pub(crate) fn opt_int(&mut self, name: &str) -> Option<i64> {
        let v = self.value(name);
        self.parse(
            name,
            v,
            |v| as_f64(v).filter(|f| f.fract() == 0.0).map(|f| f as i64),
            "must be an integer",
        )
    }

    pub(crate) fn req_f64(&mut self, name: &str) -> f64 {
        let v = self.required(name);
        self.parse(name, v, as_f64, "must be a number")
            .unwrap_or_default()
    }

    pub(crate) fn opt_f64(&mut self, name: &str) -> Option<f64> {
        let v = self.value(name);
        self.parse(name, v, as_f64, "must be a number")
    }

    pub(crate) fn opt_flag(&mut self, name: &str) -> Option<bool> {
        let v = self.value(name);
        self.parse(name, v, as_flag, "field must be true or false")
    }

    /// A parsed date or date-time, if its year is within the sandbox's bounds.
    fn in_years<T: Datelike>(&mut self, name: &str, date: Option<T>) -> Option<T> {
        let date = date?;
        if in_years(&date) {
            return Some(date);
        }
        self.errors.push(format!(
            "The {} must be a date between {FIRST_YEAR}-01-01 and {LAST_YEAR}-12-31.",
            label(name)
        ));
        None
    }

    fn local(&mut self, name: &str, v: Option<&Value>) -> Option<NaiveDateTime> {
        let parsed = self.parse(
            name,
            v,
            |v| v.as_str().and_then(parse_local),
            "does not match the format Y-m-d H:i:s",
        );
        self.in_years(name, parsed)
    }

    fn date(&mut self, name: &str, v: Option<&Value>) -> Option<NaiveDate> {
        let parsed = self.parse(
            name,
            v,
            |v| v.as_str().and_then(parse_date),
            "does not match the format Y-m-d",
        );
        self.in_years(name, parsed)
    }

    pub(crate) fn req_local(&mut self, name: &str) -> NaiveDateTime {
        let v = self.required(name);
        self.local(name, v).unwrap_or_else(anchor)
    }

    pub(crate) fn opt_local(&mut self, name: &str) -> Option<NaiveDateTime> {
        let v = self.value(name);
        self.local(name, v)
    }

    pub(crate) fn req_date(&mut self, name: &str) -> NaiveDate {
        let v = self.required(name);
        self.date(name, v).unwrap_or_else(|| anchor().date())
    }

    pub(crate) fn opt_date(&mut self, name: &str) -> Option<NaiveDate> {
        let v = self.value(name);
        self.date(name, v)
    }

    /// Records a problem unless `start..end` lasts at most `max_days` days;
    /// `what` names the period in the message.
    pub(crate) fn span(
        &mut self,
        start: NaiveDateTime,
        end: NaiveDateTime,
        max_days: i64,
        what: &str,
    ) {
        self.ensure(
            within_days(start, end, max_days),
            format!("The {what} may not be longer than {max_days} days."),
        );
    }

    /// A list of ids (`required`: the field must be present, possibly empty).
    pub(crate) fn id_list(&mut self, name: &str, required: bool) -> Vec<u64> {
        match self.map.get(name) {
            None | Some(Value::Null) => {
                if required {
                    self.errors
                        .push(format!("The {} field is required.", label(name)));
                }
                Vec::new()
            }
            Some(v) => self.ids_of(name, v),
        }
    }

    /// Reads a value that must be an array of at most [`LIST_ITEMS`] ids.
    pub(crate) fn ids_of(&mut self, name: &str, v: &Value) -> Vec<u64> {
        match v
            .as_array()
            .map(|a| a.iter().map(as_id).collect::<Option<Vec<_>>>())
        {
            Some(Some(ids)) if ids.len() > LIST_ITEMS => {
                self.errors.push(format!(
                    "The {} may not have more than {LIST_ITEMS} items.",
                    label(name)
                ));
                Vec::new()
            }
            Some(Some(ids)) => ids,
            _ => {
                self.errors
                    .push(format!("The {} must be an array of ids.", label(name)));
                Vec::new()
            }
        }
    }

    /// Ends the check: 422 with every recorded problem, if any.
    pub(crate) fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(self.errors))
        }
    }
}

/// The required `start`/`end` local date-times of a request, `end` after `start`
/// and at most `max_days` days later.
pub(crate) fn period(
    map: &Map<String, Value>,
    max_days: i64,
) -> Result<(NaiveDateTime, NaiveDateTime), ApiError> {
    let mut c = Check::new(map);
    let (start, end) = (c.req_local("start"), c.req_local("end"));
    c.finish()?;
    let mut c = Check::new(map);
    c.ensure(end > start, "The end must be a date after start.");
    c.span(start, end, max_days, "period from start to end");
    c.finish()?;
    Ok((start, end))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn collects_every_problem() {
        let body = json!({"user_id": "12", "start": "nope", "ids": [1, "2"]});
        let map = body.as_object().unwrap();
        let mut c = Check::new(map);
        assert_eq!(c.req_id("user_id"), 12);
        c.req_local("start");
        c.req_str("name");
        assert_eq!(c.id_list("ids", true), vec![1, 2]);
        let Err(ApiError::Invalid(errors)) = c.finish() else {
            panic!("expected 422")
        };
        assert_eq!(
            errors,
            vec![
                "The start does not match the format Y-m-d H:i:s.",
                "The name field is required."
            ]
        );
    }
}
