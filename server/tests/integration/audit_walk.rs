//! Every change in the product records exactly one audit event in each
//! organization it touches (a vendor switching into an account, or adding
//! one, is recorded on both sides): this walks every registered server
//! function, calls it successfully as a caller who may, and compares the
//! events it wrote (organization and action) with the ones expected. Reads write nothing, except the few reads that are audited
//! on purpose (a vendor looking into a customer's data, a claims export).
//! A server function the walk does not call fails the test, so a new one
//! cannot slip in unaudited.
//!
//! Before each call, the walk also sends the very same request without a
//! session, with the session of a user deactivated since, and with a
//! session older than its user's password change: every function but the
//! few that serve signed-out visitors must refuse them (401) and change
//! nothing at all; and when the request names
//! anything by id, sends it again as the Administrator of another customer,
//! who must be refused just the same (the first two columns of issue 13's
//! authorization matrix, generated from the same registry). It is replayed
//! as well by a Standard user with no permissions, by vendor staff who are
//! not switched in, and by a vendor Administrator whose switch into the
//! customer's account outlived the grant (lowered to each tier below Full):
//! all refused, nothing changed, except the few functions every user has
//! for their own account (`EVERY_USER`). Each function that reaches into a
//! customer's account from a vendor is replayed at every Vendor Access
//! tier, and refused exactly where the policy's tier for its need is higher.
//! Each request is also forged -- sent from another site, and with no
//! Origin -- and must be refused (403) with nothing changed; and no GET
//! reaches any function. Every refused caller is replayed twice: with the
//! form as it is and with its text spoiled (`with_spoiled`), and must get
//! its refusal either way: the refusal comes before any field is checked.

use crate::common;

use std::collections::BTreeSet;

use app::model::{policy::VendorNeed, vendor::VendorTier};
use axum::Router;
use common::{
    Ignoring, Reply, call, company_id, enrolled_admin_session, ok, org_id, session_cookie, sign_in,
    signed_in, totp_code, user_id,
};
use server::demo::{CUSTOMER, DEMO_PASSWORD, PLATFORM, SECOND_CUSTOMER, SECOND_VENDOR, VENDOR};
use sqlx::PgPool;

const ADA: &str = "ada.admin@northwind.example";
const BEN: &str = "ben.backup@northwind.example";
const PAT: &str = "pat.partner@northwind.example";
const VERA: &str = "vera.vendor@claimwise.example";
const VICTOR: &str = "victor.staff@claimwise.example";
const ROSA: &str = "rosa.rivers@riverside.example";
const MIA: &str = "mia.manager@northwind.example";
const SAM: &str = "sam.support@northwind.example";
const PAULA: &str = "paula.platform@portcullis.example";
const SEAN: &str = "sean.support@portcullis.example";
const MAX: &str = "max.meridian@meridian.example";
/// A Standard, Customer-type user of North Clinic whose role grants nothing.
const NORA: &str = "nora.nothing@northwind.example";
/// As Nora, whose role gives Users: add and nothing else.
const DORA: &str = "dora.delegate@northwind.example";

/// The functions a signed-out visitor may call, and why.
const PUBLIC: &[(&str, &str)] = &[
    (
        "common_passwords",
        "the sign-in and password pages check passwords",
    ),
    ("who_am_i", "answers None for a visitor"),
    ("system_status", "the start page's status panel"),
    (
        "load_mailbox",
        "the development mailbox (off in production)",
    ),
    ("sign_in", "signing in"),
    (
        "sign_out",
        "with no session there is nothing to end: a no-op",
    ),
    ("request_password_reset", "a forgotten password"),
    ("check_password_link", "a mailed link, before its form"),
    ("reset_password", "a mailed link's form"),
];

/// The functions every signed-in user may call, whatever their permissions,
/// and why; each acts on the caller's own account or answers only with
/// what the caller may already see.
const EVERY_USER: &[(&str, &str)] = &[
    ("load_profile", "one's own profile"),
    (
        "update_profile",
        "one's own profile (the form names no one else)",
    ),
    ("change_password", "one's own password"),
    ("two_factor_status", "one's own second factor"),
    ("new_recovery_codes", "one's own recovery codes"),
    ("begin_two_factor", "one's own enrolment"),
    ("confirm_two_factor", "one's own enrolment"),
    ("verify_two_factor", "one's own sign-in"),
    (
        "switch_company",
        "checked against the caller's own companies",
    ),
    ("list_companies", "the companies the caller may act in"),
    ("permissions_by_page", "the product's permission names"),
    ("list_tickets", "the tickets the caller may see"),
    (
        "support_contacts",
        "the names of one's own organization's Administrators and Support Users",
    ),
    ("search_help", "the Help Center, the same for everyone"),
    ("suggest_help", "the Help Center, the same for everyone"),
    ("help_article", "the Help Center, the same for everyone"),
    (
        "list_catalog",
        "the acting company's payers and facilities, which everyone in it sees",
    ),
    (
        "vendor_settings",
        "which vendor may reach the organization, read-only to everyone in it",
    ),
    (
        "load_service_type",
        "the organization's service type, read-only to everyone in it",
    ),
];

/// The functions a holder of Users: add (and nothing else) may call, and
/// why: each decides by the delegation rules, which `delegation.rs` and
/// `model/delegation_tests.rs` walk case by case. Every other function is
/// replayed as such a user and must refuse them.
const DELEGATED: &[(&str, &str)] = &[
    (
        "new_user_options",
        "the Add User form, with the roles they may give",
    ),
    (
        "list_users",
        "Users: add includes seeing the users who share a company",
    ),
    ("load_user", "a user who shares a company"),
    (
        "load_user_permissions",
        "read-only unless the user is within their access",
    ),
    (
        "explain_user",
        "the Why panel of a user who shares a company",
    ),
    ("update_user_profile", "Users: add includes Users: manage"),
    (
        "add_user",
        "within their own access (GrantAccess), else refused with the reason",
    ),
    (
        "update_user_permissions",
        "within their own access (GrantAccess), else refused with the reason",
    ),
];

/// The functions through which vendor staff reach into a customer's
/// account, answered by the customer's grant: each is walked by
/// `Walk::reach` at every tier.
const VENDOR_REACHES: &[&str] = &["load_ticket", "comment_on_ticket"];

