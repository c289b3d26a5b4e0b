//! The admin coverage matrix of `entralint report`: for each administrative role, which
//! Conditional Access policy provides each control — MFA, a phishing-resistant strength, a
//! sign-in frequency of at most four hours — and what activating the role asks for (its chain).
//!
//! A cell is built from the facts the rules share ([`grant`], [`narrowing`], the chains); the
//! rules (ADM001, ADM002, ADM006, PIM*) remain what judges the tenant, this only names, per role,
//! the policy that provides a control or comes closest.

use crate::analysis::chain::{narrowing, ChainTarget, Verdict};
use crate::analysis::strength::{grant, Grant};
use crate::analysis::Analysis;
use crate::rules::adm::MAX_SIGN_IN_FREQUENCY_HOURS;
use crate::Settings;
use entralint_parser::model::{ConditionalAccessPolicy, FrequencyInterval, PolicyState};
use entralint_parser::{ObjectId, Tenant};
use serde::Serialize;

/// Whether a role has a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// An enabled policy for all resources, with no condition that lets sign-ins skip it.
    Provided,
    /// Only policies that fall short: report-only or off, narrowed, some resources, weaker.
    Partial,
    /// No policy aims the control at the role (for activation: the chain is broken).
    Missing,
    /// Not applicable: the role has no PIM policy in the export.
    None,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Provided => "provided",
            Status::Partial => "partial",
            Status::Missing => "missing",
            Status::None => "none",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub status: Status,
    /// The policies that provide the control; when none does, those that come closest.
    pub policies: Vec<String>,
    /// Why the closest falls short, or what the provided control is (`4 hours`).
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoverageRow {
    pub role_id: ObjectId,
    pub role_name: String,
    pub mfa: Cell,
    pub phishing_resistant: Cell,
    pub sign_in_frequency: Cell,
    pub activation: Cell,
}

/// The controls of the matrix, in column order, as the report heads them.
pub const CONTROLS: [&str; 4] = [
    "MFA",
    "Phishing-resistant strength",
    "Sign-in frequency",
    "Activation context",
];

impl CoverageRow {
    pub fn cells(&self) -> [&Cell; 4] {
        [
            &self.mfa,
            &self.phishing_resistant,
            &self.sign_in_frequency,
            &self.activation,
        ]
    }
}

/// One row per administrative role: the roles ADM002 checks (the configured profile, else the
/// tenant-takeover, `cisa-8` and `microsoft-14` roles) and every role with an activation chain;
/// the tenant-takeover roles first, then by name.
pub fn coverage(tenant: &Tenant, settings: &Settings) -> Vec<CoverageRow> {
    let (tenant, symbols) = crate::symbols::resolve(tenant, &settings.tenant);
    let a = Analysis::new(&tenant, settings).with_symbols(symbols);
    let (_, mut roles) = a.phishing_resistant_profile();
    for chain in a.chains() {
        if let ChainTarget::Role(r) = &chain.target {
            roles.insert(r.clone());
        }
    }
    let mut rows: Vec<CoverageRow> = roles
        .iter()
        .map(|role| CoverageRow {
            role_id: role.clone(),
            role_name: a.role_name(role),
            mfa: policy_cell(&a, role, Control::Mfa),
            phishing_resistant: policy_cell(&a, role, Control::PhishingResistant),
            sign_in_frequency: policy_cell(&a, role, Control::SignInFrequency),
            activation: activation_cell(&a, role),
        })
        .collect();
    rows.sort_by_key(|r| (!a.is_tenant_takeover_role(&r.role_id), r.role_name.clone()));
    rows
}

#[derive(Clone, Copy)]
enum Control {
    Mfa,
    PhishingResistant,
    SignInFrequency,
}

/// How well one policy provides the control to the role: `None` when it does not aim at the role
/// or has nothing of the control; else the reasons it falls short (none: it provides it).
fn judge(
    a: &Analysis<'_>,
    p: &ConditionalAccessPolicy,
    role: &ObjectId,
    control: Control,
) -> Option<(Vec<String>, String)> {
    let u = &p.conditions.users;
    let aims = u.includes_all_users() || u.include_roles.contains(role);
    if !aims || u.exclude_roles.contains(role) || p.is_for_workloads() {
        return None;
    }
    let apps = &p.conditions.applications;
    if !apps.include_applications.iter().any(|x| *x != "None") {
        return None;
    }
    let g = grant(a.tenant, p);
    let mut short = Vec::new();
    let mut what = String::new();
    match control {
        Control::Mfa => {
            if !g.requires_mfa() {
                return None;
            }
        }
        Control::PhishingResistant => match &g {
            Grant::Strength { .. } if g.is_phishing_resistant() => {}
            Grant::Strength { strength, .. } => short.push(format!(
                "strength `{}` is not phishing-resistant",
                strength.name()
            )),
            _ => return None,
        },
        Control::SignInFrequency => {
            let f = p.sign_in_frequency()?;
            if matches!(g, Grant::Block) || f.is_enabled == Some(false) {
                return None;
            }
            let hours = f
                .kind
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case("hours"));
            what = match (&f.frequency_interval, f.kind.as_deref(), f.value) {
                (Some(FrequencyInterval::EveryTime), _, _) => "every time".to_owned(),
                (_, Some(kind), Some(v)) => format!("{v} {kind}"),
                _ => "no period".to_owned(),
            };
            let within = hours && f.value.is_some_and(|v| v <= MAX_SIGN_IN_FREQUENCY_HOURS);
            if !within {
                short.push(format!(
                    "{what}, not at most {MAX_SIGN_IN_FREQUENCY_HOURS} hours"
                ));
            }
        }
    }
    match &p.state {
        Some(PolicyState::Enabled) => {}
        Some(PolicyState::ReportOnly) => short.insert(0, "report-only".to_owned()),
        Some(PolicyState::Disabled) => short.insert(0, "disabled".to_owned()),
        _ => short.insert(0, "not enabled".to_owned()),
    }
    if !apps
        .include_applications
        .iter()
        .any(|x| x.eq_ignore_ascii_case("All"))
    {
        short.push("not all resources".to_owned());
    }
    if !apps.exclude_applications.is_empty() {
        short.push("excludes applications".to_owned());
    }
    short.extend(narrowing(p, &g).into_iter().map(|n| n.what));
    Some((short, what))
}

