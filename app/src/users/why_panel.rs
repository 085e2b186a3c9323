//! The "Why can this user see this?" panel of Edit User.

use leptos::prelude::*;

use super::{CompanyWhyView, explain_api::explain_user};

#[component]
pub fn WhyPanel(
    user_id: crate::model::ids::UserId,
    #[prop(into)] reload: Signal<usize>,
) -> impl IntoView {
    let why = Resource::new(move || reload.get(), move |_| explain_user(user_id));
    view! {
        <section class="card" aria-labelledby="why-heading">
            <h2 id="why-heading">"Why can this user see this?"</h2>
            <Transition fallback=|| view! { <p class="muted">"Working it out…"</p> }>
                {move || Suspend::new(async move {
                    match why.await {
                        Ok(e) if e.inactive => view! {
                            <p>"Nothing: the user is inactive, so the policy grants no company and no permission."</p>
                        }
                        .into_any(),
                        Ok(e) if e.companies.is_empty() => view! {
                            <p>"No company: the user has neither a role that carries companies nor a company picked directly."</p>
                        }
                        .into_any(),
                        Ok(e) => view! {
                            <p class="muted">"Every company the user may act in, and every permission there, with where it comes from."</p>
                            <ul class="why-list" aria-label="Companies and why">
                                {e.companies.into_iter().map(|c| view! { <CompanyReasons c /> }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => crate::layout::error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CompanyReasons(c: CompanyWhyView) -> impl IntoView {
    let count = match c.permissions.len() {
        1 => "1 permission".to_owned(),
        n => format!("{n} permissions"),
    };
    view! {
        <li>
            <details>
                <summary>
                    <strong>{c.name.clone()}</strong>
                    " — " {c.access.clone()} " · " {count}
                </summary>
                <ul class="why-permissions">
                    {c.permissions.into_iter().map(|(permission, why)| view! {
                        <li><span class="why-permission">{permission}</span>" — "{why}</li>
                    }).collect_view()}
                </ul>
            </details>
        </li>
    }
}
