//! Microsoft Graph's tenant configuration management (UTCM) snapshots, over tests/fixtures/utcm/:
//! `snapshot/configurationSnapshot.json`, a snapshot in the shape Graph serves it (a
//! `baselineResource` per Microsoft365DSC resource, some lists written as text, `""` for empty
//! lists, `System.Collections.Hashtable` for objects, as in kayasax/EasyTCM's
//! `sample-snapshot.json`), and `entraops/`, the same resources one per file as EntraOps'
//! "TenantGovernance" commits them (`<resourceType>/<displayName up to '-'>/<rest>.json`, keys
//! sorted).
//!
//! - the findings with their locations, the rules not evaluated and the inventory of each are
//!   snapshotted (tests/snapshots/utcm__*.snap);
//! - the inventory is checked against a count made here with serde_json;
//! - both layouts give the same findings on the same properties, and each names what it does
//!   not read (the snapshot in a finding, the EntraOps tree as unrecognised files).

mod common;

use common::{compact, counts, entralint, json, root, snapshot, stderr};
use serde_json::Value;
use std::collections::BTreeMap;

const SNAPSHOT: &str = "tests/fixtures/utcm/snapshot";
const SNAPSHOT_FILE: &str = "tests/fixtures/utcm/snapshot/configurationSnapshot.json";
const ENTRAOPS: &str = "tests/fixtures/utcm/entraops";

fn report(path: &str) -> Value {
    // The folder's entralint.toml declares the break-glass account the policies exclude by UPN.
    let o = entralint(&["check", path, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    json(&o)
}

#[test]
fn snapshot_findings_are_located_on_the_properties() {
    let r = report(SNAPSHOT);
    for f in r["findings"].as_array().unwrap() {
        let file = f["location"]["file"].as_str().unwrap();
        // Findings about the tenant, or about the declared accounts, are located there.
        if file != "." && !file.ends_with("entralint.toml") {
            assert_eq!(file, SNAPSHOT_FILE, "{f}");
        }
    }
    let out = compact(&r);
    snapshot("utcm_snapshot", || {
        insta::assert_snapshot!("utcm_snapshot", out)
    });
}

#[test]
fn entraops_findings_are_located_on_the_properties() {
    let out = compact(&report(ENTRAOPS));
    snapshot("utcm_entraops", || {
        insta::assert_snapshot!("utcm_entraops", out)
    });
}

/// What the snapshot holds, counted here: the resources of each type entralint reads.
#[test]
fn the_inventory_counts_the_resources_read() {
    let text = std::fs::read_to_string(root().join(SNAPSHOT_FILE)).unwrap();
    let snapshot: Value = serde_json::from_str(&text).unwrap();
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for r in snapshot["resources"].as_array().unwrap() {
        let key = match r["resourceType"].as_str().unwrap() {
            "microsoft.entra.conditionalaccesspolicy" => "conditionalAccessPolicies",
            "microsoft.entra.authenticationstrengthpolicy" => "authenticationStrengthPolicies",
            "microsoft.entra.authenticationcontextclassreference" => {
                "authenticationContextClassReferences"
            }
            "microsoft.entra.namedlocationpolicy" => "namedLocations",
            "microsoft.entra.roledefinition" => "roleDefinitions",
            _ => continue,
        };
        *expected.entry(key.to_owned()).or_default() += 1;
    }
    assert_eq!(counts(&report(SNAPSHOT)), expected);
    assert_eq!(counts(&report(ENTRAOPS)), expected);
}

/// The same resources give the same findings on the same properties, whichever the container.
#[test]
fn both_layouts_agree() {
    let places = |r: &Value, file_of: &dyn Fn(&Value) -> String| -> Vec<(String, String, String)> {
        let mut out: Vec<(String, String, String)> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            // The snapshot names its unread resource types in a finding; the tree lists files.
            .filter(|f| {
                let file = f["location"]["file"].as_str().unwrap();
                !f["message"]
                    .as_str()
                    .unwrap()
                    .contains("of types entralint does not read")
                    && file.ends_with(".json")
            })
            .map(|f| {
                let p = f["location"]["pointer"].as_str().unwrap_or("");
                let below = p.find("/properties").map_or(p, |i| &p[i..]);
                (
                    f["code"].as_str().unwrap().to_owned(),
                    file_of(f),
                    below.to_owned(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let snapshot = report(SNAPSHOT);
    let resources = {
        let text = std::fs::read_to_string(root().join(SNAPSHOT_FILE)).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        v["resources"].as_array().unwrap().clone()
    };
    let by_resource = |f: &Value| {
        let p = f["location"]["pointer"].as_str().unwrap_or("");
        let i: usize = p
            .strip_prefix("/resources/")
            .and_then(|r| r.split('/').next())
            .and_then(|i| i.parse().ok())
            .unwrap_or(usize::MAX);
        resources
            .get(i)
            .and_then(|r| r["displayName"].as_str())
            .and_then(|n| n.split_once('-'))
            .map_or(String::new(), |(_, rest)| rest.trim().to_owned())
    };
    let by_file = |f: &Value| {
        let file = f["location"]["file"].as_str().unwrap();
        file.rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".json"))
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        places(&snapshot, &by_resource),
        places(&report(ENTRAOPS), &by_file)
    );
    let unread = snapshot["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("of types entralint does not read")
        })
        .expect("the snapshot names the resource types it does not read");
    let message = unread["message"].as_str().unwrap();
    assert!(
        message.contains("microsoft.entra.grouplifecyclepolicy"),
        "{message}"
    );
    assert!(
        message.contains("microsoft.entra.authenticationmethodpolicy"),
        "{message}"
    );
}

/// A snapshot's role settings and eligibility requests, named as tenant configuration management
/// names the Microsoft365DSC resources (`microsoft.entra.rolesetting`), are read as the role's
/// PIM policy and who is eligible for it, as in a Microsoft365DSC configuration.
#[test]
fn role_settings_of_a_snapshot_are_the_role_policy() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = serde_json::json!({
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#admin/configurationManagement/configurationSnapshots/$entity",
        "displayName": "PIM",
        "resources": [
            {
                "displayName": "AADRoleSetting-Global Administrator",
                "resourceType": "microsoft.entra.rolesetting",
                "properties": {
                    "Id": "62e90394-69f5-4237-9190-012177145e10",
                    "Displayname": "Global Administrator",
                    "ActivationReqMFA": false,
                    "ActivationReqJustification": true,
                    "ApprovaltoActivate": false,
                    "ActivationMaxDuration": "PT8H"
                }
            },
            {
                "displayName": "AADRoleEligibilityScheduleRequest-alice",
                "resourceType": "microsoft.entra.roleeligibilityschedulerequest",
                "properties": {
                    "Principal": "alice@contoso.com",
                    "RoleDefinition": "Global Administrator",
                    "DirectoryScopeId": "/"
                }
            }
        ]
    });
    let path = dir.path().join("snapshot.json");
    std::fs::write(&path, serde_json::to_string_pretty(&snapshot).unwrap()).unwrap();
    let o = entralint(&["check", path.to_str().unwrap(), "--format", "json"]);
    let r = json(&o);
    let out = compact(&r);
    let pim002 = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "PIM002")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(
        pim002["location"]["pointer"], "/resources/0/properties/ActivationReqMFA",
        "{out}"
    );
    assert_eq!(
        counts(&r).get("roleEligibilitySchedules"),
        Some(&1),
        "{out}"
    );
}
