//! The captures against the navigation and the spec as a whole: which pages
//! are read and what each is (an API page, a guide, or neither), which
//! published pages have no capture, which spec operations no page documents,
//! and how much of each product the spec covers. Each API page whose operation
//! the spec has is compared by `compare.rs`.
//!
//! It is not the place for comparing one page with one operation.

use std::collections::{BTreeMap, BTreeSet};

use vendor_pages::{Navigation, nav::NavPage};

use super::compare::{self, PageOutcome};
use super::spec::Spec;
use super::{Captures, Coverage, Finding, Kind, Location, OperationReport};

/// What the run is limited to.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// The products of `--product` (empty: everything).
    pub products: Vec<String>,
    /// The vendor paths of the pages read.
    pub pages: BTreeSet<String>,
    /// Whether only some files were given.
    pub partial: bool,
}

impl Scope {
    /// Whether every page is in scope.
    pub fn everything(&self) -> bool {
        self.products.is_empty() && !self.partial
    }
}

/// Everything the run found.
pub struct Run {
    pub findings: Vec<Finding>,
    pub operations: Vec<OperationReport>,
    pub coverage: Vec<Coverage>,
    /// The page files read.
    pub read: Vec<String>,
    pub api_pages: usize,
    pub guides: usize,
    pub scope: Scope,
}

/// Reads the navigation, classifies and compares every page in scope.
pub fn run(spec: &Spec, captures: &Captures) -> Run {
    let mut findings = Vec::new();
    let nav = captures.nav.as_ref().and_then(|input| {
        match Navigation::parse(&input.text) {
            Ok(nav) => Some(nav),
            Err(problem) => {
                let file = input.file.display().to_string();
                findings.push(Finding {
                    kind: Kind::PageUnrecognized,
                    operation: super::NAV_FILE.to_string(),
                    capture: Some(super::NAV_FILE.to_string()),
                    product: None,
                    subject: "navigation".into(),
                    message: format!(
                        "{} is not the vendor's navigation ({problem}): guides cannot be told apart and coverage is not computed",
                        super::NAV_FILE
                    ),
                    page: Some(Location {
                        file,
                        line: problem
                            .strip_prefix("line ")
                            .and_then(|l| l.split(':').next())
                            .and_then(|l| l.parse().ok()),
                        pointer: None,
                    }),
                    spec: None,
                    page_says: None,
                    spec_says: None,
                    fix: "recapture docs.json with cargo xtask docs-sync".into(),
                    allowed: None,
                });
                None
            }
        }
    });
    let nav_pages: BTreeMap<String, &NavPage> = nav
        .iter()
        .flat_map(|n| n.pages.iter())
        .map(|p| (p.file(), p))
        .collect();
    let in_scope = |nav_page: Option<&&NavPage>| {
        captures.products.is_empty()
            || nav_page
                .and_then(|p| p.product())
                .is_some_and(|product| captures.products.contains(&product))
    };
    let spec_operations: BTreeMap<String, String> = spec.operations().into_iter().collect();
    // A page the navigation does not list (hidden, or redirected as the legacy
    // create-client page) has no anchor: it belongs to the products its
    // operation is tagged with in the spec, so that a run limited to them
    // compares it as a full run does, rather than call the operation
    // undocumented.
    let outside_in_scope = |capture: &super::Capture| {
        vendor_pages::mdx::parse(&capture.input.text)
            .api()
            .and_then(|api| spec_operations.get(&api.value.to_string()))
            .is_some_and(|pointer| {
                spec.tags(pointer)
                    .iter()
                    .any(|t| captures.products.contains(t))
            })
    };
    let pages: Vec<(&super::Capture, Option<&NavPage>)> = captures
        .pages
        .iter()
        .filter(|c| match nav_pages.get(&c.path) {
            None if !captures.products.is_empty() => outside_in_scope(c),
            nav_page => in_scope(nav_page),
        })
        .map(|c| (c, nav_pages.get(&c.path).copied()))
        .collect();
    let scope = Scope {
        products: captures.products.clone(),
        pages: pages.iter().map(|(c, _)| c.path.clone()).collect(),
        partial: captures.partial,
    };
    let context = compare::Context {
        spec,
        operations: &spec_operations,
        nav: nav.as_ref(),
    };
    let outcomes = compare::pages(&context, &pages);

    let mut operations = Vec::new();
    let mut documented = BTreeSet::new();
    let mut in_spec: BTreeSet<String> = BTreeSet::new();
    let (mut api_pages, mut guides) = (0, 0);
    for outcome in outcomes {
        match outcome {
            PageOutcome::Api {
                findings: mut f,
                report,
                operation,
                capture,
                documented: is_documented,
            } => {
                api_pages += 1;
                findings.append(&mut f);
                if is_documented {
                    documented.insert(operation);
                    in_spec.insert(capture);
                }
                operations.extend(report);
            }
            PageOutcome::Guide { findings: mut f } => {
                guides += 1;
                findings.append(&mut f);
            }
            PageOutcome::Unrecognized { findings: mut f } => findings.append(&mut f),
        }
    }

    let captured: BTreeSet<&str> = captures.pages.iter().map(|c| c.path.as_str()).collect();
    if let Some(nav) = nav.as_ref().filter(|_| !captures.partial) {
        for page in &nav.pages {
            let file = page.file();
            if captured.contains(file.as_str()) || !in_scope(Some(&page)) {
                continue;
            }
            findings.push(not_captured(page, &file));
        }
    }
    if !captures.partial {
        undocumented(
            spec,
            &spec_operations,
            &documented,
            &captures.products,
            &mut findings,
        );
    }

    let coverage = nav
        .as_ref()
        .filter(|_| !captures.partial)
        .map(|nav| {
            nav.products()
                .into_iter()
                .filter(|p| captures.products.is_empty() || captures.products.contains(p))
                .map(|product| {
                    let published: Vec<&NavPage> = nav
                        .pages
                        .iter()
                        .filter(|p| !p.is_guide() && p.product().as_deref() == Some(&product))
                        .collect();
                    Coverage {
                        in_spec: published
                            .iter()
                            .filter(|p| in_spec.contains(&p.file()))
                            .count(),
                        not_captured: published
                            .iter()
                            .filter(|p| !captured.contains(p.file().as_str()))
                            .count(),
                        pages: published.len(),
                        product,
                    }
                })
                .collect()
        })
        .unwrap_or_default();

    Run {
        findings,
        operations,
        coverage,
        read: pages
            .iter()
            .map(|(c, _)| c.input.file.display().to_string())
            .collect(),
        api_pages,
        guides,
        scope,
    }
}

