//! The comparison of parsed pages with the spec: what each difference is, where
//! it is on both sides, and how to fix it.
//!
//! It is not the place for reading either input (`page.rs`, `spec.rs`) or for
//! presenting the findings (`output.rs`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::page::{self, FieldList, Page};
use super::spec::{Spec, escape};
use super::{FieldRow, Finding, Input, Kind, Location, OperationReport};

/// Compares every page with the spec, adding findings and field tables.
///
/// Pages are independent of each other, so they are compared on as many threads
/// as the machine has cores, each taking a contiguous share so that the results
/// keep the pages' order.
pub fn run(
    spec: &Spec,
    pages: &[Input],
    findings: &mut Vec<Finding>,
    operations: &mut Vec<OperationReport>,
) {
    let spec_operations: BTreeMap<String, String> = spec.operations().into_iter().collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, pages.len().max(1));
    let share = pages.len().div_ceil(threads).max(1);
    let results: Vec<PagesResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = pages
            .chunks(share)
            .map(|chunk| scope.spawn(|| compare_pages(spec, &spec_operations, chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut documented = BTreeSet::new();
    for mut result in results {
        findings.append(&mut result.findings);
        operations.append(&mut result.operations);
        documented.append(&mut result.documented);
    }
    for (operation, pointer) in &spec_operations {
        if !documented.contains(operation) {
            let mut finding = FindingBuilder::new(
                Kind::OperationUndocumented,
                operation,
                "operation",
                format!("no captured page documents the spec's operation {operation}"),
            );
            finding = finding
                .spec_at(&spec.file, pointer)
                .says(None, Some(operation.clone()))
                .fix("capture the operation's page into openapi/docs/, or allow the finding with the reason");
            findings.push(finding.0);
        }
    }
}

/// What comparing a share of the pages found.
#[derive(Default)]
struct PagesResult {
    findings: Vec<Finding>,
    operations: Vec<OperationReport>,
    documented: BTreeSet<String>,
}

fn compare_pages(
    spec: &Spec,
    spec_operations: &BTreeMap<String, String>,
    pages: &[Input],
) -> PagesResult {
    let mut result = PagesResult::default();
    for input in pages {
        let parsed = page::parse(&input.text);
        let mut diff = PageDiff {
            spec,
            file: input.file.display().to_string(),
            text: &input.text,
            page: &parsed,
            operation: String::new(),
            findings: Vec::new(),
            rows: Vec::new(),
        };
        diff.operation = match (&parsed.method, &parsed.path) {
            (Some(m), Some(p)) => format!("{} {}", m.value, p.value),
            _ => diff.file.clone(),
        };
        if let Some(title) = &parsed.not_api {
            let f = diff
                .finding(
                    Kind::PageNotApi,
                    "page",
                    format!(
                        "not an API reference page (\"{}\"): no method and path, no field list; skipped",
                        title.value
                    ),
                )
                .page(Some(title.line))
                .says(Some(title.value.clone()), None)
                .fix("nothing to do: the API pages state what the spec follows");
            diff.push(f);
            result.findings.append(&mut diff.findings);
            continue;
        }
        diff.page_itself();
        if let (Some(_), Some(_)) = (&parsed.method, &parsed.path) {
            match spec_operations.get_key_value(&diff.operation) {
                Some((op, pointer)) => {
                    result.documented.insert(op.clone());
                    diff.operation_against(pointer);
                    result.operations.push(OperationReport {
                        operation: diff.operation.clone(),
                        page: diff.file.clone(),
                        fields: std::mem::take(&mut diff.rows),
                    });
                }
                None => {
                    let line = parsed.method.as_ref().map(|m| m.line);
                    let finding = diff
                        .finding(
                            Kind::OperationMissing,
                            "operation",
                            format!("the spec has no operation {}", diff.operation),
                        )
                        .page(line)
                        .spec("/paths")
                        .says(Some(diff.operation.clone()), None)
                        .fix("add the operation under `paths`, written from the page");
                    diff.findings.push(finding.0);
                }
            }
        }
        result.findings.append(&mut diff.findings);
    }
    result
}

/// A finding under construction.
struct FindingBuilder(Finding);

impl FindingBuilder {
    fn new(kind: Kind, operation: &str, subject: &str, message: String) -> Self {
        FindingBuilder(Finding {
            kind,
            operation: operation.to_string(),
            subject: subject.to_string(),
            message,
            page: None,
            spec: None,
            page_says: None,
            spec_says: None,
            fix: String::new(),
            allowed: None,
        })
    }

    fn page_at(mut self, file: &str, line: Option<usize>) -> Self {
        self.0.page = Some(Location {
            file: file.to_string(),
            line,
            pointer: None,
        });
        self
    }

    fn spec_at(mut self, file: &str, pointer: &str) -> Self {
        self.0.spec = Some(Location {
            file: file.to_string(),
            line: None,
            pointer: Some(pointer.to_string()),
        });
        self
    }

    fn says(mut self, page: Option<String>, spec: Option<String>) -> Self {
        self.0.page_says = page;
        self.0.spec_says = spec;
        self
    }

    fn fix(mut self, fix: &str) -> Self {
        self.0.fix = fix.to_string();
        self
    }
}

/// A finding builder bound to the page being compared, so that locations need
/// only a line or a pointer.
struct Bound<'d> {
    builder: FindingBuilder,
    page_file: &'d str,
    spec_file: &'d str,
}

impl Bound<'_> {
    fn page(mut self, line: Option<usize>) -> Self {
        self.builder = self.builder.page_at(self.page_file, line);
        self
    }

    fn spec(mut self, pointer: &str) -> Self {
        self.builder = self.builder.spec_at(self.spec_file, pointer);
        self
    }

    fn says(mut self, page: Option<String>, spec: Option<String>) -> Self {
        self.builder = self.builder.says(page, spec);
        self
    }

    fn fix(self, fix: &str) -> FindingBuilder {
        self.builder.fix(fix)
    }
}

/// One page's comparison.
struct PageDiff<'a> {
    spec: &'a Spec,
    file: String,
    text: &'a str,
    page: &'a Page,
    operation: String,
    findings: Vec<Finding>,
    rows: Vec<FieldRow>,
}

