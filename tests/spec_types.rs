//! The types the generator writes from the spec's conventions
//! (`codegen/spec_types.rs`): every open set of the spec is an open enum whose
//! unknown values travel through the client unchanged, and every `<Thing>Id`
//! with the segment pattern is a checked id.

mod common;

use cryptomate::types::{ProductEnablementRequest, ProductRequest, Subproduct};
use cryptomate::{ApiKey, Client, ClientId, ProductRequestId};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The generated file, as the crate compiles it.
const CODE: &str = include_str!(concat!(env!("OUT_DIR"), "/cryptomate.rs"));

/// The segment pattern of the spec's ids (D16).
const SEGMENT_PATTERN: &str = r"^[^/\\]*[^./\\][^/\\]*$";

fn squeezed(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

fn schemas() -> serde_json::Map<String, Value> {
    common::spec()["components"]["schemas"]
        .as_object()
        .expect("the spec has schemas")
        .clone()
}

#[test]
fn every_open_set_of_the_spec_is_an_open_enum_of_its_values() {
    let code = squeezed(CODE);
    let mut seen = 0;
    for (name, schema) in schemas() {
        let Some(known) = schema.get("x-extensible-enum").and_then(Value::as_array) else {
            continue;
        };
        seen += 1;
        assert!(
            code.contains(&format!("pubenum{name}{{")),
            "{name} is no enum"
        );
        let start = code
            .find(&format!("open_enum_impls!{{{name},"))
            .unwrap_or_else(|| panic!("{name} has no open_enum_impls!"));
        let invocation = &code[start..start + code[start..].find('}').expect("closed")];
        for value in known {
            let text = value.as_str().expect("a string value");
            assert!(
                invocation.contains(&format!("=\"{text}\",")),
                "{name} lacks {text}: {invocation}"
            );
        }
        assert!(
            !code.contains(&format!("pubstruct{name}(")),
            "{name} is left to typify"
        );
    }
    assert!(seen >= 5, "the spec's open sets: {seen}");
}

#[test]
fn every_segment_id_of_the_spec_is_a_checked_id() {
    let code = squeezed(CODE);
    let mut seen = 0;
    for (name, schema) in schemas() {
        if !name.ends_with("Id") || schema["pattern"] != SEGMENT_PATTERN {
            continue;
        }
        seen += 1;
        assert!(
            code.contains(&format!("pubstruct{name}(::std::string::String);")),
            "{name} is no checked id"
        );
        assert!(
            code.contains(&format!("checked_string_impls!{{{name},")),
            "{name} has no checked_string_impls!"
        );
    }
    assert!(seen >= 2, "the spec's ids: {seen}");
}

#[test]
fn checked_ids_refuse_what_would_leave_the_segment_and_name_their_kind() {
    let error = ProductRequestId::new("a/b").expect_err("refused");
    assert_eq!(
        error.to_string(),
        "a product request id must not contain `/` or `\\`: it would change the request's path"
    );
    assert!("..".parse::<ClientId>().is_err());
    assert!(serde_json::from_value::<ClientId>(json!("")).is_err());
    let id: ClientId = serde_json::from_value(json!("4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG"))
        .expect("a valid id decodes");
    assert_eq!(id, "4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG");
}

/// An unknown value read from a response goes back out in a request as it
/// came, byte for byte, over HTTP.
#[tokio::test]
async fn an_unknown_value_reads_and_writes_back_unchanged_over_http() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "2VvyMx6rNLRB1W9euCyJGe46qyoiVPzh",
            "product": "Cards_Business-2",
            "status": "UNDER review"
        })))
        .mount(&server)
        .await;
    let client = Client::builder(ApiKey::new("test-key-spec-types").expect("key"))
        .base_url(server.uri())
        .build()
        .expect("client");
    let request: ProductRequest = client
        .request_product_enablement()
        .client_id("4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG")
        .body(ProductEnablementRequest::builder().subproduct(Subproduct::RampsPix))
        .send()
        .await
        .expect("decodes")
        .into_inner();
    let product = request.product.expect("a product");
    assert_eq!(product, Subproduct::Other("Cards_Business-2".into()));
    assert_eq!(product.to_string(), "Cards_Business-2");
    assert_eq!(
        request.status.as_ref().map(|s| s.as_str()),
        Some("UNDER review")
    );

    client
        .request_product_enablement()
        .client_id("4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG")
        .body(ProductEnablementRequest::builder().subproduct(product))
        .send()
        .await
        .expect("sent");
    let received = server.received_requests().await.expect("recording");
    let sent: Value = serde_json::from_slice(&received[1].body).expect("a JSON body");
    assert_eq!(sent, json!({"subproduct": "Cards_Business-2"}));
    let first: Value = serde_json::from_slice(&received[0].body).expect("a JSON body");
    assert_eq!(first, json!({"subproduct": "ramps_pix"}));
}

/// Every value of a key named `amount` in `value`, at any depth.
fn amounts<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "amount" {
                    out.push(inner);
                }
                amounts(inner, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| amounts(item, out)),
        _ => {}
    }
}

#[test]
fn the_pages_send_amounts_as_json_numbers_that_f64_rounds() {
    // D22: the API pages' amounts are JSON numbers, not strings, so the
    // decimal type writes a number; and amounts exist that f64 rounds.
    let pages = common::page::api_pages();
    let mut found = Vec::new();
    for page in &pages {
        let bodies = page
            .request
            .iter()
            .chain(page.tabs.iter().filter_map(|t| t.body.as_ref()));
        for body in bodies {
            let mut values = Vec::new();
            amounts(body, &mut values);
            for value in values {
                found.push((page.file.clone(), value.clone()));
            }
        }
    }
    assert!(found.len() >= 5, "the pages' amounts: {found:?}");
    for (file, value) in &found {
        assert!(
            value.is_number(),
            "D22: {file} sends the amount {value} as a non-number"
        );
    }
    let exact: cryptomate::Decimal = "12345678901234567.89".parse().expect("parses");
    let through_f64: f64 = "12345678901234567.89".parse().expect("parses");
    assert_ne!(through_f64.to_string(), exact.to_string());
    assert_eq!(
        serde_json::to_string(&exact).expect("writes"),
        "12345678901234567.89"
    );
}

#[test]
fn no_amount_is_an_f64_whatever_its_bounds() {
    // D22: typify's conversion compares a schema's bounds, so an amount with
    // `minimum: 0` or `exclusiveMinimum` would stay `f64` without one
    // conversion per set of bounds (`codegen/settings.rs`). The spec writes
    // every number as a decimal, so no `f64` may be left in the code.
    let spec = common::spec();
    let mut plain = Vec::new();
    fn walk(value: &Value, at: String, plain: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if map.get("type") == Some(&json!("number"))
                    && map.get("format") != Some(&json!("decimal"))
                {
                    plain.push(at.clone());
                }
                for (key, child) in map {
                    walk(child, format!("{at}/{key}"), plain);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, format!("{at}/{i}"), plain);
                }
            }
            _ => {}
        }
    }
    walk(&spec, String::new(), &mut plain);
    assert_eq!(plain, Vec::<String>::new(), "numbers that are not decimals");
    let bounded = ["minimum", "exclusiveMinimum", "maximum"]
        .iter()
        .filter(|key| spec.to_string().contains(&format!("\"{key}\"")))
        .count();
    assert!(bounded >= 2, "the premise: some amounts have bounds");
    assert!(!CODE.contains("f64"), "an amount is an f64");
}
