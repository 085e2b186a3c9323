//! The "Locked sign-ins" card an Administrator sees on the start page: who
//! is locked out after failed sign-ins, until when, and a button to unlock.

use leptos::prelude::*;

use super::lockout_api::{LockedUser, UnlockSignIn, locked_users};
use crate::ui::form::form_error;

#[component]
pub fn LockedSignIns() -> impl IntoView {
    let unlock = ServerAction::<UnlockSignIn>::new();
    let locked = Resource::new(move || unlock.version().get(), |_| locked_users());
    let result = unlock.value();
    view! {
        <section class="card" aria-labelledby="locked-heading">
            <h2 id="locked-heading">"Locked sign-ins"</h2>
            {move || form_error(result)().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match locked.await {
                        Ok(users) if users.is_empty() => view! {
                            <p class="muted">"Nobody is locked out. After five failed sign-ins an account is locked for 15 minutes (longer each time); it shows up here."</p>
                        }
                        .into_any(),
                        Ok(users) => view! {
                            <ul class="locked-list" aria-label="Locked accounts">
                                {users.into_iter().map(|u| view! { <LockedRow user=u unlock /> }).collect_view()}
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
fn LockedRow(user: LockedUser, unlock: ServerAction<UnlockSignIn>) -> impl IntoView {
    let label = format!("Unlock {}", user.name);
    view! {
        <li class="locked-row">
            <span>
                <strong>{user.name.clone()}</strong>" "
                <span class="muted">{user.email.clone()}</span>
                <br />
                <span class="muted">{format!("Locked until {}", user.locked_until)}</span>
            </span>
            <ActionForm action=unlock>
                <input type="hidden" name="user_id" value=user.id.to_string() />
                <button type="submit" class="button" aria-label=label>"Unlock"</button>
            </ActionForm>
        </li>
    }
}
