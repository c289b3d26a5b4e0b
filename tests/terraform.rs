//! Terraform plans (`terraform show -json plan.out`, pretty-printed as `jq .` writes it), over
//! tests/fixtures/terraform/plan/: four Conditional Access policies, an authentication strength
//! and a PIM for Groups policy of the hashicorp/azuread provider (attributes as its
//! `docs/resources/*.md` document them), a break-glass group created by the same plan (its
//! object id known only after apply) and a Microsoft Graph provider rule of a directory role's
//! PIM policy whose role the plan does not name. The folder's entralint.toml declares the
//! break-glass group by Terraform address.
//!
//! - the findings with their locations, the reasons rules were not evaluated and the inventory are
//!   snapshotted (tests/snapshots/terraform__*.snap), with and without the declaration;
//! - a value known only after apply is located on its reference in the configuration;
//! - the inventory is checked against a count made here with serde_json.
//!
//! tests/fixtures/terraform/hcl/ is the same configuration as `.tf` files, what a pre-commit hook
//! sees: variables with defaults and a local in `variables.tf`, one expression entralint does not
//! evaluate (`slice(…)`), and `providers.tf`, which holds no azuread resource.
//!
//! examples/contoso-risky-terraform/ is the contoso-risky tenant as a Terraform repository
//! (`configuration/`) and its plan (`plan/`): their findings are snapshotted and their rule codes
//! compared with the export's. Small repositories written here show, each on one path, what is
//! resolved (variable files, data sources read by name, built-in roles, `jsonencode`) and what is
//! reported rather than guessed (`for_each`, functions, `jsondecode(file(…))`, values known only
//! after apply).

mod common;

use common::{compact_findings as compact, counts, entralint, json, root, snapshot, stderr};
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
            // A PIM policy rule, its role not named by the plan: a policy without assignment.
            "msgraph_update_resource"
                if r["values"]["url"]
                    .as_str()
                    .unwrap()
                    .starts_with("policies/roleManagementPolicies/") =>
            {
                &["roleManagementPolicies"]
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

const EXAMPLE: &str = "examples/contoso-risky-terraform/configuration";
const EXAMPLE_PLAN: &str = "examples/contoso-risky-terraform/plan";

fn configuration_report() -> Value {
    report(&[EXAMPLE])
}

/// The codes of a report's findings.
fn codes(report: &Value) -> std::collections::BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

/// The example repository: the findings on the `.tf` files, each on its line and column, the
/// directory-role PIM chain read from the Microsoft Graph provider's rule bodies.
#[test]
fn the_example_configuration_findings_are_located_in_its_files() {
    let r = configuration_report();
    for f in r["findings"].as_array().unwrap() {
        let file = f["location"]["file"].as_str().unwrap();
        assert!(file.starts_with(EXAMPLE) && !file.contains("/plan/"), "{f}");
    }
    // The PIM rules come from `msgraph_update_resource` bodies, located in pim.tf.
    let pim: Vec<&Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "PIM004")
        .collect();
    assert!(!pim.is_empty(), "{r}");
    for f in &pim {
        assert_eq!(f["location"]["file"], format!("{EXAMPLE}/pim.tf"), "{f}");
        // The fix is a policy on an authentication context: written with the Graph provider.
        assert!(
            f["help"]
                .as_str()
                .unwrap()
                .contains("`msgraph_resource` on"),
            "{f}"
        );
        assert!(
            f["location"]["pointer"]
                .as_str()
                .unwrap()
                .ends_with("/body/claimValue"),
            "{f}"
        );
    }
    // A configuration writes some rules of some roles' policies: the rules that judge what a
    // whole policy lacks are not evaluated on it; those that judge activation need eligible
    // principals, which this configuration does not write.
    for code in ["PIM010", "PIM012"] {
        assert_eq!(
            common::not_evaluated(&r, code),
            Some("only a selection of PIM role management policies in input"),
            "{code}"
        );
    }
    for code in ["PIM001", "PIM002"] {
        assert_eq!(
            common::not_evaluated(&r, code),
            Some("no role eligibility schedules in input"),
            "{code}"
        );
    }
    let out = compact(&r);
    snapshot("terraform_example", || {
        insta::assert_snapshot!("terraform_example", out)
    });
}

