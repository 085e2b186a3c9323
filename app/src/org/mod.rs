//! Organizations as the policy sees them: loading an [`OrgSnapshot`] and a
//! user from the database.
//!
//! [`OrgSnapshot`]: crate::model::access::OrgSnapshot

#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod switches;
