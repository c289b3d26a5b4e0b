//! Quirks of real exports, each with a test, and bad input that must become a load
//! issue rather than a crash.

use entralint_parser::model::{BuiltInControl, PolicyState, RuleBody};
use entralint_parser::{load, Input, IssueKind, Kind, Origin, Pointer, Tenant};

fn one(path: &str, bytes: &[u8]) -> Tenant {
    load([Input::new(path.to_owned(), Ok(bytes.to_vec()))])
}

fn text(path: &str, text: &str) -> Tenant {
    one(path, text.as_bytes())
}

fn issues(t: &Tenant, kind: IssueKind) -> usize {
    t.issues.iter().filter(|i| i.kind == kind).count()
}

const POLICY: &str = r#"{
  "id": "3c4d5e6f-0100-4000-8000-000000000100",
  "displayName": "CA100 - Require MFA for admins",
  "state": "enabled",
  "conditions": {
    "users": { "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"], "excludeGroups": ["2b3c4d5e-0001-4000-8000-000000000001"] },
    "applications": { "includeApplications": ["All"] },
    "clientAppTypes": ["all"]
  },
  "grantControls": { "operator": "OR", "builtInControls": ["mfa"] }
}"#;

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

fn assert_policy_loaded(t: &Tenant) {
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    assert_eq!(t.conditional_access.len(), 1);
    let p = &t.conditional_access[0];
    assert_eq!(
        p.display_name.as_deref(),
        Some("CA100 - Require MFA for admins")
    );
    assert_eq!(p.state, Some(PolicyState::Enabled));
    assert_eq!(p.conditions.users.exclude_groups.len(), 1);
}

#[test]
fn utf8_with_bom() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(POLICY.as_bytes());
    assert_policy_loaded(&one("p.json", &bytes));
}

#[test]
fn utf16_le_and_be_with_bom() {
    assert_policy_loaded(&one("le.json", &utf16(POLICY, false)));
    assert_policy_loaded(&one("be.json", &utf16(POLICY, true)));
}

#[test]
fn null_empty_and_absent_collections_are_the_same() {
    let variants = [
        r#"{"displayName":"x","state":"enabled","conditions":{"users":{"excludeUsers":null}},"grantControls":null,"sessionControls":null}"#,
        r#"{"displayName":"x","state":"enabled","conditions":{"users":{"excludeUsers":[]}}}"#,
        r#"{"displayName":"x","state":"enabled","conditions":{"users":{}}}"#,
    ];
    for v in variants {
        let t = text("p.json", v);
        assert!(t.issues.is_empty(), "{v}: {:?}", t.issues);
        let p = &t.conditional_access[0];
        assert!(p.conditions.users.exclude_users.is_empty(), "{v}");
        assert!(p.grant_controls.is_none(), "{v}");
        assert!(p.session_controls.is_none(), "{v}");
    }
}

#[test]
fn odata_annotations_and_action_descriptors_are_ignored() {
    let t = text(
        "p.json",
        r##"{
          "@odata.context": "https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies/$entity",
          "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
          "#microsoft.graph.restore": {"title": "restore", "target": "x"},
          "state@odata.type": "#microsoft.graph.conditionalAccessPolicyState",
          "state": "enabledForReportingButNotEnforced",
          "displayName": "CA105",
          "conditions": {"users": {"includeUsers@odata.type": "#Collection(String)", "includeUsers": ["All"]}},
          "grantControls": {"authenticationStrength@odata.context": "https://graph.microsoft.com/beta/$metadata#x", "authenticationStrength": null}
        }"##,
    );
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    let p = &t.conditional_access[0];
    assert_eq!(p.state, Some(PolicyState::ReportOnly));
    assert!(p.conditions.users.includes_all_users());
    assert!(p.strength().is_none());
}

