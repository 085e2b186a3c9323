//! The own-profile page's statement: saving one's name and email.

use sqlx::PgConnection;

use crate::model::{ids::UserId, validation::ValidProfile};

/// Saves `user`'s profile if it is still at `version`; returns the new
/// version, or `None` when someone changed it meanwhile.
pub async fn update(
    conn: &mut PgConnection,
    user: UserId,
    version: i32,
    profile: &ValidProfile,
) -> Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar!(
        "UPDATE users SET first_name = $1, last_name = $2, email = $3, version = version + 1,
                          updated_at = now()
         WHERE id = $4 AND version = $5 RETURNING version",
        profile.first_name,
        profile.last_name,
        profile.email,
        user.0,
        version
    )
    .fetch_optional(conn)
    .await
}
