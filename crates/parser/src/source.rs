//! Source positions for JSON documents.
//!
//! * [`SpanIndex`]: byte spans of every value (and of every member key) of a JSON text,
//!   built in one iterative pass, queried with RFC 6901 JSON pointers.
//! * [`LineIndex`]: line start offsets, 1-based line/column (column in chars) lookup.
//! * [`IndexedSource`]: a [`miette::SourceCode`] that reads spans in O(log n) and never
//!   hands miette an overlong line.
//!
//! Nothing in here panics on malformed input, and nothing recurses on document depth.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

// ---------------------------------------------------------------------------------------------
// SpanIndex
// ---------------------------------------------------------------------------------------------

/// Marker for "no key" in [`Node::key_start`].
const NO_KEY: u32 = u32::MAX;

const KIND_SCALAR: u8 = 0;
const KIND_OBJECT: u8 = 1;
const KIND_ARRAY: u8 = 2;
/// Flag bit: the member key contains a backslash escape and must be decoded before comparing.
const FLAG_KEY_ESCAPED: u8 = 4;

/// One JSON value. 28 bytes.
#[derive(Clone, Copy, Debug)]
struct Node {
    start: u32,
    end: u32,
    /// Span of the member key including its quotes; `NO_KEY` for array elements and the root.
    key_start: u32,
    key_end: u32,
    /// Direct children: `children[children_start .. children_start + children_len]`.
    children_start: u32,
    children_len: u32,
    flags: u8,
}

impl Node {
    fn kind(&self) -> u8 {
        self.flags & 3
    }
}

/// Byte spans of all values (and member keys) of a JSON text.
///
/// Node 0 is the root value (if any); nodes are stored in document (pre-)order and each
/// container lists its direct children contiguously in `children`, so array indexing is O(1)
/// and an object lookup is O(number of members).
#[derive(Clone, Debug, Default)]
pub struct SpanIndex {
    nodes: Vec<Node>,
    children: Vec<u32>,
}

/// Result of [`SpanIndex::resolve`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The pointer actually resolved, spelled with the keys as they are in the text
    /// (RFC 6901 escaped).
    pub pointer: String,
    /// Whether every token of the requested pointer was resolved (a case-insensitive key
    /// match counts as resolved; compare `pointer` with the request to detect it).
    pub exact: bool,
    /// Span of the member key including its quotes; `None` for array elements and the root.
    pub key: Option<Range<usize>>,
    /// Span of the value.
    pub value: Range<usize>,
}

struct Frame {
    node: u32,
    /// Length of `pending` right after this container was opened.
    base: usize,
    is_object: bool,
}

/// Internal result of a pointer walk.
struct Walk {
    node: usize,
    pointer: String,
    exact: bool,
}

impl SpanIndex {
    /// Index `text` in one pass with an explicit stack.
    ///
    /// `text` is expected to be valid JSON; on invalid or truncated input indexing stops at
    /// the first problem and everything found so far is kept (unclosed containers end where
    /// indexing stopped). Texts longer than `u32::MAX` bytes yield an empty index.
    pub fn build(text: &str) -> SpanIndex {
        Self::build_to_depth(text, usize::MAX)
    }

