//! How the mock reads a spec's operations as resources: which operations
//! create, list, read, change and delete the items of one resource family,
//! and what every other operation is. Inferred from path templates, methods
//! and response schemas alone; nothing here names an operation.
//!
//! # The rules
//!
//! A **collection** is a path template prefix, written with its parameters
//! as `{}` (`/virtual-wallets`, `/mpc/accounts/{}/wallets`). It is a
//! **family** when its items have a schema that is an object with a key
//! field and at least one operation reads, lists or creates them:
//!
//! - **read**: `GET C/{p}` answering an object;
//! - **create**: `POST C`, `POST C/create`, or `POST C/<word>` (one literal
//!   segment, as `POST /management/clients/{clientId}/banks/us`) when `C` is
//!   a family by another rule, and the answer is an object with the key (a
//!   `POST C` whose body carries the key is an upsert of that item, whatever
//!   it answers);
//! - **list**: `GET C`, `GET C/list`, `GET C/search` or `GET C/list/search`
//!   answering an array of objects, or an object holding one such array (a
//!   page of them).
//!
//! The item schema is the read's answer, else the create's, else the list's
//! items. The **key** is the field named as the item's path parameter in
//! snake case (`{blockchain}` → `blockchain`, `{walletId}` → `wallet_id`)
//! when the item schema has it, else `id`.
//!
//! Under an item `C/{p}`: `GET`, `PUT`, `PATCH`, `DELETE` read, replace,
//! merge into and delete it, and so do `PUT C/{p}/update`, `DELETE
//! C/{p}/delete` ([`ITEM_VERBS`]); a longer path is a sub-resource of the item
//! (`PATCH /cards/individual-cards/{cardId}/frozen`), and a `POST` an action
//! on it. A collection's parameters before its own (`{accountId}` of
//! `/mpc/accounts/{accountId}/wallets`) scope its items to a parent item.
//! Every other operation is **static**: answered from its examples, with
//! `GET`, `PUT`, `PATCH` and `DELETE` of one path sharing a document.

use std::fmt::Write as _;

use serde_json::Value;

use super::spec::{In, Operation, Segment, Spec};

/// The literal segments that name a list of a collection's items.
const LIST_SUFFIXES: [&[&str]; 3] = [&["list"], &["search"], &["list", "search"]];

/// The literal segments after an item's parameter that name the item
/// itself, and what they do to it.
pub(crate) const ITEM_VERBS: [(&str, &str); 2] = [("update", "change"), ("delete", "delete")];

/// What an operation does, as the plain engine answers it. The number is
/// the family's index in [`Model::families`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Makes an item (with a fresh id, or the key the body gives).
    Create(usize),
    /// Lists the items (of one parent, for a scoped family).
    List(usize),
    /// Answers the item.
    Read(usize),
    /// Replaces the fields the request schema declares (a `PUT`).
    Replace(usize),
    /// Merges the body into the item (a `PATCH`).
    Merge(usize),
    /// Deletes the item and the items scoped to it.
    Delete(usize),
    /// Reads a sub-resource of the item.
    SubRead(usize),
    /// Writes a sub-resource of the item: its body's fields that the item
    /// declares change the item.
    SubWrite(usize),
    /// Deletes a sub-resource of the item.
    SubDelete(usize),
    /// Acts on the item (a `POST` under it).
    Action(usize),
    /// Answered from the examples; not an item of a family.
    Static,
}

impl Role {
    /// The family of an item or collection role.
    pub(crate) fn family(self) -> Option<usize> {
        match self {
            Role::Create(f)
            | Role::List(f)
            | Role::Read(f)
            | Role::Replace(f)
            | Role::Merge(f)
            | Role::Delete(f)
            | Role::SubRead(f)
            | Role::SubWrite(f)
            | Role::SubDelete(f)
            | Role::Action(f) => Some(f),
            Role::Static => None,
        }
    }

    /// Whether the operation's path names an item of its family.
    pub(crate) fn on_item(self) -> bool {
        !matches!(self, Role::Create(_) | Role::List(_) | Role::Static)
    }

    fn name(self) -> &'static str {
        match self {
            Role::Create(_) => "create",
            Role::List(_) => "list",
            Role::Read(_) => "read",
            Role::Replace(_) => "replace",
            Role::Merge(_) => "merge",
            Role::Delete(_) => "delete",
            Role::SubRead(_) => "sub-read",
            Role::SubWrite(_) => "sub-write",
            Role::SubDelete(_) => "sub-delete",
            Role::Action(_) => "action",
            Role::Static => "static",
        }
    }
}

