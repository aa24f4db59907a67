//! Credentials rotated while 100 callers keep polling the sandbox: the provider is
//! asked at every token request, a refusal makes it ask once more, and tokens
//! already obtained stay in use until they expire or are rejected.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::ManualClock;
use crewsense::auth::{Ask, CredentialProvider, Credentials, CredentialsFuture, FileCredentials};
use crewsense::defaults::REFRESH_MARGIN;
use crewsense::{Client, Error};
use crewsense_sandbox::{DEFAULT_TOKEN_TTL, Sandbox};
use tokio::task::JoinHandle;

const CALLERS: usize = 100;
/// The wait after one failed token request before the next may start.
const BACKOFF: Duration = Duration::from_secs(1);

/// A secret store that the test updates by hand, later than the sandbox rotates.
#[derive(Debug)]
struct Store {
    id: String,
    secret: Mutex<String>,
    asks: Mutex<Vec<Ask>>,
}

impl Store {
    fn new(id: &str, secret: String) -> Arc<Self> {
        Arc::new(Self {
            id: id.to_owned(),
            secret: Mutex::new(secret),
            asks: Mutex::default(),
        })
    }

    fn set(&self, secret: String) {
        *self.secret.lock().unwrap() = secret;
    }

    fn asks(&self) -> Vec<Ask> {
        self.asks.lock().unwrap().clone()
    }
}

impl CredentialProvider for Store {
    fn credentials(&self, ask: Ask) -> CredentialsFuture<'_> {
        self.asks.lock().unwrap().push(ask);
        let secret = self.secret.lock().unwrap().clone();
        Box::pin(std::future::ready(Ok(Credentials::new(&self.id, secret))))
    }
}

/// A secret store that always has the sandbox's current secret, as one that the
/// rotation itself updates.
struct Current(Arc<Sandbox>);

impl std::fmt::Debug for Current {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Current")
    }
}

impl CredentialProvider for Current {
    fn credentials(&self, _ask: Ask) -> CredentialsFuture<'_> {
        let credentials = Credentials::new(self.0.client_id(), self.0.client_secret());
        Box::pin(std::future::ready(Ok(credentials)))
    }
}

fn client(
    sandbox: &Sandbox,
    provider: Arc<dyn CredentialProvider>,
    clock: &Arc<ManualClock>,
) -> Client {
    Client::builder()
        .credential_provider(provider)
        .base_url(sandbox.base_url())
        .token_url(sandbox.token_url())
        .clock(clock.clone())
        .build()
        .unwrap()
}

/// Waits until `condition` holds; a minute without it fails the test (the callers
/// stalled), however slow the machine.
async fn eventually(what: &str, condition: impl Fn() -> bool) {
    let wait = async {
        while !condition() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), wait)
        .await
        .unwrap_or_else(|_| panic!("waited a minute for {what}"));
}

