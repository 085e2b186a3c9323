//! What the demo holds: its organizations' users, roles with companies,
//! payers, facilities, tickets and claims, as data the seeder writes.

use app::model::role::RoleTemplate;

pub(super) const CHILDREN: [&str; 4] = [
    "North Clinic",
    "South Clinic",
    "East Clinic",
    "Harbor Imaging",
];

/// A demo user: (first, last, email, account type, user type, role, home or
/// default company, direct companies, support user, active).
pub(super) struct DemoUser {
    pub(super) first: &'static str,
    pub(super) last: &'static str,
    pub(super) email: &'static str,
    pub(super) admin: bool,
    pub(super) customer_type: bool,
    pub(super) role: Option<RoleTemplate>,
    pub(super) default_company: Option<&'static str>,
    pub(super) direct: &'static [&'static str],
    pub(super) support: bool,
    pub(super) active: bool,
}

/// The platform's staff: a Platform Administrator and a Support Agent.
pub(super) const PLATFORM_USERS: [DemoUser; 2] = [
    DemoUser {
        first: "Paula",
        last: "Platform",
        email: "paula.platform@portcullis.example",
        admin: true,
        customer_type: false,
        role: None,
        default_company: None,
        direct: &[],
        support: false,
        active: true,
    },
    DemoUser {
        first: "Sean",
        last: "Support",
        email: "sean.support@portcullis.example",
        admin: false,
        customer_type: false,
        role: None,
        default_company: None,
        direct: &[],
        support: false,
        active: true,
    },
];

/// A second vendor, which Northwind asked to link with (pending).
pub(super) const SECOND_VENDOR_USERS: [DemoUser; 1] = [DemoUser {
    first: "Max",
    last: "Meridian",
    email: "max.meridian@meridian.example",
    admin: true,
    customer_type: false,
    role: None,
    default_company: None,
    direct: &[],
    support: false,
    active: true,
}];

pub(super) const VENDOR_USERS: [DemoUser; 2] = [
    DemoUser {
        first: "Vera",
        last: "Vendor",
        email: "vera.vendor@claimwise.example",
        admin: true,
        customer_type: false,
        role: None,
        default_company: None,
        direct: &[],
        support: false,
        active: true,
    },
    DemoUser {
        first: "Victor",
        last: "Staff",
        email: "victor.staff@claimwise.example",
        admin: false,
        customer_type: false,
        role: None,
        default_company: None,
        direct: &[],
        support: false,
        active: true,
    },
];

pub(super) const RIVERSIDE_USERS: [DemoUser; 1] = [DemoUser {
    first: "Rosa",
    last: "Rivers",
    email: "rosa.rivers@riverside.example",
    admin: true,
    customer_type: false,
    role: None,
    default_company: None,
    direct: &[],
    support: false,
    active: true,
}];

pub(super) const NORTHWIND_USERS: [DemoUser; 7] = [
    DemoUser {
        first: "Ada",
        last: "Admin",
        email: "ada.admin@northwind.example",
        admin: true,
        customer_type: false,
        role: None,
        default_company: None,
        direct: &[],
        support: false,
        active: true,
    },
    DemoUser {
        first: "Ben",
        last: "Backup",
        email: "ben.backup@northwind.example",
        admin: true,
        customer_type: false,
        role: None,
        default_company: Some("North Clinic"),
        direct: &[],
        support: false,
        active: true,
    },
    DemoUser {
        first: "Pat",
        last: "Partner",
        email: "pat.partner@northwind.example",
        admin: false,
        customer_type: false,
        role: Some(RoleTemplate::FrontOffice),
        default_company: Some("South Clinic"),
        direct: &["East Clinic"],
        support: false,
        active: true,
    },
    DemoUser {
        first: "Cathy",
        last: "Customer",
        email: "cathy.customer@northwind.example",
        admin: false,
        customer_type: true,
        role: Some(RoleTemplate::Provider),
        default_company: Some("North Clinic"),
        direct: &[],
        support: false,
        active: true,
    },
    DemoUser {
        first: "Sam",
        last: "Support",
        email: "sam.support@northwind.example",
        admin: false,
        customer_type: false,
        role: Some(RoleTemplate::PartnerPaymentPoster),
        default_company: Some("North Clinic"),
        direct: &["North Clinic"],
        support: true,
        active: true,
    },
    DemoUser {
        first: "Ivy",
        last: "Inactive",
        email: "ivy.inactive@northwind.example",
        admin: false,
        customer_type: false,
        role: Some(RoleTemplate::Standard),
        default_company: Some("East Clinic"),
        direct: &["East Clinic"],
        support: false,
        active: false,
    },
    DemoUser {
        first: "Mia",
        last: "Manager",
        email: "mia.manager@northwind.example",
        admin: false,
        customer_type: false,
        role: Some(RoleTemplate::SelfServiceManager),
        default_company: Some("Harbor Imaging"),
        direct: &["Harbor Imaging", "South Clinic"],
        support: false,
        active: true,
    },
];

/// Roles whose members inherit companies (seed 004's "Biller" example).
pub(super) const ROLE_COMPANIES: [(RoleTemplate, &[&str]); 1] =
    [(RoleTemplate::FrontOffice, &["North Clinic", "South Clinic"])];

pub(super) const PAYERS: [(&str, &str); 3] = [
    ("Medicare Part B", "MCRB"),
    ("Blue Shield of the Coast", "BSC01"),
    ("Aetna Commercial", "AETNA"),
];
pub(super) const FACILITIES: [(&str, &str); 2] = [
    ("Northwind Surgery Center", "Portland"),
    ("Northwind Day Clinic", "Salem"),
];
/// Children that get copies of the parent's payers and facilities.
pub(super) const COPIED_TO: [&str; 2] = ["North Clinic", "South Clinic"];
/// (subject, message, status, claim numbers, vendor asked to help).
pub(super) type DemoTicket = (
    &'static str,
    &'static str,
    &'static str,
    [&'static str; 2],
    bool,
);
pub(super) const DEMO_TICKETS: [DemoTicket; 3] = [
    (
        "Medicare denials at North Clinic",
        "Two North Clinic claims came back denied with reason CO-16. Could our billing service check the submissions?",
        "open",
        ["NC-0004", "NC-0002"],
        true,
    ),
    (
        "Facility address on South Clinic claims",
        "South Clinic claims still print the old facility address.",
        "waiting",
        ["SC-0001", "SC-0003"],
        false,
    ),
    (
        "Refund posted twice",
        "A refund on NC-0005 was posted twice; it has been corrected.",
        "closed",
        ["NC-0005", "NC-0005"],
        false,
    ),
];
pub(super) const CLAIM_STATUSES: [&str; 5] = ["draft", "submitted", "paid", "denied", "refunded"];
pub(super) const PATIENTS: [&str; 5] = [
    "Alex Morgan",
    "Jamie Rivera",
    "Casey Nguyen",
    "Riley Patel",
    "Jordan Smith",
];

/// Claimwise's Vendor Support ticket to the platform (subject, message).
pub(super) const VENDOR_TICKET: (&str, &str) = (
    "ERA files from Medicare arrive twice",
    "Since Monday every 835 file from Medicare is delivered twice to our SFTP folder. Could you check the clearinghouse feed?",
);
