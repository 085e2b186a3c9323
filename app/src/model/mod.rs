//! The shared typed model and the one policy: compiled into both the WASM UI
//! and the server, with no I/O and no server-only dependency.

pub mod access;
pub mod account;
pub mod catalog;
pub mod claim;
pub mod csv;
pub mod delegation;
pub mod explain;
pub mod help;
pub mod ids;
pub mod number;
pub mod org;
pub mod page;
pub mod permission;
pub mod platform;
pub mod policy;
pub mod role;
pub mod ticket;
pub mod time;
pub mod user;
pub mod validation;
pub mod vendor;

#[cfg(test)]
mod help_tests;
#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod policy_tests;
