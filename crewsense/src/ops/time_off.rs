//! Time off: request, approve, deny, delete.

use crewsense_gen::types::{ActionResult, CreateTimeOffRequest};

use crate::ids::TimeOffId;
use crate::{Client, Error};

impl Client {
    /// Records time off (pending, unless the request's `status` approves it at once).
    pub async fn create_time_off(
        &self,
        time_off: CreateTimeOffRequest,
    ) -> Result<ActionResult, Error> {
        self.call(async move |api| api.create_time_off().body(time_off.clone()).send().await)
            .await
    }

    /// Approves time off `id`.
    pub async fn approve_time_off(&self, id: TimeOffId) -> Result<ActionResult, Error> {
        self.call(async move |api| api.approve_time_off().id(id).send().await)
            .await
    }

    /// Denies time off `id`.
    pub async fn deny_time_off(&self, id: TimeOffId) -> Result<ActionResult, Error> {
        self.call(async move |api| api.deny_time_off().id(id).send().await)
            .await
    }

    /// Deletes time off `id`.
    pub async fn delete_time_off(&self, id: TimeOffId) -> Result<ActionResult, Error> {
        self.call(async move |api| api.delete_time_off().id(id).send().await)
            .await
    }
}
