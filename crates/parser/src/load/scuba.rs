//! ScubaGear's provider export (`ProviderSettingsExport.json`, or `Raw` in
//! `ScubaResults_<uuid>.json`): the Entra ID sections entralint models, read into the objects Graph
//! would have returned, each located in the export's own text.
//!
//! - `conditional_access_policies`: beta Conditional Access policies, the authentication strength
//!   embedded in `GrantControls` (read as the policy's strength, as in a Graph export);
//! - `privileged_roles`: per role, `RoleTemplateId`, `Assignments` (its active assignment schedule
//!   instances) and `Rules` (its PIM policy's rules). Each role gives a PIM policy holding the rules
//!   whose `RuleSourceType` is `Directory Role`, and the policy assignment that links it to the
//!   role. ScubaGear appends to a role the rules of each PIM for Groups group that holds it
//!   (`RuleSourceType` `PIM Group`), naming the group only by display name: without the group's
//!   id they cannot be a group's policy, and are not read (one finding, JSON013, names the groups
//!   and the roles they are listed under);
//! - `privileged_users`: a user per object id, with its display name, and synchronised from
//!   on-premises when it has an `OnPremisesImmutableId`. Its `roles` (role names, eligible ones
//!   among them) are not read as eligibilities: they say neither how nor until when;
//! - `authentication_method`: the authentication methods policy and its method configurations;
//! - `scuba_config`: the run's configuration, echoed; the users and groups its `Aad` policies
//!   accept as exclusions (`CapExclusions`, `RoleExclusions`) are the accounts the export declares
//!   for emergency access ([`crate::scuba_config`]).
//!
//! The other sections (service principals, the other products) hold nothing entralint models:
//! they are listed, once per export, as not read (JSON013, low), and so is a section entralint
//! reads that is not of the type it expects. Only the run's identification (`baseline_version`,
//! `module_version`, `date`, `timestamp_zulu`, `report_uuid`, `tenant_id`) goes unmentioned. The export has no eligibility schedules, authentication contexts,
//! named locations, groups, strengths beyond those embedded, nor registration details: those kinds
//! stay absent, so the rules that need them are not evaluated.

use super::{Doc, Loader, Part};
use crate::detect::{Detected, ScubaGear};
use crate::id::ObjectId;
use crate::json::norm::{self, Member, Split};
use crate::json::{self, Top, TopValue};
use crate::kinds::Kind;
use crate::model::roles::{MembershipKind, PimRule, RawRule, RoleMembership};
use crate::model::{RoleManagementPolicy, RoleManagementPolicyAssignment, ScopeType, User};
use crate::origin::{Origin, Pointer};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The sections read, and the JSON type each must have.
const READ: [(&str, &str); 5] = [
    ("conditional_access_policies", "an array"),
    ("privileged_roles", "an array"),
    ("privileged_users", "an object"),
    ("authentication_method", "an array"),
    ("scuba_config", "an object"),
];

/// The members that identify the run rather than describe the tenant.
const RUN_METADATA: [&str; 6] = [
    "baseline_version",
    "module_version",
    "date",
    "timestamp_zulu",
    "report_uuid",
    "tenant_id",
];

/// The `RuleSourceType` of the rules of the role's own policy.
const DIRECTORY_ROLE: &str = "Directory Role";

/// An entry of `privileged_users`.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct PrivilegedUser {
    display_name: Option<String>,
    on_premises_immutable_id: Option<String>,
}

