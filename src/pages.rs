//! Pages as streams: the runtime of the `pages()` and `items()` methods the
//! generator gives the builder of every paginated operation
//! (`codegen/pages.rs`, from the spec's `x-pagination`; `openapi/DECISIONS.md`
//! D-RL4). It knows no operation: the generated code hands it how to fetch
//! a page at a place, and what a fetched page says of the next.
//!
//! The vendor's styles:
//! - `page_number`: pages numbered from 1, with `next_page` and
//!   `total_pages`;
//! - `page`: pages numbered from 0, with `total_pages`;
//! - `cursor`: a `paging_state_token` to send for the next page, absent on
//!   the last.
//!
//! A page is fetched only when the one before has been consumed, so a stream
//! holds one page at a time. The stream ends after the last page (an empty
//! page, no next page, the last of `total_pages`, no cursor, or a cursor or
//! page number that does not move on), or after an error, which it yields
//! first: nothing is skipped or repeated.

use std::future::Future;

use futures_core::Stream;
use futures_util::StreamExt as _;
use futures_util::stream;

use crate::{Error, ResponseValue};

/// Where a paginated operation's pages start and how they are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Numbered pages, the first being `first` (`page_number`: 1; `page`: 0).
    Numbered {
        /// The number of the first page.
        first: u32,
    },
    /// A cursor the answer gives for the next page.
    Cursor,
}

/// The page to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum At {
    /// The page of this number.
    Number(u32),
    /// The first page of a cursor: no cursor sent.
    Start,
    /// The page after this cursor.
    Token(String),
}

/// What a fetched page says of the next, read by the generated code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Seen {
    /// How many items it holds.
    pub(crate) items: usize,
    /// Its `next_page`, when it names one.
    pub(crate) next_number: Option<u32>,
    /// Its `total_pages`, when it says.
    pub(crate) total_pages: Option<u32>,
    /// Its cursor for the next page, when it gives one.
    pub(crate) next_token: Option<String>,
}

/// The page after `at`, from what the page fetched there says; `None` after
/// the last.
pub(crate) fn next(style: Style, at: &At, seen: &Seen) -> Option<At> {
    if seen.items == 0 {
        return None;
    }
    match (style, at) {
        (Style::Numbered { first }, At::Number(number)) => {
            if let Some(next) = seen.next_number {
                // A next page that does not move on would loop for ever.
                return (next > *number).then_some(At::Number(next));
            }
            match seen.total_pages {
                Some(total) => {
                    let last = first.saturating_add(total).checked_sub(1)?;
                    (*number < last).then(|| At::Number(number + 1))
                }
                // Nothing said: on until an empty page.
                None => number.checked_add(1).map(At::Number),
            }
        }
        (Style::Cursor, at) => {
            let token = seen.next_token.as_ref().filter(|t| !t.trim().is_empty())?;
            match at {
                At::Token(current) if current == token => None,
                _ => Some(At::Token(token.clone())),
            }
        }
        (Style::Numbered { .. }, _) => None,
    }
}

/// The pages of a paginated operation: `fetch` fetches the page at a place,
/// `seen` reads what a page says of the next.
pub(crate) fn pages<'a, P, E, F, Fut>(
    style: Style,
    fetch: F,
    seen: fn(&P) -> Seen,
) -> impl Stream<Item = Result<ResponseValue<P>, Error<E>>> + 'a
where
    F: FnMut(At) -> Fut + 'a,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + 'a,
    P: 'a,
    E: 'a,
{
    let start = match style {
        Style::Numbered { first } => At::Number(first),
        Style::Cursor => At::Start,
    };
    stream::unfold((Some(start), fetch), move |(at, mut fetch)| async move {
        let at = at?;
        match fetch(at.clone()).await {
            Ok(page) => {
                let after = next(style, &at, &seen(&page));
                Some((Ok(page), (after, fetch)))
            }
            // The error ends the stream.
            Err(error) => Some((Err(error), (None, fetch))),
        }
    })
}

/// The items of `pages`, in order, each page's taken out by `items` when the
/// one before is spent.
pub(crate) fn items<'a, P, T, E>(
    pages: impl Stream<Item = Result<ResponseValue<P>, Error<E>>> + 'a,
    items: fn(P) -> Vec<T>,
) -> impl Stream<Item = Result<T, Error<E>>> + 'a
where
    P: 'a,
    T: 'a,
    E: 'a,
{
    pages.flat_map(move |page| {
        let out: Vec<Result<T, Error<E>>> = match page {
            Ok(page) => items(page.into_inner()).into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        };
        stream::iter(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(items: usize, next_number: Option<u32>, total_pages: Option<u32>) -> Seen {
        Seen {
            items,
            next_number,
            total_pages,
            next_token: None,
        }
    }

    #[test]
    fn numbered_pages_end_where_the_page_says() {
        let from_1 = Style::Numbered { first: 1 };
        let from_0 = Style::Numbered { first: 0 };
        let at = |n| At::Number(n);
        // `next_page` names it; one that does not move on ends.
        assert_eq!(next(from_1, &at(1), &seen(10, Some(2), None)), Some(at(2)));
        assert_eq!(next(from_1, &at(2), &seen(10, Some(2), Some(9))), None);
        // `total_pages`, counted from the first page's number.
        assert_eq!(next(from_1, &at(2), &seen(10, None, Some(3))), Some(at(3)));
        assert_eq!(next(from_1, &at(3), &seen(10, None, Some(3))), None);
        assert_eq!(next(from_0, &at(1), &seen(10, None, Some(3))), Some(at(2)));
        assert_eq!(next(from_0, &at(2), &seen(10, None, Some(3))), None);
        assert_eq!(next(from_0, &at(0), &seen(10, None, Some(0))), None);
        // Neither: on until an empty page.
        assert_eq!(next(from_0, &at(7), &seen(1, None, None)), Some(at(8)));
        assert_eq!(next(from_0, &at(8), &seen(0, Some(9), Some(20))), None);
    }

    #[test]
    fn a_cursor_ends_when_absent_blank_or_the_same() {
        let with = |token: Option<&str>| Seen {
            items: 5,
            next_token: token.map(str::to_string),
            ..Seen::default()
        };
        let token = |t: &str| At::Token(t.to_string());
        assert_eq!(
            next(Style::Cursor, &At::Start, &with(Some("a"))),
            Some(token("a"))
        );
        assert_eq!(
            next(Style::Cursor, &token("a"), &with(Some("b"))),
            Some(token("b"))
        );
        assert_eq!(next(Style::Cursor, &token("a"), &with(Some("a"))), None);
        assert_eq!(next(Style::Cursor, &token("a"), &with(Some(" "))), None);
        assert_eq!(next(Style::Cursor, &token("a"), &with(None)), None);
        assert_eq!(next(Style::Cursor, &At::Start, &Seen::default()), None);
    }
}
