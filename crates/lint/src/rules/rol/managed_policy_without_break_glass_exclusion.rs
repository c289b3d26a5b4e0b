use super::*;

declare_rule! {
    /// A Microsoft-managed policy in report-only will be enabled by Microsoft without excluding the break-glass accounts.
    ///
    /// ## Why is this bad?
    /// Microsoft creates managed Conditional Access policies in report-only mode and "enables these
    /// policies no less than 45 days after they're introduced in your tenant if they're left in the
    /// Report-only state" (Microsoft-managed policies documentation). Microsoft's own advice is to
    /// exclude break-glass accounts from them "just like other Conditional Access policies". A
    /// managed policy left in report-only without that exclusion will one day start enforcing MFA
    /// or a block on the emergency accounts, with nobody having changed anything.
    ///
    /// Managed policies are recognised by the names Microsoft documents (optionally prefixed with
    /// "Microsoft-managed: "): "Block all high risk agents from accessing all resources", "Block
    /// legacy authentication", "Block device code flow", "Multifactor authentication for admins
    /// accessing Microsoft Admin portals", "Multifactor authentication for all users",
    /// "Multifactor authentication for per-user multifactor authentication users",
    /// "Multifactor authentication and reauthentication for risky sign-ins" and
    /// "Phishing-resistant multifactor authentication for admins". Exports carry no marker field
    /// for them; when no policy in the input has a display name, the rule is not evaluated.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "displayName": "Break Glass 01",
    ///     "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com" },
    ///   { "displayName": "Multifactor authentication for all users", "state": "enabledForReportingButNotEnforced",
    ///     "conditions": { "users": { "includeUsers": ["All"] }, "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "displayName": "Break Glass 01",
    ///     "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com" },
    ///   { "displayName": "Multifactor authentication for all users", "state": "enabledForReportingButNotEnforced",
    ///     "conditions": { "users": { "includeUsers": ["All"], "excludeUsers": ["1a2b3c4d-00b1-4000-8000-0000000000b1"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Edit the managed policy's excluded identities to exclude the break-glass accounts (or
    /// their group), then enable it or set it to Off yourself.
    ///
    /// ## References
    /// - [Microsoft-managed Conditional Access policies](https://learn.microsoft.com/entra/identity/conditional-access/managed-policies)
    pub static MANAGED_POLICY_WITHOUT_BREAK_GLASS_EXCLUSION = {
        code: "ROL004",
        name: "managed-policy-without-break-glass-exclusion",
        severity: Severity::Medium,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
            Need::BREAK_GLASS,
        ],
        check: check,
    }
}

/// Display names of Microsoft-managed policies (Microsoft Learn, "Microsoft-managed Conditional
/// Access policies", as of its 2025-11-06 revision).
const MANAGED_NAMES: [&str; 8] = [
    "Block all high risk agents from accessing all resources",
    "Block legacy authentication",
    "Block device code flow",
    "Multifactor authentication for admins accessing Microsoft Admin portals",
    "Multifactor authentication for all users",
    "Multifactor authentication for per-user multifactor authentication users",
    "Multifactor authentication and reauthentication for risky sign-ins",
    "Phishing-resistant multifactor authentication for admins",
];

fn is_managed(name: &str) -> bool {
    let name = name.trim();
    let name = name
        .strip_prefix("Microsoft-managed:")
        .map_or(name, str::trim);
    MANAGED_NAMES.iter().any(|m| m.eq_ignore_ascii_case(name))
}

fn check(cx: &mut Check<'_>) {
    let t = cx.tenant;
    if t.conditional_access
        .iter()
        .all(|p| p.display_name.is_none())
    {
        cx.not_evaluated(
            "no policy in input has a display name, so Microsoft-managed policies cannot be told",
        );
        return;
    }
    let a = cx.analysis;
    let bg = a.break_glass();
    for p in &t.conditional_access {
        if !p.is_report_only() || !p.display_name.as_deref().is_some_and(is_managed) {
            continue;
        }
        let exposed: Vec<&ObjectId> = bg
            .users()
            .iter()
            .filter(|u| crate::analysis::scope::scope(a, p, u).applies())
            .collect();
        if exposed.is_empty() {
            continue;
        }
        let exposed = if exposed.len() > ONE_BY_ONE {
            first_of(exposed.iter().map(|u| who(a, u)), exposed.len())
        } else {
            exposed
                .iter()
                .map(|u| who(a, u))
                .collect::<Vec<_>>()
                .join(", ")
        };
        cx.report(
            p.origin.at("conditions/users/excludeUsers"),
            format!(
                "Microsoft-managed policy `{}` is report-only and will be enabled by Microsoft, but it does not exclude break-glass {}{}",
                p.name(),
                exposed,
                bg.note()
            ),
        )
        .label("the break-glass accounts are not excluded here")
        .help("exclude the break-glass accounts from this managed policy before Microsoft enables it")
        .subject(policy_subject(p));
    }
}
