//! The activation chain of a role: PIM policy → requirement (none | MFA claim | authentication
//! context) → the context's definition → the Conditional Access policies that target it → their
//! grant and strength.

use super::strength::{grant, Grant};
use super::{norm, Analysis};
use entralint_parser::model::{
    rule_ids, AuthenticationContext, ConditionalAccessPolicy, EnablementRequirement, PimRule,
    RoleManagementPolicy, RuleBody, ScopeType,
};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// What activation asks of the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Neither MFA nor an authentication context.
    None,
    /// `MultiFactorAuthentication` only: a claim an earlier sign-in may already have put in the token.
    MfaClaim,
    /// An authentication context (whatever `enabledRules` says besides).
    AuthenticationContext,
}

impl Requirement {
    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::None => "none",
            Requirement::MfaClaim => "mfaClaim",
            Requirement::AuthenticationContext => "authenticationContext",
        }
    }
}

/// A Conditional Access policy that targets the role's authentication context.
#[derive(Debug, Clone)]
pub struct ContextPolicy<'t> {
    pub policy: &'t ConditionalAccessPolicy,
    pub grant: Grant,
}

impl ContextPolicy<'_> {
    /// Enforced and its grant requires a phishing-resistant strength (or blocks).
    pub fn enforces_phishing_resistance(&self) -> bool {
        self.policy.is_enabled() && matches!(self.grant, Grant::PhishingResistant(_) | Grant::Block)
    }
}

#[derive(Debug, Clone)]
pub struct RoleChain<'t> {
    /// Role template id, lower-case.
    pub role_id: String,
    pub role_name: String,
    pub privileged: bool,
    pub tier0: bool,
    pub policy: &'t RoleManagementPolicy,
    /// Principals with an eligibility for the role (groups not expanded).
    pub eligible: BTreeSet<String>,
    pub enablement: Option<&'t PimRule>,
    pub context_rule: Option<&'t PimRule>,
    pub requirement: Requirement,
    /// The claim value (`c1`) when the context rule is enabled.
    pub context: Option<String>,
    pub context_definition: Option<&'t AuthenticationContext>,
    /// Policies whose `includeAuthenticationContextClassReferences` holds the context, in input
    /// order (shared by every role that requires the same context).
    pub context_policies: Rc<Vec<ContextPolicy<'t>>>,
}

impl RoleChain<'_> {
    pub fn mfa_required(&self) -> bool {
        self.enablement.is_some_and(|r| match &r.body {
            RuleBody::Enablement { enabled_rules } => {
                enabled_rules.contains(&EnablementRequirement::MultiFactorAuthentication)
            }
            _ => false,
        })
    }

    /// The PIM policy was exported without its rules (`$expand=rules` missing).
    pub fn rules_missing(&self) -> bool {
        self.policy.rules.is_empty()
    }
}

/// The claim value of an enabled context rule, borrowed from the tenant.
fn claim_of(rule: &PimRule) -> Option<&str> {
    match &rule.body {
        RuleBody::AuthenticationContext {
            is_enabled: true,
            claim_value,
        } => claim_value.as_deref(),
        _ => None,
    }
}

pub(super) fn build<'t>(a: &Analysis<'t>) -> Vec<RoleChain<'t>> {
    let t = a.tenant;
    let policies: BTreeMap<&str, &RoleManagementPolicy> = t
        .role_management_policies
        .iter()
        .filter_map(|p| Some((p.id.as_deref()?, p)))
        .collect();
    // Each context's policies and their grants, computed once.
    let mut by_context: BTreeMap<&str, Rc<Vec<ContextPolicy<'t>>>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut chains = Vec::new();
    for assignment in &t.policy_assignments {
        if matches!(
            assignment.scope_type,
            Some(ScopeType::Group) | Some(ScopeType::Unknown(_))
        ) {
            continue;
        }
        let (Some(role), Some(pid)) = (&assignment.role_definition_id, &assignment.policy_id)
        else {
            continue;
        };
        let role = norm(role);
        let Some(policy) = policies.get(pid.as_str()).copied() else {
            continue;
        };
        if !seen.insert(role.clone()) {
            continue;
        }
        let enablement = policy.rule(rule_ids::ENABLEMENT_END_USER);
        let context_rule = policy.rule(rule_ids::AUTH_CONTEXT_END_USER);
        let claim = context_rule.and_then(claim_of);
        let mut chain = RoleChain {
            role_name: a.role_name(&role),
            privileged: a.is_privileged(&role),
            tier0: a.is_tier0(&role),
            eligible: a.eligible_principals(&role),
            role_id: role,
            policy,
            enablement,
            context_rule,
            requirement: Requirement::None,
            context_definition: None,
            context_policies: Rc::default(),
            context: claim.map(str::to_owned),
        };
        chain.requirement = if chain.context.is_some() {
            Requirement::AuthenticationContext
        } else if chain.mfa_required() {
            Requirement::MfaClaim
        } else {
            Requirement::None
        };
        if let Some(c) = claim {
            chain.context_definition = t
                .authentication_contexts
                .iter()
                .find(|x| x.id.as_deref() == Some(c));
            chain.context_policies = by_context
                .entry(c)
                .or_insert_with(|| {
                    Rc::new(
                        t.conditional_access
                            .iter()
                            .filter(|p| p.targets_context(c))
                            .map(|p| ContextPolicy {
                                policy: p,
                                grant: grant(t, p),
                            })
                            .collect(),
                    )
                })
                .clone();
        }
        chains.push(chain);
    }
    chains.sort_by(|x, y| (&x.role_name, &x.role_id).cmp(&(&y.role_name, &y.role_id)));
    chains
}
