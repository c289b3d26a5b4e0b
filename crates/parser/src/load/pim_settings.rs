//! PIM policies declared as settings rather than as Graph's rules (EasyPIM's policy templates,
//! Microsoft365DSC's `AADRoleSetting`): the settings, each where it was written, and the rules
//! and policy Graph stores once they are applied (Microsoft Learn, "Overview of rules in PIM",
//! <https://learn.microsoft.com/graph/identity-governance-pim-rules-overview>).

use super::Loader;
use crate::builtin::BUILT_IN_ROLES;
use crate::id::{is_guid, ObjectId};
use crate::kinds::Kind;
use crate::model::{
    rule_ids, ApprovalSettings, ApprovalStage, Approver, EnablementRequirement, PimRule,
    RoleManagementPolicy, RoleManagementPolicyAssignment, RuleBody, RuleTarget, ScopeType,
};
use crate::origin::{FileId, Origin, Pointer};

/// A setting, and where it was written.
#[derive(Debug, Clone)]
pub(super) struct Set<T> {
    pub(super) value: T,
    pub(super) at: Pointer,
}

/// The settings of one policy that entralint reads, each where it was set.
#[derive(Debug, Clone, Default)]
pub(super) struct Settings {
    pub(super) activation_duration: Option<Set<String>>,
    pub(super) activation_requirement: Option<Set<Vec<EnablementRequirement>>>,
    pub(super) active_assignment_requirement: Option<Set<Vec<EnablementRequirement>>>,
    pub(super) context_enabled: Option<Set<bool>>,
    pub(super) context_value: Option<Set<String>>,
    pub(super) approval_required: Option<Set<bool>>,
    pub(super) approvers: Option<Set<Vec<Approver>>>,
    pub(super) permanent_eligibility: Option<Set<bool>>,
    pub(super) eligibility_duration: Option<Set<String>>,
    pub(super) permanent_active: Option<Set<bool>>,
    pub(super) active_duration: Option<Set<String>>,
    pub(super) activation_alert: Option<Set<Alert>>,
}

/// `Notification_Activation_Alert`: who hears of an activation.
#[derive(Debug, Clone, Default)]
pub(super) struct Alert {
    pub(super) default_recipients: Option<bool>,
    pub(super) level: Option<String>,
    pub(super) recipients: Vec<String>,
}

impl Settings {
    /// `self`, each setting `over` sets replaced by its.
    pub(super) fn overridden_by(mut self, over: Settings) -> Settings {
        macro_rules! take {
            ($($f:ident),+) => { $(if over.$f.is_some() { self.$f = over.$f; })+ };
        }
        take!(
            activation_duration,
            activation_requirement,
            active_assignment_requirement,
            context_enabled,
            context_value,
            approval_required,
            approvers,
            permanent_eligibility,
            eligibility_duration,
            permanent_active,
            active_duration,
            activation_alert
        );
        self
    }
}

pub(super) fn approver(id: &str, description: Option<&str>, user_type: Option<&str>) -> Approver {
    let id = ObjectId::new(id.trim());
    let group = user_type.is_some_and(|t| t.eq_ignore_ascii_case("group"));
    Approver {
        odata_type: Some(
            if group {
                "#microsoft.graph.groupMembers"
            } else {
                "#microsoft.graph.singleUser"
            }
            .to_owned(),
        ),
        user_id: (!group).then(|| id.clone()),
        group_id: group.then(|| id.clone()),
        id: Some(id),
        description: description.map(str::to_owned),
        user_type: user_type.map(str::to_owned),
    }
}

/// The role a name (or an id) names: a built-in role's template id.
pub(super) fn role_id(name: &str) -> Option<ObjectId> {
    let name = name.trim();
    if is_guid(name) {
        return Some(ObjectId::new(name));
    }
    BUILT_IN_ROLES
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(name))
        .map(|r| r.id.clone())
}

/// One policy to make: for whom, from which settings, located where.
pub(super) struct Declared {
    pub(super) origin: Origin,
    /// The role's template id, or the group's id.
    pub(super) scope: Scope,
    pub(super) settings: Settings,
    /// The policy's id, when the file names it (the CSV's `PolicyID`).
    pub(super) id: Option<String>,
    /// The tool that declared it, which names the policy when the file does not
    /// (`EasyPIM_<role>`).
    pub(super) tool: &'static str,
}

