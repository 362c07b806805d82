//! The grammar of a captured reference page (the format of `openapi/docs/README.md`).
//!
//! A page is read line by line. Each kind of line has a small grammar of its own,
//! written with winnow: the method, a path separator or segment, the first line of
//! the curl example, a `-H` header, the `-d` body, a field name, a field type, an
//! example tab's label, the headings. The layout of the page (which construct may
//! follow which) is a short sequence of stages. The JSON of the examples is read
//! by `serde_json` from the page's text itself, so that every value keeps the line
//! it starts on. Both the current format (parameter lists, `required` lines,
//! indented child fields, labelled example tabs, callouts, a `# source:` line)
//! and the older one (one unlabelled repeated example, no `required` lines) read.
//!
//! The parser never fails: every line is either part of a construct it extracted
//! (each with its line number) or a [`Problem`], which the diff turns into a
//! `page-unparsed-line` finding. A page that is not an API reference page (a guide,
//! the errors page: no method and path, no field list) is recognised as such and
//! not read further. It is not the place for comparing the page with the spec;
//! that is `compare.rs`.

use serde_json::Value;
use winnow::ascii::{digit1, space0, space1};
use winnow::combinator::{alt, delimited, eof, opt, preceded, separated, terminated};
use winnow::prelude::*;
use winnow::token::{one_of, rest, take_till, take_until, take_while};

/// A value and the 1-based line of the page it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The 1-based line.
    pub line: usize,
    /// The value.
    pub value: T,
}

/// Everything the grammar extracted from a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The capture's source note (a leading `# ` line), which is not page text.
    pub source: Option<Located<String>>,
    /// When the page is not an API reference page: its title (first line of text).
    pub not_api: Option<Located<String>>,
    /// The HTTP method, upper case.
    pub method: Option<Located<String>>,
    /// The path, joined from its lines (`/management/clients`).
    pub path: Option<Located<String>>,
    /// The curl examples in page order: the first, then its repetition.
    pub requests: Vec<CurlExample>,
    /// The example shown beside the first curl (the page does not say its status).
    pub example: Option<Located<Value>>,
    /// The example tabs after the repeated curl, in page order. The older format
    /// has one tab without a label.
    pub tabs: Vec<Tab>,
    /// The description: its paragraphs other than callouts, joined by a space.
    pub description: Option<Located<String>>,
    /// The description's paragraphs other than callouts, one a line.
    pub paragraphs: Vec<Located<String>>,
    /// The Deprecated callout, when the page has one.
    pub deprecated: Option<Located<String>>,
    /// The `Path parameters` list.
    pub path_parameters: Option<FieldList>,
    /// The `Query parameters` list.
    pub query_parameters: Option<FieldList>,
    /// The `Body` list, when the page has one.
    pub body: Option<FieldList>,
    /// The `Response` list, when the page has one.
    pub response: Option<FieldList>,
    /// Every line the grammar could not classify, and every construct that was
    /// malformed, in page order.
    pub problems: Vec<Problem>,
}

/// One example tab: `201 Created` and its JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Tab {
    /// The line of the label, or of the body when the tab has no label.
    pub line: usize,
    /// The status of the label (`201`); `None` for the older format's unlabelled tab.
    pub status: Option<u16>,
    /// The label (`201 Created`).
    pub label: Option<String>,
    /// The body; `None` when the tab's body is missing or not JSON (a problem says which).
    pub body: Option<Located<Value>>,
}

/// A `Path parameters`, `Query parameters`, `Body` or `Response` list.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldList {
    /// The line of the heading.
    pub line: usize,
    /// Prose lines before the first field (`Returns an array of ...`).
    pub prose: Vec<Located<String>>,
    /// The fields in page order, children after their parent.
    pub fields: Vec<Field>,
}

impl FieldList {
    /// The dotted path of a field: `address.city`, `data[].name` (a child of an
    /// array field is a field of its items).
    pub fn path_of(&self, index: usize) -> String {
        let field = &self.fields[index];
        match field.parent {
            None => field.name.clone(),
            Some(parent) => {
                let array = if self.fields[parent].ty == "array" {
                    "[]"
                } else {
                    ""
                };
                format!("{}{array}.{}", self.path_of(parent), field.name)
            }
        }
    }
}

