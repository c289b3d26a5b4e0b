//! Exports shaped so that the work or the report would grow faster than the input: a policy with
//! hundreds of thousands of entries in one list, a policy that excludes thousands of levels of a
//! deep nesting of groups. Every rule runs on them. The sizes are chosen so that work
//! proportional to the square of the input would take minutes even in an optimised build, while
//! work proportional to the input takes about a second in a debug one; the tests assert on the
//! size of the report, never on time.

use entralint_lint::{run, Report, Settings};
use entralint_parser::{load, Input};

fn user(i: usize) -> String {
    format!("1a2b3c4d-0000-4000-8000-{i:012}")
}

fn group(i: usize) -> String {
    format!("2b3c4d5e-0000-4000-8000-{i:012}")
}

/// A Graph collection response.
fn envelope(context: &str, items: &[String]) -> Vec<u8> {
    format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#{context}","value":[{}]}}"#,
        items.join(",")
    )
    .into_bytes()
}

/// An enabled policy that requires MFA of all users for all apps, with these exclusions.
fn policy(users: &str) -> String {
    format!(
        r#"{{"id":"3c4d5e6f-0000-4000-8000-000000000001","displayName":"CA001 - Require MFA","state":"enabled","conditions":{{"users":{{"includeUsers":["All"],{users}}},"applications":{{"includeApplications":["All"]}},"clientAppTypes":["all"]}},"grantControls":{{"operator":"OR","builtInControls":["mfa"]}}}}"#
    )
}

fn lint(files: Vec<(&str, Vec<u8>)>) -> Report {
    let tenant = load(
        files
            .into_iter()
            .map(|(path, bytes)| Input::new(path.to_owned(), Ok(bytes))),
    );
    run(&tenant, &Settings::default())
}

/// The report is bounded by the number of objects: a few findings, each of bounded size.
fn assert_bounded(report: &Report) {
    assert!(
        report.findings.len() < 40,
        "{} findings: {:?}",
        report.findings.len(),
        report
            .findings
            .iter()
            .map(|r| r.finding.code)
            .collect::<Vec<_>>()
    );
    for r in &report.findings {
        assert!(
            r.finding.message.len() < 2000 && r.related.len() <= 12,
            "{}: a message of {} bytes with {} related locations",
            r.finding.code,
            r.finding.message.len(),
            r.related.len()
        );
    }
}

fn count(report: &Report, code: &str) -> usize {
    report
        .findings
        .iter()
        .filter(|r| r.finding.code == code)
        .count()
}

