use super::*;

declare_rule! {
    /// Privileged role activation requires no authentication at all.
    ///
    /// ## Why is this bad?
    /// When the role's PIM policy asks for neither multifactor authentication nor an authentication
    /// context on activation, any signed-in session of an eligible user can elevate, including one
    /// that used a password alone. Eligibility then protects nothing that a standing assignment
    /// would not.
    ///
    /// The rule looks at privileged roles with at least one eligible principal: critical for
    /// Global Administrator, Privileged Role Administrator and Privileged Authentication
    /// Administrator, high for the other privileged roles.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   {
    ///     "id": "DirectoryRole_7c8d9e0f_pra", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
    ///         "id": "Enablement_EndUser_Assignment", "enabledRules": ["Justification"] },
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
    ///         "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": false, "claimValue": null }
    ///     ]
    ///   },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_pra", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "e8611ab8-c189-46e8-94e1-60213ab1f814" },
    ///   { "id": "e2", "principalId": "1a2b3c4d-0001-4000-8000-000000000002", "directoryScopeId": "/",
    ///     "roleDefinitionId": "e8611ab8-c189-46e8-94e1-60213ab1f814", "roleEligibilityScheduleId": "s2" }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Require an authentication context on activation and target it with an enabled Conditional
    /// Access policy that requires a phishing-resistant authentication strength (see PIM001). As a
    /// stopgap, at least require multifactor authentication on activation.
    ///
    /// ## References
    /// - [Configure Microsoft Entra role settings in PIM](https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-how-to-change-default-settings)
    pub static ACTIVATION_WITHOUT_AUTHENTICATION = {
        code: "PIM002",
        name: "activation-without-authentication",
        severity: Severity::Critical,
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    if !pim_input(cx) || !eligibility_input(cx) {
        return;
    }
    let analysis = cx.analysis;
    for chain in analysis.chains() {
        if !chain.privileged || chain.eligible.is_empty() || chain.requirement != Requirement::None
        {
            continue;
        }
        if chain.rules_missing() {
            continue;
        }
        let at = match chain.enablement {
            Some(rule) => rule.origin.at("enabledRules"),
            None => chain.policy.origin.at("rules"),
        };
        let eligible = eligible_labels(cx, chain);
        let f = cx.report(
            at,
            format!(
                "{} can be activated without any authentication",
                chain.role_name
            ),
        );
        f.severity(chain_severity(chain))
            .label("neither MultiFactorAuthentication nor an authentication context is required")
            .help(CHAIN_HELP)
            .subject(chain_subject(chain))
            .key(&chain.role_id);
        if let Some(rule) = chain.context_rule {
            f.related(
                rule.origin.at("isEnabled"),
                "no authentication context is required on activation",
            );
        }
        for (at, message) in eligible {
            f.related(at, message);
        }
    }
}
