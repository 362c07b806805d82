//! Reading and decoding response bodies for the generated client.
//!
//! `codegen/rewrite/decoding.rs` routes the generated code's `ResponseValue::from_response` and
//! `Error::UnexpectedResponse` here, so that every response is read with a
//! size limit and every failure keeps its status, headers and body.
//! It is private to the crate: the generated code that calls it is compiled
//! inside the crate (`src/generated.rs`), so none of it is public API.

use bytes::{Bytes, BytesMut};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{Body, DecodeProblem, Error};
use crate::{Client, ResponseValue};

/// Reads a response of a documented status and decodes its JSON body.
pub(crate) async fn from_response<T: DeserializeOwned, E>(
    client: &Client,
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    // The headers are moved out, not copied: the body is all that is read
    // from the response after this.
    let headers = std::mem::take(response.headers_mut());
    let body = read(client, response, status, &headers).await?;
    match decode(&body) {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err(problem) => Err(Error::InvalidResponse {
            status,
            headers,
            body: Body(body),
            problem,
        }),
    }
}

/// Reads a response of an undocumented status into an error that keeps it.
pub(crate) async fn unexpected<E>(client: &Client, mut response: reqwest::Response) -> Error<E> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    match read(client, response, status, &headers).await {
        Ok(body) => Error::UnexpectedResponse {
            status,
            headers,
            body: Body(body),
        },
        Err(e) => e,
    }
}

/// Reads the whole body, refusing more than the client's limit
/// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)).
/// A body of a declared length is read into one buffer of that size, so that
/// a large list is held once, not copied as a buffer grows.
async fn read<E>(
    client: &Client,
    mut response: reqwest::Response,
    status: StatusCode,
    headers: &HeaderMap,
) -> Result<Bytes, Error<E>> {
    let limit = client.inner.max_response_bytes();
    let too_large = || Error::ResponseTooLarge {
        status,
        headers: headers.clone(),
        limit,
    };
    let declared = response.content_length();
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(too_large());
    }
    // A small body arrives in one chunk, which is kept as it is; only a body
    // of several chunks is copied together.
    let mut first: Option<Bytes> = None;
    let mut body = BytesMut::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let held = first.as_ref().map_or(0, Bytes::len) + body.len();
                if held + chunk.len() > limit {
                    return Err(too_large());
                }
                match first.take() {
                    None if body.is_empty() => first = Some(chunk),
                    None => body.extend_from_slice(&chunk),
                    Some(previous) => {
                        // A body in several chunks is gathered in one buffer
                        // of the declared size (within the limit, so the cast
                        // cannot truncate), not one that is copied as it grows.
                        let declared = declared.map_or(0, |len| len as usize);
                        body.reserve(declared.max(previous.len() + chunk.len()));
                        body.extend_from_slice(&previous);
                        body.extend_from_slice(&chunk);
                    }
                }
            }
            Ok(None) => return Ok(first.unwrap_or_else(|| body.freeze())),
            Err(source) => {
                return Err(Error::ResponseBody {
                    status,
                    headers: headers.clone(),
                    source,
                });
            }
        }
    }
}

/// Decodes JSON, describing a failure by its kind and path, never by the
/// values it holds (which may be personal data).
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeProblem> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeProblem::Empty);
    }
    // The fast path decodes without tracking paths; only a body that fails is
    // decoded again with `serde_path_to_error` to say where (tracking every
    // field cost about a tenth of a call; measured in benches/compare.rs).
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        (path, e.into_inner())
    });
    // Trailing bytes after the value are an error too, at the whole body.
    let value = value.and_then(|value| {
        deserializer
            .end()
            .map(|()| value)
            .map_err(|e| (".".to_string(), e))
    });
    value.map_err(|(path, inner)| match inner.classify() {
        serde_json::error::Category::Eof => DecodeProblem::Truncated,
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
            DecodeProblem::NotJson {
                line: inner.line(),
                column: inner.column(),
            }
        }
        serde_json::error::Category::Data => DecodeProblem::WrongShape {
            path,
            reason: without_quoted_values(&inner.to_string()),
        },
    })
}