/// The platform console's functions: its staff's alone. Those that need
/// a Platform Administrator (`RUN_PLATFORM`) are replayed as a Support
/// Agent too.
const PLATFORM_ONLY: &[&str] = &[
    "platform_organizations",
    "load_organization",
    "create_organization",
    "rename_organization",
    "set_organization_suspended",
    "platform_staff",
    "add_platform_staff",
    "support_desk",
    "load_desk_view",
    "assign_ticket",
    "open_ticket_for",
    "propose_change",
    "decide_change",
    "complete_vendor_link",
];
const RUN_PLATFORM: &[&str] = &[
    "create_organization",
    "rename_organization",
    "set_organization_suspended",
    "add_platform_staff",
];
/// What the platform's staff share with an organization's own: a
/// ticket's page (the support desk answers every ticket), the link
/// requests (the platform completes or declines them), and the audit log
/// (each reads its own organization's; `load_audit_event` of a customer's
/// event is still refused to them).
const PLATFORM_TOO: &[&str] = &[
    "list_audit",
    "load_ticket",
    "comment_on_ticket",
    "set_ticket_status",
    "ask_vendor_for_help",
    "vendor_link_requests",
    "decline_link",
];

type Time = Option<chrono::DateTime<chrono::Utc>>;
type Grant = (String, Time, Option<String>, Time);

const TIERS: [VendorTier; 4] = [
    VendorTier::NoAccess,
    VendorTier::Limited,
    VendorTier::AllSupport,
    VendorTier::Full,
];

