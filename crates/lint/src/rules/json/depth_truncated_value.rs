use super::report_issues;
use crate::prelude::*;

declare_rule! {
    /// A value was replaced by a PowerShell type name: the export hit `ConvertTo-Json`'s depth limit.
    ///
    /// ## Why is this bad?
    /// `ConvertTo-Json` stops at `-Depth` (2 by default) and writes the .NET type name of anything
    /// deeper, such as `Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers` or
    /// `System.Collections.Hashtable`. The conditions, grant controls or rules that should be there
    /// are lost, and the policy reads as if it had none.
    ///
    /// ## Example
    /// ```json fail
    /// {
    ///   "displayName": "Require MFA for admins",
    ///   "state": "enabled",
    ///   "conditions": {
    ///     "users": "Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers"
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Export again with a larger depth: `ConvertTo-Json -Depth 20`.
    pub static DEPTH_TRUNCATED_VALUE = {
        code: "JSON004",
        name: "depth-truncated-value",
        severity: Severity::Medium,
        issue: Some(IssueKind::Truncated),
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_issues(
        cx,
        "the real value was cut off here",
        "export again with `ConvertTo-Json -Depth 20`",
    );
}
