//! The spec as the diff reads it: the YAML document as JSON, walked by JSON
//! pointer, with `$ref` and single-element `allOf` resolved, and validators of
//! its schemas compiled once each.
//!
//! It is not the place for deciding what a difference means; that is `compare.rs`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Map, Value, json};

use crate::Failure;
use crate::codegen;

use crate::dialect;
pub use crate::pointer_lines::{escape, unescape};

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
    /// Validators by schema pointer, shared by the threads that compare pages.
    validators: Mutex<HashMap<String, Arc<Result<jsonschema::Validator, String>>>>,
    /// Regular expressions compiled once for all validators: every operation's
    /// timestamps share the `Timestamp` pattern.
    patterns: jsonschema::PatternCache,
}

impl Spec {
    /// Parses the spec's text. Text that is not a YAML mapping with an `openapi`
    /// version and `paths` is an input error naming the file and the line (or
    /// JSON pointer), as `cargo xtask codegen` reports it.
    ///
    /// The spec is not checked as a whole OpenAPI document here: the diff walks
    /// it by pointer and treats every missing or odd-shaped part as absent, and
    /// `cargo xtask codegen --check` (and every build) is where the document's
    /// validity is checked. A typed parse would cost more than the rest of the
    /// diff on a large spec.
    pub fn parse(file: &Path, text: &str) -> Result<Spec, Failure> {
        let located = || match codegen::parse(file, text) {
            Err(e) => Failure::Input(e.to_string()),
            Ok(_) => Failure::Input(format!(
                "{}: not an OpenAPI document with `openapi` and `paths`",
                file.display()
            )),
        };
        let doc: Value = serde_yaml_ng::from_str(text).map_err(|_| located())?;
        let shaped = doc.get("openapi").and_then(Value::as_str).is_some()
            && doc.get("paths").is_some_and(Value::is_object);
        if !shaped {
            return Err(located());
        }
        Ok(Spec {
            file: file.display().to_string(),
            doc,
            validators: Mutex::new(HashMap::new()),
            patterns: jsonschema::PatternCache::new(),
        })
    }

    /// The value at a pointer.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        // `Value::pointer` allocates two strings per token to unescape it; the
        // diff looks up thousands of pointers, nearly none with an escape.
        let mut value = &self.doc;
        for token in pointer.split('/').skip(1) {
            let key = if token.contains('~') {
                std::borrow::Cow::Owned(unescape(token))
            } else {
                std::borrow::Cow::Borrowed(token)
            };
            value = match value {
                Value::Object(map) => map.get(key.as_ref())?,
                Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(value)
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

    /// The required header parameters of the operation at `pointer` whose
    /// schema allows one value (`X-API-Version: 2`): what tells a version of
    /// a path (`METHOD /path#v2`, DECISIONS.md D21) apart on the wire.
    pub fn fixed_headers(&self, pointer: &str) -> Vec<(String, String)> {
        let count = self
            .at(&format!("{pointer}/parameters"))
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        (0..count)
            .filter_map(|i| {
                let at = self.follow_refs(&format!("{pointer}/parameters/{i}"))?;
                let parameter = self.at(&at)?;
                if parameter.get("in")?.as_str()? != "header"
                    || parameter.get("required") != Some(&Value::Bool(true))
                {
                    return None;
                }
                let schema = self.at(&self.resolve_schema(&format!("{at}/schema"))?)?;
                match schema.get("enum")?.as_array()?.as_slice() {
                    [one] => Some((
                        parameter.get("name")?.as_str()?.to_string(),
                        one.as_str()?.to_string(),
                    )),
                    _ => None,
                }
            })
            .collect()
    }

    /// The tags of the operation at `pointer`.
    pub fn tags(&self, pointer: &str) -> Vec<String> {
        self.at(&format!("{pointer}/tags"))
            .and_then(Value::as_array)
            .map(|tags| {
                tags.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Validates `instance` against the schema at `pointer` with a validator
    /// compiled once per schema. Returns each problem as (instance path, message);
    /// an additional property is left to the extra-key walk, which reports it
    /// for open and closed schemas alike.
    pub fn validate(
        &self,
        pointer: &str,
        instance: &Value,
    ) -> Result<Vec<(String, String)>, String> {
        // The lock is not held while compiling, so that threads compile their
        // operations' schemas in parallel; two threads needing one shared schema
        // at once may both compile it, which is only wasted work.
        let cached = self
            .validators
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(pointer)
            .cloned();
        let compiled = match cached {
            Some(c) => c,
            None => {
                let c = Arc::new(self.compile(pointer));
                self.validators
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(pointer.to_string(), Arc::clone(&c));
                c
            }
        };
        let validator = match compiled.as_ref() {
            Ok(v) => v,
            Err(e) => return Err(e.clone()),
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
        let mut root = json!({
            "allOf": [schema],
            "components": { "schemas": schemas },
        });
        dialect::openapi_to_json_schema(&mut root);
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .with_pattern_cache(self.patterns.clone())
            .build(&root)
            .map_err(|e| format!("the schema at {pointer} is not a valid JSON Schema: {e}"))
    }

    /// Collects the names of the component schemas `value` refers to, transitively.
    fn reach(&self, value: &Value, reached: &mut BTreeSet<String>) {
        let schema = |name: &str| self.at(&format!("/components/schemas/{}", escape(name)));
        crate::reach_schemas(value, &schema, reached);
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
                    required_at: format!("{resolved}/required"),
                    deprecated_at: format!("{property}/deprecated"),
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
    /// Whether the parent schema lists it in `required` (a parameter: its
    /// `required`).
    pub required: bool,
    /// The pointer of the `required` list (or flag) that says so.
    pub required_at: String,
    /// The pointer of its `deprecated` flag.
    pub deprecated_at: String,
}

/// The lines of JSON pointers in the spec, in one pass.
pub fn lines_of_pointers(text: &str, pointers: &[&str]) -> HashMap<String, usize> {
    crate::pointer_lines::lines_of_pointers(text, pointers)
}
