//! The oasdiff rule table of `api-diff` (`xtask::api_diff::rules::RULES`,
//! shown in `xtask/API-DIFF.md`), each row held by a spec pair of its own
//! modelled on the rule: the whole command (`compare`, which generates the
//! Rust code of both specs) must report a change of the row's kind naming the
//! rule, with the row's wire verdict, the Rust verdict and the bump written in
//! the case.
//!
//! The pairs are edits of one small orders API written for this test: path-
//! and operation-level parameters, a closed request object, an open response
//! object, `allOf`, `oneOf`, maps, enums, limits, headers and two security
//! schemes.

use serde_json::{Value, json};
use xtask::api_diff::rules::RULES;
use xtask::api_diff::{Bump, Kind, Report, Source, compare};

const REQ: &str = "/components/schemas/OrderRequest";
const RESP: &str = "/components/schemas/Order";
const ITEM: &str = "/paths/~1orders~1{orderId}";
const GET: &str = "/paths/~1orders~1{orderId}/get";
const POST: &str = "/paths/~1orders/post";
const CANCEL: &str = "/paths/~1orders~1{orderId}~1cancel/post";
const LEGACY: &str = "/paths/~1legacy";

fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": { "title": "orders", "version": "1" },
        "paths": {
            "/orders/{orderId}": {
                "parameters": [
                    { "name": "orderId", "in": "path", "required": true, "schema": { "type": "string" } },
                    { "name": "tenant", "in": "query", "schema": { "type": "string" } }
                ],
                "get": {
                    "operationId": "get_order",
                    "parameters": [
                        { "name": "limit", "in": "query", "schema": { "type": "integer", "format": "int32" } }
                    ],
                    "responses": {
                        "200": {
                            "description": "the order",
                            "headers": { "X-Rate": { "required": true, "schema": { "type": "integer", "format": "int32" } } },
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Order" } } }
                        },
                        "404": { "description": "no such order" }
                    }
                }
            },
            "/orders/{orderId}/cancel": {
                "post": {
                    "operationId": "cancel_order",
                    "parameters": [
                        { "name": "orderId", "in": "path", "required": true, "schema": { "type": "string" } }
                    ],
                    "responses": { "204": { "description": "cancelled" } }
                }
            },
            "/orders": {
                "post": {
                    "operationId": "create_order",
                    "security": [{ "Key": [] }],
                    "requestBody": {
                        "required": true,
                        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/OrderRequest" } } }
                    },
                    "responses": {
                        "201": {
                            "description": "created",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Order" } } }
                        }
                    }
                }
            },
            "/legacy": {
                "get": { "operationId": "list_legacy", "responses": { "200": { "description": "ok" } } }
            }
        },
        "components": {
            "securitySchemes": {
                "Key": { "type": "apiKey", "in": "header", "name": "X-KEY" },
                "OAuth": {
                    "type": "oauth2",
                    "flows": { "clientCredentials": {
                        "tokenUrl": "https://auth.example.com/token",
                        "scopes": { "read": "read orders", "write": "write orders" }
                    } }
                }
            },
            "schemas": {
                "OrderRequest": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["name"],
                    "properties": {
                        "name": { "type": "string" },
                        "qty": { "type": "integer", "format": "int32" },
                        "color": { "type": "string", "enum": ["red", "blue"] },
                        "kind": { "type": "string", "x-extensible-enum": ["a", "b"] },
                        "note": { "type": "string", "nullable": true },
                        "tags": { "type": "array", "items": { "type": "string" } },
                        "shipping": { "allOf": [{ "$ref": "#/components/schemas/Address" }] },
                        "payment": { "oneOf": [
                            { "$ref": "#/components/schemas/Card" },
                            { "$ref": "#/components/schemas/Cash" }
                        ] },
                        "attrs": { "type": "object", "additionalProperties": { "type": "string" } }
                    }
                },
                "Order": {
                    "type": "object",
                    "required": ["id", "status"],
                    "properties": {
                        "id": { "type": "string" },
                        "name": { "type": "string" },
                        "status": { "type": "string", "enum": ["new", "done"] },
                        "qty": { "type": "integer", "format": "int32" },
                        "items": { "type": "array", "items": { "type": "string" } },
                        "payment": { "oneOf": [
                            { "$ref": "#/components/schemas/Card" },
                            { "$ref": "#/components/schemas/Cash" }
                        ] },
                        "address": { "allOf": [
                            { "$ref": "#/components/schemas/Address" },
                            { "type": "object", "properties": { "zip": { "type": "string" } } }
                        ] },
                        "note": { "type": "string" },
                        "code": { "type": "string" }
                    }
                },
                "Address": { "type": "object", "properties": { "street": { "type": "string" } } },
                "Card": { "type": "object", "required": ["number"], "properties": { "number": { "type": "string" } } },
                "Cash": { "type": "object", "required": ["amount"], "properties": { "amount": { "type": "number" } } },
                "Voucher": { "type": "object", "required": ["code"], "properties": { "code": { "type": "string" } } }
            }
        }
    })
}

