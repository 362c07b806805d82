//! The premises of `openapi/DECISIONS.md`, checked against the captured pages.
//! When one fails, a page has changed under a decision: revisit the entry (and
//! the spec) rather than the test.

mod common;

/// The Individual Clients pages, by their paths in the vendor's repository.
const CREATE_CLIENT: &str = "api-reference/management/individual-clients/create-client.mdx";
const GET_CLIENT: &str = "api-reference/management/individual-clients/get-client.mdx";
const LIST_CLIENTS: &str = "api-reference/management/individual-clients/list-clients.mdx";
const UPDATE_CLIENT: &str = "api-reference/management/individual-clients/update-client.mdx";
const DELETE_CLIENT: &str = "api-reference/management/individual-clients/delete-client.mdx";
const COUNTRIES: &str = "api-reference/management/individual-clients/get-countries.mdx";
const IDENTIFICATIONS: &str =
    "api-reference/management/individual-clients/get-identifications-by-country.mdx";
const LIST_PRODUCTS: &str = "api-reference/management/individual-clients/list-products.mdx";
const REQUEST_PRODUCT: &str =
    "api-reference/management/individual-clients/request-product-enablement.mdx";
const SUBMIT: &str = "api-reference/management/individual-clients/submit-product.mdx";
/// The onboarding guide.
const GUIDE: &str = "clients/create-client-and-request-product.mdx";

use std::collections::BTreeSet;

use common::page::{Field, Page, load, spec_pages};
use common::{page_fields, spec, spec_at};
use cryptomate::{
    ClientStatus, ClientType, IndividualClientStatus, ProductRequestStatus, Subproduct,
};
use serde_json::Value;

/// The onboarding guide, as the grammar reads it.
fn guide() -> vendor_pages::Page {
    let text = std::fs::read_to_string(common::page::captures_dir().join(GUIDE))
        .expect("the guide is captured");
    vendor_pages::mdx::parse(&text)
}

/// The spec's operation a page documents.
fn operation(page: &Page) -> Value {
    spec()["paths"][&page.path][page.method.to_lowercase()].clone()
}

/// A schema with its `$ref` (or the spec's `allOf: [$ref]` wrapper) resolved.
fn resolve(schema: &Value) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        return resolve(&spec_at(reference.trim_start_matches('#')));
    }
    match schema["allOf"].as_array() {
        Some(parts) if parts.len() == 1 => resolve(&parts[0]),
        _ => schema.clone(),
    }
}

fn request_schema(page: &Page) -> Value {
    resolve(&operation(page)["requestBody"]["content"]["application/json"]["schema"])
}

fn response(page: &Page, status: &str) -> Value {
    resolve(&operation(page)["responses"][status])
}

fn response_schema(page: &Page, status: &str) -> Value {
    resolve(&response(page, status)["content"]["application/json"]["schema"])
}

