//! `cargo bench -p xtask --bench docs_diff`: parsing and diffing a synthetic
//! spec of n operations against its n MDX pages and their navigation, for
//! n = 10, 100 and 1,000. The inputs are generated before timing; what is
//! timed is everything `cargo xtask docs-diff` does after reading the files
//! (parsing the spec, the navigation and every page, comparing, validating the
//! examples). The bar: 1,000 operations
//! and 1,000 pages in under one second. Figures: `benchmarks/docs-diff.md`.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use xtask::docs_diff::{self, Capture, Captures, Input, Severity};
use xtask::synth;

fn inputs(n: usize) -> (Input, Captures) {
    let spec = Input {
        file: PathBuf::from(format!("synth-{n}.yaml")),
        text: synth::docs_spec(n),
    };
    let pages = (0..n)
        .map(|i| Capture {
            path: synth::docs_page_path(i),
            input: Input {
                file: PathBuf::from(synth::docs_page_path(i)),
                text: synth::docs_page(i),
            },
        })
        .collect();
    let captures = Captures {
        nav: Some(Input {
            file: PathBuf::from("docs.json"),
            text: synth::docs_nav(n),
        }),
        pages,
        ..Captures::default()
    };
    (spec, captures)
}

/// With `DOCS_DIFF_BENCH_WRITE=DIR`, writes the inputs of each n to
/// `DIR/n/spec.yaml` and the capture folder `DIR/n/pages/` (its `docs.json`
/// and pages), so that the command itself can be timed on them (see
/// `benchmarks/docs-diff.md`).
fn write_inputs(n: usize, spec: &Input, captures: &Captures) {
    let Some(dir) = std::env::var_os("DOCS_DIFF_BENCH_WRITE") else {
        return;
    };
    let dir = PathBuf::from(dir).join(n.to_string());
    let pages = dir.join("pages");
    let written = std::fs::create_dir_all(pages.join("api-reference/synth"))
        .and_then(|()| std::fs::write(dir.join("spec.yaml"), &spec.text))
        .and_then(|()| {
            let nav = captures.nav.as_ref().map_or("", |n| n.text.as_str());
            std::fs::write(pages.join("docs.json"), nav)
        })
        .and_then(|()| {
            captures
                .pages
                .iter()
                .try_for_each(|p| std::fs::write(pages.join(&p.path), &p.input.text))
        });
    if let Err(e) = written {
        panic!("cannot write the inputs to {}: {e}", dir.display());
    }
}

fn docs_diff(c: &mut Criterion) {
    let mut group = c.benchmark_group("docs_diff");
    group.sample_size(10);
    for n in [10, 100, 1000] {
        let (spec, pages) = inputs(n);
        write_inputs(n, &spec, &pages);
        // The synthetic pages document the synthetic spec: a run that found
        // errors would be timing the wrong thing.
        match docs_diff::diff(&spec, &pages, None) {
            Ok(report) => assert!(
                !report.fails(Some(Severity::Error)),
                "the synthetic inputs agree"
            ),
            Err(e) => panic!("the synthetic inputs are readable: {e}"),
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
