//! `cargo xtask docs-diff` on the vendor's MDX pages: the project's spec
//! against its captures; mutations of pages and specs that agree, each
//! triggering the kind it should (the current set: five Individual Clients
//! pages, the onboarding guide and a navigation, against a fixture spec written
//! to agree with them; the legacy set: the deprecated create-client page as
//! of 91e1ac6 against the spec that followed it, for the embedded examples);
//! the vendor's real history (older versions of pages against today's spec);
//! exit statuses, output formats, the allow file, and robustness on pages no
//! one would write.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use xtask::docs_diff::{self, Capture, Captures, Finding, Input, Kind, Report, Severity};

/// The folder of the Individual Clients pages, in the vendor's repository.
const IC: &str = "api-reference/management/individual-clients";
/// A spec written to agree with the current set's pages.
const FIXTURE_SPEC: &str = "xtask/tests/fixtures/individuals.yaml";
/// The pages of the current set.
const CURRENT_PAGES: [&str; 5] = [
    "create-client.mdx",
    "get-client.mdx",
    "delete-client.mdx",
    "list-clients.mdx",
    "request-product-enablement.mdx",
];
/// The onboarding guide, a guide of the navigation.
const GUIDE: &str = "clients/create-client-and-request-product.mdx";
/// The spec as it was when it followed the legacy create-client page.
const LEGACY_SPEC: &str = "xtask/tests/fixtures/create-client-2026-04-20.yaml";
/// The legacy create-client page, as of the vendor's commit 91e1ac6.
const LEGACY_PAGE: &str =
    "xtask/tests/fixtures/history/api-reference/management/clients/create-client@91e1ac6.mdx";
/// Its path in the vendor's repository.
const LEGACY_PATH: &str = "api-reference/management/clients/create-client.mdx";

fn project_file(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn vendor(path: &str) -> String {
    project_file(&format!("openapi/vendor/{path}"))
}

fn input(file: &str, text: &str) -> Input {
    Input {
        file: PathBuf::from(file),
        text: text.to_string(),
    }
}

/// `text` with every occurrence of `from` replaced; `from` must occur.
fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is in the text");
    text.replace(from, to)
}

/// A spec, a navigation and pages: the inputs of one run.
#[derive(Clone)]
struct Set {
    spec_file: &'static str,
    spec: String,
    nav: Option<String>,
    /// (path in the vendor's repository, text).
    pages: Vec<(String, String)>,
}

/// A navigation listing `pages` in the Management anchor's Individual Clients
/// group, and the guide in the Guides tab.
fn navigation(pages: &[String]) -> String {
    let pages: Vec<String> = pages
        .iter()
        .map(|p| format!("\"{}\"", p.trim_end_matches(".mdx")))
        .collect();
    format!(
        r#"{{"name": "CryptoMate", "navigation": {{"tabs": [
  {{"tab": "Guides", "groups": [{{"group": "Clients", "pages": ["{}"]}}]}},
  {{"tab": "API reference", "anchors": [{{"anchor": "Management", "pages": [
    {{"group": "Individual Clients", "pages": [{}]}}]}}]}}
]}}}}"#,
        GUIDE.trim_end_matches(".mdx"),
        pages.join(", ")
    )
}

impl Set {
    /// Five Individual Clients pages, the guide and their navigation, against
    /// the fixture spec.
    fn current() -> Set {
        let mut pages: Vec<(String, String)> = CURRENT_PAGES
            .iter()
            .map(|p| {
                let path = format!("{IC}/{p}");
                let text = vendor(&path);
                (path, text)
            })
            .collect();
        let listed: Vec<String> = pages.iter().map(|(p, _)| p.clone()).collect();
        pages.push((GUIDE.to_string(), vendor(GUIDE)));
        Set {
            spec_file: FIXTURE_SPEC,
            spec: project_file(FIXTURE_SPEC),
            nav: Some(navigation(&listed)),
            pages,
        }
    }

    /// The legacy create-client page of 91e1ac6 against the spec of its time,
    /// without a navigation.
    fn legacy() -> Set {
        Set {
            spec_file: LEGACY_SPEC,
            spec: project_file(LEGACY_SPEC),
            nav: None,
            pages: vec![(LEGACY_PATH.to_string(), project_file(LEGACY_PAGE))],
        }
    }

    /// The page whose path ends with `name`.
    fn page(&self, name: &str) -> &str {
        self.pages
            .iter()
            .find(|(p, _)| p.ends_with(name))
            .map(|(_, t)| t.as_str())
            .unwrap_or_else(|| panic!("no page {name}"))
    }

    fn edit(mut self, name: &str, from: &str, to: &str) -> Set {
        let page = self
            .pages
            .iter_mut()
            .find(|(p, _)| p.ends_with(name))
            .unwrap_or_else(|| panic!("no page {name}"));
        page.1 = replace(&page.1, from, to);
        self
    }

    fn edit_spec(mut self, from: &str, to: &str) -> Set {
        self.spec = replace(&self.spec, from, to);
        self
    }

    fn with_page(mut self, path: &str, text: &str) -> Set {
        self.pages.push((path.to_string(), text.to_string()));
        self
    }

    fn with_nav(mut self, nav: String) -> Set {
        self.nav = Some(nav);
        self
    }

    fn captures(&self) -> Captures {
        Captures {
            nav: self
                .nav
                .as_ref()
                .map(|n| input("openapi/vendor/docs.json", n)),
            pages: self
                .pages
                .iter()
                .map(|(path, text)| Capture {
                    path: path.clone(),
                    input: input(&format!("openapi/vendor/{path}"), text),
                })
                .collect(),
            ..Captures::default()
        }
    }

    fn run(&self, allow: Option<&str>) -> Report {
        let allow = allow.map(|a| input("allow.yaml", a));
        match docs_diff::diff(
            &input(self.spec_file, &self.spec),
            &self.captures(),
            allow.as_ref(),
        ) {
            Ok(report) => report,
            Err(e) => panic!("the inputs are readable: {e}"),
        }
    }
}

/// The kinds of the findings no allow entry accepts.
fn kinds(report: &Report) -> BTreeSet<&'static str> {
    report.active().map(|f| f.kind.id()).collect()
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

fn errors(report: &Report) -> Vec<String> {
    report
        .active()
        .filter(|f| f.severity() == Severity::Error)
        .map(|f| format!("{} {} {}: {}", f.kind, f.operation, f.subject, f.message))
        .collect()
}

// The sets agree.

#[test]
fn the_fixture_spec_agrees_with_the_current_pages() {
    let report = Set::current().run(None);
    assert_eq!(errors(&report), Vec::<String>::new());
    // Every page is read: five API pages compared with their operations, the
    // guide known by the navigation.
    assert_eq!((report.api_pages, report.guides), (5, 1));
    assert_eq!(report.operations.len(), CURRENT_PAGES.len());
    // The `x-api-key` of the pages is the spec's `X-API-KEY`: HTTP header names
    // are case-insensitive.
    assert!(!kinds(&report).contains("auth-header-mismatch"));
    // Children nested through <Expandable> are compared one by one.
    let create = report
        .operations
        .iter()
        .find(|o| o.operation == "POST /management/clients/individuals")
        .unwrap_or_else(|| panic!("the create page is compared"));
    let city = create
        .fields
        .iter()
        .find(|r| r.side == "request" && r.field == "address.city");
    assert_eq!(
        city.map(|r| (r.page.as_str(), r.status.as_str())),
        Some(("string", "ok"))
    );
    // Nested fields named in prose are compared too.
    assert!(
        create.fields.iter().any(|r| r.side == "response"
            && r.field == "address.state_code"
            && r.page == "(prose)")
    );
    assert_eq!(report.coverage.len(), 1);
    assert_eq!(
        (report.coverage[0].pages, report.coverage[0].in_spec),
        (5, 5)
    );
}

