//! Helpers shared by the integration tests.

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode},
};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;
use tower::ServiceExt;

use app::state::AppState;

/// The full router over a test database, as `portcullis serve` builds it.
pub fn app(pool: PgPool) -> Router {
    app_with(pool, app::state::SessionPolicy::default())
}

pub fn app_with(pool: PgPool, sessions: app::state::SessionPolicy) -> Router {
    app_with_mail(pool, sessions, true)
}

/// Links in mail point at http://portcullis.test.
pub fn app_with_mail(
    pool: PgPool,
    sessions: app::state::SessionPolicy,
    dev_mailbox: bool,
) -> Router {
    let leptos_options = LeptosOptions::builder().output_name("portcullis").build();
    router(pool, leptos_options, sessions, dev_mailbox)
}

/// The full router serving the site that `leptos_options` names.
pub fn app_over_site(pool: PgPool, leptos_options: LeptosOptions) -> Router {
    router(pool, leptos_options, Default::default(), false)
}

fn router(
    pool: PgPool,
    leptos_options: LeptosOptions,
    sessions: app::state::SessionPolicy,
    dev_mailbox: bool,
) -> Router {
    server::router::app(AppState {
        pool,
        leptos_options,
        sessions,
        mail: app::state::MailSettings {
            public_url: "http://portcullis.test".to_owned(),
            dev_mailbox,
            smtp: false,
        },
        snapshots: Default::default(),
        account_offer: std::sync::Arc::new(server::account_offer::default_offer()),
    })
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

pub async fn send(app: Router, request: Request<Body>) -> Reply {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

pub async fn get(app: Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// A same-origin form POST, as a Portcullis page sends it.
pub async fn post_form(app: Router, uri: &str, form: &str) -> Reply {
    post_form_with(app, uri, form, &[]).await
}

/// A same-origin form POST with extra headers (a `cookie`, say).
pub async fn post_form_with(app: Router, uri: &str, form: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "portcullis.test")
        .header("origin", "http://portcullis.test");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::from(form.to_owned())).unwrap()).await
}

/// A server function call with a session cookie.
pub async fn call(router: &Router, cookie: &str, endpoint: &str, form: &str) -> Reply {
    post_form_with(
        router.clone(),
        &format!("/api/{endpoint}"),
        form,
        &[("cookie", cookie)],
    )
    .await
}

/// The field errors of a 422 answer (fails the test on anything else).
pub fn invalid(reply: &Reply) -> app::model::validation::FieldErrors {
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    match serde_json::from_str(&reply.body).unwrap() {
        app::error::AppError::Invalid(errors) => errors,
        other => panic!("{other:?}"),
    }
}

/// The Conflict message of a 409 answer (fails the test on anything else).
pub fn conflict(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    match serde_json::from_str(&reply.body).unwrap() {
        app::error::AppError::Conflict(message) => message,
        other => panic!("{other:?}"),
    }
}

/// A server function call that must succeed: its answer, decoded.
pub async fn call_ok<T: serde::de::DeserializeOwned>(
    router: &Router,
    cookie: &str,
    endpoint: &str,
    form: &str,
) -> T {
    ok(call(router, cookie, endpoint, form).await)
}

/// A server function call that must be refused as bad input: its field errors.
pub async fn invalid_call(
    router: &Router,
    cookie: &str,
    endpoint: &str,
    form: &str,
) -> app::model::validation::FieldErrors {
    invalid(&call(router, cookie, endpoint, form).await)
}

/// A server function call that must be refused as stale: its Conflict message.
pub async fn conflicting_call(router: &Router, cookie: &str, endpoint: &str, form: &str) -> String {
    conflict(&call(router, cookie, endpoint, form).await)
}

/// Who the session's user is, as the page header shows them (fails the
/// test for a signed-out session).
pub async fn me(router: &Router, cookie: &str) -> app::auth::Me {
    let reply = call(router, cookie, "who_am_i", "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let me: Option<app::auth::Me> = serde_json::from_str(&reply.body).unwrap();
    me.expect("signed in")
}

/// Signs in through the real endpoint; the reply carries the session cookie.
pub async fn sign_in(router: &Router, email: &str, password: &str) -> Reply {
    let form = format!(
        "email={}&password={}",
        email.replace('@', "%40"),
        password.replace(' ', "+")
    );
    post_form(router.clone(), "/api/sign_in", &form).await
}

/// The `name=value` part of the session cookie a reply set, if any.
pub fn session_cookie(reply: &Reply) -> Option<String> {
    reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(server::router::SESSION_COOKIE))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}

