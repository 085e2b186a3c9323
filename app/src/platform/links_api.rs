//! Server functions of vendor links by consent (seed 003: an existing
//! account is linked to a vendor by ticket, with verification): one side's
//! Administrators ask (the customer's naming the highest Vendor Access it
//! agrees to), the other side's Administrators consent, and the platform's
//! staff complete the link at a starting Vendor Access no higher than the
//! customer agreed to. Either side may decline or withdraw while it is
//! pending, and end a link at any time. Every step is recorded in the
//! customer's, the vendor's and the platform's audit logs.
//!
//! Permissions: the sides, `ConsentToVendorLink` for their own
//! organization (never vendor staff switched in); the platform's staff,
//! `PlatformConsole`. A request of another pair is "not found".

use leptos::prelude::*;

use super::LinkRequestsPage;
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    error::Found,
    mail::{
        MailKind,
        outbox::{Mail, enqueue},
    },
    model::{
        org::OrgKind, platform::LinkRequestStatus, policy::Action, time::minute_utc,
        validation::Field, vendor::VendorTier,
    },
    platform::{LINK_CHANGED_ELSEWHERE, LinkRequestRow, db},
    principal::{Actor, Caller, serve},
};
use crate::{
    error::AppError,
    model::ids::{LinkRequestId, OrgId},
};
#[cfg(feature = "ssr")]
use serde_json::json;
#[cfg(feature = "ssr")]
use sqlx::PgConnection;

pub const TIER_MESSAGE: &str =
    "Choose the highest Vendor Access you agree to: No Access, Limited, All Support or Full.";
pub const OTHER_MESSAGE: &str = "Choose an organization on the other side.";
pub const ALREADY_LINKED: &str = "These two are linked already.";
pub const ALREADY_ASKED: &str = "A request to link these two is pending already.";
pub const ABOVE_AGREED: &str =
    "The customer agreed to no more than this: choose it or a lower one.";

/// The link requests the caller sees: the platform's staff, every pending
/// one; a side's Administrators, their own, with what they may ask for.
#[server(prefix = "/api", endpoint = "vendor_link_requests")]
pub async fn vendor_link_requests() -> Result<LinkRequestsPage, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let mut conn = request.state.pool.acquire().await?;
        if caller.may(Action::PlatformConsole) {
            let rows = db::link_requests(&mut conn, None).await?;
            return Ok(LinkRequestsPage {
                requests: rows.into_iter().map(LinkRequestRow::from).collect(),
                as_platform: true,
                customer_side: false,
                others: Vec::new(),
                linked: Vec::new(),
            });
        }
        let own = caller.user.org;
        caller.check(Action::ConsentToVendorLink(own))?;
        let other_kind = other_side(&caller);
        let rows = db::link_requests(&mut conn, Some(own)).await?;
        let linked = caller
            .snapshot
            .vendor_links
            .iter()
            .map(|l| match other_kind {
                OrgKind::Vendor => l.vendor.org(),
                _ => l.customer,
            })
            .collect::<Vec<_>>();
        let others = db::of_kind(&mut conn, other_kind).await?;
        Ok(LinkRequestsPage {
            requests: rows.into_iter().map(LinkRequestRow::from).collect(),
            as_platform: false,
            customer_side: caller.snapshot.org.kind == OrgKind::Customer,
            linked: others
                .iter()
                .filter(|(id, _)| linked.contains(id))
                .cloned()
                .collect(),
            others: others
                .into_iter()
                .filter(|(id, _)| !linked.contains(id))
                .collect(),
        })
    })
    .await
}

/// Asks to link the caller's organization to `other` (a vendor, for a
/// customer; a customer, for a vendor). A customer names the highest
/// Vendor Access it agrees to (`max_tier`); a vendor leaves it empty.
#[server(prefix = "/api", endpoint = "request_vendor_link")]
pub async fn request_vendor_link(other: OrgId, max_tier: String) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let own = caller.user.org;
        caller.check(Action::ConsentToVendorLink(own))?;
        let tier = customer_tier(&caller, &max_tier)?;
        let mut tx = request.state.pool.begin().await?;
        let other_id = other;
        let other = db::organization(&mut tx, other_id)
            .await?
            .filter(|o| o.kind == other_side(&caller) && !o.suspended)
            .ok_or_else(|| AppError::field(Field::Organization, OTHER_MESSAGE))?;
        let (customer, vendor) = pair(&caller, other_id);
        if caller.snapshot.vendor_links.iter().any(|l| {
            l.customer == customer && l.vendor.org() == vendor
        }) {
            return Err(AppError::field(Field::Organization, ALREADY_LINKED));
        }
        let id = db::request_link(&mut tx, customer, vendor, caller.user.id, tier)
            .await?
            .ok_or_else(|| AppError::Conflict(ALREADY_ASKED.to_owned()))?;
        let after = json!({
            "request_id": id, "customer": name_of(&caller, customer, &other.name),
            "vendor": name_of(&caller, vendor, &other.name), "max_tier": tier.map(VendorTier::key),
        });
        let logs = [customer, vendor];
        record_everywhere(&mut tx, &logs, &caller.actor(), "link.request", id, after).await?;
        let subject = format!("{} asks to link with {}", caller.snapshot.org.name, other.name);
        let url = format!("{}/vendor-links", request.state.mail.public_url);
        for to in &db::administrator_emails(&mut tx, other_id).await? {
            let mail = Mail {
                org: Some(other_id),
                to,
                subject: &subject,
                body: format!(
                    "{} of {} asks to link {} with {} on Portcullis.\n\n\
                     Consent or decline here (then the platform's support team completes it): {url}\n",
                    caller.user.full_name(),
                    caller.snapshot.org.name,
                    caller.snapshot.org.name,
                    other.name
                ),
                kind: MailKind::Notice,
            };
            enqueue(&mut tx, mail).await?;
        }
        tx.commit().await?;
        Ok(format!(
            "Asked to link with {}: once its Administrators consent, the platform's support team completes the link.",
            other.name
        ))
    })
    .await
}

