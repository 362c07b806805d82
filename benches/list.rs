//! Decoding a large list response: 100,000 individual clients (the vendor's
//! list endpoints return every client in one JSON array, with no pagination)
//! through the generated types, against hand-written serde structs of the same
//! fields, in one run with interleaved rounds.
//!
//! Reports, for each: the median time per decode with its spread (p25–p75),
//! the allocations per decode, and the peak of memory held during a decode
//! above what was held before it, next to the body's size. The
//! `allocation-counter` crate's global allocator counts both; the timed rounds
//! run outside its measurement, the counted ones apart from them.
//!
//! `cargo bench --bench list` runs it; `cargo xtask bench` runs it as part of
//! `benches/run list` and writes the figures used in BENCHMARKS.md.

use std::time::Instant;

use serde::Deserialize;

const CLIENTS: usize = 100_000;
const ROUNDS: usize = 15;

// Hand-written types: what a careful engineer writes for this endpoint, with
// the same field types as the generated ones where they decode the same
// (dates as dates, ids and open sets as strings, timestamps kept as text).
#[derive(Deserialize)]
#[allow(dead_code, reason = "the fields are decoded to be measured, not read")]
struct HwAddress {
    street_line1: Option<String>,
    street_line2: Option<String>,
    city: Option<String>,
    postal_code: Option<String>,
    state: Option<String>,
    state_code: Option<String>,
    country: Option<String>,
    country_code: Option<String>,
}

/// The timestamps are `Ts`: `String` (kept as text) or, as the generated types
/// have them (they parse both), `chrono::NaiveDateTime`: the cost of the
/// generated code apart from the cost of parsing 200,000 timestamps.
#[derive(Deserialize)]
#[allow(dead_code, reason = "the fields are decoded to be measured, not read")]
struct HwClient<Ts> {
    id: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    status: Option<String>,
    first_name: Option<String>,
    second_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    birth_date: Option<chrono::NaiveDate>,
    address: Option<HwAddress>,
    created_at: Option<Ts>,
    updated_at: Option<Ts>,
}

#[path = "../tests/common/list_body.rs"]
mod list_body;
use list_body::list_body;

struct Counted {
    allocations: u64,
    peak_above: u64,
}

fn time<T>(decode: impl Fn(&[u8]) -> T, body: &[u8]) -> f64 {
    let start = Instant::now();
    let decoded = decode(body);
    let elapsed = start.elapsed();
    drop(decoded);
    elapsed.as_secs_f64() * 1e3
}

fn count<T>(decode: impl Fn(&[u8]) -> T, body: &[u8]) -> Counted {
    let mut decoded = None;
    let info = allocation_counter::measure(|| decoded = Some(decode(body)));
    drop(decoded);
    Counted {
        allocations: info.count_total,
        peak_above: info.bytes_max,
    }
}

fn quartiles(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    (at(0.25), at(0.5), at(0.75))
}

/// A decoded list, kept (to be dropped after the clock stops), and its length.
type Decoded = (usize, Box<dyn std::any::Any>);
type Decode = dyn Fn(&[u8]) -> Decoded;

fn decoded<T: serde::de::DeserializeOwned + 'static>(body: &[u8]) -> Decoded {
    let list: Vec<T> = serde_json::from_slice(body).expect("decodes");
    (list.len(), Box::new(list))
}

fn main() {
    let body = list_body(CLIENTS).into_bytes();
    let ours = |b: &[u8]| decoded::<cryptomate::types::IndividualClient>(b);
    let hand = |b: &[u8]| decoded::<HwClient<String>>(b);
    let typed = |b: &[u8]| decoded::<HwClient<chrono::NaiveDateTime>>(b);
    let decoders: [(&str, &Decode); 3] = [
        ("generated types", &ours),
        ("hand-written", &hand),
        ("hand-written, typed timestamps", &typed),
    ];
    // One warm-up each, and a check that each reads every client.
    for (name, decode) in decoders {
        assert_eq!(decode(&body).0, CLIENTS, "{name}");
    }

    // Each round starts with the next decoder, so that none always runs
    // first; the rounds' own ratios are taken between decodes moments apart.
    let mut ms = vec![Vec::new(); decoders.len()];
    for round in 0..ROUNDS {
        for i in (0..decoders.len()).map(|i| (round + i) % decoders.len()) {
            ms[i].push(time(decoders[i].1, &body));
        }
    }
    let mb = |bytes: u64| bytes as f64 / 1_048_576.0;
    let body_len = body.len() as u64;
    println!(
        "decode a list of {CLIENTS} clients, body {:.1} MiB, {ROUNDS} interleaved rounds",
        mb(body_len)
    );
    for ((name, decode), times) in decoders.iter().zip(&ms) {
        let counted = count(decode, &body);
        let (p25, median, p75) = quartiles(times.clone());
        println!(
            "list/{name}: {median:.1} ms (p25–p75 {p25:.1}–{p75:.1}); {} allocations ({:.1} per client); peak {:.1} MiB held beside the body = {:.2} × the body",
            counted.allocations,
            counted.allocations as f64 / CLIENTS as f64,
            mb(counted.peak_above),
            counted.peak_above as f64 / body_len as f64
        );
    }
    for (i, (name, _)) in decoders.iter().enumerate().skip(1) {
        let paired: Vec<f64> = ms[0].iter().zip(&ms[i]).map(|(a, b)| a / b).collect();
        let (p25, median, p75) = quartiles(paired);
        println!(
            "list/ratio ours / {name}: of the medians {:.3}; paired by round {median:.3} (p25–p75 {p25:.3}–{p75:.3})",
            quartiles(ms[0].clone()).1 / quartiles(ms[i].clone()).1
        );
    }
}
