//! `EnvCredentials` reads its variables at every token request. Alone in its test
//! binary, with variable names of its own, because it changes the environment of the
//! process.

use crewsense::auth::{CredentialsError, EnvCredentials, TokenError};
use crewsense::{Client, Error};
use crewsense_sandbox::Sandbox;

const ID_VAR: &str = "CREWSENSE_TEST_ENV_ROTATION_CLIENT_ID";
const SECRET_VAR: &str = "CREWSENSE_TEST_ENV_ROTATION_CLIENT_SECRET";

fn set(name: &str, value: &str) {
    // SAFETY: the only test of this binary, on a current-thread runtime: no other
    // thread reads or writes the environment meanwhile.
    unsafe { std::env::set_var(name, value) }
}

fn remove(name: &str) {
    // SAFETY: as for `set`.
    unsafe { std::env::remove_var(name) }
}

async fn company(client: &Client) -> Result<(), Error> {
    client
        .call(async |api| api.get_company().send().await)
        .await
        .map(drop)
}

#[tokio::test(flavor = "current_thread")]
async fn the_environment_provider_follows_a_changed_variable() {
    let sandbox = Sandbox::start().await.unwrap();
    set(ID_VAR, sandbox.client_id());
    set(SECRET_VAR, &sandbox.client_secret());
    let provider = EnvCredentials::from_vars(ID_VAR, SECRET_VAR);
    assert!(!format!("{provider:?}").contains(&sandbox.client_secret()));
    let client = Client::builder()
        .credential_provider(std::sync::Arc::new(provider))
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    company(&client).await.unwrap();

    // Rotated with its tokens revoked, and the variable changed: the next token
    // request reads it.
    let new = sandbox.rotate_credentials_revoking();
    set(SECRET_VAR, &new);
    company(&client).await.unwrap();
    assert_eq!(sandbox.token_requests(), 2);

    // A variable gone is a typed error that names it, and no token request.
    remove(ID_VAR);
    sandbox.expire_tokens();
    let error = company(&client).await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Token(TokenError::Credentials(CredentialsError::MissingEnv { variable })) if variable == ID_VAR
        ),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains(&new));
    assert_eq!(sandbox.token_requests(), 2);
    remove(SECRET_VAR);
}
