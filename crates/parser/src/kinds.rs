//! The kinds of object entralint reads, in one table.
//!
//! [`kinds!`] holds one entry per kind; the [`Kind`] enum and its names (below), the reading, the
//! merging of duplicates and the counting of each kind in the loader (`load.rs`), and the
//! `@odata.context` and `@odata.type` names detection matches (`detect.rs`) are all derived from
//! it. Teaching entralint a new kind is one entry here, its model type, and — when objects of the
//! kind come without an `@odata.context` that names them — a content rule in `detect.rs`.
//!
//! An entry holds:
//! - `key`: the kind's key in the JSON report's inventory (its Graph collection name);
//! - `label`: how the human summary names one and several objects;
//! - `noun`: how a "no … in input" message names the kind;
//! - `collections`: the collection names an `@odata.context` ends with for a collection (or an
//!   entity) of the kind. `parent/name` also requires the segment before it (compared ignoring
//!   ASCII case); a plain `name` never matches below a `group` segment (PIM for Groups);
//! - `types`: the `@odata.type` names of the kind, without `#microsoft.graph.`; `*suffix` matches
//!   every name ending with `suffix`;
//! - `model`, `field`: the model type and the [`Tenant`](crate::Tenant) field it is stored in.
//!   Kinds sharing a field set a `tag` field of the model to tell them apart;
//! - `read`: `plain` (the object is the model type, read whole), or the loader method that reads
//!   the kind (embedded objects, derived records);
//! - `dedup`: the key under which copies of one object from several files are merged (the first
//!   copy is kept; objects without a key are all kept), and `prefer`: which copy is kept first
//!   (the smallest value; the list is then in origin order). Without `dedup` nothing is merged.

