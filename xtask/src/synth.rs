//! Synthetic inputs of any size, for benchmarks: a spec of `n` operations and
//! the `n` reference pages that document them, both made from the project's
//! own spec and captured page so that they stay realistic.
//!
//! Operation `i` is the create-client operation at `/management/clients{i}`
//! with `operationId: create_client{i}` and its own copies of the request and
//! response schemas (`CreateClientRequest{i}`, `Client{i}`, …); the schemas
//! every operation shares in the real spec (`ApiError`, `Timestamp`, …) stay
//! shared. Page `i` is the captured page with its path and URL changed to match.

use serde_json::{Map, Value};

/// Schemas copied per operation; every other schema is shared.
const PER_OPERATION: &[&str] = &["CreateClientRequest", "Address", "Document", "Client"];

/// The project's spec, as text.
pub fn base_spec() -> &'static str {
    include_str!("../../openapi/cryptomate.yaml")
}

/// The project's captured page, as text.
pub fn base_page() -> &'static str {
    include_str!("../../openapi/docs/create-client.txt")
}

/// A spec of `n` operations (at least one), as YAML.
pub fn spec(n: usize) -> String {
    let base: Value = serde_yaml_ng::from_str(base_spec()).expect("the project's spec is YAML");
    let mut spec = base.clone();
    let operation = base["paths"]["/management/clients"].clone();
    let schemas = base["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();

    let mut paths = Map::new();
    let mut out_schemas: Map<String, Value> = schemas
        .iter()
        .filter(|(name, _)| !PER_OPERATION.contains(&name.as_str()))
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect();
    for i in 0..n.max(1) {
        let suffix = suffix(i);
        let mut item = operation.clone();
        rename_refs(&mut item, &suffix);
        item["post"]["operationId"] = Value::String(format!("create_client{suffix}"));
        paths.insert(format!("/management/clients{suffix}"), item);
        for name in PER_OPERATION {
            let mut schema = schemas[*name].clone();
            rename_refs(&mut schema, &suffix);
            out_schemas.insert(format!("{name}{suffix}"), schema);
        }
    }
    spec["paths"] = Value::Object(paths);
    spec["components"]["schemas"] = Value::Object(out_schemas);
    serde_yaml_ng::to_string(&spec).expect("JSON values serialize as YAML")
}

/// Page `i` of the set that documents [`spec`]`(n)` for any `n > i`.
pub fn page(i: usize) -> String {
    let suffix = suffix(i);
    base_page()
        .replace("\nclients\n", &format!("\nclients{suffix}\n"))
        .replace(
            "/management/clients\"",
            &format!("/management/clients{suffix}\""),
        )
}

/// Operation 0 keeps the real names, so that a spec of one operation is the
/// project's own.
fn suffix(i: usize) -> String {
    if i == 0 { String::new() } else { i.to_string() }
}

fn rename_refs(value: &mut Value, suffix: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" {
                    if let Value::String(reference) = child
                        && let Some(name) = reference.strip_prefix("#/components/schemas/")
                        && PER_OPERATION.contains(&name)
                    {
                        *reference = format!("#/components/schemas/{name}{suffix}");
                    }
                } else {
                    rename_refs(child, suffix);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, suffix)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_of_n_operations_generates() {
        let text = spec(3);
        let parsed: Value = serde_yaml_ng::from_str(&text).expect("YAML");
        assert_eq!(parsed["paths"].as_object().map(Map::len), Some(3));
        assert!(parsed["components"]["schemas"]["Client2"].is_object());
        let item = &parsed["paths"]["/management/clients2"]["post"];
        assert_eq!(item["operationId"], "create_client2");
        assert_eq!(
            item["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Client2"
        );
        crate::codegen::generate_from_str(std::path::Path::new("synth.yaml"), &text)
            .expect("the synthetic spec generates a client");
    }

    #[test]
    fn page_i_documents_operation_i() {
        let page = page(7);
        assert!(page.contains("\n/\nmanagement\n/\nclients7\n"));
        assert!(page.contains("https://api.cryptomate.me/management/clients7\""));
        assert_eq!(super::page(0), base_page());
    }
}