#[test]
fn comma_joined_flags_are_split_and_trimmed() {
    let t = text(
        "s.json",
        r#"[{"id":"s1","displayName":"Custom","allowedCombinations":["password, sms","fido2"],"requirementsSatisfied":"mfa"},
            {"displayName":"guests","state":"enabled","conditions":{"users":{"includeGuestsOrExternalUsers":
              {"guestOrExternalUserTypes":"internalGuest,b2bCollaborationGuest, serviceProvider"}}}}]"#,
    );
    let s = &t.authentication_strengths[0];
    assert_eq!(s.allowed_combinations[0].0, vec!["password", "sms"]);
    let guests = t.conditional_access[0]
        .conditions
        .users
        .include_guests_or_external_users
        .as_ref()
        .unwrap();
    assert_eq!(guests.guest_or_external_user_types.0.len(), 3);
    assert!(guests
        .guest_or_external_user_types
        .contains("serviceProvider"));
}

#[test]
fn unknown_enum_values_are_kept() {
    let t = text(
        "p.json",
        r#"{"displayName":"x","state":"enabledSomeday","conditions":{},"grantControls":{"operator":"XOR","builtInControls":["compliantNetwork","mfa"]}}"#,
    );
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    let p = &t.conditional_access[0];
    assert_eq!(p.state.as_ref().unwrap().as_str(), "enabledSomeday");
    let g = p.grant_controls.as_ref().unwrap();
    assert_eq!(
        g.built_in_controls[0],
        BuiltInControl::Unknown("compliantNetwork".into())
    );
    assert_eq!(g.built_in_controls[1], BuiltInControl::Mfa);
}

#[test]
fn pascal_case_keys_and_all_spellings() {
    let t = text(
        "scuba.json",
        r#"{"Id":"p1","DisplayName":"CA100","State":"Enabled","Conditions":{"Users":{"IncludeUsers":["all"]},
            "Applications":{"IncludeApplications":["All"]}},"GrantControls":{"Operator":"or","BuiltInControls":["MFA"]}}"#,
    );
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    let p = &t.conditional_access[0];
    assert_eq!(p.id.as_deref(), Some("p1"));
    assert!(p.is_enabled());
    assert!(p.conditions.users.includes_all_users());
    assert!(p.grant_controls.as_ref().unwrap().has(&BuiltInControl::Mfa));
}

#[test]
fn pim_rules_discriminate_by_type_and_fall_back_to_the_rule_id() {
    let t = text(
        "pim.json",
        r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies('DirectoryRole_t_p')/rules",
            "value":[
              {"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule","id":"AuthenticationContext_EndUser_Assignment","isEnabled":true,"claimValue":"c1"},
              {"id":"Enablement_EndUser_Assignment","enabledRules":["MultiFactorAuthentication","Justification"]},
              {"ruleType":"RoleManagementPolicyExpirationRule","id":"Expiration_EndUser_Assignment","maximumDuration":"PT8H"},
              {"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyFutureRule","id":"Future_EndUser_Assignment"}
            ]}"##,
    );
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    let p = &t.role_management_policies[0];
    assert_eq!(p.id.as_deref(), Some("DirectoryRole_t_p"));
    assert!(
        matches!(&p.rules[0].body, RuleBody::AuthenticationContext { is_enabled: true, claim_value: Some(c) } if c == "c1")
    );
    assert!(
        matches!(&p.rules[1].body, RuleBody::Enablement { enabled_rules } if enabled_rules.len() == 2)
    );
    assert!(matches!(&p.rules[2].body, RuleBody::Expiration { .. }));
    assert!(matches!(&p.rules[3].body, RuleBody::Unknown(t) if t.contains("FutureRule")));
    assert_eq!(
        p.rules[1].origin,
        Origin::new(p.origin.file, Pointer::parse("/value/1"))
    );
}

