//! The common-password list for the browser: fetched when a password form
//! opens rather than compiled into the WASM bundle (it is 19 KB of text),
//! then checked by the same `validate_new_password` as on the server.

use leptos::prelude::*;

use crate::error::AppError;

/// The list the server checks against, one password per line.
///
/// Permissions: anyone (it is public data).
#[server(prefix = "/api", endpoint = "common_passwords")]
pub async fn common_passwords() -> Result<String, AppError> {
    Ok(crate::model::validation::COMMON_PASSWORD_LIST.to_owned())
}

/// The list once it has arrived; empty until then (the other rules still
/// apply at once, and the server checks the list on submit anyway).
pub fn use_common_passwords() -> Signal<String> {
    // Local: fetched by the browser only, never inlined into the page.
    let list = LocalResource::new(common_passwords);
    Signal::derive(move || list.get().and_then(Result::ok).unwrap_or_default())
}
