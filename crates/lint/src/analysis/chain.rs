//! The activation chain: PIM policy → requirement (none | MFA claim | authentication context) →
//! the context's definition → the Conditional Access policies that target it → their state, grant,
//! strength, scope and narrowing conditions → a verdict and the weakest link.
//!
//! A chain exists for every directory role with a PIM policy and for every PIM-for-Groups
//! membership or ownership with one (scopeType `Group`, `roleDefinitionId` `member` | `owner`).

use super::scope::{scope, Exclusion};
use super::strength::{grant, Grant};
use super::Analysis;
use entralint_parser::model::{
    rule_ids, AuthenticationContext, ConditionalAccessPolicy, EnablementRequirement, PimRule,
    RoleManagementPolicy, RuleBody, ScopeType,
};
use entralint_parser::{Kind, ObjectId, Origin};
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

/// What the chain protects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChainTarget {
    /// A directory role (its template id).
    Role(ObjectId),
    /// PIM for Groups: `member` or `owner` access (lower-case) to a group.
    Group { group_id: ObjectId, access: String },
}

/// A condition that lets some activations skip the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Narrowing {
    /// Path below the policy.
    pub path: &'static str,
    pub what: String,
}

/// A Conditional Access policy that targets the chain's authentication context.
#[derive(Debug, Clone)]
pub struct ContextPolicy<'t> {
    pub policy: &'t ConditionalAccessPolicy,
    pub grant: Grant,
    pub narrowing: Vec<Narrowing>,
}

impl ContextPolicy<'_> {
    /// Enforced, and its grant requires a phishing-resistant strength (or blocks).
    pub fn enforces_phishing_resistance(&self) -> bool {
        self.policy.is_enabled() && self.grant.is_phishing_resistant()
    }
}

/// Overall assessment of a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Activation demands a fresh phishing-resistant method from every eligible user.
    PhishingResistant,
    /// A policy is enforced at activation, but it is weaker than that.
    Weak,
    /// Activation can happen with no new proof at all.
    Broken,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::PhishingResistant => "phishingResistant",
            Verdict::Weak => "weak",
            Verdict::Broken => "broken",
        }
    }
}

/// Rank of an activation's assurance: `None < MfaClaim < Weak < PhishingResistant`, which PIM010
/// and PIM011 compare (docs/dev/activation-chain.md, "Assurance").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Assurance {
    /// No requirement, or a context whose policies are all off or report-only (the fallback MFA
    /// is not triggered then).
    None,
    /// An MFA claim the session may already hold (also: a context no policy targets).
    MfaClaim,
    /// An enforced context policy, but not phishing-resistant for everyone, everywhere.
    Weak,
    PhishingResistant,
}

/// An eligible user that no enforced context policy covers, and why.
#[derive(Debug, Clone)]
pub struct ScopeGap {
    pub user: ObjectId,
    /// The user's display name, or the id.
    pub name: String,
    /// Exclusions of the user in enforced context policies: (index into `context_policies`, why).
    pub excluded: Vec<(usize, Exclusion)>,
}

