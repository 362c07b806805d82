//! Generating only what a change can touch.
//!
//! Generating a 1,000-operation spec takes seconds; a pull request usually
//! changes a few operations or schemas. The Rust-level diff only needs the
//! generated items that can differ between the two specs, so each spec is cut
//! down to a *slice* — the same document with fewer operations and components
//! — and only the two slices are generated. The Rust diff of the two slices is
//! the Rust diff of the two whole specs when:
//!
//! 1. every *unit* (an operation, or one entry of a components section) that
//!    differs between the specs is in the slice, and so is every unit that
//!    refers to one of them, directly or through other units: a struct's
//!    derives and boxed fields, and an operation builder's `body_map`, depend
//!    on the types they use, not only on their names. One kind of reference is
//!    by name only: an operation's response (or a shared response in
//!    `components/responses`) whose schema is exactly a `$ref` to a component
//!    schema appears in the generated code as that type's name
//!    (`ResponseValue<types::Client>`, `Error<types::ApiError>`), so a change
//!    of that schema does not bring every operation answering with it into the
//!    slice; nor does a change of an example component (`components/examples`),
//!    which is documentation;
//! 2. the slice holds everything its units refer to (the forward closure), so
//!    each unit is generated from exactly what it is generated from in the
//!    whole spec;
//! 3. no unit outside the slice can take a type name the slice generates.
//!    typify 0.8 gives a type name to the first schema that asks for it and
//!    silently reuses that type for later schemas of the same name, so the
//!    units competing for a name must be generated together, in the same
//!    order. Every type name typify and progenitor derive for a unit starts
//!    with one of the unit's *roots* (a schema's name, an operation's id, any
//!    `title` inside it) followed by suffixes (`CreateClientBody`,
//!    `ClientAddressItem`), and a unit whose schemas are all *plain* (a
//!    `$ref`, `allOf` of one plain schema, a scalar, an array of plain items,
//!    or for a component schema, an object or enum of plain properties)
//!    generates no name but its own (an operation, none; progenitor generates
//!    nothing for response headers). So a unit outside
//!    the slice whose root is a prefix of a generated name (equal to it, for
//!    a plain unit; compared case-insensitively on alphanumerics) is added,
//!    with its closure, and the slices are generated again, until no such
//!    unit is left.
//!
//! Units outside the slice are identical in both specs and generate the same
//! items on both sides, so leaving them out loses no change. Slices keep the
//! order of the parsed documents (serde_json's sorted maps, the order in which
//! api-diff would generate the whole spec), so typify processes the units it
//! sees in the same relative order. The build reads the YAML in document
//! order instead; that differs only when two schemas compete for one name,
//! which is itself a defect typify does not report. A reference this module
//! cannot follow (anything but `#/components/<section>/<name>`) makes the
//! whole spec the slice: correctness never depends on a guess.
//!
//! `xtask/tests/api_diff_slice.rs` holds the result to the whole-spec diff on
//! random edits of a multi-operation spec and on name collisions built on
//! purpose, and checks the premise of rule 3 on the code generated for each.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::spec::normalize;

pub(super) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A part of a spec that is generated on its own terms.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    /// An operation, by path and method (with its path's parameters).
    Operation(String, String),
    /// An entry of a components section, by section (`schemas`, `responses`,
    /// …) and name.
    Component(String, String),
}

#[derive(Default)]
struct UnitInfo {
    /// The units it refers to.
    refs: BTreeSet<Unit>,
    /// The units whose changes can change its generated items: all of
    /// `refs` but the by-name references of an operation's responses and the
    /// references to example components.
    structural: BTreeSet<Unit>,
    /// The normalized roots of the type names generated for it.
    roots: Vec<String>,
    /// Whether it can generate type names other than its roots: it holds a
    /// schema that is not plain, or (an operation) refers to a parameter,
    /// body or response component that does.
    derives: bool,
}

/// The units of one spec, their references and their roots. It owns its data,
/// so that it can be built on the thread that parsed the spec.
pub struct Index {
    units: BTreeMap<Unit, UnitInfo>,
    /// Set when a reference goes somewhere else than a component entry: the
    /// spec is then generated whole.
    unsupported: bool,
}

