//! Every output format over tests/fixtures/formats, a tenant made for it: whole-output snapshots
//! (human, json, sarif, github and its step summary, junit, `chains`), the report and SARIF 2.1.0
//! schemas, the GitHub step summary, JUnit well-formedness. Only the fixture's rules run, so a rule
//! added to the registry changes none of these snapshots. The bundled examples keep invariants:
//! schema-valid, same input → same bytes.
//!
//! Regenerate the snapshots (and docs/rules) with `INSTA_UPDATE=always cargo test --workspace`.

mod common;

use common::{
    check_fixture, command, entralint, entralint_in, json, root, snapshot, stderr, stdout, FIXTURE,
    FIXTURE_SELECT,
};
use std::collections::BTreeSet;

const RISKY: &str = "examples/contoso-risky";

/// The formats made for CI.
const CI_FORMATS: [&str; 3] = ["sarif", "github", "junit"];

fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/sarif-2.1.0/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn sarif_errors(log: &serde_json::Value) -> Vec<String> {
    sarif_validator()
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn report_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("the report schema compiles")
}

fn report_errors(report: &serde_json::Value) -> Vec<String> {
    report_validator()
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn fixture_sarif(extra: &[&str]) -> serde_json::Value {
    let o = check_fixture("sarif", extra);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    json(&o)
}

/// The fixture's JSON report.
fn fixture_report() -> serde_json::Value {
    json(&check_fixture("json", &[]))
}

/// The fixture's findings that are not suppressed: the ones CI annotates and fails on.
fn unsuppressed(report: &serde_json::Value) -> Vec<&serde_json::Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .collect()
}