#[derive(Debug, Clone)]
pub struct RoleChain<'t> {
    pub target: ChainTarget,
    /// Role template id for a role; the group id for PIM for Groups.
    pub role_id: ObjectId,
    /// How messages name it: `Global Administrator`, or `membership of group PIM-GA-Admins`.
    pub role_name: String,
    /// A privileged role, or a group that holds one.
    pub privileged: bool,
    /// Global Administrator, Privileged Role Administrator or Privileged Authentication
    /// Administrator, or a group that holds one of them.
    pub tier0: bool,
    /// For a group: the names of the roles it holds.
    pub group_roles: Vec<String>,
    pub policy: &'t RoleManagementPolicy,
    /// Principals with an eligibility (groups not expanded).
    pub eligible: BTreeSet<ObjectId>,
    /// Users who can activate it (eligible groups expanded, PIM-for-Groups paths included).
    pub eligible_users: BTreeSet<ObjectId>,
    pub enablement: Option<&'t PimRule>,
    pub context_rule: Option<&'t PimRule>,
    pub requirement: Requirement,
    /// The claim value (`c1`) when the context rule is enabled.
    pub context: Option<String>,
    pub context_definition: Option<&'t AuthenticationContext>,
    /// Policies whose `includeAuthenticationContextClassReferences` holds the context, in input
    /// order (shared by every chain that requires the same context).
    pub context_policies: Rc<Vec<ContextPolicy<'t>>>,
    /// Eligible users outside every enforced context policy.
    pub scope_gaps: Vec<ScopeGap>,
    /// Scope could not be told: a policy names a group whose members are not in the export.
    pub scope_unknown: Option<String>,
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

    pub fn is_role(&self) -> bool {
        matches!(self.target, ChainTarget::Role(_))
    }

    /// Enforced context policies.
    pub fn enforced(&self) -> impl Iterator<Item = (usize, &ContextPolicy<'_>)> {
        self.context_policies
            .iter()
            .enumerate()
            .filter(|(_, p)| p.policy.is_enabled())
    }

    /// The verdict and, unless phishing-resistant, the weakest link: in words, and where it is.
    pub fn verdict(&self) -> (Verdict, String, Origin) {
        let enablement = || match self.enablement {
            Some(r) => r.origin.at("enabledRules"),
            None => self.policy.origin.at("rules"),
        };
        match self.requirement {
            Requirement::None => (
                Verdict::Broken,
                "activation requires no authentication".to_owned(),
                enablement(),
            ),
            Requirement::MfaClaim => (
                Verdict::Broken,
                "activation accepts an MFA claim the session may already hold".to_owned(),
                enablement(),
            ),
            Requirement::AuthenticationContext => {
                let c = self.context.as_deref().unwrap_or_default();
                let claim = self
                    .context_rule
                    .map_or_else(enablement, |r| r.origin.at("claimValue"));
                if self.context_policies.is_empty() {
                    return (
                        Verdict::Broken,
                        format!("no Conditional Access policy targets context `{c}`: activation falls back to an MFA claim"),
                        claim,
                    );
                }
                let enforced: Vec<&ContextPolicy<'_>> = self.enforced().map(|(_, p)| p).collect();
                if enforced.is_empty() {
                    let p = &self.context_policies[0].policy;
                    return (
                        Verdict::Broken,
                        format!("policy `{}` on context `{c}` is not enabled, and the fallback MFA is then skipped", p.name()),
                        p.origin.at("state"),
                    );
                }
                if !enforced.iter().any(|p| p.grant.is_phishing_resistant()) {
                    let weak = enforced[0].policy;
                    return (
                        Verdict::Weak,
                        format!(
                            "policy `{}` does not require a phishing-resistant strength",
                            weak.name()
                        ),
                        weak.origin.at("grantControls"),
                    );
                }
                if let Some(gap) = self.scope_gaps.first() {
                    let at = match gap.excluded.first() {
                        Some((i, e)) => self.context_policies[*i].policy.origin.at(&e.path()),
                        None => enforced[0].policy.origin.at("conditions/users"),
                    };
                    return (
                        Verdict::Weak,
                        format!("eligible user {} is outside the context policies", gap.name),
                        at,
                    );
                }
                let strong: Vec<&&ContextPolicy<'_>> = enforced
                    .iter()
                    .filter(|p| p.grant.is_phishing_resistant())
                    .collect();
                if strong.iter().all(|p| !p.narrowing.is_empty()) {
                    let p = strong[0];
                    let n = &p.narrowing[0];
                    return (
                        Verdict::Weak,
                        format!("policy `{}` {}", p.policy.name(), n.what),
                        p.policy.origin.at(n.path),
                    );
                }
                (
                    Verdict::PhishingResistant,
                    String::new(),
                    strong[0].policy.origin.at("grantControls"),
                )
            }
        }
    }

    pub fn assurance(&self) -> Assurance {
        match (self.requirement, self.verdict().0) {
            (_, Verdict::PhishingResistant) => Assurance::PhishingResistant,
            (Requirement::None, _) => Assurance::None,
            (Requirement::MfaClaim, _) => Assurance::MfaClaim,
            (Requirement::AuthenticationContext, Verdict::Weak) => Assurance::Weak,
            (Requirement::AuthenticationContext, _) if self.context_policies.is_empty() => {
                Assurance::MfaClaim
            }
            (Requirement::AuthenticationContext, _) => Assurance::None,
        }
    }
}

