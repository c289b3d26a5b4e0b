//! Resources of the Microsoft Graph Terraform provider (microsoft/msgraph:
//! <https://registry.terraform.io/providers/microsoft/msgraph/latest/docs/resources/resource>,
//! `…/update_resource`): their `body` is the Graph object itself, camelCase, and their `url` says
//! what it is ([`graph_target`]). What the hashicorp/azuread provider cannot write is written with
//! them: a directory role's PIM policy rules (`policies/roleManagementPolicies/{id}/rules/{id}`)
//! and a Conditional Access policy's authentication context.
//!
//! A body is read by the Graph reader, located on the body's values: in a plan, the resource's
//! `values.body`; in a `.tf` file, the HCL object written for `body`.
//!
//! Which role a PIM policy governs is not in its rules. A configuration finds a role's policy with
//! a `msgraph_resource` data source reading `policies/roleManagementPolicyAssignments`, filtered
//! by `roleDefinitionId eq '<role>'` (Microsoft Learn, "List roleManagementPolicyAssignments"),
//! and writes the rules' `url` with that data source's output: the policy is then that role's.
//! Without such a data source, the policy is read, and said to govern no role entralint knows.

use super::hcl::NOT_EVALUATED;
use super::tfplan::{strength_by_address, Planned};
use super::{Loader, Part, Src};
use crate::id::ObjectId;
use crate::kinds::Kind;
use crate::model::roles::RawRule;
use crate::model::{PimRule, RoleManagementPolicy, RoleManagementPolicyAssignment, ScopeType};
use crate::origin::{FileId, Origin};
use crate::tenant::{IssueAt, IssueKind};
use crate::terraform::{bare_id, filter_equalities, graph_target, GraphTarget};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A data source reading which PIM policy governs a role (see the module's documentation).
pub(super) struct PolicyLookup {
    /// Its address (`data.msgraph_resource.ga_policy`).
    address: String,
    scope_type: ScopeType,
    scope_id: String,
    /// The role (`roleDefinitionId`): a role template id, or `member`/`owner` of a group.
    role: String,
    /// The strings of its `output` (a plan's values): the policy ids it read.
    outputs: BTreeSet<String>,
}

impl PolicyLookup {
    /// The lookup of a data source's values, when it reads `policies/roleManagementPolicyAssignments`
    /// filtered by a role.
    pub(super) fn of(address: &str, values: &Value) -> Option<PolicyLookup> {
        let url = values.get("url")?.as_str()?;
        if graph_target(url)? != GraphTarget::PolicyAssignments {
            return None;
        }
        let filter = values.get("query_parameters")?.get("$filter")?;
        let texts: Vec<&str> = match filter {
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            Value::String(s) => vec![s.as_str()],
            _ => Vec::new(),
        };
        let eqs: Vec<(String, String)> = texts.into_iter().flat_map(filter_equalities).collect();
        let get = |name: &str| eqs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        let role = get("roledefinitionid")?;
        let mut outputs = BTreeSet::new();
        if let Some(output) = values.get("output") {
            strings(output, &mut outputs);
        }
        Some(PolicyLookup {
            address: address.to_owned(),
            scope_type: ScopeType::parse(
                &get("scopetype").unwrap_or_else(|| "DirectoryRole".into()),
            ),
            scope_id: get("scopeid").unwrap_or_else(|| "/".to_owned()),
            role,
            outputs,
        })
    }

    /// Whether the policy id `policy` (as the rule's `url` writes it) is what this lookup read:
    /// a reference to it (`data.msgraph_resource.ga_policy.output.policy_id`), or, in a plan,
    /// one of the values it read.
    fn finds(&self, policy: &str) -> bool {
        let by_reference = policy
            .strip_prefix(self.address.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']));
        by_reference || self.outputs.contains(policy)
    }
}

/// Every string inside a value.
fn strings(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            out.insert(s.clone());
        }
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(m) => m.values().for_each(|i| strings(i, out)),
        _ => {}
    }
}

