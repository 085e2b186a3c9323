//! Why the server could not start or a command failed. Each message is one
//! sentence saying what is wrong and what to do.

use std::net::SocketAddr;

use crate::embedded_pg::ClusterError;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(
        "DATABASE_URL is not a valid PostgreSQL URL ({0}); expected something like \
         postgres://user:password@localhost:5432/portcullis"
    )]
    InvalidDatabaseUrl(String),
    #[error(
        "could not connect to the database at {target} ({reason}). Check DATABASE_URL and \
         that the PostgreSQL server is running"
    )]
    DatabaseUnreachable { target: String, reason: String },
    #[error("could not apply the database migrations: {0}")]
    Migration(String),
    #[error("could not load the demo data: {0}")]
    Seed(String),
    #[error("{0}")]
    Admin(String),
    #[error(
        "the address {0} is already in use. Stop the other process or choose another \
         address with --listen (or PORTCULLIS_LISTEN)"
    )]
    AddressInUse(SocketAddr),
    #[error("could not listen on {addr} ({reason}). Choose another address with --listen")]
    Listen { addr: SocketAddr, reason: String },
    #[error("the Leptos site configuration is invalid: {0}")]
    SiteConfig(String),
    #[error("the HTTP server stopped with an error: {0}")]
    Server(String),
    #[error("mail cannot be sent: {0}. Check --smtp-url and --mail-from")]
    Mail(String),
    #[error("{0}")]
    Cluster(#[from] ClusterError),
    #[error(
        "the account offer {file} cannot be used: {reason}. Fix it, or leave out --account-offer for the default"
    )]
    AccountOffer { file: String, reason: String },
}
