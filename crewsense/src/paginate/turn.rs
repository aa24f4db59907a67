//! Turns to decode: pages fetched at once are decoded in the order the caller reads
//! them.
//!
//! The answers of a round of periods tend to arrive together. Decoded in whatever
//! order the runtime polls their tasks, the page the caller waits for may come last,
//! and on a single-threaded runtime the next round of requests then waits for every
//! decode of this one. So each page's answer is read as it arrives but decoded only
//! once the stream gives it its turn: when the page is next in line for the caller.
//!
//! Waiting for the turn is waiting for the caller, not for the server, so it does not
//! count against the call's timeout ([`Turn::limit`]).

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crewsense_gen::hooks::{BoxFuture, DecodeTurn};
use tokio::sync::watch;
use tokio::time::Instant;

/// The stream's side of a page's turn. Dropping it gives the turn as well, so a page
/// never waits for a stream that has gone.
pub(crate) struct Giver(watch::Sender<bool>);

/// The fetching side: what the page's decode waits for.
#[derive(Debug)]
pub(crate) struct Turn {
    given: watch::Receiver<bool>,
    waited: Mutex<Waited>,
}

/// How long a page has waited for its turn.
#[derive(Debug, Default)]
struct Waited {
    total: Duration,
    /// Since when, while it waits.
    since: Option<Instant>,
}

/// A turn not yet given.
pub(crate) fn turn() -> (Giver, Arc<Turn>) {
    let (give, given) = watch::channel(false);
    let turn = Turn {
        given,
        waited: Mutex::default(),
    };
    (Giver(give), Arc::new(turn))
}

impl Giver {
    /// Lets the page be decoded as soon as its answer has arrived.
    pub(crate) fn give(&self) {
        self.0.send_replace(true);
    }
}

impl Turn {
    /// Runs `work` within `limit`, leaving out the time it spends waiting for its
    /// turn; `None` if the limit ran out first.
    pub(crate) async fn limit<F: Future>(&self, limit: Duration, work: F) -> Option<F::Output> {
        let started = Instant::now();
        let mut work = pin!(work);
        loop {
            let deadline = started + limit + self.waited();
            match tokio::time::timeout_at(deadline, &mut work).await {
                Ok(output) => return Some(output),
                // The clock stands still while the page waits for the caller.
                Err(_) if self.lock().since.is_some() => self.given().await,
                Err(_) if Instant::now() >= started + limit + self.waited() => return None,
                // It waited meanwhile, which moved the deadline.
                Err(_) => {}
            }
        }
    }

    async fn given(&self) {
        // An error means the giver is gone: nothing to wait for.
        let _ = self.given.clone().wait_for(|given| *given).await;
    }

    fn waited(&self) -> Duration {
        let waited = self.lock();
        waited.total + waited.since.map_or(Duration::ZERO, |since| since.elapsed())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Waited> {
        self.waited.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Counts the wait, also when the waiting future is dropped.
struct Waiting<'a>(&'a Turn);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut waited = self.0.lock();
        if let Some(since) = waited.since.take() {
            waited.total += since.elapsed();
        }
    }
}

impl DecodeTurn for Turn {
    fn wait(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            if !*self.given.borrow() {
                self.lock().since = Some(Instant::now());
                let _waiting = Waiting(self);
                self.given().await;
            }
            // A decode holds the thread for milliseconds: let the tasks that are
            // ready go first, such as the connection writing the request just made.
            tokio::task::yield_now().await;
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::{Context, Waker};

    fn ready(turn: &Turn) -> bool {
        let mut cx = Context::from_waker(Waker::noop());
        let mut wait = turn.wait();
        // The first ready poll of a given turn yields once.
        (0..2).any(|_| wait.as_mut().poll(&mut cx).is_ready())
    }

    #[test]
    fn a_page_waits_until_its_turn_is_given() {
        let (giver, turn) = turn();
        assert!(!ready(&turn));
        giver.give();
        assert!(ready(&turn));
        assert!(ready(&turn), "a turn once given stays given");
    }

    #[test]
    fn a_page_whose_stream_has_gone_waits_for_nothing() {
        let (giver, turn) = turn();
        drop(giver);
        assert!(ready(&turn));
    }

    #[tokio::test(start_paused = true)]
    async fn the_time_spent_waiting_for_the_turn_is_not_counted_against_the_limit() {
        let (giver, turn) = turn();
        let limit = Duration::from_secs(1);
        let give_late = async {
            tokio::time::sleep(limit * 5).await;
            giver.give();
        };
        let work = async {
            tokio::time::sleep(limit / 2).await;
            turn.wait().await;
            tokio::time::sleep(limit / 4).await;
        };
        let (finished, ()) = tokio::join!(turn.limit(limit, work), give_late);
        assert!(finished.is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn work_that_takes_longer_than_the_limit_is_stopped() {
        let (giver, turn) = turn();
        giver.give();
        let limit = Duration::from_secs(1);
        let work = async {
            turn.wait().await;
            tokio::time::sleep(limit * 2).await;
        };
        assert!(turn.limit(limit, work).await.is_none());
    }
}
