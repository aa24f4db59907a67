//! The generated low-level client itself, authenticated, for tools that drive its
//! operations on their own (the `crewsense api` command line).

use std::sync::Arc;

use crewsense_gen::hooks::ExchangeLog;

use crate::observe::CallTrace;
use crate::{Client, Error};

impl Client {
    /// A [`crewsense_gen::Client`](crate::api::Client) that sends a current access
    /// token, resends a request whose token was refused once with a new one, resends
    /// by this client's [`RetryPolicy`](crate::retry::RetryPolicy) and decodes answers as
    /// this client does.
    ///
    /// Prefer [`call`](Client::call): it also maps failures into [`Error`], applies
    /// the call timeout and counts [`degradations`](Client::degradations). This is
    /// for code that needs the generated client's own builders and errors, such as a
    /// generated command line.
    pub async fn generated_client(&self) -> Result<crewsense_gen::Client, Error> {
        let log = Arc::new(ExchangeLog::default());
        let (api, _) = self.api(&log, &Arc::new(CallTrace::detached())).await?;
        Ok(api)
    }
}
