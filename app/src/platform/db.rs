//! The platform console's rows and statements: every organization as the
//! console lists it, the platform's staff, the support desk's queue, the
//! two-person changes and the link requests.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::model::{
    ids::{ChangeId, LinkRequestId, OrgId, TicketId, UserId},
    org::OrgKind,
    platform::{ChangeKind, ChangeStatus, LinkRequestStatus},
    ticket::TicketStatus,
    user::AccountType,
    vendor::VendorTier,
};

/// An organization as the console lists it.
pub struct OrgRow {
    pub id: OrgId,
    pub name: String,
    pub kind: OrgKind,
    pub suspended: bool,
    pub version: i64,
    pub administrators: i64,
    pub administrators_with_two_factor: i64,
    pub linked: Vec<String>,
    pub open_tickets: i64,
}

/// Up to `limit` customer and vendor organizations whose lowered name
/// matches `pattern` (and of `kind`, if given), by name, after `after`.
pub async fn organizations(
    conn: &mut PgConnection,
    pattern: &str,
    kind: Option<OrgKind>,
    after: Option<OrgId>,
    limit: i64,
) -> Result<Vec<OrgRow>, sqlx::Error> {
    select_organizations(conn, pattern, kind, None, after, limit, 5).await
}

/// One customer or vendor organization, as the list shows it, with all
/// the organizations it is linked to.
pub async fn organization(
    conn: &mut PgConnection,
    id: OrgId,
) -> Result<Option<OrgRow>, sqlx::Error> {
    let mut rows = select_organizations(conn, "%", None, Some(id), None, 1, 1_000).await?;
    Ok(rows.pop())
}

/// The one statement of [`organizations`] and [`organization`]: `only`
/// one of them, at most `linked` names of the other side each.
async fn select_organizations(
    conn: &mut PgConnection,
    pattern: &str,
    kind: Option<OrgKind>,
    only: Option<OrgId>,
    after: Option<OrgId>,
    limit: i64,
    linked: i64,
) -> Result<Vec<OrgRow>, sqlx::Error> {
    sqlx::query_as!(
        OrgRow,
        r#"SELECT o.id AS "id: OrgId", o.name, o.kind AS "kind: OrgKind",
                  o.suspended_at IS NOT NULL AS "suspended!", o.access_version AS version,
                  (SELECT count(*) FROM users u WHERE u.org_id = o.id
                     AND u.account_type = 'administrator' AND u.status = 'active') AS "administrators!",
                  (SELECT count(*) FROM users u JOIN user_totp t ON t.user_id = u.id
                     AND t.confirmed_at IS NOT NULL WHERE u.org_id = o.id
                     AND u.account_type = 'administrator' AND u.status = 'active')
                     AS "administrators_with_two_factor!",
                  ARRAY(SELECT other.name FROM vendor_links l
                        JOIN organizations other
                          ON other.id = CASE WHEN l.vendor_id = o.id THEN l.customer_id ELSE l.vendor_id END
                        WHERE l.vendor_id = o.id OR l.customer_id = o.id
                        ORDER BY lower(other.name) LIMIT $5) AS "linked!",
                  (SELECT count(*) FROM support_tickets t
                     WHERE t.org_id = o.id AND t.status <> 'closed') AS "open_tickets!"
           FROM organizations o
           WHERE o.kind <> 'platform' AND lower(o.name) LIKE $1
             AND ($2::text IS NULL OR o.kind = $2)
             AND ($6::bigint IS NULL OR o.id = $6)
             AND ($3::bigint IS NULL OR (lower(o.name), o.id) >
                  (SELECT lower(name), id FROM organizations WHERE id = $3))
           ORDER BY lower(o.name), o.id LIMIT $4"#,
        pattern,
        kind.map(OrgKind::key),
        after.map(|o| o.0),
        limit,
        linked,
        only.map(|o| o.0)
    )
    .fetch_all(conn)
    .await
}

