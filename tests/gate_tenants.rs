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
