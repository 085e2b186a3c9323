//! Form pieces every page shares: a labelled field with its error beside
//! it, and the errors a server action answered with.

use leptos::prelude::*;

use crate::{error::AppError, model::validation::FieldErrors};

/// A labelled input with its error beside it (announced to screen readers).
#[component]
pub fn TextField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] value: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] on_input: Option<Callback<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                // The attribute for the server's HTML, the property so a
                // re-rendered form shows the reloaded value, not the typed one.
                value=value.clone()
                prop:value=value
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                on:input=move |ev| {
                    if let Some(callback) = on_input {
                        callback.run(event_target_value(&ev));
                    }
                }
            />
            <p id=error_id class="field-error">{move || error.get()}</p>
        </div>
    }
}

pub fn server_field_errors<T, S>(value: S) -> impl Fn() -> Option<FieldErrors> + Copy
where
    S: Get<Value = Option<Result<T, AppError>>> + Copy,
{
    move || match value.get() {
        Some(Err(AppError::Invalid(errors))) => Some(errors),
        _ => None,
    }
}

pub fn form_error<T, S>(value: S) -> impl Fn() -> Option<String> + Copy
where
    S: Get<Value = Option<Result<T, AppError>>> + Copy,
{
    move || match value.get() {
        Some(Err(AppError::Invalid(_))) | Some(Ok(_)) | None => None,
        Some(Err(error)) => Some(error.to_string()),
    }
}
