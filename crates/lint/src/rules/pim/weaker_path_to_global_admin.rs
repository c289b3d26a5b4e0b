use super::*;
use crate::analysis::{
    Assurance, GLOBAL_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
    PRIVILEGED_ROLE_ADMINISTRATOR,
};

declare_rule! {
    /// Privileged Role or Privileged Authentication Administrator activates with less assurance than Global Administrator.
    ///
    /// ## Why is this bad?
    /// A Privileged Role Administrator can assign Global Administrator to anyone, and a Privileged
    /// Authentication Administrator can reset a Global Administrator's credentials and methods.
    /// Either role is a path to Global Administrator, so hardening Global Administrator's
    /// activation is moot when these roles activate with less.
    ///
    /// Each role's activation is ranked: no requirement (or a context whose policies are all off
    /// or report-only) < an MFA claim (or a context no policy targets) < an enforced context
    /// policy that is not phishing-resistant for every eligible user everywhere < a
    /// phishing-resistant chain. The rule fires when Privileged Role Administrator or Privileged
    /// Authentication Administrator, with eligible users, ranks below Global Administrator.
    ///
    /// ## Example
    /// ```json fail
    /// [
    ///   { "id": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
    ///         "id": "Enablement_EndUser_Assignment", "enabledRules": ["MultiFactorAuthentication"] } ] },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
    ///   { "id": "DirectoryRole_7c8d9e0f_pra", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "rules": [
    ///       { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
    ///         "id": "Enablement_EndUser_Assignment", "enabledRules": ["Justification"] } ] },
    ///   { "policyId": "DirectoryRole_7c8d9e0f_pra", "scopeId": "/", "scopeType": "DirectoryRole",
    ///     "roleDefinitionId": "e8611ab8-c189-46e8-94e1-60213ab1f814" },
    ///   { "id": "e2", "principalId": "1a2b3c4d-0002-4000-8000-000000000002", "directoryScopeId": "/",
    ///     "roleDefinitionId": "e8611ab8-c189-46e8-94e1-60213ab1f814", "roleEligibilityScheduleId": "s2" }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Give Privileged Role Administrator and Privileged Authentication Administrator the same
    /// activation chain as Global Administrator: the same authentication context, targeted by an
    /// enabled policy that requires a phishing-resistant strength for every eligible user.
    pub static WEAKER_PATH_TO_GLOBAL_ADMIN = {
        code: "PIM010",
        name: "weaker-path-to-global-admin",
        severity: Severity::Critical,
        needs: &[
            Need::PIM_POLICIES,
            Need::kind(Kind::RoleEligibilitySchedule),
            Need::kind(Kind::ConditionalAccessPolicy).when(ACTIVATION_REQUIRES_CONTEXT),
        ],
        check: check,
    }
}

fn check(cx: &mut Check<'_>) {
    report_roles(cx, faults);
}

fn rank(a: Assurance) -> &'static str {
    match a {
        Assurance::None => "no requirement",
        Assurance::MfaClaim => "an MFA claim",
        Assurance::Weak => "a context policy that is not phishing-resistant throughout",
        Assurance::PhishingResistant => "a phishing-resistant chain",
    }
}

pub(super) fn faults(cx: &Check<'_>, chain: &RoleChain<'_>) -> Vec<Fault> {
    let ChainTarget::Role(role) = &chain.target else {
        return Vec::new();
    };
    if ![
        PRIVILEGED_ROLE_ADMINISTRATOR,
        PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
    ]
    .contains(role)
        || chain.eligible.is_empty()
    {
        return Vec::new();
    }
    let ga = cx
        .analysis
        .chains()
        .iter()
        .find(|c| c.target == ChainTarget::Role(GLOBAL_ADMINISTRATOR));
    let Some(ga) = ga else { return Vec::new() };
    let (mine, theirs) = (chain.assurance(), ga.assurance());
    if mine >= theirs {
        return Vec::new();
    }
    let (_, link, at) = chain.verdict();
    let (_, _, ga_at) = ga.verdict();
    let mut fault = Fault::new(
        at,
        format!(
            "{} activates with {} while Global Administrator needs {}: it is a weaker path to Global Administrator",
            chain.role_name,
            rank(mine),
            rank(theirs)
        ),
        link,
        "give this role the same phishing-resistant activation chain as Global Administrator",
    );
    fault.related.push((
        ga_at,
        format!("Global Administrator activation: {}", rank(theirs)),
    ));
    vec![fault]
}
