//! `cargo xtask docs-diff`: the spec checked against the vendor's pages.
//!
//! The pages are the vendor's MDX sources, captured byte for byte in
//! `openapi/vendor/` with its navigation (`docs.json`); `vendor-pages` reads
//! them with one grammar. Each API page (front matter with `api: "METHOD
//! /path"`) is matched to the spec's operation of the same method and path and
//! compared with it: the operation and its deprecation, the path, query and
//! header parameters (types, formats, defaults, required-ness, deprecation),
//! the request and response fields at every depth (types, formats,
//! required-ness, values written in prose), the authentication and
//! content-type headers of every cURL example, the server, and every response
//! example, validated against the schema of its status with the `jsonschema`
//! crate (an empty block, a binary body, a bare number included) and compared
//! with the examples the spec embeds. The navigation says which pages the
//! vendor publishes, in which product: a published API page whose operation the
//! spec lacks is a finding, a captured page it does not list is noted, a guide
//! is known by its place in it, and anything else is an error naming the file.
//! Each difference is a [`Finding`] with a stable kind, a severity, both sides'
//! locations, and a fix. Findings that are intended divergences are listed,
//! with a reason, in the allow file (`openapi/docs-diff-allow.yaml`, see
//! `xtask/DOCS-DIFF.md`).
//!
//! This module is not a general OpenAPI linter (`cargo xtask codegen --check`
//! checks that the spec generates), and it never reads the network: the pages are
//! captures checked into the repository (`cargo xtask docs-sync` updates them
//! from a clone of the vendor's repository).
//!
//! # Finding kinds
//!
//! Every kind, with its stable id, severity, meaning and fix, is in [`KINDS`];
//! the table in `xtask/DOCS-DIFF.md` is generated from it ([`kinds_table`]) and a
//! test fails when the two differ.

mod allow;
mod compare;
mod coverage;
mod output;
pub mod prose;
mod spec;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::Failure;

pub use output::{Format, render};

/// The default allow file, relative to the workspace root.
pub const ALLOW_PATH: &str = "openapi/docs-diff-allow.yaml";
/// The folder of captured pages, relative to the workspace root: the vendor's
/// repository's paths, `docs.json` at its root.
pub const CAPTURES_DIR: &str = "openapi/vendor";
/// The navigation's file in a capture folder (and in the vendor's repository).
pub const NAV_FILE: &str = "docs.json";
/// The version of the JSON output's structure.
pub const JSON_VERSION: u32 = 2;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; never a reason to change anything by itself.
    Info,
    /// Probably worth a change or an allow entry.
    Warning,
    /// The spec and the page disagree: the client is wrong for someone.
    Error,
}

impl Severity {
    /// The lower-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The kinds of finding; their ids are stable. Each one's id, severity, meaning
/// and fix are in [`KINDS`], in the order of this enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(
    missing_docs,
    reason = "each kind is documented in the table of finding kinds"
)]
pub enum Kind {
    PageUnparsedLine,
    PageSectionMissing,
    PageSelfContradiction,
    PageUnrecognized,
    PageNotApi,
    PageOutsideNavigation,
    PageNotCaptured,
    OperationMissing,
    OperationUndocumented,
    DeprecationMismatch,
    ParameterMissingInSpec,
    ParameterUndocumented,
    FieldMissingInSpec,
    FieldUndocumented,
    TypeMismatch,
    FormatMismatch,
    DefaultMismatch,
    RequiredMissing,
    RequiredStricter,
    RequiredUndocumented,
    EnumMismatch,
    DescriptionDiffers,
    AuthHeaderMismatch,
    ContentTypeMismatch,
    ServerMismatch,
    StatusUndeclared,
    StatusUndocumented,
    ResponseKindMismatch,
    ResponseProseOnly,
    ExampleMissing,
    ExampleInvalid,
    ExampleExtraKey,
    ExampleDiffers,
    WebhookEventMissing,
    WebhookEventUndocumented,
    AllowEntryUnused,
}

