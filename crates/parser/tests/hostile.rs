//! Hostile input: small files shaped so that a step doing work per key, per member or per
//! finding over all the others would take minutes. Each test builds such a file in memory and
//! loads it; the sizes are chosen so that quadratic work takes minutes even in a release build,
//! while the linear reading takes well under a second in a debug one.

use entralint_parser::{load, Input, IssueAt, IssueKind, Tenant};

const POLICIES: &str =
    "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies";

fn text(path: &str, text: &str) -> Tenant {
    load([Input::new(path.to_owned(), Ok(text.as_bytes().to_vec()))])
}

fn issues(t: &Tenant, kind: IssueKind) -> Vec<&entralint_parser::LoadIssue> {
    t.issues.iter().filter(|i| i.kind == kind).collect()
}

/// `"<prefix>0": 1, "<prefix>1": 1, …` (`n` members, no trailing comma).
fn members(prefix: &str, n: usize) -> String {
    let mut out = String::with_capacity(n * (prefix.len() + 12));
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&format!("\"{prefix}{i}\": 1"));
    }
    out
}

/// A collection of one Conditional Access policy whose members are `body`.
fn one_policy(body: &str) -> String {
    format!(
        r#"{{"@odata.context": "{POLICIES}", "value": [{{"id": "p1", "displayName": "CA001", {body}, "state": "enabled"}}]}}"#
    )
}

#[test]
fn one_key_repeated_a_hundred_thousand_times_is_a_few_findings_with_the_count() {
    const N: usize = 100_000;
    let body = vec![r#""a": 1"#; N].join(", ");
    let t = text("policies.json", &one_policy(&body));
    assert_eq!(t.conditional_access.len(), 1);
    assert_eq!(
        t.conditional_access[0].display_name.as_deref(),
        Some("CA001")
    );
    let dups = issues(&t, IssueKind::DuplicateKey);
    assert_eq!(dups.len(), 3, "{:?}", &dups[..dups.len().min(5)]);
    // Each names the key and its object; the last one counts the repetitions not listed.
    for d in &dups {
        let IssueAt::DuplicateKey { parent, key } = &d.at else {
            panic!("{d:?}")
        };
        assert_eq!((parent.as_str(), key.as_str()), ("/value/0", "a"));
    }
    let more = N - 1 - 3;
    assert!(
        dups[2]
            .message
            .contains(&format!("and {more} more repeated keys follow in it")),
        "{}",
        dups[2].message
    );
    // Rendering a finding looks up every occurrence of its key once: a few findings, a few scans.
    let IssueAt::DuplicateKey { parent, key } = &dups[0].at else {
        unreachable!()
    };
    assert_eq!(
        t.sources.key_occurrences(dups[0].file, parent, key).len(),
        N
    );
}

#[test]
fn an_object_with_three_hundred_thousand_distinct_keys_is_read_in_one_pass() {
    let t = text("policies.json", &one_policy(&members("k", 300_000)));
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    assert_eq!(t.conditional_access.len(), 1);
    assert_eq!(
        t.conditional_access[0].display_name.as_deref(),
        Some("CA001")
    );
}

#[test]
fn an_object_with_three_hundred_thousand_distinct_keys_and_one_repeated_is_read_carefully() {
    let body = format!("{}, \"k7\": 2", members("k", 300_000));
    let t = text("policies.json", &one_policy(&body));
    assert_eq!(t.conditional_access.len(), 1);
    let dups = issues(&t, IssueKind::DuplicateKey);
    assert_eq!(dups.len(), 1, "{:?}", t.issues);
    assert!(matches!(&dups[0].at, IssueAt::DuplicateKey { key, .. } if key == "k7"));
}

#[test]
fn two_hundred_thousand_annotations_around_an_empty_collection() {
    let annotations = members("@odata.x", 200_000);
    // Other annotations before `@odata.context`: the file is validated whole, then read.
    let t = text(
        "policies.json",
        &format!(r#"{{{annotations}, "@odata.context": "{POLICIES}", "value": []}}"#),
    );
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    assert!(t.inventory.unrecognized.is_empty());
    // `@odata.context` first: the collection is read as it is parsed.
    let t = text(
        "policies.json",
        &format!(r#"{{"@odata.context": "{POLICIES}", {annotations}, "value": []}}"#),
    );
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    assert_eq!(t.inventory.objects.values().sum::<usize>(), 0);
    assert!(t
        .inventory
        .present
        .contains(&entralint_parser::Kind::ConditionalAccessPolicy));
}

#[test]
fn root_members_repeated_a_hundred_thousand_times_are_a_few_findings() {
    const N: usize = 100_000;
    let repeated = vec![r#""@odata.count": 1"#; N].join(", ");
    let t = text(
        "policies.json",
        &format!(r#"{{"@odata.context": "{POLICIES}", {repeated}, "value": []}}"#),
    );
    let dups = issues(&t, IssueKind::DuplicateKey);
    assert_eq!(dups.len(), 3);
    assert!(dups[2]
        .message
        .contains(&format!("and {} more repeated keys", N - 1 - 3)));
}

#[test]
fn twenty_thousand_findings_in_an_envelope_of_two_hundred_thousand_members_resolve_each_once() {
    const USERS: usize = 20_000;
    let users: Vec<String> = (0..USERS)
        .map(|i| format!(r#"{{"id": {i}, "userPrincipalName": "u{i}@contoso.com"}}"#))
        .collect();
    let body = format!(
        r#"{{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": [{}], {}}}"#,
        users.join(", "),
        members("@odata.x", 200_000)
    );
    let t = text("users.json", &body);
    assert_eq!(t.users.len(), USERS);
    let wrong = issues(&t, IssueKind::Unreadable);
    assert_eq!(wrong.len(), USERS);
    // Rendering a finding resolves its pointer: looking up `value` among the envelope's members
    // is done once, not once per finding.
    for issue in wrong {
        let IssueAt::Pointer(p) = &issue.at else {
            panic!("{issue:?}")
        };
        let span = t
            .sources
            .resolve(&entralint_parser::Origin::new(issue.file, p.clone()));
        assert!(span.exact, "{p}");
    }
}

#[test]
fn half_a_million_elements_that_are_not_objects_are_a_few_findings_with_the_count() {
    const N: usize = 500_000;
    let ones = vec!["1"; N].join(",");
    let t = text(
        "users.json",
        &format!(
            r#"{{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": [{ones}, {{"id": "u1"}}]}}"#
        ),
    );
    assert_eq!(t.users.len(), 1);
    let wrong = issues(&t, IssueKind::Unreadable);
    assert_eq!(wrong.len(), 3);
    assert!(
        wrong[2].message.ends_with(&format!(
            "({} more elements that are not objects in this collection)",
            N - 3
        )),
        "{}",
        wrong[2].message
    );
    // The same in an array the loader reads itself: a policy's rules.
    let t = text(
        "policy.json",
        &format!(
            r#"{{"id": "p1", "scopeId": "/", "scopeType": "DirectoryRole", "rules": [{ones}, {{"id": "Enablement_EndUser_Assignment"}}]}}"#
        ),
    );
    assert_eq!(t.role_management_policies[0].rules.len(), 1);
    let wrong = issues(&t, IssueKind::Unreadable);
    assert_eq!(wrong.len(), 3);
    assert!(
        wrong[2].message.ends_with(&format!(
            "({} more elements of `rules` that are not objects)",
            N - 3
        )),
        "{}",
        wrong[2].message
    );
}
