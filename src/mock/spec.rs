//! What the mock reads from the spec: the operations and their routes, the
//! validators of path parameters and request bodies, and the check of an
//! answer against the response the spec declares.
//!
//! Everything is read from the same `openapi/cryptomate.yaml` the client is
//! generated from, so a new operation or a changed schema reaches the mock's
//! routing and validation without an edit here.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde_json::{Value, json};

/// The spec the mock validates against: the one the client is generated from.
const SPEC: &str = include_str!("../../openapi/cryptomate.yaml");

/// The spec as JSON, parsed once.
pub(crate) fn spec() -> &'static Value {
    static SPEC_JSON: OnceLock<Value> = OnceLock::new();
    SPEC_JSON.get_or_init(|| {
        serde_yaml_ng::from_str(SPEC).expect("the spec parses, or the crate would not have built")
    })
}

/// The spec's components, with `format: int32` and `format: int64` turned
/// into the range they mean: JSON Schema validators ignore OpenAPI's integer
/// formats, and a phone number over 64 bits must be refused as the vendor's
/// Java-typed server would.
fn components() -> &'static Value {
    static COMPONENTS: OnceLock<Value> = OnceLock::new();
    COMPONENTS.get_or_init(|| {
        let mut components = spec().get("components").cloned().unwrap_or(Value::Null);
        add_integer_ranges(&mut components);
        components
    })
}