#[test]
fn exporter_pim_file_yields_eligibility_policy_and_assignment() {
    let t = text(
        "tenant/PIM/DirectoryRoles/s1.json",
        r##"{"id":"i1","principalId":"u1","roleDefinitionId":"62e90394-69f5-4237-9190-012177145e10","directoryScopeId":"/",
            "memberType":"Direct","roleEligibilityScheduleId":"s1","PrincipalName":"Alice","RoleName":"Global Administrator",
            "Policy":{"RoleName":null,"RoleID":"62e90394-69f5-4237-9190-012177145e10","PolicyID":"DirectoryRole_t_ga",
              "Rules":[{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyEnablementRule","id":"Enablement_EndUser_Assignment","enabledRules":["MultiFactorAuthentication"]}]}}"##,
    );
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    assert_eq!(t.inventory.count(Kind::RoleEligibilitySchedule), 1);
    assert_eq!(t.inventory.count(Kind::RoleManagementPolicy), 1);
    assert_eq!(
        t.policy_assignments[0].role_definition_id.as_deref(),
        Some("62e90394-69f5-4237-9190-012177145e10")
    );
    let rule = &t.role_management_policies[0].rules[0];
    assert_eq!(rule.origin.pointer.as_str(), "/policy/rules/0");
    // The canonical pointer resolves to the file's PascalCase keys.
    let span = t.sources.resolve(&rule.origin.at("enabledRules"));
    assert!(span.exact);
    assert_eq!(span.pointer, "/Policy/Rules/0/enabledRules");
}

#[test]
fn inventory_counts_files_kinds_and_unrecognized() {
    let t = load([
        Input::new("a/ca.json".into(), Ok(POLICY.as_bytes().to_vec())),
        Input::new("a/package.json".into(), Ok(br#"{"name":"x","version":"1.0.0"}"#.to_vec())),
        Input::new("a/empty-ctx.json".into(), Ok(br#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/authenticationContextClassReferences","value":[]}"#.to_vec())),
    ]);
    let inv = &t.inventory;
    assert_eq!(inv.files, 3);
    assert_eq!(inv.count(Kind::ConditionalAccessPolicy), 1);
    assert_eq!(inv.unrecognized.len(), 1);
    assert_eq!(t.sources.path(inv.unrecognized[0]), "a/package.json");
    assert!(
        inv.has(Kind::AuthenticationContext),
        "an empty collection means exported, none exist"
    );
    assert_eq!(inv.count(Kind::AuthenticationContext), 0);
    assert!(!inv.has(Kind::User));
    assert_eq!(inv.files_of(Kind::ConditionalAccessPolicy).count(), 1);
    let p = &t.conditional_access[0];
    assert_eq!(p.origin.pointer.as_str(), "");
}

#[test]
fn source_map_is_built_only_when_asked() {
    let t = text("p.json", POLICY);
    let (id, file) = t.sources.files().next().unwrap();
    assert!(!file.is_indexed(), "loading never builds the span index");
    let span = t.sources.resolve(
        &t.conditional_access[0]
            .origin
            .at("grantControls/builtInControls"),
    );
    assert!(t.sources.file(id).is_indexed());
    assert_eq!(&POLICY[span.value], r#"["mfa"]"#);
    // A missing field resolves to its nearest ancestor.
    let missing = t.sources.resolve(
        &t.conditional_access[0]
            .origin
            .at("sessionControls/signInFrequency"),
    );
    assert!(!missing.exact);
    assert_eq!(missing.pointer, "");
}

#[test]
fn invalid_json_is_an_issue_with_a_position_and_other_files_still_load() {
    let t = load([
        Input::new(
            "bad.json".into(),
            // (A trailing comma alone is read past: see producers.rs.)
            Ok(b"{\n  \"state\": \"enabled\",\n]".to_vec()),
        ),
        Input::new("good.json".into(), Ok(POLICY.as_bytes().to_vec())),
    ]);
    assert_eq!(issues(&t, IssueKind::Unreadable), 1);
    assert_eq!(t.conditional_access.len(), 1);
    let issue = &t.issues[0];
    let entralint_parser::IssueAt::Offset(offset) = issue.at else {
        panic!("{issue:?}")
    };
    let lc = t.sources.line_col(issue.file, offset);
    assert_eq!((lc.line, lc.column), (3, 1));
}

#[test]
fn empty_and_whitespace_files() {
    for body in ["", "  \n\t\n"] {
        let t = text("e.json", body);
        assert_eq!(issues(&t, IssueKind::Unreadable), 1);
        assert!(t.issues[0].message.contains("empty"));
    }
}

#[test]
fn binary_file_named_json() {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    let t = one("logo.json", &bytes);
    assert_eq!(issues(&t, IssueKind::Unreadable), 1);
    assert!(!t.sources.file(t.issues[0].file).text.contains('\u{1b}'));
}

#[test]
fn deeply_nested_json() {
    let t = text("deep.json", &"[".repeat(200_000));
    assert_eq!(issues(&t, IssueKind::Unreadable), 1);
    let t = text(
        "deep2.json",
        &format!("{}{}", "[".repeat(100), "]".repeat(100)),
    );
    assert!(t.issues.is_empty(), "100 levels are fine: {:?}", t.issues);
    assert_eq!(t.inventory.unrecognized.len(), 1);
}

#[test]
fn duplicate_keys_are_reported_and_the_last_value_wins() {
    let t = text(
        "dup.json",
        r#"{"displayName":"x","state":"disabled","conditions":{},"state":"enabled"}"#,
    );
    assert_eq!(issues(&t, IssueKind::DuplicateKey), 1);
    assert_eq!(t.conditional_access[0].state, Some(PolicyState::Enabled));
}

#[test]
fn paged_collection_and_depth_truncation() {
    let t = text(
        "users.json",
        r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=x",
            "value":[{"id":"u1","userPrincipalName":"a@contoso.com","displayName":"System.Collections.Hashtable"}]}"#,
    );
    assert_eq!(issues(&t, IssueKind::Paged), 1);
    assert_eq!(issues(&t, IssueKind::Truncated), 1);
    assert_eq!(t.users.len(), 1);
}

#[test]
fn a_field_of_the_wrong_type_is_reported_and_the_object_read_without_it() {
    let t = text(
        "ca.json",
        r#"{"value":[{"displayName":"a","state":"enabled","conditions":{"users":{"includeUsers":"All"}}},
                     {"displayName":"b","state":"enabled","conditions":{}}]}"#,
    );
    assert_eq!(issues(&t, IssueKind::Unreadable), 1);
    assert_eq!(t.conditional_access.len(), 2);
    let a = &t.conditional_access[0];
    assert_eq!(a.state, Some(PolicyState::Enabled));
    assert!(a.conditions.users.include_users.is_empty());
    let entralint_parser::IssueAt::Pointer(p) = &t.issues[0].at else {
        panic!()
    };
    assert_eq!(p.as_str(), "/value/0/conditions/users/includeUsers");
}

#[test]
fn unreadable_input_is_an_issue() {
    let t = load([Input::new(
        "locked.json".into(),
        Err("permission denied".into()),
    )]);
    assert_eq!(issues(&t, IssueKind::Unreadable), 1);
    assert!(t.issues[0].message.contains("permission denied"));
}

/// A 50 MB Graph collection loads completely (timing is the benchmark's business, not this test's).
#[test]
fn fifty_megabyte_collection() {
    let one = POLICY.replace('\n', "");
    let mut body = String::from(
        r#"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies","value":["#,
    );
    let mut n = 0;
    while body.len() < 50 * 1024 * 1024 {
        if n > 0 {
            body.push(',');
        }
        body.push_str(&one.replace("000000000100", &format!("{n:012}")));
        n += 1;
    }
    body.push_str("]}");
    let t = text("big.json", &body);
    assert!(t.issues.is_empty());
    assert_eq!(t.conditional_access.len(), n);
}

/// Each object is read in one pass when it can be, and the careful way when it needs care (a
/// repeated key, a truncated value, a null element, a type error): the results are the same, and
/// the objects around it are read as usual.
#[test]
fn objects_needing_care_among_plain_ones() {
    let t = text(
        "ca.json",
        r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies","value":[
            {"id":"p0","State":"enabled","Conditions":{"Users":{"IncludeUsers":["All"]}}},
            {"id":"p1","state":"enabled","conditions":{"users":{"includeUsers":["a"],"excludeUsers":["x"],"includeUsers":["b"]}}},
            {"id":"p2","state":"enabled","conditions":{"users":{"includeUsers":[null,"All"],"includeGroups":[null]}}},
            {"id":"p3","State":"enabled","Conditions":{"Users":{"IncludeUsers":"All"}}},
            {"id":"p4","state":"enabled","conditions":{"users":"Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers"}},
            {"id":"p5","state":"enabled","conditions":{"users":null,"applications":{"includeApplications":null}},"grantControls":null}
        ]}"#,
    );
    let ids: Vec<_> = t
        .conditional_access
        .iter()
        .map(|p| p.id.as_deref().unwrap())
        .collect();
    assert_eq!(ids, ["p0", "p1", "p2", "p3", "p4", "p5"], "{:?}", t.issues);
    let users = |i: usize| &t.conditional_access[i].conditions.users;
    assert_eq!(users(0).include_users, ["All"]);
    // A repeated key: the last value wins, and JSON002 points at both.
    assert_eq!(users(1).include_users, ["b"]);
    assert_eq!(users(1).exclude_users, ["x"]);
    // A null element becomes the empty value of its siblings' type, or goes.
    assert_eq!(users(2).include_users, ["", "All"]);
    assert!(users(2).include_groups.is_empty());
    // A member of the wrong type is read as absent.
    assert!(users(3).include_users.is_empty());
    // So is a depth-truncated one.
    assert_eq!(users(4), &Default::default());
    // Null members are absent ones.
    assert!(users(5).include_users.is_empty());
    assert!(t.conditional_access[5].grant_controls.is_none());

    let kinds: Vec<_> = t.issues.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        [
            IssueKind::DuplicateKey,
            IssueKind::Unreadable,
            IssueKind::Truncated,
        ]
    );
    let entralint_parser::IssueAt::DuplicateKey { parent, key } = &t.issues[0].at else {
        panic!("{:?}", t.issues[0])
    };
    assert_eq!(
        (parent.as_str(), key.as_str()),
        ("/value/1/conditions/users", "includeUsers")
    );
    assert_eq!(
        t.sources
            .key_occurrences(t.issues[0].file, parent, key)
            .len(),
        2
    );
    // The type error points at the field, in the file's own spelling once resolved.
    let issue = &t.issues[1];
    assert_eq!(
        issue.message,
        "`conditions.users.includeUsers` is a string, not an array: this CA policy is read without it"
    );
    let entralint_parser::IssueAt::Pointer(p) = &issue.at else {
        panic!("{issue:?}")
    };
    assert_eq!(p.as_str(), "/value/3/conditions/users/includeUsers");
    let span = t.sources.resolve(&Origin::new(issue.file, p.clone()));
    assert!(span.exact);
    assert_eq!(span.pointer, "/value/3/Conditions/Users/IncludeUsers");
    // The truncated value is reported where it is (and, not being an object, is read as absent).
    let entralint_parser::IssueAt::Pointer(p) = &t.issues[2].at else {
        panic!()
    };
    assert_eq!(p.as_str(), "/value/4/conditions/users");
}

/// Embedded objects are read with their parent: a policy's rules, a methods policy's method
/// configurations, an assignment's policy. Elements that are not objects are reported and
/// skipped, and a rule with a field of the wrong type is reported and read without it.
#[test]
fn embedded_objects_are_read_with_their_parent() {
    let t = text(
        "methods.json",
        r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/$entity",
            "id":"authenticationMethodsPolicy","AuthenticationMethodConfigurations":[
              {"@odata.type":"#microsoft.graph.fido2AuthenticationMethodConfiguration","id":"Fido2","state":"enabled"},
              {"id":"Sms","State":"disabled"}]}"##,
    );
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    assert_eq!(t.authentication_methods_policies.len(), 1);
    let configs = &t.method_configurations;
    assert_eq!(configs.len(), 2);
    assert_eq!(configs[1].state.as_deref(), Some("disabled"));
    assert_eq!(
        configs[1].origin.pointer.as_str(),
        "/authenticationMethodConfigurations/1"
    );

    let t = text(
        "assignments.json",
        r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicyAssignments(policy(rules()))",
            "value":[{"policyId":"p1","scopeId":"/","scopeType":"DirectoryRole","roleDefinitionId":"r1",
              "policy":{"id":"p1","rules":[
                {"id":"Expiration_EndUser_Assignment","maximumDuration":"PT2H"},
                "not a rule",
                {"id":"Enablement_EndUser_Assignment","enabledRules":"MultiFactorAuthentication"},
                {"id":"Approval_EndUser_Assignment"}]}}]}"##,
    );
    assert_eq!(t.policy_assignments.len(), 1);
    let policy = &t.role_management_policies[0];
    assert_eq!(policy.origin.pointer.as_str(), "/value/0/policy");
    let rules: Vec<_> = policy
        .rules
        .iter()
        .map(|r| r.origin.pointer.as_str())
        .collect();
    assert_eq!(
        rules,
        [
            "/value/0/policy/rules/0",
            "/value/0/policy/rules/2",
            "/value/0/policy/rules/3"
        ]
    );
    assert!(matches!(
        &policy.rules[1].body,
        RuleBody::Enablement { enabled_rules } if enabled_rules.is_empty()
    ));
    let messages: Vec<_> = t
        .issues
        .iter()
        .map(|i| (i.kind, i.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                IssueKind::Unreadable,
                "`rules[1]` is a string, not an object: this PIM policy is read without it"
            ),
            (
                IssueKind::Unreadable,
                "`enabledRules` is a string, not an array: this PIM policy rule is read without it"
            )
        ]
    );
}

