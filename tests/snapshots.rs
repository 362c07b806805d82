//! The checked-in view of what the spec produces: the generated source and the
//! JSON Schema of every public type. A spec change shows its Rust consequence
//! here; review it with `cargo insta review`.

use cryptomate::types::*;
use cryptomate::{
    ClientId, ClientStatus, ClientType, CountryCode, IndividualClientStatus, ProductRequestId,
    ProductRequestStatus, Sensitive, Subproduct, Timestamp,
};

#[test]
fn generated_code() {
    let code = include_str!(concat!(env!("OUT_DIR"), "/cryptomate.rs"));
    insta::assert_snapshot!("generated_code", code);
}

macro_rules! schema_snapshots {
    ($($test:ident: $ty:ty,)+) => {
        $(
            #[test]
            fn $test() {
                insta::assert_json_snapshot!(stringify!($test), schemars::schema_for!($ty));
            }
        )+

        /// The types that have a schema snapshot.
        const SNAPSHOTTED: &[&str] = &[$(stringify!($ty)),+];
    };
}

/// A type the spec adds gets a schema snapshot too: the list below is held to
/// the public structs and enums of the generated `types` module.
#[test]
fn every_generated_type_has_a_schema_snapshot() {
    let code = include_str!(concat!(env!("OUT_DIR"), "/cryptomate.rs"));
    let types = &code[code.find("pub mod types {").expect("a types module")..];
    let types = &types[..types.find("\npub mod builder").unwrap_or(types.len())];
    let missing: Vec<&str> = types
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("pub struct ")
                .or_else(|| l.strip_prefix("pub enum "))
        })
        .map(|rest| {
            rest.split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or(rest)
        })
        // typify's error type of failed conversions is not a schema type.
        .filter(|name| *name != "ConversionError" && !SNAPSHOTTED.contains(name))
        .collect();
    assert!(
        missing.is_empty(),
        "add these types to schema_snapshots! in tests/snapshots.rs: {missing:?}"
    );
}

schema_snapshots! {
    schema_address: Address,
    schema_api_error: ApiError,
    schema_card_accumulated_spending: CardAccumulatedSpending,
    schema_card_decline_reason: CardDeclineReason,
    schema_card_id: CardId,
    schema_card_operation: CardOperation,
    schema_card_operation_event: CardOperationEvent,
    schema_card_operation_kind: CardOperationKind,
    schema_card_operation_lifecycle: CardOperationLifecycle,
    schema_card_operation_outcome: CardOperationOutcome,
    schema_card_operation_page: CardOperationPage,
    schema_card_operation_state: CardOperationState,
    schema_card_operation_summary: CardOperationSummary,
    schema_card_transaction: CardTransaction,
    schema_card_transaction_id: CardTransactionId,
    schema_card_transaction_operation: CardTransactionOperation,
    schema_card_transaction_page: CardTransactionPage,
    schema_card_transaction_status: CardTransactionStatus,
    schema_cards_blockchain: CardsBlockchain,
    schema_cards_holding_balance: CardsHoldingBalance,
    schema_cards_holding_withdrawal: CardsHoldingWithdrawal,
    schema_cards_holding_withdrawal_request: CardsHoldingWithdrawalRequest,
    schema_cards_holding_withdrawal_status: CardsHoldingWithdrawalStatus,
    schema_client: Client,
    schema_client_id: ClientId,
    schema_client_status: ClientStatus,
    schema_client_type: ClientType,
    schema_country: Country,
    schema_country_code: CountryCode,
    schema_create_client_request: CreateClientRequest,
    schema_data_field: DataField,
    schema_data_requirement: DataRequirement,
    schema_document: Document,
    schema_document_requirement: DocumentRequirement,
    schema_document_upload: DocumentUpload,
    schema_fees_wallet_withdrawal: FeesWalletWithdrawal,
    schema_fees_wallet_withdrawal_request: FeesWalletWithdrawalRequest,
    schema_fees_wallet_withdrawal_status: FeesWalletWithdrawalStatus,
    schema_get_card_transaction_v2x_api_version: GetCardTransactionV2xApiVersion,
    schema_identification_type: IdentificationType,
    schema_individual_address: IndividualAddress,
    schema_individual_client: IndividualClient,
    schema_individual_client_address: IndividualClientAddress,
    schema_individual_client_request: IndividualClientRequest,
    schema_individual_client_status: IndividualClientStatus,
    schema_metadata_field: MetadataField,
    schema_missing_requirements: MissingRequirements,
    schema_product_documentation_request: ProductDocumentationRequest,
    schema_product_enablement_request: ProductEnablementRequest,
    schema_product_request: ProductRequest,
    schema_product_request_id: ProductRequestId,
    schema_product_request_result: ProductRequestResult,
    schema_product_request_status: ProductRequestStatus,
    schema_rejected_item: RejectedItem,
    schema_search_card_transactions_v2x_api_version: SearchCardTransactionsV2xApiVersion,
    schema_sensitive: Sensitive,
    schema_simulate_card_return_request: SimulateCardReturnRequest,
    schema_simulate_card_webhook_request: SimulateCardWebhookRequest,
    schema_subdivision: Subdivision,
    schema_subproduct: Subproduct,
    schema_supported_countries: SupportedCountries,
    schema_timestamp: Timestamp,
    schema_valid_document: ValidDocument,
    schema_velocity_rule: VelocityRule,
    schema_velocity_rule_request: VelocityRuleRequest,
    schema_velocity_rules: VelocityRules,
    schema_velocity_rules_request: VelocityRulesRequest,
    schema_whitelisted_address: WhitelistedAddress,
}

/// Personal data is redacted from `Debug` of the generated types, while the
/// serialized body is unchanged.
#[test]
fn debug_of_a_request_hides_personal_data() {
    let request = CreateClientRequest {
        first_name: Some("John".into()),
        individual_identification: Some("123-45-6789".into()),
        individual_identification_type: Some("SSN".into()),
        documents: vec![Document {
            id: Some("doc_1".into()),
            name: Some("Passport".into()),
            number: Some("X1234567".into()),
            image_front: Some("data:image/png;base64,AAAA".into()),
            image_back: Some("data:image/png;base64,BBBB".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    insta::assert_snapshot!("debug_of_a_request", format!("{request:#?}"));
    let wire = serde_json::to_value(&request).expect("serializes");
    assert_eq!(wire["individual_identification"], "123-45-6789");
    assert_eq!(wire["documents"][0]["number"], "X1234567");
    assert_eq!(
        wire["documents"][0]["image_back"],
        "data:image/png;base64,BBBB"
    );
}
