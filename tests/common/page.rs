//! A small reader of the captured pages (`openapi/docs/*.txt`, format in
//! `openapi/docs/README.md`) for the root crate's tests.
//!
//! It reads only what the tests hold the client to: the method and path, the
//! curl example (URL, headers, JSON body), the response example tabs, the
//! prose, and the field lists with their `required` marks and child fields.
//! `cargo xtask docs-diff` has the full grammar and reports what does not
//! parse; this reader panics with the page and line instead, which is what a
//! test wants.

use std::path::PathBuf;

use serde_json::Value;

/// The type words of a field's type line.
pub const TYPES: &[&str] = &["integer", "long", "string", "boolean", "object", "array"];

/// Section headings of an API page, in page order.
pub const HEADINGS: &[&str] = &["Path parameters", "Query parameters", "Body", "Response"];

/// A field of one of the page's lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub ty: String,
    pub required: bool,
    /// The description's paragraphs joined by a newline.
    pub description: String,
    /// The fields the page folds under this one.
    pub children: Vec<Field>,
}

/// A list of the page: the prose lines before its first field, and the fields.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub prose: Vec<String>,
    pub fields: Vec<Field>,
}

/// An example tab after the closing curl: `201 Created` and its JSON.
#[derive(Debug, Clone)]
pub struct Tab {
    pub status: u16,
    pub label: String,
    pub body: Value,
}

/// One captured API page.
#[derive(Debug, Clone)]
pub struct Page {
    pub file: String,
    pub method: String,
    /// The path template, `/management/clients/individuals/{id}`.
    pub path: String,
    /// The curl example's URL.
    pub url: String,
    /// The curl example's headers, as written.
    pub headers: Vec<(String, String)>,
    /// The curl example's `-d` body.
    pub request: Option<Value>,
    /// The example shown before the page text.
    pub first_example: Value,
    /// The lines between the first example and the first heading.
    pub text: Vec<String>,
    pub sections: Vec<(String, Section)>,
    pub tabs: Vec<Tab>,
}

/// The folder of captures.
pub fn docs_dir() -> PathBuf {
    super::root().join("openapi/docs")
}

/// Every API page (a capture with a method line), sorted by file name.
pub fn api_pages() -> Vec<Page> {
    let mut files: Vec<_> = std::fs::read_dir(docs_dir())
        .expect("openapi/docs is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            let text = std::fs::read_to_string(p).expect("the capture is readable");
            is_api_page(&text).then(|| Page::parse(&name, &text))
        })
        .collect()
}

/// Whether a capture is an API page: its page text starts with a method.
pub fn is_api_page(text: &str) -> bool {
    body_lines(text)
        .get(1)
        .is_some_and(|l| ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&l.trim()))
}

/// One page by file name.
pub fn load(file: &str) -> Page {
    let text = std::fs::read_to_string(docs_dir().join(file))
        .unwrap_or_else(|e| panic!("openapi/docs/{file}: {e}"));
    Page::parse(file, &text)
}

/// The page text: without the leading `# source:` note.
fn body_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    if lines.first().is_some_and(|l| l.starts_with("# ")) {
        lines.remove(0);
    }
    lines
}

fn is_tab_label(line: &str) -> Option<u16> {
    let (code, rest) = line.split_once(' ')?;
    let status: u16 = code.parse().ok()?;
    ((100..600).contains(&status) && !rest.is_empty()).then_some(status)
}