/// Every embedded object and array the loader reads itself is checked for its JSON type too: one
/// of the wrong type is reported at its place and read as absent, and its parent is kept.
#[test]
fn embedded_values_of_the_wrong_type_are_reported_and_their_parent_kept() {
    let pointers = |t: &Tenant| -> Vec<(IssueKind, String)> {
        t.issues
            .iter()
            .map(|i| match &i.at {
                entralint_parser::IssueAt::Pointer(p) => (i.kind, p.to_string()),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    // A group's PIM file: its policy.
    let t = text(
        "tenant/PIM/Groups/g1.json",
        r#"{"id":"e1","groupId":"g1","accessId":"member","principalId":"u1","memberType":"direct","Policy":"none"}"#,
    );
    assert_eq!(pointers(&t), [(IssueKind::Unreadable, "/policy".into())]);
    assert_eq!(t.inventory.count(Kind::GroupEligibilitySchedule), 1);
    assert!(t.role_management_policies.is_empty());
    // A policy assignment: its embedded policy.
    let t = text(
        "assignments.json",
        r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicyAssignments(policy(rules()))",
            "value":[{"policyId":"p1","scopeId":"/","scopeType":"DirectoryRole","roleDefinitionId":"r1","policy":[]}]}"#,
    );
    assert_eq!(
        pointers(&t),
        [(IssueKind::Unreadable, "/value/0/policy".into())]
    );
    assert_eq!(t.policy_assignments.len(), 1);
    // A methods policy: its configurations, and one of them.
    let t = text(
        "methods.json",
        r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/$entity",
            "id":"authenticationMethodsPolicy","authenticationMethodConfigurations":{"id":"Fido2"}}"#,
    );
    assert_eq!(
        pointers(&t),
        [(
            IssueKind::Unreadable,
            "/authenticationMethodConfigurations".into()
        )]
    );
    assert_eq!(t.authentication_methods_policies.len(), 1);
    let t = text(
        "methods.json",
        r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/$entity",
            "id":"authenticationMethodsPolicy","authenticationMethodConfigurations":[7, {"id":"Fido2","state":"enabled"}]}"#,
    );
    assert_eq!(
        pointers(&t),
        [(
            IssueKind::Unreadable,
            "/authenticationMethodConfigurations/0".into()
        )]
    );
    assert_eq!(t.method_configurations.len(), 1);
    // The rules collection of one policy: an element that is not a rule.
    let t = text(
        "rules.json",
        r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicies('DirectoryRole_t_p')/rules",
            "value":[[], {"id":"Enablement_EndUser_Assignment","enabledRules":["Justification"]}]}"#,
    );
    assert_eq!(pointers(&t), [(IssueKind::Unreadable, "/value/0".into())]);
    assert_eq!(t.role_management_policies[0].rules.len(), 1);
    // A collection of users: an element that is not an object.
    let t = text(
        "users.json",
        r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":["u1", {"id":"u2"}]}"#,
    );
    assert_eq!(pointers(&t), [(IssueKind::Unreadable, "/value/0".into())]);
    assert_eq!(t.users.len(), 1);
    // Past the first three of one object, values of the wrong type are counted.
    let t = text(
        "p.json",
        r#"{"displayName":"x","state":"enabled","conditions":{"users":{"includeUsers":[1,2,3,4,5,"All"]}}}"#,
    );
    assert_eq!(t.issues.len(), 3);
    assert!(
        t.issues[2]
            .message
            .ends_with("(2 more values of the wrong type in this CA policy)"),
        "{}",
        t.issues[2].message
    );
    assert!(t.conditional_access[0]
        .conditions
        .users
        .includes_all_users());
}