/// What the documentation says of a kind; [`KINDS`] holds one per kind.
#[derive(Debug, Clone, Copy)]
pub struct KindInfo {
    /// The kind.
    pub kind: Kind,
    /// The stable kebab-case id.
    pub id: &'static str,
    /// The severity of every finding of the kind.
    pub severity: Severity,
    /// What a finding of the kind means.
    pub meaning: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

/// Every kind, in the order of [`Kind`]: the one source of the table in
/// `xtask/DOCS-DIFF.md` (see [`kinds_table`]).
pub const KINDS: [KindInfo; 36] = [
    KindInfo {
        kind: Kind::PageUnparsedLine,
        id: "page-unparsed-line",
        severity: Severity::Error,
        meaning: "A line of a page the MDX grammar cannot place, or a malformed construct: an unknown component or attribute, a field type that is not the vendor's, a field outside the section of its kind, prose inside an example, a response example whose label names no status, JSON that does not parse, a cURL command that cannot be sent as written, a component or code block left open (a page cut short).",
        fix: "Fix the capture (recapture it with `cargo xtask docs-sync`), or extend the grammar (`vendor-pages/src/mdx.rs`) if the vendor's format changed.",
    },
    KindInfo {
        kind: Kind::PageSectionMissing,
        id: "page-section-missing",
        severity: Severity::Error,
        meaning: "An API page lacks a part of the format: the cURL example, the response examples, the `## Body` section where the cURL example sends a body, the `## Path parameters` section where the `api:` path has templates.",
        fix: "Recapture the page with `cargo xtask docs-sync`.",
    },
    KindInfo {
        kind: Kind::PageSelfContradiction,
        id: "page-self-contradiction",
        severity: Severity::Error,
        meaning: "The page disagrees with itself: a cURL example's method or URL differ from the `api:` line; the URL sends a query parameter the page does not list; a field or parameter is listed twice; a path parameter is not a template of the path; an example's value has another type than the field list gives (the finding says which side the spec follows).",
        fix: "Report it to the vendor; keep the spec on the field list (or the `api:` line) and record the choice in `openapi/DECISIONS.md`.",
    },
    KindInfo {
        kind: Kind::PageUnrecognized,
        id: "page-unrecognized",
        severity: Severity::Error,
        meaning: "A capture that is neither an API page (front matter with `api:`) nor a guide of the navigation (a page of the Guides tab, or one listed directly under an anchor): a file without MDX front matter (a saved error page), a page without `api:` that the navigation does not list as a guide, or a `docs.json` that is not the vendor's navigation.",
        fix: "Recapture the file with `cargo xtask docs-sync`; the finding says what was expected.",
    },
    KindInfo {
        kind: Kind::PageNotApi,
        id: "page-not-api",
        severity: Severity::Info,
        meaning: "A guide of the navigation (a page without `api:` in the Guides tab, or listed directly under an anchor): its structure is read (a problem in it is a `page-unparsed-line`), it is not compared with the spec.",
        fix: "Nothing to do: its statements about the API are in the API pages (and `openapi/api-facts.md`).",
    },
    KindInfo {
        kind: Kind::PageOutsideNavigation,
        id: "page-outside-navigation",
        severity: Severity::Info,
        meaning: "A captured API page the vendor's current navigation does not list (hidden, for a feature \"not yet enabled\", or redirected): it is still compared with the spec when the spec has its operation.",
        fix: "Nothing to do while the spec follows the page; when the vendor removes the feature, deprecate or remove the operation.",
    },
    KindInfo {
        kind: Kind::PageNotCaptured,
        id: "page-not-captured",
        severity: Severity::Error,
        meaning: "A page of the vendor's navigation has no capture in `openapi/vendor/`.",
        fix: "Run `cargo xtask docs-sync`; where no source of the page exists, record it under `absent` in `openapi/vendor-manifest.yaml` and allow the finding with that reason.",
    },
    KindInfo {
        kind: Kind::OperationMissing,
        id: "operation-missing",
        severity: Severity::Error,
        meaning: "An API page of the vendor's navigation documents an operation the spec lacks.",
        fix: "Add the operation under `paths`, written from the page (or allow the finding with the issue that will).",
    },
    KindInfo {
        kind: Kind::OperationUndocumented,
        id: "operation-undocumented",
        severity: Severity::Warning,
        meaning: "The spec has an operation no captured page documents.",
        fix: "Capture its page, or allow the finding with the reason.",
    },
    KindInfo {
        kind: Kind::DeprecationMismatch,
        id: "deprecation-mismatch",
        severity: Severity::Error,
        meaning: "The page, a parameter or a field is deprecated (the Deprecated banner in either wording, `deprecated: true` in the front matter, the `deprecated` attribute) and the spec's operation, parameter or property is not `deprecated: true`, or the other way round.",
        fix: "Set (or remove) `deprecated: true` in the spec.",
    },
    KindInfo {
        kind: Kind::ParameterMissingInSpec,
        id: "parameter-missing-in-spec",
        severity: Severity::Error,
        meaning: "The page lists a path, query or header parameter the operation (or its path item) does not declare.",
        fix: "Add the parameter to the operation's `parameters`, with the page's type and required-ness.",
    },
    KindInfo {
        kind: Kind::ParameterUndocumented,
        id: "parameter-undocumented",
        severity: Severity::Warning,
        meaning: "The spec declares a path, query or header parameter the page does not list.",
        fix: "Remove it, or allow the finding with the reason it exists.",
    },
    KindInfo {
        kind: Kind::FieldMissingInSpec,
        id: "field-missing-in-spec",
        severity: Severity::Error,
        meaning: "The page lists a field (at any depth, nested through `<Expandable>` or named in prose) the spec's schema lacks.",
        fix: "Add the property to the schema, with the page's type.",
    },
    KindInfo {
        kind: Kind::FieldUndocumented,
        id: "field-undocumented",
        severity: Severity::Warning,
        meaning: "The spec's schema has a field the page does not list (nested fields only when the page lists their parent's fields).",
        fix: "Remove the property, or allow the finding with the reason it exists.",
    },
    KindInfo {
        kind: Kind::TypeMismatch,
        id: "type-mismatch",
        severity: Severity::Error,
        meaning: "The page's type of a field or parameter and the spec's JSON type differ (for `T[]`, the items' type too).",
        fix: "Change the spec's `type` (or record the decision and allow the finding).",
    },
    KindInfo {
        kind: Kind::FormatMismatch,
        id: "format-mismatch",
        severity: Severity::Error,
        meaning: "Same JSON type, different format: `integer` is `int32`, `long` is `int64`, a `number` has no format or `format: decimal` (an amount read as an exact decimal), a string described as `yyyy-mm-dd` is `format: date`, any other string has no format, unless the page's example shows the field (then the spec may state the format the example has, and the example's validation checks the value).",
        fix: "Change the spec's `format`.",
    },
    KindInfo {
        kind: Kind::DefaultMismatch,
        id: "default-mismatch",
        severity: Severity::Error,
        meaning: "The page's `default` of a parameter or field and the spec schema's `default` differ, or one side has none.",
        fix: "Set the schema's `default` to the page's.",
    },
    KindInfo {
        kind: Kind::RequiredMissing,
        id: "required-missing",
        severity: Severity::Error,
        meaning: "The page marks a field or parameter `required` and the spec does not require it (the parent schema's `required` list, at any depth, or the parameter's `required`).",
        fix: "Add it to the schema's `required` list (or set `required: true` on the parameter).",
    },
    KindInfo {
        kind: Kind::RequiredStricter,
        id: "required-stricter",
        severity: Severity::Error,
        meaning: "The spec requires a request field or a parameter the page does not mark `required`: the generated builder refuses requests the API accepts.",
        fix: "Drop it from `required` (or set `required: false`); a decision that keeps it needs an allow entry naming it.",
    },
    KindInfo {
        kind: Kind::RequiredUndocumented,
        id: "required-undocumented",
        severity: Severity::Warning,
        meaning: "The spec requires a response field the page does not mark `required`: a response without it fails to decode.",
        fix: "Drop it from `required`, or allow the finding with the decision that justifies it (D2).",
    },
    KindInfo {
        kind: Kind::EnumMismatch,
        id: "enum-mismatch",
        severity: Severity::Error,
        meaning: "The values a field's description lists (\"Possible values: `a`, `b`.\", the whole set; \"(e.g., `a`, `b`)\", some of them) disagree with the schema's `enum` or `x-extensible-enum`: a listed value the spec lacks, a spec value a complete list lacks, or no enumeration in the spec where the page gives the whole set.",
        fix: "Make the schema's `enum` (closed) or `x-extensible-enum` (open) hold the page's values.",
    },
    KindInfo {
        kind: Kind::DescriptionDiffers,
        id: "description-differs",
        severity: Severity::Info,
        meaning: "The spec's description and the page's share no text (as plain text, after normalizing case, spaces and the final period, neither contains the other; for a description of several paragraphs, the first paragraph may stand for the page's).",
        fix: "Use the page's words in the spec's description.",
    },
    KindInfo {
        kind: Kind::AuthHeaderMismatch,
        id: "auth-header-mismatch",
        severity: Severity::Error,
        meaning: "The cURL example's authentication headers (all but `Content-Type`, `Accept`, `User-Agent` and the header parameters either side declares; names compared case-insensitively, as HTTP does) are not those of one of the spec's security requirements.",
        fix: "Make `components/securitySchemes` (or the operation's `security`) name the page's header.",
    },
    KindInfo {
        kind: Kind::ContentTypeMismatch,
        id: "content-type-mismatch",
        severity: Severity::Error,
        meaning: "The cURL example's `Content-Type` is not a media type of the spec's request body (or the spec has no body).",
        fix: "Declare the page's media type under the request body's `content`.",
    },
    KindInfo {
        kind: Kind::ServerMismatch,
        id: "server-mismatch",
        severity: Severity::Error,
        meaning: "The cURL example's base URL is not one of the spec's `servers`.",
        fix: "Add the page's base URL to `servers`.",
    },
    KindInfo {
        kind: Kind::StatusUndeclared,
        id: "status-undeclared",
        severity: Severity::Error,
        meaning: "A response example's status (```` ```json 404 Not Found ````), or a status of the `## Errors` section, is not a response the operation declares.",
        fix: "Declare the status under the operation's `responses`, with the schema of the example's body.",
    },
    KindInfo {
        kind: Kind::StatusUndocumented,
        id: "status-undocumented",
        severity: Severity::Info,
        meaning: "The operation declares a response of its own (not a shared `$ref` to `components/responses`) whose status no response example, `## Errors` entry or `Response` prose of the page shows.",
        fix: "Nothing to do when another page documents it; otherwise remove the response, or allow the finding with the reason.",
    },
    KindInfo {
        kind: Kind::ResponseKindMismatch,
        id: "response-kind-mismatch",
        severity: Severity::Error,
        meaning: "What the page says a response is differs from the spec's content for that status: the prose (\"Returns an array of ...\", \"Returns ... object\", \"204 No Content\"), a `name=\"[]\"` field (an array), an empty example block (no body), a `text` block (a binary body such as a PDF), or a JSON block where the spec declares no content.",
        fix: "Make the spec's response the kind the page says (a schema of that type, no `content`, or a binary media type).",
    },
    KindInfo {
        kind: Kind::ResponseProseOnly,
        id: "response-prose-only",
        severity: Severity::Info,
        meaning: "The `Response` section lists no field and its prose says nothing this tool can check; the response's fields are compared only through the examples.",
        fix: "Nothing to do; the examples are still validated.",
    },
    KindInfo {
        kind: Kind::ExampleMissing,
        id: "example-missing",
        severity: Severity::Warning,
        meaning: "The spec embeds no example where the page has one (looked up as `examples/documented`, then `example`, then the first of `examples`).",
        fix: "Copy the page's example under `examples: documented: value:`.",
    },
    KindInfo {
        kind: Kind::ExampleInvalid,
        id: "example-invalid",
        severity: Severity::Error,
        meaning: "An example (each cURL example's body, each response example's body against the schema of its status, or the one the spec embeds) is invalid against the spec's schema (jsonschema, Draft 7, formats checked; additional properties are left to `example-extra-key`).",
        fix: "Fix the spec's schema (the page's example is the vendor's word), or the embedded example.",
    },
    KindInfo {
        kind: Kind::ExampleExtraKey,
        id: "example-extra-key",
        severity: Severity::Error,
        meaning: "An example carries a key its schema has no property for, even where the schema is open.",
        fix: "Add the property to the schema.",
    },
    KindInfo {
        kind: Kind::ExampleDiffers,
        id: "example-differs",
        severity: Severity::Error,
        meaning: "The example the spec embeds differs from the page's.",
        fix: "Copy the page's example into the spec.",
    },
    KindInfo {
        kind: Kind::WebhookEventMissing,
        id: "webhook-event-missing",
        severity: Severity::Error,
        meaning: "The webhooks page documents an event (a catalog heading `` #### `event_type` — … `` under the product's \"Emitted with `product: …`\", or an example's `product` and `event_type`) that no schema of the spec lists in its `x-webhook` events: the event is read as `WebhookData::Unknown`.",
        fix: "List the event in the `x-webhook` events of the schema of its `data` (a new schema for a new shape), naming the page's example (D-W1).",
    },
    KindInfo {
        kind: Kind::WebhookEventUndocumented,
        id: "webhook-event-undocumented",
        severity: Severity::Warning,
        meaning: "A schema's `x-webhook` lists an event the page it names does not document.",
        fix: "Remove the event, or allow the finding with the reason it exists.",
    },
    KindInfo {
        kind: Kind::AllowEntryUnused,
        id: "allow-entry-unused",
        severity: Severity::Warning,
        meaning: "An entry of the allow file matches no finding.",
        fix: "Remove the entry: the divergence it allowed is gone (an operation was added, a page fixed).",
    },
];

impl Kind {
    /// Every kind, in the order of the documentation.
    pub const ALL: [Kind; 36] = {
        let mut all = [Kind::PageUnparsedLine; 36];
        let mut i = 0;
        while i < KINDS.len() {
            all[i] = KINDS[i].kind;
            i += 1;
        }
        all
    };

