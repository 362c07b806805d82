//! The grammar of a vendor page: an MDX file as Mintlify renders it.
//!
//! A page is front matter (`title`, `description`, `api: "METHOD /path"`,
//! sometimes `deprecated: true`) and a body read line by line. The body's
//! constructs are: prose paragraphs; `## ` headings, which open the sections
//! (`Path parameters` or `Path`, `Query parameters`, `Headers`, `Body`,
//! `Response`, `Errors`); Mintlify's components `<ParamField path|query|header|
//! body="name" type=".." required default=".." deprecated>` and `<ResponseField
//! name=".." type="..">`, nested through `<Expandable>`; callouts (`<Warning>`,
//! `<Note>`, `<Tip>`, `<Danger>`, `<Info>`, `<Check>`); `<RequestExample>` and
//! `<ResponseExample>` holding fenced code blocks; other fenced code; tables;
//! MDX comments `{/* ... */}`.
//!
//! A page with `api:` in its front matter is an API page and is read strictly:
//! an unknown component, a field outside the section of its kind, prose inside
//! an example, a response example without a status, a field type that is not
//! one of the vendor's, JSON that does not parse and a cURL command that cannot
//! be sent as written are [`Problem`]s. A page without `api:` (a guide) is read
//! leniently: any component may appear, only the structure (closed components,
//! closed code blocks, front matter) is checked.

use serde_json::Value;

use crate::curl::{self, Curl};
use crate::{Located, Problem};

/// The HTTP methods an `api:` line may name.
pub const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// The callout components.
pub const CALLOUTS: &[&str] = &["Warning", "Note", "Tip", "Danger", "Info", "Check"];

/// The type words of a field (`string[]` and `object[]` are arrays of those).
pub const TYPES: &[&str] = &[
    "string", "integer", "long", "number", "boolean", "object", "array",
];

/// Everything the grammar read from a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The front matter; `None` when the file does not start with `---` (it is
    /// then no vendor page at all: a saved error page, a file of another kind).
    pub front: Option<FrontMatter>,
    /// The paragraphs before the first section, callouts excluded.
    pub intro: Vec<Located<String>>,
    /// The callouts, in page order.
    pub callouts: Vec<Callout>,
    /// The `## ` sections, in page order.
    pub sections: Vec<Section>,
    /// The code blocks inside `<RequestExample>`.
    pub request_examples: Vec<CodeBlock>,
    /// The code blocks inside `<ResponseExample>`.
    pub response_examples: Vec<CodeBlock>,
    /// Every other code block (a guide's examples).
    pub code_blocks: Vec<CodeBlock>,
    /// The tables, in page order.
    pub tables: Vec<Table>,
    /// The lines and constructs the grammar could not place, in page order.
    pub problems: Vec<Problem>,
    /// The number of lines of the page.
    pub lines: usize,
}

/// The front matter of a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// The line of its closing `---` (its opening one is line 1).
    pub end: usize,
    /// `title`.
    pub title: Option<Located<String>>,
    /// `description`.
    pub description: Option<Located<String>>,
    /// `api`: the operation an API page documents.
    pub api: Option<Located<Api>>,
    /// `deprecated`.
    pub deprecated: Option<Located<bool>>,
    /// Every other key (`sidebarTitle`, ...), with its value as written.
    pub other: Vec<(String, Located<String>)>,
}

/// The operation of an `api:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    /// The method, upper case.
    pub method: String,
    /// The path template, relative to the server (`/cards/{cardId}`).
    pub path: String,
}

impl std::fmt::Display for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// A callout: `<Warning>`, `<Note>`, ...
#[derive(Debug, Clone, PartialEq)]
pub struct Callout {
    /// The component's name.
    pub kind: String,
    /// The line of the opening tag.
    pub line: usize,
    /// Its paragraphs, one a line.
    pub text: String,
    /// The index of the section it is in, if any.
    pub section: Option<usize>,
}

impl Callout {
    /// Whether this is the vendor's Deprecated banner: a callout whose text
    /// starts with `**Deprecated.**` (both wordings the pages use, "no longer
    /// available in the public API and is kept for reference only" and "no
    /// longer part of the public API. Use \[X\] instead", start so).
    pub fn is_deprecation(&self) -> bool {
        let text = self.text.trim_start();
        ["**Deprecated.**", "**Deprecated**", "**Deprecated:**"]
            .iter()
            .any(|mark| text.starts_with(mark))
    }
}

/// What a section holds, by its heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionKind {
    /// `## Path parameters` or `## Path`.
    Path,
    /// `## Query parameters`.
    Query,
    /// `## Headers`.
    Headers,
    /// `## Body`.
    Body,
    /// `## Response`.
    Response,
    /// `## Errors`: a table of error codes, or `<ResponseField>`s named by status.
    Errors,
    /// Any other heading: prose, callouts, tables, code.
    Other,
}

impl SectionKind {
    /// The kind of a heading's text.
    pub fn of(heading: &str) -> SectionKind {
        match heading.trim() {
            "Path parameters" | "Path" | "Path Parameters" => SectionKind::Path,
            "Query parameters" | "Query" | "Query Parameters" => SectionKind::Query,
            "Headers" | "Header" => SectionKind::Headers,
            "Body" | "Request body" | "Request Body" => SectionKind::Body,
            "Response" => SectionKind::Response,
            "Errors" => SectionKind::Errors,
            _ => SectionKind::Other,
        }
    }

    /// Where the parameters of this section go.
    pub fn param_in(self) -> Option<ParamIn> {
        match self {
            SectionKind::Path => Some(ParamIn::Path),
            SectionKind::Query => Some(ParamIn::Query),
            SectionKind::Headers => Some(ParamIn::Header),
            SectionKind::Body => Some(ParamIn::Body),
            _ => None,
        }
    }
}

/// A `## ` section.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading's text and line.
    pub heading: Located<String>,
    /// What it holds.
    pub kind: SectionKind,
    /// Its paragraphs outside components (`Returns an array of ...`).
    pub prose: Vec<Located<String>>,
    /// Its top-level fields, each with its children.
    pub fields: Vec<Field>,
}

