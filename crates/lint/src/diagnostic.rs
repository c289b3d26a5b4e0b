//! One `miette::Diagnostic` for every finding: code and severity, message, help, the primary label,
//! related labels in the same file, and related diagnostics for links in other files.
//!
//! Everything a diagnostic shows that comes from the export or the settings — messages naming
//! policies, users and groups, file names, the excerpt of the file — is made [`printable`] first:
//! those names are set by the tenant's users, and a control character in one would otherwise reach
//! the terminal as the start of an escape sequence.

use crate::run::Resolved;
use crate::source_code::{IndexedSource, MAX_RENDERED_LINE};
use crate::Severity;
use entralint_parser::source::LineIndex;
use entralint_parser::{FileId, SourceMap};
use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

pub struct FindingDiagnostic {
    code: String,
    message: String,
    severity: Severity,
    help: Option<String>,
    url: Option<String>,
    source: Shown,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedDiagnostic>,
}

/// A link of the chain that lives in another file.
pub struct RelatedDiagnostic {
    message: String,
    source: Shown,
    span: LabeledSpan,
}

/// Related labels within this many lines of the primary one share its snippet.
const NEAR_LINES: usize = 6;

/// Builds the diagnostic of a resolved finding. `docs_url` is the base URL of docs/rules/.
pub fn diagnostic(
    r: &Resolved,
    sources: &Sources<'_>,
    docs_url: Option<&str>,
) -> FindingDiagnostic {
    let f = &r.finding;
    let source = sources.shown(r.file);
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        f.label.as_deref().map(|l| printable(l).into_owned()),
        source.span(&r.span),
    )];
    let mut related = Vec::new();
    for rel in &r.related {
        let message = printable(&rel.message).into_owned();
        // A label more than a few lines away would make miette print every line in between.
        let near = rel.file == r.file && rel.start.line.abs_diff(r.start.line) <= NEAR_LINES;
        if near {
            labels.push(LabeledSpan::new_with_span(
                Some(message),
                source.span(&rel.span),
            ));
        } else {
            let source = sources.shown(rel.file);
            related.push(RelatedDiagnostic {
                message,
                span: LabeledSpan::new_primary_with_span(None, source.span(&rel.span)),
                source,
            });
        }
    }
    FindingDiagnostic {
        code: format!(
            "entralint::{} ({}{})",
            f.code,
            f.severity,
            if r.suppressed.is_some() {
                ", suppressed"
            } else {
                ""
            }
        ),
        message: printable(&f.message).into_owned(),
        severity: f.severity,
        help: f
            .help
            .as_ref()
            .map(|h| format!("{} (entralint explain {})", printable(h), f.code)),
        url: docs_url.map(|base| format!("{}/{}.md", base.trim_end_matches('/'), f.code)),
        source,
        labels,
        related,
    }
}

/// Whether a character is shown escaped: the control characters (C0, DEL and C1, which begin,
/// end or stand for terminal escape sequences, and move the cursor) and the explicit directional
/// formatting characters of Unicode Standard Annex #9 (embeddings, overrides and isolates, which
/// reorder the text shown around them).
pub fn is_escaped(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `text` holds a character `needs_escape` (given its offset) says is escaped, looking
/// only at the characters that can be: those [`is_escaped`] may hold start with a control byte,
/// DEL, or the first byte of a C1 control (U+0080 to U+009F) or of a direction mark (U+202A to
/// U+202E, U+2066 to U+2069). A file of findings is looked through once before it is shown, and
/// an export is mostly ASCII: a byte is looked up, not decoded.
fn escapes_any(text: &str, needs_escape: impl Fn(usize, char) -> bool) -> bool {
    static MAY_START: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 0x20 {
            table[b] = true;
            b += 1;
        }
        table[0x7f] = true;
        table[0xc2] = true;
        table[0xe2] = true;
        table
    };
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(n) = bytes[from..]
        .iter()
        .position(|&b| MAY_START[usize::from(b)])
    {
        let at = from + n;
        // Each byte of the table is ASCII or starts a character: `at` is a character boundary.
        if text[at..]
            .chars()
            .next()
            .is_some_and(|c| needs_escape(at, c))
        {
            return true;
        }
        from = at + 1;
    }
    false
}

