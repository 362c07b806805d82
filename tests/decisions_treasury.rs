//! The premises of the Treasury entries of `openapi/DECISIONS.md` (`D-T<n>`),
//! checked against the captured pages and, where a premise is about what the
//! generated client does, over HTTP on 127.0.0.1. When one fails, a page (or
//! the generator) has changed under a decision: revisit the entry and the
//! spec rather than the test.

mod common;

use std::collections::BTreeSet;

use common::page::{Field, Page, api_pages, load};
use common::{field, resolve, spec, spec_at};
use cryptomate::types::{TreasuryAccountId, TreasuryWalletId};
use cryptomate::{ApiKey, Client, Error};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The folder of the Treasury pages in the vendor's repository.
const TREASURY: &str = "api-reference/treasury/";
const DELETE_ACCOUNT: &str = "api-reference/treasury/accounts/delete-account.mdx";
const TRANSFER: &str = "api-reference/treasury/wallets/transfer-token.mdx";
const SEARCH: &str = "api-reference/treasury/transactions/search-transactions.mdx";
const CREATE_WALLET: &str = "api-reference/treasury/wallets/create-wallet.mdx";

/// The Treasury API pages.
fn treasury_pages() -> Vec<Page> {
    let pages: Vec<Page> = api_pages()
        .into_iter()
        .filter(|p| p.file.starts_with(TREASURY))
        .collect();
    assert_eq!(pages.len(), 12, "the Treasury anchor's twelve pages");
    pages
}

/// The spec's operation a page documents.
fn operation(page: &Page) -> Value {
    let op = spec()["paths"][&page.path][page.method.to_lowercase()].clone();
    assert!(op.is_object(), "{}: the spec has its operation", page.file);
    op
}

fn client_for(server: &MockServer) -> Client {
    Client::builder(ApiKey::new("test-key-7c1d").expect("key"))
        .base_url(server.uri())
        .build()
        .expect("client")
}

#[test]
fn operation_ids_are_the_file_names_with_their_product() {
    // D-T1: the file name, with `treasury` before its noun but for
    // `transfer_token`.
    for page in treasury_pages() {
        let op = operation(&page);
        let id = op["operationId"].as_str().expect("an operationId");
        let stem = page
            .file
            .rsplit('/')
            .next()
            .and_then(|f| f.strip_suffix(".mdx"))
            .expect("a file name")
            .replace('-', "_");
        let without = id.replacen("treasury_", "", 1);
        assert_eq!(without, stem, "D-T1: {}", page.file);
        assert_eq!(id == stem, id == "transfer_token", "D-T1: {}", page.file);
        assert_eq!(op["tags"], json!(["treasury"]), "{}", page.file);
    }
    // The premise: other products have the same nouns, and one the same file.
    let others: Vec<String> = api_pages()
        .into_iter()
        .filter(|p| !p.file.starts_with(TREASURY))
        .map(|p| p.file.rsplit('/').next().unwrap_or_default().to_string())
        .collect();
    assert!(others.iter().any(|f| f == "search-transactions.mdx"));
    assert!(others.iter().any(|f| f.contains("wallet")));
    assert!(others.iter().any(|f| f.contains("account")));
}

#[test]
fn no_treasury_response_field_is_marked_required() {
    // D-T2 (D2): the required `id`s are the spec's decision.
    fn walk(file: &str, fields: &[Field]) {
        for field in fields {
            assert!(
                !field.required,
                "D-T2: {file}: {} is now required",
                field.name
            );
            walk(file, &field.children);
        }
    }
    for page in treasury_pages() {
        walk(&page.file, &page.fields("Response"));
    }
    for schema in ["TreasuryAccount", "TreasuryWallet"] {
        assert_eq!(
            spec_at(&format!("/components/schemas/{schema}"))["required"],
            json!(["id"]),
            "D-T2: {schema}"
        );
    }
}