/// A resource family: the items of one collection.
#[derive(Debug)]
pub(crate) struct Family {
    /// The collection template, parameters as `{}`.
    pub(crate) collection: String,
    /// How many path parameters the collection has: the scope of an item.
    pub(crate) depth: usize,
    /// The item field that holds its id.
    pub(crate) key: String,
    /// The item's schema, as written in the spec.
    pub(crate) item_schema: Value,
    /// For each scope parameter, the family whose items it names, if any.
    pub(crate) parents: Vec<Option<usize>>,
}

/// How a list answer is paged, read from its query parameters and its
/// response schema.
#[derive(Debug, Clone, Default)]
pub(crate) struct Paging {
    /// The property holding the items; `None` when the answer is the array.
    pub(crate) items_field: Option<String>,
    /// The page-number parameter and the number of the first page.
    pub(crate) page: Option<(String, i64)>,
    /// The page-size parameter and its default.
    pub(crate) size: Option<(String, Option<i64>)>,
    /// The cursor parameter (an opaque token the previous page gave).
    pub(crate) token: Option<String>,
}

/// The page-number parameters: `page` counts from 0 unless its schema says
/// otherwise (a `minimum` or `default` of 1), `page_number` from 1.
const PAGE_PARAMS: [(&str, i64); 3] = [("page", 0), ("page_number", 1), ("pageNumber", 1)];
/// The page-size parameters.
const SIZE_PARAMS: [&str; 3] = ["size", "page_size", "limit"];
/// The cursor parameters.
const TOKEN_PARAMS: [&str; 2] = ["paging_state_token", "cursor"];

/// What the plain engine does with one operation.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) role: Role,
    /// The status of a plain success: `201` for a `POST` that declares it
    /// (the pages show `201 Created` where the errors page allows both),
    /// else the lowest 2xx declared.
    pub(crate) success: Option<u16>,
    /// The idempotency-key header parameter, when the operation has one.
    pub(crate) idempotency: Option<String>,
    /// How a list answer is paged, when the answer is a list.
    pub(crate) paging: Option<Paging>,
}

/// The families and each operation's plan.
pub(crate) struct Model {
    pub(crate) families: Vec<Family>,
    pub(crate) plans: Vec<Plan>,
}

/// `walletId` → `wallet_id`; `blockchain` stays.
pub(crate) fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '-' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}

fn norm(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        match segment {
            Segment::Literal(literal) => out.push_str(literal),
            Segment::Param(_) => out.push_str("{}"),
        }
    }
    out
}

fn literals(segments: &[Segment]) -> Option<Vec<&str>> {
    segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => Some(l.as_str()),
            Segment::Param(_) => None,
        })
        .collect()
}

/// The success responses of an operation, lowest status first.
fn successes(operation: &Operation) -> impl Iterator<Item = &super::spec::Response> {
    let mut out: Vec<_> = operation
        .responses
        .iter()
        .filter(|r| (200..300).contains(&r.status))
        .collect();
    out.sort_by_key(|r| r.status);
    out.into_iter()
}

/// The JSON schema of the operation's first success with a JSON body.
fn success_schema(operation: &Operation) -> Option<&Value> {
    successes(operation)
        .filter(|r| r.media_type.as_deref() == Some("application/json"))
        .find_map(|r| r.schema.as_ref())
}

/// Where a list's items are in an answer of `schema`, and their schema: the
/// answer itself when it is an array, or its one array property.
pub(crate) fn list_shape(spec: &Spec, schema: &Value) -> Option<(Option<String>, Value)> {
    match spec.type_of(schema).as_deref() {
        Some("array") => Some((None, spec.schema(schema).get("items")?.clone())),
        Some("object") => {
            let properties = spec.properties(schema)?;
            let mut arrays = properties
                .iter()
                .filter(|(_, p)| spec.type_of(p).as_deref() == Some("array"));
            let (name, property) = arrays.next()?;
            if arrays.next().is_some() {
                return None;
            }
            Some((
                Some(name.clone()),
                spec.schema(property).get("items")?.clone(),
            ))
        }
        _ => None,
    }
}

/// The key field of an item schema: the parameter's name in snake case when
/// declared, else `id`.
fn key_of(spec: &Spec, schema: &Value, param: Option<&str>) -> Option<String> {
    if spec.type_of(schema).as_deref() != Some("object") {
        return None;
    }
    let properties = spec.properties(schema)?;
    if let Some(param) = param {
        let name = snake(param);
        if properties.contains_key(&name) {
            return Some(name);
        }
    }
    properties.contains_key("id").then(|| "id".to_string())
}