/// A spec and its index.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub spec: &'a Value,
    pub index: &'a Index,
}

impl Side<'_> {
    /// What a unit is generated from (for an operation, with its path's
    /// parameters); compared between the two specs.
    fn source(&self, unit: &Unit) -> Option<(&Value, Option<&Value>)> {
        match unit {
            Unit::Operation(path, method) => {
                let item = self.spec["paths"].get(path)?;
                Some((item.get(method)?, item.get("parameters")))
            }
            Unit::Component(section, name) => {
                Some((self.spec["components"].get(section)?.get(name)?, None))
            }
        }
    }

    fn same(&self, other: &Side<'_>, unit: &Unit) -> bool {
        match (self.source(unit), other.source(unit)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

impl Index {
    /// Reads the units of a spec, their references and their roots.
    pub fn new(spec: &Value) -> Index {
        let mut index = Index {
            units: BTreeMap::new(),
            unsupported: false,
        };
        if let Some(paths) = spec["paths"].as_object() {
            for (path, item) in paths {
                let path_parameters = item.get("parameters");
                for method in METHODS {
                    let Some(op) = item.get(*method) else {
                        continue;
                    };
                    let mut refs = index.operation(op);
                    if let Some(params) = path_parameters {
                        collect(
                            params,
                            &mut refs.refs,
                            &mut refs.roots,
                            &mut index.unsupported,
                        );
                    }
                    let mut info = UnitInfo {
                        structural: structural(&refs.refs),
                        refs: refs.refs.into_iter().chain(refs.by_name).collect(),
                        roots: refs.roots,
                        derives: !schemas_plain(op)
                            || path_parameters.is_some_and(|p| !schemas_plain(p)),
                    };
                    if let Some(id) = op["operationId"].as_str() {
                        info.roots.push(root_key(id));
                    }
                    index
                        .units
                        .insert(Unit::Operation(path.clone(), (*method).to_string()), info);
                }
            }
        }
        if let Some(components) = spec["components"].as_object() {
            for (section, entries) in components {
                if section == "securitySchemes" {
                    continue;
                }
                let Some(entries) = entries.as_object() else {
                    continue;
                };
                for (name, entry) in entries {
                    let mut info = UnitInfo::default();
                    if section == "responses" {
                        // A shared response refers to its schemas by name,
                        // as an operation's own response does: a change of
                        // the error schema every operation answers with
                        // pulls neither the response nor the operations in.
                        let mut refs = OperationRefs::default();
                        response_refs(entry, &mut refs, &mut index.unsupported);
                        info.structural = structural(&refs.refs);
                        info.refs = refs.refs.into_iter().chain(refs.by_name).collect();
                        info.roots = refs.roots;
                    } else {
                        collect(
                            entry,
                            &mut info.refs,
                            &mut info.roots,
                            &mut index.unsupported,
                        );
                        info.structural = structural(&info.refs);
                    }
                    info.derives = match section.as_str() {
                        "schemas" => {
                            info.roots.push(root_key(name));
                            // The events of the webhook schemas make one
                            // generated enum together (`WebhookData`,
                            // `codegen/webhooks.rs`, D-W1): each such schema
                            // is one of its roots.
                            if entry.pointer("/x-webhook/events").is_some() {
                                info.roots.push(root_key("WebhookData"));
                            }
                            !plain_component(entry)
                        }
                        // Response headers: progenitor generates nothing.
                        "headers" => false,
                        _ => !schemas_plain(entry),
                    };
                    index
                        .units
                        .insert(Unit::Component(section.clone(), name.clone()), info);
                }
            }
        }
        // An operation names the inline schemas of the parameters, bodies and
        // responses it takes from components.
        let not_schema =
            |u: &Unit| matches!(u, Unit::Component(section, _) if section != "schemas");
        let mut deriving: BTreeSet<Unit> = index
            .units
            .iter()
            .filter(|(u, info)| info.derives && not_schema(u))
            .map(|(u, _)| u.clone())
            .collect();
        // A component can refer to another (a response to a response), and so
        // on: until nothing more derives.
        loop {
            let more: Vec<Unit> = index
                .units
                .iter()
                .filter(|(u, info)| {
                    not_schema(u)
                        && !deriving.contains(*u)
                        && info.refs.iter().any(|r| deriving.contains(r))
                })
                .map(|(u, _)| u.clone())
                .collect();
            if more.is_empty() {
                break;
            }
            deriving.extend(more);
        }
        for (unit, info) in index.units.iter_mut() {
            if matches!(unit, Unit::Operation(..)) && !info.derives {
                info.derives = info.refs.iter().any(|r| deriving.contains(r));
            }
        }
        index
    }

    /// Whether some unit of this spec can generate the type `name`: the test
    /// of the premise of rule 3 above on real generated code.
    pub fn explains(&self, name: &str) -> bool {
        let name = normalize(name);
        self.units.values().any(|info| {
            info.roots
                .iter()
                .any(|r| *r == name || (info.derives && name.starts_with(r.as_str())))
        })
    }

    /// An operation's references: `refs` are structural, `by_name` the
    /// response schemas that are exactly a `$ref` to a component schema.
    fn operation(&mut self, op: &Value) -> OperationRefs {
        let mut out = OperationRefs::default();
        let bad = &mut self.unsupported;
        for (key, value) in op.as_object().into_iter().flatten() {
            let Some(responses) = value.as_object().filter(|_| key == "responses") else {
                entry(key, value, &mut out.refs, &mut out.roots, bad);
                continue;
            };
            for response in responses.values() {
                response_refs(response, &mut out, bad);
            }
        }
        out
    }
}

/// The references of a response (an operation's, or a component of
/// `components/responses`): a media type's schema that is exactly a `$ref` to
/// a component schema is used by name.
fn response_refs(response: &Value, out: &mut OperationRefs, bad: &mut bool) {
    let (refs, roots) = (&mut out.refs, &mut out.roots);
    let Some(response) = response.as_object() else {
        collect(response, refs, roots, bad);
        return;
    };
    for (key, value) in response {
        let Some(content) = value.as_object().filter(|_| key == "content") else {
            entry(key, value, refs, roots, bad);
            continue;
        };
        for media in content.values() {
            let Some(media) = media.as_object() else {
                collect(media, refs, roots, bad);
                continue;
            };
            for (key, value) in media {
                match bare_schema_ref(key, value) {
                    Some(unit) => {
                        out.by_name.insert(unit);
                    }
                    None => entry(key, value, refs, roots, bad),
                }
            }
        }
    }
}

#[derive(Default)]
struct OperationRefs {
    refs: BTreeSet<Unit>,
    by_name: BTreeSet<Unit>,
    roots: Vec<String>,
}

/// The component schema of `schema: {$ref: ...}` and nothing else.
fn bare_schema_ref(key: &str, value: &Value) -> Option<Unit> {
    let schema = value
        .as_object()
        .filter(|s| key == "schema" && s.len() == 1)?;
    let unit = unit_of(schema.get("$ref")?.as_str()?)?;
    matches!(&unit, Unit::Component(section, _) if section == "schemas").then_some(unit)
}

/// References and title roots of a value, skipping nothing: an example may
/// hold a `$ref` key as data, which only adds a unit to the slice.
fn collect(value: &Value, refs: &mut BTreeSet<Unit>, roots: &mut Vec<String>, bad: &mut bool) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                entry(key, child, refs, roots, bad);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect(item, refs, roots, bad);
            }
        }
        _ => {}
    }
}