    /// Like [`SpanIndex::build`], but containers at depth `max_depth` (the root is depth 0) are
    /// recorded without their contents: a large collection then costs one node per element, and
    /// the element that holds a finding is indexed on its own (see the source map).
    pub fn build_to_depth(text: &str, max_depth: usize) -> SpanIndex {
        let mut index = SpanIndex::default();
        let b = text.as_bytes();
        if u32::try_from(b.len()).is_err() {
            return index;
        }
        let mut stack: Vec<Frame> = Vec::new();
        // Children of the open containers, in order; drained into `children` on close.
        let mut pending: Vec<u32> = Vec::new();
        // Key of the member whose value comes next: (start, end, escaped).
        let mut key: Option<(usize, usize, bool)> = None;
        let mut pos = skip_ws(b, 0);
        let mut expect_value = true;

        loop {
            if expect_value {
                let Some(&c) = b.get(pos) else { break };
                let member_key = key.take();
                match c {
                    b'{' | b'[' if stack.len() >= max_depth => {
                        let Some(end) = skip_container(b, pos) else {
                            break;
                        };
                        let kind = if c == b'{' { KIND_OBJECT } else { KIND_ARRAY };
                        let id = index.push(pos, end, member_key, kind);
                        if !stack.is_empty() {
                            pending.push(id);
                        }
                        pos = end;
                        expect_value = false;
                    }
                    b'{' | b'[' => {
                        let is_object = c == b'{';
                        let kind = if is_object { KIND_OBJECT } else { KIND_ARRAY };
                        let id = index.push(pos, pos + 1, member_key, kind);
                        if !stack.is_empty() {
                            pending.push(id);
                        }
                        stack.push(Frame {
                            node: id,
                            base: pending.len(),
                            is_object,
                        });
                        pos = skip_ws(b, pos + 1);
                        let close = if is_object { b'}' } else { b']' };
                        if b.get(pos) == Some(&close) {
                            // Empty container: the "after value" state closes it.
                            expect_value = false;
                        } else if is_object {
                            let Some((ks, ke, esc, next)) = parse_key(b, pos) else {
                                break;
                            };
                            key = Some((ks, ke, esc));
                            pos = next;
                        }
                    }
                    b'"' => {
                        let Some((end, _)) = scan_string(b, pos) else {
                            break;
                        };
                        let id = index.push(pos, end, member_key, KIND_SCALAR);
                        if !stack.is_empty() {
                            pending.push(id);
                        }
                        pos = end;
                        expect_value = false;
                    }
                    _ => {
                        let end = scan_scalar(b, pos);
                        if end == pos {
                            break;
                        }
                        let id = index.push(pos, end, member_key, KIND_SCALAR);
                        if !stack.is_empty() {
                            pending.push(id);
                        }
                        pos = end;
                        expect_value = false;
                    }
                }
            } else {
                pos = skip_ws(b, pos);
                // Root value complete: trailing content is ignored.
                let Some(frame) = stack.last() else { break };
                let Some(&c) = b.get(pos) else { break };
                match c {
                    b',' => {
                        pos = skip_ws(b, pos + 1);
                        if frame.is_object {
                            let Some((ks, ke, esc, next)) = parse_key(b, pos) else {
                                break;
                            };
                            key = Some((ks, ke, esc));
                            pos = next;
                        }
                        expect_value = true;
                    }
                    b'}' | b']' if (c == b'}') == frame.is_object => {
                        pos += 1;
                        if let Some(frame) = stack.pop() {
                            index.close(frame, pos, &mut pending);
                        }
                    }
                    _ => break,
                }
            }
        }

        // Invalid or truncated input: close whatever is still open where we stopped.
        let stop = pos.min(b.len());
        while let Some(frame) = stack.pop() {
            index.close(frame, stop, &mut pending);
        }
        index
    }

