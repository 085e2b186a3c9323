//! A private PostgreSQL cluster, run from the machine's PostgreSQL binaries
//! when no DATABASE_URL is given. It listens only on a Unix socket in its own
//! directory (no TCP port), uses trust authentication (only this machine's
//! users who can reach that directory can connect), and runs as the
//! unprivileged `postgres` user when we are root, because PostgreSQL refuses
//! to run as root.
//!
//! Layout inside the data directory:
//! - `postgres/`: the cluster (PGDATA), owned by the user that runs it;
//! - `run/`: its socket and its log file `postgres.log`.

use std::{
    ffi::OsStr,
    os::unix::fs::{OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
    process::Output,
};

use sqlx::postgres::PgConnectOptions;
use tokio::process::Command;

/// The database Portcullis uses inside the private cluster.
pub const DATABASE: &str = "portcullis";
/// The cluster's superuser; trust authentication, socket only.
pub const SUPERUSER: &str = "portcullis";
/// Only names the socket file (`.s.PGSQL.<port>`): the cluster opens no TCP port.
pub const PORT: u16 = 54329;
/// The unprivileged account the cluster runs as when we are root.
const SERVICE_USER: &str = "postgres";
/// Where Debian and Ubuntu install the server binaries, one folder per major version.
const DEBIAN_BIN_ROOT: &str = "/usr/lib/postgresql";
/// The longest Unix socket path the kernel accepts (sun_path less its NUL).
const MAX_SOCKET_PATH: usize = 107;

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "no PostgreSQL server binaries (initdb and pg_ctl) were found in {searched}. \
         Install them (apt-get install postgresql), name their folder with --pg-bin-dir \
         (or PORTCULLIS_PG_BIN_DIR), or set DATABASE_URL to use an existing database"
    )]
    BinariesNotFound { searched: String },
    #[error(
        "the data directory {path} cannot be used ({reason}). Choose a writable directory \
         with --data-dir (or PORTCULLIS_DATA_DIR), or set DATABASE_URL"
    )]
    DataDirUnusable { path: String, reason: String },
    #[error(
        "running as root, the private PostgreSQL cluster must run as the user '{SERVICE_USER}', \
         which {reason}. Install PostgreSQL (apt-get install postgresql creates that user), \
         choose a --data-dir that user can reach (e.g. under /var/tmp), or set DATABASE_URL"
    )]
    ServiceUser { reason: String },
    #[error(
        "the socket path {path} is longer than the {MAX_SOCKET_PATH} bytes Unix sockets allow. \
         Choose a shorter --data-dir (or PORTCULLIS_DATA_DIR)"
    )]
    SocketPathTooLong { path: String },
    #[error(
        "the private PostgreSQL cluster in {cluster} could not {action}: {detail}. \
         Its log is {log}"
    )]
    Command {
        action: &'static str,
        cluster: String,
        detail: String,
        log: String,
    },
    #[error("the private PostgreSQL cluster started but {detail}")]
    Setup { detail: String },
}

/// A private cluster in a data directory. Cheap to build; nothing happens on
/// disk until [`PrivateCluster::start`].
#[derive(Debug, Clone)]
pub struct PrivateCluster {
    bin_dir: PathBuf,
    data_dir: PathBuf,
    /// `Some("postgres")` when we are root and must switch users.
    run_as: Option<&'static str>,
}

