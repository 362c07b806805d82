//! The premises of the Management decisions D-MG<n> of `openapi/DECISIONS.md`
//! (the company, operations, blockchains, contracted products and the
//! deprecated bank accounts), checked against the captured pages. When one
//! fails, a page has changed under a decision: revisit the entry (and the
//! spec) rather than the test.

mod common;

use std::collections::BTreeSet;

use common::page::{Page, load, spec_pages};
use common::{field, resolve, spec, spec_at};
use serde_json::Value;

/// The spec's operation a page documents.
fn operation(page: &Page) -> Value {
    spec()["paths"][&page.path][page.method.to_lowercase()].clone()
}

fn response(page: &Page, status: &str) -> Value {
    resolve(&operation(page)["responses"][status])
}

fn response_schema(page: &Page, status: &str) -> Value {
    resolve(&response(page, status)["content"]["application/json"]["schema"])
}

fn property_names(schema: &Value) -> BTreeSet<String> {
    schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect()
}

/// The Management pages besides Individual Clients, by folder.
const BANK_ACCOUNTS: &str = "api-reference/management/clients/bank-accounts/";

fn bank_account_pages() -> Vec<Page> {
    let pages: Vec<Page> = spec_pages()
        .into_iter()
        .filter(|p| p.file.starts_with(BANK_ACCOUNTS))
        .collect();
    assert_eq!(pages.len(), 12, "D-MG1: the Bank Accounts group's pages");
    pages
}

/// The values of a description's "One of `a`, `b`." list.
fn one_of(description: &str) -> Vec<String> {
    let (_, rest) = description
        .split_once("One of ")
        .unwrap_or_else(|| panic!("no \"One of\" list in {description:?}"));
    rest.split('.')
        .next()
        .unwrap_or_default()
        .split(',')
        .map(|v| v.trim().trim_matches('`').to_string())
        .collect()
}

/// A component example's value.
fn example(name: &str) -> Value {
    spec_at(&format!("/components/examples/{name}/value"))
}

#[test]
fn the_bank_account_pages_are_deprecated_without_a_replacement() {
    // D-MG1.
    for page in bank_account_pages() {
        assert!(
            page.text.iter().any(|l| l.starts_with("Deprecated. ")
                && l.contains("no longer available in the public API")),
            "D-MG1: {} {:?}",
            page.file,
            page.text
        );
        assert!(
            !page.text.iter().any(|l| l.contains("instead")),
            "D-MG1: {} now names a replacement: set x-replaced-by",
            page.file
        );
        let op = operation(&page);
        assert_eq!(op["deprecated"], true, "D-MG1: {}", page.file);
        assert!(op.get("x-replaced-by").is_none(), "D-MG1: {}", page.file);
        assert_eq!(op["tags"], serde_json::json!(["management"]), "D-MG1");
    }
}

