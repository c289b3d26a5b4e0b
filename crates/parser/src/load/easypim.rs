//! EasyPIM (<https://github.com/kayasax/EasyPIM>): the PIM policy it is asked to apply, read
//! before it is applied, into the objects Graph returns once it is.
//!
//! Two files:
//!
//! - the orchestrator's configuration (`Invoke-EasyPIMOrchestrator`), JSON with comments
//!   (`EasyPIM/Documentation/Configuration-Schema.md`, `Entra-Role-Policies-Array.md`, read by
//!   `EasyPIM.Orchestrator/internal/functions/Initialize-EasyPIMPolicies.ps1`):
//!   - `PolicyTemplates{<name>: settings}`;
//!   - `EntraRoles.Policies`, an object keyed by role name (`{Template, …overrides}` or the
//!     settings inline) or an array of `{RoleName, PolicySource, Template | PolicyTemplate,
//!     Policy | …settings}`, and the older top-level `EntraRolePolicies` array;
//!   - `GroupRoles.Policies{<group id>: {Member | Owner: settings}}` and the older
//!     `GroupPolicies` array (`{GroupId, RoleName, …}`);
//!   - `Assignments.EntraRoles[{roleName, assignments[{principalId, assignmentType, duration,
//!     permanent}]}]`, `Assignments.Groups` (also spelled `GroupRoles`), and the older flat
//!     `EntraIDRoles`, `EntraIDRolesActive`, `GroupRoles`, `GroupRolesActive` arrays
//!     (`EasyPIM.Orchestrator/internal/functions/Initialize-EasyPIMAssignments.ps1`);
//! - the CSV `Export-PIMEntraRolePolicy` writes, one row per role (`ConvertTo-Csv` of the object
//!   `get-EntraRoleConfig.ps1` builds from the role's policy rules).
//!
//! A role's settings are its template's, overridden member by member by the role entry's own,
//! as `Resolve-PolicyConfiguration` merges them. Each setting becomes the rule Graph stores it in
//! (Microsoft Learn, "Overview of rules in PIM",
//! <https://learn.microsoft.com/graph/identity-governance-pim-rules-overview>), located on the
//! member that set it: the template's, or the entry's override, or the CSV cell. A setting
//! neither sets leaves the role's current rule alone, so no rule is made for it.
//!
//! Role names resolve through the built-in role catalogue; a group policy needs the group's id.
//! Azure resource roles (`AzureRoles`, `AzureRolePolicies`, `AzureRolesActive`) are not Entra
//! roles and are not read; `ProtectedUsers` is read as break-glass declarations through
//! entralint.toml, and the notifications other than the activation alert matter to no rule.
//! Everything else the file holds that entralint does not know is reported (JSON001).

use super::pim_settings::{approver, role_id, Alert, Declared, Scope, Set, Settings};
use super::Loader;
use crate::id::{is_guid, ObjectId};
use crate::json::{self, Top, TopValue};
use crate::jsonc;
use crate::kinds::Kind;
use crate::model::{
    Approver, EnablementRequirement, Expiration, GroupSchedule, MembershipKind, RoleMembership,
    ScheduleInfo,
};
use crate::origin::{FileId, Origin, Pointer};
use crate::tenant::{IssueAt, IssueKind};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

/// Top-level members that tell an EasyPIM orchestrator configuration.
const SIGNATURE: [&str; 11] = [
    "PolicyTemplates",
    "EntraRoles",
    "EntraRolePolicies",
    "GroupPolicies",
    "GroupRoles",
    "GroupRolesActive",
    "EntraIDRoles",
    "EntraIDRolesActive",
    "ProtectedUsers",
    "AzureRolePolicies",
    "AzureRolesActive",
];

/// Top-level members that are understood and deliberately not read (see the module's docs).
const NOT_READ: [&str; 6] = [
    "AzureRoles",
    "AzureRolePolicies",
    "AzureRolesActive",
    "ProtectedUsers",
    "$schema",
    "_metadata",
];