fn codes(findings: &[&serde_json::Value]) -> Vec<String> {
    findings
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_fixture_has_what_the_snapshots_are_meant_to_show() {
    let report = fixture_report();
    let all: Vec<&serde_json::Value> = report["findings"].as_array().unwrap().iter().collect();
    assert_eq!(codes(&all), ["PIM013", "PIM014", "PIM004"], "{report:#}");
    let pim004 = all[2];
    let related = pim004["related"].as_array().unwrap();
    assert_eq!(related.len(), 1);
    assert_ne!(
        related[0]["location"]["file"], pim004["location"]["file"],
        "a related location in another file"
    );
    assert!(all[0]["suppressed"]["justification"].is_string());
    assert_eq!(report["summary"]["suppressed"], 1);
    assert_eq!(
        report["notEvaluated"],
        serde_json::json!([{ "code": "ROL001", "reason": "no userRegistrationDetails in input" }])
    );
    // The fixture's own configuration selects the same rules as the tests' --select.
    let config = std::fs::read_to_string(root().join(FIXTURE).join("entralint.toml")).unwrap();
    let select = FIXTURE_SELECT
        .split(',')
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    assert!(
        config.contains(&format!("select = [{select}]")),
        "{FIXTURE}/entralint.toml selects {FIXTURE_SELECT}"
    );
}

#[test]
fn human_output_matches_the_snapshot() {
    let o = check_fixture("human", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    snapshot("fixture_human", || {
        insta::assert_snapshot!("fixture_human", out)
    });
}

#[test]
fn json_report_matches_its_schema_and_the_snapshot() {
    let o = check_fixture("json", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let errors = report_errors(&json(&o));
    assert!(
        errors.is_empty(),
        "report does not match schemas/report.schema.json: {errors:#?}"
    );
    let out = stdout(&o);
    snapshot("fixture_json", || {
        insta::assert_snapshot!("fixture_json", out)
    });
}

#[test]
fn sarif_is_valid_sarif_2_1_0_and_matches_the_snapshot() {
    let o = check_fixture("sarif", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let log = json(&o);
    let errors = sarif_errors(&log);
    assert!(errors.is_empty(), "not valid SARIF 2.1.0: {errors:#?}");
    let out = stdout(&o);
    snapshot("fixture_sarif", || {
        insta::assert_snapshot!("fixture_sarif", out)
    });
}

#[test]
fn the_examples_reports_are_schema_valid() {
    for example in [RISKY, "examples/contoso-hardened"] {
        let o = entralint(&["check", example, "--format", "json"]);
        let errors = report_errors(&json(&o));
        assert!(errors.is_empty(), "{example}: {errors:#?}");
        let o = entralint(&["check", example, "--format", "sarif"]);
        let errors = sarif_errors(&json(&o));
        assert!(
            errors.is_empty(),
            "{example}: not valid SARIF 2.1.0: {errors:#?}"
        );
    }
}

#[test]
fn sarif_schema_rejects_a_broken_log() {
    let mut log = fixture_sarif(&[]);
    assert!(sarif_errors(&log).is_empty());
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    let errors = sarif_errors(&log);
    assert_eq!(
        errors.len(),
        2,
        "the schema must be able to fail: {errors:#?}"
    );
}

#[test]
fn sarif_carries_the_json_report_data() {
    let log = fixture_sarif(&[]);
    let report = fixture_report();
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "entralint");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(run["automationDetails"]["id"].is_string());
    assert!(run["tool"]["driver"].get("informationUri").is_none());

    // One descriptor per rule that ran, in registry order, with its documentation.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let selected: Vec<&str> = FIXTURE_SELECT.split(',').collect();
    assert_eq!(ids, selected, "the selected rules ran, in registry order");
    for (code, descriptor) in selected.iter().zip(rules) {
        let rule = entralint_lint::rules::by_code(code).unwrap();
        assert_eq!(descriptor["name"], rule.name);
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary());
        assert_eq!(
            descriptor["help"]["markdown"],
            entralint_lint::docs::markdown(rule)
        );
        let why = descriptor["fullDescription"]["text"].as_str().unwrap();
        assert!(
            !why.is_empty() && !why.contains('\n') && why != rule.summary(),
            "{}: {why}",
            rule.code
        );
        assert!(
            descriptor.get("helpUri").is_none(),
            "no --docs-url, no helpUri"
        );
        let (level, score) = match rule.severity.as_str() {
            "critical" => ("error", "9.5"),
            "high" => ("error", "8.0"),
            "medium" => ("warning", "5.5"),
            _ => ("note", "3.0"),
        };
        assert_eq!(descriptor["defaultConfiguration"]["level"], level);
        assert_eq!(descriptor["properties"]["security-severity"], score);
    }

    // One result per finding, in the report's order, at the same places.
    let results = run["results"].as_array().unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (result, finding) in results.iter().zip(findings) {
        assert_eq!(result["ruleId"], finding["code"]);
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], finding["code"]);
        let level = match finding["severity"].as_str().unwrap() {
            "critical" | "high" => "error",
            "medium" => "warning",
            _ => "note",
        };
        assert_eq!(result["level"], level);
        let message = result["message"]["text"].as_str().unwrap();
        assert!(message.starts_with(finding["message"].as_str().unwrap()));
        let location = &result["locations"][0];
        let physical = &location["physicalLocation"];
        assert_eq!(
            physical["artifactLocation"]["uri"],
            finding["location"]["file"]
        );
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &physical["region"];
        assert_eq!(region["startLine"], finding["location"]["line"]);
        assert_eq!(region["startColumn"], finding["location"]["column"]);
        assert_eq!(region["byteOffset"], finding["location"]["offset"]);
        assert_eq!(region["byteLength"], finding["location"]["length"]);
        assert!(region["endLine"].as_u64() >= region["startLine"].as_u64());
        assert_eq!(
            location["logicalLocations"][0]["fullyQualifiedName"],
            finding["location"]["pointer"]
        );
        assert_eq!(
            result["partialFingerprints"]["entralint/v1"],
            finding["fingerprint"]
        );
        let related = finding["related"].as_array().unwrap();
        let sarif_related = result
            .get("relatedLocations")
            .and_then(|r| r.as_array())
            .map_or(&[][..], |r| r.as_slice());
        assert_eq!(sarif_related.len(), related.len());
        for (s, j) in sarif_related.iter().zip(related) {
            assert_eq!(s["message"]["text"], j["message"]);
            assert_eq!(
                s["physicalLocation"]["region"]["startLine"],
                j["location"]["line"]
            );
        }
        match finding["suppressed"].as_object() {
            Some(suppressed) => {
                let s = &result["suppressions"][0];
                assert_eq!(s["kind"], "external");
                assert_eq!(s["status"], "accepted");
                assert_eq!(s["justification"], suppressed["justification"]);
            }
            None => assert!(result.get("suppressions").is_none()),
        }
    }
}

