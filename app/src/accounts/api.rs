//! Server functions of the vendor console.
//!
//! Permissions: vendor staff only (not while switched into an account); a
//! customer not linked to the caller's vendor is "not found"; claim data,
//! settings, password links and switching in need the level the policy
//! names (`VendorReach` with `VendorNeed::Claims` / `Administer`: Full
//! Access). What vendor staff read or change in a customer's account is
//! recorded in that customer's audit, labelled with the vendor.

#[cfg(feature = "ssr")]
use crate::error::Found;
use leptos::prelude::*;

use super::{AccountDetail, AccountsPage, ClaimsOfAccount, ContactForm, SettingsForm};
#[cfg(feature = "ssr")]
use crate::{
    accounts::{
        ACCOUNT_CHANGED_ELSEWHERE, ACCOUNT_CLAIMS_PAGE_SIZE, ACCOUNT_NAME_TAKEN, ACCOUNT_SAVED,
        ACCOUNTS_PAGE_SIZE, AccountUser, EMAIL_TAKEN, LinkedAccount,
        db::{self, AccountRow},
    },
    api_keys::ApiKeyRow,
    audit::db::{Event, record},
    auth::reset::{self, Purpose},
    claims,
    db::one_page,
    db::substring_pattern,
    error::OnConstraint,
    mail::{
        MailKind, letters,
        outbox::{Mail, enqueue},
    },
    model::{
        account::{AccountSettings, NewAccountInput, validate_new_account},
        ids::VendorId,
        policy::{Action, VendorNeed},
        time::minute_utc,
        validation::Field,
    },
    org::db::create_parent_and_administrator,
    principal::{Caller, Request, serve},
};
use crate::{
    error::AppError,
    model::ids::{ClaimId, OrgId, UserId},
};
#[cfg(feature = "ssr")]
use chrono::{DateTime, Utc};
#[cfg(feature = "ssr")]
use serde_json::json;
#[cfg(feature = "ssr")]
use sqlx::PgConnection;

/// Manage Accounts: linked accounts whose name contains `search`, by name,
/// after the account `after` (keyset paging).
#[server(prefix = "/api", endpoint = "linked_accounts")]
pub async fn linked_accounts(
    search: String,
    after: Option<OrgId>,
) -> Result<AccountsPage, AppError> {
    serve(|request| async move {
        let caller = console(&request).await?;
        if search.chars().count() > 100 {
            return Err(AppError::field(
                Field::Search,
                "Search for at most 100 characters.",
            ));
        }
        let pattern = substring_pattern(&search);
        let vendor = vendor_of(&caller);
        let mut conn = request.state.pool.acquire().await?;
        let rows = db::page(&mut conn, vendor, &pattern, after, ACCOUNTS_PAGE_SIZE + 1).await?;
        let total = db::count(&mut conn, vendor, &pattern).await?;
        let (rows, next_after) = one_page(rows, ACCOUNTS_PAGE_SIZE, |row| row.id);
        let now = Utc::now();
        let accounts = rows
            .into_iter()
            .map(|row| linked(&caller, row, now))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(AccountsPage {
            may_add: caller.may(Action::Administer(caller.user.org)),
            next_after,
            accounts,
            total,
        })
    })
    .await
}

/// What Add new account shows about the service plans, and the onboarding
/// link: the deployment's configuration.
///
/// Permissions: the vendor's Administrators, who add accounts (as
/// `add_account`).
#[server(prefix = "/api", endpoint = "account_offer")]
pub async fn account_offer() -> Result<super::offer::AccountOffer, AppError> {
    serve(|request| async move {
        let caller = console(&request).await?;
        caller.check(Action::Administer(caller.user.org))?;
        Ok(request.state.account_offer.as_ref().clone())
    })
    .await
}

