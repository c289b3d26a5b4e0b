//! Who holds which directory role, and how: actively or eligible, at which scope, through which
//! group (a group principal, or PIM for Groups). Conditional Access role targeting (`includeRoles`)
//! sees only active, directory-wide holders of built-in roles; the admin-coverage rules need every
//! other way in as well.

use super::Analysis;
use entralint_parser::model::{GroupSchedule, MembershipKind, RoleMembership};
use entralint_parser::{ObjectId, Origin};
use std::collections::{BTreeMap, BTreeSet};

/// How a user holds a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HoldingKind {
    /// An active assignment: a role assignment, or an assignment schedule that is not a PIM
    /// activation.
    Active,
    /// A PIM eligibility for the role (the user, or a group the user is a member of).
    Eligible,
    /// An eligibility for membership or ownership of a group that holds the role (PIM for Groups).
    GroupEligible,
}

/// The record a holding comes from.
#[derive(Debug, Clone, Copy)]
pub enum Record<'t> {
    /// A role assignment, assignment schedule or eligibility schedule.
    Role(&'t RoleMembership),
    /// A PIM for Groups eligibility.
    Group(&'t GroupSchedule),
}

impl Record<'_> {
    pub fn origin(&self) -> &Origin {
        match self {
            Record::Role(m) => &m.origin,
            Record::Group(s) => &s.origin,
        }
    }
}

/// One way one user holds one role.
#[derive(Debug, Clone)]
pub struct Holding<'t> {
    pub role: ObjectId,
    pub kind: HoldingKind,
    /// `directoryScopeId` of the role membership (`/` when absent).
    pub scope: String,
    /// The group the user holds the role through: a group principal of the role membership, or
    /// the group of a PIM for Groups eligibility.
    pub via_group: Option<ObjectId>,
    /// `member` or `owner`, for [`HoldingKind::GroupEligible`].
    pub access: Option<String>,
    pub record: Record<'t>,
}

impl Holding<'_> {
    /// Scoped to the whole directory (`/`), the only scope role targeting sees.
    pub fn is_directory_wide(&self) -> bool {
        self.scope == "/"
    }
}

impl<'t> Analysis<'t> {
    /// Every role holding of every user (groups expanded to their transitive members, PIM for
    /// Groups eligibilities included), by user id, in input order. Service principals
    /// and PIM activations (assignment schedules of type `Activated`, and the role assignments
    /// that mirror them) are left out: an activation is a moment of an eligibility.
    pub fn holdings(&self) -> &BTreeMap<ObjectId, Vec<Holding<'t>>> {
        self.holdings.get_or_init(|| build(self))
    }

    /// The role holdings of one user.
    pub fn holdings_of(&self, user: &ObjectId) -> &[Holding<'t>] {
        self.holdings().get(user).map_or(&[], Vec::as_slice)
    }
}

fn is_service_principal(m: &RoleMembership) -> bool {
    m.principal
        .as_ref()
        .and_then(|p| p.type_name())
        .is_some_and(|t| t.eq_ignore_ascii_case("servicePrincipal"))
}