    /// Number of indexed values.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether nothing was indexed (empty, non-JSON or oversized text).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    fn push(
        &mut self,
        start: usize,
        end: usize,
        key: Option<(usize, usize, bool)>,
        kind: u8,
    ) -> u32 {
        let id = self.nodes.len() as u32;
        let (key_start, key_end, escaped) = match key {
            Some((s, e, esc)) => (s as u32, e as u32, esc),
            None => (NO_KEY, NO_KEY, false),
        };
        self.nodes.push(Node {
            start: start as u32,
            end: end as u32,
            key_start,
            key_end,
            children_start: 0,
            children_len: 0,
            flags: kind | if escaped { FLAG_KEY_ESCAPED } else { 0 },
        });
        id
    }

    fn close(&mut self, frame: Frame, end: usize, pending: &mut Vec<u32>) {
        let children_start = self.children.len() as u32;
        let base = frame.base.min(pending.len());
        self.children.extend(pending.drain(base..));
        let node = &mut self.nodes[frame.node as usize];
        node.end = end as u32;
        node.children_start = children_start;
        node.children_len = self.children.len() as u32 - children_start;
    }

    fn children_of(&self, node: usize) -> &[u32] {
        let n = &self.nodes[node];
        let start = n.children_start as usize;
        self.children
            .get(start..start + n.children_len as usize)
            .unwrap_or(&[])
    }

    fn key_span(&self, node: usize) -> Option<Range<usize>> {
        let n = &self.nodes[node];
        (n.key_start != NO_KEY).then_some(n.key_start as usize..n.key_end as usize)
    }

    fn value_span(&self, node: usize) -> Range<usize> {
        let n = &self.nodes[node];
        n.start as usize..n.end as usize
    }

    /// Decoded member key of `node`, or `None` (no key, foreign text, undecodable escape).
    fn key_text<'t>(&self, text: &'t str, node: usize) -> Option<Cow<'t, str>> {
        let n = &self.nodes[node];
        if n.key_start == NO_KEY {
            return None;
        }
        let (s, e) = (n.key_start as usize, n.key_end as usize);
        if n.flags & FLAG_KEY_ESCAPED == 0 {
            text.get(s + 1..e.checked_sub(1)?).map(Cow::Borrowed)
        } else {
            serde_json::from_str::<String>(text.get(s..e)?)
                .ok()
                .map(Cow::Owned)
        }
    }

    /// Member of object `node` matching `token`: exact match first, then ASCII
    /// case-insensitive; the last occurrence wins in both passes.
    fn find_member<'t>(
        &self,
        text: &'t str,
        node: usize,
        token: &str,
    ) -> Option<(usize, Cow<'t, str>)> {
        let children = self.children_of(node);
        let keys = || {
            children
                .iter()
                .rev()
                .filter_map(|&c| Some((c as usize, self.key_text(text, c as usize)?)))
        };
        keys()
            .find(|(_, k)| k == token)
            .or_else(|| keys().find(|(_, k)| k.eq_ignore_ascii_case(token)))
    }

    fn walk(&self, text: &str, pointer: &str) -> Option<Walk> {
        if self.nodes.is_empty() {
            return None;
        }
        let mut walk = Walk {
            node: 0,
            pointer: String::new(),
            exact: true,
        };
        if pointer.is_empty() {
            return Some(walk);
        }
        let Some(rest) = pointer.strip_prefix('/') else {
            walk.exact = false;
            return Some(walk);
        };
        for raw in rest.split('/') {
            let token = unescape_token(raw);
            let cur = walk.node;
            let next = match self.nodes[cur].kind() {
                KIND_OBJECT => self.find_member(text, cur, &token).map(|(child, key)| {
                    walk.pointer.push('/');
                    walk.pointer.push_str(&escape_token(&key));
                    child
                }),
                KIND_ARRAY => parse_index(&token).and_then(|i| {
                    let child = *self.children_of(cur).get(i)?;
                    walk.pointer.push('/');
                    walk.pointer.push_str(&i.to_string());
                    Some(child as usize)
                }),
                _ => None,
            };
            match next {
                Some(child) => walk.node = child,
                None => {
                    walk.exact = false;
                    break;
                }
            }
        }
        Some(walk)
    }

    /// Resolve an RFC 6901 JSON pointer (`""` = root, `"/a/0/b~1c"`).
    ///
    /// For each token: in an object, an exactly equal key (the last occurrence wins, as in
    /// `serde_json::Value`); failing that, a key equal ignoring ASCII case (last occurrence
    /// again); in an array, a decimal index without leading zeros. When a token cannot be
    /// resolved, the deepest ancestor found is returned with `exact == false`.
    /// An empty index yields `pointer: ""`, `exact: false`, `value: 0..0`.
    pub fn resolve(&self, text: &str, pointer: &str) -> Resolved {
        match self.walk(text, pointer) {
            Some(walk) => Resolved {
                key: self.key_span(walk.node),
                value: self.value_span(walk.node),
                pointer: walk.pointer,
                exact: walk.exact,
            },
            None => Resolved {
                pointer: String::new(),
                exact: false,
                key: None,
                value: 0..0,
            },
        }
    }

    /// Key spans (document order) of all members of the object at `parent_pointer` whose key
    /// equals `key` exactly. Empty if `parent_pointer` does not fully resolve or is not an
    /// object.
    pub fn key_occurrences(
        &self,
        text: &str,
        parent_pointer: &str,
        key: &str,
    ) -> Vec<Range<usize>> {
        let Some(walk) = self.walk(text, parent_pointer) else {
            return Vec::new();
        };
        if !walk.exact || self.nodes[walk.node].kind() != KIND_OBJECT {
            return Vec::new();
        }
        self.children_of(walk.node)
            .iter()
            .map(|&c| c as usize)
            .filter(|&c| self.key_text(text, c).is_some_and(|k| k == key))
            .filter_map(|c| self.key_span(c))
            .collect()
    }
}

