//! Webhooks (`cryptomate::webhooks`): every event example of the vendor's
//! webhooks page verified and typed as its `(product, event_type)`; a
//! missing, wrong or differently-cased key refused; bodies that are not
//! JSON, cut short or of another shape refused without a panic; the key
//! compared in constant time (the code path read, not timed); the replies
//! as the page writes them; the authorization's deadline on a paused clock.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cryptomate::types::WebhookData;
use cryptomate::webhooks::{
    DEFAULT_AUTHORIZATION_BUDGET, DeclineCode, DeclineCodeError, Outcome, Reply, Verifier,
    VerifyError, WebhookKey, answer_authorization,
};
use http::HeaderMap;
use serde_json::Value;
use vendor_pages::mdx::{self, Content};

const KEY: &str = "wh_key_abc123xyz";
const PAGE: &str = "integration/webhooks.mdx";

/// The JSON examples of the webhooks page, each with its line.
fn page_examples() -> Vec<(usize, Value)> {
    let text = std::fs::read_to_string(common::page::captures_dir().join(PAGE))
        .expect("the webhooks page is captured");
    mdx::parse(&text)
        .code_blocks
        .into_iter()
        .filter_map(|block| match block.content {
            Content::Json(json) => Some((json.line, json.value)),
            _ => None,
        })
        .collect()
}

/// The page's event examples (those with an envelope).
fn page_events() -> Vec<(usize, Value)> {
    let events: Vec<_> = page_examples()
        .into_iter()
        .filter(|(_, v)| v.get("event_type").is_some())
        .collect();
    assert!(
        events.len() >= 14,
        "the page's event examples: {}",
        events.len()
    );
    events
}

fn headers(key: Option<&str>, timestamp: Option<u64>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(key) = key {
        headers.insert("X-Webhook-Key", key.parse().expect("a header value"));
    }
    if let Some(ms) = timestamp {
        headers.insert("X-Request-Timestamp", ms.into());
    }
    headers.insert("Content-Type", "application/json".parse().expect("a value"));
    headers
}

fn verifier() -> Verifier {
    Verifier::new(WebhookKey::new(KEY).expect("a key"))
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as u64
}

#[test]
fn every_event_example_of_the_page_is_verified_and_typed_as_its_event() {
    let verifier = verifier();
    for (line, example) in page_events() {
        let body = serde_json::to_vec(&example).expect("JSON");
        let event = verifier
            .verify(&headers(Some(KEY), Some(now_ms())), &body)
            .unwrap_or_else(|e| panic!("{PAGE}:{line}: {e}"));
        let (product, event_type) = (
            example["product"].as_str().expect("a product"),
            example["event_type"].as_str().expect("an event type"),
        );
        assert_eq!(event.data.kind(), (product, event_type), "{PAGE}:{line}");
        assert!(
            !matches!(event.data, WebhookData::Unknown(_)),
            "{PAGE}:{line}: ({product}, {event_type}) is not typed"
        );
        assert_eq!(event.product.to_string(), product);
        assert_eq!(event.event_type, event_type);
        assert_eq!(
            event.operation_id,
            example["operation_id"]
                .as_str()
                .expect("as the test sets it up")
        );
        assert_eq!(
            event.status.to_string(),
            example["status"].as_str().expect("as the test sets it up")
        );
    }
}

#[test]
fn the_typed_fields_are_the_examples() {
    let verifier = verifier();
    let authorization = page_events()
        .into_iter()
        .find(|(_, v)| v["event_type"] == "authorization")
        .expect("the authorization example")
        .1;
    let event = verifier
        .verify(
            &headers(Some(KEY), None),
            &serde_json::to_vec(&authorization).expect("as the test sets it up"),
        )
        .expect("verified");
    assert!(event.is_authorization());
    let WebhookData::CardsAuthorization(data) = &event.data else {
        panic!("an authorization: {:?}", event.data);
    };
    assert_eq!(data.card_id, "crd_123");
    assert_eq!(data.bill_amount.as_deref(), Some("42.50"));
    assert_eq!(
        data.merchant_data
            .as_ref()
            .and_then(|m| m.mcc_code.as_deref()),
        Some("5812")
    );
    assert!(data.decline_reason.is_none());

    let declined = page_events()
        .into_iter()
        .find(|(_, v)| v["event_type"] == "declined")
        .expect("the declined example")
        .1;
    let event = verifier
        .verify(
            &headers(Some(KEY), None),
            &serde_json::to_vec(&declined).expect("as the test sets it up"),
        )
        .expect("verified");
    let WebhookData::CardsDeclined(data) = &event.data else {
        panic!("a decline: {:?}", event.data);
    };
    let reason = data.decline_reason.as_ref().expect("a decline reason");
    assert_eq!(reason.code.as_deref(), Some("M102"));
}

