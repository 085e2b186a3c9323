//! Switching the company a session acts in.

use leptos::prelude::*;

use crate::error::AppError;

/// Makes `company_id` the company this session acts in.
///
/// Permissions: the policy's `EnterCompany`: only a company of the user's
/// effective access; any other id, another organization's included, is
/// refused (403) and changes nothing.
#[server(prefix = "/api", endpoint = "switch_company")]
pub async fn switch_company(company_id: i64) -> Result<String, AppError> {
    ssr::switch(company_id).await.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use serde_json::json;

    use crate::{
        audit::db::{Event, record},
        auth::{gate::Caller, session},
        error::AppError,
        model::access::{Action, Denied},
        state::AppState,
    };

    pub async fn switch(company_id: i64) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        let company = caller
            .snapshot
            .companies
            .iter()
            .find(|c| c.id.0 == company_id)
            .ok_or(AppError::Forbidden(Denied::NotInCompany))?;
        caller.check(Action::EnterCompany(company))?;
        let before = caller.acting().await?;
        let mut tx = state.pool.begin().await?;
        let event = Event {
            org: Some(caller.user.org),
            action: "context.switch",
            target_type: "company",
            target_id: Some(company_id.to_string()),
            before: Some(json!({ "company_id": before.map(|c| c.0) })),
            after: Some(json!({ "company_id": company_id, "name": company.name })),
        };
        record(&mut tx, &caller.actor_in(Some(company.id)), event).await?;
        // The session row and the audit row are separate stores; recording
        // first means a switch never happens unaudited.
        tx.commit().await?;
        session::choose_company(&caller.session, company.id).await?;
        Ok(format!("You are now acting in {}.", company.name))
    }
}