/// Where a `<ParamField>` is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamIn {
    /// `path="..."`.
    Path,
    /// `query="..."`.
    Query,
    /// `header="..."`.
    Header,
    /// `body="..."`: a field of the request body.
    Body,
}

impl ParamIn {
    /// The attribute's name, as OpenAPI's `in` names it (`body` is the request
    /// body).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
            ParamIn::Body => "body",
        }
    }
}

/// A `<ParamField>` or `<ResponseField>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The line of its opening tag.
    pub line: usize,
    /// Where a `<ParamField>` is sent; `None` for a `<ResponseField>`.
    pub param: Option<ParamIn>,
    /// The name (`[]` for the items of a top-level array).
    pub name: String,
    /// The type attribute as written (`string`, `object[]`; in `## Errors`, the
    /// reason phrase of the status the name gives).
    pub ty: String,
    /// `required`.
    pub required: bool,
    /// `default`.
    pub default: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Its paragraphs, one a line (markdown as written).
    pub description: String,
    /// The line of the description's first paragraph (the tag's when none).
    pub description_line: usize,
    /// The fields nested inside it (directly or through `<Expandable>`).
    pub children: Vec<Field>,
}

impl Field {
    /// The type, when it is one of the vendor's type words.
    pub fn field_type(&self) -> Option<FieldType> {
        FieldType::parse(&self.ty)
    }
}

/// A field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// `string`.
    String,
    /// `integer`: a 32-bit integer.
    Integer,
    /// `long`: a 64-bit integer.
    Long,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `object`.
    Object,
    /// `array`, or `T[]` (an array of `T`).
    Array(Option<Box<FieldType>>),
}

impl FieldType {
    /// Reads a type attribute: a type word, or a type word followed by `[]`.
    pub fn parse(ty: &str) -> Option<FieldType> {
        if let Some(item) = ty.strip_suffix("[]") {
            return FieldType::parse(item).map(|t| FieldType::Array(Some(Box::new(t))));
        }
        Some(match ty {
            "string" => FieldType::String,
            "integer" => FieldType::Integer,
            "long" => FieldType::Long,
            "number" => FieldType::Number,
            "boolean" => FieldType::Boolean,
            "object" => FieldType::Object,
            "array" => FieldType::Array(None),
            _ => return None,
        })
    }

    /// The JSON Schema type it means.
    pub fn json_type(&self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer | FieldType::Long => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Object => "object",
            FieldType::Array(_) => "array",
        }
    }
}

/// A fenced code block.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeBlock {
    /// The line of the opening fence.
    pub line: usize,
    /// The language (`bash`, `json`, `text`); empty when none.
    pub lang: String,
    /// The rest of the fence's info: `cURL`, `200 OK`, `412 Duplicate Client`.
    pub label: String,
    /// The status a response example's label starts with.
    pub status: Option<u16>,
    /// The content, its indentation removed, lines joined by `\n`.
    pub text: String,
    /// The line of the content's first line.
    pub text_line: usize,
    /// The index of the section it is in, if any.
    pub section: Option<usize>,
    /// What the grammar read in it.
    pub content: Content,
}

/// What a code block holds, as the grammar read it.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A `json` block's value (an object, an array, or a bare number).
    Json(Located<Value>),
    /// An empty block: a response without a body.
    Empty,
    /// A block of another language (`text`: a PDF's placeholder; a program).
    Text,
    /// A cURL command, with its body as JSON when it sends JSON.
    Curl(Box<Curl>, Option<Located<Value>>),
    /// A block the grammar could not read; a [`Problem`] says why.
    Unreadable,
}

/// A markdown table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The line of its header row.
    pub line: usize,
    /// The index of the section it is in, if any.
    pub section: Option<usize>,
    /// The header's cells.
    pub header: Vec<String>,
    /// The other rows' cells, each row with its line.
    pub rows: Vec<Located<Vec<String>>>,
}

impl Page {
    /// The page's operation, for an API page.
    pub fn api(&self) -> Option<&Located<Api>> {
        self.front.as_ref()?.api.as_ref()
    }

    /// The title of the front matter.
    pub fn title(&self) -> Option<&str> {
        Some(self.front.as_ref()?.title.as_ref()?.value.as_str())
    }

    /// The description of the operation: the paragraphs before the first
    /// section, joined by a space.
    pub fn description(&self) -> Option<Located<String>> {
        let first = self.intro.first()?;
        let text = self
            .intro
            .iter()
            .map(|p| p.value.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Some(Located::new(first.line, text))
    }

    /// Where the page says its operation is deprecated: the Deprecated banner,
    /// else `deprecated: true` in the front matter.
    pub fn deprecation(&self) -> Option<Located<String>> {
        if let Some(banner) = self.callouts.iter().find(|c| c.is_deprecation()) {
            return Some(Located::new(banner.line, banner.text.clone()));
        }
        let flag = self.front.as_ref()?.deprecated.as_ref()?;
        flag.value
            .then(|| Located::new(flag.line, "deprecated: true".to_string()))
    }

    /// The first section of a kind.
    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// The top-level `<ParamField>`s sent in `place`, from every section.
    pub fn params(&self, place: ParamIn) -> Vec<&Field> {
        self.sections
            .iter()
            .flat_map(|s| s.fields.iter())
            .filter(|f| f.param == Some(place))
            .collect()
    }

    /// The top-level `<ResponseField>`s of the `## Response` section.
    pub fn response_fields(&self) -> Vec<&Field> {
        self.sections
            .iter()
            .filter(|s| s.kind == SectionKind::Response)
            .flat_map(|s| s.fields.iter())
            .collect()
    }

    /// The cURL commands of the request examples, with their JSON bodies.
    pub fn curls(&self) -> Vec<(&Curl, Option<&Located<Value>>)> {
        self.request_examples
            .iter()
            .filter_map(|b| match &b.content {
                Content::Curl(curl, data) => Some((curl.as_ref(), data.as_ref())),
                _ => None,
            })
            .collect()
    }
}

/// Markdown as the page shows it: links as their text, no code spans, no
/// emphasis, spaces collapsed.
pub fn plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut space = false;
    let mut rest = markdown;
    while !rest.is_empty() {
        // A link `[text](target)` is its text.
        if let Some(after) = rest.strip_prefix('[')
            && let Some(close) = after.find("](")
            && let Some(end) = after[close..].find(')')
        {
            push_plain(&after[..close], &mut out, &mut space);
            rest = &after[close + end + 1..];
            continue;
        }
        let next = rest[1..].find('[').map_or(rest.len(), |i| i + 1);
        push_plain(&rest[..next], &mut out, &mut space);
        rest = &rest[next..];
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Appends text without `**` and backticks, its runs of white space as one
/// space (none at the start).
fn push_plain(text: &str, out: &mut String, space: &mut bool) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => {}
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
            }
            c if c.is_whitespace() => *space = !out.is_empty(),
            c => {
                if std::mem::take(space) {
                    out.push(' ');
                }
                out.push(c);
            }
        }
    }
}