/// The status of `endpoint` called with `cookie` from `origin` (no Origin
/// header when `None`), as another site's page would send it.
async fn forged(
    router: &Router,
    cookie: &str,
    endpoint: &str,
    form: &str,
    origin: Option<&str>,
) -> axum::http::StatusCode {
    use tower::ServiceExt;
    let mut request = axum::http::Request::post(format!("/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "portcullis.test")
        .header("cookie", cookie);
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    let request = request
        .body(axum::body::Body::from(form.to_owned()))
        .unwrap();
    router.clone().oneshot(request).await.unwrap().status()
}

/// Everything a call could change (`common::fingerprint`).
async fn fingerprint(pool: &PgPool) -> String {
    common::fingerprint(pool, &Ignoring::default()).await
}

/// The fingerprint, leaving out audit events with the `ignored` actions.
async fn fingerprint_ignoring(pool: &PgPool, ignored: &[&str]) -> String {
    let ignoring = Ignoring {
        actions: ignored,
        lockouts: false,
        switches: true,
    };
    common::fingerprint(pool, &ignoring).await
}

struct Walk {
    pool: PgPool,
    router: Router,
    called: BTreeSet<String>,
    refused_strangers: usize,
    /// Calls refused to each column of the matrix, by column.
    refused: std::collections::BTreeMap<&'static str, usize>,
    /// Riverside's Administrator, a stranger to Northwind and Claimwise.
    stranger: String,
    /// A session of a user deactivated since.
    deactivated: String,
    /// A session older than its user's password change.
    stale: String,
    /// Northwind's Standard user whose role grants nothing.
    unpermitted: String,
    /// Northwind's Standard user whose role gives Users: add and nothing
    /// else (a delegated administrator of users).
    delegated: String,
    /// Claimwise's staff member (not an Administrator), never switched in.
    vendor_staff: String,
    /// Claimwise's Administrator, switched into Northwind for the lapsed
    /// replays, else in Claimwise.
    vendor_admin: String,
    /// The platform's Support Agent: an organization's functions, and the
    /// Platform Administrators' own, refuse them.
    agent: String,
    /// A Platform Administrator: an organization's own functions refuse
    /// them too.
    platform_admin: String,
    northwind: i64,
    riverside: i64,
    claimwise: i64,
}

/// Whether the form names a row by id (or a claim by number). A vendor id
/// alone is left out: it names the link of the caller's own organization.
fn names_rows(form: &str) -> bool {
    form.split('&').any(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let by_id = (key.ends_with("_id") && key != "vendor_id")
            || ["users[", "companies[", "children["]
                .iter()
                .any(|list| key.starts_with(list));
        (by_id && value.parse::<i64>().is_ok()) || (key == "claims" && !value.is_empty())
    })
}

impl Walk {
    /// Calls `endpoint` and checks it succeeded and wrote exactly the
    /// `expected` events, as (organization, action), in any order.
    async fn step(
        &mut self,
        cookie: &str,
        endpoint: &str,
        form: &str,
        expected: &[(&str, &str)],
    ) -> Reply {
        if !PUBLIC.iter().any(|(public, _)| *public == endpoint) {
            let before = fingerprint(&self.pool).await;
            for (input, form) in with_spoiled(form) {
                for (who, session) in [
                    ("without a session", ""),
                    ("as a deactivated user", self.deactivated.as_str()),
                    (
                        "with a session from before a password change",
                        self.stale.as_str(),
                    ),
                ] {
                    let refused = call(&self.router, session, endpoint, &form).await;
                    if refused.status != axum::http::StatusCode::UNAUTHORIZED {
                        MISSES.lock().unwrap().push(format!(
                            "{endpoint} {who}{input}: {} {} (not 401)",
                            refused.status, refused.body
                        ));
                    }
                }
            }
            assert_eq!(
                fingerprint(&self.pool).await,
                before,
                "{endpoint} without a session changed something"
            );
            if names_rows(form) {
                // The stranger may call the function for their own
                // organization: past the policy, another organization's ids
                // are not found, or refused as a choice ("choose companies
                // of your organization"), the same for any id.
                for (input, form) in with_spoiled(form) {
                    let stranger = call(&self.router, &self.stranger, endpoint, &form).await;
                    assert!(
                        stranger.status.is_client_error()
                            && stranger.status != axum::http::StatusCode::UNAUTHORIZED,
                        "{endpoint} as another customer's Administrator{input}: {} {}",
                        stranger.status,
                        stranger.body
                    );
                }
                assert_eq!(
                    fingerprint(&self.pool).await,
                    before,
                    "{endpoint} as another customer's Administrator changed something"
                );
                self.refused_strangers += 1;
            }
            if !EVERY_USER.iter().any(|(own, _)| *own == endpoint) {
                for (input, form) in with_spoiled(form) {
                    self.replay_as_the_unpermitted(cookie, endpoint, &form, input)
                        .await;
                }
            }
        }
        // The caller's own request, sent from another site or with no
        // origin at all (a forged form, a script elsewhere): refused, 403.
        let before = fingerprint(&self.pool).await;
        for origin in [Some("http://evil.example"), None] {
            let forged = forged(&self.router, cookie, endpoint, form, origin).await;
            assert_eq!(
                forged,
                axum::http::StatusCode::FORBIDDEN,
                "{endpoint} from {origin:?}"
            );
        }
        assert_eq!(
            fingerprint(&self.pool).await,
            before,
            "{endpoint}: a forged request changed something"
        );
        let last: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM audit_events")
            .fetch_one(&self.pool)
            .await
            .unwrap();
        let reply = call(&self.router, cookie, endpoint, form).await;
        assert!(
            reply.status.is_success() || reply.status.is_redirection(),
            "{endpoint}: {} {}",
            reply.status,
            reply.body
        );
        let mut written: Vec<(String, String)> = sqlx::query_as(
            "SELECT coalesce(o.name, '-'), a.action FROM audit_events a
             LEFT JOIN organizations o ON o.id = a.org_id WHERE a.id > $1",
        )
        .bind(last)
        .fetch_all(&self.pool)
        .await
        .unwrap();
        written.sort();
        let mut expected: Vec<(String, String)> = expected
            .iter()
            .map(|(org, action)| ((*org).to_owned(), (*action).to_owned()))
            .collect();
        expected.sort();
        assert_eq!(written, expected, "{endpoint} wrote other events");
        // Each names the request that wrote it, which the answer names too.
        let requests: Vec<Option<String>> =
            sqlx::query_scalar("SELECT request_id FROM audit_events WHERE id > $1")
                .bind(last)
                .fetch_all(&self.pool)
                .await
                .unwrap();
        let answered = reply
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok());
        for request in requests {
            assert_eq!(
                request.as_deref(),
                answered,
                "{endpoint}: an event without its request's id"
            );
        }
        self.called.insert(endpoint.to_owned());
        reply
    }

    /// The matrix's columns of callers the policy gives nothing here:
    /// each is refused (neither 401 nor a success) and changes nothing.
    async fn replay_as_the_unpermitted(
        &mut self,
        cookie: &str,
        endpoint: &str,
        form: &str,
        input: &str,
    ) {
        const SWITCHES: &[&str] = &["vendor.switch_in", "vendor.switch_out"];
        let before = fingerprint(&self.pool).await;
        let before_switches = fingerprint_ignoring(&self.pool, SWITCHES).await;
        let vendor_side = cookie == self.vendor_staff || cookie == self.vendor_admin;
        let reply = call(&self.router, &self.unpermitted, endpoint, form).await;
        let who = "a Standard user without the permission";
        assert_refused(&reply, endpoint, &format!("{who}{input}"));
        *self.refused.entry(who).or_default() += 1;
        if !DELEGATED.iter().any(|(own, _)| *own == endpoint) {
            let reply = call(&self.router, &self.delegated, endpoint, form).await;
            let who = "a holder of Users: add only";
            assert_refused(&reply, endpoint, &format!("{who}{input}"));
            *self.refused.entry(who).or_default() += 1;
        }
        // Vendor staff, never switched in, calling a customer's functions,
        // whatever the customers grant: only the vendor's reaches answer
        // them, and `reach` walks those at every tier.
        if !vendor_side && !VENDOR_REACHES.contains(&endpoint) {
            let grants = [
                (self.northwind, self.grant(self.northwind).await),
                (self.riverside, self.grant(self.riverside).await),
            ];
            for tier in TIERS {
                for (customer, _) in &grants {
                    self.set_grant(*customer, tier).await;
                }
                let reply = call(&self.router, &self.vendor_staff, endpoint, form).await;
                let who = format!("vendor staff, not switched in, at {tier:?}{input}");
                assert_refused(&reply, endpoint, &who);
                *self
                    .refused
                    .entry("vendor staff, not switched in")
                    .or_default() += 1;
            }
            for (customer, grant) in grants {
                self.restore_grant(customer, &grant).await;
            }
        }
        // The platform's Support Agent: an organization's own functions
        // (not the ticket pages the desk shares), and those of Platform
        // Administrators.
        let shared = PLATFORM_TOO.contains(&endpoint)
            || (PLATFORM_ONLY.contains(&endpoint) && !RUN_PLATFORM.contains(&endpoint));
        if !shared && cookie != self.agent {
            let reply = call(&self.router, &self.agent, endpoint, form).await;
            assert_refused(
                &reply,
                endpoint,
                &format!("a platform Support Agent{input}"),
            );
            *self
                .refused
                .entry("platform staff (a Support Agent)")
                .or_default() += 1;
        }
        if !shared && !PLATFORM_ONLY.contains(&endpoint) && cookie != self.platform_admin {
            let reply = call(&self.router, &self.platform_admin, endpoint, form).await;
            let who = format!("a Platform Administrator{input}");
            assert_refused(&reply, endpoint, &who);
            *self
                .refused
                .entry("platform staff (a Platform Administrator)")
                .or_default() += 1;
        }
        assert_eq!(
            fingerprint(&self.pool).await,
            before,
            "{endpoint} by a caller without the permission changed something"
        );
        if vendor_side {
            return;
        }
        // A vendor Administrator switched in under Full Access, after which
        // the grant fell (behind the product's back, so the switch is still
        // open): this very request is refused rather than run in the
        // vendor's own account, and the refusal changes nothing.
        let grant = self.grant(self.northwind).await;
        for tier in [
            VendorTier::NoAccess,
            VendorTier::Limited,
            VendorTier::AllSupport,
        ] {
            self.set_grant(self.northwind, VendorTier::Full).await;
            let switched = call(
                &self.router,
                &self.vendor_admin,
                "switch_to_account",
                &format!("customer_id={}", self.northwind),
            )
            .await;
            assert!(switched.status.is_success(), "{}", switched.body);
            self.set_grant(self.northwind, tier).await;
            let reply = call(&self.router, &self.vendor_admin, endpoint, form).await;
            assert_refused(&reply, endpoint, &format!("a lapsed vendor switch{input}"));
            // Back out, so the next tier starts where it should.
            let back = call(&self.router, &self.vendor_admin, "return_to_vendor", "").await;
            assert!(
                back.status.is_redirection() || back.status.is_success(),
                "{}",
                back.body
            );
            self.restore_grant(self.northwind, &grant).await;
            *self.refused.entry("a lapsed vendor switch").or_default() += 1;
        }
        assert_eq!(
            fingerprint_ignoring(&self.pool, SWITCHES).await,
            before_switches,
            "{endpoint} through a lapsed vendor switch changed something"
        );
    }

    /// A vendor's reach into `customer`'s account: first replayed at every
    /// tier of the customer's grant, refused (nothing changed) below the
    /// `lowest` that allows it (the policy's `VendorNeed::tier`), and for
    /// reads answered from it up; then called as a step at the grant the
    /// walk set up.
    async fn reach(
        &mut self,
        cookie: &str,
        endpoint: &str,
        form: &str,
        (customer, lowest): (i64, VendorTier),
        expected: &[(&str, &str)],
    ) -> Reply {
        let grant = self.grant(customer).await;
        for tier in TIERS {
            let allowed = tier >= lowest;
            let read = expected
                .iter()
                .all(|(_, action)| action.ends_with("vendor_view"));
            if allowed && !read {
                continue; // a change: made once, by the step below
            }
            let before = fingerprint(&self.pool).await;
            self.set_grant(customer, tier).await;
            let reply = call(&self.router, cookie, endpoint, form).await;
            self.restore_grant(customer, &grant).await;
            if allowed {
                assert!(
                    reply.status.is_success(),
                    "{endpoint} at {tier:?}: {}",
                    reply.body
                );
                *self
                    .refused
                    .entry("vendor reach, allowed reads")
                    .or_default() += 1;
                continue;
            }
            assert_refused(&reply, endpoint, &format!("vendor reach at {tier:?}"));
            assert_eq!(
                fingerprint(&self.pool).await,
                before,
                "{endpoint} at {tier:?} changed something"
            );
            *self
                .refused
                .entry("vendor reach below its tier")
                .or_default() += 1;
        }
        self.step(cookie, endpoint, form, expected).await
    }

    /// Claimwise's grant from `customer`: tier, expiry, the tier after, and
    /// when to warn of the expiry.
    async fn grant(&self, customer: i64) -> Grant {
        sqlx::query_as(
            "SELECT tier, expires_at, reverts_to, expiry_notice_at FROM vendor_links
             WHERE customer_id = $1 AND vendor_id = $2",
        )
        .bind(customer)
        .bind(self.claimwise)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }

    /// Sets a lasting grant directly, as if the customer had changed it.
    async fn set_grant(&self, customer: i64, tier: VendorTier) {
        self.restore_grant(customer, &(tier.key().to_owned(), None, None, None))
            .await;
    }

    async fn restore_grant(&self, customer: i64, (tier, expires_at, reverts_to, notice): &Grant) {
        sqlx::query(
            "UPDATE vendor_links SET tier = $3, expires_at = $4, reverts_to = $5, expiry_notice_at = $6
             WHERE customer_id = $1 AND vendor_id = $2",
        )
        .bind(customer)
        .bind(self.claimwise)
        .bind(tier)
        .bind(expires_at)
        .bind(reverts_to)
        .bind(notice)
        .execute(&self.pool)
        .await
        .unwrap();
    }

    /// A read: succeeds and writes nothing.
    async fn read(&mut self, cookie: &str, endpoint: &str, form: &str) -> Reply {
        self.step(cookie, endpoint, form, &[]).await
    }

    async fn int(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap()
    }

    async fn version(&self, sql: &str) -> i32 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap()
    }
}

