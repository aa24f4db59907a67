//! A catalogue of every operation in the spec: its id, method and path, and codecs
//! for the generated types of its request body and success response.
//!
//! The table itself ([`OPERATIONS`](crate::OPERATIONS)) is generated with the client,
//! so it always names the types the client really uses. Contract and conformance
//! tests walk it to decode recorded payloads and to call every operation.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::decode::{DecodeMode, Decoded};

/// Decodes a JSON payload into a generated type and encodes the result again, so a
/// caller can check that nothing was lost on the way.
pub type Codec = fn(&[u8]) -> Result<serde_json::Value, serde_json::Error>;

/// Like [`Codec`], through [`decode`](crate::decode::decode) for an operation in a
/// mode: what the client does with an answer, re-encoded, with what was left out.
pub type LenientCodec =
    fn(&[u8], &'static str, DecodeMode) -> Result<Decoded<serde_json::Value>, serde_json::Error>;

/// One documented operation.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct Operation {
    /// The spec's `operationId`, also the name of the generated method.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, as in the spec (`/users/{user_id}`).
    pub path: &'static str,
    /// Whether the generated client has a method for it; `false` for the operations
    /// the facade implements by hand (multipart uploads).
    pub generated: bool,
    /// Whether sending the operation twice has the effect of sending it once, so that
    /// a failed attempt may be resent: the spec's `x-crewsense-idempotent`, or else
    /// what the HTTP method promises. `false` for `PUT /users`, which creates a user.
    pub idempotent: bool,
    /// Decodes a success response body.
    pub response: Codec,
    /// Decodes a success response body as the client does, degrading what does not fit.
    pub lenient_response: LenientCodec,
    /// Decodes a request body, for operations that take one.
    pub request: Option<Codec>,
}

impl Operation {
    /// Finds the operation for `method` and a path template.
    pub fn find(method: &str, path: &str) -> Option<&'static Operation> {
        crate::OPERATIONS
            .iter()
            .find(|op| op.method.eq_ignore_ascii_case(method) && op.path == path)
    }

    /// Finds the operation by its `operationId`, in constant time (the retry layer
    /// asks for every request).
    pub fn by_id(id: &str) -> Option<&'static Operation> {
        static BY_ID: LazyLock<HashMap<&'static str, &'static Operation>> =
            LazyLock::new(|| crate::OPERATIONS.iter().map(|op| (op.id, op)).collect());
        BY_ID.get(id).copied()
    }
}

impl fmt::Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.method, self.path, self.id)
    }
}

/// Decodes `bytes` as `T` and re-encodes the value.
pub fn codec<T: DeserializeOwned + Serialize>(
    bytes: &[u8],
) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::to_value(serde_json::from_slice::<T>(bytes)?)
}

/// Decodes `bytes` as `T` with [`decode`](crate::decode::decode) and re-encodes the value.
pub fn lenient_codec<T: DeserializeOwned + Serialize>(
    bytes: &[u8],
    operation: &'static str,
    mode: DecodeMode,
) -> Result<Decoded<serde_json::Value>, serde_json::Error> {
    let decoded = crate::decode::decode::<T>(bytes, operation, mode)?;
    Ok(Decoded {
        value: serde_json::to_value(decoded.value)?,
        degraded: decoded.degraded,
    })
}

/// Decodes an error body (`{status, error, error_message}`).
pub fn error_codec(bytes: &[u8]) -> Result<serde_json::Value, serde_json::Error> {
    codec::<crate::types::Error>(bytes)
}

/// Decodes the token endpoint's answer.
pub fn token_codec(bytes: &[u8]) -> Result<serde_json::Value, serde_json::Error> {
    codec::<crate::types::AccessToken>(bytes)
}
