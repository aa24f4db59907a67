//! Typed conveniences for what departments do most, each a thin method over
//! [`Client::call`](crate::Client::call). Everything else is one `call` away.

mod certification_file;
mod directory;
mod finalization;
mod generated_client;
mod raw;
mod raw_answer;
mod roster;
mod schedule;
mod shifts;
mod signup;
mod time_off;
mod users;

pub use certification_file::CertificationFile;
pub(crate) use directory::DirectoryCache;
pub use finalization::{FailedFinalization, Finalization};
pub use raw::RawRequest;
pub use raw_answer::RawAnswer;
