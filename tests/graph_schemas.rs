//! The JSON Schemas of Microsoft Graph types in schemas/graph/, generated from Graph's CSDL
//! metadata by schemas/graph/generate.py: every schema compiles, every object of a type they
//! describe in examples/ is valid against the v1.0 or the beta schema of its type, and objects
//! that Graph would refuse are rejected.
//!
//! The corpus test (ignored by default) validates every Conditional Access policy found under
//! ENTRALINT_CORPUS and prints which fail and why:
//! `ENTRALINT_CORPUS=/path/to/corpus cargo test --test graph_schemas -- --ignored --nocapture`.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The API versions there are schemas of, in the order they are tried. Both are required.
const VERSIONS: [&str; 2] = ["v1.0", "beta"];

/// The root types: one schema of each in every version.
const ROOT_TYPES: [&str; 14] = [
    "conditionalAccessPolicy",
    "authenticationStrengthPolicy",
    "authenticationCombinationConfiguration",
    "authenticationContextClassReference",
    "namedLocation",
    "unifiedRoleManagementPolicy",
    "unifiedRoleManagementPolicyRule",
    "unifiedRoleManagementPolicyAssignment",
    "unifiedRoleAssignment",
    "unifiedRoleAssignmentSchedule",
    "unifiedRoleAssignmentScheduleInstance",
    "unifiedRoleEligibilitySchedule",
    "unifiedRoleEligibilityScheduleInstance",
    "unifiedRoleDefinition",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every schema, compiled: (version, type name) -> validator.
fn validators() -> &'static BTreeMap<(String, String), jsonschema::Validator> {
    static ALL: OnceLock<BTreeMap<(String, String), jsonschema::Validator>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = BTreeMap::new();
        for version in VERSIONS {
            let dir = root().join("schemas/graph").join(version);
            let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            for path in paths {
                let Some(name) = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_suffix(".schema.json"))
                else {
                    continue;
                };
                let schema: Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                assert_eq!(
                    schema["$schema"],
                    "https://json-schema.org/draft/2020-12/schema"
                );
                let validator = jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(&schema)
                    .unwrap_or_else(|e| panic!("{} does not compile: {e}", path.display()));
                all.insert((version.to_string(), name.to_string()), validator);
            }
        }
        all
    })
}

/// Why `value` is not a valid `ty` in `version` (empty when it is): every failed assertion, the
/// ones inside `anyOf` and `if`/`then` included, as "<instance pointer>: <message>".
fn errors(version: &str, ty: &str, value: &Value) -> Vec<String> {
    let validator = validators()
        .get(&(version.to_string(), ty.to_string()))
        .unwrap_or_else(|| panic!("no schema of {ty} in {version}"));
    if validator.is_valid(value) {
        return Vec::new();
    }
    let mut all: Vec<String> = validator
        .evaluate(value)
        .iter_errors()
        .map(|e| format!("{}: {}", e.instance_location.as_str(), e.error))
        .collect();
    all.dedup();
    all
}

/// Ok when `value` is a valid `ty` in v1.0 or in beta; otherwise the errors of both.
fn check(ty: &str, value: &Value) -> Result<&'static str, String> {
    let mut why = String::new();
    for version in VERSIONS {
        let errs = errors(version, ty, value);
        if errs.is_empty() {
            return Ok(version);
        }
        why.push_str(&format!("  {version}:\n"));
        for e in errs.iter().take(8) {
            why.push_str(&format!("    {e}\n"));
        }
        if errs.len() > 8 {
            why.push_str(&format!("    ... and {} more\n", errs.len() - 8));
        }
    }
    Err(why)
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = entralint_parser::decode::decode(bytes)
        .map_err(|e| e.message)?
        .text;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// The Graph type of the objects in an export file, from the folders it sits in (EntraExporter's