/// Text safe to print to a terminal or a log: every character [`is_escaped`] is written as an
/// escape (`\t`, `\n`, `\r`, else `\u{1b}` with its code point in hexadecimal), the rest as it is.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !escapes_any(text, |_, c| is_escaped(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_shown(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends `c` as [`printable`] shows it.
fn push_shown(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if is_escaped(c) => {
            use fmt::Write;
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// The files of a run as diagnostics show them. Each file is checked for characters to escape
/// once, when a finding in it is first rendered; the few that hold any are shown through an
/// escaped copy.
pub struct Sources<'a> {
    map: &'a SourceMap,
    shown: RefCell<HashMap<FileId, Shown>>,
}

impl<'a> Sources<'a> {
    pub fn new(map: &'a SourceMap) -> Self {
        Sources {
            map,
            shown: RefCell::default(),
        }
    }

    fn shown(&self, file: FileId) -> Shown {
        self.shown
            .borrow_mut()
            .entry(file)
            .or_insert_with(|| Shown::new(self.map, file))
            .clone()
    }
}

/// A file as a diagnostic shows it: its name and text made printable. Line breaks (`\n`, `\r\n`)
/// and tabs stay, so lines keep their numbers; an escape lengthens its line, so spans are moved to
/// the shown text with [`Shown::span`], and the columns a header shows are counted back in the
/// file, where the reports count them.
#[derive(Clone)]
struct Shown {
    source: IndexedSource,
    /// `None` when the text is shown as it is.
    escapes: Option<Arc<Escapes>>,
}

struct Escapes {
    /// The escaped characters, in order.
    at: Vec<Escape>,
    /// The file's own text and lines.
    text: Arc<String>,
    lines: Arc<LineIndex>,
}

/// One escaped character: where it is in the file and in the shown text, and its length in each.
#[derive(Clone, Copy)]
struct Escape {
    file: usize,
    shown: usize,
    file_len: usize,
    shown_len: usize,
}

impl Shown {
    fn new(map: &SourceMap, file: FileId) -> Shown {
        let f = map.file(file);
        let name = printable(&f.path).into_owned();
        let text = &f.text;
        let needs_escape = |i: usize, c: char| {
            is_escaped(c)
                && !(c == '\n'
                    || c == '\t'
                    || (c == '\r' && text.as_bytes().get(i + 1) == Some(&b'\n')))
        };
        if !escapes_any(text, needs_escape) {
            return Shown {
                source: IndexedSource::with_lines(
                    name,
                    text.clone(),
                    map.line_index(file),
                    MAX_RENDERED_LINE,
                ),
                escapes: None,
            };
        }
        let mut shown = String::with_capacity(text.len() + 64);
        let mut at = Vec::new();
        for (i, c) in text.char_indices() {
            if needs_escape(i, c) {
                let start = shown.len();
                push_shown(&mut shown, c);
                at.push(Escape {
                    file: i,
                    shown: start,
                    file_len: c.len_utf8(),
                    shown_len: shown.len() - start,
                });
            } else {
                shown.push(c);
            }
        }
        Shown {
            source: IndexedSource::new(name, shown, MAX_RENDERED_LINE),
            escapes: Some(Arc::new(Escapes {
                at,
                text: text.clone(),
                lines: map.line_index(file),
            })),
        }
    }

    /// A span of the file, in the shown text.
    fn span(&self, span: &Range<usize>) -> SourceSpan {
        let (start, end) = match &self.escapes {
            None => (span.start, span.end.max(span.start)),
            Some(e) => (e.to_shown(span.start), e.to_shown(span.end.max(span.start))),
        };
        SourceSpan::new(start.into(), end - start)
    }
}

impl Escapes {
    /// Where an offset of the file is in the shown text.
    fn to_shown(&self, offset: usize) -> usize {
        let i = self.at.partition_point(|e| e.file < offset);
        match i.checked_sub(1).map(|i| self.at[i]) {
            None => offset,
            Some(e) => e.shown + e.shown_len + offset.saturating_sub(e.file + e.file_len),
        }
    }

    /// Where an offset of the shown text is in the file (inside an escape: at its character).
    fn to_file(&self, offset: usize) -> usize {
        let i = self.at.partition_point(|e| e.shown < offset);
        match i.checked_sub(1).map(|i| self.at[i]) {
            None => offset,
            Some(e) if offset < e.shown + e.shown_len => e.file,
            Some(e) => e.file + e.file_len + (offset - e.shown - e.shown_len),
        }
    }
}

impl SourceCode for Shown {
    /// The shown text's contents, with the column of the file.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self
            .source
            .read_span(span, context_lines_before, context_lines_after)?;
        let Some(e) = &self.escapes else {
            return Ok(contents);
        };
        let start = e.to_file(contents.span().offset());
        let (_, column) = e.lines.line_col(&e.text, start);
        Ok(Box::new(MietteSpanContents::new_named(
            contents.name().unwrap_or_default().to_owned(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column - 1,
            contents.line_count(),
        )))
    }
}

impl fmt::Debug for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Critical | Severity::High => miette::Severity::Error,
            Severity::Medium => miette::Severity::Warning,
            Severity::Low => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

impl fmt::Debug for RelatedDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for RelatedDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedDiagnostic {}

impl Diagnostic for RelatedDiagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.span.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_controls_and_keeps_the_rest() {
        assert_eq!(
            printable("evil\u{1b}]0;pwned\u{7}\u{1b}[2J"),
            r"evil\u{1b}]0;pwned\u{7}\u{1b}[2J"
        );
        assert_eq!(printable("a\tb\r\nc\u{7f}"), r"a\tb\r\nc\u{7f}");
        // The 8-bit control sequence introducer, and a right-to-left override.
        assert_eq!(printable("\u{9b}2J \u{202e}exe"), r"\u{9b}2J \u{202e}exe");
        for kept in ["Zoë — 中文 😀", "👩\u{200d}💻", "שלום\u{200f}", r"C:\path"] {
            assert!(matches!(printable(kept), Cow::Borrowed(_)), "{kept}");
        }
    }

    #[test]
    fn escapes_are_found_where_decoding_finds_them() {
        let every = |text: &str| text.chars().any(is_escaped);
        for text in [
            "",
            "plain",
            "a\u{1b}b",
            "\u{7f}",
            "\u{80}x",
            "\u{9f}",
            "\u{a0}\u{100}",
            "é—€",
            "x\u{202a}",
            "\u{202e}",
            "\u{2029}\u{202f}",
            "\u{2066}",
            "\u{2069}",
            "\u{206a}",
            "中文 😀",
            "tab\there",
            "line\n",
            "\r\n",
        ] {
            assert_eq!(
                escapes_any(text, |_, c| is_escaped(c)),
                every(text),
                "{text:?}"
            );
        }
        // Every character: the bytes looked at are all those an escaped character starts with.
        let mut buf = [0u8; 4];
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let text = c.encode_utf8(&mut buf);
            assert_eq!(
                escapes_any(text, |_, c| is_escaped(c)),
                is_escaped(c),
                "{c:?}"
            );
        }
        // What is asked of each character is asked with its offset.
        assert!(escapes_any("ab\r", |i, c| c == '\r' && i == 2));
        assert!(!escapes_any("ab\r\n", |i, c| c == '\r' && i == 3));
    }

    #[test]
    fn shown_text_keeps_lines_and_moves_spans() {
        let text = "{\"a\": \"x\u{1b}y\u{9b}\", \"b\": 1}\r\n[\"\r\", \"\u{202e}\", 2]\n";
        let mut map = SourceMap::default();
        let file = map.add("t\u{1b}.json".to_owned(), text.to_owned(), None, 0);
        let shown = Shown::new(&map, file);
        let e = shown
            .escapes
            .clone()
            .expect("the text has characters to escape");
        let data = shown.source.text();
        assert_eq!(
            data.as_str(),
            "{\"a\": \"x\\u{1b}y\\u{9b}\", \"b\": 1}\r\n[\"\\r\", \"\\u{202e}\", 2]\n"
        );
        assert_eq!(shown.source.name(), r"t\u{1b}.json");
        for (o, _) in text.char_indices() {
            assert_eq!(e.to_file(e.to_shown(o)), o, "offset {o}");
        }
        for value in ["1", "2"] {
            let at = text.find(value).unwrap();
            let span = shown.span(&(at..at + 1));
            assert_eq!(&data[span.offset()..span.offset() + span.len()], value);
            // A header reads the span alone: line and column as the file counts them.
            let c = shown.read_span(&span, 0, 0).unwrap();
            let (line, column) = map.line_index(file).line_col(text, at);
            assert_eq!((c.line() + 1, c.column() + 1), (line, column), "{value}");
        }
        let clean = map.add("c.json".to_owned(), "[1,\t2]\r\n".to_owned(), None, 0);
        assert!(Shown::new(&map, clean).escapes.is_none());
    }
}
