use super::*;
use entralint_parser::model::{Group, OpenMembership};
use std::cell::RefCell;
use foldhash::{HashMap, HashMapExt};

declare_rule! {
    /// An enforced privileged policy reaches its admins through a group that others can change.
    ///
    /// ## Why is this bad?
    /// When a policy that protects administrators includes them through a group, the group's
    /// membership is the protection. A group that is not role-assignable (`isAssignableToRole`)
    /// and not in a restricted management administrative unit (`isManagementRestricted`) can be
    /// changed by Groups Administrators, User Administrators and the group's owners: whoever
    /// removes an admin from it removes the MFA or phishing-resistant requirement from that admin,
    /// without touching Conditional Access. A dynamic group follows user attributes that the same
    /// people (and HR systems) can edit. It is the mirror image of BG004, which looks at
    /// exclusion groups.
    ///
    /// The rule looks at enabled policies that require MFA, an authentication strength or block,
    /// and that either include a privileged role (or a role of the admin profile), or target an
    /// authentication context that PIM requires to activate a privileged role (every included
    /// group of those counts), or include a group that holds a privileged role or whose members all
    /// hold or are eligible for one. Groups missing from the export are skipped. Each such group
    /// is one finding, up to 10 in one policy; past that, the policy has one finding at the
    /// first, naming the first 5 and giving the count.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "2b3c4d5e-0006-4000-8000-000000000006", "displayName": "Tier0-Admins",
    ///     "securityEnabled": true, "isAssignableToRole": false },
    ///   { "id": "3c4d5e6f-0105-4000-8000-000000000105", "displayName": "CA105 - Admins - Require phishing-resistant MFA",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"],
    ///                                "includeGroups": ["2b3c4d5e-0006-4000-8000-000000000006"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR",
    ///                        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "2b3c4d5e-0006-4000-8000-000000000006", "displayName": "Tier0-Admins",
    ///     "securityEnabled": true, "isAssignableToRole": true },
    ///   { "id": "3c4d5e6f-0105-4000-8000-000000000105", "displayName": "CA105 - Admins - Require phishing-resistant MFA",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"],
    ///                                "includeGroups": ["2b3c4d5e-0006-4000-8000-000000000006"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR",
    ///                        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Target administrators through their directory roles, or through a role-assignable group
    /// (only Privileged Role Administrators and Global Administrators can change it) or a group in
    /// a restricted management administrative unit. Do not use dynamic groups for admins.
    ///
    /// ## References
    /// - [Use Microsoft Entra groups to manage role assignments](https://learn.microsoft.com/entra/identity/role-based-access-control/groups-concept)
    /// - [Restricted management administrative units](https://learn.microsoft.com/entra/identity/role-based-access-control/admin-units-restricted-management)
    pub static UNPROTECTED_INCLUDE_GROUP = {
        code: "HYG005",
        name: "unprotected-include-group",
        severity: Severity::Medium,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let t = cx.tenant;
    let a = cx.analysis;
    // Users who hold or are eligible for a privileged role, directly or through a group.
    let mut privileged_users = BTreeSet::new();
    let mut privileged_groups = Vec::new();
    for m in &t.role_memberships {
        let (Some(p), Some(r)) = (&m.principal_id, &m.role_definition_id) else {
            continue;
        };
        if !a.is_privileged(r) {
            continue;
        }
        if a.is_group(p) {
            privileged_groups.push(p.clone());
        } else {
            privileged_users.insert(p.clone());
        }
    }
    privileged_users.extend(
        a.users_in_groups(&privileged_groups)
            .into_iter()
            .map(|(u, _)| u),
    );
    // The owners of each group.
    let mut owners_of: HashMap<&ObjectId, Vec<&ObjectId>> = HashMap::new();
    for r in t.group_relations.iter().filter(|r| r.is_owner) {
        if let Some(o) = &r.member.id {
            owners_of.entry(&r.group_id).or_default().push(o);
        }
    }
    // Contexts PIM requires to activate a privileged role (or a group holding one).
    let contexts: BTreeSet<&str> = a
        .chains()
        .iter()
        .filter(|c| c.privileged)
        .filter_map(|c| c.context.as_deref())
        .collect();
    // Whether a group is one of admins, judged once per group.
    let judged: RefCell<HashMap<ObjectId, bool>> = RefCell::new(HashMap::new());
    let admin_group = |g: &ObjectId| {
        if let Some(&known) = judged.borrow().get(g) {
            return known;
        }
        let admins = a.group_roles(g).iter().any(|r| a.is_privileged(r)) || {
            let members = a.users_in_group(g);
            !members.is_empty() && members.iter().all(|u| privileged_users.contains(u))
        };
        judged.borrow_mut().insert(g.clone(), admins);
        admins
    };
    let mut groups_needed = false;
    for p in &t.conditional_access {
        let u = &p.conditions.users;
        if !p.is_enabled() || p.is_for_workloads() || u.include_groups.is_empty() {
            continue;
        }
        if !grant(t, p).challenges() {
            continue;
        }
        let roles = admin_roles(cx, p);
        let context = p
            .conditions
            .applications
            .include_authentication_context_class_references
            .iter()
            .find(|c| contexts.contains(c.as_str()));
        let why = if !roles.is_empty() {
            let names: Vec<String> = roles.iter().map(|r| a.role_name(r)).collect();
            Some(format!("(protects {})", enumerate(&names, 3)))
        } else {
            context.map(|c| {
                format!("(the step-up policy of context `{c}` for privileged role activation)")
            })
        };
        if why.is_none() && !u.include_groups.iter().any(&admin_group) {
            continue;
        }
        if !t.inventory.has(Kind::Group) {
            groups_needed = true;
            continue;
        }
        let open: Vec<(usize, &ObjectId, String, &Group)> = u
            .include_groups
            .iter()
            .enumerate()
            .filter_map(|(i, gid)| {
                let g = a.group(gid)?;
                g.open_membership()?;
                let why = match &why {
                    Some(w) => w.clone(),
                    None if admin_group(gid) => "(requires MFA of a group of admins)".to_owned(),
                    None => return None,
                };
                Some((i, gid, why, g))
            })
            .collect();
        if open.len() > ONE_BY_ONE {
            let n = open.len();
            let names = first_of(
                open.iter().map(|(_, gid, _, g)| {
                    format!("`{}`", g.display_name.as_deref().unwrap_or(gid))
                }),
                n,
            );
            cx.report(
                p.origin.at_index("conditions/users/includeGroups", open[0].0),
                format!(
                    "policy `{}` {} includes {n} groups that are dynamic, or neither role-assignable nor management-restricted, so that others can take admins out of it: {names}",
                    p.name(),
                    open[0].2
                ),
            )
            .label(format!("the first of {n} included groups others can change"))
            .help("target admins through their roles, a role-assignable group, or a group in a restricted management administrative unit")
            .subject(policy_subject(p))
            .key(Key::Aspect("groups".into()));
            continue;
        }
        for (i, gid, why, g) in open {
            let name = g.display_name.clone().unwrap_or_else(|| gid.to_string());
            let (label, which) = match g.open_membership() {
                Some(OpenMembership::Dynamic(rule)) => {
                    let rule = rule.unwrap_or("(no rule exported)");
                    (
                        "dynamic group: changing a member's attributes removes the protection"
                            .to_owned(),
                        format!("is dynamic (`{rule}`): whoever can edit those user attributes takes admins out of the policy"),
                    )
                }
                Some(OpenMembership::Editable) => {
                    let owners: Vec<String> = owners_of
                        .get(gid)
                        .into_iter()
                        .flatten()
                        .map(|o| who(a, o))
                        .collect();
                    let owners = if owners.is_empty() {
                        "the group's owners".to_owned()
                    } else {
                        format!("its owners ({})", enumerate(&owners, 3))
                    };
                    (
                    "not role-assignable: removing a member removes the protection".to_owned(),
                    format!("is not role-assignable and not management-restricted: Groups Administrators, User Administrators and {owners} can remove members, and a removed admin is no longer protected"),
                )
                }
                None => continue,
            };
            cx.report(
                p.origin.at(&format!("conditions/users/includeGroups/{i}")),
                format!("policy `{}` {why} includes group `{name}` ({gid}), which {which}", p.name()),
            )
            .label(label)
            .help("target admins through their roles, a role-assignable group, or a group in a restricted management administrative unit")
            .subject(policy_subject(p))
            .key(Key::Object(gid.clone()));
        }
    }
    if groups_needed {
        cx.not_evaluated("no groups in input: include groups of privileged policies not checked");
    }
}
