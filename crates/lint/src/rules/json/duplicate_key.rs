use super::report_issues;
use crate::prelude::*;

declare_rule! {
    /// The same key appears twice in one JSON object.
    ///
    /// ## Why is this bad?
    /// Microsoft Graph never writes duplicate keys, so the file was edited by hand or merged badly.
    /// JSON parsers disagree on which value wins: entralint, like `serde_json` and PowerShell, uses
    /// the last one, but the portal or a deployment pipeline may use the first. The policy that
    /// reaches the tenant may then not be the one that was reviewed.
    ///
    /// ## Example
    /// ```json fail
    /// {
    ///   "displayName": "Short sign-in frequency",
    ///   "state": "enabled",
    ///   "conditions": { "users": { "includeUsers": ["All"] } },
    ///   "sessionControls": null,
    ///   "sessionControls": { "signInFrequency": { "isEnabled": true, "type": "hours", "value": 12 } }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Delete one of the two keys, keeping the value you mean.
    pub static DUPLICATE_KEY = {
        code: "JSON002",
        name: "duplicate-key",
        severity: Severity::Medium,
        issue: Some(IssueKind::DuplicateKey),
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_issues(
        cx,
        "repeated here; this value is used",
        "delete one of the two keys, keeping the value you mean",
    );
}