/// Whether the members of a document's root object are an EasyPIM orchestrator configuration:
/// one of its sections, and nothing of a Graph response.
pub(super) fn is_config(members: &[(String, TopValue<'_>)]) -> bool {
    let has = |name: &str| json::member(members, name).is_some();
    if has("@odata.context") || has("value") {
        return false;
    }
    // `Assignments` alone tells it when it holds EasyPIM's role or group assignments.
    let assignments = || match json::member(members, "Assignments") {
        Some((_, TopValue::Object(raw))) => match json::parse_top(raw) {
            Ok(Top::Object(inner)) => ["EntraRoles", "Groups", "GroupRoles"]
                .iter()
                .any(|s| json::member(&inner, s).is_some()),
            _ => false,
        },
        _ => false,
    };
    SIGNATURE.iter().any(|s| has(s)) || assignments()
}

/// Whether a text is the CSV `Export-PIMEntraRolePolicy` writes: its header (after the `#TYPE`
/// line Windows PowerShell's `ConvertTo-Csv` puts first) names `RoleName` and `EnablementRules`.
pub(super) fn is_csv(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let Some(mut header) = lines.next() else {
        return false;
    };
    if header.starts_with("#TYPE") {
        let Some(next) = lines.next() else {
            return false;
        };
        header = next;
    }
    // Nothing is copied: a minified JSON export is one line as long as the file, and this is
    // asked of every file before it is parsed.
    let mut fields = header.split(',').map(|f| f.trim().trim_matches('"'));
    fields
        .next()
        .is_some_and(|f| f.eq_ignore_ascii_case("rolename"))
        && fields.any(|f| f.eq_ignore_ascii_case("enablementrules"))
}

/// A JSON value with its members in document order, keys as written (repeated keys kept).
#[derive(Debug, Clone)]
enum Node {
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    Str(String),
    Bool(bool),
    Number,
    Null,
}

impl Node {
    fn member(&self, name: &str) -> Option<(&str, &Node)> {
        let Node::Object(members) = self else {
            return None;
        };
        // The last of a repeated key, as ConvertFrom-Json keeps it.
        members
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(k, v)| (k.as_str(), v))
    }

    fn json_type(&self) -> &'static str {
        match self {
            Node::Object(_) => "an object",
            Node::Array(_) => "an array",
            Node::Str(_) => "a string",
            Node::Bool(_) => "a boolean",
            Node::Number => "a number",
            Node::Null => "null",
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut members = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Node>()? {
                    members.push((k, v));
                }
                Ok(Node::Object(members))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(v) = seq.next_element::<Node>()? {
                    items.push(v);
                }
                Ok(Node::Array(items))
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Node, E> {
                Ok(Node::Str(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
                Ok(Node::Bool(v))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
                Ok(Node::Number)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
                Ok(Node::Number)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Number)
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
        }
        d.deserialize_any(V)
    }
}

/// A setting's value as the file writes it: a JSON value, or the text of a CSV cell.
#[derive(Clone, Copy)]
enum Val<'a> {
    Json(&'a Node),
    Cell(&'a str),
}

impl<'a> Val<'a> {
    /// The text of a string or a cell.
    fn text(self) -> Option<&'a str> {
        match self {
            Val::Json(Node::Str(s)) => Some(s),
            Val::Cell(s) => Some(s),
            _ => None,
        }
    }
}

/// What a member of a policy's settings is.
enum Field {
    Known(fn(&mut Reading<'_>, &mut Settings, Val<'_>, Pointer)),
    /// Understood, and of no use to any rule.
    Ignored,
}

/// The settings EasyPIM reads (`Set-EPOEntraRolePolicy.ps1`), and the spellings its older
/// samples and the CSV export use.
fn field(name: &str) -> Option<Field> {
    let n = name.to_ascii_lowercase();
    let f: fn(&mut Reading<'_>, &mut Settings, Val<'_>, Pointer) = match n.as_str() {
        "activationduration" => |r, s, v, at| {
            s.activation_duration = r.text(v, &at).map(|value| Set { value, at });
        },
        "activationrequirement" | "enablementrules" => |r, s, v, at| {
            s.activation_requirement = r.requirements(v, &at).map(|value| Set { value, at });
        },
        "activeassignmentrequirement" => |r, s, v, at| {
            s.active_assignment_requirement = r.requirements(v, &at).map(|value| Set { value, at });
        },
        "authenticationcontext_enabled" => |r, s, v, at| {
            s.context_enabled = r.boolean(v, &at).map(|value| Set { value, at });
        },
        "authenticationcontext_value" => |r, s, v, at| {
            s.context_value = r.text(v, &at).map(|value| Set { value, at });
        },
        "approvalrequired" => |r, s, v, at| {
            s.approval_required = r.boolean(v, &at).map(|value| Set { value, at });
        },
        "approvers" => |r, s, v, at| {
            s.approvers = r.approvers(v, &at).map(|value| Set { value, at });
        },
        "allowpermanenteligibility" | "allowpermanenteligibleassignment" => |r, s, v, at| {
            s.permanent_eligibility = r.boolean(v, &at).map(|value| Set { value, at });
        },
        "maximumeligibilityduration" | "maximumeligibleassignmentduration" => |r, s, v, at| {
            s.eligibility_duration = r.text(v, &at).map(|value| Set { value, at });
        },
        "allowpermanentactiveassignment" => |r, s, v, at| {
            s.permanent_active = r.boolean(v, &at).map(|value| Set { value, at });
        },
        "maximumactiveassignmentduration" => |r, s, v, at| {
            s.active_duration = r.text(v, &at).map(|value| Set { value, at });
        },
        "notification_activation_alert" => |r, s, v, at| {
            s.activation_alert = r.alert(v, &at).map(|value| Set { value, at });
        },
        _ if n.starts_with("notification") => return Some(Field::Ignored),
        _ => return None,
    };
    Some(Field::Known(f))
}

/// The reading of one file: where it is, and the loader to report to.
struct Reading<'l> {
    loader: &'l mut Loader,
    file: FileId,
}

impl Reading<'_> {
    fn say(&mut self, at: &Pointer, message: String) {
        self.loader.issue_labelled(
            self.file,
            at.clone(),
            message,
            "entralint does not read this",
        );
    }

    fn wrong(&mut self, at: &Pointer, v: Val<'_>, expected: &str) {
        let found = match v {
            Val::Json(n) => n.json_type().to_owned(),
            Val::Cell(s) => format!("`{s}`"),
        };
        let message =
            format!("this setting is {found}, not {expected}: entralint does not read it");
        self.loader
            .issue_labelled(self.file, at.clone(), message, &format!("not {expected}"));
    }

    fn text(&mut self, v: Val<'_>, at: &Pointer) -> Option<String> {
        if let Some(s) = v.text() {
            let s = s.trim();
            return (!s.is_empty()).then(|| s.to_owned());
        }
        match v {
            Val::Json(Node::Null) => None,
            _ => {
                self.wrong(at, v, "a string");
                None
            }
        }
    }

    fn boolean(&mut self, v: Val<'_>, at: &Pointer) -> Option<bool> {
        match v {
            Val::Json(Node::Bool(b)) => Some(*b),
            Val::Json(Node::Null) => None,
            // ConvertTo-Csv writes `True`/`False`; EasyPIM's samples also quote them.
            Val::Json(Node::Str(_)) | Val::Cell(_) => match v
                .text()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
                .as_str()
            {
                "true" => Some(true),
                "false" => Some(false),
                "" => None,
                _ => {
                    self.wrong(at, v, "`true` or `false`");
                    None
                }
            },
            _ => {
                self.wrong(at, v, "`true` or `false`");
                None
            }
        }
    }

    /// `"MultiFactorAuthentication,Justification"`, a list of them, `"None"` or empty.
    fn requirements(&mut self, v: Val<'_>, at: &Pointer) -> Option<Vec<EnablementRequirement>> {
        let words: Vec<String> = match v {
            Val::Json(Node::Str(_)) | Val::Cell(_) => v
                .text()
                .unwrap_or_default()
                .split(',')
                .map(|w| w.trim().to_owned())
                .collect(),
            Val::Json(Node::Array(items)) => {
                let mut words = Vec::new();
                for item in items {
                    let Node::Str(s) = item else {
                        self.wrong(at, v, "a list of requirements");
                        return None;
                    };
                    words.push(s.trim().to_owned());
                }
                words
            }
            Val::Json(Node::Null) => return None,
            _ => {
                self.wrong(at, v, "a comma-separated list of requirements");
                return None;
            }
        };
        let mut out = Vec::new();
        for w in words {
            if w.is_empty() || w.eq_ignore_ascii_case("None") {
                continue;
            }
            match EnablementRequirement::parse(&w) {
                EnablementRequirement::Unknown(_) => {
                    let message = format!(
                        "`{w}` is not an activation requirement (MultiFactorAuthentication, Justification, Ticketing or None): EasyPIM rejects it, and entralint reads the requirements without it"
                    );
                    self.say(at, message);
                }
                r => out.push(r),
            }
        }
        Some(out)
    }

    /// `[{id, description, userType}]` or ids; in the CSV, PowerShell hashtables
    /// `@{"id"="…";"description"="…";"userType"="group"},…`.
    fn approvers(&mut self, v: Val<'_>, at: &Pointer) -> Option<Vec<Approver>> {
        let mut out = Vec::new();
        match v {
            Val::Json(Node::Array(items)) => {
                for item in items {
                    let approver = match item {
                        Node::Str(id) => approver(id, None, None),
                        Node::Object(_) => {
                            let s = |k: &str| match item.member(k) {
                                Some((_, Node::Str(s))) => Some(s.as_str()),
                                _ => None,
                            };
                            let Some(id) = s("id") else {
                                self.say(at, "an approver names no `id`: entralint reads the approvers without it".to_owned());
                                continue;
                            };
                            approver(
                                id,
                                s("description").or(s("name")),
                                s("userType").or(s("type")),
                            )
                        }
                        _ => {
                            self.wrong(at, v, "a list of approvers");
                            return None;
                        }
                    };
                    out.push(approver);
                }
            }
            Val::Json(Node::Null) => return None,
            Val::Cell(s) => {
                for entry in s.split("@{").skip(1) {
                    let get = |k: &str| {
                        let key = format!("\"{k}\"=\"");
                        let start = entry.find(&key)? + key.len();
                        let len = entry[start..].find('"')?;
                        Some(&entry[start..start + len])
                    };
                    match get("id") {
                        Some(id) => out.push(approver(id, get("description"), get("userType"))),
                        None => self.say(
                            at,
                            "an approver names no `id`: entralint reads the approvers without it"
                                .to_owned(),
                        ),
                    }
                }
            }
            _ => {
                self.wrong(at, v, "a list of approvers");
                return None;
            }
        }
        Some(out)
    }

    /// `{isDefaultRecipientEnabled, notificationLevel, Recipients}`.
    fn alert(&mut self, v: Val<'_>, at: &Pointer) -> Option<Alert> {
        let Val::Json(node @ Node::Object(_)) = v else {
            if !matches!(v, Val::Json(Node::Null)) {
                self.wrong(at, v, "an object");
            }
            return None;
        };
        let mut alert = Alert::default();
        if let Some((k, n)) = node.member("isDefaultRecipientEnabled") {
            alert.default_recipients = self.boolean(Val::Json(n), &at.child(k));
        }
        if let Some((_, Node::Str(level))) = node.member("notificationLevel") {
            alert.level = Some(level.clone());
        }
        if let Some((_, Node::Array(items))) = node.member("Recipients") {
            alert.recipients = items
                .iter()
                .filter_map(|i| match i {
                    Node::Str(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
                    _ => None,
                })
                .collect();
        }
        Some(alert)
    }

    /// Reads a member of a policy's settings into `settings`; says so when it is not one.
    fn setting(&mut self, settings: &mut Settings, key: &str, v: Val<'_>, at: Pointer) {
        match field(key) {
            Some(Field::Known(read)) => read(self, settings, v, at),
            Some(Field::Ignored) => {}
            None => {
                let message = format!(
                    "`{key}` is not a policy setting EasyPIM knows: EasyPIM ignores it, and so does entralint"
                );
                self.say(&at, message);
            }
        }
    }

    /// The settings an object holds, skipping the members `skip` names (an entry's own keys).
    fn settings(&mut self, node: &Node, at: &Pointer, skip: &[&str]) -> Settings {
        let mut settings = Settings::default();
        let Node::Object(members) = node else {
            self.wrong(at, Val::Json(node), "an object of policy settings");
            return settings;
        };
        self.duplicates(members, at);
        for (k, v) in members {
            if skip.iter().any(|s| s.eq_ignore_ascii_case(k)) {
                continue;
            }
            // A `Notifications` object is the older samples' way to write the notifications.
            if k.eq_ignore_ascii_case("Notifications") {
                continue;
            }
            self.setting(&mut settings, k, Val::Json(v), at.child(k));
        }
        settings
    }

    /// Reports keys repeated (ignoring case) in one object.
    fn duplicates(&mut self, members: &[(String, Node)], at: &Pointer) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (k, _) in members {
            let n = seen.entry(k.to_ascii_lowercase()).or_default();
            *n += 1;
            if *n == 2 {
                let message = format!(
                    "key `{k}` appears more than once in the same object; the last value is used"
                );
                self.loader.issue(
                    IssueKind::DuplicateKey,
                    self.file,
                    IssueAt::DuplicateKey {
                        parent: at.clone(),
                        key: k.clone(),
                    },
                    message,
                );
            }
        }
    }
}

