//! The spec-level diff: every change between two OpenAPI documents, located by
//! a JSON pointer, with its wire verdict.
//!
//! It reads the documents as plain JSON values (not as typed OpenAPI) so that
//! every change keeps the exact pointer and the exact before/after values of
//! the text the reviewer edited. It decides the wire verdict only; the Rust
//! verdict comes from the generated code (`rust.rs`), and each change here
//! names the Rust items it can affect (`Target`) so that the two can be joined.
//!
//! Every rule is direction-aware: a change that narrows what a caller may send
//! breaks writers, one that widens what the server may answer breaks readers,
//! and a schema used on both sides is judged as both. Schemas are compared
//! field by field through `allOf` members, `oneOf`/`anyOf` alternatives,
//! `additionalProperties` values and array items, and by shape through a
//! changed `$ref`. Each change names the oasdiff rules it answers (`rules`).
//!
//! Not for: resolving every OpenAPI construct. `not` and discriminators are
//! compared as whole values, and any other schema keyword this module does not
//! judge is reported as a `schema-changed` that breaks both sides: coarse, but
//! never silent.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{Kind, Verdict, rules};
pub use crate::pointer_lines::escape;

/// Which side of the HTTP exchange a schema is read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Direction {
    /// Sent by the caller (a request body or parameter): writers are affected.
    pub request: bool,
    /// Sent by the server (a response body or header): readers are affected.
    pub response: bool,
}

const REQUEST: Direction = Direction {
    request: true,
    response: false,
};
const RESPONSE: Direction = Direction {
    request: false,
    response: true,
};

/// A Rust item of the generated code that a spec change can affect. Names are
/// normalized (lower case, alphanumerics only) because typify changes the case
/// of schema names (`api_error` and `APIError` both become `ApiError`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// A type of `types`.
    Type(String),
    /// The derives and attributes of a type of `types` (`Default` goes away
    /// when a field becomes required; `deny_unknown_fields` follows
    /// `additionalProperties`).
    Attributes(String),
    /// A field of a struct of `types`, by its JSON name.
    Field(String, String),
    /// A variant of an enum of `types`, by its JSON value; the type matches by
    /// prefix, since an inline enum is named after its parent (`ParentProp`).
    Variant(String, String),
    /// A method of `Client`, by operation id.
    Method(String),
    /// The builder of an operation (`builder::CreateClient`), by operation id.
    OperationBuilder(String),
}

/// One change between the two specs, before its Rust verdict is known.
#[derive(Debug, Clone)]
pub struct SpecChange {
    pub kind: Kind,
    pub pointer: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub wire: Verdict,
    pub targets: Vec<Target>,
    /// The schema this change is in, when it is in a component schema.
    pub schema: Option<String>,
    /// The oasdiff rule ids this change answers (`rules::RULES`).
    pub rules: Vec<String>,
    /// The operations the change affects (`POST /things`): the one it is in,
    /// or every operation that uses the component it is in.
    pub operations: Vec<String>,
}

/// Lower-case alphanumerics: the name under which spec names and Rust names
/// are compared.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Compares two specs and returns every change, in document order.
pub fn diff(base: &Value, head: &Value) -> Vec<SpecChange> {
    let mut differ = Differ {
        base,
        head,
        usage: usage(base, head),
        out: Vec::new(),
    };
    differ.security();
    differ.paths();
    differ.schemas();
    differ.shared_components();
    let mut out = differ.out;
    attach_operations(&mut out, base, head);
    out
}

struct Differ<'a> {
    base: &'a Value,
    head: &'a Value,
    /// Where each component schema is used, in either spec.
    usage: BTreeMap<String, Direction>,
    out: Vec<SpecChange>,
}

/// What a schema describes: it names the oasdiff rules of its changes
/// (`request-parameter-…`, `request-body-…`, `response-property-…`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Subject {
    Body,
    Property,
    Parameter,
    Header,
}

impl Subject {
    fn as_str(self) -> &'static str {
        match self {
            Subject::Body => "body",
            Subject::Property => "property",
            Subject::Parameter => "parameter",
            Subject::Header => "header",
        }
    }
}

/// The context a schema is compared in.
#[derive(Clone)]
struct Ctx {
    direction: Direction,
    /// The normalized Rust type name of the object being compared, if known.
    type_name: Option<String>,
    /// The component schema this is in.
    schema: Option<String>,
    /// Targets every change under this schema also affects (the operation
    /// builder, for an inline body).
    extra: Vec<Target>,
    subject: Subject,
    /// Whether the property this schema describes is required (in the head).
    required: bool,
    /// How many changed `$ref`s were followed to get here: a recursive schema
    /// compared by shape stops after a few.
    depth: u8,
}

impl Ctx {
    fn new(direction: Direction, subject: Subject, type_name: Option<String>) -> Ctx {
        Ctx {
            direction,
            type_name,
            schema: None,
            extra: Vec::new(),
            subject,
            required: false,
            depth: 0,
        }
    }

    /// The oasdiff rule ids of a change judged by side: `writer` is the
    /// request side's rule (`max-length-decreased`), `reader` the response
    /// side's; each is kept when the schema is read on that side and the id
    /// is one `rules::RULES` maps.
    fn rules(&self, writer: &str, reader: &str) -> Vec<String> {
        let (request, response) = sides(self.direction);
        let subject = self.subject.as_str();
        let mut out = Vec::new();
        if request && !writer.is_empty() {
            out.push(format!("request-{subject}-{writer}"));
        }
        if response && !reader.is_empty() {
            out.push(format!("response-{subject}-{reader}"));
        }
        out.retain(|id| rules::known(id));
        out
    }

    fn type_targets(&self) -> Vec<Target> {
        self.type_name
            .iter()
            .map(|t| Target::Type(t.clone()))
            .collect()
    }
}

/// The ids among `ids` that `rules::RULES` maps.
fn known<S: AsRef<str>>(ids: &[S]) -> Vec<String> {
    ids.iter()
        .map(AsRef::as_ref)
        .filter(|id| rules::known(id))
        .map(String::from)
        .collect()
}

/// The sides a direction is judged on: a schema no operation uses yet is
/// judged as both, conservatively.
fn sides(dir: Direction) -> (bool, bool) {
    if !dir.request && !dir.response {
        (true, true)
    } else {
        (dir.request, dir.response)
    }
}

/// The schema keywords compared by the rules of this module, and those that
/// carry no contract; any other keyword that changes is `unjudged`.
const JUDGED: &[&str] = &[
    "$ref",
    "type",
    "format",
    "nullable",
    "enum",
    "x-extensible-enum",
    "additionalProperties",
    "properties",
    "required",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "discriminator",
    "example",
    "examples",
    "description",
    "title",
    "externalDocs",
    "xml",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
    "pattern",
    "multipleOf",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
];

/// Upper and lower bounds: the keyword, whether it bounds from above, and the
/// oasdiff rule names of the tightening (request side) and loosening
/// (response side) change.
const BOUNDS: &[(&str, bool, &str, &str)] = &[
    (
        "maxLength",
        true,
        "max-length-decreased",
        "max-length-increased",
    ),
    (
        "minLength",
        false,
        "min-length-increased",
        "min-length-decreased",
    ),
    ("maximum", true, "max-decreased", "max-increased"),
    ("minimum", false, "min-increased", "min-decreased"),
    (
        "maxItems",
        true,
        "max-items-decreased",
        "max-items-increased",
    ),
    (
        "minItems",
        false,
        "min-items-increased",
        "min-items-decreased",
    ),
    (
        "maxProperties",
        true,
        "max-properties-decreased",
        "max-properties-increased",
    ),
    (
        "minProperties",
        false,
        "min-properties-increased",
        "min-properties-decreased",
    ),
];

