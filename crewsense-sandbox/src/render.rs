//! Rendering helpers shared by the route sections: references to users and other
//! records, optional values, and ids as numbers or strings (the API sends both,
//! depending on the endpoint).

use chrono::NaiveDateTime;
use serde_json::{Value, json};

use crate::clock::{fmt_local, fmt_ts};
use crate::state::App;
use crate::store::Store;

/// How an endpoint writes its ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdStyle {
    /// `"id": 98`
    Num,
    /// `"id": "98"`, as several endpoints send them.
    Str,
}

impl IdStyle {
    pub(crate) fn of(self, id: u64) -> Value {
        match self {
            IdStyle::Num => json!(id),
            IdStyle::Str => json!(id.to_string()),
        }
    }
}

/// `{id, name, href}` for a user, with an absolute href.
pub(crate) fn user_ref(app: &App, s: &Store, id: u64, ids: IdStyle) -> Value {
    json!({ "id": ids.of(id), "name": s.user_name(id), "href": app.href("users", id) })
}

/// [`user_ref`] or `null`.
pub(crate) fn user_ref_opt(app: &App, s: &Store, id: Option<u64>, ids: IdStyle) -> Value {
    id.map_or(Value::Null, |id| user_ref(app, s, id, ids))
}

/// `{id, name}` for a user, without href.
pub(crate) fn user_name_ref(s: &Store, id: u64, ids: IdStyle) -> Value {
    json!({ "id": ids.of(id), "name": s.user_name(id) })
}

/// A local date-time or `null`.
pub(crate) fn local_opt(dt: Option<NaiveDateTime>) -> Value {
    dt.map_or(Value::Null, |dt| json!(fmt_local(dt)))
}

/// A timestamp with offset or `null`.
pub(crate) fn ts_opt(dt: Option<NaiveDateTime>) -> Value {
    dt.map_or(Value::Null, |dt| json!(fmt_ts(dt)))
}

/// A decimal as the API's string form with two places (`"0.00"`).
pub(crate) fn decimal_str(v: f64) -> Value {
    json!(format!("{v:.2}"))
}

/// An id or `null`.
pub(crate) fn id_opt(id: Option<u64>) -> Value {
    id.map_or(Value::Null, |id| json!(id))
}
