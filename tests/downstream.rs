//! The README's example of a downstream crate testing its onboarding code
//! against the mock, KYC rejection included: the code between the markers
//! is the README's block, word for word (checked below), and runs here.

// README: begin
use cryptomate::mock::{KycOutcome, MockServer};
use cryptomate::types::{
    DocumentUpload, IndividualAddress, IndividualClientRequest, ProductDocumentationRequest,
    ProductEnablementRequest,
};
use cryptomate::{ClientId, ProductRequestId, ProductRequestStatus, Sensitive, Subproduct};

// Your code: onboards a person for cards, up to the KYC review.
async fn onboard(
    api: &cryptomate::Client,
    person: IndividualClientRequest,
    passport_photo: &str,
    passport_number: &str,
) -> Result<(ClientId, ProductRequestId), Box<dyn std::error::Error>> {
    let client = api
        .create_individual_client()
        .body(person)
        .send()
        .await?
        .into_inner();
    let request = api
        .request_product_enablement()
        .client_id(&client.id)
        .body(ProductEnablementRequest {
            subproduct: Subproduct::CardsIndividuals,
        })
        .send()
        .await?
        .into_inner();
    let document = DocumentUpload {
        document_type: "passport".into(),
        image_front: Sensitive::from(passport_photo),
        image_back: None,
        replace: None,
        metadata: [("number".to_string(), Sensitive::from(passport_number))].into(),
    };
    let uploaded = api
        .complete_product_documentation()
        .client_id(&client.id)
        .product_request_id(&request.id)
        .body(ProductDocumentationRequest { document })
        .send()
        .await?;
    if let Some(item) = uploaded.rejected_items.first() {
        return Err(format!("passport rejected: {:?}", item.reason).into());
    }
    api.submit_product_enablement()
        .client_id(&client.id)
        .product_request_id(&request.id)
        .send()
        .await?;
    Ok((client.id, request.id))
}

// Your code: what to tell the person.
async fn kyc_state(
    api: &cryptomate::Client,
    client: &ClientId,
    request: &ProductRequestId,
) -> Result<String, cryptomate::Error> {
    let products = api.list_client_products().client_id(client).send().await?;
    let request = products.iter().find(|p| &p.id == request);
    Ok(match request.and_then(|r| r.status.clone()) {
        Some(ProductRequestStatus::Enabled) => "approved".into(),
        Some(ProductRequestStatus::Rejected) => format!(
            "rejected: {}",
            request
                .and_then(|r| r.rejection_description.clone())
                .unwrap_or_default()
        ),
        _ => "in review".into(),
    })
}

fn ada() -> IndividualClientRequest {
    IndividualClientRequest {
        first_name: "Ada".into(),
        second_name: None,
        last_name: "Lovelace".into(),
        email: "ada@example.com".into(),
        birth_date: "1815-12-10".parse().expect("a date"),
        address: IndividualAddress {
            street_line1: "12 St James's Square".into(),
            street_line2: None,
            city: "London".into(),
            postal_code: "SW1Y 4JH".into(),
            state: "LND".into(),
            state_code: None,
            country: "GBR".into(),
            country_code: None,
        },
        phone_country_code: Some(44),
        phone_number: Some(2_079_460_000),
    }
}

const PHOTO: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==";

#[tokio::test]
async fn a_rejected_kyc_is_reported_with_its_motive() {
    let mock = MockServer::start().await;
    let api = mock.client();
    let (client, request) = onboard(&api, ada(), PHOTO, "P1234567")
        .await
        .expect("onboarded");
    assert_eq!(
        kyc_state(&api, &client, &request).await.expect("a state"),
        "in review"
    );

    // The mock plays the KYC review's verdict.
    let motive = "The passport photo is not legible";
    mock.finish_kyc(
        &request,
        KycOutcome::Rejected {
            code: None,
            description: motive.into(),
        },
    )
    .expect("the request is in KYC");
    assert_eq!(
        kyc_state(&api, &client, &request).await.expect("a state"),
        format!("rejected: {motive}")
    );
}

#[tokio::test]
async fn an_approved_kyc_and_a_bad_photo() {
    let mock = MockServer::start().await;
    let api = mock.client();
    let (client, request) = onboard(&api, ada(), PHOTO, "P1234567")
        .await
        .expect("onboarded");
    mock.finish_kyc(&request, KycOutcome::Enabled)
        .expect("in KYC");
    assert_eq!(
        kyc_state(&api, &client, &request).await.expect("a state"),
        "approved"
    );

    // A photo that is not a JPG or PNG data URL is rejected with a reason.
    let mut other = ada();
    other.email = "augusta@example.com".into();
    let err = onboard(&api, other, "passport.heic", "P1234567")
        .await
        .expect_err("a bad photo");
    assert!(err.to_string().contains("not a base64 data URL"), "{err}");
}
// README: end

#[test]
fn the_readme_shows_this_file() {
    let root = env!("CARGO_MANIFEST_DIR");
    let this = std::fs::read_to_string(format!("{root}/tests/downstream.rs")).expect("readable");
    let start = this.find("// README: begin\n").expect("the begin marker") + 16;
    let end = this.find("// README: end").expect("the end marker");
    let shown = &this[start..end];
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("readable");
    assert!(
        readme.contains(&format!("```rust,no_run\n{shown}```")),
        "README.md's mock section must show tests/downstream.rs between its markers, as it is"
    );
}
