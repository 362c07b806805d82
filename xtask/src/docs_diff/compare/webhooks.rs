//! The webhooks page against the spec's webhook schemas (D-W1 in
//! `openapi/DECISIONS.md`): the schemas marked `x-webhook` whose `page` is
//! the guide being read.
//!
//! The page documents what the vendor sends, not an operation: an envelope
//! table, an expected response, and a catalog of events (a heading
//! `` #### `event_type` — … `` under a product's `###` heading, which says
//! "Emitted with `product: "…"`", mostly with a JSON example, sometimes with
//! a table of the `data` fields). What is compared:
//! - each event of the catalog, and of each example, is an event of the spec
//!   (`webhook-event-missing`), and each event of the spec is on the page
//!   (`webhook-event-undocumented`);
//! - each example is valid against the envelope and its `data` against the
//!   event's schema (`example-invalid`, `example-extra-key`), and equals the
//!   example the spec names for it (`example-missing`, `example-differs`),
//!   which is valid too; the expected response likewise against the reply;
//! - the envelope table's fields, types and "One of" values against the
//!   envelope schema (`field-missing-in-spec`, `type-mismatch`,
//!   `enum-mismatch`; an envelope property neither the table nor an example
//!   shows is `field-undocumented`), and a `data` field table against its
//!   event's schema.

use std::collections::BTreeSet;

use serde_json::Value;
use vendor_pages::Located;
use vendor_pages::mdx::Content;

use super::{Kind, PageDiff, escape};

/// A webhook event of the spec.
struct SpecEvent {
    product: String,
    event_type: String,
    /// The pointer of its `data` schema.
    schema: String,
    /// The pointer of its entry in the schema's `x-webhook`.
    at: String,
    /// The name of its example under `components/examples`.
    example: Option<String>,
}

/// The spec's webhook schemas of one page.
#[derive(Default)]
struct SpecWebhooks {
    envelope: Option<(String, Option<String>)>,
    reply: Option<(String, Option<String>)>,
    events: Vec<SpecEvent>,
}

impl SpecWebhooks {
    fn of(diff: &PageDiff<'_>) -> SpecWebhooks {
        let mut out = SpecWebhooks::default();
        let Some(schemas) = diff
            .spec
            .at("/components/schemas")
            .and_then(Value::as_object)
        else {
            return out;
        };
        for (name, schema) in schemas {
            let Some(webhook) = schema.get("x-webhook") else {
                continue;
            };
            if webhook.get("page").and_then(Value::as_str) != Some(diff.capture.as_str()) {
                continue;
            }
            let pointer = format!("/components/schemas/{}", escape(name));
            let example = webhook
                .get("example")
                .and_then(Value::as_str)
                .map(str::to_string);
            match webhook.get("role").and_then(Value::as_str) {
                Some("envelope") => out.envelope = Some((pointer.clone(), example)),
                Some("reply") => out.reply = Some((pointer.clone(), example)),
                _ => {}
            }
            for (i, event) in webhook
                .get("events")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let text = |key: &str| event.get(key).and_then(Value::as_str).map(str::to_string);
                if let (Some(product), Some(event_type)) = (text("product"), text("event_type")) {
                    out.events.push(SpecEvent {
                        product,
                        event_type,
                        schema: pointer.clone(),
                        at: format!("{pointer}/x-webhook/events/{i}"),
                        example: text("example"),
                    });
                }
            }
        }
        out
    }

    fn event(&self, product: &str, event_type: &str) -> Option<&SpecEvent> {
        self.events
            .iter()
            .find(|e| e.product == product && e.event_type == event_type)
    }
}

/// An event the page's catalog names: its product, type and heading line.
struct PageEvent {
    product: String,
    event_type: String,
    line: usize,
}

