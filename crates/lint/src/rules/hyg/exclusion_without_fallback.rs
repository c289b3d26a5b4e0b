use super::*;
use crate::analysis::scope::{scope, Exclusion};
use std::collections::BTreeMap;

declare_rule! {
    /// A user excluded from an MFA policy is covered by no other policy that requires MFA.
    ///
    /// ## Why is this bad?
    /// Exclusions are how Conditional Access designs bend: a user is taken out of the MFA policy
    /// for a migration, a shared device or a broken client, on the understanding that another
    /// policy covers them. When no other enabled policy applies an MFA-equivalent control to
    /// that user, the exclusion means the account signs in with a password alone, and nobody
    /// notices because the exclusion looks like a design decision.
    ///
    /// The rule takes every user excluded from an enabled policy that requires MFA or an
    /// authentication strength (directly in `excludeUsers`, or through `excludeGroups`, nested
    /// groups resolved) while the policy would otherwise include them, and looks for another
    /// enabled policy that applies to the user (groups, roles and `All` resolved, exclusions
    /// winning), reaches the same apps and client apps with no further conditions, and requires MFA or an authentication strength that no
    /// other control can replace, or blocks. Break-glass accounts are BG007's and skipped, and so
    /// are excluded ids the exported users do not hold (deleted accounts, HYG002's).
    /// Declared service accounts are reported too: they are allowed exclusions, but they still
    /// sign in with no second factor. Past 10 such users excluded through one field, the field is
    /// one finding at the first, naming the first 5 and giving the count.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-0004-4000-8000-000000000004", "displayName": "Dana Kiosk",
    ///     "userPrincipalName": "kiosk-dana@contoso.com" },
    ///   { "id": "3c4d5e6f-0102-4000-8000-000000000102", "displayName": "CA102 - All users - Require MFA",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"],
    ///                                "excludeUsers": ["1a2b3c4d-0004-4000-8000-000000000004"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "1a2b3c4d-0004-4000-8000-000000000004", "displayName": "Dana Kiosk",
    ///     "userPrincipalName": "kiosk-dana@contoso.com" },
    ///   { "id": "3c4d5e6f-0102-4000-8000-000000000102", "displayName": "CA102 - All users - Require MFA",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"],
    ///                                "excludeUsers": ["1a2b3c4d-0004-4000-8000-000000000004"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } },
    ///   { "id": "3c4d5e6f-0130-4000-8000-000000000130", "displayName": "CA130 - Kiosk accounts - Require passwordless MFA",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["1a2b3c4d-0004-4000-8000-000000000004"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR",
    ///                        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000003" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Cover the excluded user with a dedicated enabled policy (for example a stronger
    /// authentication strength, or a compliant-device requirement in addition to MFA), or remove
    /// the exclusion. For service accounts, replace the account with a workload identity.
    ///
    /// ## References
    /// - [Users and groups in Conditional Access policies](https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups)
    /// - [Require MFA for all users](https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-mfa-strength)
    pub static EXCLUSION_WITHOUT_FALLBACK = {
        code: "HYG006",
        name: "exclusion-without-fallback",
        severity: Severity::Low,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
        ],
        check: check,
    }
}

/// An MFA-equivalent control: MFA or a strength that no other control can replace, or block.
fn mfa_equivalent(g: &Grant) -> bool {
    g.challenges() && g.alternatives().is_empty()
}

fn check(cx: &mut Check<'_>) {
    let t = cx.tenant;
    let a = cx.analysis;
    let enabled: Vec<&ConditionalAccessPolicy> = t
        .conditional_access
        .iter()
        .filter(|p| p.is_enabled() && !p.is_for_workloads())
        .collect();
    let uses = |f: fn(&ConditionalAccessPolicy) -> bool| enabled.iter().any(|p| f(p));
    if !t.inventory.has(Kind::GroupMember)
        && uses(|p| {
            !p.conditions.users.include_groups.is_empty()
                || !p.conditions.users.exclude_groups.is_empty()
        })
    {
        cx.not_evaluated(
            "no group members in input: exclusions through groups and group-targeted policies cannot be resolved",
        );
        return;
    }
    if !t.inventory.has(Kind::RoleAssignment)
        && !t.inventory.has(Kind::RoleAssignmentSchedule)
        && uses(|p| !p.conditions.users.include_roles.is_empty())
    {
        cx.not_evaluated(
            "no role assignments in input: who role-targeted policies cover cannot be resolved",
        );
        return;
    }
    let bg = a.break_glass();
    let svc = a.service_accounts();
    // Policies that challenge sign-ins: the candidates for a fallback, with their grants.
    let challenging: Vec<(&ConditionalAccessPolicy, Grant)> = enabled
        .iter()
        .map(|q| (*q, grant(t, q)))
        .filter(|(_, g)| g.challenges())
        .collect();
    for p in &enabled {
        if p.uses_contexts() || !grant(t, p).requires_mfa() {
            continue;
        }
        let u = &p.conditions.users;
        let mut users: Vec<ObjectId> = u
            .exclude_users
            .iter()
            .filter(|x| **x != "GuestsOrExternalUsers")
            .cloned()
            .collect();
        users.extend(a.users_in_groups(&u.exclude_groups).into_iter().map(|(x, _)| x));
        let mut seen = <foldhash::HashSet<_> as foldhash::HashSetExt>::with_capacity(users.len());
        users.retain(|x| seen.insert(x.clone()));
        // The users left without MFA, by the exclusion field that takes them out.
        let mut uncovered: BTreeMap<&'static str, Vec<Uncovered>> = BTreeMap::new();
        for user in users {
            // A deleted account is HYG002's finding, not a person left without MFA.
            if bg.contains(&user) || a.is_missing_user(&user) {
                continue;
            }
            let s = scope(a, p, &user);
            let (true, Some(exclusion)) = (s.included, s.excluded) else {
                continue;
            };
            // The other policies that apply to the user, and why each is no fallback.
            let mut near = Vec::new();
            let mut covered = false;
            for (q, g) in &challenging {
                if std::ptr::eq(*q, *p) || !scope(a, q, &user).applies() {
                    continue;
                }
                let Some((path, why)) = shortfall(t, p, q, g) else {
                    covered = true;
                    break;
                };
                // Blocks scoped to some clients or places, and step-up policies, are not near
                // misses worth showing; MFA policies that fall short are.
                if !matches!(g, Grant::Block) && !q.uses_contexts() {
                    near.push((
                        q.origin.at(path),
                        format!("`{}` applies to them, but {why}", q.name()),
                    ));
                }
            }
            if !covered {
                let service = svc.contains(&user);
                uncovered.entry(exclusion.field).or_default().push(Uncovered {
                    user,
                    exclusion,
                    service,
                    near,
                });
            }
        }
        for users in uncovered.into_values() {
            if users.len() <= ONE_BY_ONE {
                for u in users {
                    report(cx, p, u);
                }
            } else {
                report_many(cx, p, &users);
            }
        }
    }
}

