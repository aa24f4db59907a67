//! One id type per kind of record the typed shortcuts of [`Client`](crate::Client)
//! take, so that a user's id cannot be passed where a signup event's belongs:
//! `client.add_signup_event_user(SignupEventId::new(57), UserId::new(1001))` does not
//! compile with its arguments swapped.
//!
//! The generated client and the answer types use the API's plain [`Id`]; convert with
//! `From` both ways (`UserId::from(user.id)`, `Id::from(user_id)`), so a typed id also
//! goes straight into a generated builder's setter.
//!
//! ```
//! use crewsense::ids::{SignupEventId, UserId};
//! use crewsense::wire::Id;
//!
//! let user = UserId::new(1001);
//! assert_eq!(Id::from(user), Id(1001));
//! assert_eq!(UserId::from(Id(1001)), user);
//! assert_eq!(SignupEventId::new(57).to_string(), "57");
//! ```

use std::fmt;

use crewsense_gen::wire::Id;

macro_rules! record_ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Id);

        impl $name {
            /// The id with this number.
            pub const fn new(id: u64) -> Self {
                Self(Id(id))
            }

            /// The API's id.
            pub const fn get(self) -> Id {
                self.0
            }
        }

        impl From<Id> for $name {
            fn from(id: Id) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Id {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

record_ids! {
    /// The id of a user (`/users/{user_id}`).
    UserId;
    /// The id of a shift (`/shifts/{id}`).
    ShiftId;
    /// The id of a time off entry (`/time_offs/{id}`).
    TimeOffId;
    /// The id of a signup event (`/signup_events/{id}`).
    SignupEventId;
    /// The id of a certification as a user's certification file names it
    /// (`/users/{user_id}/certifications/{id}/file`).
    CertificationId;
}
