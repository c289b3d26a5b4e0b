use super::*;
use entralint_parser::model::{rule_ids, EnablementRequirement, RuleBody};

declare_rule! {
    /// A privileged role's activation lasts too long, needs no justification, or alerts nobody.
    ///
    /// ## Why is this bad?
    /// Each activation should be short, explained and seen. The rule reports, for privileged roles
    /// with eligible users:
    ///
    /// - a maximum activation duration (`Expiration_EndUser_Assignment.maximumDuration`) over
    ///   8 hours, or over 4 hours for Global Administrator, Privileged Role Administrator and
    ///   Privileged Authentication Administrator (CISA MS.AAD.7.8/7.9 and Microsoft's guidance);
    /// - no `Justification` among the activation requirements (`Enablement_EndUser_Assignment`);
    /// - an activation alert (`Notification_Admin_EndUser_Assignment`) with default recipients
    ///   turned off and no other recipient.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
    ///         "id": "Expiration_EndUser_Assignment", "isExpirationRequired": true, "maximumDuration": "PT10H" },
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
    ///         "id": "Enablement_EndUser_Assignment", "enabledRules": ["Justification"] } ] },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "e1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "roleEligibilityScheduleId": "s1" }
    /// ]
    /// ```
    ///
    /// ```json pass
    /// [
    ///   { "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
    ///         "id": "Expiration_EndUser_Assignment", "isExpirationRequired": true, "maximumDuration": "PT4H" },
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
    ///         "id": "Enablement_EndUser_Assignment", "enabledRules": ["Justification", "Ticketing"] } ] },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "e1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "roleEligibilityScheduleId": "s1" }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// In the role's PIM settings set "Activation maximum duration" to 4 hours or less for the
    /// three tenant-takeover roles (8 hours for the others), require a justification, and keep
    /// activation alerts going to the default recipients or a monitored mailbox.
    ///
    /// ## Options
    /// The limits are constants: 4 hours (`PT4H`) for Global Administrator, Privileged Role
    /// Administrator and Privileged Authentication Administrator, 8 hours (`PT8H`) otherwise.
    pub static LAX_ACTIVATION_SETTINGS = {
        code: "PIM014",
        name: "lax-activation-settings",
        severity: Severity::Low,
        needs: &[
            Need::PIM_POLICIES,
            Need::kind(Kind::RoleEligibilitySchedule),
        ],
        check: check,
    }
}

/// Longest activation, in minutes: for the roles that can take over the tenant (Global
/// Administrator, Privileged Role Administrator, Privileged Authentication Administrator, and
/// groups that hold one: `RoleChain::tier0`), and for the other privileged roles.
const TIER0_MAX_MINUTES: u64 = 4 * 60;
const MAX_MINUTES: u64 = 8 * 60;

fn check(cx: &mut Check<'_>) {
    report_roles(cx, faults);
}

pub(super) fn faults(_: &Check<'_>, chain: &RoleChain<'_>) -> Vec<Fault> {
    if !chain.privileged || chain.eligible.is_empty() || chain.rules_missing() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let low = |mut f: Fault| {
        f.severity = Some(Severity::Low);
        f
    };
    if let Some(rule) = chain.policy.rule(rule_ids::EXPIRATION_END_USER) {
        if let RuleBody::Expiration {
            maximum_duration: Some(d),
            ..
        } = &rule.body
        {
            let limit = if chain.tier0 {
                TIER0_MAX_MINUTES
            } else {
                MAX_MINUTES
            };
            if iso_minutes(d).is_some_and(|m| m > limit) {
                out.push(low(Fault::new(
                    rule.origin.at("maximumDuration"),
                    format!(
                        "{} stays active for up to {d} after activation (limit PT{}H)",
                        chain.role_name,
                        limit / 60
                    ),
                    "a long activation window for a stolen session",
                    format!(
                        "set the activation maximum duration to PT{}H or less",
                        limit / 60
                    ),
                )));
            }
        }
    }
    if let Some(rule) = chain.enablement {
        if let RuleBody::Enablement { enabled_rules } = &rule.body {
            if !enabled_rules.contains(&EnablementRequirement::Justification) {
                out.push(low(Fault::new(
                    rule.origin.at("enabledRules"),
                    format!(
                        "{} can be activated without a justification",
                        chain.role_name
                    ),
                    "no Justification",
                    "require a justification on activation",
                )));
            }
        }
    }
    if let Some(rule) = chain.policy.rule(rule_ids::NOTIFICATION_ADMIN_END_USER) {
        if let RuleBody::Notification {
            is_default_recipients_enabled: Some(false),
            notification_recipients,
            ..
        } = &rule.body
        {
            if notification_recipients.iter().all(|r| r.trim().is_empty()) {
                out.push(low(Fault::new(
                    rule.origin.at("isDefaultRecipientsEnabled"),
                    format!("{} activations alert nobody", chain.role_name),
                    "default recipients off and no other recipient",
                    "send activation alerts to the default recipients or a monitored mailbox",
                )));
            }
        }
    }
    out
}

/// Minutes in an ISO 8601 duration such as `PT8H`, `PT1H45M` or `P1D` (years and months are not
/// used by PIM and are not accepted).
fn iso_minutes(d: &str) -> Option<u64> {
    let rest = d.trim().strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((days, time)) => (days, time),
        None => (rest, ""),
    };
    let mut minutes = 0u64;
    let mut parse = |part: &str, units: &[(char, u64)]| -> Option<()> {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
            } else {
                let (_, factor) = units.iter().find(|(u, _)| *u == c.to_ascii_uppercase())?;
                let n: f64 = number.parse().ok()?;
                minutes += (n * *factor as f64) as u64;
                number.clear();
            }
        }
        number.is_empty().then_some(())
    };
    parse(days, &[('D', 24 * 60), ('W', 7 * 24 * 60)])?;
    parse(time, &[('H', 60), ('M', 1), ('S', 0)])?;
    Some(minutes)
}

#[cfg(test)]
mod tests {
    use super::iso_minutes;

    #[test]
    fn durations() {
        assert_eq!(iso_minutes("PT8H"), Some(480));
        assert_eq!(iso_minutes("PT1H45M"), Some(105));
        assert_eq!(iso_minutes("P1D"), Some(1440));
        assert_eq!(iso_minutes("P1DT2H"), Some(1560));
        assert_eq!(iso_minutes("PT30S"), Some(0));
        assert_eq!(iso_minutes("8 hours"), None);
        assert_eq!(iso_minutes("P1Y"), None);
    }
}
