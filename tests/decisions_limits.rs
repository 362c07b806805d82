//! The premises of `openapi/DECISIONS.md` D-RL1 and D-RL2 (the vendor's rate
//! limit as the mock enforces it and as the client paces to it) against the
//! vendor's page, `openapi/vendor/integration/rate-limiting.mdx`, read with
//! `vendor-pages`.

use std::time::Duration;

use cryptomate::mock::{EXEMPT_PATHS, RateLimit};
use cryptomate::{DEFAULT_REQUESTS_PER_SECOND, VENDOR_REQUESTS_PER_SECOND};
use vendor_pages::mdx;

fn page() -> mdx::Page {
    let path = format!(
        "{}/openapi/vendor/integration/rate-limiting.mdx",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    mdx::parse(&text)
}

/// The rows of the page's table whose header starts with `first`.
fn table(page: &mdx::Page, first: &str) -> Vec<Vec<String>> {
    let table = page
        .tables
        .iter()
        .find(|t| t.header.first().map(String::as_str) == Some(first))
        .unwrap_or_else(|| panic!("the page has no table headed {first:?}"));
    table.rows.iter().map(|r| r.value.clone()).collect()
}

/// `15 requests`, `2 seconds`, `1 hour (maximum)`: the number and unit.
fn quantity(cell: &str) -> (u64, String) {
    let mut words = cell.split_whitespace();
    let number = words
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{cell:?} does not start with a number"));
    (number, words.next().unwrap_or_default().to_string())
}

fn seconds((number, unit): (u64, String)) -> Duration {
    match unit.trim_end_matches('s') {
        "second" => Duration::from_secs(number),
        "hour" => Duration::from_secs(number * 3600),
        other => panic!("a unit the test does not know: {other}"),
    }
}

#[test]
fn the_limit_is_the_pages_per_ip_and_per_company() {
    // D-RL1: 15 requests a second, per IP address and per company.
    let limits = table(&page(), "Scope");
    assert_eq!(limits.len(), 2, "{limits:?}");
    assert!(limits[0][0].contains("IP") && limits[1][0].contains("company"));
    for row in &limits {
        assert_eq!(
            quantity(&row[1]),
            (u64::from(RateLimit::VENDOR.requests), "requests".into())
        );
        assert_eq!(seconds(quantity(&row[2])), RateLimit::VENDOR.window);
    }
    assert_eq!(RateLimit::VENDOR.requests, VENDOR_REQUESTS_PER_SECOND);
    // D-RL2: the client's default keeps under it.
    const { assert!(DEFAULT_REQUESTS_PER_SECOND < VENDOR_REQUESTS_PER_SECOND) };
}

#[test]
fn the_penalty_doubles_to_an_hour_as_the_page_says() {
    // D-RL1: each row of the page's penalty table is the mock's block.
    let page = page();
    let penalty = table(&page, "Violation");
    let mut checked = 0;
    for row in &penalty {
        let Some(ordinal) = row[0]
            .trim_end_matches('+')
            .trim_end_matches(char::is_alphabetic)
            .parse::<u32>()
            .ok()
        else {
            continue; // The row of ellipses.
        };
        assert_eq!(
            RateLimit::VENDOR.block(ordinal),
            seconds(quantity(&row[1])),
            "{row:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, 5, "{penalty:?}");
    // The last row is the cap, from the 12th on.
    let last = penalty.last().expect("rows");
    assert_eq!(last[0], format!("{}th+", RateLimit::VENDOR.max_block_from));
    // Blocks consume no quota; an hour clean resets the count.
    let prose: String = page
        .sections
        .iter()
        .flat_map(|s| &s.prose)
        .map(|p| p.value.clone())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(prose.contains("no quota is consumed"), "{prose}");
    assert!(
        prose.contains("resets automatically after 1 hour of clean traffic"),
        "{prose}"
    );
    assert_eq!(RateLimit::VENDOR.forgiven_after, Duration::from_secs(3600));
}

#[test]
fn the_mock_exempts_the_pages_excluded_paths() {
    // D-RL1: the page's excluded path prefixes, and no other.
    let excluded: Vec<String> = table(&page(), "Path prefix")
        .iter()
        .flat_map(|row| {
            row[0]
                .split(',')
                .map(|p| p.trim().trim_matches('`').to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(excluded, EXEMPT_PATHS);
}
