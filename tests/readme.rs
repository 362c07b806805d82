//! Claims of README.md (and of the other documents a user reads) held to the
//! code, so that they cannot drift from it: the settings it quotes, the table
//! of the mock's countries (asked of a mock over HTTP), and that no measured
//! figure is copied out of the files that hold them (BENCHMARKS.md and
//! `benchmarks/`, each figure with its date and command).

use std::time::Duration;

use cryptomate::mock::MockServer;
use cryptomate::{
    CountryCode, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, RetryPolicy,
    RetryRule,
};

fn read(relative: &str) -> String {
    let path = format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The documents that state what the project does, and may not copy a
/// measured figure. BENCHMARKS.md, `benchmarks/` and CHANGELOG.md (a record
/// of what was, dated by its releases) are not among them.
const DOCUMENTS: &[&str] = &[
    "README.md",
    "ARCHITECTURE.md",
    "xtask/API-DIFF.md",
    "xtask/DOCS-DIFF.md",
];

/// Every quantity with a unit of time or size in `text`, as written
/// (`10 s`, `64 MiB`, `3.2 s`), with its line.
fn quantities(text: &str) -> Vec<(usize, String)> {
    const UNITS: &[&str] = &[
        "ns", "µs", "us", "ms", "s", "min", "h", "B", "KiB", "kB", "KB", "MiB", "MB", "GiB", "GB",
    ];
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2) {
            let number = pair[0].trim_start_matches(['(', '`', '~']);
            let unit = pair[1].trim_end_matches([',', '.', ';', ':', ')', '`']);
            let is_number = number.starts_with(|c: char| c.is_ascii_digit())
                && number
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ',');
            if is_number && UNITS.contains(&unit) {
                found.push((
                    index + 1,
                    format!("{} {unit}", number.trim_end_matches(',')),
                ));
            }
        }
    }
    found
}

/// The quantities the documents may state, because they are settings or
/// examples of the code, not measurements: each with what holds it.
fn allowed() -> Vec<(&'static str, bool, &'static str)> {
    vec![
        (
            "10 s",
            DEFAULT_CONNECT_TIMEOUT == Duration::from_secs(10),
            "DEFAULT_CONNECT_TIMEOUT",
        ),
        (
            "30 s",
            DEFAULT_TIMEOUT == Duration::from_secs(30),
            "DEFAULT_TIMEOUT",
        ),
        (
            "64 MiB",
            DEFAULT_MAX_RESPONSE_BYTES == 64 * 1024 * 1024,
            "DEFAULT_MAX_RESPONSE_BYTES",
        ),
        (
            "60 s",
            RetryPolicy::DEFAULT.budget == Duration::from_secs(60),
            "RetryPolicy::DEFAULT's budget",
        ),
        (
            "16 MiB",
            true,
            "the load test's memory slack, held by tests/load.rs",
        ),
        (
            "4 s",
            true,
            "the 429 example line, held by tests/example.rs and tests/faults.rs",
        ),
        (
            "100 ms",
            true,
            "the connect backoff, held by src/retry.rs's unit test",
        ),
        (
            "200 ms",
            true,
            "the connect backoff, held by src/retry.rs's unit test",
        ),
        (
            "400 ms",
            true,
            "the connect backoff, held by src/retry.rs's unit test",
        ),
        (
            "1,200 ms",
            cryptomate::webhooks::AUTHORIZATION_DEADLINE == Duration::from_millis(1_200),
            "webhooks::AUTHORIZATION_DEADLINE",
        ),
        (
            "1,000 ms",
            cryptomate::webhooks::DEFAULT_AUTHORIZATION_BUDGET == Duration::from_millis(1_000),
            "webhooks::DEFAULT_AUTHORIZATION_BUDGET",
        ),
        (
            "3.2 s",
            true,
            "the connect backoff, held by src/retry.rs's unit test",
        ),
    ]
}

