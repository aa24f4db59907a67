//! The paged operations: the `Client` methods that return a [`Paginated`] stream,
//! and how each paging scheme fetches a page and finds the next one.

use chrono::{Datelike, Days, Months};
use crewsense_gen::types::{Announcement, Callback, LogEntry, PageLinks, ScheduleDay, TimeOff};
use crewsense_gen::wire::{Date, LocalDateTime};

use super::link::{follow, param};
use super::{Cursor, Fetched, Page, PageInfo, Paginated, PagingError};
use crate::api::ApiResult;
use crate::time::DateRange;
use crate::{Client, Error};

/// `/logs` answers 50 entries a page.
const LOG_PAGE_SIZE: usize = 50;

/// How much of the schedule one request covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Period {
    /// Seven days at a time, from the first day of the range.
    Week,
    /// A calendar month at a time.
    Month,
}

impl Client {
    /// The time off of `range`, one calendar month per period (`GET /time_offs`), up
    /// to [`Paginated::concurrency`] months at once; a month the server pages further
    /// follows its own `next` links.
    ///
    /// The API splits long entries into segments (one item each, sharing the entry's
    /// `id`). Each segment comes out once, in the month in which it starts: a server
    /// that also lists a segment in the month it reaches into (it overlaps both) has
    /// that copy dropped. Segments that start before the range belong to its first
    /// month, and items without a `start` are kept as sent.
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// use crewsense::time::DateRange;
    ///
    /// let june = DateRange::month(2025, 6).expect("a month");
    /// let entries = client.time_offs(june).collect().await?;
    /// println!("{} time-off entries", entries.len());
    /// # Ok(()) }
    /// ```
    pub fn time_offs(&self, range: impl Into<DateRange>) -> Paginated<TimeOff> {
        let range = range.into();
        let starts = periods(range, Period::Month).map(Cursor::Period);
        Paginated::periods(self, "list_time_offs", starts, move |client, cursor| {
            time_off_page(client, cursor, range)
        })
    }

    /// Every CallBack, optionally only those of `range` (`GET /callbacks`, offset
    /// paging).
    pub fn callbacks(&self, range: Option<DateRange>) -> Paginated<Callback> {
        let window = range.map(|r| r.window());
        Paginated::new(
            self,
            "list_callbacks",
            Cursor::Start,
            move |client, cursor| {
                offset_page(
                    client,
                    cursor,
                    "/callbacks",
                    async move |api, offset| {
                        let mut request = api.list_callbacks();
                        if let Some((start, end)) = window {
                            request = request.start(start).end(end);
                        }
                        if let Some(offset) = offset {
                            request = request.offset(offset);
                        }
                        request.send().await
                    },
                    |answer| (answer.data, answer.pagination),
                )
            },
        )
    }

    /// Every announcement (`GET /announcements`, offset paging).
    pub fn announcements(&self) -> Paginated<Announcement> {
        Paginated::new(
            self,
            "list_announcements",
            Cursor::Start,
            |client, cursor| {
                offset_page(
                    client,
                    cursor,
                    "/announcements",
                    async |api, offset| match offset {
                        Some(offset) => api.list_announcements().offset(offset).send().await,
                        None => api.list_announcements().send().await,
                    },
                    |answer| (answer.data, answer.pagination),
                )
            },
        )
    }

    /// The system log, 50 entries a page, from the first entry or from those created
    /// after `after` (`GET /logs`).
    ///
    /// Production sends no page links here: a full page continues after the newest
    /// `created` time it holds, in the organisation's local time.
    pub fn logs(&self, after: Option<LocalDateTime>) -> Paginated<LogEntry> {
        let first = after.map_or(Cursor::Start, Cursor::After);
        Paginated::new(self, "list_logs", first, log_page)
    }

    /// The schedule of `range` one period at a time, as `(date, day)` in date order.
    ///
    /// Production's `/schedule` sends no page links, so the periods are computed here;
    /// each page covers one [`Period`] (the first and last ones are cut at the ends of
    /// `range`), and up to [`Paginated::concurrency`] periods are fetched at once.
    pub fn schedule_days(
        &self,
        range: impl Into<DateRange>,
        period: Period,
    ) -> Paginated<(Date, ScheduleDay)> {
        let starts = periods(range.into(), period).map(Cursor::Period);
        Paginated::periods(self, "get_schedule", starts, schedule_page)
    }
}

