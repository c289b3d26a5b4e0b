//! One break-glass declaration for every tool: entralint.toml imports the accounts that Maester's
//! `maester-config.json`, EasyPIM's configuration or ScubaGear's configuration file already
//! declare.

mod common;

use common::{entralint_in, json, stderr};
use std::path::Path;

/// A policy that blocks legacy authentication for everybody but the account and group it
/// excludes (by UPN and by id, as a policy-as-code repository writes them).
const POLICY: &str = r#"{
  "displayName": "CA001 - Block legacy authentication",
  "state": "enabled",
  "conditions": {
    "users": {
      "includeUsers": ["All"],
      "excludeUsers": ["bg-admin01@contoso.onmicrosoft.com"],
      "excludeGroups": ["2b3c4d5e-00b0-4000-8000-0000000000b0"]
    },
    "applications": { "includeApplications": ["All"] },
    "clientAppTypes": ["exchangeActiveSync", "other"]
  },
  "grantControls": { "operator": "OR", "builtInControls": ["block"] }
}
"#;

fn tenant(config: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("entralint.toml"), config).unwrap();
    std::fs::write(dir.path().join("policy.json"), POLICY).unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn codes(dir: &Path) -> Vec<String> {
    let out = entralint_in(dir, &["check", ".", "--format", "json"]);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&out)
    );
    json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn maester_emergency_access_accounts_are_the_break_glass_accounts() {
    let maester = r#"{
  "GlobalSettings": {
    "EmergencyAccessAccounts": [
      { "UserPrincipalName": "bg-admin01@contoso.onmicrosoft.com", "Type": "User" },
      { "Id": "2b3c4d5e-00b0-4000-8000-0000000000b0", "Type": "Group" }
    ]
  }
}"#;
    let declared = tenant(
        "[accounts]\nimport = [{ maester = \"tools/maester-config.json\" }]\n",
        &[("tools/maester-config.json", maester)],
    );
    let found = codes(declared.path());
    // Declared, and excluded by the policy: neither "not declared" (BG008) nor "not excluded"
    // (BG001).
    assert!(
        !found.iter().any(|c| c == "BG008" || c == "BG001"),
        "{found:?}"
    );
    // Without the import, the same tenant has undeclared break-glass accounts.
    let undeclared = tenant("[accounts]\n", &[("tools/maester-config.json", maester)]);
    let found = codes(undeclared.path());
    assert!(found.iter().any(|c| c == "BG008"), "{found:?}");
}

#[test]
fn easypim_protected_users_are_read_through_its_comments() {
    let easypim = "{\n  // EasyPIM orchestrator\n  \"ProtectedUsers\": [\n    \"1a2b3c4d-00b1-4000-8000-0000000000b1\", // BG\n  ]\n}\n";
    let dir = tenant(
        "[accounts]\nimport = [{ easypim = \"pim.jsonc\" }]\n",
        &[("pim.jsonc", easypim)],
    );
    let found = codes(dir.path());
    assert!(!found.iter().any(|c| c == "BG008"), "{found:?}");
}

#[test]
fn scubagear_configuration_exclusions_are_the_break_glass_accounts() {
    let yaml =
        std::fs::read_to_string(common::root().join("tests/fixtures/scubagear/scuba-config.yaml"))
            .unwrap();
    // The policy names the account by UPN: the configuration gives its object id, which the
    // exported user resolves.
    let user = r#"[{ "id": "0b1e5c3a-7f2d-4c8e-9a61-3d5f8e2b7c10", "displayName": "BG 01",
        "userPrincipalName": "bg-admin01@contoso.onmicrosoft.com" }]"#;
    let declared = tenant(
        "[accounts]\nimport = [{ scubagear = \"scuba/scuba-config.yaml\" }]\n",
        &[("scuba/scuba-config.yaml", &yaml), ("users.json", user)],
    );
    let found = codes(declared.path());
    assert!(!found.iter().any(|c| c == "BG008"), "{found:?}");
    let undeclared = tenant("[accounts]\n", &[("users.json", user)]);
    let found = codes(undeclared.path());
    assert!(found.iter().any(|c| c == "BG008"), "{found:?}");
}

#[test]
fn an_import_that_cannot_be_read_or_declares_nobody_stops_the_run_at_its_line() {
    for (config, files, says) in [
        (
            "[accounts]\nimport = [{ maester = \"missing.json\" }]\n",
            vec![],
            "cannot import break-glass accounts from `missing.json` (maester)",
        ),
        (
            "[accounts]\nimport = [{ maester = \"maester-config.json\" }]\n",
            vec![(
                "maester-config.json",
                r#"{ "GlobalSettings": { "EmergencyAccessAccounts": [] } }"#,
            )],
            "`GlobalSettings.EmergencyAccessAccounts` lists no account",
        ),
        (
            "[accounts]\nimport = [{ maester = \"a.json\", easypim = \"b.json\" }]\n",
            vec![],
            "an import names exactly one tool's file",
        ),
        (
            "[accounts]\nimport = [{ scubagear = \"scuba.yaml\" }]\n",
            vec![("scuba.yaml", "Aad:\n  MS.AAD.1.1v1:\n    CapExclusions:\n      Users: [\n")],
            "valid YAML at line 5",
        ),
        (
            "[accounts]\nimport = [{ scubagear = \"scuba.yaml\" }]\n",
            vec![("scuba.yaml", "ProductNames: [aad]\nAad:\n  MS.AAD.1.1v1:\n    CapExclusions:\n      Users: 0b1e5c3a\n")],
            "`Aad.MS.AAD.1.1v1.CapExclusions.Users` is not a list of object ids",
        ),
        (
            "[accounts]\nimport = [{ scubagear = \"missing.yaml\" }]\n",
            vec![],
            "(scubagear)",
        ),
    ] {
        let dir = tenant(config, &files);
        let out = entralint_in(dir.path(), &["check", "."]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(err.contains("entralint.toml:2:"), "{err}");
    }
}
