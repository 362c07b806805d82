//! The premises of the Active Management entries of `openapi/DECISIONS.md`
//! (`D-AM<n>`), checked against the captured pages and, where a premise is about
//! what the generated client does, over HTTP on 127.0.0.1. When one fails, a
//! page (or the generator) has changed under a decision: revisit the entry and
//! the spec rather than the test.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::page::{Field, Page, api_pages, load};
use common::{field, resolve, spec, spec_at};
use cryptomate::types::{RampTransferId, VirtualWalletId};
use cryptomate::{ApiKey, Client, Error};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The folder of the Active Management pages in the vendor's repository.
const FOLDER: &str = "api-reference/virtual-wallets/";
const WITHDRAW: &str = "api-reference/virtual-wallets/wallets/withdraw-from-virtual-wallet.mdx";
const HOLDING_WITHDRAW: &str =
    "api-reference/virtual-wallets/holding/withdraw-from-holding-wallet.mdx";
const OVERRIDE: &str = "api-reference/virtual-wallets/wallets/override-virtual-balance.mdx";
const MOVEMENTS: &str = "api-reference/virtual-wallets/transactions/get-wallet-movements.mdx";
const CARD_RAMP: &str = "api-reference/virtual-wallets/ramps/create-credit-card-ramp-on.mdx";
const RECEIPT: &str = "api-reference/virtual-wallets/ramps/get-ramp-transfer-receipt.mdx";
const UPDATE_TRANSFER: &str = "api-reference/virtual-wallets/ramps/update-ramp-transfer.mdx";
const BANK_RAMPS: &str = "api-reference/virtual-wallets/ramps/bank-ramps/";

/// The Active Management API pages.
fn pages() -> Vec<Page> {
    let pages: Vec<Page> = api_pages()
        .into_iter()
        .filter(|p| p.file.starts_with(FOLDER))
        .collect();
    assert_eq!(pages.len(), 25, "the Active Management anchor's 25 pages");
    pages
}

/// The spec's operation a page documents.
fn operation(page: &Page) -> Value {
    let op = spec()["paths"][&page.path][page.method.to_lowercase()].clone();
    assert!(op.is_object(), "{}: the spec has its operation", page.file);
    op
}

fn client_for(server: &MockServer) -> Client {
    Client::builder(ApiKey::new("test-key-3a9e").expect("key"))
        .base_url(server.uri())
        .build()
        .expect("client")
}

fn stem(page: &Page) -> String {
    page.file
        .rsplit('/')
        .next()
        .and_then(|f| f.strip_suffix(".mdx"))
        .expect("a file name")
        .replace('-', "_")
}

#[test]
fn operation_ids_are_the_file_names_with_the_product_where_shared() {
    // D-AM1: the file name, but for the four files other products share.
    let others: BTreeSet<String> = api_pages()
        .into_iter()
        .filter(|p| !p.file.starts_with(FOLDER))
        .map(|p| stem(&p))
        .collect();
    let renamed = BTreeMap::from([
        ("get_holding_wallet", "get_virtual_wallets_holding_wallet"),
        (
            "get_holding_wallet_balances",
            "get_virtual_wallets_holding_wallet_balances",
        ),
        (
            "withdraw_from_holding_wallet",
            "withdraw_from_virtual_wallets_holding_wallet",
        ),
        (
            "override_virtual_balance",
            "override_virtual_wallet_balance",
        ),
    ]);
    for page in pages() {
        let op = operation(&page);
        let stem = stem(&page);
        let expected = renamed.get(stem.as_str()).copied().unwrap_or(&stem);
        assert_eq!(op["operationId"], expected, "D-AM1: {}", page.file);
        assert_eq!(op["tags"], json!(["active-management"]), "{}", page.file);
    }
    // The premise: another product has a page of the same name, or a
    // holding wallet of its own.
    assert!(others.contains("override_virtual_balance"), "D-AM1");
    assert!(
        others.iter().any(|o| o.contains("holding_wallet")),
        "D-AM1: only ours is a holding wallet now"
    );
    assert!(
        api_pages()
            .iter()
            .any(|p| p.file.starts_with("api-reference/cards/holding/")),
        "D-AM1: Cards has a holding wallet"
    );
}

#[test]
fn wallet_ids_never_name_a_literal_path() {
    // D-AM1: every wallet id of the pages is `vw_` and more, so none is one of
    // the literal segments beside `{walletId}`.
    let literal = ["list", "create", "virtual-balances", "holding", "ramps"];
    let mut seen = 0;
    for page in pages() {
        for (name, value) in page.path_values() {
            if name == "walletId" {
                assert!(value.starts_with("vw_"), "D-AM1: {}: {value}", page.file);
                assert!(!literal.contains(&value.as_str()));
                seen += 1;
            }
        }
    }
    assert!(seen >= 9, "only {seen} wallet ids");
    for path in ["/virtual-wallets/holding", "/virtual-wallets/{walletId}"] {
        assert!(spec()["paths"][path]["get"].is_object(), "{path}");
    }
}

