//! Microsoft Graph's tenant configuration management (UTCM) snapshots, and the per-resource files
//! EntraOps commits from them.
//!
//! - A snapshot (the content a `configurationSnapshotJob`'s `resourceLocation` serves, e.g.
//!   `admin/configurationManagement/configurationSnapshots/{id}`) and a monitor's
//!   `configurationBaseline` are `{displayName, description, parameters, resources}`, each
//!   resource a `baselineResource`: `{displayName, resourceType, properties}`
//!   (<https://learn.microsoft.com/graph/api/resources/configurationbaseline>,
//!   <https://learn.microsoft.com/graph/api/resources/baselineresource>);
//! - EntraOps' "TenantGovernance" saves each resource of a snapshot as a file of its own,
//!   `TenantGovernance/Snapshots/<resourceType>/<displayName up to its first '-'>/<rest>.json`,
//!   the resource object with its keys sorted (Cloud-Architekt/EntraOps,
//!   `EntraOps/Public/TenantGovernance/Save-EntraOpsTenantGovernanceSnapshotJson.ps1`): what a
//!   pre-commit hook sees.
//!
//! `properties` are Microsoft365DSC parameters, read as a Microsoft365DSC configuration's are
//! (role settings and eligibility requests included, [`super::m365dsc`]); [`crate::dsc`] reads
//! them into Graph's shape, and
//! the source map sends each Graph pointer back to the property it came from. Resources of types
//! entralint does not read are named in one finding per snapshot (a per-resource file of such a
//! type is listed as unrecognised). A value the snapshot's encoding lost is reported at that
//! value (JSON013); lists written as text, read back exactly, are noted once per resource.

use super::m365dsc::What;
use super::{Doc, Loader, Src};
use crate::dsc::{self, LossyWhat, Mapped, Resource};
use crate::json::{self, Findings, Top, TopValue};
use crate::origin::{FileId, Origin, Pointer};
use crate::tenant::{IssueAt, IssueKind};
use serde_json::Value;
use std::collections::BTreeMap;

/// What a document's root object is, as tenant configuration management writes it.
pub(super) enum Utcm<'t> {
    /// A snapshot or baseline: its `resources` array (the key as written, and the raw array).
    Snapshot { key: String, raw: &'t str },
    /// One resource (an EntraOps file).
    Resource,
}

/// Whether the members of a root object are a snapshot (a `resources` array of objects with a
/// `resourceType`) or one resource (a `resourceType` string beside a `properties` object).
pub(super) fn utcm<'t>(members: &[(String, TopValue<'t>)]) -> Option<Utcm<'t>> {
    if let Some((key, TopValue::Array(raw))) = json::member(members, "resources") {
        let Ok(Top::Array(items)) = json::parse_top(raw) else {
            return None;
        };
        let resource = |raw: &str| {
            matches!(json::parse_top(raw), Ok(Top::Object(m))
                if matches!(json::member(&m, "resourceType"), Some((_, TopValue::Str(_)))))
        };
        // An empty snapshot is one when Graph says so.
        let context = json::member(members, "@odata.context")
            .and_then(|(_, v)| v.as_str())
            .is_some_and(|c| c.contains("configurationManagement"));
        let snapshot = match items.first() {
            Some(first) => resource(first.get()),
            None => context,
        };
        return snapshot.then(|| Utcm::Snapshot {
            key: key.clone(),
            raw,
        });
    }
    let typed = matches!(
        json::member(members, "resourceType"),
        Some((_, TopValue::Str(_)))
    );
    let properties = matches!(
        json::member(members, "properties"),
        Some((_, TopValue::Object(_)))
    );
    (typed && properties).then_some(Utcm::Resource)
}

impl Loader {
    /// Reads a snapshot, or one resource; it is always recognised, unless it is one resource of a
    /// type entralint does not read.
    pub(super) fn utcm(&mut self, doc: Doc<'_>, shape: Utcm<'_>) -> bool {
        match shape {
            Utcm::Resource => {
                let Some(value) = self.utcm_value(doc, doc.text, Pointer::root()) else {
                    return true;
                };
                self.utcm_resource(doc, Pointer::root(), value).is_ok()
            }
            Utcm::Snapshot { key, raw } => {
                let at = Pointer::root().child(&key);
                // The array lies inside the text: its start is the distance between the two.
                let start = raw.as_ptr() as usize - doc.text.as_ptr() as usize;
                let mut unread: BTreeMap<String, usize> = BTreeMap::new();
                self.each_valid_element((doc.file, doc.text), start, &at, |this, i, from| {
                    let len = json::value_len(&doc.text[from..]).unwrap_or(0);
                    let slice = &doc.text[from..from + len];
                    if let Some(value) = this.utcm_value(doc, slice, at.index(i)) {
                        if let Err(Some(ty)) = this.utcm_resource(doc, at.index(i), value) {
                            *unread.entry(ty).or_default() += 1;
                        }
                    }
                    Ok(from + len)
                });
                if !unread.is_empty() {
                    let n: usize = unread.values().sum();
                    let types: Vec<String> =
                        unread.iter().map(|(ty, n)| format!("{n} `{ty}`")).collect();
                    let message = format!(
                        "{n} resource{} of this snapshot {} of types entralint does not read, and {} not checked: {}",
                        if n == 1 { "" } else { "s" },
                        if n == 1 { "is" } else { "are" },
                        if n == 1 { "is" } else { "are" },
                        types.join(", ")
                    );
                    self.issue(IssueKind::Unread, doc.file, IssueAt::Pointer(at), message);
                }
                true
            }
        }
    }

