//! The Vendor Settings page's rows and statements: the customer's links
//! to vendors, their history from the audit log, and storing a grant.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;

use crate::model::{
    ids::{OrgId, VendorId},
    vendor::{VendorGrant, VendorTier},
};

/// A customer's link to one vendor.
pub struct LinkRow {
    pub vendor_id: VendorId,
    pub vendor: String,
    pub vendor_owned: bool,
    pub tier: VendorTier,
    pub expires_at: Option<DateTime<Utc>>,
    pub reverts_to: Option<VendorTier>,
    pub version: i32,
}

impl LinkRow {
    pub fn grant(&self) -> VendorGrant {
        VendorGrant::stored(self.tier, self.expires_at, self.reverts_to)
    }
}

/// The vendors linked to `customer`, by name.
pub async fn links(conn: &mut PgConnection, customer: OrgId) -> Result<Vec<LinkRow>, sqlx::Error> {
    sqlx::query_as!(
        LinkRow,
        r#"SELECT l.vendor_id AS "vendor_id: VendorId", o.name AS vendor, l.vendor_owned,
                  l.tier AS "tier: VendorTier", l.expires_at AS "expires_at: DateTime<Utc>",
                  l.reverts_to AS "reverts_to: VendorTier", l.version
           FROM vendor_links l JOIN organizations o ON o.id = l.vendor_id
           WHERE l.customer_id = $1 ORDER BY lower(o.name)"#,
        customer.0
    )
    .fetch_all(conn)
    .await
}

/// Locks the link of `customer` to `vendor`; whether there is one.
pub async fn lock_link(
    conn: &mut PgConnection,
    customer: OrgId,
    vendor: VendorId,
) -> Result<bool, sqlx::Error> {
    let locked = sqlx::query_scalar!(
        "SELECT 1 AS one FROM vendor_links WHERE customer_id = $1 AND vendor_id = $2 FOR UPDATE",
        customer.0,
        vendor.0
    )
    .fetch_optional(conn)
    .await?;
    Ok(locked.is_some())
}

/// Stores `grant` for the link, with when to warn that it ends.
pub async fn store(
    conn: &mut PgConnection,
    customer: OrgId,
    vendor: VendorId,
    grant: &VendorGrant,
    notice_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE vendor_links SET tier = $3, expires_at = $4, reverts_to = $5, expiry_notice_at = $6,
                                 version = version + 1, updated_at = $7
         WHERE customer_id = $1 AND vendor_id = $2",
        customer.0,
        vendor.0,
        grant.tier.key(),
        grant.expires_at as _,
        grant.expires_at.map(|_| grant.reverts_to.key()),
        notice_at as _,
        now as _
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// One change of a vendor's setting, from the customer's audit log.
pub struct HistoryRow {
    /// The vendor's id, as the event names its target.
    pub target_id: String,
    pub occurred_at: DateTime<Utc>,
    pub actor_label: String,
    pub action: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The last `length` changes of every vendor's setting, newest first.
pub async fn history(
    conn: &mut PgConnection,
    customer: OrgId,
    length: i64,
) -> Result<Vec<HistoryRow>, sqlx::Error> {
    sqlx::query_as!(
        HistoryRow,
        r#"SELECT target_id AS "target_id!", occurred_at AS "occurred_at!: DateTime<Utc>",
                  actor_label AS "actor_label!", action AS "action!", before, after FROM (
               SELECT *, row_number() OVER (PARTITION BY target_id ORDER BY id DESC) AS n
               FROM audit_events WHERE org_id = $1 AND target_type = 'vendor_link') e
           WHERE n <= $2 ORDER BY id DESC"#,
        customer.0,
        length
    )
    .fetch_all(conn)
    .await
}

/// What the audit log keeps of a grant, and reads back for the history.
pub fn grant_json(grant: &VendorGrant) -> Value {
    serde_json::json!({
        "tier": grant.tier.key(),
        "expires_at": grant.expires_at,
        "reverts_to": grant.expires_at.map(|_| grant.reverts_to.key()),
    })
}

/// A grant as the audit log kept it.
pub fn grant_from_json(value: &Value) -> Option<VendorGrant> {
    let tier = VendorTier::from_key(value.get("tier")?.as_str()?)?;
    let expires_at = value
        .get("expires_at")
        .and_then(|v| serde_json::from_value::<Option<DateTime<Utc>>>(v.clone()).ok())
        .flatten();
    let reverts_to = value
        .get("reverts_to")
        .and_then(Value::as_str)
        .and_then(VendorTier::from_key);
    Some(VendorGrant::stored(tier, expires_at, reverts_to))
}

/// After a change of `vendor`'s grant in `customer`'s account to `tier`:
/// the switches it no longer allows end, and both logs say so, with
/// whoever made the change as the actor.
pub async fn lapse_switches(
    conn: &mut PgConnection,
    vendor: VendorId,
    customer: OrgId,
    tier: VendorTier,
    actor: &crate::principal::Actor,
) -> Result<(), sqlx::Error> {
    for switch in crate::org::switches::lapse(conn, vendor, customer, tier).await? {
        for org in [vendor.org(), customer] {
            let event =
                crate::audit::db::Event::new(org, "vendor.switch_lapsed", "organization", customer)
                    .after(serde_json::json!({ "user_id": switch.user, "user": switch.name }));
            crate::audit::db::record(conn, actor, event).await?;
        }
    }
    Ok(())
}
