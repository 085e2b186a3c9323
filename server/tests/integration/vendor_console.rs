//! The vendor console: Manage Accounts (search, paging), Edit Account with
//! Full Access (settings, password links) and without it, and Switch to
//! account — as the account's Administrator, visibly, audited in both logs,
//! dropped as soon as the customer lowers the grant.

use crate::common;

use app::{
    accounts::{
        ACCOUNT_CHANGED_ELSEWHERE, ACCOUNT_SAVED, AccountDetail, AccountsPage,
        SWITCH_NEEDS_TWO_FACTOR,
    },
    model::{
        account::NO_CLAIM_KIND_MESSAGE, account::ServicePlan, validation::Field, vendor::VendorTier,
    },
};
use axum::{Router, http::StatusCode};
use common::{
    audit_count, call, call_ok, enrolled_admin_session, expect_status, invalid_call, me, ok,
    org_id, signed_in, user_id,
};
use server::demo::{CUSTOMER, SECOND_CUSTOMER, VENDOR};
use sqlx::PgPool;

const VICTOR: &str = "victor.staff@claimwise.example";
const VERA: &str = "vera.vendor@claimwise.example";

async fn accounts(router: &Router, cookie: &str, form: &str) -> AccountsPage {
    call_ok(router, cookie, "linked_accounts", form).await
}

async fn account(router: &Router, cookie: &str, id: i64) -> AccountDetail {
    call_ok(router, cookie, "load_account", &format!("customer_id={id}")).await
}