/// `CALLERS` tasks calling `GET /company` again and again until stopped.
struct Pollers {
    stop: Arc<AtomicBool>,
    succeeded: Arc<AtomicUsize>,
    failed: Arc<Mutex<Vec<Error>>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Pollers {
    fn start(client: &Client) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let succeeded = Arc::new(AtomicUsize::new(0));
        let failed = Arc::new(Mutex::new(Vec::new()));
        let tasks = (0..CALLERS)
            .map(|_| {
                let (client, stop) = (client.clone(), stop.clone());
                let (succeeded, failed) = (succeeded.clone(), failed.clone());
                tokio::spawn(async move {
                    while !stop.load(Ordering::SeqCst) {
                        match client
                            .call(async |api| api.get_company().send().await)
                            .await
                        {
                            Ok(_) => {
                                succeeded.fetch_add(1, Ordering::SeqCst);
                            }
                            Err(error) => failed.lock().unwrap().push(error),
                        }
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                })
            })
            .collect();
        Self {
            stop,
            succeeded,
            failed,
            tasks,
        }
    }

    /// Waits for `calls` more successful calls.
    async fn succeed(&self, calls: usize) {
        let target = self.succeeded.load(Ordering::SeqCst) + calls;
        eventually("successful calls", || {
            self.succeeded.load(Ordering::SeqCst) >= target
        })
        .await;
    }

    fn failures(&self) -> usize {
        self.failed.lock().unwrap().len()
    }

    /// Stops the callers and returns the failed calls.
    async fn stop(self) -> Vec<Error> {
        self.stop.store(true, Ordering::SeqCst);
        for task in self.tasks {
            task.await.expect("a caller ran");
        }
        std::mem::take(&mut *self.failed.lock().unwrap())
    }
}

fn assert_none_failed(failures: &[Error]) {
    let first = failures.first();
    assert!(first.is_none(), "{} failed: {first:?}", failures.len());
}

/// Writes `text` as a private file beside `path`, then renames it over `path`, as
/// `crewsense auth login` does.
fn replace_file(path: &Path, text: &str) {
    use std::os::unix::fs::OpenOptionsExt;
    let temporary = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true).mode(0o600);
    std::io::Write::write_all(&mut options.open(&temporary).unwrap(), text.as_bytes()).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

fn profile(sandbox: &Sandbox, secret: &str) -> String {
    format!(
        "[profiles.p]\nclient_id = \"{}\"\nclient_secret = \"{secret}\"\nbase_url = \"{}\"\n",
        sandbox.client_id(),
        sandbox.base_url()
    )
}

/// A sandbox, a store that has its credentials, a client on a manual clock that asks
/// the store, and the callers polling through it, which have made 100 calls.
async fn polling_through_a_store() -> (Sandbox, Arc<Store>, Arc<ManualClock>, Pollers) {
    let sandbox = Sandbox::start().await.unwrap();
    let store = Store::new(sandbox.client_id(), sandbox.client_secret());
    let clock = ManualClock::new();
    let pollers = Pollers::start(&client(&sandbox, store.clone(), &clock));
    pollers.succeed(CALLERS).await;
    (sandbox, store, clock, pollers)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_call_fails_when_the_provider_has_the_new_secret_before_the_old_token_expires() {
    let (sandbox, store, clock, pollers) = polling_through_a_store().await;
    assert_eq!(sandbox.token_requests(), 1);

    let new = sandbox.rotate_credentials();
    // Due for refresh: the provider still has the old secret, refused twice (asked
    // again once), and the old token stays in use.
    clock.advance(DEFAULT_TOKEN_TTL - REFRESH_MARGIN);
    eventually("the refused refresh", || sandbox.token_requests() == 3).await;
    pollers.succeed(CALLERS).await;

    // The store learns the new secret; the next refresh, after the backoff, uses it.
    store.set(new);
    clock.advance(BACKOFF);
    eventually("the new token", || sandbox.tokens_seen().len() == 2).await;
    // Past the old token's expiry by the client's clock, the new one carries on.
    clock.advance(REFRESH_MARGIN);
    pollers.succeed(CALLERS).await;

    assert_none_failed(&pollers.stop().await);
    assert_eq!(sandbox.token_requests(), 4);
    assert_eq!(
        store.asks(),
        [Ask::TokenDue, Ask::TokenDue, Ask::Refused, Ask::TokenDue]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoking_rotation_costs_one_token_request_when_the_provider_is_current() {
    let sandbox = Arc::new(Sandbox::start().await.unwrap());
    let clock = ManualClock::new();
    let pollers = Pollers::start(&client(
        &sandbox,
        Arc::new(Current(sandbox.clone())),
        &clock,
    ));
    pollers.succeed(CALLERS).await;

    // Every caller's next request is rejected (401); one token request with the new
    // secret serves them all, and each rejected request is resent with it.
    sandbox.rotate_credentials_revoking();
    eventually("the new token", || sandbox.tokens_seen().len() == 2).await;
    pollers.succeed(CALLERS).await;

    assert_none_failed(&pollers.stop().await);
    assert_eq!(sandbox.token_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_revocation_calls_fail_for_one_token_fetch_then_recover() {
    let (sandbox, store, clock, pollers) = polling_through_a_store().await;

    // Revoked before the store has the new secret: the one token fetch (the old
    // secret, asked again, refused again) fails, and so do calls until its backoff ends.
    let new = sandbox.rotate_credentials_revoking();
    eventually("failing calls", || pollers.failures() > 0).await;
    assert_eq!(sandbox.token_requests(), 3);
    store.set(new);
    clock.advance(BACKOFF);
    eventually("the new token", || sandbox.tokens_seen().len() == 2).await;
    pollers.succeed(CALLERS).await;

    let failures = pollers.stop().await;
    assert!(
        failures.iter().all(Error::credentials_refused),
        "{:?}",
        failures.iter().find(|e| !e.credentials_refused())
    );
    assert_eq!(
        sandbox.token_requests(),
        4,
        "one failed fetch, then one that worked"
    );
}

#[tokio::test]
async fn a_refused_secret_with_no_new_one_is_reported_after_exactly_one_extra_request() {
    let sandbox = Sandbox::start().await.unwrap();
    let store = Store::new(sandbox.client_id(), "not-the-secret".into());
    let client = client(&sandbox, store.clone(), &ManualClock::new());

    let error = client.authenticate().await.unwrap_err();
    assert!(error.credentials_refused(), "{error:?}");
    assert_eq!(sandbox.token_requests(), 2);
    assert_eq!(store.asks(), [Ask::TokenDue, Ask::Refused]);

    // Not a loop: until the backoff ends, calls get the same answer with no request.
    let again = client
        .call(async |api| api.get_company().send().await)
        .await
        .unwrap_err();
    assert!(again.credentials_refused(), "{again:?}");
    assert_eq!(sandbox.token_requests(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_running_client_picks_up_a_rewritten_profile_at_its_next_token_fetch() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credentials.toml");
    replace_file(&path, &profile(&sandbox, &sandbox.client_secret()));
    let clock = ManualClock::new();
    let provider = Arc::new(FileCredentials::profile(&path, "p"));
    let pollers = Pollers::start(&client(&sandbox, provider, &clock));
    pollers.succeed(CALLERS).await;

    // Rotated, and the profile rewritten, as `crewsense auth login` does.
    let new = sandbox.rotate_credentials();
    replace_file(&path, &profile(&sandbox, &new));
    pollers.succeed(CALLERS).await;
    clock.advance(DEFAULT_TOKEN_TTL - REFRESH_MARGIN);
    eventually("the new token", || sandbox.tokens_seen().len() == 2).await;

    // Rotated again, revoking, and rewritten only afterwards: one refused fetch.
    let newer = sandbox.rotate_credentials_revoking();
    eventually("failing calls", || pollers.failures() > 0).await;
    replace_file(&path, &profile(&sandbox, &newer));
    clock.advance(BACKOFF);
    eventually("the third token", || sandbox.tokens_seen().len() == 3).await;
    pollers.succeed(CALLERS).await;

    let failures = pollers.stop().await;
    assert!(failures.iter().all(Error::credentials_refused));
    assert_eq!(sandbox.token_requests(), 5, "1 + 1 + (2 refused) + 1");
}