impl Loader {
    /// The orchestrator's configuration, its text made JSON (comments and trailing commas
    /// blanked, same offsets). Returns whether it was one.
    pub(super) fn easypim_jsonc(&mut self, file: FileId, text: &str) -> Option<bool> {
        let blanked = jsonc::blank(text);
        let Ok(Top::Object(members)) = json::parse_top(&blanked.text) else {
            return None;
        };
        if !is_config(&members) {
            return None;
        }
        self.t.sources.set_translated(file);
        for &at in &blanked.trailing_commas {
            let message = "trailing comma: entralint and EasyPIM read the file as if it were not there, but not every JSON reader does".to_owned();
            self.issue(IssueKind::Unreadable, file, IssueAt::Lenient(at), message);
        }
        Some(self.easypim_config(file, &blanked.text))
    }

    /// Reads an EasyPIM orchestrator configuration (valid JSON once its comments are blanked).
    pub(super) fn easypim_config(&mut self, file: FileId, text: &str) -> bool {
        let Ok(root) = serde_json::from_str::<Node>(text) else {
            return false;
        };
        self.t.sources.set_translated(file);
        let mut r = Reading { loader: self, file };
        let base = Pointer::root();
        let Node::Object(members) = &root else {
            return false;
        };
        r.duplicates(members, &base);
        let mut templates: BTreeMap<String, (String, Settings)> = BTreeMap::new();
        if let Some((k, node)) = root.member("PolicyTemplates") {
            let at = base.child(k);
            match node {
                Node::Object(list) => {
                    r.duplicates(list, &at);
                    for (name, t) in list {
                        let settings = r.settings(t, &at.child(name), &[]);
                        templates.insert(name.to_ascii_lowercase(), (name.clone(), settings));
                    }
                }
                other => r.wrong(&at, Val::Json(other), "an object of templates"),
            }
        }
        let mut declared = Vec::new();
        let mut any_policies = false;
        let mut assignments = Assignments::default();
        for (k, node) in members {
            let at = base.child(k);
            let key = k.to_ascii_lowercase();
            match key.as_str() {
                "policytemplates" => {}
                "entraroles" => {
                    let Node::Object(inner) = node else {
                        r.wrong(&at, Val::Json(node), "an object");
                        continue;
                    };
                    for (ik, inode) in inner {
                        let iat = at.child(ik);
                        if ik.eq_ignore_ascii_case("Policies") {
                            any_policies = true;
                            r.role_policies(inode, &iat, &templates, &mut declared);
                        } else {
                            r.say(&iat, format!("`{k}.{ik}` is not a section EasyPIM reads: entralint does not read it"));
                        }
                    }
                }
                "entrarolepolicies" => {
                    any_policies = true;
                    r.role_policies(node, &at, &templates, &mut declared);
                }
                "grouproles" => match node {
                    // The older flat layout: eligible group memberships and ownerships.
                    Node::Array(_) => r.group_assignments(node, &at, Some(true), &mut assignments),
                    Node::Object(inner) => {
                        for (ik, inode) in inner {
                            let iat = at.child(ik);
                            if ik.eq_ignore_ascii_case("Policies") {
                                any_policies = true;
                                r.group_policies(inode, &iat, &templates, &mut declared);
                            } else {
                                r.say(&iat, format!("`{k}.{ik}` is not a section EasyPIM reads: entralint does not read it"));
                            }
                        }
                    }
                    other => r.wrong(&at, Val::Json(other), "an object or an array"),
                },
                "grouppolicies" => {
                    any_policies = true;
                    r.group_policy_list(node, &at, &templates, &mut declared);
                }
                "grouprolesactive" => {
                    r.group_assignments(node, &at, Some(false), &mut assignments)
                }
                "entraidroles" => r.role_assignments(node, &at, Some(true), &mut assignments),
                "entraidrolesactive" => {
                    r.role_assignments(node, &at, Some(false), &mut assignments)
                }
                "assignments" => r.assignment_sections(node, &at, &mut assignments),
                _ if NOT_READ.iter().any(|n| n.eq_ignore_ascii_case(k)) => {}
                _ => r.say(
                    &at,
                    format!("`{k}` is not a section of EasyPIM's configuration: entralint does not read it"),
                ),
            }
        }
        if any_policies {
            self.t.inventory.present.insert(Kind::RoleManagementPolicy);
            self.t
                .inventory
                .present
                .insert(Kind::RoleManagementPolicyAssignment);
        }
        for d in declared {
            self.declared_policy(d);
        }
        assignments.add(self);
        true
    }