fn settings_form(id: i64, version: i32, boxes: &[&str]) -> String {
    let mut form = format!("customer_id={id}&version={version}");
    for b in boxes {
        form.push_str(&format!("&{b}=on"));
    }
    form
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn manage_accounts_searches_and_pages_the_linked_accounts(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let victor = signed_in(&router, VICTOR).await;
    let page = accounts(&router, &victor, "search=").await;
    let names: Vec<&str> = page.accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, [CUSTOMER, SECOND_CUSTOMER]);
    assert_eq!(page.accounts[0].tier, VendorTier::AllSupport);
    assert_eq!(page.accounts[1].tier, VendorTier::Full);
    assert!(
        page.accounts
            .iter()
            .all(|a| a.plan == ServicePlan::Standard && a.set_up)
    );
    assert_eq!(accounts(&router, &victor, "search=+RIVER").await.total, 1);
    assert_eq!(accounts(&router, &victor, "search=%25").await.total, 0);

    // 40 more linked accounts (one not linked): pages of 25, none twice.
    let vendor = org_id(&pool, VENDOR).await;
    sqlx::query(
        "WITH o AS (INSERT INTO organizations (name, kind)
                    SELECT 'Practice ' || lpad(n::text, 2, '0'), 'customer' FROM generate_series(1, 41) n
                    RETURNING id, name)
         INSERT INTO vendor_links (vendor_id, customer_id, tier)
         SELECT $1, id, 'limited' FROM o WHERE name <> 'Practice 41'",
    )
    .bind(vendor)
    .execute(&pool)
    .await
    .unwrap();
    let first = accounts(&router, &victor, "search=practice").await;
    assert_eq!((first.total, first.accounts.len()), (41, 25));
    let after = first.next_after.unwrap();
    let second = accounts(&router, &victor, &format!("search=practice&after={after}")).await;
    assert_eq!(second.accounts.len(), 16);
    assert_eq!(second.next_after, None);
    let mut all: Vec<String> = first
        .accounts
        .iter()
        .chain(&second.accounts)
        .map(|a| a.name.clone())
        .collect();
    assert!(all.contains(&"Riverside Family Practice".to_owned()));
    assert!(!all.contains(&"Practice 41".to_owned()));
    all.dedup();
    assert_eq!(all.len(), 41);
    // Accounts not set up yet (no Administrator with a password) say so.
    let practices = first
        .accounts
        .iter()
        .chain(&second.accounts)
        .filter(|a| a.name.starts_with("Practice "));
    assert!(practices.clone().count() == 40 && practices.clone().all(|a| !a.set_up));
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn with_full_access_the_vendor_edits_settings_and_sends_password_links(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let victor = signed_in(&router, VICTOR).await;
    let riverside = org_id(&pool, SECOND_CUSTOMER).await;
    let detail = account(&router, &victor, riverside).await;
    assert!(detail.may_administer);
    assert!(detail.settings.professional_claims && !detail.settings.dental_claims);
    assert_eq!(detail.users.len(), 1);
    let said: String = call_ok(
        &router,
        &victor,
        "save_account_settings",
        &settings_form(
            riverside,
            detail.version,
            &["transmit_approval_required", "dental_claims"],
        ),
    )
    .await;
    assert_eq!(said, ACCOUNT_SAVED);
    let after = account(&router, &victor, riverside).await;
    assert!(after.settings.transmit_approval_required && after.settings.dental_claims);
    assert!(!after.settings.professional_claims);
    // No kind of claim at all, or a stale form: refused, nothing changed.
    let errors = invalid_call(
        &router,
        &victor,
        "save_account_settings",
        &settings_form(riverside, after.version, &["transmit_approval_required"]),
    )
    .await;
    assert_eq!(errors.get(Field::ClaimKinds), Some(NO_CLAIM_KIND_MESSAGE));
    let stale = call(
        &router,
        &victor,
        "save_account_settings",
        &settings_form(riverside, detail.version, &["professional_claims"]),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains(ACCOUNT_CHANGED_ELSEWHERE));
    assert_eq!(
        account(&router, &victor, riverside).await.settings,
        after.settings
    );
    // Audited in the customer's log, labelled with the vendor.
    let labelled: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'account.settings' AND org_id = $1 AND acting_vendor_id = $2",
    )
    .bind(riverside)
    .bind(org_id(&pool, VENDOR).await)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(labelled, 1);

    // A password link to a chosen user of the account, by mail.
    let rosa = user_id(&pool, "rosa.rivers@riverside.example").await;
    let said: String = call_ok(
        &router,
        &victor,
        "send_password_link",
        &format!("customer_id={riverside}&user_id={rosa}"),
    )
    .await;
    assert_eq!(
        said,
        "A password link has been sent to rosa.rivers@riverside.example."
    );
    let body: String = sqlx::query_scalar(
        "SELECT body FROM email_outbox WHERE recipient = 'rosa.rivers@riverside.example'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        body.contains("http://portcullis.test/reset-password?token="),
        "{body}"
    );
    // Not to a user of another organization.
    let ada = user_id(&pool, "ada.admin@northwind.example").await;
    let errors = invalid_call(
        &router,
        &victor,
        "send_password_link",
        &format!("customer_id={riverside}&user_id={ada}"),
    )
    .await;
    assert!(errors.get(Field::User).is_some());
    assert_eq!(audit_count(&pool, "user.password_link").await, 1);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn below_full_access_edit_account_is_read_only(pool: PgPool) {
    let (router, vera) = common::demo_admin(&pool, VERA).await;
    let northwind = org_id(&pool, CUSTOMER).await;
    let detail = account(&router, &vera, northwind).await;
    assert!(!detail.may_administer);
    assert!(detail.users.is_empty());
    let ada = user_id(&pool, "ada.admin@northwind.example").await;
    expect_status(
        &router,
        &vera,
        &[
            (
                "save_account_settings",
                settings_form(northwind, detail.version, &["dental_claims"]),
            ),
            (
                "send_password_link",
                format!("customer_id={northwind}&user_id={ada}"),
            ),
            ("switch_to_account", format!("customer_id={northwind}")),
        ],
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(
        account(&router, &vera, northwind).await.settings,
        detail.settings
    );
    let mails: i64 = sqlx::query_scalar("SELECT count(*) FROM email_outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(mails, 0);
    assert_eq!(me(&router, &vera).await.switched_from, None);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn switched_in_staff_act_as_the_accounts_administrator_until_the_grant_drops(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let riverside = org_id(&pool, SECOND_CUSTOMER).await;
    let vendor = org_id(&pool, VENDOR).await;
    // Switching in needs two-factor sign-in: Victor has none.
    let victor = signed_in(&router, VICTOR).await;
    let refused = call(
        &router,
        &victor,
        "switch_to_account",
        &format!("customer_id={riverside}"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains(SWITCH_NEEDS_TWO_FACTOR));
    assert_eq!(me(&router, &victor).await.organization, VENDOR);

    let (vera, _) = enrolled_admin_session(&router, VERA).await;
    let switched = call(
        &router,
        &vera,
        "switch_to_account",
        &format!("customer_id={riverside}"),
    )
    .await;
    assert!(
        switched.status.is_success() || switched.status.is_redirection(),
        "{}",
        switched.body
    );
    let inside = me(&router, &vera).await;
    assert_eq!(inside.organization, SECOND_CUSTOMER);
    assert_eq!(inside.switched_from.as_deref(), Some(VENDOR));
    assert!(inside.administrator && !inside.vendor_staff);
    assert_eq!(
        inside.company_names(),
        [SECOND_CUSTOMER, "Riverside Pediatrics"]
    );
    // Administrator-equivalent: the account's users, and its companies changed.
    let users: app::users::UsersPage = call_ok(
        &router,
        &vera,
        "list_users",
        "search=&status=&account_type=",
    )
    .await;
    let emails: Vec<&str> = users.users.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(emails, ["rosa.rivers@riverside.example"]);
    call_ok::<String>(&router, &vera, "create_company", "name=Riverside+Dental").await;
    // Audited: the switch in both logs, the change in the customer's, each
    // labelled with the vendor.
    for (action, org) in [
        ("vendor.switch_in", vendor),
        ("vendor.switch_in", riverside),
        ("company.create", riverside),
    ] {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_events WHERE action = $1 AND org_id = $2 AND acting_vendor_id = $3",
        )
        .bind(action)
        .bind(org)
        .bind(vendor)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(n, 1, "{action} in {org}");
    }
    // Administrator-equivalent, except for its own grant: the Vendor Access
    // setting stays with the account's own Administrators.
    let settings: app::vendor_access::VendorSettingsPage =
        call_ok(&router, &vera, "vendor_settings", "").await;
    assert!(!settings.may_change);
    let extend =
        format!("vendor_id={vendor}&version=1&tier=full&length=until_changed&until=&reverts_to=");
    let refused = call(&router, &vera, "set_vendor_access", &extend).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.body.contains("OwnAdministratorsOnly"),
        "{}",
        refused.body
    );
    // Nor may it plant an Administrator of its own, or change the
    // account's Administrators.
    let rosa = user_id(&pool, "rosa.rivers@riverside.example").await;
    let parent = common::company_id(&pool, SECOND_CUSTOMER).await;
    let planted = call(&router, &vera, "add_user", &format!(
        "first_name=Mallory&last_name=Vendor&email=mallory%40evil.example&account_type=administrator&user_type=partner&company_id={parent}&role_id="
    )).await;
    assert_eq!(planted.status, StatusCode::FORBIDDEN, "{}", planted.body);
    let retargeted = call(&router, &vera, "update_user_profile", &format!(
        "user_id={rosa}&version=1&first_name=Rosa&last_name=Rivers&email=mallory%40evil.example&status=active"
    )).await;
    assert_eq!(
        retargeted.status,
        StatusCode::FORBIDDEN,
        "{}",
        retargeted.body
    );
    expect_status(
        &router,
        &vera,
        &[(
            "bulk_update_users",
            format!("action=deactivate&users[0]={rosa}&role_id=&company_id="),
        )],
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM users WHERE email LIKE '%evil.example'"
        )
        .await,
        0
    );
    // No other customer is reachable from inside: Northwind's users are not
    // Riverside's.
    let pat = user_id(&pool, "pat.partner@northwind.example").await;
    expect_status(
        &router,
        &vera,
        &[("load_user", format!("user_id={pat}"))],
        StatusCode::NOT_FOUND,
    )
    .await;

    // Riverside's Administrator lowers the grant: the change ends the
    // switch and both logs say so, then and there.
    let (riverside_admin, _) =
        enrolled_admin_session(&router, "rosa.rivers@riverside.example").await;
    let page: app::vendor_access::VendorSettingsPage =
        call_ok(&router, &riverside_admin, "vendor_settings", "").await;
    let link = page
        .vendors
        .iter()
        .find(|v| v.vendor_id.0 == vendor)
        .unwrap();
    call_ok::<String>(
            &router,
            &riverside_admin,
            "set_vendor_access",
            &format!(
                "vendor_id={vendor}&version={}&tier=all_support&length=until_changed&until=&reverts_to=",
                link.version
            ),
        ).await;
    assert_eq!(audit_count(&pool, "vendor.switch_lapsed").await, 2);
    // A request meant for the customer's account is refused, not run in the
    // vendor's own; checking it changed nothing.
    let before = common::fingerprint(&pool, &common::Ignoring::default()).await;
    let meant_inside = call(&router, &vera, "create_company", "name=Riverside+Annex").await;
    assert_eq!(
        meant_inside.status,
        StatusCode::FORBIDDEN,
        "{}",
        meant_inside.body
    );
    assert!(
        meant_inside.body.contains("SwitchLapsed"),
        "{}",
        meant_inside.body
    );
    assert_eq!(
        common::fingerprint(&pool, &common::Ignoring::default()).await,
        before
    );
    // The next page the vendor opens describes their own account.
    let outside = me(&router, &vera).await;
    assert_eq!(outside.organization, VENDOR);
    assert_eq!(outside.switched_from, None);
    let users: app::users::UsersPage = call_ok(
        &router,
        &vera,
        "list_users",
        "search=&status=&account_type=",
    )
    .await;
    assert!(
        users
            .users
            .iter()
            .all(|u| u.email.ends_with("@claimwise.example"))
    );
    // And it stays out when Full Access comes back (the switch was left).
    sqlx::query("UPDATE vendor_links SET tier = 'full' WHERE customer_id = $1")
        .bind(riverside)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(me(&router, &vera).await.organization, VENDOR);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn return_to_vendor_leaves_the_account_audited(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let riverside = org_id(&pool, SECOND_CUSTOMER).await;
    let (vera, _) = enrolled_admin_session(&router, VERA).await;
    let not_in = call(&router, &vera, "return_to_vendor", "").await;
    assert_eq!(not_in.status, StatusCode::CONFLICT);
    ok::<()>(
        call(
            &router,
            &vera,
            "switch_to_account",
            &format!("customer_id={riverside}"),
        )
        .await,
    );
    assert_eq!(me(&router, &vera).await.organization, SECOND_CUSTOMER);
    // While inside, the console itself is the vendor's: return first.
    expect_status(
        &router,
        &vera,
        &[("linked_accounts", "search=".to_owned())],
        StatusCode::FORBIDDEN,
    )
    .await;
    ok::<()>(call(&router, &vera, "return_to_vendor", "").await);
    assert_eq!(me(&router, &vera).await.organization, VENDOR);
    assert_eq!(audit_count(&pool, "vendor.switch_out").await, 2);
    assert_eq!(accounts(&router, &vera, "search=").await.total, 2);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn only_the_linked_vendors_staff_use_the_console(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let riverside = org_id(&pool, SECOND_CUSTOMER).await;
    let rosa = user_id(&pool, "rosa.rivers@riverside.example").await;
    let calls = [
        ("linked_accounts", "search=".to_owned()),
        ("load_account", format!("customer_id={riverside}")),
        (
            "save_account_settings",
            settings_form(riverside, 1, &["dental_claims"]),
        ),
        (
            "send_password_link",
            format!("customer_id={riverside}&user_id={rosa}"),
        ),
        ("switch_to_account", format!("customer_id={riverside}")),
    ];
    expect_status(&router, "", &calls, StatusCode::UNAUTHORIZED).await;
    // A customer's Administrator is no vendor.
    let (ada, _) = enrolled_admin_session(&router, "ada.admin@northwind.example").await;
    expect_status(&router, &ada, &calls, StatusCode::FORBIDDEN).await;
    // An organization that is not linked: not found.
    let victor = signed_in(&router, VICTOR).await;
    let own = org_id(&pool, VENDOR).await;
    expect_status(
        &router,
        &victor,
        &[
            ("load_account", format!("customer_id={own}")),
            (
                "save_account_settings",
                settings_form(own, 1, &["dental_claims"]),
            ),
            ("switch_to_account", format!("customer_id={own}")),
        ],
        StatusCode::NOT_FOUND,
    )
    .await;
    let long = "x".repeat(101);
    let errors = invalid_call(
        &router,
        &victor,
        "linked_accounts",
        &format!("search={long}"),
    )
    .await;
    assert!(errors.get(Field::Search).is_some());
    assert_eq!(audit_count(&pool, "vendor.switch_in").await, 0);
    assert_eq!(audit_count(&pool, "account.settings").await, 0);
}

fn new_account(name: &str, email: &str, phone: &str) -> String {
    format!(
        "name={}&settings[professional_claims]=on&settings[dental_claims]=on&contact[first_name]=Lena&contact[last_name]=Lake&contact[email]={}&contact[phone]={}&plan=starter",
        name.replace(' ', "+"),
        email.replace('@', "%40"),
        phone.replace('+', "%2B").replace(' ', "%20")
    )
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_vendor_administrator_adds_an_account_and_invites_its_first_administrator(pool: PgPool) {
    let (router, vera) = common::demo_admin(&pool, VERA).await;
    let id: i64 = call_ok(
        &router,
        &vera,
        "add_account",
        &new_account(
            "Lakeside Clinic",
            "lena.lake@lakeside.example",
            "503-555-0142",
        ),
    )
    .await;
    let (plan, dental, institutional, phone): (String, bool, bool, String) = sqlx::query_as(
        "SELECT service_plan, dental_claims, institutional_claims, contact_phone FROM organizations WHERE id = $1 AND kind = 'customer'",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (plan.as_str(), dental, institutional, phone.as_str()),
        ("starter", true, false, "503-555-0142")
    );
    // Its parent company, its first Administrator (no password yet), and
    // the link: vendor-owned, Full Access.
    assert_eq!(count(&pool, &format!("SELECT count(*) FROM companies WHERE org_id = {id} AND parent_id IS NULL AND name = 'Lakeside Clinic'")).await, 1);
    let (account_type, has_password): (String, bool) = sqlx::query_as(
        "SELECT account_type, password_hash IS NOT NULL FROM users WHERE org_id = $1 AND email = 'lena.lake@lakeside.example'",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (account_type.as_str(), has_password),
        ("administrator", false)
    );
    let (owned, tier): (bool, String) =
        sqlx::query_as("SELECT vendor_owned, tier FROM vendor_links WHERE customer_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((owned, tier.as_str()), (true, "full"));
    // The invitation, single-use and expiring, by mail.
    let body: String = sqlx::query_scalar(
        "SELECT body FROM email_outbox WHERE recipient = 'lena.lake@lakeside.example'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        body.contains("http://portcullis.test/reset-password?token=") && body.contains(VENDOR),
        "{body}"
    );
    // With the configured onboarding documentation.
    let onboarding = server::account_offer::default_offer().onboarding_url;
    assert!(
        body.contains(&format!(
            "Getting started, for you and your users: {onboarding}"
        )),
        "{body}"
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM password_tokens WHERE purpose = 'invitation'"
        )
        .await,
        1
    );
    // In both logs, and in Manage Accounts as not set up yet.
    assert_eq!(count(&pool, &format!("SELECT count(*) FROM audit_events WHERE action = 'account.create' AND org_id IN ({id}, {})", org_id(&pool, VENDOR).await)).await, 2);
    let page = accounts(&router, &vera, "search=lakeside").await;
    assert_eq!(page.accounts.len(), 1);
    assert!(!page.accounts[0].set_up && page.accounts[0].vendor_owned);
    assert_eq!(page.accounts[0].tier, VendorTier::Full);
    assert!(page.may_add);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn a_taken_name_or_email_or_a_bad_field_creates_nothing(pool: PgPool) {
    let (router, vera) = common::demo_admin(&pool, VERA).await;
    let before = (
        count(&pool, "SELECT count(*) FROM organizations").await,
        count(&pool, "SELECT count(*) FROM users").await,
        count(&pool, "SELECT count(*) FROM email_outbox").await,
    );
    let errors = invalid_call(
        &router,
        &vera,
        "add_account",
        &new_account(
            "northwind health PARTNERS",
            "lena.lake@lakeside.example",
            "5035550142",
        ),
    )
    .await;
    assert_eq!(
        errors.get(Field::CompanyName),
        Some(app::accounts::ACCOUNT_NAME_TAKEN)
    );
    let errors = invalid_call(
        &router,
        &vera,
        "add_account",
        &new_account(
            "Lakeside Clinic",
            "Ada.Admin@northwind.example",
            "5035550142",
        ),
    )
    .await;
    assert_eq!(errors.get(Field::Email), Some(app::accounts::EMAIL_TAKEN));
    let errors = invalid_call(
        &router,
        &vera,
        "add_account",
        &new_account("Lakeside Clinic", "lena.lake@lakeside.example", "call me"),
    )
    .await;
    assert_eq!(
        errors.get(Field::Phone),
        Some(app::model::account::PHONE_MESSAGE)
    );
    let after = (
        count(&pool, "SELECT count(*) FROM organizations").await,
        count(&pool, "SELECT count(*) FROM users").await,
        count(&pool, "SELECT count(*) FROM email_outbox").await,
    );
    assert_eq!(after, before);
    assert_eq!(audit_count(&pool, "account.create").await, 0);
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn the_add_account_form_shows_the_configured_plans_and_onboarding_link(pool: PgPool) {
    let (router, vera) = common::demo_admin(&pool, VERA).await;
    let offer: app::accounts::offer::AccountOffer =
        call_ok(&router, &vera, "account_offer", "").await;
    assert_eq!(offer, server::account_offer::default_offer());
    let plans: Vec<&str> = offer.plans.iter().map(|p| p.plan.key()).collect();
    assert_eq!(plans, ["starter", "standard", "enterprise"]);
    assert_eq!(offer.plans[1].price, "$0.25 per claim");
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn only_a_vendors_administrators_add_accounts(pool: PgPool) {
    let router = common::demo_app(&pool).await;
    let form = new_account(
        "Lakeside Clinic",
        "lena.lake@lakeside.example",
        "5035550142",
    );
    let calls = [("add_account", form), ("account_offer", String::new())];
    expect_status(&router, "", &calls, StatusCode::UNAUTHORIZED).await;
    let victor = signed_in(&router, VICTOR).await;
    expect_status(&router, &victor, &calls, StatusCode::FORBIDDEN).await;
    let (ada, _) = enrolled_admin_session(&router, "ada.admin@northwind.example").await;
    expect_status(&router, &ada, &calls, StatusCode::FORBIDDEN).await;
    assert!(!accounts(&router, &victor, "search=").await.may_add);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM organizations WHERE name = 'Lakeside Clinic'"
        )
        .await,
        0
    );
}

#[sqlx::test(migrator = "app::db::MIGRATOR")]
async fn vendor_support_is_the_vendors_own_ticket_queue(pool: PgPool) {
    let (router, vera) = common::demo_admin(&pool, VERA).await;
    let queue: app::support::TicketsPage = call_ok(&router, &vera, "list_tickets", "").await;
    // The demo's one ticket of Claimwise's own to the platform.
    assert!(queue.vendor_queue);
    assert_eq!(queue.tickets.len(), 1);
    let demo = queue.tickets[0].id.0;
    assert_eq!(queue.organization, VENDOR);
    let id: i64 = call_ok(
        &router,
        &vera,
        "open_ticket",
        "subject=Bulk+import+fails&message=CSV+rejected&claims=",
    )
    .await;
    let queue: app::support::TicketsPage = call_ok(&router, &vera, "list_tickets", "").await;
    assert_eq!(
        queue.tickets.iter().map(|t| t.id.0).collect::<Vec<_>>(),
        [id, demo]
    );
    // Staff without the Support User flag may not; customers never see it.
    let victor = signed_in(&router, VICTOR).await;
    expect_status(
        &router,
        &victor,
        &[("list_tickets", String::new())],
        StatusCode::FORBIDDEN,
    )
    .await;
    let sam = signed_in(&router, "sam.support@northwind.example").await;
    expect_status(
        &router,
        &sam,
        &[("load_ticket", format!("ticket_id={id}"))],
        StatusCode::NOT_FOUND,
    )
    .await;
    let northwind: app::support::TicketsPage = call_ok(&router, &sam, "list_tickets", "").await;
    assert!(!northwind.vendor_queue && northwind.tickets.iter().all(|t| t.id.0 != id));
}