/// 200,000 ids of deleted users in one `excludeUsers`: one HYG002 finding for the list, at its
/// first entry, naming the count. Before, one finding per id (and a related location per id in
/// ADM001 and ADM002).
#[test]
fn a_list_of_200000_dangling_ids_is_one_finding() {
    const N: usize = 200_000;
    let excluded: Vec<String> = (1..=N).map(|i| format!("\"{}\"", user(i))).collect();
    let users = vec![format!(r#"{{"id":"{}","displayName":"User 0"}}"#, user(0))];
    let report = lint(vec![
        ("users.json", envelope("users", &users)),
        (
            "policies.json",
            envelope(
                "identity/conditionalAccess/policies",
                &[policy(&format!(
                    r#""excludeUsers":[{}]"#,
                    excluded.join(",")
                ))],
            ),
        ),
    ]);
    assert_bounded(&report);
    assert_eq!(count(&report, "HYG002"), 1);
    let dangling = report
        .findings
        .iter()
        .find(|r| r.finding.code == "HYG002")
        .unwrap();
    assert!(
        dangling
            .finding
            .message
            .contains(&format!("excludes {N} users")),
        "{}",
        dangling.finding.message
    );
    assert!(dangling.finding.message.contains(&user(1)));
    assert!(dangling
        .pointer
        .ends_with("/conditions/users/excludeUsers/0"));
}

/// A chain of 50,000 nested groups, each holding one user, excluded at each of its top 2,000
/// levels. Before, each excluded level walked the whole chain below it again, and the rules that
/// list excluded users reported each user of each level.
#[test]
fn a_deep_nesting_excluded_at_2000_levels_is_walked_once() {
    const GROUPS: usize = 50_000;
    const LEVELS: usize = 2_000;
    let groups: Vec<String> = (0..GROUPS)
        .map(|i| {
            let nested = if i + 1 < GROUPS {
                format!(
                    r##",{{"@odata.type":"#microsoft.graph.group","id":"{}"}}"##,
                    group(i + 1)
                )
            } else {
                String::new()
            };
            format!(
                r##"{{"id":"{}","displayName":"Level {i}","securityEnabled":true,"isAssignableToRole":true,"members":[{{"@odata.type":"#microsoft.graph.user","id":"{}"}}{nested}]}}"##,
                group(i),
                user(i)
            )
        })
        .collect();
    let users: Vec<String> = (0..GROUPS)
        .map(|i| format!(r#"{{"id":"{}","displayName":"User {i}"}}"#, user(i)))
        .collect();
    let excluded: Vec<String> = (0..LEVELS).map(|i| format!("\"{}\"", group(i))).collect();
    let report = lint(vec![
        ("groups.json", envelope("groups(members())", &groups)),
        ("users.json", envelope("users", &users)),
        (
            "policies.json",
            envelope(
                "identity/conditionalAccess/policies",
                &[policy(&format!(
                    r#""excludeGroups":[{}]"#,
                    excluded.join(",")
                ))],
            ),
        ),
    ]);
    assert_bounded(&report);
    // Every user of the chain is excluded through its first level, and counted once.
    let sprawl: Vec<&str> = report
        .findings
        .iter()
        .filter(|r| r.finding.code == "BG005")
        .map(|r| r.finding.message.as_str())
        .collect();
    assert!(
        sprawl
            .iter()
            .any(|m| m.contains(&format!("excludes {GROUPS} users"))),
        "{sprawl:?}"
    );
    assert!(
        sprawl.iter().any(|m| m.contains(&format!(
            "excludes {GROUPS} accounts through its excluded groups"
        ))),
        "{sprawl:?}"
    );
}

/// 400 policies, each excluding ten of 2,000 groups (teams of five in departments of nineteen)
/// and ten users. No rule reports more than a dozen findings about one policy: past ten, the
/// users and groups of one list are one finding. Before, BG005 reported each excluded user of
/// each policy, some fifty a policy.
#[test]
fn many_policies_over_many_groups_report_a_bounded_number_each() {
    const POLICIES: usize = 400;
    const DEPARTMENTS: usize = 100;
    const TEAMS: usize = DEPARTMENTS * 19;
    const USERS: usize = 5_000;
    // A linear congruential sequence: the same tenant on every run.
    let mut state = 7u64;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let member = |kind: &str, id: String| {
        format!(r##"{{"@odata.type":"#microsoft.graph.{kind}","id":"{id}"}}"##)
    };
    let mut groups = Vec::new();
    for i in 0..TEAMS {
        let members: Vec<String> = (0..5).map(|_| member("user", user(next(USERS)))).collect();
        groups.push(format!(
            r#"{{"id":"{}","displayName":"Team {i}","securityEnabled":true,"isAssignableToRole":{},"members":[{}]}}"#,
            group(i),
            i % 2 == 0,
            members.join(",")
        ));
    }
    for d in 0..DEPARTMENTS {
        let members: Vec<String> = (0..19)
            .map(|k| member("group", group(d * 19 + k)))
            .collect();
        groups.push(format!(
            r#"{{"id":"{}","displayName":"Department {d}","securityEnabled":true,"isAssignableToRole":true,"members":[{}]}}"#,
            group(TEAMS + d),
            members.join(",")
        ));
    }
    let users: Vec<String> = (0..USERS)
        .map(|i| format!(r#"{{"id":"{}","displayName":"User {i}"}}"#, user(i)))
        .collect();
    let policies: Vec<String> = (0..POLICIES)
        .map(|p| {
            let excluded_groups: Vec<String> = (0..10)
                .map(|_| format!("\"{}\"", group(next(TEAMS + DEPARTMENTS))))
                .collect();
            let excluded_users: Vec<String> = (0..10)
                .map(|_| format!("\"{}\"", user(next(USERS))))
                .collect();
            policy(&format!(
                r#""excludeGroups":[{}],"excludeUsers":[{}]"#,
                excluded_groups.join(","),
                excluded_users.join(",")
            ))
            .replace(
                "3c4d5e6f-0000-4000-8000-000000000001",
                &format!("3c4d5e6f-0000-4000-8000-{p:012}"),
            )
        })
        .collect();
    let report = lint(vec![
        ("groups.json", envelope("groups(members())", &groups)),
        ("users.json", envelope("users", &users)),
        (
            "policies.json",
            envelope("identity/conditionalAccess/policies", &policies),
        ),
    ]);
    let mut per_policy: std::collections::HashMap<(&str, &str), usize> =
        std::collections::HashMap::new();
    for r in &report.findings {
        if let Some(id) = r.finding.subject.as_ref().and_then(|s| s.id.as_deref()) {
            *per_policy.entry((r.finding.code, id)).or_default() += 1;
        }
    }
    let most = per_policy.iter().max_by_key(|(_, n)| **n);
    assert!(
        most.is_none_or(|(_, n)| *n <= 12),
        "the most findings of one rule about one policy: {most:?}"
    );
    // ADM001 shows the closest policy's exclusions one by one, ten of each list at most, and
    // three other candidates.
    for r in &report.findings {
        assert!(
            r.finding.message.len() < 2000 && r.related.len() <= 24,
            "{}: a message of {} bytes with {} related locations",
            r.finding.code,
            r.finding.message.len(),
            r.related.len()
        );
    }
}

/// A policy with 100,000 grant controls Graph does not know and 3,000 keys it does not define:
/// ten findings of each rule, and one that counts the rest.
#[test]
fn a_policy_with_100000_unknown_values_is_a_few_findings() {
    const VALUES: usize = 100_000;
    const KEYS: usize = 3_000;
    let keys: Vec<String> = (0..KEYS).map(|i| format!(r#""note{i}":{i}"#)).collect();
    let controls: Vec<String> = (0..VALUES).map(|i| format!(r#""control{i}""#)).collect();
    let policy = format!(
        r#"{{"id":"3c4d5e6f-0000-4000-8000-000000000001","displayName":"CA001 - Require MFA","state":"enabled",{},"conditions":{{"users":{{"includeUsers":["All"]}},"applications":{{"includeApplications":["All"]}},"clientAppTypes":["all"]}},"grantControls":{{"operator":"OR","builtInControls":[{}]}}}}"#,
        keys.join(","),
        controls.join(",")
    );
    let report = lint(vec![(
        "policies.json",
        envelope("identity/conditionalAccess/policies", &[policy]),
    )]);
    assert_bounded(&report);
    for code in ["JSON007", "JSON008"] {
        assert_eq!(count(&report, code), 11, "{code}");
    }
    let more = |code: &str, text: &str| {
        report
            .findings
            .iter()
            .any(|r| r.finding.code == code && r.finding.message.contains(text))
    };
    assert!(more("JSON007", &format!("{} more values", VALUES - 10)));
    assert!(more("JSON008", &format!("{} more properties", KEYS - 10)));
}
