//! `--write-baseline` / `--baseline`: the round trip, stale entries, errors, and the fingerprints
//! the baseline relies on surviving a re-export.

mod common;

use common::{entralint_in, header, is_header, json, risky_copy, stderr, stdout};
use serde_json::Value;
use std::path::Path;

const CA211: &str = "tenant/Identity/Conditional/AccessPolicies/3c4d5e6f-0211-4000-8000-000000000211/3c4d5e6f-0211-4000-8000-000000000211.json";
const GA_PIM: &str = "tenant/PIM/DirectoryRoles/f0e1d2c3-0001-4000-8000-000000000001.json";

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from} once in {file}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

fn assert_valid_report(report: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the report schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut broken = report.clone();
    broken["summary"]["staleBaseline"] = (-1).into();
    assert!(
        !validator.is_valid(&broken),
        "the schema must be able to fail"
    );
}

fn fingerprints(report: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["fingerprint"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn baseline_round_trip_reports_only_new_findings_and_counts_stale_entries() {
    let dir = risky_copy();
    let d = dir.path();
    let before = json(&entralint_in(d, &["check", "tenant", "--format", "json"]));
    let total = before["findings"].as_array().unwrap().len();
    assert!(total > 10);

    // Writing the baseline prints one line, not the findings it accepts, and exits 0.
    let o = entralint_in(d, &["check", "tenant", "--write-baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!("wrote {total} entries to baseline.json\n")
    );
    // With --output, the report still goes to its file.
    let o = entralint_in(
        d,
        &[
            "check",
            "tenant",
            "--write-baseline",
            "b2.json",
            "-o",
            "report.txt",
        ],
    );
    assert_eq!(stdout(&o), format!("wrote {total} entries to b2.json\n"));
    let report = std::fs::read_to_string(d.join("report.txt")).unwrap();
    assert!(report.contains(&format!("{}] ", header("PIM001", "critical"))));
    let text = std::fs::read_to_string(d.join("baseline.json")).unwrap();
    let baseline: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(baseline["version"], 1);
    let entries = baseline["findings"].as_array().unwrap();
    assert_eq!(entries.len(), total);
    let fps: Vec<&str> = entries
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    assert!(
        fps.windows(2).all(|w| w[0] <= w[1]),
        "sorted by fingerprint"
    );
    assert_eq!(entries[0].as_object().unwrap().len(), 4, "{}", entries[0]);
    assert!(entries
        .iter()
        .any(|e| e["code"] == "PIM001" && e["file"] == GA_PIM));
    // Same findings, same bytes.
    entralint_in(d, &["check", "tenant", "--write-baseline", "again.json"]);
    assert_eq!(std::fs::read_to_string(d.join("again.json")).unwrap(), text);

    // Against its own baseline the run is clean.
    let o = entralint_in(d, &["check", "tenant", "--baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).starts_with(&format!(
            "no findings in {} files · {total} findings baselined, 0 stale baseline entries\nloaded ",
            before["inventory"]["files"]
        )),
        "{}",
        stdout(&o)
    );

    // A new fault in one CA policy: only that finding is reported, and it fails the run.
    edit(
        d,
        CA211,
        "\"locations\": null,",
        "\"locations\": { \"includeLocations\": [\"All\"], \"excludeLocations\": [\"4d5e6f70-0001-4000-8000-000000000001\"] },",
    );
    let o = entralint_in(
        d,
        &[
            "check",
            "tenant",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report = json(&o);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["code"], "PIM008");
    assert_eq!(findings[0]["location"]["file"], CA211);
    assert_eq!(report["summary"]["baselined"], total);
    assert_eq!(report["summary"]["staleBaseline"], 0);
    assert_valid_report(&report);
    assert!(
        before["summary"].get("baselined").is_none(),
        "without --baseline the summary is unchanged"
    );
    for (format, marker) in [
        ("sarif", "\"ruleId\": "),
        ("github", "::"),
        ("junit", "<failure "),
        ("human", "human"),
    ] {
        let o = entralint_in(
            d,
            &[
                "check",
                "tenant",
                "--baseline",
                "baseline.json",
                "--format",
                format,
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{format}");
        let out = stdout(&o);
        let reported: Vec<&str> = out
            .lines()
            .filter(|l| match format {
                "human" => is_header(l),
                _ => l.contains(marker),
            })
            .collect();
        assert_eq!(
            reported.len(),
            1,
            "{format} reports the new finding only: {reported:#?}"
        );
        assert!(reported[0].contains("PIM008"), "{format}: {}", reported[0]);
    }

    // A fault fixed: its baseline entry is stale.
    edit(
        d,
        GA_PIM,
        "\"maximumDuration\": \"PT8H\"",
        "\"maximumDuration\": \"PT4H\"",
    );
    let o = entralint_in(
        d,
        &[
            "check",
            "tenant",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let report = json(&o);
    assert_eq!(report["summary"]["baselined"], total - 1);
    assert_eq!(report["summary"]["staleBaseline"], 1);
    let human = stdout(&entralint_in(
        d,
        &["check", "tenant", "--baseline", "baseline.json"],
    ));
    assert!(
        human.contains(&format!(
            "1 finding (1 high) in {} files · {} findings baselined, 1 stale baseline entry\nloaded ",
            before["inventory"]["files"],
            total - 1
        )),
        "{human}"
    );

    // Refreshing the baseline while applying the old one records every finding of today.
    let o = entralint_in(
        d,
        &[
            "check",
            "tenant",
            "--baseline",
            "baseline.json",
            "--write-baseline",
            "refreshed.json",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let refreshed: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("refreshed.json")).unwrap()).unwrap();
    // One finding fixed, one new: as many as at first.
    assert_eq!(refreshed["findings"].as_array().unwrap().len(), total);
    let o = entralint_in(d, &["check", "tenant", "--baseline", "refreshed.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // The new finding (high) fails the run only at its severity.
    let o = entralint_in(
        d,
        &[
            "check",
            "tenant",
            "--baseline",
            "baseline.json",
            "--fail-on",
            "critical",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let o = entralint_in(
        d,
        &[
            "check",
            "tenant",
            "--baseline",
            "baseline.json",
            "--fail-on",
            "high",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let o = entralint_in(
        d,
        &[
            "check",
            "tenant",
            "--baseline",
            "baseline.json",
            "--ignore",
            "PIM008",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn a_bad_baseline_is_a_usage_error() {
    let dir = risky_copy();
    let d = dir.path();
    std::fs::write(d.join("not-json.json"), "{ nope").unwrap();
    std::fs::write(d.join("other.json"), r#"{"version": 1, "rules": []}"#).unwrap();
    std::fs::write(d.join("v2.json"), r#"{"version": 2, "findings": []}"#).unwrap();
    std::fs::write(
        d.join("empty-fp.json"),
        r#"{"version": 1, "findings": [{"fingerprint": ""}]}"#,
    )
    .unwrap();
    for (file, says) in [
        ("missing.json", "baseline missing.json"),
        ("not-json.json", "not a baseline file"),
        ("other.json", "not a baseline file"),
        ("v2.json", "version 2 is not supported"),
        ("empty-fp.json", "empty fingerprint"),
    ] {
        let o = entralint_in(d, &["check", "tenant", "--baseline", file]);
        assert_eq!(o.status.code(), Some(2), "{file}");
        assert!(o.stdout.is_empty(), "{file}: no report");
        assert!(stderr(&o).contains(says), "{file}: {}", stderr(&o));
    }
    let o = entralint_in(
        d,
        &["check", "tenant", "--write-baseline", "no/such/dir/b.json"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot write baseline"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_baseline_with_only_the_fingerprints_is_enough() {
    let dir = risky_copy();
    let d = dir.path();
    let report = json(&entralint_in(d, &["check", "tenant", "--format", "json"]));
    let minimal: Vec<Value> = fingerprints(&report)
        .into_iter()
        .map(|(_, fp)| serde_json::json!({ "fingerprint": fp }))
        .collect();
    std::fs::write(
        d.join("minimal.json"),
        serde_json::json!({ "version": 1, "findings": minimal }).to_string(),
    )
    .unwrap();
    let o = entralint_in(d, &["check", "tenant", "--baseline", "minimal.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

/// Every JSON file below `dir`, re-serialised without whitespace (keys possibly reordered).
fn minify(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            minify(&path);
        } else if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text.trim_start_matches('\u{feff}');
            let value: Value = serde_json::from_str(text).unwrap();
            std::fs::write(&path, serde_json::to_string(&value).unwrap()).unwrap();
        }
    }
}

#[test]
fn fingerprints_survive_reformatting() {
    let dir = risky_copy();
    let d = dir.path();
    let pretty = json(&entralint_in(d, &["check", "tenant", "--format", "json"]));
    minify(&d.join("tenant"));
    let minified = json(&entralint_in(d, &["check", "tenant", "--format", "json"]));
    assert_ne!(
        pretty["findings"][0]["location"], minified["findings"][0]["location"],
        "the locations did change"
    );
    assert_eq!(fingerprints(&pretty), fingerprints(&minified));
}

#[test]
fn fingerprints_survive_a_re_export_that_reorders_and_moves_objects() {
    let dir = risky_copy();
    let d = dir.path();
    let before = json(&entralint_in(d, &["check", "tenant", "--format", "json"]));
    entralint_in(d, &["check", "tenant", "--write-baseline", "baseline.json"]);

    // The CA policies, one file each, become one Graph collection in reverse order.
    let folder = d.join("tenant/Identity/Conditional/AccessPolicies");
    let mut policies: Vec<(String, Value)> = Vec::new();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let sub = entry.unwrap().path();
        for file in std::fs::read_dir(&sub).unwrap() {
            let file = file.unwrap().path();
            let value: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            policies.push((file.display().to_string(), value));
        }
    }
    policies.sort_by(|a, b| b.0.cmp(&a.0));
    let count = policies.len();
    assert!(count >= 7, "{count}");
    std::fs::remove_dir_all(&folder).unwrap();
    let collection = serde_json::json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies",
        "value": policies.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
    });
    std::fs::write(
        d.join("tenant/graph/conditionalAccessPolicies.json"),
        serde_json::to_string_pretty(&collection).unwrap(),
    )
    .unwrap();
    // And the PIM policy assignments collection is reversed in place.
    let path = d.join("tenant/graph/roleManagementPolicyAssignments.json");
    let mut assignments: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assignments["value"]
        .as_array_mut()
        .expect("a collection")
        .reverse();
    std::fs::write(&path, serde_json::to_string_pretty(&assignments).unwrap()).unwrap();

    let after = json(&entralint_in(d, &["check", "tenant", "--format", "json"]));
    assert_eq!(
        after["inventory"]["objects"]["conditionalAccessPolicies"], count,
        "the collection was read"
    );
    assert!(after["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["location"]["file"] == "tenant/graph/conditionalAccessPolicies.json"));
    assert_eq!(fingerprints(&before), fingerprints(&after));
    let o = entralint_in(d, &["check", "tenant", "--baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}
