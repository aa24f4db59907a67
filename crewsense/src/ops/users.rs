//! Users: list, read, and find by the organisation's employee id.

use crewsense_gen::types::{ListUsersResponse, User};

use crate::ids::UserId;
use crate::{Client, Error};

impl Client {
    /// Every active user of the organisation.
    pub async fn users(&self) -> Result<Vec<User>, Error> {
        let answer = self
            .call(async move |api| api.list_users().send().await)
            .await?;
        Ok(match answer {
            ListUsersResponse::Array(users) => users,
            ListUsersResponse::User(user) => vec![user],
        })
    }

    /// One user, with the custom fields that lists leave out.
    pub async fn user(&self, user_id: UserId) -> Result<User, Error> {
        self.call(async move |api| api.get_user().user_id(user_id).send().await)
            .await
    }

    /// The user whose employee id (the organisation's own number, such as `DEV123`) is
    /// `employee_id`, or `None` if there is none.
    ///
    /// The API answers this lookup with one user object rather than a list; a list
    /// answer is searched for the matching user, and `404` means no match.
    pub async fn user_by_employee_id(&self, employee_id: &str) -> Result<Option<User>, Error> {
        let answer = self
            .call(async move |api| api.list_users().employee_id(employee_id).send().await)
            .await;
        match answer {
            Ok(ListUsersResponse::User(user)) => Ok(Some(user)),
            Ok(ListUsersResponse::Array(users)) => Ok(users
                .into_iter()
                .find(|u| u.employee_id.as_deref() == Some(employee_id))),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error),
        }
    }
}
