//! Loading: decode each file, parse it, detect what it holds (by content first, by EntraExporter
//! path second), and read its objects into the [`Tenant`].

use crate::decode::{decode, sanitize};
use crate::detect::{detect_object, kind_from_context, path_hint, Detected, PathHint};
use crate::json::{self, Findings, Top};
use crate::kinds::{kinds, Kind};
use crate::model::*;
use crate::origin::{FileId, Origin, Pointer};
use crate::tenant::{IssueAt, IssueKind, LoadIssue, Tenant};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// One input file: its display path (relative, `/`-separated) and its bytes, or why it could not
/// be read.
pub struct Input {
    pub path: String,
    pub bytes: Result<Vec<u8>, String>,
}

/// Loads every input into one tenant. Never fails: a bad file becomes a [`LoadIssue`] and the
/// other files are still read.
pub fn load(inputs: impl IntoIterator<Item = Input>) -> Tenant {
    let mut loader = Loader::default();
    for input in inputs {
        loader.file(input);
    }
    loader.finish()
}

#[derive(Default)]
struct Loader {
    t: Tenant,
}

impl Loader {
    fn issue(&mut self, kind: IssueKind, file: FileId, at: IssueAt, message: String) {
        self.t.issues.push(LoadIssue {
            kind,
            file,
            message,
            at,
        });
    }

    fn file(&mut self, input: Input) {
        self.t.inventory.files += 1;
        let bytes = match input.bytes {
            Ok(b) => b,
            Err(e) => {
                let id = self.t.sources.add(input.path, String::new(), None, 0);
                let message = format!("cannot read the file: {e}");
                self.issue(IssueKind::Unreadable, id, IssueAt::Offset(0), message);
                return;
            }
        };
        let decoded = match decode(bytes) {
            Ok(d) => d,
            Err(e) => {
                let id = self.t.sources.add(input.path, e.display_text, None, 0);
                self.issue(
                    IssueKind::Unreadable,
                    id,
                    IssueAt::Offset(e.offset),
                    e.message,
                );
                return;
            }
        };
        let hint = path_hint(&input.path);
        let id = self.t.sources.add(
            input.path,
            decoded.text,
            Some(decoded.encoding),
            decoded.bom_len,
        );
        let text = self.t.sources.file(id).text.clone();
        let top = match json::parse_top(&text) {
            Ok(top) => top,
            Err(e) => {
                let (offset, message) = parse_error(&text, &e);
                // Not JSON: show it without the control characters it may hold (same offsets).
                self.t.sources.replace_text(id, sanitize(text.to_string()));
                self.issue(IssueKind::Unreadable, id, IssueAt::Offset(offset), message);
                return;
            }
        };
        if hint == PathHint::Skip {
            return;
        }
        let recognized = self.document(id, &text, top, &hint);
        let got_objects = self.t.inventory.per_file.contains_key(&id);
        if !recognized && !got_objects {
            self.t.inventory.unrecognized.push(id);
        }
    }