    /// Reads the CSV `Export-PIMEntraRolePolicy` writes; every cell is located in the file.
    pub(super) fn easypim_csv(&mut self, file: FileId, text: &str) -> bool {
        let rows = csv_rows(text);
        let mut rows = rows.into_iter();
        let Some(header) = rows.next() else {
            return false;
        };
        let mut cells: BTreeMap<String, Range<usize>> = BTreeMap::new();
        let columns: Vec<(String, Pointer)> = header
            .cells
            .iter()
            .map(|(name, range)| {
                let at = Pointer::root().child("columns").child(name);
                cells.insert(at.as_str().to_owned(), range.clone());
                (name.clone(), at)
            })
            .collect();
        let rows: Vec<CsvRow> = rows.collect();
        for (i, row) in rows.iter().enumerate() {
            let at = Pointer::root().index(i);
            cells.insert(at.as_str().to_owned(), row.span.clone());
            for ((name, _), (_, range)) in columns.iter().zip(&row.cells) {
                cells.insert(at.child(name).as_str().to_owned(), range.clone());
            }
        }
        self.t.sources.set_cells(file, cells);
        self.t.sources.set_translated(file);
        let mut r = Reading { loader: self, file };
        let known = ["RoleName", "roleID", "PolicyID"];
        for (name, at) in &columns {
            let own = known.iter().any(|k| k.eq_ignore_ascii_case(name));
            if !own
                && field(name).is_none()
                && !name.to_ascii_lowercase().starts_with("notification")
            {
                let message = format!(
                    "column `{name}` is not one Export-PIMEntraRolePolicy writes: entralint does not read it"
                );
                r.say(at, message);
            }
        }
        let mut declared = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let at = Pointer::root().index(i);
            if row.cells.len() != columns.len() {
                let message = format!(
                    "this row has {} fields where the header names {}: entralint does not read it",
                    row.cells.len(),
                    columns.len()
                );
                r.say(&at, message);
                continue;
            }
            let cell = |name: &str| {
                columns
                    .iter()
                    .position(|(c, _)| c.eq_ignore_ascii_case(name))
                    .map(|p| row.cells[p].0.trim())
                    .filter(|v| !v.is_empty())
            };
            let role = match (cell("roleID").filter(|id| is_guid(id)), cell("RoleName")) {
                (Some(id), _) => ObjectId::new(id),
                (None, Some(name)) => match role_id(name) {
                    Some(id) => id,
                    None => {
                        r.unknown_role(name, &at.child("RoleName"));
                        continue;
                    }
                },
                (None, None) => {
                    r.say(
                        &at,
                        "this row names no role (`RoleName`, `roleID`): entralint does not read it"
                            .to_owned(),
                    );
                    continue;
                }
            };
            let mut settings = Settings::default();
            let alert = notification_alert(&columns, row, &at);
            for ((name, _), (value, _)) in columns.iter().zip(&row.cells) {
                if let Some(Field::Known(read)) = field(name) {
                    read(&mut r, &mut settings, Val::Cell(value), at.child(name));
                }
            }
            settings.activation_alert = alert;
            // The export writes every rule of the role: an empty requirement is none.
            if settings.activation_requirement.is_none() {
                settings.activation_requirement = Some(Set {
                    value: Vec::new(),
                    at: at.child(column_name(&columns, "EnablementRules")),
                });
            }
            declared.push(Declared {
                origin: Origin::new(file, at),
                scope: Scope::Role(role),
                settings,
                id: cell("PolicyID").map(str::to_owned),
                tool: "EasyPIM",
            });
        }
        self.t.inventory.present.insert(Kind::RoleManagementPolicy);
        self.t
            .inventory
            .present
            .insert(Kind::RoleManagementPolicyAssignment);
        for d in declared {
            self.declared_policy(d);
        }
        true
    }
}

