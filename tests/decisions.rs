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
        let child = resolve(&schema["properties"][&field.name]);
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
        checked, 5,
        "create, update, request product, documentation, deprecated create"
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
        let shown: BTreeSet<String> = page
            .tabs
            .iter()
            .filter(|t| (200..300).contains(&t.status))
            .map(|t| t.status.to_string())
            .collect();
        let creates = shown.contains("201") || page.path == "/management/clients";
        let expected: BTreeSet<&str> = if creates {
            BTreeSet::from(["200", "201"])
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
    // D16: the generated ClientId and ProductRequestId and the hand-written
    // CountryCode replace the spec's schemas; their JSON Schemas must carry
    // the spec's own limits, so that the two places cannot drift apart.
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
