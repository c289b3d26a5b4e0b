//! Microsoft365DSC configurations: what `Export-M365DSCConfiguration` writes
//! (`M365TenantConfig.ps1`, with `ConfigurationData.psd1` beside it) and what engineers keep in
//! policy-as-code repositories, read with [`crate::powershell`] and mapped onto the model through
//! the same Microsoft365DSC vocabulary as tenant configuration management's snapshots
//! ([`crate::dsc`]); each finding lands on the line of the property that causes it.
//!
//! - `AADConditionalAccessPolicy`, `AADAuthenticationStrengthPolicy`,
//!   `AADAuthenticationContextClassReference`, `AADNamedLocationPolicy` and `AADRoleDefinition`
//!   become the Graph objects they configure;
//! - `AADRoleSetting` (the PIM settings of a directory role, `MSFT_AADRoleSetting.schema.mof`)
//!   becomes the role's PIM policy, each setting the rule Graph stores it in
//!   ([`super::pim_settings`]), `AADRoleEligibilityScheduleRequest` who is eligible for it and
//!   `AADRoleAssignmentScheduleRequest` who holds it;
//!   `AADRoleManagementPolicyRule` writes one rule of a role's policy at a time, in Graph's terms;
//! - `AADPIMGroupSetting` (the same settings, for a group's members or owners) becomes the
//!   group's PIM for Groups policy, and `AADGroupEligibilitySchedule` who is eligible for it;
//! - resources of other types are named in one finding per file, and a resource declared
//!   `Ensure = "Absent"` is not part of the tenant the configuration makes.
//!
//! The JSON report `New-M365DSCReportFromConfiguration -Type JSON` writes of a configuration (an
//! array of `{ResourceName, ResourceInstanceName, <parameter>: value}`) is read the same way.
//!
//! Microsoft365DSC writes references as names (users by UPN, groups, roles, locations,
//! strengths and contexts by display name) and drops, with a log line, the ids it cannot
//! resolve on export (`MSFT_AADConditionalAccessPolicy.psm1`, `Get-TargetResource`): an excluded
//! account deleted since is simply absent from the file. `$OrganizationName` is the
//! `NonNodeData.OrganizationName` of the `ConfigurationData.psd1` in the same folder; a value
//! entralint does not evaluate (a variable it does not know, a call, a loop) is read as unknown
//! and reported once per file, never guessed.

use super::hcl::NOT_EVALUATED;
use super::pim_settings::{approver, role_id, Alert, Declared, Scope, Set, Settings};
use super::{Doc, Loader};
use crate::dsc::{self, Resource};
use crate::id::ObjectId;
use crate::json::{self, Findings, Top, TopValue};
use crate::kinds::Kind;
use crate::model::roles::RawRule;
use crate::model::{
    DirectoryObject, EnablementRequirement, Expiration, MembershipKind, RoleMembership,
    ScheduleInfo,
};
use crate::origin::{FileId, Origin, Pointer};
use crate::powershell::{self, entry, Ps, Script};
use crate::tenant::{IssueAt, IssueKind};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// What names the PIM policies Microsoft365DSC declares (`M365DSC_<role template id>`).
const TOOL: &str = "M365DSC";

/// The CIM instances of an `AADRoleManagementPolicyRule` that hold its rule's settings, under
/// Graph's own member names (`MSFT_AADRoleManagementPolicyRule.schema.mof`).
const RULE_SETTINGS: [&str; 5] = [
    "expirationRule",
    "notificationRule",
    "enablementRule",
    "approvalRule",
    "authenticationContextRule",
];

/// Parameters that say how Microsoft365DSC connects to the tenant, not what it configures.
const CONNECTION: [&str; 10] = [
    "Credential",
    "ApplicationId",
    "TenantId",
    "CertificateThumbprint",
    "CertificatePath",
    "CertificatePassword",
    "ApplicationSecret",
    "ManagedIdentity",
    "AccessTokens",
    "PsDscRunAsCredential",
];

/// Whether a path names a PowerShell script (`.ps1`).
pub(super) fn is_script(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".ps1")
}

/// Whether a path names a PowerShell data file (`.psd1`).
pub(super) fn is_data(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".psd1")
}

/// Whether the elements of a document's root array are a Microsoft365DSC report
/// (`New-M365DSCReportFromConfiguration -Type JSON`): objects naming their `ResourceName` and
/// `ResourceInstanceName`.
pub(super) fn is_report(items: &[&serde_json::value::RawValue]) -> bool {
    let Some(first) = items.first() else {
        return false;
    };
    matches!(json::parse_top(first.get()), Ok(Top::Object(m))
        if matches!(json::member(&m, "ResourceName"), Some((_, TopValue::Str(_))))
            && json::member(&m, "ResourceInstanceName").is_some())
}

/// A parsed script, read once every file of the run is parsed (its `ConfigurationData.psd1`
/// may come after it).
pub(super) struct DscScript {
    file: FileId,
    folder: String,
    text: Arc<String>,
    script: Script,
}

