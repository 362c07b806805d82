//! The premises of `openapi/DECISIONS.md`, checked against the captured page.
//! When one fails, the page has changed under a decision: revisit the entry
//! (and the spec) rather than the test.

mod common;

use common::{documented_response, page_fields, spec_at};
use cryptomate::{ClientStatus, ClientType};

const TYPES: &[&str] = &["integer", "long", "string", "boolean", "object", "array"];

#[test]
fn the_page_marks_no_field_required() {
    // D1, D2: every field's type line is a bare type, with no "required" mark.
    for section in ["Body", "Response"] {
        for field in page_fields(section) {
            assert!(
                TYPES.contains(&field.ty.as_str()),
                "D1/D2: {section} field {} has type line {:?}; the page may now mark it required",
                field.name,
                field.ty
            );
        }
    }
    assert!(
        spec_at("/components/schemas/CreateClientRequest")
            .get("required")
            .is_none()
    );
}

#[test]
fn the_page_shows_timestamps_without_offset() {
    // D3: the vendor's example has no offset; if it gains one, D3's reason
    // changes (the client keeps accepting both).
    let response = documented_response();
    for field in ["created_at", "updated_at"] {
        let text = response[field].as_str().expect("a string");
        assert_eq!(
            text.len(),
            "2026-04-15T10:30:00".len(),
            "D3: {field} = {text}"
        );
        assert!(
            !text.ends_with('Z') && !text[10..].contains(['+', '-']),
            "D3: {field} = {text}"
        );
    }
}

#[test]
fn the_known_values_are_the_pages() {
    // D4: the page's words for `type`, and the example's `status`.
    let response = page_fields("Response");
    let ty = response
        .iter()
        .find(|f| f.name == "type")
        .expect("a type field");
    assert_eq!(ty.description, "Client type: individual or business.");
    assert_eq!(ClientType::KNOWN, ["individual", "business"]);
    assert_eq!(documented_response()["status"], "PENDING");
    assert_eq!(ClientStatus::KNOWN, ["PENDING"]);
    for (schema, known) in [
        ("ClientType", ClientType::KNOWN),
        ("ClientStatus", ClientStatus::KNOWN),
    ] {
        let listed = spec_at(&format!("/components/schemas/{schema}"))["x-extensible-enum"].clone();
        assert_eq!(listed, serde_json::json!(known), "{schema}");
    }
}

#[test]
fn the_nested_fields_are_the_pages() {
    // D8: the prose lists of `address` and `documents` name the spec's fields.
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
fn every_page_field_is_in_the_spec_with_its_type() {
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
