//! "Why can this user see this?": the provenance of a user's access.

use leptos::prelude::*;

use super::WhyView;
use crate::{error::AppError, model::ids::UserId};
#[cfg(feature = "ssr")]
use crate::{
    model::{
        access::OrgIndex,
        explain::{Explanation, Reason, explain},
    },
    principal::serve,
    users::CompanyWhyView,
};

/// Every company and permission the policy grants the user now, and why
/// (from `model::explain`, which follows the same rules as the policy).
///
/// Permissions: whoever may see the user (`Action::SeeUser`).
#[server(prefix = "/api", endpoint = "explain_user")]
pub async fn explain_user(user_id: UserId) -> Result<WhyView, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?;
        let user = caller.see(&request.state.pool, user_id).await?;
        let index = OrgIndex::new(&caller.snapshot);
        Ok(worded(explain(&user, &index, chrono::Utc::now())))
    })
    .await
}

#[cfg(feature = "ssr")]
fn words(reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The explanation as the panel shows it.
#[cfg(feature = "ssr")]
pub fn worded(explanation: Explanation) -> WhyView {
    WhyView {
        inactive: explanation.inactive,
        companies: explanation
            .companies
            .into_iter()
            .map(|c| CompanyWhyView {
                name: c.company_name,
                access: words(&c.access),
                permissions: c
                    .permissions
                    .into_iter()
                    .map(|p| (p.permission.to_string(), words(&p.reasons)))
                    .collect(),
            })
            .collect(),
    }
}
