//! Facts several rules share, computed once and lazily: roles and privilege, group membership,
//! eligible principals, strengths, and the activation chain of each role.

pub mod accounts;
pub mod admins;
pub mod chain;
pub mod methods;
pub mod profiles;
pub mod scope;
pub mod strength;

use crate::config::Config;
use entralint_parser::builtin::{built_in_role, BUILT_IN_ROLES};
use entralint_parser::model::{
    Group, MembershipKind, RegistrationDetails, RoleDefinition, RoleMembership,
};
use entralint_parser::{Kind, Tenant};
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

pub use chain::{Assurance, ChainTarget, ContextPolicy, Requirement, RoleChain, Verdict};

/// Global Administrator.
pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";
/// Privileged Role Administrator.
pub const PRIVILEGED_ROLE_ADMINISTRATOR: &str = "e8611ab8-c189-46e8-94e1-60213ab1f814";
/// Privileged Authentication Administrator.
pub const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR: &str = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
/// Tier 0: the roles that can take over the tenant (reference peers §3 `T0`).
pub const TIER0: [&str; 3] = [
    GLOBAL_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
    PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
];

/// Canonical form of a GUID-like id for comparisons.
pub fn norm(id: &str) -> String {
    id.trim().to_ascii_lowercase()
}

pub struct Analysis<'t> {
    pub tenant: &'t Tenant,
    pub config: &'t Config,
    definitions: OnceCell<BTreeMap<String, &'t RoleDefinition>>,
    role_names: OnceCell<BTreeMap<String, String>>,
    group_members: OnceCell<BTreeMap<String, Vec<(String, bool)>>>,
    groups: OnceCell<BTreeSet<String>>,
    users: OnceCell<BTreeSet<String>>,
    known_users: OnceCell<BTreeSet<String>>,
    registrations: OnceCell<BTreeMap<String, &'t RegistrationDetails>>,
    names: OnceCell<BTreeMap<String, String>>,
    guests: OnceCell<BTreeSet<String>>,
    active: OnceCell<BTreeMap<String, BTreeSet<String>>>,
    break_glass: OnceCell<accounts::BreakGlass>,
    service: OnceCell<accounts::Accounts>,
    expanded: RefCell<BTreeMap<String, BTreeSet<String>>>,
    eligibility: OnceCell<BTreeMap<String, Vec<&'t RoleMembership>>>,
    chains: OnceCell<Vec<RoleChain<'t>>>,
    holdings: OnceCell<BTreeMap<String, Vec<admins::Holding<'t>>>>,
}

impl<'t> Analysis<'t> {
    pub fn new(tenant: &'t Tenant, config: &'t Config) -> Self {
        Analysis {
            tenant,
            config,
            definitions: OnceCell::new(),
            role_names: OnceCell::new(),
            group_members: OnceCell::new(),
            groups: OnceCell::new(),
            users: OnceCell::new(),
            known_users: OnceCell::new(),
            registrations: OnceCell::new(),
            names: OnceCell::new(),
            guests: OnceCell::new(),
            active: OnceCell::new(),
            break_glass: OnceCell::new(),
            service: OnceCell::new(),
            expanded: RefCell::new(BTreeMap::new()),
            eligibility: OnceCell::new(),
            chains: OnceCell::new(),
            holdings: OnceCell::new(),
        }
    }

