//! The products of the spec (its `tags`) and what shows them to users: the
//! crate's cargo features and the README's table of operations, held to the
//! spec here so that a product or an operation added to the spec shows up in
//! both. Which code each feature gates is tested with the generator
//! (`codegen/features.rs`, `xtask/tests/features.rs`).

mod common;

use std::collections::BTreeSet;

use common::page::{captures_dir, spec_pages};
use common::spec;
use serde_json::Value;

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

/// The spec's products, in order.
fn products() -> Vec<String> {
    spec()["tags"]
        .as_array()
        .expect("the spec lists its products in `tags`")
        .iter()
        .map(|t| t["name"].as_str().expect("a tag's name").to_string())
        .collect()
}

/// The names of `[features]` in Cargo.toml, and the features of `default`.
fn features() -> (BTreeSet<String>, BTreeSet<String>) {
    let manifest =
        std::fs::read_to_string(format!("{}/Cargo.toml", root())).expect("Cargo.toml is readable");
    let section = manifest
        .split("\n[features]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("a [features] section");
    let names = section
        .lines()
        .filter_map(|l| l.split_once(" = "))
        .map(|(name, _)| name.trim().to_string())
        .collect();
    let default = section
        .split("default = [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("a default feature list")
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_string())
        .filter(|f| !f.is_empty())
        .collect();
    (names, default)
}

#[test]
fn every_product_is_a_feature_on_by_default() {
    let products = products();
    assert_eq!(
        products,
        [
            "management",
            "cards",
            "individual-cards",
            "treasury",
            "active-management"
        ],
        "the products are the anchors of the vendor's API reference"
    );
    let (names, default) = features();
    let others: BTreeSet<String> = [
        "default",
        "client",
        "schemars",
        "mock",
        "dynamic",
        "webhooks",
        "webhooks-axum",
    ]
    .map(String::from)
    .into();
    let product_features: BTreeSet<String> = names.difference(&others).cloned().collect();
    assert_eq!(
        product_features,
        products.iter().cloned().collect::<BTreeSet<_>>(),
        "Cargo.toml's features other than {others:?} are the spec's products"
    );
    let mut expected: BTreeSet<String> = products.into_iter().collect();
    expected.extend([
        "client".to_string(),
        "schemars".to_string(),
        "webhooks".to_string(),
    ]);
    assert_eq!(default, expected, "the default features");
}

/// One row of the README's table of operations.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    method: String,
    /// The path, or its end after `…`.
    path: String,
    operation_id: String,
    feature: String,
    deprecated: bool,
}

fn readme_rows() -> Vec<Row> {
    let readme =
        std::fs::read_to_string(format!("{}/README.md", root())).expect("README.md is readable");
    let header = "| operation | method of `Client` | feature | key access level |";
    assert!(readme.contains(header), "the README's table of operations");
    let code = |cell: &str| -> String {
        cell.split('`')
            .nth(1)
            .unwrap_or_else(|| panic!("a code span in {cell:?}"))
            .to_string()
    };
    readme
        .lines()
        .skip_while(|l| *l != header)
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 4, "{line}");
            let operation = code(cells[0]);
            let (method, path) = operation
                .split_once(' ')
                .unwrap_or_else(|| panic!("`METHOD path` in {line}"));
            Row {
                method: method.to_string(),
                path: path.trim_start_matches('…').to_string(),
                operation_id: code(cells[1]),
                feature: code(cells[2]),
                deprecated: cells[0].contains("**deprecated**"),
            }
        })
        .collect()
}

#[test]
fn the_readmes_table_shows_every_operation_with_its_feature() {
    let spec = spec();
    let mut operations = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            let Some(id) = op["operationId"].as_str() else {
                continue;
            };
            let tags: Vec<&str> = op["tags"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            operations.push((
                method.to_uppercase(),
                path.clone(),
                id.to_string(),
                tags.join(","),
                op["deprecated"] == true,
            ));
        }
    }
    let mut rows = readme_rows();
    assert_eq!(
        rows.len(),
        operations.len(),
        "one row per operation: {rows:#?}"
    );
    for (method, path, id, feature, deprecated) in operations {
        let at = rows
            .iter()
            .position(|r| r.operation_id == id)
            .unwrap_or_else(|| panic!("the README's table has no row for {id}"));
        let row = rows.remove(at);
        assert_eq!(row.method, method, "{id}");
        assert!(
            path.ends_with(&row.path),
            "{id}: {} is not {path}",
            row.path
        );
        assert_eq!(row.feature, feature, "{id}: the feature is its product");
        assert_eq!(row.deprecated, deprecated, "{id}: deprecation");
    }
}

/// D20's premise: each API page of the vendor's navigation whose operation the
/// spec has sits under the anchor of that operation's product (the navigation,
/// `openapi/vendor/docs.json`, is the vendor's own word on it). A page outside
/// the navigation (the deprecated create-client page) has no product to check.
#[test]
fn every_captured_operation_is_in_the_product_of_its_page() {
    let spec = spec();
    let nav_text =
        std::fs::read_to_string(captures_dir().join("docs.json")).expect("docs.json is readable");
    let nav = vendor_pages::nav::Navigation::parse(&nav_text).expect("docs.json parses");
    let pages = spec_pages();
    assert!(!pages.is_empty(), "the captured API pages the spec follows");
    let mut checked = 0;
    for page in pages {
        let Some(product) = nav.page(&page.file).and_then(|p| p.product()) else {
            continue;
        };
        let operation = &spec["paths"][&page.path][page.method.to_lowercase()];
        assert_eq!(
            operation["tags"],
            serde_json::json!([product]),
            "{}: {} {} is in {product}'s pages",
            page.file,
            page.method,
            page.path
        );
        checked += 1;
    }
    assert!(checked > 0, "no page of the navigation was checked");
}
