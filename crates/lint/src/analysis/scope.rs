//! "Is user U in scope of Conditional Access policy P": `includeUsers` (`All`, `None`,
//! `GuestsOrExternalUsers`, ids), `includeGroups` (transitive), `includeRoles` (active holders only:
//! an eligible user does not hold the role while activating it), guests; exclusions win
//! (Microsoft Learn, "Users and groups" in Conditional Access policies).

use super::Analysis;
use entralint_parser::model::ConditionalAccessPolicy;
use entralint_parser::ObjectId;
use foldhash::{HashMap, HashMapExt, HashSet};
use std::cell::OnceCell;
use std::collections::BTreeSet;

/// Why a user is out of a policy's scope, when an exclusion is the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    /// `excludeUsers`, `excludeGroups`, `excludeRoles` or `excludeGuestsOrExternalUsers`.
    pub field: &'static str,
    /// Position in the list, for pointing at the entry.
    pub index: Option<usize>,
    /// The excluded id (user, group or role), or the special value.
    pub id: ObjectId,
}

impl Exclusion {
    /// Path below the policy, e.g. `conditions/users/excludeGroups/1`.
    pub fn path(&self) -> String {
        match self.index {
            Some(i) => format!("conditions/users/{}/{i}", self.field),
            None => format!("conditions/users/{}", self.field),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub included: bool,
    pub excluded: Option<Exclusion>,
}

impl Scope {
    pub fn applies(&self) -> bool {
        self.included && self.excluded.is_none()
    }
}

const GUESTS: ObjectId = ObjectId::from_static("GuestsOrExternalUsers");

/// Lists longer than this are looked up in an index of the policy ([`UserLists`]) rather than
/// scanned for each user.
const SCAN: usize = 16;

/// A policy's user lists, indexed: each part is built the first time a list too long to scan
/// for each user is asked about, once per policy.
#[derive(Debug, Default)]
pub struct UserLists {
    include_users: OnceCell<HashSet<ObjectId>>,
    /// Each id's first position in `excludeUsers`.
    exclude_users: OnceCell<HashMap<ObjectId, usize>>,
    /// The ids `includeGroups` lists and the users of those groups.
    include_groups: OnceCell<HashSet<ObjectId>>,
    /// The first position in `excludeGroups` of each id it lists and of each user of its groups.
    exclude_groups: OnceCell<HashMap<ObjectId, usize>>,
    include_roles: OnceCell<HashSet<ObjectId>>,
    /// Each role's first position in `excludeRoles`.
    exclude_roles: OnceCell<HashMap<ObjectId, usize>>,
}

/// The first position of each id in a list.
fn positions(list: &[ObjectId]) -> HashMap<ObjectId, usize> {
    let mut map = HashMap::with_capacity(list.len());
    for (i, x) in list.iter().enumerate() {
        map.entry(x.clone()).or_insert(i);
    }
    map
}

/// The first position in a list of groups of each id it lists and of each of their users.
fn group_positions(a: &Analysis<'_>, groups: &[ObjectId]) -> HashMap<ObjectId, usize> {
    let mut map = positions(groups);
    for (user, i) in a.users_in_groups(groups) {
        let at = map.entry(user).or_insert(i);
        *at = (*at).min(i);
    }
    map
}

/// Whether `includeUsers` names the user (or `All`, or guests when the user is one).
fn includes_user(
    a: &Analysis<'_>,
    policy: &ConditionalAccessPolicy,
    user: &ObjectId,
    guest: bool,
) -> bool {
    let list = &policy.conditions.users.include_users;
    if list.len() <= SCAN {
        return list
            .iter()
            .any(|x| *x == "All" || (*x == GUESTS && guest) || x == user);
    }
    let index = a.user_lists(policy);
    let index = index
        .include_users
        .get_or_init(|| list.iter().cloned().collect());
    let has = |x: &ObjectId| index.contains(x);
    has(&ObjectId::from_static("All")) || (guest && has(&GUESTS)) || has(user)
}

/// The first position in `excludeUsers` that names the user (or guests, when the user is one).
fn excluded_user(
    a: &Analysis<'_>,
    policy: &ConditionalAccessPolicy,
    user: &ObjectId,
    guest: bool,
) -> Option<usize> {
    let list = &policy.conditions.users.exclude_users;
    if list.len() <= SCAN {
        return list
            .iter()
            .position(|x| x == user || (*x == GUESTS && guest));
    }
    let index = a.user_lists(policy);
    let index = index.exclude_users.get_or_init(|| positions(list));
    let at = |x: &ObjectId| index.get(x).copied();
    match (at(user), if guest { at(&GUESTS) } else { None }) {
        (Some(i), Some(j)) => Some(i.min(j)),
        (i, j) => i.or(j),
    }
}

/// Whether `includeGroups` names the user, or a group that holds them (nested groups included).
fn includes_through_group(
    a: &Analysis<'_>,
    policy: &ConditionalAccessPolicy,
    user: &ObjectId,
) -> bool {
    let list = &policy.conditions.users.include_groups;
    if list.len() <= SCAN {
        return list.iter().any(|g| g == user || a.is_in_group(g, user));
    }
    let index = a.user_lists(policy);
    let index = index.include_groups.get_or_init(|| {
        let mut set: HashSet<ObjectId> = list.iter().cloned().collect();
        set.extend(a.users_in_groups(list).into_iter().map(|(u, _)| u));
        set
    });
    index.contains(user)
}

/// The first position in `excludeGroups` that names the user, or a group that holds them.
fn excluded_through_group(
    a: &Analysis<'_>,
    policy: &ConditionalAccessPolicy,
    user: &ObjectId,
) -> Option<usize> {
    let list = &policy.conditions.users.exclude_groups;
    if list.len() <= SCAN {
        return list
            .iter()
            .position(|g| g == user || a.is_in_group(g, user));
    }
    let index = a.user_lists(policy);
    let index = index
        .exclude_groups
        .get_or_init(|| group_positions(a, list));
    index.get(user).copied()
}

/// Whether `includeRoles` names one of the roles the user holds.
fn includes_held_role(
    a: &Analysis<'_>,
    policy: &ConditionalAccessPolicy,
    held: Option<&BTreeSet<ObjectId>>,
) -> bool {
    let Some(held) = held else {
        return false;
    };
    let list = &policy.conditions.users.include_roles;
    if list.len() <= SCAN {
        return list.iter().any(|r| held.contains(r));
    }
    let index = a.user_lists(policy);
    let index = index
        .include_roles
        .get_or_init(|| list.iter().cloned().collect());
    held.iter().any(|r| index.contains(r))
}

/// The first position in `excludeRoles` of a role the user holds.
fn excluded_held_role(
    a: &Analysis<'_>,
    policy: &ConditionalAccessPolicy,
    held: Option<&BTreeSet<ObjectId>>,
) -> Option<usize> {
    let held = held?;
    let list = &policy.conditions.users.exclude_roles;
    if list.len() <= SCAN {
        return list.iter().position(|r| held.contains(r));
    }
    let index = a.user_lists(policy);
    let index = index.exclude_roles.get_or_init(|| positions(list));
    held.iter().filter_map(|r| index.get(r).copied()).min()
}

pub fn scope(a: &Analysis<'_>, policy: &ConditionalAccessPolicy, user: &ObjectId) -> Scope {
    let u = &policy.conditions.users;
    let guest = a.is_guest(user);
    let roles = a.active_roles(user);

    let included = includes_user(a, policy, user, guest)
        || includes_through_group(a, policy, user)
        || includes_held_role(a, policy, roles)
        || (guest
            && u.include_guests_or_external_users
                .as_ref()
                .is_some_and(|g| !g.guest_or_external_user_types.is_empty()));

    let excluded = excluded_user(a, policy, user, guest)
        .map(|i| Exclusion {
            field: "excludeUsers",
            index: Some(i),
            id: u.exclude_users[i].clone(),
        })
        .or_else(|| {
            excluded_through_group(a, policy, user).map(|i| Exclusion {
                field: "excludeGroups",
                index: Some(i),
                id: u.exclude_groups[i].clone(),
            })
        })
        .or_else(|| {
            excluded_held_role(a, policy, roles).map(|i| Exclusion {
                field: "excludeRoles",
                index: Some(i),
                id: u.exclude_roles[i].clone(),
            })
        })
        .or_else(|| {
            let g = u.exclude_guests_or_external_users.as_ref()?;
            (guest && !g.guest_or_external_user_types.is_empty()).then_some(Exclusion {
                field: "excludeGuestsOrExternalUsers",
                index: None,
                id: GUESTS,
            })
        });
    Scope { included, excluded }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::tenant;
    use entralint_parser::Tenant;

    const GA: &str = "62e90394-69f5-4237-9190-012177145e10";

    /// u1 in g1; g1 contains g2 (which contains g1 again: a cycle); u2 in g2; u3 holds GA actively;
    /// u4 is only eligible for GA; guest is a guest.
    fn directory() -> Vec<(&'static str, &'static str)> {
        vec![
            (
                "Users/u1/u1.json",
                r#"{"id":"u1","userPrincipalName":"u1@contoso.com","userType":"Member"}"#,
            ),
            (
                "Users/u2/u2.json",
                r#"{"id":"u2","userPrincipalName":"u2@contoso.com","userType":"Member"}"#,
            ),
            (
                "Users/u3/u3.json",
                r#"{"id":"u3","userPrincipalName":"u3@contoso.com","userType":"Member"}"#,
            ),
            (
                "Users/u4/u4.json",
                r#"{"id":"u4","userPrincipalName":"u4@contoso.com","userType":"Member"}"#,
            ),
            (
                "Users/guest/guest.json",
                r#"{"id":"guest","userPrincipalName":"g_x#EXT#@contoso.com","userType":"Guest"}"#,
            ),
            (
                "Groups/g1/g1.json",
                r#"{"id":"g1","displayName":"outer","securityEnabled":true}"#,
            ),
            (
                "Groups/g2/g2.json",
                r#"{"id":"g2","displayName":"inner","securityEnabled":true}"#,
            ),
            (
                "Groups/g1/Members/u1/u1.json",
                r##"{"@odata.type":"#microsoft.graph.user","id":"u1"}"##,
            ),
            (
                "Groups/g1/Members/g2/g2.json",
                r##"{"@odata.type":"#microsoft.graph.group","id":"g2"}"##,
            ),
            (
                "Groups/g2/Members/u2/u2.json",
                r##"{"@odata.type":"#microsoft.graph.user","id":"u2"}"##,
            ),
            (
                "Groups/g2/Members/g1/g1.json",
                r##"{"@odata.type":"#microsoft.graph.group","id":"g1"}"##,
            ),
            (
                "RoleManagement/Directory/RoleAssignments/a1/a1.json",
                r#"{"id":"a1","principalId":"u3","roleDefinitionId":"62e90394-69f5-4237-9190-012177145e10","directoryScopeId":"/"}"#,
            ),
            (
                "PIM/DirectoryRoles/e1.json",
                r#"{"id":"e1","principalId":"u4","roleDefinitionId":"62e90394-69f5-4237-9190-012177145e10","directoryScopeId":"/","roleEligibilityScheduleId":"e1"}"#,
            ),
        ]
    }

    fn with_policy(users: &str) -> Tenant {
        let policy = format!(
            r#"{{"id":"p","displayName":"p","state":"enabled","conditions":{{"users":{users}}}}}"#
        );
        let mut files = directory();
        files.push(("p.json", Box::leak(policy.into_boxed_str())));
        tenant(&files)
    }

    fn applies(t: &Tenant, user: &str) -> bool {
        let a = Analysis::new(t, &crate::settings::NONE);
        scope(&a, &t.conditional_access[0], &ObjectId::new(user)).applies()
    }

    #[test]
    fn all_and_none() {
        let t = with_policy(r#"{"includeUsers":["All"]}"#);
        assert!(["u1", "u2", "guest"].iter().all(|u| applies(&t, u)));
        let t = with_policy(r#"{"includeUsers":["None"]}"#);
        assert!(!applies(&t, "u1"));
    }

    #[test]
    fn nested_groups_and_cycles() {
        let t = with_policy(r#"{"includeGroups":["g2"]}"#);
        assert!(applies(&t, "u2"));
        assert!(applies(&t, "u1"), "g2 contains g1 which contains u1");
        assert!(!applies(&t, "u3"));
    }

    #[test]
    fn exclusion_wins_over_inclusion() {
        let t = with_policy(r#"{"includeUsers":["All"],"excludeGroups":["g1"]}"#);
        let a = Analysis::new(&t, &crate::settings::NONE);
        let s = scope(&a, &t.conditional_access[0], &ObjectId::new("u2"));
        assert!(
            s.included && !s.applies(),
            "u2 is excluded through g1 -> g2"
        );
        assert_eq!(
            s.excluded.unwrap().path(),
            "conditions/users/excludeGroups/0"
        );
        let t = with_policy(r#"{"includeUsers":["u1"],"excludeUsers":["u1"]}"#);
        assert!(!applies(&t, "u1"));
    }

    #[test]
    fn roles_count_only_active_holders() {
        let t = with_policy(&format!(r#"{{"includeRoles":["{GA}"]}}"#));
        assert!(applies(&t, "u3"), "active Global Administrator");
        assert!(
            !applies(&t, "u4"),
            "eligible only: not a holder while activating"
        );
    }

    #[test]
    fn guests() {
        let t = with_policy(r#"{"includeUsers":["GuestsOrExternalUsers"]}"#);
        assert!(applies(&t, "guest"));
        assert!(!applies(&t, "u1"));
        let t = with_policy(
            r#"{"includeUsers":["All"],"excludeGuestsOrExternalUsers":{"guestOrExternalUserTypes":"internalGuest,b2bCollaborationGuest"}}"#,
        );
        assert!(!applies(&t, "guest"));
        assert!(applies(&t, "u1"));
    }

    /// `users_in_scope` only looks at the users a policy names unless it includes everyone; it
    /// must find exactly the users a check of every known user finds.
    #[test]
    fn users_in_scope_matches_checking_every_user() {
        for users in [
            r#"{"includeUsers":["All"],"excludeGroups":["g1"]}"#.to_owned(),
            r#"{"includeGroups":["g2"],"excludeUsers":["u2"]}"#.to_owned(),
            format!(r#"{{"includeRoles":["{GA}"]}}"#),
            format!(r#"{{"includeUsers":["u4"],"includeRoles":["{GA}"],"includeGroups":["g1"]}}"#),
            r#"{"includeUsers":["GuestsOrExternalUsers"]}"#.to_owned(),
            r#"{"includeUsers":["None"]}"#.to_owned(),
            r#"{"includeGroups":["g1"]}"#.to_owned(),
        ] {
            let t = with_policy(&users);
            let a = Analysis::new(&t, &crate::settings::NONE);
            let p = &t.conditional_access[0];
            let every: Vec<ObjectId> = a
                .known_users()
                .iter()
                .filter(|u| scope(&a, p, u).applies())
                .cloned()
                .collect();
            assert_eq!(a.users_in_scope(p), every, "{users}");
        }
    }
}
