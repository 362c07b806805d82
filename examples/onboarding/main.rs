//! The vendor's onboarding guide, "Create a client & request a product", run
//! generically: create an individual client, request a product, read what
//! `missing_requirements` asks for, fill each data requirement (an update is
//! a full replacement, so the whole client is sent again) and upload each
//! document requirement (one document per call, with a sample image), and
//! repeat while the answers still name something missing, as the guide says;
//! then submit and print the request's state. One line per step.
//!
//! On the local mock it then reaches a card: the mock's KYC review enables the
//! request, a webhook receiver starts on 127.0.0.1 and the company's webhooks
//! are subscribed to it with a new key, an individual card is issued to the
//! client, an authorization is simulated on it, the receiver approves it
//! through the webhook, and the transaction's state ends the run. (On the
//! real API the provider's KYC review takes its time, and subscribing would
//! replace the company's webhook URL, so the run ends at `in_kyc`.)
//!
//! With no `CRYPTOMATE_API_KEY` it starts the crate's local mock of the API and
//! talks to that: no account and no network needed. With `CRYPTOMATE_API_KEY`
//! (and optionally `CRYPTOMATE_BASE_URL`, such as the sandbox) it talks to the
//! real API, creating a sample client (the guide's Maria Barber, with an email
//! made unique per run).
//!
//! ```sh
//! cargo run --example onboarding
//! CRYPTOMATE_API_KEY=… CRYPTOMATE_BASE_URL=https://api.sandbox.cryptomate.me cargo run --example onboarding
//! ```
//!
//! It prints identifiers, statuses and requirement names, never the key or
//! the client's personal data. Any failure is one line on stderr and exit
//! status 1.

use std::collections::HashMap;
use std::process::ExitCode;

use base64::Engine;
use cryptomate::chrono::NaiveDate;
use cryptomate::mock::{KycOutcome, MockServer};
use cryptomate::types::{
    CreateIndividualCardRequest, DataField, DocumentUpload, IndividualAddress,
    IndividualCardTransactionOperation, IndividualClientRequest, MissingRequirements,
    ProductDocumentationRequest, ProductEnablementRequest, SimulateCardWebhookRequest,
    ValidDocument, WebhookData, WebhookSubscriptionRequest,
};
use cryptomate::webhooks::axum::{Receiver, serve};
use cryptomate::webhooks::{Event, Reply, Verifier, WebhookKey};
use cryptomate::{
    Client, ClientId, ENV_API_KEY, ProductRequestId, ProductRequestStatus, Sensitive, Subproduct,
};

/// The sample image uploaded for every document: a PNG that reads "SAMPLE"
/// and says in its text chunk that it is not a real document.
const SAMPLE_IMAGE: &[u8] = include_bytes!("sample-document.png");

/// The product the guide requests.
const PRODUCT: Subproduct = Subproduct::CardsIndividuals;

/// One line that says which step failed and why.
struct Failure(String);

/// Prints a line of progress. A closed stdout (`... | head -1`) is not a
/// failure of the onboarding, so a write error is ignored rather than a
/// panic, as `println!` would.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[tokio::main]
async fn main() -> ExitCode {
    // Held for the whole run: the mock stops when dropped.
    let mut _mock = None;
    let client = if std::env::var_os(ENV_API_KEY).is_some() {
        match Client::from_env() {
            Ok(client) => client,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        let mock = MockServer::start().await;
        say!(
            "No {ENV_API_KEY} set: using a local mock of the API at {}",
            mock.uri()
        );
        let client = mock.client();
        _mock = Some(mock);
        client
    };
    let done = match (onboard(&client).await, &_mock) {
        (Ok((client_id, request_id)), Some(mock)) => {
            card(mock, &client, &client_id, &request_id).await
        }
        (result, _) => result.map(|_| ()),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(line)) => {
            eprintln!("error: {line}");
            ExitCode::FAILURE
        }
    }
}

/// Turns an API error into the failure of `step`.
fn at(step: &'static str) -> impl Fn(cryptomate::Error) -> Failure {
    move |e| Failure(format!("{step}: {}", describe(&e)))
}

