//! The client's user directory: one `/users` read, kept for a while and revalidated.

use std::sync::Arc;
use std::time::Duration;

use crewsense_gen::types::ListUsersResponse;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::directory::Directory;
use crate::poll::{Polled, Validator};
use crate::{Client, Error};

/// The directory a client and its clones share, and when it was last read or
/// confirmed unchanged.
#[derive(Debug)]
pub(crate) struct DirectoryCache {
    max_age: Duration,
    // An async lock: one read at a time, and whoever waited gets its result.
    state: Mutex<Cached>,
}

#[derive(Debug, Default)]
struct Cached {
    directory: Arc<Directory>,
    validator: Validator,
    checked: Option<Instant>,
}

impl DirectoryCache {
    pub(crate) fn new(max_age: Duration) -> Self {
        Self {
            max_age,
            state: Mutex::new(Cached::default()),
        }
    }
}

impl Client {
    /// The organisation's users as a [`Directory`], to [`find`](Directory::find)
    /// people by employee id, user id, e-mail or name.
    ///
    /// The first call reads `/users`; later calls (of this client and its clones)
    /// return the same directory until it is older than
    /// [`directory_max_age`](crate::ClientBuilder::directory_max_age), then ask again
    /// with the answer's validator, so an unchanged list is not downloaded twice.
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// use crewsense::directory::Match;
    ///
    /// match client.directory().await?.find("Underwood, Noel") {
    ///     Match::One(user) => println!("user {:?}", user.user_id),
    ///     Match::Ambiguous(users) => println!("{} people of that name", users.len()),
    ///     Match::None => println!("nobody"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn directory(&self) -> Result<Arc<Directory>, Error> {
        self.read_directory(false).await
    }

    /// The directory as [`directory`](Self::directory) gives it, asked for again now
    /// whatever its age (with the last answer's validator).
    pub async fn refresh_directory(&self) -> Result<Arc<Directory>, Error> {
        self.read_directory(true).await
    }

    async fn read_directory(&self, now: bool) -> Result<Arc<Directory>, Error> {
        let cache = self.directory_cache();
        let mut cached = cache.state.lock().await;
        let fresh = cached
            .checked
            .is_some_and(|checked| checked.elapsed() < cache.max_age);
        if fresh && !now {
            return Ok(cached.directory.clone());
        }
        let polled = self
            .call_if_changed(&cached.validator, async |api| api.list_users().send().await)
            .await?;
        // `Unchanged` answers only a conditional request, which needs the validator
        // of an earlier answer: the directory already holds that answer.
        if let Polled::Changed { value, validator } = polled {
            let users = match value {
                ListUsersResponse::Array(users) => users,
                ListUsersResponse::User(user) => vec![user],
            };
            cached.directory = Arc::new(Directory::new(users));
            cached.validator = validator;
        }
        cached.checked = Some(Instant::now());
        Ok(cached.directory.clone())
    }
}
