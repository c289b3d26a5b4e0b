//! The activation chains as data for `entralint chains`: per role (and per PIM for Groups
//! membership or ownership), who is eligible, what activation requires, the context policies and
//! their strengths, the verdict, the weakest link, and the findings about it.

use crate::analysis::strength::{Grant, StrengthClass};
use crate::analysis::Analysis;
use crate::{Report, Settings};
use entralint_parser::{ObjectId, Tenant};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainRow {
    pub role_id: ObjectId,
    pub role_name: String,
    /// Eligible principals (users, groups), by id.
    pub eligible: Vec<ObjectId>,
    pub requirement: &'static str,
    pub context: Option<String>,
    pub policies: Vec<PolicyRow>,
    pub verdict: &'static str,
    /// Empty when the verdict is phishing-resistant.
    pub weakest_link: String,
    /// Codes of the findings about this chain, sorted.
    pub findings: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRow {
    pub id: Option<ObjectId>,
    pub display_name: String,
    pub state: String,
    /// The strength's name (or id), if the grant requires one.
    pub strength: Option<String>,
    /// `phishingResistant`, `mfa`, `unresolved`, `block` or `none`.
    pub strength_class: &'static str,
}

/// The chains of the tenant, with the findings of `report` that concern each.
pub fn chain_rows(tenant: &Tenant, settings: &Settings, report: &Report) -> Vec<ChainRow> {
    let (tenant, symbols) = crate::symbols::resolve(tenant, &settings.tenant);
    let analysis = Analysis::new(&tenant, settings).with_symbols(symbols);
    analysis
        .chains()
        .iter()
        .map(|chain| {
            let mut findings: Vec<&'static str> = report
                .findings
                .iter()
                .filter(|r| {
                    r.finding
                        .key
                        .as_ref()
                        .is_some_and(|k| k.concerns_chain(&chain.target))
                })
                .map(|r| r.finding.code)
                .collect();
            findings.sort_unstable();
            findings.dedup();
            let (verdict, weakest_link, _) = chain.verdict();
            let role_name = if chain.group_roles.is_empty() {
                chain.role_name.clone()
            } else {
                format!("{} ({})", chain.role_name, chain.group_roles.join(", "))
            };
            ChainRow {
                role_id: chain.role_id.clone(),
                role_name,
                eligible: chain.eligible.iter().cloned().collect(),
                requirement: chain.requirement.as_str(),
                context: chain.context.clone(),
                policies: chain
                    .context_policies
                    .iter()
                    .map(|cp| PolicyRow {
                        id: cp.policy.id.clone(),
                        display_name: cp.policy.name().to_owned(),
                        state: cp
                            .policy
                            .state
                            .as_ref()
                            .map_or("unknown".to_owned(), |s| s.as_str().to_owned()),
                        strength: cp.grant.strength().map(|s| s.name()),
                        strength_class: match &cp.grant {
                            Grant::Block => "block",
                            Grant::Strength { strength, .. } => match strength.class {
                                StrengthClass::PhishingResistant => "phishingResistant",
                                StrengthClass::Mfa => "mfa",
                                StrengthClass::Unresolved => "unresolved",
                            },
                            Grant::Mfa { .. } => "mfa",
                            Grant::None => "none",
                        },
                    })
                    .collect(),
                verdict: verdict.as_str(),
                weakest_link,
                findings,
            }
        })
        .collect()
}
