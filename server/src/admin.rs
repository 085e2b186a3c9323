//! `portcullis admin …`: what the platform operator does from the server's
//! command line. Each command runs in one transaction (nothing is left half
//! done), records an audit event as the operator, and prints one clear
//! sentence on failure (non-zero exit).

use std::fmt::Write as _;

use app::{
    audit::db::{Event, record},
    auth::{
        reset::{self, Purpose},
        throttle,
    },
    model::{
        ids::{OrgId, UserId},
        org::validate_company_name,
        user::{AccountType, UserStatus},
        validation::{ProfileInput, ValidProfile, validate_profile},
    },
    org::db::create_parent_and_administrator,
    principal::Actor,
};
use chrono::Utc;
use clap::{Args, Subcommand};
use serde_json::json;
use sqlx::PgPool;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// On an empty database: create the first customer organization and its
    /// Administrator, and print the link where they choose a password.
    Bootstrap(BootstrapArgs),
    /// On any database: create the platform's organization (the first
    /// time) and a Platform Administrator in it, and print the link where
    /// they choose a password. They run the rest from the web console.
    CreateOperator(CreateOperatorArgs),
    /// Break-glass (seed 002): when every Administrator of an organization
    /// is inactive, reactivate one. Their password and two-factor sign-in
    /// are reset; the link to choose a new password is printed.
    Reactivate(ReactivateArgs),
    /// List the organizations with their users and active Administrators.
    ListOrgs,
    /// Lift the sign-in lockout of an email address.
    UnlockUser(UnlockArgs),
}

#[derive(Debug, Args)]
pub struct BootstrapArgs {
    /// The organization's (and its parent company's) name.
    #[arg(long)]
    pub organization: String,
    #[arg(long)]
    pub first_name: String,
    #[arg(long)]
    pub last_name: String,
    /// The Administrator's sign-in email.
    #[arg(long)]
    pub email: String,
    #[command(flatten)]
    pub link: LinkBase,
}

#[derive(Debug, Args)]
pub struct CreateOperatorArgs {
    /// The platform organization's name, when it is created.
    #[arg(long, default_value = "Portcullis Platform")]
    pub platform: String,
    #[arg(long)]
    pub first_name: String,
    #[arg(long)]
    pub last_name: String,
    /// The Platform Administrator's sign-in email.
    #[arg(long)]
    pub email: String,
    #[command(flatten)]
    pub link: LinkBase,
}

#[derive(Debug, Args)]
pub struct ReactivateArgs {
    /// The inactive Administrator to reactivate.
    #[arg(long)]
    pub email: String,
    /// The support ticket that authorized this (kept in the audit log).
    #[arg(long)]
    pub ticket: String,
    /// Why, in a sentence (kept in the audit log).
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub link: LinkBase,
}

/// The base of the links the commands print.
#[derive(Debug, Args)]
pub struct LinkBase {
    /// Where users reach the console, for the printed link.
    #[arg(
        long,
        env = "PORTCULLIS_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub public_url: String,
}

#[derive(Debug, Args)]
pub struct UnlockArgs {
    #[arg(long)]
    pub email: String,
}

