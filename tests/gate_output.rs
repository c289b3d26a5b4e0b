//! What the outputs show of the tenant's own text, of the run's severities and of suppressed
//! findings:
//!
//! - names in an export are set by the tenant's users (a group or an application can be named by
//!   anyone allowed to create one), so the outputs read by people (human, github, junit and
//!   `chains`) show control characters, which start terminal escape sequences, escaped;
//! - SARIF ranks alerts by `security-severity`, which follows `[rules.severity]` in
//!   entralint.toml and, where one finding is more or less severe than its rule, the finding;
//! - the human output shows a suppressed finding as one line, and in full with
//!   `--show-suppressed`.

mod common;

use common::{
    check_fixture, copy_dir, entralint_in, json, risky_copy, root, stderr, stdout, FIXTURE,
};
use std::path::Path;

/// A display name that clears the screen and retitles the terminal when printed raw.
const PAYLOAD_JSON: &str = r"evil\u001b]0;pwned\u0007\u001b[2J";
/// The same name as the outputs must show it: the visible text kept, the controls escaped.
const PAYLOAD_SHOWN: &str = r"evil\u{1b}]0;pwned\u{7}\u{1b}[2J";

/// Characters that must not reach a terminal as they are: C0 and C1 controls and DEL (a line
/// feed excepted), and the explicit directional formatting characters of Unicode Standard Annex
/// #9, which reorder the text shown around them.
fn unsafe_chars(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

/// Writes a tenant of two Conditional Access policies that apply to nothing (HYG003): one named
/// with the payload, one whose name holds a line break followed by a workflow command. The first
/// policy's file also holds, raw (JSON allows them unescaped in a string), the 8-bit control
/// sequence introducer U+009B and a right-to-left override on the lines around the finding, which
/// the human output shows as an excerpt.
fn hostile_tenant(dir: &Path) {
    let policies = format!(
        "{{\n  \"value\": [\n    {{\n      \"id\": \"p1\",\n      \"displayName\": \"{PAYLOAD_JSON} 100%\",\n      \"state\": \"enabled\",\n      \"description\": \"raw \u{9b}2J and \u{202e}txt.exe\",\n      \"conditions\": {{}}\n    }},\n    {{\n      \"id\": \"p2\",\n      \"displayName\": \"second\\n::error::forged\",\n      \"state\": \"enabled\",\n      \"conditions\": {{}}\n    }}\n  ]\n}}\n"
    );
    std::fs::write(dir.join("conditionalAccessPolicies.json"), policies).unwrap();
}

fn check_hostile(format: &str, extra: &[&str]) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    hostile_tenant(dir.path());
    let mut args = vec![
        "check",
        ".",
        "--isolated",
        "--select",
        "HYG003",
        "--today",
        "2026-11-22",
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    let o = entralint_in(dir.path(), &args);
    assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
    (stdout(&o), dir)
}

#[test]
fn human_output_escapes_control_characters_in_messages_and_excerpts() {
    let (out, _dir) = check_hostile("human", &[]);
    assert_eq!(unsafe_chars(&out), [] as [char; 0], "{out}");
    assert!(
        out.contains(&format!("policy `{PAYLOAD_SHOWN} 100%`")),
        "{out}"
    );
    assert!(out.contains(r"policy `second\n::error::forged`"), "{out}");
    // The excerpt: the raw characters of the file, escaped, and the caret still under the value.
    assert!(
        out.contains(r#""description": "raw \u{9b}2J and \u{202e}txt.exe","#),
        "{out}"
    );
    // The header line names the file; the excerpt's frame, the line and the column in the file.
    assert!(
        out.lines()
            .any(|l| l.starts_with("● ") && l.ends_with(" — conditionalAccessPolicies.json:8:21")),
        "{out}"
    );
    let excerpt: Vec<&str> = out.lines().skip_while(|l| !l.contains("╭─[")).collect();
    assert!(excerpt[0].ends_with("╭─[8:21]"), "{}", excerpt[0]);
}

#[test]
fn human_output_in_colour_has_only_its_own_colour_sequences() {
    let (out, _dir) = check_hostile("human", &["--color", "always"]);
    // Take out the select-graphic-rendition sequences (ESC [ params m) the colours are made of.
    let mut plain = String::new();
    let mut rest = out.as_str();
    while let Some(at) = rest.find("\u{1b}[") {
        plain.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        assert!(
            after[end..].starts_with('m'),
            "not a colour: {:?}",
            &rest[at..]
        );
        rest = &after[end + 1..];
    }
    plain.push_str(rest);
    assert_eq!(unsafe_chars(&plain), [] as [char; 0], "{out:?}");
    assert!(plain.contains(PAYLOAD_SHOWN), "{plain}");
}

#[test]
fn github_annotations_escape_control_characters_and_keep_their_own_escaping() {
    let (out, _dir) = check_hostile("github", &[]);
    assert_eq!(unsafe_chars(&out), [] as [char; 0], "{out}");
    let annotations: Vec<&str> = out.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 4, "{out}");
    assert!(
        annotations.iter().all(|l| l.starts_with("::warning file=")),
        "a name cannot start a workflow command of its own: {out}"
    );
    // The workflow command's escaping of `%` still applies.
    assert!(
        out.contains(&format!("policy `{PAYLOAD_SHOWN} 100%25`")),
        "{out}"
    );
    assert!(out.contains(r"policy `second\n::error::forged`"), "{out}");
}

#[test]
fn github_step_summary_escapes_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    hostile_tenant(dir.path());
    let summary = dir.path().join("summary.md");
    let o = common::command(dir.path())
        .args(["check", ".", "--isolated", "--select", "HYG003"])
        .args(["--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(unsafe_chars(&text), [] as [char; 0], "{text}");
    // Markdown shows `\\` as one backslash.
    assert!(
        text.contains(r"evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J 100%"),
        "{text}"
    );
}

#[test]
fn junit_escapes_control_characters() {
    let (out, _dir) = check_hostile("junit", &[]);
    assert_eq!(unsafe_chars(&out), [] as [char; 0], "{out}");
    assert!(!out.contains('\u{FFFD}'), "escaped, not replaced: {out}");
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let messages: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .map(|n| n.attribute("message").unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains(&format!("policy `{PAYLOAD_SHOWN} 100%`"))),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains(r"policy `second\n::error::forged`")),
        "{messages:#?}"
    );
}

