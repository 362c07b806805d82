//! The four presentations of a report: text for people at a terminal, JSON for
//! tools (structure documented in `xtask/DOCS-DIFF.md`, versioned), markdown for
//! pull-request comments, and GitHub workflow annotations.
//!
//! It is not the place for deciding what is a finding; it only shows them.

use std::fmt::Write as _;

use serde_json::{Value, json};

use std::collections::BTreeMap;

use super::{Finding, JSON_VERSION, Kind, Location, Report, Severity};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings grouped by operation, with both locations and the fix.
    Text,
    /// The whole report as one JSON document.
    Json,
    /// A summary and a per-field table per operation.
    Markdown,
    /// `::error file=…,line=…::` workflow annotations, one per finding.
    Github,
}

/// Renders a report.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&json(report)).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Markdown => markdown(report),
        Format::Github => github(report),
    }
}

/// Counts of the findings no allow entry accepts, by severity, and of the allowed.
fn counts(report: &Report) -> (usize, usize, usize, usize) {
    let of = |s: Severity| report.active().filter(|f| f.severity() == s).count();
    let allowed = report.findings.len() - report.active().count();
    (
        of(Severity::Error),
        of(Severity::Warning),
        of(Severity::Info),
        allowed,
    )
}

fn summary_line(report: &Report) -> String {
    let (errors, warnings, infos, allowed) = counts(report);
    let scope = if report.products.is_empty() {
        String::new()
    } else {
        format!(" (products: {})", report.products.join(", "))
    };
    format!(
        "{errors} error(s), {warnings} warning(s), {infos} info, {allowed} allowed; {} file(s) read{scope}: {} API page(s), {} guide(s), against {}",
        report.pages.len(),
        report.api_pages,
        report.guides,
        report.spec
    )
}

/// Per kind, in the order of the kinds: (findings not allowed, allowed).
fn by_kind(report: &Report) -> Vec<(Kind, usize, usize)> {
    let mut counts: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    for f in &report.findings {
        let c = counts.entry(f.kind).or_default();
        if f.allowed.is_some() {
            c.1 += 1;
        } else {
            c.0 += 1;
        }
    }
    counts.into_iter().map(|(k, (a, b))| (k, a, b)).collect()
}

/// Per product (the findings' product, `-` for none): (not allowed, allowed).
fn by_product(report: &Report) -> Vec<(String, usize, usize)> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for f in &report.findings {
        let c = counts
            .entry(f.product.clone().unwrap_or_else(|| "-".into()))
            .or_default();
        if f.allowed.is_some() {
            c.1 += 1;
        } else {
            c.0 += 1;
        }
    }
    counts.into_iter().map(|(k, (a, b))| (k, a, b)).collect()
}

/// The summary blocks of the text output: coverage, counts by kind and by
/// product.
fn summary_blocks(report: &Report, out: &mut String) {
    if !report.coverage.is_empty() {
        let _ = writeln!(
            out,
            "coverage (API pages of the navigation whose operation the spec has):"
        );
        for c in &report.coverage {
            let absent = if c.not_captured > 0 {
                format!(", {} not captured", c.not_captured)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {:<18} {:>3} of {:>3}{absent}",
                c.product, c.in_spec, c.pages
            );
        }
    }
    let kinds = by_kind(report);
    if !kinds.is_empty() {
        let _ = writeln!(out, "findings by kind (not allowed + allowed):");
        for (kind, active, allowed) in kinds {
            let _ = writeln!(
                out,
                "  {:<26} {:>4} + {:<4} {}",
                kind.id(),
                active,
                allowed,
                kind.severity().as_str()
            );
        }
        let _ = writeln!(out, "findings by product (not allowed + allowed):");
        for (product, active, allowed) in by_product(report) {
            let _ = writeln!(out, "  {product:<26} {active:>4} + {allowed}");
        }
    }
}

fn text(report: &Report) -> String {
    let mut out = String::new();
    let mut current = None;
    for finding in report.active() {
        if current != Some(&finding.operation) {
            let _ = writeln!(out, "{}", finding.operation);
            current = Some(&finding.operation);
        }
        let _ = writeln!(
            out,
            "  {}[{}] {}: {}",
            finding.severity().as_str(),
            finding.kind.id(),
            finding.subject,
            finding.message
        );
        if let Some(page) = &finding.page {
            let says = finding
                .page_says
                .as_ref()
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            let _ = writeln!(out, "    page: {page}{says}");
        }
        if let Some(spec) = &finding.spec {
            let says = finding
                .spec_says
                .as_ref()
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            let _ = writeln!(out, "    spec: {spec}{says}");
        }
        let _ = writeln!(out, "    fix: {}", finding.fix);
        let _ = writeln!(out, "    fingerprint: {}", finding.fingerprint());
    }
    summary_blocks(report, &mut out);
    let _ = writeln!(out, "{}", summary_line(report));
    out
}

fn location_json(location: &Option<Location>) -> Value {
    match location {
        Some(l) => json!({ "file": l.file, "line": l.line, "pointer": l.pointer }),
        None => Value::Null,
    }
}