    /// The kind's row of [`KINDS`].
    pub fn info(self) -> &'static KindInfo {
        // `KINDS` lists the kinds in the enum's order; a unit test holds it.
        &KINDS[self as usize]
    }

    /// The stable kebab-case id.
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The severity of every finding of this kind.
    pub fn severity(self) -> Severity {
        self.info().severity
    }
}

/// The markdown table of the finding kinds, as `xtask/DOCS-DIFF.md` holds it
/// between its `kinds` markers.
pub fn kinds_table() -> String {
    let mut out = String::from("| id | severity | meaning | fix |\n| --- | --- | --- | --- |\n");
    for k in &KINDS {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            k.id,
            k.severity.as_str(),
            k.meaning,
            k.fix
        ));
    }
    out
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A place in one of the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as messages name it.
    pub file: String,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// The JSON pointer into the spec, for spec locations.
    pub pointer: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.pointer) {
            (Some(line), Some(pointer)) => write!(f, "{}:{line} ({pointer})", self.file),
            (Some(line), None) => write!(f, "{}:{line}", self.file),
            (None, Some(pointer)) => write!(f, "{} at {pointer}", self.file),
            (None, None) => write!(f, "{}", self.file),
        }
    }
}

/// One difference between the spec and a page (or the navigation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind of difference.
    pub kind: Kind,
    /// `METHOD /path`, or the page's vendor path when the page names no
    /// operation.
    pub operation: String,
    /// The page's path in the vendor's repository
    /// (`api-reference/cards/virtual-cards/create-card.mdx`), when the finding
    /// is about a page.
    pub capture: Option<String>,
    /// The product (the navigation's anchor, kebab case), when known.
    pub product: Option<String>,
    /// What the finding is about, stable across edits that move lines (a field
    /// path such as `request.address.city`, or a page line's text).
    pub subject: String,
    /// One sentence.
    pub message: String,
    /// Where on the page.
    pub page: Option<Location>,
    /// Where in the spec (or the allow file, for `allow-entry-unused`).
    pub spec: Option<Location>,
    /// What the page says, when it says something.
    pub page_says: Option<String>,
    /// What the spec says, when it says something.
    pub spec_says: Option<String>,
    /// How to fix it.
    pub fix: String,
    /// The reason of the allow entry that accepts it, if one does.
    pub allowed: Option<String>,
}

