//! Exports written by the tools people use to get their configuration out of Entra ID, read from
//! files shaped like each producer's real output (`fixtures/producers/<producer>/`).

use entralint_parser::model::{MembershipKind, PolicyState};
use entralint_parser::{load, Input, IssueAt, IssueKind, Kind, Tenant};
use std::path::Path;

/// Loads fixture files, each under the path it is given (the part inside the export).
fn fixtures(files: &[(&str, &str)]) -> Tenant {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/producers");
    load(files.iter().map(|(fixture, path)| {
        let bytes = std::fs::read(dir.join(fixture)).map_err(|e| e.to_string());
        Input::new((*path).to_owned(), bytes)
    }))
}

fn fixture(name: &str) -> Tenant {
    fixtures(&[(name, name)])
}

/// The issues as (kind, pointer or offset, message).
fn issues(t: &Tenant) -> Vec<(IssueKind, String, String)> {
    t.issues
        .iter()
        .map(|i| {
            let at = match &i.at {
                IssueAt::Pointer(p) => p.to_string(),
                IssueAt::Offset(o) | IssueAt::Lenient(o) => format!("@{o}"),
                IssueAt::DuplicateKey { parent, key } => format!("{parent}#{key}"),
            };
            (i.kind, at, i.message.clone())
        })
        .collect()
}

/// `Get-MgIdentityConditionalAccessPolicy | ConvertTo-Json -Depth 10` in Windows PowerShell 5.1:
/// PascalCase keys, an `AdditionalProperties` object on every object the SDK models, holding
/// what its model lacks (here the v1.0 module's `grantControls`, which had no
/// `authenticationStrength`), and `/Date(…)/` dates.
#[test]
fn graph_powershell_sdk_policies() {
    let t = fixture("graph-sdk/conditional-access-policies.json");
    assert_eq!(issues(&t), []);
    assert_eq!(t.inventory.count(Kind::ConditionalAccessPolicy), 2);
    let p = &t.conditional_access[0];
    assert_eq!(
        p.display_name.as_deref(),
        Some("CA101 - Admins - Require phishing-resistant MFA")
    );
    assert_eq!(p.state, Some(PolicyState::Enabled));
    assert_eq!(p.conditions.users.include_roles.len(), 3);
    // The strength the SDK kept in `GrantControls.AdditionalProperties` is the policy's.
    let strength = p.strength().expect("the strength in AdditionalProperties");
    assert_eq!(
        strength.id.as_deref(),
        Some("00000000-0000-0000-0000-000000000004")
    );
    assert_eq!(strength.allowed_combinations.len(), 3);
    assert_eq!(t.conditional_access[1].state, Some(PolicyState::ReportOnly));
}

/// An `AdditionalProperties` member that the object also has, with another value: the object's
/// own is used, and the other reported where it is.
#[test]
fn graph_powershell_sdk_additional_property_conflicting_with_the_object_is_reported() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/producers/graph-sdk/conditional-access-policies.json"),
    )
    .unwrap();
    let text = text.replacen(
        r#""authenticationFlows":  null"#,
        r#""users":  {"includeUsers": ["All"]}"#,
        1,
    );
    let t = load([Input::new("p.json".into(), Ok(text.into_bytes()))]);
    assert_eq!(
        issues(&t),
        [(
            IssueKind::Conflict,
            "/0/Conditions/AdditionalProperties/users".to_owned(),
            "`AdditionalProperties` holds `users` with another value than the object's own `users`; entralint uses the object's own".to_owned()
        )]
    );
    let users = &t.conditional_access[0].conditions.users;
    assert!(users.include_users.is_empty());
    assert_eq!(users.include_roles.len(), 3);
}

