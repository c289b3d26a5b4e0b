//! HYG: hygiene of the Conditional Access configuration — policies that look like protection and
//! are not (left in report-only, pointing at deleted objects, applying to nobody), the baseline
//! every tenant needs (legacy authentication blocked), and the groups, exclusions and contexts
//! around them.

super::family! {
    security_policy_not_enforced::SECURITY_POLICY_NOT_ENFORCED,
    dangling_reference::DANGLING_REFERENCE,
    policy_applies_to_nothing::POLICY_APPLIES_TO_NOTHING,
    legacy_authentication_not_blocked::LEGACY_AUTHENTICATION_NOT_BLOCKED,
    unprotected_include_group::UNPROTECTED_INCLUDE_GROUP,
    exclusion_without_fallback::EXCLUSION_WITHOUT_FALLBACK,
    context_hygiene::CONTEXT_HYGIENE,
}

use super::shared::{enumerate, first_of, policy_subject, who, ONE_BY_ONE, SHOWN};
use crate::analysis::chain::narrowing;
use crate::analysis::strength::{grant, Grant};
use crate::prelude::*;
use entralint_parser::model::{BuiltInControl, ConditionalAccessPolicy, UserConditions};
use std::collections::BTreeSet;

/// The client app types that are legacy authentication (basic authentication protocols).
const LEGACY_CLIENTS: [&str; 2] = ["exchangeActiveSync", "other"];

/// How a message names a policy's state.
fn state_word(p: &ConditionalAccessPolicy) -> &'static str {
    if p.is_report_only() {
        "report-only"
    } else if p.is_disabled() {
        "disabled"
    } else if p.is_enabled() {
        "enabled"
    } else {
        "in an unknown state"
    }
}

/// The administrative roles a policy includes: privileged roles and the roles of the admin
/// profile, in the policy's order.
fn admin_roles(cx: &Check<'_>, p: &ConditionalAccessPolicy) -> Vec<ObjectId> {
    let (_, profile) = cx.analysis.mfa_profile();
    let mut seen = BTreeSet::new();
    p.conditions
        .users
        .include_roles
        .iter()
        .filter(|r| cx.analysis.is_privileged(r) || profile.contains(*r))
        .filter(|r| seen.insert(*r))
        .cloned()
        .collect()
}

/// The kinds of security-critical policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Includes privileged or admin-profile roles and requires MFA, a strength, or blocks.
    Admin,
    /// Requires a phishing-resistant authentication strength no other control can replace.
    PhishingResistant,
    /// Blocks Exchange ActiveSync and/or other (legacy) clients.
    LegacyBlock,
}

fn is_admin_policy(cx: &Check<'_>, p: &ConditionalAccessPolicy) -> bool {
    !admin_roles(cx, p).is_empty() && grant(cx.tenant, p).challenges()
}

fn is_phishing_resistant_policy(t: &Tenant, p: &ConditionalAccessPolicy) -> bool {
    let g = grant(t, p);
    matches!(g, Grant::Strength { .. }) && g.is_phishing_resistant()
}

/// The legacy client types a policy names, as the policy spells them.
fn legacy_clients(p: &ConditionalAccessPolicy) -> Vec<&str> {
    LEGACY_CLIENTS
        .into_iter()
        .filter(|l| {
            p.conditions
                .client_app_types
                .iter()
                .any(|c| c.eq_ignore_ascii_case(l))
        })
        .collect()
}

fn blocks(p: &ConditionalAccessPolicy) -> bool {
    p.grant_controls
        .as_ref()
        .is_some_and(|g| g.has(&BuiltInControl::Block))
}

fn is_legacy_block(p: &ConditionalAccessPolicy) -> bool {
    blocks(p) && !legacy_clients(p).is_empty()
}

