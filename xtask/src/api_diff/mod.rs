//! `cargo xtask api-diff`: what a spec change does to callers of the HTTP API
//! (the wire verdict) and to downstream Rust code compiled against the
//! generated crate (the Rust verdict), and so which semver bump it needs.
//!
//! The spec-level diff (`spec`) finds every change with its JSON pointer and
//! decides the wire verdict from OpenAPI semantics; the Rust-level diff
//! (`rust`) compares the public items of the code `codegen` generates for each
//! spec, and each spec change takes its Rust verdict from the Rust changes it
//! causes. A Rust change that no spec change explains is reported on its own,
//! so nothing the generated code does is left out.
//!
//! Not for: judging the hand-written layer in `src/`, or changes of wording
//! (descriptions and titles are ignored; examples are reported as harmless).
//! The JSON output is documented in `xtask/API-DIFF.md`.

mod render;
pub mod rules;
pub mod rust;
pub mod slice;
pub mod spec;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::{Failure, codegen, project_path, workspace_root};

pub use render::{Format, render};
use rust::{Effect, RustChange};
use spec::{SpecChange, Target};

/// The version of the JSON output's structure; bumped on any change to it.
pub const JSON_VERSION: u32 = 1;

/// The kind of a change; its `as_str` is the `kind` of the JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    PathAdded,
    PathRemoved,
    OperationAdded,
    OperationRemoved,
    OperationIdChanged,
    /// An operation's tags: its product, which decides the cargo feature of
    /// its method (`codegen::features`).
    TagsChanged,
    /// An operation's `x-pagination`: whether, and how, its builder streams
    /// its pages (`codegen/pages.rs`).
    PaginationChanged,
    ParameterAdded,
    ParameterRemoved,
    ParameterRenamed,
    RequestBodyAdded,
    RequestBodyRemoved,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    TypeChanged,
    FormatChanged,
    RequiredChanged,
    NullableChanged,
    ConstraintChanged,
    DefaultChanged,
    AccessChanged,
    DeprecationChanged,
    BecameEnum,
    EnumRemoved,
    EnumValueAdded,
    EnumValueRemoved,
    AdditionalPropertiesChanged,
    MemberAdded,
    MemberRemoved,
    RefChanged,
    MediaTypeAdded,
    MediaTypeRemoved,
    HeaderAdded,
    HeaderRemoved,
    SchemaChanged,
    SchemaAdded,
    SchemaRemoved,
    StatusAdded,
    StatusRemoved,
    AuthChanged,
    ExampleChanged,
    /// A change of the generated public API that no spec change explains.
    GeneratedCodeChanged,
}

