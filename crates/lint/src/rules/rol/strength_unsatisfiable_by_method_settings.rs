use super::*;
use crate::analysis::methods::configurations_for;

declare_rule! {
    /// A policy requires an authentication strength that the tenant's method settings make impossible.
    ///
    /// ## Why is this bad?
    /// An authentication strength lists method combinations; the tenant's authentication methods
    /// policy decides which methods exist for whom. When every allowed combination needs a method
    /// that is disabled, or not targeted at any user the policy applies to (FIDO2 turned off while
    /// the strength allows only FIDO2 and certificates, and certificate-based authentication not
    /// configured), nobody in scope can register or present it: enforcing the policy locks them
    /// all out.
    ///
    /// Methods map to method configurations: `fido2` → FIDO2, `x509Certificate*` →
    /// X509Certificate, `microsoftAuthenticatorPush`/`deviceBasedPush` → MicrosoftAuthenticator,
    /// `softwareOath` → SoftwareOath or MicrosoftAuthenticator, `hardwareOath` → HardwareOath,
    /// `sms` → Sms, `voice` → Voice, `temporaryAccessPass*` → TemporaryAccessPass. Windows Hello
    /// for Business, passwords and federated methods are configured elsewhere and always count as
    /// available. A method whose configuration is not in the export counts as available (it
    /// cannot be shown to be off). Needs the authentication method configurations in the input.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "disabled",
    ///     "includeTargets": [ { "targetType": "group", "id": "all_users" } ] },
    ///   { "@odata.type": "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration", "id": "X509Certificate",
    ///     "state": "disabled", "includeTargets": [] },
    ///   { "id": "6e7f8091-0002-4000-8000-000000000002", "displayName": "Security keys only", "policyType": "custom",
    ///     "allowedCombinations": ["fido2", "x509CertificateMultiFactor"] },
    ///   { "displayName": "CA105 - Admins - security keys", "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"] }, "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "authenticationStrength": { "id": "6e7f8091-0002-4000-8000-000000000002" } } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "enabled",
    ///     "includeTargets": [ { "targetType": "group", "id": "all_users" } ] },
    ///   { "displayName": "CA105 - Admins - phishing-resistant", "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"] }, "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Enable the method the strength relies on (Authentication methods > Policies) for the users
    /// in scope, or choose a strength whose combinations the tenant offers.
    ///
    /// ## References
    /// - [Manage authentication methods](https://learn.microsoft.com/entra/identity/authentication/concept-authentication-methods-manage)
    pub static STRENGTH_UNSATISFIABLE_BY_METHOD_SETTINGS = {
        code: "ROL002",
        name: "strength-unsatisfiable-by-method-settings",
        severity: Severity::Critical,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
            Need::kind(Kind::AuthenticationMethodConfiguration),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let a = cx.analysis;
    for p in &cx.tenant.conditional_access {
        if !(p.is_enabled() || p.is_report_only()) {
            continue;
        }
        let Some(strength) = required_strength(cx, p) else {
            continue;
        };
        let users = affected_users(cx, p);
        // For each combination, the first method that nobody in scope can use, with its setting.
        let mut blockers = Vec::new();
        let mut possible = false;
        for combination in &strength.combinations {
            let missing = combination.iter().find_map(|mode| {
                let ids = configurations_for(mode)?;
                let configs: Vec<_> = ids
                    .iter()
                    .filter_map(|id| a.method_configuration(id))
                    .collect();
                if configs.len() < ids.len() {
                    return None; // a configuration not exported cannot be shown to be off
                }
                let usable = configs.iter().any(|c| {
                    if users.is_empty() {
                        a.method_available(c, None)
                    } else {
                        users.iter().any(|u| a.method_available(c, Some(u)))
                    }
                });
                (!usable).then(|| (mode.clone(), configs[0]))
            });
            match missing {
                Some(m) => blockers.push(m),
                None => possible = true,
            }
        }
        if possible || blockers.is_empty() {
            continue;
        }
        let modes: BTreeSet<&str> = blockers.iter().map(|(m, _)| m.as_str()).collect();
        let f = cx.report(
            p.origin.at("grantControls/authenticationStrength"),
            format!(
                "policy `{}` requires strength `{}`, but the tenant's method settings leave no allowed combination usable ({} off or not targeted at the users in scope)",
                p.name(),
                strength.name(),
                modes.into_iter().collect::<Vec<_>>().join(", ")
            ),
        );
        f.label("no combination of this strength can be presented")
            .help("enable the methods this strength relies on for the users in scope, or choose another strength")
            .subject(policy_subject(p));
        let mut shown = BTreeSet::new();
        for (mode, config) in &blockers {
            if shown.insert(config.origin.clone()) {
                let name = config.id.as_deref().unwrap_or("method");
                let what = match config.state.as_deref() {
                    Some(s) if s.eq_ignore_ascii_case("enabled") => {
                        format!("{name} ({mode}) is enabled but targets none of the users in scope")
                    }
                    Some(s) => format!("{name} ({mode}) is {s}"),
                    None => format!("{name} ({mode}) has no state"),
                };
                f.related(config.origin.at("state"), what);
            }
        }
    }
}
