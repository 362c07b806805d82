//! `cargo xtask docs-diff`: the project's spec against its captured pages; one
//! mutation per finding kind, of a spec and pages that agree (the older format:
//! the 2026-04-20 capture of create-client and the spec that followed it; the
//! current format: five Individual Clients pages and a fixture spec written to
//! agree with them); the vendor's real history (the older capture against the
//! spec of today); exit statuses, output formats, and robustness on pages no one
//! would write.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use xtask::docs_diff::{self, Input, Kind, Report, Severity};

/// The spec as it was when it followed the 2026-04-20 capture of create-client.
const SPEC_FILE: &str = "xtask/tests/fixtures/create-client-2026-04-20.yaml";
/// The 2026-04-20 capture of create-client: the older page format.
const PAGE_FILE: &str = "xtask/tests/fixtures/create-client-2026-04-20.txt";
/// The allow file of that time.
const ALLOW_TEXT: &str = "allow:\n  - fingerprint: cdcf681e8b233855\n    kind: required-undocumented\n    reason: D2 in openapi/DECISIONS.md.\n";
/// A spec written to agree with the current-format pages of [`CURRENT_PAGES`].
const FIXTURE_SPEC: &str = "xtask/tests/fixtures/individuals.yaml";
/// Current-format pages the fixture spec documents.
const CURRENT_PAGES: [&str; 5] = [
    "openapi/docs/create-individual-client.txt",
    "openapi/docs/get-individual-client.txt",
    "openapi/docs/delete-individual-client.txt",
    "openapi/docs/list-individual-clients.txt",
    "openapi/docs/request-product-enablement.txt",
];

fn project_file(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn spec() -> String {
    project_file(SPEC_FILE)
}

fn page() -> String {
    project_file(PAGE_FILE)
}

fn allow() -> String {
    ALLOW_TEXT.to_string()
}

const ALLOW_FILE: &str = "allow.yaml";

fn input(file: &str, text: &str) -> Input {
    Input {
        file: PathBuf::from(file),
        text: text.to_string(),
    }
}

/// Diffs texts under the project's file names, with the project's allow file.
fn run(spec: &str, pages: &[&str], allow_text: Option<&str>) -> Report {
    let pages: Vec<Input> = pages.iter().map(|p| input(PAGE_FILE, p)).collect();
    let allow = allow_text.map(|a| input(ALLOW_FILE, a));
    match docs_diff::diff(&input(SPEC_FILE, spec), &pages, allow.as_ref()) {
        Ok(report) => report,
        Err(e) => panic!("the inputs are readable: {e}"),
    }
}

/// The kinds of the findings no allow entry accepts.
fn kinds(report: &Report) -> BTreeSet<&'static str> {
    report.active().map(|f| f.kind.id()).collect()
}

/// `text` with every occurrence of `from` replaced; `from` must occur.
fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is in the text");
    text.replace(from, to)
}

/// `text` with the `n`th (0-based) occurrence of `from` replaced.
fn replace_nth(text: &str, from: &str, n: usize, to: &str) -> String {
    let (at, _) = text
        .match_indices(from)
        .nth(n)
        .unwrap_or_else(|| panic!("{from:?} occurs {} times", n + 1));
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

#[test]
fn the_older_spec_agrees_with_the_older_page() {
    let report = run(&spec(), &[&page()], Some(&allow()));
    let active: Vec<String> = report
        .active()
        .filter(|f| f.kind != Kind::StatusUndocumented)
        .map(|f| format!("{} {}", f.kind, f.message))
        .collect();
    assert_eq!(active, Vec::<String>::new());
    // The older page shows no error status: each one the spec declares is noted.
    let noted: Vec<&str> = report
        .active()
        .filter(|f| f.kind == Kind::StatusUndocumented)
        .map(|f| f.subject.as_str())
        .collect();
    assert!(noted.contains(&"response.412"), "{noted:?}");
    // The one intended divergence of the time is allowed, not absent.
    let allowed: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.allowed.is_some())
        .map(|f| f.subject.as_str())
        .collect();
    assert_eq!(allowed, vec!["response.id"]);
    // Nothing at error, even with the allow file ignored.
    let bare = run(&spec(), &[&page()], None);
    assert!(!bare.fails(Some(Severity::Error)));
}

/// A mutation of the real spec and page, and the one kind it must trigger.
struct Case {
    kind: Kind,
    spec: String,
    pages: Vec<String>,
    allow: String,
}

fn case(kind: Kind, spec: String, page: String) -> Case {
    Case {
        kind,
        spec,
        pages: vec![page],
        allow: allow(),
    }
}

