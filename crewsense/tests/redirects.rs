//! Redirects are followed within the API's origin and never to another one, so the
//! bearer token cannot follow a `Location` header elsewhere.

mod common;

use common::*;
use crewsense::Error;
use reqwest::StatusCode;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn redirect_to(location: String) -> ResponseTemplate {
    ResponseTemplate::new(302).insert_header("location", location)
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    grant_tokens(&api, &["T1"]).await;
    Mock::given(method("GET"))
        .and(path("/v1/groups"))
        .respond_with(redirect_to(format!("{}/v1/groups", elsewhere.uri())))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&elsewhere)
        .await;

    let error = client(&api)
        .call(async |api| api.list_groups().send().await)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::UnexpectedResponse {
                operation: Some("list_groups"),
                status: StatusCode::FOUND,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "the other origin got no request, so no token"
    );
    assert_eq!(received(&api, "/v1/groups").await.len(), 1);
}

#[tokio::test]
async fn a_redirect_within_the_origin_keeps_the_token() {
    let api = MockServer::start().await;
    grant_tokens(&api, &["T1"]).await;
    Mock::given(method("GET"))
        .and(path("/v1/groups"))
        .respond_with(redirect_to(format!("{}/v1/groups/all", api.uri())))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/groups/all"))
        .and(bearer("T1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&api)
        .await;

    let groups = client(&api)
        .call(async |api| api.list_groups().send().await)
        .await
        .unwrap();
    assert!(groups.is_empty());
    assert_eq!(received(&api, "/v1/groups/all").await.len(), 1);
}

#[tokio::test]
async fn the_token_endpoint_does_not_follow_a_redirect_elsewhere_either() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/steal", elsewhere.uri())),
        )
        .mount(&api)
        .await;

    let error = client(&api).users().await.unwrap_err();
    assert!(matches!(error, Error::Token(_)), "{error:?}");
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}
