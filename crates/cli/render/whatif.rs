//! `entralint whatif`: the activation step, then each policy with whether it applies and why,
//! then what the applying enabled policies require together.

use entralint_lint::diagnostic::printable;
use entralint_lint::whatif::{Activation, PolicyResult, Request};

pub fn human(
    user: &str,
    req: &Request,
    activation: Option<&Activation>,
    results: &[PolicyResult],
) -> String {
    let mut out = format!(
        "whatif: {} signing in with {} · app {} · auth context {}\n",
        printable(user),
        req.client,
        req.app.as_deref().map_or("(none)".into(), printable),
        req.auth_context
            .as_deref()
            .map_or("(none)".into(), printable)
    );
    if let Some(a) = activation {
        out.push_str(&format!(
            "activating {}: {}{}\n",
            printable(&a.role),
            printable(&a.note),
            if a.eligible {
                String::new()
            } else {
                " (the user is not eligible for it)".to_owned()
            }
        ));
    }
    out.push('\n');
    for r in results {
        let state = match r.state.as_str() {
            "enabledForReportingButNotEnforced" => "report-only",
            other => other,
        };
        let (mark, why) = match r.result {
            "applies" => ("✓ applies", format!("requires {}", r.grant)),
            "doesNotApply" => ("✗ does not apply", r.reasons.join(", ")),
            _ => (
                "? not enough information",
                format!("needs {}", r.missing.join(", ")),
            ),
        };
        out.push_str(&format!(
            "  {mark:<24} {} ({state}): {}\n",
            printable(&r.policy),
            printable(&why)
        ));
    }
    let enforced: Vec<&PolicyResult> = results
        .iter()
        .filter(|r| r.result == "applies" && r.state == "enabled")
        .collect();
    let undecided = results
        .iter()
        .filter(|r| r.result == "notEnoughInformation" && r.state == "enabled")
        .count();
    out.push('\n');
    // A block among the grants wins over every other control.
    if enforced.iter().any(|r| r.grant == "block") {
        out.push_str("result: blocked\n");
    } else if enforced.is_empty() {
        out.push_str("result: no enabled policy applies: nothing is required\n");
    } else {
        let grants: Vec<String> = enforced
            .iter()
            .map(|r| format!("{} (`{}`)", r.grant, printable(&r.policy)))
            .collect();
        out.push_str(&format!(
            "result: required, all of: {}\n",
            grants.join("; ")
        ));
        for r in enforced
            .iter()
            .filter(|r| !r.strength_combinations.is_empty())
        {
            out.push_str(&format!(
                "  the strength of `{}` accepts: {}\n",
                printable(&r.policy),
                r.strength_combinations.join(" | ")
            ));
        }
        let sessions: Vec<String> = enforced
            .iter()
            .filter(|r| r.session != "none")
            .map(|r| format!("{} (`{}`)", r.session, printable(&r.policy)))
            .collect();
        if !sessions.is_empty() {
            out.push_str(&format!("session: {}\n", sessions.join("; ")));
        }
    }
    if undecided > 0 {
        out.push_str(&format!(
            "{undecided} enabled polic{} could not be decided: give what each needs to decide it\n",
            if undecided == 1 { "y" } else { "ies" }
        ));
    }
    out
}
