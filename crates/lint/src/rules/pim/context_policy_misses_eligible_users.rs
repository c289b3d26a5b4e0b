use super::*;
use crate::analysis::chain::ScopeGap;
use entralint_parser::model::ConditionalAccessPolicy;

declare_rule! {
    /// The enforced policy on a role's activation context does not cover every eligible user.
    ///
    /// ## Why is this bad?
    /// A context policy protects only the users in its scope. Three mistakes leave eligible users
    /// outside it:
    ///
    /// - scoping it to the directory role itself: during activation the user does not hold the
    ///   role yet, so the policy never applies ("Don't create a Conditional Access policy scoped
    ///   to authentication context and a directory role at the same time"); the same holds for a
    ///   policy scoped to the PIM for Groups group being activated;
    /// - excluding an eligible user, directly or through a group: "the backup protection
    ///   mechanism isn't triggered if the policy has an eligible user excluded", so that user
    ///   activates with no requirement at all;
    /// - including users or groups that simply do not contain every eligible user.
    ///
    /// Eligible users are the role's eligible principals with groups expanded (nested groups
    /// included) and the users eligible for a PIM for Groups group that holds the role. Scope is
    /// evaluated as Conditional Access does: `All`, users, groups (transitively), active role
    /// holders only, guests; exclusions win. When a policy names groups and no group members are
    /// in the export, the rule is not evaluated. Past 10 eligible users outside the scope of one
    /// role's context policies, the role has one finding at the first, naming the first 5 and
    /// giving the count.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
    ///         "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": true, "claimValue": "c1" } ] },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "e1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "roleEligibilityScheduleId": "s1" },
    ///   { "displayName": "PIM elevation", "state": "enabled",
    ///     "conditions": { "applications": { "includeAuthenticationContextClassReferences": ["c1"] },
    ///                     "users": { "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"] } },
    ///     "grantControls": { "operator": "OR",
    ///                        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
    ///         "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": true, "claimValue": "c1" } ] },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "e1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "roleEligibilityScheduleId": "s1" },
    ///   { "displayName": "PIM elevation", "state": "enabled",
    ///     "conditions": { "applications": { "includeAuthenticationContextClassReferences": ["c1"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "grantControls": { "operator": "OR",
    ///                        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Scope the context policy to all users (excluding only break-glass accounts, which should not
    /// be eligible) or to a group that contains every eligible user, never to the directory role.
    /// Remove eligible users from its exclusions.
    ///
    /// ## References
    /// - [Configure Microsoft Entra role settings in PIM](https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-how-to-change-default-settings)
    /// - [Configure PIM for Groups settings](https://learn.microsoft.com/entra/id-governance/privileged-identity-management/groups-role-settings)
    pub static CONTEXT_POLICY_MISSES_ELIGIBLE_USERS = {
        code: "PIM007",
        name: "context-policy-misses-eligible-users",
        severity: Severity::High,
        needs: &[
            Need::PIM_POLICIES,
            Need::kind(Kind::RoleEligibilitySchedule),
            Need::kind(Kind::ConditionalAccessPolicy).when(ACTIVATION_REQUIRES_CONTEXT),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let analysis = cx.analysis;
    if let Some(reason) = analysis
        .chains()
        .iter()
        .find_map(|c| c.scope_unknown.clone())
    {
        cx.not_evaluated(reason);
    }
    report_roles(cx, faults);
}

pub(super) fn faults(cx: &Check<'_>, chain: &RoleChain<'_>) -> Vec<Fault> {
    let Some(c) = &chain.context else {
        return Vec::new();
    };
    if chain.scope_unknown.is_some() {
        return Vec::new();
    }
    let help = "scope the context policy to all users or to a group holding every eligible user, never to the role being activated, and exclude no eligible user";
    let mut out = Vec::new();
    for (_, cp) in chain.enforced() {
        let p = cp.policy;
        let users = &p.conditions.users;
        let own = match &chain.target {
            ChainTarget::Role(r) => users
                .include_roles
                .iter()
                .position(|x| x == r)
                .map(|i| ("includeRoles", i)),
            ChainTarget::Group { group_id, .. } => users
                .include_groups
                .iter()
                .position(|x| x == group_id)
                .map(|i| ("includeGroups", i)),
        };
        if let Some((field, i)) = own {
            let mut fault = Fault::new(
                p.origin.at(&format!("conditions/users/{field}/{i}")),
                format!(
                    "policy `{}` on context `{c}` is scoped to {} itself, which nobody holds while activating it",
                    p.name(),
                    chain.role_name
                ),
                "never matches at activation: the user does not hold it yet",
                help,
            );
            fault.subject = Some(policy_subject(p));
            fault.related = context_labels(chain);
            out.push(fault);
        }
    }
    // A policy scoped to the role itself is why its users are out of scope: one finding says it.
    let role_scoped = !out.is_empty();
    let gaps: Vec<&ScopeGap> = chain
        .scope_gaps
        .iter()
        .filter(|g| !role_scoped || !g.excluded.is_empty())
        .collect();
    if gaps.len() > ONE_BY_ONE {
        if let Some((at, label, policy)) = gap_location(chain, gaps[0]) {
            let n = gaps.len();
            let mut fault = Fault::new(
                at,
                format!(
                    "{n} users eligible for {} are outside every enforced policy on context `{c}`: {}",
                    chain.role_name,
                    first_of(gaps.iter().map(|g| g.name.clone()), n)
                ),
                format!("the first of {n}: {label}"),
                help,
            );
            fault.subject = Some(policy_subject(policy));
            fault.related = context_labels(chain);
            out.push(fault);
        }
        return out;
    }
    for gap in gaps {
        let Some((at, label, policy)) = gap_location(chain, gap) else {
            continue;
        };
        let mut fault = Fault::new(
            at,
            format!(
                "{}, eligible for {}, is outside every enforced policy on context `{c}`",
                gap.name, chain.role_name
            ),
            label,
            help,
        );
        fault.subject = Some(policy_subject(policy));
        fault.related = context_labels(chain);
        fault.related.extend(
            eligible_labels(cx, chain)
                .into_iter()
                .filter(|(_, m)| m.starts_with(&gap.name)),
        );
        out.push(fault);
    }
    out
}

/// Where a scope gap shows: the exclusion that takes the user out, else the scope of the first
/// enforced context policy; with the label and the policy.
fn gap_location<'t>(
    chain: &'t RoleChain<'t>,
    gap: &ScopeGap,
) -> Option<(Origin, String, &'t ConditionalAccessPolicy)> {
    match gap.excluded.first() {
        Some((i, e)) => {
            let p = chain.context_policies[*i].policy;
            Some((
                p.origin.at(&e.path()),
                format!(
                    "excludes {}: no requirement and no fallback MFA for them",
                    gap.name
                ),
                p,
            ))
        }
        None => {
            let (_, cp) = chain.enforced().next()?;
            Some((
                cp.policy.origin.at("conditions/users"),
                format!("{} is not in this scope", gap.name),
                cp.policy,
            ))
        }
    }
}
