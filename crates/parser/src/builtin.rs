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
        /// privileged roles, then the others, each group in alphabetical order. Source: Microsoft
        /// Entra built-in roles, every role of its "All roles" table with its template id and
        /// label, <https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference>
        /// (its source: `docs/identity/role-based-access-control/permissions-reference.md` in
        /// <https://github.com/MicrosoftDocs/entra-docs>). The roles the page names without a
        /// template id (Modern Commerce Administrator, and the deprecated roles) are not here.
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
    // PRIVILEGED in the role's own section of the page ("This is a privileged role").
    TENANT_GOVERNANCE_ADMINISTRATOR = "1981f584-96e9-4a6f-95b0-f522373f8fae", "Tenant Governance Administrator", true;
    USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator", true;
    AGENT_ID_DEVELOPER = "adb2368d-a9be-41b5-8667-d96778e081b0", "Agent ID Developer", false;
    AGENT_REGISTRY_ADMINISTRATOR = "6b942400-691f-4bf0-9d12-d8a254a2baf5", "Agent Registry Administrator", false;
    ATTACK_PAYLOAD_AUTHOR = "9c6df0f2-1e7c-4dc3-b195-66dfbd24aa8f", "Attack Payload Author", false;
    ATTACK_SIMULATION_ADMINISTRATOR = "c430b396-e693-46cc-96f3-db01bf8bb62a", "Attack Simulation Administrator", false;
    ATTRIBUTE_ASSIGNMENT_ADMINISTRATOR = "58a13ea3-c632-46ae-9ee0-9c0d43cd7f3d", "Attribute Assignment Administrator", false;
    ATTRIBUTE_ASSIGNMENT_READER = "ffd52fa5-98dc-465c-991d-fc073eb59f8f", "Attribute Assignment Reader", false;
    ATTRIBUTE_DEFINITION_ADMINISTRATOR = "8424c6f0-a189-499e-bbd0-26c1753c96d4", "Attribute Definition Administrator", false;
    ATTRIBUTE_DEFINITION_READER = "1d336d2c-4ae8-42ef-9711-b3604ce3fc2c", "Attribute Definition Reader", false;
    ATTRIBUTE_LOG_ADMINISTRATOR = "5b784334-f94b-471a-a387-e7219fc49ca2", "Attribute Log Administrator", false;
    ATTRIBUTE_LOG_READER = "9c99539d-8186-4804-835f-fd51ef9e2dcd", "Attribute Log Reader", false;
    AUTHENTICATION_POLICY_ADMINISTRATOR = "0526716b-113d-4c15-b2c8-68e3c22b9f80", "Authentication Policy Administrator", false;
    AZURE_DEVOPS_ADMINISTRATOR = "e3973bdf-4987-49ae-837a-ba8e231c7286", "Azure DevOps Administrator", false;
    AZURE_INFORMATION_PROTECTION_ADMINISTRATOR = "7495fdc4-34c4-4d15-a289-98788ce399fd", "Azure Information Protection Administrator", false;
    B2C_IEF_POLICY_ADMINISTRATOR = "3edaf663-341e-4475-9f94-5c398ef6c070", "B2C IEF Policy Administrator", false;
    BILLING_ADMINISTRATOR = "b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator", false;
    CLOUD_APP_SECURITY_ADMINISTRATOR = "892c5842-a9a6-463a-8041-72aa08ca3cf6", "Cloud App Security Administrator", false;
    COMPLIANCE_ADMINISTRATOR = "17315797-102d-40b4-93e0-432062caca18", "Compliance Administrator", false;
    COMPLIANCE_DATA_ADMINISTRATOR = "e6d1a23a-da11-4be4-9570-befc86d067a7", "Compliance Data Administrator", false;
    CUSTOMER_DELEGATED_ADMIN_RELATIONSHIP_ADMINISTRATOR = "fc8ad4e2-40e4-4724-8317-bcda7503ecbf", "Customer Delegated Admin Relationship Administrator", false;
    CUSTOMER_LOCKBOX_ACCESS_APPROVER = "5c4f9dcd-47dc-4cf7-8c9a-9e4207cbfc91", "Customer Lockbox Access Approver", false;
    DESKTOP_ANALYTICS_ADMINISTRATOR = "38a96431-2bdf-4b4c-8b6e-5d3d8abac1a4", "Desktop Analytics Administrator", false;
    DIRECTORY_READERS = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "Directory Readers", false;
    DIRECTORY_SYNCHRONIZATION_ACCOUNTS = "d29b2b05-8046-44ba-8758-1e26182fcf32", "Directory Synchronization Accounts", false;
    DRAGON_ADMINISTRATOR = "e93e3737-fa85-474a-aee4-7d3fb86510f3", "Dragon Administrator", false;
    DYNAMICS_365_ADMINISTRATOR = "44367163-eba1-44c3-98af-f5787879f96a", "Dynamics 365 Administrator", false;
    DYNAMICS_365_BUSINESS_CENTRAL_ADMINISTRATOR = "963797fb-eb3b-4cde-8ce3-5878b3f32a3f", "Dynamics 365 Business Central Administrator", false;
    EDGE_ADMINISTRATOR = "3f1acade-1e04-4fbc-9b69-f0302cd84aef", "Edge Administrator", false;
    ENTRA_BACKUP_ADMINISTRATOR = "b6a27b2b-f905-4b2e-81b5-0d90e0ef1fdb", "Entra Backup Administrator", false;
    ENTRA_BACKUP_READER = "f42252d9-5400-4d7b-b9ef-cc582dbb8577", "Entra Backup Reader", false;
    ENTRA_CUSTOMER_LOCKBOX_APPROVER = "d35481f7-cda1-4fa2-8344-5a21f7f3724d", "Entra Customer Lockbox Approver", false;
    EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", false;
    EXCHANGE_BACKUP_ADMINISTRATOR = "49eb8f75-97e9-4e37-9b2b-6c3ebfcffa31", "Exchange Backup Administrator", false;
    EXCHANGE_RECIPIENT_ADMINISTRATOR = "31392ffb-586c-42d1-9346-e59415a2cc4e", "Exchange Recipient Administrator", false;
    EXTENDED_DIRECTORY_USER_ADMINISTRATOR = "dd13091a-6207-4fc0-82ba-3641e056ab95", "Extended Directory User Administrator", false;
    EXTERNAL_ID_USER_FLOW_ADMINISTRATOR = "6e591065-9bad-43ed-90f3-e9424366d2f0", "External ID User Flow Administrator", false;
    EXTERNAL_ID_USER_FLOW_ATTRIBUTE_ADMINISTRATOR = "0f971eea-41eb-4569-a71e-57bb8a3eff1e", "External ID User Flow Attribute Administrator", false;
    FABRIC_ADMINISTRATOR = "a9ea8996-122f-4c74-9520-8edcd192826c", "Fabric Administrator", false;
    GLOBAL_SECURE_ACCESS_ADMINISTRATOR = "ac434307-12b9-4fa1-a708-88bf58caabc1", "Global Secure Access Administrator", false;
    GLOBAL_SECURE_ACCESS_LOG_READER = "843318fb-79a6-4168-9e6f-aa9a07481cc4", "Global Secure Access Log Reader", false;
    GROUPS_ADMINISTRATOR = "fdd7a751-b60b-444a-984c-02652fe8fa1c", "Groups Administrator", false;
    GUEST_INVITER = "95e79109-95c0-4d8e-aee3-d01accf2d47b", "Guest Inviter", false;
    INSIGHTS_ADMINISTRATOR = "eb1f4a8d-243a-41f0-9fbd-c7cdf6c5ef7c", "Insights Administrator", false;
    INSIGHTS_ANALYST = "25df335f-86eb-4119-b717-0ff02de207e9", "Insights Analyst", false;
    INSIGHTS_BUSINESS_LEADER = "31e939ad-9672-4796-9c2e-873181342d2d", "Insights Business Leader", false;
    IOT_DEVICE_ADMINISTRATOR = "2ea5ce4c-b2d8-4668-bd81-3680bd2d227a", "IoT Device Administrator", false;
    KAIZALA_ADMINISTRATOR = "74ef975b-6605-40af-a5d2-b9539d836353", "Kaizala Administrator", false;
    KNOWLEDGE_ADMINISTRATOR = "b5a8dcf3-09d5-43a9-a639-8e29ef291470", "Knowledge Administrator", false;
    KNOWLEDGE_MANAGER = "744ec460-397e-42ad-a462-8b3f9747a02c", "Knowledge Manager", false;
    LICENSE_ADMINISTRATOR = "4d6ac14f-3453-41d0-bef9-a3e0c569773a", "License Administrator", false;
    MESSAGE_CENTER_PRIVACY_READER = "ac16e43d-7b2d-40e0-ac05-243ff356ab5b", "Message Center Privacy Reader", false;
    MESSAGE_CENTER_READER = "790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b", "Message Center Reader", false;
    MICROSOFT_365_BACKUP_ADMINISTRATOR = "1707125e-0aa2-4d4d-8655-a7c786c76a25", "Microsoft 365 Backup Administrator", false;
    MICROSOFT_365_MIGRATION_ADMINISTRATOR = "8c8b803f-96e1-4129-9349-20738d9f9652", "Microsoft 365 Migration Administrator", false;
    // Listed on the page under "Roles not shown in the portal"; the template id is the one the
    // page's "All roles" table gave before the role moved there.
    MICROSOFT_365_SUPPORT_ENGINEER = "00cf5c54-4693-4f59-a0ac-ab79ef0a974d", "Microsoft 365 Support Engineer", false;
    MICROSOFT_ENTRA_JOINED_DEVICE_LOCAL_ADMINISTRATOR = "9f06204d-73c1-4d4c-880a-6edb90606fd8", "Microsoft Entra Joined Device Local Administrator", false;
    MICROSOFT_GRAPH_DATA_CONNECT_ADMINISTRATOR = "ee67aa9c-e510-4759-b906-227085a7fd4d", "Microsoft Graph Data Connect Administrator", false;
    MICROSOFT_HARDWARE_WARRANTY_ADMINISTRATOR = "1501b917-7653-4ff9-a4b5-203eaf33784f", "Microsoft Hardware Warranty Administrator", false;
    MICROSOFT_HARDWARE_WARRANTY_SPECIALIST = "281fe777-fb20-4fbb-b7a3-ccebce5b0d96", "Microsoft Hardware Warranty Specialist", false;
    NETWORK_ADMINISTRATOR = "d37c8bed-0711-4417-ba38-b4abe66ce4c2", "Network Administrator", false;
    OFFICE_APPS_ADMINISTRATOR = "2b745bdf-0803-4d80-aa65-822c4493daac", "Office Apps Administrator", false;
    // Not listed on the page.
    ON_PREMISES_DIRECTORY_SYNC_ACCOUNT = "a92aed5d-d78a-4d16-b381-09adb37eb3b0", "On Premises Directory Sync Account", false;
    ORGANIZATIONAL_BRANDING_ADMINISTRATOR = "92ed04bf-c94a-4b82-9729-b799a7a4c178", "Organizational Branding Administrator", false;
    ORGANIZATIONAL_DATA_SOURCE_ADMINISTRATOR = "9d70768a-0cbc-4b4c-aea3-2e124b2477f4", "Organizational Data Source Administrator", false;
    ORGANIZATIONAL_MESSAGES_APPROVER = "e48398e2-f4bb-4074-8f31-4586725e205b", "Organizational Messages Approver", false;
    ORGANIZATIONAL_MESSAGES_WRITER = "507f53e4-4e52-4077-abd3-d2e1558b6ea2", "Organizational Messages Writer", false;
    PEOPLE_ADMINISTRATOR = "024906de-61e5-49c8-8572-40335f1e0e10", "People Administrator", false;
    PERMISSIONS_MANAGEMENT_ADMINISTRATOR = "af78dc32-cf4d-46f9-ba4e-4428526346b5", "Permissions Management Administrator", false;
    PLACES_ADMINISTRATOR = "78b0ccd1-afc2-4f92-9116-b41aedd09592", "Places Administrator", false;
    POWER_PLATFORM_ADMINISTRATOR = "11648597-926c-4cf3-9c36-bcebb0ba8dcc", "Power Platform Administrator", false;
    PRINTER_ADMINISTRATOR = "644ef478-e28f-4e28-b9dc-3fdde9aa0b1f", "Printer Administrator", false;
    PRINTER_TECHNICIAN = "e8cef6f1-e4bd-4ea8-bc07-4b8d950f4477", "Printer Technician", false;
    PURVIEW_WORKLOAD_CONTENT_ADMINISTRATOR = "3f04f91a-4ad7-4bd3-bcfa-49882ea1a88a", "Purview Workload Content Administrator", false;
    PURVIEW_WORKLOAD_CONTENT_READER = "e07494ad-1654-4dd2-922e-6f81a71bf00f", "Purview Workload Content Reader", false;
    PURVIEW_WORKLOAD_CONTENT_WRITER = "02d5655b-c1cf-4e5f-98da-5fb919085bf6", "Purview Workload Content Writer", false;
    REPORTS_READER = "4a5d8f65-41da-4de4-8968-e035b65339cf", "Reports Reader", false;
    SEARCH_ADMINISTRATOR = "0964bb5e-9bdb-4d7b-ac29-58e794862a40", "Search Administrator", false;
    SEARCH_EDITOR = "8835291a-918c-4fd7-a9ce-faa49f0cf7d9", "Search Editor", false;
    SERVICE_SUPPORT_ADMINISTRATOR = "f023fd81-a637-4b56-95fd-791ac0226033", "Service Support Administrator", false;
    SHAREPOINT_ADMINISTRATOR = "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator", false;
    SHAREPOINT_ADVANCED_MANAGEMENT_ADMINISTRATOR = "99009c4a-3b3f-4957-82a9-9d35e12db77e", "SharePoint Advanced Management Administrator", false;
    SHAREPOINT_BACKUP_ADMINISTRATOR = "9d3e04ba-3ee4-4d1b-a3a7-9aef423a09be", "SharePoint Backup Administrator", false;
    SHAREPOINT_EMBEDDED_ADMINISTRATOR = "1a7d78b6-429f-476b-b8eb-35fb715fffd4", "SharePoint Embedded Administrator", false;
    SKYPE_FOR_BUSINESS_ADMINISTRATOR = "75941009-915a-4869-abe7-691bff18279e", "Skype for Business Administrator", false;
    TEAMS_ADMINISTRATOR = "69091246-20e8-4a56-aa4d-066075b2a7a8", "Teams Administrator", false;
    TEAMS_COMMUNICATIONS_ADMINISTRATOR = "baf37b3a-610e-45da-9e62-d9d1e5e8914b", "Teams Communications Administrator", false;
    TEAMS_COMMUNICATIONS_SUPPORT_ENGINEER = "f70938a0-fc10-4177-9e90-2178f8765737", "Teams Communications Support Engineer", false;
    TEAMS_COMMUNICATIONS_SUPPORT_SPECIALIST = "fcf91098-03e3-41a9-b5ba-6f0ec8188a12", "Teams Communications Support Specialist", false;
    TEAMS_DEVICES_ADMINISTRATOR = "3d762c5a-1b6c-493f-843e-55a3b42923d4", "Teams Devices Administrator", false;
    TEAMS_EXTERNAL_COLLABORATION_ADMINISTRATOR = "2fe872fb-daa8-4afc-8f6c-53c4565cfef4", "Teams External Collaboration Administrator", false;
    TEAMS_READER = "1076ac91-f3d9-41a7-a339-dcdf5f480acc", "Teams Reader", false;
    TEAMS_TELEPHONY_ADMINISTRATOR = "aa38014f-0993-46e9-9b45-30501a20909d", "Teams Telephony Administrator", false;
    TENANT_CREATOR = "112ca1a2-15ad-4102-995e-45b0bc479a6a", "Tenant Creator", false;
    TENANT_GOVERNANCE_READER = "e0a4caa6-fe82-443f-b92f-d87341d17b2e", "Tenant Governance Reader", false;
    TENANT_GOVERNANCE_RELATIONSHIP_ADMINISTRATOR = "b8e31d83-1534-480f-9b10-0338ded51b7e", "Tenant Governance Relationship Administrator", false;
    TENANT_GOVERNANCE_RELATIONSHIP_READER = "124577f8-48ed-456a-839f-13b419002e33", "Tenant Governance Relationship Reader", false;
    USAGE_SUMMARY_REPORTS_READER = "75934031-6c7e-415a-99d7-48dbd49e875e", "Usage Summary Reports Reader", false;
    USER_EXPERIENCE_SUCCESS_MANAGER = "27460883-1df1-4691-b032-3b79643e5e63", "User Experience Success Manager", false;
    VIRTUAL_VISITS_ADMINISTRATOR = "e300d9e7-4a2b-4295-9eff-f1c78b36cc98", "Virtual Visits Administrator", false;
    VIVA_GLINT_TENANT_ADMINISTRATOR = "0ec3f692-38d6-4d14-9e69-0377ca7797ad", "Viva Glint Tenant Administrator", false;
    VIVA_GOALS_ADMINISTRATOR = "92b086b3-e367-4ef2-b869-1de128fb986e", "Viva Goals Administrator", false;
    VIVA_PULSE_ADMINISTRATOR = "87761b17-1ed2-4af3-9acd-92a150038160", "Viva Pulse Administrator", false;
    WINDOWS_365_ADMINISTRATOR = "11451d60-acb2-45eb-a7d6-43d0f0125c13", "Windows 365 Administrator", false;
    WINDOWS_UPDATE_DEPLOYMENT_ADMINISTRATOR = "32696413-001a-46ae-978c-ce0f6b3620d2", "Windows Update Deployment Administrator", false;
    YAMMER_ADMINISTRATOR = "810a2642-a034-447f-a5e8-41beaa378541", "Yammer Administrator", false;
}