#[test]
fn the_spec_of_that_time_agrees_with_the_legacy_page_of_that_time() {
    let report = Set::legacy().run(None);
    assert_eq!(errors(&report), Vec::<String>::new());
}

// Mutations: each triggers the kinds it should, and only those.

/// A mutation and the kinds it must add to its base set's findings.
struct Case {
    name: &'static str,
    kinds: Vec<Kind>,
    set: Set,
    allow: Option<String>,
}

fn case(name: &'static str, kinds: &[Kind], set: Set) -> Case {
    Case {
        name,
        kinds: kinds.to_vec(),
        set,
        allow: None,
    }
}

const DEPRECATED_BANNER: &str = "<Warning>\n  **Deprecated.** This endpoint is no longer available in the public API and is kept for reference only.\n</Warning>\n\n";

fn current_cases() -> Vec<Case> {
    let c = Set::current;
    let get = "get-client.mdx";
    let create = "create-client.mdx";
    let intro = "Retrieves detailed information about a specific individual client by their unique identifier.";
    let request_example = c()
        .page(get)
        .split_once("<RequestExample>")
        .and_then(|(_, rest)| rest.split_once("</RequestExample>\n"))
        .map(|(inside, _)| format!("<RequestExample>{inside}</RequestExample>\n"))
        .unwrap_or_default();
    let history = replace(
        &replace(
            c().page(get),
            "api: \"GET /management/clients/individuals/{id}\"",
            "api: \"GET /management/clients/individuals/{id}/history\"",
        ),
        "4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG\" \\",
        "4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG/history\" \\",
    );
    let all: Vec<String> = CURRENT_PAGES.iter().map(|p| format!("{IC}/{p}")).collect();
    let with_history: Vec<String> = all
        .iter()
        .cloned()
        .chain([format!("{IC}/get-client-history.mdx")])
        .collect();
    let without_delete: Vec<String> = all
        .iter()
        .filter(|p| !p.ends_with("delete-client.mdx"))
        .cloned()
        .collect();
    let with_uncaptured: Vec<String> = all
        .iter()
        .cloned()
        .chain([format!("{IC}/get-countries.mdx")])
        .collect();
    vec![
        case(
            "an unknown component",
            &[Kind::PageUnparsedLine],
            c().edit(get, "## Path parameters", "<Frame>\n</Frame>\n\n## Path parameters"),
        ),
        case(
            "a truncated page",
            &[Kind::PageUnparsedLine],
            c().edit(get, "\n</ResponseExample>", ""),
        ),
        case(
            "the cURL example removed",
            &[Kind::PageSectionMissing],
            c().edit(get, &request_example, ""),
        ),
        case(
            "the cURL URL contradicts the api: line",
            &[Kind::PageSelfContradiction],
            c().edit(
                get,
                "https://api.cryptomate.me/management/clients/individuals/4QWq",
                "https://api.cryptomate.me/management/client/individuals/4QWq",
            ),
        ),
        case(
            "a file that is not MDX (a saved 404 page)",
            &[Kind::PageUnrecognized],
            c().with_page(
                &format!("{IC}/get-countries.mdx"),
                "<html><body>404 page not found</body></html>",
            ),
        ),
        case(
            "a page without api: that the navigation does not list as a guide",
            &[Kind::PageUnrecognized],
            c().with_page("quickstart.mdx", &vendor(GUIDE)),
        ),
        case(
            "an anchor's overview page",
            &[Kind::PageNotApi],
            c().with_page("api-reference/management/index.mdx", &vendor("api-reference/management/index.mdx"))
                .with_nav(replace(
                    &navigation(&all),
                    "\"pages\": [\n    {\"group\": \"Individual Clients\"",
                    "\"pages\": [\"api-reference/management/index\",\n    {\"group\": \"Individual Clients\"",
                )),
        ),
        case(
            "a page the navigation no longer lists",
            &[Kind::PageOutsideNavigation],
            c().with_nav(navigation(&without_delete)),
        ),
        case(
            "a page of the navigation without a capture",
            &[Kind::PageNotCaptured],
            c().with_nav(navigation(&with_uncaptured)),
        ),
        case(
            "a published page whose operation the spec lacks",
            &[Kind::OperationMissing],
            c().with_page(&format!("{IC}/get-client-history.mdx"), &history)
                .with_nav(navigation(&with_history)),
        ),
        case(
            "an operation no page documents",
            &[Kind::OperationUndocumented],
            c().edit_spec(
                "paths:\n",
                "paths:\n  /management/companies:\n    get:\n      operationId: list_companies\n      responses:\n        '200':\n          description: The companies.\n",
            ),
        ),
        case(
            "the Deprecated banner added (first wording)",
            &[Kind::DeprecationMismatch],
            c().edit(get, intro, &format!("{DEPRECATED_BANNER}{intro}")),
        ),
        case(
            "the Deprecated banner added (second wording)",
            &[Kind::DeprecationMismatch],
            c().edit(get, intro, &format!("<Warning>\n  **Deprecated.** This endpoint is no longer part of the public API. Use [List individual clients](/api-reference/management/individual-clients/list-clients) instead.\n</Warning>\n\n{intro}")),
        ),
        case(
            "deprecated: true in the front matter",
            &[Kind::DeprecationMismatch],
            c().edit(get, "description: \"", "deprecated: true\ndescription: \""),
        ),
        case(
            "a deprecated query parameter the spec does not deprecate",
            &[Kind::ParameterMissingInSpec],
            c().edit(
                "list-clients.mdx",
                "## Response",
                "## Query parameters\n\n<ParamField query=\"sort_field\" type=\"string\" deprecated>\n  Accepted and ignored.\n</ParamField>\n\n## Response",
            ),
        ),
        case(
            "the path parameter renamed",
            &[
                Kind::ParameterMissingInSpec,
                Kind::ParameterUndocumented,
                Kind::PageSelfContradiction,
            ],
            c().edit(get, "<ParamField path=\"id\"", "<ParamField path=\"clientId\""),
        ),
        case(
            "a field renamed",
            &[Kind::FieldMissingInSpec, Kind::FieldUndocumented],
            c().edit(create, "<ParamField body=\"second_name\"", "<ParamField body=\"middle_name\""),
        ),
        case(
            "a nested field removed",
            &[Kind::FieldUndocumented],
            c().edit(
                create,
                "    <ParamField body=\"country_code\" type=\"string\">\n      Country numeric code.\n    </ParamField>\n",
                "",
            ),
        ),
        case(
            "a type changed on the page (its example still shows a number)",
            &[Kind::TypeMismatch, Kind::PageSelfContradiction],
            c().edit(
                create,
                "<ParamField body=\"phone_country_code\" type=\"integer\">",
                "<ParamField body=\"phone_country_code\" type=\"string\">",
            ),
        ),
        case(
            "a type changed in the spec",
            &[Kind::TypeMismatch],
            c().edit_spec(
                "        - name: clientId\n          in: path\n          required: true\n          schema:\n            type: string\n",
                "        - name: clientId\n          in: path\n          required: true\n          schema:\n            type: integer\n",
            ),
        ),
        case(
            "a format changed in the spec",
            &[Kind::FormatMismatch],
            c().edit_spec(
                "        phone_number:\n          type: integer\n          format: int64\n",
                "        phone_number:\n          type: integer\n          format: int32\n",
            ),
        ),
        case(
            "a default added on the page",
            &[Kind::DefaultMismatch],
            c().edit(
                create,
                "<ParamField body=\"phone_country_code\" type=\"integer\">",
                "<ParamField body=\"phone_country_code\" type=\"integer\" default=\"54\">",
            ),
        ),
        case(
            "required added on the page",
            &[Kind::RequiredMissing],
            c().edit(
                create,
                "<ParamField body=\"second_name\" type=\"string\">",
                "<ParamField body=\"second_name\" type=\"string\" required>",
            ),
        ),
        case(
            "required dropped on the page (a request field)",
            &[Kind::RequiredStricter],
            c().edit(
                create,
                "<ParamField body=\"last_name\" type=\"string\" required>",
                "<ParamField body=\"last_name\" type=\"string\">",
            ),
        ),
        case(
            "a nested required dropped in the spec",
            &[Kind::RequiredMissing],
            c().edit_spec(
                "      required: [street_line1, city, postal_code, state, country]\n",
                "      required: [street_line1, postal_code, state, country]\n",
            ),
        ),
        case(
            "a response field required by the spec",
            &[Kind::RequiredUndocumented],
            c().edit_spec(
                "    IndividualClient:\n      type: object\n      properties:\n",
                "    IndividualClient:\n      type: object\n      required: [email]\n      properties:\n",
            ),
        ),
        case(
            "an enum value dropped in the spec",
            &[Kind::EnumMismatch],
            c().edit_spec(
                "      enum: [cards_individuals, ramps_cards, ramps_pix]\n",
                "      enum: [cards_individuals, ramps_cards]\n",
            ),
        ),
        case(
            "an example value of the prose renamed in the spec",
            &[Kind::EnumMismatch],
            c().edit_spec(
                "          x-extensible-enum: [pending, active, rejected]\n",
                "          x-extensible-enum: [pending, approved, rejected]\n",
            ),
        ),
        case(
            "a description reworded in the spec",
            &[Kind::DescriptionDiffers],
            c().edit_spec(
                "description: Retrieves detailed information about a specific individual client by their unique identifier.",
                "description: Fetches one client.",
            ),
        ),
        case(
            "another authentication header",
            &[Kind::AuthHeaderMismatch],
            c().edit(
                "delete-client.mdx",
                "x-api-key: $CRYPTOMATE_API_KEY",
                "x-api-token: $CRYPTOMATE_API_KEY",
            ),
        ),
        case(
            "another content type",
            &[Kind::ContentTypeMismatch],
            c().edit(create, "Content-Type: application/json", "Content-Type: text/plain"),
        ),
        case(
            "another server",
            &[Kind::ServerMismatch],
            c().edit(get, "https://api.cryptomate.me/", "https://api.example.com/"),
        ),
        case(
            "a status example added",
            &[Kind::StatusUndeclared],
            c().edit(
                get,
                "</ResponseExample>",
                "```json 412 Precondition Failed\n{\n  \"code\": \"VAL\",\n  \"message\": \"Client is locked\"\n}\n```\n\n</ResponseExample>",
            ),
        ),
        case(
            "an Errors section with an undeclared status",
            &[Kind::StatusUndeclared],
            c().edit(
                get,
                "<RequestExample>",
                "## Errors\n\n<ResponseField name=\"429\" type=\"Too Many Requests\">\n  Slow down.\n</ResponseField>\n\n<RequestExample>",
            ),
        ),
        case(
            "an Errors table with a code the spec's error schema does not enumerate",
            &[Kind::EnumMismatch],
            c().edit_spec(
                "    ApiError:\n      type: object\n      required: [code, message]\n      properties:\n        code:\n          type: string\n",
                "    ApiError:\n      type: object\n      required: [code, message]\n      properties:\n        code:\n          type: string\n          x-extensible-enum: [NOT_FOUND, VAL]\n",
            )
            .edit(
                get,
                "<RequestExample>",
                "## Errors\n\n| Code | Description |\n|------|-------------|\n| `NOT_FOUND` | No such client. |\n| `LOCKED` | The client is locked. |\n\n<RequestExample>",
            ),
        ),
        case(
            "a status of the spec's own that no example shows",
            &[Kind::StatusUndocumented],
            c().edit_spec(
                "        '404':\n          $ref: '#/components/responses/Error'\n    delete:",
                "        '404':\n          $ref: '#/components/responses/Error'\n        '500':\n          description: A server error.\n    delete:",
            ),
        ),
        case(
            "a 204 with content in the spec",
            &[Kind::ResponseKindMismatch],
            c().edit_spec(
                "        '204':\n          description: Deleted.\n",
                "        '204':\n          description: Deleted.\n          content:\n            application/json:\n              schema:\n                type: object\n",
            ),
        ),
        case(
            "an empty example where the spec has a body",
            &[Kind::ResponseKindMismatch],
            c().edit(
                "delete-client.mdx",
                "```json 404 Not Found\n{\n  \"code\": \"NOT_FOUND\",\n  \"message\": \"Company client not found with id: 4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG\"\n}\n```",
                "```json 404 Not Found\n```",
            ),
        ),
        case(
            "a binary example where the spec has JSON",
            &[Kind::ResponseKindMismatch],
            c().edit(
                "delete-client.mdx",
                "```json 404 Not Found\n{\n  \"code\": \"NOT_FOUND\",\n  \"message\": \"Company client not found with id: 4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG\"\n}\n```",
                "```text 404 Not Found\n<binary PDF file (application/pdf)>\n```",
            ),
        ),
        case(
            "a name=\"[]\" field lists the fields of the array's items",
            &[Kind::FieldUndocumented],
            c().edit(
                "list-clients.mdx",
                "Returns an array of individual client objects.",
                "<ResponseField name=\"[]\" type=\"array\">\n  <Expandable title=\"client\">\n    <ResponseField name=\"id\" type=\"string\">\n      Unique client identifier.\n    </ResponseField>\n  </Expandable>\n</ResponseField>",
            ),
        ),
        case(
            "a response the prose says is an array, an object in the spec (its example breaks it too)",
            &[Kind::ResponseKindMismatch, Kind::ExampleInvalid],
            c().edit_spec(
                "              schema:\n                type: array\n                items:\n                  $ref: '#/components/schemas/IndividualClient'\n",
                "              schema:\n                $ref: '#/components/schemas/IndividualClient'\n",
            ),
        ),
        case(
            "a Response section that says nothing checkable",
            &[Kind::ResponseProseOnly],
            c().edit(
                "list-clients.mdx",
                "Returns an array of individual client objects.",
                "The company's individual clients.",
            ),
        ),
        case(
            "a response example that breaks the schema",
            &[Kind::ExampleInvalid],
            c().edit(
                get,
                "```json 404 Not Found\n{\n  \"code\": \"NOT_FOUND\",",
                "```json 404 Not Found\n{\n  \"code\": 404,",
            ),
        ),
        case(
            "a response example with a key the schema lacks",
            &[Kind::ExampleExtraKey],
            c().edit(
                get,
                "```json 404 Not Found\n{\n  \"code\": \"NOT_FOUND\",",
                "```json 404 Not Found\n{\n  \"trace_id\": \"4bf92f35\",\n  \"code\": \"NOT_FOUND\",",
            ),
        ),
        Case {
            name: "an allow entry that matches nothing",
            kinds: vec![Kind::AllowEntryUnused],
            set: c(),
            allow: Some(format!(
                "allow:\n  - {{kind: operation-missing, page: {IC}/get-client.mdx, reason: A divergence that is gone.}}\n"
            )),
        },
    ]
}