/// One field of a list: name, type, `required`, description.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field name, on `line`.
    pub name: String,
    /// The line of the name.
    pub line: usize,
    /// The type word (`integer`, `long`, `string`, ...), on `line + 1`.
    pub ty: String,
    /// Whether the page marks it `required`.
    pub required: bool,
    /// The description (its paragraphs joined by a space).
    pub description: String,
    /// The line of the description's first paragraph.
    pub description_line: usize,
    /// Nested fields the description names ("... object with a, b, c."), in order.
    pub nested: Vec<String>,
    /// The index of the parent field in the list, for a child field.
    pub parent: Option<usize>,
}

/// The curl example of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct CurlExample {
    /// The line of `curl -X ...`.
    pub line: usize,
    /// The method after `-X`.
    pub method: String,
    /// The quoted URL.
    pub url: String,
    /// The `-H` headers, name and value, each with its line.
    pub headers: Vec<Located<(String, String)>>,
    /// The `-d` body, when there is one.
    pub data: Option<Located<Value>>,
}

/// A line or construct the grammar could not accept.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The 1-based line.
    pub line: usize,
    /// The text of the line, trimmed.
    pub text: String,
    /// Why it was not accepted.
    pub reason: String,
}

/// The type words a list may use.
pub const TYPES: &[&str] = &[
    "integer", "long", "number", "string", "boolean", "object", "array",
];

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
];

/// The page chrome that opens a capture.
const CHROME: &str = "Skip to main content";

/// The headings of the field lists, in page order.
const HEADINGS: [&str; 4] = ["Path parameters", "Query parameters", "Body", "Response"];

/// Parses a page. Never fails: what it cannot read becomes a [`Problem`].
pub fn parse(text: &str) -> Page {
    let mut reader = Reader::new(text);
    reader.run();
    reader.page
}

/// A line of the page: its 1-based number, its byte offset in the page, its text
/// without the line ending.
#[derive(Clone, Copy)]
struct Line<'a> {
    number: usize,
    offset: usize,
    text: &'a str,
}

/// The stages of a page, in the order the format gives them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Stage {
    Chrome,
    Method,
    Path,
    Curl,
    Json,
    Description,
    PathParameters,
    QueryParameters,
    Body,
    Response,
    RepeatedCurl,
    Tabs,
}

impl Stage {
    fn heading(self) -> Option<&'static str> {
        match self {
            Stage::PathParameters => Some(HEADINGS[0]),
            Stage::QueryParameters => Some(HEADINGS[1]),
            Stage::Body => Some(HEADINGS[2]),
            Stage::Response => Some(HEADINGS[3]),
            _ => None,
        }
    }
}

/// The stages a line of their own opens, in page order.
const OPENED_BY_A_LINE: [Stage; 12] = [
    Stage::Chrome,
    Stage::Method,
    Stage::Path,
    Stage::Curl,
    Stage::Json,
    Stage::Description,
    Stage::PathParameters,
    Stage::QueryParameters,
    Stage::Body,
    Stage::Response,
    Stage::RepeatedCurl,
    Stage::Tabs,
];

