//! Paging as one idiom: a [`Paginated`] request yields a `Stream` of pages or of
//! items, whichever of the API's four paging schemes sits behind it.
//!
//! - The next page is fetched while the caller works through the current one.
//! - Date ranges (`/time_offs` by month, `/schedule` by [`Period`]) are split into
//!   periods that are fetched up to [`Paginated::concurrency`] at a time (default
//!   [`CONCURRENCY`]); each period follows its own `next` links. Pages still
//!   come out in date order, and at most `k` pages are fetched ahead of the one the
//!   caller holds, so memory stays bounded by about `k + 1` pages. Answers are
//!   decoded in that order too, one page ahead of the caller: the page the caller
//!   waits for never waits behind the decoding of later ones. When the caller is
//!   waiting for a page, the next period starts as soon as that page's answer is
//!   in, before it is decoded. The time an answer waits for the caller does not
//!   count against the call timeout.
//! - Dropping a stream aborts every fetch in flight and stops all paging.
//! - An error ends the stream, after the pages of every earlier period.
//! - Only the path and query of a `next` link are used, resolved against the
//!   configured base URL through the generated client, so the access token never
//!   goes to another host; a link outside the operation's path is an error.
//! - A page that leads back to a page already fetched ends the stream with an error,
//!   and so does passing [`Paginated::max_pages`].
//! - Each page goes through [`Client::call`], so a token that expires mid-stream is
//!   replaced once (concurrent periods share that one refresh) and the page fetched
//!   again: no item is lost or repeated. A `429` with `Retry-After` holds back every
//!   request of the client until it has passed (see [`crate::retry`]).

mod link;
mod operations;
pub(crate) mod turn;

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::future::{self, Either};
use futures::stream::{self, Stream, TryStreamExt};
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::defaults::{CONCURRENCY, MAX_PAGES};
use crate::observe::StreamTrace;
use crate::time::{DateRange, LocalDateTime};
use crate::{Client, Error};
use turn::Giver;

pub use operations::Period;
pub(crate) use operations::periods;

/// Why a paged stream stopped with an error of its own.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PagingError {
    /// A `next` link pointed outside the operation's path on the base URL.
    #[error("the next-page link `{0}` is not a page of this operation")]
    ForeignLink(String),
    /// A `next` link could not be read.
    #[error("the next-page link `{0}` is not a valid URL")]
    InvalidLink(String),
    /// A page led back to a page already fetched.
    #[error("the server sent the same next page twice (`{0}`): stopping to avoid an endless loop")]
    Loop(String),
    /// A full page gave nothing to continue from (no link, no timestamp).
    #[error("a full page of {0} gave nothing to continue from")]
    NoCursor(&'static str),
    /// The stream reached its page limit.
    #[error("stopped after {0} pages (the limit set with max_pages)")]
    PageLimit(usize),
}

/// What the server said about one page.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct PageInfo {
    /// 1 for the first page of the stream.
    pub number: usize,
    /// Start of the period this page covers (time off, schedule).
    pub page_start: Option<LocalDateTime>,
    /// End of the period this page covers (time off, schedule).
    pub page_end: Option<LocalDateTime>,
    /// The server's link to the previous page, as sent.
    pub prev: Option<String>,
    /// The server's link to the next page, as sent (`None` on the last page).
    pub next: Option<String>,
}

/// One page of a paged operation.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page, in the server's order.
    pub items: Vec<T>,
    /// What the server said about the page.
    pub info: PageInfo,
}

/// Where the next page starts, in the terms of its paging scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Cursor {
    /// The first page.
    Start,
    /// The query of a server's `next` link.
    Link(Vec<(String, String)>),
    /// Entries after a local date-time (`/logs`).
    After(LocalDateTime),
    /// A period computed by the client (`/schedule`, `/time_offs`).
    Period(DateRange),
    /// The query of a server's `next` link inside a period.
    Within(DateRange, Vec<(String, String)>),
}

impl<T> Page<T> {
    /// A page of `period` without items yet.
    pub(crate) fn empty(period: DateRange) -> Self {
        let (page_start, page_end) = period.window();
        Page {
            items: Vec::new(),
            info: PageInfo {
                page_start: Some(page_start),
                page_end: Some(page_end),
                ..PageInfo::default()
            },
        }
    }
}

