use super::*;

declare_rule! {
    /// A security-critical policy is disabled or report-only, and no enabled policy does its job.
    ///
    /// ## Why is this bad?
    /// Microsoft's templates create policies in report-only mode so their impact can be reviewed
    /// first. Report-only policies are evaluated and logged but never enforced, and disabled ones
    /// are not evaluated at all. When the review is forgotten, the tenant keeps a policy named
    /// "Require MFA for admins" that requires nothing, and every reviewer who reads the list of
    /// policies believes the control is in place.
    ///
    /// The rule looks at three kinds of security-critical policy:
    /// - **admin policies**: they include a privileged role (or a role of the configured admin
    ///   profile) and require MFA or an authentication strength, or block;
    /// - **phishing-resistant policies**: their grant requires a phishing-resistant
    ///   authentication strength that no other control can replace;
    /// - **legacy-authentication blocks**: they block `exchangeActiveSync` and/or `other` clients.
    ///
    /// It fires when such a policy is `disabled` or `enabledForReportingButNotEnforced` and no
    /// enabled policy of the same kind reaches at least the same users (the same roles, users and
    /// groups, or all users) and apps. Policies that target an authentication context are PIM005's.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "3c4d5e6f-0100-4000-8000-000000000100", "displayName": "CA100 - Admins - Require MFA",
    ///     "state": "enabledForReportingButNotEnforced",
    ///     "conditions": { "users": { "includeRoles": ["62e90394-69f5-4237-9190-012177145e10",
    ///                                                 "e8611ab8-c189-46e8-94e1-60213ab1f814"] },
    ///                     "applications": { "includeApplications": ["All"] },
    ///                     "clientAppTypes": ["all"] },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "3c4d5e6f-0100-4000-8000-000000000100", "displayName": "CA100 - Admins - Require MFA",
    ///     "state": "enabledForReportingButNotEnforced",
    ///     "conditions": { "users": { "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"] },
    ///                     "applications": { "includeApplications": ["All"] },
    ///                     "clientAppTypes": ["all"] },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } },
    ///   { "id": "3c4d5e6f-0102-4000-8000-000000000102", "displayName": "CA102 - All users - Require MFA",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"] },
    ///                     "applications": { "includeApplications": ["All"] },
    ///                     "clientAppTypes": ["all"] },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Review the policy's report-only results in the sign-in logs (or the Conditional Access
    /// insights workbook), make sure the break-glass accounts are excluded, then set `state` to
    /// `enabled`. If another policy replaced it, delete it.
    ///
    /// ## References
    /// - [Conditional Access report-only mode](https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only)
    /// - [Require MFA for administrators](https://learn.microsoft.com/entra/identity/conditional-access/policy-old-require-mfa-admin)
    /// - [Block legacy authentication](https://learn.microsoft.com/entra/identity/conditional-access/policy-block-legacy-authentication)
    pub static SECURITY_POLICY_NOT_ENFORCED = {
        code: "HYG001",
        name: "security-policy-not-enforced",
        severity: Severity::Medium,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let t = cx.tenant;
    let enabled: Vec<&ConditionalAccessPolicy> = t
        .conditional_access
        .iter()
        .filter(|q| q.is_enabled() && !q.uses_contexts() && !q.is_for_workloads())
        .collect();
    for p in &t.conditional_access {
        if !(p.is_disabled() || p.is_report_only()) {
            continue;
        }
        let missing: Vec<Class> = classes(cx, p)
            .into_iter()
            .filter(|c| !enabled.iter().any(|q| equivalent(cx, *c, p, q)))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let what: Vec<String> = missing.iter().map(|c| describe(cx, *c, p)).collect();
        let label = if p.is_report_only() {
            "report-only: evaluated and logged, never enforced"
        } else {
            "disabled: not evaluated at all"
        };
        cx.report(
            p.origin.at("state"),
            format!(
                "policy `{}` {}, but it is {} and no enabled policy does the same",
                p.name(),
                enumerate(&what, 3),
                state_word(p)
            ),
        )
        .label(label)
        .help(if p.is_report_only() {
            "review its report-only results, then set `state` to `enabled` (or delete it if another policy replaced it)"
        } else {
            "enable it, in report-only first if its impact is unknown (or delete it if another policy replaced it)"
        })
        .subject(policy_subject(p));
    }
}

/// Whether enabled policy `q` does what `p` would do for class `c`, for at least `p`'s users and apps.
fn equivalent(
    cx: &Check<'_>,
    c: Class,
    p: &ConditionalAccessPolicy,
    q: &ConditionalAccessPolicy,
) -> bool {
    let same_kind = match c {
        Class::Admin => grant(cx.tenant, q).challenges(),
        Class::PhishingResistant => is_phishing_resistant_policy(cx.tenant, q),
        Class::LegacyBlock => {
            let have = legacy_clients(q);
            blocks(q) && legacy_clients(p).iter().all(|l| have.contains(l))
        }
    };
    same_kind
        && covers_users(p, q)
        && covers_apps(p, q)
        && covers_clients(p, q)
        && narrowed_no_more(cx.tenant, p, q)
}

/// What the policy is for, in a message.
fn describe(cx: &Check<'_>, c: Class, p: &ConditionalAccessPolicy) -> String {
    match c {
        Class::Admin => {
            let roles: Vec<String> = admin_roles(cx, p)
                .iter()
                .map(|r| cx.analysis.role_name(r))
                .collect();
            format!("protects admin roles ({})", enumerate(&roles, 3))
        }
        Class::PhishingResistant => {
            let name = grant(cx.tenant, p)
                .strength()
                .map(|s| s.name())
                .unwrap_or_default();
            format!("requires the phishing-resistant strength `{name}`")
        }
        Class::LegacyBlock => format!(
            "blocks legacy authentication ({})",
            legacy_clients(p).join(", ")
        ),
    }
}
