//! How long `api-diff` takes on specs of up to 1,000 operations.
//!
//! The base is `synth::spec(n)`; the head adds an optional `nickname` to the
//! request body of `k` of its operations, spread over the spec, so there are
//! `k` changes. Three figures:
//!
//! - `command/{n}ops/{k}changed`: what `cargo xtask api-diff` computes
//!   (`api_diff::compare`: parsing both specs, the spec-level diff, slicing,
//!   generating and reading the slices' Rust code, joining, and locating every
//!   change's line) and renders as JSON. Reading the two files and starting
//!   the process are not included (a few milliseconds);
//! - `command/1000ops/shared`: the head adds a field to `ApiError`, the error
//!   schema every operation answers with;
//! - `spec_level/{n}ops`: the spec-level diff alone (`api_diff::spec_changes`)
//!   with every operation changed, for comparison.
//!
//! The results are written in `benchmarks/api-diff.md`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::Value;
use xtask::api_diff::{Format, Source, compare, render, spec_changes};
use xtask::synth;

/// `synth::spec(n)` with an optional `nickname` in `k` of its request bodies
/// (operations 0, n/k, 2n/k, …).
fn with_field_added(base: &str, n: usize, k: usize) -> String {
    let mut spec: Value = serde_yaml_ng::from_str(base).expect("synthetic spec is YAML");
    for j in 0..k {
        let i = j * n / k;
        let name = if i == 0 {
            "CreateClientRequest".to_string()
        } else {
            format!("CreateClientRequest{i}")
        };
        spec["components"]["schemas"][name]["properties"]["nickname"] =
            serde_json::json!({ "type": "string", "description": "A nickname." });
    }
    serde_yaml_ng::to_string(&spec).expect("JSON values serialize as YAML")
}

/// `synth::spec(n)` with a field added to the shared `ApiError`.
fn with_error_field_added(base: &str) -> String {
    let mut spec: Value = serde_yaml_ng::from_str(base).expect("synthetic spec is YAML");
    spec["components"]["schemas"]["ApiError"]["properties"]["hint"] =
        serde_json::json!({ "type": "string", "description": "A hint." });
    serde_yaml_ng::to_string(&spec).expect("JSON values serialize as YAML")
}

fn source(name: &str, text: &str) -> Source {
    Source {
        name: name.into(),
        text: text.to_string(),
    }
}

/// The command's work: compare and render as JSON.
fn command(base: &str, head: &str, changes: usize) {
    let report = compare(source("base.yaml", base), source("head.yaml", head))
        .unwrap_or_else(|e| panic!("synthetic specs compare: {e}"));
    assert_eq!(report.changes.len(), changes);
    assert!(report.changes.iter().all(|c| c.location.is_some()));
    let json = render(&report, Format::Json);
    assert!(json.len() > 100);
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("api_diff");
    group.sample_size(10);
    let cases: &[(usize, &[usize])] = &[(10, &[10]), (100, &[100]), (1000, &[1, 10, 100, 1000])];
    for &(n, ks) in cases {
        let base = synth::spec(n);
        for &k in ks {
            let head = with_field_added(&base, n, k);
            group.bench_with_input(
                BenchmarkId::new("command", format!("{n}ops/{k}changed")),
                &k,
                |b, &k| b.iter(|| command(&base, &head, k)),
            );
        }
        if n == 1000 {
            let head = with_error_field_added(&base);
            group.bench_function(BenchmarkId::new("command", "1000ops/shared"), |b| {
                b.iter(|| command(&base, &head, 1))
            });
        }
        let head = with_field_added(&base, n, n);
        group.bench_with_input(
            BenchmarkId::new("spec_level", format!("{n}ops")),
            &n,
            |b, &n| {
                b.iter(|| {
                    let changes =
                        spec_changes(source("base.yaml", &base), source("head.yaml", &head))
                            .unwrap_or_else(|e| panic!("synthetic specs compare: {e}"));
                    assert_eq!(changes.len(), n);
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
