//! A submit button for a form that destroys something: it first asks, in a
//! modal dialog, whether to go ahead. The browser's own modal `<dialog>`
//! keeps the focus inside it while open, closes on Escape, and gives the
//! focus back to the button when closed. Without JavaScript the button
//! submits the form at once.

use leptos::{html, prelude::*};

#[component]
pub fn ConfirmSubmit(
    /// The button's text, and its accessible name when `aria_label` is empty.
    label: &'static str,
    #[prop(into, optional)] aria_label: String,
    /// What the dialog asks, naming the thing (a sentence).
    #[prop(into)]
    question: String,
    /// The dialog's button that goes ahead ("Delete role").
    #[prop(into)]
    confirm: String,
    #[prop(default = "button button-danger")] class: &'static str,
    #[prop(into, optional)] disabled: Signal<bool>,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let close = move || {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    let aria_label = (!aria_label.is_empty()).then_some(aria_label);
    view! {
        <button type="submit" class=class aria-label=aria_label disabled=move || disabled.get()
            aria-haspopup="dialog"
            on:click=move |ev| {
                // Asked first; the dialog's own button submits the form.
                ev.prevent_default();
                if let Some(dialog) = dialog.get() {
                    let _ = dialog.show_modal();
                }
            }>
            {label}
        </button>
        <dialog node_ref=dialog class="confirm-dialog" aria-label=question.clone()>
            <p>{question.clone()}</p>
            <div class="confirm-actions">
                <button type="button" class="button button-secondary" on:click=move |_| close()>
                    "Cancel"
                </button>
                <button type="submit" class="button button-danger" on:click=move |_| close()>
                    {confirm}
                </button>
            </div>
        </dialog>
    }
}
