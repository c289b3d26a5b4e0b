use super::*;

declare_rule! {
    /// No enabled policy blocks legacy authentication for all users and all apps.
    ///
    /// ## Why is this bad?
    /// Legacy authentication (IMAP, POP, SMTP AUTH, older Office clients, Exchange ActiveSync with
    /// basic authentication) sends a password and cannot answer an MFA challenge, so every MFA
    /// policy is skipped for it. Password spraying goes through these protocols for that reason.
    /// Microsoft's baseline, CISA MS.AAD.1.1 and CIS 5.2.2.3 all ask for one enabled policy that
    /// blocks the `exchangeActiveSync` and `other` client app types for all users and all apps.
    ///
    /// The rule passes when an enabled policy blocks both client types, includes `All` users and
    /// `All` apps, and excludes only break-glass accounts and declared service accounts (or their
    /// groups). Otherwise it reports once: at the field that disqualifies the closest candidate
    /// (a report-only `state`, `clientAppTypes` missing `other`, an excluded group that is neither
    /// break-glass nor service), with the other near misses as related labels — or at the first
    /// policy when nothing blocks legacy clients at all. More than 10 disqualifying entries in one
    /// exclusion list are one label, naming the first 5 and giving the count.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "3c4d5e6f-0001-4000-8000-000000000001", "displayName": "CA001 - All users - Block legacy authentication",
    ///     "state": "enabledForReportingButNotEnforced",
    ///     "conditions": { "users": { "includeUsers": ["All"] },
    ///                     "applications": { "includeApplications": ["All"] },
    ///                     "clientAppTypes": ["exchangeActiveSync", "other"] },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["block"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "3c4d5e6f-0001-4000-8000-000000000001", "displayName": "CA001 - All users - Block legacy authentication",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"] },
    ///                     "applications": { "includeApplications": ["All"] },
    ///                     "clientAppTypes": ["exchangeActiveSync", "other"] },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["block"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Create (or enable) a policy: users `All` (exclude only the break-glass accounts and, if
    /// they truly need it, declared service accounts), target resources `All`, client apps
    /// "Exchange ActiveSync clients" and "Other clients", grant "Block access". Check the
    /// sign-in logs for legacy clients first.
    ///
    /// ## References
    /// - [Block legacy authentication with Conditional Access](https://learn.microsoft.com/entra/identity/conditional-access/policy-block-legacy-authentication)
    /// - [Manage emergency access accounts](https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access)
    pub static LEGACY_AUTHENTICATION_NOT_BLOCKED = {
        code: "HYG004",
        name: "legacy-authentication-not-blocked",
        severity: Severity::High,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
        ],
        check: check,
    }
}

/// Why a candidate does not count: where, and what.
struct Miss {
    path: String,
    what: String,
    /// How many disqualifiers it stands for (more than one for a long list of exclusions).
    weight: usize,
}

fn check(cx: &mut Check<'_>) {
    let t = cx.tenant;
    let mut candidates: Vec<(&ConditionalAccessPolicy, Vec<Miss>)> = Vec::new();
    for p in &t.conditional_access {
        if !is_legacy_block(p) || p.is_for_workloads() {
            continue;
        }
        let misses = misses(cx, p);
        if misses.is_empty() {
            return;
        }
        candidates.push((p, misses));
    }
    let help = "enable a policy that blocks the exchangeActiveSync and other client app types for All users and All apps, excluding only break-glass and declared service accounts";
    // The closest candidate: fewest disqualifiers, first in input order on a tie.
    let weight = |misses: &[Miss]| misses.iter().map(|m| m.weight).sum::<usize>();
    let Some(best) = (0..candidates.len()).min_by_key(|i| (weight(&candidates[*i].1), *i)) else {
        let Some(first) = t.conditional_access.first() else {
            return;
        };
        let n = t.conditional_access.len();
        cx.report_tenant(
            first.origin.at("displayName"),
            "no Conditional Access policy blocks legacy authentication (Exchange ActiveSync and other clients): every MFA policy can be bypassed with a password alone",
        )
        .label(format!(
            "none of the {n} {} blocks legacy clients",
            if n == 1 { "policy" } else { "policies" }
        ))
        .help(help);
        return;
    };
    let (p, misses) = &candidates[best];
    let first = &misses[0];
    let f = cx.report(
        p.origin.at(&first.path),
        format!(
            "legacy authentication is not blocked for all users and apps: the closest policy, `{}`, {}",
            p.name(),
            first.what
        ),
    );
    f.label(first.what.clone())
        .help(help)
        .subject(policy_subject(p));
    for m in &misses[1..] {
        f.related(p.origin.at(&m.path), format!("it also {}", m.what));
    }
    for (i, (q, misses)) in candidates.iter().enumerate() {
        if i != best {
            f.related(
                q.origin.at(&misses[0].path),
                format!("`{}` {}", q.name(), misses[0].what),
            );
        }
    }
}

