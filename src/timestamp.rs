//! [`Timestamp`]: the API's date-times, which may come without a UTC offset.
//!
//! The vendor documents timestamps as ISO-8601 UTC, yet its own example shows
//! `2026-04-15T10:30:00` with no offset. A timestamp is therefore accepted with
//! or without an offset, a missing offset means UTC, and the text is kept as
//! received so that a value re-serializes exactly as it came.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant as the API sends it: ISO-8601, offset optional (UTC when absent).
///
/// Equality, ordering and hashing follow the instant, not the text:
/// `2026-04-15T10:30:00` equals `2026-04-15T10:30:00Z`.
#[derive(Clone)]
pub struct Timestamp {
    utc: DateTime<Utc>,
    raw: String,
}

/// A string that is not an ISO-8601 date-time.
// Display and Error by hand: the types carry no dependency beyond serde,
// serde_json and chrono (see the `client` feature), and schemars with the
// `schemars` feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    text: String,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid timestamp {:?}: expected an ISO-8601 date-time such as 2026-04-15T10:30:00 or 2026-04-15T10:30:00Z",
            self.text
        )
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// Parses `2026-04-15T10:30:00`, `2026-04-15T10:30:00.123Z` or
    /// `2026-04-15T12:30:00+02:00`; a missing offset means UTC.
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        // Decide by the text which parser applies rather than trying one and
        // falling back: decoding a response parses two timestamps, and the
        // failed attempt of a fallback cost as much as the rest of decoding
        // (measured in benches/compare.rs).
        let time = text.get(19..).unwrap_or("");
        let has_offset = time.ends_with(['Z', 'z']) || time.contains(['+', '-']);
        let utc = if has_offset {
            DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&Utc))
                .ok()
        } else {
            // The vendor's own form, `YYYY-MM-DDTHH:MM:SS`, is read directly;
            // anything else (fractions) goes through chrono. `T` is required,
            // as in the spec's pattern; chrono's `FromStr` would also take a
            // space.
            plain_utc(text).or_else(|| {
                let b = text.as_bytes();
                let shaped = b.len() > 19 && b[..4].iter().all(u8::is_ascii_digit) && b[10] == b'T';
                shaped
                    .then(|| text.parse::<NaiveDateTime>().ok())
                    .flatten()
                    .map(|t| t.and_utc())
            })
        };
        let utc = utc.ok_or_else(|| TimestampError {
            text: text.to_string(),
        })?;
        Ok(Self {
            utc,
            raw: text.to_string(),
        })
    }

    /// The instant, in UTC.
    pub fn utc(&self) -> DateTime<Utc> {
        self.utc
    }

    /// The text as received (or, for a timestamp made from a `DateTime`, its
    /// RFC 3339 form with `Z`).
    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

/// Reads exactly `YYYY-MM-DDTHH:MM:SS` (no fraction, no offset) as UTC;
/// `None` for any other text, including impossible dates.
fn plain_utc(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::try_from(number(0..4)?).ok()?,
        number(5..7)?,
        number(8..10)?,
    )?;
    let time = chrono::NaiveTime::from_hms_opt(number(11..13)?, number(14..16)?, number(17..19)?)?;
    Some(NaiveDateTime::new(date, time).and_utc())
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(utc: DateTime<Utc>) -> Self {
        Self {
            utc,
            raw: utc.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        }
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", self.raw)
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.utc == other.utc
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.utc.cmp(&other.utc)
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.utc.hash(state);
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::str_de::from_str(deserializer, "an ISO-8601 date-time", Self::parse)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An ISO-8601 date and time; UTC when it carries no offset.",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_offset_means_utc() {
        let naive = Timestamp::parse("2026-04-15T10:30:00").expect("naive");
        let zulu = Timestamp::parse("2026-04-15T10:30:00Z").expect("zulu");
        let plus_two = Timestamp::parse("2026-04-15T12:30:00+02:00").expect("offset");
        assert_eq!(naive, zulu);
        assert_eq!(naive, plus_two);
        assert_eq!(naive.utc().to_rfc3339(), "2026-04-15T10:30:00+00:00");
    }

    #[test]
    fn the_fast_path_agrees_with_chrono() {
        for text in [
            "2026-04-15T10:30:00",
            "1999-12-31T23:59:59",
            "2024-02-29T00:00:00",
        ] {
            let chrono = text.parse::<NaiveDateTime>().expect("chrono").and_utc();
            assert_eq!(plain_utc(text), Some(chrono), "{text}");
        }
        assert_eq!(plain_utc("2023-02-29T00:00:00"), None);
    }

    #[test]
    fn text_round_trips_unchanged() {
        for text in [
            "2026-04-15T10:30:00",
            "2026-04-15T10:30:00.250Z",
            "2026-04-15T12:30:00+02:00",
        ] {
            let json = serde_json::to_string(text).expect("string");
            let t: Timestamp = serde_json::from_str(&json).expect("decodes");
            assert_eq!(serde_json::to_string(&t).expect("encodes"), json);
        }
    }

    #[test]
    fn garbage_is_rejected_with_the_text() {
        let err = serde_json::from_str::<Timestamp>("\"yesterday\"").expect_err("bad");
        assert!(err.to_string().contains("invalid timestamp \"yesterday\""));
        assert!(Timestamp::parse("2026-04-15").is_err());
        assert!(Timestamp::parse("2026-04-15 10:30:00").is_err());
        assert!(Timestamp::parse("2026-04-15T10:30:00+0200").is_err());
        assert!(Timestamp::parse("2026-04-15T10:30").is_err());
        assert!(Timestamp::parse("2026-04-15T10:30:00Zjunk").is_err());
        assert!(Timestamp::parse("2026-02-30T10:30:00").is_err());
        assert!(Timestamp::parse("2026-04-15T24:30:00").is_err());
        assert!(Timestamp::parse("2026-04-15T1a:30:00").is_err());
        assert!(Timestamp::parse("+026-04-15T10:30:00").is_err());
    }

    #[test]
    fn from_datetime_is_rfc3339_zulu() {
        let t = Timestamp::from(
            DateTime::parse_from_rfc3339("2026-04-15T10:30:00Z")
                .expect("parse")
                .with_timezone(&Utc),
        );
        assert_eq!(t.as_str(), "2026-04-15T10:30:00Z");
    }
}
