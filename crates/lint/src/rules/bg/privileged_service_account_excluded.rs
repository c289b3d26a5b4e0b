use super::*;

declare_rule! {
    /// An account excluded from an MFA policy for admins holds an active privileged role.
    ///
    /// ## Why is this bad?
    /// Service accounts are often excluded from MFA because they cannot answer a prompt. When such
    /// an account also holds a privileged role actively (a directory sync or automation account
    /// made Helpdesk, User or Global Administrator), its password alone is privileged access: no
    /// MFA, no PIM activation, usually a long-lived secret in a script. The same goes for any
    /// other non-break-glass account excluded from the admin MFA policies.
    ///
    /// The rule looks at enabled policies that require MFA or a strength for privileged roles or
    /// all users, and reports each excluded user (groups expanded) who is not a break-glass
    /// account and holds a privileged role actively. Declared service accounts are named as such.
    /// Past 10 such accounts excluded through one field, the field is one finding at the first,
    /// naming the first 5 and giving the count.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-0007-4000-8000-000000000007", "displayName": "svc-adsync",
    ///     "userPrincipalName": "svc-adsync@contoso.com" },
    ///   { "id": "ra1", "principalId": "1a2b3c4d-0007-4000-8000-000000000007", "directoryScopeId": "/",
    ///     "roleDefinitionId": "729827e3-9c14-49f7-bb1b-9608f156bbb8" },
    ///   { "id": "3c4d5e6f-0100-4000-8000-000000000100", "displayName": "CA100 - Require MFA for admins",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeRoles": ["729827e3-9c14-49f7-bb1b-9608f156bbb8"],
    ///                                "excludeUsers": ["1a2b3c4d-0007-4000-8000-000000000007"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Take the privileged role away from the service account (grant the narrowest role, or move
    /// the automation to a workload identity with its own controls), or stop excluding it.
    pub static PRIVILEGED_SERVICE_ACCOUNT_EXCLUDED = {
        code: "BG006",
        name: "privileged-service-account-excluded",
        severity: Severity::High,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
            Need::any(&[Kind::RoleAssignment, Kind::RoleAssignmentSchedule]),
        ],
        check: check,
    }
}

/// An excluded account that holds privileged roles: (user, field, index in the field, roles).
type Excluded = (ObjectId, &'static str, usize, Vec<String>);

fn check(cx: &mut Check<'_>) {
    let t = cx.tenant;
    let a = cx.analysis;
    let bg = a.break_glass();
    let svc = a.service_accounts();
    for p in &t.conditional_access {
        let u = &p.conditions.users;
        let admin = u.includes_all_users() || u.include_roles.iter().any(|r| a.is_privileged(r));
        let mfa = grant(t, p).requires_mfa();
        if !p.is_enabled() || !admin || !mfa {
            continue;
        }
        let mut seen = <foldhash::HashSet<_> as foldhash::HashSetExt>::new();
        // The privileged accounts to report, by field: (user, field, index, roles).
        let mut found: [Vec<Excluded>; 2] = [Vec::new(), Vec::new()];
        for (user, field, i) in excluded_users(cx, p) {
            if bg.contains(&user) || !seen.insert(user.clone()) {
                continue;
            }
            let roles: Vec<String> = a
                .active_roles(&user)
                .into_iter()
                .flatten()
                .filter(|r| a.is_privileged(r))
                .map(|r| a.role_name(r))
                .collect();
            if roles.is_empty() {
                continue;
            }
            found[usize::from(field == "excludeGroups")].push((user, field, i, roles));
        }
        for accounts in found {
            if accounts.len() > ONE_BY_ONE {
                let n = accounts.len();
                let (_, field, i, _) = &accounts[0];
                cx.report(
                    p.origin.at(&format!("conditions/users/{field}/{i}")),
                    format!(
                        "{n} accounts that hold privileged roles are excluded from `{}`, so their passwords alone are privileged access: {}",
                        p.name(),
                        first_of(
                            accounts
                                .iter()
                                .map(|(u, _, _, roles)| format!("{} ({})", who(a, u), roles.join(", "))),
                            n
                        )
                    ),
                )
                .label(format!("the first of {n} privileged accounts excluded from MFA"))
                .help("remove the privileged roles from these accounts or stop excluding them from the policy")
                .subject(policy_subject(p))
                .key(Key::Aspect("accounts".into()));
                continue;
            }
            for (user, field, i, roles) in accounts {
                let kind = if svc.contains(&user) {
                    "service account"
                } else {
                    "account"
                };
                cx.report(
                    p.origin.at(&format!("conditions/users/{field}/{i}")),
                    format!(
                        "{kind} {} holds {} and is excluded from `{}`, so its password alone is privileged access",
                        who(a, &user),
                        roles.join(", "),
                        p.name()
                    ),
                )
                .label("excluded from MFA while holding a privileged role")
                .help("remove the privileged role from this account or stop excluding it from the policy")
                .subject(policy_subject(p))
                .key(Key::Object(user));
            }
        }
    }
}
