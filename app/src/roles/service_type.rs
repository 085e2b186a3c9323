//! The organization's service type (seed 001): which family of role
//! templates it uses. Shown on Settings to every user of a customer;
//! changed by its Administrators.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    model::{policy::Action, validation::Field},
    principal::serve,
};
use crate::{
    error::AppError,
    model::role::{RoleTemplate, ServiceType},
    ui::form::{any_error, saved_message},
};

/// The service type, its row version, and whether the caller may change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceTypeSetting {
    pub service_type: ServiceType,
    pub version: i32,
    pub editable: bool,
}

pub const SERVICE_TYPE_MESSAGE: &str = "Choose RevServe, RevEquip or Self-Service.";
pub const SERVICE_TYPE_SAVED: &str =
    "The service type has been saved: the New Role form now offers its templates.";
pub const ORGANIZATION_CHANGED_ELSEWHERE: &str = "Someone else changed your organization's settings since you opened the page. Reload, then choose again.";

/// Permissions: any active user of a customer (`Action::SeeVendorSettings`,
/// the Settings page's own); `editable` for its Administrators.
#[server(prefix = "/api", endpoint = "load_service_type")]
pub async fn load_service_type() -> Result<ServiceTypeSetting, AppError> {
    serve(|request| async move {
        let caller = request.caller().await?.allowed(Action::SeeVendorSettings)?;
        let mut conn = request.state.pool.acquire().await?;
        let (service_type, version) = super::db::service_type(&mut conn, caller.user.org).await?;
        Ok(ServiceTypeSetting {
            service_type,
            version,
            editable: caller.may(Action::Administer(caller.user.org)),
        })
    })
    .await
}

/// Sets the service type (a `ServiceType` key) if nobody changed the
/// organization meanwhile. Roles already made keep their permissions.
///
/// Permissions: an Administrator of the customer organization.
#[server(prefix = "/api", endpoint = "set_service_type")]
pub async fn set_service_type(service_type: String, version: i32) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = request
            .caller()
            .await?
            .allowed(Action::SeeVendorSettings)?
            .allowed(Action::Administer)?;
        let Some(to) = ServiceType::from_key(&service_type) else {
            return Err(AppError::field(Field::Template, SERVICE_TYPE_MESSAGE));
        };
        let mut tx = request.state.pool.begin().await?;
        let Some(before) =
            super::db::set_service_type(&mut tx, caller.user.org, to, version).await?
        else {
            return Err(AppError::Conflict(
                ORGANIZATION_CHANGED_ELSEWHERE.to_owned(),
            ));
        };
        let org = caller.user.org;
        let event = Event::new(org, "organization.service_type", "organization", org)
            .before(serde_json::json!({ "service_type": before.key() }))
            .after(serde_json::json!({ "service_type": to.key() }));
        record(&mut tx, &caller.actor(), event).await?;
        tx.commit().await?;
        Ok(SERVICE_TYPE_SAVED.to_owned())
    })
    .await
}

/// Settings' Service type card.
#[component]
pub fn ServiceTypeCard() -> impl IntoView {
    let save = ServerAction::<SetServiceType>::new();
    let setting = Resource::new(move || save.version().get(), |_| load_service_type());
    view! {
        <section class="card" aria-labelledby="service-type-heading">
            <h3 id="service-type-heading">"Service type"</h3>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match setting.await {
                        Ok(s) => view! { <ServiceTypeForm s save /> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ServiceTypeForm(s: ServiceTypeSetting, save: ServerAction<SetServiceType>) -> impl IntoView {
    let result = save.value();
    let saved = saved_message(result);
    let pending = save.pending();
    let templates = |t: ServiceType| {
        RoleTemplate::ALL
            .into_iter()
            .filter(|r| r.family() == Some(t.family()) && r.service_types().contains(&t))
            .map(RoleTemplate::name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <p class="muted">"The service type chooses which role templates the New Role form offers (the roles you already have keep their permissions)."</p>
        <ActionForm action=save>
            {move || any_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <input type="hidden" name="version" value=s.version />
            <fieldset class="bare" disabled=!s.editable>
                <legend class="visually-hidden">"Service type"</legend>
                {ServiceType::ALL.into_iter().map(|t| view! {
                    <label class="choice">
                        <input type="radio" name="service_type" value=t.key() checked=s.service_type == t />
                        " " <strong>{t.label()}</strong> " — " {t.description()}
                        <span class="muted">" Templates: " {templates(t)} "."</span>
                    </label>
                }).collect_view()}
            </fieldset>
            {if s.editable {
                view! {
                    <button type="submit" class="button" disabled=move || pending.get()>"Save service type"</button>
                    <p class="success" role="status">{saved}</p>
                }.into_any()
            } else {
                view! { <p class="muted">"Only Administrators change the service type."</p> }.into_any()
            }}
        </ActionForm>
    }
}