/// `Get-MgRoleManagementDirectoryRoleEligibilityScheduleInstance | ConvertTo-Json` in Windows
/// PowerShell 5.1: the dates are `/Date(ms)/`, read as the ISO dates they are.
#[test]
fn graph_powershell_sdk_windows_powershell_dates() {
    let t = fixture("graph-sdk/role-eligibility-schedule-instances.json");
    assert_eq!(issues(&t), []);
    let m: Vec<_> = t.memberships(MembershipKind::EligibilitySchedule).collect();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0].end_date_time.as_deref(), Some("2026-01-01T00:00:00Z"));
    assert_eq!(
        m[0].start_date_time.as_deref(),
        Some("2025-01-01T00:00:00Z")
    );
    assert_eq!(m[1].end_date_time, None);
    assert_eq!(
        m[1].start_date_time.as_deref(),
        Some("2022-03-17T16:54:48.205Z")
    );
}

/// `Get-MgIdentityConditionalAccessPolicy | ConvertTo-Json` with the default depth (2): type names
/// stand where the conditions and controls were. The first is reported where it is (JSON004),
/// with the count of the others in the policy, and the policy is still listed.
#[test]
fn graph_powershell_sdk_depth_truncation_is_reported_where_it_is() {
    let t = fixture("graph-sdk/conditional-access-policies-depth-2.json");
    let truncated: Vec<_> = issues(&t)
        .into_iter()
        .filter(|(k, ..)| *k == IssueKind::Truncated)
        .collect();
    assert_eq!(
        truncated,
        [(
            IssueKind::Truncated,
            "/0/Conditions/Applications".to_owned(),
            "`Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessApplications` is a PowerShell type name, not the value: the export was cut by ConvertTo-Json's depth limit (13 more values in this object)".to_owned()
        )]
    );
    assert_eq!(t.inventory.count(Kind::ConditionalAccessPolicy), 1);
}

/// Graph Explorer and idPowerToys' manual mode: the response of the older beta path
/// `GET beta/policies/conditionalAccessPolicies`, whose `@odata.context` names that path. Its
/// policies are read whatever their content; the second has no conditions at all.
#[test]
fn graph_explorer_legacy_policies_path() {
    let t = fixture("graph-explorer/beta-policies-conditionalAccessPolicies.json");
    assert_eq!(issues(&t), []);
    assert!(t.inventory.unrecognized.is_empty());
    assert_eq!(t.inventory.count(Kind::ConditionalAccessPolicy), 2);
    assert_eq!(
        t.conditional_access[1].display_name.as_deref(),
        Some("CA202 - Draft - not yet targeted")
    );
    // One such policy saved alone (`…/$entity`).
    let text = r#"{"@odata.context": "https://graph.microsoft.com/beta/$metadata#policies/conditionalAccessPolicies/$entity",
        "id": "0c1d2e3f-0202-4000-8000-000000000202", "displayName": "CA202 - Draft - not yet targeted", "state": "disabled"}"#;
    let t = load([Input::new("one.json".into(), Ok(text.as_bytes().to_vec()))]);
    assert_eq!(t.inventory.count(Kind::ConditionalAccessPolicy), 1);
}

/// DCToolbox `Export-DCConditionalAccessPolicyDesign` (DanielChronlund/DCToolbox, DCToolbox.psm1):
/// beta policies through `ConvertTo-Json -Depth 10`, then every line holding the `id`,
/// `createdDateTime` or `modifiedDateTime` removed. The policies have no `id`; a comma is left
/// wherever a removed line was the last member of its object; one policy is an object, not an
/// array.
#[test]
fn dctoolbox_backups() {
    let t = fixtures(&[
        (
            "dctoolbox/Conditional Access Backup 2025-03-14.json",
            "backups/Conditional Access Backup 2025-03-14.json",
        ),
        (
            "dctoolbox/Conditional Access Backup 2025-03-21.json",
            "backups/Conditional Access Backup 2025-03-21.json",
        ),
    ]);
    // Each trailing comma is reported where it is, and the file read past it.
    let commas: Vec<_> = t
        .issues
        .iter()
        .map(|i| {
            let IssueAt::Lenient(at) = i.at else {
                panic!("{i:?}")
            };
            let text = &t.sources.file(i.file).text;
            assert_eq!(&text[at..=at], ",");
            (i.kind, t.sources.line_col(i.file, at).line)
        })
        .collect();
    assert_eq!(
        commas,
        [(IssueKind::Unreadable, 68), (IssueKind::Unreadable, 42)]
    );
    assert_eq!(t.inventory.count(Kind::ConditionalAccessPolicy), 3);
    assert!(t.inventory.unrecognized.is_empty());
    let names: Vec<_> = t.conditional_access.iter().map(|p| p.name()).collect();
    assert_eq!(
        names,
        [
            "GLOBAL - 1010 - GRANT - Admins - Phishing-resistant MFA",
            "GLOBAL - 1020 - BLOCK - All users - Legacy authentication",
            "GLOBAL - 1030 - GRANT - All users - MFA",
        ]
    );
    assert!(t.conditional_access.iter().all(|p| p.id.is_none()));
    let strength = t.conditional_access[0].strength().unwrap();
    assert_eq!(
        strength.id.as_deref(),
        Some("00000000-0000-0000-0000-000000000004")
    );
}