/// The column as the header spells it (for locations).
fn column_name<'c>(columns: &'c [(String, Pointer)], name: &'c str) -> &'c str {
    columns
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(name))
        .map_or(name, |(c, _)| c.as_str())
}

/// The activation alert of a CSV row: its three `Notification_Activation_Alert_*` cells.
fn notification_alert(
    columns: &[(String, Pointer)],
    row: &CsvRow,
    at: &Pointer,
) -> Option<Set<Alert>> {
    let get = |suffix: &str| {
        let name = format!("Notification_Activation_Alert_{suffix}");
        let p = columns
            .iter()
            .position(|(c, _)| c.eq_ignore_ascii_case(&name))?;
        Some((columns[p].0.as_str(), row.cells[p].0.trim()))
    };
    let (name, default) = get("isDefaultRecipientEnabled")?;
    let alert = Alert {
        default_recipients: match default.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        level: get("NotificationLevel")
            .map(|(_, v)| v.to_owned())
            .filter(|v| !v.is_empty()),
        recipients: get("Recipients")
            .map(|(_, v)| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
    };
    Some(Set {
        value: alert,
        at: at.child(name),
    })
}

/// A row of a CSV file: its cells (text unquoted, span as written) and its span.
struct CsvRow {
    cells: Vec<(String, Range<usize>)>,
    span: Range<usize>,
}

/// The records of a CSV text (RFC 4180: `,` separated, `"` quoted with `""` inside, CRLF or LF
/// line ends), blank lines and the `#TYPE` line of Windows PowerShell's `ConvertTo-Csv` left out.
/// Each cell keeps its byte range in the text, which the `csv` crate does not give.
fn csv_rows(text: &str) -> Vec<CsvRow> {
    let b = text.as_bytes();
    let mut rows = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let mut cells = Vec::new();
        loop {
            let cell_start = i;
            let mut value = String::new();
            if b.get(i) == Some(&b'"') {
                i += 1;
                let mut from = i;
                while i < b.len() {
                    if b[i] == b'"' {
                        value.push_str(&text[from..i]);
                        if b.get(i + 1) == Some(&b'"') {
                            value.push('"');
                            i += 2;
                            from = i;
                            continue;
                        }
                        i += 1;
                        from = i;
                        break;
                    }
                    i += 1;
                }
                // Anything between the closing quote and the separator is kept as written.
                while i < b.len() && !matches!(b[i], b',' | b'\n' | b'\r') {
                    i += 1;
                }
                value.push_str(&text[from.min(i)..i]);
            } else {
                while i < b.len() && !matches!(b[i], b',' | b'\n' | b'\r') {
                    i += 1;
                }
                value.push_str(&text[cell_start..i]);
            }
            cells.push((value, cell_start..i));
            if b.get(i) == Some(&b',') {
                i += 1;
                continue;
            }
            break;
        }
        let end = i;
        if b.get(i) == Some(&b'\r') {
            i += 1;
        }
        if b.get(i) == Some(&b'\n') {
            i += 1;
        }
        let blank = cells.len() == 1 && cells[0].0.trim().is_empty();
        let type_line = rows.is_empty() && text[start..end].starts_with("#TYPE");
        if !blank && !type_line {
            rows.push(CsvRow {
                cells,
                span: start..end,
            });
        }
        if i == start {
            break;
        }
    }
    rows
}

