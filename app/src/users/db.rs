//! The users feature's rows and statements: the Users page, Edit User's
//! tabs, Add User and the bulk actions.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::{
    db::substring_pattern,
    model::{
        ids::{CompanyId, OrgId, RoleId, UserId},
        user::{AccountType, User, UserStatus, UserType},
    },
    org::db::{USER_COLUMNS, USER_FROM, UserRow, acts_in_any},
};

/// One user as the Edit User page shows them: the user the policy judges,
/// with whether they enrolled an authenticator and until when their
/// sign-in is locked.
pub struct EditRow {
    pub user: User,
    pub two_factor: bool,
    pub locked_until: Option<DateTime<Utc>>,
}

/// User `user` for Edit User, or none: one statement, the user and the
/// page's extras together (the caller checks the organization).
pub async fn edit_row(
    conn: &mut PgConnection,
    user: UserId,
) -> Result<Option<EditRow>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        two_factor: bool,
        locked_until: Option<DateTime<Utc>>,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS},
            EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
                AS two_factor,
            (SELECT l.locked_until FROM sign_in_lockouts l
              WHERE l.email = lower(u.email) AND l.locked_until > now()) AS locked_until
         {USER_FROM}"
    ))
    .bind(user.0)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(EditRow {
            user: r.user.into_user()?,
            two_factor: r.two_factor,
            locked_until: r.locked_until,
        })
    })
    .transpose()
}

/// One row of the Users page.
#[derive(sqlx::FromRow)]
pub struct ListRow {
    pub id: UserId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub status: UserStatus,
    pub account_type: AccountType,
    pub user_type: UserType,
    pub role: Option<String>,
    pub two_factor: bool,
}

/// The profile of `user` of `org` before a change, locked against changes
/// of others (not against the references audit events take).
pub struct ProfileBefore {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub status: UserStatus,
    pub version: i32,
}

pub async fn profile_for_update(
    conn: &mut PgConnection,
    org: OrgId,
    user: UserId,
) -> Result<Option<ProfileBefore>, sqlx::Error> {
    sqlx::query_as!(
        ProfileBefore,
        r#"SELECT first_name, last_name, email, status AS "status: UserStatus", version
           FROM users WHERE id = $1 AND org_id = $2 FOR NO KEY UPDATE"#,
        user.0,
        org.0
    )
    .fetch_optional(conn)
    .await
}

/// A user's profile as an Administrator saves it.
pub struct ProfileChange<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub status: UserStatus,
}

/// Saves the profile; a deactivation also ends every session at once (the
/// per-request status check would too; this keeps it true for any future
/// path). Returns the new version.
pub async fn update_profile(
    conn: &mut PgConnection,
    user: UserId,
    change: &ProfileChange<'_>,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(
        "UPDATE users SET first_name = $1, last_name = $2, email = $3, status = $4,
                          sessions_not_before = CASE WHEN $4 = 'inactive' AND status = 'active'
                                                     THEN now() ELSE sessions_not_before END,
                          version = version + 1, updated_at = now()
         WHERE id = $5 RETURNING version",
        change.first_name,
        change.last_name,
        change.email,
        change.status.key(),
        user.0
    )
    .fetch_one(conn)
    .await
}

/// A new user, before their invitation.
pub struct NewUser<'a> {
    pub org: OrgId,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub account_type: AccountType,
    pub user_type: UserType,
    pub company: Option<CompanyId>,
    pub role: Option<RoleId>,
    /// The companies picked for the user (a Standard user's).
    pub direct: &'a [i64],
}

/// Adds the user and the companies picked for them; returns their id.
pub async fn insert(conn: &mut PgConnection, user: &NewUser<'_>) -> Result<UserId, sqlx::Error> {
    let id = sqlx::query_scalar!(
        r#"INSERT INTO users (org_id, first_name, last_name, email, account_type, user_type,
                              default_company_id, role_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id AS "id: UserId""#,
        user.org.0,
        user.first_name,
        user.last_name,
        user.email,
        user.account_type.key(),
        user.user_type.key(),
        user.company.map(|c| c.0),
        user.role.map(|r| r.0)
    )
    .fetch_one(&mut *conn)
    .await?;
    pick_companies(conn, user.org, id, user.direct).await?;
    Ok(id)
}