fn required_of(schema: &Value) -> BTreeSet<String> {
    schema["required"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn marked(fields: &[Field]) -> BTreeSet<String> {
    fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name.clone())
        .collect()
}

/// D1 at every depth: the page's marks of `fields` equal `schema`'s list.
fn assert_required(what: &str, fields: &[Field], schema: &Value) {
    assert_eq!(marked(fields), required_of(schema), "D1: {what}");
    for field in fields.iter().filter(|f| !f.children.is_empty()) {
        let mut child = resolve(&schema["properties"][&field.name]);
        // An array's fields are its items'.
        if child["type"] == "array" {
            child = resolve(&child["items"]);
        }
        assert_required(&format!("{what}.{}", field.name), &field.children, &child);
    }
}

#[test]
fn required_is_what_the_pages_mark() {
    let mut checked = 0;
    for page in spec_pages() {
        let body = page.fields("Body");
        if !body.is_empty() {
            assert_required(&page.file, &body, &request_schema(&page));
            checked += 1;
        }
        for param in page.fields("Path parameters") {
            let spec = operation(&page)["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .find(|p| p["name"] == param.name.as_str())
                .cloned()
                .unwrap_or_else(|| panic!("{}: parameter {}", page.file, param.name));
            assert_eq!(
                spec["required"].as_bool(),
                Some(param.required),
                "D1: {}",
                page.file
            );
        }
    }
    assert_eq!(
        checked, 12,
        "create, update, request product, documentation, deprecated create; cards: \
         replace velocity rules, withdraw fees, withdraw from holding, four simulations"
    );
    // The deprecated page marks nothing, in both its versions.
    assert!(marked(&load(common::CREATE_CLIENT).fields("Body")).is_empty());
    assert!(
        spec_at("/components/schemas/CreateClientRequest")
            .get("required")
            .is_none()
    );
}

#[test]
fn no_response_field_is_marked_required() {
    // D2: the spec's required `id`s are its own decision, not a page's.
    for page in spec_pages() {
        fn walk(file: &str, fields: &[Field]) {
            for field in fields {
                assert!(
                    !field.required,
                    "D2: {file}: {} is now marked required",
                    field.name
                );
                walk(file, &field.children);
            }
        }
        walk(&page.file, &page.fields("Response"));
    }
    for schema in ["Client", "IndividualClient", "ProductRequest"] {
        let required = required_of(&spec_at(&format!("/components/schemas/{schema}")));
        assert_eq!(required, BTreeSet::from(["id".to_string()]), "{schema}");
    }
}

#[test]
fn the_pages_show_timestamps_without_offset() {
    // D3: the vendor's examples have no offset; if they gain one, D3's
    // reason changes (the client keeps accepting both).
    fn walk(file: &str, value: &Value, seen: &mut usize) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    if key.ends_with("_at") {
                        let text = v.as_str().expect("a timestamp string");
                        assert_eq!(text.len(), "2026-04-15T10:30:00".len(), "D3: {file} {key}");
                        assert!(
                            !text.ends_with('Z') && !text[10..].contains(['+', '-']),
                            "D3: {file} {key} = {text}"
                        );
                        *seen += 1;
                    }
                    walk(file, v, seen);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(file, v, seen)),
            _ => {}
        }
    }
    let mut seen = 0;
    for page in spec_pages() {
        for tab in &page.tabs {
            if let Some(body) = &tab.body {
                walk(&page.file, body, &mut seen);
            }
        }
    }
    // Nine pages show two timestamps in their success tabs.
    assert!(seen >= 18, "only {seen} timestamps");
}

/// The values a description lists: after "Possible values:" or inside
/// "(e.g., ...)".
fn listed_values(description: &str) -> Vec<String> {
    let list = if let Some((_, rest)) = description.split_once("Possible values:") {
        rest.split('.').next().unwrap_or_default()
    } else if let Some((_, rest)) = description.split_once("(e.g., ") {
        rest.split(')').next().unwrap_or_default()
    } else {
        panic!("no list of values in {description:?}")
    };
    list.split(',').map(|v| v.trim().to_string()).collect()
}

fn field<'a>(fields: &'a [Field], name: &str) -> &'a Field {
    fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("a field {name}"))
}

#[test]
fn the_known_values_are_the_pages() {
    // D4: the pages' lists are the open enums' known values and the spec's
    // x-extensible-enum.
    let client = field(&load(GET_CLIENT).fields("Response"), "status")
        .description
        .clone();
    let products = load(LIST_PRODUCTS).fields("Response");
    let subproduct = field(&load(REQUEST_PRODUCT).fields("Body"), "subproduct")
        .description
        .clone();
    for (values, known, schema) in [
        (
            listed_values(&client),
            IndividualClientStatus::KNOWN,
            "IndividualClientStatus",
        ),
        (
            listed_values(&field(&products, "status").description),
            ProductRequestStatus::KNOWN,
            "ProductRequestStatus",
        ),
        (
            listed_values(&field(&products, "product").description),
            Subproduct::KNOWN,
            "Subproduct",
        ),
        (listed_values(&subproduct), Subproduct::KNOWN, "Subproduct"),
    ] {
        assert_eq!(values, known, "D4: {schema}");
        let spec = spec_at(&format!("/components/schemas/{schema}"));
        assert_eq!(
            spec["x-extensible-enum"],
            serde_json::json!(known),
            "D4: {schema}"
        );
        assert!(spec.get("enum").is_none(), "D4: {schema} stays open");
    }
    // The guide's table of states lists the same values.
    let states: Vec<String> = guide()
        .tables
        .iter()
        .find(|t| t.header.first().is_some_and(|h| h == "Status"))
        .expect("the guide's table of states")
        .rows
        .iter()
        .filter_map(|row| row.value.first().map(|cell| vendor_pages::mdx::plain(cell)))
        .collect();
    assert_eq!(states, ProductRequestStatus::KNOWN, "D4: the guide's table");
    // The type is "Always individual"; the deprecated page's status is upper case.
    assert!(
        field(&load(GET_CLIENT).fields("Response"), "type")
            .description
            .contains("Always individual")
    );
    assert_eq!(ClientType::KNOWN, ["individual", "business"]);
    assert_eq!(common::documented_response()["status"], "PENDING");
    assert_eq!(ClientStatus::KNOWN, ["PENDING"]);
    for (schema, known) in [
        ("ClientType", ClientType::KNOWN),
        ("ClientStatus", ClientStatus::KNOWN),
    ] {
        assert_eq!(
            spec_at(&format!("/components/schemas/{schema}"))["x-extensible-enum"],
            serde_json::json!(known),
            "{schema}"
        );
    }
}

