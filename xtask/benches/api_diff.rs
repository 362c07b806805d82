//! How long `api-diff` takes on specs of 10, 100 and 1,000 operations, the
//! head adding one optional field to every operation's request body.
//!
//! Two figures per size: the spec-level diff alone (parsing both specs and
//! comparing them, which gives every change and its wire verdict), and the
//! whole comparison (the spec-level diff plus generating the Rust code of both
//! specs, reading it with syn and joining the two diffs). The results are
//! written in `benchmarks/api-diff.md`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::Value;
use xtask::api_diff::{Source, compare, spec_changes};
use xtask::synth;

/// The head of a benchmark: `synth::spec(n)` with an optional `nickname` in
/// every `CreateClientRequest{i}`.
fn with_field_added(base: &str) -> String {
    let mut spec: Value = serde_yaml_ng::from_str(base).expect("synthetic spec is YAML");
    if let Some(schemas) = spec["components"]["schemas"].as_object_mut() {
        for (name, schema) in schemas.iter_mut() {
            if name.starts_with("CreateClientRequest")
                && let Some(props) = schema["properties"].as_object_mut()
            {
                props.insert(
                    "nickname".into(),
                    serde_json::json!({ "type": "string", "description": "A nickname." }),
                );
            }
        }
    }
    serde_yaml_ng::to_string(&spec).expect("JSON values serialize as YAML")
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("api_diff");
    group.sample_size(10);
    for n in [10, 100, 1000] {
        let base = synth::spec(n);
        let head = with_field_added(&base);
        group.bench_with_input(BenchmarkId::new("spec_level", n), &n, |b, _| {
            b.iter(|| {
                let changes = spec_changes(
                    Source {
                        name: "base.yaml".into(),
                        text: base.clone(),
                    },
                    Source {
                        name: "head.yaml".into(),
                        text: head.clone(),
                    },
                )
                .unwrap_or_else(|_| panic!("synthetic specs compare"));
                assert_eq!(changes.len(), n);
            })
        });
        group.bench_with_input(BenchmarkId::new("with_rust_verdicts", n), &n, |b, _| {
            b.iter(|| {
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
                .unwrap_or_else(|_| panic!("synthetic specs compare"));
                assert_eq!(report.changes.len(), n);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
