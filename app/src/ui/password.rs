//! The two fields of every choose-a-password form (password change, reset,
//! invitation), checked as the user types with the server's own rules.

use leptos::prelude::*;

use super::{common_passwords::use_common_passwords, form::TextField};
use crate::model::validation::{CommonPasswords, Field, FieldErrors, validate_new_password};

/// "New password" and "New password again". Once both are filled in, the
/// shared `validate_new_password` runs (with the common-password list as
/// soon as it has arrived); otherwise the server's answer is shown.
#[component]
pub fn NewPasswordFields(
    new_id: &'static str,
    confirm_id: &'static str,
    /// The user's email: a password may not be it.
    email: String,
    #[prop(into)] server_errors: Signal<Option<FieldErrors>>,
) -> impl IntoView {
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let email = StoredValue::new(email);
    let common = use_common_passwords();
    let local = move || {
        let (new, confirm) = (new.get(), confirm.get());
        if new.is_empty() || confirm.is_empty() {
            return None;
        }
        common.with(|list| {
            email.with_value(|email| {
                validate_new_password(&new, &confirm, email, CommonPasswords(list)).err()
            })
        })
    };
    let error_for = move |field: Field| {
        Signal::derive(move || {
            local()
                .or_else(|| server_errors.get())
                .and_then(|e| e.get(field).map(str::to_owned))
        })
    };
    view! {
        <TextField id=new_id name="new_password" label="New password" kind="password"
            autocomplete="new-password" required=true error=error_for(Field::Password)
            on_input=Callback::new(move |v| new.set(v)) />
        <TextField id=confirm_id name="confirm_password" label="New password again" kind="password"
            autocomplete="new-password" required=true error=error_for(Field::ConfirmPassword)
            on_input=Callback::new(move |v| confirm.set(v)) />
    }
}
