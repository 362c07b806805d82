//! `api-diff` without compiling downstream code: the spec-level diff finds each
//! kind of change at its JSON pointer with the right wire verdict; the command
//! exits 0, 1 and 2 as documented; the JSON output has its documented shape;
//! the markdown comment is snapshotted.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};
use xtask::api_diff::spec::{SpecChange, diff};
use xtask::api_diff::{Bump, Kind, Source, compare};

/// A spec with one operation: a closed request object and an open response
/// object, each with a few fields, and an error schema.
fn spec() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": { "title": "t", "version": "1" },
        "security": [{ "Key": [] }],
        "paths": {
            "/things": {
                "post": {
                    "operationId": "create_thing",
                    "parameters": [
                        { "name": "dry_run", "in": "query", "schema": { "type": "boolean" } }
                    ],
                    "requestBody": {
                        "required": true,
                        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ThingRequest" } } }
                    },
                    "responses": {
                        "201": {
                            "description": "created",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } }
                        },
                        "400": {
                            "description": "bad",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
                        }
                    }
                }
            }
        },
        "components": {
            "securitySchemes": { "Key": { "type": "apiKey", "in": "header", "name": "X-KEY" } },
            "schemas": {
                "ThingRequest": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "name": { "type": "string" },
                        "size": { "type": "integer", "format": "int32" },
                        "color": { "type": "string", "enum": ["red", "blue"] }
                    }
                },
                "Thing": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": { "type": "string" },
                        "size": { "type": "integer", "format": "int32" },
                        "state": { "type": "string", "enum": ["new", "old"] },
                        "kind": { "type": "string", "x-extensible-enum": ["a"] },
                        "note": { "type": "string" }
                    }
                },
                "Error": { "type": "object", "properties": { "code": { "type": "string" } } },
                "Error2": { "type": "object", "properties": { "code": { "type": "string" } } }
            }
        }
    })
}

/// The spec with `edit` applied, diffed against the spec.
fn changes(edit: impl FnOnce(&mut Value)) -> Vec<SpecChange> {
    let base = spec();
    let mut head = base.clone();
    edit(&mut head);
    diff(&base, &head)
}

/// The one change of an edit.
fn one(edit: impl FnOnce(&mut Value)) -> SpecChange {
    let changes = changes(edit);
    assert_eq!(changes.len(), 1, "one change: {changes:#?}");
    changes.into_iter().next().expect("one change")
}

const REQ: &str = "/components/schemas/ThingRequest";
const RESP: &str = "/components/schemas/Thing";

#[test]
fn optional_request_field_added_is_safe_on_the_wire() {
    let c = one(|s| {
        s["components"]["schemas"]["ThingRequest"]["properties"]["nick"] = json!({"type": "string"})
    });
    assert_eq!(c.kind, Kind::FieldAdded);
    assert_eq!(c.pointer, format!("{REQ}/properties/nick"));
    assert!(!c.wire.breaking, "{}", c.wire.reason);
    assert_eq!(c.after, Some(json!({"type": "string"})));
}

#[test]
fn required_request_field_added_breaks_writers() {
    let c = changes(|s| {
        let r = &mut s["components"]["schemas"]["ThingRequest"];
        r["properties"]["nick"] = json!({"type": "string"});
        r["required"] = json!(["nick"]);
    });
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].kind, Kind::FieldAdded);
    assert!(c[0].wire.breaking && c[0].wire.reason.contains("required"));
}

#[test]
fn response_field_added_is_safe_because_responses_are_open() {
    let c = one(|s| {
        s["components"]["schemas"]["Thing"]["properties"]["extra"] = json!({"type": "string"})
    });
    assert_eq!(c.kind, Kind::FieldAdded);
    assert!(!c.wire.breaking);
    assert!(c.wire.reason.contains("open"), "{}", c.wire.reason);
}