#[test]
fn sarif_links_rule_pages_when_given_a_docs_url() {
    let log = fixture_sarif(&["--docs-url", "https://entralint.example/docs/rules/"]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let pim004 = rules.iter().find(|r| r["id"] == "PIM004").unwrap();
    assert_eq!(
        pim004["helpUri"],
        "https://entralint.example/docs/rules/PIM004.md"
    );
    assert!(sarif_errors(&log).is_empty());
}

#[test]
fn sarif_byte_offsets_only_for_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    let body =
        "[{\"id\":\"c1\",\"displayName\":\"Zoë\",\"isAvailable\":true,\"isAvailable\":false}]";
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(body.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(body.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("a-utf8.json"), body).unwrap();
    std::fs::write(dir.path().join("b-bom.json"), &bom).unwrap();
    std::fs::write(dir.path().join("c-utf16.json"), &utf16).unwrap();
    let o = entralint_in(
        dir.path(),
        &["check", ".", "--format", "sarif", "--select", "JSON002"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let log = json(&o);
    assert!(sarif_errors(&log).is_empty());
    let regions: Vec<(String, serde_json::Value)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let p = &r["locations"][0]["physicalLocation"];
            (
                p["artifactLocation"]["uri"].as_str().unwrap().to_owned(),
                p["region"].clone(),
            )
        })
        .collect();
    assert_eq!(regions.len(), 3, "{regions:#?}");
    // The second `isAvailable` key; the ë before it is one character but two bytes.
    let key = body.rfind("\"isAvailable\"").unwrap();
    for (uri, region) in &regions {
        assert_eq!(region["startLine"], 1, "{uri}");
        assert_eq!(
            region["startColumn"], key,
            "{uri}: columns count characters"
        );
    }
    assert_eq!(regions[0].1["byteOffset"], key);
    assert_eq!(regions[1].1["byteOffset"], key + 3, "the BOM counts");
    assert_eq!(regions[0].1["byteLength"], "\"isAvailable\"".len());
    assert!(
        regions[2].1.get("byteOffset").is_none(),
        "UTF-16: no byte offsets"
    );
    assert!(regions[2].1.get("byteLength").is_none());
}

#[test]
fn json_offsets_count_from_the_file_start_like_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let body =
        "[{\"id\":\"c1\",\"displayName\":\"Zoë\",\"isAvailable\":true,\"isAvailable\":false}]";
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(body.as_bytes());
    std::fs::write(dir.path().join("a-utf8.json"), body).unwrap();
    std::fs::write(dir.path().join("b-bom.json"), &bom).unwrap();
    let run = |format: &str| {
        let o = entralint_in(
            dir.path(),
            &["check", ".", "--format", format, "--select", "JSON002"],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        json(&o)
    };
    let report = run("json");
    let offsets: Vec<(&str, &serde_json::Value)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["file"].as_str().unwrap(),
                &f["location"]["offset"],
            )
        })
        .collect();
    let key = body.rfind("\"isAvailable\"").unwrap();
    assert_eq!(
        offsets,
        [
            ("a-utf8.json", &serde_json::json!(key)),
            ("b-bom.json", &serde_json::json!(key + 3))
        ],
        "the BOM counts"
    );
    // The same bytes as SARIF's.
    let log = run("sarif");
    let sarif: Vec<&serde_json::Value> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["region"]["byteOffset"])
        .collect();
    assert_eq!(sarif, [offsets[0].1, offsets[1].1]);
}

