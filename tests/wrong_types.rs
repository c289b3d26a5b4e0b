//! A value of the wrong JSON type in an object entralint reads is a JSON001 finding at that
//! value, and the object is still read without it: each case copies examples/contoso-risky,
//! replaces one value, and compares the findings with those of the unchanged copy.

mod common;

use common::*;
use entralint_parser::source::SpanIndex;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// The EntraExporter PIM file of Global Administrator (Alice Admin's eligibility).
const GA: &str = "tenant/PIM/DirectoryRoles/f0e1d2c3-0001-4000-8000-000000000001.json";

/// CA100, "Require MFA" for the admin roles.
const CA100: &str = "tenant/Identity/Conditional/AccessPolicies/3c4d5e6f-0100-4000-8000-000000000100/3c4d5e6f-0100-4000-8000-000000000100.json";

/// Replaces the value at `pointer` in the file at `path` (below `dir`) by `json`, leaving the
/// rest of the text as it is.
fn replace(dir: &Path, path: &str, pointer: &str, json: &str) {
    let file = dir.join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    let found = SpanIndex::build(&text).resolve(&text, pointer);
    assert!(found.exact, "{path}: no value at {pointer}");
    let mut changed = text[..found.value.start].to_owned();
    changed.push_str(json);
    changed.push_str(&text[found.value.end..]);
    std::fs::write(file, changed).unwrap();
}

