//! Opens the database: the one named by DATABASE_URL, or else the private
//! cluster in the data directory, which is then stopped again on close.

use std::{str::FromStr, time::Duration};

use sqlx::{
    PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use crate::{cli::DatabaseArgs, embedded_pg::PrivateCluster, error::StartupError};

/// How long a request waits for a free connection before failing, rather
/// than hanging while the database is down.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_CONNECTIONS: u32 = 16;

/// An open pool, and the private cluster if this process started it.
pub struct Database {
    pool: PgPool,
    started_cluster: Option<PrivateCluster>,
}

impl Database {
    pub async fn open(args: &DatabaseArgs) -> Result<Self, StartupError> {
        match args
            .database_url
            .as_deref()
            .filter(|url| !url.trim().is_empty())
        {
            Some(url) => {
                if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                    return Err(StartupError::InvalidDatabaseUrl(
                        "it must start with postgres:// or postgresql://".to_owned(),
                    ));
                }
                let options = PgConnectOptions::from_str(url)
                    .map_err(|e| StartupError::InvalidDatabaseUrl(e.to_string()))?;
                Ok(Self {
                    pool: connect(options).await?,
                    started_cluster: None,
                })
            }
            None => {
                let cluster = private_cluster(args)?;
                let started = cluster.start().await?;
                let pool = match connect(cluster.connect_options()).await {
                    Ok(pool) => pool,
                    Err(error) => {
                        if started {
                            let _ = cluster.stop().await;
                        }
                        return Err(error);
                    }
                };
                tracing::info!(data_dir = %cluster.data_dir().display(), started, "using the private PostgreSQL cluster");
                Ok(Self {
                    pool,
                    started_cluster: started.then_some(cluster),
                })
            }
        }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Closes the pool, then stops the private cluster if we started it (a
    /// cluster another process started keeps running for that process).
    pub async fn close(self) {
        self.pool.close().await;
        if let Some(cluster) = self.started_cluster {
            match cluster.stop().await {
                Ok(()) => tracing::info!("stopped the private PostgreSQL cluster"),
                Err(error) => {
                    tracing::warn!(%error, "could not stop the private PostgreSQL cluster")
                }
            }
        }
    }
}

/// The private cluster configured by the command line.
pub fn private_cluster(args: &DatabaseArgs) -> Result<PrivateCluster, StartupError> {
    Ok(PrivateCluster::new(
        &args.data_dir,
        args.pg_bin_dir.as_deref(),
    )?)
}

async fn connect(options: PgConnectOptions) -> Result<PgPool, StartupError> {
    use sqlx::{ConnectOptions, Connection};
    let target = describe(&options);
    // One plain connection first: a pool would only report "timed out",
    // hiding the reason (refused, unknown host, bad password, no database).
    let probe = tokio::time::timeout(ACQUIRE_TIMEOUT, options.connect()).await;
    match probe {
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
        }
        Ok(Err(e)) => {
            return Err(StartupError::DatabaseUnreachable {
                target,
                reason: e.to_string(),
            });
        }
        Err(_) => {
            return Err(StartupError::DatabaseUnreachable {
                target,
                reason: format!("no answer within {} seconds", ACQUIRE_TIMEOUT.as_secs()),
            });
        }
    }
    PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|e| StartupError::DatabaseUnreachable {
            target,
            reason: e.to_string(),
        })
}

/// Where a connection goes, without the password.
fn describe(options: &PgConnectOptions) -> String {
    let place = match options.get_socket() {
        Some(socket) => format!("socket {}", socket.display()),
        None => format!("{}:{}", options.get_host(), options.get_port()),
    };
    format!(
        "{place}, database {}",
        options.get_database().unwrap_or("(default)")
    )
}

/// Applies every pending migration; returns the schema version reached.
/// Then loads the Help Center's articles, which the binary carries.
pub async fn migrate(pool: &PgPool) -> Result<i64, StartupError> {
    app::db::MIGRATOR
        .run(pool)
        .await
        .map_err(|e| StartupError::Migration(e.to_string()))?;
    let articles = app::help::articles::all()
        .map_err(|e| StartupError::Migration(format!("a Help Center article: {e}")))?;
    app::help::db::load(pool, &articles)
        .await
        .map_err(|e| StartupError::Migration(format!("loading the Help Center: {e}")))?;
    app::db::schema_version(pool)
        .await
        .map_err(|e| StartupError::Migration(e.to_string()))
}