/// Why an admin command did nothing.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0}")]
    Refused(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

fn refused(message: impl Into<String>) -> AdminError {
    AdminError::Refused(message.into())
}

/// Runs one admin command; returns what to print.
pub async fn run(pool: &PgPool, command: AdminCommand) -> Result<String, AdminError> {
    match command {
        AdminCommand::Bootstrap(args) => bootstrap(pool, args).await,
        AdminCommand::CreateOperator(args) => create_operator(pool, args).await,
        AdminCommand::Reactivate(args) => reactivate(pool, args).await,
        AdminCommand::ListOrgs => list_orgs(pool).await,
        AdminCommand::UnlockUser(args) => unlock(pool, args).await,
    }
}

/// The person a command creates, checked; a clear refusal otherwise.
fn valid_person(
    first_name: String,
    last_name: String,
    email: String,
) -> Result<ValidProfile, AdminError> {
    validate_profile(&ProfileInput {
        first_name,
        last_name,
        email,
    })
    .map_err(|e| {
        let said: Vec<String> =
            e.0.into_iter()
                .map(|(field, m)| format!("{field:?}: {m}"))
                .collect();
        refused(format!(
            "the Administrator is not valid ({})",
            said.join("; ")
        ))
    })
}

/// An organization's name given as `flag`, checked.
fn valid_name(flag: &str, name: &str) -> Result<String, AdminError> {
    validate_company_name(name).map_err(|e| {
        refused(format!(
            "{flag}: {}",
            e.0.into_values().collect::<Vec<_>>().join(" ")
        ))
    })
}

async fn create_operator(pool: &PgPool, args: CreateOperatorArgs) -> Result<String, AdminError> {
    let name = valid_name("--platform", &args.platform)?;
    let profile = valid_person(args.first_name, args.last_name, args.email)?;
    let mut tx = pool.begin().await?;
    // Serializes concurrent runs: only one creates the platform.
    sqlx::query!("LOCK TABLE organizations IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let existing = sqlx::query!(r#"SELECT id, name FROM organizations WHERE kind = 'platform'"#)
        .fetch_optional(&mut *tx)
        .await?;
    let (platform, platform_name, created) = match existing {
        Some(row) => (row.id, row.name, false),
        None => {
            let id = sqlx::query_scalar!(
                "INSERT INTO organizations (name, kind) VALUES ($1, 'platform')
                 ON CONFLICT DO NOTHING RETURNING id",
                &name
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                refused(format!(
                    "an organization named {name} exists already; choose another --platform"
                ))
            })?;
            (id, name, true)
        }
    };
    let taken = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = $1) AS "taken!""#,
        &profile.email
    )
    .fetch_one(&mut *tx)
    .await?;
    if taken {
        return Err(refused(format!(
            "someone already signs in with {}",
            profile.email
        )));
    }
    let user = sqlx::query_scalar!(
        "INSERT INTO users (org_id, first_name, last_name, email, account_type, user_type)
         VALUES ($1, $2, $3, $4, 'administrator', 'partner') RETURNING id",
        platform,
        &profile.first_name,
        &profile.last_name,
        &profile.email
    )
    .fetch_one(&mut *tx)
    .await?;
    let token = reset::issue(&mut tx, UserId(user), Purpose::Invitation, Utc::now())
        .await
        .map_err(|e| refused(e.to_string()))?;
    let event = Event::about_user(OrgId(platform), "operator.create_operator", user).after(json!({
        "platform": platform_name, "created_platform": created, "email": profile.email,
        "role": "administrator",
    }));
    record(&mut tx, &Actor::operator("create-operator"), event).await?;
    tx.commit().await?;
    let made = if created { "Created" } else { "Found" };
    Ok(format!(
        "{made} the platform {platform_name}, and its Platform Administrator {first} {last} <{email}>.\n\
         Send them this link to choose a password (it works once, within seven days):\n  {url}\n\
         At their first sign-in they set up two-factor sign-in; the console is at /platform.",
        first = profile.first_name,
        last = profile.last_name,
        email = profile.email,
        url = reset::link(&args.link.public_url, &token),
    ))
}

async fn bootstrap(pool: &PgPool, args: BootstrapArgs) -> Result<String, AdminError> {
    let name = valid_name("--organization", &args.organization)?;
    let profile = valid_person(args.first_name, args.last_name, args.email)?;
    let mut tx = pool.begin().await?;
    // Serializes concurrent bootstraps: only one finds the database empty.
    sqlx::query!("LOCK TABLE organizations IN EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let existing = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM organizations WHERE kind <> 'platform'"#
    )
    .fetch_one(&mut *tx)
    .await?;
    if existing > 0 {
        return Err(refused(format!(
            "the database already has {existing} organization(s); bootstrap is only for an empty one \
             (see `portcullis admin list-orgs`)"
        )));
    }
    let org = sqlx::query_scalar!(
        "INSERT INTO organizations (name, kind) VALUES ($1, 'customer') RETURNING id",
        &name
    )
    .fetch_one(&mut *tx)
    .await?;
    let user = create_parent_and_administrator(
        &mut tx,
        org,
        &name,
        &profile.first_name,
        &profile.last_name,
        &profile.email,
    )
    .await?;
    let token = reset::issue(&mut tx, UserId(user), Purpose::Invitation, Utc::now())
        .await
        .map_err(|e| refused(e.to_string()))?;
    let event = Event::new(OrgId(org), "operator.bootstrap", "organization", org)
        .after(json!({ "name": name, "administrator": profile.email }));
    record(&mut tx, &Actor::operator("bootstrap"), event).await?;
    tx.commit().await?;
    Ok(format!(
        "Created {name} and its Administrator {first} {last} <{email}>.\n\
         Send them this link to choose a password (it works once, within seven days):\n  {url}\n\
         At their first sign-in they set up two-factor sign-in; then they add the other users.",
        first = profile.first_name,
        last = profile.last_name,
        email = profile.email,
        url = reset::link(&args.link.public_url, &token),
    ))
}

fn text_arg(flag: &str, value: &str, max: usize) -> Result<String, AdminError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(refused(format!(
            "{flag} must say something, in at most {max} characters"
        )));
    }
    Ok(value.to_owned())
}