/// The security-critical classes of a user policy (authentication-context and workload-identity
/// policies have none: PIM005 judges the former).
fn classes(cx: &Check<'_>, p: &ConditionalAccessPolicy) -> Vec<Class> {
    if p.uses_contexts() || p.is_for_workloads() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if is_admin_policy(cx, p) {
        out.push(Class::Admin);
    }
    if is_phishing_resistant_policy(cx.tenant, p) {
        out.push(Class::PhishingResistant);
    }
    if is_legacy_block(p) {
        out.push(Class::LegacyBlock);
    }
    out
}

/// Whether a list of Graph values (client app types, user actions) holds `value`, ignoring case.
fn contains_value(list: &[String], value: &str) -> bool {
    list.iter()
        .any(|x| x.trim().eq_ignore_ascii_case(value.trim()))
}

/// Whether the users condition includes guests or external users of some type (a condition
/// written with no type, as the Graph PowerShell SDK writes one a policy does not set, includes
/// none).
fn includes_guests(u: &UserConditions) -> bool {
    u.include_guests_or_external_users
        .as_ref()
        .is_some_and(|g| !g.guest_or_external_user_types.is_empty())
}

/// Whether `q` reaches at least the users `p` includes: `q` includes all users, or each of `p`'s
/// includes is among `q`'s; and no exclusion of `q` names one of `p`'s includes.
fn covers_users(p: &ConditionalAccessPolicy, q: &ConditionalAccessPolicy) -> bool {
    let (pu, qu) = (&p.conditions.users, &q.conditions.users);
    let included = qu.includes_all_users()
        || (!pu.includes_all_users()
            && pu
                .include_users
                .iter()
                .filter(|x| **x != "None")
                .all(|x| qu.include_users.contains(x))
            && pu
                .include_groups
                .iter()
                .all(|x| qu.include_groups.contains(x))
            && pu
                .include_roles
                .iter()
                .all(|x| qu.include_roles.contains(x))
            && (!includes_guests(pu) || includes_guests(qu)));
    included
        && !pu
            .include_users
            .iter()
            .any(|x| qu.exclude_users.contains(x))
        && !pu
            .include_groups
            .iter()
            .any(|x| qu.exclude_groups.contains(x))
        && !pu
            .include_roles
            .iter()
            .any(|x| qu.exclude_roles.contains(x))
}

/// Whether `q` applies to at least the client app types `p` does.
fn covers_clients(p: &ConditionalAccessPolicy, q: &ConditionalAccessPolicy) -> bool {
    let all = |l: &[String]| l.is_empty() || contains_value(l, "all");
    let (pc, qc) = (
        &p.conditions.client_app_types,
        &q.conditions.client_app_types,
    );
    all(qc) || (!all(pc) && pc.iter().all(|c| contains_value(qc, c)))
}

/// Whether every condition that lets sign-ins skip `q` (locations, platforms, device filter,
/// risk levels, an `OR` alternative) also narrows `p`: then `q` applies wherever `p` would.
fn narrowed_no_more(t: &Tenant, p: &ConditionalAccessPolicy, q: &ConditionalAccessPolicy) -> bool {
    let paths = |x: &ConditionalAccessPolicy| -> BTreeSet<&'static str> {
        narrowing(x, &grant(t, x))
            .into_iter()
            .map(|n| n.path)
            .filter(|path| *path != "conditions/clientAppTypes")
            .collect()
    };
    paths(q).is_subset(&paths(p))
}

/// Whether `q` reaches at least the cloud apps and user actions `p` includes.
fn covers_apps(p: &ConditionalAccessPolicy, q: &ConditionalAccessPolicy) -> bool {
    let (pa, qa) = (&p.conditions.applications, &q.conditions.applications);
    let all = |l: &[ObjectId]| l.iter().any(|x| *x == "All");
    let included = all(&qa.include_applications)
        || (!all(&pa.include_applications)
            && pa
                .include_applications
                .iter()
                .filter(|x| **x != "None")
                .all(|x| qa.include_applications.contains(x)));
    included
        && pa
            .include_user_actions
            .iter()
            .all(|x| contains_value(&qa.include_user_actions, x))
        && !pa
            .include_applications
            .iter()
            .any(|x| qa.exclude_applications.contains(x))
}
