//! Load on the mock, measured and checked: 1,000 concurrent flows on one
//! mock, each ending in the state it should, no request lost or mixed
//! between flows, memory reported.
//!
//! - On the crate's spec, one client shared by 1,000 onboarding flows (the
//!   vendor's guide: create, request a product, update, upload the
//!   passport, submit, list), twice: connections are reused, and memory does
//!   not grow with the flows served.
//! - On a spec with the shapes of the vendor's other products
//!   (`tests/fixtures/mock-engine.yaml`), 1,000 mixed flows: a card's life,
//!   a virtual wallet's changes and movements, a treasury account's wallets
//!   and transfer, all through the plain engine.
//!
//! The flows of a mix are functions of the flow's number ([`Flow`]), run by
//! [`concurrently`]: when the crate's spec has cards and wallets, their
//! flows join the onboarding flow's mix on the crate's mock the same way.
//! The figures are printed (`cargo test --release --test load --
//! --nocapture`) and recorded in `benchmarks/mock.md`.
//! README.md, "Load", states the bounds asserted of the onboarding waves (held
//! to them by `the_readme_states_the_bounds_asserted_here`).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

use cryptomate::mock::{KycOutcome, MockServer};
use cryptomate::types::{
    DocumentUpload, IndividualAddress, IndividualClientRequest, ProductDocumentationRequest,
    ProductEnablementRequest,
};
use cryptomate::{ClientId, ProductRequestId, ProductRequestStatus, Sensitive, Subproduct};
use serde_json::{Value, json};

/// One flow of a mix: drives flow number `i` through the API with `ctx`,
/// checks each answer, and reads its final state back.
type Flow<C, T> = fn(C, usize) -> Pin<Box<dyn Future<Output = Result<T, String>> + Send>>;

/// Held by each test of this file for its whole run: resident memory is the
/// process's, so two tests at once would measure each other.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Runs `n` flows at once, flow `i` being `mix[i % mix.len()]`; panics with
/// the first flow that failed.
async fn concurrently<C: Clone + Send + 'static, T: Send + 'static>(
    ctx: &C,
    n: usize,
    mix: &[Flow<C, T>],
) -> Vec<T> {
    let tasks: Vec<_> = (0..n)
        .map(|i| tokio::spawn(mix[i % mix.len()](ctx.clone(), i)))
        .collect();
    let mut out = Vec::with_capacity(n);
    for task in tasks {
        out.push(
            task.await
                .expect("the task completes")
                .unwrap_or_else(|e| panic!("{e}")),
        );
    }
    out
}

const FLOWS: usize = 1_000;

/// A client of `mock` whose requests may take as long as the machine needs:
/// this file checks that no request is lost or mixed up, not how fast they
/// are answered (that is `benchmarks/mock.md`'s), and on a loaded 2-core
/// machine a thousand flows in flight can keep one request waiting longer
/// than [`cryptomate::DEFAULT_TIMEOUT`].
fn patient_client(mock: &MockServer) -> cryptomate::Client {
    let key = cryptomate::ApiKey::new(cryptomate::mock::TEST_API_KEY).expect("a valid key");
    cryptomate::Client::builder(key)
        .base_url(mock.uri())
        .timeout(std::time::Duration::from_secs(3600))
        // The mock here does not enforce the vendor's limit; the load is the
        // point (tests/limits.rs paces against a mock that enforces it).
        .without_pacing()
        .build()
        .expect("a loopback URL is a valid base URL")
}

/// Requests one flow sends: create, request, update, upload, submit, list.
const REQUESTS_PER_FLOW: usize = 6;

/// Every call of the test: two waves of flows and the deletes between them.
const CALLS: usize = 2 * FLOWS * REQUESTS_PER_FLOW + FLOWS;

/// The most connections the two waves and the deletes may open: about one
/// per flow in flight, with room for the pool's races (see below).
const MAX_CONNECTIONS: usize = 3 * FLOWS;

/// The most connections the second wave may open: it finds the first wave's
/// connections idle.
const MAX_SECOND_WAVE_CONNECTIONS: usize = FLOWS / 2;

/// The resident memory the second wave may add beyond what the first did.
const MEMORY_SLACK_KIB: usize = 16 * 1024;

/// A tiny valid PNG (1×1, grey), as a base64 data URL.
const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==";

