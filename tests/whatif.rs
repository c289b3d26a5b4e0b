//! `entralint whatif`: a table of cases over examples/contoso-risky (users and exclusions,
//! applications, client apps, locations, report-only, the PIM step) and the activation of Global
//! Administrator on both examples.

mod common;

use common::{entralint, json, stderr, stdout};
use serde_json::Value;

const ALICE: &str = "1a2b3c4d-0001-4000-8000-000000000001";
const FRANK: &str = "1a2b3c4d-0006-4000-8000-000000000006";
const TRUSTED: &str = "4d5e6f70-0001-4000-8000-000000000001";

fn whatif(args: &[&str]) -> Value {
    let mut all = vec!["whatif", "examples/contoso-risky", "-f", "json"];
    all.extend_from_slice(args);
    let o = entralint(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    json(&o)
}

/// The result and reasons of the policy whose name starts with `prefix`.
fn verdict(report: &Value, prefix: &str) -> (String, Vec<String>) {
    let p = report["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["policy"].as_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| panic!("no policy {prefix}"));
    (
        p["result"].as_str().unwrap().to_owned(),
        p["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect(),
    )
}

#[test]
fn each_condition_decides_as_conditional_access_does() {
    let cases: &[(&[&str], &str, &str, &[&str])] = &[
        // All users, all apps, outside trusted locations: the location decides, and without one
        // there is not enough information.
        (
            &["--user", ALICE, "--app", "All"],
            "CA102",
            "notEnoughInformation",
            &["notEnoughInformation"],
        ),
        (
            &["--user", ALICE, "--app", "All", "--location", "untrusted"],
            "CA102",
            "applies",
            &[],
        ),
        (
            &["--user", ALICE, "--app", "All", "--location", TRUSTED],
            "CA102",
            "doesNotApply",
            &["location"],
        ),
        // An exclusion beats the inclusion of all users.
        (
            &["--user", FRANK, "--app", "All", "--location", "untrusted"],
            "CA102",
            "doesNotApply",
            &["users"],
        ),
        // Legacy clients only.
        (
            &["--user", ALICE, "--app", "All"],
            "CA001",
            "doesNotApply",
            &["clientApps"],
        ),
        (
            &[
                "--user",
                ALICE,
                "--app",
                "All",
                "--client",
                "exchangeActiveSync",
            ],
            "CA001",
            "applies",
            &[],
        ),
        // A policy for the authentication context only: not for an application sign-in.
        (
            &["--user", ALICE, "--app", "All"],
            "CA210",
            "doesNotApply",
            &["users", "authenticationContext"],
        ),
        // The step-up for a context alone: application policies do not apply to it.
        (
            &["--user", ALICE, "--auth-context", "c1"],
            "CA102",
            "doesNotApply",
            &["application"],
        ),
    ];
    for (args, policy, result, reasons) in cases {
        let report = whatif(args);
        let (got, why) = verdict(&report, policy);
        assert_eq!(
            (
                got.as_str(),
                why.iter().map(String::as_str).collect::<Vec<_>>()
            ),
            (*result, reasons.to_vec()),
            "{policy} with {args:?}"
        );
    }
}

#[test]
fn report_only_policies_are_listed_but_not_required_and_a_block_wins() {
    let o = entralint(&[
        "whatif",
        "examples/contoso-risky",
        "--user",
        ALICE,
        "--app",
        "All",
        "--client",
        "exchangeActiveSync",
        "--location",
        "untrusted",
    ]);
    let text = stdout(&o);
    assert!(text.contains("✓ applies                CA001 - All users - Block legacy authentication (enabled): requires block"), "{text}");
    assert!(text.contains("result: blocked\n"), "{text}");
    let o = entralint(&[
        "whatif",
        "examples/contoso-risky",
        "--user",
        ALICE,
        "--app",
        "All",
        "--location",
        "untrusted",
    ]);
    let text = stdout(&o);
    // The Microsoft-managed report-only policy applies, and is not part of the result.
    assert!(
        text.contains(
            "✓ applies                Multifactor authentication for all users (report-only)"
        ),
        "{text}"
    );
    let result = text.lines().find(|l| l.starts_with("result: ")).unwrap();
    assert!(
        !result.contains("Multifactor authentication for all users"),
        "{result}"
    );
    assert!(result.contains("CA102"), "{result}");
}

#[test]
fn activating_global_administrator_shows_the_broken_and_the_fixed_chain() {
    let risky = stdout(&entralint(&[
        "whatif",
        "examples/contoso-risky",
        "--user",
        ALICE,
        "--activate",
        "global administrator",
    ]));
    assert!(risky.contains("activating Global Administrator: activation requires an MFA claim, which an earlier MFA in the session satisfies: no Conditional Access policy is evaluated for it\n"), "{risky}");
    assert!(
        risky.contains("result: no enabled policy applies: nothing is required"),
        "{risky}"
    );
    let hardened = stdout(&entralint(&[
        "whatif",
        "examples/contoso-hardened",
        "--user",
        ALICE,
        "--activate",
        "Global Administrator",
    ]));
    assert!(
        hardened.contains("activation requires authentication context c1"),
        "{hardened}"
    );
    assert!(hardened.contains("✓ applies                CA200 - PIM elevation - phishing-resistant (enabled): requires strength `Phishing-resistant MFA`"), "{hardened}");
    assert!(
        hardened.contains("accepts: windowsHelloForBusiness | fido2 | x509CertificateMultiFactor"),
        "{hardened}"
    );
}

#[test]
fn a_user_or_role_the_export_does_not_hold_is_refused() {
    let o = entralint(&[
        "whatif",
        "examples/contoso-risky",
        "--user",
        "nobody@contoso.com",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no user `nobody@contoso.com` in the export"),
        "{}",
        stderr(&o)
    );
    let o = entralint(&[
        "whatif",
        "examples/contoso-risky",
        "--user",
        ALICE,
        "--activate",
        "Nope",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no PIM policy for a role named `Nope`"),
        "{}",
        stderr(&o)
    );
}

/// Guests, roles, platforms and risk, over a small export written here.
#[test]
fn guests_roles_platforms_and_risk_decide_too() {
    const MEMBER: &str = "11111111-0000-4000-8000-000000000001";
    const GUEST: &str = "11111111-0000-4000-8000-000000000002";
    const GA: &str = "62e90394-69f5-4237-9190-012177145e10";
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let graph = "https://graph.microsoft.com/v1.0/$metadata#";
    std::fs::write(
        d.join("users.json"),
        format!(
            r#"{{"@odata.context": "{graph}users", "value": [
  {{"id": "{MEMBER}", "displayName": "Mia Member", "userPrincipalName": "mia@contoso.com", "userType": "Member"}},
  {{"id": "{GUEST}", "displayName": "Gus Guest", "userPrincipalName": "gus_fabrikam.com#EXT#@contoso.com", "userType": "Guest"}}
]}}"#
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("roleAssignments.json"),
        format!(
            r#"{{"@odata.context": "{graph}roleManagement/directory/roleAssignments", "value": [
  {{"id": "a1", "principalId": "{MEMBER}", "roleDefinitionId": "{GA}", "directoryScopeId": "/"}}
]}}"#
        ),
    )
    .unwrap();
    let policy = |id: &str, name: &str, conditions: &str| {
        format!(
            r#"{{"id": "{id}", "displayName": "{name}", "state": "enabled",
  "conditions": {{"applications": {{"includeApplications": ["All"]}}, "clientAppTypes": ["all"], {conditions}}},
  "grantControls": {{"operator": "OR", "builtInControls": ["mfa"]}}}}"#
        )
    };
    let policies = [
        policy(
            "p1",
            "Guests",
            r#""users": {"includeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "b2bCollaborationGuest", "externalTenants": {"membershipKind": "all"}}}"#,
        ),
        policy(
            "p2",
            "Admins",
            &format!(r#""users": {{"includeRoles": ["{GA}"]}}"#),
        ),
        policy(
            "p3",
            "Mobile",
            r#""users": {"includeUsers": ["All"]}, "platforms": {"includePlatforms": ["android", "iOS"]}"#,
        ),
        policy(
            "p4",
            "Risky",
            r#""users": {"includeUsers": ["All"], "excludeUsers": ["GuestsOrExternalUsers"]}, "signInRiskLevels": ["high", "medium"]"#,
        ),
        // Conditions written with nothing in them, as the Graph PowerShell SDK writes those a
        // policy does not set: they ask nothing of the sign-in.
        policy(
            "p5",
            "Unset",
            r#""users": {"includeUsers": ["All"]}, "devices": {"deviceFilter": {"mode": null, "rule": null}}, "authenticationFlows": {"transferMethods": null}, "insiderRiskLevels": null"#,
        ),
    ];
    // An application filter with no rule, beside the conditions of p5.
    let mut policies = policies.to_vec();
    policies.push(
        r#"{"id": "p6", "displayName": "Empty app filter", "state": "enabled",
  "conditions": {"applications": {"includeApplications": ["All"], "applicationFilter": {"mode": null, "rule": null}},
    "clientAppTypes": ["all"], "users": {"includeUsers": ["All"]}},
  "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}"#
            .to_owned(),
    );
    std::fs::write(
        d.join("policies.json"),
        format!(
            r#"{{"@odata.context": "{graph}identity/conditionalAccess/policies", "value": [{}]}}"#,
            policies.join(",\n")
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["whatif", "--isolated", ".", "-f", "json", "--app", "All"];
        all.extend_from_slice(args);
        let o = common::entralint_in(d, &all);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        json(&o)
    };
    let member = run(&["--user", "mia@contoso.com"]);
    let guest = run(&[
        "--user",
        GUEST,
        "--platform",
        "windows",
        "--sign-in-risk",
        "high",
    ]);
    let cases = [
        (&member, "Guests", "doesNotApply", vec!["users"]),
        (&guest, "Guests", "applies", vec![]),
        (&member, "Admins", "applies", vec![]),
        (&guest, "Admins", "doesNotApply", vec!["users"]),
        (
            &member,
            "Mobile",
            "notEnoughInformation",
            vec!["notEnoughInformation"],
        ),
        (&guest, "Mobile", "doesNotApply", vec!["devicePlatform"]),
        (
            &member,
            "Risky",
            "notEnoughInformation",
            vec!["notEnoughInformation"],
        ),
        // Excluded as a guest, whatever the risk.
        (&guest, "Risky", "doesNotApply", vec!["users"]),
        (&member, "Unset", "applies", vec![]),
        (&member, "Empty app filter", "applies", vec![]),
    ];
    for (report, policy, result, reasons) in cases {
        let (got, why) = verdict(report, policy);
        assert_eq!(
            (got.as_str(), why),
            (
                result,
                reasons.iter().map(|r| r.to_string()).collect::<Vec<_>>()
            ),
            "{policy} for {}",
            report["user"]
        );
    }
    let o = run(&[
        "--user",
        MEMBER,
        "--platform",
        "iOS",
        "--sign-in-risk",
        "low",
    ]);
    assert_eq!(verdict(&o, "Mobile").0, "applies");
    assert_eq!(
        verdict(&o, "Risky"),
        ("doesNotApply".to_owned(), vec!["signInRisk".to_owned()])
    );
}
