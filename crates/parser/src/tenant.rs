//! The loaded tenant: every object of every recognised file, what was loaded from where, and the
//! problems met while reading the files.

use crate::model::*;
use crate::origin::{FileId, Pointer};
use crate::source::SourceMap;
use std::collections::{BTreeMap, BTreeSet};

/// The kinds of object entralint reads. The order is the order of the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    ConditionalAccessPolicy,
    NamedLocation,
    AuthenticationContext,
    AuthenticationStrength,
    AuthenticationMethodsPolicy,
    AuthenticationMethodConfiguration,
    RoleDefinition,
    RoleAssignment,
    RoleAssignmentSchedule,
    RoleEligibilitySchedule,
    RoleManagementPolicy,
    RoleManagementPolicyAssignment,
    GroupEligibilitySchedule,
    GroupAssignmentSchedule,
    User,
    Group,
    GroupMember,
    UserRegistrationDetails,
}

impl Kind {
    pub const ALL: [Kind; 18] = [
        Kind::ConditionalAccessPolicy,
        Kind::NamedLocation,
        Kind::AuthenticationContext,
        Kind::AuthenticationStrength,
        Kind::AuthenticationMethodsPolicy,
        Kind::AuthenticationMethodConfiguration,
        Kind::RoleDefinition,
        Kind::RoleAssignment,
        Kind::RoleAssignmentSchedule,
        Kind::RoleEligibilitySchedule,
        Kind::RoleManagementPolicy,
        Kind::RoleManagementPolicyAssignment,
        Kind::GroupEligibilitySchedule,
        Kind::GroupAssignmentSchedule,
        Kind::User,
        Kind::Group,
        Kind::GroupMember,
        Kind::UserRegistrationDetails,
    ];

