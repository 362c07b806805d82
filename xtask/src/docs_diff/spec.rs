//! The spec as the diff reads it: the YAML document as JSON, walked by JSON
//! pointer, with `$ref` and single-element `allOf` resolved, and validators of
//! its schemas compiled once each.
//!
//! It is not the place for deciding what a difference means; that is `compare.rs`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::Failure;
use crate::codegen;

/// The HTTP methods an OpenAPI path item may hold.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A parsed spec.
pub struct Spec {
    /// The file, as messages name it.
    pub file: String,
    /// The document.
    pub doc: Value,
    validators: HashMap<String, Result<jsonschema::Validator, String>>,
}

impl Spec {
    /// Parses the spec's text. An unreadable document is an input error naming
    /// the file and the line (or JSON pointer), as `cargo xtask codegen` reports it.
    pub fn parse(file: &Path, text: &str) -> Result<Spec, Failure> {
        let located = || match codegen::parse(file, text) {
            Err(e) => Failure::Input(e.to_string()),
            Ok(_) => Failure::Input(format!("{}: not a valid OpenAPI document", file.display())),
        };
        let doc: Value = serde_yaml_ng::from_str(text).map_err(|_| located())?;
        // The typed parse checks the document's shape; its error names the place
        // better than a JSON walk could, so on failure the text is parsed again
        // through codegen for a located message.
        if serde_json::from_value::<openapiv3::OpenAPI>(doc.clone()).is_err() {
            return Err(located());
        }
        Ok(Spec {
            file: file.display().to_string(),
            doc,
            validators: HashMap::new(),
        })
    }

