# Groups and users the policies name, read by display name and user principal name.

# The emergency-access accounts' group: excluded from every policy.
data "azuread_group" "breakglass" {
  display_name = "CA-Exclude-BreakGlass"
}

# Not role-assignable, owned by Frank Fischer: anyone who can manage it can exclude themselves.
data "azuread_group" "service_accounts" {
  display_name = "CA-Exclude-ServiceAccounts"
}

# A plain security group the CA210 step-up policy is scoped to.
data "azuread_group" "pim_elevation_users" {
  display_name = "PIM-Elevation-Users"
}

# Holds Security Administrator; its membership is activated in PIM.
data "azuread_group" "pim_securityops" {
  display_name = "PIM-SecurityOps"
}

# Eligible for Global Administrator, and its only approver.
data "azuread_user" "alice" {
  user_principal_name = "alice.admin@contoso.com"
}

# Excluded from CA102: neither a break-glass nor a service account.
data "azuread_user" "frank" {
  user_principal_name = "frank.fischer@contoso.com"
}
