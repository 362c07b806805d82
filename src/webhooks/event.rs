//! A verified webhook, typed: the envelope's fields and its `data` as
//! `types::WebhookData` (generated from the spec, `codegen/webhooks.rs`).

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::types::{WebhookData, WebhookProduct, WebhookStatus};

/// A webhook the vendor sent, verified and typed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The product the event comes from (`cards`).
    pub product: WebhookProduct,
    /// The event's type (`authorization`).
    pub event_type: String,
    /// The event's unique identifier: deliveries of one event share it.
    pub operation_id: String,
    /// The status of the operation the event reports.
    pub status: WebhookStatus,
    /// The company, when the envelope carries it (`card_blocked_by_velocity`).
    pub company_id: Option<String>,
    /// The event's payload, typed by `(product, event_type)`.
    pub data: WebhookData,
    /// What deduplicates the event (D-W5): its product, type and
    /// `operation_id`, and the `data` fields the spec names for events whose
    /// `operation_id` is not unique per occurrence.
    pub(crate) dedup_key: String,
    /// When the vendor sent it (`X-Request-Timestamp`), when the header
    /// says.
    pub(crate) sent_at: Option<std::time::SystemTime>,
}

impl Event {
    /// Whether the event is a card `authorization`, which the reply approves
    /// or declines within the vendor's deadline.
    pub fn is_authorization(&self) -> bool {
        self.data.kind() == ("cards", "authorization")
    }

    /// The key to deduplicate deliveries on (D-W5 in `openapi/DECISIONS.md`):
    /// `product/event_type/operation_id`, plus the values of the `data`
    /// fields the spec names for the event (`card_blocked_by_velocity`:
    /// `company_id`, `card_id`, `blocked_at`, as its page says).
    pub fn dedup_key(&self) -> &str {
        &self.dedup_key
    }

    /// When the vendor sent the request (`X-Request-Timestamp`, epoch
    /// milliseconds), when it carried one.
    pub fn sent_at(&self) -> Option<std::time::SystemTime> {
        self.sent_at
    }

    /// Reads an event from a JSON value already parsed.
    pub(crate) fn from_value(value: Value) -> Result<Event, ShapeError> {
        let (product, event_type) = (
            value
                .get("product")
                .and_then(Value::as_str)
                .map(str::to_string),
            value
                .get("event_type")
                .and_then(Value::as_str)
                .map(str::to_string),
        );
        let dedup_fields = match (&product, &event_type) {
            (Some(p), Some(e)) => WebhookData::dedup_fields(p, e),
            _ => &[],
        };
        let mut dedup_key = String::new();
        let envelope: crate::types::WebhookEvent = decode_data(value.clone())?;
        let crate::types::WebhookEvent {
            product: typed_product,
            event_type: typed_event_type,
            operation_id,
            status,
            company_id,
            data,
        } = envelope;
        let product = product.unwrap_or_default();
        dedup_key.push_str(&product);
        dedup_key.push('/');
        dedup_key.push_str(&typed_event_type);
        dedup_key.push('/');
        dedup_key.push_str(&operation_id);
        for field in dedup_fields {
            dedup_key.push('/');
            match data.get(*field) {
                Some(Value::String(s)) => dedup_key.push_str(s),
                Some(other) => dedup_key.push_str(&other.to_string()),
                None => {}
            }
        }
        let data = WebhookData::decode(&product, &typed_event_type, Value::Object(data))
            .map_err(|e| e.under("data"))?;
        Ok(Event {
            product: typed_product,
            event_type: typed_event_type,
            operation_id,
            status,
            company_id,
            data,
            dedup_key,
            sent_at: None,
        })
    }
}

/// The `data` of an event the spec does not list: its product, type and
/// payload as received. `Debug` shows the payload's field names, never its
/// values (an unknown event may carry personal data or secrets).
#[derive(Clone, PartialEq)]
pub struct UnknownData {
    product: String,
    event_type: String,
    data: Value,
}

impl UnknownData {
    /// An unknown event's data.
    pub fn new(product: &str, event_type: &str, data: Value) -> Self {
        Self {
            product: product.to_string(),
            event_type: event_type.to_string(),
            data,
        }
    }

    /// The envelope's `product`.
    pub fn product(&self) -> &str {
        &self.product
    }

    /// The envelope's `event_type`.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The payload, as received.
    pub fn data(&self) -> &Value {
        &self.data
    }

    /// The payload, as received, owned.
    pub fn into_data(self) -> Value {
        self.data
    }
}

impl fmt::Debug for UnknownData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<&str> = match &self.data {
            Value::Object(map) => map.keys().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        f.debug_struct("UnknownData")
            .field("product", &self.product)
            .field("event_type", &self.event_type)
            .field("fields", &fields)
            .finish()
    }
}

/// A webhook body that is JSON but not of the documented shape: where (a
/// JSON path) and what kind of mismatch, never the value found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    path: String,
    problem: String,
}

impl ShapeError {
    /// The JSON path of the mismatch (`data.card_id`; `.` for the whole body).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong there (`missing field \`card_id\``, `wrong type`).
    pub fn problem(&self) -> &str {
        &self.problem
    }

    /// The same error, its path under `field`.
    fn under(mut self, field: &str) -> Self {
        self.path = if self.path == "." {
            field.to_string()
        } else {
            format!("{field}.{}", self.path)
        };
        self
    }
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.problem, self.path)
    }
}

impl std::error::Error for ShapeError {}

/// Decodes `value` into `T`, locating a mismatch by its JSON path. The
/// message keeps serde's words only where they name the schema (a missing or
/// unknown field, an unknown variant), never where they quote the value.
pub fn decode_data<T: DeserializeOwned>(value: Value) -> Result<T, ShapeError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        let problem = if message.starts_with("missing field `") {
            message
                .split('`')
                .nth(1)
                .map(|field| format!("missing field `{field}`"))
                .unwrap_or_else(|| "missing field".to_string())
        } else if message.starts_with("invalid type") {
            // "invalid type: string \"…\", expected …" quotes the value.
            "wrong type".to_string()
        } else if message.starts_with("invalid length") {
            "wrong number of items".to_string()
        } else {
            "invalid value".to_string()
        };
        ShapeError { path, problem }
    })
}
