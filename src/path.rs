//! The path segments of the generated operations: each path parameter goes
//! into its URL through [`segment`] (`codegen/rewrite/path_segments.rs`).
//!
//! progenitor percent-encodes `/` and `%` but passes `.`, `..`, `\` and the
//! empty string, each of which would send the request to another path (`..`
//! is normalised away by the URL parser, `\` counts as `/` in `http` URLs,
//! an empty segment names another route). The checked ids refuse those values
//! when they are made; this refuses them for every path parameter, an open
//! enum's `Other` among them (D16 in `openapi/DECISIONS.md`), before anything
//! is sent.

use crate::ids::{IdError, check_segment};

/// The value as one percent-encoded path segment, or why it cannot be one;
/// `kind` names the parameter ("the path parameter `blockchain`"), and the
/// error never the value.
pub(crate) fn segment(kind: &'static str, value: &str) -> Result<String, IdError> {
    check_segment(kind, value)?;
    Ok(progenitor_client::encode_path(value))
}

#[cfg(test)]
mod tests {
    use super::segment;

    #[test]
    fn values_that_would_leave_the_segment_are_refused_naming_the_parameter() {
        for value in ["", ".", "..", "a/b", "a\\b"] {
            let err = segment("the path parameter `blockchain`", value)
                .expect_err(value)
                .to_string();
            assert!(
                err.starts_with("the path parameter `blockchain` must not"),
                "{err}"
            );
        }
    }

    #[test]
    fn other_values_are_percent_encoded_as_progenitor_does() {
        for value in ["POLYGON", "a b", "50%", "é", "...", ".a", "a?b#c"] {
            assert_eq!(
                segment("x", value).expect(value),
                progenitor_client::encode_path(value)
            );
        }
    }
}
