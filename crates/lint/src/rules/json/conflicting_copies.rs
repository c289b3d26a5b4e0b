use super::report_issues;
use crate::prelude::*;

declare_rule! {
    /// One object is exported twice with different content.
    ///
    /// ## Why is this bad?
    /// Two files (or two entries of one file) hold the object with the same id, and they disagree:
    /// two snapshots of the tenant taken at different times, a hand-edited copy next to a fresh
    /// export, or a policy-as-code file next to the export of what is deployed. entralint keeps
    /// one copy — the first read, in the order of the files' paths, whatever the order of the
    /// command line — and lints that one, so the findings describe one of two versions without
    /// saying so.
    ///
    /// Copies with the same content are merged silently: EntraExporter repeats a role's PIM policy
    /// in every eligibility file of the role.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "3c4d5e6f-0000-4000-8000-000000000001", "displayName": "Require MFA for admins",
    ///     "state": "enabled", "conditions": { "users": { "includeUsers": ["All"] } } },
    ///   { "id": "3c4d5e6f-0000-4000-8000-000000000001", "displayName": "Require MFA for admins",
    ///     "state": "disabled", "conditions": { "users": { "includeUsers": ["All"] } } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "3c4d5e6f-0000-4000-8000-000000000001", "displayName": "Require MFA for admins",
    ///     "state": "enabled", "conditions": { "users": { "includeUsers": ["All"] } } },
    ///   { "id": "3c4d5e6f-0000-4000-8000-000000000001", "displayName": "Require MFA for admins",
    ///     "state": "enabled", "conditions": { "users": { "includeUsers": ["All"] } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Keep one export of the tenant in the linted folder (put older snapshots in another folder,
    /// with its own entralint.toml, or outside the linted paths), or make the copies agree.
    pub static CONFLICTING_COPIES = {
        code: "JSON005",
        name: "conflicting-copies",
        severity: Severity::Medium,
        issue: Some(IssueKind::Conflict),
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_issues(
        cx,
        "this copy differs from the one entralint uses",
        "keep one copy of the object, or make the copies agree",
    );
}
