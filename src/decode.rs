//! Reading and decoding response bodies for the generated client.
//!
//! `codegen.rs` routes the generated code's `ResponseValue::from_response` and
//! `Error::UnexpectedResponse` here, so that every response is read with a
//! size limit and every failure keeps its status, headers and body.
//! It is not for callers: it is public only because generated code calls it.

use bytes::{Bytes, BytesMut};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::ResponseValue;
use crate::error::{Body, DecodeProblem, Error, MAX_RESPONSE_BYTES};

/// Reads a response of a documented status and decodes its JSON body.
#[doc(hidden)]
pub async fn from_response<T: DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = read(response, status, &headers).await?;
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
#[doc(hidden)]
pub async fn unexpected<E>(response: reqwest::Response) -> Error<E> {
    let status = response.status();
    let headers = response.headers().clone();
    match read(response, status, &headers).await {
        Ok(body) => Error::UnexpectedResponse {
            status,
            headers,
            body: Body(body),
        },
        Err(e) => e,
    }
}

/// Reads the whole body, refusing more than [`MAX_RESPONSE_BYTES`].
async fn read<E>(
    mut response: reqwest::Response,
    status: StatusCode,
    headers: &HeaderMap,
) -> Result<Bytes, Error<E>> {
    let too_large = || Error::ResponseTooLarge {
        status,
        headers: headers.clone(),
    };
    if response
        .content_length()
        .is_some_and(|len| len > MAX_RESPONSE_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = BytesMut::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body.freeze()),
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
fn without_quoted_values(message: &str) -> String {
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
    for c in message.chars() {
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