impl Loader {
    /// Reads the sections of a ScubaGear provider export; it is always recognised.
    pub(super) fn scubagear(&mut self, doc: Doc<'_>, export: ScubaGear<'_>) -> bool {
        let ScubaGear { base, members } = export;
        let duplicates = json::duplicate_members(&members);
        for d in duplicates {
            let message = format!(
                "key `{}` appears more than once in the same object; the last value is used",
                d.key
            );
            let at = crate::tenant::IssueAt::DuplicateKey {
                parent: base.clone(),
                key: d.key,
            };
            self.issue(
                crate::tenant::IssueKind::DuplicateKey,
                doc.file,
                at,
                message,
            );
        }
        let section = |name: &str| {
            json::member(&members, name).map(|(key, value)| (base.child(key), value.clone()))
        };
        let roles = match section("privileged_roles") {
            Some((at, TopValue::Array(raw))) => Some((at, Self::offset_in(doc, raw))),
            _ => None,
        };
        std::thread::scope(|scope| {
            // Where each role is, found beside the reading of the policies when there is much
            // to look through (finding them reads the text and changes nothing).
            let spans = roles.as_ref().map(|(_, start)| {
                let start = *start;
                match doc.text.len() - start >= ROLES_APART {
                    true => Finding::Apart(scope.spawn(move || role_spans(doc.text, start))),
                    false => Finding::Here(start),
                }
            });
            if let Some((at, TopValue::Array(raw))) = section("conditional_access_policies") {
                self.scuba_policies(doc, &at, raw);
            }
            if let (Some((at, _)), Some(spans)) = (roles, spans) {
                let spans = match spans {
                    Finding::Apart(handle) => handle
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e)),
                    Finding::Here(start) => role_spans(doc.text, start),
                };
                let spans = spans.unwrap_or_else(|read| {
                    self.list_stopped(doc.file, &at, read.len());
                    read
                });
                self.scuba_roles(doc, &at, spans);
            }
        });
        if let Some((at, TopValue::Object(raw))) = section("privileged_users") {
            self.scuba_users(doc, &at, raw);
        }
        if let Some((at, TopValue::Array(raw))) = section("authentication_method") {
            self.scuba_methods(doc, &at, raw);
        }
        if let Some((at, TopValue::Object(raw))) = section("scuba_config") {
            self.scuba_config(doc, &at, raw);
        }
        self.scuba_unread(doc, &base, &members);
        true
    }

    /// Says which members of the export are not read: one issue, on the export's object.
    fn scuba_unread(&mut self, doc: Doc<'_>, base: &Pointer, members: &[(String, TopValue<'_>)]) {
        let mut unread = Vec::new();
        let mut wrong = Vec::new();
        for (i, (key, value)) in members.iter().enumerate() {
            // A repeated key: its last occurrence is the one read (JSON002 reports the others).
            if !json::member(members, key).is_some_and(|m| std::ptr::eq(m, &members[i])) {
                continue;
            }
            if RUN_METADATA.iter().any(|m| m.eq_ignore_ascii_case(key)) {
                continue;
            }
            let expected = READ
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(key))
                .map(|(_, ty)| *ty);
            match (expected, value) {
                (Some("an array"), TopValue::Array(_))
                | (Some("an object"), TopValue::Object(_)) => continue,
                (Some(ty), _) => wrong.push(format!("`{key}` (not {ty})")),
                (None, _) => unread.push(format!("`{key}`")),
            }
        }
        let n = unread.len() + wrong.len();
        if n == 0 {
            return;
        }
        let mut parts = Vec::new();
        if !wrong.is_empty() {
            parts.push(format!(
                "not of the type entralint reads: {}",
                wrong.join(", ")
            ));
        }
        if !unread.is_empty() {
            parts.push(format!(
                "holding what entralint does not model: {}",
                unread.join(", ")
            ));
        }
        let message = format!(
            "{n} section{} of this ScubaGear export {} not read, and not checked: {}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" },
            parts.join("; ")
        );
        self.issue(
            crate::tenant::IssueKind::Unread,
            doc.file,
            crate::tenant::IssueAt::Pointer(base.clone()),
            message,
        );
    }

    /// Where a part of the document's text starts.
    fn offset_in(doc: Doc<'_>, part: &str) -> usize {
        part.as_ptr() as usize - doc.text.as_ptr() as usize
    }

    /// Each element of the array `raw` (a slice of the document) at `at`, read the careful way:
    /// its normalised value, or `None` when it could not be read (reported).
    fn scuba_elements(&mut self, doc: Doc<'_>, at: &Pointer, raw: &str) -> Vec<(usize, Value)> {
        let mut out = Vec::new();
        let start = Self::offset_in(doc, raw);
        self.each_valid_element((doc.file, doc.text), start, at, |this, i, from| {
            let here = at.index(i);
            let (value, len) = this.careful_element(doc, (&here, &here), from);
            out.extend(value.map(|v| (i, v)));
            Ok(from + len)
        });
        out
    }

    /// The element of an array that starts at `from` in the document, at `at` (written
    /// `written`), read the careful way (what reading finds is recorded): its normalised value,
    /// or `None` when it could not be read (reported); and the length of its text.
    fn careful_element(
        &mut self,
        doc: Doc<'_>,
        (at, written): (&Pointer, &Pointer),
        from: usize,
    ) -> (Option<Value>, usize) {
        let rest = &doc.text[from..];
        let mut findings = json::Findings::default();
        if let Ok((value, len)) = json::parse_value_prefix(rest, at, &mut findings) {
            self.record(doc.file, findings);
            self.anchor_written(doc, at, written, from..from + len);
            return (Some(value), len);
        }
        // Not read (nesting too deep): read again on its own, which reports why.
        let len = json::value_len(rest).unwrap_or(0);
        let slice = &doc.text[from..from + len];
        (self.read(doc.file, doc.text, slice, at.clone()), len)
    }

    /// `conditional_access_policies`: Conditional Access policies, as Graph's beta returns them.
    fn scuba_policies(&mut self, doc: Doc<'_>, at: &Pointer, raw: &str) {
        let kind = Kind::ConditionalAccessPolicy;
        self.t.inventory.present.insert(kind);
        let context = Detected::Kind(kind);
        let start = Self::offset_in(doc, raw);
        self.each_valid_element((doc.file, doc.text), start, at, |this, i, from| {
            Ok(this.element(doc, from, || at.index(i), Some(&context))?.1)
        });
    }

    /// `privileged_roles`: per role, its PIM policy, the assignment linking it to the role, and
    /// its active assignment schedule instances. `spans`: where each role is ([`role_spans`]).
    fn scuba_roles(&mut self, doc: Doc<'_>, at: &Pointer, spans: Spans) {
        for kind in [
            Kind::RoleManagementPolicy,
            Kind::RoleManagementPolicyAssignment,
            Kind::RoleAssignmentSchedule,
        ] {
            self.t.inventory.present.insert(kind);
        }
        let mut group_rules = GroupRules::default();
        let roles: Vec<(Pointer, usize, usize)> = spans
            .into_iter()
            .enumerate()
            .map(|(i, (from, len))| (at.index(i), from, len))
            .collect();
        // Each role read from its text, on every core (reading a role changes nothing).
        let read = crate::parallel::map(&roles, |(here, from, len)| {
            RoleText::read(doc.text, *from, *len, Origin::new(doc.file, here.clone()))
        });
        for (i, ((here, from, len), role)) in roles.into_iter().zip(read).enumerate() {
            self.anchor(doc, &here, from..from + len);
            if let Some(role) = role {
                self.scuba_role_text(doc, &here, role, &mut group_rules);
                continue;
            }
            let (value, _) = self.careful_element(doc, (&here, &here), from);
            let Some(value) = value else {
                continue;
            };
            let origin = Origin::new(doc.file, here);
            let Value::Object(map) = value else {
                let field = format!("privileged_roles[{i}]");
                let then = "this role is not read";
                self.wrong_type(origin, &field, &value, "an object", then);
                continue;
            };
            self.scuba_role(origin, map, &mut group_rules);
        }
        if let Some(first) = group_rules.first {
            let n = group_rules.count;
            let groups: Vec<String> = group_rules
                .groups
                .iter()
                .map(|(group, roles)| {
                    let roles: Vec<&str> = roles.iter().map(String::as_str).collect();
                    format!("'{group}' (under {})", roles.join(", "))
                })
                .collect();
            let message = format!(
                "{n} PIM for Groups rule{} of {} {} not read: ScubaGear lists a group's rules under each role the group holds and names the group only by display name, so they cannot be tied to the group's policy, and activation through the group is not checked",
                if n == 1 { "" } else { "s" },
                groups.join(", "),
                if n == 1 { "is" } else { "are" },
            );
            let at = crate::tenant::IssueAt::Pointer(first);
            self.issue(crate::tenant::IssueKind::Unread, doc.file, at, message);
        }
    }

    fn scuba_role(&mut self, origin: Origin, mut map: Map<String, Value>, groups: &mut GroupRules) {
        let kind = Kind::RoleManagementPolicy;
        let role = self.string_member(kind, &origin, &mut map, "roleTemplateId");
        let assignments = map.remove("assignments");
        for (j, part) in self.object_parts::<()>(
            Kind::RoleAssignmentSchedule,
            &origin,
            "assignments",
            assignments,
        ) {
            let Part::Value(m) = part else { continue };
            let at = origin.at_index("assignments", j);
            // Read as Graph's object is (a normalised value is never given up on).
            let _ = self.object(Kind::RoleAssignmentSchedule, at, super::Src::Value(m));
        }
        let rules = map.remove("rules");
        // A role without `Rules` (a tenant without PIM) has no policy to read.
        if !matches!(rules, Some(Value::Array(_))) {
            if let Some(other) = rules.filter(|r| !r.is_null()) {
                let then = "this role's PIM policy is not read";
                self.wrong_type(origin.at("rules"), "rules", &other, "an array", then);
            }
            return;
        }
        let Some(role) = role else {
            let message = "this role has no `RoleTemplateId`: its PIM rules cannot be tied to a role, and are not read".to_owned();
            let at = crate::tenant::IssueAt::Pointer(origin.pointer.clone());
            self.issue(
                crate::tenant::IssueKind::Unreadable,
                origin.file,
                at,
                message,
            );
            return;
        };
        let role_name = map
            .get("displayName")
            .and_then(Value::as_str)
            .unwrap_or(&role)
            .to_owned();
        let parts: Vec<(usize, Part<RawRule>)> = self
            .object_parts(kind, &origin, "rules", rules)
            .into_iter()
            .filter(|(j, part)| match part {
                Part::Value(m) => match group_of(m) {
                    None => true,
                    Some(group) => {
                        groups.add(group, &role_name, origin.pointer.child("rules").index(*j));
                        false
                    }
                },
                Part::Read(_) => true,
            })
            .collect();
        let rules = self.pim_rules(origin.file, parts, &origin.pointer.child("rules"));
        self.scuba_policy(origin, &role, rules);
    }

    /// The role's PIM policy, made of its rules, and the assignment linking it to the role.
    fn scuba_policy(&mut self, origin: Origin, role: &str, rules: Vec<PimRule>) {
        // Graph names a role's policy `DirectoryRole_<tenant>_<guid>`, which the export does not
        // keep: the policy is named after the role it governs, in the export it came from.
        let policy_id = ObjectId::new(&format!("ScubaGear_{role}"));
        self.count(Kind::RoleManagementPolicyAssignment);
        self.t
            .policy_assignments
            .push(RoleManagementPolicyAssignment {
                origin: origin.clone(),
                id: Some(ObjectId::new(&format!("{}_{role}", &*policy_id))),
                policy_id: Some(policy_id.clone()),
                scope_id: Some(ObjectId::new("/")),
                scope_type: Some(ScopeType::DirectoryRole),
                role_definition_id: Some(ObjectId::new(role)),
            });
        self.add_policy(RoleManagementPolicy {
            origin,
            id: Some(policy_id),
            scope_id: Some(ObjectId::new("/")),
            scope_type: Some(ScopeType::DirectoryRole),
            rules,
            ..Default::default()
        });
    }

    /// Adds a role in ScubaGear's usual shape as [`RoleText::read`] read it: its assignments and
    /// rules (each read the careful way when that gave up on it), each recorded where it is
    /// written.
    fn scuba_role_text(
        &mut self,
        doc: Doc<'_>,
        at: &Pointer,
        role: RoleText,
        groups: &mut GroupRules,
    ) {
        let RoleText {
            shape:
                RoleShape {
                    role,
                    name,
                    assignments,
                    rules: _,
                },
            assignments: mut read_assignments,
            rules,
        } = role;
        let origin = Origin::new(doc.file, at.clone());
        if let Some((key, start)) = assignments {
            let kind = Kind::RoleAssignmentSchedule;
            let key = key.as_str();
            let (model, written) = (origin.pointer.child("assignments"), at.child(key));
            self.scuba_objects(
                doc,
                kind,
                &origin,
                ("assignments", key),
                start,
                |this, j, from| {
                    let here = Origin::new(doc.file, model.index(j));
                    let written = written.index(j);
                    let read = read_assignments
                        .get_mut(j)
                        .filter(|a| a.from == from)
                        .and_then(|a| a.read.take());
                    if let Some((assignment, len)) = read {
                        this.scuba_assignment(here.clone(), *assignment);
                        this.anchor_written(doc, &here.pointer, &written, from..from + len);
                        return len;
                    }
                    let (value, len) = this.careful_element(doc, (&here.pointer, &written), from);
                    if let Some(Value::Object(m)) = value {
                        // Read as Graph's object is (a normalised value is never given up on).
                        let _ = this.object(kind, here, super::Src::Value(m));
                    }
                    len
                },
            );
        }
        let label = Kind::RoleManagementPolicy.labels().0;
        let mut cap = super::Cap::default();
        let mut read = Vec::new();
        for (j, rule) in rules.into_iter().enumerate() {
            let RuleText {
                from,
                here,
                written,
                read: rule,
            } = rule;
            match rule {
                RuleRead::Rule(rule, len) => {
                    self.anchor_written(doc, &here, &written, from..from + len);
                    read.push(*rule);
                }
                RuleRead::Group(group, len) => {
                    self.anchor_written(doc, &here, &written, from..from + len);
                    groups.add(group, &name, here);
                }
                RuleRead::Careful => {
                    let (value, _) = self.careful_element(doc, (&here, &written), from);
                    match value {
                        Some(Value::Object(m)) => match group_of(&m) {
                            Some(group) => groups.add(group, &name, here),
                            None => {
                                let origin = Origin::new(doc.file, here);
                                if let Some(raw) =
                                    self.typed::<RawRule>("PIM policy rule", &origin, m)
                                {
                                    read.push(raw.into_rule(origin));
                                }
                            }
                        },
                        Some(other) => {
                            let then = format!("this {label} is read without it");
                            let at = Origin::new(doc.file, here);
                            self.wrong_element(&mut cap, at, &format!("rules[{j}]"), &other, &then);
                        }
                        None => {}
                    }
                }
            }
        }
        self.close(cap, "elements of `rules` that are not objects");
        self.scuba_policy(origin, &role, read);
    }

    /// An active assignment of a role read from its text, added as [`Loader::object`] adds an
    /// object of its kind read from text.
    fn scuba_assignment(&mut self, origin: Origin, mut assignment: RoleMembership) {
        let kind = Kind::RoleAssignmentSchedule;
        assignment.kind = MembershipKind::AssignmentSchedule;
        assignment.origin = origin;
        self.t.role_memberships.push(assignment);
        self.count(kind);
    }

    /// Each element of the list that starts at `start` in the document, the member `name` of the object
    /// at `origin` (written `key`): an object is given to `each`, with its index and where it
    /// starts, which returns the length of its text; any other element is reported, as a
    /// list of objects of `kind` reports it, and not read.
    fn scuba_objects(
        &mut self,
        doc: Doc<'_>,
        kind: Kind,
        origin: &Origin,
        (name, key): (&str, &str),
        start: usize,
        mut each: impl FnMut(&mut Self, usize, usize) -> usize,
    ) {
        let label = kind.labels().0;
        let mut cap = super::Cap::default();
        let list = origin.pointer.child(key);
        self.each_valid_element((doc.file, doc.text), start, &list, |this, j, from| {
            if super::is_object(&doc.text[from..]) {
                return Ok(from + each(this, j, from));
            }
            let at = origin.at_index(name, j);
            let written = origin.pointer.child(key).index(j);
            let (value, len) = this.careful_element(doc, (&at.pointer, &written), from);
            if let Some(value) = value {
                let then = format!("this {label} is read without it");
                let field = format!("{name}[{j}]");
                this.wrong_element(&mut cap, at, &field, &value, &then);
            }
            Ok(from + len)
        });
        self.close(cap, &format!("elements of `{name}` that are not objects"));
    }

    /// `privileged_users`: an object of users by object id.
    fn scuba_users(&mut self, doc: Doc<'_>, at: &Pointer, raw: &str) {
        // Only the users holding one of ScubaGear's privileged roles: a selection, not the
        // tenant's users (a user id missing among them is no deleted account).
        let kind = Kind::User;
        self.partial.insert(kind);
        // The text was validated with the rest of the document.
        let Ok(Top::Object(entries)) = json::parse_top(raw) else {
            return;
        };
        for (key, value) in entries {
            let origin = Origin::new(doc.file, at.child(&key));
            let TopValue::Object(text) = value else {
                let field = format!("privileged_users.{key}");
                let then = "this user is not read";
                let found = match value {
                    TopValue::Array(_) => Value::Array(Vec::new()),
                    TopValue::Str(s) => Value::String(s),
                    _ => Value::Null,
                };
                self.wrong_type(origin, &field, &found, "an object", then);
                continue;
            };
            let Some(Value::Object(map)) =
                self.read(doc.file, doc.text, text, origin.pointer.clone())
            else {
                continue;
            };
            let Some(entry) = self.typed::<PrivilegedUser>("user", &origin, map) else {
                continue;
            };
            let synced = entry
                .on_premises_immutable_id
                .is_some_and(|id| !id.trim().is_empty());
            self.t.users.push(User {
                origin,
                id: Some(ObjectId::new(&key)),
                display_name: entry.display_name,
                // Without an immutable id the user may still be synchronised: unknown, not false.
                on_premises_sync_enabled: synced.then_some(true),
                ..Default::default()
            });
            self.count(kind);
        }
    }

    /// `authentication_method`: `[{authentication_method_policy, authentication_method_feature_settings}]`.
    fn scuba_methods(&mut self, doc: Doc<'_>, at: &Pointer, raw: &str) {
        for (i, value) in self.scuba_elements(doc, at, raw) {
            let origin = Origin::new(doc.file, at.index(i));
            let Value::Object(mut map) = value else {
                continue;
            };
            let policy_kind = Kind::AuthenticationMethodsPolicy;
            if let Some(policy) = self.embedded(
                policy_kind,
                &origin,
                &mut map,
                "authentication_method_policy",
            ) {
                self.t.inventory.present.insert(policy_kind);
                let at = origin.at("authentication_method_policy");
                let _ = self.object(policy_kind, at, super::Src::Value(policy));
            }
            let config_kind = Kind::AuthenticationMethodConfiguration;
            let name = "authentication_method_feature_settings";
            if let Some(configs) = map.remove(name) {
                self.t.inventory.present.insert(config_kind);
                for (j, part) in self.object_parts::<()>(config_kind, &origin, name, Some(configs))
                {
                    let Part::Value(m) = part else { continue };
                    let _ =
                        self.object(config_kind, origin.at_index(name, j), super::Src::Value(m));
                }
            }
        }
    }
}

