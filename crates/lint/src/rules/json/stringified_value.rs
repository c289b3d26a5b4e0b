use super::{describe, report_schema_findings, schema_subject, shorten, POLICY_LIKE};
use crate::analysis::graph_schema::Problem;
use crate::prelude::*;

declare_rule! {
    /// An object or a list was written as a PowerShell string (`@{membershipKind=all}`).
    ///
    /// ## Why is this bad?
    /// Where Microsoft Graph has an object or a list, the file holds text that PowerShell made of
    /// it: `@{key=value; …}` is how PowerShell prints an object, and a .NET type name such as
    /// ``System.Collections.Generic.List`1[System.String]`` is how it prints a collection. This
    /// happens when an export script turns values into strings (string interpolation,
    /// `Export-Csv`, `Out-String`) or when `ConvertTo-Json` stops at its `-Depth`. The value is
    /// lost: what the conditions or settings were cannot be read back from the text, and the
    /// object is linted as if it did not have them.
    ///
    /// A value in a field entralint reads is reported as having the wrong type (JSON001), and the
    /// type names `ConvertTo-Json` writes at its depth limit (`System.Object[]`,
    /// `Microsoft.Graph.PowerShell.Models.…`) as a truncated export (JSON004); this rule reports
    /// the others, where Graph's v1.0 and beta metadata both expect an object or a list.
    ///
    /// ## Example
    /// ```json fail
    /// {
    ///   "id": "3c4d5e6f-0001-4000-8000-000000000001",
    ///   "displayName": "CA001 - Limited SharePoint access on unmanaged devices",
    ///   "state": "enabled",
    ///   "conditions": { "users": { "includeUsers": ["All"] }, "clientAppTypes": ["browser"] },
    ///   "sessionControls": { "applicationEnforcedRestrictions": "@{isEnabled=True}" }
    /// }
    /// ```
    ///
    /// ```json pass
    /// {
    ///   "id": "3c4d5e6f-0001-4000-8000-000000000001",
    ///   "displayName": "CA001 - Limited SharePoint access on unmanaged devices",
    ///   "state": "enabled",
    ///   "conditions": { "users": { "includeUsers": ["All"] }, "clientAppTypes": ["browser"] },
    ///   "sessionControls": { "applicationEnforcedRestrictions": { "isEnabled": true } }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Export again, writing the objects themselves as JSON with a depth that holds them
    /// (`ConvertTo-Json -Depth 20`), never their string form.
    ///
    /// ## References
    /// - [ConvertTo-Json](https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertto-json)
    /// - [conditionalAccessSessionControls resource type](https://learn.microsoft.com/graph/api/resources/conditionalaccesssessioncontrols)
    pub static STRINGIFIED_VALUE = {
        code: "JSON009",
        name: "stringified-value",
        severity: Severity::Medium,
        needs: &[POLICY_LIKE],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_schema_findings(
        cx,
        |p| matches!(p, Problem::Stringified { .. }),
        |cx, f, o| {
            let Problem::Stringified { value, expected } = &f.problem else {
                return;
            };
            let subject = schema_subject(cx, o);
            cx.report(
                f.at.clone(),
                format!(
                    "`{}` of {} is the text `{}`, not {expected}: PowerShell wrote the value as a string",
                    f.field,
                    describe(o),
                    shorten(value, 80)
                ),
            )
            .label(format!("{expected} written as text"))
            .help("export again, writing the objects as JSON (`ConvertTo-Json -Depth 20`), not as strings")
            .key(Key::Aspect(value.clone().into()))
            .subject(subject);
        },
        |n, object| format!("{object} has {n} more values PowerShell wrote as strings"),
    );
}
