//! Terraform plans (`terraform show -json plan.out`, pretty-printed as `jq .` writes it), over
//! tests/fixtures/terraform/plan/: four Conditional Access policies, an authentication strength
//! and a PIM for Groups policy of the hashicorp/azuread provider (attributes as its
//! `docs/resources/*.md` document them), a break-glass group created by the same plan (its
//! object id known only after apply) and a Microsoft Graph provider resource entralint does not
//! read. The folder's entralint.toml declares the break-glass group by Terraform address.
//!
//! - the findings with their locations, the rules not evaluated and the inventory are
//!   snapshotted (tests/snapshots/terraform__*.snap), with and without the declaration;
//! - a value known only after apply is located on its reference in the configuration;
//! - the inventory is checked against a count made here with serde_json.
//!
//! tests/fixtures/terraform/hcl/ is the same configuration as `.tf` files, what a pre-commit hook
//! sees: variables with defaults and a local in `variables.tf`, one expression entralint does not
//! evaluate (`slice(…)`), and `providers.tf`, which holds no azuread resource.

mod common;

use common::{entralint, json, root, snapshot, stderr};
use serde_json::Value;
use std::collections::BTreeMap;

const PLAN: &str = "tests/fixtures/terraform/plan";
const PLAN_FILE: &str = "tests/fixtures/terraform/plan/tfplan.json";
const HCL: &str = "tests/fixtures/terraform/hcl";

fn report(args: &[&str]) -> Value {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let o = entralint(&all);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    json(&o)
}

/// The non-zero object counts of a JSON report's inventory.
fn counts(report: &Value) -> BTreeMap<String, u64> {
    report["inventory"]["objects"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(k, n)| Some((k.clone(), n.as_u64().filter(|n| *n > 0)?)))
        .collect()
}

/// One line per finding (code, severity, place, pointer, message), then the rules not evaluated
/// and the inventory.
fn compact(report: &Value) -> String {
    let mut out = String::new();
    for f in report["findings"].as_array().unwrap() {
        let l = &f["location"];
        out.push_str(&format!(
            "{} {} {}:{}:{} {}\n    {}\n",
            f["code"].as_str().unwrap(),
            f["severity"].as_str().unwrap(),
            l["file"].as_str().unwrap(),
            l["line"],
            l["column"],
            l["pointer"].as_str().unwrap_or(""),
            f["message"].as_str().unwrap(),
        ));
    }
    out.push_str("not evaluated:\n");
    for n in report["notEvaluated"].as_array().unwrap() {
        out.push_str(&format!(
            "  {} {}\n",
            n["code"].as_str().unwrap(),
            n["reason"].as_str().unwrap()
        ));
    }
    out.push_str("inventory:\n");
    for (kind, n) in counts(report) {
        out.push_str(&format!("  {kind} {n}\n"));
    }
    out
}

#[test]
fn plan_findings_are_located_on_the_attributes() {
    let r = report(&[PLAN]);
    for f in r["findings"].as_array().unwrap() {
        let file = f["location"]["file"].as_str().unwrap();
        if file != "." && !file.ends_with("entralint.toml") {
            assert_eq!(file, PLAN_FILE, "{f}");
        }
    }
    let out = compact(&r);
    snapshot("terraform_plan", || {
        insta::assert_snapshot!("terraform_plan", out)
    });
}

/// Without the declaration, every reference to the break-glass group is reported, on the
/// reference the configuration writes.
#[test]
fn undeclared_references_are_reported_where_the_configuration_writes_them() {
    let r = report(&["--isolated", PLAN_FILE]);
    let unresolved: Vec<&Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "JSON012")
        .collect();
    assert_eq!(unresolved.len(), 4, "{unresolved:#?}");
    for f in &unresolved {
        let pointer = f["location"]["pointer"].as_str().unwrap();
        assert!(
            pointer.starts_with("/configuration/root_module/resources/")
                && pointer
                    .contains("/expressions/conditions/0/users/0/excluded_groups/references/"),
            "{pointer}"
        );
    }
    let out = compact(&r);
    snapshot("terraform_plan_isolated", || {
        insta::assert_snapshot!("terraform_plan_isolated", out)
    });
}

