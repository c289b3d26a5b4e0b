use super::*;
use crate::analysis::admins::HoldingKind;
use crate::analysis::strength::grant;
use foldhash::{HashMap, HashMapExt};
use std::rc::Rc;

declare_rule! {
    /// An admin-coverage policy excludes a privileged role, or users and groups that hold one.
    ///
    /// ## Why is this bad?
    /// Exclusions are silent: the policy still shows "Require MFA for admins", yet the accounts it
    /// exempts are exactly the ones an attacker wants. Excluding a privileged role exempts every
    /// active holder of it; excluding a user or a group (nested groups included) exempts the
    /// administrators in it. Only break-glass accounts, and service accounts that cannot do MFA,
    /// belong in the exclusions of an admin policy — and a service account should hold no
    /// privileged role (BG006).
    ///
    /// An admin-coverage policy is one that is enabled or report-only, includes `All` users or
    /// some role of the admin profile (or of ADM002's role set) in `includeRoles`, and requires
    /// MFA or an authentication strength. Reported, once per excluded entry:
    ///
    /// - an `excludeRoles` entry that is a privileged role;
    /// - an `excludeUsers` entry that holds a privileged role, actively or as eligible (PIM, PIM
    ///   for Groups), and is not a break-glass or declared service account;
    /// - an `excludeGroups` entry (not itself a break-glass or service group) whose transitive
    ///   members include such users, or that holds a privileged role itself.
    ///
    /// Past 10 such entries in one list of a policy, the list is one finding at the first, naming
    /// the first 5 and giving the count. A policy that excludes more than 10 groups names each
    /// administrator under the first of them that holds them.
    ///
    /// Without role assignments or eligibilities in the input only excluded roles are checked,
    /// and the rule says so; groups whose members are not in the export cannot be judged either.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "displayName": "Require MFA for admins", "state": "enabled",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeRoles": ["62e90394-69f5-4237-9190-012177145e10",
    ///                                                 "e8611ab8-c189-46e8-94e1-60213ab1f814"],
    ///                                "excludeRoles": ["e8611ab8-c189-46e8-94e1-60213ab1f814"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } },
    ///   { "id": "a1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    ///     "roleDefinitionId": "e8611ab8-c189-46e8-94e1-60213ab1f814" }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "2b3c4d5e-00b0-4000-8000-0000000000b0", "displayName": "CA-Exclude-BreakGlass",
    ///     "securityEnabled": true, "isAssignableToRole": true,
    ///     "members": [ { "@odata.type": "#microsoft.graph.user", "id": "1a2b3c4d-00b1-4000-8000-0000000000b1" } ] },
    ///   { "displayName": "Require MFA for admins", "state": "enabled",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"],
    ///                                "excludeGroups": ["2b3c4d5e-00b0-4000-8000-0000000000b0"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } },
    ///   { "id": "a1", "principalId": "1a2b3c4d-00b1-4000-8000-0000000000b1", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Remove privileged roles and administrators from the policy's exclusions. Exclude only the
    /// break-glass accounts (declare them in entralint.toml) and service accounts that hold no
    /// privileged role; move an administrator out of an exclusion group rather than exempting the
    /// group.
    ///
    /// ## References
    /// - [Require MFA for administrators](https://learn.microsoft.com/entra/identity/conditional-access/howto-conditional-access-policy-admin-mfa)
    /// - [Manage emergency access accounts](https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access)
    pub static ADMINS_EXCLUDED_FROM_ADMIN_COVERAGE = {
        code: "ADM004",
        name: "admins-excluded-from-admin-coverage",
        severity: Severity::High,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
        ],
        check: check,
    }
}

/// What an excluded group exempts: the administrators among its users (names, in id order) and
/// the privileged roles it holds itself.
struct Exempts {
    admins: Vec<String>,
    roles: Vec<ObjectId>,
}

