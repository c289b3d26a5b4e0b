use super::*;
use crate::analysis::admins::{Holding, HoldingKind};
use crate::analysis::scope::scope;
use crate::analysis::strength::grant;
use foldhash::{HashMap, HashMapExt};

declare_rule! {
    /// A user holds privileged access that directory-role targeting does not see, and no user-based MFA policy covers them.
    ///
    /// ## Why is this bad?
    /// A Conditional Access policy that includes directory roles applies only to users who
    /// actively hold a built-in role across the whole directory. Microsoft: "Other role types
    /// aren't supported, including administrative unit-scoped roles and custom roles". Four kinds
    /// of administrator are therefore invisible to "Require MFA for admins" policies built on
    /// `includeRoles`:
    ///
    /// - (a) users only eligible for a privileged role (PIM): they do not hold it while they sign
    ///   in and activate;
    /// - (b) users who hold a privileged role only at an administrative-unit scope
    ///   (`directoryScopeId` other than `/`);
    /// - (c) users who hold a custom role (`isBuiltIn: false` in the exported role definition);
    /// - (d) users who reach a privileged role through an eligible membership or ownership of a
    ///   group that holds it (PIM for Groups).
    ///
    /// Such a user is reported when, besides, no enabled policy that requires MFA or an
    /// authentication strength (as its only grant control, or under `AND`) includes them by user,
    /// by group (nested groups included) or as `All` users, without excluding them. Role-based
    /// inclusion does not count — it is the thing that misses them — and neither do policies
    /// that target no cloud app (authentication-context or user-action policies). A policy that
    /// includes groups whose members are not in the export makes the rule not evaluated.
    ///
    /// One finding per user, at their role membership record, naming the role and the case.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-0002-4000-8000-000000000002", "displayName": "Dana Diaz",
    ///     "userPrincipalName": "dana@contoso.com" },
    ///   { "id": "e1", "principalId": "1a2b3c4d-0002-4000-8000-000000000002", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "roleEligibilityScheduleId": "s1" },
    ///   { "displayName": "Require MFA for admins", "state": "enabled",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "1a2b3c4d-0002-4000-8000-000000000002", "displayName": "Dana Diaz",
    ///     "userPrincipalName": "dana@contoso.com" },
    ///   { "id": "e1", "principalId": "1a2b3c4d-0002-4000-8000-000000000002", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "roleEligibilityScheduleId": "s1" },
    ///   { "displayName": "Require MFA for all users", "state": "enabled",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Cover administrators by who they are, not by the role they hold at sign-in time: require
    /// MFA (better, a phishing-resistant strength) from all users, or from a group that contains
    /// every eligible, administrative-unit-scoped and custom-role administrator, in an enabled
    /// policy. Keep the role-targeted policy as well if you like; it is not enough on its own.
    ///
    /// ## References
    /// - [Users and groups in Conditional Access policy](https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups)
    /// - [Assign Microsoft Entra roles with administrative unit scope](https://learn.microsoft.com/entra/identity/role-based-access-control/admin-units-assign-roles)
    pub static PRIVILEGED_ACCESS_INVISIBLE_TO_ROLE_TARGETING = {
        code: "ADM003",
        name: "privileged-access-invisible-to-role-targeting",
        severity: Severity::High,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
            Need::any(&[
                Kind::RoleAssignment,
                Kind::RoleAssignmentSchedule,
                Kind::RoleEligibilitySchedule,
            ]),
        ],
        check: check,
    }
}

/// Which way around role targeting a holding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Case {
    /// (a) only eligible.
    Eligible,
    /// (b) only at an administrative-unit scope.
    UnitScoped,
    /// (c) a custom role.
    Custom,
    /// (d) through PIM for Groups.
    GroupEligible,
}

