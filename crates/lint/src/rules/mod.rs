//! The rule registry: one slice, sorted by code, one line per rule.

pub mod json;
pub mod pim;

use crate::Rule;

pub static ALL: &[&Rule] = &[
    &json::UNREADABLE_FILE,
    &json::DUPLICATE_KEY,
    &json::INCOMPLETE_PAGED_EXPORT,
    &json::DEPTH_TRUNCATED_VALUE,
    &pim::ACTIVATION_MFA_CLAIM_ONLY,
    &pim::ACTIVATION_WITHOUT_AUTHENTICATION,
    &pim::CONTEXT_WITHOUT_POLICY,
    &pim::CONTEXT_POLICY_NOT_PHISHING_RESISTANT,
];

/// The rule with this code (exact, case-insensitive).
pub fn by_code(code: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}
