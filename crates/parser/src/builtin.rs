//! Objects every tenant has without exporting them: the built-in authentication strengths and the
//! built-in directory roles.

use crate::model::{AuthenticationStrength, Flags};

/// The built-in authentication strengths (same ids in every tenant, `policyType: builtIn`).
/// Source: Microsoft Graph v1.0 "List policies" (`authenticationStrengthRoot`), example response;
/// reference formats §4.1. The MFA list grows over time, which is why strengths resolve by id.
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
        id: Some((*id).to_owned()),
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

/// Built-in directory roles entralint names: (template id, display name, labelled PRIVILEGED by
/// Microsoft). Source: Microsoft Entra built-in roles reference (`permissions-reference.md`), as
/// tabulated in reference formats §4.2 (34 privileged roles, then common admin and sync roles).
pub const BUILT_IN_ROLES: [(&str, &str, bool); 43] = [
    (
        "db506228-d27e-4b7d-95e5-295956d6615f",
        "Agent ID Administrator",
        true,
    ),
    (
        "d2562ede-74db-457e-a7b6-544e236ebb61",
        "AI Administrator",
        true,
    ),
    ("1fe13547-53f6-408d-ac04-7f8eed167b38", "AI Reader", true),
    (
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
        "Application Administrator",
        true,
    ),
    (
        "cf1c38e5-3621-4004-a7cb-879624dced7c",
        "Application Developer",
        true,
    ),
    (
        "ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe",
        "Attribute Provisioning Administrator",
        true,
    ),
    (
        "422218e4-db15-4ef9-bbe0-8afb41546d79",
        "Attribute Provisioning Reader",
        true,
    ),
    (
        "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        "Authentication Administrator",
        true,
    ),
    (
        "25a516ed-2fa0-40ea-a2d0-12923a21473a",
        "Authentication Extensibility Administrator",
        true,
    ),
    (
        "0b00bede-4072-4d22-b441-e7df02a1ef63",
        "Authentication Extensibility Password Administrator",
        true,
    ),
    (
        "aaf43236-0c0d-4d5f-883a-6955382ac081",
        "B2C IEF Keyset Administrator",
        true,
    ),
    (
        "158c047a-c907-4556-b7ef-446551a6b5f7",
        "Cloud Application Administrator",
        true,
    ),
    (
        "7698a772-787b-4ac8-901f-60d6b08affd2",
        "Cloud Device Administrator",
        true,
    ),
    (
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
        "Conditional Access Administrator",
        true,
    ),
    (
        "9360feb5-f418-4baa-8175-e2a00bac4301",
        "Directory Writers",
        true,
    ),
    (
        "8329153b-31d0-4727-b945-745eb3bc5f31",
        "Domain Name Administrator",
        true,
    ),
    (
        "be2f45a1-457d-42af-a067-6ec1fa63bc45",
        "External Identity Provider Administrator",
        true,
    ),
    (
        "62e90394-69f5-4237-9190-012177145e10",
        "Global Administrator",
        true,
    ),
    (
        "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
        "Global Reader",
        true,
    ),
    (
        "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        "Helpdesk Administrator",
        true,
    ),
    (
        "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
        "Hybrid Identity Administrator",
        true,
    ),
    (
        "45d8d3c5-c802-45c6-b32a-1d70b5e1e86e",
        "Identity Governance Administrator",
        true,
    ),
    (
        "3a2c62db-5318-420d-8d74-23affee5d9d5",
        "Intune Administrator",
        true,
    ),
    (
        "59d46f88-662b-457b-bceb-5c3809e5908f",
        "Lifecycle Workflows Administrator",
        true,
    ),
    (
        "4ba39ca4-527c-499a-b93d-d9b492c50246",
        "Partner Tier1 Support",
        true,
    ),
    (
        "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8",
        "Partner Tier2 Support",
        true,
    ),
    (
        "966707d0-3269-4727-9be2-8c3a10f19b9d",
        "Password Administrator",
        true,
    ),
    (
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
        "Privileged Authentication Administrator",
        true,
    ),
    (
        "e8611ab8-c189-46e8-94e1-60213ab1f814",
        "Privileged Role Administrator",
        true,
    ),
    (
        "194ae4cb-b126-40b2-bd5b-6091b380977d",
        "Security Administrator",
        true,
    ),
    (
        "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f",
        "Security Operator",
        true,
    ),
    (
        "5d6b6bb7-de71-4623-b4af-96380a352509",
        "Security Reader",
        true,
    ),
    (
        "1981f584-96e9-4a6f-95b0-f522373f8fae",
        "Tenant Governance Administrator",
        true,
    ),
    (
        "fe930be7-5e62-47db-91af-98c3a49a38b1",
        "User Administrator",
        true,
    ),
    (
        "29232cdf-9323-42fd-ade2-1d097af3e4de",
        "Exchange Administrator",
        false,
    ),
    (
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
        "SharePoint Administrator",
        false,
    ),
    (
        "b0f54661-2d74-4c50-afa3-1ec803f12efe",
        "Billing Administrator",
        false,
    ),
    (
        "0526716b-113d-4c15-b2c8-68e3c22b9f80",
        "Authentication Policy Administrator",
        false,
    ),
    (
        "17315797-102d-40b4-93e0-432062caca18",
        "Compliance Administrator",
        false,
    ),
    (
        "69091246-20e8-4a56-aa4d-066075b2a7a8",
        "Teams Administrator",
        false,
    ),
    (
        "fdd7a751-b60b-444a-984c-02652fe8fa1c",
        "Groups Administrator",
        false,
    ),
    (
        "d29b2b05-8046-44ba-8758-1e26182fcf32",
        "Directory Synchronization Accounts",
        false,
    ),
    (
        "a92aed5d-d78a-4d16-b381-09adb37eb3b0",
        "On Premises Directory Sync Account",
        false,
    ),
];

pub fn built_in_role(template_id: &str) -> Option<(&'static str, bool)> {
    BUILT_IN_ROLES
        .iter()
        .find(|(id, _, _)| id.eq_ignore_ascii_case(template_id))
        .map(|(_, name, privileged)| (*name, *privileged))
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
        assert_eq!(BUILT_IN_ROLES.iter().filter(|r| r.2).count(), 34);
        let mut ids: Vec<_> = BUILT_IN_ROLES.iter().map(|r| r.0).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), BUILT_IN_ROLES.len());
        assert_eq!(
            built_in_role("62E90394-69F5-4237-9190-012177145E10")
                .unwrap()
                .0,
            "Global Administrator"
        );
    }
}