#[test]
fn the_3ds_code_is_never_printed() {
    let (_, example) = page_events()
        .into_iter()
        .find(|(_, v)| v["event_type"] == "notification_3ds_authorization")
        .expect("the 3DS example");
    let event = verifier()
        .verify(
            &headers(Some(KEY), None),
            &serde_json::to_vec(&example).expect("as the test sets it up"),
        )
        .expect("verified");
    let WebhookData::CardsNotification3dsAuthorization(data) = &event.data else {
        panic!("a 3DS code: {:?}", event.data);
    };
    let code = example["data"]["code"]
        .as_str()
        .expect("as the test sets it up");
    assert_eq!(data.code.as_ref().map(|c| c.expose()), Some(code));
    // The operation id is the code in the page's example; the data's Debug
    // must not show it.
    assert!(!format!("{:?}", event.data).contains(code));
}

#[test]
fn a_velocity_block_is_deduplicated_on_the_fields_its_page_names() {
    let (_, example) = page_events()
        .into_iter()
        .find(|(_, v)| v["event_type"] == "card_blocked_by_velocity")
        .expect("the velocity example");
    let verify = |v: &Value| {
        verifier()
            .verify(
                &headers(Some(KEY), None),
                &serde_json::to_vec(v).expect("as the test sets it up"),
            )
            .expect("verified")
    };
    let first = verify(&example);
    let mut later = example.clone();
    later["data"]["blocked_at"] = "2026-05-01T10:00:00Z".into();
    let later = verify(&later);
    assert_eq!(
        first.operation_id, later.operation_id,
        "the card's id, twice"
    );
    assert_ne!(
        first.dedup_key(),
        later.dedup_key(),
        "two blocks of one card"
    );
    assert_eq!(
        first.dedup_key(),
        verify(&example).dedup_key(),
        "a redelivery"
    );
}

#[test]
fn an_event_the_spec_does_not_list_is_read_not_refused() {
    let body = serde_json::json!({
        "product": "cards",
        "event_type": "card_renewed",
        "operation_id": "op_1",
        "status": "success",
        "data": { "card_id": "crd_1", "pan": "4111111111111111" }
    });
    let event = verifier()
        .verify(
            &headers(Some(KEY), None),
            &serde_json::to_vec(&body).expect("as the test sets it up"),
        )
        .expect("an unknown event is still an event");
    let WebhookData::Unknown(unknown) = &event.data else {
        panic!("unknown: {:?}", event.data);
    };
    assert_eq!(event.data.kind(), ("cards", "card_renewed"));
    assert_eq!(unknown.data()["card_id"], "crd_1");
    // Its Debug names the fields and shows no value.
    let debug = format!("{event:?}");
    assert!(debug.contains("pan"), "{debug}");
    assert!(!debug.contains("4111111111111111"), "{debug}");
    // A new product too.
    let mut other = body.clone();
    other["product"] = "loyalty".into();
    let event = verifier()
        .verify(
            &headers(Some(KEY), None),
            &serde_json::to_vec(&other).expect("as the test sets it up"),
        )
        .expect("an unknown product is still an event");
    assert_eq!(event.product.to_string(), "loyalty");
}

