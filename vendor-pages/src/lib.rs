//! The vendor's documentation as the project reads it: the grammar of its MDX
//! reference pages ([`Page`]), of the cURL examples on them ([`Curl`]) and of
//! the navigation in its `docs.json` ([`Navigation`]).
//!
//! The vendor (Cryptomate) writes its reference as MDX files in a public git
//! repository, published with Mintlify; `openapi/vendor/` holds copies of them,
//! byte for byte. This crate is the one reader of those files: `cargo xtask
//! docs-diff` compares them with the spec, `cargo xtask docs-sync` reads the
//! navigation of a clone, and the root crate's tests send every page's cURL
//! example and decode every response example. Keeping one grammar means the
//! tests and the diff never disagree about what a page says.
//!
//! The grammar never fails and never panics: every line is part of a construct
//! it extracted (each with its 1-based line) or a [`Problem`] naming the line
//! and why it could not be placed. It is not the place for comparing a page
//! with the spec (that is `xtask/src/docs_diff/`), and it reads only the MDX the
//! vendor writes (front matter, `##` sections, Mintlify's field, callout and
//! example components, fenced code, tables), not MDX in general: a general
//! parser would reject a whole page at its first bad line, where this one
//! reports the line and reads on.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod curl;
pub mod mdx;
pub mod nav;

pub use curl::Curl;
pub use mdx::{
    Api, Callout, CodeBlock, Content, Field, FieldType, FrontMatter, Page, ParamIn, Section,
    SectionKind, Table,
};
pub use nav::{NavPage, Navigation, Redirect};

/// A value and the 1-based line of the page it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The 1-based line.
    pub line: usize,
    /// The value.
    pub value: T,
}

impl<T> Located<T> {
    /// A value on a line.
    pub fn new(line: usize, value: T) -> Self {
        Located { line, value }
    }
}

/// A line or construct the grammar could not place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The 1-based line.
    pub line: usize,
    /// The text of the line, trimmed.
    pub text: String,
    /// Why it was not accepted.
    pub reason: String,
}
