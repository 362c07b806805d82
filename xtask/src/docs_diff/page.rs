//! The grammar of a captured reference page (the format of `openapi/docs/README.md`).
//!
//! A page is read line by line. Each kind of line has a small grammar of its own,
//! written with winnow: the method, a path separator or segment, the first line of
//! the curl example, a `-H` header, the `-d` body, a field name, a field type, the
//! headings. The layout of the page (which construct may follow which) is a short
//! sequence of stages. The JSON of the examples is read by `serde_json` from the
//! page's text itself, so that every value keeps the line it starts on.
//!
//! The parser never fails: every line is either part of a construct it extracted
//! (each with its line number) or a [`Problem`], which the diff turns into a
//! `page-unparsed-line` finding. It is not the place for comparing the page with
//! the spec; that is `compare.rs`.

use serde_json::Value;
use winnow::ascii::{space0, space1};
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
    /// The HTTP method, upper case.
    pub method: Option<Located<String>>,
    /// The path, joined from its lines (`/management/clients`).
    pub path: Option<Located<String>>,
    /// The curl examples in page order: the first, then its repetition.
    pub requests: Vec<CurlExample>,
    /// The JSON response examples in page order: the first, then its repetition.
    pub responses: Vec<Located<Value>>,
    /// The one-paragraph description.
    pub description: Option<Located<String>>,
    /// The `Body` list, when the page has one.
    pub body: Option<FieldList>,
    /// The `Response` list, when the page has one.
    pub response: Option<FieldList>,
    /// Every line the grammar could not classify, and every construct that was
    /// malformed, in page order.
    pub problems: Vec<Problem>,
}

/// A `Body` or `Response` list.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldList {
    /// The line of the heading.
    pub line: usize,
    /// The fields in page order.
    pub fields: Vec<Field>,
}