/// The other side's consent to a pending request (a customer's names the
/// highest Vendor Access it agrees to).
#[server(prefix = "/api", endpoint = "consent_to_link")]
pub async fn consent_to_link(
    request_id: LinkRequestId,
    version: i32,
    max_tier: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let own = caller.user.org;
        caller.check(Action::ConsentToVendorLink(own))?;
        let mut tx = request.state.pool.begin().await?;
        let row = own_pending(&mut tx, request_id, own, version).await?;
        let tier = customer_tier(&caller, &max_tier)?;
        let already = match tier {
            Some(_) => row.customer_consented,
            None => row.vendor_consented,
        };
        if already {
            return Ok(
                "Your organization consented already; the platform completes the link.".to_owned(),
            );
        }
        db::consent(&mut tx, request_id, caller.user.id, tier).await?;
        let after = json!({ "request_id": request_id, "max_tier": tier.map(VendorTier::key) });
        let logs = [row.customer_id, row.vendor_id];
        record_everywhere(
            &mut tx,
            &logs,
            &caller.actor(),
            "link.consent",
            request_id,
            after,
        )
        .await?;
        tx.commit().await?;
        Ok("Consent given: the platform's support team completes the link.".to_owned())
    })
    .await
}

/// Declines (the other side, or the platform) or withdraws (the side that
/// asked) a pending request.
#[server(prefix = "/api", endpoint = "decline_link")]
pub async fn decline_link(request_id: LinkRequestId, version: i32) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let mut tx = request.state.pool.begin().await?;
        let (row, actor, status) = if caller.may(Action::PlatformConsole) {
            let row = pending(&mut tx, request_id, version).await?;
            (row, caller.platform_actor(), LinkRequestStatus::Declined)
        } else {
            let own = caller.user.org;
            caller.check(Action::ConsentToVendorLink(own))?;
            let row = own_pending(&mut tx, request_id, own, version).await?;
            let asked = if row.customer_first {
                row.customer_id
            } else {
                row.vendor_id
            };
            let status = if asked == own {
                LinkRequestStatus::Withdrawn
            } else {
                LinkRequestStatus::Declined
            };
            (row, caller.actor(), status)
        };
        db::close_link_request(&mut tx, request_id, status, caller.user.id).await?;
        let action = match status {
            LinkRequestStatus::Withdrawn => "link.withdraw",
            _ => "link.decline",
        };
        let after = json!({ "request_id": request_id });
        let logs = [row.customer_id, row.vendor_id];
        record_everywhere(&mut tx, &logs, &actor, action, request_id, after).await?;
        tx.commit().await?;
        Ok(format!(
            "The request to link {} with {} is {}.",
            row.customer,
            row.vendor,
            status.label().to_lowercase()
        ))
    })
    .await
}

/// Completes a request both sides consented to, linking them at `tier`
/// (no higher than the customer agreed to).
#[server(prefix = "/api", endpoint = "complete_vendor_link")]
pub async fn complete_vendor_link(
    request_id: LinkRequestId,
    version: i32,
    tier: String,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.platform(false)?;
        let mut tx = request.state.pool.begin().await?;
        let row = pending(&mut tx, request_id, version).await?;
        let tier = VendorTier::from_key(tier.trim())
            .ok_or_else(|| AppError::field(Field::Tier, TIER_MESSAGE))?;
        let (Some(agreed), true) = (row.max_tier, row.vendor_consented) else {
            return Err(AppError::Conflict(
                "Both sides must consent before the link is completed.".to_owned(),
            ));
        };
        if tier > agreed {
            return Err(AppError::field(Field::Tier, ABOVE_AGREED));
        }
        if !db::link(&mut tx, row.customer_id, row.vendor_id, tier).await? {
            return Err(AppError::Conflict(ALREADY_LINKED.to_owned()));
        }
        db::close_link_request(
            &mut tx,
            request_id,
            LinkRequestStatus::Completed,
            caller.user.id,
        )
        .await?;
        let after = json!({ "request_id": request_id, "customer": row.customer,
                            "vendor": row.vendor, "tier": tier.key() });
        let logs = [row.customer_id, row.vendor_id];
        let actor = caller.platform_actor();
        record_everywhere(&mut tx, &logs, &actor, "link.complete", request_id, after).await?;
        tx.commit().await?;
        Ok(format!(
            "{} is linked to {} at {}.",
            row.customer,
            row.vendor,
            tier.label()
        ))
    })
    .await
}

