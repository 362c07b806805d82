//! The main job, `cargo run --example onboarding`, as a user runs it: its
//! output step by step, the state it leaves in the API, and how it fails.

use std::path::PathBuf;
use std::process::{Command, Output};

use cryptomate::mock::{MockError, MockServer, Reply};
use cryptomate::types::{DataField, DataRequirement, MissingRequirements};
use cryptomate::{ProductRequestStatus, Subproduct};

/// The example binary, which `cargo test` builds next to the test binaries
/// (but `cargo test --test example` alone does not: it is checked to be
/// there and newer than the example's sources).
fn example() -> Command {
    let deps = std::env::current_exe().expect("test path");
    let dir: PathBuf = deps
        .parent()
        .and_then(|d| d.parent())
        .expect("target/<profile>")
        .join("examples");
    let binary = dir.join(format!("onboarding{}", std::env::consts::EXE_SUFFIX));
    let built = std::fs::metadata(&binary)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| panic!("{} is missing: run `cargo build --example onboarding` (plain `cargo test` builds it)", binary.display()));
    let sources = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/onboarding");
    for source in std::fs::read_dir(&sources).expect("the example's sources") {
        let source = source.expect("an entry").path();
        let changed = std::fs::metadata(&source)
            .and_then(|m| m.modified())
            .expect("a time");
        assert!(
            changed <= built,
            "{} is older than {}: run `cargo build --example onboarding` (plain `cargo test` builds it)",
            binary.display(),
            source.display()
        );
    }
    let mut command = Command::new(binary);
    command
        .env_remove("CRYPTOMATE_API_KEY")
        .env_remove("CRYPTOMATE_BASE_URL");
    command
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs the example against `api` with a key, off the test's runtime.
async fn run_against(api: &MockServer, key: &str) -> Output {
    let mut command = example();
    command
        .env("CRYPTOMATE_API_KEY", key)
        .env("CRYPTOMATE_BASE_URL", api.uri());
    tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("join")
        .expect("the example runs")
}

/// The personal data of the example's sample client, none of which may be
/// printed.
const PERSONAL: &[&str] = &[
    "Maria",
    "Barber",
    "mjuliabarber",
    // The whole date: its year alone turns up in random ids (`icard_b919846d…`).
    "1984-11-21",
    "Florida 9860",
    "Del Viso",
    "1168860622",
    "SAMPLE0000",
];

#[test]
fn with_no_key_it_runs_the_guide_on_the_local_mock_to_in_kyc_then_to_an_approved_card_payment() {
    let output = example().output().expect("the example runs");
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert_eq!(stderr, "");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 15, "{stdout}");
    assert!(
        lines[0].starts_with(
            "No CRYPTOMATE_API_KEY set: using a local mock of the API at http://127.0.0.1:"
        ),
        "{stdout}"
    );
    let client_id = lines[1]
        .strip_prefix("1. created client ")
        .and_then(|rest| rest.strip_suffix(" (201 Created, status pending)"))
        .expect("step 1");
    assert_eq!(client_id.len(), 32, "{client_id}");
    let request_id = lines[2]
        .strip_prefix("2. requested cards_individuals: request ")
        .and_then(|rest| {
            rest.strip_suffix(
                " is pending_documentation; missing data personal_information (phone); \
                 documents identity_document (passport)",
            )
        })
        .expect("step 2");
    assert_eq!(
        lines[3],
        format!("3. updated client {client_id} in full (200 OK), adding phone")
    );
    assert_eq!(
        lines[4],
        "4. uploaded the passport for identity_document: accepted; missing nothing"
    );
    assert_eq!(
        lines[5],
        format!("5. submitted request {request_id}: in_kyc")
    );
    assert_eq!(
        lines[6],
        format!(
            "request {request_id} for cards_individuals is in_kyc: the provider's KYC review \
             decides whether it is enabled or rejected"
        )
    );
    // On the mock, the run reaches a card (issue 28): the request enabled,
    // a local webhook receiver subscribed, a card issued, an authorization
    // approved through the webhook, the transaction's state.
    assert_eq!(
        lines[7],
        format!("6. the mock's KYC review enabled request {request_id}: enabled")
    );
    let url = lines[8]
        .strip_prefix("7. listening for webhooks at ")
        .expect("step 7");
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/webhooks"),
        "{url}"
    );
    assert_eq!(
        lines[9],
        format!("8. subscribed the company's webhooks to {url} with a new key")
    );
    let card_id = lines[10]
        .strip_prefix("9. issued individual card ")
        .and_then(|rest| {
            rest.strip_suffix(&format!(
                " to client {client_id} (201 Created, status ACTIVE)"
            ))
        })
        .expect("step 9");
    assert!(card_id.starts_with("icard_"), "{card_id}");
    assert_eq!(
        lines[11],
        format!("10. simulated an authorization of 25.00 USD on card {card_id}")
    );
    let operation_id = lines[12]
        .strip_prefix("11. webhook cards authorization ")
        .and_then(|rest| rest.strip_suffix(" (pending): answered 00, approved"))
        .expect("step 11");
    assert!(operation_id.starts_with("life_evt_"), "{operation_id}");
    assert_eq!(
        lines[13],
        format!("12. webhook cards authorized {operation_id} (success): acknowledged")
    );
    let state = lines[14]
        .strip_prefix("transaction ")
        .and_then(|rest| rest.split_once(' '))
        .map(|(_, rest)| rest)
        .expect("the transaction's state");
    assert_eq!(
        state,
        format!("on card {card_id} is TRANSACTION_APPROVED (SUCCESS)")
    );
    for data in PERSONAL {
        assert!(!stdout.contains(data), "{data:?} printed:\n{stdout}");
    }
    assert!(
        !stdout.contains("onboarding-"),
        "the webhook key is never printed"
    );
}

