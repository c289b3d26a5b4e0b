//! What changed between two exports in security terms: Conditional Access policies (state, who
//! and what is in or out of scope, conditions, grant and session controls) matched by id, else by
//! display name, and each privileged role's activation chain. What Graph rewrites on write without
//! changing meaning is not a change: the order of a list, the case of an id, and the operator of a
//! grant with a single control.

use crate::analysis::Analysis;
use crate::chains::ChainRow;
use crate::Settings;
use entralint_parser::model::{ConditionalAccessPolicy, GrantControls, SessionControls};
use entralint_parser::{ObjectId, Origin, Tenant};
use serde::Serialize;
use std::collections::BTreeSet;

/// One change, as a reviewer reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// `policy` (Conditional Access) or `role` (an activation chain).
    pub kind: &'static str,
    /// The policy's or role's name.
    pub object: String,
    /// What changed, in Graph's terms (`state`, `conditions.users.excludeUsers`, `activation`).
    pub field: String,
    /// Before and after, in words; `None` for a side the object does not exist on.
    pub before: Option<String>,
    pub after: Option<String>,
    /// Where the new value is (the old one for a removed object).
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// The changes from `old` to `new`: Conditional Access policies in the new export's order (then
/// the removed ones), then roles by name.
pub fn changes(
    old: (&Tenant, &Settings, &[ChainRow]),
    new: (&Tenant, &Settings, &[ChainRow]),
) -> Vec<Change> {
    let old_analysis = Analysis::new(old.0, old.1);
    let new_analysis = Analysis::new(new.0, new.1);
    let mut out = Vec::new();
    let mut matched = BTreeSet::new();
    for p in &new.0.conditional_access {
        let before =
            old.0
                .conditional_access
                .iter()
                .enumerate()
                .find(|(_, o)| match (&o.id, &p.id) {
                    (Some(a), Some(b)) => a == b,
                    _ => o.display_name.is_some() && o.display_name == p.display_name,
                });
        match before {
            Some((i, o)) => {
                matched.insert(i);
                policy(&mut out, (o, &old_analysis), (p, &new_analysis));
            }
            None => out.push(Change {
                kind: "policy",
                object: p.name().to_owned(),
                field: "policy".to_owned(),
                before: None,
                after: Some(format!("added ({})", state(p))),
                origin: Some(p.origin.clone()),
            }),
        }
    }
    for (i, o) in old.0.conditional_access.iter().enumerate() {
        if !matched.contains(&i) {
            out.push(Change {
                kind: "policy",
                object: o.name().to_owned(),
                field: "policy".to_owned(),
                before: Some(format!("present ({})", state(o))),
                after: None,
                origin: Some(o.origin.clone()),
            });
        }
    }
    roles(&mut out, old.2, new.2);
    pim_settings(&mut out, &old_analysis, &new_analysis);
    out
}

/// Approval and the activation's maximum duration of each role's PIM policy.
fn pim_settings(out: &mut Vec<Change>, old: &Analysis<'_>, new: &Analysis<'_>) {
    use entralint_parser::model::{rule_ids, RuleBody};
    let settings = |chain: &crate::analysis::RoleChain<'_>| {
        let approval = match chain
            .policy
            .rule(rule_ids::APPROVAL_END_USER)
            .map(|r| &r.body)
        {
            Some(RuleBody::Approval { setting: Some(s) }) => {
                if s.is_approval_required == Some(true) {
                    "required".to_owned()
                } else {
                    "not required".to_owned()
                }
            }
            Some(_) => "not required".to_owned(),
            None => "not in the policy".to_owned(),
        };
        let duration = match chain
            .policy
            .rule(rule_ids::EXPIRATION_END_USER)
            .map(|r| &r.body)
        {
            Some(RuleBody::Expiration {
                maximum_duration: Some(d),
                ..
            }) => d.clone(),
            _ => "not in the policy".to_owned(),
        };
        (approval, duration)
    };
    for chain in new.chains() {
        let Some(before) = old.chains().iter().find(|c| c.role_id == chain.role_id) else {
            continue;
        };
        let (b, a) = (settings(before), settings(chain));
        for (field, before, after) in [
            ("approval", b.0, a.0),
            ("activationMaximumDuration", b.1, a.1),
        ] {
            if before != after {
                out.push(Change {
                    kind: "role",
                    object: chain.role_name.clone(),
                    field: field.to_owned(),
                    before: Some(before),
                    after: Some(after),
                    origin: Some(chain.policy.origin.clone()),
                });
            }
        }
    }
}