impl Loader {
    /// `scuba_config`: the exclusions of the run's configuration, as accounts the export declares.
    fn scuba_config(&mut self, doc: Doc<'_>, at: &Pointer, raw: &str) {
        // Read as written: the configuration's keys (`MS.AAD.1.1v1`) are not Graph's, to normalise.
        // The text was validated with the rest of the document.
        let Ok(config) = serde_json::from_str::<Value>(raw) else {
            return;
        };
        match crate::scuba_config::exclusions(&config) {
            Ok(found) => {
                for e in found {
                    let pointer = Pointer::parse(&format!("{at}{}", e.pointer));
                    self.t
                        .declared_exclusions
                        .push(crate::tenant::DeclaredExclusion {
                            origin: Origin::new(doc.file, pointer),
                            id: ObjectId::new(&e.id),
                            group: e.group,
                        });
                }
            }
            Err(e) => {
                let message = format!(
                    "ScubaGear's configuration in this export is not in ScubaGear's shape: {e}; its exclusions are not read as break-glass accounts"
                );
                let at = crate::tenant::IssueAt::Pointer(at.clone());
                self.issue(crate::tenant::IssueKind::Unreadable, doc.file, at, message);
            }
        }
    }
}

/// An entry of `privileged_roles` in ScubaGear's usual shape: a `RoleTemplateId` that is a
/// string, `Assignments` (if any) and `Rules` that are lists, no key repeated.
struct RoleShape {
    role: String,
    /// `DisplayName`, else the role's id.
    name: String,
    /// The key of the assignments as written, and where their list starts in the document.
    assignments: Option<(String, usize)>,
    /// The same of the rules.
    rules: (String, usize),
}

