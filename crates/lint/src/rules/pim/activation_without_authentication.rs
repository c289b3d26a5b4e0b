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
    /// On the rules a Terraform or Microsoft365DSC configuration writes (a selection of the
    /// tenant's PIM policies), a role is judged only when both of its activation rules
    /// (`Enablement_EndUser_Assignment` and `AuthenticationContext_EndUser_Assignment`) are
    /// written: a rule left out is the tenant's, which the configuration does not show, and the
    /// role is listed as not judged.
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
        needs: &[
            Need::PIM_POLICY_SELECTION,
            Need::kind(Kind::RoleEligibilitySchedule),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_roles(cx, faults);
}

pub(super) fn faults(cx: &Check<'_>, chain: &RoleChain<'_>) -> Vec<Fault> {
    if !chain.privileged
        || chain.eligible.is_empty()
        || chain.requirement != Requirement::None
        || chain.rules_missing()
    {
        return Vec::new();
    }
    if let Some(unknown) = unwritten_activation_rule(cx, chain) {
        return vec![unknown];
    }
    // A policy that holds neither activation rule does not say what activation requires (a
    // declared policy, such as EasyPIM's, leaves unset what it does not name): not judged, and
    // said so.
    let Some(enablement) = chain.enablement else {
        return vec![Fault::not_judged(chain, "the activation rules")];
    };
    let at = enablement.origin.at("enabledRules");
    let mut fault = Fault::new(
        at,
        format!(
            "{} can be activated without any authentication",
            chain.role_name
        ),
        "neither MultiFactorAuthentication nor an authentication context is required",
        CHAIN_HELP,
    );
    if let Some(rule) = chain.context_rule {
        fault.related.push((
            rule.origin.at("isEnabled"),
            "no authentication context is required on activation".into(),
        ));
    }
    fault.related.extend(eligible_labels(cx, chain));
    vec![fault]
}
