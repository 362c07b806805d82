//! `cargo bench -p xtask --bench docs_diff`: parsing and diffing a synthetic
//! spec of n operations against its n pages, for n = 10, 100 and 1,000. The
//! inputs are generated before timing; what is timed is everything
//! `cargo xtask docs-diff` does after reading the files (parsing the spec and
//! every page, comparing, validating the examples). The bar: 1,000 operations
//! and 1,000 pages in under one second. Figures: `benchmarks/docs-diff.md`.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use xtask::docs_diff::{self, Input, Severity};
use xtask::synth;

fn inputs(n: usize) -> (Input, Vec<Input>) {
    let spec = Input {
        file: PathBuf::from(format!("synth-{n}.yaml")),
        text: synth::spec(n),
    };
    let pages = (0..n)
        .map(|i| Input {
            file: PathBuf::from(format!("page-{i}.txt")),
            text: synth::page(i),
        })
        .collect();
    (spec, pages)
}

fn docs_diff(c: &mut Criterion) {
    let mut group = c.benchmark_group("docs_diff");
    group.sample_size(10);
    for n in [10, 100, 1000] {
        let (spec, pages) = inputs(n);
        // The synthetic pages document the synthetic spec: a run that found
        // errors would be timing the wrong thing.
        match docs_diff::diff(&spec, &pages, None) {
            Ok(report) => assert!(
                !report.fails(Some(Severity::Error)),
                "the synthetic inputs agree"
            ),
            Err(_) => panic!("the synthetic inputs are readable"),
        }
        group.measurement_time(Duration::from_secs(if n >= 1000 { 15 } else { 5 }));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| docs_diff::diff(&spec, &pages, None).map(|r| r.findings.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, docs_diff);
criterion_main!(benches);
