use super::*;

declare_rule! {
    /// A policy requires an authentication strength that users in its scope cannot satisfy with the methods they registered.
    ///
    /// ## Why is this bad?
    /// Turning on a phishing-resistant requirement before the people in scope have registered a
    /// phishing-resistant method locks them out, and for a context policy on PIM activation it
    /// locks administrators out of their own elevation path. Microsoft's guidance warns exactly
    /// this: register the methods first, then enforce. A report-only policy is reported too, as
    /// "will lock out when enabled".
    ///
    /// For each enabled or report-only policy that requires an authentication strength, the rule
    /// joins the policy's scope (for context policies: the eligible users of the roles that
    /// require that context) to `userRegistrationDetails`: a user whose registered methods satisfy
    /// none of the strength's allowed combinations is named, one finding per privileged user (a
    /// holder or eligible user of a privileged role) and one per policy for everyone else. A user
    /// in scope without a registration record is reported as "registration unknown", one severity
    /// lower, never passed; an empty `methodsRegistered` means no usable method. Critical when the
    /// policy hits every holder of Global Administrator and Privileged Role Administrator.
    /// Registered values map to strength methods by the table in the analysis (`methods.rs`);
    /// values it does not know are listed in the message. Past 10 privileged users, or 10 users
    /// without a record, in one policy, each group is one finding naming the first 5 and giving
    /// the count.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-0001-4000-8000-000000000001", "displayName": "Alice Admin", "userPrincipalName": "alice@contoso.com" },
    ///   { "id": "ra1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    ///     "roleDefinitionId": "194ae4cb-b126-40b2-bd5b-6091b380977d" },
    ///   { "id": "1a2b3c4d-0001-4000-8000-000000000001", "userPrincipalName": "alice@contoso.com",
    ///     "isMfaRegistered": true, "methodsRegistered": ["microsoftAuthenticatorPush"] },
    ///   { "displayName": "CA105 - Admins - phishing-resistant MFA", "state": "enabledForReportingButNotEnforced",
    ///     "conditions": { "users": { "includeRoles": ["194ae4cb-b126-40b2-bd5b-6091b380977d"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "1a2b3c4d-0001-4000-8000-000000000001", "displayName": "Alice Admin", "userPrincipalName": "alice@contoso.com" },
    ///   { "id": "ra1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    ///     "roleDefinitionId": "194ae4cb-b126-40b2-bd5b-6091b380977d" },
    ///   { "id": "1a2b3c4d-0001-4000-8000-000000000001", "userPrincipalName": "alice@contoso.com",
    ///     "isMfaRegistered": true, "methodsRegistered": ["passKeyDeviceBound", "microsoftAuthenticatorPush"] },
    ///   { "displayName": "CA105 - Admins - phishing-resistant MFA", "state": "enabled",
    ///     "conditions": { "users": { "includeRoles": ["194ae4cb-b126-40b2-bd5b-6091b380977d"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Run a registration campaign (or issue Temporary Access Passes to bootstrap passkeys) until
    /// every user in scope has a method the strength allows, then enforce. Exclude nobody
    /// permanently to get there.
    ///
    /// ## References
    /// - [Require phishing-resistant MFA for administrators](https://learn.microsoft.com/entra/identity/conditional-access/policy-admin-phish-resistant-mfa)
    /// - [Authentication strengths](https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths)
    pub static UNSATISFIABLE_STRENGTH_FOR_USERS = {
        code: "ROL001",
        name: "unsatisfiable-strength-for-users",
        severity: Severity::High,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
            Need::kind(Kind::UserRegistrationDetails),
        ],
        check: check,
    }
}

/// Names shown in one message before "and N more".
const SHOWN: usize = 10;

