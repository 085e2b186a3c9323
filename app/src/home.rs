//! The start page: what Portcullis is, and the live state of its database.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{auth::components::Welcome, system::components::StatusPanel};

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