/// The same repository as `terraform show -json` writes its plan.
#[test]
fn the_example_plan_findings_are_located_in_the_plan() {
    let r = report(&[EXAMPLE_PLAN]);
    for f in r["findings"].as_array().unwrap() {
        let file = f["location"]["file"].as_str().unwrap();
        assert!(file.starts_with(EXAMPLE_PLAN), "{f}");
    }
    let out = compact(&r);
    snapshot("terraform_example_plan", || {
        insta::assert_snapshot!("terraform_example_plan", out)
    });
}

/// The rules that fire on the Terraform repository fire on the export of the same tenant
/// (examples/contoso-risky); those that fire on the export only need what Terraform does not
/// write (users, registrations, role assignments and eligibilities, the authentication methods
/// policy) or judge what a selection of PIM rules cannot show.
#[test]
fn the_example_carries_the_faults_of_the_export_that_terraform_can_express() {
    let export_report = report(&["examples/contoso-risky"]);
    let export = codes(&export_report);
    // On an export, the help of a chain finding says nothing of Terraform.
    for f in export_report["findings"].as_array().unwrap() {
        assert!(!f["help"].as_str().unwrap_or("").contains("msgraph"), "{f}");
    }
    let configuration = codes(&configuration_report());
    let plan = codes(&report(&[EXAMPLE_PLAN]));
    // What Terraform writes: unresolved references are its own (JSON012).
    for code in configuration.iter().chain(&plan) {
        assert!(
            export.contains(code) || code == "JSON012",
            "{code} fires on the Terraform repository, not on the export"
        );
    }
    let not_expressible: std::collections::BTreeSet<String> = [
        // Users, their registrations and their state: data sources, not written.
        "BG002", "BG003", "BG006", "BG007", "BG008", "ROL001", "ROL003",
        // Role assignments and eligibilities (the chain's principals).
        "ADM003", "ADM004", "PIM001", "PIM002", "PIM007", "PIM010", "PIM011", "PIM012", "PIM013",
        "PIM014", "ROL004", "ROL005",
        // Groups, their owners and members; the methods policy; the Microsoft-managed policy.
        "BG004", "HYG002", "HYG005", "HYG006", "HYG007", "ROL002", "ROL006", "BG001",
    ]
    .iter()
    .map(|c| (*c).to_owned())
    .collect();
    let missing: Vec<&String> = export
        .iter()
        .filter(|c| !plan.contains(*c) && !not_expressible.contains(*c))
        .collect();
    assert!(missing.is_empty(), "not carried by the plan: {missing:?}");
    for chain in ["PIM003", "PIM004", "PIM005", "PIM006"] {
        assert!(configuration.contains(chain), "{chain}: {configuration:?}");
        assert!(plan.contains(chain), "{chain}: {plan:?}");
    }
}

/// A policy blocking legacy authentication for everyone, its state a variable: HYG004 says
/// whether the state read is `enabled`.
const LEGACY_BLOCK: &str = r#"variable "state" {
  default = "disabled"
}

resource "azuread_conditional_access_policy" "legacy" {
  display_name = "Block legacy authentication"
  state        = var.state

  conditions {
    client_app_types = ["exchangeActiveSync", "other"]

    applications {
      included_applications = ["All"]
    }

    users {
      included_users = ["All"]
    }
  }

  grant_controls {
    operator          = "OR"
    built_in_controls = ["block"]
  }
}
"#;

/// The findings of `check . --isolated` in `dir`, by code.
fn findings_in(dir: &std::path::Path) -> Vec<Value> {
    let o = common::entralint_in(dir, &["check", ".", "--isolated", "--format", "json"]);
    json(&o)["findings"].as_array().unwrap().clone()
}

fn has(findings: &[Value], code: &str) -> bool {
    findings.iter().any(|f| f["code"] == code)
}