/// Resident memory of this process in KiB (Linux), 0 elsewhere.
fn rss_kib() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4)
}

fn person(wave: usize, i: usize) -> IndividualClientRequest {
    IndividualClientRequest {
        first_name: format!("Flow{i}"),
        second_name: None,
        last_name: format!("Wave{wave}"),
        email: format!("flow{i}.wave{wave}@example.com"),
        birth_date: cryptomate::chrono::NaiveDate::from_ymd_opt(1984, 11, 21).expect("a date"),
        address: IndividualAddress {
            street_line1: format!("Florida {i}"),
            street_line2: None,
            city: "Del Viso".into(),
            postal_code: "1669".into(),
            state: "ARG-B".into(),
            state_code: None,
            country: "ARG".into(),
            country_code: None,
        },
        phone_country_code: None,
        phone_number: None,
    }
}

/// One flow of the guide, up to `in_kyc`; checks each answer belongs to it.
async fn onboard(
    api: cryptomate::Client,
    wave: usize,
    i: usize,
) -> Result<(ClientId, ProductRequestId), String> {
    let mut body = person(wave, i);
    let created = api
        .create_individual_client()
        .body(body.clone())
        .send()
        .await
        .map_err(|e| format!("flow {i}: create: {e}"))?;
    if created.email.as_deref() != Some(body.email.as_str()) {
        return Err(format!("flow {i}: got another flow's client"));
    }
    let id = created.into_inner().id;
    let request = api
        .request_product_enablement()
        .client_id(&id)
        .body(ProductEnablementRequest {
            subproduct: Subproduct::CardsIndividuals,
        })
        .send()
        .await
        .map_err(|e| format!("flow {i}: request: {e}"))?
        .into_inner();
    if request.client_id.as_ref() != Some(&id) {
        return Err(format!("flow {i}: the request is another client's"));
    }
    body.phone_country_code = Some(54);
    body.phone_number = Some(1_100_000_000 + i as i64);
    api.update_individual_client()
        .id(&id)
        .body(body)
        .send()
        .await
        .map_err(|e| format!("flow {i}: update: {e}"))?;
    let upload = DocumentUpload {
        document_type: "passport".into(),
        image_front: Sensitive::from(PNG),
        image_back: None,
        replace: None,
        metadata: HashMap::from([("number".to_string(), Sensitive::from(format!("P{i:07}")))]),
    };
    let uploaded = api
        .complete_product_documentation()
        .client_id(&id)
        .product_request_id(&request.id)
        .body(ProductDocumentationRequest { document: upload })
        .send()
        .await
        .map_err(|e| format!("flow {i}: upload: {e}"))?;
    if !uploaded.rejected_items.is_empty() {
        return Err(format!(
            "flow {i}: upload rejected: {:?}",
            uploaded.rejected_items
        ));
    }
    let submitted = api
        .submit_product_enablement()
        .client_id(&id)
        .product_request_id(&request.id)
        .send()
        .await
        .map_err(|e| format!("flow {i}: submit: {e}"))?
        .into_inner();
    let status = submitted.product.and_then(|p| p.status);
    if status != Some(ProductRequestStatus::InKyc) {
        return Err(format!("flow {i}: submitted to {status:?}"));
    }
    Ok((id, request.id))
}

/// The KYC outcome of flow `i`: even flows are enabled, odd ones rejected
/// with a motive naming the flow.
fn outcome(i: usize) -> KycOutcome {
    if i.is_multiple_of(2) {
        KycOutcome::Enabled
    } else {
        KycOutcome::Rejected {
            code: None,
            description: format!("flow {i}: the passport photo is not legible"),
        }
    }
}

