//! `api-diff` generates only the slices of the two specs that a change can
//! touch (`xtask/src/api_diff/slice.rs`). These tests hold its Rust diff to the
//! Rust diff of the two specs generated whole, on random edits of a
//! multi-operation spec and on type-name collisions built on purpose.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::{Value, json};
use xtask::api_diff::slice::Index;
use xtask::api_diff::{Source, compare, rust_changes_whole, whole_model};
use xtask::synth;

/// Operations in the spec the edits start from (`synth::spec`): operation 0
/// keeps the real names, the others have their own numbered copies of the
/// request and response schemas.
const OPERATIONS: usize = 3;

#[derive(Debug, Clone)]
enum Edit {
    OptionalFieldAdded(usize),
    FieldMadeRequired(usize),
    FieldRemoved(usize),
    TypeChanged(usize),
    FormatChanged(usize),
    /// An inline enum: typify names it after its parent (`Client1Tier`).
    InlineEnumAdded(usize),
    OperationAdded(usize),
    OperationRemoved(usize),
    OperationIdChanged(usize),
    /// An inline request body: progenitor names it `CreateClient1Body`.
    InlineBody(usize),
    /// A component schema named like operation i's inline body.
    SchemaNamedLikeABody(usize),
    /// An inline object in `Address{i}` titled like `Client{j}`: typify
    /// names it after its title, which collides with that component.
    TitleLikeAComponent(usize, usize),
    SharedSchemaChanged,
    /// `CreateClientRequest{i}` becomes a string: the operation's builder
    /// loses `body_map`, though the operation itself does not change.
    RequestBodyBecomesAString(usize),
    /// `Client{i}` becomes a string: operation i still answers with
    /// `types::Client{i}`, so its builder does not change.
    ResponseBecomesAString(usize),
    /// `Address{i}` becomes nullable: typify names its inner type
    /// `Address{i}Inner`.
    NullableComponent(usize),
    /// `Client{i}.last_name` becomes nullable.
    NullableField(usize),
    /// A new string-enum component `Tier{i}`, used by `Client{i}`.
    EnumComponent(usize),
    /// `Document{i}` becomes a list of `Address{i}`.
    ArrayComponent(usize),
    /// The example every operation's response refers to.
    SharedExampleChanged,
    /// An inline enum in a response header of operation i: progenitor
    /// generates nothing for response headers.
    HeaderEnum(usize),
    /// Operation i moves to the product `cards`: its method, its builder and
    /// the types only it uses need another feature, and the types it shares
    /// with operations outside the slice (`ApiError`'s users, `Timestamp`'s)
    /// need either.
    TagChanged(usize),
}

fn suffix(i: usize) -> String {
    if i == 0 { String::new() } else { i.to_string() }
}

fn schema<'v>(spec: &'v mut Value, name: &str) -> &'v mut Value {
    &mut spec["components"]["schemas"][name]
}

fn operation(spec: &mut Value, i: usize) -> &mut Value {
    &mut spec["paths"][format!("/management/clients{}", suffix(i))]["post"]
}

fn apply(spec: &mut Value, edit: &Edit) {
    apply_edit(spec, edit);
    // Indexing a removed operation (`operation`) leaves a path item whose
    // `post` is null behind: not a spec either side could generate.
    if let Some(paths) = spec["paths"].as_object_mut() {
        paths.retain(|_, item| !item.get("post").is_some_and(Value::is_null));
    }
}