/// `terraform.tfvars` overrides a variable's default, and `*.auto.tfvars` override it in the
/// order of their names, as Terraform loads them; other `.tfvars` files are not read.
#[test]
fn variable_definitions_files_override_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("main.tf"), LEGACY_BLOCK).unwrap();
    // The default: disabled, legacy authentication is not blocked.
    assert!(has(&findings_in(d), "HYG004"));
    std::fs::write(d.join("terraform.tfvars"), "state = \"enabled\"\n").unwrap();
    assert!(!has(&findings_in(d), "HYG004"));
    std::fs::write(
        d.join("a.auto.tfvars"),
        "state = \"enabledForReportingButNotEnforced\"\n",
    )
    .unwrap();
    assert!(has(&findings_in(d), "HYG004"));
    std::fs::write(d.join("b.auto.tfvars"), "state = \"enabled\"\n").unwrap();
    assert!(!has(&findings_in(d), "HYG004"));
    // Given to Terraform with -var-file only: not read.
    std::fs::write(d.join("prod.tfvars"), "state = \"disabled\"\n").unwrap();
    assert!(!has(&findings_in(d), "HYG004"));
    // A broken variable definitions file is reported where it breaks.
    std::fs::write(d.join("c.auto.tfvars"), "state = \n").unwrap();
    let f = findings_in(d);
    let broken: Vec<&Value> = f
        .iter()
        .filter(|f| f["location"]["file"] == "c.auto.tfvars")
        .collect();
    assert_eq!(broken.len(), 1, "{f:?}");
    assert_eq!(broken[0]["code"], "JSON001");
}

/// A data source that reads a group by display name stands for that name: a break-glass group
/// declared by `group-name` matches the reference, as a declaration by the data source's address
/// does; undeclared, the reference is reported.
#[test]
fn data_sources_read_by_name_resolve_as_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let policy = LEGACY_BLOCK.replace(
        "included_users = [\"All\"]",
        "included_users  = [\"All\"]\n      excluded_groups = [data.azuread_group.bg.object_id]",
    );
    std::fs::write(d.join("main.tf"), policy).unwrap();
    std::fs::write(
        d.join("groups.tf"),
        "data \"azuread_group\" \"bg\" {\n  display_name = \"CA-Exclude-BreakGlass\"\n}\n",
    )
    .unwrap();
    let unresolved = |d: &std::path::Path, config: &str| -> Vec<Value> {
        std::fs::write(d.join("entralint.toml"), config).unwrap();
        let o = common::entralint_in(d, &["check", ".", "--format", "json"]);
        json(&o)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "JSON012")
            .cloned()
            .collect()
    };
    let none = unresolved(d, "");
    assert_eq!(none.len(), 1, "{none:?}");
    assert_eq!(none[0]["location"]["line"], 18, "{}", none[0]);
    assert!(
        none[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("`data.azuread_group.bg.object_id` (`CA-Exclude-BreakGlass`, as its data source reads it)"),
        "{}",
        none[0]
    );
    for config in [
        "[accounts]\nbreak-glass = [{ group-name = \"CA-Exclude-BreakGlass\" }]\n",
        "[accounts]\nbreak-glass = [{ terraform = \"data.azuread_group.bg\" }]\n",
    ] {
        assert!(unresolved(d, config).is_empty(), "{config}");
    }
    // Another name does not match.
    let other = unresolved(
        d,
        "[accounts]\nbreak-glass = [{ group-name = \"CA-Exclude-Other\" }]\n",
    );
    assert_eq!(other.len(), 1, "{other:?}");
}

/// What entralint does not evaluate is reported, once per file, and read as unknown: a
/// `for_each`, a function call in a Graph provider `url`, and a body kept in a JSON file, which
/// is said to be linted on its own.
#[test]
fn dynamic_values_are_reported_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("main.tf"),
        r#"resource "azuread_conditional_access_policy" "per_app" {
  for_each     = toset(["a", "b"])
  display_name = "Per app"
  state        = "enabled"
}

resource "msgraph_update_resource" "rule" {
  url  = "policies/roleManagementPolicies/${lower(var.policy)}/rules/Enablement_EndUser_Assignment"
  body = { enabledRules = [] }
}