/// Add new account: creates the customer organization and its parent
/// company, links it to the caller's vendor (vendor-owned, Full Access) and
/// invites the contact as its first Administrator; answers with Edit Account.
#[server(prefix = "/api", endpoint = "add_account")]
pub async fn add_account(
    name: String,
    plan: String,
    settings: SettingsForm,
    contact: ContactForm,
) -> Result<OrgId, AppError> {
    serve(|request| async move {
        let caller = console(&request).await?;
        // Creating customers is the vendor's own administration.
        caller.check(Action::Administer(caller.user.org))?;
        let valid = validate_new_account(&NewAccountInput {
            name,
            settings: settings.checked(),
            first_name: contact.first_name,
            last_name: contact.last_name,
            email: contact.email,
            phone: contact.phone,
            plan,
        })
        .map_err(AppError::Invalid)?;
        let mut tx = request.state.pool.begin().await?;
        let org = db::insert_customer(&mut tx, &valid)
            .await?
            .ok_or_else(|| AppError::field(Field::CompanyName, ACCOUNT_NAME_TAKEN))?;
        if db::email_taken(&mut tx, &valid.email).await? {
            // Nothing is kept: the transaction rolls back with the answer.
            return Err(AppError::field(Field::Email, EMAIL_TAKEN));
        }
        let admin = create_parent_and_administrator(
            &mut tx,
            org.0,
            &valid.name,
            &valid.first_name,
            &valid.last_name,
            &valid.email,
        )
        .await
        // Taken by a request that committed since the check above.
        .on_constraint(&[("users_email_key", || {
            AppError::field(Field::Email, EMAIL_TAKEN)
        })])?;
        let admin = UserId(admin);
        db::link_owned(&mut tx, vendor_of(&caller), org).await?;
        let token = reset::issue(&mut tx, admin, Purpose::Invitation, Utc::now()).await?;
        let vendor = caller.snapshot.org.name.clone();
        let letter = letters::invited_by_vendor(
            &valid.first_name,
            &vendor,
            &valid.name,
            &reset::link(&request.state.mail.public_url, &token),
            &valid.email,
            &request.state.account_offer.onboarding_url,
        );
        let mail = Mail {
            org: Some(org),
            to: &valid.email,
            subject: &letter.subject,
            body: letter.body,
            kind: MailKind::Invitation(admin),
        };
        enqueue(&mut tx, mail).await?;
        let after = json!({
            "name": valid.name, "plan": valid.plan.key(), "settings": valid.settings,
            "administrator": valid.email, "phone": valid.phone, "vendor": vendor,
        });
        for log in [caller.user.org, org] {
            let event = Event::new(log, "account.create", "organization", org).after(after.clone());
            record(&mut tx, &caller.vendor_staff_actor(), event).await?;
        }
        tx.commit().await?;
        leptos_axum::redirect(&format!("/accounts/{org}?added"));
        Ok(org)
    })
    .await
}

/// Edit Account.
#[server(prefix = "/api", endpoint = "load_account")]
pub async fn load_account(customer_id: OrgId) -> Result<AccountDetail, AppError> {
    serve(|request| async move {
        let caller = console(&request).await?;
        let mut conn = request.state.pool.acquire().await?;
        let (account, settings, version) = account(&mut conn, &caller, customer_id).await?;
        let may_administer = caller.may(administer(customer_id));
        let users: Vec<AccountUser> = if may_administer {
            db::active_users(&mut conn, customer_id)
                .await?
                .into_iter()
                .map(|u| AccountUser {
                    id: u.id,
                    name: u.name,
                    email: u.email,
                })
                .collect()
        } else {
            Vec::new()
        };
        if !users.is_empty() {
            // The account's users' names and emails, read by its vendor.
            let event = Event::new(
                customer_id,
                "users.vendor_view",
                "organization",
                customer_id,
            )
            .after(json!({ "users": users.len() }));
            record(&mut conn, &caller.vendor_staff_actor(), event).await?;
        }
        let api_keys = if may_administer {
            crate::api_keys::db::list(&mut conn, vendor_of(&caller), customer_id)
                .await?
                .into_iter()
                .map(|k| ApiKeyRow {
                    id: k.id,
                    name: k.name,
                    prefix: k.prefix,
                    created: minute_utc(k.created_at),
                    created_by: k.created_by,
                    last_used: k.last_used_at.map(minute_utc),
                    revoked: k.revoked_at.map(minute_utc),
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(AccountDetail {
            account,
            settings,
            version,
            may_administer,
            users,
            second_factor: db::has_second_factor(&mut conn, caller.user.id).await?,
            api_keys,
        })
    })
    .await
}

/// Saves an account's settings (a checkbox sends "on" when ticked).
#[server(prefix = "/api", endpoint = "save_account_settings")]
pub async fn save_account_settings(
    customer_id: OrgId,
    version: i32,
    transmit_approval_required: Option<String>,
    professional_claims: Option<String>,
    institutional_claims: Option<String>,
    dental_claims: Option<String>,
) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = console(&request).await?;
        let mut tx = request.state.pool.begin().await?;
        let (_, before, current) = account(&mut tx, &caller, customer_id).await?;
        caller.vendor_reach(customer_id, VendorNeed::Administer)?;
        let settings = AccountSettings {
            transmit_approval_required: transmit_approval_required.is_some(),
            professional_claims: professional_claims.is_some(),
            institutional_claims: institutional_claims.is_some(),
            dental_claims: dental_claims.is_some(),
        }
        .validate()
        .map_err(AppError::Invalid)?;
        if current != version
            || !db::save_settings(&mut tx, customer_id, version, &settings).await?
        {
            return Err(AppError::Conflict(ACCOUNT_CHANGED_ELSEWHERE.to_owned()));
        }
        let event = Event::new(customer_id, "account.settings", "organization", customer_id)
            .before(json!(before))
            .after(json!(settings));
        record(&mut tx, &caller.vendor_staff_actor(), event).await?;
        tx.commit().await?;
        Ok(ACCOUNT_SAVED.to_owned())
    })
    .await
}