fn folder_of(path: &str) -> String {
    path.rsplit_once('/').map_or("", |(d, _)| d).to_owned()
}

/// A value with the cells it spans.
struct Reading<'a> {
    text: &'a str,
    organization: Option<&'a str>,
    cells: &'a mut BTreeMap<String, Range<usize>>,
    not_evaluated: Vec<(Pointer, String)>,
    unknown_variables: Vec<(Pointer, String)>,
}

impl Reading<'_> {
    fn value(&mut self, v: &Ps, at: &Pointer) -> Value {
        self.cells.insert(at.as_str().to_owned(), v.span());
        match v {
            Ps::Str {
                value, variables, ..
            } => {
                let mut value = value.clone();
                for var in variables {
                    match (
                        var.eq_ignore_ascii_case("OrganizationName"),
                        self.organization,
                    ) {
                        (true, Some(org)) => {
                            value = value.replace(&format!("${var}"), org);
                        }
                        _ => self.unknown_variables.push((at.clone(), var.clone())),
                    }
                }
                Value::String(value)
            }
            Ps::Bool(b, _) => Value::Bool(*b),
            Ps::Null(_) => Value::Null,
            Ps::Number(n, _) => Value::Number(n.clone()),
            Ps::Array(items, _) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| self.value(x, &at.index(i)))
                    .collect(),
            ),
            Ps::Table { entries, .. } => Value::Object(self.table(entries, at)),
            Ps::Variable(name, span) => {
                if name.eq_ignore_ascii_case("OrganizationName") {
                    if let Some(org) = self.organization {
                        return Value::String(org.to_owned());
                    }
                }
                self.not_evaluated
                    .push((at.clone(), format!("`{}`", &self.text[span.clone()])));
                Value::String(NOT_EVALUATED.to_owned())
            }
            Ps::Unknown(what, _) => {
                self.not_evaluated.push((at.clone(), (*what).to_owned()));
                Value::String(NOT_EVALUATED.to_owned())
            }
        }
    }

    /// Entries of a table or a resource, keys with their first letter lower-cased as the loader
    /// reads every key; connection parameters left out.
    fn table(&mut self, entries: &[powershell::Property], at: &Pointer) -> Map<String, Value> {
        let mut out = Map::new();
        for p in entries {
            if CONNECTION.iter().any(|c| c.eq_ignore_ascii_case(&p.key)) {
                continue;
            }
            let key = lower_first(&p.key);
            let at = at.child(&key);
            let value = self.value(&p.value, &at);
            out.insert(key, value);
        }
        out
    }
}