impl Kind {
    /// Every kind, in the order `xtask/API-DIFF.md` lists them.
    pub const ALL: &[Kind] = &[
        Kind::PathAdded,
        Kind::PathRemoved,
        Kind::OperationAdded,
        Kind::OperationRemoved,
        Kind::OperationIdChanged,
        Kind::TagsChanged,
        Kind::PaginationChanged,
        Kind::ParameterAdded,
        Kind::ParameterRemoved,
        Kind::ParameterRenamed,
        Kind::RequestBodyAdded,
        Kind::RequestBodyRemoved,
        Kind::FieldAdded,
        Kind::FieldRemoved,
        Kind::FieldRenamed,
        Kind::TypeChanged,
        Kind::FormatChanged,
        Kind::RequiredChanged,
        Kind::NullableChanged,
        Kind::ConstraintChanged,
        Kind::DefaultChanged,
        Kind::AccessChanged,
        Kind::DeprecationChanged,
        Kind::BecameEnum,
        Kind::EnumRemoved,
        Kind::EnumValueAdded,
        Kind::EnumValueRemoved,
        Kind::AdditionalPropertiesChanged,
        Kind::MemberAdded,
        Kind::MemberRemoved,
        Kind::RefChanged,
        Kind::MediaTypeAdded,
        Kind::MediaTypeRemoved,
        Kind::HeaderAdded,
        Kind::HeaderRemoved,
        Kind::SchemaChanged,
        Kind::SchemaAdded,
        Kind::SchemaRemoved,
        Kind::StatusAdded,
        Kind::StatusRemoved,
        Kind::AuthChanged,
        Kind::ExampleChanged,
        Kind::GeneratedCodeChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::PathAdded => "path-added",
            Kind::PathRemoved => "path-removed",
            Kind::OperationAdded => "operation-added",
            Kind::OperationRemoved => "operation-removed",
            Kind::OperationIdChanged => "operation-id-changed",
            Kind::TagsChanged => "tags-changed",
            Kind::PaginationChanged => "pagination-changed",
            Kind::ParameterAdded => "parameter-added",
            Kind::ParameterRemoved => "parameter-removed",
            Kind::ParameterRenamed => "parameter-renamed",
            Kind::RequestBodyAdded => "request-body-added",
            Kind::RequestBodyRemoved => "request-body-removed",
            Kind::FieldAdded => "field-added",
            Kind::FieldRemoved => "field-removed",
            Kind::FieldRenamed => "field-renamed",
            Kind::TypeChanged => "type-changed",
            Kind::FormatChanged => "format-changed",
            Kind::RequiredChanged => "required-changed",
            Kind::NullableChanged => "nullable-changed",
            Kind::ConstraintChanged => "constraint-changed",
            Kind::DefaultChanged => "default-changed",
            Kind::AccessChanged => "read-write-changed",
            Kind::DeprecationChanged => "deprecation-changed",
            Kind::BecameEnum => "became-enum",
            Kind::EnumRemoved => "enum-removed",
            Kind::EnumValueAdded => "enum-value-added",
            Kind::EnumValueRemoved => "enum-value-removed",
            Kind::AdditionalPropertiesChanged => "additional-properties-changed",
            Kind::MemberAdded => "member-added",
            Kind::MemberRemoved => "member-removed",
            Kind::RefChanged => "ref-changed",
            Kind::MediaTypeAdded => "media-type-added",
            Kind::MediaTypeRemoved => "media-type-removed",
            Kind::HeaderAdded => "header-added",
            Kind::HeaderRemoved => "header-removed",
            Kind::SchemaChanged => "schema-changed",
            Kind::SchemaAdded => "schema-added",
            Kind::SchemaRemoved => "schema-removed",
            Kind::StatusAdded => "status-added",
            Kind::StatusRemoved => "status-removed",
            Kind::AuthChanged => "auth-changed",
            Kind::ExampleChanged => "example-changed",
            Kind::GeneratedCodeChanged => "generated-code-changed",
        }
    }
}

/// Breaking or not, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub breaking: bool,
    pub reason: String,
}

impl Verdict {
    pub fn breaking(reason: impl Into<String>) -> Verdict {
        Verdict {
            breaking: true,
            reason: reason.into(),
        }
    }

    pub fn safe(reason: impl Into<String>) -> Verdict {
        Verdict {
            breaking: false,
            reason: reason.into(),
        }
    }
}

/// The semver bump the crate needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// One reported change with both verdicts.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: Kind,
    /// A JSON pointer into the head spec, or into the base spec for what was
    /// removed; empty for a generated-code change no spec place explains.
    pub pointer: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub wire: Verdict,
    pub rust: Verdict,
    /// The Rust changes this change causes.
    pub rust_changes: Vec<RustChange>,
    /// The semver effect of the Rust changes.
    pub effect: Effect,
    /// `file:line` of the pointer, when the pointer can be found in the
    /// text (not in flow style; the nearest enclosing key's line otherwise).
    pub location: Option<String>,
    /// The oasdiff rule ids the change answers (`rules::RULES`).
    pub rules: Vec<String>,
    /// The operations it affects (`POST /things`).
    pub operations: Vec<String>,
    /// False when the generator could not generate a spec: the Rust verdict
    /// is unknown, and `rust.reason` says why.
    pub rust_known: bool,
}

/// The whole comparison.
#[derive(Debug)]
pub struct Report {
    pub base: String,
    pub head: String,
    pub changes: Vec<Change>,
    pub bump: Bump,
    /// The public signature lines of the generated code, base and head.
    pub base_signatures: Vec<String>,
    pub head_signatures: Vec<String>,
    /// Why the Rust verdicts are unknown (the generator's error), if they are.
    /// The bump is then the least the wire verdicts call for.
    pub rust_unknown: Option<String>,
}