#[test]
fn success_statuses_are_the_pages() {
    // D5: creating operations declare 200 and 201; the others their page's.
    for page in spec_pages() {
        let responses = operation(&page)["responses"].clone();
        let declared: BTreeSet<&str> = responses
            .as_object()
            .expect("responses")
            .keys()
            .map(String::as_str)
            .filter(|s| s.starts_with('2'))
            .collect();
        // Every example's status, a binary body's (a PDF) included.
        let shown: BTreeSet<String> = page
            .mdx
            .response_examples
            .iter()
            .filter_map(|t| t.status)
            .filter(|s| (200..300).contains(s))
            .map(|s| s.to_string())
            .collect();
        // A page without a success example may say its status in prose
        // ("Returns HTTP 201 with an empty body on success.", D-C52).
        let said = page
            .section("Response")
            .and_then(|s| s.prose.first().cloned())
            .and_then(|p| p.strip_prefix("Returns HTTP ").map(|r| r[..3].to_string()));
        let creates = shown.contains("201") || page.path == "/management/clients";
        let expected: BTreeSet<&str> = if creates {
            BTreeSet::from(["200", "201"])
        } else if shown.is_empty()
            && let Some(said) = &said
        {
            BTreeSet::from([said.as_str()])
        } else if shown.is_empty() {
            BTreeSet::from(["204"])
        } else {
            shown.iter().map(String::as_str).collect()
        };
        assert_eq!(declared, expected, "D5: {}", page.file);
    }
}

#[test]
fn every_tab_status_is_declared() {
    // D6: the errors page's statuses on every operation, plus the tabs'.
    for page in spec_pages() {
        let responses = operation(&page)["responses"].clone();
        for status in ["400", "401", "404", "412", "429", "500"] {
            assert!(
                responses.get(status).is_some(),
                "D6: {} lacks {status}",
                page.file
            );
        }
        for tab in &page.tabs {
            assert!(
                responses.get(tab.status.to_string()).is_some(),
                "D6: {}: {}",
                page.file,
                tab.label
            );
        }
        for (status, answer) in responses.as_object().expect("responses") {
            if status.as_str() >= "400" {
                let schema = &resolve(answer)["content"]["application/json"]["schema"]["$ref"];
                assert_eq!(
                    schema, "#/components/schemas/ApiError",
                    "D6: {} {status}",
                    page.file
                );
            }
        }
    }
}

/// The words of the prose that name properties of `schema`, in prose order.
fn named_properties(prose: &str, schema: &Value) -> BTreeSet<String> {
    let properties = schema["properties"].as_object().expect("properties");
    prose
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| properties.contains_key(*w))
        .map(str::to_string)
        .collect()
}

fn property_names(schema: &Value) -> BTreeSet<String> {
    schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect()
}

#[test]
fn the_nested_fields_are_the_pages() {
    // D8: fields the pages name only in prose are the schemas' properties.
    let client = load(GET_CLIENT).fields("Response");
    let address = resolve(&spec_at(
        "/components/schemas/IndividualClient/properties/address",
    ));
    assert_eq!(
        named_properties(&field(&client, "address").description, &address),
        property_names(&address),
        "D8: address"
    );
    let products = load(LIST_PRODUCTS).fields("Response");
    let missing = &field(&products, "missing_requirements").children;
    for (name, schema) in [
        ("documents", "DocumentRequirement"),
        ("data", "DataRequirement"),
    ] {
        let schema = spec_at(&format!("/components/schemas/{schema}"));
        assert_eq!(
            named_properties(&field(missing, name).description, &schema),
            property_names(&schema),
            "D8: {name}"
        );
    }
    let rejected = field(&load(SUBMIT).fields("Response"), "rejected_items")
        .description
        .clone();
    let schema = spec_at("/components/schemas/RejectedItem");
    assert_eq!(
        named_properties(&rejected, &schema),
        property_names(&schema),
        "D8: rejected_items"
    );
    let countries = load(COUNTRIES).fields("Response");
    let subdivisions = field(&field(&countries, "data").children, "subdivisions")
        .description
        .clone();
    let schema = spec_at("/components/schemas/Subdivision");
    assert_eq!(
        named_properties(&subdivisions, &schema),
        property_names(&schema),
        "D8: subdivisions"
    );
}