/// layout, and graph/<collection>.json for saved Graph responses).
fn type_of(rel: &str) -> Option<&'static str> {
    const FOLDERS: [(&str, &str); 11] = [
        (
            "Identity/Conditional/AccessPolicies/",
            "conditionalAccessPolicy",
        ),
        ("Identity/Conditional/NamedLocations/", "namedLocation"),
        (
            "Identity/Conditional/AuthenticationContexts/",
            "authenticationContextClassReference",
        ),
        (
            "Identity/Conditional/AuthenticationStrengths/",
            "authenticationStrengthPolicy",
        ),
        (
            "RoleManagement/Directory/RoleAssignments/",
            "unifiedRoleAssignment",
        ),
        (
            "RoleManagement/Directory/RoleAssignmentSchedules/",
            "unifiedRoleAssignmentSchedule",
        ),
        (
            "RoleManagement/Directory/RoleAssignmentScheduleInstances/",
            "unifiedRoleAssignmentScheduleInstance",
        ),
        (
            "RoleManagement/Directory/RoleEligibilitySchedules/",
            "unifiedRoleEligibilitySchedule",
        ),
        (
            "RoleManagement/Directory/RoleEligibilityScheduleInstances/",
            "unifiedRoleEligibilityScheduleInstance",
        ),
        (
            "RoleManagement/Directory/RoleDefinitions/",
            "unifiedRoleDefinition",
        ),
        (
            "Policies/RoleManagementPolicies/",
            "unifiedRoleManagementPolicy",
        ),
    ];
    const COLLECTIONS: [(&str, &str); 12] = [
        ("policies", "conditionalAccessPolicy"),
        ("conditionalAccessPolicies", "conditionalAccessPolicy"),
        ("namedLocations", "namedLocation"),
        (
            "authenticationContextClassReferences",
            "authenticationContextClassReference",
        ),
        (
            "authenticationStrengthPolicies",
            "authenticationStrengthPolicy",
        ),
        ("roleManagementPolicies", "unifiedRoleManagementPolicy"),
        (
            "roleManagementPolicyAssignments",
            "unifiedRoleManagementPolicyAssignment",
        ),
        ("roleAssignments", "unifiedRoleAssignment"),
        (
            "roleAssignmentScheduleInstances",
            "unifiedRoleAssignmentScheduleInstance",
        ),
        ("roleEligibilitySchedules", "unifiedRoleEligibilitySchedule"),
        (
            "roleEligibilityScheduleInstances",
            "unifiedRoleEligibilityScheduleInstance",
        ),
        ("roleDefinitions", "unifiedRoleDefinition"),
    ];
    if let Some(name) = rel.strip_prefix("graph/") {
        let stem = name.strip_suffix(".json")?;
        return COLLECTIONS
            .iter()
            .find(|(c, _)| *c == stem)
            .map(|(_, t)| *t);
    }
    FOLDERS
        .iter()
        .find(|(folder, _)| rel.starts_with(folder))
        .map(|(_, t)| *t)
}

/// The objects of a file: the members of a Graph collection (`value`) or of an array, or the
/// object itself.
fn objects(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(o) => match o.get("value") {
            Some(Value::Array(items)) => items.iter().collect(),
            _ => vec![value],
        },
        _ => vec![],
    }
}

/// Every (file, JSON pointer, type, object) of examples/ the schemas describe.
fn example_objects() -> Vec<(String, String, &'static str, Value)> {
    let mut found = Vec::new();
    let examples = root().join("examples");
    let mut files = Vec::new();
    json_files(&examples, &mut files);
    for path in files {
        let shown = path.strip_prefix(root()).unwrap().display().to_string();
        let export = path.strip_prefix(&examples).unwrap();
        let rel: String = export
            .components()
            .skip(1)
            .map(|c| c.as_os_str().to_str().unwrap())
            .collect::<Vec<_>>()
            .join("/");
        let value = read_json(&path).unwrap_or_else(|e| panic!("{shown}: {e}"));
        if rel.starts_with("PIM/") {
            pim_objects(&shown, &rel, &value, &mut found);
            continue;
        }
        let Some(ty) = type_of(&rel) else { continue };
        let in_collection = value.get("value").is_some_and(Value::is_array);
        for (i, object) in objects(&value).into_iter().enumerate() {
            let pointer = if in_collection {
                format!("/value/{i}")
            } else if value.is_array() {
                format!("/{i}")
            } else {
                String::new()
            };
            found.push((shown.clone(), pointer, ty, object.clone()));
        }
    }
    found
}

