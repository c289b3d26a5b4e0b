//! tests/real/: export files nobody on this project wrote, copied byte for byte from public
//! repositories (see tests/real/SOURCES.md), one folder per source. Each folder is linted as a
//! tenant of its own, and:
//!
//! - the objects the JSON report's inventory counts are checked against a count made here,
//!   independently of entralint's detection: `FILES` says by hand what each file holds, and the
//!   objects are counted with serde_json (the elements of a `value` envelope or a bare array, else
//!   one object), less the objects `FILES` says are not in Graph's shape, each of which must be a
//!   JSON010 finding (a file in another tool's vocabulary, EasyPIM's, says by hand what it
//!   declares);
//! - a file entralint does not read yet (Maester, ScubaGear snippets, ...) must be listed as
//!   unrecognized, and a folder of nothing else must make `check` fail with exit status 2 unless
//!   `--allow-empty`: never a silent pass;
//! - the findings and the reasons rules were not evaluated are snapshotted per folder, in a
//!   compact, sorted rendering (tests/snapshots/real__<folder>.snap).
//!
//! When the parser or a rule changes what a real file yields, review the new snapshots and
//! regenerate them with `INSTA_UPDATE=always cargo test --test real`; when a file becomes
//! recognised, move it to its kind in `FILES`.

mod common;

use common::{command, json_files, root};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What a file holds, decided by hand from its content.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Holds {
    /// Objects of one inventory kind (the key of `inventory.objects`).
    Objects(&'static str),
    /// Objects of one inventory kind, `n` of which are not in Graph's shape: those must each be
    /// a JSON010 finding in the file and are not counted.
    ObjectsAndForeign(&'static str, usize),
    /// JSON that entralint does not read yet: it must be listed as unrecognized.
    Unrecognized,
    /// A file in another tool's vocabulary that entralint translates (EasyPIM): the objects of
    /// each kind it declares, counted by hand.
    Declares(&'static [(&'static str, u64)]),
}

use Holds::{Declares, Objects, ObjectsAndForeign, Unrecognized};