impl PageDiff<'_> {
    /// Compares the page with the spec's webhook schemas that name it; a page
    /// no webhook schema names is left alone.
    pub(super) fn webhooks(&mut self) {
        let spec = SpecWebhooks::of(self);
        if spec.envelope.is_none() && spec.reply.is_none() && spec.events.is_empty() {
            return;
        }
        let catalog = self.catalog();
        let examples: Vec<(Option<usize>, Located<Value>)> = self
            .page
            .code_blocks
            .iter()
            .filter_map(|b| match &b.content {
                Content::Json(json) => Some((b.section, json.clone())),
                _ => None,
            })
            .collect();
        let mut on_page: BTreeSet<(String, String)> = BTreeSet::new();
        let mut missing: BTreeSet<(String, String)> = BTreeSet::new();
        for event in &catalog {
            on_page.insert((event.product.clone(), event.event_type.clone()));
            if spec.event(&event.product, &event.event_type).is_none()
                && missing.insert((event.product.clone(), event.event_type.clone()))
            {
                self.event_missing(&event.product, &event.event_type, event.line);
            }
        }
        let mut envelope_fields: BTreeSet<String> = BTreeSet::new();
        let mut compared_examples: BTreeSet<String> = BTreeSet::new();
        for (section, example) in &examples {
            let value = &example.value;
            if let (Some(product), Some(event_type)) = (
                value.get("product").and_then(Value::as_str),
                value.get("event_type").and_then(Value::as_str),
            ) {
                if let Some(map) = value.as_object() {
                    envelope_fields.extend(map.keys().cloned());
                }
                let in_envelope_section = section
                    .and_then(|s| self.page.sections.get(s))
                    .is_some_and(|s| s.heading.value.eq_ignore_ascii_case("Request envelope"));
                let label = format!("{product}/{event_type}");
                if let Some((pointer, _)) = &spec.envelope {
                    self.example_against("webhook", &label, example, pointer);
                }
                let Some(event) = spec.event(product, event_type) else {
                    if missing.insert((product.to_string(), event_type.to_string())) {
                        self.event_missing(product, event_type, example.line);
                    }
                    continue;
                };
                if let Some(data) = value.get("data") {
                    let data = Located::new(example.line, data.clone());
                    self.example_against("webhook", &format!("{label}.data"), &data, &event.schema);
                }
                // The envelope's own example is the spec envelope's; every
                // other example is its event's.
                let named = if in_envelope_section {
                    spec.envelope.as_ref().and_then(|(_, e)| e.clone())
                } else {
                    on_page.insert((product.to_string(), event_type.to_string()));
                    event.example.clone()
                };
                let at = if in_envelope_section {
                    spec.envelope
                        .as_ref()
                        .map(|(p, _)| format!("{p}/x-webhook"))
                        .unwrap_or_default()
                } else {
                    event.at.clone()
                };
                self.named_example(
                    &label,
                    example,
                    named.as_deref(),
                    &at,
                    &mut compared_examples,
                );
            } else if value.get("response_code").is_some()
                && let Some((pointer, named)) = &spec.reply
            {
                let pointer = pointer.clone();
                let named = named.clone();
                self.example_against("webhook", "reply", example, &pointer);
                self.named_example(
                    "reply",
                    example,
                    named.as_deref(),
                    &format!("{pointer}/x-webhook"),
                    &mut compared_examples,
                );
            }
        }
        for event in &spec.events {
            if !on_page.contains(&(event.product.clone(), event.event_type.clone())) {
                let f = self
                    .finding(
                        Kind::WebhookEventUndocumented,
                        &format!("webhook.{}/{}", event.product, event.event_type),
                        format!(
                            "the spec lists the webhook event ({}, {}), which the page does not document",
                            event.product, event.event_type
                        ),
                    )
                    .spec(&event.at)
                    .says(None, Some(format!("{}/{}", event.product, event.event_type)))
                    .fix("remove the event from the schema's x-webhook events, or allow the finding with the reason it exists");
                self.push(f);
            }
            // An example the spec names that no page example was compared
            // with: it must exist, and be valid.
            if let Some(name) = &event.example
                && !compared_examples.contains(name)
            {
                let f = self
                    .finding(
                        Kind::ExampleMissing,
                        &format!("webhook.{}/{}.example", event.product, event.event_type),
                        format!(
                            "the spec names the example {name} for the webhook event ({}, {}), and the page has no example of that event",
                            event.product, event.event_type
                        ),
                    )
                    .spec(&event.at)
                    .says(None, Some(name.clone()))
                    .fix("remove the example's name, or copy the page's example of the event");
                self.push(f);
            }
        }
        if let Some((pointer, _)) = &spec.envelope {
            self.envelope_table(pointer, &envelope_fields);
        }
        self.data_tables(&spec, &catalog);
    }

    /// The events of the page's catalog, in order.
    fn catalog(&self) -> Vec<PageEvent> {
        let mut out = Vec::new();
        for section in &self.page.sections {
            let mut product: Option<String> = None;
            for paragraph in &section.prose {
                let text = paragraph.value.trim();
                if let Some(rest) = text.strip_prefix("Emitted with `product: \"")
                    && let Some((name, _)) = rest.split_once('"')
                {
                    product = Some(name.to_string());
                    continue;
                }
                let Some(product) = &product else { continue };
                // A catalog heading: "`event_type` — what it is".
                if let Some(rest) = text.strip_prefix('`')
                    && let Some((name, after)) = rest.split_once('`')
                    && after.trim_start().starts_with('—')
                    && !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                {
                    out.push(PageEvent {
                        product: product.clone(),
                        event_type: name.to_string(),
                        line: paragraph.line,
                    });
                }
            }
        }
        out
    }

    fn event_missing(&mut self, product: &str, event_type: &str, line: usize) {
        let f = self
            .finding(
                Kind::WebhookEventMissing,
                &format!("webhook.{product}/{event_type}"),
                format!(
                    "the page documents the webhook event ({product}, {event_type}), which no webhook schema of the spec lists"
                ),
            )
            .page(Some(line))
            .spec("/components/schemas")
            .says(Some(format!("{product}/{event_type}")), None)
            .fix("list the event in the x-webhook events of its data schema (a new schema for a new shape), with the page's example");
        self.push(f);
    }

    /// The page's example against the example the spec names for it.
    fn named_example(
        &mut self,
        label: &str,
        example: &Located<Value>,
        named: Option<&str>,
        at: &str,
        compared: &mut BTreeSet<String>,
    ) {
        let Some(name) = named else {
            let f = self
                .finding(
                    Kind::ExampleMissing,
                    &format!("webhook.{label}.example"),
                    format!("the page has an example of {label}, and the spec names none"),
                )
                .page(Some(example.line))
                .spec(at)
                .fix("copy the page's example under components/examples and name it in the schema's x-webhook");
            self.push(f);
            return;
        };
        compared.insert(name.to_string());
        let pointer = format!("/components/examples/{}/value", escape(name));
        let Some(embedded) = self.spec.at(&pointer).cloned() else {
            let f = self
                .finding(
                    Kind::ExampleMissing,
                    &format!("webhook.{label}.example"),
                    format!(
                        "the spec names the example {name} for {label}, and has no such example"
                    ),
                )
                .page(Some(example.line))
                .spec(at)
                .says(None, Some(name.to_string()))
                .fix("copy the page's example under components/examples with that name");
            self.push(f);
            return;
        };
        if embedded != example.value {
            let f = self
                .finding(
                    Kind::ExampleDiffers,
                    &format!("webhook.{label}.example"),
                    format!("the spec's example {name} differs from the page's example of {label}"),
                )
                .page(Some(example.line))
                .spec(&pointer)
                .says(Some(example.value.to_string()), Some(embedded.to_string()))
                .fix("copy the page's example into the spec");
            self.push(f);
        }
    }

    /// The envelope table (`| Field | Type | Description |` in the section
    /// "Request envelope") against the envelope schema.
    fn envelope_table(&mut self, pointer: &str, in_examples: &BTreeSet<String>) {
        let Some(table) = self.page.tables.iter().find(|t| {
            t.section
                .and_then(|s| self.page.sections.get(s))
                .is_some_and(|s| s.heading.value.eq_ignore_ascii_case("Request envelope"))
        }) else {
            return;
        };
        let table = table.clone();
        let mut listed = BTreeSet::new();
        for row in &table.rows {
            let [field, ty, description, ..] = row.value.as_slice() else {
                continue;
            };
            let field = field.trim_matches('`').to_string();
            listed.insert(field.clone());
            self.table_field(pointer, "envelope", &field, ty, Some(description), row.line);
        }
        let properties: Vec<String> = self
            .spec
            .at(&format!("{pointer}/properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        for property in properties {
            if listed.contains(&property) || in_examples.contains(&property) {
                continue;
            }
            let f = self
                .finding(
                    Kind::FieldUndocumented,
                    &format!("envelope.{property}"),
                    format!("the spec's webhook envelope has the field {property}, which neither the page's envelope table nor an example shows"),
                )
                .page(Some(table.line))
                .spec(&format!("{pointer}/properties/{}", escape(&property)))
                .says(None, Some(property.clone()))
                .fix("remove the property, or allow the finding with the reason it exists");
            self.push(f);
        }
    }

    /// The tables of `data` fields (first header `` `data` field ``), each
    /// against the schema of the catalog event it follows.
    fn data_tables(&mut self, spec: &SpecWebhooks, catalog: &[PageEvent]) {
        let tables: Vec<_> = self
            .page
            .tables
            .iter()
            .filter(|t| t.header.first().is_some_and(|h| h.contains("`data`")))
            .cloned()
            .collect();
        for table in tables {
            let Some(event) = catalog.iter().rev().find(|e| e.line < table.line) else {
                continue;
            };
            let Some(spec_event) = spec.event(&event.product, &event.event_type) else {
                continue;
            };
            let schema = spec_event.schema.clone();
            let label = format!("{}/{}.data", event.product, event.event_type);
            for row in &table.rows {
                let [field, ty, ..] = row.value.as_slice() else {
                    continue;
                };
                let field = field.trim_matches('`').to_string();
                self.table_field(&schema, &label, &field, ty, None, row.line);
            }
        }
    }

    /// One field of a page table (`a.b` nested) against the schema at
    /// `schema`: present, of the table's type, with the "One of" values.
    fn table_field(
        &mut self,
        schema: &str,
        label: &str,
        field: &str,
        ty: &str,
        description: Option<&String>,
        line: usize,
    ) {
        let mut at = schema.to_string();
        for part in field.split('.') {
            let resolved = self.spec.resolve_schema(&at).unwrap_or(at.clone());
            at = format!("{resolved}/properties/{}", escape(part));
            if self.spec.at(&at).is_none() {
                let f = self
                    .finding(
                        Kind::FieldMissingInSpec,
                        &format!("{label}.{field}"),
                        format!("the page's table lists the field {field} of {label}, which the spec's schema lacks"),
                    )
                    .page(Some(line))
                    .spec(&resolved)
                    .says(Some(format!("{field}: {ty}")), None)
                    .fix("add the property to the schema, with the page's type");
                self.push(f);
                return;
            }
        }
        let property = self.spec.at(&at).cloned().unwrap_or(Value::Null);
        let resolved = self
            .spec
            .resolve_schema(&at)
            .and_then(|p| self.spec.at(&p).cloned())
            .unwrap_or(property.clone());
        let spec_type = resolved
            .get("type")
            .or_else(|| property.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("object")
            .to_string();
        let page_type = table_type(ty);
        if let Some(page_type) = page_type
            && page_type != spec_type
        {
            let f = self
                .finding(
                    Kind::TypeMismatch,
                    &format!("{label}.{field}"),
                    format!(
                        "the page's table types {field} of {label} as {ty}, the spec as {spec_type}"
                    ),
                )
                .page(Some(line))
                .spec(&at)
                .says(Some(ty.to_string()), Some(spec_type.clone()))
                .fix("change the spec's type");
            self.push(f);
        }
        let Some(values) = description.and_then(|d| one_of(d)) else {
            return;
        };
        let spec_values: BTreeSet<String> = resolved
            .get("x-extensible-enum")
            .or_else(|| resolved.get("enum"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        if spec_values != values {
            let f = self
                .finding(
                    Kind::EnumMismatch,
                    &format!("{label}.{field}"),
                    format!("the page's table gives {field} of {label} the values {values:?}, the spec {spec_values:?}"),
                )
                .page(Some(line))
                .spec(&at)
                .says(
                    Some(values.iter().cloned().collect::<Vec<_>>().join(", ")),
                    Some(spec_values.iter().cloned().collect::<Vec<_>>().join(", ")),
                )
                .fix("make the schema's x-extensible-enum hold the page's values");
            self.push(f);
        }
    }
}

/// The JSON type of a table's type cell: `string`, `uuid`, `ISO 8601 (UTC)`,
/// `string \| null`, `integer`, `object`; `None` when it names no type.
fn table_type(cell: &str) -> Option<String> {
    let first = cell
        .trim()
        .trim_matches('`')
        .split(|c: char| c.is_whitespace() || c == '|' || c == '\\')
        .next()?
        .to_ascii_lowercase();
    match first.as_str() {
        "string" | "uuid" | "iso" => Some("string".into()),
        "integer" | "number" | "boolean" | "object" | "array" => Some(first),
        _ => None,
    }
}

/// The values of a description "One of `a`, `b`, `c`".
fn one_of(description: &str) -> Option<BTreeSet<String>> {
    let rest = description.trim().strip_prefix("One of ")?;
    let values: BTreeSet<String> = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    (!values.is_empty()).then_some(values)
}