pub(super) enum Scope {
    Role(ObjectId),
    Group { group: ObjectId, access: String },
}

impl Scope {
    /// What names the scope in the ids made for its policy: the role's template id, or
    /// `<group>_<access>`.
    fn key(&self) -> String {
        match self {
            Scope::Role(role) => role.as_str().to_owned(),
            Scope::Group { group, access } => format!("{}_{access}", group.as_str()),
        }
    }
}

/// The rules a policy's settings make (Graph's fixed rule ids).
pub(super) fn rules(s: &Settings, file: FileId) -> Vec<PimRule> {
    let end_user = |operations: &str| {
        Some(RuleTarget {
            caller: Some("EndUser".to_owned()),
            operations: vec![operations.to_owned()],
            level: Some("Assignment".to_owned()),
        })
    };
    let admin = |level: &str| {
        Some(RuleTarget {
            caller: Some("Admin".to_owned()),
            operations: vec!["All".to_owned()],
            level: Some(level.to_owned()),
        })
    };
    let at = |p: &Pointer| Origin::new(file, p.clone());
    let mut out = Vec::new();
    if let Some(d) = &s.activation_duration {
        out.push(PimRule {
            origin: at(&d.at),
            id: rule_ids::EXPIRATION_END_USER.to_owned(),
            target: end_user("All"),
            body: RuleBody::Expiration {
                is_expiration_required: Some(true),
                maximum_duration: Some(d.value.clone()),
            },
        });
    }
    if let Some(r) = &s.activation_requirement {
        out.push(PimRule {
            origin: at(&r.at),
            id: rule_ids::ENABLEMENT_END_USER.to_owned(),
            target: end_user("All"),
            body: RuleBody::Enablement {
                enabled_rules: r.value.clone(),
            },
        });
    }
    if let Some(r) = &s.active_assignment_requirement {
        out.push(PimRule {
            origin: at(&r.at),
            id: rule_ids::ENABLEMENT_ADMIN_ASSIGNMENT.to_owned(),
            target: admin("Assignment"),
            body: RuleBody::Enablement {
                enabled_rules: r.value.clone(),
            },
        });
    }
    if s.context_enabled.is_some() || s.context_value.is_some() {
        let enabled = s.context_enabled.as_ref().is_some_and(|e| e.value);
        // Located on the claim when one is required, else on the switch.
        let place = match (&s.context_value, &s.context_enabled) {
            (Some(v), _) if enabled => &v.at,
            (_, Some(e)) => &e.at,
            (Some(v), None) => &v.at,
            (None, None) => unreachable!("one of the two is set"),
        };
        out.push(PimRule {
            origin: at(place),
            id: rule_ids::AUTH_CONTEXT_END_USER.to_owned(),
            target: end_user("All"),
            body: RuleBody::AuthenticationContext {
                is_enabled: enabled,
                claim_value: s.context_value.as_ref().map(|v| v.value.clone()),
            },
        });
    }
    if s.approval_required.is_some() || s.approvers.is_some() {
        let place = match (&s.approval_required, &s.approvers) {
            (Some(r), _) => &r.at,
            (None, Some(a)) => &a.at,
            (None, None) => unreachable!("one of the two is set"),
        };
        let approvers = s
            .approvers
            .as_ref()
            .map(|a| a.value.clone())
            .unwrap_or_default();
        out.push(PimRule {
            origin: at(place),
            id: rule_ids::APPROVAL_END_USER.to_owned(),
            target: end_user("All"),
            body: RuleBody::Approval {
                setting: Some(ApprovalSettings {
                    is_approval_required: s.approval_required.as_ref().map(|r| r.value),
                    approval_mode: Some("SingleStage".to_owned()),
                    approval_stages: vec![ApprovalStage {
                        primary_approvers: approvers,
                        escalation_approvers: Vec::new(),
                    }],
                    ..Default::default()
                }),
            },
        });
    }
    let expiration =
        |id: &str, level: &str, permanent: &Option<Set<bool>>, duration: &Option<Set<String>>| {
            if permanent.is_none() && duration.is_none() {
                return None;
            }
            let place = permanent
                .as_ref()
                .map(|p| &p.at)
                .or(duration.as_ref().map(|d| &d.at))?;
            Some(PimRule {
                origin: at(place),
                id: id.to_owned(),
                target: admin(level),
                body: RuleBody::Expiration {
                    // EasyPIM takes a maximum duration without a word on permanence as "not
                    // permanent" (`Set-AutoPermanentFlags`).
                    is_expiration_required: Some(!permanent.as_ref().is_some_and(|p| p.value)),
                    maximum_duration: duration.as_ref().map(|d| d.value.clone()),
                },
            })
        };
    out.extend(expiration(
        rule_ids::EXPIRATION_ADMIN_ELIGIBILITY,
        "Eligibility",
        &s.permanent_eligibility,
        &s.eligibility_duration,
    ));
    out.extend(expiration(
        rule_ids::EXPIRATION_ADMIN_ASSIGNMENT,
        "Assignment",
        &s.permanent_active,
        &s.active_duration,
    ));
    if let Some(a) = &s.activation_alert {
        out.push(PimRule {
            origin: at(&a.at),
            id: rule_ids::NOTIFICATION_ADMIN_END_USER.to_owned(),
            target: Some(RuleTarget {
                caller: Some("EndUser".to_owned()),
                operations: vec!["All".to_owned()],
                level: Some("Assignment".to_owned()),
            }),
            body: RuleBody::Notification {
                recipient_type: Some("Admin".to_owned()),
                notification_level: a.value.level.clone(),
                is_default_recipients_enabled: a.value.default_recipients,
                notification_recipients: a.value.recipients.clone(),
            },
        });
    }
    out
}