fn cases() -> Vec<Case> {
    let (s, p) = (spec(), page());
    let request_examples_start = s
        .find("            examples:\n              documented:\n                summary: The request")
        .unwrap_or_else(|| panic!("the request example is in the spec"));
    let request_examples_end = s
        .find("                  individual_identification_type: SSN\n")
        .map(|i| i + "                  individual_identification_type: SSN\n".len())
        .unwrap_or_else(|| panic!("the request example ends"));
    let without_request_example = format!(
        "{}{}",
        &s[..request_examples_start],
        &s[request_examples_end..]
    );
    vec![
        case(
            Kind::PageUnparsedLine,
            s.clone(),
            format!("{p}Was this page helpful?\n"),
        ),
        case(
            Kind::PageSectionMissing,
            s.clone(),
            replace(
                &p,
                "Creates a new individual client for the company with personal information, contact preferences, and optional identity documents. Requires an API key with access level 3 or higher.\n",
                "",
            ),
        ),
        case(
            Kind::PageSelfContradiction,
            s.clone(),
            replace_nth(&p, "johndoe123", 1, "janedoe456"),
        ),
        Case {
            kind: Kind::OperationMissing,
            spec: s.clone(),
            pages: vec![
                p.clone(),
                replace(&replace(&p, "POST\n/", "PUT\n/"), "-X POST", "-X PUT"),
            ],
            allow: allow(),
        },
        case(
            Kind::OperationUndocumented,
            replace(
                &s,
                "paths:\n",
                "paths:\n  /management/companies:\n    get:\n      operationId: list_companies\n      responses:\n        '200':\n          description: The companies.\n",
            ),
            p.clone(),
        ),
        case(
            Kind::FieldMissingInSpec,
            replace(
                &s,
                "        gender:\n          description: Client gender.\n          type: string\n",
                "",
            ),
            p.clone(),
        ),
        case(
            Kind::FieldUndocumented,
            s.clone(),
            replace(&p, "gender\nstring\nClient gender.\n", ""),
        ),
        case(
            Kind::TypeMismatch,
            s.clone(),
            replace(&p, "whatsapp\nboolean\n", "whatsapp\nstring\n"),
        ),
        case(
            Kind::FormatMismatch,
            replace_nth(
                &s,
                "description: Phone country code.\n          type: integer\n          format: int32",
                0,
                "description: Phone country code.\n          type: integer\n          format: int64",
            ),
            p.clone(),
        ),
        case(
            Kind::RequiredUndocumented,
            replace_nth(
                &s,
                "      additionalProperties: false\n",
                0,
                "      additionalProperties: false\n      required: [email]\n",
            ),
            p.clone(),
        ),
        case(
            Kind::DescriptionDiffers,
            replace(
                &s,
                "Creates a new individual client for the company",
                "Registers somebody",
            ),
            p.clone(),
        ),
        case(
            Kind::AuthHeaderMismatch,
            s.clone(),
            replace(
                &p,
                "\"X-API-KEY: $CRYPTOMATE_API_KEY\"",
                "\"Authorization: Bearer $CRYPTOMATE_API_KEY\"",
            ),
        ),
        case(
            Kind::ContentTypeMismatch,
            s.clone(),
            replace(
                &p,
                "Content-Type: application/json",
                "Content-Type: text/plain",
            ),
        ),
        case(
            Kind::ServerMismatch,
            s.clone(),
            replace(&p, "https://api.cryptomate.me/", "https://api.example.com/"),
        ),
        case(Kind::ExampleMissing, without_request_example, p.clone()),
        case(
            Kind::ExampleInvalid,
            replace(
                &s,
                "birth_date: \"1990-05-15\"",
                "birth_date: \"1990-13-45\"",
            ),
            replace(&p, "\"1990-05-15\"", "\"1990-13-45\""),
        ),
        case(
            Kind::ExampleExtraKey,
            replace(
                &s,
                "        status: PENDING\n",
                "        status: PENDING\n        nickname: JD\n",
            ),
            replace(
                &p,
                "  \"status\": \"PENDING\",\n",
                "  \"status\": \"PENDING\",\n  \"nickname\": \"JD\",\n",
            ),
        ),
        case(
            Kind::ExampleDiffers,
            replace(
                &s,
                "\n        first_name: John\n",
                "\n        first_name: Jane\n",
            ),
            p.clone(),
        ),
        Case {
            kind: Kind::AllowEntryUnused,
            spec: s.clone(),
            pages: vec![p.clone()],
            allow: format!(
                "{}  - fingerprint: 0123456789abcdef\n    reason: A divergence that is gone.\n",
                allow()
            ),
        },
    ]
}