fn check(cx: &mut Check<'_>) {
    let a = cx.analysis;
    let t = cx.tenant;
    let inv = &t.inventory;
    let memberships = [
        Kind::RoleAssignment,
        Kind::RoleAssignmentSchedule,
        Kind::RoleEligibilitySchedule,
    ]
    .iter()
    .any(|k| inv.has(*k));
    if !memberships {
        cx.not_evaluated(
            "no role assignments or eligibilities in input, so only excluded roles were checked",
        );
    }
    let mut roles = a.mfa_profile().1;
    roles.extend(a.phishing_resistant_profile().1);
    let bg = a.break_glass();
    let svc = a.service_accounts();
    let exempt = |id: &ObjectId| bg.contains(id) || svc.contains(id);
    let help = "exclude only break-glass accounts and service accounts that hold no privileged role; remove administrators from the exclusions";
    let mut unknown_group = None;
    // The active, directory-wide holders of each role, named; built once, on first need.
    let mut holders: Option<HashMap<ObjectId, Vec<String>>> = None;
    // What each excluded group exempts, judged once however many policies exclude it.
    let mut judged: HashMap<ObjectId, Rc<Exempts>> = HashMap::new();
    for p in &t.conditional_access {
        if p.is_disabled() || !grant(t, p).requires_mfa() || !aims_at(p, &roles) {
            continue;
        }
        let u = &p.conditions.users;
        let privileged: Vec<(usize, &ObjectId)> = u
            .exclude_roles
            .iter()
            .enumerate()
            .filter(|(_, r)| a.is_privileged(r))
            .collect();
        if privileged.len() > ONE_BY_ONE {
            let n = privileged.len();
            let (i, _) = privileged[0];
            cx.report(
                p.origin.at_index("conditions/users/excludeRoles", i),
                format!(
                    "policy `{}` excludes {n} privileged roles from admin coverage: {}",
                    p.name(),
                    first_of(privileged.iter().map(|(_, r)| a.role_name(r)), n)
                ),
            )
            .label(format!(
                "the first of {n} privileged roles whose active holders are exempt"
            ))
            .help("remove the privileged roles from `excludeRoles`")
            .subject(policy_subject(p))
            .key(Key::Aspect("roles".into()));
        } else {
            for (i, r) in privileged {
                let role = a.role_name(r);
                let holders = holders.get_or_insert_with(|| active_holders(cx));
                let held = match holders.get(r) {
                    Some(names) => format!(" (held by {})", list(names)),
                    None => String::new(),
                };
                cx.report(
                    p.origin.at_index("conditions/users/excludeRoles", i),
                    format!(
                        "policy `{}` excludes {role}{held} from admin coverage",
                        p.name()
                    ),
                )
                .label(format!("every active {role} is exempt"))
                .help("remove the privileged role from `excludeRoles`")
                .subject(policy_subject(p))
                .key(Key::Object(r.clone()));
            }
        }
        if !memberships {
            continue;
        }
        let admins: Vec<(usize, &ObjectId, String)> = u
            .exclude_users
            .iter()
            .enumerate()
            .filter(|(_, id)| !exempt(id))
            .filter_map(|(i, id)| admin(cx, id).map(|admin| (i, id, admin)))
            .collect();
        if admins.len() > ONE_BY_ONE {
            let n = admins.len();
            let (i, _, _) = admins[0];
            cx.report(
                p.origin.at_index("conditions/users/excludeUsers", i),
                format!(
                    "policy `{}` excludes {n} administrators from admin coverage{}: {}",
                    p.name(),
                    bg.note(),
                    first_of(admins.iter().map(|(_, _, admin)| admin.clone()), n)
                ),
            )
            .label(format!(
                "the first of {n} administrators, not break-glass or service accounts"
            ))
            .help(help)
            .subject(policy_subject(p))
            .key(Key::Aspect("administrators".into()));
        } else {
            for (i, id, admin) in admins {
                cx.report(
                    p.origin.at_index("conditions/users/excludeUsers", i),
                    format!(
                        "policy `{}` excludes {admin} from admin coverage{}",
                        p.name(),
                        bg.note()
                    ),
                )
                .label("an administrator, not a break-glass or service account")
                .help(help)
                .subject(policy_subject(p))
                .key(Key::Object(id.clone()));
            }
        }
        let listed: Vec<(usize, &ObjectId)> = u
            .exclude_groups
            .iter()
            .enumerate()
            .filter(|(_, g)| !exempt(g))
            .collect();
        let groups: Vec<(usize, &ObjectId, Rc<Exempts>)> = if listed.len() <= ONE_BY_ONE {
            // Few groups: each is judged whole (a group nested in another excluded one names
            // its administrators too), once per run.
            listed
                .iter()
                .map(|&(i, g)| {
                    let exempts = judged
                        .entry(g.clone())
                        .or_insert_with(|| {
                            let admins = a
                                .users_in_group(g)
                                .iter()
                                .filter(|m| !exempt(m))
                                .filter_map(|m| admin(cx, m))
                                .collect();
                            Rc::new(Exempts {
                                admins,
                                roles: privileged_roles(cx, g),
                            })
                        })
                        .clone();
                    (i, g, exempts)
                })
                .collect()
        } else {
            // Many groups: one walk over all of them gives each administrator to the first
            // group that holds them, so that nested groups cost their size once.
            let ids: Vec<ObjectId> = listed.iter().map(|(_, g)| (*g).clone()).collect();
            let mut admins: Vec<Vec<String>> = vec![Vec::new(); listed.len()];
            for (user, k) in a.users_in_groups(&ids) {
                if exempt(&user) {
                    continue;
                }
                if let Some(admin) = admin(cx, &user) {
                    admins[k].push(admin);
                }
            }
            listed
                .iter()
                .zip(admins)
                .map(|(&(i, g), admins)| {
                    let roles = privileged_roles(cx, g);
                    (i, g, Rc::new(Exempts { admins, roles }))
                })
                .collect()
        };
        let mut exempting = Vec::new();
        for (i, g, exempts) in groups {
            if !exempts.admins.is_empty() || !exempts.roles.is_empty() {
                exempting.push((i, g, exempts));
            } else if !inv.has(Kind::GroupMember) && unknown_group.is_none() {
                unknown_group = Some(format!(
                    "policy `{}` excludes group {} and no group members are in input",
                    p.name(),
                    a.principal_name(g)
                ));
            }
        }
        if exempting.len() > ONE_BY_ONE {
            let n = exempting.len();
            let (i, _, _) = exempting[0];
            cx.report(
                p.origin.at_index("conditions/users/excludeGroups", i),
                format!(
                    "policy `{}` excludes {n} groups that hold administrators or grant privileged roles from admin coverage{}: {}",
                    p.name(),
                    bg.note(),
                    first_of(
                        exempting
                            .iter()
                            .map(|(_, g, _)| format!("`{}`", a.principal_name(g))),
                        n
                    )
                ),
            )
            .label(format!("the first of {n} groups that exempt administrators"))
            .help(help)
            .subject(policy_subject(p))
            .key(Key::Aspect("groups".into()));
            continue;
        }
        for (i, g, exempts) in exempting {
            let group = a.principal_name(g);
            let what = if exempts.admins.is_empty() {
                format!("the members it grants {}", role_names(cx, &exempts.roles))
            } else {
                let plural = if exempts.admins.len() == 1 { "" } else { "s" };
                format!("administrator{plural} {}", list(&exempts.admins))
            };
            cx.report(
                p.origin.at_index("conditions/users/excludeGroups", i),
                format!(
                    "policy `{}` excludes group `{group}`, and with it {what}, from admin coverage{}",
                    p.name(),
                    bg.note()
                ),
            )
            .label("exempts administrators")
            .help(help)
            .subject(policy_subject(p))
            .key(Key::Object(g.clone()));
        }
    }
    if let Some(reason) = unknown_group {
        cx.not_evaluated(reason);
    }
}

