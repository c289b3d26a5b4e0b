//! The performance budget (README.md, "Performance"): on a large synthetic tenant, `check` (load +
//! every rule) stays within 1.3× the time of `serde_json::from_slice::<Value>` over the same bytes,
//! with peak memory under 2× the input size.
//!
//! `cargo bench --bench check` prints the baseline, the time of `check` with its two halves (loading
//! the files into the tenant, running the rules), their ratios to the baseline, and the peak resident
//! memory of a separate process that only runs `check`, after loading and after the rules. Set
//! `ENTRALINT_BENCH_MB` to change the size (default 50) and `ENTRALINT_BENCH_SHAPE` for another
//! shape: `stress` (see [`stress`]), or the shapes made to make the work or the report grow faster
//! than the input, `dangling`, `nesting` and `many` (see [`dangling`], [`nesting`], [`many`]). Their
//! size grows with `ENTRALINT_BENCH_MB` too: twice the size should take about twice the time.
//!
//! `ENTRALINT_BENCH_SHAPE=scubagear` times `check` on ScubaGear's own sample provider export
//! (`$ENTRALINT_CORPUS/`[`SCUBAGEAR_SAMPLE`]; skipped with a message when the variable is unset)
//! and on copies scaled ×10 and ×100, against the same `Value` parse floor, with a budget of 2×
//! at every size (see [`scubagear`]).

use entralint_lint::{run, Settings};
use entralint_parser::builtin::BUILT_IN_ROLES;
use entralint_parser::{load, Input};
use std::time::{Duration, Instant};

const GA: &str = "62e90394-69f5-4237-9190-012177145e10";

