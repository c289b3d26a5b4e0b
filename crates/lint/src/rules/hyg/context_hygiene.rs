use super::*;
use std::collections::BTreeMap;

declare_rule! {
    /// An authentication context is unused, unpublished while in use, or targeted without existing.
    ///
    /// ## Why is this bad?
    /// Authentication contexts connect apps and PIM to the Conditional Access policy that
    /// protects a sensitive action. Three states break that connection quietly:
    /// - a context is defined but no Conditional Access policy targets it and no PIM policy
    ///   requires it: apps that request it (SharePoint sites, sensitivity labels, Defender for
    ///   Cloud Apps) get no step-up at all, and the context is clutter that invites misuse;
    /// - a context that PIM requires or a policy targets has `isAvailable: false`: it is not
    ///   published to apps, so the configuration does not do what its author intended;
    /// - a policy targets a context id that the tenant does not define and no PIM policy
    ///   requires: the policy protects nothing, usually because the context was deleted or the
    ///   policy came from another tenant's template.
    ///
    /// The rule needs the exported authentication contexts; whether PIM requires a context is
    /// read from the PIM policies, and when those are missing the PIM-dependent checks are not
    /// evaluated. A PIM policy that requires an undefined context is PIM003's.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "c1", "displayName": "PIM elevation", "isAvailable": true },
    ///   { "id": "c4", "displayName": "Finance SharePoint sites", "isAvailable": true },
    ///   { "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
    ///         "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": true, "claimValue": "c1" } ] },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "3c4d5e6f-0200-4000-8000-000000000200", "displayName": "CA200 - PIM elevation - phishing-resistant",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"] },
    ///                     "applications": { "includeApplications": [],
    ///                                       "includeAuthenticationContextClassReferences": ["c1"] } },
    ///     "grantControls": { "operator": "OR",
    ///                        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "c1", "displayName": "PIM elevation", "isAvailable": true },
    ///   { "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
    ///         "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": true, "claimValue": "c1" } ] },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "3c4d5e6f-0200-4000-8000-000000000200", "displayName": "CA200 - PIM elevation - phishing-resistant",
    ///     "state": "enabled",
    ///     "conditions": { "users": { "includeUsers": ["All"] },
    ///                     "applications": { "includeApplications": [],
    ///                                       "includeAuthenticationContextClassReferences": ["c1"] } },
    ///     "grantControls": { "operator": "OR",
    ///                        "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Target an unused context with a Conditional Access policy (or delete it once no app uses
    /// it); publish a context that is in use ("Publish to apps", `isAvailable: true`); remove a
    /// context id from a policy when the context no longer exists, or re-create the context.
    ///
    /// ## References
    /// - [Authentication context](https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps#authentication-context)
    /// - [authenticationContextClassReference resource type](https://learn.microsoft.com/graph/api/resources/authenticationcontextclassreference)
    /// - [Configure Microsoft Entra role settings in PIM](https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-how-to-change-default-settings)
    pub static CONTEXT_HYGIENE = {
        code: "HYG007",
        name: "context-hygiene",
        severity: Severity::Low,
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let t = cx.tenant;
    let a = cx.analysis;
    let inv = &t.inventory;
    let pim_known =
        inv.has(Kind::RoleManagementPolicy) && inv.has(Kind::RoleManagementPolicyAssignment);
    // Who requires each context in PIM (by claim value): the chains' names and rules.
    let mut required: BTreeMap<&str, Vec<&RoleChain<'_>>> = BTreeMap::new();
    for chain in a.chains() {
        if let Some(c) = chain.context.as_deref() {
            required.entry(c).or_default().push(chain);
        }
    }
    // Which policies target each context: (policy, index in the list).
    let mut targeted: BTreeMap<&str, Vec<(&ConditionalAccessPolicy, usize)>> = BTreeMap::new();
    for p in &t.conditional_access {
        for (i, c) in p
            .conditions
            .applications
            .include_authentication_context_class_references
            .iter()
            .enumerate()
        {
            targeted.entry(c.as_str()).or_default().push((p, i));
        }
    }
    if !inv.has(Kind::AuthenticationContext) {
        if !required.is_empty() || !targeted.is_empty() {
            cx.not_evaluated(
                "no authentication contexts in input: context definitions not checked",
            );
        }
        return;
    }
    if !inv.has(Kind::ConditionalAccessPolicy) {
        if !t.authentication_contexts.is_empty() {
            cx.not_evaluated("no Conditional Access policies in input");
        }
        return;
    }
    let mut pim_unknown = false;
    let mut defined = BTreeSet::new();
    for ctx in &t.authentication_contexts {
        let Some(id) = ctx.id.as_deref() else {
            continue;
        };
        defined.insert(id);
        let name = ctx
            .display_name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let subject = Subject {
            kind: SubjectKind::AuthenticationContext,
            id: Some(ObjectId::new(id)),
            display_name: ctx.display_name.clone(),
            origin: ctx.origin.clone(),
        };
        let by_pim = required.get(id).map_or(&[][..], Vec::as_slice);
        let by_policy = targeted.get(id).map_or(&[][..], Vec::as_slice);
        if by_pim.is_empty() && by_policy.is_empty() {
            if !pim_known {
                pim_unknown = true;
                continue;
            }
            cx.report(
                ctx.origin.at("id"),
                format!("authentication context `{id}`{name} is defined, but no Conditional Access policy targets it and no PIM policy requires it"),
            )
            .label("unused: an app that requests it gets no step-up")
            .help("target the context with a Conditional Access policy, or delete it once no app or label uses it")
            .subject(subject.clone());
        }
        if ctx.is_available == Some(false) && !(by_pim.is_empty() && by_policy.is_empty()) {
            let mut users: Vec<String> = by_pim
                .iter()
                .map(|c| format!("PIM for {}", c.role_name))
                .collect();
            users.extend(
                by_policy
                    .iter()
                    .map(|(p, _)| format!("policy `{}`", p.name())),
            );
            let f = cx.report(
                ctx.origin.at("isAvailable"),
                format!(
                    "authentication context `{id}`{name} is used by {}, but it is not published to apps (`isAvailable` is false)",
                    enumerate(&users, 3)
                ),
            );
            f.label("not published: apps cannot request it")
                .help("publish the context to apps (`isAvailable: true`), or stop using it")
                .subject(subject);
            for chain in by_pim.iter().take(3) {
                if let Some(rule) = chain.context_rule {
                    f.related(
                        rule.origin.at("claimValue"),
                        format!("{} requires `{id}` on activation", chain.role_name),
                    );
                }
            }
            for (p, i) in by_policy.iter().take(3) {
                f.related(
                    p.origin.at_index(
                        "conditions/applications/includeAuthenticationContextClassReferences",
                        *i,
                    ),
                    format!("policy `{}` targets `{id}`", p.name()),
                );
            }
        }
    }
    for (id, policies) in &targeted {
        if defined.contains(id) || required.contains_key(id) {
            continue;
        }
        if !pim_known {
            pim_unknown = true;
            continue;
        }
        for (p, i) in policies {
            cx.report(
                p.origin.at_index(
                    "conditions/applications/includeAuthenticationContextClassReferences",
                    *i,
                ),
                format!("policy `{}` targets authentication context `{id}`, which the tenant does not define and no PIM policy requires: the policy protects nothing", p.name()),
            )
            .label("undefined context, required by nobody")
            .help("remove the context from the policy, or create the context and use it")
            .subject(policy_subject(p))
            .key(Key::Object(ObjectId::new(id)));
        }
    }
    if pim_unknown {
        cx.not_evaluated(
            "no PIM role management policies in input: whether PIM requires a context is unknown",
        );
    }
}
