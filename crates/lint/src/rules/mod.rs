//! The rule registry: one slice, sorted by code, one line per rule.

pub mod adm;
pub mod bg;
pub mod cfg;
pub mod json;
pub mod pim;
pub mod rol;
mod shared;

use crate::Rule;

pub static ALL: &[&Rule] = &[
    &adm::ADMIN_MFA_NOT_ENFORCED,
    &adm::ADMIN_PHISHING_RESISTANCE_MISSING,
    &adm::PRIVILEGED_ACCESS_INVISIBLE_TO_ROLE_TARGETING,
    &adm::ADMINS_EXCLUDED_FROM_ADMIN_COVERAGE,
    &adm::MFA_OPTIONAL_BY_OR_GRANT,
    &adm::WEAK_ADMIN_SESSION_CONTROLS,
    &bg::BREAK_GLASS_EXPOSED_TO_POLICY,
    &bg::BREAK_GLASS_HYGIENE,
    &bg::BREAK_GLASS_WITHOUT_PHISHING_RESISTANT_METHOD,
    &bg::EDITABLE_EXCLUSION_GROUP,
    &bg::EXCLUSION_SPRAWL,
    &bg::PRIVILEGED_SERVICE_ACCOUNT_EXCLUDED,
    &bg::BREAK_GLASS_UNPROTECTED,
    &bg::BREAK_GLASS_NOT_DECLARED,
    &cfg::EXPIRED_SUPPRESSION,
    &cfg::UNUSED_SUPPRESSION,
    &json::UNREADABLE_FILE,
    &json::DUPLICATE_KEY,
    &json::INCOMPLETE_PAGED_EXPORT,
    &json::DEPTH_TRUNCATED_VALUE,
    &pim::ACTIVATION_MFA_CLAIM_ONLY,
    &pim::ACTIVATION_WITHOUT_AUTHENTICATION,
    &pim::UNDEFINED_CONTEXT,
    &pim::CONTEXT_WITHOUT_POLICY,
    &pim::CONTEXT_POLICY_NOT_ENFORCED,
    &pim::CONTEXT_POLICY_NOT_PHISHING_RESISTANT,
    &pim::CONTEXT_POLICY_MISSES_ELIGIBLE_USERS,
    &pim::CONTEXT_POLICY_NARROWED,
    &pim::EVERY_TIME_RELIANCE,
    &pim::WEAKER_PATH_TO_GLOBAL_ADMIN,
    &pim::WEAK_GROUP_ACTIVATION,
    &pim::ACTIVATION_WITHOUT_APPROVAL,
    &pim::STANDING_PRIVILEGED_ACCESS,
    &pim::LAX_ACTIVATION_SETTINGS,
    &rol::UNSATISFIABLE_STRENGTH_FOR_USERS,
    &rol::STRENGTH_UNSATISFIABLE_BY_METHOD_SETTINGS,
    &rol::TENANT_ADMIN_LOCKOUT,
    &rol::MANAGED_POLICY_WITHOUT_BREAK_GLASS_EXCLUSION,
    &rol::APPROVAL_DEADLOCK,
];

/// The rule with this code (exact, case-insensitive).
pub fn by_code(code: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}