/// Sends a password link to a user of the account.
#[server(prefix = "/api", endpoint = "send_password_link")]
pub async fn send_password_link(customer_id: OrgId, user_id: UserId) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = console(&request).await?;
        let mut tx = request.state.pool.begin().await?;
        let (account, ..) = account(&mut tx, &caller, customer_id).await?;
        caller.vendor_reach(customer_id, VendorNeed::Administer)?;
        let (first_name, email) = db::active_user(&mut tx, customer_id, user_id)
            .await?
            .ok_or_else(|| {
                AppError::field(Field::User, "Choose an active user of this account.")
            })?;
        let token = reset::issue(&mut tx, user_id, Purpose::Reset, Utc::now()).await?;
        let letter = letters::password_link_from_vendor(
            &first_name,
            &caller.snapshot.org.name,
            &account.name,
            &email,
            &reset::link(&request.state.mail.public_url, &token),
        );
        let mail = Mail {
            org: Some(customer_id),
            to: &email,
            subject: &letter.subject,
            body: letter.body,
            kind: MailKind::PasswordReset(user_id),
        };
        enqueue(&mut tx, mail).await?;
        let event = Event::about_user(customer_id, "user.password_link", user_id);
        record(&mut tx, &caller.vendor_staff_actor(), event).await?;
        tx.commit().await?;
        Ok(format!("A password link has been sent to {email}."))
    })
    .await
}

/// A linked customer's claims, newest first, after `after` (keyset paging).
#[server(prefix = "/api", endpoint = "account_claims")]
pub async fn account_claims(
    customer_id: OrgId,
    after: Option<ClaimId>,
) -> Result<ClaimsOfAccount, AppError> {
    serve(|request| async move {
        let caller = console(&request).await?;
        caller.vendor_reach(customer_id, VendorNeed::Claims)?;
        let mut conn = request.state.pool.acquire().await?;
        let claims = claims::db::of_organization(
            &mut conn,
            customer_id,
            after,
            ACCOUNT_CLAIMS_PAGE_SIZE + 1,
        )
        .await?;
        let (claims, next_after) = one_page(claims, ACCOUNT_CLAIMS_PAGE_SIZE, |c| c.id);
        let account = crate::org::db::name(&mut conn, customer_id).await?;
        // Vendor staff reading a customer's claims: the customer's log says so.
        let event = Event::new(
            customer_id,
            "claims.vendor_view",
            "organization",
            customer_id,
        )
        .after(json!({ "rows": claims.len(), "after": after }));
        record(&mut conn, &caller.vendor_staff_actor(), event).await?;
        Ok(ClaimsOfAccount {
            account,
            next_after,
            claims,
        })
    })
    .await
}

/// The caller, if the vendor console is theirs (vendor staff, not switched in).
#[cfg(feature = "ssr")]
pub(super) async fn console(request: &Request) -> Result<Caller, AppError> {
    request.caller().await?.allowed(Action::SeeLinkedAccounts)
}

/// The caller's vendor.
#[cfg(feature = "ssr")]
pub(super) fn vendor_of(caller: &Caller) -> VendorId {
    VendorId(caller.user.org.0)
}

#[cfg(feature = "ssr")]
fn administer(customer: OrgId) -> Action<'static> {
    Action::VendorReach {
        customer,
        need: VendorNeed::Administer,
    }
}

#[cfg(feature = "ssr")]
fn linked(caller: &Caller, row: AccountRow, now: DateTime<Utc>) -> Result<LinkedAccount, AppError> {
    let link = caller
        .snapshot
        .vendor_links
        .iter()
        .find(|l| l.customer == row.id)
        .ok_or(AppError::NotFound)?;
    Ok(LinkedAccount {
        id: row.id,
        name: row.name,
        vendor_owned: row.vendor_owned,
        tier: link.grant.tier_at(now),
        described: link.grant.describe(now),
        plan: row.service_plan,
        set_up: row.set_up,
    })
}

/// The linked account `customer` as the caller's vendor sees it;
/// `NotFound` for any other organization.
#[cfg(feature = "ssr")]
pub(super) async fn account(
    conn: &mut PgConnection,
    caller: &Caller,
    customer: OrgId,
) -> Result<(LinkedAccount, AccountSettings, i32), AppError> {
    let found = db::linked(conn, vendor_of(caller), customer)
        .await
        .found()?;
    let (settings, version) = db::settings(conn, customer).await?;
    Ok((linked(caller, found, Utc::now())?, settings, version))
}
