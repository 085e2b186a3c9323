//! The one error type server functions return. It is safe to show: database
//! and other internal errors never reach the browser, only a reference that
//! matches the server's log line.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use crate::model::{policy::Denied, validation::FieldErrors};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid session: the caller must sign in.
    #[error("Please sign in to continue.")]
    Unauthorized,
    /// Signed in, but the policy does not allow this; says why not.
    #[error("{0}")]
    Forbidden(Denied),
    #[error("Not found.")]
    NotFound,
    /// Sign-in refused; one message for every reason.
    #[error("{0}")]
    SignInFailed(String),
    /// Throttled after repeated failures; says until when.
    #[error("{0}")]
    TooManyAttempts(String),
    /// Someone else changed the thing first, or a uniqueness rule was hit.
    #[error("{0}")]
    Conflict(String),
    /// Bad input, with a message for each field to show beside it; nothing
    /// was changed.
    #[error("Please correct the highlighted fields.")]
    Invalid(FieldErrors),
    /// A request the server could not read at all.
    #[error("The request could not be read: {0}")]
    BadRequest(String),
    /// A fault on the server; details are in the server log under `reference`.
    #[error("Something went wrong on our side (reference {reference}).")]
    Internal { reference: String },
    /// The database cannot be reached just now; nothing was done, and the
    /// same request will work again once it is back.
    #[error(
        "The database cannot be reached right now. Nothing was changed; please try again in a moment."
    )]
    Unavailable,
    /// The request did not reach the server or its answer could not be read.
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Undecodable arguments are the caller's fault, not ours.
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::MissingArg(message) => {
                AppError::BadRequest(shortened(message))
            }
            other => AppError::Transport(other.to_string()),
        }
    }

    /// The error as a server function's answer; on the server, also its
    /// HTTP status, so API clients need not read the body to know what
    /// happened. A plain HTML form (no JavaScript) is answered with a
    /// redirect back to its page, the error in its address, and keeps the
    /// redirect's status.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        set_status(self.status());
        // JSON of a plain enum of strings does not fail.
        <Self::Encoder as leptos::server_fn::Encodes<Self>>::encode(self).unwrap_or_default()
    }
}

/// Sets the status of the server function's response, unless it answers a
/// plain form.
#[cfg(feature = "ssr")]
fn set_status(status: axum::http::StatusCode) {
    use leptos::prelude::use_context;
    let plain_form = use_context::<axum::http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(axum::http::header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    });
    if !plain_form && let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// The decoder's message quotes the input it could not read, which may be
/// as long as the body: the user is shown its start.
fn shortened(message: String) -> String {
    const SHOWN: usize = 200;
    match message.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &message[..end]),
        None => message,
    }
}

impl AppError {
    /// `Invalid` with one message for one field.
    pub fn field(field: crate::model::validation::Field, message: &str) -> Self {
        let mut errors = FieldErrors::default();
        errors.0.insert(field, message.to_owned());
        AppError::Invalid(errors)
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        AppError::Forbidden(denied)
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status that goes with the error, for API clients: the one
    /// place it is decided (server functions through [`FromServerFnError::ser`],
    /// axum handlers through `IntoResponse`).
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            AppError::Unauthorized | AppError::SignInFailed(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Internal { .. } | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Logs an internal fault (in the span of the request it happened in,
    /// which names the request) and returns the user-safe error; the
    /// request's boundary fills in its reference ([`AppError::referenced`]).
    /// A lost database connection is no fault of ours but a passing state
    /// (a restart, say): `Unavailable`, "try again in a moment".
    pub fn internal(error: impl std::fmt::Display + 'static) -> Self {
        if lost_database(&error) {
            tracing::warn!(%error, "the database connection was lost");
            return AppError::Unavailable;
        }
        tracing::error!(%error, "internal error");
        AppError::Internal {
            reference: String::new(),
        }
    }

    /// The error as the request `id` answers it: an internal fault names
    /// the request, so a support request can be matched to the log line.
    pub fn referenced(self, id: &crate::request_id::RequestId) -> Self {
        match self {
            AppError::Internal { reference } if reference.is_empty() => AppError::Internal {
                reference: id.as_deref().unwrap_or("unknown").to_owned(),
            },
            other => other,
        }
    }
}

/// The answer of a plain axum handler (the audit CSV export, the vendor
/// API): the error's status and its message as `{"error": …}`.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let body = axum::Json(serde_json::json!({ "error": self.to_string() }));
        (self.status(), body).into_response()
    }
}

/// `?` on the server's own faults (a database call, the session store;
/// and, declared beside them, random tokens, password hashing, second
/// factors): logged in the request's span (a lost database is
/// `Unavailable`), never shown.
#[cfg(feature = "ssr")]
macro_rules! internal_faults {
    ($($error:ty),* $(,)?) => {$(
        impl From<$error> for $crate::error::AppError {
            fn from(error: $error) -> Self {
                $crate::error::AppError::internal(error)
            }
        }
    )*};
}

#[cfg(feature = "ssr")]
pub(crate) use internal_faults;

#[cfg(feature = "ssr")]
internal_faults!(sqlx::Error, tower_sessions::session::Error);

/// A row that may be missing, as an answer: "not found" when it is (a row
/// of another organization reads the same, so ids cannot be probed).
#[cfg(feature = "ssr")]
pub trait Found<T> {
    fn found(self) -> Result<T, AppError>;
}

#[cfg(feature = "ssr")]
impl<T, E: Into<AppError>> Found<T> for Result<Option<T>, E> {
    fn found(self) -> Result<T, AppError> {
        self.map_err(Into::into)?.ok_or(AppError::NotFound)
    }
}

/// A constraint's name, and the answer a form shows when it is broken.
#[cfg(feature = "ssr")]
pub type ConstraintAnswer = (&'static str, fn() -> AppError);

/// A statement's violated constraint as the answer a form shows.
#[cfg(feature = "ssr")]
pub trait OnConstraint<T> {
    /// The answer paired with the constraint the statement broke, if it is
    /// one of `answers`; any other database error is a fault (`From`).
    fn on_constraint(self, answers: &[ConstraintAnswer]) -> Result<T, AppError>;
}

#[cfg(feature = "ssr")]
impl<T> OnConstraint<T> for Result<T, sqlx::Error> {
    fn on_constraint(self, answers: &[ConstraintAnswer]) -> Result<T, AppError> {
        self.map_err(|error| {
            let broken = match &error {
                sqlx::Error::Database(db) => db.constraint(),
                _ => None,
            };
            match answers.iter().find(|(name, _)| Some(*name) == broken) {
                Some((_, answer)) => answer(),
                None => AppError::from(error),
            }
        })
    }
}

/// Whether an error is the database going away: its connection broken or
/// refused, the pool unable to get one, or the server shutting down
/// (SQLSTATE classes 57P and 08). A request that began just before a
/// restart fails so, even when the database is back by the time anyone
/// looks.
#[cfg(feature = "ssr")]
fn lost_database(error: &dyn std::any::Any) -> bool {
    // The session store is PostgreSQL too, but hands on its driver's errors
    // as text: its backend failing is the database failing.
    if let Some(tower_sessions::session::Error::Store(
        tower_sessions::session_store::Error::Backend(_),
    )) = error.downcast_ref::<tower_sessions::session::Error>()
    {
        return true;
    }
    match error.downcast_ref::<sqlx::Error>() {
        Some(
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed,
        ) => true,
        Some(sqlx::Error::Database(e)) => e
            .code()
            .is_some_and(|code| code.starts_with("57P") || code.starts_with("08")),
        _ => false,
    }
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