/// A page as fetched, with where the following one starts.
pub(crate) struct Fetched<T> {
    pub(crate) page: Page<T>,
    pub(crate) next: Option<Cursor>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
type FetchFn<T> = dyn Fn(Client, Cursor) -> BoxFuture<Result<Fetched<T>, Error>> + Send + Sync;
/// Where each period starts, in order; computed as the stream goes, so a long range
/// costs nothing up front.
type Starts = Box<dyn Iterator<Item = Cursor> + Send>;

/// A paged request; turn it into a stream with [`pages`](Paginated::pages) or
/// [`items`](Paginated::items), or gather everything with [`collect`](Paginated::collect).
///
/// ```no_run
/// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
/// use crewsense::time::{Date, DateRange};
/// use futures::TryStreamExt;
///
/// let (start, end): (Date, Date) = ("2025-01-01".parse().unwrap(), "2026-01-01".parse().unwrap());
/// let mut time_offs = client.time_offs(start..end).items();
/// while let Some(time_off) = time_offs.try_next().await? {
///     println!("{:?} {:?}", time_off.id, time_off.start);
/// }
/// # Ok(()) }
/// ```
pub struct Paginated<T> {
    client: Client,
    /// The operation that fetches the pages, which names the stream's span.
    operation: &'static str,
    starts: Starts,
    fetch: Arc<FetchFn<T>>,
    max_pages: usize,
    concurrency: usize,
}

impl<T: Send + 'static> Paginated<T> {
    /// A stream of `operation`'s pages in one period that starts at `first` and
    /// follows its `next` cursors.
    pub(crate) fn new<F, Fut>(
        client: &Client,
        operation: &'static str,
        first: Cursor,
        fetch: F,
    ) -> Self
    where
        F: Fn(Client, Cursor) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Fetched<T>, Error>> + Send + 'static,
    {
        Self::periods(client, operation, std::iter::once(first), fetch)
    }

    /// A stream of `operation`'s pages in the periods that start at `starts`, in that
    /// order; each one follows its own `next` cursors and several are fetched at once.
    pub(crate) fn periods<I, F, Fut>(
        client: &Client,
        operation: &'static str,
        starts: I,
        fetch: F,
    ) -> Self
    where
        I: Iterator<Item = Cursor> + Send + 'static,
        F: Fn(Client, Cursor) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Fetched<T>, Error>> + Send + 'static,
    {
        Self {
            client: client.clone(),
            operation,
            starts: Box::new(starts),
            fetch: Arc::new(move |client, cursor| Box::pin(fetch(client, cursor))),
            max_pages: MAX_PAGES,
            concurrency: CONCURRENCY,
        }
    }

    /// Fetches up to `periods` periods of a date range at once (default
    /// [`CONCURRENCY`]; `0` counts as `1`, which fetches one page ahead of the
    /// caller, one period after the other). Pages come out in date order whatever
    /// the value. At most `periods` requests are in flight, one more while a period
    /// that the server pages fetches its next page: the next period starts when the
    /// answer of the page the caller waits for is in, before that page says whether
    /// its period goes on.
    ///
    /// Only streams over a date range have several periods: [`Client::time_offs`]
    /// (months) and [`Client::schedule_days`] (its [`Period`]). Offset and log
    /// paging has one chain of links, fetched one page ahead.
    pub fn concurrency(mut self, periods: usize) -> Self {
        self.concurrency = periods.max(1);
        self
    }

    /// Stops with [`PagingError::PageLimit`] instead of fetching more than `pages`
    /// pages (default [`MAX_PAGES`]).
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages;
        self
    }

    /// The pages, in order. The stream ends after the last page, or with the first
    /// error.
    ///
    /// The stream has a span, a child of the span current when this is called, and
    /// each page's call runs inside it (see the crate's
    /// [Observability](crate#observability) section).
    pub fn pages(self) -> Pages<T> {
        let state = Pager {
            trace: StreamTrace::start(self.operation),
            client: self.client,
            fetch: self.fetch,
            starts: Some(self.starts),
            ahead: VecDeque::new(),
            seen: HashSet::new(),
            requested: 0,
            handed_out: 0,
            max_pages: self.max_pages,
            concurrency: self.concurrency,
        };
        Pages(Box::pin(stream::unfold(state, Pager::next_page)))
    }

    /// The items of every page, in order.
    pub fn items(self) -> Items<T> {
        Items(Box::pin(
            self.pages()
                .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
                .try_flatten(),
        ))
    }

    /// Every item of every page.
    pub async fn collect(self) -> Result<Vec<T>, Error> {
        self.items().try_collect().await
    }
}

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

/// A stream of pages, from [`Paginated::pages`].
pub struct Pages<T>(BoxStream<Page<T>>);

/// A stream of items, from [`Paginated::items`].
pub struct Items<T>(BoxStream<T>);

impl<T> Stream for Pages<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pages")
    }
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Items")
    }
}