/// [`collect`] for one entry of an object.
fn entry(
    key: &str,
    child: &Value,
    refs: &mut BTreeSet<Unit>,
    roots: &mut Vec<String>,
    bad: &mut bool,
) {
    match (key, child) {
        ("$ref", Value::String(reference)) => match unit_of(reference) {
            Some(unit) => {
                refs.insert(unit);
            }
            None => *bad = true,
        },
        ("title", Value::String(title)) => roots.push(root_key(title)),
        _ => collect(child, refs, roots, bad),
    }
}

/// Keywords that never make typify name a type.
const PLAIN: &[&str] = &[
    "type",
    "format",
    "description",
    "example",
    "examples",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "xml",
    "default",
];

/// A schema typify turns into an existing type without naming a new one: a
/// `$ref`, `allOf` of one plain schema, a scalar, an array of plain items,
/// with no other keywords than those of [`PLAIN`] (no `title`, `enum`,
/// constraint or `properties`).
fn plain(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    if map.contains_key("$ref") {
        return true;
    }
    let only = |allowed: &[&str]| map.keys().all(|k| allowed.contains(&k.as_str()));
    let scalar = |t: Option<&Value>| {
        t.is_none_or(|t| {
            matches!(
                t.as_str(),
                Some("string" | "integer" | "number" | "boolean")
            )
        })
    };
    if let Some(all) = map.get("allOf") {
        let meta: Vec<&str> = PLAIN
            .iter()
            .copied()
            .filter(|k| !matches!(*k, "type" | "nullable"))
            .chain(["allOf"])
            .collect();
        return only(&meta) && all.as_array().is_some_and(|a| a.len() == 1 && plain(&a[0]));
    }
    if let Some(items) = map.get("items") {
        let array: Vec<&str> = PLAIN.iter().copied().chain(["items"]).collect();
        return only(&array) && map.get("type").is_some_and(|t| t == "array") && plain(items);
    }
    only(PLAIN) && scalar(map.get("type"))
}

