//! The spec-level diff: every change between two OpenAPI documents, located by
//! a JSON pointer, with its wire verdict.
//!
//! It reads the documents as plain JSON values (not as typed OpenAPI) so that
//! every change keeps the exact pointer and the exact before/after values of
//! the text the reviewer edited. It decides the wire verdict only; the Rust
//! verdict comes from the generated code (`rust.rs`), and each change here
//! names the Rust items it can affect (`Target`) so that the two can be joined.
//!
//! Not for: resolving every OpenAPI construct. `oneOf`/`anyOf`, `not` and
//! discriminators are compared as whole values (a change in them is reported
//! as one `schema-changed`), which is coarse but never silent.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{Kind, Verdict};
pub use crate::pointer_lines::escape;

/// Which side of the HTTP exchange a schema is read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Direction {
    /// Sent by the caller (a request body or parameter): writers are affected.
    pub request: bool,
    /// Sent by the server (a response body or header): readers are affected.
    pub response: bool,
}

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
    differ.out
}

struct Differ<'a> {
    base: &'a Value,
    head: &'a Value,
    /// Where each component schema is used, in either spec.
    usage: BTreeMap<String, Direction>,
    out: Vec<SpecChange>,
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
        });
    }

    fn security(&mut self) {
        let (b, h) = (&self.base["security"], &self.head["security"]);
        if b != h {
            let wire = security_verdict(h, "the default security of every operation");
            self.push(
                None,
                Kind::AuthChanged,
                "/security".into(),
                some(b),
                some(h),
                wire,
                vec![],
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
            let wire = match (before, after) {
                (Some(_), None) => Verdict::safe(
                    "a security scheme is no longer defined; callers no longer need its credentials",
                ),
                (None, Some(_)) => Verdict::safe(
                    "a new security scheme is defined; it matters once an operation requires it",
                ),
                _ => Verdict::breaking(
                    "the security scheme changed (header, location or type): credentials sent as before are no longer accepted",
                ),
            };
            self.push(
                None,
                Kind::AuthChanged,
                format!("/components/securitySchemes/{}", escape(&name)),
                before,
                after,
                wire,
                vec![],
            );
        }
    }

    fn paths(&mut self) {
        let (base, head) = (&self.base["paths"], &self.head["paths"]);
        for (path, b, h) in keyed(base, head) {
            let at = format!("/paths/{}", escape(&path));
            match (b, h) {
                (Some(b), None) => {
                    let targets = operation_ids(b)
                        .into_iter()
                        .flat_map(operation_targets)
                        .collect();
                    self.push(
                        None,
                        Kind::PathRemoved,
                        at,
                        Some(b),
                        None,
                        Verdict::breaking(format!(
                            "{path} is removed: every call to it now fails (404 or 405)"
                        )),
                        targets,
                    );
                }
                (None, Some(h)) => {
                    let targets = operation_ids(h)
                        .into_iter()
                        .flat_map(operation_targets)
                        .collect();
                    self.push(
                        None,
                        Kind::PathAdded,
                        at,
                        None,
                        Some(h),
                        Verdict::safe(format!("{path} is new: no existing call is affected")),
                        targets,
                    );
                }
                (Some(b), Some(h)) => {
                    for method in METHODS {
                        let at = format!("{at}/{method}");
                        match (b.get(*method), h.get(*method)) {
                            (None, None) => {}
                            (Some(op), None) => {
                                let targets = op_id(op).map(operation_targets).unwrap_or_default();
                                self.push(
                                    None,
                                    Kind::OperationRemoved,
                                    at,
                                    Some(op),
                                    None,
                                    Verdict::breaking(format!(
                                        "{} {path} is removed: every call to it now fails",
                                        method.to_uppercase()
                                    )),
                                    targets,
                                );
                            }
                            (None, Some(op)) => {
                                let targets = op_id(op).map(operation_targets).unwrap_or_default();
                                self.push(
                                    None,
                                    Kind::OperationAdded,
                                    at,
                                    None,
                                    Some(op),
                                    Verdict::safe(format!(
                                        "{} {path} is new: no existing call is affected",
                                        method.to_uppercase()
                                    )),
                                    targets,
                                );
                            }
                            (Some(bo), Some(ho)) => self.operation(&at, bo, ho),
                        }
                    }
                }
                (None, None) => {}
            }
        }
    }

    fn operation(&mut self, at: &str, b: &Value, h: &Value) {
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
            );
        }
        if b["security"] != h["security"] {
            let wire = security_verdict(&h["security"], "this operation");
            self.push(
                None,
                Kind::AuthChanged,
                format!("{at}/security"),
                some(&b["security"]),
                some(&h["security"]),
                wire,
                vec![],
            );
        }
        self.parameters(at, b, h, &builder);
        self.request_body(at, &b["requestBody"], &h["requestBody"], &id);
        self.responses(at, &b["responses"], &h["responses"], &id);
    }

    fn parameters(&mut self, at: &str, b: &Value, h: &Value, builder: &[Target]) {
        let key = |p: &Value| {
            format!(
                "{}:{}",
                p["in"].as_str().unwrap_or(""),
                p["name"].as_str().unwrap_or("")
            )
        };
        // A parameter given by `$ref` is compared as the parameter it refers
        // to, read from its own spec, so that an edit of a shared parameter
        // shows at each operation that uses it.
        let list = |v: &Value, spec: &Value| -> Vec<(String, usize, Value)> {
            v["parameters"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .enumerate()
                        .map(|(i, p)| {
                            let p = p["$ref"]
                                .as_str()
                                .and_then(|r| resolve(spec, r))
                                .unwrap_or(p);
                            (key(p), i, p.clone())
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (bl, hl) = (list(b, self.base), list(h, self.head));
        for (k, i, p) in &bl {
            let at_b = format!("{at}/parameters/{i}");
            match hl.iter().find(|(hk, _, _)| hk == k) {
                None => self.push(
                    None,
                    Kind::ParameterRemoved,
                    at_b,
                    Some(p),
                    None,
                    Verdict::breaking(format!(
                        "the parameter {k} is removed: callers that send it are sending something the server no longer reads"
                    )),
                    builder.to_vec(),
                ),
                Some((_, j, hp)) => {
                    let at_h = format!("{at}/parameters/{j}");
                    let (br, hr) = (is_true(&p["required"]), is_true(&hp["required"]));
                    if br != hr {
                        let wire = if hr {
                            Verdict::breaking(format!(
                                "the parameter {k} becomes required: callers that omit it are rejected"
                            ))
                        } else {
                            Verdict::safe(format!("the parameter {k} becomes optional"))
                        };
                        self.push(
                            None,
                            Kind::RequiredChanged,
                            format!("{at_h}/required"),
                            Some(&Value::Bool(br)),
                            Some(&Value::Bool(hr)),
                            wire,
                            builder.to_vec(),
                        );
                    }
                    let ctx = Ctx {
                        direction: Direction {
                            request: true,
                            response: false,
                        },
                        type_name: None,
                        schema: None,
                        extra: builder.to_vec(),
                    };
                    self.schema(&ctx, &format!("{at_h}/schema"), &p["schema"], &hp["schema"]);
                }
            }
        }
        for (k, j, p) in &hl {
            if bl.iter().any(|(bk, _, _)| bk == k) {
                continue;
            }
            let wire = if is_true(&p["required"]) {
                Verdict::breaking(format!(
                    "the new parameter {k} is required: existing callers do not send it and are rejected"
                ))
            } else {
                Verdict::safe(format!(
                    "the new parameter {k} is optional: existing callers need not send it"
                ))
            };
            self.push(
                None,
                Kind::ParameterAdded,
                format!("{at}/parameters/{j}"),
                None,
                Some(p),
                wire,
                builder.to_vec(),
            );
        }
    }

    fn request_body(&mut self, at: &str, b: &Value, h: &Value, id: &str) {
        let at = format!("{at}/requestBody");
        let builder = vec![Target::OperationBuilder(normalize(id))];
        let request = Direction {
            request: true,
            response: false,
        };
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
                );
                return;
            }
            (true, false) => {
                let wire = if is_true(&h["required"]) {
                    Verdict::breaking(
                        "a required request body is added: callers that send none are rejected",
                    )
                } else {
                    Verdict::safe("an optional request body is added")
                };
                self.push(
                    None,
                    Kind::RequestBodyAdded,
                    at,
                    None,
                    Some(h),
                    wire,
                    builder,
                );
                return;
            }
            (false, false) => {}
        }
        let (br, hr) = (is_true(&b["required"]), is_true(&h["required"]));
        if br != hr {
            let wire = if hr {
                Verdict::breaking(
                    "the request body becomes required: callers that send none are rejected",
                )
            } else {
                Verdict::safe("the request body becomes optional")
            };
            self.push(
                None,
                Kind::RequiredChanged,
                format!("{at}/required"),
                Some(&Value::Bool(br)),
                Some(&Value::Bool(hr)),
                wire,
                builder.clone(),
            );
        }
        self.content(
            &at,
            &b["content"],
            &h["content"],
            request,
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
                    let ctx = Ctx {
                        direction,
                        type_name: Some(normalize(&format!("{id}{suffix}"))),
                        schema: None,
                        extra: builder.to_vec(),
                    };
                    self.schema(&ctx, &format!("{at}/schema"), &bm["schema"], &hm["schema"]);
                    self.examples(None, &at, bm, hm);
                }
                (bm, hm) => {
                    let wire = if direction.response {
                        Verdict::breaking(format!(
                            "the media type {media} is {}: readers that expect the documented body see another",
                            if hm.is_some() { "added" } else { "removed" }
                        ))
                    } else if hm.is_some() {
                        Verdict::safe(format!("the server now also accepts {media}"))
                    } else {
                        Verdict::breaking(format!(
                            "the server no longer accepts {media}: writers that send it are rejected"
                        ))
                    };
                    self.push(
                        None,
                        Kind::SchemaChanged,
                        at,
                        bm,
                        hm,
                        wire,
                        builder.to_vec(),
                    );
                }
            }
        }
    }

    fn responses(&mut self, at: &str, b: &Value, h: &Value, id: &str) {
        let builder = vec![Target::OperationBuilder(normalize(id))];
        let response = Direction {
            request: false,
            response: true,
        };
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
                ),
                (None, Some(hr)) => {
                    let wire = if success {
                        Verdict::breaking(format!(
                            "a new success status {status}: readers that accept only the documented statuses reject it"
                        ))
                    } else {
                        Verdict::safe(format!(
                            "a new error status {status} is documented; readers already handle undocumented errors generically"
                        ))
                    };
                    self.push(None, Kind::StatusAdded, at, None, Some(hr), wire, builder.clone());
                }
                (Some(br), Some(hr)) => {
                    let (br, hr) = (
                        resolve_response(self.base, self.head, br),
                        resolve_response(self.base, self.head, hr),
                    );
                    let suffix = if success { "Response" } else { "ErrorResponse" };
                    self.content(&at, &br["content"], &hr["content"], response, &builder, id, suffix);
                    self.headers(&at, &br["headers"], &hr["headers"], &builder);
                }
                (None, None) => {}
            }
        }
    }

    fn headers(&mut self, at: &str, b: &Value, h: &Value, builder: &[Target]) {
        for (name, bh, hh) in keyed(b, h) {
            if bh == hh {
                continue;
            }
            let at = format!("{at}/headers/{}", escape(&name));
            let (kind, wire) = match (bh, hh) {
                (Some(_), None) => (
                    Kind::FieldRemoved,
                    Verdict::breaking(format!(
                        "the response header {name} is no longer documented: readers that use it may not get it"
                    )),
                ),
                (None, Some(_)) => (
                    Kind::FieldAdded,
                    Verdict::safe(format!(
                        "a new response header {name}; readers may ignore it"
                    )),
                ),
                _ => (
                    Kind::SchemaChanged,
                    Verdict::breaking(format!(
                        "the response header {name} changed: readers that parse it as before may fail"
                    )),
                ),
            };
            self.push(None, kind, at, bh, hh, wire, builder.to_vec());
        }
    }

    /// Examples and headers defined once in `components` and used by `$ref`:
    /// an operation's own comparison sees the same `$ref` on both sides, so
    /// their changes are reported here, where they are made.
    fn shared_components(&mut self) {
        for (section, kind) in [
            ("examples", Kind::ExampleChanged),
            ("headers", Kind::SchemaChanged),
        ] {
            let (b, h) = (
                &self.base["components"][section],
                &self.head["components"][section],
            );
            for (name, before, after) in keyed(b, h) {
                if before.map(effective) == after.map(effective) {
                    continue;
                }
                let wire = match kind {
                    Kind::ExampleChanged => Verdict::safe(
                        "examples document the API; they are not part of the contract",
                    ),
                    _ if before.is_some() && after.is_some() => Verdict::breaking(format!(
                        "the shared header {name} changed: readers that parse it as before may fail"
                    )),
                    _ => Verdict::safe(format!(
                        "the shared header {name} is {}; its uses are reported where they change",
                        if after.is_some() {
                            "defined"
                        } else {
                            "no longer defined"
                        }
                    )),
                };
                self.push(
                    None,
                    kind,
                    format!("/components/{section}/{}", escape(&name)),
                    before,
                    after,
                    wire,
                    vec![],
                );
            }
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
                ),
                (Some(bs), Some(hs)) => {
                    let ctx = Ctx {
                        direction: self.usage.get(&name).copied().unwrap_or_default(),
                        type_name: Some(ty),
                        schema: Some(name.clone()),
                        extra: vec![],
                    };
                    self.schema(&ctx, &at, bs, hs);
                }
                (None, None) => {}
            }
        }
    }

    /// Compares two schemas at the same place.
    fn schema(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        if b == h {
            return;
        }
        let (b, h) = (&effective(b), &effective(h));
        if b == h {
            return;
        }
        let dir = ctx.direction;
        let type_targets = || {
            ctx.type_name
                .iter()
                .map(|t| Target::Type(t.clone()))
                .collect::<Vec<_>>()
        };
        if b["$ref"] != h["$ref"] || b.get("$ref").is_some() != h.get("$ref").is_some() {
            self.push(
                Some(ctx),
                Kind::TypeChanged,
                at.to_string(),
                some(b),
                some(h),
                directional(
                    dir,
                    "the schema is replaced by another: readers that decode the old shape may fail",
                    "the schema is replaced by another: writers that send the old shape may be rejected",
                    true,
                    true,
                ),
                type_targets(),
            );
            return;
        }
        if b["type"] != h["type"] {
            let widening = is_widening(b, h);
            self.push(
                Some(ctx),
                Kind::TypeChanged,
                format!("{at}/type"),
                some(&b["type"]),
                some(&h["type"]),
                type_change_verdict(dir, widening, "type"),
                type_targets(),
            );
        } else if b["format"] != h["format"] {
            let widening = is_widening(b, h);
            let narrowing = is_widening(h, b);
            let wire = if b["type"] == "string" && !widening && !narrowing {
                directional(
                    dir,
                    "the value is still a JSON string; readers that keep it as text are unaffected, readers that parse the old format may fail",
                    "writers that send strings of the old format are rejected by a server that checks the new one",
                    false,
                    true,
                )
            } else {
                type_change_verdict(dir, widening, "format")
            };
            self.push(
                Some(ctx),
                Kind::FormatChanged,
                format!("{at}/format"),
                some(&b["format"]),
                some(&h["format"]),
                wire,
                type_targets(),
            );
        }
        if is_true(&b["nullable"]) != is_true(&h["nullable"]) {
            let now = is_true(&h["nullable"]);
            self.push(
                Some(ctx),
                Kind::NullableChanged,
                format!("{at}/nullable"),
                Some(&Value::Bool(!now)),
                Some(&Value::Bool(now)),
                directional(
                    dir,
                    "readers can now receive null where they could not",
                    "writers that send null are now rejected",
                    now,
                    !now,
                ),
                type_targets(),
            );
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
        for key in ["oneOf", "anyOf", "not", "discriminator"] {
            if b[key] != h[key] {
                self.push(
                    Some(ctx),
                    Kind::SchemaChanged,
                    format!("{at}/{key}"),
                    some(&b[key]),
                    some(&h[key]),
                    directional(
                        dir,
                        &format!("the {key} alternatives changed: readers may meet a shape they do not decode"),
                        &format!("the {key} alternatives changed: writers may send a shape no longer accepted"),
                        true,
                        true,
                    ),
                    type_targets(),
                );
            }
        }
        self.examples(Some(ctx), at, b, h);
    }

    fn enum_values(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value, key: &str) {
        let values = |v: &Value| -> Vec<Value> { v[key].as_array().cloned().unwrap_or_default() };
        let (bv, hv) = (values(b), values(h));
        if bv == hv {
            return;
        }
        let open = key == "x-extensible-enum";
        let dir = ctx.direction;
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
            );
        }
    }

    fn additional_properties(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        let closed = |v: &Value| v["additionalProperties"] == Value::Bool(false);
        if closed(b) == closed(h) {
            return;
        }
        let now_closed = closed(h);
        let wire = directional(
            ctx.direction,
            "the response object's additional properties changed: strict readers may meet fields they did not expect",
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
            format!("{at}/additionalProperties"),
            some(&b["additionalProperties"]),
            some(&h["additionalProperties"]),
            wire,
            ctx.type_name
                .iter()
                .map(|t| Target::Attributes(t.clone()))
                .collect(),
        );
    }

    fn properties(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
        let empty = Map::new();
        let bp = b["properties"].as_object().unwrap_or(&empty);
        let hp = h["properties"].as_object().unwrap_or(&empty);
        let required = |v: &Value| -> BTreeSet<String> {
            v["required"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (breq, hreq) = (required(b), required(h));
        let closed_request = h["additionalProperties"] == Value::Bool(false);
        let closed_response = h["additionalProperties"] == Value::Bool(false);
        let field = |name: &str| -> Vec<Target> {
            ctx.type_name
                .iter()
                .map(|t| Target::Field(t.clone(), name.to_string()))
                .collect()
        };
        let mut removed: Vec<&String> = bp.keys().filter(|k| !hp.contains_key(*k)).collect();
        let mut added: Vec<&String> = hp.keys().filter(|k| !bp.contains_key(*k)).collect();

        // A property removed and another added with the same schema and the
        // same required-ness is a rename: reported once, as what it is.
        let mut renames = Vec::new();
        for old in removed.clone() {
            let candidates: Vec<&String> = added
                .iter()
                .copied()
                .filter(|new| {
                    effective(&bp[old.as_str()]) == effective(&hp[new.as_str()])
                        && breq.contains(old) == hreq.contains(*new)
                })
                .collect();
            if let [new] = candidates.as_slice() {
                renames.push((old, *new));
                added.retain(|a| a != new);
                removed.retain(|r| *r != old);
            }
        }
        for (old, new) in renames {
            let mut targets = field(old);
            targets.extend(field(new));
            self.push(
                Some(ctx),
                Kind::FieldRenamed,
                format!("{at}/properties/{}", escape(new)),
                Some(&Value::String(old.clone())),
                Some(&Value::String(new.clone())),
                directional(
                    ctx.direction,
                    &format!("`{old}` is now sent as `{new}`: readers looking for `{old}` no longer find it"),
                    &format!("the server now reads `{new}`, not `{old}`: writers that send `{old}` are ignored or rejected"),
                    true,
                    true,
                ),
                targets,
            );
        }
        for name in removed {
            let wire = directional(
                ctx.direction,
                &format!("`{name}` is no longer sent: readers that use it lose it"),
                &if closed_request {
                    format!(
                        "the request object is closed (additionalProperties: false): writers that still send `{name}` are rejected"
                    )
                } else {
                    format!("writers that still send `{name}` send what the server ignores")
                },
                true,
                closed_request,
            );
            self.push(
                Some(ctx),
                Kind::FieldRemoved,
                format!("{at}/properties/{}", escape(name)),
                Some(&bp[name]),
                None,
                wire,
                field(name),
            );
        }
        for name in added {
            let req = hreq.contains(name);
            let wire = directional(
                ctx.direction,
                &if closed_response {
                    format!(
                        "the response object is closed (additionalProperties: false): strict readers reject the new `{name}`"
                    )
                } else {
                    format!(
                        "responses are open (no additionalProperties: false): readers already ignore unknown fields such as `{name}`"
                    )
                },
                &if req {
                    format!(
                        "the new `{name}` is required: writers that do not send it are rejected"
                    )
                } else {
                    format!("the new `{name}` is optional: existing writers need not send it")
                },
                closed_response,
                req,
            );
            let mut targets = field(name);
            if req {
                targets.extend(ctx.type_name.iter().map(|t| Target::Attributes(t.clone())));
            }
            self.push(
                Some(ctx),
                Kind::FieldAdded,
                format!("{at}/properties/{}", escape(name)),
                None,
                Some(&hp[name]),
                wire,
                targets,
            );
        }
        for (name, bs) in bp {
            let Some(hs) = hp.get(name) else { continue };
            let (br, hr) = (breq.contains(name), hreq.contains(name));
            let prop_at = format!("{at}/properties/{}", escape(name));
            if br != hr {
                self.push(
                    Some(ctx),
                    Kind::RequiredChanged,
                    format!("{prop_at}/required"),
                    Some(&Value::Bool(br)),
                    Some(&Value::Bool(hr)),
                    directional(
                        ctx.direction,
                        &format!(
                            "`{name}` may now be absent: readers that rely on it may not get it"
                        ),
                        &format!("`{name}` becomes required: writers that omit it are rejected"),
                        !hr,
                        hr,
                    ),
                    {
                        let mut targets = field(name);
                        targets.extend(ctx.type_name.iter().map(|t| Target::Attributes(t.clone())));
                        targets
                    },
                );
            }
            let inner = Ctx {
                // An inline object or enum is a type of its own named after
                // its parent and property; a change of the property's own
                // type is a change of the field.
                type_name: ctx
                    .type_name
                    .as_ref()
                    .map(|t| format!("{t}{}", normalize(name))),
                extra: {
                    let mut e = ctx.extra.clone();
                    e.extend(field(name));
                    e
                },
                ..ctx.clone()
            };
            self.schema(&inner, &prop_at, bs, hs);
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
                );
            }
        }
    }
}

/// A response, or the component response it refers to (from the head spec,
/// or the base spec when the head no longer has it).
fn resolve_response<'v>(base: &'v Value, head: &'v Value, r: &'v Value) -> &'v Value {
    match r["$ref"]
        .as_str()
        .and_then(|s| s.strip_prefix("#/components/responses/"))
    {
        Some(name) => {
            let in_head = &head["components"]["responses"][name];
            if in_head.is_null() {
                &base["components"]["responses"][name]
            } else {
                in_head
            }
        }
        None => r,
    }
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

fn security_verdict(h: &Value, what: &str) -> Verdict {
    let empty = |v: &Value| v.is_null() || v.as_array().is_some_and(Vec::is_empty);
    if empty(h) {
        Verdict::safe(format!("{what} no longer requires credentials"))
    } else {
        Verdict::breaking(format!(
            "the security requirements of {what} changed: callers with the credentials of before may be refused (401)"
        ))
    }
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
                if let Some(params) = op["parameters"].as_array() {
                    requests.extend(params.iter());
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
