//! `portcullis serve`: bind, open the database, migrate, serve until Ctrl-C
//! or SIGTERM, then finish open requests and stop the private cluster.

use std::net::SocketAddr;

use leptos::prelude::get_configuration;
use tokio::net::TcpListener;

use app::state::AppState;

use crate::{
    cli::{DatabaseArgs, ServeArgs},
    database::{self, Database},
    error::StartupError,
};

pub async fn serve(db_args: &DatabaseArgs, args: &ServeArgs) -> Result<(), StartupError> {
    let mut leptos_options = get_configuration(None)
        .map_err(|e| StartupError::SiteConfig(e.to_string()))?
        .leptos_options;
    crate::static_files::use_hashed_names(&mut leptos_options);
    let addr = args.listen.unwrap_or(leptos_options.site_addr);
    leptos_options.site_addr = addr;
    // A configuration mistake stops the start at once, before any binding.
    let offer = crate::account_offer::load(args.account_offer.as_deref())?;

    // Bind first: a taken port fails in milliseconds, before any database work.
    let listener = bind(addr).await?;
    let database = Database::open(db_args).await?;
    let result = serve_on(listener, &database, leptos_options, args, offer).await;
    database.close().await;
    result
}

async fn serve_on(
    listener: TcpListener,
    database: &Database,
    leptos_options: leptos::config::LeptosOptions,
    args: &ServeArgs,
    offer: app::accounts::offer::AccountOffer,
) -> Result<(), StartupError> {
    let version = database::migrate(database.pool()).await?;
    if args.seed_demo {
        let report = crate::demo::seed(database.pool())
            .await
            .map_err(|e| StartupError::Seed(e.to_string()))?;
        println!("{report}");
    }
    // The bound address, which differs from the asked one for port 0.
    let addr = listener.local_addr().unwrap_or(leptos_options.site_addr);
    let state = AppState {
        pool: database.pool().clone(),
        leptos_options,
        sessions: args.session_policy(),
        mail: args.mail_settings(addr),
        snapshots: Default::default(),
        account_offer: std::sync::Arc::new(offer),
    };
    // Expired sessions are deleted in the background; any process may do it.
    let sweeper = {
        use tower_sessions::session_store::ExpiredDeletion;
        let store = tower_sessions_sqlx_store::PostgresStore::new(state.pool.clone());
        tokio::spawn(store.continuously_delete_expired(std::time::Duration::from_secs(300)))
    };
    // Timed Vendor Access grants end, and are warned about, in the background.
    let expiry = tokio::spawn(app::vendor_access::expiry::run(state.pool.clone()));
    // Mail goes out only where an SMTP server is configured.
    let mail_worker = match &args.smtp_url {
        Some(url) => {
            let mailer = crate::mailer::Mailer::new(url, &args.mail_from)
                .map_err(|e| StartupError::Mail(e.to_string()))?;
            Some(tokio::spawn(mailer.run(state.pool.clone())))
        }
        None => None,
    };
    let app = crate::router::app(state);
    // Handlers are installed before "ready" is printed: a signal that arrives
    // right after must shut down gracefully, not kill the process.
    let shutdown = shutdown_signal()?;
    tracing::info!(schema_version = version, "serving on http://{addr}");
    println!("Portcullis is ready on http://{addr} (press Ctrl-C to stop).");
    // Connect info gives sign-in throttling the client's address.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| StartupError::Server(e.to_string()));
    sweeper.abort();
    expiry.abort();
    if let Some(worker) = mail_worker {
        worker.abort();
    }
    served
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, StartupError> {
    TcpListener::bind(addr).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => StartupError::AddressInUse(addr),
        _ => StartupError::Listen {
            addr,
            reason: e.to_string(),
        },
    })
}

/// Installs the Ctrl-C and SIGTERM (what systemd and container runtimes
/// send) handlers now and returns a future that resolves on either.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, StartupError> {
    use tokio::signal::unix::{SignalKind, signal};
    let install = |kind: SignalKind| {
        signal(kind).map_err(|e| StartupError::Server(format!("cannot handle signals: {e}")))
    };
    let mut interrupt = install(SignalKind::interrupt())?;
    let mut terminate = install(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("shutting down: finishing open requests");
    })
}