/// The form as it is, and (when it holds any text) spoiled: every value
/// that is text rather than a number replaced by one no rule accepts. A
/// caller who may not do a thing is told so before any field is checked
/// (422) or read (400), so the answer does not depend on the input.
/// Arguments typed as a fixed list of keys (`Catalog`) or as yes/no
/// (`suspended`, `approve`): read before the function runs, like numbers.
const TYPED_KEYS: &[&str] = &["catalog", "suspended", "approve"];

fn with_spoiled(form: &str) -> Vec<(&'static str, String)> {
    let mut spoiled = false;
    let pairs: Vec<String> = form
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            // Only text fields: a number, or the key of a fixed list, may be
            // a typed argument, which the server-function layer itself must
            // read first.
            Some((key, value))
                if !value.is_empty()
                    && value.parse::<i64>().is_err()
                    && !TYPED_KEYS.contains(&key) =>
            {
                spoiled = true;
                // A right-to-left override and a stray '<': no name, email,
                // code, key or choice of the product takes them.
                format!("{key}=%E2%80%AE%3Cspoiled")
            }
            _ => pair.to_owned(),
        })
        .collect();
    let mut forms = vec![("", form.to_owned())];
    if spoiled {
        forms.push((" with invalid input", pairs.join("&")));
    }
    forms
}

/// Refusals that came out otherwise, reported together once the walk is
/// done (so one run names every function that answers too much).
static MISSES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Refused by the policy: forbidden, or not found when the caller may not
/// even know the thing exists; never "sign in first", never a field rule.
fn assert_refused(reply: &Reply, endpoint: &str, who: &str) {
    let refused = [
        axum::http::StatusCode::FORBIDDEN,
        axum::http::StatusCode::NOT_FOUND,
    ]
    .contains(&reply.status);
    if !refused {
        MISSES.lock().unwrap().push(format!(
            "{endpoint} as {who}: {} {}",
            reply.status, reply.body
        ));
    }
}

