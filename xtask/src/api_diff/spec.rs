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
//! changed `$ref` (`spec/schema.rs`). Each change names the oasdiff rules it
//! answers (`rules`).
//!
//! Not for: resolving every OpenAPI construct. `not` and discriminators are
//! compared as whole values, and any other schema keyword this module does not
//! judge is reported as a `schema-changed` that breaks both sides: coarse, but
//! never silent.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{Kind, Verdict, rules};
pub use crate::pointer_lines::escape;

mod schema;

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

/// The sides a direction is judged on. A schema no operation uses names the
/// rules of both sides, though its verdict is that no call is affected.
fn sides(dir: Direction) -> (bool, bool) {
    if !dir.request && !dir.response {
        (true, true)
    } else {
        (dir.request, dir.response)
    }
}

impl Differ<'_> {
    #[allow(
        clippy::too_many_arguments,
        reason = "a change is built from all of these at each call site"
    )]
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
        if b["tags"] != h["tags"] {
            let tags = |op: &Value| -> BTreeSet<String> {
                op["tags"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            };
            let (bt, ht) = (tags(b), tags(h));
            let mut rules = Vec::new();
            if ht.difference(&bt).next().is_some() {
                rules.push("api-tag-added");
            }
            if bt.difference(&ht).next().is_some() {
                rules.push("api-tag-removed");
            }
            self.push(
                None,
                Kind::TagsChanged,
                format!("{at}/tags"),
                some(&b["tags"]),
                some(&h["tags"]),
                Verdict::safe("tags are not sent on the wire"),
                operation_targets(&id),
                known(&rules),
            );
        }
        if b["x-pagination"] != h["x-pagination"] {
            self.push(
                None,
                Kind::PaginationChanged,
                format!("{at}/x-pagination"),
                some(&b["x-pagination"]),
                some(&h["x-pagination"]),
                Verdict::safe(
                    "x-pagination says how the crate streams the operation's pages; the wire is \
                     the operation's parameters and answer",
                ),
                operation_targets(&id),
                Vec::new(),
            );
        }
        self.deprecation(
            None,
            &at,
            (b, h),
            ["endpoint-deprecated", "endpoint-reactivated"],
            operation_targets(&id),
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
            (p, q),
            [
                "request-parameter-deprecated",
                "request-parameter-reactivated",
            ],
            builder.to_vec(),
        );
        // How the value is written into the URL or header: callers that
        // serialize it as before send what the server no longer parses.
        for key in [
            "style",
            "explode",
            "allowReserved",
            "allowEmptyValue",
            "content",
        ] {
            if p[key] != q[key] {
                self.push(
                    None,
                    Kind::SchemaChanged,
                    format!("{at}/{key}"),
                    some(&p[key]),
                    some(&q[key]),
                    Verdict::breaking(format!(
                        "the serialization of the parameter {} changes (`{key}`): callers that write it as before send what the server no longer parses",
                        hp.label
                    )),
                    builder.to_vec(),
                    vec![],
                );
            }
        }
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

    #[allow(
        clippy::too_many_arguments,
        reason = "the two sides and where they stand are passed down the walk"
    )]
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
#[allow(
    clippy::type_complexity,
    reason = "a private helper's tuple, named where it is used"
)]
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
    if !dir.request && !dir.response {
        // No operation of either spec reads or sends the schema (it is
        // reached by no `$ref` nor discriminator mapping from one): no call
        // can notice the change.
        return Verdict::safe(
            "no operation of either spec uses this schema, so no call is affected",
        );
    }
    let (request, response) = (dir.request, dir.response);
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
                                // A discriminator's mapping names schemas by
                                // reference too.
                                let mapping = map
                                    .get("mapping")
                                    .filter(|_| !fields && map.contains_key("propertyName"))
                                    .and_then(Value::as_object)
                                    .into_iter()
                                    .flatten()
                                    .map(|(_, r)| ("$ref", r));
                                let entries = map.iter().map(|(k, v)| (k.as_str(), v));
                                for (k, child) in entries.chain(mapping) {
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
                                        || !matches!(k, "example" | "examples" | "description")
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
            // A security scheme is used by name, from the requirements of
            // each operation (or of the document, for operations without
            // their own).
            Some("components") if segments.len() > 2 && segments[1] == "securitySchemes" => {
                let mut ops = secured_by(base, &segments[2]);
                ops.extend(secured_by(head, &segments[2]));
                ops.into_iter().collect()
            }
            Some("security") => {
                let mut ops = secured_by(base, "");
                ops.extend(secured_by(head, ""));
                ops.into_iter().collect()
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

/// The operations whose security requirements name `scheme` (their own, or
/// the document's when they have none); with an empty `scheme`, those that
/// follow the document's.
fn secured_by(spec: &Value, scheme: &str) -> BTreeSet<String> {
    let mut ops = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let own = op.get("security");
            let uses = match (scheme, own) {
                ("", own) => own.is_none(),
                (_, own) => own
                    .unwrap_or(&spec["security"])
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|alt| alt.get(scheme).is_some()),
            };
            if uses {
                ops.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    ops
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
                } else if !fields && k == "examples" {
                    // Named examples may refer to shared ones; their values
                    // are not walked.
                    let refs = child.as_object().into_iter().flatten();
                    out.extend(refs.filter_map(|(_, e)| e["$ref"].as_str().map(String::from)));
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
