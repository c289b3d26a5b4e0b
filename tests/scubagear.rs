//! ScubaGear's provider export, over tests/fixtures/scubagear/ProviderSettingsExport.json: a
//! small tenant written in the shape ScubaGear's `ExportAADProvider.psm1` writes (Windows
//! PowerShell 5.1: UTF-8 with BOM, CRLF, PascalCase Graph objects, explicit nulls, `/Date(ms)/`
//! dates, snake_case sections, ScubaGear's `RuleSource`/`RuleSourceType` on each PIM rule, and a
//! role carrying the rules of a PIM for Groups group).
//!
//! - the findings, with their locations in the export, the reasons rules were not evaluated and the inventory
//!   are snapshotted (tests/snapshots/scubagear__*.snap), and so are the activation chains;
//! - the inventory is checked against a count made here with serde_json, section by section;
//! - the same object as `Raw` of a `ScubaResults_<uuid>.json` gives the same objects, located
//!   under `/Raw`.
//!
//! The real sample ScubaGear publishes is checked in tests/corpus.rs (ENTRALINT_CORPUS).

mod common;

use common::{counts, entralint, entralint_in, json, root, snapshot, stderr};
use serde_json::Value;
use std::collections::BTreeMap;

const FIXTURE: &str = "tests/fixtures/scubagear";
const FILE: &str = "tests/fixtures/scubagear/ProviderSettingsExport.json";

/// The export as serde_json reads it (the BOM left out).
fn export(path: &std::path::Path) -> Value {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap()
}

/// One line per finding (code, place, pointer, message, related places), then the rules not
/// evaluated and the inventory.
fn compact(report: &Value) -> String {
    let mut out = String::new();
    for f in report["findings"].as_array().unwrap() {
        let l = &f["location"];
        out.push_str(&format!(
            "{} {}:{}:{} {}\n    {}\n",
            f["code"].as_str().unwrap(),
            l["file"].as_str().unwrap(),
            l["line"],
            l["column"],
            l["pointer"].as_str().unwrap_or(""),
            f["message"].as_str().unwrap(),
        ));
        for r in f["related"].as_array().into_iter().flatten() {
            let l = &r["location"];
            out.push_str(&format!(
                "    related {}:{}:{} {}\n",
                l["file"].as_str().unwrap(),
                l["line"],
                l["column"],
                l["pointer"].as_str().unwrap_or(""),
            ));
        }
    }
    out.push_str(&common::not_evaluated_reasons(report));
    out.push_str("inventory:\n");
    for (kind, n) in counts(report) {
        out.push_str(&format!("  {kind} {n}\n"));
    }
    out
}

#[test]
fn findings_are_located_in_the_export_and_match_the_snapshot() {
    let o = entralint(&["check", FIXTURE, "--isolated", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report = json(&o);
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(f["location"]["file"], FILE, "{f}");
    }
    // The export has no eligibility schedules nor registration details: the rules that need
    // them are not evaluated, never passed.
    for code in ["PIM001", "PIM002", "PIM007", "PIM010", "PIM012", "PIM014"] {
        assert_eq!(
            common::not_evaluated(&report, code),
            Some("no role eligibility schedules in input"),
            "{code}"
        );
    }
    assert_eq!(
        common::not_evaluated(&report, "BG003"),
        Some("no userRegistrationDetails in input")
    );
    let out = compact(&report);
    snapshot("scubagear_findings", || {
        insta::assert_snapshot!("scubagear_findings", out)
    });
}

#[test]
fn chains_match_the_snapshot() {
    let o = entralint(&["chains", FIXTURE, "--isolated", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    snapshot("scubagear_chains", || {
        insta::assert_snapshot!("scubagear_chains", out)
    });
}

#[test]
fn the_inventory_counts_the_objects_of_each_section() {
    let o = entralint(&["check", FIXTURE, "--isolated", "--format", "json"]);
    let report = json(&o);
    let expected: BTreeMap<String, u64> = common::scubagear_counts(&export(&root().join(FILE)))
        .into_iter()
        .map(|(k, n)| (k.to_owned(), n))
        .collect();
    assert_eq!(counts(&report), expected);
    assert!(report["inventory"]["unrecognized"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn the_same_object_under_raw_of_scuba_results_is_read_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let raw = export(&root().join(FILE));
    let results = serde_json::json!({
        "MetaData": {"TenantId": "c2d9b4a1-7e3f-4a6b-9c8d-0e1f2a3b4c5d", "Tool": "ScubaGear"},
        "Summary": {"AAD": {"Manual": 0, "Passes": 3, "Errors": 0, "Failures": 4, "Warnings": 1}},
        "AnnotatedFailedPolicies": {},
        "Results": {"AAD": []},
        "Raw": raw,
    });
    let name = "ScubaResults_6f1d2c3b-8a9e-4f70-b5d4-1c2e3f4a5b6c.json";
    std::fs::write(
        dir.path().join(name),
        serde_json::to_string_pretty(&results).unwrap(),
    )
    .unwrap();
    let o = entralint_in(
        dir.path(),
        &["check", name, "--isolated", "--format", "json"],
    );
    let report = json(&o);
    let expected: BTreeMap<String, u64> = common::scubagear_counts(&raw)
        .into_iter()
        .map(|(k, n)| (k.to_owned(), n))
        .collect();
    assert_eq!(counts(&report), expected, "{}", stderr(&o));
    let fixture = json(&entralint(&[
        "check",
        FIXTURE,
        "--isolated",
        "--format",
        "json",
    ]));
    let places = |r: &Value, prefix: &str| -> Vec<(String, String)> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let p = f["location"]["pointer"].as_str().unwrap_or("");
                (
                    f["code"].as_str().unwrap().to_owned(),
                    p.strip_prefix(prefix).unwrap_or(p).to_owned(),
                )
            })
            .collect()
    };
    let mut under_raw = places(&report, "/Raw");
    let mut alone = places(&fixture, "");
    under_raw.sort();
    alone.sort();
    assert_eq!(under_raw, alone);
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["location"]["pointer"]
            .as_str()
            .is_some_and(|p| !p.is_empty()))
        .all(|f| {
            let p = f["location"]["pointer"].as_str().unwrap();
            // The sections not read are reported on the export's object, `Raw` itself.
            p == "/Raw" || p.starts_with("/Raw/")
        }));
}

