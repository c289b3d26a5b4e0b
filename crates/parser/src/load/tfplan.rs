//! Terraform plans, as `terraform show -json <plan>` writes them
//! (<https://developer.hashicorp.com/terraform/internals/json-format>): what a pull-request check
//! sees of a policy-as-code repository.
//!
//! The resources are read from `planned_values.root_module` and its `child_modules`, through the
//! azuread provider's mapper ([`crate::terraform`]). A value Terraform knows only once the plan is
//! applied (the object id of a group created in the same plan) is absent from `values` (or `null`
//! in a list) and marked in the resource's `resource_changes[].change.after_unknown`; the
//! resource's `configuration…expressions` name what it refers to (`references:
//! ["azuread_group.breakglass.object_id", "azuread_group.breakglass"]`). Such a value is read as
//! that reference, a symbol named by its Terraform address, and located on it in the
//! configuration; entralint.toml can declare break-glass accounts by that address. A reference to
//! an authentication strength of the same plan is read as that strength.

use super::{msgraph, Doc, Loader, Src};
use crate::id::ObjectId;
use crate::json::TopValue;
use crate::kinds::Kind;
use crate::model::{
    rule_ids, ApprovalSettings, ApprovalStage, Approver, EnablementRequirement, PimRule,
    RoleManagementPolicy, RoleManagementPolicyAssignment, RuleBody, RuleTarget, ScopeType,
};
use crate::origin::{FileId, Origin, Pointer};
use crate::tenant::{IssueAt, IssueKind};
use crate::terraform::{self, bare_id, is_string_list, Resource};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What an element or attribute Terraform knows only after apply is read as, when the
/// configuration does not say what it refers to: the words `terraform plan` prints for it.
pub(crate) const UNKNOWN: &str = "(known after apply)";