fn add_integer_ranges(value: &mut Value) {
    match value {
        Value::Object(map) => {
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
            for child in map.values_mut() {
                add_integer_ranges(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(add_integer_ranges),
        _ => {}
    }
}

/// A validator of `schema` (a schema object of the spec, such as
/// `{"$ref": "#/components/schemas/ClientId"}`), with the spec's components as
/// the document its `$ref`s resolve in. OpenAPI's own keywords (`nullable`,
/// `example`, `x-…`) are unknown to JSON Schema and ignored.
pub(crate) fn validator_of(schema: &Value) -> Result<jsonschema::Validator, String> {
    let root = json!({"allOf": [schema], "components": components()});
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&root)
        .map_err(|e| format!("the spec's schema {schema} is not a valid JSON Schema: {e}"))
}

/// A validator of the spec's schema `name` (a key of `components/schemas`).
pub(crate) fn schema_validator(name: &str) -> Result<jsonschema::Validator, String> {
    if spec()
        .pointer(&format!("/components/schemas/{name}"))
        .is_none()
    {
        return Err(format!("the spec has no schema {name}"));
    }
    validator_of(&json!({"$ref": format!("#/components/schemas/{name}")}))
}

/// Every problem of `instance`, each as `JSON pointer: what is wrong`. The
/// messages never quote the value at fault, which may be personal data; a
/// missing property is named in the pointer (`/address/city: is required`).
pub(crate) fn validate(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    use jsonschema::error::ValidationErrorKind as Kind;
    validator
        .iter_errors(instance)
        .map(|e| {
            let mut path = e.instance_path().to_string();
            let what = match e.kind() {
                Kind::Required { property } => {
                    path.push('/');
                    path.push_str(property.as_str().unwrap_or_default());
                    "is required".to_string()
                }
                Kind::AdditionalProperties { unexpected } => format!(
                    "unknown field{} {}",
                    if unexpected.len() == 1 { "" } else { "s" },
                    unexpected
                        .iter()
                        .map(|name| format!("\"{name}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Kind::Type { kind } => format!("must be of type {}", type_name(kind)),
                Kind::Format { format } => format!("is not a valid {format}"),
                Kind::Pattern { pattern } => format!("does not match the pattern {pattern}"),
                Kind::Minimum { limit } => format!("must be at least {limit}"),
                Kind::Maximum { limit } => format!("must be at most {limit}"),
                Kind::MinLength { limit } => format!("must be at least {limit} characters long"),
                Kind::MaxLength { limit } => format!("must be at most {limit} characters long"),
                Kind::Enum { options } => format!("must be one of {options}"),
                _ => format!("is invalid (the schema's {} rule)", e.kind().keyword()),
            };
            if path.is_empty() {
                path.push('/');
            }
            format!("{path}: {what}")
        })
        .collect()
}

fn type_name(kind: &jsonschema::error::TypeKind) -> String {
    match kind {
        jsonschema::error::TypeKind::Single(ty) => ty.to_string(),
        jsonschema::error::TypeKind::Multiple(types) => types
            .iter()
            .map(|ty| ty.to_string())
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

/// One segment of an operation's path template.
#[derive(Debug)]
enum Segment {
    Literal(String),
    Param(String),
}

/// A path parameter and the validator of its schema.
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) validator: jsonschema::Validator,
}

/// An operation of the spec, as the mock routes and checks it.
pub(crate) struct Operation {
    pub(crate) id: String,
    pub(crate) method: String,
    pub(crate) template: String,
    segments: Vec<Segment>,
    pub(crate) params: Vec<Param>,
    /// The validator of the JSON request body, when the operation has one.
    pub(crate) body: Option<jsonschema::Validator>,
}

/// Every operation of the spec, read once.
pub(crate) fn operations() -> &'static [Operation] {
    static OPERATIONS: OnceLock<Vec<Operation>> = OnceLock::new();
    OPERATIONS.get_or_init(|| {
        read_operations().expect("the spec's operations compile (tested by tests/mock.rs)")
    })
}

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

fn read_operations() -> Result<Vec<Operation>, String> {
    let paths = spec()
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("the spec has no paths")?;
    let mut operations = Vec::new();
    for (template, item) in paths {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{method} {template} has no operationId"))?;
            let segments = template
                .trim_matches('/')
                .split('/')
                .map(|segment| match segment.strip_prefix('{') {
                    Some(name) => Segment::Param(name.trim_end_matches('}').to_string()),
                    None => Segment::Literal(segment.to_string()),
                })
                .collect();
            let mut params = Vec::new();
            for param in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if param.get("in").and_then(Value::as_str) != Some("path") {
                    continue;
                }
                let name = param
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("{id}: a parameter has no name"))?;
                let schema = param.get("schema").cloned().unwrap_or(json!({}));
                params.push(Param {
                    name: name.to_string(),
                    validator: validator_of(&schema)?,
                });
            }
            let body = match operation.pointer("/requestBody/content/application~1json/schema") {
                Some(schema) => Some(validator_of(schema)?),
                None => None,
            };
            operations.push(Operation {
                id: id.to_string(),
                method: method.to_ascii_uppercase(),
                template: template.clone(),
                segments,
                params,
                body,
            });
        }
    }
    Ok(operations)
}

/// What a request's path and method route to.
pub(crate) enum Route {
    /// An operation, with its path parameters percent-decoded.
    Operation(&'static Operation, Vec<(String, String)>),
    /// The path is the spec's, the method is not; the methods it allows.
    MethodNotAllowed(Vec<String>),
    /// No path of the spec.
    NotFound,
}

/// Routes `method path`. Where two templates match a path (`/individuals/
/// countries` and `/individuals/{id}`), the one with a literal segment where
/// the other has a parameter wins, as in the vendor's router.
pub(crate) fn route(method: &str, path: &str) -> Route {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut best: Option<(&'static str, Vec<bool>)> = None;
    for operation in operations() {
        if operation.segments.len() != segments.len() {
            continue;
        }
        let mut literals = Vec::with_capacity(segments.len());
        let matched = operation
            .segments
            .iter()
            .zip(&segments)
            .all(|(template, segment)| match template {
                Segment::Literal(literal) => {
                    literals.push(true);
                    literal == segment
                }
                Segment::Param(_) => {
                    literals.push(false);
                    !segment.is_empty()
                }
            });
        // `Vec<bool>` orders lexicographically: a literal earlier wins.
        if matched && best.as_ref().is_none_or(|(_, b)| literals > *b) {
            best = Some((operation.template.as_str(), literals));
        }
    }
    let Some((template, _)) = best else {
        return Route::NotFound;
    };
    let on_path = operations().iter().filter(|o| o.template == template);
    let Some(operation) = on_path.clone().find(|o| o.method == method) else {
        return Route::MethodNotAllowed(on_path.map(|o| o.method.clone()).collect());
    };
    let params = operation
        .segments
        .iter()
        .zip(&segments)
        .filter_map(|(template, segment)| match template {
            Segment::Param(name) => Some((
                name.clone(),
                percent_encoding::percent_decode_str(segment)
                    .decode_utf8_lossy()
                    .into_owned(),
            )),
            Segment::Literal(_) => None,
        })
        .collect();
    Route::Operation(operation, params)
}

/// Follows `$ref`s of the spec until a value that is not one.
fn resolve(mut value: &'static Value) -> Result<&'static Value, String> {
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                value = spec()
                    .pointer(reference.trim_start_matches('#'))
                    .ok_or_else(|| format!("the spec does not resolve {reference}"))?;
            }
            None => return Ok(value),
        }
    }
    Err("the spec's $refs loop".into())
}

/// Checks an answer of the operation `operation_id` against the spec: the
/// status is one it declares, a body is there exactly when the spec declares
/// one and validates against its schema (`$ref`s to `components/responses`
/// and `allOf` wrappers resolved), and every header the response requires is
/// present (`headers` lists the names the answer has, in lower case).
///
/// Returns every problem found.
pub fn check_answer(
    operation_id: &str,
    status: u16,
    headers: &[String],
    body: Option<&Value>,
) -> Result<(), Vec<String>> {
    let Some(operation) = operations().iter().find(|o| o.id == operation_id) else {
        return Err(vec![format!("the spec has no operation {operation_id}")]);
    };
    let declared = spec()
        .pointer(&format!(
            "/paths/{}/{}/responses/{status}",
            operation.template.replace('~', "~0").replace('/', "~1"),
            operation.method.to_ascii_lowercase()
        ))
        .ok_or_else(|| vec![format!("{operation_id} declares no {status} response")])?;
    let response = resolve(declared).map_err(|e| vec![e])?;
    let mut problems = Vec::new();
    match (response.pointer("/content/application~1json/schema"), body) {
        (Some(schema), Some(body)) => match validator_of(schema) {
            Ok(validator) => problems.extend(validate(&validator, body)),
            Err(e) => problems.push(e),
        },
        (Some(_), None) => problems.push(format!("{status} declares a JSON body; none was sent")),
        (None, Some(_)) => problems.push(format!("{status} declares no body; one was sent")),
        (None, None) => {}
    }
    let present: BTreeSet<String> = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
    for (name, header) in response
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let header = resolve(header).map_err(|e| vec![e])?;
        if header.get("required") == Some(&Value::Bool(true))
            && !present.contains(&name.to_ascii_lowercase())
        {
            problems.push(format!("{status} requires the header {name}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The operation ids of the spec, ordered by path, then method.
pub fn operation_ids() -> Vec<&'static str> {
    operations().iter().map(|o| o.id.as_str()).collect()
}
