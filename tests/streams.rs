//! Pages as streams (`openapi/DECISIONS.md` D-RL4): the generated `pages()`
//! and `items()` of a paginated operation's builder, against the crate's
//! mock on 127.0.0.1 holding 10,000 items more than its seed in one list of
//! each of the vendor's styles: every item once, in order, a page fetched
//! only when the one before is spent (so the stream holds one page), and an
//! error ending the stream with nothing lost or repeated.

mod common;

use std::collections::HashSet;

use common::examples::documented;
use cryptomate::mock::{MockError, MockServer, Reply};
use futures::StreamExt as _;
use serde_json::{Value, json};

const ITEMS: usize = 10_000;

/// The search's required filter, as the page's example gives it.
fn operations() -> Vec<cryptomate::types::CardTransactionOperation> {
    serde_json::from_value(json!(["TRANSACTION_AUTHORIZATION", "TRANSACTION_CLEARED"]))
        .expect("operations")
}
const PAGE: u32 = 100;

/// A mock whose list at `path` holds, after its seeded items, `ITEMS`
/// copies of the first item of `operation_id`'s documented page (its field
/// `items`), each with the id `it00000`, `it00001`, …
async fn mock_with(path: &str, operation_id: &str, items: &str) -> MockServer {
    let mock = MockServer::start().await;
    let template = documented(operation_id, 200)[items][0].clone();
    assert!(template.is_object(), "{operation_id} documents an item");
    let inserted = (0..ITEMS).map(|i| {
        let mut item = template.clone();
        item["id"] = json!(format!("it{i:05}"));
        item
    });
    mock.insert_items(path, inserted)
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    mock
}

/// The ids a stream of items yielded, checked as it goes: after each item,
/// the pages fetched are those its position needs, no more.
async fn drain<T: serde::Serialize>(
    mock: &MockServer,
    path: &str,
    items: impl futures::Stream<Item = Result<T, cryptomate::Error<cryptomate::types::ApiError>>>,
) -> Vec<String> {
    let mut items = std::pin::pin!(items);
    let mut ids = Vec::new();
    let fetched = || mock.requests().iter().filter(|r| r.path == path).count();
    while let Some(item) = items.next().await {
        let item = serde_json::to_value(item.expect("a page")).expect("JSON");
        ids.push(item["id"].as_str().unwrap_or_default().to_string());
        // The page holding item number n (from 0) is page n / PAGE; none
        // after it has been asked for.
        assert_eq!(
            fetched(),
            (ids.len() - 1) / PAGE as usize + 1,
            "after {} items",
            ids.len()
        );
    }
    ids
}

/// Every id once, and the inserted ones last, in order.
fn assert_every_item_once_in_order(ids: &[String]) {
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an item repeated");
    let expected: Vec<String> = (0..ITEMS).map(|i| format!("it{i:05}")).collect();
    assert!(ids.len() >= ITEMS, "{} items", ids.len());
    assert_eq!(&ids[ids.len() - ITEMS..], &expected[..]);
}

#[tokio::test]
async fn a_page_number_stream_yields_every_item_once_in_order() {
    let card = "card_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23";
    let path = format!("/cards/transactions/{card}/search");
    let mock = mock_with(&path, "search_card_transactions", "movements").await;
    let client = mock.client();
    let items = client
        .search_card_transactions()
        .card_id(card)
        .operations(operations())
        .size(PAGE)
        .items();
    let ids = drain(&mock, &path, items).await;
    assert_every_item_once_in_order(&ids);
    // Pages numbered from 1, each once, none past the last.
    let pages: Vec<String> = mock
        .requests()
        .iter()
        .filter(|r| r.path == path)
        .map(|r| r.query.clone().unwrap_or_default())
        .collect();
    assert_eq!(pages.len(), ids.len().div_ceil(PAGE as usize));
    assert!(pages[0].contains("page_number=1"), "{}", pages[0]);
    assert!(pages[1].contains("page_number=2"), "{}", pages[1]);
}

#[tokio::test]
async fn a_page_stream_from_0_yields_every_item_once_in_order() {
    let path = "/cards/individual-cards/list/search";
    let mock = mock_with(path, "search_individual_cards", "content").await;
    let client = mock.client();
    let ids = drain(
        &mock,
        path,
        client.search_individual_cards().size(PAGE).items(),
    )
    .await;
    assert_every_item_once_in_order(&ids);
    let first = mock.requests()[0].query.clone().unwrap_or_default();
    assert!(first.contains("page=0"), "{first}");
}

#[tokio::test]
async fn a_cursor_stream_yields_every_item_once_in_order() {
    let wallet = "vw_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    let path = format!("/virtual-wallets/{wallet}/movements");
    let mock = mock_with(&path, "get_wallet_movements", "movements").await;
    let client = mock.client();
    let items = client
        .get_wallet_movements()
        .wallet_id(wallet)
        .size(PAGE)
        .items();
    let ids = drain(&mock, &path, items).await;
    assert_every_item_once_in_order(&ids);
    // The first page is asked for without a cursor, every other with the
    // one the page before gave.
    let queries: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| r.query.clone().unwrap_or_default())
        .collect();
    assert!(!queries[0].contains("paging_state_token"), "{}", queries[0]);
    assert!(
        queries[1..]
            .iter()
            .all(|q| q.contains("paging_state_token="))
    );
}

#[tokio::test]
async fn pages_stream_whole_pages_and_an_error_ends_the_stream() {
    let card = "card_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23";
    let path = format!("/cards/transactions/{card}/search");
    let mock = mock_with(&path, "search_card_transactions", "movements").await;
    let client = mock.client();
    let pages = client
        .search_card_transactions()
        .card_id(card)
        .operations(operations())
        .size(PAGE)
        .pages();
    let mut pages = std::pin::pin!(pages);
    let mut seen: Vec<Value> = Vec::new();
    for _ in 0..3 {
        let page = pages.next().await.expect("a page").expect("no error");
        assert_eq!(page.status(), 200);
        seen.extend(page.into_inner().movements.iter().map(|m| json!(m.id)));
    }
    // The next page's request fails: the stream yields the error, then ends.
    mock.enqueue_for(
        "search_card_transactions",
        Reply::Error(MockError::NotFound),
    );
    let err = pages
        .next()
        .await
        .expect("the error is an item")
        .expect_err("the 404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(pages.next().await.is_none(), "nothing after the error");
    assert_eq!(seen.len(), 3 * PAGE as usize);
    let unique: HashSet<String> = seen.iter().map(Value::to_string).collect();
    assert_eq!(unique.len(), seen.len());
    assert_eq!(mock.requests().len(), 4);
}