impl Finding {
    /// The finding's severity (its kind's).
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    /// The stable fingerprint the allow file may name: the FNV-1a 64-bit hash of
    /// `kind|capture|operation|subject`, as 16 lower-case hex digits. Lines and
    /// message text are left out so that it survives edits elsewhere.
    pub fn fingerprint(&self) -> String {
        fingerprint(
            self.kind,
            self.capture.as_deref().unwrap_or(""),
            &self.operation,
            &self.subject,
        )
    }
}

/// See [`Finding::fingerprint`].
pub fn fingerprint(kind: Kind, capture: &str, operation: &str, subject: &str) -> String {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(format!("{}|{capture}|{operation}|{subject}", kind.id()).as_bytes());
    format!("{:016x}", hasher.finish())
}

/// The field table of one operation, for the markdown output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRow {
    /// `path`, `query` or `header` (a parameter), `request` or `response` (a
    /// field).
    pub side: &'static str,
    /// The field path (`address.city`).
    pub field: String,
    /// The page's type, or `-` when the page does not list it.
    pub page: String,
    /// The spec's type, or `-` when the spec lacks it.
    pub spec: String,
    /// `ok`, or the ids of the findings about the field.
    pub status: String,
}

/// What the diff of one operation compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationReport {
    /// `METHOD /path`.
    pub operation: String,
    /// The page file.
    pub page: String,
    /// One row per field of either side.
    pub fields: Vec<FieldRow>,
}