/// The findings of a run: code, file and pointer.
fn findings(report: &Value) -> BTreeSet<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let at = &f["location"];
            (
                f["code"].as_str().unwrap().to_owned(),
                at["file"].as_str().unwrap().to_owned(),
                at["pointer"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Runs the example with the value at `pointer` of `path` replaced by `json`; returns the report
/// of the unchanged example and that of the changed one.
fn with_wrong_type(path: &str, pointer: &str, json: &str) -> (Value, Value) {
    let dir = risky_copy();
    let d = dir.path();
    let before = json_report(d);
    replace(d, path, pointer, json);
    (before, json_report(d))
}

fn json_report(dir: &Path) -> Value {
    json(&entralint_in(dir, &["check", "tenant", "--format", "json"]))
}

/// The JSON001 findings of a report, with their messages.
fn json001(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "JSON001")
        .map(|f| {
            (
                f["location"]["file"].as_str().unwrap().to_owned(),
                f["location"]["pointer"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The findings of `after` that were not in `before`, and those of `before` that went.
#[allow(clippy::type_complexity)]
fn difference(
    before: &Value,
    after: &Value,
) -> (Vec<(String, String, String)>, Vec<(String, String, String)>) {
    let (b, a) = (findings(before), findings(after));
    (
        a.difference(&b).cloned().collect(),
        b.difference(&a).cloned().collect(),
    )
}

fn finding(code: &str, file: &str, pointer: &str) -> (String, String, String) {
    (code.to_owned(), file.to_owned(), pointer.to_owned())
}

fn objects(report: &Value, kind: &str) -> u64 {
    report["inventory"]["objects"][kind].as_u64().unwrap_or(0)
}

#[test]
fn pim_rules_of_the_wrong_type_are_reported_and_the_policy_kept() {
    let (before, after) = with_wrong_type(GA, "/Policy/Rules", "{}");
    assert_eq!(
        json001(&after),
        [(
            GA.to_owned(),
            "/Policy/Rules".to_owned(),
            "`rules` is an object, not an array: this PIM policy is read without it".to_owned()
        )]
    );
    // The policy and its assignment stay; only what its rules said changes.
    for kind in ["roleManagementPolicies", "roleManagementPolicyAssignments"] {
        assert_eq!(objects(&after, kind), objects(&before, kind), "{kind}");
    }
    // What goes is what the rules said (of this role, and of the roles compared with it).
    let (added, gone) = difference(&before, &after);
    assert_eq!(added, [finding("JSON001", GA, "/Policy/Rules")]);
    assert!(gone.contains(&finding("PIM001", GA, "/Policy/Rules/11/enabledRules")));
    assert!(
        gone.iter()
            .all(|(_, _, pointer)| pointer.starts_with("/Policy/Rules/")),
        "{gone:?}"
    );
}

#[test]
fn a_pim_rule_of_the_wrong_type_is_reported_and_the_other_rules_kept() {
    // Rule 0 is `Expiration_Admin_Eligibility`, which no finding of the example is about.
    let (before, after) =
        with_wrong_type(GA, "/Policy/Rules/0", "\"Expiration_Admin_Eligibility\"");
    let (added, gone) = difference(&before, &after);
    assert_eq!(added, [finding("JSON001", GA, "/Policy/Rules/0")]);
    assert!(gone.is_empty(), "{gone:?}");
    assert_eq!(
        json001(&after)[0].2,
        "`rules[0]` is a string, not an object: this PIM policy is read without it"
    );
}

#[test]
fn a_pim_policy_of_the_wrong_type_is_reported_and_the_eligibility_kept() {
    for wrong in ["[]", "\"policy\"", "7"] {
        let (before, after) = with_wrong_type(GA, "/Policy", wrong);
        let found = json001(&after);
        assert_eq!(found.len(), 1, "{wrong}: {found:?}");
        assert_eq!((found[0].0.as_str(), found[0].1.as_str()), (GA, "/Policy"));
        assert!(
            found[0].2.starts_with("`policy` is ")
                && found[0]
                    .2
                    .ends_with("not an object: this eligibility is read without it"),
            "{wrong}: {}",
            found[0].2
        );
        assert_eq!(
            objects(&after, "roleEligibilitySchedules"),
            objects(&before, "roleEligibilitySchedules")
        );
        // The eligibility's own findings stay; those of its policy go with it.
        let (_, gone) = difference(&before, &after);
        assert!(
            gone.iter()
                .all(|(_, file, pointer)| file != GA || pointer.starts_with("/Policy/")),
            "{wrong}: {gone:?}"
        );
    }
}

#[test]
fn a_pim_policy_id_of_the_wrong_type_is_reported() {
    let (before, after) = with_wrong_type(GA, "/Policy/PolicyID", "42");
    assert_eq!(
        json001(&after),
        [(
            GA.to_owned(),
            "/Policy/PolicyID".to_owned(),
            "`policyID` is a number, not a string: this PIM policy is read without it".to_owned()
        )]
    );
    assert_eq!(
        objects(&after, "roleManagementPolicies"),
        objects(&before, "roleManagementPolicies")
    );
}

#[test]
fn conditions_of_the_wrong_type_are_reported_and_the_policy_read_without_them() {
    // Each with a finding about another part of CA100 that must stay.
    for (pointer, message, stays) in [
        (
            "/conditions",
            "`conditions` is an array, not an object: this CA policy is read without it",
            finding("ADM005", CA100, "/grantControls/operator"),
        ),
        (
            "/conditions/users",
            "`conditions.users` is an array, not an object: this CA policy is read without it",
            finding("ADM005", CA100, "/grantControls/operator"),
        ),
        (
            "/grantControls",
            "`grantControls` is an array, not an object: this CA policy is read without it",
            finding("ADM006", CA100, "/sessionControls"),
        ),
    ] {
        let (before, after) = with_wrong_type(CA100, pointer, "[]");
        assert_eq!(
            json001(&after),
            [(CA100.to_owned(), pointer.to_owned(), message.to_owned())],
            "{pointer}"
        );
        assert_eq!(
            objects(&after, "conditionalAccessPolicies"),
            objects(&before, "conditionalAccessPolicies")
        );
        // The rest of the policy is read: a finding about another part of it stays.
        assert!(findings(&before).contains(&stays), "{pointer}");
        assert!(findings(&after).contains(&stays), "{pointer}");
    }
}