/// A component schema that generates its own name only: plain and not
/// nullable (typify names the inner type of a nullable component
/// `{Name}Inner`), or an object or string enum whose properties, items and
/// additional properties are plain.
fn plain_component(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    if map.contains_key("nullable") {
        return false;
    }
    if plain(schema) {
        return true;
    }
    map.iter().all(|(k, v)| match k.as_str() {
        "properties" => v.as_object().is_some_and(|p| p.values().all(plain)),
        "additionalProperties" => v.is_boolean() || plain(v),
        "items" => plain(v),
        "enum" => map.get("type").is_some_and(|t| t == "string"),
        "type" => v.is_string(),
        "title" | "required" => true,
        k => PLAIN.contains(&k),
    })
}

/// Whether every `schema` an operation or a parameter, body or response
/// component holds is plain. Response headers are skipped: progenitor
/// generates nothing for them.
fn schemas_plain(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().all(|(k, v)| match k.as_str() {
            "schema" => plain(v),
            "headers" => true,
            _ => schemas_plain(v),
        }),
        Value::Array(items) => items.iter().all(schemas_plain),
        _ => true,
    }
}

/// The references whose changes can change generated items: all but those
/// to `components/examples` (examples are documentation; the generated code
/// does not depend on them).
fn structural(refs: &BTreeSet<Unit>) -> BTreeSet<Unit> {
    refs.iter()
        .filter(|u| !matches!(u, Unit::Component(section, _) if section == "examples"))
        .cloned()
        .collect()
}

/// The unit a local reference names.
fn unit_of(reference: &str) -> Option<Unit> {
    let rest = reference.strip_prefix("#/components/")?;
    let (section, name) = rest.split_once('/')?;
    if name.contains('/') {
        return None;
    }
    let name = crate::pointer_lines::unescape(name);
    Some(Unit::Component(section.to_string(), name))
}

/// How a root compares with generated names: typify turns a name into
/// PascalCase and puts an `X` before one that does not start with a letter,
/// and neither changes which alphanumerics follow.
fn root_key(name: &str) -> String {
    let key = normalize(name);
    if key.chars().next().is_none_or(|c| c.is_ascii_digit()) {
        format!("x{key}")
    } else {
        key
    }
}

/// The units to generate, before any name check.
pub struct Slice {
    units: BTreeSet<Unit>,
    /// Generate the whole specs (a reference the slice cannot follow).
    pub whole: bool,
}

