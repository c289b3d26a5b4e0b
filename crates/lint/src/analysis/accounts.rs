//! Break-glass (emergency access) and service accounts. The export cannot say which accounts they
//! are, so the configuration declares them. Until break-glass accounts are declared, the accounts
//! an export declares are taken (the exclusions ScubaGear's configuration accepts, echoed in its
//! provider export), else candidates are inferred; every finding that relies on either says so: a
//! guess that is wrong turns the exclusions meant for break-glass accounts into findings.

use super::Analysis;
use crate::settings::{Account, AccountKind};
use aho_corasick::AhoCorasick;
use entralint_parser::model::ConditionalAccessPolicy;
use entralint_parser::{ObjectId, Origin, Pointer};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::collections::BTreeSet;

/// Words that mark an emergency access account or group in a display name or UPN.
pub const BREAK_GLASS_WORDS: [&str; 4] = ["break glass", "breakglass", "break-glass", "emergency"];
/// Without a name match, a principal excluded from at least this share of the enabled policies...
pub const INFERENCE_SHARE: f64 = 0.8;
/// ...and from at least this many of them is taken for a break-glass account.
pub const INFERENCE_MIN_POLICIES: usize = 3;

/// A set of accounts: users (group members expanded) and the groups that hold them.
#[derive(Debug, Clone, Default)]
pub struct Accounts {
    pub users: BTreeSet<ObjectId>,
    pub groups: BTreeSet<ObjectId>,
}

impl Accounts {
    pub fn contains(&self, id: &ObjectId) -> bool {
        self.users.contains(id) || self.groups.contains(id)
    }
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.groups.is_empty()
    }
}

#[derive(Debug, Clone, Default)]
pub struct BreakGlass {
    pub accounts: Accounts,
    /// True when entralint.toml does not declare the set: it was taken from the export, or
    /// guessed.
    pub inferred: bool,
    /// Where the first declared account is written: in the settings file (its origin and the
    /// span of the entry), or in the export that declares it (its origin alone).
    pub declaration: Option<(Origin, Option<std::ops::Range<usize>>)>,
    /// How the set was chosen when entralint.toml does not declare it, for messages.
    pub how: &'static str,
}

/// How [`BreakGlass::how`] reads when the export declares the accounts.
pub const FROM_EXPORT: &str =
    "from the exclusions of ScubaGear's configuration recorded in the export";

impl BreakGlass {
    pub fn contains(&self, id: &ObjectId) -> bool {
        self.accounts.contains(id)
    }
    pub fn users(&self) -> &BTreeSet<ObjectId> {
        &self.accounts.users
    }
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// What a message adds when it relied on the inference.
    pub fn note(&self) -> String {
        if self.inferred && self.is_empty() {
            " (no break-glass accounts are declared in entralint.toml, and none could be inferred)"
                .to_owned()
        } else if self.how == FROM_EXPORT {
            format!(
                " (break-glass accounts taken {}; declare them in entralint.toml)",
                self.how
            )
        } else if self.inferred {
            format!(
                " (break-glass accounts inferred {}; declare them in entralint.toml)",
                self.how
            )
        } else {
            String::new()
        }
    }
}

/// Accounts named in the configuration: object ids and UPNs (resolved through the exported users)
/// and groups (with their members).
pub(super) fn declared(a: &Analysis<'_>, entries: &[Account]) -> Accounts {
    let mut out = Accounts::default();
    for e in entries {
        match e.kind {
            AccountKind::ObjectId => {
                out.users.insert(ObjectId::new(&e.value));
            }
            AccountKind::Upn => {
                let user = a.tenant.users.iter().find(|u| {
                    u.user_principal_name
                        .as_deref()
                        .is_some_and(|upn| upn.eq_ignore_ascii_case(&e.value))
                });
                // An unknown UPN still names the account: keep it, lower-cased, so ids never match it.
                out.users.insert(
                    user.and_then(|u| u.id.clone())
                        .unwrap_or_else(|| ObjectId::new(&e.value.to_lowercase())),
                );
            }
            // What the address names is told by its resource type.
            AccountKind::Terraform => {
                let id = crate::symbols::terraform_id(&e.value);
                if e.value.contains("group") {
                    out.groups.insert(id);
                } else {
                    out.users.insert(id);
                }
            }
            AccountKind::GroupId | AccountKind::GroupName => {
                let group = match e.kind {
                    AccountKind::GroupName => crate::symbols::declared_group(a.tenant, &e.value),
                    _ => ObjectId::new(&e.value),
                };
                out.users.extend(a.users_in_group(&group).iter().cloned());
                out.groups.insert(group);
            }
        }
    }
    out
}

