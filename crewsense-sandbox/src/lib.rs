#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod auth;
mod clock;
mod counters;
mod department;
mod error;
mod etag;
mod extract;
mod faults;
mod garble;
mod layers;
mod limits;
mod lock;
mod paging;
mod reference;
mod render;
mod reply;
mod rng;
mod route_key;
mod routes;
mod sandbox;
mod seed;
mod state;
mod store;
mod validate;

pub use counters::{RECORDED_BODY_LIMIT, RecordedRequest, TOKENS_SEEN_LIMIT};
pub use department::{Department, DepartmentError};
pub use faults::Fault;
pub use garble::Garbled;
pub use sandbox::{
    DEFAULT_REQUEST_LOG_CAPACITY, DEFAULT_SEED, DEFAULT_TOKEN_TTL, Sandbox, SandboxBuilder,
};
pub use state::Mode;
