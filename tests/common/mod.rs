//! Fixtures shared by the integration tests: the vendor's documented examples,
//! read from the captured page, and the spec as JSON.
//!
//! The examples are read from the captures in `openapi/docs/` themselves
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

/// The root of the package.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The captured reference page.
pub fn page() -> String {
    std::fs::read_to_string(root().join("openapi/docs/create-client.txt"))
        .expect("the captured page openapi/docs/create-client.txt is readable")
}

/// The JSON body of the page's (first) curl example: the text between `-d '`
/// and the closing `'`.
pub fn documented_request() -> Value {
    let page = page();
    let start = page
        .find("-d '")
        .expect("the page has a curl body (-d '...')")
        + 4;
    let end = start + page[start..].find('\'').expect("the curl body is closed");
    serde_json::from_str(&page[start..end]).expect("the curl body is JSON")
}

/// The page's (first) response example: the first block that starts with a
/// line `{` after the curl example and ends with a line `}`.
pub fn documented_response() -> Value {
    let page = page();
    let after_curl = page.find("-d '").expect("the page has a curl example");
    let lines: Vec<&str> = page[after_curl..].lines().collect();
    let open = lines
        .iter()
        .position(|l| *l == "{")
        .expect("a response example follows the curl example");
    let close = open
        + lines[open..]
            .iter()
            .position(|l| *l == "}")
            .expect("the response example is closed");
    serde_json::from_str(&lines[open..=close].join("\n")).expect("the response example is JSON")
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
pub fn assert_same_json(actual: &Value, expected: &Value) {
    let config = assert_json_diff::Config::new(assert_json_diff::CompareMode::Strict);
    if let Err(differences) =
        assert_json_diff::assert_json_matches_no_panic(actual, expected, config)
    {
        panic!("the JSON differs:\n{differences}");
    }
}

/// A field of the create-client page's `Body` or `Response` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageField {
    pub name: String,
    pub ty: String,
    pub required: bool,
    /// The description's paragraphs joined by a newline.
    pub description: String,
}

/// The fields of the create-client page's list headed `section` (`Body` or
/// `Response`).
pub fn page_fields(section: &str) -> Vec<PageField> {
    page::load("create-client.txt")
        .fields(section)
        .into_iter()
        .map(|f| PageField {
            name: f.name,
            ty: f.ty,
            required: f.required,
            description: f.description,
        })
        .collect()
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
