//! Loading: decode each file, parse it, detect what it holds (by content first, by EntraExporter
//! path second), and read its objects into the [`Tenant`].
//!
//! Each object is read once, straight from its text into the model ([`json::norm`]). An object
//! that reader gives up on (a repeated key, a depth-truncated value, a null element, a type error)
//! is read again the careful way, into a normalised `serde_json::Value` first, which records what
//! there is to report and where. The two ways give the same objects; every reader below takes
//! either ([`Src`]).
//!
//! The elements of a collection are read one after the other, each reading telling where its
//! element ends. A Graph collection whose `@odata.context` comes first is read so before the
//! file is validated at all; anything unexpected rolls back what it added, and the file is
//! validated and read again.

use crate::decode::{decode, sanitize};
use crate::detect::{
    detect_object, kind_from_context, path_hint, scubagear, Betrayed, Detected, PathHint, Shape,
};
use crate::id::ObjectId;
use crate::json::lenient::{self, Step};
use crate::json::norm::{self, Member, Split, Unusual};
use crate::json::{self, Findings, Top, TopValue};
use crate::kinds::{kinds, Kind};
use crate::model::roles::{RawPolicy, RawRule};
use crate::model::*;
use crate::origin::{FileId, Origin, Pointer};
use crate::source::SourceMap;
use crate::tenant::{IssueAt, IssueKind, LoadIssue, Tenant};
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

mod easypim;
mod hcl;
mod m365dsc;
mod msgraph;
mod pim_settings;
mod scuba;
mod tfplan;
mod utcm;

/// One input file: its display path (relative, `/`-separated) and its bytes, or why it could not
/// be read.
pub struct Input {
    pub path: String,
    /// Where, in `path`, the part inside the export begins (a byte offset): the folder names after
    /// it may say what the file holds (an EntraExporter tree), those before it never do. Build with
    /// [`Input::new`] and [`Input::inside`].
    pub inside: usize,
    pub bytes: Result<Vec<u8>, String>,
}

impl Input {
    /// An input whose whole path is inside the export.
    pub fn new(path: String, bytes: Result<Vec<u8>, String>) -> Self {
        Input {
            path,
            inside: 0,
            bytes,
        }
    }

    /// The same input, its path read inside the export from byte `offset` on (see
    /// [`Input::inside`](field@Input::inside)).
    pub fn inside(mut self, offset: usize) -> Self {
        self.inside = offset;
        self
    }
}

/// Loads every input into one tenant. Never fails: a bad file becomes a [`LoadIssue`] and the
/// other files are still read.
pub fn load(inputs: impl IntoIterator<Item = Input>) -> Tenant {
    load_into(SourceMap::default(), inputs)
}

/// [`load`], adding the inputs to `sources`, which already holds the files of other tenants of
/// the same run: file ids stay unique across the run, so their findings can be reported
/// together.
pub fn load_into(sources: SourceMap, inputs: impl IntoIterator<Item = Input>) -> Tenant {
    let mut loader = Loader::default();
    loader.t.sources = sources;
    for input in inputs {
        loader.file(input);
    }
    loader.finish()
}

#[derive(Default)]
struct Loader {
    t: Tenant,
    /// Objects read from the current file, by kind (added to the inventory by `counted`).
    counts: [usize; Kind::ALL.len()],
    /// Kinds of which the current file holds only a selection (see `Inventory::partial`).
    partial: BTreeSet<Kind>,
    /// The length of the text of the object last read in one pass.
    read_len: usize,
    /// The elements of the collection being read that are not objects, as reported.
    elements: Cap,
    /// Each file that held a Graph collection with an `@odata.context`: whether it says more
    /// pages follow (see [`Loader::pages`]).
    pages: BTreeMap<FileId, Page>,
    /// Terraform configuration files, read together once all are parsed.
    tf_sources: Vec<hcl::TfSource>,
    /// Microsoft365DSC configurations, read once every file (their data files) is parsed.
    dsc_scripts: Vec<m365dsc::DscScript>,
    /// The `NonNodeData.OrganizationName` of each folder's `ConfigurationData.psd1`.
    dsc_organizations: BTreeMap<String, String>,
    /// The PIM policies the loader made from a tool's declarations or from rules written one by
    /// one (Terraform's Graph provider resources, Microsoft365DSC), by id: their index in the
    /// tenant's policies, so that the rules written for one policy are added to it (see
    /// [`Loader::policy_mut`]).
    made_policies: BTreeMap<ObjectId, usize>,
}

/// A file holding one page of a Graph collection.
struct Page {
    /// The folder inside the export and the collection's `@odata.context`, ignoring case: the
    /// pages of one response, split into files by a script, share both.
    collection: (String, String),
    /// Whether the page has an `@odata.nextLink` (a page follows it).
    continued: bool,
}

/// Values of the wrong type among the elements of one array: the first few are reported one by
/// one, the others counted on the last one reported, so that what is reported stays small.
#[derive(Default)]
struct Cap {
    listed: usize,
    more: usize,
    /// Where the last one reported is among the issues.
    last: usize,
}

/// The file being read.
#[derive(Clone, Copy)]
struct Doc<'a> {
    file: FileId,
    text: &'a str,
    /// What the file's place in an EntraExporter tree says about it.
    hint: &'a PathHint,
    /// Whether the text was validated first. If not, reading stops where it may not be valid.
    checked: bool,
    /// Whether `text` has the offsets of the file's own text (not a document decoded from a
    /// string of it): the spans of the elements read are then recorded in the source map.
    own_offsets: bool,
}

/// The length of text from which an element read is recorded where it is written (see
/// [`Loader::anchor`]).
const ANCHORED_LEN: usize = 1024;

/// The text being read may not be valid JSON: what was read from it is rolled back, and the file
/// parsed whole.
struct NotValid;

/// What reading a file has added so far, to roll back to.
struct Mark {
    lists: [usize; Kind::ALL.len()],
    issues: usize,
    present: BTreeSet<Kind>,
}

impl Loader {
    fn issue(&mut self, kind: IssueKind, file: FileId, at: IssueAt, message: String) {
        self.t.issues.push(LoadIssue {
            kind,
            file,
            message,
            at,
            label: None,
        });
    }

    /// An issue at a value, with its own label (see [`LoadIssue::label`]).
    fn issue_labelled(&mut self, file: FileId, at: Pointer, message: String, label: &str) {
        self.t.issues.push(LoadIssue {
            kind: IssueKind::Unreadable,
            file,
            message,
            at: IssueAt::Pointer(at),
            label: Some(label.to_owned()),
        });
    }

    fn file(&mut self, input: Input) {
        self.t.inventory.files += 1;
        let bytes = match input.bytes {
            Ok(b) => b,
            Err(e) => {
                let id = self.t.sources.add(input.path, String::new(), None, 0);
                self.t.sources.set_inside(id, input.inside);
                let message = format!("cannot read the file: {e}");
                self.issue(IssueKind::Unreadable, id, IssueAt::Offset(0), message);
                return;
            }
        };
        let decoded = match decode(bytes) {
            Ok(d) => d,
            Err(e) => {
                let id = self.t.sources.add(input.path, e.display_text, None, 0);
                self.t.sources.set_inside(id, input.inside);
                self.issue(
                    IssueKind::Unreadable,
                    id,
                    IssueAt::Offset(e.offset),
                    e.message,
                );
                return;
            }
        };
        let id = self.t.sources.add(
            input.path,
            decoded.text,
            Some(decoded.encoding),
            decoded.bom_len,
        );
        self.t.sources.set_inside(id, input.inside);
        // Only the folders inside the export say what a file holds: a folder above it named
        // `Users` or `DirectoryRoles` (a home directory, a checkout) says nothing.
        let hint = path_hint(self.t.sources.file(id).path_inside());
        let text = self.t.sources.file(id).text.clone();
        let inside = self.t.sources.file(id).path_inside();
        if hcl::is_tf(inside) || hcl::vars_file(inside).is_some() {
            return self.tf_parse(id, text);
        }
        if m365dsc::is_script(self.t.sources.file(id).path_inside()) {
            return self.dsc_parse(id, text);
        }
        if m365dsc::is_data(self.t.sources.file(id).path_inside()) {
            return self.dsc_data(id, &text);
        }
        if easypim::is_csv(&text) {
            let recognized = self.easypim_csv(id, &text);
            return self.done(id, recognized);
        }
        // A Graph collection whose `@odata.context` comes first is read as it is parsed; anything
        // unexpected (invalid JSON among it) rolls that back, and the file is parsed whole first.
        if !matches!(hint, PathHint::Skip | PathHint::Unmodelled) {
            if let Some(head) = json::collection_head(&text) {
                let mark = self.mark();
                let doc = Doc {
                    file: id,
                    text: &text,
                    hint: &hint,
                    checked: false,
                    own_offsets: true,
                };
                let array = (head.value_key.as_str(), head.array);
                match self.collection(doc, &head.members, array) {
                    Ok((recognized, end)) if json::is_tail(&text, end) => {
                        self.done(id, recognized);
                        return;
                    }
                    _ => {
                        self.rollback(mark);
                        self.t.sources.forget_anchors(id);
                    }
                }
            }
        }
        // The text read: the file's, or the file's with its trailing commas blanked out (same
        // offsets), which the source map keeps showing as written.
        let lenient: String;
        let (text, top) = match json::parse_top(&text) {
            Ok(top) => (text.as_str(), top),
            Err(e) => {
                // EasyPIM's configuration is JSON with comments.
                if let Some(recognized) = self.easypim_jsonc(id, &text) {
                    return self.done(id, recognized);
                }
                let fixed = json::without_trailing_commas(&text)
                    .filter(|(fixed, _)| json::parse_top(fixed).is_ok());
                let Some((fixed, commas)) = fixed else {
                    let (offset, message) = parse_error(&text, &e);
                    // Not JSON: show it without the control characters it may hold (same offsets).
                    self.t.sources.replace_text(id, sanitize(text.to_string()));
                    self.issue(IssueKind::Unreadable, id, IssueAt::Offset(offset), message);
                    return;
                };
                self.trailing_commas(id, &commas);
                lenient = fixed;
                let Ok(top) = json::parse_top(&lenient) else {
                    return;
                };
                (lenient.as_str(), top)
            }
        };
        match hint {
            PathHint::Skip => return,
            // Listed as unrecognised: what it holds is not read as anything else.
            PathHint::Unmodelled => return self.done(id, false),
            _ => {}
        }
        let doc = Doc {
            file: id,
            text,
            hint: &hint,
            checked: true,
            own_offsets: true,
        };
        let recognized = self.document(doc, top);
        self.done(id, recognized);
    }