impl RoleShape {
    /// The role that starts at `from` in `text`, and the length of its text; `None` when it is
    /// not in the usual shape.
    fn of(text: &str, from: usize) -> Option<(RoleShape, usize)> {
        let rest = &text[from..];
        if !super::is_object(rest) {
            return None;
        }
        // The document was validated as a whole: the role's members are found from its quotes
        // and brackets.
        let (members, len) = json::valid_members(rest)?;
        if !json::duplicate_members(&members).is_empty() {
            return None;
        }
        // A member by its name as the model spells it (as the careful reading normalises keys).
        let find = |name: &str| {
            members.iter().rev().find(|(key, _)| {
                let (k, n) = (key.as_bytes(), name.as_bytes());
                k.len() == n.len()
                    && !k.is_empty()
                    && k[0].to_ascii_lowercase() == n[0]
                    && k[1..] == n[1..]
            })
        };
        let role = match find("roleTemplateId") {
            Some((_, TopValue::Str(role))) => role.clone(),
            _ => return None,
        };
        let name = match find("displayName") {
            Some((_, TopValue::Str(name))) => name.clone(),
            _ => role.clone(),
        };
        // A list: its key as written, and where it starts in `text`.
        let list = |name: &str| match find(name) {
            None => Ok(None),
            Some((key, TopValue::Array(raw))) => Ok(Some((
                key.clone(),
                raw.as_ptr() as usize - text.as_ptr() as usize,
            ))),
            Some(_) => Err(()),
        };
        let (Ok(assignments), Ok(Some(rules))) = (list("assignments"), list("rules")) else {
            return None;
        };
        let shape = RoleShape {
            role,
            name,
            assignments,
            rules,
        };
        Some((shape, len))
    }
}