/// The guide's steps; the client and its request, in `in_kyc`.
async fn onboard(api: &Client) -> Result<(ClientId, ProductRequestId), Failure> {
    // Step 1: the client, with the required fields only, as in the guide.
    let mut person = sample_client();
    let created = api
        .create_individual_client()
        .body(person.clone())
        .send()
        .await
        .map_err(at("create the client"))?;
    say!(
        "1. created client {} ({}, status {})",
        created.id,
        created.status(),
        show(created.status.as_ref())
    );
    let client_id = created.into_inner().id;

    // Step 2: the product; the answer says what is missing.
    let requested = api
        .request_product_enablement()
        .client_id(&client_id)
        .body(ProductEnablementRequest {
            subproduct: PRODUCT,
        })
        .send()
        .await
        .map_err(at("request the product"))?
        .into_inner();
    let request_id = requested.id.clone();
    let missing = requested.missing_requirements.unwrap_or_default();
    say!(
        "2. requested {PRODUCT}: request {request_id} is {}; missing {}",
        show(requested.status.as_ref()),
        summary(&missing)
    );

    // Steps 3 and 4, repeated while the answers name something missing, as
    // the guide says. A round that changes nothing ends the repetition: what
    // is still missing then is reported by submit.
    let mut missing = missing;
    for _ in 0..3 {
        if !blocking(&missing) {
            break;
        }
        let before = missing.clone();
        let mut rechecked = None;
        // Step 3: every data requirement, in one full-replacement update.
        let fields: Vec<&DataField> = missing
            .data
            .iter()
            .flat_map(|r| &r.fields)
            .filter(|f| f.required != Some(false))
            .collect();
        if fields.is_empty() {
            say!("3. no client data missing");
        } else {
            let mut filled = Vec::new();
            for field in fields {
                filled.push(fill(&mut person, field)?);
            }
            let updated = api
                .update_individual_client()
                .id(&client_id)
                .body(person.clone())
                .send()
                .await
                .map_err(at("update the client"))?;
            say!(
                "3. updated client {client_id} in full ({}), adding {}",
                updated.status(),
                filled.join(", ")
            );
        }

        // Step 4: every document requirement, one document per call.
        if missing.documents.is_empty() {
            say!("4. no documents missing");
        }
        for requirement in &missing.documents {
            let name = requirement
                .id
                .as_deref()
                .unwrap_or("a document requirement");
            let document = requirement
                .valid_documents
                .iter()
                .find(|d| d.id.is_some())
                .ok_or_else(|| {
                    Failure(format!("the requirement {name} lists no valid document"))
                })?;
            let upload = upload_for(document);
            let ty = upload.document_type.clone();
            let result = api
                .complete_product_documentation()
                .client_id(&client_id)
                .product_request_id(&request_id)
                .body(ProductDocumentationRequest { document: upload })
                .send()
                .await
                .map_err(at("upload a document"))?
                .into_inner();
            if !result.rejected_items.is_empty() {
                let reasons: Vec<String> = result
                    .rejected_items
                    .iter()
                    .map(|item| {
                        item.reason
                            .clone()
                            .unwrap_or_else(|| "no reason given".into())
                    })
                    .collect();
                return Err(Failure(format!(
                    "the {ty} for {name} was rejected: {}",
                    reasons.join("; ")
                )));
            }
            let left = result
                .product
                .and_then(|p| p.missing_requirements)
                .unwrap_or_default();
            say!(
                "4. uploaded the {ty} for {name}: accepted; missing {}",
                summary(&left)
            );
            rechecked = Some(left);
        }

        // The last upload's answer re-checked the requirements; without an
        // upload, the list of the client's products does.
        missing = match rechecked {
            Some(left) => left,
            None => api
                .list_client_products()
                .client_id(&client_id)
                .send()
                .await
                .map_err(at("list the client's products"))?
                .into_inner()
                .into_iter()
                .find(|p| p.id == request_id)
                .and_then(|p| p.missing_requirements)
                .unwrap_or_default(),
        };
        if missing == before {
            break;
        }
    }

    // Step 5: submit; the request advances only when nothing is missing.
    let submitted = api
        .submit_product_enablement()
        .client_id(&client_id)
        .product_request_id(&request_id)
        .send()
        .await
        .map_err(at("submit the request"))?
        .into_inner();
    let product = submitted
        .product
        .ok_or_else(|| Failure("submit the request: the answer has no product".into()))?;
    say!(
        "5. submitted request {request_id}: {}",
        show(product.status.as_ref())
    );
    if product.status != Some(ProductRequestStatus::InKyc) {
        return Err(Failure(format!(
            "the request is still {}: missing {}",
            show(product.status.as_ref()),
            summary(&product.missing_requirements.unwrap_or_default())
        )));
    }

    // The request's state, as the list of the client's products shows it.
    let products = api
        .list_client_products()
        .client_id(&client_id)
        .send()
        .await
        .map_err(at("list the client's products"))?
        .into_inner();
    let state = products
        .iter()
        .find(|p| p.id == request_id)
        .ok_or_else(|| Failure(format!("the client's products do not list {request_id}")))?;
    say!(
        "request {request_id} for {PRODUCT} is {}: the provider's KYC review decides whether it is enabled or rejected",
        show(state.status.as_ref())
    );
    Ok((client_id, request_id))
}