/// Ends the link between the caller's organization and `other` (a form
/// field not named `…_id`: it names the other side, which anyone may).
#[server(prefix = "/api", endpoint = "unlink_vendor")]
pub async fn unlink_vendor(other: OrgId) -> Result<String, AppError> {
    let other_id = other;
    serve(|request| async move {
        let caller = request.caller().await?;
        let own = caller.user.org;
        caller.check(Action::ConsentToVendorLink(own))?;
        let (customer, vendor) = pair(&caller, other_id);
        let mut tx = request.state.pool.begin().await?;
        if !db::unlink(&mut tx, customer, vendor).await? {
            return Err(AppError::field(
                Field::Organization,
                "Your organization is not linked to that one.",
            ));
        }
        let other = crate::org::db::name(&mut tx, other_id).await?;
        let after = json!({ "customer_id": customer, "vendor_id": vendor, "with": other });
        record_everywhere(
            &mut tx,
            &[customer, vendor],
            &caller.actor(),
            "link.end",
            other_id,
            after,
        )
        .await?;
        tx.commit().await?;
        Ok(format!("The link with {other} has ended."))
    })
    .await
}

/// The kind of organization on the other side of the caller's links.
#[cfg(feature = "ssr")]
fn other_side(caller: &Caller) -> OrgKind {
    match caller.snapshot.org.kind {
        OrgKind::Vendor => OrgKind::Customer,
        _ => OrgKind::Vendor,
    }
}

/// (customer, vendor) of a link between the caller's organization and `other`.
#[cfg(feature = "ssr")]
fn pair(caller: &Caller, other: OrgId) -> (OrgId, OrgId) {
    match caller.snapshot.org.kind {
        OrgKind::Vendor => (other, caller.user.org),
        _ => (caller.user.org, other),
    }
}

#[cfg(feature = "ssr")]
fn name_of(caller: &Caller, org: OrgId, other: &str) -> String {
    if org == caller.user.org {
        caller.snapshot.org.name.clone()
    } else {
        other.to_owned()
    }
}

/// A customer's consent names a tier; a vendor's names none.
#[cfg(feature = "ssr")]
fn customer_tier(caller: &Caller, key: &str) -> Result<Option<VendorTier>, AppError> {
    match caller.snapshot.org.kind {
        OrgKind::Customer => VendorTier::from_key(key.trim())
            .map(Some)
            .ok_or_else(|| AppError::field(Field::Tier, TIER_MESSAGE)),
        _ => Ok(None),
    }
}

/// The pending request `id` at `version`, locked.
#[cfg(feature = "ssr")]
async fn pending(
    conn: &mut PgConnection,
    id: LinkRequestId,
    version: i32,
) -> Result<db::LinkRequestRecord, AppError> {
    let row = db::lock_link_request(conn, id).await.found()?;
    if row.version != version || row.status != LinkRequestStatus::Pending {
        return Err(AppError::Conflict(LINK_CHANGED_ELSEWHERE.to_owned()));
    }
    Ok(row)
}

/// [`pending`], if `own` is one of its sides; else not found.
#[cfg(feature = "ssr")]
async fn own_pending(
    conn: &mut PgConnection,
    id: LinkRequestId,
    own: OrgId,
    version: i32,
) -> Result<db::LinkRequestRecord, AppError> {
    let row = db::lock_link_request(conn, id).await.found()?;
    if row.customer_id != own && row.vendor_id != own {
        return Err(AppError::NotFound);
    }
    pending(conn, id, version).await
}

/// One event in each side's log and in the platform's.
#[cfg(feature = "ssr")]
async fn record_everywhere(
    conn: &mut PgConnection,
    sides: &[OrgId],
    actor: &Actor,
    action: &'static str,
    target: impl std::fmt::Display + Copy,
    after: serde_json::Value,
) -> Result<(), AppError> {
    let platform = db::platform(conn).await?.map(|(id, _)| id);
    for org in sides.iter().copied().chain(platform) {
        let event = Event::new(org, action, "vendor_link", target).after(after.clone());
        record(conn, actor, event).await?;
    }
    Ok(())
}

#[cfg(feature = "ssr")]
impl From<db::LinkRequestRecord> for LinkRequestRow {
    fn from(row: db::LinkRequestRecord) -> Self {
        LinkRequestRow {
            id: row.id,
            customer: row.customer,
            customer_id: row.customer_id,
            vendor: row.vendor,
            vendor_id: row.vendor_id,
            asked_by: if row.customer_first {
                OrgKind::Customer
            } else {
                OrgKind::Vendor
            },
            customer_consented: row.customer_consented,
            vendor_consented: row.vendor_consented,
            max_tier: row.max_tier,
            status: row.status,
            version: row.version,
            at: minute_utc(row.created_at),
        }
    }
}
