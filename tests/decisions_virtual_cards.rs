//! The premises of the virtual-card decisions of `openapi/DECISIONS.md`
//! (D-C1 .. D-C8), checked against the captured pages. When one fails, a page
//! has changed under a decision: revisit the entry (and the spec) rather than
//! the test.

mod common;

use std::collections::BTreeSet;

use common::page::{Page, load};
use common::{field, spec_at};
use cryptomate::types::{
    Card3dsAuthorization, Card3dsAuthorizationRequest, CardPanHtml, CardPin, CardPinUpdate,
};
use serde_json::{Value, json};

const DIR: &str = "api-reference/cards/virtual-cards";
/// The card every page's curl example names.
const CARD: &str = "card_6f1e2a30-4a3c-4b2e-9a1d-5e8c9b7a1f23";
/// The pages whose answer is a card (D-C2).
const CARD_ANSWERS: [&str; 6] = [
    "list-cards",
    "get-card",
    "create-card",
    "delete-card",
    "set-limits",
    "reissue-card",
];

fn page(name: &str) -> Page {
    load(&format!("{DIR}/{name}.mdx"))
}

/// Every page of the group, by file name.
fn pages() -> Vec<(String, Page)> {
    let dir = common::page::captures_dir().join(DIR);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the virtual-card pages are captured")
        .map(|e| e.expect("an entry").path())
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .collect();
    names.sort();
    names.into_iter().map(|n| (n.clone(), page(&n))).collect()
}

/// A schema with its `$ref` (or the spec's `allOf: [$ref]`) resolved.
fn resolve(schema: &Value) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        return resolve(&spec_at(reference.trim_start_matches('#')));
    }
    match schema["allOf"].as_array() {
        Some(parts) if parts.len() == 1 => {
            let mut inner = resolve(&parts[0]);
            if let (Some(map), Some(outer)) = (inner.as_object_mut(), schema.as_object()) {
                for (k, v) in outer.iter().filter(|(k, _)| *k != "allOf") {
                    map.insert(k.clone(), v.clone());
                }
            }
            inner
        }
        _ => schema.clone(),
    }
}

fn schema(name: &str) -> Value {
    spec_at(&format!("/components/schemas/{name}"))
}

