//! The users feature's rows, read and written by its server functions.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// One user as the Edit User page shows them.
pub struct EditRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub status: String,
    pub account_type: String,
    pub two_factor: bool,
    pub locked_until: Option<DateTime<Utc>>,
    pub version: i32,
}

/// User `user` of organization `org` for Edit User, or none.
pub async fn edit_row(
    conn: &mut PgConnection,
    user: i64,
    org: i64,
) -> Result<Option<EditRow>, sqlx::Error> {
    sqlx::query_as!(
        EditRow,
        r#"SELECT u.id, u.first_name, u.last_name, u.email, u.status, u.account_type,
            EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
                AS "two_factor!",
            (SELECT l.locked_until FROM sign_in_lockouts l
              WHERE l.email = lower(u.email) AND l.locked_until > now())
                AS "locked_until: DateTime<Utc>",
            u.version
        FROM users u WHERE u.id = $1 AND u.org_id = $2"#,
        user,
        org
    )
    .fetch_optional(conn)
    .await
}