/// How many organizations match, as [`organizations`] filters them.
pub async fn count(
    conn: &mut PgConnection,
    pattern: &str,
    kind: Option<OrgKind>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM organizations o
           WHERE o.kind <> 'platform' AND lower(o.name) LIKE $1
             AND ($2::text IS NULL OR o.kind = $2)"#,
        pattern,
        kind.map(OrgKind::key)
    )
    .fetch_one(conn)
    .await
}

/// A user of an organization as the console shows them.
pub struct MemberRecord {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub active: bool,
    pub account_type: AccountType,
    pub support_user: bool,
    pub two_factor: bool,
}

/// The first 200 users of `org`: Administrators first, then by name.
pub async fn members(
    conn: &mut PgConnection,
    org: OrgId,
) -> Result<Vec<MemberRecord>, sqlx::Error> {
    sqlx::query_as!(
        MemberRecord,
        r#"SELECT u.id AS "id: UserId", u.first_name || ' ' || u.last_name AS "name!", u.email,
                  u.status = 'active' AS "active!", u.account_type AS "account_type: AccountType",
                  u.support_user,
                  EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
                      AS "two_factor!"
           FROM users u WHERE u.org_id = $1
           ORDER BY u.account_type = 'administrator' DESC, lower(u.last_name), lower(u.first_name), u.id
           LIMIT 200"#,
        org.0
    )
    .fetch_all(conn)
    .await
}

/// The platform organization's id, if there is one.
pub async fn platform(conn: &mut PgConnection) -> Result<Option<(OrgId, String)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT id AS "id: OrgId", name FROM organizations WHERE kind = 'platform'"#
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.name)))
}

/// A new customer or vendor organization named `name`; `None` when the
/// name is taken (whatever its case).
pub async fn insert_organization(
    conn: &mut PgConnection,
    name: &str,
    kind: OrgKind,
) -> Result<Option<OrgId>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO organizations (name, kind) VALUES ($1, $2)
           ON CONFLICT DO NOTHING RETURNING id AS "id: OrgId""#,
        name,
        kind.key()
    )
    .fetch_optional(conn)
    .await
}

/// A user of an organization without companies (a vendor's, the
/// platform's), with no password until their invitation is used.
pub async fn insert_member(
    conn: &mut PgConnection,
    org: OrgId,
    first_name: &str,
    last_name: &str,
    email: &str,
    account_type: AccountType,
) -> Result<UserId, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO users (org_id, first_name, last_name, email, account_type, user_type)
           VALUES ($1, $2, $3, $4, $5, 'partner') RETURNING id AS "id: UserId""#,
        org.0,
        first_name,
        last_name,
        email,
        account_type.key()
    )
    .fetch_one(conn)
    .await
}

/// Locks the organization `id` (not the platform) and answers its name,
/// version and whether it is suspended.
pub async fn lock_organization(
    conn: &mut PgConnection,
    id: OrgId,
) -> Result<Option<(String, i64, bool)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT name, access_version, suspended_at IS NOT NULL AS "suspended!"
           FROM organizations WHERE id = $1 AND kind <> 'platform' FOR NO KEY UPDATE"#,
        id.0
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.name, r.access_version, r.suspended)))
}

/// Renames the organization and its parent company; `false` when the
/// name is taken.
pub async fn rename(conn: &mut PgConnection, id: OrgId, name: &str) -> Result<bool, sqlx::Error> {
    let renamed = sqlx::query!(
        "UPDATE organizations SET name = $2 WHERE id = $1
           AND NOT EXISTS (SELECT 1 FROM organizations o WHERE lower(o.name) = lower($2) AND o.id <> $1)",
        id.0,
        name
    )
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if renamed {
        sqlx::query!(
            "UPDATE companies SET name = $2 WHERE org_id = $1 AND parent_id IS NULL",
            id.0,
            name
        )
        .execute(conn)
        .await?;
    }
    Ok(renamed)
}