impl<'a> PageDiff<'a> {
    fn finding(&self, kind: Kind, subject: &str, message: String) -> Bound<'_> {
        Bound {
            builder: FindingBuilder::new(kind, &self.operation, subject, message),
            page_file: &self.file,
            spec_file: &self.spec.file,
        }
    }

    fn push(&mut self, finding: FindingBuilder) {
        self.findings.push(finding.0);
    }

    /// What the page says about itself: unparsed lines, missing sections,
    /// contradictions between its parts.
    fn page_itself(&mut self) {
        self.problems();
        self.missing_sections();
        self.curl_against_heading();
        self.repetitions();
        self.duplicates();
        self.path_parameters_in_path();
    }

    /// Each line or construct the grammar could not read.
    fn problems(&mut self) {
        for problem in &self.page.problems {
            let f = self
                .finding(
                    Kind::PageUnparsedLine,
                    &problem.text,
                    format!("line not understood: {}", problem.reason),
                )
                .page(Some(problem.line))
                .says(Some(problem.text.clone()), None)
                .fix("fix the capture, or extend the page grammar (xtask/src/docs_diff/page.rs) if the vendor's format changed");
            self.push(f);
        }
    }

    /// Each section of the format the page lacks, among those it should have.
    fn missing_sections(&mut self) {
        let page = self.page;
        // A Body list is expected where the curl example sends a body: a POST
        // without one (a submit) has none.
        let sends_body = page.requests.first().is_some_and(|c| c.data.is_some());
        let sections = [
            ("method", page.method.is_none()),
            ("path", page.method.is_some() && page.path.is_none()),
            ("curl example", page.requests.is_empty()),
            ("response example", page.example.is_none()),
            ("description", page.description.is_none()),
            ("Body list", sends_body && page.body.is_none()),
            ("Response list", page.response.is_none()),
            ("repeated curl example", page.requests.len() == 1),
            (
                "example tabs",
                page.example.is_some() && page.requests.len() > 1 && page.tabs.is_empty(),
            ),
        ];
        for (section, missing) in sections {
            if missing {
                let f = self
                    .finding(
                        Kind::PageSectionMissing,
                        section,
                        format!("the page has no {section}"),
                    )
                    .page(None)
                    .fix("recapture the whole page from the vendor's site");
                self.push(f);
            }
        }
    }

    /// The first curl example against the page's heading (method and path).
    fn curl_against_heading(&mut self) {
        let page = self.page;
        let Some(first) = page.requests.first() else {
            return;
        };
        if let Some(method) = &page.method
            && first.method != method.value
        {
            let f = self
                .finding(
                    Kind::PageSelfContradiction,
                    "request.method",
                    format!(
                        "the curl example sends {} but the page's heading (line {}) says {}",
                        first.method, method.line, method.value
                    ),
                )
                .page(Some(first.line))
                .says(Some(first.method.clone()), None)
                .fix("report it to the vendor; the heading decides which operation the page documents");
            self.push(f);
        }
        if let Some(path) = &page.path
            && !url_matches_path(&first.url, &path.value)
        {
            let f = self
                .finding(
                    Kind::PageSelfContradiction,
                    "request.url",
                    format!(
                        "the curl example's URL {} does not end with the page's path {} (line {})",
                        first.url, path.value, path.line
                    ),
                )
                .page(Some(first.line))
                .says(Some(first.url.clone()), None)
                .fix("report it to the vendor; the heading decides which operation the page documents");
            self.push(f);
        }
    }

    /// The repeated curl example against the first, and the first response
    /// example against the tabs (it is one of them).
    fn repetitions(&mut self) {
        let page = self.page;
        if let [first, second, ..] = page.requests.as_slice() {
            let mut parts = Vec::new();
            if (first.method.as_str(), first.url.as_str())
                != (second.method.as_str(), second.url.as_str())
            {
                parts.push("method or URL");
            }
            let headers = |c: &page::CurlExample| -> Vec<(String, String)> {
                c.headers.iter().map(|h| h.value.clone()).collect()
            };
            if headers(first) != headers(second) {
                parts.push("headers");
            }
            if first.data.as_ref().map(|d| &d.value) != second.data.as_ref().map(|d| &d.value) {
                parts.push("body");
            }
            if !parts.is_empty() {
                let f = self
                    .finding(
                        Kind::PageSelfContradiction,
                        "request.repetition",
                        format!(
                            "the repeated curl example differs from the first (line {}) in its {}",
                            first.line,
                            parts.join(", ")
                        ),
                    )
                    .page(Some(second.line))
                    .fix("report it to the vendor; this check follows the first example");
                self.push(f);
            }
        }
        let bodies: Vec<&page::Located<Value>> =
            page.tabs.iter().filter_map(|t| t.body.as_ref()).collect();
        if let (Some(first), Some(closest)) = (&page.example, bodies.first())
            && !bodies.iter().any(|b| b.value == first.value)
        {
            let difference = differences(&first.value, &closest.value)
                .into_iter()
                .next()
                .map(|d| d.path)
                .unwrap_or_default();
            let f = self
                .finding(
                    Kind::PageSelfContradiction,
                    "response.repetition",
                    format!(
                        "the first response example (line {}) is none of the example tabs; it differs from the first tab at {difference}",
                        first.line
                    ),
                )
                .page(Some(closest.line))
                .fix("report it to the vendor; this check follows the tabs");
            self.push(f);
        }
    }

    /// Every field or parameter listed twice under one parent.
    fn duplicates(&mut self) {
        for (side, list) in self.lists() {
            let mut seen = BTreeMap::new();
            for (i, field) in list.fields.iter().enumerate() {
                let path = list.path_of(i);
                if let Some(first) = seen.insert(path.clone(), field.line) {
                    let f = self
                        .finding(
                            Kind::PageSelfContradiction,
                            &format!("{side}.{path}.duplicate"),
                            format!(
                                "the {side} field {path} is listed twice (first on line {first})"
                            ),
                        )
                        .page(Some(field.line))
                        .fix("report it to the vendor; this check reads the last entry");
                    self.push(f);
                }
            }
        }
    }

    /// Every listed path parameter is a template of the page's path.
    fn path_parameters_in_path(&mut self) {
        let (Some(list), Some(path)) = (&self.page.path_parameters, &self.page.path) else {
            return;
        };
        for field in list.fields.iter().filter(|f| f.parent.is_none()) {
            if !path.value.contains(&format!("{{{}}}", field.name)) {
                let f = self
                    .finding(
                        Kind::PageSelfContradiction,
                        &format!("path.{}.template", field.name),
                        format!(
                            "the path parameter {} is not a template of the page's path {} (line {})",
                            field.name, path.value, path.line
                        ),
                    )
                    .page(Some(field.line))
                    .fix("report it to the vendor; the heading's path decides");
                self.push(f);
            }
        }
    }

    /// The page's lists with the side names findings use.
    fn lists(&self) -> Vec<(&'static str, &'a FieldList)> {
        let page = self.page;
        [
            ("path", &page.path_parameters),
            ("query", &page.query_parameters),
            ("request", &page.body),
            ("response", &page.response),
        ]
        .into_iter()
        .filter_map(|(side, list)| list.as_ref().map(|l| (side, l)))
        .collect()
    }

    /// The comparison of the page with the spec's operation at `pointer`.
    fn operation_against(&mut self, pointer: &str) {
        self.description(pointer);
        self.deprecation(pointer);
        self.security(pointer);
        self.server(pointer);
        self.parameters(pointer);
        self.request(pointer);
        self.response(pointer);
    }

    /// The page's Deprecated notice against the operation's `deprecated`.
    fn deprecation(&mut self, pointer: &str) {
        let spec = self
            .spec
            .at(&format!("{pointer}/deprecated"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let notice = &self.page.deprecated;
        if notice.is_some() == spec {
            return;
        }
        let (message, fix, line) = match notice {
            Some(n) => (
                "the page has a Deprecated notice, the spec's operation is not deprecated",
                "set `deprecated: true` on the operation",
                Some(n.line),
            ),
            None => (
                "the spec's operation is deprecated, the page has no Deprecated notice",
                "remove `deprecated: true` from the operation, or allow the finding with the reason",
                self.page.description.as_ref().map(|d| d.line),
            ),
        };
        let f = self
            .finding(Kind::DeprecationMismatch, "deprecated", message.into())
            .page(line)
            .spec(&format!("{pointer}/deprecated"))
            .says(
                Some(
                    notice
                        .as_ref()
                        .map_or("no notice".into(), |n| n.value.clone()),
                ),
                Some(format!("deprecated: {spec}")),
            )
            .fix(fix);
        self.push(f);
    }

    /// The page's path and query parameters against the spec's: the operation's
    /// `parameters` over its path item's, `$ref`s followed.
    fn parameters(&mut self, pointer: &str) {
        let path_item = pointer.rsplit_once('/').map_or("", |(p, _)| p).to_string();
        // (in, name) -> pointer of the parameter object.
        let mut declared: BTreeMap<(String, String), String> = BTreeMap::new();
        for owner in [path_item.as_str(), pointer] {
            let count = self
                .spec
                .at(&format!("{owner}/parameters"))
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..count {
                let Some(at) = self.spec.follow_refs(&format!("{owner}/parameters/{i}")) else {
                    continue;
                };
                let Some(parameter) = self.spec.at(&at) else {
                    continue;
                };
                let (Some(place), Some(name)) = (
                    parameter.get("in").and_then(Value::as_str),
                    parameter.get("name").and_then(Value::as_str),
                ) else {
                    continue;
                };
                declared.insert((place.to_string(), name.to_string()), at);
            }
        }
        for (place, list) in [
            ("path", &self.page.path_parameters),
            ("query", &self.page.query_parameters),
        ] {
            let listed: Vec<&page::Field> = list
                .iter()
                .flat_map(|l| l.fields.iter())
                .filter(|f| f.parent.is_none())
                .collect();
            for field in &listed {
                let subject = format!("{place}.{}", field.name);
                let Some(at) = declared.get(&(place.to_string(), field.name.clone())) else {
                    let f = self
                        .finding(
                            Kind::ParameterMissingInSpec,
                            &subject,
                            format!(
                                "the page lists the {place} parameter {}, the spec's operation does not declare it",
                                field.name
                            ),
                        )
                        .page(Some(field.line))
                        .spec(&format!("{pointer}/parameters"))
                        .says(Some(field.ty.clone()), None)
                        .fix("add the parameter to the operation's `parameters`, with the page's type and required-ness");
                    self.push(f);
                    continue;
                };
                let schema = format!("{at}/schema");
                let spec_field = super::spec::SpecField {
                    pointer: at.clone(),
                    resolved: self.spec.resolve_schema(&schema).unwrap_or(schema),
                    required: self
                        .spec
                        .at(&format!("{at}/required"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    required_at: format!("{at}/required"),
                };
                let before = self.findings.len();
                self.field_pair(&subject, &PageField::listed(field), &spec_field, None);
                let row = self.row(
                    place,
                    &field.name,
                    Some(&field.ty),
                    Some(&spec_field.resolved),
                    before,
                );
                self.rows.push(row);
            }
            for ((p, name), at) in &declared {
                if p == place && !listed.iter().any(|f| f.name == *name) {
                    let subject = format!("{place}.{name}");
                    let f = self
                        .finding(
                            Kind::ParameterUndocumented,
                            &subject,
                            format!("the spec's {place} parameter {name} is not on the page"),
                        )
                        .page(
                            list.as_ref().map(|l| l.line).or(self
                                .page
                                .method
                                .as_ref()
                                .map(|m| m.line)),
                        )
                        .spec(at)
                        .says(None, Some(name.clone()))
                        .fix(
                            "remove the parameter, or allow the finding with the reason it exists",
                        );
                    self.push(f);
                }
            }
        }
    }

    fn description(&mut self, pointer: &str) {
        let Some(page) = &self.page.description else {
            return;
        };
        let spec = self.spec.at(pointer).and_then(|op| {
            op.get("description")
                .or_else(|| op.get("summary"))
                .and_then(Value::as_str)
        });
        // The spec may carry the first paragraph and say the callouts after it
        // in its own words.
        let first = self.page.paragraphs.first().map(|p| p.value.as_str());
        if let Some(spec) = spec
            && !texts_agree(&page.value, spec)
            && !first.is_some_and(|first| texts_agree(first, spec))
        {
            let spec = spec.to_string();
            let f = self
                .finding(
                    Kind::DescriptionDiffers,
                    "description",
                    "the operation's description differs from the page's".into(),
                )
                .page(Some(page.line))
                .spec(&format!("{pointer}/description"))
                .says(Some(page.value.clone()), Some(spec))
                .fix("start the spec's description with the page's paragraph");
            self.push(f);
        }
    }

    fn security(&mut self, pointer: &str) {
        let Some(curl) = self.page.requests.first() else {
            return;
        };
        let page_headers: BTreeSet<String> = curl
            .headers
            .iter()
            .map(|h| h.value.0.to_ascii_lowercase())
            .filter(|n| !matches!(n.as_str(), "content-type" | "accept" | "user-agent"))
            .collect();
        let (requirements_pointer, requirements) =
            match self.spec.at(&format!("{pointer}/security")) {
                Some(r) => (format!("{pointer}/security"), r.clone()),
                None => (
                    "/security".to_string(),
                    self.spec.at("/security").cloned().unwrap_or(Value::Null),
                ),
            };
        // Each requirement is an alternative; its schemes are sent together.
        let mut alternatives: Vec<BTreeSet<String>> = Vec::new();
        for requirement in requirements.as_array().into_iter().flatten() {
            let mut headers = BTreeSet::new();
            for name in requirement.as_object().into_iter().flat_map(|o| o.keys()) {
                let scheme = self
                    .spec
                    .follow_refs(&format!("/components/securitySchemes/{}", escape(name)))
                    .and_then(|p| self.spec.at(&p));
                let header = scheme.and_then(|s| {
                    match (
                        s.get("type").and_then(Value::as_str),
                        s.get("in").and_then(Value::as_str),
                    ) {
                        (Some("apiKey"), Some("header")) => s.get("name").and_then(Value::as_str),
                        (Some("http" | "oauth2" | "openIdConnect"), _) => Some("Authorization"),
                        _ => None,
                    }
                });
                if let Some(h) = header {
                    headers.insert(h.to_ascii_lowercase());
                }
            }
            alternatives.push(headers);
        }
        if alternatives.is_empty() {
            alternatives.push(BTreeSet::new());
        }
        if !alternatives.contains(&page_headers) {
            let line = curl
                .headers
                .iter()
                .find(|h| page_headers.contains(&h.value.0.to_ascii_lowercase()))
                .map_or(curl.line, |h| h.line);
            let show = |s: &BTreeSet<String>| {
                if s.is_empty() {
                    "no authentication header".to_string()
                } else {
                    s.iter().cloned().collect::<Vec<_>>().join(" + ")
                }
            };
            let spec_says = alternatives
                .iter()
                .map(show)
                .collect::<Vec<_>>()
                .join(" or ");
            let f = self
                .finding(
                    Kind::AuthHeaderMismatch,
                    "security",
                    "the curl example authenticates differently from the spec's security".into(),
                )
                .page(Some(line))
                .spec(&requirements_pointer)
                .says(Some(show(&page_headers)), Some(spec_says))
                .fix("make components/securitySchemes (or the operation's security) name the page's header");
            self.push(f);
        }
    }

    fn server(&mut self, pointer: &str) {
        let (Some(curl), Some(path)) = (self.page.requests.first(), &self.page.path) else {
            return;
        };
        let Some(base) = url_base(&curl.url, &path.value) else {
            // A URL that does not end with the path is a page self-contradiction.
            return;
        };
        let path_item = pointer.rsplit_once('/').map_or("", |(p, _)| p).to_string();
        let candidates = [
            format!("{pointer}/servers"),
            format!("{path_item}/servers"),
            "/servers".to_string(),
        ];
        let Some((servers_pointer, servers)) = candidates.iter().find_map(|p| {
            self.spec
                .at(p)
                .and_then(Value::as_array)
                .map(|s| (p.clone(), s.clone()))
        }) else {
            return;
        };
        let urls: Vec<&str> = servers
            .iter()
            .filter_map(|s| s.get("url").and_then(Value::as_str))
            .map(|u| u.trim_end_matches('/'))
            .collect();
        if !urls.contains(&base.trim_end_matches('/')) {
            let f = self
                .finding(
                    Kind::ServerMismatch,
                    "server",
                    format!("the curl example's server {base} is not among the spec's servers"),
                )
                .page(Some(curl.line))
                .spec(&servers_pointer)
                .says(Some(base.to_string()), Some(urls.join(", ")))
                .fix("add the page's base URL to `servers`");
            self.push(f);
        }
    }

    fn request(&mut self, pointer: &str) {
        let page = self.page;
        let curl = page.requests.first();
        let content_type = curl.and_then(|c| {
            c.headers
                .iter()
                .find(|h| h.value.0.eq_ignore_ascii_case("content-type"))
        });
        let body_pointer = self.spec.follow_refs(&format!("{pointer}/requestBody"));
        let media_types: Vec<String> = body_pointer
            .as_ref()
            .and_then(|b| self.spec.at(&format!("{b}/content")))
            .and_then(Value::as_object)
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default();
        let sends_body = curl.is_some_and(|c| c.data.is_some()) || page.body.is_some();
        if sends_body {
            let page_type = content_type.map(|h| h.value.1.clone());
            let declared = page_type.as_ref().is_some_and(|t| {
                let base = t.split(';').next().unwrap_or("").trim();
                media_types.iter().any(|m| m.eq_ignore_ascii_case(base))
            });
            if !declared {
                let line = content_type.map(|h| h.line).or(curl.map(|c| c.line));
                let spec_pointer = body_pointer
                    .clone()
                    .map_or(format!("{pointer}/requestBody"), |b| format!("{b}/content"));
                let spec_says = if media_types.is_empty() {
                    "no request body".to_string()
                } else {
                    media_types.join(", ")
                };
                let f = self
                    .finding(Kind::ContentTypeMismatch, "request.content-type", "the curl example's Content-Type is not a media type of the spec's request body".into())
                    .page(line)
                    .spec(&spec_pointer)
                    .says(Some(page_type.unwrap_or_else(|| "none (curl then sends application/x-www-form-urlencoded)".into())), Some(spec_says))
                    .fix("declare the page's media type under the request body's `content`");
                self.push(f);
            }
        }
        let Some(body_pointer) = body_pointer else {
            if let Some(list) = &page.body {
                self.fields(
                    "request",
                    Some(list),
                    None,
                    curl.and_then(|c| c.data.as_ref()),
                );
            }
            return;
        };
        let media = content_type
            .map(|h| h.value.1.split(';').next().unwrap_or("").trim().to_string())
            .filter(|t| media_types.contains(t))
            .or_else(|| {
                media_types
                    .iter()
                    .find(|m| *m == "application/json")
                    .cloned()
            })
            .or_else(|| media_types.first().cloned());
        let Some(media) = media else {
            return;
        };
        let media_pointer = format!("{body_pointer}/content/{}", escape(&media));
        let schema = format!("{media_pointer}/schema");
        let schema = self.spec.at(&schema).is_some().then_some(schema);
        let example = curl.and_then(|c| c.data.as_ref());
        self.fields("request", page.body.as_ref(), schema.as_deref(), example);
        if let (Some(example), Some(schema)) = (example, schema.as_deref()) {
            self.example_against("request", "example", example, schema);
        }
        if let Some(example) = example {
            self.embedded("request", example, schema.as_deref(), &[media_pointer]);
        }
    }

    fn response(&mut self, pointer: &str) {
        let page = self.page;
        let statuses: Vec<String> = self
            .spec
            .at(&format!("{pointer}/responses"))
            .and_then(Value::as_object)
            .map(|r| r.keys().cloned().collect())
            .unwrap_or_default();
        // Every 2xx response with content: (status, media pointer, schema pointer).
        let mut success: Vec<(String, String, Option<String>)> = Vec::new();
        for status in statuses.iter().filter(|s| s.starts_with('2')) {
            if let Some((media, schema)) = self.response_media(pointer, status) {
                success.push((status.clone(), media, schema));
            }
        }
        // 200 and 201 usually share one schema; validate against it once.
        let mut schemas: Vec<String> = Vec::new();
        for schema in success.iter().filter_map(|(_, _, s)| s.clone()) {
            let resolved = self.spec.follow_refs(&schema).unwrap_or(schema.clone());
            if !schemas
                .iter()
                .any(|s| self.spec.follow_refs(s).as_deref() == Some(resolved.as_str()))
            {
                schemas.push(schema);
            }
        }
        // The page's success example: the first tab of a 2xx status (or the older
        // format's unlabelled tab), else the first example.
        let success_tab = page
            .tabs
            .iter()
            .find(|t| t.body.is_some() && t.status.is_none_or(|s| (200..300).contains(&s)));
        // The first example's status is not on the page: it stands for the
        // success example only on a page without tabs.
        let success_example = success_tab
            .and_then(|t| t.body.as_ref())
            .or(page.example.as_ref().filter(|_| page.tabs.is_empty()));
        self.response_fields(
            pointer,
            schemas.first().map(String::as_str),
            success_example,
        );
        for tab in &page.tabs {
            self.tab(pointer, &statuses, &schemas, tab);
        }
        self.statuses_shown(pointer, &statuses);
        if let Some(example) = success_example {
            let media: Vec<String> = match success_tab.and_then(|t| t.status) {
                Some(status) => success
                    .iter()
                    .filter(|(s, _, _)| *s == status.to_string())
                    .map(|(_, m, _)| m.clone())
                    .collect(),
                None => success.iter().map(|(_, m, _)| m.clone()).collect(),
            };
            let schema = match success_tab.and_then(|t| t.status) {
                Some(status) => success
                    .iter()
                    .find(|(s, _, _)| *s == status.to_string())
                    .and_then(|(_, _, schema)| schema.clone()),
                None => schemas.first().cloned(),
            };
            self.embedded("response", example, schema.as_deref(), &media);
        }
    }

    /// Each status the operation declares that no example tab shows.
    fn statuses_shown(&mut self, pointer: &str, statuses: &[String]) {
        let tabs = &self.page.tabs;
        if tabs.is_empty() {
            return;
        }
        // A status the Response section's prose names ("Returns 204 No Content")
        // is shown too.
        let prose: Vec<&str> = self
            .page
            .response
            .iter()
            .flat_map(|l| l.prose.iter())
            .flat_map(|p| p.value.split(|c: char| !c.is_ascii_alphanumeric()))
            .collect();
        for status in statuses {
            if prose.contains(&status.as_str()) {
                continue;
            }
            let shown = tabs.iter().any(|t| match t.status {
                Some(s) => {
                    let code = s.to_string();
                    *status == code || status.eq_ignore_ascii_case(&format!("{}XX", &code[..1]))
                }
                None => status.starts_with('2'),
            });
            // A response the operation shares by `$ref` (the errors every
            // operation can return) is documented once, on the errors page; only
            // the operation's own responses are expected among its tabs.
            let shared = self
                .spec
                .at(&format!("{pointer}/responses/{}/$ref", escape(status)))
                .is_some();
            if shown || shared || status == "default" {
                continue;
            }
            let f = self
                .finding(
                    Kind::StatusUndocumented,
                    &format!("response.{status}"),
                    format!("the spec's operation declares a {status} response, no example tab of the page shows one"),
                )
                .page(tabs.first().map(|t| t.line))
                .spec(&format!("{pointer}/responses/{}", escape(status)))
                .says(None, Some(status.clone()))
                .fix("nothing to do when another page documents it; otherwise remove the response, or allow the finding with the reason");
            self.push(f);
        }
    }

    /// The JSON media type of a declared response and its schema's pointer.
    fn response_media(&self, pointer: &str, status: &str) -> Option<(String, Option<String>)> {
        let response = self
            .spec
            .follow_refs(&format!("{pointer}/responses/{status}"))?;
        let content = self
            .spec
            .at(&format!("{response}/content"))
            .and_then(Value::as_object)?;
        let media = content
            .keys()
            .find(|m| *m == "application/json")
            .or_else(|| content.keys().next())?;
        let media_pointer = format!("{response}/content/{}", escape(media));
        let schema = format!("{media_pointer}/schema");
        let schema = self.spec.at(&schema).is_some().then_some(schema);
        Some((media_pointer, schema))
    }

    /// The `Response` section: its fields against the first success schema (its
    /// items where the prose says the response is an array), or, for a section
    /// of prose only, the kind of response the prose states.
    fn response_fields(
        &mut self,
        pointer: &str,
        schema: Option<&str>,
        example: Option<&'a page::Located<Value>>,
    ) {
        let Some(list) = &self.page.response else {
            return;
        };
        let prose: Vec<String> = list.prose.iter().map(|p| p.value.to_lowercase()).collect();
        let prose_line = list.prose.first().map_or(list.line, |p| p.line);
        let said = prose_kind(&prose.join(" "));
        if let Some(kind) = said {
            self.response_kind(pointer, kind, schema, prose_line);
        } else if list.fields.is_empty() {
            let text = list
                .prose
                .iter()
                .map(|p| p.value.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let f = self
                .finding(
                    Kind::ResponseProseOnly,
                    "response.prose",
                    "the Response section is prose only and names no kind of response; its fields are compared through the examples only".into(),
                )
                .page(Some(prose_line))
                .says(Some(text), None)
                .fix("nothing to do; the example tabs are still validated against the spec");
            self.push(f);
        }
        if list.fields.is_empty() {
            return;
        }
        if said == Some(ProseKind::Array) {
            // The fields are those of each item of the array.
            let items = schema
                .and_then(|s| self.spec.resolve_schema(s))
                .map(|s| format!("{s}/items"))
                .filter(|s| self.spec.at(s).is_some());
            let item = example.and_then(|e| {
                e.value.get(0).map(|v| page::Located {
                    line: e.line,
                    value: v.clone(),
                })
            });
            self.fields("response", Some(list), items.as_deref(), item.as_ref());
        } else {
            self.fields("response", Some(list), schema, example);
        }
    }

    /// What a prose-only (or prose-led) `Response` section says the response is,
    /// against the spec's success response.
    fn response_kind(&mut self, pointer: &str, said: ProseKind, schema: Option<&str>, line: usize) {
        let (agrees, spec_says, spec_at) = match said {
            ProseKind::NoContent => {
                let declared = self.spec.at(&format!("{pointer}/responses/204")).is_some();
                let empty = self.response_media(pointer, "204").is_none();
                let says = match (declared, empty) {
                    (false, _) => "no 204 response",
                    (true, false) => "a 204 response with content",
                    (true, true) => "204 without content",
                };
                (
                    declared && empty,
                    says.to_string(),
                    format!("{pointer}/responses"),
                )
            }
            ProseKind::Array | ProseKind::Object => {
                let want = if said == ProseKind::Array {
                    "array"
                } else {
                    "object"
                };
                let resolved = schema.and_then(|s| self.spec.resolve_schema(s));
                let ty = resolved
                    .as_deref()
                    .and_then(|r| self.spec.at(r))
                    .and_then(json_type_of)
                    .unwrap_or("no schema");
                (
                    ty == want,
                    ty.to_string(),
                    resolved.unwrap_or_else(|| format!("{pointer}/responses")),
                )
            }
        };
        if agrees {
            return;
        }
        let page_says = said.as_str();
        let f = self
            .finding(
                Kind::ResponseKindMismatch,
                "response.kind",
                format!("the page says the response is {page_says}, the spec's success response is {spec_says}"),
            )
            .page(Some(line))
            .spec(&spec_at)
            .says(Some(page_says.to_string()), Some(spec_says))
            .fix("make the spec's 2xx response what the page says");
        self.push(f);
    }

    /// One example tab: its status declared on the operation, its body valid
    /// against that status's schema. The older format's unlabelled tab is a
    /// success example, checked against every distinct 2xx schema.
    fn tab(&mut self, pointer: &str, statuses: &[String], schemas: &[String], tab: &page::Tab) {
        let Some(status) = tab.status else {
            if let Some(body) = &tab.body {
                for schema in schemas {
                    self.example_against("response", "example", body, schema);
                }
            }
            return;
        };
        let label = tab.label.clone().unwrap_or_else(|| status.to_string());
        let code = status.to_string();
        let range = format!("{}XX", code.chars().next().unwrap_or('0'));
        let Some(declared) = [code.as_str(), range.as_str(), "default"]
            .into_iter()
            .find(|s| statuses.iter().any(|d| d.eq_ignore_ascii_case(s)))
        else {
            let f = self
                .finding(
                    Kind::StatusUndeclared,
                    &format!("response.{code}"),
                    format!("the page has an example tab {label}, the spec's operation declares no {code} response"),
                )
                .page(Some(tab.line))
                .spec(&format!("{pointer}/responses"))
                .says(Some(label.clone()), Some(statuses.join(", ")))
                .fix("declare the status under the operation's `responses`, with the schema of the tab's body");
            self.push(f);
            return;
        };
        let declared = statuses
            .iter()
            .find(|d| d.eq_ignore_ascii_case(declared))
            .cloned()
            .unwrap_or_default();
        let Some(body) = &tab.body else { return };
        match self.response_media(pointer, &declared) {
            Some((_, Some(schema))) => {
                self.example_against("response", &format!("{label}.example"), body, &schema);
            }
            Some((_, None)) => {}
            None => {
                let f = self
                    .finding(
                        Kind::ExampleInvalid,
                        &format!("response.{label}.example"),
                        format!("the page's tab {label} has a body, the spec's {declared} response has none"),
                    )
                    .page(Some(body.line))
                    .spec(&format!("{pointer}/responses/{}", escape(&declared)))
                    .fix("declare the response's content with the schema of the tab's body");
                self.push(f);
            }
        }
    }

    /// The fields of one side: the page's list against the spec's schema.
    fn fields(
        &mut self,
        side: &'static str,
        list: Option<&FieldList>,
        schema: Option<&str>,
        example: Option<&page::Located<Value>>,
    ) {
        let spec_fields = schema.map(|s| self.spec.fields(s)).unwrap_or_default();
        let schema_properties = schema
            .and_then(|s| self.spec.resolve_schema(s))
            .map(|s| format!("{s}/properties"))
            .unwrap_or_else(|| "/components/schemas".into());
        // The page's fields, flattened as the spec's are: child fields under their
        // parent's path, and nested names from the prose of an object or array
        // field.
        let mut page_fields: BTreeMap<String, PageField> = BTreeMap::new();
        // The paths whose fields the page lists (so the spec's others there are
        // undocumented).
        let mut enumerated: BTreeSet<String> = BTreeSet::new();
        let fields = list.map(|l| l.fields.as_slice()).unwrap_or_default();
        for (i, field) in fields.iter().enumerate() {
            let Some(list) = list else { break };
            let path = list.path_of(i);
            if let Some(parent) = field.parent {
                let parent_path = list.path_of(parent);
                enumerated.insert(if fields[parent].ty == "array" {
                    format!("{parent_path}[]")
                } else {
                    parent_path
                });
            }
            let prefix = if field.ty == "array" {
                format!("{path}[]")
            } else {
                path.clone()
            };
            page_fields.insert(path, PageField::listed(field));
            if !field.nested.is_empty() {
                for nested in &field.nested {
                    page_fields
                        .entry(format!("{prefix}.{nested}"))
                        .or_insert(PageField {
                            line: field.description_line,
                            ty: None,
                            required: None,
                            description: None,
                            description_line: field.description_line,
                        });
                }
                enumerated.insert(prefix);
            }
        }
        let names: BTreeSet<&String> = page_fields.keys().chain(spec_fields.keys()).collect();
        for name in names {
            let before = self.findings.len();
            let subject = format!("{side}.{name}");
            let parent = name.rsplit_once('.').map(|(p, _)| p.to_string());
            let page_field = page_fields.get(name.as_str());
            let spec_field = spec_fields.get(name.as_str());
            match (page_field, spec_field) {
                (Some(p), None) => {
                    let where_ = parent
                        .as_ref()
                        .and_then(|p| spec_fields.get(p.trim_end_matches("[]")))
                        .map_or(schema_properties.clone(), |f| f.pointer.clone());
                    let f = self
                        .finding(Kind::FieldMissingInSpec, &subject, format!("the page lists the {side} field {name}, the spec's schema lacks it"))
                        .page(Some(p.line))
                        .spec(&where_)
                        .says(Some(p.ty.clone().unwrap_or_else(|| "listed".into())), None)
                        .fix("add the property to the spec's schema (with its type as the page gives it)");
                    self.push(f);
                }
                (None, Some(s)) => {
                    // A nested field is only compared when the page enumerates its
                    // parent's fields; the parent itself is reported otherwise.
                    let compared = match &parent {
                        None => true,
                        Some(p) => enumerated.contains(p),
                    };
                    if compared {
                        let f = self
                            .finding(Kind::FieldUndocumented, &subject, format!("the spec's {side} field {name} is not on the page"))
                            .page(list.map(|l| l.line))
                            .spec(&s.pointer)
                            .says(None, Some(self.type_of(&s.resolved)))
                            .fix("remove the property, or allow the finding with the reason it exists");
                        self.push(f);
                    }
                }
                (Some(p), Some(s)) => {
                    let shown = example
                        .and_then(|e| value_at(&e.value, name))
                        .map(|(_, v)| v);
                    self.field_pair(&subject, p, s, shown);
                }
                (None, None) => {}
            }
            if let (Some(p), Some(example)) = (page_field, example) {
                self.example_type(&subject, name, p, spec_field, example);
            }
            let page_type = page_field.map(|p| p.ty.as_deref().unwrap_or("(prose)"));
            let row = self.row(
                side,
                name,
                page_type,
                spec_field.map(|s| s.resolved.as_str()),
                before,
            );
            self.rows.push(row);
        }
    }

    /// The table row of a field or parameter: both sides' types and the kinds
    /// of the findings about it since the `before`th.
    fn row(
        &self,
        side: &'static str,
        name: &str,
        page_type: Option<&str>,
        spec_resolved: Option<&str>,
        before: usize,
    ) -> FieldRow {
        let kinds: BTreeSet<&str> = self.findings[before..]
            .iter()
            .map(|f| f.kind.id())
            .collect();
        FieldRow {
            side,
            field: name.to_string(),
            page: page_type.unwrap_or("-").to_string(),
            spec: spec_resolved.map_or("-".into(), |s| self.type_of(s)),
            status: if kinds.is_empty() {
                "ok".into()
            } else {
                kinds.into_iter().collect::<Vec<_>>().join(", ")
            },
        }
    }

    /// A field (or parameter) both sides have: type, format, required,
    /// description, enumerated values.
    fn field_pair(
        &mut self,
        subject: &str,
        page: &PageField,
        spec: &super::spec::SpecField,
        shown: Option<&Value>,
    ) {
        self.field_type(subject, page, spec, shown);
        self.required(subject, page, spec);
        self.enum_values(subject, page, spec);
        if let Some(page_text) = &page.description {
            let spec_text = self
                .spec
                .at(&spec.pointer)
                .and_then(|p| p.get("description"))
                .and_then(Value::as_str)
                .map(str::to_string);
            if let Some(spec_text) = spec_text
                && !texts_agree(page_text, &spec_text)
            {
                let f = self
                    .finding(
                        Kind::DescriptionDiffers,
                        subject,
                        "the field's description differs from the page's".into(),
                    )
                    .page(Some(page.description_line))
                    .spec(&format!("{}/description", spec.pointer))
                    .says(Some(page_text.clone()), Some(spec_text))
                    .fix("use the page's words in the spec's description");
                self.push(f);
            }
        }
    }

    /// The page's type word against the spec's type and format. `shown` is the
    /// value the page's example gives the field, if any.
    fn field_type(
        &mut self,
        subject: &str,
        page: &PageField,
        spec: &super::spec::SpecField,
        shown: Option<&Value>,
    ) {
        let Some(page_type) = &page.ty else { return };
        let schema = self.spec.at(&spec.resolved).cloned().unwrap_or(Value::Null);
        let description = page.description.as_deref().unwrap_or("");
        let (json_type, format) = expected_type(page_type, description);
        let spec_type = json_type_of(&schema);
        let spec_format = schema.get("format").and_then(Value::as_str);
        if spec_type != Some(json_type) {
            let f = self
                .finding(
                    Kind::TypeMismatch,
                    subject,
                    format!(
                        "the page says {page_type}, the spec says {}",
                        self.type_of(&spec.resolved)
                    ),
                )
                .page(Some(page.line + 1))
                .spec(&spec.pointer)
                .says(Some(page_type.clone()), Some(self.type_of(&spec.resolved)))
                .fix(&format!(
                    "set `type: {json_type}`{} on the property",
                    format
                        .map(|f| format!(" and `format: {f}`"))
                        .unwrap_or_default()
                ));
            self.push(f);
        } else if matches!(json_type, "integer" | "number" | "string")
            && spec_format != format
            // A string whose format the list leaves unsaid, shown in the page's
            // example: the spec may state the format the example shows (the
            // example's validation reports a value that breaks it).
            && !(json_type == "string" && format.is_none() && shown.is_some_and(Value::is_string))
        {
            let want = format.map_or("no format".to_string(), |f| format!("`format: {f}`"));
            let f = self
                .finding(
                    Kind::FormatMismatch,
                    subject,
                    format!(
                        "the page's {page_type} means {want}, the spec says {}",
                        self.type_of(&spec.resolved)
                    ),
                )
                .page(Some(page.line + 1))
                .spec(&spec.pointer)
                .says(
                    Some(if description.contains("yyyy-mm-dd") {
                        format!("{page_type} (yyyy-mm-dd)")
                    } else {
                        page_type.clone()
                    }),
                    Some(self.type_of(&spec.resolved)),
                )
                .fix(&format!("use {want} on the property"));
            self.push(f);
        }
    }

    /// The page's `required` mark against the spec's `required`, both ways. A
    /// field named only in prose carries no mark and is not compared.
    fn required(&mut self, subject: &str, page: &PageField, spec: &super::spec::SpecField) {
        match (page.required, spec.required) {
            (Some(false), true) => {
                let f = self
                    .finding(Kind::RequiredUndocumented, subject, "the spec requires a field the page does not mark required".into())
                    .page(Some(page.line))
                    .spec(&spec.required_at)
                    .says(Some("optional".into()), Some("required".into()))
                    .fix("drop it from `required`, or allow the finding with the decision that justifies it");
                self.push(f);
            }
            (Some(true), false) => {
                let f = self
                    .finding(
                        Kind::RequiredMissing,
                        subject,
                        "the page marks the field required, the spec does not require it".into(),
                    )
                    .page(Some(page.line + 2))
                    .spec(&spec.required_at)
                    .says(Some("required".into()), Some("optional".into()))
                    .fix("add it to the schema's `required` list (a parameter: `required: true`)");
                self.push(f);
            }
            _ => {}
        }
    }

    /// The values the page's description lists against the schema's `enum` or
    /// `x-extensible-enum`.
    fn enum_values(&mut self, subject: &str, page: &PageField, spec: &super::spec::SpecField) {
        let Some((values, complete)) = page.description.as_deref().and_then(page::prose_enum)
        else {
            return;
        };
        let schema = self.spec.at(&spec.resolved);
        let declared = ["enum", "x-extensible-enum"].into_iter().find_map(|key| {
            let values = schema?.get(key)?.as_array()?;
            Some((
                key,
                values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect::<Vec<_>>(),
            ))
        });
        let listed = values.join(", ");
        let (problem, spec_says, at) = match &declared {
            None if complete => (
                "the page lists the field's possible values, the spec's schema has no enum"
                    .to_string(),
                "no enum".to_string(),
                spec.pointer.clone(),
            ),
            None => return,
            Some((key, spec_values)) => {
                let missing: Vec<&str> = values
                    .iter()
                    .filter(|v| !spec_values.contains(v))
                    .map(String::as_str)
                    .collect();
                let extra: Vec<&str> = spec_values
                    .iter()
                    .filter(|v| complete && !values.contains(v))
                    .map(String::as_str)
                    .collect();
                if missing.is_empty() && extra.is_empty() {
                    return;
                }
                let mut parts = Vec::new();
                if !missing.is_empty() {
                    parts.push(format!("the spec's `{key}` lacks {}", missing.join(", ")));
                }
                if !extra.is_empty() {
                    parts.push(format!("the page does not list {}", extra.join(", ")));
                }
                (
                    format!("the field's values differ: {}", parts.join("; ")),
                    spec_values.join(", "),
                    format!("{}/{key}", spec.resolved),
                )
            }
        };
        let f = self
            .finding(Kind::EnumMismatch, &format!("{subject}.enum"), problem)
            .page(Some(page.description_line))
            .spec(&at)
            .says(Some(listed), Some(spec_says))
            .fix("make the schema's `enum` (closed) or `x-extensible-enum` (open) hold the page's values");
        self.push(f);
    }

    /// The page against itself: the value its example shows for a listed field
    /// has the type the list gives. When it does not, the finding names the side
    /// the spec follows.
    fn example_type(
        &mut self,
        subject: &str,
        name: &str,
        field: &PageField,
        spec: Option<&super::spec::SpecField>,
        example: &page::Located<Value>,
    ) {
        let Some(page_type) = &field.ty else { return };
        let Some((pointer, value)) = value_at(&example.value, name) else {
            return;
        };
        let agrees = match page_type.as_str() {
            "integer" | "long" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "object" => value.is_object(),
            "array" => value.is_array(),
            _ => true,
        };
        if agrees || value.is_null() {
            return;
        }
        let shown = json_type_of_value(value);
        let listed = expected_type(page_type, "").0;
        let spec_type = spec
            .and_then(|s| self.spec.at(&s.resolved))
            .and_then(json_type_of);
        let follows = match spec_type {
            Some(t) if t == listed => "the spec follows the list",
            Some(t) if t == shown => "the spec follows the example",
            Some(_) => "the spec follows neither",
            None => "the spec has no such field",
        };
        let line = self.line_of_key(example.line, &pointer);
        let f = self
            .finding(
                Kind::PageSelfContradiction,
                &format!("{subject}.example-type"),
                format!(
                    "the page's list says {name} is {page_type} (line {}), its example shows {shown} {value}; {follows}",
                    field.line + 1
                ),
            )
            .page(Some(line))
            .says(Some(format!("{page_type} in the list, {shown} in the example")), spec.map(|s| self.type_of(&s.resolved)))
            .fix("report it to the vendor; keep the spec on the list's type and record the choice in openapi/DECISIONS.md");
        self.push(f);
    }

    /// The type of a resolved schema as the outputs show it: `integer (int64)`,
    /// `object (Address)`.
    fn type_of(&self, resolved: &str) -> String {
        let schema = self.spec.at(resolved);
        let ty = schema.and_then(json_type_of).unwrap_or("untyped");
        let detail = schema
            .and_then(|s| s.get("format").and_then(Value::as_str))
            .map(str::to_string)
            .or_else(|| {
                resolved
                    .strip_prefix("/components/schemas/")
                    .filter(|name| !name.contains('/'))
                    .map(str::to_string)
            });
        match detail {
            Some(d) => format!("{ty} ({d})"),
            None => ty.to_string(),
        }
    }

    /// A page's example against a schema: validity and extra keys. `label`
    /// names the example in subjects (`example`, `404 Not Found.example`).
    fn example_against(
        &mut self,
        side: &str,
        label: &str,
        example: &page::Located<Value>,
        schema: &str,
    ) {
        self.validate(
            side,
            label,
            &example.value,
            schema,
            &Origin::Page(example.line),
        );
        let mut extra = Vec::new();
        self.extra_keys(schema, &example.value, String::new(), &mut extra);
        for path in extra {
            let line = self.line_of_key(example.line, &path);
            let spec_at = self
                .spec
                .resolve_schema(schema)
                .unwrap_or(schema.to_string());
            let f = self
                .finding(Kind::ExampleExtraKey, &format!("{side}.{label}{path}"), format!("the page's {side} example ({label}) has the key {path}, which the spec's schema does not describe"))
                .page(Some(line))
                .spec(&spec_at)
                .says(Some(path.clone()), None)
                .fix("add the property to the schema");
            self.push(f);
        }
    }

    /// The page's example against the examples the spec embeds at `media`
    /// (presence, equality), and those against the schema.
    fn embedded(
        &mut self,
        side: &str,
        example: &page::Located<Value>,
        schema: Option<&str>,
        media: &[String],
    ) {
        if media.is_empty() {
            return;
        }
        let mut embedded: Vec<(String, Value)> = Vec::new();
        for m in media {
            if let Some((pointer, value)) = self.embedded_example(m)
                && !embedded.iter().any(|(p, _)| *p == pointer)
            {
                embedded.push((pointer, value));
            }
        }
        if embedded.is_empty() {
            let f = self
                .finding(
                    Kind::ExampleMissing,
                    &format!("{side}.example"),
                    format!("the spec embeds no documented {side} example"),
                )
                .page(Some(example.line))
                .spec(&media[0])
                .fix("copy the page's example under `examples: documented: value:`");
            self.push(f);
        }
        for (pointer, value) in embedded {
            let diffs = differences(&example.value, &value);
            if let Some(first) = diffs.first() {
                let paths: Vec<&str> = diffs.iter().take(5).map(|d| d.path.as_str()).collect();
                let line = self.line_of_key(example.line, &first.path);
                let f = self
                    .finding(
                        Kind::ExampleDiffers,
                        &format!("{side}.example"),
                        format!(
                            "the spec's documented {side} example differs from the page's at {}",
                            paths.join(", ")
                        ),
                    )
                    .page(Some(line))
                    .spec(&format!("{pointer}{}", first.path))
                    .says(first.page.clone(), first.spec.clone())
                    .fix("copy the page's example into the spec");
                self.push(f);
            }
            if let Some(schema) = schema {
                self.validate(
                    side,
                    "spec-example",
                    &value,
                    schema,
                    &Origin::Spec(pointer.clone()),
                );
            }
        }
    }

    /// Validates an example; `origin` says whose it is, for locations.
    fn validate(
        &mut self,
        side: &str,
        label: &str,
        instance: &Value,
        schema: &str,
        origin: &Origin,
    ) {
        let problems = match self.spec.validate(schema, instance) {
            Ok(p) => p,
            Err(message) => vec![("/".into(), message)],
        };
        for (path, message) in problems {
            let (whose, fix) = match origin {
                Origin::Page(_) => (
                    "the page's",
                    "fix the spec's schema: the page's example is the vendor's word",
                ),
                Origin::Spec(_) => (
                    "the spec's documented",
                    "fix the example embedded in the spec",
                ),
            };
            let base = self
                .finding(
                    Kind::ExampleInvalid,
                    &format!("{side}.{label}{path}"),
                    format!("{whose} {side} example ({label}) is invalid at {path}: {message}"),
                )
                .says(Some(message.clone()), None);
            let located = match origin {
                Origin::Page(start) => {
                    let line = self.line_of_key(*start, &path);
                    base.page(Some(line)).spec(schema)
                }
                Origin::Spec(pointer) => base.spec(&format!("{pointer}{path}")),
            };
            let f = located.fix(fix);
            self.push(f);
        }
    }

    /// Keys of `value` that the schema at `schema` has no property for.
    fn extra_keys(&self, schema: &str, value: &Value, path: String, out: &mut Vec<String>) {
        let Some(resolved) = self.spec.resolve_schema(schema) else {
            return;
        };
        let Some(s) = self.spec.at(&resolved) else {
            return;
        };
        match value {
            Value::Object(map) => {
                let properties = s.get("properties").and_then(Value::as_object);
                let additional = s.get("additionalProperties").filter(|a| a.is_object());
                for (key, child) in map {
                    let child_path = format!("{path}/{}", escape(key));
                    if properties.is_some_and(|p| p.contains_key(key)) {
                        self.extra_keys(
                            &format!("{resolved}/properties/{}", escape(key)),
                            child,
                            child_path,
                            out,
                        );
                    } else if additional.is_some() {
                        self.extra_keys(
                            &format!("{resolved}/additionalProperties"),
                            child,
                            child_path,
                            out,
                        );
                    } else if properties.is_some() {
                        out.push(child_path);
                    }
                }
            }
            Value::Array(items) if s.get("items").is_some() => {
                for (i, item) in items.iter().enumerate() {
                    self.extra_keys(
                        &format!("{resolved}/items"),
                        item,
                        format!("{path}/{i}"),
                        out,
                    );
                }
            }
            _ => {}
        }
    }

    /// The example the spec embeds for a media type: `examples/documented`, else
    /// `example`, else the first of `examples`. Returns the value's pointer.
    fn embedded_example(&self, media: &str) -> Option<(String, Value)> {
        if let Some(p) = self
            .spec
            .follow_refs(&format!("{media}/examples/documented"))
            && let Some(v) = self.spec.at(&format!("{p}/value"))
        {
            return Some((format!("{p}/value"), v.clone()));
        }
        if let Some(v) = self.spec.at(&format!("{media}/example")) {
            return Some((format!("{media}/example"), v.clone()));
        }
        let first = self
            .spec
            .at(&format!("{media}/examples"))
            .and_then(Value::as_object)
            .and_then(|e| e.keys().next().cloned())?;
        let p = self
            .spec
            .follow_refs(&format!("{media}/examples/{}", escape(&first)))?;
        let v = self.spec.at(&format!("{p}/value"))?;
        Some((format!("{p}/value"), v.clone()))
    }

    /// The line of the page where the key at `path` of an example starting on
    /// line `start` stands: the first line from there that holds the path's last
    /// key (an array index names no key), or `start`.
    fn line_of_key(&self, start: usize, path: &str) -> usize {
        let key = path
            .rsplit('/')
            .find(|k| !k.is_empty() && k.parse::<usize>().is_err())
            .map(crate::pointer_lines::unescape);
        let Some(key) = key else { return start };
        let needle = format!("\"{key}\"");
        self.text
            .lines()
            .enumerate()
            .skip(start.saturating_sub(1))
            .find(|(_, l)| l.contains(&needle))
            .map_or(start, |(i, _)| i + 1)
    }
}

/// A field as the page gives it.
struct PageField {
    line: usize,
    /// `None` for a field named only in its parent's prose.
    ty: Option<String>,
    /// `None` where the page cannot say (a field named in prose).
    required: Option<bool>,
    description: Option<String>,
    description_line: usize,
}

impl PageField {
    fn listed(field: &page::Field) -> Self {
        PageField {
            line: field.line,
            ty: Some(field.ty.clone()),
            required: Some(field.required),
            description: Some(field.description.clone()),
            description_line: field.description_line,
        }
    }
}

/// What a `Response` section's prose says the response is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProseKind {
    Array,
    Object,
    NoContent,
}

impl ProseKind {
    fn as_str(self) -> &'static str {
        match self {
            ProseKind::Array => "an array",
            ProseKind::Object => "an object",
            ProseKind::NoContent => "204 No Content without a body",
        }
    }
}

/// The kind of response prose (lower case) states, where it states one:
/// "returns an array of ...", "returns the ... object", "204 no content".
fn prose_kind(prose: &str) -> Option<ProseKind> {
    if prose.contains("204 no content") {
        Some(ProseKind::NoContent)
    } else if prose.contains("returns an array") || prose.contains("returns a list") {
        Some(ProseKind::Array)
    } else if prose.starts_with("returns ")
        && prose
            .split(['.', ';'])
            .next()
            .is_some_and(|sentence| sentence.ends_with(" object"))
    {
        Some(ProseKind::Object)
    } else {
        None
    }
}

/// The value at a flattened field path (`address.city`, `data[].name`, the first
/// item standing for every item), with its JSON pointer.
fn value_at<'v>(value: &'v Value, path: &str) -> Option<(String, &'v Value)> {
    let mut pointer = String::new();
    let mut at = value;
    for part in path.split('.') {
        let (key, items) = match part.strip_suffix("[]") {
            Some(key) => (key, true),
            None => (part, false),
        };
        at = at.get(key)?;
        pointer.push('/');
        pointer.push_str(&escape(key));
        if items {
            at = at.get(0)?;
            pointer.push_str("/0");
        }
    }
    Some((pointer, at))
}

/// Whose example is validated: the page's (starting on a line) or one the spec
/// embeds (at a pointer).
enum Origin {
    Page(usize),
    Spec(String),
}

/// The base of a curl URL whose path is the page's path, its templates
/// (`{id}`) standing for one segment each; `None` when the URL has another path.
fn url_base<'u>(url: &'u str, path: &str) -> Option<&'u str> {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let mut base = url;
    for segment in path
        .split('/')
        .skip(1)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        let (rest, last) = base.rsplit_once('/')?;
        let template = segment.starts_with('{') && segment.ends_with('}');
        if !(last == segment || template && !last.is_empty()) {
            return None;
        }
        base = rest;
    }
    Some(base)
}

