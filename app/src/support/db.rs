//! Support tickets' rows and statements.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::{
    claims::db::{COLUMNS, ClaimRecord},
    model::{
        ids::{ClaimId, CompanyId, OrgId, TicketId, UserId, VendorId},
        ticket::TicketStatus,
    },
};

/// A ticket as its page and its changes read it.
pub struct TicketRow {
    pub id: TicketId,
    pub org_id: OrgId,
    pub organization: String,
    pub subject: String,
    pub message: String,
    pub status: TicketStatus,
    pub version: i32,
    pub opened_by: String,
    pub created_at: DateTime<Utc>,
    /// The organization `asking` was asked to help on it.
    pub help_requested: bool,
}

/// The ticket `id`, with whether `asking` (a vendor) was asked to help.
pub async fn ticket(
    conn: &mut PgConnection,
    id: TicketId,
    asking: OrgId,
) -> Result<Option<TicketRow>, sqlx::Error> {
    sqlx::query_as!(
        TicketRow,
        r#"SELECT t.id AS "id: TicketId", t.org_id AS "org_id: OrgId", o.name AS organization,
                  t.subject, t.message, t.status AS "status: TicketStatus", t.version,
                  u.first_name || ' ' || u.last_name AS "opened_by!",
                  t.created_at AS "created_at: DateTime<Utc>",
                  EXISTS (SELECT 1 FROM support_ticket_vendor_help h
                          WHERE h.ticket_id = t.id AND h.vendor_id = $2) AS "help_requested!"
           FROM support_tickets t JOIN organizations o ON o.id = t.org_id
           JOIN users u ON u.id = t.opened_by
           WHERE t.id = $1"#,
        id.0,
        asking.0
    )
    .fetch_optional(conn)
    .await
}

/// Locks the ticket `id` for a change; whether there is one.
pub async fn lock(conn: &mut PgConnection, id: TicketId) -> Result<bool, sqlx::Error> {
    let locked = sqlx::query_scalar!(
        "SELECT id FROM support_tickets WHERE id = $1 FOR UPDATE",
        id.0
    )
    .fetch_optional(conn)
    .await?;
    Ok(locked.is_some())
}

/// One line of a tickets list.
pub struct SummaryRow {
    pub id: TicketId,
    pub subject: String,
    pub status: TicketStatus,
    pub opened_by: String,
    pub updated_at: DateTime<Utc>,
    pub comments: i64,
    pub help_from: Vec<String>,
}

/// Which of `org`'s tickets a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Only {
    All,
    /// Those a vendor was asked to help on.
    HelpFrom(VendorId),
    /// Those a user opened (My Tickets).
    OpenedBy(UserId),
    /// Those a user is CC'd on.
    CcTo(UserId),
}

/// Up to `limit` tickets of `org`, newest first, after the ticket `after`,
/// of those `only` keeps.
pub async fn list(
    conn: &mut PgConnection,
    org: OrgId,
    only: Only,
    after: Option<TicketId>,
    limit: i64,
) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let (help_from, opened_by, cc_to) = match only {
        Only::All => (None, None, None),
        Only::HelpFrom(vendor) => (Some(vendor.0), None, None),
        Only::OpenedBy(user) => (None, Some(user.0), None),
        Only::CcTo(user) => (None, None, Some(user.0)),
    };
    sqlx::query_as!(
        SummaryRow,
        r#"SELECT t.id AS "id: TicketId", t.subject, t.status AS "status: TicketStatus",
                  u.first_name || ' ' || u.last_name AS "opened_by!",
                  t.updated_at AS "updated_at: DateTime<Utc>",
                  (SELECT count(*) FROM support_ticket_comments c WHERE c.ticket_id = t.id)
                      AS "comments!",
                  ARRAY(SELECT v.name FROM support_ticket_vendor_help h
                        JOIN organizations v ON v.id = h.vendor_id
                        WHERE h.ticket_id = t.id ORDER BY v.name) AS "help_from!"
           FROM support_tickets t JOIN users u ON u.id = t.opened_by
           WHERE t.org_id = $1
             AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM support_ticket_vendor_help h
                                                WHERE h.ticket_id = t.id AND h.vendor_id = $2))
             AND ($3::bigint IS NULL OR t.id < $3)
             AND ($5::bigint IS NULL OR t.opened_by = $5)
             AND ($6::bigint IS NULL OR EXISTS (SELECT 1 FROM support_ticket_cc c
                                                WHERE c.ticket_id = t.id AND c.user_id = $6))
           ORDER BY t.id DESC LIMIT $4"#,
        org.0,
        help_from,
        after.map(|t| t.0),
        limit,
        opened_by,
        cc_to
    )
    .fetch_all(conn)
    .await
}

