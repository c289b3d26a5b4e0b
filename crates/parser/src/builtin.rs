//! Objects every tenant has without exporting them: the built-in authentication strengths and the
//! built-in directory roles; and the special values Graph accepts where ids belong.

use crate::id::ObjectId;
use crate::model::{AuthenticationStrength, Flags};

/// The values a Conditional Access policy's user lists (`includeUsers`, `excludeUsers`) accept
/// in place of user ids: they name sets of users, never an account. Source: Microsoft Graph v1.0,
/// conditionalAccessUsers resource type,
/// <https://learn.microsoft.com/graph/api/resources/conditionalaccessusers>.
pub const SPECIAL_USERS: [&str; 3] = ["All", "None", "GuestsOrExternalUsers"];

/// Whether a value of a user list is one of [`SPECIAL_USERS`] (matched ignoring case and
/// surrounding spaces, as Graph reads them) rather than an id.
pub fn is_special_user(value: &str) -> bool {
    let value = value.trim();
    SPECIAL_USERS.iter().any(|s| s.eq_ignore_ascii_case(value))
}

/// The built-in authentication strengths (same ids in every tenant, `policyType: builtIn`).
/// Source: Microsoft Graph v1.0 "List policies" (`authenticationStrengthRoot`), example response,
/// <https://learn.microsoft.com/graph/api/authenticationstrengthroot-list-policies>. Microsoft adds
/// methods to the built-in strengths over time, which is why strengths resolve by id.
pub const BUILT_IN_STRENGTHS: [(&str, &str, &[&str]); 3] = [
    (
        "00000000-0000-0000-0000-000000000002",
        "Multifactor authentication",
        &[
            "windowsHelloForBusiness",
            "fido2",
            "x509CertificateMultiFactor",
            "deviceBasedPush",
            "temporaryAccessPassOneTime",
            "temporaryAccessPassMultiUse",
            "password,microsoftAuthenticatorPush",
            "password,softwareOath",
            "password,hardwareOath",
            "password,x509CertificateSingleFactor",
            "password,x509CertificateMultiFactor",
            "password,sms",
            "password,voice",
            "federatedMultiFactor",
            "microsoftAuthenticatorPush,federatedSingleFactor",
            "softwareOath,federatedSingleFactor",
            "hardwareOath,federatedSingleFactor",
            "sms,federatedSingleFactor",
            "voice,federatedSingleFactor",
        ],
    ),
    (
        "00000000-0000-0000-0000-000000000003",
        "Passwordless MFA",
        &[
            "windowsHelloForBusiness",
            "fido2",
            "x509CertificateMultiFactor",
            "deviceBasedPush",
        ],
    ),
    (
        "00000000-0000-0000-0000-000000000004",
        "Phishing-resistant MFA",
        &[
            "windowsHelloForBusiness",
            "fido2",
            "x509CertificateMultiFactor",
        ],
    ),
];

/// A built-in strength as a model object (no origin: it is not in any file).
pub fn built_in_strength(id: &str) -> Option<AuthenticationStrength> {
    let (id, name, combos) = BUILT_IN_STRENGTHS
        .iter()
        .find(|(i, _, _)| i.eq_ignore_ascii_case(id))?;
    Some(AuthenticationStrength {
        id: Some(ObjectId::new(id)),
        display_name: Some((*name).to_owned()),
        policy_type: Some("builtIn".to_owned()),
        requirements_satisfied: Flags(vec!["mfa".to_owned()]),
        allowed_combinations: combos
            .iter()
            .map(|c| Flags(c.split(',').map(str::to_owned).collect()))
            .collect(),
        ..Default::default()
    })
}