/// Runs `FLOWS` flows at once, applies their KYC outcomes, and checks every
/// flow's final state through the API, again all at once.
async fn wave(mock: &MockServer, api: &cryptomate::Client, wave: usize) -> Vec<ClientId> {
    let mix: [Flow<(cryptomate::Client, usize), (ClientId, ProductRequestId)>; 1] =
        [|(api, wave), i| Box::pin(onboard(api, wave, i))];
    let flows = concurrently(&(api.clone(), wave), FLOWS, &mix).await;
    for (i, (_, request)) in flows.iter().enumerate() {
        mock.finish_kyc(request, outcome(i)).expect("in KYC");
    }
    let checks: Vec<_> = flows
        .iter()
        .enumerate()
        .map(|(i, (client, request))| {
            let (api, client, request) = (api.clone(), client.clone(), request.clone());
            tokio::spawn(async move {
                let listed = api
                    .list_client_products()
                    .client_id(&client)
                    .send()
                    .await
                    .expect("listed")
                    .into_inner();
                assert_eq!(listed.len(), 1, "flow {i}: {listed:?}");
                assert_eq!(listed[0].id, request, "flow {i}");
                assert_eq!(listed[0].client_id.as_ref(), Some(&client), "flow {i}");
                match outcome(i) {
                    KycOutcome::Enabled => {
                        assert_eq!(listed[0].status, Some(ProductRequestStatus::Enabled));
                        assert_eq!(listed[0].rejection_description, None);
                    }
                    KycOutcome::Rejected { description, .. } => {
                        assert_eq!(listed[0].status, Some(ProductRequestStatus::Rejected));
                        assert_eq!(listed[0].rejection_description, Some(description));
                    }
                    _ => unreachable!("the test makes two outcomes"),
                }
            })
        })
        .collect();
    for check in checks {
        check.await.expect("the flow's state is as expected");
    }
    flows.into_iter().map(|(client, _)| client).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_onboarding_flows_share_one_client() {
    let _alone = ONE_AT_A_TIME.lock().await;
    // Without the pages' examples, so that the counts are the flows'.
    let mock = MockServer::builder()
        .seeded(false)
        .start()
        .await
        .expect("the mock starts");
    let api = patient_client(&mock);

    let rss_start = rss_kib();
    let started = Instant::now();
    let first = wave(&mock, &api, 1).await;
    let first_time = started.elapsed();
    let after_first = mock.connections();
    let rss_first = rss_kib();
    assert_eq!(mock.store_sizes(), (FLOWS, FLOWS));
    // Every client is its own: its email names its flow.
    let clients = mock.clients();
    for (i, id) in first.iter().enumerate() {
        let client = clients.iter().find(|c| &c.id == id).expect("stored");
        assert_eq!(
            client.email.as_deref(),
            Some(format!("flow{i}.wave1@example.com").as_str())
        );
    }

    // Deleting the first wave's clients frees their requests too.
    for id in &first {
        api.delete_individual_client()
            .id(id)
            .send()
            .await
            .expect("deleted");
    }
    assert_eq!(mock.store_sizes(), (0, 0));
    let after_deletes = mock.connections();
    // No request lost: every one the flows sent was received and recorded.
    assert_eq!(
        mock.take_requests().len(),
        FLOWS * REQUESTS_PER_FLOW + FLOWS
    );

    let started = Instant::now();
    wave(&mock, &api, 2).await;
    let second_time = started.elapsed();
    let after_second = mock.connections();
    let rss_second = rss_kib();

    let requests = mock.requests().len();
    println!(
        "first wave: {FLOWS} flows ({} requests) in {first_time:?}, {after_first} connections; \
         {FLOWS} sequential deletes: {} new connections; \
         second wave: {FLOWS} flows in {second_time:?}, {} new connections; \
         RSS {rss_start} KiB -> {rss_first} KiB -> {rss_second} KiB",
        FLOWS * REQUESTS_PER_FLOW,
        after_deletes - after_first,
        after_second - after_deletes,
    );
    assert_eq!(requests, FLOWS * REQUESTS_PER_FLOW);
    // HTTP/1.1 needs one connection per call in flight, so the first wave
    // opens about one per flow, and more when the pool hands a connection
    // that became idle to another waiter while a new one is being opened
    // (BENCHMARKS.md, "Load", has the counts measured). Later calls ride the
    // pool rather than opening one connection per call: the second wave, as
    // concurrent as the first, finds the first wave's connections idle and
    // opens few (opening one per call would be 6,000).
    assert!(
        after_second <= MAX_CONNECTIONS,
        "{after_second} connections for {CALLS} calls: the pool was not reused"
    );
    assert!(
        after_second - after_deletes <= MAX_SECOND_WAVE_CONNECTIONS,
        "the second wave opened {} connections: it did not reuse the first wave's",
        after_second - after_deletes
    );
    // The second wave costs no more memory than the first: the store frees
    // what is deleted and the record was taken, so nothing piles up.
    if rss_start > 0 {
        let growth_first = rss_first.saturating_sub(rss_start);
        let growth_second = rss_second.saturating_sub(rss_first);
        assert!(
            growth_second <= growth_first.max(MEMORY_SLACK_KIB),
            "{growth_first} KiB then {growth_second} KiB"
        );
    }
}

/// `n` with a comma between thousands, as the README writes numbers.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// README.md's "Load" paragraph states the bounds this test asserts, not
/// figures of one run (those are in BENCHMARKS.md).
#[test]
fn the_readme_states_the_bounds_asserted_here() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable");
    let paragraph = readme
        .split("**Load.**")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .expect("README.md has a **Load.** paragraph");
    let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    for claim in [
        format!("{} concurrent onboarding flows", thousands(FLOWS)),
        format!(
            "all {} of a wave recorded",
            thousands(FLOWS * REQUESTS_PER_FLOW)
        ),
        format!(
            "at most {} connections in all for the {} calls",
            thousands(MAX_CONNECTIONS),
            thousands(CALLS)
        ),
        format!(
            "the second wave at most {}",
            thousands(MAX_SECOND_WAVE_CONNECTIONS)
        ),
        format!("(or {} MiB)", MEMORY_SLACK_KIB / 1024),
        "BENCHMARKS.md".to_string(),
    ] {
        assert!(
            text.contains(&claim),
            "README.md's Load paragraph must say {claim:?}: {text}"
        );
    }
    assert_eq!(thousands(13_000), "13,000");
    assert_eq!(thousands(500), "500");
}

