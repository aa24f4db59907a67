//! One paged stream: its span, with the pages and items handed out so far.

use tracing::Span;
use tracing::field::Empty;

use super::attempt::int;
use super::call::error_type;
use crate::Error;

/// A paged stream's span. The call of each page runs inside it; the counts are
/// recorded once, when the stream is dropped (each record of a field would be another
/// attribute of the OpenTelemetry span).
#[derive(Debug)]
pub(crate) struct StreamTrace {
    span: Span,
    pages: u64,
    items: u64,
}

impl StreamTrace {
    /// A stream of `operation`'s pages, its span a child of the current one.
    pub(crate) fn start(operation: &'static str) -> Self {
        let span = tracing::debug_span!(
            target: "crewsense::paging",
            "crewsense.paging",
            otel.name = %format_args!("{operation} pages"),
            otel.status_code = Empty,
            crewsense.operation_id = operation,
            crewsense.pages = Empty,
            crewsense.items = Empty,
            error.type = Empty,
        );
        Self {
            span,
            pages: 0,
            items: 0,
        }
    }

    /// The stream's span, for the tasks that fetch its pages.
    pub(crate) fn span(&self) -> &Span {
        &self.span
    }

    /// Counts a page of `items` items handed to the caller.
    pub(crate) fn page(&mut self, items: usize) {
        self.pages += 1;
        self.items = self.items.saturating_add(items as u64);
    }

    /// Records the error that ended the stream.
    pub(crate) fn failed(&self, error: &Error) {
        self.span.record("error.type", error_type(error));
        self.span.record("otel.status_code", "error");
    }
}

impl Drop for StreamTrace {
    fn drop(&mut self) {
        self.span.record("crewsense.pages", int(self.pages));
        self.span.record("crewsense.items", int(self.items));
    }
}