#[test]
fn prose_only_sections_say_what_the_spec_follows() {
    // D12: what a prose-only Response section says, and what the spec made of it.
    let item = |schema: &Value| schema["items"]["$ref"].as_str().map(str::to_string);
    for (file, status, prose, expected) in [
        (
            LIST_CLIENTS,
            "200",
            "Returns an array of individual client objects.",
            Some("array of IndividualClient"),
        ),
        (
            UPDATE_CLIENT,
            "200",
            "Returns the updated client object.",
            Some("IndividualClient"),
        ),
        (
            REQUEST_PRODUCT,
            "201",
            "Returns the created product enablement request.",
            Some("ProductRequest"),
        ),
        (
            IDENTIFICATIONS,
            "200",
            "Returns an array of identification type objects.",
            Some("array of IdentificationType"),
        ),
        (
            DELETE_CLIENT,
            "204",
            "Returns 204 No Content on success with an empty body.",
            None,
        ),
    ] {
        let page = load(file);
        let section = page.section("Response").expect("a Response section");
        assert!(
            section.prose.first().is_some_and(|p| p.starts_with(prose)),
            "D12: {file}: {:?}",
            section.prose
        );
        let schema = response_schema(&page, status);
        let made = match (
            schema["type"].as_str(),
            item(&operation(&page)["responses"][status]["content"]["application/json"]["schema"]),
        ) {
            (Some("array"), Some(items)) => Some(format!(
                "array of {}",
                items.rsplit('/').next().unwrap_or_default()
            )),
            (_, _) if schema.is_null() => None,
            _ => Some(
                schema["title"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        operation(&page)["responses"][status]["content"]["application/json"]
                                    ["schema"]["$ref"]
                                    .as_str()
                                    .and_then(|r| r.rsplit('/').next())
                                    .unwrap_or_default()
                                    .to_string()
                    }),
            ),
        };
        assert_eq!(made.as_deref(), expected, "D12: {file}");
    }
    assert!(
        response(&load(DELETE_CLIENT), "204")
            .get("content")
            .is_none()
    );
}

#[test]
fn the_lookup_takes_alpha_2_and_addresses_alpha_3() {
    // D13.
    let lookup = load(IDENTIFICATIONS);
    assert_eq!(
        lookup.path_values(),
        [("countryCode".to_string(), "US".to_string())]
    );
    assert!(
        field(&lookup.fields("Path parameters"), "countryCode")
            .description
            .contains("US, MX, BR")
    );
    let create = load(CREATE_CLIENT);
    let country = field(
        &field(&create.fields("Body"), "address").children,
        "country",
    )
    .description
    .clone();
    assert!(country.contains("alpha-3"), "D13: {country}");
    assert_eq!(
        create.request.as_ref().expect("a body")["address"]["country"],
        "ARG"
    );
    assert_eq!(
        spec_at("/components/schemas/CountryCode")["pattern"],
        "^[A-Za-z]{2,3}$"
    );
}

#[test]
fn phone_fields_are_sent_not_returned() {
    // D14.
    for file in [CREATE_CLIENT, UPDATE_CLIENT] {
        let body = load(file).fields("Body");
        for phone in ["phone_country_code", "phone_number"] {
            field(&body, phone);
        }
    }
    for file in [CREATE_CLIENT, GET_CLIENT] {
        let page = load(file);
        assert!(
            page.fields("Response")
                .iter()
                .all(|f| !f.name.starts_with("phone")),
            "D14: {file} now returns a phone field"
        );
        for tab in page.tabs.iter().filter(|t| t.status < 300) {
            assert!(
                tab.body
                    .as_ref()
                    .and_then(|b| b.get("phone_number"))
                    .is_none(),
                "D14: {file} {}",
                tab.label
            );
        }
    }
    let returned = property_names(&spec_at("/components/schemas/IndividualClient"));
    assert!(!returned.contains("phone_number") && !returned.contains("phone_country_code"));
}