fn build<'t>(a: &Analysis<'t>) -> BTreeMap<ObjectId, Vec<Holding<'t>>> {
    let t = a.tenant;
    let scope_of = |m: &RoleMembership| {
        m.directory_scope_id
            .as_deref()
            .map_or_else(|| "/".to_owned(), str::to_owned)
    };
    let key = |m: &'t RoleMembership| {
        (
            m.principal_id.as_ref(),
            m.role_definition_id.as_ref(),
            scope_of(m),
        )
    };
    let activated = |m: &RoleMembership| {
        m.kind == MembershipKind::AssignmentSchedule
            && m.assignment_type
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case("Activated"))
    };
    let activations: BTreeSet<_> = t
        .role_memberships
        .iter()
        .filter(|m| activated(m))
        .map(key)
        .collect();
    let mut map: BTreeMap<ObjectId, Vec<Holding<'t>>> = BTreeMap::new();
    for m in &t.role_memberships {
        let (Some(p), Some(r)) = (&m.principal_id, &m.role_definition_id) else {
            continue;
        };
        if is_service_principal(m)
            || activated(m)
            || (m.kind == MembershipKind::Assignment && activations.contains(&key(m)))
        {
            continue;
        }
        let kind = if m.kind == MembershipKind::EligibilitySchedule {
            HoldingKind::Eligible
        } else {
            HoldingKind::Active
        };
        let role = r.clone();
        let scope = scope_of(m);
        let is_group = a.is_group(p) || m.principal.as_ref().is_some_and(|o| o.is_group());
        if !is_group {
            map.entry(p.clone()).or_default().push(Holding {
                role,
                kind,
                scope,
                via_group: None,
                access: None,
                record: Record::Role(m),
            });
            continue;
        }
        let group = p.clone();
        for u in a.users_in_group(p).iter() {
            map.entry(u.clone()).or_default().push(Holding {
                role: role.clone(),
                kind,
                scope: scope.clone(),
                via_group: Some(group.clone()),
                access: None,
                record: Record::Role(m),
            });
        }
        for s in a.group_eligibilities(&group) {
            let Some(principal) = &s.principal_id else {
                continue;
            };
            let users = if a.is_group(principal) {
                a.users_in_group(principal)
            } else {
                std::rc::Rc::new(BTreeSet::from([principal.clone()]))
            };
            for u in users.iter() {
                map.entry(u.clone()).or_default().push(Holding {
                    role: role.clone(),
                    kind: HoldingKind::GroupEligible,
                    scope: scope.clone(),
                    via_group: Some(group.clone()),
                    access: s.access_id.as_deref().map(str::to_ascii_lowercase),
                    record: Record::Group(s),
                });
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use entralint_parser::{load, Input, Tenant};

    fn tenant(text: &str) -> Tenant {
        load([Input::new(
            "t.json".to_owned(),
            Ok(text.as_bytes().to_vec()),
        )])
    }

    const GA: &str = "62e90394-69f5-4237-9190-012177145e10";

    #[test]
    fn kinds_scopes_groups_and_activations() {
        let t = tenant(&format!(
            r##"[
  {{"id":"g1","displayName":"PIM-GA","securityEnabled":true,"isAssignableToRole":true,
    "members":[{{"@odata.type":"#microsoft.graph.user","id":"u3"}}]}},
  {{"id":"a1","principalId":"u1","roleDefinitionId":"{GA}","directoryScopeId":"/"}},
  {{"id":"e1","principalId":"u2","roleDefinitionId":"{GA}","directoryScopeId":"/","roleEligibilityScheduleId":"s"}},
  {{"id":"a2","principalId":"g1","roleDefinitionId":"{GA}","directoryScopeId":"/administrativeUnits/au1"}},
  {{"id":"ge","groupId":"g1","principalId":"u4","accessId":"member","memberType":"direct"}},
  {{"id":"i1","principalId":"u2","roleDefinitionId":"{GA}","directoryScopeId":"/","assignmentType":"Activated"}},
  {{"id":"a3","principalId":"u2","roleDefinitionId":"{GA}","directoryScopeId":"/"}},
  {{"id":"sp","principalId":"sp1","roleDefinitionId":"{GA}","directoryScopeId":"/",
    "principal":{{"@odata.type":"#microsoft.graph.servicePrincipal","id":"sp1"}}}}
]"##
        ));
        let a = Analysis::new(&t, &crate::settings::NONE);
        let kinds = |u: &str| -> Vec<(HoldingKind, bool)> {
            a.holdings_of(&ObjectId::new(u))
                .iter()
                .map(|h| (h.kind, h.is_directory_wide()))
                .collect()
        };
        assert_eq!(kinds("u1"), [(HoldingKind::Active, true)]);
        assert_eq!(
            kinds("U2"),
            [(HoldingKind::Eligible, true)],
            "an activation is not an active holding"
        );
        assert_eq!(kinds("u3"), [(HoldingKind::Active, false)]);
        assert_eq!(kinds("u4"), [(HoldingKind::GroupEligible, false)]);
        let u4 = &a.holdings_of(&ObjectId::new("u4"))[0];
        assert_eq!(u4.via_group, Some(ObjectId::new("g1")));
        assert!(a.holdings_of(&ObjectId::new("sp1")).is_empty());
    }
}