#[test]
fn the_bank_account_pages_name_a_client_id() {
    // D-MG2: the bank-account pages' clientId is the same kind of id as the
    // Individual Clients pages', though its examples have another shape.
    for page in bank_account_pages() {
        for (name, value) in page.path_values() {
            let parameter = operation(&page)["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .find(|p| p["name"] == name.as_str())
                .cloned()
                .unwrap_or_else(|| panic!("{}: {name}", page.file));
            let schema = parameter["schema"]["$ref"].as_str().expect("a named id");
            match name.as_str() {
                "clientId" => {
                    assert!(value.starts_with("client_"), "D-MG2: {value}");
                    assert_eq!(schema, "#/components/schemas/ClientId");
                    assert!(value.parse::<cryptomate::ClientId>().is_ok());
                }
                "bankId" => {
                    assert_eq!(schema, "#/components/schemas/BankAccountId");
                    assert!(value.parse::<cryptomate::types::BankAccountId>().is_ok());
                }
                other => panic!("D-MG2: a new path parameter {other}"),
            }
        }
    }
}

#[test]
fn every_management_access_level_is_the_pages() {
    // D-MG3: the descriptions end with the page's sentence, or say the page
    // states none; three pages state none.
    let mut silent = Vec::new();
    for page in spec_pages()
        .into_iter()
        .filter(|p| p.file.starts_with("api-reference/management/"))
    {
        let description = operation(&page)["description"]
            .as_str()
            .expect("a description")
            .to_string();
        let sentence = page
            .text
            .iter()
            .flat_map(|l| l.split_inclusive(". "))
            .map(str::trim)
            .find(|s| s.starts_with("Requires an API key with access level"))
            .map(str::to_string);
        match sentence {
            Some(sentence) => assert!(
                description.contains(&sentence),
                "D-MG3: {}: {sentence:?} not in {description:?}",
                page.file
            ),
            None => {
                assert!(
                    description.contains("states no access level"),
                    "D-MG3: {}",
                    page.file
                );
                silent.push(page.file.rsplit('/').next().unwrap_or_default().to_string());
            }
        }
    }
    silent.sort();
    assert_eq!(
        silent,
        [
            "create-company.mdx",
            "delete-company.mdx",
            "re-enable-company.mdx"
        ],
        "D-MG3: the pages without an access level"
    );
}

#[test]
fn delete_and_re_enable_company_document_no_success() {
    // D-MG4.
    for file in [
        "api-reference/management/company/delete-company.mdx",
        "api-reference/management/company/re-enable-company.mdx",
    ] {
        let page = load(file);
        assert!(
            page.tabs.iter().all(|t| t.status >= 300),
            "D-MG4: {file} now shows a success: declare it"
        );
        assert!(page.section("Response").is_none(), "D-MG4: {file}");
        for status in ["200", "204"] {
            let response = response(&page, status);
            assert!(response.is_object(), "D-MG4: {file} {status}");
            assert!(response.get("content").is_none(), "D-MG4: {file} {status}");
        }
    }
}

#[test]
fn webhook_keys_and_bank_numbers_are_never_printed() {
    // D-MG5 and D-MG12: the pages call the webhook key a secret, and the
    // sensitive fields are SensitiveString wherever they are.
    let get = load("api-reference/management/company/get-company.mdx");
    let response = get.fields("Response");
    let key = field(&response, "webhook_key");
    assert!(key.description.starts_with("Secret key"), "D-MG5");
    let sensitive = |schema: &str, property: &str| {
        assert_eq!(
            spec_at(&format!(
                "/components/schemas/{schema}/properties/{property}/allOf/0/$ref"
            )),
            "#/components/schemas/SensitiveString",
            "{schema}.{property}"
        );
    };
    for (schema, property) in [
        ("Company", "webhook_key"),
        ("UpdateCompanyRequest", "webhook_key"),
        ("WebhookSubscriptionRequest", "webhook_key"),
        ("WebhookKeyRequest", "key"),
    ] {
        sensitive(schema, property);
    }
    for property in [
        "account_number",
        "clabe",
        "iban",
        "pix_key",
        "document_number",
        "bre_b_key",
    ] {
        sensitive("BankAccount", property);
    }
    // And what that means in Rust: Debug shows none of them.
    let company: cryptomate::types::Company =
        serde_json::from_value(example("Company")).expect("the example decodes");
    let request: cryptomate::types::WebhookKeyRequest =
        serde_json::from_value(example("WebhookKeyRequest")).expect("the example decodes");
    let printed = format!("{company:?} {request:?}");
    assert!(!printed.contains("wh_key"), "D-MG5: {printed}");
    for name in [
        "BankAccounts",
        "SepaBankAccount",
        "PixBankAccount",
        "SpeiBankAccount",
    ] {
        let accounts = match example(name) {
            Value::Array(items) => items,
            one => vec![one],
        };
        for account in accounts {
            let typed: cryptomate::types::BankAccount =
                serde_json::from_value(account.clone()).expect("the example decodes");
            let printed = format!("{typed:?}");
            for property in [
                "account_number",
                "clabe",
                "iban",
                "pix_key",
                "document_number",
            ] {
                if let Some(value) = account[property].as_str() {
                    assert!(!printed.contains(value), "D-MG12: {name}.{property}");
                }
            }
        }
    }
}

#[test]
fn a_created_company_has_no_webhook_key() {
    // D-MG6.
    let page = load("api-reference/management/company/create-company.mdx");
    let listed: BTreeSet<String> = page
        .fields("Response")
        .iter()
        .map(|f| f.name.clone())
        .collect();
    assert!(!listed.contains("webhook_key"), "D-MG6");
    assert_eq!(
        property_names(&response_schema(&page, "200")),
        listed,
        "D-MG6"
    );
}

#[test]
fn the_operation_catalog_is_made_of_operation_ids() {
    // D-MG7: every catalog value is an id a path can carry, and Get
    // operation's example names one of them.
    let list = load("api-reference/management/operations/list-operations.mdx");
    let ids: Vec<String> = list.tabs[0]
        .body
        .as_ref()
        .and_then(Value::as_array)
        .expect("an array")
        .iter()
        .map(|o| o["id"].as_str().expect("an id").to_string())
        .collect();
    for id in &ids {
        assert!(
            id.parse::<cryptomate::types::OperationId>().is_ok(),
            "D-MG7: {id}"
        );
    }
    let get = load("api-reference/management/operations/get-operation.mdx");
    let (_, value) = &get.path_values()[0];
    assert!(ids.contains(value), "D-MG7: {value}");
}

#[test]
fn blockchains_are_both_spellings() {
    // D-MG8.
    let known: BTreeSet<String> =
        spec_at("/components/schemas/ManagementBlockchain")["x-extensible-enum"]
            .as_array()
            .expect("known values")
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
    let list = load("api-reference/management/blockchains/list-blockchains.mdx");
    let prose = list
        .section("Response")
        .expect("a Response section")
        .prose
        .join(" ");
    let named: Vec<&str> = prose
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.len() > 2 && w.chars().all(|c| c.is_ascii_uppercase()))
        .collect();
    assert!(named.len() >= 9, "D-MG8: {prose}");
    let shown: Vec<String> = list.tabs[0]
        .body
        .as_ref()
        .and_then(Value::as_array)
        .expect("an array")
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    assert!(
        shown
            .iter()
            .all(|v| v.chars().all(|c| c.is_ascii_lowercase())),
        "D-MG8: the example is lower case: {shown:?}"
    );
    for value in named.iter().map(|s| s.to_string()).chain(shown) {
        assert!(known.contains(&value), "D-MG8: {value}");
    }
    let tokens = load("api-reference/management/blockchains/list-custom-tokens.mdx");
    let response = tokens.fields("Response");
    let blockchain = field(&response, "blockchain");
    for value in one_of(&blockchain.description) {
        assert!(known.contains(&value), "D-MG8: {value}");
    }
}

