//! The development mailbox page: what the server would have emailed.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{MailView, api::load_mailbox};
use crate::error::AppError;

/// The development mailbox.
#[component]
pub fn MailboxPage() -> impl IntoView {
    let mail = Resource::new(|| (), |_| load_mailbox());
    view! {
        <Title text="Development mailbox" />
        <h1>"Development mailbox"</h1>
        <p class="muted">"No SMTP server is configured, so the mail Portcullis sends is shown here instead. Newest first."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match mail.await {
                    Ok(messages) if messages.is_empty() => {
                        view! { <p class="card">"No mail yet."</p> }.into_any()
                    }
                    Ok(messages) => view! {
                        <ul class="mailbox" aria-label="Messages">
                            {messages.into_iter().map(|m| view! { <Message m /> }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(AppError::NotFound) => view! {
                        <p class="card">"The development mailbox is off on this server."</p>
                    }
                    .into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn Message(m: MailView) -> impl IntoView {
    let link = m.link().map(str::to_owned);
    view! {
        <li class="card mail">
            <h2 class="mail-subject">{m.subject.clone()}</h2>
            <p class="muted">"To " {m.to.clone()} " · " {m.queued_at.clone()}</p>
            <pre class="mail-body">{m.body.clone()}</pre>
            {link.map(|href| view! { <a class="button" href=href>"Open the link"</a> })}
        </li>
    }
}