resource "msgraph_resource" "policy" {
  url  = "identity/conditionalAccess/policies"
  body = jsondecode(file("policy.json"))
}
"#,
    )
    .unwrap();
    let f = findings_in(d);
    let notes: Vec<&Value> = f.iter().filter(|f| f["code"] == "JSON013").collect();
    let not_evaluated: Vec<&&Value> = notes
        .iter()
        .filter(|n| {
            n["message"]
                .as_str()
                .unwrap()
                .contains("not statically evaluable")
        })
        .collect();
    assert_eq!(not_evaluated.len(), 1, "{notes:?}");
    assert!(
        not_evaluated[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("2 values of this file"),
        "{}",
        not_evaluated[0]
    );
    assert_eq!(
        not_evaluated[0]["location"]["line"], 2,
        "{}",
        not_evaluated[0]
    );
    let json_file: Vec<&&Value> = notes
        .iter()
        .filter(|n| {
            n["message"]
                .as_str()
                .unwrap()
                .contains("`policy.json` is linted on its own")
        })
        .collect();
    assert_eq!(json_file.len(), 1, "{notes:?}");
    assert_eq!(json_file[0]["location"]["line"], 14);
    // The rule whose url is not evaluated is not read as a PIM policy: said once as not read.
    let unread: Vec<&&Value> = notes
        .iter()
        .filter(|n| n["message"].as_str().unwrap().contains("does not read"))
        .collect();
    assert_eq!(unread.len(), 1, "{notes:?}");
    assert!(
        unread[0]["message"]
            .as_str()
            .unwrap()
            .contains("1 `msgraph_update_resource`"),
        "{}",
        unread[0]
    );
}

/// `azuread_directory_role.<name>.template_id` is the template id of the built-in role its
/// `display_name` names, in a policy and in the `$filter` that finds a role's PIM policy; a name
/// the catalogue does not hold stays a reference, reported.
#[test]
fn directory_roles_resolve_through_the_built_in_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("roles.tf"),
        r#"resource "azuread_directory_role" "ga" {
  display_name = "Global Administrator"
}

resource "azuread_directory_role" "custom" {
  display_name = "Contoso Helpdesk Tier 3"
}
"#,
    )
    .unwrap();
    let policy = LEGACY_BLOCK.replace(
        "included_users = [\"All\"]",
        "included_roles = [azuread_directory_role.ga.template_id, azuread_directory_role.custom.template_id]",
    );
    std::fs::write(d.join("main.tf"), policy).unwrap();
    std::fs::write(
        d.join("pim.tf"),
        r##"data "msgraph_resource" "ga_policy" {
  url = "policies/roleManagementPolicyAssignments"
  query_parameters = {
    "$filter" = ["scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${azuread_directory_role.ga.template_id}'"]
  }
  response_export_values = { policy_id = "value[0].policyId" }
}

resource "msgraph_update_resource" "ga_context" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.ga_policy.output.policy_id}/rules/AuthenticationContext_EndUser_Assignment"
  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule"
    isEnabled     = true
    claimValue    = "c7"
  }
}
"##,
    )
    .unwrap();
    let f = findings_in(d);
    let unresolved: Vec<&Value> = f.iter().filter(|f| f["code"] == "JSON012").collect();
    assert_eq!(unresolved.len(), 1, "{unresolved:?}");
    assert!(
        unresolved[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("`azuread_directory_role.custom.template_id`"),
        "{}",
        unresolved[0]
    );
    // The rule's policy is Global Administrator's: its context, defined nowhere, is reported for
    // that role.
    let undefined: Vec<&Value> = f.iter().filter(|f| f["code"] == "PIM004").collect();
    assert_eq!(undefined.len(), 1, "{f:?}");
    assert!(
        undefined[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Global Administrator requires authentication context `c7`"),
        "{}",
        undefined[0]
    );
    assert!(
        !f.iter().any(|f| f["message"]
            .as_str()
            .unwrap()
            .contains("governs is not in this configuration")),
        "{f:?}"
    );
}

/// A Graph provider body written with `jsonencode(…)`: in a `.tf` file the object is read, in a
/// plan the JSON text the plan holds is read inside the string; findings land on the value.
#[test]
fn json_encoded_bodies_are_read_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("main.tf"),
        r#"resource "msgraph_resource" "admins" {
  url = "identity/conditionalAccess/policies"
  body = jsonencode({
    displayName = "Admins - MFA or compliant device"
    state       = "enabled"
    conditions = {
      clientAppTypes = ["all"]
      applications   = { includeApplications = ["All"] }
      users          = { includeRoles = ["62e90394-69f5-4237-9190-012177145e10"] }
    }
    grantControls = { operator = "OR", builtInControls = ["mfa", "compliantDevice"] }
  })
}
"#,
    )
    .unwrap();
    let f = findings_in(d);
    let or: Vec<&Value> = f.iter().filter(|f| f["code"] == "ADM005").collect();
    assert_eq!(or.len(), 1, "{f:?}");
    assert_eq!(or[0]["location"]["line"], 11, "{}", or[0]);
    assert!(!has(&f, "JSON013"), "{f:?}");

    let body = serde_json::json!({
        "displayName": "Admins - MFA or compliant device", "state": "enabled",
        "conditions": {"clientAppTypes": ["all"], "applications": {"includeApplications": ["All"]},
                       "users": {"includeRoles": ["62e90394-69f5-4237-9190-012177145e10"]}},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa", "compliantDevice"]}
    })
    .to_string();
    let plan = serde_json::json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [{
            "address": "msgraph_resource.admins", "mode": "managed", "type": "msgraph_resource",
            "name": "admins", "provider_name": "registry.terraform.io/microsoft/msgraph",
            "schema_version": 0,
            "values": {"url": "identity/conditionalAccess/policies", "body": body}
        }]}}
    });
    let plan_dir = tempfile::tempdir().unwrap();
    std::fs::write(
        plan_dir.path().join("plan.json"),
        serde_json::to_string_pretty(&plan).unwrap(),
    )
    .unwrap();
    let f = findings_in(plan_dir.path());
    let or: Vec<&Value> = f.iter().filter(|f| f["code"] == "ADM005").collect();
    assert_eq!(or.len(), 1, "{f:?}");
    let text = std::fs::read_to_string(plan_dir.path().join("plan.json")).unwrap();
    let offset = or[0]["location"]["offset"].as_u64().unwrap() as usize;
    // Inside the body's string, on the operator's value.
    assert!(
        text[offset..].starts_with("\\\"OR\\\""),
        "{}",
        &text[offset..offset + 20]
    );
}