#[test]
fn sarif_of_a_clean_tenant_has_no_results() {
    let o = entralint(&["check", "examples/contoso-hardened", "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(0));
    let log = json(&o);
    assert!(sarif_errors(&log).is_empty());
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn github_annotations_match_the_snapshot() {
    let o = check_fixture("github", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let report = fixture_report();
    let findings = unsuppressed(&report);
    let annotations: Vec<&str> = out.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(
        annotations.len(),
        findings.len(),
        "every finding that is not suppressed"
    );
    for (line, finding) in annotations.iter().zip(findings) {
        let kind = match finding["severity"].as_str().unwrap() {
            "critical" | "high" => "::error ",
            "medium" => "::warning ",
            _ => "::notice ",
        };
        assert!(line.starts_with(kind), "{line}");
        let file = finding["location"]["file"].as_str().unwrap();
        let at = format!("file={file},line={},endLine=", finding["location"]["line"]);
        assert!(line.contains(&at), "{line}");
        let title = format!(
            ",title={} ({})::",
            finding["code"].as_str().unwrap(),
            finding["severity"].as_str().unwrap()
        );
        assert!(line.contains(&title), "{line}");
        assert!(!line.contains('\r'));
    }
    let human = stdout(&check_fixture("human", &[]));
    // The summary line comes last but for the line naming the tenants.
    let summary_line = human.lines().rfind(|l| !l.starts_with("tenant")).unwrap();
    assert!(out.ends_with(&format!("{summary_line}\n")), "{out}");
    snapshot("fixture_github", || {
        insta::assert_snapshot!("fixture_github", out)
    });
}

#[test]
fn github_annotates_every_finding_even_past_ten() {
    let report = json(&entralint(&["check", RISKY, "--format", "json"]));
    let findings = unsuppressed(&report);
    assert!(findings.len() > 10, "{}", findings.len());
    let out = stdout(&entralint(&["check", RISKY, "--format", "github"]));
    let annotations = out.lines().filter(|l| l.starts_with("::")).count();
    assert_eq!(annotations, findings.len());
}

#[test]
fn github_step_summary_is_appended_when_the_variable_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "# Earlier step\n\n").unwrap();
    let o = command(&root())
        .args([
            "check",
            FIXTURE,
            "--select",
            FIXTURE_SELECT,
            "--today",
            "2026-11-22",
        ])
        .args(["--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = std::fs::read_to_string(&summary).unwrap();
    let appended = text
        .strip_prefix("# Earlier step\n\n")
        .expect("appended, not truncated");
    let rows = appended
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Severity") && !l.starts_with("| ---"))
        .count();
    let report = fixture_report();
    assert_eq!(
        rows,
        unsuppressed(&report).len(),
        "one row per finding that is not suppressed:\n{appended}"
    );
    assert!(appended.contains("| high | PIM004 | tests/fixtures/formats/roleManagementPolicies.json:28:25 | Security Administrator requires authentication context `c2` on activation, but no Conditional Access policy targets it |"), "{appended}");
    let appended = appended.to_owned();
    snapshot("fixture_github_step_summary", || {
        insta::assert_snapshot!("fixture_github_step_summary", appended)
    });

    // Without the variable nothing is written anywhere; stdout is the same either way.
    let without = check_fixture("github", &[]);
    assert_eq!(without.stdout, o.stdout);
}

#[test]
fn github_step_summary_stays_under_one_mebibyte() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let limit = 1024 * 1024;
    let earlier = "x".repeat(limit - 3_000);
    std::fs::write(&summary, &earlier).unwrap();
    let o = command(&root())
        .args(["check", RISKY, "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with(&earlier));
    assert!(text.len() <= limit, "{} bytes", text.len());
    assert!(
        text.contains("more findings not shown"),
        "{}",
        &text[earlier.len()..]
    );
}

#[test]
fn junit_is_well_formed_and_matches_the_snapshot() {
    let o = check_fixture("junit", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let root_el = doc.root_element();
    assert_eq!(root_el.tag_name().name(), "testsuites");
    let report = fixture_report();
    let findings = unsuppressed(&report).len();
    let cases: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let failed = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    assert_eq!(
        failed, findings,
        "one failing test case per unsuppressed finding"
    );
    assert_eq!(
        root_el.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    assert_eq!(
        root_el.attribute("failures"),
        Some(findings.to_string().as_str())
    );
    let suites: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|n| n.attribute("name").unwrap())
        .collect();
    assert_eq!(
        suites.len(),
        FIXTURE_SELECT.split(',').count(),
        "a suite per rule that ran"
    );
    let names: BTreeSet<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(names.len(), cases.len(), "test case names are unique");
    assert!(names.contains("PIM004 tests/fixtures/formats/roleManagementPolicies.json:28"));
    assert!(
        names.contains("JSON001 unreadable-file"),
        "a clean rule passes once"
    );
    assert!(!out.contains("time="), "no durations");
    assert!(!out.contains("timestamp"), "no timestamps");
    snapshot("fixture_junit", || {
        insta::assert_snapshot!("fixture_junit", out)
    });
}

#[test]
fn junit_of_a_clean_tenant_passes_every_rule() {
    let o = entralint(&["check", "examples/contoso-hardened", "--format", "junit"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    assert_eq!(doc.root_element().attribute("failures"), Some("0"));
    assert_eq!(doc.root_element().attribute("skipped"), Some("0"));
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        entralint_lint::rules::ALL.len()
    );
}

#[test]
fn junit_skips_rules_that_could_not_be_evaluated() {
    let o = entralint(&[
        "check",
        "examples/contoso-risky/Identity/Conditional/AccessPolicies",
        "--format",
        "junit",
    ]);
    let out = stdout(&o);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let skipped: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("skipped"))
        .map(|n| n.attribute("message").unwrap())
        .collect();
    assert!(
        skipped.contains(&"not evaluated: no PIM role management policies in input"),
        "{skipped:?}"
    );
}

#[test]
fn every_format_is_deterministic() {
    for format in ["human", "json"].into_iter().chain(CI_FORMATS) {
        let a = entralint(&["check", RISKY, "--format", format]);
        let b = entralint(&["check", RISKY, "--format", format]);
        assert_eq!(a.status.code(), Some(1), "{format}: {}", stderr(&a));
        assert!(!a.stdout.is_empty(), "{format}");
        assert_eq!(a.stdout, b.stdout, "{format}: same input, same bytes");
    }
}

#[test]
fn every_format_writes_to_output_files_and_fails_cleanly_when_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    for format in CI_FORMATS {
        let target = dir.path().join(format!("report.{format}"));
        let o = check_fixture(format, &["--output", target.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{format}");
        let expected = check_fixture(format, &[]).stdout;
        assert_eq!(std::fs::read(&target).unwrap(), expected, "{format}");

        let missing = dir.path().join("no/such/dir/report");
        let o = check_fixture(format, &["--output", missing.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{format}");
        assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
    }
}

#[test]
fn chains_match_the_snapshots() {
    let o = entralint(&["chains", FIXTURE]);
    // The fixture's chain is broken (PIM004): `chains` is a gate and fails.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("[PIM004 PIM014]"), "{out}");
    snapshot("fixture_chains_human", || {
        insta::assert_snapshot!("fixture_chains_human", out)
    });
    let o = entralint(&["chains", FIXTURE, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/chains.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the chains schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&json(&o))
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let out = stdout(&o);
    snapshot("fixture_chains_json", || {
        insta::assert_snapshot!("fixture_chains_json", out)
    });
}

#[test]
fn concise_output_is_one_line_per_finding_and_matches_the_snapshot() {
    let o = check_fixture("human", &["--output-format", "concise"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    // Most severe first, the suppressed finding last; each names the object a suppression names.
    let lines: Vec<&str> = out.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].contains(": PIM004 [high] "), "{out}");
    assert!(lines[1].contains(": PIM014 [low] "), "{out}");
    assert!(lines[2].contains(": PIM013 [high] "), "{out}");
    assert!(lines[2].contains(" · suppressed: "), "{out}");
    for line in &lines {
        assert!(line.starts_with("tests/fixtures/formats/"), "{line}");
        assert!(line.contains(" (object "), "{line}");
    }
    snapshot("fixture_human_concise", || {
        insta::assert_snapshot!("fixture_human_concise", out)
    });
}

#[test]
fn show_ids_ends_each_header_line_with_the_object_a_suppression_names() {
    let concise = stdout(&check_fixture("human", &["--output-format", "concise"]));
    let ids: Vec<&str> = concise
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split(" (object ").nth(1))
        .map(|rest| rest.split(')').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{concise}");
    let full = stdout(&check_fixture("human", &["--show-ids"]));
    let headers: Vec<&str> = full
        .lines()
        .filter(|l| l.starts_with(['✖', '▲', '●', '○']))
        .collect();
    assert_eq!(headers.len(), 3, "{full}");
    for (header, id) in headers.iter().zip(&ids) {
        assert!(
            header.ends_with(&format!(" (object {id})"))
                || header.contains(&format!(" (object {id}) · ")),
            "{header}"
        );
    }
    let plain = stdout(&check_fixture("human", &[]));
    assert!(!plain.contains(" (object "), "{plain}");
}

#[test]
fn statistics_count_the_findings_of_each_rule_and_match_the_snapshot() {
    let o = check_fixture("human", &["--statistics"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let rows: Vec<Vec<&str>> = out
        .lines()
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().collect())
        .collect();
    // count, code, severity, name; the suppressed finding is not counted.
    assert_eq!(
        rows,
        [
            ["1", "PIM004", "high", "context-without-policy"],
            ["1", "PIM014", "low", "lax-activation-settings"],
        ],
        "{out}"
    );
    snapshot("fixture_human_statistics", || {
        insta::assert_snapshot!("fixture_human_statistics", out)
    });

    // Over the example: the counts add up to the findings of the JSON report.
    let o = entralint(&["check", RISKY, "--statistics", "--quiet"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let counted: usize = stdout(&o)
        .lines()
        .map(|l| {
            l.split_whitespace()
                .next()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    let report = json(&entralint(&["check", RISKY, "--format", "json"]));
    assert_eq!(counted, report["findings"].as_array().unwrap().len());
}

#[test]
fn verbose_summary_matches_the_snapshot() {
    let o = check_fixture("human", &["--verbose", "--statistics"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    snapshot("fixture_human_verbose", || {
        insta::assert_snapshot!("fixture_human_verbose", out)
    });
}

#[test]
fn layouts_of_human_output_are_refused_with_machine_formats() {
    for format in ["json", "sarif", "github", "junit"] {
        for flag in [&["--statistics"][..], &["--output-format", "concise"]] {
            let o = check_fixture(format, flag);
            assert_eq!(o.status.code(), Some(2), "{format} {flag:?}");
            assert!(
                stderr(&o).contains("shapes human output only"),
                "{}",
                stderr(&o)
            );
        }
    }
}