async fn time_off_page(
    client: Client,
    cursor: Cursor,
    range: DateRange,
) -> Result<Fetched<TimeOff>, Error> {
    let (period, link) = match cursor {
        Cursor::Period(period) => (period, None),
        Cursor::Within(period, query) => (period, Some(query)),
        other => return Err(PagingError::InvalidLink(other.to_string()).into()),
    };
    if period.is_empty() {
        return Ok(Fetched {
            page: Page::empty(period),
            next: None,
        });
    }
    let (start, end) = period.window();
    let (start, end, after) = match &link {
        Some(query) => (
            parsed_param(query, "start")?.unwrap_or(start),
            parsed_param(query, "end")?.unwrap_or(end),
            parsed_param::<LocalDateTime>(query, "after")?,
        ),
        None => (start, end, None),
    };
    let answer = client
        .call(async move |api| {
            let request = api.list_time_offs().start(start).end(end);
            match after {
                Some(after) => request.after(after).send().await,
                None => request.send().await,
            }
        })
        .await?;
    let metadata = answer.metadata.and_then(|m| m.into_option());
    let links = metadata.as_ref().and_then(|m| m.links.as_ref());
    let mut items = answer.items;
    items.retain(|t| starts_in(t.start, period, range));
    let mut fetched = linked(&client, "/time_offs", items, links)?;
    fetched.next = fetched.next.map(|next| match next {
        Cursor::Link(query) => Cursor::Within(period, query),
        other => other,
    });
    fetched.page.info.page_start = metadata.as_ref().and_then(|m| m.page_start);
    fetched.page.info.page_end = metadata.as_ref().and_then(|m| m.page_end);
    Ok(fetched)
}

/// Whether an item that starts at `start` belongs to `period` of `range`: it starts
/// in the period, or before it if the period is the range's first, or after it if
/// the period is the last. So every segment is owned by exactly one period.
fn starts_in(start: Option<LocalDateTime>, period: DateRange, range: DateRange) -> bool {
    let Some(start) = start else {
        return true;
    };
    let (from, to) = period.window();
    (start >= from || period.start() <= range.start())
        && (start < to || period.end() >= range.end())
}

/// A page of an operation paged by `offset` with `{data, pagination}` answers
/// (`/callbacks`, `/announcements`): `send` asks for the offset the cursor names,
/// `parts` takes the items and links out of the answer.
async fn offset_page<T, R>(
    client: Client,
    cursor: Cursor,
    path: &'static str,
    send: impl AsyncFnOnce(&crewsense_gen::Client, Option<u64>) -> ApiResult<R>,
    parts: impl FnOnce(R) -> (Vec<T>, Option<PageLinks>),
) -> Result<Fetched<T>, Error> {
    let offset = match &cursor {
        Cursor::Link(query) => parsed_param(query, "offset")?,
        _ => None,
    };
    let answer = client
        .call(async move |api| send(api, offset).await)
        .await?;
    let (items, links) = parts(answer);
    linked(&client, path, items, links.as_ref())
}

async fn log_page(client: Client, cursor: Cursor) -> Result<Fetched<LogEntry>, Error> {
    let after = match &cursor {
        Cursor::After(after) => Some(*after),
        Cursor::Link(query) => parsed_param(query, "after")?,
        _ => None,
    };
    let answer = client
        .call(async move |api| match after {
            Some(after) => api.list_logs().after(after).send().await,
            None => api.list_logs().send().await,
        })
        .await?;
    if answer.pagination.is_some() {
        return linked(&client, "/logs", answer.data, answer.pagination.as_ref());
    }
    let next = if answer.data.len() >= LOG_PAGE_SIZE {
        let newest = answer
            .data
            .iter()
            .filter_map(|e| e.created)
            .map(|t| t.0)
            .max();
        let newest = newest.ok_or(PagingError::NoCursor("/logs"))?;
        Some(Cursor::After(LocalDateTime(newest.naive_local())))
    } else {
        None
    };
    let page = Page {
        items: answer.data,
        info: PageInfo::default(),
    };
    Ok(Fetched { page, next })
}

async fn schedule_page(
    client: Client,
    cursor: Cursor,
) -> Result<Fetched<(Date, ScheduleDay)>, Error> {
    let Cursor::Period(days) = cursor else {
        return Err(PagingError::InvalidLink(cursor.to_string()).into());
    };
    let mut page = Page::empty(days);
    if !days.is_empty() {
        let map = client.schedule(days).await?;
        page.items
            .extend(map.into_iter().filter(|(date, _)| days.contains(*date)));
    }
    Ok(Fetched { page, next: None })
}

