use super::*;

declare_rule! {
    /// Break-glass accounts are not declared in entralint.toml.
    ///
    /// ## Why is this bad?
    /// The export cannot say which accounts are for emergency access, yet several rules depend on
    /// it: break-glass accounts must be excluded from blocking policies, protected by their own,
    /// kept cloud-only, and are the only accounts allowed standing Global Administrator. Without
    /// a declaration entralint infers them (names containing "break glass", "breakglass" or
    /// "emergency"; otherwise the principals excluded from at least 80 % of the enabled policies
    /// and from at least three), and every finding that relied on the inference says so. A
    /// guess is a poor basis for a security review: declare them.
    ///
    /// A ScubaGear provider export records the configuration of its run: the users and groups
    /// that configuration accepts as exclusions (`CapExclusions`, `RoleExclusions`) are taken for
    /// the break-glass accounts before any guess, and the findings say so too. They are accepted
    /// exclusions, which may hold more than emergency access accounts: declare them, or import the
    /// configuration file (`[accounts] import = [{ scubagear = "scuba-config.yaml" }]`).
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "1a2b3c4d-00b1-4000-8000-0000000000b1", "displayName": "Emergency Access 01",
    ///     "userPrincipalName": "ea01@contoso.onmicrosoft.com" }
    /// ]
    /// ```
    ///
    /// ```toml pass
    /// [accounts]
    /// break-glass = [{ object-id = "1a2b3c4d-00b1-4000-8000-0000000000b1", note = "safe A" },
    ///                { object-id = "1a2b3c4d-00b2-4000-8000-0000000000b2", note = "safe B" }]
    /// ```
    ///
    /// ## How to fix
    /// List the break-glass accounts (or their group) in entralint.toml:
    /// `[accounts] break-glass = [{ object-id = "..." }, { group-id = "..." }]`.
    ///
    /// ## Options
    /// The inference constants: the words above, 80 % (`INFERENCE_SHARE`) and three policies
    /// (`INFERENCE_MIN_POLICIES`).
    pub static BREAK_GLASS_NOT_DECLARED = {
        code: "BG008",
        name: "break-glass-not-declared",
        severity: Severity::Low,
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    let a = cx.analysis;
    let bg = a.break_glass();
    if !bg.inferred {
        return;
    }
    let t = cx.tenant;
    let ids: Vec<ObjectId> = bg
        .users()
        .iter()
        .chain(&bg.accounts.groups)
        .cloned()
        .collect();
    let from_export = bg.how == crate::analysis::accounts::FROM_EXPORT;
    let guess = if ids.is_empty() {
        "and none could be inferred".to_owned()
    } else if from_export {
        format!("taken {}: {}", bg.how, list(a, &ids))
    } else {
        format!("inferred {}: {}", bg.how, list(a, &ids))
    };
    let message = format!("break-glass accounts are not declared in entralint.toml; {guess}");
    let help = if from_export {
        "declare them, or import ScubaGear's configuration file: [accounts] import = [{ scubagear = \"...\" }]"
    } else {
        "declare them: [accounts] break-glass = [{ object-id = \"...\" }]"
    };
    if let Some(at) = cx.settings.file.and(cx.tenant_location()) {
        cx.report_tenant(at, message)
            .label("no [accounts] break-glass here")
            .help(help);
        return;
    }
    if let (true, Some((origin, _))) = (from_export, &bg.declaration) {
        cx.report(origin.clone(), message)
            .label("accepted as an exclusion in ScubaGear's configuration")
            .help(help)
            .about_tenant();
        return;
    }
    let candidate = t
        .users
        .iter()
        .find(|u| u.id.as_ref().is_some_and(|id| bg.users().contains(id)));
    if let Some(u) = candidate {
        cx.report(u.origin.clone(), message)
            .label("taken for a break-glass account")
            .help(help)
            .about_tenant();
        return;
    }
    let fallback = t
        .conditional_access
        .first()
        .map(|p| p.origin.clone())
        .or_else(|| t.users.first().map(|u| u.origin.clone()));
    let Some(fallback) = fallback else {
        // Nothing in the input concerns accounts or policies: nothing to say.
        return;
    };
    cx.report_tenant(fallback, message)
        .label("no break-glass account recognisable")
        .help(help);
}
