//! Request extractors that answer in the API's own error shapes: numeric path ids
//! (anything else is a 404), lenient JSON/form bodies (400 on garbage) and query maps.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::{header, request::Parts};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The numeric path parameters of a route, in the order of the template.
#[derive(Debug)]
pub(crate) struct Ids<const N: usize>(pub(crate) [u64; N]);

impl<S: Send + Sync, const N: usize> FromRequestParts<S> for Ids<N> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound("Not found.".into()))?;
        let values: Vec<u64> = params
            .iter()
            .map(|(_, v)| v.parse::<u64>())
            .collect::<Result<_, _>>()
            .map_err(|_| ApiError::NotFound("No query results for the given id.".into()))?;
        values
            .try_into()
            .map(Ids)
            .map_err(|_| ApiError::NotFound("Not found.".into()))
    }
}

/// A request body as a JSON value: JSON, or a form whose fields become strings.
/// An empty body is an empty object.
#[derive(Debug)]
pub(crate) struct Body(pub(crate) Value);

impl Body {
    /// The body as an object (an empty one if it is something else).
    pub(crate) fn object(&self) -> Map<String, Value> {
        self.0.as_object().cloned().unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::BadRequest("The request body could not be read.".into()))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body(Value::Object(Map::new())));
        }
        if is_form {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
                .map_err(|_| ApiError::BadRequest("The form body is malformed.".into()))?;
            let map = pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            return Ok(Body(Value::Object(map)));
        }
        serde_json::from_slice(&bytes)
            .map(Body)
            .map_err(|_| ApiError::BadRequest("The request body is not valid JSON.".into()))
    }
}

/// The query string as a map (the last value of a repeated key wins).
#[derive(Debug, Default)]
pub(crate) struct Query(pub(crate) BTreeMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|_| ApiError::BadRequest("The query string is malformed.".into()))?;
        Ok(Query(pairs.into_iter().collect()))
    }
}

impl Query {
    /// The query as a JSON object of strings, for [`crate::validate::Check`].
    pub(crate) fn map(&self) -> Map<String, Value> {
        self.0
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect()
    }

    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}
