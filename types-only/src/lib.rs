//! A downstream crate that uses only the types of `cryptomate`'s Management
//! product and their JSON Schemas (`default-features = false, features =
//! ["management", "schemars"]`): it reads, checks and writes the API's JSON
//! without the HTTP client. It is the README's "Using only the types" in code,
//! tested on its own in CI, where `cargo tree` proves that reqwest, tokio and
//! the generator's client runtime are not built for it.

use cryptomate::types::IndividualClient;

/// Reads a stored client record, as a service that keeps the API's answers
/// would.
pub fn read_client(json: &str) -> Result<IndividualClient, serde_json::Error> {
    serde_json::from_str(json)
}

/// The JSON Schema of an individual client, as a service that validates
/// webhook payloads or shares the types with a front end would publish it.
pub fn client_schema() -> serde_json::Value {
    serde_json::to_value(cryptomate::schemars::schema_for!(IndividualClient))
        .unwrap_or(serde_json::Value::Null)
}
