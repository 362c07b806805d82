//! `cargo xtask docs-diff`: the spec checked against the vendor's captured
//! reference pages.
//!
//! Each page in `openapi/docs/*.txt` is parsed with a real grammar (`page.rs`),
//! matched to the spec's operation of the same method and path, and compared with
//! it: the operation and its deprecation, the path and query parameters, the
//! request and response fields at every depth (types, formats, required-ness,
//! values written in prose), the authentication and content-type headers of the
//! curl example, the server, and every example tab, validated against the schema
//! of its status with the `jsonschema` crate and compared with the examples the
//! spec embeds. Pages that are not API pages (a guide, the errors page) are
//! recognised and noted. Each difference is a [`Finding`] with a stable kind, a
//! severity, both sides' locations, and a fix. Findings that are intended
//! divergences are listed, with a reason, in the allow file
//! (`openapi/docs-diff-allow.yaml`, see `xtask/DOCS-DIFF.md`).
//!
//! This module is not a general OpenAPI linter (`cargo xtask codegen --check`
//! checks that the spec generates), and it never reads the network: the pages are
//! captures checked into the repository.
//!
//! # Finding kinds
//!
//! Every kind, with its stable id, severity, meaning and fix, is in [`KINDS`];
//! the table in `xtask/DOCS-DIFF.md` is generated from it ([`kinds_table`]) and a
//! test fails when the two differ.

mod allow;
mod compare;
mod output;
pub mod page;
mod spec;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::Failure;

pub use output::{Format, render};