#[test]
fn a_field_named_like_a_keyword_is_followed() {
    // `Label` is used only by `Thing`'s field called `description`: it is a
    // response schema, not one no operation uses (judged as both sides).
    let mut base = spec();
    base["components"]["schemas"]["Label"] =
        json!({ "type": "object", "properties": { "text": { "type": "string" } } });
    base["components"]["schemas"]["Thing"]["properties"]["description"] =
        json!({ "$ref": "#/components/schemas/Label" });
    let mut head = base.clone();
    head["components"]["schemas"]["Label"]["properties"] = json!({});
    let changes = diff(&base, &head);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let reason = &changes[0].wire.reason;
    assert!(
        reason.starts_with("in responses:") && !reason.contains("in requests"),
        "{reason}"
    );
}

#[test]
fn field_removed_breaks_readers_and_closed_request_writers() {
    let c = one(|s| {
        s["components"]["schemas"]["Thing"]["properties"]
            .as_object_mut()
            .expect("object")
            .remove("note");
    });
    assert_eq!(
        (c.kind, c.pointer.as_str()),
        (
            Kind::FieldRemoved,
            "/components/schemas/Thing/properties/note"
        )
    );
    assert!(c.wire.breaking);
    let c = one(|s| {
        s["components"]["schemas"]["ThingRequest"]["properties"]
            .as_object_mut()
            .expect("object")
            .remove("name");
    });
    assert_eq!(c.kind, Kind::FieldRemoved);
    assert!(
        c.wire.breaking && c.wire.reason.contains("closed"),
        "{}",
        c.wire.reason
    );
}

#[test]
fn a_field_removed_and_one_added_with_the_same_schema_is_a_rename() {
    let c = one(|s| {
        let props = s["components"]["schemas"]["Thing"]["properties"]
            .as_object_mut()
            .expect("object");
        let note = props.remove("note").expect("note");
        props.insert("comment".into(), note);
    });
    assert_eq!(c.kind, Kind::FieldRenamed);
    assert_eq!(c.pointer, format!("{RESP}/properties/comment"));
    assert_eq!(
        (c.before, c.after),
        (Some(json!("note")), Some(json!("comment")))
    );
    assert!(c.wire.breaking);
}

#[test]
fn widening_is_safe_for_writers_and_breaks_readers() {
    let c = one(|s| {
        s["components"]["schemas"]["ThingRequest"]["properties"]["size"]["format"] = json!("int64")
    });
    assert_eq!(
        (c.kind, c.pointer.as_str()),
        (
            Kind::FormatChanged,
            "/components/schemas/ThingRequest/properties/size/format"
        )
    );
    assert!(!c.wire.breaking, "{}", c.wire.reason);
    let c = one(|s| {
        s["components"]["schemas"]["Thing"]["properties"]["size"]["format"] = json!("int64")
    });
    assert!(c.wire.breaking, "{}", c.wire.reason);
}

#[test]
fn type_and_string_format_changes() {
    let c = one(|s| {
        s["components"]["schemas"]["Thing"]["properties"]["note"] = json!({"type": "integer"})
    });
    assert_eq!(c.kind, Kind::TypeChanged);
    assert_eq!(c.pointer, format!("{RESP}/properties/note/type"));
    assert!(c.wire.breaking);
    let c = one(|s| {
        s["components"]["schemas"]["ThingRequest"]["properties"]["name"]["format"] = json!("date")
    });
    assert_eq!(c.kind, Kind::FormatChanged);
    assert!(c.wire.breaking, "writers of free text are now rejected");
    let c = one(|s| {
        s["components"]["schemas"]["Thing"]["properties"]["note"]["format"] = json!("date")
    });
    assert!(
        !c.wire.breaking,
        "readers still get a string: {}",
        c.wire.reason
    );
}

#[test]
fn required_and_nullable_changes() {
    let c = one(|s| s["components"]["schemas"]["ThingRequest"]["required"] = json!(["name"]));
    assert_eq!(
        (c.kind, c.pointer.as_str()),
        (
            Kind::RequiredChanged,
            "/components/schemas/ThingRequest/properties/name/required"
        )
    );
    assert!(c.wire.breaking);
    let c = one(|s| s["components"]["schemas"]["Thing"]["required"] = json!([]));
    assert_eq!(c.kind, Kind::RequiredChanged);
    assert!(c.wire.breaking, "readers relied on id");
    let c = one(|s| {
        s["components"]["schemas"]["Thing"]["properties"]["note"]["nullable"] = json!(true)
    });
    assert_eq!(
        (c.kind, c.pointer.as_str()),
        (
            Kind::NullableChanged,
            "/components/schemas/Thing/properties/note/nullable"
        )
    );
    assert!(c.wire.breaking);
}

