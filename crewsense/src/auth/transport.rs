//! [`Authorizing`]: the [`Transport`] of one call. It puts the call's bearer token on
//! each request, sends it through the retry policy, and resends a request the API
//! refused (`401`) once with a new token.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crewsense_gen::hooks::{BoxFuture, Transport, bearer};
use progenitor_client::OperationInfo;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Request, Response, StatusCode};
use secrecy::ExposeSecret;

use super::{Auth, Token, TokenError};
use crate::observe::CallTrace;
use crate::retry::Retrying;

/// Sends the requests of one call with its token.
pub(crate) struct Authorizing {
    auth: Arc<Auth>,
    retry: Arc<Retrying>,
    /// Where the call's attempts are counted.
    trace: Arc<CallTrace>,
    state: Mutex<State>,
}

struct State {
    /// The token the next request carries, and its header.
    token: Token,
    header: HeaderValue,
    /// Why no new token could be had after the API refused one.
    token_failure: Option<TokenError>,
}

impl Authorizing {
    /// A transport that starts with `token`; `None` if the token cannot go into a
    /// header (tokens are checked when they arrive, so this only guards that).
    pub(crate) fn new(
        auth: Arc<Auth>,
        retry: Arc<Retrying>,
        token: Token,
        trace: Arc<CallTrace>,
    ) -> Option<Self> {
        let header = header(&token)?;
        Some(Self {
            auth,
            retry,
            trace,
            state: Mutex::new(State {
                token,
                header,
                token_failure: None,
            }),
        })
    }

    /// Why a refused request could not be resent: no new token could be had.
    pub(crate) fn token_failure(&self) -> Option<TokenError> {
        self.state().token_failure.clone()
    }

    async fn run(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        info: &OperationInfo,
    ) -> reqwest::Result<Response> {
        let (token, header) = {
            let state = self.state();
            (state.token.clone(), state.header.clone())
        };
        request.headers_mut().insert(AUTHORIZATION, header);
        // Only a request whose body is buffered can be resent.
        let spare = request.try_clone();
        let (operation, trace, mut sent) = (info.operation_id, &*self.trace, 0);
        let response = self
            .retry
            .send(client, request, operation, trace, &mut sent)
            .await?;
        let response = match spare {
            Some(mut spare) if response.status() == StatusCode::UNAUTHORIZED => {
                match self.renew(&token).await {
                    Some(header) => {
                        trace.resending_with_new_token(operation);
                        drop(response);
                        spare.headers_mut().insert(AUTHORIZATION, header);
                        self.retry
                            .send(client, spare, operation, trace, &mut sent)
                            .await?
                    }
                    None => response,
                }
            }
            _ => response,
        };
        Ok(response)
    }

    /// After the API refused `rejected`: drops it if it is still the current token
    /// and returns the header of a different one, which later requests of the call
    /// carry too. `None` if there is none: a static token, or the token request
    /// failed (that failure is kept for the caller).
    async fn renew(&self, rejected: &Token) -> Option<HeaderValue> {
        if !self.auth.reject(rejected) {
            return None;
        }
        let renewed = self.auth.token().await;
        let mut state = self.state();
        match renewed {
            Ok(token) if !Arc::ptr_eq(&token, rejected) => {
                let header = header(&token)?;
                state.token = token;
                state.header = header.clone();
                Some(header)
            }
            Ok(_) => None,
            Err(error) => {
                state.token_failure = Some(error);
                None
            }
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Transport for Authorizing {
    fn send<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        info: &'a OperationInfo,
    ) -> BoxFuture<'a, reqwest::Result<Response>> {
        Box::pin(self.run(client, request, info))
    }
}

/// The `Authorization` header for `token`, if it can go into one.
fn header(token: &Token) -> Option<HeaderValue> {
    bearer(token.expose_secret()).ok()
}