impl Report {
    pub fn wire_breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.wire.breaking).count()
    }

    pub fn rust_breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.rust.breaking).count()
    }
}

/// A spec to compare: its text and the name errors give it.
pub struct Source {
    pub name: PathBuf,
    pub text: String,
}

/// A spec parsed once, for both diffs.
pub struct Parsed {
    name: PathBuf,
    text: String,
    value: Value,
    /// What uses each component schema in the whole spec: what a slice
    /// cannot show.
    reach: Reach,
}

impl Source {
    /// Parses the spec; an error names the file and the line.
    pub fn parse(self) -> Result<Parsed, Failure> {
        let value: Value = match serde_yaml_ng::from_str(&self.text) {
            Ok(v) => v,
            Err(e) => return Err(Failure::Input(located(&self, e.to_string()))),
        };
        if !value.is_object() {
            return Err(Failure::Input(located(
                &self,
                "not an OpenAPI document".into(),
            )));
        }
        Ok(Parsed {
            name: self.name,
            text: self.text,
            reach: product_reach(&value),
            value,
        })
    }
}

/// The best located message for a spec that does not parse: codegen's own,
/// which names the line, or the YAML error's.
fn located(source: &Source, fallback: String) -> String {
    match codegen::parse(&source.name, &source.text) {
        Err(e) => e.to_string(),
        Ok(_) => format!("{}: {fallback}", source.name.display()),
    }
}

impl Parsed {
    /// The generated public API of `spec`, a slice of this spec (or all of
    /// it). When generation fails, the whole text is parsed again to give the
    /// error codegen's location.
    fn model(&self, spec: Value) -> Result<rust::Model, Failure> {
        let generated = serde_json::from_value::<openapiv3::OpenAPI>(spec)
            .map_err(|e| e.to_string())
            .and_then(|spec| codegen::check(&spec).map(|()| spec).map_err(|(_, m)| m))
            .and_then(|spec| {
                let pages = codegen::pages::marks(&spec)
                    .map_err(|(pointer, message)| format!("{pointer}: {message}"))?;
                codegen::generate_tokens(&spec).map(|t| {
                    let facts = codegen::Facts::of(&spec);
                    let products = facts.products_by_operation();
                    (
                        t,
                        codegen::deprecations(&spec),
                        products,
                        facts.webhooks.type_names(),
                        pages,
                    )
                })
            });
        let (tokens, deprecations, products, webhook_types, pages) = match generated {
            Ok(tokens) => tokens,
            Err(message) => {
                // The whole text, parsed and checked again, locates a
                // problem of the slice (the crate's own rules of products
                // do not apply: api-diff reads any spec).
                let located = match codegen::parse(&self.name, &self.text) {
                    Err(e) => e.to_string(),
                    Ok(spec) => match codegen::check(&spec) {
                        Err((pointer, m)) => {
                            codegen::error_at(&self.name, &self.text, &pointer, m).to_string()
                        }
                        Ok(()) => format!("{}: {message}", self.name.display()),
                    },
                };
                return Err(Failure::Input(located));
            }
        };
        // The tokens are the items `codegen::generate` formats into the file
        // the crate compiles; reading them directly skips formatting and
        // re-lexing, most of the time on a large spec.
        // The webhook types need the `webhooks` feature, as
        // `rewrite::products` gates them (D-W1).
        let reach = |name: &str| {
            let mut products = self
                .reach
                .products
                .get(&spec::normalize(name))
                .cloned()
                .unwrap_or_default();
            if webhook_types.contains(name) {
                products.insert(codegen::WEBHOOKS_FEATURE.to_string());
            }
            codegen::features::Beyond {
                products,
                present: self.reach.present.contains(&spec::normalize(name)),
            }
        };
        let mut model = rust::Model::from_tokens(tokens, &products, &reach, &pages)
            .map_err(|m| Failure::Input(format!("{}: {m}", self.name.display())))?;
        model.mark_deprecated(&deprecations);
        Ok(model)
    }
}

/// What uses each component schema of a whole spec, by its normalized name
/// (as `codegen::features` gates types): what a slice of the spec, which
/// leaves some operations and schemas out, cannot show of its types.
#[derive(Debug, Default)]
struct Reach {
    /// The products whose operations use each schema.
    products: BTreeMap<String, BTreeSet<String>>,
    /// The schemas that an always present schema refers to, directly or
    /// through others: a schema no operation with a product uses, or one of
    /// `codegen::ALWAYS_PRESENT`. Their types are always present in the
    /// whole spec's code, whatever operations use them; a slice without the
    /// schema that refers to them would gate them by product.
    present: BTreeSet<String>,
}