#[test]
fn each_mutation_triggers_exactly_its_kind() {
    let cases = cases();
    let base = run(&spec(), &[&page()], Some(&allow()));
    let mut wrong = Vec::new();
    for c in &cases {
        let pages: Vec<&str> = c.pages.iter().map(String::as_str).collect();
        let report = run(&c.spec, &pages, Some(&c.allow));
        let found = added_kinds(&base, &report);
        if found != BTreeSet::from([c.kind.id()]) {
            let detail: Vec<String> = report
                .active()
                .map(|f| format!("  {} {}: {}", f.kind, f.subject, f.message))
                .collect();
            wrong.push(format!(
                "{}: found {found:?}\n{}",
                c.kind,
                detail.join("\n")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn findings_name_both_sides_lines() {
    let p = replace(&page(), "whatsapp\nboolean\n", "whatsapp\nstring\n");
    let report = run(&spec(), &[&p], Some(&allow()));
    let finding = report
        .active()
        .find(|f| f.kind == Kind::TypeMismatch)
        .unwrap_or_else(|| panic!("a type mismatch"));
    assert_eq!(finding.subject, "request.whatsapp");
    let page_at = finding.page.as_ref().map(|l| (l.file.as_str(), l.line));
    assert_eq!(page_at, Some((PAGE_FILE, Some(72))));
    let spec_at = finding.spec.as_ref().map(|l| (l.line, l.pointer.clone()));
    assert_eq!(
        spec_at,
        Some((
            Some(226),
            Some("/components/schemas/CreateClientRequest/properties/whatsapp".into())
        ))
    );
    assert_eq!(finding.page_says.as_deref(), Some("string"));
    assert_eq!(finding.spec_says.as_deref(), Some("boolean"));
}

#[test]
fn a_self_contradiction_names_the_side_the_spec_follows() {
    let p = replace(
        &page(),
        "\"phone_number\": 4155551234",
        "\"phone_number\": \"4155551234\"",
    );
    let report = run(&spec(), &[&p], Some(&allow()));
    let messages: Vec<&str> = report
        .active()
        .filter(|f| f.kind == Kind::PageSelfContradiction)
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "request and response: {messages:?}");
    assert!(
        messages
            .iter()
            .all(|m| m.contains("the spec follows the list"))
    );
}

#[test]
fn fingerprints_ignore_lines_and_messages() {
    let mutated = replace(&page(), "whatsapp\nboolean\n", "whatsapp\nstring\n");
    let shifted = format!("\n\n{mutated}");
    let a = run(&spec(), &[&mutated], None);
    let b = run(&spec(), &[&shifted], None);
    let prints =
        |r: &Report| -> Vec<String> { r.findings.iter().map(|f| f.fingerprint()).collect() };
    assert_eq!(prints(&a), prints(&b));
    assert_eq!(
        docs_diff::fingerprint(
            Kind::RequiredUndocumented,
            "POST /management/clients",
            "response.id"
        ),
        "cdcf681e8b233855",
        "the documented function: FNV-1a 64 of kind|operation|subject"
    );
}

// Exit statuses, through the binary.

fn xtask(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .arg("docs-diff")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("xtask runs: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "a panic escaped: {stderr}");
    (out.status.code(), stdout, stderr)
}

/// Writes `text` into a fresh temporary file and returns its path.
fn temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-docs-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {name}: {e}"));
    path
}

/// The project's spec against every captured page: what CI holds.
#[test]
fn exit_0_on_the_projects_files() {
    let (code, stdout, _) = xtask(&[]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("0 error(s)"), "{stdout}");
}

#[test]
fn exit_1_on_findings_at_the_threshold() {
    let allow_file = temp("allow.yaml", &allow());
    let allow_file = allow_file.to_string_lossy();
    let spec_file = format!("{}/../{SPEC_FILE}", env!("CARGO_MANIFEST_DIR"));
    let page_file = format!("{}/../{PAGE_FILE}", env!("CARGO_MANIFEST_DIR"));
    let mutated = temp(
        "type.txt",
        &replace(&page(), "whatsapp\nboolean\n", "whatsapp\nstring\n"),
    );
    let mutated = mutated.to_string_lossy();
    let on = |docs: &str, more: &[&str]| {
        let mut args = vec!["--spec", spec_file.as_str(), "--docs", docs];
        args.extend_from_slice(more);
        xtask(&args).0
    };
    assert_eq!(on(&mutated, &["--allow", &allow_file]), Some(1));
    assert_eq!(
        on(&mutated, &["--allow", &allow_file, "--fail-on", "never"]),
        Some(0)
    );

    // A warning fails only from --fail-on warning down.
    assert_eq!(on(&page_file, &["--no-allow"]), Some(0));
    assert_eq!(
        on(&page_file, &["--no-allow", "--fail-on", "warning"]),
        Some(1)
    );
    assert_eq!(
        on(
            &page_file,
            &["--allow", &allow_file, "--fail-on", "warning"]
        ),
        Some(0),
        "the warning is allowed"
    );

    // An info fails only with --fail-on info.
    let spec = temp(
        "info.yaml",
        &replace(
            &spec(),
            "Creates a new individual client for the company",
            "Registers somebody",
        ),
    );
    let spec = spec.to_string_lossy();
    let args = |threshold: &'static str| {
        [
            "--spec",
            spec.as_ref(),
            "--docs",
            page_file.as_str(),
            "--allow",
            allow_file.as_ref(),
            "--fail-on",
            threshold,
        ]
    };
    assert_eq!(xtask(&args("warning")).0, Some(0));
    assert_eq!(xtask(&args("info")).0, Some(1));
}

#[test]
fn exit_2_on_unreadable_input_naming_the_file() {
    let (code, _, stderr) = xtask(&["--spec", "/nonexistent/spec.yaml"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("/nonexistent/spec.yaml"), "{stderr}");

    let broken = temp(
        "broken.yaml",
        &replace(&spec(), "openapi: 3.0.3", "openapi: [3"),
    );
    let (code, _, stderr) = xtask(&["--spec", &broken.to_string_lossy()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("broken.yaml:"), "file and line: {stderr}");

    // Its own name: tests run in parallel and share the temporary folder.
    let allow = temp(
        "bad-allow.yaml",
        "allow:\n  - fingerprint: nothex\n    reason: x\n",
    );
    let (code, _, stderr) = xtask(&["--allow", &allow.to_string_lossy()]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("bad-allow.yaml:2: `fingerprint`"),
        "{stderr}"
    );

    let (code, _, stderr) = xtask(&["--docs", "/nonexistent/page.txt"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("/nonexistent/page.txt"), "{stderr}");
}

// Output formats, on a report with one finding of each severity.

fn sample() -> Report {
    let (spec, pages) = current();
    let spec = replace(
        &replace(
            &spec,
            "description: Retrieves detailed information about a specific individual client by their unique identifier.",
            "description: Fetches one client.",
        ),
        "      operationId: get_individual_client\n",
        "      operationId: get_individual_client\n      parameters:\n        - name: expand\n          in: query\n          schema:\n            type: string\n",
    );
    let page = pages
        .iter()
        .find(|(f, _)| f.ends_with("get-individual-client.txt"))
        .map(|(f, t)| {
            (
                f.clone(),
                replace(t, "id\nstring\nrequired\n", "id\ninteger\nrequired\n"),
            )
        })
        .unwrap_or_else(|| panic!("the get page"));
    run_current(&spec, &[page])
}

#[test]
fn text_output() {
    insta::assert_snapshot!(docs_diff::render(&sample(), docs_diff::Format::Text));
}

#[test]
fn markdown_output() {
    insta::assert_snapshot!(docs_diff::render(&sample(), docs_diff::Format::Markdown));
}

#[test]
fn github_output() {
    let out = docs_diff::render(&sample(), docs_diff::Format::Github);
    for line in out.lines() {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
        assert!(line.contains(",line="), "{line}");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn json_output() {
    let out = docs_diff::render(&sample(), docs_diff::Format::Json);
    let value: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("JSON: {e}"));
    assert_eq!(value["version"], 1);
    assert_eq!(value["summary"]["error"], 1);
    assert_eq!(value["summary"]["warning"], 6);
    assert_eq!(value["summary"]["info"], 1);
    insta::assert_json_snapshot!(value);
}

// Robustness: pages no one would write give findings, never a panic.

fn diff_page(text: &str) -> Report {
    let spec = input(SPEC_FILE, &spec());
    match docs_diff::diff(&spec, &[input(PAGE_FILE, text)], None) {
        Ok(report) => report,
        Err(e) => panic!("a page's content is never an input error: {e}"),
    }
}

/// Lines a page is made of, and lines that look almost like them.
fn page_like_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("POST".to_string()),
        Just("/".to_string()),
        Just("clients".to_string()),
        Just("curl -X POST \"https://api.cryptomate.me/management/clients\" \\".to_string()),
        Just("  -H \"X-API-KEY: k\" \\".to_string()),
        Just("  -d '{".to_string()),
        Just("  }'".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("\"id\": \"x\",".to_string()),
        Just("Body".to_string()),
        Just("Response".to_string()),
        Just("string".to_string()),
        Just("address".to_string()),
        Just("required".to_string()),
        Just("  city".to_string()),
        Just("  string".to_string()),
        Just("Path parameters".to_string()),
        Just("Query parameters".to_string()),
        Just("201 Created".to_string()),
        Just("404 Not Found".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("Deprecated. Use another endpoint.".to_string()),
        Just("Returns an array of client objects.".to_string()),
        Just("# source: https://docs.cryptomate.me/x".to_string()),
        Just("  -H \"x-api-key: k\"".to_string()),
        Just("Status. Possible values: a, b, c.".to_string()),
        "[ -~]{0,40}",
        "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn truncated_pages_give_findings(cut in 0usize..6000) {
        let p = page();
        let end = p.char_indices().map(|(i, _)| i).find(|i| *i >= cut).unwrap_or(p.len());
        let truncated = &p[..end];
        let report = diff_page(truncated);
        prop_assert!(truncated == p || report.active().next().is_some());
    }

    #[test]
    fn reordered_pages_give_findings(order in Just(page().lines().map(str::to_string).collect::<Vec<_>>()).prop_shuffle()) {
        let text = order.join("\n") + "\n";
        let report = diff_page(&text);
        prop_assert!(text == page() || report.active().next().is_some());
    }

    #[test]
    fn garbage_pages_give_findings(lines in proptest::collection::vec(page_like_line(), 0..40)) {
        let text = lines.join("\n");
        let report = diff_page(&text);
        prop_assert!(report.active().next().is_some());
    }

    #[test]
    fn truncated_current_pages_give_findings(cut in 0usize..7000) {
        let p = project_file(CURRENT_PAGES[0]);
        let end = p.char_indices().map(|(i, _)| i).find(|i| *i >= cut).unwrap_or(p.len());
        let truncated = &p[..end];
        let spec = project_file(FIXTURE_SPEC);
        let report = run_current(&spec, &[(CURRENT_PAGES[0].to_string(), truncated.to_string())]);
        // Cut inside its first line, a page is text with no method and no list:
        // a page that is not an API page, which is a note, not an error.
        let noted = report.active().any(|f| f.severity() == Severity::Error || f.kind == Kind::PageNotApi);
        prop_assert!(truncated.trim_end() == p.trim_end() || noted);
    }

    #[test]
    fn reordered_current_pages_give_findings(order in Just(project_file(CURRENT_PAGES[1]).lines().map(str::to_string).collect::<Vec<_>>()).prop_shuffle()) {
        let text = order.join("\n");
        let original = project_file(CURRENT_PAGES[1]);
        let spec = project_file(FIXTURE_SPEC);
        let report = run_current(&spec, &[(CURRENT_PAGES[1].to_string(), text.clone())]);
        let errors = report.active().any(|f| f.severity() == Severity::Error);
        prop_assert!(text.trim_end() == original.trim_end() || errors);
    }

    #[test]
    fn any_text_parses(text in "\\PC{0,400}") {
        let _ = docs_diff::page::parse(&text);
    }
}

#[test]
fn an_empty_page_is_missing_every_section() {
    let report = diff_page("");
    // The page names no operation, so the spec's is undocumented too.
    assert_eq!(
        kinds(&report),
        BTreeSet::from(["operation-undocumented", "page-section-missing"])
    );
    let sections = report
        .active()
        .filter(|f| f.kind == Kind::PageSectionMissing)
        .count();
    // The method, both examples, the description and the Response list; the path,
    // the Body list and the repetitions are only expected once what they
    // depend on is there.
    assert_eq!(sections, 5);
}

// The current format: five Individual Clients pages and a fixture spec that
// agrees with them.

/// The fixture spec and the current pages, as (file, text).
fn current() -> (String, Vec<(String, String)>) {
    let pages = CURRENT_PAGES
        .iter()
        .map(|p| (p.to_string(), project_file(p)))
        .collect();
    (project_file(FIXTURE_SPEC), pages)
}

fn run_current(spec: &str, pages: &[(String, String)]) -> Report {
    let pages: Vec<Input> = pages.iter().map(|(f, t)| input(f, t)).collect();
    match docs_diff::diff(&input(FIXTURE_SPEC, spec), &pages, None) {
        Ok(report) => report,
        Err(_) => panic!("the inputs are readable"),
    }
}

/// The pages with `from` replaced by `to` in the one page `file` (it must occur).
fn edit_page(
    pages: &[(String, String)],
    file: &str,
    from: &str,
    to: &str,
) -> Vec<(String, String)> {
    pages
        .iter()
        .map(|(f, t)| {
            if f.ends_with(file) {
                (f.clone(), replace(t, from, to))
            } else {
                (f.clone(), t.clone())
            }
        })
        .collect()
}

#[test]
fn the_fixture_spec_agrees_with_the_current_pages() {
    let (spec, pages) = current();
    let report = run_current(&spec, &pages);
    let errors: Vec<String> = report
        .active()
        .filter(|f| f.severity() == Severity::Error)
        .map(|f| format!("{} {} {}", f.kind, f.operation, f.message))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    // Every page is compared with its operation, and every line of every page
    // is read.
    assert_eq!(report.operations.len(), CURRENT_PAGES.len());
    assert!(!kinds(&report).contains("page-unparsed-line"));
    // The `x-api-key` of the pages is the spec's `X-API-KEY`: HTTP header names
    // are case-insensitive.
    assert!(!kinds(&report).contains("auth-header-mismatch"));
    // Child fields are compared one by one with the nested schema.
    let get = report
        .operations
        .iter()
        .find(|o| o.operation == "POST /management/clients/individuals")
        .unwrap_or_else(|| panic!("the create page is compared"));
    let city = get
        .fields
        .iter()
        .find(|r| r.side == "request" && r.field == "address.city");
    assert_eq!(
        city.map(|r| (r.page.as_str(), r.status.as_str())),
        Some(("string", "ok"))
    );
}

/// A mutation of the fixture spec or of one current page, and the one kind it
/// must add.
struct CurrentCase {
    kind: Kind,
    spec: String,
    pages: Vec<(String, String)>,
}

fn current_cases() -> Vec<CurrentCase> {
    let (s, p) = current();
    let page_case = |kind, file: &str, from: &str, to: &str| CurrentCase {
        kind,
        spec: s.clone(),
        pages: edit_page(&p, file, from, to),
    };
    let spec_case = |kind, from: &str, to: &str| CurrentCase {
        kind,
        spec: replace(&s, from, to),
        pages: p.clone(),
    };
    let mut errors_page = p.clone();
    errors_page.push((
        "openapi/docs/errors.txt".into(),
        project_file("openapi/docs/errors.txt"),
    ));
    vec![
        CurrentCase {
            kind: Kind::PageNotApi,
            spec: s.clone(),
            pages: errors_page,
        },
        spec_case(
            Kind::DeprecationMismatch,
            "      operationId: get_individual_client\n",
            "      operationId: get_individual_client\n      deprecated: true\n",
        ),
        page_case(
            Kind::DeprecationMismatch,
            "get-individual-client.txt",
            "Retrieves detailed information",
            "Deprecated. Use List individual clients.\nRetrieves detailed information",
        ),
        spec_case(
            Kind::ParameterMissingInSpec,
            "      parameters:\n        - name: clientId\n          in: path\n          required: true\n          schema:\n            type: string\n",
            "",
        ),
        spec_case(
            Kind::ParameterUndocumented,
            "      operationId: list_individual_clients\n",
            "      operationId: list_individual_clients\n      parameters:\n        - name: limit\n          in: query\n          schema:\n            type: integer\n",
        ),
        spec_case(
            Kind::TypeMismatch,
            "        - name: clientId\n          in: path\n          required: true\n          schema:\n            type: string\n",
            "        - name: clientId\n          in: path\n          required: true\n          schema:\n            type: integer\n",
        ),
        spec_case(
            Kind::RequiredMissing,
            "      required: [street_line1, city, postal_code, state, country]\n",
            "      required: [street_line1, postal_code, state, country]\n",
        ),
        spec_case(
            Kind::RequiredUndocumented,
            "      required: [first_name, last_name, email, birth_date, address]\n",
            "      required: [first_name, second_name, last_name, email, birth_date, address]\n",
        ),
        spec_case(
            Kind::FieldMissingInSpec,
            "        state_code:\n          type: string\n        country:\n          type: string\n        country_code:\n          type: string\n    IndividualClientRequest:",
            "        country:\n          type: string\n        country_code:\n          type: string\n    IndividualClientRequest:",
        ),
        page_case(
            Kind::FieldUndocumented,
            "create-individual-client.txt",
            "  country_code\n  string\n  Country numeric code.\n",
            "",
        ),
        spec_case(
            Kind::EnumMismatch,
            "      enum: [cards_individuals, ramps_cards, ramps_pix]\n",
            "      enum: [cards_individuals, ramps_cards]\n",
        ),
        spec_case(
            Kind::EnumMismatch,
            "          x-extensible-enum: [pending, active, rejected]\n",
            "          x-extensible-enum: [pending, approved, rejected]\n",
        ),
        spec_case(
            Kind::StatusUndeclared,
            "        '409':\n          $ref: '#/components/responses/Error'\n",
            "",
        ),
        spec_case(
            Kind::StatusUndocumented,
            "        '404':\n          $ref: '#/components/responses/Error'\n    delete:",
            "        '404':\n          $ref: '#/components/responses/Error'\n        '500':\n          description: A server error.\n    delete:",
        ),
        spec_case(
            Kind::ResponseKindMismatch,
            "        '204':\n          description: Deleted.\n",
            "        '204':\n          description: Deleted.\n          content:\n            application/json:\n              schema:\n                type: object\n",
        ),
        page_case(
            Kind::ResponseProseOnly,
            "list-individual-clients.txt",
            "Returns an array of individual client objects.",
            "Returns the company's individual clients.",
        ),
        page_case(
            Kind::ExampleInvalid,
            "get-individual-client.txt",
            "404 Not Found\n{\n  \"code\": \"NOT_FOUND\",",
            "404 Not Found\n{\n  \"code\": 404,",
        ),
        page_case(
            Kind::ExampleExtraKey,
            "get-individual-client.txt",
            "404 Not Found\n{\n  \"code\": \"NOT_FOUND\",",
            "404 Not Found\n{\n  \"trace_id\": \"4bf92f35\",\n  \"code\": \"NOT_FOUND\",",
        ),
        page_case(
            Kind::AuthHeaderMismatch,
            "delete-individual-client.txt",
            "x-api-key: $CRYPTOMATE_API_KEY",
            "x-api-token: $CRYPTOMATE_API_KEY",
        ),
    ]
}

/// The kinds of the findings a mutated run has and the base run has not.
fn added_kinds(base: &Report, mutated: &Report) -> BTreeSet<&'static str> {
    let before: BTreeSet<String> = base.active().map(|f| f.fingerprint()).collect();
    mutated
        .active()
        .filter(|f| !before.contains(&f.fingerprint()))
        .map(|f| f.kind.id())
        .collect()
}

#[test]
fn each_current_format_mutation_adds_exactly_its_kind() {
    let (s, p) = current();
    let base = run_current(&s, &p);
    let mut wrong = Vec::new();
    for c in current_cases() {
        let report = run_current(&c.spec, &c.pages);
        let added = added_kinds(&base, &report);
        if added != BTreeSet::from([c.kind.id()]) {
            let detail: Vec<String> = report
                .active()
                .map(|f| format!("  {} {} {}: {}", f.kind, f.operation, f.subject, f.message))
                .collect();
            wrong.push(format!(
                "{}: added {added:?}\n{}",
                c.kind,
                detail.join("\n")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_kind_has_a_mutation() {
    let covered: BTreeSet<Kind> = cases()
        .iter()
        .map(|c| c.kind)
        .chain(current_cases().iter().map(|c| c.kind))
        .collect();
    let all: BTreeSet<Kind> = Kind::ALL.into_iter().collect();
    let missing: Vec<&str> = all.difference(&covered).map(|k| k.id()).collect();
    assert_eq!(missing, Vec::<&str>::new());
}

#[test]
fn a_required_child_field_is_compared_at_its_depth() {
    let (s, p) = current();
    let spec = replace(
        &s,
        "      required: [street_line1, city, postal_code, state, country]\n",
        "      required: [street_line1, postal_code, state, country]\n",
    );
    let report = run_current(&spec, &p);
    let finding = report
        .active()
        .find(|f| f.kind == Kind::RequiredMissing)
        .unwrap_or_else(|| panic!("a required-missing finding"));
    assert_eq!(finding.subject, "request.address.city");
    let page_at = finding.page.as_ref().map(|l| (l.file.as_str(), l.line));
    assert_eq!(
        page_at,
        Some(("openapi/docs/create-individual-client.txt", Some(84)))
    );
    let spec_at = finding.spec.as_ref().and_then(|l| l.pointer.as_deref());
    assert_eq!(spec_at, Some("/components/schemas/AddressRequest/required"));
}

// Malformed pages: a finding with the line, never a panic.

/// The findings of one current page, mutated, against the fixture spec.
fn unparsed_lines(file: &str, from: &str, to: &str) -> Vec<(usize, String)> {
    let (s, p) = current();
    let pages = edit_page(&p, file, from, to);
    run_current(&s, &pages)
        .active()
        .filter(|f| {
            f.kind == Kind::PageUnparsedLine
                && f.page.as_ref().is_some_and(|l| l.file.ends_with(file))
        })
        .map(|f| {
            (
                f.page.as_ref().and_then(|l| l.line).unwrap_or(0),
                f.message.clone(),
            )
        })
        .collect()
}

#[test]
fn a_truncated_tab_is_a_finding_on_its_line() {
    let (_, p) = current();
    let text = &p[1].1;
    let cut = text.rfind("  \"message\"").unwrap_or(text.len());
    let lines = unparsed_lines("get-individual-client.txt", &text[cut..], "");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].1.contains("404 Not Found"), "{lines:?}");
    assert!(lines[0].1.contains("not JSON"), "{lines:?}");
}

#[test]
fn a_tab_label_without_body_is_a_finding_on_its_line() {
    let lines = unparsed_lines(
        "get-individual-client.txt",
        "404 Not Found\n{\n  \"code\": \"NOT_FOUND\",\n  \"message\": \"Company client not found with id: 4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG\"\n}",
        "404 Not Found\n",
    );
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].0, 99);
    assert!(lines[0].1.contains("has no body"), "{lines:?}");
}

#[test]
fn a_field_without_type_line_is_a_finding_on_its_line() {
    let lines = unparsed_lines(
        "create-individual-client.txt",
        "  city\n  string\n  required\n  City name.\n",
        "  city\n  City name.\n",
    );
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].0, 82);
    assert!(lines[0].1.contains("no type line"), "{lines:?}");
}

#[test]
fn a_child_without_parent_is_a_finding_on_its_line() {
    let lines = unparsed_lines(
        "create-individual-client.txt",
        "\nBody\n\nfirst_name\n",
        "\nBody\n\n  nickname\n  string\n  A name.\nfirst_name\n",
    );
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].0, 52);
    assert!(
        lines[0].1.contains("no field above it is its parent"),
        "{lines:?}"
    );
}

#[test]
fn a_child_of_a_string_is_a_finding_on_its_line() {
    let lines = unparsed_lines(
        "create-individual-client.txt",
        "required\nClient's last name.\nemail\n",
        "required\nClient's last name.\n  nickname\n  string\n  A name.\nemail\n",
    );
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].1.contains("not an object or array"), "{lines:?}");
}

// The vendor's real history.

#[test]
fn the_older_format_reads_without_problems() {
    let page = docs_diff::page::parse(&page());
    assert_eq!(page.problems, vec![]);
    assert_eq!(page.tabs.len(), 1, "one unlabelled repeated example");
    assert_eq!(page.tabs[0].status, None);
    assert!(page.deprecated.is_none());
    assert_eq!(page.body.as_ref().map(|b| b.fields.len()), Some(25));
}

#[test]
fn every_captured_page_reads_without_problems() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/docs");
    let mut read = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let page = docs_diff::page::parse(&text);
        assert_eq!(page.problems, vec![], "{}", path.display());
        assert!(page.source.is_some(), "{}: the source note", path.display());
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let plain = matches!(
            name.as_deref(),
            Some("errors.txt" | "guide-create-client-and-request-product.txt")
        );
        assert_eq!(page.not_api.is_some(), plain, "{}", path.display());
        read += 1;
    }
    assert_eq!(read, 14);
}

