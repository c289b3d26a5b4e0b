//! One case per class of bad input, each beside good input: the run never panics, exits 1 with a
//! located JSON finding on the bad file (never 2, never a silent pass), and still lints the rest.
//! Sizes are chosen so that quadratic work would take minutes; the suite runs in seconds when
//! every step is linear.
//!
//! Classes: invalid JSON of every kind, truncation, binary and undecodable bytes, the encodings
//! Windows writes and UTF-32, nesting far too deep, duplicate keys (and keys differing only in
//! case), paged and depth-truncated exports, a 50 MB file, odd file names and symlink loops, one
//! key repeated 100,000 times, an object of a million keys, a collection with 200,000
//! annotations, 200,000 dangling ids in one list (a bounded report), and values of the wrong JSON
//! type at every level the loader reads. Elsewhere in tests/: FIFOs, devices and standard input
//! (gate_inputs.rs), outputs that would overwrite an input and unreadable folders or over-long
//! paths (hostile_cli.rs), folders above the export and baselines from another folder
//! (hostile_paths.rs), hostile strings in every output format (render_robustness.rs).

use std::path::Path;
use std::process::{Command, Output};

/// A policy that always yields findings (report-only MFA for everyone), to show it was linted.
const GOOD: &str = r#"{"id":"3c4d5e6f-0000-4000-8000-000000000001","displayName":"Require MFA","state":"enabledForReportingButNotEnforced","conditions":{"users":{"includeUsers":["All"]},"applications":{"includeApplications":["All"]}},"grantControls":{"operator":"OR","builtInControls":["mfa"]}}"#;

fn entralint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_entralint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("entralint runs")
}

/// Lints `bad` (under the name `name`) beside the good policy; returns the JSON findings of the
/// JSON family on the bad file, after checking the run's invariants.
fn lint_beside_good(name: &str, bad: &[u8]) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.json"), GOOD).unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bad).unwrap();
    let o = entralint(
        dir.path(),
        &["check", ".", "--isolated", "--format", "json"],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{name}: {err}");
    assert_eq!(o.status.code(), Some(1), "{name}: {err}");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["location"]["file"] == "good.json" && f["code"] != "JSON001"),
        "{name}: the good file is still linted: {report}"
    );
    let on_bad: Vec<serde_json::Value> = findings
        .iter()
        .filter(|f| f["location"]["file"] == name)
        .filter(|f| f["code"].as_str().unwrap().starts_with("JSON"))
        .cloned()
        .collect();
    for f in &on_bad {
        assert!(
            f["location"]["line"].as_u64().unwrap() >= 1,
            "{name}: located: {f}"
        );
    }
    on_bad
}

fn codes(findings: &[serde_json::Value]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

#[test]
fn invalid_json_of_every_kind_is_json001_at_its_place() {
    for (name, text, line) in [
        // Read past, and reported at the comma itself.
        ("trailing-comma.json", "{\n  \"a\": 1,\n}\n", 2),
        ("comment.json", "// exported\n{}\n", 1),
        ("unterminated.json", "{\"displayName\": \"half", 1),
        ("garbage-after.json", "{}\n}\n", 2),
        ("empty.json", "", 1),
        ("only-spaces.json", "   \n  ", 1),
        ("bad-escape.json", "{\"a\": \"\\x\"}", 1),
        ("lone-surrogate.json", "{\"a\": \"\\udc00\"}", 1),
        ("nan.json", "{\"a\": NaN}", 1),
    ] {
        let found = lint_beside_good(name, text.as_bytes());
        assert_eq!(codes(&found), ["JSON001"], "{name}");
        assert_eq!(found[0]["location"]["line"], line, "{name}: {:?}", found[0]);
    }
}

#[test]
fn binary_and_undecodable_files_are_json001() {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend((0u8..=255).cycle().take(4096));
    for (name, bytes) in [
        ("image.json", png),
        ("latin1.json", b"{\"displayName\": \"caf\xe9\"}".to_vec()),
        ("nul.json", vec![0u8; 1024]),
    ] {
        assert_eq!(
            codes(&lint_beside_good(name, &bytes)),
            ["JSON001"],
            "{name}"
        );
    }
}

#[test]
fn encodings_windows_writes_are_read() {
    let policy = GOOD.replace("Require MFA", "UTF-16 policy");
    let mut le = vec![0xff, 0xfe];
    le.extend(policy.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xfe, 0xff];
    be.extend(policy.encode_utf16().flat_map(u16::to_be_bytes));
    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend(policy.replace("UTF-16", "UTF-8 BOM").bytes());
    for (name, bytes) in [("le.json", le), ("be.json", be), ("bom.json", bom)] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let o = entralint(
            dir.path(),
            &["check", ".", "--isolated", "--format", "json"],
        );
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(
            report["inventory"]["objects"]["conditionalAccessPolicies"], 1,
            "{name}: {report}"
        );
    }
}

