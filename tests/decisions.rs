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
        checked, 16,
        "create, update, request product, documentation, deprecated create; \
         create and update company, the two webhook subscriptions, the seven \
         bank-account creates"
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
        // D-MG2.
        (
            "CompanyId",
            cryptomate::schemars::schema_for!(cryptomate::CompanyId),
        ),
        (
            "BankAccountId",
            cryptomate::schemars::schema_for!(cryptomate::BankAccountId),
        ),
        (
            "OperationId",
            cryptomate::schemars::schema_for!(cryptomate::OperationId),
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

// Management besides Individual Clients (issue 27): D-MG<n>.

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
                    assert!(value.parse::<cryptomate::BankAccountId>().is_ok());
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
        assert!(id.parse::<cryptomate::OperationId>().is_ok(), "D-MG7: {id}");
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
