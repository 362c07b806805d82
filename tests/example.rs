//! The main job, `cargo run --example create_client`, as a user runs it.

use std::path::PathBuf;
use std::process::{Command, Output};

use cryptomate::mock::{MockError, MockServer, Reply};

/// The example binary, which `cargo test` builds next to the test binaries.
fn example() -> Command {
    let deps = std::env::current_exe().expect("test path");
    let dir: PathBuf = deps
        .parent()
        .and_then(|d| d.parent())
        .expect("target/<profile>")
        .join("examples");
    let mut command =
        Command::new(dir.join(format!("create_client{}", std::env::consts::EXE_SUFFIX)));
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

#[test]
fn with_no_key_it_creates_john_doe_on_the_local_mock() {
    let output = example().output().expect("the example runs");
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with(
            "No CRYPTOMATE_API_KEY set: using a local mock of the API at http://127.0.0.1:"
        ),
        "{stdout}"
    );
    assert_eq!(lines[1], "Created client (201 Created):");
    for expected in [
        "  name     John Doe",
        "  status   PENDING",
        "  type     individual",
        "  email    john.doe@example.com",
        "  phone    +1 4155551234",
    ] {
        assert!(lines.contains(&expected), "{expected:?} in {stdout}");
    }
    assert!(
        lines.iter().any(|l| l.starts_with("  id       client_")),
        "{stdout}"
    );
}

#[tokio::test]
async fn with_a_key_it_talks_to_the_given_api_and_reports_errors_in_one_line() {
    let api = MockServer::start().await;
    api.enqueue(Reply::Error(MockError::ScreeningFailed));
    let mut command = example();
    command
        .env("CRYPTOMATE_API_KEY", "a-real-key")
        .env("CRYPTOMATE_BASE_URL", api.uri());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("join")
        .expect("runs");
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "error: the API answered 412 Precondition Failed (code SCREENING_FAILED) [trace id "
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("a-real-key"));
    let sent = api.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].header("x-api-key"), Some("a-real-key"));
}

#[test]
fn an_unreachable_api_is_one_clear_line() {
    let output = example()
        .env("CRYPTOMATE_API_KEY", "k")
        .env("CRYPTOMATE_BASE_URL", "http://127.0.0.1:1")
        .output()
        .expect("runs");
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("Connection refused"), "{stderr}");
}