impl<T> fmt::Debug for Paginated<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginated")
            .field("max_pages", &self.max_pages)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cursor::Start => f.write_str("the first page"),
            Cursor::Link(query) | Cursor::Within(_, query) => {
                let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
                write!(f, "?{}", pairs.join("&"))
            }
            Cursor::After(after) => write!(f, "after {after}"),
            Cursor::Period(range) => write!(f, "{} to {}", range.start(), range.end()),
        }
    }
}

/// A page being fetched: its answer is decoded once the stream gives it its turn,
/// and the fetch is aborted when the stream that started it is dropped.
struct Ahead<T> {
    task: JoinHandle<T>,
    turn: Giver,
}

impl<T> Drop for Ahead<T> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A page that the caller will get after the ones before it.
enum Pending<T> {
    /// Being fetched.
    Fetching(Ahead<Result<Fetched<T>, Error>>),
    /// The stream ends with this error when it gets here.
    Failed(Error),
}

/// The state of a page stream between two pages.
struct Pager<T> {
    trace: StreamTrace,
    client: Client,
    fetch: Arc<FetchFn<T>>,
    /// The periods not started yet; `None` once the stream has ended or stopped
    /// starting periods.
    starts: Option<Starts>,
    /// At most `concurrency` pages, in the order the caller gets them: the next page
    /// of the current period first, then the first pages of the following periods.
    ahead: VecDeque<Pending<T>>,
    seen: HashSet<Cursor>,
    requested: usize,
    handed_out: usize,
    max_pages: usize,
    concurrency: usize,
}

impl<T: Send + 'static> Pager<T> {
    async fn next_page(mut self) -> Option<(Result<Page<T>, Error>, Self)> {
        self.start_periods();
        let fetched = match self.ahead.pop_front()? {
            Pending::Fetching(mut ahead) => {
                // Once the answer is in, the page no longer counts as in flight: the
                // next period starts before the decode holds the thread, unless the
                // page was decoded while the caller worked.
                if !ahead.turn.has_arrived() {
                    ahead.turn.take_back();
                }
                let arrived = pin!(ahead.turn.arrived());
                let joined = match future::select(&mut ahead.task, arrived).await {
                    Either::Left((joined, _)) => joined,
                    Either::Right(((), task)) => {
                        self.start_periods();
                        ahead.turn.give();
                        task.await
                    }
                };
                match joined {
                    Ok(result) => result,
                    Err(join) => std::panic::resume_unwind(join.into_panic()),
                }
            }
            Pending::Failed(error) => Err(error),
        };
        let Fetched { mut page, next } = match fetched {
            Ok(fetched) => fetched,
            Err(error) => {
                self.trace.failed(&error);
                // Nothing after an error: abort what is in flight, start nothing more.
                self.ahead.clear();
                self.starts = None;
                return Some((Err(error), self));
            }
        };
        self.handed_out += 1;
        page.info.number = self.handed_out;
        self.trace.page(page.items.len());
        if let Some(cursor) = next {
            // The rest of this period comes before the periods after it.
            let pending = self.request(cursor);
            self.ahead.push_front(pending);
        }
        self.start_periods();
        // The next page may be decoded while the caller works through this one.
        if let Some(Pending::Fetching(next)) = self.ahead.front() {
            next.turn.give();
        }
        Some((Ok(page), self))
    }

    /// Starts the following periods until `concurrency` pages are on their way.
    fn start_periods(&mut self) {
        while self.ahead.len() < self.concurrency {
            let Some(cursor) = self.starts.as_mut().and_then(Iterator::next) else {
                self.starts = None;
                return;
            };
            let pending = self.request(cursor);
            let failed = matches!(pending, Pending::Failed(_));
            self.ahead.push_back(pending);
            if failed {
                self.starts = None;
                return;
            }
        }
    }

    /// Starts fetching the page at `cursor`, or the error that ends the stream there.
    fn request(&mut self, cursor: Cursor) -> Pending<T> {
        if self.requested >= self.max_pages {
            return Pending::Failed(Error::Paging(PagingError::PageLimit(self.max_pages)));
        }
        if !self.seen.insert(cursor.clone()) {
            return Pending::Failed(Error::Paging(PagingError::Loop(cursor.to_string())));
        }
        self.requested += 1;
        let (turn, waiter) = turn::turn();
        let fetch = (self.fetch)(self.client.with_decode_turn(waiter), cursor);
        Pending::Fetching(Ahead {
            task: tokio::spawn(fetch.instrument(self.trace.span().clone())),
            turn,
        })
    }
}
