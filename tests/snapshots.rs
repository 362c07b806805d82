//! The checked-in view of what the spec produces: the generated source and the
//! JSON Schema of every public type. A spec change shows its Rust consequence
//! here; review it with `cargo insta review`.

use cryptomate::types::{Address, ApiError, Client, CreateClientRequest, Document};
use cryptomate::{ClientStatus, ClientType, Sensitive, Timestamp};

#[test]
fn generated_code() {
    let code = include_str!(concat!(env!("OUT_DIR"), "/cryptomate.rs"));
    insta::assert_snapshot!("generated_code", code);
}

macro_rules! schema_snapshots {
    ($($test:ident: $ty:ty,)+) => {
        $(
            #[test]
            fn $test() {
                insta::assert_json_snapshot!(stringify!($test), schemars::schema_for!($ty));
            }
        )+
    };
}

schema_snapshots! {
    schema_address: Address,
    schema_api_error: ApiError,
    schema_client: Client,
    schema_create_client_request: CreateClientRequest,
    schema_document: Document,
    schema_client_status: ClientStatus,
    schema_client_type: ClientType,
    schema_sensitive: Sensitive,
    schema_timestamp: Timestamp,
}

/// Personal data is redacted from `Debug` of the generated types, while the
/// serialized body is unchanged.
#[test]
fn debug_of_a_request_hides_personal_data() {
    let request = CreateClientRequest {
        first_name: Some("John".into()),
        individual_identification: Some("123-45-6789".into()),
        individual_identification_type: Some("SSN".into()),
        documents: vec![Document {
            id: Some("doc_1".into()),
            name: Some("Passport".into()),
            number: Some("X1234567".into()),
            image_front: Some("data:image/png;base64,AAAA".into()),
            image_back: Some("data:image/png;base64,BBBB".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    insta::assert_snapshot!("debug_of_a_request", format!("{request:#?}"));
    let wire = serde_json::to_value(&request).expect("serializes");
    assert_eq!(wire["individual_identification"], "123-45-6789");
    assert_eq!(wire["documents"][0]["number"], "X1234567");
    assert_eq!(
        wire["documents"][0]["image_back"],
        "data:image/png;base64,BBBB"
    );
}
