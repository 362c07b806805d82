//! Synthetic inputs of any size, for benchmarks: a spec of `n` operations and
//! the `n` reference pages that document them, both made from the project's
//! own spec and captured page so that they stay realistic.
//!
//! Operation `i` is the create-individual-client operation (the page of the
//! current format with the most to read: `required` lines, child fields, two
//! example tabs) at `/management/clients/individuals{i}` with
//! `operationId: …{i}` and its own copies of the schemas its request body and
//! success responses reach (`CreateIndividualClientRequest{i}`, …); the schemas
//! an error response reaches (`ApiError`, …) stay shared, as in the real spec.
//! Page `i` is the captured page with its path and URL changed to match.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// The path of the operation the inputs repeat.
pub const BASE_PATH: &str = "/management/clients/individuals";
/// Its method, lower case.
pub const BASE_METHOD: &str = "post";

/// The project's spec, as text.
pub fn base_spec() -> &'static str {
    include_str!("../../openapi/cryptomate.yaml")
}

/// The project's captured page of the operation, as text.
pub fn base_page() -> &'static str {
    include_str!("../../openapi/docs/create-individual-client.txt")
}

/// A spec of `n` operations (at least one), as YAML.
///
/// # Panics
///
/// When the project's spec has no operation `post /management/clients/individuals`:
/// the inputs are made from it.
pub fn spec(n: usize) -> String {
    let base: Value = serde_yaml_ng::from_str(base_spec()).expect("the project's spec is YAML");
    let mut spec = base.clone();
    let operation = base["paths"][BASE_PATH].clone();
    assert!(
        operation[BASE_METHOD].is_object(),
        "the project's spec has the operation {BASE_METHOD} {BASE_PATH}"
    );
    let schemas = base["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let per_operation = per_operation(&operation[BASE_METHOD], &schemas);
    let operation_id = operation[BASE_METHOD]["operationId"]
        .as_str()
        .unwrap_or("operation")
        .to_string();

    let mut paths = Map::new();
    let mut out_schemas: Map<String, Value> = schemas
        .iter()
        .filter(|(name, _)| !per_operation.contains(name.as_str()))
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect();
    for i in 0..n.max(1) {
        let suffix = suffix(i);
        // Only the repeated operation: the path item's other methods would be
        // operations no synthetic page documents.
        let mut item = Map::new();
        let mut op = operation[BASE_METHOD].clone();
        rename_refs(&mut op, &suffix, &per_operation);
        op["operationId"] = Value::String(format!("{operation_id}{suffix}"));
        item.insert(BASE_METHOD.to_string(), op);
        paths.insert(format!("{BASE_PATH}{suffix}"), Value::Object(item));
        for name in &per_operation {
            let mut schema = schemas[name.as_str()].clone();
            rename_refs(&mut schema, &suffix, &per_operation);
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
    let last = BASE_PATH.rsplit('/').next().unwrap_or_default();
    base_page()
        .replace(&format!("\n{last}\n"), &format!("\n{last}{suffix}\n"))
        .replace(&format!("{BASE_PATH}\""), &format!("{BASE_PATH}{suffix}\""))
}

/// The schemas an operation's request body and success responses reach, less
/// those its other responses reach (shared, as error bodies are).
fn per_operation(operation: &Value, schemas: &Map<String, Value>) -> BTreeSet<String> {
    let mut own = BTreeSet::new();
    reach(&operation["requestBody"], schemas, &mut own);
    let mut shared = BTreeSet::new();
    for (status, response) in operation["responses"].as_object().into_iter().flatten() {
        if status.starts_with('2') {
            reach(response, schemas, &mut own);
        } else {
            reach(response, schemas, &mut shared);
        }
    }
    own.difference(&shared).cloned().collect()
}

fn reach(value: &Value, schemas: &Map<String, Value>, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "$ref" {
                    if let Some(name) = child
                        .as_str()
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        && out.insert(name.to_string())
                        && let Some(schema) = schemas.get(name)
                    {
                        reach(schema, schemas, out);
                    }
                } else {
                    reach(child, schemas, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| reach(v, schemas, out)),
        _ => {}
    }
}

/// Operation 0 keeps the real names, so that a spec of one operation is the
/// project's own.
fn suffix(i: usize) -> String {
    if i == 0 { String::new() } else { i.to_string() }
}

fn rename_refs(value: &mut Value, suffix: &str, per_operation: &BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" {
                    if let Value::String(reference) = child
                        && let Some(name) = reference.strip_prefix("#/components/schemas/")
                        && per_operation.contains(name)
                    {
                        *reference = format!("#/components/schemas/{name}{suffix}");
                    }
                } else {
                    rename_refs(child, suffix, per_operation);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| rename_refs(v, suffix, per_operation)),
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
        let item = &parsed["paths"][format!("{BASE_PATH}2")][BASE_METHOD];
        assert!(
            item["operationId"]
                .as_str()
                .is_some_and(|id| id.ends_with('2')),
            "{item}"
        );
        let reference = item["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap_or_default();
        assert!(reference.ends_with('2'), "{reference}");
        crate::codegen::generate_from_str(std::path::Path::new("synth.yaml"), &text)
            .expect("the synthetic spec generates a client");
    }

    #[test]
    fn page_i_documents_operation_i() {
        let page = page(7);
        assert!(page.contains("\n/\nindividuals7\n"));
        assert!(page.contains("https://api.cryptomate.me/management/clients/individuals7\""));
        assert_eq!(super::page(0), base_page());
    }
}