#[test]
fn a_missing_wrong_or_differently_cased_key_is_refused() {
    let (_, example) = page_events().remove(0);
    let body = serde_json::to_vec(&example).expect("as the test sets it up");
    let verifier = verifier();
    let cases: [(Option<&str>, VerifyError); 6] = [
        (None, VerifyError::MissingKey),
        (Some("wh_key_abc123xyZ"), VerifyError::WrongKey),
        (Some("WH_KEY_ABC123XYZ"), VerifyError::WrongKey),
        (Some("wh_key_abc123xy"), VerifyError::WrongKey),
        (Some("wh_key_abc123xyz "), VerifyError::WrongKey),
        (Some(""), VerifyError::WrongKey),
    ];
    for (key, expected) in cases {
        let error = verifier
            .verify(&headers(key, None), &body)
            .expect_err("refused");
        assert_eq!(error, expected, "{key:?}");
        assert_eq!(error.status(), 401);
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(KEY) && !shown.contains("abc123"), "{shown}");
    }
    // The header's name is case-insensitive, as every HTTP header's.
    let mut upper = HeaderMap::new();
    upper.insert(
        "X-WEBHOOK-KEY",
        KEY.parse().expect("as the test sets it up"),
    );
    assert!(verifier.verify(&upper, &body).is_ok());
}

#[test]
fn the_key_never_prints() {
    let key = WebhookKey::new(KEY).expect("as the test sets it up");
    assert_eq!(format!("{key:?}"), "WebhookKey(<redacted>)");
    let verifier = Verifier::new(key);
    assert!(!format!("{verifier:?}").contains(KEY));
    assert!(WebhookKey::new("").is_err());
}

#[test]
fn a_body_that_is_not_json_or_cut_short_is_refused_without_a_panic() {
    let verifier = verifier();
    for (line, example) in page_events() {
        let body = serde_json::to_vec_pretty(&example).expect("as the test sets it up");
        for end in 0..body.len() {
            let error = verifier
                .verify(&headers(Some(KEY), None), &body[..end])
                .expect_err("a cut body");
            assert_eq!(error.status(), 400, "{PAGE}:{line} cut at {end}");
            assert!(
                matches!(
                    error,
                    VerifyError::NotJson { .. } | VerifyError::UnknownShape(_)
                ),
                "{PAGE}:{line} cut at {end}: {error}"
            );
        }
        let whole = String::from_utf8(body.clone()).expect("as the test sets it up");
        let cut = verifier
            .verify(&headers(Some(KEY), None), &body[..body.len() - 1])
            .expect_err("cut");
        assert!(
            matches!(
                cut,
                VerifyError::NotJson {
                    truncated: true,
                    ..
                }
            ),
            "{cut:?}"
        );
        // No message quotes the body.
        assert!(!cut.to_string().contains(&whole[..20]));
    }
    for body in [
        &b"<html>502 Bad Gateway</html>"[..],
        b"",
        b"\xff\xfe",
        b"null",
    ] {
        let error = verifier
            .verify(&headers(Some(KEY), None), body)
            .expect_err("not a webhook");
        assert_eq!(error.status(), 400, "{error}");
    }
}

#[test]
fn json_of_another_shape_names_the_path_not_the_value() {
    let (_, mut example) = page_events()
        .into_iter()
        .find(|(_, v)| v["event_type"] == "authorization")
        .expect("as the test sets it up");
    example["data"]["card_id"] = serde_json::json!({ "secret": "4111111111111111" });
    let error = verifier()
        .verify(
            &headers(Some(KEY), None),
            &serde_json::to_vec(&example).expect("as the test sets it up"),
        )
        .expect_err("a card id that is an object");
    let VerifyError::UnknownShape(shape) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(shape.path(), "data.card_id");
    assert!(!error.to_string().contains("4111"), "{error}");

    example["data"]
        .as_object_mut()
        .expect("as the test sets it up")
        .remove("card_id");
    let error = verifier()
        .verify(
            &headers(Some(KEY), None),
            &serde_json::to_vec(&example).expect("as the test sets it up"),
        )
        .expect_err("no card id");
    assert!(
        error.to_string().contains("missing field `card_id`"),
        "{error}"
    );

    let no_envelope = serde_json::json!({ "product": "cards" });
    let error = verifier()
        .verify(
            &headers(Some(KEY), None),
            &serde_json::to_vec(&no_envelope).expect("as the test sets it up"),
        )
        .expect_err("no envelope");
    assert!(matches!(error, VerifyError::UnknownShape(_)), "{error}");
}