/// Picks `companies` for `user` of `org` (who has none picked).
async fn pick_companies(
    conn: &mut PgConnection,
    org: OrgId,
    user: UserId,
    companies: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO user_companies (user_id, company_id, org_id)
         SELECT $1, unnest($2::bigint[]), $3",
        user.0,
        companies,
        org.0
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Locks the picked users of `org` in one order (so two bulk changes
/// cannot wait on each other) and without blocking the references audit
/// events take to them; returns how many there are and how many of them
/// are Administrators.
pub async fn lock_picked(
    conn: &mut PgConnection,
    org: OrgId,
    users: &[i64],
) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "found!",
                  count(*) FILTER (WHERE account_type = 'administrator') AS "administrators!"
           FROM (SELECT id, account_type FROM users WHERE id = ANY($1) AND org_id = $2
                 ORDER BY id FOR NO KEY UPDATE) u"#,
        users,
        org.0
    )
    .fetch_one(conn)
    .await?;
    Ok((row.found, row.administrators))
}

/// Gives the users `status`; returns how many changed. A deactivation
/// signs them out everywhere.
pub async fn set_status(
    conn: &mut PgConnection,
    users: &[i64],
    status: UserStatus,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE users SET status = $2,
                          sessions_not_before = CASE WHEN $2 = 'inactive' THEN now()
                                                     ELSE sessions_not_before END,
                          version = version + 1, updated_at = now()
         WHERE id = ANY($1) AND status <> $2",
        users,
        status.key()
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Gives the users `role` (none: no role); returns how many changed.
pub async fn set_role(
    conn: &mut PgConnection,
    users: &[i64],
    role: Option<RoleId>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE users SET role_id = $2, version = version + 1, updated_at = now()
         WHERE id = ANY($1) AND role_id IS DISTINCT FROM $2",
        users,
        role.map(|r| r.0)
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Picks `company` for the Partners with a Standard account among the
/// users; returns how many gained it.
pub async fn add_company(
    conn: &mut PgConnection,
    users: &[i64],
    company: CompanyId,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO user_companies (user_id, company_id, org_id)
         SELECT id, $2, org_id FROM users
         WHERE id = ANY($1) AND user_type = 'partner' AND account_type = 'standard'
         ON CONFLICT DO NOTHING",
        users,
        company.0
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The Permissions tab's fields of `user` of `org` before a change, locked.
pub struct PermissionsBefore {
    pub account_type: AccountType,
    pub user_type: UserType,
    pub default_company_id: Option<i64>,
    pub role_id: Option<i64>,
    pub support_user: bool,
    pub version: i32,
    /// Companies picked directly.
    pub companies: Vec<i64>,
}

pub async fn permissions_for_update(
    conn: &mut PgConnection,
    org: OrgId,
    user: UserId,
) -> Result<Option<PermissionsBefore>, sqlx::Error> {
    sqlx::query_as!(
        PermissionsBefore,
        r#"SELECT account_type AS "account_type: AccountType", user_type AS "user_type: UserType",
                  default_company_id, role_id, support_user, version,
                  ARRAY(SELECT company_id FROM user_companies WHERE user_id = users.id
                        ORDER BY company_id) AS "companies!"
           FROM users WHERE id = $1 AND org_id = $2 FOR NO KEY UPDATE"#,
        user.0,
        org.0
    )
    .fetch_optional(conn)
    .await
}

/// The Permissions tab as saved.
pub struct PermissionsChange<'a> {
    pub account_type: AccountType,
    pub user_type: UserType,
    pub company: Option<CompanyId>,
    pub role: Option<RoleId>,
    pub support_user: bool,
    /// Every company picked directly.
    pub direct: &'a [i64],
}

/// Saves the tab and replaces the direct picks; returns the new version.
pub async fn update_permissions(
    conn: &mut PgConnection,
    org: OrgId,
    user: UserId,
    change: &PermissionsChange<'_>,
) -> Result<i32, sqlx::Error> {
    let version = sqlx::query_scalar!(
        "UPDATE users SET account_type = $1, user_type = $2, default_company_id = $3, role_id = $4,
                          support_user = $5, version = version + 1, updated_at = now()
         WHERE id = $6 RETURNING version",
        change.account_type.key(),
        change.user_type.key(),
        change.company.map(|c| c.0),
        change.role.map(|r| r.0),
        change.support_user,
        user.0
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM user_companies WHERE user_id = $1", user.0)
        .execute(&mut *conn)
        .await?;
    pick_companies(conn, org, user, change.direct).await?;
    Ok(version)
}

/// The Users page's search and filters, as checked.
pub struct ListFilter<'a> {
    pub org: OrgId,
    pub search: &'a str,
    /// "" or a `UserStatus` key.
    pub status: &'a str,
    /// "" or an `AccountType` key.
    pub account_type: &'a str,
    pub role: Option<RoleId>,
    /// The users who may act in this company.
    pub company: Option<CompanyId>,
    /// The companies whose users the caller sees; `None`: all of them.
    pub scope: Option<Vec<i64>>,
}

impl ListFilter<'_> {
    /// Whether the filters bound the matches (no plain "everyone").
    pub(super) fn narrows(&self) -> bool {
        !self.search.trim().is_empty()
            || !self.status.is_empty()
            || !self.account_type.is_empty()
            || self.role.is_some()
            || self.company.is_some()
            || self.scope.is_some()
    }

    /// SQL: the filters, shared by the page and the count. `$6` is the
    /// company filter, `$7` the caller's reach (NULL for an Administrator).
    /// Without a search the pattern matches everything: leaving it out lets
    /// the count read the index alone, not every row.
    fn condition(&self) -> String {
        let searched = if self.search.trim().is_empty() {
            "$2::text IS NOT NULL"
        } else {
            "lower(u.first_name || ' ' || u.last_name || ' ' || u.email) LIKE $2"
        };
        format!(
            "u.org_id = $1
            AND {searched}
            AND ($3 = '' OR u.status = $3)
            AND ($4 = '' OR u.account_type = $4)
            AND ($5::bigint IS NULL OR u.role_id = $5)
            AND ($6::bigint IS NULL OR {})
            AND ($7::bigint[] IS NULL OR {})",
            acts_in_any("ARRAY[$6::bigint]"),
            acts_in_any("$7::bigint[]"),
        )
    }

    /// Binds `$1` to `$7`. The list's statements are not kept prepared
    /// (`persistent(false)`): a kept statement gets PostgreSQL's generic
    /// plan from its sixth run on, which cannot see that a search pattern
    /// is selective and walks the organization's million index entries
    /// (docs/PERFORMANCE.md: 125 ms instead of 45 for "smith" at 1M users).
    /// Planning each run costs a fraction of a millisecond.
    fn bind<'q, O>(
        &'q self,
        query: sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments> {
        query
            .bind(self.org)
            .bind(substring_pattern(self.search))
            .bind(self.status)
            .bind(self.account_type)
            .bind(self.role)
            .bind(self.company)
            .bind(&self.scope)
    }
}

/// The Users page's two counts, read in one statement.
#[derive(sqlx::FromRow, Clone, Copy)]
pub struct Counts {
    /// The matching users, counted up to the limit given.
    pub matching: i64,
    /// The organization's active Administrators (for the warning when
    /// fewer than two are left).
    pub active_administrators: i64,
}

/// SQL: the organization's users as the database keeps them (migration
/// 0022): exact, for no more than a row read.
const KEPT_COUNT: &str = "coalesce((SELECT users FROM user_counts WHERE org_id = $1), 0)";

/// SQL: the organization's active Administrators (a partial index's entries).
const ACTIVE_ADMINISTRATORS: &str = "(SELECT count(*) FROM users
     WHERE org_id = $1 AND account_type = 'administrator' AND status = 'active')";