/// The claim value of an enabled context rule.
fn claim_of(rule: &PimRule) -> Option<&str> {
    match &rule.body {
        RuleBody::AuthenticationContext {
            is_enabled: true,
            claim_value,
        } => claim_value.as_deref(),
        _ => None,
    }
}

/// Conditions of a policy that let some sign-ins skip it, as PIM008 reports them (null, absent
/// and empty condition objects never narrow; docs/dev/activation-chain.md, "Narrowing").
pub fn narrowing(p: &ConditionalAccessPolicy, g: &Grant) -> Vec<Narrowing> {
    let c = &p.conditions;
    let mut out = Vec::new();
    if let Some(l) = c.locations.as_ref() {
        if !l.exclude.is_empty() {
            out.push(Narrowing {
                path: "conditions/locations/excludeLocations",
                what: "skips sign-ins from excluded locations".into(),
            });
        }
        if !l.include.is_empty() && !l.include.iter().any(|x| x.eq_ignore_ascii_case("All")) {
            out.push(Narrowing {
                path: "conditions/locations/includeLocations",
                what: "applies only in some locations".into(),
            });
        }
    }
    if let Some(pl) = c.platforms.as_ref() {
        if !pl.exclude.is_empty() {
            out.push(Narrowing {
                path: "conditions/platforms/excludePlatforms",
                what: "skips excluded device platforms".into(),
            });
        }
        if !pl.include.is_empty() && !pl.include.iter().any(|x| x.eq_ignore_ascii_case("all")) {
            out.push(Narrowing {
                path: "conditions/platforms/includePlatforms",
                what: "applies only on some device platforms".into(),
            });
        }
    }
    if !c.client_app_types.is_empty()
        && !c
            .client_app_types
            .iter()
            .any(|x| x.eq_ignore_ascii_case("all"))
    {
        out.push(Narrowing {
            path: "conditions/clientAppTypes",
            what: "applies only to some client apps".into(),
        });
    }
    if c.devices
        .as_ref()
        .and_then(|d| d.device_filter.as_ref())
        .is_some_and(|f| f.is_set())
    {
        out.push(Narrowing {
            path: "conditions/devices/deviceFilter",
            what: "applies only to devices its filter matches".into(),
        });
    }
    if !c.user_risk_levels.is_empty() {
        out.push(Narrowing {
            path: "conditions/userRiskLevels",
            what: "applies only at some user risk levels".into(),
        });
    }
    if !c.sign_in_risk_levels.is_empty() {
        out.push(Narrowing {
            path: "conditions/signInRiskLevels",
            what: "applies only at some sign-in risk levels".into(),
        });
    }
    let others: Vec<&str> = g
        .alternatives()
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "mfa")
        .collect();
    if !others.is_empty() {
        out.push(Narrowing {
            path: "grantControls/operator",
            what: format!(
                "lets {} stand in for the authentication requirement (`OR`)",
                others.join(", ")
            ),
        });
    }
    out
}

