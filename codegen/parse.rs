//! Reading the spec: YAML (or JSON) text into an OpenAPI document, with an
//! error that names the line and the JSON pointer of what does not fit.

use std::path::Path;

use openapiv3::OpenAPI;

use super::error::{CodegenError, Location};
use super::pointer::escape_pointer_key;

/// Parses YAML (or JSON) text into an OpenAPI document.
pub fn parse(path: &Path, text: &str) -> Result<OpenAPI, CodegenError> {
    if text.trim().is_empty() {
        return Err(CodegenError {
            file: path.to_path_buf(),
            location: Location::File,
            message: "the spec is empty".into(),
        });
    }
    let deserializer = serde_yaml_ng::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, OpenAPI>(deserializer).map_err(|e| {
        let pointer = pointer_of(e.path());
        let inner = e.into_inner();
        let location = match inner.location() {
            Some(l) => Location::Line {
                line: l.line(),
                column: l.column(),
            },
            None => Location::Pointer(pointer.clone()),
        };
        let message = strip_location(&inner.to_string());
        let message = if pointer.is_empty() || pointer == "/" {
            format!("not a valid OpenAPI document: {message}")
        } else {
            format!("not a valid OpenAPI document at {pointer}: {message}")
        };
        CodegenError {
            file: path.to_path_buf(),
            location,
            message,
        }
    })
}

/// serde_yaml_ng puts " at line L column C" into its messages; the location is
/// reported separately, so it is removed from the message.
fn strip_location(message: &str) -> String {
    let Some(start) = message.find(" at line ") else {
        return message.to_string();
    };
    let rest = &message[start + " at line ".len()..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
        .unwrap_or(rest.len());
    format!("{}{}", &message[..start], &rest[end..])
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer.push('/');
        let raw = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => "?".to_string(),
        };
        pointer.push_str(&escape_pointer_key(&raw));
    }
    pointer
}
