//! Tenants as the unit of a run: a directory holding an entralint.toml is a tenant root, each
//! input belongs to the nearest root above it, and each tenant is linted on its own with its own
//! configuration, whichever folder the run starts from.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn entralint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_entralint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("entralint runs")
}

fn report(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("not a JSON report: {}", String::from_utf8_lossy(&o.stderr)))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Findings as (file, code, message), the file relative to `prefix`.
fn findings(report: &serde_json::Value, prefix: &str) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["location"]["file"].as_str().unwrap();
            (
                file.strip_prefix(prefix).unwrap_or(file).to_owned(),
                f["code"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_tenants_configuration_applies_from_the_repository_root() {
    let repo = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("examples/contoso-risky"),
        &repo.path().join("tenant"),
    );
    let from_root = entralint(
        repo.path(),
        &["check", "--format", "json", "--today", "2026-11-22"],
    );
    let from_tenant = entralint(
        repo.path(),
        &[
            "check",
            "tenant",
            "--format",
            "json",
            "--today",
            "2026-11-22",
        ],
    );
    let (a, b) = (report(&from_root), report(&from_tenant));
    assert_eq!(
        findings(&a, ""),
        findings(&b, ""),
        "same findings from the root"
    );
    assert_eq!(
        a["tenants"],
        serde_json::json!([{ "root": "tenant", "config": "tenant/entralint.toml" }]),
        "the report names the tenant and its configuration"
    );

    let clean = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("examples/contoso-hardened"),
        &clean.path().join("tenant"),
    );
    let o = entralint(clean.path(), &["check"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "contoso-hardened is clean from its repository's root too:\n{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn two_tenants_side_by_side_are_linted_apart() {
    let repo = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("examples/contoso-risky"),
        &repo.path().join("risky"),
    );
    copy_dir(
        &root().join("examples/contoso-hardened"),
        &repo.path().join("hardened"),
    );
    let args = ["--format", "json", "--today", "2026-11-22"];
    let both = report(&entralint(
        repo.path(),
        &[&["check", "."][..], &args].concat(),
    ));
    let risky = report(&entralint(
        repo.path(),
        &[&["check", "risky"][..], &args].concat(),
    ));
    let hardened = entralint(repo.path(), &[&["check", "hardened"][..], &args].concat());
    assert_eq!(hardened.status.code(), Some(0));
    assert_eq!(
        findings(&both, ""),
        findings(&risky, ""),
        "the hardened tenant's objects change nothing of the risky tenant's findings, and it has none"
    );
    assert_eq!(
        both["tenants"],
        serde_json::json!([
            { "root": "hardened", "config": "hardened/entralint.toml" },
            { "root": "risky", "config": "risky/entralint.toml" }
        ])
    );
    // Argument order changes nothing.
    let reversed = report(&entralint(
        repo.path(),
        &[&["check", "risky", "hardened"][..], &args].concat(),
    ));
    let ordered = report(&entralint(
        repo.path(),
        &[&["check", "hardened", "risky"][..], &args].concat(),
    ));
    assert_eq!(reversed, ordered);
}

#[test]
fn config_makes_the_whole_run_one_tenant() {
    let repo = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("examples/contoso-risky"),
        &repo.path().join("risky"),
    );
    copy_dir(
        &root().join("examples/contoso-hardened"),
        &repo.path().join("hardened"),
    );
    let o = entralint(
        repo.path(),
        &[
            "check",
            ".",
            "--config",
            "risky/entralint.toml",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        report(&o)["tenants"],
        serde_json::json!([{ "root": "risky", "config": "risky/entralint.toml" }])
    );
}

/// Findings as (file, code, message) located in `file`.
fn findings_in(report: &serde_json::Value, file: &str) -> Vec<(String, String, String)> {
    findings(report, "")
        .into_iter()
        .filter(|(f, _, _)| f == file)
        .collect()
}

#[test]
fn named_files_of_a_tenant_are_linted_with_the_whole_tenant() {
    let repo = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("examples/contoso-risky"),
        &repo.path().join("tenant"),
    );
    let file = "tenant/PIM/DirectoryRoles/f0e1d2c3-0001-4000-8000-000000000001.json";
    let args = ["--format", "json", "--today", "2026-11-22"];
    let whole = report(&entralint(
        repo.path(),
        &[&["check", "tenant"][..], &args].concat(),
    ));
    let o = entralint(repo.path(), &[&["check", file][..], &args].concat());
    let one = report(&o);
    let expected = findings_in(&whole, file);
    assert!(
        expected.iter().any(|(_, code, _)| code == "PIM001"),
        "the file holds Global Administrator's broken chain"
    );
    assert_eq!(
        findings(&one, ""),
        expected,
        "exactly the whole tenant's findings located in the named file"
    );
    assert_eq!(o.status.code(), Some(1));

    // A named entralint.toml (a hook passes it when it changes) names its tenant: its own
    // findings are reported, the export's are not.
    std::fs::write(
        repo.path().join("tenant/entralint.toml"),
        "[[suppress]]\nrule = \"PIM001\"\nobject = \"no-such-object\"\njustification = \"x\"\n",
    )
    .unwrap();
    let o = entralint(
        repo.path(),
        &[&["check", "tenant/entralint.toml"][..], &args].concat(),
    );
    let r = report(&o);
    let files: Vec<String> = findings(&r, "").into_iter().map(|f| f.0).collect();
    assert!(!files.is_empty(), "{r}");
    assert!(
        files.iter().all(|f| f == "tenant/entralint.toml"),
        "only the configuration's findings: {files:?}"
    );
}

