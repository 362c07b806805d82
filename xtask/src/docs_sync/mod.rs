//! `cargo xtask docs-sync --from <clone>`: the captures updated from a clone of
//! the vendor's docs repository.
//!
//! It checks the source first and refuses, changing nothing, when the folder is
//! not the root of a git checkout, is not the vendor's docs (its `docs.json` is
//! missing, unreadable or names another site than the captured one), has
//! uncommitted changes, or lacks a file the project captures. Then it copies,
//! byte for byte, `docs.json`, every page of the navigation, and every file
//! already captured (the spec may follow a page the vendor no longer lists);
//! records in the manifest the commit each changed or new file was last changed
//! at, and the navigation pages that have no file; prints what changed (files
//! changed since their recorded commit, pages new in the navigation, pages
//! removed from it or redirected, pages newly deprecated); and runs docs-diff
//! on the result.
//!
//! It never fetches: the clone is the user's, at the commit they chose.

pub mod manifest;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use vendor_pages::Navigation;

use crate::Failure;
use crate::docs_diff::{self, CAPTURES_DIR, NAV_FILE};
pub use manifest::Manifest;

/// The default manifest, relative to the workspace root.
pub const MANIFEST_PATH: &str = "openapi/vendor-manifest.yaml";

/// The options of `docs-sync`.
pub struct Options {
    /// The clone of the vendor's docs repository.
    pub from: PathBuf,
    /// The capture folder (default: `openapi/vendor`).
    pub captures: Option<PathBuf>,
    /// The manifest (default: `openapi/vendor-manifest.yaml`).
    pub manifest: Option<PathBuf>,
    /// What docs-diff runs with afterwards (its `--docs` is the capture folder).
    pub diff: docs_diff::Options,
}

/// One file to write.
struct Copy {
    path: String,
    bytes: Vec<u8>,
    commit: String,
}

/// What a sync found, for the summary.
#[derive(Default)]
struct Summary {
    changed: Vec<(String, String, String)>,
    new: Vec<(String, String)>,
    removed: Vec<(String, Option<String>)>,
    deprecated: Vec<String>,
    absent: Vec<String>,
    unchanged: usize,
}

/// Runs the command.
pub fn run(options: &Options) -> Result<(), Failure> {
    let captures = options
        .captures
        .clone()
        .unwrap_or_else(|| crate::project_path(CAPTURES_DIR));
    let manifest_path = options
        .manifest
        .clone()
        .unwrap_or_else(|| crate::project_path(MANIFEST_PATH));
    let summary = sync(&options.from, &captures, &manifest_path)?;
    print!("{summary}");
    let mut diff = docs_diff::Options {
        docs: vec![captures],
        ..clone_options(&options.diff)
    };
    diff.products.clear();
    docs_diff::run(&diff)
}

fn clone_options(o: &docs_diff::Options) -> docs_diff::Options {
    docs_diff::Options {
        spec: o.spec.clone(),
        docs: o.docs.clone(),
        products: o.products.clone(),
        allow: o.allow.clone(),
        no_allow: o.no_allow,
        format: o.format,
        fail_on: o.fail_on,
    }
}