#[tokio::test]
async fn with_a_key_it_drives_the_given_api_and_leaves_the_request_in_kyc() {
    // A company without the pages' example client, so that the one client
    // is the example's.
    let api = MockServer::builder()
        .seeded(false)
        .start()
        .await
        .expect("the mock starts");
    api.require_api_key("a-real-key");
    let output = run_against(&api, "a-real-key").await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(!stdout.contains("a-real-key"));
    // The state it left, read from the API's side.
    let clients = api.clients();
    assert_eq!(clients.len(), 1);
    let requests = api.product_requests(&clients[0].id);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].status, Some(ProductRequestStatus::InKyc));
    assert_eq!(requests[0].product, Some(Subproduct::CardsIndividuals));
    assert!(stdout.contains(requests[0].id.as_str()), "{stdout}");
    // The guide's order of operations, each with the key.
    let sent: Vec<String> = api
        .requests()
        .iter()
        .map(|r| {
            assert_eq!(r.header("x-api-key"), Some("a-real-key"));
            let path = r.path.replace(clients[0].id.as_str(), "{clientId}");
            format!(
                "{} {}",
                r.method,
                path.replace(requests[0].id.as_str(), "{id}")
            )
        })
        .collect();
    assert_eq!(
        sent,
        [
            "POST /management/clients/individuals",
            "POST /management/clients/individuals/{clientId}/products",
            "PUT /management/clients/individuals/{clientId}",
            "POST /management/clients/individuals/{clientId}/products/{id}/documentation",
            "POST /management/clients/individuals/{clientId}/products/{id}/submit",
            "GET /management/clients/individuals/{clientId}/products",
        ]
    );
    // The update was a full replacement: the required fields and the phone.
    let update = api.requests()[2].json().expect("JSON");
    for field in [
        "first_name",
        "last_name",
        "email",
        "birth_date",
        "address",
        "phone_country_code",
        "phone_number",
    ] {
        assert!(update.get(field).is_some(), "{field} missing from {update}");
    }
    // The upload carried the labelled sample image as a data URL.
    let upload = api.requests()[3].json().expect("JSON");
    let image = upload["document"]["image_front"].as_str().expect("image");
    assert!(
        image.starts_with("data:image/png;base64,iVBORw0KGgo"),
        "{image:.40}"
    );
}

#[tokio::test]
async fn an_api_error_is_one_line_without_the_key() {
    let api = MockServer::start().await;
    api.enqueue_for(
        "complete_product_documentation",
        Reply::Error(MockError::RateLimited { retry_after: 4 }),
    );
    let output = run_against(&api, "a-real-key").await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "error: upload a document: the API answered 429 Too Many Requests (code TOO_MANY_REQUESTS); retry in 4 s"
    );
    assert!(!stdout.contains("a-real-key") && !stderr.contains("a-real-key"));
    assert!(stdout.contains("3. updated client"), "{stdout}");
}

