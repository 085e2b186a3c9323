//! Unit tests of `embedded_pg.rs`.

use super::*;

#[test]
fn url_names_the_socket_directory_and_round_trips() {
    let cluster = PrivateCluster {
        bin_dir: PathBuf::from("/bin"),
        data_dir: PathBuf::from("/var/tmp/my data"),
        run_as: None,
    };
    let url = cluster.url();
    assert_eq!(
        url,
        "postgres://portcullis@localhost:54329/portcullis?host=/var/tmp/my%20data/run"
    );
    let parsed: PgConnectOptions = url.parse().unwrap();
    assert_eq!(
        parsed.get_socket(),
        Some(&PathBuf::from("/var/tmp/my data/run"))
    );
    assert_eq!(parsed.get_database(), Some(DATABASE));
}

#[test]
fn a_missing_binary_folder_is_named_in_the_error() {
    let err = PrivateCluster::new(Path::new("/tmp/x"), Some(Path::new("/nonexistent/pg/bin")))
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("/nonexistent/pg/bin"), "{message}");
    assert!(message.contains("DATABASE_URL"), "{message}");
}