/// Checks the source, then copies and records; returns the summary to print.
/// Nothing is written before every check has passed.
pub fn sync(from: &Path, captures: &Path, manifest_path: &Path) -> Result<String, Failure> {
    let refuse = |why: String| {
        Failure::Input(format!(
            "docs-sync refuses {}: {why}; nothing was changed",
            from.display()
        ))
    };
    let manifest_text = std::fs::read_to_string(manifest_path)
        .map_err(|e| Failure::Input(format!("{}: cannot read: {e}", manifest_path.display())))?;
    let mut manifest = Manifest::parse(&manifest_text)
        .map_err(|e| Failure::Input(format!("{}: {e}", manifest_path.display())))?;

    // The source: the root of a clean git checkout of the vendor's docs.
    let root = git(from, &["rev-parse", "--show-toplevel"])
        .map_err(|e| refuse(format!("it is not a git checkout ({e})")))?;
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    if canonical(Path::new(root.trim())) != canonical(from) {
        return Err(refuse(format!(
            "it is inside the git checkout {}, not its root",
            root.trim()
        )));
    }
    let source_nav_text = std::fs::read_to_string(from.join(NAV_FILE)).map_err(|e| {
        refuse(format!(
            "it has no readable {NAV_FILE} ({e}): not the vendor's docs"
        ))
    })?;
    let source_nav = Navigation::parse(&source_nav_text)
        .map_err(|e| refuse(format!("its {NAV_FILE} is not a docs navigation ({e})")))?;
    let captured_nav_text = std::fs::read_to_string(captures.join(NAV_FILE)).unwrap_or_default();
    let captured_nav = Navigation::parse(&captured_nav_text).ok();
    if let Some(expected) = captured_nav.as_ref().and_then(|n| n.name.clone())
        && source_nav.name.as_deref() != Some(expected.as_str())
    {
        return Err(refuse(format!(
            "its {NAV_FILE} names the site {:?}, the captured one {expected:?}: not a clone of the vendor's docs",
            source_nav.name.as_deref().unwrap_or("")
        )));
    }
    let dirty = git(from, &["status", "--porcelain", "--untracked-files=all"])
        .map_err(|e| refuse(format!("git status failed ({e})")))?;
    if !dirty.trim().is_empty() {
        let paths: Vec<&str> = dirty.lines().take(5).collect();
        return Err(refuse(format!(
            "it has uncommitted changes ({}): commit or stash them, so that every file has a commit",
            paths.join("; ")
        )));
    }
    for path in manifest.files.keys() {
        if !from.join(path).is_file() {
            return Err(refuse(format!(
                "it lacks the captured file {path}; if the vendor deleted it, remove the capture and its entry in {} first",
                manifest_path.display()
            )));
        }
    }
    let head = git(from, &["rev-parse", "--short", "HEAD"])
        .map_err(|e| refuse(format!("it has no commit ({e})")))?
        .trim()
        .to_string();

    // What to capture: docs.json, every page of the navigation, and every file
    // already captured.
    let mut wanted: BTreeSet<String> = manifest.files.keys().cloned().collect();
    wanted.insert(NAV_FILE.to_string());
    let mut absent: BTreeMap<String, manifest::Absent> = BTreeMap::new();
    for page in &source_nav.pages {
        let file = page.file();
        if from.join(&file).is_file() {
            wanted.insert(file);
        } else {
            let reason = format!(
                "Listed in the navigation of docs.json at {head}, but the clone has no file {file}."
            );
            let kept = manifest.absent.get(&file).cloned();
            absent.insert(
                file,
                manifest::Absent {
                    reason,
                    probable_source: kept.and_then(|k| k.probable_source),
                },
            );
        }
    }
    let mut summary = Summary::default();
    let mut copies = Vec::new();
    for path in &wanted {
        let bytes = std::fs::read(from.join(path))
            .map_err(|e| refuse(format!("cannot read {path} ({e})")))?;
        let old = std::fs::read(captures.join(path)).ok();
        if old.as_deref() == Some(bytes.as_slice()) && manifest.files.contains_key(path) {
            summary.unchanged += 1;
            continue;
        }
        let commit = git(from, &["log", "-1", "--format=%h", "--", path])
            .map_err(|e| refuse(format!("git log failed for {path} ({e})")))?
            .trim()
            .to_string();
        let commit = if commit.is_empty() {
            head.clone()
        } else {
            commit
        };
        match (&old, manifest.files.get(path)) {
            (Some(_), Some(entry)) => {
                summary
                    .changed
                    .push((path.clone(), entry.commit.clone(), commit.clone()));
            }
            _ => summary.new.push((path.clone(), commit.clone())),
        }
        if path.ends_with(".mdx") {
            let was = old.as_deref().map(String::from_utf8_lossy);
            let deprecated = |text: &str| vendor_pages::mdx::parse(text).deprecation().is_some();
            if deprecated(&String::from_utf8_lossy(&bytes))
                && !was.as_deref().is_some_and(deprecated)
            {
                summary.deprecated.push(path.clone());
            }
        }
        copies.push(Copy {
            path: path.clone(),
            bytes,
            commit,
        });
    }
    if let Some(old_nav) = &captured_nav {
        let now: BTreeSet<String> = source_nav.pages.iter().map(|p| p.file()).collect();
        for page in &old_nav.pages {
            let file = page.file();
            if !now.contains(&file) {
                let redirect = source_nav.redirect(&file).map(str::to_string);
                summary.removed.push((file, redirect));
            }
        }
    }
    summary.absent = absent.keys().cloned().collect();

    // Every check passed: write.
    for copy in &copies {
        let target = captures.join(&copy.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Failure::Run(format!("cannot create {}: {e}", parent.display())))?;
        }
        std::fs::write(&target, &copy.bytes)
            .map_err(|e| Failure::Run(format!("cannot write {}: {e}", target.display())))?;
        manifest.files.insert(
            copy.path.clone(),
            manifest::FileEntry {
                commit: copy.commit.clone(),
                note: None,
            },
        );
    }
    let previous = manifest.synced_from.replace(head.clone());
    manifest.absent = absent;
    std::fs::write(manifest_path, manifest.render())
        .map_err(|e| Failure::Run(format!("cannot write {}: {e}", manifest_path.display())))?;
    Ok(render(&summary, from, &head, previous.as_deref()))
}

/// The summary a sync prints.
fn render(summary: &Summary, from: &Path, head: &str, previous: Option<&str>) -> String {
    let mut out = String::new();
    let since = previous.map_or("the initial capture".to_string(), str::to_string);
    let _ = writeln!(
        out,
        "docs-sync: {} at {head} (the captures were of {since})",
        from.display()
    );
    let _ = writeln!(
        out,
        "changed since their recorded commit ({}):",
        summary.changed.len()
    );
    for (path, old, new) in &summary.changed {
        let _ = writeln!(out, "  {path}  {old} -> {new}");
    }
    let _ = writeln!(out, "new ({}):", summary.new.len());
    for (path, commit) in &summary.new {
        let _ = writeln!(out, "  {path}  {commit}");
    }
    let _ = writeln!(
        out,
        "removed from the navigation ({}): still captured, for the spec may follow them",
        summary.removed.len()
    );
    for (path, redirect) in &summary.removed {
        match redirect {
            Some(to) => {
                let _ = writeln!(out, "  {path}  redirected to {to}");
            }
            None => {
                let _ = writeln!(out, "  {path}");
            }
        }
    }
    let _ = writeln!(out, "newly deprecated ({}):", summary.deprecated.len());
    for path in &summary.deprecated {
        let _ = writeln!(out, "  {path}");
    }
    let _ = writeln!(
        out,
        "in the navigation without a file ({}):",
        summary.absent.len()
    );
    for path in &summary.absent {
        let _ = writeln!(out, "  {path}");
    }
    let _ = writeln!(out, "unchanged: {}", summary.unchanged);
    out
}

/// Runs git in a folder; its standard output, or what went wrong.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}