struct Reader<'a> {
    text: &'a str,
    lines: Vec<Line<'a>>,
    pos: usize,
    stage: Stage,
    page: Page,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        let mut lines = Vec::new();
        let mut offset = 0;
        for (i, raw) in text.split_inclusive('\n').enumerate() {
            let body = raw.strip_suffix('\n').unwrap_or(raw);
            let body = body.strip_suffix('\r').unwrap_or(body);
            lines.push(Line {
                number: i + 1,
                offset,
                text: body,
            });
            offset += raw.len();
        }
        Reader {
            text,
            lines,
            pos: 0,
            stage: Stage::Chrome,
            page: Page::default(),
        }
    }

    fn run(&mut self) {
        self.metadata();
        if self.not_api() {
            return;
        }
        while let Some(line) = self.lines.get(self.pos).copied() {
            if line.text.trim().is_empty() {
                // Blank lines separate constructs; they carry nothing.
                self.pos += 1;
                continue;
            }
            // The stage this line starts, if it starts one at or after the current
            // stage; a stage that is skipped is simply absent from the page, which
            // the diff reports as a missing section.
            match self.start_of(line.text.trim()) {
                Some(stage) => self.parse_stage(stage, line),
                None if self.stage == Stage::Description => self.description(),
                None => self.unparsed(line, "not part of any section of the page format"),
            }
        }
    }

    /// The leading `# ` lines: the capture's notes, not page text.
    fn metadata(&mut self) {
        while let Some(line) = self.lines.get(self.pos) {
            let Some(note) = line.text.strip_prefix("# ") else {
                break;
            };
            if self.page.source.is_none() {
                self.page.source = Some(Located {
                    line: line.number,
                    value: note.trim().to_string(),
                });
            }
            self.pos += 1;
        }
    }

    /// Whether the page is not an API reference page: it has text, yet no method
    /// followed by a path and no field-list heading. Such a page (a guide, the
    /// errors page) is plain text whose statements are not in a form this
    /// grammar can read with certainty; its title is kept for the note.
    fn not_api(&mut self) -> bool {
        let rest = &self.lines[self.pos..];
        let content: Vec<&Line<'a>> = rest
            .iter()
            .filter(|l| !l.text.trim().is_empty() && l.text.trim() != CHROME)
            .collect();
        let Some(title) = content.first() else {
            return false;
        };
        let api = content.windows(2).any(|pair| {
            method_line.parse(pair[0].text.trim()).is_ok() && pair[1].text.trim() == "/"
        }) || content.iter().any(|l| HEADINGS.contains(&l.text.trim()));
        if !api {
            self.page.not_api = Some(Located {
                line: title.number,
                value: title.text.trim().to_string(),
            });
        }
        !api
    }

    /// Which stage a line opens, considering only the stages still ahead.
    fn start_of(&self, text: &str) -> Option<Stage> {
        OPENED_BY_A_LINE
            .iter()
            .copied()
            .filter(|stage| *stage >= self.stage)
            .find(|stage| opens(*stage, text))
    }

    fn parse_stage(&mut self, stage: Stage, line: Line<'a>) {
        match stage {
            Stage::Chrome => {
                self.pos += 1;
                self.stage = Stage::Method;
            }
            Stage::Method => {
                self.page.method = Some(Located {
                    line: line.number,
                    value: line.text.trim().to_string(),
                });
                self.pos += 1;
                self.stage = Stage::Path;
            }
            Stage::Path => self.path(line),
            Stage::Curl | Stage::RepeatedCurl => {
                self.curl(line);
                self.stage = if stage == Stage::Curl {
                    Stage::Json
                } else {
                    Stage::Tabs
                };
            }
            Stage::Json => {
                self.page.example = self.json(line, line.offset, "response example");
                self.stage = Stage::Description;
            }
            Stage::Description => self.description(),
            Stage::PathParameters | Stage::QueryParameters | Stage::Body | Stage::Response => {
                self.list(stage, line);
            }
            Stage::Tabs => {
                self.stage = Stage::Tabs;
                self.tab(line);
            }
        }
    }

    fn problem(&mut self, line: Line<'a>, reason: &str) {
        self.page.problems.push(Problem {
            line: line.number,
            text: line.text.trim().to_string(),
            reason: reason.to_string(),
        });
    }

    fn unparsed(&mut self, line: Line<'a>, reason: &str) {
        self.problem(line, reason);
        self.pos += 1;
    }

    /// The path: `/` and segment lines alternating, starting with `/`.
    fn path(&mut self, first: Line<'a>) {
        let mut path = String::new();
        let mut expect_separator = true;
        while let Some(line) = self.lines.get(self.pos) {
            let text = line.text.trim();
            let accepted = if expect_separator {
                text == "/"
            } else {
                path_segment.parse(text).is_ok()
            };
            if !accepted {
                break;
            }
            path.push_str(text);
            expect_separator = !expect_separator;
            self.pos += 1;
        }
        self.page.path = Some(Located {
            line: first.number,
            value: path,
        });
        self.stage = Stage::Curl;
    }

    /// A curl example: the `curl -X` line, `-H` lines, an optional `-d` body.
    fn curl(&mut self, first: Line<'a>) {
        self.pos += 1;
        let Ok((method, url, mut continues)) = curl_line.parse(first.text.trim()) else {
            // `start_of` only sends lines the grammar accepts here.
            self.problem(first, "not a curl command line");
            return;
        };
        let mut example = CurlExample {
            line: first.number,
            method: method.to_string(),
            url: url.to_string(),
            headers: Vec::new(),
            data: None,
        };
        while continues {
            let Some(line) = self.lines.get(self.pos).copied() else {
                break;
            };
            let text = line.text.trim();
            if let Ok((name, value, more)) = header_line.parse(text) {
                example.headers.push(Located {
                    line: line.number,
                    value: (name.trim().to_string(), value.to_string()),
                });
                continues = more;
                self.pos += 1;
            } else if let Ok(prefix) = data_start.parse(line.text) {
                example.data = self.curl_data(line, prefix);
                continues = false;
            } else {
                // The command promised a continuation and this line is none: the
                // line is reported and the command ends here.
                self.unparsed(line, "a line of the curl example that is neither -H nor -d");
                continues = false;
            }
        }
        self.page.requests.push(example);
    }

    /// The JSON of `-d '...'`, read from the page text after the opening quote.
    fn curl_data(&mut self, line: Line<'a>, prefix: usize) -> Option<Located<Value>> {
        let value = self.json(line, line.offset + prefix, "request example")?;
        // The closing quote ends the line the JSON ends on; `json` has moved past
        // that line, so look back at it.
        let end_line = self.lines.get(self.pos.saturating_sub(1)).copied()?;
        if !end_line.text.trim_end().ends_with('\'') {
            self.problem(end_line, "the -d body does not end with a closing quote");
        }
        Some(value)
    }

    /// One JSON value starting at byte `start` (on `line`), read by serde_json.
    /// On success the parser moves past the line the value ends on; the rest of
    /// that line must be empty, or a `'` closing a curl body.
    fn json(&mut self, line: Line<'a>, start: usize, what: &str) -> Option<Located<Value>> {
        let source = self.text.get(start..).unwrap_or("");
        let mut stream = serde_json::Deserializer::from_str(source).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                let end = start + stream.byte_offset();
                let end_index = self.index_of_offset(end.saturating_sub(1));
                let end_line = self.lines[end_index];
                let tail = self
                    .text
                    .get(end..end_line.offset + end_line.text.len())
                    .unwrap_or("")
                    .trim();
                self.pos = end_index + 1;
                if !(tail.is_empty() || tail == "'") {
                    self.problem(end_line, &format!("text after the end of the {what}"));
                }
                Some(Located {
                    line: line.number,
                    value,
                })
            }
            Some(Err(e)) => {
                // serde_json counts lines from `start`, which is on `line`.
                let error_index = (line.number.saturating_sub(1) + e.line().saturating_sub(1))
                    .min(self.lines.len().saturating_sub(1));
                let at = self.lines[error_index];
                self.problem(
                    at,
                    &format!(
                        "the {what} starting on line {} is not JSON: {e}",
                        line.number
                    ),
                );
                // The lines up to the error were read as JSON; the rest is
                // classified afresh.
                self.pos = error_index.max(self.pos) + 1;
                None
            }
            None => {
                self.unparsed(line, &format!("an empty {what}"));
                None
            }
        }
    }

    /// The index of the line holding byte `offset`.
    fn index_of_offset(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.offset <= offset)
            .saturating_sub(1)
    }

    /// The description: every line up to the first heading (or the repeated
    /// curl), one line a paragraph; a line starting with `Deprecated` is the
    /// Deprecated callout.
    fn description(&mut self) {
        self.stage = Stage::Description;
        let mut text = String::new();
        let mut first = None;
        while let Some(line) = self.lines.get(self.pos).copied() {
            let t = line.text.trim();
            if !t.is_empty() && self.start_of(t).is_some_and(|s| s > Stage::Description) {
                break;
            }
            self.pos += 1;
            if t.is_empty() {
                continue;
            }
            if deprecated_callout(t) {
                if self.page.deprecated.is_none() {
                    self.page.deprecated = Some(Located {
                        line: line.number,
                        value: t.to_string(),
                    });
                }
                continue;
            }
            first.get_or_insert(line.number);
            self.page.paragraphs.push(Located {
                line: line.number,
                value: t.to_string(),
            });
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(t);
        }
        if let Some(line) = first {
            self.page.description = Some(Located { line, value: text });
        }
    }

    /// A field list: the heading, then every line up to the next construct.
    fn list(&mut self, stage: Stage, heading: Line<'a>) {
        self.pos += 1;
        // The stage after the heading's, so that the list ends at the next heading
        // and a second copy of this heading is not a new list.
        self.stage = OPENED_BY_A_LINE
            .iter()
            .copied()
            .find(|s| *s > stage)
            .unwrap_or(Stage::Tabs);
        let start = self.pos;
        while let Some(line) = self.lines.get(self.pos) {
            let t = line.text.trim();
            if !t.is_empty() && self.start_of(t).is_some() {
                break;
            }
            self.pos += 1;
        }
        let block: Vec<Line<'a>> = self.lines[start..self.pos].to_vec();
        let list = self.fields(heading, &block);
        let slot = match stage {
            Stage::PathParameters => &mut self.page.path_parameters,
            Stage::QueryParameters => &mut self.page.query_parameters,
            Stage::Body => &mut self.page.body,
            _ => &mut self.page.response,
        };
        *slot = Some(list);
    }

    /// The fields of a list's lines. A field starts at a name line followed by a
    /// type line of the same indentation; then an optional `required` line; then
    /// its description, up to the next field. A field indented two spaces more
    /// than the field before it at a lower level is that field's child.
    fn fields(&mut self, heading: Line<'a>, block: &[Line<'a>]) -> FieldList {
        let mut list = FieldList {
            line: heading.number,
            prose: Vec::new(),
            fields: Vec::new(),
        };
        // The open fields by indentation: (indent, index in `list.fields`).
        let mut open: Vec<(usize, usize)> = Vec::new();
        // The field whose description the next lines continue, if any; `None`
        // after a child that was rejected, whose lines are skipped.
        let mut current: Option<usize> = None;
        let mut skipping = false;
        let mut i = 0;
        while i < block.len() {
            let line = block[i];
            let t = line.text.trim();
            if t.is_empty() {
                i += 1;
                continue;
            }
            let indent = line.text.len() - line.text.trim_start().len();
            let typed = block.get(i + 1).filter(|next| {
                let next_indent = next.text.len() - next.text.trim_start().len();
                next_indent == indent && field_type.parse(next.text.trim()).is_ok()
            });
            if let (Ok(name), Some(ty_line)) = (field_name.parse(t), typed) {
                let mut consumed = 2;
                let required = block
                    .get(i + 2)
                    .is_some_and(|l| l.text.trim() == "required");
                if required {
                    consumed += 1;
                }
                while open.last().is_some_and(|(k, _)| *k >= indent) {
                    open.pop();
                }
                let parent = match open.last() {
                    _ if indent == 0 => Ok(None),
                    Some((k, p)) if *k + 2 == indent => {
                        if matches!(list.fields[*p].ty.as_str(), "object" | "array") {
                            Ok(Some(*p))
                        } else {
                            Err(format!(
                                "the field {name} is indented under {}, which is a {}, not an object or array",
                                list.fields[*p].name, list.fields[*p].ty
                            ))
                        }
                    }
                    _ => Err(format!(
                        "the field {name} is indented as a child field, but no field above it is its parent"
                    )),
                };
                i += consumed;
                match parent {
                    Ok(parent) => {
                        list.fields.push(Field {
                            name: name.to_string(),
                            line: line.number,
                            ty: ty_line.text.trim().to_string(),
                            required,
                            description: String::new(),
                            description_line: line.number + consumed,
                            nested: Vec::new(),
                            parent,
                        });
                        let index = list.fields.len() - 1;
                        open.push((indent, index));
                        current = Some(index);
                        skipping = false;
                    }
                    Err(reason) => {
                        self.problem(line, &reason);
                        current = None;
                        skipping = true;
                    }
                }
                continue;
            }
            i += 1;
            if skipping {
                continue;
            }
            if field_name.parse(t).is_ok() && t != "required" {
                // A lone word where a field or its description should be: a field
                // whose type line is missing (a one-word description would be
                // read the same way, and no page has one).
                self.problem(
                    line,
                    &format!("the field {t} has no type line (integer, long, string, ...)"),
                );
                continue;
            }
            match current {
                None if list.fields.is_empty() => list.prose.push(Located {
                    line: line.number,
                    value: t.to_string(),
                }),
                None => {}
                Some(index) => {
                    let field = &mut list.fields[index];
                    if field.description.is_empty() {
                        field.description_line = line.number;
                    } else {
                        field.description.push(' ');
                    }
                    field.description.push_str(t);
                }
            }
        }
        for field in &mut list.fields {
            if field.ty == "object" || field.ty == "array" {
                field.nested = nested_fields
                    .parse(field.description.as_str())
                    .unwrap_or_default();
            }
        }
        let missing: Vec<(usize, String)> = list
            .fields
            .iter()
            .filter(|f| f.description.is_empty())
            .map(|f| (f.line, f.name.clone()))
            .collect();
        for (number, name) in missing {
            self.page.problems.push(Problem {
                line: number,
                text: name.clone(),
                reason: format!("the field {name} has no description"),
            });
        }
        list
    }

    /// One example tab: a `201 Created` label and its JSON body, or, in the older
    /// format, a body without a label.
    fn tab(&mut self, line: Line<'a>) {
        let text = line.text.trim();
        if let Ok((status, label)) = tab_label.parse(text) {
            self.pos += 1;
            let mut tab = Tab {
                line: line.number,
                status: Some(status),
                label: Some(label.to_string()),
                body: None,
            };
            // The body is the next line that is not blank; it must be JSON.
            while self
                .lines
                .get(self.pos)
                .is_some_and(|l| l.text.trim().is_empty())
            {
                self.pos += 1;
            }
            match self.lines.get(self.pos).copied() {
                Some(next) if json_start(next.text.trim()) => {
                    tab.body = self.json(next, next.offset, &format!("body of the tab {text}"));
                }
                _ => self.problem(line, &format!("the tab {text} has no body")),
            }
            self.page.tabs.push(tab);
        } else {
            let body = self.json(line, line.offset, "response example");
            self.page.tabs.push(Tab {
                line: line.number,
                status: None,
                label: None,
                body,
            });
        }
    }
}

