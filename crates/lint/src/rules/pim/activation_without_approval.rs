use super::*;
use crate::analysis::{GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR};
use entralint_parser::model::{rule_ids, RuleBody};

declare_rule! {
    /// Global Administrator or Privileged Role Administrator activates without approval, or with no approver.
    ///
    /// ## Why is this bad?
    /// Approval puts a second person between a compromised eligible account and the two roles
    /// that control the whole tenant. CISA's baseline (MS.AAD.7.6) requires it for Global
    /// Administrator, and Privileged Role Administrator can grant Global Administrator. An
    /// approval rule without approvers is no better: requests either cannot be approved or fall
    /// to defaults nobody watches.
    ///
    /// Evaluated for the two roles when they have eligible principals.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
    ///         "id": "Approval_EndUser_Assignment",
    ///         "setting": { "isApprovalRequired": false, "approvalMode": "SingleStage", "approvalStages": [] } } ] },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "e1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "roleEligibilityScheduleId": "s1" }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
    ///         "id": "Approval_EndUser_Assignment",
    ///         "setting": { "isApprovalRequired": true, "approvalMode": "SingleStage", "approvalStages": [
    ///           { "primaryApprovers": [ { "@odata.type": "#microsoft.graph.singleUser",
    ///                                     "userId": "1a2b3c4d-0004-4000-8000-000000000004" } ] } ] } } ] },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "e1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "roleEligibilityScheduleId": "s1" }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// In the role's PIM settings, turn on "Require approval to activate" and name at least one
    /// approver who is not among the eligible users (a person or a small group).
    ///
    /// ## References
    /// - [CISA M365 baseline, MS.AAD.7.6](https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md)
    pub static ACTIVATION_WITHOUT_APPROVAL = {
        code: "PIM012",
        name: "activation-without-approval",
        severity: Severity::Medium,
        needs: &[
            Need::PIM_POLICIES,
            Need::kind(Kind::RoleEligibilitySchedule),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_roles(cx, faults);
}

pub(super) fn faults(_: &Check<'_>, chain: &RoleChain<'_>) -> Vec<Fault> {
    let ChainTarget::Role(role) = &chain.target else {
        return Vec::new();
    };
    if ![GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR].contains(role)
        || chain.eligible.is_empty()
        || chain.rules_missing()
    {
        return Vec::new();
    }
    let help = "turn on \"Require approval to activate\" and name at least one approver who is not an eligible user";
    // A policy without the approval rule does not say whether approval is required (a declared
    // policy, such as EasyPIM's, leaves unset what it does not name): not judged, and said so.
    let Some(rule) = chain.policy.rule(rule_ids::APPROVAL_END_USER) else {
        return vec![Fault::not_judged(chain, "the approval rule")];
    };
    let setting = match &rule.body {
        RuleBody::Approval { setting } => setting.as_ref(),
        _ => None,
    };
    let at = |path: &str| rule.origin.at(path);
    let mut fault = match setting {
        Some(s) if s.is_approval_required == Some(true) => {
            let any = s
                .approval_stages
                .iter()
                .any(|st| !st.primary_approvers.is_empty());
            if any {
                return Vec::new();
            }
            Fault::new(
                at("setting/approvalStages"),
                format!(
                    "{} activation requires approval, but no approver is named",
                    chain.role_name
                ),
                "no primary approvers in any stage",
                help,
            )
        }
        _ => Fault::new(
            at("setting/isApprovalRequired"),
            format!("{} can be activated without approval", chain.role_name),
            "no second person sees the activation",
            help,
        ),
    };
    fault.severity = Some(Severity::Medium);
    vec![fault]
}