#[test]
fn the_exclusions_of_the_echoed_configuration_are_declared_until_entralint_toml_declares() {
    // Without entralint.toml: the export's `scuba_config` declares the account, and the messages
    // that rely on it say where it came from.
    let o = entralint(&["check", FIXTURE, "--isolated", "--format", "json"]);
    let report = json(&o);
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("taken from the exclusions of ScubaGear's configuration")),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("inferred")),
        "{messages:?}"
    );
    // With the configuration file imported, the accounts are declared.
    let dir = tempfile::tempdir().unwrap();
    for name in ["ProviderSettingsExport.json", "scuba-config.yaml"] {
        std::fs::copy(root().join(FIXTURE).join(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(
        dir.path().join("entralint.toml"),
        "[accounts]\nimport = [{ scubagear = \"scuba-config.yaml\" }]\n",
    )
    .unwrap();
    let o = entralint_in(dir.path(), &["check", ".", "--format", "json"]);
    let report = json(&o);
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings.iter().all(|f| f["code"] != "BG008"
            && !f["message"].as_str().unwrap().contains("taken from")),
        "{findings:?}"
    );
}

#[test]
fn what_is_read_the_careful_way_is_read_as_what_is_read_in_one_pass() {
    // A role in ScubaGear's usual shape is read in one pass over its text, and so is each of
    // its rules and assignments (and each policy); one with a repeated key is read the careful
    // way, which reports the key. Both must give the same model and findings: repeated, on the
    // same line (so that every other place keeps its line and column), each role's
    // `RoleTemplateId`, then every `Id` of a policy, a rule or an assignment.
    let text = std::fs::read_to_string(root().join(FILE)).unwrap();
    let usual = json(&entralint(&[
        "check",
        FIXTURE,
        "--isolated",
        "--format",
        "json",
    ]));
    for (key, repeated_as) in [("RoleTemplateId", "roleTemplateId"), ("Id", "id")] {
        let written = format!("\"{key}\": ");
        // The section a line is in (a top-level key of the export, indented by two spaces).
        let mut section = String::new();
        let repeated = text
            .lines()
            .map(|line| {
                if let Some(key) = line.strip_prefix("  \"") {
                    section = key.split('"').next().unwrap_or_default().to_owned();
                }
                let read = ["conditional_access_policies", "privileged_roles"];
                match line.trim_start().strip_prefix(&written) {
                    Some(value) if read.contains(&section.as_str()) => {
                        format!("{line} \"{repeated_as}\": {value}")
                    }
                    _ => line.to_owned(),
                }
            })
            .collect::<Vec<_>>()
            .join("\r\n");
        let n = repeated.matches(&format!("\"{repeated_as}\": ")).count();
        assert!(n >= 3, "{key}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ProviderSettingsExport.json"), &repeated).unwrap();
        let careful = json(&entralint_in(
            dir.path(),
            &["check", ".", "--isolated", "--format", "json"],
        ));
        assert_eq!(
            findings_but(&careful, "JSON002"),
            findings_but(&usual, "JSON002"),
            "{key}"
        );
        assert_eq!(counts(&careful), counts(&usual), "{key}");
        let repeats = careful["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "JSON002")
            .count();
        assert_eq!(repeats, n, "{key}");
    }
}

/// The findings other than `skip`, a line each, sorted: code, place, pointer, message, related
/// places.
fn findings_but(report: &Value, skip: &str) -> Vec<String> {
    let mut out: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] != skip)
        .map(|f| {
            let l = &f["location"];
            let related: Vec<String> = f["related"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| format!("{}:{}", r["location"]["line"], r["location"]["column"]))
                .collect();
            format!(
                "{} {}:{} {} {} [{}]",
                f["code"].as_str().unwrap(),
                l["line"],
                l["column"],
                l["pointer"].as_str().unwrap_or(""),
                f["message"].as_str().unwrap(),
                related.join(" ")
            )
        })
        .collect();
    out.sort();
    out
}