/// Every file under tests/real/ (paths relative to it). A file added there without a line here
/// fails `every_file_is_described`.
const FILES: &[(&str, Holds)] = &[
    (
        "ATVWGS__tenant-management-framework/tests/test-config/conditionalAccessPolicies/policies.json",
        ObjectsAndForeign("conditionalAccessPolicies", 1),
    ),
    (
        "AlexFilipin__ConditionalAccess/PolicyRepository/Admin protection/104 - RING - Admin protection - Privileged systems Require Strong Auth.json",
        Objects("conditionalAccessPolicies"),
    ),
    (
        "AlexFilipin__ConditionalAccess/PolicyRepository/Data protection/501 - RING - Data protection - All apps Short Sign-in frequency When on untrusted device.json",
        Objects("conditionalAccessPolicies"),
    ),
    (
        "Azure-Samples__azure-ad-conditional-access-apis/01-configure/graphapi/json/template-require-mfa-b2b-users.json",
        Objects("conditionalAccessPolicies"),
    ),
    (
        "Cloudshield-io__Conditional-Access-Framework/Config/AuthenticationStrengths/BreakGlass.json",
        Objects("authenticationStrengthPolicies"),
    ),
    (
        "Cloudshield-io__Conditional-Access-Framework/Config/ConditionalAccess/CA101-CSB-L2-Admins-IdentityProtection-AnyApp-AnyPlatform-StrengthPhishingResistantMFA-v1.0.json",
        Objects("conditionalAccessPolicies"),
    ),
    (
        "Clutch2View__nis2-conditional-access-policies/policies/conditional-access/012-require-phishing-resistant-mfa-admins/CA012-require-phishing-resistant-mfa-admins.json",
        Objects("conditionalAccessPolicies"),
    ),
    (
        "Clutch2View__nis2-conditional-access-policies/policies/conditional-access/020-require-compliant-network-gsa/CA020-require-compliant-network-gsa.json",
        Objects("conditionalAccessPolicies"),
    ),
    (
        "Fortigi__ConditionalAccess/Examples/Policy/CA-01- All Apps - All Admins - Require MFA.json",
        Objects("conditionalAccessPolicies"),
    ),
    (
        "Fortigi__ConditionalAccess/Examples/Policy/CA-02- All Apps - All Users - Require MFA or Trusted Device.json",
        Objects("conditionalAccessPolicies"),
    ),
    (
        "cisagov__ScubaGear/PowerShell/ScubaGear/Testing/Unit/PowerShell/Providers/AADProvider/CapSnippets/AccessControls.json",
        Unrecognized,
    ),
    (
        "j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA005-Global-DataProtection-Office365-iOSenAndroid-ClientApps-Unmanaged-AppEnforcedRestrictions.json",
        Objects("conditionalAccessPolicies"),
    ),
    // JSON with comments. `EntraIDRoles`: two eligible for Security Reader; `GroupRoles`: two
    // owners and one member; `GroupRolesActive`: one owner. `EntraIDRolesActive`: one active
    // Guest Inviter; Azure roles are not read.
    (
        "kayasax__EasyPIM/EasyPIM/config/sample-config.json",
        Declares(&[
            ("roleEligibilitySchedules", 2),
            ("roleAssignmentSchedules", 1),
            ("groupEligibilitySchedules", 3),
            ("groupAssignmentSchedules", 1),
        ]),
    ),
    (
        "kayasax__EasyPIM/docs/snippets/orchestrator-role-policy.json",
        Unrecognized,
    ),
    (
        "kayasax__EasyTCM/templates/easytcm-security-critical.json",
        Unrecognized,
    ),
    (
        "maester365__maester/powershell/tests/fixtures/golden/config-layouts/root-custom-tenant/maester-config.json",
        Unrecognized,
    ),
    (
        "maester365__maester/powershell/tests/functions/Zta/fixtures/ZeroTrustAssessmentReport.sample.json",
        Unrecognized,
    ),
    (
        "microsoftgraph__microsoft-graph-docs-contrib/api-reference/v1.0/api/conditionalaccesstemplate-get.md.example1-response.json",
        Unrecognized,
    ),
    (
        "microsoftgraph__microsoft-graph-docs-contrib/api-reference/v1.0/api/policyroot-list-rolemanagementpolicyassignments.md.example1-response.json",
        Objects("roleManagementPolicyAssignments"),
    ),
];

fn real() -> PathBuf {
    root().join("tests/real")
}