/// The [`Reach`] of the component schemas of `spec`: an operation with one
/// tag that the spec lists in `tags` uses the schemas its parameters, JSON
/// request body and JSON responses reach.
fn product_reach<'a>(spec: &'a Value) -> Reach {
    let products: BTreeSet<&str> = spec["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str())
        .collect();
    /// The component a `$ref` names in `section`, or the value itself.
    fn resolved<'a>(spec: &'a Value, section: &str, value: &'a Value) -> &'a Value {
        let prefix = format!("#/components/{section}/");
        match value["$ref"].as_str().and_then(|r| r.strip_prefix(&prefix)) {
            Some(name) => {
                &spec["components"][section][crate::pointer_lines::unescape(name).as_str()]
            }
            None => value,
        }
    }
    let component = |section: &str, value: &'a Value| resolved(spec, section, value);
    let schemas = |name: &str| spec["components"]["schemas"].get(name);
    let mut reach: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut used_by_products: BTreeSet<String> = BTreeSet::new();
    for item in spec["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if !slice::METHODS.contains(&method.as_str()) {
                continue;
            }
            let product = match operation["tags"].as_array().map(Vec::as_slice) {
                Some([tag]) => match tag.as_str() {
                    Some(tag) if products.contains(tag) => tag,
                    _ => continue,
                },
                _ => continue,
            };
            let mut used = Vec::new();
            for parameter in item["parameters"]
                .as_array()
                .into_iter()
                .chain(operation["parameters"].as_array())
                .flatten()
            {
                used.push(&component("parameters", parameter)["schema"]);
            }
            let body = component("requestBodies", &operation["requestBody"]);
            used.push(&body["content"]["application/json"]["schema"]);
            for response in operation["responses"]
                .as_object()
                .into_iter()
                .flat_map(|r| r.values())
            {
                let response = component("responses", response);
                used.push(&response["content"]["application/json"]["schema"]);
            }
            let mut reached = BTreeSet::new();
            for value in used {
                crate::reach_schemas(value, &schemas, &mut reached);
            }
            for name in reached {
                reach
                    .entry(spec::normalize(&name))
                    .or_default()
                    .insert(product.to_string());
                used_by_products.insert(name);
            }
        }
    }
    // A schema no operation uses is always present, and so is everything it
    // refers to; a schema replaced by a hand-written type generates nothing
    // that could refer to anything. The schema itself is not marked: a slice
    // holding it works it out from what it generates (an operation's inline
    // body may take its name, and its type, see `slice`).
    let replaced = |name: &str| codegen::REPLACEMENTS.iter().any(|(r, _)| *r == name);
    let mut present = BTreeSet::new();
    for (name, schema) in spec["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let seed = codegen::ALWAYS_PRESENT.contains(&name.as_str())
            || (!used_by_products.contains(name) && !replaced(name));
        if !seed {
            continue;
        }
        let mut referred = BTreeSet::new();
        crate::reach_schemas(schema, &schemas, &mut referred);
        referred.remove(name);
        present.extend(referred.iter().map(|r| spec::normalize(r)));
    }
    Reach {
        products: reach,
        present,
    }
}

