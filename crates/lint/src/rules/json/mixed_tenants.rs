use crate::prelude::*;
use entralint_parser::is_guid;
use std::collections::BTreeMap;

declare_rule! {
    /// Objects of two different tenants are linted as one tenant.
    ///
    /// ## Why is this bad?
    /// One run is one tenant: policies, roles, users and groups are joined by id, so objects of two
    /// tenants side by side (two customers' exports in one folder, a test tenant next to
    /// production) change each other's findings: a user of one tenant "covers" a role of the
    /// other, a policy of one is counted as protecting the other's admins. The result describes
    /// neither tenant.
    ///
    /// The rule reads the tenant id that objects carry in their ids: PIM role management policies
    /// are named `DirectoryRole_<tenant id>_<id>` or `Group_<tenant id>_<id>` by Microsoft Graph.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "DirectoryRole_7c8d9e0f-0000-4000-8000-00000000c0de_9f1e0001-5a5a-4a4a-8b8b-000000000001",
    ///     "scopeId": "/", "scopeType": "DirectoryRole", "rules": [] },
    ///   { "id": "DirectoryRole_1b2c3d4e-0000-4000-8000-0000000000aa_9f1e0001-5a5a-4a4a-8b8b-000000000001",
    ///     "scopeId": "/", "scopeType": "DirectoryRole", "rules": [] }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "DirectoryRole_7c8d9e0f-0000-4000-8000-00000000c0de_9f1e0001-5a5a-4a4a-8b8b-000000000001",
    ///     "scopeId": "/", "scopeType": "DirectoryRole", "rules": [] },
    ///   { "id": "DirectoryRole_7c8d9e0f-0000-4000-8000-00000000c0de_9f1e0001-5a5a-4a4a-8b8b-000000000002",
    ///     "scopeId": "/", "scopeType": "DirectoryRole", "rules": [] }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Give each tenant's export its own folder with its own entralint.toml: each folder holding an
    /// entralint.toml is linted as a tenant of its own.
    ///
    /// ## References
    /// - [unifiedRoleManagementPolicy resource type](https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementpolicy)
    pub static MIXED_TENANTS = {
        code: "JSON006",
        name: "mixed-tenants",
        severity: Severity::High,
        needs: &[Need::kind(Kind::RoleManagementPolicy)],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    // The first object seen of each tenant id, in input order.
    let mut tenants: BTreeMap<String, &Origin> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for p in &cx.tenant.role_management_policies {
        let Some(tenant) = p.id.as_deref().and_then(tenant_of) else {
            continue;
        };
        if !tenants.contains_key(&tenant) {
            tenants.insert(tenant.clone(), &p.origin);
            order.push(tenant);
        }
    }
    let Some((first, others)) = order.split_first() else {
        return;
    };
    for other in others {
        cx.report(
            tenants[other].at("id"),
            format!(
                "PIM policies of tenant {other} are read together with those of tenant {first}: objects of {} tenants are linted as one tenant",
                order.len()
            ),
        )
        .label(format!("tenant {other}"))
        .help("lint each tenant's export on its own: give each its folder and entralint.toml")
        .related(tenants[first].at("id"), format!("tenant {first}"));
    }
}

/// The tenant id in a PIM policy id: `DirectoryRole_<tenant>_<id>` or `Group_<tenant>_<id>`.
fn tenant_of(policy_id: &str) -> Option<String> {
    let mut parts = policy_id.splitn(3, '_');
    let scope = parts.next()?;
    let tenant = parts.next()?;
    parts.next()?;
    let known = scope.eq_ignore_ascii_case("DirectoryRole") || scope.eq_ignore_ascii_case("Group");
    (known && is_guid(tenant)).then(|| tenant.to_ascii_lowercase())
}
