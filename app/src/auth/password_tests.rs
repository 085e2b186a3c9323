//! Unit tests of `password.rs`.

use super::*;

#[tokio::test]
async fn a_hash_verifies_its_password_and_nothing_else() {
    let stored = hash("correct horse battery".into()).await.unwrap();
    assert!(
        stored.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{}",
        stored.0
    );
    assert!(verify("correct horse battery".into(), Some(stored.clone())).await);
    assert!(!verify("correct horse batterY".into(), Some(stored)).await);
}

#[tokio::test]
async fn no_stored_hash_never_verifies() {
    assert!(!verify(String::new(), None).await);
    assert!(!verify("anything at all".into(), None).await);
}

#[tokio::test]
async fn a_corrupt_stored_hash_never_verifies() {
    assert!(!verify("x".into(), Some(PasswordHashString("not a hash".into()))).await);
}