/// Parses a page. Never fails: what it cannot place becomes a [`Problem`].
pub fn parse(text: &str) -> Page {
    let mut parser = Parser::new(text);
    parser.front_matter();
    parser.body();
    parser.finish();
    parser.page
}

/// An element being read.
#[derive(Debug)]
enum Open {
    Field(Field),
    Expandable { line: usize },
    Callout(Callout),
    RequestExample { line: usize },
    ResponseExample { line: usize },
    Other { name: String, line: usize },
}

impl Open {
    fn name(&self) -> &str {
        match self {
            Open::Field(f) if f.param.is_some() => "ParamField",
            Open::Field(_) => "ResponseField",
            Open::Expandable { .. } => "Expandable",
            Open::Callout(c) => &c.kind,
            Open::RequestExample { .. } => "RequestExample",
            Open::ResponseExample { .. } => "ResponseExample",
            Open::Other { name, .. } => name,
        }
    }

    fn line(&self) -> usize {
        match self {
            Open::Field(f) => f.line,
            Open::Callout(c) => c.line,
            Open::Expandable { line }
            | Open::RequestExample { line }
            | Open::ResponseExample { line }
            | Open::Other { line, .. } => *line,
        }
    }
}

/// A JSX tag of a line.
#[derive(Debug, PartialEq)]
struct Tag {
    close: bool,
    name: String,
    attrs: Vec<(String, Option<String>)>,
    self_closing: bool,
    /// The text after the tag on its line.
    rest: String,
}