    /// Reports the trailing commas of a file read as if they were not there: the first few one
    /// by one, the others counted on the last.
    fn trailing_commas(&mut self, file: FileId, commas: &[usize]) {
        let listed = commas.len().min(LISTED_MISMATCHES);
        for (n, &at) in commas[..listed].iter().enumerate() {
            let mut message = "invalid JSON: trailing comma; entralint reads the file as if it were not there (a line removed after the export, such as Export-DCConditionalAccessPolicyDesign's `id` line, can leave one)".to_owned();
            let more = commas.len() - listed;
            if n + 1 == listed && more > 0 {
                message.push_str(&format!(" ({more} more trailing commas in this file)"));
            }
            self.issue(IssueKind::Unreadable, file, IssueAt::Lenient(at), message);
        }
    }

    /// Closes the reading of a file.
    fn done(&mut self, file: FileId, recognized: bool) {
        self.counted(file);
        let got_objects = self.t.inventory.per_file.contains_key(&file);
        if !recognized && !got_objects {
            self.t.inventory.unrecognized.push(file);
        }
    }

    fn mark(&self) -> Mark {
        Mark {
            lists: lengths(&self.t),
            issues: self.t.issues.len(),
            present: self.t.inventory.present.clone(),
        }
    }

    fn rollback(&mut self, mark: Mark) {
        cut_back(&mut self.t, mark.lists);
        self.t.issues.truncate(mark.issues);
        self.t.inventory.present = mark.present;
        self.counts = Default::default();
        self.partial.clear();
    }

    /// Turns what reading found (duplicate keys, depth truncation) into issues.
    fn record(&mut self, file: FileId, findings: Findings) {
        for d in findings.duplicates {
            // Keys that differ only in case are one key for Microsoft Graph.
            let repeated = match &d.spelled {
                Some(spelled) => format!(
                    "key `{spelled}` repeats `{}` in the same object (keys that differ only in case are the same key)",
                    d.key
                ),
                None => format!("key `{}` appears more than once in the same object", d.key),
            };
            let message = match d.more {
                0 => format!("{repeated}; the last value is used"),
                more => format!(
                    "{repeated}, and {more} more repeated keys follow in it; the last value of each is used"
                ),
            };
            let at = IssueAt::DuplicateKey {
                parent: d.parent,
                key: d.key,
            };
            self.issue(IssueKind::DuplicateKey, file, at, message);
        }
        for (pointer, used) in findings.shadowed {
            let message = format!(
                "`AdditionalProperties` holds `{used}` with another value than the object's own `{used}`; entralint uses the object's own"
            );
            self.issue(
                IssueKind::Conflict,
                file,
                IssueAt::Pointer(pointer),
                message,
            );
        }
        if let Some((pointer, text)) = findings.truncated.first() {
            let more = findings.truncated.len() - 1;
            let message = format!(
                "`{}` is a PowerShell type name, not the value: the export was cut by ConvertTo-Json's depth limit{}",
                truncate(text, 80),
                if more > 0 { format!(" ({more} more values in this object)") } else { String::new() }
            );
            self.issue(
                IssueKind::Truncated,
                file,
                IssueAt::Pointer(pointer.clone()),
                message,
            );
        }
    }

    /// Reads a whole document (validated); returns whether its shape was recognised.
    fn document(&mut self, doc: Doc<'_>, top: Top<'_>) -> bool {
        // A part of the text starts at the distance between the two.
        let offset = |part: &str| part.as_ptr() as usize - doc.text.as_ptr() as usize;
        let top = match top {
            Top::Object(members) if tfplan::is_plan(&members) => return self.terraform_plan(doc),
            Top::Object(members) if easypim::is_config(&members) => {
                return self.easypim_config(doc.file, doc.text)
            }
            Top::Object(members) => match scubagear(&members) {
                Some(export) => return self.scubagear(doc, export),
                None => match utcm::utcm(&members) {
                    Some(shape) => return self.utcm(doc, shape),
                    None => Top::Object(members),
                },
            },
            Top::Array(items) if m365dsc::is_report(&items) => return self.dsc_report(doc, items),
            top => top,
        };
        match top {
            Top::Object(members) if is_envelope(&members) => {
                let Some((key, TopValue::Array(raw))) = json::member(&members, "value") else {
                    return false;
                };
                let array = (key.as_str(), offset(raw));
                // The text is valid: reading it never stops.
                self.collection(doc, &members, array)
                    .is_ok_and(|(recognized, _)| recognized)
            }
            Top::Object(members) if is_name_table(&members) => {
                let Some((key, TopValue::Array(raw))) = json::member(&members, "Objects") else {
                    return false;
                };
                let kind = Kind::NameTableEntry;
                self.t.inventory.present.insert(kind);
                let context = Detected::Kind(kind);
                let base = Pointer::root().child(key);
                let text = doc.text;
                self.each_valid_element((doc.file, text), offset(raw), &base, |this, i, start| {
                    let at = || base.index(i);
                    Ok(this.element(doc, start, at, Some(&context))?.1)
                });
                true
            }
            Top::Array(items) => {
                let mut any = false;
                for (i, raw) in items.into_iter().enumerate() {
                    let at = || Pointer::root().index(i);
                    if let Ok((recognised, _)) = self.element(doc, offset(raw.get()), at, None) {
                        any |= recognised.unwrap_or(false);
                    }
                }
                any
            }
            Top::Object(members) => {
                let context = json::member(&members, "@odata.context")
                    .and_then(|(_, v)| v.as_str())
                    .and_then(kind_from_context);
                self.element(doc, 0, Pointer::root, context.as_ref())
                    .is_ok_and(|(recognised, _)| recognised.unwrap_or(true))
            }
            Top::Scalar => false,
        }
    }

    /// Reads the value that starts at `doc.text[start]` (an element of an array, or the root) as
    /// the object at `at`: in one pass, and the careful way if that gives up. Returns whether it
    /// was recognised (`None` when its JSON could not be read, nested too deep) and where it ends.
    fn element(
        &mut self,
        doc: Doc<'_>,
        start: usize,
        at: impl Fn() -> Pointer,
        context: Option<&Detected>,
    ) -> Result<(Option<bool>, usize), NotValid> {
        let rest = &doc.text[start..];
        let at = at();
        if is_object(rest) {
            if let Ok((recognised, len)) = self.fast_element(doc, rest, at.clone(), context) {
                self.anchor(doc, &at, start..start + len);
                return Ok((Some(recognised), start + len));
            }
        }
        let len = json::value_len(rest).ok_or(NotValid)?;
        self.anchor(doc, &at, start..start + len);
        let Some(value) = self.read(doc.file, doc.text, &rest[..len], at.clone()) else {
            return if doc.checked {
                Ok((None, start + len))
            } else {
                Err(NotValid)
            };
        };
        let recognised = self.entity(doc.file, at, value, context.cloned(), doc.hint);
        Ok((Some(recognised), start + len))
    }

