use super::*;

declare_rule! {
    /// A protective policy excludes accounts that are neither break-glass nor declared service accounts, or too many.
    ///
    /// ## Why is this bad?
    /// Every exclusion of an MFA or block policy is an account the policy does not protect.
    /// Exclusions should be the break-glass accounts and the declared service accounts (the
    /// Secure Score guidance for the admin MFA policy says exactly that), each known and
    /// justified. Anyone else excluded, or a list that keeps growing, is a hole nobody reviews.
    ///
    /// The rule looks at enabled and report-only policies that require MFA, a strength or block,
    /// for all users, for privileged roles, or at an authentication context. It reports each
    /// excluded user (groups expanded) who is not a break-glass or declared service account, and a
    /// policy whose exclusions take out more than 10 users. An excluded id that the exported users
    /// do not hold is a deleted account: HYG002 reports it, this rule does not. Past 10 such
    /// users excluded through one field (`excludeUsers`, or the groups of `excludeGroups`), the
    /// field is one finding at the first, naming the first 5 and giving the count.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-0003-4000-8000-000000000003", "displayName": "Carol Chen",
    ///     "userPrincipalName": "carol@contoso.com" },
    ///   { "id": "3c4d5e6f-0001-4000-8000-000000000001", "displayName": "CA001 - Require MFA for all users",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"], "excludeUsers": ["1a2b3c4d-0003-4000-8000-000000000003"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Remove the exclusion, or declare the account in entralint.toml as a break-glass or service
    /// account if that is what it is (and give service accounts another control, such as a
    /// trusted location or workload identity federation).
    ///
    /// ## Options
    /// More than 10 excluded users (`MAX_EXCLUDED`) in one policy is reported as sprawl.
    pub static EXCLUSION_SPRAWL = {
        code: "BG005",
        name: "exclusion-sprawl",
        severity: Severity::Medium,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
        ],
        check: check,
    }
}

/// More excluded users than this in one policy is sprawl.
const MAX_EXCLUDED: usize = 10;

fn check(cx: &mut Check<'_>) {
    let a = cx.analysis;
    let bg = a.break_glass();
    let svc = a.service_accounts();
    for p in &cx.tenant.conditional_access {
        if !protective(cx, p) || targets_only_break_glass(cx, p) {
            continue;
        }
        let excluded = excluded_users(cx, p);
        let mut seen = <foldhash::HashSet<_> as foldhash::HashSetExt>::with_capacity(excluded.len());
        // The accounts to report, by field: (user, index in the field).
        let mut unexpected: [Vec<(&ObjectId, usize)>; 2] = [Vec::new(), Vec::new()];
        for (user, field, i) in &excluded {
            // A deleted account is HYG002's finding, not an exempted person.
            if bg.contains(user)
                || svc.contains(user)
                || a.is_missing_user(user)
                || !seen.insert(user)
            {
                continue;
            }
            if *field == "excludeGroups" {
                let g = &p.conditions.users.exclude_groups[*i];
                if bg.contains(g) || svc.contains(g) {
                    continue;
                }
            }
            unexpected[usize::from(*field == "excludeGroups")].push((user, *i));
        }
        for (field, users) in ["excludeUsers", "excludeGroups"].into_iter().zip(unexpected) {
            if users.len() > ONE_BY_ONE {
                let (_, i) = users[0];
                let n = users.len();
                let via = if field == "excludeGroups" {
                    " through its excluded groups"
                } else {
                    ""
                };
                cx.report(
                    p.origin.at(&format!("conditions/users/{field}/{i}")),
                    format!(
                        "policy `{}` excludes {n} accounts{via} that are neither break-glass nor declared service accounts{}: {}",
                        p.name(),
                        bg.note(),
                        first_of(users.iter().map(|(u, _)| who(a, u)), n)
                    ),
                )
                .label(format!("the first of {n} accounts this policy does not protect"))
                .help("remove the exclusions, or declare the accounts in entralint.toml if they are break-glass or service accounts")
                .subject(policy_subject(p))
                .key(Key::Aspect("accounts".into()));
                continue;
            }
            for (user, i) in users {
                let group = match field {
                    "excludeGroups" => format!(
                        " through group `{}`",
                        a.principal_name(&p.conditions.users.exclude_groups[i])
                    ),
                    _ => String::new(),
                };
                cx.report(
                    p.origin.at(&format!("conditions/users/{field}/{i}")),
                    format!(
                        "policy `{}` excludes {}{group}, who is neither a break-glass nor a declared service account{}",
                        p.name(),
                        who(a, user),
                        bg.note()
                    ),
                )
                .label("an account this policy does not protect")
                .help("remove the exclusion, or declare the account in entralint.toml if it is a break-glass or service account")
                .subject(policy_subject(p))
                .key(Key::Object(user.clone()));
            }
        }
        let total = excluded
            .iter()
            .map(|(u, _, _)| u)
            .collect::<foldhash::HashSet<_>>()
            .len();
        if total > MAX_EXCLUDED {
            cx.report(
                p.origin.at("conditions/users"),
                format!(
                    "policy `{}` excludes {total} users (more than {MAX_EXCLUDED})",
                    p.name()
                ),
            )
            .label("too many exclusions to review")
            .help("cut the exclusions down to the break-glass and declared service accounts")
            .subject(policy_subject(p))
            .key(Key::Aspect("count".into()));
        }
    }
}