/// Whether a curl URL's path is the page's path.
fn url_matches_path(url: &str, path: &str) -> bool {
    url_base(url, path).is_some()
}

/// The JSON type of a schema: its `type`, or what its keywords imply.
fn json_type_of(schema: &Value) -> Option<&str> {
    schema.get("type").and_then(Value::as_str).or_else(|| {
        if schema.get("properties").is_some() {
            Some("object")
        } else if schema.get("items").is_some() {
            Some("array")
        } else {
            None
        }
    })
}

/// The JSON Schema type name of a value.
fn json_type_of_value(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The JSON type and format a page type means.
fn expected_type(page_type: &str, description: &str) -> (&'static str, Option<&'static str>) {
    match page_type {
        "integer" => ("integer", Some("int32")),
        "long" => ("integer", Some("int64")),
        "number" => ("number", None),
        "boolean" => ("boolean", None),
        "object" => ("object", None),
        "array" => ("array", None),
        _ if description.contains("yyyy-mm-dd") => ("string", Some("date")),
        _ => ("string", None),
    }
}

/// Whether two descriptions agree: after normalizing case, spacing and the final
/// period, one contains the other (the spec may say more than the page).
fn texts_agree(page: &str, spec: &str) -> bool {
    let normalize = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .trim_end_matches('.')
            .to_string()
    };
    let (page, spec) = (normalize(page), normalize(spec));
    page.contains(&spec) || spec.contains(&page)
}

/// One difference between two JSON values.
struct Difference {
    path: String,
    page: Option<String>,
    spec: Option<String>,
}

/// The differences between the page's value and the spec's, by JSON pointer.
fn differences(page: &Value, spec: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk_differences(page, spec, String::new(), &mut out);
    out
}

fn walk_differences(page: &Value, spec: &Value, path: String, out: &mut Vec<Difference>) {
    match (page, spec) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let child = format!("{path}/{}", escape(key));
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => walk_differences(x, y, child, out),
                    (x, y) => out.push(Difference {
                        path: child,
                        page: x.map(Value::to_string),
                        spec: y.map(Value::to_string),
                    }),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                walk_differences(x, y, format!("{path}/{i}"), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(Difference {
            path: if path.is_empty() { "/".into() } else { path },
            page: Some(a.to_string()),
            spec: Some(b.to_string()),
        }),
    }
}