/// Role memberships and group schedules the configuration assigns, read before any is added.
#[derive(Default)]
struct Assignments {
    roles: Vec<RoleMembership>,
    groups: Vec<GroupSchedule>,
    role_sections: bool,
    group_sections: bool,
}

impl Assignments {
    fn add(self, loader: &mut Loader) {
        if self.role_sections {
            loader
                .t
                .inventory
                .present
                .insert(Kind::RoleEligibilitySchedule);
            loader
                .t
                .inventory
                .present
                .insert(Kind::RoleAssignmentSchedule);
        }
        if self.group_sections {
            loader
                .t
                .inventory
                .present
                .insert(Kind::GroupEligibilitySchedule);
            loader
                .t
                .inventory
                .present
                .insert(Kind::GroupAssignmentSchedule);
        }
        for m in self.roles {
            loader.count(match m.kind {
                MembershipKind::EligibilitySchedule => Kind::RoleEligibilitySchedule,
                _ => Kind::RoleAssignmentSchedule,
            });
            loader.t.role_memberships.push(m);
        }
        for g in self.groups {
            loader.count(if g.eligible {
                Kind::GroupEligibilitySchedule
            } else {
                Kind::GroupAssignmentSchedule
            });
            loader.t.group_schedules.push(g);
        }
    }
}

/// One principal's assignment as the configuration declares it.
struct Assigned {
    principal: String,
    at: Pointer,
    eligible: bool,
    schedule: ScheduleInfo,
}