impl Model {
    /// Reads the families and plans of `spec`.
    pub(crate) fn infer(spec: &Spec) -> Model {
        let ops = &spec.operations;
        let families = find_families(spec);
        let plans = ops
            .iter()
            .map(|operation| {
                let role = role_of(spec, &families, operation);
                let mut success = successes(operation).map(|r| r.status);
                let first = success.next();
                let success = if operation.method == "POST"
                    && operation.responses.iter().any(|r| r.status == 201)
                {
                    Some(201)
                } else {
                    first
                };
                Plan {
                    role,
                    success,
                    idempotency: operation
                        .params
                        .iter()
                        .find(|p| {
                            p.location == In::Header
                                && p.name.to_ascii_lowercase().contains("idempotency")
                        })
                        .map(|p| p.name.clone()),
                    paging: paging_of(spec, operation, role),
                }
            })
            .collect();
        Model { families, plans }
    }

    /// The plan of every operation, one line each, and the families: how
    /// the engine reads the spec (`cryptomate::mock::plan`).
    pub(crate) fn describe(&self, spec: &Spec) -> String {
        let mut out = String::new();
        for family in &self.families {
            let parents: Vec<String> = family
                .parents
                .iter()
                .map(|p| match p {
                    Some(p) => self.families[*p].collection.clone(),
                    None => "-".into(),
                })
                .collect();
            let _ = writeln!(
                out,
                "family {} key {}{}",
                family.collection,
                family.key,
                if parents.is_empty() {
                    String::new()
                } else {
                    format!(" scoped by {}", parents.join(", "))
                }
            );
        }
        for (operation, plan) in spec.operations.iter().zip(&self.plans) {
            let family = plan
                .role
                .family()
                .map(|f| format!(" {}", self.families[f].collection))
                .unwrap_or_default();
            let mut extras = Vec::new();
            if let Some(status) = plan.success {
                extras.push(status.to_string());
            }
            if let Some(header) = &plan.idempotency {
                extras.push(format!("idempotent on {header}"));
            }
            if let Some(paging) = &plan.paging {
                let mut how = vec![format!(
                    "items {}",
                    paging.items_field.as_deref().unwrap_or(".")
                )];
                if let Some((name, first)) = &paging.page {
                    how.push(format!("page {name} from {first}"));
                }
                if let Some((name, _)) = &paging.size {
                    how.push(format!("size {name}"));
                }
                if let Some(name) = &paging.token {
                    how.push(format!("token {name}"));
                }
                extras.push(format!("paged ({})", how.join(", ")));
            }
            let _ = writeln!(
                out,
                "{} {} {}: {}{family} [{}]",
                operation.method,
                operation.template,
                operation.id,
                plan.role.name(),
                extras.join("; ")
            );
        }
        out
    }
}

fn find_families(spec: &Spec) -> Vec<Family> {
    let ops = &spec.operations;
    // Every prefix that some operation treats as a collection.
    let mut collections: Vec<(usize, String)> = Vec::new();
    let mut add = |segments: &[Segment]| {
        if segments.is_empty() {
            return;
        }
        let entry = (segments.len(), norm(segments));
        if !collections.contains(&entry) {
            collections.push(entry);
        }
    };
    for operation in ops {
        let segments = &operation.segments;
        for (i, segment) in segments.iter().enumerate() {
            if matches!(segment, Segment::Param(_)) {
                add(&segments[..i]);
            }
        }
        if let Some(Segment::Literal(last)) = segments.last()
            && last == "create"
        {
            add(&segments[..segments.len() - 1]);
        }
        // A `GET` lists the collection it names, or the one before the
        // list suffix it ends with (the longest: `list/search` before
        // `search`). A `POST` alone makes no collection: what it makes is
        // read nowhere.
        if operation.method == "GET" {
            let head = LIST_SUFFIXES
                .iter()
                .rev()
                .find(|suffix| {
                    segments.len() > suffix.len()
                        && literals(&segments[segments.len() - suffix.len()..]).as_deref()
                            == Some(**suffix)
                })
                .map_or(segments.as_slice(), |suffix| {
                    &segments[..segments.len() - suffix.len()]
                });
            add(head);
        }
    }
    // Longest first, so that a nested family's roles win over its parent's.
    collections.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut families: Vec<Family> = collections
        .into_iter()
        .filter_map(|(len, collection)| family(spec, len, collection))
        .collect();
    let item_templates: Vec<String> = families
        .iter()
        .map(|f| format!("{}/{{}}", f.collection))
        .collect();
    for family in &mut families {
        let mut parents = Vec::new();
        let mut prefix = String::new();
        for segment in family.collection.trim_start_matches('/').split('/') {
            prefix.push('/');
            prefix.push_str(segment);
            if segment == "{}" {
                parents.push(item_templates.iter().position(|t| *t == prefix));
            }
        }
        family.parents = parents;
    }
    families
}