#[test]
fn update_is_a_full_replacement() {
    // D15.
    assert!(
        guide()
            .callouts
            .iter()
            .any(|c| c.text.starts_with("Update is a full replacement")),
        "D15: the guide no longer says so"
    );
    let create = load(CREATE_CLIENT);
    let update = load(UPDATE_CLIENT);
    assert_eq!(
        create.fields("Body"),
        update.fields("Body"),
        "D15: update accepts the same fields as creation"
    );
    assert_eq!(
        operation(&create)["requestBody"]["content"]["application/json"]["schema"],
        operation(&update)["requestBody"]["content"]["application/json"]["schema"],
    );
}

#[test]
fn the_deprecated_page_says_so() {
    // D17.
    let page = load(common::CREATE_CLIENT);
    assert!(
        page.text
            .iter()
            .any(|l| l.starts_with("Deprecated. ") && l.contains("Use Create individual client")),
        "D17: {:?}",
        page.text
    );
    let op = operation(&page);
    assert_eq!(op["deprecated"], true);
    assert_eq!(op["x-replaced-by"], "create_individual_client");
}

#[test]
fn the_deprecated_pages_nested_fields_are_its_prose() {
    // D8: the old page's prose lists of `address` and `documents` name the
    // spec's fields.
    let body = page_fields("Body");
    for (field, schema) in [("address", "Address"), ("documents", "Document")] {
        // The first paragraph lists the fields; a second one (newer page
        // versions) notes a code format and names some of them again.
        let description = body
            .iter()
            .find(|f| f.name == field)
            .expect("listed")
            .description
            .lines()
            .next()
            .expect("a description")
            .to_string();
        let spec = spec_at(&format!("/components/schemas/{schema}"));
        let properties = spec["properties"].as_object().expect("properties");
        let listed: Vec<&str> = description
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| properties.contains_key(*w))
            .collect();
        assert_eq!(listed.len(), properties.len(), "D8: {field}: {description}");
        for (name, property) in properties {
            assert!(
                description.contains(name.as_str()),
                "D8: {name} is not on the page"
            );
            let resolved = property.get("type").or_else(|| {
                property["allOf"][0]["$ref"]
                    .as_str()
                    .map(|_| &property["allOf"])
            });
            assert!(resolved.is_some(), "D8: {schema}.{name} has a type");
        }
    }
}

/// The spec's JSON type and format of a property, following one `allOf`/`$ref`.
fn spec_type(property: &serde_json::Value) -> (String, Option<String>) {
    let schema = match property["allOf"][0]["$ref"].as_str() {
        Some(reference) => spec_at(&format!(
            "/components/schemas/{}",
            reference.rsplit('/').next().expect("a name")
        )),
        None => property.clone(),
    };
    (
        schema["type"].as_str().expect("a type").to_string(),
        schema["format"].as_str().map(str::to_string),
    )
}

#[test]
fn every_field_of_the_deprecated_page_is_in_the_spec_with_its_type() {
    for (section, schema) in [("Body", "CreateClientRequest"), ("Response", "Client")] {
        let spec = spec_at(&format!("/components/schemas/{schema}"));
        let properties = spec["properties"].as_object().expect("properties");
        let fields = page_fields(section);
        assert_eq!(
            fields.len(),
            properties.len(),
            "{schema}: the page lists every spec field"
        );
        for field in fields {
            let property = properties
                .get(&field.name)
                .unwrap_or_else(|| panic!("{schema} lacks the page's {}", field.name));
            let (ty, format) = spec_type(property);
            let expected: (&str, &[Option<&str>]) = match field.ty.as_str() {
                "integer" => ("integer", &[Some("int32")]),
                "long" => ("integer", &[Some("int64")]),
                "boolean" => ("boolean", &[None]),
                "object" => ("object", &[None]),
                "array" => ("array", &[None]),
                // A documented yyyy-mm-dd string is a date (D10).
                "string" if field.description.contains("yyyy-mm-dd") => ("string", &[Some("date")]),
                "string" => ("string", &[None]),
                other => panic!("unknown page type {other}"),
            };
            assert_eq!(ty, expected.0, "{schema}.{}", field.name);
            assert!(
                expected.1.contains(&format.as_deref()),
                "{schema}.{}: format {format:?}",
                field.name
            );
            assert!(
                property["description"].is_string(),
                "{schema}.{} has a description",
                field.name
            );
        }
    }
}