/// How much of a product's published API the spec has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The product (the navigation's anchor, kebab case).
    pub product: String,
    /// The API pages of the navigation in the product.
    pub pages: usize,
    /// Those whose operation the spec has.
    pub in_spec: usize,
    /// Those without a capture.
    pub not_captured: usize,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The spec file.
    pub spec: String,
    /// The page files read, the navigation's first.
    pub pages: Vec<String>,
    /// How many of them are API pages.
    pub api_pages: usize,
    /// How many are guides.
    pub guides: usize,
    /// The allow file, if one was read.
    pub allow: Option<String>,
    /// The products the run was limited to (none: every product).
    pub products: Vec<String>,
    /// Every finding, allowed or not, in a stable order.
    pub findings: Vec<Finding>,
    /// The field tables.
    pub operations: Vec<OperationReport>,
    /// The coverage of each product of the navigation.
    pub coverage: Vec<Coverage>,
}

impl Report {
    /// The findings no allow entry accepts.
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.allowed.is_none())
    }

    /// Whether a finding not allowed reaches `threshold` (`None`: never fails).
    pub fn fails(&self, threshold: Option<Severity>) -> bool {
        threshold.is_some_and(|t| self.active().any(|f| f.severity() >= t))
    }
}

/// An input as text, with the name messages give it.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file name.
    pub file: PathBuf,
    /// Its text.
    pub text: String,
}

