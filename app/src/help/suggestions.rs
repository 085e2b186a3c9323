//! Beside the ticket form: the Help Center's articles that may answer the
//! question, as the subject is typed (seed 002), before it is sent.

use std::time::Duration;

use leptos::prelude::*;

use super::{api::suggest_help, pages::HitItem};

/// How long typing pauses before the articles are looked for.
const PAUSE: Duration = Duration::from_millis(300);

/// The articles matching `typed`, looked for once typing pauses; nothing
/// until then, nor for a subject shorter than three letters.
#[component]
pub fn HelpSuggestions(typed: ReadSignal<String>) -> impl IntoView {
    let settled = RwSignal::new(String::new());
    Effect::new(move |_| {
        let now = typed.get();
        set_timeout(
            move || {
                if typed.get_untracked() == now {
                    settled.set(now);
                }
            },
            PAUSE,
        );
    });
    let found = Resource::new(
        move || settled.get(),
        |subject| async move {
            if subject.trim().chars().count() < 3 {
                return Ok(Vec::new());
            }
            suggest_help(subject).await
        },
    );
    view! {
        <div class="help-suggestions" aria-live="polite">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let hits = found.await.unwrap_or_default();
                    (!hits.is_empty()).then(|| view! {
                        <section aria-labelledby="help-suggestions-heading">
                            <h3 id="help-suggestions-heading">"These articles may answer it"</h3>
                            <ul class="help-list">
                                {hits.into_iter().map(|hit| view! { <HitItem hit new_tab=true /> }).collect_view()}
                            </ul>
                        </section>
                    })
                })}
            </Transition>
        </div>
    }
}