    /// Reads one value (a slice of the document) into a normalised value. A PowerShell type name
    /// is the snapshot's encoding of an object, reported as such by the mapper, not as a depth
    /// limit (JSON004).
    fn utcm_value(&mut self, doc: Doc<'_>, raw: &str, at: Pointer) -> Option<Value> {
        let mut findings = Findings::default();
        match json::parse_value(raw, &at, &mut findings) {
            Ok(value) => {
                findings.truncated.clear();
                self.record(doc.file, findings);
                Some(value)
            }
            // Nesting too deep: read the careful way, which reports it.
            Err(_) => self.read(doc.file, doc.text, raw, at),
        }
    }

    /// Reads the resource at `at`. `Err` when it is not read: with its type when entralint does
    /// not read that type.
    fn utcm_resource(
        &mut self,
        doc: Doc<'_>,
        at: Pointer,
        value: Value,
    ) -> Result<(), Option<String>> {
        let origin = Origin::new(doc.file, at.clone());
        let Value::Object(mut map) = value else {
            let then = "this resource is not read";
            self.wrong_type(origin, "resources[]", &value, "an object", then);
            return Err(None);
        };
        let ty = match map.remove("resourceType") {
            Some(Value::String(ty)) => ty,
            other => {
                let found = other.unwrap_or(Value::Null);
                let then = "this resource is not read";
                self.wrong_type(
                    origin.at("resourceType"),
                    "resourceType",
                    &found,
                    "a string",
                    then,
                );
                return Err(None);
            }
        };
        let Some(what) = What::of_type(&ty) else {
            return Err(Some(ty.to_ascii_lowercase()));
        };
        let properties = match map.remove("properties") {
            Some(Value::Object(p)) => p,
            other => {
                let found = other.unwrap_or(Value::Null);
                let then = "this resource is not read";
                self.wrong_type(
                    origin.at("properties"),
                    "properties",
                    &found,
                    "an object",
                    then,
                );
                return Err(None);
            }
        };
        let base = at.child("properties");
        self.dsc_resource(doc.file, what, &base, &properties, dsc::Lists::ArrayOrText);
        Ok(())
    }

    /// Reads a resource mapped into Graph's shape, located at its `properties` (`base`).
    pub(super) fn dsc_mapped(
        &mut self,
        file: FileId,
        resource: Resource,
        base: &Pointer,
        m: Mapped,
    ) {
        self.t.sources.translated(file, base);
        for (path, key) in &m.aliases {
            self.t
                .sources
                .alias(file, &base.join(path), &base.child(key));
        }
        let name = m
            .graph
            .get("displayName")
            .and_then(Value::as_str)
            .map_or_else(String::new, |n| format!(" '{n}'"));
        let what = format!("{}{name}", resource.dsc_name());
        for lossy in &m.lossy {
            let property = upper_first(&lossy.property);
            let message = match &lossy.what {
                LossyWhat::TypeName(t) => format!(
                    "`{property}` of {what} is `{t}`, a PowerShell type name: the snapshot lost the value it stands for"
                ),
                LossyWhat::JoinedNames(s) => format!(
                    "`{property}` of {what} is the list written as one string, `{s}`: whether it names one object or several joined with spaces cannot be told; entralint reads it as one name"
                ),
            };
            let at = IssueAt::Pointer(base.child(&lossy.property));
            self.issue(IssueKind::Lossy, file, at, message);
        }
        let noted: Vec<&String> = m.joined.iter().chain(&m.empty_text).collect();
        if let Some(first) = noted.first() {
            let names = |keys: &[String]| -> String {
                keys.iter()
                    .map(|k| format!("`{}`", upper_first(k)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut parts = Vec::new();
            if !m.joined.is_empty() {
                parts.push(format!(
                    "lists written as text, read back split at spaces: {}",
                    names(&m.joined)
                ));
            }
            if !m.empty_text.is_empty() {
                parts.push(format!(
                    "empty lists written as `\"\"`, read as empty: {}",
                    names(&m.empty_text)
                ));
            }
            let message = format!(
                "{what} is read from the snapshot's text encoding of lists: {}",
                parts.join("; ")
            );
            let at = IssueAt::Pointer(base.child(first));
            self.issue(IssueKind::Translated, file, at, message);
        }
        let origin = Origin::new(file, base.clone());
        // A normalised value is never given up on.
        let _ = self.object(resource.kind(), origin, Src::Value(m.graph));
    }
}

/// `includeUsers` → `IncludeUsers`: Microsoft365DSC's parameter names, which the loader's
/// normalisation lower-cased.
fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
