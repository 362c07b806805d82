//! Every Rust verdict of `api-diff` held to a real compilation: for each
//! scenario, a small downstream program that uses the affected item the way a
//! dependent crate would (a struct literal listing every field, an exhaustive
//! `match`, a method call, a typed read) is compiled against the crate built
//! from the base spec and from the head spec. It must compile against the
//! base, and compile against the head exactly when the tool says the change is
//! not breaking for Rust code.
//!
//! All scenarios are applied to one head spec, each to items of its own, so
//! that only two copies of the crate are built (`cargo check`, offline, with a
//! target directory under `target/` kept between runs: only the first run
//! compiles the dependencies). Each snippet is an example of its own, so one
//! failing to compile does not hide the others (`--keep-going`).

mod common;

use common::failing_examples;

use std::path::Path;

use xtask::api_diff::{Change, Kind, Source, compare};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "the spec has exactly one {from:?}; update the scenario"
    );
    text.replacen(from, to, 1)
}

/// The project's spec with what the scenarios need in both specs: a closed
/// enum (the project's own enums are open and hand-written) used by a
/// response, and a plain string field whose format a scenario changes.
fn base_spec() -> String {
    let text = std::fs::read_to_string(root().join("openapi/cryptomate.yaml")).expect("spec");
    let text = replace_once(
        &text,
        "    ClientType:\n",
        "    Gender:\n      description: Gender of a client.\n      type: string\n      enum: [female, male]\n    ClientType:\n",
    );
    let text = replace_once(
        &text,
        "          format: int64\n        created_at:\n          description: Creation timestamp.\n",
        "          format: int64\n        gender:\n          $ref: '#/components/schemas/Gender'\n        created_at:\n          description: Creation timestamp.\n",
    );
    replace_once(
        &text,
        "        documents:\n          description: List of identity documents.\n",
        "        resident_since:\n          description: Date since which the client is resident.\n          type: string\n        documents:\n          description: List of identity documents.\n",
    )
}

/// The crate's features the snippets are checked with: one product, so that
/// an operation moved to another product is seen, as a downstream crate that
/// enables only Management sees it.
const FEATURES: &str = "client,management";

/// The base with every scenario's change applied.
fn head_spec(base: &str) -> String {
    // Optional field added: Address.
    let text = replace_once(
        base,
        "        city:\n          description: City.\n",
        "        street_line_3:\n          description: Third line of the street address.\n          type: string\n        city:\n          description: City.\n",
    );
    // Required field added: Document.
    let text = replace_once(
        &text,
        "      description: An identity document of a client.\n      type: object\n",
        "      description: An identity document of a client.\n      type: object\n      required: [kind]\n",
    );
    let text = replace_once(
        &text,
        "        id:\n          description: Document identifier.\n",
        "        kind:\n          description: Kind of document.\n          type: string\n        id:\n          description: Document identifier.\n",
    );
    // Field removed: CreateClientRequest.telegram.
    let text = replace_once(
        &text,
        "        telegram:\n          description: Enable Telegram notifications.\n          type: boolean\n",
        "",
    );
    // Type widened: Client.phone_country_code, int32 to int64.
    let client_code = "        phone_country_code:\n          description: Phone country code.\n          type: integer\n          format: int32\n        phone_number:\n          description: Phone number.\n          type: integer\n          format: int64\n        gender:";
    let text = replace_once(
        &text,
        client_code,
        &client_code.replace("format: int32", "format: int64"),
    );
    // Format changed: CreateClientRequest.resident_since, string to date.
    let text = replace_once(
        &text,
        "resident.\n          type: string\n",
        "resident.\n          type: string\n          format: date\n",
    );
    // Enum value added: Gender, a closed enum.
    let text = replace_once(&text, "enum: [female, male]", "enum: [female, male, other]");
    // Operation moved to another product: get_supported_countries.
    let text = replace_once(
        &text,
        "tags: [management]\n      operationId: get_supported_countries\n",
        "tags: [cards]\n      operationId: get_supported_countries\n",
    );
    // Operation added to an existing path: GET /management/clients.
    let text = replace_once(
        &text,
        "  /management/clients:\n",
        "  /management/clients:\n    get:\n      tags: [management]\n      operationId: list_clients\n      responses:\n        '200':\n          description: The clients.\n          content:\n            application/json:\n              schema:\n                type: array\n                items:\n                  $ref: '#/components/schemas/Client'\n",
    );
    // Operation added at a new path: GET /management/clients/{client_id}.
    replace_once(
        &text,
        "components:\n  securitySchemes:",
        "  /management/clients/{client_id}:\n    get:\n      tags: [management]\n      operationId: get_client\n      parameters:\n        - name: client_id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '200':\n          description: The client.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Client'\ncomponents:\n  securitySchemes:",
    )
}