/// The default allow file, relative to the workspace root.
pub const ALLOW_PATH: &str = "openapi/docs-diff-allow.yaml";
/// The folder of captured pages, relative to the workspace root.
pub const PAGES_DIR: &str = "openapi/docs";
/// The version of the JSON output's structure.
pub const JSON_VERSION: u32 = 1;

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
    PageNotApi,
    OperationMissing,
    OperationUndocumented,
    DeprecationMismatch,
    ParameterMissingInSpec,
    ParameterUndocumented,
    FieldMissingInSpec,
    FieldUndocumented,
    TypeMismatch,
    FormatMismatch,
    RequiredMissing,
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
pub const KINDS: [KindInfo; 29] = [
    KindInfo {
        kind: Kind::PageUnparsedLine,
        id: "page-unparsed-line",
        severity: Severity::Error,
        meaning: "A line of the page the grammar cannot classify, or a malformed construct: an example that is not JSON or is cut short, a tab label with no body, a field with no type line or no description, a child field without a parent.",
        fix: "Fix the capture, or extend the grammar (`xtask/src/docs_diff/page.rs`) if the vendor's format changed.",
    },
    KindInfo {
        kind: Kind::PageSectionMissing,
        id: "page-section-missing",
        severity: Severity::Error,
        meaning: "The page lacks a section of the format: the method, the path, the curl example, the first response example, the description, the `Body` list (where the curl example sends a body), the `Response` section, the repeated curl example, the example tabs.",
        fix: "Recapture the whole page from the vendor's site.",
    },
    KindInfo {
        kind: Kind::PageSelfContradiction,
        id: "page-self-contradiction",
        severity: Severity::Error,
        meaning: "The page disagrees with itself: the repeated curl example differs from the first; the first response example is none of the tabs; the curl method or URL differ from the heading; a field or parameter is listed twice; a path parameter is not in the path; an example's value has another type than the list gives (the finding says which side the spec follows).",
        fix: "Report it to the vendor; keep the spec on the list (or the heading) and record the choice in `openapi/DECISIONS.md`.",
    },
    KindInfo {
        kind: Kind::PageNotApi,
        id: "page-not-api",
        severity: Severity::Info,
        meaning: "The page is not an API reference page (no method followed by a path, no field list): a guide or the errors page. It is recognised and skipped.",
        fix: "Nothing to do: its statements about the API are in the API pages (and `openapi/docs/api-facts.md`).",
    },
    KindInfo {
        kind: Kind::OperationMissing,
        id: "operation-missing",
        severity: Severity::Error,
        meaning: "The page documents an operation the spec lacks.",
        fix: "Add the operation under `paths`, written from the page.",
    },
    KindInfo {
        kind: Kind::OperationUndocumented,
        id: "operation-undocumented",
        severity: Severity::Warning,
        meaning: "The spec has an operation no page documents.",
        fix: "Capture its page, or allow the finding with the reason.",
    },
    KindInfo {
        kind: Kind::DeprecationMismatch,
        id: "deprecation-mismatch",
        severity: Severity::Error,
        meaning: "The page has a Deprecated notice and the operation is not `deprecated: true`, or the other way round.",
        fix: "Set (or remove) `deprecated: true` on the operation.",
    },
    KindInfo {
        kind: Kind::ParameterMissingInSpec,
        id: "parameter-missing-in-spec",
        severity: Severity::Error,
        meaning: "The page lists a path or query parameter the operation (or its path item) does not declare.",
        fix: "Add the parameter to the operation's `parameters`, with the page's type and required-ness.",
    },
    KindInfo {
        kind: Kind::ParameterUndocumented,
        id: "parameter-undocumented",
        severity: Severity::Warning,
        meaning: "The spec declares a path or query parameter the page does not list.",
        fix: "Remove it, or allow the finding with the reason it exists.",
    },
    KindInfo {
        kind: Kind::FieldMissingInSpec,
        id: "field-missing-in-spec",
        severity: Severity::Error,
        meaning: "The page lists a field (at any depth) the spec's schema lacks.",
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
        meaning: "The page's type of a field or parameter and the spec's JSON type differ.",
        fix: "Change the spec's `type` (or record the decision and allow the finding).",
    },
    KindInfo {
        kind: Kind::FormatMismatch,
        id: "format-mismatch",
        severity: Severity::Error,
        meaning: "Same JSON type, different format: `integer` is `int32`, `long` is `int64`, a string described as `yyyy-mm-dd` is `format: date`, any other string has no format, unless the page's example shows the field (then the spec may state the format the example has, and the example's validation checks the value).",
        fix: "Change the spec's `format`.",
    },
    KindInfo {
        kind: Kind::RequiredMissing,
        id: "required-missing",
        severity: Severity::Error,
        meaning: "The page marks a field or parameter `required` and the spec does not require it (the parent schema's `required` list, at any depth, or the parameter's `required`).",
        fix: "Add it to the schema's `required` list (or set `required: true` on the parameter).",
    },
    KindInfo {
        kind: Kind::RequiredUndocumented,
        id: "required-undocumented",
        severity: Severity::Warning,
        meaning: "The spec requires a field or parameter the page does not mark `required`.",
        fix: "Drop it from `required`, or allow the finding with the decision that justifies it.",
    },
    KindInfo {
        kind: Kind::EnumMismatch,
        id: "enum-mismatch",
        severity: Severity::Error,
        meaning: "The values a field's description lists (\"Possible values: a, b.\", the whole set; \"(e.g., a, b)\", some of them) disagree with the schema's `enum` or `x-extensible-enum`: a listed value the spec lacks, a spec value a complete list lacks, or no enumeration in the spec where the page gives the whole set.",
        fix: "Make the schema's `enum` (closed) or `x-extensible-enum` (open) hold the page's values.",
    },
    KindInfo {
        kind: Kind::DescriptionDiffers,
        id: "description-differs",
        severity: Severity::Info,
        meaning: "The spec's description and the page's share no text (after normalizing case, spaces and the final period, neither contains the other; for a description of several paragraphs, the first paragraph may stand for the page's).",
        fix: "Use the page's words in the spec's description.",
    },
    KindInfo {
        kind: Kind::AuthHeaderMismatch,
        id: "auth-header-mismatch",
        severity: Severity::Error,
        meaning: "The curl example's authentication headers (all but `Content-Type`, `Accept`, `User-Agent`; names compared case-insensitively, as HTTP does) are not those of one of the spec's security requirements.",
        fix: "Make `components/securitySchemes` (or the operation's `security`) name the page's header.",
    },
    KindInfo {
        kind: Kind::ContentTypeMismatch,
        id: "content-type-mismatch",
        severity: Severity::Error,
        meaning: "The curl example's `Content-Type` is not a media type of the spec's request body (or the spec has no body).",
        fix: "Declare the page's media type under the request body's `content`.",
    },
    KindInfo {
        kind: Kind::ServerMismatch,
        id: "server-mismatch",
        severity: Severity::Error,
        meaning: "The curl example's base URL is not one of the spec's `servers`.",
        fix: "Add the page's base URL to `servers`.",
    },
    KindInfo {
        kind: Kind::StatusUndeclared,
        id: "status-undeclared",
        severity: Severity::Error,
        meaning: "An example tab's status (`404 Not Found`) is not a response the operation declares.",
        fix: "Declare the status under the operation's `responses`, with the schema of the tab's body.",
    },
    KindInfo {
        kind: Kind::StatusUndocumented,
        id: "status-undocumented",
        severity: Severity::Info,
        meaning: "The operation declares a response of its own (not a shared `$ref` to `components/responses`) whose status none of the page's example tabs shows; a success status counts as shown by the older format's unlabelled tab.",
        fix: "Nothing to do when another page documents it; otherwise remove the response, or allow the finding with the reason.",
    },
    KindInfo {
        kind: Kind::ResponseKindMismatch,
        id: "response-kind-mismatch",
        severity: Severity::Error,
        meaning: "A prose-only `Response` section says what the response is (\"Returns an array of ...\", \"Returns ... object\", \"204 No Content ... empty body\") and the spec's success response is something else.",
        fix: "Make the spec's 2xx response the kind the page says.",
    },
    KindInfo {
        kind: Kind::ResponseProseOnly,
        id: "response-prose-only",
        severity: Severity::Info,
        meaning: "The `Response` section is prose only and says nothing this tool can check; the response's fields are compared only through the example tabs.",
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
        meaning: "An example (the page's request, each tab's body against the schema of its status, or the one the spec embeds) is invalid against the spec's schema (jsonschema, Draft 7, formats checked; additional properties are left to `example-extra-key`), or a tab has a body where the spec's response has none.",
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
        kind: Kind::AllowEntryUnused,
        id: "allow-entry-unused",
        severity: Severity::Warning,
        meaning: "An entry of the allow file matches no finding.",
        fix: "Remove the entry: the divergence it allowed is gone.",
    },
];

