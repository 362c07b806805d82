//! The spec's own examples of an operation (which `cargo xtask docs-diff`
//! holds equal to the pages'), for the tests of the mock: they read what the
//! mock is seeded from, not the page files.

use serde_json::Value;

/// Follows `$ref`s of `spec`.
pub fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(
            spec,
            spec.pointer(reference.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("the spec resolves {reference}")),
        ),
        None => value,
    }
}

/// The first example of a media type object.
pub fn first_example(spec: &Value, media: &Value) -> Option<Value> {
    media.get("example").cloned().or_else(|| {
        let examples = media.get("examples")?.as_object()?;
        resolve(spec, examples.values().next()?)
            .get("value")
            .cloned()
    })
}

/// The operation object of `operation_id`.
pub fn operation<'a>(spec: &'a Value, operation_id: &str) -> &'a Value {
    spec["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .find(|o| o.get("operationId").and_then(Value::as_str) == Some(operation_id))
        .unwrap_or_else(|| panic!("the spec has the operation {operation_id}"))
}

/// The spec's first example of the answer `status` of `operation_id`.
pub fn documented(operation_id: &str, status: u16) -> Value {
    let spec = super::spec();
    let response = resolve(
        &spec,
        &operation(&spec, operation_id)["responses"][status.to_string()],
    );
    first_example(&spec, &response["content"]["application/json"])
        .unwrap_or_else(|| panic!("{operation_id} documents a {status} example"))
}

/// The spec's first example of the request body of `operation_id`.
pub fn documented_request(operation_id: &str) -> Value {
    let spec = super::spec();
    let body = resolve(&spec, &operation(&spec, operation_id)["requestBody"]);
    first_example(&spec, &body["content"]["application/json"])
        .unwrap_or_else(|| panic!("{operation_id} documents a request example"))
}