/// Whether a script that does not parse was meant as a DSC configuration: it imports a DSC
/// resource, or a line opens with the `Configuration` keyword and a name.
fn looks_like_configuration(text: &str) -> bool {
    text.to_ascii_lowercase().contains("import-dscresource")
        || text.lines().any(|line| {
            let mut words = line.split_whitespace();
            words
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case("configuration"))
                && words.next().is_some_and(|name| {
                    name.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '{')
                })
        })
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Loader {
    /// Parses a `.ps1` file; it is read with the `ConfigurationData.psd1` of its folder when the
    /// run ends.
    pub(super) fn dsc_parse(&mut self, file: FileId, text: Arc<String>) {
        match powershell::parse_script(&text) {
            Ok(script) => {
                let folder = folder_of(self.t.sources.file(file).path_inside());
                self.dsc_scripts.push(DscScript {
                    file,
                    folder,
                    text,
                    script,
                });
            }
            // A script that neither imports a DSC resource nor declares a `Configuration` is not
            // a configuration: listed as unrecognised, whatever PowerShell it holds.
            Err(_) if !looks_like_configuration(&text) => self.done(file, false),
            Err(e) => {
                let message = format!(
                    "invalid PowerShell, or PowerShell outside what a Microsoft365DSC configuration is written in: {}",
                    e.message
                );
                self.issue(
                    IssueKind::Unreadable,
                    file,
                    IssueAt::Offset(e.offset),
                    message,
                );
            }
        }
    }

    /// Reads a `.psd1` file: a configuration's data, whose `NonNodeData.OrganizationName` the
    /// configurations of its folder use.
    pub(super) fn dsc_data(&mut self, file: FileId, text: &str) {
        let data = match powershell::parse_data(text) {
            Ok(d) => d,
            // A data file that is no configuration's (a module manifest): unrecognised.
            Err(_) if !text.to_ascii_lowercase().contains("nonnodedata") => {
                return self.done(file, false)
            }
            Err(e) => {
                let message = format!("invalid PowerShell data file: {}", e.message);
                self.issue(
                    IssueKind::Unreadable,
                    file,
                    IssueAt::Offset(e.offset),
                    message,
                );
                return;
            }
        };
        let Ps::Table { entries, .. } = &data else {
            return self.done(file, false);
        };
        // `NonNodeData = @( @{ OrganizationName = "…" } )`, or the table itself.
        let organization = match entry(entries, "NonNodeData") {
            Some(Ps::Array(items, _)) => items.iter().find_map(|i| match i {
                Ps::Table { entries, .. } => entry(entries, "OrganizationName"),
                _ => None,
            }),
            Some(Ps::Table { entries, .. }) => entry(entries, "OrganizationName"),
            _ => None,
        };
        let recognized = entry(entries, "NonNodeData").is_some();
        if let Some(Ps::Str { value, .. }) = organization {
            let folder = folder_of(self.t.sources.file(file).path_inside());
            self.dsc_organizations.insert(folder, value.clone());
        }
        self.done(file, recognized);
    }

    /// Reads the parsed configurations.
    pub(super) fn dsc_read_all(&mut self) {
        let scripts = std::mem::take(&mut self.dsc_scripts);
        for s in &scripts {
            self.dsc_read(s);
        }
    }

    fn dsc_read(&mut self, s: &DscScript) {
        let file = s.file;
        if !s.script.configuration {
            // A script that is not a configuration: listed as unrecognised.
            return self.done(file, false);
        }
        // `$OrganizationName = $ConfigurationData.NonNodeData.OrganizationName`, or a literal.
        let mut organization = None;
        for (name, value) in &s.script.assignments {
            if !name.eq_ignore_ascii_case("OrganizationName") {
                continue;
            }
            organization = match value {
                Ps::Str { value, .. } => Some(value.clone()),
                Ps::Variable(v, _)
                    if v.eq_ignore_ascii_case("ConfigurationData.NonNodeData.OrganizationName") =>
                {
                    self.dsc_organizations.get(&s.folder).cloned()
                }
                _ => None,
            };
        }
        let mut cells = BTreeMap::new();
        let mut r = Reading {
            text: &s.text,
            organization: organization.as_deref(),
            cells: &mut cells,
            not_evaluated: Vec::new(),
            unknown_variables: Vec::new(),
        };
        let mut resources = Vec::new();
        let mut unread: BTreeMap<String, usize> = BTreeMap::new();
        let mut absent = Vec::new();
        // PowerShell DSC refuses two resources of one type under one name (a duplicate resource
        // identifier): the second is named, and not read.
        let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut duplicates = Vec::new();
        for b in &s.script.blocks {
            let identifier = (
                b.resource.to_ascii_lowercase(),
                b.instance.to_ascii_lowercase(),
            );
            if let Some(first) = seen.get(&identifier) {
                let at =
                    Pointer::root().child(&format!("(duplicate at {})", b.resource_span.start));
                r.cells
                    .insert(at.as_str().to_owned(), b.resource_span.clone());
                let line = self.t.sources.line_col(file, *first).line;
                duplicates.push((at, format!(
                    "{} '{}' is declared a second time (first on line {line}): PowerShell DSC refuses a configuration with a duplicate resource identifier; this one is not read",
                    b.resource, b.instance
                )));
                continue;
            }
            seen.insert(identifier, b.resource_span.start);
            let at = Pointer::root().child(&b.resource).child(&b.instance);
            r.cells
                .insert(at.as_str().to_owned(), b.resource_span.clone());
            let Some(what) = What::of(&b.resource) else {
                *unread.entry(b.resource.clone()).or_default() += 1;
                continue;
            };
            let properties = r.table(&b.properties, &at);
            if is_absent(&properties) {
                absent.push((at, b.resource.as_str(), b.instance.as_str()));
                continue;
            }
            resources.push((what, at, properties));
        }
        let not_evaluated = std::mem::take(&mut r.not_evaluated);
        let unknown_variables = std::mem::take(&mut r.unknown_variables);
        // The resources' own spans, and the statements outside the subset.
        for o in &s.script.outside {
            cells.insert(format!("/(statement at {})", o.span.start), o.span.clone());
        }
        self.t.sources.set_cells(file, cells);
        for (what, at, properties) in resources {
            self.dsc_resource(file, what, &at, &properties, dsc::Lists::ArrayOrOne);
        }
        for (at, resource, instance) in absent {
            self.dsc_absent(file, at, resource, instance);
        }
        for (at, message) in duplicates {
            self.issue(IssueKind::Unreadable, file, IssueAt::Pointer(at), message);
        }
        for o in &s.script.outside {
            let message = format!(
                "{} is outside what entralint evaluates in a Microsoft365DSC configuration: the resources it would declare are not read, not guessed",
                o.what
            );
            let at = Pointer::root().child(&format!("(statement at {})", o.span.start));
            self.issue(IssueKind::Translated, file, IssueAt::Pointer(at), message);
        }
        if let Some((first, _)) = not_evaluated.first() {
            let n = not_evaluated.len();
            let mut kinds: Vec<&str> = not_evaluated.iter().map(|(_, w)| w.as_str()).collect();
            kinds.sort_unstable();
            kinds.dedup();
            let shown: Vec<&str> = kinds.iter().take(4).copied().collect();
            let message = format!(
                "{n} value{} of this configuration {} not statically evaluable ({}{}): {} read as unknown, not guessed",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" },
                shown.join(", "),
                if kinds.len() > 4 { ", …" } else { "" },
                if n == 1 { "it is" } else { "they are" },
            );
            self.issue(
                IssueKind::Translated,
                file,
                IssueAt::Pointer(first.clone()),
                message,
            );
        }
        if let Some((first, _)) = unknown_variables.first() {
            let mut names: Vec<&str> = unknown_variables.iter().map(|(_, v)| v.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            let names: Vec<String> = names.iter().map(|v| format!("`${v}`")).collect();
            let why = if organization.is_none()
                && names
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case("`$OrganizationName`"))
            {
                " (`$OrganizationName` comes from `NonNodeData.OrganizationName` of a ConfigurationData.psd1 beside the configuration, and none was read)"
            } else {
                ""
            };
            let message = format!(
                "{} value{} of this configuration hold{} {}, which entralint does not know{why}: {}",
                unknown_variables.len(),
                if unknown_variables.len() == 1 { "" } else { "s" },
                if unknown_variables.len() == 1 { "s" } else { "" },
                names.join(", "),
                if unknown_variables.len() == 1 {
                    "it is read as written, so the name it holds matches no declared account or object"
                } else {
                    "they are read as written, so the names they hold match no declared account or object"
                },
            );
            self.issue(
                IssueKind::Translated,
                file,
                IssueAt::Pointer(first.clone()),
                message,
            );
        }
        let first_unread = s
            .script
            .blocks
            .iter()
            .find(|b| unread.contains_key(&b.resource))
            .map(|b| Pointer::root().child(&b.resource).child(&b.instance));
        self.dsc_unread(file, "configuration", &unread, first_unread);
        self.done(file, true);
    }

    /// Reads a Microsoft365DSC report: an array of `{ResourceName, ResourceInstanceName,
    /// <parameter>: value}`, CIM instances as objects (Microsoft365DSC's `M365DSCReport.psm1`,
    /// through DSCParser). Each finding lands on the member of the element.
    pub(super) fn dsc_report(
        &mut self,
        doc: Doc<'_>,
        items: Vec<&serde_json::value::RawValue>,
    ) -> bool {
        let file = doc.file;
        let mut unread: BTreeMap<String, usize> = BTreeMap::new();
        let mut first_unread = None;
        for (i, raw) in items.into_iter().enumerate() {
            let at = Pointer::root().index(i);
            let mut findings = Findings::default();
            let value = match json::parse_value(raw.get(), &at, &mut findings) {
                Ok(v) => v,
                // Nesting too deep: read the careful way, which reports it.
                Err(_) => match self.read(file, doc.text, raw.get(), at.clone()) {
                    Some(v) => v,
                    None => continue,
                },
            };
            self.record(file, findings);
            let Value::Object(mut p) = value else {
                let message =
                    "this element of the report is not a resource: it is not read".to_owned();
                self.issue(IssueKind::Unreadable, file, IssueAt::Pointer(at), message);
                continue;
            };
            let name = |v: Option<Value>| match v {
                Some(Value::String(s)) => s,
                _ => String::new(),
            };
            let resource = name(p.remove("resourceName"));
            let instance = name(p.remove("resourceInstanceName"));
            let Some(what) = What::of(&resource) else {
                first_unread.get_or_insert_with(|| at.clone());
                *unread.entry(resource).or_default() += 1;
                continue;
            };
            if is_absent(&p) {
                self.dsc_absent(file, at, &resource, &instance);
                continue;
            }
            self.dsc_resource(file, what, &at, &p, dsc::Lists::ArrayOrOne);
        }
        self.dsc_unread(file, "report", &unread, first_unread);
        true
    }

    /// Reads one resource of a type entralint reads, its lists written as `lists` says.
    pub(super) fn dsc_resource(
        &mut self,
        file: FileId,
        what: What,
        at: &Pointer,
        p: &Map<String, Value>,
        lists: dsc::Lists,
    ) {
        self.t.inventory.references_dropped.insert(file);
        match what {
            What::Mapped(resource) => {
                let mapped = dsc::map(resource, p, lists);
                self.dsc_mapped(file, resource, at, mapped);
            }
            What::RoleSetting => self.dsc_role_setting(file, at, p),
            What::GroupSetting => self.dsc_group_setting(file, at, p),
            What::PolicyRule => self.dsc_policy_rule(file, at, p),
            What::Eligibility => {
                self.dsc_membership(file, at, p, MembershipKind::EligibilitySchedule)
            }
            What::Assignment => {
                self.dsc_membership(file, at, p, MembershipKind::AssignmentSchedule)
            }
            What::GroupEligibility => self.dsc_group_eligibility(file, at, p),
        }
    }

    fn dsc_absent(&mut self, file: FileId, at: Pointer, resource: &str, instance: &str) {
        let message = format!(
            "{resource} '{instance}' is declared `Ensure = \"Absent\"` (or `Action = \"adminRemove\"`): it is not part of the tenant this configuration makes, and is not checked"
        );
        self.issue(IssueKind::Translated, file, IssueAt::Pointer(at), message);
    }

    /// One finding naming the resources of types entralint does not read, on the first of them.
    fn dsc_unread(
        &mut self,
        file: FileId,
        container: &str,
        unread: &BTreeMap<String, usize>,
        at: Option<Pointer>,
    ) {
        if unread.is_empty() {
            return;
        }
        let n: usize = unread.values().sum();
        let types: Vec<String> = unread.iter().map(|(ty, n)| format!("{n} `{ty}`")).collect();
        let message = format!(
            "{n} resource{} of this {container} {} of types entralint does not read, and {} not checked: {}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" },
            if n == 1 { "is" } else { "are" },
            types.join(", ")
        );
        let at = at.unwrap_or_else(Pointer::root);
        self.issue(IssueKind::Unread, file, IssueAt::Pointer(at), message);
    }

    /// `AADRoleSetting`: the PIM policy of the directory role it names (`Id`, the role's template
    /// id, or `Displayname`), from the settings `MSFT_AADRoleSetting.schema.mof` declares.
    fn dsc_role_setting(&mut self, file: FileId, at: &Pointer, p: &Map<String, Value>) {
        let text = |name: &str| text_member(p, at, name);
        let role = text("Id")
            .and_then(|id| role_id(&id.value))
            .or_else(|| text("Displayname").and_then(|n| role_id(&n.value)));
        let Some(role) = role else {
            let named = text("Displayname")
                .or_else(|| text("Id"))
                .map_or_else(|| "no role".to_owned(), |n| format!("`{}`", n.value));
            let message = format!(
                "AADRoleSetting names {named}, which is not a built-in directory role by id or name: its PIM settings are not read"
            );
            self.issue(
                IssueKind::Unreadable,
                file,
                IssueAt::Pointer(at.clone()),
                message,
            );
            return;
        };
        self.dsc_pim_setting(file, at, p, Scope::Role(role));
    }

    /// `AADPIMGroupSetting`: the PIM for Groups policy of the members (or owners,
    /// `RoleDefinitionId`) of the group it names by `DisplayName`, from the settings
    /// `MSFT_AADPIMGroupSetting.schema.mof` declares (those of `AADRoleSetting`). The group is
    /// known by its display name, as every other reference of the configuration.
    fn dsc_group_setting(&mut self, file: FileId, at: &Pointer, p: &Map<String, Value>) {
        let Some(group) = text_member(p, at, "DisplayName") else {
            let message =
                "AADPIMGroupSetting names no group (`DisplayName`): its PIM settings are not read"
                    .to_owned();
            self.issue(
                IssueKind::Unreadable,
                file,
                IssueAt::Pointer(at.clone()),
                message,
            );
            return;
        };
        let access = text_member(p, at, "RoleDefinitionId")
            .map_or_else(|| "member".to_owned(), |a| a.value.to_ascii_lowercase());
        let scope = Scope::Group {
            group: ObjectId::new(&group.value),
            access,
        };
        self.dsc_pim_setting(file, at, p, scope);
    }

    /// The PIM policy the settings of an `AADRoleSetting` or `AADPIMGroupSetting` declare.
    fn dsc_pim_setting(
        &mut self,
        file: FileId,
        at: &Pointer,
        p: &Map<String, Value>,
        scope: Scope,
    ) {
        let get = |name: &str| member(p, at, name);
        let text = |name: &str| text_member(p, at, name);
        let flag = |name: &str| match get(name) {
            Some((at, Value::Bool(b))) => Some(Set { value: *b, at }),
            _ => None,
        };
        // Older Microsoft365DSC versions write the activation's maximum in hours ("8").
        let activation_duration = text("ActivationMaxDuration").map(|d| Set {
            value: if d.value.chars().all(|c| c.is_ascii_digit()) {
                format!("PT{}H", d.value)
            } else {
                d.value
            },
            at: d.at,
        });
        let requirements = |pairs: [(&str, EnablementRequirement); 3]| {
            let mut place = None;
            let mut out = Vec::new();
            for (name, req) in pairs {
                if let Some(f) = flag(name) {
                    place.get_or_insert(f.at);
                    if f.value {
                        out.push(req);
                    }
                }
            }
            place.map(|at| Set { value: out, at })
        };
        let activation_requirement = requirements([
            (
                "ActivationReqMFA",
                EnablementRequirement::MultiFactorAuthentication,
            ),
            (
                "ActivationReqJustification",
                EnablementRequirement::Justification,
            ),
            ("ActivationReqTicket", EnablementRequirement::Ticketing),
        ]);
        let active_assignment_requirement = requirements([
            (
                "AssignmentReqMFA",
                EnablementRequirement::MultiFactorAuthentication,
            ),
            (
                "AssignmentReqJustification",
                EnablementRequirement::Justification,
            ),
            ("AssignmentReqTicket", EnablementRequirement::Ticketing),
        ]);
        let context_enabled = flag("AuthenticationContextRequired");
        let context_value = text("AuthenticationContextId");
        let approval_required = flag("ApprovaltoActivate");
        let approvers = match get("ActivateApprover") {
            // UPNs or group display names (`Get-TargetResource`).
            Some((at, Value::Array(items))) => Some(Set {
                value: items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|n| approver(n, Some(n), (!n.contains('@')).then_some("group")))
                    .collect(),
                at,
            }),
            _ => None,
        };
        // `Permanent…isExpirationRequired` holds Graph's `isExpirationRequired`
        // (`Get-TargetResource`), whatever its description says.
        let permanent_eligibility =
            flag("PermanentEligibleAssignmentisExpirationRequired").map(|f| Set {
                value: !f.value,
                at: f.at,
            });
        let eligibility_duration = text("ExpireEligibleAssignment");
        let permanent_active = flag("PermanentActiveAssignmentisExpirationRequired").map(|f| Set {
            value: !f.value,
            at: f.at,
        });
        let active_duration = text("ExpireActiveAssignment");
        let default = flag("EligibleAssignmentAlertNotificationDefaultRecipient");
        let critical = flag("EligibleAssignmentAlertNotificationOnlyCritical");
        let recipients = get("EligibleAssignmentAlertNotificationAdditionalRecipient");
        let mut activation_alert = None;
        if default.is_some() || critical.is_some() || recipients.is_some() {
            let place = default
                .as_ref()
                .map(|d| d.at.clone())
                .or(critical.as_ref().map(|c| c.at.clone()))
                .or(recipients.as_ref().map(|r| r.0.clone()))
                .expect("one of the three is set");
            activation_alert = Some(Set {
                value: Alert {
                    default_recipients: default.map(|d| d.value),
                    level: Some(
                        if critical.is_some_and(|c| c.value) {
                            "Critical"
                        } else {
                            "All"
                        }
                        .to_owned(),
                    ),
                    recipients: match recipients {
                        Some((_, Value::Array(items))) => items
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect(),
                        _ => Vec::new(),
                    },
                },
                at: place,
            });
        }
        let settings = Settings {
            activation_duration,
            activation_requirement,
            active_assignment_requirement,
            context_enabled,
            context_value,
            approval_required,
            approvers,
            permanent_eligibility,
            eligibility_duration,
            permanent_active,
            active_duration,
            activation_alert,
        };
        self.t.sources.translated(file, at);
        self.declared_policy(Declared {
            origin: Origin::new(file, at.clone()),
            scope,
            settings,
            id: None,
            tool: TOOL,
        });
        self.t.inventory.present.insert(Kind::RoleManagementPolicy);
        self.t
            .inventory
            .present
            .insert(Kind::RoleManagementPolicyAssignment);
    }

    /// `AADRoleManagementPolicyRule`: one rule of the PIM policy of the directory role it names
    /// (`roleDisplayName`); `id` is Graph's fixed rule id (`Expiration_Admin_Eligibility`), and
    /// the rule's settings are in the CIM instance its type uses, under Graph's member names
    /// (`MSFT_AADRoleManagementPolicyRule.schema.mof`). The rules written for a role make one
    /// policy with the role's `AADRoleSetting`, if any, where a rule written one by one stands;
    /// without it they are a selection of the policy's rules.
    fn dsc_policy_rule(&mut self, file: FileId, at: &Pointer, p: &Map<String, Value>) {
        let named = text_member(p, at, "roleDisplayName");
        let role = named.as_ref().and_then(|n| role_id(&n.value));
        let id = text_member(p, at, "id");
        let (Some(role), Some(id)) = (role, id) else {
            let message = match named {
                Some(n) if role_id(&n.value).is_none() => format!(
                    "AADRoleManagementPolicyRule names `{}`, which is not a built-in directory role by name: its rule is not read",
                    n.value
                ),
                None => "AADRoleManagementPolicyRule names no role (`roleDisplayName`): its rule is not read".to_owned(),
                Some(_) => "AADRoleManagementPolicyRule names no rule (`id`, Graph's rule id such as `Enablement_EndUser_Assignment`): it is not read".to_owned(),
            };
            self.issue(
                IssueKind::Unreadable,
                file,
                IssueAt::Pointer(at.clone()),
                message,
            );
            return;
        };
        let mut body = Map::new();
        body.insert("id".to_owned(), Value::String(id.value));
        if let Some(t) = text_member(p, at, "ruleType") {
            body.insert("ruleType".to_owned(), Value::String(t.value));
        }
        for cim in RULE_SETTINGS {
            if let Some((cim_at, Value::Object(settings))) = member(p, at, cim) {
                for (key, value) in settings {
                    self.t
                        .sources
                        .alias(file, &at.child(key), &cim_at.child(key));
                    body.insert(key.clone(), odata_types(value.clone()));
                }
            }
        }
        let origin = Origin::new(file, at.clone());
        let Some(raw) = self.typed::<RawRule>("PIM policy rule", &origin, body) else {
            return;
        };
        let rule = raw.into_rule(origin.clone());
        self.t.sources.translated(file, at);
        let policy_id = ObjectId::new(&format!("{TOOL}_{}", role.as_str()));
        if let Some(policy) = self.policy_mut(&policy_id) {
            policy.rules.retain(|r| r.id != rule.id);
            policy.rules.push(rule);
            return;
        }
        // The rules a configuration writes one by one are a selection of the policy's.
        self.partial.insert(Kind::RoleManagementPolicy);
        self.partial.insert(Kind::RoleManagementPolicyAssignment);
        self.scoped_policy(origin, &Scope::Role(role), policy_id, vec![rule]);
    }

    /// `AADGroupEligibilitySchedule`: a principal (`PrincipalDisplayname`) made eligible for the
    /// membership or ownership (`AccessId`) of a group (`GroupDisplayName`), from
    /// `MSFT_AADGroupEligibilitySchedule.schema.mof`. Both are known by display name, as every
    /// other reference of the configuration.
    fn dsc_group_eligibility(&mut self, file: FileId, at: &Pointer, p: &Map<String, Value>) {
        let group =
            text_member(p, at, "GroupDisplayName").or_else(|| text_member(p, at, "GroupId"));
        let principal = text_member(p, at, "PrincipalDisplayName")
            .or_else(|| text_member(p, at, "PrincipalId"));
        let (Some(group), Some(principal)) = (group, principal) else {
            let message = "AADGroupEligibilitySchedule names no group (`GroupDisplayName`) or no principal (`PrincipalDisplayname`): it is not read".to_owned();
            self.issue(
                IssueKind::Unreadable,
                file,
                IssueAt::Pointer(at.clone()),
                message,
            );
            return;
        };
        self.t.sources.translated(file, at);
        let mut graph = Map::new();
        let mut put = |key: &str, value: Value, written: &Pointer| {
            graph.insert(key.to_owned(), value);
            (at.child(key), written.clone())
        };
        let mut aliases = vec![
            put("groupId", Value::String(group.value), &group.at),
            put("principalId", Value::String(principal.value), &principal.at),
        ];
        for (key, name) in [
            ("id", "Id"),
            ("accessId", "AccessId"),
            ("memberType", "MemberType"),
        ] {
            if let Some(v) = text_member(p, at, name) {
                aliases.push(put(key, Value::String(v.value), &v.at));
            }
        }
        if let Some((s_at, Value::Object(info))) = member(p, at, "ScheduleInfo") {
            aliases.push(put("scheduleInfo", Value::Object(lower_keys(info)), &s_at));
        }
        graph
            .entry("id")
            .or_insert_with(|| Value::String(at.as_str().to_owned()));
        graph
            .entry("accessId")
            .or_insert_with(|| Value::String("member".to_owned()));
        for (model, written) in &aliases {
            self.t.sources.alias(file, model, written);
        }
        let origin = Origin::new(file, at.clone());
        // A normalised value is never given up on.
        let _ = self.object(
            Kind::GroupEligibilitySchedule,
            origin,
            super::Src::Value(graph),
        );
    }

    /// `AADRoleEligibilityScheduleRequest` (or `AADRoleAssignmentScheduleRequest`, `kind`
    /// `AssignmentSchedule`): a principal (by UPN, or a group by display name) made eligible for
    /// (or assigned) a directory role (by display name), from
    /// `MSFT_AADRoleEligibilityScheduleRequest.schema.mof` and
    /// `MSFT_AADRoleAssignmentScheduleRequest.schema.mof`, which declare the same parameters.
    fn dsc_membership(
        &mut self,
        file: FileId,
        at: &Pointer,
        p: &Map<String, Value>,
        kind: MembershipKind,
    ) {
        let (resource, object_kind) = match kind {
            MembershipKind::AssignmentSchedule => (
                "AADRoleAssignmentScheduleRequest",
                Kind::RoleAssignmentSchedule,
            ),
            _ => (
                "AADRoleEligibilityScheduleRequest",
                Kind::RoleEligibilitySchedule,
            ),
        };
        let Some(principal) = text_member(p, at, "Principal") else {
            let message = format!("{resource} names no `Principal`: it is not read");
            self.issue(
                IssueKind::Unreadable,
                file,
                IssueAt::Pointer(at.clone()),
                message,
            );
            return;
        };
        let role = text_member(p, at, "RoleDefinition");
        let Some(role_id) = role.as_ref().and_then(|r| role_id(&r.value)) else {
            let named = role.map_or_else(|| "no role".to_owned(), |r| format!("`{}`", r.value));
            let message = format!(
                "{resource} names {named}, which is not a built-in directory role by name or id: it is not read"
            );
            self.issue(
                IssueKind::Unreadable,
                file,
                IssueAt::Pointer(at.clone()),
                message,
            );
            return;
        };
        let group = text_member(p, at, "PrincipalType")
            .is_some_and(|t| t.value.eq_ignore_ascii_case("Group"));
        let schedule = match member(p, at, "ScheduleInfo") {
            Some((s_at, Value::Object(info))) => {
                let expiration = match member(info, &s_at, "expiration") {
                    Some((e_at, Value::Object(e))) => Some(Expiration {
                        kind: text_member(e, &e_at, "type").map(|t| t.value),
                        end_date_time: text_member(e, &e_at, "endDateTime").map(|t| t.value),
                        duration: text_member(e, &e_at, "duration").map(|t| t.value),
                    }),
                    _ => None,
                };
                Some(ScheduleInfo {
                    start_date_time: text_member(info, &s_at, "startDateTime").map(|t| t.value),
                    expiration,
                })
            }
            _ => None,
        };
        self.t.sources.translated(file, at);
        self.count(object_kind);
        self.t.inventory.present.insert(object_kind);
        self.t.role_memberships.push(RoleMembership {
            origin: Origin::new(file, principal.at),
            kind,
            id: text_member(p, at, "Id").map(|i| ObjectId::new(&i.value)),
            principal_id: Some(ObjectId::new(&principal.value)),
            role_definition_id: Some(role_id),
            directory_scope_id: Some(
                text_member(p, at, "DirectoryScopeId").map_or_else(|| "/".to_owned(), |d| d.value),
            ),
            member_type: Some("Direct".to_owned()),
            // What an `adminAssign` request makes (not a PIM activation).
            assignment_type: matches!(kind, MembershipKind::AssignmentSchedule)
                .then(|| "Assigned".to_owned()),
            schedule_info: schedule,
            principal: Some(DirectoryObject {
                odata_type: Some(
                    if group {
                        "#microsoft.graph.group"
                    } else {
                        "#microsoft.graph.user"
                    }
                    .to_owned(),
                ),
                id: Some(ObjectId::new(&principal.value)),
                display_name: group.then(|| principal.value.clone()),
                user_principal_name: (!group).then(|| principal.value.clone()),
            }),
            ..Default::default()
        });
    }
}