/// The Users page: its counts and up to `limit` users in `sort`'s order
/// after the user `after`, a search's or filter's matches counted up to
/// `count_limit`. When nothing narrows the list this is one statement, the
/// organization's kept count riding
/// on the page's rows; otherwise the matches are counted first, as their
/// count picks the plan ([`page`]).
pub async fn listing(
    conn: &mut PgConnection,
    filter: &ListFilter<'_>,
    sort: super::UserSort,
    after: Option<UserId>,
    limit: i64,
    count_limit: i64,
) -> Result<(Counts, Vec<ListRow>), sqlx::Error> {
    if !filter.narrows() {
        let counted =
            format!("{KEPT_COUNT} AS matching, {ACTIVE_ADMINISTRATORS} AS active_administrators");
        let sql = page_sql(filter, sort, Plan::Walk, &counted);
        let rows: Vec<CountedRow> = filter
            .bind(sqlx::query_as(&sql).persistent(false))
            .bind(after)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
        if let Some(first) = rows.first() {
            let counts = first.counts;
            return Ok((counts, rows.into_iter().map(|r| r.row).collect()));
        }
        // No row to carry the counts (a cursor past the end): counted apart.
        return Ok((count(conn, filter, count_limit).await?, vec![]));
    }
    let counts = count(conn, filter, count_limit).await?;
    let rows = page(conn, filter, sort, after, limit, counts.matching).await?;
    Ok((counts, rows))
}

