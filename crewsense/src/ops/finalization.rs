//! Batch (un)finalization of assignments, with partial failures returned as data.

use crewsense_gen::types::{FinalizationBatchRequest, FinalizationBatchResult};
use crewsense_gen::wire::{Date, Id};

use crate::{Client, Error};

/// What a batch (un)finalization did.
///
/// The API answers `200` with `success: true` even when some dates failed; those
/// failures are listed in [`failed`](Self::failed), so check
/// [`is_complete`](Self::is_complete).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Finalization {
    /// The server's summary, such as "All finaliziations processed successfully."
    pub message: Option<String>,
    /// One message per date that was processed (sent only on partial failure).
    pub succeeded: Vec<String>,
    /// One entry per date that failed.
    pub failed: Vec<FailedFinalization>,
}

/// One date of a batch that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FailedFinalization {
    /// The server's message, such as "Assignment (#882) is already finalized on 2018-12-05."
    pub message: String,
    /// The assignment, when the message names one as `(#id)`.
    pub assignment: Option<Id>,
    /// The date, when the message ends with one.
    pub date: Option<Date>,
}

impl Finalization {
    /// Whether every date was processed.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
    }
}

impl From<FinalizationBatchResult> for Finalization {
    fn from(result: FinalizationBatchResult) -> Self {
        Self {
            message: result.message,
            succeeded: result.success_messages.unwrap_or_default(),
            failed: result
                .error_messages
                .unwrap_or_default()
                .into_iter()
                .map(FailedFinalization::from_message)
                .collect(),
        }
    }
}

impl FailedFinalization {
    /// Reads the assignment and date out of a message of the form
    /// "Assignment (#882) is already finalized on 2018-12-05."; either may be missing.
    fn from_message(message: String) -> Self {
        let assignment = message
            .split_once("(#")
            .and_then(|(_, rest)| rest.split_once(')'))
            .and_then(|(id, _)| id.parse().ok());
        let date = message
            .split_whitespace()
            .rev()
            .find_map(|word| word.trim_end_matches(['.', ',', ';']).parse().ok());
        Self {
            message,
            assignment,
            date,
        }
    }
}

impl Client {
    /// Finalizes the assignments and dates of `batch` (`POST /finalization`).
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client, batch: crewsense::types::FinalizationBatchRequest)
    /// # -> Result<(), crewsense::Error> {
    /// let report = client.finalize(batch).await?;
    /// for failure in &report.failed {
    ///     eprintln!("not finalized: {:?} {:?}: {}", failure.assignment, failure.date, failure.message);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn finalize(&self, batch: FinalizationBatchRequest) -> Result<Finalization, Error> {
        let result = self
            .call(async move |api| api.finalize_assignments().body(batch.clone()).send().await)
            .await?;
        Ok(result.into())
    }

    /// Removes the finalization of the assignments and dates of `batch`
    /// (`DELETE /finalization`).
    pub async fn unfinalize(&self, batch: FinalizationBatchRequest) -> Result<Finalization, Error> {
        let result = self
            .call(async move |api| {
                api.unfinalize_assignments()
                    .body(batch.clone())
                    .send()
                    .await
            })
            .await?;
        Ok(result.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_messages_yield_assignment_and_date_when_present() {
        let failure = FailedFinalization::from_message(
            "Assignment (#882) is already finalized on 2018-12-05.".to_owned(),
        );
        assert_eq!(failure.assignment, Some(Id(882)));
        assert_eq!(failure.date, Some("2018-12-05".parse().unwrap()));

        let vague = FailedFinalization::from_message("Something went wrong (#abc)".to_owned());
        assert_eq!((vague.assignment, vague.date), (None, None));
    }
}
