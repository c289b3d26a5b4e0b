use super::report_issues;
use crate::prelude::*;

declare_rule! {
    /// An object meant as a Conditional Access policy is not in Microsoft Graph's shape.
    ///
    /// ## Why is this bad?
    /// Graph nests a policy's targets: `conditions.users.includeUsers`,
    /// `conditions.applications.includeApplications`, and `grantControls` is an object with an
    /// `operator` and a `builtInControls` list. Hand-written policy-as-code and other tools'
    /// models often flatten them (`conditions.includeUsers`, `grantControls: ["mfa"]`). Read as a
    /// Graph policy, such an object would have no users, no applications and no grant: entralint
    /// would lint a policy that applies to nobody, and miss the control the file describes.
    /// So it is not read; each such object is reported once, at the first member that betrays
    /// it, naming every one and where Graph has it.
    ///
    /// A CIPP Conditional Access template (a table row whose `JSON` holds the policy) whose
    /// `JSON` holds no policy object is reported here too. Other JSON files of no known shape
    /// are not findings: they are listed as unrecognized in the summary.
    ///
    /// ## Example
    /// ```json fail
    /// {
    ///   "displayName": "Require MFA for all users",
    ///   "state": "enabled",
    ///   "conditions": { "includeUsers": ["All"], "includeApplications": ["All"] },
    ///   "grantControls": ["mfa"]
    /// }
    /// ```
    ///
    /// ```json pass
    /// {
    ///   "displayName": "Require MFA for all users",
    ///   "state": "enabled",
    ///   "conditions": {
    ///     "users": { "includeUsers": ["All"] },
    ///     "applications": { "includeApplications": ["All"] }
    ///   },
    ///   "grantControls": { "operator": "OR", "builtInControls": ["mfa"] }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Lint what Graph returns (`GET /identity/conditionalAccess/policies`, or an export tool
    /// that saves it), or convert the file to Graph's shape. Keep files of other tools' own
    /// formats out of the linted paths.
    ///
    /// ## References
    /// - [conditionalAccessConditionSet resource type](https://learn.microsoft.com/graph/api/resources/conditionalaccessconditionset)
    /// - [conditionalAccessGrantControls resource type](https://learn.microsoft.com/graph/api/resources/conditionalaccessgrantcontrols)
    pub static FOREIGN_SHAPE = {
        code: "JSON010",
        name: "foreign-shape",
        severity: Severity::High,
        issue: Some(IssueKind::Foreign),
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_issues(
        cx,
        "not Graph's shape: the object is not read",
        "convert the object to Graph's shape, or lint what Graph returns",
    );
}