/// Keys that differ only in case are one key for Microsoft Graph (PowerShell exporters write
/// PascalCase): a repetition is reported like any repeated key, the last value is read, and the
/// value read is the one a finding points at.
#[test]
fn keys_differing_only_in_case_are_repeated_keys() {
    let t = text(
        "p.json",
        r#"{"displayName":"x","state":"enabled","conditions":{},"State":"disabled"}"#,
    );
    assert_eq!(t.conditional_access[0].state, Some(PolicyState::Disabled));
    assert_eq!(issues(&t, IssueKind::DuplicateKey), 1, "{:?}", t.issues);
    let issue = &t.issues[0];
    assert_eq!(
        issue.message,
        "key `State` repeats `state` in the same object (keys that differ only in case are the same key); the last value is used"
    );
    let entralint_parser::IssueAt::DuplicateKey { parent, key } = &issue.at else {
        panic!("{issue:?}")
    };
    let spans = t.sources.key_occurrences(issue.file, parent, key);
    let text = &t.sources.file(issue.file).text;
    let keys: Vec<_> = spans.iter().map(|s| &text[s.clone()]).collect();
    assert_eq!(keys, ["\"state\"", "\"State\""]);
    // A finding about the state points at the value read.
    let span = t
        .sources
        .resolve(&t.conditional_access[0].origin.at("state"));
    assert_eq!(&text[span.value], "\"disabled\"");
}

