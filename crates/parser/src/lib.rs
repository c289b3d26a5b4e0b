//! entralint-parser: reads Microsoft Entra ID exports into a typed model.
//!
//! `bytes ─decode─▶ text ─parse, detect, normalise─▶ typed objects (with Origin) ─▶ Tenant`
//!
//! Each object is read once, straight from the text into the typed model, normalised on the way
//! (`json::norm`); the kinds of object and everything the loader derives from them are declared in
//! one table (`kinds.rs`).
//!
//! The model knows no rules. Byte spans are not part of it: each object carries a logical
//! [`Origin`] (file + JSON Pointer), and the [`SourceMap`] turns it into a span only when a finding
//! is rendered.

pub mod builtin;
pub mod decode;
pub mod detect;
mod dsc;
mod id;
pub mod json;
pub mod jsonc;
mod kinds;
mod load;
pub mod model;
mod origin;
pub mod parallel;
mod powershell;
pub mod scuba_config;
pub mod source;
mod tenant;
mod terraform;

pub use decode::Encoding;
pub use id::{is_guid, ObjectId};
pub use kinds::Kind;
pub use load::{load, load_into, Input};
pub use origin::{FileId, Origin, Pointer};
pub use source::{LineCol, SourceFile, SourceMap, Span};
pub use tenant::{
    DeclaredExclusion, Inventory, IssueAt, IssueKind, LoadIssue, Tenant, TerraformData,
};