/// The value at a pointer, created (as an empty object) if absent.
fn at<'v>(v: &'v mut Value, pointer: &str) -> &'v mut Value {
    let mut v = v;
    for segment in pointer.split('/').skip(1) {
        let key = segment.replace("~1", "/").replace("~0", "~");
        v = match v {
            Value::Array(a) => &mut a[key.parse::<usize>().expect("an index")],
            other => {
                if !other.is_object() {
                    *other = json!({});
                }
                other
                    .as_object_mut()
                    .expect("an object")
                    .entry(key)
                    .or_insert(Value::Null)
            }
        };
    }
    v
}

fn set(v: &mut Value, pointer: &str, value: Value) {
    *at(v, pointer) = value;
}

fn del(v: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    let key = key.replace("~1", "/").replace("~0", "~");
    match at(v, parent) {
        Value::Array(a) => {
            a.remove(key.parse::<usize>().expect("an index"));
        }
        Value::Object(m) => {
            m.remove(&key);
        }
        _ => panic!("nothing to delete at {pointer}"),
    }
}

fn push(v: &mut Value, pointer: &str, value: Value) {
    at(v, pointer).as_array_mut().expect("an array").push(value);
}

/// The Rust verdict a case expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rust {
    Breaking,
    Compatible,
    /// The generator cannot generate one of the specs.
    Unknown,
}

struct Case {
    name: &'static str,
    edit: fn(&mut Value, &mut Value),
    rust: Rust,
    bump: Bump,
}

const fn case(
    name: &'static str,
    edit: fn(&mut Value, &mut Value),
    rust: Rust,
    bump: Bump,
) -> Case {
    Case {
        name,
        edit,
        rust,
        bump,
    }
}

use Bump::{Major, Minor, Patch};
use Rust::{Breaking, Compatible, Unknown};

fn delete_op(v: &mut Value) {
    set(
        v,
        &format!("{ITEM}/delete"),
        json!({ "operationId": "delete_order", "responses": { "204": { "description": "deleted" } } }),
    );
}

fn cancel_body(v: &mut Value, schema: Value) {
    set(
        v,
        &format!("{CANCEL}/requestBody"),
        json!({ "content": { "application/json": { "schema": schema } } }),
    );
}

fn ids_param(v: &mut Value, (keyword, limit): (&str, u64)) {
    let mut schema = json!({ "type": "array", "items": { "type": "string" } });
    schema[keyword] = json!(limit);
    push(
        v,
        &format!("{GET}/parameters"),
        json!({ "name": "ids", "in": "query", "schema": schema }),
    );
}

