//! Authentication methods: what a user's registrations can satisfy, and what the tenant's
//! authentication methods policy allows. One table, with its sources; unknown registration names
//! are reported, never guessed.

use super::Analysis;
use entralint_parser::model::AuthenticationMethodConfiguration;
use entralint_parser::ObjectId;
use std::collections::BTreeSet;

/// `userRegistrationDetails.methodsRegistered` value → the `authenticationMethodModes` (the
/// vocabulary of authentication strength combinations) it can satisfy.
///
/// Sources: Microsoft Graph `userRegistrationDetails`
/// (<https://learn.microsoft.com/graph/api/resources/userregistrationdetails>), whose
/// `methodsRegistered` values are spelled as the members of Graph's beta `usageAuthMethod`
/// enumeration
/// (<https://github.com/microsoftgraph/microsoft-graph-docs-contrib/blob/main/api-reference/beta/resources/usageauthmethod.md>);
/// `authenticationMethodModes`
/// (<https://learn.microsoft.com/graph/api/resources/authenticationmethodmodes>); Microsoft Learn
/// "Authentication strengths"
/// (<https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths>:
/// passkeys, including Authenticator passkeys, are `fido2`; "Windows Hello for Business /
/// Platform Credential" is one method, so the macOS platform credential counts as
/// `windowsHelloForBusiness`).
/// `passKeySynced` satisfies nothing here: whether the FIDO2 passkey profile admits synced passkeys
/// is tenant configuration the export does not show, so a user relying on one is reported with
/// the methods listed. Certificate-based authentication is not in the registration report and so
/// never counts as registered.
pub const REGISTRATION_MODES: [(&str, &[&str]); 19] = [
    ("fido2SecurityKey", &["fido2"]),
    ("fido2", &["fido2"]),
    ("passKeyDeviceBound", &["fido2"]),
    ("passKeyDeviceBoundAuthenticator", &["fido2"]),
    ("passKeyDeviceBoundWindowsHello", &["fido2"]),
    ("passKeySynced", &[]),
    ("windowsHelloForBusiness", &["windowsHelloForBusiness"]),
    ("macOsSecureEnclaveKey", &["windowsHelloForBusiness"]),
    (
        "microsoftAuthenticatorPush",
        &["microsoftAuthenticatorPush"],
    ),
    ("microsoftAuthenticatorPasswordless", &["deviceBasedPush"]),
    ("softwareOneTimePasscode", &["softwareOath"]),
    ("hardwareOneTimePasscode", &["hardwareOath"]),
    ("mobilePhone", &["sms", "voice"]),
    ("alternateMobilePhone", &["voice"]),
    ("officePhone", &["voice"]),
    (
        "temporaryAccessPass",
        &["temporaryAccessPassOneTime", "temporaryAccessPassMultiUse"],
    ),
    ("email", &[]),
    ("securityQuestion", &[]),
    ("appPassword", &[]),
];

/// The mode every user can present without a registration. (Federated methods depend on a
/// federation the export does not show; they never count as registered.)
const ALWAYS: [&str; 1] = ["password"];

/// `authenticationMethodModes` → the `authenticationMethodConfiguration` ids that enable it.
/// Windows Hello for Business and federated methods are configured elsewhere (Windows, the
/// federation), so they have none. Source: Graph `authenticationMethodConfiguration` and its
/// derived types (<https://learn.microsoft.com/graph/api/resources/authenticationmethodconfiguration>).
pub fn configurations_for(mode: &str) -> Option<&'static [&'static str]> {
    let ids: &'static [&'static str] = match mode {
        "fido2" => &["Fido2"],
        "x509CertificateMultiFactor" | "x509CertificateSingleFactor" => &["X509Certificate"],
        "microsoftAuthenticatorPush" | "deviceBasedPush" => &["MicrosoftAuthenticator"],
        "softwareOath" => &["SoftwareOath", "MicrosoftAuthenticator"],
        "hardwareOath" => &["HardwareOath"],
        "sms" => &["Sms"],
        "voice" => &["Voice"],
        "temporaryAccessPassOneTime" | "temporaryAccessPassMultiUse" => &["TemporaryAccessPass"],
        "email" => &["Email"],
        _ => return None,
    };
    Some(ids)
}

/// What a user's registration allows.
#[derive(Debug, Clone, Default)]
pub struct Registered {
    /// Modes the user can present.
    pub modes: BTreeSet<String>,
    /// The registration values, as exported.
    pub methods: Vec<String>,
    /// Values this table does not know (reported, not guessed).
    pub unknown: Vec<String>,
}

