//! ADM: coverage of the administrative roles by Conditional Access, and grant controls that make
//! MFA optional. Which roles count as administrative is a profile (`analysis::profiles`).
//!
//! ADM001, ADM002 and ADM006 look for one policy of a given shape. When none qualifies they report
//! once, at the closest candidate and the field that disqualifies it ([`Candidate`], [`Defect`]),
//! with the other near misses as related labels.

super::family! {
    admin_mfa_not_enforced::ADMIN_MFA_NOT_ENFORCED,
    admin_phishing_resistance_missing::ADMIN_PHISHING_RESISTANCE_MISSING,
    privileged_access_invisible_to_role_targeting::PRIVILEGED_ACCESS_INVISIBLE_TO_ROLE_TARGETING,
    admins_excluded_from_admin_coverage::ADMINS_EXCLUDED_FROM_ADMIN_COVERAGE,
    mfa_optional_by_or_grant::MFA_OPTIONAL_BY_OR_GRANT,
    weak_admin_session_controls::WEAK_ADMIN_SESSION_CONTROLS,
}

/// The longest sign-in frequency ADM006 accepts for the admin roles, in hours.
pub use weak_admin_session_controls::MAX_SIGN_IN_FREQUENCY_HOURS;

use super::shared::{enumerate, first_of, policy_subject, ONE_BY_ONE};
use crate::analysis::chain::narrowing;
use crate::analysis::strength::{grant, Grant};
use crate::prelude::*;
use entralint_parser::model::{ConditionalAccessPolicy, PolicyState};
use entralint_parser::ObjectId;
use std::collections::{BTreeMap, BTreeSet};

/// How many names a message lists before it says "and N more".
const LISTED: usize = 8;

/// `a, b and c`, or `a, b, ... and 3 more` past [`LISTED`] items.
fn list(items: &[String]) -> String {
    enumerate(items, LISTED)
}

/// Display names of roles, sorted, listed.
fn role_names<'a>(cx: &Check<'_>, roles: impl IntoIterator<Item = &'a ObjectId>) -> String {
    let mut names: Vec<String> = roles
        .into_iter()
        .map(|r| cx.analysis.role_name(r))
        .collect();
    names.sort();
    names.dedup();
    list(&names)
}

/// Controls that satisfy the grant instead of MFA (`OR`); `mfa` beside a strength is MFA too.
fn non_mfa_alternatives(g: &Grant) -> Vec<String> {
    g.alternatives()
        .iter()
        .filter(|a| *a != "mfa")
        .cloned()
        .collect()
}

/// One reason a policy does not qualify.
struct Defect {
    at: Origin,
    /// Reads after the policy's name: `is report-only`.
    what: String,
    /// The text under the caret.
    label: String,
}

impl Defect {
    fn new(at: Origin, what: impl Into<String>, label: impl Into<String>) -> Self {
        Defect {
            at,
            what: what.into(),
            label: label.into(),
        }
    }
}

/// A policy aimed at the admins, and what keeps it from qualifying.
struct Candidate<'t> {
    policy: &'t ConditionalAccessPolicy,
    defects: Vec<Defect>,
    /// Defects counted but not listed (one defect that stands for several missing settings).
    extra: usize,
    /// Breaks ties between candidates with as many defects: lower is closer.
    tie: u8,
}

/// The policies that target some cloud app, some of `roles` (or all users) and require MFA or a
/// strength, each with what keeps it from covering every admin: its state, targeting, resources,
/// grant (as `grant_defects` judges it), narrowing conditions and exclusions.
fn mfa_candidates<'t>(
    cx: &Check<'t>,
    roles: &BTreeSet<ObjectId>,
    grant_defects: impl Fn(&ConditionalAccessPolicy, &Grant) -> Vec<Defect>,
) -> Vec<Candidate<'t>> {
    let t = cx.tenant;
    let mut names = Names::default();
    t.conditional_access
        .iter()
        .filter_map(|p| {
            let g = grant(t, p);
            if !targets_apps(p) || !g.requires_mfa() {
                return None;
            }
            let aimed = targeting(cx, &mut names, p, roles)?;
            let mut defects: Vec<Defect> = state_defect(p).into_iter().collect();
            defects.extend(aimed);
            defects.extend(resource_defects(p));
            defects.extend(grant_defects(p, &g));
            defects.extend(narrowing_defects(p, &g));
            let (exclusions, extra) = exclusion_defects(cx, p);
            defects.extend(exclusions);
            Some(Candidate {
                policy: p,
                defects,
                extra,
                tie: 0,
            })
        })
        .collect()
}

