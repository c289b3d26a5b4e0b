//! EasyPIM's files, read before EasyPIM applies them: the orchestrator's configuration (JSON with
//! comments, tests/fixtures/easypim/pim-config.json, written from EasyPIM's
//! `Documentation/Configuration-Schema.md`) and the CSV `Export-PIMEntraRolePolicy` writes
//! (tests/fixtures/easypim/EntraRoles.csv, the columns of `get-EntraRoleConfig.ps1`, as Windows
//! PowerShell 5.1's `ConvertTo-Csv` writes them), linted with the eligibilities of
//! tests/fixtures/easypim/assignments.json.
//!
//! - the findings, located on the template, the role entry or the cell that set each value, and
//!   the reasons rules were not evaluated are snapshotted (tests/snapshots/easypim__*.snap);
//! - the inventory counts what each file declares;
//! - comments and trailing commas shift no location: the configuration, its comments and
//!   trailing commas blanked out, gives the same findings at the same places, and one line more
//!   above it moves every finding down one line.

mod common;

use common::{counts, entralint, entralint_in, json, snapshot, stderr};
use serde_json::Value;
use std::collections::BTreeMap;

const CONFIG: &str = "tests/fixtures/easypim/pim-config.json";
const CSV: &str = "tests/fixtures/easypim/EntraRoles.csv";
const ASSIGNMENTS: &str = "tests/fixtures/easypim/assignments.json";

fn report(args: &[&str]) -> Value {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--isolated", "--format", "json"]);
    let o = entralint(&all);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    json(&o)
}

/// One line per finding (code, place, pointer, message), then the reasons rules were not evaluated and the
/// inventory.
fn compact(report: &Value) -> String {
    let mut out = String::new();
    for f in report["findings"].as_array().unwrap() {
        let l = &f["location"];
        out.push_str(&format!(
            "{} {}:{}:{} {}\n    {}\n",
            f["code"].as_str().unwrap(),
            l["file"].as_str().unwrap(),
            l["line"],
            l["column"],
            l["pointer"].as_str().unwrap_or(""),
            f["message"].as_str().unwrap(),
        ));
    }
    out.push_str(&common::not_evaluated_reasons(report));
    out.push_str("inventory:\n");
    for (kind, n) in counts(report) {
        out.push_str(&format!("  {kind} {n}\n"));
    }
    out
}

/// `(code, line, column, message)` of every finding.
fn places(report: &Value) -> Vec<(String, u64, u64, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn configuration_findings_are_located_on_templates_and_entries() {
    let report = report(&[CONFIG]);
    let out = compact(&report);
    snapshot("easypim_config", || {
        insta::assert_snapshot!("easypim_config", out)
    });
    // Global Administrator's weakness comes from its template: it is reported there.
    let text = std::fs::read_to_string(common::root().join(CONFIG)).unwrap();
    let pim001 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "PIM001" && f["message"].as_str().unwrap().starts_with("Global"))
        .unwrap();
    let line = pim001["location"]["line"].as_u64().unwrap() as usize;
    let column = pim001["location"]["column"].as_u64().unwrap() as usize;
    let at: String = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .chars()
        .skip(column - 1)
        .collect();
    assert!(
        at.starts_with("\"MultiFactorAuthentication,Justification\""),
        "{at}"
    );
    assert_eq!(
        pim001["location"]["pointer"],
        "/PolicyTemplates/Tier0/ActivationRequirement"
    );
}

