//! Typed ids, so the id of one kind of thing can never be passed as another's.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// An organization: a customer organization or a vendor.
    OrgId
);
id_type!(
    /// A company of a customer organization: its parent company or a child.
    CompanyId
);
id_type!(
    /// A user of any organization.
    UserId
);
id_type!(
    /// A role ("user group") of one organization.
    RoleId
);
id_type!(
    /// A vendor: the id of an organization whose kind is vendor.
    VendorId
);

impl VendorId {
    /// The vendor's own organization.
    pub fn org(self) -> OrgId {
        OrgId(self.0)
    }
}
