//! The status panel on the start page.

use leptos::prelude::*;

use super::{SystemStatus, api::load_system_status};
use crate::error::AppError;

/// Shows the database status, rendered on the server and refreshable in the
/// browser once the page has hydrated.
#[component]
pub fn StatusPanel() -> impl IntoView {
    let checks = RwSignal::new(0_u32);
    let status = Resource::new(move || checks.get(), |_| load_system_status());

    view! {
        <section class="card status-panel" aria-labelledby="status-heading">
            <div class="card-head">
                <h2 id="status-heading">"System status"</h2>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| checks.update(|n| *n += 1)
                >
                    "Check again"
                </button>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Checking the database…"</p> }>
                {move || Suspend::new(async move { status_view(status.await) })}
            </Transition>
            <p class="muted" role="status">
                {move || match checks.get() {
                    0 => "Checked when the page loaded.".to_owned(),
                    1 => "Checked again 1 time since the page loaded.".to_owned(),
                    n => format!("Checked again {n} times since the page loaded."),
                }}
            </p>
        </section>
    }
}

fn status_view(status: Result<SystemStatus, AppError>) -> impl IntoView {
    match status {
        Ok(s) => view! {
            <dl class="facts">
                <div>
                    <dt>"Database"</dt>
                    <dd data-testid="database">{s.database}</dd>
                </div>
                <div>
                    <dt>"Schema version"</dt>
                    <dd data-testid="schema-version">{s.schema_version}</dd>
                </div>
                <div class="wide">
                    <dt>"Outgoing mail"</dt>
                    <dd data-testid="outgoing-mail">{s.outgoing_mail}</dd>
                </div>
                <div>
                    <dt>"Answered at"</dt>
                    <dd data-testid="checked-at">{s.checked_at}" UTC"</dd>
                </div>
            </dl>
        }
        .into_any(),
        Err(e) => crate::layout::error_view(e),
    }
}
