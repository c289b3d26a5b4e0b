//! Pointer → byte span, built lazily: a file's span index is made only when a finding in that file
//! is rendered, so clean files are read once.
//!
//! The index is two-level so that a large collection costs little: the first level records the
//! document down to depth [`SHALLOW_DEPTH`] (for a Graph collection: the envelope and one node
//! per element); the value at that depth that holds a finding gets an index of its own, built on
//! first use and kept.

use super::embedded::{self, OffsetMap};
use super::lines::LineIndex;
use super::spans::SpanIndex;
use crate::decode::Encoding;
use crate::origin::{FileId, Origin, Pointer};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

/// Depth to which the first-level index records values (root = 0).
const SHALLOW_DEPTH: usize = 2;

#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

#[derive(Debug)]
pub struct SourceFile {
    /// Path as given, relative to the current directory, `/`-separated.
    pub path: String,
    /// Where, in `path`, the part inside the export (the tenant's root or the named folder)
    /// begins: see [`SourceFile::path_inside`].
    inside: usize,
    pub text: Arc<String>,
    /// `None` when the file could not be decoded (the text is then a sanitised display copy).
    pub encoding: Option<Encoding>,
    pub bom_len: usize,
    spans: OnceLock<SpanIndex>,
    /// Second-level indexes, by the start offset of the value they cover.
    deep: Mutex<BTreeMap<usize, Arc<SpanIndex>>>,
    /// Where the loader found the elements it read (see [`SourceMap::anchor`]): by the pointer
    /// the model gives each (ASCII lower-cased), its span and its pointer as written, so that a
    /// value inside one is found by indexing that element alone.
    anchors: Arc<Anchors>,
    lines: OnceLock<Arc<LineIndex>>,
    /// JSON documents written as strings in this file (see [`SourceMap::embed`]).
    embedded: Vec<Embedded>,
    /// Pointers the model uses for values written elsewhere in the file (see
    /// [`SourceMap::alias`]): where each is written.
    aliases: BTreeMap<String, String>,
    /// Objects read from another tool's vocabulary (see [`SourceMap::translated`]).
    translated: Vec<String>,
    /// For a table (a CSV file), the span of each row and cell by pointer (`/<row>`,
    /// `/<row>/<column>`), in place of a JSON span index (see [`SourceMap::set_cells`]).
    cells: Option<Arc<BTreeMap<String, Range<usize>>>>,
}

/// The elements the loader read, by their pointer in the model (ASCII lower-cased): the span of
/// each and its pointer as written.
type Anchors = HashMap<Box<str>, (Range<usize>, Box<str>)>;

/// A JSON document written as a string member of the file's document.
#[derive(Debug)]
struct Embedded {
    /// The pointer of the string, as the loader spells it: origins below it are in the document.
    pointer: String,
    /// The decoded document.
    text: Arc<String>,
    spans: OnceLock<SpanIndex>,
    /// Where the string's content starts in the file, and how the document maps back to it
    /// (`None` when the string cannot be found, or does not decode to the document).
    raw: OnceLock<Option<(usize, OffsetMap)>>,
}

impl Embedded {
    /// A copy sharing the text; its indexes are built again when first needed.
    fn copy(&self) -> Embedded {
        Embedded {
            pointer: self.pointer.clone(),
            text: Arc::clone(&self.text),
            spans: OnceLock::new(),
            raw: OnceLock::new(),
        }
    }

    fn spans(&self) -> &SpanIndex {
        self.spans.get_or_init(|| SpanIndex::build(&self.text))
    }

    /// What follows the string's pointer in `pointer` (`""` for the document itself), when
    /// `pointer` is inside the document.
    fn rest<'p>(&self, pointer: &'p str) -> Option<&'p str> {
        let rest = pointer.strip_prefix(self.pointer.as_str())?;
        (rest.is_empty() || rest.starts_with('/')).then_some(rest)
    }
}