fn policy_cell(a: &Analysis<'_>, role: &ObjectId, control: Control) -> Cell {
    let judged: Vec<(&ConditionalAccessPolicy, Vec<String>, String)> = a
        .tenant
        .conditional_access
        .iter()
        .filter_map(|p| judge(a, p, role, control).map(|(short, what)| (p, short, what)))
        .collect();
    let provided: Vec<&(&ConditionalAccessPolicy, Vec<String>, String)> = judged
        .iter()
        .filter(|(_, short, _)| short.is_empty())
        .collect();
    if !provided.is_empty() {
        return Cell {
            status: Status::Provided,
            policies: provided
                .iter()
                .map(|(p, _, _)| p.name().to_owned())
                .collect(),
            note: provided[0].2.clone(),
        };
    }
    // The closest: the fewest shortcomings, then by name.
    match judged
        .iter()
        .min_by_key(|(p, short, _)| (short.len(), p.name()))
    {
        Some((p, short, _)) => Cell {
            status: Status::Partial,
            policies: vec![p.name().to_owned()],
            note: short.join(", "),
        },
        None => Cell {
            status: Status::Missing,
            policies: Vec::new(),
            note: "no policy aims it at this role".to_owned(),
        },
    }
}

fn activation_cell(a: &Analysis<'_>, role: &ObjectId) -> Cell {
    let Some(chain) = a
        .chains()
        .iter()
        .find(|c| c.target == ChainTarget::Role(role.clone()))
    else {
        return Cell {
            status: Status::None,
            policies: Vec::new(),
            note: "no PIM policy in the export".to_owned(),
        };
    };
    let (verdict, weakest, _) = chain.verdict();
    let policies: Vec<String> = chain
        .context_policies
        .iter()
        .map(|cp| cp.policy.name().to_owned())
        .collect();
    let context = chain
        .context
        .as_deref()
        .map_or_else(String::new, |c| format!("context `{c}`"));
    let (status, note) = match verdict {
        Verdict::PhishingResistant => (Status::Provided, context),
        Verdict::Weak => (Status::Partial, weakest),
        Verdict::Broken => (Status::Missing, weakest),
    };
    Cell {
        status,
        policies,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entralint_parser::{load, Input};

    const GA: &str = "62e90394-69f5-4237-9190-012177145e10";
    const PR: &str = "00000000-0000-0000-0000-000000000004";

    fn tenant(files: &[(&str, String)]) -> Tenant {
        load(
            files
                .iter()
                .map(|(p, t)| Input::new((*p).to_owned(), Ok(t.as_bytes().to_vec()))),
        )
    }

    fn policy(name: &str, state: &str, grant: &str, session: &str) -> String {
        format!(
            r#"{{"id":"{name}","displayName":"{name}","state":"{state}",
  "conditions":{{"users":{{"includeRoles":["{GA}"]}},"applications":{{"includeApplications":["All"]}}}},
  "grantControls":{grant},"sessionControls":{session}}}"#
        )
    }

    #[test]
    fn each_cell_names_the_policy_that_provides_it_or_comes_closest() {
        let mfa = r#"{"operator":"OR","builtInControls":["mfa"]}"#;
        let strength = format!(
            r#"{{"operator":"AND","builtInControls":[],"authenticationStrength":{{"id":"{PR}"}}}}"#
        );
        let t = tenant(&[
            (
                "Identity/Conditional/AccessPolicies/a.json",
                policy("A - MFA", "enabled", mfa, "null"),
            ),
            (
                "Identity/Conditional/AccessPolicies/b.json",
                policy(
                    "B - strength",
                    "enabledForReportingButNotEnforced",
                    &strength,
                    "null",
                ),
            ),
            (
                "Identity/Conditional/AccessPolicies/c.json",
                policy(
                    "C - session",
                    "enabled",
                    mfa,
                    r#"{"signInFrequency":{"isEnabled":true,"type":"days","value":1,"frequencyInterval":"timeBased"}}"#,
                ),
            ),
        ]);
        let rows = coverage(&t, &Settings::default());
        let ga = rows
            .iter()
            .find(|r| r.role_id == ObjectId::new(GA))
            .expect("Global Administrator has a row");
        assert_eq!(rows[0].role_name, "Global Administrator", "tier 0 first");
        assert_eq!(ga.mfa.status, Status::Provided);
        assert_eq!(ga.mfa.policies, ["A - MFA", "C - session"]);
        assert_eq!(ga.phishing_resistant.status, Status::Partial);
        assert_eq!(ga.phishing_resistant.policies, ["B - strength"]);
        assert_eq!(ga.phishing_resistant.note, "report-only");
        assert_eq!(ga.sign_in_frequency.status, Status::Partial);
        assert_eq!(ga.sign_in_frequency.note, "1 days, not at most 4 hours");
        assert_eq!(ga.activation.status, Status::None, "no PIM policy exported");
        // A role no policy names has nothing.
        let other = rows
            .iter()
            .find(|r| r.role_id != ObjectId::new(GA))
            .unwrap();
        assert_eq!(other.mfa.status, Status::Missing);
    }
}