/// An error inside a string is reported at the offending character: serde_json stops one
/// character before a control character and up to four after a bad `\u` escape. A lone trailing
/// surrogate is called so.
#[test]
fn errors_inside_strings_point_at_the_offending_character() {
    for (text, at, message) in [
        ("{\"a\": \"x\u{1}y\"}", 8, "invalid JSON: control character"),
        ("{\"a\":\n \"x\ny\"}", 9, "invalid JSON: control character"),
        (
            "{\"a\": \"\\uZZZZ\"}",
            9,
            "`\\u` takes four hexadecimal digits",
        ),
        (
            "{\"a\": \"\\u12\"}",
            11,
            "`\\u` takes four hexadecimal digits",
        ),
        (
            "{\"a\": \"ab\\uD83D\\u0Z00\"}",
            18,
            "`\\u` takes four hexadecimal digits",
        ),
        ("{\"a\": \"\\udc00\"}", 7, "lone trailing (low) surrogate"),
        ("[\"\\u00e9\\uDFFF\"]", 8, "lone trailing (low) surrogate"),
        ("{\"a\": \"\\uD800x\"}", 7, "lone leading (high) surrogate"),
        (
            "{\"a\": \"\\uD800\\u0041\"}",
            7,
            "lone leading (high) surrogate",
        ),
        // Not a `\u` escape: serde_json's place is right.
        (
            "{\"a\": \"\\\\u12\\q\"}",
            13,
            "invalid JSON: invalid escape",
        ),
    ] {
        let t = text_file(text);
        let issue = &t.issues[0];
        assert_eq!(
            issue.at,
            entralint_parser::IssueAt::Offset(at),
            "{text:?}: {issue:?}"
        );
        assert!(
            issue.message.contains(message),
            "{text:?}: {}",
            issue.message
        );
        assert!(
            !issue.message.contains("leading surrogate in hex escape")
                || message.contains("leading")
        );
    }
}

