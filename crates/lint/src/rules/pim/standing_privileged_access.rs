use super::*;
use std::collections::BTreeSet;

declare_rule! {
    /// A privileged role is held permanently by an account that is not a break-glass account.
    ///
    /// ## Why is this bad?
    /// A standing (permanent, active) assignment needs no activation, so nothing in the PIM chain
    /// ever applies to it: no authentication context, no approval, no justification, no time
    /// limit. A stolen session of that account is a privileged session. Only break-glass accounts
    /// should hold privileged roles permanently, and Microsoft recommends exactly that for them.
    ///
    /// Standing means an assignment schedule instance with `assignmentType` `Assigned` and no end,
    /// or a role assignment with no schedule behind it. A group managed with PIM for Groups holds
    /// its role on purpose and is left to PIM011. When no schedules are exported, every role
    /// assignment counts (the export cannot tell standing from activated, and the message says
    /// so). Break-glass accounts are the declared ones, else those whose name or UPN says
    /// "break glass" or "emergency" (and the message says they were inferred).
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-0007-4000-8000-000000000007", "displayName": "svc-adsync",
    ///     "userPrincipalName": "svc-adsync@contoso.com" },
    ///   { "id": "i1", "principalId": "1a2b3c4d-0007-4000-8000-000000000007", "directoryScopeId": "/",
    ///     "roleDefinitionId": "729827e3-9c14-49f7-bb1b-9608f156bbb8", "assignmentType": "Assigned",
    ///     "memberType": "Direct", "startDateTime": "2025-02-01T00:00:00Z", "endDateTime": null }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "displayName": "Break Glass 01",
    ///     "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com" },
    ///   { "id": "i1", "principalId": "1a2b3c4d-00b1-4000-8000-0000000000b1", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "assignmentType": "Assigned",
    ///     "memberType": "Direct", "startDateTime": "2025-02-01T00:00:00Z", "endDateTime": null }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Convert the assignment to an eligible one in PIM (or give it an end date), and keep
    /// permanent Global Administrator only for the declared break-glass accounts.
    ///
    /// ## References
    /// - [Manage emergency access accounts](https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access)
    pub static STANDING_PRIVILEGED_ACCESS = {
        code: "PIM013",
        name: "standing-privileged-access",
        severity: Severity::High,
        needs: &[
            Need::any(&[Kind::RoleAssignment, Kind::RoleAssignmentSchedule]),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let inv = &cx.tenant.inventory;
    let schedules = inv.has(Kind::RoleAssignmentSchedule);
    let analysis = cx.analysis;
    let t = cx.tenant;
    let bg = analysis.break_glass();
    let key = |m: &entralint_parser::model::RoleMembership| {
        (m.principal_id.clone(), m.role_definition_id.clone())
    };
    let scheduled: BTreeSet<_> = t
        .memberships(MembershipKind::AssignmentSchedule)
        .map(key)
        .collect();
    let standing = t
        .memberships(MembershipKind::AssignmentSchedule)
        .filter(|m| {
            m.assignment_type
                .as_deref()
                .is_none_or(|a| a.eq_ignore_ascii_case("Assigned"))
                && m.is_permanent()
        });
    let unscheduled = t
        .memberships(MembershipKind::Assignment)
        .filter(|m| !scheduled.contains(&key(m)));
    let mut seen = BTreeSet::new();
    for m in standing.chain(unscheduled) {
        let (Some(principal), Some(role)) = (&m.principal_id, &m.role_definition_id) else {
            continue;
        };
        if !analysis.is_privileged(role) || bg.contains(principal) || !seen.insert(key(m)) {
            continue;
        }
        // A group managed with PIM for Groups holds the role on purpose: its members activate
        // their membership (PIM011 judges how).
        let pim_group = t
            .group_schedules
            .iter()
            .any(|g| g.group_id.as_ref() == Some(principal));
        if pim_group {
            continue;
        }
        let who = analysis.principal_name(principal);
        let role_name = analysis.role_name(role);
        let how = if m.kind == MembershipKind::AssignmentSchedule || !schedules {
            "permanently"
        } else {
            "with no assignment schedule"
        };
        let caveat = if schedules {
            ""
        } else {
            " (no assignment schedules in input to tell standing from activated)"
        };
        let at = if m.kind == MembershipKind::AssignmentSchedule {
            m.origin.at("endDateTime")
        } else {
            m.origin.at("principalId")
        };
        cx.report(
            at,
            format!("{who} holds {role_name} {how}: standing privileged access outside break-glass{}{caveat}", bg.note()),
        )
        .label("active with no end: no activation, so no step-up or approval ever applies")
        .help("make the assignment eligible in PIM (or time-bound); keep permanent privileged roles only for break-glass accounts")
        .subject(Subject {
            kind: SubjectKind::RoleAssignment,
            id: m.id.clone(),
            display_name: Some(format!("{who}: {role_name}")),
            origin: m.origin.clone(),
        })
        .key(Key::Holding {
            principal: principal.clone(),
            role: role.clone(),
        });
    }
}