#[test]
fn chains_table_escapes_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join(FIXTURE), dir.path());
    let path = dir.path().join("conditionalAccessPolicies.json");
    let policies = std::fs::read_to_string(&path)
        .unwrap()
        .replace("CA001 - Block legacy authentication", PAYLOAD_JSON)
        .replace(
            "\"includeApplications\": [\"All\"]",
            "\"includeAuthenticationContextClassReferences\": [\"c2\"]",
        );
    std::fs::write(&path, policies).unwrap();
    let o = entralint_in(dir.path(), &["chains", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(unsafe_chars(&out), [] as [char; 0], "{out}");
    assert!(out.contains(PAYLOAD_SHOWN), "{out}");
}

/// The shipped SARIF 2.1.0 schema, compiled as tests/formats.rs does.
fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/sarif-2.1.0/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn score(severity: &str) -> &'static str {
    match severity {
        "critical" => "9.5",
        "high" => "8.0",
        "medium" => "5.5",
        _ => "3.0",
    }
}

fn level(severity: &str) -> &'static str {
    match severity {
        "critical" | "high" => "error",
        "medium" => "warning",
        _ => "note",
    }
}

#[test]
fn sarif_rule_severity_follows_the_configured_severity_and_differing_results_say_theirs() {
    let dir = risky_copy();
    let tenant = dir.path().join("tenant");
    let config = tenant.join("entralint.toml");
    let mut toml = std::fs::read_to_string(&config).unwrap();
    // PIM001 has findings in the example; HYG004 runs and finds nothing there.
    toml.push_str("\n[rules.severity]\nPIM001 = \"medium\"\nHYG004 = \"low\"\n");
    std::fs::write(&config, toml).unwrap();
    let run = |format: &str| {
        let o = entralint_in(dir.path(), &["check", "tenant", "--format", format]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        json(&o)
    };
    let log = run("sarif");
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not valid SARIF 2.1.0: {errors:#?}");
    let report = run("json");

    let descriptors = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = |code: &str| {
        descriptors
            .iter()
            .find(|d| d["id"] == code)
            .unwrap_or_else(|| panic!("no descriptor {code}"))
    };
    for (code, severity) in [("PIM001", "medium"), ("HYG004", "low")] {
        let d = rule(code);
        assert_eq!(d["defaultConfiguration"]["level"], level(severity), "{d:#}");
        assert_eq!(
            d["properties"]["security-severity"],
            score(severity),
            "{d:#}"
        );
    }
    // A rule the configuration leaves alone keeps its own severity.
    let pim008 = entralint_lint::rules::by_code("PIM008").unwrap();
    assert_eq!(
        rule("PIM008")["properties"]["security-severity"],
        score(pim008.severity.as_str())
    );

    // A result carries its own score exactly when its severity is not its rule's.
    let results = log["runs"][0]["results"].as_array().unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    let mut differing = 0;
    for (result, finding) in results.iter().zip(findings) {
        let severity = finding["severity"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        let descriptor = &descriptors[index];
        assert_eq!(result["level"], level(severity), "{result:#}");
        if descriptor["properties"]["security-severity"] == score(severity) {
            assert!(
                result["properties"].get("security-severity").is_none(),
                "{result:#}"
            );
        } else {
            differing += 1;
            assert_eq!(
                result["properties"]["security-severity"],
                score(severity),
                "{result:#}"
            );
        }
    }
    // The example has findings more severe than their rule (PIM008 raised to critical) and less
    // (HYG002 lowered to medium).
    assert!(differing >= 2, "{differing}");
    assert!(findings
        .iter()
        .any(|f| f["code"] == "PIM001" && f["severity"] == "medium"));
}

/// The fixture's suppressed finding (PIM013) and its configuration.
const JUSTIFICATION: &str =
    "SIEM connector needs the role until the managed identity replaces it (CHG-0420)";

#[test]
fn human_output_shows_a_suppressed_finding_as_one_line() {
    let o = check_fixture("human", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().filter(|l| l.contains("PIM013")).collect();
    assert_eq!(lines.len(), 1, "{out}");
    let line = lines[0];
    assert!(
        line.contains("svc-siem holds Security Administrator permanently"),
        "{line}"
    );
    assert!(
        line.contains("tests/fixtures/formats/roleAssignmentScheduleInstances.json:10:22"),
        "{line}"
    );
    assert!(
        line.contains(&format!("suppressed: {JUSTIFICATION} (expires 2027-03-31)")),
        "{line}"
    );
    assert!(line.starts_with("▲ PIM013 [high, suppressed] "), "{line}");
    assert!(!out.contains("╭─[10:22]"), "no excerpt: {out}");
    // The active findings are shown in full, most severe first.
    let pim004 = out.find("▲ PIM004 [high] ").expect(&out);
    let pim014 = out.find("○ PIM014 [low] ").expect(&out);
    assert!(pim004 < pim014, "{out}");
    assert!(out.contains("╭─[28:25]"), "{out}");
}

#[test]
fn show_suppressed_prints_suppressed_findings_in_full() {
    let o = check_fixture("human", &["--show-suppressed"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("▲ PIM013 [high, suppressed] svc-siem holds Security Administrator permanently: standing privileged access outside break-glass — tests/fixtures/formats/roleAssignmentScheduleInstances.json:10:22\n"),
        "{out}"
    );
    assert!(out.contains("╭─[10:22]"), "the excerpt: {out}");
    assert!(
        out.contains(&format!(
            "  suppressed: {JUSTIFICATION} (expires 2027-03-31)\n"
        )),
        "{out}"
    );
    // Still suppressed: the summary and the exit status are those of the default output.
    let default = stdout(&check_fixture("human", &[]));
    assert_eq!(out.lines().last(), default.lines().last());
}

#[test]
fn a_suppressed_finding_line_escapes_the_justification() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join(FIXTURE), dir.path());
    let config = dir.path().join("entralint.toml");
    let toml = std::fs::read_to_string(&config)
        .unwrap()
        .replace("(CHG-0420)", r"(CHG-0420)\u001b[2J");
    std::fs::write(&config, toml).unwrap();
    for extra in [&[][..], &["--show-suppressed"][..]] {
        let mut args = vec!["check", ".", "--today", "2026-11-22"];
        args.extend_from_slice(extra);
        let o = entralint_in(dir.path(), &args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let out = stdout(&o);
        assert_eq!(unsafe_chars(&out), [] as [char; 0], "{out}");
        assert!(out.contains(r"(CHG-0420)\u{1b}[2J"), "{out}");
    }
}
