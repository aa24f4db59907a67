//! [`Pause`]: a `Retry-After` that holds back every request sent through one
//! [`Retrying`](super::Retrying), not only the one that was told to wait.
//!
//! A `429` says the client as a whole sends too much. When the concurrent pages of a
//! stream (or any tasks sharing a client) each learned that on their own, the ones
//! that had not asked yet would each collect a `429` of their own first.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// The instant before which no request is sent, if one was asked for.
#[derive(Debug, Default)]
pub(crate) struct Pause(Mutex<Option<Instant>>);

impl Pause {
    /// Holds requests back for `wait` from now, unless they already are for longer.
    pub(crate) fn hold_for(&self, wait: Duration) {
        let Some(until) = Instant::now().checked_add(wait) else {
            return;
        };
        let mut held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if held.is_none_or(|held| held < until) {
            *held = Some(until);
        }
    }

    /// Waits until requests may be sent.
    pub(crate) async fn wait(&self) {
        let until = *self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_shorter_wait_does_not_cut_a_longer_one() {
        let pause = Pause::default();
        let started = Instant::now();
        pause.wait().await;
        assert_eq!(started.elapsed(), Duration::ZERO, "nothing held yet");
        pause.hold_for(Duration::from_secs(10));
        pause.hold_for(Duration::from_secs(2));
        pause.wait().await;
        assert_eq!(started.elapsed(), Duration::from_secs(10));
    }
}