/// `state` must be `enabled`.
fn state_defect(p: &ConditionalAccessPolicy) -> Option<Defect> {
    let (what, label) = match &p.state {
        Some(PolicyState::Enabled) => return None,
        Some(PolicyState::ReportOnly) => (
            "is report-only".to_owned(),
            "report-only: evaluated and logged, never enforced",
        ),
        Some(PolicyState::Disabled) => ("is disabled".to_owned(), "disabled: never evaluated"),
        Some(PolicyState::Unknown(s)) => (format!("has state `{s}`"), "not `enabled`"),
        None => ("has no state".to_owned(), "no `state`: not enforced"),
    };
    Some(Defect::new(p.origin.at("state"), what, label))
}

/// The policy is aimed at the role set: it includes `All` users or one of the roles.
fn aims_at(p: &ConditionalAccessPolicy, roles: &BTreeSet<ObjectId>) -> bool {
    let u = &p.conditions.users;
    u.includes_all_users() || u.include_roles.iter().any(|r| roles.contains(r))
}

/// What one run of a rule works out once for all policies: role-name lists already written, by
/// role ids (thousands of policies miss the same roles), and the holders of each role of the set.
#[derive(Default)]
struct Names {
    lists: BTreeMap<Vec<ObjectId>, String>,
    holders: Option<BTreeMap<ObjectId, BTreeSet<ObjectId>>>,
}

impl Names {
    fn of(&mut self, cx: &Check<'_>, ids: Vec<ObjectId>) -> String {
        self.lists
            .entry(ids)
            .or_insert_with_key(|ids| role_names(cx, ids))
            .clone()
    }

    /// The users who hold each role of `roles` (active or eligible).
    fn holders(
        &mut self,
        cx: &Check<'_>,
        roles: &BTreeSet<ObjectId>,
    ) -> &BTreeMap<ObjectId, BTreeSet<ObjectId>> {
        self.holders.get_or_insert_with(|| {
            let mut holders: BTreeMap<ObjectId, BTreeSet<ObjectId>> = BTreeMap::new();
            for (user, holdings) in cx.analysis.holdings() {
                for h in holdings.iter().filter(|h| roles.contains(&h.role)) {
                    holders
                        .entry(h.role.clone())
                        .or_default()
                        .insert(user.clone());
                }
            }
            holders
        })
    }
}

/// `None` when the policy is not aimed at the role set ([`aims_at`]); else what it leaves out:
/// roles of the set it does not include (unless it includes `All` users) and roles it excludes.
fn targeting(
    cx: &Check<'_>,
    names: &mut Names,
    p: &ConditionalAccessPolicy,
    roles: &BTreeSet<ObjectId>,
) -> Option<Vec<Defect>> {
    let u = &p.conditions.users;
    let persona = if u.includes_all_users() || roles.iter().all(|r| u.include_roles.contains(r)) {
        BTreeSet::new()
    } else {
        persona_roles(cx, names, p, roles)
    };
    if !aims_at(p, roles) && persona.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    if !u.includes_all_users() {
        let included: BTreeSet<ObjectId> = u.include_roles.iter().cloned().collect();
        let missing: Vec<ObjectId> = roles
            .iter()
            .filter(|r| !included.contains(*r) && !persona.contains(*r))
            .cloned()
            .collect();
        if !missing.is_empty() {
            let n = missing.len();
            let names = names.of(cx, missing);
            let label = match n {
                1 | 2 => format!("missing {names}"),
                n => format!("missing {n} roles of the set"),
            };
            out.push(Defect::new(
                p.origin.at("conditions/users/includeRoles"),
                format!("does not include {names}"),
                label,
            ));
        }
    }
    let excluded: Vec<(usize, ObjectId)> = u
        .exclude_roles
        .iter()
        .cloned()
        .enumerate()
        .filter(|(_, r)| roles.contains(r))
        .collect();
    if let Some(&(i, _)) = excluded.first() {
        let names = names.of(cx, excluded.into_iter().map(|(_, r)| r).collect());
        out.push(Defect::new(
            p.origin.at_index("conditions/users/excludeRoles", i),
            format!("excludes {names}"),
            format!("excludes {names}"),
        ));
    }
    Some(out)
}

