//! One-off shifts: create, update, delete.

use crewsense_gen::types::{ActionResult, CreateShiftRequest, UpdateShiftRequest};

use crate::ids::ShiftId;
use crate::{Client, Error};

impl Client {
    /// Books a one-off shift; the answer carries the new shift's `id`.
    pub async fn create_shift(&self, shift: CreateShiftRequest) -> Result<ActionResult, Error> {
        self.call(async move |api| api.create_shift().body(shift.clone()).send().await)
            .await
    }

    /// Changes shift `id`. The API always needs the date, start and end, which is why
    /// [`UpdateShiftRequest`] requires them.
    pub async fn update_shift(
        &self,
        id: ShiftId,
        shift: UpdateShiftRequest,
    ) -> Result<ActionResult, Error> {
        self.call(async move |api| api.update_shift().id(id).body(shift.clone()).send().await)
            .await
    }

    /// Deletes shift `id`.
    pub async fn delete_shift(&self, id: ShiftId) -> Result<ActionResult, Error> {
        self.call(async move |api| api.delete_shift().id(id).send().await)
            .await
    }
}