/// A copy shares the text; its indexes are built again when first needed.
impl Clone for SourceFile {
    fn clone(&self) -> SourceFile {
        SourceFile {
            path: self.path.clone(),
            inside: self.inside,
            text: Arc::clone(&self.text),
            encoding: self.encoding,
            bom_len: self.bom_len,
            spans: OnceLock::new(),
            deep: Mutex::default(),
            anchors: Arc::clone(&self.anchors),
            lines: OnceLock::new(),
            embedded: self.embedded.iter().map(Embedded::copy).collect(),
            aliases: self.aliases.clone(),
            translated: self.translated.clone(),
            cells: self.cells.clone(),
        }
    }
}

/// A pointer resolved against the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The pointer as spelled in the file (it may be an ancestor of the one asked for).
    pub pointer: String,
    /// Whether the whole pointer was found (else the span is its nearest existing ancestor's).
    pub exact: bool,
    pub key: Option<Range<usize>>,
    pub value: Range<usize>,
}

/// Line and column (1-based, columns in characters) of an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceMap {
    pub fn add(
        &mut self,
        path: String,
        text: String,
        encoding: Option<Encoding>,
        bom_len: usize,
    ) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile {
            path,
            inside: 0,
            text: Arc::new(text),
            encoding,
            bom_len,
            spans: OnceLock::new(),
            deep: Mutex::default(),
            anchors: Arc::default(),
            lines: OnceLock::new(),
            embedded: Vec::new(),
            aliases: BTreeMap::new(),
            translated: Vec::new(),
            cells: None,
        });
        id
    }

    /// Records that the value the model addresses as `model` (and everything below it) is written
    /// at `written` in the file: an object read from another tool's vocabulary keeps Graph's
    /// pointers (`/resources/3/properties/conditions/users/excludeUsers`) while its findings land
    /// on the property it came from (`/resources/3/properties/ExcludeUsers`). The rest of a pointer
    /// below `model` is looked up below `written` (an index into a list written as one string
    /// falls back to that string).
    pub fn alias(&mut self, file: FileId, model: &Pointer, written: &Pointer) {
        self.files[file.0 as usize]
            .aliases
            .insert(model.as_str().to_owned(), written.as_str().to_owned());
    }

    /// Records that every object read from the file was translated from another tool's
    /// vocabulary into Graph's (EasyPIM's settings): see [`SourceMap::translated`].
    pub fn set_translated(&mut self, file: FileId) {
        self.translated(file, &Pointer::root());
    }

    /// Whether [`SourceMap::set_translated`] was called for the file.
    pub fn is_translated(&self, file: FileId) -> bool {
        self.file(file).translated.iter().any(String::is_empty)
    }

    /// Records that the file is a table, not JSON: origins in it name a row (`/<row>`) or a cell
    /// (`/<row>/<column>`), and resolve to the spans given here (a pointer below a cell, to the
    /// cell).
    pub fn set_cells(&mut self, file: FileId, cells: BTreeMap<String, Range<usize>>) {
        self.files[file.0 as usize].cells = Some(Arc::new(cells));
    }

    /// Records that the string at `pointer` in `file` holds the JSON document `text` (its decoded
    /// value): origins at and below `pointer` are then resolved inside that document, and their
    /// spans mapped back to the bytes of the string in the file. Returns the document's text.
    pub fn embed(&mut self, file: FileId, pointer: &Pointer, text: String) -> Arc<String> {
        let text = Arc::new(text);
        self.files[file.0 as usize].embedded.push(Embedded {
            pointer: pointer.as_str().to_owned(),
            text: text.clone(),
            spans: OnceLock::new(),
            raw: OnceLock::new(),
        });
        text
    }

    /// The offset in the file of the offset `at` of the document embedded at `pointer`.
    pub fn embedded_offset(&self, file: FileId, pointer: &Pointer, at: usize) -> Option<usize> {
        let f = self.file(file);
        let e = f.embedded.iter().find(|e| e.pointer == pointer.as_str())?;
        let (base, map) = self.raw_of(f, e)?;
        Some(base + map.raw(at))
    }

    /// Records that the object at `pointer` was read from another tool's vocabulary (a
    /// Microsoft365DSC resource): its text is not Graph's, and [`SourceMap::value_text`] gives
    /// none for it or anything below it.
    pub fn translated(&mut self, file: FileId, pointer: &Pointer) {
        let f = &mut self.files[file.0 as usize];
        f.translated.push(pointer.as_str().to_owned());
    }

    /// The text of the value at `origin` (decoded, inside an embedded document); `None` when the
    /// pointer does not exist, or when the value was read from another tool's vocabulary.
    pub fn value_text(&self, origin: &Origin) -> Option<&str> {
        let f = self.file(origin.file);
        let own = origin.pointer.as_str();
        let below = |root: &String| {
            own.strip_prefix(root.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if f.translated.iter().any(below) {
            return None;
        }
        let pointer = f.written(origin.pointer.as_str());
        if let Some((e, rest)) = f.embedded_at(&pointer) {
            let r = e.spans().resolve(&e.text, rest);
            return if r.exact { e.text.get(r.value) } else { None };
        }
        let span = self.resolve_in(f, &pointer);
        if span.exact {
            f.text.get(span.value)
        } else {
            None
        }
    }

    /// Where the content of the string holding `e` starts in the file, and the map of its text.
    fn raw_of<'f>(&self, f: &'f SourceFile, e: &'f Embedded) -> Option<(usize, &'f OffsetMap)> {
        let raw = e.raw.get_or_init(|| {
            let s = self.resolve_in(f, &e.pointer);
            let token = f.text.get(s.value.clone()).filter(|_| s.exact)?;
            let content = token.strip_prefix('"')?.strip_suffix('"')?;
            let (decoded, map) = embedded::decode(content)?;
            (decoded == *e.text).then_some((s.value.start + 1, map))
        });
        raw.as_ref().map(|(base, map)| (*base, map))
    }

    /// [`SourceMap::resolve`] inside the document embedded as `e`.
    fn resolve_embedded(&self, f: &SourceFile, e: &Embedded, rest: &str) -> Option<Span> {
        let (base, map) = self.raw_of(f, e)?;
        let outer = self.resolve_in(f, &e.pointer);
        let r = e.spans().resolve(&e.text, rest);
        let at = |range: Range<usize>| {
            let raw = map.raw_range(range);
            raw.start + base..raw.end + base
        };
        Some(Span {
            pointer: format!("{}{}", outer.pointer, r.pointer),
            exact: r.exact,
            key: match r.key {
                Some(k) => Some(at(k)),
                // The document's root is the string: its key is the member's.
                None if r.pointer.is_empty() => outer.key,
                None => None,
            },
            value: at(r.value),
        })
    }

    /// Marks where the part of the file's path inside the export begins (a byte offset into its
    /// path; past the end or inside a character, the whole path is kept).
    pub fn set_inside(&mut self, id: FileId, offset: usize) {
        let f = &mut self.files[id.0 as usize];
        f.inside = if f.path.is_char_boundary(offset) {
            offset
        } else {
            0
        };
    }

    /// Replaces the text of a file that turned out not to be JSON by a display copy.
    pub fn replace_text(&mut self, id: FileId, text: String) {
        let f = &mut self.files[id.0 as usize];
        f.text = Arc::new(text);
        f.spans = OnceLock::new();
        f.deep = Mutex::default();
        f.anchors = Arc::default();
        f.lines = OnceLock::new();
    }

    /// Records that the element of an array the model addresses as `pointer` (its keys may be
    /// spelled otherwise than in the file: `/privileged_roles/0/rules/3`) is written at `written`
    /// (`/privileged_roles/0/Rules/3`), the text at `span` of the file's own text: what is looked
    /// up inside it is then found by indexing that element, not the whole file. The loader
    /// records the elements it reads.
    pub fn anchor(&mut self, id: FileId, pointer: &str, written: &str, span: Range<usize>) {
        let f = &mut self.files[id.0 as usize];
        if f.text.get(span.clone()).is_some() {
            let key = pointer.to_ascii_lowercase().into_boxed_str();
            Arc::make_mut(&mut f.anchors).insert(key, (span, written.into()));
        }
    }

    /// Forgets the elements recorded for a file whose reading was rolled back.
    pub fn forget_anchors(&mut self, id: FileId) {
        self.files[id.0 as usize].anchors = Arc::default();
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn path(&self, id: FileId) -> &str {
        &self.file(id).path
    }

    /// The file's path inside the export: see [`SourceFile::path_inside`].
    pub fn path_inside(&self, id: FileId) -> &str {
        self.file(id).path_inside()
    }

    /// The span of the value at `origin`, or of its nearest existing ancestor.
    pub fn resolve(&self, origin: &Origin) -> Span {
        let f = self.file(origin.file);
        let pointer = f.written(origin.pointer.as_str());
        if let Some(cells) = &f.cells {
            return cell_span(cells, &pointer);
        }
        if let Some((e, rest)) = f.embedded_at(&pointer) {
            if let Some(span) = self.resolve_embedded(f, e, rest) {
                return span;
            }
        }
        self.resolve_in(f, &pointer)
    }

    /// The span of the value at `pointer` in the file's own document.
    fn resolve_in(&self, f: &SourceFile, pointer: &str) -> Span {
        // The document itself (a finding about the whole file) is found without indexing it.
        if let Some(value) = pointer.is_empty().then(|| root_span(&f.text)).flatten() {
            return Span {
                pointer: String::new(),
                exact: true,
                key: None,
                value,
            };
        }
        let anchored = f.anchored(pointer);
        // A recorded element itself: its span is known.
        if let Some((range, written, "")) = &anchored {
            return Span {
                pointer: written.to_string(),
                exact: true,
                key: None,
                value: range.clone(),
            };
        }
        let level = anchored.map(|(range, written, rest)| Level {
            index: f.deep_index(&range),
            range,
            // An element of an array has no key.
            key: None,
            prefix: written.to_string(),
            rest: rest.to_owned(),
        });
        let Some(level) = level.or_else(|| f.level(pointer, false)) else {
            let r = f.spans().resolve(&f.text, pointer);
            return Span {
                pointer: r.pointer,
                exact: r.exact,
                key: r.key,
                value: r.value,
            };
        };
        let text = &f.text[level.range.clone()];
        let r = level.index.resolve(text, &level.rest);
        let base = level.range.start;
        Span {
            pointer: format!("{}{}", level.prefix, r.pointer),
            exact: r.exact,
            // The second level's root is the first level's node: its key is known there.
            key: match r.key {
                Some(k) => Some(k.start + base..k.end + base),
                None if r.pointer.is_empty() => level.key,
                None => None,
            },
            value: r.value.start + base..r.value.end + base,
        }
    }

    /// Key spans of every occurrence of `key` in the object at `parent` (duplicate keys).
    pub fn key_occurrences(&self, file: FileId, parent: &Pointer, key: &str) -> Vec<Range<usize>> {
        let f = self.file(file);
        if f.cells.is_some() {
            return Vec::new();
        }
        if let Some((e, rest)) = f.embedded_at(parent.as_str()) {
            let Some((base, map)) = self.raw_of(f, e) else {
                return Vec::new();
            };
            return e
                .spans()
                .key_occurrences(&e.text, rest, key)
                .into_iter()
                .map(|r| {
                    let raw = map.raw_range(r);
                    raw.start + base..raw.end + base
                })
                .collect();
        }
        match f.level(parent.as_str(), true) {
            Some(level) => {
                let text = &f.text[level.range.clone()];
                let base = level.range.start;
                level
                    .index
                    .key_occurrences(text, &level.rest, key)
                    .into_iter()
                    .map(|r| r.start + base..r.end + base)
                    .collect()
            }
            None => f.spans().key_occurrences(&f.text, parent.as_str(), key),
        }
    }

    pub fn line_col(&self, file: FileId, offset: usize) -> LineCol {
        let f = self.file(file);
        let (line, column) = f.lines().line_col(&f.text, offset);
        LineCol { line, column }
    }

    /// The line index of a file, built on first use and shared (rendering many labels in one
    /// file scans it once).
    pub fn line_index(&self, file: FileId) -> Arc<LineIndex> {
        self.file(file).lines().clone()
    }
}

/// The span of the row or cell at `pointer`, or of its nearest ancestor that is one (the whole
/// file for none).
fn cell_span(cells: &BTreeMap<String, Range<usize>>, pointer: &str) -> Span {
    let mut at = pointer;
    loop {
        if let Some(range) = cells.get(at) {
            return Span {
                pointer: at.to_owned(),
                exact: at.len() == pointer.len(),
                key: None,
                value: range.clone(),
            };
        }
        match at.rfind('/') {
            Some(cut) => at = &at[..cut],
            None => {
                return Span {
                    pointer: String::new(),
                    exact: pointer.is_empty(),
                    key: None,
                    value: 0..0,
                }
            }
        }
    }
}

/// The span of a document that is one object or one array: its text without the whitespace
/// around it (`None` for anything else, which is left to the index).
fn root_span(text: &str) -> Option<Range<usize>> {
    let ws: &[char] = &[' ', '\t', '\n', '\r'];
    let start = text.len() - text.trim_start_matches(ws).len();
    let end = text.trim_end_matches(ws).len();
    let b = text.as_bytes();
    match (
        b.get(start),
        end.checked_sub(1).and_then(|last| b.get(last)),
    ) {
        (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']')) if start < end => Some(start..end),
        _ => None,
    }
}

