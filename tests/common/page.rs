//! The captured vendor pages (`openapi/vendor/`, the vendor's MDX files) for
//! the root crate's tests, read with `vendor-pages`: the one grammar
//! `cargo xtask docs-diff` reads them with.
//!
//! It gives the tests what they hold the client to: the operation, the cURL
//! example (URL, headers, JSON body), the response examples, the prose, and the
//! fields with their `required` marks and children, as plain text. A page the
//! grammar cannot read panics naming the page and its problems, which is what
//! a test wants; docs-diff reports the same problems as findings.

use std::path::PathBuf;

use serde_json::Value;
use vendor_pages::mdx::{self, Content, ParamIn, SectionKind};

/// A field of one of the page's lists, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub ty: String,
    pub required: bool,
    /// The description's paragraphs, as plain text, joined by a newline.
    pub description: String,
    /// The fields nested inside it.
    pub children: Vec<Field>,
}

impl Field {
    fn of(field: &mdx::Field) -> Field {
        Field {
            name: field.name.clone(),
            ty: field.ty.clone(),
            required: field.required,
            description: field
                .description
                .lines()
                .map(mdx::plain)
                .collect::<Vec<_>>()
                .join("\n"),
            children: field.children.iter().map(Field::of).collect(),
        }
    }
}

/// A section of the page: its prose (plain text) and its fields.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub prose: Vec<String>,
    pub fields: Vec<Field>,
}

/// A response example: `json 201 Created` and its body (`None`: an empty
/// block, no body).
#[derive(Debug, Clone)]
pub struct Tab {
    pub status: u16,
    pub label: String,
    pub body: Option<Value>,
}

/// One captured API page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The path in the vendor's repository (`api-reference/.../x.mdx`).
    pub file: String,
    pub method: String,
    /// The path template of `api:`, `/management/clients/individuals/{id}`.
    pub path: String,
    /// The first cURL example's URL.
    pub url: String,
    /// Its headers, as written.
    pub headers: Vec<(String, String)>,
    /// Its JSON body.
    pub request: Option<Value>,
    /// The paragraphs before the first section and the callouts, as plain text.
    pub text: Vec<String>,
    pub tabs: Vec<Tab>,
    /// The page as the grammar read it.
    pub mdx: mdx::Page,
}

/// The folder of captures.
pub fn captures_dir() -> PathBuf {
    super::root().join("openapi/vendor")
}

/// Every captured file's path in the vendor's repository, sorted.
fn capture_files() -> Vec<String> {
    fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("openapi/vendor is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "mdx") {
                let relative = path.strip_prefix(root).expect("under the root");
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let root = captures_dir();
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    files.sort();
    files
}

/// Every captured API page (front matter with `api:`), sorted by path.
pub fn api_pages() -> Vec<Page> {
    capture_files()
        .iter()
        .filter_map(|file| {
            let text = std::fs::read_to_string(captures_dir().join(file))
                .expect("the capture is readable");
            let parsed = mdx::parse(&text);
            parsed.api().is_some().then(|| Page::of(file, parsed))
        })
        .collect()
}

/// The API pages whose operation the spec has.
pub fn spec_pages() -> Vec<Page> {
    let spec = super::spec();
    api_pages()
        .into_iter()
        .filter(|p| spec["paths"][&p.path][p.method.to_lowercase()].is_object())
        .collect()
}

/// One page by its path in the vendor's repository.
pub fn load(file: &str) -> Page {
    let text = std::fs::read_to_string(captures_dir().join(file))
        .unwrap_or_else(|e| panic!("openapi/vendor/{file}: {e}"));
    Page::of(file, mdx::parse(&text))
}

impl Page {
    /// The test's view of a parsed page; panics naming the page and its
    /// problems when the grammar could not read all of it.
    fn of(file: &str, page: mdx::Page) -> Page {
        assert!(
            page.problems.is_empty(),
            "openapi/vendor/{file}: {:#?}",
            page.problems
        );
        let api = page
            .api()
            .unwrap_or_else(|| panic!("openapi/vendor/{file}: no `api:`"))
            .value
            .clone();
        let (curl, data) = page
            .curls()
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("openapi/vendor/{file}: no cURL example"));
        let tabs = page
            .response_examples
            .iter()
            .filter_map(|b| {
                let body = match &b.content {
                    Content::Json(v) => Some(v.value.clone()),
                    Content::Empty => None,
                    _ => return None,
                };
                Some(Tab {
                    status: b.status?,
                    label: b.label.clone(),
                    body,
                })
            })
            .collect();
        let mut text: Vec<String> = page.intro.iter().map(|p| mdx::plain(&p.value)).collect();
        text.extend(page.callouts.iter().map(|c| mdx::plain(&c.text)));
        Page {
            file: file.to_string(),
            method: api.method,
            path: api.path,
            url: curl.url.value.clone(),
            headers: curl.headers.iter().map(|h| h.value.clone()).collect(),
            request: data.map(|d| d.value.clone()),
            text,
            tabs,
            mdx: page,
        }
    }

    /// The section of a heading (`Body`, `Response`, `Path parameters`).
    pub fn section(&self, heading: &str) -> Option<Section> {
        let kind = SectionKind::of(heading);
        let section = self.mdx.section(kind)?;
        Some(Section {
            prose: section.prose.iter().map(|p| mdx::plain(&p.value)).collect(),
            fields: section.fields.iter().map(Field::of).collect(),
        })
    }

    /// The fields under a heading (`Body`, `Response`, `Path parameters`), or
    /// none.
    pub fn fields(&self, heading: &str) -> Vec<Field> {
        let fields: Vec<&mdx::Field> = match SectionKind::of(heading).param_in() {
            Some(place) => self.mdx.params(place),
            None if SectionKind::of(heading) == SectionKind::Response => self.mdx.response_fields(),
            None => Vec::new(),
        };
        fields.into_iter().map(Field::of).collect()
    }

    /// The values the cURL URL gives the path template's parameters.
    pub fn path_values(&self) -> Vec<(String, String)> {
        let path = self.url_path();
        let template: Vec<&str> = self.path.split('/').collect();
        let actual: Vec<&str> = path.split('/').collect();
        assert_eq!(template.len(), actual.len(), "{}: URL and path", self.file);
        template
            .iter()
            .zip(actual)
            .filter_map(|(t, a)| {
                t.strip_prefix('{')
                    .and_then(|t| t.strip_suffix('}'))
                    .map(|name| (name.to_string(), a.to_string()))
            })
            .collect()
    }

    /// The path the cURL example requests.
    pub fn url_path(&self) -> String {
        let (_, rest) = self.url.split_once("://").expect("an absolute URL");
        let path = &rest[rest.find('/').expect("a path")..];
        path.split('?').next().unwrap_or(path).to_string()
    }

    /// Whether the page lists path parameters in `place`.
    pub fn has_params(&self, place: ParamIn) -> bool {
        !self.mdx.params(place).is_empty()
    }
}
