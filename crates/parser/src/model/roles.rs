//! Directory roles: definitions, assignments, assignment and eligibility schedules, and the PIM
//! role management policies with their rules: Graph `unifiedRoleManagementPolicy`
//! (<https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicy>) and its rules
//! (<https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicyrule>).

use super::common::DirectoryObject;
use crate::id::ObjectId;
use crate::open_enum;
use crate::origin::Origin;
use serde::Deserialize;

/// `unifiedRoleDefinition` (beta adds `isPrivileged`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RoleDefinition {
    #[serde(skip)]
    pub origin: Origin,
    pub id: Option<ObjectId>,
    pub template_id: Option<ObjectId>,
    pub display_name: Option<String>,
    pub is_built_in: Option<bool>,
    pub is_enabled: Option<bool>,
    pub is_privileged: Option<bool>,
    pub role_permissions: Vec<RolePermission>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RolePermission {
    pub allowed_resource_actions: Vec<String>,
    pub excluded_resource_actions: Vec<String>,
    pub condition: Option<String>,
}

/// Which of the four role-membership collections an entry came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MembershipKind {
    /// `roleAssignments` (active now, PIM activations included).
    #[default]
    Assignment,
    /// `roleAssignmentSchedules` / `roleAssignmentScheduleInstances`.
    AssignmentSchedule,
    /// `roleEligibilitySchedules` / `roleEligibilityScheduleInstances` (incl. EntraExporter PIM files).
    EligibilitySchedule,
}

/// One principal's membership of a directory role: a `unifiedRoleAssignment`, or an assignment or
/// eligibility schedule or schedule instance. Which one is told by `kind`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RoleMembership {
    #[serde(skip)]
    pub origin: Origin,
    #[serde(skip)]
    pub kind: MembershipKind,
    pub id: Option<ObjectId>,
    pub principal_id: Option<ObjectId>,
    pub role_definition_id: Option<ObjectId>,
    pub directory_scope_id: Option<String>,
    pub app_scope_id: Option<String>,
    /// `Direct`, `Group` or `Inherited`.
    pub member_type: Option<String>,
    /// `Assigned` (standing) or `Activated` (a PIM activation), assignment schedules only.
    pub assignment_type: Option<String>,
    pub status: Option<String>,
    pub start_date_time: Option<String>,
    pub end_date_time: Option<String>,
    pub schedule_info: Option<ScheduleInfo>,
    pub principal: Option<DirectoryObject>,
}

