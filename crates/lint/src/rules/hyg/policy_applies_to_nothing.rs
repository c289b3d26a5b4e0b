use super::*;
use entralint_parser::model::{ApplicationConditions, UserConditions};
use foldhash::{HashMap, HashMapExt};

declare_rule! {
    /// An enabled or report-only policy targets no resource, no user, or excludes everyone it includes.
    ///
    /// ## Why is this bad?
    /// A policy that applies to nothing looks like protection in the portal and in every
    /// inventory of policies, and enforces nothing. It happens when a template is imported with
    /// `includeUsers: ["None"]` or `includeApplications: ["None"]` and never finished, when the
    /// only included group is also excluded, or when an edit moves the same user into both lists
    /// (exclusion always wins in Conditional Access).
    ///
    /// The rule fires on a policy that is enabled or report-only and
    /// - targets no resource: no `includeApplications` (or only `None`), no
    ///   `includeUserActions`, no authentication context and no `applicationFilter`; or
    /// - includes no user: `includeUsers` empty or `["None"]`, and no groups, roles or guests; or
    /// - excludes every principal (or every app) it includes: the same user, group, role or
    ///   guest type on both sides, a user included directly and excluded through a group, or
    ///   `All` on both sides.
    ///
    /// Disabled policies and policies for workload identities (service principals) are skipped.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "3c4d5e6f-0120-4000-8000-000000000120", "displayName": "CA120 - Finance - Require compliant device",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeGroups": ["2b3c4d5e-0005-4000-8000-000000000005"],
    ///                                "excludeGroups": ["2b3c4d5e-0005-4000-8000-000000000005"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["compliantDevice"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "3c4d5e6f-0120-4000-8000-000000000120", "displayName": "CA120 - Finance - Require compliant device",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeGroups": ["2b3c4d5e-0005-4000-8000-000000000005"],
    ///                                "excludeGroups": ["2b3c4d5e-0001-4000-8000-000000000001"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["compliantDevice"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Finish the assignment (users and target resources), remove the exclusion that cancels the
    /// inclusion, or delete the policy if it is no longer needed.
    ///
    /// ## References
    /// - [Building a Conditional Access policy](https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-policies)
    /// - [Users and groups in Conditional Access policies](https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups)
    /// - [Target resources in Conditional Access policies](https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps)
    pub static POLICY_APPLIES_TO_NOTHING = {
        code: "HYG003",
        name: "policy-applies-to-nothing",
        severity: Severity::Medium,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    for p in &cx.tenant.conditional_access {
        if p.is_disabled() || p.state.is_none() || p.is_for_workloads() {
            continue;
        }
        resources(cx, p);
        users(cx, p);
    }
}

fn is_none(list: &[ObjectId]) -> bool {
    list.iter().all(|x| *x == "None")
}

/// The first position of each id in a list.
fn positions(list: &[ObjectId]) -> HashMap<&ObjectId, usize> {
    let mut map = HashMap::with_capacity(list.len());
    for (i, x) in list.iter().enumerate() {
        map.entry(x).or_insert(i);
    }
    map
}

/// An inclusion and the exclusion that cancels it.
struct Cancelled {
    include: String,
    exclude: String,
    /// What is included: `user Dave Dunn (id)`.
    what: String,
    /// How the exclusion cancels it, under the exclusion.
    how: String,
}

impl Cancelled {
    fn same(include: String, exclude: String, what: String) -> Self {
        let how = format!("cancels the inclusion of {what}");
        Cancelled {
            include,
            exclude,
            what,
            how,
        }
    }
}

fn resources(cx: &mut Check<'_>, p: &ConditionalAccessPolicy) {
    let apps = &p.conditions.applications;
    let others = !apps.include_user_actions.is_empty()
        || !apps
            .include_authentication_context_class_references
            .is_empty()
        || apps.application_filter.as_ref().is_some_and(|f| f.is_set());
    if others {
        return;
    }
    if is_none(&apps.include_applications) {
        let what = if apps.include_applications.is_empty() {
            "no cloud apps"
        } else {
            "`None` as its cloud apps"
        };
        cx.report(
            p.origin.at("conditions/applications/includeApplications"),
            format!(
                "policy `{}` targets no resource: {what}, no user actions, no authentication context and no application filter",
                p.name()
            ),
        )
        .label("no target resource: the policy never applies")
        .help("select the cloud apps, user actions or authentication context the policy is for, or delete it")
        .subject(policy_subject(p));
        return;
    }
    if let Some(cancelled) = cancelled_apps(apps) {
        report_cancelled(cx, p, "app", &cancelled);
    }
}

fn cancelled_apps(apps: &ApplicationConditions) -> Option<Vec<Cancelled>> {
    let mut out = Vec::new();
    let excluded = positions(&apps.exclude_applications);
    for (i, app) in apps.include_applications.iter().enumerate() {
        if *app == "None" {
            continue;
        }
        let j = *excluded.get(app)?;
        out.push(Cancelled::same(
            format!("conditions/applications/includeApplications/{i}"),
            format!("conditions/applications/excludeApplications/{j}"),
            format!("app `{app}`"),
        ));
    }
    Some(out).filter(|o| !o.is_empty())
}

fn users(cx: &mut Check<'_>, p: &ConditionalAccessPolicy) {
    let u = &p.conditions.users;
    let guests = u
        .include_guests_or_external_users
        .as_ref()
        .is_some_and(|g| !g.guest_or_external_user_types.is_empty());
    if is_none(&u.include_users)
        && u.include_groups.is_empty()
        && u.include_roles.is_empty()
        && !guests
    {
        let what = if u.include_users.is_empty() {
            "no users"
        } else {
            "`None` as its users"
        };
        cx.report(
            p.origin.at("conditions/users/includeUsers"),
            format!(
                "policy `{}` includes nobody: {what}, and no groups, roles or guests",
                p.name()
            ),
        )
        .label("no user in scope: the policy never applies")
        .help("include the users, groups or roles the policy is for, or delete it")
        .subject(policy_subject(p));
        return;
    }
    if let Some(cancelled) = cancelled_users(cx.analysis, u) {
        report_cancelled(cx, p, "principal", &cancelled);
    }
}

/// Every inclusion with the exclusion that cancels it, or `None` if some inclusion survives.
fn cancelled_users(a: &Analysis<'_>, u: &UserConditions) -> Option<Vec<Cancelled>> {
    let mut out = Vec::new();
    let excluded_users = positions(&u.exclude_users);
    // The first excluded group of each of their users, built when scanning the groups for each
    // included user would cost more.
    let by_group: Option<HashMap<ObjectId, usize>> = (u.include_users.len().saturating_mul(u.exclude_groups.len()) > 256)
        .then(|| a.users_in_groups(&u.exclude_groups).into_iter().collect());
    for (i, id) in u.include_users.iter().enumerate() {
        if *id == "None" {
            continue;
        }
        let include = format!("conditions/users/includeUsers/{i}");
        if let Some(&j) = excluded_users.get(id) {
            let what = if *id == "All" {
                "all users".to_owned()
            } else if *id == "GuestsOrExternalUsers" {
                "guests and external users".to_owned()
            } else {
                format!("user {}", who(a, id))
            };
            out.push(Cancelled::same(
                include,
                format!("conditions/users/excludeUsers/{j}"),
                what,
            ));
            continue;
        }
        if *id == "All" || *id == "GuestsOrExternalUsers" {
            return None;
        }
        let j = match &by_group {
            Some(map) => *map.get(id)?,
            None => u.exclude_groups.iter().position(|g| a.is_in_group(g, id))?,
        };
        let what = format!("user {}", who(a, id));
        out.push(Cancelled {
            include,
            exclude: format!("conditions/users/excludeGroups/{j}"),
            how: format!("cancels the inclusion of {what}, a member of this group"),
            what,
        });
    }
    for (field, list, excluded, noun) in [
        ("Groups", &u.include_groups, &u.exclude_groups, "group"),
        ("Roles", &u.include_roles, &u.exclude_roles, "role"),
    ] {
        let excluded = positions(excluded);
        for (i, id) in list.iter().enumerate() {
            let j = *excluded.get(id)?;
            let name = if noun == "role" {
                format!("{} ({id})", a.role_name(id))
            } else {
                who(a, id)
            };
            out.push(Cancelled::same(
                format!("conditions/users/include{field}/{i}"),
                format!("conditions/users/exclude{field}/{j}"),
                format!("{noun} {name}"),
            ));
        }
    }
    if let Some(g) = u
        .include_guests_or_external_users
        .as_ref()
        .filter(|g| !g.guest_or_external_user_types.is_empty())
    {
        let by_object = u
            .exclude_guests_or_external_users
            .as_ref()
            .is_some_and(|x| {
                g.guest_or_external_user_types
                    .iter()
                    .all(|t| x.guest_or_external_user_types.contains(t))
                    && x.external_tenants.as_ref().is_none_or(|e| {
                        e.membership_kind
                            .as_deref()
                            .is_none_or(|k| k.eq_ignore_ascii_case("all"))
                    })
            });
        let exclude = if by_object {
            "conditions/users/excludeGuestsOrExternalUsers".to_owned()
        } else {
            let j = u
                .exclude_users
                .iter()
                .position(|x| *x == "GuestsOrExternalUsers")?;
            format!("conditions/users/excludeUsers/{j}")
        };
        out.push(Cancelled::same(
            "conditions/users/includeGuestsOrExternalUsers".to_owned(),
            exclude,
            "guests and external users".to_owned(),
        ));
    }
    Some(out).filter(|o| !o.is_empty())
}

fn report_cancelled(
    cx: &mut Check<'_>,
    p: &ConditionalAccessPolicy,
    noun: &str,
    cancelled: &[Cancelled],
) {
    let Some(first) = cancelled.first() else {
        return;
    };
    let whats: Vec<String> = cancelled.iter().map(|c| c.what.clone()).collect();
    let f = cx.report(
        p.origin.at(&first.exclude),
        format!(
            "policy `{}` excludes every {noun} it includes ({}): it never applies",
            p.name(),
            enumerate(&whats, 3)
        ),
    );
    f.label(first.how.clone())
        .help("remove the exclusion that cancels the inclusion, or delete the policy")
        .subject(policy_subject(p))
        .related(
            p.origin.at(&first.include),
            format!("{} included here", first.what),
        );
    for c in cancelled[1..].iter().take(ONE_BY_ONE) {
        f.related(p.origin.at(&c.include), format!("{} included here", c.what))
            .related(p.origin.at(&c.exclude), c.how.clone());
    }
}