/// The stress shape: every built-in role with its PIM policy, and Conditional Access policies and
/// eligibilities without end — far more policies than a tenant may hold, each excluding an
/// eligible administrator, so nearly every object is a finding. It shows that the work stays
/// linear however the export is shaped; the budget is measured on [`realistic`].
fn stress(mb: usize) -> Vec<(String, Vec<u8>)> {
    let target = mb * 1024 * 1024;
    let roles: Vec<&str> = BUILT_IN_ROLES.iter().map(|r| r.id.as_str()).collect();
    let mut pim = String::new();
    let mut assignments = String::new();
    for (i, role) in roles.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let policy = format!("DirectoryRole_t_{i}");
        pim.push_str(&format!(
            r##"{sep}{{"id":"{policy}","scopeId":"/","scopeType":"DirectoryRole","rules":[{{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyEnablementRule","id":"Enablement_EndUser_Assignment","enabledRules":["MultiFactorAuthentication","Justification"],"target":{{"caller":"EndUser","operations":["all"],"level":"Assignment"}}}},{{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule","id":"AuthenticationContext_EndUser_Assignment","isEnabled":{},"claimValue":"c{}","target":{{"caller":"EndUser","operations":["all"],"level":"Assignment"}}}},{{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyExpirationRule","id":"Expiration_EndUser_Assignment","isExpirationRequired":true,"maximumDuration":"PT8H"}}]}}"##,
            i.is_multiple_of(2),
            i % 5 + 1
        ));
        assignments.push_str(&format!(
            r#"{sep}{{"id":"{policy}_{role}","policyId":"{policy}","scopeId":"/","scopeType":"DirectoryRole","roleDefinitionId":"{role}"}}"#
        ));
    }
    let mut ca = String::new();
    let mut eligibility = String::new();
    let mut i = 0usize;
    while ca.len() + eligibility.len() + pim.len() < target {
        let sep = if i == 0 { "" } else { "," };
        // One policy in 200 targets an authentication context; the rest protect applications.
        let (apps, contexts) = if i.is_multiple_of(200) {
            ("[]", format!(r#"["c{}"]"#, i / 200 % 5 + 1))
        } else {
            (r#"["All"]"#, "[]".to_owned())
        };
        ca.push_str(&format!(
            r#"{sep}{{"id":"3c4d5e6f-0000-4000-8000-{i:012}","displayName":"CA{i} - Require phishing-resistant MFA – contrôle d'accès 中文","state":"{}","conditions":{{"users":{{"includeUsers":[],"excludeUsers":["1a2b3c4d-0000-4000-8000-{i:012}"],"includeGroups":[],"excludeGroups":["2b3c4d5e-0001-4000-8000-000000000001"],"includeRoles":["{GA}"],"excludeRoles":[]}},"applications":{{"includeApplications":{apps},"excludeApplications":[],"includeUserActions":[],"includeAuthenticationContextClassReferences":{contexts}}},"clientAppTypes":["all"],"platforms":null,"locations":null}},"grantControls":{{"operator":"OR","builtInControls":["mfa"],"authenticationStrength":{{"id":"00000000-0000-0000-0000-000000000004"}}}},"sessionControls":{{"signInFrequency":{{"isEnabled":true,"frequencyInterval":"everyTime","type":null,"value":null}}}}}}"#,
            if i.is_multiple_of(3) { "enabledForReportingButNotEnforced" } else { "enabled" },
        ));
        let role = roles[i % roles.len()];
        eligibility.push_str(&format!(
            r#"{sep}{{"id":"e{i}","principalId":"1a2b3c4d-0000-4000-8000-{i:012}","roleDefinitionId":"{role}","directoryScopeId":"/","memberType":"Direct","scheduleInfo":{{"expiration":{{"type":"noExpiration"}}}}}}"#
        ));
        i += 1;
    }
    vec![
        (
            "ca.json".to_owned(),
            envelope("identity/conditionalAccess/policies", ca),
        ),
        (
            "pim.json".to_owned(),
            envelope("policies/roleManagementPolicies(rules())", pim),
        ),
        (
            "assignments.json".to_owned(),
            envelope("policies/roleManagementPolicyAssignments", assignments),
        ),
        (
            "eligibility.json".to_owned(),
            envelope(
                "roleManagement/directory/roleEligibilitySchedules",
                eligibility,
            ),
        ),
    ]
}

/// An enabled policy that requires MFA for all apps, with these user conditions.
fn mfa_policy(i: usize, users: &str) -> String {
    format!(
        r#"{{"id":"3c4d5e6f-0000-4000-8000-{i:012}","displayName":"CA{i:03} - Require MFA","state":"enabled","conditions":{{"users":{{{users}}},"applications":{{"includeApplications":["All"]}},"clientAppTypes":["all"]}},"grantControls":{{"operator":"OR","builtInControls":["mfa"]}}}}"#
    )
}

fn user_id(i: usize) -> String {
    format!("1a2b3c4d-0000-4000-8000-{i:012}")
}

fn group_id(i: usize) -> String {
    format!("2b3c4d5e-0000-4000-8000-{i:012}")
}

/// Exported users `0..n`.
fn users(n: usize) -> String {
    let users: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id":"{}","displayName":"User {i}"}}"#, user_id(i)))
        .collect();
    users.join(",")
}

/// The dangling shape: one policy whose `excludeUsers` holds 20,000 ids of deleted users per
/// megabyte asked for (1,000,000 at the default 50), next to one exported user. The report must
/// stay one finding per list.
fn dangling(mb: usize) -> Vec<(String, Vec<u8>)> {
    let ids: Vec<String> = (1..=mb * 20_000)
        .map(|i| format!(r#""{}""#, user_id(i)))
        .collect();
    let policy = mfa_policy(
        0,
        &format!(
            r#""includeUsers":["All"],"excludeUsers":[{}]"#,
            ids.join(",")
        ),
    );
    vec![
        ("users.json".to_owned(), envelope("users", users(1))),
        (
            "ca.json".to_owned(),
            envelope("identity/conditionalAccess/policies", policy),
        ),
    ]
}

/// The nesting shape: a chain of 2,000 groups per megabyte asked for (100,000 at the default 50),
/// each holding one user and the next group, and one policy that excludes the top 2% of its levels
/// (2,000). Each level's members are every user below it: a walk per excluded level is quadratic.
fn nesting(mb: usize) -> Vec<(String, Vec<u8>)> {
    let n = mb * 2_000;
    let groups: Vec<String> = (0..n)
        .map(|i| {
            let next = if i + 1 < n {
                format!(
                    r##",{{"@odata.type":"#microsoft.graph.group","id":"{}"}}"##,
                    group_id(i + 1)
                )
            } else {
                String::new()
            };
            format!(
                r##"{{"id":"{}","displayName":"Level {i}","securityEnabled":true,"isAssignableToRole":false,"groupTypes":[],"members":[{{"@odata.type":"#microsoft.graph.user","id":"{}"}}{next}]}}"##,
                group_id(i),
                user_id(i)
            )
        })
        .collect();
    let excluded: Vec<String> = (0..n / 50)
        .map(|i| format!(r#""{}""#, group_id(i)))
        .collect();
    let policy = mfa_policy(
        0,
        &format!(
            r#""includeUsers":["All"],"excludeGroups":[{}]"#,
            excluded.join(",")
        ),
    );
    vec![
        (
            "groups.json".to_owned(),
            envelope("groups(members())", groups.join(",")),
        ),
        ("users.json".to_owned(), envelope("users", users(n))),
        (
            "ca.json".to_owned(),
            envelope("identity/conditionalAccess/policies", policy),
        ),
    ]
}

/// The many shape: per megabyte asked for, 100 policies, 400 groups and 1,000 users (5,000,
/// 20,000 and 50,000 at the default 50). Teams of five users sit in departments of nineteen teams;
/// one team in ten holds Global Administrator; each policy includes and excludes ten groups and
/// excludes ten users, drawn by a fixed pseudo-random sequence. Work per policy that scans every
/// group, role holder or schedule is the product of the two counts.
fn many(mb: usize) -> Vec<(String, Vec<u8>)> {
    let (policies, departments, users_n) = (mb * 100, mb * 20, mb * 1_000);
    let teams = departments * 19;
    let groups_n = teams + departments;
    // A linear congruential sequence (Knuth's MMIX constants): the same tenant on every run.
    let mut state = 7u64;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let mut groups = Vec::with_capacity(groups_n);
    for i in 0..teams {
        let members: Vec<String> = (0..5)
            .map(|_| {
                format!(
                    r##"{{"@odata.type":"#microsoft.graph.user","id":"{}"}}"##,
                    user_id(next(users_n))
                )
            })
            .collect();
        groups.push(format!(
            r#"{{"id":"{}","displayName":"Team {i}","securityEnabled":true,"isAssignableToRole":{},"groupTypes":[],"members":[{}]}}"#,
            group_id(i),
            i.is_multiple_of(10),
            members.join(",")
        ));
    }
    for d in 0..departments {
        let members: Vec<String> = (0..19)
            .map(|k| {
                format!(
                    r##"{{"@odata.type":"#microsoft.graph.group","id":"{}"}}"##,
                    group_id(d * 19 + k)
                )
            })
            .collect();
        groups.push(format!(
            r#"{{"id":"{}","displayName":"Department {d}","securityEnabled":true,"isAssignableToRole":false,"groupTypes":[],"members":[{}]}}"#,
            group_id(teams + d),
            members.join(",")
        ));
    }
    let active: Vec<String> = (0..teams)
        .step_by(10)
        .map(|i| {
            format!(
                r#"{{"id":"a{i}","principalId":"{}","roleDefinitionId":"{GA}","directoryScopeId":"/"}}"#,
                group_id(i)
            )
        })
        .collect();
    let mut ca = Vec::with_capacity(policies);
    for p in 0..policies {
        let mut ids = |n: usize, id: fn(usize) -> String| -> String {
            (0..10)
                .map(|_| format!(r#""{}""#, id(next(n))))
                .collect::<Vec<_>>()
                .join(",")
        };
        let (include_groups, exclude_groups, exclude_users) = (
            ids(groups_n, group_id),
            ids(groups_n, group_id),
            ids(users_n, user_id),
        );
        let targets = if p.is_multiple_of(2) {
            format!(r#""includeUsers":[],"includeRoles":["{GA}"]"#)
        } else {
            r#""includeUsers":["All"],"includeRoles":[]"#.to_owned()
        };
        ca.push(mfa_policy(
            p,
            &format!(
                r#"{targets},"includeGroups":[{include_groups}],"excludeGroups":[{exclude_groups}],"excludeUsers":[{exclude_users}]"#
            ),
        ));
    }
    vec![
        (
            "groups.json".to_owned(),
            envelope("groups(members())", groups.join(",")),
        ),
        ("users.json".to_owned(), envelope("users", users(users_n))),
        (
            "active.json".to_owned(),
            envelope("roleManagement/directory/roleAssignments", active.join(",")),
        ),
        (
            "ca.json".to_owned(),
            envelope("identity/conditionalAccess/policies", ca.join(",")),
        ),
    ]
}

/// A Graph collection response.
fn envelope(context: &str, body: String) -> Vec<u8> {
    format!(r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#{context}","value":[{body}]}}"#).into_bytes()
}

/// Conditional Access allows at most 240 policies per tenant, in any state
/// (https://learn.microsoft.com/entra/identity/conditional-access/plan-conditional-access).
const MAX_CA_POLICIES: usize = 240;

/// The shape the budget is measured on: a large tenant of roughly `mb` megabytes whose bytes are
/// what large exports are made of — users with their registration details, groups with their
/// members, role assignments and eligibilities — next to the most Conditional Access policies a
/// tenant may hold and every built-in role's PIM policy.
fn realistic(mb: usize) -> Vec<(String, Vec<u8>)> {
    let target = mb * 1024 * 1024;
    let roles: Vec<&str> = BUILT_IN_ROLES.iter().map(|r| r.id.as_str()).collect();
    let user = |i: usize| format!("1a2b3c4d-0000-4000-8000-{i:012}");
    let group = |i: usize| format!("2b3c4d5e-0000-4000-8000-{i:012}");
    const GROUPS: usize = 200;

    let mut pim = String::new();
    let mut assignments = String::new();
    for (i, role) in roles.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let policy = format!("DirectoryRole_t_{i}");
        let context = i.is_multiple_of(3);
        pim.push_str(&format!(
            r##"{sep}{{"id":"{policy}","scopeId":"/","scopeType":"DirectoryRole","rules":[{{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyEnablementRule","id":"Enablement_EndUser_Assignment","enabledRules":{},"target":{{"caller":"EndUser","operations":["all"],"level":"Assignment"}}}},{{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule","id":"AuthenticationContext_EndUser_Assignment","isEnabled":{context},"claimValue":"c{}","target":{{"caller":"EndUser","operations":["all"],"level":"Assignment"}}}},{{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyExpirationRule","id":"Expiration_EndUser_Assignment","isExpirationRequired":true,"maximumDuration":"PT4H"}},{{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyApprovalRule","id":"Approval_EndUser_Assignment","setting":{{"isApprovalRequired":false,"approvalStages":[]}}}}]}}"##,
            if context { r#"["Justification"]"# } else { r#"["MultiFactorAuthentication","Justification"]"# },
            i % 5 + 1
        ));
        assignments.push_str(&format!(
            r#"{sep}{{"id":"{policy}_{role}","policyId":"{policy}","scopeId":"/","scopeType":"DirectoryRole","roleDefinitionId":"{role}"}}"#
        ));
    }

    // The policies: a baseline per department group, admin policies over roles, step-up policies
    // for the five contexts, legacy blocks; most exclude the break-glass group, some a few users.
    let mut ca = String::new();
    for i in 0..MAX_CA_POLICIES {
        let sep = if i == 0 { "" } else { "," };
        let (users, apps, contexts, grant) = match i % 6 {
            0 => (
                r#""includeUsers":["All"],"includeGroups":[],"includeRoles":[]"#.to_owned(),
                r#"["All"]"#,
                "[]".to_owned(),
                r#""operator":"OR","builtInControls":["mfa"]"#.to_owned(),
            ),
            1 | 2 => (
                format!(r#""includeUsers":[],"includeGroups":["{}"],"includeRoles":[]"#, group(i % GROUPS)),
                r#"["All"]"#,
                "[]".to_owned(),
                r#""operator":"AND","builtInControls":["mfa","compliantDevice"]"#.to_owned(),
            ),
            3 => (
                format!(r#""includeUsers":[],"includeGroups":[],"includeRoles":["{GA}","{}"]"#, roles[i % roles.len()]),
                r#"["All"]"#,
                "[]".to_owned(),
                r#""operator":"OR","builtInControls":[],"authenticationStrength":{"id":"00000000-0000-0000-0000-000000000004"}"#.to_owned(),
            ),
            4 => (
                r#""includeUsers":["All"],"includeGroups":[],"includeRoles":[]"#.to_owned(),
                "[]",
                format!(r#"["c{}"]"#, i % 5 + 1),
                r#""operator":"OR","builtInControls":[],"authenticationStrength":{"id":"00000000-0000-0000-0000-000000000004"}"#.to_owned(),
            ),
            _ => (
                r#""includeUsers":["All"],"includeGroups":[],"includeRoles":[]"#.to_owned(),
                r#"["All"]"#,
                "[]".to_owned(),
                r#""operator":"OR","builtInControls":["block"]"#.to_owned(),
            ),
        };
        let clients = if i % 6 == 5 {
            r#"["exchangeActiveSync","other"]"#
        } else {
            r#"["all"]"#
        };
        let excluded: Vec<String> = (0..i % 4)
            .map(|k| format!(r#""{}""#, user(i * 7 + k)))
            .collect();
        ca.push_str(&format!(
            r#"{sep}{{"id":"3c4d5e6f-0000-4000-8000-{i:012}","displayName":"CA{i:03} - Baseline – contrôle d'accès 中文","state":"{}","conditions":{{"users":{{{users},"excludeUsers":[{}],"excludeGroups":["{}"],"excludeRoles":[]}},"applications":{{"includeApplications":{apps},"excludeApplications":[],"includeUserActions":[],"includeAuthenticationContextClassReferences":{contexts}}},"clientAppTypes":{clients},"platforms":null,"locations":null}},"grantControls":{{{grant}}},"sessionControls":{{"signInFrequency":{{"isEnabled":true,"type":"hours","value":4,"frequencyInterval":"timeBased"}},"persistentBrowser":{{"isEnabled":true,"mode":"never"}}}}}}"#,
            if i % 10 == 9 { "enabledForReportingButNotEnforced" } else { "enabled" },
            excluded.join(","),
            group(0),
        ));
    }
    let contexts: Vec<String> = (1..=5)
        .map(|c| format!(r#"{{"id":"c{c}","displayName":"Step-up {c}","isAvailable":true}}"#))
        .collect();

    // The bulk: users, their registration details, group memberships, role holdings.
    let mut users = String::new();
    let mut registrations = String::new();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); GROUPS];
    let mut eligibility = String::new();
    let mut active = String::new();
    let mut i = 0usize;
    while users.len() + registrations.len() + eligibility.len() + active.len() + 48 * i < target {
        let sep = if i == 0 { "" } else { "," };
        let id = user(i);
        users.push_str(&format!(
            r#"{sep}{{"id":"{id}","displayName":"User {i} – Ünïcödé","userPrincipalName":"user{i}@contoso.com","accountEnabled":true,"userType":"{}","onPremisesSyncEnabled":{},"mail":"user{i}@contoso.com","jobTitle":"Engineer","department":"Dept {}","createdDateTime":"2021-03-04T05:06:07Z"}}"#,
            if i.is_multiple_of(50) { "Guest" } else { "Member" },
            i.is_multiple_of(3),
            i % GROUPS,
        ));
        let methods = match i % 4 {
            0 => r#"["fido2","microsoftAuthenticatorPush"]"#,
            1 => {
                r#"["windowsHelloForBusiness","microsoftAuthenticatorPush","softwareOneTimePasscode"]"#
            }
            2 => r#"["microsoftAuthenticatorPush","mobilePhone"]"#,
            _ => r#"["passKeyDeviceBoundAuthenticator"]"#,
        };
        registrations.push_str(&format!(
            r#"{sep}{{"id":"{id}","userPrincipalName":"user{i}@contoso.com","userDisplayName":"User {i}","isAdmin":{},"isMfaCapable":true,"isMfaRegistered":true,"isPasswordlessCapable":{},"methodsRegistered":{methods},"userType":"member","lastUpdatedDateTime":"2026-10-01T00:00:00Z"}}"#,
            i.is_multiple_of(40),
            i % 4 != 2,
        ));
        members[i % GROUPS].push(i);
        if i.is_multiple_of(40) {
            let esep = if eligibility.is_empty() { "" } else { "," };
            let role = roles[i / 40 % roles.len()];
            eligibility.push_str(&format!(
                r#"{esep}{{"id":"e{i}","principalId":"{id}","roleDefinitionId":"{role}","directoryScopeId":"/","memberType":"Direct","scheduleInfo":{{"expiration":{{"type":"afterDuration","duration":"P180D"}}}}}}"#
            ));
        }
        if i.is_multiple_of(400) {
            let asep = if active.is_empty() { "" } else { "," };
            let role = if i.is_multiple_of(800) {
                GA
            } else {
                roles[i / 400 % roles.len()]
            };
            active.push_str(&format!(
                r#"{asep}{{"id":"a{i}","principalId":"{id}","roleDefinitionId":"{role}","directoryScopeId":"/"}}"#
            ));
        }
        i += 1;
    }
    let groups: Vec<String> = members
        .iter()
        .enumerate()
        .map(|(g, ids)| {
            let list: Vec<String> = ids
                .iter()
                .map(|u| format!(r##"{{"@odata.type":"#microsoft.graph.user","id":"{}"}}"##, user(*u)))
                .collect();
            format!(
                r#"{{"id":"{}","displayName":"Dept {g}","securityEnabled":true,"isAssignableToRole":{},"groupTypes":[],"members":[{}]}}"#,
                group(g),
                g == 0,
                list.join(",")
            )
        })
        .collect();
    vec![
        (
            "ca.json".to_owned(),
            envelope("identity/conditionalAccess/policies", ca),
        ),
        (
            "contexts.json".to_owned(),
            envelope(
                "identity/conditionalAccess/authenticationContextClassReferences",
                contexts.join(","),
            ),
        ),
        (
            "pim.json".to_owned(),
            envelope("policies/roleManagementPolicies(rules())", pim),
        ),
        (
            "assignments.json".to_owned(),
            envelope("policies/roleManagementPolicyAssignments", assignments),
        ),
        ("users.json".to_owned(), envelope("users", users)),
        (
            "registrations.json".to_owned(),
            envelope(
                "reports/authenticationMethods/userRegistrationDetails",
                registrations,
            ),
        ),
        (
            "groups.json".to_owned(),
            envelope("groups(members())", groups.join(",")),
        ),
        (
            "eligibility.json".to_owned(),
            envelope(
                "roleManagement/directory/roleEligibilitySchedules",
                eligibility,
            ),
        ),
        (
            "active.json".to_owned(),
            envelope("roleManagement/directory/roleAssignments", active),
        ),
    ]
}

/// ScubaGear's published sample provider export, relative to the corpus of real exports.
const SCUBAGEAR_SAMPLE: &str =
    "cisagov__ScubaGear/PowerShell/ScubaGear/Sample-Reports/ProviderSettingsExport.json";
/// Time budget of the ScubaGear mode: `check` over the floor, at every size.
const SCUBAGEAR_BUDGET: f64 = 2.0;

/// A GUID made from a copy number and an index, unlike any in the sample.
fn fresh_id(copy: usize, i: usize) -> String {
    format!("5ca1ab1e-{:04x}-4000-8000-{i:012x}", copy % 0x10000)
}

/// The sample with the sections entralint reads — Conditional Access policies, privileged roles
/// (their PIM rules and active assignments) and privileged users — each repeated `factor` times.
/// Every copy gets fresh ids (policy `Id`, role `RoleTemplateId` and the assignments that point
/// at it, assignment `Id`, user key), so the loader reads them as distinct objects rather than
/// merging duplicates; the other sections are left as they are.
fn scaled_scubagear(sample: &serde_json::Value, factor: usize) -> Vec<u8> {
    use serde_json::Value;
    let mut out = sample.clone();
    let Value::Object(root) = &mut out else {
        panic!("the sample is an object");
    };
    let mut n = 0usize;
    let mut next = |copy: usize| {
        n += 1;
        fresh_id(copy, n)
    };
    if let Some(Value::Array(policies)) = root.get_mut("conditional_access_policies") {
        let original = policies.clone();
        for copy in 1..factor {
            for p in &original {
                let mut p = p.clone();
                p["Id"] = Value::String(next(copy));
                policies.push(p);
            }
        }
    }
    if let Some(Value::Array(roles)) = root.get_mut("privileged_roles") {
        let original = roles.clone();
        for copy in 1..factor {
            for r in &original {
                let mut r = r.clone();
                let role = next(copy);
                r["RoleTemplateId"] = Value::String(role.clone());
                if let Some(Value::Array(assignments)) = r.get_mut("Assignments") {
                    for a in assignments {
                        a["Id"] = Value::String(next(copy));
                        a["RoleDefinitionId"] = Value::String(role.clone());
                    }
                }
                roles.push(r);
            }
        }
    }
    if let Some(Value::Object(users)) = root.get_mut("privileged_users") {
        let original: Vec<Value> = users.values().cloned().collect();
        for copy in 1..factor {
            for u in &original {
                users.insert(next(copy), u.clone());
            }
        }
    }
    serde_json::to_vec_pretty(&out).expect("a value serialises")
}

/// The ScubaGear mode: `check` on the sample and on copies ×10 and ×100, each written to a
/// temporary folder and read back (as the CLI hands the loader the bytes it read), against
/// `serde_json::from_slice::<Value>` over the same bytes.
fn scubagear() {
    let Some(corpus) = std::env::var_os("ENTRALINT_CORPUS") else {
        println!(
            "ENTRALINT_CORPUS is not set: the scubagear shape needs the corpus of real exports, \
             which holds ScubaGear's sample at {SCUBAGEAR_SAMPLE}; skipped"
        );
        return;
    };
    let path = std::path::Path::new(&corpus).join(SCUBAGEAR_SAMPLE);
    let original =
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let text = std::str::from_utf8(&original).expect("the sample is UTF-8");
    let sample: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("the sample is JSON");
    // `ENTRALINT_BENCH_OUT=<folder>` keeps the copies there (to time another tool on them).
    let temporary = tempfile::tempdir().expect("a temporary folder");
    let out = std::env::var_os("ENTRALINT_BENCH_OUT").map(std::path::PathBuf::from);
    let dir = out.as_deref().unwrap_or(temporary.path());
    std::fs::create_dir_all(dir).expect("the output folder is created");
    println!("input: ScubaGear's sample provider export ({SCUBAGEAR_SAMPLE}), and copies with its policies, roles and privileged users repeated");
    println!(
        "{:>6} {:>9} {:>8} {:>12} {:>12} {:>12} {:>12} {:>7}",
        "size", "MB", "findings", "floor", "check", "load", "rules", "ratio"
    );
    let mut worst: f64 = 0.0;
    // `ENTRALINT_BENCH_FACTORS=100` and `ENTRALINT_BENCH_RUNS=1` narrow the run (for a profiler).
    let factors: Vec<usize> = std::env::var("ENTRALINT_BENCH_FACTORS")
        .ok()
        .map(|v| v.split(',').filter_map(|f| f.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 10, 100]);
    let runs_asked: Option<usize> = std::env::var("ENTRALINT_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok());
    for factor in factors {
        let bytes = if factor == 1 {
            original.clone()
        } else {
            scaled_scubagear(&sample, factor)
        };
        let file = dir.join(format!("ProviderSettingsExport_x{factor}.json"));
        std::fs::write(&file, &bytes).expect("the copy is written");
        let bytes = std::fs::read(&file).expect("the copy is read back");
        let name = format!("x{factor}/ProviderSettingsExport.json");
        let runs = runs_asked.unwrap_or(if factor >= 100 { 5 } else { 15 });
        // The floor parses the text after its byte order mark, as the loader decodes it.
        let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
        let floor = best_of(runs, || value_floor(body));
        let timings: Vec<Timing> = (0..runs)
            .map(|_| check(vec![(name.clone(), bytes.clone())], || ()))
            .collect();
        let total = timings.iter().map(|r| r.load + r.rules).min().unwrap();
        let load = timings.iter().map(|r| r.load).min().unwrap();
        let rules = timings.iter().map(|r| r.rules).min().unwrap();
        let ratio = total.as_secs_f64() / floor.as_secs_f64();
        worst = worst.max(ratio);
        println!(
            "{:>5}× {:>9.1} {:>8} {:>12?} {:>12?} {:>12?} {:>12?} {:>6.2}×",
            factor,
            bytes.len() as f64 / 1e6,
            timings[0].findings,
            floor,
            total,
            load,
            rules,
            ratio
        );
    }
    println!(
        "worst ratio: {worst:.2} (budget {SCUBAGEAR_BUDGET:.2} at every size) {}",
        verdict(worst <= SCUBAGEAR_BUDGET)
    );
}

/// The floor of the ScubaGear mode: the bytes parsed into a `Value`, and dropped. A function of
/// its own, so that a profiler counts it apart (`valgrind --tool=callgrind
/// --toggle-collect=check::value_floor`, as `check::check` for the other side).
#[inline(never)]
fn value_floor(bytes: &[u8]) {
    std::hint::black_box(serde_json::from_slice::<serde_json::Value>(bytes).unwrap());
}

fn best_of(n: usize, mut f: impl FnMut()) -> Duration {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

/// Time budget: `check` over the baseline.
const TIME_BUDGET: f64 = 1.3;
/// Memory budget: peak memory added by `check` over the input size.
const MEMORY_BUDGET: f64 = 2.0;

/// The two halves of `check`.
struct Timing {
    load: Duration,
    rules: Duration,
    findings: usize,
}

fn check(files: Vec<(String, Vec<u8>)>, after_load: impl FnOnce()) -> Timing {
    let t = Instant::now();
    let tenant = load(
        files
            .into_iter()
            .map(|(path, bytes)| Input::new(path, Ok(bytes))),
    );
    let load = t.elapsed();
    after_load();
    let t = Instant::now();
    let findings = run(&tenant, &Settings::default()).findings.len();
    Timing {
        load,
        rules: t.elapsed(),
        findings,
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "OVER BUDGET"
    }
}

/// Peak resident set size of this process (Linux), in bytes.
fn peak_rss() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn main() {
    let mb = std::env::var("ENTRALINT_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let shape = std::env::var("ENTRALINT_BENCH_SHAPE").unwrap_or_else(|_| "realistic".to_owned());
    if shape == "scubagear" {
        scubagear();
        return;
    }
    let files = match shape.as_str() {
        "stress" => stress(mb),
        "dangling" => dangling(mb),
        "nesting" => nesting(mb),
        "many" => many(mb),
        _ => realistic(mb),
    };
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    if std::env::var_os("ENTRALINT_BENCH_CHILD").is_some() {
        let before = peak_rss().unwrap_or(0);
        let mut loaded = 0;
        let n = check(files, || loaded = peak_rss().unwrap_or(0)).findings;
        let after = peak_rss().unwrap_or(0);
        println!("{n} {before} {loaded} {after}");
        return;
    }
    let baseline = best_of(3, || {
        for (_, b) in &files {
            std::hint::black_box(serde_json::from_slice::<serde_json::Value>(b).unwrap());
        }
    });
    // The copy is made outside the timing: the CLI hands the bytes it read to the loader. Each
    // figure is the best of three runs (the total of the best run, each half at its best).
    let runs: Vec<Timing> = (0..3).map(|_| check(files.clone(), || ())).collect();
    let total = runs.iter().map(|r| r.load + r.rules).min().unwrap();
    let load = runs.iter().map(|r| r.load).min().unwrap();
    let rules = runs.iter().map(|r| r.rules).min().unwrap();
    let findings = runs[0].findings;
    println!(
        "input: {shape} tenant, {:.1} MB in {} files",
        bytes as f64 / 1e6,
        files.len()
    );
    let ratio = |d: Duration| d.as_secs_f64() / baseline.as_secs_f64();
    println!("serde_json::from_slice::<Value>: {baseline:?}");
    println!(
        "  load (files to tenant): {load:?} = {:.2}× the baseline",
        ratio(load)
    );
    println!(
        "  rules ({findings} findings): {rules:?} = {:.2}× the baseline",
        ratio(rules)
    );
    println!("entralint check (load + all rules): {total:?}");
    let r = ratio(total);
    println!(
        "time ratio: {r:.2} (budget {TIME_BUDGET:.2}) {}",
        verdict(r <= TIME_BUDGET)
    );

    // Memory in a fresh process, so the baseline's allocations do not count.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .env("ENTRALINT_BENCH_CHILD", "1")
        .env("ENTRALINT_BENCH_MB", mb.to_string())
        .env("ENTRALINT_BENCH_SHAPE", &shape)
        .output()
        .expect("child runs");
    let line = String::from_utf8_lossy(&out.stdout);
    let nums: Vec<usize> = line
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    if let [_, before, loaded, after] = nums[..] {
        // `before` holds the generated input itself; what check adds on top is what counts.
        let mb = |n: usize| n.saturating_sub(before) as f64 / 1e6;
        let factor = |n: usize| n.saturating_sub(before) as f64 / bytes as f64;
        println!(
            "  peak memory added by the load: {:.1} MB = {:.2}× the input",
            mb(loaded),
            factor(loaded)
        );
        println!(
            "peak memory added by check: {:.1} MB = {:.2}× the input (budget {MEMORY_BUDGET:.2}) {}",
            mb(after),
            factor(after),
            verdict(factor(after) <= MEMORY_BUDGET)
        );
    } else {
        println!("peak memory: not measurable on this platform");
    }
}
