//! The vendor's documented examples against the generated types and their
//! JSON Schemas: both decode, round-trip unchanged, and validate.

mod common;

use common::{assert_same_json, documented_request, documented_response, spec_at};
use cryptomate::types::{ApiError, Client, CreateClientRequest};
use cryptomate::{ClientStatus, ClientType};
use serde_json::{Value, json};

const REQUEST_EXAMPLE: &str = "/paths/~1management~1clients/post/requestBody/content/application~1json/examples/documented/value";
const RESPONSE_EXAMPLE: &str = "/components/examples/CreatedClient/value";

#[test]
fn the_spec_embeds_the_pages_examples() {
    assert_same_json(&spec_at(REQUEST_EXAMPLE), &documented_request());
    assert_same_json(&spec_at(RESPONSE_EXAMPLE), &documented_response());
}

#[test]
fn the_documented_request_round_trips_unchanged() {
    let request: CreateClientRequest =
        serde_json::from_value(documented_request()).expect("the documented request decodes");
    let again = serde_json::to_value(&request).expect("encodes");
    assert_same_json(&again, &documented_request());
}

#[test]
fn the_documented_response_round_trips_unchanged() {
    let client: Client =
        serde_json::from_value(documented_response()).expect("the documented response decodes");
    let again = serde_json::to_value(&client).expect("encodes");
    assert_same_json(&again, &documented_response());
}

#[test]
fn the_documented_response_decodes_field_by_field() {
    let client: Client = serde_json::from_value(documented_response()).expect("decodes");
    assert_eq!(client.id, "client_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
    assert_eq!(
        client.company_id.as_deref(),
        Some("comp_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23")
    );
    assert_eq!(client.type_, Some(ClientType::Individual));
    assert_eq!(client.status, Some(ClientStatus::Pending));
    assert_eq!(client.first_name.as_deref(), Some("John"));
    assert_eq!(client.last_name.as_deref(), Some("Doe"));
    assert_eq!(client.email.as_deref(), Some("john.doe@example.com"));
    assert_eq!(client.phone_country_code, Some(1));
    assert_eq!(client.phone_number, Some(4_155_551_234));
    // The example's timestamps carry no offset: they are read as UTC.
    let created = client.created_at.expect("created_at");
    assert_eq!(created.utc().to_rfc3339(), "2026-04-15T10:30:00+00:00");
    assert_eq!(created.as_str(), "2026-04-15T10:30:00");
    assert_eq!(client.updated_at.expect("updated_at"), created);
}

#[test]
fn the_documented_request_decodes_field_by_field() {
    let request: CreateClientRequest =
        serde_json::from_value(documented_request()).expect("decodes");
    assert_eq!(request.phone_country_code, Some(1));
    assert_eq!(request.phone_number, Some(4_155_551_234));
    assert_eq!(request.username.as_deref(), Some("johndoe123"));
    assert_eq!(
        request.birth_date,
        cryptomate::chrono::NaiveDate::from_ymd_opt(1990, 5, 15)
    );
    assert_eq!(request.otp, Some(true));
    let address = request.address.as_ref().expect("address");
    assert_eq!(address.street_line_1.as_deref(), Some("123 Main Street"));
    assert_eq!(address.postal_code.as_deref(), Some("94102"));
    assert_eq!(address.street_line_2, None);
    assert_eq!(
        request
            .individual_identification
            .as_ref()
            .map(|s| s.expose()),
        Some("123-45-6789")
    );
}

fn validator<T: schemars::JsonSchema>() -> jsonschema::Validator {
    let schema = serde_json::to_value(schemars::schema_for!(T)).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schemars emits a valid JSON Schema")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_schemas_accept_the_documented_examples() {
    let request = validator::<CreateClientRequest>();
    assert_eq!(
        errors(&request, &documented_request()),
        Vec::<String>::new()
    );
    let response = validator::<Client>();
    assert_eq!(
        errors(&response, &documented_response()),
        Vec::<String>::new()
    );
    let error = validator::<ApiError>();
    for pointer in [
        "/components/responses/NotFound/content/application~1json/examples/documented/value",
        "/components/responses/RateLimited/content/application~1json/examples/documented/value",
    ] {
        assert_eq!(
            errors(&error, &spec_at(pointer)),
            Vec::<String>::new(),
            "{pointer}"
        );
    }
}

#[test]
fn the_schemas_reject_what_the_types_reject() {
    // The validator is not vacuous: a wrong type, an unknown key and a bad
    // date are each caught, at their path.
    let request = validator::<CreateClientRequest>();
    let mut bad = documented_request();
    bad["phone_number"] = json!("4155551234");
    bad["nickname"] = json!("JD");
    bad["address"]["city"] = json!(94102);
    let found = errors(&request, &bad);
    assert!(
        found.iter().any(|e| e.ends_with("at /phone_number")),
        "{found:?}"
    );
    assert!(found.iter().any(|e| e.contains("nickname")), "{found:?}");
    // An optional object is `anyOf [Address, null]`, so its inner error is
    // reported at the object.
    assert!(
        found.iter().any(|e| e.ends_with("at /address")),
        "{found:?}"
    );
    assert_eq!(found.len(), 3, "{found:?}");
    let response = validator::<Client>();
    let mut bad = documented_response();
    bad.as_object_mut().expect("object").remove("id");
    assert_eq!(errors(&response, &bad).len(), 1);
}
