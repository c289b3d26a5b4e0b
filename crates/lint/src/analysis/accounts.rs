//! Break-glass (emergency access) accounts. The export cannot say which accounts they are; until
//! they are declared in configuration, candidates are inferred from their names, and every finding
//! that relies on the inference says so.

use super::{norm, Analysis};
use std::collections::BTreeSet;

/// Words that mark an emergency access account or group in a display name or UPN.
pub const BREAK_GLASS_WORDS: [&str; 4] = ["break glass", "breakglass", "break-glass", "emergency"];

#[derive(Debug, Clone, Default)]
pub struct BreakGlass {
    /// User ids (lower-case), group members expanded.
    pub users: BTreeSet<String>,
    /// Group ids (lower-case) that hold break-glass accounts.
    pub groups: BTreeSet<String>,
    /// True when the set was guessed from names rather than declared.
    pub inferred: bool,
}

impl BreakGlass {
    pub fn contains(&self, id: &str) -> bool {
        let id = norm(id);
        self.users.contains(&id) || self.groups.contains(&id)
    }

    /// What a message adds when it relied on the inference.
    pub fn note(&self) -> &'static str {
        if self.inferred {
            " (break-glass accounts inferred from their names; declare them in entralint.toml)"
        } else {
            ""
        }
    }
}

fn matches_words(text: &str) -> bool {
    let t = text.to_lowercase();
    BREAK_GLASS_WORDS.iter().any(|w| t.contains(w))
}

pub(super) fn infer(a: &Analysis<'_>) -> BreakGlass {
    let t = a.tenant;
    let mut bg = BreakGlass {
        inferred: true,
        ..Default::default()
    };
    for u in &t.users {
        let named = [&u.display_name, &u.user_principal_name]
            .into_iter()
            .flatten()
            .any(|s| matches_words(s));
        if let (true, Some(id)) = (named, &u.id) {
            bg.users.insert(norm(id));
        }
    }
    for g in &t.groups {
        if let (true, Some(id)) = (g.display_name.as_deref().is_some_and(matches_words), &g.id) {
            bg.groups.insert(norm(id));
            bg.users.extend(a.users_in_group(id));
        }
    }
    bg
}