/// The spec of today follows the current create-client page; given the
/// 2026-04-20 capture instead, the tool reports what changed between the two
/// versions of the page.
#[test]
fn the_older_capture_against_todays_spec_reports_what_changed() {
    let spec = project_file("openapi/cryptomate.yaml");
    let report = run(&spec, &[&page()], None);
    let found: BTreeSet<(&str, &str)> = report
        .active()
        .map(|f| (f.kind.id(), f.subject.as_str()))
        .collect();
    let changed = [
        // The notice the vendor added.
        ("deprecation-mismatch", "deprecated"),
        // The 412 tabs the vendor added.
        ("status-undocumented", "response.412"),
        // The example's address the vendor changed to ISO 3166 codes.
        ("example-differs", "request.example"),
    ];
    for item in changed {
        assert!(found.contains(&item), "{item:?} in {found:?}");
    }
}

/// The current create-client page with every description reworded: only
/// `description-differs` (info) may appear, never an error or a warning.
#[test]
fn a_version_that_differs_only_in_prose_reports_no_error() {
    let spec = project_file("openapi/cryptomate.yaml");
    let current = project_file("openapi/docs/create-client.txt");
    let base = run(&spec, &[&current], None);
    let reworded = current
        .replace(
            "Phone country code.",
            "The country calling code of the phone.",
        )
        .replace("Client username.", "The name the client signs in with.")
        .replace(
            "Creates a new individual client for the company",
            "Registers an individual client of the company",
        )
        .replace("Unique client identifier.", "The client's identifier.");
    assert_ne!(reworded, current);
    let report = run(&spec, &[&reworded], None);
    let before: BTreeSet<String> = base.active().map(|f| f.fingerprint()).collect();
    let added: Vec<String> = report
        .active()
        .filter(|f| !before.contains(&f.fingerprint()) && f.severity() != Severity::Info)
        .map(|f| format!("{} {}", f.kind, f.message))
        .collect();
    assert_eq!(added, Vec::<String>::new());
}

