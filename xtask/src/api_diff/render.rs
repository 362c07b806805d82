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
            rust["effect"] = json!(if c.rust_known {
                effect_str(c.effect)
            } else {
                "unknown"
            });
            rust["items"] = c.rust_changes.iter().map(rust_item_json).collect();
            json!({
                "kind": c.kind.as_str(),
                "pointer": c.pointer,
                "location": c.location,
                "before": c.before,
                "after": c.after,
                "wire": verdict_json(&c.wire),
                "rust": rust,
                "rules": c.rules,
                "operations": c.operations,
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
        "rust_unknown": report.rust_unknown,
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

fn rust_mark(c: &Change) -> &'static str {
    if c.rust_known {
        mark(&c.rust)
    } else {
        "UNKNOWN"
    }
}

/// The bump as shown: a lower bound when the Rust verdicts are unknown.
fn bump_text(report: &Report) -> String {
    match report.rust_unknown {
        Some(_) => format!(
            "at least {} (the Rust verdicts are unknown: the generator cannot generate a spec)",
            report.bump.as_str()
        ),
        None => report.bump.as_str().to_string(),
    }
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
        bump_text(report)
    );
    for c in &report.changes {
        out.push_str(&format!("\n{} {}\n", c.kind.as_str(), where_(c)));
        if !c.rules.is_empty() {
            out.push_str(&format!("  oasdiff: {}\n", c.rules.join(", ")));
        }
        out.push_str(&format!("  wire: {}: {}\n", mark(&c.wire), c.wire.reason));
        out.push_str(&format!("  rust: {}: {}\n", rust_mark(c), c.rust.reason));
    }
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(report: &Report) -> String {
    let mut out = format!(
        "### API diff: **{}** version bump\n\n`{}` → `{}`: {}.\n\n",
        bump_text(report),
        report.base,
        report.head,
        summary(report)
    );
    if report.changes.is_empty() {
        out.push_str("No change.\n");
        return out;
    }
    let badge = |v: &Verdict| {
        if v.breaking {
            "❌ breaking"
        } else {
            "✅ compatible"
        }
    };
    // One table per group of operations a change affects, in the order the
    // groups first appear; changes that affect no operation come last.
    let mut groups: Vec<(String, Vec<(usize, &Change)>)> = Vec::new();
    for (i, c) in report.changes.iter().enumerate() {
        let key = if c.operations.is_empty() {
            String::new()
        } else {
            c.operations
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push((i, c)),
            None => groups.push((key, vec![(i, c)])),
        }
    }
    groups.sort_by_key(|(k, _)| k.is_empty());
    for (key, list) in groups {
        if key.is_empty() {
            out.push_str("#### Not used by any operation\n\n");
        } else {
            out.push_str(&format!("#### {key}\n\n"));
        }
        out.push_str(
            "| # | change | oasdiff rule | where | wire | rust | why |\n|---|---|---|---|---|---|---|\n",
        );
        for (i, c) in list {
            let rust = if c.rust_known {
                badge(&c.rust)
            } else {
                "❔ unknown"
            };
            out.push_str(&format!(
                "| {} | `{}` | {} | `{}` | {} | {} | wire: {}<br>rust: {} |\n",
                i + 1,
                c.kind.as_str(),
                c.rules
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(" "),
                cell(&where_(c)),
                badge(&c.wire),
                rust,
                cell(&c.wire.reason),
                cell(&c.rust.reason),
            ));
        }
        out.push('\n');
    }
    out.push_str("<details><summary>Generated type signatures</summary>\n\n```diff\n");
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