/// Removes what serde quotes from the input (`invalid type: string "John"`,
/// `invalid type: integer `4155551234``) and its position suffix, keeping the
/// kind of problem, field names and what was expected.
pub(crate) fn without_quoted_values(message: &str) -> String {
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    // In "invalid type/value/length: …", the first quoted item is the value.
    let mut value_quotes_left = usize::from(
        ["invalid type: ", "invalid value: ", "invalid length "]
            .iter()
            .any(|p| message.starts_with(p)),
    );
    let mut out = String::with_capacity(message.len());
    let mut open: Option<char> = None;
    let mut escaped = false;
    for c in message.chars() {
        // serde quotes strings with Rust's escaping: `\"` inside a value does
        // not close it (found by the `quoted_values_never_survive` property).
        if open == Some('"') && (escaped || c == '\\') {
            escaped = !escaped && c == '\\';
            continue;
        }
        match (open, c) {
            (None, '"') => {
                open = Some('"');
                out.push_str("\"…");
            }
            (None, '`') if value_quotes_left > 0 => {
                value_quotes_left -= 1;
                open = Some('`');
                out.push_str("`…");
            }
            (Some(q), c) if c == q => {
                open = None;
                out.push(c);
            }
            (Some(_), _) => {}
            (None, c) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Client;

    #[test]
    fn problems_are_classified_without_values() {
        assert_eq!(decode::<Client>(b"  "), Err(DecodeProblem::Empty));
        assert_eq!(
            decode::<Client>(b"{\"id\": \"c"),
            Err(DecodeProblem::Truncated)
        );
        assert_eq!(
            decode::<Client>(b"<html>"),
            Err(DecodeProblem::NotJson { line: 1, column: 1 })
        );
        let Err(DecodeProblem::WrongShape { path, reason }) =
            decode::<Client>(br#"{"id": "c", "first_name": 12, "email": "secret@example.com"}"#)
        else {
            panic!("a shape problem");
        };
        assert_eq!(path, "first_name");
        assert_eq!(reason, "invalid type: integer `…`, expected a string");
        let Err(DecodeProblem::WrongShape { path, reason }) =
            decode::<Client>(br#"{"id": 5, "last_name": "Doe"}"#)
        else {
            panic!("a shape problem");
        };
        assert_eq!(
            (path.as_str(), reason.as_str()),
            ("id", "invalid type: integer `…`, expected a string")
        );
        let Err(DecodeProblem::WrongShape { reason, .. }) =
            decode::<Client>(br#"{"phone_number": "Doe-555"}"#)
        else {
            panic!("a shape problem");
        };
        assert!(!reason.contains("Doe"), "{reason}");
        assert!(decode::<Client>(br#"{"id": "c"} trailing"#).is_err());
        // Regression (fuzzing): an escaped quote inside a value does not end it.
        let cleaned = without_quoted_values(r#"invalid type: string "a\"SECRET", expected i64"#);
        assert_eq!(cleaned, r#"invalid type: string "…", expected i64"#);
        let Err(DecodeProblem::WrongShape { path, reason }) =
            decode::<Client>(br#"{"first_name": "A"}"#)
        else {
            panic!("a shape problem");
        };
        assert_eq!(
            (path.as_str(), reason.as_str()),
            (".", "missing field `id`")
        );
    }
}

/// Properties of decoding under hostile input (a bounded fuzzing campaign runs
/// them with `PROPTEST_CASES=100000`; see README, "Failure behaviour").
#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    use serde_json::Value;

    use super::*;
    use crate::types::Client;

    fn documented() -> Value {
        serde_json::json!({
            "id": "client_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
            "company_id": "comp_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23",
            "type": "individual", "status": "PENDING",
            "first_name": "John", "last_name": "Doe", "email": "john.doe@example.com",
            "phone_country_code": 1, "phone_number": 4155551234_i64,
            "created_at": "2026-04-15T10:30:00", "updated_at": "2026-04-15T10:30:00"
        })
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            ".{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map(".{0,6}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode::<Client>(&body);
        }

        #[test]
        fn a_mutated_documented_response_decodes_or_says_where(
            field in prop::sample::select(vec![
                "id", "company_id", "type", "status", "first_name", "last_name", "email",
                "phone_country_code", "phone_number", "created_at", "updated_at", "extra",
            ]),
            value in json_value(),
        ) {
            let mut body = documented();
            body[field] = value;
            let bytes = serde_json::to_vec(&body).expect("JSON");
            match decode::<Client>(&bytes) {
                Ok(client) => {
                    // Whatever decodes re-encodes to JSON that decodes again.
                    let again = serde_json::to_vec(&client).expect("encodes");
                    prop_assert!(decode::<Client>(&again).is_ok());
                }
                Err(DecodeProblem::WrongShape { path, .. }) => {
                    prop_assert!(path == field || path == ".", "{path} for {field}");
                }
                Err(other) => prop_assert!(false, "{other:?} for valid JSON"),
            }
        }

        #[test]
        fn quoted_values_never_survive(secret in "[^\u{0}]{1,24}") {
            // serde quotes strings with Rust's escaping; the message must not
            // keep any of the value, whatever characters it holds.
            let message = format!("invalid type: string {secret:?}, expected i64 at line 1 column 9");
            let cleaned = without_quoted_values(&message);
            prop_assert!(cleaned.starts_with("invalid type: string \"…\", expected i64"), "{cleaned}");
            prop_assert!(!cleaned.contains(" at line "), "{cleaned}");
        }

        #[test]
        fn timestamps_never_panic(text in ".{0,40}") {
            let _ = crate::Timestamp::parse(&text);
        }
    }
}