/// A rate-limited API, as the vendor's answers it: every request gets a 429
/// with `Retry-After`, in seconds or as a date. The one line says when to
/// retry, the one thing the user needs (the vendor's block doubles at every
/// violation), and never the body's free text.
#[tokio::test]
async fn a_rate_limited_api_is_one_line_saying_when_to_retry() {
    for (retry_after, hint) in [
        ("4", "retry in 4 s"),
        (
            "Sun, 06 Nov 2033 08:49:37 GMT",
            "retry after Sun, 06 Nov 2033 08:49:37 GMT",
        ),
    ] {
        let api = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(
                wiremock::ResponseTemplate::new(429)
                    .insert_header("Retry-After", retry_after)
                    .set_body_json(serde_json::json!({
                        "error_code": "TOO_MANY_REQUESTS",
                        "message": "Rate limit exceeded. Retry after 4 seconds"
                    })),
            )
            .mount(&api)
            .await;
        let mut command = example();
        command
            .env("CRYPTOMATE_API_KEY", "a-real-key")
            .env("CRYPTOMATE_BASE_URL", api.uri());
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .expect("join")
            .expect("the example runs");
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
        assert_eq!(stdout, "");
        assert_eq!(
            stderr,
            format!(
                "error: create the client: the API answered 429 Too Many Requests \
                 (code TOO_MANY_REQUESTS); {hint}\n"
            )
        );
    }
}

#[tokio::test]
async fn a_wrong_key_fails_at_the_first_step() {
    let api = MockServer::start().await;
    api.require_api_key("the-right-key");
    let output = run_against(&api, "a-wrong-key").await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: create the client: the API answered 401 Unauthorized"),
        "{stderr}"
    );
    assert!(!stderr.contains("wrong-key"));
}

#[tokio::test]
async fn a_requirement_it_cannot_fill_is_named() {
    let api = MockServer::start().await;
    api.set_requirements(
        "cards_individuals",
        MissingRequirements {
            data: vec![DataRequirement {
                id: Some("tax".into()),
                fields: vec![DataField {
                    key: Some("tax_id".into()),
                    data_type: Some("STRING".into()),
                    required: Some(true),
                }],
                ..Default::default()
            }],
            documents: vec![],
        },
    );
    let output = run_against(&api, "k").await;
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "error: the product needs the client field \"tax_id\" (STRING), which this example cannot fill"
    );
    assert!(stdout.contains("missing data tax (tax_id)"), "{stdout}");
}

#[test]
fn an_unreachable_api_is_one_clear_line() {
    let output = example()
        .env("CRYPTOMATE_API_KEY", "k")
        .env("CRYPTOMATE_BASE_URL", "http://127.0.0.1:1")
        .output()
        .expect("runs");
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout, "");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: create the client: cannot connect"),
        "{stderr}"
    );
    assert!(stderr.contains("Connection refused"), "{stderr}");
}

#[test]
fn a_bad_base_url_is_one_clear_line() {
    let output = example()
        .env("CRYPTOMATE_API_KEY", "k")
        .env("CRYPTOMATE_BASE_URL", "not a url")
        .output()
        .expect("runs");
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_closed_stdout_is_no_panic() {
    let mut child = example()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the example runs");
    // Closing the pipe's read end makes every write to stdout fail.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("it ends");
    let (_, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr, "");
}

#[tokio::test]
async fn with_data_only_it_rechecks_through_the_list_and_submits() {
    let api = MockServer::start().await;
    let mut requirements = cryptomate::mock::guide_requirements();
    requirements.documents.clear();
    api.set_requirements("cards_individuals", requirements);
    let output = run_against(&api, "k").await;
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[1].ends_with("missing data personal_information (phone)"),
        "{stdout}"
    );
    assert!(lines[2].starts_with("3. updated client "), "{stdout}");
    assert_eq!(lines[3], "4. no documents missing");
    assert!(lines[4].ends_with(": in_kyc"), "{stdout}");
    let methods: Vec<String> = api.requests().iter().map(|r| r.method.clone()).collect();
    // Create, request, update, the re-check, submit, the final list.
    assert_eq!(methods, ["POST", "POST", "PUT", "GET", "POST", "GET"]);
}
