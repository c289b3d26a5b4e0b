use super::*;

declare_rule! {
    /// A role's PIM policy requires an authentication context the tenant does not define.
    ///
    /// ## Why is this bad?
    /// The PIM setting "On activation, require Microsoft Entra Conditional Access authentication
    /// context" names a context by its claim value (`c1`…`c99`). When that value is not one of the
    /// tenant's `authenticationContextClassReferences` (it was deleted, or a policy-as-code
    /// template carried a value from another tenant), the chain points at nothing: no Conditional
    /// Access policy can be built for it in the portal, and the requirement is undefined.
    ///
    /// The rule needs the exported authentication contexts; without them it is not evaluated.
    /// Critical for Global Administrator, Privileged Role Administrator and Privileged
    /// Authentication Administrator, high for every other role.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
    ///         "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": true, "claimValue": "c9" } ] },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "c1", "displayName": "PIM elevation", "isAvailable": true }
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
    ///   { "id": "c1", "displayName": "PIM elevation", "isAvailable": true }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Create the authentication context (Entra admin center, Protection > Conditional Access >
    /// Authentication contexts) or change the role's PIM setting to a context that exists, then
    /// target it with an enabled Conditional Access policy that requires a phishing-resistant
    /// authentication strength.
    ///
    /// ## References
    /// - [Authentication context in Conditional Access](https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#authentication-context)
    pub static UNDEFINED_CONTEXT = {
        code: "PIM003",
        name: "undefined-context",
        severity: Severity::High,
        needs: &[
            Need::PIM_POLICY_SELECTION,
            Need::kind(Kind::AuthenticationContext).when(ACTIVATION_REQUIRES_CONTEXT),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_roles(cx, faults);
}

pub(super) fn faults(cx: &Check<'_>, chain: &RoleChain<'_>) -> Vec<Fault> {
    let (Some(c), Some(rule)) = (&chain.context, chain.context_rule) else {
        return Vec::new();
    };
    if chain.context_definition.is_some() || !cx.tenant.inventory.has(Kind::AuthenticationContext) {
        return Vec::new();
    }
    let defined: Vec<String> = cx
        .tenant
        .authentication_contexts
        .iter()
        .filter_map(|x| x.id.as_deref())
        .map(|id| format!("`{id}`"))
        .collect();
    let label = if defined.is_empty() {
        "the tenant defines no authentication context".to_owned()
    } else {
        format!("the tenant defines {}", defined.join(", "))
    };
    vec![Fault::new(
        rule.origin.at("claimValue"),
        format!("{} requires authentication context `{c}`, which the tenant does not define", chain.role_name),
        label,
        format!("create authentication context `{c}` or require one that exists, and target it with a phishing-resistant Conditional Access policy"),
    )]
}