impl Kind {
    /// Every kind, in the order of the documentation.
    pub const ALL: [Kind; 29] = {
        let mut all = [Kind::PageUnparsedLine; 29];
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

/// One difference between the spec and a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind of difference.
    pub kind: Kind,
    /// `METHOD /path`, or the page's file when the page names no operation.
    pub operation: String,
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

    /// The stable fingerprint the allow file names: the FNV-1a 64-bit hash of
    /// `kind|operation|subject`, as 16 lower-case hex digits. Lines and message
    /// text are left out so that it survives edits elsewhere.
    pub fn fingerprint(&self) -> String {
        fingerprint(self.kind, &self.operation, &self.subject)
    }
}

/// See [`Finding::fingerprint`].
pub fn fingerprint(kind: Kind, operation: &str, subject: &str) -> String {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(format!("{}|{operation}|{subject}", kind.id()).as_bytes());
    format!("{:016x}", hasher.finish())
}

/// The field table of one operation, for the markdown output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRow {
    /// `path` or `query` (a parameter), `request` or `response` (a field).
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

/// The result of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The spec file.
    pub spec: String,
    /// The page files.
    pub pages: Vec<String>,
    /// The allow file, if one was read.
    pub allow: Option<String>,
    /// Every finding, allowed or not, in a stable order.
    pub findings: Vec<Finding>,
    /// The field tables.
    pub operations: Vec<OperationReport>,
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
pub struct Input {
    /// The file name.
    pub file: PathBuf,
    /// Its text.
    pub text: String,
}

impl Input {
    /// Reads a file; failing to is an input error naming it.
    pub fn read(file: &Path) -> Result<Input, Failure> {
        std::fs::read_to_string(file)
            .map(|text| Input {
                file: file.to_path_buf(),
                text,
            })
            .map_err(|e| Failure::Input(format!("{}: cannot read: {e}", file.display())))
    }
}

/// Compares a spec with pages, applying the allow file when given.
pub fn diff(spec: &Input, pages: &[Input], allow: Option<&Input>) -> Result<Report, Failure> {
    let parsed = spec::Spec::parse(&spec.file, &spec.text)?;
    let allow_entries = allow.map(allow::parse).transpose()?;
    let mut findings = Vec::new();
    let mut operations = Vec::new();
    compare::run(&parsed, pages, &mut findings, &mut operations);
    let pointers: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.spec.as_ref()?.pointer.as_deref())
        .collect();
    let lines = spec::lines_of_pointers(&spec.text, &pointers);
    for finding in &mut findings {
        if let Some(location) = &mut finding.spec
            && let Some(pointer) = &location.pointer
        {
            location.line = lines.get(pointer).copied();
        }
    }
    if let (Some(entries), Some(file)) = (&allow_entries, allow) {
        allow::apply(entries, &file.file, &mut findings);
    }
    findings.sort_by(|a, b| {
        (&a.operation, a.kind, &a.subject).cmp(&(&b.operation, b.kind, &b.subject))
    });
    Ok(Report {
        spec: spec.file.display().to_string(),
        pages: pages.iter().map(|p| p.file.display().to_string()).collect(),
        allow: allow.map(|a| a.file.display().to_string()),
        findings,
        operations,
    })
}

/// The command-line options of `docs-diff`.
pub struct Options {
    /// The spec (default: the project's).
    pub spec: Option<PathBuf>,
    /// The pages, or folders of them (default: the folder `openapi/docs`).
    pub docs: Vec<PathBuf>,
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
    let docs = if options.docs.is_empty() {
        vec![crate::project_path(PAGES_DIR)]
    } else {
        options.docs.clone()
    };
    let mut page_paths = Vec::new();
    for path in &docs {
        if path.is_dir() {
            page_paths.extend(pages_in(path)?);
        } else {
            page_paths.push(path.clone());
        }
    }
    let pages = page_paths
        .iter()
        .map(|p| Input::read(p))
        .collect::<Result<Vec<_>, _>>()?;
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
    let report = diff(&spec, &pages, allow.as_ref())?;
    print!("{}", output::render(&report, options.format));
    if report.fails(options.fail_on) {
        Err(Failure::Findings)
    } else {
        Ok(())
    }
}

/// Every `*.txt` capture of a folder, sorted.
fn pages_in(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure::Input(format!("{}: cannot list the pages: {e}", dir.display())))?;
    let mut pages: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    pages.sort();
    if pages.is_empty() {
        return Err(Failure::Input(format!(
            "{}: no captured page (*.txt)",
            dir.display()
        )));
    }
    Ok(pages)
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
