//! Server functions for signing in and out and for "who am I".

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::CompanyChoice;
use super::Me;
use crate::error::AppError;

/// Signs in with email and password; rotates the session id on success,
/// then goes on to `next` (a page of this site, else the start page),
/// through the second factor when one is due.
///
/// Permissions: anyone. Every failure gets the same message and costs the
/// same time, whether or not the account exists.
#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    sign_in_inner(email, password, next)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
async fn sign_in_inner(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        audit::db::{Actor, Event, record},
        auth::{SIGN_IN_FAILED, password, session, throttle},
        model::{
            ids::{OrgId, UserId},
            validation::{EMAIL_MESSAGE, Field, FieldErrors, MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS},
        },
        state::{AppState, RequestId},
    };

    let request = RequestId::current();
    let email = email.trim().to_lowercase();
    let mut errors = FieldErrors::default();
    if email.is_empty() || email.chars().count() > MAX_EMAIL_CHARS {
        errors.0.insert(Field::Email, EMAIL_MESSAGE.to_owned());
    }
    if password.is_empty() || password.chars().count() > MAX_PASSWORD_CHARS {
        errors
            .0
            .insert(Field::Password, "Enter your password.".to_owned());
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }

    let state = AppState::current()?;
    let session = session::current_session().await?;
    let client = client_address().await;
    let now = chrono::Utc::now();
    let mut conn = state.pool.acquire().await?;

    // Throttled before any hashing: a flood costs the server nothing.
    let gate = throttle::check(&mut conn, &email, &client, now).await?;
    if let Some(message) = gate.message() {
        return Err(AppError::TooManyAttempts(message));
    }

    let account: Option<(i64, i64, Option<String>, String, String, bool)> = sqlx::query_as(
        "SELECT id, org_id, password_hash, status, first_name || ' ' || last_name || ' <' || email || '>',
                account_type = 'administrator'
                  OR EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = users.id AND t.confirmed_at IS NOT NULL)
         FROM users WHERE lower(email) = $1",
    )
    .bind(&email)
    .fetch_optional(&mut *conn)
    .await?;
    drop(conn);

    let stored = account
        .as_ref()
        .and_then(|(_, _, hash, ..)| hash.clone())
        .map(password::PasswordHashString);
    let password_ok = password::verify(password, stored).await;
    let active = account
        .as_ref()
        .is_some_and(|(_, _, _, status, ..)| status == "active");

    let mut tx = state.pool.begin().await?;
    match account {
        Some((id, org, _, _, label, second_factor_due)) if password_ok && active => {
            throttle::record_success(&mut tx, &email).await?;
            session::start(&session, UserId(id), now).await?;
            let actor = Actor {
                user: Some(UserId(id)),
                ..Actor::anonymous(label, &request)
            };
            let event = Event::about_user(OrgId(org), "auth.sign_in", id);
            record(&mut tx, &actor, event).await?;
            tx.commit().await?;
            let next = next.as_deref().and_then(super::same_site_path);
            // Administrators and enrolled users prove a second factor first;
            // the session keeps where they were going meanwhile.
            if second_factor_due {
                if let Some(next) = next {
                    session::remember_next(&session, next).await?;
                }
                leptos_axum::redirect("/two-factor");
            } else {
                leptos_axum::redirect(next.unwrap_or("/"));
            }
            Ok(())
        }
        account => {
            let org = account.as_ref().map(|(_, org, ..)| OrgId(*org));
            let target_id = account.as_ref().map(|(id, ..)| id.to_string());
            let anonymous = Actor::anonymous(format!("anonymous ({client})"), &request);
            let failed = Event {
                org,
                action: "auth.sign_in_failed",
                target_type: "user",
                target_id: target_id.clone(),
                before: None,
                after: Some(serde_json::json!({ "email": email })),
            };
            record(&mut tx, &anonymous, failed).await?;
            let locked = throttle::record_failure(&mut tx, &email, &client, now).await?;
            if let Some(until) = locked {
                let lockout = Event {
                    org,
                    action: "auth.lockout",
                    target_type: "user",
                    target_id,
                    before: None,
                    after: Some(serde_json::json!({ "email": email, "locked_until": until })),
                };
                record(&mut tx, &anonymous, lockout).await?;
            }
            tx.commit().await?;
            match locked {
                Some(until) => Err(AppError::TooManyAttempts(
                    throttle::Gate::EmailLocked { until }
                        .message()
                        .unwrap_or_default(),
                )),
                None => Err(AppError::SignInFailed(SIGN_IN_FAILED.to_owned())),
            }
        }
    }
}