#[test]
fn enum_values_closed_and_extensible() {
    let c = one(|s| {
        s["components"]["schemas"]["Thing"]["properties"]["state"]["enum"] =
            json!(["new", "old", "gone"])
    });
    assert_eq!(
        (c.kind, c.pointer.as_str()),
        (
            Kind::EnumValueAdded,
            "/components/schemas/Thing/properties/state/enum/2"
        )
    );
    assert!(c.wire.breaking, "a closed enum in a response");
    let c = one(|s| {
        s["components"]["schemas"]["Thing"]["properties"]["kind"]["x-extensible-enum"] =
            json!(["a", "b"])
    });
    assert_eq!(c.kind, Kind::EnumValueAdded);
    assert!(!c.wire.breaking, "an open set: {}", c.wire.reason);
    let c = one(|s| {
        s["components"]["schemas"]["ThingRequest"]["properties"]["color"]["enum"] = json!(["red"])
    });
    assert_eq!(c.kind, Kind::EnumValueRemoved);
    assert!(c.wire.breaking, "writers that send blue are rejected");
}

#[test]
fn statuses_error_schema_auth_and_examples() {
    let c = one(|s| {
        s["paths"]["/things"]["post"]["responses"]["409"] = json!({"description": "conflict"})
    });
    assert_eq!(
        (c.kind, c.pointer.as_str()),
        (Kind::StatusAdded, "/paths/~1things/post/responses/409")
    );
    let c = one(|s| {
        s["paths"]["/things"]["post"]["responses"]["400"]["content"]["application/json"]["schema"]
            ["$ref"] = json!("#/components/schemas/Error2")
    });
    // `Error2` has the shape of `Error`: the same JSON, so no wire change.
    assert_eq!(c.kind, Kind::RefChanged);
    assert_eq!(
        c.pointer,
        "/paths/~1things/post/responses/400/content/application~1json/schema"
    );
    assert!(!c.wire.breaking, "{}", c.wire.reason);
    let c = one(|s| {
        s["paths"]["/things"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
            ["$ref"] = json!("#/components/schemas/Error2")
    });
    assert_eq!(c.kind, Kind::RefChanged);
    assert!(
        c.wire.breaking && c.wire.reason.contains("properties/id"),
        "compared by shape, naming what differs: {}",
        c.wire.reason
    );
    let c = one(|s| s["security"] = json!([{ "Other": [] }]));
    assert_eq!(
        (c.kind, c.pointer.as_str()),
        (Kind::AuthChanged, "/security")
    );
    assert!(c.wire.breaking);
    let c = one(|s| s["components"]["securitySchemes"]["Key"]["name"] = json!("X-API-KEY"));
    assert_eq!(c.kind, Kind::AuthChanged);
    assert!(c.wire.breaking);
    // Header names are case-insensitive: the same credentials still work (the
    // project's own spec made this change).
    let c = one(|s| s["components"]["securitySchemes"]["Key"]["name"] = json!("x-key"));
    assert_eq!(c.kind, Kind::AuthChanged);
    assert!(!c.wire.breaking, "{}", c.wire.reason);
    let c = one(|s| s["components"]["schemas"]["Thing"]["example"] = json!({"id": "x"}));
    assert_eq!(
        (c.kind, c.pointer.as_str()),
        (Kind::ExampleChanged, "/components/schemas/Thing/example")
    );
    assert!(!c.wire.breaking);
}

#[test]
fn operations_paths_and_parameters() {
    let c = one(|s| {
        s["paths"]["/things"]["get"] = json!({"operationId": "list_things", "responses": {}})
    });
    assert_eq!(
        (c.kind, c.pointer.as_str()),
        (Kind::OperationAdded, "/paths/~1things/get")
    );
    assert!(!c.wire.breaking);
    let c = one(|s| {
        s["paths"].as_object_mut().expect("paths").remove("/things");
    });
    assert_eq!(
        (c.kind, c.pointer.as_str()),
        (Kind::PathRemoved, "/paths/~1things")
    );
    assert!(c.wire.breaking);
    let c = one(|s| s["paths"]["/things"]["post"]["parameters"][0]["required"] = json!(true));
    assert_eq!(c.kind, Kind::RequiredChanged);
    assert_eq!(c.pointer, "/paths/~1things/post/parameters/0/required");
    assert!(c.wire.breaking);
    let c = one(|s| {
        s["paths"]["/things"]["post"]["parameters"]
            .as_array_mut()
            .expect("array")
            .push(json!({"name": "trace", "in": "header", "required": true, "schema": {"type": "string"}}))
    });
    assert_eq!(c.kind, Kind::ParameterAdded);
    assert!(c.wire.breaking);
}

#[test]
fn shared_examples_and_headers_are_compared_where_they_are_defined() {
    let c = one(|s| {
        s["components"]["examples"] = json!({"Made": {"value": {"id": "y"}}});
    });
    assert_eq!(
        (c.kind, c.pointer.as_str()),
        (Kind::ExampleChanged, "/components/examples/Made")
    );
    assert!(!c.wire.breaking);
}

#[test]
fn a_shared_parameter_is_compared_where_it_is_used() {
    let base = {
        let mut s = spec();
        s["components"]["parameters"] =
            json!({"Page": {"name": "page", "in": "query", "schema": {"type": "integer"}}});
        s["paths"]["/things"]["post"]["parameters"] =
            json!([{"$ref": "#/components/parameters/Page"}]);
        s
    };
    let mut head = base.clone();
    head["components"]["parameters"]["Page"]["required"] = json!(true);
    let c = diff(&base, &head);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(
        (c[0].kind, c[0].pointer.as_str()),
        (
            Kind::RequiredChanged,
            "/paths/~1things/post/parameters/0/required"
        )
    );
    assert!(c[0].wire.breaking);
}

#[test]
fn a_schema_no_operation_uses_changes_no_call_unless_a_mapping_names_it() {
    let mut base = spec();
    base["components"]["schemas"]["Loose"] =
        json!({ "type": "object", "properties": { "code": { "type": "string" } } });
    let mut head = base.clone();
    head["components"]["schemas"]["Loose"]["properties"]["code"]["maxLength"] = json!(3);
    let c = diff(&base, &head);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert!(!c[0].wire.breaking, "{}", c[0].wire.reason);
    // Named by a response's discriminator mapping, it is read by readers.
    for spec in [&mut base, &mut head] {
        spec["components"]["schemas"]["Thing"]["discriminator"] = json!({
            "propertyName": "kind",
            "mapping": { "loose": "#/components/schemas/Loose" }
        });
        spec["components"]["schemas"]["Loose"]["properties"]["code"]["maxLength"] = json!(3);
    }
    head["components"]["schemas"]["Loose"]["properties"]["code"]["maxLength"] = json!(9);
    let c = diff(&base, &head);
    assert_eq!(c.len(), 1, "{c:#?}");
    assert!(
        c[0].wire.breaking && c[0].wire.reason.starts_with("in responses:"),
        "{}",
        c[0].wire.reason
    );
}

#[test]
fn additional_properties_true_is_the_default() {
    let c = changes(|s| s["components"]["schemas"]["Thing"]["additionalProperties"] = json!(true));
    assert!(c.is_empty(), "{c:#?}");
}

#[test]
fn a_parameter_serialized_otherwise_breaks_callers() {
    let c = one(|s| s["paths"]["/things"]["post"]["parameters"][0]["explode"] = json!(false));
    assert_eq!(
        (c.kind, c.pointer.as_str()),
        (
            Kind::SchemaChanged,
            "/paths/~1things/post/parameters/0/explode"
        )
    );
    assert!(c.wire.breaking, "{}", c.wire.reason);
}

#[test]
fn wording_is_not_a_change() {
    let c = changes(|s| {
        s["components"]["schemas"]["Thing"]["description"] = json!("A thing.");
        s["components"]["schemas"]["Thing"]["properties"]["note"]["description"] = json!("Note.");
    });
    assert!(c.is_empty(), "{c:#?}");
}

// --- Through the real spec and the generated code ---------------------------

fn real_spec() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/cryptomate.yaml"
    ))
    .expect("the project's spec")
}

