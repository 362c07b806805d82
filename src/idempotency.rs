//! The idempotency keys the generated builders send when the caller gives
//! none (`codegen/rewrite/idempotency.rs`): a fresh UUID v4 per builder.
//!
//! Not for: deciding which operations take a key; the spec does, by their
//! `x-idempotency-key` or `Idempotency-Key` header, required or not.

/// A fresh idempotency key: a random (version 4) UUID, hyphenated, lower case.
pub(crate) fn fresh_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_fresh_uuids() {
        let (a, b) = (super::fresh_key(), super::fresh_key());
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(&a).expect("a UUID");
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(a.len(), 36);
    }
}
