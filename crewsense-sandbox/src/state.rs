//! The state every handler shares: the store, the token registry, the fault plan,
//! the counters, the clock and the sandbox's own base URL.
//!
//! The store is copy-on-write: a reader takes a snapshot (an `Arc`) and lets the
//! lock go at once, so rendering a large answer never holds a lock that another
//! request waits on; a writer changes the store in place, or a copy of it while
//! snapshots are still being rendered.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock, RwLockWriteGuard};

use crate::auth::Auth;
use crate::clock::Clock;
use crate::counters::Counters;
use crate::faults::Faults;
use crate::store::Store;

/// Which shapes the sandbox answers with where production and the reference differ.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mode {
    /// What production sends (the recorded June 2025 answer): `/schedule` days as
    /// an object keyed by date with a `day_color`, no `prev`/`next`.
    #[default]
    Production,
    /// What the reference shows: `/schedule` days as an array of objects with a
    /// `date` key, and `prev`/`next` links.
    Documented,
}

/// Shared state; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct App(Arc<Shared>);

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) store: RwLock<Arc<Store>>,
    pub(crate) auth: Auth,
    pub(crate) faults: Faults,
    pub(crate) counters: Counters,
    pub(crate) clock: Clock,
    pub(crate) mode: Mode,
    /// `http://127.0.0.1:<port>/v1`, the root of every href and link.
    pub(crate) base_url: String,
    /// While set, `PUT /bulletin_board` answers 409.
    pub(crate) board_locked: AtomicBool,
}

impl App {
    pub(crate) fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }

    /// A snapshot of the store; the lock is held only to clone the `Arc`.
    pub(crate) fn read(&self) -> Arc<Store> {
        Arc::clone(&self.store.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The store for change, exclusively until the guard drops.
    pub(crate) fn write(&self) -> StoreWrite<'_> {
        StoreWrite(self.store.write().unwrap_or_else(|e| e.into_inner()))
    }

    /// The absolute href of a resource: `<base>/v1/<kind>/<id>`.
    pub(crate) fn href(&self, kind: &str, id: u64) -> String {
        format!("{}/{kind}/{id}", self.base_url)
    }
}

/// Write access to the store: changes go to the store itself, or to a copy when
/// snapshots of it are still alive (they keep the state they were taken in).
#[derive(Debug)]
pub(crate) struct StoreWrite<'a>(RwLockWriteGuard<'a, Arc<Store>>);

impl Deref for StoreWrite<'_> {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.0
    }
}

impl DerefMut for StoreWrite<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        Arc::make_mut(&mut self.0)
    }
}

impl Deref for App {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    use super::*;
    use crate::seed;

    fn app() -> App {
        App::new(Shared {
            store: RwLock::new(Arc::new(seed::department(1))),
            auth: Auth::new(1, Duration::from_secs(60)),
            faults: Faults::default(),
            counters: Counters::new(crate::DEFAULT_REQUEST_LOG_CAPACITY),
            clock: Clock::new(),
            mode: Mode::Production,
            base_url: "http://127.0.0.1:1/v1".into(),
            board_locked: AtomicBool::new(false),
        })
    }

    #[test]
    fn a_write_does_not_wait_for_a_snapshot_being_rendered_and_leaves_it_intact() {
        let app = app();
        let snapshot = app.read();
        let before = snapshot.company_name.clone();
        // With a read guard held here, as the store had before, the write would wait
        // for ever: it runs on a thread of its own, so that such a regression fails
        // the test after a while instead of hanging the suite.
        let (written, wait) = mpsc::channel();
        let writer = app.clone();
        thread::spawn(move || {
            writer.write().company_name = "Renamed Fire District".into();
            written.send(()).ok();
        });
        assert_eq!(
            wait.recv_timeout(Duration::from_secs(30)),
            Ok(()),
            "the write waited for the snapshot"
        );
        assert_eq!(snapshot.company_name, before);
        assert_eq!(app.read().company_name, "Renamed Fire District");
    }
}
