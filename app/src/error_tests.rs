//! Unit tests of `error.rs`.

use super::*;
use crate::model::validation::{ProfileInput, validate_profile};

#[test]
fn field_errors_travel_to_the_browser_unchanged() {
    let errors = validate_profile(&ProfileInput {
        first_name: "1".into(),
        ..Default::default()
    })
    .unwrap_err();
    let error = AppError::from(errors.clone());
    let decoded: AppError = serde_json::from_str(&serde_json::to_string(&error).unwrap()).unwrap();
    assert_eq!(decoded, AppError::Invalid(errors));
}

#[test]
fn a_refusal_says_why() {
    let error = AppError::from(Denied::SupportUsersOnly);
    assert_eq!(
        error.to_string(),
        "Only Administrators and Support Users can open support tickets."
    );
}

#[test]
fn an_unreadable_argument_is_named_by_the_start_of_the_decoders_message() {
    let long = format!("invalid digit: {}", "x".repeat(20_000));
    let AppError::BadRequest(shown) =
        AppError::from_server_fn_error(ServerFnErrorErr::Args(long.clone()))
    else {
        panic!("not a bad request");
    };
    assert_eq!(shown.chars().count(), 201);
    assert!(long.starts_with(shown.trim_end_matches('…')));
    let short = AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field".into()));
    assert_eq!(short, AppError::BadRequest("missing field".into()));
}

#[cfg(feature = "ssr")]
#[test]
fn a_lost_database_connection_is_a_passing_state_not_a_fault() {
    assert_eq!(
        AppError::internal(sqlx::Error::PoolTimedOut),
        AppError::Unavailable
    );
    let broken = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
    assert_eq!(
        AppError::internal(sqlx::Error::Io(broken)),
        AppError::Unavailable
    );
    // The session store's backend is the same database.
    let store = tower_sessions::session_store::Error::Backend("pool timed out".into());
    assert_eq!(
        AppError::internal(tower_sessions::session::Error::Store(store)),
        AppError::Unavailable
    );
    let undecodable = tower_sessions::session_store::Error::Decode("bad record".into());
    assert!(matches!(
        AppError::internal(tower_sessions::session::Error::Store(undecodable)),
        AppError::Internal { .. }
    ));
    assert!(matches!(
        AppError::internal(sqlx::Error::RowNotFound),
        AppError::Internal { .. }
    ));
    assert!(matches!(
        AppError::internal("a bug"),
        AppError::Internal { .. }
    ));
}
