use crate::prelude::*;

declare_rule! {
    /// A suppression in entralint.toml matches no finding.
    ///
    /// ## Why is this bad?
    /// A suppression that suppresses nothing is either stale (the fault was fixed, the object
    /// deleted) or wrong (a mistyped rule code or object id, so the finding it was meant for is
    /// still reported, or will be silently waved through once the typo "matches" something else).
    /// Keeping the list of accepted risks exact is what makes it worth reviewing.
    ///
    /// An expired suppression is reported by CFG001 instead.
    ///
    /// ## Example
    /// ```toml fail
    /// [[suppress]]
    /// rule = "PIM001"
    /// object = "62e90394-69f5-4237-9190-012177145e10"
    /// justification = "Accepted until the phishing-resistant rollout (RISK-77)"
    /// ```
    ///
    /// ## How to fix
    /// Delete the suppression, or correct its `rule` and `object` (the id of the policy, role,
    /// user or group the finding is about, as the JSON report's `object.id` shows it).
    pub static UNUSED_SUPPRESSION = {
        code: "CFG002",
        name: "unused-suppression",
        severity: Severity::Low,
        check: check,
    }
}

/// Whether a suppression matched is only known after every rule ran: the runner reports these.
fn check(_: &mut Check<'_>) {}
