use super::*;
use crate::analysis::strength::StrengthClass;

declare_rule! {
    /// No enforced Conditional Access policy requires a phishing-resistant authentication strength for the privileged roles.
    ///
    /// ## Why is this bad?
    /// Plain MFA stops password spraying, not phishing: an adversary-in-the-middle page relays the
    /// SMS code or the push approval and keeps the session cookie. Only FIDO2 keys and passkeys,
    /// Windows Hello for Business and certificate-based MFA are bound to the real sign-in origin
    /// or device. Microsoft (template "Require phishing-resistant multifactor authentication for
    /// administrators"), CISA (MS.AAD.3.6) and CIS require them for the privileged roles.
    ///
    /// A policy qualifies on the same terms as for ADM001 — enabled; every role of the set in
    /// `includeRoles`, or `All` users, or a persona group proven to hold them (as ADM001); none of
    /// them excluded; `All` resources with no exclusion; no
    /// location, platform or risk condition; only break-glass and service accounts excluded — and
    /// its grant must be an authentication strength whose every allowed combination is
    /// phishing-resistant, with no other control that can replace it under `OR`. Strengths are
    /// resolved by id (exported definitions, then the built-in ones), never by display name.
    ///
    /// The role set is the admin profile of entralint.toml when one is configured; otherwise
    /// Global, Privileged Role and Privileged Authentication Administrator together with the
    /// roles of the CISA (`cisa-8`) and Microsoft template (`microsoft-14`) sets. One finding is
    /// reported, at the closest policy and the field that disqualifies it (typically its weak
    /// grant or its missing roles), with other near misses as related labels; without any
    /// candidate, at the first Conditional Access policy. More than 10 disqualifying entries in
    /// one exclusion list are one label, naming the first 5 and giving the count.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "displayName": "Require MFA for all users", "state": "enabled",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "displayName": "Require phishing-resistant MFA for all users", "state": "enabled",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": [],
    ///                        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Enable a policy that includes every privileged role of the set (or all users) and all
    /// resources and requires the built-in "Phishing-resistant MFA" strength (or a custom one
    /// allowing only FIDO2, Windows Hello for Business and certificate-based MFA) as its only grant
    /// control, excluding only break-glass and service accounts. Check first that every admin has
    /// registered such a method, or they are locked out.
    ///
    /// ## References
    /// - [Require phishing-resistant multifactor authentication for administrators](https://learn.microsoft.com/entra/identity/conditional-access/how-to-policy-phish-resistant-admin-mfa)
    /// - [Conditional Access authentication strength](https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths)
    pub static ADMIN_PHISHING_RESISTANCE_MISSING = {
        code: "ADM002",
        name: "admin-phishing-resistance-missing",
        severity: Severity::High,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let (profile, roles) = cx.analysis.phishing_resistant_profile();
    let candidates = mfa_candidates(cx, &roles, grant_defects);
    let head = format!(
        "no enforced policy requires a phishing-resistant strength for the {profile} admin roles"
    );
    report_closest(
        cx,
        candidates,
        &head,
        "no Conditional Access policy requires phishing-resistant MFA for these roles",
        "enable one policy that requires a phishing-resistant authentication strength as its only grant control from every privileged role, or all users, for all resources, excluding only break-glass and service accounts",
        profile,
        true,
    );
}

/// Where the grant falls short of a phishing-resistant strength no other control can replace.
fn grant_defects(p: &ConditionalAccessPolicy, g: &Grant) -> Vec<Defect> {
    let mut out = Vec::new();
    match g {
        Grant::Mfa { .. } => out.push(Defect::new(
            p.origin.at("grantControls/builtInControls"),
            "requires plain MFA, which phishable methods (SMS, voice, push) satisfy",
            "`mfa`: any method, phishable ones included",
        )),
        Grant::Strength { strength, .. } => match strength.class {
            StrengthClass::PhishingResistant => {}
            StrengthClass::Mfa => {
                let weak = strength.weak_combinations();
                let shown: Vec<String> = weak.iter().take(3).map(|c| format!("`{c}`")).collect();
                let more = if weak.len() > 3 { ", ..." } else { "" };
                out.push(Defect::new(
                    p.origin.at("grantControls/authenticationStrength"),
                    format!(
                        "requires strength `{}`, which allows phishable methods ({}{more})",
                        strength.name(),
                        shown.join(", ")
                    ),
                    "allows methods that are not phishing-resistant",
                ));
            }
            StrengthClass::Unresolved => out.push(Defect::new(
                p.origin.at("grantControls/authenticationStrength"),
                format!(
                    "requires strength `{}`, which is neither exported nor built in, so its methods are unknown",
                    strength.name()
                ),
                "unknown strength: export authenticationStrengthPolicies",
            )),
        },
        _ => {}
    }
    if !g.alternatives().is_empty() {
        out.push(Defect::new(
            p.origin.at("grantControls/operator"),
            format!(
                "lets {} satisfy the grant instead (`OR`)",
                list(g.alternatives())
            ),
            "`OR`: the strength is optional",
        ));
    }
    out
}