fn check(cx: &mut Check<'_>) {
    let inv = &cx.tenant.inventory;
    let a = cx.analysis;
    let t = cx.tenant;
    // Enabled policies that require MFA or a strength with no alternative, for some cloud app.
    let coverage: Vec<&ConditionalAccessPolicy> = t
        .conditional_access
        .iter()
        .filter(|p| p.is_enabled() && targets_apps(p))
        .filter(|p| {
            let g = grant(t, p);
            g.requires_mfa() && non_mfa_alternatives(&g).is_empty()
        })
        .collect();
    if !inv.has(Kind::GroupMember) {
        if let Some((p, g)) = coverage.iter().find_map(|p| {
            p.conditions
                .users
                .include_groups
                .first()
                .map(|g| (*p, g.clone()))
        }) {
            cx.not_evaluated(format!(
                "policy `{}` includes group {} and no group members are in input",
                p.name(),
                a.principal_name(&g)
            ));
            return;
        }
    }
    let index = Index::new(cx, &coverage);
    for (user, holdings) in a.holdings() {
        let invisible = invisible_holdings(cx, holdings);
        let Some((case, first)) = invisible.first() else {
            continue;
        };
        let mut excluded = Vec::new();
        let mut covered = false;
        for i in index.including(a.is_guest(user), user) {
            let p = coverage[i];
            match scope(a, p, user).excluded {
                None => {
                    covered = true;
                    break;
                }
                Some(e) => excluded.push((p, e)),
            }
        }
        if covered {
            continue;
        }
        let name = a.principal_name(user);
        let role = a.role_name(&first.role);
        let (how, label) = describe(a, *case, first, &role);
        let f = cx.report(
            first.record.origin().at("principalId"),
            format!(
                "{name} {how}, which directory-role targeting does not see, and no enabled MFA policy covers them by user, group or All users"
            ),
        );
        f.label(label)
            .help("require MFA from all users, or from a group holding every eligible, unit-scoped and custom-role administrator, in an enabled policy")
            .subject(Subject {
                kind: SubjectKind::User,
                id: Some(user.clone()),
                display_name: Some(name.clone()),
                origin: first.record.origin().clone(),
            })
            .key(Key::Object(first.role.clone()));
        for (case, h) in invisible.iter().skip(1).take(3) {
            let role = a.role_name(&h.role);
            let (how, _) = describe(a, *case, h, &role);
            f.related(
                h.record.origin().at("principalId"),
                format!("{name} also {how}"),
            );
        }
        for (p, e) in excluded.iter().take(3) {
            f.related(
                p.origin.at(&e.path()),
                format!(
                    "policy `{}` would cover {name}, but excludes them here",
                    p.name()
                ),
            );
        }
        if let Some(&(p, i)) = index.by_role.get(&first.role) {
            f.related(
                p.origin.at_index("conditions/users/includeRoles", i),
                format!(
                    "policy `{}` targets {role} by role, which misses {name}",
                    p.name()
                ),
            );
        }
    }
}

