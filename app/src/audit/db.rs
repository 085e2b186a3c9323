//! Writing audit events. Every change in the product calls [`record`] inside
//! the transaction of the change itself, so a change and its event commit or
//! roll back together.

use serde_json::Value;
use sqlx::PgConnection;

use crate::{model::ids::OrgId, principal::Actor};

/// One event to record.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<'a> {
    /// The organization whose log shows it.
    pub org: Option<OrgId>,
    /// `area.verb`, e.g. `user.update`, `vendor_access.change`.
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Event<'a> {
    /// An event of `org`'s log about one target (`target_type` `target`);
    /// what it changed is added with [`Event::before`] and [`Event::after`].
    pub fn new(
        org: OrgId,
        action: &'a str,
        target_type: &'a str,
        target: impl std::fmt::Display,
    ) -> Self {
        Self {
            org: Some(org),
            action,
            target_type,
            target_id: Some(target.to_string()),
            before: None,
            after: None,
        }
    }

    /// The target as it was before the change.
    pub fn before(self, before: Value) -> Self {
        Self {
            before: Some(before),
            ..self
        }
    }

    /// The target as the change left it.
    pub fn after(self, after: Value) -> Self {
        Self {
            after: Some(after),
            ..self
        }
    }

    /// An event about one user, with no before/after (sign-ins, two-factor
    /// steps, unlocks); add them with struct update syntax when needed.
    pub fn about_user(org: OrgId, action: &'a str, user: impl std::fmt::Display) -> Self {
        Self::new(org, action, "user", user)
    }
}

/// Appends one event; returns its id.
pub async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    event: Event<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO audit_events
             (org_id, actor_user_id, actor_label, acting_company_id, acting_vendor_id,
              action, target_type, target_id, before, after, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         RETURNING id",
        event.org.map(|o| o.0),
        actor.user.map(|u| u.0),
        actor.label,
        actor.acting_company.map(|c| c.0),
        actor.acting_vendor.map(|v| v.0),
        event.action,
        event.target_type,
        event.target_id,
        event.before,
        event.after,
        actor.request.as_deref(),
    )
    .fetch_one(conn)
    .await
}
