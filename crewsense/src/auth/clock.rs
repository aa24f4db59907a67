//! The clock that decides when a cached token is due for refresh.

use std::fmt;
use std::time::Instant;

/// A source of the current time for token expiry.
///
/// The default, [`TokioClock`], follows tokio's clock, so tests that pause time
/// (`#[tokio::test(start_paused = true)]`) control expiry without sleeping. Supply
/// your own through [`ClientBuilder::clock`](crate::ClientBuilder::clock) to move time
/// by hand, for example while real network I/O keeps tokio's clock running.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current instant.
    fn now(&self) -> Instant;
}

/// The default [`Clock`]: tokio's `Instant::now`, which honours paused test time.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }
}
