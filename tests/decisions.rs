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
use common::{field, page_fields, resolve, spec, spec_at};
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
            let mut schema = request_schema(&page);
            if page.file.ends_with("update-individual-card-limits.mdx") {
                // D-IC7: the three limits are required by decision, and the
                // page still marks none.
                assert!(marked(&body).is_empty(), "D-IC7: the page marks a limit");
                schema.as_object_mut().expect("a schema").remove("required");
            }
            assert_required(&page.file, &body, &schema);
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
    // Management's five (create, update, request product, documentation,
    // deprecated create) at least; every product's pages with a body add to it.
    assert!(
        checked >= 5,
        "only {checked} pages with a body were checked"
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
    for schema in [
        "Client",
        "IndividualClient",
        "ProductRequest",
        "VirtualCard",
    ] {
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
        // Every tab, a `text` one (a PDF's placeholder) included.
        let shown: BTreeSet<String> = page
            .mdx
            .response_examples
            .iter()
            .filter_map(|b| b.status)
            .filter(|s| (200..300).contains(s))
            .map(|s| s.to_string())
            .collect();
        // A page without a success tab may name its status in its Response
        // prose ("Returns an empty `201 Created` response on success.").
        let prose: BTreeSet<String> = page
            .section("Response")
            .map(|s| s.prose)
            .unwrap_or_default()
            .iter()
            .flat_map(|p| p.split(|c: char| !c.is_ascii_digit()).map(str::to_string))
            .filter(|w| w.len() == 3 && w.starts_with('2'))
            .collect();
        let title = page.mdx.title().unwrap_or_default();
        let creates = shown.contains("201")
            || page.path == "/management/clients"
            || (page.method == "POST" && title.starts_with("Create "));
        // D-MG4: the two company pages that show no success at all.
        let silent = page.path.starts_with("/management/companies/{companyId}")
            && !page.path.ends_with("/information");
        let expected: BTreeSet<&str> = if creates {
            BTreeSet::from(["200", "201"])
        } else if silent {
            assert!(shown.is_empty(), "D-MG4: {}", page.file);
            BTreeSet::from(["200", "204"])
        } else if shown.is_empty() && !prose.is_empty() {
            prose.iter().map(String::as_str).collect()
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
fn the_generated_ids_check_what_the_spec_says() {
    // D16: the generator writes every `<Thing>Id` of the spec as a checked
    // newtype, and the hand-written CountryCode replaces its schema; their
    // JSON Schemas must carry the spec's own limits, so that the two places
    // cannot drift apart.
    use cryptomate::schemars::schema_for;
    use cryptomate::types;
    for (name, schema) in [
        ("ClientId", schema_for!(types::ClientId)),
        ("ProductRequestId", schema_for!(types::ProductRequestId)),
        ("CountryCode", schema_for!(cryptomate::CountryCode)),
        ("CompanyId", schema_for!(types::CompanyId)),
        ("OperationId", schema_for!(types::OperationId)),
        ("BankAccountId", schema_for!(types::BankAccountId)),
        ("CardId", schema_for!(types::CardId)),
        ("CardTransactionId", schema_for!(types::CardTransactionId)),
        ("IndividualCardId", schema_for!(types::IndividualCardId)),
        ("TreasuryAccountId", schema_for!(types::TreasuryAccountId)),
        ("TreasuryWalletId", schema_for!(types::TreasuryWalletId)),
        ("VirtualWalletId", schema_for!(types::VirtualWalletId)),
        ("RampTransferId", schema_for!(types::RampTransferId)),
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

// ── Individual Cards (D-IC<n>) ──

/// The folder of the Individual Cards pages in the vendor's repository.
const INDIVIDUAL_CARDS: &str = "api-reference/cards/individual-cards/";

fn individual_card_page(name: &str) -> Page {
    load(&format!("{INDIVIDUAL_CARDS}{name}.mdx"))
}

/// The values a page's description lists, without their code marks.
fn page_values(description: &str) -> Vec<String> {
    listed_values(&description.replace('`', ""))
}

fn known_values(schema: &str) -> Vec<String> {
    let spec = spec_at(&format!("/components/schemas/{schema}"));
    assert!(spec.get("enum").is_none(), "D-IC8: {schema} stays open");
    spec["x-extensible-enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{schema} lists its known values"))
        .iter()
        .map(|v| v.as_str().expect("a string value").to_string())
        .collect()
}

#[test]
fn individual_cards_one_card_object_with_the_union_of_the_fields() {
    // D-IC1: four pages answer a card, each listing a slightly different set
    // of fields; the spec answers all four with one IndividualCard.
    let card = spec_at("/components/schemas/IndividualCard");
    let mut union = BTreeSet::new();
    let mut lists = Vec::new();
    for (name, status) in [
        ("create-individual-card", "201"),
        ("get-individual-card", "200"),
        ("update-individual-card-limits", "200"),
        ("search-individual-cards", "200"),
    ] {
        let page = individual_card_page(name);
        let mut fields = page.fields("Response");
        let mut schema =
            operation(&page)["responses"][status]["content"]["application/json"]["schema"].clone();
        if name == "search-individual-cards" {
            fields = field(&fields, "content").children.clone();
            schema = resolve(&schema)["properties"]["content"]["items"].clone();
        }
        assert_eq!(
            schema["$ref"], "#/components/schemas/IndividualCard",
            "D-IC1: {name}"
        );
        assert!(fields.iter().all(|f| !f.required), "D-IC1: {name}");
        let names: BTreeSet<String> = fields.iter().map(|f| f.name.clone()).collect();
        union.extend(names.iter().cloned());
        lists.push(names);
    }
    assert_eq!(
        union,
        property_names(&card),
        "D-IC1: the union of the pages"
    );
    // The differences the allow file names.
    assert!(lists[0].contains("forwarded_3ds_type") && !lists[3].contains("forwarded_3ds_type"));
    assert!(
        lists[0].contains("per_transaction_limit") && !lists[2].contains("per_transaction_limit")
    );
    // Update limits says a removed limit is null, and its example shows one.
    let limits = individual_card_page("update-individual-card-limits");
    for limit in ["daily_limit", "weekly_limit", "monthly_limit"] {
        assert!(
            field(&limits.fields("Response"), limit)
                .description
                .contains("null when there is no"),
            "D-IC1: {limit}"
        );
    }
    let shown = limits
        .tabs
        .iter()
        .find(|t| t.status == 200)
        .expect("a 200 tab");
    assert_eq!(
        shown.body.as_ref().map(|b| b["weekly_limit"].clone()),
        Some(Value::Null)
    );
    for limit in [
        "daily_limit",
        "weekly_limit",
        "monthly_limit",
        "per_transaction_limit",
    ] {
        assert_eq!(
            card["properties"][limit]["nullable"], true,
            "D-IC1: {limit}"
        );
    }
    assert_eq!(
        required_of(&card),
        BTreeSet::from(["id".to_string()]),
        "D-IC1 (D2)"
    );
}

#[test]
fn individual_cards_the_curl_examples_write_two_prefixes() {
    // D-IC2: the same card is `icard_…` in the answers and `icard_…` or
    // `card_…` in the cURL examples; every cardId is one IndividualCardId.
    let mut prefixes = BTreeSet::new();
    let mut uuids = BTreeSet::new();
    let mut pages = 0;
    for page in spec_pages() {
        if !page.file.starts_with(INDIVIDUAL_CARDS) {
            continue;
        }
        for (name, value) in page.path_values() {
            assert_eq!(name, "cardId", "{}", page.file);
            let (prefix, uuid) = value.split_once('_').expect("a prefixed id");
            prefixes.insert(prefix.to_string());
            uuids.insert(uuid.to_string());
            let parameter = operation(&page)["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .find(|p| p["name"] == "cardId")
                .cloned()
                .expect("the cardId parameter");
            assert_eq!(
                parameter["schema"]["$ref"], "#/components/schemas/IndividualCardId",
                "D-IC2: {}",
                page.file
            );
            assert_eq!(parameter["example"], value.as_str(), "D-M5: {}", page.file);
            pages += 1;
        }
    }
    assert_eq!(pages, 11, "the pages with a card in their path");
    assert_eq!(
        prefixes,
        BTreeSet::from(["card".to_string(), "icard".to_string()]),
        "D-IC2: the cURL examples' prefixes"
    );
    assert_eq!(uuids.len(), 1, "D-IC2: one card");
    let get = individual_card_page("get-individual-card");
    let answered = get.tabs[0].body.as_ref().expect("a body")["id"].clone();
    assert!(answered.as_str().is_some_and(|id| id.starts_with("icard_")));
    // The checked id takes both.
    for id in [
        "icard_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23",
        "card_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23",
    ] {
        assert!(cryptomate::types::IndividualCardId::new(id).is_ok());
    }
}

#[test]
fn individual_cards_pin_and_freeze_show_an_empty_object() {
    // D-IC3: the prose says an empty body, the tab shows `{}`.
    for name in ["set-individual-card-pin", "set-individual-card-frozen"] {
        let page = individual_card_page(name);
        let section = page.section("Response").expect("a Response section");
        assert!(
            section
                .prose
                .first()
                .is_some_and(|p| p.contains("200 with an empty body")),
            "D-IC3: {name}: {:?}",
            section.prose
        );
        let tab = page
            .tabs
            .iter()
            .find(|t| t.status == 200)
            .expect("a 200 tab");
        assert_eq!(tab.body, Some(serde_json::json!({})), "D-IC3: {name}");
        let schema = response_schema(&page, "200");
        assert_eq!(schema["type"], "object", "D-IC3: {name}");
        assert!(schema.get("properties").is_none(), "D-IC3: {name}");
    }
}

#[test]
fn individual_cards_balances_are_bare_numbers_but_one() {
    // D-IC4.
    for name in [
        "override-individual-card-virtual-balance",
        "add-individual-card-virtual-balance",
        "subtract-individual-card-virtual-balance",
    ] {
        let page = individual_card_page(name);
        let section = page.section("Response").expect("a Response section");
        assert!(
            section
                .prose
                .first()
                .is_some_and(|p| p.ends_with("as a JSON number.")),
            "D-IC4: {name}: {:?}",
            section.prose
        );
        let tab = page
            .tabs
            .iter()
            .find(|t| t.status == 200)
            .expect("a 200 tab");
        assert!(
            tab.body.as_ref().is_some_and(Value::is_number),
            "D-IC4: {name}"
        );
        let schema = response_schema(&page, "200");
        assert_eq!(schema["type"], "number", "D-IC4: {name}");
        assert_eq!(schema["format"], "decimal", "D-IC4: {name}");
    }
    let page = individual_card_page("get-individual-card-balance");
    let tab = page
        .tabs
        .iter()
        .find(|t| t.status == 200)
        .expect("a 200 tab");
    assert!(
        tab.body
            .as_ref()
            .is_some_and(|b| b["available_credit"].is_number())
    );
    assert_eq!(
        operation(&page)["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/IndividualCardBalance"
    );
}

#[test]
fn individual_cards_prose_fields_are_the_pages() {
    // D-IC5: fields named in prose are the schemas' properties, typed as the
    // examples show them.
    let top_up = individual_card_page("get-individual-card-top-up-wallets");
    let fields = top_up.fields("Response");
    let token = spec_at("/components/schemas/IndividualCardTopUpToken");
    let ramp = spec_at("/components/schemas/IndividualCardTopUpRamp");
    for (name, schema) in [("tokens", &token), ("ramps", &ramp)] {
        assert_eq!(
            named_properties(&field(&fields, name).description, schema),
            property_names(schema),
            "D-IC5: {name}"
        );
        assert!(
            field(&fields, name).children.is_empty(),
            "D-IC5: {name} is prose only"
        );
    }
    let shown = top_up.tabs[0].body.as_ref().expect("a body").clone();
    assert!(
        shown[0]["tokens"][0]["decimals"].is_string(),
        "D-IC5: decimals"
    );
    assert_eq!(token["properties"]["decimals"]["type"], "string");
    let transactions = individual_card_page("search-individual-card-transactions");
    let movements = field(&transactions.fields("Response"), "movements")
        .description
        .clone();
    let transaction = spec_at("/components/schemas/IndividualCardTransaction");
    assert_eq!(
        named_properties(&movements, &transaction),
        property_names(&transaction),
        "D-IC5: movements"
    );
    let shown = transactions.tabs[0].body.as_ref().expect("a body")["movements"][0].clone();
    assert!(shown["decline_reason"].is_null());
    assert_eq!(
        transaction["properties"]["decline_reason"]["nullable"],
        true
    );
    for (name, value) in shown.as_object().expect("a movement") {
        if value.is_number() {
            assert_eq!(
                transaction["properties"][name]["format"], "decimal",
                "D-IC5: {name}"
            );
        }
    }
    let holding = individual_card_page("get-individual-cards-holding-wallet-balance");
    assert!(
        field(&holding.fields("Response"), "tokens")
            .description
            .starts_with("Map of supported token symbols")
    );
    let tokens =
        spec_at("/components/schemas/IndividualCardsHoldingWalletBalance/properties/tokens");
    assert_eq!(tokens["additionalProperties"]["type"], "string");
}

#[test]
fn individual_cards_constraints_are_the_pages() {
    // D-IC6: what the pages say of each constrained value, and what the spec
    // states of it.
    let create = individual_card_page("create-individual-card");
    assert!(
        field(&create.fields("Body"), "card_holder_name")
            .description
            .contains("Maximum 27 characters, letters and spaces only")
    );
    let holder =
        spec_at("/components/schemas/CreateIndividualCardRequest/properties/card_holder_name");
    assert_eq!(holder["maxLength"], 27);
    assert!(
        holder.get("pattern").is_none(),
        "D-IC6: letters are the server's"
    );
    let pin = individual_card_page("set-individual-card-pin");
    assert!(
        field(&pin.fields("Body"), "pin")
            .description
            .contains("Must be 4 to 12 digits")
    );
    let pin_schema = spec_at("/components/schemas/IndividualCardPinRequest/properties/pin");
    assert_eq!(
        pin_schema["allOf"][0]["$ref"], "#/components/schemas/SensitiveString",
        "D-IC6: the PIN is Sensitive, its digits the server's"
    );
    for name in [
        "add-individual-card-virtual-balance",
        "subtract-individual-card-virtual-balance",
    ] {
        let page = individual_card_page(name);
        assert!(
            field(&page.fields("Body"), "amount")
                .description
                .contains("Must be greater than 0, with up to 2 decimal places")
        );
    }
    let amount = spec_at("/components/schemas/IndividualCardBalanceChange/properties/amount");
    assert_eq!(
        (
            amount["minimum"].clone(),
            amount["exclusiveMinimum"].clone()
        ),
        (0.into(), true.into())
    );
    assert!(amount.get("multipleOf").is_none());
    let transactions = individual_card_page("search-individual-card-transactions");
    let query = transactions.fields("Query parameters");
    assert!(field(&query, "size").description.contains("Maximum 100"));
    assert!(
        field(&query, "page_number")
            .description
            .contains("starting at 1")
    );
    let parameter = |page: &Page, name: &str| {
        operation(page)["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .expect("the parameter")["schema"]
            .clone()
    };
    assert_eq!(parameter(&transactions, "size")["maximum"], 100);
    assert_eq!(parameter(&transactions, "page_number")["minimum"], 1);
    assert!(parameter(&transactions, "size").get("default").is_none());
    let search = individual_card_page("search-individual-cards");
    assert!(
        field(&search.fields("Query parameters"), "page")
            .description
            .contains("zero-based")
    );
    assert_eq!(parameter(&search, "page")["default"], 0);
    assert_eq!(parameter(&search, "size")["default"], 10);
}

#[test]
fn individual_cards_every_limit_is_sent() {
    // D-IC7.
    let page = individual_card_page("update-individual-card-limits");
    assert!(
        page.text
            .iter()
            .any(|p| p.contains("Any limit you omit from the body is treated as null")),
        "D-IC7: {:?}",
        page.text
    );
    assert!(
        page.text
            .iter()
            .any(|p| p.contains("always send the three fields")),
        "D-IC7"
    );
    let request = request_schema(&page);
    assert_eq!(
        required_of(&request),
        BTreeSet::from(["daily_limit", "weekly_limit", "monthly_limit"].map(String::from)),
        "D-IC7: every limit required"
    );
    for limit in ["daily_limit", "weekly_limit", "monthly_limit"] {
        assert_eq!(
            request["properties"][limit]["nullable"], true,
            "D-IC7: {limit}"
        );
    }
    // A limit left out is refused before sending; `None` is sent as null.
    use cryptomate::types::IndividualCardLimitsRequest;
    let missing: Result<IndividualCardLimitsRequest, _> = IndividualCardLimitsRequest::builder()
        .daily_limit(Some(cryptomate::Decimal::from(250)))
        .monthly_limit(Some(cryptomate::Decimal::from(3000)))
        .try_into();
    let error = missing.expect_err("a limit is missing").to_string();
    assert!(error.contains("weekly_limit"), "{error}");
    let body: IndividualCardLimitsRequest = IndividualCardLimitsRequest::builder()
        .daily_limit(Some(cryptomate::Decimal::from(250)))
        .weekly_limit(None)
        .monthly_limit(Some(cryptomate::Decimal::from(3000)))
        .try_into()
        .expect("a body");
    assert_eq!(
        serde_json::to_value(&body).expect("serializes"),
        serde_json::json!({"daily_limit": 250, "weekly_limit": null, "monthly_limit": 3000})
    );
}

#[test]
fn individual_cards_known_values_are_the_pages() {
    // D-IC8: each open set's known values are its page's list.
    let get = individual_card_page("get-individual-card").fields("Response");
    let create = individual_card_page("create-individual-card").fields("Body");
    let search = individual_card_page("search-individual-cards").fields("Query parameters");
    let transactions =
        individual_card_page("search-individual-card-transactions").fields("Query parameters");
    for (description, schema) in [
        (&field(&get, "status").description, "IndividualCardStatus"),
        (
            &field(&search, "status").description,
            "IndividualCardStatus",
        ),
        (&field(&search, "type").description, "IndividualCardType"),
        (
            &field(&search, "search_type").description,
            "IndividualCardSearchType",
        ),
        (
            &field(&create, "approval_method").description,
            "IndividualCardApprovalMethod",
        ),
        (
            &field(&get, "forwarded_3ds_type").description,
            "IndividualCardForwarded3dsType",
        ),
        (
            &field(&transactions, "operations").description,
            "IndividualCardTransactionOperation",
        ),
        (
            &field(&transactions, "sort_order").description,
            "IndividualCardsSortOrder",
        ),
    ] {
        assert_eq!(
            page_values(description),
            known_values(schema),
            "D-IC8: {schema}"
        );
    }
    // Blockchains are given by example only.
    let top_up = individual_card_page("get-individual-card-top-up-wallets");
    let shown = top_up.tabs[0].body.as_ref().expect("a body");
    let seen: BTreeSet<String> = [
        shown[0]["blockchain"].clone(),
        shown[0]["ramps"][0]["blockchain"].clone(),
    ]
    .iter()
    .map(|b| b.as_str().expect("a blockchain").to_string())
    .collect();
    assert_eq!(
        seen,
        known_values("IndividualCardsBlockchain")
            .into_iter()
            .collect(),
        "D-IC8: blockchains"
    );
    // The card types' code is described as a creation field the create page
    // does not have.
    assert!(
        create.iter().all(|f| f.name != "type"),
        "D-IC8: create takes no type"
    );
}

/// D21: two versions of one path. The premises: the v2 pages document the
/// same method and path as their v1 pages (so the spec, which keys
/// operations by path, needs the `#v2` fragment), select v2 with a required
/// `X-API-Version` header whose cURL value is `2`, and the API Versioning
/// page says that no header or another value is version 1 (which the mock
/// follows).
#[test]
fn d21_a_second_version_shares_its_path_and_is_selected_by_a_header() {
    for (v1, v2) in [
        (
            "api-reference/cards/transactions/search-transactions.mdx",
            "api-reference/cards/transactions/search-transactions-v2.mdx",
        ),
        (
            "api-reference/cards/transactions/get-transaction.mdx",
            "api-reference/cards/transactions/get-transaction-v2.mdx",
        ),
    ] {
        let (v1, v2) = (load(v1), load(v2));
        assert_eq!(
            (&v1.method, &v1.path),
            (&v2.method, &v2.path),
            "{}",
            v2.file
        );
        let header = v2
            .fields("Headers")
            .into_iter()
            .find(|f| f.name == "X-API-Version")
            .unwrap_or_else(|| panic!("{}: an X-API-Version header", v2.file));
        assert!(header.required, "{}", v2.file);
        assert!(
            v2.headers
                .iter()
                .any(|(n, v)| n.eq_ignore_ascii_case("X-API-Version") && v == "2"),
            "{}: the cURL sends X-API-Version: 2",
            v2.file
        );
        assert!(
            !v1.headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("X-API-Version")),
            "{}: version 1 sends no version",
            v1.file
        );
    }
    let versioning = std::fs::read_to_string(
        common::page::captures_dir().join("integration/api-versioning.mdx"),
    )
    .expect("the API Versioning page is captured");
    assert!(
        versioning.contains("If you send no header, an unknown value, or `1`, you get version 1"),
        "the API Versioning page no longer says that another value is version 1"
    );
}

/// D23: wherever the spec writes `nullable: true` without a `type`, the
/// schema is one reference in an `allOf` (a nullable named schema), and there
/// is at least one such field (the premise of `redocly.yaml`'s downgrade).
#[test]
fn d23_a_nullable_field_without_type_is_one_reference() {
    fn walk(at: &str, node: &serde_json::Value, found: &mut usize) {
        match node {
            serde_json::Value::Object(map) => {
                if map.get("nullable") == Some(&serde_json::Value::Bool(true))
                    && !map.contains_key("type")
                {
                    let refs = map["allOf"].as_array().unwrap_or_else(|| {
                        panic!("D23: {at} is nullable without a type or an allOf")
                    });
                    assert_eq!(refs.len(), 1, "D23: {at}");
                    assert!(refs[0].get("$ref").is_some(), "D23: {at}");
                    *found += 1;
                }
                for (key, value) in map {
                    walk(&format!("{at}/{key}"), value, found);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(&format!("{at}/{i}"), item, found);
                }
            }
            _ => {}
        }
    }
    let mut found = 0;
    walk("", &common::spec(), &mut found);
    assert!(
        found >= 1,
        "D23: no nullable reference left: drop the downgrade"
    );
}
