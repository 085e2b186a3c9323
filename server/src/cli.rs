//! The command line: subcommands, flags and their environment variables.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "portcullis",
    version,
    about = "Portcullis: who may act in which company, with which permissions, and how far vendors may reach.",
    long_about = None
)]
pub struct Cli {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where the data lives. Without a database URL, Portcullis runs its own
/// private PostgreSQL cluster in the data directory.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// PostgreSQL URL of an existing database. When unset, a private cluster
    /// in --data-dir is created and started.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Directory of the private PostgreSQL cluster (created on first use).
    #[arg(
        long,
        env = "PORTCULLIS_DATA_DIR",
        global = true,
        default_value = ".portcullis"
    )]
    pub data_dir: PathBuf,
    /// Directory holding the PostgreSQL server binaries (initdb, pg_ctl).
    /// Searched for in /usr/lib/postgresql/*/bin and on PATH when unset.
    #[arg(long, env = "PORTCULLIS_PG_BIN_DIR", global = true)]
    pub pg_bin_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web console (the default command).
    Serve(ServeArgs),
    /// Apply the database migrations and exit.
    Migrate,
    /// Load the demo organizations and users; safe to run again.
    SeedDemo,
    /// Start or stop the private PostgreSQL cluster on its own.
    #[command(subcommand)]
    Db(DbCommand),
    /// The platform operator's commands: bootstrap, break-glass
    /// reactivation, list organizations, unlock a user.
    #[command(subcommand)]
    Admin(crate::admin::AdminCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:3000 [default: the site-addr of Cargo.toml]
    #[arg(long, env = "PORTCULLIS_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Load the demo data before serving.
    #[arg(long)]
    pub seed_demo: bool,
    /// Minutes without a request after which a session ends.
    #[arg(long, env = "PORTCULLIS_SESSION_IDLE_MINUTES", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub session_idle_minutes: u32,
    /// Hours after sign-in after which a session ends, however busy.
    #[arg(long, env = "PORTCULLIS_SESSION_LIFETIME_HOURS", default_value_t = 12,
          value_parser = clap::value_parser!(u32).range(1..=720))]
    pub session_lifetime_hours: u32,
    /// Send the session cookie without Secure (and without the __Host-
    /// prefix). Only for plain HTTP on a host that is not localhost.
    #[arg(long, env = "PORTCULLIS_INSECURE_COOKIES")]
    pub insecure_cookies: bool,
    /// The address users reach Portcullis at, for links in mail
    /// [default: http://<listen address>]
    #[arg(long, env = "PORTCULLIS_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,
    /// Show outgoing mail at /dev/mailbox (on with --seed-demo). Never in
    /// production: anyone could read every message.
    #[arg(long, env = "PORTCULLIS_DEV_MAILBOX")]
    pub dev_mailbox: bool,
    /// Deliver mail through this SMTP server, e.g. smtps://user:pass@mail.example.com
    /// or smtp://localhost:25; without it mail stays in the outbox.
    #[arg(long, env = "PORTCULLIS_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of every message.
    #[arg(
        long,
        env = "PORTCULLIS_MAIL_FROM",
        default_value = "Portcullis <no-reply@localhost>"
    )]
    pub mail_from: String,
    /// The service plans' pricing details and the onboarding link that Add
    /// new account shows and the invitation carries: a TOML file like
    /// server/account-offer.toml, the default.
    #[arg(long, env = "PORTCULLIS_ACCOUNT_OFFER")]
    pub account_offer: Option<std::path::PathBuf>,
}

fn parse_public_url(text: &str) -> Result<String, String> {
    let url = text.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with https:// or http://")?;
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err("must name a host, e.g. https://portcullis.example.com".to_owned());
    }
    Ok(url.to_owned())
}

impl ServeArgs {
    pub fn session_policy(&self) -> app::state::SessionPolicy {
        app::state::SessionPolicy {
            idle_timeout: chrono::Duration::minutes(self.session_idle_minutes.into()),
            absolute_lifetime: chrono::Duration::hours(self.session_lifetime_hours.into()),
            secure_cookies: !self.insecure_cookies,
        }
    }

    /// Mail settings; `addr` is the address the server is bound to.
    pub fn mail_settings(&self, addr: SocketAddr) -> app::state::MailSettings {
        app::state::MailSettings {
            public_url: self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{addr}")),
            dev_mailbox: self.dev_mailbox || self.seed_demo,
            smtp: self.smtp_url.is_some(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Create (first time) and start the private cluster, print its
    /// DATABASE_URL and leave it running.
    Start,
    /// Stop the private cluster.
    Stop,
}

#[cfg(test)]
mod tests {
    use super::parse_public_url;

    #[test]
    fn public_urls_need_a_scheme_and_a_host() {
        assert_eq!(
            parse_public_url("https://portcullis.example.com/").as_deref(),
            Ok("https://portcullis.example.com")
        );
        assert_eq!(
            parse_public_url("http://127.0.0.1:3000").as_deref(),
            Ok("http://127.0.0.1:3000")
        );
        for bad in [
            "portcullis.example.com",
            "ftp://x",
            "https://",
            "https://a b",
        ] {
            assert!(parse_public_url(bad).is_err(), "{bad}");
        }
    }
}
