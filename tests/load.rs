//! One client shared by 1,000 concurrent onboarding flows (the vendor's
//! guide: create, request a product, update, upload the passport, submit,
//! list) against one local mock, twice: every flow ends in the state it
//! should, no request is lost or mixed between clients, connections are
//! reused, and memory stays bounded. README.md, "Load", states the bounds
//! asserted here (held to them below); the figures a run prints
//! (`cargo test --test load -- --nocapture`, or `benches/run load`) are
//! recorded in BENCHMARKS.md, "Load".

use std::collections::HashMap;
use std::time::Instant;

use cryptomate::mock::{KycOutcome, MockServer};
use cryptomate::types::{
    DocumentUpload, IndividualAddress, IndividualClientRequest, ProductDocumentationRequest,
    ProductEnablementRequest,
};
use cryptomate::{ClientId, ProductRequestId, ProductRequestStatus, Sensitive, Subproduct};

const FLOWS: usize = 1_000;

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
    let tasks: Vec<_> = (0..FLOWS)
        .map(|i| tokio::spawn(onboard(api.clone(), wave, i)))
        .collect();
    let mut flows = Vec::with_capacity(FLOWS);
    for task in tasks {
        flows.push(
            task.await
                .expect("the task completes")
                .unwrap_or_else(|e| panic!("{e}")),
        );
    }
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
    let mock = MockServer::start().await;
    let api = mock.client();

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
