//! An answer exactly as it arrived: [`RawAnswer`] and [`Client::fetch_raw`], for
//! tools that look at the API itself (`crewsense doctor`) rather than at its data.

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use crewsense_gen::catalog::Operation;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, DATE, HeaderValue};

use crate::{Client, Error, RawRequest};

/// One answer of the API, undecoded.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RawAnswer {
    /// Its status, whatever it is (an error status is an answer too).
    pub status: StatusCode,
    /// Its `Date` header, if it had a readable one: the server's clock.
    pub date: Option<SystemTime>,
    /// When the answer arrived, by this machine's clock (to compare with `date`).
    pub received: SystemTime,
    /// Its body.
    pub body: Bytes,
    /// From sending the request to the end of the body, resends included.
    pub latency: Duration,
}

impl Client {
    /// Sends a hand-built request and returns the answer as it arrived, whatever its
    /// status: nothing is decoded.
    ///
    /// Like [`send_raw`](Client::send_raw), it is authenticated, resent once with a
    /// new token after a rejected one and under the client's retry policy; only a
    /// request that got no answer at all (or whose token could not be obtained) fails.
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// let answer = client.fetch_raw(crewsense::RawRequest::new("list_groups")?).await?;
    /// println!("{} in {:?}: {} bytes", answer.status, answer.latency, answer.body.len());
    /// # Ok(()) }
    /// ```
    pub async fn fetch_raw(&self, request: RawRequest) -> Result<RawAnswer, Error> {
        let target = request.target(self.base_url())?;
        self.call(async |api| fetch(api, request.operation(), request.builder(api, &target)).await)
            .await
    }
}

/// Sends `builder` through the generated client's hooks (headers, token, retries,
/// exchange log) and reads the answer's body, whatever its status.
async fn fetch(
    api: &crewsense_gen::Client,
    operation: &'static Operation,
    builder: reqwest::RequestBuilder,
) -> crate::api::ApiResult<RawAnswer> {
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
    let started = Instant::now();
    api.pre(&mut request, &info).await?;
    let result = api.exec(request, &info).await;
    api.post(&result, &info).await?;
    let response = result?;
    let status = response.status();
    let headers = response.headers().clone();
    let date = headers
        .get(DATE)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| httpdate::parse_http_date(text).ok());
    let body = response
        .bytes()
        .await
        .map_err(progenitor_client::Error::ResponseBodyError)?;
    let answer = RawAnswer {
        status,
        date,
        received: SystemTime::now(),
        body,
        latency: started.elapsed(),
    };
    Ok(ResponseValue::new(answer, status, headers))
}
