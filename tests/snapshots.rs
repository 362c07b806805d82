//! The checked-in view of what the spec produces: the generated source and the
//! JSON Schema of every public type. A spec change shows its Rust consequence
//! here; review it with `cargo insta review`.

use cryptomate::types::*;
use cryptomate::types::{
    BankAccountId, CardId, CompanyId, IndividualCardId, OperationId, RampTransferId,
    TreasuryAccountId, TreasuryWalletId, VirtualWalletId,
};
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
        // `WebhookData` is the enum of the webhook events the generator
        // writes over the events' types (D-W1), each of which has its own.
        .filter(|name| {
            *name != "ConversionError" && *name != "WebhookData" && !SNAPSHOTTED.contains(name)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "add these types to schema_snapshots! in tests/snapshots.rs: {missing:?}"
    );
}

schema_snapshots! {
    schema_card3ds_challenge_event_data: Card3dsChallengeEventData,
    schema_card3ds_code_event_data: Card3dsCodeEventData,
    schema_card_blocked_by_velocity_event_data: CardBlockedByVelocityEventData,
    schema_card_transaction_event_data: CardTransactionEventData,
    schema_client_status_event_data: ClientStatusEventData,
    schema_webhook_card_fees: WebhookCardFees,
    schema_webhook_decline_reason: WebhookDeclineReason,
    schema_webhook_deposit_event_data: WebhookDepositEventData,
    schema_webhook_event: WebhookEvent,
    schema_webhook_merchant: WebhookMerchant,
    schema_webhook_outgoing_transfer_event_data: WebhookOutgoingTransferEventData,
    schema_webhook_product: WebhookProduct,
    schema_webhook_ramp_on_event_data: WebhookRampOnEventData,
    schema_webhook_reply: WebhookReply,
    schema_webhook_status: WebhookStatus,
    schema_webhook_token: WebhookToken,
    schema_webhook_velocity_rule: WebhookVelocityRule,
    schema_webhook_warranty_withdraw_event_data: WebhookWarrantyWithdrawEventData,
    schema_address: Address,
    schema_api_error: ApiError,
    schema_card3ds_authorization: Card3dsAuthorization,
    schema_card3ds_authorization_request: Card3dsAuthorizationRequest,
    schema_card3ds_configuration: Card3dsConfiguration,
    schema_card3ds_configuration_request: Card3dsConfigurationRequest,
    schema_card3ds_type: Card3dsType,
    schema_card_approval_method: CardApprovalMethod,
    schema_card_blocked: CardBlocked,
    schema_card_deposit_wallet: CardDepositWallet,
    schema_card_email_update: CardEmailUpdate,
    schema_card_freeze_request: CardFreezeRequest,
    schema_card_fuse_channel: CardFuseChannel,
    schema_card_id: CardId,
    schema_card_limits: CardLimits,
    schema_card_otp_phone_number: CardOtpPhoneNumber,
    schema_card_pan_html: CardPanHtml,
    schema_card_phone_update: CardPhoneUpdate,
    schema_card_pin: CardPin,
    schema_card_pin_update: CardPinUpdate,
    schema_card_ramp: CardRamp,
    schema_card_risk_score_fuse: CardRiskScoreFuse,
    schema_card_risk_score_fuse_request: CardRiskScoreFuseRequest,
    schema_card_status: CardStatus,
    schema_card_type: CardType,
    schema_card_virtual_balance_change: CardVirtualBalanceChange,
    schema_card_virtual_balance_override: CardVirtualBalanceOverride,
    schema_card_virtual_balances: CardVirtualBalances,
    schema_bank_ramp_off: BankRampOff,
    schema_bank_ramp_off_simulation: BankRampOffSimulation,
    schema_bank_ramp_on: BankRampOn,
    schema_bank_ramp_on_simulation: BankRampOnSimulation,
    schema_card_accumulated_spending: CardAccumulatedSpending,
    schema_card_decline_reason: CardDeclineReason,
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
    schema_create_card_request: CreateCardRequest,
    schema_create_bank_ramp_off_request: CreateBankRampOffRequest,
    schema_create_bank_ramp_on_request: CreateBankRampOnRequest,
    schema_create_client_request: CreateClientRequest,
    schema_create_virtual_wallet_request: CreateVirtualWalletRequest,
    schema_credit_card_ramp_on_request: CreditCardRampOnRequest,
    schema_credit_card_ramp_on_session: CreditCardRampOnSession,
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
    schema_override_virtual_wallet_balance_request: OverrideVirtualWalletBalanceRequest,
    schema_product_documentation_request: ProductDocumentationRequest,
    schema_product_enablement_request: ProductEnablementRequest,
    schema_product_request: ProductRequest,
    schema_product_request_id: ProductRequestId,
    schema_product_request_result: ProductRequestResult,
    schema_product_request_status: ProductRequestStatus,
    schema_ramp_fiat_currency: RampFiatCurrency,
    schema_ramp_on_fiat_asset: RampOnFiatAsset,
    schema_ramp_payment_rail: RampPaymentRail,
    schema_ramp_token: RampToken,
    schema_ramp_transfer: RampTransfer,
    schema_ramp_transfer_id: RampTransferId,
    schema_ramp_transfer_type: RampTransferType,
    schema_rejected_item: RejectedItem,
    schema_rejected_item_type: RejectedItemType,
    schema_search_card_transactions_v2x_api_version: SearchCardTransactionsV2xApiVersion,
    schema_sensitive: Sensitive,
    schema_set_virtual_wallet_enabled_request: SetVirtualWalletEnabledRequest,
    schema_simulate_bank_ramp_off_request: SimulateBankRampOffRequest,
    schema_simulate_bank_ramp_on_request: SimulateBankRampOnRequest,
    schema_simulate_card_return_request: SimulateCardReturnRequest,
    schema_simulate_card_webhook_request: SimulateCardWebhookRequest,
    schema_subdivision: Subdivision,
    schema_subproduct: Subproduct,
    schema_supported_countries: SupportedCountries,
    schema_timestamp: Timestamp,
    schema_token_transfer: TokenTransfer,
    schema_token_transfer_request: TokenTransferRequest,
    schema_treasury_account: TreasuryAccount,
    schema_treasury_account_id: TreasuryAccountId,
    schema_treasury_account_request: TreasuryAccountRequest,
    schema_treasury_blockchain: TreasuryBlockchain,
    schema_treasury_operation: TreasuryOperation,
    schema_treasury_operation_filter: TreasuryOperationFilter,
    schema_treasury_token_balance: TreasuryTokenBalance,
    schema_treasury_transaction: TreasuryTransaction,
    schema_treasury_transaction_page: TreasuryTransactionPage,
    schema_treasury_transaction_status: TreasuryTransactionStatus,
    schema_treasury_transfer_status: TreasuryTransferStatus,
    schema_treasury_wallet: TreasuryWallet,
    schema_treasury_wallet_id: TreasuryWalletId,
    schema_treasury_wallet_rename: TreasuryWalletRename,
    schema_treasury_wallet_request: TreasuryWalletRequest,
    schema_valid_document: ValidDocument,
    schema_virtual_card: VirtualCard,
    schema_virtual_card_meta: VirtualCardMeta,
    // The rest of Management (issue 27).
    schema_bank_account: BankAccount,
    schema_bank_account_address: BankAccountAddress,
    schema_bank_account_currency: BankAccountCurrency,
    schema_bank_account_id: BankAccountId,
    schema_bank_account_rail: BankAccountRail,
    schema_bre_b_bank_account_request: BreBBankAccountRequest,
    schema_co_account_type: CoAccountType,
    schema_co_account_type_entry: CoAccountTypeEntry,
    schema_co_bank_transfer_bank_account_request: CoBankTransferBankAccountRequest,
    schema_co_document_type: CoDocumentType,
    schema_colombian_bank_code: ColombianBankCode,
    schema_company: Company,
    schema_company_id: CompanyId,
    schema_company_information: CompanyInformation,
    schema_contracted_and_used_products: ContractedAndUsedProducts,
    schema_contracted_product: ContractedProduct,
    schema_create_company_request: CreateCompanyRequest,
    schema_created_company: CreatedCompany,
    schema_custom_token: CustomToken,
    schema_fps_bank_account_request: FpsBankAccountRequest,
    schema_management_blockchain: ManagementBlockchain,
    schema_operation: Operation,
    schema_operation_id: OperationId,
    schema_pix_bank_account_request: PixBankAccountRequest,
    schema_product_usage: ProductUsage,
    schema_sepa_bank_account_request: SepaBankAccountRequest,
    schema_spei_bank_account_request: SpeiBankAccountRequest,
    schema_update_company_request: UpdateCompanyRequest,
    schema_us_bank_account_request: UsBankAccountRequest,
    schema_us_bank_account_type: UsBankAccountType,
    schema_webhook_key_request: WebhookKeyRequest,
    schema_webhook_subscription_request: WebhookSubscriptionRequest,
    // Individual Cards.
    schema_create_individual_card_request: CreateIndividualCardRequest,
    schema_create_individual_card_request_card_holder_name: CreateIndividualCardRequestCardHolderName,
    schema_individual_card: IndividualCard,
    schema_individual_card_approval_method: IndividualCardApprovalMethod,
    schema_individual_card_balance: IndividualCardBalance,
    schema_individual_card_balance_change: IndividualCardBalanceChange,
    schema_individual_card_forwarded3ds_type: IndividualCardForwarded3dsType,
    schema_individual_card_frozen_request: IndividualCardFrozenRequest,
    schema_individual_card_id: IndividualCardId,
    schema_individual_card_limits_request: IndividualCardLimitsRequest,
    schema_individual_card_page: IndividualCardPage,
    schema_individual_card_pan: IndividualCardPan,
    schema_individual_card_pin_request: IndividualCardPinRequest,
    schema_individual_card_search_type: IndividualCardSearchType,
    schema_individual_card_status: IndividualCardStatus,
    schema_individual_card_top_up_ramp: IndividualCardTopUpRamp,
    schema_individual_card_top_up_token: IndividualCardTopUpToken,
    schema_individual_card_top_up_wallet: IndividualCardTopUpWallet,
    schema_individual_card_transaction: IndividualCardTransaction,
    schema_individual_card_transaction_operation: IndividualCardTransactionOperation,
    schema_individual_card_transaction_page: IndividualCardTransactionPage,
    schema_individual_card_type: IndividualCardType,
    schema_individual_card_type_option: IndividualCardTypeOption,
    schema_individual_card_virtual_balance_request: IndividualCardVirtualBalanceRequest,
    schema_individual_cards_blockchain: IndividualCardsBlockchain,
    schema_individual_cards_empty_answer: IndividualCardsEmptyAnswer,
    schema_individual_cards_holding_wallet_balance: IndividualCardsHoldingWalletBalance,
    schema_individual_cards_sort_order: IndividualCardsSortOrder,
    schema_update_ramp_transfer_request: UpdateRampTransferRequest,
    schema_update_virtual_wallet_request: UpdateVirtualWalletRequest,
    schema_virtual_wallet: VirtualWallet,
    schema_virtual_wallet_blockchain: VirtualWalletBlockchain,
    schema_virtual_wallet_id: VirtualWalletId,
    schema_virtual_wallet_movement: VirtualWalletMovement,
    schema_virtual_wallet_movement_operation: VirtualWalletMovementOperation,
    schema_virtual_wallet_movement_sort_order: VirtualWalletMovementSortOrder,
    schema_virtual_wallet_movements_page: VirtualWalletMovementsPage,
    schema_virtual_wallet_token_balance: VirtualWalletTokenBalance,
    schema_virtual_wallet_transfer_status: VirtualWalletTransferStatus,
    schema_virtual_wallet_withdrawal: VirtualWalletWithdrawal,
    schema_virtual_wallet_withdrawal_request: VirtualWalletWithdrawalRequest,
    schema_virtual_wallets_holding_wallet: VirtualWalletsHoldingWallet,
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
