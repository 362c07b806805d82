//! One answer of the mock, and how an answer's body is shaped from the
//! spec: a stored item projected onto the response schema, an example with
//! the request's fields, a minted id like the vendor's, a non-JSON body of
//! the declared media type.

use http_body_util::Full;
use hyper::body::Bytes;
use reqwest::header::HeaderValue;
use serde_json::{Value, json};

use super::spec::Spec;

/// The body of an answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Body {
    /// No body.
    Empty,
    /// A JSON body.
    Json(Value),
    /// A body of another media type (a PDF, an HTML page).
    Raw {
        content_type: String,
        bytes: Vec<u8>,
    },
}

/// One answer of the mock: a status, extra headers and a body.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Body,
}

impl Answer {
    pub(crate) fn json(status: u16, body: impl serde::Serialize) -> Self {
        Self {
            status,
            headers: Vec::new(),
            // Serializing the crate's own types and JSON values cannot fail.
            body: Body::Json(serde_json::to_value(body).unwrap_or(Value::Null)),
        }
    }

    pub(crate) fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Body::Empty,
        }
    }

    /// The vendor's error body, with a fresh trace id.
    pub(crate) fn error(status: u16, code: &str, message: String) -> Self {
        Self::json(
            status,
            json!({"code": code, "message": message, "trace_id": new_trace_id()}),
        )
    }

    pub(crate) fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub(crate) fn into_response(self) -> hyper::Response<Full<Bytes>> {
        let (bytes, content_type) = match self.body {
            Body::Empty => (Bytes::new(), None),
            Body::Json(body) => (
                Bytes::from(body.to_string()),
                Some("application/json".into()),
            ),
            Body::Raw {
                content_type,
                bytes,
            } => (Bytes::from(bytes), Some(content_type)),
        };
        let mut response = hyper::Response::new(Full::new(bytes));
        *response.status_mut() = hyper::StatusCode::from_u16(self.status)
            .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        if let Some(value) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
            headers.insert("content-type", value);
        }
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
        response
    }
}

pub(crate) fn new_trace_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The time as the vendor writes it: UTC, to the second, without an offset.
pub(crate) fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// The fields that stamp when an item was made and last changed; set by
/// the engine when the item's schema declares them.
pub(crate) const CREATED_AT: &str = "created_at";
pub(crate) const UPDATED_AT: &str = "updated_at";

/// `value` with only what `schema` declares: an object keeps the
/// properties its schema lists (recursively), an array projects its items,
/// and a free-form object or any other value stays as it is. The store keeps
/// everything a request sent; an answer shows what the spec says it shows.
pub(crate) fn project(spec: &Spec, value: &Value, schema: &Value) -> Value {
    let resolved = spec.schema(schema);
    match value {
        Value::Object(map) => match spec.properties(resolved) {
            Some(properties) => Value::Object(
                map.iter()
                    .filter_map(|(key, child)| {
                        let schema = properties.get(key)?;
                        Some((key.clone(), project(spec, child, schema)))
                    })
                    .collect(),
            ),
            None => value.clone(),
        },
        Value::Array(items) => match resolved.get("items") {
            Some(schema) => Value::Array(items.iter().map(|i| project(spec, i, schema)).collect()),
            None => value.clone(),
        },
        _ => value.clone(),
    }
}

/// A value valid for `schema` when the spec gives no example: its
/// `example`, `default` or first `enum` value, or the simplest value of its
/// type (an object with its required properties).
pub(crate) fn synthesize(spec: &Spec, schema: &Value, depth: usize) -> Value {
    let resolved = spec.schema(schema);
    for said in ["example", "default"] {
        if let Some(value) = resolved.get(said) {
            return value.clone();
        }
    }
    if let Some(first) = resolved
        .get("enum")
        .or_else(|| resolved.get("x-extensible-enum"))
        .and_then(Value::as_array)
        .and_then(|values| values.first())
    {
        return first.clone();
    }
    match spec.type_of(resolved).as_deref() {
        Some("object") if depth < 8 => {
            let properties = spec.properties(resolved).unwrap_or_default();
            let required: Vec<&str> = resolved
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            Value::Object(
                properties
                    .iter()
                    .filter(|(name, _)| required.contains(&name.as_str()))
                    .map(|(name, p)| (name.clone(), synthesize(spec, p, depth + 1)))
                    .collect(),
            )
        }
        Some("object") => json!({}),
        Some("array") => json!([]),
        Some("integer") => json!(resolved.get("minimum").and_then(Value::as_i64).unwrap_or(0)),
        Some("number") => json!(
            resolved
                .get("minimum")
                .and_then(Value::as_f64)
                .unwrap_or(0.0)
        ),
        Some("boolean") => json!(false),
        _ => match resolved.get("format").and_then(Value::as_str) {
            Some("date") => json!("2026-01-01"),
            Some("date-time") => json!(format!("{}Z", now())),
            _ => json!(""),
        },
    }
}

