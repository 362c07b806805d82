//! `codegen::generate_tokens` silences progenitor's panics without touching
//! anyone else's: generations on many threads at once leave the process's own
//! panic hook in place, reporting every panic outside generation.
//!
//! This is a test binary of its own because it installs the process's panic
//! hook, which no other test may share.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use xtask::codegen;

/// An operation whose response schema makes progenitor 0.15 hit a `todo!`:
/// an untyped schema with `exclusiveMinimum` and no `minimum`.
const PANICKING: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: get_thing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                exclusiveMinimum: true
"#;

/// The same operation with a schema progenitor supports.
const FINE: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: get_thing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: integer
"#;

static REPORTED: AtomicUsize = AtomicUsize::new(0);
static MESSAGES: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn spec(text: &str) -> openapiv3::OpenAPI {
    serde_yaml_ng::from_str(text).expect("a valid OpenAPI document")
}

#[test]
fn concurrent_generations_leave_other_panics_reported() {
    // The process's hook, standing for the default one that prints panics.
    std::panic::set_hook(Box::new(|info| {
        REPORTED.fetch_add(1, Ordering::SeqCst);
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .unwrap_or_default();
        MESSAGES
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(message);
    }));

    let (panicking, fine) = (spec(PANICKING), spec(FINE));
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for _ in 0..12 {
                    let err = codegen::generate_tokens(&panicking).expect_err("progenitor panics");
                    assert!(
                        err.starts_with("progenitor does not support something in the spec"),
                        "{err}"
                    );
                    codegen::generate_tokens(&fine).expect("generates");
                }
            });
        }
    });
    assert_eq!(
        REPORTED.load(Ordering::SeqCst),
        0,
        "a panic caught inside generation reached the process's hook: {:?}",
        MESSAGES.lock().unwrap_or_else(|p| p.into_inner())
    );

    // After the generations, and during one on another thread, a panic
    // elsewhere still reaches the process's hook.
    let outside = std::thread::spawn(|| panic!("outside generation")).join();
    assert!(outside.is_err());
    std::thread::scope(|scope| {
        let generating = scope.spawn(|| {
            for _ in 0..4 {
                codegen::generate_tokens(&panicking).expect_err("progenitor panics");
            }
        });
        let elsewhere = scope.spawn(|| panic!("outside generation")).join();
        assert!(elsewhere.is_err());
        generating.join().expect("the generating thread ends");
    });
    assert_eq!(REPORTED.load(Ordering::SeqCst), 2);
    assert_eq!(
        *MESSAGES.lock().unwrap_or_else(|p| p.into_inner()),
        ["outside generation", "outside generation"]
    );
}
