use super::*;

declare_rule! {
    /// No active Global or Privileged Role Administrator could still sign in under the enforced policies.
    ///
    /// ## Why is this bad?
    /// This is the "last admin" check. If every account that actively holds Global Administrator
    /// or Privileged Role Administrator, break-glass accounts included, is either blocked by an
    /// enforced policy that covers all cloud apps or required to present a strength it has not
    /// registered, then a policy mistake can no longer be undone by anyone in the tenant: it takes
    /// a support case with Microsoft to get back in.
    ///
    /// A disabled account cannot sign in at all. Eligible-only holders do not count (activating
    /// needs a sign-in first). Policies that apply
    /// only at an authentication context do not count either (they apply at elevation, not at
    /// sign-in). Needs role assignments and `userRegistrationDetails`.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "displayName": "Break Glass 01",
    ///     "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com" },
    ///   { "id": "ra1", "principalId": "1a2b3c4d-00b1-4000-8000-0000000000b1", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com",
    ///     "isMfaRegistered": false, "methodsRegistered": [] },
    ///   { "displayName": "CA001 - All users - phishing-resistant", "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"] }, "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "displayName": "Break Glass 01",
    ///     "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com" },
    ///   { "id": "ra1", "principalId": "1a2b3c4d-00b1-4000-8000-0000000000b1", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com",
    ///     "isMfaRegistered": true, "methodsRegistered": ["fido2SecurityKey"] },
    ///   { "displayName": "CA001 - All users - phishing-resistant", "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"] }, "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Keep at least two break-glass accounts with permanent Global Administrator, excluded from
    /// blocking policies and registered with a FIDO2 key that every strength applying to them
    /// accepts.
    ///
    /// ## References
    /// - [Manage emergency access accounts](https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access)
    pub static TENANT_ADMIN_LOCKOUT = {
        code: "ROL003",
        name: "tenant-admin-lockout",
        severity: Severity::Critical,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
            Need::kind(Kind::UserRegistrationDetails),
            Need::any(&[Kind::RoleAssignment, Kind::RoleAssignmentSchedule]),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let t = cx.tenant;
    let a = cx.analysis;
    let admins = top_admin_holders(a, true);
    if admins.is_empty() {
        return;
    }
    let enforced: Vec<&ConditionalAccessPolicy> = t
        .conditional_access
        .iter()
        .filter(|p| p.is_enabled() && !p.is_context_only())
        .collect();
    let mut reasons = Vec::new();
    for admin in &admins {
        if let Some(u) = t
            .users
            .iter()
            .find(|u| u.id.as_ref() == Some(admin) && u.account_enabled == Some(false))
        {
            reasons.push((
                admin.clone(),
                None,
                u.origin.at("accountEnabled"),
                "disabled".to_owned(),
            ));
            continue;
        }
        let applies =
            |p: &&&ConditionalAccessPolicy| crate::analysis::scope::scope(a, p, admin).applies();
        let blocked = enforced.iter().filter(applies).find(|p| {
            matches!(grant(t, p), Grant::Block)
                && p.conditions
                    .applications
                    .include_applications
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case("All"))
        });
        if let Some(p) = blocked {
            reasons.push((
                admin.clone(),
                Some(*p),
                p.origin.at("grantControls"),
                format!("blocked by `{}`", p.name()),
            ));
            continue;
        }
        let registered = a.registered(admin);
        let unmet = enforced.iter().filter(applies).find_map(|p| {
            let s = required_strength(cx, p)?;
            let ok = registered
                .as_ref()
                .is_some_and(|r| r.satisfies(&s.combinations));
            (!ok).then_some((*p, s))
        });
        match unmet {
            Some((p, s)) => reasons.push((
                admin.clone(),
                Some(p),
                p.origin.at("grantControls"),
                format!("cannot satisfy `{}` of `{}`", s.name(), p.name()),
            )),
            None => return, // this admin can still sign in
        }
    }
    let (_, first, at, _) = &reasons[0];
    // Every administrator up to ten; past that, the first five and the count.
    let shown = if reasons.len() > ONE_BY_ONE {
        SHOWN
    } else {
        reasons.len()
    };
    let mut list: Vec<String> = reasons[..shown]
        .iter()
        .map(|(u, _, _, why)| format!("{} ({why})", who(a, u)))
        .collect();
    if shown < reasons.len() {
        list.push(format!("and {} more", reasons.len() - shown));
    }
    let f = cx.report(
        at.clone(),
        format!("no active Global or Privileged Role Administrator could sign in under the enforced policies: {}", list.join("; ")),
    );
    f.label("locks out the last administrators")
        .help("keep break-glass accounts with permanent Global Administrator enabled, excluded from blocking policies and registered with a method every strength applying to them accepts");
    if let Some(p) = first {
        f.subject(policy_subject(p));
    }
    let mut seen = BTreeSet::from([at.clone()]);
    for (user, _, at, why) in reasons.iter().skip(1) {
        if seen.insert(at.clone()) {
            f.related(at.clone(), format!("{}: {why}", a.principal_name(user)));
        }
    }
}
