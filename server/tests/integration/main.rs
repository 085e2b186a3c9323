//! The integration tests, one binary: one link instead of one per suite, and
//! one run in which the long suites (hostile input, the audit walk) share the
//! machine with the rest instead of running after them. Each module is a
//! suite; `cargo test -p server --features app/ssr --test integration users::`
//! runs one. Every test against PostgreSQL gets a fresh database of its own
//! (`#[sqlx::test]`), so suites running side by side cannot meet.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod acts_in_any;
mod add_user;
mod audit_log;
mod audit_walk;
mod auth;
mod brute_force;
mod catalog;
mod claims;
mod cli;
mod companies;
mod context;
mod delegation;
mod faults;
mod help;
mod hostile_input;
mod http;
mod lockout;
mod mailer;
mod operator_cli;
mod password_reset;
mod platform;
mod private_cluster;
mod profile;
mod query_counts;
mod roles;
mod route_matrix;
mod schema;
mod security_headers;
mod session_store;
mod sign_in_return;
mod snapshot_cache;
mod static_files;
mod support;
mod ticket_cc;
mod two_factor;
mod undelivered_mail;
mod users;
mod users_reach;
mod vendor_access;
mod vendor_api;
mod vendor_console;