#[test]
fn subdivision_codes_differ_between_lookup_and_addresses() {
    // D19: the lookup's example code has no country prefix, the addresses' have.
    let lookup = load(COUNTRIES);
    let code =
        lookup.tabs[0].body.clone().unwrap_or_default()["data"][0]["subdivisions"][0]["code"]
            .clone();
    assert_eq!(code, "CA", "D19: the lookup's code changed form");
    let create = load(CREATE_CLIENT);
    let state = create.request.as_ref().expect("a body")["address"]["state"].clone();
    assert_eq!(state, "ARG-B", "D19: the address's state changed form");
    let deprecated = load(common::CREATE_CLIENT);
    assert_eq!(
        deprecated.request.as_ref().expect("a body")["address"]["state"],
        "USA-CA"
    );
    for schema in ["IndividualAddress", "Subdivision"] {
        let spec = spec_at(&format!("/components/schemas/{schema}"));
        let property = if schema == "Subdivision" {
            "code"
        } else {
            "state"
        };
        assert_eq!(spec["properties"][property]["type"], "string");
        assert!(
            spec["properties"][property].get("pattern").is_none(),
            "D19: {schema}"
        );
    }
}

#[test]
fn the_hand_written_ids_check_what_the_spec_says() {
    // D16: `src/ids.rs` replaces the spec's ClientId, ProductRequestId and
    // CountryCode; their JSON Schemas must carry the spec's own limits, so
    // that the two places cannot drift apart.
    for (name, schema) in [
        (
            "ClientId",
            cryptomate::schemars::schema_for!(cryptomate::ClientId),
        ),
        (
            "ProductRequestId",
            cryptomate::schemars::schema_for!(cryptomate::ProductRequestId),
        ),
        (
            "CountryCode",
            cryptomate::schemars::schema_for!(cryptomate::CountryCode),
        ),
    ] {
        let rust = serde_json::to_value(&schema).expect("a schema");
        let spec = spec_at(&format!("/components/schemas/{name}"));
        for keyword in ["type", "pattern", "minLength"] {
            assert_eq!(
                rust.get(keyword),
                spec.get(keyword),
                "D16: {name}.{keyword}"
            );
        }
    }
}

// ── cards: transactions, holding, account, webhooks (D-C50 …) ──

const CARD_TRANSACTIONS: &str = "api-reference/cards/transactions/";
const SEARCH_CARD_TRANSACTIONS: &str = "api-reference/cards/transactions/search-transactions.mdx";
const GET_CARD_TRANSACTION: &str = "api-reference/cards/transactions/get-transaction.mdx";
const HOLDING_WITHDRAW: &str = "api-reference/cards/holding/withdraw.mdx";
const REPLACE_VELOCITY_RULES: &str = "api-reference/cards/account/replace-velocity-rules.mdx";
const SIMULATE: &str = "api-reference/cards/webhooks/simulate/";

/// Whether `s` is a UUID in its hyphenated form.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[test]
fn card_transaction_ids_are_uuids_never_the_literal_words() {
    // D-C50: every transaction id the pages name is a UUID, so none is one of
    // the literal segments beside `{transactionId}`.
    let mut seen = 0;
    for page in api_pages_under(CARD_TRANSACTIONS) {
        for (name, value) in page.path_values() {
            if name == "transactionId" {
                assert!(is_uuid(&value), "D-C50: {}: {value}", page.file);
                seen += 1;
            }
        }
        for tab in page.tabs.iter().filter(|t| t.status == 200) {
            let body = tab.body.clone().unwrap_or_default();
            let movements = body["movements"].as_array().cloned().unwrap_or_default();
            for movement in movements.iter().chain([&body]) {
                if let Some(id) = movement["id"].as_str() {
                    assert!(is_uuid(id), "D-C50: {}: {id}", page.file);
                    seen += 1;
                }
            }
        }
    }
    assert!(
        seen >= 6,
        "D-C50: the ids of the transaction pages ({seen})"
    );
    let paths = spec()["paths"].clone();
    for literal in ["search", "pdf", "accumulated-spending"] {
        assert!(!is_uuid(literal));
        assert!(
            paths[format!("/cards/transactions/{{cardId}}/{literal}")].is_object(),
            "D-C50: {literal}"
        );
    }
}

/// The captured API pages under `dir` (a folder of the vendor's repository).
fn api_pages_under(dir: &str) -> Vec<Page> {
    common::page::api_pages()
        .into_iter()
        .filter(|p| p.file.starts_with(dir))
        .collect()
}