/// The collection `collection` (`len` segments) as a family, when its
/// items have a keyed object schema that a read, create or list gives.
fn family(spec: &Spec, len: usize, collection: String) -> Option<Family> {
    let ops = &spec.operations;
    let item_param = ops
        .iter()
        .filter(|o| o.segments.len() > len && norm(&o.segments[..len]) == collection)
        .find_map(|o| match &o.segments[len] {
            Segment::Param(name) => Some(name.as_str()),
            Segment::Literal(_) => None,
        });
    let item = format!("{collection}/{{}}");
    let read = ops
        .iter()
        .find(|o| o.method == "GET" && norm(&o.segments) == item)
        .and_then(success_schema)
        .filter(|schema| key_of(spec, schema, item_param).is_some());
    let create = ops
        .iter()
        .filter(|o| {
            o.method == "POST"
                && (norm(&o.segments) == collection
                    || norm(&o.segments) == format!("{collection}/create"))
        })
        .find_map(success_schema)
        .filter(|schema| key_of(spec, schema, item_param).is_some());
    let list = ops
        .iter()
        .filter(|o| o.method == "GET" && is_list_path(&o.segments, len, &collection))
        .find_map(|o| list_shape(spec, success_schema(o)?))
        .map(|(_, items)| items)
        .filter(|items| key_of(spec, items, item_param).is_some());
    let item_schema = read.or(create).or(list.as_ref())?.clone();
    Some(Family {
        depth: collection.matches("{}").count(),
        key: key_of(spec, &item_schema, item_param)?,
        collection,
        item_schema,
        parents: Vec::new(),
    })
}

fn is_list_path(segments: &[Segment], len: usize, collection: &str) -> bool {
    if segments.len() < len || norm(&segments[..len]) != collection {
        return false;
    }
    let Some(tail) = literals(&segments[len..]) else {
        return false;
    };
    tail.is_empty() || LIST_SUFFIXES.contains(&tail.as_slice())
}

fn role_of(spec: &Spec, families: &[Family], operation: &Operation) -> Role {
    let segments = &operation.segments;
    for (index, family) in families.iter().enumerate() {
        let len = family.collection.trim_start_matches('/').split('/').count();
        if segments.len() < len || norm(&segments[..len]) != family.collection {
            continue;
        }
        let rest = &segments[len..];
        let role = match rest.first() {
            None | Some(Segment::Literal(_)) => {
                collection_role(spec, family, index, operation, rest)
            }
            Some(Segment::Param(_)) => item_role(spec, family, index, operation, &rest[1..]),
        };
        if role != Role::Static {
            return role;
        }
    }
    Role::Static
}

fn collection_role(
    spec: &Spec,
    family: &Family,
    index: usize,
    operation: &Operation,
    rest: &[Segment],
) -> Role {
    let Some(words) = literals(rest) else {
        return Role::Static;
    };
    let keyed = || success_schema(operation).is_some_and(|s| key_of(spec, s, None).is_some());
    // A body that carries the item's key makes the item of that key (an
    // upsert), whatever the answer shows.
    let upsert = || {
        operation
            .body
            .as_ref()
            .and_then(|(schema, _)| spec.properties(schema))
            .is_some_and(|p| p.contains_key(&family.key))
    };
    match (operation.method.as_str(), words.as_slice()) {
        ("POST", []) | ("POST", ["create"]) if keyed() || upsert() => Role::Create(index),
        ("POST", [word]) if !LIST_SUFFIXES.contains(&&[*word][..]) && keyed() => {
            Role::Create(index)
        }
        ("GET", words)
            if (words.is_empty() || LIST_SUFFIXES.contains(&words))
                && success_schema(operation)
                    .and_then(|s| list_shape(spec, s))
                    .is_some() =>
        {
            Role::List(index)
        }
        _ => Role::Static,
    }
}