/// What the plan holds, counted here: the planned resources of each type entralint reads.
#[test]
fn the_inventory_counts_the_resources_read() {
    let text = std::fs::read_to_string(root().join(PLAN_FILE)).unwrap();
    let plan: Value = serde_json::from_str(&text).unwrap();
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for r in plan["planned_values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
    {
        let keys: &[&str] = match r["type"].as_str().unwrap() {
            "azuread_conditional_access_policy" => &["conditionalAccessPolicies"],
            "azuread_authentication_strength_policy" => &["authenticationStrengthPolicies"],
            "azuread_group_role_management_policy" => {
                &["roleManagementPolicies", "roleManagementPolicyAssignments"]
            }
            _ => continue,
        };
        for key in keys {
            *expected.entry((*key).to_owned()).or_default() += 1;
        }
    }
    assert_eq!(counts(&report(&[PLAN])), expected);
}

/// The configuration itself: findings on the line and column of the `.tf` file, a `var.*` default
/// and a `local` resolved, a function call reported as not evaluated rather than guessed.
#[test]
fn configuration_findings_are_located_in_the_tf_files() {
    let r = report(&[HCL]);
    for f in r["findings"].as_array().unwrap() {
        let file = f["location"]["file"].as_str().unwrap();
        if file != "." && !file.ends_with("entralint.toml") {
            assert_eq!(file, "tests/fixtures/terraform/hcl/main.tf", "{f}");
        }
    }
    let codes = |code: &str| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| f["message"].as_str().unwrap().to_owned())
            .collect()
    };
    // `slice(var.admin_roles, 0, 2)` is not evaluated: reported, its policy not judged.
    let not_evaluated = codes("JSON013");
    assert!(
        not_evaluated
            .iter()
            .any(|m| m.contains("not statically evaluable")),
        "{not_evaluated:?}"
    );
    assert!(codes("JSON012")
        .iter()
        .any(|m| m.contains("(not statically evaluable)")));
    // `var.policy_state` and `local.legacy_exceptions_group` resolve: only the pilot group's
    // reference is unresolved in CA004.
    assert!(codes("JSON012")
        .iter()
        .any(|m| m.contains("azuread_group.legacy_pilot.object_id")));
    assert_eq!(counts(&r), counts(&report(&[PLAN])));
    assert!(r["inventory"]["unrecognized"]
        .as_array()
        .unwrap()
        .is_empty());
    let out = compact(&r);
    snapshot("terraform_hcl", || {
        insta::assert_snapshot!("terraform_hcl", out)
    });
}

/// A folder walk reads `*.tf` beside `*.json`: a `.tf` file without azuread resources says
/// nothing and is not unrecognised; one that is not valid HCL is reported where it breaks (the
/// missing value after `a =`).
#[test]
fn folder_walks_read_terraform_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("providers.tf"), "provider \"azuread\" {}\n").unwrap();
    std::fs::write(
        root.join("policy.tf"),
        "resource \"azuread_conditional_access_policy\" \"p\" {\n  display_name = \"Report only\"\n  state        = \"enabledForReportingButNotEnforced\"\n  conditions {\n    client_app_types = [\"all\"]\n    applications {\n      included_applications = [\"All\"]\n    }\n    users {\n      included_users = [\"All\"]\n    }\n  }\n  grant_controls {\n    operator          = \"OR\"\n    built_in_controls = [\"mfa\"]\n  }\n}\n",
    )
    .unwrap();
    let o = common::entralint_in(root, &["check", ".", "--isolated", "--format", "json"]);
    let r = json(&o);
    assert_eq!(r["inventory"]["files"], 2, "{r}");
    assert_eq!(
        r["inventory"]["objects"]["conditionalAccessPolicies"], 1,
        "{r}"
    );
    assert!(r["inventory"]["unrecognized"]
        .as_array()
        .unwrap()
        .is_empty());
    std::fs::write(root.join("broken.tf"), "resource \"x\" {\n  a = \n}\n").unwrap();
    let o = common::entralint_in(root, &["check", ".", "--isolated", "--format", "json"]);
    let r = json(&o);
    let broken: Vec<&Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["location"]["file"] == "broken.tf")
        .collect();
    assert_eq!(broken.len(), 1, "{r}");
    assert_eq!(broken[0]["code"], "JSON001");
    assert_eq!(broken[0]["location"]["line"], 2, "{}", broken[0]);
}
