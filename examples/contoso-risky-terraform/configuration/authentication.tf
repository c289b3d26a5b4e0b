# Authentication strengths and contexts.

# Required by the CA106 pilot while FIDO2 is turned off in the authentication methods policy.
resource "azuread_authentication_strength_policy" "security_keys" {
  display_name         = "Security keys only"
  description          = "FIDO2 security keys for the admin pilot"
  allowed_combinations = ["fido2"]
}

# Written with the Graph provider so that the CA211 body can use its id. Password + push and a TAP
# satisfy it.
resource "msgraph_resource" "modern_mfa_tap" {
  url = "policies/authenticationStrengthPolicies"

  body = {
    displayName = "Modern MFA + TAP"
    description = "Authenticator push, FIDO2, Windows Hello for Business or a one-time Temporary Access Pass"
    allowedCombinations = [
      "fido2",
      "windowsHelloForBusiness",
      "temporaryAccessPassOneTime",
      "password,microsoftAuthenticatorPush",
    ]
  }
}

# Authentication contexts: the azuread provider has no resource for them.
resource "msgraph_update_resource" "context_c1" {
  url = "identity/conditionalAccess/authenticationContextClassReferences/c1"

  body = {
    displayName = "PIM elevation"
    description = "Step-up required to activate Tier 0 roles in PIM."
    isAvailable = true
  }
}

resource "msgraph_update_resource" "context_c2" {
  url = "identity/conditionalAccess/authenticationContextClassReferences/c2"

  body = {
    displayName = "Security operations elevation"
    description = "Step-up required to activate security operations roles in PIM."
    isAvailable = true
  }
}

resource "msgraph_update_resource" "context_c3" {
  url = "identity/conditionalAccess/authenticationContextClassReferences/c3"

  body = {
    displayName = "Helpdesk elevation"
    description = "Step-up required to activate user and helpdesk administration roles in PIM."
    isAvailable = true
  }
}

resource "msgraph_update_resource" "context_c4" {
  url = "identity/conditionalAccess/authenticationContextClassReferences/c4"

  body = {
    displayName = "Authentication admin elevation"
    description = "Step-up for Authentication Administrator activation"
    isAvailable = true
  }
}

resource "msgraph_update_resource" "context_c5" {
  url = "identity/conditionalAccess/authenticationContextClassReferences/c5"

  body = {
    displayName = "Finance app step-up"
    description = "For the finance reporting app (never onboarded)"
    isAvailable = true
  }
}
