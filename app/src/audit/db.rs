//! Writing audit events. Every change in the product calls [`record`] inside
//! the transaction of the change itself, so a change and its event commit or
//! roll back together.

use serde_json::Value;
use sqlx::PgConnection;

use crate::{
    model::{
        ids::{CompanyId, OrgId, UserId, VendorId},
        user::User,
    },
    state::RequestId,
};

/// Who acted, where, and in which request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// None for the platform operator's command line.
    pub user: Option<UserId>,
    /// As they were named at the time, e.g. "Ann Lee <ann@example.com>".
    pub label: String,
    pub acting_company: Option<CompanyId>,
    /// Vendor staff acting in a linked customer's account, switched in or
    /// from the vendor console: the customer's log labels them with it.
    pub acting_vendor: Option<VendorId>,
    pub request: RequestId,
}

impl Actor {
    /// A user acting in no particular company (signing in and out, their
    /// own profile, a change by an Administrator); for the signed-in
    /// caller, `Caller::actor` fills in the rest.
    pub fn user(user: &User, request: &RequestId) -> Self {
        Self {
            user: Some(user.id),
            label: format!("{} <{}>", user.full_name(), user.email),
            acting_company: None,
            acting_vendor: None,
            request: request.clone(),
        }
    }

    /// Someone not signed in, named by what is known of them (the client
    /// of a failed sign-in or of a reset request).
    pub fn anonymous(label: String, request: &RequestId) -> Self {
        Self {
            user: None,
            label,
            acting_company: None,
            acting_vendor: None,
            request: request.clone(),
        }
    }

    /// Portcullis itself, e.g. a timed grant coming to its end.
    pub fn system(what: &str) -> Self {
        Self {
            user: None,
            label: format!("Portcullis ({what})"),
            acting_company: None,
            acting_vendor: None,
            request: RequestId::none(),
        }
    }

    /// Vendor staff acting in a linked customer's account from their own
    /// console: the customer's log shows them labelled with their vendor.
    pub fn vendor_staff(user: &User, request: &RequestId) -> Self {
        Self {
            acting_vendor: Some(VendorId(user.org.0)),
            ..Self::user(user, request)
        }
    }

    /// The platform operator, acting from the server's command line.
    pub fn operator(what: &str) -> Self {
        Self {
            user: None,
            label: format!("operator ({what})"),
            acting_company: None,
            acting_vendor: None,
            request: RequestId::none(),
        }
    }
}

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
    /// An event about one user, with no before/after (sign-ins, two-factor
    /// steps, unlocks); add them with struct update syntax when needed.
    pub fn about_user(org: OrgId, action: &'a str, user: impl std::fmt::Display) -> Self {
        Self {
            org: Some(org),
            action,
            target_type: "user",
            target_id: Some(user.to_string()),
            before: None,
            after: None,
        }
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
