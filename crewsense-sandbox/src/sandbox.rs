//! The handle: start, address, credentials, and the control API (credentials,
//! tokens, faults, counters, bulletin board lock).

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::Auth;
use crate::clock::{Clock, anchor, hms};
use crate::counters::{Counters, RecordedRequest};
use crate::department::Department;
use crate::faults::{Fault, Faults};
use crate::garble::Garbled;
use crate::route_key::route_key;
use crate::routes;
use crate::seed;
use crate::state::{App, Mode, Shared};

/// The token lifetime when none is configured (the reference's example: one day).
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(86_400);

/// The seed when none is configured.
pub const DEFAULT_SEED: u64 = 1;

/// How many requests the request log keeps when not configured: the last 1,000.
pub const DEFAULT_REQUEST_LOG_CAPACITY: usize = 1_000;

/// Configures a [`Sandbox`] before it starts.
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    seed: u64,
    token_ttl: Duration,
    mode: Mode,
    listen: SocketAddr,
    request_log_capacity: usize,
    department: Option<Source>,
}

/// Where the department comes from when it is not seeded.
#[derive(Debug, Clone)]
enum Source {
    Dir(PathBuf),
    Loaded(Box<Department>),
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self {
            seed: DEFAULT_SEED,
            token_ttl: DEFAULT_TOKEN_TTL,
            mode: Mode::default(),
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            request_log_capacity: DEFAULT_REQUEST_LOG_CAPACITY,
            department: None,
        }
    }
}

impl SandboxBuilder {
    /// The seed of the generated department (same seed, same data and credentials).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// How long issued access tokens stay valid.
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// Production shapes (the default) or the reference's documented shapes.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, an ephemeral port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// How many of the latest requests [`Sandbox::request_log`] keeps (default
    /// [`DEFAULT_REQUEST_LOG_CAPACITY`]; 0 keeps none). The counters count every
    /// request whatever this is.
    pub fn request_log_capacity(mut self, requests: usize) -> Self {
        self.request_log_capacity = requests;
        self
    }

    /// Serves the department captured in `dir` (see [`Department::load`]) instead
    /// of the seeded one, with the same routes, rules, paging, faults and writes;
    /// "today" is the first day of its schedule. [`start`](Self::start) loads it,
    /// and a capture it cannot read fails the start with an
    /// [`io::ErrorKind::InvalidData`] error whose inner error is the
    /// [`DepartmentError`](crate::DepartmentError) naming the file.
    pub fn department(mut self, dir: impl AsRef<Path>) -> Self {
        self.department = Some(Source::Dir(dir.as_ref().to_owned()));
        self
    }

    /// Serves a department already loaded with [`Department::load`], as
    /// [`department`](Self::department) does.
    pub fn loaded_department(mut self, department: Department) -> Self {
        self.department = Some(Source::Loaded(Box::new(department)));
        self
    }

