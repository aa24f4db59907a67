//! The bounds on what the sandbox accepts, so that no request can make it work
//! without end: the length of a requested period and of a stored time off, the
//! years of a date, the length of a text, the number of items in a list and the
//! size of a body. Breaking one answers at once: 422 `invalid_params` (413 for a
//! body), in the API's error shape. The README and the spec's descriptions state
//! the same numbers.

use chrono::{Datelike, NaiveDateTime};

/// The longest `GET /schedule` period: 93 days (a quarter).
pub(crate) const SCHEDULE_DAYS: i64 = 93;

/// The longest period of every other range (`/time_offs`, `/payroll`,
/// `/availability_periods`, `/day_labels`, batch finalization) and the longest
/// time off that can be stored: 366 days.
pub(crate) const RANGE_DAYS: i64 = 366;

/// The first year a date may have.
pub(crate) const FIRST_YEAR: i32 = 1900;

/// The last year a date may have.
pub(crate) const LAST_YEAR: i32 = 2199;

/// The most characters a text field may have.
pub(crate) const TEXT_CHARS: usize = 10_000;

/// The most items a list in a request body may have (ids, dates, batch entries).
pub(crate) const LIST_ITEMS: usize = 1_000;

/// The most assignment-dates one batch finalization may name.
pub(crate) const BATCH_DATES: usize = 5_000;

/// The largest request body, multipart uploads included: 1 MiB. The one place it
/// is enforced is `layers::observe`, which reads every body before any route sees it.
pub(crate) const BODY_BYTES: usize = 1 << 20;

/// Whether a date lies within [`FIRST_YEAR`]..=[`LAST_YEAR`].
pub(crate) fn in_years(date: &impl Datelike) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&date.year())
}

/// Whether `start..end` lasts at most `max_days` days.
pub(crate) fn within_days(start: NaiveDateTime, end: NaiveDateTime, max_days: i64) -> bool {
    (end - start).num_seconds() <= max_days * 86_400
}