// The documentation of the kinds is generated from the code.

#[test]
fn the_documented_kinds_are_the_codes() {
    const START: &str = "<!-- kinds: generated from docs_diff::KINDS -->\n";
    const END: &str = "<!-- end of kinds -->\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("DOCS-DIFF.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let (Some(start), Some(end)) = (doc.find(START), doc.find(END)) else {
        panic!("xtask/DOCS-DIFF.md has the markers {START:?} and {END:?}");
    };
    let documented = &doc[start + START.len()..end];
    let table = docs_diff::kinds_table();
    if documented != table {
        if std::env::var_os("DOCS_DIFF_WRITE_KINDS").is_some() {
            let updated = format!("{}{START}{table}{}", &doc[..start], &doc[end..]);
            std::fs::write(&path, updated).unwrap_or_else(|e| panic!("{e}"));
        } else {
            let diff = similar::TextDiff::from_lines(documented, table.as_str())
                .unified_diff()
                .header("xtask/DOCS-DIFF.md", "docs_diff::KINDS")
                .to_string();
            panic!(
                "the table of finding kinds in xtask/DOCS-DIFF.md differs from docs_diff::KINDS:\n{diff}\nfix: DOCS_DIFF_WRITE_KINDS=1 cargo test -p xtask --test docs_diff the_documented_kinds_are_the_codes"
            );
        }
    }
}