fn item_role(
    spec: &Spec,
    family: &Family,
    index: usize,
    operation: &Operation,
    rest: &[Segment],
) -> Role {
    // An item path whose read answers something other than the item (an
    // array by blockchain, say) is not an item of this family.
    let item = format!("{}/{{}}", family.collection);
    let read_is_item = spec
        .operations
        .iter()
        .filter(|o| o.method == "GET" && norm(&o.segments) == item)
        .all(|o| {
            success_schema(o)
                .and_then(|s| spec.properties(s))
                .is_some_and(|p| p.contains_key(&family.key))
        });
    if !read_is_item {
        return Role::Static;
    }
    let verb = match rest {
        [] => Some(""),
        [Segment::Literal(word)] => ITEM_VERBS
            .iter()
            .find(|(w, _)| w == word)
            .map(|(_, what)| *what),
        _ => None,
    };
    match (operation.method.as_str(), verb) {
        ("GET", Some("")) => Role::Read(index),
        ("PUT", Some("" | "change")) => Role::Replace(index),
        ("PATCH", Some("" | "change")) | ("POST", Some("change")) => Role::Merge(index),
        ("DELETE", Some("" | "delete")) | ("POST", Some("delete")) => Role::Delete(index),
        ("GET", _) => Role::SubRead(index),
        ("PUT" | "PATCH", _) => Role::SubWrite(index),
        ("DELETE", _) => Role::SubDelete(index),
        _ => Role::Action(index),
    }
}

fn paging_of(spec: &Spec, operation: &Operation, role: Role) -> Option<Paging> {
    if operation.method != "GET" || !matches!(role, Role::List(_) | Role::SubRead(_) | Role::Static)
    {
        return None;
    }
    let (items_field, _) = list_shape(spec, success_schema(operation)?)?;
    let query = |name: &str| {
        operation
            .params
            .iter()
            .find(|p| p.location == In::Query && p.name == name)
    };
    let page = PAGE_PARAMS.iter().find_map(|(name, first)| {
        let param = query(name)?;
        let said = param
            .schema
            .get("minimum")
            .or_else(|| param.schema.get("default"))
            .and_then(Value::as_i64);
        Some((name.to_string(), said.unwrap_or(*first)))
    });
    let size = SIZE_PARAMS.iter().find_map(|name| {
        let param = query(name)?;
        Some((
            name.to_string(),
            param.schema.get("default").and_then(Value::as_i64),
        ))
    });
    let token = TOKEN_PARAMS
        .iter()
        .find(|name| query(name).is_some())
        .map(|name| name.to_string());
    Some(Paging {
        items_field,
        page,
        size,
        token,
    })
}

#[cfg(test)]
mod tests {
    use super::{Model, snake};
    use crate::mock::spec::Spec;
    use serde_json::Value;

    /// The mock reads paging from parameter names and the answer's shape;
    /// the generator's `pages()` and `items()` from the spec's
    /// `x-pagination` (`codegen/pages.rs`). They agree on every operation:
    /// the marked ones page as marked, and no other pages.
    #[test]
    fn the_mock_pages_exactly_the_marked_operations_as_marked() {
        let spec = Spec::crate_spec();
        let model = Model::infer(&spec);
        let marks: Vec<(&str, &Value)> = spec.json["paths"]
            .as_object()
            .into_iter()
            .flat_map(|paths| paths.values())
            .filter_map(Value::as_object)
            .flat_map(|item| item.values())
            .filter_map(|op| Some((op["operationId"].as_str()?, op.get("x-pagination")?)))
            .collect();
        assert!(marks.len() >= 6, "{marks:?}");
        for (operation, plan) in spec.operations.iter().zip(&model.plans) {
            let paged = plan
                .paging
                .as_ref()
                .filter(|p| p.page.is_some() || p.token.is_some());
            let mark = marks.iter().find(|(id, _)| *id == operation.id);
            match (mark, paged) {
                (None, None) => {}
                (Some((id, mark)), Some(paging)) => {
                    let expected = match mark["style"].as_str() {
                        Some("page_number") => (Some(("page_number".to_string(), 1)), None),
                        Some("page") => (Some(("page".to_string(), 0)), None),
                        Some("cursor") => (None, Some("paging_state_token".to_string())),
                        other => panic!("{id}: a style the generator refuses: {other:?}"),
                    };
                    assert_eq!(
                        (paging.page.clone(), paging.token.clone()),
                        expected,
                        "{id}"
                    );
                    assert_eq!(
                        paging.items_field.as_deref(),
                        mark["items"].as_str(),
                        "{id}: the items"
                    );
                }
                (mark, paged) => panic!(
                    "{}: marked {mark:?}, but the mock pages it {paged:?}",
                    operation.id
                ),
            }
        }
    }

    #[test]
    fn parameter_names_become_snake_case_fields() {
        assert_eq!(snake("walletId"), "wallet_id");
        assert_eq!(snake("blockchain"), "blockchain");
        assert_eq!(snake("productRequestId"), "product_request_id");
        assert_eq!(snake("id"), "id");
    }
}
