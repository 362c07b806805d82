//! The comparison of one page with the spec: what the page is, what each
//! difference with its operation is, where it is on both sides, and how to fix
//! it.
//!
//! It is not the place for reading either input (`vendor-pages`, `spec.rs`),
//! for the navigation as a whole (`coverage.rs`) or for presenting the findings
//! (`output.rs`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use vendor_pages::mdx::{self, CodeBlock, Content, Field, FieldType, Page, ParamIn, SectionKind};
use vendor_pages::nav::NavPage;
use vendor_pages::{Curl, Located, Navigation};

use super::prose::{self, ProseKind, texts_agree};
use super::spec::{Spec, SpecField, escape};
use super::{Capture, FieldRow, Finding, Kind, Location, OperationReport};

mod webhooks;

/// What every page's comparison reads.
pub struct Context<'a> {
    /// The spec.
    pub spec: &'a Spec,
    /// Its operations: `METHOD /path` to the operation's pointer.
    pub operations: &'a BTreeMap<String, String>,
    /// The navigation, when there is one.
    pub nav: Option<&'a Navigation>,
}

/// What comparing one page found.
pub enum PageOutcome {
    /// An API page.
    Api {
        findings: Vec<Finding>,
        report: Option<OperationReport>,
        /// `METHOD /path`.
        operation: String,
        /// The page's vendor path.
        capture: String,
        /// Whether the spec has the operation.
        documented: bool,
    },
    /// A guide of the navigation.
    Guide { findings: Vec<Finding> },
    /// Neither.
    Unrecognized { findings: Vec<Finding> },
}

/// Compares every page, on as many threads as the machine has cores, each
/// taking a contiguous share so that the results keep the pages' order.
pub fn pages(context: &Context<'_>, pages: &[(&Capture, Option<&NavPage>)]) -> Vec<PageOutcome> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, pages.len().max(1));
    let share = pages.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = pages
            .chunks(share)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|(capture, nav)| page(context, capture, *nav))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// One page: what it is, and its comparison with its operation.
fn page(context: &Context<'_>, capture: &Capture, nav: Option<&NavPage>) -> PageOutcome {
    let parsed = mdx::parse(&capture.input.text);
    let mut diff = PageDiff {
        spec: context.spec,
        file: capture.input.file.display().to_string(),
        capture: capture.path.clone(),
        product: nav.and_then(NavPage::product),
        text: &capture.input.text,
        page: &parsed,
        operation: capture.path.clone(),
        findings: Vec::new(),
        rows: Vec::new(),
    };
    if parsed.front.is_none() {
        let first = capture
            .input
            .text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("(nothing)");
        let first: String = first.trim().chars().take(80).collect();
        let f = diff
            .finding(
                Kind::PageUnrecognized,
                "front-matter",
                format!(
                    "{} is neither an API page nor a guide: a vendor page starts with MDX front matter (a line `---`, `title: ...`, and `api: \"METHOD /path\"` on an API page, then `---`); this file starts with {first:?}",
                    capture.path
                ),
            )
            .page(Some(1))
            .says(Some(first), None)
            .fix("recapture the file with cargo xtask docs-sync: this is not the vendor's page (a failed download saves an error page)");
        diff.push(f);
        return PageOutcome::Unrecognized {
            findings: diff.findings,
        };
    }
    let Some(api) = parsed.api() else {
        diff.problems();
        let place = nav.map(|p| {
            std::iter::once(p.tab.as_str())
                .chain(p.anchor.as_deref())
                .chain(p.groups.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" › ")
        });
        let why = match (nav, context.nav) {
            (Some(p), _) if p.is_guide() => {
                let title = parsed.title().unwrap_or_default().to_string();
                let f = diff
                    .finding(
                        Kind::PageNotApi,
                        "page",
                        format!(
                            "a guide of the navigation ({}, \"{title}\"): read, not compared with the spec",
                            place.unwrap_or_default()
                        ),
                    )
                    .page(Some(1))
                    .says(Some(title), None)
                    .fix("nothing to do: the API pages state what the spec follows");
                diff.push(f);
                // A guide the spec's webhook schemas follow (D-W1) is
                // compared with them.
                diff.webhooks();
                return PageOutcome::Guide {
                    findings: diff.findings,
                };
            }
            (Some(_), _) => format!(
                "the navigation lists {} under {}, where pages document operations, but it has no `api:` in its front matter",
                capture.path,
                place.unwrap_or_default()
            ),
            (None, None) => format!(
                "{} has no `api:` in its front matter, and without the navigation (docs.json) it cannot be known as a guide",
                capture.path
            ),
            (None, Some(_)) => format!(
                "{} has no `api:` in its front matter and the navigation does not list it: neither an API page nor a guide",
                capture.path
            ),
        };
        let title = parsed.title().map(str::to_string);
        let f = diff
            .finding(Kind::PageUnrecognized, "api", why)
            .page(Some(1))
            .says(title, None)
            .fix("recapture the file with cargo xtask docs-sync; an API page needs `api: \"METHOD /path\"`, a guide must be in the navigation");
        diff.push(f);
        return PageOutcome::Unrecognized {
            findings: diff.findings,
        };
    };
    diff.operation = version_of(context, &parsed, api.value.to_string());
    diff.page_itself();
    if nav.is_none()
        && let Some(navigation) = context.nav
    {
        let redirect = navigation
            .redirect(&capture.path)
            .map(|to| format!(", which redirects it to {to}"))
            .unwrap_or_default();
        let compared = if context.operations.contains_key(&diff.operation) {
            "compared with the spec's operation"
        } else {
            "the spec does not have its operation"
        };
        let f = diff
            .finding(
                Kind::PageOutsideNavigation,
                "navigation",
                format!(
                    "the vendor's navigation does not list this page{redirect}; {compared}"
                ),
            )
            .page(Some(api.line))
            .says(Some("not in the navigation".into()), None)
            .fix("nothing to do while the spec follows the page; when the vendor removes the feature, deprecate or remove the operation");
        diff.push(f);
    }
    let operation = diff.operation.clone();
    match context.operations.get(&operation) {
        Some(pointer) => {
            diff.operation_against(pointer);
            PageOutcome::Api {
                report: Some(OperationReport {
                    operation: operation.clone(),
                    page: diff.file.clone(),
                    fields: std::mem::take(&mut diff.rows),
                }),
                findings: diff.findings,
                operation,
                capture: capture.path.clone(),
                documented: true,
            }
        }
        None => {
            if nav.is_some() || context.nav.is_none() {
                let f = diff
                    .finding(
                        Kind::OperationMissing,
                        "operation",
                        format!("the spec has no operation {operation}"),
                    )
                    .page(Some(api.line))
                    .spec("/paths")
                    .says(Some(operation.clone()), None)
                    .fix("add the operation under `paths`, written from the page");
                diff.push(f);
            }
            PageOutcome::Api {
                report: None,
                findings: diff.findings,
                operation,
                capture: capture.path.clone(),
                documented: false,
            }
        }
    }
}

