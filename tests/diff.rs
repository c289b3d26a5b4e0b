//! `entralint diff`: findings introduced and resolved by fingerprint, changes in security terms,
//! what Graph rewrites on write not taken for a change, and two revisions of a git repository.

mod common;

use common::{copy_dir, entralint_in, json, root, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const CA102: &str = "Identity/Conditional/AccessPolicies/3c4d5e6f-0102-4000-8000-000000000102/3c4d5e6f-0102-4000-8000-000000000102.json";
const CA001: &str = "Identity/Conditional/AccessPolicies/3c4d5e6f-0001-4000-8000-000000000001/3c4d5e6f-0001-4000-8000-000000000001.json";

/// The active fingerprints of `check --format json` over `path`.
fn fingerprints(dir: &Path, path: &str) -> BTreeSet<String> {
    let report = json(&entralint_in(dir, &["check", path, "--format", "json"]));
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .map(|f| f["fingerprint"].as_str().unwrap().to_owned())
        .collect()
}

fn listed(diff: &Value, key: &str) -> BTreeSet<String> {
    diff[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_owned())
        .collect()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn findings_introduced_and_resolved_are_those_whose_fingerprints_differ() {
    let d = root();
    let risky = fingerprints(&d, "examples/contoso-risky");
    let hardened = fingerprints(&d, "examples/contoso-hardened");
    let o = entralint_in(
        &d,
        &[
            "diff",
            "examples/contoso-risky",
            "examples/contoso-hardened",
            "-f",
            "json",
        ],
    );
    let diff = json(&o);
    assert_eq!(diff["version"], 1);
    assert_eq!(listed(&diff, "introduced"), &hardened - &risky);
    assert_eq!(listed(&diff, "resolved"), &risky - &hardened);
    assert_eq!(
        o.status.code(),
        Some(u8::from(!(&hardened - &risky).is_empty()).into())
    );
    // Hardening is seen in security terms: the report-only admin policy is enabled, and Global
    // Administrator's chain now needs a context.
    let changes = diff["changes"].as_array().unwrap();
    assert!(changes.iter().any(|c| c["object"]
        == "CA105 - Admins - Require phishing-resistant MFA"
        && c["field"] == "state"
        && c["before"] == "report-only"
        && c["after"] == "enabled"));
    assert!(changes.iter().any(|c| c["kind"] == "role"
        && c["object"] == "Global Administrator"
        && c["field"] == "verdict"
        && c["after"] == "phishingResistant"));

    // The other way round, the findings come back and fail the run.
    let o = entralint_in(
        &d,
        &[
            "diff",
            "examples/contoso-hardened",
            "examples/contoso-risky",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with(&format!("introduced ({}):\n", (&risky - &hardened).len())),
        "{text}"
    );
    assert!(
        text.contains("\n  ✖ PIM001 [critical] Global Administrator"),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with("changes in security terms"),
        "{text}"
    );
}

#[test]
fn what_graph_rewrites_on_write_is_not_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&root().join("examples/contoso-risky"), &d.join("old"));
    copy_dir(&root().join("examples/contoso-risky"), &d.join("new"));
    // The same exclusions in another order and case; `AND` for a grant with one control.
    edit(
        &d.join("new").join(CA102),
        "\"1a2b3c4d-0006-4000-8000-000000000006\",\n        \"1a2b3c4d-0008-4000-8000-000000000008\"",
        "\"1A2B3C4D-0008-4000-8000-000000000008\",\n        \"1a2b3c4d-0006-4000-8000-000000000006\"",
    );
    edit(
        &d.join("new").join(CA001),
        "\"operator\": \"OR\"",
        "\"operator\": \"AND\"",
    );
    let o = entralint_in(d, &["diff", "old", "new", "-f", "json"]);
    let diff = json(&o);
    assert_eq!(
        diff["changes"],
        serde_json::json!([]),
        "{}",
        diff["changes"]
    );
    assert_eq!(diff["introduced"], serde_json::json!([]));
    assert_eq!(diff["resolved"], serde_json::json!([]));
    assert_eq!(o.status.code(), Some(0));

    // A real change: a user excluded from the all-users MFA policy.
    edit(
        &d.join("new").join(CA102),
        "\"1a2b3c4d-0006-4000-8000-000000000006\"\n",
        "\"1a2b3c4d-0006-4000-8000-000000000006\",\n        \"1a2b3c4d-0001-4000-8000-000000000001\"\n",
    );
    let o = entralint_in(d, &["diff", "old", "new"]);
    let text = stdout(&o);
    assert!(
        text.contains("policy `CA102 - All users - Require MFA outside trusted locations` conditions.users.excludeUsers: (none) → Alice Admin (1a2b3c4d-0001-4000-8000-000000000001)"),
        "{text}"
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "the exclusion of an admin is a new finding: {text}"
    );
}

#[test]
fn two_revisions_of_a_git_repository_are_compared_as_laid_out_there() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let git = |args: &[&str]| {
        let o = std::process::Command::new("git")
            .current_dir(d)
            .args(args)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", d)
            .output()
            .expect("git runs");
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    copy_dir(&root().join("examples/contoso-risky"), &d.join("tenant"));
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "export"]);
    edit(
        &d.join("tenant").join(CA102),
        "\"state\": \"enabled\"",
        "\"state\": \"disabled\"",
    );
    git(&["commit", "-q", "-am", "disable CA102"]);
    // An uncommitted edit is not part of either revision.
    edit(
        &d.join("tenant").join(CA001),
        "\"state\": \"enabled\"",
        "\"state\": \"disabled\"",
    );

    let o = entralint_in(d, &["diff", "--git", "main~1..main", "tenant"]);
    let text = stdout(&o);
    assert!(
        text.contains("policy `CA102 - All users - Require MFA outside trusted locations` state: enabled → disabled"),
        "{text}{}",
        stderr(&o)
    );
    assert!(!text.contains("CA001"), "{text}");
    // Paths are shown as in the repository.
    assert!(text.contains(" — tenant/Identity/"), "{text}");
    let o = entralint_in(d, &["diff", "--git", "main", "tenant"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a range A..B"), "{}", stderr(&o));
    let o = entralint_in(d, &["diff", "--git", "main~1..nosuch", "tenant"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn the_json_diff_matches_its_schema_and_names_pim_settings_and_break_glass() {
    let d = root();
    let o = entralint_in(
        &d,
        &[
            "diff",
            "examples/contoso-risky",
            "examples/contoso-hardened",
            "-f",
            "json",
        ],
    );
    let diff = json(&o);
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("schemas/diff.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the diff schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&diff)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let changes = diff["changes"].as_array().unwrap();
    let has = |object: &str, field: &str| {
        changes
            .iter()
            .find(|c| c["object"] == object && c["field"] == field)
            .unwrap_or_else(|| panic!("no {field} change of {object}: {changes:#?}"))
    };
    let duration = has("Global Administrator", "activationMaximumDuration");
    assert_eq!(duration["before"], "PT8H");
    let excluded = has(
        "CA105 - Admins - Require phishing-resistant MFA",
        "conditions.users.excludeGroups",
    );
    assert!(
        excluded["after"]
            .as_str()
            .unwrap()
            .ends_with("[break-glass]"),
        "{excluded}"
    );
}

#[test]
fn the_markdown_diff_escapes_what_the_export_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&root().join("examples/contoso-risky"), &d.join("old"));
    copy_dir(&root().join("examples/contoso-risky"), &d.join("new"));
    edit(
        &d.join("new").join(CA001),
        "\"state\": \"enabled\"",
        "\"state\": \"disabled\"",
    );
    let text = std::fs::read_to_string(d.join("new").join(CA001)).unwrap();
    let name = text
        .split("\"displayName\": \"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    edit(
        &d.join("new").join(CA001),
        &format!("\"displayName\": \"{name}\""),
        "\"displayName\": \"<script>x</script> | `y`\"",
    );
    let o = entralint_in(d, &["diff", "old", "new", "-f", "markdown"]);
    let md = stdout(&o);
    assert!(md.starts_with("### entralint diff\n"), "{md}");
    assert!(
        md.contains("&lt;script&gt;x&lt;/script&gt; \\| \\`y\\`"),
        "{md}"
    );
    assert!(!md.contains("<script>"), "{md}");
    assert!(md.contains("| state | enabled | disabled |"), "{md}");
}
