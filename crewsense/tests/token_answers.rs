//! Every token answer, however odd, gives a working client or a clear
//! `Error::Token`, never a panic.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use crewsense::Error;
use crewsense::auth::{MAX_TOKEN_LIFETIME, TokenError};
use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What a token answer should give.
#[derive(Debug)]
enum Outcome {
    /// A token living about this long.
    Lives(Duration),
    /// An invalid answer, for this reason.
    Refused(&'static str),
}

use Outcome::{Lives, Refused};

const HOUR: Duration = Duration::from_secs(3600);

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn answers() -> Vec<(Value, Outcome)> {
    let not_positive = "expires_in is not a positive number of seconds";
    let not_a_number = "expires_in is not a number of seconds";
    let no_token = "access_token is missing, empty or not a string";
    let token = |expires_in: Value| json!({"access_token": "T", "expires_in": expires_in});
    vec![
        (token(json!(i64::MAX)), Lives(MAX_TOKEN_LIFETIME)),
        (token(json!(u64::MAX)), Lives(MAX_TOKEN_LIFETIME)),
        (token(json!(1e300)), Lives(MAX_TOKEN_LIFETIME)),
        (
            token(json!("9223372036854775807")),
            Lives(MAX_TOKEN_LIFETIME),
        ),
        (token(json!(3600)), Lives(HOUR)),
        (token(json!("3600")), Lives(HOUR)),
        (token(json!(" 3600 ")), Lives(HOUR)),
        (
            token(json!(3600.75)),
            Lives(Duration::from_millis(3_600_750)),
        ),
        (
            token(json!("3600.75")),
            Lives(Duration::from_millis(3_600_750)),
        ),
        (token(json!(0)), Refused(not_positive)),
        (token(json!(0.0)), Refused(not_positive)),
        (token(json!(-1)), Refused(not_positive)),
        (token(json!(i64::MIN)), Refused(not_positive)),
        (token(json!("-86400")), Refused(not_positive)),
        (token(json!("soon")), Refused(not_a_number)),
        (token(json!("NaN")), Refused(not_a_number)),
        (token(json!("inf")), Refused(not_a_number)),
        (token(json!(true)), Refused(not_a_number)),
        (token(json!({"seconds": 60})), Refused(not_a_number)),
        (
            json!({"access_token": "T", "expires_in": null, "expires": unix_now() + 3600}),
            Lives(HOUR),
        ),
        (
            json!({"access_token": "T", "expires": (unix_now() + 3600).to_string()}),
            Lives(HOUR),
        ),
        (
            json!({"access_token": "T", "expires": 1426274440}),
            Refused("it has no expires_in and its expires is not in the future"),
        ),
        (
            json!({"access_token": "T", "expires": "never"}),
            Refused("expires is not a number of seconds"),
        ),
        (
            json!({"access_token": "T", "token_type": "bearer"}),
            Refused("it has neither expires_in nor expires"),
        ),
        (
            json!({"access_token": "T", "token_type": "Bearer", "expires_in": 3600}),
            Lives(HOUR),
        ),
        (
            json!({"access_token": "T", "token_type": null, "expires_in": 3600}),
            Lives(HOUR),
        ),
        (
            json!({"access_token": "T", "token_type": "mac", "expires_in": 3600}),
            Refused("token_type is not bearer"),
        ),
        (
            json!({"access_token": "T", "token_type": 1, "expires_in": 3600}),
            Refused("token_type is not bearer"),
        ),
        (
            json!({"access_token": "", "expires_in": 3600}),
            Refused(no_token),
        ),
        (
            json!({"access_token": 42, "expires_in": 3600}),
            Refused(no_token),
        ),
        (
            json!({"access_token": null, "expires_in": 3600}),
            Refused(no_token),
        ),
        (json!([]), Refused(no_token)),
        (json!(null), Refused(no_token)),
        (json!("T"), Refused(no_token)),
    ]
}

#[tokio::test]
async fn no_token_answer_panics_each_gives_a_token_or_a_clear_error() {
    for (body, expected) in answers() {
        let server = MockServer::start().await;
        Mock::given(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(&body))
            .mount(&server)
            .await;
        let result = client(&server).authenticate().await;
        match (&expected, result) {
            (Lives(lifetime), Ok(Some(left))) => {
                assert!(
                    left <= *lifetime && left + Duration::from_secs(60) > *lifetime,
                    "{body}: {left:?} left"
                );
            }
            (Refused(reason), Err(Error::Token(TokenError::InvalidAnswer { reason: got, .. }))) => {
                assert_eq!(got, *reason, "{body}");
            }
            (_, other) => panic!("{body}: expected {expected:?}, got {other:?}"),
        }
    }
}
