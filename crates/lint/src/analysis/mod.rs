//! Facts several rules share, computed once and lazily: roles and privilege, group membership,
//! eligible principals, strengths, and the activation chain of each role.

pub mod accounts;
pub mod admins;
pub mod chain;
pub mod graph_schema;
pub mod groups;
pub mod methods;
pub mod profiles;
pub mod scope;
pub mod strength;

use crate::settings::{Settings, TenantFacts};
use entralint_parser::builtin::{built_in_role, role, BUILT_IN_ROLES};
use entralint_parser::model::{
    ConditionalAccessPolicy, Group, GroupSchedule, MembershipKind, RegistrationDetails,
    RoleDefinition, RoleMembership,
};
use entralint_parser::{FileId, Kind, ObjectId, Tenant};
use foldhash::{HashMap, HashMapExt, HashSet};
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

pub use chain::{Assurance, ChainTarget, ContextPolicy, Requirement, RoleChain, Verdict};
pub use role::{
    GLOBAL_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR,
};

/// The roles that can take over the tenant: Global Administrator, and the two roles that can make
/// anyone one (Privileged Role Administrator assigns roles; Privileged Authentication
/// Administrator resets any user's credentials, Global Administrators' included).
pub const TENANT_TAKEOVER_ROLES: [ObjectId; 3] = [
    GLOBAL_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
    PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
];

pub struct Analysis<'t> {
    pub tenant: &'t Tenant,
    /// What the settings say about the tenant (break-glass and service accounts, the admin role
    /// profile).
    pub facts: &'t TenantFacts,
    /// Where the settings were read from.
    pub settings_file: Option<FileId>,
    definitions: OnceCell<HashMap<ObjectId, &'t RoleDefinition>>,
    role_names: OnceCell<HashMap<ObjectId, &'t str>>,
    group_members: OnceCell<HashMap<ObjectId, Vec<(ObjectId, bool)>>>,
    groups: OnceCell<HashMap<ObjectId, &'t Group>>,
    users: OnceCell<HashSet<ObjectId>>,
    known_users: OnceCell<BTreeSet<ObjectId>>,
    registrations: OnceCell<HashMap<ObjectId, &'t RegistrationDetails>>,
    names: OnceCell<HashMap<ObjectId, &'t str>>,
    guests: OnceCell<HashSet<ObjectId>>,
    active: OnceCell<BTreeMap<ObjectId, BTreeSet<ObjectId>>>,
    break_glass: OnceCell<accounts::BreakGlass>,
    service: OnceCell<accounts::Accounts>,
    membership: OnceCell<groups::Groups>,
    /// The user lists of long policies, indexed, by the address of the policy.
    user_lists: RefCell<HashMap<usize, Rc<scope::UserLists>>>,
    eligibility: OnceCell<HashMap<ObjectId, Vec<&'t RoleMembership>>>,
    /// The roles of each principal's role memberships (active and eligible), in input order.
    principal_roles: OnceCell<HashMap<ObjectId, Vec<ObjectId>>>,
    /// The principals of each role's memberships (active and eligible), in input order.
    role_principals: OnceCell<HashMap<ObjectId, Vec<ObjectId>>>,
    /// PIM for Groups eligibilities by group, in input order.
    group_eligibility: OnceCell<HashMap<ObjectId, Vec<&'t GroupSchedule>>>,
    chains: OnceCell<Vec<RoleChain<'t>>>,
    holdings: OnceCell<BTreeMap<ObjectId, Vec<admins::Holding<'t>>>>,
    schema: OnceCell<graph_schema::SchemaFacts>,
    /// The schema check running on another thread, when the runner started it there.
    schema_beside: RefCell<Option<std::sync::mpsc::Receiver<graph_schema::SchemaFacts>>>,
    /// The references of the policies that are not ids, and what became of them.
    symbols: crate::symbols::Symbols,
}

impl<'t> Analysis<'t> {
    pub fn new(tenant: &'t Tenant, settings: &'t Settings) -> Self {
        Analysis {
            tenant,
            facts: &settings.tenant,
            settings_file: settings.file,
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
            membership: OnceCell::new(),
            user_lists: RefCell::new(HashMap::new()),
            eligibility: OnceCell::new(),
            principal_roles: OnceCell::new(),
            role_principals: OnceCell::new(),
            group_eligibility: OnceCell::new(),
            chains: OnceCell::new(),
            holdings: OnceCell::new(),
            schema: OnceCell::new(),
            schema_beside: RefCell::new(None),
            symbols: crate::symbols::Symbols::default(),
        }
    }