/// The table. `kinds!(callback)` passes every entry, in inventory order, to the macro `callback`.
macro_rules! kinds {
    ($callback:ident) => {
        $callback! {
            /// A Conditional Access policy (`conditionalAccessPolicy`).
            ConditionalAccessPolicy {
                key: "conditionalAccessPolicies",
                label: "CA policy" / "CA policies",
                noun: "Conditional Access policies",
                // `policies/conditionalAccessPolicies` is the older beta path, still what
                // idPowerToys' manual mode asks users to paste (merill/idPowerToys,
                // src/reactapp/src/components/CaDocGenManual.jsx).
                collections: ["conditionalAccess/policies", "policies/conditionalAccessPolicies"],
                types: ["conditionalAccessPolicy"],
                model: ConditionalAccessPolicy,
                field: conditional_access,
                read: plain,
                dedup: |p| p.id.as_ref(),
            },
            /// A named location (`namedLocation` and its derived types).
            NamedLocation {
                key: "namedLocations",
                label: "named location" / "named locations",
                noun: "named locations",
                collections: ["namedLocations"],
                types: [
                    "ipNamedLocation",
                    "countryNamedLocation",
                    "compliantNetworkNamedLocation",
                    "namedLocation",
                ],
                model: NamedLocation,
                field: named_locations,
                read: plain,
                dedup: |p| p.id.as_ref(),
            },
            /// An authentication context (`authenticationContextClassReference`).
            AuthenticationContext {
                key: "authenticationContextClassReferences",
                label: "context" / "contexts",
                noun: "authentication contexts",
                collections: ["authenticationContextClassReferences"],
                types: ["authenticationContextClassReference"],
                model: AuthenticationContext,
                field: authentication_contexts,
                read: plain,
                dedup: |p| p.id.as_ref(),
            },
            /// An authentication strength (`authenticationStrengthPolicy`).
            AuthenticationStrength {
                key: "authenticationStrengthPolicies",
                label: "strength" / "strengths",
                noun: "authentication strengths",
                collections: ["authenticationStrength/policies", "authenticationStrengthPolicies"],
                types: ["authenticationStrengthPolicy"],
                model: AuthenticationStrength,
                field: authentication_strengths,
                read: plain,
                dedup: |p| p.id.as_ref(),
            },
            /// The tenant's `authenticationMethodsPolicy`, with its method configurations embedded.
            AuthenticationMethodsPolicy {
                key: "authenticationMethodsPolicy",
                label: "methods policy" / "methods policies",
                noun: "authentication methods policies",
                collections: ["authenticationMethodsPolicy"],
                types: ["authenticationMethodsPolicy"],
                model: AuthenticationMethodsPolicy,
                field: authentication_methods_policies,
                read: methods_policy,
            },
            /// One method's settings (`fido2AuthenticationMethodConfiguration`, ...).
            AuthenticationMethodConfiguration {
                key: "authenticationMethodConfigurations",
                label: "method setting" / "method settings",
                noun: "authentication method configurations",
                collections: ["authenticationMethodConfigurations"],
                types: ["*AuthenticationMethodConfiguration"],
                model: AuthenticationMethodConfiguration,
                field: method_configurations,
                read: plain,
                dedup: |p| p.id.as_deref().map(str::to_ascii_lowercase),
            },
            /// A directory role (`unifiedRoleDefinition`).
            RoleDefinition {
                key: "roleDefinitions",
                label: "role definition" / "role definitions",
                noun: "role definitions",
                collections: ["roleDefinitions"],
                types: ["unifiedRoleDefinition"],
                model: RoleDefinition,
                field: role_definitions,
                read: plain,
                dedup: |p| p.id.as_ref(),
            },
            /// An active role assignment (`unifiedRoleAssignment`).
            RoleAssignment {
                key: "roleAssignments",
                label: "role assignment" / "role assignments",
                noun: "role assignments",
                collections: ["roleAssignments"],
                types: ["unifiedRoleAssignment"],
                model: RoleMembership,
                field: role_memberships,
                tag: kind = MembershipKind::Assignment,
                read: plain,
                dedup: |m| m.id.as_ref(),
            },
            /// A role assignment schedule or schedule instance.
            RoleAssignmentSchedule {
                key: "roleAssignmentSchedules",
                label: "active schedule" / "active schedules",
                noun: "assignment schedules",
                collections: ["roleAssignmentSchedules", "roleAssignmentScheduleInstances"],
                types: [
                    "unifiedRoleAssignmentSchedule",
                    "unifiedRoleAssignmentScheduleInstance",
                ],
                model: RoleMembership,
                field: role_memberships,
                tag: kind = MembershipKind::AssignmentSchedule,
                read: plain,
                dedup: |m| m.id.as_ref(),
            },
            /// A role eligibility schedule or schedule instance.
            RoleEligibilitySchedule {
                key: "roleEligibilitySchedules",
                label: "eligibility" / "eligibilities",
                noun: "role eligibility schedules",
                collections: ["roleEligibilitySchedules", "roleEligibilityScheduleInstances"],
                types: [
                    "unifiedRoleEligibilitySchedule",
                    "unifiedRoleEligibilityScheduleInstance",
                ],
                model: RoleMembership,
                field: role_memberships,
                tag: kind = MembershipKind::EligibilitySchedule,
                read: plain,
                dedup: |m| m.id.as_ref(),
            },
            /// A PIM role management policy (`unifiedRoleManagementPolicy`) with its rules.
            RoleManagementPolicy {
                key: "roleManagementPolicies",
                label: "PIM policy" / "PIM policies",
                noun: "PIM role management policies",
                collections: ["roleManagementPolicies"],
                types: ["unifiedRoleManagementPolicy"],
                model: RoleManagementPolicy,
                field: role_management_policies,
                read: policy,
                // The same policy is repeated in every EntraExporter eligibility file of its
                // role: keep the first copy that has rules.
                dedup: |p| p.id.as_ref(),
                prefer: |p| p.rules.is_empty(),
            },
            /// Which PIM policy governs a role or a group's membership or ownership.
            RoleManagementPolicyAssignment {
                key: "roleManagementPolicyAssignments",
                label: "PIM policy assignment" / "PIM policy assignments",
                noun: "roleManagementPolicyAssignments",
                collections: ["roleManagementPolicyAssignments"],
                types: ["unifiedRoleManagementPolicyAssignment"],
                model: RoleManagementPolicyAssignment,
                field: policy_assignments,
                read: policy_assignment,
                dedup: |a| Some((&a.policy_id, &a.scope_id, &a.role_definition_id)),
            },
            /// A PIM for Groups eligibility (schedule or instance).
            GroupEligibilitySchedule {
                key: "groupEligibilitySchedules",
                label: "group eligibility" / "group eligibilities",
                noun: "PIM for Groups eligibility schedules",
                collections: ["group/eligibilitySchedules", "group/eligibilityScheduleInstances"],
                types: [
                    "privilegedAccessGroupEligibilitySchedule",
                    "privilegedAccessGroupEligibilityScheduleInstance",
                ],
                model: GroupSchedule,
                field: group_schedules,
                tag: eligible = true,
                read: plain,
                dedup: |g| g.id.as_ref(),
            },
            /// A PIM for Groups assignment (schedule or instance).
            GroupAssignmentSchedule {
                key: "groupAssignmentSchedules",
                label: "group assignment" / "group assignments",
                noun: "PIM for Groups assignment schedules",
                collections: ["group/assignmentSchedules", "group/assignmentScheduleInstances"],
                types: [
                    "privilegedAccessGroupAssignmentSchedule",
                    "privilegedAccessGroupAssignmentScheduleInstance",
                ],
                model: GroupSchedule,
                field: group_schedules,
                tag: eligible = false,
                read: plain,
                dedup: |g| g.id.as_ref(),
            },
            /// A user.
            User {
                key: "users",
                label: "user" / "users",
                noun: "users",
                collections: ["users"],
                types: ["user"],
                model: User,
                field: users,
                read: plain,
                dedup: |u| u.id.as_ref(),
            },
            /// A group, with its members and owners when they were expanded.
            Group {
                key: "groups",
                label: "group" / "groups",
                noun: "groups",
                collections: ["groups"],
                types: ["group"],
                model: Group,
                field: groups,
                read: group,
                dedup: |g| g.id.as_ref(),
            },
            /// Membership or ownership of a group.
            GroupMember {
                key: "groupMembers",
                label: "group membership" / "group memberships",
                noun: "group members",
                collections: [],
                types: [],
                model: GroupRelation,
                field: group_relations,
                read: through_group,
                dedup: |r| r.member.id.as_ref().map(|m| (&r.group_id, r.is_owner, m)),
            },
            /// A user's authentication-method registration (`userRegistrationDetails`).
            UserRegistrationDetails {
                key: "userRegistrationDetails",
                label: "registration record" / "registration records",
                noun: "userRegistrationDetails",
                collections: ["userRegistrationDetails"],
                types: ["userRegistrationDetails"],
                model: RegistrationDetails,
                field: registrations,
                read: plain,
                dedup: |r| r.id.as_ref(),
            },
            /// An entry of an id-to-name table (IntuneManagement's `MigrationTable.json`).
            NameTableEntry {
                key: "nameTableEntries",
                label: "name-table entry" / "name-table entries",
                noun: "id-to-name tables (MigrationTable.json)",
                collections: [],
                types: [],
                model: NameTableEntry,
                field: name_table,
                read: plain,
            },
        }
    };
}
pub(crate) use kinds;

