//! A [`miette::SourceCode`] over a loaded file: span reads in O(log n) through the parser's
//! [`LineIndex`], and never an overlong line handed to miette whole.

use entralint_parser::source::LineIndex;
use entralint_parser::{FileId, SourceMap};
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::fmt;
use std::sync::Arc;

/// Longest line (in bytes) of an input file rendered whole; longer lines are windowed around the
/// label.
pub(crate) const MAX_RENDERED_LINE: usize = 240;

/// A miette source for rendering labels in a loaded file (line-indexed, long lines windowed).
pub trait MietteSource {
    fn miette_source(&self, file: FileId) -> IndexedSource;
}

impl MietteSource for SourceMap {
    fn miette_source(&self, file: FileId) -> IndexedSource {
        let f = self.file(file);
        IndexedSource::with_lines(
            f.path.clone(),
            f.text.clone(),
            self.line_index(file),
            MAX_RENDERED_LINE,
        )
    }
}

/// Smallest accepted `max_line`.
const MIN_MAX_LINE: usize = 16;

/// A named source text implementing [`miette::SourceCode`] with O(log n) span reads.
///
/// For ordinary files (every line involved at most `max_line` bytes) `read_span` returns
/// exactly what miette's own `SourceCode for str` returns (same data, span, line and
/// `line_count`), except that columns are counted in chars, not bytes. Overlong lines are
/// never handed to miette whole: see [`SourceCode::read_span`] below.
#[derive(Clone)]
pub struct IndexedSource {
    name: String,
    text: Arc<String>,
    lines: Arc<LineIndex>,
    max_line: usize,
}

impl fmt::Debug for IndexedSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IndexedSource")
            .field("name", &self.name)
            .field("len", &self.text.len())
            .field("lines", &self.lines.line_count())
            .field("max_line", &self.max_line)
            .finish()
    }
}

impl IndexedSource {
    /// `max_line` (bytes, at least 16) is the longest line shown whole; longer lines are
    /// shown as a window of about `max_line / 2` bytes either side of the span.
    pub fn new(name: impl Into<String>, text: impl Into<String>, max_line: usize) -> Self {
        let text = Arc::new(text.into());
        let lines = Arc::new(LineIndex::new(&text));
        Self::with_lines(name, text, lines, max_line)
    }

    /// Like [`IndexedSource::new`], reusing a line index built earlier for the same text, so that
    /// rendering many diagnostics in one file scans it once.
    pub fn with_lines(
        name: impl Into<String>,
        text: Arc<String>,
        lines: Arc<LineIndex>,
        max_line: usize,
    ) -> Self {
        IndexedSource {
            name: name.into(),
            text,
            lines,
            max_line: max_line.max(MIN_MAX_LINE),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &Arc<String> {
        &self.text
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.lines
    }

    /// 1-based (line, column in chars) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(&self.text, offset)
    }

    fn is_long(&self, line: usize) -> bool {
        self.lines.line_len(&self.text, line) > self.max_line
    }

    fn chars_between(&self, start: usize, end: usize) -> usize {
        if start > end || self.text.get(start..end).is_none() {
            return 0;
        }
        self.lines.chars_between(&self.text, start, end)
    }
}

impl SourceCode for IndexedSource {
    /// Mirrors miette 7.6.0's `context_info` (used for `str`/`String`) for `\n` and `\r\n`
    /// texts:
    /// * data starts at the span itself when `context_lines_before == 0` (the column is then
    ///   the span's column, in chars), else at the start of the line `before` lines above;
    /// * data ends right after the span's last byte when `context_lines_after == 0`, else at
    ///   the end (incl. newline) of the line `after` lines below the line holding the byte
    ///   after the span (that is how miette counts);
    /// * `line_count` is the number of newlines from the start of the text to the end of the
    ///   data (not the number of lines in the data), as miette reports it.
    ///
    /// Deviations: context lines longer than `max_line` are dropped (context shrinks); if a
    /// line holding the span is longer than `max_line`, only a window of about
    /// `±max_line / 2` bytes around the span (within those lines, char-aligned) is returned
    /// with the real line number and the window's column, and without context lines.
    /// A lone `\r` is not a line break here (miette's `context_info` treats it as one while
    /// its renderer does not).
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &'a str = &self.text;
        let b = text.as_bytes();
        let n = b.len();
        let s = span.offset();
        let span_end = s.checked_add(span.len()).ok_or(MietteError::OutOfBounds)?;
        // miette accepts spans whose last byte is at most one past the end.
        let last = span_end.saturating_sub(1);
        if s > n || last > n {
            return Err(MietteError::OutOfBounds);
        }
        // `q`: where miette starts looking for the newlines that end the data.
        let q = if last >= n {
            n
        } else if b[last] == b'\r' && b.get(last + 1) == Some(&b'\n') {
            last + 2
        } else {
            last + 1
        };
        let first_line = self.lines.line_of(s);
        let q_line = self.lines.line_of(q);
        let windowed = (first_line..=q_line).any(|l| self.is_long(l));
        let line_total = self.lines.line_count();

