//! JSON pointers for the diffs: their escaping, and where they stand in a
//! YAML spec, for messages and reports that name a line.
//!
//! Both live in `codegen/pointer.rs`, which `build.rs` compiles too, so that a build
//! error and a diff escape pointers alike and name the same line; this module
//! gives them the names the diffs use. `lines_of_pointers` finds all of a
//! command's pointers in one pass: with a finding per operation in a spec of
//! thousands of lines, a lookup per pointer would be quadratic.

pub use crate::codegen::{
    escape_pointer_key as escape, lines_of_pointers, unescape_pointer_segment as unescape,
};

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
        // The lookup of one pointer, as build errors use it, is the same.
        for pointer in [
            "/components/schemas/CreateClientRequest/properties/whatsapp",
            "/components/examples/CreatedClient/value/phone_number",
            "/paths/~1management~1clients/post/description",
        ] {
            assert!(line(pointer).is_some(), "{pointer}");
            assert_eq!(
                line(pointer),
                codegen::line_of_pointer(text, pointer),
                "{pointer}"
            );
        }
    }
}