#[test]
fn no_response_field_is_marked_required() {
    // D-AM2 (D2): the required `id`s are the spec's decision.
    fn walk(file: &str, fields: &[Field]) {
        for field in fields {
            assert!(
                !field.required,
                "D-AM2: {file}: {} is now required",
                field.name
            );
            walk(file, &field.children);
        }
    }
    for page in pages() {
        walk(&page.file, &page.fields("Response"));
    }
    for schema in ["VirtualWallet", "RampTransfer"] {
        assert_eq!(
            spec_at(&format!("/components/schemas/{schema}"))["required"],
            json!(["id"]),
            "D-AM2: {schema}"
        );
    }
    // The ramp-on's own id is not what the cancel page takes.
    let created = load(&format!("{BANK_RAMPS}create-bank-ramp-on.mdx"));
    let cancel = load(&format!("{BANK_RAMPS}cancel-bank-ramp-on.mdx"));
    let id = created
        .tabs
        .iter()
        .find_map(|t| {
            t.body
                .as_ref()
                .and_then(|b| b["id"].as_str().map(str::to_string))
        })
        .expect("the ramp-on's id");
    assert!(id.starts_with("rampon_"), "D-AM2: {id}");
    assert!(
        cancel
            .path_values()
            .iter()
            .all(|(_, v)| v.starts_with("evt_")),
        "D-AM2: the cancel page takes a ramp transfer's id"
    );
}

#[test]
fn the_generated_ids_check_what_the_spec_says() {
    // D-AM2 (D16): the generator makes VirtualWalletId and RampTransferId
    // from the spec; their JSON Schemas carry the spec's limits, and they refuse what would
    // leave a path segment.
    for (name, schema) in [
        (
            "VirtualWalletId",
            cryptomate::schemars::schema_for!(VirtualWalletId),
        ),
        (
            "RampTransferId",
            cryptomate::schemars::schema_for!(RampTransferId),
        ),
    ] {
        let rust = serde_json::to_value(&schema).expect("a schema");
        let spec = spec_at(&format!("/components/schemas/{name}"));
        for keyword in ["type", "pattern", "minLength"] {
            assert_eq!(
                rust.get(keyword),
                spec.get(keyword),
                "D-AM2: {name}.{keyword}"
            );
        }
    }
    for bad in ["", ".", "..", "a/b", "a\\b"] {
        assert!(VirtualWalletId::new(bad).is_err(), "{bad:?}");
        assert!(RampTransferId::new(bad).is_err(), "{bad:?}");
    }
    assert!(VirtualWalletId::new("vw_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d").is_ok());
    assert!(RampTransferId::new("evt_a1b2c3d4e5f6").is_ok());
}

