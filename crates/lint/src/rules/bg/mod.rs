//! BG: break-glass (emergency access) accounts, service accounts and the exclusions that protect or
//! expose them. Microsoft's guidance for emergency access accounts:
//! <https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access>.
//! Break-glass and service accounts come from entralint.toml; without a declaration break-glass
//! accounts are inferred, and findings say so.

super::family! {
    break_glass_exposed_to_policy::BREAK_GLASS_EXPOSED_TO_POLICY,
    break_glass_hygiene::BREAK_GLASS_HYGIENE,
    break_glass_without_phishing_resistant_method::BREAK_GLASS_WITHOUT_PHISHING_RESISTANT_METHOD,
    editable_exclusion_group::EDITABLE_EXCLUSION_GROUP,
    exclusion_sprawl::EXCLUSION_SPRAWL,
    privileged_service_account_excluded::PRIVILEGED_SERVICE_ACCOUNT_EXCLUDED,
    break_glass_unprotected::BREAK_GLASS_UNPROTECTED,
    break_glass_not_declared::BREAK_GLASS_NOT_DECLARED,
}

use super::shared::{first_of, policy_subject, who, ONE_BY_ONE};
use crate::analysis::accounts::about_user_sign_ins;
use crate::analysis::strength::{grant, Grant};
use crate::prelude::*;
use entralint_parser::builtin::is_special_user;
use entralint_parser::model::{BuiltInControl, ConditionalAccessPolicy};

/// A list of principals for a message.
fn list(a: &Analysis<'_>, ids: &[ObjectId]) -> String {
    ids.iter()
        .map(|id| who(a, id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A policy that can stop a sign-in (block, MFA, a strength, device or app controls, sign-in
/// frequency), enabled or report-only, for users, and not only for an authentication context.
fn can_stop_sign_in(tenant: &Tenant, p: &ConditionalAccessPolicy) -> bool {
    if p.is_disabled() || p.state.is_none() {
        return false;
    }
    if !about_user_sign_ins(p) {
        return false;
    }
    let controls = p.grant_controls.as_ref().is_some_and(|g| {
        g.built_in_controls
            .iter()
            .any(|c| !matches!(c, BuiltInControl::UnknownFutureValue))
            || g.authentication_strength.is_some()
            || !g.terms_of_use.is_empty()
    });
    controls || p.sign_in_frequency().is_some() || !matches!(grant(tenant, p), Grant::None)
}

/// Whether every principal the policy includes is a break-glass account or group: a policy
/// dedicated to protecting the break-glass accounts.
fn targets_only_break_glass(cx: &Check<'_>, p: &ConditionalAccessPolicy) -> bool {
    let u = &p.conditions.users;
    let bg = cx.analysis.break_glass();
    let included: Vec<&ObjectId> = u.include_users.iter().chain(&u.include_groups).collect();
    !included.is_empty()
        && u.include_roles.is_empty()
        && !u.includes_all_users()
        && included.iter().all(|id| bg.contains(id))
}

/// A policy that requires MFA or a strength (or blocks) for everyone, for privileged roles, or at
/// an authentication context: the policies whose exclusions matter most.
fn protective(cx: &Check<'_>, p: &ConditionalAccessPolicy) -> bool {
    if p.is_disabled() {
        return false;
    }
    let u = &p.conditions.users;
    let broad = u.includes_all_users()
        || u.include_roles.iter().any(|r| cx.analysis.is_privileged(r))
        || !p
            .conditions
            .applications
            .include_authentication_context_class_references
            .is_empty();
    broad && grant(cx.tenant, p).challenges()
}

/// Users a policy's exclusions take out, with the list entry responsible: (user, field, index).
fn excluded_users(
    cx: &Check<'_>,
    p: &ConditionalAccessPolicy,
) -> Vec<(ObjectId, &'static str, usize)> {
    let u = &p.conditions.users;
    let mut out = Vec::new();
    for (i, id) in u.exclude_users.iter().enumerate() {
        // `GuestsOrExternalUsers` (or a stray `All`) names a set of users, not an account.
        if !is_special_user(id) {
            out.push((id.clone(), "excludeUsers", i));
        }
    }
    // Each user of the groups once, with the first group that holds them.
    for (user, i) in cx.analysis.users_in_groups(&u.exclude_groups) {
        out.push((user, "excludeGroups", i));
    }
    out
}