/// Compares two specs: the spec-level diff, the Rust-level diff of their
/// generated code, and the join of the two.
///
/// Only the slices of the specs that a change can touch are generated
/// (`slice`), which gives the same Rust diff as generating both specs whole.
pub fn compare(base: Source, head: Source) -> Result<Report, Failure> {
    // Each spec is parsed and indexed on a thread of its own.
    let ((base, base_index), (head, head_index)) = both(base, head, |source| {
        let parsed = source.parse()?;
        let index = slice::Index::new(&parsed.value);
        Ok((parsed, index))
    })?;
    let (bs, hs) = (
        slice::Side {
            spec: &base.value,
            index: &base_index,
        },
        slice::Side {
            spec: &head.value,
            index: &head_index,
        },
    );
    // The spec-level diff runs on a thread of its own while the slices are
    // cut and generated.
    let (spec_changes, models) = std::thread::scope(|s| {
        let spec_changes = s.spawn(|| spec::diff(&base.value, &head.value));
        let models = rust_models(&base, &head, bs, hs);
        let spec_changes = spec_changes.join();
        (spec_changes, models)
    });
    let spec_changes =
        spec_changes.map_err(|_| Failure::Input("a thread of api-diff panicked".into()))?;
    // A spec the generator cannot generate still gets its whole wire report;
    // only the Rust verdicts are unknown, with the generator's reason.
    let (rust_changes, signatures, rust_unknown) = match models {
        Ok((bm, hm)) => (
            rust::diff(&bm, &hm),
            (bm.signature_lines(), hm.signature_lines()),
            None,
        ),
        Err(Failure::Input(reason) | Failure::Run(reason)) => {
            (Vec::new(), Default::default(), Some(reason))
        }
        Err(Failure::Findings) => (Vec::new(), Default::default(), Some(String::new())),
    };
    let mut changes = join(spec_changes, rust_changes, &head.value, &base.value);
    if let Some(reason) = &rust_unknown {
        for c in &mut changes {
            c.rust_known = false;
            c.rust = Verdict::safe(format!(
                "unknown, since the generator cannot generate the code to compare: {reason}"
            ));
        }
    }
    locate(&mut changes, &base, &head);
    let bump = bump(&changes);
    let report = Report {
        base: base.name.display().to_string(),
        head: head.name.display().to_string(),
        changes,
        bump,
        base_signatures: signatures.0,
        head_signatures: signatures.1,
        rust_unknown,
    };
    // Freeing two large parsed specs takes tens of milliseconds that nobody
    // waits for: it happens on a thread of its own.
    std::thread::spawn(move || drop((base, head, base_index, head_index)));
    Ok(report)
}

/// The Rust models of the slices of both specs that a change can touch: the
/// slices are generated (each on a thread), and grown while a unit outside
/// them can take a name they generate (see `slice`).
fn rust_models(
    base: &Parsed,
    head: &Parsed,
    bs: slice::Side<'_>,
    hs: slice::Side<'_>,
) -> Result<(rust::Model, rust::Model), Failure> {
    let mut slice = slice::Slice::new(bs, hs);
    loop {
        let cuts = (slice.cut(bs), slice.cut(hs));
        let (bm, hm) = std::thread::scope(|s| {
            let b = s.spawn(|| base.model(cuts.0));
            let h = head.model(cuts.1);
            let b = b
                .join()
                .unwrap_or_else(|_| Err(Failure::Input("a thread of api-diff panicked".into())));
            (b, h)
        });
        let (bm, hm) = (bm?, hm?);
        if slice.whole || !slice.entangle(bs, hs, bm.type_names().chain(hm.type_names())) {
            return Ok((bm, hm));
        }
    }
}

/// The Rust-level diff of two specs generated whole, without slicing: the
/// reference [`compare`]'s slicing is tested against.
pub fn rust_changes_whole(base: Source, head: Source) -> Result<Vec<RustChange>, Failure> {
    let (base, head) = both(base, head, whole_model)?;
    Ok(rust::diff(&base, &head))
}

/// The public API of the code generated for a whole spec.
pub fn whole_model(source: Source) -> Result<rust::Model, Failure> {
    let parsed = source.parse()?;
    parsed.model(parsed.value.clone())
}

/// The spec-level diff alone: every change with its wire verdict, without
/// generating code (so without Rust verdicts). Benchmarked on its own.
pub fn spec_changes(base: Source, head: Source) -> Result<Vec<SpecChange>, Failure> {
    let (base, head) = both(base, head, Source::parse)?;
    Ok(spec::diff(&base.value, &head.value))
}

/// Runs `f` on both sources in parallel; the base's error comes first.
fn both<T: Send>(
    base: Source,
    head: Source,
    f: impl Fn(Source) -> Result<T, Failure> + Sync,
) -> Result<(T, T), Failure> {
    let (b, h) = std::thread::scope(|s| {
        let b = s.spawn(|| f(base));
        let h = f(head);
        let b = b
            .join()
            .unwrap_or_else(|_| Err(Failure::Input("a thread of api-diff panicked".into())));
        (b, h)
    });
    Ok((b?, h?))
}

