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
