//! Switching the company a session acts in.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    model::policy::{Action, Denied},
    principal::serve,
    principal::session,
};
use crate::{error::AppError, model::ids::CompanyId};

/// Makes `company_id` the company this session acts in.
///
/// Permissions: the policy's `EnterCompany`: only a company of the user's
/// effective access; any other id, another organization's included, is
/// refused (403) and changes nothing.
#[server(prefix = "/api", endpoint = "switch_company")]
pub async fn switch_company(company_id: CompanyId) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let company = caller
            .snapshot
            .companies
            .iter()
            .find(|c| c.id == company_id)
            .ok_or(AppError::Forbidden(Denied::NotInCompany))?;
        caller.check(Action::EnterCompany(company))?;
        let before = caller.acting().await?;
        let mut tx = request.state.pool.begin().await?;
        let event = Event::new(caller.user.org, "context.switch", "company", company_id)
            .before(serde_json::json!({ "company_id": before }))
            .after(serde_json::json!({ "company_id": company_id, "name": company.name }));
        record(&mut tx, &caller.actor_in(Some(company.id)), event).await?;
        // The session row and the audit row are separate stores; recording
        // first means a switch never happens unaudited.
        tx.commit().await?;
        session::choose_company(&caller.session, company.id).await?;
        Ok(format!("You are now acting in {}.", company.name))
    })
    .await
}
