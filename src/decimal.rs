//! Money: an exact decimal that is a JSON number on the wire
//! (`openapi/DECISIONS.md`, D22).
//!
//! Every `type: number, format: decimal` schema of the spec is this type in
//! the generated code (`codegen::settings`). It holds a
//! `rust_decimal::Decimal` (28 significant digits) and reads and writes the
//! number's digits as they are, never through `f64`: from JSON through
//! serde_json's raw values, whose text it parses, and into JSON as a raw
//! number of its digits. This keeps serde_json's number handling untouched for
//! the rest of a build (its `arbitrary_precision` feature would change it for
//! every crate).
//!
//! Not for: arithmetic of its own; `Deref` and the conversions give
//! `rust_decimal::Decimal`'s.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The name serde_json gives the newtype of a raw value: serde_json answers a
/// request for it with the value's text, exactly as it was in the document
/// (rust_decimal relies on serde_json's private number name the same way).
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// An exact decimal amount: a JSON number on the wire, read and written with
/// every digit and its scale (`1000.00` stays `1000.00`).
///
/// ```
/// let amount: cryptomate::Decimal = serde_json::from_str("12345678901234567.89").unwrap();
/// assert_eq!(serde_json::to_string(&amount).unwrap(), "12345678901234567.89");
/// assert_eq!(amount.to_string(), "12345678901234567.89");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decimal(pub rust_decimal::Decimal);

impl Decimal {
    /// The `rust_decimal::Decimal` it holds.
    pub fn get(self) -> rust_decimal::Decimal {
        self.0
    }
}

impl Deref for Decimal {
    type Target = rust_decimal::Decimal;

    fn deref(&self) -> &rust_decimal::Decimal {
        &self.0
    }
}

impl From<rust_decimal::Decimal> for Decimal {
    fn from(value: rust_decimal::Decimal) -> Self {
        Self(value)
    }
}

impl From<Decimal> for rust_decimal::Decimal {
    fn from(value: Decimal) -> Self {
        value.0
    }
}

impl From<i64> for Decimal {
    fn from(value: i64) -> Self {
        Self(value.into())
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Decimal {
    type Err = rust_decimal::Error;

    /// Parses `1000.00`, `-0.5` or `1e-7`; more than 28 significant digits
    /// is an error, not a rounding.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        rust_decimal::Decimal::from_str_exact(text)
            .or_else(|e| {
                if text.contains(['e', 'E']) {
                    rust_decimal::Decimal::from_scientific(text)
                } else {
                    Err(e)
                }
            })
            .map(Self)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A raw value is written by serde_json as its text: the digits, as a
        // number. `to_string` never writes an exponent, so the text is always
        // a valid JSON number.
        let raw = serde_json::value::RawValue::from_string(self.0.to_string())
            .map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE, DecimalVisitor)
    }
}

/// Reads serde_json's raw text of the value; from another deserializer (or
/// serde's buffering, as in an untagged enum), a number or a string.
struct DecimalVisitor;

impl DecimalVisitor {
    fn parse<E: de::Error>(text: &str) -> Result<Decimal, E> {
        let digits = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text);
        digits
            .parse()
            .map_err(|e| E::custom(format_args!("not an exact decimal: {e}")))
    }
}

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        // serde_json's raw value: one entry whose value is the text.
        let _: Option<de::IgnoredAny> = map.next_key()?;
        let text: std::borrow::Cow<'de, str> = map.next_value()?;
        Self::parse(&text)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
        Self::parse(text)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Decimal, E> {
        Ok(Decimal(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
        Ok(Decimal(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Decimal, E> {
        // Only a deserializer that already made the number an `f64` gets
        // here; its shortest text is the closest this can be.
        Self::parse(&value.to_string())
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Decimal {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "format": "decimal",
            "description": "An exact decimal amount: a JSON number, read and written with all its digits."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_scale_survive_json_both_ways() {
        for text in [
            "1000.00",
            "12345678901234567.89",
            "0.000000000000000001",
            "-5",
            "0",
        ] {
            let amount: Decimal = serde_json::from_str(text).expect(text);
            assert_eq!(serde_json::to_string(&amount).expect("writes"), text);
            // Through a `Value` too, as tests and the mock hold documents.
            let value = serde_json::to_value(amount).expect("a value");
            assert!(value.is_number(), "{value}");
        }
        // f64 cannot hold it: the premise of D22.
        let exact: Decimal = "12345678901234567.89".parse().expect("parses");
        assert_ne!(
            (12345678901234567.89_f64).to_string(),
            exact.to_string(),
            "f64 holds it, so the decimal type would be needless"
        );
    }

    #[test]
    fn inside_documents_and_from_strings_and_values() {
        #[derive(serde::Deserialize, serde::Serialize)]
        struct Body {
            amount: Decimal,
            fee: Option<Decimal>,
        }
        let body: Body =
            serde_json::from_str(r#"{"amount": 1000.10, "fee": "0.25"}"#).expect("decodes");
        assert_eq!(body.amount.to_string(), "1000.10");
        assert_eq!(body.fee.expect("a fee").to_string(), "0.25");
        assert_eq!(
            serde_json::to_string(&body).expect("encodes"),
            r#"{"amount":1000.10,"fee":0.25}"#
        );
        let from_value: Decimal = serde_json::from_value(serde_json::json!(2.5)).expect("a value");
        assert_eq!(from_value.to_string(), "2.5");
        assert!(serde_json::from_str::<Decimal>("\"abc\"").is_err());
        assert!(serde_json::from_str::<Decimal>("true").is_err());
        // Too many digits is refused, never rounded.
        assert!(
            "1.00000000000000000000000000001"
                .parse::<Decimal>()
                .is_err()
        );
    }

    #[test]
    fn untagged_buffering_still_reads_a_number() {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Either {
            Amount { amount: Decimal },
        }
        let Either::Amount { amount } =
            serde_json::from_str(r#"{"amount": 7.25}"#).expect("decodes");
        assert_eq!(amount.to_string(), "7.25");
    }
}
