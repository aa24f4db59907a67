//! The generated low-level client, for what the typed shortcuts of
//! [`Client`](crate::Client) do not cover: [`Client::call`](crate::Client::call) hands
//! one to its closure, authenticated and retried.
//!
//! Every operation of the spec is a method of [`Client`] named by its `operationId`;
//! it returns a [`builder`] whose setters are named like the operation's parameters,
//! and whose `send()` returns an [`ApiResult`]. [`OPERATIONS`] lists them all.
//!
//! ```no_run
//! # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
//! use crewsense::api::ApiResult;
//! use crewsense::types::Group;
//!
//! // A helper over the generated client, usable inside any `call`.
//! async fn groups(api: &crewsense::api::Client) -> ApiResult<Vec<Group>> {
//!     api.list_groups().send().await
//! }
//! let groups = client.call(async |api| groups(api).await).await?;
//! # let _ = groups;
//! # Ok(()) }
//! ```

pub use crewsense_gen::catalog::Operation;
pub use crewsense_gen::{Client, ClientInfo, Error, OPERATIONS, ResponseValue, builder};

/// What an operation's `send()` returns: the answer with its status and headers, or
/// the generated client's [`Error`], which [`Client::call`](crate::Client::call) maps
/// into [`crate::Error`].
pub type ApiResult<T> = Result<ResponseValue<T>, Error<crate::types::Error>>;
