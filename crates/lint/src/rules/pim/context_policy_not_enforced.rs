use super::*;

declare_rule! {
    /// Every Conditional Access policy on a role's activation context is off or report-only.
    ///
    /// ## Why is this bad?
    /// This is worse than having no policy. When no policy targets the context, Microsoft falls
    /// back to requiring multifactor authentication on activation. But that fallback "isn't
    /// triggered if the Conditional Access policy is turned off, is in report-only mode, or has an
    /// eligible user excluded from the policy" (PIM role settings documentation). A report-only
    /// context policy therefore leaves activation with no authentication requirement at all, while
    /// the configuration looks hardened.
    ///
    /// Critical for Global Administrator, Privileged Role Administrator and Privileged
    /// Authentication Administrator, high for every other role.
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
    ///   { "displayName": "PIM elevation", "state": "enabledForReportingButNotEnforced",
    ///     "conditions": { "applications": { "includeAuthenticationContextClassReferences": ["c1"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "grantControls": { "operator": "OR",
    ///                        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Register phishing-resistant methods for the eligible users, review the report-only sign-in
    /// results, then set the policy's `state` to `enabled`. Until then, prefer requiring MFA on
    /// activation over a report-only context.
    ///
    /// ## References
    /// - [Configure Microsoft Entra role settings in PIM](https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-how-to-change-default-settings)
    pub static CONTEXT_POLICY_NOT_ENFORCED = {
        code: "PIM005",
        name: "context-policy-not-enforced",
        severity: Severity::Critical,
        needs: &[
            Need::PIM_POLICY_SELECTION,
            Need::kind(Kind::ConditionalAccessPolicy).when(ACTIVATION_REQUIRES_CONTEXT),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_roles(cx, faults);
}

pub(super) fn faults(_: &Check<'_>, chain: &RoleChain<'_>) -> Vec<Fault> {
    let Some(c) = &chain.context else {
        return Vec::new();
    };
    let policies = &chain.context_policies;
    if policies.is_empty() || policies.iter().any(|p| p.policy.is_enabled()) {
        return Vec::new();
    }
    let first = policies[0].policy;
    let state = |p: &entralint_parser::model::ConditionalAccessPolicy| {
        if p.is_report_only() {
            "report-only"
        } else {
            "disabled"
        }
    };
    let mut fault = Fault::new(
        first.origin.at("state"),
        format!(
            "every policy on context `{c}` is off or report-only, so {} activation has no requirement at all, not even the fallback MFA",
            chain.role_name
        ),
        format!("{}: never enforced, and it switches off Microsoft's fallback MFA", state(first)),
        "set the context policy's `state` to `enabled` once the eligible users have registered phishing-resistant methods",
    );
    fault.subject = Some(policy_subject(first));
    for other in policies.iter().skip(1) {
        fault.related.push((
            other.policy.origin.at("state"),
            format!("`{}` is {} too", other.policy.name(), state(other.policy)),
        ));
    }
    fault.related.extend(context_labels(chain));
    vec![fault]
}