/// The claims of `org` numbered `numbers`, in the companies `visible`.
pub async fn claims_numbered(
    conn: &mut PgConnection,
    org: OrgId,
    visible: &[i64],
    numbers: &[String],
) -> Result<Vec<(ClaimId, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id: ClaimId", claim_number FROM claims
           WHERE org_id = $1 AND company_id = ANY($2) AND claim_number = ANY($3) ORDER BY id"#,
        org.0,
        visible,
        numbers
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.claim_number)).collect())
}

/// A new ticket of `org` about the claims `claims`; returns its id.
pub async fn open(
    conn: &mut PgConnection,
    org: OrgId,
    opened_by: UserId,
    subject: &str,
    message: &str,
    claims: &[i64],
) -> Result<TicketId, sqlx::Error> {
    let id = sqlx::query_scalar!(
        r#"INSERT INTO support_tickets (org_id, subject, message, opened_by) VALUES ($1, $2, $3, $4)
           RETURNING id AS "id: TicketId""#,
        org.0,
        subject,
        message,
        opened_by.0
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO support_ticket_claims (ticket_id, claim_id, org_id)
         SELECT $1, unnest($2::bigint[]), $3",
        id.0,
        claims,
        org.0
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// A claim a ticket references, with its company.
#[derive(sqlx::FromRow)]
pub struct ClaimLine {
    pub company_id: CompanyId,
    #[sqlx(flatten)]
    pub claim: ClaimRecord,
}

/// The claims the ticket references, by number.
pub async fn claims_of(
    conn: &mut PgConnection,
    ticket: TicketId,
) -> Result<Vec<ClaimLine>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT c.company_id, {COLUMNS}
         FROM support_ticket_claims tc JOIN claims c ON c.id = tc.claim_id
         LEFT JOIN payers p ON p.id = c.payer_id
         WHERE tc.ticket_id = $1 ORDER BY c.claim_number, c.id"
    ))
    .bind(ticket)
    .fetch_all(conn)
    .await
}

/// A comment as the ticket shows it.
pub struct CommentRow {
    pub author_label: String,
    /// "Vendor: Claimwise", "Platform: Portcullis" for another
    /// organization's staff.
    pub vendor: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// The ticket's comments, oldest first.
pub async fn comments(
    conn: &mut PgConnection,
    ticket: TicketId,
) -> Result<Vec<CommentRow>, sqlx::Error> {
    sqlx::query_as!(
        CommentRow,
        r#"SELECT c.author_label,
                  CASE v.kind WHEN 'platform' THEN 'Platform: ' ELSE 'Vendor: ' END || v.name AS "vendor?",
                  c.body,
                  c.created_at AS "created_at: DateTime<Utc>"
           FROM support_ticket_comments c LEFT JOIN organizations v ON v.id = c.vendor_id
           WHERE c.ticket_id = $1 ORDER BY c.id"#,
        ticket.0
    )
    .fetch_all(conn)
    .await
}

/// The vendors linked to `customer`, by name, with whether each was asked
/// to help on the ticket.
pub async fn linked_vendors(
    conn: &mut PgConnection,
    ticket: TicketId,
    customer: OrgId,
) -> Result<Vec<(VendorId, String, bool)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT v.id AS "id: VendorId", v.name,
                  EXISTS (SELECT 1 FROM support_ticket_vendor_help h
                          WHERE h.ticket_id = $1 AND h.vendor_id = v.id) AS "asked!"
           FROM vendor_links l JOIN organizations v ON v.id = l.vendor_id
           WHERE l.customer_id = $2 ORDER BY v.name"#,
        ticket.0,
        customer.0
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name, r.asked)).collect())
}

/// A new comment on the ticket of `org`; vendor staff's carries their vendor.
pub struct NewComment<'a> {
    pub ticket: TicketId,
    pub org: OrgId,
    pub author: UserId,
    pub author_label: &'a str,
    pub vendor: Option<OrgId>,
    pub body: &'a str,
}

