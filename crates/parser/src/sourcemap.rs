//! Pointer → byte span, built lazily: a file's span index is made only when a finding in that file
//! is rendered, so clean files are read once.

use crate::decode::Encoding;
use crate::origin::{FileId, Origin, Pointer};
use crate::source::{IndexedSource, LineIndex, SpanIndex};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// Longest line (in bytes) rendered whole; longer lines are windowed around the label.
const MAX_RENDERED_LINE: usize = 240;

#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

#[derive(Debug)]
pub struct SourceFile {
    /// Path as given, relative to the current directory, `/`-separated.
    pub path: String,
    pub text: Arc<str>,
    /// `None` when the file could not be decoded (the text is then a sanitised display copy).
    pub encoding: Option<Encoding>,
    pub bom_len: usize,
    spans: OnceLock<SpanIndex>,
    lines: OnceLock<Arc<LineIndex>>,
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
            text: Arc::from(text),
            encoding,
            bom_len,
            spans: OnceLock::new(),
            lines: OnceLock::new(),
        });
        id
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

    /// The span of the value at `origin`, or of its nearest existing ancestor.
    pub fn resolve(&self, origin: &Origin) -> Span {
        let f = self.file(origin.file);
        let r = f.spans().resolve(&f.text, origin.pointer.as_str());
        Span {
            pointer: r.pointer,
            exact: r.exact,
            key: r.key,
            value: r.value,
        }
    }

    /// Key spans of every occurrence of `key` in the object at `parent` (duplicate keys).
    pub fn key_occurrences(&self, file: FileId, parent: &Pointer, key: &str) -> Vec<Range<usize>> {
        let f = self.file(file);
        f.spans().key_occurrences(&f.text, parent.as_str(), key)
    }

    pub fn line_col(&self, file: FileId, offset: usize) -> LineCol {
        let f = self.file(file);
        let (line, column) = f.lines().line_col(&f.text, offset);
        LineCol { line, column }
    }

    /// A miette source for rendering labels in this file (line-indexed, long lines windowed).
    pub fn miette_source(&self, file: FileId) -> IndexedSource {
        let f = self.file(file);
        IndexedSource::with_lines(
            f.path.clone(),
            f.text.clone(),
            f.lines().clone(),
            MAX_RENDERED_LINE,
        )
    }
}

impl SourceFile {
    fn spans(&self) -> &SpanIndex {
        self.spans.get_or_init(|| SpanIndex::build(&self.text))
    }
    fn lines(&self) -> &Arc<LineIndex> {
        self.lines
            .get_or_init(|| Arc::new(LineIndex::new(&self.text)))
    }
    /// Whether the span index was built (for tests of laziness).
    pub fn is_indexed(&self) -> bool {
        self.spans.get().is_some()
    }
}