fn source(name: &str, text: &str) -> Source {
    Source {
        name: name.into(),
        text: text.to_string(),
    }
}

/// The head of the CLI and output tests: an optional request field added, an
/// example changed.
fn edited_spec() -> String {
    real_spec()
        .replacen(
            "        occupation:\n",
            "        nickname:\n          description: A nickname.\n          type: string\n        occupation:\n",
            1,
        )
        .replacen("        otp: true\n", "        otp: false\n", 1)
}

#[test]
fn identical_specs_need_no_bump() {
    let report = compare(
        source("a.yaml", &real_spec()),
        source("b.yaml", &real_spec()),
    )
    .unwrap_or_else(|e| panic!("compares: {e}"));
    assert!(report.changes.is_empty());
    assert_eq!(report.bump, Bump::None);
}

#[test]
fn an_optional_field_is_major_by_the_struct_literal_rule() {
    let report = compare(
        source("a.yaml", &real_spec()),
        source("b.yaml", &edited_spec()),
    )
    .unwrap_or_else(|e| panic!("compares: {e}"));
    let kinds: Vec<_> = report.changes.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [Kind::ExampleChanged, Kind::FieldAdded]);
    let field = &report.changes[1];
    assert!(!field.wire.breaking);
    assert!(field.rust.breaking);
    assert!(field.rust.reason.contains("CreateClientRequest::builder()"));
    assert!(field.rust.reason.contains("..Default::default()"));
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn a_required_field_takes_default_away_and_that_is_part_of_its_verdict() {
    let head = real_spec()
        .replacen(
            "      description: An identity document of a client.\n      type: object\n",
            "      description: An identity document of a client.\n      type: object\n      required: [kind]\n",
            1,
        )
        .replacen(
            "        id:\n          description: Document identifier.\n",
            "        kind:\n          type: string\n        id:\n          description: Document identifier.\n",
            1,
        );
    let report = compare(source("a.yaml", &real_spec()), source("b.yaml", &head))
        .unwrap_or_else(|e| panic!("compares: {e}"));
    assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
    let change = &report.changes[0];
    assert_eq!(change.kind, Kind::FieldAdded);
    assert!(change.wire.breaking && change.rust.breaking);
    let items: Vec<_> = change
        .rust_changes
        .iter()
        .map(|r| r.item.as_str())
        .collect();
    assert_eq!(items, ["types::Document", "types::Document.kind"]);
    assert!(
        change
            .rust
            .reason
            .contains("no longer implements `Default`")
    );
    assert!(change.rust.reason.contains("fails at run time"));
}