const CASES: &[Case] = &[
    // Paths and operations.
    case("path_removed", |_, h| del(h, LEGACY), Breaking, Major),
    case(
        "deprecated_path_removed",
        |b, h| {
            set(b, &format!("{LEGACY}/get/deprecated"), json!(true));
            del(h, LEGACY);
        },
        Breaking,
        Major,
    ),
    case("operation_removed", |b, _| delete_op(b), Breaking, Major),
    case(
        "deprecated_operation_removed",
        |b, _| {
            delete_op(b);
            set(b, &format!("{ITEM}/delete/deprecated"), json!(true));
        },
        Breaking,
        Major,
    ),
    case("operation_added", |_, h| delete_op(h), Compatible, Minor),
    case(
        "operation_deprecated",
        |_, h| set(h, &format!("{GET}/deprecated"), json!(true)),
        Compatible,
        Minor,
    ),
    case(
        "operation_id_changed",
        |_, h| set(h, &format!("{GET}/operationId"), json!("fetch_order")),
        Breaking,
        Major,
    ),
    // The spec has no products (no `tags` list), so a tag gates nothing:
    // no Rust change.
    case(
        "tag_added",
        |_, h| set(h, &format!("{GET}/tags"), json!(["orders"])),
        Compatible,
        Patch,
    ),
    case(
        "tag_removed",
        |b, _| set(b, &format!("{GET}/tags"), json!(["orders"])),
        Compatible,
        Patch,
    ),
    // Parameters.
    case(
        "required_query_parameter_added",
        |_, h| {
            push(
                h,
                &format!("{GET}/parameters"),
                json!({ "name": "expand", "in": "query", "required": true, "schema": { "type": "string" } }),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "required_path_level_parameter_added",
        |_, h| {
            push(
                h,
                &format!("{ITEM}/parameters"),
                json!({ "name": "region", "in": "query", "required": true, "schema": { "type": "string" } }),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "optional_parameter_added",
        |_, h| {
            push(
                h,
                &format!("{GET}/parameters"),
                json!({ "name": "page", "in": "query", "schema": { "type": "integer" } }),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "parameter_removed",
        |_, h| del(h, &format!("{GET}/parameters/0")),
        Breaking,
        Major,
    ),
    case(
        "path_level_parameter_became_required",
        |_, h| set(h, &format!("{ITEM}/parameters/1/required"), json!(true)),
        Compatible,
        Minor,
    ),
    case(
        "parameter_became_optional",
        |b, _| set(b, &format!("{ITEM}/parameters/1/required"), json!(true)),
        Compatible,
        Patch,
    ),
    case(
        "parameter_type_changed",
        |_, h| {
            set(
                h,
                &format!("{GET}/parameters/0/schema"),
                json!({ "type": "string" }),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "parameter_became_enum",
        |_, h| {
            set(
                h,
                &format!("{ITEM}/parameters/1/schema/enum"),
                json!(["eu", "us"]),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "parameter_enum_value_removed",
        |b, h| {
            set(
                b,
                &format!("{ITEM}/parameters/1/schema/enum"),
                json!(["eu", "us", "apac"]),
            );
            set(
                h,
                &format!("{ITEM}/parameters/1/schema/enum"),
                json!(["eu", "us"]),
            );
        },
        Breaking,
        Major,
    ),
    case(
        "parameter_extensible_enum_value_removed",
        |b, h| {
            set(
                b,
                &format!("{ITEM}/parameters/1/schema/x-extensible-enum"),
                json!(["eu", "us"]),
            );
            set(
                h,
                &format!("{ITEM}/parameters/1/schema/x-extensible-enum"),
                json!(["eu"]),
            );
        },
        Compatible,
        Minor,
    ),
    case(
        "parameter_max_length_decreased",
        |b, h| {
            set(
                b,
                &format!("{ITEM}/parameters/1/schema/maxLength"),
                json!(20),
            );
            set(
                h,
                &format!("{ITEM}/parameters/1/schema/maxLength"),
                json!(10),
            );
        },
        Compatible,
        Minor,
    ),
    case(
        "parameter_min_length_increased",
        |b, h| {
            set(
                b,
                &format!("{ITEM}/parameters/1/schema/minLength"),
                json!(1),
            );
            set(
                h,
                &format!("{ITEM}/parameters/1/schema/minLength"),
                json!(3),
            );
        },
        Compatible,
        Minor,
    ),
    case(
        "parameter_maximum_decreased",
        |b, h| {
            set(b, &format!("{GET}/parameters/0/schema/maximum"), json!(100));
            set(h, &format!("{GET}/parameters/0/schema/maximum"), json!(50));
        },
        Compatible,
        Minor,
    ),
    case(
        "parameter_minimum_increased",
        |b, h| {
            set(b, &format!("{GET}/parameters/0/schema/minimum"), json!(-10));
            set(h, &format!("{GET}/parameters/0/schema/minimum"), json!(-5));
        },
        Compatible,
        Minor,
    ),
    case(
        "parameter_exclusive_maximum_set",
        |b, h| {
            set(b, &format!("{GET}/parameters/0/schema/maximum"), json!(100));
            set(h, &format!("{GET}/parameters/0/schema/maximum"), json!(100));
            set(
                h,
                &format!("{GET}/parameters/0/schema/exclusiveMaximum"),
                json!(true),
            );
        },
        Compatible,
        Minor,
    ),
    case(
        "parameter_exclusive_minimum_set",
        |b, h| {
            set(b, &format!("{GET}/parameters/0/schema/minimum"), json!(-10));
            set(h, &format!("{GET}/parameters/0/schema/minimum"), json!(-10));
            set(
                h,
                &format!("{GET}/parameters/0/schema/exclusiveMinimum"),
                json!(true),
            );
        },
        Compatible,
        Minor,
    ),
    case(
        "parameter_max_items_decreased",
        |b, h| {
            ids_param(b, ("maxItems", 10));
            ids_param(h, ("maxItems", 5));
        },
        Compatible,
        Minor,
    ),
    case(
        "parameter_min_items_increased",
        |b, h| {
            ids_param(b, ("minItems", 0));
            ids_param(h, ("minItems", 2));
        },
        Compatible,
        Minor,
    ),
    case(
        "parameter_pattern_added",
        |_, h| {
            set(
                h,
                &format!("{ITEM}/parameters/1/schema/pattern"),
                json!("^[a-z]+$"),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "parameter_default_changed",
        |b, h| {
            set(b, &format!("{GET}/parameters/0/schema/default"), json!(10));
            set(h, &format!("{GET}/parameters/0/schema/default"), json!(20));
        },
        Compatible,
        Minor,
    ),
    case(
        "parameter_default_added",
        |_, h| set(h, &format!("{GET}/parameters/0/schema/default"), json!(10)),
        Compatible,
        Minor,
    ),
    case(
        "parameter_default_removed",
        |b, _| set(b, &format!("{GET}/parameters/0/schema/default"), json!(10)),
        Compatible,
        Minor,
    ),
    case(
        "parameter_became_not_nullable",
        |b, _| {
            set(
                b,
                &format!("{ITEM}/parameters/1/schema/nullable"),
                json!(true),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "parameter_deprecated",
        |_, h| set(h, &format!("{GET}/parameters/0/deprecated"), json!(true)),
        Compatible,
        Patch,
    ),
    // Request bodies.
    case(
        "required_body_added",
        |_, h| {
            cancel_body(
                h,
                json!({ "type": "object", "properties": { "reason": { "type": "string" } } }),
            );
            set(h, &format!("{CANCEL}/requestBody/required"), json!(true));
        },
        Compatible,
        Minor,
    ),
    case(
        "body_removed",
        |b, _| {
            cancel_body(
                b,
                json!({ "type": "object", "properties": { "reason": { "type": "string" } } }),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "body_became_required",
        |b, h| {
            cancel_body(
                b,
                json!({ "type": "object", "properties": { "reason": { "type": "string" } } }),
            );
            cancel_body(
                h,
                json!({ "type": "object", "properties": { "reason": { "type": "string" } } }),
            );
            set(h, &format!("{CANCEL}/requestBody/required"), json!(true));
        },
        Compatible,
        Minor,
    ),
    case(
        "request_media_type_removed",
        |b, _| {
            set(
                b,
                &format!("{POST}/requestBody/content/application~1x-www-form-urlencoded"),
                json!({ "schema": { "$ref": "#/components/schemas/OrderRequest" } }),
            )
        },
        Unknown,
        Minor,
    ),
    case(
        "request_media_type_added",
        |_, h| {
            set(
                h,
                &format!("{POST}/requestBody/content/application~1x-www-form-urlencoded"),
                json!({ "schema": { "$ref": "#/components/schemas/OrderRequest" } }),
            )
        },
        Unknown,
        Patch,
    ),
    case(
        "request_media_type_schema_added",
        |b, h| {
            set(
                b,
                &format!("{CANCEL}/requestBody"),
                json!({ "content": { "application/json": {} } }),
            );
            cancel_body(
                h,
                json!({ "type": "object", "properties": { "reason": { "type": "string" } } }),
            );
        },
        Unknown,
        Minor,
    ),
    case(
        "body_became_enum",
        |b, h| {
            cancel_body(b, json!({ "type": "string" }));
            cancel_body(h, json!({ "type": "string", "enum": ["late", "wrong"] }));
        },
        Breaking,
        Major,
    ),
    case(
        "body_type_changed",
        |b, h| {
            cancel_body(b, json!({ "type": "string" }));
            cancel_body(h, json!({ "type": "integer" }));
        },
        Breaking,
        Major,
    ),
    // Request properties.
    case(
        "property_max_length_decreased",
        |b, h| {
            set(b, &format!("{REQ}/properties/name/maxLength"), json!(50));
            set(h, &format!("{REQ}/properties/name/maxLength"), json!(20));
        },
        Compatible,
        Minor,
    ),
    case(
        "property_min_length_increased",
        |b, h| {
            set(b, &format!("{REQ}/properties/name/minLength"), json!(1));
            set(h, &format!("{REQ}/properties/name/minLength"), json!(3));
        },
        Compatible,
        Minor,
    ),
    case(
        "property_maximum_decreased",
        |b, h| {
            set(b, &format!("{REQ}/properties/qty/maximum"), json!(10));
            set(h, &format!("{REQ}/properties/qty/maximum"), json!(5));
        },
        Compatible,
        Minor,
    ),
    case(
        "property_minimum_increased",
        |b, h| {
            set(b, &format!("{REQ}/properties/qty/minimum"), json!(-10));
            set(h, &format!("{REQ}/properties/qty/minimum"), json!(-5));
        },
        Compatible,
        Minor,
    ),
    case(
        "property_exclusive_maximum_set",
        |b, h| {
            set(b, &format!("{REQ}/properties/qty/maximum"), json!(10));
            set(h, &format!("{REQ}/properties/qty/maximum"), json!(10));
            set(
                h,
                &format!("{REQ}/properties/qty/exclusiveMaximum"),
                json!(true),
            );
        },
        Compatible,
        Minor,
    ),
    case(
        "property_exclusive_minimum_set",
        |b, h| {
            set(b, &format!("{REQ}/properties/qty/minimum"), json!(-10));
            set(h, &format!("{REQ}/properties/qty/minimum"), json!(-10));
            set(
                h,
                &format!("{REQ}/properties/qty/exclusiveMinimum"),
                json!(true),
            );
        },
        Compatible,
        Minor,
    ),
    case(
        "property_min_items_increased",
        |_, h| set(h, &format!("{REQ}/properties/tags/minItems"), json!(1)),
        Compatible,
        Minor,
    ),
    case(
        "property_pattern_added",
        |_, h| {
            set(
                h,
                &format!("{REQ}/properties/name/pattern"),
                json!("^[a-z]+$"),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "property_pattern_changed",
        |b, h| {
            set(
                b,
                &format!("{REQ}/properties/name/pattern"),
                json!("^[a-z]+$"),
            );
            set(
                h,
                &format!("{REQ}/properties/name/pattern"),
                json!("^[a-z0-9]+$"),
            );
        },
        Compatible,
        Minor,
    ),
    case(
        "property_max_length_increased",
        |b, h| {
            set(b, &format!("{REQ}/properties/name/maxLength"), json!(50));
            set(h, &format!("{REQ}/properties/name/maxLength"), json!(80));
        },
        Compatible,
        Patch,
    ),
    case(
        "property_became_enum",
        |_, h| set(h, &format!("{REQ}/properties/name/enum"), json!(["x", "y"])),
        Breaking,
        Major,
    ),
    case(
        "property_enum_value_removed",
        |_, h| set(h, &format!("{REQ}/properties/color/enum"), json!(["red"])),
        Breaking,
        Major,
    ),
    case(
        "property_enum_value_added",
        |_, h| {
            set(
                h,
                &format!("{REQ}/properties/color/enum"),
                json!(["red", "blue", "green"]),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "property_extensible_enum_value_removed",
        |_, h| {
            set(
                h,
                &format!("{REQ}/properties/kind/x-extensible-enum"),
                json!(["a"]),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "property_became_not_nullable",
        |_, h| del(h, &format!("{REQ}/properties/note/nullable")),
        Compatible,
        Minor,
    ),
    case(
        "property_became_required",
        |_, h| set(h, &format!("{REQ}/required"), json!(["name", "qty"])),
        Breaking,
        Major,
    ),
    case(
        "property_became_optional",
        |b, _| set(b, &format!("{REQ}/required"), json!(["name", "qty"])),
        Breaking,
        Major,
    ),
    case(
        "required_property_added",
        |_, h| {
            set(
                h,
                &format!("{REQ}/properties/reference"),
                json!({ "type": "string" }),
            );
            set(h, &format!("{REQ}/required"), json!(["name", "reference"]));
        },
        Breaking,
        Major,
    ),
    case(
        "optional_property_added",
        |_, h| {
            set(
                h,
                &format!("{REQ}/properties/memo"),
                json!({ "type": "string" }),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "property_removed_from_closed_request",
        |_, h| del(h, &format!("{REQ}/properties/note")),
        Breaking,
        Major,
    ),
    case(
        "property_type_changed",
        |_, h| {
            set(
                h,
                &format!("{REQ}/properties/qty"),
                json!({ "type": "string" }),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "all_of_member_added_in_request",
        |_, h| {
            push(
                h,
                &format!("{REQ}/properties/shipping/allOf"),
                json!({ "type": "object", "required": ["zip"], "properties": { "zip": { "type": "string" } } }),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "one_of_alternative_removed_in_request",
        |_, h| del(h, &format!("{REQ}/properties/payment/oneOf/1")),
        Breaking,
        Major,
    ),
    case(
        "any_of_alternative_removed_in_request",
        |b, h| {
            let alternatives = json!([{ "$ref": "#/components/schemas/Card" }, { "$ref": "#/components/schemas/Cash" }]);
            set(
                b,
                &format!("{REQ}/properties/payment"),
                json!({ "anyOf": alternatives }),
            );
            set(
                h,
                &format!("{REQ}/properties/payment"),
                json!({ "anyOf": [alternatives[0].clone()] }),
            );
        },
        Breaking,
        Major,
    ),
    case(
        "property_deprecated",
        |_, h| set(h, &format!("{REQ}/properties/name/deprecated"), json!(true)),
        Compatible,
        Patch,
    ),
    case(
        "property_default_changed",
        |b, h| {
            set(b, &format!("{REQ}/properties/qty/default"), json!(1));
            set(h, &format!("{REQ}/properties/qty/default"), json!(2));
        },
        Compatible,
        Minor,
    ),
    case(
        "property_became_read_only",
        |_, h| set(h, &format!("{REQ}/properties/qty/readOnly"), json!(true)),
        Compatible,
        Minor,
    ),
    // Responses.
    case(
        "success_status_removed",
        |b, _| {
            set(
                b,
                &format!("{LEGACY}/get/responses/204"),
                json!({ "description": "empty" }),
            )
        },
        Compatible,
        Patch,
    ),
    case(
        "success_status_added",
        |_, h| {
            set(
                h,
                &format!("{LEGACY}/get/responses/204"),
                json!({ "description": "empty" }),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "error_status_added",
        |_, h| {
            set(
                h,
                &format!("{GET}/responses/409"),
                json!({ "description": "conflict" }),
            )
        },
        Compatible,
        Patch,
    ),
    case(
        "response_media_type_removed",
        |b, _| {
            set(
                b,
                &format!("{GET}/responses/200/content/application~1xml"),
                json!({ "schema": { "$ref": "#/components/schemas/Order" } }),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "response_media_type_added",
        |_, h| {
            set(
                h,
                &format!("{GET}/responses/200/content/application~1xml"),
                json!({ "schema": { "$ref": "#/components/schemas/Order" } }),
            )
        },
        Compatible,
        Patch,
    ),
    case(
        "required_response_property_removed",
        |_, h| {
            del(h, &format!("{RESP}/properties/id"));
            set(h, &format!("{RESP}/required"), json!(["status"]));
        },
        Breaking,
        Major,
    ),
    case(
        "optional_response_property_removed",
        |_, h| del(h, &format!("{RESP}/properties/note")),
        Breaking,
        Major,
    ),
    case(
        "response_property_added",
        |_, h| {
            set(
                h,
                &format!("{RESP}/properties/extra"),
                json!({ "type": "string" }),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "response_property_became_optional",
        |_, h| set(h, &format!("{RESP}/required"), json!(["id"])),
        Breaking,
        Major,
    ),
    case(
        "response_property_became_nullable",
        |_, h| set(h, &format!("{RESP}/properties/note/nullable"), json!(true)),
        Compatible,
        Minor,
    ),
    case(
        "response_property_type_changed",
        |_, h| {
            set(
                h,
                &format!("{RESP}/properties/code"),
                json!({ "type": "integer" }),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "response_property_widened",
        |_, h| set(h, &format!("{RESP}/properties/qty/format"), json!("int64")),
        Breaking,
        Major,
    ),
    case(
        "response_enum_value_added",
        |_, h| {
            set(
                h,
                &format!("{RESP}/properties/status/enum"),
                json!(["new", "done", "void"]),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "response_enum_value_removed",
        |_, h| set(h, &format!("{RESP}/properties/status/enum"), json!(["new"])),
        Breaking,
        Major,
    ),
    case(
        "response_max_length_increased",
        |b, h| {
            set(b, &format!("{RESP}/properties/name/maxLength"), json!(50));
            set(h, &format!("{RESP}/properties/name/maxLength"), json!(80));
        },
        Compatible,
        Minor,
    ),
    case(
        "response_max_length_unset",
        |b, _| set(b, &format!("{RESP}/properties/name/maxLength"), json!(50)),
        Breaking,
        Major,
    ),
    case(
        "response_min_length_decreased",
        |b, h| {
            set(b, &format!("{RESP}/properties/name/minLength"), json!(3));
            set(h, &format!("{RESP}/properties/name/minLength"), json!(1));
        },
        Compatible,
        Minor,
    ),
    case(
        "response_maximum_increased",
        |b, h| {
            set(b, &format!("{RESP}/properties/qty/maximum"), json!(100));
            set(h, &format!("{RESP}/properties/qty/maximum"), json!(200));
        },
        Compatible,
        Minor,
    ),
    case(
        "response_minimum_decreased",
        |b, h| {
            set(b, &format!("{RESP}/properties/qty/minimum"), json!(-5));
            set(h, &format!("{RESP}/properties/qty/minimum"), json!(-10));
        },
        Compatible,
        Minor,
    ),
    case(
        "response_min_items_decreased",
        |b, h| {
            set(b, &format!("{RESP}/properties/items/minItems"), json!(2));
            set(h, &format!("{RESP}/properties/items/minItems"), json!(1));
        },
        Compatible,
        Minor,
    ),
    case(
        "one_of_alternative_added_in_response",
        |_, h| {
            push(
                h,
                &format!("{RESP}/properties/payment/oneOf"),
                json!({ "$ref": "#/components/schemas/Voucher" }),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "any_of_alternative_added_in_response",
        |b, h| {
            let alternatives = json!([{ "$ref": "#/components/schemas/Card" }, { "$ref": "#/components/schemas/Cash" }]);
            set(
                b,
                &format!("{RESP}/properties/payment"),
                json!({ "anyOf": alternatives.clone() }),
            );
            set(
                h,
                &format!("{RESP}/properties/payment"),
                json!({ "anyOf": alternatives }),
            );
            push(
                h,
                &format!("{RESP}/properties/payment/anyOf"),
                json!({ "$ref": "#/components/schemas/Voucher" }),
            );
        },
        Breaking,
        Major,
    ),
    case(
        "all_of_member_removed_in_response",
        |_, h| del(h, &format!("{RESP}/properties/address/allOf/1")),
        Breaking,
        Major,
    ),
    case(
        "response_pattern_removed",
        |b, _| {
            set(
                b,
                &format!("{RESP}/properties/code/pattern"),
                json!("^[A-Z]+$"),
            )
        },
        Breaking,
        Major,
    ),
    case(
        "response_property_deprecated",
        |_, h| {
            set(
                h,
                &format!("{RESP}/properties/note/deprecated"),
                json!(true),
            )
        },
        Compatible,
        Patch,
    ),
    case(
        "response_property_became_write_only",
        |_, h| set(h, &format!("{RESP}/properties/code/writeOnly"), json!(true)),
        Compatible,
        Minor,
    ),
    // Response headers.
    case(
        "required_response_header_removed",
        |_, h| del(h, &format!("{GET}/responses/200/headers/X-Rate")),
        Compatible,
        Minor,
    ),
    case(
        "optional_response_header_removed",
        |b, _| {
            set(
                b,
                &format!("{GET}/responses/200/headers/X-Trace"),
                json!({ "schema": { "type": "string" } }),
            )
        },
        Compatible,
        Patch,
    ),
    case(
        "response_header_added",
        |_, h| {
            set(
                h,
                &format!("{GET}/responses/200/headers/X-Trace"),
                json!({ "schema": { "type": "string" } }),
            )
        },
        Compatible,
        Patch,
    ),
    case(
        "response_header_became_optional",
        |_, h| {
            set(
                h,
                &format!("{GET}/responses/200/headers/X-Rate/required"),
                json!(false),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "response_header_type_changed",
        |_, h| {
            set(
                h,
                &format!("{GET}/responses/200/headers/X-Rate/schema"),
                json!({ "type": "string" }),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "response_header_widened",
        |_, h| {
            set(
                h,
                &format!("{GET}/responses/200/headers/X-Rate/schema/format"),
                json!("int64"),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "response_header_became_nullable",
        |_, h| {
            set(
                h,
                &format!("{GET}/responses/200/headers/X-Rate/schema/nullable"),
                json!(true),
            )
        },
        Compatible,
        Minor,
    ),
    // Security.
    case(
        "operation_security_added",
        |_, h| {
            set(
                h,
                &format!("{POST}/security"),
                json!([{ "Key": [], "OAuth": ["write"] }]),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "operation_security_removed",
        |_, h| set(h, &format!("{POST}/security"), json!([])),
        Compatible,
        Patch,
    ),
    case(
        "operation_scope_added",
        |b, h| {
            set(
                b,
                &format!("{POST}/security"),
                json!([{ "OAuth": ["read"] }]),
            );
            set(
                h,
                &format!("{POST}/security"),
                json!([{ "OAuth": ["read", "write"] }]),
            );
        },
        Compatible,
        Minor,
    ),
    case(
        "operation_scope_removed",
        |b, h| {
            set(
                b,
                &format!("{POST}/security"),
                json!([{ "OAuth": ["read", "write"] }]),
            );
            set(
                h,
                &format!("{POST}/security"),
                json!([{ "OAuth": ["read"] }]),
            );
        },
        Compatible,
        Patch,
    ),
    case(
        "global_security_added",
        |_, h| set(h, "/security", json!([{ "Key": [] }])),
        Compatible,
        Minor,
    ),
    case(
        "security_scheme_changed",
        |_, h| {
            set(
                h,
                "/components/securitySchemes/Key/name",
                json!("X-API-KEY"),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "oauth_token_url_changed",
        |_, h| {
            set(
                h,
                "/components/securitySchemes/OAuth/flows/clientCredentials/tokenUrl",
                json!("https://login.example.com/token"),
            )
        },
        Compatible,
        Minor,
    ),
    case(
        "oauth_scope_offered",
        |_, h| {
            set(
                h,
                "/components/securitySchemes/OAuth/flows/clientCredentials/scopes/admin",
                json!("administer"),
            )
        },
        Compatible,
        Patch,
    ),
    // Components.
    case(
        "schema_removed",
        |b, _| set(b, "/components/schemas/Unused", json!({ "type": "string" })),
        Breaking,
        Major,
    ),
];

fn source(name: &str, spec: &Value) -> Source {
    Source {
        name: name.into(),
        text: serde_yaml_ng::to_string(spec).expect("JSON values serialize as YAML"),
    }
}

fn run(case: &Case) -> Report {
    let (mut b, mut h) = (base(), base());
    (case.edit)(&mut b, &mut h);
    compare(source("base.yaml", &b), source("head.yaml", &h))
        .unwrap_or_else(|_| panic!("{}: the pair gets a report", case.name))
}

/// Every row of the table, through its spec pair: the kind, the rule id and
/// the wire verdict of the row; the Rust verdict and the bump of the case.
#[test]
fn every_rule_of_the_table_holds_on_its_spec_pair() {
    let mut failures = Vec::new();
    for rule in RULES {
        let Some(case) = CASES.iter().find(|c| c.name == rule.case) else {
            failures.push(format!("{}: no case `{}`", rule.id, rule.case));
            continue;
        };
        let report = run(case);
        let found = report
            .changes
            .iter()
            .find(|c| c.rules.iter().any(|r| r == rule.id));
        let Some(change) = found else {
            failures.push(format!(
                "{} ({}): no change names the rule: {:#?}",
                rule.id,
                case.name,
                report
                    .changes
                    .iter()
                    .map(|c| (c.kind.as_str(), &c.pointer, &c.rules, &c.wire.reason))
                    .collect::<Vec<_>>()
            ));
            continue;
        };
        let rust = if !change.rust_known {
            Unknown
        } else if change.rust.breaking {
            Breaking
        } else {
            Compatible
        };
        let got = (change.kind, change.wire.breaking, rust, report.bump);
        let want = (rule.kind, rule.breaking, case.rust, case.bump);
        if got != want {
            failures.push(format!(
                "{} ({}): got {got:?}, want {want:?}; wire: {}; rust: {}",
                rule.id, case.name, change.wire.reason, change.rust.reason
            ));
        }
    }
    // Printed as well as asserted: generation swaps the process's panic hook
    // (codegen::generate_tokens), which can silence the assertion's message.
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each case holds a row: none is left over.
#[test]
fn every_case_holds_a_row() {
    for case in CASES {
        assert!(
            RULES.iter().any(|r| r.case == case.name),
            "the case {} holds no row of rules::RULES",
            case.name
        );
    }
}

/// The table of `xtask/API-DIFF.md` is the table of `rules::RULES`.
#[test]
fn the_documented_table_is_the_rules_table() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/API-DIFF.md"))
        .expect("API-DIFF.md");
    let rows: Vec<String> = doc
        .lines()
        .skip_while(|l| !l.starts_with("| oasdiff rule |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(String::from)
        .collect();
    let expected: Vec<String> = RULES
        .iter()
        .map(|r| {
            format!(
                "| `{}` | `{}` | {} | `{}` | {} |",
                r.id,
                r.kind.as_str(),
                if r.breaking {
                    "breaking"
                } else {
                    "not breaking"
                },
                r.case,
                r.note
            )
        })
        .collect();
    if rows != expected {
        eprintln!("{}", expected.join("\n"));
        panic!(
            "xtask/API-DIFF.md's rule table differs from rules::RULES; the table should read:\n{}",
            expected.join("\n")
        );
    }
}

/// A keyword api-diff does not judge (here OpenAPI 3.1's `const`) is
/// reported as breaking both sides, never dropped.
#[test]
fn unjudged_keyword() {
    let (b, mut h) = (base(), base());
    set(
        &mut h,
        &format!("{REQ}/properties/name/const"),
        json!("fixed"),
    );
    let report = compare(source("base.yaml", &b), source("head.yaml", &h))
        .unwrap_or_else(|_| panic!("a report"));
    let change = report
        .changes
        .iter()
        .find(|c| c.pointer == format!("{REQ}/properties/name/const"))
        .expect("the keyword's change");
    assert_eq!(change.kind, Kind::SchemaChanged);
    assert!(change.wire.breaking, "{}", change.wire.reason);
}

/// A path whose parameter is only renamed is the same path: the rename is
/// not a wire change, and the operation's other changes are still compared.
#[test]
fn a_path_parameter_renamed_is_the_same_path() {
    let b = base();
    let text = serde_json::to_string(&b)
        .expect("JSON")
        .replace("/orders/{orderId}", "/orders/{id}")
        .replace("\"name\":\"orderId\"", "\"name\":\"id\"");
    let h: Value = serde_json::from_str(&text).expect("JSON");
    let report = compare(source("base.yaml", &b), source("head.yaml", &h))
        .unwrap_or_else(|_| panic!("a report"));
    assert!(
        report
            .changes
            .iter()
            .all(|c| !matches!(c.kind, Kind::PathRemoved | Kind::PathAdded)),
        "{:#?}",
        report.changes
    );
    assert_eq!(report.wire_breaking(), 0, "{:#?}", report.changes);
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.kind == Kind::ParameterRenamed),
        "{:#?}",
        report.changes
    );
}

/// A change inside an `allOf` member, a map's value schema or an array's
/// items at depth is located at the keyword itself, not at the enclosing
/// list, and judged by the direction of its schema.
#[test]
fn changes_inside_members_maps_and_items_are_pointed_at() {
    let (b, mut h) = (base(), base());
    set(
        &mut h,
        &format!("{RESP}/properties/address/allOf/1/properties/zip/maxLength"),
        json!(5),
    );
    set(
        &mut h,
        &format!("{REQ}/properties/attrs/additionalProperties/maxLength"),
        json!(10),
    );
    set(
        &mut h,
        &format!("{REQ}/properties/tags/items/enum"),
        json!(["a", "b"]),
    );
    let report = compare(source("base.yaml", &b), source("head.yaml", &h))
        .unwrap_or_else(|_| panic!("a report"));
    let find = |pointer: &str| {
        report
            .changes
            .iter()
            .find(|c| c.pointer == pointer)
            .unwrap_or_else(|| panic!("a change at {pointer}: {:#?}", report.changes))
    };
    let zip = find(&format!(
        "{RESP}/properties/address/allOf/1/properties/zip/maxLength"
    ));
    assert!(
        !zip.wire.breaking,
        "tighter in a response: {}",
        zip.wire.reason
    );
    assert!(
        zip.location
            .as_deref()
            .is_some_and(|l| l.starts_with("head.yaml:"))
    );
    let attrs = find(&format!(
        "{REQ}/properties/attrs/additionalProperties/maxLength"
    ));
    assert!(
        attrs.wire.breaking,
        "tighter in a request: {}",
        attrs.wire.reason
    );
    let tags = find(&format!("{REQ}/properties/tags/items/enum"));
    assert_eq!(tags.kind, Kind::BecameEnum);
    assert!(tags.wire.breaking);
}

/// The markdown comment groups changes by the operations they affect and
/// names the oasdiff rules.
#[test]
fn the_markdown_comment_groups_by_operation() {
    let (b, mut h) = (base(), base());
    set(
        &mut h,
        &format!("{ITEM}/parameters/1/required"),
        json!(true),
    );
    set(
        &mut h,
        &format!("{REQ}/properties/name/maxLength"),
        json!(5),
    );
    let report = compare(source("base.yaml", &b), source("head.yaml", &h))
        .unwrap_or_else(|_| panic!("a report"));
    let markdown = xtask::api_diff::render(&report, xtask::api_diff::Format::Markdown);
    assert!(
        markdown.contains("#### `GET /orders/{orderId}`"),
        "{markdown}"
    );
    assert!(markdown.contains("#### `POST /orders`"), "{markdown}");
    assert!(
        markdown.contains("`request-parameter-became-required`"),
        "{markdown}"
    );
    assert!(
        markdown.contains("`request-property-max-length-decreased`"),
        "{markdown}"
    );
}

/// The kinds listed in `xtask/API-DIFF.md` are the kinds of the code.
#[test]
fn the_documented_kinds_are_the_kinds() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/API-DIFF.md"))
        .expect("API-DIFF.md");
    let start = doc.find("\nKinds: ").expect("a Kinds paragraph");
    let paragraph = &doc[start..start + doc[start..].find("\n\n").expect("its end")];
    let documented: Vec<&str> = paragraph
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| w.contains('-') && w.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .collect();
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let mut sorted_doc = documented.clone();
    sorted_doc.sort_unstable();
    let mut sorted_kinds = kinds.clone();
    sorted_kinds.sort_unstable();
    assert_eq!(sorted_doc, sorted_kinds, "API-DIFF.md's Kinds paragraph");
}