/// Every .json file under tests/real/, relative to it, with `/` separators.
fn all_files() -> BTreeSet<String> {
    let mut files = Vec::new();
    json_files(&real(), &mut files);
    files
        .iter()
        .map(|p| {
            p.strip_prefix(real())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// The source folders (`<owner>__<repo>`), sorted.
fn sources() -> Vec<String> {
    let set: BTreeSet<String> = FILES
        .iter()
        .map(|(p, _)| p.split('/').next().unwrap().to_owned())
        .collect();
    set.into_iter().collect()
}

/// The files of one source folder, relative to that folder.
fn files_of(source: &str) -> Vec<(String, Holds)> {
    FILES
        .iter()
        .filter_map(|(p, h)| {
            p.strip_prefix(source)
                .and_then(|rest| rest.strip_prefix('/'))
                .map(|rest| (rest.to_owned(), *h))
        })
        .collect()
}

/// The text of a file as a JSON reader sees it: UTF-8 with or without a BOM, or UTF-16 with one.
fn text(bytes: &[u8]) -> String {
    let utf16 = |be: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if be {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).expect("valid UTF-16")
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).expect("valid UTF-8"),
        [0xFF, 0xFE, ..] => utf16(false),
        [0xFE, 0xFF, ..] => utf16(true),
        _ => String::from_utf8(bytes.to_vec()).expect("valid UTF-8"),
    }
}

/// The number of objects a file holds, counted without entralint: the elements of a `value`
/// envelope or of a bare array, else the one object.
fn count_objects(path: &Path) -> usize {
    let v: Value = serde_json::from_str(&text(&std::fs::read(path).unwrap()))
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    match &v {
        Value::Array(items) => items.len(),
        Value::Object(map) => match map.get("value") {
            Some(Value::Array(items)) => items.len(),
            _ => 1,
        },
        _ => panic!("{} holds neither an object nor an array", path.display()),
    }
}

/// `entralint check .` in `dir`, JSON output, no configuration, a fixed date.
fn check(dir: &Path, allow_empty: bool) -> std::process::Output {
    let mut args = vec![
        "check",
        ".",
        "--format",
        "json",
        "--isolated",
        "--today",
        "2026-01-01",
    ];
    if allow_empty {
        args.push("--allow-empty");
    }
    command(dir).args(&args).output().expect("entralint runs")
}

/// The JSON report of one source folder, read with `--allow-empty` so that a folder of files
/// entralint does not read yet still has a report to compare.
fn report(source: &str) -> (Option<i32>, Value) {
    let o = check(&real().join(source), true);
    let report = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{source}: no JSON report ({e}); exit status {:?}, stderr: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code(), report)
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

#[test]
fn every_file_is_described() {
    let described: BTreeSet<String> = FILES.iter().map(|(p, _)| (*p).to_owned()).collect();
    let present = all_files();
    let undescribed: Vec<_> = present.difference(&described).collect();
    let missing: Vec<_> = described.difference(&present).collect();
    assert!(
        undescribed.is_empty() && missing.is_empty(),
        "tests/real/ and FILES in tests/real.rs disagree; not described: {undescribed:?}; \
         described but absent: {missing:?}"
    );
    for source in sources() {
        assert!(
            real().join(&source).join("LICENSE").is_file()
                || std::fs::read_to_string(real().join("SOURCES.md"))
                    .unwrap()
                    .contains(&source.replacen("__", "/", 1)),
            "{source}: neither a LICENSE copy nor a line in SOURCES.md"
        );
    }
}

#[test]
fn the_inventory_counts_what_the_files_hold() {
    let mut failures = Vec::new();
    for source in sources() {
        let dir = real().join(&source);
        let files = files_of(&source);
        let (_, report) = report(&source);

        let mut expected: BTreeMap<String, u64> = BTreeMap::new();
        let mut unrecognized = BTreeSet::new();
        let mut foreign = BTreeMap::new();
        for (file, holds) in &files {
            match holds {
                Objects(kind) => {
                    *expected.entry((*kind).to_owned()).or_default() +=
                        count_objects(&dir.join(file)) as u64;
                }
                ObjectsAndForeign(kind, n) => {
                    *expected.entry((*kind).to_owned()).or_default() +=
                        (count_objects(&dir.join(file)) - n) as u64;
                    foreign.insert(file.clone(), *n);
                }
                Unrecognized => {
                    unrecognized.insert(file.clone());
                }
                Declares(counts) => {
                    for (kind, n) in *counts {
                        *expected.entry((*kind).to_owned()).or_default() += n;
                    }
                }
            }
        }

        let inventory = &report["inventory"];
        if inventory["files"].as_u64() != Some(files.len() as u64) {
            failures.push(format!(
                "{source}: {} files read, {} in the folder",
                inventory["files"],
                files.len()
            ));
        }
        let objects = inventory["objects"].as_object().expect("inventory.objects");
        for kind in expected.keys() {
            if !objects.contains_key(kind) {
                failures.push(format!("{source}: the inventory has no kind `{kind}`"));
            }
        }
        for (kind, n) in objects {
            let want = expected.get(kind).copied().unwrap_or(0);
            if n.as_u64() != Some(want) {
                failures.push(format!(
                    "{source}: inventory counts {n} {kind}, the files hold {want}"
                ));
            }
        }
        let listed: BTreeSet<String> = inventory["unrecognized"]
            .as_array()
            .expect("inventory.unrecognized")
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        if listed != unrecognized {
            failures.push(format!(
                "{source}: unrecognized {listed:?}, expected {unrecognized:?}"
            ));
        }
        let findings = report["findings"].as_array().expect("findings");
        for (file, n) in &foreign {
            let said = findings
                .iter()
                .filter(|f| {
                    str_at(f, "/code") == "JSON010" && str_at(f, "/location/file") == file.as_str()
                })
                .count();
            if said != *n {
                failures.push(format!(
                    "{source}: {said} JSON010 findings for {file}, which holds {n} objects not in Graph's shape"
                ));
            }
        }
        // A folder of nothing entralint reads fails without --allow-empty, naming the files.
        if expected.is_empty() {
            let o = check(&dir, false);
            let stderr = String::from_utf8_lossy(&o.stderr);
            if o.status.code() != Some(2) || !unrecognized.iter().all(|f| stderr.contains(f)) {
                failures.push(format!(
                    "{source}: holds nothing entralint reads, yet exit status {:?}, stderr: {stderr}",
                    o.status.code()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One folder's report as a few readable lines: the exit statuses, what was read, each finding
/// (code, severity, file:line:col, object, message) and each rule not evaluated, sorted.
fn render(source: &str) -> String {
    let dir = real().join(source);
    let (status, report) = report(source);
    let strict = check(&dir, false);
    let mut out = format!(
        "exit status: {} (without --allow-empty: {})\n",
        status.map_or("none".to_owned(), |c| c.to_string()),
        strict
            .status
            .code()
            .map_or("none".to_owned(), |c| c.to_string())
    );
    if strict.status.code() == Some(2) {
        let stderr = String::from_utf8_lossy(&strict.stderr);
        for line in stderr.lines() {
            out.push_str(&format!("  stderr: {line}\n"));
        }
    }
    let inventory = &report["inventory"];
    out.push_str(&format!("files read: {}\n", inventory["files"]));
    let objects: Vec<String> = inventory["objects"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, n)| n.as_u64() != Some(0))
                .map(|(k, n)| format!("{k}={n}"))
                .collect()
        })
        .unwrap_or_default();
    out.push_str(&format!("objects: {}\n", objects.join(" ")));
    let mut unrecognized: Vec<&str> = inventory["unrecognized"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    unrecognized.sort_unstable();
    for file in unrecognized {
        out.push_str(&format!("unrecognized: {file}\n"));
    }

    let mut findings: Vec<(String, u64, u64, String)> = report["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    let object = match f.get("object") {
                        Some(o) if !o.is_null() => format!(
                            "{} `{}`",
                            str_at(o, "/kind"),
                            o.get("displayName")
                                .and_then(Value::as_str)
                                .unwrap_or_else(|| str_at(o, "/id"))
                        ),
                        _ => "(tenant)".to_owned(),
                    };
                    let line = f.pointer("/location/line").and_then(Value::as_u64);
                    let column = f.pointer("/location/column").and_then(Value::as_u64);
                    let text = format!(
                        "{} {} {}:{}:{} {object}\n    {}\n",
                        str_at(f, "/code"),
                        str_at(f, "/severity"),
                        str_at(f, "/location/file"),
                        line.unwrap_or(0),
                        column.unwrap_or(0),
                        str_at(f, "/message"),
                    );
                    (
                        str_at(f, "/location/file").to_owned(),
                        line.unwrap_or(0),
                        column.unwrap_or(0),
                        text,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    findings.sort();
    out.push_str(&format!("\nfindings ({}):\n", findings.len()));
    for (_, _, _, text) in &findings {
        out.push_str(text);
    }

    out.push('\n');
    out.push_str(&common::not_evaluated_reasons(&report));
    out
}

#[test]
fn findings_on_real_files() {
    // Every folder is compared before failing, so that one run shows every change.
    let mut changed = Vec::new();
    for source in sources() {
        let rendered = render(&source);
        let name = format!("real__{source}");
        let result = std::panic::catch_unwind(|| {
            insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!(name, rendered);
            });
        });
        if result.is_err() {
            changed.push(source);
        }
    }
    assert!(
        changed.is_empty(),
        "what entralint says about these real sources changed (diffs above): {changed:?}; \
         review, then regenerate with `INSTA_UPDATE=always cargo test --test real`"
    );
}