/// One name/type/description triple of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field name, on `line`.
    pub name: String,
    /// The line of the name.
    pub line: usize,
    /// The type word (`integer`, `long`, `string`, ...), on `line + 1`.
    pub ty: String,
    /// The description, on `line + 2`.
    pub description: String,
    /// Nested fields the description names ("... object with a, b, c."), in order.
    pub nested: Vec<String>,
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
    BodyHeading,
    BodyFields,
    ResponseHeading,
    ResponseFields,
    RepeatedCurl,
    RepeatedJson,
    End,
}

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
                None if self.stage == Stage::Description => self.description(line),
                None if self.in_list() => self.field(line),
                None => self.unparsed(line, "not part of any section of the page format"),
            }
        }
    }

    fn in_list(&self) -> bool {
        matches!(self.stage, Stage::BodyFields | Stage::ResponseFields)
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
                    Stage::RepeatedJson
                };
            }
            Stage::Json | Stage::RepeatedJson => {
                if let Some(value) = self.json(line, line.offset, "response example") {
                    self.page.responses.push(value);
                }
                self.stage = if stage == Stage::Json {
                    Stage::Description
                } else {
                    Stage::End
                };
            }
            Stage::BodyHeading => {
                self.page.body = Some(FieldList {
                    line: line.number,
                    fields: Vec::new(),
                });
                self.pos += 1;
                self.stage = Stage::BodyFields;
            }
            Stage::ResponseHeading => {
                self.page.response = Some(FieldList {
                    line: line.number,
                    fields: Vec::new(),
                });
                self.pos += 1;
                self.stage = Stage::ResponseFields;
            }
            // These stages have no line of their own that opens them.
            Stage::Description | Stage::BodyFields | Stage::ResponseFields | Stage::End => {
                self.unparsed(line, "not part of any section of the page format");
            }
        }
    }

    fn unparsed(&mut self, line: Line<'a>, reason: &str) {
        self.page.problems.push(Problem {
            line: line.number,
            text: line.text.trim().to_string(),
            reason: reason.to_string(),
        });
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
            self.page.problems.push(Problem {
                line: first.number,
                text: first.text.trim().to_string(),
                reason: "not a curl command line".into(),
            });
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
                self.unparsed(line, "a line of the curl example that is neither -H nor -d");
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
            self.page.problems.push(Problem {
                line: end_line.number,
                text: end_line.text.trim().to_string(),
                reason: "the -d body does not end with a closing quote".into(),
            });
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
                    self.page.problems.push(Problem {
                        line: end_line.number,
                        text: end_line.text.trim().to_string(),
                        reason: format!("text after the end of the {what}"),
                    });
                }
                Some(Located {
                    line: line.number,
                    value,
                })
            }
            Some(Err(e)) => {
                // serde_json counts lines from `start`, which is on `line`.
                let error_index = (self.index_of_line(line.number) + e.line().saturating_sub(1))
                    .min(self.lines.len().saturating_sub(1));
                let at = self.lines[error_index];
                self.page.problems.push(Problem {
                    line: at.number,
                    text: at.text.trim().to_string(),
                    reason: format!(
                        "the {what} starting on line {} is not JSON: {e}",
                        line.number
                    ),
                });
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

    fn index_of_line(&self, number: usize) -> usize {
        number.saturating_sub(1)
    }

    /// The index of the line holding byte `offset`.
    fn index_of_offset(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.offset <= offset)
            .saturating_sub(1)
    }

    fn description(&mut self, first: Line<'a>) {
        let mut text = String::new();
        while let Some(line) = self.lines.get(self.pos) {
            let t = line.text.trim();
            if t.is_empty() || self.start_of(t).is_some() {
                break;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(t);
            self.pos += 1;
        }
        self.page.description = Some(Located {
            line: first.number,
            value: text,
        });
        self.stage = Stage::BodyHeading;
    }

    /// A name/type/description triple, or an unparsed line.
    fn field(&mut self, line: Line<'a>) {
        let ty = self.lines.get(self.pos + 1).map(|l| l.text.trim());
        let description = self.lines.get(self.pos + 2).map(|l| l.text.trim());
        let triple = match (field_name.parse(line.text.trim()), ty, description) {
            (Ok(name), Some(ty), Some(description))
                if field_type.parse(ty).is_ok()
                    && !description.is_empty()
                    && self.start_of(description).is_none() =>
            {
                Some((name.to_string(), ty.to_string(), description.to_string()))
            }
            _ => None,
        };
        let Some((name, ty, description)) = triple else {
            self.unparsed(
                line,
                "expected a field: a name, a type line and a description line",
            );
            return;
        };
        let nested = if ty == "object" || ty == "array" {
            nested_fields
                .parse(description.as_str())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let list = if self.stage == Stage::BodyFields {
            self.page.body.as_mut()
        } else {
            self.page.response.as_mut()
        };
        if let Some(list) = list {
            list.fields.push(Field {
                name,
                line: line.number,
                ty,
                description,
                nested,
            });
        }
        self.pos += 3;
    }
}

/// The stages a line of their own opens, in page order.
const OPENED_BY_A_LINE: [Stage; 9] = [
    Stage::Chrome,
    Stage::Method,
    Stage::Path,
    Stage::Curl,
    Stage::Json,
    Stage::BodyHeading,
    Stage::ResponseHeading,
    Stage::RepeatedCurl,
    Stage::RepeatedJson,
];

/// Whether a (trimmed) line opens a stage.
fn opens(stage: Stage, text: &str) -> bool {
    match stage {
        Stage::Chrome => text == CHROME,
        Stage::Method => method_line.parse(text).is_ok(),
        Stage::Path => text == "/",
        Stage::Curl | Stage::RepeatedCurl => curl_line.parse(text).is_ok(),
        Stage::Json | Stage::RepeatedJson => text.starts_with('{') || text.starts_with('['),
        Stage::BodyHeading => text == "Body",
        Stage::ResponseHeading => text == "Response",
        Stage::Description | Stage::BodyFields | Stage::ResponseFields | Stage::End => false,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn real() -> Page {
        parse(crate::synth::base_page())
    }

    #[test]
    fn the_captured_page_parses_without_problems() {
        let page = real();
        assert_eq!(page.problems, vec![]);
        assert_eq!(
            page.method.as_ref().map(|m| (m.line, m.value.as_str())),
            Some((2, "POST"))
        );
        assert_eq!(
            page.path.as_ref().map(|p| (p.line, p.value.as_str())),
            Some((3, "/management/clients"))
        );
        assert_eq!(page.requests.len(), 2);
        assert_eq!(page.responses.len(), 2);
        assert_eq!(page.requests[0].line, 7);
        assert_eq!(page.requests[0].headers.len(), 2);
        assert_eq!(page.requests[0].headers[0].value.0, "X-API-KEY");
        assert_eq!(page.requests[0].data.as_ref().map(|d| d.line), Some(10));
        assert_eq!(page.responses[0].line, 30);
        assert_eq!(page.description.as_ref().map(|d| d.line), Some(43));
        let body = page.body.as_ref().map(|b| b.fields.len());
        assert_eq!(body, Some(25));
        let response = page.response.as_ref().map(|b| b.fields.len());
        assert_eq!(response, Some(11));
    }

    #[test]
    fn nested_fields_are_read_from_the_prose() {
        let page = real();
        let body = page.body.unwrap_or_else(|| panic!("a Body list"));
        let address = body.fields.iter().find(|f| f.name == "address");
        assert_eq!(
            address.map(|a| a.nested.join(",")),
            Some("street_line_1,street_line_2,city,postal_code,state,country".into())
        );
        let documents = body.fields.iter().find(|f| f.name == "documents");
        assert_eq!(documents.map(|d| d.nested.len()), Some(7));
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

    #[test]
    fn an_unclassified_line_is_a_problem_with_its_line() {
        let text = crate::synth::base_page().replace("\nBody\n", "\nWas this helpful?\nBody\n");
        let page = parse(&text);
        assert_eq!(page.problems.len(), 1, "{:?}", page.problems);
        assert_eq!(page.problems[0].line, 45);
        assert_eq!(page.problems[0].text, "Was this helpful?");
    }

    #[test]
    fn broken_json_is_a_problem_on_the_line_of_the_error() {
        let text = crate::synth::base_page().replacen(
            "\"type\": \"individual\",",
            "\"type\": individual,",
            1,
        );
        let page = parse(&text);
        assert!(
            page.problems
                .iter()
                .any(|p| p.line == 33 && p.reason.contains("not JSON")),
            "{:?}",
            page.problems
        );
    }

    #[test]
    fn the_line_grammars() {
        assert_eq!(
            curl_line.parse("curl -X POST \"https://x/y\" \\"),
            Ok(("POST", "https://x/y", true))
        );
        assert_eq!(
            header_line.parse("-H \"X-API-KEY: $KEY\" \\"),
            Ok(("X-API-KEY", "$KEY", true))
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
    }
}
