use super::report_issues;
use crate::prelude::*;

declare_rule! {
    /// A Graph collection holds only its first page (`@odata.nextLink` is present).
    ///
    /// ## Why is this bad?
    /// Microsoft Graph returns large collections in pages and puts the address of the next page in
    /// `@odata.nextLink`. A file that still carries it is only part of the collection: policies,
    /// users or registration records on the later pages are missing, and rules that reason about
    /// "every policy" or "every eligible user" can be wrong.
    ///
    /// Pages a script saved as separate files of one folder (the same `@odata.context`) are read
    /// as one collection: when the last page (the one without `@odata.nextLink`) is among them,
    /// nothing is reported; when it is missing, one finding is reported for the collection.
    ///
    /// ## Example
    /// ```json fail
    /// {
    ///   "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
    ///   "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=X",
    ///   "value": [ { "id": "1a2b3c4d-0001-4000-8000-000000000001", "userPrincipalName": "alice@contoso.com" } ]
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Export again following every `@odata.nextLink` (for example `Invoke-MgGraphRequest` in a loop,
    /// or a cmdlet with `-All`), and save the combined `value` array.
    pub static INCOMPLETE_PAGED_EXPORT = {
        code: "JSON003",
        name: "incomplete-paged-export",
        severity: Severity::Medium,
        issue: Some(IssueKind::Paged),
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_issues(
        cx,
        "more pages exist",
        "export again following every `@odata.nextLink` and save all pages in one `value` array",
    );
}
