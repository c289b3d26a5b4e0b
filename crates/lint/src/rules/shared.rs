//! Small helpers several rule families use.

use crate::prelude::*;
use entralint_parser::model::ConditionalAccessPolicy;

/// "Name (id)", or the id alone when the export does not name the principal.
pub(crate) fn who(a: &Analysis<'_>, id: &str) -> String {
    let name = a.principal_name(id);
    if name.eq_ignore_ascii_case(id) {
        id.to_owned()
    } else {
        format!("{name} ({id})")
    }
}

/// A finding about a Conditional Access policy.
pub(crate) fn policy_subject(p: &ConditionalAccessPolicy) -> Subject {
    Subject {
        kind: "conditionalAccessPolicy",
        id: p.id.clone(),
        display_name: Some(p.name().to_owned()),
        origin: p.origin.clone(),
    }
}

/// Whether the export holds a kind the rule needs; if not, the rule is not evaluated.
pub(crate) fn requires(cx: &mut Check<'_>, kind: Kind, reason: &str) -> bool {
    if cx.tenant.inventory.has(kind) {
        return true;
    }
    cx.not_evaluated(reason);
    false
}

/// Conditional Access policies are the input of most rules.
pub(crate) fn conditional_access_input(cx: &mut Check<'_>) -> bool {
    requires(
        cx,
        Kind::ConditionalAccessPolicy,
        "no Conditional Access policies in input",
    )
}
