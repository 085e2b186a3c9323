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

/// The kept working memory grows and shrinks with the parameters of each
/// stored hash, and answers exactly as the crate's own verifier does, for
/// every algorithm, both versions and several memory sizes in a row (a
/// smaller hash after a larger one reuses part of the memory).
#[test]
fn verifying_on_kept_memory_agrees_with_the_crate() {
    use argon2::PasswordVerifier;
    let cases = [
        (Algorithm::Argon2id, Version::V0x13, 19_456, 2, 1),
        (Algorithm::Argon2id, Version::V0x13, 8, 1, 1),
        (Algorithm::Argon2i, Version::V0x13, 4_096, 3, 2),
        (Algorithm::Argon2d, Version::V0x10, 1_024, 1, 1),
        (Algorithm::Argon2id, Version::V0x13, 32_768, 1, 4),
        (Algorithm::Argon2id, Version::V0x13, 19_456, 2, 1),
    ];
    for (algorithm, version, m, t, p) in cases {
        let params = Params::new(m, t, p, None).unwrap();
        let argon = Argon2::new(algorithm, version, params);
        let salt = SaltString::generate(&mut OsRng);
        let phc = argon.hash_password(b"secret", &salt).unwrap().to_string();
        let parsed = PasswordHash::new(&phc).unwrap();
        for guess in [b"secret".as_slice(), b"Secret", b"secret ", b""] {
            let reference = argon.verify_password(guess, &parsed).is_ok();
            assert_eq!(hashes_to(guess, &phc), reference, "{phc} with {guess:?}");
        }
        assert!(hashes_to(b"secret", &phc), "{phc}");
    }
}

#[test]
fn a_hash_without_output_or_salt_never_verifies() {
    let stored = hash_blocking("secret").unwrap().0;
    let (head, _) = stored.rsplit_once('$').unwrap();
    assert!(!hashes_to(b"secret", head), "no output: {head}");
    assert!(!hashes_to(
        b"secret",
        &stored.replace("argon2id", "argon2x")
    ));
}
