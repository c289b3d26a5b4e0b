//! action.yml: the shell steps that run entralint, executed with bash as the runner would (inputs
//! through the environment, `GITHUB_OUTPUT` a file), with the built binary on PATH.

#![cfg(unix)]

mod common;

use common::root;
use std::path::Path;
use std::process::Command;

fn action() -> String {
    std::fs::read_to_string(root().join("action.yml")).unwrap()
}

/// The text of the step named `name`.
fn step<'a>(action: &'a str, name: &str) -> &'a str {
    let start = action
        .find(&format!("    - name: {name}\n"))
        .unwrap_or_else(|| panic!("no step {name}"));
    let rest = &action[start + 6..];
    let end = rest.find("\n    - name: ").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

/// The `run: |` block of a step, unindented.
fn script(step: &str) -> String {
    let (_, block) = step.split_once("run: |\n").expect("a run block");
    block
        .lines()
        .take_while(|l| l.starts_with("        ") || l.is_empty())
        .map(|l| l.get(8..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs a script with bash in the repository root; returns its exit status and GITHUB_OUTPUT.
fn run(script: &str, env: &[(&str, &str)], dir: &Path) -> (Option<i32>, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_entralint")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = dir.join("github_output");
    std::fs::write(&output, "").unwrap();
    let o = Command::new("bash")
        .arg("-e")
        .arg("-c")
        .arg(script)
        .current_dir(root())
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &output)
        .env_remove("GITHUB_STEP_SUMMARY")
        .envs(env.iter().copied())
        .output()
        .expect("bash runs");
    (o.status.code(), std::fs::read_to_string(&output).unwrap())
}

#[test]
fn action_steps_run_entralint_and_report_its_status() {
    let action = action();
    let sarif_step = step(&action, "Run entralint (SARIF)");
    for wiring in [
        "ENTRALINT_PATHS: ${{ inputs.paths }}",
        "ENTRALINT_ARGS: ${{ inputs.args }}",
        "ENTRALINT_SARIF: ${{ inputs.sarif-file }}",
        "ENTRALINT_FAIL_ON: ${{ inputs.fail-on }}",
    ] {
        assert!(sarif_step.contains(wiring), "{wiring}");
    }
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let inputs = |args: &'static str, fail_on: &'static str| {
        vec![
            ("ENTRALINT_PATHS", "examples/contoso-risky"),
            ("ENTRALINT_ARGS", args),
            ("ENTRALINT_SARIF", sarif.to_str().unwrap()),
            ("ENTRALINT_FAIL_ON", fail_on),
        ]
    };

    // Findings: the step succeeds (so the upload runs) and passes the status on.
    let (status, output) = run(&script(sarif_step), &inputs("", "low"), dir.path());
    assert_eq!(status, Some(0));
    assert_eq!(output, "exit-code=1\n");
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");

    // Only low findings selected, failing on critical: clean.
    let (status, output) = run(
        &script(sarif_step),
        &inputs("--select PIM014", "critical"),
        dir.path(),
    );
    assert_eq!(status, Some(0));
    assert_eq!(output, "exit-code=0\n");

    // A usage error fails the step itself.
    let (status, output) = run(
        &script(sarif_step),
        &inputs("--select NOPE", "low"),
        dir.path(),
    );
    assert_eq!(status, Some(2));
    assert_eq!(output, "exit-code=2\n");

    // The annotation step never fails the job by itself.
    let annotate = step(&action, "Annotate the changes");
    let (status, _) = run(&script(annotate), &inputs("", "low"), dir.path());
    assert_eq!(status, Some(0));

    // Upload on results (0 or 1) even when the step before failed; fail on 1 only.
    let upload = step(&action, "Upload SARIF to code scanning");
    assert!(upload.contains("uses: github/codeql-action/upload-sarif@v4"));
    assert!(upload.contains("category: entralint"));
    assert!(upload.contains("if: always() && "));
    let fail = step(&action, "Fail on findings");
    assert!(fail.contains("if: steps.sarif.outputs.exit-code == '1'"));
    let (status, _) = run(&script(fail), &[("ENTRALINT_STATUS", "1")], dir.path());
    assert_eq!(status, Some(1));
}

#[test]
fn action_installs_from_its_own_checkout() {
    let action = action();
    let install = script(step(&action, "Install entralint"));
    assert!(
        install.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""),
        "{install}"
    );
    assert!(
        root().join("Cargo.lock").exists(),
        "--locked needs the lock file"
    );
}