#[test]
fn one_bank_account_schema_holds_every_rail() {
    // D-MG9: the rail-specific fields the list page names, the fields the US
    // and FPS pages list and every example's keys are BankAccount's.
    let properties = property_names(&spec_at("/components/schemas/BankAccount"));
    let list = load(&format!("{BANK_ACCOUNTS}list-bank-accounts.mdx"));
    let prose = list
        .section("Response")
        .expect("a Response section")
        .prose
        .join(" ");
    let mut named = 0;
    for word in prose.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if word.contains('_') && word.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            assert!(properties.contains(word), "D-MG9: {word}");
            named += 1;
        }
    }
    assert!(named >= 12, "D-MG9: {prose}");
    for page in bank_account_pages()
        .into_iter()
        .filter(|p| p.path.contains("/banks"))
    {
        for f in page.fields("Response") {
            assert!(
                properties.contains(&f.name),
                "D-MG9: {} {}",
                page.file,
                f.name
            );
        }
        for tab in page.tabs.iter().filter(|t| t.status < 300) {
            let items = match tab.body.clone() {
                Some(Value::Array(items)) => items,
                Some(one) => vec![one],
                None => Vec::new(),
            };
            for item in items.iter().filter_map(Value::as_object) {
                for key in item.keys() {
                    assert!(properties.contains(key), "D-MG9: {} {key}", page.file);
                }
            }
        }
    }
}

#[test]
fn the_us_account_type_is_upper_case_sent_and_lower_case_returned() {
    // D-MG10.
    let page = load(&format!("{BANK_ACCOUNTS}create-us-bank-account.mdx"));
    let body = page.fields("Body");
    let sent = field(&body, "account_type");
    let listed = one_of(&sent.description);
    assert_eq!(listed, ["CHECKING", "SAVINGS"], "D-MG10");
    let shown = page.tabs[0].body.as_ref().expect("a body")["account_type"].clone();
    assert_eq!(shown, "checking", "D-MG10");
    let known = spec_at("/components/schemas/UsBankAccountType")["x-extensible-enum"].clone();
    for value in ["CHECKING", "SAVINGS", "checking", "savings"] {
        assert!(
            known
                .as_array()
                .expect("known values")
                .contains(&value.into()),
            "D-MG10: {value}"
        );
    }
}