impl Input {
    /// Reads a file; failing to is an input error naming it. A file that is
    /// not UTF-8 is read lossily: its content is the diff's to judge.
    pub fn read(file: &Path) -> Result<Input, Failure> {
        std::fs::read(file)
            .map(|bytes| Input {
                file: file.to_path_buf(),
                text: String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            })
            .map_err(|e| Failure::Input(format!("{}: cannot read: {e}", file.display())))
    }
}

/// A captured page: its path in the vendor's repository and its text.
#[derive(Debug, Clone)]
pub struct Capture {
    /// The path in the vendor's repository (`api-reference/x/y.mdx`).
    pub path: String,
    /// The file and its text.
    pub input: Input,
}

/// What the diff reads of the vendor: its navigation and its pages.
#[derive(Debug, Clone, Default)]
pub struct Captures {
    /// The navigation (`docs.json`), when there is one.
    pub nav: Option<Input>,
    /// The pages.
    pub pages: Vec<Capture>,
    /// The products the run is limited to (empty: every product).
    pub products: Vec<String>,
    /// Whether the pages are some files rather than a whole capture folder:
    /// then only they are judged (no page is missing, no operation
    /// undocumented, no allow entry of another page unused).
    pub partial: bool,
}

impl Captures {
    /// Reads a capture folder: `docs.json` at its root and every `*.mdx` under
    /// it, at their paths relative to it.
    pub fn read_dir(root: &Path) -> Result<Captures, Failure> {
        let mut files = Vec::new();
        collect_pages(root, &mut files)?;
        files.sort();
        if files.is_empty() {
            return Err(Failure::Input(format!(
                "{}: no captured page (*.mdx)",
                root.display()
            )));
        }
        let mut pages = Vec::new();
        for file in files {
            let path = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            pages.push(Capture {
                path,
                input: Input::read(&file)?,
            });
        }
        let nav_file = root.join(NAV_FILE);
        let nav = if nav_file.exists() {
            Some(Input::read(&nav_file)?)
        } else {
            None
        };
        Ok(Captures {
            nav,
            pages,
            products: Vec::new(),
            partial: false,
        })
    }
}

