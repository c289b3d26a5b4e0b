//! One driver for every rule fixture: `fixtures/<CODE>/<case>` (a JSON file or a folder of
//! export files). Only the rule named by the folder runs. `pass_*` cases must produce nothing;
//! `fail_*` cases must produce findings of that rule, and their rendering is snapshotted.

mod common;

use entralint_lint::{rules, run_rules};
use std::path::PathBuf;

fn sorted_entries(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

#[test]
fn fixtures() {
    let root = common::fixtures_dir();
    let mut cases = 0;
    for code_dir in sorted_entries(&root) {
        let code = code_dir.file_name().unwrap().to_string_lossy().into_owned();
        let rule = rules::by_code(&code)
            .unwrap_or_else(|| panic!("fixture folder {code} names no registered rule"));
        for case in sorted_entries(&code_dir) {
            let name = case.file_stem().unwrap().to_string_lossy().into_owned();
            let (tenant, config) = common::load_fixture(&case, &code_dir);
            // Only the fixture's rule runs; a configuration rule needs the others' findings to
            // judge its suppressions, so it runs with all of them and keeps its own findings.
            let mut report = if code.starts_with("CFG") {
                entralint_lint::run(&tenant, &config)
            } else {
                run_rules(&tenant, &config, &[rule])
            };
            report.findings.retain(|f| f.finding.code == rule.code);
            report.not_evaluated.retain(|n| n.code == rule.code);
            let rendered = common::render(&tenant, &report);
            if name.starts_with("pass_") {
                assert!(
                    report.findings.is_empty() && report.not_evaluated.is_empty(),
                    "{code}/{name} must produce no finding, got:\n{rendered}"
                );
            } else if name.starts_with("fail_") {
                assert!(
                    !report.findings.is_empty(),
                    "{code}/{name} must produce findings of {code}:\n{rendered}"
                );
                assert!(
                    report.findings.iter().all(|f| f.finding.code == rule.code),
                    "only {code} runs"
                );
                insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
                    insta::assert_snapshot!(format!("{code}__{name}"), rendered);
                });
            } else {
                panic!("fixture {code}/{name} must start with pass_ or fail_");
            }
            cases += 1;
        }
    }
    assert!(cases >= 40, "expected the fixture set, found {cases} cases");
}
