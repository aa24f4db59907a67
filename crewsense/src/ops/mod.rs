//! Typed conveniences for what departments do most, each a thin method over
//! [`Client::call`](crate::Client::call). Everything else is one `call` away.

mod finalization;
mod generated_client;
mod schedule;
mod shifts;
mod signup;
mod time_off;
mod users;

pub use finalization::{FailedFinalization, Finalization};
