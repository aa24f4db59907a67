//! Signup events and the users signed up for them.

use crewsense_gen::types::{ActionResult, SignupEvent, SignupEventUser, SignupEventUserRequest};

use crate::ids::{SignupEventId, UserId};
use crate::{Client, Error};

impl Client {
    /// The signup events the API lists by default (use [`Client::call`] with
    /// `list_signup_events` to filter by period, status or archive).
    pub async fn signup_events(&self) -> Result<Vec<SignupEvent>, Error> {
        self.call(async move |api| api.list_signup_events().send().await)
            .await
    }

    /// Signup event `id`.
    pub async fn signup_event(&self, id: SignupEventId) -> Result<SignupEvent, Error> {
        self.call(async move |api| api.get_signup_event().id(id).send().await)
            .await
    }

    /// The users signed up for event `id`.
    pub async fn signup_event_users(
        &self,
        id: SignupEventId,
    ) -> Result<Vec<SignupEventUser>, Error> {
        self.call(async move |api| api.list_signup_event_users().id(id).send().await)
            .await
    }

    /// Signs user `user_id` up for event `id`. Signing someone up twice is a `422`.
    ///
    /// ```no_run
    /// # async fn run(client: crewsense::Client) -> Result<(), crewsense::Error> {
    /// use crewsense::ids::{SignupEventId, UserId};
    ///
    /// client
    ///     .add_signup_event_user(SignupEventId::new(57), UserId::new(1001))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn add_signup_event_user(
        &self,
        id: SignupEventId,
        user_id: UserId,
    ) -> Result<ActionResult, Error> {
        let body = SignupEventUserRequest {
            user_id: user_id.into(),
        };
        self.call(async move |api| {
            api.add_signup_event_user()
                .id(id)
                .body(body.clone())
                .send()
                .await
        })
        .await
    }

    /// Removes user `user_id` from event `id`.
    pub async fn remove_signup_event_user(
        &self,
        id: SignupEventId,
        user_id: UserId,
    ) -> Result<ActionResult, Error> {
        self.call(async move |api| {
            api.remove_signup_event_user()
                .id(id)
                .user_id(user_id)
                .send()
                .await
        })
        .await
    }
}
