//! The loaded tenant: every object of every recognised file, what was loaded from where, and the
//! problems met while reading the files.

use crate::kinds::Kind;
use crate::model::*;
use crate::origin::{FileId, Pointer};
use crate::source::SourceMap;
use std::collections::{BTreeMap, BTreeSet};

/// What was loaded and from where.
#[derive(Debug, Default, Clone)]
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
    /// Kinds of which objects were read, but only a selection the producer made (ScubaGear's
    /// privileged users), and no file holds them all: an id missing among them says nothing
    /// about the tenant, so the kind does not count as exported (not in `present`).
    pub partial: BTreeSet<Kind>,
    /// Files written by a producer that drops, when it exports, the references it cannot resolve
    /// (Microsoft365DSC, and the tenant configuration snapshots that export through its
    /// resources): a dangling reference is absent from them, not seen.
    pub references_dropped: BTreeSet<FileId>,
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
    /// What the finding's label says at the value, when the rule's usual one (for JSON001, "this
    /// value has the wrong JSON type") does not fit: an unknown setting or role name.
    pub label: Option<String>,
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
    /// JSON005: one object (by id) read twice, from one file or two, with different content.
    Conflict,
    /// JSON010: an object meant as one of a kind entralint reads, not in Graph's shape (a
    /// flattened policy, a CIPP template holding no policy), left unread.
    Foreign,
    /// JSON013: a value of a configuration snapshot whose content its encoding lost or made
    /// ambiguous (a PowerShell type name, a list of names written as one string). The rules that
    /// judge whom or what the object holding it covers do not judge that object.
    Lossy,
    /// JSON013 (low): what a configuration snapshot holds that entralint reads differently from
    /// how it is written (lists written as text, read back exactly).
    Translated,
    /// JSON013 (low): what an export holds that entralint does not read at all — resources of
    /// types it does not model in a configuration snapshot, sections of a ScubaGear provider
    /// export beyond those it models — so that nothing is dropped without a word.
    Unread,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueAt {
    /// A byte offset in the decoded text (parse errors).
    Offset(usize),
    /// A byte offset in the decoded text where the file breaks JSON's grammar in a way entralint
    /// reads past (a trailing comma): the file is read as if that character were not there.
    Lenient(usize),
    /// A value in the document.
    Pointer(Pointer),
    /// The repeated `key` of the object at `parent`.
    DuplicateKey { parent: Pointer, key: String },
}

/// One tenant: everything loaded in one run.
#[derive(Debug, Default, Clone)]
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
    pub name_table: Vec<NameTableEntry>,
    /// Accounts the export says its producer was told to accept as exclusions (ScubaGear's
    /// `scuba_config`): break-glass accounts declared by the export.
    pub declared_exclusions: Vec<DeclaredExclusion>,
    /// The groups and users Terraform configuration reads by name with a data source
    /// (`data "azuread_group" "bg" { display_name = "…" }`): a reference to the data source's
    /// object id stands for that name.
    pub terraform_data: Vec<TerraformData>,
}

/// A data source of the azuread provider that reads a group by `display_name` or a user by
/// `user_principal_name` (registry.terraform.io/providers/hashicorp/azuread, data sources
/// `azuread_group` and `azuread_user`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformData {
    /// `data.azuread_group.breakglass`.
    pub address: String,
    /// The display name or user principal name it reads the object by.
    pub name: String,
    /// A group (else a user, read by user principal name).
    pub group: bool,
}

/// An account an export declares as an accepted exclusion, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredExclusion {
    pub origin: crate::origin::Origin,
    pub id: crate::id::ObjectId,
    /// A group (else a user).
    pub group: bool,
}

impl Tenant {
    pub fn memberships(&self, kind: MembershipKind) -> impl Iterator<Item = &RoleMembership> {
        self.role_memberships.iter().filter(move |m| m.kind == kind)
    }
}