/// A user excluded from a policy whom no other policy covers.
struct Uncovered {
    user: ObjectId,
    /// The exclusion that takes them out.
    exclusion: Exclusion,
    /// A declared service account.
    service: bool,
    /// The policies that apply to them and fall short, and how.
    near: Vec<(Origin, String)>,
}

fn report(cx: &mut Check<'_>, p: &ConditionalAccessPolicy, u: Uncovered) {
    let a = cx.analysis;
    let kind = if u.service { "service account" } else { "user" };
    let via = if u.exclusion.field == "excludeGroups" {
        format!(" through group {}", who(a, &u.exclusion.id))
    } else {
        String::new()
    };
    let f = cx.report(
        p.origin.at(&u.exclusion.path()),
        format!(
            "{kind} {} is excluded from policy `{}`{via} and no other enabled policy requires MFA of them",
            who(a, &u.user),
            p.name()
        ),
    )
    .label(if u.service {
        "declared service account: allowed here, but signs in with no second factor"
    } else {
        "excluded here, covered by no other MFA policy"
    })
    .help(if u.service {
        "replace the service account with a workload identity, or cover it with a policy that restricts where it can sign in from"
    } else {
        "cover the user with another enabled policy that requires MFA or an authentication strength, or remove the exclusion"
    })
    .subject(policy_subject(p))
    .key(Key::Object(u.user));
    for (at, message) in u.near {
        f.related(at, message);
    }
}

/// More than [`ONE_BY_ONE`] users excluded through one field: one finding, at the exclusion of
/// the first, naming the first few.
fn report_many(cx: &mut Check<'_>, p: &ConditionalAccessPolicy, users: &[Uncovered]) {
    let a = cx.analysis;
    let n = users.len();
    let first = &users[0];
    let via = if first.exclusion.field == "excludeGroups" {
        " through its excluded groups"
    } else {
        ""
    };
    let f = cx.report(
        p.origin.at(&first.exclusion.path()),
        format!(
            "{n} users are excluded from policy `{}`{via} and no other enabled policy requires MFA of them: {}",
            p.name(),
            first_of(users.iter().map(|u| who(a, &u.user)), n)
        ),
    );
    f.label(format!(
        "the first of {n} exclusions covered by no other MFA policy"
    ))
    .help("cover these users with another enabled policy that requires MFA or an authentication strength, or remove the exclusions")
    .subject(policy_subject(p))
    .key(Key::Aspect("count".into()));
    // The near misses, each policy once.
    let mut shown = BTreeSet::new();
    for (at, message) in users.iter().flat_map(|u| &u.near) {
        if shown.insert(at.clone()) {
            f.related(at.clone(), message.clone());
        }
    }
}

/// Why policy `q`, which applies to the user, is no fallback for `p`: where, and what; `None` when
/// it is one.
fn shortfall(
    t: &Tenant,
    p: &ConditionalAccessPolicy,
    q: &ConditionalAccessPolicy,
    g: &Grant,
) -> Option<(&'static str, String)> {
    if !mfa_equivalent(g) {
        Some((
            "grantControls/operator",
            format!("lets {} replace MFA", g.alternatives().join(", ")),
        ))
    } else if !covers_apps(p, q) {
        Some((
            "conditions/applications/includeApplications",
            "only to some apps".to_owned(),
        ))
    } else if !covers_clients(p, q) {
        Some((
            "conditions/clientAppTypes",
            "only to some client apps".to_owned(),
        ))
    } else if !narrowed_no_more(t, p, q) {
        Some((
            "conditions",
            "skips some sign-ins (locations, platforms, devices or risk)".to_owned(),
        ))
    } else {
        None
    }
}