#[test]
fn nesting_far_too_deep_is_json001_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(
        codes(&lint_beside_good("deep.json", deep.as_bytes())),
        ["JSON001"]
    );
    let deep_object = format!(
        "{{\"displayName\": \"x\", \"conditions\": {}{}}}",
        "{\"a\":".repeat(50_000),
        "}".repeat(50_000)
    );
    assert_eq!(
        codes(&lint_beside_good(
            "deep-object.json",
            deep_object.as_bytes()
        )),
        ["JSON001"]
    );
}

#[test]
fn duplicate_keys_and_truncated_values_are_reported_and_read() {
    let dup = "{\n  \"displayName\": \"CA300\",\n  \"state\": \"enabled\",\n  \"state\": \"disabled\",\n  \"conditions\": {}\n}\n";
    assert_eq!(
        codes(&lint_beside_good("dup.json", dup.as_bytes())),
        ["JSON002"]
    );
    let truncated = r#"{"displayName": "Deep", "state": "enabled", "conditions": {"users": "Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers"}}"#;
    // The type name is JSON004; the field it replaced is read as absent, not reported again.
    let found = lint_beside_good("truncated.json", truncated.as_bytes());
    assert_eq!(codes(&found), ["JSON004"], "{found:?}");
    let paged = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies", "@odata.nextLink": "https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies?$skiptoken=x", "value": []}"#;
    assert_eq!(
        codes(&lint_beside_good("paged.json", paged.as_bytes())),
        ["JSON003"]
    );
}

#[test]
fn a_large_file_is_read_whole() {
    // 50 MB of users in one collection: read, counted, and the good file still linted.
    let mut users = String::from(
        "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#users\",\"value\":[",
    );
    let mut n = 0;
    while users.len() < 50 << 20 {
        if n > 0 {
            users.push(',');
        }
        users.push_str(&format!(
            "{{\"id\":\"1a2b3c4d-0000-4000-8000-{n:012}\",\"displayName\":\"User {n}\",\"userPrincipalName\":\"user{n}@contoso.com\"}}"
        ));
        n += 1;
    }
    users.push_str("]}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.json"), GOOD).unwrap();
    std::fs::write(dir.path().join("users.json"), &users).unwrap();
    let o = entralint(
        dir.path(),
        &["check", ".", "--isolated", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        report["inventory"]["objects"]["users"], n,
        "every user is read"
    );
}

#[cfg(unix)]
#[test]
fn odd_names_and_symlink_loops_do_not_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.json"), GOOD).unwrap();
    std::fs::write(
        dir.path().join("with space & ünïcödé.json"),
        GOOD.replace("-000000000001", "-000000000002"),
    )
    .unwrap();
    std::fs::write(dir.path().join("-starts-with-dash.json"), "{").unwrap();
    std::fs::create_dir(dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("loop/parent")).unwrap();
    std::os::unix::fs::symlink("missing.json", dir.path().join("dangling.json")).unwrap();
    let o = entralint(
        dir.path(),
        &["check", ".", "--isolated", "--format", "json"],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(o.status.code(), Some(1), "{err}");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        report["inventory"]["objects"]["conditionalAccessPolicies"], 2,
        "{report}"
    );
    let files: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "JSON001")
        .map(|f| f["location"]["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"-starts-with-dash.json"), "{files:?}");
}

/// GOOD with `extra` members inserted after its `id` (a policy id of its own).
fn policy_with(id_suffix: &str, extra: &str) -> String {
    GOOD.replacen(
        "\"id\":\"3c4d5e6f-0000-4000-8000-000000000001\",",
        &format!("\"id\":\"3c4d5e6f-0000-4000-8000-{id_suffix}\",{extra}"),
        1,
    )
}

#[test]
fn many_repetitions_of_one_key_are_one_bounded_finding() {
    // 100,000 repetitions: re-scanning the object for each would take minutes.
    let extra = "\"state\":\"disabled\",".repeat(100_000);
    let found = lint_beside_good(
        "repeated.json",
        policy_with("000000000101", &extra).as_bytes(),
    );
    assert!(
        !found.is_empty() && found.iter().all(|f| f["code"] == "JSON002"),
        "{found:?}"
    );
    assert!(
        found.len() <= 5,
        "a bounded number of findings, not one per repetition: {}",
        found.len()
    );
}

#[test]
fn an_object_with_a_million_distinct_keys_is_read_in_linear_time() {
    // Checking each key against every key seen before would take minutes.
    let mut extra = String::with_capacity(20 << 20);
    for i in 0..1_000_000 {
        extra.push_str(&format!("\"k{i}\":0,"));
    }
    let found = lint_beside_good("wide.json", policy_with("000000000102", &extra).as_bytes());
    assert!(found.iter().all(|f| f["code"] != "JSON001"), "{found:?}");
}

#[test]
fn a_collection_with_many_annotations_is_read_in_linear_time() {
    let mut text = String::from(
        "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies\",",
    );
    for i in 0..200_000 {
        text.push_str(&format!("\"@odata.note{i}\":{i},"));
    }
    text.push_str(&format!(
        "\"value\":[{}]}}",
        policy_with("000000000103", "")
    ));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("policies.json"), &text).unwrap();
    let o = entralint(
        dir.path(),
        &["check", ".", "--isolated", "--format", "json"],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        report["inventory"]["objects"]["conditionalAccessPolicies"], 1,
        "the collection's policy is read: {}",
        report["inventory"]
    );
}