fn text_file(text: &str) -> Tenant {
    one("a.json", text.as_bytes())
}

#[test]
fn a_collection_with_any_instance_annotation_stays_a_collection() {
    // Graph Explorer and Invoke-MgGraphRequest add `@microsoft.graph.tips` when a request has no
    // $select; `@odata.count` and `@odata.deltaLink` come with $count and delta queries.
    let second = POLICY.replace("0100-4000-8000-000000000100", "0101-4000-8000-000000000101");
    let context = r#""@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies""#;
    let tips = r#""@microsoft.graph.tips": "Use $select to choose only the properties your app needs, as this can lead to performance improvements. For example: GET identity/conditionalAccess/policies?$select=conditions,createdDateTime""#;
    for members in [
        format!("{context}, {tips}"),
        format!("{tips}, {context}"),
        format!("{context}, \"@odata.count\": 2"),
        format!(
            "{context}, \"@odata.deltaLink\": \"https://graph.microsoft.com/v1.0/x?$deltatoken=y\""
        ),
    ] {
        let text = format!("{{{members}, \"value\": [{POLICY}, {second}]}}");
        let t = load([Input::new(
            "policies.json".to_owned(),
            Ok(text.into_bytes()),
        )]);
        assert_eq!(
            t.inventory.count(Kind::ConditionalAccessPolicy),
            2,
            "{members}: both policies, and no policy made of the envelope"
        );
        assert!(t.issues.is_empty(), "{members}: {:?}", t.issues);
    }
}