fn state(p: &ConditionalAccessPolicy) -> &str {
    p.state.as_ref().map_or("no state", |s| match s.as_str() {
        "enabledForReportingButNotEnforced" => "report-only",
        other => other,
    })
}

/// The changes of one policy.
fn policy(
    out: &mut Vec<Change>,
    (o, old): (&ConditionalAccessPolicy, &Analysis<'_>),
    (p, new): (&ConditionalAccessPolicy, &Analysis<'_>),
) {
    let mut field = |name: &str, before: String, after: String| {
        if before != after {
            out.push(Change {
                kind: "policy",
                object: p.name().to_owned(),
                field: name.to_owned(),
                before: Some(before),
                after: Some(after),
                origin: Some(p.origin.clone()),
            });
        }
    };
    field(
        "displayName",
        o.display_name.clone().unwrap_or_default(),
        p.display_name.clone().unwrap_or_default(),
    );
    field("state", state(o).to_owned(), state(p).to_owned());
    let (ou, pu) = (&o.conditions.users, &p.conditions.users);
    // A break-glass account or group is said to be one: its exclusion is a decision to review.
    let principal = |a: &Analysis<'_>, id: &ObjectId| {
        let named = name_and_id(&a.principal_name(id), id);
        if a.break_glass().contains(id) {
            format!("{named} [break-glass]")
        } else {
            named
        }
    };
    let role = |a: &Analysis<'_>, id: &ObjectId| name_and_id(&a.role_name(id), id);
    type Named<'x> = &'x dyn Fn(&Analysis<'_>, &ObjectId) -> String;
    let lists: [(&str, &[ObjectId], &[ObjectId], Named<'_>); 6] = [
        (
            "conditions.users.includeUsers",
            &ou.include_users,
            &pu.include_users,
            &principal,
        ),
        (
            "conditions.users.excludeUsers",
            &ou.exclude_users,
            &pu.exclude_users,
            &principal,
        ),
        (
            "conditions.users.includeGroups",
            &ou.include_groups,
            &pu.include_groups,
            &principal,
        ),
        (
            "conditions.users.excludeGroups",
            &ou.exclude_groups,
            &pu.exclude_groups,
            &principal,
        ),
        (
            "conditions.users.includeRoles",
            &ou.include_roles,
            &pu.include_roles,
            &role,
        ),
        (
            "conditions.users.excludeRoles",
            &ou.exclude_roles,
            &pu.exclude_roles,
            &role,
        ),
    ];
    for (name, before, after, named) in lists {
        if let Some((removed, added)) = set_change(before, after) {
            let words = |ids: &[&ObjectId], a: &Analysis<'_>| {
                ids.iter()
                    .map(|id| named(a, id))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            field(name, words(&removed, old), words(&added, new));
        }
    }
    let guests = |g: &Option<entralint_parser::model::GuestsOrExternalUsers>| {
        g.as_ref()
            .map(|g| sorted(&g.guest_or_external_user_types.0).join(", "))
            .unwrap_or_default()
    };
    field(
        "conditions.users.includeGuestsOrExternalUsers",
        guests(&ou.include_guests_or_external_users),
        guests(&pu.include_guests_or_external_users),
    );
    field(
        "conditions.users.excludeGuestsOrExternalUsers",
        guests(&ou.exclude_guests_or_external_users),
        guests(&pu.exclude_guests_or_external_users),
    );
    let (oa, pa) = (&o.conditions.applications, &p.conditions.applications);
    let ids = |v: &[ObjectId]| sorted(v.iter().map(|i| i.to_ascii_lowercase()));
    field(
        "conditions.applications.includeApplications",
        ids(&oa.include_applications).join(", "),
        ids(&pa.include_applications).join(", "),
    );
    field(
        "conditions.applications.excludeApplications",
        ids(&oa.exclude_applications).join(", "),
        ids(&pa.exclude_applications).join(", "),
    );
    field(
        "conditions.applications.includeUserActions",
        sorted(&oa.include_user_actions).join(", "),
        sorted(&pa.include_user_actions).join(", "),
    );
    field(
        "conditions.applications.includeAuthenticationContextClassReferences",
        sorted(&oa.include_authentication_context_class_references).join(", "),
        sorted(&pa.include_authentication_context_class_references).join(", "),
    );
    field(
        "conditions.clientAppTypes",
        sorted(&o.conditions.client_app_types).join(", "),
        sorted(&p.conditions.client_app_types).join(", "),
    );
    let include_exclude = |v: Option<(&Vec<String>, &Vec<String>)>| {
        v.map(|(i, e)| {
            format!(
                "include {}; exclude {}",
                or_none(&sorted(i)),
                or_none(&sorted(e))
            )
        })
        .unwrap_or_default()
    };
    let locations = |c: &ConditionalAccessPolicy| {
        include_exclude(
            c.conditions
                .locations
                .as_ref()
                .map(|l| (&l.include, &l.exclude)),
        )
    };
    let platforms = |c: &ConditionalAccessPolicy| {
        include_exclude(
            c.conditions
                .platforms
                .as_ref()
                .map(|l| (&l.include, &l.exclude)),
        )
    };
    field("conditions.locations", locations(o), locations(p));
    field("conditions.platforms", platforms(o), platforms(p));
    field(
        "conditions.signInRiskLevels",
        sorted(&o.conditions.sign_in_risk_levels).join(", "),
        sorted(&p.conditions.sign_in_risk_levels).join(", "),
    );
    field(
        "conditions.userRiskLevels",
        sorted(&o.conditions.user_risk_levels).join(", "),
        sorted(&p.conditions.user_risk_levels).join(", "),
    );
    field(
        "grantControls",
        grant(o.grant_controls.as_ref(), old),
        grant(p.grant_controls.as_ref(), new),
    );
    field(
        "sessionControls",
        session(o.session_controls.as_ref()),
        session(p.session_controls.as_ref()),
    );
}

/// The items removed and added, ids compared without case; `None` when the sets are equal.
fn set_change<'a>(
    before: &'a [ObjectId],
    after: &'a [ObjectId],
) -> Option<(Vec<&'a ObjectId>, Vec<&'a ObjectId>)> {
    let removed: Vec<&ObjectId> = dedup(before.iter().filter(|b| !after.contains(b)));
    let added: Vec<&ObjectId> = dedup(after.iter().filter(|a| !before.contains(a)));
    (!removed.is_empty() || !added.is_empty()).then_some((removed, added))
}

fn dedup<'a>(ids: impl Iterator<Item = &'a ObjectId>) -> Vec<&'a ObjectId> {
    let mut out: Vec<&ObjectId> = Vec::new();
    for id in ids {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

fn name_and_id(name: &str, id: &ObjectId) -> String {
    if name == &**id {
        id.to_string()
    } else {
        format!("{name} ({id})")
    }
}

fn sorted<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Vec<String> {
    let set: BTreeSet<String> = items.into_iter().map(|s| s.as_ref().to_owned()).collect();
    set.into_iter().collect()
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

/// The grant in words: `mfa AND compliantDevice; strength Phishing-resistant MFA`. With one
/// control the operator means nothing (Graph writes it as it likes).
pub(crate) fn grant(g: Option<&GrantControls>, a: &Analysis<'_>) -> String {
    let Some(g) = g else {
        return "none".to_owned();
    };
    let mut controls = sorted(g.built_in_controls.iter().map(|c| c.as_str().to_owned()));
    controls.extend(sorted(&g.custom_authentication_factors));
    if let Some(s) = &g.authentication_strength {
        // Named from the export when it can be; an embedded copy and a bare id of the same
        // strength read the same (Graph expands the strength on read).
        let name =
            s.id.as_ref()
                .and_then(|id| {
                    a.tenant
                        .authentication_strengths
                        .iter()
                        .find(|t| t.id.as_ref() == Some(id))
                        .and_then(|t| t.display_name.clone())
                })
                .or_else(|| {
                    s.id.as_ref()
                        .and_then(|id| entralint_parser::builtin::built_in_strength(id))
                        .and_then(|b| b.display_name)
                })
                .or_else(|| s.display_name.clone());
        let name = name
            .or_else(|| s.id.as_ref().map(|i| i.to_string()))
            .unwrap_or_else(|| "?".to_owned());
        controls.push(format!("strength `{name}`"));
    }
    if !g.terms_of_use.is_empty() {
        controls.push("terms of use".to_owned());
    }
    let operator = g.operator.as_ref().map_or("OR", |o| o.as_str());
    match controls.len() {
        0 => "none".to_owned(),
        1 => controls.remove(0),
        _ => controls.join(&format!(" {operator} ")),
    }
}

/// Sign-in frequency and persistent browser in words.
pub(crate) fn session(s: Option<&SessionControls>) -> String {
    let Some(s) = s else {
        return "none".to_owned();
    };
    let mut parts = Vec::new();
    if let Some(f) = s
        .sign_in_frequency
        .as_ref()
        .filter(|f| f.is_enabled != Some(false))
    {
        if f.is_every_time() {
            parts.push("sign-in frequency every time".to_owned());
        } else {
            parts.push(format!(
                "sign-in frequency {} {}",
                f.value.map_or("?".to_owned(), |v| v.to_string()),
                f.kind.as_deref().unwrap_or("?")
            ));
        }
    }
    if let Some(b) = s
        .persistent_browser
        .as_ref()
        .filter(|b| b.is_enabled != Some(false))
    {
        parts.push(format!(
            "persistent browser {}",
            b.mode.as_deref().unwrap_or("?")
        ));
    }
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The chain changes of each role, by role id.
fn roles(out: &mut Vec<Change>, old: &[ChainRow], new: &[ChainRow]) {
    let describe = |r: &ChainRow| {
        let activation = match r.requirement {
            "none" => "nothing".to_owned(),
            "mfaClaim" => "an MFA claim".to_owned(),
            _ => format!("context {}", r.context.as_deref().unwrap_or("?")),
        };
        let policies: Vec<String> = r
            .policies
            .iter()
            .map(|p| {
                format!(
                    "`{}` ({}, {})",
                    p.display_name,
                    p.state,
                    p.strength.as_deref().unwrap_or(p.strength_class)
                )
            })
            .collect();
        (activation, policies.join(", "), r.verdict.to_owned())
    };
    let mut names: Vec<(&str, &ObjectId)> = new
        .iter()
        .chain(old)
        .map(|r| (r.role_name.as_str(), &r.role_id))
        .collect();
    names.sort();
    names.dedup_by(|a, b| a.1 == b.1);
    for (name, id) in names {
        let before = old.iter().find(|r| &r.role_id == id).map(describe);
        let after = new.iter().find(|r| &r.role_id == id).map(describe);
        let mut push = |field: &str, before: Option<String>, after: Option<String>| {
            if before != after {
                out.push(Change {
                    kind: "role",
                    object: name.to_owned(),
                    field: field.to_owned(),
                    before,
                    after,
                    origin: None,
                });
            }
        };
        match (before, after) {
            (Some(b), Some(a)) => {
                push("activation", Some(b.0), Some(a.0));
                push("contextPolicies", Some(b.1), Some(a.1));
                push("verdict", Some(b.2), Some(a.2));
            }
            (b, a) => push(
                "chain",
                b.map(|b| format!("{}, {}", b.0, b.2)),
                a.map(|a| format!("{}, {}", a.0, a.2)),
            ),
        }
    }
}