/// The roles of the set a policy covers through the users and groups it includes (a persona
/// group such as `CA-Persona-Admins`) rather than by role: those whose every holder, active or
/// eligible, is among the users it includes, directly or through nested groups. Only exported
/// memberships can prove it, so role memberships and group members must be in the export. When
/// every admin of the set is included, the whole set is covered (a role nobody holds has nobody
/// to cover); otherwise each role whose holders are all included.
fn persona_roles(
    cx: &Check<'_>,
    names: &mut Names,
    p: &ConditionalAccessPolicy,
    roles: &BTreeSet<ObjectId>,
) -> BTreeSet<ObjectId> {
    let t = cx.tenant;
    let u = &p.conditions.users;
    let memberships_exported = [
        Kind::RoleAssignment,
        Kind::RoleAssignmentSchedule,
        Kind::RoleEligibilitySchedule,
    ]
    .into_iter()
    .any(|k| t.inventory.has(k));
    let named_users: Vec<&ObjectId> = u
        .include_users
        .iter()
        .filter(|x| !entralint_parser::builtin::is_special_user(x))
        .collect();
    if !memberships_exported
        || (named_users.is_empty() && u.include_groups.is_empty())
        || (!u.include_groups.is_empty() && !t.inventory.has(Kind::GroupMember))
    {
        return BTreeSet::new();
    }
    let holders = names.holders(cx, roles);
    if holders.is_empty() {
        return BTreeSet::new();
    }
    let mut included: BTreeSet<ObjectId> = named_users.into_iter().cloned().collect();
    included.extend(
        cx.analysis
            .users_in_groups(&u.include_groups)
            .into_iter()
            .map(|(x, _)| x),
    );
    if holders.values().flatten().all(|x| included.contains(x)) {
        return roles.clone();
    }
    holders
        .iter()
        .filter(|(_, users)| users.iter().all(|x| included.contains(x)))
        .map(|(role, _)| role.clone())
        .collect()
}

/// The policy applies to sign-ins to some cloud app, not only to an authentication context or a
/// user action (such a policy is no attempt at covering the admins' sign-ins).
fn targets_apps(p: &ConditionalAccessPolicy) -> bool {
    p.conditions
        .applications
        .include_applications
        .iter()
        .any(|a| *a != "None")
}

/// The policy must cover every resource: `All` in `includeApplications` and no
/// `excludeApplications`; each way it falls short is a defect.
fn resource_defects(p: &ConditionalAccessPolicy) -> Vec<Defect> {
    let apps = &p.conditions.applications;
    let mut out = Vec::new();
    if !apps
        .include_applications
        .iter()
        .any(|a| a.eq_ignore_ascii_case("All"))
    {
        let named: Vec<String> = apps
            .include_applications
            .iter()
            .map(|a| format!("`{a}`"))
            .collect();
        out.push(Defect::new(
            p.origin.at("conditions/applications/includeApplications"),
            format!("applies only to {}", list(&named)),
            "not `All` resources",
        ));
    }
    if !apps.exclude_applications.is_empty() {
        let named: Vec<String> = apps
            .exclude_applications
            .iter()
            .map(|a| format!("`{a}`"))
            .collect();
        let plural = if named.len() == 1 { "" } else { "s" };
        out.push(Defect::new(
            p.origin.at("conditions/applications/excludeApplications"),
            format!("excludes application{plural} {}", list(&named)),
            "sign-ins to these apps skip the requirement",
        ));
    }
    out
}

