//! `entralint init [PATH]`: a first entralint.toml for the export at PATH. Accounts the export
//! cannot prove are written commented out, for the user to confirm: a break-glass declaration
//! that is wrong turns the exclusions meant for it into findings, or hides real ones.

use entralint_lint::analysis::Analysis;
use entralint_lint::settings::AdminProfile;
use entralint_lint::Settings;
use entralint_parser::{ObjectId, Tenant};
use std::fmt::Write;

/// Where every key is explained (the binary ships without docs/).
pub fn docs_link() -> String {
    format!(
        "{}/blob/main/docs/configuration.md",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// The text of a new entralint.toml for `tenant`, and the number of break-glass accounts and
/// groups it proposes.
pub fn config_text(tenant: &Tenant) -> (String, usize) {
    let (tenant, _) = entralint_lint::symbols::resolve(tenant, &Default::default());
    let settings = Settings::default();
    let analysis = Analysis::new(&tenant, &settings);
    let bg = analysis.break_glass();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "#:schema {}/raw/main/schemas/entralint.schema.json",
        env!("CARGO_PKG_REPOSITORY")
    );
    out.push_str("# entralint configuration for this export, written by `entralint init`.\n");
    let _ = writeln!(out, "# Every key is explained at {}", docs_link());
    out.push_str("\n[accounts]\n");
    let mut proposed = 0;
    let mut lines = Vec::new();
    for id in &bg.accounts.groups {
        proposed += 1;
        let name = tenant
            .groups
            .iter()
            .find(|g| g.id.as_ref() == Some(id))
            .and_then(|g| g.display_name.as_deref());
        lines.push(entry("group-id", id, name));
    }
    let in_groups: Vec<ObjectId> = bg.accounts.groups.iter().cloned().collect();
    let members = analysis.users_in_groups(&in_groups);
    for id in bg.users() {
        if members.iter().any(|(u, _)| u == id) {
            // Declared through its group above.
            continue;
        }
        proposed += 1;
        let user = tenant.users.iter().find(|u| u.id.as_ref() == Some(id));
        let name = user.and_then(|u| u.display_name.as_deref());
        match user.and_then(|u| u.user_principal_name.as_deref()) {
            Some(upn) => lines.push(format!("{{ upn = {}{} }}", toml_string(upn), note(name))),
            None => lines.push(entry("object-id", id, name)),
        }
    }
    if lines.is_empty() {
        out.push_str(
            "# Break-glass (emergency access) accounts: entralint could not infer any from this\n\
             # export (no name says \"break glass\" or \"emergency\", and no principal is excluded\n\
             # from nearly every enabled policy). Declare them, by object-id, upn, group-id or\n\
             # group-name:\n\
             # break-glass = [{ upn = \"breakglass01@contoso.onmicrosoft.com\" }]\n",
        );
    } else {
        let _ = writeln!(
            out,
            "# Break-glass (emergency access) accounts, inferred {}.\n\
             # Confirm each, then remove the `#` before these lines:",
            bg.how
        );
        out.push_str("# break-glass = [\n");
        for line in &lines {
            let _ = writeln!(out, "#   {line},");
        }
        out.push_str("# ]\n");
    }
    out.push_str(
        "# Service accounts excluded from MFA policies on purpose (an export cannot say which):\n\
         # service = [{ upn = \"svc-adsync@contoso.onmicrosoft.com\" }]\n",
    );
    out.push_str("\n[roles]\n");
    let profiles: Vec<&str> = AdminProfile::ALL.iter().map(|p| p.as_str()).collect();
    let _ = writeln!(
        out,
        "# The roles the admin-coverage rules (ADM) protect: {}.\n\
         # Unset, ADM001 takes microsoft-14, and ADM002 the tier-0, cisa-8 and microsoft-14 roles.\n\
         # admin-profile = \"{}\"",
        profiles.join(" | "),
        AdminProfile::Microsoft14.as_str()
    );
    out.push_str(
        "\n[rules]\n\
         # The lowest severity that makes the exit status 1 (unset: low).\n\
         # fail-on = \"high\"\n",
    );
    (out, proposed)
}

/// `{ group-id = "…", note = "…" }`.
fn entry(key: &str, id: &ObjectId, name: Option<&str>) -> String {
    format!("{{ {key} = {}{} }}", toml_string(id), note(name))
}

fn note(name: Option<&str>) -> String {
    name.map(|n| format!(", note = {}", toml_string(n)))
        .unwrap_or_default()
}

/// A TOML basic string: a JSON string is one (TOML accepts the same escapes, `\uXXXX` included).
pub fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}