/// Escape one reference token per RFC 6901 (`~` -> `~0`, `/` -> `~1`).
pub fn escape_token(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// `~1` -> `/`, `~0` -> `~`; any other `~` is kept (same result as serde_json's
/// `replace("~1", "/").replace("~0", "~")`).
fn unescape_token(raw: &str) -> Cow<'_, str> {
    if !raw.contains('~') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.peek() {
                Some('1') => {
                    chars.next();
                    out.push('/');
                }
                Some('0') => {
                    chars.next();
                    out.push('~');
                }
                _ => out.push('~'),
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Array index as accepted by `serde_json::Value::pointer`: ASCII digits, no leading zero.
fn parse_index(token: &str) -> Option<usize> {
    let bytes = token.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if bytes.len() > 1 && bytes[0] == b'0' {
        return None;
    }
    token.parse().ok()
}

fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(pos) {
        pos += 1;
    }
    pos
}

/// `b[pos]` must be `"`. Returns (end after the closing quote, contains a backslash).
fn scan_string(b: &[u8], pos: usize) -> Option<(usize, bool)> {
    let mut i = pos + 1;
    let mut escaped = false;
    loop {
        let found = i + memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
        if b[found] == b'"' {
            return Some((found + 1, escaped));
        }
        escaped = true;
        i = found + 2;
    }
}

/// Numbers and literals: everything up to the next structural byte or whitespace.
fn scan_scalar(b: &[u8], mut pos: usize) -> usize {
    while let Some(&c) = b.get(pos) {
        if matches!(
            c,
            b',' | b']' | b'}' | b'[' | b'{' | b':' | b'"' | b' ' | b'\t' | b'\n' | b'\r'
        ) {
            break;
        }
        pos += 1;
    }
    pos
}

/// A member key followed by `:`; returns (key start, key end, escaped, position of the value).
fn parse_key(b: &[u8], pos: usize) -> Option<(usize, usize, bool, usize)> {
    if b.get(pos) != Some(&b'"') {
        return None;
    }
    let (end, escaped) = scan_string(b, pos)?;
    let colon = skip_ws(b, end);
    if b.get(colon) != Some(&b':') {
        return None;
    }
    Some((pos, end, escaped, skip_ws(b, colon + 1)))
}

// ---------------------------------------------------------------------------------------------
// LineIndex
// ---------------------------------------------------------------------------------------------

/// Start offsets of all lines (lines end with `\n`; a `\r` before it belongs to the line).
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// `starts[0] == 0`; one entry after every `\n`. Texts longer than `u32::MAX` bytes are
    /// treated as a single line.
    starts: Vec<u32>,
    /// Number of chars before each `BLOCK`-byte boundary, so that a column on a very long
    /// (minified) line is found without counting from the start of the line.
    blocks: Vec<u32>,
}

/// Granularity of [`LineIndex::blocks`].
const BLOCK: usize = 4096;

/// Chars in a byte range of UTF-8 (any range: continuation bytes are simply not counted).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0u32];
        let mut blocks = vec![0u32];
        if u32::try_from(text.len()).is_ok() {
            starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
            let mut total = 0u32;
            for chunk in text.as_bytes().chunks(BLOCK) {
                total += count_chars(chunk) as u32;
                blocks.push(total);
            }
        }
        LineIndex { starts, blocks }
    }

    /// Chars before byte `offset` in the whole text.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        let block = offset / BLOCK;
        match self.blocks.get(block) {
            Some(&n) => n as usize + count_chars(&text.as_bytes()[block * BLOCK..offset]),
            None => count_chars(&text.as_bytes()[..offset]),
        }
    }

    /// Chars between two byte offsets (`start <= end`).
    pub fn chars_between(&self, text: &str, start: usize, end: usize) -> usize {
        self.chars_before(text, end)
            .saturating_sub(self.chars_before(text, start))
    }

    /// Number of lines (a trailing `\n` starts one more, empty, line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line containing byte `offset` (a `\n` belongs to the line it ends).
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1)
    }

    fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).map_or(0, |&s| s as usize)
    }

    /// End of `line` including its `\n` (start of the next line, or the text length).
    fn line_end_full(&self, line: usize, len: usize) -> usize {
        self.starts.get(line + 1).map_or(len, |&s| s as usize)
    }

    /// End of `line` excluding its `\r\n` / `\n`.
    fn line_end_content(&self, text: &str, line: usize) -> usize {
        let b = text.as_bytes();
        let mut end = self.line_end_full(line, b.len());
        let start = self.line_start(line);
        if end > start && b.get(end - 1) == Some(&b'\n') {
            end -= 1;
            if end > start && b.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        end
    }

    /// Length of `line` in bytes, without its `\n`.
    fn line_len(&self, text: &str, line: usize) -> usize {
        let start = self.line_start(line);
        let end = self.line_end_full(line, text.len());
        let end = if end > start && text.as_bytes().get(end - 1) == Some(&b'\n') {
            end - 1
        } else {
            end
        };
        end.saturating_sub(start)
    }

    /// 1-based (line, column); the column counts chars from the start of the line.
    /// Offsets past the end clamp to the end; offsets inside a char snap down to its start.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_start(line).min(offset);
        let column = self.chars_between(text, start, offset);
        (line + 1, column + 1)
    }
}

