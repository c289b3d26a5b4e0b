//! The span index: byte spans of every value (and of every member key) of a JSON text, built in
//! one iterative pass and queried with RFC 6901 JSON pointers. Comments (JSONC) count as whitespace.
//!
//! Nothing in here panics on malformed input, and nothing recurses on document depth.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

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
/// container lists its direct children contiguously in `children`, so array indexing is O(1),
/// and so is a lookup in an object with many members once its table is built (a small object is
/// scanned).
///
/// Queries take the text the index was built from.
#[derive(Clone, Debug, Default)]
pub struct SpanIndex {
    nodes: Vec<Node>,
    children: Vec<u32>,
    tables: Tables,
}

/// Objects with more members than this get a lookup table, once they have been scanned
/// [`SCANS`] times.
const SCANNED_MEMBERS: usize = 16;

/// How many lookups in a large object scan its members before it gets a table (a few findings in
/// a large object need no table).
const SCANS: u32 = 8;

/// The member tables of large objects, by node: each maps a key (lower-cased) to its last member,
/// so that many findings in one large object (an envelope with many annotations, for example) do
/// not each scan all its members. Before an object has its table, the lookups in it are counted.
#[derive(Debug, Default)]
struct Tables(Mutex<HashMap<u32, Table>>);

/// The lookups in one large object so far, or its table.
#[derive(Debug)]
enum Table {
    Scanned(u32),
    Built(Arc<HashMap<String, u32>>),
}

impl Clone for Tables {
    /// A copy builds its own tables.
    fn clone(&self) -> Self {
        Tables::default()
    }
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
                        // A trailing comma (read leniently, and reported, by the loader).
                        if b.get(pos) == Some(if frame.is_object { &b'}' } else { &b']' }) {
                            continue;
                        }
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

    /// Member of object `node` matching `token` ignoring ASCII case; the last occurrence wins.
    /// Keys that differ only in ASCII case are one key, as for Microsoft Graph (the loader reads
    /// the last value and reports the others as repetitions).
    fn find_member<'t>(
        &self,
        text: &'t str,
        node: usize,
        token: &str,
    ) -> Option<(usize, Cow<'t, str>)> {
        let children = self.children_of(node);
        if children.len() > SCANNED_MEMBERS {
            if let Some(table) = self.table(text, node) {
                let child = *table.get(&token.to_ascii_lowercase())? as usize;
                return Some((child, self.key_text(text, child)?));
            }
        }
        children
            .iter()
            .rev()
            .filter_map(|&c| Some((c as usize, self.key_text(text, c as usize)?)))
            .find(|(_, k)| k.eq_ignore_ascii_case(token))
    }

    /// The member table of the large object `node`, once it has been scanned [`SCANS`] times
    /// (`None` before: the caller scans).
    fn table(&self, text: &str, node: usize) -> Option<Arc<HashMap<String, u32>>> {
        let mut tables = self.tables.0.lock().unwrap_or_else(|e| e.into_inner());
        let entry = tables.entry(node as u32).or_insert(Table::Scanned(0));
        match entry {
            Table::Built(table) => Some(table.clone()),
            Table::Scanned(n) if *n < SCANS => {
                *n += 1;
                None
            }
            Table::Scanned(_) => {
                let mut table = HashMap::new();
                for &c in self.children_of(node) {
                    if let Some(key) = self.key_text(text, c as usize) {
                        // A later member replaces an earlier one: the last wins.
                        table.insert(key.to_ascii_lowercase(), c);
                    }
                }
                let table = Arc::new(table);
                *entry = Table::Built(table.clone());
                Some(table)
            }
        }
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
    /// For each token: in an object, a key equal ignoring ASCII case (the last occurrence wins,
    /// as in the loader); in an array, a decimal index without leading zeros. When a token cannot be
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
    /// equals `key` ignoring ASCII case. Empty if `parent_pointer` does not fully resolve or is
    /// not an object.
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
            .filter(|&c| {
                self.key_text(text, c)
                    .is_some_and(|k| k.eq_ignore_ascii_case(key))
            })
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
    loop {
        match b.get(pos) {
            Some(b' ' | b'\t' | b'\n' | b'\r') => pos += 1,
            // A comment of a JSONC file (never outside a string in JSON) is whitespace.
            Some(b'/') => match skip_comment(b, pos) {
                Some(end) => pos = end,
                None => return pos,
            },
            _ => return pos,
        }
    }
}