/// The amount of the simulated authorization, in USD.
const AMOUNT: &str = "25.00";

/// On the local mock: the card, its authorization approved through a
/// webhook receiver, and the transaction's state. One line per step.
async fn card(
    mock: &MockServer,
    api: &Client,
    client_id: &ClientId,
    request_id: &ProductRequestId,
) -> Result<(), Failure> {
    // Step 6: the KYC review, which the mock plays.
    let enabled = mock
        .finish_kyc(request_id.as_str(), KycOutcome::Enabled)
        .map_err(|e| Failure(format!("enable the request: {e}")))?;
    say!(
        "6. the mock's KYC review enabled request {request_id}: {}",
        show(enabled.status.as_ref())
    );

    // Step 7: a receiver of the company's webhooks, which approves every
    // authorization and hands each event over.
    let key = webhook_key()?;
    let (events, mut received) = tokio::sync::mpsc::unbounded_channel::<Event>();
    let app = Receiver::new(Verifier::new(key.clone())).router(move |event| {
        let reply = if event.is_authorization() {
            Reply::Approve
        } else {
            Reply::Acknowledge
        };
        let _ = events.send(event);
        async move { Ok::<_, std::convert::Infallible>(reply) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| Failure(format!("listen for webhooks: {e}")))?;
    let url = format!(
        "http://{}/webhooks",
        listener
            .local_addr()
            .map_err(|e| Failure(format!("listen for webhooks: {e}")))?
    );
    tokio::spawn(serve(listener, app));
    say!("7. listening for webhooks at {url}");

    // Step 8: the company's webhooks go there, with the key.
    api.subscribe_webhook_url()
        .body(
            WebhookSubscriptionRequest::builder()
                .url(url.as_str())
                .webhook_key(Sensitive::from(key.expose())),
        )
        .send()
        .await
        .map_err(at("subscribe the webhook"))?;
    say!("8. subscribed the company's webhooks to {url} with a new key");

    // Step 9: a card for the client.
    let issued = api
        .create_individual_card()
        .body(
            CreateIndividualCardRequest::builder()
                .client_id(client_id.clone())
                .card_holder_name("MARIA BARBER"),
        )
        .send()
        .await
        .map_err(at("issue the card"))?;
    let status = issued.status();
    let card = issued.into_inner();
    say!(
        "9. issued individual card {} to client {client_id} ({status}, status {})",
        card.id,
        show(card.status.as_ref())
    );

    // Step 10: a purchase on the card; the mock asks the company's
    // webhook, which decides it before the simulation answers.
    api.simulate_authorize()
        .body(
            SimulateCardWebhookRequest::builder()
                .card_id(card.id.to_string())
                .bill_amount(
                    AMOUNT
                        .parse::<cryptomate::Decimal>()
                        .map_err(|e| Failure(format!("the amount {AMOUNT}: {e}")))?,
                ),
        )
        .send()
        .await
        .map_err(at("simulate an authorization"))?;
    say!(
        "10. simulated an authorization of {AMOUNT} USD on card {}",
        card.id
    );

    // Steps 11 and 12: the authorization, approved, then its notice.
    for step in [11, 12] {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), received.recv())
            .await
            .ok()
            .flatten()
            .ok_or_else(|| Failure("receive the card's webhooks: none came".into()))?;
        let what = match &event.data {
            WebhookData::CardsAuthorization(_) => "answered 00, approved",
            _ => "acknowledged",
        };
        say!(
            "{step}. webhook {} {} {} ({}): {what}",
            event.product,
            event.event_type,
            event.operation_id,
            event.status
        );
    }

    // The transaction's state, as the API shows it.
    let operations = [
        "TRANSACTION_AUTHORIZATION",
        "TRANSACTION_APPROVED",
        "TRANSACTION_REJECTED",
    ]
    .iter()
    .filter_map(|o| o.parse::<IndividualCardTransactionOperation>().ok())
    .collect::<Vec<_>>();
    let page = api
        .search_individual_card_transactions()
        .card_id(&card.id)
        .operations(operations)
        .send()
        .await
        .map_err(at("read the card's transactions"))?
        .into_inner();
    let transaction = page
        .movements
        .first()
        .ok_or_else(|| Failure(format!("card {} has no transaction", card.id)))?;
    say!(
        "transaction {} on card {} is {} ({})",
        transaction.id.as_deref().unwrap_or("(no id)"),
        card.id,
        show(transaction.operation.as_ref()),
        transaction.status.as_deref().unwrap_or("(no status)")
    );
    Ok(())
}