impl RoleMembership {
    /// Whether the membership has no end: no `endDateTime`, and a schedule (if any) with
    /// `expiration.type` `noExpiration` or no end date.
    pub fn is_permanent(&self) -> bool {
        if self.end_date_time.is_some() {
            return false;
        }
        match self
            .schedule_info
            .as_ref()
            .and_then(|s| s.expiration.as_ref())
        {
            Some(e) => {
                e.end_date_time.is_none()
                    && e.duration.is_none()
                    && !e
                        .kind
                        .as_deref()
                        .is_some_and(|k| k.eq_ignore_ascii_case("afterDateTime"))
            }
            None => true,
        }
    }
    /// Scoped to the whole directory (`/`), which is what Conditional Access role targeting sees.
    pub fn is_directory_wide(&self) -> bool {
        self.directory_scope_id.as_deref().is_none_or(|s| s == "/")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ScheduleInfo {
    pub start_date_time: Option<String>,
    pub expiration: Option<Expiration>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Expiration {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub end_date_time: Option<String>,
    pub duration: Option<String>,
}

/// PIM for Groups: an eligibility or assignment of a principal to a group's membership or
/// ownership (`privilegedAccessGroupEligibilitySchedule`, `…AssignmentSchedule` and their instances,
/// and EntraExporter's `PIM/Groups/*.json`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GroupSchedule {
    #[serde(skip)]
    pub origin: Origin,
    /// True for eligibility, false for an (active) assignment.
    #[serde(skip)]
    pub eligible: bool,
    pub id: Option<ObjectId>,
    pub group_id: Option<ObjectId>,
    pub principal_id: Option<ObjectId>,
    /// `member` or `owner`.
    pub access_id: Option<String>,
    /// `direct` or `group`.
    pub member_type: Option<String>,
    /// `assigned` or `activated` (assignment instances).
    pub assignment_type: Option<String>,
    pub status: Option<String>,
    pub start_date_time: Option<String>,
    pub end_date_time: Option<String>,
    pub schedule_info: Option<ScheduleInfo>,
}

open_enum! {
    /// `unifiedRoleManagementPolicy.scopeType` / assignment `scopeType`.
    pub enum ScopeType { Directory = "Directory", DirectoryRole = "DirectoryRole", Group = "Group" }
}

/// `unifiedRoleManagementPolicy` with its rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleManagementPolicy {
    pub origin: Origin,
    pub id: Option<ObjectId>,
    pub display_name: Option<String>,
    pub scope_id: Option<ObjectId>,
    pub scope_type: Option<ScopeType>,
    pub is_organization_default: Option<bool>,
    pub rules: Vec<PimRule>,
}

impl RoleManagementPolicy {
    pub fn rule(&self, id: &str) -> Option<&PimRule> {
        self.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }
}

/// `unifiedRoleManagementPolicyAssignment`: which policy governs a role (or a group's member/owner).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RoleManagementPolicyAssignment {
    #[serde(skip)]
    pub origin: Origin,
    pub id: Option<ObjectId>,
    pub policy_id: Option<ObjectId>,
    pub scope_id: Option<ObjectId>,
    pub scope_type: Option<ScopeType>,
    /// Role template id; `member` or `owner` for PIM for Groups.
    pub role_definition_id: Option<ObjectId>,
}

/// The fixed rule ids of a PIM policy (Graph concept page `identity-governance-pim-rules-overview`).
pub mod rule_ids {
    pub const ENABLEMENT_END_USER: &str = "Enablement_EndUser_Assignment";
    pub const AUTH_CONTEXT_END_USER: &str = "AuthenticationContext_EndUser_Assignment";
    pub const APPROVAL_END_USER: &str = "Approval_EndUser_Assignment";
    pub const EXPIRATION_END_USER: &str = "Expiration_EndUser_Assignment";
    pub const EXPIRATION_ADMIN_ELIGIBILITY: &str = "Expiration_Admin_Eligibility";
    pub const ENABLEMENT_ADMIN_ELIGIBILITY: &str = "Enablement_Admin_Eligibility";
    pub const EXPIRATION_ADMIN_ASSIGNMENT: &str = "Expiration_Admin_Assignment";
    pub const ENABLEMENT_ADMIN_ASSIGNMENT: &str = "Enablement_Admin_Assignment";
    pub const NOTIFICATION_ADMIN_END_USER: &str = "Notification_Admin_EndUser_Assignment";
}

open_enum! {
    /// `enabledRules` values of an enablement rule.
    pub enum EnablementRequirement {
        MultiFactorAuthentication = "MultiFactorAuthentication",
        Justification = "Justification",
        Ticketing = "Ticketing",
    }
}

/// One rule of a PIM policy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PimRule {
    pub origin: Origin,
    pub id: String,
    pub target: Option<RuleTarget>,
    pub body: RuleBody,
}

