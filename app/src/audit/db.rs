//! Writing audit events. Every change in the product calls [`record`] inside
//! the transaction of the change itself, so a change and its event commit or
//! roll back together.

use serde_json::Value;
use sqlx::PgConnection;

use crate::model::{
    ids::{CompanyId, OrgId, UserId, VendorId},
    user::User,
};

/// Who acted and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// None for the platform operator's command line.
    pub user: Option<UserId>,
    /// As they were named at the time, e.g. "Ann Lee <ann@example.com>".
    pub label: String,
    pub acting_company: Option<CompanyId>,
    pub acting_vendor: Option<VendorId>,
}

impl Actor {
    /// A signed-in user acting in no particular company (their own profile,
    /// signing in and out).
    pub fn user(user: &User) -> Self {
        Self {
            user: Some(user.id),
            label: format!("{} <{}>", user.full_name(), user.email),
            acting_company: None,
            acting_vendor: None,
        }
    }

    /// A signed-in user acting in a company (most changes).
    pub fn acting(user: &User, company: Option<CompanyId>) -> Self {
        Self {
            acting_company: company,
            ..Self::user(user)
        }
    }

    /// Portcullis itself, e.g. a timed grant coming to its end.
    pub fn system(what: &str) -> Self {
        Self {
            user: None,
            label: format!("Portcullis ({what})"),
            acting_company: None,
            acting_vendor: None,
        }
    }

    /// Vendor staff acting in a linked customer's account: the customer's
    /// log shows them labelled with their vendor.
    pub fn vendor_staff(user: &User) -> Self {
        Self {
            acting_vendor: Some(VendorId(user.org.0)),
            ..Self::user(user)
        }
    }

    /// The platform operator, acting from the server's command line.
    pub fn operator(what: &str) -> Self {
        Self {
            user: None,
            label: format!("operator ({what})"),
            acting_company: None,
            acting_vendor: None,
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

/// Vendor staff switched into a customer's account act in this request:
/// every event it records is labelled with their vendor.
#[derive(Debug, Clone, Copy)]
struct SwitchedVendor(VendorId);

/// Labels every event of the current request with `vendor` (called by the
/// policy gate when it finds the caller switched into a customer's account,
/// so no server function can forget it).
pub fn label_vendor(vendor: VendorId) {
    leptos::prelude::provide_context(SwitchedVendor(vendor));
}

/// Appends one event; returns its id.
pub async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    event: Event<'_>,
) -> Result<i64, sqlx::Error> {
    let request_id =
        leptos::prelude::use_context::<axum::http::request::Parts>().and_then(|parts| {
            parts
                .headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
    sqlx::query_scalar(
        "INSERT INTO audit_events
             (org_id, actor_user_id, actor_label, acting_company_id, acting_vendor_id,
              action, target_type, target_id, before, after, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         RETURNING id",
    )
    .bind(event.org.map(|o| o.0))
    .bind(actor.user.map(|u| u.0))
    .bind(&actor.label)
    .bind(actor.acting_company.map(|c| c.0))
    .bind(
        actor
            .acting_vendor
            .or_else(|| {
                actor
                    .user
                    .and(leptos::prelude::use_context::<SwitchedVendor>())
                    .map(|s| s.0)
            })
            .map(|v| v.0),
    )
    .bind(event.action)
    .bind(event.target_type)
    .bind(event.target_id)
    .bind(event.before)
    .bind(event.after)
    .bind(request_id)
    .fetch_one(conn)
    .await
}