/// The body the mock sends for a non-JSON media type: a one-page PDF for
/// `application/pdf`, a small page for `text/html`, the example's text for
/// other text, a few bytes otherwise. [`RAW_BODIES`] names them.
pub(crate) fn raw_body(media_type: &str, example: Option<&Value>) -> Vec<u8> {
    if let Some((_, bytes)) = RAW_BODIES
        .iter()
        .find(|(prefix, _)| media_type.starts_with(prefix))
    {
        return bytes.to_vec();
    }
    match example.and_then(Value::as_str) {
        Some(text) if media_type.starts_with("text/") => text.as_bytes().to_vec(),
        _ => b"mock".to_vec(),
    }
}

/// The bodies of the non-JSON media types the vendor's pages show.
pub(crate) const RAW_BODIES: [(&str, &[u8]); 2] = [
    (
        "application/pdf",
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    ),
    (
        "text/html",
        b"<!DOCTYPE html><html><head><title>Cryptomate mock</title></head><body>mock</body></html>",
    ),
];

/// A new id shaped like `example`, the vendor's: the prefix up to its first
/// `_` kept (`vw_`, `card_`, `client_`), then a UUID where the example has
/// one, else as many random characters of the classes the example uses
/// (hex digits, or letters and digits), separators kept in place. Without
/// an example: 32 letters and digits, as the Individual Clients API's.
pub(crate) fn mint_id(example: Option<&str>) -> String {
    let Some(example) = example.filter(|e| !e.is_empty()) else {
        return random_chars(32, ALNUM);
    };
    let (prefix, rest) = match example.find('_') {
        Some(i) if i + 1 < example.len() => example.split_at(i + 1),
        _ => ("", example),
    };
    if uuid::Uuid::try_parse(rest).is_ok() && rest.len() == 36 {
        return format!("{prefix}{}", uuid::Uuid::new_v4().hyphenated());
    }
    let hex = rest
        .chars()
        .all(|c| c.is_ascii_hexdigit() || !c.is_ascii_alphanumeric())
        && !rest.chars().any(|c| c.is_ascii_uppercase());
    let alphabet: Vec<u8> = if hex {
        b"0123456789abcdef".to_vec()
    } else {
        let mut alphabet = Vec::new();
        if rest.chars().any(|c| c.is_ascii_uppercase()) {
            alphabet.extend(b'A'..=b'Z');
        }
        if rest.chars().any(|c| c.is_ascii_lowercase()) {
            alphabet.extend(b'a'..=b'z');
        }
        if rest.chars().any(|c| c.is_ascii_digit()) {
            alphabet.extend(b'0'..=b'9');
        }
        alphabet
    };
    let mut random = random_chars(rest.len(), &alphabet).into_bytes().into_iter();
    let minted: String = rest
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                random.next().map_or(c, char::from)
            } else {
                c
            }
        })
        .collect();
    format!("{prefix}{minted}")
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn random_chars(n: usize, alphabet: &[u8]) -> String {
    if alphabet.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(n);
    while out.len() < n {
        for byte in uuid::Uuid::new_v4().as_bytes() {
            if out.len() == n {
                break;
            }
            out.push(char::from(alphabet[usize::from(*byte) % alphabet.len()]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mint_id;

    #[test]
    fn ids_are_minted_like_the_vendors_examples() {
        let plain = mint_id(None);
        assert_eq!(plain.len(), 32);
        assert!(plain.bytes().all(|c| c.is_ascii_alphanumeric()), "{plain}");
        assert_ne!(plain, mint_id(None));

        let like = mint_id(Some("4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG"));
        assert_eq!(like.len(), 32);
        assert!(like.bytes().all(|c| c.is_ascii_alphanumeric()), "{like}");

        let wallet = mint_id(Some("vw_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"));
        assert!(wallet.starts_with("vw_"), "{wallet}");
        assert!(uuid::Uuid::try_parse(&wallet[3..]).is_ok(), "{wallet}");
        assert_ne!(wallet, "vw_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");

        let event = mint_id(Some("evt_a1b2c3d4e5f6"));
        assert_eq!(event.len(), "evt_a1b2c3d4e5f6".len());
        assert!(event[4..].bytes().all(|c| c.is_ascii_hexdigit()), "{event}");

        let client = mint_id(Some("client_xyz789"));
        assert!(client.starts_with("client_"), "{client}");
        assert_eq!(client.len(), "client_xyz789".len());
        assert!(
            client[7..]
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
    }
}