/// A finding under construction, bound to the page being compared, so that
/// locations need only a line or a pointer.
struct Bound<'d> {
    finding: Finding,
    page_file: &'d str,
    spec_file: &'d str,
}

impl Bound<'_> {
    fn page(mut self, line: Option<usize>) -> Self {
        self.finding.page = Some(Location {
            file: self.page_file.to_string(),
            line,
            pointer: None,
        });
        self
    }

    fn spec(mut self, pointer: &str) -> Self {
        self.finding.spec = Some(Location {
            file: self.spec_file.to_string(),
            line: None,
            pointer: Some(pointer.to_string()),
        });
        self
    }

    fn says(mut self, page: Option<String>, spec: Option<String>) -> Self {
        self.finding.page_says = page;
        self.finding.spec_says = spec;
        self
    }

    fn fix(mut self, fix: &str) -> Finding {
        self.finding.fix = fix.to_string();
        self.finding
    }
}

/// A field as the page gives it, flattened.
struct PageField {
    line: usize,
    /// The type attribute; `None` for a field named only in its parent's prose.
    ty: Option<String>,
    /// `None` where the page cannot say (a field named in prose).
    required: Option<bool>,
    description: Option<String>,
    description_line: usize,
    default: Option<String>,
    deprecated: bool,
}

impl PageField {
    fn listed(field: &Field) -> Self {
        PageField {
            line: field.line,
            ty: Some(field.ty.clone()),
            required: Some(field.required),
            description: Some(field.description.clone()),
            description_line: field.description_line,
            default: field.default.clone(),
            deprecated: field.deprecated,
        }
    }
}

/// One page's comparison.
struct PageDiff<'a> {
    spec: &'a Spec,
    file: String,
    capture: String,
    product: Option<String>,
    text: &'a str,
    page: &'a Page,
    operation: String,
    findings: Vec<Finding>,
    rows: Vec<FieldRow>,
}

/// Whose example is validated: the page's (starting on a line) or one the spec
/// embeds (at a pointer).
enum Origin {
    Page(usize),
    Spec(String),
}