    /// The value at a pointer.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.doc.pointer(pointer)
    }

    /// Follows `$ref`s from the value at `pointer`; returns the final value's pointer.
    pub fn follow_refs(&self, pointer: &str) -> Option<String> {
        let mut pointer = pointer.to_string();
        for _ in 0..32 {
            let value = self.at(&pointer)?;
            match value.get("$ref").and_then(Value::as_str) {
                Some(target) => pointer = target.strip_prefix('#')?.to_string(),
                None => return Some(pointer),
            }
        }
        None
    }

    /// Follows `$ref`s and single-element `allOf`s (the spec's way of giving a
    /// referenced schema a description of its own) from the schema at `pointer`.
    pub fn resolve_schema(&self, pointer: &str) -> Option<String> {
        let mut pointer = self.follow_refs(pointer)?;
        for _ in 0..32 {
            let value = self.at(&pointer)?;
            match value.get("allOf").and_then(Value::as_array) {
                Some(parts) if parts.len() == 1 && value.get("properties").is_none() => {
                    pointer = self.follow_refs(&format!("{pointer}/allOf/0"))?;
                }
                _ => return Some(pointer),
            }
        }
        None
    }

    /// The operations of the spec: `(METHOD /path, pointer)`.
    pub fn operations(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let Some(paths) = self.doc.get("paths").and_then(Value::as_object) else {
            return out;
        };
        for (path, item) in paths {
            for method in METHODS {
                if item.get(*method).is_some() {
                    out.push((
                        format!("{} {path}", method.to_uppercase()),
                        format!("/paths/{}/{method}", escape(path)),
                    ));
                }
            }
        }
        out
    }

    /// Validates `instance` against the schema at `pointer` with a validator
    /// compiled once per schema. Returns each problem as (instance path, message);
    /// an additional property is left to the extra-key walk, which reports it
    /// for open and closed schemas alike.
    pub fn validate(
        &mut self,
        pointer: &str,
        instance: &Value,
    ) -> Result<Vec<(String, String)>, String> {
        if !self.validators.contains_key(pointer) {
            let compiled = self.compile(pointer);
            self.validators.insert(pointer.to_string(), compiled);
        }
        let validator = match self.validators.get(pointer) {
            Some(Ok(v)) => v,
            Some(Err(e)) => return Err(e.clone()),
            None => return Err(format!("no validator for {pointer}")),
        };
        Ok(validator
            .iter_errors(instance)
            .filter(|e| {
                !matches!(
                    e.kind(),
                    jsonschema::error::ValidationErrorKind::AdditionalProperties { .. }
                )
            })
            .map(|e| {
                let path = e.instance_path().to_string();
                let path = if path.is_empty() {
                    "/".to_string()
                } else {
                    path
                };
                (path, e.to_string())
            })
            .collect())
    }

    /// A JSON Schema document for the schema at `pointer`: the schema itself with
    /// the component schemas it reaches, and only those, so that compiling one
    /// operation's validator costs the same however large the spec is.
    fn compile(&self, pointer: &str) -> Result<jsonschema::Validator, String> {
        let schema = self
            .at(pointer)
            .ok_or_else(|| format!("the spec has no schema at {pointer}"))?;
        let mut reached = BTreeSet::new();
        self.reach(schema, &mut reached);
        let mut schemas = Map::new();
        for name in reached {
            if let Some(s) = self.at(&format!("/components/schemas/{}", escape(&name))) {
                schemas.insert(name, s.clone());
            }
        }
        let root = json!({
            "allOf": [schema],
            "components": { "schemas": schemas },
        });
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| format!("the schema at {pointer} is not a valid JSON Schema: {e}"))
    }

    /// Collects the names of the component schemas `value` refers to, transitively.
    fn reach(&self, value: &Value, reached: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if key == "$ref" {
                        if let Some(name) = child
                            .as_str()
                            .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        {
                            let name = unescape(name);
                            if reached.insert(name.clone())
                                && let Some(s) =
                                    self.at(&format!("/components/schemas/{}", escape(&name)))
                            {
                                self.reach(s, reached);
                            }
                        }
                    } else {
                        self.reach(child, reached);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.reach(v, reached)),
            _ => {}
        }
    }

    /// The fields a schema documents, flattened: `name`, `parent.child`,
    /// `list[].child`, each with the pointer of its property and whether its
    /// parent requires it.
    pub fn fields(&self, pointer: &str) -> BTreeMap<String, SpecField> {
        let mut out = BTreeMap::new();
        self.collect_fields(pointer, "", &mut out, 0);
        out
    }

    fn collect_fields(
        &self,
        pointer: &str,
        prefix: &str,
        out: &mut BTreeMap<String, SpecField>,
        depth: usize,
    ) {
        // The spec's schemas nest two levels deep; a bound keeps a recursive
        // schema from recursing forever.
        if depth > 8 {
            return;
        }
        let Some(resolved) = self.resolve_schema(pointer) else {
            return;
        };
        let Some(schema) = self.at(&resolved) else {
            return;
        };
        if let Some(items) = schema.get("items")
            && items.is_object()
            && !prefix.is_empty()
        {
            self.collect_fields(
                &format!("{resolved}/items"),
                &format!("{prefix}[]"),
                out,
                depth + 1,
            );
            return;
        }
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return;
        };
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for name in properties.keys() {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            let property = format!("{resolved}/properties/{}", escape(name));
            out.insert(
                path.clone(),
                SpecField {
                    pointer: property.clone(),
                    resolved: self
                        .resolve_schema(&property)
                        .unwrap_or_else(|| property.clone()),
                    required: required.contains(name.as_str()),
                    parent: format!("{resolved}/properties"),
                },
            );
            self.collect_fields(&property, &path, out, depth + 1);
        }
    }
}

/// A field of a spec schema.
#[derive(Debug, Clone)]
pub struct SpecField {
    /// The pointer of the property.
    pub pointer: String,
    /// The pointer of the property's schema after `$ref` and `allOf` resolution.
    pub resolved: String,
    /// Whether the parent schema lists it in `required`.
    pub required: bool,
    /// The pointer of the parent's `properties`, where a missing sibling would go.
    pub parent: String,
}