/// A scenario: the change the tool must report, and downstream code using
/// the item it affects.
struct Scenario {
    name: &'static str,
    kind: Kind,
    pointer: &'static str,
    /// The body of a downstream module: items using `cryptomate::types::*`.
    code: &'static str,
    /// What the test expects of the verdict, so that a tool and a snippet
    /// that both go wrong the same way are still caught.
    expect_breaking: bool,
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "optional_field_added",
        kind: Kind::FieldAdded,
        pointer: "/components/schemas/Address/properties/street_line_3",
        code: r#"
pub fn make() -> Address {
    Address {
        city: None,
        country: None,
        postal_code: None,
        state: None,
        street_line_1: None,
        street_line_2: None,
    }
}"#,
        expect_breaking: true,
    },
    Scenario {
        name: "required_field_added",
        kind: Kind::FieldAdded,
        pointer: "/components/schemas/Document/properties/kind",
        code: r#"
pub fn make() -> Document {
    Document {
        description: None,
        id: None,
        image_back: None,
        image_front: None,
        issuing_country: None,
        name: None,
        number: None,
    }
}"#,
        expect_breaking: true,
    },
    Scenario {
        // The same change, through `..Default::default()`: a required field
        // takes `Default` away, and the reason says so.
        name: "required_field_added_default",
        kind: Kind::FieldAdded,
        pointer: "/components/schemas/Document/properties/kind",
        code: r#"
pub fn make() -> Document {
    Document { name: Some("passport".into()), ..Default::default() }
}"#,
        expect_breaking: true,
    },
    Scenario {
        name: "field_removed",
        kind: Kind::FieldRemoved,
        pointer: "/components/schemas/CreateClientRequest/properties/telegram",
        code: r#"
pub fn wants_telegram(request: &CreateClientRequest) -> Option<bool> {
    request.telegram
}"#,
        expect_breaking: true,
    },
    Scenario {
        name: "type_widened",
        kind: Kind::FormatChanged,
        pointer: "/components/schemas/Client/properties/phone_country_code/format",
        code: r#"
pub fn country_code(client: &Client) -> Option<i32> {
    client.phone_country_code
}"#,
        expect_breaking: true,
    },
    Scenario {
        name: "format_string_to_date",
        kind: Kind::FormatChanged,
        pointer: "/components/schemas/CreateClientRequest/properties/resident_since/format",
        code: r#"
pub fn resident_since(request: &CreateClientRequest) -> Option<&str> {
    request.resident_since.as_deref()
}"#,
        expect_breaking: true,
    },
    Scenario {
        name: "enum_value_added",
        kind: Kind::EnumValueAdded,
        pointer: "/components/schemas/Gender/enum/2",
        code: r#"
pub fn label(gender: Gender) -> &'static str {
    match gender {
        Gender::Female => "f",
        Gender::Male => "m",
    }
}"#,
        expect_breaking: true,
    },
    Scenario {
        name: "operation_moved_to_another_product",
        kind: Kind::TagsChanged,
        pointer: "/paths/~1management~1clients~1individuals~1countries/get/tags",
        code: r#"
pub fn countries(client: &cryptomate::Client) {
    let _ = client.get_supported_countries();
}"#,
        expect_breaking: true,
    },
    Scenario {
        name: "operation_added",
        kind: Kind::PathAdded,
        pointer: "/paths/~1management~1clients~1{client_id}",
        code: r#"
pub async fn create(client: &cryptomate::Client) -> Result<String, cryptomate::Error> {
    let body = CreateClientRequest::builder().first_name("Ada".to_string());
    Ok(client.create_client().body(body).send().await?.into_inner().id)
}"#,
        expect_breaking: false,
    },
    Scenario {
        name: "operation_added_to_a_path",
        kind: Kind::OperationAdded,
        pointer: "/paths/~1management~1clients/get",
        code: r#"
pub async fn create(client: &cryptomate::Client) -> Result<String, cryptomate::Error> {
    let body = CreateClientRequest::builder().last_name("Lovelace".to_string());
    Ok(client.create_client().body(body).send().await?.into_inner().id)
}"#,
        expect_breaking: false,
    },
];