impl Page {
    /// Parses a capture; panics naming the file and line where it cannot.
    pub fn parse(file: &str, text: &str) -> Page {
        let lines = body_lines(text);
        let at = At(file);
        // Chrome, method, then the path one segment a line up to the curl.
        let method = lines
            .get(1)
            .unwrap_or_else(|| at.fail(1, "no method"))
            .trim();
        let curl_at = lines
            .iter()
            .position(|l| l.starts_with("curl "))
            .unwrap_or_else(|| at.fail(0, "no curl example"));
        let path: String = lines[2..curl_at].concat();
        let (url, headers, request, after_curl) = parse_curl(&lines, curl_at, at);
        let (first_example, after_example) = parse_json(&lines, after_curl, at);
        let first_heading = lines[after_example..]
            .iter()
            .position(|l| HEADINGS.contains(&l.trim()))
            .map(|p| p + after_example)
            .unwrap_or_else(|| at.fail(after_example, "no field list heading"));
        let text: Vec<String> = lines[after_example..first_heading]
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.to_string())
            .collect();
        let closing_curl = lines[first_heading..]
            .iter()
            .position(|l| l.starts_with("curl "))
            .map(|p| p + first_heading)
            .unwrap_or_else(|| at.fail(first_heading, "no closing curl example"));
        let sections = parse_sections(&lines[first_heading..closing_curl]);
        let (_, _, _, mut i) = parse_curl(&lines, closing_curl, at);
        let mut tabs = Vec::new();
        while i < lines.len() {
            if lines[i].trim().is_empty() {
                i += 1;
                continue;
            }
            let status =
                is_tab_label(lines[i]).unwrap_or_else(|| at.fail(i, "expected a tab label"));
            let label = lines[i].to_string();
            let (body, next) = parse_json(&lines, i + 1, at);
            tabs.push(Tab {
                status,
                label,
                body,
            });
            i = next;
        }
        Page {
            file: file.to_string(),
            method: method.to_string(),
            path,
            url,
            headers,
            request,
            first_example,
            text,
            sections,
            tabs,
        }
    }

    /// The list under `heading`, if the page has it.
    pub fn section(&self, heading: &str) -> Option<&Section> {
        self.sections
            .iter()
            .find(|(h, _)| h == heading)
            .map(|(_, s)| s)
    }

    /// The fields under `heading`, or none.
    pub fn fields(&self, heading: &str) -> Vec<Field> {
        self.section(heading)
            .map(|s| s.fields.clone())
            .unwrap_or_default()
    }

    /// The values the curl URL gives the path template's parameters.
    pub fn path_values(&self) -> Vec<(String, String)> {
        let path = self
            .url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or_else(|| panic!("{}: the curl URL has a path", self.file));
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

    /// The path the curl example requests.
    pub fn url_path(&self) -> String {
        let (_, rest) = self.url.split_once("://").expect("an absolute URL");
        rest[rest.find('/').expect("a path")..].to_string()
    }
}

/// The page being read, to name it in a panic.
#[derive(Clone, Copy)]
struct At<'a>(&'a str);

impl At<'_> {
    /// Panics naming the file and the page line (index `i` of the page text,
    /// which starts on the capture's second line).
    fn fail(self, i: usize, what: &str) -> ! {
        panic!("openapi/docs/{}: page line {}: {what}", self.0, i + 2)
    }
}

type Curl = (String, Vec<(String, String)>, Option<Value>, usize);

/// Reads a curl example starting at `start`: `curl -X M "URL" \`, `-H "N: v" \`
/// lines, and `-d '{...}'`. Returns the index after it.
fn parse_curl(lines: &[&str], start: usize, at: At<'_>) -> Curl {
    let first = lines[start];
    let url = first
        .split('"')
        .nth(1)
        .unwrap_or_else(|| at.fail(start, "the curl line has no quoted URL"))
        .to_string();
    let mut headers = Vec::new();
    let mut body = None;
    let mut i = start;
    let mut continued = first.trim_end().ends_with('\\');
    while continued {
        i += 1;
        let line = lines
            .get(i)
            .unwrap_or_else(|| at.fail(i, "the curl example is cut short"))
            .trim();
        continued = line.ends_with('\\');
        if let Some(header) = line.strip_prefix("-H \"") {
            let header = header.trim_end_matches('\\').trim().trim_end_matches('"');
            let (name, value) = header
                .split_once(": ")
                .unwrap_or_else(|| at.fail(i, "a header without `: `"));
            headers.push((name.to_string(), value.to_string()));
        } else if let Some(rest) = line.strip_prefix("-d '") {
            let mut json = vec![rest.to_string()];
            while !json.last().is_some_and(|l| l.trim_end().ends_with('\'')) {
                i += 1;
                json.push(
                    lines
                        .get(i)
                        .unwrap_or_else(|| at.fail(i, "the curl body is not closed"))
                        .to_string(),
                );
            }
            let text = json.join("\n");
            let text = text.trim_end().trim_end_matches('\'');
            body = Some(
                serde_json::from_str(text)
                    .unwrap_or_else(|e| at.fail(i, &format!("the curl body is not JSON: {e}"))),
            );
            continued = false;
        } else {
            at.fail(i, "a curl line that is neither -H nor -d");
        }
    }
    (url, headers, body, i + 1)
}