/// Declares the built-in directory roles: one named constant per role in [`role`], and the
/// [`BUILT_IN_ROLES`] table with display names and Microsoft's PRIVILEGED label.
macro_rules! built_in_roles {
    ($($constant:ident = $id:literal, $name:literal, $privileged:literal;)+) => {
        /// Template ids of the built-in directory roles entralint names, one constant per role.
        pub mod role {
            use crate::id::ObjectId;
            $(#[doc = $name] pub const $constant: ObjectId = ObjectId::from_static($id);)+
        }

        /// Built-in directory roles entralint names, with Microsoft's PRIVILEGED label: the 34
        /// privileged roles, then common admin and sync roles. Source: Microsoft Entra built-in
        /// roles, <https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference>.
        pub static BUILT_IN_ROLES: [BuiltInRole; [$($id),+].len()] = [
            $(BuiltInRole { id: role::$constant, name: $name, privileged: $privileged },)+
        ];
    };
}

/// A built-in directory role: its template id (the same in every tenant), display name, and
/// whether Microsoft labels it PRIVILEGED.
#[derive(Debug, Clone)]
pub struct BuiltInRole {
    pub id: ObjectId,
    pub name: &'static str,
    pub privileged: bool,
}

built_in_roles! {
    AGENT_ID_ADMINISTRATOR = "db506228-d27e-4b7d-95e5-295956d6615f", "Agent ID Administrator", true;
    AI_ADMINISTRATOR = "d2562ede-74db-457e-a7b6-544e236ebb61", "AI Administrator", true;
    AI_READER = "1fe13547-53f6-408d-ac04-7f8eed167b38", "AI Reader", true;
    APPLICATION_ADMINISTRATOR = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator", true;
    APPLICATION_DEVELOPER = "cf1c38e5-3621-4004-a7cb-879624dced7c", "Application Developer", true;
    ATTRIBUTE_PROVISIONING_ADMINISTRATOR = "ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe", "Attribute Provisioning Administrator", true;
    ATTRIBUTE_PROVISIONING_READER = "422218e4-db15-4ef9-bbe0-8afb41546d79", "Attribute Provisioning Reader", true;
    AUTHENTICATION_ADMINISTRATOR = "c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator", true;
    AUTHENTICATION_EXTENSIBILITY_ADMINISTRATOR = "25a516ed-2fa0-40ea-a2d0-12923a21473a", "Authentication Extensibility Administrator", true;
    AUTHENTICATION_EXTENSIBILITY_PASSWORD_ADMINISTRATOR = "0b00bede-4072-4d22-b441-e7df02a1ef63", "Authentication Extensibility Password Administrator", true;
    B2C_IEF_KEYSET_ADMINISTRATOR = "aaf43236-0c0d-4d5f-883a-6955382ac081", "B2C IEF Keyset Administrator", true;
    CLOUD_APPLICATION_ADMINISTRATOR = "158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator", true;
    CLOUD_DEVICE_ADMINISTRATOR = "7698a772-787b-4ac8-901f-60d6b08affd2", "Cloud Device Administrator", true;
    CONDITIONAL_ACCESS_ADMINISTRATOR = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator", true;
    DIRECTORY_WRITERS = "9360feb5-f418-4baa-8175-e2a00bac4301", "Directory Writers", true;
    DOMAIN_NAME_ADMINISTRATOR = "8329153b-31d0-4727-b945-745eb3bc5f31", "Domain Name Administrator", true;
    EXTERNAL_IDENTITY_PROVIDER_ADMINISTRATOR = "be2f45a1-457d-42af-a067-6ec1fa63bc45", "External Identity Provider Administrator", true;
    GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10", "Global Administrator", true;
    GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader", true;
    HELPDESK_ADMINISTRATOR = "729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator", true;
    HYBRID_IDENTITY_ADMINISTRATOR = "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", "Hybrid Identity Administrator", true;
    IDENTITY_GOVERNANCE_ADMINISTRATOR = "45d8d3c5-c802-45c6-b32a-1d70b5e1e86e", "Identity Governance Administrator", true;
    INTUNE_ADMINISTRATOR = "3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator", true;
    LIFECYCLE_WORKFLOWS_ADMINISTRATOR = "59d46f88-662b-457b-bceb-5c3809e5908f", "Lifecycle Workflows Administrator", true;
    PARTNER_TIER1_SUPPORT = "4ba39ca4-527c-499a-b93d-d9b492c50246", "Partner Tier1 Support", true;
    PARTNER_TIER2_SUPPORT = "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8", "Partner Tier2 Support", true;
    PASSWORD_ADMINISTRATOR = "966707d0-3269-4727-9be2-8c3a10f19b9d", "Password Administrator", true;
    PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator", true;
    PRIVILEGED_ROLE_ADMINISTRATOR = "e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator", true;
    SECURITY_ADMINISTRATOR = "194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator", true;
    SECURITY_OPERATOR = "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", "Security Operator", true;
    SECURITY_READER = "5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader", true;
    TENANT_GOVERNANCE_ADMINISTRATOR = "1981f584-96e9-4a6f-95b0-f522373f8fae", "Tenant Governance Administrator", true;
    USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator", true;
    EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", false;
    SHAREPOINT_ADMINISTRATOR = "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator", false;
    BILLING_ADMINISTRATOR = "b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator", false;
    AUTHENTICATION_POLICY_ADMINISTRATOR = "0526716b-113d-4c15-b2c8-68e3c22b9f80", "Authentication Policy Administrator", false;
    COMPLIANCE_ADMINISTRATOR = "17315797-102d-40b4-93e0-432062caca18", "Compliance Administrator", false;
    TEAMS_ADMINISTRATOR = "69091246-20e8-4a56-aa4d-066075b2a7a8", "Teams Administrator", false;
    GROUPS_ADMINISTRATOR = "fdd7a751-b60b-444a-984c-02652fe8fa1c", "Groups Administrator", false;
    GUEST_INVITER = "95e79109-95c0-4d8e-aee3-d01accf2d47b", "Guest Inviter", false;
    DIRECTORY_SYNCHRONIZATION_ACCOUNTS = "d29b2b05-8046-44ba-8758-1e26182fcf32", "Directory Synchronization Accounts", false;
    ON_PREMISES_DIRECTORY_SYNC_ACCOUNT = "a92aed5d-d78a-4d16-b381-09adb37eb3b0", "On Premises Directory Sync Account", false;
}

/// The built-in role with this template id.
pub fn built_in_role(template_id: &ObjectId) -> Option<&'static BuiltInRole> {
    BUILT_IN_ROLES.iter().find(|r| r.id == *template_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phishing_resistant_built_in() {
        let s = built_in_strength("00000000-0000-0000-0000-000000000004").unwrap();
        assert_eq!(s.allowed_combinations.len(), 3);
        assert!(built_in_strength("00000000-0000-0000-0000-000000000009").is_none());
    }

    #[test]
    fn role_table_has_34_privileged_and_unique_ids() {
        assert_eq!(BUILT_IN_ROLES.iter().filter(|r| r.privileged).count(), 34);
        let mut ids: Vec<_> = BUILT_IN_ROLES.iter().map(|r| r.id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), BUILT_IN_ROLES.len());
        for r in &BUILT_IN_ROLES {
            assert_eq!(
                ObjectId::new(&r.id).as_str(),
                r.id.as_str(),
                "{}: a normalised id",
                r.name
            );
            assert!(r.id.is_guid(), "{}", r.name);
        }
        let ga = built_in_role(&ObjectId::new("62E90394-69F5-4237-9190-012177145E10")).unwrap();
        assert_eq!(ga.name, "Global Administrator");
        assert_eq!(ga.id, role::GLOBAL_ADMINISTRATOR);
    }
}
