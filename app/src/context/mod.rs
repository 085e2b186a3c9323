//! The acting company: which company of their organization a user works
//! in right now, kept in the server-side session and chosen with the
//! context switcher in the header.

pub mod api;
pub mod components;
