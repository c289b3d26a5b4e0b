//! Meta-tests of the registry: codes, names, documentation sections, fixture folders. The doc
//! examples are executed one by one in rules.rs (`CODE::doc_example_N`).

mod common;

use entralint_lint::{docs, rules};

#[test]
fn codes_are_unique_sorted_and_well_formed() {
    let codes: Vec<&str> = rules::ALL.iter().map(|r| r.code).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        codes, sorted,
        "the registry must be sorted by code, without repeats"
    );
    for code in codes {
        let (letters, digits) = code.split_at(code.len() - 3);
        assert!(
            (2..=4).contains(&letters.len()) && letters.chars().all(|c| c.is_ascii_uppercase()),
            "{code}: family letters"
        );
        assert!(
            digits.chars().all(|c| c.is_ascii_digit()),
            "{code}: three digits"
        );
    }
}

#[test]
fn names_are_kebab_case_problems() {
    let mut names: Vec<&str> = rules::ALL.iter().map(|r| r.name).collect();
    for name in &names {
        assert!(
            name.split('-').all(|w| !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
            "{name} is not kebab-case"
        );
        for bad in ["avoid-", "use-", "prefer-", "do-not-", "no-"] {
            assert!(
                !name.starts_with(bad),
                "{name}: a name states the problem, not an instruction"
            );
        }
    }
    names.sort();
    let n = names.len();
    names.dedup();
    assert_eq!(names.len(), n, "rule names are unique");
}

#[test]
fn docs_have_the_required_sections() {
    for rule in rules::ALL.iter() {
        let summary = rule.summary();
        assert!(
            !summary.is_empty() && summary.ends_with('.'),
            "{}: one-line summary ending with a period",
            rule.code
        );
        let headings = docs::headings(rule);
        for required in ["Why is this bad?", "Example", "How to fix"] {
            assert!(
                headings.iter().any(|h| h == required),
                "{}: missing `## {required}`",
                rule.code
            );
        }
        for h in &headings {
            assert!(
                [
                    "Why is this bad?",
                    "Example",
                    "How to fix",
                    "Options",
                    "References"
                ]
                .contains(&h.as_str()),
                "{}: unexpected section `## {h}`",
                rule.code
            );
        }
        assert!(
            docs::examples(rule).iter().any(|e| e.fails),
            "{}: needs a ```json fail (or ```toml fail) example",
            rule.code
        );
    }
}

#[test]
fn every_rule_has_fixtures_and_every_fixture_folder_a_rule() {
    let root = common::fixtures_dir();
    for rule in rules::ALL.iter() {
        let dir = root.join(rule.code);
        let cases: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{}: no fixture folder {}", rule.code, dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            cases.iter().any(|c| c.starts_with("fail_")),
            "{}: needs a fail_ fixture",
            rule.code
        );
        assert!(
            cases.iter().any(|c| c.starts_with("pass_")),
            "{}: needs a pass_ fixture",
            rule.code
        );
    }
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            rules::by_code(&name).is_some(),
            "fixture folder {name} is not a registered rule"
        );
    }
}

#[test]
fn every_loader_issue_is_reported_by_exactly_one_rule() {
    use entralint_parser::IssueKind;
    // Listing the kinds in an exhaustive match makes a new kind a compile error here.
    let kinds = [
        IssueKind::Unreadable,
        IssueKind::DuplicateKey,
        IssueKind::Paged,
        IssueKind::Truncated,
        IssueKind::Conflict,
        IssueKind::Foreign,
        IssueKind::Lossy,
    ];
    for kind in kinds {
        match kind {
            IssueKind::Unreadable
            | IssueKind::DuplicateKey
            | IssueKind::Paged
            | IssueKind::Truncated
            | IssueKind::Conflict
            | IssueKind::Foreign
            | IssueKind::Lossy => {}
            // The low-severity side of a lossy snapshot: reported by JSON013 beside `Lossy`.
            IssueKind::Translated | IssueKind::Unread => unreachable!(),
        }
        let reporters: Vec<&str> = rules::ALL
            .iter()
            .filter(|r| r.issue == Some(kind))
            .map(|r| r.code)
            .collect();
        assert_eq!(reporters.len(), 1, "{kind:?} is reported by {reporters:?}");
    }
}
