//! `cargo xtask package` settles the package's lock file with what a plain
//! build leaves in cargo's cache, and says what to run when that is not
//! enough and the registry cannot be reached.
//!
//! The step (`xtask::package::settle_lock_file`) runs on a small crate of its
//! own, with a `CARGO_HOME` of its own whose crates.io is replaced by a sparse
//! registry served over HTTP on 127.0.0.1 by the test: nothing leaves the
//! machine, and the test sees every request cargo makes. The crate's manifest
//! has lost a dependency its lock file still lists (as the package loses the
//! build dependencies), and its one dependency is for another target (as
//! `bumpalo` is, for wasm): settling must drop the first, keep the second at
//! its locked version although a newer one exists, and download nothing.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use xtask::Failure;
use xtask::package::settle_lock_file;

/// The checksum the index and the lock file give both crates; nothing is
/// downloaded, so nothing checks it against a `.crate`.
const CHECKSUM: &str = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";

/// A sparse registry on 127.0.0.1: `config.json` and the index files of
/// `tiny` (1.0.0 and 1.1.0) and `stale` (1.0.0). It records the path of every
/// request; downloads (`/dl/…`) are answered 404.
struct Registry {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Registry {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let entry = |name: &str, version: &str| {
            format!(
                r#"{{"name":"{name}","vers":"{version}","deps":[],"cksum":"{CHECKSUM}","features":{{}},"yanked":false}}"#
            )
        };
        let files: BTreeMap<String, String> = [
            (
                "/index/config.json".to_string(),
                format!(r#"{{"dl":"http://127.0.0.1:{port}/dl/{{crate}}/{{version}}"}}"#),
            ),
            (
                "/index/ti/ny/tiny".to_string(),
                format!("{}\n{}\n", entry("tiny", "1.0.0"), entry("tiny", "1.1.0")),
            ),
            (
                "/index/st/al/stale".to_string(),
                format!("{}\n", entry("stale", "1.0.0")),
            ),
        ]
        .into();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (requests, stop) = (requests.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        serve(stream, &files, &requests);
                    }
                }
            })
        };
        Self {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("sparse+http://127.0.0.1:{}/index/", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Closes the port: from now on the registry cannot be reached.
    fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then ends and drops the listener.
        TcpStream::connect(("127.0.0.1", self.port)).ok();
        if let Some(thread) = self.thread.take() {
            thread.join().expect("the registry's thread");
        }
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Answers one HTTP/1.1 request from `files`, closing the connection.
fn serve(mut stream: TcpStream, files: &BTreeMap<String, String>, requests: &Mutex<Vec<String>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
    requests
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(path.clone());
    let (status, body) = match files.get(&path) {
        Some(body) => ("200 OK", body.as_str()),
        None => ("404 Not Found", ""),
    };
    let answer = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(answer.as_bytes()).ok();
}

/// A fresh directory under the system's temporary directory.
fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-package-{}-{name}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear the directory");
    }
    std::fs::create_dir_all(&dir).expect("create the directory");
    dir
}

/// A `CARGO_HOME` with an empty cache whose crates.io is `registry_url`.
fn cargo_home(name: &str, registry_url: &str) -> PathBuf {
    let home = fresh_dir(&format!("{name}-home"));
    std::fs::write(
        home.join("config.toml"),
        format!(
            "[source.crates-io]\nreplace-with = \"loopback\"\n\
             [source.loopback]\nregistry = \"{registry_url}\"\n"
        ),
    )
    .expect("write the config");
    home
}

/// The lock file as the package has it before settling: `stale` is still
/// listed although the manifest no longer asks for it.
fn lock_before() -> String {
    format!(
        r#"# This file is automatically @generated by Cargo.
# It is not intended for manual editing.
version = 4

[[package]]
name = "downstream"
version = "0.1.0"
dependencies = [
 "stale",
 "tiny",
]

[[package]]
name = "stale"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "{CHECKSUM}"

[[package]]
name = "tiny"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "{CHECKSUM}"
"#
    )
}

/// A crate that depends on `tiny` only when built for wasm, with the lock
/// file of [`lock_before`].
fn small_crate(name: &str) -> PathBuf {
    let dir = fresh_dir(name);
    std::fs::create_dir_all(dir.join("src")).expect("src");
    std::fs::write(dir.join("src/lib.rs"), "").expect("lib.rs");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"downstream\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\
         [workspace]\n\
         [target.'cfg(target_arch = \"wasm32\")'.dependencies]\ntiny = \"1\"\n",
    )
    .expect("Cargo.toml");
    std::fs::write(dir.join("Cargo.lock"), lock_before()).expect("Cargo.lock");
    dir
}

/// Settles `dir`'s lock file with cargo using `home` as its `CARGO_HOME`.
fn settle(dir: &Path, home: &Path) -> Result<(), Failure> {
    let cargo = || {
        let mut command = Command::new(env!("CARGO"));
        command
            .env("CARGO_HOME", home)
            .env_remove("CARGO_NET_OFFLINE")
            // Retrying an unreachable registry only makes the test slower.
            .env("CARGO_NET_RETRY", "0")
            .current_dir(dir);
        command
    };
    settle_lock_file(&cargo, dir)
}

fn packages(dir: &Path) -> Vec<String> {
    let lock = std::fs::read_to_string(dir.join("Cargo.lock")).expect("the lock file");
    let doc: toml_edit::DocumentMut = lock.parse().expect("a lock file");
    doc["package"]
        .as_array_of_tables()
        .expect("packages")
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                p["name"].as_str().unwrap_or("?"),
                p["version"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

#[test]
fn settling_drops_what_nothing_needs_keeps_every_version_and_downloads_nothing() {
    let registry = Registry::start();
    // An empty cache: the offline attempt fails, and the registry answers.
    let home = cargo_home("online", &registry.url());
    let dir = small_crate("online");
    settle(&dir, &home).expect("settled with the registry");
    assert_eq!(packages(&dir), ["downstream 0.1.0", "tiny 1.0.0"]);
    let requests = registry.requests();
    assert!(
        requests.iter().any(|r| r == "/index/ti/ny/tiny"),
        "{requests:?}"
    );
    assert!(
        !requests.iter().any(|r| r.starts_with("/dl/")),
        "a crate was downloaded: {requests:?}"
    );
}

#[test]
fn with_the_index_in_the_cache_it_settles_with_the_registry_down() {
    let mut registry = Registry::start();
    let home = cargo_home("cached", &registry.url());
    // A first run fills the cache, as the README's `cargo test --workspace`
    // fills it for the package's dependencies.
    settle(&small_crate("cached-first"), &home).expect("settled with the registry");
    registry.stop();
    let dir = small_crate("cached");
    settle(&dir, &home).expect("settled from the cache alone");
    assert_eq!(packages(&dir), ["downstream 0.1.0", "tiny 1.0.0"]);
}

#[test]
fn with_an_empty_cache_and_the_registry_down_it_says_what_to_run() {
    let mut registry = Registry::start();
    let url = registry.url();
    registry.stop();
    let home = cargo_home("unreachable", &url);
    let dir = small_crate("unreachable");
    let failure = settle(&dir, &home).expect_err("nothing to settle with");
    let message = failure.to_string();
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.starts_with("cannot settle the package's lock file"),
        "{message}"
    );
    assert!(
        message.contains("run `cargo fetch` in the workspace, then `cargo xtask package` again"),
        "{message}"
    );
    // The crate is left as it was.
    assert_eq!(
        std::fs::read_to_string(dir.join("Cargo.lock")).expect("the lock file"),
        lock_before()
    );
}
