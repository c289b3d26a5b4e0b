use super::*;

declare_rule! {
    /// No enforced Conditional Access policy requires MFA for the administrative roles.
    ///
    /// ## Why is this bad?
    /// Administrators are the accounts attackers want most, and a password alone is phished,
    /// sprayed or reused every day. Microsoft's baseline (and Secure Score's "Require MFA for
    /// administrative roles") is one enforced policy that requires MFA from every admin role, for
    /// every resource, with no exclusion other than break-glass and service accounts. Anything
    /// less leaves a way in: a report-only policy is never enforced, an excluded app is signed in
    /// to with a password, an `OR` grant lets a compliant device replace MFA, a location or risk
    /// condition skips sign-ins from "trusted" places, a missing role or an excluded group leaves
    /// some admins out.
    ///
    /// A policy qualifies when it is enabled (report-only does not count); includes every role of
    /// the admin profile in `includeRoles`, or `All` users, or users and groups (a persona group)
    /// that the exported role memberships and group members show hold every admin of the profile,
    /// active and eligible (then roles nobody holds need no cover; when some admin is left out,
    /// only the roles whose holders are all included count); excludes none of those roles; includes
    /// `All` resources and excludes none; requires MFA or an authentication strength under `AND`
    /// or as the only grant control; has no location, platform or risk condition; and excludes
    /// only break-glass and service accounts (an excluded group counts when the group itself is
    /// declared, or inferred, as a break-glass or service group, or when the exported
    /// memberships show it holds only such accounts, or nobody; BG004 and BG005 still judge the
    /// group).
    ///
    /// The role set is the admin profile of entralint.toml (`[roles] admin-profile`), by default
    /// `microsoft-14`, the roles of Microsoft's "Require multifactor authentication for
    /// administrators" template: Global, Security, Exchange, SharePoint, Conditional Access,
    /// Helpdesk, Billing, User, Authentication, Application, Cloud Application, Password,
    /// Privileged Authentication and Privileged Role Administrator. Secure Score's nine
    /// (`secure-score`) leave out the last two, who can make anyone a Global Administrator.
    /// One finding is reported, at the closest policy (one that targets the profile or all
    /// users, some cloud app, and asks for MFA or a strength) and the field that disqualifies
    /// it; other near misses are related labels.
    /// Policies on an authentication context or a user action only are not candidates. Without any such policy,
    /// the finding is at the first Conditional Access policy. When break-glass accounts are not
    /// declared, the message says the set was inferred. More than 10 disqualifying entries in one
    /// exclusion list are one label, naming the first 5 and giving the count.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "displayName": "Require MFA for admins", "state": "enabledForReportingButNotEnforced",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "displayName": "Require MFA for admins", "state": "enabled",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeRoles": [
    ///                       "62e90394-69f5-4237-9190-012177145e10", "194ae4cb-b126-40b2-bd5b-6091b380977d",
    ///                       "29232cdf-9323-42fd-ade2-1d097af3e4de", "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
    ///                       "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "729827e3-9c14-49f7-bb1b-9608f156bbb8",
    ///                       "b0f54661-2d74-4c50-afa3-1ec803f12efe", "fe930be7-5e62-47db-91af-98c3a49a38b1",
    ///                       "c4e39bd9-1100-46d3-8c65-fb160da0071f", "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    ///                       "158c047a-c907-4556-b7ef-446551a6b5f7", "966707d0-3269-4727-9be2-8c3a10f19b9d",
    ///                       "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "e8611ab8-c189-46e8-94e1-60213ab1f814" ] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Enable one policy (Microsoft's "Require multifactor authentication for admins" template
    /// is one) that includes every admin role of the profile, or all users, and all resources;
    /// requires MFA or an authentication strength as its only grant control; has no location,
    /// platform or risk condition; and excludes only the break-glass accounts and declared service
    /// accounts. Declare those in entralint.toml (`[accounts] break-glass`, `service`).
    ///
    /// ## References
    /// - [Require MFA for administrators](https://learn.microsoft.com/entra/identity/conditional-access/howto-conditional-access-policy-admin-mfa)
    /// - [Manage emergency access accounts](https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access)
    pub static ADMIN_MFA_NOT_ENFORCED = {
        code: "ADM001",
        name: "admin-mfa-not-enforced",
        severity: Severity::Critical,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let (profile, roles) = cx.analysis.mfa_profile();
    let candidates = mfa_candidates(cx, &roles, |p, g| {
        let others = non_mfa_alternatives(g);
        if others.is_empty() {
            return Vec::new();
        }
        vec![Defect::new(
            p.origin.at("grantControls/operator"),
            format!(
                "lets {} satisfy the grant instead of MFA (`OR`)",
                list(&others)
            ),
            "`OR`: MFA is optional",
        )]
    });
    let head = format!(
        "no enforced policy requires MFA for the {} admin roles",
        profile.as_str()
    );
    report_closest(
        cx,
        candidates,
        &head,
        "no Conditional Access policy requires MFA for these roles",
        "enable one policy that requires MFA (or a strength) from every admin role of the profile, or all users, for all resources, excluding only break-glass and service accounts",
        profile.as_str(),
        true,
    );
}