        let (start, end, line, column);
        if !windowed {
            if context_lines_before == 0 {
                start = floor_char_boundary(text, s);
                line = first_line;
                column = self.chars_between(self.lines.line_start(first_line), start);
            } else {
                let mut l = first_line;
                while l > 0 && first_line - l < context_lines_before && !self.is_long(l - 1) {
                    l -= 1;
                }
                start = self.lines.line_start(l);
                line = l;
                column = 0;
            }
            end = if last >= n {
                n
            } else if context_lines_after == 0 {
                ceil_char_boundary(text, q)
            } else {
                let mut l = q_line;
                while l - q_line < context_lines_after && l + 1 < line_total && !self.is_long(l + 1)
                {
                    l += 1;
                }
                self.lines.line_end_full(l, n)
            };
        } else if context_lines_before == 0 && context_lines_after == 0 {
            // Header read: exact position; the data is capped (it is only rendered if the
            // handler was configured with zero context lines).
            start = floor_char_boundary(text, s);
            line = first_line;
            column = self.chars_between(self.lines.line_start(first_line), start);
            let e = if last >= n { n } else { q };
            end = if e - start > self.max_line {
                ceil_char_boundary(text, start + self.max_line)
            } else {
                ceil_char_boundary(text, e)
            };
        } else {
            let half = self.max_line / 2;
            let lo = self.lines.line_start(first_line);
            let hi = self.lines.line_end_content(text, q_line);
            let hi_full = self.lines.line_end_full(q_line, n);
            start = floor_char_boundary(text, lo.max(s.saturating_sub(half)));
            let tail = span_end
                .min(n)
                .min(s.saturating_add(half))
                .saturating_add(half);
            end = if tail >= hi {
                hi_full
            } else {
                ceil_char_boundary(text, tail)
            }
            .max(start);
            line = first_line;
            column = self.chars_between(lo, start);
        }

        let line_count = self.lines.line_of(end);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &b[start..end],
            SourceSpan::new(start.into(), end - start),
            line,
            column,
            line_count,
        )))
    }
}

fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use entralint_parser::source::SpanIndex;
    use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
    use std::ops::Range;

    struct Contents {
        data: Vec<u8>,
        span: SourceSpan,
        line: usize,
        column: usize,
        line_count: usize,
        name: Option<String>,
    }

    fn read(
        src: &dyn SourceCode,
        span: SourceSpan,
        before: usize,
        after: usize,
    ) -> Option<Contents> {
        let c = src.read_span(&span, before, after).ok()?;
        Some(Contents {
            data: c.data().to_vec(),
            span: *c.span(),
            line: c.line(),
            column: c.column(),
            line_count: c.line_count(),
            name: c.name().map(String::from),
        })
    }

    /// Compare with `str`'s implementation for every span (s, len) of `text`.
    fn assert_same_as_miette(text: &str, max_line: usize) {
        let ours = IndexedSource::new("f.json", text, max_line);
        let n = text.len();
        for s in 0..=n {
            for len in 0..=(n + 1 - s).min(12) {
                // Spans inside a char are malformed; we snap them to char boundaries.
                let end = s + len;
                if !text.is_char_boundary(s) || (end <= n && !text.is_char_boundary(end)) {
                    continue;
                }
                for before in 0..3 {
                    for after in 0..3 {
                        let span = SourceSpan::new(s.into(), len);
                        let theirs = read(&text, span, before, after).expect("miette reads it");
                        let mine = read(&ours, span, before, after).expect("we read it");
                        let ctx = format!("{text:?} span {s}+{len} ctx {before}/{after}");
                        assert_eq!(mine.data, theirs.data, "{ctx}");
                        assert_eq!(mine.span, theirs.span, "{ctx}");
                        assert_eq!(mine.line, theirs.line, "{ctx}");
                        assert_eq!(mine.line_count, theirs.line_count, "{ctx}");
                        assert_eq!(mine.name.as_deref(), Some("f.json"));
                        // Our column: 0 with context before, else the true column in chars.
                        let start = mine.span.offset();
                        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
                        let true_col = text[line_start..start].chars().count();
                        assert_eq!(mine.column, if before > 0 { 0 } else { true_col }, "{ctx}");
                        // miette counts the column in bytes, and resets it to 0 when it sees a
                        // newline after the span while collecting `after` lines (a combination
                        // its handlers never request), so only compare the other cases.
                        // (A span starting on the '\n' of "\r\n" is also skipped: miette does
                        // not count the '\r' as a column there, we do.)
                        let at_crlf = start > 0 && text.as_bytes()[start - 1] == b'\r';
                        if (before > 0 || after == 0) && !at_crlf {
                            let col_text = &text.as_bytes()[start - theirs.column..start];
                            let chars = std::str::from_utf8(col_text).unwrap().chars().count();
                            assert_eq!(mine.column, chars, "{ctx}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn read_span_matches_miette_lf() {
        assert_same_as_miette(
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"é\": \"中\"\n}",
            200,
        );
        assert_same_as_miette("\n\n[1]\n\n", 200);
        assert_same_as_miette("[]", 200);
        assert_same_as_miette("", 200);
    }

    #[test]
    fn read_span_matches_miette_crlf() {
        assert_same_as_miette(
            "{\r\n  \"a\": [\r\n    1\r\n  ],\r\n  \"b\": {}\r\n}\r\n",
            200,
        );
        assert_same_as_miette("\r\n\r\n1\r\n", 200);
    }

    #[test]
    fn read_span_out_of_bounds() {
        let src = IndexedSource::new("x", "[1, 2]", 200);
        let n = 6;
        assert!(src.read_span(&SourceSpan::new(n.into(), 1), 1, 1).is_ok());
        assert!(src
            .read_span(&SourceSpan::new((n + 1).into(), 0), 1, 1)
            .is_err());
        assert!(src.read_span(&SourceSpan::new(n.into(), 2), 1, 1).is_err());
        assert!(src
            .read_span(&SourceSpan::new(usize::MAX.into(), 2), 1, 1)
            .is_err());
        assert!(read(&"[1, 2]", SourceSpan::new(n.into(), 2), 1, 1).is_none());
    }

    #[test]
    fn read_span_windows_long_lines() {
        let long = format!("[{}\"target\"{}]", "1,".repeat(5000), ",2".repeat(5000));
        let text = format!("{{\n\"k\": {long},\n\"z\": 0\n}}\n");
        let src = IndexedSource::new("big.json", text.as_str(), 200);
        let at = text.find("\"target\"").unwrap();
        let span = SourceSpan::new(at.into(), 8);
        let c = read(&src, span, 1, 1).unwrap();
        assert!(c.data.len() <= 220, "{}", c.data.len());
        let data = std::str::from_utf8(&c.data).unwrap();
        assert!(data.contains("\"target\""));
        assert!(!data.contains('\n'));
        assert_eq!(c.line, 1);
        let line_start = text.find("\"k\"").unwrap();
        assert_eq!(c.column, c.span.offset() - line_start);
        assert!(c.span.offset() <= at && at + 8 <= c.span.offset() + c.span.len());
        assert_eq!(c.line_count, 1);
        // Header read: starts at the span, true column.
        let h = read(&src, span, 0, 0).unwrap();
        assert_eq!((h.line, h.column), (1, at - line_start));
        assert_eq!(h.data, b"\"target\"");
        // A short line next to the long one keeps its context, minus the long line.
        let z = text.find("\"z\"").unwrap();
        let c = read(&src, SourceSpan::new(z.into(), 3), 1, 1).unwrap();
        assert_eq!(std::str::from_utf8(&c.data).unwrap(), "\"z\": 0\n}\n");
        assert_eq!(c.line, 2);
        // A span on a long line that starts at the line's '\n' keeps the newline in the window.
        let nl = text[at..].find('\n').unwrap() + at;
        let c = read(&src, SourceSpan::new(nl.into(), 0), 1, 1).unwrap();
        assert_eq!(c.data.last(), Some(&b'\n'));
        assert!(c.data.len() <= 120);
        // Multi-byte chars: the window is char-aligned and the column counts chars.
        let wide = format!("[\"{}\", 1]", "é中".repeat(3000));
        let src = IndexedSource::new("w.json", wide.as_str(), 100);
        let one = wide.rfind('1').unwrap();
        let c = read(&src, SourceSpan::new(one.into(), 1), 2, 2).unwrap();
        let data = std::str::from_utf8(&c.data).unwrap();
        assert!(data.ends_with("1]"));
        assert_eq!(c.column, wide[..c.span.offset()].chars().count());
        let h = read(&src, SourceSpan::new(one.into(), 1), 0, 0).unwrap();
        assert_eq!(h.column, 6005);
    }

    // Rendering through miette's graphical handler.

    struct Diag<'s> {
        src: &'s dyn SourceCode,
        labels: Vec<LabeledSpan>,
    }

    impl fmt::Display for Diag<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("invalid policy")
        }
    }

    impl std::error::Error for Diag<'_> {}

    impl Diagnostic for Diag<'_> {
        fn source_code(&self) -> Option<&dyn SourceCode> {
            Some(self.src)
        }
        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            Some(Box::new(self.labels.clone().into_iter()))
        }
    }

    impl fmt::Debug for Diag<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("Diag")
                .field("labels", &self.labels)
                .finish()
        }
    }

    fn render(src: &dyn SourceCode, labels: &[LabeledSpan]) -> String {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_links(false)
            .with_width(100);
        let diag = Diag {
            src,
            labels: labels.to_vec(),
        };
        let mut out = String::new();
        handler.render_report(&mut out, &diag).unwrap();
        out
    }

    fn label(text: &str, span: Range<usize>) -> LabeledSpan {
        LabeledSpan::new(Some(text.to_string()), span.start, span.len())
    }

    #[test]
    fn render_identical_to_named_source() {
        let value = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"},
                {"Effect": "Deny", "Action": "iam:*", "Resource": ["a", "b"]}
            ],
            "empty": {}
        });
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        for text in [pretty.clone(), pretty.replace('\n', "\r\n") + "\r\n"] {
            let idx = SpanIndex::build(&text);
            let ours = IndexedSource::new("policy.json", text.as_str(), 200);
            let theirs = NamedSource::new("policy.json", text.clone());
            let at = |p: &str| idx.resolve(&text, p);
            let label_sets: Vec<Vec<LabeledSpan>> = vec![
                vec![label("here", at("/Statement/1/Action").value)],
                vec![label("first", at("/Version").value)],
                vec![label("last", at("/empty").value)],
                vec![label("key", at("/Statement/0/Effect").key.unwrap())],
                vec![label("whole statement", at("/Statement/0").value)],
                vec![
                    label("one", at("/Statement/0/Action/1").value),
                    label("two", at("/Statement/1/Resource/0").value),
                    LabeledSpan::new(None, at("/Statement/1/Effect").value.start, 0),
                ],
                vec![label("root", at("").value)],
                vec![LabeledSpan::new(Some("eof".into()), text.len(), 0)],
            ];
            for labels in &label_sets {
                let expected = render(&theirs, labels);
                let got = render(&ours, labels);
                assert_eq!(got, expected);
                assert!(got.contains("policy.json:"));
            }
        }
    }

    #[test]
    fn render_megabyte_line_is_windowed() {
        // ~1 MB single line; the label sits near column 500,000.
        let mut items: Vec<String> = (0..100_000).map(|i| (100_000 + i).to_string()).collect();
        items[71_428] = "\"BAD\"".to_string();
        let text = format!("[{}]", items.join(","));
        assert!(text.len() > 690_000);
        let text = format!("{text}{}", " ".repeat(1_000_000 - text.len()));
        let idx = SpanIndex::build(&text);
        let r = idx.resolve(&text, "/71428");
        assert_eq!(&text[r.value.clone()], "\"BAD\"");
        let src = IndexedSource::new("big.json", text.as_str(), 200);
        let out = render(&src, &[label("not a number", r.value.clone())]);
        assert!(out.len() < 4096, "{} bytes", out.len());
        let (line, col) = src.line_col(r.value.start);
        assert_eq!(line, 1);
        assert!(col > 499_000 && col < 501_000, "{col}");
        assert!(out.contains(&format!("[big.json:1:{col}]")), "{out}");
        assert!(out.contains("\"BAD\""));
        assert!(out.contains("not a number"));
    }

    #[test]
    fn render_many_labels_in_large_document() {
        use std::fmt::Write;
        let mut text = String::from("[\n");
        let mut i = 0;
        while text.len() < 20_000_000 {
            write!(
                text,
                "  {{\n    \"id\": {i},\n    \"name\": \"item {i}\",\n    \"tags\": [\n      \"x\",\n      \"y\"\n    ]\n  }},\n"
            )
            .unwrap();
            i += 1;
        }
        text.push_str("  null\n]\n");
        let idx = SpanIndex::build(&text);
        let labels: Vec<LabeledSpan> = (i - 1000..i)
            .map(|k| {
                let r = idx.resolve(&text, &format!("/{k}/name"));
                assert!(r.exact);
                label("bad name", r.value)
            })
            .collect();
        let src = IndexedSource::new("huge.json", text, 200);
        let out = render(&src, &labels);
        assert!(out.contains("bad name"));
    }
}
