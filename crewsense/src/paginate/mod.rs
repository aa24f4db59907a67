//! Paging as one idiom: a [`Paginated`] request yields a `Stream` of pages or of
//! items, whichever of the API's four paging schemes sits behind it.
//!
//! - The next page is fetched while the caller works through the current one, and
//!   never more than one page ahead, so memory stays bounded by two pages.
//! - Dropping a stream aborts the fetch in flight and stops all paging.
//! - Only the path and query of a `next` link are used, resolved against the
//!   configured base URL through the generated client, so the access token never
//!   goes to another host; a link outside the operation's path is an error.
//! - A page that leads back to a page already fetched ends the stream with an error,
//!   and so does passing [`Paginated::max_pages`].
//! - Each page goes through [`Client::call`], so a token that expires mid-stream is
//!   replaced once and the page fetched again: no item is lost or repeated.

mod link;
mod sources;

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::stream::{self, Stream, TryStreamExt};
use tokio::task::JoinHandle;

use crate::time::{DateRange, LocalDateTime};
use crate::{Client, Error};

pub use sources::Period;

/// How many pages a stream follows unless told otherwise: more than ten years of
/// monthly time-off pages or 50 000 log entries.
pub const DEFAULT_MAX_PAGES: usize = 1000;

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
    /// A period computed by the client (`/schedule`).
    Period(DateRange),
}

/// A page as fetched, with where the following one starts.
pub(crate) struct Fetched<T> {
    pub(crate) page: Page<T>,
    pub(crate) next: Option<Cursor>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
type FetchFn<T> = dyn Fn(Client, Cursor) -> BoxFuture<Result<Fetched<T>, Error>> + Send + Sync;

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
    first: Cursor,
    fetch: Arc<FetchFn<T>>,
    max_pages: usize,
}

impl<T: Send + 'static> Paginated<T> {
    pub(crate) fn new<F, Fut>(client: &Client, first: Cursor, fetch: F) -> Self
    where
        F: Fn(Client, Cursor) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Fetched<T>, Error>> + Send + 'static,
    {
        Self {
            client: client.clone(),
            first,
            fetch: Arc::new(move |client, cursor| Box::pin(fetch(client, cursor))),
            max_pages: DEFAULT_MAX_PAGES,
        }
    }

    /// Stops with [`PagingError::PageLimit`] instead of fetching more than `pages`
    /// pages (default [`DEFAULT_MAX_PAGES`]).
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = pages;
        self
    }

    /// The pages, in order. The stream ends after the last page, or with the first
    /// error.
    pub fn pages(self) -> Pages<T> {
        let state = Pager {
            client: self.client,
            fetch: self.fetch,
            first: Some(self.first),
            pending: None,
            seen: HashSet::new(),
            fetched: 0,
            max_pages: self.max_pages,
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
            .field("first", &self.first)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cursor::Start => f.write_str("the first page"),
            Cursor::Link(query) => {
                let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
                write!(f, "?{}", pairs.join("&"))
            }
            Cursor::After(after) => write!(f, "after {after}"),
            Cursor::Period(range) => write!(f, "{} to {}", range.start(), range.end()),
        }
    }
}

/// Aborts the fetch when the stream that started it is dropped.
struct Ahead<T>(JoinHandle<T>);

impl<T> Drop for Ahead<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What comes after the page just handed out.
enum Pending<T> {
    /// The next page, being fetched.
    Fetching(Ahead<Result<Fetched<T>, Error>>),
    /// The stream ends with this error.
    Failed(Error),
}

/// The state of a page stream between two pages.
struct Pager<T> {
    client: Client,
    fetch: Arc<FetchFn<T>>,
    first: Option<Cursor>,
    pending: Option<Pending<T>>,
    seen: HashSet<Cursor>,
    fetched: usize,
    max_pages: usize,
}

impl<T: Send + 'static> Pager<T> {
    async fn next_page(mut self) -> Option<(Result<Page<T>, Error>, Self)> {
        let fetched = match (self.first.take(), self.pending.take()) {
            (Some(cursor), _) => (self.fetch)(self.client.clone(), cursor).await,
            (None, Some(Pending::Fetching(mut ahead))) => match (&mut ahead.0).await {
                Ok(result) => result,
                Err(join) => std::panic::resume_unwind(join.into_panic()),
            },
            (None, Some(Pending::Failed(error))) => Err(error),
            (None, None) => return None,
        };
        let Fetched { mut page, next } = match fetched {
            Ok(fetched) => fetched,
            Err(error) => return Some((Err(error), self)),
        };
        self.fetched += 1;
        page.info.number = self.fetched;
        self.pending = next.map(|cursor| self.prefetch(cursor));
        Some((Ok(page), self))
    }

    /// Starts fetching the page at `cursor` while the caller works on this one, or
    /// the error that ends the stream after this page.
    fn prefetch(&mut self, cursor: Cursor) -> Pending<T> {
        if self.fetched >= self.max_pages {
            return Pending::Failed(Error::Paging(PagingError::PageLimit(self.max_pages)));
        }
        if !self.seen.insert(cursor.clone()) {
            return Pending::Failed(Error::Paging(PagingError::Loop(cursor.to_string())));
        }
        let fetch = (self.fetch)(self.client.clone(), cursor);
        Pending::Fetching(Ahead(tokio::spawn(fetch)))
    }
}
