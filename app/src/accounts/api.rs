//! Server functions of the vendor console.
//!
//! Permissions: vendor staff only (not while switched into an account); a
//! customer not linked to the caller's vendor is "not found"; claim data,
//! settings, password links and switching in need the level the policy
//! names (`VendorReach` with `VendorNeed::Claims` / `Administer`: Full
//! Access). What vendor staff read or change in a customer's account is
//! recorded in that customer's audit, labelled with the vendor.

use leptos::prelude::*;

use super::{AccountDetail, AccountsPage, ClaimsOfAccount};
use crate::error::AppError;

/// Manage Accounts: linked accounts whose name contains `search`, by name,
/// after the account `after` (keyset paging).
#[server(prefix = "/api", endpoint = "linked_accounts")]
pub async fn linked_accounts(search: String, after: Option<i64>) -> Result<AccountsPage, AppError> {
    ssr::accounts(search, after)
        .await
        .map_err(AppError::respond)
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
) -> Result<i64, AppError> {
    let input = crate::model::account::NewAccountInput {
        name,
        settings: settings.checked(),
        first_name: contact.first_name,
        last_name: contact.last_name,
        email: contact.email,
        phone: contact.phone,
        plan,
    };
    ssr::add(input).await.map_err(AppError::respond)
}

/// The settings' checkboxes as a form sends them (`settings[dental_claims]=on`;
/// an unticked box is not sent at all).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub transmit_approval_required: Option<String>,
    pub professional_claims: Option<String>,
    pub institutional_claims: Option<String>,
    pub dental_claims: Option<String>,
}

impl SettingsForm {
    pub fn checked(&self) -> crate::model::account::AccountSettings {
        crate::model::account::AccountSettings {
            transmit_approval_required: self.transmit_approval_required.is_some(),
            professional_claims: self.professional_claims.is_some(),
            institutional_claims: self.institutional_claims.is_some(),
            dental_claims: self.dental_claims.is_some(),
        }
    }
}

/// The primary admin contact (`contact[first_name]=…`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
}

/// Edit Account.
#[server(prefix = "/api", endpoint = "load_account")]
pub async fn load_account(customer_id: i64) -> Result<AccountDetail, AppError> {
    ssr::load(customer_id).await.map_err(AppError::respond)
}

/// Saves an account's settings (a checkbox sends "on" when ticked).
#[server(prefix = "/api", endpoint = "save_account_settings")]
pub async fn save_account_settings(
    customer_id: i64,
    version: i32,
    transmit_approval_required: Option<String>,
    professional_claims: Option<String>,
    institutional_claims: Option<String>,
    dental_claims: Option<String>,
) -> Result<String, AppError> {
    let settings = crate::model::account::AccountSettings {
        transmit_approval_required: transmit_approval_required.is_some(),
        professional_claims: professional_claims.is_some(),
        institutional_claims: institutional_claims.is_some(),
        dental_claims: dental_claims.is_some(),
    };
    ssr::save(customer_id, version, settings)
        .await
        .map_err(AppError::respond)
}

/// Sends a password link to a user of the account.
#[server(prefix = "/api", endpoint = "send_password_link")]
pub async fn send_password_link(customer_id: i64, user_id: i64) -> Result<String, AppError> {
    ssr::password_link(customer_id, user_id)
        .await
        .map_err(AppError::respond)
}

/// Switch to account: the caller acts as the account's Administrator until
/// they return (or the customer lowers the grant); answers with the start
/// page.
#[server(prefix = "/api", endpoint = "switch_to_account")]
pub async fn switch_to_account(customer_id: i64) -> Result<(), AppError> {
    ssr::switch(customer_id).await.map_err(AppError::respond)
}

/// Back from a customer's account to the vendor's own.
#[server(prefix = "/api", endpoint = "return_to_vendor")]
pub async fn return_to_vendor() -> Result<(), AppError> {
    ssr::leave().await.map_err(AppError::respond)
}

