use super::*;

declare_rule! {
    /// A break-glass account has no phishing-resistant method registered.
    ///
    /// ## Why is this bad?
    /// Microsoft requires MFA for every sign-in to the admin portals, break-glass accounts
    /// included, and recommends passkeys (FIDO2) or certificate-based authentication for them. A
    /// break-glass account with only a password, or with push or SMS, is either unusable in the
    /// emergency or an easy target the rest of the year.
    ///
    /// Phishing-resistant registrations are `fido2SecurityKey` (`fido2` in older data),
    /// `passKeyDeviceBound`, `passKeyDeviceBoundAuthenticator`, `passKeyDeviceBoundWindowsHello`,
    /// `windowsHelloForBusiness` and `macOsSecureEnclaveKey`: the `methodsRegistered` values of
    /// the passkey (FIDO2) and Windows Hello for Business or platform credential methods, which
    /// Microsoft's built-in Phishing-resistant MFA authentication strength accepts.
    /// Certificate-based authentication does not appear in the registration report; when a
    /// break-glass account relies on it, suppress this finding with that justification. An account
    /// without a registration record is reported as unknown, at medium severity. Needs
    /// `userRegistrationDetails` in the input.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "displayName": "Break Glass 01",
    ///     "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com" },
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com",
    ///     "isMfaRegistered": true, "methodsRegistered": ["mobilePhone"] }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "displayName": "Break Glass 01",
    ///     "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com" },
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com",
    ///     "isMfaRegistered": true, "methodsRegistered": ["fido2SecurityKey"] }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Register a FIDO2 security key (or passkey) for each break-glass account, or configure
    /// certificate-based authentication for it, and keep the credential in a separate safe.
    ///
    /// ## References
    /// - [Manage emergency access accounts](https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access)
    /// - [Conditional Access authentication strengths](https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths)
    /// - [userRegistrationDetails resource type](https://learn.microsoft.com/graph/api/resources/userregistrationdetails)
    pub static BREAK_GLASS_WITHOUT_PHISHING_RESISTANT_METHOD = {
        code: "BG003",
        name: "break-glass-without-phishing-resistant-method",
        severity: Severity::High,
        needs: &[
            Need::BREAK_GLASS,
            Need::kind(Kind::UserRegistrationDetails),
        ],
        check: check,
    }
}

/// `methodsRegistered` values that are phishing-resistant (device-bound, origin-bound).
pub const PHISHING_RESISTANT_REGISTRATIONS: [&str; 7] = [
    "fido2SecurityKey",
    "fido2",
    "passKeyDeviceBound",
    "passKeyDeviceBoundAuthenticator",
    "passKeyDeviceBoundWindowsHello",
    "windowsHelloForBusiness",
    "macOsSecureEnclaveKey",
];

fn check(cx: &mut Check<'_>) {
    let a = cx.analysis;
    let bg = a.break_glass();
    let t = cx.tenant;
    for id in bg.users() {
        let name = who(a, id);
        let record = a.registration(id);
        match record {
            Some(r) => {
                let strong = r.methods_registered.iter().any(|m| {
                    PHISHING_RESISTANT_REGISTRATIONS
                        .iter()
                        .any(|p| p.eq_ignore_ascii_case(m))
                });
                if strong {
                    continue;
                }
                let methods = if r.methods_registered.is_empty() {
                    "none".to_owned()
                } else {
                    r.methods_registered.join(", ")
                };
                cx.report(r.origin.at("methodsRegistered"), format!("break-glass account {name} has no phishing-resistant method registered (has: {methods}){}", bg.note()))
                    .label("no passkey, FIDO2 key or Windows Hello for Business")
                    .help("register a FIDO2 security key (or configure certificate-based authentication) for this account")
                    .key(Key::Object(id.clone()));
            }
            None => {
                let Some(user) = t.users.iter().find(|u| u.id.as_ref() == Some(id)) else {
                    continue;
                };
                cx.report(user.origin.clone(), format!("break-glass account {name} has no registration record, so its methods are unknown{}", bg.note()))
                    .severity(Severity::Medium)
                    .label("not in userRegistrationDetails")
                    .help("export userRegistrationDetails for every user, and register a FIDO2 key for this account")
                    .key(Key::Object(id.clone()));
            }
        }
    }
}