/// Whether a spec change's target covers a Rust change's target.
fn covers(spec: &Target, rust: &Target) -> bool {
    match (spec, rust) {
        (
            Target::Type(t),
            Target::Type(r) | Target::Attributes(r) | Target::Field(r, _) | Target::Variant(r, _),
        ) => t == r,
        (Target::Variant(t, v), Target::Variant(r, w)) => v == w && r.starts_with(t.as_str()),
        (a, b) => a == b,
    }
}

fn join(
    spec_changes: Vec<SpecChange>,
    rust_changes: Vec<RustChange>,
    head: &Value,
    base: &Value,
) -> Vec<Change> {
    let mut claimed = vec![false; rust_changes.len()];
    let mut out = Vec::new();
    for sc in spec_changes {
        let mut attached = Vec::new();
        for (i, rc) in rust_changes.iter().enumerate() {
            if sc.targets.iter().any(|t| covers(t, &rc.target)) {
                claimed[i] = true;
                attached.push(rc.clone());
            }
        }
        let (effect, rust) = rust_verdict(&attached, sc.schema.as_deref());
        out.push(Change {
            kind: sc.kind,
            pointer: sc.pointer,
            before: sc.before,
            after: sc.after,
            wire: sc.wire,
            rust,
            rust_changes: attached,
            effect,
            location: None,
            rules: sc.rules,
            operations: sc.operations,
            rust_known: true,
        });
    }
    for (rc, _) in rust_changes.into_iter().zip(claimed).filter(|(_, c)| !c) {
        let pointer = schema_pointer(&rc.target, head)
            .or_else(|| schema_pointer(&rc.target, base))
            .unwrap_or_default();
        let attached = vec![rc];
        let (effect, rust) = rust_verdict(&attached, None);
        out.push(Change {
            kind: Kind::GeneratedCodeChanged,
            pointer,
            before: attached[0].before.clone().map(Value::String),
            after: attached[0].after.clone().map(Value::String),
            wire: Verdict::safe(
                "no wire change of its own: it follows from how the generator names or shapes the changes above",
            ),
            rust,
            rust_changes: attached,
            effect,
            location: None,
            rules: Vec::new(),
            operations: Vec::new(),
            rust_known: true,
        });
    }
    out
}

/// The pointer of the component schema a Rust item comes from, if any.
fn schema_pointer(target: &Target, spec: &Value) -> Option<String> {
    let name = match target {
        Target::Type(t) | Target::Attributes(t) | Target::Field(t, _) | Target::Variant(t, _) => t,
        _ => return None,
    };
    spec["components"]["schemas"]
        .as_object()?
        .keys()
        .find(|k| spec::normalize(k) == *name)
        .map(|k| format!("/components/schemas/{}", spec::escape(k)))
}

fn rust_verdict(attached: &[RustChange], schema: Option<&str>) -> (Effect, Verdict) {
    let effect = attached
        .iter()
        .map(|r| r.effect)
        .max()
        .unwrap_or(Effect::Neutral);
    if attached.is_empty() {
        let replaced =
            schema.and_then(|s| codegen::REPLACEMENTS.iter().find(|(name, _)| *name == s));
        let reason = match replaced {
            Some((name, rust)) => format!(
                "{name} is replaced by the hand-written `{rust}` (codegen::REPLACEMENTS): the generated code does not change"
            ),
            None => "the generated public API does not change".to_string(),
        };
        return (effect, Verdict::safe(reason));
    }
    let reason = attached
        .iter()
        .map(|r| r.reason.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    (
        effect,
        Verdict {
            breaking: effect == Effect::Breaking,
            reason,
        },
    )
}

/// The bump the crate needs: major when downstream code can stop compiling
/// (strict Rust semver, as cargo-semver-checks reads it); minor when the API
/// grows, or when a wire-breaking change alters what the client does at run
/// time though every downstream program still compiles; patch for any other
/// change; none when nothing changed. `xtask/API-DIFF.md` says why.
fn bump(changes: &[Change]) -> Bump {
    changes
        .iter()
        .map(|c| match c.effect {
            Effect::Breaking => Bump::Major,
            Effect::Additive => Bump::Minor,
            Effect::Neutral if c.wire.breaking => Bump::Minor,
            Effect::Neutral => Bump::Patch,
        })
        .max()
        .unwrap_or(Bump::None)
}

/// What makes the command exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Any change breaking on the wire or in Rust.
    Breaking,
    /// Any change at all.
    Any,
}