/// A second-level index and where the pointer continues in it.
struct Level {
    index: Arc<SpanIndex>,
    /// The bytes of the file the index covers.
    range: Range<usize>,
    /// The key span of that value in the first level.
    key: Option<Range<usize>>,
    /// The first level's part of the pointer, spelled as in the file.
    prefix: String,
    /// The rest of the pointer, relative to the second level's root.
    rest: String,
}

impl SourceFile {
    /// Where the value the model addresses as `pointer` is written (see [`SourceMap::alias`]).
    fn written<'p>(&self, pointer: &'p str) -> std::borrow::Cow<'p, str> {
        if self.aliases.is_empty() {
            return std::borrow::Cow::Borrowed(pointer);
        }
        // The pointer itself, then each ancestor: the nearest one aliased.
        let mut end = pointer.len();
        loop {
            if let Some(written) = self.aliases.get(&pointer[..end]) {
                return std::borrow::Cow::Owned(format!("{written}{}", &pointer[end..]));
            }
            match pointer[..end].rfind('/') {
                Some(cut) if end > 0 => end = cut,
                _ => return std::borrow::Cow::Borrowed(pointer),
            }
        }
    }

    /// The embedded document `pointer` is in, and the rest of the pointer inside it.
    fn embedded_at<'p>(&self, pointer: &'p str) -> Option<(&Embedded, &'p str)> {
        self.embedded
            .iter()
            .find_map(|e| e.rest(pointer).map(|rest| (e, rest)))
    }

    /// The path below the tenant's root (the folder holding its entralint.toml) or below the named
    /// folder it was found in: `PIM/DirectoryRoles/<id>.json` whether the run was started as
    /// `check t`, `cd t && check .` or from a home directory. Kinds are guessed from it, and
    /// fingerprints of findings about a file hash it, so neither depends on where the run starts.
    pub fn path_inside(&self) -> &str {
        let rest = &self.path[self.inside..];
        rest.trim_start_matches('/')
    }

    fn spans(&self) -> &SpanIndex {
        self.spans
            .get_or_init(|| SpanIndex::build_to_depth(&self.text, SHALLOW_DEPTH))
    }

    /// The recorded element `pointer` is in (or is): its span, its pointer as written, and the
    /// rest of `pointer` below it.
    fn anchored<'p>(&self, pointer: &'p str) -> Option<(Range<usize>, &str, &'p str)> {
        if self.anchors.is_empty() {
            return None;
        }
        // The pointer itself, then each ancestor: the nearest one recorded.
        let lower = pointer.to_ascii_lowercase();
        let mut end = lower.len();
        loop {
            if let Some((range, written)) = self.anchors.get(&lower[..end]) {
                return Some((range.clone(), written, &pointer[end..]));
            }
            end = lower[..end].rfind('/')?;
        }
    }

    /// The index of the value at `range`, built on first use.
    fn deep_index(&self, range: &Range<usize>) -> Arc<SpanIndex> {
        let mut deep = self.deep.lock().unwrap_or_else(|e| e.into_inner());
        deep.entry(range.start)
            .or_insert_with(|| Arc::new(SpanIndex::build(&self.text[range.clone()])))
            .clone()
    }

    /// The second level for `pointer`, when it reaches below the first level (or, for
    /// `children`, when it names a value whose members the first level does not record).
    fn level(&self, pointer: &str, children: bool) -> Option<Level> {
        let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
        let deeper = if children {
            tokens.len() >= SHALLOW_DEPTH
        } else {
            tokens.len() > SHALLOW_DEPTH
        };
        if !deeper {
            return None;
        }
        let head = format!("/{}", tokens[..SHALLOW_DEPTH].join("/"));
        let r = self.spans().resolve(&self.text, &head);
        let container = matches!(self.text.as_bytes().get(r.value.start), Some(b'{' | b'['));
        if !r.exact || !container {
            return None;
        }
        let rest: String = tokens[SHALLOW_DEPTH..]
            .iter()
            .map(|t| format!("/{t}"))
            .collect();
        Some(Level {
            index: self.deep_index(&r.value),
            range: r.value,
            key: r.key,
            prefix: r.pointer,
            rest,
        })
    }
    fn lines(&self) -> &Arc<LineIndex> {
        self.lines
            .get_or_init(|| Arc::new(LineIndex::new(&self.text)))
    }
    /// Whether the span index was built (for tests of laziness).
    pub fn is_indexed(&self) -> bool {
        self.spans.get().is_some()
    }

    /// Values recorded in the file's indexes (for tests of the two levels).
    pub fn indexed_values(&self) -> usize {
        let deep = self.deep.lock().unwrap_or_else(|e| e.into_inner());
        self.spans.get().map_or(0, SpanIndex::len) + deep.values().map(|i| i.len()).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_found_without_indexing_it() {
        let texts = [
            "{\"a\": 1}",
            "\r\n  [1, {\"b\": []}]\n\n",
            "\t{}\t",
            "[]",
            "{\"a\": 1} // trailing comment",
            "\"just a string\"",
            "",
            "   ",
        ];
        for text in texts {
            let mut map = SourceMap::default();
            let file = map.add("s.json".into(), text.into(), None, 0);
            let root = Origin::new(file, Pointer::root());
            let fast = map.resolve(&root);
            let fast_is_lazy = !map.file(file).is_indexed();
            let mut indexed = SourceMap::default();
            let other = indexed.add("s.json".into(), text.into(), None, 0);
            indexed.resolve(&Origin::new(other, Pointer::parse("/x")));
            assert_eq!(
                fast,
                indexed.resolve(&Origin::new(other, Pointer::root())),
                "{text:?}"
            );
            assert_eq!(fast_is_lazy, text.trim().ends_with(['}', ']']), "{text:?}");
        }
    }

    #[test]
    fn a_value_inside_a_recorded_element_is_found_by_indexing_the_element_alone() {
        let text = r#"{"value": [{"Id": "a", "Rules": [{"Id": "r1"}, {"Id": "r2", "Target": {"Level": "x"}}]}, {"Id": "b"}], "other": [1, 2]}"#;
        let mut plain = SourceMap::default();
        let file = plain.add("s.json".into(), text.into(), None, 0);
        let mut anchored = plain.clone();
        let start = text.find(r#"{"Id": "a""#).unwrap();
        let end = text.find(r#", {"Id": "b"}"#).unwrap();
        anchored.anchor(file, "/value/0", "/value/0", start..end);
        let asked = [
            "/value/0",
            "/value/0/Rules/1/Target/Level",
            "/value/0/rules/1/target/level",
            "/value/0/Rules/7",
            "/value/0/Missing/x",
        ];
        for p in asked {
            let origin = Origin::new(file, Pointer::parse(p));
            assert_eq!(anchored.resolve(&origin), plain.resolve(&origin), "{p}");
        }
        assert_eq!(
            anchored.value_text(&Origin::new(
                file,
                Pointer::parse("/value/0/Rules/1/Target")
            )),
            Some(r#"{"Level": "x"}"#)
        );
        // The file itself was never indexed; the element was.
        assert!(!anchored.file(file).is_indexed());
        assert!(anchored.file(file).indexed_values() > 0);
        // Outside the element, the file's own index answers.
        let other = Origin::new(file, Pointer::parse("/other/1"));
        assert_eq!(anchored.resolve(&other), plain.resolve(&other));
        assert!(anchored.file(file).is_indexed());
        // A span outside the text is not recorded.
        anchored.anchor(file, "/value/1", "/value/1", text.len()..text.len() + 5);
        // An element the model spells otherwise than the file.
        let r1 = text.find(r#"{"Id": "r2""#).unwrap();
        let r1_end = text.find(r#"}]}, {"Id": "b"}"#).unwrap() + 1;
        anchored.anchor(file, "/value/0/rules/1", "/value/0/Rules/1", r1..r1_end);
        let level = Origin::new(file, Pointer::parse("/value/0/rules/1/target/level"));
        assert_eq!(anchored.resolve(&level), plain.resolve(&level));
        assert_eq!(
            anchored.resolve(&level).pointer,
            "/value/0/Rules/1/Target/Level"
        );
        let b = Origin::new(file, Pointer::parse("/value/1/Id"));
        assert_eq!(anchored.resolve(&b), plain.resolve(&b));
    }

    #[test]
    fn an_alias_resolves_where_the_value_is_written() {
        let text = r#"{"p": {"ExcludeUsers": ["a", "b"], "IncludeRoles": "Global Reader"}}"#;
        let mut map = SourceMap::default();
        let file = map.add("s.json".into(), text.into(), None, 0);
        let base = Pointer::parse("/p");
        map.alias(
            file,
            &base.join("conditions/users/excludeUsers"),
            &base.child("ExcludeUsers"),
        );
        map.alias(
            file,
            &base.join("conditions/users/includeRoles"),
            &base.child("IncludeRoles"),
        );
        let at = |p: &str| map.resolve(&Origin::new(file, base.join(p)));
        let second = at("conditions/users/excludeUsers/1");
        assert_eq!(second.pointer, "/p/ExcludeUsers/1");
        assert!(second.exact);
        assert_eq!(&text[second.value], r#""b""#);
        // An element of a list written as one string: the string.
        let role = at("conditions/users/includeRoles/0");
        assert_eq!(&text[role.value], r#""Global Reader""#);
        assert!(!role.exact);
        // Not aliased: resolved as it is.
        assert_eq!(at("conditions").pointer, "/p");
        let value = map.value_text(&Origin::new(
            file,
            base.join("conditions/users/excludeUsers/0"),
        ));
        assert_eq!(value, Some(r#""a""#));
    }
}
