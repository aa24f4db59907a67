//! Neither the client secret nor any token shows up in a rendering of the client, its
//! builder, an error, or the tracing output.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use crewsense::{Client, Error};
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

#[tokio::test]
async fn secrets_stay_out_of_every_rendering_and_log() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(capture.clone())
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

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

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // The capture works: the lifecycle above was logged.
    for event in [
        "CrewSense access token refreshed",
        "rejected the access token",
        "crewsense.call{",
        "status=401",
    ] {
        assert!(logs.contains(event), "no `{event}` in the logs:\n{logs}");
    }
    assert_clean("the logs", &logs);
}