/// The end of the `//` or `/* */` comment at `pos` (an unterminated one runs to the end), `None`
/// when no comment starts there.
fn skip_comment(b: &[u8], pos: usize) -> Option<usize> {
    match b.get(pos + 1)? {
        b'/' => Some(memchr::memchr(b'\n', &b[pos..]).map_or(b.len(), |n| pos + n)),
        b'*' => {
            let rest = b.get(pos + 2..)?;
            Some(
                rest.windows(2)
                    .position(|w| w == b"*/")
                    .map_or(b.len(), |n| pos + 2 + n + 2),
            )
        }
        _ => None,
    }
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
            b',' | b']' | b'}' | b'[' | b'{' | b':' | b'"' | b'/' | b' ' | b'\t' | b'\n' | b'\r'
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
            b'/' => {
                if let Some(end) = skip_comment(b, i) {
                    i = end;
                    continue;
                }
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
#[cfg(test)]
mod tests {
    use super::*;

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
    fn keys_differing_only_in_case_are_one_key_and_the_last_wins() {
        let text = r#"{"a": 1, "A": 2, "b": 3}"#;
        let idx = SpanIndex::build(text);
        assert_eq!(value_text(text, &idx.resolve(text, "/a")), "2");
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

    #[test]
    fn a_large_object_is_looked_up_by_table_with_the_same_answers() {
        let mut text = String::from("{");
        for i in 0..100 {
            text.push_str(&format!("\"k{i}\": {i}, "));
        }
        text.push_str(r#""K7": "again", "\u0041b": [1, 2], "ab": {"x": true}}"#);
        let idx = SpanIndex::build(&text);
        let cases = [
            ("/k0", "/k0", "0"),
            ("/K99", "/k99", "99"),
            // Keys that differ only in case are one key: the last wins.
            ("/k7", "/K7", "\"again\""),
            ("/AB/x", "/ab/x", "true"),
        ];
        // Scanned first, then by table: the same answers.
        for _ in 0..3 {
            for (ptr, spelled, value) in cases {
                let r = idx.resolve(&text, ptr);
                assert!(r.exact, "{ptr}");
                assert_eq!(
                    (r.pointer.as_str(), value_text(&text, &r)),
                    (spelled, value)
                );
            }
        }
        assert!(!idx.resolve(&text, "/k100").exact);
        assert_eq!(idx.key_occurrences(&text, "", "ab").len(), 2);
    }

    // ----- key_occurrences -------------------------------------------------------------------

    #[test]
    fn key_occurrences_duplicates() {
        let text = r#"{"a": 1, "A": 2, "a": 3, "o": {"k": 1, "k\u0020": 2, "k": [], "\u006b": 4}}"#;
        let idx = SpanIndex::build(text);
        let spans = idx.key_occurrences(text, "", "a");
        let keys: Vec<&str> = spans.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(keys, ["\"a\"", "\"A\"", "\"a\""]);
        assert!(spans[0].start < spans[1].start);
        assert_eq!(spans[2], 17..20);
        let spans = idx.key_occurrences(text, "/o", "k");
        let keys: Vec<&str> = spans.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(keys, ["\"k\"", "\"k\"", "\"\\u006b\""]);
        // Parent via case-insensitive fallback still works.
        assert_eq!(idx.key_occurrences(text, "/O", "k").len(), 3);
        assert_eq!(idx.key_occurrences(text, "", "A").len(), 3);
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

    #[test]
    fn comments_are_whitespace() {
        let text = "{ // head [ {\n \"a\": /* x } */ [1, true// t\n, 2,],\n \"b\" /* \" */ : {\"c\": 3}\n}";
        for depth in [usize::MAX, 1] {
            let index = SpanIndex::build_to_depth(text, depth);
            let r = index.resolve(text, "/b");
            assert!(r.exact, "{depth}");
            assert_eq!(value_text(text, &r), "{\"c\": 3}");
        }
        let index = SpanIndex::build(text);
        let r = index.resolve(text, "/a/1");
        assert!(r.exact);
        assert_eq!(value_text(text, &r), "true");
        let r = index.resolve(text, "/a/2");
        assert_eq!(value_text(text, &r), "2");
    }
}