/// `x-pagination` changes no byte on the wire but adds or removes the
/// builder's `pages()` and `items()`, which api-diff reads from the marks
/// as the generator emits them (`codegen/pages.rs`).
#[test]
fn a_pagination_mark_removed_breaks_the_streams_and_one_added_is_minor() {
    let mark = "      x-pagination: {style: page_number, items: movements}\n";
    let unmarked = real_spec().replacen(mark, "", 1);
    assert_ne!(unmarked, real_spec(), "the spec has the mark");
    for (base, head, breaking, bump) in [
        (real_spec(), unmarked.clone(), true, Bump::Major),
        (unmarked, real_spec(), false, Bump::Minor),
    ] {
        let report = compare(source("a.yaml", &base), source("b.yaml", &head))
            .unwrap_or_else(|e| panic!("compares: {e}"));
        assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
        let change = &report.changes[0];
        assert_eq!(change.kind, Kind::PaginationChanged);
        assert_eq!(
            change.pointer,
            "/paths/~1cards~1transactions~1{cardId}~1search/get/x-pagination"
        );
        assert!(!change.wire.breaking, "{}", change.wire.reason);
        assert_eq!(change.rust.breaking, breaking, "{}", change.rust.reason);
        let mut items: Vec<_> = change
            .rust_changes
            .iter()
            .map(|r| r.item.as_str())
            .collect();
        items.sort_unstable();
        assert_eq!(
            items,
            [
                "builder::SearchCardTransactions::items",
                "builder::SearchCardTransactions::pages"
            ]
        );
        assert_eq!(report.bump, bump);
    }
}

fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-api-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("api-diff")
        .args(args)
        .output()
        .expect("xtask runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exit_statuses() {
    let base = write_temp("base.yaml", &real_spec());
    let head = write_temp("head.yaml", &edited_spec());
    let example_only = write_temp(
        "example.yaml",
        &real_spec().replacen("        otp: true\n", "        otp: false\n", 1),
    );
    let (b, h, e) = (
        base.to_str().expect("utf-8"),
        head.to_str().expect("utf-8"),
        example_only.to_str().expect("utf-8"),
    );
    let status = |args: &[&str]| run(args).0;
    assert_eq!(
        status(&["--base-file", b, "--head-file", h]),
        Some(0),
        "nothing fails by default"
    );
    assert_eq!(
        status(&["--base-file", b, "--head-file", h, "--fail-on", "breaking"]),
        Some(1)
    );
    assert_eq!(
        status(&["--base-file", b, "--head-file", e, "--fail-on", "breaking"]),
        Some(0)
    );
    assert_eq!(
        status(&["--base-file", b, "--head-file", e, "--fail-on", "any"]),
        Some(1)
    );
    assert_eq!(
        status(&["--base-file", b, "--head-file", b, "--fail-on", "any"]),
        Some(0)
    );

    let (code, _, stderr) = run(&["--base-file", "/nonexistent/spec.yaml", "--head-file", h]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("/nonexistent/spec.yaml: cannot read the spec"),
        "{stderr}"
    );

    let broken = write_temp("broken.yaml", "openapi: 3.0.3\ninfo: [\n");
    let (code, _, stderr) = run(&[
        "--base-file",
        b,
        "--head-file",
        broken.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("broken.yaml:"), "names the file: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let (code, _, stderr) = run(&["--base", "no-such-rev-xyz", "--head-file", h]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("cannot read no-such-rev-xyz:openapi/cryptomate.yaml from git"),
        "{stderr}"
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let base = write_temp("json-base.yaml", &real_spec());
    let head = write_temp("json-head.yaml", &edited_spec());
    let (code, stdout, stderr) = run(&[
        "--base-file",
        base.to_str().expect("utf-8"),
        "--head-file",
        head.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["bump"], "major");
    assert_eq!(
        doc["summary"],
        json!({"changes": 2, "wire_breaking": 0, "rust_breaking": 1})
    );
    let change = &doc["changes"][1];
    assert_eq!(change["kind"], "field-added");
    assert_eq!(
        change["pointer"],
        "/components/schemas/CreateClientRequest/properties/nickname"
    );
    assert!(
        change["location"]
            .as_str()
            .expect("a location")
            .contains("json-head.yaml:")
    );
    assert_eq!(change["before"], Value::Null);
    assert_eq!(change["after"]["type"], "string");
    assert_eq!(change["wire"]["breaking"], false);
    assert_eq!(change["rust"]["breaking"], true);
    assert_eq!(change["rust"]["effect"], "breaking");
    assert_eq!(
        change["rust"]["items"][0]["item"],
        "types::CreateClientRequest.nickname"
    );
    assert!(change["wire"]["reason"].is_string() && change["rust"]["reason"].is_string());
}

#[test]
fn markdown_comment() {
    let report = compare(
        source("base.yaml", &real_spec()),
        source("head.yaml", &edited_spec()),
    )
    .unwrap_or_else(|e| panic!("compares: {e}"));
    let markdown = xtask::api_diff::render(&report, xtask::api_diff::Format::Markdown);
    insta::assert_snapshot!(markdown);
}
