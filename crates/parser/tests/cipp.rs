//! CIPP templates: rows of CIPP's `templates` table (`PartitionKey`, `RowKey`, and the policy as
//! the string `JSON`), alone, in a backup (an array of rows of several tables), or with `JSON` as
//! an object (a community template repository).
//! <https://github.com/KelvinTegelaar/CIPP-API/blob/master/Modules/CIPPCore/Public/New-CIPPCATemplate.ps1>

use entralint_parser::model::{BuiltInControl, PolicyState};
use entralint_parser::{load, Input, IssueAt, IssueKind, Origin, Pointer, Tenant};
use serde_json::json;

fn one(path: &str, text: &str) -> Tenant {
    load([Input::new(path.to_owned(), Ok(text.as_bytes().to_vec()))])
}

/// A CA template row as CIPP stores it: the policy, compressed, in a string.
fn row(guid: &str, policy: &serde_json::Value) -> serde_json::Value {
    json!({
        "PartitionKey": "CATemplate",
        "RowKey": guid,
        "GUID": guid,
        "JSON": policy.to_string(),
        "SHA": "9f3b2c1d",
        "Source": "contoso-msp.onmicrosoft.com"
    })
}

fn policy() -> serde_json::Value {
    json!({
        "id": "8d1a4f5e-2b3c-4d5e-8f90-0a1b2c3d4e5f",
        "displayName": "CIPP - \"Block\" légacy auth\n(all users)",
        "state": "enabled",
        "conditions": {
            "users": { "includeUsers": ["All"], "excludeGroups": ["2b3c4d5e-0001-4000-8000-000000000001"] },
            "applications": { "includeApplications": ["All"] },
            "clientAppTypes": ["exchangeActiveSync", "other"]
        },
        "grantControls": { "operator": "OR", "builtInControls": ["block"] },
        "LocationInfo": [null, null]
    })
}

/// The text in the file at the span the source map gives `pointer`.
fn spanned<'t>(t: &'t Tenant, origin: &Origin) -> &'t str {
    let span = t.sources.resolve(origin);
    assert!(span.exact, "{} not found", origin.pointer);
    &t.sources.file(origin.file).text[span.value]
}

