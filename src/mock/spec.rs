//! What the mock reads from a spec: the operations and their routes, the
//! validators of parameters and request bodies, the declared responses with
//! their examples, and the check of an answer against them.
//!
//! The crate's mock reads the same `openapi/cryptomate.yaml` the client is
//! generated from ([`Spec::crate_spec`]), so a new operation or a changed
//! schema reaches the mock's routing and validation without an edit here; a
//! test may start a mock on another spec text ([`Spec::parse`]). This module
//! knows OpenAPI, not the API: nothing here names an operation.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value, json};

/// The spec the crate's mock serves: the one the client is generated from.
const CRATE_SPEC: &str = include_str!("../../openapi/cryptomate.yaml");

/// The HTTP methods an OpenAPI path item may hold operations for, in the
/// order the mock lists them.
const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// The URI of the spec's components in the validators' registry.
const SPEC_URI: &str = "urn:cryptomate:spec";

/// A spec, read once: its JSON, its components (in JSON Schema's dialect,
/// see [`super::dialect::openapi_to_json_schema`]) and its operations.
pub(crate) struct Spec {
    pub(crate) json: Value,
    /// The document every validator resolves `$ref`s in: the spec's
    /// components, as `{"components": ...}` at [`SPEC_URI`], indexed once
    /// (a validator that embedded it would copy and index it again: seconds
    /// for a spec of a hundred operations).
    registry: jsonschema::Registry<'static>,
    pub(crate) operations: Vec<Operation>,
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum In {
    Path,
    Query,
    Header,
}

/// A parameter of an operation and the validator of its schema.
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) location: In,
    pub(crate) required: bool,
    /// The schema with its `$ref`s and `allOf` wrappers resolved at the top.
    pub(crate) schema: Value,
    pub(crate) validator: jsonschema::Validator,
    /// The parameter's `example` (or its schema's), when the spec gives one.
    pub(crate) example: Option<Value>,
}

/// One declared response of an operation.
pub(crate) struct Response {
    pub(crate) status: u16,
    /// The media type of its body, when it has one (`application/json`
    /// preferred when several are declared).
    pub(crate) media_type: Option<String>,
    /// The schema of its body, as written (possibly a `$ref`).
    pub(crate) schema: Option<Value>,
    /// Its examples' values, in the spec's order.
    pub(crate) examples: Vec<Value>,
    /// The headers it requires.
    pub(crate) required_headers: Vec<String>,
    validator: OnceLock<Result<jsonschema::Validator, String>>,
}

/// An operation of the spec, as the mock routes, checks and answers it.
pub(crate) struct Operation {
    pub(crate) id: String,
    pub(crate) method: String,
    pub(crate) template: String,
    pub(crate) segments: Vec<Segment>,
    pub(crate) params: Vec<Param>,
    /// The JSON request body: its schema (as written) and validator.
    pub(crate) body: Option<(Value, jsonschema::Validator)>,
    pub(crate) responses: Vec<Response>,
}

impl Operation {
    /// Its required header parameters whose schema allows one value
    /// (`X-API-Version: 2`): what tells two versions of a path apart (D21).
    pub(crate) fn fixed_headers(&self) -> Vec<(&str, &str)> {
        self.params
            .iter()
            .filter(|p| p.location == In::Header && p.required)
            .filter_map(|p| match p.schema.get("enum").and_then(Value::as_array) {
                Some(values) if values.len() == 1 => Some((p.name.as_str(), values[0].as_str()?)),
                _ => None,
            })
            .collect()
    }
}

/// One segment of an operation's path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    Param(String),
}

/// What a request's path and method route to.
pub(crate) enum Route {
    /// An operation (its index), with its path parameters percent-decoded.
    Operation(usize, Vec<(String, String)>),
    /// The path is the spec's, the method is not; the methods it allows.
    MethodNotAllowed(Vec<String>),
    /// No path of the spec.
    NotFound,
}