impl Slice {
    /// Every unit that differs, every unit that refers to one, and what they
    /// refer to.
    pub fn new(base: Side<'_>, head: Side<'_>) -> Slice {
        let mut slice = Slice {
            units: BTreeSet::new(),
            whole: base.index.unsupported || head.index.unsupported,
        };
        if slice.whole {
            return slice;
        }
        let all: BTreeSet<&Unit> = base
            .index
            .units
            .keys()
            .chain(head.index.units.keys())
            .collect();
        let mut referrers: BTreeMap<&Unit, Vec<&Unit>> = BTreeMap::new();
        for side in [base, head] {
            for (unit, info) in &side.index.units {
                for r in &info.structural {
                    referrers.entry(r).or_default().push(unit);
                }
            }
        }
        let mut stack: Vec<&Unit> = all
            .into_iter()
            .filter(|unit| !base.same(&head, unit))
            .collect();
        while let Some(unit) = stack.pop() {
            if slice.units.insert(unit.clone()) {
                stack.extend(referrers.get(unit).into_iter().flatten().copied());
            }
        }
        slice.close(base, head);
        slice
    }

    /// Adds what the units refer to, on both sides.
    fn close(&mut self, base: Side<'_>, head: Side<'_>) {
        let mut stack: Vec<Unit> = self.units.iter().cloned().collect();
        while let Some(unit) = stack.pop() {
            for side in [base, head] {
                if let Some(info) = side.index.units.get(&unit) {
                    for r in &info.refs {
                        if self.units.insert(r.clone()) {
                            stack.push(r.clone());
                        }
                    }
                }
            }
        }
    }