pub(super) fn build<'t>(a: &Analysis<'t>) -> Vec<RoleChain<'t>> {
    let t = a.tenant;
    let policies: BTreeMap<&ObjectId, &RoleManagementPolicy> = t
        .role_management_policies
        .iter()
        .filter_map(|p| Some((p.id.as_ref()?, p)))
        .collect();
    // Each context's policies, grants and narrowing, computed once.
    let mut by_context: BTreeMap<&str, Rc<Vec<ContextPolicy<'t>>>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut chains = Vec::new();
    for assignment in &t.policy_assignments {
        let (Some(role), Some(pid)) = (&assignment.role_definition_id, &assignment.policy_id)
        else {
            continue;
        };
        let Some(policy) = policies.get(pid).copied() else {
            continue;
        };
        let target = match &assignment.scope_type {
            Some(ScopeType::Group) => {
                let Some(group_id) = assignment.scope_id.as_ref().or(policy.scope_id.as_ref())
                else {
                    continue;
                };
                ChainTarget::Group {
                    group_id: group_id.clone(),
                    access: role.to_ascii_lowercase(),
                }
            }
            Some(ScopeType::Unknown(_)) => continue,
            _ => ChainTarget::Role(role.clone()),
        };
        if !seen.insert(target.clone()) {
            continue;
        }
        let (role_id, role_name, privileged, tier0, group_roles, eligible, eligible_users) =
            match &target {
                ChainTarget::Role(r) => (
                    r.clone(),
                    a.role_name(r),
                    a.is_privileged(r),
                    a.is_tenant_takeover_role(r),
                    Vec::new(),
                    a.eligible_principals(r),
                    a.reachable_users(r),
                ),
                ChainTarget::Group { group_id, access } => {
                    let roles = a.group_roles(group_id);
                    let eligible = a.group_eligible(group_id, access);
                    let mut users = BTreeSet::new();
                    for p in &eligible {
                        if a.is_group(p) {
                            users.extend(a.users_in_group(p).iter().cloned());
                        } else {
                            users.insert(p.clone());
                        }
                    }
                    (
                        group_id.clone(),
                        format!(
                            "{} of group `{}`",
                            if access == "owner" {
                                "ownership"
                            } else {
                                "membership"
                            },
                            a.principal_name(group_id)
                        ),
                        roles.iter().any(|r| a.is_privileged(r)),
                        roles.iter().any(|r| a.is_tenant_takeover_role(r)),
                        roles.iter().map(|r| a.role_name(r)).collect(),
                        eligible,
                        users,
                    )
                }
            };
        let enablement = policy.rule(rule_ids::ENABLEMENT_END_USER);
        let context_rule = policy.rule(rule_ids::AUTH_CONTEXT_END_USER);
        let claim = context_rule.and_then(claim_of);
        let mut chain = RoleChain {
            target,
            role_id,
            role_name,
            privileged,
            tier0,
            group_roles,
            policy,
            eligible,
            eligible_users,
            enablement,
            context_rule,
            requirement: Requirement::None,
            context: claim.map(str::to_owned),
            context_definition: None,
            context_policies: Rc::default(),
            scope_gaps: Vec::new(),
            scope_unknown: None,
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
                            .map(|p| {
                                let g = grant(t, p);
                                ContextPolicy {
                                    narrowing: narrowing(p, &g),
                                    policy: p,
                                    grant: g,
                                }
                            })
                            .collect(),
                    )
                })
                .clone();
            scope_chain(a, &mut chain);
        }
        chains.push(chain);
    }
    chains.sort_by(|x, y| {
        (!x.is_role(), &x.role_name, &x.role_id).cmp(&(!y.is_role(), &y.role_name, &y.role_id))
    });
    chains
}

/// Which eligible users the enforced context policies cover.
fn scope_chain(a: &Analysis<'_>, chain: &mut RoleChain<'_>) {
    let policies = chain.context_policies.clone();
    let enforced: Vec<(usize, &ContextPolicy<'_>)> = policies
        .iter()
        .enumerate()
        .filter(|(_, p)| p.policy.is_enabled())
        .collect();
    if enforced.is_empty() {
        return;
    }
    let memberships_known = a.tenant.inventory.has(Kind::GroupMember);
    for (_, cp) in &enforced {
        let u = &cp.policy.conditions.users;
        if !memberships_known {
            if let Some(g) = u.include_groups.iter().chain(&u.exclude_groups).next() {
                chain.scope_unknown = Some(format!(
                    "policy `{}` names group {} and no group members are in input",
                    cp.policy.name(),
                    a.principal_name(g)
                ));
                return;
            }
        }
    }
    let mut gaps = Vec::new();
    for user in &chain.eligible_users {
        let mut covered = false;
        let mut excluded = Vec::new();
        for (i, cp) in &enforced {
            let s = scope(a, cp.policy, user);
            covered |= s.applies();
            if let Some(e) = s.excluded {
                excluded.push((*i, e));
            }
        }
        if !covered {
            gaps.push(ScopeGap {
                user: user.clone(),
                name: a.principal_name(user),
                excluded,
            });
        }
    }
    chain.scope_gaps = gaps;
}
