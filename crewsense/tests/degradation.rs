//! One unreadable value in an answer degrades its own field, never the call: the rest
//! arrives, the client counts it, and strict decoding turns it into an error naming
//! the path. (The WARN event is checked in `decode_warnings.rs`.)

mod common;

use common::*;
use crewsense::Error;
use crewsense::ids::{CertificationId, UserId};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Seven users as production sends them: one with MySQL's zero date (read as no
/// date), one with an id nobody can read.
fn seven_users() -> Value {
    let users: Vec<Value> = (1..=7)
        .map(|n| {
            json!({
                "user_id": if n == 5 { json!("N/A") } else { json!(format!("{}", 1000 + n)) },
                "first_name": format!("First{n}"),
                "last_name": format!("Last{n}"),
                "employee_id": format!("E00{n}"),
                "accrual_start_date": if n == 3 { "0000-00-00" } else { "2020-01-15" },
            })
        })
        .collect();
    Value::Array(users)
}

async fn serving_users() -> MockServer {
    let server = MockServer::start().await;
    grant_tokens(&server, &["T1"]).await;
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .and(query_param("employee_id", "E005"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&seven_users()[4]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(seven_users()))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_user_with_an_unreadable_id_leaves_the_other_six_and_its_own_other_fields_intact() {
    let server = serving_users().await;
    let client = client(&server);

    let users = client
        .users()
        .await
        .expect("the list survives one odd field");

    assert_eq!(users.len(), 7);
    assert_eq!(users[4].first_name.as_deref(), Some("First5"));
    assert_eq!(users[4].user_id, None, "the unreadable id is absent");
    assert!(users[3].user_id.is_some(), "the siblings' ids are read");
    assert_eq!(users[2].accrual_start_date, None, "a zero date is no date");
    assert!(users[1].accrual_start_date.is_some());

    // One degradation, for the id; the zero date is the API's "no value", not a loss.
    let report = client.degradations();
    assert_eq!(report.total, 1);
    assert_eq!(report.recent[0].operation, "list_users");
    assert_eq!(report.recent[0].path, "[4].user_id");
    assert_eq!(report.recent[0].found, "\"N/A\"");
}

#[tokio::test]
async fn one_user_by_employee_id_keeps_its_shape_with_a_garbled_field() {
    let server = serving_users().await;
    let client = client(&server);

    let user = client
        .user_by_employee_id("E005")
        .await
        .expect("the single-object answer survives")
        .expect("the user is found");

    assert_eq!(user.employee_id.as_deref(), Some("E005"));
    assert_eq!(user.user_id, None);
    assert_eq!(client.take_degradations().recent[0].path, "user_id");
    assert_eq!(
        client.degradations().total,
        0,
        "taking the report resets it"
    );
}

#[tokio::test]
async fn a_thousand_concurrent_listings_all_survive_and_are_all_counted() {
    let server = serving_users().await;
    let client = client(&server);

    for result in users_at_once(&client, 1000).await {
        assert_eq!(result.expect("every listing succeeds").len(), 7);
    }
    let report = client.degradations();
    assert_eq!(report.total, 1000);
    assert_eq!(
        report.recent.len(),
        crewsense::degraded::RECENT_DEGRADATIONS
    );
}

#[tokio::test]
async fn strict_decoding_fails_the_call_naming_the_path() {
    let server = serving_users().await;
    let strict = builder(&server).strict_decoding(true).build().unwrap();

    let error = strict.users().await.unwrap_err();

    match &error {
        Error::Decode {
            operation, path, ..
        } => {
            assert_eq!(*operation, Some("list_users"));
            assert_eq!(path.as_deref(), Some("[4].user_id"));
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("at `[4].user_id`"), "{error}");
    assert_eq!(strict.degradations().total, 0);
}

#[tokio::test]
async fn strict_decoding_still_reads_zero_dates_as_no_date() {
    let server = MockServer::start().await;
    grant_tokens(&server, &["T1"]).await;
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"user_id": 1, "accrual_start_date": "0000-00-00", "date_of_hire": ""}
        ])))
        .mount(&server)
        .await;
    let strict = builder(&server).strict_decoding(true).build().unwrap();

    let users = strict.users().await.expect("no-value forms are not drift");

    assert_eq!(users[0].accrual_start_date, None);
    assert_eq!(users[0].date_of_hire, None);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_still_a_decode_error() {
    let server = MockServer::start().await;
    grant_tokens(&server, &["T1"]).await;
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[{\"id\": 1,", "application/json"))
        .mount(&server)
        .await;

    let error = client(&server).users().await.unwrap_err();

    assert!(
        matches!(error, Error::Decode { path: None, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_upload_answer_degrades_its_odd_field_like_every_other_answer() {
    let server = MockServer::start().await;
    grant_tokens(&server, &["T1"]).await;
    Mock::given(method("POST"))
        .and(path("/v1/users/1001/certifications/7/file"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true,
            "id": "N/A",
            "message": "File uploaded"
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let file =
        crewsense::CertificationFile::from_bytes("card.pdf", "application/pdf", b"%PDF".to_vec());

    let answer = client
        .upload_certification_file(UserId::new(1001), CertificationId::new(7), file)
        .await
        .expect("the answer survives its unreadable id");

    assert_eq!(answer.message.as_deref(), Some("File uploaded"));
    assert_eq!(answer.id, None);
    let report = client.degradations();
    assert_eq!(report.total, 1);
    assert_eq!(report.recent[0].operation, "upload_user_certification_file");
    assert_eq!(report.recent[0].path, "id");
}

#[tokio::test]
async fn an_upload_answer_that_is_no_json_names_the_operation_and_status() {
    let server = MockServer::start().await;
    grant_tokens(&server, &["T1"]).await;
    Mock::given(method("POST"))
        .and(path("/v1/users/1001/certifications/7/file"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>proxy</html>", "text/html"))
        .mount(&server)
        .await;
    let file =
        crewsense::CertificationFile::from_bytes("card.pdf", "application/pdf", b"%PDF".to_vec());

    let error = client(&server)
        .upload_certification_file(UserId::new(1001), CertificationId::new(7), file)
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(error.operation(), Some("upload_user_certification_file"));
    assert!(error.to_string().contains("text/html"), "{error}");
}