/// Location, platform and risk conditions (the narrowing ADM001 and ADM002 do not accept; client
/// app types and device filters are left to the PIM and hygiene rules).
fn narrowing_defects(p: &ConditionalAccessPolicy, g: &Grant) -> Vec<Defect> {
    const PATHS: [&str; 4] = [
        "conditions/locations",
        "conditions/platforms",
        "conditions/userRiskLevels",
        "conditions/signInRiskLevels",
    ];
    narrowing(p, g)
        .into_iter()
        .filter(|n| PATHS.iter().any(|prefix| n.path.starts_with(prefix)))
        .map(|n| Defect::new(p.origin.at(n.path), n.what.clone(), n.what))
        .collect()
}

/// The policy may exclude only break-glass and service accounts: every entry of `excludeUsers`
/// must be a break-glass or service account, and every entry of `excludeGroups` a declared (or
/// inferred) break-glass or service group, or — when group memberships are exported — a group
/// whose users are all break-glass or service accounts, or that has none; each other entry is a
/// defect. Past [`ONE_BY_ONE`]
/// entries of one list, the list is one defect that counts for as many (the second value: the
/// defects counted but not listed).
fn exclusion_defects(cx: &Check<'_>, p: &ConditionalAccessPolicy) -> (Vec<Defect>, usize) {
    let a = cx.analysis;
    let bg = a.break_glass();
    let svc = a.service_accounts();
    let u = &p.conditions.users;
    let mut out = Vec::new();
    let mut extra = 0;
    for (field, ids) in [
        ("excludeUsers", &u.exclude_users),
        ("excludeGroups", &u.exclude_groups),
    ] {
        let others: Vec<(usize, &ObjectId)> = ids
            .iter()
            .enumerate()
            .filter(|(_, id)| !(bg.contains(id) || svc.contains(id)))
            .filter(|(_, id)| !(field == "excludeGroups" && holds_only_exempt(cx, id)))
            .collect();
        if others.len() > ONE_BY_ONE {
            let n = others.len();
            let (noun, names) = if field == "excludeGroups" {
                (
                    "groups that are not break-glass or service account groups",
                    first_of(
                        others
                            .iter()
                            .map(|(_, id)| format!("`{}`", a.principal_name(id))),
                        n,
                    ),
                )
            } else {
                (
                    "users who are not break-glass or service accounts",
                    first_of(others.iter().map(|(_, id)| a.principal_name(id)), n),
                )
            };
            out.push(Defect::new(
                p.origin
                    .at_index(&format!("conditions/users/{field}"), others[0].0),
                format!("excludes {n} {noun} ({names})"),
                format!("the first of {n} entries that are not break-glass or service accounts"),
            ));
            extra += n - 1;
            continue;
        }
        for (i, id) in others {
            let what = if *id == "GuestsOrExternalUsers" {
                "excludes guests and external users".to_owned()
            } else if field == "excludeGroups" {
                format!(
                    "excludes group `{}`, which is not a break-glass or service account group",
                    a.principal_name(id)
                )
            } else {
                format!(
                    "excludes {}, who is not a break-glass or service account",
                    a.principal_name(id)
                )
            };
            out.push(Defect::new(
                p.origin.at_index(&format!("conditions/users/{field}"), i),
                what,
                "not a break-glass or service account",
            ));
        }
    }
    (out, extra)
}

/// Whether the exported memberships show that the group holds no user other than break-glass
/// and service accounts (or none at all): excluding it then leaves no administrator out. Without
/// exported memberships nothing is known, and the group is a defect.
fn holds_only_exempt(cx: &Check<'_>, group: &ObjectId) -> bool {
    let a = cx.analysis;
    if !cx.tenant.inventory.has(Kind::GroupMember) {
        return false;
    }
    let (bg, svc) = (a.break_glass(), a.service_accounts());
    // A walk that stops at the first other user: excluded groups of a long nesting chain each
    // hold a user of their own, and building each one's whole set of users would be quadratic.
    let members = a.group_members();
    let mut seen = std::collections::HashSet::from([group]);
    let mut stack = vec![group];
    while let Some(g) = stack.pop() {
        for (m, is_group) in members.get(g).into_iter().flatten() {
            if *is_group {
                if seen.insert(m) {
                    stack.push(m);
                }
            } else if !(bg.contains(m) || svc.contains(m)) {
                return false;
            }
        }
    }
    true
}