/// The caller's address as the socket saw it ("unknown" when not served
/// over a socket, as in tests). A proxy in front makes this the proxy.
#[cfg(feature = "ssr")]
pub(crate) async fn client_address() -> String {
    use axum::extract::ConnectInfo;
    leptos_axum::extract::<ConnectInfo<std::net::SocketAddr>>()
        .await
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// Ends the caller's session.
///
/// Permissions: anyone; for an anonymous caller it changes nothing.
#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    sign_out_inner().await.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
async fn sign_out_inner() -> Result<(), AppError> {
    use crate::{
        audit::db::{Actor, Event, record},
        auth::session,
        state::{AppState, RequestId},
    };

    let request = RequestId::current();
    let state = AppState::current()?;
    let session = session::current_session().await?;
    // Also ends a sign-in still waiting for its second factor.
    let caller = session::caller(&state, &session, chrono::Utc::now()).await?;
    if let Some(session::Caller::SignedIn(user) | session::Caller::SecondFactorDue { user, .. }) =
        caller
    {
        let mut tx = state.pool.begin().await?;
        let actor = Actor::user(&user, &request);
        let event = Event::about_user(user.org, "auth.sign_out", user.id);
        record(&mut tx, &actor, event).await?;
        session::end(&session).await?;
        tx.commit().await?;
    }
    leptos_axum::redirect("/sign-in");
    Ok(())
}

/// The signed-in user and the companies the policy lets them act in, or
/// `None` when nobody is signed in.
///
/// Permissions: anyone; it only ever describes the caller.
#[server(prefix = "/api", endpoint = "who_am_i")]
pub async fn who_am_i() -> Result<Option<Me>, AppError> {
    who_am_i_inner().await.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
async fn who_am_i_inner() -> Result<Option<Me>, AppError> {
    use crate::{
        auth::{gate::Caller, session},
        model::{
            access::{Action, OrgIndex},
            org::OrgKind,
            permission::Permission,
        },
        state::{AppState, RequestId},
    };

    let request = RequestId::current();
    let state = AppState::current()?;
    let session = session::current_session().await?;
    let Some(user) = session::signed_in_user(&state, &session, chrono::Utc::now()).await? else {
        return Ok(None);
    };
    let caller = Caller::of(&state, user, session, request).await?;
    let index = OrgIndex::new(&caller.snapshot);
    let acting = caller.acting().await?;
    let companies: Vec<CompanyChoice> = caller
        .access
        .company_list(&index)
        .into_iter()
        .map(|c| CompanyChoice {
            id: c.id.0,
            name: c.name.clone(),
        })
        .collect();
    Ok(Some(Me {
        acting_company: companies
            .iter()
            .find(|c| Some(c.id) == acting.map(|a| a.0))
            .cloned(),
        name: caller.user.full_name(),
        email: caller.user.email.clone(),
        organization: caller.snapshot.org.name.clone(),
        administrator: caller.access.administrator,
        vendor_staff: caller.snapshot.org.kind == OrgKind::Vendor,
        switched_from: caller.vendor.as_ref().map(|v| v.name.clone()),
        sees_users: caller.may(Action::SeeUsers(caller.user.org)),
        sees_claims: caller.access.permissions.contains(Permission::ClaimsView) && acting.is_some(),
        companies,
    }))
}