/// Whether the members of a root object are a plan's JSON: `format_version` beside
/// `planned_values` or `resource_changes`.
pub(super) fn is_plan(members: &[(String, TopValue<'_>)]) -> bool {
    let has = |name: &str| members.iter().any(|(k, _)| k == name);
    has("format_version") && (has("planned_values") || has("resource_changes"))
}

/// A value of a resource read in place of one Terraform knows only after apply: where it is
/// (below the resource's values) and where the configuration writes what it refers to.
pub(super) struct Filled {
    tf: String,
    written: Option<Pointer>,
}

/// A planned resource.
pub(super) struct Planned<'v> {
    pub(super) address: String,
    pub(super) ty: String,
    /// The pointer of its `values`.
    pub(super) at: Pointer,
    pub(super) values: &'v Value,
}

impl Loader {
    /// Reads a plan; returns whether it holds resources of the azuread provider entralint knows.
    pub(super) fn terraform_plan(&mut self, doc: Doc<'_>) -> bool {
        let Ok(root) = serde_json::from_str::<Value>(doc.text) else {
            return false;
        };
        let file = doc.file;
        let mut config = BTreeMap::new();
        let config_root = Pointer::root().join("configuration/root_module");
        if let Some(module) = root.pointer(config_root.as_str()) {
            config_resources(module, "", &config_root, &mut config);
        }
        let mut unknown: BTreeMap<&str, &Value> = BTreeMap::new();
        if let Some(Value::Array(changes)) = root.get("resource_changes") {
            for c in changes {
                let address = c.get("address").and_then(Value::as_str);
                let after = c.pointer("/change/after_unknown");
                if let (Some(a), Some(u)) = (address, after) {
                    unknown.insert(a, u);
                }
            }
        }
        let mut planned = Vec::new();
        let planned_root = Pointer::root().join("planned_values/root_module");
        if let Some(module) = root.pointer(planned_root.as_str()) {
            planned_resources(module, &planned_root, &mut planned);
        }
        // The strengths of the plan, by address: a policy's reference to one reads as its id.
        let strengths = strengths(
            planned
                .iter()
                .map(|p| (p.address.as_str(), p.ty.as_str(), p.values)),
        );
        // The data sources read while planning: which PIM policy governs which role.
        let mut data = Vec::new();
        for at in [
            "prior_state/values/root_module",
            "planned_values/root_module",
        ] {
            if let Some(module) = root.pointer(Pointer::root().join(at).as_str()) {
                data_resources(module, &mut data);
            }
        }
        let lookups = msgraph::lookups(data);
        let mut not_read: BTreeMap<&str, usize> = BTreeMap::new();
        let mut any = false;
        for p in &planned {
            if let Some(n) = terraform::GRAPH_TYPES.iter().find(|t| **t == p.ty) {
                any = true;
                let late = unknown.get(p.address.as_str()).is_some_and(|u| {
                    ["url", "body"]
                        .iter()
                        .any(|k| u.get(k).is_some_and(any_true))
                });
                if late {
                    let message = format!(
                        "values of `{}` are known only after apply: they are read as absent",
                        p.address
                    );
                    let at = IssueAt::Pointer(p.at.child("body"));
                    self.issue(IssueKind::Unread, file, at, message);
                    // Nothing more to say of a body known only after apply.
                    if p.values.get("body").is_none_or(Value::is_null) {
                        continue;
                    }
                }
                if !self.tf_graph(file, p, &lookups, &strengths) {
                    *not_read.entry(n).or_default() += 1;
                }
                continue;
            }
            if let Some(n) = terraform::NOT_READ.iter().find(|t| **t == p.ty) {
                *not_read.entry(n).or_default() += 1;
                any = true;
                continue;
            }
            let Some(resource) = Resource::of_type(&p.ty) else {
                continue;
            };
            any = true;
            let mut values = p.values.clone();
            let mut filled = Vec::new();
            if let (Some(Value::Object(u)), Value::Object(v)) =
                (unknown.get(p.address.as_str()), &mut values)
            {
                let expr_at = config
                    .get(&config_address(&p.address))
                    .map(|c: &Pointer| c.child("expressions"));
                let expr = expr_at
                    .as_ref()
                    .and_then(|at| root.pointer(at.as_str()))
                    .and_then(Value::as_object);
                fill(v, u, expr, expr_at.as_ref(), "", &mut filled);
            }
            match resource {
                Resource::GroupRoleManagement => {
                    self.tf_group_policy(file, p, &values);
                }
                _ => self.tf_object(file, p, resource, &values, &filled, &strengths),
            }
        }
        if !not_read.is_empty() {
            let not_read: BTreeMap<String, usize> = not_read
                .into_iter()
                .map(|(t, n)| (t.to_owned(), n))
                .collect();
            let message = not_read_message("plan", &not_read);
            self.issue(
                IssueKind::Unread,
                file,
                IssueAt::Pointer(planned_root),
                message,
            );
        }
        any
    }

    /// Reads a Conditional Access policy or an authentication strength, located at its values.
    pub(super) fn tf_object(
        &mut self,
        file: FileId,
        p: &Planned<'_>,
        resource: Resource,
        values: &Value,
        filled: &[Filled],
        strengths: &BTreeMap<String, String>,
    ) {
        let mut mapped = terraform::map(resource, values);
        let base = &p.at;
        self.t.sources.translated(file, base);
        for (graph, tf) in &mapped.aliases {
            self.t
                .sources
                .alias(file, &base.join(graph), &base.join(tf));
        }
        for f in filled {
            let (Some(graph), Some(written)) = (mapped.graph_path(&f.tf), &f.written) else {
                continue;
            };
            self.t.sources.alias(file, &base.join(&graph), written);
        }
        let kind = match resource {
            Resource::ConditionalAccess => {
                strength_by_address(&mut mapped.graph, strengths);
                Kind::ConditionalAccessPolicy
            }
            Resource::DirectoryRoleEligibility | Resource::GroupSchedule { .. } => {
                // The resource's address stands for the schedule it makes.
                mapped
                    .graph
                    .insert("id".into(), Value::String(p.address.clone()));
                match resource {
                    Resource::GroupSchedule { eligible: true } => Kind::GroupEligibilitySchedule,
                    Resource::GroupSchedule { eligible: false } => Kind::GroupAssignmentSchedule,
                    _ => Kind::RoleEligibilitySchedule,
                }
            }
            _ => {
                // Created by the plan: its id is known after apply; its address stands for it.
                mapped
                    .graph
                    .entry("id")
                    .or_insert_with(|| Value::String(p.address.clone()));
                if resource == Resource::NamedLocation {
                    Kind::NamedLocation
                } else {
                    Kind::AuthenticationStrength
                }
            }
        };
        let origin = Origin::new(file, base.clone());
        // A normalised value is never given up on.
        let _ = self.object(kind, origin, Src::Value(mapped.graph));
    }

    /// Reads an `azuread_group_role_management_policy`: the PIM policy of a group's members or
    /// owners, each rule located on the attribute that sets it. An attribute not set, or known
    /// only after apply, leaves the group's current rule alone: no rule is made for it.
    pub(super) fn tf_group_policy(&mut self, file: FileId, p: &Planned<'_>, v: &Value) {
        let base = &p.at;
        self.t.sources.translated(file, base);
        let at = |path: &str| Origin::new(file, base.join(path));
        let get = |path: &str| {
            let mut cur = v;
            for seg in path.split('/') {
                cur = match cur {
                    Value::Object(o) => o.get(seg)?,
                    Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
                    _ => return None,
                };
            }
            Some(cur)
        };
        let text = |path: &str| {
            get(path)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let flag = |path: &str| get(path).and_then(Value::as_bool);
        let target = |caller: &str, level: &str| {
            Some(RuleTarget {
                caller: Some(caller.to_owned()),
                operations: vec!["All".to_owned()],
                level: Some(level.to_owned()),
            })
        };
        let mut rules = Vec::new();
        let a = "activation_rules/0";
        if let Some(d) = text(&format!("{a}/maximum_duration")) {
            rules.push(PimRule {
                origin: at(&format!("{a}/maximum_duration")),
                id: rule_ids::EXPIRATION_END_USER.to_owned(),
                target: target("EndUser", "Assignment"),
                body: RuleBody::Expiration {
                    is_expiration_required: Some(true),
                    maximum_duration: Some(d),
                },
            });
        }
        // The requirements are one rule: made when multifactor authentication is known.
        let enablement = |prefix: &str| -> Option<(String, Vec<EnablementRequirement>)> {
            let mfa_at = format!("{prefix}/require_multifactor_authentication");
            let mfa = flag(&mfa_at)?;
            let mut required = Vec::new();
            for (name, req) in [
                (
                    "require_multifactor_authentication",
                    EnablementRequirement::MultiFactorAuthentication,
                ),
                (
                    "require_justification",
                    EnablementRequirement::Justification,
                ),
                ("require_ticket_info", EnablementRequirement::Ticketing),
            ] {
                let on = if name == "require_multifactor_authentication" {
                    mfa
                } else {
                    flag(&format!("{prefix}/{name}")).unwrap_or(false)
                };
                if on {
                    required.push(req);
                }
            }
            Some((mfa_at, required))
        };
        if let Some((place, enabled_rules)) = enablement(a) {
            rules.push(PimRule {
                origin: at(&place),
                id: rule_ids::ENABLEMENT_END_USER.to_owned(),
                target: target("EndUser", "Assignment"),
                body: RuleBody::Enablement { enabled_rules },
            });
        }
        let context_at = format!("{a}/required_conditional_access_authentication_context");
        if let Some(claim) = text(&context_at) {
            rules.push(PimRule {
                origin: at(&context_at),
                id: rule_ids::AUTH_CONTEXT_END_USER.to_owned(),
                target: target("EndUser", "Assignment"),
                body: RuleBody::AuthenticationContext {
                    is_enabled: true,
                    claim_value: Some(claim),
                },
            });
        }
        let approval_at = format!("{a}/require_approval");
        if let Some(required) = flag(&approval_at) {
            let mut approvers = Vec::new();
            let stage = format!("{a}/approval_stage/0/primary_approver");
            if let Some(Value::Array(list)) = get(&stage) {
                for x in list {
                    let id = x.get("object_id").and_then(Value::as_str).map(bare_id);
                    let kind = x.get("type").and_then(Value::as_str).unwrap_or_default();
                    let group = kind.eq_ignore_ascii_case("groupMembers");
                    approvers.push(Approver {
                        odata_type: Some(format!("#microsoft.graph.{kind}")),
                        user_id: id.as_deref().filter(|_| !group).map(ObjectId::new),
                        group_id: id.as_deref().filter(|_| group).map(ObjectId::new),
                        ..Default::default()
                    });
                }
            }
            rules.push(PimRule {
                origin: at(&approval_at),
                id: rule_ids::APPROVAL_END_USER.to_owned(),
                target: target("EndUser", "Assignment"),
                body: RuleBody::Approval {
                    setting: Some(ApprovalSettings {
                        is_approval_required: Some(required),
                        approval_mode: Some("SingleStage".to_owned()),
                        approval_stages: vec![ApprovalStage {
                            primary_approvers: approvers,
                            escalation_approvers: Vec::new(),
                        }],
                        ..Default::default()
                    }),
                },
            });
        }
        for (block, id, level) in [
            (
                "active_assignment_rules/0",
                rule_ids::EXPIRATION_ADMIN_ASSIGNMENT,
                "Assignment",
            ),
            (
                "eligible_assignment_rules/0",
                rule_ids::EXPIRATION_ADMIN_ELIGIBILITY,
                "Eligibility",
            ),
        ] {
            let required_at = format!("{block}/expiration_required");
            let after_at = format!("{block}/expire_after");
            let (required, after) = (flag(&required_at), text(&after_at));
            if required.is_none() && after.is_none() {
                continue;
            }
            let place = if required.is_some() {
                required_at
            } else {
                after_at
            };
            rules.push(PimRule {
                origin: at(&place),
                id: id.to_owned(),
                target: target("Admin", level),
                body: RuleBody::Expiration {
                    is_expiration_required: required,
                    maximum_duration: after,
                },
            });
        }
        if let Some((place, enabled_rules)) = enablement("active_assignment_rules/0") {
            rules.push(PimRule {
                origin: at(&place),
                id: rule_ids::ENABLEMENT_ADMIN_ASSIGNMENT.to_owned(),
                target: target("Admin", "Assignment"),
                body: RuleBody::Enablement { enabled_rules },
            });
        }
        let group = text("group_id")
            .map_or_else(|| ObjectId::new(UNKNOWN), |g| ObjectId::new(&bare_id(&g)));
        let access = text("role_id").unwrap_or_else(|| "member".to_owned());
        let policy_id = text("id").map_or_else(
            || ObjectId::new(&p.address),
            |i| ObjectId::new(&bare_id(&i)),
        );
        let origin = Origin::new(file, base.clone());
        // PIM for Groups policies only: a plan holds no directory role's policy (the provider
        // has no resource for one), so the kind is a selection, not the tenant's policies.
        self.partial.insert(Kind::RoleManagementPolicy);
        self.partial.insert(Kind::RoleManagementPolicyAssignment);
        self.count(Kind::RoleManagementPolicyAssignment);
        self.t
            .policy_assignments
            .push(RoleManagementPolicyAssignment {
                origin: origin.clone(),
                id: Some(ObjectId::new(&format!("{}_{access}", policy_id.as_str()))),
                policy_id: Some(policy_id.clone()),
                scope_id: Some(group.clone()),
                scope_type: Some(ScopeType::Group),
                role_definition_id: Some(ObjectId::new(&access)),
            });
        self.count(Kind::RoleManagementPolicy);
        self.t.role_management_policies.push(RoleManagementPolicy {
            origin,
            id: Some(policy_id),
            // The plan's own value: a display name known after apply is none.
            display_name: p
                .values
                .get("display_name")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            scope_id: Some(group),
            scope_type: Some(ScopeType::Group),
            is_organization_default: Some(false),
            rules,
        });
    }
}

/// The note naming the resources of a plan or a file that entralint does not read, by type.
pub(super) fn not_read_message(of: &str, not_read: &BTreeMap<String, usize>) -> String {
    let n: usize = not_read.values().sum();
    let types: Vec<String> = not_read.iter().map(|(t, n)| format!("{n} `{t}`")).collect();
    format!(
        "{n} resource{} of this {of} {} of types entralint does not read, and {} not checked: {}",
        if n == 1 { "" } else { "s" },
        if n == 1 { "is" } else { "are" },
        if n == 1 { "is" } else { "are" },
        types.join(", ")
    )
}

/// The resources of a module of `planned_values` and of its child modules.
fn planned_resources<'v>(module: &'v Value, at: &Pointer, out: &mut Vec<Planned<'v>>) {
    if let Some(Value::Array(resources)) = module.get("resources") {
        for (i, r) in resources.iter().enumerate() {
            if r.get("mode").and_then(Value::as_str) == Some("data") {
                continue;
            }
            let (Some(address), Some(ty), Some(values)) = (
                r.get("address").and_then(Value::as_str),
                r.get("type").and_then(Value::as_str),
                r.get("values"),
            ) else {
                continue;
            };
            out.push(Planned {
                address: address.to_owned(),
                ty: ty.to_owned(),
                at: at.child("resources").index(i).child("values"),
                values,
            });
        }
    }
    if let Some(Value::Array(children)) = module.get("child_modules") {
        for (i, c) in children.iter().enumerate() {
            planned_resources(c, &at.child("child_modules").index(i), out);
        }
    }
}

/// Reads a policy's reference to an authentication strength of the same configuration, by
/// address, as that strength's id.
pub(super) fn strength_by_address(
    policy: &mut Map<String, Value>,
    strengths: &BTreeMap<String, String>,
) {
    let strength = policy
        .get_mut("grantControls")
        .and_then(|g| g.get_mut("authenticationStrength"))
        .and_then(|s| s.get_mut("id"));
    if let Some(Value::String(id)) = strength {
        let found = strengths.iter().find(|(address, _)| {
            id.strip_prefix(address.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        });
        if let Some((_, sid)) = found {
            *id = sid.clone();
        }
    }
}

/// The authentication strengths a configuration writes, by address: their id, or, when it is
/// known only after apply, their address. `resources` are (address, type, values).
pub(super) fn strengths<'r>(
    resources: impl IntoIterator<Item = (&'r str, &'r str, &'r Value)>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (address, ty, values) in resources {
        let graph = terraform::GRAPH_TYPES.contains(&ty)
            && values
                .get("url")
                .and_then(Value::as_str)
                .and_then(terraform::graph_target)
                .is_some_and(|t| {
                    matches!(
                        t,
                        terraform::GraphTarget::Object {
                            kind: Kind::AuthenticationStrength,
                            ..
                        }
                    )
                });
        if ty == "azuread_authentication_strength_policy" || graph {
            let id = values
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map_or_else(|| address.to_owned(), bare_id);
            out.insert(address.to_owned(), id);
        }
    }
    out
}

/// The data sources of a module of a plan's values (`prior_state` or `planned_values`) and of its
/// child modules: their addresses and values.
fn data_resources<'v>(module: &'v Value, out: &mut Vec<(&'v str, &'v Value)>) {
    if let Some(Value::Array(resources)) = module.get("resources") {
        for r in resources {
            if r.get("mode").and_then(Value::as_str) != Some("data") {
                continue;
            }
            if let (Some(address), Some(values)) =
                (r.get("address").and_then(Value::as_str), r.get("values"))
            {
                out.push((address, values));
            }
        }
    }
    if let Some(Value::Array(children)) = module.get("child_modules") {
        for c in children {
            data_resources(c, out);
        }
    }
}

