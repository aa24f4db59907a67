//! A local CrewSense API emulator for tests and examples.
//!
//! `crewsense-sandbox` serves every operation of the CrewSense API (the 135 of
//! `openapi/crewsense.yaml`) from an in-memory, deterministically seeded fire
//! district, over real HTTP on 127.0.0.1. It writes its JSON with its own models,
//! the way production does (ids as strings where production sends strings, `[]`
//! for empty maps, `/schedule` days keyed by date with a `day_color`, absolute
//! `http://` hrefs), so a client tested against it is tested against the wire
//! format rather than against itself.
//!
//! # Starting it in a test
//!
//! ```no_run
//! use crewsense_sandbox::{Fault, Sandbox};
//!
//! # async fn demo() -> std::io::Result<()> {
//! let sandbox = Sandbox::start().await?;
//! // base_url() is http://127.0.0.1:<port>/v1, token_url() its /oauth/access_token.
//! let (base, token_url) = (sandbox.base_url(), sandbox.token_url());
//! let (id, secret) = (sandbox.client_id(), sandbox.client_secret());
//! # let _ = (base, token_url, id, secret);
//!
//! // The next two reads of one user fail with 503, then it answers again.
//! sandbox.fail_next("GET /users/{user_id}", 2, Fault::Status(503));
//! // ... run the client ...
//! assert_eq!(sandbox.pending_faults("GET /users/{user_id}"), 0);
//! assert!(sandbox.requests("GET /users/{user_id}") >= 3);
//! assert_eq!(sandbox.token_requests(), 1);
//! # Ok(())
//! # }
//! ```
//!
//! [`Sandbox::builder`] sets the seed, the token lifetime and the [`Mode`]
//! (`Production`, the default, or `Documented`: the reference's shapes, e.g.
//! `/schedule` days as an array with `date` and `prev`/`next` links). Dropping
//! the handle, or [`Sandbox::shutdown`], stops the server.
//!
//! # The binary
//!
//! `crewsense-sandbox [--listen ADDR] [--seed N] [--token-ttl SECS] [--documented]`
//! prints one JSON line on stdout and serves until killed:
//!
//! ```text
//! {"base_url":"http://127.0.0.1:41234/v1","token_url":"http://127.0.0.1:41234/oauth/access_token","client_id":"sandbox-...","client_secret":"..."}
//! ```
//!
//! # Authentication
//!
//! `POST /oauth/access_token` takes form-encoded (or JSON) `client_id`,
//! `client_secret` and `grant_type=client_credentials` and answers
//! `{access_token, token_type: "bearer", expires, expires_in}`; wrong credentials
//! get 401. Every `/v1` operation needs `Authorization: Bearer <token>`, otherwise
//! it answers the documented 401
//! `{"status":401,"error":"unauthorized","error_message":"Access token is not valid"}`.
//! [`Sandbox::expire_tokens`], [`Sandbox::revoke_token`] and
//! [`Sandbox::set_token_ttl`] control the tokens; [`Sandbox::issue_token`] skips
//! the round trip.
//!
//! # Faults and counters
//!
//! Routes are named `"METHOD /path/{template}"` exactly as in the spec, without
//! `/v1` (`"GET /users/{user_id}"`, `"POST /oauth/access_token"`); `"*"` in
//! [`Sandbox::fail_next`] matches every route.
//!
//! - [`Sandbox::fail_next`]`(route, n, fault)` answers the next `n` requests of the
//!   route with a [`Fault`]: [`Fault::Status`] (429 with `Retry-After: 1`, 502 with
//!   an HTML page, 401 with the invalid-token body, any other code with a JSON
//!   error), [`Fault::StatusAfterHandling`] (the handler runs and stores a write,
//!   then the answer is replaced by that status), [`Fault::RateLimited`] (429 with a
//!   chosen `Retry-After`), [`Fault::MalformedJson`], [`Fault::TruncatedJson`] (half
//!   the real body), [`Fault::Disconnect`] (full `Content-Length` declared, half sent,
//!   connection closed), [`Fault::SlowBody`] (half the body, the rest after a pause)
//!   [`Fault::Delay`] and [`Fault::Garble`] (one value inside a record replaced by a
//!   PHP-style form; [`Sandbox::garbled`] tells which, where and with what).
//! - [`Sandbox::set_latency`] and [`Sandbox::set_route_latency`] slow answers down;
//!   [`Sandbox::clear_faults`] forgets faults and latency.
//! - Every 200 JSON answer to a GET carries a strong `ETag` (a hash of the body);
//!   a GET whose `If-None-Match` names it gets `304 Not Modified` without a body,
//!   counted by [`Sandbox::not_modified`].
//! - [`Sandbox::lock_bulletin_board`] makes `PUT /bulletin_board` answer 409.
//! - [`Sandbox::requests`], [`Sandbox::total_requests`], [`Sandbox::token_requests`],
//!   [`Sandbox::tokens_seen`] and [`Sandbox::request_log`] tell what was received;
//!   [`Sandbox::reset_counters`] starts over.
//!
//! # Bounds
//!
//! A request beyond the sandbox's bounds gets a prompt 422 `invalid_params` (413
//! for a body over 1 MiB): `GET /schedule` periods of at most 93 days, other
//! ranges and stored time off of at most 366 days, dates in the years 1900 to
//! 2199, texts of at most 10,000 characters, lists of at most 1,000 ids. Answers
//! are rendered from a snapshot of the store, outside any lock.
//!
//! # The emulated department and its rules
//!
//! "Sandbox Valley Fire District": 60 users (three platoons of 18 working 24 on,
//! 48 off, and six day staff), 10 assignments, qualifiers, groups, CallBack lists,
//! labels, work types and subtypes, a year of shifts (2025) with time off,
//! CallBacks, trades, Misc. hours, signup events, availability, certifications,
//! several hundred log entries, forms and announcements. The organisation's zone
//! is a fixed `-07:00`; "today" is 2025-06-16 (the clock starts at 09:00 that day
//! and runs with wall time), so every date rule is deterministic.
//!
//! - `/time_offs` pages by month: `{items, metadata: {start, end, page_start,
//!   page_end, links: {prev, next}}}`, links absolute on the sandbox's host with
//!   `after=`, `next` null on the last page. `GET /time_offs/{id}` sends
//!   `metadata: []`.
//! - `/logs` sends 50 entries per page, newest first within a page; the next page
//!   is `after=<created of the first entry>` (the local date-time), until a page
//!   has fewer than 50.
//! - `/callbacks` and `/announcements` page by `offset` (50 per page) in
//!   `{data, pagination: {prev, next}}`.
//! - Validation failures answer 422 `invalid_params` with an array of messages;
//!   missing records 404 `{"status":404,"error":"not found","error_message":
//!   "No query results for model [Label]."}`.
//! - Batch finalization reports partial failure as 200 with `success: true` and a
//!   non-empty `error_messages`; dates after "today" cannot be finalized.
//! - `PUT /qualifiers/{id}` with `undelete=1` restores a soft-deleted qualifier
//!   (409 if it is not deleted); seeded qualifier 9876 starts deleted.
#![deny(missing_docs)]

mod auth;
mod clock;
mod counters;
mod error;
mod etag;
mod extract;
mod faults;
mod garble;
mod layers;
mod limits;
mod paging;
mod render;
mod reply;
mod rng;
mod routes;
mod sandbox;
mod seed;
mod state;
mod store;
mod validate;

pub use counters::RecordedRequest;
pub use faults::Fault;
pub use garble::Garbled;
pub use sandbox::{DEFAULT_SEED, DEFAULT_TOKEN_TTL, Sandbox, SandboxBuilder};
pub use state::Mode;
