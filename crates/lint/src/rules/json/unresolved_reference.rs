use crate::prelude::*;
use crate::rules::shared::{first_of, policy_subject, ONE_BY_ONE};
use crate::symbols::{Unresolved, Why};

declare_rule! {
    /// A policy holds a name or a placeholder where an id belongs, and it resolves to no single object.
    ///
    /// ## Why is this bad?
    /// Microsoft Graph's Conditional Access lists hold object ids. Policies kept in repositories
    /// often name the objects instead — a group's display name, a user's UPN, an application's
    /// name, typed tokens such as `<DISPLAYNAME>:Example group` — or still hold template text:
    /// `$breakglassid`, `${…}`, `<EmergencyAccessAccountsGroup>`, Microsoft's
    /// `Current administrator will be excluded`. entralint resolves a name through the exported
    /// users, groups, role definitions and named locations, IntuneManagement's
    /// `MigrationTable.json`, the accounts declared in entralint.toml (`{ upn = "…" }`,
    /// `{ group-name = "…" }`, and `{ terraform = "azuread_group.breakglass" }` for a
    /// Terraform reference such as `azuread_group.breakglass.object_id`) and its catalogues of
    /// built-in roles and first-party applications; a resolved name is read exactly as its id.
    ///
    /// A name none of them knows, a name several objects share, and a placeholder cannot be read:
    /// who the policy covers or exempts is unknown. Deployed as written, Graph rejects the policy
    /// or a pipeline substitutes something nobody reviewed. Each is reported here, never as a
    /// dangling id (HYG002), and the rules that judge whom or what a policy covers do not judge
    /// that policy: the run lists them as not evaluated for it.
    ///
    /// Each entry is one finding, up to 10 in one list of a policy; a list with more is one
    /// finding at its first entry, naming the first 5 and giving the count.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "2b3c4d5e-0001-4000-8000-000000000001", "displayName": "CA-01 - Exclusions",
    ///     "securityEnabled": true, "isAssignableToRole": true },
    ///   { "id": "3c4d5e6f-0101-4000-8000-000000000101", "displayName": "CA01 - All users - Require MFA",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"],
    ///                                "excludeGroups": ["CA-01 - Exclusion"] },
    ///                     "applications": { "includeApplications": ["All"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "2b3c4d5e-0001-4000-8000-000000000001", "displayName": "CA-01 - Exclusion",
    ///     "securityEnabled": true, "isAssignableToRole": true },
    ///   { "id": "3c4d5e6f-0101-4000-8000-000000000101", "displayName": "CA01 - All users - Require MFA",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"],
    ///                                "excludeGroups": ["CA-01 - Exclusion"] },
    ///                     "applications": { "includeApplications": ["Office 365"] } },
    ///     "grantControls": { "operator": "OR", "builtInControls": ["mfa"] } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Write the object's id. Or let the name resolve: export the users, groups or role
    /// definitions it names (or keep the producer's `MigrationTable.json` next to the policies),
    /// or declare break-glass and service accounts in entralint.toml by `upn` or `group-name`.
    /// Replace placeholders before deploying a policy from a template.
    ///
    /// ## References
    /// - [conditionalAccessUsers resource type](https://learn.microsoft.com/graph/api/resources/conditionalaccessusers)
    /// - [conditionalAccessApplications resource type](https://learn.microsoft.com/graph/api/resources/conditionalaccessapplications)
    /// - [Verify first-party Microsoft applications in sign-in reports](https://learn.microsoft.com/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in)
    pub static UNRESOLVED_REFERENCE = {
        code: "JSON012",
        name: "unresolved-reference",
        severity: Severity::High,
        needs: &[Need::kind(Kind::ConditionalAccessPolicy)],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let unresolved = &cx.analysis.symbols().unresolved;
    let mut start = 0;
    while start < unresolved.len() {
        let first = &unresolved[start];
        let len = unresolved[start..]
            .iter()
            .take_while(|u| u.policy == first.policy && u.field == first.field)
            .count();
        report_list(cx, &unresolved[start..start + len]);
        start += len;
    }
}

/// The unresolved entries of one list of one policy.
fn report_list(cx: &mut Check<'_>, list: &[Unresolved]) {
    let policy = &cx.tenant.conditional_access[list[0].policy];
    if list.len() <= ONE_BY_ONE {
        for u in list {
            let field = u.field.rsplit('/').next().unwrap_or(u.field);
            let (what, help) = describe(u);
            // A data source's object is named by what the data source reads it by.
            let by = u
                .name
                .as_ref()
                .map(|n| format!(" (`{n}`, as its data source reads it)"))
                .unwrap_or_default();
            cx.report(
                policy.origin.at(&u.path()),
                format!(
                    "`{}`{by} in `{field}` of policy '{}' {what}",
                    u.text,
                    policy.name()
                ),
            )
            .label(label(u))
            .help(help)
            .key(Key::Object(ObjectId::new(&u.text)))
            .subject(policy_subject(policy));
        }
        return;
    }
    let first = &list[0];
    let field = first.field.rsplit('/').next().unwrap_or(first.field);
    let n = list.len();
    let shown = first_of(list.iter().map(|u| format!("`{}`", u.text)), n);
    cx.report(
        policy.origin.at(&first.path()),
        format!(
            "{n} entries of `{field}` of policy '{}' are not {} ids and could not be resolved: {shown}",
            policy.name(),
            first.target.noun()
        ),
    )
    .label("not an id")
    .help(format!(
        "write the {}s' ids, or export the objects they name so the names resolve",
        first.target.noun()
    ))
    .key(Key::Aspect(first.field.into()))
    .subject(policy_subject(policy));
}

/// The address a Terraform reference reads: the reference without its attribute
/// (`azuread_group.bg.object_id` → `azuread_group.bg`).
fn address_of(reference: &str) -> &str {
    let keep = if reference.starts_with("data.") { 3 } else { 2 };
    let mut end = reference.len();
    let mut dots = 0;
    for (i, c) in reference.char_indices() {
        if c == '.' {
            dots += 1;
            if dots == keep {
                end = i;
                break;
            }
        }
    }
    &reference[..end]
}

fn label(u: &Unresolved) -> &'static str {
    match u.why {
        Why::Placeholder(_) => "placeholder",
        Why::NotFound(_) => "unresolved name",
        Why::Ambiguous(..) => "ambiguous name",
        Why::Terraform => "known after apply",
    }
}

