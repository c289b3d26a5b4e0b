use super::*;

declare_rule! {
    /// Privileged role activation is protected only by an MFA claim the session may already hold.
    ///
    /// ## Why is this bad?
    /// "Require multifactor authentication on activation" in PIM checks whether the session's token
    /// already carries an MFA claim. An administrator who signed in with push MFA half an hour
    /// earlier, or an attacker replaying a stolen token that did, activates the role without any new
    /// prompt. Microsoft's PIM documentation says as much: users might not be prompted for MFA if
    /// they authenticated with strong credentials or provided MFA earlier in the session.
    ///
    /// The robust design is a chain: the role requires an authentication context on activation, an
    /// enabled Conditional Access policy targets that context, and it grants access only with a
    /// phishing-resistant authentication strength. Because the session's earlier method cannot
    /// satisfy that strength, the user is prompted at the moment of elevation.
    ///
    /// The rule looks at privileged roles (the exported role definitions' `isPrivileged`, else
    /// Microsoft's list of privileged roles) that have at least one eligible principal. It is
    /// critical for Global Administrator, Privileged Role Administrator and Privileged
    /// Authentication Administrator, and high for the other privileged roles.
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
    ///     "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
    ///         "id": "Enablement_EndUser_Assignment",
    ///         "enabledRules": ["MultiFactorAuthentication", "Justification"] },
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
    ///         "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": false, "claimValue": "" }
    ///     ]
    ///   },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "e1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "roleEligibilityScheduleId": "s1" }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   {
    ///     "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
    ///         "id": "Enablement_EndUser_Assignment", "enabledRules": ["Justification"] },
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
    ///         "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": true, "claimValue": "c1" }
    ///     ]
    ///   },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "e1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "roleEligibilityScheduleId": "s1" }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// In the role's PIM settings choose "On activation, require: Microsoft Entra Conditional Access
    /// authentication context" (`AuthenticationContext_EndUser_Assignment` with `isEnabled: true`
    /// and a `claimValue` such as `c1`), and create an enabled Conditional Access policy that
    /// targets that context for all eligible users and requires the Phishing-resistant MFA
    /// authentication strength. Register phishing-resistant methods for the eligible users first.
    ///
    /// ## References
    /// - [Configure Microsoft Entra role settings in PIM](https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-how-to-change-default-settings)
    /// - [Conditional Access authentication strengths](https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths)
    pub static ACTIVATION_MFA_CLAIM_ONLY = {
        code: "PIM001",
        name: "activation-mfa-claim-only",
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
    if !chain.privileged || chain.eligible.is_empty() || chain.requirement != Requirement::MfaClaim
    {
        return Vec::new();
    }
    if let Some(unknown) = unwritten_activation_rule(cx, chain) {
        return vec![unknown];
    }
    let Some(enablement) = chain.enablement else {
        return Vec::new();
    };
    let mut fault = Fault::new(
        enablement.origin.at("enabledRules"),
        format!(
            "{} can be activated on an MFA claim the session already holds",
            chain.role_name
        ),
        "satisfied by any earlier MFA in the session, or a stolen token",
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
