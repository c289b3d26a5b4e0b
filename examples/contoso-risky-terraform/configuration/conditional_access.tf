# Conditional Access policies.

# Covers Exchange ActiveSync only: `other` clients (IMAP, POP, SMTP AUTH) still sign in with a
# password.
resource "azuread_conditional_access_policy" "block_legacy" {
  display_name = "CA001 - All users - Block legacy authentication"
  state        = var.enforce_state

  conditions {
    client_app_types = ["exchangeActiveSync"]

    applications {
      included_applications = ["All"]
    }

    users {
      included_users  = ["All"]
      excluded_groups = [data.azuread_group.breakglass.object_id]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["block"]
  }
}

# `OR` over MFA and a compliant device: an admin on a compliant laptop signs in with a password
# alone.
resource "azuread_conditional_access_policy" "admins_mfa" {
  display_name = "CA100 - Admins - Require MFA"
  state        = var.enforce_state

  conditions {
    client_app_types = ["all"]

    applications {
      included_applications = ["All"]
    }

    users {
      excluded_groups = [
        data.azuread_group.breakglass.object_id,
        data.azuread_group.service_accounts.object_id,
      ]

      included_roles = var.admin_roles
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["mfa", "compliantDevice"]
  }
}

# Skips the trusted named location "Contoso HQ egress" (4d5e6f70-0001-…); excludes Frank Fischer
# and a deleted contractor.
resource "azuread_conditional_access_policy" "all_users_mfa" {
  display_name = "CA102 - All users - Require MFA outside trusted locations"
  state        = var.enforce_state

  conditions {
    client_app_types = ["all"]

    applications {
      included_applications = ["All"]
    }

    locations {
      included_locations = ["All"]
      excluded_locations = ["4d5e6f70-0001-4000-8000-000000000001"]
    }

    users {
      included_users = ["All"]
      excluded_users = [data.azuread_user.frank.object_id, "1a2b3c4d-0008-4000-8000-000000000008"]

      excluded_groups = [
        data.azuread_group.breakglass.object_id,
        data.azuread_group.service_accounts.object_id,
      ]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["mfa"]
  }
}

# Report-only, and without the break-glass exclusion. The strength is the built-in
# Phishing-resistant MFA.
resource "azuread_conditional_access_policy" "admins_phishing_resistant" {
  display_name = "CA105 - Admins - Require phishing-resistant MFA"
  state        = "enabledForReportingButNotEnforced"

  conditions {
    client_app_types = ["all"]

    applications {
      included_applications = ["All"]
    }

    users {
      excluded_groups = [data.azuread_group.service_accounts.object_id]
      included_roles  = var.all_admin_roles
    }
  }

  grant_controls {
    operator                          = "OR"
    authentication_strength_policy_id = "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004"
  }
}

resource "azuread_conditional_access_policy" "admins_security_keys" {
  display_name = "CA106 - Admins - Security keys (pilot)"
  state        = "enabledForReportingButNotEnforced"

  conditions {
    client_app_types = ["all"]

    applications {
      included_applications = ["All"]
    }

    users {
      excluded_groups = [data.azuread_group.service_accounts.object_id]
      included_roles  = var.all_admin_roles
    }
  }

  grant_controls {
    operator                          = "OR"
    authentication_strength_policy_id = azuread_authentication_strength_policy.security_keys.id
  }
}

# Staged with `None` as its users and enabled as it stood: it applies to nobody.
resource "azuread_conditional_access_policy" "contractors_compliant" {
  display_name = "CA300 - Contractors - Require compliant device"
  state        = var.enforce_state

  conditions {
    client_app_types = ["all"]

    applications {
      included_applications = ["All"]
    }

    users {
      included_users = ["None"]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["compliantDevice"]
  }
}

# Authentication-context policies are written with the Graph provider:
# azuread_conditional_access_policy has no field for them. CA210 grants with plain MFA, leans on
# sign-in frequency "every time", and skips the trusted location.
resource "msgraph_resource" "pim_elevation" {
  url = "identity/conditionalAccess/policies"

  body = {
    displayName = "CA210 - PIM elevation - require MFA"
    state       = var.enforce_state
    conditions = {
      clientAppTypes = ["all"]
      applications = {
        includeAuthenticationContextClassReferences = ["c1"]
      }
      users = {
        includeGroups = [data.azuread_group.pim_elevation_users.object_id]
        excludeGroups = [data.azuread_group.breakglass.object_id]
      }
      locations = {
        includeLocations = ["All"]
        excludeLocations = ["4d5e6f70-0001-4000-8000-000000000001"]
      }
    }
    grantControls = {
      operator        = "OR"
      builtInControls = ["mfa"]
    }
    sessionControls = {
      signInFrequency = {
        isEnabled          = true
        frequencyInterval  = "everyTime"
        authenticationType = "primaryAndSecondaryAuthentication"
      }
    }
  }
}

# Scoped to the User Administrator role itself, which nobody holds while activating it; its
# strength accepts password + push.
resource "msgraph_resource" "helpdesk_elevation" {
  url = "identity/conditionalAccess/policies"

  body = {
    displayName = "CA211 - Helpdesk elevation - Modern MFA"
    state       = var.enforce_state
    conditions = {
      clientAppTypes = ["all"]
      applications = {
        includeAuthenticationContextClassReferences = ["c3"]
      }
      users = {
        includeRoles  = ["fe930be7-5e62-47db-91af-98c3a49a38b1"]
        excludeGroups = [data.azuread_group.breakglass.object_id]
      }
    }
    grantControls = {
      operator = "OR"
      authenticationStrength = {
        id = msgraph_resource.modern_mfa_tap.id
      }
    }
  }
}

# Report-only: context c4 has no enforced policy.
resource "msgraph_resource" "authentication_admin_elevation" {
  url = "identity/conditionalAccess/policies"

  body = {
    displayName = "CA212 - Authentication admin elevation - phishing-resistant (pilot)"
    state       = "enabledForReportingButNotEnforced"
    conditions = {
      clientAppTypes = ["all"]
      applications = {
        includeAuthenticationContextClassReferences = ["c4"]
      }
      users = {
        includeUsers  = ["All"]
        excludeGroups = [data.azuread_group.breakglass.object_id]
      }
    }
    grantControls = {
      operator = "OR"
      authenticationStrength = {
        id = "00000000-0000-0000-0000-000000000004"
      }
    }
  }
}
