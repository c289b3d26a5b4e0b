//! ROL: rollout and lockout. Before a policy is switched on, who would be locked out, by which
//! policy, and why: policy scope joined to registered methods and to the tenant's authentication
//! method settings. A user satisfies an authentication strength only with a method they registered
//! and that the authentication methods policy enables
//! (<https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths>).

super::family! {
    unsatisfiable_strength_for_users::UNSATISFIABLE_STRENGTH_FOR_USERS,
    strength_unsatisfiable_by_method_settings::STRENGTH_UNSATISFIABLE_BY_METHOD_SETTINGS,
    tenant_admin_lockout::TENANT_ADMIN_LOCKOUT,
    managed_policy_without_break_glass_exclusion::MANAGED_POLICY_WITHOUT_BREAK_GLASS_EXCLUSION,
    approval_deadlock::APPROVAL_DEADLOCK,
}

use super::shared::{first_of, policy_subject, who, ONE_BY_ONE, SHOWN};
use crate::analysis::strength::{grant, Grant, ResolvedStrength, StrengthClass};
use crate::prelude::*;
use entralint_parser::model::ConditionalAccessPolicy;
use std::collections::BTreeSet;

/// The resolved strength a policy's grant if it requires one that could be resolved.
fn required_strength(cx: &Check<'_>, p: &ConditionalAccessPolicy) -> Option<ResolvedStrength> {
    match grant(cx.tenant, p) {
        Grant::Strength { strength, .. } if strength.class != StrengthClass::Unresolved => {
            Some(strength)
        }
        _ => None,
    }
}

/// The users a policy applies to. A context policy applies at activation, so its users are the
/// eligible users of the roles that require one of its contexts.
fn affected_users(cx: &Check<'_>, p: &ConditionalAccessPolicy) -> Vec<ObjectId> {
    let a = cx.analysis;
    if p.is_context_only() {
        let contexts = &p
            .conditions
            .applications
            .include_authentication_context_class_references;
        let mut users = BTreeSet::new();
        for chain in a.chains() {
            if chain.context.as_ref().is_some_and(|c| contexts.contains(c)) {
                users.extend(chain.eligible_users.iter().cloned());
            }
        }
        users
            .into_iter()
            .filter(|u| crate::analysis::scope::scope(a, p, u).applies())
            .collect()
    } else {
        a.users_in_scope(p)
    }
}

/// Users who hold (actively) or can activate (eligibility, PIM for Groups) a privileged role.
fn privileged_users(a: &Analysis<'_>) -> BTreeSet<ObjectId> {
    let known = a.known_users();
    let mut out: BTreeSet<ObjectId> = a
        .active()
        .iter()
        .filter(|(u, held)| known.contains(*u) && held.iter().any(|r| a.is_privileged(r)))
        .map(|(u, _)| u.clone())
        .collect();
    for chain in a.chains().iter().filter(|c| c.privileged) {
        out.extend(chain.eligible_users.iter().cloned());
    }
    out
}

/// Holders of Global Administrator or Privileged Role Administrator (the roles that can undo a
/// lockout), active, or also eligible unless `active_only`.
fn top_admin_holders(a: &Analysis<'_>, active_only: bool) -> BTreeSet<ObjectId> {
    let roles = [
        crate::analysis::GLOBAL_ADMINISTRATOR,
        crate::analysis::PRIVILEGED_ROLE_ADMINISTRATOR,
    ];
    let known = a.known_users();
    let mut out: BTreeSet<ObjectId> = a
        .active()
        .iter()
        .filter(|(u, held)| known.contains(*u) && held.iter().any(|r| roles.contains(r)))
        .map(|(u, _)| u.clone())
        .collect();
    if !active_only {
        for r in &roles {
            out.extend(a.reachable_users(r));
        }
    }
    out
}
