use super::*;
use entralint_parser::model::OpenMembership;

declare_rule! {
    /// A protective policy excludes a group that people outside the privileged roles can change.
    ///
    /// ## Why is this bad?
    /// An exclusion group is a bypass list. When it is not role-assignable
    /// (`isAssignableToRole`) and not in a restricted management administrative unit
    /// (`isManagementRestricted`), Groups Administrators, User Administrators and the group's
    /// owners can add members, including themselves, and walk past the policy. A dynamic group is
    /// worse: its members follow user attributes (department, job title, extension attributes)
    /// that User Administrators and HR systems can set.
    ///
    /// The rule looks at the exclusions of enabled and report-only policies that require MFA, a
    /// strength or block, for all users, for privileged roles, or at an authentication context.
    /// Groups missing from the export cannot be judged and are skipped. Each such group is one
    /// finding, up to 10 in one policy; past that, the policy has one finding at the first,
    /// naming the first 5 and giving the count.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "2b3c4d5e-0002-4000-8000-000000000002", "displayName": "CA-Exclude-ServiceAccounts",
    ///     "securityEnabled": true, "isAssignableToRole": false },
    ///   { "id": "3c4d5e6f-0100-4000-8000-000000000100", "displayName": "CA100 - Require MFA for admins",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"],
    ///                                "excludeGroups": ["2b3c4d5e-0002-4000-8000-000000000002"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "2b3c4d5e-0001-4000-8000-000000000001", "displayName": "CA-Exclude-BreakGlass",
    ///     "securityEnabled": true, "isAssignableToRole": true },
    ///   { "id": "3c4d5e6f-0100-4000-8000-000000000100", "displayName": "CA100 - Require MFA for admins",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"],
    ///                                "excludeGroups": ["2b3c4d5e-0001-4000-8000-000000000001"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Exclude through a role-assignable group (created with "Microsoft Entra roles can be
    /// assigned to the group"), or put the group in a restricted management administrative unit;
    /// never exclude a dynamic group.
    ///
    /// ## References
    /// - [Use Microsoft Entra groups to manage role assignments](https://learn.microsoft.com/entra/identity/role-based-access-control/groups-concept)
    /// - [Restricted management administrative units](https://learn.microsoft.com/entra/identity/role-based-access-control/admin-units-restricted-management)
    pub static EDITABLE_EXCLUSION_GROUP = {
        code: "BG004",
        name: "editable-exclusion-group",
        severity: Severity::High,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
            Need::kind(Kind::Group)
                .when(POLICIES_EXCLUDE_GROUPS)
                .so("so exclusion groups cannot be judged"),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let t = cx.tenant;
    for p in &t.conditional_access {
        if !protective(cx, p) {
            continue;
        }
        let open: Vec<(usize, &ObjectId, &str)> = p
            .conditions
            .users
            .exclude_groups
            .iter()
            .enumerate()
            .filter_map(|(i, gid)| {
                let g = cx.analysis.group(gid)?;
                g.open_membership()?;
                Some((i, gid, g.display_name.as_deref().unwrap_or(gid)))
            })
            .collect();
        if open.len() > ONE_BY_ONE {
            let n = open.len();
            cx.report(
                p.origin.at_index("conditions/users/excludeGroups", open[0].0),
                format!(
                    "policy `{}` excludes {n} groups that are dynamic, or neither role-assignable nor management-restricted, so that others decide who skips the policy: {}",
                    p.name(),
                    first_of(open.iter().map(|(_, _, name)| format!("`{name}`")), n)
                ),
            )
            .label(format!("the first of {n} exclusion groups others can change"))
            .help("exclude through a role-assignable group or one in a restricted management administrative unit")
            .subject(policy_subject(p))
            .key(Key::Aspect("groups".into()));
            continue;
        }
        for (i, gid, _) in open {
            let Some(g) = cx.analysis.group(gid) else {
                continue;
            };
            let name = g.display_name.clone().unwrap_or_else(|| gid.to_string());
            let (label, why) = match g.open_membership() {
                Some(OpenMembership::Dynamic(rule)) => {
                    let rule = rule.unwrap_or("(no rule exported)");
                    (
                        "dynamic group: its members follow editable user attributes".to_owned(),
                        format!("is dynamic (`{rule}`): whoever can edit those attributes decides who skips the policy"),
                    )
                }
                Some(OpenMembership::Editable) => (
                    "not role-assignable: Groups and User Administrators and its owners can add members".to_owned(),
                    "is not role-assignable and not management-restricted: Groups and User Administrators, and its owners, can add themselves".to_owned(),
                ),
                None => continue,
            };
            cx.report(p.origin.at(&format!("conditions/users/excludeGroups/{i}")), format!("policy `{}` excludes group `{name}`, which {why}", p.name()))
                .label(label)
                .help("exclude through a role-assignable group or one in a restricted management administrative unit")
                .subject(policy_subject(p))
                .key(Key::Object(gid.clone()));
        }
    }
}
