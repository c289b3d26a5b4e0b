//! Input that was named is read or refused out loud: standard input (`-`), named FIFOs and
//! devices are read like files; a named folder with nothing to read, or a run in which nothing is
//! recognised, exits 2 with the reason on standard error unless `--allow-empty`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const POLICY: &str = r#"{"id":"3c4d5e6f-0000-4000-8000-000000000001","displayName":"Require MFA","state":"enabledForReportingButNotEnforced","conditions":{"users":{"includeUsers":["All"]},"applications":{"includeApplications":["All"]}},"grantControls":{"operator":"OR","builtInControls":["mfa"]}}"#;

fn entralint(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entralint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("entralint runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn report(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
        panic!(
            "not a JSON report (exit {:?}): {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn files_of_findings(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["file"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_dash_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let o = entralint(
        dir.path(),
        &["check", "-", "--isolated", "--format", "json"],
        Some(POLICY),
    );
    let r = report(&o);
    assert_eq!(r["inventory"]["files"], 1, "{r}");
    assert_eq!(r["inventory"]["objects"]["conditionalAccessPolicies"], 1);
    // Findings about the policy are in <stdin>; those about the tenant as a whole (no legacy
    // authentication block) at the tenant's root, the current directory.
    let files = files_of_findings(&r);
    assert!(files.iter().any(|f| f == "<stdin>"), "{files:?}");
    assert!(
        files.iter().all(|f| f == "<stdin>" || f == "."),
        "{files:?}"
    );
    assert_eq!(o.status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn named_devices_and_fifos_are_read_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let o = entralint(
        dir.path(),
        &["check", "/dev/stdin", "--isolated", "--format", "json"],
        Some(POLICY),
    );
    assert_eq!(
        report(&o)["inventory"]["objects"]["conditionalAccessPolicies"],
        1
    );

    let fifo = dir.path().join("policy.json");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, POLICY).unwrap())
    };
    let o = entralint(
        dir.path(),
        &["check", "policy.json", "--isolated", "--format", "json"],
        None,
    );
    writer.join().unwrap();
    let r = report(&o);
    assert_eq!(
        r["inventory"]["objects"]["conditionalAccessPolicies"], 1,
        "{r}"
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_named_folder_with_nothing_to_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    // Every JSON file of this folder is excluded by its own .gitignore.
    std::fs::create_dir(dir.path().join("ignored")).unwrap();
    std::fs::write(dir.path().join("ignored/.gitignore"), "*.json\n").unwrap();
    std::fs::write(dir.path().join("ignored/policy.json"), POLICY).unwrap();
    for folder in ["empty", "ignored"] {
        let o = entralint(dir.path(), &["check", folder, "--isolated"], None);
        assert_eq!(o.status.code(), Some(2), "{folder}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(folder) && err.contains("no JSON file to read"),
            "{folder}: {err}"
        );
        let o = entralint(
            dir.path(),
            &["check", folder, "--isolated", "--allow-empty"],
            None,
        );
        assert_eq!(o.status.code(), Some(0), "{folder} with --allow-empty");
    }
}

#[test]
fn a_run_that_recognises_nothing_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("package.json"), r#"{"name":"x"}"#).unwrap();
    for command in ["check", "chains"] {
        let o = entralint(dir.path(), &[command, ".", "--isolated"], None);
        assert_eq!(o.status.code(), Some(2), "{command}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("nothing entralint recognises") && err.contains("package.json"),
            "{command}: {err}"
        );
        let o = entralint(
            dir.path(),
            &[command, ".", "--isolated", "--allow-empty"],
            None,
        );
        assert_eq!(o.status.code(), Some(0), "{command} --allow-empty");
    }
}

/// A file holding only a selection of some kind (the PIM rules a Terraform configuration writes)
/// is recognised: the run is not refused as empty.
#[test]
fn a_file_holding_only_a_selection_is_recognised() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pim.tf"),
        r#"resource "msgraph_update_resource" "ga_enablement" {
  url = "policies/roleManagementPolicies/DirectoryRole_t_ga/rules/Enablement_EndUser_Assignment"
  body = {
    "@odata.type" = "microsoft.graph.unifiedRoleManagementPolicyEnablementRule"
    id            = "Enablement_EndUser_Assignment"
    enabledRules  = ["Justification"]
  }
}
"#,
    )
    .unwrap();
    let o = entralint(dir.path(), &["check", "pim.tf", "--isolated"], None);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("nothing entralint recognises"), "{err}");
    assert!(matches!(o.status.code(), Some(0 | 1)), "{err}");
}