fn apply_edit(spec: &mut Value, edit: &Edit) {
    match *edit {
        Edit::OptionalFieldAdded(i) => {
            schema(spec, &format!("CreateClientRequest{}", suffix(i)))["properties"]["nickname"] =
                json!({ "type": "string" });
        }
        Edit::FieldMadeRequired(i) => {
            schema(spec, &format!("Address{}", suffix(i)))["required"] = json!(["city"]);
        }
        Edit::FieldRemoved(i) => {
            if let Some(p) =
                schema(spec, &format!("Document{}", suffix(i)))["properties"].as_object_mut()
            {
                p.remove("number");
            }
        }
        Edit::TypeChanged(i) => {
            schema(spec, &format!("Client{}", suffix(i)))["properties"]["first_name"] =
                json!({ "type": "integer", "format": "int64" });
        }
        Edit::FormatChanged(i) => {
            schema(spec, &format!("Address{}", suffix(i)))["properties"]["postal_code"] =
                json!({ "type": "string", "format": "date" });
        }
        Edit::InlineEnumAdded(i) => {
            schema(spec, &format!("Client{}", suffix(i)))["properties"]["tier"] =
                json!({ "type": "string", "enum": ["basic", "gold"] });
        }
        Edit::OperationAdded(i) => {
            // A copy of an operation an earlier edit removed would be a path
            // item without an operation: not a spec either side generates.
            let mut op = operation(spec, i).clone();
            if !op.is_object() {
                return;
            }
            op["operationId"] = json!(format!("copy_of_create_client{}", suffix(i)));
            spec["paths"][format!("/copies/{i}")] = json!({ "post": op });
        }
        Edit::OperationRemoved(i) => {
            if let Some(paths) = spec["paths"].as_object_mut()
                && paths.len() > 1
            {
                paths.remove(&format!("/management/clients{}", suffix(i)));
            }
        }
        Edit::OperationIdChanged(i) => {
            let op = operation(spec, i);
            if op.is_object() {
                op["operationId"] = json!(format!("make_client{}", suffix(i)));
            }
        }
        Edit::InlineBody(i) => {
            let op = operation(spec, i);
            if op.is_object() {
                op["requestBody"]["content"]["application/json"]["schema"] = json!({
                    "type": "object",
                    "properties": { "level": { "type": "string", "enum": ["a", "b"] } }
                });
            }
        }
        Edit::SchemaNamedLikeABody(i) => {
            *schema(spec, &format!("CreateClient{}Body", suffix(i))) = json!({
                "type": "object",
                "properties": { "other": { "type": "integer" } }
            });
        }
        Edit::TitleLikeAComponent(i, j) => {
            schema(spec, &format!("Address{}", suffix(i)))["properties"]["extra"] = json!({
                "type": "object",
                "title": format!("Client{}", suffix(j)),
                "properties": { "note": { "type": "boolean" } }
            });
        }
        Edit::RequestBodyBecomesAString(i) => {
            *schema(spec, &format!("CreateClientRequest{}", suffix(i))) =
                json!({ "type": "string", "maxLength": 64 });
        }
        Edit::ResponseBecomesAString(i) => {
            *schema(spec, &format!("Client{}", suffix(i))) = json!({ "type": "string" });
        }
        Edit::NullableComponent(i) => {
            schema(spec, &format!("Address{}", suffix(i)))["nullable"] = json!(true);
        }
        Edit::NullableField(i) => {
            schema(spec, &format!("Client{}", suffix(i)))["properties"]["last_name"]["nullable"] =
                json!(true);
        }
        Edit::EnumComponent(i) => {
            *schema(spec, &format!("Tier{}", suffix(i))) =
                json!({ "type": "string", "enum": ["basic", "gold"] });
            schema(spec, &format!("Client{}", suffix(i)))["properties"]["tier"] =
                json!({ "$ref": format!("#/components/schemas/Tier{}", suffix(i)) });
        }
        Edit::ArrayComponent(i) => {
            *schema(spec, &format!("Document{}", suffix(i))) = json!({
                "type": "array",
                "items": { "$ref": format!("#/components/schemas/Address{}", suffix(i)) }
            });
        }
        Edit::HeaderEnum(i) => {
            let op = operation(spec, i);
            if op.is_object() {
                op["responses"]["201"]["headers"]["X-Tier"] =
                    json!({ "schema": { "type": "string", "enum": ["a", "b"] } });
            }
        }
        Edit::TagChanged(i) => {
            let op = operation(spec, i);
            if op.is_object() {
                op["tags"] = json!(["cards"]);
            }
        }
        Edit::SharedExampleChanged => {
            spec["components"]["examples"]["CreatedClient"]["value"]["first_name"] = json!("Ada");
        }
        Edit::SharedSchemaChanged => {
            schema(spec, "ApiError")["properties"]["hint"] = json!({ "type": "string" });
        }
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    let i = 0..OPERATIONS;
    prop_oneof![
        i.clone().prop_map(Edit::OptionalFieldAdded),
        i.clone().prop_map(Edit::FieldMadeRequired),
        i.clone().prop_map(Edit::FieldRemoved),
        i.clone().prop_map(Edit::TypeChanged),
        i.clone().prop_map(Edit::FormatChanged),
        i.clone().prop_map(Edit::InlineEnumAdded),
        i.clone().prop_map(Edit::OperationAdded),
        i.clone().prop_map(Edit::OperationRemoved),
        i.clone().prop_map(Edit::OperationIdChanged),
        i.clone().prop_map(Edit::InlineBody),
        i.clone().prop_map(Edit::SchemaNamedLikeABody),
        (i.clone(), 0..OPERATIONS).prop_map(|(i, j)| Edit::TitleLikeAComponent(i, j)),
        Just(Edit::SharedSchemaChanged),
        Just(Edit::SharedExampleChanged),
        i.clone().prop_map(Edit::HeaderEnum),
        i.clone().prop_map(Edit::TagChanged),
        i.clone().prop_map(Edit::RequestBodyBecomesAString),
        i.clone().prop_map(Edit::ResponseBecomesAString),
        i.clone().prop_map(Edit::NullableComponent),
        i.clone().prop_map(Edit::NullableField),
        i.clone().prop_map(Edit::EnumComponent),
        i.clone().prop_map(Edit::ArrayComponent),
    ]
}

fn origin() -> Value {
    serde_yaml_ng::from_str(&synth::spec(OPERATIONS)).expect("the synthetic spec is YAML")
}

fn source(name: &str, spec: &Value) -> Source {
    Source {
        name: name.into(),
        text: serde_yaml_ng::to_string(spec).expect("JSON values serialize as YAML"),
    }
}

/// The Rust changes of the sliced comparison and of the whole one, as sets of
/// their debug renderings; `Err` with the message when a side fails.
fn both_ways(
    base: &Value,
    head: &Value,
) -> (
    Result<BTreeSet<String>, String>,
    Result<BTreeSet<String>, String>,
) {
    let message = |f: xtask::Failure| f.to_string();
    let sliced = compare(source("base.yaml", base), source("head.yaml", head))
        .map(|report| {
            report
                .changes
                .iter()
                .flat_map(|c| &c.rust_changes)
                .map(|rc| format!("{rc:?}"))
                .collect()
        })
        .map_err(message);
    let whole = rust_changes_whole(source("base.yaml", base), source("head.yaml", head))
        .map(|changes| changes.iter().map(|rc| format!("{rc:?}")).collect())
        .map_err(message);
    (sliced, whole)
}

/// The premise of the slicing's name check, on the code generated for the
/// whole spec: every generated type name begins with a root of a unit that
/// can derive names, or is a root.
fn assert_names_explained(spec: &Value) {
    let Ok(model) = whole_model(source("spec.yaml", spec)) else {
        return;
    };
    let index = Index::new(spec);
    for name in model.type_names() {
        assert!(
            index.explains(name),
            "no unit of the spec explains the type `{name}`"
        );
    }
}

fn assert_same(base: &Value, head: &Value) {
    assert_names_explained(base);
    assert_names_explained(head);
    let (sliced, whole) = both_ways(base, head);
    match (&sliced, &whole) {
        (Ok(s), Ok(w)) => assert_eq!(s, w, "the sliced Rust diff differs from the whole one"),
        (Err(_), Err(_)) => {}
        _ => panic!("one way fails and not the other:\nsliced: {sliced:?}\nwhole: {whole:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_sliced_rust_diff_is_the_whole_one(
        base_edits in proptest::collection::vec(edit(), 0..3),
        head_edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let (mut base, mut head) = (origin(), origin());
        base_edits.iter().for_each(|e| apply(&mut base, e));
        head_edits.iter().for_each(|e| apply(&mut head, e));
        assert_same(&base, &head);
    }
}

#[test]
fn a_body_type_taken_by_a_component_outside_the_change() {
    // Both sides have a component `CreateClient1Body`; the head gives
    // operation 1 an inline body, which progenitor names `CreateClient1Body`
    // too: typify reuses the component's type for it. The component does not
    // change, so only the name check brings it into the slice.
    let mut base = origin();
    apply(&mut base, &Edit::SchemaNamedLikeABody(1));
    let mut head = base.clone();
    apply(&mut head, &Edit::InlineBody(1));
    let (sliced, whole) = both_ways(&base, &head);
    let whole = whole.expect("the whole specs generate");
    assert_eq!(sliced.expect("the slices generate"), whole);
    assert!(
        whole.iter().any(|c| c.contains("builder::CreateClient1")),
        "the body setter's type changes: {whole:#?}"
    );
}

#[test]
fn a_referrer_changes_with_what_it_refers_to() {
    let base = origin();
    let mut head = base.clone();
    apply(&mut head, &Edit::RequestBodyBecomesAString(1));
    let (sliced, whole) = both_ways(&base, &head);
    let whole = whole.expect("the whole specs generate");
    assert_eq!(sliced.expect("the slices generate"), whole);
    assert!(
        whole
            .iter()
            .any(|c| c.contains("builder::CreateClient1") && c.contains("body_map")),
        "the operation's builder loses body_map: {whole:#?}"
    );
}

#[test]
fn a_type_shared_with_an_operation_outside_the_slice_keeps_its_products() {
    // Operation 1's request takes operation 0's `Address`; operation 1
    // moves to `cards`. The slice holds operation 1 and `Address`, not
    // operation 0, which still uses `Address` from Management: the whole
    // spec's reach says so, and `Address` needs either feature afterwards.
    let mut base = origin();
    let request = schema(&mut base, "CreateClientRequest1");
    let text = request.to_string().replace("/Address1\"", "/Address\"");
    *request = serde_json::from_str(&text).expect("JSON");
    let mut head = base.clone();
    apply(&mut head, &Edit::TagChanged(1));
    let (sliced, whole) = both_ways(&base, &head);
    let whole = whole.expect("the whole specs generate");
    assert_eq!(sliced.expect("the slices generate"), whole);
    let changed = |item: &str| {
        whole
            .iter()
            .find(|c| c.contains(&format!("item: \"{item}\"")))
            .unwrap_or_else(|| panic!("no change of {item}: {whole:#?}"))
    };
    assert!(
        changed("Client::create_client1").contains("Breaking"),
        "{whole:#?}"
    );
    let address = changed("types::Address");
    assert!(
        address.contains("Additive")
            && address.contains("one of the features `cards`, `management`"),
        "{address}"
    );
}

#[test]
fn a_type_an_unused_schema_outside_the_slice_refers_to_stays_always_present() {
    // `Orphan`, which no operation uses, refers to `Address`: in the whole
    // spec's code both are always present, whatever operation 0 (the only
    // one using `Address`) needs. Moving operation 0 to `cards` brings
    // `Address` into the slice, not `Orphan`: the whole spec says `Address`
    // stays present, as the open enums `Client` shares with the unused
    // `IndividualClient` do.
    let mut base = origin();
    *schema(&mut base, "Orphan") = json!({
        "type": "object",
        "properties": { "home": { "$ref": "#/components/schemas/Address" } }
    });
    let mut head = base.clone();
    apply(&mut head, &Edit::TagChanged(0));
    let (sliced, whole) = both_ways(&base, &head);
    let whole = whole.expect("the whole specs generate");
    assert_eq!(sliced.expect("the slices generate"), whole);
    assert!(
        whole
            .iter()
            .any(|c| c.contains("item: \"types::Client\"") && c.contains("`cards`")),
        "operation 0's response moves to `cards`: {whole:#?}"
    );
    for present in ["types::Address", "types::ClientType"] {
        assert!(
            !whole
                .iter()
                .any(|c| c.contains(&format!("item: \"{present}\""))),
            "{present} is always present on both sides: {whole:#?}"
        );
    }
}

#[test]
fn a_response_schema_changed_whole() {
    // The operations answering with `Client1` and `ApiError` are left out of
    // the slice (they use those types by name); the diff is still the whole.
    let base = origin();
    for edit in [Edit::ResponseBecomesAString(1), Edit::SharedSchemaChanged] {
        let mut head = base.clone();
        apply(&mut head, &edit);
        assert_same(&base, &head);
    }
}

#[test]
fn a_title_that_names_an_unchanged_component() {
    let base = origin();
    let mut head = base.clone();
    apply(&mut head, &Edit::TitleLikeAComponent(1, 2));
    assert_same(&base, &head);
}

#[test]
fn a_title_outside_the_change_that_takes_a_changed_name() {
    // `Address1` (unchanged, and generated before `Client2`) holds an inline
    // object titled `Client2`: typify gives it the name first, and the
    // component `Client2` becomes that type. Changing `Client2` then changes
    // no generated code, which only a slice holding `Address1` also sees.
    let mut base = origin();
    apply(&mut base, &Edit::TitleLikeAComponent(1, 2));
    let mut head = base.clone();
    apply(&mut head, &Edit::TypeChanged(2));
    assert_same(&base, &head);
}

#[test]
fn numbered_names_that_begin_each_other() {
    // `Client1` begins `Client10` and `Client11`: changing operation 1 must
    // bring them into the slice; the result is still the whole diff.
    let origin: Value = serde_yaml_ng::from_str(&synth::spec(12)).expect("YAML");
    for edit in [
        Edit::InlineEnumAdded(1),
        Edit::OptionalFieldAdded(1),
        Edit::InlineBody(1),
    ] {
        let mut head = origin.clone();
        apply(&mut head, &edit);
        assert_same(&origin, &head);
    }
}