/// Calls each (endpoint, form) as `cookie` and checks every answer has `status`.
pub async fn expect_status(
    router: &Router,
    cookie: &str,
    calls: &[(&str, String)],
    status: StatusCode,
) {
    for (endpoint, form) in calls {
        let reply = call(router, cookie, endpoint, form).await;
        assert_eq!(reply.status, status, "{endpoint}: {}", reply.body);
    }
}

/// The body of a successful answer (a redirect after success counts).
pub fn ok<T: serde::de::DeserializeOwned>(reply: Reply) -> T {
    assert!(
        reply.status.is_success() || reply.status.is_redirection(),
        "{}: {}",
        reply.status,
        reply.body
    );
    serde_json::from_str(&reply.body).unwrap()
}

/// The id of the company with this (unique in the demo) name.
pub async fn company_id(pool: &PgPool, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM companies WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The id of the user with this email.
pub async fn user_id(pool: &PgPool, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

pub async fn audit_count(pool: &PgPool, action: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A directory for private clusters that the `postgres` user can reach
/// (test.sh points PORTCULLIS_TEST_TMP at one when the clone is closed to it).
pub fn scratch_dir(name: &str) -> std::path::PathBuf {
    let base = std::env::var("PORTCULLIS_TEST_TMP")
        .unwrap_or_else(|_| env!("CARGO_TARGET_TMPDIR").to_owned());
    let dir = std::path::Path::new(&base).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub async fn organization_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM organizations")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The code an authenticator app shows `offset` seconds from now.
pub fn totp_code(secret_base32: &str, offset: i64) -> String {
    use totp_rs::{Builder, Secret};
    let totp = Builder::new()
        .with_secret(
            Secret::try_from_base32(secret_base32)
                .unwrap()
                .as_ref()
                .to_vec(),
        )
        .build()
        .unwrap();
    let now = chrono::Utc::now().timestamp() + offset;
    totp.generate(u64::try_from(now).unwrap()).to_string()
}

/// Most tests' start: the demo data seeded and the app over it.
pub async fn demo_app(pool: &PgPool) -> Router {
    server::demo::seed(pool).await.unwrap();
    // As every server does at start-up (`database::migrate`).
    let articles = app::help::articles::all().unwrap();
    app::help::db::load(pool, &articles).await.unwrap();
    app(pool.clone())
}

/// `demo_app`, and `email` (a demo Administrator) signed in with
/// two-factor sign-in set up: the router and the session cookie.
pub async fn demo_admin(pool: &PgPool, email: &str) -> (Router, String) {
    let router = demo_app(pool).await;
    let (cookie, _) = enrolled_admin_session(&router, email).await;
    (router, cookie)
}

/// Signs an Administrator in and through two-factor enrolment; returns the
/// fully signed-in session cookie and the authenticator key.
pub async fn enrolled_admin_session(router: &Router, email: &str) -> (String, String) {
    let signed_in = sign_in(router, email, server::demo::DEMO_PASSWORD).await;
    let cookie = session_cookie(&signed_in).unwrap();
    let begun = call(router, &cookie, "begin_two_factor", "").await;
    assert_eq!(begun.status, StatusCode::OK, "{}", begun.body);
    let view: app::auth::two_factor_api::EnrolmentView = serde_json::from_str(&begun.body).unwrap();
    let confirmed = call(
        router,
        &cookie,
        "confirm_two_factor",
        &format!("code={}", totp_code(&view.secret, 0)),
    )
    .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    (session_cookie(&confirmed).unwrap_or(cookie), view.secret)
}

/// A signed-in session of a user who needs no second factor.
pub async fn signed_in(router: &Router, email: &str) -> String {
    let reply = sign_in(router, email, server::demo::DEMO_PASSWORD).await;
    session_cookie(&reply).unwrap_or_else(|| panic!("{email} did not sign in: {}", reply.body))
}

/// The id of the organization with this name.
pub async fn org_id(pool: &PgPool, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A small SMTP server on loopback (RFC 5321's plain path: EHLO, MAIL, RCPT,
/// DATA, QUIT) for `connections` connections one after another, answering
/// RCPT with `rcpt_reply` (say "550 5.1.1 no such user" to refuse every
/// recipient); returns every message it accepted, as received.
pub async fn smtp_sink(
    rcpt_reply: &'static str,
    connections: usize,
) -> (u16, tokio::task::JoinHandle<Vec<String>>) {
    use tokio::{
        io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
        net::TcpListener,
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = tokio::spawn(async move {
        let mut messages = vec![];
        for _ in 0..connections {
            let (socket, _) = listener.accept().await.unwrap();
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
            while let Ok(Some(line)) = lines.next_line().await {
                let verb = line.to_ascii_uppercase();
                let reply = if verb.starts_with("EHLO") {
                    "250-sink\r\n250 8BITMIME".to_owned()
                } else if verb.starts_with("RCPT") {
                    rcpt_reply.to_owned()
                } else if verb.starts_with("DATA") {
                    write.write_all(b"354 go on\r\n").await.unwrap();
                    let mut data = String::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        if line == "." {
                            break;
                        }
                        data.push_str(&line);
                        data.push('\n');
                    }
                    messages.push(data);
                    "250 queued".to_owned()
                } else if verb.starts_with("QUIT") {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    break;
                } else {
                    "250 ok".to_owned()
                };
                if write
                    .write_all(format!("{reply}\r\n").as_bytes())
                    .await
                    .is_err()
                {
                    break;
                }
            }
        }
        messages
    });
    (port, handle)
}

/// What a call changes on purpose, left out of `fingerprint`.
#[derive(Default)]
pub struct Ignoring<'a> {
    /// Audit events with these actions (refusals recorded on purpose).
    pub actions: &'a [&'a str],
    /// Sign-in lockouts (failed sign-ins lead to them).
    pub lockouts: bool,
    /// Vendor staff's switches into customers' accounts.
    pub switches: bool,
}

/// Everything a server function could change, in one string: row counts
/// and versions of every table one writes, and the audit log. "Nothing
/// changed" in the security tests means this is the same before and after.
pub async fn fingerprint(pool: &PgPool, ignoring: &Ignoring<'_>) -> String {
    sqlx::query_scalar(
        "SELECT concat_ws(' ',
            (SELECT count(*) || '/' || coalesce(sum(version), 0) || '/' || count(*) FILTER (WHERE status = 'active') FROM users),
            (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM companies),
            (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM roles),
            (SELECT count(*) FROM role_companies), (SELECT count(*) FROM user_companies),
            (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM claims),
            (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM payers),
            (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM facilities),
            (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM support_tickets),
            (SELECT count(*) FROM support_ticket_comments), (SELECT count(*) FROM support_ticket_vendor_help),
            (SELECT count(*) || '/' || coalesce(sum(version), 0) || '/' || string_agg(tier, ',' ORDER BY vendor_id, customer_id) FROM vendor_links),
            (SELECT count(*) || '/' || count(revoked_at) FROM api_keys),
            (SELECT count(*) || '/' || count(ended_at) FROM vendor_switches WHERE NOT $3),
            (SELECT count(*) || '/' || coalesce(sum(version), 0) || '/' || count(suspended_at)
                    || '/' || string_agg(name, ',' ORDER BY id) FROM organizations),
            (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM vendor_link_requests),
            (SELECT count(*) || '/' || count(decided_at) FROM platform_changes),
            (SELECT count(*) FROM password_tokens), (SELECT count(*) || '/' || coalesce(sum(attempts), 0) FROM email_outbox),
            (SELECT count(*) FROM user_totp), (SELECT count(*) || '/' || count(used_at) FROM recovery_codes),
            (SELECT count(*) FROM sign_in_lockouts WHERE NOT $2),
            (SELECT count(*) FROM audit_events WHERE action <> ALL($1)))",
    )
    .bind(ignoring.actions)
    .bind(ignoring.lockouts)
    .bind(ignoring.switches)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Percent-encodes `text` as a browser encodes a form field.
pub fn encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                encoded.push(byte as char);
            }
            b' ' => encoded.push('+'),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}