/// Where the base spec comes from.
pub enum BaseSpec {
    /// `git show REV:openapi/cryptomate.yaml`.
    Rev(String),
    /// A file.
    File(PathBuf),
    /// The merge base of `HEAD` with `main`.
    MergeBase,
}

/// The command: reads the inputs, compares, prints, and applies `--fail-on`.
pub fn run(
    base: BaseSpec,
    head: Option<PathBuf>,
    format: Format,
    fail_on: Option<FailOn>,
) -> Result<(), Failure> {
    let base = match base {
        BaseSpec::File(path) => read_file(path)?,
        BaseSpec::Rev(rev) => from_git(&rev)?,
        BaseSpec::MergeBase => {
            let rev = git(&["merge-base", "HEAD", "main"]).map_err(|e| {
                Failure::Input(format!(
                    "cannot find the merge base of HEAD with main (give --base or --base-file): {e}"
                ))
            })?;
            from_git(rev.trim())?
        }
    };
    let head = read_file(head.unwrap_or_else(|| project_path(codegen::SPEC_PATH)))?;
    let report = compare(base, head)?;
    print!("{}", render(&report, format));
    let failed = match fail_on {
        None => false,
        Some(FailOn::Any) => !report.changes.is_empty(),
        Some(FailOn::Breaking) => report
            .changes
            .iter()
            .any(|c| c.wire.breaking || c.rust.breaking),
    };
    if failed {
        Err(Failure::Findings)
    } else {
        Ok(())
    }
}

fn read_file(path: PathBuf) -> Result<Source, Failure> {
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Source { name: path, text }),
        Err(e) => Err(Failure::Input(format!(
            "{}: cannot read the spec: {e}",
            path.display()
        ))),
    }
}

fn from_git(rev: &str) -> Result<Source, Failure> {
    let object = format!("{rev}:{}", codegen::SPEC_PATH);
    let text = git(&["show", &object])
        .map_err(|e| Failure::Input(format!("cannot read {object} from git: {e}")))?;
    Ok(Source {
        name: PathBuf::from(object),
        text,
    })
}

/// Runs git in the workspace and returns its standard output.
fn git(args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(workspace_root())
        .output()
        .map_err(|e| format!("git cannot be run: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(stderr
            .lines()
            .next()
            .unwrap_or("git failed")
            .trim()
            .to_string());
    }
    String::from_utf8(out.stdout).map_err(|_| "git printed something that is not UTF-8".into())
}

/// Gives each change the file and line of its pointer: in the head spec, or
/// in the base spec for what was removed. A pointer into a flow-style list
/// (`[a, b]`) has no line of its own; the nearest enclosing key's line is the
/// next best place. All pointers of a side are looked up in one pass over its
/// text.
fn locate(changes: &mut [Change], base: &Parsed, head: &Parsed) {
    let in_head = |c: &Change| c.after.is_some() || c.before.is_none();
    let ancestors = |pointer: &str| {
        let mut all = vec![pointer.to_string()];
        let mut p = pointer;
        while let Some((parent, _)) = p.rsplit_once('/')
            && !parent.is_empty()
        {
            all.push(parent.to_string());
            p = parent;
        }
        all
    };
    for (source, side_is_head) in [(head, true), (base, false)] {
        let wanted: Vec<(usize, Vec<String>)> = changes
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.pointer.is_empty() && in_head(c) == side_is_head)
            .map(|(i, c)| (i, ancestors(&c.pointer)))
            .collect();
        let pointers: Vec<&str> = wanted
            .iter()
            .flat_map(|(_, a)| a.iter().map(String::as_str))
            .collect();
        if pointers.is_empty() {
            continue;
        }
        let lines = crate::pointer_lines::lines_of_pointers(&source.text, &pointers);
        for (i, candidates) in wanted {
            let line = candidates.iter().find_map(|p| lines.get(p));
            changes[i].location = line.map(|line| format!("{}:{line}", source.name.display()));
        }
    }
}