#[test]
fn pages_saved_as_files_are_one_collection() {
    let context = r#""@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies""#;
    let page = |n: u32, next: bool| {
        let policy = POLICY.replace(
            "0100-4000-8000-000000000100",
            &format!("0100-4000-8000-00000000010{n}"),
        );
        let link = if next {
            format!(
                r#""@odata.nextLink": "https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies?$skiptoken=p{n}", "#
            )
        } else {
            String::new()
        };
        Input::new(
            format!("export/policies/page-{n}.json"),
            Ok(format!("{{{context}, {link}\"value\": [{policy}]}}").into_bytes()),
        )
    };
    let paged = |t: &Tenant| {
        t.issues
            .iter()
            .filter(|i| i.kind == IssueKind::Paged)
            .count()
    };
    // Every page, the last one without a next link: complete, nothing to say.
    let t = load([page(1, true), page(2, true), page(3, false)]);
    assert_eq!(t.inventory.count(Kind::ConditionalAccessPolicy), 3);
    assert_eq!(paged(&t), 0, "{:?}", t.issues);
    // The last page is missing: said once for the collection, not once per page.
    let t = load([page(1, true), page(2, true)]);
    assert_eq!(paged(&t), 1, "{:?}", t.issues);
    // One page alone, as before.
    assert_eq!(paged(&load([page(1, true)])), 1);
}