/// Whether a description line is the Deprecated callout.
fn deprecated_callout(text: &str) -> bool {
    text.strip_prefix("Deprecated")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', ':', ' ', '!']))
}

fn json_start(text: &str) -> bool {
    text.starts_with('{') || text.starts_with('[')
}

/// Whether a (trimmed) line opens a stage.
fn opens(stage: Stage, text: &str) -> bool {
    match stage {
        Stage::Chrome => text == CHROME,
        Stage::Method => method_line.parse(text).is_ok(),
        Stage::Path => text == "/",
        Stage::Curl | Stage::RepeatedCurl => curl_line.parse(text).is_ok(),
        Stage::Json => json_start(text),
        Stage::Description => false,
        Stage::PathParameters | Stage::QueryParameters | Stage::Body | Stage::Response => {
            stage.heading() == Some(text)
        }
        Stage::Tabs => json_start(text) || tab_label.parse(text).is_ok(),
    }
}

type Input<'i> = &'i str;

fn method_line<'i>(input: &mut Input<'i>) -> winnow::Result<&'i str> {
    terminated(method, eof).parse_next(input)
}

fn method<'i>(input: &mut Input<'i>) -> winnow::Result<&'i str> {
    take_while(1.., |c: char| c.is_ascii_uppercase())
        .verify(|m: &str| METHODS.contains(&m))
        .parse_next(input)
}

