//! The rule registry: one slice, sorted by code, one line per rule.

pub mod bg;
pub mod cfg;
pub mod hyg;
pub mod json;
pub mod pim;

use crate::Rule;

pub static ALL: &[&Rule] = &[
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
    &hyg::SECURITY_POLICY_NOT_ENFORCED,
    &hyg::DANGLING_REFERENCE,
    &hyg::POLICY_APPLIES_TO_NOTHING,
    &hyg::LEGACY_AUTHENTICATION_NOT_BLOCKED,
    &hyg::UNPROTECTED_INCLUDE_GROUP,
    &hyg::EXCLUSION_WITHOUT_FALLBACK,
    &hyg::CONTEXT_HYGIENE,
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
];

/// The rule with this code (exact, case-insensitive).
pub fn by_code(code: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}