#[test]
fn the_age_limit_reads_the_request_timestamp() {
    let (_, example) = page_events().remove(0);
    let body = serde_json::to_vec(&example).expect("as the test sets it up");
    let verifier = verifier().max_age(Duration::from_secs(300));
    let now = SystemTime::now();
    let ms = now
        .duration_since(UNIX_EPOCH)
        .expect("as the test sets it up")
        .as_millis() as u64;
    assert!(
        verifier
            .verify_at(&headers(Some(KEY), Some(ms - 299_000)), &body, now)
            .is_ok()
    );
    assert_eq!(
        verifier
            .verify_at(&headers(Some(KEY), Some(ms - 301_000)), &body, now)
            .expect_err("refused"),
        VerifyError::Stale {
            age_ms: 301_000,
            max_age_ms: 300_000
        }
    );
    assert!(matches!(
        verifier.verify_at(&headers(Some(KEY), Some(ms + 301_000)), &body, now),
        Err(VerifyError::Stale { .. })
    ));
    assert_eq!(
        verifier
            .verify_at(&headers(Some(KEY), None), &body, now)
            .expect_err("refused"),
        VerifyError::InvalidTimestamp
    );
    // The key is checked first: a stale request with a wrong key is a 401.
    assert_eq!(
        verifier
            .verify_at(&headers(Some("nope"), Some(0)), &body, now)
            .expect_err("refused"),
        VerifyError::WrongKey
    );
}

/// The key is compared in constant time: in `src/webhooks/verify.rs`, the
/// function `keys_match` compares through `subtle::ConstantTimeEq::ct_eq`,
/// verification calls it and nothing else on the key, and no `==`, `!=`,
/// `eq`, `cmp`, `starts_with` or `contains` touches an expression naming the
/// key or the header's value.
#[test]
fn the_key_is_compared_in_constant_time() {
    use syn::visit_mut::VisitMut;

    let path = common::root().join("src/webhooks/verify.rs");
    let mut file =
        syn::parse_file(&std::fs::read_to_string(&path).expect("as the test sets it up"))
            .expect("as the test sets it up");

    #[derive(Default)]
    struct Reader {
        function: String,
        ct_eq_in: Vec<String>,
        keys_match_called_in: Vec<String>,
        comparisons: Vec<String>,
    }
    fn names_key(tokens: &str) -> bool {
        ["key", "given", "expected"].iter().any(|word| {
            tokens
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|t| t == *word)
        })
    }
    impl VisitMut for Reader {
        fn visit_item_fn_mut(&mut self, f: &mut syn::ItemFn) {
            self.function = f.sig.ident.to_string();
            syn::visit_mut::visit_item_fn_mut(self, f);
        }
        fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
            self.function = f.sig.ident.to_string();
            syn::visit_mut::visit_impl_item_fn_mut(self, f);
        }
        fn visit_expr_binary_mut(&mut self, e: &mut syn::ExprBinary) {
            use quote::ToTokens;
            if matches!(
                e.op,
                syn::BinOp::Eq(_)
                    | syn::BinOp::Ne(_)
                    | syn::BinOp::Lt(_)
                    | syn::BinOp::Gt(_)
                    | syn::BinOp::Le(_)
                    | syn::BinOp::Ge(_)
            ) {
                let text = e.to_token_stream().to_string();
                if names_key(&text) {
                    self.comparisons.push(format!("{}: {text}", self.function));
                }
            }
            syn::visit_mut::visit_expr_binary_mut(self, e);
        }
        fn visit_expr_method_call_mut(&mut self, e: &mut syn::ExprMethodCall) {
            use quote::ToTokens;
            let method = e.method.to_string();
            if method == "ct_eq" {
                self.ct_eq_in.push(self.function.clone());
            } else if matches!(
                method.as_str(),
                "eq" | "ne" | "cmp" | "partial_cmp" | "starts_with" | "ends_with" | "contains"
            ) {
                let text = e.to_token_stream().to_string();
                if names_key(&text) {
                    self.comparisons.push(format!("{}: {text}", self.function));
                }
            }
            syn::visit_mut::visit_expr_method_call_mut(self, e);
        }
        fn visit_expr_call_mut(&mut self, e: &mut syn::ExprCall) {
            use quote::ToTokens;
            if e.func.to_token_stream().to_string() == "keys_match" {
                self.keys_match_called_in.push(self.function.clone());
            }
            syn::visit_mut::visit_expr_call_mut(self, e);
        }
        fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
            use quote::ToTokens;
            let name = m.path.to_token_stream().to_string();
            if name.contains("assert") && names_key(&m.tokens.to_string()) {
                self.comparisons.push(format!("{}: {name}!", self.function));
            }
        }
    }
    let mut reader = Reader::default();
    reader.visit_file_mut(&mut file);
    assert_eq!(
        reader.ct_eq_in,
        ["keys_match"],
        "ct_eq is in keys_match alone"
    );
    assert_eq!(
        reader.keys_match_called_in,
        ["verify_values"],
        "verification compares the key through keys_match"
    );
    assert!(
        reader.comparisons.is_empty(),
        "comparisons of the key outside subtle: {:?}",
        reader.comparisons
    );
    let uses = file.items.iter().any(|item| {
        use quote::ToTokens;
        matches!(item, syn::Item::Use(_))
            && item
                .to_token_stream()
                .to_string()
                .contains("subtle :: ConstantTimeEq")
    });
    assert!(uses, "verify.rs imports subtle::ConstantTimeEq");
}

