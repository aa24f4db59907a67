//! A client for the CrewSense scheduling API used by fire and EMS departments.

#![deny(missing_docs)]

pub mod time;
