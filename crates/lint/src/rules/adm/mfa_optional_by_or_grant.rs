use super::*;
use entralint_parser::model::{BuiltInControl, GrantOperator};

declare_rule! {
    /// A policy requires MFA "or" another control, so the other control alone satisfies it.
    ///
    /// ## Why is this bad?
    /// With `operator` `OR` ("Require one of the selected controls") the user needs only one of
    /// the grant controls. A policy that lists MFA (or an authentication strength) together with a
    /// compliant or hybrid-joined device, an approved client app, an app protection policy or terms
    /// of use asks for no second factor from anyone who meets the other control: a stolen password
    /// on a compliant laptop, or a click on "Accept" for terms of use, is enough. The policy's name
    /// says MFA; its grant does not.
    ///
    /// Evaluated for every policy that is not disabled (report-only included, since it is meant to
    /// be enabled as it stands).
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "displayName": "Require MFA or compliant device", "state": "enabled",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa", "compliantDevice"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "displayName": "Require MFA and compliant device", "state": "enabled",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "grantControls": { "operator": "AND", "builtInControls": ["mfa", "compliantDevice"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Set `operator` to `AND` ("Require all the selected controls"), or split the policy: one
    /// that requires MFA, another that requires the device or app control.
    ///
    /// ## References
    /// - [Conditional Access: Grant](https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant)
    pub static MFA_OPTIONAL_BY_OR_GRANT = {
        code: "ADM005",
        name: "mfa-optional-by-or-grant",
        severity: Severity::Medium,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
        ],
        check: check,
    }
}

/// Controls that can stand in for MFA under `OR`.
const ALTERNATIVES: [BuiltInControl; 4] = [
    BuiltInControl::CompliantDevice,
    BuiltInControl::DomainJoinedDevice,
    BuiltInControl::ApprovedApplication,
    BuiltInControl::CompliantApplication,
];

fn check(cx: &mut Check<'_>) {
    for p in &cx.tenant.conditional_access {
        if p.is_disabled() {
            continue;
        }
        let Some(g) = p.grant_controls.as_ref() else {
            continue;
        };
        if g.operator != Some(GrantOperator::Or) || g.has(&BuiltInControl::Block) {
            continue;
        }
        let (requirement, short) = if g.has(&BuiltInControl::Mfa) {
            ("MFA".to_owned(), "MFA")
        } else if let Some(s) = p.strength() {
            let s = crate::analysis::strength::resolve(cx.tenant, s);
            (
                format!("authentication strength `{}`", s.name()),
                "the strength",
            )
        } else {
            continue;
        };
        let mut others: Vec<String> = ALTERNATIVES
            .iter()
            .filter(|c| g.has(c))
            .map(|c| c.as_str().to_owned())
            .collect();
        if !g.terms_of_use.is_empty() {
            others.push("terms of use".to_owned());
        }
        if others.is_empty() {
            continue;
        }
        let label = if others.len() == 1 {
            format!("`OR`: {} alone satisfies the grant", others[0])
        } else {
            format!("`OR`: any one of {} satisfies the grant", list(&others))
        };
        let others = list(&others);
        cx.report(
            p.origin.at("grantControls/operator"),
            format!(
                "policy `{}` accepts {others} instead of {requirement} (`OR`), so {short} is optional",
                p.name()
            ),
        )
        .label(label)
        .help("set `operator` to `AND`, or split the policy into one that requires MFA and one for the other control")
        .subject(policy_subject(p));
    }
}
