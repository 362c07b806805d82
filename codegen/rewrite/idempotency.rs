//! An operation with an idempotency-key header (`x-idempotency-key` or
//! `Idempotency-Key`, as the vendor's pages write it; any case; required or
//! not) gets a fresh key when the caller gives none: its builder starts with a
//! UUID v4 (`crate::idempotency::fresh_key`) instead of progenitor's "was not
//! initialized" error (a required header) or `None` (an optional one, which
//! the crate then always sends: the transfer's page offers the key without
//! requiring it, D-T4), and gets `idempotency_key_in_use`, which returns the
//! key the call will send, so that a caller can log it and reuse it. The key is
//! made with the builder, so a clone of the builder (a retry of the same call)
//! sends the same key; the crate's own retries resend the request as it was.
//!
//! The spec says which operations (`keys`, through `facts.rs`); each must have
//! its builder's field for the header, initialised as progenitor does, or
//! generation fails naming the operation.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Parameter, ReferenceOr, SchemaKind, Type};
use quote::ToTokens as _;

use super::super::facts::Facts;
use super::{module, operation_methods};

/// The header names that carry an idempotency key, in lower case.
pub const HEADERS: &[&str] = &["x-idempotency-key", "idempotency-key"];

/// The operations with an idempotency-key header whose schema is a plain
/// string, each with the Rust name progenitor gives the header's
/// parameter (`x_idempotency_key`).
pub fn keys(spec: &OpenAPI) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (_, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (_, operation) in item.iter() {
            let Some(id) = &operation.operation_id else {
                continue;
            };
            for parameter in item.parameters.iter().chain(&operation.parameters) {
                let parameter = match parameter {
                    ReferenceOr::Item(p) => Some(p),
                    ReferenceOr::Reference { reference } => reference
                        .strip_prefix("#/components/parameters/")
                        .and_then(|name| spec.components.as_ref()?.parameters.get(name))
                        .and_then(|p| p.as_item()),
                };
                let Some(Parameter::Header { parameter_data, .. }) = parameter else {
                    continue;
                };
                if HEADERS.contains(&parameter_data.name.to_ascii_lowercase().as_str())
                    && is_plain_string(spec, &parameter_data.format)
                {
                    out.insert(id.clone(), rust_name(&parameter_data.name));
                }
            }
        }
    }
    out
}

/// Whether a parameter's schema is a string without a format (typify's
/// `String`), the type `fresh_key` gives.
fn is_plain_string(spec: &OpenAPI, format: &openapiv3::ParameterSchemaOrContent) -> bool {
    let openapiv3::ParameterSchemaOrContent::Schema(schema) = format else {
        return false;
    };
    let schema = match schema {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| spec.components.as_ref()?.schemas.get(name))
            .and_then(|s| s.as_item()),
    };
    matches!(
        schema.map(|s| &s.schema_kind),
        Some(SchemaKind::Type(Type::String(s)))
            if matches!(s.format, openapiv3::VariantOrUnknownOrEmpty::Empty)
    )
}

/// The name progenitor gives a header parameter: snake case.
fn rust_name(header: &str) -> String {
    header
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

pub(super) fn apply(file: &mut syn::File, facts: &Facts) -> Result<(), String> {
    let builders: BTreeMap<String, String> = operation_methods(&file.items)
        .into_iter()
        .map(|(method, builder)| (builder, method))
        .collect();
    let mut done = Vec::new();
    let Some(items) = module(file, "builder") else {
        return Err("expected a `builder` module, found none".into());
    };
    for item in items.iter_mut() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() {
            continue;
        }
        let Some(operation) = super::self_type_name(block).and_then(|name| builders.get(&name))
        else {
            continue;
        };
        let Some(field) = facts.idempotency_keys.get(operation) else {
            continue;
        };
        if let Some(required) = fresh_key_in_new(block, field) {
            let value = if required {
                format!("self.{field}.as_deref().ok()")
            } else {
                format!("self.{field}.as_ref().ok().and_then(|key| key.as_deref())")
            };
            let getter: syn::ImplItem = syn::parse_str(&format!(
                "/// The idempotency key this call sends: the one given to \
                 [`Self::{field}`], or the fresh UUID v4 made with this builder when none \
                 was; `None` when a given key did not convert. A clone of the builder \
                 sends the same key, so a retried call is recognised by the server.\n\
                 pub fn idempotency_key_in_use(&self) -> Option<&str> {{ {value} }}"
            ))
            .map_err(|e| format!("made a getter that does not parse: {e}"))?;
            block.items.push(getter);
            done.push(operation.clone());
        }
    }
    for operation in facts.idempotency_keys.keys() {
        if !done.contains(operation) {
            return Err(format!(
                "expected the builder of {operation} to start its idempotency key as \
                 progenitor's \"was not initialized\" error or `Ok(None)`, and found no \
                 such field"
            ));
        }
    }
    Ok(())
}

