//! The requests the facade builds by hand, end to end against the sandbox: the
//! certification file upload (multipart) and raw-body calls of any operation.

use crewsense::ids::{CertificationId, UserId};
use crewsense::types::CreateCertificationRequest;
use crewsense::wire::Id;
use crewsense::{CertificationFile, Client, Error, RawRequest};
use crewsense_sandbox::Sandbox;
use crewsense_tests::sandbox_client;
use serde_json::{Value, json};

const UPLOAD: &str = "POST /users/{user_id}/certifications/{id}/file";
const USER: UserId = UserId::new(1001);
const ADMIN: Id = Id(1002);

fn client(sandbox: &Sandbox) -> Client {
    sandbox_client(sandbox).build().unwrap()
}

/// A new certification given to `USER`: the id of the user's record.
async fn certification_record(client: &Client) -> Id {
    let cert = CreateCertificationRequest {
        name: "Hazmat Technician".to_owned(),
        cert_id: "HMT".to_owned(),
        created_by: ADMIN,
    };
    let created = client
        .call(async |api| api.create_certification().body(cert.clone()).send().await)
        .await
        .unwrap();
    let given = RawRequest::new("add_user_certification")
        .unwrap()
        .path_param(USER)
        .json(json!({ "id": created.id.unwrap().0 }));
    let answer = client.send_raw(given).await.unwrap();
    Id(answer["id"].as_u64().unwrap())
}

/// What the sandbox stored of the record's file.
async fn stored_file(client: &Client, record: Id) -> Value {
    let read = RawRequest::new("get_user_certification")
        .unwrap()
        .path_param(USER)
        .path_param(record.0);
    client.send_raw(read).await.unwrap()["file"].clone()
}

/// FNV-1a, as the sandbox computes it for an upload.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[tokio::test]
async fn a_certification_file_in_memory_uploads_with_its_name_type_and_bytes() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let record = certification_record(&client).await;
    let pdf = b"%PDF-1.4\n% hazmat card\n".to_vec();
    let file = CertificationFile::from_bytes("card.pdf", "application/pdf", pdf.clone());

    let answer = client
        .upload_certification_file(USER, CertificationId::from(record), file)
        .await
        .unwrap();

    assert_eq!(answer.id, Some(record));
    let stored = stored_file(&client, record).await;
    assert_eq!(stored["name"], "card.pdf");
    assert_eq!(stored["content_type"], "application/pdf");
    assert_eq!(stored["size"], pdf.len());
    assert_eq!(stored["fnv1a"], fnv1a(&pdf));
    assert_eq!(sandbox.requests(UPLOAD), 1);
}

#[tokio::test]
async fn a_streamed_certification_file_arrives_whole() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let record = certification_record(&client).await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..64u8).map(|i| Ok(vec![i; 1024])).collect();
    let whole: Vec<u8> = (0..64u8).flat_map(|i| vec![i; 1024]).collect();
    let file = CertificationFile::from_stream(
        "scan.jpg",
        "image/jpeg",
        64 * 1024,
        futures::stream::iter(chunks),
    );

    client
        .upload_certification_file(USER, CertificationId::from(record), file)
        .await
        .unwrap();

    let stored = stored_file(&client, record).await;
    assert_eq!(stored["name"], "scan.jpg");
    assert_eq!(stored["content_type"], "image/jpeg");
    assert_eq!(stored["size"], 64 * 1024);
    assert_eq!(stored["fnv1a"], fnv1a(&whole));
}

#[tokio::test]
async fn a_file_over_its_limit_is_refused_before_anything_is_sent() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let file =
        CertificationFile::from_bytes("big.pdf", "application/pdf", vec![0; 2048]).limit(1024);

    let error = client
        .upload_certification_file(USER, CertificationId::new(1), file)
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            Error::FileTooLarge {
                operation: "upload_user_certification_file",
                size: 2048,
                limit: 1024,
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.operation(), Some("upload_user_certification_file"));
    assert_eq!(sandbox.total_requests(), 0);
    assert_eq!(sandbox.token_requests(), 0);
}

#[tokio::test]
async fn a_stream_longer_than_declared_fails_instead_of_passing_the_limit() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let record = certification_record(&client).await;
    let chunks = futures::stream::iter([Ok::<_, std::io::Error>(vec![1u8; 600]), Ok(vec![2; 600])]);
    let file = CertificationFile::from_stream("card.pdf", "application/pdf", 1000, chunks);

    let error = client
        .upload_certification_file(USER, CertificationId::from(record), file)
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(stored_file(&client, record).await, Value::Null);
}

#[tokio::test]
async fn a_content_type_that_is_no_mime_type_is_an_invalid_request() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let file = CertificationFile::from_bytes("card.pdf", "not a type", b"%PDF".to_vec());

    let error = client
        .upload_certification_file(USER, CertificationId::new(1), file)
        .await
        .unwrap_err();

    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert_eq!(sandbox.requests(UPLOAD), 0);
}

#[tokio::test]
async fn a_raw_body_reaches_an_operation_whose_body_the_spec_only_guesses() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let cycles = client
        .send_raw(RawRequest::new("list_visual_cycles").unwrap())
        .await
        .unwrap();
    let cycle = cycles[0]["id"].clone();
    let body = json!({
        "name": "Raw cycle",
        "start": "2025-07-01 00:00:00",
        "end": "2025-07-28 00:00:00",
        "color": "#102030",
        "text_color": "#ffffff",
        "a_field_the_spec_does_not_know": true,
    });

    let answer = client
        .send_raw(
            RawRequest::new("update_visual_cycle")
                .unwrap()
                .path_param(cycle.as_str().map_or(cycle.to_string(), str::to_owned))
                .json(body),
        )
        .await
        .unwrap();

    assert_eq!(answer["success"], true, "{answer}");
    let id = Id(cycle
        .as_str()
        .map_or_else(|| cycle.as_u64(), |s| s.parse().ok())
        .unwrap());
    let read = client
        .call(async |api| api.get_visual_cycle().id(id).send().await)
        .await
        .unwrap();
    assert_eq!(read.name.as_deref(), Some("Raw cycle"));
    let log = sandbox.request_log();
    let sent = log
        .iter()
        .find(|r| r.route == "PUT /visual_cycles/{id}")
        .unwrap();
    assert_eq!(sent.status, 200);
}

#[tokio::test]
async fn a_raw_request_maps_the_api_errors_like_a_typed_one() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let missing = RawRequest::new("get_user").unwrap().path_param(999_999);

    let error = client.send_raw(missing).await.unwrap_err();

    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.operation(), Some("get_user"));
}

#[tokio::test]
async fn a_raw_request_with_the_wrong_path_parameters_is_never_sent() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);

    let unknown = RawRequest::new("get_everything").unwrap_err();
    let too_few = client
        .send_raw(
            RawRequest::new("get_user_certification")
                .unwrap()
                .path_param(1),
        )
        .await
        .unwrap_err();
    let too_many = client
        .send_raw(
            RawRequest::new("get_user")
                .unwrap()
                .path_param(1)
                .path_param(2),
        )
        .await
        .unwrap_err();

    for error in [unknown, too_few, too_many] {
        assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    }
    assert_eq!(sandbox.total_requests(), 0);
}

#[tokio::test]
async fn a_raw_path_parameter_is_percent_encoded() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);

    let error = client
        .send_raw(RawRequest::new("get_user").unwrap().path_param("1/../2"))
        .await
        .unwrap_err();

    assert!(error.status().is_some(), "{error:?}");
    let log = sandbox.request_log();
    assert_eq!(log.last().unwrap().path_and_query, "/v1/users/1%2F..%2F2");
}