impl Differ<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        ctx: Option<&Ctx>,
        kind: Kind,
        pointer: String,
        before: Option<&Value>,
        after: Option<&Value>,
        wire: Verdict,
        mut targets: Vec<Target>,
        rules: Vec<String>,
    ) {
        if let Some(ctx) = ctx {
            targets.extend(ctx.extra.iter().cloned());
        }
        self.out.push(SpecChange {
            kind,
            pointer,
            before: before.cloned(),
            after: after.cloned(),
            wire,
            targets,
            schema: ctx.and_then(|c| c.schema.clone()),
            rules,
            operations: Vec::new(),
        });
    }

    fn security(&mut self) {
        let (b, h) = (&self.base["security"], &self.head["security"]);
        if b != h {
            let (wire, rules) = security_verdict(b, h, "every operation without its own");
            let rules: Vec<String> = rules
                .iter()
                .map(|r| r.replace("api-", "api-global-"))
                .collect();
            self.push(
                None,
                Kind::AuthChanged,
                "/security".into(),
                some(b),
                some(h),
                wire,
                vec![],
                known(&rules),
            );
        }
        let (b, h) = (
            &self.base["components"]["securitySchemes"],
            &self.head["components"]["securitySchemes"],
        );
        for (name, before, after) in keyed(b, h) {
            if before == after {
                continue;
            }
            let at = format!("/components/securitySchemes/{}", escape(&name));
            let (wire, rules) = match (before, after) {
                (Some(_), None) => (
                    Verdict::safe(
                        "a security scheme is no longer defined; an operation that required it is reported where its requirement changes",
                    ),
                    vec!["api-security-component-removed"],
                ),
                (None, Some(_)) => (
                    Verdict::safe(
                        "a new security scheme is defined; it matters once an operation requires it",
                    ),
                    vec!["api-security-component-added"],
                ),
                (Some(b), Some(h)) => scheme_verdict(b, h),
                (None, None) => continue,
            };
            self.push(
                None,
                Kind::AuthChanged,
                at,
                before,
                after,
                wire,
                vec![],
                known(&rules),
            );
        }
    }

    fn paths(&mut self) {
        let (base, head) = (&self.base["paths"], &self.head["paths"]);
        // A path is matched by its template with the parameter names left
        // out: `/orders/{orderId}` and `/orders/{id}` are the same URL.
        for (bpath, hpath, b, h) in paths_keyed(base, head) {
            let first = self.out.len();
            match (b, h) {
                (Some(b), None) => self.path_removed(&bpath, b),
                (None, Some(h)) => {
                    let targets = operation_ids(h)
                        .into_iter()
                        .flat_map(operation_targets)
                        .collect();
                    self.push(
                        None,
                        Kind::PathAdded,
                        format!("/paths/{}", escape(&hpath)),
                        None,
                        Some(h),
                        Verdict::safe(format!("{hpath} is new: no existing call is affected")),
                        targets,
                        vec![],
                    );
                }
                (Some(b), Some(h)) => {
                    for method in METHODS {
                        self.method(&bpath, &hpath, method, b, h);
                    }
                }
                (None, None) => {}
            }
            merge_repeats(&mut self.out, first);
        }
    }

    fn path_removed(&mut self, path: &str, b: &Value) {
        let targets = operation_ids(b)
            .into_iter()
            .flat_map(operation_targets)
            .collect();
        let deprecated = METHODS
            .iter()
            .filter_map(|m| b.get(*m))
            .all(|op| is_true(&op["deprecated"]));
        let rule = if deprecated {
            "api-path-removed-with-deprecation"
        } else {
            "api-path-removed-without-deprecation"
        };
        self.push(
            None,
            Kind::PathRemoved,
            format!("/paths/{}", escape(path)),
            Some(b),
            None,
            Verdict::breaking(format!(
                "{path} is removed: every call to it now fails (404 or 405){}",
                if deprecated {
                    ", deprecated or not"
                } else {
                    ""
                }
            )),
            targets,
            known(&[rule]),
        );
    }

    /// One method of a path that both specs have.
    fn method(&mut self, bpath: &str, hpath: &str, method: &str, b: &Value, h: &Value) {
        let m = method.to_uppercase();
        match (b.get(method), h.get(method)) {
            (None, None) => {}
            (Some(op), None) => {
                let targets = op_id(op).map(operation_targets).unwrap_or_default();
                let rule = if is_true(&op["deprecated"]) {
                    "api-removed-with-deprecation"
                } else {
                    "api-removed-without-deprecation"
                };
                self.push(
                    None,
                    Kind::OperationRemoved,
                    format!("/paths/{}/{method}", escape(bpath)),
                    Some(op),
                    None,
                    Verdict::breaking(format!(
                        "{m} {bpath} is removed: every call to it now fails"
                    )),
                    targets,
                    known(&[rule]),
                );
            }
            (None, Some(op)) => {
                let targets = op_id(op).map(operation_targets).unwrap_or_default();
                self.push(
                    None,
                    Kind::OperationAdded,
                    format!("/paths/{}/{method}", escape(hpath)),
                    None,
                    Some(op),
                    Verdict::safe(format!("{m} {hpath} is new: no existing call is affected")),
                    targets,
                    known(&["endpoint-added"]),
                );
            }
            (Some(bo), Some(ho)) => {
                let paths = Paths {
                    base: bpath,
                    head: hpath,
                    base_item: b,
                    head_item: h,
                };
                self.operation(&paths, method, bo, ho);
            }
        }
    }

    fn operation(&mut self, paths: &Paths<'_>, method: &str, b: &Value, h: &Value) {
        let at = format!("/paths/{}/{method}", escape(paths.head));
        let id = op_id(h)
            .or_else(|| op_id(b))
            .unwrap_or_default()
            .to_string();
        let builder = vec![Target::OperationBuilder(normalize(&id))];
        if b["operationId"] != h["operationId"] {
            let mut targets = op_id(b).map(operation_targets).unwrap_or_default();
            targets.extend(op_id(h).map(operation_targets).unwrap_or_default());
            self.push(
                None,
                Kind::OperationIdChanged,
                format!("{at}/operationId"),
                some(&b["operationId"]),
                some(&h["operationId"]),
                Verdict::safe("the operation id is not sent on the wire"),
                targets,
                known(&[if op_id(b).is_some() {
                    "api-operation-id-removed"
                } else {
                    "api-operation-id-added"
                }]),
            );
        }
        self.deprecation(
            None,
            &at,
            b,
            h,
            ["endpoint-deprecated", "endpoint-reactivated"],
        );
        // An operation without `security` of its own has the document's.
        let security = |op: &Value, spec: &Value| -> Value {
            if op.get("security").is_some() {
                op["security"].clone()
            } else {
                spec["security"].clone()
            }
        };
        let (bs, hs) = (security(b, self.base), security(h, self.head));
        // A change of the document's security alone is reported once, at
        // `/security`.
        let own = b.get("security").is_some() || h.get("security").is_some();
        if own && bs != hs {
            let (wire, rules) = security_verdict(&bs, &hs, "this operation");
            self.push(
                None,
                Kind::AuthChanged,
                format!("{at}/security"),
                some(&b["security"]),
                some(&h["security"]),
                wire,
                operation_targets(&id),
                known(&rules),
            );
        }
        self.parameters(paths, &at, (b, h), &id, &builder);
        self.request_body(&at, &b["requestBody"], &h["requestBody"], &id);
        self.responses(&at, &b["responses"], &h["responses"], &id);
    }

    fn parameters(
        &mut self,
        paths: &Paths<'_>,
        at: &str,
        (b, h): (&Value, &Value),
        id: &str,
        builder: &[Target],
    ) {
        let bl = parameter_list(self.base, paths.base, paths.base_item, b);
        let hl = parameter_list(self.head, paths.head, paths.head_item, h);
        let op_at = |owner: Owner, i: usize, path: &str| match owner {
            Owner::Operation => format!("{at}/parameters/{i}"),
            Owner::PathItem => format!("/paths/{}/parameters/{i}", escape(path)),
        };
        for bp in &bl {
            let at_b = op_at(bp.owner, bp.index, paths.base);
            match hl.iter().find(|hp| hp.key == bp.key) {
                None => {
                    let deprecated = is_true(&bp.value["deprecated"]);
                    self.push(
                        None,
                        Kind::ParameterRemoved,
                        at_b,
                        Some(&bp.value),
                        None,
                        Verdict::breaking(format!(
                            "the parameter {} is removed: callers that send it are sending something the server no longer reads",
                            bp.label
                        )),
                        builder.to_vec(),
                        known(&[if deprecated {
                            "request-parameter-removed-with-deprecation"
                        } else {
                            "request-parameter-removed"
                        }]),
                    );
                }
                Some(hp) => {
                    let at_h = op_at(hp.owner, hp.index, paths.head);
                    self.parameter(&at_h, bp, hp, id, builder);
                }
            }
        }
        for hp in &hl {
            if bl.iter().any(|bp| bp.key == hp.key) {
                continue;
            }
            let required = is_true(&hp.value["required"]);
            let (wire, rule) = if required {
                (
                    Verdict::breaking(format!(
                        "the new parameter {} is required: existing callers do not send it and are rejected",
                        hp.label
                    )),
                    match (hp.owner, hp.value["in"].as_str()) {
                        (_, Some("path")) => "new-request-path-parameter",
                        (Owner::PathItem, _) => {
                            "new-required-request-default-parameter-to-existing-path"
                        }
                        (Owner::Operation, _) => "new-required-request-parameter",
                    },
                )
            } else {
                (
                    Verdict::safe(format!(
                        "the new parameter {} is optional: existing callers need not send it",
                        hp.label
                    )),
                    match hp.owner {
                        Owner::PathItem => {
                            "new-optional-request-default-parameter-to-existing-path"
                        }
                        Owner::Operation => "new-optional-request-parameter",
                    },
                )
            };
            self.push(
                None,
                Kind::ParameterAdded,
                op_at(hp.owner, hp.index, paths.head),
                None,
                Some(&hp.value),
                wire,
                builder.to_vec(),
                known(&[rule]),
            );
        }
    }

    /// One parameter both specs have (matched by location and name, or for a
    /// path parameter by its place in the template).
    fn parameter(&mut self, at: &str, bp: &Param, hp: &Param, id: &str, builder: &[Target]) {
        let (p, q) = (&bp.value, &hp.value);
        if p["name"] != q["name"] {
            self.push(
                None,
                Kind::ParameterRenamed,
                format!("{at}/name"),
                some(&p["name"]),
                some(&q["name"]),
                Verdict::safe(format!(
                    "the path parameter {} is renamed {}: its place in the URL is the same, and the name is not sent",
                    bp.label, hp.label
                )),
                builder.to_vec(),
                vec![],
            );
        }
        let (br, hr) = (is_true(&p["required"]), is_true(&q["required"]));
        if br != hr {
            let (wire, rule) = if hr {
                (
                    Verdict::breaking(format!(
                        "the parameter {} becomes required: callers that omit it are rejected",
                        hp.label
                    )),
                    "request-parameter-became-required",
                )
            } else {
                (
                    Verdict::safe(format!("the parameter {} becomes optional", hp.label)),
                    "request-parameter-became-optional",
                )
            };
            self.push(
                None,
                Kind::RequiredChanged,
                format!("{at}/required"),
                Some(&Value::Bool(br)),
                Some(&Value::Bool(hr)),
                wire,
                builder.to_vec(),
                known(&[rule]),
            );
        }
        self.deprecation(
            None,
            at,
            p,
            q,
            [
                "request-parameter-deprecated",
                "request-parameter-reactivated",
            ],
        );
        // progenitor names a parameter's inline type after the operation and
        // the parameter (`GetOrderTenant`).
        let name = q["name"].as_str().unwrap_or_default();
        let mut ctx = Ctx::new(
            REQUEST,
            Subject::Parameter,
            Some(normalize(&format!("{id}{name}"))),
        );
        ctx.extra = builder.to_vec();
        ctx.required = hr;
        self.schema(&ctx, &format!("{at}/schema"), &p["schema"], &q["schema"]);
    }

    fn request_body(&mut self, at: &str, b: &Value, h: &Value, id: &str) {
        let at = format!("{at}/requestBody");
        let builder = vec![Target::OperationBuilder(normalize(id))];
        let (b, h) = (
            resolve_component(self.base, b),
            resolve_component(self.head, h),
        );
        match (b.is_null(), h.is_null()) {
            (true, true) => return,
            (false, true) => {
                self.push(
                    None,
                    Kind::RequestBodyRemoved,
                    at,
                    Some(b),
                    None,
                    Verdict::breaking(
                        "the request body is removed: callers that send one send what the server no longer reads",
                    ),
                    builder,
                    known(&["request-body-removed"]),
                );
                return;
            }
            (true, false) => {
                let (wire, rule) = if is_true(&h["required"]) {
                    (
                        Verdict::breaking(
                            "a required request body is added: callers that send none are rejected",
                        ),
                        "request-body-added-required",
                    )
                } else {
                    (
                        Verdict::safe("an optional request body is added"),
                        "request-body-added-optional",
                    )
                };
                self.push(
                    None,
                    Kind::RequestBodyAdded,
                    at,
                    None,
                    Some(h),
                    wire,
                    builder,
                    known(&[rule]),
                );
                return;
            }
            (false, false) => {}
        }
        let (br, hr) = (is_true(&b["required"]), is_true(&h["required"]));
        if br != hr {
            let (wire, rule) = if hr {
                (
                    Verdict::breaking(
                        "the request body becomes required: callers that send none are rejected",
                    ),
                    "request-body-became-required",
                )
            } else {
                (
                    Verdict::safe("the request body becomes optional"),
                    "request-body-became-optional",
                )
            };
            self.push(
                None,
                Kind::RequiredChanged,
                format!("{at}/required"),
                Some(&Value::Bool(br)),
                Some(&Value::Bool(hr)),
                wire,
                builder.clone(),
                known(&[rule]),
            );
        }
        self.content(
            &at,
            &b["content"],
            &h["content"],
            REQUEST,
            &builder,
            id,
            "Body",
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn content(
        &mut self,
        at: &str,
        b: &Value,
        h: &Value,
        direction: Direction,
        builder: &[Target],
        id: &str,
        suffix: &str,
    ) {
        for (media, bm, hm) in keyed(b, h) {
            let at = format!("{at}/content/{}", escape(&media));
            match (bm, hm) {
                (Some(bm), Some(hm)) => {
                    let mut ctx = Ctx::new(
                        direction,
                        Subject::Body,
                        Some(normalize(&format!("{id}{suffix}"))),
                    );
                    ctx.extra = builder.to_vec();
                    self.schema(&ctx, &format!("{at}/schema"), &bm["schema"], &hm["schema"]);
                    self.examples(None, &at, bm, hm);
                }
                (bm, hm) => {
                    let added = hm.is_some();
                    let (wire, rule) = match (direction.response, added) {
                        (true, true) => (
                            Verdict::safe(format!(
                                "the server can also answer {media}; it does so for callers that ask for it (Accept)"
                            )),
                            "response-media-type-added",
                        ),
                        (true, false) => (
                            Verdict::breaking(format!(
                                "the server no longer answers {media}: readers that ask for it or decode it get something else"
                            )),
                            "response-media-type-removed",
                        ),
                        (false, true) => (
                            Verdict::safe(format!("the server now also accepts {media}")),
                            "request-body-media-type-added",
                        ),
                        (false, false) => (
                            Verdict::breaking(format!(
                                "the server no longer accepts {media}: writers that send it are rejected"
                            )),
                            "request-body-media-type-removed",
                        ),
                    };
                    self.push(
                        None,
                        if added {
                            Kind::MediaTypeAdded
                        } else {
                            Kind::MediaTypeRemoved
                        },
                        at,
                        bm,
                        hm,
                        wire,
                        builder.to_vec(),
                        known(&[rule]),
                    );
                }
            }
        }
    }

    fn responses(&mut self, at: &str, b: &Value, h: &Value, id: &str) {
        let builder = vec![Target::OperationBuilder(normalize(id))];
        for (status, br, hr) in keyed(b, h) {
            let at = format!("{at}/responses/{}", escape(&status));
            let success = status.starts_with('2') || status.starts_with('3');
            match (br, hr) {
                (Some(br), None) => self.push(
                    None,
                    Kind::StatusRemoved,
                    at,
                    Some(br),
                    None,
                    Verdict::safe(format!(
                        "the server no longer answers {status}; readers that handle it are unaffected"
                    )),
                    builder.clone(),
                    known(&[if success {
                        "response-success-status-removed"
                    } else {
                        "response-non-success-status-removed"
                    }]),
                ),
                (None, Some(hr)) => {
                    let (wire, rule) = if success {
                        (
                            Verdict::breaking(format!(
                                "a new success status {status}: readers that accept only the documented statuses reject it (the generated client answers it with an unexpected-response error)"
                            )),
                            "response-success-status-added",
                        )
                    } else {
                        (
                            Verdict::safe(format!(
                                "a new error status {status} is documented; readers already handle undocumented errors generically"
                            )),
                            "response-non-success-status-added",
                        )
                    };
                    self.push(
                        None,
                        Kind::StatusAdded,
                        at,
                        None,
                        Some(hr),
                        wire,
                        builder.clone(),
                        known(&[rule]),
                    );
                }
                (Some(br), Some(hr)) => {
                    let (br, hr) = (
                        resolve_component(self.base, br),
                        resolve_component(self.head, hr),
                    );
                    let suffix = if success { "Response" } else { "ErrorResponse" };
                    self.content(&at, &br["content"], &hr["content"], RESPONSE, &builder, id, suffix);
                    self.headers(&at, &br["headers"], &hr["headers"], &builder);
                }
                (None, None) => {}
            }
        }
    }

    fn headers(&mut self, at: &str, b: &Value, h: &Value, builder: &[Target]) {
        for (name, bh, hh) in keyed(b, h) {
            let at = format!("{at}/headers/{}", escape(&name));
            let bh = bh.map(|v| resolve_component(self.base, v));
            let hh = hh.map(|v| resolve_component(self.head, v));
            match (bh, hh) {
                (Some(bh), None) => {
                    let required = is_true(&bh["required"]);
                    let (wire, rule) = if required {
                        (
                            Verdict::breaking(format!(
                                "the required response header {name} is removed: readers that use it no longer get it"
                            )),
                            "required-response-header-removed",
                        )
                    } else {
                        (
                            Verdict::safe(format!(
                                "the optional response header {name} is removed: readers already handle its absence"
                            )),
                            "optional-response-header-removed",
                        )
                    };
                    self.push(
                        None,
                        Kind::HeaderRemoved,
                        at,
                        Some(bh),
                        None,
                        wire,
                        builder.to_vec(),
                        known(&[rule]),
                    );
                }
                (None, Some(hh)) => self.push(
                    None,
                    Kind::HeaderAdded,
                    at,
                    None,
                    Some(hh),
                    Verdict::safe(format!(
                        "a new response header {name}; readers may ignore it"
                    )),
                    builder.to_vec(),
                    known(&["response-header-added"]),
                ),
                (Some(bh), Some(hh)) => {
                    let (br, hr) = (is_true(&bh["required"]), is_true(&hh["required"]));
                    if br != hr {
                        self.push(
                            None,
                            Kind::RequiredChanged,
                            format!("{at}/required"),
                            Some(&Value::Bool(br)),
                            Some(&Value::Bool(hr)),
                            if hr {
                                Verdict::safe(format!("the response header {name} is now always sent"))
                            } else {
                                Verdict::breaking(format!(
                                    "the response header {name} becomes optional: readers that rely on it may not get it"
                                ))
                            },
                            builder.to_vec(),
                            if hr {
                                vec![]
                            } else {
                                known(&["response-header-became-optional"])
                            },
                        );
                    }
                    let mut ctx = Ctx::new(RESPONSE, Subject::Header, None);
                    ctx.extra = builder.to_vec();
                    ctx.required = hr;
                    self.schema(&ctx, &format!("{at}/schema"), &bh["schema"], &hh["schema"]);
                }
                (None, None) => {}
            }
        }
    }

    /// Examples defined once in `components` and used by `$ref`: an
    /// operation's own comparison sees the same `$ref` on both sides, so their
    /// changes are reported here, where they are made. (Shared responses,
    /// request bodies, headers and parameters are compared where they are
    /// used, as what they refer to.)
    fn shared_components(&mut self) {
        let (b, h) = (
            &self.base["components"]["examples"],
            &self.head["components"]["examples"],
        );
        for (name, before, after) in keyed(b, h) {
            if before.map(effective) == after.map(effective) {
                continue;
            }
            self.push(
                None,
                Kind::ExampleChanged,
                format!("/components/examples/{}", escape(&name)),
                before,
                after,
                Verdict::safe("examples document the API; they are not part of the contract"),
                vec![],
                vec![],
            );
        }
    }

    fn schemas(&mut self) {
        let (b, h) = (
            &self.base["components"]["schemas"],
            &self.head["components"]["schemas"],
        );
        for (name, bs, hs) in keyed(b, h) {
            let at = format!("/components/schemas/{}", escape(&name));
            let ty = normalize(&name);
            match (bs, hs) {
                (Some(bs), None) => self.push(
                    None,
                    Kind::SchemaRemoved,
                    at,
                    Some(bs),
                    None,
                    Verdict::safe(format!(
                        "the schema {name} is removed; schema names are not sent on the wire"
                    )),
                    vec![Target::Type(ty)],
                    known(&["api-schema-removed"]),
                ),
                (None, Some(hs)) => self.push(
                    None,
                    Kind::SchemaAdded,
                    at,
                    None,
                    Some(hs),
                    Verdict::safe(format!(
                        "the schema {name} is new; it changes the wire only where an operation uses it, reported there"
                    )),
                    vec![Target::Type(ty)],
                    vec![],
                ),
                (Some(bs), Some(hs)) => {
                    let direction = self.usage.get(&name).copied().unwrap_or_default();
                    let mut ctx = Ctx::new(direction, Subject::Body, Some(ty));
                    ctx.schema = Some(name.clone());
                    self.schema(&ctx, &at, bs, hs);
                }
                (None, None) => {}
            }
        }
    }

    /// Compares two schemas at the same place: the schema itself (type,
    /// constraints, values), then what it is made of (properties, items,
    /// members), each at its own pointer.
    fn schema(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        if b == h {
            return;
        }
        let (b, h) = (&effective(b), &effective(h));
        if b == h {
            return;
        }
        if b.is_null() != h.is_null() {
            self.schema_presence(ctx, at, b, h);
            return;
        }
        // `allOf: [$ref]` is read as the `$ref`; when the other side lists
        // members, the reference is one of them, compared member by member.
        let (b, h) = (&as_all_of(b, h), &as_all_of(h, b));
        if b["$ref"] != h["$ref"] {
            self.reference(ctx, at, b, h);
            return;
        }
        self.type_and_format(ctx, at, b, h);
        self.nullable(ctx, at, b, h);
        self.constraints(ctx, at, b, h);
        self.default_value(ctx, at, b, h);
        self.access(ctx, at, b, h);
        if ctx.subject == Subject::Property {
            let rules = if ctx.direction.response && !ctx.direction.request {
                [
                    "response-property-deprecated",
                    "response-property-reactivated",
                ]
            } else {
                [
                    "request-property-deprecated",
                    "request-property-reactivated",
                ]
            };
            self.deprecation(Some(ctx), at, b, h, rules);
        }
        self.enum_values(ctx, at, b, h, "enum");
        self.enum_values(ctx, at, b, h, "x-extensible-enum");
        self.additional_properties(ctx, at, b, h);
        self.properties(ctx, at, b, h);
        if b["items"] != h["items"] {
            let items_ctx = Ctx {
                type_name: ctx.type_name.as_ref().map(|t| format!("{t}item")),
                ..ctx.clone()
            };
            self.schema(&items_ctx, &format!("{at}/items"), &b["items"], &h["items"]);
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            self.members(ctx, at, b, h, key);
        }
        self.unjudged(ctx, at, b, h);
        self.examples(Some(ctx), at, b, h);
    }

    /// A schema where there was none (a media type without a schema), or the
    /// other way round: a schema constrains what may be sent.
    fn schema_presence(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        let added = b.is_null();
        let rules = if added {
            ctx.rules("media-type-schema-added", "")
        } else {
            ctx.rules("", "media-type-schema-removed")
        };
        self.push(
            Some(ctx),
            Kind::SchemaChanged,
            at.to_string(),
            some(b),
            some(h),
            directional(
                ctx.direction,
                if added {
                    "a schema is documented where there was none: readers gain a contract"
                } else {
                    "the schema is no longer documented: readers can no longer rely on the shape"
                },
                if added {
                    "a schema now constrains what was free: writers that send something else are rejected"
                } else {
                    "the schema no longer constrains what writers send"
                },
                !added,
                added,
            ),
            ctx.type_targets(),
            known(&rules.iter().map(String::as_str).collect::<Vec<_>>()),
        );
    }

    /// A `$ref` replaced (by another `$ref` or an inline schema): the two are
    /// compared by shape, so a component renamed with the same shape is no
    /// wire change, and a different shape is judged by what differs.
    fn reference(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        let name = |v: &Value| {
            v["$ref"]
                .as_str()
                .map(|r| format!("`{}`", r.rsplit('/').next().unwrap_or(r)))
                .unwrap_or_else(|| "an inline schema".to_string())
        };
        let (bn, hn) = (name(b), name(h));
        let mut targets = ctx.type_targets();
        for v in [b, h] {
            if let Some(r) = v["$ref"].as_str() {
                targets.push(Target::Type(normalize(r.rsplit('/').next().unwrap_or(r))));
            }
        }
        let sub = if ctx.depth < 8 {
            let inner = Ctx {
                type_name: None,
                schema: None,
                extra: Vec::new(),
                depth: ctx.depth + 1,
                ..ctx.clone()
            };
            let saved = std::mem::take(&mut self.out);
            let (bres, hres) = (deref(self.base, b), deref(self.head, h));
            self.schema(&inner, at, &bres, &hres);
            std::mem::replace(&mut self.out, saved)
        } else {
            vec![SpecChange {
                kind: Kind::RefChanged,
                pointer: at.to_string(),
                before: some(b).cloned(),
                after: some(h).cloned(),
                wire: Verdict::breaking("references nested too deeply to compare by shape"),
                targets: vec![],
                schema: None,
                rules: vec![],
                operations: vec![],
            }]
        };
        let shape: Vec<&SpecChange> = sub
            .iter()
            .filter(|c| !matches!(c.kind, Kind::ExampleChanged | Kind::DeprecationChanged))
            .collect();
        let wire = if shape.is_empty() {
            Verdict::safe(format!(
                "the reference changes from {bn} to {hn}, of the same shape: the same JSON is sent and read"
            ))
        } else {
            let breaking: Vec<&&SpecChange> = shape.iter().filter(|c| c.wire.breaking).collect();
            let shown = if breaking.is_empty() {
                &shape
            } else {
                &breaking.into_iter().copied().collect()
            };
            let details = shown
                .iter()
                .map(|c| format!("{} at {}: {}", c.kind.as_str(), c.pointer, c.wire.reason))
                .collect::<Vec<_>>()
                .join("; ");
            Verdict {
                breaking: shape.iter().any(|c| c.wire.breaking),
                reason: format!(
                    "the reference changes from {bn} to {hn}; compared by shape: {details}"
                ),
            }
        };
        let mut rules: Vec<String> = shape.iter().flat_map(|c| c.rules.clone()).collect();
        rules.dedup();
        self.push(
            Some(ctx),
            Kind::RefChanged,
            at.to_string(),
            some(b),
            some(h),
            wire,
            targets,
            rules,
        );
    }

    fn type_and_format(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        let dir = ctx.direction;
        if b["type"] != h["type"] {
            let widening = is_widening(b, h);
            let rules = if widening {
                ctx.rules("", "type-generalized")
            } else {
                ctx.rules("type-changed", "type-changed")
            };
            self.push(
                Some(ctx),
                Kind::TypeChanged,
                format!("{at}/type"),
                some(&b["type"]),
                some(&h["type"]),
                type_change_verdict(dir, widening, "type"),
                ctx.type_targets(),
                rules,
            );
        } else if b["format"] != h["format"] {
            let widening = is_widening(b, h);
            let narrowing = is_widening(h, b);
            let (wire, rules) = if b["type"] == "string" && !widening && !narrowing {
                (
                    directional(
                        dir,
                        "the value is still a JSON string; readers that keep it as text are unaffected, readers that parse the old format may fail",
                        "writers that send strings of the old format are rejected by a server that checks the new one",
                        false,
                        true,
                    ),
                    ctx.rules("type-changed", ""),
                )
            } else if widening {
                (
                    type_change_verdict(dir, true, "format"),
                    ctx.rules("", "type-generalized"),
                )
            } else {
                (
                    type_change_verdict(dir, false, "format"),
                    ctx.rules("type-changed", "type-changed"),
                )
            };
            self.push(
                Some(ctx),
                Kind::FormatChanged,
                format!("{at}/format"),
                some(&b["format"]),
                some(&h["format"]),
                wire,
                ctx.type_targets(),
                rules,
            );
        }
    }

    fn nullable(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        if is_true(&b["nullable"]) == is_true(&h["nullable"]) {
            return;
        }
        let now = is_true(&h["nullable"]);
        self.push(
            Some(ctx),
            Kind::NullableChanged,
            format!("{at}/nullable"),
            Some(&Value::Bool(!now)),
            Some(&Value::Bool(now)),
            directional(
                ctx.direction,
                "readers can now receive null where they could not",
                "writers that send null are now rejected",
                now,
                !now,
            ),
            ctx.type_targets(),
            if now {
                ctx.rules("", "became-nullable")
            } else {
                ctx.rules("became-not-nullable", "")
            },
        );
    }

    /// The keywords that limit values (`maxLength`, `minimum`, `pattern`,
    /// `multipleOf`, `uniqueItems`, …): a tighter limit breaks writers, a
    /// looser one breaks readers, an incomparable one (a new pattern) both.
    fn constraints(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        let num = |v: &Value, k: &str| v[k].as_f64();
        for (key, upper, tighter_rule, looser_rule) in BOUNDS {
            let (bv, hv) = (num(b, key), num(h, key));
            if bv == hv {
                continue;
            }
            let tighter = match (bv, hv) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => (y < x) == *upper,
                (None, None) => continue,
            };
            // A limit removed from a response is oasdiff's `…-unset`.
            let looser_rule = if hv.is_none() {
                looser_rule
                    .replace("increased", "unset")
                    .replace("decreased", "unset")
            } else {
                looser_rule.to_string()
            };
            self.constraint(
                ctx,
                at,
                b,
                h,
                key,
                tighter,
                !tighter,
                tighter_rule,
                &looser_rule,
            );
        }
        for key in ["exclusiveMaximum", "exclusiveMinimum"] {
            let (bv, hv) = (&b[key], &h[key]);
            if bv == hv {
                continue;
            }
            let upper = key == "exclusiveMaximum";
            // OpenAPI 3.0 makes these flags on `maximum`/`minimum`; 3.1 makes
            // them bounds of their own.
            let tighter = match (bv.as_f64(), hv.as_f64()) {
                (Some(x), Some(y)) => (y < x) == upper,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (None, None) => is_true(hv),
            };
            let (t, l) = if upper {
                ("exclusive-max-decreased", "exclusive-max-increased")
            } else {
                ("exclusive-min-increased", "exclusive-min-decreased")
            };
            self.constraint(ctx, at, b, h, key, tighter, !tighter, t, l);
        }
        if b["multipleOf"] != h["multipleOf"] {
            let (bv, hv) = (num(b, "multipleOf"), num(h, "multipleOf"));
            let (tighter, looser) = match (bv, hv) {
                (None, Some(_)) => (true, false),
                (Some(_), None) => (false, true),
                (Some(x), Some(y)) if y % x == 0.0 => (true, false),
                (Some(x), Some(y)) if x % y == 0.0 => (false, true),
                _ => (true, true),
            };
            self.constraint(ctx, at, b, h, "multipleOf", tighter, looser, "", "");
        }
        if b["pattern"] != h["pattern"] {
            // Two patterns cannot be compared: a changed one is both tighter
            // and looser.
            let (tighter, looser, rule) = match (b.get("pattern"), h.get("pattern")) {
                (None, Some(_)) => (true, false, "pattern-added"),
                (Some(_), None) => (false, true, "pattern-removed"),
                _ => (true, true, "pattern-changed"),
            };
            self.constraint(ctx, at, b, h, "pattern", tighter, looser, rule, rule);
        }
        if is_true(&b["uniqueItems"]) != is_true(&h["uniqueItems"]) {
            let now = is_true(&h["uniqueItems"]);
            self.constraint(ctx, at, b, h, "uniqueItems", now, !now, "", "");
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn constraint(
        &mut self,
        ctx: &Ctx,
        at: &str,
        b: &Value,
        h: &Value,
        key: &str,
        tighter: bool,
        looser: bool,
        tighter_rule: &str,
        looser_rule: &str,
    ) {
        let (bv, hv) = (some(&b[key]), some(&h[key]));
        let show = |v: Option<&Value>| v.map_or("none".to_string(), Value::to_string);
        let change = format!("`{key}` changes from {} to {}", show(bv), show(hv));
        let reader = if looser {
            format!(
                "{change}, a looser limit: readers that rely on the old one may meet values outside it"
            )
        } else {
            format!("{change}, a tighter limit: every value readers can get was valid before")
        };
        let writer = if tighter {
            format!(
                "{change}, a tighter limit: writers that send values the old limit allowed are rejected"
            )
        } else {
            format!("{change}, a looser limit: every value writers sent before is still accepted")
        };
        // Each side names the rule of what the change does to it: oasdiff
        // has an id for a looser request limit and a tighter response one
        // too (`request-property-max-length-increased`).
        let rules = ctx.rules(
            if tighter { tighter_rule } else { looser_rule },
            if looser { looser_rule } else { tighter_rule },
        );
        self.push(
            Some(ctx),
            Kind::ConstraintChanged,
            format!("{at}/{key}"),
            bv,
            hv,
            directional(ctx.direction, &reader, &writer, looser, tighter),
            vec![],
            rules,
        );
    }

    /// `default`: what the server assumes when a writer leaves a value out,
    /// and what a reader may assume when the server leaves it out.
    fn default_value(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        let (bv, hv) = (some(&b["default"]), some(&h["default"]));
        if bv == hv {
            return;
        }
        let what = match (bv, hv) {
            (None, Some(_)) => "added",
            (Some(_), None) => "removed",
            _ => "changed",
        };
        self.push(
            Some(ctx),
            Kind::DefaultChanged,
            format!("{at}/default"),
            bv,
            hv,
            directional(
                ctx.direction,
                &format!(
                    "the default is {what}: readers that fill in the documented default for an absent value now fill in what the server does not mean"
                ),
                &format!(
                    "the default is {what}: writers that leave the value out now get another behaviour than before"
                ),
                bv.is_some(),
                true,
            ),
            vec![],
            ctx.rules(&format!("default-value-{what}"), ""),
        );
    }

    /// `readOnly` and `writeOnly`: a property the server no longer reads, or
    /// no longer returns.
    fn access(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        for key in ["readOnly", "writeOnly"] {
            let (was, now) = (is_true(&b[key]), is_true(&h[key]));
            if was == now {
                continue;
            }
            let (reader, writer, breaks_readers, breaks_writers) = match (key, now) {
                ("readOnly", true) => (
                    "the value becomes read-only; readers still get it",
                    "the value becomes read-only: the server no longer takes it from writers, who lose what they set",
                    false,
                    true,
                ),
                ("readOnly", false) => (
                    "the value is no longer read-only; readers still get it",
                    if ctx.required {
                        "the value is no longer read-only and is required: writers that do not send it are rejected"
                    } else {
                        "the value is no longer read-only: writers may send it"
                    },
                    false,
                    ctx.required,
                ),
                (_, true) => (
                    "the value becomes write-only: the server no longer returns it, readers that use it lose it",
                    "the value becomes write-only; writers still send it",
                    true,
                    false,
                ),
                (_, false) => (
                    "the value is no longer write-only: readers may now get it",
                    "the value is no longer write-only; writers still send it",
                    false,
                    false,
                ),
            };
            let required = if ctx.required { "required" } else { "optional" };
            let became = match (key, now) {
                ("readOnly", true) => "became-read-only",
                ("readOnly", false) => "became-not-read-only",
                (_, true) => "became-write-only",
                (_, false) => "became-not-write-only",
            };
            let rules = known(&[
                format!("request-{required}-property-{became}").as_str(),
                format!("response-{required}-property-{became}").as_str(),
            ]);
            let (request, response) = sides(ctx.direction);
            let rules = rules
                .into_iter()
                .filter(|r| {
                    (request && r.starts_with("request")) || (response && r.starts_with("response"))
                })
                .collect();
            self.push(
                Some(ctx),
                Kind::AccessChanged,
                format!("{at}/{key}"),
                Some(&Value::Bool(was)),
                Some(&Value::Bool(now)),
                directional(
                    ctx.direction,
                    reader,
                    writer,
                    breaks_readers,
                    breaks_writers,
                ),
                vec![],
                rules,
            );
        }
    }

    /// `deprecated` set or cleared: a notice, not a change of the contract.
    fn deprecation(
        &mut self,
        ctx: Option<&Ctx>,
        at: &str,
        b: &Value,
        h: &Value,
        [deprecated, reactivated]: [&str; 2],
    ) {
        let (was, now) = (is_true(&b["deprecated"]), is_true(&h["deprecated"]));
        if was == now {
            return;
        }
        self.push(
            ctx,
            Kind::DeprecationChanged,
            format!("{at}/deprecated"),
            Some(&Value::Bool(was)),
            Some(&Value::Bool(now)),
            Verdict::safe(if now {
                "it is deprecated: it still works the same, and callers are told to move away from it"
            } else {
                "it is no longer deprecated"
            }),
            vec![],
            known(&[if now { deprecated } else { reactivated }]),
        );
    }

    fn enum_values(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value, key: &str) {
        let values = |v: &Value| -> Vec<Value> { v[key].as_array().cloned().unwrap_or_default() };
        let (bv, hv) = (values(b), values(h));
        if bv == hv {
            return;
        }
        let open = key == "x-extensible-enum";
        let dir = ctx.direction;
        // A closed value set where there was none, or none where there was
        // one: judged as a whole, like any other limit.
        if !open && (b.get(key).is_none() || h.get(key).is_none()) {
            let became = b.get(key).is_none();
            self.push(
                Some(ctx),
                if became {
                    Kind::BecameEnum
                } else {
                    Kind::EnumRemoved
                },
                format!("{at}/{key}"),
                some(&b[key]),
                some(&h[key]),
                directional(
                    dir,
                    if became {
                        "the value becomes an enum: readers get one of the listed values, as before"
                    } else {
                        "the value is no longer limited to a list: readers that accept only the listed values may meet others"
                    },
                    if became {
                        "the value becomes an enum: writers that send anything but the listed values are rejected"
                    } else {
                        "the value is no longer limited to a list: every value writers sent before is still accepted"
                    },
                    !became,
                    became,
                ),
                ctx.type_targets(),
                if became {
                    ctx.rules("became-enum", "")
                } else {
                    ctx.rules("", "")
                },
            );
            return;
        }
        let variant = |v: &Value| -> Vec<Target> {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            ctx.type_name
                .iter()
                .map(|t| Target::Variant(t.clone(), text.clone()))
                .collect()
        };
        for (i, v) in hv.iter().enumerate() {
            if bv.contains(v) {
                continue;
            }
            let wire = if open {
                Verdict::safe(format!(
                    "{v} is added to an x-extensible-enum: the set was documented as open, so readers that honour it already accept unknown values; writers gain a value"
                ))
            } else {
                directional(
                    dir,
                    &format!(
                        "{v} is added to a closed enum: readers that accept only the documented values reject it"
                    ),
                    &format!("{v} is a new accepted value; writers are unaffected"),
                    true,
                    false,
                )
            };
            self.push(
                Some(ctx),
                Kind::EnumValueAdded,
                format!("{at}/{key}/{i}"),
                None,
                Some(v),
                wire,
                variant(v),
                if open {
                    vec![]
                } else {
                    ctx.rules("enum-value-added", "enum-value-added")
                },
            );
        }
        for (i, v) in bv.iter().enumerate() {
            if hv.contains(v) {
                continue;
            }
            let wire = directional(
                dir,
                &format!("{v} is no longer sent; readers that handle it are unaffected"),
                &format!("{v} is no longer accepted: writers that send it are rejected"),
                false,
                true,
            );
            self.push(
                Some(ctx),
                Kind::EnumValueRemoved,
                format!("{at}/{key}/{i}"),
                Some(v),
                None,
                wire,
                variant(v),
                if open {
                    ctx.rules("x-extensible-enum-value-removed", "")
                } else {
                    ctx.rules("enum-value-removed", "enum-value-removed")
                },
            );
        }
    }

    fn additional_properties(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        let (ba, ha) = (&b["additionalProperties"], &h["additionalProperties"]);
        if ba == ha {
            return;
        }
        let at = format!("{at}/additionalProperties");
        let closed = |v: &Value| *v == Value::Bool(false);
        let attributes: Vec<Target> = ctx
            .type_name
            .iter()
            .map(|t| Target::Attributes(t.clone()))
            .collect();
        if closed(ba) != closed(ha) {
            let now_closed = closed(ha);
            let wire = directional(
                ctx.direction,
                if now_closed {
                    "the response object is now closed: readers get no field they did not expect"
                } else {
                    "the response object is now open: strict readers may meet fields they did not expect"
                },
                if now_closed {
                    "the request object is now closed (additionalProperties: false): writers that send an undocumented field are rejected"
                } else {
                    "the request object is now open: the server accepts more"
                },
                !now_closed,
                now_closed,
            );
            self.push(
                Some(ctx),
                Kind::AdditionalPropertiesChanged,
                at,
                some(ba),
                some(ha),
                wire,
                attributes,
                vec![],
            );
            return;
        }
        match (ba.is_object(), ha.is_object()) {
            // The values of a map: compared as any schema, at any depth.
            (true, true) => {
                let value_ctx = Ctx {
                    type_name: ctx.type_name.as_ref().map(|t| format!("{t}value")),
                    ..ctx.clone()
                };
                self.schema(&value_ctx, &at, ba, ha);
            }
            // A schema for the values where any value was allowed is a limit
            // added; the reverse, one removed.
            (added, _) => {
                let tighter = !added;
                self.push(
                    Some(ctx),
                    Kind::AdditionalPropertiesChanged,
                    at,
                    some(ba),
                    some(ha),
                    directional(
                        ctx.direction,
                        if tighter {
                            "the values of additional properties are now described: readers get what they got"
                        } else {
                            "the values of additional properties are no longer described: readers may meet values of any shape"
                        },
                        if tighter {
                            "the values of additional properties must now match a schema: writers that send others are rejected"
                        } else {
                            "the values of additional properties are no longer limited"
                        },
                        !tighter,
                        tighter,
                    ),
                    attributes,
                    vec![],
                );
            }
        }
    }

    /// The members of `allOf`, or the alternatives of `oneOf`/`anyOf`: paired
    /// by `$ref` (or by shape, for a renamed component) and otherwise by
    /// order, compared member by member; a member added or removed is judged
    /// by what it does to the set of valid values.
    fn members(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value, key: &str) {
        let empty = Vec::new();
        let bl = b[key].as_array().unwrap_or(&empty);
        let hl = h[key].as_array().unwrap_or(&empty);
        if bl == hl {
            return;
        }
        let (pairs, removed, added) = pair_members(self.base, self.head, bl, hl);
        let member_ctx = Ctx {
            // typify merges `allOf` members into the parent's type; the
            // alternatives of `oneOf`/`anyOf` are variants named otherwise.
            type_name: if key == "allOf" {
                ctx.type_name.clone()
            } else {
                None
            },
            ..ctx.clone()
        };
        for (i, j) in pairs {
            self.schema(&member_ctx, &format!("{at}/{key}/{j}"), &bl[i], &hl[j]);
        }
        // An `allOf` member is one more condition on every value; a `oneOf`
        // or `anyOf` alternative is one more kind of value.
        let all = key == "allOf";
        let rule = match key {
            "allOf" => "all-of",
            "oneOf" => "one-of",
            _ => "any-of",
        };
        for i in removed {
            let narrows = !all;
            self.push(
                Some(ctx),
                Kind::MemberRemoved,
                format!("{at}/{key}/{i}"),
                Some(&bl[i]),
                None,
                directional(
                    ctx.direction,
                    &if narrows {
                        format!("an alternative of {key} is removed: readers get one of the remaining kinds, as before")
                    } else {
                        format!("a member of {key} is removed: readers can no longer rely on what it guaranteed")
                    },
                    &if narrows {
                        format!("an alternative of {key} is removed: writers that send that kind of value are rejected")
                    } else {
                        format!("a member of {key} is removed: every value writers sent before is still valid")
                    },
                    !narrows,
                    narrows,
                ),
                ctx.type_targets(),
                {
                    let id = format!("{rule}-removed");
                    if narrows {
                        ctx.rules(&id, "")
                    } else {
                        ctx.rules("", &id)
                    }
                },
            );
        }
        for j in added {
            let narrows = all;
            self.push(
                Some(ctx),
                Kind::MemberAdded,
                format!("{at}/{key}/{j}"),
                None,
                Some(&hl[j]),
                directional(
                    ctx.direction,
                    &if narrows {
                        format!("a member of {key} is added: readers get values that satisfy one more schema, valid as before")
                    } else {
                        format!("an alternative of {key} is added: readers may meet a kind of value they do not decode")
                    },
                    &if narrows {
                        format!("a member of {key} is added: writers must satisfy one more schema, or are rejected")
                    } else {
                        format!("an alternative of {key} is added: writers gain a kind of value")
                    },
                    !narrows,
                    narrows,
                ),
                ctx.type_targets(),
                {
                    let id = format!("{rule}-added");
                    if narrows {
                        ctx.rules(&id, "")
                    } else {
                        ctx.rules("", &id)
                    }
                },
            );
        }
    }

    /// Keywords this module does not judge (`not`, `discriminator`, and any
    /// keyword of OpenAPI 3.1 or of an extension with a contract): a change is
    /// reported as breaking both sides, never dropped.
    fn unjudged(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        let (Some(bm), Some(hm)) = (b.as_object(), h.as_object()) else {
            return;
        };
        let bounds: BTreeSet<&str> = BOUNDS.iter().map(|(k, ..)| *k).collect();
        let keys: BTreeSet<&String> = bm.keys().chain(hm.keys()).collect();
        for key in keys {
            let judged = (JUDGED.contains(&key.as_str())
                && !matches!(key.as_str(), "not" | "discriminator"))
                || bounds.contains(key.as_str())
                || (key.starts_with("x-") && key != "x-extensible-enum");
            if judged || bm.get(key) == hm.get(key) {
                continue;
            }
            self.push(
                Some(ctx),
                Kind::SchemaChanged,
                format!("{at}/{}", escape(key)),
                bm.get(key),
                hm.get(key),
                directional(
                    ctx.direction,
                    &format!("`{key}` changes, which api-diff compares as a whole: readers may meet values they do not decode"),
                    &format!("`{key}` changes, which api-diff compares as a whole: writers may send values no longer accepted"),
                    true,
                    true,
                ),
                ctx.type_targets(),
                vec![],
            );
        }
    }

    fn examples(&mut self, ctx: Option<&Ctx>, at: &str, b: &Value, h: &Value) {
        for key in ["example", "examples"] {
            if b[key] != h[key] {
                self.push(
                    ctx,
                    Kind::ExampleChanged,
                    format!("{at}/{key}"),
                    some(&b[key]),
                    some(&h[key]),
                    Verdict::safe("examples document the API; they are not part of the contract"),
                    vec![],
                    vec![],
                );
            }
        }
    }
}

/// The two objects whose properties are compared.
struct Objects<'v> {
    bp: &'v Map<String, Value>,
    hp: &'v Map<String, Value>,
    breq: BTreeSet<String>,
    hreq: BTreeSet<String>,
    /// Whether the head object is closed (`additionalProperties: false`).
    closed: bool,
}

impl Objects<'_> {
    /// A property removed and another added with the same schema and the
    /// same required-ness is a rename: reported once, as what it is. The
    /// pairs are taken out of `removed` and `added`.
    fn renames<'n>(
        &self,
        removed: &mut Vec<&'n String>,
        added: &mut Vec<&'n String>,
    ) -> Vec<(&'n String, &'n String)> {
        let mut renames = Vec::new();
        for old in removed.clone() {
            let candidates: Vec<&String> = added
                .iter()
                .copied()
                .filter(|new| {
                    effective(&self.bp[old.as_str()]) == effective(&self.hp[new.as_str()])
                        && self.breq.contains(old) == self.hreq.contains(*new)
                })
                .collect();
            if let [new] = candidates.as_slice() {
                renames.push((old, *new));
                added.retain(|a| a != new);
                removed.retain(|r| *r != old);
            }
        }
        renames
    }
}