/// Finds the [`BREAK_GLASS_WORDS`] in a name, ignoring ASCII case, in one pass over it (exports
/// hold many thousands of names).
fn break_glass_words() -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(BREAK_GLASS_WORDS)
        .expect("a handful of short words builds")
}

/// Policies that count for exclusion-frequency inference: enabled, for users (not workload
/// identities), not authentication-context-only (Maester's emergency-access heuristic does the same).
pub fn counts_for_inference(p: &ConditionalAccessPolicy) -> bool {
    p.is_enabled() && about_user_sign_ins(p)
}

/// Whether the policy is about users signing in to apps: neither context-only nor for service
/// principals.
pub fn about_user_sign_ins(p: &ConditionalAccessPolicy) -> bool {
    !p.is_context_only() && !p.is_for_workloads()
}

pub(super) fn break_glass(a: &Analysis<'_>) -> BreakGlass {
    if let Some(first) = a.facts.break_glass.first() {
        return BreakGlass {
            accounts: declared(a, &a.facts.break_glass),
            inferred: false,
            declaration: a
                .settings_file
                .map(|file| (Origin::new(file, Pointer::root()), Some(first.span.clone()))),
            how: "",
        };
    }
    let t = a.tenant;
    if let Some(first) = t.declared_exclusions.first() {
        let entries: Vec<Account> = t
            .declared_exclusions
            .iter()
            .map(|e| Account {
                kind: if e.group {
                    AccountKind::GroupId
                } else {
                    AccountKind::ObjectId
                },
                value: e.id.to_string(),
                note: None,
                span: 0..0,
            })
            .collect();
        return BreakGlass {
            accounts: declared(a, &entries),
            inferred: true,
            declaration: Some((first.origin.clone(), None)),
            how: FROM_EXPORT,
        };
    }
    let mut by_name = Accounts::default();
    let words = break_glass_words();
    for u in &t.users {
        let named = [&u.display_name, &u.user_principal_name]
            .into_iter()
            .flatten()
            .any(|s| words.is_match(s));
        if let (true, Some(id)) = (named, &u.id) {
            by_name.users.insert(id.clone());
        }
    }
    for g in &t.groups {
        let named = g.display_name.as_deref().is_some_and(|n| words.is_match(n));
        if let (true, Some(id)) = (named, &g.id) {
            by_name.groups.insert(id.clone());
        }
    }
    let groups: Vec<ObjectId> = by_name.groups.iter().cloned().collect();
    by_name
        .users
        .extend(a.users_in_groups(&groups).into_iter().map(|(u, _)| u));
    if !by_name.is_empty() {
        return BreakGlass {
            accounts: by_name,
            inferred: true,
            declaration: None,
            how: "from names containing \"break glass\" or \"emergency\"",
        };
    }
    // No name says it: the principals excluded from nearly every enabled policy.
    let policies: Vec<&ConditionalAccessPolicy> = t
        .conditional_access
        .iter()
        .filter(|p| counts_for_inference(p))
        .collect();
    let needed = ((policies.len() as f64) * INFERENCE_SHARE).ceil() as usize;
    let mut excluded: HashMap<&ObjectId, (usize, bool)> = HashMap::new();
    // Fewer policies than the minimum: no principal can be excluded from enough of them.
    let counted = if policies.len() < INFERENCE_MIN_POLICIES {
        &[][..]
    } else {
        &policies[..]
    };
    for p in counted {
        let u = &p.conditions.users;
        let mut seen = HashSet::new();
        for (id, is_group) in u
            .exclude_users
            .iter()
            .map(|x| (x, false))
            .chain(u.exclude_groups.iter().map(|x| (x, true)))
        {
            if seen.insert(id) {
                let e = excluded.entry(id).or_insert((0, is_group));
                e.0 += 1;
            }
        }
    }
    let mut accounts = Accounts::default();
    for (id, (n, is_group)) in excluded {
        if n >= needed.max(INFERENCE_MIN_POLICIES) {
            if is_group {
                accounts.groups.insert(id.clone());
            } else {
                accounts.users.insert(id.clone());
            }
        }
    }
    let groups: Vec<ObjectId> = accounts.groups.iter().cloned().collect();
    accounts
        .users
        .extend(a.users_in_groups(&groups).into_iter().map(|(u, _)| u));
    BreakGlass {
        accounts,
        inferred: true,
        declaration: None,
        how: "as the principals excluded from nearly every enabled policy",
    }
}