struct Parser<'a> {
    lines: Vec<&'a str>,
    pos: usize,
    /// Whether the page is an API page (read strictly).
    api: bool,
    stack: Vec<Open>,
    section: Option<usize>,
    paragraph: Option<Located<String>>,
    table: Option<Table>,
    page: Page,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        let mut lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        if text.ends_with('\n') {
            lines.pop();
        }
        Parser {
            page: Page {
                lines: lines.len(),
                ..Page::default()
            },
            lines,
            pos: 0,
            api: false,
            stack: Vec::new(),
            section: None,
            paragraph: None,
            table: None,
        }
    }

    fn problem(&mut self, line: usize, reason: impl Into<String>) {
        let text = self
            .lines
            .get(line.wrapping_sub(1))
            .map(|l| l.trim().to_string())
            .unwrap_or_default();
        self.page.problems.push(Problem {
            line,
            text,
            reason: reason.into(),
        });
    }

    /// The front matter: `---`, `key: value` lines, `---`.
    fn front_matter(&mut self) {
        if self.lines.first().map(|l| l.trim_end()) != Some("---") {
            return;
        }
        let mut front = FrontMatter::default();
        let mut i = 1;
        loop {
            let Some(line) = self.lines.get(i).copied() else {
                self.problem(1, "the front matter is not closed by a line `---`");
                self.pos = self.lines.len();
                break;
            };
            let number = i + 1;
            i += 1;
            if line.trim_end() == "---" {
                front.end = number;
                self.pos = i;
                break;
            }
            if line.trim().is_empty() {
                continue;
            }
            let Some((key, value)) = key_value(line) else {
                self.problem(number, "not a `key: value` line of the front matter");
                continue;
            };
            let value = match yaml_scalar(value) {
                Ok(v) => v,
                Err(reason) => {
                    self.problem(number, reason);
                    continue;
                }
            };
            match key {
                "title" => front.title = Some(Located::new(number, value)),
                "description" => front.description = Some(Located::new(number, value)),
                "api" => match api_line(&value) {
                    Some(api) => front.api = Some(Located::new(number, api)),
                    None => self.problem(
                        number,
                        "`api:` is not `\"METHOD /path\"` (a method such as GET, a path starting with /)",
                    ),
                },
                "deprecated" => match value.as_str() {
                    "true" => front.deprecated = Some(Located::new(number, true)),
                    "false" => front.deprecated = Some(Located::new(number, false)),
                    _ => self.problem(number, "`deprecated:` is neither true nor false"),
                },
                _ => front
                    .other
                    .push((key.to_string(), Located::new(number, value))),
            }
        }
        self.api = front.api.is_some();
        self.page.front = Some(front);
    }

    fn body(&mut self) {
        while let Some(raw) = self.lines.get(self.pos).copied() {
            let number = self.pos + 1;
            let t = raw.trim();
            if t.is_empty() || t == "---" || t == "***" {
                self.end_paragraph();
                self.end_table();
                self.pos += 1;
                continue;
            }
            if let Some(fence) = fence_of(t) {
                self.end_paragraph();
                self.end_table();
                self.fence(raw, fence);
                continue;
            }
            if t.starts_with("{/*") {
                self.end_paragraph();
                self.comment();
                continue;
            }
            if t.starts_with('|') {
                self.end_paragraph();
                self.table_row(number, t);
                self.pos += 1;
                continue;
            }
            self.end_table();
            if let Some((level, title)) = heading(t) {
                self.end_paragraph();
                self.heading(number, level, title);
                self.pos += 1;
                continue;
            }
            if t.starts_with('<')
                && t[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
            {
                self.tag_line(number);
                continue;
            }
            self.prose_or_close(number, t);
            self.pos += 1;
        }
    }

    /// A prose line, which may end with the closing tag of the element it is in.
    fn prose_or_close(&mut self, number: usize, t: &str) {
        let text = strip_comments(t);
        if let Some(open) = self.stack.last() {
            let close = format!("</{}>", open.name());
            if let Some(before) = text.strip_suffix(close.as_str()) {
                let name = open.name().to_string();
                if !before.trim().is_empty() {
                    self.prose_line(number, before.trim());
                }
                self.end_paragraph();
                self.close(number, &name);
                return;
            }
        }
        if !text.is_empty() {
            self.prose_line(number, &text);
        }
    }

    fn prose_line(&mut self, number: usize, text: &str) {
        match &mut self.paragraph {
            Some(p) => {
                p.value.push(' ');
                p.value.push_str(text);
            }
            None => self.paragraph = Some(Located::new(number, text.to_string())),
        }
    }

    /// Gives the paragraph read so far to the element it is in.
    fn end_paragraph(&mut self) {
        let Some(paragraph) = self.paragraph.take() else {
            return;
        };
        let depth = self.stack.len();
        let target = match self.stack.last() {
            Some(Open::Expandable { .. }) if depth >= 2 => depth - 2,
            Some(_) => depth - 1,
            None => usize::MAX,
        };
        match self.stack.get_mut(target) {
            Some(Open::Field(field)) => {
                if field.description.is_empty() {
                    field.description_line = paragraph.line;
                } else {
                    field.description.push('\n');
                }
                field.description.push_str(&paragraph.value);
            }
            Some(Open::Callout(callout)) => {
                if !callout.text.is_empty() {
                    callout.text.push('\n');
                }
                callout.text.push_str(&paragraph.value);
            }
            Some(Open::RequestExample { .. } | Open::ResponseExample { .. }) if self.api => {
                let name = self.stack[target].name().to_string();
                self.problem(
                    paragraph.line,
                    format!("prose inside <{name}>, which holds code blocks only"),
                );
            }
            Some(Open::Expandable { .. }) if self.api => {
                self.problem(
                    paragraph.line,
                    "prose inside an <Expandable> that is not inside a field",
                );
            }
            _ => match self.section {
                Some(i) => self.page.sections[i].prose.push(paragraph),
                None => self.page.intro.push(paragraph),
            },
        }
    }

    fn table_row(&mut self, number: usize, t: &str) {
        let cells = table_cells(t);
        let separator = !cells.is_empty()
            && cells.iter().all(|c| {
                let c = c.trim_matches(':');
                !c.is_empty() && c.chars().all(|ch| ch == '-')
            });
        match &mut self.table {
            None => {
                self.table = Some(Table {
                    line: number,
                    section: self.section,
                    header: cells,
                    rows: Vec::new(),
                });
            }
            Some(_) if separator => {}
            Some(table) => table.rows.push(Located::new(number, cells)),
        }
    }

    fn end_table(&mut self) {
        if let Some(table) = self.table.take() {
            self.page.tables.push(table);
        }
    }

    fn heading(&mut self, number: usize, level: usize, title: &str) {
        if self.api
            && let Some(open) = self.stack.last()
        {
            let (name, line) = (open.name().to_string(), open.line());
            self.problem(
                number,
                format!("a heading inside <{name}> (line {line}): is <{name}> closed?"),
            );
        }
        if level == 2 {
            self.page.sections.push(Section {
                heading: Located::new(number, title.to_string()),
                kind: SectionKind::of(title),
                prose: Vec::new(),
                fields: Vec::new(),
            });
            self.section = Some(self.page.sections.len() - 1);
        } else {
            // A heading of another level is part of the prose of its section.
            self.paragraph = Some(Located::new(number, title.to_string()));
            self.end_paragraph();
        }
    }

    /// An MDX comment `{/* ... */}`, on one line or several.
    fn comment(&mut self) {
        let start = self.pos + 1;
        while let Some(line) = self.lines.get(self.pos) {
            self.pos += 1;
            if line.contains("*/}") {
                return;
            }
        }
        self.problem(start, "the MDX comment `{/*` is not closed by `*/}`");
    }

    /// A fenced code block from its opening fence at `self.pos`.
    fn fence(&mut self, raw: &str, (ticks, info): (usize, &str)) {
        let line = self.pos + 1;
        let indent = raw.len() - raw.trim_start().len();
        let mut content = Vec::new();
        let mut closed = false;
        self.pos += 1;
        while let Some(l) = self.lines.get(self.pos).copied() {
            self.pos += 1;
            let t = l.trim();
            if t.len() >= ticks && t.chars().all(|c| c == '`') {
                closed = true;
                break;
            }
            let strip = l.len() - l.trim_start().len();
            content.push(&l[strip.min(indent)..]);
        }
        if !closed {
            self.problem(line, "the code block is not closed by a line ```");
        }
        let (lang, label) = match info.split_once(char::is_whitespace) {
            Some((lang, label)) => (lang.to_string(), label.trim().to_string()),
            None => (info.to_string(), String::new()),
        };
        let status = label
            .split_whitespace()
            .next()
            .filter(|s| s.len() == 3)
            .and_then(|s| s.parse::<u16>().ok())
            .filter(|s| (100..600).contains(s));
        let text = content.join("\n");
        let mut block = CodeBlock {
            line,
            lang,
            label,
            status,
            text,
            text_line: line + 1,
            section: self.section,
            content: Content::Text,
        };
        let place = self.stack.iter().rev().find_map(|o| match o {
            Open::RequestExample { .. } => Some(true),
            Open::ResponseExample { .. } => Some(false),
            _ => None,
        });
        match place {
            Some(true) => {
                block.content = self.request_content(&block, closed);
                self.page.request_examples.push(block);
            }
            Some(false) => {
                block.content = self.response_content(&block, closed);
                self.page.response_examples.push(block);
            }
            None => {
                if block.text.trim_start().starts_with("curl ") {
                    block.content = self.request_content(&block, closed);
                } else if block.lang == "json" && closed {
                    block.content = match json(&block.text, block.text_line) {
                        Ok(Some(value)) => Content::Json(value),
                        _ => Content::Text,
                    };
                }
                self.page.code_blocks.push(block);
            }
        }
    }

    /// A request example: a cURL command (with its JSON body), or a program in
    /// another language.
    fn request_content(&mut self, block: &CodeBlock, closed: bool) -> Content {
        if !block.text.trim_start().starts_with("curl") {
            return Content::Text;
        }
        if !closed {
            return Content::Unreadable;
        }
        let curl = match curl::parse(&block.text, block.text_line) {
            Ok(c) => c,
            Err(problem) => {
                self.page.problems.push(problem);
                return Content::Unreadable;
            }
        };
        let data = match &curl.data {
            Some(data) if data.value.trim_start().starts_with(['{', '[']) => {
                match json(&data.value, data.line) {
                    Ok(value) => value,
                    Err((line, reason)) => {
                        // The command is still read: its method, URL and
                        // headers are worth comparing.
                        self.problem(line, format!("the cURL body is not JSON: {reason}"));
                        None
                    }
                }
            }
            _ => None,
        };
        Content::Curl(Box::new(curl), data)
    }

    /// A response example: its label names the status; a `json` block holds
    /// the body (empty: no body), any other language a placeholder.
    fn response_content(&mut self, block: &CodeBlock, closed: bool) -> Content {
        if self.api && block.status.is_none() {
            self.problem(
                block.line,
                format!(
                    "the response example's label {:?} does not start with a status (```json 200 OK)",
                    block.label
                ),
            );
        }
        if !closed {
            return Content::Unreadable;
        }
        // A 204 has no body (RFC 9110, 15.3.5), so whatever its block holds
        // (the vendor writes `(empty body)` in a `text` block) is a note, as
        // is that placeholder under any status.
        if block.status == Some(204) || block.text.trim() == "(empty body)" {
            return Content::Empty;
        }
        if block.lang != "json" {
            return Content::Text;
        }
        match json(&block.text, block.text_line) {
            Ok(Some(value)) => Content::Json(value),
            Ok(None) => Content::Empty,
            Err((line, reason)) => {
                self.problem(
                    line,
                    format!("the response example {} is not JSON: {reason}", block.label),
                );
                Content::Unreadable
            }
        }
    }

    /// A line starting with a tag (possibly spread over several lines).
    fn tag_line(&mut self, number: usize) {
        let mut text = self.lines[self.pos].trim().to_string();
        let mut consumed = 1;
        // An opening tag may spread its attributes over several lines.
        while tag_unfinished(&text) {
            match self.lines.get(self.pos + consumed) {
                Some(next) => {
                    text.push(' ');
                    text.push_str(next.trim());
                    consumed += 1;
                }
                None => break,
            }
        }
        let tag = match parse_tag(&text) {
            Ok(tag) => tag,
            Err(reason) => {
                if self.api {
                    self.problem(number, reason);
                } else {
                    self.prose_or_close(number, &text);
                }
                self.pos += consumed;
                return;
            }
        };
        self.pos += consumed;
        self.end_paragraph();
        if tag.close {
            self.close(number, &tag.name);
            if !tag.rest.trim().is_empty() {
                self.prose_or_close(number, tag.rest.trim());
            }
            return;
        }
        if tag.name.starts_with(|c: char| c.is_ascii_lowercase()) {
            if self.api {
                self.problem(
                    number,
                    format!(
                        "an HTML element <{}> where the pages use components",
                        tag.name
                    ),
                );
            }
            return;
        }
        self.open(number, &tag);
        if tag.self_closing {
            self.close(number, &tag.name);
            return;
        }
        let rest = tag.rest.trim();
        if !rest.is_empty() {
            self.prose_or_close(number, rest);
        }
    }

    fn open(&mut self, number: usize, tag: &Tag) {
        let name = tag.name.as_str();
        let open = match name {
            "ParamField" | "ResponseField" => match self.field(number, tag) {
                Some(field) => {
                    if self.api
                        && let Some(
                            Open::Callout(_)
                            | Open::RequestExample { .. }
                            | Open::ResponseExample { .. },
                        ) = self.stack.last()
                    {
                        let outer = self
                            .stack
                            .last()
                            .map(|o| o.name().to_string())
                            .unwrap_or_default();
                        self.problem(number, format!("a <{name}> inside <{outer}>"));
                    }
                    Open::Field(field)
                }
                None => Open::Other {
                    name: name.to_string(),
                    line: number,
                },
            },
            "Expandable" => {
                if self.api && !matches!(self.stack.last(), Some(Open::Field(_))) {
                    self.problem(number, "an <Expandable> that is not inside a field");
                }
                Open::Expandable { line: number }
            }
            "RequestExample" | "ResponseExample" => {
                if self.api
                    && let Some(outer) = self.stack.last()
                {
                    let outer = outer.name().to_string();
                    self.problem(number, format!("<{name}> inside <{outer}>"));
                }
                if name == "RequestExample" {
                    Open::RequestExample { line: number }
                } else {
                    Open::ResponseExample { line: number }
                }
            }
            _ if CALLOUTS.contains(&name) => Open::Callout(Callout {
                kind: name.to_string(),
                line: number,
                text: String::new(),
                section: self.section,
            }),
            _ => {
                if self.api {
                    self.problem(
                        number,
                        format!("<{name}> is not a component of the API pages (ParamField, ResponseField, Expandable, a callout, RequestExample, ResponseExample)"),
                    );
                }
                Open::Other {
                    name: name.to_string(),
                    line: number,
                }
            }
        };
        self.stack.push(open);
    }

    /// A field's attributes; `None` (after a problem) when it cannot be one.
    fn field(&mut self, number: usize, tag: &Tag) -> Option<Field> {
        let response = tag.name == "ResponseField";
        let mut field = Field {
            line: number,
            param: None,
            name: String::new(),
            ty: String::new(),
            required: false,
            default: None,
            deprecated: false,
            description: String::new(),
            description_line: number,
            children: Vec::new(),
        };
        let mut named = false;
        for (key, value) in &tag.attrs {
            let place = match key.as_str() {
                "path" => Some(ParamIn::Path),
                "query" => Some(ParamIn::Query),
                "header" => Some(ParamIn::Header),
                "body" => Some(ParamIn::Body),
                _ => None,
            };
            match (key.as_str(), value) {
                (_, Some(v)) if place.is_some() && !response => {
                    if named {
                        self.problem(number, "a <ParamField> with two of path, query, header, body");
                    }
                    field.param = place;
                    field.name = v.clone();
                    named = true;
                }
                ("name", Some(v)) if response => {
                    field.name = v.clone();
                    named = true;
                }
                ("type", Some(v)) => field.ty = v.clone(),
                ("required", None) => field.required = true,
                ("required", Some(v)) if v == "true" || v == "false" => field.required = v == "true",
                ("deprecated", None) => field.deprecated = true,
                ("deprecated", Some(v)) if v == "true" || v == "false" => {
                    field.deprecated = v == "true";
                }
                ("default", Some(v)) => field.default = Some(v.clone()),
                // Mintlify's presentation attributes say nothing of the API.
                ("placeholder" | "initialValue" | "hidden" | "post" | "pre", _) => {}
                _ => self.problem(
                    number,
                    format!(
                        "the attribute `{key}{}` is not one of <{}> (path|query|header|body or name, type, required, default, deprecated)",
                        value.as_ref().map(|v| format!("=\"{v}\"")).unwrap_or_default(),
                        tag.name
                    ),
                ),
            }
        }
        if !named {
            let what = if response {
                "name=\"...\""
            } else {
                "path, query, header or body=\"...\""
            };
            self.problem(number, format!("a <{}> without {what}", tag.name));
            return None;
        }
        if self.api {
            let in_errors = self
                .section
                .is_some_and(|i| self.page.sections[i].kind == SectionKind::Errors);
            if field.ty.is_empty() {
                self.problem(number, format!("the field {} has no type", field.name));
            } else if !in_errors && field.field_type().is_none() {
                self.problem(
                    number,
                    format!(
                        "the field {} has the type {:?}, not one of the pages' (string, integer, long, number, boolean, object, array, T[])",
                        field.name, field.ty
                    ),
                );
            }
        }
        Some(field)
    }

    /// Closes the element `name`, reporting any element left open inside it.
    fn close(&mut self, number: usize, name: &str) {
        let Some(depth) = self.stack.iter().rposition(|o| o.name() == name) else {
            if self.api || self.page.front.is_some() {
                self.problem(number, format!("</{name}> closes no open <{name}>"));
            }
            return;
        };
        while self.stack.len() > depth + 1 {
            if let Some(open) = self.stack.pop() {
                let (inner, line) = (open.name().to_string(), open.line());
                self.problem(
                    line,
                    format!("<{inner}> is not closed before </{name}> (line {number})"),
                );
                self.attach(open);
            }
        }
        if let Some(open) = self.stack.pop() {
            self.attach(open);
        }
    }

    /// Gives a closed element to its parent.
    fn attach(&mut self, open: Open) {
        match open {
            Open::Field(field) => {
                let depth = self.stack.len();
                let parent = match self.stack.last() {
                    Some(Open::Expandable { .. }) if depth >= 2 => Some(depth - 2),
                    Some(Open::Field(_)) => Some(depth - 1),
                    _ => None,
                };
                match parent.and_then(|p| self.stack.get_mut(p)) {
                    Some(Open::Field(parent)) => parent.children.push(field),
                    _ => self.place(field),
                }
            }
            Open::Callout(callout) => self.page.callouts.push(callout),
            _ => {}
        }
    }

    /// A top-level field goes to its section, which must be of its kind.
    fn place(&mut self, field: Field) {
        let Some(index) = self.section else {
            if self.api {
                self.problem(
                    field.line,
                    format!("the field {} is before the first ## section", field.name),
                );
            }
            return;
        };
        let kind = self.page.sections[index].kind;
        let fits = match field.param {
            Some(place) => kind.param_in() == Some(place),
            None => matches!(kind, SectionKind::Response | SectionKind::Errors),
        };
        if self.api && !fits {
            let what = match field.param {
                Some(place) => format!("<ParamField {}=\"{}\">", place.as_str(), field.name),
                None => format!("<ResponseField name=\"{}\">", field.name),
            };
            let heading = self.page.sections[index].heading.value.clone();
            self.problem(field.line, format!("{what} under ## {heading}"));
            return;
        }
        self.page.sections[index].fields.push(field);
    }

    fn finish(&mut self) {
        self.end_paragraph();
        self.end_table();
        while let Some(open) = self.stack.pop() {
            let (name, line) = (open.name().to_string(), open.line());
            self.problem(
                line,
                format!("<{name}> is not closed: the page is cut short?"),
            );
        }
        self.page.problems.sort_by_key(|p| p.line);
    }
}

