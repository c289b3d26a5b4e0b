//! Users, groups and their members, authentication-method registration and settings.
//! Graph `user`, `group`, `userRegistrationDetails`
//! (<https://learn.microsoft.com/graph/api/resources/userregistrationdetails>) and
//! `authenticationMethodConfiguration`
//! (<https://learn.microsoft.com/graph/api/resources/authenticationmethodconfiguration>).

use super::common::DirectoryObject;
use crate::id::ObjectId;
use crate::origin::Origin;
use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct User {
    #[serde(skip)]
    pub origin: Origin,
    pub id: Option<ObjectId>,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub account_enabled: Option<bool>,
    pub user_type: Option<String>,
    pub on_premises_sync_enabled: Option<bool>,
    pub employee_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Group {
    #[serde(skip)]
    pub origin: Origin,
    pub id: Option<ObjectId>,
    pub display_name: Option<String>,
    pub mail: Option<String>,
    pub security_enabled: Option<bool>,
    pub mail_enabled: Option<bool>,
    pub group_types: Vec<String>,
    pub membership_rule: Option<String>,
    pub is_assignable_to_role: Option<bool>,
    /// beta: member of a restricted management administrative unit.
    pub is_management_restricted: Option<bool>,
    pub on_premises_sync_enabled: Option<bool>,
    /// Members as exported with `$expand=members`, and owners; the loader moves both into
    /// `Tenant::group_relations`, so a loaded group holds them there, not here.
    pub members: Vec<DirectoryObject>,
    pub owners: Vec<DirectoryObject>,
}

impl Group {
    pub fn is_dynamic(&self) -> bool {
        self.group_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case("DynamicMembership"))
    }

    /// How people below a privileged role decide who is in the group, if they can: `None` for a
    /// role-assignable group or one in a restricted management administrative unit.
    pub fn open_membership(&self) -> Option<OpenMembership<'_>> {
        if self.is_dynamic() || self.membership_rule.is_some() {
            Some(OpenMembership::Dynamic(self.membership_rule.as_deref()))
        } else if self.is_assignable_to_role != Some(true)
            && self.is_management_restricted != Some(true)
        {
            Some(OpenMembership::Editable)
        } else {
            None
        }
    }
}

/// Why a group's members are not under privileged control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMembership<'g> {
    /// Dynamic: members follow a rule over user attributes (the rule, when exported).
    Dynamic(Option<&'g str>),
    /// Neither role-assignable nor management-restricted: Groups and User Administrators, and the
    /// group's owners, can change its members.
    Editable,
}

/// Membership or ownership of a group, from a group export (`$expand=members`) or from an
/// EntraExporter `Groups/<group>/Members/<member>/<member>.json` file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupRelation {
    pub origin: Origin,
    pub group_id: ObjectId,
    pub member: DirectoryObject,
    pub is_owner: bool,
}

/// `userRegistrationDetails` (`/reports/authenticationMethods/userRegistrationDetails`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RegistrationDetails {
    #[serde(skip)]
    pub origin: Origin,
    pub id: Option<ObjectId>,
    pub user_principal_name: Option<String>,
    pub user_display_name: Option<String>,
    pub user_type: Option<String>,
    pub is_admin: Option<bool>,
    pub is_mfa_capable: Option<bool>,
    pub is_mfa_registered: Option<bool>,
    pub is_passwordless_capable: Option<bool>,
    pub methods_registered: Vec<String>,
}

/// The tenant's `authenticationMethodsPolicy` (its method configurations are loaded separately).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AuthenticationMethodsPolicy {
    #[serde(skip)]
    pub origin: Origin,
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub policy_version: Option<String>,
    pub policy_migration_state: Option<String>,
}

/// One `authenticationMethodConfiguration` (`Fido2`, `MicrosoftAuthenticator`, `Sms`, ...).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AuthenticationMethodConfiguration {
    #[serde(skip)]
    pub origin: Origin,
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    pub id: Option<String>,
    pub state: Option<String>,
    pub include_targets: Vec<MethodTarget>,
    pub exclude_targets: Vec<MethodTarget>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MethodTarget {
    pub target_type: Option<String>,
    /// A user or group id, or `all_users`.
    pub id: Option<ObjectId>,
    pub is_registration_required: Option<bool>,
}

/// One entry of an id-to-name table: IntuneManagement's `MigrationTable.json`
/// (`{"TenantId", "Organization", "Objects": [{"Id", "DisplayName", "Type"}]}`, written by
/// `Add-GraphMigrationObjectToFile` in
/// <https://github.com/Micke-K/IntuneManagement/blob/master/Extensions/MSGraph.psm1>). It names the
/// objects an export refers to, so that a policy naming a group by its display name can be read.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NameTableEntry {
    #[serde(skip)]
    pub origin: Origin,
    pub id: Option<ObjectId>,
    pub display_name: Option<String>,
    /// The object's type: `#microsoft.graph.group`, or a bare name such as `Group`.
    #[serde(rename = "type")]
    pub object_type: Option<String>,
}