#[test]
fn a_template_row_is_read_as_its_policy_located_inside_the_string() {
    let text =
        serde_json::to_string_pretty(&row("5a7c2e31-9d4b-4c1f-a2e8-3b6f0d9c1e47", &policy()))
            .unwrap();
    let t = one("templates/block-legacy.json", &text);
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    assert!(t.inventory.unrecognized.is_empty());
    assert_eq!(t.conditional_access.len(), 1);
    let p = &t.conditional_access[0];
    assert_eq!(
        p.display_name.as_deref(),
        Some("CIPP - \"Block\" légacy auth\n(all users)")
    );
    assert_eq!(p.state, Some(PolicyState::Enabled));
    assert_eq!(
        p.grant_controls.as_ref().unwrap().built_in_controls,
        vec![BuiltInControl::Block]
    );
    assert_eq!(p.origin.pointer.as_str(), "/JSON");
    // Findings go inside the string, at the escaped text of the value.
    let group = p.origin.at("conditions/users/excludeGroups/0");
    assert_eq!(
        spanned(&t, &group),
        r#"\"2b3c4d5e-0001-4000-8000-000000000001\""#
    );
    let name = p.origin.at("displayName");
    assert_eq!(
        spanned(&t, &name),
        r#"\"CIPP - \\\"Block\\\" légacy auth\\n(all users)\""#
    );
    let span = t.sources.resolve(&name);
    let key = &t.sources.file(p.origin.file).text[span.key.unwrap()];
    assert_eq!(key, r#"\"displayName\""#);
    // The line and column are the file's.
    let line_col = t.sources.line_col(p.origin.file, span.value.start);
    let json_line = text
        .lines()
        .position(|l| l.trim_start().starts_with(r#""JSON""#));
    assert_eq!(Some(line_col.line), json_line.map(|l| l + 1));
    let column_of_value = text
        .lines()
        .nth(line_col.line - 1)
        .unwrap()
        .find(r#"\"CIPP"#);
    assert_eq!(Some(line_col.column), column_of_value.map(|c| c + 1));
    // The schema checks read the decoded value.
    assert_eq!(
        t.sources.value_text(&group),
        Some(r#""2b3c4d5e-0001-4000-8000-000000000001""#)
    );
    let whole = t.sources.value_text(&p.origin).unwrap();
    assert!(whole.starts_with('{') && whole.contains(r#""state":"enabled""#));
}

#[test]
fn windows_powershell_escapes_map_back_too() {
    // Windows PowerShell 5.1 writes `<`, `>`, `'`, `&` and non-ASCII text as `\u` escapes.
    let inner = r#"{"displayName":"Sign\u0027in \u0026 \u003cMFA\u003e \u00e9\ud83d\ude00","state":"enabled","conditions":{"users":{"includeUsers":["All"]},"applications":{"includeApplications":["All"]}}}"#;
    let text = json!({ "PartitionKey": "CATemplate", "RowKey": "r1", "JSON": inner }).to_string();
    let t = one("row.json", &text);
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    let p = &t.conditional_access[0];
    assert_eq!(p.display_name.as_deref(), Some("Sign'in & <MFA> é😀"));
    assert_eq!(
        spanned(&t, &p.origin.at("conditions/users/includeUsers")),
        r#"[\"All\"]"#
    );
    assert_eq!(
        spanned(&t, &p.origin.at("displayName")),
        r#"\"Sign\\u0027in \\u0026 \\u003cMFA\\u003e \\u00e9\\ud83d\\ude00\""#
    );
}

#[test]
fn a_backup_reads_the_conditional_access_templates_and_skips_the_other_rows() {
    let mut second = policy();
    second["id"] = json!("8d1a4f5e-2b3c-4d5e-8f90-0a1b2c3d4e60");
    second["displayName"] = json!("CIPP - Require MFA for admins");
    let rows = json!([
        { "PartitionKey": "settings", "RowKey": "settings", "CATemplate": true, "table": "templates" },
        row("5a7c2e31-9d4b-4c1f-a2e8-3b6f0d9c1e47", &policy()),
        { "PartitionKey": "IntuneTemplate", "RowKey": "7f3270d6-ca41-4dd9-b0e2-692ab32de86b",
          "JSON": "{\"Displayname\":\"Defender\",\"RAWJson\":\"{}\",\"Type\":\"Catalog\"}", "table": "templates" },
        row("0c9e1d2a-7b3f-4e5d-9a8b-1c2d3e4f5a6b", &second),
        { "PartitionKey": "Domains", "RowKey": "contoso.com", "table": "Domains" }
    ]);
    let t = one("CIPPBackup_2024-05-02-1401.json", &rows.to_string());
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    let pointers: Vec<&str> = t
        .conditional_access
        .iter()
        .map(|p| p.origin.pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/1/JSON", "/3/JSON"]);
    assert_eq!(
        spanned(&t, &t.conditional_access[1].origin.at("displayName")),
        r#"\"CIPP - Require MFA for admins\""#
    );
}

#[test]
fn a_community_template_may_hold_the_policy_as_an_object() {
    let text =
        json!({ "PartitionKey": "CATemplate", "RowKey": "r1", "JSON": policy() }).to_string();
    let t = one("community/block-legacy.json", &text);
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    assert_eq!(t.conditional_access.len(), 1);
    assert_eq!(t.conditional_access[0].origin.pointer.as_str(), "/JSON");
}

#[test]
fn a_string_that_is_not_json_is_located_inside_it() {
    let inner = r#"{"displayName":"Block legacy auth","state":"enabled",}"#;
    let text = json!({ "PartitionKey": "CATemplate", "RowKey": "r1", "JSON": inner }).to_string();
    let t = one("row.json", &text);
    assert!(t.conditional_access.is_empty());
    assert_eq!(t.issues.len(), 1, "{:?}", t.issues);
    let issue = &t.issues[0];
    assert_eq!(issue.kind, IssueKind::Unreadable);
    assert!(
        issue.message.contains("not valid JSON: trailing comma"),
        "{}",
        issue.message
    );
    let IssueAt::Offset(at) = issue.at else {
        panic!("{:?}", issue.at)
    };
    // At the `}` after the trailing comma, in the file.
    assert!(text[..at].ends_with(r#"\"enabled\","#), "{}", &text[..at]);
    assert_eq!(&text[at..at + 1], "}");
}

#[test]
fn a_stringified_value_is_reported_alone_and_the_rest_is_read() {
    let mut p = policy();
    p["conditions"]["users"]["includeGuestsOrExternalUsers"] = json!({ "guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest", "externalTenants": "@{membershipKind=all}" });
    let text = serde_json::to_string_pretty(&row("r1", &p)).unwrap();
    let t = one("row.json", &text);
    assert_eq!(t.conditional_access.len(), 1);
    let users = &t.conditional_access[0].conditions.users;
    assert_eq!(
        users.exclude_groups.len(),
        1,
        "the rest of the policy is read"
    );
    let guests = users.include_guests_or_external_users.as_ref().unwrap();
    assert!(
        guests.external_tenants.is_none(),
        "the stringified field is absent"
    );
    assert_eq!(t.issues.len(), 1, "{:?}", t.issues);
    let IssueAt::Pointer(at) = &t.issues[0].at else {
        panic!()
    };
    let origin = Origin::new(t.issues[0].file, at.clone());
    assert_eq!(spanned(&t, &origin), r#"\"@{membershipKind=all}\""#);
}

#[test]
fn a_template_holding_no_policy_is_reported() {
    let text = json!({ "PartitionKey": "CATemplate", "RowKey": "r1",
        "JSON": "{\"displayName\":\"x\",\"includeUsers\":[\"All\"]}" })
    .to_string();
    let t = one("row.json", &text);
    assert!(t.conditional_access.is_empty());
    assert_eq!(t.issues.len(), 1);
    assert_eq!(t.issues[0].kind, IssueKind::Foreign);
    assert_eq!(t.issues[0].at, IssueAt::Pointer(Pointer::parse("/JSON")));
}

#[test]
fn a_flattened_policy_is_reported_not_read() {
    let text = json!({ "displayName": "Require MFA", "state": "enabled",
        "conditions": { "includeUsers": ["All"], "includeApplications": ["All"] },
        "grantControls": ["mfa"] })
    .to_string();
    let t = one("policies/mfa.json", &text);
    assert!(t.conditional_access.is_empty(), "not an empty policy");
    assert_eq!(t.issues.len(), 1);
    let issue = &t.issues[0];
    assert_eq!(issue.kind, IssueKind::Foreign);
    assert!(
        issue.message.contains("`conditions.users.includeUsers`"),
        "{}",
        issue.message
    );
    assert!(
        issue.message.contains("`grantControls` as a list"),
        "{}",
        issue.message
    );
    assert_eq!(
        issue.at,
        IssueAt::Pointer(Pointer::parse("/conditions/includeUsers"))
    );
}
