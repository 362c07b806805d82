//! `cargo xtask spec-json`: the spec as JSON, every schema in it in the JSON
//! Schema (Draft 7) dialect that the mock and docs-diff validate with
//! (`src/mock/dialect.rs`), for tools outside Rust (`.ci/mock-e2e.py`), so
//! that none of them translates OpenAPI 3.0's schema keywords again.
//!
//! A schema is a value of `components.schemas`, or the value of a `schema`
//! key anywhere else (a parameter's, a media type's). Nothing else changes:
//! paths, operations, examples and `$ref`s are the spec's.

use std::path::Path;

use serde_json::Value;

use crate::Failure;
use crate::dialect::openapi_to_json_schema;

/// The spec at `path`, its schemas translated.
pub fn translated(path: &Path) -> Result<Value, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Input(format!("{}: cannot read the spec: {e}", path.display())))?;
    let mut spec: Value = serde_yaml_ng::from_str(&text)
        .map_err(|e| Failure::Input(format!("{}: not YAML: {e}", path.display())))?;
    if !spec.is_object() {
        return Err(Failure::Input(format!(
            "{}: not an OpenAPI document",
            path.display()
        )));
    }
    let schemas = spec
        .pointer_mut("/components/schemas")
        .map(Value::take)
        .unwrap_or(Value::Null);
    translate_schema_keys(&mut spec);
    if let Value::Object(mut schemas) = schemas {
        for schema in schemas.values_mut() {
            openapi_to_json_schema(schema);
        }
        spec["components"]["schemas"] = Value::Object(schemas);
    }
    Ok(spec)
}

/// Translates the value of every `schema` key in `value`.
fn translate_schema_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "schema" && child.is_object() {
                    openapi_to_json_schema(child);
                } else {
                    translate_schema_keys(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(translate_schema_keys),
        _ => {}
    }
}

/// Runs the command: prints the translated spec at `path`.
pub fn run(path: &Path) -> Result<(), Failure> {
    let text = serde_json::to_string(&translated(path)?)
        .map_err(|e| Failure::Run(format!("cannot print the spec: {e}")))?;
    println!("{text}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translate(yaml: &str) -> Value {
        let dir = std::env::temp_dir().join(format!("xtask-spec-json-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let path = dir.join("spec.yaml");
        std::fs::write(&path, yaml).expect("written");
        translated(&path).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn schemas_are_translated_and_nothing_else() {
        let spec = translate(
            "openapi: 3.0.3\n\
             paths:\n  /a:\n    get:\n      parameters:\n        - {name: n, in: query, schema: {type: integer, format: int32, nullable: true}}\n      \
             responses:\n        '200':\n          content:\n            application/json:\n              \
             schema: {$ref: '#/components/schemas/A'}\n              example: {nullable: true}\n\
             components:\n  schemas:\n    A: {type: number, minimum: 0, exclusiveMinimum: true}\n",
        );
        assert_eq!(
            spec["paths"]["/a"]["get"]["parameters"][0]["schema"],
            serde_json::json!({
                "type": ["integer", "null"], "format": "int32",
                "minimum": i32::MIN, "maximum": i32::MAX,
            })
        );
        assert_eq!(
            spec["components"]["schemas"]["A"],
            serde_json::json!({"type": "number", "exclusiveMinimum": 0})
        );
        // An example is data, not a schema.
        assert_eq!(
            spec["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["example"],
            serde_json::json!({"nullable": true})
        );
    }

    #[test]
    fn a_spec_that_is_not_yaml_is_an_input_error_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("xtask-spec-json-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let path = dir.join("bad.yaml");
        std::fs::write(&path, "openapi: [\n").expect("written");
        match translated(&path) {
            Err(Failure::Input(message)) => assert!(message.contains("bad.yaml"), "{message}"),
            other => panic!("{other:?}"),
        }
    }
}