fn identifier<'i>(input: &mut Input<'i>) -> winnow::Result<&'i str> {
    (
        one_of(|c: char| c.is_ascii_alphabetic() || c == '_'),
        take_while(0.., |c: char| c.is_ascii_alphanumeric() || c == '_'),
    )
        .take()
        .parse_next(input)
}

/// A path segment: a literal (`clients`, `v1.2`) or a template (`{id}`).
fn path_segment<'i>(input: &mut Input<'i>) -> winnow::Result<&'i str> {
    terminated(
        alt((
            delimited('{', identifier, '}').take(),
            take_while(1.., |c: char| {
                c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
            }),
        )),
        eof,
    )
    .parse_next(input)
}

/// `curl -X METHOD "URL" \`: the method, the URL, and whether the command continues.
fn curl_line<'i>(input: &mut Input<'i>) -> winnow::Result<(&'i str, &'i str, bool)> {
    (
        preceded(("curl", space1, "-X", space1), method),
        preceded(space1, delimited('"', take_till(0.., '"'), '"')),
        terminated(continuation, eof),
    )
        .parse_next(input)
}

/// An optional trailing backslash: the command goes on on the next line.
fn continuation(input: &mut Input<'_>) -> winnow::Result<bool> {
    preceded(space0, opt('\\').map(|c| c.is_some())).parse_next(input)
}

