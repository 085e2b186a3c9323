//! The start page: what Portcullis is, who the signed-in user is and where
//! they may act (with what needs an Administrator's attention), and the
//! live state of its database.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::system::components::StatusPanel;

/// The start page: its cards (mail that did not go out, locked
/// sign-ins, the database's state) stay out of the main bundle.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="" />
        <section class="hero">
            <h1>"Access management for your billing platform"</h1>
            <p class="lede">
                "Decide who may act in which company, with which permissions, "
                "and how far each vendor may reach into your account."
            </p>
        </section>
        <div class="stack">
            <Welcome />
            <StatusPanel />
        </div>
    }
}

/// The signed-in user's start: who they are and where they may act.
#[component]
pub fn Welcome() -> impl IntoView {
    let auth = expect_context::<crate::auth::components::AuthContext>();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.me.await {
                    Ok(Some(me)) => view! {
                        <section class="card" aria-labelledby="welcome-heading">
                            <h2 id="welcome-heading">{format!("Welcome, {}", me.name)}</h2>
                            <p>
                                {match (me.platform_staff, me.administrator) {
                                    (true, true) => "Platform Administrator of ",
                                    (true, false) => "Support Agent of ",
                                    (false, true) => "Administrator of ",
                                    (false, false) => "Member of ",
                                }}
                                <strong>{me.organization}</strong>
                            </p>
                            {if me.platform_staff {
                                view! {
                                    <p>"You run Portcullis for every customer and vendor: start at "
                                    <a href="/platform">"Organizations"</a>" or the "
                                    <a href="/platform/desk">"Support desk"</a>"."</p>
                                }
                                .into_any()
                            } else {
                                view! {
                                    <h3>"Companies you can act in"</h3>
                                    <ul class="company-list" aria-label="Companies you can act in">
                                        {me.companies.into_iter().map(|c| view! { <li>{c.name}</li> }).collect_view()}
                                    </ul>
                                }
                                .into_any()
                            }}
                        </section>
                        {(me.administrator && !me.platform_staff).then(|| view! {
                            <crate::mail::undelivered::UndeliveredMailCard />
                            <crate::auth::lockout_components::LockedSignIns />
                        })}
                    }
                    .into_any(),
                    _ => view! {
                        <section class="card">
                            <p><a href="/sign-in">"Sign in"</a>" to see the companies you can act in."</p>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}