/// Every `*.mdx` under a folder.
fn collect_pages(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure::Input(format!("{}: cannot list the pages: {e}", dir.display())))?;
    for entry in entries {
        let path = entry
            .map_err(|e| Failure::Input(format!("{}: cannot list the pages: {e}", dir.display())))?
            .path();
        if path.is_dir() {
            collect_pages(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "mdx") {
            out.push(path);
        }
    }
    Ok(())
}

/// Compares a spec with the captures, applying the allow file when given.
pub fn diff(spec: &Input, captures: &Captures, allow: Option<&Input>) -> Result<Report, Failure> {
    let parsed = spec::Spec::parse(&spec.file, &spec.text)?;
    let allow_entries = allow.map(allow::parse).transpose()?;
    let mut run = coverage::run(&parsed, captures);
    let pointers: Vec<&str> = run
        .findings
        .iter()
        .filter_map(|f| f.spec.as_ref()?.pointer.as_deref())
        .collect();
    let lines = spec::lines_of_pointers(&spec.text, &pointers);
    for finding in &mut run.findings {
        if let Some(location) = &mut finding.spec
            && let Some(pointer) = &location.pointer
        {
            location.line = lines.get(pointer).copied();
        }
    }
    if let (Some(entries), Some(file)) = (&allow_entries, allow) {
        allow::apply(entries, &file.file, &run.scope, &mut run.findings);
    }
    run.findings.sort_by(|a, b| {
        (&a.operation, a.kind, &a.subject, &a.capture).cmp(&(
            &b.operation,
            b.kind,
            &b.subject,
            &b.capture,
        ))
    });
    let mut pages: Vec<String> = captures
        .nav
        .iter()
        .map(|n| n.file.display().to_string())
        .collect();
    pages.extend(run.read.iter().cloned());
    Ok(Report {
        spec: spec.file.display().to_string(),
        pages,
        api_pages: run.api_pages,
        guides: run.guides,
        allow: allow.map(|a| a.file.display().to_string()),
        products: captures.products.clone(),
        findings: run.findings,
        operations: run.operations,
        coverage: run.coverage,
    })
}

