//! Neither the client secret nor any token shows up in a rendering of the client, its
//! builder, an error, or the tracing output.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use crewsense::auth::{
    Ask, CredentialProvider, Credentials, EnvCredentials, FileCredentials, TokenError,
};
use crewsense::{Client, Error};
use crewsense_sandbox::Sandbox;
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKENS: [&str; 4] = [
    "TOKEN-first-a1",
    "TOKEN-second-b2",
    "TOKEN-leaked-c3",
    "TOKEN-static-d4",
];

/// Collects everything the tracing subscriber writes.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    /// What was captured, after checking that it holds each of `events`.
    fn holding(&self, events: &[&str]) -> String {
        let logs = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
        for event in events {
            assert!(logs.contains(event), "no `{event}` in the logs:\n{logs}");
        }
        logs
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Every way an error can be printed: Display, Debug, pretty Debug and its sources.
fn renderings(error: &dyn std::error::Error) -> Vec<String> {
    let mut out = vec![
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ];
    let mut source = error.source();
    while let Some(inner) = source {
        out.push(inner.to_string());
        out.push(format!("{inner:?}"));
        source = inner.source();
    }
    out
}

fn assert_clean(what: &str, text: &str) {
    assert!(
        !text.contains(CLIENT_SECRET),
        "{what} shows the client secret: {text}"
    );
    for token in TOKENS {
        assert!(!text.contains(token), "{what} shows a token: {text}");
    }
}

/// The error of a call whose token endpoint answers `answer`.
async fn token_failure(answer: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(answer)
        .mount(&server)
        .await;
    client(&server).users().await.unwrap_err()
}

/// Captures every tracing event of this thread at any level, until the guard drops.
fn capture_logs() -> (Capture, tracing::subscriber::DefaultGuard) {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(capture.clone())
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (capture, guard)
}

#[tokio::test]
async fn secrets_stay_out_of_every_rendering_and_log() {
    let (capture, _guard) = capture_logs();

    // A full lifecycle: fetch, rejection, refresh, resend.
    let server = MockServer::start().await;
    grant_tokens(&server, &TOKENS[..2]).await;
    let rejected =
        ResponseTemplate::new(401).set_body_json(fixture("001_any_any_response_401.json"));
    for token in [TOKENS[0], TOKENS[3]] {
        Mock::given(path("/v1/users"))
            .and(bearer(token))
            .respond_with(rejected.clone())
            .mount(&server)
            .await;
    }
    Mock::given(path("/v1/users"))
        .and(bearer(TOKENS[1]))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let builder = builder(&server);
    let client = builder.clone().build().unwrap();
    client.users().await.unwrap();

    let mut errors = vec![
        // A token answer without expires_in, echoing the secret.
        token_failure(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": TOKENS[2], "client_secret": CLIENT_SECRET, "note": format!("for {CLIENT_SECRET}"),
        })))
        .await,
        // A refusal that quotes the secret in plain text.
        token_failure(ResponseTemplate::new(401).set_body_string(format!("bad secret {CLIENT_SECRET}"))).await,
        // An HTML page whose broken markup holds a token.
        token_failure(ResponseTemplate::new(200).set_body_string(format!(r#"<p>{{"access_token": "{}"</p>"#, TOKENS[2])))
            .await,
    ];
    let static_builder = Client::builder()
        .static_token(TOKENS[3])
        .base_url(format!("{}/v1", server.uri()));
    let static_client = static_builder.clone().build().unwrap();
    errors.push(static_client.users().await.unwrap_err());
    assert!(
        errors
            .iter()
            .all(|e| matches!(e, Error::Token(_) | Error::Unauthorized { .. })),
        "{errors:?}"
    );

    for error in &errors {
        for text in renderings(error) {
            assert_clean("an error", &text);
        }
    }
    for (what, text) in [
        ("the client", format!("{client:?} {client:#?}")),
        ("the builder", format!("{builder:?} {builder:#?}")),
        (
            "the static client",
            format!("{static_client:?} {static_client:#?}"),
        ),
        (
            "the static builder",
            format!("{static_builder:?} {static_builder:#?}"),
        ),
    ] {
        assert_clean(what, &text);
    }

    // The capture works: the lifecycle above was logged.
    let logs = capture.holding(&[
        "CrewSense access token refreshed",
        "rejected the access token",
        "crewsense.call{",
        "status=401",
    ]);
    assert_clean("the logs", &logs);
}

/// Writes a private profile file `p` with `secret`, replacing any file at `path`.
fn write_profile(path: &std::path::Path, id: &str, secret: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let temporary = path.with_extension("new");
    std::fs::write(
        &temporary,
        format!("[profiles.p]\nclient_id = \"{id}\"\nclient_secret = \"{secret}\"\n"),
    )
    .unwrap();
    std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(mode)).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

#[tokio::test]
async fn credential_providers_keep_the_secret_out_of_debug_errors_and_logs() {
    let (capture, _guard) = capture_logs();
    let sandbox = Sandbox::start().await.unwrap();
    let id = sandbox.client_id().to_owned();
    let old = sandbox.client_secret();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credentials.toml");
    write_profile(&path, &id, &old, 0o600);
    let file = Arc::new(FileCredentials::profile(&path, "p"));
    let clock = ManualClock::new();
    let builder = Client::builder()
        .credential_provider(file.clone())
        .base_url(sandbox.base_url())
        .clock(clock.clone());
    let client = builder.clone().build().unwrap();
    client.authenticate().await.unwrap();

    // Rotated and revoked before the file is: one refused fetch (asked again), then
    // the rewritten file is picked up at the next one.
    let new = sandbox.rotate_credentials_revoking();
    let call = async || {
        client
            .call(async |api| api.get_company().send().await)
            .await
            .map(drop)
    };
    let mut errors = vec![call().await.unwrap_err()];
    assert!(errors[0].credentials_refused(), "{:?}", errors[0]);
    write_profile(&path, &id, &new, 0o600);
    clock.advance(std::time::Duration::from_secs(1));
    call().await.unwrap();

    // Every kind of provider failure.
    let exposed = dir.path().join("exposed.toml");
    write_profile(&exposed, &id, &new, 0o644);
    let broken = dir.path().join("broken.toml");
    std::fs::write(
        &broken,
        format!("client_id = \"{id}\"\nclient_secret = {new}\n"),
    )
    .unwrap();
    let env = EnvCredentials::from_vars(
        "CREWSENSE_TEST_SECRETS_UNSET_ID",
        "CREWSENSE_TEST_SECRETS_UNSET_SECRET",
    );
    let empty = Credentials::new(&id, "");
    let providers: [Arc<dyn CredentialProvider>; 4] = [
        Arc::new(FileCredentials::profile(&exposed, "p")),
        Arc::new(FileCredentials::new(&broken)),
        Arc::new(env.clone()),
        Arc::new(empty),
    ];
    for provider in providers {
        let failing = Client::builder()
            .credential_provider(provider)
            .base_url(sandbox.base_url())
            .build()
            .unwrap();
        let error = failing.authenticate().await.unwrap_err();
        assert!(
            matches!(&error, Error::Token(TokenError::Credentials(_))),
            "{error:?}"
        );
        errors.push(error);
    }

    let fixed = Credentials::new(&id, new.clone());
    let returned = file.credentials(Ask::TokenDue).await.unwrap();
    let debug = [
        format!("{fixed:?} {fixed:#?} {returned:?} {returned:#?}"),
        format!("{file:?} {env:?} {builder:?} {client:#?}"),
    ];
    let logs = capture.holding(&[
        "asking their provider again",
        "CrewSense access token refreshed",
        "fetching a CrewSense access token failed",
    ]);
    let texts = errors
        .iter()
        .flat_map(|e| renderings(e))
        .chain(debug)
        .chain([logs]);
    for text in texts {
        assert!(
            !text.contains(&old) && !text.contains(&new),
            "a secret shows: {text}"
        );
    }
}