/// Whether the policy's exclusions were judged against the break-glass set.
fn has_exclusions(p: &ConditionalAccessPolicy) -> bool {
    let u = &p.conditions.users;
    !u.exclude_users.is_empty() || !u.exclude_groups.is_empty()
}

/// Where a finding about "no policy at all" goes when the tenant's own location is unknown (no
/// entralint.toml, no root named): the first Conditional Access policy. With an
/// exported but empty collection there is none, and the inventory does not say which file held
/// it: the start of the first file that was recognised, read without error and holds no object.
fn first_policy_or_file(cx: &Check<'_>) -> Option<Origin> {
    let t = cx.tenant;
    if let Some(p) = t.conditional_access.first() {
        return Some(p.origin.clone());
    }
    let inv = &t.inventory;
    t.sources
        .files()
        .map(|(id, _)| id)
        .find(|id| {
            !inv.per_file.contains_key(id)
                && !inv.unrecognized.contains(id)
                && !t.issues.iter().any(|i| i.file == *id)
        })
        .map(|f| Origin::new(f, Pointer::root()))
}

/// Reports once when no candidate qualifies: at the closest one's first defect, with its other
/// defects and up to three other candidates as related labels; at the first policy when there is
/// no candidate at all. `key` names what is missing (the profile) for fingerprints and
/// suppressions; `exclusions_judged` says whether the rule held exclusions against the
/// break-glass set (the message then says when that set was inferred).
fn report_closest(
    cx: &mut Check<'_>,
    mut candidates: Vec<Candidate<'_>>,
    head: &str,
    absent_label: &str,
    help: &str,
    key: &'static str,
    exclusions_judged: bool,
) {
    if candidates.iter().any(|c| c.defects.is_empty()) {
        return;
    }
    // Only the closest and three others are shown. Name and id break ties last, so the choice does
    // not depend on the order the files were read in.
    fn closer(a: &Candidate<'_>, b: &Candidate<'_>) -> std::cmp::Ordering {
        (
            a.defects.len() + a.extra,
            a.tie,
            a.policy.name(),
            &a.policy.id,
        )
            .cmp(&(
                b.defects.len() + b.extra,
                b.tie,
                b.policy.name(),
                &b.policy.id,
            ))
    }
    if candidates.len() > 4 {
        candidates.select_nth_unstable_by(3, closer);
        candidates.truncate(4);
    }
    candidates.sort_by(closer);
    let mut candidates = candidates.into_iter();
    let Some(best) = candidates.next() else {
        let Some(at) = cx.tenant_location().or_else(|| first_policy_or_file(cx)) else {
            return;
        };
        cx.report_tenant(at, head.to_owned())
            .label(absent_label)
            .help(help)
            .key(Key::Aspect(key.into()));
        return;
    };
    let p = best.policy;
    let whats: Vec<String> = best.defects.iter().map(|d| d.what.clone()).collect();
    let shown = whats.len().min(3);
    let mut reasons = list(&whats[..shown]);
    if whats.len() > shown {
        reasons.push_str(&format!(" (and {} more)", whats.len() - shown));
    }
    let note = if exclusions_judged && has_exclusions(p) {
        cx.analysis.break_glass().note()
    } else {
        String::new()
    };
    let mut defects = best.defects.into_iter();
    let first = defects
        .next()
        .expect("a candidate that does not qualify has a defect");
    let primary = first.at.clone();
    let f = cx.report(
        first.at,
        format!(
            "{head}: the closest, policy `{}`, {reasons}{note}",
            p.name()
        ),
    );
    f.label(first.label)
        .help(help)
        .subject(policy_subject(p))
        .key(Key::Aspect(key.into()));
    for d in defects.filter(|d| d.at != primary) {
        f.related(d.at, d.label);
    }
    for other in candidates.take(3) {
        if let Some(d) = other.defects.into_iter().next() {
            f.related(
                d.at,
                format!(
                    "policy `{}` also falls short: it {}",
                    other.policy.name(),
                    d.what
                ),
            );
        }
    }
}
