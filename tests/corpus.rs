//! The public corpus of real export files (ENTRALINT_CORPUS, set by CI to ../shared/corpus):
//! every file is loaded, listed as unrecognized, or yields a JSON00x finding; nothing panics; and
//! the number of objects recognised in each file is pinned, so a silent regression in format
//! detection fails here. The corpus is never copied into this repository.
//!
//! These tests are ignored by default, so a run without the corpus says so instead of passing:
//! `ENTRALINT_CORPUS=/path/to/corpus cargo test --workspace --tests -- --ignored`. Run that way
//! without the variable, they fail.

mod common;

use common::json_files;
use entralint_parser::model::RuleBody;
use entralint_parser::{load, Input, Kind, Tenant};
use std::path::{Path, PathBuf};

/// The corpus directory; a test that needs it fails when it is not there.
fn corpus() -> PathBuf {
    let Some(dir) = std::env::var_os("ENTRALINT_CORPUS") else {
        panic!(
            "ENTRALINT_CORPUS is not set: set it to the directory of the public corpus of real \
             export files (CI uses ../shared/corpus) to run the corpus tests"
        );
    };
    let dir = PathBuf::from(dir);
    assert!(
        dir.is_dir(),
        "ENTRALINT_CORPUS={} is not a directory",
        dir.display()
    );
    dir
}

/// One line per file: what was recognised in it, or why not.
fn describe(tenant: &Tenant) -> Vec<String> {
    let mut lines = Vec::new();
    for (id, file) in tenant.sources.files() {
        let mut parts: Vec<String> = Vec::new();
        if let Some(kinds) = tenant.inventory.per_file.get(&id) {
            parts.extend(kinds.iter().map(|(k, n)| format!("{}={n}", k.key())));
        }
        for issue in tenant.issues.iter().filter(|i| i.file == id) {
            parts.push(format!("{:?}", issue.kind));
        }
        if tenant.inventory.unrecognized.contains(&id) {
            parts.push("unrecognized".to_owned());
        }
        lines.push(format!("{}: {}", file.path, parts.join(" ")));
    }
    lines
}

const EXPECTED: &str = include_str!("corpus_expected.txt");

#[test]
#[ignore = "needs ENTRALINT_CORPUS"]
fn every_corpus_file_is_accounted_for() {
    let dir = corpus();
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    files.sort();
    assert!(!files.is_empty());
    let tenant = load(files.iter().map(|p| {
        Input::new(
            p.strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/"),
            std::fs::read(p).map_err(|e| e.to_string()),
        )
    }));
    let lines = describe(&tenant);
    for line in &lines {
        let (_, what) = line.split_once(": ").unwrap();
        assert!(
            !what.is_empty(),
            "neither loaded, unrecognized nor a finding: {line}"
        );
    }
    let actual = lines.join("\n") + "\n";
    if std::env::var_os("UPDATE_CORPUS").is_some() {
        std::fs::write(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_expected.txt"),
            &actual,
        )
        .unwrap();
        return;
    }
    assert_eq!(
        actual, EXPECTED,
        "recognition changed; review, then UPDATE_CORPUS=1 cargo test --test corpus -- --ignored"
    );
    assert!(tenant.inventory.count(Kind::ConditionalAccessPolicy) >= 20);

    // Microsoft's documented Global Administrator policy: all 17 rules, each of a known type.
    let pim = &tenant.role_management_policies[0];
    assert_eq!(pim.rules.len(), 17);
    for rule in &pim.rules {
        assert!(
            !matches!(rule.body, RuleBody::Unknown(_) | RuleBody::Missing),
            "rule {} not recognised",
            rule.id
        );
    }
}