/// Declares [`Kind`] and its names from the table.
macro_rules! declare_kinds {
    ($(
        $(#[$doc:meta])*
        $name:ident {
            key: $key:literal,
            label: $one:literal / $many:literal,
            noun: $noun:literal,
            collections: [$($collection:literal),* $(,)?],
            types: [$($odata_type:literal),* $(,)?],
            $($rest:tt)*
        },
    )*) => {
        /// The kinds of object entralint reads. The order is the order of the inventory.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind {
            $($(#[$doc])* $name,)*
        }

        impl Kind {
            pub const ALL: [Kind; [$(Kind::$name),*].len()] = [$(Kind::$name),*];

            /// The key of the kind in the JSON report's inventory (Graph's collection names).
            pub fn key(self) -> &'static str {
                match self {
                    $(Kind::$name => $key,)*
                }
            }

            /// How the human summary names one object of the kind, and several.
            pub(crate) fn labels(self) -> (&'static str, &'static str) {
                match self {
                    $(Kind::$name => ($one, $many),)*
                }
            }

            /// How a "no … in input" message names the kind ("no role assignments in input").
            pub fn noun(self) -> &'static str {
                match self {
                    $(Kind::$name => $noun,)*
                }
            }

            /// The collection names an `@odata.context` of the kind ends with (see the table).
            pub(crate) fn collections(self) -> &'static [&'static str] {
                match self {
                    $(Kind::$name => &[$($collection),*],)*
                }
            }

            /// The kind's `@odata.type` names, without `#microsoft.graph.` (see the table).
            pub(crate) fn odata_types(self) -> &'static [&'static str] {
                match self {
                    $(Kind::$name => &[$($odata_type),*],)*
                }
            }
        }
    };
}

kinds!(declare_kinds);

impl Kind {
    /// How the human summary names `n` objects of the kind.
    pub fn label(self, n: usize) -> String {
        let (one, many) = self.labels();
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_are_unique_and_in_inventory_order() {
        let keys: BTreeSet<_> = Kind::ALL.iter().map(|k| k.key()).collect();
        assert_eq!(keys.len(), Kind::ALL.len());
        let nouns: BTreeSet<_> = Kind::ALL.iter().map(|k| k.noun()).collect();
        assert_eq!(nouns.len(), Kind::ALL.len());
        assert!(Kind::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            Kind::RoleManagementPolicy.noun(),
            "PIM role management policies"
        );
        assert_eq!(Kind::ConditionalAccessPolicy.label(1), "1 CA policy");
        assert_eq!(Kind::GroupMember.label(2), "2 group memberships");
    }

    #[test]
    fn no_type_name_belongs_to_two_kinds() {
        let mut seen = BTreeSet::new();
        for k in Kind::ALL {
            for t in k.odata_types() {
                assert!(seen.insert(*t), "{t}");
            }
        }
    }
}
