//! `FileCredentials` against the sandbox: TOML and JSON files followed through
//! rewrites, files that others can read refused, errors that name the file and
//! never quote it.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

use common::ManualClock;
use crewsense::auth::{Ask, CredentialProvider, CredentialsError, FileCredentials, TokenError};
use crewsense::{Client, Error};
use crewsense_sandbox::Sandbox;
use secrecy::ExposeSecret;

fn client(sandbox: &Sandbox, provider: &Arc<FileCredentials>) -> Client {
    Client::builder()
        .credential_provider(provider.clone())
        .base_url(sandbox.base_url())
        .token_url(sandbox.token_url())
        .clock(ManualClock::new())
        .build()
        .unwrap()
}

fn write(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Writes a private file beside `path`, then renames it over `path`.
fn replace(path: &Path, text: &str) {
    let temporary = path.with_extension("new");
    write(&temporary, text, 0o600);
    std::fs::rename(&temporary, path).unwrap();
}

fn json(sandbox: &Sandbox, secret: &str) -> String {
    serde_json::json!({ "client_id": sandbox.client_id(), "client_secret": secret }).to_string()
}

fn toml(sandbox: &Sandbox, secret: &str) -> String {
    format!(
        "# rotated\nclient_id = \"{}\"\nclient_secret = \"{secret}\"\n",
        sandbox.client_id()
    )
}

async fn company(client: &Client) -> Result<(), Error> {
    client
        .call(async |api| api.get_company().send().await)
        .await
        .map(drop)
}

#[tokio::test]
async fn a_rewritten_file_is_read_at_the_next_token_request_in_either_format() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crewsense.json");
    write(&path, &json(&sandbox, &sandbox.client_secret()), 0o600);
    let provider = Arc::new(FileCredentials::new(&path));
    let client = client(&sandbox, &provider);
    company(&client).await.unwrap();

    // Replaced by a rename, now in TOML: the rejected token's replacement uses it.
    let new = sandbox.rotate_credentials_revoking();
    replace(&path, &toml(&sandbox, &new));
    company(&client).await.unwrap();
    assert_eq!(sandbox.token_requests(), 2);

    // Rewritten in place with a secret of the same length: picked up by its stamp,
    // or at the latest when the secret it remembered is refused.
    let newer = sandbox.rotate_credentials_revoking();
    write(&path, &toml(&sandbox, &newer), 0o600);
    company(&client).await.unwrap();
    assert!((3..=4).contains(&sandbox.token_requests()));
}

#[tokio::test]
async fn a_file_that_others_can_read_is_refused_without_a_token_request() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credentials.toml");
    let secret = sandbox.client_secret();
    let provider = Arc::new(FileCredentials::new(&path));

    for mode in [0o644, 0o640, 0o604] {
        write(&path, &toml(&sandbox, &secret), mode);
        let error = client(&sandbox, &provider)
            .authenticate()
            .await
            .unwrap_err();
        let refused = match &error {
            Error::Token(TokenError::Credentials(refused)) => refused,
            other => panic!("{other:?}"),
        };
        assert!(refused.is_not_private(), "{refused:?}");
        assert_eq!(refused.path(), Some(path.as_path()));
        let text = format!("{error} {error:?}");
        assert!(
            text.contains("chmod 600") && !text.contains(&secret),
            "{text}"
        );
    }
    assert_eq!(sandbox.token_requests(), 0);

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    client(&sandbox, &provider).authenticate().await.unwrap();
    assert_eq!(sandbox.token_requests(), 1);
}

#[tokio::test]
async fn file_errors_name_the_file_and_line_and_never_quote_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credentials.toml");
    let secret = "s3cr3t-on-a-broken-line";
    let ask = async |provider: FileCredentials| provider.credentials(Ask::TokenDue).await;

    let missing = ask(FileCredentials::new(&path)).await.unwrap_err();
    assert!(
        matches!(&missing, CredentialsError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    );

    let profile =
        |secret: &str| format!("[profiles.p]\nclient_id = \"x\"\nclient_secret = {secret}\n");
    write(&path, &profile(secret), 0o600);
    let broken = ask(FileCredentials::profile(&path, "p")).await.unwrap_err();
    assert!(
        matches!(broken, CredentialsError::Malformed { line: Some(3), .. }),
        "{broken:?}"
    );

    write(&path, &profile(&format!("\"{secret}\"")), 0o600);
    let elsewhere = ask(FileCredentials::profile(&path, "q")).await.unwrap_err();
    assert!(
        elsewhere.to_string().ends_with("no profile named `q`"),
        "{elsewhere}"
    );
    let found = ask(FileCredentials::profile(&path, "p")).await.unwrap();
    assert_eq!(found.client_secret().expose_secret(), secret);

    for error in [missing, broken, elsewhere] {
        let text = format!("{error} {error:?}");
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(!text.contains(secret), "{text}");
    }
}