fn legacy_cases() -> Vec<Case> {
    let l = Set::legacy;
    let s = project_file(LEGACY_SPEC);
    let start = s
        .find("            examples:\n              documented:\n                summary: The request")
        .unwrap_or_else(|| panic!("the request example is in the spec"));
    let end = s
        .find("                  individual_identification_type: SSN\n")
        .map(|i| i + "                  individual_identification_type: SSN\n".len())
        .unwrap_or_else(|| panic!("the request example ends"));
    let without_example = format!("{}{}", &s[..start], &s[end..]);
    let page = project_file(LEGACY_PAGE);
    vec![
        case(
            "the spec embeds no request example",
            &[Kind::ExampleMissing],
            Set {
                spec: without_example,
                ..l()
            },
        ),
        case(
            "the spec's example differs from the page's",
            &[Kind::ExampleDiffers],
            l().edit_spec(
                "\n        first_name: John\n",
                "\n        first_name: Jane\n",
            ),
        ),
        case(
            "a cURL body that breaks the schema, embedded likewise",
            &[Kind::ExampleInvalid],
            l().edit_spec("birth_date: \"1990-05-15\"", "birth_date: \"1990-13-45\"")
                .edit(LEGACY_PATH, "\"1990-05-15\"", "\"1990-13-45\""),
        ),
        case(
            "the Deprecated banner removed while the spec deprecates",
            &[Kind::DeprecationMismatch],
            l().edit_spec(
                "      operationId: create_client\n",
                "      operationId: create_client\n      deprecated: true\n",
            ),
        ),
        case(
            "a cURL body not JSON",
            &[Kind::PageUnparsedLine],
            Set {
                pages: vec![(
                    LEGACY_PATH.into(),
                    replace(
                        &page,
                        "    \"username\": \"johndoe123\",",
                        "    \"username\": johndoe123,",
                    ),
                )],
                ..l()
            },
        ),
    ]
}

