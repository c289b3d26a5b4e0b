//! Conditional Access: policies, named locations, authentication contexts and strengths.
//! Fields: Graph `conditionalAccessPolicy` (v1.0 and beta),
//! <https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy>.

use super::common::{is_special, Flags};
use crate::id::ObjectId;
use crate::open_enum;
use crate::origin::Origin;
use serde::Deserialize;

open_enum! {
    /// `conditionalAccessPolicy.state`.
    pub enum PolicyState {
        Enabled = "enabled",
        Disabled = "disabled",
        ReportOnly = "enabledForReportingButNotEnforced",
    }
}

open_enum! {
    /// `grantControls.builtInControls` (`riskRemediation` comes after `unknownFutureValue`).
    pub enum BuiltInControl {
        Block = "block",
        Mfa = "mfa",
        CompliantDevice = "compliantDevice",
        DomainJoinedDevice = "domainJoinedDevice",
        ApprovedApplication = "approvedApplication",
        CompliantApplication = "compliantApplication",
        PasswordChange = "passwordChange",
        RiskRemediation = "riskRemediation",
        UnknownFutureValue = "unknownFutureValue",
    }
}

open_enum! {
    /// `grantControls.operator`.
    pub enum GrantOperator { And = "AND", Or = "OR" }
}

open_enum! {
    /// `signInFrequency.frequencyInterval`; absent in older exports, which means `timeBased`.
    pub enum FrequencyInterval { TimeBased = "timeBased", EveryTime = "everyTime" }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ConditionalAccessPolicy {
    #[serde(skip)]
    pub origin: Origin,
    pub id: Option<ObjectId>,
    pub display_name: Option<String>,
    pub state: Option<PolicyState>,
    pub template_id: Option<ObjectId>,
    pub conditions: Conditions,
    pub grant_controls: Option<GrantControls>,
    pub session_controls: Option<SessionControls>,
}

impl ConditionalAccessPolicy {
    /// The name a message uses: the display name, else the id, else `(unnamed policy)`.
    pub fn name(&self) -> &str {
        self.display_name
            .as_deref()
            .or(self.id.as_deref())
            .unwrap_or("(unnamed policy)")
    }
    pub fn is_enabled(&self) -> bool {
        self.state == Some(PolicyState::Enabled)
    }
    pub fn is_disabled(&self) -> bool {
        self.state == Some(PolicyState::Disabled)
    }
    pub fn is_report_only(&self) -> bool {
        self.state == Some(PolicyState::ReportOnly)
    }
    /// The authentication strength the grant requires, if any (an all-empty object is none).
    pub fn strength(&self) -> Option<&AuthenticationStrength> {
        self.grant_controls
            .as_ref()?
            .authentication_strength
            .as_ref()
            .filter(|s| s.id.is_some() || !s.allowed_combinations.is_empty())
    }
    /// Whether the policy targets authentication context `claim` (ids compare case-sensitively).
    pub fn targets_context(&self, claim: &str) -> bool {
        self.conditions
            .applications
            .include_authentication_context_class_references
            .iter()
            .any(|c| c == claim)
    }
    /// Whether the policy targets any authentication context (a step-up policy).
    pub fn uses_contexts(&self) -> bool {
        !self
            .conditions
            .applications
            .include_authentication_context_class_references
            .is_empty()
    }
    /// Whether the policy applies only at authentication contexts (at PIM activation, for
    /// example): no cloud app, some context.
    pub fn is_context_only(&self) -> bool {
        self.conditions.applications.include_applications.is_empty() && self.uses_contexts()
    }
    /// Whether the policy is for workload identities (service principals, agent identities), not
    /// for users.
    pub fn is_for_workloads(&self) -> bool {
        self.conditions
            .client_applications
            .as_ref()
            .is_some_and(|c| c.targets_workloads())
    }
    /// The sign-in frequency the policy sets: `None` also when it is written with every member
    /// null, as the Microsoft Graph PowerShell SDK's objects write a control a policy does not set
    /// (ScubaGear's exports hold them so).
    pub fn sign_in_frequency(&self) -> Option<&SignInFrequency> {
        let f = self.session_controls.as_ref()?.sign_in_frequency.as_ref()?;
        (*f != SignInFrequency::default()).then_some(f)
    }

    /// The persistent browser session setting the policy sets (`None` also when every member is
    /// null, as for [`Self::sign_in_frequency`]).
    pub fn persistent_browser(&self) -> Option<&PersistentBrowser> {
        let b = self
            .session_controls
            .as_ref()?
            .persistent_browser
            .as_ref()?;
        (*b != PersistentBrowser::default()).then_some(b)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Conditions {
    pub users: UserConditions,
    pub applications: ApplicationConditions,
    pub client_app_types: Vec<String>,
    pub platforms: Option<IncludeExclude<PlatformKeys>>,
    pub locations: Option<IncludeExclude<LocationKeys>>,
    pub devices: Option<DeviceConditions>,
    pub user_risk_levels: Vec<String>,
    pub sign_in_risk_levels: Vec<String>,
    pub service_principal_risk_levels: Vec<String>,
    pub insider_risk_levels: Option<Flags>,
    pub client_applications: Option<ClientApplications>,
    pub authentication_flows: Option<AuthenticationFlows>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UserConditions {
    pub include_users: Vec<ObjectId>,
    pub exclude_users: Vec<ObjectId>,
    pub include_groups: Vec<ObjectId>,
    pub exclude_groups: Vec<ObjectId>,
    pub include_roles: Vec<ObjectId>,
    pub exclude_roles: Vec<ObjectId>,
    pub include_guests_or_external_users: Option<GuestsOrExternalUsers>,
    pub exclude_guests_or_external_users: Option<GuestsOrExternalUsers>,
}

impl UserConditions {
    pub fn includes_all_users(&self) -> bool {
        self.include_users.iter().any(|u| is_special(u, "All"))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GuestsOrExternalUsers {
    pub guest_or_external_user_types: Flags,
    pub external_tenants: Option<ExternalTenants>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExternalTenants {
    pub membership_kind: Option<String>,
    pub members: Vec<ObjectId>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ApplicationConditions {
    pub include_applications: Vec<ObjectId>,
    pub exclude_applications: Vec<ObjectId>,
    pub include_user_actions: Vec<String>,
    pub include_authentication_context_class_references: Vec<String>,
    pub application_filter: Option<Filter>,
}

/// Marker types naming the keys of the generic include/exclude condition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlatformKeys;
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocationKeys;

/// `platforms` (`includePlatforms`/`excludePlatforms`) or `locations`
/// (`includeLocations`/`excludeLocations`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncludeExclude<K> {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    _keys: std::marker::PhantomData<K>,
}

impl<K> IncludeExclude<K> {
    /// Null, absent and empty condition objects never narrow a policy.
    pub fn is_empty(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty()
    }
}

impl<'de> Deserialize<'de> for IncludeExclude<PlatformKeys> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize, Default)]
        #[serde(default, rename_all = "camelCase")]
        struct Raw {
            include_platforms: Vec<String>,
            exclude_platforms: Vec<String>,
        }
        let r = Raw::deserialize(d)?;
        Ok(IncludeExclude {
            include: r.include_platforms,
            exclude: r.exclude_platforms,
            _keys: std::marker::PhantomData,
        })
    }
}

impl<'de> Deserialize<'de> for IncludeExclude<LocationKeys> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize, Default)]
        #[serde(default, rename_all = "camelCase")]
        struct Raw {
            include_locations: Vec<String>,
            exclude_locations: Vec<String>,
        }
        let r = Raw::deserialize(d)?;
        Ok(IncludeExclude {
            include: r.include_locations,
            exclude: r.exclude_locations,
            _keys: std::marker::PhantomData,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Filter {
    pub mode: Option<String>,
    pub rule: Option<String>,
}

impl Filter {
    pub fn is_set(&self) -> bool {
        self.rule.as_deref().is_some_and(|r| !r.trim().is_empty())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DeviceConditions {
    pub device_filter: Option<Filter>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClientApplications {
    pub include_service_principals: Vec<ObjectId>,
    pub exclude_service_principals: Vec<ObjectId>,
    pub service_principal_filter: Option<Filter>,
    /// beta: agent identities (`All` or ids) the policy targets.
    pub include_agent_id_service_principals: Vec<ObjectId>,
}

impl ClientApplications {
    /// The policy targets workload identities (service principals or agent identities), not users.
    pub fn targets_workloads(&self) -> bool {
        !self.include_service_principals.is_empty()
            || self
                .service_principal_filter
                .as_ref()
                .is_some_and(Filter::is_set)
            || !self.include_agent_id_service_principals.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AuthenticationFlows {
    pub transfer_methods: Flags,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GrantControls {
    pub operator: Option<GrantOperator>,
    pub built_in_controls: Vec<BuiltInControl>,
    pub custom_authentication_factors: Vec<String>,
    pub terms_of_use: Vec<ObjectId>,
    pub authentication_strength: Option<AuthenticationStrength>,
}

impl GrantControls {
    pub fn has(&self, control: &BuiltInControl) -> bool {
        self.built_in_controls.contains(control)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SessionControls {
    pub sign_in_frequency: Option<SignInFrequency>,
    pub persistent_browser: Option<PersistentBrowser>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SignInFrequency {
    pub is_enabled: Option<bool>,
    pub frequency_interval: Option<FrequencyInterval>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub value: Option<u64>,
    pub authentication_type: Option<String>,
}

impl SignInFrequency {
    /// Enabled sign-in frequency "every time".
    pub fn is_every_time(&self) -> bool {
        self.is_enabled != Some(false)
            && self.frequency_interval == Some(FrequencyInterval::EveryTime)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PersistentBrowser {
    pub is_enabled: Option<bool>,
    pub mode: Option<String>,
}

/// `authenticationStrengthPolicy`: standalone (`/policies/authenticationStrengthPolicies`) or
/// embedded in a policy's grant controls, where it may be a bare `{"id": ...}` (templates).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AuthenticationStrength {
    #[serde(skip)]
    pub origin: Origin,
    pub id: Option<ObjectId>,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub policy_type: Option<String>,
    pub requirements_satisfied: Flags,
    /// Each element is one combination of methods (`"password,sms"` → `["password", "sms"]`).
    pub allowed_combinations: Vec<Flags>,
}

/// `authenticationContextClassReference`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AuthenticationContext {
    #[serde(skip)]
    pub origin: Origin,
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub is_available: Option<bool>,
}

/// `namedLocation` and its derived types.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NamedLocation {
    #[serde(skip)]
    pub origin: Origin,
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    pub id: Option<ObjectId>,
    pub display_name: Option<String>,
    pub is_trusted: Option<bool>,
    pub ip_ranges: Vec<IpRange>,
    pub countries_and_regions: Vec<String>,
    pub include_unknown_countries_and_regions: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct IpRange {
    pub cidr_address: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_identity_policies_target_workloads() {
        let c: Conditions = serde_json::from_str(
            r#"{"users":{"includeUsers":["None"]},
                "clientApplications":{"includeServicePrincipals":[],
                                      "includeAgentIdServicePrincipals":["All"],
                                      "excludeServicePrincipals":[]}}"#,
        )
        .unwrap();
        assert!(c.client_applications.unwrap().targets_workloads());
        let c: Conditions =
            serde_json::from_str(r#"{"clientApplications":{"includeServicePrincipals":[]}}"#)
                .unwrap();
        assert!(!c.client_applications.unwrap().targets_workloads());
    }
}
