//! Server functions of the vendor's linked-accounts pages.
//!
//! Permissions: vendor staff only; a customer not linked to the caller's
//! vendor is "not found"; claim data needs the level the policy names
//! (`VendorReach` with `VendorNeed::Claims`: Full Access). Reading a
//! customer's claims is recorded in that customer's audit, labelled with
//! the vendor.

use leptos::prelude::*;

use super::{ClaimsOfAccount, LinkedAccount};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "linked_accounts")]
pub async fn linked_accounts() -> Result<Vec<LinkedAccount>, AppError> {
    ssr::accounts().await.map_err(AppError::respond)
}

/// A linked customer's claims, newest first, after `after` (keyset paging).
#[server(prefix = "/api", endpoint = "account_claims")]
pub async fn account_claims(
    customer_id: i64,
    after: Option<i64>,
) -> Result<ClaimsOfAccount, AppError> {
    ssr::claims(customer_id, after)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use chrono::{NaiveDate, Utc};
    use serde_json::json;

    use super::super::{ACCOUNT_CLAIMS_PAGE_SIZE, ClaimsOfAccount, LinkedAccount};
    use crate::{
        audit::db::{Actor, Event, record},
        auth::gate::Caller,
        claims::ClaimRow,
        error::AppError,
        model::{
            access::{Action, Denied, VendorNeed},
            claim::ClaimStatus,
            ids::OrgId,
            org::OrgKind,
        },
        state::AppState,
    };

    async fn vendor_caller(state: &AppState) -> Result<Caller, AppError> {
        let caller = Caller::current(state).await?;
        if caller.snapshot.org.kind != OrgKind::Vendor || !caller.access.active {
            return Err(AppError::Forbidden(Denied::NotLinked));
        }
        Ok(caller)
    }

    pub async fn accounts() -> Result<Vec<LinkedAccount>, AppError> {
        let state = AppState::current()?;
        let caller = vendor_caller(&state).await?;
        let names: Vec<(i64, String)> = sqlx::query_as(
            "SELECT o.id, o.name FROM vendor_links l JOIN organizations o ON o.id = l.customer_id
             WHERE l.vendor_id = $1",
        )
        .bind(caller.user.org.0)
        .fetch_all(&state.pool)
        .await
        .map_err(AppError::internal)?;
        let now = Utc::now();
        let mut accounts: Vec<LinkedAccount> = caller
            .snapshot
            .vendor_links
            .iter()
            .filter_map(|link| {
                let name = names
                    .iter()
                    .find(|(id, _)| *id == link.customer.0)?
                    .1
                    .clone();
                Some(LinkedAccount {
                    id: link.customer.0,
                    name,
                    vendor_owned: link.vendor_owned,
                    tier: link.grant.tier_at(now),
                    described: link.grant.describe(now),
                })
            })
            .collect();
        accounts.sort_by_key(|a| a.name.to_lowercase());
        Ok(accounts)
    }

    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        claim_number: String,
        patient_name: String,
        payer: Option<String>,
        service_date: NaiveDate,
        amount_cents: i64,
        status: String,
        version: i32,
    }

    pub async fn claims(customer: i64, after: Option<i64>) -> Result<ClaimsOfAccount, AppError> {
        let state = AppState::current()?;
        let caller = vendor_caller(&state).await?;
        let customer = OrgId(customer);
        if caller.access.vendor_tier(customer).is_none() {
            return Err(AppError::NotFound);
        }
        caller.check(Action::VendorReach {
            customer,
            need: VendorNeed::Claims,
        })?;
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT c.id, c.claim_number, c.patient_name, p.name AS payer, c.service_date,
                    c.amount_cents, c.status, c.version
             FROM claims c LEFT JOIN payers p ON p.id = c.payer_id
             WHERE c.org_id = $1 AND ($2::bigint IS NULL OR c.id < $2)
             ORDER BY c.id DESC LIMIT $3",
        )
        .bind(customer.0)
        .bind(after)
        .bind(ACCOUNT_CLAIMS_PAGE_SIZE + 1)
        .fetch_all(&state.pool)
        .await
        .map_err(AppError::internal)?;
        let more = rows.len() as i64 > ACCOUNT_CLAIMS_PAGE_SIZE;
        let mut claims = Vec::with_capacity(rows.len());
        for r in rows.into_iter().take(ACCOUNT_CLAIMS_PAGE_SIZE as usize) {
            claims.push(ClaimRow {
                id: r.id,
                number: r.claim_number,
                patient: r.patient_name,
                payer: r.payer,
                service_date: r.service_date.format("%Y-%m-%d").to_string(),
                amount_cents: r.amount_cents,
                status: ClaimStatus::from_key(&r.status)
                    .ok_or_else(|| AppError::internal(format!("claim status {:?}", r.status)))?,
                version: r.version,
            });
        }
        let mut conn = state.pool.acquire().await.map_err(AppError::internal)?;
        let account: String = sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
            .bind(customer.0)
            .fetch_one(&mut *conn)
            .await
            .map_err(AppError::internal)?;
        // Vendor staff reading a customer's claims: the customer's log says so.
        let event = Event {
            org: Some(customer),
            action: "claims.vendor_view",
            target_type: "organization",
            target_id: Some(customer.0.to_string()),
            before: None,
            after: Some(json!({ "rows": claims.len(), "after": after })),
        };
        record(&mut conn, &Actor::vendor_staff(&caller.user), event)
            .await
            .map_err(AppError::internal)?;
        Ok(ClaimsOfAccount {
            account,
            next_after: if more {
                claims.last().map(|c| c.id)
            } else {
                None
            },
            claims,
        })
    }
}
