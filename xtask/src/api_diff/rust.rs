//! The Rust side of the diff: the public API of the generated code, read with
//! `syn` from exactly what the crate compiles (`codegen`), and what changes in
//! it between two specs, each with its effect on downstream code.
//!
//! The rules here are those of Rust semver as cargo-semver-checks applies
//! them, and `xtask/tests/api_diff_compat.rs` holds each of them to a real
//! compilation of downstream code. Each item also carries the product
//! features it needs (`codegen::features`), which the crate's features decide:
//! an item that needs features a downstream crate may not enable any more is
//! a breaking change for that crate.
//!
//! Not for: the hand-written layer in `src/` (which does not change with the
//! spec), nor behaviour hidden in method bodies (the status codes an operation
//! matches, the URL it calls); those are wire matters, judged in `spec.rs`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Fields, ImplItem, Item, Visibility};

use super::spec::{Target, normalize};
use crate::codegen::features::{Beyond, Gate, Gates};

/// What a change does to downstream code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effect {
    /// Nothing a downstream crate can observe at compile time.
    Neutral,
    /// New public API: a minor version.
    Additive,
    /// Some downstream code stops compiling: a major version.
    Breaking,
}

/// One change of the generated public API.
#[derive(Debug, Clone)]
pub struct RustChange {
    pub target: Target,
    /// The item, as a reviewer would look it up (`types::Client.id`).
    pub item: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub effect: Effect,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ItemKind {
    Struct,
    Enum,
    Alias,
    Method,
    OperationBuilder,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Member {
    name: String,
    /// The JSON name (serde `rename`), or the name itself.
    json: String,
    sig: String,
}

#[derive(Debug, Clone)]
struct ApiItem {
    kind: ItemKind,
    /// The Rust name, e.g. `types::Client` or `Client::create_client`.
    path: String,
    norm: String,
    derives: BTreeSet<String>,
    non_exhaustive: bool,
    deny_unknown_fields: bool,
    members: Vec<Member>,
    /// The aliased type, or the method's signature.
    sig: String,
    /// The note of the item's `#[deprecated]`, if it has one.
    deprecated: Option<String>,
    /// The products of which the item needs one (their cargo features), or
    /// `None` when it is present whatever the products
    /// (`codegen::features`).
    gate: Gate,
}

/// The public API of one generated file.
#[derive(Debug, Default)]
pub struct Model {
    items: BTreeMap<String, ApiItem>,
    /// Types of `types` that have a typed builder (`types::builder::X`).
    builders: BTreeSet<String>,
}

impl Model {
    /// Reads the public API from generated code, as text.
    pub fn from_code(code: &str) -> Result<Model, String> {
        let tokens: TokenStream = code
            .parse()
            .map_err(|e| format!("the generated code does not lex: {e}"))?;
        let items = items_without_bodies(tokens, false)
            .map_err(|e| format!("the generated code does not parse: {e}"))?;
        Ok(Model::from_items(&items))
    }

    /// Reads the public API from generated code, as tokens (before
    /// `codegen`'s rewrites), with the products each item needs worked out
    /// as `codegen::features` does: `products` gives each operation's
    /// product, `reach` what uses a type beyond what the tokens show: the
    /// products of other operations, and whether an always present type does
    /// (see `codegen::features::gates`). The builders of the operations
    /// `pages` marks get their `pages()` and `items()` as `codegen` emits
    /// them after the rewrites (`codegen/pages.rs`).
    pub fn from_tokens(
        tokens: TokenStream,
        products: &BTreeMap<String, String>,
        reach: &dyn Fn(&str) -> Beyond,
        pages: &[crate::codegen::pages::Pagination],
    ) -> Result<Model, String> {
        let mut file = syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: items_without_bodies(tokens, false)
                .map_err(|e| format!("the generated code does not parse: {e}"))?,
        };
        crate::codegen::pages::apply(&mut file, pages)?;
        let items = file.items;
        let mut model = Model::from_items(&items);
        model.set_gates(&crate::codegen::features::gates(
            &items,
            products,
            crate::codegen::ALWAYS_PRESENT,
            reach,
        ));
        Ok(model)
    }

    fn from_items(items: &[Item]) -> Model {
        let mut model = Model::default();
        for item in items {
            match item {
                Item::Mod(m) if m.ident == "types" => {
                    for item in m.content.iter().flat_map(|(_, items)| items) {
                        model.type_item(item);
                    }
                }
                Item::Mod(m) if m.ident == "builder" => {
                    model.operation_builders(m.content.iter().flat_map(|(_, i)| i));
                }
                Item::Impl(imp) if imp.trait_.is_none() && type_name(&imp.self_ty) == "Client" => {
                    let gate = gate_of(&imp.attrs);
                    for it in &imp.items {
                        if let ImplItem::Fn(f) = it
                            && is_pub(&f.vis)
                        {
                            let name = f.sig.ident.to_string();
                            let path = format!("Client::{name}");
                            model.items.insert(
                                path.clone(),
                                ApiItem {
                                    kind: ItemKind::Method,
                                    norm: normalize(&name),
                                    path,
                                    derives: BTreeSet::new(),
                                    non_exhaustive: false,
                                    deny_unknown_fields: false,
                                    members: vec![],
                                    sig: tidy(&f.sig.to_token_stream().to_string()),
                                    deprecated: deprecation(&f.attrs),
                                    gate: gate.clone(),
                                },
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        model
    }

    fn type_item(&mut self, item: &Item) {
        match item {
            Item::Struct(s) if is_pub(&s.vis) => {
                let members = match &s.fields {
                    Fields::Named(named) => named
                        .named
                        .iter()
                        .filter(|f| is_pub(&f.vis))
                        .map(|f| {
                            let name = f
                                .ident
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default();
                            let name = name.trim_start_matches("r#").to_string();
                            Member {
                                json: rename(&f.attrs).unwrap_or_else(|| name.clone()),
                                name,
                                sig: tidy(&f.ty.to_token_stream().to_string()),
                            }
                        })
                        .collect(),
                    Fields::Unnamed(unnamed) => unnamed
                        .unnamed
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| is_pub(&f.vis))
                        .map(|(i, f)| Member {
                            name: i.to_string(),
                            json: i.to_string(),
                            sig: tidy(&f.ty.to_token_stream().to_string()),
                        })
                        .collect(),
                    Fields::Unit => vec![],
                };
                self.insert_type(
                    ItemKind::Struct,
                    &s.ident.to_string(),
                    &s.attrs,
                    members,
                    String::new(),
                );
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let members = e
                    .variants
                    .iter()
                    .map(|v| {
                        let name = v.ident.to_string();
                        Member {
                            json: rename(&v.attrs).unwrap_or_else(|| name.clone()),
                            name,
                            sig: tidy(&v.fields.to_token_stream().to_string()),
                        }
                    })
                    .collect();
                self.insert_type(
                    ItemKind::Enum,
                    &e.ident.to_string(),
                    &e.attrs,
                    members,
                    String::new(),
                );
            }
            Item::Type(t) if is_pub(&t.vis) => {
                let sig = tidy(&t.ty.to_token_stream().to_string());
                self.insert_type(ItemKind::Alias, &t.ident.to_string(), &t.attrs, vec![], sig);
            }
            Item::Mod(m) if m.ident == "builder" => {
                for item in m.content.iter().flat_map(|(_, i)| i) {
                    if let Item::Struct(s) = item {
                        self.builders.insert(s.ident.to_string());
                    }
                }
            }
            _ => {}
        }
    }

    fn insert_type(
        &mut self,
        kind: ItemKind,
        name: &str,
        attrs: &[Attribute],
        members: Vec<Member>,
        sig: String,
    ) {
        let path = format!("types::{name}");
        self.items.insert(
            path.clone(),
            ApiItem {
                kind,
                path,
                norm: normalize(name),
                derives: derives(attrs),
                non_exhaustive: attrs.iter().any(|a| a.path().is_ident("non_exhaustive")),
                deny_unknown_fields: attrs.iter().any(|a| {
                    a.path().is_ident("serde")
                        && a.to_token_stream()
                            .to_string()
                            .contains("deny_unknown_fields")
                }),
                members,
                sig,
                deprecated: deprecation(attrs),
                gate: gate_of(attrs),
            },
        );
    }

    fn operation_builders<'a>(&mut self, items: impl Iterator<Item = &'a Item>) {
        let mut methods: BTreeMap<String, Vec<Member>> = BTreeMap::new();
        let mut structs = Vec::new();
        for item in items {
            match item {
                Item::Struct(s) if is_pub(&s.vis) => {
                    structs.push((s.ident.to_string(), gate_of(&s.attrs)));
                }
                Item::Impl(imp) if imp.trait_.is_none() => {
                    let name = type_name(&imp.self_ty);
                    for it in &imp.items {
                        if let ImplItem::Fn(f) = it
                            && is_pub(&f.vis)
                        {
                            let method = f.sig.ident.to_string();
                            methods.entry(name.clone()).or_default().push(Member {
                                json: method.clone(),
                                name: method,
                                sig: tidy(&f.sig.to_token_stream().to_string()),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        for (name, gate) in structs {
            let path = format!("builder::{name}");
            self.items.insert(
                path.clone(),
                ApiItem {
                    kind: ItemKind::OperationBuilder,
                    norm: normalize(&name),
                    path,
                    derives: BTreeSet::new(),
                    non_exhaustive: false,
                    deny_unknown_fields: false,
                    members: methods.remove(&name).unwrap_or_default(),
                    sig: String::new(),
                    deprecated: None,
                    gate,
                },
            );
        }
    }

    /// Marks the `Client` methods `codegen` marks `#[deprecated]` when it
    /// rewrites the generated file (`codegen::deprecations`): the tokens this
    /// model is read from come before that rewrite.
    pub fn mark_deprecated(&mut self, deprecations: &[(String, String)]) {
        for (operation, note) in deprecations {
            if let Some(item) = self.items.get_mut(&format!("Client::{operation}")) {
                item.deprecated = Some(note.clone());
            }
        }
    }

    /// Gives each item the products `codegen::features` says it needs: the
    /// tokens this model is read from come before `rewrite::products` gates
    /// them.
    fn set_gates(&mut self, gates: &Gates) {
        for (name, gate) in &gates.types {
            if let Some(item) = self.items.get_mut(&format!("types::{name}")) {
                item.gate = gate.clone();
            }
        }
        for (method, product) in &gates.methods {
            if let Some(item) = self.items.get_mut(&format!("Client::{method}")) {
                item.gate = Some(BTreeSet::from([product.clone()]));
            }
        }
        for (builder, product) in &gates.builders {
            if let Some(item) = self.items.get_mut(&format!("builder::{builder}")) {
                item.gate = Some(BTreeSet::from([product.clone()]));
            }
        }
    }

    /// The names of the generated types of `types`, as written in Rust.
    pub fn type_names(&self) -> impl Iterator<Item = &str> {
        self.items
            .keys()
            .filter_map(|path| path.strip_prefix("types::"))
    }

    /// The public signatures, one line each, in a stable order: what the
    /// markdown report diffs.
    pub fn signature_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for item in self.items.values() {
            let mut notes = Vec::new();
            if !item.derives.is_empty() {
                notes.push(format!(
                    "derives {}",
                    item.derives.iter().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
            if item.non_exhaustive {
                notes.push("#[non_exhaustive]".into());
            }
            if item.deny_unknown_fields {
                notes.push("deny_unknown_fields".into());
            }
            if item.deprecated.is_some() {
                notes.push("#[deprecated]".into());
            }
            if let Some(products) = &item.gate {
                notes.push(format!("needs {}", features_text(products)));
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!("  // {}", notes.join("; "))
            };
            match item.kind {
                ItemKind::Struct => {
                    lines.push(format!("pub struct {}{notes}", item.path));
                    for m in &item.members {
                        lines.push(format!("    pub {}: {},", m.name, m.sig));
                    }
                }
                ItemKind::Enum => {
                    lines.push(format!("pub enum {}{notes}", item.path));
                    for m in &item.members {
                        lines.push(format!("    {}{},", m.name, m.sig));
                    }
                }
                ItemKind::Alias => {
                    lines.push(format!("pub type {} = {};{notes}", item.path, item.sig))
                }
                ItemKind::Method => {
                    lines.push(format!("impl Client {{ pub {} }}{notes}", item.sig))
                }
                ItemKind::OperationBuilder => {
                    lines.push(format!("pub struct {}", item.path));
                    for m in &item.members {
                        lines.push(format!("    pub {}", m.sig));
                    }
                }
            }
        }
        lines
    }
}

/// Every change of the public API from `base` to `head`.
pub fn diff(base: &Model, head: &Model) -> Vec<RustChange> {
    let mut out = Vec::new();
    for (path, b) in &base.items {
        match head.items.get(path) {
            None => out.push(RustChange {
                target: item_target(b),
                item: path.clone(),
                before: Some(describe(b)),
                after: None,
                effect: Effect::Breaking,
                reason: format!(
                    "`{path}` is removed: downstream code that names it stops compiling"
                ),
            }),
            Some(h) => diff_item(b, h, head, &mut out),
        }
    }
    for (path, h) in &head.items {
        if !base.items.contains_key(path) {
            out.push(RustChange {
                target: item_target(h),
                item: path.clone(),
                before: None,
                after: Some(describe(h)),
                effect: Effect::Additive,
                reason: format!("`{path}` is new public API (a minor change)"),
            });
        }
    }
    out
}

fn diff_item(b: &ApiItem, h: &ApiItem, head: &Model, out: &mut Vec<RustChange>) {
    let d = ItemDiff { b, h, head };
    if b.kind != h.kind {
        out.push(d.whole(
            Effect::Breaking,
            format!(
                "`{}` changes from {} to {}: code that uses it as before stops compiling",
                b.path,
                kind_name(&b.kind),
                kind_name(&h.kind)
            ),
        ));
        return;
    }
    d.signature_and_attributes(out);
    d.members_removed_or_changed(out);
    d.members_added(out);
}

/// One item present in both models, compared step by step.
struct ItemDiff<'a> {
    b: &'a ApiItem,
    h: &'a ApiItem,
    head: &'a Model,
}

impl ItemDiff<'_> {
    /// A change of the item as a whole.
    fn whole(&self, effect: Effect, reason: String) -> RustChange {
        RustChange {
            target: item_target(self.h),
            item: self.b.path.clone(),
            before: Some(describe(self.b)),
            after: Some(describe(self.h)),
            effect,
            reason,
        }
    }

    /// A change of the item's derives or attributes.
    fn attr(&self, effect: Effect, reason: String) -> RustChange {
        RustChange {
            target: match item_target(self.h) {
                Target::Type(t) => Target::Attributes(t),
                other => other,
            },
            ..self.whole(effect, reason)
        }
    }

    fn member_target(&self, m: &Member) -> Target {
        match self.h.kind {
            ItemKind::Struct => Target::Field(self.h.norm.clone(), m.json.clone()),
            ItemKind::Enum => Target::Variant(self.h.norm.clone(), m.json.clone()),
            _ => item_target(self.h),
        }
    }

    fn member_path(&self, m: &Member) -> String {
        match self.h.kind {
            ItemKind::Struct => format!("{}.{}", self.b.path, m.name),
            _ => format!("{}::{}", self.b.path, m.name),
        }
    }

    /// The alias's or method's signature, the derives, `#[non_exhaustive]`
    /// and `deny_unknown_fields`.
    fn signature_and_attributes(&self, out: &mut Vec<RustChange>) {
        let (b, h, path) = (self.b, self.h, &self.b.path);
        if b.gate != h.gate {
            let (effect, reason) = gate_change(path, &b.gate, &h.gate);
            out.push(self.whole(effect, reason));
        }
        if b.sig != h.sig {
            out.push(self.whole(
                Effect::Breaking,
                format!("`{path}` changes from `{}` to `{}`: code written against the old signature stops compiling", b.sig, h.sig),
            ));
        }
        for d in b.derives.difference(&h.derives) {
            out.push(self.attr(
                Effect::Breaking,
                format!("`{path}` no longer implements `{d}`: code that relies on it (e.g. `..Default::default()` for Default) stops compiling"),
            ));
        }
        for d in h.derives.difference(&b.derives) {
            out.push(self.whole(Effect::Additive, format!("`{path}` now implements `{d}`")));
        }
        if b.non_exhaustive != h.non_exhaustive {
            out.push(if h.non_exhaustive {
                self.attr(Effect::Breaking, format!("`{path}` becomes #[non_exhaustive]: struct literals and exhaustive matches outside the crate stop compiling"))
            } else {
                self.attr(Effect::Additive, format!("`{path}` is no longer #[non_exhaustive]"))
            });
        }
        if b.deprecated != h.deprecated {
            out.push(self.whole(
                Effect::Additive,
                match &h.deprecated {
                    Some(note) => format!(
                        "`{path}` becomes #[deprecated] (\"{note}\"): code that uses it still compiles, with a warning (an error only under `-D warnings`); deprecating is a minor change"
                    ),
                    None => format!("`{path}` is no longer #[deprecated]"),
                },
            ));
        }
        if b.deny_unknown_fields != h.deny_unknown_fields {
            out.push(self.attr(
                Effect::Neutral,
                format!(
                    "`{path}` {} unknown fields when decoding: no compile-time effect, a run-time one",
                    if h.deny_unknown_fields {
                        "now rejects"
                    } else {
                        "now ignores"
                    }
                ),
            ));
        }
    }

    /// Fields, variants or methods removed, or whose type changed.
    fn members_removed_or_changed(&self, out: &mut Vec<RustChange>) {
        let path = &self.b.path;
        for m in &self.b.members {
            match self.h.members.iter().find(|x| x.name == m.name) {
                None => out.push(RustChange {
                    target: self.member_target(m),
                    item: self.member_path(m),
                    before: Some(m.sig.clone()),
                    after: None,
                    effect: Effect::Breaking,
                    reason: match self.h.kind {
                        ItemKind::Struct => format!("the pub field `{}` of `{path}` is removed: code that reads, writes or lists it stops compiling", m.name),
                        ItemKind::Enum => format!("the variant `{path}::{}` is removed: code that names it stops compiling", m.name),
                        _ => format!("the method `{}` of `{path}` is removed: calls to it stop compiling", m.name),
                    },
                }),
                Some(x) if x.sig != m.sig => out.push(RustChange {
                    target: self.member_target(m),
                    item: self.member_path(m),
                    before: Some(m.sig.clone()),
                    after: Some(x.sig.clone()),
                    effect: Effect::Breaking,
                    reason: type_change_reason(&self.h.kind, &self.member_path(m), &m.sig, &x.sig),
                }),
                Some(_) => {}
            }
        }
    }

    /// New fields, variants or methods.
    fn members_added(&self, out: &mut Vec<RustChange>) {
        for m in &self.h.members {
            if self.b.members.iter().any(|x| x.name == m.name) {
                continue;
            }
            let (effect, reason) = self.member_added_effect(m);
            out.push(RustChange {
                target: self.member_target(m),
                item: self.member_path(m),
                before: None,
                after: Some(m.sig.clone()),
                effect,
                reason,
            });
        }
    }

    /// What a new member does to downstream code: a new field of an
    /// exhaustive struct breaks its literals, a new variant of an exhaustive
    /// enum its matches; anything else only adds.
    fn member_added_effect(&self, m: &Member) -> (Effect, String) {
        let (b, h, path) = (self.b, self.h, &self.b.path);
        match h.kind {
            ItemKind::Struct if b.non_exhaustive => (
                Effect::Additive,
                format!(
                    "`{path}` gains the pub field `{}`; it is #[non_exhaustive], so no downstream struct literal exists to break",
                    m.name
                ),
            ),
            ItemKind::Struct => {
                let name = path.trim_start_matches("types::");
                let mut ways = Vec::new();
                if self.head.builders.contains(name) {
                    ways.push(format!("`{name}::builder()`"));
                }
                if h.derives.contains("Default") {
                    ways.push("`..Default::default()`".to_string());
                }
                // typify gives an absent-by-default field an Option or a Vec;
                // anything else is required, and the builder checks it only
                // when it converts.
                let required = !m.sig.starts_with("Option<") && !m.sig.starts_with("Vec<");
                let keeps = if ways.is_empty() {
                    "no other way of building it is offered".to_string()
                } else if required {
                    format!(
                        "code that builds it with {} keeps compiling (but `{}` is required: the builder's conversion fails at run time until it is set)",
                        ways.join(" or "),
                        m.name
                    )
                } else {
                    format!(
                        "code that builds it with {} keeps compiling",
                        ways.join(" or ")
                    )
                };
                (
                    Effect::Breaking,
                    format!(
                        "`{path}` gains the pub field `{}: {}`; its fields are all public and it is not #[non_exhaustive], so a struct literal that lists every field stops compiling (cargo-semver-checks: major), while {keeps}",
                        m.name, m.sig
                    ),
                )
            }
            ItemKind::Enum if b.non_exhaustive => (
                Effect::Additive,
                format!(
                    "`{path}` gains the variant `{}`; it is #[non_exhaustive], so downstream matches already have a wildcard arm",
                    m.name
                ),
            ),
            ItemKind::Enum => (
                Effect::Breaking,
                format!(
                    "`{path}` gains the variant `{}`; the enum is exhaustive (no #[non_exhaustive]), so a downstream `match` without a wildcard arm stops compiling",
                    m.name
                ),
            ),
            _ => (
                Effect::Additive,
                format!("`{path}` gains the method `{}` (a minor change)", m.name),
            ),
        }
    }
}

fn type_change_reason(kind: &ItemKind, item: &str, before: &str, after: &str) -> String {
    match kind {
        ItemKind::Struct => {
            let opt = |s: &str| {
                s.strip_prefix("Option<")
                    .and_then(|r| r.strip_suffix('>'))
                    .map(str::to_string)
            };
            if opt(before).as_deref() == Some(after) {
                format!(
                    "`{item}` changes from `{before}` to `{after}` (it becomes required): code that assigns, matches or reads it as an Option stops compiling"
                )
            } else if opt(after).as_deref() == Some(before) {
                format!(
                    "`{item}` changes from `{before}` to `{after}` (it becomes optional): code that reads or writes it as `{before}` stops compiling"
                )
            } else {
                format!(
                    "`{item}` changes type from `{before}` to `{after}`: code that reads or writes it as `{before}` stops compiling"
                )
            }
        }
        ItemKind::Enum => format!(
            "the payload of `{item}` changes from `{before}` to `{after}`: code that builds or destructures it stops compiling"
        ),
        _ => format!(
            "`{item}` changes from `{before}` to `{after}`: calls written against the old signature may stop compiling"
        ),
    }
}

/// What a change of the products an item needs does to downstream crates,
/// which choose the products they build.
fn gate_change(path: &str, before: &Gate, after: &Gate) -> (Effect, String) {
    match (before, after) {
        (Some(b), None) => (
            Effect::Additive,
            format!(
                "`{path}` no longer needs {}: it is present whatever the products a downstream crate enables",
                features_text(b)
            ),
        ),
        (None, Some(h)) => (
            Effect::Breaking,
            format!(
                "`{path}` now needs {}: a downstream crate that enables none of them stops compiling where it names it",
                features_text(h)
            ),
        ),
        (Some(b), Some(h)) if h.is_superset(b) => (
            Effect::Additive,
            format!(
                "`{path}` needs {} instead of {}: every downstream crate that had it keeps it",
                features_text(h),
                features_text(b)
            ),
        ),
        (Some(b), Some(h)) => {
            let lost: Vec<String> = b.difference(h).map(|p| format!("`{p}`")).collect();
            (
                Effect::Breaking,
                format!(
                    "`{path}` needs {} instead of {}: a downstream crate that enables {} and none of the new ones stops compiling where it names it",
                    features_text(h),
                    features_text(b),
                    lost.join(" or ")
                ),
            )
        }
        (None, None) => (Effect::Neutral, String::new()),
    }
}

fn item_target(item: &ApiItem) -> Target {
    match item.kind {
        ItemKind::Method => Target::Method(item.norm.clone()),
        ItemKind::OperationBuilder => Target::OperationBuilder(item.norm.clone()),
        _ => Target::Type(item.norm.clone()),
    }
}

fn describe(item: &ApiItem) -> String {
    let text = match item.kind {
        ItemKind::Alias => format!("pub type {} = {}", item.path, item.sig),
        ItemKind::Method => format!("pub {}", item.sig),
        _ => format!("pub {} {}", kind_name(&item.kind), item.path),
    };
    match &item.gate {
        Some(products) => format!("{text} (needs {})", features_text(products)),
        None => text,
    }
}

fn kind_name(kind: &ItemKind) -> &'static str {
    match kind {
        ItemKind::Struct | ItemKind::OperationBuilder => "struct",
        ItemKind::Enum => "enum",
        ItemKind::Alias => "type",
        ItemKind::Method => "fn",
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The note of a `#[deprecated]` (empty when it has none).
fn deprecation(attrs: &[Attribute]) -> Option<String> {
    let attr = attrs.iter().find(|a| a.path().is_ident("deprecated"))?;
    let mut note = String::new();
    // `#[deprecated]` alone has no list to parse.
    let _ = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("note") {
            let value: syn::LitStr = meta.value()?.parse()?;
            note = value.value();
        }
        Ok(())
    });
    Some(note)
}

fn derives(attrs: &[Attribute]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // A derive behind a feature (`cfg_attr(feature = "schemars",
    // derive(…))`) is one: the crate's default features have it.
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg_attr")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("derive") {
                meta.parse_nested_meta(|derive| {
                    if let Some(last) = derive.path.segments.last() {
                        out.insert(last.ident.to_string());
                    }
                    Ok(())
                })?;
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        // A derive list that does not parse has no derive we could name.
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                out.insert(last.ident.to_string());
            }
            Ok(())
        });
    }
    out
}

/// The products an item's `#[cfg(feature = "p")]` or `#[cfg(any(feature =
/// "p", …))]` names (the `client` feature is not a product), as
/// `rewrite::products` writes them.
fn gate_of(attrs: &[Attribute]) -> Gate {
    let mut gate: Gate = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        let text = attr.to_token_stream().to_string();
        let products: BTreeSet<String> = text
            .split("feature = \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|name| *name != crate::codegen::CLIENT_FEATURE)
            .map(str::to_string)
            .collect();
        if !products.is_empty() {
            gate = Some(products);
        }
    }
    gate
}

/// `feature `a`` or `one of the features `a`, `b``.
fn features_text(products: &BTreeSet<String>) -> String {
    let names: Vec<String> = products.iter().map(|p| format!("`{p}`")).collect();
    match names.as_slice() {
        [one] => format!("the feature {one}"),
        many => format!("one of the features {}", many.join(", ")),
    }
}

/// The serde `rename` of a field or variant, read from the attribute's tokens.
fn rename(attrs: &[Attribute]) -> Option<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .find_map(|a| {
            let tokens = a.to_token_stream().to_string();
            let start = tokens.find("rename = \"")? + "rename = \"".len();
            let end = tokens[start..].find('"')?;
            Some(tokens[start..start + end].to_string())
        })
}

/// Token text made readable: the spacing of `TokenStream::to_string` removed
/// and the standard library's long paths shortened.
fn tidy(tokens: &str) -> String {
    let mut s = tokens.to_string();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        (" ,", ","),
        ("& ", "&"),
        ("' ", "'"),
        ("( ", "("),
        (" )", ")"),
        (" ;", ";"),
        (" : ", ": "),
        (" (", "("),
        ("->(", "-> ("),
        (",(", ", ("),
        (":(", ": ("),
        // Trailing commas depend on whether the tokens were formatted.
        (",)", ")"),
        (",>", ">"),
    ] {
        s = s.replace(from, to);
    }
    if let Some(stripped) = s.strip_suffix(',') {
        s = stripped.to_string();
    }
    for (from, to) in [
        ("::std::option::Option", "Option"),
        ("::std::string::String", "String"),
        ("::std::vec::Vec", "Vec"),
        ("::std::collections::HashMap", "HashMap"),
        ("::std::collections::BTreeMap", "BTreeMap"),
        ("::std::boxed::Box", "Box"),
        ("::std::convert::", ""),
        ("::chrono::naive::NaiveDate", "chrono::NaiveDate"),
        ("::chrono::DateTime", "chrono::DateTime"),
        ("::serde_json::", "serde_json::"),
        ("::uuid::Uuid", "uuid::Uuid"),
    ] {
        s = s.replace(from, to);
    }
    s
}

/// Reads the items the public API is in, without parsing the rest: the token
/// stream is split into items at the token-tree level (an item ends at a
/// top-level `;` or at the brace group that closes it), and only structs,
/// enums, aliases, modules and the signatures of inherent methods go through
/// syn. Trait impls, function bodies (every operation's `send`) and the typed
/// builders' setters are most of the code and are never parsed, which makes
/// reading a 1,000-operation client several times faster.
fn items_without_bodies(stream: TokenStream, in_types: bool) -> syn::Result<Vec<Item>> {
    let mut items = Vec::new();
    for tokens in split_items(stream) {
        let (keyword, ident) = head_keyword(&tokens);
        match keyword.as_deref() {
            Some("struct" | "enum" | "type") => {
                items.push(syn::parse2(tokens.into_iter().collect())?);
            }
            Some("mod") => {
                let mut tokens = tokens;
                let Some(TokenTree::Group(body)) = tokens.pop() else {
                    continue;
                };
                let name = ident.unwrap_or_default();
                let inner = items_without_bodies(body.stream(), in_types || name == "types")?;
                let mut header: TokenStream = tokens.into_iter().collect();
                header.extend(quote::quote!({}));
                let mut module: syn::ItemMod = syn::parse2(header)?;
                module.content = Some((Default::default(), inner));
                items.push(Item::Mod(module));
            }
            // The impls of `types` (conversions, builder setters) carry
            // nothing the model reads; elsewhere, inherent impls hold the
            // client's methods and the operation builders' setters.
            Some("impl") if !in_types => {
                let mut tokens = tokens;
                let Some(TokenTree::Group(body)) = tokens.pop() else {
                    continue;
                };
                let mut header: TokenStream = tokens.into_iter().collect();
                header.extend(quote::quote!({}));
                let mut imp: syn::ItemImpl = syn::parse2(header)?;
                if imp.trait_.is_some() {
                    continue;
                }
                for member in split_items(body.stream()) {
                    if head_keyword(&member).0.as_deref() != Some("fn") {
                        continue;
                    }
                    let mut member = member;
                    if matches!(member.last(), Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Brace)
                    {
                        member.pop();
                    }
                    let f = Parser::parse2(signature, member.into_iter().collect())?;
                    imp.items.push(ImplItem::Fn(f));
                }
                items.push(Item::Impl(imp));
            }
            _ => {}
        }
    }
    Ok(items)
}

/// Attributes, visibility and signature of a method whose body was removed.
fn signature(input: ParseStream) -> syn::Result<syn::ImplItemFn> {
    Ok(syn::ImplItemFn {
        attrs: input.call(Attribute::parse_outer)?,
        vis: input.parse()?,
        defaultness: None,
        sig: input.parse()?,
        block: syn::Block {
            brace_token: Default::default(),
            stmts: Vec::new(),
        },
    })
}

/// Splits a stream of items into one token list per item.
fn split_items(stream: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    for tt in stream {
        let ends = match &tt {
            TokenTree::Punct(p) => p.as_char() == ';',
            // A brace group closes the item, except in `use a::{b, c};`.
            TokenTree::Group(g) => {
                g.delimiter() == proc_macro2::Delimiter::Brace
                    && head_keyword(&current).0.as_deref() != Some("use")
            }
            _ => false,
        };
        current.push(tt);
        if ends {
            items.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        items.push(current);
    }
    items
}

/// The item's keyword (`struct`, `impl`, `fn`, …) after its attributes,
/// visibility and qualifiers, and the identifier that follows it.
fn head_keyword(tokens: &[TokenTree]) -> (Option<String>, Option<String>) {
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            // `#[…]`: an attribute.
            TokenTree::Punct(p) if p.as_char() == '#' => {
                let inner =
                    matches!(tokens.get(i + 1), Some(TokenTree::Punct(q)) if q.as_char() == '!');
                i += if inner { 3 } else { 2 };
            }
            // `pub(crate)`: the group of a visibility.
            TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Parenthesis => i += 1,
            TokenTree::Ident(id) => {
                let word = id.to_string();
                if matches!(
                    word.as_str(),
                    "pub" | "async" | "const" | "unsafe" | "extern" | "default"
                ) {
                    i += 1;
                    continue;
                }
                let next = tokens.get(i + 1).and_then(|t| match t {
                    TokenTree::Ident(id) => Some(id.to_string()),
                    _ => None,
                });
                return (Some(word), next);
            }
            _ => return (None, None),
        }
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen;

    /// Skipping bodies loses nothing public, and the tokens give the same
    /// API as the formatted file the crate compiles.
    #[test]
    fn the_fast_reader_sees_what_syn_sees() {
        let text = crate::synth::spec(2);
        let path = std::path::Path::new("synth.yaml");
        let spec = codegen::parse(path, &text).expect("parses");
        let code = codegen::generate(&spec).expect("generates");
        let full = syn::parse_file(&code).expect("the generated file parses");
        let reference = Model::from_items(&full.items).signature_lines();
        assert!(reference.len() > 100, "{reference:?}");
        assert_eq!(
            Model::from_code(&code).expect("reads").signature_lines(),
            reference
        );
        // The tokens come before codegen's rewrites; of those, only the
        // `#[deprecated]` of deprecated operations is public API.
        let tokens = codegen::generate_tokens(&spec).expect("generates");
        let facts = codegen::Facts::of(&spec);
        let products = facts.products_by_operation();
        let webhook_types = facts.webhooks.type_names();
        let reach = |name: &str| Beyond {
            products: if webhook_types.contains(name) {
                [codegen::WEBHOOKS_FEATURE.to_string()].into()
            } else {
                Default::default()
            },
            present: false,
        };
        let pages = codegen::pages::check(&spec).expect("marks");
        let mut model = Model::from_tokens(tokens, &products, &reach, &pages).expect("reads");
        model.mark_deprecated(&codegen::deprecations(&spec));
        assert_eq!(model.signature_lines(), reference);
    }
}