/// Two backups of one tenant hold the same policies, by display name and without ids: nothing
/// merges them silently (each is kept where it is).
#[test]
fn dctoolbox_policies_without_ids_are_never_merged() {
    let name = "dctoolbox/Conditional Access Backup 2025-03-21.json";
    let t = fixtures(&[(name, "a/backup.json"), (name, "b/backup.json")]);
    assert_eq!(t.inventory.count(Kind::ConditionalAccessPolicy), 2);
    assert_eq!(
        t.conditional_access[0].name(),
        t.conditional_access[1].name()
    );
    assert_ne!(
        t.conditional_access[0].origin.file,
        t.conditional_access[1].origin.file
    );
}

/// Zero Trust Assessment (microsoft/zerotrustassessment, Export-ZtGraphEntity.ps1): each Graph
/// response page in `zt-export/<Name>/<Name>-<page>.json`, annotations in any order, without
/// `@odata.context` where related properties were added. The pages of one collection are one
/// collection; the folders of kinds entralint does not model are listed as unrecognised, never
/// read as what their objects look like (a sign-in has a `userPrincipalName`).
#[test]
fn zero_trust_assessment_export() {
    let files: Vec<(String, String)> = [
        "User/User-0.json",
        "User/User-1.json",
        "RoleEligibilityScheduleInstance/RoleEligibilityScheduleInstance-0.json",
        "UserRegistrationDetails/UserRegistrationDetails-0.json",
        "SignIn/SignIn-0.json",
        "ServicePrincipal/ServicePrincipal-0.json",
    ]
    .iter()
    .map(|f| (format!("zt-export/{f}"), format!("zt-export/{f}")))
    .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (&**a, &**b)).collect();
    let t = fixtures(&files);
    // The last page is there: no "only the first page".
    assert_eq!(issues(&t), []);
    assert_eq!(t.inventory.count(Kind::User), 3);
    assert_eq!(t.inventory.count(Kind::RoleEligibilitySchedule), 1);
    assert_eq!(t.inventory.count(Kind::UserRegistrationDetails), 2);
    let unrecognized: Vec<_> = t
        .inventory
        .unrecognized
        .iter()
        .map(|f| t.sources.path(*f))
        .collect();
    assert_eq!(
        unrecognized,
        [
            "zt-export/SignIn/SignIn-0.json",
            "zt-export/ServicePrincipal/ServicePrincipal-0.json"
        ]
    );
    // Without its last page, the collection is said to be incomplete, once.
    let t = fixtures(&files[..1]);
    let paged: Vec<_> = issues(&t).into_iter().map(|(k, ..)| k).collect();
    assert_eq!(paged, [IssueKind::Paged]);
}

/// A Zero Trust Assessment page without `@odata.context` is read by its folder.
#[test]
fn zero_trust_assessment_page_without_context() {
    let text = r#"{"value": [{"id": "0a1b2c3d-0001-4000-8000-000000000001", "displayName": "Break Glass 01"}]}"#;
    let t = load([Input::new(
        "zt-export/User/User-0.json".into(),
        Ok(text.as_bytes().to_vec()),
    )]);
    assert_eq!(t.inventory.count(Kind::User), 1);
}