fn check(cx: &mut Check<'_>) {
    let a = cx.analysis;
    let privileged = privileged_users(a);
    let tier0 = top_admin_holders(a, false);
    for p in &cx.tenant.conditional_access {
        if !(p.is_enabled() || p.is_report_only()) {
            continue;
        }
        let Some(strength) = required_strength(cx, p) else {
            continue;
        };
        let when = |who: &str| {
            if p.is_report_only() {
                format!("would lock out {who} once enabled")
            } else {
                format!("locks out {who}")
            }
        };
        let mut locked = Vec::new();
        let mut unknown = Vec::new();
        for user in affected_users(cx, p) {
            match a.registered(&user) {
                Some(r) if r.satisfies(&strength.combinations) => {}
                Some(r) => locked.push((user, r)),
                None => unknown.push(user),
            }
        }
        let all_tier0 = !tier0.is_empty() && {
            let out: BTreeSet<&ObjectId> = locked.iter().map(|(l, _)| l).chain(&unknown).collect();
            tier0.iter().all(|u| out.contains(u))
        };
        let at = p.origin.at("grantControls/authenticationStrength");
        let (admins, others): (Vec<_>, Vec<_>) =
            locked.iter().partition(|(user, _)| privileged.contains(user));
        let others: Vec<&ObjectId> = others.into_iter().map(|(user, _)| user).collect();
        let severity = |critical| match (all_tier0, critical) {
            (true, true) => Severity::Critical,
            (true, false) | (false, true) => Severity::High,
            (false, false) => Severity::Medium,
        };
        if admins.len() > ONE_BY_ONE {
            let n = admins.len();
            cx.report(
                at.clone(),
                format!(
                    "policy `{}` {}: strength `{}` accepts none of the methods they registered: {}",
                    p.name(),
                    when(&format!("{n} administrators")),
                    strength.name(),
                    first_of(admins.iter().map(|(user, _)| who(a, user)), n)
                ),
            )
            .severity(severity(true))
            .label(format!("requires `{}`", strength.name()))
            .help("have every user in scope register a method this strength allows before enforcing it")
            .subject(policy_subject(p))
            .key(Key::Aspect("administrators".into()));
        }
        for (user, r) in admins.iter().filter(|_| admins.len() <= ONE_BY_ONE) {
            let methods = if r.methods.is_empty() {
                "nothing".to_owned()
            } else {
                r.methods.join(", ")
            };
            let unknown_note = if r.unknown.is_empty() {
                String::new()
            } else {
                format!("; unknown registration values: {}", r.unknown.join(", "))
            };
            let related = a
                .registration(user)
                .map(|x| x.origin.at("methodsRegistered"));
            let f = cx.report(
                at.clone(),
                format!(
                    "policy `{}` {}: strength `{}` accepts none of the methods registered ({methods}{unknown_note})",
                    p.name(),
                    when(&who(a, user)),
                    strength.name()
                ),
            );
            f.severity(severity(true))
                .label(format!("requires `{}`", strength.name()))
                .help("have every user in scope register a method this strength allows before enforcing it")
                .subject(policy_subject(p))
                .key(Key::Object(user.clone()));
            if let Some(o) = related {
                f.related(o, "registered methods");
            }
        }
        if unknown.len() > ONE_BY_ONE {
            let n = unknown.len();
            cx.report(
                at.clone(),
                format!(
                    "policy `{}` {} unless they can satisfy strength `{}`: registration unknown (no userRegistrationDetails record) for {}",
                    p.name(),
                    when(&format!("{n} users")),
                    strength.name(),
                    first_of(unknown.iter().map(|user| who(a, user)), n)
                ),
            )
            .severity(severity(false))
            .label(format!("requires `{}`", strength.name()))
            .help("export userRegistrationDetails for every user, and register an allowed method before enforcing")
            .subject(policy_subject(p))
            .key(Key::Aspect("unknown registrations".into()));
        }
        for user in unknown.iter().filter(|_| unknown.len() <= ONE_BY_ONE) {
            cx.report(
                at.clone(),
                format!(
                    "policy `{}` {} unless they can satisfy strength `{}`: registration unknown (no userRegistrationDetails record)",
                    p.name(),
                    when(&who(a, user)),
                    strength.name()
                ),
            )
            .severity(severity(false))
            .label(format!("requires `{}`", strength.name()))
            .help("export userRegistrationDetails for every user, and register an allowed method before enforcing")
            .subject(policy_subject(p))
            .key(Key::Object(user.clone()));
        }
        if !others.is_empty() {
            let shown: Vec<String> = others.iter().take(SHOWN).map(|u| who(a, u)).collect();
            let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
            let more = if others.len() > SHOWN {
                format!(" and {} more", others.len() - SHOWN)
            } else {
                String::new()
            };
            cx.report(
                at.clone(),
                format!(
                    "policy `{}` {} who registered no method strength `{}` accepts: {}{more}",
                    p.name(),
                    when(&format!(
                        "{} user{}",
                        others.len(),
                        if others.len() == 1 { "" } else { "s" }
                    )),
                    strength.name(),
                    shown.join(", ")
                ),
            )
            .label(format!("requires `{}`", strength.name()))
            .help("run a registration campaign before enforcing this strength")
            .subject(policy_subject(p))
            .key(Key::Aspect("users".into()));
        }
    }
}