#[test]
fn findings_about_the_tenant_are_located_on_the_tenant() {
    // A repository of policies only: no policy blocks legacy authentication, and none requires
    // MFA of the admins. Those findings are about the tenant, not about the first policy file.
    let repo = tempfile::tempdir().unwrap();
    let policies = repo.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    std::fs::write(
        policies.join("a.json"),
        r#"{"id":"3c4d5e6f-0000-4000-8000-000000000001","displayName":"Block risky sign-ins","state":"enabled","conditions":{"users":{"includeUsers":["All"]},"applications":{"includeApplications":["All"]},"signInRiskLevels":["high"]},"grantControls":{"operator":"OR","builtInControls":["block"]}}"#,
    )
    .unwrap();
    let o = entralint(
        repo.path(),
        &["check", "policies", "--isolated", "--format", "json"],
    );
    let r = report(&o);
    let at = |code: &str| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| f["location"]["file"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(at("HYG004"), ["."], "{r}");

    // With a configuration, they are located on it; a run over one policy file leaves them out.
    std::fs::write(policies.join("entralint.toml"), "").unwrap();
    let r = report(&entralint(
        repo.path(),
        &["check", "policies", "--format", "json"],
    ));
    let hyg004: Vec<&serde_json::Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "HYG004")
        .collect();
    assert_eq!(hyg004.len(), 1, "{r}");
    assert_eq!(hyg004[0]["location"]["file"], "policies/entralint.toml");
    let r = report(&entralint(
        repo.path(),
        &["check", "policies/a.json", "--format", "json"],
    ));
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["code"] != "HYG004" && f["location"]["file"] == "policies/a.json"),
        "{r}"
    );
}

#[test]
fn conflicting_copies_and_mixed_tenants_are_findings_not_silent_merges() {
    let repo = tempfile::tempdir().unwrap();
    let policy = |state: &str| {
        format!(
            r#"{{"id":"3c4d5e6f-0000-4000-8000-000000000001","displayName":"CA001","state":"{state}","conditions":{{"users":{{"includeUsers":["All"]}},"applications":{{"includeApplications":["All"]}}}},"grantControls":{{"operator":"OR","builtInControls":["mfa"]}}}}"#
        )
    };
    for (dir, state) in [("october", "enabled"), ("november", "disabled")] {
        std::fs::create_dir(repo.path().join(dir)).unwrap();
        std::fs::write(repo.path().join(dir).join("policy.json"), policy(state)).unwrap();
    }
    let pim = |tenant: &str| {
        format!(
            r#"[{{"id":"DirectoryRole_{tenant}_9f1e0001-5a5a-4a4a-8b8b-000000000001","scopeId":"/","scopeType":"DirectoryRole","rules":[]}}]"#
        )
    };
    std::fs::write(
        repo.path().join("october/pim.json"),
        pim("7c8d9e0f-0000-4000-8000-00000000c0de"),
    )
    .unwrap();
    std::fs::write(
        repo.path().join("november/pim.json"),
        pim("1b2c3d4e-0000-4000-8000-0000000000aa"),
    )
    .unwrap();
    let run = |args: &[&str]| {
        report(&entralint(
            repo.path(),
            &[
                args,
                &["--isolated", "--format", "json", "--select", "JSON"][..],
            ]
            .concat(),
        ))
    };
    let r = run(&["check", "october", "november"]);
    let json005: Vec<&serde_json::Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "JSON005")
        .collect();
    assert_eq!(json005.len(), 1, "{r}");
    assert_eq!(json005[0]["location"]["file"], "october/policy.json");
    assert!(
        json005[0]["message"]
            .as_str()
            .unwrap()
            .contains("`november/policy.json`"),
        "the message names the copy that is used: {r}"
    );
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "JSON006"),
        "two tenants' PIM policies in one run: {r}"
    );
    // Which copy is used does not depend on the order of the command line.
    assert_eq!(r, run(&["check", "november", "october"]));
}

#[test]
fn a_suppression_of_a_rule_that_did_not_run_is_not_called_unused() {
    let repo = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("examples/contoso-risky"),
        &repo.path().join("tenant"),
    );
    let config = repo.path().join("tenant/entralint.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(
        "\n[[suppress]]\nrule = \"PIM001\"\nobject = \"62e90394-69f5-4237-9190-012177145e10\"\njustification = \"accepted until the rollout (RISK-77)\"\n",
    );
    std::fs::write(&config, text).unwrap();
    let codes = |args: &[&str]| -> Vec<String> {
        let r = report(&entralint(
            repo.path(),
            &[
                &[
                    "check",
                    "tenant",
                    "--format",
                    "json",
                    "--today",
                    "2026-11-22",
                ][..],
                args,
            ]
            .concat(),
        ));
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    // PIM001 ran and the suppression covers its Global Administrator finding: not unused.
    assert!(!codes(&[]).contains(&"CFG002".to_owned()));
    // PIM001 did not run: nothing can be said of the suppression, and nothing is.
    let ignored = codes(&["--ignore", "PIM001"]);
    assert!(!ignored.contains(&"CFG002".to_owned()), "{ignored:?}");
}
