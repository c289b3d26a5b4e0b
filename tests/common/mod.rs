//! Shared by the end-to-end tests: run the binary with a fixed environment, copy an example,
//! snapshot an output.

#![allow(dead_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The one command that regenerates every snapshot and docs/rules/ (then review the diff).
pub const REGENERATE: &str = "INSTA_UPDATE=always cargo test --workspace";

/// Runs an insta assertion (written at the call site, so that the snapshot stays in
/// tests/snapshots/ under the calling file's name) and, when it fails, says how to regenerate.
pub fn snapshot(name: &str, assert: impl FnOnce()) {
    if catch_unwind(AssertUnwindSafe(assert)).is_err() {
        panic!(
            "snapshot {name} is missing or differs (diff above); if the new output is right, \
             run `{REGENERATE}` and review the changes"
        );
    }
}

/// The small invented tenant every output format is snapshotted over (see its entralint.toml).
pub const FIXTURE: &str = "tests/fixtures/formats";

/// Exactly the rules the fixture is about, so that a rule added to the registry changes no
/// output: one that passes (JSON001), two findings (PIM004 with a related location in another
/// file, PIM014), one suppressed finding (PIM013) and one rule not evaluated (ROL001).
pub const FIXTURE_SELECT: &str = "JSON001,PIM004,PIM013,PIM014,ROL001";

/// Runs `entralint check` over the fixture in the repository root with `--format FORMAT`, the
/// fixture's rules and a fixed date (its suppression expires).
pub fn check_fixture(format: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "check",
        FIXTURE,
        "--select",
        FIXTURE_SELECT,
        "--today",
        "2026-11-22",
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    entralint(&args)
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs entralint in `dir` with a fixed environment (no colour, no GitHub step summary).
pub fn entralint_in(dir: &Path, args: &[&str]) -> Output {
    command(dir).args(args).output().expect("entralint runs")
}

/// The binary in `dir` with the fixed environment, ready for more settings.
pub fn command(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_entralint"));
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("GITHUB_STEP_SUMMARY");
    c
}

/// Whether a line of human output is a finding's header line: `✖ PIM001 [critical] message — file:1:2`
/// (`✖` critical, `▲` high, `●` medium, `○` low).
pub fn is_header(line: &str) -> bool {
    ["✖ ", "▲ ", "● ", "○ "].iter().any(|s| line.starts_with(s))
}

/// The header line of a finding of `code` with `severity` begins so.
pub fn header(code: &str, severity: &str) -> String {
    let symbol = match severity {
        "critical" => "✖",
        "high" => "▲",
        "medium" => "●",
        _ => "○",
    };
    format!("{symbol} {code} [{severity}")
}

/// Runs entralint in the repository root.
pub fn entralint(args: &[&str]) -> Output {
    entralint_in(&root(), args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("JSON output ({e}): {}", stderr(o)))
}

pub fn copy_dir(from: &Path, to: &Path) {
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

/// A copy of examples/contoso-risky at `<temp>/tenant`.
pub fn risky_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("examples/contoso-risky"),
        &dir.path().join("tenant"),
    );
    dir
}

/// The `.json` files below `dir`, depth first.
pub fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// The objects of each inventory kind a ScubaGear provider export holds, counted section by
/// section (independently of the loader).
pub fn scubagear_counts(
    export: &serde_json::Value,
) -> std::collections::BTreeMap<&'static str, u64> {
    let len = |v: &serde_json::Value| v.as_array().map_or(0, Vec::len) as u64;
    let roles = export["privileged_roles"].as_array().unwrap();
    // A role gives a PIM policy, and its assignment to the role, when it has `Rules`.
    let with_rules = roles.iter().filter(|r| r["Rules"].is_array()).count() as u64;
    let methods = export["authentication_method"].as_array().unwrap();
    std::collections::BTreeMap::from([
        (
            "conditionalAccessPolicies",
            len(&export["conditional_access_policies"]),
        ),
        ("roleManagementPolicies", with_rules),
        ("roleManagementPolicyAssignments", with_rules),
        (
            "roleAssignmentSchedules",
            roles.iter().map(|r| len(&r["Assignments"])).sum(),
        ),
        (
            "users",
            export["privileged_users"].as_object().unwrap().len() as u64,
        ),
        (
            "authenticationMethodsPolicy",
            methods
                .iter()
                .filter(|m| m["authentication_method_policy"].is_object())
                .count() as u64,
        ),
        (
            "authenticationMethodConfigurations",
            methods
                .iter()
                .map(|m| len(&m["authentication_method_feature_settings"]))
                .sum(),
        ),
    ])
}

/// The non-zero object counts of a JSON report's inventory.
pub fn counts(report: &serde_json::Value) -> std::collections::BTreeMap<String, u64> {
    report["inventory"]["objects"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(k, n)| Some((k.clone(), n.as_u64().filter(|n| *n > 0)?)))
        .collect()
}

/// The reasons rules were not evaluated, each once, sorted: what an input lacks, not which rules
/// lack it (a snapshot of a format's reading does not change when a rule is added; a test that is
/// about a rule asserts that rule with [`not_evaluated`]).
pub fn not_evaluated_reasons(report: &serde_json::Value) -> String {
    let reasons: std::collections::BTreeSet<&str> = report["notEvaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["reason"].as_str().unwrap())
        .collect();
    let mut out = "not evaluated, for these reasons:\n".to_owned();
    for r in reasons {
        out.push_str(&format!("  {r}\n"));
    }
    out
}

/// The reason `code` was not evaluated, if it was not.
pub fn not_evaluated<'r>(report: &'r serde_json::Value, code: &str) -> Option<&'r str> {
    report["notEvaluated"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == code)
        .map(|n| n["reason"].as_str().unwrap())
}

/// A JSON report in short: one line per finding (code, severity, place, pointer, message), then
/// the reasons rules were not evaluated, the inventory and the unrecognised files.
pub fn compact(report: &serde_json::Value) -> String {
    let mut out = compact_findings(report);
    out.push_str("unrecognized:\n");
    for u in report["inventory"]["unrecognized"].as_array().unwrap() {
        out.push_str(&format!("  {}\n", u.as_str().unwrap_or_default()));
    }
    out
}

/// [`compact`] without the unrecognised files.
pub fn compact_findings(report: &serde_json::Value) -> String {
    let mut out = String::new();
    for f in report["findings"].as_array().unwrap() {
        let l = &f["location"];
        out.push_str(&format!(
            "{} {} {}:{}:{} {}\n    {}\n",
            f["code"].as_str().unwrap(),
            f["severity"].as_str().unwrap(),
            l["file"].as_str().unwrap(),
            l["line"],
            l["column"],
            l["pointer"].as_str().unwrap_or(""),
            f["message"].as_str().unwrap(),
        ));
    }
    out.push_str(&not_evaluated_reasons(report));
    out.push_str("inventory:\n");
    for (kind, n) in counts(report) {
        out.push_str(&format!("  {kind} {n}\n"));
    }
    out
}
