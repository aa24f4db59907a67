//! The state every handler shares: the store, the token registry, the fault plan,
//! the counters, the clock and the sandbox's own base URL.

use std::ops::Deref;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

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
    pub(crate) store: RwLock<Store>,
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

    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The absolute href of a resource: `<base>/v1/<kind>/<id>`.
    pub(crate) fn href(&self, kind: &str, id: u64) -> String {
        format!("{}/{kind}/{id}", self.base_url)
    }
}

impl Deref for App {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Locks a mutex, ignoring poisoning (a panicking handler must not wedge the sandbox).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