fn properties(schema: &Value) -> BTreeSet<String> {
    schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// The spec's operation of a page.
fn operation(page: &Page) -> Value {
    common::spec()["paths"][&page.path][page.method.to_lowercase()].clone()
}

/// The JSON type a page's field type means.
fn json_type(ty: &str) -> &str {
    match ty {
        "integer" | "long" => "integer",
        other => other,
    }
}

#[test]
fn the_card_pages_name_one_card() {
    // D-C1: every curl example names the card the spec's parameters give
    // as their example, and every card id a tab shows is it.
    let mut named = 0;
    for (name, page) in pages() {
        if let Some((_, value)) = page.path_values().into_iter().find(|(p, _)| p == "cardId") {
            assert_eq!(value, CARD, "D-C1: {name}");
            let parameter = operation(&page)["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .find(|p| p["name"] == "cardId")
                .cloned()
                .expect("cardId");
            assert_eq!(parameter["example"], CARD, "D-C1: {name}");
            assert_eq!(
                parameter["schema"]["$ref"], "#/components/schemas/CardId",
                "D-C1: {name}"
            );
            named += 1;
        }
        for tab in page.tabs.iter().filter(|t| t.status < 300) {
            let cards: Vec<&Value> = match &tab.body {
                Some(Value::Array(items)) => items.iter().collect(),
                Some(body) => vec![body],
                None => vec![],
            };
            for card in cards {
                for key in ["id", "card_id"] {
                    if let Some(id) = card.get(key).and_then(Value::as_str) {
                        assert_eq!(id, CARD, "D-C1: {name} {key}");
                    }
                }
            }
        }
    }
    assert_eq!(named, 21, "every page but List and Create names the card");
    assert!(cryptomate::types::CardId::new(CARD).is_ok());
    assert_eq!(schema("VirtualCard")["required"], json!(["id"]));
}

#[test]
fn every_card_answer_is_a_virtual_card() {
    // D-C2: the six answers that are a card show fields of one object.
    let card = schema("VirtualCard");
    let all = properties(&card);
    for name in CARD_ANSWERS {
        let page = page(name);
        let fields = page.fields("Response");
        for f in &fields {
            assert!(all.contains(&f.name), "D-C2: {name} lists {}", f.name);
            let spec = resolve(&card["properties"][&f.name]);
            assert_eq!(
                spec["type"].as_str(),
                Some(json_type(&f.ty)),
                "D-C2: {name} {}",
                f.name
            );
        }
        let listed: BTreeSet<String> = fields.iter().map(|f| f.name.clone()).collect();
        if matches!(name, "list-cards" | "get-card") {
            assert_eq!(listed, all, "D-C2: {name} lists every field of a card");
        } else {
            assert!(listed.len() < all.len(), "D-C2: {name} lists fewer fields");
        }
        let tab = page
            .tabs
            .iter()
            .find(|t| t.status == 200)
            .expect("a 200 tab");
        let body = tab.body.clone().expect("a body");
        let first = match body {
            Value::Array(items) => items.into_iter().next().expect("a card"),
            card => card,
        };
        for key in first.as_object().expect("a card").keys() {
            assert!(all.contains(key), "D-C2: {name}'s example shows {key}");
        }
        let answer = &operation(&page)["responses"]["200"]["content"]["application/json"]["schema"];
        let reference = answer["$ref"]
            .as_str()
            .or_else(|| answer["items"]["$ref"].as_str());
        assert_eq!(
            reference,
            Some("#/components/schemas/VirtualCard"),
            "D-C2: {name}"
        );
    }
    for (name, prose) in [
        ("set-limits", "Returns the updated virtual card object."),
        ("reissue-card", "Returns the reissued virtual card object."),
    ] {
        let section = page(name).section("Response").expect("a Response section");
        assert_eq!(section.prose, [prose], "D-C2: {name}");
    }
}

#[test]
fn the_card_fields_only_examples_show_are_the_examples() {
    // D-C3: `meta` names its fields in words only; the example shows them.
    let get = page("get-card");
    assert_eq!(
        field(&get.fields("Response"), "meta").description,
        "Additional metadata including email and OTP phone number."
    );
    let meta = get.tabs[0].body.as_ref().expect("a card")["meta"].clone();
    let keys = |v: &Value| -> BTreeSet<String> {
        v.as_object().expect("an object").keys().cloned().collect()
    };
    assert_eq!(keys(&meta), properties(&schema("VirtualCardMeta")));
    assert_eq!(
        keys(&meta["otp_phone_number"]),
        properties(&schema("CardOtpPhoneNumber"))
    );
    assert!(meta["otp_phone_number"]["dial_code"].is_i64());
    assert!(meta["otp_phone_number"]["phone_number"].is_string());
    // `metadata` is key-value pairs, its example a string.
    let create = page("create-card");
    assert!(
        field(&create.fields("Body"), "metadata")
            .description
            .contains("key-value pairs")
    );
    assert_eq!(
        create.request.as_ref().expect("a body")["metadata"],
        json!({"department": "engineering"})
    );
    assert_eq!(
        schema("CreateCardRequest")["properties"]["metadata"]["additionalProperties"],
        json!({"type": "string"})
    );
    // The ramps' fields are named in prose; the example's memo is null.
    let top_up = page("get-card-top-up-wallets");
    let ramps = field(&top_up.fields("Response"), "ramps")
        .description
        .clone();
    let ramp = schema("CardRamp");
    for name in properties(&ramp) {
        assert!(ramps.contains(&name), "D-C3: ramps name {name}");
    }
    let example = top_up.tabs[0].body.as_ref().expect("wallets");
    assert_eq!(example[0]["ramps"][0]["memo"], Value::Null);
    assert_eq!(ramp["properties"]["memo"]["nullable"], true);
    // No page lists the blockchains or tokens.
    for name in ["get-card-top-up-wallets", "rotate-deposit-wallet"] {
        for f in page(name).fields("Response") {
            assert!(
                !f.description.contains("Possible values"),
                "D-C3: {name} lists the values of {}",
                f.name
            );
        }
    }
    assert_eq!(
        schema("CardDepositWallet")["properties"]["blockchain"]["type"],
        "string"
    );
}

#[test]
fn the_top_up_method_is_spelled_two_ways() {
    // D-C4: the lists say TOP_UP, the delete page TOPUP.
    for name in ["list-cards", "get-card"] {
        assert!(
            field(&page(name).fields("Response"), "approval_method")
                .description
                .contains("NONE, WEBHOOK, TOP_UP, DEFI")
        );
    }
    let delete = page("delete-card");
    assert!(delete.text.concat().contains("is not TOPUP"));
    assert_eq!(
        delete.tabs[0].body.as_ref().expect("a card")["approval_method"],
        "TOPUP"
    );
    let known = &schema("CardApprovalMethod")["x-extensible-enum"];
    assert_eq!(
        known,
        &json!(["NONE", "WEBHOOK", "TOP_UP", "TOPUP", "DEFI"])
    );
    assert!(schema("CardApprovalMethod").get("enum").is_none());
    // Both spellings read as known values and write back as sent; a third
    // one is kept too.
    use cryptomate::types::CardApprovalMethod;
    for (text, known) in [
        ("TOP_UP", CardApprovalMethod::TopUp),
        ("TOPUP", CardApprovalMethod::Topup),
        ("TOP-UP", CardApprovalMethod::Other("TOP-UP".into())),
    ] {
        let read: CardApprovalMethod = serde_json::from_value(json!(text)).expect("readable");
        assert_eq!(read, known);
        assert_eq!(serde_json::to_value(&read).expect("writes"), json!(text));
    }
}

#[test]
fn card_secrets_never_show_in_debug() {
    // D-C5: the PIN, the PAN page's URL and the 3DS code.
    let pin = page("update-pin");
    assert!(
        field(&pin.fields("Body"), "pin")
            .description
            .contains("between 4 and 12 characters")
    );
    let secret = "SECRET-4821";
    let shown = [
        format!("{:?}", CardPinUpdate { pin: secret.into() }),
        format!(
            "{:?}",
            CardPin {
                pin: Some(secret.into())
            }
        ),
        format!(
            "{:?}",
            CardPanHtml {
                url: Some(secret.into())
            }
        ),
        format!(
            "{:?}",
            Card3dsAuthorizationRequest {
                code: secret.into(),
                approve: Some(true)
            }
        ),
        format!(
            "{:?}",
            Card3dsAuthorization {
                code: Some(secret.into()),
                approve: Some(true)
            }
        ),
    ];
    for debug in shown {
        assert!(!debug.contains(secret), "D-C5: {debug}");
    }
    for (schema_name, property) in [
        ("CardPinUpdate", "pin"),
        ("CardPin", "pin"),
        ("CardPanHtml", "url"),
        ("Card3dsAuthorizationRequest", "code"),
        ("Card3dsAuthorization", "code"),
    ] {
        let property = &schema(schema_name)["properties"][property];
        assert_eq!(
            property["allOf"][0]["$ref"], "#/components/schemas/SensitiveString",
            "D-C5: {schema_name}"
        );
        assert!(property.get("minLength").is_none());
    }
}

#[test]
fn the_fuse_404_is_empty() {
    // D-C6: the page's 404 has no body; the spec still declares ApiError.
    let get = page("get-risk-score-fuse");
    let tab = get
        .tabs
        .iter()
        .find(|t| t.status == 404)
        .expect("a 404 tab");
    assert!(tab.body.is_none(), "D-C6: the 404 tab now has a body");
    let declared = &operation(&get)["responses"]["404"]["content"]["application/json"]["schema"];
    assert_eq!(declared["$ref"], "#/components/schemas/ApiError");
}

#[test]
fn empty_and_bare_answers_are_the_tabs() {
    // D-C7: the tabs show `{}` where the prose says an empty body, and bare
    // numbers for the balances.
    for name in ["update-email", "update-phone", "set-frozen"] {
        let page = page(name);
        assert_eq!(
            page.section("Response").expect("a Response").prose,
            ["Returns HTTP 200 with an empty body on success."],
            "D-C7: {name}"
        );
        assert_eq!(page.tabs[0].body, Some(json!({})), "D-C7: {name}");
        let answer = &operation(&page)["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(answer["type"], "object", "D-C7: {name}");
        assert!(answer.get("properties").is_none(), "D-C7: {name}");
    }
    for name in [
        "override-virtual-balance",
        "add-virtual-balance",
        "subtract-virtual-balance",
    ] {
        let page = page(name);
        assert!(
            page.tabs[0].body.as_ref().is_some_and(Value::is_number),
            "D-C7: {name}"
        );
        let answer = &operation(&page)["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(answer, &json!({"type": "number", "format": "decimal"}));
    }
    let disarm = page("disarm-risk-score-fuse");
    assert!(disarm.tabs[0].body.is_none());
    assert!(
        operation(&disarm)["responses"]["204"]
            .get("content")
            .is_none()
    );
}

#[test]
fn the_balance_amounts_are_bounded_as_the_pages_say() {
    // D-C8: >= 0 for the override, > 0 for a change; the two decimals stay in
    // words; the key header is the page's, required.
    let override_page = page("override-virtual-balance");
    assert!(
        field(&override_page.fields("Body"), "virtual_balance")
            .description
            .contains("greater than or equal to 0")
    );
    let balance = &schema("CardVirtualBalanceOverride")["properties"]["virtual_balance"];
    assert_eq!(balance["minimum"], 0);
    assert!(balance.get("exclusiveMinimum").is_none());
    let amount = &schema("CardVirtualBalanceChange")["properties"]["amount"];
    assert_eq!(
        (&amount["minimum"], &amount["exclusiveMinimum"]),
        (&json!(0), &json!(true))
    );
    assert!(amount.get("multipleOf").is_none());
    for name in ["add-virtual-balance", "subtract-virtual-balance"] {
        let page = page(name);
        assert!(
            field(&page.fields("Body"), "amount")
                .description
                .contains("Must be greater than 0, with up to 2 decimal places.")
        );
        let headers = page.fields("Headers");
        assert!(field(&headers, "x-idempotency-key").required, "{name}");
        let declared = operation(&page)["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["in"] == "header")
            .cloned()
            .expect("a header parameter");
        assert_eq!(declared["name"], "x-idempotency-key");
        assert_eq!(declared["required"], true);
    }
}