/// End (exclusive) of the object or array starting at `pos`, skipping strings; `None` if unclosed.
fn skip_container(b: &[u8], pos: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = pos;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i = scan_string(b, i)?.0;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
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

// ---------------------------------------------------------------------------------------------
// IndexedSource
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

    fn value_text<'t>(text: &'t str, r: &Resolved) -> &'t str {
        &text[r.value.clone()]
    }

    fn key_text<'t>(text: &'t str, r: &Resolved) -> Option<&'t str> {
        r.key.clone().map(|k| &text[k])
    }

    // ----- resolve ---------------------------------------------------------------------------

    const DOC: &str = r#"{
  "name": "x",
  "list": [10, {"deep": [true, null]}, "s"],
  "obj": {"a": 1, "b": {"c": "d"}},
  "empty_obj": {},
  "empty_arr": [ ]
}"#;

    #[test]
    fn resolve_root() {
        let idx = SpanIndex::build(DOC);
        let r = idx.resolve(DOC, "");
        assert_eq!(r.pointer, "");
        assert!(r.exact);
        assert_eq!(r.key, None);
        assert_eq!(r.value, 0..DOC.len());
    }

    #[test]
    fn resolve_exact_paths() {
        let idx = SpanIndex::build(DOC);
        let cases = [
            ("/name", "\"x\"", Some("\"name\"")),
            (
                "/list",
                r#"[10, {"deep": [true, null]}, "s"]"#,
                Some("\"list\""),
            ),
            ("/list/0", "10", None),
            ("/list/1/deep/1", "null", None),
            ("/list/1/deep", "[true, null]", Some("\"deep\"")),
            ("/list/2", "\"s\"", None),
            ("/obj/b/c", "\"d\"", Some("\"c\"")),
            ("/empty_obj", "{}", Some("\"empty_obj\"")),
            ("/empty_arr", "[ ]", Some("\"empty_arr\"")),
        ];
        for (ptr, value, key) in cases {
            let r = idx.resolve(DOC, ptr);
            assert!(r.exact, "{ptr}");
            assert_eq!(r.pointer, ptr);
            assert_eq!(value_text(DOC, &r), value, "{ptr}");
            assert_eq!(key_text(DOC, &r), key, "{ptr}");
        }
    }

    #[test]
    fn resolve_case_insensitive_fallback() {
        let text = r#"{"Policy": {"Rules": [0, 1, 2, {"Effect": "Allow"}]}}"#;
        let idx = SpanIndex::build(text);
        let r = idx.resolve(text, "/policy/rules/3/EFFECT");
        assert!(r.exact);
        assert_eq!(r.pointer, "/Policy/Rules/3/Effect");
        assert_eq!(value_text(text, &r), "\"Allow\"");
        assert_eq!(key_text(text, &r), Some("\"Effect\""));
        // Non-ASCII letters are not case folded.
        let text = r#"{"É": 1}"#;
        let idx = SpanIndex::build(text);
        let r = idx.resolve(text, "/é");
        assert!(!r.exact);
        assert_eq!(r.pointer, "");
    }

    #[test]
    fn resolve_exact_beats_case_insensitive() {
        let text = r#"{"a": 1, "A": 2, "b": 3}"#;
        let idx = SpanIndex::build(text);
        assert_eq!(value_text(text, &idx.resolve(text, "/a")), "1");
        assert_eq!(value_text(text, &idx.resolve(text, "/A")), "2");
        let r = idx.resolve(text, "/B");
        assert_eq!((r.pointer.as_str(), value_text(text, &r)), ("/b", "3"));
    }

    #[test]
    fn resolve_duplicates_last_wins() {
        let text = r#"{"a": 1, "b": 0, "a": {"x": 2}, "Dup": 3, "dUP": 4}"#;
        let idx = SpanIndex::build(text);
        let r = idx.resolve(text, "/a");
        assert_eq!(value_text(text, &r), r#"{"x": 2}"#);
        assert_eq!(r.key, Some(17..20));
        assert_eq!(value_text(text, &idx.resolve(text, "/a/x")), "2");
        // Case-insensitive fallback: last occurrence too.
        let r = idx.resolve(text, "/dup");
        assert_eq!((r.pointer.as_str(), value_text(text, &r)), ("/dUP", "4"));
        // Agrees with serde_json.
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(value_text(text, &idx.resolve(text, "/a")))
                .unwrap(),
            v["a"]
        );
    }

    #[test]
    fn resolve_ancestor_fallback() {
        let idx = SpanIndex::build(DOC);
        let cases = [
            ("/obj/b/missing/x", "/obj/b", r#"{"c": "d"}"#),
            ("/list/3", "/list", r#"[10, {"deep": [true, null]}, "s"]"#),
            ("/list/01", "/list", r#"[10, {"deep": [true, null]}, "s"]"#),
            ("/list/-", "/list", r#"[10, {"deep": [true, null]}, "s"]"#),
            ("/list/+1", "/list", r#"[10, {"deep": [true, null]}, "s"]"#),
            ("/list/0/x", "/list/0", "10"),
            ("/name/0", "/name", "\"x\""),
            ("/empty_arr/0", "/empty_arr", "[ ]"),
            ("/empty_obj/", "/empty_obj", "{}"),
            ("/nope", "", DOC),
            ("no-slash", "", DOC),
        ];
        for (ptr, got, value) in cases {
            let r = idx.resolve(DOC, ptr);
            assert!(!r.exact, "{ptr}");
            assert_eq!(r.pointer, got, "{ptr}");
            assert_eq!(value_text(DOC, &r), value, "{ptr}");
        }
    }

    #[test]
    fn resolve_escaped_keys() {
        let text = r#"{"a\/b": 1, "\u00e9t\u00C9": 2, "\ud83d\ude00": 3, "q\"t": 4, "b\\s": 5, "~": 6, "/": 7, "": 8, "~1": 9, "x y": {"": 10}}"#;
        let idx = SpanIndex::build(text);
        let cases = [
            ("/a~1b", "/a~1b", "1", r#""a\/b""#),
            ("/étÉ", "/étÉ", "2", r#""\u00e9t\u00C9""#),
            ("/ÉTÉ", "/ÉTÉ", "", ""), // non-ASCII case differs: not found
            ("/😀", "/😀", "3", r#""\ud83d\ude00""#),
            ("/q\"t", "/q\"t", "4", r#""q\"t""#),
            ("/b\\s", "/b\\s", "5", r#""b\\s""#),
            ("/~0", "/~0", "6", r#""~""#),
            ("/~1", "/~1", "7", r#""/""#),
            ("/", "/", "8", r#""""#),
            ("/~01", "/~01", "9", r#""~1""#),
            ("/x y/", "/x y/", "10", r#""""#),
        ];
        for (ptr, spelled, value, key) in cases {
            let r = idx.resolve(text, ptr);
            if value.is_empty() {
                assert!(!r.exact, "{ptr}");
                continue;
            }
            assert!(r.exact, "{ptr}");
            assert_eq!(r.pointer, spelled, "{ptr}");
            assert_eq!(value_text(text, &r), value, "{ptr}");
            assert_eq!(key_text(text, &r), Some(key), "{ptr}");
        }
        // Case-insensitive match on a decoded key; the pointer is spelled as in the text.
        let text = r#"{"A\/B": {"K\u0045Y": true}}"#;
        let idx = SpanIndex::build(text);
        let r = idx.resolve(text, "/a~1b/key");
        assert!(r.exact);
        assert_eq!(r.pointer, "/A~1B/KEY");
        assert_eq!(value_text(text, &r), "true");
    }

    #[test]
    fn resolve_arrays_and_scalars() {
        let text = " [ [], [[1]], \"x\", -1.5e3, {\"k\": [null]} ] ";
        let idx = SpanIndex::build(text);
        assert_eq!(value_text(text, &idx.resolve(text, "")), text.trim());
        assert_eq!(value_text(text, &idx.resolve(text, "/0")), "[]");
        assert_eq!(value_text(text, &idx.resolve(text, "/1/0/0")), "1");
        assert_eq!(value_text(text, &idx.resolve(text, "/2")), "\"x\"");
        assert_eq!(value_text(text, &idx.resolve(text, "/3")), "-1.5e3");
        let r = idx.resolve(text, "/4/k/0");
        assert_eq!((r.exact, r.key.clone()), (true, None));
        assert_eq!(value_text(text, &r), "null");
        for scalar in ["1", "\"s\"", "true", "null"] {
            let idx = SpanIndex::build(scalar);
            let r = idx.resolve(scalar, "");
            assert!(r.exact);
            assert_eq!(r.value, 0..scalar.len());
            assert!(!idx.resolve(scalar, "/0").exact);
        }
    }

    #[test]
    fn resolve_on_empty_index() {
        for text in ["", "   ", "}"] {
            let idx = SpanIndex::build(text);
            assert!(idx.is_empty());
            let r = idx.resolve(text, "");
            assert_eq!(
                r,
                Resolved {
                    pointer: String::new(),
                    exact: false,
                    key: None,
                    value: 0..0
                }
            );
        }
    }

    #[test]
    fn escape_and_unescape_tokens() {
        assert_eq!(escape_token("a/b~c"), "a~1b~0c");
        assert_eq!(escape_token("~1"), "~01");
        assert_eq!(escape_token(""), "");
        assert_eq!(unescape_token("a~1b~0c"), "a/b~c");
        assert_eq!(unescape_token("~01"), "~1");
        assert_eq!(unescape_token("~2~"), "~2~");
        for t in ["", "~", "/", "~1", "~0/~", "a/b", "中~文"] {
            assert_eq!(unescape_token(&escape_token(t)), t);
        }
    }

    // ----- key_occurrences -------------------------------------------------------------------

    #[test]
    fn key_occurrences_duplicates() {
        let text = r#"{"a": 1, "A": 2, "a": 3, "o": {"k": 1, "k\u0020": 2, "k": [], "\u006b": 4}}"#;
        let idx = SpanIndex::build(text);
        let spans = idx.key_occurrences(text, "", "a");
        let keys: Vec<&str> = spans.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(keys, ["\"a\"", "\"a\""]);
        assert!(spans[0].start < spans[1].start);
        assert_eq!(spans[1], 17..20);
        let spans = idx.key_occurrences(text, "/o", "k");
        let keys: Vec<&str> = spans.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(keys, ["\"k\"", "\"k\"", "\"\\u006b\""]);
        // Parent via case-insensitive fallback still works.
        assert_eq!(idx.key_occurrences(text, "/O", "k").len(), 3);
        assert_eq!(idx.key_occurrences(text, "", "A").len(), 1);
        assert!(idx.key_occurrences(text, "", "missing").is_empty());
        assert!(idx.key_occurrences(text, "/a", "x").is_empty()); // scalar parent
        assert!(idx.key_occurrences(text, "/o/k", "x").is_empty()); // array parent
        assert!(idx.key_occurrences(text, "/nope", "k").is_empty()); // unresolved parent
    }

    // ----- robustness ------------------------------------------------------------------------

    #[test]
    fn deep_nesting_does_not_overflow() {
        const DEPTH: usize = 100_000;
        let open = "[".repeat(DEPTH);
        let idx = SpanIndex::build(&open);
        assert_eq!(idx.len(), DEPTH);
        let r = idx.resolve(&open, &"/0".repeat(DEPTH - 1));
        assert!(r.exact);
        assert_eq!(r.value, DEPTH - 1..DEPTH);
        assert!(!idx.resolve(&open, &"/0".repeat(DEPTH)).exact);

        let closed = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
        let idx = SpanIndex::build(&closed);
        assert_eq!(idx.len(), DEPTH);
        let r = idx.resolve(&closed, &"/0".repeat(DEPTH / 2));
        assert!(r.exact);
        assert_eq!(r.value, DEPTH / 2..DEPTH * 2 - DEPTH / 2);
        let objects = format!("{}1{}", "{\"a\":".repeat(DEPTH), "}".repeat(DEPTH));
        let idx = SpanIndex::build(&objects);
        let r = idx.resolve(&objects, &"/A".repeat(DEPTH));
        assert!(r.exact);
        assert_eq!(value_text(&objects, &r), "1");
        drop(idx);
    }

    #[test]
    fn invalid_and_truncated_input_does_not_panic() {
        let doc = r#"{"a": [1, "x\"y", {"b\u00e9": null}], "c": {"d": -1.5e3, "é": "中文😀"}}"#;
        let pointers = ["", "/a", "/a/1", "/a/2/bé", "/c/d", "/c/é", "/x/y", "/a/9"];
        for end in 0..=doc.len() {
            let Some(prefix) = doc.get(..end) else {
                continue;
            };
            let idx = SpanIndex::build(prefix);
            for p in pointers {
                let r = idx.resolve(prefix, p);
                assert!(r.value.end <= prefix.len());
                assert!(prefix.get(r.value.clone()).is_some());
                // A different (shorter) text must not panic either.
                let _ = idx.resolve("", p);
                let _ = idx.key_occurrences("{", p, "a");
            }
        }
        let garbage = [
            "[}",
            "{]",
            "[1,]",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\" 1}",
            "{1:2}",
            "[1 2]",
            "\"abc",
            "\"\\",
            "[\"\\\"]",
            "tru",
            "[,]",
            ":",
            "]]]",
            "{\"a\":1,,}",
            "[1]]",
            "{\"é\":\u{1F600}}",
            "\u{feff}[]",
            "[\"a\" : 1]",
            "[\r\n\t",
            "{\"k\\",
            "nul\u{e9}l",
        ];
        for g in garbage {
            let idx = SpanIndex::build(g);
            for p in pointers.iter().chain(&["/0", "/0/0", "/k", "/a", "/é"]) {
                let r = idx.resolve(g, p);
                assert!(g.get(r.value.clone()).is_some(), "{g:?} {p}");
                if let Some(k) = r.key {
                    assert!(g.get(k).is_some());
                }
            }
        }
        // Whatever was indexed before the problem is still there.
        let text = r#"{"a": [1, 2], "b": "#;
        let idx = SpanIndex::build(text);
        let r = idx.resolve(text, "/a/1");
        assert!(r.exact);
        assert_eq!(value_text(text, &r), "2");
        let r = idx.resolve(text, "/b");
        assert!(!r.exact);
        assert_eq!(r.value, 0..text.len());
    }

    // ----- LineIndex -------------------------------------------------------------------------

    #[test]
    fn line_col_basic_and_multibyte() {
        let text = "ab\né中😀x\n\nlast";
        let li = LineIndex::new(text);
        assert_eq!(li.line_count(), 4);
        assert_eq!(li.line_col(text, 0), (1, 1));
        assert_eq!(li.line_col(text, 2), (1, 3)); // the '\n'
        assert_eq!(li.line_col(text, 3), (2, 1)); // 'é'
        assert_eq!(li.line_col(text, 5), (2, 2)); // '中'
        assert_eq!(li.line_col(text, 6), (2, 2)); // inside '中' snaps down
        assert_eq!(li.line_col(text, 7), (2, 2));
        assert_eq!(li.line_col(text, 8), (2, 3)); // '😀'
        assert_eq!(li.line_col(text, 11), (2, 3)); // inside '😀'
        assert_eq!(li.line_col(text, 12), (2, 4)); // 'x'
        assert_eq!(li.line_col(text, 14), (3, 1)); // empty line
        assert_eq!(li.line_col(text, 15), (4, 1));
        assert_eq!(li.line_col(text, text.len()), (4, 5));
        assert_eq!(li.line_col(text, usize::MAX), (4, 5));
        assert_eq!(LineIndex::new("").line_col("", 7), (1, 1));
        let trailing = "a\n";
        assert_eq!(LineIndex::new(trailing).line_col(trailing, 2), (2, 1));
    }

    #[test]
    fn line_col_crlf() {
        let text = "{\r\n  \"é\": 1\r\n}\r\n";
        let li = LineIndex::new(text);
        assert_eq!(li.line_col(text, 1), (1, 2)); // '\r'
        assert_eq!(li.line_col(text, 2), (1, 3)); // '\n'
        assert_eq!(li.line_col(text, 3), (2, 1));
        let one = text.find('1').unwrap();
        assert_eq!(li.line_col(text, one), (2, 8));
        assert_eq!(li.line_col(text, one + 1), (2, 9)); // '\r'
        assert_eq!(li.line_col(text, text.find('}').unwrap()), (3, 1));
        assert_eq!(li.line_col(text, text.len()), (4, 1));
    }

    // ----- IndexedSource::read_span vs miette's own implementation ---------------------------

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

    // ----- miette rendering ------------------------------------------------------------------

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
