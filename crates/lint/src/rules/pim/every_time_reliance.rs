use super::*;

declare_rule! {
    /// A policy on a role's activation relies on sign-in frequency "every time" for a fresh sign-in.
    ///
    /// ## Why is this bad?
    /// "Require reauthentication every time" is not an absolute re-prompt. Microsoft documents a
    /// five-minute tolerance (no prompt if the user completed MFA in the last five minutes), no
    /// re-prompt after a browser is closed and reopened within the session lifetime, and that
    /// users may not be re-prompted when they already authenticated with strong credentials. It
    /// also never raises the method: the user re-enters the same MFA the attacker may already
    /// replay. For privileged activation Microsoft recommends an authentication context with a
    /// phishing-resistant strength instead.
    ///
    /// The rule looks at the policies that target a privileged role's activation context and at
    /// policies that include the role itself. Medium; low when the policy also requires a
    /// phishing-resistant strength (then "every time" only adds friction).
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
    ///   { "displayName": "PIM reauthentication", "state": "enabled",
    ///     "conditions": { "applications": { "includeAuthenticationContextClassReferences": ["c1"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] },
    ///     "sessionControls": { "signInFrequency": { "isEnabled": true, "frequencyInterval": "everyTime",
    ///                                               "authenticationType": "primaryAndSecondaryAuthentication" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Require the Phishing-resistant MFA authentication strength in the context policy: the
    /// session's earlier methods cannot satisfy it, so the user is prompted at each activation.
    /// Sign-in frequency "every time" can then stay or go.
    ///
    /// ## References
    /// - [Require reauthentication every time](https://learn.microsoft.com/entra/identity/conditional-access/concept-session-lifetime)
    pub static EVERY_TIME_RELIANCE = {
        code: "PIM009",
        name: "every-time-reliance",
        severity: Severity::Medium,
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

pub(super) fn faults(cx: &Check<'_>, chain: &RoleChain<'_>) -> Vec<Fault> {
    if !chain.privileged {
        return Vec::new();
    }
    let mut candidates: Vec<(
        &entralint_parser::model::ConditionalAccessPolicy,
        bool,
        String,
    )> = chain
        .context_policies
        .iter()
        .map(|cp| {
            (
                cp.policy,
                cp.grant.is_phishing_resistant(),
                format!("context `{}`", chain.context.as_deref().unwrap_or_default()),
            )
        })
        .collect();
    if let ChainTarget::Role(role) = &chain.target {
        // Identity, not equality: the context policies already listed.
        let listed: std::collections::HashSet<*const _> = candidates
            .iter()
            .map(|(q, _, _)| std::ptr::from_ref(*q))
            .collect();
        for p in &cx.tenant.conditional_access {
            if p.conditions
                .users
                .include_roles
                .iter()
                .any(|r| r == role)
                && !listed.contains(&std::ptr::from_ref(p))
            {
                let pr = crate::analysis::strength::grant(cx.tenant, p).is_phishing_resistant();
                candidates.push((p, pr, "the role".to_owned()));
            }
        }
    }
    let mut out = Vec::new();
    for (p, pr, via) in candidates {
        if p.is_disabled() || !p.sign_in_frequency().is_some_and(|s| s.is_every_time()) {
            continue;
        }
        let mut fault = Fault::new(
            p.origin.at("sessionControls/signInFrequency"),
            format!(
                "policy `{}` on {via} relies on sign-in frequency \"every time\" to make {} activation fresh{}",
                p.name(),
                chain.role_name,
                if pr { ", besides its phishing-resistant strength" } else { "" }
            ),
            "not an absolute re-prompt: 5-minute tolerance, and an earlier strong sign-in satisfies it",
            "require the Phishing-resistant MFA authentication strength in this policy instead of relying on sign-in frequency",
        );
        fault.severity = Some(if pr { Severity::Low } else { Severity::Medium });
        fault.subject = Some(policy_subject(p));
        if chain.context.is_some() {
            fault.related = context_labels(chain);
        }
        out.push(fault);
    }
    out
}
