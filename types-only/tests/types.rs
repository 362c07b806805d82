//! The types, their builders and JSON Schemas, without the client.

use cryptomate::types::{IndividualAddress, IndividualClientRequest};
use cryptomate::{ClientId, IndividualClientStatus};
use cryptomate_types_only::{client_schema, read_client};
use serde_json::json;

const STORED: &str = r#"{"id":"4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG","type":"individual","status":"active","first_name":"Maria","email":"mjuliabarber@example.com","birth_date":"1984-11-21","address":{"street_line1":"Florida 9860","city":"Del Viso","postal_code":"1669","state":"ARG-B","country":"ARG"},"created_at":"2026-04-15T10:30:00","updated_at":"2026-04-15T10:30:00"}"#;

#[test]
fn a_stored_client_reads_and_writes_back_unchanged() {
    let client = read_client(STORED).expect("reads");
    assert_eq!(
        client.id,
        ClientId::new("4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG").expect("an id")
    );
    assert_eq!(client.status, Some(IndividualClientStatus::Active));
    let written = serde_json::to_value(&client).expect("writes");
    let stored: serde_json::Value = serde_json::from_str(STORED).expect("JSON");
    assert_eq!(written, stored);
}

#[test]
fn the_json_schema_validates_what_the_types_read() {
    let schema = client_schema();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let stored: serde_json::Value = serde_json::from_str(STORED).expect("JSON");
    assert!(validator.is_valid(&stored));
    assert!(!validator.is_valid(&json!({"first_name": "no id"})));
}

#[test]
fn builders_name_a_missing_required_field() {
    let built = IndividualClientRequest::try_from(
        IndividualClientRequest::builder()
            .first_name("Maria")
            .last_name("Barber")
            .email("mjuliabarber@example.com")
            .address(IndividualAddress::builder().city("Del Viso")),
    );
    let error = built.expect_err("birth_date and the address's fields are missing");
    assert!(
        error.to_string().contains("no value supplied for"),
        "{error}"
    );
}
