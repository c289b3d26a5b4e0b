use super::*;

declare_rule! {
    /// PIM for Groups: membership or ownership of a group holding a privileged role activates weakly.
    ///
    /// ## Why is this bad?
    /// With PIM for Groups a role is assigned to a role-assignable group and users are made
    /// eligible for the group's membership (or ownership) instead of the role. Activating the
    /// membership is activating the role, but it is governed by the group's own PIM policies, one
    /// for `member` and one for `owner` (scopeType `Group`), not by the role's. Conditional Access
    /// "directory roles" targeting and Secure Score do not see these users either. An owner can
    /// add themselves as a member, so a weaker owner policy undoes a strong member policy.
    ///
    /// For every group that holds a privileged role (actively or as eligible), the rule applies
    /// the checks of PIM001, PIM002 and PIM003–PIM008 to the group's `member` and `owner`
    /// policies, and reports an owner activation weaker than the member one. Critical when the
    /// group holds Global Administrator, Privileged Role Administrator or Privileged
    /// Authentication Administrator, high otherwise.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "2b3c4d5e-0009-4000-8000-000000000009", "displayName": "PIM-GlobalAdmins",
    ///     "securityEnabled": true, "isAssignableToRole": true },
    ///   { "id": "a1", "principalId": "2b3c4d5e-0009-4000-8000-000000000009", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "Group_7c8d9e0f_g9m", "scopeId": "2b3c4d5e-0009-4000-8000-000000000009", "scopeType": "Group",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
    ///         "id": "Enablement_EndUser_Assignment", "enabledRules": ["MultiFactorAuthentication"] } ] },
    ///   { "policyId": "Group_7c8d9e0f_g9m", "scopeId": "2b3c4d5e-0009-4000-8000-000000000009",
    ///     "scopeType": "Group", "roleDefinitionId": "member" },
    ///   { "id": "ge1", "groupId": "2b3c4d5e-0009-4000-8000-000000000009", "accessId": "member",
    ///     "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "memberType": "direct" }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// In the group's PIM settings (Privileged Identity Management > Groups > the group > Settings),
    /// require an authentication context on activation for both `member` and `owner`, targeted by
    /// an enabled policy that requires a phishing-resistant strength and covers the eligible users
    /// (not the group itself).
    ///
    /// ## References
    /// - [PIM for Groups](https://learn.microsoft.com/entra/id-governance/privileged-identity-management/concept-pim-for-groups)
    /// - [Configure PIM for Groups settings](https://learn.microsoft.com/entra/id-governance/privileged-identity-management/groups-role-settings)
    pub static WEAK_GROUP_ACTIVATION = {
        code: "PIM011",
        name: "weak-group-activation",
        severity: Severity::High,
        needs: &[
            Need::PIM_POLICIES,
            Need::kind(Kind::ConditionalAccessPolicy).when(ACTIVATION_REQUIRES_CONTEXT),
            Need::kind(Kind::GroupEligibilitySchedule).when(PRIVILEGED_GROUP_CHAINS),
        ],
        check: check,
    }
}

/// The chain checks PIM011 applies to group memberships and ownerships.
const FINDERS: [FaultFinder; 8] = [
    super::activation_mfa_claim_only::faults,
    super::activation_without_authentication::faults,
    super::undefined_context::faults,
    super::context_without_policy::faults,
    super::context_policy_not_enforced::faults,
    super::context_policy_not_phishing_resistant::faults,
    super::context_policy_misses_eligible_users::faults,
    super::context_policy_narrowed::faults,
];

fn check(cx: &mut Check<'_>) {
    let analysis = cx.analysis;
    let groups: Vec<&RoleChain<'_>> = analysis
        .chains()
        .iter()
        .filter(|c| !c.is_role() && c.privileged)
        .collect();
    for chain in groups {
        let mut faults: Vec<Fault> = FINDERS.iter().flat_map(|find| find(cx, chain)).collect();
        let roles = chain.group_roles.join(", ");
        for f in &mut faults {
            f.message = format!("{} (it holds {roles})", f.message);
        }
        faults.extend(owner_weaker_than_member(cx, chain));
        report(cx, chain, faults);
    }
}

/// An owner can add themselves as a member: ownership must not activate with less.
fn owner_weaker_than_member(cx: &Check<'_>, owner: &RoleChain<'_>) -> Vec<Fault> {
    let ChainTarget::Group { group_id, access } = &owner.target else {
        return Vec::new();
    };
    if access != "owner" || owner.eligible.is_empty() {
        return Vec::new();
    }
    let member_target = ChainTarget::Group {
        group_id: group_id.clone(),
        access: "member".to_owned(),
    };
    let Some(member) = cx
        .analysis
        .chains()
        .iter()
        .find(|c| c.target == member_target)
    else {
        return Vec::new();
    };
    if owner.assurance() >= member.assurance() {
        return Vec::new();
    }
    let (_, link, at) = owner.verdict();
    let (_, _, member_at) = member.verdict();
    let mut fault = Fault::new(
        at,
        format!(
            "{} activates with less than its membership, and an owner can add themselves as a member (it holds {})",
            owner.role_name,
            owner.group_roles.join(", ")
        ),
        link,
        "give the group's owner policy at least the activation requirements of its member policy",
    );
    fault.related.push((
        member_at,
        format!("{} activates with more", member.role_name),
    ));
    vec![fault]
}