/// What is wrong with the entry, and what to do.
fn describe(u: &Unresolved) -> (String, String) {
    let noun = u.target.noun();
    let a_noun = u.target.a_noun();
    match &u.why {
        Why::Placeholder(what) => (
            format!("is {what}, not {a_noun} id: the template was not filled in"),
            format!("replace it with the id of the {noun} it stands for before deploying"),
        ),
        Why::NotFound(looked) => (
            format!("is not {a_noun} id, and {looked}"),
            format!(
                "write the {noun}'s id, or export the {noun} (or the producer's MigrationTable.json) so the name resolves{}",
                match u.target {
                    crate::symbols::Target::User =>
                        "; a break-glass or service account can be declared in entralint.toml as { upn = \"…\" }",
                    crate::symbols::Target::Group =>
                        "; a break-glass or service group can be declared in entralint.toml as { group-name = \"…\" }",
                    _ => "",
                }
            ),
        ),
        Why::Ambiguous(n, source) => (
            format!("is not {a_noun} id, and {n} objects of {source} have that name"),
            format!("write the id of the one {noun} meant"),
        ),
        Why::Terraform => (
            if u.text.trim().trim_start_matches("${").starts_with("var.") {
                "is a Terraform input variable this configuration gives no value (no default, no terraform.tfvars or *.auto.tfvars), and no account declared in entralint.toml has its address".to_owned()
            } else {
                "is a Terraform reference, whose value is known only after apply, and no account declared in entralint.toml has its address".to_owned()
            },
            match u.target {
                crate::symbols::Target::User | crate::symbols::Target::Group => format!(
                    "if the {noun} is a break-glass or service account, declare it in entralint.toml as {{ terraform = \"{}\" }}; else write the {noun}'s id",
                    address_of(&u.text)
                ),
                _ => format!(
                    "write the {noun}'s id, or refer to a resource of the same configuration"
                ),
            },
        ),
    }
}
