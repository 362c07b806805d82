//! The allow file: findings that are intended divergences, each named by its
//! fingerprint and justified by a reason.
//!
//! ```yaml
//! allow:
//!   - fingerprint: 0123456789abcdef   # from the finding's output
//!     kind: required-undocumented     # optional, for the reader; checked when given
//!     reason: D2 in openapi/DECISIONS.md
//! ```
//!
//! An entry that matches no finding is reported as `allow-entry-unused`, so the
//! file cannot keep a divergence that no longer exists. It is not the place for
//! changing severities or silencing whole kinds.

use std::path::Path;

use serde_json::Value;

use super::{Finding, Input, Kind, Location};
use crate::Failure;

/// One entry of the allow file.
#[derive(Debug, Clone)]
pub struct Entry {
    fingerprint: String,
    kind: Option<String>,
    reason: String,
    line: Option<usize>,
}

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
        let text = |key: &str| item.get(key).and_then(Value::as_str).map(str::trim);
        let fingerprint = text("fingerprint").filter(|f| {
            f.len() == 16
                && f.chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        });
        let Some(fingerprint) = fingerprint else {
            return Err(Failure::Input(format!(
                "{at}: `fingerprint` must be the 16 lower-case hex digits a finding shows"
            )));
        };
        let Some(reason) = text("reason").filter(|r| !r.is_empty()) else {
            return Err(Failure::Input(format!(
                "{at}: `reason` is required: say why the divergence is intended"
            )));
        };
        let kind = text("kind").map(str::to_string);
        if let Some(k) = &kind
            && !Kind::ALL.iter().any(|known| known.id() == k)
        {
            return Err(Failure::Input(format!("{at}: unknown kind `{k}`")));
        }
        entries.push(Entry {
            fingerprint: fingerprint.to_string(),
            kind,
            reason: reason.to_string(),
            line,
        });
    }
    Ok(entries)
}

/// Marks the findings the entries allow, and adds an `allow-entry-unused`
/// finding for each entry that allows nothing (or names the wrong kind).
pub fn apply(entries: &[Entry], file: &Path, findings: &mut Vec<Finding>) {
    let file = file.display().to_string();
    for entry in entries {
        let mut used = false;
        for finding in findings.iter_mut() {
            if finding.fingerprint() == entry.fingerprint
                && entry.kind.as_deref().is_none_or(|k| k == finding.kind.id())
            {
                finding.allowed = Some(entry.reason.clone());
                used = true;
            }
        }
        if !used {
            findings.push(Finding {
                kind: Kind::AllowEntryUnused,
                operation: file.clone(),
                subject: entry.fingerprint.clone(),
                message: format!(
                    "the allow entry {} matches no finding (reason: {})",
                    entry.fingerprint, entry.reason
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
