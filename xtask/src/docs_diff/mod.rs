//! `cargo xtask docs-diff`: the spec checked against the vendor's captured
//! reference pages.
//!
//! Each page in `openapi/docs/*.txt` is parsed with a real grammar (`page.rs`), matched
//! to the spec's operation of the same method and path, and compared with it: the
//! operation, the request and response fields (including the nested fields the
//! page describes in prose), their types and formats, the authentication and
//! content-type headers of the curl example, the server, and the examples, which
//! are validated against the spec's schemas with the `jsonschema` crate and compared
//! with the examples the spec embeds. Each difference is a [`Finding`] with a
//! stable kind, a severity, both sides' locations, and a fix. Findings that are
//! intended divergences are listed, with a reason, in the allow file
//! (`openapi/docs-diff-allow.yaml`, see `xtask/DOCS-DIFF.md`).
//!
//! This module is not a general OpenAPI linter (`cargo xtask codegen --check`
//! checks that the spec generates), and it never reads the network: the pages are
//! captures checked into the repository.
//!
//! # Finding kinds
//!
//! | id | severity | meaning | fix |
//! | --- | --- | --- | --- |
//! | `page-unparsed-line` | error | A line of the page the grammar cannot classify, or a malformed example. | Fix the capture, or extend the grammar if the vendor's format changed. |
//! | `page-section-missing` | error | The page lacks a section of the format (method, path, curl example, response example, description, `Body`, `Response`, the repeated examples). | Recapture the whole page. |
//! | `page-self-contradiction` | error | The page disagrees with itself: the repeated examples differ from the first, the curl method or URL differ from the heading, a field is listed twice. | Report it to the vendor; follow the first example and note the choice in `openapi/DECISIONS.md`. |
//! | `operation-missing` | error | The page documents an operation the spec lacks. | Add the operation to the spec. |
//! | `operation-undocumented` | warning | The spec has an operation no page documents. | Capture its page, or allow it with the reason. |
//! | `field-missing-in-spec` | error | The page lists a field the spec's schema lacks. | Add the property to the schema. |
//! | `field-undocumented` | warning | The spec's schema has a field the page does not list. | Remove it, or allow it with the reason. |
//! | `type-mismatch` | error | The page's type and the spec's JSON type differ. | Change the spec's `type` (or record the decision and allow it). |
//! | `format-mismatch` | error | Same JSON type, different format: `integer` is `int32`, `long` is `int64`, a string described as `yyyy-mm-dd` is `format: date`. | Change the spec's `format`. |
//! | `required-undocumented` | warning | The spec requires a field the page does not mark required. | Drop it from `required`, or allow it with the decision that justifies it. |
//! | `description-differs` | info | The spec's description and the page's share no text (neither contains the other). | Align the spec's description with the page. |
//! | `auth-header-mismatch` | error | The curl example's authentication headers differ from the spec's security schemes. | Fix `components/securitySchemes` or the operation's `security`. |
//! | `content-type-mismatch` | error | The curl example's `Content-Type` is not a media type of the spec's request body. | Fix the request body's `content`. |
//! | `server-mismatch` | error | The curl example's base URL is not one of the spec's `servers`. | Fix `servers`. |
//! | `example-missing` | warning | The spec embeds no `documented` example where the page has one. | Add the page's example under `examples/documented`. |
//! | `example-invalid` | error | An example (the page's, or the one the spec embeds) is invalid against the spec's schema. | Fix the schema (the page is the vendor's word) or the embedded example. |
//! | `example-extra-key` | error | An example carries a key its schema has no property for, even where the schema is open. | Add the property to the schema. |
//! | `example-differs` | error | The example the spec embeds differs from the page's. | Copy the page's example into the spec. |
//! | `allow-entry-unused` | warning | An entry of the allow file matches no finding. | Remove the entry: the divergence it allowed is gone. |

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

/// The kinds of finding; their ids are stable (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(
    missing_docs,
    reason = "each kind is documented in the table of finding kinds"
)]
pub enum Kind {
    PageUnparsedLine,
    PageSectionMissing,
    PageSelfContradiction,
    OperationMissing,
    OperationUndocumented,
    FieldMissingInSpec,
    FieldUndocumented,
    TypeMismatch,
    FormatMismatch,
    RequiredUndocumented,
    DescriptionDiffers,
    AuthHeaderMismatch,
    ContentTypeMismatch,
    ServerMismatch,
    ExampleMissing,
    ExampleInvalid,
    ExampleExtraKey,
    ExampleDiffers,
    AllowEntryUnused,
}

impl Kind {
    /// Every kind, in the order of the documentation.
    pub const ALL: [Kind; 19] = [
        Kind::PageUnparsedLine,
        Kind::PageSectionMissing,
        Kind::PageSelfContradiction,
        Kind::OperationMissing,
        Kind::OperationUndocumented,
        Kind::FieldMissingInSpec,
        Kind::FieldUndocumented,
        Kind::TypeMismatch,
        Kind::FormatMismatch,
        Kind::RequiredUndocumented,
        Kind::DescriptionDiffers,
        Kind::AuthHeaderMismatch,
        Kind::ContentTypeMismatch,
        Kind::ServerMismatch,
        Kind::ExampleMissing,
        Kind::ExampleInvalid,
        Kind::ExampleExtraKey,
        Kind::ExampleDiffers,
        Kind::AllowEntryUnused,
    ];

    /// The stable kebab-case id.
    pub fn id(self) -> &'static str {
        match self {
            Kind::PageUnparsedLine => "page-unparsed-line",
            Kind::PageSectionMissing => "page-section-missing",
            Kind::PageSelfContradiction => "page-self-contradiction",
            Kind::OperationMissing => "operation-missing",
            Kind::OperationUndocumented => "operation-undocumented",
            Kind::FieldMissingInSpec => "field-missing-in-spec",
            Kind::FieldUndocumented => "field-undocumented",
            Kind::TypeMismatch => "type-mismatch",
            Kind::FormatMismatch => "format-mismatch",
            Kind::RequiredUndocumented => "required-undocumented",
            Kind::DescriptionDiffers => "description-differs",
            Kind::AuthHeaderMismatch => "auth-header-mismatch",
            Kind::ContentTypeMismatch => "content-type-mismatch",
            Kind::ServerMismatch => "server-mismatch",
            Kind::ExampleMissing => "example-missing",
            Kind::ExampleInvalid => "example-invalid",
            Kind::ExampleExtraKey => "example-extra-key",
            Kind::ExampleDiffers => "example-differs",
            Kind::AllowEntryUnused => "allow-entry-unused",
        }
    }

    /// The severity of every finding of this kind.
    pub fn severity(self) -> Severity {
        match self {
            Kind::OperationUndocumented
            | Kind::FieldUndocumented
            | Kind::RequiredUndocumented
            | Kind::ExampleMissing
            | Kind::AllowEntryUnused => Severity::Warning,
            Kind::DescriptionDiffers => Severity::Info,
            _ => Severity::Error,
        }
    }
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
    /// `request` or `response`.
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