    /// Seeds (or loads) the data, binds the address and starts serving on the
    /// current tokio runtime.
    pub async fn start(self) -> io::Result<Sandbox> {
        let (store, clock) = match self.department {
            None => (seed::department(self.seed), Clock::new()),
            Some(source) => {
                let department = match source {
                    Source::Dir(dir) => Department::load(dir)
                        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?,
                    Source::Loaded(department) => *department,
                };
                let today = department
                    .window()
                    .map_or_else(anchor, |(first, _)| first.and_time(hms(9, 0, 0)));
                (department.store, Clock::starting_at(today))
            }
        };
        let listener = TcpListener::bind(self.listen).await?;
        let addr = listener.local_addr()?;
        let app = App::new(Shared {
            store: RwLock::new(Arc::new(store)),
            auth: Auth::new(self.seed, self.token_ttl),
            faults: Faults::default(),
            counters: Counters::new(self.request_log_capacity),
            clock,
            mode: self.mode,
            base_url: format!("http://{addr}/v1"),
            board_locked: AtomicBool::new(false),
        });
        let router = routes::router(app.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                stopped.await.ok();
            });
            // An accept loop error ends the server; the handle reports nothing more.
            serve.await.ok();
        });
        Ok(Sandbox {
            app,
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// A running CrewSense emulator. Dropping it (or [`Sandbox::shutdown`]) stops it.
#[derive(Debug)]
pub struct Sandbox {
    app: App,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts a sandbox with the defaults (seed 1, one-day tokens, production
    /// shapes, an ephemeral port on 127.0.0.1, a log of the last 1,000 requests).
    pub async fn start() -> io::Result<Sandbox> {
        Self::builder().start().await
    }

    /// A builder for a configured sandbox.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// The socket address the sandbox listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API root, `http://127.0.0.1:<port>/v1`.
    pub fn base_url(&self) -> &str {
        &self.app.base_url
    }

    /// The token endpoint, `http://127.0.0.1:<port>/oauth/access_token`.
    pub fn token_url(&self) -> String {
        format!("http://{}/oauth/access_token", self.addr)
    }

    /// The client id that the token endpoint accepts.
    pub fn client_id(&self) -> &str {
        self.app.auth.client_id()
    }

    /// The client secret that the token endpoint accepts now (a rotation replaces
    /// it).
    pub fn client_secret(&self) -> String {
        self.app.auth.client_secret()
    }

    /// The organisation's date today, as the sandbox's rules see it: 2025-06-16 at
    /// the start for the seeded department, the first day of the captured schedule
    /// for a loaded one; it advances with wall time.
    pub fn today(&self) -> chrono::NaiveDate {
        self.app.clock.today()
    }

    /// The answer shapes in use.
    pub fn mode(&self) -> Mode {
        self.app.mode
    }

    /// Stops accepting connections and waits (at most a second) for open ones
    /// to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
        let Some(mut task) = self.task.take() else {
            return;
        };
        if tokio::time::timeout(Duration::from_secs(1), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }

    // --- tokens -------------------------------------------------------------

    /// Issues a valid access token without a round trip to the token endpoint.
    pub fn issue_token(&self) -> String {
        self.app.auth.issue().0
    }

    /// Issues a new client secret, returned (and from now on by
    /// [`client_secret`](Self::client_secret)), and refuses the old one with 401
    /// `invalid_client` from now on, as when a department deletes its credentials and
    /// generates new ones. Tokens issued before stay valid until they expire; see
    /// [`rotate_credentials_revoking`](Self::rotate_credentials_revoking). The client
    /// id stays the same. A sandbox running as a process does this on
    /// `POST /sandbox/rotate_credentials`.
    pub fn rotate_credentials(&self) -> String {
        self.app.auth.rotate(false)
    }

    /// [`rotate_credentials`](Self::rotate_credentials), and revokes every token
    /// issued so far: requests with them get 401 from now on.
    pub fn rotate_credentials_revoking(&self) -> String {
        self.app.auth.rotate(true)
    }

    /// Makes every token issued so far expire now (later requests with them get 401).
    pub fn expire_tokens(&self) {
        self.app.auth.expire_all();
    }

    /// Revokes one token; returns whether the sandbox had issued it.
    pub fn revoke_token(&self, token: &str) -> bool {
        self.app.auth.revoke(token)
    }

    /// Sets the lifetime of tokens issued from now on.
    pub fn set_token_ttl(&self, ttl: Duration) {
        self.app.auth.set_ttl(ttl);
    }

    // --- faults -------------------------------------------------------------

    /// Answers the next `times` requests of `route` with `fault`.
    ///
    /// `route` is `"METHOD /path/{template}"` as written in the spec
    /// (`"GET /users/{user_id}"`; a `/v1` prefix is ignored), the token endpoint
    /// is `"POST /oauth/access_token"`, and `"*"` matches every route (a route's
    /// own faults are used first).
    pub fn fail_next(&self, route: &str, times: usize, fault: Fault) {
        self.app.faults.push(route_key(route), times, fault);
    }

    /// How many queued faults `route` has left.
    pub fn pending_faults(&self, route: &str) -> usize {
        self.app.faults.pending(&route_key(route))
    }

    /// Answers every request no sooner than `latency` after it arrived (routes with
    /// their own latency excepted). The handler's own work counts towards it, as a
    /// server's own work counts towards its answer time.
    pub fn set_latency(&self, latency: Duration) {
        self.app.faults.set_latency(latency);
    }

    /// Answers every request of `route` no sooner than `latency` after it arrived,
    /// instead of the global latency.
    pub fn set_route_latency(&self, route: &str, latency: Duration) {
        self.app.faults.set_route_latency(route_key(route), latency);
    }

    /// Forgets every queued fault and configured latency.
    pub fn clear_faults(&self) {
        self.app.faults.clear();
    }

    /// While locked, `PUT /bulletin_board` answers 409 `conflict` (someone has
    /// the board open for editing).
    pub fn lock_bulletin_board(&self, locked: bool) {
        self.app.board_locked.store(locked, Ordering::SeqCst);
    }

    // --- counters -----------------------------------------------------------

    /// Requests received for `route` (same syntax as [`Sandbox::fail_next`]),
    /// whatever their outcome.
    pub fn requests(&self, route: &str) -> usize {
        self.app.counters.requests(&route_key(route))
    }

    /// Requests received in all, since the start or [`Sandbox::reset_counters`]
    /// (including those the request log no longer holds).
    pub fn total_requests(&self) -> usize {
        self.app.counters.total()
    }

    /// Requests received by the token endpoint.
    pub fn token_requests(&self) -> usize {
        self.requests("POST /oauth/access_token")
    }

    /// Answers sent as `304 Not Modified` (a GET whose `If-None-Match` named
    /// the current `ETag`), over all routes.
    pub fn not_modified(&self) -> usize {
        self.app.counters.not_modified()
    }

    /// The distinct bearer tokens presented so far, in order of first use
    /// (invalid ones included), up to the first [`TOKENS_SEEN_LIMIT`](crate::TOKENS_SEEN_LIMIT).
    pub fn tokens_seen(&self) -> Vec<String> {
        self.app.counters.tokens_seen()
    }

    /// The latest requests received, oldest first: every request while fewer than
    /// the log's capacity ([`SandboxBuilder::request_log_capacity`]) have arrived
    /// since the start or [`Sandbox::reset_counters`], the last that many after.
    pub fn request_log(&self) -> Vec<RecordedRequest> {
        self.app.counters.log()
    }

    /// Every value garbled by [`Fault::Garble`] so far, oldest first: the route,
    /// the JSON path (`days.2025-06-02.assignments[3].shifts[0].recurring`), the
    /// original value and its replacement. An answer that had nothing to garble
    /// adds nothing.
    pub fn garbled(&self) -> Vec<Garbled> {
        self.app.counters.garbled_so_far()
    }

    /// Forgets every count, seen token, logged request and garbled value.
    pub fn reset_counters(&self) {
        self.app.counters.reset();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
    }
}