pub(super) enum What {
    Mapped(Resource),
    RoleSetting,
    GroupSetting,
    PolicyRule,
    Eligibility,
    Assignment,
    GroupEligibility,
}

impl What {
    /// What a tenant configuration management `resourceType` is read as: the Microsoft365DSC
    /// resource it names, `microsoft.entra.` and the resource's name without `AAD`, lower-cased
    /// (`microsoft.entra.conditionalaccesspolicy` is `AADConditionalAccessPolicy`,
    /// <https://learn.microsoft.com/graph/utcm-entra-resources>).
    pub(super) fn of_type(resource_type: &str) -> Option<What> {
        let name = resource_type.trim().to_ascii_lowercase();
        let name = name.strip_prefix("microsoft.entra.")?;
        What::of(&format!("AAD{name}"))
    }

    /// What a Microsoft365DSC resource type is read as, if entralint reads it.
    fn of(resource: &str) -> Option<What> {
        if let Some(r) = Resource::of_dsc_name(resource) {
            return Some(What::Mapped(r));
        }
        let r = resource.trim();
        [
            ("AADRoleSetting", What::RoleSetting),
            ("AADPIMGroupSetting", What::GroupSetting),
            ("AADRoleManagementPolicyRule", What::PolicyRule),
            ("AADRoleEligibilityScheduleRequest", What::Eligibility),
            ("AADRoleAssignmentScheduleRequest", What::Assignment),
            ("AADGroupEligibilitySchedule", What::GroupEligibility),
        ]
        .into_iter()
        .find(|(name, _)| r.eq_ignore_ascii_case(name))
        .map(|(_, what)| what)
    }
}