#[test]
#[ignore = "needs ENTRALINT_CORPUS"]
fn the_binary_survives_the_whole_corpus() {
    let dir = corpus();
    for format in ["human", "json"] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_entralint"))
            .args(["check", dir.to_str().unwrap(), "--format", format])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "exit status {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// ScubaGear's published sample provider export, relative to the corpus.
const SCUBAGEAR: &str =
    "cisagov__ScubaGear/PowerShell/ScubaGear/Sample-Reports/ProviderSettingsExport.json";

/// Runs entralint on ScubaGear's sample with `args` (`--format json` added) and reads the output.
fn scubagear_json(command: &str) -> (serde_json::Value, serde_json::Value) {
    let path = corpus().join(SCUBAGEAR);
    let text = std::fs::read_to_string(&path).unwrap();
    let export: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_entralint"))
        .args([
            command,
            path.to_str().unwrap(),
            "--isolated",
            "--format",
            "json",
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    (export, serde_json::from_slice(&o.stdout).unwrap())
}

#[test]
#[ignore = "needs ENTRALINT_CORPUS"]
fn scubagear_sample_inventory_counts_its_sections() {
    let (export, report) = scubagear_json("check");
    let mut expected: Vec<(&str, u64)> = common::scubagear_counts(&export).into_iter().collect();
    // Not in the export: the rules that need them are not evaluated.
    expected.extend([
        ("roleEligibilitySchedules", 0),
        ("authenticationContextClassReferences", 0),
        ("namedLocations", 0),
        ("groups", 0),
        ("userRegistrationDetails", 0),
    ]);
    let objects = &report["inventory"]["objects"];
    for &(kind, n) in &expected {
        assert_eq!(objects[kind].as_u64().unwrap_or(0), n, "{kind}");
    }
    let count = |kind: &str| {
        expected
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    };
    assert!(
        count("conditionalAccessPolicies") > 0 && count("roleManagementPolicies") > 0,
        "the sample has policies and roles"
    );
    let not_evaluated: Vec<&str> = report["notEvaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect();
    // The chain rules that need eligibilities, those that need registration details, and the
    // check of user references against a mere selection of users are not evaluated rather than
    // passed. (No role of the sample requires an authentication context, so the rules about
    // context definitions have nothing to check.)
    for code in ["PIM001", "PIM002", "ROL001", "HYG002"] {
        assert!(not_evaluated.contains(&code), "{code}: {not_evaluated:?}");
    }
    // Every finding about an object is located in the export (tenant-level findings, such as
    // undeclared break-glass accounts, are located on the tenant).
    for f in report["findings"].as_array().unwrap() {
        if f["location"]["pointer"] == "" && f["location"]["file"] == "." {
            continue;
        }
        assert!(
            f["location"]["file"]
                .as_str()
                .unwrap()
                .ends_with("ProviderSettingsExport.json"),
            "{f}"
        );
    }
}

#[test]
#[ignore = "needs ENTRALINT_CORPUS"]
fn scubagear_sample_chains_agree_with_its_rules() {
    let (export, chains) = scubagear_json("chains");
    let roles = export["privileged_roles"].as_array().unwrap();
    let chains = chains["roles"].as_array().unwrap();
    assert_eq!(chains.len(), roles.len(), "one chain per privileged role");
    for role in roles {
        let id = role["RoleTemplateId"].as_str().unwrap();
        let chain = chains
            .iter()
            .find(|c| c["roleId"] == id)
            .unwrap_or_else(|| panic!("no chain for {id}"));
        // The role's own rules: those ScubaGear marks "Directory Role" (not a PIM group's).
        let own: Vec<&serde_json::Value> = role["Rules"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["RuleSourceType"] == "Directory Role")
            .collect();
        let rule = |rid: &str| own.iter().find(|r| r["Id"] == rid).copied();
        let context = rule("AuthenticationContext_EndUser_Assignment")
            .filter(|r| r["IsEnabled"] == true)
            .and_then(|r| r["ClaimValue"].as_str())
            .filter(|c| !c.trim().is_empty());
        let mfa = rule("Enablement_EndUser_Assignment").is_some_and(|r| {
            r["EnabledRules"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e == "MultiFactorAuthentication")
        });
        let requirement = match (context, mfa) {
            (Some(_), _) => "authenticationContext",
            (None, true) => "mfaClaim",
            (None, false) => "none",
        };
        let name = role["DisplayName"].as_str().unwrap();
        assert_eq!(chain["requirement"], requirement, "{name}");
        assert_eq!(chain["context"].as_str(), context, "{name}");
        if context.is_none() {
            assert_eq!(chain["verdict"], "broken", "{name}");
        }
    }
}
