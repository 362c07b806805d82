//! The three outputs of `api-diff`: text for a terminal, JSON for machines
//! (its structure is documented in `xtask/API-DIFF.md`; change it only with
//! `JSON_VERSION`), and markdown for a pull-request comment.

use serde_json::{Value, json};

use super::rust::{Effect, RustChange};
use super::{Change, JSON_VERSION, Report, Verdict};

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

/// Renders a report in a format.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Json => {
            let mut out = serde_json::to_string_pretty(&to_json(report))
                .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
            out.push('\n');
            out
        }
        Format::Markdown => markdown(report),
    }
}

fn effect_str(effect: Effect) -> &'static str {
    match effect {
        Effect::Breaking => "breaking",
        Effect::Additive => "additive",
        Effect::Neutral => "neutral",
    }
}

fn verdict_json(v: &Verdict) -> Value {
    json!({ "breaking": v.breaking, "reason": v.reason })
}

fn rust_item_json(r: &RustChange) -> Value {
    json!({
        "item": r.item,
        "before": r.before,
        "after": r.after,
        "effect": effect_str(r.effect),
        "reason": r.reason,
    })
}

/// The JSON document of a report (version [`JSON_VERSION`]).
pub fn to_json(report: &Report) -> Value {
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|c| {
            let mut rust = verdict_json(&c.rust);
            rust["effect"] = json!(effect_str(c.effect));
            rust["items"] = c.rust_changes.iter().map(rust_item_json).collect();
            json!({
                "kind": c.kind.as_str(),
                "pointer": c.pointer,
                "location": c.location,
                "before": c.before,
                "after": c.after,
                "wire": verdict_json(&c.wire),
                "rust": rust,
            })
        })
        .collect();
    json!({
        "version": JSON_VERSION,
        "base": report.base,
        "head": report.head,
        "bump": report.bump.as_str(),
        "summary": {
            "changes": report.changes.len(),
            "wire_breaking": report.wire_breaking(),
            "rust_breaking": report.rust_breaking(),
        },
        "changes": changes,
    })
}

fn summary(report: &Report) -> String {
    format!(
        "{} change{}, {} breaking on the wire, {} breaking for Rust code",
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" },
        report.wire_breaking(),
        report.rust_breaking(),
    )
}

fn mark(v: &Verdict) -> &'static str {
    if v.breaking { "BREAKING" } else { "ok" }
}

fn where_(c: &Change) -> String {
    let pointer = if c.pointer.is_empty() {
        c.rust_changes
            .first()
            .map(|r| r.item.clone())
            .unwrap_or_default()
    } else {
        c.pointer.clone()
    };
    match &c.location {
        Some(location) => format!("{pointer} ({location})"),
        None => pointer,
    }
}

fn text(report: &Report) -> String {
    let mut out = format!(
        "{} -> {}: {}; semver bump: {}\n",
        report.base,
        report.head,
        summary(report),
        report.bump.as_str()
    );
    for c in &report.changes {
        out.push_str(&format!("\n{} {}\n", c.kind.as_str(), where_(c)));
        out.push_str(&format!("  wire: {}: {}\n", mark(&c.wire), c.wire.reason));
        out.push_str(&format!("  rust: {}: {}\n", mark(&c.rust), c.rust.reason));
    }
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(report: &Report) -> String {
    let mut out = format!(
        "### API diff: **{}** version bump\n\n`{}` → `{}`: {}.\n\n",
        report.bump.as_str(),
        report.base,
        report.head,
        summary(report)
    );
    if report.changes.is_empty() {
        out.push_str("No change.\n");
        return out;
    }
    out.push_str("| # | change | where | wire | rust | why |\n|---|---|---|---|---|---|\n");
    let badge = |v: &Verdict| {
        if v.breaking {
            "❌ breaking"
        } else {
            "✅ compatible"
        }
    };
    for (i, c) in report.changes.iter().enumerate() {
        out.push_str(&format!(
            "| {} | `{}` | `{}` | {} | {} | wire: {}<br>rust: {} |\n",
            i + 1,
            c.kind.as_str(),
            cell(&where_(c)),
            badge(&c.wire),
            badge(&c.rust),
            cell(&c.wire.reason),
            cell(&c.rust.reason),
        ));
    }
    out.push_str("\n<details><summary>Generated type signatures</summary>\n\n```diff\n");
    out.push_str(&signature_diff(report));
    out.push_str("```\n\n</details>\n");
    out
}

/// The unified diff of the generated public signatures. Like git's function
/// context, each hunk's header names the item its first line belongs to, since
/// a struct's fields are often far from its name.
pub fn signature_diff(report: &Report) -> String {
    let base = lines(&report.base_signatures);
    let head = lines(&report.head_signatures);
    let diff = similar::TextDiff::from_lines(&base, &head);
    let mut out = String::new();
    for hunk in diff.unified_diff().context_radius(2).iter_hunks() {
        if out.is_empty() {
            out.push_str("--- base\n+++ head\n");
        }
        let first = hunk
            .ops()
            .first()
            .map(|op| op.old_range().start)
            .unwrap_or(0);
        let owner = report
            .base_signatures
            .get(first)
            .filter(|line| line.starts_with(' '))
            .and_then(|_| {
                report.base_signatures[..first]
                    .iter()
                    .rev()
                    .find(|line| !line.starts_with(' '))
            });
        match owner {
            Some(owner) => out.push_str(&format!("{} {owner}\n", hunk.header())),
            None => out.push_str(&format!("{}\n", hunk.header())),
        }
        for change in hunk.iter_changes() {
            out.push(match change.tag() {
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Insert => '+',
                similar::ChangeTag::Equal => ' ',
            });
            out.push_str(change.value());
            if !change.value().ends_with('\n') {
                out.push('\n');
            }
        }
    }
    if out.is_empty() {
        " (the generated public signatures do not change)\n".to_string()
    } else {
        out
    }
}

fn lines(items: &[String]) -> String {
    let mut s = items.join("\n");
    s.push('\n');
    s
}
