use super::report_issues_with;
use crate::prelude::*;

declare_rule! {
    /// Input file is not valid JSON, not decodable text, or holds an object of the wrong shape.
    ///
    /// ## Why is this bad?
    /// entralint cannot read what the file says, so every policy, role setting or assignment in it
    /// is invisible to every other rule: a broken file hides its whole content. The other files are
    /// still linted.
    ///
    /// Files are read as UTF-8, UTF-8 with a byte-order mark, or UTF-16 (what Windows PowerShell 5.1
    /// writes), and parsed as strict JSON (RFC 8259): no comments, no trailing commas, at most 128
    /// levels of nesting. An object whose fields have the wrong JSON type (a string where Graph
    /// returns a list, for example) is reported here too, at that field. A trailing comma before
    /// a closing bracket (DCToolbox's backups keep one wherever a removed line was last) is read
    /// past: it is reported at low severity, at the comma, and the file is read whole.
    ///
    /// ## Example
    /// ```json fail
    /// {
    ///   "displayName": "Require MFA for admins",
    ///   "state": "enabled",
    /// }
    /// ```
    ///
    /// ```json pass
    /// {
    ///   "displayName": "Require MFA for admins",
    ///   "state": "enabled"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Re-export the file, or repair the hand edit at the position shown. Files that are meant to
    /// carry comments (JSONC) are not tenant exports; keep them out of the linted paths.
    pub static UNREADABLE_FILE = {
        code: "JSON001",
        name: "unreadable-file",
        severity: Severity::High,
        issue: Some(IssueKind::Unreadable),
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_issues_with(
        cx,
        "entralint cannot read past this point",
        "this value has the wrong JSON type",
        "fix the JSON at this position or re-export the file",
    );
}