impl Loader {
    /// Adds a declared policy, and the assignment that ties it to its role or group.
    pub(super) fn declared_policy(&mut self, d: Declared) {
        let file = d.origin.file;
        let policy_id = ObjectId::new(
            &d.id
                .unwrap_or_else(|| format!("{}_{}", d.tool, d.scope.key())),
        );
        let rules = rules(&d.settings, file);
        // The same policy, already made of rules written one by one (Microsoft365DSC's
        // `AADRoleManagementPolicyRule`): those rules stand, the settings add the others.
        if let Some(policy) = self.policy_mut(&policy_id) {
            let written: Vec<String> = policy.rules.iter().map(|r| r.id.clone()).collect();
            policy
                .rules
                .extend(rules.into_iter().filter(|r| !written.contains(&r.id)));
            return;
        }
        self.scoped_policy(d.origin, &d.scope, policy_id, rules);
    }

    /// The PIM policy the loader made under the id `id`, if it made one (and a failed file's
    /// rollback did not take it back).
    pub(super) fn policy_mut(&mut self, id: &ObjectId) -> Option<&mut RoleManagementPolicy> {
        let i = *self.made_policies.get(id)?;
        self.t
            .role_management_policies
            .get_mut(i)
            .filter(|p| p.id.as_ref() == Some(id))
    }

    /// A PIM policy of a role or a group, with the assignment that ties it to its scope.
    pub(super) fn scoped_policy(
        &mut self,
        origin: Origin,
        scope: &Scope,
        policy_id: ObjectId,
        rules: Vec<PimRule>,
    ) {
        let key = scope.key();
        let (scope_id, scope_type, role) = match scope {
            Scope::Role(role) => (ObjectId::new("/"), ScopeType::DirectoryRole, role.clone()),
            Scope::Group { group, access } => {
                (group.clone(), ScopeType::Group, ObjectId::new(access))
            }
        };
        self.count(Kind::RoleManagementPolicyAssignment);
        self.t
            .policy_assignments
            .push(RoleManagementPolicyAssignment {
                origin: origin.clone(),
                id: Some(ObjectId::new(&format!("{}_{key}", policy_id.as_str()))),
                policy_id: Some(policy_id.clone()),
                scope_id: Some(scope_id.clone()),
                scope_type: Some(scope_type.clone()),
                role_definition_id: Some(role),
            });
        self.count(Kind::RoleManagementPolicy);
        self.made_policies
            .insert(policy_id.clone(), self.t.role_management_policies.len());
        self.t.role_management_policies.push(RoleManagementPolicy {
            origin,
            id: Some(policy_id),
            display_name: None,
            scope_id: Some(scope_id),
            scope_type: Some(scope_type),
            is_organization_default: Some(false),
            rules,
        });
    }
}