/// `key: value` of a front matter line.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let valid = !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    valid.then(|| (key, value.trim()))
}

/// A YAML scalar of one line: double-quoted, single-quoted or plain.
fn yaml_scalar(value: &str) -> Result<String, String> {
    if value.starts_with('"') {
        return serde_json::from_str::<String>(value)
            .map_err(|_| "a double-quoted value that is not closed or not valid".to_string());
    }
    if let Some(inner) = value.strip_prefix('\'') {
        return inner
            .strip_suffix('\'')
            .map(|s| s.replace("''", "'"))
            .ok_or_else(|| "a single-quoted value that is not closed".to_string());
    }
    if value.is_empty() {
        return Err(
            "a key without a value (nested values are not part of the pages' front matter)".into(),
        );
    }
    Ok(value.to_string())
}

/// `METHOD /path`.
fn api_line(value: &str) -> Option<Api> {
    let (method, path) = value.trim().split_once(' ')?;
    let path = path.trim();
    (METHODS.contains(&method) && path.starts_with('/') && !path.contains(char::is_whitespace))
        .then(|| Api {
            method: method.to_string(),
            path: path.to_string(),
        })
}

/// An opening fence: the number of backticks and the info string.
fn fence_of(t: &str) -> Option<(usize, &str)> {
    let ticks = t.chars().take_while(|c| *c == '`').count();
    (ticks >= 3 && !t[ticks..].contains('`')).then(|| (ticks, t[ticks..].trim()))
}