/// The type-specific part of a rule, discriminated by `@odata.type` (Graph) or `ruleType` (ARM),
/// falling back to the fixed rule id.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum RuleBody {
    Enablement {
        enabled_rules: Vec<EnablementRequirement>,
    },
    AuthenticationContext {
        is_enabled: bool,
        claim_value: Option<String>,
    },
    Expiration {
        is_expiration_required: Option<bool>,
        maximum_duration: Option<String>,
    },
    Approval {
        setting: Option<ApprovalSettings>,
    },
    Notification {
        recipient_type: Option<String>,
        notification_level: Option<String>,
        is_default_recipients_enabled: Option<bool>,
        notification_recipients: Vec<String>,
    },
    /// A rule type this version does not know (the discriminator as written).
    Unknown(String),
    #[default]
    Missing,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RuleTarget {
    pub caller: Option<String>,
    pub operations: Vec<String>,
    pub level: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ApprovalSettings {
    pub is_approval_required: Option<bool>,
    pub is_approval_required_for_extension: Option<bool>,
    pub approval_mode: Option<String>,
    pub approval_stages: Vec<ApprovalStage>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ApprovalStage {
    pub primary_approvers: Vec<Approver>,
    pub escalation_approvers: Vec<Approver>,
}

/// A `subjectSet`: `singleUser {userId}`, `groupMembers {groupId}`; beta and ARM carry `id`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Approver {
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    #[serde(alias = "userID")]
    pub user_id: Option<ObjectId>,
    #[serde(alias = "groupID")]
    pub group_id: Option<ObjectId>,
    pub id: Option<ObjectId>,
    pub description: Option<String>,
    pub user_type: Option<String>,
}

/// The raw, flattened shape of every rule type, converted into [`PimRule`].
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawRule {
    #[serde(rename = "@odata.type")]
    odata_type: Option<String>,
    rule_type: Option<String>,
    id: Option<String>,
    target: Option<RuleTarget>,
    enabled_rules: Vec<EnablementRequirement>,
    is_enabled: Option<bool>,
    claim_value: Option<String>,
    is_expiration_required: Option<bool>,
    maximum_duration: Option<String>,
    setting: Option<ApprovalSettings>,
    recipient_type: Option<String>,
    notification_level: Option<String>,
    is_default_recipients_enabled: Option<bool>,
    notification_recipients: Vec<String>,
}

impl RawRule {
    pub(crate) fn into_rule(self, origin: Origin) -> PimRule {
        let id = self.id.unwrap_or_default();
        let discriminator = self.odata_type.or(self.rule_type);
        let kind = match discriminator.as_deref() {
            Some(t) => {
                let t = t.rsplit('.').next().unwrap_or(t);
                let t = t
                    .trim_start_matches("unifiedRoleManagementPolicy")
                    .trim_start_matches("RoleManagementPolicy");
                t.trim_end_matches("Rule").to_owned()
            }
            // The fixed id starts with the type: `Enablement_EndUser_Assignment`.
            None => id.split('_').next().unwrap_or_default().to_owned(),
        };
        let body = match kind.to_ascii_lowercase().as_str() {
            "enablement" => RuleBody::Enablement {
                enabled_rules: self.enabled_rules,
            },
            "authenticationcontext" => RuleBody::AuthenticationContext {
                is_enabled: self.is_enabled.unwrap_or(false),
                claim_value: self.claim_value.filter(|c| !c.trim().is_empty()),
            },
            "expiration" => RuleBody::Expiration {
                is_expiration_required: self.is_expiration_required,
                maximum_duration: self.maximum_duration,
            },
            "approval" => RuleBody::Approval {
                setting: self.setting,
            },
            "notification" => RuleBody::Notification {
                recipient_type: self.recipient_type,
                notification_level: self.notification_level,
                is_default_recipients_enabled: self.is_default_recipients_enabled,
                notification_recipients: self.notification_recipients,
            },
            _ => RuleBody::Unknown(discriminator.unwrap_or_else(|| id.clone())),
        };
        PimRule {
            origin,
            id,
            target: self.target,
            body,
        }
    }
}

/// The raw policy shape (rules converted separately so each keeps its origin).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct RawPolicy {
    pub id: Option<ObjectId>,
    pub display_name: Option<String>,
    pub scope_id: Option<ObjectId>,
    pub scope_type: Option<ScopeType>,
    pub is_organization_default: Option<bool>,
}