#[test]
fn the_path_ids_are_checked_ids_with_the_curl_examples_values() {
    // D-T2 (D16, D-M5): every path parameter is a checked id whose example is
    // the curl example's value, and the examples' ids are valid ones.
    let segment = spec_at("/components/schemas/ClientId")["pattern"].clone();
    for schema in ["TreasuryAccountId", "TreasuryWalletId"] {
        let s = spec_at(&format!("/components/schemas/{schema}"));
        assert_eq!(s["pattern"], segment, "{schema}");
        assert_eq!(s["minLength"], 1, "{schema}");
    }
    let mut seen = 0;
    for page in treasury_pages() {
        let op = operation(&page);
        for (name, value) in page.path_values() {
            let param = op["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .find(|p| p["name"] == name.as_str())
                .cloned()
                .unwrap_or_else(|| panic!("{}: {name}", page.file));
            let schema = param["schema"]["$ref"].as_str().expect("a named id");
            match name.as_str() {
                "accountId" => {
                    assert_eq!(schema, "#/components/schemas/TreasuryAccountId");
                    assert!(value.starts_with("acc_"), "{value}");
                    TreasuryAccountId::new(value.as_str()).expect("a valid account id");
                }
                "walletId" => {
                    assert_eq!(schema, "#/components/schemas/TreasuryWalletId");
                    assert!(value.starts_with("wallet_"), "{value}");
                    TreasuryWalletId::new(value.as_str()).expect("a valid wallet id");
                }
                other => panic!("{}: an unexpected path parameter {other}", page.file),
            }
            assert_eq!(param["example"], value.as_str(), "D-M5: {}", page.file);
            seen += 1;
        }
    }
    assert_eq!(seen, 14, "path parameters of the Treasury pages");
    assert!(TreasuryWalletId::new("..").is_err());
    assert!(TreasuryAccountId::new("acc/1").is_err());
}

#[test]
fn delete_account_says_empty_body_and_shows_an_object() {
    // D-T3.
    let page = load(DELETE_ACCOUNT);
    let prose = page.section("Response").expect("a Response section").prose;
    assert!(
        prose.iter().any(|p| p.contains("200 with an empty body")),
        "{prose:?}"
    );
    let tab = page
        .tabs
        .iter()
        .find(|t| t.status == 200)
        .expect("a 200 tab");
    assert_eq!(tab.body, Some(json!({})));
    let declared = resolve(&operation(&page)["responses"]["200"]);
    assert_eq!(
        declared["content"]["application/json"]["schema"],
        json!({"type": "object"})
    );
}

#[tokio::test]
async fn delete_account_reads_the_pages_object_and_says_so_of_an_empty_body() {
    // D-T3, in the client: the example's `{}` is a success; an empty body is
    // an invalid answer that still says its status.
    for (body, success) in [("{}", true), ("", false)] {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::method("DELETE"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(body.as_bytes(), "application/json"),
            )
            .mount(&server)
            .await;
        let answer = client_for(&server)
            .delete_treasury_account()
            .account_id(TreasuryAccountId::new("acc_1").expect("an id"))
            .send()
            .await;
        assert_eq!(answer.is_ok(), success, "{body:?}: {answer:?}");
        if let Err(e) = answer {
            assert_eq!(e.status().map(|s| s.as_u16()), Some(200));
        }
    }
}

#[test]
fn the_transfer_names_an_optional_idempotency_key() {
    // D-T4.
    let page = load(TRANSFER);
    assert!(
        page.text
            .iter()
            .any(|p| p.contains("Idempotency-Key header")),
        "{:?}",
        page.text
    );
    assert!(
        page.fields("Headers").is_empty(),
        "the page now lists headers"
    );
    let value = page
        .headers
        .iter()
        .find(|(name, _)| name == "Idempotency-Key")
        .map(|(_, value)| value.clone())
        .expect("the curl example sends Idempotency-Key");
    let op = operation(&page);
    let param = op["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["in"] == "header")
        .cloned()
        .expect("a header parameter");
    assert_eq!(param["name"], "Idempotency-Key");
    assert_eq!(param["required"], false);
    assert_eq!(param["example"], value.as_str());
}

#[test]
fn the_transfer_shows_a_302_with_an_error_body() {
    // D-T5: the page's tab, and what the spec declares for it.
    let page = load(TRANSFER);
    let tab = page
        .tabs
        .iter()
        .find(|t| t.status == 302)
        .expect("a 302 tab");
    let body = tab.body.clone().expect("a JSON body");
    assert_eq!(body["code"], "WARNING");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("pending"))
    );
    let declared = resolve(&operation(&page)["responses"]["302"]);
    assert_eq!(
        declared["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ApiError"
    );
}

#[tokio::test]
async fn a_302_reaches_the_caller_as_a_documented_error() {
    // D-T5, in the client: not followed (no Location), not a success, and a
    // documented error with the page's code and message.
    let page = load(TRANSFER);
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
        .transfer_token()
        .account_id(TreasuryAccountId::new("acc_1").expect("an id"))
        .wallet_id(TreasuryWalletId::new("wallet_1").expect("an id"))
        .body(
            serde_json::from_value::<cryptomate::types::TokenTransferRequest>(request)
                .expect("the page's body"),
        )
        .send()
        .await
        .expect_err("a 302 is not a success");
    assert!(matches!(err, Error::ErrorResponse(_)), "{err:?}");
    assert_eq!(err.code(), Some("WARNING"));
    assert_eq!(err.message(), body["message"].as_str());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert!(err.may_have_reached_server());
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
}

#[test]
fn the_search_sends_repeated_names() {
    // D-T6: the page's curl example repeats the names, without brackets.
    let page = load(SEARCH);
    let query = page.url.split_once('?').map(|(_, q)| q).expect("a query");
    assert!(query.contains("wallet_ids=wallet_"), "{query}");
    assert!(
        query.contains("operations=TRANSFER&operations=DEPOSIT"),
        "{query}"
    );
    assert!(!query.contains("[]") && !query.contains("%5B"), "{query}");
    let params = page.fields("Query parameters");
    for name in ["wallet_ids", "operations"] {
        let f = field(&params, name);
        assert_eq!((f.ty.as_str(), f.required), ("string[]", true), "{name}");
    }
    let op = operation(&page);
    for name in ["wallet_ids", "operations"] {
        let param = op["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .expect("the parameter");
        assert_eq!(
            (
                &param["style"],
                &param["explode"],
                &param["schema"]["minItems"]
            ),
            (&json!("form"), &json!(true), &json!(1)),
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_client_sends_the_search_as_the_curl_example_does() {
    // D-T6, on the wire.
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"movements": []})))
        .mount(&server)
        .await;
    client_for(&server)
        .search_treasury_transactions()
        .wallet_ids(vec![
            TreasuryWalletId::new("wallet_a").expect("an id"),
            TreasuryWalletId::new("wallet_b").expect("an id"),
        ])
        .operations(vec![
            "TRANSFER".parse().expect("an operation"),
            "DEPOSIT".parse().expect("an operation"),
        ])
        .send()
        .await
        .expect("a page of movements");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/mpc/treasury/transactions/search");
    // The name repeated per value, without brackets, values in the order
    // given (the parameters themselves in progenitor's order, which HTTP
    // servers do not weigh).
    let query = requests[0].url.query().expect("a query");
    assert!(!query.contains("%5B") && !query.contains('['), "{query}");
    let pairs: Vec<(String, String)> = requests[0]
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let of = |name: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(of("wallet_ids"), ["wallet_a", "wallet_b"], "{query}");
    assert_eq!(of("operations"), ["TRANSFER", "DEPOSIT"], "{query}");
    assert_eq!(pairs.len(), 4, "no other parameter is sent unset: {query}");
}

/// The values of "One of `A`, `B`." (or "One or more of ..."): the whole list.
fn one_of(description: &str) -> Vec<String> {
    let (_, rest) = description
        .split_once("One of ")
        .or_else(|| description.split_once("One or more of "))
        .unwrap_or_else(|| panic!("no list of values in {description:?}"));
    rest.split('.')
        .next()
        .unwrap_or_default()
        .split(',')
        .map(|v| v.trim().to_string())
        .collect()
}

#[test]
fn the_known_values_are_the_treasury_pages() {
    // D-T7: each list of the pages is its schema's x-extensible-enum, and no
    // schema is a closed `enum`.
    let wallet = load(CREATE_WALLET);
    let transfer = load(TRANSFER);
    let search = load(SEARCH);
    let movement = field(&search.fields("Response"), "movements")
        .children
        .clone();
    let get_wallet = load("api-reference/treasury/wallets/get-wallet.mdx");
    let list_wallets = load("api-reference/treasury/wallets/list-wallets.mdx");
    for (description, schema) in [
        (
            field(&wallet.fields("Body"), "blockchain")
                .description
                .clone(),
            "TreasuryBlockchain",
        ),
        (
            field(&get_wallet.fields("Response"), "blockchain")
                .description
                .clone(),
            "TreasuryBlockchain",
        ),
        (
            field(&list_wallets.fields("Response"), "blockchain")
                .description
                .clone(),
            "TreasuryBlockchain",
        ),
        (
            field(&transfer.fields("Response"), "status")
                .description
                .clone(),
            "TreasuryTransferStatus",
        ),
        (
            field(&movement, "status").description.clone(),
            "TreasuryTransactionStatus",
        ),
        (
            field(&movement, "operation").description.clone(),
            "TreasuryOperation",
        ),
        (
            field(&search.fields("Query parameters"), "operations")
                .description
                .clone(),
            "TreasuryOperationFilter",
        ),
    ] {
        let spec = spec_at(&format!("/components/schemas/{schema}"));
        assert_eq!(
            spec["x-extensible-enum"],
            json!(one_of(&description)),
            "D-T7: {schema}"
        );
        assert!(spec.get("enum").is_none(), "D-T7: {schema} stays open");
    }
    // The search's filter and a movement's operation are two sets.
    assert_ne!(
        one_of(&field(&movement, "operation").description),
        one_of(&field(&search.fields("Query parameters"), "operations").description)
    );
    // The page's prose and its 412 list the filter's values too.
    let allowed: Vec<String> = search
        .text
        .iter()
        .find_map(|p| p.strip_prefix("Allowed operation types: "))
        .expect("the list of allowed operation types")
        .trim_end_matches('.')
        .split(", ")
        .map(str::to_string)
        .collect();
    assert_eq!(
        json!(allowed),
        spec_at("/components/schemas/TreasuryOperationFilter")["x-extensible-enum"]
    );
}

#[test]
fn every_treasury_number_is_money() {
    // D-T8: the pages' numbers are amounts and balances, each a decimal in the
    // spec; the transfer's amount has the page's bounds.
    fn numbers(fields: &[Field], out: &mut BTreeSet<String>) {
        for f in fields {
            if f.ty == "number" {
                out.insert(f.name.clone());
            }
            numbers(&f.children, out);
        }
    }
    let mut on_pages = BTreeSet::new();
    for page in treasury_pages() {
        numbers(&page.fields("Body"), &mut on_pages);
        numbers(&page.fields("Response"), &mut on_pages);
    }
    assert_eq!(
        on_pages,
        BTreeSet::from(["amount".to_string(), "balance".to_string()])
    );
    let schemas = spec_at("/components/schemas");
    let mut in_spec = 0;
    for (name, schema) in schemas.as_object().expect("schemas") {
        if !(name.starts_with("Treasury") || name.starts_with("TokenTransfer")) {
            continue;
        }
        for (property, s) in schema["properties"].as_object().into_iter().flatten() {
            if s["type"] == "number" {
                assert!(on_pages.contains(property), "{name}.{property}");
                assert_eq!(s["format"], "decimal", "D-T8: {name}.{property}");
                in_spec += 1;
            }
        }
    }
    assert_eq!(
        in_spec, 3,
        "balance, a movement's amount, the transfer's amount"
    );
    let amount = field(&load(TRANSFER).fields("Body"), "amount")
        .description
        .clone();
    assert!(amount.contains("Maximum 9 integer digits and 6 decimal places"));
    assert!(amount.contains("Must be greater than 0"));
    let spec = spec_at("/components/schemas/TokenTransferRequest/properties/amount");
    assert_eq!(
        (
            &spec["minimum"],
            &spec["exclusiveMinimum"],
            &spec["maximum"]
        ),
        (&json!(0), &json!(true), &json!(999_999_999.999_999))
    );
}