/// The privileged roles a group holds itself.
fn privileged_roles(cx: &Check<'_>, group: &ObjectId) -> Vec<ObjectId> {
    let a = cx.analysis;
    a.group_roles(group)
        .into_iter()
        .filter(|r| a.is_privileged(r))
        .collect()
}

/// The names of the users who hold each role actively across the directory, by role.
fn active_holders(cx: &Check<'_>) -> HashMap<ObjectId, Vec<String>> {
    let a = cx.analysis;
    let mut out: HashMap<ObjectId, Vec<String>> = HashMap::new();
    for (user, holdings) in a.holdings() {
        let mut roles: Vec<&ObjectId> = holdings
            .iter()
            .filter(|h| h.kind == HoldingKind::Active && h.is_directory_wide())
            .map(|h| &h.role)
            .collect();
        roles.sort_unstable();
        roles.dedup();
        for r in roles {
            out.entry(r.clone()).or_default().push(a.principal_name(user));
        }
    }
    out
}

/// `Name (Global Administrator, eligible User Administrator)` when the user holds a privileged
/// role in any way; `None` otherwise.
fn admin(cx: &Check<'_>, user: &ObjectId) -> Option<String> {
    let a = cx.analysis;
    let holdings = a.holdings_of(user);
    let privileged: BTreeSet<&ObjectId> = holdings
        .iter()
        .filter(|h| a.is_privileged(&h.role))
        .map(|h| &h.role)
        .collect();
    if privileged.is_empty() {
        return None;
    }
    let mut roles: Vec<String> = privileged
        .into_iter()
        .map(|r| {
            let active = holdings
                .iter()
                .any(|h| h.role == *r && h.kind == HoldingKind::Active);
            let name = a.role_name(r);
            if active {
                name
            } else {
                format!("eligible {name}")
            }
        })
        .collect();
    roles.sort();
    Some(format!("{} ({})", a.principal_name(user), roles.join(", ")))
}
