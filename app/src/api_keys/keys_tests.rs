//! Unit tests of `keys.rs`.

use super::*;

#[test]
fn generated_keys_have_the_documented_shape_and_hash() {
    let (key, prefix, hash) = generate().unwrap();
    assert!(key.starts_with(&prefix) && prefix.len() == 11);
    assert_eq!(hash_of(&key), Some(hash));
    let (other, ..) = generate().unwrap();
    assert_ne!(key, other);
}

#[test]
fn junk_is_no_key() {
    let (key, ..) = generate().unwrap();
    for junk in [
        "",
        "pk_",
        &key[..key.len() - 1],
        &key.replace("pk_", "sk_"),
        &format!("{key}x"),
        &key.replacen('_', "-", 2),
        &format!("{}é", &key[..key.len() - 2]),
    ] {
        assert_eq!(hash_of(junk), None, "{junk}");
    }
}
