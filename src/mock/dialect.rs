//! OpenAPI 3.0's own schema keywords as the JSON Schema (Draft 7) that the
//! validators read. One file for every reader of the spec's schemas: the
//! mock (which validates requests and answers), and xtask, which includes it
//! by `#[path]`: `cargo xtask docs-diff` (which validates the pages'
//! examples) and `cargo xtask spec-json` (the spec translated, for
//! `.ci/mock-e2e.py`).

use serde_json::{Value, json};

/// Turns OpenAPI 3.0's schema dialect into the JSON Schema the validators
/// read, everywhere in `value`: `nullable: true` allows `null` (as a type, an
/// enum value, or around a schema without a type), a boolean
/// `exclusiveMinimum`/`exclusiveMaximum` bounds by its `minimum`/`maximum`,
/// and `format: int32`/`int64` on an integer is the range it means (a phone
/// number over 64 bits must be refused as the vendor's Java-typed server
/// would).
pub(crate) fn openapi_to_json_schema(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                openapi_to_json_schema(child);
            }
            let range = match map.get("format").and_then(Value::as_str) {
                Some("int32") => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
                Some("int64") => Some((i64::MIN, i64::MAX)),
                _ => None,
            };
            if let Some((min, max)) = range
                && map.get("type").and_then(Value::as_str) == Some("integer")
            {
                map.entry("minimum").or_insert(json!(min));
                map.entry("maximum").or_insert(json!(max));
            }
            for (exclusive, bound) in [
                ("exclusiveMinimum", "minimum"),
                ("exclusiveMaximum", "maximum"),
            ] {
                if let Some(Value::Bool(on)) = map.get(exclusive).cloned() {
                    map.remove(exclusive);
                    if on && let Some(limit) = map.remove(bound) {
                        map.insert(exclusive.into(), limit);
                    }
                }
            }
            if map.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::String(ty)) = map.get("type").cloned() {
                    map.insert("type".into(), json!([ty, "null"]));
                    if let Some(Value::Array(values)) = map.get_mut("enum") {
                        values.push(Value::Null);
                    }
                } else if !map.contains_key("type") {
                    let inner = Value::Object(std::mem::take(map));
                    map.insert("anyOf".into(), json!([inner, {"type": "null"}]));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(openapi_to_json_schema),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_and_boolean_exclusive_bounds_become_draft_7() {
        let mut schema = json!({
            "type": "object",
            "properties": {
                "memo": {"type": "string", "nullable": true},
                "amount": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
                "floor": {"type": "number", "minimum": 0, "exclusiveMinimum": false},
            },
        });
        openapi_to_json_schema(&mut schema);
        assert_eq!(
            schema["properties"]["memo"]["type"],
            json!(["string", "null"])
        );
        assert_eq!(
            schema["properties"]["amount"],
            json!({"type": "number", "exclusiveMinimum": 0})
        );
        assert_eq!(
            schema["properties"]["floor"],
            json!({"type": "number", "minimum": 0})
        );
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .build(&schema)
            .expect("a valid schema");
        assert!(validator.is_valid(&json!({"memo": null, "amount": 1, "floor": 0})));
        assert!(!validator.is_valid(&json!({"amount": 0})));
    }
}
