use super::*;

declare_rule! {
    /// A policy that can block or challenge sign-in does not exclude the break-glass accounts.
    ///
    /// ## Why is this bad?
    /// Break-glass (emergency access) accounts exist for the day Conditional Access locks
    /// everyone else out: a misconfigured policy, an MFA outage, a federation failure. A policy
    /// that blocks, requires MFA, a strength, a compliant device or a sign-in frequency and still
    /// applies to them can lock them out too. Microsoft's guidance is to exclude them from
    /// Conditional Access policies (and protect them with a dedicated policy of their own).
    /// Report-only policies count: they are one click from enforcement.
    ///
    /// Not counted: policies for workload identities, policies only for an authentication
    /// context, and a policy that targets only the break-glass accounts (their dedicated
    /// protection). Break-glass accounts are the declared ones (`[accounts] break-glass` in
    /// entralint.toml), groups expanded; without a declaration they are inferred and the message
    /// says so. When the export holds no group members, a policy that excludes a group which may
    /// hold them (a declared break-glass group, or any group when none is declared) is not
    /// judged, and listed as such.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "displayName": "Break Glass 01",
    ///     "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com" },
    ///   { "id": "3c4d5e6f-0001-4000-8000-000000000001", "displayName": "CA001 - Require MFA for all users",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"] }, "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
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
    /// ## How to fix
    /// Exclude the break-glass accounts from the policy, preferably through one role-assignable
    /// group that holds only them, and protect them with a dedicated policy that requires a
    /// phishing-resistant strength.
    ///
    /// ## References
    /// - [Manage emergency access accounts](https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access)
    pub static BREAK_GLASS_EXPOSED_TO_POLICY = {
        code: "BG001",
        name: "break-glass-exposed-to-policy",
        severity: Severity::High,
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
    // Without group members, a group the policy excludes may hold the break-glass accounts: a
    // declared break-glass group, or, when no break-glass group is declared, any group. Such a
    // policy is not judged.
    let members_unknown = !cx.tenant.inventory.has(Kind::GroupMember);
    let declared_groups = !bg.accounts.groups.is_empty();
    let may_hold = |g: &ObjectId| !declared_groups || bg.accounts.groups.contains(g);
    let mut not_judged = Vec::new();
    for p in &cx.tenant.conditional_access {
        if !can_stop_sign_in(cx.tenant, p) || targets_only_break_glass(cx, p) {
            continue;
        }
        let exposed: Vec<ObjectId> = bg
            .users()
            .iter()
            .filter(|u| crate::analysis::scope::scope(a, p, u).applies())
            .cloned()
            .collect();
        if exposed.is_empty() {
            continue;
        }
        if members_unknown && p.conditions.users.exclude_groups.iter().any(may_hold) {
            not_judged.push(format!("'{}'", p.name()));
            continue;
        }
        let state = if p.is_report_only() {
            "report-only"
        } else {
            "enabled"
        };
        cx.report(
            p.origin.at("conditions/users/excludeUsers"),
            format!(
                "policy `{}` ({state}) can lock out break-glass account{} {}: {} not excluded{}",
                p.name(),
                if exposed.len() == 1 { "" } else { "s" },
                list(a, &exposed),
                if exposed.len() == 1 { "it is" } else { "they are" },
                bg.note()
            ),
        )
        .label("the break-glass accounts are not excluded here")
        .help("exclude the break-glass accounts (through their role-assignable group) from this policy")
        .subject(policy_subject(p));
    }
    if !not_judged.is_empty() {
        let n = not_judged.len();
        let which = match n {
            1 => format!("policy {}", not_judged[0]),
            _ => format!("{n} policies: {}", first_of(not_judged, n)),
        };
        cx.not_evaluated(format!(
            "not judged for {which}, which exclude{} {}",
            if n == 1 { "s" } else { "" },
            if declared_groups {
                "a break-glass group whose members are not in input"
            } else {
                "a group whose members are not in input (it may hold the break-glass accounts)"
            }
        ));
    }
}
