//! The principal as the audit log names it: who acted, where, and in
//! which request.

use crate::{
    model::{
        ids::{CompanyId, UserId, VendorId},
        user::User,
    },
    request_id::RequestId,
};

/// Who acted, where, and in which request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// None for the platform operator's command line.
    pub user: Option<UserId>,
    /// As they were named at the time, e.g. "Ann Lee <ann@example.com>".
    pub label: String,
    pub acting_company: Option<CompanyId>,
    /// Vendor staff acting in a linked customer's account, switched in or
    /// from the vendor console: the customer's log labels them with it.
    pub acting_vendor: Option<VendorId>,
    pub request: RequestId,
}

impl Actor {
    /// A user acting in no particular company (signing in and out, their
    /// own profile, a change by an Administrator); for the signed-in
    /// caller, `Caller::actor` fills in the rest.
    pub fn user(user: &User, request: &RequestId) -> Self {
        Self {
            user: Some(user.id),
            label: format!("{} <{}>", user.full_name(), user.email),
            acting_company: None,
            acting_vendor: None,
            request: request.clone(),
        }
    }

    /// Someone not signed in, named by what is known of them (the client
    /// of a failed sign-in or of a reset request).
    pub fn anonymous(label: String, request: &RequestId) -> Self {
        Self {
            user: None,
            label,
            acting_company: None,
            acting_vendor: None,
            request: request.clone(),
        }
    }

    /// Portcullis itself, e.g. a timed grant coming to its end.
    pub fn system(what: &str) -> Self {
        Self {
            user: None,
            label: format!("Portcullis ({what})"),
            acting_company: None,
            acting_vendor: None,
            request: RequestId::none(),
        }
    }

    /// Vendor staff acting in a linked customer's account from their own
    /// console: the customer's log shows them labelled with their vendor.
    pub fn vendor_staff(user: &User, request: &RequestId) -> Self {
        Self {
            acting_vendor: Some(VendorId(user.org.0)),
            ..Self::user(user, request)
        }
    }

    /// The platform operator, acting from the server's command line.
    pub fn operator(what: &str) -> Self {
        Self {
            user: None,
            label: format!("operator ({what})"),
            acting_company: None,
            acting_vendor: None,
            request: RequestId::none(),
        }
    }
}
