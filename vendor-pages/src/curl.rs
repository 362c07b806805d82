//! The grammar of a page's cURL example: one `curl` command, its lines joined by
//! a trailing `\`, words quoted as a POSIX shell quotes them.
//!
//! The options the vendor writes are read: `-X` (the method), the URL, `-H`
//! (a header), `-d` (the body, usually a JSON object in single quotes) and
//! `--output`. Any other option, a second URL or a second command is a
//! [`Problem`] on its line: a page whose example cannot be sent as written is
//! worth knowing about.

use crate::{Located, Problem};

/// A cURL command of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Curl {
    /// The line of `curl`.
    pub line: usize,
    /// The method: `-X`, else `POST` when there is a body, else `GET` (as curl
    /// does).
    pub method: String,
    /// The URL, as written (it may carry a query string).
    pub url: Located<String>,
    /// The `-H` headers, name and value, each with its line.
    pub headers: Vec<Located<(String, String)>>,
    /// The `-d` body as written; its first line is the line of its opening quote.
    pub data: Option<Located<String>>,
    /// The file `--output` writes the answer to.
    pub output: Option<String>,
}

impl Curl {
    /// The value of a header, by name in any case (HTTP names are
    /// case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.value.0.eq_ignore_ascii_case(name))
            .map(|h| h.value.1.as_str())
    }

    /// The URL's path, without scheme, host and query (`/management/clients`).
    pub fn path(&self) -> &str {
        let url = self.url.value.as_str();
        let url = url.split(['?', '#']).next().unwrap_or(url);
        match url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => url,
        }
    }

    /// The URL's scheme and host (`https://api.cryptomate.me`).
    pub fn origin(&self) -> &str {
        let url = self.url.value.as_str();
        match url.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.find('/').map_or(rest.len(), |i| i);
                &url[..scheme.len() + 3 + host]
            }
            None => "",
        }
    }

    /// The query parameters of the URL, decoded no further than written.
    pub fn query(&self) -> Vec<(String, String)> {
        let url = self.url.value.as_str();
        let Some((_, query)) = url.split_once('?') else {
            return Vec::new();
        };
        let query = query.split('#').next().unwrap_or(query);
        query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (pair.to_string(), String::new()),
            })
            .collect()
    }
}

/// A word of the command, with the line it starts on.
struct Word {
    line: usize,
    text: String,
}

/// Parses a cURL example whose first line is page line `first_line`.
pub fn parse(text: &str, first_line: usize) -> Result<Curl, Problem> {
    let words = words(text, first_line)?;
    let mut words = words.into_iter();
    let problem = |line: usize, reason: String| Problem {
        line,
        text: text
            .lines()
            .nth(line - first_line)
            .unwrap_or_default()
            .trim()
            .to_string(),
        reason,
    };
    let first = match words.next() {
        Some(w) if w.text == "curl" => w,
        Some(w) => return Err(problem(w.line, "the example is not a curl command".into())),
        None => return Err(problem(first_line, "the cURL example is empty".into())),
    };
    let mut method = None;
    let mut url: Option<Located<String>> = None;
    let mut headers = Vec::new();
    let mut data = None;
    let mut output = None;
    while let Some(word) = words.next() {
        let mut value = |option: &str| {
            words
                .next()
                .ok_or_else(|| problem(word.line, format!("{option} has no value")))
        };
        match word.text.as_str() {
            "-X" | "--request" => method = Some(value("-X")?.text),
            "-H" | "--header" => {
                let header = value("-H")?;
                let Some((name, v)) = header.text.split_once(':') else {
                    return Err(problem(
                        header.line,
                        format!("the header {:?} has no `:`", header.text),
                    ));
                };
                headers.push(Located::new(
                    header.line,
                    (name.trim().to_string(), v.trim().to_string()),
                ));
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" => {
                let body = value("-d")?;
                data = Some(Located::new(body.line, body.text));
            }
            "-o" | "--output" => output = Some(value("--output")?.text),
            option if option.starts_with('-') => {
                return Err(problem(
                    word.line,
                    format!(
                        "the curl option {option} is not one the pages use (-X, -H, -d, --output)"
                    ),
                ));
            }
            _ if url.is_some() => {
                return Err(problem(word.line, format!("a second URL {:?}", word.text)));
            }
            _ => url = Some(Located::new(word.line, word.text)),
        }
    }
    let Some(url) = url else {
        return Err(problem(first.line, "the curl command has no URL".into()));
    };
    let method = method.unwrap_or_else(|| if data.is_some() { "POST" } else { "GET" }.to_string());
    Ok(Curl {
        line: first.line,
        method,
        url,
        headers,
        data,
        output,
    })
}