#[test]
fn the_documents_copy_no_measured_figure() {
    let allowed = allowed();
    for (figure, holds, what) in &allowed {
        assert!(
            holds,
            "the documents say {figure} for {what}, which is not so"
        );
    }
    let mut stray = Vec::new();
    for document in DOCUMENTS {
        for (line, quantity) in quantities(&read(document)) {
            if !allowed.iter().any(|(figure, _, _)| *figure == quantity) {
                stray.push(format!("{document}:{line}: {quantity}"));
            }
        }
    }
    assert!(
        stray.is_empty(),
        "a measured figure belongs in BENCHMARKS.md or benchmarks/ with its date and command, \
         and the other documents point there; a setting is held to the code here:\n{}",
        stray.join("\n")
    );
    // The scan finds what it should.
    assert_eq!(
        quantities("took 0.6 s (or 1,200 ms), and `25 MB`."),
        [
            (1, "0.6 s".to_string()),
            (1, "1,200 ms".to_string()),
            (1, "25 MB".to_string())
        ]
    );
}

/// The README's table of the mock's countries, as rows of
/// (name, alpha-2, alpha-3, identification types).
fn readme_countries() -> Vec<(String, String, String, Vec<String>)> {
    let readme = read("README.md");
    let header = "| country | codes | identification types |";
    let table: Vec<&str> = readme
        .lines()
        .map(str::trim)
        .skip_while(|line| *line != header)
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .collect();
    assert!(!table.is_empty(), "README.md has no table {header:?}");
    table
        .iter()
        .map(|row| {
            let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
            let [name, codes, types] = cells[..] else {
                panic!("a row of three cells: {row}")
            };
            let codes: Vec<String> = codes
                .split(',')
                .map(|c| c.trim().trim_matches('`').to_string())
                .collect();
            let [alpha2, alpha3] = &codes[..] else {
                panic!("two codes: {row}")
            };
            let types = types.split(',').map(|t| t.trim().to_string()).collect();
            (name.to_string(), alpha2.clone(), alpha3.clone(), types)
        })
        .collect()
}

#[tokio::test]
async fn the_readmes_country_table_is_what_the_mock_serves() {
    let mock = MockServer::start().await;
    let api = mock.client();
    let served = api
        .get_supported_countries()
        .send()
        .await
        .expect("the countries")
        .into_inner();
    let mut countries: Vec<(String, String)> = served
        .data
        .iter()
        .map(|c| {
            (
                c.name.clone().unwrap_or_default(),
                c.alpha3.clone().unwrap_or_default(),
            )
        })
        .collect();
    countries.sort();
    let readme = readme_countries();
    let mut documented: Vec<(String, String)> = readme
        .iter()
        .map(|(name, _, alpha3, _)| (name.clone(), alpha3.clone()))
        .collect();
    documented.sort();
    assert_eq!(
        documented, countries,
        "README.md's table of countries against the mock's"
    );
    for (name, alpha2, alpha3, types) in &readme {
        for code in [alpha2, alpha3, &alpha2.to_lowercase()] {
            let served: Vec<String> = api
                .get_identifications_by_country()
                .country_code(CountryCode::new(code.as_str()).expect("a country code"))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{name} ({code}): {e}"))
                .into_inner()
                .iter()
                .filter_map(|t| t.type_.clone())
                .collect();
            assert_eq!(&served, types, "{name} asked for as {code}");
        }
    }
}

/// README.md's table of the operations retried is `RetryRule::table()`
/// (generated from the spec; `tests/retries.rs` holds it to the spec).
#[test]
fn the_readmes_retried_operations_are_the_generated_rules() {
    let readme = read("README.md");
    let begin = "<!-- retried operations: begin -->\n";
    let end = "<!-- retried operations: end -->";
    let start = readme.find(begin).expect("the table's begin marker") + begin.len();
    let stop = readme.find(end).expect("the table's end marker");
    let mut expected = String::from("| operation | retried |\n| --- | --- |\n");
    for (id, rule) in RetryRule::table() {
        match rule {
            RetryRule::Read => expected.push_str(&format!("| `{id}` | a `GET` |\n")),
            RetryRule::Keyed { header } => {
                expected.push_str(&format!("| `{id}` | carrying its `{header}` |\n"))
            }
            _ => {}
        }
    }
    assert_eq!(
        &readme[start..stop],
        expected,
        "README.md's retried operations differ from the spec's; put this between its markers:\n{expected}"
    );
}
