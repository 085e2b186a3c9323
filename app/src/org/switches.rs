//! Vendor staff's switches into linked customers' accounts (migration
//! 0016): opened by "Switch to account", ended by returning or by the
//! change that lowers the grant below Full Access, which records it. The
//! principal's resolution only reads them.

use sqlx::PgConnection;

use crate::model::{
    ids::{OrgId, UserId, VendorId},
    vendor::VendorTier,
};

/// Whether the switch `id` of `user` is still open.
pub async fn is_open(conn: &mut PgConnection, id: i64, user: UserId) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM vendor_switches
                          WHERE id = $1 AND user_id = $2 AND ended_at IS NULL) AS "open!""#,
        id,
        user.0
    )
    .fetch_one(conn)
    .await
}

/// Opens a switch of `user` of `vendor` into `customer`; returns its id.
pub async fn open(
    conn: &mut PgConnection,
    vendor: VendorId,
    customer: OrgId,
    user: UserId,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO vendor_switches (vendor_id, customer_id, user_id) VALUES ($1, $2, $3)
         RETURNING id",
        vendor.0,
        customer.0,
        user.0
    )
    .fetch_one(conn)
    .await
}

/// Ends the switch `id` of `user`, if still open: they went back to their
/// own account. Whether it was open.
pub async fn end_returned(
    conn: &mut PgConnection,
    id: i64,
    user: UserId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE vendor_switches SET ended_at = now(), ended_because = 'returned'
         WHERE id = $1 AND user_id = $2 AND ended_at IS NULL",
        id,
        user.0
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A switch a change of the grant ended: whose it was.
pub struct Lapsed {
    pub user: UserId,
    pub name: String,
}

/// After a change of `vendor`'s grant in `customer`'s account that leaves
/// it at `tier`: below Full Access, every open switch ends; returns them,
/// for the change to record.
pub async fn lapse(
    conn: &mut PgConnection,
    vendor: VendorId,
    customer: OrgId,
    tier: VendorTier,
) -> Result<Vec<Lapsed>, sqlx::Error> {
    if tier == VendorTier::Full {
        return Ok(Vec::new());
    }
    sqlx::query_as!(
        Lapsed,
        r#"UPDATE vendor_switches s SET ended_at = now(), ended_because = 'lapsed'
           FROM users u
           WHERE s.vendor_id = $1 AND s.customer_id = $2 AND s.ended_at IS NULL AND u.id = s.user_id
           RETURNING s.user_id AS "user: UserId", u.first_name || ' ' || u.last_name AS "name!""#,
        vendor.0,
        customer.0
    )
    .fetch_all(conn)
    .await
}