#[test]
fn the_replies_are_written_as_the_page_says() {
    let reply =
        |r: &Reply| serde_json::from_slice::<Value>(&r.to_json()).expect("as the test sets it up");
    // The page's "Expected response" example.
    let expected = page_examples()
        .into_iter()
        .find(|(_, v)| v.get("response_code").is_some())
        .expect("the expected response")
        .1;
    assert_eq!(reply(&Reply::Acknowledge), expected);
    assert_eq!(
        reply(&Reply::Approve),
        serde_json::json!({"response_code": "00"})
    );
    assert_eq!(
        reply(&Reply::decline()),
        serde_json::json!({"response_code": "05"})
    );
    let insufficient = DeclineCode::new("51").expect("as the test sets it up");
    assert_eq!(
        reply(&Reply::Decline(insufficient)),
        serde_json::json!({"response_code": "51"})
    );
    assert_eq!(DeclineCode::new("00"), Err(DeclineCodeError::Approves));
    assert_eq!(DeclineCode::new("SUCCESS"), Err(DeclineCodeError::Approves));
    assert_eq!(DeclineCode::new(" "), Err(DeclineCodeError::Empty));
    assert_eq!(Reply::of_authorization("SUCCESS"), Reply::Approve);
    assert_eq!(Reply::of_authorization("00"), Reply::Approve);
    assert_eq!(Reply::of_authorization("05"), Reply::decline());
    assert_eq!(
        Reply::of_authorization("M102"),
        Reply::Decline(DeclineCode::new("M102").expect("as the test sets it up"))
    );
}

#[tokio::test(start_paused = true)]
async fn an_authorization_is_answered_within_its_budget_whatever_the_decision_does() {
    assert_eq!(
        DEFAULT_AUTHORIZATION_BUDGET,
        cryptomate::webhooks::AUTHORIZATION_DEADLINE - cryptomate::webhooks::AUTHORIZATION_MARGIN
    );
    let start = tokio::time::Instant::now();
    // A decision in time.
    let answer = answer_authorization(DEFAULT_AUTHORIZATION_BUDGET, async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        Ok::<_, ()>(Reply::Approve)
    })
    .await;
    assert_eq!(
        (answer.reply, answer.outcome),
        (Reply::Approve, Outcome::Decided)
    );
    assert_eq!(start.elapsed(), Duration::from_millis(300));

    // A decision that never comes: declined at the budget, not later.
    let start = tokio::time::Instant::now();
    let answer = answer_authorization(
        DEFAULT_AUTHORIZATION_BUDGET,
        std::future::pending::<Result<Reply, ()>>(),
    )
    .await;
    assert_eq!(
        (answer.reply, answer.outcome),
        (Reply::decline(), Outcome::Late)
    );
    assert_eq!(start.elapsed(), DEFAULT_AUTHORIZATION_BUDGET);
    assert!(start.elapsed() < cryptomate::webhooks::AUTHORIZATION_DEADLINE);

    // A decision just past the budget is late too.
    let answer = answer_authorization(DEFAULT_AUTHORIZATION_BUDGET, async {
        tokio::time::sleep(DEFAULT_AUTHORIZATION_BUDGET + Duration::from_millis(1)).await;
        Ok::<_, ()>(Reply::Approve)
    })
    .await;
    assert_eq!(answer.outcome, Outcome::Late);

    // A decision that fails: declined at once.
    let start = tokio::time::Instant::now();
    let answer = answer_authorization(DEFAULT_AUTHORIZATION_BUDGET, async {
        Err::<Reply, _>("db down")
    })
    .await;
    assert_eq!(
        (answer.reply, answer.outcome),
        (Reply::decline(), Outcome::Failed)
    );
    assert_eq!(start.elapsed(), Duration::ZERO);
}