    /// Records where a large element read is written (not the document's root, which the file's
    /// own index covers): what is looked up in it is then found by indexing it alone. A small one
    /// (a user, a group) is found as cheaply through the file's own index, without the room a
    /// record takes for each of the many there are.
    fn anchor(&mut self, doc: Doc<'_>, at: &Pointer, span: std::ops::Range<usize>) {
        if span.len() >= ANCHORED_LEN {
            self.anchor_written(doc, at, at, span);
        }
    }

    /// [`Loader::anchor`], for an element the model spells `at` and the file `written`.
    fn anchor_written(
        &mut self,
        doc: Doc<'_>,
        at: &Pointer,
        written: &Pointer,
        span: std::ops::Range<usize>,
    ) {
        if doc.own_offsets && !at.as_str().is_empty() {
            let (at, written) = (at.as_str(), written.as_str());
            self.t.sources.anchor(doc.file, at, written, span);
        }
    }

    /// Detects and reads the object `rest` starts with, in one pass; returns whether it was
    /// recognised and the length of its text. Gives up without changing anything.
    fn fast_element(
        &mut self,
        doc: Doc<'_>,
        rest: &str,
        at: Pointer,
        context: Option<&Detected>,
    ) -> Result<(bool, usize), Unusual> {
        let hint = doc.hint;
        self.read_len = 0;
        let detected = match (hint, context) {
            // A member file's content is a user or group; its place in the tree says whose member.
            (PathHint::GroupRelation { .. }, _) => Detected::Relation,
            (_, Some(context)) => context.clone(),
            (_, None) => {
                let shape: Shape = self.read_text(rest)?;
                match detect_object(&shape).or_else(|| hint.kind().map(Detected::Kind)) {
                    Some(detected) => detected,
                    None => return Ok((false, self.read_len)),
                }
            }
        };
        let origin = Origin::new(doc.file, at);
        let recognised = self.detected(detected, origin, Src::Text(rest), hint)?;
        // Nothing was read (and nothing changed) when the object is not one of a kind read.
        let len = match self.read_len {
            0 => json::value_len(rest).ok_or(Unusual)?,
            len => len,
        };
        Ok((recognised, len))
    }

    /// Reads `T` in one pass from the object `rest` starts with.
    fn read_text<'t, T: serde::Deserialize<'t>>(&mut self, rest: &'t str) -> Result<T, Unusual> {
        let (value, len) = norm::read_prefix(rest)?;
        self.read_len = len;
        Ok(value)
    }

    /// Calls `each` with the index and the start of every element of the array at `text[array]`;
    /// `each` returns where the element ends. Returns where the array ends ([`json::each_element`],
    /// with the loader at hand).
    fn each_element(
        &mut self,
        text: &str,
        array: usize,
        mut each: impl FnMut(&mut Self, usize, usize) -> Result<usize, NotValid>,
    ) -> Result<usize, NotValid> {
        let mut i = 0;
        json::each_element(text, array, |start| {
            let end = each(self, i, start).ok()?;
            i += 1;
            Some(end)
        })
        .ok_or(NotValid)
    }

    /// [`Self::each_element`] over a list in text already validated, which never stops: were it
    /// to, the elements after the stop would go unread, and that is said, at the first of them.
    /// `at` is where the list is.
    fn each_valid_element(
        &mut self,
        (file, text): (FileId, &str),
        array: usize,
        at: &Pointer,
        mut each: impl FnMut(&mut Self, usize, usize) -> Result<usize, NotValid>,
    ) {
        let mut read = 0;
        let walked = self.each_element(text, array, |this, i, from| {
            let end = each(this, i, from)?;
            read = i + 1;
            Ok(end)
        });
        if walked.is_err() {
            self.list_stopped(file, at, read);
        }
    }

    /// Says that the walk over the list at `at` stopped after its first `read` elements: those
    /// after them are not read.
    fn list_stopped(&mut self, file: FileId, at: &Pointer, read: usize) {
        let message = format!(
            "this list could not be read past its first {read} elements; the elements after them are not read"
        );
        let issue_at = IssueAt::Pointer(at.index(read));
        self.issue(IssueKind::Unreadable, file, issue_at, message);
    }

