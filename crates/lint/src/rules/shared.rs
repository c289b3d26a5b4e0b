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
