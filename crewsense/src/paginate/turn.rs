//! Turns to decode: pages fetched at once are decoded in the order the caller reads
//! them.
//!
//! The answers of a round of periods tend to arrive together. Decoded in whatever
//! order the runtime polls their tasks, the page the caller waits for may come last,
//! and on a single-threaded runtime the next round of requests then waits for every
//! decode of this one. So each page's answer is read as it arrives but decoded only
//! once the stream gives it its turn: when the page is next in line for the caller,
//! so that it can be decoded while the caller works on the page before.
//!
//! A page the caller is already waiting for gets its turn only after its answer is
//! in and the stream has started the period that takes its place in flight: the
//! request then leaves while the page is decoded, not after.
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
pub(crate) struct Giver {
    give: watch::Sender<bool>,
    arrived: watch::Receiver<bool>,
}

/// The fetching side: what the page's decode waits for.
#[derive(Debug)]
pub(crate) struct Turn {
    given: watch::Receiver<bool>,
    arrived: watch::Sender<bool>,
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
    let (arrive, arrived) = watch::channel(false);
    let turn = Turn {
        given,
        arrived: arrive,
        waited: Mutex::default(),
    };
    (Giver { give, arrived }, Arc::new(turn))
}

impl Giver {
    /// Lets the page be decoded as soon as its answer has arrived.
    pub(crate) fn give(&self) {
        self.give.send_replace(true);
    }

    /// Takes back a turn given ahead, for a page whose answer has not arrived yet.
    /// The decode of an answer that did arrive meanwhile goes on.
    pub(crate) fn take_back(&self) {
        self.give.send_replace(false);
    }

    /// Whether the page's answer has arrived.
    pub(crate) fn has_arrived(&self) -> bool {
        *self.arrived.borrow()
    }

    /// Resolves once the page's answer has arrived, and never if it does not get
    /// that far (the page's fetch then ends without it).
    pub(crate) async fn arrived(&self) {
        if self
            .arrived
            .clone()
            .wait_for(|arrived| *arrived)
            .await
            .is_err()
        {
            std::future::pending::<()>().await;
        }
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
            self.arrived.send_replace(true);
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
    fn a_turn_taken_back_is_waited_for_until_it_is_given_again() {
        let (giver, turn) = turn();
        giver.give();
        giver.take_back();
        assert!(!ready(&turn));
        giver.give();
        assert!(ready(&turn));
    }

    #[test]
    fn the_stream_learns_that_an_answer_has_arrived_when_it_waits_for_its_turn() {
        let (giver, turn) = turn();
        let mut cx = Context::from_waker(Waker::noop());
        let mut arrived = Box::pin(giver.arrived());
        assert!(!giver.has_arrived());
        assert!(arrived.as_mut().poll(&mut cx).is_pending());
        assert!(!ready(&turn));
        assert!(giver.has_arrived());
        assert!(arrived.as_mut().poll(&mut cx).is_ready());
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
