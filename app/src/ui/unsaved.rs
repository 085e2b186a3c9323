//! A guard for forms with unsaved changes: closing or reloading the page,
//! or following a link away from it, asks first while `dirty` holds.
//! Switching tabs (links with `role=tab`) stays on the page and keeps them.

use leptos::prelude::*;

/// Call from the component that owns the form; the guard ends with it.
pub fn guard_unsaved(dirty: Signal<bool>) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::{
            wasm_bindgen::{JsCast, closure::Closure},
            web_sys::{Element, MouseEvent},
        };
        const LEAVE_QUESTION: &str =
            "Leave this page? The changes you have not saved will be lost.";
        let is_dirty = move || dirty.try_get_untracked().unwrap_or(false);
        // Closing, reloading, or typing another address: the browser asks.
        let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if is_dirty() {
                ev.prevent_default();
                ev.set_return_value("");
            }
        });
        // A link of the page: asked before the router sees the click
        // (the capture phase comes first). A tab of the page keeps it.
        let click = Closure::<dyn Fn(MouseEvent)>::new(move |ev: MouseEvent| {
            let link = ev
                .target()
                .and_then(|target| target.dyn_into::<Element>().ok())
                .and_then(|element| element.closest("a[href]:not([role=tab])").ok().flatten());
            if link.is_some()
                && is_dirty()
                && !window()
                    .confirm_with_message(LEAVE_QUESTION)
                    .unwrap_or(true)
            {
                ev.prevent_default();
                ev.stop_immediate_propagation();
            }
        });
        let _ = document().add_event_listener_with_callback_and_bool(
            "click",
            click.as_ref().unchecked_ref(),
            true,
        );
        let click = StoredValue::new_local(click);
        on_cleanup(move || {
            unload.remove();
            click.with_value(|click| {
                let _ = document().remove_event_listener_with_callback_and_bool(
                    "click",
                    click.as_ref().unchecked_ref(),
                    true,
                );
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = dirty;
}