/// Suspends the organization (now) or lifts its suspension.
pub async fn set_suspended(
    conn: &mut PgConnection,
    id: OrgId,
    suspended: bool,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE organizations SET suspended_at = CASE WHEN $2 THEN $3::timestamptz END WHERE id = $1",
        id.0,
        suspended,
        now as _
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The platform's staff, by name.
pub async fn staff(
    conn: &mut PgConnection,
    platform: OrgId,
) -> Result<Vec<MemberRecord>, sqlx::Error> {
    sqlx::query_as!(
        MemberRecord,
        r#"SELECT u.id AS "id: UserId", u.first_name || ' ' || u.last_name AS "name!", u.email,
                  u.status = 'active' AS "active!", u.account_type AS "account_type: AccountType",
                  u.support_user,
                  EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
                      AS "two_factor!"
           FROM users u WHERE u.org_id = $1
           ORDER BY lower(u.last_name), lower(u.first_name), u.id"#,
        platform.0
    )
    .fetch_all(conn)
    .await
}

/// A ticket in the desk's queue.
pub struct DeskRow {
    pub id: TicketId,
    pub organization: String,
    pub kind: OrgKind,
    pub subject: String,
    pub status: TicketStatus,
    pub opened_by: String,
    pub assignee: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The desk's filters, checked.
pub struct DeskFilter {
    /// Lowered substring pattern of the organization's name.
    pub organization: String,
    pub status: Option<TicketStatus>,
    /// Opened at least this long before `now`.
    pub older_than: Option<DateTime<Utc>>,
    /// Assigned to this user; `Some(None)`: to nobody.
    pub assignee: Option<Option<UserId>>,
}

/// Up to `limit` tickets of every organization, newest first, after `after`.
pub async fn desk(
    conn: &mut PgConnection,
    filter: &DeskFilter,
    after: Option<TicketId>,
    limit: i64,
) -> Result<Vec<DeskRow>, sqlx::Error> {
    let (any_assignee, assignee) = match filter.assignee {
        None => (true, None),
        Some(who) => (false, who.map(|u| u.0)),
    };
    sqlx::query_as!(
        DeskRow,
        r#"SELECT t.id AS "id: TicketId", o.name AS organization, o.kind AS "kind: OrgKind",
                  t.subject, t.status AS "status: TicketStatus",
                  u.first_name || ' ' || u.last_name AS "opened_by!",
                  a.first_name || ' ' || a.last_name AS assignee,
                  t.created_at AS "created_at: DateTime<Utc>",
                  t.updated_at AS "updated_at: DateTime<Utc>"
           FROM support_tickets t JOIN organizations o ON o.id = t.org_id
           JOIN users u ON u.id = t.opened_by
           LEFT JOIN users a ON a.id = t.assignee_id
           WHERE lower(o.name) LIKE $1
             AND ($2::text IS NULL OR t.status = $2)
             AND ($3::timestamptz IS NULL OR t.created_at <= $3)
             AND ($4 OR t.assignee_id IS NOT DISTINCT FROM $5)
             AND ($6::bigint IS NULL OR t.id < $6)
           ORDER BY t.id DESC LIMIT $7"#,
        filter.organization,
        filter.status.map(TicketStatus::key),
        filter.older_than as _,
        any_assignee,
        assignee,
        after.map(|t| t.0),
        limit
    )
    .fetch_all(conn)
    .await
}

/// Assigns the ticket (to nobody with `None`), a new version of it.
pub async fn assign(
    conn: &mut PgConnection,
    ticket: TicketId,
    assignee: Option<UserId>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE support_tickets SET assignee_id = $2, version = version + 1, updated_at = now()
         WHERE id = $1",
        ticket.0,
        assignee.map(|u| u.0)
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The ticket's assignee.
pub async fn assignee(
    conn: &mut PgConnection,
    ticket: TicketId,
) -> Result<Option<UserId>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT assignee_id AS "id: UserId" FROM support_tickets WHERE id = $1"#,
        ticket.0
    )
    .fetch_one(conn)
    .await
}

/// A two-person change as its ticket lists it.
pub struct ChangeRecord {
    pub id: ChangeId,
    pub ticket_id: TicketId,
    pub org_id: OrgId,
    pub kind: ChangeKind,
    pub target_id: UserId,
    pub target: String,
    pub reason: String,
    pub proposed_by_id: UserId,
    pub proposed_by: String,
    pub status: ChangeStatus,
    pub decided_by: Option<String>,
    pub proposed_at: DateTime<Utc>,
}

/// The changes proposed on `ticket`, oldest first.
pub async fn changes(
    conn: &mut PgConnection,
    ticket: TicketId,
) -> Result<Vec<ChangeRecord>, sqlx::Error> {
    select_changes(conn, Some(ticket), None).await
}

/// The change `id`, locked for its decision.
pub async fn lock_change(
    conn: &mut PgConnection,
    id: ChangeId,
) -> Result<Option<ChangeRecord>, sqlx::Error> {
    let locked = sqlx::query_scalar!(
        "SELECT id FROM platform_changes WHERE id = $1 FOR UPDATE",
        id.0
    )
    .fetch_optional(&mut *conn)
    .await?;
    match locked {
        Some(_) => Ok(select_changes(conn, None, Some(id)).await?.pop()),
        None => Ok(None),
    }
}

/// The one statement of [`changes`] and [`lock_change`].
async fn select_changes(
    conn: &mut PgConnection,
    ticket: Option<TicketId>,
    id: Option<ChangeId>,
) -> Result<Vec<ChangeRecord>, sqlx::Error> {
    sqlx::query_as!(
        ChangeRecord,
        r#"SELECT c.id AS "id: ChangeId", c.ticket_id AS "ticket_id: TicketId", c.org_id AS "org_id: OrgId",
                  c.kind AS "kind: ChangeKind", c.target_user_id AS "target_id: UserId",
                  t.first_name || ' ' || t.last_name || ' <' || t.email || '>' AS "target!",
                  c.reason, c.proposed_by AS "proposed_by_id: UserId",
                  p.first_name || ' ' || p.last_name AS "proposed_by!",
                  c.status AS "status: ChangeStatus",
                  d.first_name || ' ' || d.last_name AS decided_by,
                  c.proposed_at AS "proposed_at: DateTime<Utc>"
           FROM platform_changes c JOIN users t ON t.id = c.target_user_id
           JOIN users p ON p.id = c.proposed_by LEFT JOIN users d ON d.id = c.decided_by
           WHERE ($1::bigint IS NULL OR c.ticket_id = $1) AND ($2::bigint IS NULL OR c.id = $2)
           ORDER BY c.id"#,
        ticket.map(|t| t.0),
        id.map(|c| c.0)
    )
    .fetch_all(conn)
    .await
}

/// Records a proposed change; `None` when the same change to the same
/// user is pending already.
pub async fn propose(
    conn: &mut PgConnection,
    ticket: TicketId,
    org: OrgId,
    kind: ChangeKind,
    target: UserId,
    reason: &str,
    by: UserId,
) -> Result<Option<ChangeId>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO platform_changes (ticket_id, org_id, kind, target_user_id, reason, proposed_by)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id AS "id: ChangeId""#,
        ticket.0,
        org.0,
        kind.key(),
        target.0,
        reason,
        by.0
    )
    .fetch_optional(conn)
    .await
}