impl Registered {
    /// Whether one of the combinations is fully available.
    pub fn satisfies(&self, combinations: &[Vec<String>]) -> bool {
        combinations.iter().any(|c| {
            c.iter().all(|m| {
                ALWAYS.iter().any(|a| a.eq_ignore_ascii_case(m))
                    || self.modes.iter().any(|x| x.eq_ignore_ascii_case(m))
            })
        })
    }
}

impl Analysis<'_> {
    /// The user's registered methods, or `None` when the user has no registration record.
    pub fn registered(&self, user: &ObjectId) -> Option<Registered> {
        let record = self.registration(user)?;
        let mut out = Registered {
            methods: record.methods_registered.clone(),
            ..Default::default()
        };
        for m in &record.methods_registered {
            match REGISTRATION_MODES
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(m))
            {
                Some((_, modes)) => out.modes.extend(modes.iter().map(|s| (*s).to_owned())),
                None => out.unknown.push(m.clone()),
            }
        }
        Some(out)
    }

    /// The exported method configuration with this id (`Fido2`, `MicrosoftAuthenticator`, ...).
    pub fn method_configuration(&self, id: &str) -> Option<&AuthenticationMethodConfiguration> {
        self.tenant
            .method_configurations
            .iter()
            .find(|c| c.id.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(id)))
    }

    /// Whether a method configuration is enabled and targets the user (an empty `user` asks
    /// whether it targets anyone at all).
    pub fn method_available(
        &self,
        config: &AuthenticationMethodConfiguration,
        user: Option<&ObjectId>,
    ) -> bool {
        if !config
            .state
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("enabled"))
        {
            return false;
        }
        let Some(user) = user else {
            return !config.include_targets.is_empty();
        };
        let hits = |targets: &[entralint_parser::model::MethodTarget]| {
            targets.iter().any(|t| {
                t.id.as_ref().is_some_and(|id| {
                    *id == "all_users" || id == user || self.is_in_group(id, user)
                })
            })
        };
        hits(&config.include_targets) && !hits(&config.exclude_targets)
    }

    /// Users a Conditional Access policy applies to, among every user the export knows (users,
    /// role holders and eligible principals, group members).
    pub fn users_in_scope(
        &self,
        policy: &entralint_parser::model::ConditionalAccessPolicy,
    ) -> Vec<ObjectId> {
        let known = self.known_users();
        let applies = |u: &ObjectId| super::scope::scope(self, policy, u).applies();
        let u = &policy.conditions.users;
        let broad = u
            .include_users
            .iter()
            .any(|x| *x == "All" || *x == "GuestsOrExternalUsers")
            || u.include_guests_or_external_users
                .as_ref()
                .is_some_and(|g| !g.guest_or_external_user_types.is_empty());
        if broad {
            return known.iter().filter(|u| applies(u)).cloned().collect();
        }
        // Only those the policy names can be in scope: its users, its groups' members and the
        // active holders of its roles.
        let roles: BTreeSet<ObjectId> = u.include_roles.iter().cloned().collect();
        let mut named: BTreeSet<ObjectId> = u.include_users.iter().cloned().collect();
        named.extend(
            self.users_in_groups(&u.include_groups)
                .into_iter()
                .map(|(user, _)| user),
        );
        named.extend(self.active_holders(&roles).cloned());
        named
            .into_iter()
            .filter(|u| known.contains(u) && applies(u))
            .collect()
    }

    /// Every user id the export mentions.
    pub fn known_users(&self) -> &BTreeSet<ObjectId> {
        self.known_users.get_or_init(|| {
            let t = self.tenant;
            let mut users: BTreeSet<ObjectId> =
                t.users.iter().filter_map(|u| u.id.clone()).collect();
            for m in &t.role_memberships {
                if let Some(p) = &m.principal_id {
                    let user = m
                        .principal
                        .as_ref()
                        .and_then(|x| x.type_name())
                        .is_none_or(|t| t.eq_ignore_ascii_case("user"));
                    if user && !self.is_group(p) {
                        users.insert(p.clone());
                    }
                }
            }
            for r in t.group_relations.iter().filter(|r| !r.member.is_group()) {
                if let Some(id) = &r.member.id {
                    users.insert(id.clone());
                }
            }
            users
        })
    }
}
