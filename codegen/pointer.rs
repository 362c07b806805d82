//! JSON pointers into the spec and the lines they stand on, for located
//! errors. The one escaping of the project: the diffs use it too, through
//! `xtask::pointer_lines`, so that a build error and a diff name the same line.

use std::collections::{BTreeSet, HashMap};

/// Escapes a key for a JSON pointer segment (RFC 6901). The one escaping of
/// the project: the diffs use it through `xtask::pointer_lines`.
pub fn escape_pointer_key(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The key a JSON pointer segment escapes (RFC 6901).
#[allow(
    dead_code,
    reason = "build.rs reads no pointer back; xtask's diffs do, and the two directions stay together"
)]
pub fn unescape_pointer_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The line of a JSON pointer in block-style YAML, by [`lines_of_pointers`].
/// Returns `None` when it cannot be sure (flow style, anchors), in which case
/// the pointer is reported.
pub fn line_of_pointer(text: &str, pointer: &str) -> Option<usize> {
    lines_of_pointers(text, &[pointer]).get(pointer).copied()
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
        current.push_str(&escape_pointer_key(name));
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
