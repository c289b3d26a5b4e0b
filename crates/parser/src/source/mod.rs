//! Source positions for JSON documents:
//!
//! * [`SpanIndex`] (`spans`): byte spans of every value (and of every member key) of a JSON text,
//!   built in one iterative pass, queried with RFC 6901 JSON pointers.
//! * [`LineIndex`] (`lines`): line start offsets, 1-based line/column (column in chars) lookup.
//! * `embedded`: offsets in a JSON document written as a string map back to the file.
//! * [`SourceMap`] (`map`): the loaded files, resolving an [`Origin`](crate::Origin) to a span
//!   lazily, only when a finding is rendered.
//!
//! Nothing in here panics on malformed input, and nothing recurses on document depth.

mod embedded;
mod lines;
mod map;
mod spans;

pub use lines::LineIndex;
pub use map::{LineCol, SourceFile, SourceMap, Span};
pub use spans::{escape_token, Resolved, SpanIndex};