impl PrivateCluster {
    /// Finds the PostgreSQL binaries (in `bin_dir` when given) for a cluster
    /// in `data_dir`.
    pub fn new(data_dir: &Path, bin_dir: Option<&Path>) -> Result<Self, ClusterError> {
        let bin_dir = match bin_dir {
            Some(dir) if has_server_binaries(dir) => dir.to_path_buf(),
            Some(dir) => {
                return Err(ClusterError::BinariesNotFound {
                    searched: dir.display().to_string(),
                });
            }
            None => find_binaries().ok_or_else(|| ClusterError::BinariesNotFound {
                searched: format!("{DEBIAN_BIN_ROOT}/*/bin and on PATH"),
            })?,
        };
        let data_dir =
            std::path::absolute(data_dir).map_err(|e| ClusterError::DataDirUnusable {
                path: data_dir.display().to_string(),
                reason: e.to_string(),
            })?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let is_root = unsafe { libc::geteuid() } == 0;
        Ok(Self {
            bin_dir,
            data_dir,
            run_as: is_root.then_some(SERVICE_USER),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn cluster_dir(&self) -> PathBuf {
        self.data_dir.join("postgres")
    }

    fn run_dir(&self) -> PathBuf {
        self.data_dir.join("run")
    }

    fn log_file(&self) -> PathBuf {
        self.run_dir().join("postgres.log")
    }

    /// How to connect: the socket directory and our database.
    pub fn connect_options(&self) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(self.run_dir())
            .port(PORT)
            .username(SUPERUSER)
            .database(DATABASE)
    }

    /// The same as a URL, for tools and tests (`DATABASE_URL=…`).
    pub fn url(&self) -> String {
        format!(
            "postgres://{SUPERUSER}@localhost:{PORT}/{DATABASE}?host={}",
            percent_encode(&self.run_dir().to_string_lossy())
        )
    }

    /// Creates the cluster the first time, starts it unless it already runs,
    /// and makes sure our database exists. Returns whether this call started
    /// the server (so only the starter stops it).
    pub async fn start(&self) -> Result<bool, ClusterError> {
        // Two processes starting at once (a test run, a second server) take
        // turns: initdb and pg_ctl start must not race on one folder.
        let _lock = self.lock().await?;
        self.prepare_dirs().await?;
        if !self.cluster_dir().join("PG_VERSION").exists() {
            self.initdb().await?;
        }
        self.write_settings()?;
        let started = if self.is_running().await? {
            false
        } else {
            let cluster = self.cluster_dir();
            let log = self.log_file();
            let args: [&OsStr; 9] = [
                "start".as_ref(),
                "-D".as_ref(),
                cluster.as_ref(),
                "-l".as_ref(),
                log.as_ref(),
                "-w".as_ref(),
                "-t".as_ref(),
                "60".as_ref(),
                "-s".as_ref(),
            ];
            let output = self.pg_command("pg_ctl", &args).await?;
            if !output.status.success() {
                return Err(self.command_error("start", &output));
            }
            true
        };
        self.create_database().await?;
        Ok(started)
    }

    /// Stops the cluster if it runs ("fast": open sessions are ended cleanly).
    pub async fn stop(&self) -> Result<(), ClusterError> {
        if !self.cluster_dir().join("PG_VERSION").exists() || !self.is_running().await? {
            return Ok(());
        }
        let cluster = self.cluster_dir();
        let args: [&OsStr; 7] = [
            "stop".as_ref(),
            "-D".as_ref(),
            cluster.as_ref(),
            "-m".as_ref(),
            "fast".as_ref(),
            "-w".as_ref(),
            "-s".as_ref(),
        ];
        let output = self.pg_command("pg_ctl", &args).await?;
        if output.status.success() {
            Ok(())
        } else {
            Err(self.command_error("stop", &output))
        }
    }

    /// An exclusive lock on `<data dir>/.start-lock`, released on drop.
    async fn lock(&self) -> Result<std::fs::File, ClusterError> {
        let unusable = |reason: String| ClusterError::DataDirUnusable {
            path: self.data_dir.display().to_string(),
            reason,
        };
        std::fs::create_dir_all(&self.data_dir).map_err(|e| unusable(e.to_string()))?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.data_dir.join(".start-lock"))
            .map_err(|e| unusable(e.to_string()))?;
        tokio::task::spawn_blocking(move || file.lock().map(|()| file))
            .await
            .map_err(|e| unusable(e.to_string()))?
            .map_err(|e| unusable(e.to_string()))
    }

    async fn is_running(&self) -> Result<bool, ClusterError> {
        let cluster = self.cluster_dir();
        let args: [&OsStr; 3] = ["status".as_ref(), "-D".as_ref(), cluster.as_ref()];
        // pg_ctl status: 0 running, 3 not running, 4 no cluster there.
        Ok(self.pg_command("pg_ctl", &args).await?.status.success())
    }

    async fn prepare_dirs(&self) -> Result<(), ClusterError> {
        let unusable = |reason: String| ClusterError::DataDirUnusable {
            path: self.data_dir.display().to_string(),
            reason,
        };
        for dir in [self.data_dir.clone(), self.cluster_dir(), self.run_dir()] {
            std::fs::create_dir_all(&dir).map_err(|e| unusable(e.to_string()))?;
        }
        // The cluster trusts every connection on its socket: only its owner
        // may enter the folders that hold the data and the socket.
        for dir in [self.cluster_dir(), self.run_dir()] {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| unusable(e.to_string()))?;
        }
        // Create and remove a file: catches read-only mounts and foreign owners.
        let probe = self.run_dir().join(".write-test");
        write_fresh(&probe, b"").map_err(|e| unusable(e.to_string()))?;
        let _ = std::fs::remove_file(&probe);

        let socket = self.run_dir().join(format!(".s.PGSQL.{PORT}"));
        if socket.as_os_str().len() > MAX_SOCKET_PATH {
            return Err(ClusterError::SocketPathTooLong {
                path: socket.display().to_string(),
            });
        }
        if let Some(user) = self.run_as {
            self.hand_over_dirs(user).await?;
        }
        Ok(())
    }

