use super::*;
use crate::analysis::GLOBAL_ADMINISTRATOR;
use entralint_parser::model::MembershipKind;

declare_rule! {
    /// Break-glass accounts are too few, synchronised, not cloud-only, disabled, or not permanent Global Administrators.
    ///
    /// ## Why is this bad?
    /// Microsoft's emergency access guidance asks for at least two break-glass accounts, cloud-only
    /// (not synchronised from on-premises, so an on-premises compromise or outage cannot touch
    /// them), on the `*.onmicrosoft.com` domain (no dependency on federation or a custom domain),
    /// enabled, and holding Global Administrator as a permanent active assignment rather than an
    /// eligible one (activation may be exactly what fails in an emergency).
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "displayName": "Break Glass 01",
    ///     "userPrincipalName": "breakglass01@contoso.com", "accountEnabled": true, "onPremisesSyncEnabled": true }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Keep two or more cloud-only break-glass accounts on `<tenant>.onmicrosoft.com`, enabled,
    /// each with a permanent active Global Administrator assignment, and declare them in
    /// entralint.toml.
    ///
    /// ## References
    /// - [Manage emergency access accounts](https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access)
    pub static BREAK_GLASS_HYGIENE = {
        code: "BG002",
        name: "break-glass-hygiene",
        severity: Severity::Medium,
        needs: &[
            Need::BREAK_GLASS,
            Need::kind(Kind::User),
        ],
        check: check,
    }
}

/// Fewer than this many break-glass accounts is a finding.
const MIN_ACCOUNTS: usize = 2;

fn check(cx: &mut Check<'_>) {
    let a = cx.analysis;
    let bg = a.break_glass();
    let t = cx.tenant;
    let users: Vec<&entralint_parser::model::User> = t
        .users
        .iter()
        .filter(|u| u.id.as_ref().is_some_and(|id| bg.users().contains(id)))
        .collect();
    let note = bg.note();
    if bg.users().len() < MIN_ACCOUNTS {
        let (at, name) = match (&bg.declaration, users.first()) {
            (Some((origin, span)), _) => (Some((origin.clone(), span.clone())), None),
            (_, Some(u)) => (Some((u.origin.clone(), None)), u.display_name.clone()),
            _ => (None, None),
        };
        if let Some((origin, span)) = at {
            let f = cx.report(
                origin,
                format!(
                    "only {} break-glass account{}{note}",
                    bg.users().len(),
                    if bg.users().len() == 1 { "" } else { "s" }
                ),
            );
            f.label(name.map_or("the only break-glass account".to_owned(), |n| {
                format!("{n} is the only one")
            }))
            .help("keep at least two break-glass accounts, stored and secured separately")
            .key(Key::Aspect("count".into()));
            if let Some(span) = span {
                f.span(span);
            }
        }
    }
    let permanent_ga = |id: &ObjectId| {
        t.role_memberships.iter().any(|m| {
            m.kind != MembershipKind::EligibilitySchedule
                && m.role_definition_id.as_ref() == Some(&GLOBAL_ADMINISTRATOR)
                && m.principal_id
                    .as_ref()
                    .is_some_and(|p| p == id || bg.accounts.groups.contains(p))
                && m.is_permanent()
                && m.assignment_type
                    .as_deref()
                    .is_none_or(|x| x.eq_ignore_ascii_case("Assigned"))
        })
    };
    let roles_known =
        t.inventory.has(Kind::RoleAssignment) || t.inventory.has(Kind::RoleAssignmentSchedule);
    for u in users {
        let Some(id) = &u.id else { continue };
        let name = who(a, id);
        let subject = Subject {
            kind: SubjectKind::User,
            id: u.id.clone(),
            display_name: u.display_name.clone(),
            origin: u.origin.clone(),
        };
        let mut faults: Vec<(&str, String, &str)> = Vec::new();
        if u.on_premises_sync_enabled == Some(true) {
            faults.push((
                "onPremisesSyncEnabled",
                format!("break-glass account {name} is synchronised from on-premises{note}"),
                "make it a cloud-only account",
            ));
        }
        if let Some(upn) = &u.user_principal_name {
            if !upn.to_ascii_lowercase().ends_with(".onmicrosoft.com") {
                faults.push(("userPrincipalName", format!("break-glass account {name} is not on the onmicrosoft.com domain{note}"), "use the tenant's <tenant>.onmicrosoft.com domain, which depends on no federation or DNS"));
            }
        }
        if u.account_enabled == Some(false) {
            faults.push((
                "accountEnabled",
                format!("break-glass account {name} is disabled{note}"),
                "enable it, and monitor its sign-ins instead",
            ));
        }
        if roles_known && !permanent_ga(id) {
            faults.push(("id", format!("break-glass account {name} is not a permanent active Global Administrator{note}"), "assign Global Administrator to it as a permanent active (not eligible) assignment"));
        }
        for (field, message, help) in faults {
            cx.report(u.origin.at(field), message)
                .label("emergency access must not depend on this")
                .help(help)
                .subject(subject.clone())
                .key(Key::Aspect(field.into()));
        }
    }
}
