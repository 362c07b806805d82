//! JSON pointers: their escaping, and where they stand in a YAML spec, for
//! messages and reports that name a line.
//!
//! `codegen::line_of_pointer` answers one pointer by reading the document from
//! the top; with a finding per operation in a spec of thousands of lines that
//! is quadratic, so the commands ask for all their pointers at once here.

use std::collections::{BTreeSet, HashMap};

/// Escapes a key for a JSON pointer segment (RFC 6901).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The key a JSON pointer segment escapes.
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The lines of JSON pointers in a block-style YAML document, found in one pass:
/// a key line belongs to the nearest less-indented key line above it, sequence
/// items count from 0, and the lines of a block scalar (`>-`, `|`) are text.
/// A pointer into flow style (`[a, b]`) or through an anchor is not found.
pub fn lines_of_pointers(text: &str, pointers: &[&str]) -> HashMap<String, usize> {
    let wanted: BTreeSet<&str> = pointers.iter().copied().collect();
    let mut found: HashMap<String, usize> = HashMap::new();
    // The current pointer, and for each level its indentation, the length of
    // the pointer up to it, and whether it is a sequence item (with its index).
    let mut current = String::new();
    let mut stack: Vec<(usize, usize, Option<usize>)> = Vec::new();
    let mut scalar_above: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        if found.len() == wanted.len() {
            break;
        }
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut indent = line.len() - trimmed.len();
        if let Some(s) = scalar_above {
            if indent > s {
                continue;
            }
            scalar_above = None;
        }
        let mut rest = trimmed;
        if let Some(item) = trimmed.strip_prefix("- ") {
            while let Some(&(d, len, is_item)) = stack.last() {
                if d > indent || (d == indent && is_item.is_none()) {
                    stack.pop();
                    current.truncate(len);
                } else {
                    break;
                }
            }
            let index = match stack.last() {
                Some(&(d, len, Some(n))) if d == indent => {
                    stack.pop();
                    current.truncate(len);
                    n + 1
                }
                _ => 0,
            };
            stack.push((indent, current.len(), Some(index)));
            current.push('/');
            current.push_str(&index.to_string());
            rest = item;
            indent += 2;
        }
        let Some((name, value)) = rest.split_once(':') else {
            continue;
        };
        let name = name.trim().trim_matches(|c| c == '\'' || c == '"');
        while let Some(&(d, len, _)) = stack.last() {
            if d >= indent {
                stack.pop();
                current.truncate(len);
            } else {
                break;
            }
        }
        stack.push((indent, current.len(), None));
        current.push('/');
        current.push_str(&escape(name));
        if wanted.contains(current.as_str()) && !found.contains_key(current.as_str()) {
            found.insert(current.clone(), i + 1);
        }
        let value = value.trim();
        if value.starts_with('>') || value.starts_with('|') {
            scalar_above = Some(indent);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen;

    #[test]
    fn pointer_lines_follow_nesting_and_items() {
        // The spec as it was when these lines were counted, kept as a fixture.
        let text = include_str!("../tests/fixtures/create-client-2026-04-20.yaml");
        let line = |p: &str| lines_of_pointers(text, &[p]).get(p).copied();
        assert_eq!(line("/openapi"), Some(7));
        assert_eq!(line("/servers/1/url"), Some(17));
        assert_eq!(
            line("/paths/~1management~1clients/post/requestBody"),
            Some(37)
        );
        assert_eq!(line("/components/schemas/Client/required"), Some(338));
        // `type` under `properties` is the property, not the `type` of `id`
        // above it.
        assert_eq!(
            line("/components/schemas/Client/properties/type"),
            Some(346)
        );
        assert_eq!(
            line("/components/schemas/Client/properties/type/allOf/0/$ref"),
            Some(349)
        );
        // Many pointers at once give the same lines as one by one.
        let many = [
            "/openapi",
            "/servers/1/url",
            "/components/schemas/Client/required",
        ];
        let all = lines_of_pointers(text, &many);
        for p in many {
            assert_eq!(all.get(p).copied(), line(p), "{p}");
        }
        // Where both can answer, they agree.
        for pointer in [
            "/components/schemas/CreateClientRequest/properties/whatsapp",
            "/components/examples/CreatedClient/value/phone_number",
            "/paths/~1management~1clients/post/description",
        ] {
            assert_eq!(
                line(pointer),
                codegen::line_of_pointer(text, pointer),
                "{pointer}"
            );
        }
    }
}