/// How long the text from the roles to the end of the document must be for their places to be
/// found on a thread of their own: starting it costs about what looking through this much does.
const ROLES_APART: usize = 256 * 1024;

/// Where the roles' places are being found.
enum Finding<'scope> {
    /// On a thread of its own.
    Apart(std::thread::ScopedJoinHandle<'scope, Result<Spans, Spans>>),
    /// Here, when asked: the list starts there.
    Here(usize),
}

/// Where each element of the list of roles that starts at `start` in `text` starts, and the
/// length of its text: found from its brackets and quotes (the document was validated), or by
/// reading it when they do not say. `Err` holds those found before the walk stopped (which
/// valid text never makes it do).
fn role_spans(text: &str, start: usize) -> Result<Spans, Spans> {
    let mut spans = Vec::new();
    let end = json::each_element(text, start, |from| {
        let rest = &text[from..];
        let len = json::valid_len(rest).or_else(|| json::value_len(rest))?;
        spans.push((from, len));
        Some(from + len)
    });
    match end {
        Some(_) => Ok(spans),
        None => Err(spans),
    }
}

/// Where each element of a list starts, and the length of its text.
type Spans = Vec<(usize, usize)>;

/// A role in the usual shape, read from its text: its members, and its assignments and rules.
struct RoleText {
    shape: RoleShape,
    assignments: Vec<AssignmentText>,
    rules: Vec<RuleText>,
}