    /// The analysis of a tenant whose symbols were resolved ([`crate::symbols::resolve`]).
    pub fn with_symbols(mut self, symbols: crate::symbols::Symbols) -> Self {
        self.symbols = symbols;
        self
    }

    /// The references of the policies that are not ids: how many were resolved, which were not.
    pub fn symbols(&self) -> &crate::symbols::Symbols {
        &self.symbols
    }

    fn definitions(&self) -> &HashMap<ObjectId, &'t RoleDefinition> {
        self.definitions.get_or_init(|| {
            let mut map = HashMap::new();
            for d in &self.tenant.role_definitions {
                for id in [&d.id, &d.template_id].into_iter().flatten() {
                    map.entry(id.clone()).or_insert(d);
                }
            }
            map
        })
    }

    pub fn role_definition(&self, role_id: &ObjectId) -> Option<&'t RoleDefinition> {
        self.definitions().get(role_id).copied()
    }

    /// The role's display name: from the exported definition, else Microsoft's built-in table,
    /// else the id itself.
    pub fn role_name(&self, role_id: &ObjectId) -> String {
        let names = self.role_names.get_or_init(|| {
            let mut map: HashMap<ObjectId, &'t str> = BUILT_IN_ROLES
                .iter()
                .map(|r| (r.id.clone(), r.name))
                .collect();
            for (id, d) in self.definitions() {
                if let Some(name) = &d.display_name {
                    map.insert(id.clone(), name);
                }
            }
            map
        });
        names
            .get(role_id)
            .map_or_else(|| role_id.to_string(), |n| (*n).to_owned())
    }

    /// Whether the role is privileged: the exported definition's `isPrivileged` when present,
    /// else whether Microsoft's list of built-in roles labels it privileged
    /// (<https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference>).
    pub fn is_privileged(&self, role_id: &ObjectId) -> bool {
        self.role_definition(role_id)
            .and_then(|d| d.is_privileged)
            .unwrap_or_else(|| built_in_role(role_id).is_some_and(|r| r.privileged))
    }

    /// One of the [`TENANT_TAKEOVER_ROLES`].
    pub fn is_tenant_takeover_role(&self, role_id: &ObjectId) -> bool {
        TENANT_TAKEOVER_ROLES.contains(role_id)
    }

    /// The exported groups by id.
    fn groups(&self) -> &HashMap<ObjectId, &'t Group> {
        self.groups.get_or_init(|| {
            let mut map = HashMap::new();
            for g in &self.tenant.groups {
                if let Some(id) = &g.id {
                    map.entry(id.clone()).or_insert(g);
                }
            }
            map
        })
    }

    /// Direct members of each group: (member id, member is a group).
    pub fn group_members(&self) -> &HashMap<ObjectId, Vec<(ObjectId, bool)>> {
        self.group_members.get_or_init(|| {
            let mut map: HashMap<ObjectId, Vec<(ObjectId, bool)>> = HashMap::new();
            for r in self.tenant.group_relations.iter().filter(|r| !r.is_owner) {
                let Some(mid) = &r.member.id else {
                    continue;
                };
                let is_group = r.member.is_group() || self.groups().contains_key(mid);
                map.entry(r.group_id.clone())
                    .or_default()
                    .push((mid.clone(), is_group));
            }
            map
        })
    }

    pub fn is_group(&self, id: &ObjectId) -> bool {
        self.groups().contains_key(id) || self.group_members().contains_key(id)
    }

    /// The exported group with this id.
    pub fn group(&self, id: &ObjectId) -> Option<&'t Group> {
        self.groups().get(id).copied()
    }

    /// Whether the export holds a user with this id.
    pub fn is_exported_user(&self, id: &ObjectId) -> bool {
        let users = self.users.get_or_init(|| {
            self.tenant
                .users
                .iter()
                .filter_map(|u| u.id.clone())
                .collect()
        });
        users.contains(id)
    }

    /// The user's userRegistrationDetails record (the first, if the export repeats it).
    pub fn registration(&self, user: &ObjectId) -> Option<&'t RegistrationDetails> {
        let index = self.registrations.get_or_init(|| {
            let mut map = HashMap::with_capacity(self.tenant.registrations.len());
            for r in &self.tenant.registrations {
                if let Some(id) = &r.id {
                    map.entry(id.clone()).or_insert(r);
                }
            }
            map
        });
        index.get(user).copied()
    }

    /// A user id the export shows does not exist: users were exported and none has it (a deleted
    /// account, which HYG002 reports; rules about accounts leave it to that rule).
    pub fn is_missing_user(&self, id: &ObjectId) -> bool {
        self.tenant.inventory.has(Kind::User) && !self.is_exported_user(id)
    }

    /// Users in a group, through nested groups (cycle-safe; the membership graph is built once,
    /// and each set of users once, see [`groups`]).
    pub fn users_in_group(&self, group_id: &ObjectId) -> Rc<BTreeSet<ObjectId>> {
        self.membership().users(group_id)
    }

    /// The users of several groups (nested groups included), each with the position of the
    /// first of the groups that holds it, ordered by that position, then by id. One walk over the
    /// part of the membership graph the groups reach, however many of them nest in each other.
    pub fn users_in_groups(&self, groups: &[ObjectId]) -> Vec<(ObjectId, usize)> {
        self.membership().first_holders(groups)
    }

    fn membership(&self) -> &groups::Groups {
        self.membership
            .get_or_init(|| groups::Groups::new(self.group_members()))
    }

    /// The policy's user lists, indexed (each part built on first use, see [`scope::UserLists`]).
    pub fn user_lists(&self, policy: &ConditionalAccessPolicy) -> Rc<scope::UserLists> {
        // The address identifies the policy: the tenant is not changed while it is linted.
        let key = std::ptr::from_ref(policy) as usize;
        if let Some(lists) = self.user_lists.borrow().get(&key) {
            return lists.clone();
        }
        let lists = Rc::new(scope::UserLists::default());
        self.user_lists.borrow_mut().insert(key, lists.clone());
        lists
    }

    /// Whether the user is among the group's users, nested groups included.
    pub fn is_in_group(&self, group_id: &ObjectId, user: &ObjectId) -> bool {
        self.users_in_group(group_id).contains(user)
    }

    /// The eligibility records (schedules and instances) of each role, by role id.
    fn eligibility(&self) -> &HashMap<ObjectId, Vec<&'t RoleMembership>> {
        self.eligibility.get_or_init(|| {
            let mut map: HashMap<ObjectId, Vec<&'t RoleMembership>> = HashMap::new();
            for m in self.tenant.memberships(MembershipKind::EligibilitySchedule) {
                if let (Some(r), Some(_)) = (&m.role_definition_id, &m.principal_id) {
                    map.entry(r.clone()).or_default().push(m);
                }
            }
            map
        })
    }

    /// The eligibility records of a role, in input order.
    pub fn eligibility_records(&self, role_id: &ObjectId) -> &[&'t RoleMembership] {
        self.eligibility().get(role_id).map_or(&[], Vec::as_slice)
    }

    /// The principals with an eligibility for the role (groups not expanded; use
    /// [`Analysis::eligible_users`] for their members).
    pub fn eligible_principals(&self, role_id: &ObjectId) -> BTreeSet<ObjectId> {
        self.eligibility_records(role_id)
            .iter()
            .filter_map(|m| m.principal_id.clone())
            .collect()
    }

    /// Eligible principals with groups expanded to their (transitive) user members.
    pub fn eligible_users(&self, role_id: &ObjectId) -> BTreeSet<ObjectId> {
        let mut out = BTreeSet::new();
        for p in self.eligible_principals(role_id) {
            if self.is_group(&p) {
                out.extend(self.users_in_group(&p).iter().cloned());
            } else {
                out.insert(p);
            }
        }
        out
    }

    /// A principal's display name: user, group, or the expanded principal of a role membership;
    /// the id itself when the export does not name it.
    pub fn principal_name(&self, id: &ObjectId) -> String {
        let names = self.names.get_or_init(|| {
            let t = self.tenant;
            let mut map =
                HashMap::with_capacity(t.users.len() + t.groups.len() + t.role_memberships.len());
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
                    map.entry(id.clone()).or_insert(name.as_str());
                }
            }
            map
        });
        names
            .get(id)
            .map_or_else(|| id.to_string(), |n| (*n).to_owned())
    }

    /// Whether the user is a guest (`userType` Guest in the exported users).
    pub fn is_guest(&self, user: &ObjectId) -> bool {
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
                    .filter_map(|u| u.id.clone())
                    .collect()
            })
            .contains(user)
    }

    /// Roles a principal holds actively (role assignments and active schedules, directly or
    /// through a group), by role id. Eligibility is not holding.
    pub fn active_roles(&self, principal: &ObjectId) -> Option<&BTreeSet<ObjectId>> {
        self.active().get(principal)
    }

    /// Principals (users, and groups with their members) that actively hold one of the roles.
    pub fn active_holders<'a>(
        &'a self,
        roles: &'a BTreeSet<ObjectId>,
    ) -> impl Iterator<Item = &'a ObjectId> + 'a {
        self.active()
            .iter()
            .filter(|(_, held)| !held.is_disjoint(roles))
            .map(|(p, _)| p)
    }

    /// Every principal that holds a role actively (groups' members included), with its roles.
    pub fn active(&self) -> &BTreeMap<ObjectId, BTreeSet<ObjectId>> {
        self.active.get_or_init(|| {
            let mut map: BTreeMap<ObjectId, BTreeSet<ObjectId>> = BTreeMap::new();
            let active = self
                .tenant
                .role_memberships
                .iter()
                .filter(|m| m.kind != MembershipKind::EligibilitySchedule);
            for m in active {
                let (Some(p), Some(r)) = (&m.principal_id, &m.role_definition_id) else {
                    continue;
                };
                map.entry(p.clone()).or_default().insert(r.clone());
                if self.is_group(p) {
                    for u in self.users_in_group(p).iter() {
                        map.entry(u.clone()).or_default().insert(r.clone());
                    }
                }
            }
            map
        })
    }

    /// Roles a group holds, actively or as an eligible principal (PIM for Groups makes the group
    /// the way in), by role id.
    pub fn group_roles(&self, group: &ObjectId) -> BTreeSet<ObjectId> {
        let index = self.principal_roles.get_or_init(|| {
            let mut map: HashMap<ObjectId, Vec<ObjectId>> = HashMap::new();
            for m in &self.tenant.role_memberships {
                if let (Some(p), Some(r)) = (&m.principal_id, &m.role_definition_id) {
                    map.entry(p.clone()).or_default().push(r.clone());
                }
            }
            map
        });
        index.get(group).into_iter().flatten().cloned().collect()
    }

    /// Principals eligible through PIM for Groups for `access` (`member`/`owner`) of `group`.
    pub fn group_eligible(&self, group: &ObjectId, access: &str) -> BTreeSet<ObjectId> {
        self.group_eligibilities(group)
            .iter()
            .filter(|s| {
                s.access_id
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(access))
            })
            .filter_map(|s| s.principal_id.clone())
            .collect()
    }

    /// The PIM for Groups eligibilities of a group (membership and ownership), in input order.
    pub fn group_eligibilities(&self, group: &ObjectId) -> &[&'t GroupSchedule] {
        let index = self.group_eligibility.get_or_init(|| {
            let mut map: HashMap<ObjectId, Vec<&'t GroupSchedule>> = HashMap::new();
            for s in self.tenant.group_schedules.iter().filter(|s| s.eligible) {
                if let Some(g) = &s.group_id {
                    map.entry(g.clone()).or_default().push(s);
                }
            }
            map
        });
        index.get(group).map_or(&[], Vec::as_slice)
    }

    /// Users who can reach a role: its eligible principals (groups expanded), and the users eligible
    /// for membership or ownership of a group that holds it (PIM for Groups).
    pub fn reachable_users(&self, role_id: &ObjectId) -> BTreeSet<ObjectId> {
        let mut users = self.eligible_users(role_id);
        let by_role = self.role_principals.get_or_init(|| {
            let mut map: HashMap<ObjectId, Vec<ObjectId>> = HashMap::new();
            for m in &self.tenant.role_memberships {
                if let (Some(p), Some(r)) = (&m.principal_id, &m.role_definition_id) {
                    map.entry(r.clone()).or_default().push(p.clone());
                }
            }
            map
        });
        for p in by_role.get(role_id).into_iter().flatten() {
            if !self.is_group(p) {
                continue;
            }
            for access in ["member", "owner"] {
                for principal in self.group_eligible(p, access) {
                    if self.is_group(&principal) {
                        users.extend(self.users_in_group(&principal).iter().cloned());
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
            .get_or_init(|| accounts::declared(self, &self.facts.service))
    }

    /// The activation chain of every role that has a PIM policy, ordered by role name.
    pub fn chains(&self) -> &[RoleChain<'t>] {
        self.chains.get_or_init(|| chain::build(self))
    }

    /// The policy-like objects checked against Graph's schemas, and what was found: received
    /// from the thread the runner started the check on, or checked now.
    pub fn graph_schema(&self) -> &graph_schema::SchemaFacts {
        self.schema.get_or_init(|| {
            let beside = self.schema_beside.borrow_mut().take();
            // A check that did not finish (its thread panicked) is made here.
            beside
                .and_then(|r| r.recv().ok())
                .unwrap_or_else(|| graph_schema::check(self.tenant))
        })
    }

    /// Takes the Graph schema check from the thread it runs on (see [`Analysis::graph_schema`]).
    pub fn receive_graph_schema(&self, from: std::sync::mpsc::Receiver<graph_schema::SchemaFacts>) {
        *self.schema_beside.borrow_mut() = Some(from);
    }
}

/// A fact about the tenant that decides whether a rule needs an input (`Need::when`).
#[derive(Debug, Clone, Copy)]
pub struct Condition {
    pub holds: fn(&Analysis<'_>) -> bool,
    /// How the rule's documentation says it: "when ...".
    pub text: &'static str,
}

/// Some role's (or group's) activation requires an authentication context: then the Conditional
/// Access policies that target contexts are part of the chain.
pub const ACTIVATION_REQUIRES_CONTEXT: Condition = Condition {
    holds: |a| a.chains().iter().any(|c| c.context.is_some()),
    text: "when an activation requires an authentication context",
};

/// PIM for Groups governs a group that holds a privileged role.
pub const PRIVILEGED_GROUP_CHAINS: Condition = Condition {
    holds: |a| a.chains().iter().any(|c| !c.is_role() && c.privileged),
    text: "when PIM for Groups governs a group that holds a privileged role",
};

/// Some Conditional Access policy excludes a group.
pub const POLICIES_EXCLUDE_GROUPS: Condition = Condition {
    holds: |a| {
        a.tenant
            .conditional_access
            .iter()
            .any(|p| !p.conditions.users.exclude_groups.is_empty())
    },
    text: "when a policy excludes a group",
};

#[cfg(test)]
mod tests {
    use super::*;
    use entralint_parser::{load, Input};

    /// A tenant loaded from (path, text) pairs, for the analysis tests.
    pub(crate) fn tenant(files: &[(&str, &str)]) -> Tenant {
        load(
            files
                .iter()
                .map(|(p, t)| Input::new((*p).to_owned(), Ok(t.as_bytes().to_vec()))),
        )
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
        let a = Analysis::new(&t, &crate::settings::NONE);
        let expected = BTreeSet::from([ObjectId::new("u1"), ObjectId::new("u2")]);
        assert_eq!(*a.users_in_group(&ObjectId::new("g1")), expected);
        assert_eq!(*a.users_in_group(&ObjectId::new("G2")), expected);
    }

    #[test]
    fn privilege_prefers_exported_flag_then_builtin_list() {
        let t = tenant(&[(
            "roleDefinitions.json",
            r#"{"value":[{"id":"62e90394-69f5-4237-9190-012177145e10","displayName":"Global Administrator","isPrivileged":false,"rolePermissions":[]}]}"#,
        )]);
        let a = Analysis::new(&t, &crate::settings::NONE);
        assert!(
            !a.is_privileged(&GLOBAL_ADMINISTRATOR),
            "the exported flag wins"
        );
        assert!(
            a.is_privileged(&PRIVILEGED_ROLE_ADMINISTRATOR),
            "built-in list as fallback"
        );
        assert!(
            !a.is_privileged(&role::EXCHANGE_ADMINISTRATOR),
            "Exchange Administrator is not labelled"
        );
        assert_eq!(
            a.role_name(&ObjectId::new("E8611AB8-C189-46E8-94E1-60213AB1F814")),
            "Privileged Role Administrator"
        );
    }
}
