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
    /// An expired suppression is reported by CFG001 instead, and a suppression of a rule that did
    /// not run (deselected, turned off, or not evaluated for lack of input) is not judged.
    ///
    /// ## Example
    /// A suppression of a duplicate key in a file that has since been fixed (the export being
    /// linted has no such finding):
    ///
    /// ```toml fail
    /// [[suppress]]
    /// rule = "JSON002"
    /// object = "tenant/Policies/require-mfa-admins.json"
    /// justification = "Duplicate key kept until the policy is re-exported (CHG-2211)"
    /// ```
    ///
    /// ## How to fix
    /// Delete the suppression, or correct its `rule` and `object` (the id of the policy, role,
    /// user or group the finding is about, as the JSON report's `object.id` shows it).
    pub static UNUSED_SUPPRESSION = {
        code: "CFG002",
        name: "unused-suppression",
        severity: Severity::Low,
        runs: Runs::AfterFindings,
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let (Some(outcome), Some(file)) = (cx.outcome, cx.settings.file) else {
        return;
    };
    let run = &cx.settings.run;
    for (s, used) in run.suppressions.iter().zip(&outcome.suppression_used) {
        if *used || run.is_expired(s) || !outcome.evaluated.contains(s.rule) {
            continue;
        }
        cx.report(
            Origin::new(file, Pointer::root()),
            format!(
                "the suppression of {} for `{}` matched no finding",
                s.rule, s.object
            ),
        )
        .span(s.object_span.clone())
        .label("no finding of this rule is about this object")
        .help("delete the suppression, or fix its rule code or object id")
        .key(Key::Suppression {
            rule: s.rule,
            object: s.object.clone(),
        });
    }
}