/// A Global Administrator policy whose activation asks only for an MFA claim: a broken chain.
const BROKEN_CHAIN: &str = r##"[
  { "id": "DirectoryRole_t_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    "rules": [ { "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule",
                 "id": "Enablement_EndUser_Assignment", "enabledRules": ["MultiFactorAuthentication"] } ] },
  { "policyId": "DirectoryRole_t_ga", "scopeId": "/", "scopeType": "DirectoryRole",
    "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10" }
]"##;

#[test]
fn chains_fails_on_a_broken_chain_unless_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pim.json"), BROKEN_CHAIN).unwrap();
    let o = entralint(dir.path(), &["chains", ".", "--isolated"], None);
    assert!(String::from_utf8_lossy(&o.stdout).contains("BROKEN"));
    assert_eq!(o.status.code(), Some(1), "a broken chain fails the gate");
    let o = entralint(
        dir.path(),
        &["chains", ".", "--isolated", "--exit-zero"],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn chains_says_which_input_it_could_not_read_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pim.json"), BROKEN_CHAIN).unwrap();
    std::fs::write(dir.path().join("roles.json"), "{ \"value\": [ {\"id\": ").unwrap();
    let o = entralint(
        dir.path(),
        &["chains", ".", "--isolated", "--exit-zero"],
        None,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("roles.json:1:") && err.contains("JSON001"),
        "the unreadable input is named: {err}"
    );
    assert_eq!(o.status.code(), Some(0), "--exit-zero");
    // Without the broken chain, the unreadable input alone fails the run.
    std::fs::write(dir.path().join("pim.json"), "[]").unwrap();
    let o = entralint(dir.path(), &["chains", ".", "--isolated"], None);
    assert_eq!(o.status.code(), Some(1), "{err}");
}

#[test]
fn human_output_names_unrecognised_files_and_the_tenant() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("policy.json"), POLICY).unwrap();
    std::fs::write(dir.path().join("package.json"), r#"{"name":"x"}"#).unwrap();
    std::fs::write(dir.path().join("entralint.toml"), "").unwrap();
    let o = entralint(dir.path(), &["check", "."], None);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("· 1 unrecognized file (package.json)"),
        "the file that was not read as an export is named: {out}"
    );
    // The tenant and its configuration are named under --verbose.
    assert!(!out.contains("tenant: "), "{out}");
    let o = entralint(dir.path(), &["check", ".", "--verbose"], None);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.ends_with("tenant: ., with entralint.toml\n"),
        "the tenant and its configuration are named: {out}"
    );
}

#[test]
fn a_folder_of_cipp_templates_is_read_not_refused() {
    // CIPP keeps each template as a table row with the policy as a JSON string
    // (https://github.com/KelvinTegelaar/CIPP-API, Modules/CIPPCore/Public/New-CIPPCATemplate.ps1).
    let dir = tempfile::tempdir().unwrap();
    let row = |guid: &str, policy: &str| {
        serde_json::json!({ "PartitionKey": "CATemplate", "RowKey": guid, "GUID": guid, "JSON": policy })
            .to_string()
    };
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    let path = |name: &str| dir.path().join("templates").join(name);
    std::fs::write(path("mfa.json"), row("r1", POLICY)).unwrap();
    std::fs::write(
        path("broken.json"),
        row("r2", r#"{"displayName":"x","state":"enabled",}"#),
    )
    .unwrap();
    let o = entralint(
        dir.path(),
        &["check", "templates", "--isolated", "--format", "json"],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report = report(&o);
    assert_eq!(
        report["inventory"]["objects"]["conditionalAccessPolicies"],
        1
    );
    let located: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "ADM001" || f["code"] == "JSON001")
        .map(|f| {
            let l = &f["location"];
            (
                f["code"].as_str().unwrap().to_owned(),
                l["pointer"].as_str().unwrap().to_owned(),
                l["column"].as_u64().unwrap(),
            )
        })
        .collect();
    // The report-only policy is located at `state` inside the string; the broken one at its
    // trailing comma's closing brace, inside the string too.
    let mfa = row("r1", POLICY);
    let state = mfa
        .find(r#"\"enabledForReportingButNotEnforced\""#)
        .unwrap() as u64
        + 1;
    let broken = row("r2", r#"{"displayName":"x","state":"enabled",}"#);
    let brace = broken.find(r#"\"enabled\","#).unwrap() as u64 + r#"\"enabled\","#.len() as u64 + 1;
    assert!(
        located.contains(&("ADM001".into(), "/JSON/state".into(), state)),
        "{located:?}"
    );
    assert!(
        located.contains(&("JSON001".into(), "".into(), brace)),
        "{located:?}"
    );
}
