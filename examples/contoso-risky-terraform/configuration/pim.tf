# PIM: each directory role's activation rules, written with the Graph provider (the azuread
# provider has no resource for a directory role's PIM policy). Each role's policy is found with a
# data source reading policies/roleManagementPolicyAssignments filtered by the role.

# Global Administrator: its PIM policy, found by role. Activation asks only for an MFA claim: no
# authentication context. Approval is required, but its only approver is Alice Admin, the eligible
# requester.
data "msgraph_resource" "global_administrator_policy" {
  url = "policies/roleManagementPolicyAssignments"

  query_parameters = {
    "$filter" = [
      "scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'",
    ]
  }

  response_export_values = {
    policy_id = "value[0].policyId"
  }
}

resource "msgraph_update_resource" "global_administrator_activation_duration" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.global_administrator_policy.output.policy_id}/rules/Expiration_EndUser_Assignment"

  body = {
    "@odata.type"        = "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule"
    id                   = "Expiration_EndUser_Assignment"
    isExpirationRequired = true
    maximumDuration      = "PT8H"
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "global_administrator_activation_requirements" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.global_administrator_policy.output.policy_id}/rules/Enablement_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule"
    id            = "Enablement_EndUser_Assignment"
    enabledRules  = ["MultiFactorAuthentication", "Justification"]
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "global_administrator_activation_context" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.global_administrator_policy.output.policy_id}/rules/AuthenticationContext_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule"
    id            = "AuthenticationContext_EndUser_Assignment"
    isEnabled     = false
    claimValue    = ""
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "global_administrator_activation_approval" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.global_administrator_policy.output.policy_id}/rules/Approval_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule"
    id            = "Approval_EndUser_Assignment"
    setting = {
      isApprovalRequired               = true
      isApprovalRequiredForExtension   = false
      isRequestorJustificationRequired = true
      approvalMode                     = "SingleStage"
      approvalStages = [
        {
          approvalStageTimeOutInDays      = 1
          isApproverJustificationRequired = true
          escalationTimeInMinutes         = 0
          isEscalationEnabled             = false
          primaryApprovers = [
            {
              "@odata.type" = "#microsoft.graph.singleUser"
              userId        = data.azuread_user.alice.object_id
            },
          ]
          escalationApprovers = []
        },
      ]
    }
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

# Privileged Role Administrator: its PIM policy, found by role. Activation asks for a
# justification only: no MFA, no context, no approval.
data "msgraph_resource" "privileged_role_administrator_policy" {
  url = "policies/roleManagementPolicyAssignments"

  query_parameters = {
    "$filter" = [
      "scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq 'e8611ab8-c189-46e8-94e1-60213ab1f814'",
    ]
  }

  response_export_values = {
    policy_id = "value[0].policyId"
  }
}

resource "msgraph_update_resource" "privileged_role_administrator_activation_duration" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.privileged_role_administrator_policy.output.policy_id}/rules/Expiration_EndUser_Assignment"

  body = {
    "@odata.type"        = "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule"
    id                   = "Expiration_EndUser_Assignment"
    isExpirationRequired = true
    maximumDuration      = "PT8H"
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "privileged_role_administrator_activation_requirements" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.privileged_role_administrator_policy.output.policy_id}/rules/Enablement_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule"
    id            = "Enablement_EndUser_Assignment"
    enabledRules  = ["Justification"]
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "privileged_role_administrator_activation_context" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.privileged_role_administrator_policy.output.policy_id}/rules/AuthenticationContext_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule"
    id            = "AuthenticationContext_EndUser_Assignment"
    isEnabled     = false
    claimValue    = ""
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "privileged_role_administrator_activation_approval" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.privileged_role_administrator_policy.output.policy_id}/rules/Approval_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule"
    id            = "Approval_EndUser_Assignment"
    setting = {
      isApprovalRequired               = false
      isApprovalRequiredForExtension   = false
      isRequestorJustificationRequired = true
      approvalMode                     = "SingleStage"
      approvalStages                   = []
    }
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

# Security Administrator: its PIM policy, found by role. Requires context c2, which exists, but no
# Conditional Access policy targets it.
data "msgraph_resource" "security_administrator_policy" {
  url = "policies/roleManagementPolicyAssignments"

  query_parameters = {
    "$filter" = [
      "scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '194ae4cb-b126-40b2-bd5b-6091b380977d'",
    ]
  }

  response_export_values = {
    policy_id = "value[0].policyId"
  }
}