    fn definitions(&self) -> &BTreeMap<String, &'t RoleDefinition> {
        self.definitions.get_or_init(|| {
            let mut map = BTreeMap::new();
            for d in &self.tenant.role_definitions {
                for id in [&d.id, &d.template_id].into_iter().flatten() {
                    map.entry(norm(id)).or_insert(d);
                }
            }
            map
        })
    }

    pub fn role_definition(&self, role_id: &str) -> Option<&'t RoleDefinition> {
        self.definitions().get(&norm(role_id)).copied()
    }

    /// The role's display name: from the exported definition, else Microsoft's built-in table,
    /// else the id itself.
    pub fn role_name(&self, role_id: &str) -> String {
        let names = self.role_names.get_or_init(|| {
            let mut map: BTreeMap<String, String> = BUILT_IN_ROLES
                .iter()
                .map(|(id, name, _)| (norm(id), (*name).to_owned()))
                .collect();
            for (id, d) in self.definitions() {
                if let Some(name) = &d.display_name {
                    map.insert(id.clone(), name.clone());
                }
            }
            map
        });
        names
            .get(&norm(role_id))
            .cloned()
            .unwrap_or_else(|| role_id.to_owned())
    }

    /// `PRIV`: the exported definition's `isPrivileged` when present, else Microsoft's list of
    /// privileged built-in roles (reference peers §3).
    pub fn is_privileged(&self, role_id: &str) -> bool {
        self.role_definition(role_id)
            .and_then(|d| d.is_privileged)
            .unwrap_or_else(|| built_in_role(role_id).is_some_and(|(_, p)| p))
    }

    pub fn is_tier0(&self, role_id: &str) -> bool {
        TIER0.contains(&norm(role_id).as_str())
    }

    /// Ids of the exported groups.
    fn groups(&self) -> &BTreeSet<String> {
        self.groups.get_or_init(|| {
            self.tenant
                .groups
                .iter()
                .filter_map(|g| g.id.as_deref())
                .map(norm)
                .collect()
        })
    }

    /// Direct members of each group: (member id, member is a group).
    fn group_members(&self) -> &BTreeMap<String, Vec<(String, bool)>> {
        self.group_members.get_or_init(|| {
            let mut map: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new();
            for r in self.tenant.group_relations.iter().filter(|r| !r.is_owner) {
                let Some(mid) = r.member.id.as_deref() else {
                    continue;
                };
                let mid = norm(mid);
                let is_group = r.member.is_group() || self.groups().contains(&mid);
                map.entry(norm(&r.group_id))
                    .or_default()
                    .push((mid, is_group));
            }
            map
        })
    }

    pub fn is_group(&self, id: &str) -> bool {
        let id = norm(id);
        self.groups().contains(&id) || self.group_members().contains_key(&id)
    }

    /// The exported group with this id.
    pub fn group(&self, id: &str) -> Option<&'t Group> {
        self.tenant
            .groups
            .iter()
            .find(|g| g.id.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(id)))
    }

    /// Whether the export holds a user with this id.
    pub fn is_exported_user(&self, id: &str) -> bool {
        let users = self.users.get_or_init(|| {
            self.tenant
                .users
                .iter()
                .filter_map(|u| u.id.as_deref())
                .map(norm)
                .collect()
        });
        users.contains(&norm(id))
    }

    /// The user's userRegistrationDetails record (the first, if the export repeats it).
    pub fn registration(&self, user: &str) -> Option<&'t RegistrationDetails> {
        let index = self.registrations.get_or_init(|| {
            let mut map = BTreeMap::new();
            for r in &self.tenant.registrations {
                if let Some(id) = r.id.as_deref() {
                    map.entry(norm(id)).or_insert(r);
                }
            }
            map
        });
        index.get(&norm(user)).copied()
    }

    /// A user id the export shows does not exist: users were exported and none has it (a deleted
    /// account, which HYG002 reports; rules about accounts leave it to that rule).
    pub fn is_missing_user(&self, id: &str) -> bool {
        self.tenant.inventory.has(Kind::User) && !self.is_exported_user(id)
    }

    /// Users in a group, through nested groups (cycle-safe, memoised).
    pub fn users_in_group(&self, group_id: &str) -> BTreeSet<String> {
        let gid = norm(group_id);
        self.expand(&gid);
        self.expanded.borrow()[&gid].clone()
    }

    /// Whether the user (a lower-case id) is among the group's users, nested groups included;
    /// [`Analysis::users_in_group`] without the copy, for checks run once per user.
    pub fn is_in_group(&self, group_id: &str, user: &str) -> bool {
        let gid = norm(group_id);
        self.expand(&gid);
        self.expanded.borrow()[&gid].contains(user)
    }

    /// Fills the memo with the group's transitive users (cycle-safe).
    fn expand(&self, gid: &str) {
        if self.expanded.borrow().contains_key(gid) {
            return;
        }
        let mut users = BTreeSet::new();
        let mut seen = BTreeSet::from([gid.to_owned()]);
        let mut stack = vec![gid.to_owned()];
        while let Some(g) = stack.pop() {
            for (m, is_group) in self.group_members().get(&g).into_iter().flatten() {
                if *is_group {
                    if seen.insert(m.clone()) {
                        stack.push(m.clone());
                    }
                } else {
                    users.insert(m.clone());
                }
            }
        }
        self.expanded.borrow_mut().insert(gid.to_owned(), users);
    }

    /// The eligibility records (schedules and instances) of each role, by role id (lower-case).
    fn eligibility(&self) -> &BTreeMap<String, Vec<&'t RoleMembership>> {
        self.eligibility.get_or_init(|| {
            let mut map: BTreeMap<String, Vec<&'t RoleMembership>> = BTreeMap::new();
            for m in self.tenant.memberships(MembershipKind::EligibilitySchedule) {
                if let (Some(r), Some(_)) = (&m.role_definition_id, &m.principal_id) {
                    map.entry(norm(r)).or_default().push(m);
                }
            }
            map
        })
    }

    /// The eligibility records of a role, in input order.
    pub fn eligibility_records(&self, role_id: &str) -> &[&'t RoleMembership] {
        self.eligibility()
            .get(&norm(role_id))
            .map_or(&[], Vec::as_slice)
    }

    /// `Elig(r)`: principals with an eligibility for the role (groups not expanded; use
    /// [`Analysis::eligible_users`] for their members).
    pub fn eligible_principals(&self, role_id: &str) -> BTreeSet<String> {
        self.eligibility_records(role_id)
            .iter()
            .filter_map(|m| m.principal_id.as_deref())
            .map(norm)
            .collect()
    }

    /// Eligible principals with groups expanded to their (transitive) user members.
    pub fn eligible_users(&self, role_id: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for p in self.eligible_principals(role_id) {
            if self.is_group(&p) {
                out.extend(self.users_in_group(&p));
            } else {
                out.insert(p);
            }
        }
        out
    }

    /// A principal's display name: user, group, or the expanded principal of a role membership;
    /// the id itself when the export does not name it.
    pub fn principal_name(&self, id: &str) -> String {
        let names = self.names.get_or_init(|| {
            let t = self.tenant;
            let mut map = BTreeMap::new();
            let expanded = t
                .role_memberships
                .iter()
                .filter_map(|m| m.principal.as_ref());
            let entries = t
                .users
                .iter()
                .map(|u| {
                    (
                        &u.id,
                        u.display_name.as_ref().or(u.user_principal_name.as_ref()),
                    )
                })
                .chain(t.groups.iter().map(|g| (&g.id, g.display_name.as_ref())))
                .chain(expanded.map(|p| {
                    (
                        &p.id,
                        p.display_name.as_ref().or(p.user_principal_name.as_ref()),
                    )
                }));
            for (id, name) in entries {
                if let (Some(id), Some(name)) = (id, name) {
                    map.entry(norm(id)).or_insert_with(|| name.clone());
                }
            }
            map
        });
        names
            .get(&norm(id))
            .cloned()
            .unwrap_or_else(|| id.to_owned())
    }

    /// Whether the user is a guest (`userType` Guest in the exported users).
    pub fn is_guest(&self, user: &str) -> bool {
        self.guests
            .get_or_init(|| {
                self.tenant
                    .users
                    .iter()
                    .filter(|u| {
                        u.user_type
                            .as_deref()
                            .is_some_and(|t| t.eq_ignore_ascii_case("Guest"))
                    })
                    .filter_map(|u| u.id.as_deref())
                    .map(norm)
                    .collect()
            })
            .contains(&norm(user))
    }

    /// Roles a principal holds actively (role assignments and active schedules, directly or
    /// through a group), by role id. Eligibility is not holding.
    pub fn active_roles(&self, principal: &str) -> BTreeSet<String> {
        self.active()
            .get(&norm(principal))
            .cloned()
            .unwrap_or_default()
    }

    /// Principals (users, and groups with their members) that actively hold one of the roles
    /// (lower-case ids).
    pub fn active_holders(&self, roles: &BTreeSet<String>) -> Vec<&str> {
        self.active()
            .iter()
            .filter(|(_, held)| !held.is_disjoint(roles))
            .map(|(p, _)| p.as_str())
            .collect()
    }

    fn active(&self) -> &BTreeMap<String, BTreeSet<String>> {
        self.active.get_or_init(|| {
            let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            let active = self
                .tenant
                .role_memberships
                .iter()
                .filter(|m| m.kind != MembershipKind::EligibilitySchedule);
            for m in active {
                let (Some(p), Some(r)) = (&m.principal_id, &m.role_definition_id) else {
                    continue;
                };
                let r = norm(r);
                map.entry(norm(p)).or_default().insert(r.clone());
                if self.is_group(p) {
                    for u in self.users_in_group(p) {
                        map.entry(u).or_default().insert(r.clone());
                    }
                }
            }
            map
        })
    }

    /// Roles a group holds, actively or as an eligible principal (PIM for Groups makes the group
    /// the way in), by role id.
    pub fn group_roles(&self, group: &str) -> BTreeSet<String> {
        let g = norm(group);
        self.tenant
            .role_memberships
            .iter()
            .filter(|m| m.principal_id.as_deref().is_some_and(|p| norm(p) == g))
            .filter_map(|m| m.role_definition_id.as_deref())
            .map(norm)
            .collect()
    }

    /// Principals eligible through PIM for Groups for `access` (`member`/`owner`) of `group`.
    pub fn group_eligible(&self, group: &str, access: &str) -> BTreeSet<String> {
        let g = norm(group);
        self.tenant
            .group_schedules
            .iter()
            .filter(|s| s.eligible)
            .filter(|s| s.group_id.as_deref().is_some_and(|x| norm(x) == g))
            .filter(|s| {
                s.access_id
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(access))
            })
            .filter_map(|s| s.principal_id.as_deref())
            .map(norm)
            .collect()
    }

    /// Users who can reach a role: its eligible principals (groups expanded), and the users eligible
    /// for membership or ownership of a group that holds it (PIM for Groups).
    pub fn reachable_users(&self, role_id: &str) -> BTreeSet<String> {
        let mut users = self.eligible_users(role_id);
        let r = norm(role_id);
        for m in &self.tenant.role_memberships {
            let (Some(p), Some(role)) = (&m.principal_id, &m.role_definition_id) else {
                continue;
            };
            if norm(role) != r || !self.is_group(p) {
                continue;
            }
            for access in ["member", "owner"] {
                for principal in self.group_eligible(p, access) {
                    if self.is_group(&principal) {
                        users.extend(self.users_in_group(&principal));
                    } else {
                        users.insert(principal);
                    }
                }
            }
        }
        users
    }

    /// The break-glass accounts: declared in the configuration, else inferred (and marked so).
    pub fn break_glass(&self) -> &accounts::BreakGlass {
        self.break_glass.get_or_init(|| accounts::break_glass(self))
    }

    /// The declared service accounts (users, with groups expanded).
    pub fn service_accounts(&self) -> &accounts::Accounts {
        self.service
            .get_or_init(|| accounts::declared(self, &self.config.service))
    }

    /// The activation chain of every role that has a PIM policy, ordered by role name.
    pub fn chains(&self) -> &[RoleChain<'t>] {
        self.chains.get_or_init(|| chain::build(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entralint_parser::{load, Input};

    /// A tenant loaded from (path, text) pairs, for the analysis tests.
    pub(crate) fn tenant(files: &[(&str, &str)]) -> Tenant {
        load(files.iter().map(|(p, t)| Input {
            path: (*p).to_owned(),
            bytes: Ok(t.as_bytes().to_vec()),
        }))
    }

    #[test]
    fn nested_groups_expand_and_cycles_terminate() {
        let t = tenant(&[
            (
                "Groups/g1/g1.json",
                r#"{"id":"G1","displayName":"outer","securityEnabled":true}"#,
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
        ]);
        let a = Analysis::new(&t, &crate::config::NO_CONFIG);
        assert_eq!(
            a.users_in_group("g1"),
            BTreeSet::from(["u1".to_owned(), "u2".to_owned()])
        );
        assert_eq!(
            a.users_in_group("G2"),
            BTreeSet::from(["u1".to_owned(), "u2".to_owned()])
        );
    }

    #[test]
    fn privilege_prefers_exported_flag_then_builtin_list() {
        let t = tenant(&[(
            "roleDefinitions.json",
            r#"{"value":[{"id":"62e90394-69f5-4237-9190-012177145e10","displayName":"Global Administrator","isPrivileged":false,"rolePermissions":[]}]}"#,
        )]);
        let a = Analysis::new(&t, &crate::config::NO_CONFIG);
        assert!(
            !a.is_privileged(GLOBAL_ADMINISTRATOR),
            "the exported flag wins"
        );
        assert!(
            a.is_privileged(PRIVILEGED_ROLE_ADMINISTRATOR),
            "built-in list as fallback"
        );
        assert!(
            !a.is_privileged("29232cdf-9323-42fd-ade2-1d097af3e4de"),
            "Exchange Administrator is not labelled"
        );
        assert_eq!(
            a.role_name("e8611ab8-c189-46e8-94e1-60213ab1f814"),
            "Privileged Role Administrator"
        );
    }
}