impl Spec {
    /// The crate's spec, read once per process.
    pub(crate) fn crate_spec() -> Arc<Spec> {
        static SPEC: OnceLock<Arc<Spec>> = OnceLock::new();
        Arc::clone(SPEC.get_or_init(|| {
            Arc::new(
                Spec::parse(CRATE_SPEC)
                    .expect("the crate's spec is one the mock reads (tested by tests/mock.rs)"),
            )
        }))
    }

    /// Reads a spec's text (YAML or JSON). The error names what is wrong and
    /// where (a line, or the operation and the JSON pointer).
    pub(crate) fn parse(text: &str) -> Result<Spec, String> {
        let json: Value =
            serde_yaml_ng::from_str(text).map_err(|e| format!("the spec is not YAML: {e}"))?;
        if !json.is_object() {
            return Err("the spec is not a YAML mapping".into());
        }
        let mut components = json.get("components").cloned().unwrap_or(json!({}));
        super::dialect::openapi_to_json_schema(&mut components);
        let registry = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft7)
            .add(SPEC_URI, json!({"components": components}))
            .and_then(|builder| builder.prepare())
            .map_err(|e| format!("the spec's components are not valid JSON Schema: {e}"))?;
        let mut spec = Spec {
            json,
            registry,
            operations: Vec::new(),
        };
        spec.operations = spec.read_operations()?;
        Ok(spec)
    }

    /// Follows `$ref`s of the spec until a value that is not one.
    pub(crate) fn resolve<'a>(&'a self, mut value: &'a Value) -> Result<&'a Value, String> {
        for _ in 0..32 {
            match value.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    value = self
                        .json
                        .pointer(reference.trim_start_matches('#'))
                        .ok_or_else(|| format!("the spec does not resolve {reference}"))?;
                }
                None => return Ok(value),
            }
        }
        Err("the spec's $refs loop".into())
    }

    /// `schema` with `$ref`s followed and a lone `allOf` (the spec's way of
    /// giving a `$ref` a description) unwrapped, at the top level only.
    pub(crate) fn schema<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        for _ in 0..32 {
            let resolved = self.resolve(schema).unwrap_or(schema);
            match resolved.get("allOf").and_then(Value::as_array) {
                Some(parts) if parts.len() == 1 => schema = &parts[0],
                _ => return resolved,
            }
        }
        schema
    }

    /// The properties an object schema declares, `allOf` parts merged;
    /// `None` when the schema declares none (a free-form object or not an
    /// object).
    pub(crate) fn properties<'a>(&'a self, schema: &'a Value) -> Option<Map<String, Value>> {
        let schema = self.resolve(schema).ok()?;
        let mut out: Option<Map<String, Value>> = None;
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            out.get_or_insert_with(Map::new)
                .extend(properties.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(properties) = self.properties(part) {
                out.get_or_insert_with(Map::new).extend(properties);
            }
        }
        out
    }

    /// The JSON type a schema declares at its top level (`object`, `array`,
    /// `string`, ...), through `$ref` and `allOf`.
    pub(crate) fn type_of(&self, schema: &Value) -> Option<String> {
        let schema = self.schema(schema);
        if let Some(ty) = schema.get("type").and_then(Value::as_str) {
            return Some(ty.to_string());
        }
        if schema.get("properties").is_some() {
            return Some("object".into());
        }
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find_map(|part| self.type_of(part))
    }

    /// A validator of `schema` (a schema object of the spec, such as
    /// `{"$ref": "#/components/schemas/ClientId"}`), with the spec's
    /// components as the document its `$ref`s resolve in. OpenAPI's own
    /// keywords (`nullable`, `example`, `x-…`) are unknown to JSON Schema and
    /// ignored.
    pub(crate) fn validator_of(&self, schema: &Value) -> Result<jsonschema::Validator, String> {
        let mut compiled = schema.clone();
        super::dialect::openapi_to_json_schema(&mut compiled);
        in_registry(&mut compiled);
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .with_registry(&self.registry)
            .build(&compiled)
            .map_err(|e| format!("the spec's schema {schema} is not a valid JSON Schema: {e}"))
    }

    /// A validator of the spec's schema `name` (a key of `components/schemas`).
    pub(crate) fn schema_validator(&self, name: &str) -> Result<jsonschema::Validator, String> {
        if self
            .json
            .pointer(&format!("/components/schemas/{name}"))
            .is_none()
        {
            return Err(format!("the spec has no schema {name}"));
        }
        self.validator_of(&json!({"$ref": format!("#/components/schemas/{name}")}))
    }

    fn read_operations(&self) -> Result<Vec<Operation>, String> {
        let paths = self
            .json
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("the spec has no paths")?;
        let mut operations = Vec::new();
        let mut ids = BTreeSet::new();
        for (template, item) in paths {
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let at = format!("{} {template}", method.to_ascii_uppercase());
                let id = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("{at} has no operationId"))?;
                if !ids.insert(id.to_string()) {
                    return Err(format!("{at}: the operationId {id} is used twice"));
                }
                operations.push(
                    self.read_operation(template, method, item, operation, id)
                        .map_err(|e| format!("{at} ({id}): {e}"))?,
                );
            }
        }
        Ok(operations)
    }

    fn read_operation(
        &self,
        template: &str,
        method: &str,
        item: &Value,
        operation: &Value,
        id: &str,
    ) -> Result<Operation, String> {
        // A fragment names a version of the path (`…/search#v2`, D21): the
        // request goes to the path without it, told apart by its fixed
        // header (`X-API-Version: 2`).
        let template = template.split('#').next().unwrap_or(template);
        let segments = template
            .trim_matches('/')
            .split('/')
            .map(|segment| match segment.strip_prefix('{') {
                Some(name) => Segment::Param(name.trim_end_matches('}').to_string()),
                None => Segment::Literal(segment.to_string()),
            })
            .collect();
        // Parameters of the path item apply to every operation under it,
        // unless the operation redefines one of the same name and place.
        let mut params: Vec<Param> = Vec::new();
        let listed = [operation, item]
            .into_iter()
            .flat_map(|holder| holder.get("parameters").and_then(Value::as_array))
            .flatten();
        for param in listed {
            let param = self.resolve(param)?;
            let name = param
                .get("name")
                .and_then(Value::as_str)
                .ok_or("a parameter has no name")?;
            let location = match param.get("in").and_then(Value::as_str) {
                Some("path") => In::Path,
                Some("query") => In::Query,
                Some("header") => In::Header,
                _ => continue,
            };
            if params
                .iter()
                .any(|p| p.location == location && p.name.eq_ignore_ascii_case(name))
            {
                continue;
            }
            let written = param.get("schema").cloned().unwrap_or(json!({}));
            let schema = self.schema(&written).clone();
            params.push(Param {
                name: name.to_string(),
                location,
                required: location == In::Path || param.get("required") == Some(&Value::Bool(true)),
                validator: self
                    .validator_of(&written)
                    .map_err(|e| format!("parameter {name}: {e}"))?,
                example: param
                    .get("example")
                    .or_else(|| schema.get("example"))
                    .cloned(),
                schema,
            });
        }
        let request = match operation.get("requestBody") {
            Some(body) => Some(self.resolve(body)?),
            None => None,
        };
        let json_body = request.and_then(|r| r.pointer("/content/application~1json"));
        let body = match json_body.and_then(|c| c.get("schema")) {
            Some(schema) => Some((
                schema.clone(),
                self.validator_of(schema)
                    .map_err(|e| format!("request body: {e}"))?,
            )),
            None => None,
        };
        let mut responses = Vec::new();
        for (status, response) in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Ok(status) = status.parse::<u16>() else {
                // `default` and ranges (`2XX`) are not answers the mock makes.
                continue;
            };
            responses.push(self.read_response(status, self.resolve(response)?)?);
        }
        Ok(Operation {
            id: id.to_string(),
            method: method.to_ascii_uppercase(),
            template: template.to_string(),
            segments,
            params,
            body,
            responses,
        })
    }

    fn read_response(&self, status: u16, response: &Value) -> Result<Response, String> {
        let content = response.get("content").and_then(Value::as_object);
        let media = content.and_then(|content| {
            content
                .get_key_value("application/json")
                .or_else(|| content.iter().next())
        });
        let mut required_headers = Vec::new();
        for (name, header) in response
            .get("headers")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if self.resolve(header)?.get("required") == Some(&Value::Bool(true)) {
                required_headers.push(name.clone());
            }
        }
        Ok(Response {
            status,
            media_type: media.map(|(name, _)| name.clone()),
            schema: media.and_then(|(_, m)| m.get("schema")).cloned(),
            examples: media.map(|(_, m)| self.examples(m)).unwrap_or_default(),
            required_headers,
            validator: OnceLock::new(),
        })
    }

    /// The example values of a media type object: `example`, then each of
    /// `examples` (their `$ref`s resolved), in order.
    fn examples(&self, media: &Value) -> Vec<Value> {
        let mut out: Vec<Value> = media.get("example").cloned().into_iter().collect();
        for example in media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|examples| examples.values())
        {
            if let Some(value) = self.resolve(example).ok().and_then(|e| e.get("value")) {
                out.push(value.clone());
            }
        }
        out
    }

    /// The index of the operation `id`.
    pub(crate) fn operation(&self, id: &str) -> Option<usize> {
        self.operations.iter().position(|o| o.id == id)
    }

    /// Routes `method path`, as a request without headers.
    pub(crate) fn route(&self, method: &str, path: &str) -> Route {
        self.route_with(method, path, &reqwest::header::HeaderMap::new())
    }

    /// Routes `method path` with the request's `headers`. Where two
    /// templates match a path (`/individuals/countries` and
    /// `/individuals/{id}`), the one with a literal segment where the other
    /// has a parameter wins, as in the vendor's router. Where two versions of
    /// an operation share the path and method (D21), the one whose fixed
    /// headers the request sends with their values wins; without them, or
    /// with another value, the one that fixes none (version 1, as the
    /// vendor's API Versioning page says).
    pub(crate) fn route_with(
        &self,
        method: &str,
        path: &str,
        headers: &reqwest::header::HeaderMap,
    ) -> Route {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut best: Option<(&str, Vec<bool>)> = None;
        for operation in &self.operations {
            if operation.segments.len() != segments.len() {
                continue;
            }
            let mut literals = Vec::with_capacity(segments.len());
            let matched =
                operation.segments.iter().zip(&segments).all(
                    |(template, segment)| match template {
                        Segment::Literal(literal) => {
                            literals.push(true);
                            literal == segment
                        }
                        Segment::Param(_) => {
                            literals.push(false);
                            !segment.is_empty()
                        }
                    },
                );
            // `Vec<bool>` orders lexicographically: a literal earlier wins.
            if matched && best.as_ref().is_none_or(|(_, b)| literals > *b) {
                best = Some((operation.template.as_str(), literals));
            }
        }
        let Some((template, _)) = best else {
            return Route::NotFound;
        };
        let on_path = || self.operations.iter().filter(|o| o.template == template);
        let score = |o: &Operation| {
            let fixed = o.fixed_headers();
            let agree = fixed
                .iter()
                .all(|(n, v)| headers.get(*n).and_then(|h| h.to_str().ok()) == Some(*v));
            (agree, fixed.len())
        };
        let Some(index) = self
            .operations
            .iter()
            .enumerate()
            .filter(|(_, o)| o.template == template && o.method == method)
            // The first of the best: `max_by_key` would keep the last.
            .min_by_key(|(_, o)| std::cmp::Reverse(score(o)))
            .map(|(i, _)| i)
        else {
            return Route::MethodNotAllowed(on_path().map(|o| o.method.clone()).collect());
        };
        let params = self.operations[index]
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
        Route::Operation(index, params)
    }

    /// Checks an answer of the operation `operation_id` against the spec:
    /// the status is one it declares, a body is there exactly when the spec
    /// declares one and, when JSON, validates against its schema, and every
    /// header the response requires is present (`headers` lists the names
    /// the answer has, in any case). Returns every problem found.
    pub(crate) fn check_answer(
        &self,
        operation_id: &str,
        status: u16,
        headers: &[String],
        body: Option<&Value>,
    ) -> Result<(), Vec<String>> {
        let Some(index) = self.operation(operation_id) else {
            return Err(vec![format!("the spec has no operation {operation_id}")]);
        };
        let operation = &self.operations[index];
        let response = operation
            .responses
            .iter()
            .find(|r| r.status == status)
            .ok_or_else(|| vec![format!("{operation_id} declares no {status} response")])?;
        let mut problems = Vec::new();
        let json = response.media_type.as_deref() == Some("application/json");
        match (&response.schema, body) {
            (Some(_), Some(body)) if json => match self.response_validator(response) {
                Ok(validator) => problems.extend(validate(validator, body)),
                Err(e) => problems.push(e.clone()),
            },
            (Some(_), Some(_)) => problems.push(format!(
                "{status} declares a {} body; a JSON one was sent",
                response.media_type.as_deref().unwrap_or("non-JSON")
            )),
            (Some(_), None) if json => {
                problems.push(format!("{status} declares a JSON body; none was sent"));
            }
            (None, Some(_)) => problems.push(format!("{status} declares no body; one was sent")),
            _ => {}
        }
        let present: BTreeSet<String> = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
        for name in &response.required_headers {
            if !present.contains(&name.to_ascii_lowercase()) {
                problems.push(format!("{status} requires the header {name}"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The validator of a response's body schema, compiled on first use: a
    /// spec of a hundred operations declares a thousand responses, and a
    /// test uses a few of them.
    pub(crate) fn response_validator<'a>(
        &self,
        response: &'a Response,
    ) -> Result<&'a jsonschema::Validator, &'a String> {
        response
            .validator
            .get_or_init(|| match &response.schema {
                Some(schema) => self.validator_of(schema),
                None => self.validator_of(&json!({})),
            })
            .as_ref()
    }
}

/// Points the spec's own `$ref`s (`#/components/...`) of a schema taken out
/// of the spec at the registry's copy of the components.
fn in_registry(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && reference.starts_with("#/")
            {
                reference.insert_str(0, SPEC_URI);
            }
            map.values_mut().for_each(in_registry);
        }
        Value::Array(items) => items.iter_mut().for_each(in_registry),
        _ => {}
    }
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
                Kind::ExclusiveMinimum { limit } => format!("must be greater than {limit}"),
                Kind::ExclusiveMaximum { limit } => format!("must be less than {limit}"),
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

/// Checks an answer of the crate's operation `operation_id` against the
/// crate's spec: the status is one it declares, a body is there exactly when
/// the spec declares one and validates against its schema (`$ref`s to
/// `components/responses` and `allOf` wrappers resolved), and every header
/// the response requires is present (`headers` lists the names the answer
/// has, in lower case).
///
/// Returns every problem found.
pub fn check_answer(
    operation_id: &str,
    status: u16,
    headers: &[String],
    body: Option<&Value>,
) -> Result<(), Vec<String>> {
    Spec::crate_spec().check_answer(operation_id, status, headers, body)
}

/// The operation ids of the crate's spec, ordered by path, then method.
pub fn operation_ids() -> Vec<&'static str> {
    static IDS: OnceLock<Vec<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        Spec::crate_spec()
            .operations
            .iter()
            .map(|o| o.id.clone())
            .collect()
    })
    .iter()
    .map(String::as_str)
    .collect()
}