    /// As root: give the cluster and run folders to the service user, and
    /// check it can reach them (a parent folder such as /root may be closed).
    async fn hand_over_dirs(&self, user: &str) -> Result<(), ClusterError> {
        let service_user = |reason: String| ClusterError::ServiceUser { reason };
        let owner = format!("{user}:");
        let output = Command::new("chown")
            .arg("-R")
            .arg(&owner)
            .arg(self.cluster_dir())
            .arg(self.run_dir())
            .output()
            .await
            .map_err(|e| service_user(format!("could not be given the data directory ({e})")))?;
        if !output.status.success() {
            return Err(service_user(format!(
                "does not exist or could not be given the data directory ({})",
                last_line(&output.stderr)
            )));
        }
        let reach = Command::new("runuser")
            .args(["-u", user, "--", "test", "-w"])
            .arg(self.run_dir())
            .output()
            .await
            .map_err(|e| service_user(format!("could not be switched to ({e})")))?;
        if !reach.status.success() {
            return Err(service_user(format!(
                "cannot reach {} (a parent folder is closed to it)",
                self.run_dir().display()
            )));
        }
        Ok(())
    }

    async fn initdb(&self) -> Result<(), ClusterError> {
        let cluster = self.cluster_dir();
        let args: [&OsStr; 9] = [
            "-D".as_ref(),
            cluster.as_ref(),
            "-U".as_ref(),
            SUPERUSER.as_ref(),
            "--auth=trust".as_ref(),
            "--encoding=UTF8".as_ref(),
            "--no-locale".as_ref(),
            "--no-sync".as_ref(),
            "--no-instructions".as_ref(),
        ];
        let output = self.pg_command("initdb", &args).await?;
        if !output.status.success() {
            return Err(self.command_error("be created", &output));
        }
        // Our settings live in their own file, rewritten at every start, so the
        // folder can move and postgresql.conf stays the operator's.
        let conf = cluster.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).map_err(|e| ClusterError::Setup {
            detail: format!("its postgresql.conf could not be read ({e})"),
        })?;
        text.push_str("\n# Portcullis: socket-only settings, rewritten at every start.\ninclude_if_exists = 'portcullis.conf'\n");
        write_fresh(&conf, text.as_bytes()).map_err(|e| ClusterError::Setup {
            detail: format!("its postgresql.conf could not be written ({e})"),
        })
    }

    fn write_settings(&self) -> Result<(), ClusterError> {
        let run_dir = self.run_dir().display().to_string().replace('\'', "''");
        let text = format!(
            "# Written by portcullis at every start; put your own settings in postgresql.conf.\n\
             listen_addresses = ''\n\
             unix_socket_directories = '{run_dir}'\n\
             unix_socket_permissions = 0700\n\
             port = {PORT}\n"
        );
        write_fresh(&self.cluster_dir().join("portcullis.conf"), text.as_bytes()).map_err(|e| {
            ClusterError::Setup {
                detail: format!("its settings could not be written ({e})"),
            }
        })
    }

    async fn create_database(&self) -> Result<(), ClusterError> {
        use sqlx::{ConnectOptions, Connection};
        let setup = |what: &str, e: sqlx::Error| ClusterError::Setup {
            detail: format!("{what}: {e}"),
        };
        let mut conn = self
            .connect_options()
            .database("postgres")
            .connect()
            .await
            .map_err(|e| setup("could not be connected to", e))?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(DATABASE)
                .fetch_one(&mut conn)
                .await
                .map_err(|e| setup("could not be queried", e))?;
        if !exists {
            let created = sqlx::query(&format!("CREATE DATABASE {DATABASE}"))
                .execute(&mut conn)
                .await;
            match created {
                Ok(_) => {}
                // Another process created it at the same moment: fine.
                Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P04") => {}
                Err(e) => return Err(setup("could not create its database", e)),
            }
        }
        let _ = conn.close().await;
        Ok(())
    }

    /// Runs one PostgreSQL binary, as the service user when we are root.
    async fn pg_command(&self, program: &str, args: &[&OsStr]) -> Result<Output, ClusterError> {
        let binary = self.bin_dir.join(program);
        let mut command = match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&binary);
                c
            }
            None => Command::new(&binary),
        };
        command.args(args).kill_on_drop(true);
        command.output().await.map_err(|e| ClusterError::Command {
            action: "be run",
            cluster: self.cluster_dir().display().to_string(),
            detail: format!("{} failed to run ({e})", binary.display()),
            log: self.log_file().display().to_string(),
        })
    }

    fn command_error(&self, action: &'static str, output: &Output) -> ClusterError {
        // pg_ctl's own message is terse; the log's last line says why.
        let log_tail = std::fs::read_to_string(self.log_file())
            .ok()
            .and_then(|log| {
                log.lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .map(str::to_owned)
            });
        let detail = [
            last_line(&output.stderr),
            last_line(&output.stdout),
            log_tail.unwrap_or_default(),
        ]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| format!("exit status {}", output.status));
        ClusterError::Command {
            action,
            cluster: self.cluster_dir().display().to_string(),
            detail,
            log: self.log_file().display().to_string(),
        }
    }
}

/// Replaces `path` with a new file. The folder may belong to the service
/// user while we run as root, so never follow a link planted there: remove
/// what is there, then create exclusively (O_EXCL does not follow links).
fn write_fresh(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o644)
        .open(path)?
        .write_all(bytes)
}

fn has_server_binaries(dir: &Path) -> bool {
    dir.join("initdb").is_file() && dir.join("pg_ctl").is_file()
}

/// The newest `/usr/lib/postgresql/<major>/bin`, else the first PATH entry
/// holding both initdb and pg_ctl.
fn find_binaries() -> Option<PathBuf> {
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir(DEBIAN_BIN_ROOT)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let major = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            has_server_binaries(&bin).then_some((major, bin))
        })
        .collect();
    debian.sort();
    if let Some((_, bin)) = debian.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|dir| has_server_binaries(dir))
}

fn last_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// Percent-encodes all but unreserved characters and `/` (for a socket path
/// in a URL query).
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
#[path = "embedded_pg_tests.rs"]
mod tests;