/// Splits a command into words as a POSIX shell does: single quotes keep
/// everything, double quotes keep everything but `\"`, `\\`, `\$` and `` \` ``,
/// a backslash before a newline joins two lines. A newline that does not follow
/// a backslash ends the command; anything after it is a problem.
fn words(text: &str, first_line: usize) -> Result<Vec<Word>, Problem> {
    let mut words = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = first_line;
    let mut current: Option<Word> = None;
    let unterminated = |line: usize, quote: char| Problem {
        line,
        text: text
            .lines()
            .nth(line - first_line)
            .unwrap_or_default()
            .trim()
            .to_string(),
        reason: format!("a {quote} quote is not closed: the example is cut short"),
    };
    let mut ended_at = None;
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                line += 1;
                if let Some(w) = current.take() {
                    words.push(w);
                }
                // The command ends here; the rest must be blank.
                ended_at.get_or_insert(line);
            }
            ' ' | '\t' | '\r' => {
                if let Some(w) = current.take() {
                    words.push(w);
                }
            }
            '\\' if chars.peek() == Some(&'\n') => {
                chars.next();
                line += 1;
                if let Some(w) = current.take() {
                    words.push(w);
                }
            }
            _ if ended_at.is_some() => {
                let at = line;
                return Err(Problem {
                    line: at,
                    text: text
                        .lines()
                        .nth(at - first_line)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                    reason: "a line after the end of the curl command (a line before it lacks its trailing `\\`)".into(),
                });
            }
            '\'' => {
                let word = current.get_or_insert(Word {
                    line,
                    text: String::new(),
                });
                let start = line;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            word.text.push(c);
                        }
                        None => return Err(unterminated(start, '\'')),
                    }
                }
            }
            '"' => {
                let word = current.get_or_insert(Word {
                    line,
                    text: String::new(),
                });
                let start = line;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(e @ ('"' | '\\' | '$' | '`')) => word.text.push(e),
                            Some('\n') => line += 1,
                            Some(other) => {
                                word.text.push('\\');
                                word.text.push(other);
                            }
                            None => return Err(unterminated(start, '"')),
                        },
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            word.text.push(c);
                        }
                        None => return Err(unterminated(start, '"')),
                    }
                }
            }
            '\\' => {
                let word = current.get_or_insert(Word {
                    line,
                    text: String::new(),
                });
                if let Some(next) = chars.next() {
                    word.text.push(next);
                }
            }
            c => current
                .get_or_insert(Word {
                    line,
                    text: String::new(),
                })
                .text
                .push(c),
        }
    }
    if let Some(w) = current.take() {
        words.push(w);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_with_headers_and_a_json_body() {
        let text = "curl -X POST \"https://api.cryptomate.me/management/clients\" \\\n  -H \"x-api-key: $CRYPTOMATE_API_KEY\" \\\n  -H \"Content-Type: application/json\" \\\n  -d '{\n    \"a\": 1\n  }'\n";
        let curl = parse(text, 10).expect("a curl command");
        assert_eq!(curl.method, "POST");
        assert_eq!(
            curl.url.value,
            "https://api.cryptomate.me/management/clients"
        );
        assert_eq!(curl.path(), "/management/clients");
        assert_eq!(curl.origin(), "https://api.cryptomate.me");
        assert_eq!(curl.header("X-API-KEY"), Some("$CRYPTOMATE_API_KEY"));
        assert_eq!(curl.headers[1].line, 12);
        let data = curl.data.expect("a body");
        assert_eq!(data.line, 13);
        assert_eq!(data.value, "{\n    \"a\": 1\n  }");
    }

    #[test]
    fn without_x_and_with_a_query_and_an_output() {
        let text =
            "curl \"https://h/cards/1/pdf?from_date=2026-01-01&to_date=x\" \\\n  --output t.pdf\n";
        let curl = parse(text, 1).expect("a curl command");
        assert_eq!(curl.method, "GET");
        assert_eq!(curl.path(), "/cards/1/pdf");
        assert_eq!(
            curl.query(),
            vec![
                ("from_date".to_string(), "2026-01-01".to_string()),
                ("to_date".to_string(), "x".to_string())
            ]
        );
        assert_eq!(curl.output.as_deref(), Some("t.pdf"));
    }

    #[test]
    fn what_cannot_be_sent_as_written_is_a_problem_on_its_line() {
        let cut = parse("curl -X POST \"https://h/x\" \\\n  -d '{\n  \"a\": 1\n", 5)
            .expect_err("cut short");
        assert_eq!(cut.line, 6);
        assert!(cut.reason.contains("not closed"), "{cut:?}");
        let lost = parse("curl -X GET \"https://h/x\"\n  -H \"a: b\"\n", 1).expect_err("no `\\`");
        assert_eq!(lost.line, 2);
        let option = parse("curl -k \"https://h/x\"\n", 1).expect_err("-k");
        assert!(option.reason.contains("-k"), "{option:?}");
        assert!(parse("wget https://h/x\n", 1).is_err());
        assert!(parse("curl -X GET\n", 1).is_err());
    }
}