/// A Graph provider resource of a plan whose `url` is known only after apply (its policy id
/// comes from a resource the plan creates): reported, and read as nothing, not guessed.
#[test]
fn graph_values_known_after_apply_are_reported() {
    let plan = serde_json::json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [{
            "address": "msgraph_update_resource.rule", "mode": "managed",
            "type": "msgraph_update_resource", "name": "rule",
            "provider_name": "registry.terraform.io/microsoft/msgraph", "schema_version": 0,
            "values": {"body": {"enabledRules": []}}
        }]}},
        "resource_changes": [{
            "address": "msgraph_update_resource.rule", "mode": "managed",
            "type": "msgraph_update_resource", "name": "rule",
            "change": {"actions": ["create"], "before": null,
                       "after": {"body": {"enabledRules": []}},
                       "after_unknown": {"url": true, "id": true}}
        }]
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plan.json"),
        serde_json::to_string_pretty(&plan).unwrap(),
    )
    .unwrap();
    let f = findings_in(dir.path());
    let notes: Vec<&str> = f
        .iter()
        .filter(|f| f["code"] == "JSON013")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        notes
            .iter()
            .any(|m| m.contains("`msgraph_update_resource.rule` are known only after apply")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|m| m.contains("1 `msgraph_update_resource`") && m.contains("does not read")),
        "{notes:?}"
    );
    let r = json(&common::entralint_in(
        dir.path(),
        &["check", ".", "--isolated", "--format", "json"],
    ));
    assert!(
        r["inventory"]["objects"]["roleManagementPolicies"].is_null()
            || r["inventory"]["objects"]["roleManagementPolicies"] == 0,
        "{r}"
    );

    // The url known, the body known only after apply: said once.
    let mut plan = plan;
    let resource = &mut plan["planned_values"]["root_module"]["resources"][0]["values"];
    resource["url"] = Value::from(
        "policies/roleManagementPolicies/DirectoryRole_t_1/rules/Enablement_EndUser_Assignment",
    );
    resource.as_object_mut().unwrap().remove("body");
    plan["resource_changes"][0]["change"]["after_unknown"] =
        serde_json::json!({"body": true, "id": true});
    std::fs::write(
        dir.path().join("plan.json"),
        serde_json::to_string_pretty(&plan).unwrap(),
    )
    .unwrap();
    let f = findings_in(dir.path());
    let about: Vec<&Value> = f
        .iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("msgraph_update_resource.rule")
        })
        .collect();
    assert_eq!(about.len(), 1, "{f:?}");
}