/// A value of a CIM instance with its subject sets' `odataType` written as Graph's `@odata.type`.
fn odata_types(v: Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| {
                    let k = if k == "odataType" {
                        "@odata.type".to_owned()
                    } else {
                        k
                    };
                    (k, odata_types(v))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(odata_types).collect()),
        other => other,
    }
}

/// An object with the first letter of every key lower-cased, at every depth (the CIM instances
/// of Microsoft365DSC write `Expiration`, Graph `expiration`).
fn lower_keys(o: &Map<String, Value>) -> Map<String, Value> {
    o.iter()
        .map(|(k, v)| {
            let v = match v {
                Value::Object(inner) => Value::Object(lower_keys(inner)),
                other => other.clone(),
            };
            (lower_first(k), v)
        })
        .collect()
}

/// Whether a resource is declared away: `Ensure = "Absent"`, or an eligibility request's
/// `Action = "adminRemove"`.
fn is_absent(p: &Map<String, Value>) -> bool {
    let says = |key: &str, what: &str| {
        p.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case(key) && v.as_str().is_some_and(|v| v.eq_ignore_ascii_case(what))
        })
    };
    says("Ensure", "Absent") || says("Action", "adminRemove")
}

/// The member `name` of an object (any case), and where it is.
fn member<'v>(p: &'v Map<String, Value>, at: &Pointer, name: &str) -> Option<(Pointer, &'v Value)> {
    p.iter()
        .find(|(k, v)| k.eq_ignore_ascii_case(name) && !v.is_null())
        .map(|(k, v)| (at.child(k), v))
}

/// A string member, trimmed, unless empty or not evaluated.
fn text_member(p: &Map<String, Value>, at: &Pointer, name: &str) -> Option<Set<String>> {
    match member(p, at, name) {
        Some((at, Value::String(s))) if !s.trim().is_empty() && s != NOT_EVALUATED => Some(Set {
            value: s.trim().to_owned(),
            at,
        }),
        _ => None,
    }
}
