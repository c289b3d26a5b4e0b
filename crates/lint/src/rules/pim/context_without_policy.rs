use super::*;

declare_rule! {
    /// The authentication context a role requires on activation has no Conditional Access policy.
    ///
    /// ## Why is this bad?
    /// An authentication context is only a label until a Conditional Access policy targets it. When
    /// no policy lists the context in `includeAuthenticationContextClassReferences`, Microsoft falls
    /// back to requiring multifactor authentication on activation, which is the claim check of
    /// PIM001: an MFA earlier in the session, or a stolen token that carries one, satisfies it.
    /// The role looks hardened in PIM and is not.
    ///
    /// Critical for Global Administrator, Privileged Role Administrator and Privileged
    /// Authentication Administrator, high for every other role.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   {
    ///     "id": "DirectoryRole_7c8d9e0f_sec", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
    ///         "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": true, "claimValue": "c2" }
    ///     ]
    ///   },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_sec", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "194ae4cb-b126-40b2-bd5b-6091b380977d" },
    ///   { "displayName": "Require MFA for admins", "state": "enabled",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeRoles": ["194ae4cb-b126-40b2-bd5b-6091b380977d"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Create an enabled Conditional Access policy with the context in
    /// `conditions.applications.includeAuthenticationContextClassReferences`, all eligible users in
    /// scope (not the directory role: nobody holds it while activating), and the Phishing-resistant
    /// MFA authentication strength as its grant.
    ///
    /// ## References
    /// - [Configure Microsoft Entra role settings in PIM](https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-how-to-change-default-settings)
    /// - [Conditional Access: authentication context](https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#authentication-context)
    pub static CONTEXT_WITHOUT_POLICY = {
        code: "PIM004",
        name: "context-without-policy",
        severity: Severity::High,
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
    let (Some(c), Some(rule)) = (&chain.context, chain.context_rule) else {
        return Vec::new();
    };
    if !chain.context_policies.is_empty() {
        return Vec::new();
    }
    let mut fault = Fault::new(
        rule.origin.at("claimValue"),
        format!(
            "{} requires authentication context `{c}` on activation, but no Conditional Access policy targets it",
            chain.role_name
        ),
        format!("no policy lists `{c}`: activation falls back to an MFA claim check"),
        format!(
            "create an enabled Conditional Access policy with `{c}` in includeAuthenticationContextClassReferences, the eligible users in scope, and a phishing-resistant authentication strength"
        ),
    );
    if let Some(def) = chain.context_definition {
        let name = def
            .display_name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        fault.related.push((
            def.origin.at("id"),
            format!("context `{c}`{name} is defined here"),
        ));
    }
    vec![fault]
}