/// `## Title`: the level and the title.
fn heading(t: &str) -> Option<(usize, &str)> {
    let level = t.chars().take_while(|c| *c == '#').count();
    let rest = &t[level..];
    ((1..=6).contains(&level) && rest.starts_with(' ')).then(|| (level, rest.trim()))
}

/// The cells of a table row.
fn table_cells(t: &str) -> Vec<String> {
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut code = false;
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '`' => {
                code = !code;
                cell.push(c);
            }
            '|' if !code => cells.push(std::mem::take(&mut cell).trim().to_string()),
            _ => cell.push(c),
        }
    }
    cells.push(cell.trim().to_string());
    cells
}

/// A line without its inline MDX comments.
fn strip_comments(t: &str) -> String {
    let mut out = String::new();
    let mut rest = t;
    while let Some(start) = rest.find("{/*") {
        out.push_str(&rest[..start]);
        match rest[start..].find("*/}") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// Whether a line that starts an opening tag ends before the tag's `>`.
fn tag_unfinished(text: &str) -> bool {
    if text.starts_with("</") {
        return false;
    }
    let mut quote = None;
    let mut braces = 0usize;
    for c in text.chars().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{') => braces += 1,
            (None, '}') => braces = braces.saturating_sub(1),
            (None, '>') if braces == 0 => return false,
            _ => {}
        }
    }
    true
}

/// A JSX tag at the start of a line: `<Name attr="v" flag>`, `<Name/>`,
/// `</Name>`, with the text after it.
fn parse_tag(text: &str) -> Result<Tag, String> {
    let not_a_tag = || format!("{text:?} is not a component tag (<Name attr=\"value\">)");
    let mut chars = text.char_indices().peekable();
    chars.next(); // '<'
    let close = chars.peek().is_some_and(|(_, c)| *c == '/');
    if close {
        chars.next();
    }
    let start = chars.peek().map_or(text.len(), |(i, _)| *i);
    let mut end = start;
    while let Some((i, c)) = chars.peek().copied() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
            end = i + c.len_utf8();
            chars.next();
        } else {
            break;
        }
    }
    let name = &text[start..end];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(not_a_tag());
    }
    let mut attrs = Vec::new();
    loop {
        while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            Some((i, '>')) => {
                return Ok(Tag {
                    close,
                    name: name.to_string(),
                    attrs,
                    self_closing: false,
                    rest: text[i + 1..].to_string(),
                });
            }
            Some((_, '/')) if !close => match chars.next() {
                Some((i, '>')) => {
                    return Ok(Tag {
                        close,
                        name: name.to_string(),
                        attrs,
                        self_closing: true,
                        rest: text[i + 1..].to_string(),
                    });
                }
                _ => return Err(not_a_tag()),
            },
            Some((i, c)) if !close && (c.is_ascii_alphabetic() || c == '_') => {
                let mut key_end = i + c.len_utf8();
                while let Some((j, c)) = chars.peek().copied() {
                    if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ':' {
                        key_end = j + c.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let key = text[i..key_end].to_string();
                if chars.peek().is_some_and(|(_, c)| *c == '=') {
                    chars.next();
                    let value = match chars.next() {
                        Some((_, q @ ('"' | '\''))) => {
                            let mut value = String::new();
                            loop {
                                match chars.next() {
                                    Some((_, c)) if c == q => break,
                                    Some((_, c)) => value.push(c),
                                    None => {
                                        return Err(format!(
                                            "the value of `{key}` is not closed by {q}"
                                        ));
                                    }
                                }
                            }
                            value
                        }
                        Some((_, '{')) => {
                            let mut depth = 1;
                            let mut value = String::from("{");
                            loop {
                                match chars.next() {
                                    Some((_, '{')) => {
                                        depth += 1;
                                        value.push('{');
                                    }
                                    Some((_, '}')) => {
                                        depth -= 1;
                                        value.push('}');
                                        if depth == 0 {
                                            break;
                                        }
                                    }
                                    Some((_, c)) => value.push(c),
                                    None => {
                                        return Err(format!(
                                            "the expression of `{key}` is not closed by }}"
                                        ));
                                    }
                                }
                            }
                            value
                        }
                        _ => return Err(format!("`{key}=` has no quoted value")),
                    };
                    attrs.push((key, Some(value)));
                } else {
                    attrs.push((key, None));
                }
            }
            _ => return Err(not_a_tag()),
        }
    }
}

