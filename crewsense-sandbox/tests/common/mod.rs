//! Shared helpers: a started sandbox with a token and a reqwest client.

use crewsense_sandbox::Sandbox;
use reqwest::{Client, Method, RequestBuilder};
use serde_json::Value;

pub struct Harness {
    pub sandbox: Sandbox,
    pub client: Client,
    pub token: String,
}

impl Harness {
    pub async fn start() -> Self {
        Self::with(Sandbox::start().await.expect("sandbox starts")).await
    }

    pub async fn with(sandbox: Sandbox) -> Self {
        let client = Client::new();
        let token = fetch_token(&client, &sandbox).await;
        Self {
            sandbox,
            client,
            token,
        }
    }

    /// A request to `path` (relative to the base URL, or absolute) with the token.
    pub fn req(&self, method: Method, path: &str) -> RequestBuilder {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.sandbox.base_url())
        };
        self.client.request(method, url).bearer_auth(&self.token)
    }

    /// Sends and decodes: `(status, json body)`.
    pub async fn send(&self, req: RequestBuilder) -> (u16, Value) {
        let resp = req.send().await.expect("request is answered");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body is read");
        (
            status,
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{status} not JSON ({e}): {text}")),
        )
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.req(Method::GET, path)).await
    }
}

pub async fn fetch_token(client: &Client, sandbox: &Sandbox) -> String {
    let form = [
        ("client_id", sandbox.client_id()),
        ("client_secret", &sandbox.client_secret()),
        ("grant_type", "client_credentials"),
    ];
    let body: Value = client
        .post(sandbox.token_url())
        .form(&form)
        .send()
        .await
        .expect("token endpoint answers")
        .json()
        .await
        .expect("token JSON");
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}
