//! Schemas compared field by field: the type, the limits, the values, then
//! what a schema is made of (properties, items, map values, `allOf` members,
//! `oneOf`/`anyOf` alternatives), each change at its own pointer and judged by
//! the side the schema is read on; a changed `$ref` compared by shape.
//!
//! Not for: where a schema sits in an operation (parameters, bodies,
//! responses, headers), which `spec.rs` walks before handing each schema here.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{
    Ctx, Differ, SpecChange, Subject, Target, deref, directional, effective, escape, is_true,
    is_widening, known, normalize, sides, some, type_change_verdict,
};
use crate::api_diff::{Kind, Verdict};

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
    /// Compares two schemas at the same place: the schema itself (type,
    /// constraints, values), then what it is made of (properties, items,
    /// members), each at its own pointer.
    pub(super) fn schema(&mut self, ctx: &Ctx, at: &str, b: &Value, h: &Value) {
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
            self.deprecation(Some(ctx), at, (b, h), rules, vec![]);
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

    #[allow(
        clippy::too_many_arguments,
        reason = "the comparison of one schema pair needs both sides, the side, and where it stands"
    )]
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
    pub(super) fn deprecation(
        &mut self,
        ctx: Option<&Ctx>,
        at: &str,
        (b, h): (&Value, &Value),
        [deprecated, reactivated]: [&str; 2],
        targets: Vec<Target>,
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
            targets,
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
            // `true` and no keyword both allow any value.
            (false, false) => {}
            // A schema for the values where any value was allowed is a limit
            // added; the reverse, one removed.
            (before_is_schema, _) => {
                let tighter = !before_is_schema;
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

/// Pairs the members of two `allOf`/`oneOf`/`anyOf` lists: the same `$ref`,
/// then the same value, then references of the same shape (a renamed
/// component), then inline members in order. Returns the pairs and the
/// indexes left over in the base (removed) and in the head (added).
#[allow(
    clippy::type_complexity,
    reason = "a private helper's tuple, named where it is used"
)]
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