/// A new webhook key for this run (never printed).
fn webhook_key() -> Result<WebhookKey, Failure> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    WebhookKey::new(format!("onboarding-{nanos:x}"))
        .map_err(|e| Failure(format!("make a webhook key: {e}")))
}

/// The guide's client with the fields it calls required, and an email made
/// unique per run so that a second run on the real API is not a duplicate.
fn sample_client() -> IndividualClientRequest {
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    IndividualClientRequest {
        first_name: "Maria".into(),
        second_name: None,
        last_name: "Barber".into(),
        email: format!("mjuliabarber+{run}@example.com"),
        birth_date: NaiveDate::from_ymd_opt(1984, 11, 21).unwrap_or_default(),
        address: IndividualAddress {
            street_line1: "Florida 9860".into(),
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

/// Sets the client field a data requirement names to the guide's sample
/// value, and returns the field's key.
fn fill(person: &mut IndividualClientRequest, field: &DataField) -> Result<String, Failure> {
    let key = field.key.clone().unwrap_or_default();
    match key.as_str() {
        "phone" => {
            person.phone_country_code = Some(54);
            person.phone_number = Some(1_168_860_622);
        }
        "second_name" => person.second_name = Some("Julia".into()),
        _ => {
            return Err(Failure(format!(
                "the product needs the client field {key:?} ({}), which this example cannot fill",
                field.data_type.as_deref().unwrap_or("of no stated type")
            )));
        }
    }
    Ok(key)
}

/// The upload of `document` with the sample image on each side it needs and
/// a sample value for each metadata field.
fn upload_for(document: &ValidDocument) -> DocumentUpload {
    let image = || {
        Sensitive::from(format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(SAMPLE_IMAGE)
        ))
    };
    let metadata: HashMap<String, Sensitive> = document
        .metadata
        .iter()
        .filter_map(|field| {
            let id = field.id.clone()?;
            let value = match (id.as_str(), field.data_type.as_deref()) {
                ("number", _) => "SAMPLE0000",
                ("issuing_country", _) => "ARG",
                (_, Some("DATE")) => "2030-01-01",
                _ => "SAMPLE",
            };
            Some((id, Sensitive::from(value)))
        })
        .collect();
    DocumentUpload {
        document_type: document.id.clone().unwrap_or_default(),
        image_front: image(),
        image_back: (document.require_back_image == Some(true)).then(image),
        replace: None,
        metadata,
    }
}

/// Whether a required requirement is still missing.
fn blocking(missing: &MissingRequirements) -> bool {
    missing.data.iter().any(|r| r.required != Some(false))
        || missing.documents.iter().any(|r| r.required != Some(false))
}

/// What is missing, by requirement id and what fulfils it: `data
/// personal_information (phone), documents identity_document (passport)`.
fn summary(missing: &MissingRequirements) -> String {
    let data: Vec<String> = missing
        .data
        .iter()
        .map(|r| {
            let keys: Vec<&str> = r.fields.iter().filter_map(|f| f.key.as_deref()).collect();
            format!("{} ({})", r.id.as_deref().unwrap_or("?"), keys.join(", "))
        })
        .collect();
    let documents: Vec<String> = missing
        .documents
        .iter()
        .map(|r| {
            let kinds: Vec<&str> = r
                .valid_documents
                .iter()
                .filter_map(|d| d.id.as_deref())
                .collect();
            format!(
                "{} ({})",
                r.id.as_deref().unwrap_or("?"),
                kinds.join(" or ")
            )
        })
        .collect();
    match (data.is_empty(), documents.is_empty()) {
        (true, true) => "nothing".into(),
        (false, true) => format!("data {}", data.join(", ")),
        (true, false) => format!("documents {}", documents.join(", ")),
        (false, false) => format!(
            "data {}; documents {}",
            data.join(", "),
            documents.join(", ")
        ),
    }
}

fn show(value: Option<&impl std::fmt::Display>) -> String {
    value.map_or_else(|| "(no status)".into(), ToString::to_string)
}

/// One line that says what went wrong: the error, then its causes (such as
/// "Connection refused") where the error has any.
fn describe(e: &cryptomate::Error) -> String {
    let mut line = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !line.contains(&cause_text) {
            line = format!("{line}: {cause_text}");
        }
        source = cause.source();
    }
    line
}