/// A linked customer's claims, newest first, after `after` (keyset paging).
#[server(prefix = "/api", endpoint = "account_claims")]
pub async fn account_claims(
    customer_id: i64,
    after: Option<i64>,
) -> Result<ClaimsOfAccount, AppError> {
    ssr::claims(customer_id, after)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use chrono::{DateTime, Utc};
    use serde_json::json;
    use sqlx::PgConnection;

    use super::super::{
        ACCOUNT_CHANGED_ELSEWHERE, ACCOUNT_CLAIMS_PAGE_SIZE, ACCOUNT_NAME_TAKEN, ACCOUNT_SAVED,
        ACCOUNTS_PAGE_SIZE, AccountDetail, AccountUser, AccountsPage, ClaimsOfAccount, EMAIL_TAKEN,
        LinkedAccount, SWITCH_NEEDS_TWO_FACTOR,
        db::{self, AccountRow},
    };
    use crate::{
        audit::db::{Actor, Event, record},
        auth::{
            gate::Caller,
            reset::{self, Purpose},
            session,
        },
        claims,
        db::substring_pattern,
        error::AppError,
        mail::outbox::{Mail, enqueue},
        model::{
            access::{Action, VendorNeed},
            account::{AccountSettings, NewAccountInput, validate_new_account},
            ids::{OrgId, UserId},
            user::User,
            validation::Field,
        },
        org::db::create_parent_and_administrator,
        state::AppState,
    };

    fn linked(
        caller: &Caller,
        row: AccountRow,
        now: DateTime<Utc>,
    ) -> Result<LinkedAccount, AppError> {
        let link = caller
            .snapshot
            .vendor_links
            .iter()
            .find(|l| l.customer.0 == row.id)
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

    pub async fn accounts(search: String, after: Option<i64>) -> Result<AccountsPage, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state)
            .await?
            .allowed(Action::SeeLinkedAccounts)?;
        if search.chars().count() > 100 {
            return Err(AppError::field(
                Field::Search,
                "Search for at most 100 characters.",
            ));
        }
        let pattern = substring_pattern(&search);
        let vendor = caller.user.org.0;
        let mut conn = state.pool.acquire().await?;
        let rows = db::page(&mut conn, vendor, &pattern, after, ACCOUNTS_PAGE_SIZE + 1).await?;
        let total = db::count(&mut conn, vendor, &pattern).await?;
        let more = rows.len() as i64 > ACCOUNTS_PAGE_SIZE;
        let now = Utc::now();
        let accounts = rows
            .into_iter()
            .take(ACCOUNTS_PAGE_SIZE as usize)
            .map(|row| linked(&caller, row, now))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(AccountsPage {
            may_add: caller.may(Action::Administer(caller.user.org)),
            next_after: if more {
                accounts.last().map(|a| a.id)
            } else {
                None
            },
            accounts,
            total,
        })
    }

    /// The linked account `customer` as the caller's vendor sees it;
    /// `NotFound` for any other organization.
    async fn account(
        conn: &mut PgConnection,
        caller: &Caller,
        customer: i64,
    ) -> Result<(LinkedAccount, AccountSettings, i32), AppError> {
        let found = db::linked(conn, caller.user.org.0, customer)
            .await?
            .ok_or(AppError::NotFound)?;
        let (settings, version) = db::settings(conn, customer).await?;
        Ok((linked(caller, found, Utc::now())?, settings, version))
    }

    fn administer(customer: i64) -> Action<'static> {
        Action::VendorReach {
            customer: OrgId(customer),
            need: VendorNeed::Administer,
        }
    }

    pub async fn load(customer: i64) -> Result<AccountDetail, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state)
            .await?
            .allowed(Action::SeeLinkedAccounts)?;
        let mut conn = state.pool.acquire().await?;
        let (account, settings, version) = self::account(&mut conn, &caller, customer).await?;
        let may_administer = caller.may(administer(customer));
        let users = if may_administer {
            sqlx::query_as::<_, (i64, String, String)>(
                "SELECT id, first_name || ' ' || last_name, email FROM users
                 WHERE org_id = $1 AND status = 'active' ORDER BY lower(last_name), lower(first_name), id",
            )
            .bind(customer)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|(id, name, email)| AccountUser { id, name, email })
            .collect()
        } else {
            Vec::new()
        };
        if !users.is_empty() {
            // The account's users' names and emails, read by its vendor.
            let event = Event {
                org: Some(OrgId(customer)),
                action: "users.vendor_view",
                target_type: "organization",
                target_id: Some(customer.to_string()),
                before: None,
                after: Some(json!({ "users": users.len() })),
            };
            record(&mut conn, &caller.vendor_staff_actor(), event).await?;
        }
        let api_keys = if may_administer {
            crate::api_keys::api::ssr::list(&mut conn, caller.user.org.0, customer).await?
        } else {
            Vec::new()
        };
        Ok(AccountDetail {
            account,
            settings,
            version,
            may_administer,
            users,
            second_factor: has_second_factor(&mut conn, &caller).await?,
            api_keys,
        })
    }

    pub async fn save(
        customer: i64,
        version: i32,
        settings: AccountSettings,
    ) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state)
            .await?
            .allowed(Action::SeeLinkedAccounts)?;
        let mut tx = state.pool.begin().await?;
        let (_, before, current) = self::account(&mut tx, &caller, customer).await?;
        caller.vendor_reach(OrgId(customer), VendorNeed::Administer)?;
        let settings = settings.validate().map_err(AppError::Invalid)?;
        if current != version {
            return Err(AppError::Conflict(ACCOUNT_CHANGED_ELSEWHERE.to_owned()));
        }
        let updated = sqlx::query(
            "UPDATE organizations SET transmit_approval_required = $3, professional_claims = $4,
                    institutional_claims = $5, dental_claims = $6, version = version + 1
             WHERE id = $1 AND version = $2",
        )
        .bind(customer)
        .bind(version)
        .bind(settings.transmit_approval_required)
        .bind(settings.professional_claims)
        .bind(settings.institutional_claims)
        .bind(settings.dental_claims)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated != 1 {
            return Err(AppError::Conflict(ACCOUNT_CHANGED_ELSEWHERE.to_owned()));
        }
        let event = Event {
            org: Some(OrgId(customer)),
            action: "account.settings",
            target_type: "organization",
            target_id: Some(customer.to_string()),
            before: Some(json!(before)),
            after: Some(json!(settings)),
        };
        record(&mut tx, &caller.vendor_staff_actor(), event).await?;
        tx.commit().await?;
        Ok(ACCOUNT_SAVED.to_owned())
    }

    pub async fn add(input: NewAccountInput) -> Result<i64, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state)
            .await?
            .allowed(Action::SeeLinkedAccounts)?;
        // Creating customers is the vendor's own administration.
        caller.check(Action::Administer(caller.user.org))?;
        let valid = validate_new_account(&input).map_err(AppError::Invalid)?;
        let mut tx = state.pool.begin().await?;
        let org: Option<i64> = sqlx::query_scalar(
            "INSERT INTO organizations (name, kind, transmit_approval_required, professional_claims,
                                        institutional_claims, dental_claims, service_plan, contact_phone)
             VALUES ($1, 'customer', $2, $3, $4, $5, $6, $7)
             ON CONFLICT (lower(name)) DO NOTHING RETURNING id",
        )
        .bind(&valid.name)
        .bind(valid.settings.transmit_approval_required)
        .bind(valid.settings.professional_claims)
        .bind(valid.settings.institutional_claims)
        .bind(valid.settings.dental_claims)
        .bind(valid.plan.key())
        .bind(&valid.phone)
        .fetch_optional(&mut *tx)
        .await?;
        let org = org.ok_or_else(|| AppError::field(Field::CompanyName, ACCOUNT_NAME_TAKEN))?;
        let taken: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = $1)")
                .bind(&valid.email)
                .fetch_one(&mut *tx)
                .await?;
        if taken {
            // Nothing is kept: the transaction rolls back with the answer.
            return Err(AppError::field(Field::Email, EMAIL_TAKEN));
        }
        let admin = create_parent_and_administrator(
            &mut tx,
            org,
            &valid.name,
            &valid.first_name,
            &valid.last_name,
            &valid.email,
        )
        .await
        .map_err(|e| match &e {
            // Taken by a request that committed since the check above.
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                AppError::field(Field::Email, EMAIL_TAKEN)
            }
            _ => AppError::internal(e),
        })?;
        sqlx::query(
            "INSERT INTO vendor_links (vendor_id, customer_id, vendor_owned, tier) VALUES ($1, $2, true, 'full')",
        )
        .bind(caller.user.org.0)
        .bind(org)
        .execute(&mut *tx)
        .await?;
        let token = reset::issue(&mut tx, UserId(admin), Purpose::Invitation, Utc::now()).await?;
        let vendor = caller.snapshot.org.name.clone();
        let body = format!(
            "Hello {first},\n\n\
             {vendor} set up {name} on Portcullis, the access console of your billing platform, and\n\
             named you its first Administrator. Choose your password here (the link works once,\n\
             within seven days); you will then set up two-factor sign-in:\n\n\
             {link}\n\n\
             Your sign-in email is {email}.\n",
            first = valid.first_name,
            name = valid.name,
            link = reset::link(&state.mail.public_url, &token),
            email = valid.email,
        );
        enqueue(
            &mut tx,
            Mail {
                org: Some(OrgId(org)),
                to: &valid.email,
                subject: &format!("You are invited to {} on Portcullis", valid.name),
                body,
                kind: crate::mail::MailKind::Invitation(UserId(admin)),
            },
        )
        .await?;
        let after = json!({
            "name": valid.name, "plan": valid.plan.key(), "settings": valid.settings,
            "administrator": valid.email, "phone": valid.phone, "vendor": vendor,
        });
        for log in [caller.user.org, OrgId(org)] {
            let event = Event {
                org: Some(log),
                action: "account.create",
                target_type: "organization",
                target_id: Some(org.to_string()),
                before: None,
                after: Some(after.clone()),
            };
            record(&mut tx, &caller.vendor_staff_actor(), event).await?;
        }
        tx.commit().await?;
        leptos_axum::redirect(&format!("/accounts/{org}?added"));
        Ok(org)
    }

    pub async fn password_link(customer: i64, user_id: i64) -> Result<String, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state)
            .await?
            .allowed(Action::SeeLinkedAccounts)?;
        let mut tx = state.pool.begin().await?;
        let (account, ..) = self::account(&mut tx, &caller, customer).await?;
        caller.vendor_reach(OrgId(customer), VendorNeed::Administer)?;
        let user: Option<(String, String)> = sqlx::query_as(
            "SELECT first_name, email FROM users WHERE id = $1 AND org_id = $2 AND status = 'active'",
        )
        .bind(user_id)
        .bind(customer)
        .fetch_optional(&mut *tx)
        .await?;
        let (first_name, email) = user.ok_or_else(|| {
            AppError::field(Field::User, "Choose an active user of this account.")
        })?;
        let token = reset::issue(&mut tx, UserId(user_id), Purpose::Reset, Utc::now()).await?;
        let vendor = caller.snapshot.org.name.clone();
        let body = format!(
            "Hello {first_name},\n\n\
             {vendor}, the vendor that manages {account} with you, sent you a link to choose a new\n\
             password for your Portcullis account {email} (the link works once, within one hour):\n\n\
             {link}\n\n\
             If you did not expect this, ignore this message: your password stays as it is.\n",
            link = reset::link(&state.mail.public_url, &token),
            account = account.name,
        );
        enqueue(
            &mut tx,
            Mail {
                org: Some(OrgId(customer)),
                to: &email,
                subject: "Choose a new Portcullis password",
                body,
                kind: crate::mail::MailKind::PasswordReset(UserId(user_id)),
            },
        )
        .await?;
        let event = Event::about_user(OrgId(customer), "user.password_link", user_id);
        record(&mut tx, &caller.vendor_staff_actor(), event).await?;
        tx.commit().await?;
        Ok(format!("A password link has been sent to {email}."))
    }

    async fn has_second_factor(conn: &mut PgConnection, caller: &Caller) -> Result<bool, AppError> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM user_totp WHERE user_id = $1 AND confirmed_at IS NOT NULL)",
        )
        .bind(caller.user.id.0)
        .fetch_one(conn)
        .await
        .map_err(AppError::internal)
    }

    pub async fn switch(customer: i64) -> Result<(), AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state)
            .await?
            .allowed(Action::SeeLinkedAccounts)?;
        let mut tx = state.pool.begin().await?;
        let (account, ..) = self::account(&mut tx, &caller, customer).await?;
        caller.vendor_reach(OrgId(customer), VendorNeed::Administer)?;
        if !has_second_factor(&mut tx, &caller).await? {
            return Err(AppError::Conflict(SWITCH_NEEDS_TWO_FACTOR.to_owned()));
        }
        // In both logs: the vendor's (its staff went somewhere) and the
        // customer's (a vendor came in).
        let after = json!({ "account": account.name, "vendor": caller.snapshot.org.name });
        for org in [caller.user.org, OrgId(customer)] {
            let event = Event {
                org: Some(org),
                action: "vendor.switch_in",
                target_type: "organization",
                target_id: Some(customer.to_string()),
                before: None,
                after: Some(after.clone()),
            };
            record(&mut tx, &caller.vendor_staff_actor(), event).await?;
        }
        // The session changes only once the events are kept.
        tx.commit().await?;
        session::switch_into(&caller.session, OrgId(customer)).await?;
        leptos_axum::redirect("/");
        Ok(())
    }

    pub async fn leave() -> Result<(), AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state).await?;
        let Some(vendor) = &caller.vendor else {
            // Only vendor staff ever switch in; anyone else is refused.
            caller.check(Action::SeeLinkedAccounts(caller.user.org))?;
            return Err(AppError::Conflict(
                "You are not in a customer's account.".to_owned(),
            ));
        };
        let mut tx = state.pool.begin().await?;
        let customer = caller.user.org;
        let after = json!({ "account": caller.snapshot.org.name, "vendor": vendor.name });
        for org in [vendor.id, customer] {
            let event = Event {
                org: Some(org),
                action: "vendor.switch_out",
                target_type: "organization",
                target_id: Some(customer.0.to_string()),
                before: None,
                after: Some(after.clone()),
            };
            record(
                &mut tx,
                &Actor::vendor_staff(
                    &User {
                        org: vendor.id,
                        ..caller.user.clone()
                    },
                    &caller.request,
                ),
                event,
            )
            .await?;
        }
        tx.commit().await?;
        session::leave_switch(&caller.session).await?;
        leptos_axum::redirect(&format!("/accounts/{}", customer.0));
        Ok(())
    }

    pub async fn claims(customer: i64, after: Option<i64>) -> Result<ClaimsOfAccount, AppError> {
        let state = AppState::current()?;
        let caller = Caller::current(&state)
            .await?
            .allowed(Action::SeeLinkedAccounts)?;
        let customer = OrgId(customer);
        caller.vendor_reach(customer, VendorNeed::Claims)?;
        let mut conn = state.pool.acquire().await?;
        let mut claims =
            claims::db::of_organization(&mut conn, customer.0, after, ACCOUNT_CLAIMS_PAGE_SIZE + 1)
                .await?;
        let more = claims.len() as i64 > ACCOUNT_CLAIMS_PAGE_SIZE;
        claims.truncate(ACCOUNT_CLAIMS_PAGE_SIZE as usize);
        let account: String = sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
            .bind(customer.0)
            .fetch_one(&mut *conn)
            .await?;
        // Vendor staff reading a customer's claims: the customer's log says so.
        let event = Event {
            org: Some(customer),
            action: "claims.vendor_view",
            target_type: "organization",
            target_id: Some(customer.0.to_string()),
            before: None,
            after: Some(json!({ "rows": claims.len(), "after": after })),
        };
        record(&mut conn, &caller.vendor_staff_actor(), event).await?;
        Ok(ClaimsOfAccount {
            account,
            next_after: if more {
                claims.last().map(|c| c.id)
            } else {
                None
            },
            claims,
        })
    }
}
