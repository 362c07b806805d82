//! The Rust names progenitor gives what the spec names, computed the way
//! progenitor 0.15 computes them (`progenitor-impl`'s `util::sanitize`), so
//! that the rewrites and the dispatcher can find the builder setter of a spec
//! parameter. Each use checks that the name it computed is there in
//! progenitor's output and fails generation otherwise: a progenitor upgrade
//! that names things differently is then seen at once.

use heck::ToSnakeCase as _;
use unicode_ident::{is_xid_continue, is_xid_start};

/// The snake_case name progenitor gives a parameter's builder setter and
/// field (`cardId` → `card_id`, `X-API-Version` → `x_api_version`, `type` →
/// `type_`).
pub(crate) fn snake(name: &str) -> String {
    let out = match name {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => name
            .replace('\'', "")
            .replace(|c: char| !is_xid_continue(c), "-")
            .to_snake_case(),
    };
    let out = match out.chars().next() {
        None => "x".to_string(),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("_{out}"),
    };
    if typify::accept_as_ident(&out) {
        out
    } else {
        format!("{out}_")
    }
}

#[cfg(test)]
mod tests {
    use super::snake;

    #[test]
    fn names_are_progenitors() {
        for (spec, rust) in [
            ("cardId", "card_id"),
            ("X-API-Version", "x_api_version"),
            ("x-idempotency-key", "x_idempotency_key"),
            ("Idempotency-Key", "idempotency_key"),
            ("page_number", "page_number"),
            ("from_date", "from_date"),
            ("type", "type_"),
            ("1st", "_1st"),
            ("", "x"),
        ] {
            assert_eq!(snake(spec), rust, "{spec}");
        }
    }
}