impl<'a> PageDiff<'a> {
    fn finding(&self, kind: Kind, subject: &str, message: String) -> Bound<'_> {
        Bound {
            finding: Finding {
                kind,
                operation: self.operation.clone(),
                capture: Some(self.capture.clone()),
                product: self.product.clone(),
                subject: subject.to_string(),
                message,
                page: None,
                spec: None,
                page_says: None,
                spec_says: None,
                fix: String::new(),
                allowed: None,
            },
            page_file: &self.file,
            spec_file: &self.spec.file,
        }
    }

    fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// What the page says about itself: unplaced lines, missing parts,
    /// contradictions between its parts.
    fn page_itself(&mut self) {
        self.problems();
        self.missing_sections();
        self.curls_against_api();
        self.duplicates();
        self.path_parameters_in_path();
    }

    /// Each line or construct the grammar could not place.
    fn problems(&mut self) {
        for problem in &self.page.problems {
            let subject = if problem.text.is_empty() {
                problem.reason.clone()
            } else {
                problem.text.clone()
            };
            let f = self
                .finding(
                    Kind::PageUnparsedLine,
                    &subject,
                    format!("line not understood: {}", problem.reason),
                )
                .page(Some(problem.line))
                .says(Some(problem.text.clone()), None)
                .fix("recapture the page (cargo xtask docs-sync), or extend the page grammar (vendor-pages/src/mdx.rs) if the vendor's format changed");
            self.push(f);
        }
    }

    /// Each part of the format the page lacks, among those it should have.
    fn missing_sections(&mut self) {
        let page = self.page;
        let Some(api) = page.api() else { return };
        let sends_body = page.curls().iter().any(|(c, _)| c.data.is_some());
        let templated = api.value.path.contains('{');
        // The `## Response` section is not required: a page whose answer is
        // only an error or an empty body shows it in its examples alone.
        let sections = [
            ("cURL example", page.request_examples.is_empty()),
            ("response examples", page.response_examples.is_empty()),
            (
                "Body section",
                sends_body && page.section(SectionKind::Body).is_none(),
            ),
            (
                "Path parameters section",
                templated && page.section(SectionKind::Path).is_none(),
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
                    .page(Some(page.lines.max(1)))
                    .fix("recapture the page with cargo xtask docs-sync");
                self.push(f);
            }
        }
    }

    /// Every cURL example against the page's `api:` line: method, path, and
    /// the query parameters it sends.
    fn curls_against_api(&mut self) {
        let page = self.page;
        let Some(api) = page.api() else { return };
        let documented: BTreeSet<&str> = page
            .params(ParamIn::Query)
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        for (i, (curl, _)) in page.curls().into_iter().enumerate() {
            let at = if i == 0 {
                "request".to_string()
            } else {
                format!("request.{}", i + 1)
            };
            if curl.method != api.value.method {
                let f = self
                    .finding(
                        Kind::PageSelfContradiction,
                        &format!("{at}.method"),
                        format!(
                            "the cURL example sends {} but the page's `api:` (line {}) says {}",
                            curl.method, api.line, api.value.method
                        ),
                    )
                    .page(Some(curl.line))
                    .says(Some(curl.method.clone()), None)
                    .fix("report it to the vendor; the `api:` line decides which operation the page documents");
                self.push(f);
            }
            if url_base(&curl.url.value, &api.value.path).is_none() {
                let f = self
                    .finding(
                        Kind::PageSelfContradiction,
                        &format!("{at}.url"),
                        format!(
                            "the cURL example's URL {} does not end with the page's `api:` path {} (line {})",
                            curl.url.value, api.value.path, api.line
                        ),
                    )
                    .page(Some(curl.url.line))
                    .says(Some(curl.url.value.clone()), None)
                    .fix("report it to the vendor; the `api:` line decides which operation the page documents");
                self.push(f);
            }
            let mut sent = BTreeSet::new();
            for (name, _) in curl.query() {
                let name = name.strip_suffix("[]").unwrap_or(&name).to_string();
                if !documented.contains(name.as_str()) && sent.insert(name.clone()) {
                    let f = self
                        .finding(
                            Kind::PageSelfContradiction,
                            &format!("{at}.query.{name}"),
                            format!("the cURL example sends the query parameter {name}, which the page does not list"),
                        )
                        .page(Some(curl.url.line))
                        .says(Some(name.clone()), None)
                        .fix("report it to the vendor; the parameter list decides");
                    self.push(f);
                }
            }
        }
    }

    /// Every field or parameter listed twice under one parent.
    fn duplicates(&mut self) {
        for (side, fields) in self.lists() {
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            let mut all = Vec::new();
            flatten(&fields, "", &mut all);
            for (path, field) in all {
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
        let Some(api) = self.page.api() else { return };
        for field in self.page.params(ParamIn::Path) {
            if !api.value.path.contains(&format!("{{{}}}", field.name)) {
                let f = self
                    .finding(
                        Kind::PageSelfContradiction,
                        &format!("path.{}.template", field.name),
                        format!(
                            "the path parameter {} is not a template of the page's path {} (line {})",
                            field.name, api.value.path, api.line
                        ),
                    )
                    .page(Some(field.line))
                    .fix("report it to the vendor; the `api:` line's path decides");
                self.push(f);
            }
        }
    }

    /// The page's field lists with the side names findings use.
    fn lists(&self) -> Vec<(&'static str, Vec<&'a Field>)> {
        let page = self.page;
        vec![
            ("path", page.params(ParamIn::Path)),
            ("query", page.params(ParamIn::Query)),
            ("header", page.params(ParamIn::Header)),
            ("request", page.params(ParamIn::Body)),
            ("response", page.response_fields()),
        ]
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

    /// The page's deprecation against the operation's `deprecated`.
    fn deprecation(&mut self, pointer: &str) {
        let spec = self
            .spec
            .at(&format!("{pointer}/deprecated"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let notice = self.page.deprecation();
        if notice.is_some() == spec {
            return;
        }
        let (message, fix, line) = match &notice {
            Some(n) => (
                "the page is deprecated (its Deprecated banner), the spec's operation is not",
                "set `deprecated: true` on the operation",
                Some(n.line),
            ),
            None => (
                "the spec's operation is deprecated, the page has no Deprecated banner",
                "remove `deprecated: true` from the operation, or allow the finding with the reason",
                self.page.description().map(|d| d.line),
            ),
        };
        let f = self
            .finding(Kind::DeprecationMismatch, "deprecated", message.into())
            .page(line)
            .spec(&format!("{pointer}/deprecated"))
            .says(
                Some(notice.map_or("no banner".into(), |n| prose::plain(&n.value))),
                Some(format!("deprecated: {spec}")),
            )
            .fix(fix);
        self.push(f);
    }

    /// The page's intro against the operation's description (or summary).
    fn description(&mut self, pointer: &str) {
        let Some(page) = self.page.description() else {
            return;
        };
        let spec = self.spec.at(pointer).and_then(|op| {
            op.get("description")
                .or_else(|| op.get("summary"))
                .and_then(Value::as_str)
        });
        // The spec may carry the first paragraph and say the rest in its own
        // words.
        let first = self.page.intro.first().map(|p| p.value.as_str());
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
                .says(Some(prose::plain(&page.value)), Some(spec))
                .fix("start the spec's description with the page's paragraph");
            self.push(f);
        }
    }

    /// The names of the header parameters either side declares, lower case.
    fn header_parameters(&self, pointer: &str) -> BTreeSet<String> {
        let mut names: BTreeSet<String> = self
            .page
            .params(ParamIn::Header)
            .iter()
            .map(|f| f.name.to_ascii_lowercase())
            .collect();
        for ((place, name), _) in self.declared_parameters(pointer) {
            if place == "header" {
                names.insert(name.to_ascii_lowercase());
            }
        }
        names
    }

    /// The cURL example's authentication headers against the spec's security.
    fn security(&mut self, pointer: &str) {
        let parameters = self.header_parameters(pointer);
        let Some((curl, _)) = self.page.curls().into_iter().next() else {
            return;
        };
        let page_headers: BTreeSet<String> = curl
            .headers
            .iter()
            .map(|h| h.value.0.to_ascii_lowercase())
            .filter(|n| !matches!(n.as_str(), "content-type" | "accept" | "user-agent"))
            .filter(|n| !parameters.contains(n))
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
                    "the cURL example authenticates differently from the spec's security".into(),
                )
                .page(Some(line))
                .spec(&requirements_pointer)
                .says(Some(show(&page_headers)), Some(spec_says))
                .fix("make components/securitySchemes (or the operation's security) name the page's header");
            self.push(f);
        }
    }

    /// The cURL example's base URL against the spec's servers.
    fn server(&mut self, pointer: &str) {
        let Some(api) = self.page.api() else { return };
        let Some((curl, _)) = self.page.curls().into_iter().next() else {
            return;
        };
        let Some(base) = url_base(&curl.url.value, &api.value.path) else {
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
                    format!("the cURL example's server {base} is not among the spec's servers"),
                )
                .page(Some(curl.url.line))
                .spec(&servers_pointer)
                .says(Some(base.to_string()), Some(urls.join(", ")))
                .fix("add the page's base URL to `servers`");
            self.push(f);
        }
    }

    /// The spec's parameters of the operation (over its path item's):
    /// `(in, name)` to the parameter object's pointer.
    fn declared_parameters(&self, pointer: &str) -> BTreeMap<(String, String), String> {
        let path_item = pointer.rsplit_once('/').map_or("", |(p, _)| p).to_string();
        let mut declared = BTreeMap::new();
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
                // Header names are case-insensitive.
                let name = if place == "header" {
                    name.to_ascii_lowercase()
                } else {
                    name.to_string()
                };
                declared.insert((place.to_string(), name), at);
            }
        }
        declared
    }

    /// The page's path, query and header parameters against the spec's.
    fn parameters(&mut self, pointer: &str) {
        let declared = self.declared_parameters(pointer);
        for (place, kind) in [
            ("path", ParamIn::Path),
            ("query", ParamIn::Query),
            ("header", ParamIn::Header),
        ] {
            let listed = self.page.params(kind);
            let key = |name: &str| {
                if kind == ParamIn::Header {
                    name.to_ascii_lowercase()
                } else {
                    name.to_string()
                }
            };
            for field in &listed {
                let subject = format!("{place}.{}", field.name);
                let Some(at) = declared.get(&(place.to_string(), key(&field.name))) else {
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
                let spec_field = SpecField {
                    pointer: at.clone(),
                    resolved: self.spec.resolve_schema(&schema).unwrap_or(schema),
                    required: self
                        .spec
                        .at(&format!("{at}/required"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    required_at: format!("{at}/required"),
                    deprecated_at: format!("{at}/deprecated"),
                };
                let before = self.findings.len();
                // A path parameter is always required, whatever either side says.
                let side = if kind == ParamIn::Path {
                    "path"
                } else {
                    "parameter"
                };
                self.field_pair(side, &subject, &PageField::listed(field), &spec_field, None);
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
                if p == place && !listed.iter().any(|f| key(&f.name) == *name) {
                    let subject = format!("{place}.{name}");
                    let line = self
                        .page
                        .sections
                        .iter()
                        .find(|s| s.kind.param_in() == Some(kind))
                        .map(|s| s.heading.line)
                        .or(self.page.api().map(|a| a.line));
                    let f = self
                        .finding(
                            Kind::ParameterUndocumented,
                            &subject,
                            format!("the spec's {place} parameter {name} is not on the page"),
                        )
                        .page(line)
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

    /// The request: the content type and body of every cURL example, the
    /// `## Body` fields.
    fn request(&mut self, pointer: &str) {
        let page = self.page;
        let curls = page.curls();
        let body_pointer = self.spec.follow_refs(&format!("{pointer}/requestBody"));
        let media_types: Vec<String> = body_pointer
            .as_ref()
            .and_then(|b| self.spec.at(&format!("{b}/content")))
            .and_then(Value::as_object)
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default();
        let body_fields = page.params(ParamIn::Body);
        let first = curls.first().map(|(c, _)| *c);
        let content_type = |curl: &Curl| {
            curl.headers
                .iter()
                .find(|h| h.value.0.eq_ignore_ascii_case("content-type"))
                .cloned()
        };
        let sends_body = curls.iter().any(|(c, _)| c.data.is_some()) || !body_fields.is_empty();
        if sends_body {
            let header = first.and_then(content_type);
            let page_type = header.as_ref().map(|h| h.value.1.clone());
            let declared = page_type.as_ref().is_some_and(|t| {
                let base = t.split(';').next().unwrap_or("").trim();
                media_types.iter().any(|m| m.eq_ignore_ascii_case(base))
            });
            if !declared {
                let line = header.as_ref().map(|h| h.line).or(first.map(|c| c.line));
                let spec_pointer = body_pointer
                    .clone()
                    .map_or(format!("{pointer}/requestBody"), |b| format!("{b}/content"));
                let spec_says = if media_types.is_empty() {
                    "no request body".to_string()
                } else {
                    media_types.join(", ")
                };
                let f = self
                    .finding(Kind::ContentTypeMismatch, "request.content-type", "the cURL example's Content-Type is not a media type of the spec's request body".into())
                    .page(line)
                    .spec(&spec_pointer)
                    .says(Some(page_type.unwrap_or_else(|| "none (curl then sends application/x-www-form-urlencoded)".into())), Some(spec_says))
                    .fix("declare the page's media type under the request body's `content`");
                self.push(f);
            }
        }
        let example = curls.first().and_then(|(_, data)| *data);
        let Some(body_pointer) = body_pointer else {
            if !body_fields.is_empty() {
                self.fields("request", &body_fields, None, example);
            }
            return;
        };
        let media = first
            .and_then(content_type)
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
        self.fields("request", &body_fields, schema.as_deref(), example);
        if let Some(schema) = schema.as_deref() {
            for (i, (_, data)) in curls.iter().enumerate() {
                if let Some(data) = data {
                    let label = if i == 0 {
                        "example".to_string()
                    } else {
                        format!("example.{}", i + 1)
                    };
                    self.example_against("request", &label, data, schema);
                }
            }
        }
        if let Some(example) = example {
            self.embedded("request", example, schema.as_deref(), &[media_pointer]);
        }
    }

    /// The responses: every example against its status, the `## Response`
    /// fields, the `## Errors` statuses, the statuses the spec declares that the
    /// page does not show.
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
        // 200 and 201 usually share one schema; compare the fields once.
        let schema = success.iter().find_map(|(_, _, s)| s.clone());
        // The page's success example: the first JSON example of a 2xx status.
        let success_tab = page.response_examples.iter().find(|t| {
            t.status.is_some_and(|s| (200..300).contains(&s))
                && matches!(t.content, Content::Json(_))
        });
        let success_example = success_tab.and_then(|t| match &t.content {
            Content::Json(v) => Some(v),
            _ => None,
        });
        self.response_fields(pointer, schema.as_deref(), success_example);
        for tab in &page.response_examples {
            self.tab(pointer, &statuses, tab);
        }
        self.errors_section(pointer, &statuses);
        self.statuses_shown(pointer, &statuses);
        if let (Some(example), Some(tab)) = (success_example, success_tab) {
            let status = tab.status.map(|s| s.to_string()).unwrap_or_default();
            let media: Vec<String> = success
                .iter()
                .filter(|(s, _, _)| *s == status)
                .map(|(_, m, _)| m.clone())
                .collect();
            let schema = success
                .iter()
                .find(|(s, _, _)| *s == status)
                .and_then(|(_, _, schema)| schema.clone());
            self.embedded("response", example, schema.as_deref(), &media);
        }
    }

    /// The statuses of the `## Errors` section (`<ResponseField name="404">`)
    /// are responses the operation must declare.
    fn errors_section(&mut self, pointer: &str, statuses: &[String]) {
        let entries: Vec<(u16, usize, String)> = self
            .page
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::Errors)
            .flat_map(|s| s.fields.iter())
            .filter_map(|f| Some((f.name.parse::<u16>().ok()?, f.line, f.ty.clone())))
            .collect();
        self.error_codes(pointer, statuses);
        for (status, line, reason) in entries {
            if declared_status(statuses, status).is_none() {
                let label = format!("{status} {reason}");
                let f = self
                    .finding(
                        Kind::StatusUndeclared,
                        &format!("response.{status}"),
                        format!("the page's Errors section lists {label}, the spec's operation declares no {status} response"),
                    )
                    .page(Some(line))
                    .spec(&format!("{pointer}/responses"))
                    .says(Some(label), Some(statuses.join(", ")))
                    .fix("declare the status under the operation's `responses`");
                self.push(f);
            }
        }
    }

    /// The codes of an `## Errors` table (its first column) against the
    /// values the operation's error schemas give `code`, where they enumerate
    /// them; a free-text `code` is not compared.
    fn error_codes(&mut self, pointer: &str, statuses: &[String]) {
        let sections: BTreeSet<usize> = self
            .page
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == SectionKind::Errors)
            .map(|(i, _)| i)
            .collect();
        let codes: Vec<(usize, String)> = self
            .page
            .tables
            .iter()
            .filter(|t| t.section.is_some_and(|s| sections.contains(&s)))
            .flat_map(|t| t.rows.iter())
            .filter_map(|row| {
                let cell = row.value.first()?;
                let code = cell.strip_prefix('`')?.strip_suffix('`')?;
                Some((row.line, code.to_string()))
            })
            .collect();
        if codes.is_empty() {
            return;
        }
        let mut declared: Vec<(String, Vec<String>)> = Vec::new();
        for status in statuses.iter().filter(|s| !s.starts_with(['1', '2', '3'])) {
            let Some((_, Some(schema))) = self.response_media(pointer, status) else {
                continue;
            };
            let Some(code) = self.spec.fields(&schema).remove("code") else {
                continue;
            };
            for key in ["enum", "x-extensible-enum"] {
                if let Some(values) = self
                    .spec
                    .at(&format!("{}/{key}", code.resolved))
                    .and_then(Value::as_array)
                {
                    declared.push((
                        format!("{}/{key}", code.resolved),
                        values
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect(),
                    ));
                }
            }
        }
        let Some((at, _)) = declared.first().cloned() else {
            return;
        };
        let known: BTreeSet<&String> = declared.iter().flat_map(|(_, v)| v.iter()).collect();
        for (line, code) in &codes {
            if known.contains(code) {
                continue;
            }
            let f = self
                .finding(
                    Kind::EnumMismatch,
                    &format!("response.code.{code}"),
                    format!("the page's Errors section lists the code {code}, the spec's error schema does not enumerate it"),
                )
                .page(Some(*line))
                .spec(&at)
                .says(Some(code.clone()), Some(known.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")))
                .fix("add the code to the error schema's `code` values");
            self.push(f);
        }
    }

    /// Each status the operation declares that the page does not show.
    fn statuses_shown(&mut self, pointer: &str, statuses: &[String]) {
        let tabs = &self.page.response_examples;
        if tabs.is_empty() {
            return;
        }
        // A status the Response section's prose names ("Returns 204 No
        // Content"), or the Errors section lists, is shown too.
        let mut shown: BTreeSet<String> = self
            .page
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::Response)
            .flat_map(|s| s.prose.iter())
            .flat_map(|p| {
                p.value
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        shown.extend(
            self.page
                .sections
                .iter()
                .filter(|s| s.kind == SectionKind::Errors)
                .flat_map(|s| s.fields.iter().map(|f| f.name.clone())),
        );
        for status in statuses {
            if shown.contains(status) {
                continue;
            }
            let by_tab = tabs.iter().any(|t| match t.status {
                Some(s) => {
                    let code = s.to_string();
                    *status == code || status.eq_ignore_ascii_case(&format!("{}XX", &code[..1]))
                }
                None => false,
            });
            // A response the operation shares by `$ref` (the errors every
            // operation can return) is documented once, on the errors page; only
            // the operation's own responses are expected among its examples.
            let shared = self
                .spec
                .at(&format!("{pointer}/responses/{}/$ref", escape(status)))
                .is_some();
            if by_tab || shared || status == "default" {
                continue;
            }
            let f = self
                .finding(
                    Kind::StatusUndocumented,
                    &format!("response.{status}"),
                    format!("the spec's operation declares a {status} response, no example of the page shows one"),
                )
                .page(tabs.first().map(|t| t.line))
                .spec(&format!("{pointer}/responses/{}", escape(status)))
                .says(None, Some(status.clone()))
                .fix("nothing to do when another page documents it; otherwise remove the response, or allow the finding with the reason");
            self.push(f);
        }
    }

    /// The media type of a declared response (JSON first) and its schema's
    /// pointer; `None` when the response has no content.
    fn response_media(&self, pointer: &str, status: &str) -> Option<(String, Option<String>)> {
        let response = self
            .spec
            .follow_refs(&format!("{pointer}/responses/{}", escape(status)))?;
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

    /// The media types a declared response has.
    fn response_media_types(&self, pointer: &str, status: &str) -> Vec<String> {
        self.spec
            .follow_refs(&format!("{pointer}/responses/{}", escape(status)))
            .and_then(|r| self.spec.at(&format!("{r}/content")))
            .and_then(Value::as_object)
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The `Response` section: its fields against the first success schema (its
    /// items where the page says the response is an array), and what its prose
    /// or a `name="[]"` field says the response is.
    fn response_fields(
        &mut self,
        pointer: &str,
        schema: Option<&str>,
        example: Option<&'a Located<Value>>,
    ) {
        let Some(section) = self.page.section(SectionKind::Response) else {
            return;
        };
        let fields = self.page.response_fields();
        let prose: String = section
            .prose
            .iter()
            .map(|p| p.value.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let prose_line = section
            .prose
            .first()
            .map_or(section.heading.line, |p| p.line);
        // `<ResponseField name="[]">`: the response is an array of its children.
        let items_field = match fields.as_slice() {
            [only] if only.name == "[]" => Some(*only),
            _ => None,
        };
        let said = if items_field.is_some() {
            Some(ProseKind::Array)
        } else {
            prose::prose_kind(&prose)
        };
        let said_line = items_field.map_or(prose_line, |f| f.line);
        if let Some(kind) = said {
            self.response_kind(pointer, kind, schema, said_line);
        } else if fields.is_empty() {
            let f = self
                .finding(
                    Kind::ResponseProseOnly,
                    "response.prose",
                    "the Response section lists no field and names no kind of response; its fields are compared through the examples only".into(),
                )
                .page(Some(prose_line))
                .says(Some(prose::plain(&prose)), None)
                .fix("nothing to do; the examples are still validated against the spec");
            self.push(f);
        }
        if fields.is_empty() {
            return;
        }
        // A page that lists fields without saying what the response is, and
        // whose success example is an array (List all operations), lists the
        // fields of each item: the example is the page's word on the kind.
        let example_is_array = said.is_none() && example.is_some_and(|e| e.value.is_array());
        if said == Some(ProseKind::Array) || example_is_array {
            // The fields are those of each item of the array.
            let items = schema
                .and_then(|s| self.spec.resolve_schema(s))
                .map(|s| format!("{s}/items"))
                .filter(|s| self.spec.at(s).is_some());
            let item = example.and_then(|e| {
                e.value.get(0).map(|v| Located {
                    line: e.line,
                    value: v.clone(),
                })
            });
            let listed: Vec<&Field> = match items_field {
                Some(f) => f.children.iter().collect(),
                None => fields,
            };
            self.fields("response", &listed, items.as_deref(), item.as_ref());
        } else {
            self.fields("response", &fields, schema, example);
        }
    }

    /// What the page says the success response is, against the spec's.
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

    /// One response example: its status declared on the operation; its body
    /// (JSON, none, or binary) what the spec's response of that status has.
    fn tab(&mut self, pointer: &str, statuses: &[String], tab: &CodeBlock) {
        let Some(status) = tab.status else { return };
        let label = format!(
            "{status} {}",
            tab.label.split_once(' ').map_or("", |(_, l)| l)
        )
        .trim()
        .to_string();
        let code = status.to_string();
        let Some(declared) = declared_status(statuses, status) else {
            let f = self
                .finding(
                    Kind::StatusUndeclared,
                    &format!("response.{code}"),
                    format!("the page has a response example {label}, the spec's operation declares no {code} response"),
                )
                .page(Some(tab.line))
                .spec(&format!("{pointer}/responses"))
                .says(Some(label.clone()), Some(statuses.join(", ")))
                .fix("declare the status under the operation's `responses`, with the schema of the example's body");
            self.push(f);
            return;
        };
        let response_pointer = format!("{pointer}/responses/{}", escape(&declared));
        let media_types = self.response_media_types(pointer, &declared);
        let json_media = media_types
            .iter()
            .any(|m| m == "application/json" || m.ends_with("+json"));
        let kind = |f: &Self, page_says: &str, spec_says: String, message: String| {
            f.finding(
                Kind::ResponseKindMismatch,
                &format!("response.{label}.kind"),
                message,
            )
            .page(Some(tab.line))
            .spec(&response_pointer)
            .says(Some(page_says.to_string()), Some(spec_says))
            .fix("make the spec's response what the page shows: a schema of that type, no `content`, or a binary media type")
        };
        let declared_content = if media_types.is_empty() {
            "no content".to_string()
        } else {
            media_types.join(", ")
        };
        match &tab.content {
            Content::Json(body) => match self.response_media(pointer, &declared) {
                Some((_, Some(schema))) if json_media => {
                    self.example_against("response", &format!("{label}.example"), body, &schema);
                }
                Some(_) if json_media => {}
                _ => {
                    let f = kind(
                        self,
                        "a JSON body",
                        declared_content.clone(),
                        format!(
                            "the page's example {label} has a JSON body, the spec's {declared} response has {declared_content}"
                        ),
                    );
                    self.push(f);
                }
            },
            Content::Empty if !media_types.is_empty() => {
                let f = kind(
                    self,
                    "no body",
                    declared_content.clone(),
                    format!(
                        "the page's example {label} has no body, the spec's {declared} response has {declared_content}"
                    ),
                );
                self.push(f);
            }
            Content::Text if media_types.is_empty() || json_media => {
                let f = kind(
                    self,
                    "a binary body",
                    declared_content.clone(),
                    format!(
                        "the page's example {label} is a {} block (a binary body), the spec's {declared} response has {declared_content}",
                        tab.lang
                    ),
                );
                self.push(f);
            }
            _ => {}
        }
    }

    /// The fields of one side: the page's list against the spec's schema.
    fn fields(
        &mut self,
        side: &'static str,
        list: &[&Field],
        schema: Option<&str>,
        example: Option<&Located<Value>>,
    ) {
        let spec_fields = schema.map(|s| self.spec.fields(s)).unwrap_or_default();
        let schema_properties = schema
            .and_then(|s| self.spec.resolve_schema(s))
            .map(|s| format!("{s}/properties"))
            .unwrap_or_else(|| "/components/schemas".into());
        // The page's fields, flattened as the spec's are: children under their
        // parent's path (`address.city`, `items[].id`), and nested names from
        // the prose of an object or array field.
        let mut page_fields: BTreeMap<String, PageField> = BTreeMap::new();
        // The paths whose fields the page lists (so the spec's others there are
        // undocumented).
        let mut enumerated: BTreeSet<String> = BTreeSet::new();
        let mut flat = Vec::new();
        flatten(list, "", &mut flat);
        for (path, field) in &flat {
            let prefix = if is_array(field) {
                format!("{path}[]")
            } else {
                path.clone()
            };
            if !field.children.is_empty() {
                enumerated.insert(prefix.clone());
            }
            page_fields.insert(path.clone(), PageField::listed(field));
            let container = matches!(
                field.field_type(),
                Some(FieldType::Object | FieldType::Array(None))
            ) || field.field_type()
                == Some(FieldType::Array(Some(Box::new(FieldType::Object))));
            if field.children.is_empty() && container {
                let nested = prose::nested_fields(&field.description);
                if !nested.is_empty() {
                    for name in nested {
                        page_fields
                            .entry(format!("{prefix}.{name}"))
                            .or_insert(PageField {
                                line: field.description_line,
                                ty: None,
                                required: None,
                                description: None,
                                description_line: field.description_line,
                                default: None,
                                deprecated: false,
                            });
                    }
                    enumerated.insert(prefix);
                }
            }
        }
        let list_line = list.first().map(|f| f.line);
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
                        .says(Some(p.ty.clone().unwrap_or_else(|| "named in prose".into())), None)
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
                            .page(list_line)
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
                    self.field_pair(side, &subject, p, s, shown);
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

    /// A field (or parameter) both sides have: type, format, default,
    /// required, deprecation, enumerated values, description. `side` is
    /// `request`, `response`, `parameter` or `path`.
    fn field_pair(
        &mut self,
        side: &str,
        subject: &str,
        page: &PageField,
        spec: &SpecField,
        shown: Option<&Value>,
    ) {
        self.field_type(subject, page, spec, shown);
        self.default(subject, page, spec);
        self.required(side, subject, page, spec);
        self.field_deprecation(subject, page, spec);
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
                && !(page_text.contains('\n')
                    && texts_agree(page_text.lines().next().unwrap_or(""), &spec_text))
            {
                let f = self
                    .finding(
                        Kind::DescriptionDiffers,
                        subject,
                        "the field's description differs from the page's".into(),
                    )
                    .page(Some(page.description_line))
                    .spec(&format!("{}/description", spec.pointer))
                    .says(Some(prose::plain(page_text)), Some(spec_text))
                    .fix("use the page's words in the spec's description");
                self.push(f);
            }
        }
    }

    /// The page's type attribute against the spec's type and format (for
    /// `T[]`, the items' type too). `shown` is the value the page's example
    /// gives the field, if any.
    fn field_type(
        &mut self,
        subject: &str,
        page: &PageField,
        spec: &SpecField,
        shown: Option<&Value>,
    ) {
        let Some(page_type) = &page.ty else { return };
        let Some(parsed) = FieldType::parse(page_type) else {
            // Not a type word: the grammar reported it.
            return;
        };
        let null = Value::Null;
        let schema = self.spec.at(&spec.resolved).unwrap_or(&null);
        let description = page.description.as_deref().unwrap_or("");
        let (json_type, format) = expected_type(&parsed, description);
        let spec_type = json_type_of(schema);
        let spec_format = schema.get("format").and_then(Value::as_str);
        let items_differ = match (&parsed, spec_type) {
            (FieldType::Array(Some(item)), Some("array")) => {
                let items = self
                    .spec
                    .resolve_schema(&format!("{}/items", spec.resolved))
                    .and_then(|p| self.spec.at(&p))
                    .and_then(json_type_of);
                items.is_some_and(|t| t != item.json_type())
            }
            _ => false,
        };
        if spec_type != Some(json_type) || items_differ {
            let f = self
                .finding(
                    Kind::TypeMismatch,
                    subject,
                    format!(
                        "the page says {page_type}, the spec says {}",
                        self.type_of(&spec.resolved)
                    ),
                )
                .page(Some(page.line))
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
            // A string whose format the page leaves unsaid, shown in the page's
            // example: the spec may state the format the example shows (the
            // example's validation reports a value that breaks it).
            && !(json_type == "string" && format.is_none() && shown.is_some_and(Value::is_string))
            // Money: a page's `number` is a decimal amount, which the spec
            // writes `format: decimal` (the same JSON number on the wire, read
            // as an exact decimal instead of a float; PHASE2 conventions).
            && !(json_type == "number" && format.is_none() && spec_format == Some("decimal"))
        {
            let want = format.map_or("no format".to_string(), |f| format!("`format: {f}`"));
            let dated = description.to_lowercase().contains("yyyy-mm-dd");
            let f = self
                .finding(
                    Kind::FormatMismatch,
                    subject,
                    format!(
                        "the page's {page_type} means {want}, the spec says {}",
                        self.type_of(&spec.resolved)
                    ),
                )
                .page(Some(page.line))
                .spec(&spec.pointer)
                .says(
                    Some(if dated {
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

    /// The page's `default` against the schema's.
    fn default(&mut self, subject: &str, page: &PageField, spec: &SpecField) {
        let schema = self.spec.at(&spec.resolved);
        let spec_default = schema.and_then(|s| s.get("default"));
        let page_default = page.default.as_deref();
        let same = match (page_default, spec_default) {
            (None, None) => true,
            (Some(p), Some(s)) => match s {
                Value::String(s) => s == p,
                // A number or boolean default is written as its JSON text.
                other => serde_json::from_str::<Value>(p).is_ok_and(|v| v == *other),
            },
            _ => false,
        };
        if same || page.ty.is_none() {
            return;
        }
        let spec_says = spec_default.map_or("no default".to_string(), Value::to_string);
        let page_says = page_default.map_or("no default".to_string(), |d| format!("{d:?}"));
        let f = self
            .finding(
                Kind::DefaultMismatch,
                &format!("{subject}.default"),
                format!("the page's default is {page_says}, the spec's is {spec_says}"),
            )
            .page(Some(page.line))
            .spec(&spec.resolved)
            .says(Some(page_says), Some(spec_says))
            .fix("set the schema's `default` to the page's (or remove it)");
        self.push(f);
    }

    /// The page's `required` mark against the spec's `required`, both ways. A
    /// field named only in prose carries no mark and is not compared; a path
    /// parameter is always required.
    fn required(&mut self, side: &str, subject: &str, page: &PageField, spec: &SpecField) {
        if side == "path" {
            return;
        }
        match (page.required, spec.required) {
            (Some(false), true) if side == "response" => {
                let f = self
                    .finding(Kind::RequiredUndocumented, subject, "the spec requires a response field the page does not mark required".into())
                    .page(Some(page.line))
                    .spec(&spec.required_at)
                    .says(Some("optional".into()), Some("required".into()))
                    .fix("drop it from `required`, or allow the finding with the decision that justifies it");
                self.push(f);
            }
            (Some(false), true) => {
                let f = self
                    .finding(Kind::RequiredStricter, subject, "the spec requires what the page does not mark required: the generated builder refuses requests the API accepts".into())
                    .page(Some(page.line))
                    .spec(&spec.required_at)
                    .says(Some("optional".into()), Some("required".into()))
                    .fix("drop it from `required` (a parameter: `required: false`)");
                self.push(f);
            }
            (Some(true), false) => {
                let f = self
                    .finding(
                        Kind::RequiredMissing,
                        subject,
                        "the page marks the field required, the spec does not require it".into(),
                    )
                    .page(Some(page.line))
                    .spec(&spec.required_at)
                    .says(Some("required".into()), Some("optional".into()))
                    .fix("add it to the schema's `required` list (a parameter: `required: true`)");
                self.push(f);
            }
            _ => {}
        }
    }

    /// The page's `deprecated` attribute against the spec's `deprecated`.
    fn field_deprecation(&mut self, subject: &str, page: &PageField, spec: &SpecField) {
        if page.ty.is_none() {
            return;
        }
        let spec_deprecated = self
            .spec
            .at(&spec.deprecated_at)
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if page.deprecated == spec_deprecated {
            return;
        }
        let message = if page.deprecated {
            "the page marks it deprecated, the spec does not"
        } else {
            "the spec marks it deprecated, the page does not"
        };
        let f = self
            .finding(
                Kind::DeprecationMismatch,
                &format!("{subject}.deprecated"),
                message.into(),
            )
            .page(Some(page.line))
            .spec(&spec.deprecated_at)
            .says(
                Some(format!("deprecated: {}", page.deprecated)),
                Some(format!("deprecated: {spec_deprecated}")),
            )
            .fix("set (or remove) `deprecated: true` in the spec");
        self.push(f);
    }

    /// The values the page's description lists against the schema's `enum` or
    /// `x-extensible-enum`.
    fn enum_values(&mut self, subject: &str, page: &PageField, spec: &SpecField) {
        let Some((values, complete)) = page.description.as_deref().and_then(prose::prose_enum)
        else {
            return;
        };
        // For an array, the values are the items'.
        let resolved = match self.spec.at(&spec.resolved).and_then(json_type_of) {
            Some("array") => self
                .spec
                .resolve_schema(&format!("{}/items", spec.resolved))
                .unwrap_or_else(|| spec.resolved.clone()),
            _ => spec.resolved.clone(),
        };
        let schema = self.spec.at(&resolved);
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
                    format!("{resolved}/{key}"),
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
        spec: Option<&SpecField>,
        example: &Located<Value>,
    ) {
        let Some(page_type) = field.ty.as_deref().and_then(FieldType::parse) else {
            return;
        };
        let Some((pointer, value)) = value_at(&example.value, name) else {
            return;
        };
        let agrees = match page_type {
            FieldType::Integer | FieldType::Long => value.is_i64() || value.is_u64(),
            FieldType::Number => value.is_number(),
            FieldType::String => value.is_string(),
            FieldType::Boolean => value.is_boolean(),
            FieldType::Object => value.is_object(),
            FieldType::Array(_) => value.is_array(),
        };
        if agrees || value.is_null() {
            return;
        }
        let shown = json_type_of_value(value);
        let listed = page_type.json_type();
        let spec_type = spec
            .and_then(|s| self.spec.at(&s.resolved))
            .and_then(json_type_of);
        let follows = match spec_type {
            Some(t) if t == listed => "the spec follows the list",
            Some(t) if t == shown => "the spec follows the example",
            Some(_) => "the spec follows neither",
            None => "the spec has no such field",
        };
        let ty = field.ty.clone().unwrap_or_default();
        let line = self.line_of_key(example.line, &pointer);
        let f = self
            .finding(
                Kind::PageSelfContradiction,
                &format!("{subject}.example-type"),
                format!(
                    "the page's list says {name} is {ty} (line {}), its example shows {shown} {value}; {follows}",
                    field.line
                ),
            )
            .page(Some(line))
            .says(Some(format!("{ty} in the list, {shown} in the example")), spec.map(|s| self.type_of(&s.resolved)))
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
    fn example_against(&mut self, side: &str, label: &str, example: &Located<Value>, schema: &str) {
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
        example: &Located<Value>,
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

/// Whether a field holds an array (`array`, `T[]`): its children are its
/// items' fields.
fn is_array(field: &Field) -> bool {
    matches!(field.field_type(), Some(FieldType::Array(_)))
}

/// The fields of a tree with their dotted paths, children after their parent:
/// `address.city`, `items[].id` (a child of an array is a field of its items).
fn flatten<'f>(fields: &[&'f Field], prefix: &str, out: &mut Vec<(String, &'f Field)>) {
    for field in fields {
        let path = if prefix.is_empty() {
            field.name.clone()
        } else {
            format!("{prefix}.{}", field.name)
        };
        out.push((path.clone(), field));
        let child_prefix = if is_array(field) {
            format!("{path}[]")
        } else {
            path
        };
        let children: Vec<&Field> = field.children.iter().collect();
        flatten(&children, &child_prefix, out);
    }
}

/// The response an example's status falls under: its code, its range
/// (`4XX`), or `default`.
fn declared_status(statuses: &[String], status: u16) -> Option<String> {
    let code = status.to_string();
    let range = format!("{}XX", code.chars().next().unwrap_or('0'));
    [code.as_str(), range.as_str(), "default"]
        .into_iter()
        .find_map(|s| statuses.iter().find(|d| d.eq_ignore_ascii_case(s)).cloned())
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

/// The base of a cURL URL whose path is the page's path, its templates
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
fn expected_type(ty: &FieldType, description: &str) -> (&'static str, Option<&'static str>) {
    match ty {
        FieldType::Integer => ("integer", Some("int32")),
        FieldType::Long => ("integer", Some("int64")),
        FieldType::String if description.to_lowercase().contains("yyyy-mm-dd") => {
            ("string", Some("date"))
        }
        other => (other.json_type(), None),
    }
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

/// The spec's key of the operation a page documents: its `api:` (`METHOD
/// /path`), or where the spec has a version of that path (`METHOD /path#v2`,
/// DECISIONS.md D21), that version when the page's first cURL example sends
/// its fixed headers with their values (`-H "X-API-Version: 2"`). A page
/// that sends none is the unversioned operation's.
fn version_of(context: &Context<'_>, page: &Page, operation: String) -> String {
    let sent: Vec<(String, String)> = page
        .curls()
        .first()
        .map(|(curl, _)| curl.headers.iter().map(|h| h.value.clone()).collect())
        .unwrap_or_default();
    let prefix = format!("{operation}#");
    context
        .operations
        .iter()
        .filter(|(key, _)| key.starts_with(&prefix))
        .find(|(_, pointer)| {
            let fixed = context.spec.fixed_headers(pointer);
            !fixed.is_empty()
                && fixed.iter().all(|(name, value)| {
                    sent.iter()
                        .any(|(n, v)| n.eq_ignore_ascii_case(name) && v.trim() == value)
                })
        })
        .map_or(operation, |(key, _)| key.clone())
}
