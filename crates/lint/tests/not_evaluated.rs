//! A rule whose input is missing does not guess: it is listed as not evaluated, with the reason,
//! and reports nothing.

mod common;

use entralint_lint::{rules, run_rules, Config};

fn not_evaluated(code: &str, export: &str) -> Option<String> {
    let rule = rules::by_code(code).unwrap();
    let tenant = common::load_text("export.json", export);
    let config = Config {
        today: Some(common::today()),
        ..Default::default()
    };
    let report = run_rules(&tenant, &config, &[rule]);
    assert!(
        report.findings.is_empty(),
        "{code} guessed: {:?}",
        report.findings
    );
    report
        .not_evaluated
        .into_iter()
        .find(|n| n.code == code)
        .map(|n| n.reason)
}

const ADMIN_PHISHING_RESISTANT_POLICY: &str = r#"[
  { "id": "1a2b3c4d-0001-4000-8000-000000000001", "displayName": "Alice Admin", "userPrincipalName": "alice@contoso.com" },
  { "id": "ra1", "principalId": "1a2b3c4d-0001-4000-8000-000000000001", "directoryScopeId": "/",
    "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" },
  { "displayName": "CA105 - Admins - phishing-resistant MFA", "state": "enabledForReportingButNotEnforced",
    "conditions": { "users": { "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"] },
                    "applications": { "includeApplications": ["All"] } },
    "grantControls": { "operator": "OR", "authenticationStrength": { "id": "00000000-0000-0000-0000-000000000004" } } }
]"#;

#[test]
fn lockout_rules_need_registration_data() {
    for code in ["ROL001", "ROL003", "BG003"] {
        let reason = not_evaluated(code, ADMIN_PHISHING_RESISTANT_POLICY);
        assert!(reason.as_deref().is_some_and(|r| r.contains("userRegistrationDetails") || r.contains("break-glass")), "{code}: {reason:?}");
    }
    assert_eq!(
        not_evaluated("ROL001", ADMIN_PHISHING_RESISTANT_POLICY).as_deref(),
        Some("no userRegistrationDetails in input")
    );
}

#[test]
fn method_settings_rule_needs_method_configurations() {
    assert_eq!(
        not_evaluated("ROL002", ADMIN_PHISHING_RESISTANT_POLICY).as_deref(),
        Some("no authentication method configurations in input")
    );
}

#[test]
fn policy_rules_need_policies() {
    for code in [
        "ROL001", "ROL002", "ROL003", "ROL004", "BG001", "BG004", "BG005", "BG006", "BG007",
    ] {
        assert_eq!(
            not_evaluated(code, "[]").as_deref(),
            Some("no Conditional Access policies in input"),
            "{code}"
        );
    }
    for code in ["PIM001", "PIM004", "PIM006", "ROL005"] {
        assert_eq!(
            not_evaluated(code, "[]").as_deref(),
            Some("no PIM role management policies in input"),
            "{code}"
        );
    }
}