fn check(cases: Vec<Case>, base: &Set) -> Vec<String> {
    let base = base.run(None);
    let mut wrong = Vec::new();
    for c in cases {
        let report = c.set.run(c.allow.as_deref());
        let found = added_kinds(&base, &report);
        let expected: BTreeSet<&str> = c.kinds.iter().map(|k| k.id()).collect();
        if found != expected {
            let detail: Vec<String> = report
                .active()
                .map(|f| format!("  {} {} {}: {}", f.kind, f.operation, f.subject, f.message))
                .collect();
            wrong.push(format!(
                "{}: expected {expected:?}, found {found:?}\n{}",
                c.name,
                detail.join("\n")
            ));
        }
    }
    wrong
}

#[test]
fn each_mutation_of_the_current_set_triggers_its_kinds() {
    let wrong = check(current_cases(), &Set::current());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn each_mutation_of_the_legacy_set_triggers_its_kinds() {
    let wrong = check(legacy_cases(), &Set::legacy());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_kind_has_a_mutation() {
    let covered: BTreeSet<Kind> = current_cases()
        .iter()
        .chain(legacy_cases().iter())
        .chain(webhook_cases().iter())
        .flat_map(|c| c.kinds.clone())
        .collect();
    let all: BTreeSet<Kind> = Kind::ALL.into_iter().collect();
    let missing: Vec<&str> = all.difference(&covered).map(|k| k.id()).collect();
    assert_eq!(missing, Vec::<&str>::new());
}

#[test]
fn findings_name_both_sides_lines() {
    let set = Set::current().edit(
        "create-client.mdx",
        "    <ParamField body=\"city\" type=\"string\" required>",
        "    <ParamField body=\"city\" type=\"boolean\" required>",
    );
    let report = set.run(None);
    let finding = report
        .active()
        .find(|f| f.kind == Kind::TypeMismatch)
        .unwrap_or_else(|| panic!("a type mismatch"));
    assert_eq!(finding.subject, "request.address.city");
    assert_eq!(
        finding.capture.as_deref(),
        Some("api-reference/management/individual-clients/create-client.mdx")
    );
    assert_eq!(finding.product.as_deref(), Some("management"));
    let page_at = finding.page.as_ref().map(|l| (l.file.as_str(), l.line));
    assert_eq!(
        page_at,
        Some((
            "openapi/vendor/api-reference/management/individual-clients/create-client.mdx",
            Some(41)
        ))
    );
    let spec_at = finding.spec.as_ref().map(|l| l.pointer.clone());
    assert_eq!(
        spec_at,
        Some(Some(
            "/components/schemas/AddressRequest/properties/city".into()
        ))
    );
    assert!(finding.spec.as_ref().and_then(|l| l.line).is_some());
    assert_eq!(finding.page_says.as_deref(), Some("boolean"));
    assert_eq!(finding.spec_says.as_deref(), Some("string"));
}

#[test]
fn a_required_request_field_the_page_leaves_optional_is_an_error() {
    // Issue 21, item 8: the generated builder would refuse bodies the API
    // accepts; a response field stays a warning.
    let set = Set::current().edit_spec(
        "      required: [first_name, last_name, email, birth_date, address]\n",
        "      required: [first_name, second_name, last_name, email, birth_date, address]\n",
    );
    let report = set.run(None);
    let finding = report
        .active()
        .find(|f| f.subject == "request.second_name")
        .unwrap_or_else(|| panic!("a finding on second_name"));
    assert_eq!(finding.kind, Kind::RequiredStricter);
    assert_eq!(finding.severity(), Severity::Error);
    assert!(report.fails(Some(Severity::Error)));
    assert_eq!(Kind::RequiredUndocumented.severity(), Severity::Warning);
}

#[test]
fn a_page_of_version_2_is_compared_with_the_operation_at_its_path_with_v2() {
    // The cards transaction search has a page per version, on one path: the
    // v2 page's cURL example sends `X-API-Version: 2`, and its operation is
    // the spec's at `…/search#v2` (the v1 page's, at `…/search`).
    let dir = "api-reference/cards/transactions";
    let pages: Vec<(String, String)> = ["search-transactions.mdx", "search-transactions-v2.mdx"]
        .iter()
        .map(|name| {
            let path = format!("{dir}/{name}");
            let text = vendor(&path);
            (path, text)
        })
        .collect();
    let set = Set {
        spec_file: "openapi/cryptomate.yaml",
        spec: project_file("openapi/cryptomate.yaml"),
        nav: None,
        pages,
    };
    let report = set.run(None);
    let compared: BTreeSet<(&str, &str)> = report
        .operations
        .iter()
        .map(|o| {
            (
                o.operation.as_str(),
                o.page.rsplit('/').next().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        compared,
        BTreeSet::from([
            (
                "GET /cards/transactions/{cardId}/search",
                "search-transactions.mdx"
            ),
            (
                "GET /cards/transactions/{cardId}/search#v2",
                "search-transactions-v2.mdx"
            ),
        ])
    );
    assert!(
        !report.fails(Some(Severity::Error)),
        "{:#?}",
        errors(&report)
    );
    let on_the_pages: Vec<&Finding> = report
        .active()
        .filter(|f| f.capture.is_some() && f.severity() >= Severity::Warning)
        .collect();
    assert!(on_the_pages.is_empty(), "{on_the_pages:#?}");
}

#[test]
fn a_self_contradiction_names_the_side_the_spec_follows() {
    let set = Set::current().edit(
        "create-client.mdx",
        "    \"phone_number\": 1168860622\n  }'",
        "    \"phone_number\": \"1168860622\"\n  }'",
    );
    let report = set.run(None);
    let messages: Vec<&str> = report
        .active()
        .filter(|f| f.kind == Kind::PageSelfContradiction)
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("the spec follows the list"),
        "{messages:?}"
    );
}

#[test]
fn fingerprints_ignore_lines_and_messages() {
    let mutated = Set::current().edit(
        "create-client.mdx",
        "<ParamField body=\"email\" type=\"string\" required>",
        "<ParamField body=\"email\" type=\"integer\" required>",
    );
    let shifted = mutated
        .clone()
        .edit("create-client.mdx", "## Body\n", "## Body\n\n\n\n");
    let prints =
        |r: &Report| -> Vec<String> { r.findings.iter().map(|f| f.fingerprint()).collect() };
    assert_eq!(prints(&mutated.run(None)), prints(&shifted.run(None)));
    assert_eq!(
        docs_diff::fingerprint(
            Kind::RequiredUndocumented,
            "",
            "POST /management/clients",
            "response.id"
        ),
        "ecd548b3e722c221",
        "the documented function: FNV-1a 64 of kind|capture|operation|subject"
    );
}

// The allow file.

#[test]
fn allow_entries_name_a_page_an_operation_or_a_fingerprint() {
    let set = Set::current()
        .edit_spec(
            "description: Retrieves detailed information about a specific individual client by their unique identifier.",
            "description: Fetches one client.",
        )
        .edit(
            "delete-client.mdx",
            "x-api-key: $CRYPTOMATE_API_KEY",
            "x-api-token: $CRYPTOMATE_API_KEY",
        );
    let report = set.run(None);
    let description = report
        .active()
        .find(|f| f.kind == Kind::DescriptionDiffers)
        .map(|f| f.fingerprint())
        .unwrap_or_else(|| panic!("a description finding"));
    let allow = format!(
        "allow:\n  - {{kind: auth-header-mismatch, page: {IC}/delete-client.mdx, reason: A page.}}\n  - fingerprint: {description}\n    reason: A fingerprint.\n  - kind: example-missing\n    operation: POST /management/clients/individuals\n    subject: request.example\n    reason: One place of an operation.\n"
    );
    let allowed = set.run(Some(&allow));
    let reasons: BTreeSet<&str> = allowed
        .findings
        .iter()
        .filter_map(|f| f.allowed.as_deref())
        .collect();
    assert_eq!(
        reasons,
        BTreeSet::from(["A page.", "A fingerprint.", "One place of an operation."])
    );
    assert!(!kinds(&allowed).contains("allow-entry-unused"));
    // Every given key must match: the same page with another kind allows
    // nothing, and is itself reported.
    let wrong = format!(
        "allow:\n  - {{kind: server-mismatch, page: {IC}/delete-client.mdx, reason: Wrong kind.}}\n"
    );
    let report = set.run(Some(&wrong));
    assert!(kinds(&report).contains("auth-header-mismatch"));
    assert!(kinds(&report).contains("allow-entry-unused"));
}

#[test]
fn a_malformed_allow_file_is_an_input_error_naming_the_entry() {
    let set = Set::current();
    let diff = |allow: &str| {
        docs_diff::diff(
            &input(set.spec_file, &set.spec),
            &set.captures(),
            Some(&input("allow.yaml", allow)),
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    };
    let silencing = diff("allow:\n  - kind: operation-missing\n    reason: Everywhere.\n");
    assert!(
        silencing
            .as_ref()
            .is_err_and(|e| e.contains("allow.yaml:2:") && e.contains("a `kind` with a `page`")),
        "{silencing:?}"
    );
    let unknown =
        diff("allow:\n  - {kind: operation-missing, page: x.mdx, reason: R, pages: [y]}\n");
    assert!(unknown.is_err_and(|e| e.contains("unknown key `pages`")));
    let no_reason = diff("allow:\n  - {kind: operation-missing, page: x.mdx}\n");
    assert!(no_reason.is_err_and(|e| e.contains("`reason` is required")));
}

// The project's captures.

fn xtask(command: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .arg(command)
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

/// The project's spec against every capture: what CI holds. Every page is
/// read, no line is left unread, and every divergence is allowed with a
/// reason that is still needed.
#[test]
fn exit_0_on_the_projects_files() {
    let (code, stdout, _) = xtask("docs-diff", &["--fail-on", "warning"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("0 error(s), 0 warning(s)"), "{stdout}");
    assert!(!stdout.contains("page-unparsed-line"), "{stdout}");
    // Every capture is read: the navigation and each page, API page or guide.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/vendor");
    let captures = Captures::read_dir(&root).unwrap_or_else(|e| panic!("{e}"));
    let pages = captures.pages.len();
    assert!(
        stdout.contains(&format!("{} file(s) read: ", pages + 1)),
        "{stdout}"
    );
    let report = docs_diff::diff(
        &input(
            "openapi/cryptomate.yaml",
            &project_file("openapi/cryptomate.yaml"),
        ),
        &captures,
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.api_pages + report.guides, pages);
}

#[test]
fn every_captured_page_reads_without_problems() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/vendor");
    let captures = Captures::read_dir(&root).unwrap_or_else(|e| panic!("{e}"));
    let mut api = 0;
    for page in &captures.pages {
        let parsed = vendor_pages::mdx::parse(&page.input.text);
        assert_eq!(parsed.problems, vec![], "{}", page.path);
        assert!(parsed.front.is_some(), "{}", page.path);
        if parsed.api().is_some() {
            api += 1;
        }
    }
    // At least the 129 API pages of the navigation of 2026-12 and the legacy
    // create-client page.
    assert!(api >= 130, "{api} API pages");
}

#[test]
fn a_product_helper_runs_only_their_pages() {
    let (code, stdout, _) = xtask("docs-diff", &["--product", "cards", "--fail-on", "warning"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains("(products: cards): 40 API page(s), 1 guide(s)"),
        "{stdout}"
    );
    assert!(!stdout.contains("management"), "{stdout}");
    let (code, stdout, _) = xtask(
        "docs-diff",
        &[
            "--docs",
            "openapi/vendor/api-reference/management/individual-clients/get-client.mdx",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("1 API page(s)"), "{stdout}");
}

#[test]
fn exit_1_on_findings_at_the_threshold() {
    // Issue 21, item 2: a capture that is a saved error page fails the run,
    // naming the file and what was expected.
    let root = std::env::temp_dir().join(format!("xtask-docs-diff-404-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    xtask_common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/vendor"),
        &root,
    );
    let broken = root.join("api-reference/management/individual-clients/get-client.mdx");
    std::fs::write(&broken, "<html><body>404 page not found</body></html>")
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, _) = xtask("docs-diff", &["--docs", &root.to_string_lossy()]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("error[page-unrecognized] front-matter: api-reference/management/individual-clients/get-client.mdx is neither an API page nor a guide"),
        "{stdout}"
    );
    assert!(stdout.contains("starts with MDX front matter"), "{stdout}");
    let _ = std::fs::remove_dir_all(&root);

    // A warning fails only from --fail-on warning down; an info only with
    // --fail-on info.
    let spec = temp(
        "info.yaml",
        &replace(
            &project_file("openapi/cryptomate.yaml"),
            "Retrieves detailed information about a specific individual client",
            "Fetches one client",
        ),
    );
    let spec = spec.to_string_lossy();
    assert_eq!(
        xtask("docs-diff", &["--spec", &spec, "--fail-on", "warning"]).0,
        Some(0)
    );
    assert_eq!(
        xtask("docs-diff", &["--spec", &spec, "--fail-on", "info"]).0,
        Some(1)
    );
    assert_eq!(
        xtask("docs-diff", &["--no-allow", "--fail-on", "never"]).0,
        Some(0)
    );
    assert_eq!(xtask("docs-diff", &["--no-allow"]).0, Some(1));
}

#[test]
fn exit_2_on_unreadable_input_naming_the_file() {
    let (code, _, stderr) = xtask("docs-diff", &["--spec", "/nonexistent/spec.yaml"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("/nonexistent/spec.yaml"), "{stderr}");

    let broken = temp(
        "broken.yaml",
        &replace(&project_file(FIXTURE_SPEC), "openapi: 3.0.3", "openapi: [3"),
    );
    let (code, _, stderr) = xtask("docs-diff", &["--spec", &broken.to_string_lossy()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("broken.yaml:"), "file and line: {stderr}");

    let allow = temp(
        "bad-allow.yaml",
        "allow:\n  - fingerprint: nothex\n    reason: x\n",
    );
    let (code, _, stderr) = xtask("docs-diff", &["--allow", &allow.to_string_lossy()]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("bad-allow.yaml:2: `fingerprint`"),
        "{stderr}"
    );

    let (code, _, stderr) = xtask("docs-diff", &["--docs", "/nonexistent/page.mdx"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("/nonexistent/page.mdx"), "{stderr}");
}

// The vendor's real history: older versions of pages (their commits in the
// fixtures' names, copied verbatim from the vendor's repository) against
// today's spec give findings for exactly what changed.

const HISTORY: &str = "xtask/tests/fixtures/history";

/// The findings an older version of a page adds to those of the captured
/// (newest) version, both against today's spec: (kind, subject).
fn what_changed(path: &str, commit: &str) -> BTreeSet<(String, String)> {
    let spec = project_file("openapi/cryptomate.yaml");
    let allow = project_file("openapi/docs-diff-allow.yaml");
    let stem = path.trim_end_matches(".mdx");
    let older = project_file(&format!("{HISTORY}/{stem}@{commit}.mdx"));
    let run = |text: &str| {
        let captures = Captures {
            nav: Some(input("openapi/vendor/docs.json", &vendor("docs.json"))),
            pages: vec![Capture {
                path: path.to_string(),
                input: input(&format!("openapi/vendor/{path}"), text),
            }],
            partial: true,
            ..Captures::default()
        };
        docs_diff::diff(
            &input("openapi/cryptomate.yaml", &spec),
            &captures,
            Some(&input("openapi/docs-diff-allow.yaml", &allow)),
        )
        .unwrap_or_else(|e| panic!("readable: {e}"))
    };
    let newest = run(&vendor(path));
    assert_eq!(
        errors(&newest),
        Vec::<String>::new(),
        "{path}: the newest version"
    );
    let before: BTreeSet<String> = newest.active().map(|f| f.fingerprint()).collect();
    run(&older)
        .active()
        .filter(|f| !before.contains(&f.fingerprint()))
        .map(|f| (f.kind.id().to_string(), f.subject.clone()))
        .collect()
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(k, s)| (k.to_string(), s.to_string()))
        .collect()
}

#[test]
fn the_legacy_create_client_before_its_deprecation() {
    // 91e1ac6 → 80958e0: the Deprecated banner, ISO 3166 codes in the example
    // (and two notes about them in prose, which are not findings).
    assert_eq!(
        what_changed(LEGACY_PATH, "91e1ac6"),
        set(&[
            ("deprecation-mismatch", "deprecated"),
            ("example-differs", "request.example"),
        ])
    );
}

#[test]
fn create_individual_client_when_it_returned_the_phone() {
    // dbbb287 → 3a149f6: the response lost the phone fields and gained the
    // timestamps (D14).
    assert_eq!(
        what_changed(&format!("{IC}/create-client.mdx"), "dbbb287"),
        set(&[
            ("field-missing-in-spec", "response.phone_country_code"),
            ("field-missing-in-spec", "response.phone_number"),
            ("field-undocumented", "response.created_at"),
            ("field-undocumented", "response.updated_at"),
            (
                "example-extra-key",
                "response.201 Created.example/phone_country_code"
            ),
            (
                "example-extra-key",
                "response.201 Created.example/phone_number"
            ),
            ("example-differs", "response.example"),
        ])
    );
}

#[test]
fn update_individual_client_when_its_example_returned_the_phone() {
    // dbbb287 → 3a149f6: the example only (the field list says "see Get").
    assert_eq!(
        what_changed(&format!("{IC}/update-client.mdx"), "dbbb287"),
        set(&[
            (
                "example-extra-key",
                "response.200 OK.example/phone_country_code"
            ),
            ("example-extra-key", "response.200 OK.example/phone_number"),
            ("example-differs", "response.example"),
        ])
    );
}

#[test]
fn list_individual_clients_when_its_example_returned_the_phone() {
    assert_eq!(
        what_changed(&format!("{IC}/list-clients.mdx"), "d70f543"),
        set(&[
            (
                "example-extra-key",
                "response.200 OK.example/0/phone_country_code"
            ),
            (
                "example-extra-key",
                "response.200 OK.example/0/phone_number"
            ),
            ("example-differs", "response.example"),
        ])
    );
}

#[test]
fn request_product_enablement_when_it_offered_one_product() {
    // 6bec39a → 80958e0: two products added to the list of values.
    assert_eq!(
        what_changed(&format!("{IC}/request-product-enablement.mdx"), "6bec39a"),
        set(&[("enum-mismatch", "request.subproduct.enum")])
    );
}

/// The captured create-client page with every description reworded: only
/// `description-differs` (info) may appear, never an error or a warning.
#[test]
fn a_version_that_differs_only_in_prose_reports_no_error() {
    let path = format!("{IC}/create-client.mdx");
    let reworded = replace(
        &replace(
            &replace(
                &replace(
                    &vendor(&path),
                    "Creates a new individual client for the company with identity data and address.",
                    "Registers an individual client of the company, with their identity and address.",
                ),
                "  Phone country code.\n",
                "  The country calling code of the phone.\n",
            ),
            "  Unique client identifier.\n",
            "  The client's identifier.\n",
        ),
        "  Primary street address line.\n",
        "  The first line of the street address.\n",
    );
    let dir = std::env::temp_dir().join(format!("xtask-docs-diff-reworded-{}", std::process::id()));
    let page = dir.join("create-client.mdx");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&page, &reworded).unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, _) = xtask(
        "docs-diff",
        &["--docs", &page.to_string_lossy(), "--fail-on", "warning"],
    );
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("description-differs"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

// Output formats, on a report with one finding of each severity.

fn sample() -> Report {
    Set::current()
        .edit_spec(
            "description: Retrieves detailed information about a specific individual client by their unique identifier.",
            "description: Fetches one client.",
        )
        .edit_spec(
            "      operationId: get_individual_client\n",
            "      operationId: get_individual_client\n      parameters:\n        - name: expand\n          in: query\n          schema:\n            type: string\n",
        )
        .edit(
            "get-client.mdx",
            "<ResponseField name=\"id\" type=\"string\">",
            "<ResponseField name=\"id\" type=\"integer\">",
        )
        .run(None)
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
    assert_eq!(value["version"], 2);
    assert_eq!(value["summary"]["error"], 2);
    assert_eq!(value["summary"]["warning"], 7);
    assert_eq!(value["summary"]["info"], 3);
    assert_eq!(value["coverage"][0]["product"], "management");
    insta::assert_json_snapshot!(value);
}

// Robustness: pages no one would write give findings, never a panic.

fn diff_page(text: &str) -> Report {
    let set = Set::current();
    let mut pages = set.pages.clone();
    if let Some(page) = pages
        .iter_mut()
        .find(|(p, _)| p.ends_with("get-client.mdx"))
    {
        page.1 = text.to_string();
    }
    Set { pages, ..set }.run(None)
}

/// Lines a page is made of, and lines that look almost like them.
fn page_like_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("---".to_string()),
        Just("title: \"Get\"".to_string()),
        Just("api: \"GET /management/clients/individuals/{id}\"".to_string()),
        Just("## Path parameters".to_string()),
        Just("## Response".to_string()),
        Just("<ParamField path=\"id\" type=\"string\" required>".to_string()),
        Just("</ParamField>".to_string()),
        Just("<ResponseField name=\"id\" type=\"string\">".to_string()),
        Just("</ResponseField>".to_string()),
        Just("<Expandable title=\"x\">".to_string()),
        Just("</Expandable>".to_string()),
        Just("<RequestExample>".to_string()),
        Just("</RequestExample>".to_string()),
        Just("<ResponseExample>".to_string()),
        Just("</ResponseExample>".to_string()),
        Just("```bash cURL".to_string()),
        Just("```json 200 OK".to_string()),
        Just("```".to_string()),
        Just(
            "curl -X GET \"https://api.cryptomate.me/management/clients/individuals/1\" \\"
                .to_string()
        ),
        Just("  -H \"x-api-key: $K\"".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("\"id\": \"x\"".to_string()),
        Just("<Warning>".to_string()),
        Just("**Deprecated.** Gone.".to_string()),
        Just("</Warning>".to_string()),
        Just("{/* a note".to_string()),
        Just("*/}".to_string()),
        Just("| Code | Description |".to_string()),
        "[ -~]{0,40}",
        "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn truncated_pages_give_findings(cut in 0usize..3000) {
        let p = vendor(&format!("{IC}/get-client.mdx"));
        let end = p.char_indices().map(|(i, _)| i).find(|i| *i >= cut).unwrap_or(p.len());
        let truncated = &p[..end];
        let report = diff_page(truncated);
        let errors = report.active().any(|f| f.severity() == Severity::Error);
        prop_assert!(truncated.trim_end() == p.trim_end() || errors);
    }

    #[test]
    fn reordered_pages_give_findings(order in Just(vendor(&format!("{IC}/get-client.mdx")).lines().map(str::to_string).collect::<Vec<_>>()).prop_shuffle()) {
        let text = order.join("\n") + "\n";
        let original = vendor(&format!("{IC}/get-client.mdx"));
        let report = diff_page(&text);
        let errors = report.active().any(|f| f.severity() == Severity::Error);
        prop_assert!(text == original || errors);
    }

    #[test]
    fn garbage_pages_give_findings(lines in proptest::collection::vec(page_like_line(), 0..40)) {
        let text = lines.join("\n");
        let report = diff_page(&text);
        // The page's operation is then documented by no page, or the page is
        // not one: an error either way.
        prop_assert!(report.active().any(|f| f.severity() >= Severity::Warning));
    }

    #[test]
    fn any_text_parses(text in "\\PC{0,400}") {
        let _ = vendor_pages::mdx::parse(&text);
    }
}

// Malformed pages: a finding with the line, never a panic.

/// The unparsed-line findings of the get-client page, mutated.
fn unparsed_lines(from: &str, to: &str) -> Vec<(usize, String)> {
    Set::current()
        .edit("get-client.mdx", from, to)
        .run(None)
        .active()
        .filter(|f| f.kind == Kind::PageUnparsedLine)
        .map(|f| {
            (
                f.page.as_ref().and_then(|l| l.line).unwrap_or(0),
                f.message.clone(),
            )
        })
        .collect()
}

#[test]
fn a_truncated_example_is_a_finding_on_its_line() {
    let lines = unparsed_lines(
        "  \"message\": \"Company client not found with id: 4QWq1rQtjnLM0wMswTRY9AmM4XTvY4GG\"\n}\n```\n\n</ResponseExample>\n",
        "  \"message\": \"Company",
    );
    let found: Vec<usize> = lines.iter().map(|(l, _)| *l).collect();
    // The example (opened on line 70) and its last code block (94) are left
    // open.
    assert_eq!(found, vec![70, 94], "{lines:?}");
    assert!(
        lines.iter().all(|(_, m)| m.contains("not closed")),
        "{lines:?}"
    );
}

#[test]
fn a_field_without_type_is_a_finding_on_its_line() {
    let lines = unparsed_lines(
        "<ParamField path=\"id\" type=\"string\" required>",
        "<ParamField path=\"id\" required>",
    );
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].0, 11);
    assert!(lines[0].1.contains("has no type"), "{lines:?}");
}

#[test]
fn a_field_under_the_wrong_section_is_a_finding_on_its_line() {
    let lines = unparsed_lines(
        "<ParamField path=\"id\" type=\"string\" required>",
        "<ParamField body=\"id\" type=\"string\" required>",
    );
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].1.contains("under ## Path parameters"), "{lines:?}");
}

#[test]
fn an_example_without_status_is_a_finding_on_its_line() {
    let lines = unparsed_lines("```json 404 Not Found", "```json");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].1.contains("does not start with a status"),
        "{lines:?}"
    );
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

#[path = "common/mod.rs"]
mod xtask_common;

// Issue 27: Management pages that the tool first read wrong.

/// A page of the Management anchor against the project's spec, without a
/// navigation.
fn management_page(path: &str) -> Set {
    Set {
        spec_file: "openapi/cryptomate.yaml",
        spec: project_file("openapi/cryptomate.yaml"),
        nav: None,
        pages: vec![(path.to_string(), vendor(path))],
    }
}

#[test]
fn the_fields_of_a_page_whose_example_is_an_array_are_its_items() {
    // List all operations lists `id` and `description` and says nothing of
    // the response's kind; its example is an array, so they are the items'.
    const PAGE: &str = "api-reference/management/operations/list-operations.mdx";
    let report = management_page(PAGE).run(None);
    let fields: Vec<String> = report
        .active()
        .filter(|f| f.subject.starts_with("response."))
        .filter(|f| f.kind.severity() != Severity::Info)
        .map(|f| format!("{} {}", f.kind, f.subject))
        .collect();
    assert_eq!(fields, Vec::<String>::new());
    // And they are compared: a field the items lack is still reported.
    let renamed = management_page(PAGE)
        .edit(
            "list-operations.mdx",
            "name=\"description\"",
            "name=\"summary\"",
        )
        .run(None);
    assert!(
        renamed
            .active()
            .any(|f| f.kind == Kind::FieldMissingInSpec && f.subject == "response.summary"),
        "{:?}",
        renamed.active().map(|f| &f.subject).collect::<Vec<_>>()
    );
}

#[test]
fn a_product_run_reads_the_hidden_pages_of_its_operations() {
    // The legacy create-client page is outside the navigation; its operation
    // is Management's, so `--product management` compares it as a full run
    // does instead of calling the operation undocumented.
    let (code, stdout, _) = xtask(
        "docs-diff",
        &["--product", "management", "--fail-on", "warning"],
    );
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("page-outside-navigation"), "{stdout}");
    assert!(!stdout.contains("operation-undocumented"), "{stdout}");
    assert!(
        stdout.contains("(products: management): 38 API page(s)"),
        "{stdout}"
    );
    // Another product's run does not read it.
    let (_, stdout, _) = xtask("docs-diff", &["--product", "cards"]);
    assert!(!stdout.contains("clients/create-client.mdx"), "{stdout}");
}

// The project's conventions for money and OpenAPI 3.0's own keywords, on the
// transfer-token page (an amount "greater than 0", a `number` the spec writes
// `format: decimal`, `minimum: 0, exclusiveMinimum: true`).

/// The transfer-token page against the project's spec, without a navigation.
fn transfer_token() -> Set {
    const PAGE: &str = "api-reference/treasury/wallets/transfer-token.mdx";
    Set {
        spec_file: "openapi/cryptomate.yaml",
        spec: project_file("openapi/cryptomate.yaml"),
        nav: None,
        pages: vec![(PAGE.to_string(), vendor(PAGE))],
    }
}

/// The findings of a run on `request.amount` and on the request's examples.
fn amount_findings(report: &Report) -> Vec<String> {
    report
        .active()
        .filter(|f| f.subject == "request.amount" || f.subject.starts_with("request.example"))
        .map(|f| format!("{} {}: {}", f.kind, f.subject, f.message))
        .collect()
}

#[test]
fn money_is_a_decimal_number_and_an_exclusive_bound_is_read_as_openapi_3_0_writes_it() {
    let report = transfer_token().run(None);
    assert_eq!(amount_findings(&report), Vec::<String>::new());
    // Another format on the page's plain `number` is still a mismatch.
    let double = transfer_token()
        .edit_spec(
            "          format: decimal\n          minimum: 0\n",
            "          format: double\n          minimum: 0\n",
        )
        .run(None);
    assert!(
        double
            .active()
            .any(|f| f.kind == Kind::FormatMismatch && f.subject == "request.amount"),
        "{:?}",
        amount_findings(&double)
    );
    // The bound holds: an amount of 0 in the page's example is invalid (and
    // the schema compiles: `exclusiveMinimum: true` is not Draft 7's form).
    let zero = transfer_token()
        .edit("transfer-token.mdx", "\"amount\": 100.50", "\"amount\": 0")
        .run(None);
    let invalid: Vec<String> = zero
        .active()
        .filter(|f| f.kind == Kind::ExampleInvalid)
        .map(|f| f.message.clone())
        .collect();
    assert_eq!(invalid.len(), 1, "{invalid:?}");
    assert!(invalid[0].contains("minimum"), "{invalid:?}");
}

/// DECISIONS.md D21: the vendor's two pages of one path (card transaction
/// search, v1 and v2) are compared with the spec's two operations, the v2
/// page with the path key that ends in `#v2`, by the `X-API-Version` header
/// its cURL example sends.
#[test]
fn a_v2_page_is_compared_with_the_v2_path_key() {
    const V1: &str = "api-reference/cards/transactions/search-transactions.mdx";
    const V2: &str = "api-reference/cards/transactions/search-transactions-v2.mdx";
    let set = Set {
        spec_file: "tests/fixtures/shapes.yaml",
        spec: project_file("tests/fixtures/shapes.yaml"),
        nav: None,
        pages: [V1, V2].map(|p| (p.to_string(), vendor(p))).to_vec(),
    };
    let report = set.run(None);
    let mut compared: Vec<(&str, &str)> = report
        .operations
        .iter()
        .map(|o| (o.operation.as_str(), o.page.as_str()))
        .collect();
    compared.sort_unstable();
    assert_eq!(
        compared,
        [
            (
                "GET /cards/transactions/{cardId}/search",
                format!("openapi/vendor/{V1}").as_str()
            ),
            (
                "GET /cards/transactions/{cardId}/search#v2",
                format!("openapi/vendor/{V2}").as_str()
            ),
        ]
    );
}

// Issue 28: the webhooks page against the spec's webhook schemas (D-W1).

/// The webhooks page, against the project's spec, with the vendor's
/// navigation (which lists it as a guide).
fn webhooks_set() -> Set {
    Set {
        spec_file: "openapi/cryptomate.yaml",
        spec: project_file("openapi/cryptomate.yaml"),
        nav: Some(vendor("docs.json")),
        pages: vec![(
            "integration/webhooks.mdx".to_string(),
            vendor("integration/webhooks.mdx"),
        )],
    }
}

fn webhook_cases() -> Vec<Case> {
    let w = webhooks_set;
    let page = "webhooks.mdx";
    vec![
        case(
            "an event of the page's catalog the spec does not list",
            &[Kind::WebhookEventMissing],
            w().edit_spec("          - {product: cards, event_type: cleared}\n", ""),
        ),
        case(
            "an example of an event the spec does not list (and none of the event it names)",
            &[Kind::WebhookEventMissing, Kind::ExampleMissing],
            w().edit(
                page,
                "  \"product\": \"company_activity\",\n  \"event_type\": \"client_status\",",
                "  \"product\": \"company_activity\",\n  \"event_type\": \"client_renamed\",",
            ),
        ),
        case(
            "an event of the spec the page does not document",
            &[Kind::WebhookEventUndocumented],
            w().edit_spec(
                "          - {product: treasury, event_type: ramp_on}\n",
                "          - {product: treasury, event_type: ramp_on}\n          - {product: treasury, event_type: ramp_off}\n",
            ),
        ),
        case(
            "a data field the spec types otherwise than the examples",
            &[Kind::ExampleInvalid],
            w().edit_spec(
                "        bill_amount:\n          description: Amount billed to the card, in its currency.\n          type: string",
                "        bill_amount:\n          description: Amount billed to the card, in its currency.\n          type: number",
            ),
        ),
        case(
            "a data field the spec lacks, in the examples and the page's table",
            &[Kind::ExampleExtraKey, Kind::FieldMissingInSpec],
            w().edit_spec(
                "        time_window_seconds:\n          description: Sliding time window the rule applied to.",
                "        time_window:\n          description: Sliding time window the rule applied to.",
            ),
        ),
        case(
            "an embedded example that drifted from the page's",
            &[Kind::ExampleDiffers],
            w().edit_spec("            mcc_code: '5812'\n          decline_reason: null", "            mcc_code: '5813'\n          decline_reason: null"),
        ),
        case(
            "an event whose example the spec does not name",
            &[Kind::ExampleMissing],
            w().edit_spec(
                "          - {product: cards, event_type: deposit, example: WebhookCardsDeposit}",
                "          - {product: cards, event_type: deposit}",
            ),
        ),
        case(
            "a status of the envelope table the spec lacks",
            &[Kind::EnumMismatch],
            w().edit_spec(
                "x-extensible-enum: [pending, success, failed, canceled, time_canceled, manual_check]",
                "x-extensible-enum: [pending, success, failed, canceled, time_canceled]",
            ),
        ),
        case(
            "an envelope field the spec types otherwise than the table",
            &[Kind::TypeMismatch, Kind::ExampleInvalid],
            w().edit_spec(
                "        operation_id:\n          description: Unique identifier for this event. Use it for idempotent processing.\n          type: string",
                "        operation_id:\n          description: Unique identifier for this event. Use it for idempotent processing.\n          type: integer",
            ),
        ),
        case(
            "an envelope field neither the table nor an example shows",
            &[Kind::FieldUndocumented],
            w().edit_spec(
                "        data:\n          description: Event-specific payload. Shape varies per `event_type`.",
                "        attempt:\n          description: Delivery attempt.\n          type: integer\n        data:\n          description: Event-specific payload. Shape varies per `event_type`.",
            ),
        ),
    ]
}

#[test]
fn the_webhooks_page_agrees_with_the_spec() {
    let report = webhooks_set().run(None);
    let webhooks: Vec<String> = report
        .active()
        .filter(|f| f.capture.as_deref() == Some("integration/webhooks.mdx"))
        .filter(|f| f.kind != Kind::PageNotApi)
        .map(|f| format!("{} {}: {}", f.kind, f.subject, f.message))
        .collect();
    assert_eq!(webhooks, Vec::<String>::new());
}

#[test]
fn each_mutation_of_the_webhooks_set_triggers_its_kinds() {
    let wrong = check(webhook_cases(), &webhooks_set());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