/// A row of the one-statement listing: a user and the page's counts.
#[derive(sqlx::FromRow)]
struct CountedRow {
    #[sqlx(flatten)]
    row: ListRow,
    #[sqlx(flatten)]
    counts: Counts,
}

/// How many users match (a search or filter: counted up to `limit`, as an
/// exact count of a million matches costs a read of them all), and how
/// many active Administrators the organization has.
pub async fn count(
    conn: &mut PgConnection,
    filter: &ListFilter<'_>,
    limit: i64,
) -> Result<Counts, sqlx::Error> {
    // Everyone: the count the database keeps (migration 0022), exact and
    // one row read. (`$8` is then bound and not used.)
    let matching = match filter.narrows() {
        true => format!(
            "(SELECT count(*) FROM (SELECT 1 FROM users u WHERE {} LIMIT $8) s)",
            filter.condition()
        ),
        false => KEPT_COUNT.to_owned(),
    };
    let sql =
        format!("SELECT {matching} AS matching, {ACTIVE_ADMINISTRATORS} AS active_administrators");
    filter
        .bind(sqlx::query_as(&sql).persistent(false))
        .bind(limit)
        .fetch_one(conn)
        .await
}

/// How a page of the list finds its users.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Walk the sort's index, filtering as it goes: right when nothing
    /// narrows the list (everyone matches), the page is the index's start.
    Walk,
    /// Look only at the next this many users in the sort's order: finds
    /// the page at once when matches lie densely there, and gives up
    /// (fewer rows than asked for) when they do not.
    Probe(i64),
    /// Find the matches through their own indexes (trigram, role,
    /// company), then sort them: right when they are known to be few, or
    /// when a probe found them sparse in the sort's order.
    Sort,
}

/// How many users in sort order a probe looks at: about 19 ms cold at 10M
/// users (docs/PERFORMANCE.md), against seconds for a walk through the
/// whole index when the matches sort late (searching "smith").
pub const PROBE_USERS: i64 = 5_000;

impl Plan {
    /// The first plan to try for `filter` when `counted` users match
    /// (counted up to [`super::COUNT_LIMIT`] + 1).
    pub fn first(filter: &ListFilter<'_>, counted: i64) -> Plan {
        match (filter.narrows(), counted <= super::COUNT_LIMIT) {
            (false, _) => Plan::Walk,
            (true, true) => Plan::Sort,
            (true, false) => Plan::Probe(PROBE_USERS),
        }
    }
}

/// Up to `limit` matching users in `sort`'s order, after the user `after`,
/// when `counted` users match: the plan [`Plan::first`] chooses, and the
/// sort of the matches when a probe gives up. Every plan gives the same
/// rows; they differ in what they read.
pub async fn page(
    conn: &mut PgConnection,
    filter: &ListFilter<'_>,
    sort: super::UserSort,
    after: Option<UserId>,
    limit: i64,
    counted: i64,
) -> Result<Vec<ListRow>, sqlx::Error> {
    let plan = Plan::first(filter, counted);
    let rows = page_by(conn, filter, sort, after, limit, plan).await?;
    match plan {
        Plan::Probe(_) if (rows.len() as i64) < limit => {
            page_by(conn, filter, sort, after, limit, Plan::Sort).await
        }
        _ => Ok(rows),
    }
}