async fn reactivate(pool: &PgPool, args: ReactivateArgs) -> Result<String, AdminError> {
    let ticket = text_arg("--ticket", &args.ticket, 100)?;
    let reason = text_arg("--reason", &args.reason, 500)?;
    let email = args.email.trim().to_lowercase();
    let mut tx = pool.begin().await?;
    let target = sqlx::query!(
        r#"SELECT u.id, u.org_id, u.first_name || ' ' || u.last_name AS "name!",
                  u.account_type AS "account_type: AccountType", u.status AS "status: UserStatus",
                  o.name AS organization
           FROM users u JOIN organizations o ON o.id = u.org_id WHERE lower(u.email) = $1"#,
        &email
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(target) = target else {
        return Err(refused(format!("there is no user with the email {email}")));
    };
    let (user, org, name) = (target.id, target.org_id, target.name);
    let organization = target.organization;
    if target.account_type != AccountType::Administrator {
        return Err(refused(format!(
            "{name} <{email}> is not an Administrator; only an Administrator is reactivated here"
        )));
    }
    if target.status == UserStatus::Active {
        return Err(refused(format!("{name} <{email}> is already active")));
    }
    // The organization's row lock serializes this with any change of its
    // Administrators (the last-administrator trigger takes the same lock).
    sqlx::query_scalar!(
        "SELECT id FROM organizations WHERE id = $1 FOR NO KEY UPDATE",
        org
    )
    .fetch_one(&mut *tx)
    .await?;
    let active = sqlx::query_scalar!(
        r#"SELECT first_name || ' ' || last_name || ' <' || email || '>' AS "administrator!" FROM users
           WHERE org_id = $1 AND account_type = 'administrator' AND status = 'active' ORDER BY id"#,
        org
    )
    .fetch_all(&mut *tx)
    .await?;
    if !active.is_empty() {
        return Err(refused(format!(
            "{organization} still has active Administrators ({}): they reactivate {name} in the console; \
             break-glass is only for when none is left",
            active.join(", ")
        )));
    }
    // Back in, but with nothing the old credentials could still open.
    let token = reset::reactivate_afresh(&mut tx, UserId(user), Utc::now())
        .await
        .map_err(|e| refused(e.to_string()))?;
    let event = Event::new(OrgId(org), "operator.reactivate", "user", user)
        .before(json!({ "status": "inactive" }))
        .after(
            json!({ "status": "active", "ticket": ticket, "reason": reason,
                            "password": "reset", "two_factor": "re-enrolment required" }),
        );
    record(
        &mut tx,
        &Actor::operator(&format!("reactivate, ticket {ticket}")),
        event,
    )
    .await?;
    tx.commit().await?;
    Ok(format!(
        "Reactivated {name} <{email}>, Administrator of {organization} (ticket {ticket}).\n\
         Their password and two-factor sign-in were reset. Next steps:\n\
         1. Send them this link to choose a new password (it works once, within seven days):\n  {url}\n\
         2. At sign-in they set up two-factor sign-in again.\n\
         3. They reactivate the organization's other Administrators in the console (Users).",
        url = reset::link(&args.link.public_url, &token),
    ))
}

async fn list_orgs(pool: &PgPool) -> Result<String, AdminError> {
    let rows = sqlx::query!(
        r#"SELECT o.id, o.kind, o.name,
                  (SELECT count(*) FROM users u WHERE u.org_id = o.id) AS "users!",
                  (SELECT count(*) FROM users u WHERE u.org_id = o.id AND u.account_type = 'administrator'
                                                    AND u.status = 'active') AS "admins!"
           FROM organizations o ORDER BY o.id"#
    )
    .fetch_all(pool)
    .await?;
    if rows.is_empty() {
        return Ok("No organizations yet: start with `portcullis admin bootstrap`.".to_owned());
    }
    let mut out = format!(
        "{:>6}  {:<8}  {:>5}  {:>13}  {}\n",
        "id", "kind", "users", "active admins", "name"
    );
    for o in rows {
        let (id, kind, users, admins, name) = (o.id, o.kind, o.users, o.admins, o.name);
        let _ = writeln!(out, "{id:>6}  {kind:<8}  {users:>5}  {admins:>13}  {name}");
    }
    Ok(out.trim_end().to_owned())
}

async fn unlock(pool: &PgPool, args: UnlockArgs) -> Result<String, AdminError> {
    let email = args.email.trim().to_lowercase();
    let mut tx = pool.begin().await?;
    let org = sqlx::query_scalar!("SELECT org_id FROM users WHERE lower(email) = $1", &email)
        .fetch_optional(&mut *tx)
        .await?;
    let lifted = throttle::unlock(&mut tx, &email).await?;
    if !lifted {
        return Err(refused(format!("{email} is not locked out")));
    }
    let event = Event {
        org: org.map(OrgId),
        action: "operator.unlock",
        target_type: "email",
        target_id: Some(email.clone()),
        before: None,
        after: None,
    };
    record(&mut tx, &Actor::operator("unlock-user"), event).await?;
    tx.commit().await?;
    Ok(format!("{email} may sign in again."))
}
