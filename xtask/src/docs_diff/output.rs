//! The four presentations of a report: text for people at a terminal, JSON for
//! tools (structure documented in `xtask/DOCS-DIFF.md`, versioned), markdown for
//! pull-request comments, and GitHub workflow annotations.
//!
//! It is not the place for deciding what is a finding; it only shows them.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Finding, JSON_VERSION, Location, Report, Severity};

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
    format!(
        "{errors} error(s), {warnings} warning(s), {infos} info, {allowed} allowed; {} page(s) against {}",
        report.pages.len(),
        report.spec
    )
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
    json!({
        "version": JSON_VERSION,
        "spec": report.spec,
        "pages": report.pages,
        "allow": report.allow,
        "summary": { "error": errors, "warning": warnings, "info": infos, "allowed": allowed },
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
        "**{errors}** error(s), **{warnings}** warning(s), **{infos}** info, {allowed} allowed; {} page(s) against `{}`.\n",
        report.pages.len(),
        report.spec
    );
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
