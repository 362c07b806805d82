//! The crate built with one product's feature: a copy of the package with a
//! spec of two products (`codegen/features.rs`'s `TWO_PRODUCTS`, with an
//! operation and its types in each, a type they share, and `ApiError`), whose
//! downstream snippets compile exactly when what they name is in the features
//! they build with. The cfg attributes themselves are checked in
//! `codegen/features.rs`; this holds them to the compiler.
//!
//! The copy is checked three times (Cards with the client, Cards' types
//! alone, and no product with the client), in a target directory under
//! `target/` kept between runs that `api_diff_compat.rs` shares.

mod common;

use common::failing_examples;

/// The spec: Management has `get_holder` (`Holder`), Cards has
/// `create_card` (`Card`, `CardRequest`, `Limits`), both use `Address`.
const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Two products, version: "1"}
tags:
  - name: management
  - name: cards
paths:
  /holders/{id}:
    get:
      tags: [management]
      operationId: get_holder
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Holder'}}}}
        '404': {$ref: '#/components/responses/Error'}
  /cards:
    post:
      tags: [cards]
      operationId: create_card
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/CardRequest'}}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Card'}}}}
        '404': {$ref: '#/components/responses/Error'}
components:
  responses:
    Error: {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/ApiError'}}}}
  schemas:
    ApiError: {type: object, properties: {code: {type: string}, message: {type: string}, error_code: {type: string}, trace_id: {type: string}}}
    Holder:
      type: object
      required: [name]
      properties: {name: {type: string}, address: {$ref: '#/components/schemas/Address'}}
    Address: {type: object, properties: {city: {type: string}}}
    CardRequest:
      type: object
      required: [holder_id]
      properties: {holder_id: {type: string}, limits: {$ref: '#/components/schemas/Limits'}}
    Card:
      type: object
      required: [id]
      properties:
        id: {type: string}
        limits: {$ref: '#/components/schemas/Limits'}
        billing: {$ref: '#/components/schemas/Address'}
    Limits: {type: object, properties: {daily: {type: integer}}}
"#;

/// Each snippet uses one thing; its name says what.
const SNIPPETS: &[(&str, &str)] = &[
    (
        "cards_method",
        r#"
pub async fn create(client: &cryptomate::Client) -> Result<String, cryptomate::Error> {
    let request = CardRequest::builder().holder_id("h_1");
    Ok(client.create_card().body(request).send().await?.into_inner().id)
}"#,
    ),
    (
        "cards_types",
        r#"
pub fn read(json: &str) -> Option<Limits> {
    serde_json::from_str::<Card>(json).ok()?.limits
}"#,
    ),
    (
        "shared_type",
        r#"
pub fn city(address: &Address) -> Option<&str> {
    address.city.as_deref()
}"#,
    ),
    (
        "error_body",
        r#"
pub fn code(error: &ApiError) -> Option<&str> {
    error.code.as_deref()
}"#,
    ),
    (
        "management_method",
        r#"
pub fn holder(client: &cryptomate::Client) {
    let _ = client.get_holder().id("h_1");
}"#,
    ),
    (
        "management_type",
        r#"
pub fn name(holder: &Holder) -> &str {
    &holder.name
}"#,
    ),
    (
        "json_schema",
        r#"
pub fn schema() -> cryptomate::schemars::Schema {
    cryptomate::schemars::schema_for!(Card)
}"#,
    ),
    (
        "client",
        r#"
pub fn client() -> Result<cryptomate::Client, cryptomate::ConfigError> {
    cryptomate::Client::builder(cryptomate::ApiKey::new("key")?).build()
}"#,
    ),
];

fn failing(features: &str) -> Vec<String> {
    let label = format!("features-{}", features.replace(',', "-"));
    let examples = SNIPPETS.to_vec();
    failing_examples(&label, SPEC, &examples, features)
        .into_iter()
        .collect()
}

#[test]
fn one_product_compiles_its_code_and_the_shared_code_only() {
    // Cards with the client, without schemars: Management's method and type
    // are not there, nor are the JSON Schemas.
    assert_eq!(
        failing("client,cards"),
        ["json_schema", "management_method", "management_type"]
    );
    // Cards' types alone: no client either.
    assert_eq!(
        failing("cards"),
        [
            "cards_method",
            "client",
            "json_schema",
            "management_method",
            "management_type"
        ]
    );
    // No product: the client and the always present types (`ApiError`).
    assert_eq!(
        failing("client"),
        [
            "cards_method",
            "cards_types",
            "json_schema",
            "management_method",
            "management_type",
            "shared_type"
        ]
    );
}
