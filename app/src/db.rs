//! The database layer's shared pieces: the embedded migrations and the
//! schema-version query used by health checks and the status panel.

use sqlx::PgPool;

/// Every migration in `migrations/`, compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The newest migration applied successfully, or 0 on an empty database.
pub async fn schema_version(pool: &PgPool) -> Result<i64, sqlx::Error> {
    // `_sqlx_migrations` is missing until the first migration ran.
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(pool)
        .await?;
    if !exists {
        return Ok(0);
    }
    sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
}

/// One page of keyset paging. The rows were fetched one over `size`: an
/// extra row means another page follows. Keeps the page's rows and, when
/// another page follows, the cursor to it (the last kept row's key).
pub fn one_page<R, K>(mut rows: Vec<R>, size: i64, key: impl Fn(&R) -> K) -> (Vec<R>, Option<K>) {
    let more = rows.len() as i64 > size;
    rows.truncate(size as usize);
    let next_after = if more { rows.last().map(key) } else { None };
    (rows, next_after)
}

/// The model's keyed enums as column types (TEXT): a row decodes straight
/// into the enum, and a key the model does not know is a decoding error,
/// never a silent default. Server-only, and kept out of the model's own
/// files so the browser bundle is built from exactly the same model code.
macro_rules! keyed_columns {
    ($($ty:ty),+ $(,)?) => {$(
        impl sqlx::Type<sqlx::Postgres> for $ty {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <str as sqlx::Type<sqlx::Postgres>>::type_info()
            }
            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $ty {
            fn decode(
                value: sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let key = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                <$ty>::from_key(key).ok_or_else(|| {
                    format!("unknown {} {key:?} in the database", stringify!($ty)).into()
                })
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode(self.key(), buf)
            }
        }
    )+};
}

use crate::mail::MailPurpose;
use crate::model::{
    account::ServicePlan,
    claim::ClaimStatus,
    org::OrgKind,
    platform::{ChangeKind, ChangeStatus, LinkRequestStatus},
    role::ServiceType,
    ticket::TicketStatus,
    user::{AccountType, UserStatus, UserType},
    vendor::VendorTier,
};

keyed_columns!(
    AccountType,
    ChangeKind,
    ChangeStatus,
    ClaimStatus,
    LinkRequestStatus,
    MailPurpose,
    OrgKind,
    ServicePlan,
    ServiceType,
    TicketStatus,
    UserStatus,
    UserType,
    VendorTier,
);

/// The model's typed ids as column types (BIGINT): rows decode straight
/// into them and they bind as they are. Server-only, like the keyed enums.
macro_rules! id_columns {
    ($($ty:ident),+ $(,)?) => {$(
        impl sqlx::Type<sqlx::Postgres> for $ty {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <i64 as sqlx::Type<sqlx::Postgres>>::type_info()
            }
        }

        impl sqlx::postgres::PgHasArrayType for $ty {
            fn array_type_info() -> sqlx::postgres::PgTypeInfo {
                <i64 as sqlx::postgres::PgHasArrayType>::array_type_info()
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $ty {
            fn decode(
                value: sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                <i64 as sqlx::Decode<sqlx::Postgres>>::decode(value).map($ty)
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <i64 as sqlx::Encode<sqlx::Postgres>>::encode_by_ref(&self.0, buf)
            }
        }
    )+};
}

use crate::model::ids::{
    ApiKeyId, ChangeId, ClaimId, CompanyId, EntryId, EventId, LinkRequestId, MailId, OrgId, RoleId,
    TicketId, UserId, VendorId,
};

id_columns!(
    ApiKeyId,
    ChangeId,
    ClaimId,
    CompanyId,
    EntryId,
    EventId,
    LinkRequestId,
    MailId,
    OrgId,
    RoleId,
    TicketId,
    UserId,
    VendorId,
);

/// A `LIKE` pattern for a case-insensitive substring (compare it with the
/// `lower(...)` of the column), with the wildcards of `search` escaped.
pub fn substring_pattern(search: &str) -> String {
    let mut pattern = String::from("%");
    for c in search.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::substring_pattern;

    #[test]
    fn search_wildcards_are_taken_literally() {
        assert_eq!(substring_pattern(" Ada "), "%ada%");
        assert_eq!(substring_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
