//! The allow file: findings that are intended divergences, each named by what
//! it is about and justified by a reason.
//!
//! ```yaml
//! allow:
//!   # One page: every finding of a kind on it.
//!   - {kind: operation-missing, page: api-reference/cards/virtual-cards/create-card.mdx, reason: "issue 25: not yet in the spec"}
//!   # One place of one operation.
//!   - kind: required-undocumented
//!     operation: POST /management/clients
//!     subject: response.id
//!     reason: D2 in openapi/DECISIONS.md
//!   # Or the fingerprint every output shows.
//!   - fingerprint: 0123456789abcdef
//!     reason: ...
//! ```
//!
//! Every key an entry gives must match; `reason` is required, and an entry
//! names either a fingerprint or a kind with a page or an operation, so that no
//! entry can silence a kind everywhere. An entry that matches no finding is
//! reported as `allow-entry-unused`, so the file cannot keep a divergence that
//! no longer exists: a helper who adds an operation sees the entry to remove.
//! It is not the place for changing severities.

use std::path::Path;

use serde_json::Value;

use super::coverage::Scope;
use super::{Finding, Input, Kind, Location};
use crate::Failure;

/// One entry of the allow file.
#[derive(Debug, Clone)]
pub struct Entry {
    fingerprint: Option<String>,
    kind: Option<String>,
    page: Option<String>,
    operation: Option<String>,
    subject: Option<String>,
    reason: String,
    line: Option<usize>,
}

impl Entry {
    fn matches(&self, finding: &Finding) -> bool {
        let page = finding
            .capture
            .as_deref()
            .map(|p| p.strip_suffix(".mdx").unwrap_or(p));
        self.fingerprint
            .as_deref()
            .is_none_or(|f| f == finding.fingerprint())
            && self.kind.as_deref().is_none_or(|k| k == finding.kind.id())
            && self.page.as_deref().is_none_or(|p| Some(p) == page)
            && self
                .operation
                .as_deref()
                .is_none_or(|o| o == finding.operation)
            && self.subject.as_deref().is_none_or(|s| s == finding.subject)
    }

    /// How the entry is named in messages.
    fn name(&self) -> String {
        let parts: Vec<String> = [
            ("fingerprint", &self.fingerprint),
            ("kind", &self.kind),
            ("page", &self.page),
            ("operation", &self.operation),
            ("subject", &self.subject),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
        .collect();
        parts.join(", ")
    }
}

const KEYS: &[&str] = &[
    "fingerprint",
    "kind",
    "page",
    "operation",
    "subject",
    "reason",
];

/// Reads the allow file; a malformed file or entry is an input error naming the
/// file and the line.
pub fn parse(input: &Input) -> Result<Vec<Entry>, Failure> {
    let file = input.file.display();
    let doc: Value = serde_yaml_ng::from_str(&input.text)
        .map_err(|e| Failure::Input(format!("{file}: not YAML: {e}")))?;
    let list = match &doc {
        Value::Null => return Ok(Vec::new()),
        Value::Object(map) => match map.get("allow") {
            Some(Value::Array(list)) => list,
            Some(Value::Null) | None if map.len() <= 1 => return Ok(Vec::new()),
            _ => {
                return Err(Failure::Input(format!(
                    "{file}: expected `allow:` with a list of entries and nothing else"
                )));
            }
        },
        _ => {
            return Err(Failure::Input(format!(
                "{file}: expected a mapping with the key `allow`"
            )));
        }
    };
    let lines = entry_lines(&input.text);
    let mut entries = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let line = lines.get(i).copied();
        let at = match line {
            Some(l) => format!("{file}:{l}"),
            None => format!("{file}: entry {}", i + 1),
        };
        let Some(map) = item.as_object() else {
            return Err(Failure::Input(format!(
                "{at}: an entry is a mapping (`kind`, `page` or `operation`, `reason`)"
            )));
        };
        if let Some(key) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(Failure::Input(format!(
                "{at}: unknown key `{key}` (an entry has {})",
                KEYS.join(", ")
            )));
        }
        let text = |key: &str| {
            item.get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .map(str::to_string)
        };
        let fingerprint = text("fingerprint");
        if let Some(f) = &fingerprint
            && !(f.len() == 16
                && f.chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()))
        {
            return Err(Failure::Input(format!(
                "{at}: `fingerprint` must be the 16 lower-case hex digits a finding shows"
            )));
        }
        let Some(reason) = text("reason").filter(|r| !r.is_empty()) else {
            return Err(Failure::Input(format!(
                "{at}: `reason` is required: say why the divergence is intended"
            )));
        };
        let kind = text("kind");
        if let Some(k) = &kind
            && !Kind::ALL.iter().any(|known| known.id() == k)
        {
            return Err(Failure::Input(format!("{at}: unknown kind `{k}`")));
        }
        let page = text("page").map(|p| p.strip_suffix(".mdx").map(str::to_string).unwrap_or(p));
        let operation = text("operation");
        let narrow =
            fingerprint.is_some() || (kind.is_some() && (page.is_some() || operation.is_some()));
        if !narrow {
            return Err(Failure::Input(format!(
                "{at}: an entry names a `fingerprint`, or a `kind` with a `page` or an `operation`"
            )));
        }
        entries.push(Entry {
            fingerprint,
            kind,
            page,
            operation,
            subject: text("subject"),
            reason,
            line,
        });
    }
    Ok(entries)
}

/// Marks the findings the entries allow, and adds an `allow-entry-unused`
/// finding for each entry in scope that allows nothing. Limited to some
/// products, an entry is in scope when its page is one the run read.
pub fn apply(entries: &[Entry], file: &Path, scope: &Scope, findings: &mut Vec<Finding>) {
    let file = file.display().to_string();
    for entry in entries {
        let mut used = false;
        for finding in findings.iter_mut() {
            if finding.allowed.is_none() && entry.matches(finding) {
                finding.allowed = Some(entry.reason.clone());
                used = true;
            }
        }
        let in_scope = scope.everything()
            || entry.page.as_ref().is_some_and(|p| {
                scope.pages.contains(&format!("{p}.mdx")) || scope.pages.contains(p)
            });
        if !used && in_scope {
            let name = entry.name();
            findings.push(Finding {
                kind: Kind::AllowEntryUnused,
                operation: file.clone(),
                capture: None,
                product: None,
                subject: name.clone(),
                message: format!(
                    "the allow entry ({name}) matches no finding (reason: {})",
                    entry.reason
                ),
                page: None,
                spec: Some(Location {
                    file: file.clone(),
                    line: entry.line,
                    pointer: None,
                }),
                page_says: None,
                spec_says: None,
                fix: "remove the entry: the divergence it allowed is gone".into(),
                allowed: None,
            });
        }
    }
}

/// The line of each list entry (`- ` at the shallowest list indentation), in order.
fn entry_lines(text: &str) -> Vec<usize> {
    let items: Vec<(usize, usize)> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let trimmed = l.trim_start();
            trimmed
                .starts_with("- ")
                .then_some((i + 1, l.len() - trimmed.len()))
        })
        .collect();
    let indent = items.iter().map(|(_, indent)| *indent).min();
    items
        .into_iter()
        .filter(|(_, i)| Some(*i) == indent)
        .map(|(line, _)| line)
        .collect()
}