#[test]
fn a_million_dangling_ids_make_a_bounded_report() {
    // One dangling-reference finding per id made a 627 MB SARIF file; they aggregate per field.
    let n = 200_000;
    let ids: Vec<String> = (0..n)
        .map(|i| format!("\"1a2b3c4d-ffff-4000-8000-{i:012}\""))
        .collect();
    let policy = GOOD.replace(
        "\"includeUsers\":[\"All\"]",
        &format!(
            "\"includeUsers\":[\"All\"],\"excludeUsers\":[{}]",
            ids.join(",")
        ),
    );
    let users = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[{"id":"1a2b3c4d-0000-4000-8000-000000000001","displayName":"Alice"}]}"#;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("policy.json"), &policy).unwrap();
    std::fs::write(dir.path().join("users.json"), users).unwrap();
    for format in ["json", "sarif"] {
        let o = entralint(
            dir.path(),
            &["check", ".", "--isolated", "--format", format],
        );
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            o.stdout.len() < policy.len() / 4,
            "{format}: the report ({} bytes) is bounded by the objects, not the {n} ids",
            o.stdout.len()
        );
        if format == "json" {
            let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            let dangling = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["code"] == "HYG002")
                .count();
            assert!((1..=3).contains(&dangling), "{dangling} HYG002 findings");
        }
    }
}

#[test]
fn keys_that_differ_only_in_case_are_duplicates() {
    // PowerShell exporters write PascalCase; Graph's JSON reader ignores the case of names.
    let text = "{\n  \"id\": \"3c4d5e6f-0000-4000-8000-000000000104\",\n  \"displayName\": \"CA104\",\n  \"state\": \"enabled\",\n  \"State\": \"disabled\",\n  \"conditions\": {}\n}\n";
    let found = lint_beside_good("case.json", text.as_bytes());
    assert_eq!(codes(&found), ["JSON002"], "{found:?}");
    assert_eq!(
        found[0]["location"]["line"], 5,
        "the later key is marked: {:?}",
        found[0]
    );
}

#[test]
fn utf32_is_named_as_such() {
    let mut bytes = vec![0xFF, 0xFE, 0x00, 0x00];
    for c in GOOD.chars() {
        bytes.extend_from_slice(&(c as u32).to_le_bytes());
    }
    let found = lint_beside_good("utf32.json", &bytes);
    assert_eq!(codes(&found), ["JSON001"], "{found:?}");
    assert!(
        found[0]["message"].as_str().unwrap().contains("UTF-32"),
        "the encoding is named: {found:?}"
    );
}

mod common;

#[test]
fn a_field_of_the_wrong_type_is_located_and_the_object_still_read() {
    let ga = "tenant/PIM/DirectoryRoles/f0e1d2c3-0001-4000-8000-000000000001.json";
    let ca = "tenant/Identity/Conditional/AccessPolicies/3c4d5e6f-0211-4000-8000-000000000211/3c4d5e6f-0211-4000-8000-000000000211.json";
    for (file, pointer, bad) in [
        (ga, "/Policy/Rules", serde_json::json!({})),
        (ga, "/Policy", serde_json::json!([])),
        (ca, "/conditions", serde_json::json!([])),
        (ca, "/conditions/users", serde_json::json!([])),
        (ca, "/grantControls", serde_json::json!([])),
    ] {
        let dir = common::risky_copy();
        let path = dir.path().join(file);
        let mut value: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        *value.pointer_mut(pointer).unwrap() = bad;
        std::fs::write(&path, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
        let o = entralint(dir.path(), &["check", "tenant", "--format", "json"]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let findings = report["findings"].as_array().unwrap();
        let shown = file.strip_prefix("tenant/").unwrap();
        let on_field = findings.iter().find(|f| {
            f["code"].as_str().unwrap().starts_with("JSON")
                && f["location"]["file"] == format!("tenant/{shown}")
                && f["location"]["pointer"] == pointer
        });
        assert!(
            on_field.is_some(),
            "{file} {pointer}: a JSON finding at the field: {:?}",
            findings
                .iter()
                .filter(|f| f["location"]["file"].as_str().unwrap().ends_with(shown))
                .collect::<Vec<_>>()
        );
        let elsewhere = findings
            .iter()
            .filter(|f| f["location"]["file"] != format!("tenant/{shown}"))
            .count();
        assert!(elsewhere > 20, "{file} {pointer}: the rest is linted");
    }
}