#[test]
fn configuration_inventory_counts_what_it_declares() {
    let report = report(&[CONFIG]);
    let expected: BTreeMap<String, u64> = [
        // Five role entries, one a custom role that is not read, and one group's membership.
        ("roleManagementPolicies", 5),
        ("roleManagementPolicyAssignments", 5),
        ("roleEligibilitySchedules", 5),
        ("roleAssignmentSchedules", 1),
        ("groupEligibilitySchedules", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    assert_eq!(counts(&report), expected);
    assert!(report["inventory"]["unrecognized"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn csv_findings_are_located_in_their_cells() {
    let report = report(&[CSV, ASSIGNMENTS]);
    let out = compact(&report);
    snapshot("easypim_csv", || {
        insta::assert_snapshot!("easypim_csv", out)
    });
    let expected: BTreeMap<String, u64> = [
        ("roleManagementPolicies", 3),
        ("roleManagementPolicyAssignments", 3),
        ("roleEligibilitySchedules", 3),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    assert_eq!(counts(&report), expected);
}

#[test]
fn a_comment_or_a_trailing_comma_shifts_no_location() {
    let text = std::fs::read_to_string(common::root().join(CONFIG)).unwrap();
    let original = report(&[CONFIG]);
    let without_commas: Vec<_> = places(&original)
        .into_iter()
        .filter(|(code, _, _, message)| !(code == "JSON001" && message.starts_with("trailing")))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    // The same text, its comments and trailing commas blanked: plain JSON, same places.
    let plain = entralint_parser::jsonc::blank(&text).text;
    assert!(serde_json::from_str::<Value>(&plain).is_ok());
    std::fs::write(dir.path().join("plain.json"), &plain).unwrap();
    // One comment line more at the top: every finding one line down, same columns.
    std::fs::write(
        dir.path().join("shifted.json"),
        format!("// reviewed by the identity team, trailing commas and all,\n{text}"),
    )
    .unwrap();
    let run = |name: &str| {
        let o = entralint_in(
            dir.path(),
            &["check", name, "--isolated", "--format", "json"],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        places(&json(&o))
    };
    assert_eq!(run("plain.json"), without_commas);
    let shifted: Vec<_> = places(&original)
        .into_iter()
        .map(|(code, line, column, message)| (code, line + 1, column, message))
        .collect();
    assert_eq!(run("shifted.json"), shifted);
}

/// A declared policy that names neither the activation requirement nor approval leaves both as
/// the tenant has them: PIM002 and PIM012 cannot judge the role, and say so under notEvaluated
/// rather than passing it.
#[test]
fn settings_a_configuration_does_not_name_are_not_judged_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let config = r#"{
  // Only the activation duration is managed here.
  "EntraRoles": {
    "Policies": {
      "Global Administrator": { "ActivationDuration": "PT2H" }
    }
  },
  "Assignments": {
    "EntraRoles": [
      { "roleName": "Global Administrator",
        "assignments": [ { "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "assignmentType": "Eligible" } ] }
    ]
  }
}"#;
    std::fs::write(dir.path().join("pim-config.json"), config).unwrap();
    let o = entralint_in(
        dir.path(),
        &["check", "--isolated", "pim-config.json", "--format", "json"],
    );
    let report = json(&o);
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.contains(&"PIM002") && !codes.contains(&"PIM012"),
        "{codes:?}"
    );
    let reason = |code: &str| {
        report["notEvaluated"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["code"] == code)
            .map(|n| n["reason"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("{code} not listed: {}", report["notEvaluated"]))
    };
    assert!(
        reason("PIM002").contains("not judged for Global Administrator: its PIM policy does not hold the activation rules"),
        "{}",
        reason("PIM002")
    );
    assert!(
        reason("PIM012").contains(
            "not judged for Global Administrator: its PIM policy does not hold the approval rule"
        ),
        "{}",
        reason("PIM012")
    );
}

/// What is not read is labelled so, not as a value of the wrong JSON type.
#[test]
fn unknown_settings_and_roles_are_labelled_as_not_read() {
    let o = entralint(&["check", "--isolated", CONFIG]);
    let text = common::stdout(&o);
    let finding = text
        .split("\n\n")
        .find(|block| block.contains("`ActivationRequirment` is not a policy setting"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        finding.contains("╰── entralint does not read this"),
        "{finding}"
    );
    assert!(!text.contains("wrong JSON type"), "{text}");
}
