//! Fixtures shared by the integration tests: the vendor's documented examples,
//! read from the captured pages, and the spec as JSON.
//!
//! The examples are read from the captures in `openapi/vendor/` themselves
//! rather than copied into fixture files, so that a new capture of a page is
//! what the tests hold the client to. `page` reads any API page; the helpers
//! here read the deprecated create-client page the crate started from.
#![allow(
    dead_code,
    reason = "each test binary includes this module and uses only some of its fixtures"
)]

pub mod examples;
pub mod page;

use std::path::Path;

use serde_json::Value;

/// Sample person number `i` for creating individual clients, with an email
/// of their own (the mock refuses a second client with one email).
pub fn person(i: usize) -> cryptomate::types::builder::IndividualClientRequest {
    cryptomate::types::builder::IndividualClientRequest::default()
        .first_name("Ada")
        .last_name("Lovelace")
        .email(format!("ada.{i}@example.com"))
        .birth_date(cryptomate::chrono::NaiveDate::from_ymd_opt(1815, 12, 10).expect("a date"))
        .address(cryptomate::types::IndividualAddress {
            street_line1: "12 St James's Square".into(),
            street_line2: None,
            city: "London".into(),
            postal_code: "SW1Y 4JH".into(),
            state: "LND".into(),
            state_code: None,
            country: "GBR".into(),
            country_code: None,
        })
}

/// The root of the package.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The deprecated create-client page, in the vendor's repository.
pub const CREATE_CLIENT: &str = "api-reference/management/clients/create-client.mdx";

/// The JSON body of the create-client page's cURL example.
pub fn documented_request() -> Value {
    page::load(CREATE_CLIENT)
        .request
        .expect("the create-client page's cURL example has a JSON body")
}

/// The create-client page's success example (its `200 OK`).
pub fn documented_response() -> Value {
    page::load(CREATE_CLIENT)
        .tabs
        .into_iter()
        .find(|t| (200..300).contains(&t.status))
        .and_then(|t| t.body)
        .expect("the create-client page has a JSON success example")
}

/// The spec, as a JSON value.
pub fn spec() -> Value {
    let text = std::fs::read_to_string(root().join("openapi/cryptomate.yaml"))
        .expect("the spec is readable");
    serde_yaml_ng::from_str(&text).expect("the spec is YAML")
}

/// Follows a JSON pointer in the spec, resolving one `$ref` at the end.
pub fn spec_at(pointer: &str) -> Value {
    let spec = spec();
    let value = spec
        .pointer(pointer)
        .unwrap_or_else(|| panic!("the spec has {pointer}"))
        .clone();
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("the spec resolves {reference}"))
            .clone(),
        None => value,
    }
}

/// Compares two JSON values exactly and reports every difference by path.
/// Numbers compare by value, as JSON defines them: a page's `0` is the `0.0`
/// an amount decoded as a number serializes back to.
pub fn assert_same_json(actual: &Value, expected: &Value) {
    let config = assert_json_diff::Config::new(assert_json_diff::CompareMode::Strict)
        .numeric_mode(assert_json_diff::NumericMode::AssumeFloat);
    if let Err(differences) =
        assert_json_diff::assert_json_matches_no_panic(actual, expected, config)
    {
        panic!("the JSON differs:\n{differences}");
    }
}

/// The fields of the create-client page's section headed `section` (`Body` or
/// `Response`).
pub fn page_fields(section: &str) -> Vec<page::Field> {
    page::load(CREATE_CLIENT).fields(section)
}

/// A request for the guide's sample client, Maria Barber, with every required
/// field but `email` (which tests that need a whole request add).
pub fn maria() -> cryptomate::types::builder::IndividualClientRequest {
    use cryptomate::types::{IndividualAddress, IndividualClientRequest};
    IndividualClientRequest::builder()
        .first_name("Maria")
        .last_name("Barber")
        .birth_date(cryptomate::chrono::NaiveDate::from_ymd_opt(1984, 11, 21).expect("a date"))
        .address(
            IndividualAddress::builder()
                .street_line1("Florida 9860")
                .city("Del Viso")
                .postal_code("1669")
                .state("ARG-B")
                .country("ARG"),
        )
}

/// A schema with its `$ref` (or the spec's `allOf: [$ref]` wrapper) resolved.
pub fn resolve(schema: &Value) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        return resolve(&spec_at(reference.trim_start_matches('#')));
    }
    match schema["allOf"].as_array() {
        Some(parts) if parts.len() == 1 => resolve(&parts[0]),
        _ => schema.clone(),
    }
}

/// The field `name` of a page's section, or a panic naming it.
pub fn field<'a>(fields: &'a [page::Field], name: &str) -> &'a page::Field {
    fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("a field {name}"))
}