    /// Adds the units outside the slice whose roots begin one of `names`
    /// (the type names generated for the slice, and its operations' ids),
    /// with their closure. Returns whether anything was added.
    pub fn entangle<'n>(
        &mut self,
        base: Side<'_>,
        head: Side<'_>,
        names: impl IntoIterator<Item = &'n str>,
    ) -> bool {
        let mut names: Vec<String> = names.into_iter().map(normalize).collect();
        for side in [base, head] {
            for unit in &self.units {
                if let (Unit::Operation(..), Some(info)) = (unit, side.index.units.get(unit)) {
                    names.extend(info.roots.iter().cloned());
                }
            }
        }
        names.sort_unstable();
        names.dedup();
        let begins_a_name = |root: &str| {
            let at = names.partition_point(|n| n.as_str() < root);
            names.get(at).is_some_and(|n| n.starts_with(root))
        };
        let is_a_name = |root: &str| names.binary_search_by(|n| n.as_str().cmp(root)).is_ok();
        let mut added = false;
        for side in [base, head] {
            for (unit, info) in &side.index.units {
                let takes = |r: &String| {
                    if info.derives {
                        begins_a_name(r)
                    } else {
                        is_a_name(r)
                    }
                };
                if !self.units.contains(unit) && info.roots.iter().any(takes) {
                    self.units.insert(unit.clone());
                    added = true;
                }
            }
        }
        if added {
            self.close(base, head);
        }
        added
    }

    /// The spec cut down to the slice's units (the whole spec when
    /// [`Slice::whole`]). Everything outside `paths` and `components`, and the
    /// security schemes, are kept as they are.
    pub fn cut(&self, side: Side<'_>) -> Value {
        let spec = side.spec;
        if self.whole {
            return spec.clone();
        }
        let Some(top) = spec.as_object() else {
            return spec.clone();
        };
        let mut out = Map::new();
        for (key, value) in top {
            match key.as_str() {
                "paths" => {
                    let mut paths = Map::new();
                    for (path, item) in value.as_object().into_iter().flatten() {
                        let mut kept = Map::new();
                        for method in METHODS {
                            let unit = Unit::Operation(path.clone(), (*method).to_string());
                            if let Some(op) = item.get(*method)
                                && self.units.contains(&unit)
                            {
                                kept.insert((*method).to_string(), op.clone());
                            }
                        }
                        if kept.is_empty() {
                            continue;
                        }
                        for (k, v) in item.as_object().into_iter().flatten() {
                            if !METHODS.contains(&k.as_str()) {
                                kept.insert(k.clone(), v.clone());
                            }
                        }
                        paths.insert(path.clone(), Value::Object(kept));
                    }
                    out.insert(key.clone(), Value::Object(paths));
                }
                "components" => {
                    let mut components = Map::new();
                    for (section, entries) in value.as_object().into_iter().flatten() {
                        let kept = match entries.as_object() {
                            Some(entries) if section != "securitySchemes" => Value::Object(
                                entries
                                    .iter()
                                    .filter(|(name, _)| {
                                        self.units.contains(&Unit::Component(
                                            section.clone(),
                                            (*name).clone(),
                                        ))
                                    })
                                    .map(|(name, entry)| (name.clone(), entry.clone()))
                                    .collect(),
                            ),
                            _ => entries.clone(),
                        };
                        components.insert(section.clone(), kept);
                    }
                    out.insert(key.clone(), Value::Object(components));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": { "title": "t", "version": "1" },
            "paths": {
                "/a": { "post": {
                    "operationId": "create_a",
                    "requestBody": { "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/A" } } } },
                    "responses": { "200": { "description": "ok", "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/A" } } } } }
                } },
                "/b": { "get": {
                    "operationId": "get_b",
                    "responses": { "200": { "description": "ok", "content": { "application/json": {
                        "schema": { "$ref": "#/components/schemas/B" } } } } }
                } }
            },
            "components": { "schemas": {
                "A": { "type": "object", "properties": { "x": { "$ref": "#/components/schemas/Leaf" } } },
                "B": { "type": "object", "properties": { "y": { "type": "string" } } },
                "Leaf": { "type": "string", "title": "The leaf" }
            } }
        })
    }

    fn side<'a>(spec: &'a Value, index: &'a Index) -> Side<'a> {
        Side { spec, index }
    }

    fn units(slice: &Slice) -> Vec<String> {
        slice
            .units
            .iter()
            .map(|u| match u {
                Unit::Operation(p, m) => format!("{m} {p}"),
                Unit::Component(s, n) => format!("{s}/{n}"),
            })
            .collect()
    }

    #[test]
    fn identical_specs_slice_to_nothing() {
        let (b, h) = (spec(), spec());
        let (bi, hi) = (Index::new(&b), Index::new(&h));
        let slice = Slice::new(side(&b, &bi), side(&h, &hi));
        assert!(slice.units.is_empty() && !slice.whole);
    }

    #[test]
    fn a_changed_leaf_takes_its_referrers_and_their_closure() {
        let b = spec();
        let mut h = spec();
        h["components"]["schemas"]["Leaf"]["format"] = json!("date");
        let (bi, hi) = (Index::new(&b), Index::new(&h));
        let slice = Slice::new(side(&b, &bi), side(&h, &hi));
        assert_eq!(
            units(&slice),
            ["post /a", "schemas/A", "schemas/Leaf"],
            "get /b and B neither change nor use Leaf"
        );
        let cut = slice.cut(side(&h, &hi));
        assert_eq!(cut["paths"].as_object().map(Map::len), Some(1));
        assert_eq!(
            cut["components"]["schemas"]["Leaf"]["format"], "date",
            "the head's slice holds the head's units"
        );
        assert!(cut["components"]["schemas"].get("B").is_none());
        assert_eq!(cut["info"], b["info"]);
    }

    #[test]
    fn a_response_schema_is_used_by_name() {
        let b = spec();
        let mut h = spec();
        h["components"]["schemas"]["B"]["properties"]["z"] = json!({ "type": "integer" });
        let (bi, hi) = (Index::new(&b), Index::new(&h));
        let slice = Slice::new(side(&b, &bi), side(&h, &hi));
        assert_eq!(
            units(&slice),
            ["schemas/B"],
            "get /b answers with `types::B` whatever B holds"
        );
        // Inline, the response's schema is the operation's own type.
        let mut h2 = h.clone();
        h2["paths"]["/b"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] =
            json!({ "allOf": [{ "$ref": "#/components/schemas/B" }] });
        let mut b2 = b.clone();
        b2["paths"]["/b"]["get"] = h2["paths"]["/b"]["get"].clone();
        let (bi, hi) = (Index::new(&b2), Index::new(&h2));
        let slice = Slice::new(side(&b2, &bi), side(&h2, &hi));
        assert_eq!(units(&slice), ["get /b", "schemas/B"]);
    }

    #[test]
    fn a_unit_whose_root_begins_a_generated_name_is_added() {
        let (b, mut h) = (spec(), spec());
        h["components"]["schemas"]["Leaf"]["format"] = json!("date");
        let (bi, hi) = (Index::new(&b), Index::new(&h));
        let (bs, hs) = (side(&b, &bi), side(&h, &hi));
        let mut slice = Slice::new(bs, hs);
        // `B` is plain: it can take the name `B` only.
        assert!(!slice.entangle(bs, hs, ["BLeaf"]));
        assert!(slice.entangle(bs, hs, ["B"]));
        assert!(units(&slice).contains(&"schemas/B".to_string()));
        assert!(!slice.entangle(bs, hs, ["B"]), "a fixed point");
        // `get_b`'s root, `getb`, is no name.
        assert!(!units(&slice).contains(&"get /b".to_string()));

        // With an inline enum, `B` names `BY` too: any name `B` begins.
        let (mut b, mut h) = (b, h);
        for spec in [&mut b, &mut h] {
            spec["components"]["schemas"]["B"]["properties"]["y"]["enum"] = json!(["p", "q"]);
        }
        let (bi, hi) = (Index::new(&b), Index::new(&h));
        let (bs, hs) = (side(&b, &bi), side(&h, &hi));
        let mut slice = Slice::new(bs, hs);
        assert!(slice.entangle(bs, hs, ["BLeaf"]));
    }

    #[test]
    fn an_example_component_is_documentation() {
        let mut b = spec();
        b["components"]["examples"] = json!({ "E": { "value": { "x": 1 } } });
        b["paths"]["/a"]["post"]["responses"]["200"]["content"]["application/json"]["examples"] =
            json!({ "e": { "$ref": "#/components/examples/E" } });
        let mut h = b.clone();
        h["components"]["examples"]["E"]["value"]["x"] = json!(2);
        let (bi, hi) = (Index::new(&b), Index::new(&h));
        let slice = Slice::new(side(&b, &bi), side(&h, &hi));
        assert_eq!(units(&slice), ["examples/E"]);
    }

    #[test]
    fn plain_schemas_name_nothing_new() {
        for schema in [
            json!({ "$ref": "#/components/schemas/A" }),
            json!({ "type": "string", "format": "date", "nullable": true }),
            json!({ "allOf": [{ "$ref": "#/components/schemas/A" }], "description": "d" }),
            json!({ "type": "array", "items": { "type": "integer" } }),
        ] {
            assert!(plain(&schema), "{schema}");
        }
        for schema in [
            json!({ "type": "string", "enum": ["a"] }),
            json!({ "type": "string", "pattern": "^a" }),
            json!({ "type": "object", "properties": {} }),
            json!({ "allOf": [{ "$ref": "#/components/schemas/A" }], "nullable": true }),
            json!({ "type": "string", "title": "Named" }),
            json!({ "oneOf": [{ "type": "string" }] }),
        ] {
            assert!(!plain(&schema), "{schema}");
        }
        assert!(plain_component(&json!({
            "type": "object",
            "required": ["a"],
            "properties": { "a": { "type": "string" } }
        })));
        assert!(plain_component(&json!({ "type": "string", "enum": ["a"] })));
        assert!(!plain_component(
            &json!({ "type": "object", "nullable": true })
        ));
        assert!(!plain_component(&json!({
            "type": "object",
            "properties": { "a": { "type": "object", "properties": {} } }
        })));
    }

    #[test]
    fn titles_and_operation_ids_are_roots() {
        let b = spec();
        let index = Index::new(&b);
        let leaf = &index.units[&Unit::Component("schemas".into(), "Leaf".into())];
        assert_eq!(leaf.roots, ["theleaf", "leaf"]);
        let op = &index.units[&Unit::Operation("/b".into(), "get".into())];
        assert_eq!(op.roots, ["getb"]);
        assert_eq!(root_key("200"), "x200");
    }

    #[test]
    fn a_reference_outside_components_makes_the_slice_whole() {
        let b = spec();
        let mut h = spec();
        h["paths"]["/b"]["get"]["responses"]["200"] =
            json!({ "$ref": "#/paths/~1a/post/responses/200" });
        let (bi, hi) = (Index::new(&b), Index::new(&h));
        let slice = Slice::new(side(&b, &bi), side(&h, &hi));
        assert!(slice.whole);
        assert_eq!(slice.cut(side(&h, &hi)), h);
    }
}
