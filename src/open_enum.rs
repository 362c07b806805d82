//! Open enums: string sets the vendor may extend without notice.
//!
//! A closed Rust enum would fail to decode a whole response the day the vendor
//! adds a value, so these keep unknown values in an `Other` variant. They are
//! `#[non_exhaustive]`, so a later release can name a new value without
//! breaking a caller's `match`.
//!
//! The enums themselves are generated from the spec (`codegen/spec_types.rs`):
//! every schema of `type: string` with `x-extensible-enum` becomes one, its
//! known values the variants. This file holds what each of them implements,
//! written once: the generator emits the enum and one `open_enum_impls!`
//! invocation naming its variants and their wire text.

/// The impls of a generated open enum `$name`, whose variants are the unit
/// variants listed and `Other(String)`: wire text, `From<&str>`, `FromStr`
/// (infallible), `Display`, `Debug`, equality and hashing by wire text, serde,
/// and, with the `schemars` feature, a JSON Schema of a string whose examples
/// are the known values.
#[allow(
    unused_macros,
    reason = "only the generated types invoke it; a build without a product may have none"
)]
macro_rules! open_enum_impls {
    (
        $name:ident, $schema_name:literal, $description:literal {
            $($variant:ident = $text:literal,)*
        }
    ) => {
        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(other) => other,
                }
            }

            /// The values this version of the crate knows.
            pub const KNOWN: &'static [&'static str] = &[$($text),*];
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $($text => Self::$variant,)*
                    other => Self::Other(::std::string::ToString::to_string(other)),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(s))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $(Self::$variant => f.write_str(stringify!($variant)),)*
                    Self::Other(other) => f.debug_tuple("Other").field(other).finish(),
                }
            }
        }

        // Equality follows the wire text, so `Other("individual")` (which
        // only hand-made values can hold) equals `Individual`.
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl Eq for $name {}

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::str_de::from_str(deserializer, "a string", |text| {
                    ::std::result::Result::Ok::<_, std::convert::Infallible>(Self::from(text))
                })
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $schema_name.into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "description": $description,
                    "examples": [$($text),*]
                })
            }
        }
    };
}

#[allow(
    unused_imports,
    reason = "only the generated types invoke it; a build without a product may have none"
)]
pub(crate) use open_enum_impls;

#[cfg(test)]
#[allow(
    dead_code,
    reason = "the impls are written for public types; these private test types use some"
)]
mod tests {
    /// An open enum as the generator emits one, for the impls' own tests.
    #[derive(Clone)]
    #[non_exhaustive]
    enum Status {
        Pending,
        Active,
        Other(String),
    }

    open_enum_impls! {
        Status, "Status", "A status." {
            Pending = "PENDING",
            Active = "active",
        }
    }

    #[test]
    fn unknown_values_decode_and_round_trip() {
        let status: Status = serde_json::from_str("\"FROZEN\"").expect("decodes");
        assert_eq!(status, Status::Other("FROZEN".into()));
        assert_eq!(
            serde_json::to_string(&status).expect("encodes"),
            "\"FROZEN\""
        );
        let known: Status = serde_json::from_str("\"PENDING\"").expect("decodes");
        assert_eq!(known, Status::Pending);
        assert_eq!(format!("{known:?} {known}"), "Pending PENDING");
        assert_eq!("active".parse::<Status>(), Ok(Status::Active));
        assert_eq!(Status::KNOWN, ["PENDING", "active"]);
        // Equality is by wire text: a hand-made `Other` of a known value is it.
        assert_eq!(Status::Other("active".into()), Status::Active);
        let _ = Status::Active.as_str();
    }
}
