use super::{describe, report_schema_findings, schema_subject, POLICY_LIKE};
use crate::analysis::graph_schema::{Hint, Problem};
use crate::prelude::*;

declare_rule! {
    /// An object has a property Microsoft Graph does not define for its type.
    ///
    /// ## Why is this bad?
    /// entralint reads each property by its name (only the case of its first letter is ignored,
    /// for PowerShell's PascalCase exports). A misspelled or misplaced property — `grantControl`
    /// for `grantControls`, `includeUsers` directly under `conditions` instead of under
    /// `conditions.users` — is not read at all: the policy is linted as if it did not have it,
    /// and Graph, which does not know the name either, does not apply it. A policy whose grant
    /// controls are misspelled is linted as a policy without grant controls.
    ///
    /// The names are those Graph's v1.0 and beta metadata declare for the type of the object
    /// that holds the property (its base types' and derived types' included); a name either
    /// version declares is not reported. Instance annotations (`@odata.type`,
    /// `displayName@odata.type`, `#microsoft.graph.restore`) are never unknown, nor are the
    /// properties real exports are seen to carry beyond the metadata: `templateId` and
    /// `partialEnablementStrategy` of a policy, `times` and `agents` of its conditions, the
    /// members Microsoft's SDKs add to the objects they model (`AdditionalProperties` of the
    /// Graph PowerShell SDK's, `OdataType` and `AdditionalData` of the other SDKs'), and the
    /// members EntraExporter adds to its PIM files.
    ///
    /// ## Example
    /// ```json fail
    /// {
    ///   "id": "3c4d5e6f-0001-4000-8000-000000000001",
    ///   "displayName": "CA001 - Require MFA for all users",
    ///   "state": "enabled",
    ///   "conditions": { "users": { "includeUsers": ["All"] }, "clientAppTypes": ["all"] },
    ///   "grantControl": { "operator": "OR", "builtInControls": ["mfa"] }
    /// }
    /// ```
    ///
    /// ```json pass
    /// {
    ///   "id": "3c4d5e6f-0001-4000-8000-000000000001",
    ///   "displayName": "CA001 - Require MFA for all users",
    ///   "state": "enabled",
    ///   "conditions": { "users": { "includeUsers": ["All"] }, "clientAppTypes": ["all"] },
    ///   "grantControls": { "operator": "OR", "builtInControls": ["mfa"] }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Correct the name or move the property where the finding says; remove a property Graph
    /// does not have (notes and comments belong outside the object). If Graph has added the
    /// property since, update entralint.
    ///
    /// ## References
    /// - [conditionalAccessPolicy resource type](https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy)
    /// - [namedLocation resource type](https://learn.microsoft.com/graph/api/resources/namedlocation)
    /// - [unifiedRoleManagementPolicy resource type](https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicy)
    pub static UNKNOWN_PROPERTY = {
        code: "JSON008",
        name: "unknown-property",
        severity: Severity::Low,
        needs: &[POLICY_LIKE],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_schema_findings(
        cx,
        |p| matches!(p, Problem::UnknownProperty { .. }),
        |cx, f, o| {
            let Problem::UnknownProperty {
                key,
                type_name,
                hint,
            } = &f.problem
            else {
                return;
            };
            // The key as the file writes it (a PascalCase export writes `GrantControl`).
            let span = cx.tenant.sources.resolve(&f.at);
            let text = &cx.tenant.sources.file(f.at.file).text;
            // (Inside a JSON string, as in a CIPP template, the key's quotes are escaped.)
            let written = span
                .key
                .as_ref()
                .and_then(|k| text.get(k.clone()))
                .map(|k| k.trim_start_matches(['\\', '"']))
                .map(|k| k.trim_end_matches('"').trim_end_matches('\\'))
                .filter(|w| w.eq_ignore_ascii_case(key))
                .unwrap_or(key);
            let field = match f.field.rsplit_once('.') {
                Some((parent, _)) => format!("{parent}.{written}"),
                None => written.to_owned(),
            };
            let help = match hint {
                Some(Hint::Rename(name)) => format!("rename it to `{}`", in_style_of(written, name)),
                Some(Hint::MoveInto(member)) => format!("move it into `{member}`"),
                None => format!(
                    "remove it, or correct its name: Graph's `{type_name}` has no such property"
                ),
            };
            let subject = schema_subject(cx, o);
            let finding = cx.report(
                f.at.clone(),
                format!(
                    "`{field}` of {} is not a property of Graph's `{type_name}`",
                    describe(o)
                ),
            );
            finding
                .label("unknown to Graph; entralint does not read it")
                .help(help)
                .subject(subject);
            if let Some(k) = span.key.filter(|_| span.exact) {
                finding.span(k);
            }
        },
        |n, object| format!("{object} has {n} more properties Graph does not define"),
    );
}

/// `name` with the first letter's case of `written` (a PascalCase export gets `GrantControls`).
fn in_style_of(written: &str, name: &str) -> String {
    let mut out = name.to_owned();
    if written.starts_with(|c: char| c.is_ascii_uppercase()) {
        if let Some(first) = out.get_mut(..1) {
            first.make_ascii_uppercase();
        }
    }
    out
}
