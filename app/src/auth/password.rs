//! Password hashing with argon2id at OWASP's parameters (19 MiB, t=2, p=1,
//! the argon2 crate's defaults), always on the blocking pool so a burst of
//! sign-ins never stalls the async workers.
//!
//! Security-sensitive: an unknown email is checked against a dummy hash so it
//! costs the same time as a wrong password.

use std::{cell::RefCell, sync::OnceLock};

use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash, PasswordHasher, Version,
    password_hash::{Output, Salt, SaltString, rand_core::OsRng},
};

/// A stored password hash (PHC string). Deliberately not `Serialize`.
#[derive(Clone)]
pub struct PasswordHashString(pub String);

impl std::fmt::Debug for PasswordHashString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHashString(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("could not hash the password: {0}")]
    Hash(String),
    #[error("the blocking pool is gone: {0}")]
    Join(String),
}

/// Hashes on the calling thread; use [`hash`] from async code.
pub fn hash_blocking(password: &str) -> Result<PasswordHashString, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| PasswordHashString(h.to_string()))
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// At most one hash per core at a time: each takes 19 MiB and a core's
/// worth of work, so running more at once only multiplies the memory (a
/// burst of sign-ins could otherwise take hundreds of megabytes).
fn hashing() -> &'static tokio::sync::Semaphore {
    static HASHING: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    HASHING.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get()))
    })
}

pub async fn hash(password: String) -> Result<PasswordHashString, PasswordError> {
    // The semaphore is never closed: a permit always comes.
    let _permit = hashing().acquire().await.ok();
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| PasswordError::Join(e.to_string()))?
}

/// Checks `password` against `stored`, or against a dummy hash when there
/// is no stored hash, so both paths take the same time. False on any doubt.
pub async fn verify(password: String, stored: Option<PasswordHashString>) -> bool {
    let _permit = hashing().acquire().await.ok();
    tokio::task::spawn_blocking(move || {
        let (phc, real) = match &stored {
            Some(h) => (h.0.as_str(), true),
            None => (dummy_hash(), false),
        };
        let matches = hashes_to(password.as_bytes(), phc);
        matches && real
    })
    .await
    .unwrap_or(false)
}

thread_local! {
    /// Each blocking thread's argon2 working memory (19 MiB), kept from
    /// one verification to the next: a fresh allocation costs thousands of
    /// page faults per sign-in (docs/PERFORMANCE.md). With two passes,
    /// every block left in it took a whole pass to compute, so it offers a
    /// memory reader no shortcut to guessing the password.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Whether `password` hashes to the argon2 PHC string `phc` (with its own
/// algorithm, version and parameters), on this thread's kept memory; the
/// outputs are compared in constant time. False on any doubt.
fn hashes_to(password: &[u8], phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (parsed.hash, parsed.salt) else {
        return false;
    };
    let (Ok(algorithm), Ok(version), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        parsed
            .version
            .map_or(Ok(Version::default()), Version::try_from),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let blocks = params.block_count();
    let mut out = vec![0u8; expected.len()];
    let hashed = MEMORY.with_borrow_mut(|memory| {
        if memory.len() < blocks {
            memory.resize(blocks, Block::new());
        }
        Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password,
            salt,
            &mut out,
            &mut memory[..blocks],
        )
    });
    hashed.is_ok() && Output::new(&out).is_ok_and(|out| out == expected)
}

/// A real argon2id hash of a random password, made once per process.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let random = SaltString::generate(&mut OsRng);
        hash_blocking(random.as_str())
            .map(|h| h.0)
            .unwrap_or_default()
    })
}

#[cfg(test)]
#[path = "password_tests.rs"]
mod tests;

crate::error::internal_faults!(PasswordError);