/// Records the decision on a pending change.
pub async fn decide(
    conn: &mut PgConnection,
    id: ChangeId,
    status: ChangeStatus,
    by: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE platform_changes SET status = $2, decided_by = $3, decided_at = now()
         WHERE id = $1 AND status = 'pending'",
        id.0,
        status.key(),
        by.0
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A link request as the pages list it.
pub struct LinkRequestRecord {
    pub id: LinkRequestId,
    pub customer_id: OrgId,
    pub customer: String,
    pub vendor_id: OrgId,
    pub vendor: String,
    pub customer_first: bool,
    pub customer_consented: bool,
    pub vendor_consented: bool,
    pub max_tier: Option<VendorTier>,
    pub status: LinkRequestStatus,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

/// The latest 100 link requests `org` is a side of (any organization's,
/// pending ones only, for `None`: the platform's queue).
pub async fn link_requests(
    conn: &mut PgConnection,
    org: Option<OrgId>,
) -> Result<Vec<LinkRequestRecord>, sqlx::Error> {
    select_link_requests(conn, org, None).await
}

/// The link request `id`, locked for a change.
pub async fn lock_link_request(
    conn: &mut PgConnection,
    id: LinkRequestId,
) -> Result<Option<LinkRequestRecord>, sqlx::Error> {
    let locked = sqlx::query_scalar!(
        "SELECT id FROM vendor_link_requests WHERE id = $1 FOR UPDATE",
        id.0
    )
    .fetch_optional(&mut *conn)
    .await?;
    match locked {
        Some(_) => Ok(select_link_requests(conn, None, Some(id)).await?.pop()),
        None => Ok(None),
    }
}

/// The one statement of [`link_requests`] and [`lock_link_request`]:
/// the request `id` when given.
async fn select_link_requests(
    conn: &mut PgConnection,
    org: Option<OrgId>,
    id: Option<LinkRequestId>,
) -> Result<Vec<LinkRequestRecord>, sqlx::Error> {
    sqlx::query_as!(
        LinkRequestRecord,
        r#"SELECT r.id AS "id: LinkRequestId", r.customer_id AS "customer_id: OrgId", c.name AS customer,
                  r.vendor_id AS "vendor_id: OrgId", v.name AS vendor,
                  (r.customer_consent_at IS NOT NULL
                     AND (r.vendor_consent_at IS NULL OR r.customer_consent_at <= r.vendor_consent_at))
                     AS "customer_first!",
                  r.customer_consent_at IS NOT NULL AS "customer_consented!",
                  r.vendor_consent_at IS NOT NULL AS "vendor_consented!",
                  r.max_tier AS "max_tier: VendorTier", r.status AS "status: LinkRequestStatus",
                  r.version, r.created_at AS "created_at: DateTime<Utc>"
           FROM vendor_link_requests r JOIN organizations c ON c.id = r.customer_id
           JOIN organizations v ON v.id = r.vendor_id
           WHERE CASE WHEN $2::bigint IS NOT NULL THEN r.id = $2
                      WHEN $1::bigint IS NULL THEN r.status = 'pending'
                      ELSE r.customer_id = $1 OR r.vendor_id = $1 END
           ORDER BY r.id DESC LIMIT 100"#,
        org.map(|o| o.0),
        id.map(|r| r.0)
    )
    .fetch_all(conn)
    .await
}

/// A new request with one side's consent; `None` when one is pending
/// for the pair already.
pub async fn request_link(
    conn: &mut PgConnection,
    customer: OrgId,
    vendor: OrgId,
    by: UserId,
    customer_side: Option<VendorTier>,
) -> Result<Option<LinkRequestId>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO vendor_link_requests
               (customer_id, vendor_id, requested_by, customer_consent_by, customer_consent_at,
                max_tier, vendor_consent_by, vendor_consent_at)
           VALUES ($1, $2, $3::bigint,
                   CASE WHEN $4::text IS NOT NULL THEN $3::bigint END,
                   CASE WHEN $4::text IS NOT NULL THEN now() END,
                   $4::text,
                   CASE WHEN $4::text IS NULL THEN $3::bigint END,
                   CASE WHEN $4::text IS NULL THEN now() END)
           ON CONFLICT DO NOTHING RETURNING id AS "id: LinkRequestId""#,
        customer.0,
        vendor.0,
        by.0,
        customer_side.map(VendorTier::key)
    )
    .fetch_optional(conn)
    .await
}

