//! Named sets of administrative roles. Peers disagree on which roles "admins" are, so entralint
//! names each set (reference peers §3, role profiles; template ids from formats §4.2).

use super::{
    norm, Analysis, GLOBAL_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
};
use crate::config::AdminProfile;
use entralint_parser::builtin::BUILT_IN_ROLES;
use std::collections::BTreeSet;

/// Secure Score "Require MFA for administrative roles": Security, Exchange, Global, Conditional
/// Access, SharePoint, Helpdesk, Billing, User and Authentication Administrator.
pub const SECURE_SCORE: [&str; 9] = [
    "194ae4cb-b126-40b2-bd5b-6091b380977d",
    "29232cdf-9323-42fd-ade2-1d097af3e4de",
    GLOBAL_ADMINISTRATOR,
    "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
    "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
    "729827e3-9c14-49f7-bb1b-9608f156bbb8",
    "b0f54661-2d74-4c50-afa3-1ec803f12efe",
    "fe930be7-5e62-47db-91af-98c3a49a38b1",
    "c4e39bd9-1100-46d3-8c65-fb160da0071f",
];

/// Microsoft's Conditional Access template "Require MFA for administrators": the Secure Score
/// nine plus Application, Cloud Application, Password, Privileged Authentication and Privileged
/// Role Administrator.
pub const MICROSOFT_14: [&str; 14] = [
    "194ae4cb-b126-40b2-bd5b-6091b380977d",
    "29232cdf-9323-42fd-ade2-1d097af3e4de",
    GLOBAL_ADMINISTRATOR,
    "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
    "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
    "729827e3-9c14-49f7-bb1b-9608f156bbb8",
    "b0f54661-2d74-4c50-afa3-1ec803f12efe",
    "fe930be7-5e62-47db-91af-98c3a49a38b1",
    "c4e39bd9-1100-46d3-8c65-fb160da0071f",
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    "158c047a-c907-4556-b7ef-446551a6b5f7",
    "966707d0-3269-4727-9be2-8c3a10f19b9d",
    PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
];

/// ScubaGear's highly privileged roles (CISA baseline): Global, Privileged Role, User, SharePoint,
/// Exchange, Hybrid Identity, Application and Cloud Application Administrator.
pub const CISA_8: [&str; 8] = [
    GLOBAL_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
    "fe930be7-5e62-47db-91af-98c3a49a38b1",
    "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
    "29232cdf-9323-42fd-ade2-1d097af3e4de",
    "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    "158c047a-c907-4556-b7ef-446551a6b5f7",
];

impl Analysis<'_> {
    /// The role ids (lower-case) of a profile. `Privileged` is every role with `isPrivileged` in
    /// the exported definitions, and Microsoft's privileged built-in roles otherwise.
    pub fn profile_roles(&self, profile: AdminProfile) -> BTreeSet<String> {
        match profile {
            AdminProfile::SecureScore => SECURE_SCORE.iter().map(|r| norm(r)).collect(),
            AdminProfile::Microsoft14 => MICROSOFT_14.iter().map(|r| norm(r)).collect(),
            AdminProfile::Cisa8 => CISA_8.iter().map(|r| norm(r)).collect(),
            AdminProfile::Privileged => {
                let exported = self
                    .tenant
                    .role_definitions
                    .iter()
                    .filter_map(|d| d.template_id.as_deref().or(d.id.as_deref()));
                exported
                    .chain(BUILT_IN_ROLES.iter().map(|r| r.0))
                    .filter(|r| self.is_privileged(r))
                    .map(norm)
                    .collect()
            }
        }
    }

    /// The profile ADM001 checks: the configured one, else Secure Score's nine roles.
    pub fn mfa_profile(&self) -> (AdminProfile, BTreeSet<String>) {
        let p = self
            .config
            .admin_profile
            .unwrap_or(AdminProfile::SecureScore);
        (p, self.profile_roles(p))
    }

    /// The roles ADM002 checks: the configured profile, else the tenant-takeover roles together
    /// with the CISA and Microsoft template sets (reference peers §3.2).
    pub fn phishing_resistant_profile(&self) -> BTreeSet<String> {
        match self.config.admin_profile {
            Some(p) => self.profile_roles(p),
            None => super::TIER0
                .iter()
                .chain(CISA_8.iter())
                .chain(MICROSOFT_14.iter())
                .map(|r| norm(r))
                .collect(),
        }
    }
}
