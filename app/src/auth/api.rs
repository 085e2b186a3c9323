//! Server functions for signing in and out and for "who am I".

use leptos::prelude::*;

use super::Me;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::{
    audit::db::{Event, record},
    auth::{CompanyChoice, SIGN_IN_FAILED, db, password, throttle},
    model::{
        access::OrgIndex,
        org::OrgKind,
        permission::Permission,
        policy::Action,
        user::UserStatus,
        validation::{EMAIL_MESSAGE, Field, FieldErrors, MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS},
    },
    principal::Actor,
    principal::{serve, session},
};

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
    serve(|request| async move {
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

        let session = request.session()?;
        let now = chrono::Utc::now();
        let mut conn = request.state.pool.acquire().await?;
        // Throttled before any hashing: a flood costs the server nothing.
        let gate = throttle::check(&mut conn, &email, &request.client, now).await?;
        if let Some(message) = gate.message() {
            return Err(AppError::TooManyAttempts(message));
        }
        let account = db::account(&mut conn, &email).await?;
        drop(conn);

        let stored = account
            .as_ref()
            .and_then(|a| a.password_hash.clone())
            .map(password::PasswordHashString);
        let password_ok = password::verify(password, stored).await;

        match account {
            Some(account)
                if password_ok && account.status == UserStatus::Active && !account.suspended =>
            {
                let mut conn = request.state.pool.acquire().await?;
                db::record_sign_in(&mut conn, &email, &account, &request.id).await?;
                session::start(session, account.id, now).await?;
                let next = next.as_deref().and_then(crate::ui::url::same_site_path);
                // Administrators and enrolled users prove a second factor
                // first; the session keeps where they were going meanwhile.
                if account.second_factor_due {
                    if let Some(next) = next {
                        session::remember_next(session, next).await?;
                    }
                    leptos_axum::redirect("/two-factor");
                } else {
                    leptos_axum::redirect(next.unwrap_or("/"));
                }
                Ok(())
            }
            account => {
                let mut tx = request.state.pool.begin().await?;
                let org = account.as_ref().map(|a| a.org);
                let target_id = account.as_ref().map(|a| a.id.to_string());
                let anonymous =
                    Actor::anonymous(format!("anonymous ({})", request.client), &request.id);
                let failed = Event {
                    org,
                    action: "auth.sign_in_failed",
                    target_type: "user",
                    target_id: target_id.clone(),
                    before: None,
                    after: Some(serde_json::json!({ "email": email })),
                };
                record(&mut tx, &anonymous, failed).await?;
                let locked =
                    throttle::record_failure(&mut tx, &email, &request.client, now).await?;
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
    })
    .await
}

/// Ends the caller's session.
///
/// Permissions: anyone; for an anonymous caller it changes nothing.
#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    serve(|request| async move {
        // Also ends a sign-in still waiting for its second factor.
        if let Some(
            session::SignIn::Complete(user) | session::SignIn::SecondFactorDue { user, .. },
        ) = request.sign_in().await?
        {
            let mut tx = request.state.pool.begin().await?;
            let actor = Actor::user(&user, &request.id);
            let event = Event::about_user(user.org, "auth.sign_out", user.id.0);
            record(&mut tx, &actor, event).await?;
            session::end(request.session()?).await?;
            tx.commit().await?;
        }
        leptos_axum::redirect("/sign-in");
        Ok(())
    })
    .await
}

/// The signed-in user and the companies the policy lets them act in, or
/// `None` when nobody is signed in.
///
/// Permissions: anyone; it only ever describes the caller. It also keeps
/// the session in step with what it describes: a session no longer valid
/// ends, and a switch into a customer's account that no longer counts is
/// left (the change that ended it recorded it).
#[server(prefix = "/api", endpoint = "who_am_i")]
pub async fn who_am_i() -> Result<Option<Me>, AppError> {
    serve(|request| async move {
        let session = request.session()?;
        let user = match request.sign_in().await? {
            Some(session::SignIn::Complete(user)) => user,
            // Halfway through signing in: nobody yet.
            Some(session::SignIn::SecondFactorDue { .. }) => return Ok(None),
            None => {
                if session::has_sign_in(session).await? {
                    session::end(session).await?;
                }
                return Ok(None);
            }
        };
        let caller = crate::principal::Caller::describe(&request, user).await?;
        if caller.lapsed_switch.is_some() {
            session::leave_switch(session).await?;
        }
        let index = OrgIndex::new(&caller.snapshot);
        let acting = caller.acting().await?;
        let companies: Vec<CompanyChoice> = caller
            .access
            .company_list(&index)
            .into_iter()
            .map(|c| CompanyChoice {
                id: c.id,
                name: c.name.clone(),
            })
            .collect();
        Ok(Some(Me {
            acting_company: companies.iter().find(|c| Some(c.id) == acting).cloned(),
            name: caller.user.full_name(),
            email: caller.user.email.clone(),
            organization: caller.snapshot.org.name.clone(),
            administrator: caller.access.administrator,
            vendor_staff: caller.snapshot.org.kind == OrgKind::Vendor,
            platform_staff: caller.may(Action::PlatformConsole),
            switched_from: caller.vendor.as_ref().map(|v| v.name.clone()),
            sees_users: caller.may(Action::SeeUsers(caller.user.org)),
            adds_users: caller.may(Action::AddUsers(caller.user.org)),
            sees_claims: caller.access.permissions.contains(Permission::ClaimsView)
                && acting.is_some(),
            companies,
        }))
    })
    .await
}
