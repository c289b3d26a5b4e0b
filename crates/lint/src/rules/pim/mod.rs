//! PIM: the activation chain role → PIM policy → authentication context → Conditional Access
//! policy → authentication strength (reference peers §3.1).

mod activation_mfa_claim_only;
mod activation_without_authentication;
mod context_policy_not_phishing_resistant;
mod context_without_policy;

pub use activation_mfa_claim_only::ACTIVATION_MFA_CLAIM_ONLY;
pub use activation_without_authentication::ACTIVATION_WITHOUT_AUTHENTICATION;
pub use context_policy_not_phishing_resistant::CONTEXT_POLICY_NOT_PHISHING_RESISTANT;
pub use context_without_policy::CONTEXT_WITHOUT_POLICY;

use crate::prelude::*;

/// The remedy every chain rule points to.
const CHAIN_HELP: &str = "require an authentication context on activation and target it with an enabled Conditional Access policy that requires a phishing-resistant authentication strength";

/// Whether the export holds the PIM side of the chain; if not, the rule is not evaluated.
fn pim_input(cx: &mut Check<'_>) -> bool {
    let inv = &cx.tenant.inventory;
    let reason = if !inv.has(Kind::RoleManagementPolicy) {
        "no PIM role management policies in input"
    } else if !inv.has(Kind::RoleManagementPolicyAssignment) {
        "no roleManagementPolicyAssignments in input, so which role each PIM policy governs is unknown"
    } else if !cx.analysis.chains().is_empty()
        && cx.analysis.chains().iter().all(|c| c.rules_missing())
    {
        "the PIM policies in input have no rules (export them with $expand=rules)"
    } else {
        return true;
    };
    cx.not_evaluated(reason);
    false
}

fn eligibility_input(cx: &mut Check<'_>) -> bool {
    if cx.tenant.inventory.has(Kind::RoleEligibilitySchedule) {
        return true;
    }
    cx.not_evaluated("no role eligibility schedules in input");
    false
}

fn conditional_access_input(cx: &mut Check<'_>) -> bool {
    if cx.tenant.inventory.has(Kind::ConditionalAccessPolicy) {
        return true;
    }
    cx.not_evaluated("no Conditional Access policies in input");
    false
}

/// Critical for the roles that can take over the tenant, high for the others.
fn chain_severity(chain: &RoleChain<'_>) -> Severity {
    if chain.tier0 {
        Severity::Critical
    } else {
        Severity::High
    }
}

fn chain_subject(chain: &RoleChain<'_>) -> Subject {
    Subject {
        kind: "roleManagementPolicy",
        id: chain.policy.id.clone(),
        display_name: Some(chain.role_name.clone()),
        origin: chain.policy.origin.clone(),
    }
}

/// Related labels for up to three eligibility records of the role.
fn eligible_labels(cx: &Check<'_>, chain: &RoleChain<'_>) -> Vec<(Origin, String)> {
    cx.analysis
        .eligibility_records(&chain.role_id)
        .iter()
        .take(3)
        .map(|m| {
            let who = m
                .principal_id
                .as_deref()
                .map(|p| cx.analysis.principal_name(p))
                .unwrap_or_default();
            (
                m.origin.at("principalId"),
                format!("{who} is eligible for {}", chain.role_name),
            )
        })
        .collect()
}

/// Related labels on the PIM context rule and on the context's definition.
fn context_labels(chain: &RoleChain<'_>, f: &mut Finding) {
    let Some(c) = &chain.context else { return };
    if let Some(rule) = chain.context_rule {
        f.related(
            rule.origin.at("claimValue"),
            format!("{} requires context `{c}` on activation", chain.role_name),
        );
    }
    if let Some(def) = chain.context_definition {
        let name = def
            .display_name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        f.related(
            def.origin.at("id"),
            format!("context `{c}`{name} is defined here"),
        );
    }
}
