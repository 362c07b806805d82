//! An operation's request body as the generated request builders hold it.
//!
//! progenitor's builders keep a body inline as typify's field-by-field builder
//! (`types::builder::X`), so a whole body given to `.body(value)` was
//! converted into that builder and back at `send`, and copied whole each time
//! the operation's builder moved: the larger part of what a call cost over
//! hand-written code, by the profile in `BENCHMARKS.md`.
//! `codegen/rewrite/bodies.rs` makes the builders hold this instead: a body
//! given whole is sent as it is, and only `.body_map(…)` builds field by field.
//! Nothing public changes: the field is private, and `.body` and `.body_map`
//! keep their signatures and meaning.

use std::fmt;

/// A request body: none yet, given whole, or being built through typify's
/// builder. Both bodies are boxed: an operation's builder is moved by value
/// through each chained call and into `send`'s future, and a body inline
/// (1 KiB for the largest request) was copied on every move; a box is one
/// allocation and eight bytes to move (measured in `BENCHMARKS.md`).
#[derive(Debug, Clone, Default)]
pub(crate) enum Body<T, B> {
    /// Neither given nor built: sending fails with the builder's message
    /// about the missing required fields, as progenitor's empty builder does.
    #[default]
    Empty,
    /// Given whole to `.body(value)`: sent as it is.
    Whole(Box<T>),
    /// Being built through `.body_map(…)`: checked when sent.
    Building(Box<B>),
}

/// `.body(value)` stores `value` whole (the generated code's `From::from`).
impl<T, B> From<T> for Body<T, B> {
    fn from(value: T) -> Self {
        Body::Whole(Box::new(value))
    }
}

impl<T, B> Body<T, B>
where
    B: Default + From<T> + TryInto<T>,
    <B as TryInto<T>>::Error: fmt::Display,
{
    /// `.body_map(f)`: `f` edits the body through the builder, so a whole
    /// body becomes one being built.
    pub(crate) fn map(self, f: impl FnOnce(B) -> B) -> Self {
        let builder = match self {
            Body::Empty => B::default(),
            Body::Whole(value) => B::from(*value),
            Body::Building(builder) => *builder,
        };
        Body::Building(Box::new(f(builder)))
    }

    /// The body to send: a whole one as it is, a built one (or none) checked
    /// by the builder (its message names the field at fault).
    pub(crate) fn into_value(self) -> Result<T, String> {
        let builder = match self {
            Body::Whole(value) => return Ok(*value),
            Body::Empty => B::default(),
            Body::Building(builder) => *builder,
        };
        builder.try_into().map_err(|e| e.to_string())
    }
}