/// Whether a value of `after_unknown` marks anything as unknown.
fn any_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Array(items) => items.iter().any(any_true),
        Value::Object(m) => m.values().any(any_true),
        _ => false,
    }
}

/// The resources of a module of `configuration` and of the modules it calls, by address
/// (without instance keys).
fn config_resources(
    module: &Value,
    prefix: &str,
    at: &Pointer,
    out: &mut BTreeMap<String, Pointer>,
) {
    if let Some(Value::Array(resources)) = module.get("resources") {
        for (i, r) in resources.iter().enumerate() {
            if let Some(address) = r.get("address").and_then(Value::as_str) {
                out.insert(format!("{prefix}{address}"), at.child("resources").index(i));
            }
        }
    }
    if let Some(Value::Object(calls)) = module.get("module_calls") {
        for (name, call) in calls {
            if let Some(m) = call.get("module") {
                let at = at.child("module_calls").child(name).child("module");
                config_resources(m, &format!("{prefix}module.{name}."), &at, out);
            }
        }
    }
}

/// An instance's address as its configuration is addressed: without instance keys
/// (`module.ca["x"].azuread_group.bg[0]` → `module.ca.azuread_group.bg`).
fn config_address(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The references of an expression, each with its position: without those that only name the
/// resource another of them reads an attribute of (`azuread_group.bg` beside
/// `azuread_group.bg.object_id`).
fn references(expr: Option<&Value>) -> Vec<(String, usize)> {
    let Some(Value::Array(refs)) = expr.and_then(|e| e.get("references")) else {
        return Vec::new();
    };
    let refs: Vec<&str> = refs.iter().filter_map(Value::as_str).collect();
    refs.iter()
        .enumerate()
        .filter(|(_, r)| {
            !refs.iter().any(|o| {
                o.len() > r.len()
                    && o.starts_with(**r)
                    && matches!(o.as_bytes()[r.len()], b'.' | b'[')
            })
        })
        .map(|(i, r)| ((*r).to_owned(), i))
        .collect()
}

/// Puts, in place of each value of `values` that `unknown` (`after_unknown`) marks, what the
/// configuration's expression `expr` refers to (or [`UNKNOWN`]); records each in `out`.
fn fill(
    values: &mut Map<String, Value>,
    unknown: &Map<String, Value>,
    expr: Option<&Map<String, Value>>,
    expr_at: Option<&Pointer>,
    tf: &str,
    out: &mut Vec<Filled>,
) {
    for (k, u) in unknown {
        let e = expr.and_then(|e| e.get(k));
        let e_at = expr_at.map(|p| p.child(k));
        let path = if tf.is_empty() {
            k.clone()
        } else {
            format!("{tf}/{k}")
        };
        let refs = references(e);
        let written = |j: Option<usize>| match (j, &e_at) {
            (Some(j), Some(at)) => Some(at.child("references").index(j)),
            (None, at) => at.clone(),
            _ => None,
        };
        match u {
            // The resource's own id is known after apply whatever it refers to.
            Value::Bool(true) if k == "id" => {}
            Value::Bool(true) if is_string_list(k) => {
                let items: Vec<(String, Option<Pointer>)> = if refs.is_empty() {
                    vec![(UNKNOWN.to_owned(), written(None))]
                } else {
                    refs.iter()
                        .map(|(r, j)| (r.clone(), written(Some(*j))))
                        .collect()
                };
                let mut list = Vec::new();
                for (i, (text, at)) in items.into_iter().enumerate() {
                    list.push(Value::String(text));
                    out.push(Filled {
                        tf: format!("{path}/{i}"),
                        written: at,
                    });
                }
                values.insert(k.clone(), Value::Array(list));
            }
            // A block (its expression is a list of blocks) is read as absent.
            Value::Bool(true) if matches!(e, Some(Value::Array(_))) => {}
            Value::Bool(true) => {
                let (text, at) = match refs.first() {
                    Some((r, j)) => (r.clone(), written(Some(*j))),
                    None => (UNKNOWN.to_owned(), written(None)),
                };
                values.insert(k.clone(), Value::String(text));
                out.push(Filled {
                    tf: path,
                    written: at,
                });
            }
            Value::Array(us) if is_string_list(k) => {
                let positions: Vec<usize> = us
                    .iter()
                    .enumerate()
                    .filter(|(_, x)| **x == Value::Bool(true))
                    .map(|(i, _)| i)
                    .collect();
                let slot = values
                    .entry(k.clone())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if !slot.is_array() {
                    *slot = Value::Array(Vec::new());
                }
                let Value::Array(list) = slot else { continue };
                if list.len() < us.len() {
                    list.resize(us.len(), Value::Null);
                }
                // Data sources, variables and locals are known at plan time: the elements known
                // only after apply are the references to other values.
                let late: Vec<(String, usize)> = refs
                    .iter()
                    .filter(|(r, _)| !["data.", "var.", "local."].iter().any(|p| r.starts_with(p)))
                    .cloned()
                    .collect();
                let refs = if refs.len() == positions.len() {
                    refs
                } else {
                    late
                };
                for (n, &i) in positions.iter().enumerate() {
                    // Each unknown element its own reference when they pair up one to one.
                    let pick = if refs.len() == positions.len() {
                        refs.get(n)
                    } else if refs.len() == 1 {
                        refs.first()
                    } else {
                        None
                    };
                    let (text, at) = match pick {
                        Some((r, j)) => (r.clone(), written(Some(*j))),
                        None => (UNKNOWN.to_owned(), written(None)),
                    };
                    list[i] = Value::String(text);
                    out.push(Filled {
                        tf: format!("{path}/{i}"),
                        written: at,
                    });
                }
            }
            // A list of blocks: each block's own unknown values.
            Value::Array(us) => {
                let Some(Value::Array(blocks)) = values.get_mut(k) else {
                    continue;
                };
                for (i, ub) in us.iter().enumerate() {
                    let (Value::Object(ub), Some(Value::Object(b))) = (ub, blocks.get_mut(i))
                    else {
                        continue;
                    };
                    let eb = match e {
                        Some(Value::Array(eb)) => eb.get(i).and_then(Value::as_object),
                        _ => None,
                    };
                    let eb_at = e_at.as_ref().map(|p| p.index(i));
                    fill(b, ub, eb, eb_at.as_ref(), &format!("{path}/{i}"), out);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn addresses_lose_their_instance_keys() {
        assert_eq!(
            config_address(r#"module.ca["a[1]"].azuread_group.bg[0]"#),
            "module.ca.azuread_group.bg"
        );
    }

    #[test]
    fn unknown_elements_take_their_references() {
        let mut values = json!({"conditions": [{"users": [{"excluded_groups": ["g1", null]}]}]});
        let unknown = json!({"conditions": [{"users": [{"excluded_groups": [false, true]}]}]});
        let expr = json!({"conditions": [{"users": [{"excluded_groups": {
            "references": ["azuread_group.bg.object_id", "azuread_group.bg"]}}]}]});
        let at = Pointer::parse("/e");
        let mut out = Vec::new();
        fill(
            values.as_object_mut().unwrap(),
            unknown.as_object().unwrap(),
            expr.as_object(),
            Some(&at),
            "",
            &mut out,
        );
        assert_eq!(
            values["conditions"][0]["users"][0]["excluded_groups"],
            json!(["g1", "azuread_group.bg.object_id"])
        );
        assert_eq!(out[0].tf, "conditions/0/users/0/excluded_groups/1");
        assert_eq!(
            out[0].written.as_ref().unwrap().as_str(),
            "/e/conditions/0/users/0/excluded_groups/references/0"
        );
    }
}