#[test]
fn the_bank_address_is_spelled_two_ways() {
    // D-MG11: the prose says street_line_1, five curl examples send
    // streetLine1 and two street_line_1; the schema takes both.
    let (mut camel, mut snake) = (0, 0);
    for page in bank_account_pages()
        .into_iter()
        .filter(|p| p.method == "POST")
    {
        let body = page.fields("Body");
        let address = field(&body, "address");
        assert!(address.description.contains("street_line_1"), "D-MG11");
        let sent = &page.request.as_ref().expect("a body")["address"];
        if sent.get("streetLine1").is_some() {
            camel += 1;
        }
        if sent.get("street_line_1").is_some() {
            snake += 1;
        }
    }
    assert_eq!((camel, snake), (5, 2), "D-MG11");
    let properties = property_names(&spec_at("/components/schemas/BankAccountAddress"));
    assert!(properties.contains("streetLine1") && properties.contains("street_line_1"));
}

#[test]
fn the_management_pages_left_out_are_the_uncaptured_one() {
    // D-MG13: every page of the Management anchor has its operation in the
    // spec but the one no store holds.
    let navigation = vendor_pages::Navigation::parse(
        &std::fs::read_to_string(common::page::captures_dir().join("docs.json"))
            .expect("docs.json"),
    )
    .expect("the navigation");
    let captured: BTreeSet<String> = api_pages_files();
    let mut left_out = Vec::new();
    for page in navigation
        .pages
        .iter()
        .filter(|p| p.product().as_deref() == Some("management") && !p.is_guide())
    {
        if !captured.contains(&page.file()) {
            left_out.push(page.file());
        }
    }
    assert_eq!(
        left_out,
        ["api-reference/management/blockchains/list-tokens-by-blockchain.mdx"],
        "D-MG13"
    );
}

/// The captured pages whose operation the spec has.
fn api_pages_files() -> BTreeSet<String> {
    spec_pages().into_iter().map(|p| p.file).collect()
}

/// The known values of an open set of the spec.
fn known(schema: &str) -> BTreeSet<String> {
    spec_at(&format!("/components/schemas/{schema}/x-extensible-enum"))
        .as_array()
        .expect("known values")
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_bank_accounts_open_sets_hold_the_pages_values() {
    // D-MG14: every rail, currency, account sub-type and document type the
    // bank-account pages show is a known value of its open set.
    let sets = [
        ("type", "BankAccountRail"),
        ("currency", "BankAccountCurrency"),
        ("co_account_type", "CoAccountType"),
        ("document_type", "CoDocumentType"),
        ("account_type", "UsBankAccountType"),
    ];
    let mut seen = 0;
    for page in bank_account_pages() {
        let mut bodies: Vec<Value> = page.tabs.iter().filter_map(|t| t.body.clone()).collect();
        bodies.extend(page.request.clone());
        for body in bodies {
            let items = match body {
                Value::Array(items) => items,
                one => vec![one],
            };
            for item in items {
                for (field, schema) in sets {
                    if let Some(value) = item[field].as_str() {
                        assert!(
                            known(schema).contains(value),
                            "D-MG14: {} {field} {value}",
                            page.file
                        );
                        seen += 1;
                    }
                }
                if let Some(value) = item["value"].as_str() {
                    assert!(known("CoAccountType").contains(value), "D-MG14: {value}");
                }
            }
        }
    }
    assert!(seen >= 20, "D-MG14: only {seen} values seen");
    // The rails the list page names are the set's.
    let list = load(&format!("{BANK_ACCOUNTS}list-bank-accounts.mdx"));
    let prose = list
        .section("Response")
        .expect("a Response section")
        .prose
        .join(" ");
    for rail in known("BankAccountRail") {
        assert!(prose.contains(&format!("{rail} →")), "D-MG14: {rail}");
    }
    let co = load(&format!(
        "{BANK_ACCOUNTS}create-co-bank-transfer-bank-account.mdx"
    ));
    let body = co.fields("Body");
    let document_type = field(&body, "document_type");
    for value in known("CoDocumentType") {
        assert!(
            document_type.description.contains(&value),
            "D-MG14: {value}"
        );
    }
}