/// The JSON of a block whose first line is page line `first_line`; `None` for
/// a block of blanks. An error is located on its page line.
fn json(text: &str, first_line: usize) -> Result<Option<Located<Value>>, (usize, String)> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let line = first_line + e.line().saturating_sub(1);
        let what = if e.is_eof() {
            "it is cut short".to_string()
        } else {
            e.to_string()
        };
        (line, what)
    })?;
    // The value starts on the block's first line that is not blank.
    let leading = text.lines().take_while(|l| l.trim().is_empty()).count();
    Ok(Some(Located::new(first_line + leading, value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        let tag = parse_tag(r#"<ParamField body="a" type="string" required default="x>y">"#)
            .expect("a tag");
        assert_eq!(tag.name, "ParamField");
        assert_eq!(
            tag.attrs,
            vec![
                ("body".into(), Some("a".into())),
                ("type".into(), Some("string".into())),
                ("required".into(), None),
                ("default".into(), Some("x>y".into())),
            ]
        );
        let inline = parse_tag("<Note>Min **1 USD**.</Note>").expect("a tag");
        assert_eq!(inline.rest, "Min **1 USD**.</Note>");
        assert!(parse_tag("</Expandable>").is_ok_and(|t| t.close));
        assert!(parse_tag("<Card cols={2} />").is_ok_and(|t| t.self_closing));
        assert!(parse_tag("<binary PDF file (application/pdf)>").is_err());
        assert!(parse_tag("<ParamField body=\"a").is_err());
        assert!(tag_unfinished("<ParamField"));
        assert!(!tag_unfinished("<ParamField body=\"a>b\">"));
    }

    #[test]
    fn plain_text() {
        assert_eq!(
            plain("Use [Get countries](/api/x) for  `state` **codes**.\n  Next [a] b."),
            "Use Get countries for state codes. Next [a] b."
        );
        assert_eq!(plain("  **Deprecated.** Gone "), "Deprecated. Gone");
    }

    #[test]
    fn types() {
        assert_eq!(FieldType::parse("long"), Some(FieldType::Long));
        assert_eq!(
            FieldType::parse("object[]"),
            Some(FieldType::Array(Some(Box::new(FieldType::Object))))
        );
        assert_eq!(FieldType::parse("decimal"), None);
        assert_eq!(FieldType::parse("Bad Request"), None);
    }

    #[test]
    fn a_small_api_page() {
        let page = parse(concat!(
            "---\n",
            "title: \"Get\"\n",
            "api: \"GET /things/{id}\"\n",
            "---\n",
            "\n",
            "Gets a thing.\n",
            "\n",
            "<Warning>\n",
            "  **Deprecated.** This endpoint is no longer part of the public API.\n",
            "</Warning>\n",
            "\n",
            "## Path parameters\n",
            "\n",
            "<ParamField path=\"id\" type=\"string\" required>\n",
            "  The id.\n",
            "</ParamField>\n",
            "\n",
            "## Response\n",
            "\n",
            "<ResponseField name=\"[]\" type=\"array\">\n",
            "  <Expandable title=\"thing\">\n",
            "    <ResponseField name=\"id\" type=\"string\">\n",
            "      Id.\n",
            "    </ResponseField>\n",
            "  </Expandable>\n",
            "</ResponseField>\n",
            "\n",
            "{/* a note\n",
            "   of the vendor */}\n",
            "\n",
            "<RequestExample>\n",
            "\n",
            "```bash cURL\n",
            "curl -X GET \"https://api.cryptomate.me/things/1\" \\\n",
            "  -H \"x-api-key: $K\"\n",
            "```\n",
            "\n",
            "</RequestExample>\n",
            "\n",
            "<ResponseExample>\n",
            "\n",
            "```json 200 OK\n",
            "[{\"id\": \"1\"}]\n",
            "```\n",
            "\n",
            "```json 204 No Content\n",
            "```\n",
            "\n",
            "```text 200 PDF\n",
            "<binary PDF file (application/pdf)>\n",
            "```\n",
            "\n",
            "```text 204 No Content\n",
            "(empty body)\n",
            "```\n",
            "\n",
            "</ResponseExample>\n",
        ));
        assert_eq!(page.problems, vec![]);
        assert_eq!(
            page.api().map(|a| a.value.to_string()).as_deref(),
            Some("GET /things/{id}")
        );
        assert_eq!(page.deprecation().map(|d| d.line), Some(8));
        assert_eq!(page.params(ParamIn::Path)[0].name, "id");
        let items = page.response_fields();
        assert_eq!(items[0].name, "[]");
        assert_eq!(items[0].children[0].name, "id");
        assert_eq!(page.curls()[0].0.path(), "/things/1");
        let kinds: Vec<(Option<u16>, bool, bool)> = page
            .response_examples
            .iter()
            .map(|b| {
                (
                    b.status,
                    matches!(b.content, Content::Empty),
                    matches!(b.content, Content::Text),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                (Some(200), false, false),
                (Some(204), true, false),
                (Some(200), false, true),
                // A 204's `text` block is a note: a 204 has no body.
                (Some(204), true, false)
            ]
        );
    }

    #[test]
    fn what_cannot_be_placed_is_a_problem_on_its_line() {
        let page = parse(concat!(
            "---\n",
            "api: \"POST /x\"\n",
            "---\n",
            "## Body\n",
            "<ParamField body=\"a\" type=\"decimal\" requird>\n",
            "  A.\n",
            "</ParamField>\n",
            "<ResponseField name=\"b\" type=\"string\">\n",
            "  B.\n",
            "</ResponseField>\n",
            "<Tabs>\n",
            "</Tabs>\n",
            "<ResponseExample>\n",
            "```json\n",
            "{\"a\": \n",
            "```\n",
            "<ParamField body=\"c\" type=\"string\">\n",
        ));
        let lines: Vec<usize> = page.problems.iter().map(|p| p.line).collect();
        // The type and the attribute (line 5), the response field under Body
        // (8), the unknown component (11), the label without status (14), the
        // JSON cut short (15), the two elements left open (13, 17), and the
        // field inside the example (17).
        assert_eq!(
            lines,
            vec![5, 5, 8, 11, 13, 14, 15, 17, 17],
            "{:#?}",
            page.problems
        );
    }

    #[test]
    fn a_file_that_is_no_page_has_no_front_matter() {
        let page = parse("<html><body>404 page not found</body></html>");
        assert!(page.front.is_none());
        assert!(page.api().is_none());
    }
}