    /// Turns what reading found (duplicate keys, depth truncation) into issues.
    fn record(&mut self, file: FileId, findings: Findings) {
        for d in findings.duplicates {
            let message = format!(
                "key `{}` appears more than once in the same object; the last value is used",
                d.key
            );
            let at = IssueAt::DuplicateKey {
                parent: d.parent,
                key: d.key,
            };
            self.issue(IssueKind::DuplicateKey, file, at, message);
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

    /// Reads a whole document; returns whether its shape was recognised.
    fn document(&mut self, file: FileId, text: &str, top: Top<'_>, hint: &PathHint) -> bool {
        match top {
            Top::Object(members) if is_envelope(&members) => {
                self.collection(file, text, &members, hint)
            }
            Top::Array(items) => {
                let mut any = false;
                for (i, raw) in items.into_iter().enumerate() {
                    if let Some(value) = self.read(file, text, raw.get(), Pointer::root().index(i))
                    {
                        any |= self.entity(file, Pointer::root().index(i), value, None, hint);
                    }
                }
                any
            }
            Top::Object(members) => {
                let context = json::member(&members, "@odata.context")
                    .and_then(|(_, raw)| json::raw_str(raw))
                    .and_then(|c| kind_from_context(&c));
                match self.read(file, text, text, Pointer::root()) {
                    Some(value) => self.entity(file, Pointer::root(), value, context, hint),
                    None => true,
                }
            }
            Top::Scalar => false,
        }
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

    fn collection(
        &mut self,
        file: FileId,
        text: &str,
        members: &[(String, &RawValue)],
        hint: &PathHint,
    ) -> bool {
        let duplicates = json::duplicate_members(members);
        self.record(
            file,
            Findings {
                duplicates,
                truncated: Vec::new(),
            },
        );
        let context = json::member(members, "@odata.context")
            .and_then(|(_, raw)| json::raw_str(raw))
            .and_then(|c| kind_from_context(&c));
        if let Some((key, link)) = json::member(members, "@odata.nextLink") {
            let message = format!(
                "this collection is only the first page of the response (`@odata.nextLink` is {}); objects on later pages are missing",
                json::raw_str(link).map_or("set".to_owned(), |l| format!("`{}`", truncate(&l, 120)))
            );
            let at = IssueAt::Pointer(Pointer::root().child(key));
            self.issue(IssueKind::Paged, file, at, message);
        }
        let Some((key, raw)) = json::member(members, "value") else {
            return false;
        };
        let Some(items) = json::elements(raw) else {
            return false;
        };
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
                id: Some(policy_id.clone()),
                ..Default::default()
            };
            let values: Vec<Value> = items
                .iter()
                .enumerate()
                .map(|(i, raw)| {
                    self.read(file, text, raw.get(), base.index(i))
                        .unwrap_or(Value::Null)
                })
                .collect();
            return self.policy_rules(file, policy, values, &base);
        }
        for (i, raw) in items.into_iter().enumerate() {
            if let Some(value) = self.read(file, text, raw.get(), base.index(i)) {
                any |= self.entity(file, base.index(i), value, context.clone(), hint);
            }
        }
        any
    }

    /// Reads one normalised object. `context` is what the collection's `@odata.context` says it is.
    fn entity(
        &mut self,
        file: FileId,
        at: Pointer,
        value: Value,
        context: Option<Detected>,
        hint: &PathHint,
    ) -> bool {
        let Value::Object(map) = value else {
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
        let origin = Origin::new(file, at);
        match detected {
            Detected::Kind(kind) => self.object(kind, origin, map),
            Detected::PimEligibilityWithPolicy => self.exporter_pim_file(origin, map),
            Detected::PimGroupEligibilityWithPolicy => self.exporter_pim_group_file(origin, map),
            Detected::Relation => match hint {
                PathHint::GroupRelation { group_id, owner } => {
                    let group_id = group_id.clone();
                    let owner = *owner;
                    self.relation(origin, map, group_id, owner)
                }
                _ => false,
            },
            Detected::PolicyRules { .. } => false,
        }
    }

    fn count(&mut self, kind: Kind, file: FileId) {
        self.t.inventory.present.insert(kind);
        *self
            .t
            .inventory
            .per_file
            .entry(file)
            .or_default()
            .entry(kind)
            .or_default() += 1;
    }

    /// Deserialises `map` as `T`; a type mismatch becomes a JSON001 issue at the offending field.
    fn typed<T: DeserializeOwned>(
        &mut self,
        kind: Kind,
        origin: &Origin,
        map: Map<String, Value>,
    ) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(Value::Object(map)) {
            Ok(v) => Some(v),
            Err(e) => {
                let mut pointer = origin.pointer.clone();
                for seg in e.path().iter() {
                    match seg {
                        serde_path_to_error::Segment::Seq { index } => {
                            pointer.push(&index.to_string())
                        }
                        serde_path_to_error::Segment::Map { key } => pointer.push(key),
                        _ => {}
                    }
                }
                let message = format!(
                    "this {} cannot be read: {} (at `{}`)",
                    kind.labels().0,
                    e.inner(),
                    e.path()
                );
                self.issue(
                    IssueKind::Unreadable,
                    origin.file,
                    IssueAt::Pointer(pointer),
                    message,
                );
                None
            }
        }
    }

    /// The tenant's authentication methods policy and the method configurations it embeds.
    fn methods_policy(&mut self, origin: Origin, mut map: Map<String, Value>) -> bool {
        let kind = Kind::AuthenticationMethodsPolicy;
        let configs = map.remove("authenticationMethodConfigurations");
        let Some(mut policy) = self.typed::<AuthenticationMethodsPolicy>(kind, &origin, map) else {
            return true;
        };
        policy.origin = origin.clone();
        self.t.authentication_methods_policies.push(policy);
        if let Some(Value::Array(items)) = configs {
            for (i, item) in items.into_iter().enumerate() {
                if let Value::Object(m) = item {
                    let o = origin.at_index("authenticationMethodConfigurations", i);
                    self.object(Kind::AuthenticationMethodConfiguration, o, m);
                }
            }
        }
        self.count(kind, origin.file);
        true
    }

    /// A PIM policy assignment, and the policy it may embed (`$expand=policy`).
    fn policy_assignment(&mut self, origin: Origin, mut map: Map<String, Value>) -> bool {
        let kind = Kind::RoleManagementPolicyAssignment;
        let embedded = map.remove("policy");
        let Some(mut assignment) = self.typed::<RoleManagementPolicyAssignment>(kind, &origin, map)
        else {
            return true;
        };
        assignment.origin = origin.clone();
        self.t.policy_assignments.push(assignment);
        if let Some(Value::Object(p)) = embedded {
            self.policy(origin.at("policy"), p);
        }
        self.count(kind, origin.file);
        true
    }

    /// A group, and a membership for each member and owner it was exported with.
    fn group(&mut self, origin: Origin, map: Map<String, Value>) -> bool {
        let Some(mut g) = self.typed::<Group>(Kind::Group, &origin, map) else {
            return true;
        };
        g.origin = origin.clone();
        if let Some(gid) = g.id.clone() {
            for (i, m) in g.members.iter().enumerate() {
                self.push_relation(origin.at_index("members", i), gid.clone(), m.clone(), false);
            }
            for (i, m) in g.owners.iter().enumerate() {
                self.push_relation(origin.at_index("owners", i), gid.clone(), m.clone(), true);
            }
        }
        self.t.groups.push(g);
        self.count(Kind::Group, origin.file);
        true
    }

    /// A group membership is read through its group (`members`, `owners`) or from an EntraExporter
    /// member file (known from its path), never as an object of its own.
    fn through_group(&mut self, _: Origin, _: Map<String, Value>) -> bool {
        false
    }

    fn push_relation(
        &mut self,
        origin: Origin,
        group_id: String,
        member: DirectoryObject,
        is_owner: bool,
    ) {
        self.count(Kind::GroupMember, origin.file);
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
        map: Map<String, Value>,
        group_id: String,
        owner: bool,
    ) -> bool {
        let Some(member) = self.typed::<DirectoryObject>(Kind::GroupMember, &origin, map) else {
            return true;
        };
        self.push_relation(origin, group_id, member, owner);
        true
    }

    /// A `unifiedRoleManagementPolicy` with its rules.
    fn policy(&mut self, origin: Origin, mut map: Map<String, Value>) -> bool {
        let rules = map.remove("rules");
        let Some(raw) =
            self.typed::<crate::model::roles::RawPolicy>(Kind::RoleManagementPolicy, &origin, map)
        else {
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
        let items = match rules {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        let base = origin.pointer.child("rules");
        self.policy_rules(origin.file, policy, items, &base)
    }

    fn policy_rules(
        &mut self,
        file: FileId,
        mut policy: RoleManagementPolicy,
        items: Vec<Value>,
        base: &Pointer,
    ) -> bool {
        for (i, item) in items.into_iter().enumerate() {
            let origin = Origin::new(file, base.index(i));
            let Value::Object(m) = item else {
                continue;
            };
            if let Some(raw) =
                self.typed::<crate::model::roles::RawRule>(Kind::RoleManagementPolicy, &origin, m)
            {
                policy.rules.push(raw.into_rule(origin));
            }
        }
        self.count(Kind::RoleManagementPolicy, file);
        self.t.role_management_policies.push(policy);
        true
    }

    /// EntraExporter `PIM/DirectoryRoles/<id>.json`: an eligibility schedule instance with the role's
    /// policy embedded as `Policy = {RoleID, PolicyID, Rules}`.
    fn exporter_pim_file(&mut self, origin: Origin, mut map: Map<String, Value>) -> bool {
        let embedded = map.remove("policy");
        self.object(Kind::RoleEligibilitySchedule, origin.clone(), map);
        let Some(Value::Object(mut p)) = embedded else {
            return true;
        };
        let policy_origin = origin.at("policy");
        let role_id = take_str(&mut p, "roleID");
        let policy_id = take_str(&mut p, "policyID");
        let rules = match p.remove("rules") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        if let Some(policy_id) = &policy_id {
            self.count(Kind::RoleManagementPolicyAssignment, origin.file);
            self.t
                .policy_assignments
                .push(RoleManagementPolicyAssignment {
                    origin: policy_origin.clone(),
                    id: role_id.as_ref().map(|r| format!("{policy_id}_{r}")),
                    policy_id: Some(policy_id.clone()),
                    scope_id: Some("/".to_owned()),
                    scope_type: Some(ScopeType::DirectoryRole),
                    role_definition_id: role_id,
                });
        }
        let policy = RoleManagementPolicy {
            origin: policy_origin.clone(),
            id: policy_id,
            scope_id: Some("/".to_owned()),
            scope_type: Some(ScopeType::DirectoryRole),
            ..Default::default()
        };
        self.policy_rules(
            origin.file,
            policy,
            rules,
            &policy_origin.pointer.child("rules"),
        )
    }

    /// EntraExporter `PIM/Groups/<id>.json`: a group eligibility with the policy of that group's
    /// `accessId` (member or owner) embedded as `Policy`.
    fn exporter_pim_group_file(&mut self, origin: Origin, mut map: Map<String, Value>) -> bool {
        let embedded = map.remove("policy");
        let group_id = map
            .get("groupId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let access_id = map
            .get("accessId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        self.object(Kind::GroupEligibilitySchedule, origin.clone(), map);
        let Some(Value::Object(mut p)) = embedded else {
            return true;
        };
        let policy_origin = origin.at("policy");
        if let (Some(pid), Some(gid), Some(access)) =
            (p.get("id").and_then(Value::as_str), &group_id, &access_id)
        {
            self.count(Kind::RoleManagementPolicyAssignment, origin.file);
            self.t
                .policy_assignments
                .push(RoleManagementPolicyAssignment {
                    origin: policy_origin.clone(),
                    id: Some(format!("{pid}_{access}")),
                    policy_id: Some(pid.to_owned()),
                    scope_id: Some(gid.clone()),
                    scope_type: Some(ScopeType::Group),
                    role_definition_id: Some(access.clone()),
                });
        }
        if !p.contains_key("scopeType") {
            p.insert("scopeType".to_owned(), Value::String("Group".to_owned()));
        }
        self.policy(policy_origin, p)
    }

    fn finish(mut self) -> Tenant {
        merge_copies(&mut self.t);
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
            /// Reads one normalised object of `kind`; returns whether it was recognised.
            fn object(&mut self, kind: Kind, origin: Origin, map: Map<String, Value>) -> bool {
                match kind {
                    $(Kind::$name => {
                        loader_kinds!(@read $read, self, kind, origin, map, $model, $field $(, $tag = $tag_value)?)
                    })*
                }
            }
        }

        fn merge_copies(t: &mut Tenant) {
            $(loader_kinds!(@merge t, $field, $model, [$($tag = $tag_value)?], [$($dedup)?], [$($prefer)?]);)*
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
    (@read plain, $self:ident, $kind:ident, $origin:ident, $map:ident, $model:ty, $field:ident $(, $tag:ident = $tag_value:expr)?) => {{
        let Some(mut item) = $self.typed::<$model>($kind, &$origin, $map) else {
            return true;
        };
        $(item.$tag = $tag_value;)?
        let file = $origin.file;
        item.origin = $origin;
        $self.t.$field.push(item);
        $self.count($kind, file);
        true
    }};
    (@read $method:ident, $self:ident, $kind:ident, $origin:ident, $map:ident, $model:ty, $field:ident $(, $tag:ident = $tag_value:expr)?) => {
        $self.$method($origin, $map)
    };
    (@merge $t:ident, $field:ident, $model:ty, [$($tag:ident = $tag_value:expr)?], [], []) => {};
    (@merge $t:ident, $field:ident, $model:ty, [$($tag:ident = $tag_value:expr)?], [$dedup:expr], []) => {
        merge(
            &mut $t.$field,
            |_item: &$model| loader_kinds!(@is _item $(, $tag = $tag_value)?),
            $dedup,
        )
    };
    (@merge $t:ident, $field:ident, $model:ty, [], [$dedup:expr], [$prefer:expr]) => {
        $t.$field.sort_by_key($prefer);
        merge(&mut $t.$field, |_: &$model| true, $dedup);
        $t.$field.sort_by(|a, b| a.origin.cmp(&b.origin));
    };
    (@is $item:ident) => {
        true
    };
    (@is $item:ident, $tag:ident = $tag_value:expr) => {
        PartialEq::eq(&$item.$tag, &$tag_value)
    };
}

kinds!(loader_kinds);

/// Keeps the first object of each key among those `of` selects (the others are left alone);
/// objects without a key are all kept.
fn merge<T, K: Ord>(items: &mut Vec<T>, of: impl Fn(&T) -> bool, key: impl Fn(&T) -> Option<K>) {
    let mut seen = BTreeSet::new();
    items.retain(|item| {
        !of(item)
            || match key(item) {
                Some(k) => seen.insert(k),
                None => true,
            }
    });
}

/// A Graph collection envelope: a `value` array and nothing else but annotations.
fn is_envelope(members: &[(String, &RawValue)]) -> bool {
    json::member(members, "value").is_some_and(|(_, raw)| raw.get().starts_with('['))
        && members.iter().all(|(k, _)| {
            k.eq_ignore_ascii_case("value") || k.contains("@odata.") || k.starts_with('#')
        })
}

fn take_str(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    let k = map.keys().find(|k| k.eq_ignore_ascii_case(key)).cloned()?;
    match map.remove(&k)? {
        Value::String(s) if !s.is_empty() => Some(s),
        _ => None,
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