/// `-H "Name: value" \`: the name, the value, and whether the command continues.
fn header_line<'i>(input: &mut Input<'i>) -> winnow::Result<(&'i str, &'i str, bool)> {
    (
        preceded(("-H", space1, '"'), take_till(1.., ':')),
        delimited((':', space0), take_till(0.., '"'), '"'),
        terminated(continuation, eof),
    )
        .parse_next(input)
}

/// `  -d '` followed by JSON: the byte length of the prefix before the JSON.
fn data_start(input: &mut Input<'_>) -> winnow::Result<usize> {
    let before = input.len();
    (space0, "-d", space1, '\'').parse_next(input)?;
    let prefix = before - input.len();
    rest.parse_next(input)?;
    Ok(prefix)
}

fn field_name<'i>(input: &mut Input<'i>) -> winnow::Result<&'i str> {
    terminated(identifier, eof).parse_next(input)
}

fn field_type<'i>(input: &mut Input<'i>) -> winnow::Result<&'i str> {
    terminated(identifier, eof)
        .verify(|t: &str| TYPES.contains(&t))
        .parse_next(input)
}

/// The nested fields a description names: "... with [fields] a, b, c." or
/// "... with a, b and c.".
fn nested_fields(input: &mut Input<'_>) -> winnow::Result<Vec<String>> {
    let names: Vec<&str> = preceded(
        (take_until(0.., " with "), " with ", opt("fields ")),
        terminated(
            separated(1.., identifier, alt((", and ", ", ", " and "))),
            (opt('.'), eof),
        ),
    )
    .parse_next(input)?;
    Ok(names.into_iter().map(str::to_string).collect())
}

