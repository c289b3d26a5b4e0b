use super::*;
use crate::analysis::strength::{Grant, StrengthClass, StrengthSource};

declare_rule! {
    /// The Conditional Access policy behind a role's activation context does not require a phishing-resistant strength.
    ///
    /// ## Why is this bad?
    /// The authentication context exists so that activation demands a proof the session does not
    /// already hold. A context policy that grants with plain `mfa`, or with a strength that allows
    /// any combination that is not phishing-resistant (password + push, SMS, a Temporary Access
    /// Pass...), is satisfied by the MFA the user, or a token thief, already has. Sign-in frequency
    /// "every time" alone does not help: Microsoft documents a five-minute tolerance and no
    /// re-prompt after strong authentication earlier in the session, and it never raises the method.
    ///
    /// Counts as phishing-resistant only an enabled policy whose grant requires an authentication
    /// strength whose every allowed combination is FIDO2 (passkeys), Windows Hello for Business or
    /// certificate-based MFA, and which no other control of an `OR` grant can replace. Strengths are
    /// resolved by id (exported `authenticationStrengthPolicies`, the object embedded in the policy,
    /// or the three built-ins), never by display name. A policy that would qualify but is not
    /// enabled is left to the rule about report-only and disabled context policies.
    ///
    /// Critical for Global Administrator, Privileged Role Administrator and Privileged
    /// Authentication Administrator, high for every other role.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   {
    ///     "id": "DirectoryRole_7c8d9e0f_paa", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
    ///         "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": true, "claimValue": "c1" }
    ///     ]
    ///   },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_paa", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13" },
    ///   { "displayName": "PIM elevation", "state": "enabled",
    ///     "conditions": { "applications": { "includeAuthenticationContextClassReferences": ["c1"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] },
    ///     "sessionControls": { "signInFrequency": { "isEnabled": true, "frequencyInterval": "everyTime" } } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   {
    ///     "id": "DirectoryRole_7c8d9e0f_paa", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
    ///         "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": true, "claimValue": "c1" }
    ///     ]
    ///   },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_paa", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13" },
    ///   { "displayName": "PIM elevation", "state": "enabled",
    ///     "conditions": { "applications": { "includeAuthenticationContextClassReferences": ["c1"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "grantControls": { "operator": "OR",
    ///                        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// In the context policy's grant, choose "Require authentication strength" with the built-in
    /// Phishing-resistant MFA strength (`00000000-0000-0000-0000-000000000004`) or a custom strength
    /// that allows only `fido2`, `windowsHelloForBusiness` and `x509CertificateMultiFactor`, and no
    /// other grant control beside it under `OR`.
    ///
    /// ## References
    /// - [Authentication strengths](https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths)
    /// - [Require reauthentication every time](https://learn.microsoft.com/entra/identity/conditional-access/concept-session-lifetime)
    pub static CONTEXT_POLICY_NOT_PHISHING_RESISTANT = {
        code: "PIM006",
        name: "context-policy-not-phishing-resistant",
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
    if chain
        .context_policies
        .iter()
        .any(|p| p.enforces_phishing_resistance())
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    for cp in chain.context_policies.iter() {
        let p = cp.policy;
        let (field, label) = match &cp.grant {
            Grant::Block => continue,
            // Phishing-resistant but not enabled: the report-only/disabled rule's case. Other
            // controls standing in under `OR` are the narrowing rule's case.
            g if g.strength().is_some_and(|s| s.class == StrengthClass::PhishingResistant)
                && !g.alternatives().iter().any(|a| a == "mfa") =>
            {
                continue
            }
            Grant::Strength { strength, .. } if strength.class == StrengthClass::PhishingResistant => (
                "grantControls/operator",
                "`OR` lets plain MFA stand in for the phishing-resistant strength".to_owned(),
            ),
            Grant::Strength { strength, .. } if strength.class == StrengthClass::Unresolved => (
                "grantControls/authenticationStrength",
                format!(
                    "strength `{}` is neither in the export nor built in, so it cannot be shown to be phishing-resistant",
                    strength.name()
                ),
            ),
            Grant::Strength { strength, .. } => ("grantControls/authenticationStrength", weak_strength_label(strength)),
            Grant::Mfa { .. } => (
                "grantControls/builtInControls",
                "plain MFA: any method passes, including one the session already used".to_owned(),
            ),
            Grant::None if p.sign_in_frequency().is_some_and(|s| s.is_every_time()) => (
                "sessionControls/signInFrequency",
                "sign-in frequency \"every time\" re-prompts for the same methods, it does not require a stronger one".to_owned(),
            ),
            Grant::None => ("grantControls", "no authentication requirement in the grant".to_owned()),
        };
        let mut fault = Fault::new(
            p.origin.at(field),
            format!(
                "policy `{}` lets {} be activated (context `{c}`) without a phishing-resistant method",
                p.name(),
                chain.role_name
            ),
            label,
            "require the Phishing-resistant MFA authentication strength (or a custom strength allowing only fido2, windowsHelloForBusiness and x509CertificateMultiFactor) in this policy's grant",
        );
        fault.subject = Some(policy_subject(p));
        fault.related = context_labels(chain);
        if let Some(StrengthSource::Exported(def)) = cp.grant.strength().map(|s| &s.source) {
            let name = cp.grant.strength().map(|s| s.name()).unwrap_or_default();
            fault.related.push((
                def.at("allowedCombinations"),
                format!("`{name}` is defined here"),
            ));
        }
        out.push(fault);
    }
    out
}

fn weak_strength_label(strength: &crate::analysis::strength::ResolvedStrength) -> String {
    let weak = strength.weak_combinations();
    let shown: Vec<String> = weak.iter().take(3).map(|w| format!("`{w}`")).collect();
    let more = if weak.len() > 3 {
        format!(" and {} more", weak.len() - 3)
    } else {
        String::new()
    };
    format!(
        "strength `{}` also allows {}{more}",
        strength.name(),
        shown.join(", ")
    )
}
