//! `openapi/vendor-manifest.yaml`: the vendor commit each capture was taken
//! from, the navigation pages that have no capture and why, and the commit of
//! the clone the last `docs-sync` read.
//!
//! The file is written by [`Manifest::render`] only, in one canonical form (a
//! test holds the checked-in file to it), so that a sync's diff shows exactly
//! the commits that changed.

use std::collections::BTreeMap;

use serde_json::Value;

/// The manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The vendor's repository.
    pub source: String,
    /// The commit of the clone the last sync read; `None` before the first.
    pub synced_from: Option<String>,
    /// Each capture, by its path in the vendor's repository.
    pub files: BTreeMap<String, FileEntry>,
    /// Each page of the navigation without a capture, by its path.
    pub absent: BTreeMap<String, Absent>,
}

/// One capture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileEntry {
    /// The commit its version was taken from (short hash).
    pub commit: String,
    /// What is known of that version (a newer one that could not be read).
    pub note: Option<String>,
}

/// A page of the navigation without a capture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Absent {
    /// Why.
    pub reason: String,
    /// The file that probably holds its content.
    pub probable_source: Option<String>,
}

const HEADER: &str = "\
# The vendor commit each capture in openapi/vendor/ was taken from, and the pages of
# the vendor's navigation that have no capture. `cargo xtask docs-sync` rewrites this
# file; record an absent page by hand only where no source of it exists. Format:
# xtask/DOCS-DIFF.md (\"docs-sync\").
#
# `synced_from` is the commit of the clone the last docs-sync read; it is null for the
# initial capture, whose files are the newest versions found in a store of the
# repository's file versions (each file's `commit` names its version; a `note` says
# where a newer version is known to exist but could not be read).
";

impl Manifest {
    /// Reads a manifest; what is not one is an error naming the key.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let doc: Value = serde_yaml_ng::from_str(text).map_err(|e| format!("not YAML: {e}"))?;
        let text_of = |v: &Value, key: &str| -> Result<Option<String>, String> {
            match v.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Number(n)) => Ok(Some(n.to_string())),
                Some(_) => Err(format!("`{key}` is not a string")),
            }
        };
        let source = text_of(&doc, "source")?.ok_or("no `source`")?;
        let synced_from = text_of(&doc, "synced_from")?;
        let mut files = BTreeMap::new();
        for (path, entry) in doc
            .get("files")
            .and_then(Value::as_object)
            .ok_or("no `files` mapping")?
        {
            let commit =
                text_of(entry, "commit")?.ok_or_else(|| format!("files: {path}: no `commit`"))?;
            files.insert(
                path.clone(),
                FileEntry {
                    commit,
                    note: text_of(entry, "note")?,
                },
            );
        }
        let mut absent = BTreeMap::new();
        for (path, entry) in doc
            .get("absent")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let reason =
                text_of(entry, "reason")?.ok_or_else(|| format!("absent: {path}: no `reason`"))?;
            absent.insert(
                path.clone(),
                Absent {
                    reason,
                    probable_source: text_of(entry, "probable_source")?,
                },
            );
        }
        Ok(Manifest {
            source,
            synced_from,
            files,
            absent,
        })
    }

    /// The manifest's one textual form.
    pub fn render(&self) -> String {
        let mut out = String::from(HEADER);
        out.push_str(&format!("source: {}\n", quote(&self.source)));
        out.push_str(&format!(
            "synced_from: {}\n",
            self.synced_from
                .as_deref()
                .map_or("null".to_string(), quote)
        ));
        out.push_str("files:\n");
        for (path, entry) in &self.files {
            out.push_str(&format!(
                "  {}:\n    commit: {}\n",
                quote(path),
                quote(&entry.commit)
            ));
            if let Some(note) = &entry.note {
                out.push_str(&format!("    note: {}\n", quote(note)));
            }
        }
        if self.absent.is_empty() {
            out.push_str("absent: {}\n");
        } else {
            out.push_str("absent:\n");
            for (path, entry) in &self.absent {
                out.push_str(&format!(
                    "  {}:\n    reason: {}\n",
                    quote(path),
                    quote(&entry.reason)
                ));
                if let Some(source) = &entry.probable_source {
                    out.push_str(&format!("    probable_source: {}\n", quote(source)));
                }
            }
        }
        out
    }
}

/// A YAML scalar: plain where YAML reads it back as the same string, else
/// double-quoted (JSON's escapes are YAML's).
fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
        && text.starts_with(|c: char| c.is_ascii_alphabetic())
        && !matches!(
            text,
            "null" | "true" | "false" | "yes" | "no" | "on" | "off"
        );
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_and_parse_round_trip() {
        let mut manifest = Manifest {
            source: "https://github.com/crypto-mate/docs".into(),
            synced_from: Some("11ecd1b".into()),
            ..Manifest::default()
        };
        manifest.files.insert(
            "docs.json".into(),
            FileEntry {
                commit: "0e38407".into(),
                note: Some("Newest \"known\": see: here".into()),
            },
        );
        manifest.files.insert(
            "a/b.mdx".into(),
            FileEntry {
                commit: "1234567".into(),
                note: None,
            },
        );
        manifest.absent.insert(
            "c.mdx".into(),
            Absent {
                reason: "no file".into(),
                probable_source: Some("d.mdx".into()),
            },
        );
        let text = manifest.render();
        assert_eq!(Manifest::parse(&text), Ok(manifest.clone()));
        // A commit YAML would read as a number stays a string.
        assert!(text.contains("commit: \"1234567\""), "{text}");
        assert!(text.contains("commit: \"0e38407\""), "{text}");
        assert!(Manifest::parse("files: {}").is_err());
    }
}