/// The periods of `range`, in order; one empty period for an empty range, so that a
/// stream over it has one (empty) page.
pub(crate) fn periods(range: DateRange, period: Period) -> impl Iterator<Item = DateRange> + Send {
    let first = first_period(range, period).unwrap_or(range);
    std::iter::successors(Some(first), move |previous| {
        first_period(DateRange::new(previous.end(), range.end()), period)
    })
}

/// The first period of `range`, or `None` when the range is empty.
fn first_period(range: DateRange, period: Period) -> Option<DateRange> {
    if range.is_empty() {
        return None;
    }
    let start = range.start().0;
    let end = match period {
        Period::Week => start.checked_add_days(Days::new(7)),
        Period::Month => start
            .with_day(1)
            .and_then(|first| first.checked_add_months(Months::new(1))),
    };
    let end = end.map_or(range.end(), |end| Date(end).min(range.end()));
    Some(DateRange::new(range.start(), end))
}

/// A page of the operation at `path` whose successor the server names in `links`.
fn linked<T>(
    client: &Client,
    path: &str,
    items: Vec<T>,
    links: Option<&PageLinks>,
) -> Result<Fetched<T>, Error> {
    let info = PageInfo {
        prev: links.and_then(|l| l.prev.as_ref()).map(|h| h.0.clone()),
        next: links.and_then(|l| l.next.as_ref()).map(|h| h.0.clone()),
        ..PageInfo::default()
    };
    let next = match info.next.as_deref() {
        Some(link) => Some(follow(client.base_url(), path, link)?),
        None => None,
    };
    Ok(Fetched {
        page: Page { items, info },
        next,
    })
}

/// The value of the query parameter `name` of a page link, read as a `T`.
fn parsed_param<T: std::str::FromStr>(
    query: &[(String, String)],
    name: &str,
) -> Result<Option<T>, Error> {
    param(query, name)
        .map(|value| {
            value
                .parse()
                .map_err(|_| PagingError::InvalidLink(format!("{name}={value}")))
        })
        .transpose()
        .map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn months_follow_the_calendar_and_stop_at_the_range_end() {
        let range = DateRange::new(date("2025-01-15"), date("2025-03-10"));
        let first = first_period(range, Period::Month).unwrap();
        assert_eq!(
            (first.start(), first.end()),
            (date("2025-01-15"), date("2025-02-01"))
        );
        let last = first_period(
            DateRange::new(date("2025-03-01"), range.end()),
            Period::Month,
        )
        .unwrap();
        assert_eq!(last.end(), date("2025-03-10"));
        assert!(first_period(DateRange::new(range.end(), range.end()), Period::Month).is_none());
    }

    #[test]
    fn the_periods_of_a_range_cover_it_without_gaps() {
        let range = DateRange::new(date("2025-01-15"), date("2025-04-15"));
        let months: Vec<_> = periods(range, Period::Month)
            .map(|p| (p.start(), p.end()))
            .collect();
        assert_eq!(
            months,
            [
                (date("2025-01-15"), date("2025-02-01")),
                (date("2025-02-01"), date("2025-03-01")),
                (date("2025-03-01"), date("2025-04-01")),
                (date("2025-04-01"), date("2025-04-15")),
            ]
        );
        let empty = DateRange::new(range.end(), range.end());
        assert_eq!(periods(empty, Period::Week).collect::<Vec<_>>(), [empty]);
    }

    #[test]
    fn a_segment_belongs_to_the_period_in_which_it_starts() {
        let range = DateRange::new(date("2025-01-01"), date("2025-03-01"));
        let (january, february) = (
            DateRange::new(date("2025-01-01"), date("2025-02-01")),
            DateRange::new(date("2025-02-01"), date("2025-03-01")),
        );
        let at = |s: &str| Some(s.parse::<LocalDateTime>().unwrap());
        let spanning = at("2025-01-31 12:00:00");
        assert!(starts_in(spanning, january, range));
        assert!(!starts_in(spanning, february, range));
        assert!(starts_in(at("2025-02-01 00:00:00"), february, range));
        assert!(!starts_in(at("2025-02-01 00:00:00"), january, range));
        // Before the range: the first period; after it: the last.
        assert!(starts_in(at("2024-12-31 12:00:00"), january, range));
        assert!(starts_in(at("2025-03-01 06:00:00"), february, range));
        assert!(starts_in(None, february, range));
    }

    #[test]
    fn weeks_are_seven_days_from_the_range_start() {
        let range = DateRange::new(date("2025-06-04"), date("2025-06-14"));
        let first = first_period(range, Period::Week).unwrap();
        assert_eq!(first.end(), date("2025-06-11"));
    }
}