impl Reading<'_> {
    fn unknown_role(&mut self, name: &str, at: &Pointer) {
        let message = format!(
            "`{name}` is not among the built-in roles entralint knows by name (a role it does not list, a custom role, or a misspelling): entralint does not read this entry"
        );
        self.say(at, message);
    }

    /// `EntraRoles.Policies` (an object by role name, or an array) or `EntraRolePolicies`.
    fn role_policies(
        &mut self,
        node: &Node,
        at: &Pointer,
        templates: &BTreeMap<String, (String, Settings)>,
        out: &mut Vec<Declared>,
    ) {
        match node {
            Node::Object(members) => {
                self.duplicates(members, at);
                for (name, entry) in members {
                    let entry_at = at.child(name);
                    let Some(role) = role_id(name) else {
                        self.unknown_role(name, &entry_at);
                        continue;
                    };
                    let settings = self.entry_settings(entry, &entry_at, templates, &[]);
                    out.push(Declared {
                        origin: Origin::new(self.file, entry_at),
                        scope: Scope::Role(role),
                        settings,
                        id: None,
                        tool: "EasyPIM",
                    });
                }
            }
            Node::Array(items) => {
                for (i, entry) in items.iter().enumerate() {
                    let entry_at = at.index(i);
                    let Some((k, Node::Str(name))) = entry.member("RoleName") else {
                        self.say(
                            &entry_at,
                            "this entry names no `RoleName`: entralint does not read it".to_owned(),
                        );
                        continue;
                    };
                    let Some(role) = role_id(name) else {
                        self.unknown_role(name, &entry_at.child(k));
                        continue;
                    };
                    let settings = self.entry_settings(entry, &entry_at, templates, &["RoleName"]);
                    out.push(Declared {
                        origin: Origin::new(self.file, entry_at),
                        scope: Scope::Role(role),
                        settings,
                        id: None,
                        tool: "EasyPIM",
                    });
                }
            }
            other => self.wrong(at, Val::Json(other), "an object or an array of policies"),
        }
    }

    /// `GroupRoles.Policies{<group id>: {Member | Owner: settings}}`.
    fn group_policies(
        &mut self,
        node: &Node,
        at: &Pointer,
        templates: &BTreeMap<String, (String, Settings)>,
        out: &mut Vec<Declared>,
    ) {
        let Node::Object(groups) = node else {
            return self.group_policy_list(node, at, templates, out);
        };
        self.duplicates(groups, at);
        for (group, roles) in groups {
            let group_at = at.child(group);
            let Node::Object(members) = roles else {
                self.wrong(
                    &group_at,
                    Val::Json(roles),
                    "an object of `Member` and `Owner` policies",
                );
                continue;
            };
            for (access, entry) in members {
                let entry_at = group_at.child(access);
                let Some(access) = group_access(access) else {
                    self.say(&entry_at, format!("`{access}` is neither `Member` nor `Owner`: entralint does not read it"));
                    continue;
                };
                if !is_guid(group) {
                    self.group_by_name(group, &entry_at);
                    continue;
                }
                let settings = self.entry_settings(entry, &entry_at, templates, &[]);
                out.push(Declared {
                    origin: Origin::new(self.file, entry_at),
                    scope: Scope::Group {
                        group: ObjectId::new(group),
                        access: access.to_owned(),
                    },
                    settings,
                    id: None,
                    tool: "EasyPIM",
                });
            }
        }
    }

    /// `GroupPolicies[{GroupId | GroupName, RoleName, PolicySource, …}]`.
    fn group_policy_list(
        &mut self,
        node: &Node,
        at: &Pointer,
        templates: &BTreeMap<String, (String, Settings)>,
        out: &mut Vec<Declared>,
    ) {
        let Node::Array(items) = node else {
            self.wrong(at, Val::Json(node), "an array of group policies");
            return;
        };
        for (i, entry) in items.iter().enumerate() {
            let entry_at = at.index(i);
            let text = |k: &str| match entry.member(k) {
                Some((_, Node::Str(s))) => Some(s.trim().to_owned()),
                _ => None,
            };
            let Some(access) = text("RoleName").as_deref().and_then(group_access) else {
                self.say(&entry_at, "this entry's `RoleName` is neither `Member` nor `Owner`: entralint does not read it".to_owned());
                continue;
            };
            let Some(group) = text("GroupId").filter(|g| is_guid(g)) else {
                let name = text("GroupName").or(text("GroupId")).unwrap_or_default();
                self.group_by_name(&name, &entry_at);
                continue;
            };
            let skip = ["RoleName", "GroupId", "GroupName"];
            let settings = self.entry_settings(entry, &entry_at, templates, &skip);
            out.push(Declared {
                origin: Origin::new(self.file, entry_at),
                scope: Scope::Group {
                    group: ObjectId::new(&group),
                    access: access.to_owned(),
                },
                settings,
                id: None,
                tool: "EasyPIM",
            });
        }
    }

    fn group_by_name(&mut self, name: &str, at: &Pointer) {
        let message = format!(
            "group `{name}` is named, not given by id: EasyPIM looks it up in the tenant, entralint cannot, and does not read this policy"
        );
        self.say(at, message);
    }

    /// The settings of a role or group entry: its template's, overridden by its own.
    /// `own` lists the entry's members that are no settings (`RoleName`, `GroupId`).
    fn entry_settings(
        &mut self,
        entry: &Node,
        at: &Pointer,
        templates: &BTreeMap<String, (String, Settings)>,
        own: &[&str],
    ) -> Settings {
        if !matches!(entry, Node::Object(_)) {
            self.wrong(at, Val::Json(entry), "an object");
            return Settings::default();
        }
        let template = ["Template", "PolicyTemplate"]
            .iter()
            .find_map(|k| entry.member(k));
        let mut skip = vec![
            "Template",
            "PolicyTemplate",
            "PolicySource",
            "Policy",
            "Scope",
        ];
        skip.extend_from_slice(own);
        let mut settings = self.settings(entry, at, &skip);
        if let Some((k, policy)) = entry.member("Policy") {
            let inline = self.settings(policy, &at.child(k), &[]);
            settings = settings.overridden_by(inline);
        }
        let Some((k, template)) = template else {
            return settings;
        };
        let Node::Str(name) = template else {
            self.wrong(&at.child(k), Val::Json(template), "a template's name");
            return settings;
        };
        match templates.get(&name.trim().to_ascii_lowercase()) {
            Some((_, base)) => base.clone().overridden_by(settings),
            None => {
                let message = format!(
                    "template `{name}` is not among `PolicyTemplates`: EasyPIM stops on it; entralint reads this entry's own settings only"
                );
                self.say(&at.child(k), message);
                settings
            }
        }
    }

    /// The schedule of an assignment: permanent, for a duration, or until the role policy's
    /// maximum (what EasyPIM asks for when it names neither).
    fn schedule(&mut self, entry: &Node, at: &Pointer) -> ScheduleInfo {
        let permanent = entry
            .member("permanent")
            .and_then(|(k, v)| self.boolean(Val::Json(v), &at.child(k)))
            .unwrap_or(false);
        let duration = entry
            .member("duration")
            .and_then(|(k, v)| self.text(Val::Json(v), &at.child(k)));
        let expiration = if permanent {
            Expiration {
                kind: Some("noExpiration".to_owned()),
                ..Default::default()
            }
        } else if let Some(d) = duration {
            Expiration {
                kind: Some("afterDuration".to_owned()),
                duration: Some(d),
                ..Default::default()
            }
        } else {
            // The end is the role policy's maximum, fixed when EasyPIM applies it.
            Expiration {
                kind: Some("afterDateTime".to_owned()),
                ..Default::default()
            }
        };
        ScheduleInfo {
            start_date_time: None,
            expiration: Some(expiration),
        }
    }

    /// The principals of an assignment entry: `principalId`, or the flat layout's `PrincipalIds`.
    fn principals(&mut self, entry: &Node, at: &Pointer, eligible: bool, out: &mut Vec<Assigned>) {
        let schedule = self.schedule(entry, at);
        if let Some((k, Node::Str(id))) = entry.member("principalId") {
            out.push(Assigned {
                principal: id.trim().to_owned(),
                at: at.child(k),
                eligible,
                schedule: schedule.clone(),
            });
        }
        if let Some((k, Node::Array(ids))) = entry.member("PrincipalIds") {
            for (i, id) in ids.iter().enumerate() {
                if let Node::Str(id) = id {
                    out.push(Assigned {
                        principal: id.trim().to_owned(),
                        at: at.child(k).index(i),
                        eligible,
                        schedule: schedule.clone(),
                    });
                }
            }
        }
        if entry.member("principalId").is_none() && entry.member("PrincipalIds").is_none() {
            self.say(
                at,
                "this assignment names no `principalId`: entralint does not read it".to_owned(),
            );
        }
    }

    /// Whether an entry is eligible: `assignmentType` (`Eligible` unless `Active`), or the section.
    fn eligible(entry: &Node, section: Option<bool>) -> bool {
        match entry.member("assignmentType") {
            Some((_, Node::Str(t))) => !t.trim().eq_ignore_ascii_case("Active"),
            _ => section.unwrap_or(true),
        }
    }

    /// `Assignments{EntraRoles, Groups | GroupRoles, AzureRoles}`.
    fn assignment_sections(&mut self, node: &Node, at: &Pointer, out: &mut Assignments) {
        let Node::Object(members) = node else {
            self.wrong(at, Val::Json(node), "an object");
            return;
        };
        self.duplicates(members, at);
        for (k, v) in members {
            let s_at = at.child(k);
            match k.to_ascii_lowercase().as_str() {
                "entraroles" => self.role_assignments(v, &s_at, None, out),
                "groups" | "grouproles" => self.group_assignments(v, &s_at, None, out),
                "azureroles" => {}
                _ => self.say(&s_at, format!("`Assignments.{k}` is not a section EasyPIM reads: entralint does not read it")),
            }
        }
    }

    /// `[{roleName, assignments[…]}]`, or the flat layout's `[{Rolename, PrincipalId(s), …}]`
    /// (`section` says whether the flat section is the eligible or the active one).
    fn role_assignments(
        &mut self,
        node: &Node,
        at: &Pointer,
        section: Option<bool>,
        out: &mut Assignments,
    ) {
        out.role_sections = true;
        let Node::Array(items) = node else {
            self.wrong(at, Val::Json(node), "an array of assignments");
            return;
        };
        for (i, entry) in items.iter().enumerate() {
            let entry_at = at.index(i);
            let Some((rk, Node::Str(name))) = entry.member("roleName") else {
                self.say(
                    &entry_at,
                    "this entry names no `roleName`: entralint does not read it".to_owned(),
                );
                continue;
            };
            let Some(role) = role_id(name) else {
                self.unknown_role(name, &entry_at.child(rk));
                continue;
            };
            let mut assigned = Vec::new();
            match entry.member("assignments") {
                Some((k, Node::Array(list))) => {
                    for (j, a) in list.iter().enumerate() {
                        let a_at = entry_at.child(k).index(j);
                        let eligible = Self::eligible(a, None);
                        self.principals(a, &a_at, eligible, &mut assigned);
                    }
                }
                Some((k, other)) => self.wrong(&entry_at.child(k), Val::Json(other), "an array"),
                None => {
                    let eligible = Self::eligible(entry, section);
                    self.principals(entry, &entry_at, eligible, &mut assigned);
                }
            }
            for a in assigned {
                out.roles.push(RoleMembership {
                    origin: Origin::new(self.file, a.at),
                    kind: if a.eligible {
                        MembershipKind::EligibilitySchedule
                    } else {
                        MembershipKind::AssignmentSchedule
                    },
                    principal_id: Some(ObjectId::new(&a.principal)),
                    role_definition_id: Some(role.clone()),
                    directory_scope_id: Some("/".to_owned()),
                    member_type: Some("Direct".to_owned()),
                    assignment_type: (!a.eligible).then(|| "Assigned".to_owned()),
                    schedule_info: Some(a.schedule),
                    ..Default::default()
                });
            }
        }
    }

    /// `[{groupId, roleName: Member | Owner, assignments[…]}]`, or the flat layout's
    /// `[{GroupId, Rolename, PrincipalId(s), …}]`.
    fn group_assignments(
        &mut self,
        node: &Node,
        at: &Pointer,
        section: Option<bool>,
        out: &mut Assignments,
    ) {
        out.group_sections = true;
        let Node::Array(items) = node else {
            self.wrong(at, Val::Json(node), "an array of assignments");
            return;
        };
        for (i, entry) in items.iter().enumerate() {
            let entry_at = at.index(i);
            let Some((_, Node::Str(group))) = entry.member("groupId") else {
                self.say(
                    &entry_at,
                    "this entry names no `groupId`: entralint does not read it".to_owned(),
                );
                continue;
            };
            let access = match entry.member("roleName") {
                Some((_, Node::Str(r))) => group_access(r),
                _ => Some("member"),
            };
            let Some(access) = access else {
                self.say(&entry_at, "this entry's `roleName` is neither `Member` nor `Owner`: entralint does not read it".to_owned());
                continue;
            };
            let mut assigned = Vec::new();
            match entry.member("assignments") {
                Some((k, Node::Array(list))) => {
                    for (j, a) in list.iter().enumerate() {
                        let a_at = entry_at.child(k).index(j);
                        let eligible = Self::eligible(a, None);
                        self.principals(a, &a_at, eligible, &mut assigned);
                    }
                }
                Some((k, other)) => self.wrong(&entry_at.child(k), Val::Json(other), "an array"),
                None => {
                    let eligible = Self::eligible(entry, section);
                    self.principals(entry, &entry_at, eligible, &mut assigned);
                }
            }
            for a in assigned {
                out.groups.push(GroupSchedule {
                    origin: Origin::new(self.file, a.at),
                    eligible: a.eligible,
                    group_id: Some(ObjectId::new(group.trim())),
                    principal_id: Some(ObjectId::new(&a.principal)),
                    access_id: Some(access.to_owned()),
                    member_type: Some("direct".to_owned()),
                    assignment_type: (!a.eligible).then(|| "assigned".to_owned()),
                    schedule_info: Some(a.schedule),
                    ..Default::default()
                });
            }
        }
    }
}

