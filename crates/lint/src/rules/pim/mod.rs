//! PIM: the activation chain role → PIM policy → authentication context → Conditional Access
//! policy → authentication strength, as docs/dev/activation-chain.md describes it.
//!
//! PIM001–PIM008 each find one kind of weakness in a chain ([`Fault`]s); they report the faults of
//! directory roles, and PIM011 reports the same faults for PIM for Groups memberships and
//! ownerships of groups that hold privileged roles.

super::family! {
    activation_mfa_claim_only::ACTIVATION_MFA_CLAIM_ONLY,
    activation_without_authentication::ACTIVATION_WITHOUT_AUTHENTICATION,
    undefined_context::UNDEFINED_CONTEXT,
    context_without_policy::CONTEXT_WITHOUT_POLICY,
    context_policy_not_enforced::CONTEXT_POLICY_NOT_ENFORCED,
    context_policy_not_phishing_resistant::CONTEXT_POLICY_NOT_PHISHING_RESISTANT,
    context_policy_misses_eligible_users::CONTEXT_POLICY_MISSES_ELIGIBLE_USERS,
    context_policy_narrowed::CONTEXT_POLICY_NARROWED,
    every_time_reliance::EVERY_TIME_RELIANCE,
    weaker_path_to_global_admin::WEAKER_PATH_TO_GLOBAL_ADMIN,
    weak_group_activation::WEAK_GROUP_ACTIVATION,
    activation_without_approval::ACTIVATION_WITHOUT_APPROVAL,
    standing_privileged_access::STANDING_PRIVILEGED_ACCESS,
    lax_activation_settings::LAX_ACTIVATION_SETTINGS,
}

use super::shared::{first_of, policy_subject, ONE_BY_ONE};
use crate::prelude::*;

/// The remedy every chain rule points to.
const CHAIN_HELP: &str = "require an authentication context on activation and target it with an enabled Conditional Access policy that requires a phishing-resistant authentication strength";

/// One weakness of one chain, ready to be reported by the rule that found it (or by PIM011).
pub(crate) struct Fault {
    pub at: Origin,
    pub message: String,
    pub label: String,
    pub help: String,
    pub related: Vec<(Origin, String)>,
    /// When the rule's own severity differs from the chain's.
    pub severity: Option<Severity>,
    /// What the finding is about, when not the chain's PIM policy.
    pub subject: Option<Subject>,
    /// Set when the chain could not be judged, not a weakness: the rule of the PIM policy that is
    /// missing. The rule is then listed as not evaluated for the chain.
    pub not_judged: Option<&'static str>,
}

impl Fault {
    fn new(at: Origin, message: String, label: impl Into<String>, help: impl Into<String>) -> Self {
        Fault {
            at,
            message,
            label: label.into(),
            help: help.into(),
            related: Vec::new(),
            severity: None,
            subject: None,
            not_judged: None,
        }
    }

    /// The chain's PIM policy does not hold `rule` (`the approval rule`), so the weakness cannot
    /// be judged: a declared policy (EasyPIM's configuration) leaves what it does not name as the
    /// tenant has it, which the file does not show.
    fn not_judged(chain: &RoleChain<'_>, rule: &'static str) -> Self {
        let mut fault = Fault::new(chain.policy.origin.clone(), String::new(), "", "");
        fault.not_judged = Some(rule);
        fault
    }
}

/// On a selection of PIM policies (the rules a Terraform or Microsoft365DSC configuration writes),
/// a rule not written is the tenant's, which the input does not show: what activation lacks can
/// be judged only when both activation rules are written. The fault that says which is missing,
/// or `None` when the chain can be judged.
fn unwritten_activation_rule(cx: &Check<'_>, chain: &RoleChain<'_>) -> Option<Fault> {
    if !cx
        .tenant
        .inventory
        .partial
        .contains(&Kind::RoleManagementPolicy)
    {
        return None;
    }
    if chain.enablement.is_none() {
        Some(Fault::not_judged(chain, "the activation rules"))
    } else if chain.context_rule.is_none() {
        Some(Fault::not_judged(chain, "the authentication context rule"))
    } else {
        None
    }
}

/// The function of a rule that finds its faults in one chain.
pub(crate) type FaultFinder = fn(&Check<'_>, &RoleChain<'_>) -> Vec<Fault>;

