//! Server functions for API keys on Edit Account.
//!
//! Permissions: vendor staff with Full Access to the account (policy
//! `VendorReach` / `Administer`); another organization's account is "not
//! found". Generating and revoking are recorded in the customer's audit,
//! labelled with the vendor.

use leptos::prelude::*;

use super::NewApiKey;
use crate::error::AppError;

/// Generates a named key for the account; the answer is the only time the
/// key is shown.
#[server(prefix = "/api", endpoint = "create_api_key")]
pub async fn create_api_key(customer_id: i64, name: String) -> Result<NewApiKey, AppError> {
    ssr::create(customer_id, name)
        .await
        .map_err(AppError::respond)
}

/// Revokes a key of the account at once.
#[server(prefix = "/api", endpoint = "revoke_api_key")]
pub async fn revoke_api_key(customer_id: i64, key_id: i64) -> Result<String, AppError> {
    ssr::revoke(customer_id, key_id)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use chrono::{DateTime, Utc};
    use serde_json::json;
    use sqlx::PgConnection;

    use super::super::{ApiKeyRow, KEY_NAME_MESSAGE, NewApiKey, keys};
    use crate::{
        audit::db::{Event, record},
        auth::gate::Caller,
        error::AppError,
        model::{
            access::{Action, VendorNeed},
            ids::OrgId,
            time::minute_utc,
            validation::Field,
        },
        state::AppState,
    };

    /// Vendor staff with Full Access to `customer`, a linked account.
    async fn administering(state: &AppState, customer: i64) -> Result<Caller, AppError> {
        let caller = Caller::current(state)
            .await?
            .allowed(Action::SeeLinkedAccounts)?;
        caller.vendor_reach(OrgId(customer), VendorNeed::Administer)?;
        Ok(caller)
    }

    #[derive(sqlx::FromRow)]
    struct KeyRow {
        id: i64,
        name: String,
        prefix: String,
        created_at: DateTime<Utc>,
        created_by: String,
        last_used_at: Option<DateTime<Utc>>,
        revoked_at: Option<DateTime<Utc>>,
    }

    /// The account's keys, newest first (for Edit Account).
    pub async fn list(
        conn: &mut PgConnection,
        vendor: i64,
        customer: i64,
    ) -> Result<Vec<ApiKeyRow>, AppError> {
        let rows: Vec<KeyRow> = sqlx::query_as(
            "SELECT k.id, k.name, k.prefix, k.created_at, u.first_name || ' ' || u.last_name AS created_by,
                        k.last_used_at, k.revoked_at
                 FROM api_keys k JOIN users u ON u.id = k.created_by
                 WHERE k.vendor_id = $1 AND k.customer_id = $2 ORDER BY k.id DESC",
        )
        .bind(vendor)
        .bind(customer)
        .fetch_all(conn)
        .await?;
        Ok(rows
            .into_iter()
            .map(|k| ApiKeyRow {
                id: k.id,
                name: k.name,
                prefix: k.prefix,
                created: minute_utc(k.created_at),
                created_by: k.created_by,
                last_used: k.last_used_at.map(minute_utc),
                revoked: k.revoked_at.map(minute_utc),
            })
            .collect())
    }

    pub async fn create(customer: i64, name: String) -> Result<NewApiKey, AppError> {
        let state = AppState::current()?;
        let caller = administering(&state, customer).await?;
        let name = name.trim().to_owned();
        if name.is_empty()
            || name.chars().count() > 100
            || name.chars().any(crate::model::validation::is_hidden)
        {
            return Err(AppError::field(Field::KeyName, KEY_NAME_MESSAGE));
        }
        let (key, prefix, hash) = keys::generate().map_err(AppError::internal)?;
        let mut tx = state.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_keys (vendor_id, customer_id, name, prefix, key_hash, created_by)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(caller.user.org.0)
        .bind(customer)
        .bind(&name)
        .bind(&prefix)
        .bind(&hash)
        .bind(caller.user.id.0)
        .fetch_one(&mut *tx)
        .await?;
        let event = Event {
            org: Some(OrgId(customer)),
            action: "api_key.create",
            target_type: "api_key",
            target_id: Some(id.to_string()),
            before: None,
            after: Some(json!({ "name": name, "prefix": prefix })),
        };
        record(&mut tx, &caller.vendor_staff_actor(), event).await?;
        tx.commit().await?;
        Ok(NewApiKey { id, name, key })
    }

    pub async fn revoke(customer: i64, key: i64) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = administering(&state, customer).await?;
        let mut tx = state.pool.begin().await?;
        let revoked: Option<(String, String)> = sqlx::query_as(
            "UPDATE api_keys SET revoked_at = now()
             WHERE id = $1 AND vendor_id = $2 AND customer_id = $3 AND revoked_at IS NULL
             RETURNING name, prefix",
        )
        .bind(key)
        .bind(caller.user.org.0)
        .bind(customer)
        .fetch_optional(&mut *tx)
        .await?;
        let (name, prefix) = revoked.ok_or(AppError::NotFound)?;
        let event = Event {
            org: Some(OrgId(customer)),
            action: "api_key.revoke",
            target_type: "api_key",
            target_id: Some(key.to_string()),
            before: Some(json!({ "name": name, "prefix": prefix })),
            after: None,
        };
        record(&mut tx, &caller.vendor_staff_actor(), event).await?;
        tx.commit().await?;
        Ok(format!("The key {name} ({prefix}…) no longer works."))
    }
}
