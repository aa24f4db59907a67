//! What a client's answers had to leave out: a count and the most recent values.
//!
//! One unreadable value in an answer degrades its own field (see
//! [`crewsense_gen::decode`]): the call succeeds, a WARN event with target
//! `crewsense::decode` names the operation and the path, and the client keeps count
//! here, so a program can notice drift without reading logs.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

pub use crewsense_gen::decode::Degradation;

/// How many of the most recent degradations a client keeps.
pub const RECENT_DEGRADATIONS: usize = 100;

/// The values a client's answers had to leave out, from
/// [`Client::degradations`](crate::Client::degradations).
///
/// ```
/// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
/// let users = client.users().await?;
/// let report = client.degradations();
/// for degraded in &report.recent {
///     eprintln!("{degraded}");
/// }
/// println!("{} users, {} values left out", users.len(), report.total);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DegradationReport {
    /// How many values were left out since the client was built (or last reset).
    pub total: u64,
    /// The most recent of them, oldest first, at most [`RECENT_DEGRADATIONS`].
    pub recent: Vec<Degradation>,
}

/// The count and the most recent degradations, shared by a client's clones.
#[derive(Debug, Default)]
pub(crate) struct DegradationLog(Mutex<Log>);

#[derive(Debug, Default)]
struct Log {
    total: u64,
    recent: VecDeque<Degradation>,
}

impl DegradationLog {
    pub(crate) fn record(&self, degraded: Vec<Degradation>) {
        if degraded.is_empty() {
            return;
        }
        let mut log = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        log.total = log.total.saturating_add(degraded.len() as u64);
        for one in degraded {
            if log.recent.len() == RECENT_DEGRADATIONS {
                log.recent.pop_front();
            }
            log.recent.push_back(one);
        }
    }

    pub(crate) fn report(&self, reset: bool) -> DegradationReport {
        let mut log = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let report = DegradationReport {
            total: log.total,
            recent: log.recent.iter().cloned().collect(),
        };
        if reset {
            *log = Log::default();
        }
        report
    }
}