/// The command-line options of `docs-diff`.
pub struct Options {
    /// The spec (default: the project's).
    pub spec: Option<PathBuf>,
    /// A capture folder, or page files (default: `openapi/vendor`).
    pub docs: Vec<PathBuf>,
    /// The products to limit the run to (default: all).
    pub products: Vec<String>,
    /// The allow file (default: `openapi/docs-diff-allow.yaml`, when it exists).
    pub allow: Option<PathBuf>,
    /// Whether to ignore the allow file.
    pub no_allow: bool,
    /// The output format.
    pub format: Format,
    /// The lowest severity that fails the command (`None`: never).
    pub fail_on: Option<Severity>,
}

/// Runs the command: reads the inputs, diffs, prints the report in the chosen
/// format on standard output, and fails with [`Failure::Findings`] when a finding
/// not allowed reaches the threshold.
pub fn run(options: &Options) -> Result<(), Failure> {
    let spec_path = options
        .spec
        .clone()
        .unwrap_or_else(|| crate::project_path(crate::codegen::SPEC_PATH));
    let spec = Input::read(&spec_path)?;
    let captures = read_captures(&options.docs, &options.products)?;
    let allow = match (&options.allow, options.no_allow) {
        (_, true) => None,
        (Some(path), false) => Some(Input::read(path)?),
        (None, false) => {
            let path = crate::project_path(ALLOW_PATH);
            if path.exists() {
                Some(Input::read(&path)?)
            } else {
                None
            }
        }
    };
    let report = diff(&spec, &captures, allow.as_ref())?;
    print!("{}", output::render(&report, options.format));
    if report.fails(options.fail_on) {
        Err(Failure::Findings)
    } else {
        Ok(())
    }
}

/// The captures of `--docs`: a folder is a capture root (its `docs.json` the
/// navigation); a file is one page, at its path under the project's capture
/// folder when it is in it (the project's navigation then applies), else under
/// its file name.
pub fn read_captures(docs: &[PathBuf], products: &[String]) -> Result<Captures, Failure> {
    let default_root = crate::project_path(CAPTURES_DIR);
    let docs = if docs.is_empty() {
        vec![default_root.clone()]
    } else {
        docs.to_vec()
    };
    let mut captures = Captures::default();
    for path in &docs {
        if path.is_dir() {
            let mut more = Captures::read_dir(path)?;
            if captures.nav.is_none() {
                captures.nav = more.nav.take();
            }
            captures.pages.append(&mut more.pages);
        } else {
            let input = Input::read(path)?;
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            let root = std::path::absolute(&default_root).unwrap_or_else(|_| default_root.clone());
            let vendor = match absolute.strip_prefix(&root) {
                Ok(relative) => {
                    if captures.nav.is_none() && root.join(NAV_FILE).exists() {
                        captures.nav = Some(Input::read(&default_root.join(NAV_FILE))?);
                    }
                    relative.to_string_lossy().replace('\\', "/")
                }
                Err(_) => path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            };
            captures.pages.push(Capture {
                path: vendor,
                input,
            });
            captures.partial = true;
        }
    }
    captures.products = products.to_vec();
    Ok(captures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_listed_in_the_enums_order() {
        for (i, info) in KINDS.iter().enumerate() {
            assert_eq!(
                info.kind as usize, i,
                "{} is out of place in KINDS",
                info.id
            );
        }
        let ids: std::collections::BTreeSet<&str> = KINDS.iter().map(|k| k.id).collect();
        assert_eq!(ids.len(), KINDS.len(), "ids are unique");
    }
}
