//! `cargo run --example bulk_create -- N [--no-pacing]` as a user runs it,
//! with a small N: paced, every client is created and none is limited;
//! without pacing, the mock enforcing the vendor's limit rejects the burst.
//! The requests a second it prints are real time and only checked for form
//! (the rate is asserted on a paused clock in `tests/limits.rs`).

use std::path::PathBuf;
use std::process::Command;

/// The example binary, which `cargo test` builds next to the test binaries
/// (but `cargo test --test bulk_create` alone does not: it is checked to be
/// there and newer than the example's source).
fn example() -> Command {
    let deps = std::env::current_exe().expect("test path");
    let dir: PathBuf = deps
        .parent()
        .and_then(|d| d.parent())
        .expect("target/<profile>")
        .join("examples");
    let binary = dir.join(format!("bulk_create{}", std::env::consts::EXE_SUFFIX));
    let built = std::fs::metadata(&binary)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| {
            panic!(
                "{} is missing: run `cargo build --example bulk_create` (plain `cargo test` builds it)",
                binary.display()
            )
        });
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bulk_create.rs");
    let changed = std::fs::metadata(&source)
        .and_then(|m| m.modified())
        .expect("a time");
    assert!(
        changed <= built,
        "{} is older than its source: run `cargo build --example bulk_create`",
        binary.display()
    );
    Command::new(binary)
}

/// Runs the example with `args`; its one line of stdout, parsed into
/// (created, rate-limited, requests a second).
fn run(args: &[&str]) -> (usize, usize, f64) {
    let output = example().args(args).output().expect("the example runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?}: {stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stdout}");
    let words: Vec<&str> = lines[0].split(' ').collect();
    match words.as_slice() {
        [
            created,
            "created,",
            limited,
            "rate-limited,",
            rate,
            "requests/s",
        ] => (
            created.parse().expect("a count"),
            limited.parse().expect("a count"),
            rate.parse().expect("a rate"),
        ),
        _ => panic!(
            "not `N created, M rate-limited, R requests/s`: {}",
            lines[0]
        ),
    }
}

#[test]
fn paced_every_client_is_created_and_none_is_limited() {
    let (created, limited, rate) = run(&["20"]);
    assert_eq!((created, limited), (20, 0));
    assert!(rate > 0.0);
}

#[test]
fn without_pacing_the_burst_is_limited() {
    let (created, limited, _) = run(&["40", "--no-pacing"]);
    assert_eq!(created + limited, 40);
    // At most the vendor's 15 in the first second, then the block.
    assert!(created <= 15, "{created} created");
    assert!(limited >= 25, "{limited} limited");
}

#[test]
fn bad_arguments_are_one_line_and_status_2() {
    for args in [&[][..], &["many"], &["3", "4"]] {
        let output = example().args(args).output().expect("the example runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("usage: bulk_create N [--no-pacing]"),
            "{stderr}"
        );
    }
}