#[test]
fn the_cards_examples_show_null_where_the_spec_allows_it() {
    // D-C51: each nullable property is one the pages' examples show as null
    // (the alias, "Optional", is the one decided without an example).
    let body = |file: &str| {
        load(file)
            .tabs
            .iter()
            .find(|t| t.status == 200)
            .and_then(|t| t.body.clone())
            .unwrap_or_else(|| panic!("{file}: a 200 example"))
    };
    let search = body(SEARCH_CARD_TRANSACTIONS);
    let search_v2 = body("api-reference/cards/transactions/search-transactions-v2.mdx");
    let fees = body("api-reference/cards/account/withdraw-fees-wallet.mdx");
    let holding = body(HOLDING_WITHDRAW);
    for (shown, schema, property) in [
        (&search["next_page"], "CardTransactionPage", "next_page"),
        (
            &search["movements"][0]["decline_reason"],
            "CardTransaction",
            "decline_reason",
        ),
        (
            &search_v2["movements"][1]["merchant_name"],
            "CardTransaction",
            "merchant_name",
        ),
        (
            &search_v2["movements"][1]["merchant_name"],
            "CardOperationSummary",
            "merchant_name",
        ),
        (
            &fees["simple_error_message"],
            "FeesWalletWithdrawal",
            "simple_error_message",
        ),
        (
            &fees["detailed_error_message"],
            "FeesWalletWithdrawal",
            "detailed_error_message",
        ),
        (
            &holding["simple_error_message"],
            "CardsHoldingWithdrawal",
            "simple_error_message",
        ),
        (
            &holding["detailed_error_message"],
            "CardsHoldingWithdrawal",
            "detailed_error_message",
        ),
    ] {
        assert!(shown.is_null(), "D-C51: the pages' {schema}.{property}");
        assert_eq!(
            spec_at(&format!(
                "/components/schemas/{schema}/properties/{property}/nullable"
            )),
            true,
            "D-C51: {schema}.{property}"
        );
    }
    let alias = field(
        &field(
            &load("api-reference/cards/account/get-fees-wallet-whitelisted-addresses.mdx")
                .fields("Response"),
            "[]",
        )
        .children,
        "alias",
    )
    .description
    .clone();
    assert!(alias.starts_with("Optional"), "D-C51: {alias}");
}