    /// Reads one raw value (a slice of `text`) into a normalised value; nesting too deep for the
    /// parser becomes a JSON001 issue at the value.
    fn read(&mut self, file: FileId, text: &str, raw: &str, at: Pointer) -> Option<Value> {
        let mut findings = Findings::default();
        let result = json::parse_value(raw, &at, &mut findings);
        match result {
            Ok(value) => {
                self.record(file, findings);
                Some(value)
            }
            Err(e) => {
                // The slice lies inside `text`: its start is the distance between the two.
                let base = (raw.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
                let (offset, message) = parse_error(raw, &e);
                self.issue(
                    IssueKind::Unreadable,
                    file,
                    IssueAt::Offset(base + offset),
                    message,
                );
                None
            }
        }
    }

    /// Reads a collection: its members (`@odata.context`, `@odata.nextLink`) and the elements of
    /// its `value` array, `array` (the key as written and where the array starts). Returns whether
    /// it was recognised and where the array ends; unless `checked`, stops where the text may not
    /// be valid.
    fn collection(
        &mut self,
        doc: Doc<'_>,
        members: &[(String, TopValue<'_>)],
        array: (&str, usize),
    ) -> Result<(bool, usize), NotValid> {
        self.elements = Cap::default();
        let read = self.collection_elements(doc, members, array);
        let cap = std::mem::take(&mut self.elements);
        self.close(cap, "elements that are not objects in this collection");
        read
    }

    /// [`Loader::collection`], the elements not objects noted in `self.elements`.
    fn collection_elements(
        &mut self,
        doc: Doc<'_>,
        members: &[(String, TopValue<'_>)],
        (key, array): (&str, usize),
    ) -> Result<(bool, usize), NotValid> {
        let Doc { file, text, .. } = doc;
        let duplicates = json::duplicate_members(members);
        self.record(
            file,
            Findings {
                duplicates,
                ..Findings::default()
            },
        );
        let raw_context = json::member(members, "@odata.context").and_then(|(_, v)| v.as_str());
        let context = raw_context.and_then(kind_from_context);
        if let Some(raw) = raw_context {
            let inside = self.t.sources.file(file).path_inside();
            let folder = inside.rsplit_once('/').map_or("", |(dir, _)| dir);
            let page = Page {
                collection: (folder.to_ascii_lowercase(), raw.to_ascii_lowercase()),
                continued: json::member(members, "@odata.nextLink").is_some(),
            };
            self.pages.insert(file, page);
        }
        if let Some((key, link)) = json::member(members, "@odata.nextLink") {
            let message = format!(
                "this collection is only the first page of the response (`@odata.nextLink` is {}); objects on later pages are missing",
                link.as_str().map_or("set".to_owned(), |l| format!("`{}`", truncate(l, 120)))
            );
            let at = IssueAt::Pointer(Pointer::root().child(key));
            self.issue(IssueKind::Paged, file, at, message);
        }
        let base = Pointer::root().child(key);
        let mut any = false;
        if let Some(Detected::Kind(kind)) = &context {
            // "Exported, none exist" is not "not exported".
            self.t.inventory.present.insert(*kind);
            any = true;
        }
        if let Some(Detected::PolicyRules { policy_id }) = &context {
            let policy = RoleManagementPolicy {
                origin: Origin::new(file, Pointer::root()),
                id: Some(ObjectId::new(policy_id)),
                ..Default::default()
            };
            let mut rules = Vec::new();
            let end = self.each_element(text, array, |this, i, start| {
                let rest = &text[start..];
                if rest.starts_with('{') {
                    if let Ok((rule, len)) = norm::read_prefix::<RawRule>(rest) {
                        rules.push((i, Part::Read(rule)));
                        return Ok(start + len);
                    }
                }
                let len = json::value_len(rest).ok_or(NotValid)?;
                match this.read(file, text, &rest[..len], base.index(i)) {
                    Some(Value::Object(m)) => rules.push((i, Part::Value(m))),
                    Some(other) => {
                        let at = Origin::new(file, base.index(i));
                        let field = format!("{key}[{i}]");
                        let then = "the PIM policy is read without it";
                        let mut cap = std::mem::take(&mut this.elements);
                        this.wrong_element(&mut cap, at, &field, &other, then);
                        this.elements = cap;
                    }
                    None if !doc.checked => return Err(NotValid),
                    None => {}
                }
                Ok(start + len)
            })?;
            return Ok((self.policy_rules(file, policy, rules, &base), end));
        }
        let end = self.each_element(text, array, |this, i, start| {
            let at = || base.index(i);
            let (recognised, end) = this.element(doc, start, at, context.as_ref())?;
            any |= recognised.unwrap_or(false);
            Ok(end)
        })?;
        Ok((any, end))
    }

    /// Reads one normalised object (the careful way). `context` is what the collection's
    /// `@odata.context` says it is.
    fn entity(
        &mut self,
        file: FileId,
        at: Pointer,
        value: Value,
        context: Option<Detected>,
        hint: &PathHint,
    ) -> bool {
        let Value::Object(map) = value else {
            // In a collection of a known kind every element is an object of that kind.
            if let Some(Detected::Kind(kind)) = context {
                let then = format!("this element of a collection of {} is skipped", kind.noun());
                // `value[3]`, or `[3]` in a bare array.
                let field = match at.split_last() {
                    Some((parent, last)) => {
                        let name = parent
                            .split_last()
                            .map(|(_, name)| name)
                            .unwrap_or_default();
                        format!("{name}[{last}]")
                    }
                    None => ".".to_owned(),
                };
                let mut cap = std::mem::take(&mut self.elements);
                self.wrong_element(&mut cap, Origin::new(file, at), &field, &value, &then);
                self.elements = cap;
            }
            return false;
        };
        let detected = match hint {
            // A member file's content is a user or group; its place in the tree says whose member.
            PathHint::GroupRelation { .. } => Some(Detected::Relation),
            _ => context
                .or_else(|| detect_object(&map))
                .or_else(|| hint.kind().map(Detected::Kind)),
        };
        let Some(detected) = detected else {
            return false;
        };
        // A normalised value is never given up on.
        self.detected(detected, Origin::new(file, at), Src::Value(map), hint)
            .unwrap_or(true)
    }

    /// Reads an object detected as `detected`; returns whether it was recognised.
    fn detected(
        &mut self,
        detected: Detected,
        origin: Origin,
        src: Src<'_>,
        hint: &PathHint,
    ) -> Result<bool, Unusual> {
        match detected {
            Detected::Kind(kind) => self.object(kind, origin, src),
            Detected::PimEligibilityWithPolicy => self.exporter_pim_file(origin, src),
            Detected::PimGroupEligibilityWithPolicy => self.exporter_pim_group_file(origin, src),
            Detected::Relation => match hint {
                PathHint::GroupRelation { group_id, owner } => {
                    self.relation(origin, src, group_id.clone(), *owner)
                }
                _ => Ok(false),
            },
            Detected::PolicyRules { .. } => Ok(false),
            Detected::TableRow => self.table_row(origin, src),
            Detected::Foreign { kind, betrayed } => Ok(self.foreign(origin, kind, &betrayed)),
        }
    }

    /// An object shaped like one of `kind`, not as Graph writes it: reported at the first member
    /// that betrays it, and not read (read, it would be an object without its conditions, which
    /// the rules would take for a policy that applies to nobody).
    fn foreign(&mut self, origin: Origin, kind: Kind, betrayed: &[Betrayed]) -> bool {
        let Some(first) = betrayed.first() else {
            return false;
        };
        let found: Vec<String> = betrayed.iter().map(|b| b.found.clone()).collect();
        let graph: Vec<String> = betrayed.iter().map(|b| b.graph.to_owned()).collect();
        let noun = match kind {
            Kind::ConditionalAccessPolicy => "Conditional Access policy",
            _ => kind.labels().0,
        };
        let message = format!(
            "this object is not a Graph {noun}: it has {} where Graph has {}; entralint does not read it",
            list(&found),
            list(&graph)
        );
        let at = IssueAt::Pointer(origin.pointer.join(&first.path));
        self.issue(IssueKind::Foreign, origin.file, at, message);
        true
    }

    /// A row of a CIPP table. A Conditional Access template (`PartitionKey` `CATemplate`) holds
    /// the policy as `JSON`: a string, whose document is read in place (its findings are located
    /// inside the string), or an object. Rows of other templates and settings are not read.
    fn table_row(&mut self, origin: Origin, src: Src<'_>) -> Result<bool, Unusual> {
        // Read the careful way: the row is a few members around one large string.
        let Src::Value(mut map) = src else {
            return Err(Unusual);
        };
        let member = |map: &Map<String, Value>, name: &str| {
            map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
        };
        let partition = member(&map, "partitionKey")
            .and_then(|k| map.get(&k))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !partition.eq_ignore_ascii_case("CATemplate") {
            return Ok(false);
        }
        let Some(value) = member(&map, "json").and_then(|k| map.remove(&k)) else {
            return Ok(false);
        };
        let at = origin.pointer.child("JSON");
        let file = origin.file;
        let what = "the `JSON` of this CIPP Conditional Access template";
        match value {
            Value::String(s) => self.embedded_template(file, at, s),
            value @ Value::Object(_) => {
                if !self.entity(file, at.clone(), value, None, &PathHint::None) {
                    let message = format!(
                        "{what} is no Conditional Access policy: it has no `conditions` object beside a `displayName`, `state` or controls; entralint does not read it"
                    );
                    self.issue(IssueKind::Foreign, file, IssueAt::Pointer(at), message);
                }
            }
            other => {
                let then = "this template is not read";
                let field = "JSON";
                let expected = "a string or an object holding the policy";
                self.wrong_type(Origin::new(file, at), field, &other, expected, then);
            }
        }
        Ok(true)
    }

    /// The policy of a CIPP template, written as a JSON string at `at`: read from the decoded
    /// text, its origins below `at` (the source map resolves them inside the string).
    fn embedded_template(&mut self, file: FileId, at: Pointer, s: String) {
        let what = "the `JSON` string of this CIPP Conditional Access template";
        let text = self.t.sources.embed(file, &at, s);
        let top = match json::parse_top(&text) {
            Ok(top) => top,
            Err(e) => {
                let (offset, message) = parse_error(&text, &e);
                let message = message.strip_prefix("invalid JSON: ").unwrap_or(&message);
                let message = format!("{what} is not valid JSON: {message}");
                let place = match self.t.sources.embedded_offset(file, &at, offset) {
                    Some(raw) => IssueAt::Offset(raw),
                    None => IssueAt::Pointer(at),
                };
                self.issue(IssueKind::Unreadable, file, place, message);
                return;
            }
        };
        let held = match top {
            Top::Object(_) => None,
            Top::Array(_) => Some("an array"),
            Top::Scalar => Some("a single value"),
        };
        if let Some(held) = held {
            let message =
                format!("{what} holds {held}, not a policy object; entralint does not read it");
            self.issue(IssueKind::Foreign, file, IssueAt::Pointer(at), message);
            return;
        }
        let first = self.t.issues.len();
        let doc = Doc {
            file,
            text: &text,
            hint: &PathHint::None,
            checked: true,
            own_offsets: false,
        };
        let recognised = self
            .element(doc, 0, || at.clone(), None)
            .ok()
            .and_then(|(recognised, _)| recognised);
        // Offsets of what reading found are offsets in the decoded text: into the file's.
        for i in first..self.t.issues.len() {
            if let IssueAt::Offset(offset) = self.t.issues[i].at {
                let raw = self.t.sources.embedded_offset(file, &at, offset);
                self.t.issues[i].at = match raw {
                    Some(raw) => IssueAt::Offset(raw),
                    None => IssueAt::Pointer(at.clone()),
                };
            }
        }
        if recognised == Some(false) {
            let message = format!(
                "{what} holds no Conditional Access policy: it has no `conditions` object beside a `displayName`, `state` or controls; entralint does not read it"
            );
            self.issue(IssueKind::Foreign, file, IssueAt::Pointer(at), message);
        }
    }

    fn count(&mut self, kind: Kind) {
        self.counts[kind as usize] += 1;
    }

    /// Adds the objects read from `file` to the inventory.
    fn counted(&mut self, file: FileId) {
        let counts = std::mem::take(&mut self.counts);
        let partial = std::mem::take(&mut self.partial);
        for (kind, n) in Kind::ALL.into_iter().zip(counts) {
            if n > 0 {
                let inventory = &mut self.t.inventory;
                if partial.contains(&kind) {
                    inventory.partial.insert(kind);
                } else {
                    inventory.present.insert(kind);
                }
                inventory.per_file.entry(file).or_default().insert(kind, n);
            }
        }
    }

    /// Deserialises `map` as `T`, leniently: a value of the wrong JSON type is a JSON001 issue at
    /// that value, and is read as absent (a member) or as an empty value (an element); the rest
    /// of the object is read. An object the model cannot read at all is a JSON001 issue at the
    /// value that stopped it (`None`).
    /// `label` names the object in messages ("CA policy").
    fn typed<T: DeserializeOwned>(
        &mut self,
        label: &str,
        origin: &Origin,
        map: Map<String, Value>,
    ) -> Option<T> {
        match lenient::read::<T>(map) {
            Ok((value, found)) => {
                let count = found.listed.len();
                for (n, m) in found.listed.iter().enumerate() {
                    let field = field_path(&m.path);
                    let then = if m.member {
                        format!("this {label} is read without it")
                    } else {
                        "it is read as an empty value".to_owned()
                    };
                    let mut message =
                        format!("`{field}` is {}, not {}: {then}", m.found, m.expected);
                    if n + 1 == count && found.more > 0 {
                        message.push_str(&format!(
                            " ({} more values of the wrong type in this {label})",
                            found.more
                        ));
                    }
                    let at = IssueAt::Pointer(below(&origin.pointer, &m.path));
                    self.issue(IssueKind::Unreadable, origin.file, at, message);
                }
                Some(value)
            }
            Err(failure) => {
                let message = format!(
                    "this {label} cannot be read: {} (at `{}`)",
                    failure.message,
                    field_path(&failure.path)
                );
                let at = IssueAt::Pointer(below(&origin.pointer, &failure.path));
                self.issue(IssueKind::Unreadable, origin.file, at, message);
                None
            }
        }
    }

    /// Reports a member or element of the wrong JSON type that the loader reads itself (an
    /// embedded object, an array of them): `field` names it below the object of `kind` it belongs
    /// to, and `then` says what reading does instead.
    fn wrong_type(&mut self, at: Origin, field: &str, value: &Value, expected: &str, then: &str) {
        let message = format!(
            "`{field}` is {}, not {expected}: {then}",
            lenient::json_type(value)
        );
        self.issue(
            IssueKind::Unreadable,
            at.file,
            IssueAt::Pointer(at.pointer),
            message,
        );
    }

    /// The objects of the member `name` (an array) of the object of `kind` at `origin`, by index:
    /// a member that is not an array, and an element that is not an object, are issues and are
    /// read as absent.
    fn object_parts<T>(
        &mut self,
        kind: Kind,
        origin: &Origin,
        name: &str,
        value: Option<Value>,
    ) -> Vec<(usize, Part<T>)> {
        let label = kind.labels().0;
        let items = match value {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                let then = format!("this {label} is read without it");
                self.wrong_type(origin.at(name), name, &other, "an array", &then);
                return Vec::new();
            }
        };
        let mut parts = Vec::new();
        let mut cap = Cap::default();
        for (i, item) in items.into_iter().enumerate() {
            match item {
                Value::Object(m) => parts.push((i, Part::Value(m))),
                other => {
                    let then = format!("this {label} is read without it");
                    let field = format!("{name}[{i}]");
                    let at = origin.at_index(name, i);
                    self.wrong_element(&mut cap, at, &field, &other, &then);
                }
            }
        }
        self.close(cap, &format!("elements of `{name}` that are not objects"));
        parts
    }

    /// Reports an element that is not an object, unless [`LISTED_MISMATCHES`] of its array were
    /// already: it is then counted in `cap`.
    fn wrong_element(&mut self, cap: &mut Cap, at: Origin, field: &str, value: &Value, then: &str) {
        if cap.listed >= LISTED_MISMATCHES {
            cap.more += 1;
            return;
        }
        self.wrong_type(at, field, value, "an object", then);
        cap.listed += 1;
        cap.last = self.t.issues.len().saturating_sub(1);
    }

    /// Adds the count of what `cap` did not report to the last issue it reported (`what` names it).
    fn close(&mut self, cap: Cap, what: &str) {
        if cap.more == 0 {
            return;
        }
        if let Some(issue) = self.t.issues.get_mut(cap.last) {
            issue
                .message
                .push_str(&format!(" ({} more {what})", cap.more));
        }
    }

    /// The member `key` (in any case) of an embedded object of `kind` at `origin`, taken out: a
    /// non-empty string, or `None`. A value of another type is an issue.
    fn string_member(
        &mut self,
        kind: Kind,
        origin: &Origin,
        map: &mut Map<String, Value>,
        key: &str,
    ) -> Option<String> {
        let k = map.keys().find(|k| k.eq_ignore_ascii_case(key)).cloned()?;
        match map.remove(&k)? {
            Value::String(s) => (!s.is_empty()).then_some(s),
            other => {
                let at = Origin::new(origin.file, origin.pointer.child(&k));
                let then = format!("this {} is read without it", kind.labels().0);
                self.wrong_type(at, &k, &other, "a string", &then);
                None
            }
        }
    }

    /// The embedded object `name` of the object of `kind` at `origin`, taken out of `map`; a value
    /// of another type is an issue, and read as absent.
    fn embedded(
        &mut self,
        kind: Kind,
        origin: &Origin,
        map: &mut Map<String, Value>,
        name: &str,
    ) -> Option<Map<String, Value>> {
        match map.remove(name)? {
            Value::Object(m) => Some(m),
            other => {
                let then = format!("this {} is read without it", kind.labels().0);
                self.wrong_type(origin.at(name), name, &other, "an object", &then);
                None
            }
        }
    }

    /// Reads `T` from `src`. From text it gives up on anything unusual; from a normalised value a
    /// type error is reported (`None`).
    fn read_as<T: DeserializeOwned>(
        &mut self,
        kind: Kind,
        origin: &Origin,
        src: Src<'_>,
    ) -> Result<Option<T>, Unusual> {
        match src {
            Src::Text(raw) => self.read_text(raw).map(Some),
            Src::Value(map) => Ok(self.typed(kind.labels().0, origin, map)),
        }
    }

    /// A part of an object: read already, or read now with a type error reported (`None`).
    fn part<T: DeserializeOwned>(
        &mut self,
        kind: Kind,
        origin: &Origin,
        part: Part<T>,
    ) -> Option<T> {
        match part {
            Part::Read(v) => Some(v),
            Part::Value(map) => self.typed(kind.labels().0, origin, map),
        }
    }

    /// The tenant's authentication methods policy and the method configurations it embeds.
    fn methods_policy(&mut self, origin: Origin, src: Src<'_>) -> Result<bool, Unusual> {
        let kind = Kind::AuthenticationMethodsPolicy;
        let (policy, configs) = match src {
            Src::Text(raw) => {
                let s: Split<AuthenticationMethodsPolicy, _, Configurations> =
                    self.read_text(raw)?;
                (Part::Read(s.main), read_parts(s.part.unwrap_or_default()))
            }
            Src::Value(mut map) => {
                let configs = map.remove(Configurations::NAME);
                let configs = self.object_parts(kind, &origin, Configurations::NAME, configs);
                (Part::Value(map), configs)
            }
        };
        let Some(mut policy) = self.part(kind, &origin, policy) else {
            return Ok(true);
        };
        policy.origin = origin.clone();
        self.t.authentication_methods_policies.push(policy);
        let config_kind = Kind::AuthenticationMethodConfiguration;
        for (i, config) in configs {
            let at = origin.at_index(Configurations::NAME, i);
            if let Some(mut config) =
                self.part::<AuthenticationMethodConfiguration>(config_kind, &at, config)
            {
                config.origin = at;
                self.t.method_configurations.push(config);
                self.count(config_kind);
            }
        }
        self.count(kind);
        Ok(true)
    }

    /// A PIM policy assignment, and the policy it may embed (`$expand=policy`).
    fn policy_assignment(&mut self, origin: Origin, src: Src<'_>) -> Result<bool, Unusual> {
        let kind = Kind::RoleManagementPolicyAssignment;
        let (assignment, embedded) = match src {
            Src::Text(raw) => {
                let s: Split<RoleManagementPolicyAssignment, PolicyParts, Embedded> =
                    self.read_text(raw)?;
                (Part::Read(s.main), s.part.map(Part::Read))
            }
            Src::Value(mut map) => {
                let embedded = self.embedded(kind, &origin, &mut map, Embedded::NAME);
                (Part::Value(map), embedded.map(Part::Value))
            }
        };
        let Some(mut assignment) = self.part(kind, &origin, assignment) else {
            return Ok(true);
        };
        assignment.origin = origin.clone();
        self.t.policy_assignments.push(assignment);
        if let Some(policy) = embedded {
            self.read_policy(origin.at(Embedded::NAME), policy);
        }
        self.count(kind);
        Ok(true)
    }

    /// A group, and a membership for each member and owner it was exported with.
    fn group(&mut self, origin: Origin, src: Src<'_>) -> Result<bool, Unusual> {
        let Some(mut g) = self.read_as::<Group>(Kind::Group, &origin, src)? else {
            return Ok(true);
        };
        g.origin = origin.clone();
        // The members and owners move into the tenant's group relations, where every membership
        // is, whichever file it came from: the group keeps no second copy.
        let members = std::mem::take(&mut g.members);
        let owners = std::mem::take(&mut g.owners);
        if let Some(gid) = g.id.clone() {
            for (i, m) in members.into_iter().enumerate() {
                self.push_relation(origin.at_index("members", i), gid.clone(), m, false);
            }
            for (i, m) in owners.into_iter().enumerate() {
                self.push_relation(origin.at_index("owners", i), gid.clone(), m, true);
            }
        }
        self.t.groups.push(g);
        self.count(Kind::Group);
        Ok(true)
    }

    /// A group membership is read through its group (`members`, `owners`) or from an EntraExporter
    /// member file (known from its path), never as an object of its own.
    fn through_group(&mut self, _: Origin, _: Src<'_>) -> Result<bool, Unusual> {
        Ok(false)
    }

    fn push_relation(
        &mut self,
        origin: Origin,
        group_id: ObjectId,
        member: DirectoryObject,
        is_owner: bool,
    ) {
        self.count(Kind::GroupMember);
        self.t.group_relations.push(GroupRelation {
            origin,
            group_id,
            member,
            is_owner,
        });
    }

    fn relation(
        &mut self,
        origin: Origin,
        src: Src<'_>,
        group_id: String,
        owner: bool,
    ) -> Result<bool, Unusual> {
        let Some(member) = self.read_as::<DirectoryObject>(Kind::GroupMember, &origin, src)? else {
            return Ok(true);
        };
        self.push_relation(origin, ObjectId::new(&group_id), member, owner);
        Ok(true)
    }

    /// A `unifiedRoleManagementPolicy` with its rules.
    fn policy(&mut self, origin: Origin, src: Src<'_>) -> Result<bool, Unusual> {
        let policy = match src {
            Src::Text(raw) => Part::Read(self.read_text(raw)?),
            Src::Value(map) => Part::Value(map),
        };
        Ok(self.read_policy(origin, policy))
    }

    fn read_policy(&mut self, origin: Origin, policy: Part<PolicyParts>) -> bool {
        let (raw, rules) = match policy {
            Part::Read(s) => (Part::Read(s.main), read_parts(s.part.unwrap_or_default())),
            Part::Value(mut map) => {
                let rules = map.remove(Rules::NAME);
                let kind = Kind::RoleManagementPolicy;
                (
                    Part::Value(map),
                    self.object_parts(kind, &origin, Rules::NAME, rules),
                )
            }
        };
        let Some(raw) = self.part::<RawPolicy>(Kind::RoleManagementPolicy, &origin, raw) else {
            return true;
        };
        let policy = RoleManagementPolicy {
            origin: origin.clone(),
            id: raw.id,
            display_name: raw.display_name,
            scope_id: raw.scope_id,
            scope_type: raw.scope_type,
            is_organization_default: raw.is_organization_default,
            rules: Vec::new(),
        };
        let base = origin.pointer.child(Rules::NAME);
        self.policy_rules(origin.file, policy, rules, &base)
    }

    /// Adds the rules (by their index in the file's array) to the policy, and the policy.
    fn policy_rules(
        &mut self,
        file: FileId,
        mut policy: RoleManagementPolicy,
        rules: Vec<(usize, Part<RawRule>)>,
        base: &Pointer,
    ) -> bool {
        let rules = self.pim_rules(file, rules, base);
        policy.rules.extend(rules);
        self.add_policy(policy);
        true
    }

    /// The rules of a PIM policy, each at its index below `base`, made from what was read of it
    /// (the careful way's value checked against the model).
    fn pim_rules(
        &mut self,
        file: FileId,
        rules: Vec<(usize, Part<RawRule>)>,
        base: &Pointer,
    ) -> Vec<PimRule> {
        let mut out = Vec::with_capacity(rules.len());
        for (i, rule) in rules {
            let origin = Origin::new(file, base.index(i));
            let rule = match rule {
                Part::Read(rule) => Some(rule),
                Part::Value(map) => self.typed("PIM policy rule", &origin, map),
            };
            if let Some(raw) = rule {
                out.push(raw.into_rule(origin));
            }
        }
        out
    }

    fn add_policy(&mut self, policy: RoleManagementPolicy) {
        self.count(Kind::RoleManagementPolicy);
        self.t.role_management_policies.push(policy);
    }

    /// EntraExporter `PIM/DirectoryRoles/<id>.json`: an eligibility schedule instance with the role's
    /// policy embedded as `Policy = {RoleID, PolicyID, Rules}`.
    fn exporter_pim_file(&mut self, origin: Origin, src: Src<'_>) -> Result<bool, Unusual> {
        let (eligibility, embedded) = match src {
            Src::Text(raw) => {
                // The eligibility is the object itself (the model ignores `policy`).
                let s: Split<IgnoredAny, ExporterPolicy, Embedded> = self.read_text(raw)?;
                (Src::Text(raw), s.part)
            }
            Src::Value(mut map) => {
                let kind = Kind::RoleEligibilitySchedule;
                let embedded = self.embedded(kind, &origin, &mut map, Embedded::NAME);
                let embedded = embedded.map(|mut p| {
                    let at = origin.at(Embedded::NAME);
                    let kind = Kind::RoleManagementPolicy;
                    let rules = p.remove(Rules::NAME);
                    ExporterPolicy {
                        role_id: self.string_member(kind, &at, &mut p, "roleID"),
                        policy_id: self.string_member(kind, &at, &mut p, "policyID"),
                        rules: self.object_parts(kind, &at, Rules::NAME, rules),
                    }
                });
                (Src::Value(map), embedded)
            }
        };
        self.object(Kind::RoleEligibilitySchedule, origin.clone(), eligibility)?;
        let Some(ExporterPolicy {
            role_id,
            policy_id,
            rules,
        }) = embedded
        else {
            return Ok(true);
        };
        let policy_origin = origin.at(Embedded::NAME);
        if let Some(policy_id) = &policy_id {
            self.count(Kind::RoleManagementPolicyAssignment);
            self.t
                .policy_assignments
                .push(RoleManagementPolicyAssignment {
                    origin: policy_origin.clone(),
                    id: role_id
                        .as_ref()
                        .map(|r| ObjectId::new(&format!("{policy_id}_{r}"))),
                    policy_id: Some(ObjectId::new(policy_id)),
                    scope_id: Some(ObjectId::new("/")),
                    scope_type: Some(ScopeType::DirectoryRole),
                    role_definition_id: role_id.as_deref().map(ObjectId::new),
                });
        }
        let policy = RoleManagementPolicy {
            origin: policy_origin.clone(),
            id: policy_id.as_deref().map(ObjectId::new),
            scope_id: Some(ObjectId::new("/")),
            scope_type: Some(ScopeType::DirectoryRole),
            ..Default::default()
        };
        Ok(self.policy_rules(
            origin.file,
            policy,
            rules,
            &policy_origin.pointer.child(Rules::NAME),
        ))
    }

    /// EntraExporter `PIM/Groups/<id>.json`: a group eligibility with the policy of that group's
    /// `accessId` (member or owner) embedded as `Policy`.
    fn exporter_pim_group_file(&mut self, origin: Origin, src: Src<'_>) -> Result<bool, Unusual> {
        let (eligibility, group_id, access_id, embedded) = match src {
            Src::Text(raw) => {
                let s: Split<GroupIds, PolicyParts, Embedded> = self.read_text(raw)?;
                let ids = s.main;
                (
                    Src::Text(raw),
                    ids.group_id,
                    ids.access_id,
                    s.part.map(Part::Read),
                )
            }
            Src::Value(mut map) => {
                let kind = Kind::GroupEligibilitySchedule;
                let embedded = self
                    .embedded(kind, &origin, &mut map, Embedded::NAME)
                    .map(Part::Value);
                let get = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
                let (group_id, access_id) = (get("groupId"), get("accessId"));
                (Src::Value(map), group_id, access_id, embedded)
            }
        };
        self.object(Kind::GroupEligibilitySchedule, origin.clone(), eligibility)?;
        let Some(policy) = embedded else {
            return Ok(true);
        };
        let policy_origin = origin.at(Embedded::NAME);
        let policy_id = match &policy {
            Part::Read(s) => s.main.id.clone(),
            Part::Value(p) => p.get("id").and_then(Value::as_str).map(ObjectId::new),
        };
        if let (Some(pid), Some(gid), Some(access)) = (policy_id, group_id, access_id) {
            self.count(Kind::RoleManagementPolicyAssignment);
            self.t
                .policy_assignments
                .push(RoleManagementPolicyAssignment {
                    origin: policy_origin.clone(),
                    id: Some(ObjectId::new(&format!("{pid}_{access}"))),
                    policy_id: Some(pid),
                    scope_id: Some(ObjectId::new(&gid)),
                    scope_type: Some(ScopeType::Group),
                    role_definition_id: Some(ObjectId::new(&access)),
                });
        }
        // The policy of a group is for that group's members or owners.
        let policy = match policy {
            Part::Read(mut s) => {
                s.main.scope_type.get_or_insert(ScopeType::Group);
                Part::Read(s)
            }
            Part::Value(mut p) => {
                if !p.contains_key("scopeType") {
                    p.insert("scopeType".to_owned(), Value::String("Group".to_owned()));
                }
                Part::Value(p)
            }
        };
        Ok(self.read_policy(policy_origin, policy))
    }

    fn finish(mut self) -> Tenant {
        self.tf_read_all();
        self.dsc_read_all();
        self.pages();
        // A kind some file holds in full is exported, whatever selections other files hold.
        let inventory = &mut self.t.inventory;
        inventory.partial.retain(|k| !inventory.present.contains(k));
        merge_copies(&mut self.t);
        shrink(&mut self.t);
        let counts = counts(&self.t);
        let inventory = &mut self.t.inventory;
        for (kind, n) in counts {
            if n > 0 || inventory.present.contains(&kind) {
                inventory.objects.insert(kind, n);
            }
        }
        self.t
    }
}

impl Loader {
    /// A response a script saved page by page is one collection in several files of one folder,
    /// each but the last with an `@odata.nextLink`. Their objects are read together; "only the
    /// first page" is said once per collection, and not at all when the last page (one without
    /// `@odata.nextLink`) is among the files.
    fn pages(&mut self) {
        let mut collections: BTreeMap<&(String, String), Vec<(FileId, bool)>> = BTreeMap::new();
        for (file, page) in &self.pages {
            collections
                .entry(&page.collection)
                .or_default()
                .push((*file, page.continued));
        }
        let mut quiet: BTreeSet<FileId> = BTreeSet::new();
        for files in collections.values().filter(|f| f.len() > 1) {
            let complete = files.iter().any(|(_, continued)| !continued);
            // Once per collection: on the first of its files that says more follows.
            let said = files
                .iter()
                .find(|(_, continued)| *continued)
                .map(|(f, _)| *f);
            quiet.extend(
                files
                    .iter()
                    .map(|(f, _)| *f)
                    .filter(|f| complete || Some(*f) != said),
            );
        }
        if !quiet.is_empty() {
            self.t
                .issues
                .retain(|i| !(i.kind == IssueKind::Paged && quiet.contains(&i.file)));
        }
    }
}

/// From the kind table: reading each kind, merging the copies of an object read from several
/// files, and counting each kind.
macro_rules! loader_kinds {
    ($(
        $(#[$doc:meta])*
        $name:ident {
            key: $key:literal,
            label: $one:literal / $many:literal,
            noun: $noun:literal,
            collections: [$($collection:literal),* $(,)?],
            types: [$($odata_type:literal),* $(,)?],
            model: $model:ty,
            field: $field:ident,
            $(tag: $tag:ident = $tag_value:expr,)?
            read: $read:ident,
            $(dedup: $dedup:expr,)?
            $(prefer: $prefer:expr,)?
        },
    )*) => {
        impl Loader {
            /// Reads one object of `kind`; returns whether it was recognised.
            fn object(&mut self, kind: Kind, origin: Origin, src: Src<'_>) -> Result<bool, Unusual> {
                match kind {
                    $(Kind::$name => {
                        loader_kinds!(@read $read, self, kind, origin, src, $model, $field $(, $tag = $tag_value)?)
                    })*
                }
            }
        }

        /// The length of every list (by kind; kinds sharing a list repeat it).
        fn lengths(t: &Tenant) -> [usize; Kind::ALL.len()] {
            [$(t.$field.len()),*]
        }

        /// Cuts the lists back to `lengths`.
        fn cut_back(t: &mut Tenant, lengths: [usize; Kind::ALL.len()]) {
            let mut lengths = lengths.into_iter();
            $(t.$field.truncate(lengths.next().unwrap_or(0));)*
        }

        /// Gives back the room the lists grew into and did not fill.
        fn shrink(t: &mut Tenant) {
            $(t.$field.shrink_to_fit();)*
        }

        fn merge_copies(t: &mut Tenant) {
            $(loader_kinds!(@merge t, $name, $one, $read, $field, $model, [$($tag = $tag_value)?], [$($dedup)?], [$($prefer)?]);)*
        }

        fn counts(t: &Tenant) -> [(Kind, usize); Kind::ALL.len()] {
            [$((
                Kind::$name,
                t.$field
                    .iter()
                    .filter(|_item| loader_kinds!(@is _item $(, $tag = $tag_value)?))
                    .count(),
            )),*]
        }
    };
    (@read plain, $self:ident, $kind:ident, $origin:ident, $src:ident, $model:ty, $field:ident $(, $tag:ident = $tag_value:expr)?) => {{
        let Some(mut item) = $self.read_as::<$model>($kind, &$origin, $src)? else {
            return Ok(true);
        };
        $(item.$tag = $tag_value;)?
        item.origin = $origin;
        $self.t.$field.push(item);
        $self.count($kind);
        Ok(true)
    }};
    (@read $method:ident, $self:ident, $kind:ident, $origin:ident, $src:ident, $model:ty, $field:ident $(, $tag:ident = $tag_value:expr)?) => {
        $self.$method($origin, $src)
    };
    (@merge $t:ident, $name:ident, $one:literal, $read:ident, $field:ident, $model:ty, [$($tag:ident = $tag_value:expr)?], [], []) => {};
    (@merge $t:ident, $name:ident, $one:literal, $read:ident, $field:ident, $model:ty, [$($tag:ident = $tag_value:expr)?], [$dedup:expr], []) => {
        let pairs = copies(
            &$t.$field,
            |_item: &$model| loader_kinds!(@is _item $(, $tag = $tag_value)?),
            $dedup,
        );
        loader_kinds!(@conflicts $read, $t, $one, $field, pairs);
        drop_copies(&mut $t.$field, &pairs);
    };
    (@merge $t:ident, $name:ident, $one:literal, $read:ident, $field:ident, $model:ty, [], [$dedup:expr], [$prefer:expr]) => {
        $t.$field.sort_by_key($prefer);
        let pairs = copies(&$t.$field, |_: &$model| true, $dedup);
        drop_copies(&mut $t.$field, &pairs);
        $t.$field.sort_by(|a, b| a.origin.cmp(&b.origin));
    };
    // An object read whole from its file: a copy whose content differs from the copy kept is a
    // conflict, reported. (Objects the loader assembles from several parts are not compared.)
    (@conflicts plain, $t:ident, $one:literal, $field:ident, $pairs:ident) => {
        let mut conflicts = Vec::new();
        for &(copy, kept) in &$pairs {
            let (a, b) = (&$t.$field[copy], &$t.$field[kept]);
            let mut same = a.clone();
            same.origin = b.origin.clone();
            if same != *b {
                conflicts.push(conflict(&$t.sources, $one, &a.origin, &b.origin));
            }
        }
        $t.issues.extend(conflicts);
    };
    (@conflicts $read:ident, $t:ident, $one:literal, $field:ident, $pairs:ident) => {};
    (@is $item:ident) => {
        true
    };
    (@is $item:ident, $tag:ident = $tag_value:expr) => {
        PartialEq::eq(&$item.$tag, &$tag_value)
    };
}

kinds!(loader_kinds);

/// The copies among `items`: of the objects `of` selects, each but the first of a key (objects
/// without a key are no copies), with the first, which is kept: `(copy, kept)` positions.
fn copies<'a, T, K: Ord>(
    items: &'a [T],
    of: impl Fn(&T) -> bool,
    key: impl Fn(&'a T) -> Option<K>,
) -> Vec<(usize, usize)> {
    // Sorted by key, then by position: each run of a key starts with its first object.
    let mut keyed: Vec<(K, usize)> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| of(item))
        .filter_map(|(i, item)| Some((key(item)?, i)))
        .collect();
    keyed.sort_unstable();
    let mut pairs = Vec::new();
    let mut first = 0;
    for i in 1..keyed.len() {
        if keyed[i].0 == keyed[first].0 {
            pairs.push((keyed[i].1, keyed[first].1));
        } else {
            first = i;
        }
    }
    pairs
}

fn drop_copies<T>(items: &mut Vec<T>, pairs: &[(usize, usize)]) {
    if pairs.is_empty() {
        return;
    }
    let mut marks = vec![false; items.len()];
    for (copy, _) in pairs {
        marks[*copy] = true;
    }
    let mut marks = marks.into_iter();
    items.retain(|_| !marks.next().unwrap_or(false));
}

/// A copy of an object whose content differs from the copy entralint keeps (the first read, in
/// the order of the files' paths, whatever the order of the command line).
fn conflict(sources: &SourceMap, one: &str, copy: &Origin, kept: &Origin) -> LoadIssue {
    let message = if copy.file == kept.file {
        format!(
            "this {one} appears twice in the file with different content; entralint uses the first"
        )
    } else {
        format!(
            "this {one} is also in `{}`, with different content; entralint uses that copy, the first in path order",
            sources.path(kept.file)
        )
    };
    LoadIssue {
        kind: IssueKind::Conflict,
        file: copy.file,
        message,
        at: IssueAt::Pointer(copy.pointer.clone()),
        label: None,
    }
}

/// What an object is read from: the text it starts (more may follow), in one pass and given up
/// on when unusual, or its normalised value (the careful way).
enum Src<'t> {
    Text(&'t str),
    Value(Map<String, Value>),
}

/// A part of an object (an embedded object, an element of an embedded array): read already, or
/// a normalised value still to be read.
enum Part<T> {
    Read(T),
    Value(Map<String, Value>),
}

/// Parts read already, by index.
fn read_parts<T>(items: Vec<T>) -> Vec<(usize, Part<T>)> {
    items.into_iter().map(Part::Read).enumerate().collect()
}

/// Whether a value's text is an object (only objects are read in one pass).
fn is_object(raw: &str) -> bool {
    raw.trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with('{')
}

/// The method configurations an authentication methods policy embeds.
struct Configurations;
impl Member for Configurations {
    const NAME: &'static str = "authenticationMethodConfigurations";
}

/// The policy a policy assignment or an EntraExporter PIM file embeds.
struct Embedded;
impl Member for Embedded {
    const NAME: &'static str = "policy";
}

/// The rules of a PIM policy.
struct Rules;
impl Member for Rules {
    const NAME: &'static str = "rules";
}

/// A PIM policy read from text: the policy, and its rules.
type PolicyParts = Split<RawPolicy, Vec<RawRule>, Rules>;

/// What an EntraExporter PIM file for a group says besides its eligibility.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct GroupIds {
    group_id: Option<String>,
    access_id: Option<String>,
}

/// The policy an EntraExporter PIM file for a role embeds: `RoleID`, `PolicyID` (any case; only
/// non-empty strings count) and the rules.
struct ExporterPolicy {
    role_id: Option<String>,
    policy_id: Option<String>,
    rules: Vec<(usize, Part<RawRule>)>,
}

impl<'de> Deserialize<'de> for ExporterPolicy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ExporterPolicyVisitor)
    }
}

