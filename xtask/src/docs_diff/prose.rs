//! What docs-diff reads in the vendor's prose: plain text from markdown, the
//! values a description lists, the nested fields a description names, and what
//! a `## Response` section's prose says the response is.
//!
//! These are the only places where the diff reads sentences rather than
//! structure; each recognises a few fixed phrasings the pages use and nothing
//! else, so that a sentence it does not know is left alone rather than guessed.

pub use vendor_pages::mdx::plain;

/// Whether two descriptions agree: as plain text, after normalizing case,
/// spacing and the final period, one contains the other (the spec may say more
/// than the page).
pub fn texts_agree(page: &str, spec: &str) -> bool {
    let normalize = |s: &str| plain(s).to_lowercase().trim_end_matches('.').to_string();
    let (page, spec) = (normalize(page), normalize(spec));
    page.contains(&spec) || spec.contains(&page)
}

/// The values a description lists as the field's: "Possible values: `a`, `b`,
/// `c`." (the whole set), or "(e.g., `a`, `b`, `c`)" (some of them). Values are
/// single words (`cards_individuals`, `pending`, `SSN`); a list with any other
/// item is prose, not a list of values. Returns the values and whether the list
/// is complete.
pub fn prose_enum(description: &str) -> Option<(Vec<String>, bool)> {
    let description = plain(description);
    let value = |s: &str| {
        let s = s.trim();
        (!s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .then(|| s.to_string())
    };
    let items = |list: &str| -> Option<Vec<String>> {
        let list = list.trim().trim_end_matches('.');
        list.split(',')
            .map(|part| {
                let part = part.trim();
                part.strip_prefix("and ")
                    .or_else(|| part.strip_prefix("or "))
                    .unwrap_or(part)
            })
            .map(value)
            .collect()
    };
    if let Some(at) = description.find("Possible values:") {
        let after = &description[at + "Possible values:".len()..];
        let end = after.find(". ").map_or(after.len(), |e| e + 1);
        return items(&after[..end]).map(|v| (v, true));
    }
    let at = description.find("(e.g., ")?;
    let after = &description[at + "(e.g., ".len()..];
    let end = after.find(')')?;
    let values = items(&after[..end])?;
    (values.len() > 1).then_some((values, false))
}

/// The nested fields a description's first paragraph names: "... with
/// \[fields\] `a`, `b` and `c`." or "..., each with `name` and `code`.".
pub fn nested_fields(description: &str) -> Vec<String> {
    let first = description.lines().next().unwrap_or_default();
    let first = plain(first);
    let Some(at) = first.rfind(" with ") else {
        return Vec::new();
    };
    let list = first[at + " with ".len()..].trim();
    let list = list.strip_prefix("fields ").unwrap_or(list);
    let list = list.strip_suffix('.').unwrap_or(list);
    let mut names = Vec::new();
    for part in list.split(", ") {
        for name in part.split(" and ") {
            let name = name.trim();
            let name = name.strip_prefix("and ").unwrap_or(name).trim();
            let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !identifier {
                return Vec::new();
            }
            names.push(name.to_string());
        }
    }
    if names.len() < 2 {
        return Vec::new();
    }
    names
}

/// What a `Response` section's prose says the response is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProseKind {
    /// "Returns an array of ..."
    Array,
    /// "Returns the ... object."
    Object,
    /// "Returns 204 No Content", "HTTP 204 with an empty body".
    NoContent,
}

impl ProseKind {
    /// How findings name it.
    pub fn as_str(self) -> &'static str {
        match self {
            ProseKind::Array => "an array",
            ProseKind::Object => "an object",
            ProseKind::NoContent => "204 No Content without a body",
        }
    }
}

/// The kind of response the prose states, where it states one.
pub fn prose_kind(prose: &str) -> Option<ProseKind> {
    let prose = plain(prose).to_lowercase();
    if prose.contains("204") && (prose.contains("no content") || prose.contains("empty body")) {
        Some(ProseKind::NoContent)
    } else if prose.contains("returns an array") || prose.contains("returns a list") {
        Some(ProseKind::Array)
    } else if prose.starts_with("returns ")
        && prose
            .split(['.', ';'])
            .next()
            .is_some_and(|sentence| sentence.ends_with(" object"))
    {
        Some(ProseKind::Object)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_as_the_page_shows_it() {
        assert_eq!(
            plain("Use [Get countries](/api/x) for `state` **codes**."),
            "Use Get countries for state codes."
        );
        assert!(texts_agree(
            "Client's date of birth (`yyyy-mm-dd`).",
            "Client's date of birth (yyyy-mm-dd)"
        ));
    }

    #[test]
    fn values_written_in_prose() {
        assert_eq!(
            prose_enum(
                "Product to enable. Possible values: `cards_individuals`, `ramps_cards`, `ramps_pix`."
            ),
            Some((
                vec![
                    "cards_individuals".into(),
                    "ramps_cards".into(),
                    "ramps_pix".into()
                ],
                true
            ))
        );
        assert_eq!(
            prose_enum("Account status (e.g., `pending`, `active`, `rejected`)."),
            Some((
                vec!["pending".into(), "active".into(), "rejected".into()],
                false
            ))
        );
        assert_eq!(
            prose_enum("Identification number (e.g., SSN, Tax ID)."),
            None
        );
        assert_eq!(prose_enum("Document type (e.g., `passport`)."), None);
    }

    #[test]
    fn nested_fields_named_in_prose() {
        assert_eq!(
            nested_fields("Client's physical address with `street_line1`, `city`, `country`."),
            vec!["street_line1", "city", "country"]
        );
        assert_eq!(
            nested_fields(
                "List of country subdivisions (states, provinces), each with `name` and `code`."
            ),
            vec!["name", "code"]
        );
        assert_eq!(
            nested_fields(
                "List of documents with fields `id`, `name`, and `number`.\n\n`number` is ..."
            ),
            vec!["id", "name", "number"]
        );
        assert!(nested_fields("Creates a client with personal information.").is_empty());
    }

    #[test]
    fn what_the_response_prose_says() {
        assert_eq!(
            prose_kind("Returns an array of individual client objects. See [x](/y)."),
            Some(ProseKind::Array)
        );
        assert_eq!(
            prose_kind("Returns HTTP 204 with an empty body on success."),
            Some(ProseKind::NoContent)
        );
        assert_eq!(
            prose_kind("Returns the updated client object."),
            Some(ProseKind::Object)
        );
        assert_eq!(prose_kind("The company's clients."), None);
    }
}
