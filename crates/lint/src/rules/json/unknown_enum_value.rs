use super::{describe, report_schema_findings, schema_subject, shorten, POLICY_LIKE};
use crate::analysis::graph_schema::{closest, Problem};
use crate::prelude::*;

declare_rule! {
    /// A field holds a value that is not one of the values Microsoft Graph defines for it.
    ///
    /// ## Why is this bad?
    /// Many fields of a policy take one of a fixed list of values, an enum of Graph's metadata: a
    /// policy's `state` is `enabled`, `disabled` or `enabledForReportingButNotEnforced`, a grant
    /// control is `block`, `mfa`, `compliantDevice`, and so on; flags fields such as an
    /// authentication strength's `allowedCombinations` join such values with commas
    /// (`password,sms`). A value outside the list — a typo (`enabeld`, `mfaa`), a word of the
    /// portal instead of the API (`reportOnly`), a value of another field — is refused by Graph
    /// when the object is created or updated, so the file does not describe anything that can
    /// exist in a tenant, and what entralint concludes from it is a guess.
    ///
    /// A policy's `includeUserActions` is reported too when it holds anything but the user
    /// actions Graph documents, `urn:user:registersecurityinfo` and `urn:user:registerdevice`:
    /// the metadata types the list as strings, but an invented action
    /// (`urn:user:privilegedrole:activate`) targets nothing.
    ///
    /// The values are those of Graph's v1.0 and beta metadata, as entralint was built with them
    /// (schemas/graph/README.md in its repository names the metadata files); a value either
    /// version accepts is not reported, and neither is a value that differs from one of them
    /// only in letter case.
    ///
    /// ## Example
    /// ```json fail
    /// {
    ///   "id": "3c4d5e6f-0001-4000-8000-000000000001",
    ///   "displayName": "CA001 - Require MFA for all users",
    ///   "state": "reportOnly",
    ///   "conditions": { "users": { "includeUsers": ["All"] }, "clientAppTypes": ["all"] },
    ///   "grantControls": { "operator": "OR", "builtInControls": ["mfaa"] }
    /// }
    /// ```
    ///
    /// ```json pass
    /// {
    ///   "id": "3c4d5e6f-0001-4000-8000-000000000001",
    ///   "displayName": "CA001 - Require MFA for all users",
    ///   "state": "enabledForReportingButNotEnforced",
    ///   "conditions": { "users": { "includeUsers": ["All"] }, "clientAppTypes": ["all"] },
    ///   "grantControls": { "operator": "OR", "builtInControls": ["mfa"] }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Write one of the values the finding lists (it names the closest one when the value looks
    /// like a typo). If the value is one Graph has added since, update entralint.
    ///
    /// ## References
    /// - [conditionalAccessPolicy resource type](https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy)
    /// - [authenticationStrengthPolicy resource type](https://learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy)
    /// - [unifiedRoleManagementPolicyRule resource type](https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicyrule)
    pub static UNKNOWN_ENUM_VALUE = {
        code: "JSON007",
        name: "unknown-enum-value",
        severity: Severity::Medium,
        needs: &[POLICY_LIKE],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_schema_findings(
        cx,
        |p| matches!(p, Problem::OutsideEnum { .. }),
        |cx, f, o| {
            let Problem::OutsideEnum {
                value,
                enum_name,
                members,
                flags,
            } = &f.problem
            else {
                return;
            };
            let object = describe(o);
            let shown = shorten(value, 80);
            // `unknownFutureValue` is Graph's marker for values it may add, never a value to write.
            let offered: Vec<&str> = members
                .iter()
                .copied()
                .filter(|m| *m != "unknownFutureValue")
                .collect();
            let (message, label, help) = if *enum_name == "@odata.type" {
                (
                    format!(
                        "`{shown}` in `{}` of {object} names no type Graph has there",
                        f.field
                    ),
                    "no such type here".to_owned(),
                    replace_help(value, &offered),
                )
            } else if *flags {
                let is_member = |part: &str| members.iter().any(|m| m.eq_ignore_ascii_case(part));
                let bad: Vec<&str> = value.split(',').filter(|p| !is_member(p)).collect();
                // Each part as it should be: trimmed, else the closest value.
                let fixed: Option<Vec<String>> = value
                    .split(',')
                    .map(|part| {
                        let trimmed = part.trim();
                        if is_member(trimmed) {
                            Some(trimmed.to_owned())
                        } else {
                            closest(trimmed, offered.iter().copied()).map(str::to_owned)
                        }
                    })
                    .collect();
                let help = match fixed {
                    Some(parts) => format!("replace it with `{}`", parts.join(",")),
                    None => format!(
                        "join values of `{enum_name}` with commas, without spaces: {}",
                        listed(&offered)
                    ),
                };
                let spaced = bad.iter().all(|b| is_member(b.trim()));
                let label = match bad.as_slice() {
                    _ if spaced => "values are joined without spaces".to_owned(),
                    [one] if !one.trim().is_empty() => format!("`{}` is not a value", one.trim()),
                    _ => "not values joined with commas".to_owned(),
                };
                (
                    format!(
                        "`{shown}` in `{}` of {object} is not a combination of Graph's `{enum_name}` values",
                        f.field
                    ),
                    label,
                    help,
                )
            } else {
                (
                    format!(
                        "`{shown}` in `{}` of {object} is not a value of Graph's `{enum_name}`",
                        f.field
                    ),
                    format!("not a value of `{enum_name}`"),
                    replace_help(value, &offered),
                )
            };
            let subject = schema_subject(cx, o);
            cx.report(f.at.clone(), message)
                .label(label)
                .help(help)
                .key(Key::Aspect(value.clone().into()))
                .subject(subject);
        },
        |n, object| format!("{object} has {n} more values Graph does not define"),
    );
    user_actions(cx);
}

/// The user actions a policy can target. Graph's metadata types `includeUserActions` as plain
/// strings; its documentation lists the values ("conditionalAccessApplications resource type",
/// <https://learn.microsoft.com/graph/api/resources/conditionalaccessapplications>).
const USER_ACTIONS: [&str; 2] = ["urn:user:registersecurityinfo", "urn:user:registerdevice"];

/// A user action Graph does not document (`urn:user:privilegedrole:activate`) targets nothing.
fn user_actions(cx: &mut Check<'_>) {
    for p in &cx.tenant.conditional_access {
        let actions = &p.conditions.applications.include_user_actions;
        for (i, action) in actions.iter().enumerate() {
            let a = action.trim();
            if a.is_empty() || USER_ACTIONS.iter().any(|u| u.eq_ignore_ascii_case(a)) {
                continue;
            }
            cx.report(
                p.origin
                    .at_index("conditions/applications/includeUserActions", i),
                format!(
                    "`{}` in `includeUserActions` of policy '{}' is not a user action Graph documents",
                    shorten(a, 80),
                    p.name()
                ),
            )
            .label("not a user action")
            .help(replace_help(a, &USER_ACTIONS))
            .key(Key::Aspect(a.to_owned().into()))
            .subject(crate::rules::shared::policy_subject(p));
        }
    }
}

/// The help for a value to replace: the closest member, else the members.
fn replace_help(value: &str, offered: &[&str]) -> String {
    match closest(value, offered.iter().copied()) {
        Some(m) => format!("replace it with `{m}`"),
        None => format!("write one of {}", listed(offered)),
    }
}

/// The members, quoted: all of them when there are few (`a`, `b` or `c`), else the first and a
/// count.
fn listed(members: &[&str]) -> String {
    const MAX: usize = 8;
    let quoted: Vec<String> = members.iter().map(|m| format!("`{m}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() && quoted.len() <= MAX => {
            format!("{} or {last}", rest.join(", "))
        }
        _ => crate::rules::shared::enumerate(&quoted, MAX),
    }
}
