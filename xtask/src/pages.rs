//! `cargo xtask pages`: every capture as the grammar (`vendor-pages`) reads it,
//! as one JSON document, for tools outside Rust (`.ci/mock-e2e.py` sends every
//! page's cURL examples from it), so that they need no second reader of the
//! vendor's MDX.
//!
//! The document lists the pages in navigation order, then the captures the
//! navigation does not list:
//!
//! ```json
//! { "pages": [ {
//!     "path": "api-reference/.../create-client.mdx",
//!     "api": "POST /management/clients/individuals",   // null for a guide
//!     "product": "management", "in_navigation": true, "guide": false,
//!     "curls": [ { "line": 122, "label": "cURL", "method": "POST", "url": "https://...",
//!                  "headers": [["x-api-key", "$CRYPTOMATE_API_KEY"]],
//!                  "data": "{...}", "json": { ... } } ],
//!     "responses": [ { "line": 144, "status": 201, "label": "201 Created",
//!                      "content": "json", "body": { ... } } ],
//!     "response_prose": ["Returns 204 No Content ..."],
//!     "problems": [ { "line": 3, "text": "...", "reason": "..." } ] } ] }
//! ```
//!
//! `curls` holds the cURL examples of `<RequestExample>` and, for a guide, its
//! other code blocks; `content` is `json`, `empty` (no body) or `text` (a
//! binary body, a program). It is not the place for judging a page (that is
//! docs-diff).

use serde_json::{Value, json};
use vendor_pages::Navigation;
use vendor_pages::mdx::{self, CodeBlock, Content, SectionKind};

use crate::Failure;
use crate::docs_diff::Captures;

/// The JSON document of every capture.
pub fn json(captures: &Captures) -> Value {
    let nav = captures
        .nav
        .as_ref()
        .and_then(|n| Navigation::parse(&n.text).ok());
    let order = |path: &str| {
        nav.as_ref()
            .and_then(|n| n.pages.iter().position(|p| p.file() == path))
            .unwrap_or(usize::MAX)
    };
    let mut pages: Vec<_> = captures.pages.iter().collect();
    pages.sort_by_key(|c| (order(&c.path), c.path.clone()));
    let pages: Vec<Value> = pages
        .into_iter()
        .map(|capture| {
            let page = mdx::parse(&capture.input.text);
            let nav_page = nav.as_ref().and_then(|n| n.page(&capture.path));
            let curls: Vec<Value> = page
                .request_examples
                .iter()
                .chain(page.code_blocks.iter())
                .filter_map(curl)
                .collect();
            let responses: Vec<Value> = page.response_examples.iter().map(response).collect();
            let prose: Vec<&str> = page
                .sections
                .iter()
                .filter(|s| s.kind == SectionKind::Response)
                .flat_map(|s| s.prose.iter().map(|p| p.value.as_str()))
                .collect();
            json!({
                "path": capture.path,
                "api": page.api().map(|a| a.value.to_string()),
                "product": nav_page.and_then(|p| p.product()),
                "in_navigation": nav_page.is_some(),
                "guide": nav_page.is_some_and(|p| p.is_guide()),
                "curls": curls,
                "responses": responses,
                "response_prose": prose,
                "problems": page.problems.iter().map(|p| json!({
                    "line": p.line, "text": p.text, "reason": p.reason,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "pages": pages })
}

fn curl(block: &CodeBlock) -> Option<Value> {
    let Content::Curl(curl, data) = &block.content else {
        return None;
    };
    Some(json!({
        "line": curl.line,
        "label": block.label,
        "method": curl.method,
        "url": curl.url.value,
        "headers": curl.headers.iter().map(|h| [&h.value.0, &h.value.1]).collect::<Vec<_>>(),
        "data": curl.data.as_ref().map(|d| &d.value),
        "json": data.as_ref().map(|d| &d.value),
    }))
}

fn response(block: &CodeBlock) -> Value {
    let (content, body) = match &block.content {
        Content::Json(v) => ("json", Some(&v.value)),
        Content::Empty => ("empty", None),
        _ => ("text", None),
    };
    json!({
        "line": block.line,
        "status": block.status,
        "label": block.label,
        "content": content,
        "body": body,
    })
}

/// Runs the command: prints the document of the captures of `docs` (default:
/// the project's).
pub fn run(docs: &[std::path::PathBuf]) -> Result<(), Failure> {
    let captures = crate::docs_diff::read_captures(docs, &[])?;
    let text = serde_json::to_string_pretty(&json(&captures))
        .map_err(|e| Failure::Run(format!("cannot print the pages: {e}")))?;
    println!("{text}");
    Ok(())
}