/// Adds the comment and marks the ticket updated.
pub async fn comment(conn: &mut PgConnection, c: &NewComment<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO support_ticket_comments (ticket_id, org_id, author_id, author_label, vendor_id, body)
         VALUES ($1, $2, $3, $4, $5, $6)",
        c.ticket.0,
        c.org.0,
        c.author.0,
        c.author_label,
        c.vendor.map(|v| v.0),
        c.body
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE support_tickets SET updated_at = now() WHERE id = $1",
        c.ticket.0
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves the ticket to `status`.
pub async fn set_status(
    conn: &mut PgConnection,
    ticket: TicketId,
    status: TicketStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE support_tickets SET status = $2, version = version + 1, updated_at = now()
         WHERE id = $1",
        ticket.0,
        status.key()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Asks `vendor` to help on the ticket of `org`; `false` if it was asked already.
pub async fn ask_vendor(
    conn: &mut PgConnection,
    ticket: TicketId,
    org: OrgId,
    vendor: VendorId,
    requested_by: UserId,
) -> Result<bool, sqlx::Error> {
    let added = sqlx::query!(
        "INSERT INTO support_ticket_vendor_help (ticket_id, org_id, vendor_id, requested_by)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        ticket.0,
        org.0,
        vendor.0,
        requested_by.0
    )
    .execute(conn)
    .await?;
    Ok(added.rows_affected() == 1)
}

/// The emails of `org`'s active Administrators.
pub async fn administrator_emails(
    conn: &mut PgConnection,
    org: OrgId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT email FROM users WHERE org_id = $1 AND account_type = 'administrator'
         AND status = 'active' ORDER BY id",
        org.0
    )
    .fetch_all(conn)
    .await
}

/// Whether `user` is CC'd on the ticket.
pub async fn is_cc(
    conn: &mut PgConnection,
    ticket: TicketId,
    user: UserId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM support_ticket_cc WHERE ticket_id = $1 AND user_id = $2) AS "cc!""#,
        ticket.0,
        user.0
    )
    .fetch_one(conn)
    .await
}

/// The users CC'd on the ticket, by name.
pub async fn cc_names(
    conn: &mut PgConnection,
    ticket: TicketId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT u.first_name || ' ' || u.last_name AS "name!"
           FROM support_ticket_cc c JOIN users u ON u.id = c.user_id
           WHERE c.ticket_id = $1 ORDER BY u.last_name, u.first_name, u.id"#,
        ticket.0
    )
    .fetch_all(conn)
    .await
}

/// The active users of `org` who may yet be CC'd on the ticket (not CC'd
/// already, not its opener), by name, at most `limit`.
pub async fn cc_choices(
    conn: &mut PgConnection,
    ticket: TicketId,
    org: OrgId,
    limit: i64,
) -> Result<Vec<(UserId, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT u.id AS "id: UserId", u.first_name || ' ' || u.last_name AS "name!"
           FROM users u
           WHERE u.org_id = $2 AND u.status = 'active'
             AND u.id <> (SELECT opened_by FROM support_tickets WHERE id = $1)
             AND NOT EXISTS (SELECT 1 FROM support_ticket_cc c WHERE c.ticket_id = $1 AND c.user_id = u.id)
           ORDER BY u.last_name, u.first_name, u.id LIMIT $3"#,
        ticket.0,
        org.0,
        limit
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// An active user of `org`: their name and email.
pub async fn active_member(
    conn: &mut PgConnection,
    org: OrgId,
    user: UserId,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT first_name || ' ' || last_name AS "name!", email FROM users
           WHERE id = $1 AND org_id = $2 AND status = 'active'"#,
        user.0,
        org.0
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.name, r.email)))
}

/// CCs `user` on the ticket; false if they already were.
pub async fn add_cc(
    conn: &mut PgConnection,
    ticket: TicketId,
    org: OrgId,
    user: UserId,
    by: UserId,
) -> Result<bool, sqlx::Error> {
    let added = sqlx::query!(
        "INSERT INTO support_ticket_cc (ticket_id, org_id, user_id, added_by)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        ticket.0,
        org.0,
        user.0,
        by.0
    )
    .execute(conn)
    .await?;
    Ok(added.rows_affected() == 1)
}

/// The organization's active Administrators and Support Users, by name
/// (at most `limit`).
pub async fn contacts(
    conn: &mut PgConnection,
    org: OrgId,
    limit: i64,
) -> Result<Vec<crate::support::SupportContact>, sqlx::Error> {
    sqlx::query_as!(
        crate::support::SupportContact,
        r#"SELECT first_name || ' ' || last_name AS "name!",
                  account_type = 'administrator' AS "administrator!", support_user
           FROM users
           WHERE org_id = $1 AND status = 'active'
             AND (account_type = 'administrator' OR support_user)
           ORDER BY last_name, first_name, id
           LIMIT $2"#,
        org.0,
        limit
    )
    .fetch_all(conn)
    .await
}
