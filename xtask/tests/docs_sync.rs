//! `cargo xtask docs-sync` against a vendor-like repository the test builds
//! with git: a first commit the project's captures are taken from, a second
//! one where a page changed, a page was added to the navigation, a page was
//! deprecated and a page left the navigation for a redirect. And the refusals,
//! each of which must leave the captures and the manifest untouched. Also: the
//! project's manifest names every capture and is in its canonical form.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::docs_sync::Manifest;

const IC: &str = "api-reference/management/individual-clients";

fn project(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Vendor",
            "-c",
            "user.email=docs@vendor.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("git runs: {e}"));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A navigation: the guide, and the pages in the Individual Clients group;
/// `redirects` as (source, destination).
fn navigation(pages: &[&str], redirects: &[(&str, &str)]) -> String {
    let pages: Vec<String> = pages.iter().map(|p| format!("\"{IC}/{p}\"")).collect();
    let redirects: Vec<String> = redirects
        .iter()
        .map(|(s, d)| format!("{{\"source\": \"{s}\", \"destination\": \"{d}\"}}"))
        .collect();
    format!(
        "{{\n  \"name\": \"CryptoMate\",\n  \"navigation\": {{\"tabs\": [\n    {{\"tab\": \"Guides\", \"groups\": [{{\"group\": \"Clients\", \"pages\": [\"clients/create-client-and-request-product\"]}}]}},\n    {{\"tab\": \"API reference\", \"anchors\": [{{\"anchor\": \"Management\", \"pages\": [{{\"group\": \"Individual Clients\", \"pages\": [{}]}}]}}]}}\n  ]}},\n  \"redirects\": [{}]\n}}\n",
        pages.join(", "),
        redirects.join(", ")
    )
}

/// A vendor-like repository and a project whose captures are its first
/// commit.
struct World {
    root: PathBuf,
    vendor: PathBuf,
    captures: PathBuf,
    manifest: PathBuf,
    spec: PathBuf,
    first: String,
}

impl World {
    fn new(name: &str) -> World {
        let root =
            std::env::temp_dir().join(format!("xtask-docs-sync-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let vendor = root.join("docs");
        std::fs::create_dir_all(&vendor).unwrap_or_else(|e| panic!("{e}"));
        git(&vendor, &["init", "-q"]);
        write(
            &vendor.join("docs.json"),
            &navigation(
                &[
                    "create-client",
                    "get-client",
                    "delete-client",
                    "list-clients",
                ],
                &[],
            ),
        );
        for page in [
            "create-client",
            "get-client",
            "delete-client",
            "list-clients",
        ] {
            let path = format!("{IC}/{page}.mdx");
            write(
                &vendor.join(&path),
                &read(&project(&format!("openapi/vendor/{path}"))),
            );
        }
        let guide = "clients/create-client-and-request-product.mdx";
        write(
            &vendor.join(guide),
            &read(&project(&format!("openapi/vendor/{guide}"))),
        );
        git(&vendor, &["add", "-A"]);
        git(&vendor, &["commit", "-q", "-m", "first"]);
        let first = git(&vendor, &["rev-parse", "--short", "HEAD"]);

        // The project: captures of the first commit, its manifest, a spec.
        let captures = root.join("project/openapi/vendor");
        let mut manifest = Manifest {
            source: "https://github.com/crypto-mate/docs".into(),
            synced_from: Some(first.clone()),
            files: BTreeMap::new(),
            absent: BTreeMap::new(),
        };
        for file in git(&vendor, &["ls-files"]).lines() {
            write(&captures.join(file), &read(&vendor.join(file)));
            manifest.files.insert(
                file.to_string(),
                xtask::docs_sync::manifest::FileEntry {
                    commit: first.clone(),
                    note: None,
                },
            );
        }
        let manifest_path = root.join("project/openapi/vendor-manifest.yaml");
        write(&manifest_path, &manifest.render());
        let spec = root.join("project/spec.yaml");
        write(
            &spec,
            &read(&project("xtask/tests/fixtures/individuals.yaml")),
        );
        World {
            root,
            vendor,
            captures,
            manifest: manifest_path,
            spec,
            first,
        }
    }

    /// The second commit: a page changed, a page added, a page deprecated, a
    /// page removed from the navigation for a redirect.
    fn second_commit(&self) -> String {
        let create = self.vendor.join(format!("{IC}/create-client.mdx"));
        let text = read(&create).replace(
            "  Client's second or middle name.\n",
            "  Client's second or middle names.\n",
        );
        write(&create, &text);
        let get = self.vendor.join(format!("{IC}/get-client.mdx"));
        let text = read(&get).replace(
            "Retrieves detailed information",
            "<Warning>\n  **Deprecated.** This endpoint is no longer available in the public API and is kept for reference only.\n</Warning>\n\nRetrieves detailed information",
        );
        write(&get, &text);
        let request = format!("{IC}/request-product-enablement.mdx");
        write(
            &self.vendor.join(&request),
            &read(&project(&format!("openapi/vendor/{request}"))),
        );
        write(
            &self.vendor.join("docs.json"),
            &navigation(
                &[
                    "create-client",
                    "get-client",
                    "delete-client",
                    "request-product-enablement",
                ],
                &[(
                    "/api-reference/management/individual-clients/list-clients",
                    "/api-reference/management/index",
                )],
            ),
        );
        git(&self.vendor, &["add", "-A"]);
        git(&self.vendor, &["commit", "-q", "-m", "second"]);
        git(&self.vendor, &["rev-parse", "--short", "HEAD"])
    }

    fn sync(&self, from: &Path) -> (Option<i32>, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("docs-sync")
            .arg("--from")
            .arg(from)
            .arg("--captures")
            .arg(&self.captures)
            .arg("--manifest")
            .arg(&self.manifest)
            .arg("--spec")
            .arg(&self.spec)
            .arg("--no-allow")
            .output()
            .unwrap_or_else(|e| panic!("xtask runs: {e}"));
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{stderr}");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr,
        )
    }

    /// Every file of the project, with its text: what a refusal must not change.
    fn state(&self) -> BTreeMap<PathBuf, String> {
        fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.insert(path.clone(), read(&path));
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.root.join("project"), &mut out);
        out
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[test]
fn a_sync_copies_records_summarizes_and_diffs() {
    let world = World::new("sync");
    let second = world.second_commit();
    let (code, stdout, stderr) = world.sync(&world.vendor);
    // docs-diff ran on the result: the deprecated page is an error against
    // the fixture spec, which does not deprecate the operation.
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!(
            "at {second} (the captures were of {})",
            world.first
        )),
        "{stdout}"
    );
    for line in [
        format!("  {IC}/create-client.mdx  {} -> {second}", world.first),
        format!("  {IC}/get-client.mdx  {} -> {second}", world.first),
        format!("  docs.json  {} -> {second}", world.first),
        format!("new (1):\n  {IC}/request-product-enablement.mdx  {second}"),
        format!(
            "removed from the navigation (1): still captured, for the spec may follow them\n  {IC}/list-clients.mdx  redirected to /api-reference/management/index"
        ),
        format!("newly deprecated (1):\n  {IC}/get-client.mdx"),
        "unchanged: 3".to_string(),
        "error[deprecation-mismatch] deprecated".to_string(),
        "error[page-unrecognized]".to_string(),
    ] {
        if line.starts_with("error[page-unrecognized]") {
            // A page that left the navigation is still an API page: noted,
            // not an error.
            assert!(!stdout.contains(&line), "{stdout}");
            assert!(stdout.contains("info[page-outside-navigation]"), "{stdout}");
        } else {
            assert!(stdout.contains(&line), "{line:?} in\n{stdout}");
        }
    }
    // Byte for byte.
    for file in git(&world.vendor, &["ls-files"]).lines() {
        assert_eq!(
            std::fs::read(world.captures.join(file)).ok(),
            std::fs::read(world.vendor.join(file)).ok(),
            "{file}"
        );
    }
    let manifest = Manifest::parse(&read(&world.manifest)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(manifest.synced_from.as_deref(), Some(second.as_str()));
    let commit = |path: &str| manifest.files.get(path).map(|e| e.commit.clone());
    assert_eq!(
        commit(&format!("{IC}/create-client.mdx")),
        Some(second.clone())
    );
    assert_eq!(
        commit(&format!("{IC}/request-product-enablement.mdx")),
        Some(second.clone())
    );
    assert_eq!(
        commit(&format!("{IC}/delete-client.mdx")),
        Some(world.first.clone())
    );
    assert_eq!(
        commit(&format!("{IC}/list-clients.mdx")),
        Some(world.first.clone()),
        "a page that left the navigation stays captured"
    );

    // A second sync of the same commit changes nothing.
    let before = world.state();
    let (_, stdout, _) = world.sync(&world.vendor);
    assert!(stdout.contains("unchanged: 7"), "{stdout}");
    assert_eq!(world.state(), before);
}

#[test]
fn a_page_of_the_navigation_without_a_file_is_recorded_absent() {
    let world = World::new("absent");
    write(
        &world.vendor.join("docs.json"),
        &navigation(
            &[
                "create-client",
                "get-client",
                "delete-client",
                "list-clients",
                "get-countries",
            ],
            &[],
        ),
    );
    git(&world.vendor, &["commit", "-qam", "a page without a file"]);
    let (_, stdout, _) = world.sync(&world.vendor);
    assert!(
        stdout.contains(&format!(
            "in the navigation without a file (1):\n  {IC}/get-countries.mdx"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("error[page-not-captured]"), "{stdout}");
    let manifest = Manifest::parse(&read(&world.manifest)).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        manifest
            .absent
            .get(&format!("{IC}/get-countries.mdx"))
            .is_some_and(|a| a.reason.contains("no file"))
    );
}

/// Runs a sync that must be refused: exit status 2, the reason on stderr,
/// nothing changed.
fn refused(world: &World, from: &Path, reason: &str) {
    let before = world.state();
    let (code, stdout, stderr) = world.sync(from);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("docs-sync refuses"), "{stderr}");
    assert!(stderr.contains(reason), "{reason:?} in {stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(world.state(), before, "a refused sync changed the project");
}

#[test]
fn a_dirty_clone_is_refused() {
    let world = World::new("dirty");
    world.second_commit();
    let page = world.vendor.join(format!("{IC}/delete-client.mdx"));
    write(&page, &format!("{}\nA local edit.\n", read(&page)));
    refused(&world, &world.vendor, "uncommitted changes");
    // An untracked file is a change too.
    git(&world.vendor, &["checkout", "--", "."]);
    write(&world.vendor.join("notes.mdx"), "---\ntitle: x\n---\n");
    refused(&world, &world.vendor, "uncommitted changes");
}

#[test]
fn a_folder_that_is_not_a_git_checkout_is_refused() {
    let world = World::new("plain");
    let plain = world.root.join("plain");
    for file in git(&world.vendor, &["ls-files"]).lines() {
        write(&plain.join(file), &read(&world.vendor.join(file)));
    }
    refused(&world, &plain, "not a git checkout");
    // Nor is a folder inside a checkout.
    refused(&world, &world.vendor.join("clients"), "not its root");
}

#[test]
fn a_clone_of_other_docs_is_refused() {
    let world = World::new("other");
    let text = read(&world.vendor.join("docs.json")).replace("\"CryptoMate\"", "\"Acme\"");
    write(&world.vendor.join("docs.json"), &text);
    git(&world.vendor, &["commit", "-qam", "another site"]);
    refused(&world, &world.vendor, "not a clone of the vendor's docs");
}

#[test]
fn a_clone_without_a_captured_file_is_refused() {
    let world = World::new("lacks");
    git(
        &world.vendor,
        &["rm", "-q", &format!("{IC}/delete-client.mdx")],
    );
    git(&world.vendor, &["commit", "-qm", "a page deleted"]);
    refused(
        &world,
        &world.vendor,
        &format!("lacks the captured file {IC}/delete-client.mdx"),
    );
}

/// The project's manifest: one entry per capture, in its canonical form.
#[test]
fn the_projects_manifest_names_every_capture() {
    let path = project("openapi/vendor-manifest.yaml");
    let text = read(&path);
    let manifest = Manifest::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let canonical = manifest.render();
    if canonical != text {
        if std::env::var_os("DOCS_SYNC_WRITE_MANIFEST").is_some() {
            write(&path, &canonical);
        } else {
            panic!(
                "openapi/vendor-manifest.yaml is not in its canonical form; fix: DOCS_SYNC_WRITE_MANIFEST=1 cargo test -p xtask --test docs_sync the_projects_manifest_names_every_capture"
            );
        }
    }
    let root = project("openapi/vendor");
    let mut files = Vec::new();
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if let Ok(relative) = path.strip_prefix(root) {
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    walk(&root, &root, &mut files);
    files.sort();
    let named: Vec<String> = manifest.files.keys().cloned().collect();
    assert_eq!(files, named, "openapi/vendor/ and the manifest's files");
    assert!(
        manifest
            .absent
            .keys()
            .all(|a| !manifest.files.contains_key(a)),
        "a file is captured and absent"
    );
}