/// Replaces `field: Err("<field> was not initialized".to_string())` (a
/// required header) or `field: Ok(None)` (an optional one) in the builder's
/// `new` with a fresh key; returns whether the header is required, or `None`
/// when it found neither.
fn fresh_key_in_new(block: &mut syn::ItemImpl, field: &str) -> Option<bool> {
    let uninitialised = format!("Err (\"{field} was not initialized\" . to_string ())");
    for member in &mut block.items {
        let syn::ImplItem::Fn(f) = member else {
            continue;
        };
        if f.sig.ident != "new" {
            continue;
        }
        for statement in &mut f.block.stmts {
            let syn::Stmt::Expr(syn::Expr::Struct(init), _) = statement else {
                continue;
            };
            for value in init.fields.iter_mut() {
                let syn::Member::Named(name) = &value.member else {
                    continue;
                };
                if name != field {
                    continue;
                }
                let start = value.expr.to_token_stream().to_string();
                if start == uninitialised {
                    value.expr = syn::parse_quote!(Ok(crate::idempotency::fresh_key()));
                    return Some(true);
                }
                if start == "Ok (None)" {
                    value.expr = syn::parse_quote!(Ok(Some(crate::idempotency::fresh_key())));
                    return Some(false);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/idempotency.yaml");

    fn fixture() -> OpenAPI {
        super::super::super::parse(Path::new("tests/fixtures/idempotency.yaml"), FIXTURE)
            .expect("the fixture parses")
    }

    #[test]
    fn both_spellings_required_or_not_are_found() {
        let keys = keys(&fixture());
        assert_eq!(
            keys.into_iter().collect::<Vec<_>>(),
            [
                (
                    "add_virtual_balance".to_string(),
                    "x_idempotency_key".to_string()
                ),
                ("transfer_tokens".to_string(), "idempotency_key".to_string()),
            ]
        );
    }

    #[test]
    fn each_builder_starts_with_a_fresh_key_and_exposes_it() {
        let code = super::super::super::generate(&fixture()).expect("generates");
        let squeezed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        // The required header's field holds the key, the optional one's
        // `Some` key: both are sent.
        assert!(
            squeezed.contains("x_idempotency_key:Ok(crate::idempotency::fresh_key())"),
            "{code}"
        );
        assert!(
            squeezed.contains("idempotency_key:Ok(Some(crate::idempotency::fresh_key()))"),
            "{code}"
        );
        assert_eq!(
            squeezed
                .matches("pubfnidempotency_key_in_use(&self)")
                .count(),
            2
        );
        assert!(!squeezed.contains("idempotency_keywasnotinitialized"));
        assert!(!squeezed.contains("idempotency_key:Ok(None)"));
    }

    #[test]
    fn a_builder_without_its_field_fails_naming_the_operation() {
        let spec = fixture();
        let facts = Facts::of(&spec);
        let tokens = super::super::super::progenitor_tokens(&spec).expect("progenitor");
        let mut file: syn::File = syn::parse2(tokens).expect("parses");
        apply(&mut file, &facts).expect("the first run");
        let error = apply(&mut file, &facts).expect_err("no field left to set");
        assert!(error.contains("add_virtual_balance"), "{error}");
    }

    #[test]
    fn a_typed_key_is_left_alone() {
        // A key with a format is not the plain string `fresh_key` makes.
        let spec = FIXTURE.replacen(
            "- name: Idempotency-Key\n          in: header\n          required: false\n          schema: {type: string}",
            "- name: Idempotency-Key\n          in: header\n          required: false\n          schema: {type: string, format: uuid}",
            1,
        );
        let spec = super::super::super::parse(Path::new("fixture"), &spec).expect("parses");
        assert_eq!(
            keys(&spec).into_keys().collect::<Vec<_>>(),
            ["add_virtual_balance"]
        );
    }

    #[test]
    fn header_names_become_progenitors_parameter_names() {
        assert_eq!(rust_name("x-idempotency-key"), "x_idempotency_key");
        assert_eq!(rust_name("Idempotency-Key"), "idempotency_key");
    }
}