impl RoleText {
    /// The role of length `len` that starts at `from` in `text`, when it is in the usual shape;
    /// `origin` is where it is. Changes nothing, so that many roles are read at once.
    fn read(text: &str, from: usize, len: usize, origin: Origin) -> Option<RoleText> {
        let (shape, read_len) = RoleShape::of(text, from)?;
        // Its length was found from its brackets: a role read to another length (which valid
        // text never gives) is read the careful way.
        if read_len != len {
            return None;
        }
        let assignments = match &shape.assignments {
            Some((_, start)) => AssignmentText::read_all(text, *start)?,
            None => Vec::new(),
        };
        let rules = RuleText::read_all(text, &shape.rules, &origin)?;
        Some(RoleText {
            shape,
            assignments,
            rules,
        })
    }
}

/// An active assignment of a role in the usual shape, read from its text: where it starts, and
/// what was read with the length of its text (`None`: it needs the careful reading, or is not an
/// object, which that reports).
struct AssignmentText {
    from: usize,
    read: Option<(Box<RoleMembership>, usize)>,
}

impl AssignmentText {
    /// Every element of the list of assignments that starts at `start` in `text` (`None` when
    /// the walk over it stopped).
    fn read_all(text: &str, start: usize) -> Option<Vec<AssignmentText>> {
        let read = read_objects::<RoleMembership>(text, start)?;
        let read = read.into_iter().map(|(from, read)| AssignmentText {
            from,
            read: read.map(|(a, len)| (Box::new(a), len)),
        });
        Some(read.collect())
    }
}

