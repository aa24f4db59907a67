//! The paging schemes: month pages with `after=` (`/time_offs`), offset pages
//! (`/callbacks`, `/announcements`), and the absolute links they carry.

use chrono::{Months, NaiveDateTime};
use serde_json::{Value, json};

use crate::clock::fmt_local;

/// Items per offset page (`/callbacks`, `/announcements`) and per `/logs` page.
pub(crate) const PAGE_SIZE: usize = 50;

/// An absolute link to `path` under `base_url` with a form-encoded query.
pub(crate) fn link(base_url: &str, path: &str, query: &[(&str, String)]) -> String {
    let query = serde_urlencoded::to_string(query).unwrap_or_default();
    if query.is_empty() {
        format!("{base_url}{path}")
    } else {
        format!("{base_url}{path}?{query}")
    }
}

/// One page of a month-paged period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MonthPage {
    pub(crate) page_start: NaiveDateTime,
    pub(crate) page_end: NaiveDateTime,
    pub(crate) prev: Option<NaiveDateTime>,
    pub(crate) next: Option<NaiveDateTime>,
}

/// The page of `start..end` that begins at `after` (or at `start`). Pages are
/// `start + k months .. start + (k+1) months`, the last one cut at `end`; an
/// `after` between two page starts is snapped to the page that contains it.
pub(crate) fn month_page(
    start: NaiveDateTime,
    end: NaiveDateTime,
    after: Option<NaiveDateTime>,
) -> MonthPage {
    let at = after.unwrap_or(start).clamp(start, end);
    let bound = |k: u32| {
        start
            .checked_add_months(Months::new(k))
            .unwrap_or(end)
            .min(end)
    };
    let mut k = 0;
    while bound(k + 1) <= at && bound(k + 1) < end {
        k += 1;
    }
    let page_start = bound(k);
    let page_end = bound(k + 1);
    MonthPage {
        page_start,
        page_end,
        prev: (k > 0).then(|| bound(k - 1)),
        next: (page_end < end).then_some(page_end),
    }
}

impl MonthPage {
    /// The `metadata` object, with links under `base_url` + `path`.
    pub(crate) fn metadata(
        &self,
        base_url: &str,
        path: &str,
        start: NaiveDateTime,
        end: NaiveDateTime,
    ) -> Value {
        let link_to = |after: NaiveDateTime| {
            link(
                base_url,
                path,
                &[
                    ("start", fmt_local(start)),
                    ("end", fmt_local(end)),
                    ("after", fmt_local(after)),
                ],
            )
        };
        json!({
            "start": fmt_local(start),
            "end": fmt_local(end),
            "page_start": fmt_local(self.page_start),
            "page_end": fmt_local(self.page_end),
            "links": { "prev": self.prev.map(link_to), "next": self.next.map(link_to) },
        })
    }
}

/// `{data, pagination: {prev, next}}` for the page at `offset`; `link_to` builds
/// the link of another offset.
pub(crate) fn offset_page(
    items: Vec<Value>,
    offset: usize,
    link_to: impl Fn(usize) -> String,
) -> Value {
    let total = items.len();
    let data: Vec<Value> = items.into_iter().skip(offset).take(PAGE_SIZE).collect();
    let prev = (offset > 0).then(|| link_to(offset.saturating_sub(PAGE_SIZE)));
    let next = (offset + PAGE_SIZE < total).then(|| link_to(offset + PAGE_SIZE));
    json!({ "data": data, "pagination": { "prev": prev, "next": next } })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{date, hms};

    fn dt(y: i32, m: u32, d: u32) -> NaiveDateTime {
        date(y, m, d).and_time(hms(0, 0, 0))
    }

    #[test]
    fn pages_by_month() {
        let (start, end) = (dt(2018, 10, 1), dt(2019, 1, 1));
        let first = month_page(start, end, None);
        assert_eq!((first.page_start, first.page_end), (start, dt(2018, 11, 1)));
        assert_eq!((first.prev, first.next), (None, Some(dt(2018, 11, 1))));
        let last = month_page(start, end, Some(dt(2018, 12, 1)));
        assert_eq!(
            (last.page_end, last.prev, last.next),
            (end, Some(dt(2018, 11, 1)), None)
        );
        let snapped = month_page(start, end, Some(dt(2018, 11, 15)));
        assert_eq!(snapped.page_start, dt(2018, 11, 1));
        let short = month_page(start, dt(2018, 10, 20), None);
        assert_eq!((short.page_end, short.next), (dt(2018, 10, 20), None));
    }

    #[test]
    fn links_are_form_encoded() {
        let l = link(
            "http://h/v1",
            "/time_offs",
            &[("after", "2018-11-01 00:00:00".into())],
        );
        assert_eq!(l, "http://h/v1/time_offs?after=2018-11-01+00%3A00%3A00");
    }

    #[test]
    fn offset_pages() {
        let items: Vec<Value> = (0..120).map(|i| json!(i)).collect();
        let page = offset_page(items, 100, |o| format!("o={o}"));
        assert_eq!(page["data"].as_array().map(Vec::len), Some(20));
        assert_eq!(page["pagination"]["prev"], "o=50");
        assert!(page["pagination"]["next"].is_null());
    }
}