/// Code that the reasons promise keeps compiling after a change that is
/// breaking by the struct-literal rule: a builder and `..Default::default()`.
const STILL_COMPILES: &[(&str, &str)] = &[
    (
        "optional_field_added_builder",
        r#"
pub fn make() -> Address {
    Address { city: Some("SF".into()), ..Default::default() }
}
pub fn build() -> Result<Address, cryptomate::types::error::ConversionError> {
    Address::builder().city("SF".to_string()).try_into()
}"#,
    ),
    (
        "operation_added_new_method",
        r#"
pub fn fetch(client: &cryptomate::Client) {
    let _ = client.get_client().client_id("client_1");
    let _ = client.list_clients();
}"#,
    ),
];

fn find<'r>(changes: &'r [Change], s: &Scenario) -> &'r Change {
    changes
        .iter()
        .find(|c| c.kind == s.kind && c.pointer == s.pointer)
        .unwrap_or_else(|| {
            let all: Vec<_> = changes
                .iter()
                .map(|c| format!("{} {}", c.kind.as_str(), c.pointer))
                .collect();
            panic!(
                "{}: the tool reports no {} at {}; it reports: {all:#?}",
                s.name,
                s.kind.as_str(),
                s.pointer
            )
        })
}

#[test]
fn each_rust_verdict_matches_a_real_compilation() {
    let base = base_spec();
    let head = head_spec(&base);
    let report = compare(
        Source {
            name: "base.yaml".into(),
            text: base.clone(),
        },
        Source {
            name: "head.yaml".into(),
            text: head.clone(),
        },
    )
    .unwrap_or_else(|e| panic!("both specs compare: {e}"));

    let mut examples: Vec<(&str, &str)> = SCENARIOS.iter().map(|s| (s.name, s.code)).collect();
    let base_failing = failing_examples("base", &base, &examples, FEATURES);
    assert!(
        base_failing.is_empty(),
        "every snippet compiles against the base: {base_failing:?} do not"
    );
    examples.extend_from_slice(STILL_COMPILES);
    let head_failing = failing_examples("head", &head, &examples, FEATURES);
    eprintln!("snippets that do not compile against the head: {head_failing:?}");

    let mut problems = Vec::new();
    for s in SCENARIOS {
        let change = find(&report.changes, s);
        let breaks = head_failing.contains(s.name);
        if change.rust.breaking != breaks {
            problems.push(format!(
                "{}: the tool says rust breaking = {}, but the snippet {} against the head ({})",
                s.name,
                change.rust.breaking,
                if breaks {
                    "does not compile"
                } else {
                    "compiles"
                },
                change.rust.reason
            ));
        }
        if change.rust.breaking != s.expect_breaking {
            problems.push(format!(
                "{}: expected rust breaking = {}, the tool says {} ({})",
                s.name, s.expect_breaking, change.rust.breaking, change.rust.reason
            ));
        }
    }
    for (name, _) in STILL_COMPILES {
        if head_failing.contains(*name) {
            problems.push(format!(
                "{name}: the reasons promise this keeps compiling, and it does not"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