/// Reads a JSON block from `start` (a line `{` or `[`) to its closing line at
/// column 0. Returns the value and the index after it.
fn parse_json(lines: &[&str], start: usize, at: At<'_>) -> (Value, usize) {
    let open = lines
        .get(start)
        .unwrap_or_else(|| at.fail(start, "a JSON example is missing"));
    let close = match open.trim() {
        "{" => "}",
        "[" => "]",
        _ => at.fail(start, "a JSON example must start with a line `{` or `[`"),
    };
    let end = lines[start..]
        .iter()
        .position(|l| *l == close)
        .map(|p| p + start)
        .unwrap_or_else(|| at.fail(start, "the JSON example is not closed"));
    let value = serde_json::from_str(&lines[start..=end].join("\n"))
        .unwrap_or_else(|e| at.fail(start, &format!("the JSON example does not parse: {e}")));
    (value, end + 1)
}

/// Splits the lines from the first heading to the closing curl into sections.
fn parse_sections(lines: &[&str]) -> Vec<(String, Section)> {
    let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
    for line in lines {
        if HEADINGS.contains(&line.trim()) && !line.starts_with(' ') {
            sections.push((line.trim().to_string(), Vec::new()));
        } else if !line.trim().is_empty() {
            sections.last_mut().expect("a heading first").1.push(line);
        }
    }
    sections
        .into_iter()
        .map(|(heading, lines)| (heading, parse_fields(&lines)))
        .collect()
}

/// Reads prose and fields: a field starts at a line followed by a type line.
fn parse_fields(lines: &[&str]) -> Section {
    let mut section = Section::default();
    let is_type = |i: usize| lines.get(i).is_some_and(|l| TYPES.contains(&l.trim()));
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if !is_type(i + 1) {
            // Prose before the first field, or a description paragraph.
            match section.fields.last_mut() {
                None => section.prose.push(line.trim().to_string()),
                Some(parent) => {
                    let target = match parent.children.last_mut() {
                        Some(child) if line.starts_with("  ") => child,
                        _ => parent,
                    };
                    target.description.push('\n');
                    target.description.push_str(line.trim());
                }
            }
            i += 1;
            continue;
        }
        let mut field = Field {
            name: line.trim().to_string(),
            ty: lines[i + 1].trim().to_string(),
            required: false,
            description: String::new(),
            children: Vec::new(),
        };
        i += 2;
        if lines.get(i).is_some_and(|l| l.trim() == "required") {
            field.required = true;
            i += 1;
        }
        if let Some(description) = lines.get(i).filter(|_| !is_type(i + 1)) {
            field.description = description.trim().to_string();
            i += 1;
        }
        if line.starts_with("  ") {
            section
                .fields
                .last_mut()
                .expect("a child field follows its parent")
                .children
                .push(field);
        } else {
            section.fields.push(field);
        }
    }
    for field in &mut section.fields {
        field.description = field.description.trim_start_matches('\n').to_string();
    }
    section
}