/// The other side's consent (the customer's names its highest tier).
pub async fn consent(
    conn: &mut PgConnection,
    id: LinkRequestId,
    by: UserId,
    customer_side: Option<VendorTier>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE vendor_link_requests SET
             customer_consent_by = CASE WHEN $3::text IS NOT NULL THEN $2::bigint ELSE customer_consent_by END,
             customer_consent_at = CASE WHEN $3::text IS NOT NULL THEN now() ELSE customer_consent_at END,
             max_tier = coalesce($3::text, max_tier),
             vendor_consent_by = CASE WHEN $3::text IS NULL THEN $2::bigint ELSE vendor_consent_by END,
             vendor_consent_at = CASE WHEN $3::text IS NULL THEN now() ELSE vendor_consent_at END,
             version = version + 1
         WHERE id = $1",
        id.0,
        by.0,
        customer_side.map(VendorTier::key)
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Closes a pending request as completed, declined or withdrawn.
pub async fn close_link_request(
    conn: &mut PgConnection,
    id: LinkRequestId,
    status: LinkRequestStatus,
    by: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE vendor_link_requests SET status = $2, closed_by = $3, closed_at = now(),
             version = version + 1
         WHERE id = $1 AND status = 'pending'",
        id.0,
        status.key(),
        by.0
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Links the customer to the vendor at `tier`; `false` if they are linked.
pub async fn link(
    conn: &mut PgConnection,
    customer: OrgId,
    vendor: OrgId,
    tier: VendorTier,
) -> Result<bool, sqlx::Error> {
    let added = sqlx::query!(
        "INSERT INTO vendor_links (vendor_id, customer_id, tier) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
        vendor.0,
        customer.0,
        tier.key()
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(added == 1)
}

/// Ends the link; `false` if there was none.
pub async fn unlink(
    conn: &mut PgConnection,
    customer: OrgId,
    vendor: OrgId,
) -> Result<bool, sqlx::Error> {
    let removed = sqlx::query!(
        "DELETE FROM vendor_links WHERE vendor_id = $1 AND customer_id = $2",
        vendor.0,
        customer.0
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(removed == 1)
}

/// The organizations of `kind` (by name, at most 500), for a side's choice.
pub async fn of_kind(
    conn: &mut PgConnection,
    kind: OrgKind,
) -> Result<Vec<(OrgId, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id: OrgId", name FROM organizations
           WHERE kind = $1 AND suspended_at IS NULL ORDER BY lower(name) LIMIT 500"#,
        kind.key()
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// The emails of the active Administrators of `org`.
pub async fn administrator_emails(
    conn: &mut PgConnection,
    org: OrgId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT email FROM users WHERE org_id = $1 AND account_type = 'administrator' AND status = 'active'
         ORDER BY id",
        org.0
    )
    .fetch_all(conn)
    .await
}

/// Whether the ticket was opened by an active Administrator of `org`.
pub async fn opened_by_active_administrator(
    conn: &mut PgConnection,
    ticket: TicketId,
    org: OrgId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM support_tickets t JOIN users u ON u.id = t.opened_by
                          WHERE t.id = $1 AND u.org_id = $2 AND u.account_type = 'administrator'
                            AND u.status = 'active') AS "yes!""#,
        ticket.0,
        org.0
    )
    .fetch_one(conn)
    .await
}

/// Makes the user an Administrator (or a Standard user).
pub async fn set_account_type(
    conn: &mut PgConnection,
    user: UserId,
    account_type: AccountType,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET account_type = $2, version = version + 1, updated_at = now() WHERE id = $1",
        user.0,
        account_type.key()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes the user a Support User.
pub async fn set_support_user(conn: &mut PgConnection, user: UserId) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE users SET support_user = true, version = version + 1, updated_at = now() WHERE id = $1",
        user.0
    )
    .execute(conn)
    .await?;
    Ok(())
}