/// `azuread_directory_role_eligibility_schedule_request` is who is eligible for which role: a
/// principal only eligible for a role that a policy targets by role is found (ADM003) on the
/// request's `principal_id`; PIM for Groups schedules are read too, and the inventory counts each.
#[test]
fn eligibility_requests_are_who_is_eligible() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"resource "azuread_directory_role" "ga" {
  display_name = "Global Administrator"
}

data "azuread_user" "alice" {
  user_principal_name = "alice@contoso.com"
}

resource "azuread_directory_role_eligibility_schedule_request" "alice_ga" {
  role_definition_id = azuread_directory_role.ga.template_id
  principal_id       = data.azuread_user.alice.object_id
  directory_scope_id = "/"
  justification      = "On-call"
}

resource "azuread_conditional_access_policy" "admins_mfa" {
  display_name = "Admins - MFA"
  state        = "enabled"
  conditions {
    client_app_types = ["all"]
    applications {
      included_applications = ["All"]
    }
    users {
      included_roles = [azuread_directory_role.ga.template_id]
    }
  }
  grant_controls {
    operator          = "OR"
    built_in_controls = ["mfa"]
  }
}

resource "azuread_privileged_access_group_eligibility_schedule" "dave_secops" {
  group_id        = "/groups/8c9d0e1f-0001-4000-8000-000000000001"
  principal_id    = "1a2b3c4d-0004-4000-8000-000000000004"
  assignment_type = "member"
  duration        = "P30D"
  justification   = "On-call"
}

resource "azuread_privileged_access_group_assignment_schedule" "erin_secops" {
  group_id             = "8c9d0e1f-0001-4000-8000-000000000001"
  principal_id         = "1a2b3c4d-0005-4000-8000-000000000005"
  assignment_type      = "owner"
  permanent_assignment = true
  justification        = "Owner"
}
"#,
    )
    .unwrap();
    let o = common::entralint_in(dir.path(), &["check", ".", "--format", "json"]);
    let r = common::json(&o);
    let out = compact(&r);
    assert_eq!(
        counts(&r).get("roleEligibilitySchedules"),
        Some(&1),
        "{out}"
    );
    let adm003 = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "ADM003")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(adm003["location"]["file"], "main.tf", "{out}");
    assert_eq!(adm003["location"]["line"], 11, "{out}");
    assert!(
        !out.contains("azuread_directory_role_eligibility_schedule_request` is not read"),
        "{out}"
    );
}

/// What activation lacks is judged on the rules a configuration writes when it writes both
/// activation rules of a role's policy (enablement and authentication context): PIM001 on the
/// `enabledRules` line. With the context rule left to the tenant, the role is not judged, and
/// that is said.
#[test]
fn activation_is_judged_when_both_activation_rules_are_written() {
    let lookup = r##"data "msgraph_resource" "ga_policy" {
  url = "policies/roleManagementPolicyAssignments"
  query_parameters = {
    "$filter" = ["scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'"]
  }
  response_export_values = {
    policy_id = "value[0].policyId"
  }
}

resource "azuread_directory_role_eligibility_schedule_request" "alice_ga" {
  role_definition_id = "62e90394-69f5-4237-9190-012177145e10"
  principal_id       = "00000000-0000-0000-0000-00000000a11c"
  directory_scope_id = "/"
  justification      = "On-call"
}

resource "msgraph_update_resource" "ga_enablement" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.ga_policy.output.policy_id}/rules/Enablement_EndUser_Assignment"
  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule"
    id            = "Enablement_EndUser_Assignment"
    enabledRules  = ["MultiFactorAuthentication", "Justification"]
  }
}
"##;
    let context = r##"
resource "msgraph_update_resource" "ga_context" {
  url = "policies/roleManagementPolicies/${data.msgraph_resource.ga_policy.output.policy_id}/rules/AuthenticationContext_EndUser_Assignment"
  body = {
    "@odata.type" = "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule"
    id            = "AuthenticationContext_EndUser_Assignment"
    isEnabled     = false
    claimValue    = ""
  }
}
"##;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pim.tf"), format!("{lookup}{context}")).unwrap();
    let o = common::entralint_in(dir.path(), &["check", ".", "--format", "json"]);
    let r = json(&o);
    let pim001: Vec<&Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "PIM001")
        .collect();
    assert_eq!(pim001.len(), 1, "{}", compact(&r));
    assert_eq!(pim001[0]["location"]["line"], 23, "{}", compact(&r));
    assert_eq!(common::not_evaluated(&r, "PIM001"), None);

    // The context rule not written: the tenant's, unknown.
    std::fs::write(dir.path().join("pim.tf"), lookup).unwrap();
    let o = common::entralint_in(dir.path(), &["check", ".", "--format", "json"]);
    let r = json(&o);
    assert!(
        !r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "PIM001"),
        "{}",
        compact(&r)
    );
    let reason = common::not_evaluated(&r, "PIM001").unwrap_or_default();
    assert!(
        reason.contains("Global Administrator")
            && reason.contains("the authentication context rule"),
        "{reason}"
    );
}