fn required_names(v: &Value) -> BTreeSet<String> {
    v["required"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

impl Differ<'_> {
    /// The properties of an object: renamed, removed, added, then those both
    /// sides have, compared as schemas of their own.
    fn properties(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        let empty = Map::new();
        let objects = Objects {
            bp: b["properties"].as_object().unwrap_or(&empty),
            hp: h["properties"].as_object().unwrap_or(&empty),
            breq: required_names(b),
            hreq: required_names(h),
            closed: h["additionalProperties"] == Value::Bool(false),
        };
        let (bp, hp) = (objects.bp, objects.hp);
        let mut removed: Vec<&String> = bp.keys().filter(|k| !hp.contains_key(*k)).collect();
        let mut added: Vec<&String> = hp.keys().filter(|k| !bp.contains_key(*k)).collect();
        for (old, new) in objects.renames(&mut removed, &mut added) {
            self.property_renamed(ctx, at, old, new);
        }
        for name in removed {
            self.property_removed(ctx, at, &objects, name);
        }
        for name in added {
            self.property_added(ctx, at, &objects, name);
        }
        for (name, bs) in bp {
            if let Some(hs) = hp.get(name) {
                self.property(ctx, at, &objects, name, bs, hs);
            }
        }
    }

    fn property_renamed(&mut self, ctx: &Ctx, at: &str, old: &str, new: &str) {
        let mut targets = field_targets(ctx, old);
        targets.extend(field_targets(ctx, new));
        self.push(
            Some(ctx),
            Kind::FieldRenamed,
            format!("{at}/properties/{}", escape(new)),
            Some(&Value::String(old.to_string())),
            Some(&Value::String(new.to_string())),
            directional(
                ctx.direction,
                &format!("`{old}` is now sent as `{new}`: readers looking for `{old}` no longer find it"),
                &format!("the server now reads `{new}`, not `{old}`: writers that send `{old}` are ignored or rejected"),
                true,
                true,
            ),
            targets,
            vec![],
        );
    }

    fn property_removed(&mut self, ctx: &Ctx, at: &str, objects: &Objects<'_>, name: &str) {
        let wire = directional(
            ctx.direction,
            &format!("`{name}` is no longer sent: readers that use it lose it"),
            &if objects.closed {
                format!(
                    "the request object is closed (additionalProperties: false): writers that still send `{name}` are rejected"
                )
            } else {
                format!("writers that still send `{name}` send what the server ignores")
            },
            true,
            objects.closed,
        );
        let was_required = if objects.breq.contains(name) {
            "required"
        } else {
            "optional"
        };
        let rules = ctx
            .rules("", "")
            .into_iter()
            .chain(side_ids(
                ctx,
                "request-property-removed",
                &format!("response-{was_required}-property-removed"),
            ))
            .collect();
        self.push(
            Some(ctx),
            Kind::FieldRemoved,
            format!("{at}/properties/{}", escape(name)),
            Some(&objects.bp[name]),
            None,
            wire,
            field_targets(ctx, name),
            rules,
        );
    }

    fn property_added(&mut self, ctx: &Ctx, at: &str, objects: &Objects<'_>, name: &str) {
        let req = objects.hreq.contains(name);
        let wire = directional(
            ctx.direction,
            &if objects.closed {
                format!(
                    "the response object is closed (additionalProperties: false): strict readers reject the new `{name}`"
                )
            } else {
                format!(
                    "responses are open (no additionalProperties: false): readers already ignore unknown fields such as `{name}`"
                )
            },
            &if req {
                format!("the new `{name}` is required: writers that do not send it are rejected")
            } else {
                format!("the new `{name}` is optional: existing writers need not send it")
            },
            objects.closed,
            req,
        );
        let mut targets = field_targets(ctx, name);
        if req {
            targets.extend(ctx.type_name.iter().map(|t| Target::Attributes(t.clone())));
        }
        let required = if req { "required" } else { "optional" };
        let rules = side_ids(
            ctx,
            if req {
                "new-required-request-property"
            } else {
                "new-optional-request-property"
            },
            &format!("response-{required}-property-added"),
        );
        self.push(
            Some(ctx),
            Kind::FieldAdded,
            format!("{at}/properties/{}", escape(name)),
            None,
            Some(&objects.hp[name]),
            wire,
            targets,
            rules,
        );
    }

    /// A property both objects have: its required-ness, then its schema.
    fn property(
        &mut self,
        ctx: &Ctx,
        at: &str,
        objects: &Objects<'_>,
        name: &str,
        bs: &Value,
        hs: &Value,
    ) {
        let (br, hr) = (objects.breq.contains(name), objects.hreq.contains(name));
        let prop_at = format!("{at}/properties/{}", escape(name));
        if br != hr {
            let mut targets = field_targets(ctx, name);
            targets.extend(ctx.type_name.iter().map(|t| Target::Attributes(t.clone())));
            self.push(
                Some(ctx),
                Kind::RequiredChanged,
                format!("{prop_at}/required"),
                Some(&Value::Bool(br)),
                Some(&Value::Bool(hr)),
                directional(
                    ctx.direction,
                    &format!("`{name}` may now be absent: readers that rely on it may not get it"),
                    &format!("`{name}` becomes required: writers that omit it are rejected"),
                    !hr,
                    hr,
                ),
                targets,
                if hr {
                    side_ids(
                        ctx,
                        "request-property-became-required",
                        "response-property-became-required",
                    )
                } else {
                    side_ids(
                        ctx,
                        "request-property-became-optional",
                        "response-property-became-optional",
                    )
                },
            );
        }
        let inner = Ctx {
            // An inline object or enum is a type of its own named after its
            // parent and property; a change of the property's own type is a
            // change of the field.
            type_name: ctx
                .type_name
                .as_ref()
                .map(|t| format!("{t}{}", normalize(name))),
            extra: {
                let mut e = ctx.extra.clone();
                e.extend(field_targets(ctx, name));
                e
            },
            subject: Subject::Property,
            required: hr,
            ..ctx.clone()
        };
        self.schema(&inner, &prop_at, bs, hs);
    }
}

fn field_targets(ctx: &Ctx, name: &str) -> Vec<Target> {
    ctx.type_name
        .iter()
        .map(|t| Target::Field(t.clone(), name.to_string()))
        .collect()
}

/// Whole rule ids, the request side's and the response side's, kept for the
/// sides the schema is read on.
fn side_ids(ctx: &Ctx, request_id: &str, response_id: &str) -> Vec<String> {
    let (request, response) = sides(ctx.direction);
    let mut ids = Vec::new();
    if request {
        ids.push(request_id);
    }
    if response {
        ids.push(response_id);
    }
    known(&ids)
}

/// The two spellings of a path and its two path items, when both specs have
/// it.
struct Paths<'v> {
    base: &'v str,
    head: &'v str,
    base_item: &'v Value,
    head_item: &'v Value,
}