/// The elements of a list: where each starts, and what was read of it with the length of its text.
type ReadList<T> = Vec<(usize, Option<(T, usize)>)>;

/// Each element of the list that starts at `start` in `text` (a role validated when its members
/// were found: reading never stops): where it starts, and, when it is an object read in one pass,
/// what was read and the length of its text; the careful reading reports the others. `None` when
/// the walk stopped before the end of the list: the whole role is then read the careful way, so
/// that no element after the stop goes unread. Changes nothing, so that the lists of many roles
/// are read at once.
fn read_objects<T: serde::de::DeserializeOwned>(text: &str, start: usize) -> Option<ReadList<T>> {
    let mut out = Vec::new();
    json::each_element(text, start, |from| {
        let rest = &text[from..];
        let read = super::is_object(rest)
            .then(|| norm::read_prefix::<T>(rest).ok())
            .flatten();
        let len = match &read {
            Some((_, len)) => *len,
            None => json::value_len(rest)?,
        };
        out.push((from, read));
        Some(from + len)
    })?;
    Some(out)
}

/// A rule of a role in the usual shape, read from its text: where it starts, where it is (in the
/// model, and as written), and what was read.
struct RuleText {
    from: usize,
    here: Pointer,
    written: Pointer,
    read: RuleRead,
}

/// What reading a rule from its text gave.
enum RuleRead {
    /// The role's own rule, made with its origin, and the length of its text.
    Rule(Box<PimRule>, usize),
    /// A PIM for Groups rule, by the group's name, and the length of its text.
    Group(String, usize),
    /// Nothing: the rule needs the careful reading (or is not an object, which that reports).
    Careful,
}

