//! An offline what-if: which Conditional Access policies apply to one sign-in, and what they
//! require, decided from the export alone. The conditions follow Microsoft's evaluation: every
//! configured condition must match, and an exclusion beats an inclusion
//! (<https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-conditions>,
//! <https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups>);
//! the reasons use Graph's `whatIfAnalysisReasons` vocabulary
//! (<https://learn.microsoft.com/graph/api/resources/whatifanalysisresult>). What the sign-in does
//! not say, or the export does not hold, is `notEnoughInformation`, never a guess.
//!
//! With an activation, the PIM step is followed: the role's activation requirement, and for an
//! authentication context the policies that apply to that context for the user.

use crate::analysis::{scope::scope, Analysis};
use crate::diff::{grant, session};
use entralint_parser::model::ConditionalAccessPolicy;
use entralint_parser::ObjectId;
use serde::Serialize;

/// The sign-in asked about.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub user: ObjectId,
    /// An application id (or `Office365`); `None`: the step-up for `auth_context` alone.
    pub app: Option<String>,
    /// `browser`, `mobileAppsAndDesktopClients`, `exchangeActiveSync` or `other`.
    pub client: String,
    pub platform: Option<String>,
    /// A named location id, `trusted` or `untrusted`.
    pub location: Option<String>,
    pub user_risk: Option<String>,
    pub sign_in_risk: Option<String>,
    pub auth_context: Option<String>,
}

/// One policy's answer.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyResult {
    pub policy: String,
    pub id: Option<String>,
    pub state: String,
    /// `applies`, `doesNotApply` or `notEnoughInformation`.
    pub result: &'static str,
    /// Graph's analysis reasons for a policy that does not apply (or cannot be decided).
    pub reasons: Vec<&'static str>,
    /// What was missing to decide, in words.
    pub missing: Vec<String>,
    pub grant: String,
    /// The allowed combinations of the strength the grant requires, if any (`fido2`,
    /// `password,microsoftAuthenticatorPush`).
    pub strength_combinations: Vec<String>,
    pub session: String,
}

/// Evaluates every policy of the export for `req`, in input order.
pub fn evaluate(a: &Analysis<'_>, req: &Request) -> Vec<PolicyResult> {
    a.tenant
        .conditional_access
        .iter()
        .map(|p| one(a, p, req))
        .collect()
}

