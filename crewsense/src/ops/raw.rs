//! Any operation with a body of the caller's choosing: [`RawRequest`] and
//! [`Client::send_raw`].
//!
//! The spec's request bodies are partly inferred (fields marked
//! `x-crewsense-inferred`). Where a guess of ours is wrong, a raw request still
//! reaches the operation with whatever JSON the API wants, with the same token
//! handling, retries and errors as the typed call.

use crewsense_gen::catalog::Operation;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{ACCEPT, HeaderValue};
use serde::de::DeserializeOwned;

use crate::api::ApiResult;
use crate::{Client, Error};

/// One call of a catalogued operation, built by hand: path parameters in the order
/// of the path template, query parameters, and an optional JSON body.
///
/// ```no_run
/// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
/// use crewsense::RawRequest;
/// use serde_json::json;
///
/// // A body the spec does not describe: PUT /trades/{id} is undocumented.
/// let request = RawRequest::new("replace_trade")?
///     .path_param(44799)
///     .json(json!({ "accepting_user_id": 145, "swap_note": "per phone call" }));
/// let answer = client.send_raw(request).await?;
/// println!("{answer}");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct RawRequest {
    operation: &'static Operation,
    path: Vec<String>,
    query: Vec<(String, String)>,
    body: Option<serde_json::Value>,
}

impl RawRequest {
    /// A request for the operation with this `operationId` (as in the spec, and as the
    /// generated client's method is named).
    ///
    /// Fails with [`Error::InvalidRequest`] if the catalogue has no such operation.
    pub fn new(operation_id: &str) -> Result<Self, Error> {
        let operation = Operation::by_id(operation_id).ok_or_else(|| Error::InvalidRequest {
            operation: None,
            message: format!("no operation `{operation_id}` in the catalogue"),
        })?;
        Ok(Self {
            operation,
            path: Vec::new(),
            query: Vec::new(),
            body: None,
        })
    }

    /// The next path parameter, in the order of the path template
    /// (`/users/{user_id}/certifications/{id}`: the user first). It is percent-encoded.
    pub fn path_param(mut self, value: impl ToString) -> Self {
        self.path.push(value.to_string());
        self
    }

    /// Adds the query parameter `name=value`.
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Sends `body` as the JSON request body (`Content-Type: application/json`).
    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The operation this request calls.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }
}

impl Client {
    /// Sends a hand-built request and answers the JSON body of a success.
    ///
    /// Like [`call`](Client::call): authenticated, resent after a rejected token and
    /// under the client's retry policy (which reads the operation's idempotency from
    /// the catalogue), with the API's error answers mapped into [`Error`]. The answer
    /// is not checked against the spec; decode it with `serde_json::from_value` into
    /// a generated type if it should have one.
    pub async fn send_raw(&self, request: RawRequest) -> Result<serde_json::Value, Error> {
        let target = request.target(self.base_url())?;
        self.call(async |api| {
            send_built(api, request.operation, request.builder(api, &target)).await
        })
        .await
    }
}

/// Where a [`RawRequest`] goes: its method and URL, checked once before any attempt.
pub(crate) struct Target {
    method: reqwest::Method,
    url: url::Url,
}

impl RawRequest {
    /// The method and URL of this request against `base_url`.
    pub(crate) fn target(&self, base_url: &str) -> Result<Target, Error> {
        let operation = self.operation;
        let url = url_for(base_url, operation, &self.path)?;
        let method = reqwest::Method::from_bytes(operation.method.as_bytes()).map_err(|_| {
            Error::InvalidRequest {
                operation: Some(operation.id),
                message: format!("bad method {}", operation.method),
            }
        })?;
        Ok(Target { method, url })
    }

    /// This request as a builder on `api`'s HTTP client, for one attempt.
    pub(crate) fn builder(
        &self,
        api: &crewsense_gen::Client,
        target: &Target,
    ) -> reqwest::RequestBuilder {
        let builder = api
            .client()
            .request(target.method.clone(), target.url.clone())
            .query(&self.query);
        match &self.body {
            Some(body) => builder.json(body),
            None => builder,
        }
    }
}

/// The URL of `operation` with its `{...}` segments replaced by `params`, in order.
pub(crate) fn url_for(
    base_url: &str,
    operation: &'static Operation,
    params: &[String],
) -> Result<url::Url, Error> {
    let invalid = |message: String| Error::InvalidRequest {
        operation: Some(operation.id),
        message,
    };
    let mut url = url::Url::parse(base_url).map_err(|e| invalid(format!("base URL: {e}")))?;
    let mut params = params.iter();
    {
        let mut segments = url
            .path_segments_mut()
            .map_err(|()| invalid("the base URL cannot take a path".to_owned()))?;
        segments.pop_if_empty();
        for segment in operation.path.split('/').filter(|s| !s.is_empty()) {
            if segment.starts_with('{') {
                let value = params.next().ok_or_else(|| {
                    invalid(format!("{} needs more path parameters", operation.path))
                })?;
                segments.push(value);
            } else {
                segments.push(segment);
            }
        }
    }
    if params.next().is_some() {
        return Err(invalid(format!(
            "{} takes fewer path parameters",
            operation.path
        )));
    }
    Ok(url)
}

/// Sends a request built outside the generated client through its hooks, as a
/// generated `send()` does: the `api-version` and `Accept` headers, the token, the
/// retry transport, the exchange log, and the answer decoded by
/// [`decode_response`](crewsense_gen::Client::decode_response) (lenient decoding, the
/// degradation count and the decode turn), success and error answers alike.
pub(crate) async fn send_built<T: DeserializeOwned>(
    api: &crewsense_gen::Client,
    operation: &'static Operation,
    builder: reqwest::RequestBuilder,
) -> ApiResult<T> {
    let mut request = builder
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .header(
            "api-version",
            HeaderValue::from_static(crewsense_gen::Client::api_version()),
        )
        .build()?;
    let info = OperationInfo {
        operation_id: operation.id,
    };
    api.pre(&mut request, &info).await?;
    let result = api.exec(request, &info).await;
    api.post(&result, &info).await?;
    let response = result?;
    match response.status().as_u16() {
        200..=299 => api.decode_response(response, &info).await,
        400..=599 => Err(progenitor_client::Error::ErrorResponse(
            api.decode_response(response, &info).await?,
        )),
        _ => Err(progenitor_client::Error::UnexpectedResponse(response)),
    }
}
