//! The client generated from `tests/fixtures/shapes.yaml` (the shapes the
//! product pages bring before the crate's spec has them), compiled: a PDF
//! answer is a stream, a bare number an `f64`, the second version of a path
//! has no setter for the header that selects it (DECISIONS.md D21), a
//! parameter the spec deprecates has a `#[deprecated]` setter, and the
//! dispatcher compiles with them all. The generator's checks of the same
//! rewrites are `codegen/rewrite/tests.rs`; the mock on this spec is
//! `tests/mock_engine.rs`.
//!
//! Checked in the target directory `features.rs` and `api_diff_compat.rs`
//! share, with the features `client`, `cards` and `dynamic`.

mod common;

use common::failing_examples;

const SNIPPETS: &[(&str, &str)] = &[
    (
        "pdf_is_a_stream",
        r#"
pub async fn pdf(client: &cryptomate::Client) -> Result<(), cryptomate::Error> {
    let pdf: cryptomate::ByteStream = client
        .get_card_transactions_pdf()
        .card_id("card_1")
        .send()
        .await?
        .into_inner();
    drop(pdf);
    Ok(())
}"#,
    ),
    (
        "balance_is_a_number",
        r#"
pub async fn balance(
    client: &cryptomate::Client,
) -> Result<cryptomate::rust_decimal::Decimal, cryptomate::Error> {
    let balance = client.get_card_balance().card_id("card_1").send().await?.into_inner();
    Ok(balance.get() + cryptomate::rust_decimal::Decimal::ONE)
}"#,
    ),
    (
        "v2_needs_no_header",
        r#"
pub async fn search(client: &cryptomate::Client) -> Result<i64, cryptomate::Error> {
    let page = client
        .search_card_transactions_v2()
        .card_id("card_1")
        .page_size(10)
        .send()
        .await?;
    Ok(page.into_inner().total)
}"#,
    ),
    (
        "v2_header_has_no_setter",
        r#"
pub fn search(client: &cryptomate::Client) {
    let _ = client.search_card_transactions_v2().x_api_version("2");
}"#,
    ),
    (
        "deprecated_parameter_warns",
        r#"
#[deny(deprecated)]
pub fn search(client: &cryptomate::Client) {
    let _ = client.search_card_transactions().sort_field("date".to_string());
}"#,
    ),
    (
        "other_parameter_does_not_warn",
        r#"
#[deny(deprecated)]
pub fn search(client: &cryptomate::Client) {
    let _ = client.search_card_transactions().page(2);
}"#,
    ),
    (
        "dispatcher",
        r#"
pub async fn call(client: &cryptomate::Client) -> Result<(), cryptomate::Error> {
    use cryptomate::dynamic::{Answer, Arguments};
    let answer = client
        .call_operation("get_card_transactions_pdf", Arguments::new().text("cardId", "card_1"))
        .await?;
    if let Answer::Bytes(pdf) = answer.into_inner() {
        drop(pdf);
    }
    Ok(())
}"#,
    ),
];

#[test]
fn the_shapes_client_compiles_as_the_conventions_say() {
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/shapes.yaml"
    ))
    .expect("the fixture is readable");
    let failing = failing_examples("shapes", &spec, SNIPPETS, "client,cards,dynamic");
    assert_eq!(
        failing.into_iter().collect::<Vec<_>>(),
        ["deprecated_parameter_warns", "v2_header_has_no_setter"]
    );
}