/// The spec with the shapes of the vendor's other products.
const ENGINE_SPEC: &str = include_str!("fixtures/mock-engine.yaml");

/// A raw JSON client of a mock of [`ENGINE_SPEC`], shared by the flows.
#[derive(Clone)]
struct Raw {
    http: reqwest::Client,
    base: String,
}

impl Raw {
    /// Sends a request; returns the status and the JSON body (`null` when
    /// empty).
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        key: Option<(&str, String)>,
    ) -> Result<(u16, Value), String> {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("x-api-key", cryptomate::mock::TEST_API_KEY);
        if let Some((name, value)) = key {
            request = request.header(name, value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).map_err(|e| format!("{method} {path}: {e}"))?
        };
        Ok((status, body))
    }

    /// Sends a request that must answer `expected`.
    async fn expect(
        &self,
        expected: u16,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        key: Option<(&str, String)>,
    ) -> Result<Value, String> {
        let (status, answer) = self.send(method.clone(), path, body, key).await?;
        if status != expected {
            return Err(format!(
                "{method} {path}: {status}, not {expected}: {answer}"
            ));
        }
        Ok(answer)
    }
}

/// The wallet the examples show, with three movements.
const SEEDED_WALLET: &str = "vw_a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

/// The accounts and cards the examples show.
const SEEDED_ACCOUNTS: usize = 1;
const SEEDED_CARDS: usize = 2;

/// Requests each flow of the mix sends, in order: a card's life, a virtual
/// wallet's, a treasury account's.
const MIXED_REQUESTS: [usize; 3] = [9, 7, 7];

