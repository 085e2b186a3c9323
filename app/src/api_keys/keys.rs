//! Making and hashing API keys.
//! A key reads `pk_<8 letters or digits>_<32 letters or digits>`; only its
//! SHA-256 is stored, and the first part (the prefix) is kept to list it.

use sha2::{Digest, Sha256};

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn random_text(len: usize) -> Result<String, String> {
    // Rejection sampling keeps every character equally likely.
    let mut text = String::with_capacity(len);
    while text.len() < len {
        let mut bytes = [0_u8; 64];
        getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
        for b in bytes {
            if usize::from(b) < 248 && text.len() < len {
                text.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    Ok(text)
}

/// A new key: (the key to show once, its prefix, its hash).
pub fn generate() -> Result<(String, String, Vec<u8>), String> {
    let prefix = format!("pk_{}", random_text(8)?);
    let key = format!("{prefix}_{}", random_text(32)?);
    let hash = Sha256::digest(key.as_bytes()).to_vec();
    Ok((key, prefix, hash))
}

/// The hash to look a presented key up by; `None` for anything that is not
/// shaped like a key, so junk never reaches the database.
pub fn hash_of(presented: &str) -> Option<Vec<u8>> {
    let shaped = presented.len() == 3 + 8 + 1 + 32
        && presented.starts_with("pk_")
        && presented.as_bytes()[11] == b'_'
        && presented[3..11]
            .bytes()
            .chain(presented[12..].bytes())
            .all(|b| b.is_ascii_alphanumeric());
    shaped.then(|| Sha256::digest(presented.as_bytes()).to_vec())
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