/// Escapes a key for a JSON pointer.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn unescape(key: &str) -> String {
    key.replace("~1", "/").replace("~0", "~")
}

/// The line of every key of a block-style YAML document, by JSON pointer, found
/// in one pass: a key line belongs to the nearest less-indented key line above it,
/// and sequence items count from 0. `codegen::line_of_pointer` answers one
/// pointer by reading the document from the top; with a finding per operation in
/// a spec of thousands of lines that is quadratic, so the diff builds this index
/// once and asks `line_of_pointer` only for what the index lacks.
pub struct LineIndex {
    lines: std::collections::HashMap<String, usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        // (indent, pointer segment, whether it is a sequence item)
        let mut stack: Vec<(usize, String, bool)> = Vec::new();
        let mut lines = std::collections::HashMap::new();
        // Lines more indented than this belong to a block scalar (`>-`, `|`).
        let mut scalar_above: Option<usize> = None;
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let mut indent = line.len() - trimmed.len();
            if let Some(s) = scalar_above {
                if indent > s {
                    continue;
                }
                scalar_above = None;
            }
            let mut rest = trimmed;
            if let Some(item) = trimmed.strip_prefix("- ") {
                while stack
                    .last()
                    .is_some_and(|(d, _, is_item)| *d > indent || (*d == indent && !is_item))
                {
                    stack.pop();
                }
                let index = match stack.last() {
                    Some((d, segment, true)) if *d == indent => {
                        let next = segment.parse::<usize>().map_or(0, |n| n + 1);
                        stack.pop();
                        next
                    }
                    _ => 0,
                };
                stack.push((indent, index.to_string(), true));
                rest = item;
                indent += 2;
            }
            let Some((name, value)) = rest.split_once(':') else {
                continue;
            };
            let name = name.trim().trim_matches(|c| c == '\'' || c == '"');
            while stack.last().is_some_and(|(d, _, _)| *d >= indent) {
                stack.pop();
            }
            stack.push((indent, escape(name), false));
            let pointer: String = stack.iter().map(|(_, s, _)| format!("/{s}")).collect();
            lines.entry(pointer).or_insert(i + 1);
            let value = value.trim();
            if value.starts_with('>') || value.starts_with('|') {
                scalar_above = Some(indent);
            }
        }
        LineIndex { lines }
    }

    /// The line of a pointer: from the index, else by `codegen::line_of_pointer`.
    pub fn line(&self, text: &str, pointer: &str) -> Option<usize> {
        self.lines
            .get(pointer)
            .copied()
            .or_else(|| codegen::line_of_pointer(text, pointer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_finds_keys_items_and_skips_block_scalars() {
        let text = crate::synth::base_spec();
        let index = LineIndex::new(text);
        let line = |p: &str| index.lines.get(p).copied();
        assert_eq!(line("/openapi"), Some(7));
        assert_eq!(line("/servers/1/url"), Some(17));
        assert_eq!(
            line("/paths/~1management~1clients/post/requestBody"),
            Some(37)
        );
        assert_eq!(line("/components/schemas/Client/required"), Some(338));
        // `type` under `properties` is the property, not the `type` of `id`
        // above it.
        assert_eq!(
            line("/components/schemas/Client/properties/type"),
            Some(346)
        );
        assert_eq!(
            line("/components/schemas/Client/properties/type/allOf/0/$ref"),
            Some(349)
        );
        // A colon inside a folded description is not a key.
        assert_eq!(
            line("/paths/~1management~1clients/post/not idempotent"),
            None
        );
        // Where both can answer, they agree.
        for pointer in [
            "/components/schemas/CreateClientRequest/properties/whatsapp",
            "/components/examples/CreatedClient/value/phone_number",
            "/paths/~1management~1clients/post/description",
        ] {
            assert_eq!(
                line(pointer),
                codegen::line_of_pointer(text, pointer),
                "{pointer}"
            );
        }
    }
}