/// D-W5's premise: the page's `authorization` and `declined` examples share
/// their `operation_id` (two events of one transaction), so deduplicating on
/// `operation_id` alone would drop the decline.
#[test]
fn two_events_of_one_transaction_share_an_operation_id() {
    let events = page_events();
    let of = |event_type: &str| {
        events
            .iter()
            .find(|(_, v)| v["event_type"] == event_type)
            .map(|(_, v)| v["operation_id"].clone())
            .expect("the example")
    };
    assert_eq!(of("authorization"), of("declined"));
    let verify = |event_type: &str| {
        let (_, v) = events
            .iter()
            .find(|(_, v)| v["event_type"] == event_type)
            .expect("as the test sets it up");
        verifier()
            .verify(
                &headers(Some(KEY), None),
                &serde_json::to_vec(v).expect("as the test sets it up"),
            )
            .expect("as the test sets it up")
    };
    assert_ne!(
        verify("authorization").dedup_key(),
        verify("declined").dedup_key()
    );
}

/// D-W6's premise: the page's deadline for an authorization's reply is
/// 1,200 ms, with no retry.
#[test]
fn the_authorization_deadline_is_the_pages() {
    let text = std::fs::read_to_string(common::page::captures_dir().join(PAGE))
        .expect("as the test sets it up");
    let row = text
        .lines()
        .find(|l| l.starts_with("| Card `authorization`"))
        .expect("the delivery table's authorization row");
    assert!(row.contains("1,200 ms hard deadline"), "{row}");
    assert!(row.contains("None"), "{row}");
    assert_eq!(
        cryptomate::webhooks::AUTHORIZATION_DEADLINE,
        Duration::from_millis(1_200)
    );
}

/// D-W2's premise: the page writes every amount of its examples as a JSON
/// string (`"42.50"`), never as a number.
#[test]
fn the_pages_amounts_are_strings() {
    fn walk(value: &Value, path: &str, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let p = format!("{path}.{k}");
                    let money = ["amount", "fees", "rate"].iter().any(|w| k.contains(w));
                    if money && v.is_number() {
                        out.push(p.clone());
                    }
                    walk(v, &p, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, path, out)),
            _ => {}
        }
    }
    let mut numbers = Vec::new();
    for (line, example) in page_events() {
        walk(&example, &format!("{PAGE}:{line}"), &mut numbers);
    }
    assert_eq!(numbers, Vec::<String>::new());
}

/// D-W6: the budget counts from the vendor's send (`X-Request-Timestamp`):
/// what the request spent on the way is not waited a second time; without
/// a timestamp, or with one from the future (clocks that disagree), the
/// whole budget, never more.
#[test]
fn the_budget_counts_from_the_vendors_send() {
    use cryptomate::webhooks::remaining_budget;
    let now = SystemTime::now();
    let budget = DEFAULT_AUTHORIZATION_BUDGET;
    let ms = Duration::from_millis;
    assert_eq!(remaining_budget(budget, None, now), budget);
    assert_eq!(
        remaining_budget(budget, Some(now - ms(150)), now),
        budget - ms(150)
    );
    assert_eq!(
        remaining_budget(budget, Some(now - ms(5_000)), now),
        Duration::ZERO
    );
    assert_eq!(remaining_budget(budget, Some(now + ms(300)), now), budget);
    // The verified event carries the send time.
    let (_, example) = page_events().remove(0);
    let sent = now_ms() - 150;
    let event = verifier()
        .verify(
            &headers(Some(KEY), Some(sent)),
            &serde_json::to_vec(&example).expect("as the test sets it up"),
        )
        .expect("as the test sets it up");
    assert_eq!(event.sent_at(), Some(UNIX_EPOCH + ms(sent)));
}