/// `member` or `owner`, from EasyPIM's `Member`/`Owner`.
fn group_access(name: &str) -> Option<&'static str> {
    match name.trim().to_ascii_lowercase().as_str() {
        "member" => Some("member"),
        "owner" => Some("owner"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_keep_their_places() {
        let text = "#TYPE System.Management.Automation.PSCustomObject\r\n\"RoleName\",\"EnablementRules\"\r\n\"Global Administrator\",\"MultiFactorAuthentication,Justification\"\r\n\r\nx,\"a \"\"q\"\"\"\n";
        let rows = csv_rows(text);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].cells[1].0, "EnablementRules");
        let (value, range) = &rows[1].cells[1];
        assert_eq!(value, "MultiFactorAuthentication,Justification");
        assert_eq!(
            &text[range.clone()],
            "\"MultiFactorAuthentication,Justification\""
        );
        assert_eq!(rows[2].cells[1].0, "a \"q\"");
        assert!(is_csv(text));
        assert!(!is_csv("{\"RoleName\": 1}"));
        // Names compare ignoring case and the spaces around them; RoleName must come first.
        assert!(is_csv("\n rolename , Foo, \"ENABLEMENTRULES\" \nx,y,z"));
        assert!(!is_csv("EnablementRules,RoleName\n"));
        assert!(!is_csv("RoleName,ActivationDuration\n"));
    }

    #[test]
    fn roles_resolve_by_name_or_id() {
        assert_eq!(
            role_id("global administrator").unwrap().as_str(),
            "62e90394-69f5-4237-9190-012177145e10"
        );
        assert!(role_id("Contoso Custom Role").is_none());
        assert!(role_id("fe930be7-5e62-47db-91af-98c3a49a38b1").is_some());
    }
}