/// Everything that keeps a legacy-authentication block from being the baseline one.
fn misses(cx: &Check<'_>, p: &ConditionalAccessPolicy) -> Vec<Miss> {
    let mut out = Vec::new();
    let miss = |out: &mut Vec<Miss>, path: &str, what: String| {
        out.push(Miss {
            path: path.to_owned(),
            what,
            weight: 1,
        })
    };
    if !p.is_enabled() {
        miss(&mut out, "state", format!("is {}", state_word(p)));
    }
    let have = legacy_clients(p);
    let lacking: Vec<&str> = LEGACY_CLIENTS
        .into_iter()
        .filter(|l| !have.contains(l))
        .collect();
    if !lacking.is_empty() {
        miss(
            &mut out,
            "conditions/clientAppTypes",
            format!("does not block `{}` clients", lacking.join("` and `")),
        );
    }
    let c = &p.conditions;
    if !c.users.includes_all_users() {
        miss(
            &mut out,
            "conditions/users/includeUsers",
            "applies to selected users, not All".to_owned(),
        );
    }
    if !c
        .applications
        .include_applications
        .iter()
        .any(|x| *x == "All")
    {
        miss(
            &mut out,
            "conditions/applications/includeApplications",
            "applies to selected apps, not All".to_owned(),
        );
    }
    let a = cx.analysis;
    let bg = a.break_glass();
    let svc = a.service_accounts();
    let users: Vec<(usize, &ObjectId)> = c
        .users
        .exclude_users
        .iter()
        .enumerate()
        .filter(|(_, id)| !(bg.contains(id) || svc.contains(id)))
        .collect();
    let groups: Vec<(usize, &ObjectId)> = c
        .users
        .exclude_groups
        .iter()
        .enumerate()
        .filter(|(_, id)| !(bg.accounts.groups.contains(id) || svc.groups.contains(id)))
        .collect();
    let roles: Vec<(usize, &ObjectId)> = c.users.exclude_roles.iter().enumerate().collect();
    for (field, list) in [
        ("excludeUsers", &users),
        ("excludeGroups", &groups),
        ("excludeRoles", &roles),
    ] {
        if list.len() > ONE_BY_ONE {
            let n = list.len();
            let (i, _) = list[0];
            let (noun, names): (&str, Vec<String>) = match field {
                "excludeUsers" => (
                    "users, neither break-glass nor declared service accounts",
                    list.iter().take(SHOWN).map(|(_, id)| who(a, id)).collect(),
                ),
                "excludeGroups" => (
                    "groups, neither break-glass nor declared service account groups",
                    list.iter().take(SHOWN).map(|(_, id)| who(a, id)).collect(),
                ),
                _ => (
                    "roles and everyone holding them",
                    list.iter().take(SHOWN).map(|(_, id)| a.role_name(id)).collect(),
                ),
            };
            let note = if field == "excludeRoles" {
                String::new()
            } else {
                bg.note()
            };
            out.push(Miss {
                path: format!("conditions/users/{field}/{i}"),
                what: format!("excludes {n} {noun}{note}: {}", first_of(names, n)),
                weight: n,
            });
            continue;
        }
        for (i, id) in list {
            let what = match field {
                "excludeUsers" => format!(
                    "excludes user {}, neither a break-glass nor a declared service account{}",
                    who(a, id),
                    bg.note()
                ),
                "excludeGroups" => format!(
                    "excludes group {}, neither a break-glass nor a declared service account group{}",
                    who(a, id),
                    bg.note()
                ),
                _ => format!("excludes everyone holding {}", a.role_name(id)),
            };
            out.push(Miss {
                path: format!("conditions/users/{field}/{i}"),
                what,
                weight: 1,
            });
        }
    }
    if c.users
        .exclude_guests_or_external_users
        .as_ref()
        .is_some_and(|g| !g.guest_or_external_user_types.is_empty())
    {
        miss(
            &mut out,
            "conditions/users/excludeGuestsOrExternalUsers",
            "excludes guests and external users".to_owned(),
        );
    }
    out
}