/// The built-in role with this template id. The rules ask this of every role assignment they
/// meet, so the table is searched in the order of its ids (sorted once per process).
pub fn built_in_role(template_id: &ObjectId) -> Option<&'static BuiltInRole> {
    static BY_ID: std::sync::OnceLock<Vec<&'static BuiltInRole>> = std::sync::OnceLock::new();
    let by_id = BY_ID.get_or_init(|| {
        let mut roles: Vec<&'static BuiltInRole> = BUILT_IN_ROLES.iter().collect();
        roles.sort_by(|a, b| a.id.cmp(&b.id));
        roles
    });
    by_id
        .binary_search_by(|r| r.id.cmp(template_id))
        .ok()
        .map(|i| by_id[i])
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
            let upper = ObjectId::new(&r.id.to_ascii_uppercase());
            assert!(
                std::ptr::eq(built_in_role(&upper).unwrap(), r),
                "{}",
                r.name
            );
        }
        assert!(built_in_role(&ObjectId::new("00000000-0000-0000-0000-000000000000")).is_none());
        assert!(built_in_role(&ObjectId::new("Global Administrator")).is_none());
        let ga = built_in_role(&ObjectId::new("62E90394-69F5-4237-9190-012177145E10")).unwrap();
        assert_eq!(ga.name, "Global Administrator");
        assert_eq!(ga.id, role::GLOBAL_ADMINISTRATOR);
    }

    #[test]
    fn role_table_is_privileged_first_then_alphabetical() {
        let split = BUILT_IN_ROLES.iter().take_while(|r| r.privileged).count();
        assert!(BUILT_IN_ROLES[split..].iter().all(|r| !r.privileged));
        for group in [&BUILT_IN_ROLES[..split], &BUILT_IN_ROLES[split..]] {
            for pair in group.windows(2) {
                assert!(
                    pair[0].name.to_lowercase() < pair[1].name.to_lowercase(),
                    "{} before {}",
                    pair[0].name,
                    pair[1].name
                );
            }
        }
        let r = built_in_role(&role::EXCHANGE_RECIPIENT_ADMINISTRATOR).unwrap();
        assert_eq!(r.name, "Exchange Recipient Administrator");
        assert!(!r.privileged);
    }
}