/// A card's life: made (twice with one idempotency key: one card), its
/// limits changed, its balance topped up (twice with one key), frozen, found
/// by its client; even flows end deleted, odd ones with their limits.
async fn card_life(api: Raw, i: usize) -> Result<(), String> {
    use reqwest::Method;
    let client = format!("client_load_{i}");
    let body =
        json!({"client_id": client, "card_holder_name": format!("HOLDER {i}"), "daily_limit": 100});
    let key = || Some(("Idempotency-Key", format!("card-{i}")));
    let card = api
        .expect(
            201,
            Method::POST,
            "/cards/individual-cards/create",
            Some(body.clone()),
            key(),
        )
        .await?;
    let again = api
        .expect(
            201,
            Method::POST,
            "/cards/individual-cards/create",
            Some(body),
            key(),
        )
        .await?;
    if again["id"] != card["id"] {
        return Err(format!("flow {i}: a repeated key made a second card"));
    }
    let path = format!(
        "/cards/individual-cards/{}",
        card["id"].as_str().ok_or("an id")?
    );
    let limits = api
        .expect(
            200,
            Method::PATCH,
            &format!("{path}/limits"),
            Some(json!({"daily_limit": i})),
            None,
        )
        .await?;
    if limits["daily_limit"] != json!(i) {
        return Err(format!("flow {i}: limits {limits}"));
    }
    let add_key = || Some(("x-idempotency-key", format!("add-{i}")));
    let add = format!("{path}/virtual-balance/add");
    let first = api
        .expect(
            200,
            Method::POST,
            &add,
            Some(json!({"amount": 10})),
            add_key(),
        )
        .await?;
    let repeat = api
        .expect(
            200,
            Method::POST,
            &add,
            Some(json!({"amount": 10})),
            add_key(),
        )
        .await?;
    if first != repeat {
        return Err(format!(
            "flow {i}: a repeated key answered {repeat}, not {first}"
        ));
    }
    api.expect(
        200,
        Method::PATCH,
        &format!("{path}/frozen"),
        Some(json!({"freeze": true})),
        None,
    )
    .await?;
    let found = api
        .expect(
            200,
            Method::GET,
            &format!("/cards/individual-cards/list/search?client_id={client}"),
            None,
            None,
        )
        .await?;
    if found["total_elements"] != 1 || found["content"][0]["id"] != card["id"] {
        return Err(format!("flow {i}: the search found {found}"));
    }
    if i.is_multiple_of(2) {
        api.expect(200, Method::DELETE, &path, None, None).await?;
        api.expect(404, Method::GET, &path, None, None).await?;
    } else {
        api.send(Method::GET, &path, None, None).await?;
    }
    Ok(())
}

/// A virtual wallet's changes: made, disabled, given a client, its balance
/// overridden, its movements paged with the cursor; read back as changed.
async fn wallet_life(api: Raw, i: usize) -> Result<(), String> {
    use reqwest::Method;
    let wallet = api
        .expect(
            200,
            Method::POST,
            "/virtual-wallets/create",
            Some(json!({"alias": format!("W{i}"), "blockchain": "ARBITRUM"})),
            None,
        )
        .await?;
    let path = format!("/virtual-wallets/{}", wallet["id"].as_str().ok_or("an id")?);
    api.expect(
        200,
        Method::PATCH,
        &format!("{path}/set-enabled"),
        Some(json!({"enabled": false})),
        None,
    )
    .await?;
    api.expect(
        200,
        Method::PATCH,
        &format!("{path}/client/client_load_{i}"),
        None,
        None,
    )
    .await?;
    api.expect(
        200,
        Method::PATCH,
        &format!("{path}/virtual-balance"),
        Some(json!({"virtual_balance": i})),
        Some(("x-idempotency-key", format!("balance-{i}"))),
    )
    .await?;
    let movements = format!("/virtual-wallets/{SEEDED_WALLET}/movements?size=2");
    let page = api.expect(200, Method::GET, &movements, None, None).await?;
    let token = page["paging_state_token"].as_str().ok_or("a cursor")?;
    let next = api
        .expect(
            200,
            Method::GET,
            &format!("{movements}&paging_state_token={token}"),
            None,
            None,
        )
        .await?;
    if next["movements"].as_array().map(Vec::len) != Some(1) {
        return Err(format!("flow {i}: the second page is {next}"));
    }
    let read = api.expect(200, Method::GET, &path, None, None).await?;
    let expected = (
        json!(false),
        json!(format!("client_load_{i}")),
        json!(format!("W{i}")),
    );
    if (
        read["enabled"].clone(),
        read["client_id"].clone(),
        read["alias"].clone(),
    ) != expected
    {
        return Err(format!("flow {i}: the wallet is {read}"));
    }
    Ok(())
}

