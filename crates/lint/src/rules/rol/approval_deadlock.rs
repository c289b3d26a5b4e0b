use super::*;
use crate::analysis::{GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR};
use entralint_parser::model::{rule_ids, MembershipKind, RuleBody};

declare_rule! {
    /// Global or Privileged Role Administrator activation needs an approval nobody can give.
    ///
    /// ## Why is this bad?
    /// When activation requires approval and every approver is deleted, disabled, an empty group,
    /// or one of the eligible users themselves (nobody approves their own request), activation
    /// waits forever. If no one outside the break-glass accounts holds the role permanently, the
    /// break-glass accounts are then the only way in: the emergency access guidance names this
    /// lockout scenario.
    ///
    /// Evaluated for Global Administrator and Privileged Role Administrator when approval is
    /// required and someone is eligible. Needs users (and groups, when approvers are groups) in
    /// the input to tell whether approvers exist.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-0001-4000-8000-000000000001", "displayName": "Alice Admin", "userPrincipalName": "alice@contoso.com" },
    ///   { "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
    ///         "id": "Approval_EndUser_Assignment",
    ///         "setting": { "isApprovalRequired": true, "approvalMode": "SingleStage", "approvalStages": [
    ///           { "primaryApprovers": [ { "@odata.type": "#microsoft.graph.singleUser",
    ///                                     "userId": "1a2b3c4d-0001-4000-8000-000000000001" } ] } ] } } ] },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "e1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "roleEligibilityScheduleId": "s1" }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Name approvers who exist, are enabled and are not the eligible users (a small group of
    /// security leads), and keep the break-glass accounts as the only permanent Global
    /// Administrators.
    ///
    /// ## References
    /// - [Manage emergency access accounts](https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access)
    pub static APPROVAL_DEADLOCK = {
        code: "ROL005",
        name: "approval-deadlock",
        severity: Severity::High,
        needs: &[
            Need::kind(Kind::RoleManagementPolicy),
            Need::kind(Kind::User).so("so approvers cannot be resolved"),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let t = cx.tenant;
    let a = cx.analysis;
    let bg = a.break_glass();
    // Someone outside break-glass with permanent Global Administrator can always fix it.
    let fixer = t.role_memberships.iter().any(|m| {
        m.kind != MembershipKind::EligibilitySchedule
            && m.role_definition_id.as_ref() == Some(&GLOBAL_ADMINISTRATOR)
            && m.is_permanent()
            && m.principal_id.as_ref().is_some_and(|p| !bg.contains(p))
            && m.assignment_type
                .as_deref()
                .is_none_or(|x| x.eq_ignore_ascii_case("Assigned"))
    });
    if fixer {
        return;
    }
    for chain in a.chains() {
        let ChainTarget::Role(role) = &chain.target else {
            continue;
        };
        if ![GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR].contains(role)
            || chain.eligible.is_empty()
        {
            continue;
        }
        let Some(rule) = chain.policy.rule(rule_ids::APPROVAL_END_USER) else {
            continue;
        };
        let RuleBody::Approval {
            setting: Some(setting),
        } = &rule.body
        else {
            continue;
        };
        if setting.is_approval_required != Some(true) {
            continue;
        }
        let approvers: Vec<_> = setting
            .approval_stages
            .iter()
            .flat_map(|s| &s.primary_approvers)
            .collect();
        if approvers.is_empty() {
            continue; // PIM012 reports approval without approvers
        }
        let mut able = Vec::new();
        let mut why = Vec::new();
        for ap in &approvers {
            let group = ap.group_id.as_ref().or_else(|| {
                ap.odata_type
                    .as_deref()
                    .filter(|t| t.ends_with("groupMembers"))
                    .and(ap.id.as_ref())
            });
            let user = ap
                .user_id
                .as_ref()
                .or_else(|| group.is_none().then_some(()).and(ap.id.as_ref()));
            let candidates: Vec<ObjectId> = match (user, group) {
                (_, Some(g)) => {
                    let members = a.users_in_group(g);
                    if members.is_empty() {
                        why.push(format!("group {} has no members", who(a, g)));
                    }
                    members.iter().cloned().collect()
                }
                (Some(u), None) => vec![u.clone()],
                _ => Vec::new(),
            };
            for c in candidates {
                let exported = t.users.iter().find(|x| x.id.as_ref() == Some(&c));
                match exported {
                    None => why.push(format!("{c} is not in the directory (deleted?)")),
                    Some(u) if u.account_enabled == Some(false) => {
                        why.push(format!("{} is disabled", who(a, &c)))
                    }
                    Some(_) if chain.eligible_users.contains(&c) => {
                        why.push(format!("{} is an eligible requester", who(a, &c)))
                    }
                    Some(_) => able.push(c),
                }
            }
        }
        if !able.is_empty() {
            continue;
        }
        cx.report(
            rule.origin.at("setting/approvalStages"),
            format!(
                "{} activation needs approval that nobody can give ({}), and no one outside break-glass holds Global Administrator permanently",
                chain.role_name,
                why.join("; ")
            ),
        )
        .label("no approver who exists, is enabled and is not a requester")
        .help("name approvers who exist, are enabled and are not eligible for the role")
        .key(Key::Chain(chain.target.clone()));
    }
}