impl RuleText {
    /// Every element of the list of rules of the role at `role` whose key as written is `key`
    /// and which starts at `start` in `text` (`None` when the walk over it stopped).
    fn read_all(
        text: &str,
        (key, start): &(String, usize),
        role: &Origin,
    ) -> Option<Vec<RuleText>> {
        let rules = read_objects::<Split<RawRule, String, RuleSourceType>>(text, *start)?;
        let (model, written) = (role.pointer.child("rules"), role.pointer.child(key));
        let rules = rules
            .into_iter()
            .enumerate()
            .map(|(j, (from, read))| {
                let here = model.index(j);
                let read = match read {
                    Some((rule, len)) => match rule.part {
                        Some(source) if !source.eq_ignore_ascii_case(DIRECTORY_ROLE) => {
                            let group = norm::read_prefix::<RuleSource>(&text[from..])
                                .ok()
                                .and_then(|(s, _)| s.rule_source)
                                .unwrap_or_else(|| UNNAMED_GROUP.to_owned());
                            RuleRead::Group(group, len)
                        }
                        _ => {
                            let origin = Origin::new(role.file, here.clone());
                            RuleRead::Rule(Box::new(rule.main.into_rule(origin)), len)
                        }
                    },
                    None => RuleRead::Careful,
                };
                RuleText {
                    from,
                    here,
                    written: written.index(j),
                    read,
                }
            })
            .collect();
        Some(rules)
    }
}

/// ScubaGear's `RuleSourceType` of a rule, read apart from the rule.
struct RuleSourceType;
impl Member for RuleSourceType {
    const NAME: &'static str = "ruleSourceType";
}

/// ScubaGear's `RuleSource` of a rule: the role's or the group's display name.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RuleSource {
    rule_source: Option<String>,
}

/// The name given to a PIM for Groups group ScubaGear does not name.
const UNNAMED_GROUP: &str = "(unnamed group)";

/// The group whose PIM for Groups rule ScubaGear lists under a role (`RuleSourceType` other than
/// `Directory Role`, `RuleSource` the group's display name), or `None` for the role's own rule
/// (also a rule with no `RuleSourceType`, from exports before ScubaGear added PIM for Groups rules).
fn group_of(rule: &Map<String, Value>) -> Option<String> {
    match rule.get("ruleSourceType") {
        Some(Value::String(source)) if !source.eq_ignore_ascii_case(DIRECTORY_ROLE) => Some(
            rule.get("ruleSource")
                .and_then(Value::as_str)
                .map_or_else(|| UNNAMED_GROUP.to_owned(), str::to_owned),
        ),
        _ => None,
    }
}

/// The PIM for Groups rules of an export, which are not read: how many, of which groups (under
/// which roles), and where the first is.
#[derive(Default)]
struct GroupRules {
    count: usize,
    groups: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    first: Option<Pointer>,
}

impl GroupRules {
    fn add(&mut self, group: String, role: &str, at: Pointer) {
        self.count += 1;
        self.groups
            .entry(group)
            .or_default()
            .insert(role.to_owned());
        self.first.get_or_insert(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Valid text never stops these walks; text that does (a missing comma) must say so rather
    // than leave the elements after the stop unread without a word.

    #[test]
    fn role_spans_say_where_the_walk_stopped() {
        let text = r#"[{"a":1}, {"b":[2]} {"c":3}]"#;
        assert_eq!(role_spans(text, 0), Err(vec![(1, 7), (10, 9)]));
        let text = r#"[{"a":1}, {"b":[2]}, {"c":3}]"#;
        assert_eq!(role_spans(text, 0), Ok(vec![(1, 7), (10, 9), (21, 7)]));
    }

    #[test]
    fn a_list_whose_walk_stops_is_not_read_in_one_pass() {
        let stops = r#"[{"id":"a"} {"id":"b"}]"#;
        assert!(read_objects::<RoleMembership>(stops, 0).is_none());
        let whole = r#"[{"id":"a"}, 7, {"id":"b"}]"#;
        let read = read_objects::<RoleMembership>(whole, 0).expect("walked to its end");
        let froms: Vec<usize> = read.iter().map(|(from, _)| *from).collect();
        assert_eq!(froms, [1, 13, 16]);
        assert!(read[0].1.is_some() && read[1].1.is_none() && read[2].1.is_some());
    }
}
