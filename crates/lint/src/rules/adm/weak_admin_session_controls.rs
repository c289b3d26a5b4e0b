use super::*;
use crate::analysis::strength::grant;
use entralint_parser::model::FrequencyInterval;

declare_rule! {
    /// No enforced policy limits administrators' sessions with a short sign-in frequency and no persistent browser session.
    ///
    /// ## Why is this bad?
    /// An admin session cookie or refresh token that lives for days is worth stealing: whoever
    /// replays it is the administrator until it expires, with no new sign-in. CIS (5.2.2.4) asks
    /// for a sign-in frequency of at most 4 hours for administrative roles and for browser
    /// sessions that never persist ("Stay signed in?" is never offered), so a stolen or forgotten
    /// session ends quickly.
    ///
    /// A policy qualifies when it is enabled; applies to cloud apps (not only to an
    /// authentication context or a user action) and does not block; includes every role of the
    /// admin profile in `includeRoles`, or `All` users, or a persona group proven to hold them (as
    /// ADM001), and excludes none of those roles; sets
    /// `sessionControls.signInFrequency` enabled, `type` `hours`, `value` at most 4; and sets
    /// `sessionControls.persistentBrowser` enabled with `mode` `never`. Sign-in frequency "every
    /// time" does not count here: it is a different control, with gaps of its own (PIM009). The
    /// role set is the admin profile of entralint.toml, by default `microsoft-14`. One finding is
    /// reported, at the closest policy and the session setting it lacks (or at the first
    /// Conditional Access policy when no policy covers the admins at all).
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "displayName": "Admin session lifetime", "state": "enabled",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "sessionControls": {
    ///       "signInFrequency": { "isEnabled": true, "type": "days", "value": 7,
    ///                            "frequencyInterval": "timeBased" },
    ///       "persistentBrowser": { "isEnabled": true, "mode": "never" } } }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "displayName": "Admin session lifetime", "state": "enabled",
    ///     "conditions": { "applications": { "includeApplications": ["All"] },
    ///                     "users": { "includeUsers": ["All"] } },
    ///     "sessionControls": {
    ///       "signInFrequency": { "isEnabled": true, "type": "hours", "value": 4,
    ///                            "frequencyInterval": "timeBased" },
    ///       "persistentBrowser": { "isEnabled": true, "mode": "never" } } }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// In an enabled policy for the admin roles (or all users) and all resources, set sign-in
    /// frequency to 4 hours or less and persistent browser session to "Never persistent".
    ///
    /// ## Options
    /// - `MAX_SIGN_IN_FREQUENCY_HOURS` = 4: the longest sign-in frequency, in hours, accepted for
    ///   administrators (CIS 5.2.2.4).
    ///
    /// ## References
    /// - [Configure adaptive session lifetime policies](https://learn.microsoft.com/entra/identity/conditional-access/howto-conditional-access-session-lifetime)
    /// - [Require reauthentication and disable browser persistence](https://learn.microsoft.com/entra/identity/conditional-access/howto-policy-persistent-browser-session)
    pub static WEAK_ADMIN_SESSION_CONTROLS = {
        code: "ADM006",
        name: "weak-admin-session-controls",
        severity: Severity::Low,
        needs: &[
            Need::kind(Kind::ConditionalAccessPolicy),
        ],
        check: check,
    }
}

/// The longest sign-in frequency accepted for administrators, in hours (CIS 5.2.2.4).
pub const MAX_SIGN_IN_FREQUENCY_HOURS: u64 = 4;

fn check(cx: &mut Check<'_>) {
    let (profile, roles) = cx.analysis.mfa_profile();
    let t = cx.tenant;
    let mut names = Names::default();
    let candidates: Vec<Candidate<'_>> = t
        .conditional_access
        .iter()
        .filter_map(|p| {
            if !targets_apps(p) || matches!(grant(t, p), Grant::Block) {
                return None;
            }
            let aimed = targeting(cx, &mut names, p, &roles)?;
            let mut defects: Vec<Defect> = state_defect(p).into_iter().collect();
            defects.extend(aimed);
            let none = p.sign_in_frequency().is_none() && p.persistent_browser().is_none();
            if none {
                defects.push(Defect::new(
                    p.origin.at("sessionControls"),
                    "sets neither sign-in frequency nor persistent browser session",
                    "no sign-in frequency, no persistent browser setting",
                ));
            } else {
                defects.extend(frequency_defect(p));
                defects.extend(browser_defect(p));
            }
            Some(Candidate {
                policy: p,
                defects,
                extra: usize::from(none),
                // A policy with some session control is closer than one with none, and a policy
                // written for the admin roles closer than an all-users one.
                tie: 2 * u8::from(none) + u8::from(p.conditions.users.includes_all_users()),
            })
        })
        .collect();
    let head = format!(
        "no enforced policy limits the sessions of the {} admin roles (sign-in frequency of at most {MAX_SIGN_IN_FREQUENCY_HOURS} hours, no persistent browser session)",
        profile.as_str()
    );
    report_closest(
        cx,
        candidates,
        &head,
        "no Conditional Access policy sets session controls for these roles",
        "in an enabled policy for the admin roles, set sign-in frequency to 4 hours or less and persistent browser session to never",
        profile.as_str(),
        false,
    );
}

fn frequency_defect(p: &ConditionalAccessPolicy) -> Option<Defect> {
    let base = "sessionControls/signInFrequency";
    let Some(f) = p.sign_in_frequency() else {
        return Some(Defect::new(
            p.origin.at(base),
            "sets no sign-in frequency",
            "no sign-in frequency",
        ));
    };
    if f.is_enabled == Some(false) {
        return Some(Defect::new(
            p.origin.at(&format!("{base}/isEnabled")),
            "has sign-in frequency turned off",
            "sign-in frequency is off",
        ));
    }
    if f.frequency_interval == Some(FrequencyInterval::EveryTime) {
        return Some(Defect::new(
            p.origin.at(&format!("{base}/frequencyInterval")),
            format!(
                "uses sign-in frequency every time rather than a period of at most {MAX_SIGN_IN_FREQUENCY_HOURS} hours"
            ),
            "every time, not a time-based limit",
        ));
    }
    let hours = f
        .kind
        .as_deref()
        .is_some_and(|k| k.eq_ignore_ascii_case("hours"));
    match (hours, f.value) {
        (true, Some(v)) if v <= MAX_SIGN_IN_FREQUENCY_HOURS => None,
        (true, Some(v)) => Some(Defect::new(
            p.origin.at(&format!("{base}/value")),
            format!("sets sign-in frequency to {v} hours, more than {MAX_SIGN_IN_FREQUENCY_HOURS}"),
            format!("{v} hours: more than {MAX_SIGN_IN_FREQUENCY_HOURS}"),
        )),
        (false, value) => {
            let unit = f.kind.as_deref().unwrap_or("no unit");
            let unit_one = if value == Some(1) {
                unit.strip_suffix('s').unwrap_or(unit)
            } else {
                unit
            };
            let amount = value.map_or_else(|| "no value in".to_owned(), |v| v.to_string());
            Some(Defect::new(
                p.origin.at(&format!("{base}/type")),
                format!("sets sign-in frequency to {amount} {unit_one}, not at most {MAX_SIGN_IN_FREQUENCY_HOURS} hours"),
                format!("in {unit}: more than {MAX_SIGN_IN_FREQUENCY_HOURS} hours"),
            ))
        }
        (true, None) => Some(Defect::new(
            p.origin.at(base),
            "sets sign-in frequency in hours with no value",
            "no value",
        )),
    }
}

fn browser_defect(p: &ConditionalAccessPolicy) -> Option<Defect> {
    let base = "sessionControls/persistentBrowser";
    let Some(b) = p.persistent_browser() else {
        return Some(Defect::new(
            p.origin.at(base),
            "does not set persistent browser sessions to never",
            "no persistent browser setting",
        ));
    };
    if b.is_enabled == Some(false) {
        return Some(Defect::new(
            p.origin.at(&format!("{base}/isEnabled")),
            "has the persistent browser setting turned off",
            "persistent browser setting is off",
        ));
    }
    match b.mode.as_deref() {
        Some(m) if m.eq_ignore_ascii_case("never") => None,
        Some(m) => Some(Defect::new(
            p.origin.at(&format!("{base}/mode")),
            format!("keeps browser sessions persistent (`{m}`)"),
            "browser sessions persist",
        )),
        None => Some(Defect::new(
            p.origin.at(base),
            "sets no persistent browser mode",
            "no `mode`",
        )),
    }
}