/// The holdings role targeting misses, each with its case, in case order (a before b ...). A
/// privileged role held actively across the directory is seen, so its other holdings are not
/// reported; a custom role is never seen.
fn invisible_holdings<'h, 't>(
    cx: &Check<'_>,
    holdings: &'h [Holding<'t>],
) -> Vec<(Case, &'h Holding<'t>)> {
    let a = cx.analysis;
    let seen: BTreeSet<&ObjectId> = holdings
        .iter()
        .filter(|h| h.kind == HoldingKind::Active && h.is_directory_wide())
        .map(|h| &h.role)
        .collect();
    let mut out: Vec<(Case, &Holding<'t>)> = holdings
        .iter()
        .filter_map(|h| {
            let custom = a
                .role_definition(&h.role)
                .is_some_and(|d| d.is_built_in == Some(false));
            let case = if custom {
                Case::Custom
            } else if !a.is_privileged(&h.role) || seen.contains(&h.role) {
                return None;
            } else if !h.is_directory_wide() {
                Case::UnitScoped
            } else {
                match h.kind {
                    HoldingKind::Eligible => Case::Eligible,
                    HoldingKind::GroupEligible => Case::GroupEligible,
                    HoldingKind::Active => return None,
                }
            };
            Some((case, h))
        })
        .collect();
    out.sort_by_key(|(case, _)| *case);
    // One line per role and case.
    let mut listed = BTreeSet::new();
    out.retain(|(case, h)| listed.insert((*case, h.role.clone())));
    out
}

/// How the user holds the role (after their name), and the label under the record.
fn describe(a: &Analysis<'_>, case: Case, h: &Holding<'_>, role: &str) -> (String, String) {
    let through = h
        .via_group
        .as_ref()
        .map(|g| format!(" through group `{}`", a.principal_name(g)))
        .unwrap_or_default();
    match case {
        Case::Eligible => (
            format!("is only eligible for {role}{through} (PIM)"),
            "eligible, not an active holder: `includeRoles` does not match at sign-in".to_owned(),
        ),
        Case::UnitScoped => (
            format!(
                "holds {role}{through} only at administrative-unit scope `{}`",
                h.scope
            ),
            "scoped to an administrative unit: `includeRoles` does not match".to_owned(),
        ),
        Case::Custom => (
            format!("holds custom role {role}{through}"),
            "a custom role: `includeRoles` cannot target it".to_owned(),
        ),
        Case::GroupEligible => {
            let access = if h.access.as_deref() == Some("owner") {
                "ownership"
            } else {
                "membership"
            };
            let group = h
                .via_group
                .as_ref()
                .map(|g| a.principal_name(g))
                .unwrap_or_default();
            (
                format!(
                    "can reach {role} through an eligible {access} of group `{group}` (PIM for Groups)"
                ),
                "eligible for the group that holds the role: `includeRoles` does not match"
                    .to_owned(),
            )
        }
    }
}

/// Whether the policy includes the user through `includeUsers`, `includeGroups` or guest settings
/// (not through `includeRoles`): `None` when it does not, else the exclusion that takes them out
/// Which coverage policies include a user by identity (user, group with nested groups, `All`,
/// guests), built once so that each user is matched against the policies that name them and
/// not against every policy: tenants have thousands of both.
struct Index<'p> {
    /// Policies that include `All` users.
    all: Vec<usize>,
    /// Policies that include guests or external users.
    guests: Vec<usize>,
    /// Policies that include the user by id or through a group.
    named: HashMap<ObjectId, Vec<usize>>,
    /// The first coverage policy that names each role in `includeRoles`, and where.
    by_role: HashMap<ObjectId, (&'p ConditionalAccessPolicy, usize)>,
}

impl<'p> Index<'p> {
    fn new(cx: &Check<'_>, coverage: &[&'p ConditionalAccessPolicy]) -> Self {
        let a = cx.analysis;
        let mut index = Index {
            all: Vec::new(),
            guests: Vec::new(),
            named: HashMap::new(),
            by_role: HashMap::new(),
        };
        for (i, p) in coverage.iter().enumerate() {
            let u = &p.conditions.users;
            if u.include_users.iter().any(|x| *x == "All") {
                index.all.push(i);
            }
            if u.include_users
                .iter()
                .any(|x| *x == "GuestsOrExternalUsers")
                || u.include_guests_or_external_users
                    .as_ref()
                    .is_some_and(|g| !g.guest_or_external_user_types.is_empty())
            {
                index.guests.push(i);
            }
            for user in &u.include_users {
                index.named.entry(user.clone()).or_default().push(i);
            }
            for (user, _) in a.users_in_groups(&u.include_groups) {
                index.named.entry(user).or_default().push(i);
            }
            for (k, r) in u.include_roles.iter().enumerate() {
                index.by_role.entry(r.clone()).or_insert((*p, k));
            }
        }
        index
    }

    /// The coverage policies that include the user by identity, in coverage order.
    fn including(&self, guest: bool, user: &ObjectId) -> Vec<usize> {
        let mut out = self.all.clone();
        if guest {
            out.extend(&self.guests);
        }
        out.extend(self.named.get(user).into_iter().flatten());
        out.sort_unstable();
        out.dedup();
        out
    }
}
