//! The "Undelivered mail" card an Administrator sees on the start page:
//! each message the mail server would not take, to whom, since when and
//! why, with "Send again", and for an invitation whose user has not chosen
//! a password yet, its link to pass on by hand. Nothing shows while all
//! mail goes out.

use leptos::prelude::*;

use super::{
    UndeliveredMail,
    undelivered_api::{InvitationLink, SendMailAgain, list_undelivered_mail},
};
use crate::ui::form::form_error;

#[component]
pub fn UndeliveredMailCard() -> impl IntoView {
    let again = ServerAction::<SendMailAgain>::new();
    let mail = Resource::new(move || again.version().get(), |_| list_undelivered_mail());
    let sent = again.value();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match mail.await {
                    Ok(list) if list.is_empty() => ().into_any(),
                    Ok(list) => view! {
                        <section class="card" aria-labelledby="undelivered-heading">
                            <h2 id="undelivered-heading">"Undelivered mail"</h2>
                            <p class="muted">
                                "The mail server did not take these messages. Portcullis keeps trying for a while; "
                                "check the address, or pass an invitation's link on yourself."
                            </p>
                            {move || form_error(sent)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                            {move || match sent.get() {
                                Some(Ok(message)) => Some(view! { <p class="success" role="status">{message}</p> }),
                                _ => None,
                            }}
                            <ul class="undelivered-list" aria-label="Undelivered messages">
                                {list.into_iter().map(|m| view! { <UndeliveredRow mail=m again /> }).collect_view()}
                            </ul>
                        </section>
                    }
                    .into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn UndeliveredRow(mail: UndeliveredMail, again: ServerAction<SendMailAgain>) -> impl IntoView {
    let id = mail.id;
    // Each message its own: the link shown is this one's.
    let link = ServerAction::<InvitationLink>::new();
    let shown = link.value();
    let this_link = move || shown.get().and_then(Result::ok);
    let link_error = form_error(shown);
    let link_id = format!("invitation-link-{id}");
    let to = mail.to.clone();
    let (again_label, link_label, field_label) = (
        format!("Send again to {to}"),
        format!("Get the invitation link for {to}"),
        format!("Invitation link for {to} (works once, within seven days)"),
    );
    let attempts = if mail.given_up {
        format!(
            "tried {} times, no more tries unless sent again",
            mail.attempts
        )
    } else {
        format!("tried {} times so far", mail.attempts)
    };
    view! {
        <li class="undelivered-row">
            <p>
                <strong>{mail.kind.label()}</strong>" to "<strong>{to}</strong>
                ": “" {mail.subject.clone()} "”"
                <br />
                <span class="muted">{format!("Waiting since {} — {attempts}.", mail.since)}</span>
                <br />
                {mail.reason.clone()}
            </p>
            <div class="row-actions">
                <ActionForm action=again>
                    <input type="hidden" name="mail_id" value=id.to_string() />
                    <button type="submit" class="button button-small"
                        aria-label=again_label>"Send again"</button>
                </ActionForm>
                {mail.link_available.then(|| view! {
                    <ActionForm action=link>
                        <input type="hidden" name="mail_id" value=id.to_string() />
                        <button type="submit" class="button button-small button-secondary"
                            aria-label=link_label>"Get the invitation link"</button>
                    </ActionForm>
                })}
            </div>
            {move || link_error().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || this_link().map(|url| view! {
                <div class="field">
                    <label for=link_id.clone()>{field_label.clone()}</label>
                    <input id=link_id.clone() type="text" readonly value=url />
                    <p class="muted">"Copy it and send it to them yourself; the mailed link stays valid too."</p>
                </div>
            })}
        </li>
    }
}