/// An example tab's label: a status and its reason phrase (`412 Address Invalid`).
fn tab_label<'i>(input: &mut Input<'i>) -> winnow::Result<(u16, &'i str)> {
    (
        digit1
            .verify(|d: &str| d.len() == 3)
            .try_map(str::parse::<u16>)
            .verify(|s: &u16| (100..600).contains(s)),
        preceded(
            space1,
            take_while(1.., |c: char| {
                c.is_ascii_alphanumeric() || " -'".contains(c)
            })
            .verify(|l: &str| l.starts_with(|c: char| c.is_ascii_uppercase())),
        ),
        eof,
    )
        .map(|(status, label, _)| (status, label))
        .parse_next(input)
}

/// The values a description lists as the field's: "Possible values: a, b, c." (the
/// whole set), or "(e.g., a, b, c)" (some of them). Values are single words
/// (`cards_individuals`, `pending`, `SSN`); a list with any other item is prose,
/// not a list of values. Returns the values and whether the list is complete.
pub fn prose_enum(description: &str) -> Option<(Vec<String>, bool)> {
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
            .flat_map(|part| {
                let part = part.trim();
                let part = part
                    .strip_prefix("and ")
                    .or_else(|| part.strip_prefix("or "))
                    .unwrap_or(part);
                std::iter::once(part)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_grammars() {
        assert_eq!(
            curl_line.parse("curl -X POST \"https://x/y\" \\"),
            Ok(("POST", "https://x/y", true))
        );
        assert_eq!(
            header_line.parse("-H \"x-api-key: $KEY\" \\"),
            Ok(("x-api-key", "$KEY", true))
        );
        assert_eq!(
            header_line.parse("-H \"Accept: */*\""),
            Ok(("Accept", "*/*", false))
        );
        assert_eq!(data_start.parse("  -d '{"), Ok(6));
        assert!(path_segment.parse("{client_id}").is_ok());
        assert!(path_segment.parse("two words").is_err());
        assert!(field_type.parse("long").is_ok());
        assert!(field_type.parse("decimal").is_err());
        assert!(method_line.parse("POST").is_ok());
        assert!(method_line.parse("POSTED").is_err());
        assert_eq!(
            tab_label.parse("412 Address Invalid"),
            Ok((412, "Address Invalid"))
        );
        assert_eq!(tab_label.parse("200 OK"), Ok((200, "OK")));
        assert!(tab_label.parse("2000 OK").is_err());
        assert!(tab_label.parse("404").is_err());
        assert!(tab_label.parse("100 clients were created.").is_err());
        assert!(deprecated_callout("Deprecated. Use another endpoint."));
        assert!(!deprecated_callout("Deprecation of old keys is announced."));
    }

    #[test]
    fn values_written_in_prose() {
        assert_eq!(
            prose_enum(
                "Product to enable. Possible values: cards_individuals, ramps_cards, ramps_pix."
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
            prose_enum("Account status (e.g., pending, active, rejected)."),
            Some((
                vec!["pending".into(), "active".into(), "rejected".into()],
                false
            ))
        );
        // Not lists of values: prose items, a single example.
        assert_eq!(
            prose_enum("Identification number (e.g., SSN, Tax ID)."),
            None
        );
        assert_eq!(prose_enum("Document type (e.g., passport)."), None);
        assert_eq!(
            prose_enum("ISO 3166-2 codes (e.g., USA-CA for California)."),
            None
        );
    }

    #[test]
    fn child_fields_follow_their_parent() {
        let page = parse(include_str!(
            "../../../openapi/docs/create-individual-client.txt"
        ));
        assert_eq!(page.problems, vec![]);
        let body = page.body.unwrap_or_else(|| panic!("a Body list"));
        let paths: Vec<String> = (0..body.fields.len()).map(|i| body.path_of(i)).collect();
        assert!(
            paths.contains(&"address.street_line1".to_string()),
            "{paths:?}"
        );
        let city = body.fields.iter().find(|f| f.name == "city");
        assert_eq!(city.map(|c| (c.line, c.required)), Some((82, true)));
        let tabs: Vec<Option<u16>> = page.tabs.iter().map(|t| t.status).collect();
        assert_eq!(tabs, vec![Some(201), Some(400)]);
        assert!(page.source.is_some_and(|s| s.line == 1));
    }

    #[test]
    fn nested_fields_are_read_from_the_prose() {
        assert_eq!(
            nested_fields.parse("An object with a, b and c."),
            Ok(vec!["a".into(), "b".into(), "c".into()])
        );
        assert!(
            nested_fields
                .parse("Creates a client with personal information.")
                .is_err()
        );
    }
}
