use super::*;

declare_rule! {
    /// Break-glass accounts are excluded from every policy and protected by none.
    ///
    /// ## Why is this bad?
    /// Excluding break-glass accounts from Conditional Access keeps them usable in an emergency,
    /// but then nothing protects them the rest of the time: their sign-ins need no MFA from
    /// anywhere. Microsoft's guidance asks for both: exclude them from the regular policies and
    /// cover them with a dedicated policy that requires a phishing-resistant strength (the
    /// mandatory MFA for admin portals applies to them too).
    ///
    /// Fires when no enabled policy applies to all break-glass accounts with a phishing-resistant
    /// grant while they are out of scope of every enabled policy. The accounts of a break-glass
    /// group are its exported members: when a declared break-glass group has none in the export,
    /// the rule is not evaluated (it names the group) rather than judging the other accounts
    /// alone.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "displayName": "Break Glass 01",
    ///     "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com" },
    ///   { "id": "3c4d5e6f-0001-4000-8000-000000000001", "displayName": "CA001 - Require MFA for all users",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"], "excludeUsers": ["1a2b3c4d-00b1-4000-8000-0000000000b1"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "displayName": "Break Glass 01",
    ///     "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com" },
    ///   { "id": "3c4d5e6f-0110-4000-8000-000000000110", "displayName": "CA110 - Break glass - phishing-resistant",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["1a2b3c4d-00b1-4000-8000-0000000000b1"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR",
    ///                        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Add an enabled policy that includes only the break-glass accounts (or their group), all
    /// cloud apps, and requires the Phishing-resistant MFA strength; register FIDO2 keys for them.
    ///
    /// ## References
    /// - [Manage emergency access accounts](https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access)
    pub static BREAK_GLASS_UNPROTECTED = {
        code: "BG007",
        name: "break-glass-unprotected",
        severity: Severity::Medium,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
            Need::BREAK_GLASS,
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let a = cx.analysis;
    let bg = a.break_glass();
    let t = cx.tenant;
    // Whom a break-glass group holds is known only from its exported members.
    let unknown: Vec<ObjectId> = bg
        .accounts
        .groups
        .iter()
        .filter(|g| a.users_in_group(g).is_empty())
        .cloned()
        .collect();
    if !unknown.is_empty() {
        cx.not_evaluated(format!(
            "the members of break-glass group {} are not in the export: export the group's members to judge whether its accounts are protected",
            list(a, &unknown)
        ));
        return;
    }
    let enabled: Vec<_> = t
        .conditional_access
        .iter()
        .filter(|p| p.is_enabled())
        .collect();
    let applies = |p: &&entralint_parser::model::ConditionalAccessPolicy, u: &ObjectId| {
        crate::analysis::scope::scope(a, p, u).applies()
    };
    let protected = enabled
        .iter()
        .any(|p| grant(t, p).is_phishing_resistant() && bg.users().iter().all(|u| applies(p, u)));
    let untouched = bg
        .users()
        .iter()
        .all(|u| !enabled.iter().any(|p| applies(p, u)));
    if protected || !untouched {
        return;
    }
    let ids: Vec<ObjectId> = bg.users().iter().cloned().collect();
    let (noun, verb) = if ids.len() == 1 {
        ("account", "is")
    } else {
        ("accounts", "are")
    };
    let message = format!(
        "break-glass {noun} {} {verb} excluded from every enabled policy and no policy requires a phishing-resistant method of them{}",
        list(a, &ids),
        bg.note()
    );
    let help = "add an enabled policy for the break-glass accounts only that requires the Phishing-resistant MFA strength";
    match &bg.declaration {
        Some((origin, span)) => {
            let f = cx
                .report(origin.clone(), message)
                .label("declared here, protected nowhere")
                .help(help);
            if let Some(span) = span {
                f.span(span.clone());
            }
        }
        _ => {
            let Some(user) = t
                .users
                .iter()
                .find(|u| u.id.as_ref().is_some_and(|id| bg.users().contains(id)))
            else {
                return;
            };
            cx.report(user.origin.clone(), message)
                .label("protected by no policy")
                .help(help);
        }
    }
}