/// The JSON document; its structure is documented in `xtask/DOCS-DIFF.md`.
pub fn json(report: &Report) -> Value {
    let (errors, warnings, infos, allowed) = counts(report);
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "kind": f.kind.id(),
                "severity": f.severity().as_str(),
                "operation": f.operation,
                "capture": f.capture,
                "product": f.product,
                "subject": f.subject,
                "message": f.message,
                "page": location_json(&f.page),
                "spec": location_json(&f.spec),
                "page_says": f.page_says,
                "spec_says": f.spec_says,
                "fix": f.fix,
                "fingerprint": f.fingerprint(),
                "allowed": f.allowed,
            })
        })
        .collect();
    let operations: Vec<Value> = report
        .operations
        .iter()
        .map(|o| {
            json!({
                "operation": o.operation,
                "page": o.page,
                "fields": o.fields.iter().map(|r| json!({
                    "side": r.side, "field": r.field, "page": r.page, "spec": r.spec, "status": r.status,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let coverage: Vec<Value> = report
        .coverage
        .iter()
        .map(|c| {
            json!({
                "product": c.product, "pages": c.pages, "in_spec": c.in_spec, "not_captured": c.not_captured,
            })
        })
        .collect();
    let kinds: serde_json::Map<String, Value> = by_kind(report)
        .into_iter()
        .map(|(k, active, allowed)| {
            (
                k.id().to_string(),
                json!({ "active": active, "allowed": allowed }),
            )
        })
        .collect();
    let products: serde_json::Map<String, Value> = by_product(report)
        .into_iter()
        .map(|(p, active, allowed)| (p, json!({ "active": active, "allowed": allowed })))
        .collect();
    json!({
        "version": JSON_VERSION,
        "spec": report.spec,
        "pages": report.pages,
        "api_pages": report.api_pages,
        "guides": report.guides,
        "products": report.products,
        "allow": report.allow,
        "summary": {
            "error": errors, "warning": warnings, "info": infos, "allowed": allowed,
            "by_kind": kinds, "by_product": products,
        },
        "coverage": coverage,
        "findings": findings,
        "operations": operations,
    })
}

/// Escapes a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(report: &Report) -> String {
    let (errors, warnings, infos, allowed) = counts(report);
    let mut out = String::from("## docs-diff\n\n");
    let _ = writeln!(
        out,
        "**{errors}** error(s), **{warnings}** warning(s), **{infos}** info, {allowed} allowed; {} file(s) read ({} API pages, {} guides) against `{}`.\n",
        report.pages.len(),
        report.api_pages,
        report.guides,
        report.spec
    );
    if !report.coverage.is_empty() {
        out.push_str(
            "| product | API pages | in the spec | not captured |\n| --- | ---: | ---: | ---: |\n",
        );
        for c in &report.coverage {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                c.product, c.pages, c.in_spec, c.not_captured
            );
        }
        out.push('\n');
    }
    let active: Vec<&Finding> = report.active().collect();
    if !active.is_empty() {
        out.push_str("| severity | kind | operation | subject | page | spec | message |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
        for f in active {
            let loc = |l: &Option<Location>| l.as_ref().map_or("-".to_string(), |l| l.to_string());
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | `{}` | {} | {} | {} |",
                f.severity().as_str(),
                f.kind.id(),
                cell(&f.operation),
                cell(&f.subject),
                cell(&loc(&f.page)),
                cell(&loc(&f.spec)),
                cell(&f.message),
            );
        }
        out.push('\n');
    }
    for operation in &report.operations {
        let _ = writeln!(out, "### {} ({})\n", operation.operation, operation.page);
        out.push_str("| side | field | page | spec | status |\n| --- | --- | --- | --- | --- |\n");
        for row in &operation.fields {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                row.side,
                cell(&row.field),
                cell(&row.page),
                cell(&row.spec),
                cell(&row.status)
            );
        }
        out.push('\n');
    }
    out
}

/// Escapes a workflow command's data (`%`, CR, LF) or property (also `:` and `,`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn github(report: &Report) -> String {
    let mut out = String::new();
    for f in report.active() {
        let command = match f.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        // The annotation goes where the fix goes: the spec when the finding has
        // a spec line, the page otherwise.
        let place = f
            .spec
            .as_ref()
            .filter(|l| l.line.is_some())
            .or(f.page.as_ref())
            .or(f.spec.as_ref());
        let mut properties = Vec::new();
        if let Some(l) = place {
            properties.push(format!("file={}", escape_property(&l.file)));
            if let Some(line) = l.line {
                properties.push(format!("line={line}"));
            }
        }
        properties.push(format!(
            "title={}",
            escape_property(&format!("docs-diff {}", f.kind.id()))
        ));
        let mut message = format!(
            "{}: {}: {}. Fix: {}",
            f.operation, f.subject, f.message, f.fix
        );
        if let Some(page) = &f.page {
            let _ = write!(message, " (page {page})");
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            escape_data(&message)
        );
    }
    out
}