/// `azuread_named_location` is read (an `ip` or a `country` location), and a policy's reference
/// to it (`azuread_named_location.hq.id`, known only after apply) reads as that location: the
/// MFA policy that skips the trusted location is judged as skipping it.
#[test]
fn named_locations_are_read_and_referred_to_by_address() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"resource "azuread_named_location" "hq" {
  display_name = "Contoso HQ egress"
  ip {
    ip_ranges = ["203.0.113.0/24", "2001:db8::/48"]
    trusted   = true
  }
}

resource "azuread_named_location" "blocked" {
  display_name = "Blocked countries"
  country {
    countries_and_regions                 = ["KP"]
    include_unknown_countries_and_regions = true
  }
}

resource "azuread_conditional_access_policy" "mfa" {
  display_name = "CA102 - All users - Require MFA outside trusted locations"
  state        = "enabled"
  conditions {
    client_app_types = ["all"]
    applications {
      included_applications = ["All"]
    }
    users {
      included_users = ["All"]
    }
    locations {
      included_locations = ["All"]
      excluded_locations = [azuread_named_location.hq.id]
    }
  }
  grant_controls {
    operator          = "OR"
    built_in_controls = ["mfa"]
  }
}
"#,
    )
    .unwrap();
    let o = common::entralint_in(dir.path(), &["check", ".", "--format", "json"]);
    let r = json(&o);
    let out = compact(&r);
    assert_eq!(counts(&r).get("namedLocations"), Some(&2), "{out}");
    assert!(!out.contains("JSON012"), "{out}");
    assert!(!out.contains("azuread_named_location`"), "{out}");
    let adm001 = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "ADM001")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        adm001["message"]
            .as_str()
            .unwrap()
            .contains("skips sign-ins from excluded locations"),
        "{out}"
    );
    assert_eq!(adm001["location"]["line"], 30, "{out}");
}

/// A module call creates resources only Terraform evaluates: one named for Entra ID, or called
/// beside Entra ID resources, is said to be unread (a local one, that its files are read with its
/// variables unknown); a module of another configuration, in a folder with nothing entralint
/// reads, is not entralint's.
#[test]
fn module_calls_are_said_to_be_unread() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca");
    std::fs::create_dir(&ca).unwrap();
    std::fs::write(
        ca.join("main.tf"),
        r#"module "default_conditional_access_policies" {
  source  = "robertbrandso/recommended-conditional-access-policies/azuread"
  version = "1.4.1"
}

module "policies" {
  source = "./modules/policies"
  state  = "enabled"
}
"#,
    )
    .unwrap();
    let infra = dir.path().join("infra");
    std::fs::create_dir(&infra).unwrap();
    std::fs::write(
        infra.join("main.tf"),
        "module \"vnet\" {\n  source = \"Azure/vnet/azurerm\"\n}\n",
    )
    .unwrap();
    let o = common::entralint_in(dir.path(), &["check", ".", "--format", "json"]);
    let r = json(&o);
    let out = compact(&r);
    let json013: Vec<(&str, u64, &str)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "JSON013")
        .map(|f| {
            (
                f["location"]["file"].as_str().unwrap(),
                f["location"]["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(json013.len(), 2, "{out}");
    assert_eq!((json013[0].0, json013[0].1), ("ca/main.tf", 1), "{out}");
    assert!(
        json013[0]
            .2
            .contains("is not read: the resources it creates are not checked"),
        "{out}"
    );
    assert_eq!((json013[1].0, json013[1].1), ("ca/main.tf", 6), "{out}");
    assert!(
        json013[1]
            .2
            .contains("is not evaluated with the values this call passes"),
        "{out}"
    );
    assert!(!out.contains("vnet"), "{out}");
}