/// A page of the navigation without a capture.
fn not_captured(page: &NavPage, file: &str) -> Finding {
    let place = std::iter::once(page.tab.as_str())
        .chain(page.anchor.as_deref())
        .chain(page.groups.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" › ");
    Finding {
        kind: Kind::PageNotCaptured,
        operation: file.to_string(),
        capture: Some(file.to_string()),
        product: page.product(),
        subject: "capture".into(),
        message: format!(
            "the navigation lists {file} ({place}), no capture of it is in the capture folder"
        ),
        page: None,
        spec: None,
        page_says: Some(place),
        spec_says: None,
        fix: "run cargo xtask docs-sync; where no source of the page exists, record it under `absent` in openapi/vendor-manifest.yaml and allow the finding with that reason".into(),
        allowed: None,
    }
}

/// Each spec operation no page documents. Limited to products, only the
/// operations tagged with one of them are expected to be documented.
fn undocumented(
    spec: &Spec,
    operations: &BTreeMap<String, String>,
    documented: &BTreeSet<String>,
    products: &[String],
    findings: &mut Vec<Finding>,
) {
    for (operation, pointer) in operations {
        if documented.contains(operation) {
            continue;
        }
        let tags = spec.tags(pointer);
        if !products.is_empty() && !tags.iter().any(|t| products.contains(t)) {
            continue;
        }
        findings.push(Finding {
            kind: Kind::OperationUndocumented,
            operation: operation.clone(),
            capture: None,
            product: tags.into_iter().next(),
            subject: "operation".into(),
            message: format!("no captured page documents the spec's operation {operation}"),
            page: None,
            spec: Some(Location {
                file: spec.file.clone(),
                line: None,
                pointer: Some(pointer.clone()),
            }),
            page_says: None,
            spec_says: Some(operation.clone()),
            fix: "capture the operation's page (cargo xtask docs-sync), or allow the finding with the reason".into(),
            allowed: None,
        });
    }
}
