//! Deserializing from a string without allocating one first.
//!
//! serde's `Cow<str>` always deserializes into an owned `String`, so a type
//! that only reads its text (an open enum's known value, a timestamp that
//! keeps a copy of its own) paid for one allocation more than a plain `String`
//! field. A visitor reads the text where the deserializer has it: borrowed
//! from the input, or from its scratch buffer.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{Error, Visitor};

/// Deserializes a string and hands it to `read`, which makes the value.
pub(crate) fn from_str<'de, D, T, E, F>(
    deserializer: D,
    expecting: &'static str,
    read: F,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    E: fmt::Display,
    F: FnOnce(&str) -> Result<T, E>,
{
    struct Text<T, E, F> {
        expecting: &'static str,
        read: F,
        made: PhantomData<fn() -> Result<T, E>>,
    }

    impl<T, E: fmt::Display, F: FnOnce(&str) -> Result<T, E>> Visitor<'_> for Text<T, E, F> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }

        fn visit_str<X: Error>(self, text: &str) -> Result<T, X> {
            (self.read)(text).map_err(X::custom)
        }
    }

    deserializer.deserialize_str(Text {
        expecting,
        read,
        made: PhantomData,
    })
}