/// A treasury account: made with two wallets, listed, a transfer sent; the
/// account deleted, and its wallets with it.
async fn treasury_life(api: Raw, i: usize) -> Result<(), String> {
    use reqwest::Method;
    let account = api
        .expect(
            200,
            Method::POST,
            "/mpc/accounts/create",
            Some(json!({"name": format!("A{i}")})),
            None,
        )
        .await?;
    let account = format!("/mpc/accounts/{}", account["id"].as_str().ok_or("an id")?);
    let mut wallets = Vec::new();
    for blockchain in ["POLYGON", "BASE"] {
        let wallet = api
            .expect(
                200,
                Method::POST,
                &format!("{account}/wallets/create"),
                Some(json!({"blockchain": blockchain})),
                None,
            )
            .await?;
        wallets.push(wallet["id"].as_str().ok_or("an id")?.to_string());
    }
    let listed = api
        .expect(
            200,
            Method::GET,
            &format!("{account}/wallets/list"),
            None,
            None,
        )
        .await?;
    let ids: Vec<&str> = listed
        .as_array()
        .ok_or("a list")?
        .iter()
        .filter_map(|w| w["id"].as_str())
        .collect();
    if ids != wallets.iter().map(String::as_str).collect::<Vec<_>>() {
        return Err(format!("flow {i}: the account lists {listed}"));
    }
    api.expect(
        200,
        Method::POST,
        &format!("{account}/wallets/{}/transfer", wallets[0]),
        Some(json!({"to": "0x742d", "amount": 1.5})),
        Some(("Idempotency-Key", format!("transfer-{i}"))),
    )
    .await?;
    api.expect(204, Method::DELETE, &account, None, None)
        .await?;
    api.expect(
        404,
        Method::GET,
        &format!("{account}/wallets/{}", wallets[1]),
        None,
        None,
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_mixed_flows_end_as_they_should() {
    let _alone = ONE_AT_A_TIME.lock().await;
    // Seeded: the example wallet's movements are what the wallets' flows
    // page through (the API makes none).
    let mock = MockServer::builder()
        .spec(ENGINE_SPEC)
        .start()
        .await
        .expect("the mock serves the spec");
    let api = Raw {
        http: reqwest::Client::new(),
        base: mock.uri(),
    };
    let mix: [Flow<Raw, ()>; 3] = [
        |api, i| Box::pin(card_life(api, i)),
        |api, i| Box::pin(wallet_life(api, i)),
        |api, i| Box::pin(treasury_life(api, i)),
    ];
    let rss_start = rss_kib();
    let started = Instant::now();
    concurrently(&api, FLOWS, &mix).await;
    let elapsed = started.elapsed();
    let rss_end = rss_kib();

    // The flows' end states, read through the API all at once.
    let kinds: Vec<usize> = (0..FLOWS).map(|i| i % mix.len()).collect();
    let count = |kind: usize| kinds.iter().filter(|k| **k == kind).count();
    let cards_left = (0..FLOWS).filter(|i| i % 3 == 0 && i % 2 == 1).count();
    let (_, cards) = api
        .send(
            reqwest::Method::GET,
            "/cards/individual-cards/list/search?size=5000",
            None,
            None,
        )
        .await
        .expect("listed");
    assert_eq!(cards["total_elements"], cards_left + SEEDED_CARDS);
    for card in cards["content"].as_array().expect("cards") {
        let holder = card["card_holder_name"].as_str().expect("a holder");
        if let Some(i) = holder.strip_prefix("HOLDER ") {
            assert_eq!(
                card["daily_limit"],
                i.parse::<usize>().expect("its flow"),
                "{card}"
            );
        }
    }
    let (_, wallets) = api
        .send(
            reqwest::Method::GET,
            "/virtual-wallets/list?blockchain=ARBITRUM",
            None,
            None,
        )
        .await
        .expect("listed");
    let wallets = wallets.as_array().expect("wallets");
    assert_eq!(wallets.len(), count(1));
    assert!(wallets.iter().all(|w| w["enabled"] == false));
    let (_, accounts) = api
        .send(reqwest::Method::GET, "/mpc/accounts/list", None, None)
        .await
        .expect("listed");
    assert_eq!(
        accounts.as_array().map(Vec::len),
        Some(SEEDED_ACCOUNTS),
        "every account of the flows was deleted: {accounts}"
    );
    // No request lost: each flow's, and the three reads above.
    let sent: usize = kinds.iter().map(|k| MIXED_REQUESTS[*k]).sum::<usize>()
        - (0..FLOWS).filter(|i| i % 3 == 0 && i % 2 == 1).count();
    assert_eq!(mock.requests().len(), sent + 3);
    println!(
        "mixed: {FLOWS} flows ({} cards, {} wallets, {} accounts; {sent} requests) in \
         {elapsed:?}, {} connections; RSS {rss_start} KiB -> {rss_end} KiB",
        count(0),
        count(1),
        count(2),
        mock.connections(),
    );
}