resource "msgraph_update_resource" "security_administrator_activation_duration" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.security_administrator_policy.output.policy_id}/rules/Expiration_EndUser_Assignment"

  body = {
    "@odata.type"        = "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule"
    id                   = "Expiration_EndUser_Assignment"
    isExpirationRequired = true
    maximumDuration      = "PT8H"
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "security_administrator_activation_requirements" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.security_administrator_policy.output.policy_id}/rules/Enablement_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule"
    id            = "Enablement_EndUser_Assignment"
    enabledRules  = ["Justification"]
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "security_administrator_activation_context" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.security_administrator_policy.output.policy_id}/rules/AuthenticationContext_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule"
    id            = "AuthenticationContext_EndUser_Assignment"
    isEnabled     = true
    claimValue    = "c2"
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "security_administrator_activation_approval" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.security_administrator_policy.output.policy_id}/rules/Approval_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule"
    id            = "Approval_EndUser_Assignment"
    setting = {
      isApprovalRequired               = false
      isApprovalRequiredForExtension   = false
      isRequestorJustificationRequired = true
      approvalMode                     = "SingleStage"
      approvalStages                   = []
    }
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

# Privileged Authentication Administrator: its PIM policy, found by role. Context c1 is enforced
# by CA210, which grants with plain MFA.
data "msgraph_resource" "privileged_authentication_administrator_policy" {
  url = "policies/roleManagementPolicyAssignments"

  query_parameters = {
    "$filter" = [
      "scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '7be44c8a-adaf-4e2a-84d6-ab2649e08a13'",
    ]
  }

  response_export_values = {
    policy_id = "value[0].policyId"
  }
}

resource "msgraph_update_resource" "privileged_authentication_administrator_activation_duration" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.privileged_authentication_administrator_policy.output.policy_id}/rules/Expiration_EndUser_Assignment"

  body = {
    "@odata.type"        = "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule"
    id                   = "Expiration_EndUser_Assignment"
    isExpirationRequired = true
    maximumDuration      = "PT8H"
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "privileged_authentication_administrator_activation_requirements" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.privileged_authentication_administrator_policy.output.policy_id}/rules/Enablement_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule"
    id            = "Enablement_EndUser_Assignment"
    enabledRules  = ["Justification"]
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "privileged_authentication_administrator_activation_context" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.privileged_authentication_administrator_policy.output.policy_id}/rules/AuthenticationContext_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule"
    id            = "AuthenticationContext_EndUser_Assignment"
    isEnabled     = true
    claimValue    = "c1"
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "privileged_authentication_administrator_activation_approval" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.privileged_authentication_administrator_policy.output.policy_id}/rules/Approval_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule"
    id            = "Approval_EndUser_Assignment"
    setting = {
      isApprovalRequired               = false
      isApprovalRequiredForExtension   = false
      isRequestorJustificationRequired = true
      approvalMode                     = "SingleStage"
      approvalStages                   = []
    }
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

# User Administrator: its PIM policy, found by role. Context c3 is enforced by CA211 with the
# custom strength "Modern MFA + TAP".
data "msgraph_resource" "user_administrator_policy" {
  url = "policies/roleManagementPolicyAssignments"

  query_parameters = {
    "$filter" = [
      "scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq 'fe930be7-5e62-47db-91af-98c3a49a38b1'",
    ]
  }

  response_export_values = {
    policy_id = "value[0].policyId"
  }
}

resource "msgraph_update_resource" "user_administrator_activation_duration" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.user_administrator_policy.output.policy_id}/rules/Expiration_EndUser_Assignment"

  body = {
    "@odata.type"        = "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule"
    id                   = "Expiration_EndUser_Assignment"
    isExpirationRequired = true
    maximumDuration      = "PT8H"
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "user_administrator_activation_requirements" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.user_administrator_policy.output.policy_id}/rules/Enablement_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule"
    id            = "Enablement_EndUser_Assignment"
    enabledRules  = ["Justification"]
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "user_administrator_activation_context" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.user_administrator_policy.output.policy_id}/rules/AuthenticationContext_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule"
    id            = "AuthenticationContext_EndUser_Assignment"
    isEnabled     = true
    claimValue    = "c3"
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "user_administrator_activation_approval" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.user_administrator_policy.output.policy_id}/rules/Approval_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule"
    id            = "Approval_EndUser_Assignment"
    setting = {
      isApprovalRequired               = false
      isApprovalRequiredForExtension   = false
      isRequestorJustificationRequired = true
      approvalMode                     = "SingleStage"
      approvalStages                   = []
    }
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