/// EntraExporter's PIM files are Graph objects with the exporter's own members added: a role
/// eligibility schedule instance with `PrincipalName`, `RoleName` and `Policy` (`{RoleID, PolicyID,
/// Rules}`) for directory roles; a PascalCase summary whose `Policy` is a Graph
/// unifiedRoleManagementPolicy for PIM for Groups. The Graph parts are checked.
fn pim_objects(
    shown: &str,
    rel: &str,
    value: &Value,
    found: &mut Vec<(String, String, &'static str, Value)>,
) {
    let in_array = value.is_array();
    for (i, object) in objects(value).into_iter().enumerate() {
        let at = if in_array {
            format!("/{i}")
        } else {
            String::new()
        };
        let Some(policy) = object.get("Policy").filter(|p| p.is_object()) else {
            continue;
        };
        if let Some(rules) = policy.get("Rules").and_then(Value::as_array) {
            for (j, rule) in rules.iter().enumerate() {
                found.push((
                    shown.to_string(),
                    format!("{at}/Policy/Rules/{j}"),
                    "unifiedRoleManagementPolicyRule",
                    rule.clone(),
                ));
            }
        } else {
            found.push((
                shown.to_string(),
                format!("{at}/Policy"),
                "unifiedRoleManagementPolicy",
                policy.clone(),
            ));
        }
        if rel.starts_with("PIM/DirectoryRoles/") {
            let mut instance = object.clone();
            let members = instance.as_object_mut().unwrap();
            for exporter_member in ["PrincipalName", "RoleName", "Policy"] {
                members.remove(exporter_member);
            }
            found.push((
                shown.to_string(),
                at,
                "unifiedRoleEligibilityScheduleInstance",
                instance,
            ));
        }
    }
}

#[test]
fn every_schema_compiles() {
    for version in VERSIONS {
        let dir = root().join("schemas/graph").join(version);
        assert!(dir.is_dir(), "schemas/graph/{version}/ is missing");
    }
    let all = validators();
    for version in VERSIONS {
        for ty in ROOT_TYPES {
            assert!(
                all.contains_key(&(version.to_string(), ty.to_string())),
                "schemas/graph/{version}/{ty}.schema.json is missing"
            );
        }
    }
    assert_eq!(
        all.len(),
        VERSIONS.len() * ROOT_TYPES.len(),
        "a schema of no root type: {:?}",
        all.keys().collect::<Vec<_>>()
    );
}

#[test]
fn every_example_object_is_valid_in_v1_or_beta() {
    let objects = example_objects();
    let mut failures = String::new();
    let mut per_type: BTreeMap<&str, usize> = BTreeMap::new();
    for (file, pointer, ty, object) in &objects {
        *per_type.entry(ty).or_default() += 1;
        if let Err(why) = check(ty, object) {
            failures.push_str(&format!("{file}#{pointer} is not a valid {ty}:\n{why}"));
        }
    }
    assert!(failures.is_empty(), "{failures}");
    for ty in [
        "conditionalAccessPolicy",
        "namedLocation",
        "authenticationContextClassReference",
        "authenticationStrengthPolicy",
        "unifiedRoleManagementPolicyRule",
        "unifiedRoleManagementPolicy",
        "unifiedRoleManagementPolicyAssignment",
        "unifiedRoleAssignment",
        "unifiedRoleAssignmentScheduleInstance",
        "unifiedRoleEligibilityScheduleInstance",
        "unifiedRoleDefinition",
    ] {
        assert!(
            per_type.get(ty).is_some_and(|n| *n > 0),
            "no {ty} found in examples/: {per_type:?}"
        );
    }
}

/// A Conditional Access policy of the examples, to break.
fn example_policy() -> Value {
    let path = root().join(
        "examples/contoso-hardened/Identity/Conditional/AccessPolicies/\
         3c4d5e6f-0100-4000-8000-000000000100/3c4d5e6f-0100-4000-8000-000000000100.json",
    );
    let policy = read_json(&path).unwrap();
    check("conditionalAccessPolicy", &policy).expect("the example policy is valid");
    policy
}

/// Asserts that `value` is a valid `ty` in neither version, and that each version finds what is
/// wrong at `at` (or inside it).
fn assert_rejected(ty: &str, value: &Value, at: &str) {
    for version in VERSIONS {
        let errs = errors(version, ty, value);
        assert!(
            errs.iter()
                .any(|e| e.starts_with(&format!("{at}:")) || e.starts_with(&format!("{at}/"))),
            "{version}: expected an error at {at}, got {errs:#?}"
        );
    }
}

#[test]
fn an_unknown_state_is_rejected() {
    let mut policy = example_policy();
    policy["state"] = json!("reportOnly");
    assert_rejected("conditionalAccessPolicy", &policy, "/state");
    policy["state"] = json!("enabledForReportingButNotEnforced");
    assert!(check("conditionalAccessPolicy", &policy).is_ok());
}

#[test]
fn an_unknown_grant_control_is_rejected() {
    let mut policy = example_policy();
    policy["grantControls"]["builtInControls"] = json!(["mfaa"]);
    assert_rejected("conditionalAccessPolicy", &policy, "/grantControls");
}

/// The property names the metadata declares for `ty` (a qualified name) in `version`: the keys of
/// its definition's `properties`, which is where a linter looks up the name meant by an unknown
/// one.
fn known_names(version: &str, root_type: &str, ty: &str) -> Vec<String> {
    let path = root()
        .join("schemas/graph")
        .join(version)
        .join(format!("{root_type}.schema.json"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    schema["$defs"][ty]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{version}: no definition of {ty} in {root_type}"))
        .keys()
        .cloned()
        .collect()
}

#[test]
fn known_property_names_are_listed() {
    for version in VERSIONS {
        let names = known_names(
            version,
            "conditionalAccessPolicy",
            "microsoft.graph.conditionalAccessPolicy",
        );
        for name in [
            "conditions",
            "grantControls",
            "sessionControls",
            "state",
            "id",
        ] {
            assert!(
                names.iter().any(|n| n == name),
                "{version}: {name} in {names:?}"
            );
        }
        assert!(!names.iter().any(|n| n == "grantControl"));
        // Inherited properties are listed too (unifiedRoleManagementPolicyRule: id, target).
        let names = known_names(
            version,
            "unifiedRoleManagementPolicyRule",
            "microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
        );
        for name in ["id", "target", "isExpirationRequired", "maximumDuration"] {
            assert!(
                names.iter().any(|n| n == name),
                "{version}: {name} in {names:?}"
            );
        }
    }
    // A misspelled name is not rejected by the schemas (Graph returns undeclared properties); it
    // is left to the linter, which finds it in neither list.
    let mut policy = example_policy();
    let grant = policy
        .as_object_mut()
        .unwrap()
        .remove("grantControls")
        .unwrap();
    policy["grantControl"] = grant;
    assert!(check("conditionalAccessPolicy", &policy).is_ok());
}

/// Names the examples use that only beta declares: a PIM approver's `isBackup` (beta's
/// `userSet`, the base of `singleUser`) and a role assignment's `resourceScope`.
#[test]
fn beta_declares_names_v1_does_not() {
    for (root_type, ty, name) in [
        (
            "unifiedRoleManagementPolicyRule",
            "microsoft.graph.singleUser",
            "isBackup",
        ),
        (
            "unifiedRoleAssignment",
            "microsoft.graph.unifiedRoleAssignment",
            "resourceScope",
        ),
    ] {
        assert!(known_names("beta", root_type, ty).iter().any(|n| n == name));
        assert!(!known_names("v1.0", root_type, ty).iter().any(|n| n == name));
    }
}

#[test]
fn conditions_must_be_an_object() {
    let mut policy = example_policy();
    policy["conditions"] = json!([]);
    assert_rejected("conditionalAccessPolicy", &policy, "/conditions");
    policy["conditions"] = Value::Null;
    assert_rejected("conditionalAccessPolicy", &policy, "/conditions");
}

#[test]
fn annotations_are_allowed_anywhere() {
    let mut policy = example_policy();
    policy["@odata.context"] = json!("https://graph.microsoft.com/v1.0/$metadata#x");
    policy["state@odata.type"] = json!("#microsoft.graph.conditionalAccessPolicyState");
    policy["conditions"]["@odata.type"] = json!("#microsoft.graph.conditionalAccessConditionSet");
    policy["#microsoft.graph.restore"] = json!({"title": "microsoft.graph.restore"});
    assert_eq!(check("conditionalAccessPolicy", &policy), Ok("v1.0"));
}

#[test]
fn flags_enums_are_comma_joined_members() {
    let strength = json!({
        "id": "00000000-0000-0000-0000-000000000002",
        "displayName": "Multifactor authentication",
        "policyType": "builtIn",
        "requirementsSatisfied": "mfa",
        "allowedCombinations": ["fido2", "password,sms", "password,microsoftAuthenticatorPush"]
    });
    assert!(check("authenticationStrengthPolicy", &strength).is_ok());
    for bad in ["password,smss", "password, sms", "password,", ",sms", ""] {
        let mut s = strength.clone();
        s["allowedCombinations"] = json!([bad]);
        assert_rejected("authenticationStrengthPolicy", &s, "/allowedCombinations/0");
    }
}

#[test]
fn derived_types_are_chosen_by_odata_type() {
    let ip = json!({
        "@odata.type": "#microsoft.graph.ipNamedLocation",
        "id": "l1",
        "displayName": "HQ",
        "isTrusted": true,
        "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.0/24"}]
    });
    assert!(check("namedLocation", &ip).is_ok());
    // A country location's property, of the wrong type, on an IP location typed as a country one.
    let mut wrong = ip.clone();
    wrong["@odata.type"] = json!("#microsoft.graph.countryNamedLocation");
    wrong["countriesAndRegions"] = json!("FR");
    assert_rejected("namedLocation", &wrong, "/countriesAndRegions");
    // An IP range of no known type.
    let mut wrong = ip.clone();
    wrong["ipRanges"][0]["@odata.type"] = json!("#microsoft.graph.iPv5CidrRange");
    assert_rejected("namedLocation", &wrong, "/ipRanges/0/@odata.type");

    let rule = json!({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule",
        "id": "Expiration_EndUser_Assignment",
        "isExpirationRequired": true,
        "maximumDuration": "PT8H",
        "target": {"caller": "EndUser", "operations": ["all"], "level": "Assignment"}
    });
    assert!(check("unifiedRoleManagementPolicyRule", &rule).is_ok());
    let mut wrong = rule.clone();
    wrong["maximumDuration"] = json!("8 hours");
    assert_rejected(
        "unifiedRoleManagementPolicyRule",
        &wrong,
        "/maximumDuration",
    );
    let mut wrong = rule.clone();
    wrong["isExpirationRequired"] = json!("yes");
    assert_rejected(
        "unifiedRoleManagementPolicyRule",
        &wrong,
        "/isExpirationRequired",
    );
    let mut wrong = rule;
    wrong["@odata.type"] = json!("#microsoft.graph.unifiedRoleManagementPolicyRule");
    assert_rejected("unifiedRoleManagementPolicyRule", &wrong, "/@odata.type");
}

/// Every object in `value` that looks like a Conditional Access policy (it has `conditions` and
/// `grantControls`), with its JSON pointer.
fn policies_in<'v>(value: &'v Value, at: String, out: &mut Vec<(String, &'v Value)>) {
    match value {
        Value::Object(o) => {
            if o.contains_key("conditions") && o.contains_key("grantControls") {
                out.push((at, value));
                return;
            }
            for (k, v) in o {
                let key = k.replace('~', "~0").replace('/', "~1");
                policies_in(v, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                policies_in(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
#[ignore = "needs ENTRALINT_CORPUS, a folder of real exports"]
fn corpus_policies() {
    let Some(dir) = std::env::var_os("ENTRALINT_CORPUS") else {
        panic!("set ENTRALINT_CORPUS to a folder of real exports to run this test");
    };
    let dir = PathBuf::from(dir);
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    let (mut valid, mut invalid, mut unreadable) = (0, 0, 0);
    for path in files {
        let shown = path.strip_prefix(&dir).unwrap().display().to_string();
        let value = match read_json(&path) {
            Ok(v) => v,
            Err(e) => {
                unreadable += 1;
                println!("UNREADABLE {shown}: {e}");
                continue;
            }
        };
        let mut policies = Vec::new();
        policies_in(&value, String::new(), &mut policies);
        for (at, policy) in policies {
            match check("conditionalAccessPolicy", policy) {
                Ok(version) => {
                    valid += 1;
                    println!("VALID ({version}) {shown}#{at}");
                }
                Err(why) => {
                    invalid += 1;
                    println!("INVALID {shown}#{at}\n{why}");
                }
            }
        }
    }
    println!("{valid} valid, {invalid} invalid, {unreadable} files unreadable");
    assert!(
        valid + invalid > 0,
        "no Conditional Access policy found in {}",
        dir.display()
    );
}