/// Reports faults of a chain under the running rule's code.
fn report(cx: &mut Check<'_>, chain: &RoleChain<'_>, faults: Vec<Fault>) {
    for fault in faults {
        if let Some(rule) = fault.not_judged {
            cx.not_evaluated(format!(
                "not judged for {}: its PIM policy does not hold {rule} (a declared policy leaves what it does not name as the tenant has it)",
                chain.role_name
            ));
            continue;
        }
        let help = terraform_help(cx, &fault.at, fault.help);
        let f = cx.report(fault.at, fault.message);
        f.severity(fault.severity.unwrap_or_else(|| chain_severity(chain)))
            .label(fault.label)
            .help(help)
            .subject(fault.subject.unwrap_or_else(|| chain_subject(chain)))
            .key(Key::Chain(chain.target.clone()));
        for (at, message) in fault.related {
            f.related(at, message);
        }
    }
}

/// What a fix that needs an authentication context targeted by a Conditional Access policy is
/// written with in Terraform: the hashicorp/azuread provider has no resource for a context and
/// no field for one in `azuread_conditional_access_policy`
/// (hashicorp/terraform-provider-azuread#882); the microsoft/msgraph provider writes both
/// (<https://registry.terraform.io/providers/microsoft/msgraph/latest/docs>).
const TERRAFORM_CONTEXT_HELP: &str = "in Terraform, write the context and the policy that targets it with the Graph provider (`msgraph_update_resource` on `identity/conditionalAccess/authenticationContextClassReferences/{id}`, `msgraph_resource` on `identity/conditionalAccess/policies`): the azuread provider has no field for either";

/// The help of a finding, with [`TERRAFORM_CONTEXT_HELP`] when it is located in Terraform (a
/// `.tf` file or a plan) and asks for a Conditional Access policy on an authentication context.
fn terraform_help(cx: &Check<'_>, at: &Origin, help: String) -> String {
    let sources = &cx.analysis.tenant.sources;
    let pointer = at.pointer.as_str();
    let terraform = sources.path(at.file).ends_with(".tf")
        || pointer.starts_with("/planned_values/")
        || pointer.starts_with("/configuration/");
    let context =
        help.contains("authentication context") || help.contains("AuthenticationContextClass");
    if terraform && context && help.contains("Conditional Access") {
        format!("{help}; {TERRAFORM_CONTEXT_HELP}")
    } else {
        help
    }
}

/// Runs a fault finder over the directory-role chains.
fn report_roles(cx: &mut Check<'_>, find: FaultFinder) {
    let analysis = cx.analysis;
    for chain in analysis.chains().iter().filter(|c| c.is_role()) {
        let faults = find(cx, chain);
        report(cx, chain, faults);
    }
}

/// Critical for the roles that can take over the tenant (and groups holding them), high for the
/// others.
fn chain_severity(chain: &RoleChain<'_>) -> Severity {
    if chain.tier0 {
        Severity::Critical
    } else {
        Severity::High
    }
}

fn chain_subject(chain: &RoleChain<'_>) -> Subject {
    Subject {
        kind: SubjectKind::RoleManagementPolicy,
        id: chain.policy.id.clone(),
        display_name: Some(chain.role_name.clone()),
        origin: chain.policy.origin.clone(),
    }
}

/// Related labels for up to three eligibility records of a role.
fn eligible_labels(cx: &Check<'_>, chain: &RoleChain<'_>) -> Vec<(Origin, String)> {
    match &chain.target {
        ChainTarget::Role(role) => cx
            .analysis
            .eligibility_records(role)
            .iter()
            .take(3)
            .map(|m| {
                let who = m
                    .principal_id
                    .as_ref()
                    .map(|p| cx.analysis.principal_name(p))
                    .unwrap_or_default();
                (
                    m.origin.at("principalId"),
                    format!("{who} is eligible for {}", chain.role_name),
                )
            })
            .collect(),
        ChainTarget::Group { group_id, access } => cx
            .tenant
            .group_schedules
            .iter()
            .filter(|s| s.eligible && s.group_id.as_ref() == Some(group_id))
            .filter(|s| {
                s.access_id
                    .as_deref()
                    .is_some_and(|a| a.eq_ignore_ascii_case(access))
            })
            .take(3)
            .map(|s| {
                let who = s
                    .principal_id
                    .as_ref()
                    .map(|p| cx.analysis.principal_name(p))
                    .unwrap_or_default();
                (
                    s.origin.at("principalId"),
                    format!("{who} is eligible for {}", chain.role_name),
                )
            })
            .collect(),
    }
}

/// Related labels on the PIM context rule and on the context's definition.
fn context_labels(chain: &RoleChain<'_>) -> Vec<(Origin, String)> {
    let mut out = Vec::new();
    let Some(c) = &chain.context else { return out };
    if let Some(rule) = chain.context_rule {
        out.push((
            rule.origin.at("claimValue"),
            format!("{} requires context `{c}` on activation", chain.role_name),
        ));
    }
    if let Some(def) = chain.context_definition {
        let name = def
            .display_name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        out.push((
            def.origin.at("id"),
            format!("context `{c}`{name} is defined here"),
        ));
    }
    out
}
