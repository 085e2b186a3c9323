//! Switch to account (seed 003) and back: vendor staff with Full Access
//! act as a linked account's Administrator, in a switch the customer sees
//! in its log and that ends when they return or the grant falls.
//!
//! Permissions: vendor staff with Full Access to the account and two-factor
//! sign-in switch in; whoever is switched in (or was, until the grant fell)
//! returns.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    accounts::{
        SWITCH_NEEDS_TWO_FACTOR,
        api::{account, console, vendor_of},
        db,
    },
    audit::db::{Event, record},
    model::{
        policy::{Action, VendorNeed},
        user::User,
    },
    org::switches,
    principal::Actor,
    principal::serve,
    principal::{Caller, session},
};
use crate::{error::AppError, model::ids::OrgId};
#[cfg(feature = "ssr")]
use serde_json::json;

/// Switch to account: the caller acts as the account's Administrator until
/// they return (or the customer lowers the grant); answers with the start
/// page.
#[server(prefix = "/api", endpoint = "switch_to_account")]
pub async fn switch_to_account(customer_id: OrgId) -> Result<(), AppError> {
    serve(|request| async move {
        let caller = console(&request).await?;
        let mut tx = request.state.pool.begin().await?;
        let (account, ..) = account(&mut tx, &caller, customer_id).await?;
        caller.vendor_reach(customer_id, VendorNeed::Administer)?;
        if !db::has_second_factor(&mut tx, caller.user.id).await? {
            return Err(AppError::Conflict(SWITCH_NEEDS_TWO_FACTOR.to_owned()));
        }
        let vendor = vendor_of(&caller);
        let switch = switches::open(&mut tx, vendor, customer_id, caller.user.id).await?;
        // In both logs: the vendor's (its staff went somewhere) and the
        // customer's (a vendor came in).
        let after = json!({ "account": account.name, "vendor": caller.snapshot.org.name });
        for org in [caller.user.org, customer_id] {
            let event = Event::new(org, "vendor.switch_in", "organization", customer_id)
                .after(after.clone());
            record(&mut tx, &caller.vendor_staff_actor(), event).await?;
        }
        // The session changes only once the switch and its events are kept.
        tx.commit().await?;
        let switch = session::Switch {
            id: switch,
            customer: customer_id,
        };
        session::switch_into(&caller.session, switch).await?;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// Back from a customer's account to the vendor's own, also after the
/// switch lapsed (the customer lowered the grant meanwhile).
#[server(prefix = "/api", endpoint = "return_to_vendor")]
pub async fn return_to_vendor() -> Result<(), AppError> {
    serve(|request| async move {
        let caller = Caller::describe(&request, request.user().await?).await?;
        let (vendor, customer, switch) = match (&caller.vendor, caller.lapsed_switch) {
            (Some(vendor), _) => {
                let switch = session::switch(&caller.session).await?;
                (vendor.clone(), caller.user.org, switch)
            }
            (None, Some(lapsed)) => (caller.snapshot.org.clone(), lapsed.customer, Some(lapsed)),
            (None, None) => {
                // Only vendor staff ever switch in; anyone else is refused.
                caller.check(Action::SeeLinkedAccounts(caller.user.org))?;
                return Err(AppError::Conflict(
                    "You are not in a customer's account.".to_owned(),
                ));
            }
        };
        let staff = User {
            org: vendor.id,
            ..caller.user.clone()
        };
        let mut tx = request.state.pool.begin().await?;
        // A switch still open ends here; one the grant's change ended was
        // recorded by that change.
        let ended = match switch {
            Some(switch) => switches::end_returned(&mut tx, switch.id, staff.id).await?,
            None => false,
        };
        if ended {
            let account = crate::org::db::name(&mut tx, customer).await?;
            let after = json!({ "account": account, "vendor": vendor.name });
            for org in [vendor.id, customer] {
                let event = Event::new(org, "vendor.switch_out", "organization", customer)
                    .after(after.clone());
                record(
                    &mut tx,
                    &Actor::vendor_staff(&staff, &caller.request),
                    event,
                )
                .await?;
            }
        }
        tx.commit().await?;
        session::leave_switch(&caller.session).await?;
        leptos_axum::redirect(&format!("/accounts/{customer}"));
        Ok(())
    })
    .await
}
