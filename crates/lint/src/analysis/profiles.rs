//! Named sets of administrative roles. Which roles count as "admins" differs between Microsoft's
//! own products and baselines, so entralint names each set and lets the configuration choose
//! (`[roles] admin-profile`).

use super::{Analysis, TENANT_TAKEOVER_ROLES};
use crate::settings::AdminProfile;
use entralint_parser::builtin::role::*;
use entralint_parser::builtin::BUILT_IN_ROLES;
use entralint_parser::ObjectId;
use std::collections::BTreeSet;

/// The roles of Microsoft Secure Score's improvement action "Require MFA for administrative
/// roles".
pub const SECURE_SCORE: [ObjectId; 9] = [
    SECURITY_ADMINISTRATOR,
    EXCHANGE_ADMINISTRATOR,
    GLOBAL_ADMINISTRATOR,
    CONDITIONAL_ACCESS_ADMINISTRATOR,
    SHAREPOINT_ADMINISTRATOR,
    HELPDESK_ADMINISTRATOR,
    BILLING_ADMINISTRATOR,
    USER_ADMINISTRATOR,
    AUTHENTICATION_ADMINISTRATOR,
];

/// The roles Microsoft's Conditional Access policy "Require multifactor authentication for
/// administrators" adds to [`SECURE_SCORE`]; together they make the `microsoft-14` profile.
/// <https://learn.microsoft.com/entra/identity/conditional-access/howto-conditional-access-policy-admin-mfa>
pub const MICROSOFT_14_BEYOND_SECURE_SCORE: [ObjectId; 5] = [
    APPLICATION_ADMINISTRATOR,
    CLOUD_APPLICATION_ADMINISTRATOR,
    PASSWORD_ADMINISTRATOR,
    PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
];

/// The highly privileged roles of CISA's Secure Cloud Business Applications baseline for Entra ID
/// (`cisa-8`), as ScubaGear checks them
/// (<https://github.com/cisagov/ScubaGear/blob/main/baselines/aad.md>).
pub const CISA_8: [ObjectId; 8] = [
    GLOBAL_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
    USER_ADMINISTRATOR,
    SHAREPOINT_ADMINISTRATOR,
    EXCHANGE_ADMINISTRATOR,
    HYBRID_IDENTITY_ADMINISTRATOR,
    APPLICATION_ADMINISTRATOR,
    CLOUD_APPLICATION_ADMINISTRATOR,
];

impl Analysis<'_> {
    /// The role ids of a profile. `Privileged` is every role with `isPrivileged` in the exported
    /// definitions, and Microsoft's privileged built-in roles otherwise.
    pub fn profile_roles(&self, profile: AdminProfile) -> BTreeSet<ObjectId> {
        match profile {
            AdminProfile::SecureScore => SECURE_SCORE.iter().cloned().collect(),
            AdminProfile::Microsoft14 => SECURE_SCORE
                .iter()
                .chain(&MICROSOFT_14_BEYOND_SECURE_SCORE)
                .cloned()
                .collect(),
            AdminProfile::Cisa8 => CISA_8.iter().cloned().collect(),
            AdminProfile::Privileged => {
                let exported = self
                    .tenant
                    .role_definitions
                    .iter()
                    .filter_map(|d| d.template_id.as_ref().or(d.id.as_ref()));
                exported
                    .chain(BUILT_IN_ROLES.iter().map(|r| &r.id))
                    .filter(|r| self.is_privileged(r))
                    .cloned()
                    .collect()
            }
        }
    }

    /// The profile ADM001 checks: the configured one, else `microsoft-14`, which holds the
    /// tenant-takeover roles (Secure Score's nine leave out Privileged Role Administrator and
    /// Privileged Authentication Administrator, who can make anyone a Global Administrator).
    pub fn mfa_profile(&self) -> (AdminProfile, BTreeSet<ObjectId>) {
        let p = self
            .facts
            .admin_profile
            .unwrap_or(AdminProfile::Microsoft14);
        (p, self.profile_roles(p))
    }

    /// The roles ADM002 checks, and how messages name them: the configured profile, else the
    /// tenant-takeover roles together with the `cisa-8` and `microsoft-14` sets.
    pub fn phishing_resistant_profile(&self) -> (&'static str, BTreeSet<ObjectId>) {
        match self.facts.admin_profile {
            Some(p) => (p.as_str(), self.profile_roles(p)),
            None => (
                "tier-0, cisa-8 and microsoft-14",
                TENANT_TAKEOVER_ROLES
                    .iter()
                    .chain(&CISA_8)
                    .cloned()
                    .chain(self.profile_roles(AdminProfile::Microsoft14))
                    .collect(),
            ),
        }
    }
}
