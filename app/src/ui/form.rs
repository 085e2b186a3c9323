//! Form pieces every page shares: a labelled field with its error beside
//! it, and the errors a server action answered with.

use leptos::prelude::*;

use crate::{
    error::AppError,
    model::validation::{Field, FieldErrors, ProfileInput, validate_profile},
};

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

/// One field's error from a server action's last answer, as the signal a
/// field's `error` takes: `let error_for = field_errors(action.value());`.
pub fn field_errors<T, S>(value: S) -> impl Fn(Field) -> Signal<Option<String>> + Copy
where
    T: 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    let errors = server_field_errors(value);
    move |field| Signal::derive(move || errors().and_then(|e| e.get(field).map(str::to_owned)))
}

/// The message a server action answered with, once it succeeded.
pub fn saved_message<S>(value: S) -> impl Fn() -> Option<String> + Copy
where
    S: Get<Value = Option<Result<String, AppError>>> + Copy,
{
    move || value.get().and_then(Result::ok)
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

/// Any error of a server function's answer as one sentence: its field
/// messages joined, or the error itself (for forms too small to place
/// messages beside fields).
pub fn any_error<T, S>(value: S) -> impl Fn() -> Option<String> + Copy
where
    S: Get<Value = Option<Result<T, AppError>>> + Copy,
{
    move || match value.get() {
        Some(Err(AppError::Invalid(errors))) => {
            Some(errors.0.values().cloned().collect::<Vec<_>>().join(" "))
        }
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    }
}

/// A name-and-email form checked as the user types with the server's own
/// `validate_profile`; until the first edit, the server's answer shows.
#[derive(Clone, Copy)]
pub struct ProfileDraft {
    draft: RwSignal<ProfileInput>,
    touched: RwSignal<bool>,
    server: Signal<Option<FieldErrors>>,
}

impl ProfileDraft {
    pub fn new(
        initial: ProfileInput,
        server: impl Fn() -> Option<FieldErrors> + Send + Sync + 'static,
    ) -> Self {
        Self {
            draft: RwSignal::new(initial),
            touched: RwSignal::new(false),
            server: Signal::derive(server),
        }
    }

    /// The message to show beside `field`, if any.
    pub fn error(self, field: Field) -> Signal<Option<String>> {
        Signal::derive(move || {
            let local = self
                .touched
                .get()
                .then(|| validate_profile(&self.draft.get()).err())
                .flatten();
            local
                .or_else(|| self.server.get())
                .and_then(|e| e.get(field).map(str::to_owned))
        })
    }

    /// An input handler that writes its value into the draft.
    pub fn edit(self, apply: fn(&mut ProfileInput, String)) -> Callback<String> {
        Callback::new(move |value: String| {
            self.touched.set(true);
            self.draft.update(|d| apply(d, value));
        })
    }
}

/// How many times the action answered with success: key a page's data on
/// this, not on the action's version, so a refused save leaves the form as
/// the user typed it (with the error beside it) instead of reloading it.
pub fn successes<T, S>(value: S) -> Signal<u32>
where
    S: Get<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
    T: 'static,
{
    let count = RwSignal::new(0_u32);
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            count.update(|n| *n += 1);
        }
    });
    count.into()
}