struct ExporterPolicyVisitor;

impl<'de> Visitor<'de> for ExporterPolicyVisitor {
    type Value = ExporterPolicy;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ExporterPolicy, A::Error> {
        // `RoleID` and `PolicyID` in any case: the one-pass reader gives up on a key repeated
        // in another case, so each comes once; a null member is absent.
        let mut role_id = None;
        let mut policy_id = None;
        let mut rules = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let id = if key.eq_ignore_ascii_case("roleID") {
                &mut role_id
            } else if key.eq_ignore_ascii_case("policyID") {
                &mut policy_id
            } else if key == Rules::NAME {
                rules = map
                    .next_value::<Option<Vec<RawRule>>>()?
                    .unwrap_or_default();
                continue;
            } else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            *id = map
                .next_value::<Option<NonEmptyString>>()?
                .and_then(|id| id.0);
        }
        Ok(ExporterPolicy {
            role_id,
            policy_id,
            rules: read_parts(rules),
        })
    }
}

/// A non-empty string (`None` for an empty one). Another type is an error: the careful reader
/// then reports it.
struct NonEmptyString(Option<String>);

impl<'de> Deserialize<'de> for NonEmptyString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NonEmptyString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NonEmptyString, E> {
                Ok(NonEmptyString((!v.is_empty()).then(|| v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// An id-to-name table (IntuneManagement's `MigrationTable.json`): an `Objects` array beside
/// nothing but `TenantId` and `Organization`.
fn is_name_table(members: &[(String, TopValue<'_>)]) -> bool {
    json::member(members, "Objects").is_some_and(|(_, v)| matches!(v, TopValue::Array(_)))
        && members.iter().all(|(k, _)| {
            ["Objects", "TenantId", "Organization"]
                .iter()
                .any(|known| k.eq_ignore_ascii_case(known))
                || json::is_annotation(k)
        })
}

/// A Graph collection envelope: a `value` array and nothing else but annotations.
fn is_envelope(members: &[(String, TopValue<'_>)]) -> bool {
    json::member(members, "value").is_some_and(|(_, v)| matches!(v, TopValue::Array(_)))
        && members
            .iter()
            .all(|(k, _)| k.eq_ignore_ascii_case("value") || json::is_annotation(k))
}

/// Words joined as a sentence lists them: `a`, `a and b`, `a, b and c`.
fn list(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

/// Offset and message of a serde_json parse error.
fn parse_error(text: &str, e: &serde_json::Error) -> (usize, String) {
    if text.trim().is_empty() {
        return (0, "the file is empty: expected a JSON value".to_owned());
    }
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(cut) => full[..cut].to_owned(),
        None => full,
    };
    let at = offset_of(text, e);
    if let Some((at, message)) = string_error(text, at, &message) {
        return (at, format!("invalid JSON: {message}"));
    }
    let rest = &text[at..];
    let message = if rest.starts_with("//") || rest.starts_with("/*") {
        "invalid JSON: comments are not allowed (JSONC is not a Graph export)".to_owned()
    } else if text[..at].trim_end().ends_with(',')
        && (rest.starts_with('}') || rest.starts_with(']'))
    {
        "invalid JSON: trailing comma".to_owned()
    } else if message.contains("recursion limit exceeded") {
        "the JSON is nested more than 128 levels deep (recursion limit exceeded)".to_owned()
    } else {
        format!("invalid JSON: {message}")
    };
    (at, message)
}

/// The place and the words of an error inside a string, which serde_json reports at the last
/// character it read: a control character one character early, a bad `\u` escape up to four
/// characters late (after its hex digits). Returns the offending character and the message; `None`
/// for other errors. (serde_json also calls a lone trailing surrogate "leading".)
fn string_error(text: &str, at: usize, message: &str) -> Option<(usize, String)> {
    let b = text.as_bytes();
    if message.starts_with("control character") {
        // The control character is the next one (a raw line break included).
        let control = (at..b.len().min(at + 4)).find(|&i| b[i] < 0x20)?;
        return Some((control, message.to_owned()));
    }
    let escape_error = matches!(
        message,
        "invalid escape"
            | "EOF while parsing a string"
            | "unexpected end of hex escape"
            | "lone leading surrogate in hex escape"
    );
    if !escape_error {
        return None;
    }
    let hex = |start: usize| -> Option<u32> {
        let digits = text.get(start + 2..start + 6)?;
        u32::from_str_radix(digits, 16)
            .ok()
            .filter(|_| digits.bytes().all(|d| d.is_ascii_hexdigit()))
    };
    // The `\u` escape the error is about: serde_json stops at most six characters after its
    // backslash (four digits read, or the character after them).
    let escape = (at.saturating_sub(6)..=at)
        .rev()
        .find(|&i| is_escape(b, i))?;
    match hex(escape) {
        // A digit that is not hexadecimal: at that digit.
        None => {
            let bad = (escape + 2..b.len().min(escape + 6)).find(|&i| !b[i].is_ascii_hexdigit())?;
            Some((bad, "invalid escape: `\\u` takes four hexadecimal digits".to_owned()))
        }
        // (A trailing surrogate right after a leading one is no error.)
        Some(0xDC00..=0xDFFF) => Some((
            escape,
            "lone trailing (low) surrogate in hex escape: a leading (high) surrogate must come before it"
                .to_owned(),
        )),
        Some(0xD800..=0xDBFF) => Some((escape, lone_leading())),
        // After a leading surrogate, an escape that is not a trailing one.
        Some(_) => match escape.checked_sub(6).filter(|&p| is_escape(b, p)).and_then(|p| Some((p, hex(p)?))) {
            Some((p, 0xD800..=0xDBFF)) => Some((p, lone_leading())),
            _ => None,
        },
    }
}

/// The message of a leading (high) surrogate escape that no trailing one follows.
fn lone_leading() -> String {
    "lone leading (high) surrogate in hex escape: a trailing (low) surrogate must follow it"
        .to_owned()
}

/// Whether the backslash at `i` starts an escape (it is not itself escaped).
fn is_escape(b: &[u8], i: usize) -> bool {
    b.get(i) == Some(&b'\\')
        && b.get(i + 1) == Some(&b'u')
        && b[..i].iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 0
}

/// serde_json reports a 1-based line and a 1-based byte column (0 at a line start).
fn offset_of(text: &str, e: &serde_json::Error) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let mut offset = (line_start + e.column().saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// How many values of the wrong type of one object or array are reported one by one (the rest
/// are counted on the last).
const LISTED_MISMATCHES: usize = lenient::LISTED;

/// The pointer of a value below the object at `base`.
fn below(base: &Pointer, path: &[Step]) -> Pointer {
    let mut pointer = base.clone();
    for step in path {
        match step {
            Step::Key(k) => pointer.push(k),
            Step::Index(i) => pointer.push_index(*i),
        }
    }
    pointer
}

/// A path below an object as a message writes it: `conditions.users.includeUsers[1]`.
fn field_path(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}