/// Up to `limit` matching users in `sort`'s order after the user `after`,
/// found by `plan` (a probe may give fewer than there are).
pub async fn page_by(
    conn: &mut PgConnection,
    filter: &ListFilter<'_>,
    sort: super::UserSort,
    after: Option<UserId>,
    limit: i64,
    plan: Plan,
) -> Result<Vec<ListRow>, sqlx::Error> {
    let sql = page_sql(filter, sort, plan, "");
    filter
        .bind(sqlx::query_as(&sql).persistent(false))
        .bind(after)
        .bind(limit)
        .fetch_all(conn)
        .await
}

/// SQL: `plan`'s page of the list (`$8` the cursor, `$9` the limit), with
/// `columns` (SQL) added to each row.
fn page_sql(filter: &ListFilter<'_>, sort: super::UserSort, plan: Plan, columns: &str) -> String {
    let extra = match columns {
        "" => String::new(),
        columns => format!(", {columns}"),
    };
    let order = order(sort);
    let keyset = format!("($8::bigint IS NULL OR {})", order.after);
    let matching = format!("{} AND {keyset}", filter.condition());
    let (from, condition, order_by) = match plan {
        Plan::Walk => ("users u".to_owned(), matching, order.by),
        Plan::Probe(users) => (
            format!(
                "(SELECT u.*{} FROM users u WHERE u.org_id = $1 AND {keyset}
                  ORDER BY {} LIMIT {users}) u",
                order.keys, order.by
            ),
            matching,
            order.by_keys,
        ),
        Plan::Sort => (
            format!(
                "(WITH matches AS MATERIALIZED (SELECT * FROM users u WHERE {matching}) SELECT * FROM matches) u"
            ),
            "true".to_owned(),
            order.by,
        ),
    };
    format!(
        "SELECT u.id, u.first_name, u.last_name, u.email, u.status, u.account_type, u.user_type,
                r.name AS role,
                EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
                    AS two_factor{extra}
         FROM {from} LEFT JOIN roles r ON r.id = u.role_id
         WHERE {condition}
         ORDER BY {order_by}
         LIMIT $9"
    )
}

/// SQL: how the list is ordered by one sort. Each order has an index
/// starting with `org_id` (migrations 0002 and 0008).
struct Order {
    /// The ORDER BY over `users u`.
    by: &'static str,
    /// The keyset condition that keeps the rows after the user `$8`.
    after: &'static str,
    /// The sort's expressions as columns (`sort1`, `sort2`), for a probe's
    /// inner query; and the ORDER BY over them outside it. Ordering outside
    /// by columns the inner query is already ordered by needs no sort, so
    /// the probe stops at the page's last match instead of reading all it
    /// may (PostgreSQL does not see that `lower(u.last_name)` outside is the
    /// inner order's `lower(u.last_name)`).
    keys: &'static str,
    by_keys: &'static str,
}

fn order(sort: super::UserSort) -> Order {
    use super::UserSort;
    const NAME_KEYS: &str = ", lower(u.last_name) AS sort1, lower(u.first_name) AS sort2";
    match sort {
        UserSort::Name => Order {
            by: "lower(u.last_name), lower(u.first_name), u.id",
            after: "(lower(u.last_name), lower(u.first_name), u.id) >
             (SELECT lower(last_name), lower(first_name), id FROM users WHERE id = $8 AND org_id = $1)",
            keys: NAME_KEYS,
            by_keys: "u.sort1, u.sort2, u.id",
        },
        UserSort::NameDescending => Order {
            by: "lower(u.last_name) DESC, lower(u.first_name) DESC, u.id DESC",
            after: "(lower(u.last_name), lower(u.first_name), u.id) <
             (SELECT lower(last_name), lower(first_name), id FROM users WHERE id = $8 AND org_id = $1)",
            keys: NAME_KEYS,
            by_keys: "u.sort1 DESC, u.sort2 DESC, u.id DESC",
        },
        UserSort::Email => Order {
            by: "lower(u.email), u.id",
            after: "(lower(u.email), u.id) > (SELECT lower(email), id FROM users WHERE id = $8 AND org_id = $1)",
            keys: ", lower(u.email) AS sort1",
            by_keys: "u.sort1, u.id",
        },
        UserSort::Newest => Order {
            by: "u.created_at DESC, u.id DESC",
            after: "(u.created_at, u.id) < (SELECT created_at, id FROM users WHERE id = $8 AND org_id = $1)",
            keys: "",
            by_keys: "u.created_at DESC, u.id DESC",
        },
    }
}
