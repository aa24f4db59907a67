//! The metrics, recorded through the [`metrics`](::metrics) facade once
//! [`record_metrics`] has been called: their names, and how each one is recorded.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ::metrics::{Label, SharedString, Unit};
use reqwest::StatusCode;
use url::Url;

use super::route::Route;

/// Histogram, seconds: how long each HTTP attempt took, labelled
/// `http.request.method`, `url.template`, `server.address`, `server.port`, and
/// `http.response.status_code` or `error.type`. OpenTelemetry's
/// HTTP client metric of the same name.
pub const HTTP_CLIENT_REQUEST_DURATION: &str = "http.client.request.duration";
/// Histogram, seconds: how long each call took in all (token, attempts and waits),
/// labelled `crewsense.operation_id` and `crewsense.outcome`.
pub const CALL_DURATION: &str = "crewsense.call.duration";
/// Counter: requests sent again, labelled `crewsense.operation_id` and `error.type`
/// (what the attempt before got: its status, `timeout`, ...; `401` for a resend with
/// a new token).
pub const RETRIES: &str = "crewsense.retries";
/// Counter: access tokens fetched, labelled `crewsense.outcome` (`ok`, or why the
/// fetch failed).
pub const TOKEN_FETCHES: &str = "crewsense.token.fetches";
/// Counter: `304 Not Modified` answers, labelled `crewsense.operation_id`.
pub const NOT_MODIFIED: &str = "crewsense.not_modified";
/// Counter: answer values left out because they could not be read, labelled
/// `crewsense.operation_id`.
pub const DEGRADED_FIELDS: &str = "crewsense.degraded_fields";

/// Whether [`record_metrics`] has been called.
static RECORDING: AtomicBool = AtomicBool::new(false);

/// From now on, every client of the process records its metrics (listed in the
/// crate's [Observability](crate#observability) section) through the `metrics`
/// facade, into the recorder the application installed; and their units and
/// descriptions are registered with that recorder. Call it once the recorder is
/// installed.
///
/// Until then nothing is recorded, and no clock is read for it: the facade cannot
/// tell a library whether a recorder listens, and a call's metrics (two histogram
/// keys built and hashed, four clock reads) would otherwise cost a call 2.5% more
/// instructions for nobody.
///
/// ```
/// // metrics::set_global_recorder(my_exporter)?; // Prometheus, OpenTelemetry, ...
/// crewsense::observe::record_metrics();
/// ```
pub fn record_metrics() {
    RECORDING.store(true, Ordering::Relaxed);
    describe();
}

/// Whether metrics are recorded.
pub(crate) fn recording() -> bool {
    RECORDING.load(Ordering::Relaxed)
}

/// Registers the unit and description of each metric with the installed recorder.
fn describe() {
    ::metrics::describe_histogram!(
        HTTP_CLIENT_REQUEST_DURATION,
        Unit::Seconds,
        "Duration of HTTP client requests."
    );
    ::metrics::describe_histogram!(
        CALL_DURATION,
        Unit::Seconds,
        "Duration of CrewSense API calls, all their attempts and waits included."
    );
    ::metrics::describe_counter!(RETRIES, Unit::Count, "Requests sent again.");
    ::metrics::describe_counter!(TOKEN_FETCHES, Unit::Count, "Access token fetches.");
    ::metrics::describe_counter!(NOT_MODIFIED, Unit::Count, "304 Not Modified answers.");
    ::metrics::describe_counter!(
        DEGRADED_FIELDS,
        Unit::Count,
        "Answer values left out because they could not be read."
    );
}

/// The server a client's attempts go to, as metric labels (made once per client, so
/// that an attempt copies no string).
#[derive(Debug, Clone, Default)]
pub(crate) struct Server {
    address: SharedString,
    port: SharedString,
}

impl Server {
    pub(crate) fn of(url: &Url) -> Self {
        let address: Arc<str> = url.host_str().unwrap_or_default().into();
        let port: Arc<str> = url
            .port_or_known_default()
            .map(|port| port.to_string())
            .unwrap_or_default()
            .into();
        Self {
            address: address.into(),
            port: port.into(),
        }
    }
}

/// Records one attempt's duration.
pub(crate) fn attempt(
    route: &Route,
    server: &Server,
    status: Option<StatusCode>,
    error_type: Option<&'static str>,
    duration: Duration,
) {
    if !recording() {
        return;
    }
    let mut labels = Vec::with_capacity(6);
    labels.push(Label::from_static_parts(
        "http.request.method",
        route.method,
    ));
    labels.push(Label::from_static_parts("url.template", route.template));
    labels.push(Label::new("server.address", server.address.clone()));
    labels.push(Label::new("server.port", server.port.clone()));
    if let Some(status) = status {
        labels.push(Label::new("http.response.status_code", status_text(status)));
    }
    if let Some(error_type) = error_type {
        labels.push(Label::from_static_parts("error.type", error_type));
    }
    ::metrics::histogram!(HTTP_CLIENT_REQUEST_DURATION, labels).record(duration.as_secs_f64());
}

/// Records one call's duration.
pub(crate) fn call(operation: &'static str, outcome: &'static str, duration: Duration) {
    if !recording() {
        return;
    }
    ::metrics::histogram!(
        CALL_DURATION,
        "crewsense.operation_id" => operation,
        "crewsense.outcome" => outcome
    )
    .record(duration.as_secs_f64());
}

/// Counts a request of `operation` sent again after an answer with this status, or
/// after a failure of this kind.
pub(crate) fn retry(operation: &'static str, cause: Result<StatusCode, &'static str>) {
    if !recording() {
        return;
    }
    let error_type = match cause {
        Ok(status) => status_text(status),
        Err(kind) => SharedString::const_str(kind),
    };
    ::metrics::counter!(RETRIES, "crewsense.operation_id" => operation, "error.type" => error_type)
        .increment(1);
}

/// Counts a token fetch.
pub(crate) fn token_fetch(outcome: &'static str) {
    if !recording() {
        return;
    }
    ::metrics::counter!(TOKEN_FETCHES, "crewsense.outcome" => outcome).increment(1);
}

/// Counts a `304 Not Modified`.
pub(crate) fn not_modified(operation: &'static str) {
    if !recording() {
        return;
    }
    ::metrics::counter!(NOT_MODIFIED, "crewsense.operation_id" => operation).increment(1);
}

/// Counts `count` values of `operation`'s answers left out.
pub(crate) fn degraded(operation: &'static str, count: u64) {
    if !recording() {
        return;
    }
    ::metrics::counter!(DEGRADED_FIELDS, "crewsense.operation_id" => operation).increment(count);
}

/// The status code as a label value, without an allocation for the codes this API
/// sends.
fn status_text(status: StatusCode) -> SharedString {
    const COMMON: [(u16, &str); 16] = [
        (200, "200"),
        (201, "201"),
        (204, "204"),
        (304, "304"),
        (400, "400"),
        (401, "401"),
        (403, "403"),
        (404, "404"),
        (408, "408"),
        (409, "409"),
        (422, "422"),
        (429, "429"),
        (500, "500"),
        (502, "502"),
        (503, "503"),
        (504, "504"),
    ];
    let code = status.as_u16();
    match COMMON.iter().find(|(known, _)| *known == code) {
        Some(&(_, text)) => SharedString::const_str(text),
        None => SharedString::from(code.to_string()),
    }
}