#[test]
fn the_webhook_simulations_are_what_their_pages_say() {
    // D-C52: authorize and clearing require nothing, refund and reversal both
    // fields; each answers 201 without a body.
    for (name, required, schema) in [
        ("authorize", &[][..], "SimulateCardWebhookRequest"),
        ("clearing", &[][..], "SimulateCardWebhookRequest"),
        (
            "refund",
            &["bill_amount", "card_id"][..],
            "SimulateCardReturnRequest",
        ),
        (
            "reversal",
            &["bill_amount", "card_id"][..],
            "SimulateCardReturnRequest",
        ),
    ] {
        let page = load(&format!("{SIMULATE}simulate-{name}.mdx"));
        let expected: BTreeSet<String> = required.iter().map(|s| s.to_string()).collect();
        assert_eq!(marked(&page.fields("Body")), expected, "D-C52: {name}");
        assert_eq!(
            operation(&page)["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            format!("#/components/schemas/{schema}"),
            "D-C52: {name}"
        );
        let prose = page.section("Response").expect("a Response section").prose;
        assert_eq!(
            prose,
            ["Returns HTTP 201 with an empty body on success."],
            "D-C52: {name}"
        );
        assert!(page.tabs.iter().all(|t| t.status >= 400), "D-C52: {name}");
        let responses = operation(&page)["responses"].clone();
        assert!(responses["201"].is_object() && responses["201"].get("content").is_none());
        assert!(responses.get("200").is_none(), "D-C52: {name}");
        assert_eq!(
            page.request.as_ref().expect("a body")["card_id"],
            "aBcD1efGh2iJkL3mnOpQ4rStUvWxYz56",
            "D-C52: {name}"
        );
    }
}

#[test]
fn the_holding_withdrawal_is_a_planned_contract() {
    // D-C53: the page says the endpoint is not implemented yet.
    let page = load(HOLDING_WITHDRAW);
    assert!(
        page.text
            .iter()
            .any(|t| t
                .contains("This endpoint is currently not implemented and will return HTTP 500.")),
        "D-C53: {:?}",
        page.text
    );
    assert!(
        operation(&page)["description"]
            .as_str()
            .is_some_and(|d| d.contains("not implemented yet and answers HTTP 500"))
    );
}

#[test]
fn the_velocity_rule_limits_are_the_pages() {
    // D-C54: up to 5 rules, each value at least 1, windows unique.
    let page = load(REPLACE_VELOCITY_RULES);
    let rules = field(&page.fields("Body"), "rules").clone();
    assert!(rules.description.contains("Up to 5 rules."), "D-C54");
    assert!(
        rules.description.contains("unique `time_window_seconds`")
            || rules.description.contains("unique time_window_seconds"),
        "D-C54: {}",
        rules.description
    );
    for child in &rules.children {
        assert!(
            child.description.contains("Must be ≥ 1."),
            "D-C54: {}",
            child.name
        );
        assert_eq!(
            spec_at(&format!(
                "/components/schemas/VelocityRuleRequest/properties/{}/minimum",
                child.name
            )),
            1,
            "D-C54: {}",
            child.name
        );
    }
    assert_eq!(
        spec_at("/components/schemas/VelocityRulesRequest/properties/rules/maxItems"),
        5
    );
    let codes: BTreeSet<String> = page
        .tabs
        .iter()
        .filter(|t| t.status == 400)
        .filter_map(|t| t.body.as_ref()?["code"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        codes,
        BTreeSet::from([
            "VELOCITY_RULES_DUPLICATE_WINDOW".to_string(),
            "VELOCITY_RULES_LIMIT_EXCEEDED".to_string()
        ]),
        "D-C54"
    );
}

#[test]
fn the_v1_transaction_pages_are_current_and_their_sort_is_deprecated() {
    // D-C55: no Deprecated banner on the v1 pages; their sort parameters are.
    for file in [SEARCH_CARD_TRANSACTIONS, GET_CARD_TRANSACTION] {
        let page = load(file);
        assert!(page.mdx.deprecation().is_none(), "D-C55: {file}");
        assert!(
            operation(&page).get("deprecated").is_none(),
            "D-C55: {file}"
        );
    }
    let page = load(SEARCH_CARD_TRANSACTIONS);
    let parameters = operation(&page)["parameters"].clone();
    let parameter = |name: &str| {
        parameters
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("a parameter {name}"))
    };
    for param in page.mdx.params(vendor_pages::mdx::ParamIn::Query) {
        let spec = parameter(&param.name);
        assert_eq!(
            spec["deprecated"] == true,
            param.deprecated,
            "D-C55: {}",
            param.name
        );
        assert!(
            param.default.is_none(),
            "D-C55: {} has a default now",
            param.name
        );
    }
    assert_eq!(parameter("size")["schema"]["maximum"], 100);
    assert_eq!(parameter("page_number")["schema"]["minimum"], 1);
    assert_eq!(parameter("from_date")["schema"]["format"], "date");
}

#[test]
fn the_v2_pages_select_their_version_with_the_header() {
    // D-C56: the v2 pages share the v1 pages' `api:` line and select v2 with
    // a required `X-API-Version: 2`, which the spec's `#v2` operations declare.
    for (v1, v2) in [
        (SEARCH_CARD_TRANSACTIONS, "search-transactions-v2.mdx"),
        (GET_CARD_TRANSACTION, "get-transaction-v2.mdx"),
    ] {
        let v1 = load(v1);
        let v2 = load(&format!("{CARD_TRANSACTIONS}{v2}"));
        assert_eq!((&v1.method, &v1.path), (&v2.method, &v2.path), "D-C56");
        assert!(
            v2.headers
                .iter()
                .any(|(name, value)| name == "X-API-Version" && value == "2"),
            "D-C56: {}",
            v2.file
        );
        assert!(!v1.headers.iter().any(|(name, _)| name == "X-API-Version"));
        let header = field(&v2.fields("Headers"), "X-API-Version").clone();
        assert!(
            header.required && header.description.starts_with("Must be 2."),
            "D-C56: {header:?}"
        );
        let spec = spec()["paths"][format!("{}#v2", v2.path)]["get"].clone();
        let declared = spec["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["in"] == "header")
            .cloned()
            .expect("a header parameter");
        assert_eq!(declared["name"], "X-API-Version");
        assert_eq!(declared["required"], true);
        assert_eq!(declared["schema"]["enum"], serde_json::json!(["2"]));
    }
}
