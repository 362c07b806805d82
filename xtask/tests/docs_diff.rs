//! `cargo xtask docs-diff`: the project's spec against its captured page, one
//! mutation of the real files per finding kind, exit statuses, output formats,
//! and robustness on pages no one would write.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use xtask::docs_diff::{self, Input, Kind, Report, Severity};

const SPEC_FILE: &str = "openapi/cryptomate.yaml";
const PAGE_FILE: &str = "openapi/docs/create-client.txt";
const ALLOW_FILE: &str = "openapi/docs-diff-allow.yaml";

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
    project_file(ALLOW_FILE)
}

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
fn the_projects_spec_agrees_with_its_page() {
    let report = run(&spec(), &[&page()], Some(&allow()));
    let active: Vec<String> = report
        .active()
        .map(|f| format!("{} {}", f.kind, f.message))
        .collect();
    assert_eq!(active, Vec::<String>::new());
    // The one intended divergence is allowed, not absent.
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
    let covered: BTreeSet<Kind> = cases.iter().map(|c| c.kind).collect();
    let all: BTreeSet<Kind> = Kind::ALL.into_iter().collect();
    assert_eq!(covered, all, "every kind has a mutation");
    let mut wrong = Vec::new();
    for c in &cases {
        let pages: Vec<&str> = c.pages.iter().map(String::as_str).collect();
        let report = run(&c.spec, &pages, Some(&c.allow));
        let found = kinds(&report);
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

#[test]
fn exit_0_on_the_projects_files() {
    let (code, stdout, _) = xtask(&[]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains("0 error(s), 0 warning(s), 0 info, 1 allowed"),
        "{stdout}"
    );
}

#[test]
fn exit_1_on_findings_at_the_threshold() {
    let mutated = temp(
        "type.txt",
        &replace(&page(), "whatsapp\nboolean\n", "whatsapp\nstring\n"),
    );
    let mutated = mutated.to_string_lossy();
    assert_eq!(xtask(&["--docs", &mutated]).0, Some(1));
    assert_eq!(
        xtask(&["--docs", &mutated, "--fail-on", "never"]).0,
        Some(0)
    );

    // A warning fails only from --fail-on warning down.
    assert_eq!(xtask(&["--no-allow"]).0, Some(0));
    assert_eq!(xtask(&["--no-allow", "--fail-on", "warning"]).0, Some(1));
    assert_eq!(
        xtask(&["--fail-on", "warning"]).0,
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
    assert_eq!(xtask(&["--spec", &spec, "--fail-on", "warning"]).0, Some(0));
    assert_eq!(xtask(&["--spec", &spec, "--fail-on", "info"]).0, Some(1));
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

    let allow = temp(
        "allow.yaml",
        "allow:\n  - fingerprint: nothex\n    reason: x\n",
    );
    let (code, _, stderr) = xtask(&["--allow", &allow.to_string_lossy()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("allow.yaml:2: `fingerprint`"), "{stderr}");

    let (code, _, stderr) = xtask(&["--docs", "/nonexistent/page.txt"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("/nonexistent/page.txt"), "{stderr}");
}

// Output formats, on a report with one finding of each severity.

fn sample() -> Report {
    let s = replace(
        &spec(),
        "Creates a new individual client for the company",
        "Registers somebody",
    );
    let p = replace(&page(), "whatsapp\nboolean\n", "whatsapp\nstring\n");
    run(&s, &[&p], None)
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
    assert_eq!(value["summary"]["warning"], 1);
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