    /// The key of the kind in the JSON report's inventory (Graph's collection names).
    pub fn key(self) -> &'static str {
        match self {
            Kind::ConditionalAccessPolicy => "conditionalAccessPolicies",
            Kind::NamedLocation => "namedLocations",
            Kind::AuthenticationContext => "authenticationContextClassReferences",
            Kind::AuthenticationStrength => "authenticationStrengthPolicies",
            Kind::AuthenticationMethodsPolicy => "authenticationMethodsPolicy",
            Kind::AuthenticationMethodConfiguration => "authenticationMethodConfigurations",
            Kind::RoleDefinition => "roleDefinitions",
            Kind::RoleAssignment => "roleAssignments",
            Kind::RoleAssignmentSchedule => "roleAssignmentSchedules",
            Kind::RoleEligibilitySchedule => "roleEligibilitySchedules",
            Kind::RoleManagementPolicy => "roleManagementPolicies",
            Kind::RoleManagementPolicyAssignment => "roleManagementPolicyAssignments",
            Kind::GroupEligibilitySchedule => "groupEligibilitySchedules",
            Kind::GroupAssignmentSchedule => "groupAssignmentSchedules",
            Kind::User => "users",
            Kind::Group => "groups",
            Kind::GroupMember => "groupMembers",
            Kind::UserRegistrationDetails => "userRegistrationDetails",
        }
    }

    /// How the human summary names `n` objects of the kind.
    pub fn label(self, n: usize) -> String {
        let (one, many) = match self {
            Kind::ConditionalAccessPolicy => ("CA policy", "CA policies"),
            Kind::NamedLocation => ("named location", "named locations"),
            Kind::AuthenticationContext => ("context", "contexts"),
            Kind::AuthenticationStrength => ("strength", "strengths"),
            Kind::AuthenticationMethodsPolicy => ("methods policy", "methods policies"),
            Kind::AuthenticationMethodConfiguration => ("method setting", "method settings"),
            Kind::RoleDefinition => ("role definition", "role definitions"),
            Kind::RoleAssignment => ("role assignment", "role assignments"),
            Kind::RoleAssignmentSchedule => ("active schedule", "active schedules"),
            Kind::RoleEligibilitySchedule => ("eligibility", "eligibilities"),
            Kind::RoleManagementPolicy => ("PIM policy", "PIM policies"),
            Kind::RoleManagementPolicyAssignment => {
                ("PIM policy assignment", "PIM policy assignments")
            }
            Kind::GroupEligibilitySchedule => ("group eligibility", "group eligibilities"),
            Kind::GroupAssignmentSchedule => ("group assignment", "group assignments"),
            Kind::User => ("user", "users"),
            Kind::Group => ("group", "groups"),
            Kind::GroupMember => ("group membership", "group memberships"),
            Kind::UserRegistrationDetails => ("registration record", "registration records"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

/// What was loaded and from where.
#[derive(Debug, Default)]
pub struct Inventory {
    pub files: usize,
    /// Valid JSON files of no known shape (policy-as-code repositories hold other JSON too).
    pub unrecognized: Vec<FileId>,
    /// Objects per kind, after duplicates across files were merged.
    pub objects: BTreeMap<Kind, usize>,
    /// Recognised objects per file and kind, as read (before merging duplicates).
    pub per_file: BTreeMap<FileId, BTreeMap<Kind, usize>>,
    /// Kinds for which at least one recognised file was loaded, even an empty collection.
    pub present: BTreeSet<Kind>,
}

impl Inventory {
    /// Whether the export holds the kind at all (an empty collection counts: "exported, none exist").
    pub fn has(&self, kind: Kind) -> bool {
        self.present.contains(&kind)
    }
    pub fn count(&self, kind: Kind) -> usize {
        self.objects.get(&kind).copied().unwrap_or(0)
    }
    /// Files from which objects of `kind` were read.
    pub fn files_of(&self, kind: Kind) -> impl Iterator<Item = FileId> + '_ {
        self.per_file
            .iter()
            .filter(move |(_, kinds)| kinds.contains_key(&kind))
            .map(|(f, _)| *f)
    }
}

/// A problem met while reading a file. Each becomes a JSON00x finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadIssue {
    pub kind: IssueKind,
    pub file: FileId,
    pub message: String,
    pub at: IssueAt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IssueKind {
    /// JSON001: not valid JSON, not decodable, unreadable, or an object of the wrong shape.
    Unreadable,
    /// JSON002: a key occurs twice in one object.
    DuplicateKey,
    /// JSON003: a collection with `@odata.nextLink` (only the first page was exported).
    Paged,
    /// JSON004: a value replaced by a PowerShell type name (serialisation depth limit).
    Truncated,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueAt {
    /// A byte offset in the decoded text (parse errors).
    Offset(usize),
    /// A value in the document.
    Pointer(Pointer),
    /// The repeated `key` of the object at `parent`.
    DuplicateKey { parent: Pointer, key: String },
}

/// One tenant: everything loaded in one run.
#[derive(Debug, Default)]
pub struct Tenant {
    pub sources: SourceMap,
    pub inventory: Inventory,
    pub issues: Vec<LoadIssue>,
    pub conditional_access: Vec<ConditionalAccessPolicy>,
    pub named_locations: Vec<NamedLocation>,
    pub authentication_contexts: Vec<AuthenticationContext>,
    pub authentication_strengths: Vec<AuthenticationStrength>,
    pub authentication_methods_policies: Vec<AuthenticationMethodsPolicy>,
    pub method_configurations: Vec<AuthenticationMethodConfiguration>,
    pub role_definitions: Vec<RoleDefinition>,
    /// Role assignments, active schedules and eligibility schedules, told apart by `kind`.
    pub role_memberships: Vec<RoleMembership>,
    pub role_management_policies: Vec<RoleManagementPolicy>,
    pub policy_assignments: Vec<RoleManagementPolicyAssignment>,
    /// PIM for Groups eligibilities and assignments, told apart by `eligible`.
    pub group_schedules: Vec<GroupSchedule>,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub group_relations: Vec<GroupRelation>,
    pub registrations: Vec<RegistrationDetails>,
}

impl Tenant {
    pub fn memberships(&self, kind: MembershipKind) -> impl Iterator<Item = &RoleMembership> {
        self.role_memberships.iter().filter(move |m| m.kind == kind)
    }
}
