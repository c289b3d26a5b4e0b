use super::*;

declare_rule! {
    /// The enforced policy on a role's activation context is narrowed by conditions or an `OR` grant.
    ///
    /// ## Why is this bad?
    /// Any condition of a context policy is a way around it. An activation from a trusted location
    /// or an excluded device platform, through a client app type the policy does not list, from a
    /// device its filter does not match, or at a risk level it does not name meets no requirement;
    /// and an `OR` grant lets a compliant device or an approved app stand in for the
    /// authentication strength. An attacker with a stolen token on a compliant, trusted network
    /// elevates silently.
    ///
    /// Null, absent and empty condition objects never narrow a policy; `clientAppTypes` of `all`
    /// (or empty) and locations or platforms that include `All` with no exclusions do not either.
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
    ///   { "displayName": "PIM elevation", "state": "enabled",
    ///     "conditions": { "applications": { "includeAuthenticationContextClassReferences": ["c1"] },
    ///                     "users": { "includeUsers": ["All"] },
    ///                     "locations": { "includeLocations": ["All"], "excludeLocations": ["AllTrusted"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["compliantDevice"],
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
    ///   { "displayName": "PIM elevation", "state": "enabled",
    ///     "conditions": { "applications": { "includeAuthenticationContextClassReferences": ["c1"] },
    ///                     "users": { "includeUsers": ["All"] }, "clientAppTypes": ["all"],
    ///                     "locations": null, "platforms": null },
    ///     "grantControls": { "operator": "OR",
    ///                        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Remove location, platform, client-app, device-filter and risk conditions from the context
    /// policy, and leave the authentication strength as its only grant control.
    pub static CONTEXT_POLICY_NARROWED = {
        code: "PIM008",
        name: "context-policy-narrowed",
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
    let Some(c) = &chain.context else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (_, cp) in chain.enforced() {
        for n in &cp.narrowing {
            let p = cp.policy;
            let mut fault = Fault::new(
                p.origin.at(n.path),
                format!(
                    "policy `{}` on context `{c}` {}, so some {} activations skip it",
                    p.name(),
                    n.what,
                    chain.role_name
                ),
                n.what.clone(),
                "remove the condition from the context policy and keep the authentication strength as its only grant control",
            );
            fault.subject = Some(policy_subject(p));
            fault.related = context_labels(chain);
            out.push(fault);
        }
    }
    out
}
