//! Typed ids, so the id of one kind of thing can never be passed as another's.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map(Self)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

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

id_type!(
    /// A support ticket.
    TicketId
);
id_type!(
    /// A claim of a customer's company.
    ClaimId
);
id_type!(
    /// A payer or a facility of a company (which of the two, the request says).
    EntryId
);
id_type!(
    /// An event of the audit log.
    EventId
);
id_type!(
    /// A message of the email outbox.
    MailId
);
id_type!(
    /// A vendor's API key for one linked account.
    ApiKeyId
);

id_type!(
    /// A request to link a customer to a vendor.
    LinkRequestId
);
id_type!(
    /// A change platform staff proposed, applied on a second one's approval.
    ChangeId
);

impl VendorId {
    /// The vendor's own organization.
    pub fn org(self) -> OrgId {
        OrgId(self.0)
    }
}
