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