impl Loader {
    /// Reads a resource of the Microsoft Graph provider; returns whether its `url` names
    /// something entralint reads.
    pub(super) fn tf_graph(
        &mut self,
        file: FileId,
        p: &Planned<'_>,
        lookups: &[PolicyLookup],
        strengths: &BTreeMap<String, String>,
    ) -> bool {
        let Some(target) = p
            .values
            .get("url")
            .and_then(Value::as_str)
            .and_then(graph_target)
        else {
            return false;
        };
        if target == GraphTarget::PolicyAssignments {
            return false;
        }
        let body_at = p.at.child("body");
        let origin = Origin::new(file, body_at.clone());
        // A body written with `jsonencode(…)`: a plan holds the JSON text, read inside it.
        let encoded = match p.values.get("body") {
            Some(Value::String(s)) if !self.t.sources.path(file).ends_with(".tf") => {
                match serde_json::from_str::<Value>(s) {
                    Ok(Value::Object(m)) => {
                        self.t.sources.embed(file, &body_at, s.clone());
                        Some(Value::Object(m))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let Some(Value::Object(body)) = encoded.as_ref().or(p.values.get("body")) else {
            // Said already where the value is written (a `.tf` file's note).
            if p.values.get("body").and_then(Value::as_str) == Some(NOT_EVALUATED) {
                return true;
            }
            let at = match p.values.get("body") {
                Some(_) => body_at,
                None => p.at.clone(),
            };
            let message = format!(
                "the `body` of `{}` is not a statically known object: what it writes is not read",
                p.address
            );
            self.issue(IssueKind::Unread, file, IssueAt::Pointer(at), message);
            return true;
        };
        let mut body = body.clone();
        match target {
            GraphTarget::PolicyAssignments => false,
            GraphTarget::Object { kind, id } => {
                // Created by a collection's `url`: its id is the resource's own, else (a strength,
                // created by this configuration) its address stands for it.
                let own = p
                    .values
                    .get("id")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty() && id.is_none())
                    .map(bare_id);
                let id = id
                    .or(own)
                    .or_else(|| (kind == Kind::AuthenticationStrength).then(|| p.address.clone()));
                if let Some(id) = id {
                    body.entry("id").or_insert(Value::String(id));
                }
                if kind == Kind::ConditionalAccessPolicy {
                    strength_by_address(&mut body, strengths);
                }
                // A normalised value is never given up on.
                let _ = self.object(kind, origin, Src::Value(body));
                true
            }
            GraphTarget::PolicyRule { policy, rule } => {
                body.entry("id").or_insert(Value::String(rule));
                let rules = self
                    .typed::<RawRule>("PIM policy rule", &origin, body)
                    .map(|raw| raw.into_rule(origin.clone()))
                    .into_iter()
                    .collect();
                // The policy is none of the resource's values: they are not Graph's policy.
                self.t.sources.translated(file, &p.at);
                let at = Origin::new(file, p.at.clone());
                self.tf_pim_policy(at, p, &policy, rules, lookups);
                true
            }
            GraphTarget::Policy { policy } => {
                let parts = self.object_parts::<RawRule>(
                    Kind::RoleManagementPolicy,
                    &origin,
                    "rules",
                    body.remove("rules"),
                );
                let mut rules = Vec::new();
                for (i, part) in parts {
                    let at = origin.at_index("rules", i);
                    let raw = match part {
                        Part::Read(raw) => Some(raw),
                        Part::Value(map) => self.typed::<RawRule>("PIM policy rule", &at, map),
                    };
                    rules.extend(raw.map(|r| r.into_rule(at)));
                }
                self.tf_pim_policy(origin, p, &policy, rules, lookups);
                true
            }
        }
    }

    /// Adds rules to the PIM policy `policy` (one policy for every resource of the run that
    /// writes its rules), with the assignment a lookup names.
    fn tf_pim_policy(
        &mut self,
        origin: Origin,
        p: &Planned<'_>,
        policy: &str,
        rules: Vec<PimRule>,
        lookups: &[PolicyLookup],
    ) {
        // The rules a configuration writes are a selection of the policy's, and the policies a
        // selection of the tenant's.
        self.partial.insert(Kind::RoleManagementPolicy);
        self.partial.insert(Kind::RoleManagementPolicyAssignment);
        if let Some(existing) = self.policy_mut(&ObjectId::new(policy)) {
            existing.rules.extend(rules);
            return;
        }
        let file = origin.file;
        let lookup = lookups.iter().find(|l| l.finds(policy));
        match lookup {
            Some(l) => {
                self.count(Kind::RoleManagementPolicyAssignment);
                self.t
                    .policy_assignments
                    .push(RoleManagementPolicyAssignment {
                        origin: origin.clone(),
                        id: Some(ObjectId::new(&format!("{policy}_{}", l.role))),
                        policy_id: Some(ObjectId::new(policy)),
                        scope_id: Some(ObjectId::new(&l.scope_id)),
                        scope_type: Some(l.scope_type.clone()),
                        role_definition_id: Some(ObjectId::new(&l.role)),
                    });
            }
            None => {
                let message = format!(
                    "which role PIM policy `{policy}` governs is not in this configuration (a `msgraph_resource` data source of `policies/roleManagementPolicyAssignments` filtered by `roleDefinitionId`, whose output the `url` uses): its rules are read, but judged for no role"
                );
                let at = IssueAt::Pointer(p.at.child("url"));
                self.issue(IssueKind::Unread, file, at, message);
            }
        }
        let (scope_type, scope_id) = match lookup {
            Some(l) => (l.scope_type.clone(), l.scope_id.clone()),
            None => (ScopeType::DirectoryRole, "/".to_owned()),
        };
        self.count(Kind::RoleManagementPolicy);
        self.made_policies
            .insert(ObjectId::new(policy), self.t.role_management_policies.len());
        self.t.role_management_policies.push(RoleManagementPolicy {
            origin,
            id: Some(ObjectId::new(policy)),
            display_name: None,
            scope_id: Some(ObjectId::new(&scope_id)),
            scope_type: Some(scope_type),
            is_organization_default: Some(false),
            rules,
        });
    }
}

/// The data sources of a configuration that read which policy governs a role.
pub(super) fn lookups<'v>(
    data: impl IntoIterator<Item = (&'v str, &'v Value)>,
) -> Vec<PolicyLookup> {
    data.into_iter()
        .filter_map(|(address, values)| PolicyLookup::of(address, values))
        .collect()
}
