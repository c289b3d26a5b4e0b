//! Small helpers several rule families use.

use crate::prelude::*;
use entralint_parser::model::ConditionalAccessPolicy;

/// "Name (id)", or the id alone when the export does not name the principal.
pub(crate) fn who(a: &Analysis<'_>, id: &ObjectId) -> String {
    let name = a.principal_name(id);
    if name.eq_ignore_ascii_case(id) {
        id.to_string()
    } else {
        format!("{name} ({id})")
    }
}

/// A finding about a Conditional Access policy.
pub(crate) fn policy_subject(p: &ConditionalAccessPolicy) -> Subject {
    Subject {
        kind: SubjectKind::ConditionalAccessPolicy,
        id: p.id.clone(),
        display_name: Some(p.name().to_owned()),
        origin: p.origin.clone(),
    }
}

/// Up to `max` items joined with commas, then "and N more": `a, b and c`.
pub(crate) fn enumerate(items: &[String], max: usize) -> String {
    match items.len() {
        0 => String::new(),
        n if n <= max => match items.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        },
        n => format!("{} and {} more", items[..max].join(", "), n - max),
    }
}

/// Findings of one kind about one field of one object (the users a policy's `excludeUsers`
/// leaves unprotected, its dangling ids) are reported one by one up to this many; past it, the
/// rule reports one finding that names the first [`SHOWN`] and gives the count, so that the
/// report grows with the number of objects, never with the length of a list.
pub(crate) const ONE_BY_ONE: usize = 10;

/// How many items a finding that stands for many names before "and N more".
pub(crate) const SHOWN: usize = 5;

/// The first items (at most [`SHOWN`] of them are used) of a list of `total`: `a, b and c`, or
/// `a, b, c and 7 more`.
pub(crate) fn first_of(shown: impl IntoIterator<Item = String>, total: usize) -> String {
    let shown: Vec<String> = shown.into_iter().take(SHOWN).collect();
    if shown.len() >= total {
        return enumerate(&shown, SHOWN);
    }
    format!("{} and {} more", shown.join(", "), total - shown.len())
}