# Conditional Access Administrator: its PIM policy, found by role. Requires context c9, which the
# tenant does not define.
data "msgraph_resource" "conditional_access_administrator_policy" {
  url = "policies/roleManagementPolicyAssignments"

  query_parameters = {
    "$filter" = [
      "scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9'",
    ]
  }

  response_export_values = {
    policy_id = "value[0].policyId"
  }
}

resource "msgraph_update_resource" "conditional_access_administrator_activation_duration" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.conditional_access_administrator_policy.output.policy_id}/rules/Expiration_EndUser_Assignment"

  body = {
    "@odata.type"        = "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule"
    id                   = "Expiration_EndUser_Assignment"
    isExpirationRequired = true
    maximumDuration      = "PT8H"
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "conditional_access_administrator_activation_requirements" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.conditional_access_administrator_policy.output.policy_id}/rules/Enablement_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule"
    id            = "Enablement_EndUser_Assignment"
    enabledRules  = ["Justification"]
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "conditional_access_administrator_activation_context" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.conditional_access_administrator_policy.output.policy_id}/rules/AuthenticationContext_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule"
    id            = "AuthenticationContext_EndUser_Assignment"
    isEnabled     = true
    claimValue    = "c9"
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "conditional_access_administrator_activation_approval" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.conditional_access_administrator_policy.output.policy_id}/rules/Approval_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule"
    id            = "Approval_EndUser_Assignment"
    setting = {
      isApprovalRequired               = false
      isApprovalRequiredForExtension   = false
      isRequestorJustificationRequired = true
      approvalMode                     = "SingleStage"
      approvalStages                   = []
    }
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

# Authentication Administrator: its PIM policy, found by role. Context c4's only policy, CA212, is
# report-only.
data "msgraph_resource" "authentication_administrator_policy" {
  url = "policies/roleManagementPolicyAssignments"

  query_parameters = {
    "$filter" = [
      "scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq 'c4e39bd9-1100-46d3-8c65-fb160da0071f'",
    ]
  }

  response_export_values = {
    policy_id = "value[0].policyId"
  }
}

resource "msgraph_update_resource" "authentication_administrator_activation_duration" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.authentication_administrator_policy.output.policy_id}/rules/Expiration_EndUser_Assignment"

  body = {
    "@odata.type"        = "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule"
    id                   = "Expiration_EndUser_Assignment"
    isExpirationRequired = true
    maximumDuration      = "PT8H"
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "authentication_administrator_activation_requirements" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.authentication_administrator_policy.output.policy_id}/rules/Enablement_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule"
    id            = "Enablement_EndUser_Assignment"
    enabledRules  = ["Justification"]
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "authentication_administrator_activation_context" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.authentication_administrator_policy.output.policy_id}/rules/AuthenticationContext_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule"
    id            = "AuthenticationContext_EndUser_Assignment"
    isEnabled     = true
    claimValue    = "c4"
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

resource "msgraph_update_resource" "authentication_administrator_activation_approval" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.authentication_administrator_policy.output.policy_id}/rules/Approval_EndUser_Assignment"

  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule"
    id            = "Approval_EndUser_Assignment"
    setting = {
      isApprovalRequired               = false
      isApprovalRequiredForExtension   = false
      isRequestorJustificationRequired = true
      approvalMode                     = "SingleStage"
      approvalStages                   = []
    }
    target = {
      caller     = "EndUser"
      level      = "Assignment"
      operations = ["All"]
    }
  }
}

# PIM for Groups: membership of PIM-SecurityOps (which holds Security Administrator) is activated
# on an MFA claim.
resource "azuread_group_role_management_policy" "pim_securityops_member" {
  group_id = data.azuread_group.pim_securityops.object_id
  role_id  = "member"

  activation_rules {
    maximum_duration                   = "PT8H"
    require_approval                   = false
    require_justification              = true
    require_multifactor_authentication = true
  }

  eligible_assignment_rules {
    expiration_required = false
  }
}
