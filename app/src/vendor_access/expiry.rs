//! The job that ends timed Vendor Access grants. The policy already reads
//! an expired grant as its lower level from the very instant it ends; this
//! job writes that down (so the stored setting and its history say so) and
//! warns the vendor and the customer's Administrators shortly before.
//!
//! Every server process may run it: rows are claimed with
//! `FOR UPDATE SKIP LOCKED`, so each revert and each warning happens once.
//! `now` is a parameter so tests can move the clock.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use super::db::grant_json;
use crate::{
    audit::db::{Event, record},
    mail::outbox::{Mail, enqueue},
    model::{
        ids::{OrgId, VendorId},
        time::minute_utc,
        vendor::{VendorGrant, VendorTier},
    },
    principal::Actor,
};

/// How many rows one pass handles; the rest wait for the next pass.
const BATCH: i64 = 100;
/// How often [`run`] looks for due work.
pub const INTERVAL: Duration = Duration::from_secs(30);

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryReport {
    pub reverted: usize,
    pub warned: usize,
}

#[derive(sqlx::FromRow)]
struct Due {
    vendor_id: i64,
    customer_id: i64,
    tier: VendorTier,
    expires_at: Option<DateTime<Utc>>,
    reverts_to: Option<VendorTier>,
    vendor: String,
    customer: String,
}

impl Due {
    fn grant(&self) -> VendorGrant {
        VendorGrant::stored(self.tier, self.expires_at, self.reverts_to)
    }
}

/// Reverts every grant that has ended by `now` and queues the warnings
/// due by `now`, each in one transaction with its audit event or mail.
pub async fn run_due(pool: &PgPool, now: DateTime<Utc>) -> Result<ExpiryReport, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let reverted = revert_ended(&mut tx, now).await?;
    let warned = warn_ending(&mut tx, now).await?;
    tx.commit().await?;
    Ok(ExpiryReport { reverted, warned })
}

/// Runs [`run_due`] every [`INTERVAL`] until the task is dropped.
pub async fn run(pool: PgPool) {
    let mut ticks = tokio::time::interval(INTERVAL);
    loop {
        ticks.tick().await;
        match run_due(&pool, Utc::now()).await {
            Ok(report) if report != ExpiryReport::default() => {
                tracing::info!(
                    reverted = report.reverted,
                    warned = report.warned,
                    "vendor access expiry"
                );
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "vendor access expiry failed; retrying later"),
        }
    }
}

const DUE_COLUMNS: &str = "d.vendor_id, d.customer_id, d.tier, d.expires_at, d.reverts_to,
                           v.name AS vendor, c.name AS customer";

async fn revert_ended(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let ended: Vec<Due> = sqlx::query_as(&format!(
        "WITH d AS (SELECT vendor_id, customer_id, tier, expires_at, reverts_to FROM vendor_links
                    WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED),
              u AS (UPDATE vendor_links l
                    SET tier = d.reverts_to, expires_at = NULL, reverts_to = NULL,
                        expiry_notice_at = NULL, version = l.version + 1, updated_at = $1
                    FROM d WHERE l.vendor_id = d.vendor_id AND l.customer_id = d.customer_id)
         SELECT {DUE_COLUMNS} FROM d
         JOIN organizations v ON v.id = d.vendor_id JOIN organizations c ON c.id = d.customer_id"
    ))
    .bind(now)
    .bind(BATCH)
    .fetch_all(&mut *conn)
    .await?;
    for due in &ended {
        let before = due.grant();
        let after = VendorGrant::permanent(before.reverts_to);
        let event = Event::new(
            OrgId(due.customer_id),
            "vendor_access.expire",
            "vendor_link",
            due.vendor_id,
        )
        .before(grant_json(&before))
        .after(grant_json(&after));
        let actor = Actor::system("Vendor Access time limit");
        record(conn, &actor, event).await?;
        let (vendor, customer) = (VendorId(due.vendor_id), OrgId(due.customer_id));
        super::db::lapse_switches(conn, vendor, customer, after.tier, &actor).await?;
    }
    Ok(ended.len())
}

async fn warn_ending(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let ending: Vec<Due> = sqlx::query_as(&format!(
        "WITH d AS (SELECT vendor_id, customer_id, tier, expires_at, reverts_to FROM vendor_links
                    WHERE expiry_notice_at <= $1 AND expires_at > $1
                    ORDER BY expiry_notice_at LIMIT $2 FOR UPDATE SKIP LOCKED),
              u AS (UPDATE vendor_links l SET expiry_notice_at = NULL
                    FROM d WHERE l.vendor_id = d.vendor_id AND l.customer_id = d.customer_id)
         SELECT {DUE_COLUMNS} FROM d
         JOIN organizations v ON v.id = d.vendor_id JOIN organizations c ON c.id = d.customer_id"
    ))
    .bind(now)
    .bind(BATCH)
    .fetch_all(&mut *conn)
    .await?;
    for due in &ending {
        let grant = due.grant();
        let Some(end) = due.expires_at else {
            continue;
        };
        let subject = format!("{} access to {} ends soon", due.vendor, due.customer);
        let body = format!(
            "{customer} gave {vendor} {tier} until {end}. From then on {vendor} has {back}.\n\n\
             Administrators of {customer} can keep or change this under Settings › Vendor Settings.\n",
            customer = due.customer,
            vendor = due.vendor,
            tier = grant.tier,
            end = minute_utc(end),
            back = grant.reverts_to,
        );
        // Both sides' active Administrators.
        let recipients = sqlx::query!(
            "SELECT org_id, email FROM users
             WHERE org_id IN ($1, $2) AND account_type = 'administrator' AND status = 'active'
             ORDER BY org_id, id",
            due.customer_id,
            due.vendor_id
        )
        .fetch_all(&mut *conn)
        .await?;
        for recipient in &recipients {
            let mail = Mail {
                org: Some(OrgId(recipient.org_id)),
                to: &recipient.email,
                subject: &subject,
                body: body.clone(),
                kind: crate::mail::MailKind::Notice,
            };
            enqueue(conn, mail).await?;
        }
    }
    Ok(ending.len())
}