/// The token of the newest mailed password link.
async fn mailed_token(pool: &PgPool) -> String {
    let body: String = sqlx::query_scalar("SELECT body FROM email_outbox ORDER BY id DESC LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap();
    let start = body.find("token=").unwrap() + "token=".len();
    body[start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn every_server_function_writes_exactly_the_events_it_should(pool: PgPool) {
    let (router, stranger) = common::demo_admin(&pool, ROSA).await;
    let deactivated = signed_in(&router, MIA).await;
    sqlx::query("UPDATE users SET status = 'inactive' WHERE email = $1")
        .bind(MIA)
        .execute(&pool)
        .await
        .unwrap();
    let stale = signed_in(&router, SAM).await;
    let fresh = signed_in(&router, SAM).await;
    ok::<()>(
        call(
            &router,
            &fresh,
            "change_password",
            "current_password=portcullis-demo&new_password=violet+harbour+lantern&confirm_password=violet+harbour+lantern",
        )
        .await,
    );
    const NW: &str = CUSTOMER;
    const RS: &str = SECOND_CUSTOMER;
    const CW: &str = VENDOR;
    let northwind = org_id(&pool, NW).await;
    let riverside = org_id(&pool, RS).await;
    let claimwise = org_id(&pool, CW).await;
    add_user_without_permissions(&pool, northwind).await;
    let unpermitted = signed_in(&router, NORA).await;
    add_delegated_user(&pool, northwind).await;
    let delegated = signed_in(&router, DORA).await;
    let victor = signed_in(&router, VICTOR).await;
    let (vera, _) = enrolled_admin_session(&router, VERA).await;
    let (agent, _) = enrolled_admin_session(&router, SEAN).await;
    let (platform_admin, _) = enrolled_admin_session(&router, PAULA).await;
    let mut w = Walk {
        pool: pool.clone(),
        router: router.clone(),
        called: BTreeSet::new(),
        refused_strangers: 0,
        refused: Default::default(),
        stranger,
        deactivated,
        stale,
        unpermitted,
        delegated,
        vendor_staff: victor.clone(),
        vendor_admin: vera.clone(),
        agent: agent.clone(),
        platform_admin: platform_admin.clone(),
        northwind,
        riverside,
        claimwise,
    };
    let (ada, _) = enrolled_admin_session(&router, ADA).await;
    let north = company_id(&pool, "North Clinic").await;
    let east = company_id(&pool, "East Clinic").await;
    let pat = user_id(&pool, PAT).await;

    // Reads, as an Administrator.
    w.read("", "common_passwords", "").await;
    for endpoint in [
        "who_am_i",
        "load_profile",
        "two_factor_status",
        "list_catalog",
        "list_companies",
        "new_user_options",
        "locked_users",
        "list_roles",
        "permissions_by_page",
        "system_status",
        "vendor_settings",
        "load_service_type",
        "list_tickets",
        "support_contacts",
        "list_audit",
        "load_mailbox",
    ] {
        w.read(&ada, endpoint, "").await;
    }
    w.read(&ada, "list_users", "search=&status=&account_type=")
        .await;
    w.read(&ada, "search_help", "query=vendor+access").await;
    w.read(&ada, "suggest_help", "subject=locked+out").await;
    w.read(&ada, "help_article", "slug=vendor-access").await;
    for endpoint in [
        "load_user",
        "load_user_permissions",
        "explain_user",
        "sign_in_lock",
    ] {
        w.read(&ada, endpoint, &format!("user_id={pat}")).await;
    }
    let role = w
        .int("SELECT role_id FROM users WHERE email = 'pat.partner@northwind.example'")
        .await;
    w.read(&ada, "load_role", &format!("role_id={role}")).await;
    // One of Northwind's own (the vendor's log holds what its staff did).
    let event = w
        .int("SELECT max(id) FROM audit_events WHERE acting_vendor_id IS NULL")
        .await;
    w.read(&ada, "load_audit_event", &format!("event_id={event}"))
        .await;
    let no_filters =
        "filters[status]=&filters[payer]=&filters[from]=&filters[to]=&filters[min]=&filters[max]=";

    // The acting company, then the payer list kept at the parent.
    w.step(
        &ada,
        "switch_company",
        &format!("company_id={north}"),
        &[(NW, "context.switch")],
    )
    .await;
    w.read(&ada, "list_claims", no_filters).await;
    w.step(&ada, "export_claims", no_filters, &[(NW, "claims.export")])
        .await;
    let parent = w
        .int(&format!(
            "SELECT id FROM companies WHERE org_id = {northwind} AND parent_id IS NULL"
        ))
        .await;
    w.step(
        &ada,
        "switch_company",
        &format!("company_id={parent}"),
        &[(NW, "context.switch")],
    )
    .await;
    w.step(
        &ada,
        "save_entry",
        "catalog=payers&entry_id=&version=0&name=Cigna&detail=ci01",
        &[(NW, "payer.create")],
    )
    .await;
    let cigna = w.int("SELECT id FROM payers WHERE name = 'Cigna'").await;
    w.step(
        &ada,
        "save_entry",
        &format!("catalog=payers&entry_id={cigna}&version=1&name=Cigna+Health&detail=ci01"),
        &[(NW, "payer.update")],
    )
    .await;
    let children =
        format!("catalog=payers&entry_id={cigna}&children[0]={north}&children[1]={east}");
    w.read(&ada, "plan_copy", &children).await;
    w.step(&ada, "copy_down", &children, &[(NW, "payer.copy_down")])
        .await;
    w.step(
        &ada,
        "delete_entry",
        &format!("catalog=payers&entry_id={cigna}&version=2"),
        &[(NW, "payer.delete")],
    )
    .await;

    // Companies and roles.
    w.step(
        &ada,
        "create_company",
        "name=West+Clinic",
        &[(NW, "company.create")],
    )
    .await;
    let west = w
        .int("SELECT id FROM companies WHERE name = 'West Clinic'")
        .await;
    w.step(
        &ada,
        "update_company",
        &format!("company_id={west}&version=1&name=West+Clinic&status=inactive"),
        &[(NW, "company.update")],
    )
    .await;
    let org_version = w
        .version(&format!(
            "SELECT version FROM organizations WHERE id = {}",
            w.northwind
        ))
        .await;
    w.step(
        &ada,
        "set_service_type",
        &format!("service_type=revequip&version={org_version}"),
        &[(NW, "organization.service_type")],
    )
    .await;
    let created: i64 = ok(w
        .step(
            &ada,
            "create_role",
            "name=Biller&description=Posts+claims&template=practice_admin",
            &[(NW, "role.create")],
        )
        .await);
    let version = w
        .version(&format!("SELECT version FROM roles WHERE id = {created}"))
        .await;
    w.step(
        &ada,
        "update_role",
        &format!(
            "role_id={created}&version={version}&name=Billing&description=Posts+claims&permissions[0]=claims.view&companies[0]={north}"
        ),
        &[(NW, "role.update")],
    )
    .await;
    w.step(
        &ada,
        "delete_role",
        &format!("role_id={created}&version={}&move_to=", version + 1),
        &[(NW, "role.delete")],
    )
    .await;

    // Users.
    let added: i64 = ok(w
        .step(
            &ada,
            "add_user",
            &format!("first_name=New&last_name=Person&email=new%40northwind.example&account_type=standard&user_type=partner&company_id={north}&role_id={role}"),
            &[(NW, "user.create")],
        )
        .await);
    // The new user's invitation, refused by the mail server.
    let mail: i64 = sqlx::query_scalar(
        "UPDATE email_outbox SET attempts = 1, last_error = 'permanent error (550): no such user'
         WHERE recipient = 'new@northwind.example' RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    w.read(&ada, "list_undelivered_mail", "").await;
    w.step(
        &ada,
        "invitation_link",
        &format!("mail_id={mail}"),
        &[(NW, "user.invitation_link")],
    )
    .await;
    w.step(
        &ada,
        "send_mail_again",
        &format!("mail_id={mail}"),
        &[(NW, "mail.send_again")],
    )
    .await;
    let version = w
        .version(&format!("SELECT version FROM users WHERE id = {pat}"))
        .await;
    w.step(
        &ada,
        "update_user_profile",
        &format!(
            "user_id={pat}&version={version}&first_name=Patricia&last_name=Partner&email=pat.partner%40northwind.example&status=active"
        ),
        &[(NW, "user.update")],
    )
    .await;
    w.step(
        &ada,
        "update_user_permissions",
        &format!(
            "user_id={pat}&version={}&account_type=standard&user_type=partner&company_id={north}&role_id={role}&companies[0]={east}",
            version + 1
        ),
        &[(NW, "user.permissions")],
    )
    .await;
    w.step(
        &ada,
        "bulk_update_users",
        &format!("action=deactivate&users[0]={added}&role_id=&company_id="),
        &[(NW, "user.bulk")],
    )
    .await;
    sqlx::query(
        "INSERT INTO sign_in_lockouts (email, lockouts, locked_until)
         VALUES ('pat.partner@northwind.example', 1, now() + interval '15 minutes')",
    )
    .execute(&pool)
    .await
    .unwrap();
    w.step(
        &ada,
        "unlock_sign_in",
        &format!("user_id={pat}"),
        &[(NW, "auth.unlock")],
    )
    .await;

    // Claims (at North Clinic).
    w.step(
        &ada,
        "switch_company",
        &format!("company_id={north}"),
        &[(NW, "context.switch")],
    )
    .await;
    let draft = w
        .int(&format!(
            "SELECT id FROM claims WHERE company_id = {north} AND status = 'draft' ORDER BY id LIMIT 1"
        ))
        .await;
    w.read(&ada, "load_claim", &format!("claim_id={draft}"))
        .await;
    w.step(
        &ada,
        "edit_claim",
        &format!(
            "claim_id={draft}&version=1&patient=Eve+Example&service_date=2026-10-02&amount=12.50"
        ),
        &[(NW, "claim.edit")],
    )
    .await;
    let submitted = w
        .int(&format!(
            "SELECT id FROM claims WHERE company_id = {north} AND status = 'submitted' ORDER BY id LIMIT 1"
        ))
        .await;
    let version = w
        .version(&format!(
            "SELECT version FROM claims WHERE id = {submitted}"
        ))
        .await;
    w.step(
        &ada,
        "act_on_claim",
        &format!("claim_id={submitted}&version={version}&action=post_payment"),
        &[(NW, "claim.post_payment")],
    )
    .await;
    let number: String = sqlx::query_scalar("SELECT claim_number FROM claims WHERE id = $1")
        .bind(draft)
        .fetch_one(&pool)
        .await
        .unwrap();

    // Support tickets, and asking the vendor for help.
    let ticket: i64 = ok(w
        .step(
            &ada,
            "open_ticket",
            &format!("subject=Payer+rejects+NPI&message=Since+Monday&claims={number}"),
            &[(NW, "ticket.open")],
        )
        .await);
    w.read(&ada, "load_ticket", &format!("ticket_id={ticket}"))
        .await;
    w.step(
        &ada,
        "comment_on_ticket",
        &format!("ticket_id={ticket}&body=More+detail"),
        &[(NW, "ticket.comment")],
    )
    .await;
    w.step(
        &ada,
        "ask_vendor_for_help",
        &format!("ticket_id={ticket}&vendor_id={claimwise}"),
        &[(NW, "ticket.ask_vendor")],
    )
    .await;
    w.step(
        &ada,
        "cc_on_ticket",
        &format!("ticket_id={ticket}&user_id={pat}"),
        &[(NW, "ticket.cc")],
    )
    .await;
    let version = w
        .version(&format!(
            "SELECT version FROM support_tickets WHERE id = {ticket}"
        ))
        .await;
    w.step(
        &ada,
        "set_ticket_status",
        &format!("ticket_id={ticket}&version={version}&status=waiting"),
        &[(NW, "ticket.status")],
    )
    .await;

    // Vendor Access: a timed grant, ended early.
    let version = w
        .version(&format!(
            "SELECT version FROM vendor_links WHERE customer_id = {northwind} AND vendor_id = {claimwise}"
        ))
        .await;
    w.step(
        &ada,
        "set_vendor_access",
        &format!(
            "vendor_id={claimwise}&version={version}&tier=full&length=1h&until=&reverts_to=all_support"
        ),
        &[(NW, "vendor_access.change")],
    )
    .await;
    w.step(
        &ada,
        "revert_vendor_access",
        &format!("vendor_id={claimwise}&version={}", version + 1),
        &[(NW, "vendor_access.revert")],
    )
    .await;

    // Vendor staff reading into the customer's account are recorded there.
    w.read(&victor, "linked_accounts", "search=").await;
    let help = VendorNeed::Ticket {
        help_requested: true,
    }
    .tier();
    w.reach(
        &victor,
        "load_ticket",
        &format!("ticket_id={ticket}"),
        (northwind, help),
        &[(NW, "ticket.vendor_view")],
    )
    .await;
    w.reach(
        &victor,
        "comment_on_ticket",
        &format!("ticket_id={ticket}&body=Looking+into+it"),
        (northwind, help),
        &[(NW, "ticket.comment")],
    )
    .await;
    w.reach(
        &victor,
        "account_claims",
        &format!("customer_id={riverside}"),
        (riverside, VendorNeed::Claims.tier()),
        &[(RS, "claims.vendor_view")],
    )
    .await;

    // The vendor console with Full Access (Riverside).
    let administer = (riverside, VendorNeed::Administer.tier());
    // The account's summary answers at any tier of a link; its users only
    // with Full Access.
    w.reach(
        &vera,
        "load_account",
        &format!("customer_id={riverside}"),
        (riverside, VendorTier::NoAccess),
        &[(RS, "users.vendor_view")],
    )
    .await;
    let version = w
        .version(&format!(
            "SELECT version FROM organizations WHERE id = {riverside}"
        ))
        .await;
    w.reach(
        &vera,
        "save_account_settings",
        &format!("customer_id={riverside}&version={version}&professional_claims=on"),
        administer,
        &[(RS, "account.settings")],
    )
    .await;
    let rosa = user_id(&pool, ROSA).await;
    w.reach(
        &vera,
        "send_password_link",
        &format!("customer_id={riverside}&user_id={rosa}"),
        administer,
        &[(RS, "user.password_link")],
    )
    .await;
    let key: app::api_keys::NewApiKey = ok(w
        .reach(
            &vera,
            "create_api_key",
            &format!("customer_id={riverside}&name=Billing+sync"),
            administer,
            &[(RS, "api_key.create")],
        )
        .await);
    w.reach(
        &vera,
        "revoke_api_key",
        &format!("customer_id={riverside}&key_id={}", key.id),
        administer,
        &[(RS, "api_key.revoke")],
    )
    .await;
    w.read(&vera, "account_offer", "").await;
    w.step(
        &vera,
        "add_account",
        "name=Lakeside+Clinic&settings[professional_claims]=on&contact[first_name]=Lena&contact[last_name]=Lake&contact[email]=lena%40lakeside.example&contact[phone]=503-555-0142&plan=starter",
        &[(CW, "account.create"), ("Lakeside Clinic", "account.create")],
    )
    .await;
    w.reach(
        &vera,
        "switch_to_account",
        &format!("customer_id={riverside}"),
        administer,
        &[(CW, "vendor.switch_in"), (RS, "vendor.switch_in")],
    )
    .await;
    w.step(
        &vera,
        "return_to_vendor",
        "",
        &[(CW, "vendor.switch_out"), (RS, "vendor.switch_out")],
    )
    .await;

    // The platform's side: its console, its desk, links by consent and
    // the changes made in pairs.
    walk_the_platform(&mut w, &agent, &platform_admin, &ada).await;

    // One's own account: profile, recovery codes, password.
    let version = w
        .version("SELECT version FROM users WHERE email = 'ada.admin@northwind.example'")
        .await;
    w.step(
        &ada,
        "update_profile",
        &format!(
            "first_name=Ada&last_name=Admin&email=ada.admin%40northwind.example&version={version}"
        ),
        &[(NW, "user.update_own_profile")],
    )
    .await;
    w.step(
        &ada,
        "new_recovery_codes",
        "",
        &[(NW, "auth.recovery_codes_new")],
    )
    .await;
    w.step(
        &ada,
        "change_password",
        &format!(
            "current_password={}&new_password=violet+harbour+lantern&confirm_password=violet+harbour+lantern",
            DEMO_PASSWORD.replace(' ', "+")
        ),
        &[(NW, "auth.password_change")],
    )
    .await;

    // Signing in and out, two-factor enrolment and the second step.
    let halfway = session_cookie(&sign_in(&router, BEN, DEMO_PASSWORD).await).unwrap();
    let view: app::auth::two_factor_api::EnrolmentView =
        ok(w.step(&halfway, "begin_two_factor", "", &[]).await);
    let confirmed = w
        .step(
            &halfway,
            "confirm_two_factor",
            &format!("code={}", totp_code(&view.secret, 0)),
            &[(NW, "auth.two_factor_enrol")],
        )
        .await;
    let ben = session_cookie(&confirmed).unwrap_or(halfway);
    let recovery: Vec<String> = ok(confirmed);
    w.step(&ben, "sign_out", "", &[(NW, "auth.sign_out")]).await;
    let password = format!(
        "email={}&password={}",
        BEN.replace('@', "%40"),
        DEMO_PASSWORD.replace(' ', "+")
    );
    let halfway = session_cookie(
        &w.step("", "sign_in", &password, &[(NW, "auth.sign_in")])
            .await,
    )
    .unwrap();
    w.step(
        &halfway,
        "verify_two_factor",
        &format!("code={}", recovery[0]),
        &[(NW, "auth.recovery_code_use")],
    )
    .await;

    // A forgotten password, reset through the mailed link.
    w.step(
        "",
        "request_password_reset",
        "email=pat.partner%40northwind.example",
        &[(NW, "auth.password_reset_request")],
    )
    .await;
    let token = mailed_token(&pool).await;
    w.read("", "check_password_link", &format!("token={token}"))
        .await;
    w.step(
        "",
        "reset_password",
        &format!(
            "token={token}&new_password=violet+harbour+lantern&confirm_password=violet+harbour+lantern"
        ),
        &[(NW, "auth.password_reset")],
    )
    .await;

    // Every registered server function was called.
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    assert!(
        w.called.is_subset(&registered),
        "the walk names the registered functions: {:?}",
        w.called.difference(&registered).collect::<Vec<_>>()
    );
    assert!(
        w.refused_strangers >= 30,
        "only {} calls named rows",
        w.refused_strangers
    );
    // Each column of the matrix was really exercised.
    eprintln!("refused, by column: {:#?}", w.refused);
    for (column, least) in [
        ("a Standard user without the permission", 45),
        ("a holder of Users: add only", 40),
        ("vendor staff, not switched in", 4 * 35),
        ("a lapsed vendor switch", 3 * 35),
        ("vendor reach below its tier", 15),
        ("vendor reach, allowed reads", 5),
        ("platform staff (a Support Agent)", 45),
        ("platform staff (a Platform Administrator)", 45),
    ] {
        let refused = w.refused.get(column).copied().unwrap_or(0);
        assert!(refused >= least, "{column}: only {refused} calls");
    }
    // No GET reaches a server function: they are POST endpoints only.
    let before = fingerprint(&pool).await;
    for endpoint in &registered {
        let reply = common::get(router.clone(), &format!("/api/{endpoint}")).await;
        assert!(
            !reply.status.is_success(),
            "GET /api/{endpoint}: {}",
            reply.status
        );
    }
    assert_eq!(fingerprint(&pool).await, before, "a GET changed something");
    for (own, _) in DELEGATED {
        assert!(registered.contains(*own), "{own} is not a server function");
    }
    let missing: Vec<&String> = registered.difference(&w.called).collect();
    assert!(missing.is_empty(), "not walked: {missing:?}");
    let misses = MISSES.lock().unwrap();
    assert!(misses.is_empty(), "not refused:\n{}", misses.join("\n"));
}

/// Nora: a Standard, Customer-type user of North Clinic with the demo
/// password, whose role grants no permission at all.
async fn add_user_without_permissions(pool: &PgPool, org: i64) {
    add_user_with(pool, org, NORA, "Nothing", &[]).await;
}

/// Dora: as Nora, with a role that gives Users: add and nothing else.
async fn add_delegated_user(pool: &PgPool, org: i64) {
    add_user_with(pool, org, DORA, "Delegate", &["users.add"]).await;
}

/// A copy of Cathy (Customer-type, North Clinic) with `email` and a role
/// of its own holding `permissions`.
async fn add_user_with(pool: &PgPool, org: i64, email: &str, role: &str, permissions: &[&str]) {
    let mut tx = pool.begin().await.unwrap();
    let role: i64 = sqlx::query_scalar(
        "INSERT INTO roles (org_id, name, description, permissions) VALUES ($1, $2, 'For the walk', $3) RETURNING id",
    )
    .bind(org)
    .bind(role)
    .bind(permissions)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO users OVERRIDING SYSTEM VALUE
         SELECT (jsonb_populate_record(NULL::users, to_jsonb(u) || jsonb_build_object(
             'id', (SELECT max(id) + 1000 FROM users), 'first_name', initcap(split_part($1, '.', 1)),
             'last_name', initcap(split_part(split_part($1, '@', 1), '.', 2)),
             'email', $1::text, 'role_id', $2::bigint, 'version', 1))).*
         FROM users u WHERE email = 'cathy.customer@northwind.example'",
    )
    .bind(email)
    .bind(role)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// The platform's functions, each called by who may (the Walk's columns
/// replay them as everyone who may not).
async fn walk_the_platform(w: &mut Walk, agent: &str, paula: &str, ada: &str) {
    const NW: &str = CUSTOMER;
    const MR: &str = SECOND_VENDOR;
    const PF: &str = PLATFORM;
    let router = w.router.clone();
    let (max, _) = enrolled_admin_session(&router, MAX).await;
    let northwind = w.northwind;
    let meridian = w
        .int(&format!("SELECT id FROM organizations WHERE name = '{MR}'"))
        .await;

    // The console: organizations and staff.
    w.read(agent, "platform_organizations", "search=&kind=")
        .await;
    w.read(agent, "load_organization", &format!("org_id={northwind}"))
        .await;
    w.read(agent, "platform_staff", "").await;
    let created: i64 = ok(w
        .step(
            paula,
            "create_organization",
            "kind=vendor&name=Acme+Billing&first_name=Olga&last_name=Owens&email=olga%40acme.example",
            &[("Acme Billing", "organization.create")],
        )
        .await);
    let version = |w: &Walk| {
        let sql = format!("SELECT access_version FROM organizations WHERE id = {created}");
        let pool = w.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let v = version(w).await;
    w.step(
        paula,
        "rename_organization",
        &format!("org_id={created}&version={v}&name=Acme+Revenue"),
        &[("Acme Revenue", "organization.rename")],
    )
    .await;
    let v = version(w).await;
    w.step(
        paula,
        "set_organization_suspended",
        &format!("org_id={created}&version={v}&suspended=true"),
        &[("Acme Revenue", "organization.suspend")],
    )
    .await;
    w.step(
        paula,
        "add_platform_staff",
        "first_name=Tina&last_name=Tech&email=tina%40portcullis.example&role=support_agent",
        &[(PF, "staff.add")],
    )
    .await;

    // The desk: Northwind's ticket, assigned; a ticket opened for it.
    w.read(
        agent,
        "support_desk",
        "organization=&status=&age=&assignee=",
    )
    .await;
    sqlx::query(
        "INSERT INTO support_tickets (org_id, subject, message, opened_by)
         SELECT org_id, 'Make Pat a Support User', 'Please.', id FROM users
         WHERE email = 'ada.admin@northwind.example'",
    )
    .execute(&w.pool)
    .await
    .unwrap();
    let ticket = w.int("SELECT max(id) FROM support_tickets").await;
    let version = w
        .version(&format!(
            "SELECT version FROM support_tickets WHERE id = {ticket}"
        ))
        .await;
    let sean = user_id(&w.pool, SEAN).await;
    w.read(agent, "load_desk_view", &format!("ticket_id={ticket}"))
        .await;
    w.step(
        agent,
        "assign_ticket",
        &format!("ticket_id={ticket}&version={version}&assignee={sean}"),
        &[(NW, "ticket.assign")],
    )
    .await;
    w.step(
        agent,
        "open_ticket_for",
        &format!("org_id={northwind}&subject=Verification+call&message=We+called+back."),
        &[(NW, "ticket.open")],
    )
    .await;
    let pat = user_id(&w.pool, PAT).await;
    w.step(
        agent,
        "propose_change",
        &format!("ticket_id={ticket}&change=make_support_user&user_id={pat}&reason=Asked+by+Ada"),
        &[(NW, "platform.change_propose")],
    )
    .await;
    let change = w
        .int("SELECT max(id) FROM platform_changes WHERE status = 'pending'")
        .await;
    w.step(
        paula,
        "decide_change",
        &format!("change_id={change}&approve=true"),
        &[(NW, "platform.change_apply")],
    )
    .await;

    // Links: Meridian consents to Northwind's request, the platform
    // completes it, Meridian ends it; Northwind asks again and Meridian
    // declines.
    let everywhere =
        |action: &'static str, side: &'static str| [(NW, action), (side, action), (PF, action)];
    w.read(&max, "vendor_link_requests", "").await;
    w.read(agent, "vendor_link_requests", "").await;
    let request = w
        .int(&format!(
            "SELECT id FROM vendor_link_requests WHERE vendor_id = {meridian} AND status = 'pending'"
        ))
        .await;
    w.step(
        &max,
        "consent_to_link",
        &format!("request_id={request}&version=1&max_tier="),
        &everywhere("link.consent", MR),
    )
    .await;
    w.step(
        agent,
        "complete_vendor_link",
        &format!("request_id={request}&version=2&tier=limited"),
        &everywhere("link.complete", MR),
    )
    .await;
    w.step(
        &max,
        "unlink_vendor",
        &format!("other={northwind}"),
        &everywhere("link.end", MR),
    )
    .await;
    w.step(
        ada,
        "request_vendor_link",
        &format!("other={meridian}&max_tier=limited"),
        &everywhere("link.request", MR),
    )
    .await;
    let asked = w
        .int(&format!(
            "SELECT id FROM vendor_link_requests WHERE vendor_id = {meridian} AND status = 'pending'"
        ))
        .await;
    w.step(
        &max,
        "decline_link",
        &format!("request_id={asked}&version=1"),
        &everywhere("link.decline", MR),
    )
    .await;
}
