use super::report_issues;
use crate::prelude::*;
use entralint_parser::IssueAt;

declare_rule! {
    /// A configuration snapshot lost a value, or wrote it so it cannot be read as it was.
    ///
    /// ## Why is this bad?
    /// Microsoft Graph's tenant configuration management (UTCM) snapshots, and the per-resource
    /// files EntraOps commits from them, hold Microsoft365DSC resources. Some of their values
    /// arrive in encodings that lose what they held:
    ///
    /// - a nested object written as its PowerShell type name, `"System.Collections.Hashtable"`:
    ///   the value is gone;
    /// - a list of display names written as one string (`"ExcludeRoles": "Directory
    ///   Synchronization Accounts"`): the entries are joined with spaces, and role, group and
    ///   location names hold spaces too, so one name and several cannot be told apart.
    ///
    /// Each such value is reported where it stands, and the rules that judge whom or what a
    /// policy covers do not judge a policy holding one: the run lists them as not evaluated for
    /// it. A list of names is read as one name, which resolves when one object has it.
    ///
    /// Reported at low severity, once per resource: lists of values that hold no space
    /// (controls, platforms, UPNs, address ranges) written as text, which are read back exactly,
    /// and empty lists written as `""`, read as empty; once per snapshot or Terraform plan, the
    /// resources of types entralint does not read, which are not checked; once per Terraform
    /// `.tf` file, the values it does not evaluate statically, read as unknown. A ScubaGear
    /// provider export is a snapshot too: once per export, the sections entralint does not read
    /// (service principals, license and domain settings, the other products' sections) are
    /// listed the same way, so that nothing in the file goes unchecked without a word.
    ///
    /// ## Example
    /// ```json fail
    /// {
    ///   "displayName": "AADConditionalAccessPolicy-Require MFA for admins",
    ///   "resourceType": "microsoft.entra.conditionalaccesspolicy",
    ///   "properties": {
    ///     "DisplayName": "Require MFA for admins", "State": "enabled",
    ///     "IncludeRoles": "Global Administrator Security Administrator",
    ///     "IncludeApplications": ["All"], "BuiltInControls": ["mfa"],
    ///     "GrantControlOperator": "OR"
    ///   }
    /// }
    /// ```
    ///
    /// ```json pass
    /// {
    ///   "displayName": "AADConditionalAccessPolicy-Require MFA for admins",
    ///   "resourceType": "microsoft.entra.conditionalaccesspolicy",
    ///   "properties": {
    ///     "DisplayName": "Require MFA for admins", "State": "enabled",
    ///     "IncludeRoles": ["Global Administrator", "Security Administrator"],
    ///     "IncludeApplications": ["All"], "BuiltInControls": ["mfa"],
    ///     "GrantControlOperator": "OR"
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Review the value in the tenant, and lint an export that keeps it: Graph's own objects
    /// (`GET /identity/conditionalAccess/policies`), or a Microsoft365DSC export, which writes
    /// lists as arrays. Where the snapshot is the only source, write the list as an array in the
    /// committed file.
    ///
    /// ## References
    /// - [baselineResource resource type](https://learn.microsoft.com/graph/api/resources/baselineresource)
    /// - [configurationBaseline resource type](https://learn.microsoft.com/graph/api/resources/configurationbaseline)
    pub static LOSSY_SNAPSHOT = {
        code: "JSON013",
        name: "lossy-snapshot",
        severity: Severity::High,
        issue: Some(IssueKind::Lossy),
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_issues(
        cx,
        "what this held is lost or ambiguous",
        "review this value in the tenant, and lint an export that keeps it",
    );
    let tenant = cx.tenant;
    for issue in tenant
        .issues
        .iter()
        .filter(|i| matches!(i.kind, IssueKind::Translated | IssueKind::Unread))
    {
        let IssueAt::Pointer(at) = &issue.at else {
            continue;
        };
        let path = tenant.sources.path(issue.file).to_owned();
        let terraform = issue.message.contains("of this plan") || path.ends_with(".tf");
        let lower = path.to_ascii_lowercase();
        let powershell = lower.ends_with(".ps1") || lower.ends_with(".psd1");
        let subject = Subject {
            kind: SubjectKind::File,
            id: Some(ObjectId::new(&path)),
            display_name: Some(path),
            origin: Origin::new(issue.file, Pointer::root()),
        };
        let (label, help) = if issue.kind == IssueKind::Unread && terraform {
            (
                "not read",
                "nothing to fix in the file: check what these resources configure in a Graph export of the tenant",
            )
        } else if issue.kind == IssueKind::Unread {
            (
                "not read",
                "nothing to fix in the file: entralint checks Entra ID's Conditional Access, PIM and authentication settings; check the rest with the tool that wrote it",
            )
        } else if powershell {
            (
                "not evaluated",
                "nothing to fix in the file: entralint reads the literal values a Microsoft365DSC configuration holds and leaves what a script computes unknown; to check those, lint an export of the tenant (Export-M365DSCConfiguration)",
            )
        } else if terraform {
            (
                "read as unknown",
                "nothing to fix in the file: the value is known only when Terraform evaluates it; lint the plan (terraform show -json) to see it",
            )
        } else {
            (
                "read, but not as written",
                "nothing to fix in the file: this is how the snapshot is encoded",
            )
        };
        cx.report(Origin::new(issue.file, at.clone()), issue.message.clone())
            .severity(Severity::Low)
            .label(label)
            .help(help)
            .subject(subject);
    }
}
