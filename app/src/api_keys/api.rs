//! Server functions for API keys on Edit Account.
//!
//! Permissions: vendor staff with Full Access to the account (policy
//! `VendorReach` / `Administer`); another organization's account is "not
//! found". Generating and revoking are recorded in the customer's audit,
//! labelled with the vendor.

#[cfg(feature = "ssr")]
use crate::error::Found;
use leptos::prelude::*;

use super::NewApiKey;
#[cfg(feature = "ssr")]
use crate::{
    api_keys::{KEY_NAME_MESSAGE, db, keys},
    audit::db::{Event, record},
    model::{
        ids::VendorId,
        policy::{Action, VendorNeed},
        validation::Field,
    },
    principal::Caller,
    principal::{Request, serve},
};
use crate::{
    error::AppError,
    model::ids::{ApiKeyId, OrgId},
};
#[cfg(feature = "ssr")]
use serde_json::json;

/// Generates a named key for the account; the answer is the only time the
/// key is shown.
#[server(prefix = "/api", endpoint = "create_api_key")]
pub async fn create_api_key(customer_id: OrgId, name: String) -> Result<NewApiKey, AppError> {
    serve(|request| async move {
        let caller = administering(&request, customer_id).await?;
        let name = name.trim().to_owned();
        if name.is_empty()
            || name.chars().count() > 100
            || name.chars().any(crate::model::validation::is_hidden)
        {
            return Err(AppError::field(Field::KeyName, KEY_NAME_MESSAGE));
        }
        let (key, prefix, hash) = keys::generate().map_err(AppError::internal)?;
        let mut tx = request.state.pool.begin().await?;
        let new = db::NewKey {
            vendor: VendorId(caller.user.org.0),
            customer: customer_id,
            name: &name,
            prefix: &prefix,
            hash: &hash,
            created_by: caller.user.id,
        };
        let id = db::insert(&mut tx, &new).await?;
        let event = Event::new(customer_id, "api_key.create", "api_key", id)
            .after(json!({ "name": name, "prefix": prefix }));
        record(&mut tx, &caller.vendor_staff_actor(), event).await?;
        tx.commit().await?;
        Ok(NewApiKey { id, name, key })
    })
    .await
}

/// Revokes a key of the account at once.
#[server(prefix = "/api", endpoint = "revoke_api_key")]
pub async fn revoke_api_key(customer_id: OrgId, key_id: ApiKeyId) -> Result<String, AppError> {
    serve(|request| async move {
        let caller = administering(&request, customer_id).await?;
        let mut tx = request.state.pool.begin().await?;
        let vendor = VendorId(caller.user.org.0);
        let (name, prefix) = db::revoke(&mut tx, vendor, customer_id, key_id)
            .await
            .found()?;
        let event = Event::new(customer_id, "api_key.revoke", "api_key", key_id)
            .before(json!({ "name": name, "prefix": prefix }));
        record(&mut tx, &caller.vendor_staff_actor(), event).await?;
        tx.commit().await?;
        Ok(format!("The key {name} ({prefix}…) no longer works."))
    })
    .await
}

/// Vendor staff with Full Access to `customer`, a linked account.
#[cfg(feature = "ssr")]
async fn administering(request: &Request, customer: OrgId) -> Result<Caller, AppError> {
    let caller = request.caller().await?.allowed(Action::SeeLinkedAccounts)?;
    caller.vendor_reach(customer, VendorNeed::Administer)?;
    Ok(caller)
}