/// Where a parameter is declared.
#[derive(Clone, Copy)]
enum Owner {
    Operation,
    PathItem,
}

/// A parameter of an operation, as compared.
struct Param {
    /// What matches it across the specs: its location and name (a header's
    /// name in lower case), or for a path parameter its place in the template.
    key: String,
    /// `query:page`, for messages.
    label: String,
    owner: Owner,
    /// Its index in its owner's `parameters`.
    index: usize,
    /// The parameter, read through a `$ref`.
    value: Value,
}

/// The parameters of an operation: those of its path item, replaced by the
/// operation's own of the same location and name (OpenAPI's rule).
fn parameter_list(spec: &Value, path: &str, item: &Value, op: &Value) -> Vec<Param> {
    let read = |list: &Value, owner: Owner| -> Vec<Param> {
        list.as_array()
            .map(|a| {
                a.iter()
                    .enumerate()
                    .map(|(index, p)| {
                        let value = deref(spec, p);
                        let (key, label) = param_key(path, &value);
                        Param {
                            key,
                            label,
                            owner,
                            index,
                            value,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let own = read(&op["parameters"], Owner::Operation);
    let mut all: Vec<Param> = read(&item["parameters"], Owner::PathItem)
        .into_iter()
        .filter(|p| !own.iter().any(|o| o.key == p.key))
        .collect();
    all.extend(own);
    all
}

fn param_key(path: &str, p: &Value) -> (String, String) {
    let location = p["in"].as_str().unwrap_or("");
    let name = p["name"].as_str().unwrap_or("");
    let label = format!("{location}:{name}");
    let key = match location {
        "path" => match placeholders(path).iter().position(|n| n == name) {
            Some(i) => format!("path:#{i}"),
            None => label.clone(),
        },
        "header" => format!("header:{}", name.to_ascii_lowercase()),
        _ => label.clone(),
    };
    (key, label)
}

/// The parameter names of a path template, in order.
fn placeholders(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// A path template with its parameter names left out.
fn template(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// The paths of both specs matched by template: each with its base and head
/// spelling and item.
#[allow(clippy::type_complexity)]
fn paths_keyed<'v>(
    b: &'v Value,
    h: &'v Value,
) -> Vec<(String, String, Option<&'v Value>, Option<&'v Value>)> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    let (bm, hm) = (
        b.as_object().unwrap_or(&EMPTY),
        h.as_object().unwrap_or(&EMPTY),
    );
    let by_template: BTreeMap<String, (&String, &Value)> =
        hm.iter().map(|(p, v)| (template(p), (p, v))).collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (p, v) in bm {
        let t = template(p);
        match hm
            .get(p)
            .map(|hv| (p, hv))
            .or_else(|| by_template.get(&t).copied())
        {
            Some((hp, hv)) => {
                seen.insert(hp.clone());
                out.push((p.clone(), hp.clone(), Some(v), Some(hv)));
            }
            None => out.push((p.clone(), p.clone(), Some(v), None)),
        }
    }
    for (p, v) in hm {
        if !seen.contains(p) {
            out.push((p.clone(), p.clone(), None, Some(v)));
        }
    }
    out
}

/// Changes found once per operation at the same place (a parameter of the
/// path item, a shared component) are reported once, affecting them all.
fn merge_repeats(out: &mut Vec<SpecChange>, first: usize) {
    let tail = out.split_off(first);
    let mut merged: Vec<SpecChange> = Vec::with_capacity(tail.len());
    for c in tail {
        match merged
            .iter_mut()
            .find(|m| m.kind == c.kind && m.pointer == c.pointer)
        {
            Some(m) => {
                for t in c.targets {
                    if !m.targets.contains(&t) {
                        m.targets.push(t);
                    }
                }
            }
            None => merged.push(c),
        }
    }
    out.extend(merged);
}

/// A `$ref` (with its siblings) written as `allOf: [$ref]` when `other` has
/// `allOf` members, so that the two lists are compared member by member.
fn as_all_of(v: &Value, other: &Value) -> Value {
    match (v.as_object(), other.get("allOf")) {
        (Some(map), Some(Value::Array(_)))
            if map.contains_key("$ref") && !map.contains_key("allOf") =>
        {
            let mut out = map.clone();
            let reference = out.remove("$ref").unwrap_or_default();
            out.insert("allOf".into(), json!([{ "$ref": reference }]));
            Value::Object(out)
        }
        _ => v.clone(),
    }
}

/// A value read through its `$ref` (followed a few times, in its own spec),
/// with documentation-only keys dropped.
fn deref(spec: &Value, v: &Value) -> Value {
    let mut v = v;
    for _ in 0..8 {
        match v["$ref"].as_str().and_then(|r| resolve(spec, r)) {
            Some(target) => v = target,
            None => break,
        }
    }
    effective(v)
}

/// A response, request body or header, or the component it refers to.
fn resolve_component<'v>(spec: &'v Value, r: &'v Value) -> &'v Value {
    let mut r = r;
    for _ in 0..8 {
        match r["$ref"].as_str().and_then(|s| resolve(spec, s)) {
            Some(target) => r = target,
            None => break,
        }
    }
    r
}

/// Pairs the members of two `allOf`/`oneOf`/`anyOf` lists: the same `$ref`,
/// then the same value, then references of the same shape (a renamed
/// component), then inline members in order. Returns the pairs and the
/// indexes left over in the base (removed) and in the head (added).
#[allow(clippy::type_complexity)]
fn pair_members(
    base: &Value,
    head: &Value,
    bl: &[Value],
    hl: &[Value],
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let mut used = vec![false; hl.len()];
    let mut paired: Vec<Option<usize>> = vec![None; bl.len()];
    let passes: [&dyn Fn(&Value, &Value) -> bool; 4] = [
        &|b, h| b.get("$ref").is_some() && b["$ref"] == h["$ref"],
        &|b, h| effective(b) == effective(h),
        &|b, h| {
            b.get("$ref").is_some() && h.get("$ref").is_some() && deref(base, b) == deref(head, h)
        },
        &|b, h| b.get("$ref").is_none() && h.get("$ref").is_none(),
    ];
    for pass in passes {
        for (i, b) in bl.iter().enumerate() {
            if paired[i].is_some() {
                continue;
            }
            if let Some(j) = (0..hl.len()).find(|&j| !used[j] && pass(b, &hl[j])) {
                used[j] = true;
                paired[i] = Some(j);
            }
        }
    }
    let pairs = paired
        .iter()
        .enumerate()
        .filter_map(|(i, j)| j.map(|j| (i, j)))
        .collect();
    let removed = (0..bl.len()).filter(|&i| paired[i].is_none()).collect();
    let added = (0..hl.len()).filter(|&j| !used[j]).collect();
    (pairs, removed, added)
}

/// The schema with a lone `allOf: [$ref]` (the spec's way to give a reference
/// a description) read as the reference itself, and documentation-only keys
/// dropped, so that a new description is not reported as a type change.
fn effective(v: &Value) -> Value {
    let Some(map) = v.as_object() else {
        return v.clone();
    };
    let mut out = map.clone();
    out.remove("description");
    out.remove("title");
    if let Some(Value::Array(all)) = out.get("allOf")
        && let [only] = all.as_slice()
        && only.get("$ref").is_some()
    {
        let only = only.clone();
        out.remove("allOf");
        if let Some(obj) = only.as_object() {
            for (k, v) in obj {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// The wire verdict of a change that matters differently to readers and
/// writers: breaking when it breaks the side the schema is used on.
fn directional(
    dir: Direction,
    reader: &str,
    writer: &str,
    breaks_readers: bool,
    breaks_writers: bool,
) -> Verdict {
    let (request, response) = if !dir.request && !dir.response {
        // A schema no operation uses yet: judge it as both, conservatively.
        (true, true)
    } else {
        (dir.request, dir.response)
    };
    let mut reasons = Vec::new();
    if response {
        reasons.push(format!("in responses: {reader}"));
    }
    if request {
        reasons.push(format!("in requests: {writer}"));
    }
    let breaking = (response && breaks_readers) || (request && breaks_writers);
    Verdict {
        breaking,
        reason: reasons.join("; "),
    }
}

fn type_change_verdict(dir: Direction, widening: bool, what: &str) -> Verdict {
    if widening {
        directional(
            dir,
            &format!(
                "the {what} is widened: readers that store the old, narrower {what} may overflow or fail"
            ),
            &format!("the {what} is widened: every value writers sent before is still valid"),
            true,
            false,
        )
    } else {
        directional(
            dir,
            &format!("the {what} changes: readers that decode the old {what} fail"),
            &format!("the {what} changes: writers that send the old {what} are rejected"),
            true,
            true,
        )
    }
}

/// Whether every value valid for `b` is valid for `h` for numbers
/// (int32 ⊂ int64 ⊂ number, float ⊂ double).
fn is_widening(b: &Value, h: &Value) -> bool {
    let rank = |v: &Value| -> Option<u8> {
        match (v["type"].as_str()?, v["format"].as_str()) {
            ("integer", Some("int32")) => Some(1),
            ("integer", Some("int64")) | ("integer", None) => Some(2),
            ("number", Some("float")) => Some(3),
            ("number", _) => Some(4),
            _ => None,
        }
    };
    matches!((rank(b), rank(h)), (Some(x), Some(y)) if y > x)
}

/// A list of security requirements: alternatives, each a map of scheme to
/// scopes. No list (or an empty one) requires nothing.
fn requirements(v: &Value) -> Vec<BTreeMap<String, BTreeSet<String>>> {
    v.as_array()
        .map(|alternatives| {
            alternatives
                .iter()
                .map(|alt| {
                    alt.as_object()
                        .map(|m| {
                            m.iter()
                                .map(|(scheme, scopes)| {
                                    let scopes = scopes
                                        .as_array()
                                        .map(|s| {
                                            s.iter()
                                                .filter_map(|x| x.as_str().map(String::from))
                                                .collect()
                                        })
                                        .unwrap_or_default();
                                    (scheme.clone(), scopes)
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The verdict of a change of security requirements: breaking when a caller
/// that met one of the old alternatives meets none of the new ones (a scheme
/// or a scope more). The oasdiff rules name what was added and removed.
fn security_verdict(b: &Value, h: &Value, what: &str) -> (Verdict, Vec<String>) {
    let (br, hr) = (requirements(b), requirements(h));
    let mut rules = Vec::new();
    let schemes = |r: &[BTreeMap<String, BTreeSet<String>>]| -> BTreeMap<String, BTreeSet<String>> {
        let mut all: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for alt in r {
            for (s, scopes) in alt {
                all.entry(s.clone())
                    .or_default()
                    .extend(scopes.iter().cloned());
            }
        }
        all
    };
    let (bs, hs) = (schemes(&br), schemes(&hr));
    if hs.keys().any(|s| !bs.contains_key(s)) {
        rules.push("api-security-added".to_string());
    }
    if bs.keys().any(|s| !hs.contains_key(s)) {
        rules.push("api-security-removed".to_string());
    }
    let scopes = |a: &BTreeMap<String, BTreeSet<String>>,
                  b: &BTreeMap<String, BTreeSet<String>>| {
        a.iter()
            .any(|(s, x)| b.get(s).is_some_and(|y| x.difference(y).next().is_some()))
    };
    if scopes(&hs, &bs) {
        rules.push("api-security-scope-added".to_string());
    }
    if scopes(&bs, &hs) {
        rules.push("api-security-scope-removed".to_string());
    }
    // Requiring nothing is one alternative that asks for nothing.
    let open = vec![BTreeMap::new()];
    let before = if br.is_empty() { &open } else { &br };
    if hr.is_empty() {
        return (
            Verdict::safe(format!("{what} no longer requires credentials")),
            rules,
        );
    }
    let unmet = before.iter().find(|alt| {
        !hr.iter().any(|h| {
            h.iter()
                .all(|(s, scopes)| alt.get(s).is_some_and(|have| scopes.is_subset(have)))
        })
    });
    let wire = match unmet {
        Some(alt) => Verdict::breaking(format!(
            "the security requirements of {what} changed: callers with {} are refused (401 or 403)",
            if alt.is_empty() {
                "no credentials".to_string()
            } else {
                alt.iter()
                    .map(|(s, scopes)| {
                        if scopes.is_empty() {
                            s.clone()
                        } else {
                            format!(
                                "{s} ({})",
                                scopes.iter().cloned().collect::<Vec<_>>().join(", ")
                            )
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" and ")
            }
        )),
        None => Verdict::safe(format!(
            "the security requirements of {what} changed, but every caller that met them before still does"
        )),
    };
    (wire, rules)
}

/// The verdict of a change of a security scheme: where and how credentials
/// are sent, and where tokens come from, break callers; the scopes a scheme
/// offers do not (requirements say which are needed).
fn scheme_verdict(b: &Value, h: &Value) -> (Verdict, Vec<&'static str>) {
    let how = [
        "type",
        "in",
        "name",
        "scheme",
        "bearerFormat",
        "openIdConnectUrl",
    ];
    // Header names, and HTTP auth schemes, are case-insensitive (RFC 9110):
    // `X-API-KEY` and `x-api-key` are the same header.
    let same = |key: &str| match (key, b[key].as_str(), h[key].as_str()) {
        ("name", Some(x), Some(y)) if b["in"] == "header" => x.eq_ignore_ascii_case(y),
        ("scheme", Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => b[key] == h[key],
    };
    if let Some(key) = how.iter().find(|k| !same(k)) {
        return (
            Verdict::breaking(format!(
                "the security scheme's `{key}` changed: credentials sent as before are no longer accepted"
            )),
            vec!["api-security-component-type-changed"],
        );
    }
    let mut rules = Vec::new();
    let mut breaking = None;
    for (flow, bf, hf) in keyed(&b["flows"], &h["flows"]) {
        let (Some(bf), Some(hf)) = (bf, hf) else {
            if bf.is_some() {
                breaking = Some(format!(
                    "the OAuth flow `{flow}` is removed: callers that use it get no token"
                ));
            }
            continue;
        };
        for (url, rule) in [
            (
                "authorizationUrl",
                "api-security-component-oauth-url-changed",
            ),
            ("tokenUrl", "api-security-component-oauth-token-url-changed"),
            ("refreshUrl", "api-security-component-oauth-url-changed"),
        ] {
            if bf[url] != hf[url] {
                rules.push(rule);
                breaking = Some(format!(
                    "the OAuth flow `{flow}` changes its `{url}`: callers that ask the old one for tokens fail"
                ));
            }
        }
        for (scope, bs, hs) in keyed(&bf["scopes"], &hf["scopes"]) {
            let _ = scope;
            match (bs, hs) {
                (Some(_), None) => rules.push("api-security-component-oauth-scope-removed"),
                (None, Some(_)) => rules.push("api-security-component-oauth-scope-added"),
                (Some(x), Some(y)) if x != y => {
                    rules.push("api-security-component-oauth-scope-changed")
                }
                _ => {}
            }
        }
    }
    rules.dedup();
    let wire = match breaking {
        Some(reason) => Verdict::breaking(reason),
        None => Verdict::safe(
            "credentials are sent as before (header names and HTTP schemes compare case-insensitively); what changed is the wording, a header name's case or the scopes offered, and what operations require is judged where they require it",
        ),
    };
    (wire, rules)
}

/// Where each component schema is used: walked from every operation of both
/// specs, following `$ref`s through both specs' components.
fn usage(base: &Value, head: &Value) -> BTreeMap<String, Direction> {
    let mut usage: BTreeMap<String, Direction> = BTreeMap::new();
    // A reference already followed on one side (request or response) marks
    // everything under it already; each is followed once per side, not once
    // per operation.
    let mut seen: [BTreeSet<String>; 2] = Default::default();
    for spec in [base, head] {
        let Some(paths) = spec["paths"].as_object() else {
            continue;
        };
        for item in paths.values() {
            for method in METHODS {
                let op = &item[*method];
                if op.is_null() {
                    continue;
                }
                let mut requests = Vec::new();
                let mut responses = Vec::new();
                requests.push(&op["requestBody"]);
                for params in [&op["parameters"], &item["parameters"]] {
                    if let Some(params) = params.as_array() {
                        requests.extend(params.iter());
                    }
                }
                if let Some(rs) = op["responses"].as_object() {
                    responses.extend(rs.values());
                }
                for (roots, request) in [(requests, true), (responses, false)] {
                    // Each value with whether it is a `properties` map, whose
                    // keys are field names (a field may be called `example`).
                    let mut stack: Vec<(&Value, bool)> =
                        roots.into_iter().map(|v| (v, false)).collect();
                    let seen = &mut seen[usize::from(request)];
                    while let Some((v, fields)) = stack.pop() {
                        match v {
                            Value::Object(map) => {
                                for (k, child) in map {
                                    if !fields
                                        && k == "$ref"
                                        && let Some(r) = child.as_str()
                                    {
                                        if let Some(name) = r.strip_prefix("#/components/schemas/")
                                        {
                                            let d = usage.entry(name.to_string()).or_default();
                                            if request {
                                                d.request = true;
                                            } else {
                                                d.response = true;
                                            }
                                        }
                                        if seen.insert(r.to_string()) {
                                            stack.extend(resolve(base, r).map(|v| (v, false)));
                                            stack.extend(resolve(head, r).map(|v| (v, false)));
                                        }
                                    } else if fields
                                        || !matches!(
                                            k.as_str(),
                                            "example" | "examples" | "description"
                                        )
                                    {
                                        // Examples and prose hold no schema
                                        // reference; they are most of a
                                        // large spec's text.
                                        stack.push((child, !fields && k == "properties"));
                                    }
                                }
                            }
                            Value::Array(items) => stack.extend(items.iter().map(|v| (v, false))),
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    usage
}

fn resolve<'v>(spec: &'v Value, reference: &str) -> Option<&'v Value> {
    spec.pointer(reference.strip_prefix('#')?)
}

/// The union of two objects' keys, in the order of `b` then the new keys of
/// `h`, with each side's value.
fn keyed<'v>(b: &'v Value, h: &'v Value) -> Vec<(String, Option<&'v Value>, Option<&'v Value>)> {
    let (bm, hm) = (b.as_object(), h.as_object());
    let mut out: Vec<_> = bm
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), Some(v), hm.and_then(|m| m.get(k))))
        .collect();
    out.extend(
        hm.into_iter()
            .flatten()
            .filter(|(k, _)| !bm.is_some_and(|m| m.contains_key(*k)))
            .map(|(k, v)| (k.clone(), None, Some(v))),
    );
    out
}

fn some(v: &Value) -> Option<&Value> {
    if v.is_null() { None } else { Some(v) }
}

fn is_true(v: &Value) -> bool {
    v.as_bool().unwrap_or(false)
}

fn op_id(op: &Value) -> Option<&str> {
    op["operationId"].as_str()
}

fn operation_ids(item: &Value) -> Vec<&str> {
    METHODS.iter().filter_map(|m| op_id(&item[*m])).collect()
}

fn operation_targets(id: &str) -> Vec<Target> {
    vec![
        Target::Method(normalize(id)),
        Target::OperationBuilder(normalize(id)),
    ]
}

/// Gives each change the operations it affects: the operation its pointer is
/// in, every operation of the path item it is in, or every operation that
/// uses (directly or through other components) the component it is in.
fn attach_operations(out: &mut [SpecChange], base: &Value, head: &Value) {
    let graphs = out
        .iter()
        .any(|c| c.pointer.starts_with("/components/"))
        .then(|| (referrers(base), referrers(head)));
    let mut memo: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in out.iter_mut() {
        let segments: Vec<String> = c
            .pointer
            .split('/')
            .skip(1)
            .map(crate::pointer_lines::unescape)
            .collect();
        c.operations = match segments.first().map(String::as_str) {
            Some("paths") if segments.len() > 1 => {
                let path = &segments[1];
                match segments.get(2).filter(|m| METHODS.contains(&m.as_str())) {
                    Some(m) => vec![format!("{} {path}", m.to_uppercase())],
                    None => METHODS
                        .iter()
                        .filter(|m| {
                            head["paths"][path.as_str()].get(**m).is_some()
                                || base["paths"][path.as_str()].get(**m).is_some()
                        })
                        .map(|m| format!("{} {path}", m.to_uppercase()))
                        .collect(),
                }
            }
            Some("components") if segments.len() > 2 => {
                let reference = format!(
                    "#/components/{}/{}",
                    escape(&segments[1]),
                    escape(&segments[2])
                );
                let (b, h) = graphs
                    .as_ref()
                    .expect("built when a pointer is in components");
                memo.entry(reference.clone())
                    .or_insert_with(|| {
                        let mut ops = users(b, &reference);
                        ops.extend(users(h, &reference));
                        ops.into_iter().collect()
                    })
                    .clone()
            }
            _ => Vec::new(),
        };
    }
}

/// For each `$ref` target, what refers to it: another component's reference
/// or an operation (`GET /things`).
fn referrers(spec: &Value) -> BTreeMap<String, Vec<String>> {
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut walk = |root: &Value, from: &str| {
        let mut refs = BTreeSet::new();
        collect_refs(root, false, &mut refs);
        for r in refs {
            graph.entry(r).or_default().push(from.to_string());
        }
    };
    if let Some(paths) = spec["paths"].as_object() {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(*method) {
                    let label = format!("{} {path}", method.to_uppercase());
                    walk(op, &label);
                    walk(&item["parameters"], &label);
                }
            }
        }
    }
    if let Some(components) = spec["components"].as_object() {
        for (section, entries) in components {
            for (name, entry) in entries.as_object().into_iter().flatten() {
                walk(
                    entry,
                    &format!("#/components/{}/{}", escape(section), escape(name)),
                );
            }
        }
    }
    graph
}

/// The `$ref`s under a value, skipping examples and prose (which hold none and
/// are most of a large spec's text); `fields` is true for a `properties` map,
/// whose keys are field names.
fn collect_refs(v: &Value, fields: bool, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if !fields && k == "$ref" {
                    if let Some(r) = child.as_str() {
                        out.insert(r.to_string());
                    }
                } else if fields || !matches!(k.as_str(), "example" | "examples" | "description") {
                    collect_refs(child, !fields && k == "properties", out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_refs(i, false, out)),
        _ => {}
    }
}

/// The operations that use a component, directly or through others.
fn users(graph: &BTreeMap<String, Vec<String>>, reference: &str) -> BTreeSet<String> {
    let mut ops = BTreeSet::new();
    let mut seen = BTreeSet::from([reference.to_string()]);
    let mut stack = vec![reference.to_string()];
    while let Some(r) = stack.pop() {
        for from in graph.get(&r).into_iter().flatten() {
            if from.starts_with('#') {
                if seen.insert(from.clone()) {
                    stack.push(from.clone());
                }
            } else {
                ops.insert(from.clone());
            }
        }
    }
    ops
}
