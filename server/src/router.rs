//! The HTTP application, built apart from serving so tests can call it.

use axum::{Router, handler::Handler, http::Request, middleware, routing::get};
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    trace::TraceLayer,
};

use app::{App, shell, state::AppState};
use tower_sessions::{
    Expiry, SessionManagerLayer,
    cookie::{SameSite, time},
};

/// The session cookie. `__Host-` makes browsers insist on Secure, Path=/ and
/// no Domain, so no other site or subdomain can set or read it.
pub const SESSION_COOKIE: &str = "__Host-portcullis";
/// The largest request body accepted: 1 MiB, far above any form's.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The name when Secure is off (plain HTTP on a non-local host).
pub const INSECURE_SESSION_COOKIE: &str = "portcullis";

/// Every route: the health check, the pages, the server functions
/// (registered by `leptos_routes`), and static files from the site root.
pub fn app(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let policy = state.sessions;
    let idle = time::Duration::seconds(policy.idle_timeout.num_seconds());
    let sessions =
        SessionManagerLayer::new(crate::session_store::Sessions::new(state.pool.clone()))
            .with_name(if policy.secure_cookies {
                SESSION_COOKIE
            } else {
                INSECURE_SESSION_COOKIE
            })
            .with_secure(policy.secure_cookies)
            .with_http_only(true)
            .with_same_site(SameSite::Strict)
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(idle));
    Router::new()
        .route("/healthz", get(crate::health::healthz))
        .merge(app::api_keys::rest::router())
        .merge(app::audit::export::router())
        .merge(app::roles::pdf::router())
        .leptos_routes(&state, routes, move || shell(options.clone()))
        // The site's files (`/pkg`, `public/`), each sent from its
        // precompressed copy in the encoding the browser accepts; any other
        // path is the app's "Page not found". Not leptos_axum's
        // `file_and_error_handler` for the files: it gives each file a
        // reactive owner under whatever owner its worker thread last had
        // current, which can be a page still rendering, and moves that
        // page's response headers onto the file (seen: a page sent without
        // its Content-Security-Policy, so its scripts were blocked and it
        // never became interactive).
        .fallback_service(
            ServeDir::new(&*state.leptos_options.site_root)
                .precompressed_br()
                .precompressed_gzip()
                .append_index_html_on_directories(false)
                .call_fallback_on_method_not_allowed(true)
                .fallback(
                    leptos_axum::file_and_error_handler::<AppState, _>(shell)
                        .with_state(state.clone()),
                ),
        )
        .layer(middleware::from_fn(crate::static_files::cache_control))
        // Pages and answers compressed on the way out (brotli at level 4,
        // else gzip), as the browser accepts: a page is a quarter of its
        // size. The site's files pass untouched: they are sent from their
        // precompressed copies, already encoded.
        .layer(CompressionLayer::new())
        .layer(sessions)
        .layer(middleware::from_fn(crate::bad_request::refuse_nul))
        .layer(middleware::from_fn(crate::csrf::same_origin_only))
        // Forms are small; a huge body is refused (413) before anything
        // reads it into memory.
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // Outermost first: give every request an id, log it in the request's
        // span, and send it back so a user's report can be matched to the log.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let request_id = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(middleware::from_fn(crate::request_id::drop_unfit))
        // Outermost: every answer carries them, refusals included.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::security_headers::add,
        ))
        .with_state(state)
}