#[test]
fn every_number_is_money() {
    // D-AM3: every `number` of the pages (request and response, at any
    // depth) is `format: decimal` in the spec, and no page's number is a count.
    fn numbers(prefix: &str, fields: &[Field], out: &mut Vec<(String, String)>) {
        for field in fields {
            let name = format!("{prefix}{}", field.name);
            if field.ty == "number" {
                out.push((name.clone(), field.description.clone()));
            }
            numbers(&format!("{name}."), &field.children, out);
        }
    }
    let mut checked = 0;
    for page in pages() {
        let op = operation(&page);
        for (section, schema) in [
            (
                "Body",
                resolve(&op["requestBody"]["content"]["application/json"]["schema"]),
            ),
            (
                "Response",
                resolve(&op["responses"]["200"]["content"]["application/json"]["schema"]),
            ),
        ] {
            let mut found = Vec::new();
            numbers("", &page.fields(section), &mut found);
            for (name, description) in found {
                let lower = description.to_lowercase();
                assert!(
                    ["amount", "balance", "fee", "rate"]
                        .iter()
                        .any(|w| lower.contains(w)),
                    "D-AM3: {}: {name} ({description}) is not money",
                    page.file
                );
                let mut at = if schema["type"] == "array" {
                    resolve(&schema["items"])
                } else {
                    schema.clone()
                };
                for part in name.split('.') {
                    at = resolve(&at["properties"][part]);
                    if at["type"] == "array" {
                        at = resolve(&at["items"]);
                    }
                }
                assert_eq!(at["type"], "number", "D-AM3: {}: {name}", page.file);
                assert_eq!(at["format"], "decimal", "D-AM3: {}: {name}", page.file);
                assert!(at.get("multipleOf").is_none(), "D-AM3: {name}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 25, "only {checked} numbers");
    // The bare number of the override, too.
    let answer =
        &operation(&load(OVERRIDE))["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(answer["format"], "decimal");
}

#[test]
fn a_negative_virtual_balance_is_the_pages_412() {
    // D-AM4: the page documents the server's answer to a negative balance;
    // the schema does not bound it.
    let page = load(OVERRIDE);
    assert!(
        field(&page.fields("Body"), "virtual_balance")
            .description
            .contains("non-negative")
    );
    let tab = page
        .tabs
        .iter()
        .find(|t| t.status == 412)
        .and_then(|t| t.body.clone())
        .expect("the 412 tab");
    assert!(
        tab["message"]
            .as_str()
            .is_some_and(|m| m.contains("negative"))
    );
    let request =
        resolve(&operation(&page)["requestBody"]["content"]["application/json"]["schema"]);
    assert!(
        request["properties"]["virtual_balance"]
            .get("minimum")
            .is_none()
    );
    let declared = resolve(&operation(&page)["responses"]["412"]);
    assert_eq!(
        declared["content"]["application/json"]["examples"]["documented"]["value"],
        tab
    );
}

#[test]
fn the_withdrawals_show_a_302_with_an_error_body() {
    // D-AM5: both pages' tab, what the spec declares for it, and no
    // idempotency header on the pages or in the spec.
    for file in [WITHDRAW, HOLDING_WITHDRAW] {
        let page = load(file);
        assert!(
            page.text
                .iter()
                .any(|p| p.contains("This operation is idempotent")),
            "{file}"
        );
        let body = page
            .tabs
            .iter()
            .find(|t| t.status == 302)
            .and_then(|t| t.body.clone())
            .expect("a 302 tab");
        assert_eq!(
            body,
            json!({"code": "WARNING", "message": "Pending transaction"})
        );
        let declared = resolve(&operation(&page)["responses"]["302"]);
        assert_eq!(
            declared["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ApiError"
        );
        assert!(
            page.headers
                .iter()
                .all(|(name, _)| !name.to_lowercase().contains("idempotency")),
            "D-AM5: {file} now sends a key"
        );
        assert!(
            operation(&page)["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|p| p["in"] != "header"),
            "{file}"
        );
    }
}

#[tokio::test]
async fn a_302_reaches_the_caller_with_its_status_and_body() {
    // D-AM5, in the client: not followed (no Location), not a success, sent
    // once, its body kept for the caller.
    let page = load(WITHDRAW);
    let body = page
        .tabs
        .iter()
        .find(|t| t.status == 302)
        .and_then(|t| t.body.clone())
        .expect("the 302 tab");
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("POST"))
        .respond_with(ResponseTemplate::new(302).set_body_json(&body))
        .mount(&server)
        .await;
    let request = page.request.clone().expect("the curl example's body");
    let err = client_for(&server)
        .withdraw_from_virtual_wallet()
        .wallet_id(VirtualWalletId::new("vw_1").expect("an id"))
        .body(
            serde_json::from_value::<cryptomate::types::VirtualWalletWithdrawalRequest>(request)
                .expect("the page's body"),
        )
        .send()
        .await
        .expect_err("a 302 is not a success");
    // D-T5's rewrite: a documented 3xx is the operation's error, decoded.
    assert!(matches!(err, Error::ErrorResponse { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert_eq!(err.code(), body["code"].as_str());
    assert!(err.may_have_reached_server());
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
}

#[test]
fn movements_page_by_a_cursor() {
    // D-AM6: the page's parameters, all optional, and its cursor.
    let page = load(MOVEMENTS);
    let op = operation(&page);
    let query: Vec<&Value> = op["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter(|p| p["in"] == "query")
        .collect();
    let names: BTreeSet<&str> = query.iter().filter_map(|p| p["name"].as_str()).collect();
    let listed: BTreeSet<String> = page
        .fields("Query parameters")
        .iter()
        .map(|f| f.name.clone())
        .collect();
    assert_eq!(
        names,
        listed.iter().map(String::as_str).collect::<BTreeSet<_>>()
    );
    assert!(query.iter().all(|p| p["required"] != true));
    assert!(page.fields("Query parameters").iter().all(|f| !f.required));
    let answer = resolve(&op["responses"]["200"]["content"]["application/json"]["schema"]);
    assert_eq!(answer["properties"]["paging_state_token"]["nullable"], true);
    // The page still does not say what the last page carries.
    let response = page.fields("Response");
    let token = field(&response, "paging_state_token");
    assert!(!token.description.to_lowercase().contains("null"));
    assert!(!token.description.to_lowercase().contains("last"));
}

#[test]
fn the_bootstrap_token_is_sensitive() {
    // D-AM7: in the spec and in Rust.
    let page = load(CARD_RAMP);
    assert!(
        field(&page.fields("Response"), "bootstrap_token")
            .description
            .contains("Bootstrap token")
    );
    let schema = spec_at("/components/schemas/CreditCardRampOnSession");
    assert_eq!(
        schema["properties"]["bootstrap_token"]["allOf"][0]["$ref"],
        "#/components/schemas/SensitiveString"
    );
    let body = page
        .tabs
        .iter()
        .find(|t| t.status == 200)
        .and_then(|t| t.body.clone())
        .expect("the 200 tab");
    let session: cryptomate::types::CreditCardRampOnSession =
        serde_json::from_value(body.clone()).expect("the page's answer decodes");
    let token = body["bootstrap_token"].as_str().expect("a token");
    assert!(!format!("{session:?}").contains(token), "{session:?}");
    assert_eq!(serde_json::to_value(&session).expect("serializes"), body);
}

/// The values of "One of `A`, `B`." (or "`A` or `B`."): the whole list.
fn one_of(description: &str) -> Vec<String> {
    // "One of `A`, `B`.", or a sentence of its own: "Sort order. `A` or `B`."
    let rest = description
        .split_once("One of ")
        .or_else(|| description.split_once(". "))
        .map(|(_, rest)| rest)
        .unwrap_or(description);
    rest.split('.')
        .next()
        .unwrap_or_default()
        .split([',', ' '])
        .map(|v| v.trim().trim_matches('`').to_string())
        .filter(|v| {
            !v.is_empty() && v != "or" && v.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        })
        .collect()
}

#[test]
fn the_known_values_are_the_pages() {
    // D-AM8: each list of the pages is within its schema's
    // x-extensible-enum, each schema is the union of its lists, and none is
    // a closed `enum`.
    let mut unions: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut add = |schema: &'static str, values: Vec<String>| {
        assert!(!values.is_empty(), "{schema}");
        unions.entry(schema).or_default().extend(values);
    };
    for page in pages() {
        let op = operation(&page);
        for param in page
            .fields("Query parameters")
            .into_iter()
            .chain(page.fields("Path parameters"))
        {
            if param.name == "blockchain" {
                add("VirtualWalletBlockchain", one_of(&param.description));
            }
            if param.name == "sort_order" {
                add("VirtualWalletMovementSortOrder", one_of(&param.description));
            }
        }
        let request = resolve(&op["requestBody"]["content"]["application/json"]["schema"]);
        let response = resolve(&op["responses"]["200"]["content"]["application/json"]["schema"]);
        for (section, schema) in [("Body", request), ("Response", response)] {
            let mut fields = page.fields(section);
            let mut schema = schema;
            if let Some(movements) = fields.iter().find(|f| f.name == "movements") {
                fields = movements.children.clone();
                schema = resolve(&schema["properties"]["movements"]["items"]);
            }
            for f in fields.iter().filter(|f| f.description.contains("One of")) {
                let property = &schema["properties"][&f.name];
                let name = property["allOf"][0]["$ref"]
                    .as_str()
                    .and_then(|r| r.rsplit('/').next())
                    .unwrap_or_else(|| panic!("{}: {} names its schema", page.file, f.name));
                let name: &'static str = Box::leak(name.to_string().into_boxed_str());
                add(name, one_of(&f.description));
            }
        }
    }
    for (schema, values) in &unions {
        let spec = spec_at(&format!("/components/schemas/{schema}"));
        let known: BTreeSet<String> = spec["x-extensible-enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{schema} lists its values"))
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        assert_eq!(&known, values, "D-AM8: {schema}");
        assert!(spec.get("enum").is_none(), "D-AM8: {schema} stays open");
    }
    assert_eq!(unions.len(), 7, "{:?}", unions.keys());
    // The page's example of a transfer's type is its one known value.
    let transfer = load(UPDATE_TRANSFER);
    assert!(
        field(&transfer.fields("Response"), "type")
            .description
            .contains("for example, `RAMP_ON`")
            || field(&transfer.fields("Response"), "type")
                .description
                .contains("for example, RAMP_ON")
    );
    assert_eq!(
        spec_at("/components/schemas/RampTransferType")["x-extensible-enum"],
        json!(["RAMP_ON"])
    );
}

#[test]
fn the_receipt_is_a_pdf() {
    // D-AM9: the page's text tab, and the spec's binary answer.
    let page = load(RECEIPT);
    assert!(
        page.mdx.response_examples.iter().any(|b| b.status == Some(200)
            && matches!(b.content, vendor_pages::mdx::Content::Text)),
        "D-AM9: the 200 tab is a text block"
    );
    let declared = &operation(&page)["responses"]["200"]["content"];
    assert_eq!(
        declared["application/pdf"]["schema"],
        json!({"type": "string", "format": "binary"})
    );
    assert!(declared.get("application/json").is_none());
}