fn one(a: &Analysis<'_>, p: &ConditionalAccessPolicy, req: &Request) -> PolicyResult {
    let mut reasons = Vec::new();
    let mut missing = Vec::new();
    let c = &p.conditions;
    if p.is_disabled() {
        reasons.push("policyNotEnabled");
    }
    // Users.
    if p.is_for_workloads() {
        reasons.push("workloadIdentities");
    } else {
        let named_groups = !c.users.include_groups.is_empty() || !c.users.exclude_groups.is_empty();
        if named_groups && !a.tenant.inventory.has(entralint_parser::Kind::GroupMember) {
            missing.push("the group memberships (not in the export)".to_owned());
        } else if !scope(a, p, &req.user).applies() {
            reasons.push("users");
        }
    }
    // Applications, user actions, authentication contexts.
    let apps = &c.applications;
    let contexts = &apps.include_authentication_context_class_references;
    if !contexts.is_empty() {
        if !req
            .auth_context
            .as_ref()
            .is_some_and(|x| contexts.iter().any(|c| c.eq_ignore_ascii_case(x)))
        {
            reasons.push("authenticationContext");
        }
    } else if !apps.include_user_actions.is_empty() {
        reasons.push("userActions");
    } else {
        match &req.app {
            None => reasons.push("application"),
            Some(app) => {
                let is = |list: &[ObjectId], app: &str| {
                    list.iter()
                        .any(|x| x.eq_ignore_ascii_case(app) || &**x == "All")
                };
                if !is(&apps.include_applications, app)
                    || apps
                        .exclude_applications
                        .iter()
                        .any(|x| x.eq_ignore_ascii_case(app))
                {
                    reasons.push("application");
                }
                if apps.application_filter.as_ref().is_some_and(|f| f.is_set()) {
                    missing.push("the application's attributes (an application filter)".to_owned());
                }
            }
        }
    }
    // Client apps.
    if !c.client_app_types.is_empty()
        && !c
            .client_app_types
            .iter()
            .any(|t| t == "all" || t.eq_ignore_ascii_case(&req.client))
    {
        reasons.push("clientApps");
    }
    // Platforms.
    if let Some(pl) = c.platforms.as_ref().filter(|pl| !pl.include.is_empty()) {
        match &req.platform {
            None => missing.push("the device platform (--platform)".to_owned()),
            Some(x) => {
                let has = |l: &[String]| l.iter().any(|v| v == "all" || v.eq_ignore_ascii_case(x));
                if !has(&pl.include) || has(&pl.exclude) {
                    reasons.push("devicePlatform");
                }
            }
        }
    }
    // Locations.
    if let Some(loc) = c.locations.as_ref().filter(|l| !l.include.is_empty()) {
        match &req.location {
            None => missing.push("the location (--location)".to_owned()),
            Some(x) => {
                if !location_in(a, &loc.include, x) || location_in(a, &loc.exclude, x) {
                    reasons.push("location");
                }
            }
        }
    }
    // Risk.
    for (levels, given, reason, flag) in [
        (
            &c.user_risk_levels,
            &req.user_risk,
            "userRisk",
            "--user-risk",
        ),
        (
            &c.sign_in_risk_levels,
            &req.sign_in_risk,
            "signInRisk",
            "--sign-in-risk",
        ),
    ] {
        if !levels.is_empty() {
            match given {
                None => missing.push(format!("the {reason} level ({flag})")),
                Some(x) if !levels.iter().any(|l| l.eq_ignore_ascii_case(x)) => {
                    reasons.push(reason)
                }
                Some(_) => {}
            }
        }
    }
    // A condition written with nothing in it (a filter with no rule, as the Graph PowerShell
    // SDK writes one a policy does not set) selects nothing, and is not asked about.
    if c.devices
        .as_ref()
        .and_then(|d| d.device_filter.as_ref())
        .is_some_and(|f| f.is_set())
    {
        missing.push("the device's attributes (a device filter)".to_owned());
    }
    if c.insider_risk_levels
        .as_ref()
        .is_some_and(|l| !l.is_empty())
    {
        missing.push("the insider risk level".to_owned());
    }
    if c.authentication_flows
        .as_ref()
        .is_some_and(|f| !f.transfer_methods.is_empty())
    {
        missing.push("the authentication flow".to_owned());
    }
    let result = if !reasons.is_empty() {
        "doesNotApply"
    } else if !missing.is_empty() {
        reasons.push("notEnoughInformation");
        "notEnoughInformation"
    } else {
        "applies"
    };
    PolicyResult {
        policy: p.name().to_owned(),
        id: p.id.as_ref().map(|i| i.to_string()),
        state: p.state.as_ref().map_or("none", |s| s.as_str()).to_owned(),
        result,
        reasons,
        missing,
        grant: grant(p.grant_controls.as_ref(), a),
        strength_combinations: p
            .grant_controls
            .as_ref()
            .and_then(|g| g.authentication_strength.as_ref())
            .map(|s| {
                crate::analysis::strength::resolve(a.tenant, s)
                    .combinations
                    .iter()
                    .map(|c| c.join(","))
                    .collect()
            })
            .unwrap_or_default(),
        session: session(p.session_controls.as_ref()),
    }
}

/// Whether `given` (a named location id, `trusted` or `untrusted`) is among `list` (ids, `All`,
/// `AllTrusted`).
fn location_in(a: &Analysis<'_>, list: &[String], given: &str) -> bool {
    let trusted = match given {
        "trusted" => true,
        "untrusted" => false,
        id => a
            .tenant
            .named_locations
            .iter()
            .find(|l| l.id.as_ref().is_some_and(|i| i.eq_ignore_ascii_case(id)))
            .is_some_and(|l| l.is_trusted == Some(true)),
    };
    list.iter()
        .any(|x| x == "All" || (x == "AllTrusted" && trusted) || x.eq_ignore_ascii_case(given))
}

/// The PIM step of activating a role, as the what-if follows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Activation {
    pub role: String,
    /// Whether the user may activate it (eligible directly, through a group or PIM for Groups).
    pub eligible: bool,
    /// `none`, `mfaClaim` or `authenticationContext`.
    pub requirement: &'static str,
    pub context: Option<String>,
    /// In words, for people.
    pub note: String,
}

/// The activation step of the directory role named `role` (its display name, any case) for the
/// user; `None` when the export holds no PIM policy for it.
pub fn activation(a: &Analysis<'_>, role: &str, user: &ObjectId) -> Option<Activation> {
    use crate::analysis::Requirement;
    let chain = a
        .chains()
        .iter()
        .filter(|c| c.is_role())
        .find(|c| c.role_name.eq_ignore_ascii_case(role))?;
    let (requirement, note) = match chain.requirement {
        Requirement::None => (
            "none",
            "activation requires no authentication: no Conditional Access policy is evaluated for it".to_owned(),
        ),
        Requirement::MfaClaim => (
            "mfaClaim",
            "activation requires an MFA claim, which an earlier MFA in the session satisfies: no Conditional Access policy is evaluated for it".to_owned(),
        ),
        Requirement::AuthenticationContext => (
            "authenticationContext",
            format!(
                "activation requires authentication context {}: the policies below that apply to it are evaluated",
                chain.context.as_deref().unwrap_or("?")
            ),
        ),
    };
    Some(Activation {
        role: chain.role_name.clone(),
        eligible: chain.eligible_users.contains(user),
        requirement,
        context: chain.context.clone(),
        note,
    })
}
