//! The generated low-level client itself, authenticated, for tools that drive its
//! operations on their own (the `crewsense api` command line).

use std::sync::Arc;

use crewsense_gen::hooks::ExchangeLog;

use crate::{Client, Error};

impl Client {
    /// A [`crewsense_gen::Client`](crate::api::Client) that sends a current access
    /// token and resends by this client's [`RetryPolicy`](crate::RetryPolicy).
    ///
    /// Prefer [`call`](Client::call): it also fetches a new token and resends once when
    /// the API rejects the token, and maps failures into [`Error`]. This is for code
    /// that needs the generated client's own builders and errors, such as a generated
    /// command line. The token is the one valid now; get a new client when it expires
    /// ([`authenticate`](Client::authenticate) says how long it has left).
    pub async fn generated_client(&self) -> Result<crewsense_gen::Client, Error> {
        let token = self.auth().token().await?;
        self.api(&token, &Arc::new(ExchangeLog::default()))
    }
}
