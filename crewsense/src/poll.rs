//! Polling without waste: ask again with the validators of the last answer and learn
//! "unchanged" from a `304 Not Modified`, without downloading or decoding the body.
//!
//! An answer's `ETag` and `Last-Modified` headers make a [`Validator`]. Sending it back
//! with the same request ([`Client::call_if_changed`], [`Client::schedule_if_changed`])
//! adds `If-None-Match` and `If-Modified-Since`; the server answers `304` while its
//! answer would be the same, and the call returns [`Polled::Unchanged`]. When the
//! server sends no validator, the [`Validator`] is empty, nothing conditional is sent
//! and every poll simply fetches the answer again.
//!
//! ```no_run
//! # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
//! use crewsense::poll::{Polled, Validator};
//! use crewsense::time::DateRange;
//!
//! let today = DateRange::day("2025-06-02".parse().expect("a date"));
//! let mut seen = Validator::default();
//! loop {
//!     match client.schedule_if_changed(today, &seen).await? {
//!         Polled::Changed { value, validator } => {
//!             println!("{} days, redrawn", value.len());
//!             seen = validator;
//!         }
//!         Polled::Unchanged => {}
//!     }
//!     tokio::time::sleep(std::time::Duration::from_secs(60)).await;
//! }
//! # }
//! ```

use crewsense_gen::hooks::Inner;
use crewsense_gen::types::ScheduleDay;
use crewsense_gen::wire::DateMap;
use crewsense_gen::{ClientInfo, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::{
    ETAG, HeaderMap, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};

use crate::api::ApiResult;
use crate::time::DateRange;
use crate::{Client, Error};

/// What identifies the version of an answer: its `ETag` and `Last-Modified`, as the
/// server sent them. The default is empty: nothing to compare with, so the next
/// request fetches the answer in full.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validator {
    etag: Option<HeaderValue>,
    last_modified: Option<HeaderValue>,
}

impl Validator {
    /// The validators of an answer with `headers`.
    fn of(headers: &HeaderMap) -> Self {
        Self {
            etag: headers.get(ETAG).cloned(),
            last_modified: headers.get(LAST_MODIFIED).cloned(),
        }
    }

    /// The answer's `ETag`, if it sent a readable one.
    pub fn etag(&self) -> Option<&str> {
        self.etag.as_ref().and_then(|v| v.to_str().ok())
    }

    /// The answer's `Last-Modified`, if it sent a readable one.
    pub fn last_modified(&self) -> Option<&str> {
        self.last_modified.as_ref().and_then(|v| v.to_str().ok())
    }

    /// Whether the answer carried no validator, so a request cannot be conditional.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }

    /// `inner` with the conditional headers of this validator.
    fn condition(&self, mut inner: Inner) -> Inner {
        if let Some(etag) = &self.etag {
            inner = inner.with_header(IF_NONE_MATCH, etag.clone());
        }
        if let Some(modified) = &self.last_modified {
            inner = inner.with_header(IF_MODIFIED_SINCE, modified.clone());
        }
        inner
    }
}

/// The outcome of a conditional request: HTTP has exactly these two.
#[derive(Debug, Clone, PartialEq)]
pub enum Polled<T> {
    /// A new answer (or the first one), with the validator to send next time.
    Changed {
        /// The answer.
        value: T,
        /// Its validators; empty when the server sent none.
        validator: Validator,
    },
    /// The server answered `304 Not Modified`: the previous answer still holds.
    Unchanged,
}

impl<T> Polled<T> {
    /// The new answer, if there is one.
    pub fn changed(self) -> Option<T> {
        match self {
            Polled::Changed { value, .. } => Some(value),
            Polled::Unchanged => None,
        }
    }
}

impl Client {
    /// Runs a `GET` operation like [`Client::call`], sending `previous` as
    /// `If-None-Match` / `If-Modified-Since`; a `304` answer is
    /// [`Polled::Unchanged`] and its (empty) body is never decoded.
    ///
    /// With an empty `previous` the request is unconditional and always
    /// [`Polled::Changed`]; a `304` to it would be answering a question nobody asked
    /// and is an [`Error::UnexpectedResponse`].
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client, seen: crewsense::poll::Validator) -> Result<(), crewsense::Error> {
    /// let company = client
    ///     .call_if_changed(&seen, async |api| api.get_company().send().await)
    ///     .await?;
    /// # let _ = company;
    /// # Ok(()) }
    /// ```
    pub async fn call_if_changed<T, F>(
        &self,
        previous: &Validator,
        operation: F,
    ) -> Result<Polled<T>, Error>
    where
        F: AsyncFn(&crewsense_gen::Client) -> ApiResult<T>,
    {
        self.call(async |api| {
            let conditional = crewsense_gen::Client::new_with_client(
                api.baseurl(),
                api.client().clone(),
                previous.condition(api.inner().clone()),
            );
            match operation(&conditional).await {
                Ok(answer) => {
                    let (status, validator) = (answer.status(), Validator::of(answer.headers()));
                    let value = answer.into_inner();
                    let polled = Polled::Changed { value, validator };
                    Ok(ResponseValue::new(polled, status, HeaderMap::new()))
                }
                Err(crewsense_gen::Error::UnexpectedResponse(response))
                    if response.status() == StatusCode::NOT_MODIFIED && !previous.is_empty() =>
                {
                    let status = response.status();
                    Ok(ResponseValue::new(
                        Polled::Unchanged,
                        status,
                        HeaderMap::new(),
                    ))
                }
                Err(error) => Err(error),
            }
        })
        .await
    }

    /// The schedule of `days` as [`Client::schedule`] returns it, or
    /// [`Polled::Unchanged`] if it is still the one that `previous` came with.
    pub async fn schedule_if_changed(
        &self,
        days: impl Into<DateRange>,
        previous: &Validator,
    ) -> Result<Polled<DateMap<ScheduleDay>>, Error> {
        let (start, end) = days.into().window();
        let polled = self
            .call_if_changed(previous, async move |api| {
                api.get_schedule().start(start).end(end).send().await
            })
            .await?;
        Ok(match polled {
            Polled::Changed { value, validator } => Polled::Changed {
                value: value.days.unwrap_or_default(),
                validator,
            },
            Polled::Unchanged => Polled::Unchanged,
        })
    }
}
