//! Regenerate snapshots and docs/rules together: `INSTA_UPDATE=always cargo test --workspace`.
//!
//! One test per rule fixture and per documentation example, each named after its rule, so that
//! `cargo test -p entralint-lint HYG003` runs one rule's cases and every failure is reported:
//!
//! * `HYG003::fail_basic` — `fixtures/<CODE>/<case>` (a JSON file or a folder of export files,
//!   optionally with an `entralint.toml`), found at run time: adding a fixture needs no code.
//!   Only the rule named by the folder runs. `pass_*` cases must produce nothing; `fail_*` cases
//!   must produce findings of that rule only, and their rendering is snapshotted as
//!   `snapshots/<CODE>__<case>.snap`.
//! * `PIM001::doc_example_1` — the ```` ```json fail ````/```` ```json pass ```` blocks of the
//!   rule's doc comment, numbered from 1 in the order they appear.
//! * `PIM001::not_evaluated_without_input_1` — for each input the rule's declaration says it
//!   needs (`needs`, numbered from 1): an export that has everything else but lacks that input
//!   makes the rule "not evaluated", with a reason that names the input, and no finding.
//!
//! This file is its own test harness (`harness = false`, libtest-mimic), so the usual `cargo test`
//! arguments apply: a name filter, `--exact`, `--list`, `--test-threads`.

mod common;

use entralint_lint::settings::{Account, AccountKind};
use entralint_lint::{docs, rules, run_rules, Need, Rule, Runs};
use entralint_parser::{Kind, Tenant};
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};

fn main() {
    let args = Arguments::from_args();
    let mut trials = fixture_trials();
    trials.extend(doc_example_trials());
    trials.extend(not_evaluated_trials());
    libtest_mimic::run(&args, trials).exit();
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// One trial per fixture case, named `CODE::case`.
fn fixture_trials() -> Vec<Trial> {
    let mut trials = Vec::new();
    for code_dir in sorted_entries(&common::fixtures_dir()) {
        let code = file_name(&code_dir);
        let Some(rule) = rules::by_code(&code) else {
            trials.push(Trial::test(format!("{code}::registered"), move || {
                Err(format!("fixture folder {code} names no registered rule").into())
            }));
            continue;
        };
        for case in sorted_entries(&code_dir) {
            let name = case.file_stem().unwrap().to_string_lossy().into_owned();
            let code_dir = code_dir.clone();
            trials.push(Trial::test(format!("{}::{name}", rule.code), move || {
                fixture(rule, &name, &case, &code_dir)
            }));
        }
    }
    // A wrong fixtures path would otherwise pass by running nothing.
    let cases = trials.len();
    trials.push(Trial::test("fixtures::discovered", move || {
        if cases >= 40 {
            Ok(())
        } else {
            Err(format!("expected the fixture set, found {cases} cases").into())
        }
    }));
    trials
}

fn fixture(rule: &'static Rule, name: &str, case: &Path, code_dir: &Path) -> Result<(), Failed> {
    let code = rule.code;
    let (tenant, settings) = common::load_fixture(case, code_dir);
    // Only the fixture's rule runs; a rule that runs after the others' findings (an unused
    // suppression) runs with all of them and keeps its own findings.
    let mut report = if rule.runs == Runs::AfterFindings {
        entralint_lint::run(&tenant, &settings)
    } else {
        run_rules(&tenant, &settings, &[rule])
    };
    report.findings.retain(|f| f.finding.code == code);
    report.not_evaluated.retain(|n| n.code == code);
    let rendered = common::render(&tenant, &report);
    if name.starts_with("pass_") {
        if !(report.findings.is_empty() && report.not_evaluated.is_empty()) {
            return Err(format!("{code}/{name} must produce no finding, got:\n{rendered}").into());
        }
    } else if name.starts_with("fail_") {
        if report.findings.is_empty() {
            return Err(
                format!("{code}/{name} must produce findings of {code}:\n{rendered}").into(),
            );
        }
        common::snapshot(&format!("{code}__{name}"), || {
            insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!(format!("{code}__{name}"), rendered);
            });
        })?;
    } else if name.starts_with("not_evaluated_") {
        // The input leaves the rule unable to judge: no finding, and the reason it gives.
        if !report.findings.is_empty() || report.not_evaluated.is_empty() {
            return Err(format!(
                "{code}/{name} must be not evaluated, with no finding; got:\n{rendered}\n{:?}",
                report.not_evaluated
            )
            .into());
        }
        let reasons: Vec<&str> = report
            .not_evaluated
            .iter()
            .map(|n| n.reason.as_str())
            .collect();
        common::snapshot(&format!("{code}__{name}"), || {
            insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!(format!("{code}__{name}"), reasons.join("\n"));
            });
        })?;
    } else {
        return Err(format!(
            "fixture {code}/{name} must start with pass_, fail_ or not_evaluated_"
        )
        .into());
    }
    Ok(())
}

/// One trial per example in a rule's documentation, named `CODE::doc_example_N` (from 1).
fn doc_example_trials() -> Vec<Trial> {
    let mut trials = Vec::new();
    for &rule in rules::ALL.iter() {
        for (i, example) in docs::examples(rule).into_iter().enumerate() {
            let n = i + 1;
            trials.push(Trial::test(
                format!("{}::doc_example_{n}", rule.code),
                move || doc_example(rule, n, &example),
            ));
        }
    }
    trials
}

fn doc_example(rule: &'static Rule, n: usize, example: &docs::Example) -> Result<(), Failed> {
    let (tenant, settings) = match example.lang {
        "toml" => {
            let mut tenant = common::load_text("example.json", "[]");
            let settings = common::with_settings(&mut tenant, "entralint.toml", &example.text);
            (tenant, settings)
        }
        _ => (
            common::load_text("example.json", &example.text),
            common::no_settings(),
        ),
    };
    let mut report = if rule.runs == Runs::AfterFindings {
        entralint_lint::run(&tenant, &settings)
    } else {
        run_rules(&tenant, &settings, &[rule])
    };
    report.findings.retain(|f| f.finding.code == rule.code);
    report.not_evaluated.retain(|n| n.code == rule.code);
    let rendered = common::render(&tenant, &report);
    let code = rule.code;
    if example.fails {
        if report.findings.is_empty() {
            return Err(format!(
                "{code} example {n} is marked fail but passes:\n{}",
                example.text
            )
            .into());
        }
    } else if !(report.findings.is_empty() && report.not_evaluated.is_empty()) {
        return Err(format!("{code} example {n} is marked pass but reports:\n{rendered}").into());
    }
    Ok(())
}

/// One trial per unconditional input a rule declares it needs.
fn not_evaluated_trials() -> Vec<Trial> {
    let mut trials = Vec::new();
    for &rule in rules::ALL.iter() {
        for (i, need) in rule.needs.iter().enumerate() {
            if !need.is_unconditional() {
                continue;
            }
            trials.push(Trial::test(
                format!("{}::not_evaluated_without_input_{}", rule.code, i + 1),
                move || not_evaluated(rule, need),
            ));
        }
    }
    trials
}

/// An export in which every kind of object was exported (as an empty collection) but those the
/// need names, with a declared break-glass account unless the need is for break-glass accounts.
fn not_evaluated(rule: &'static Rule, need: &Need) -> Result<(), Failed> {
    let code = rule.code;
    let missing = need.kinds();
    let mut tenant = Tenant::default();
    tenant.inventory.present = Kind::ALL
        .into_iter()
        .filter(|k| !missing.contains(k))
        .collect();
    let mut settings = common::no_settings();
    if !missing.is_empty() {
        settings.tenant.break_glass.push(Account {
            kind: AccountKind::ObjectId,
            value: "1a2b3c4d-00b1-4000-8000-0000000000b1".to_owned(),
            note: None,
            span: 0..0,
        });
    }
    let report = run_rules(&tenant, &settings, &[rule]);
    if !report.findings.is_empty() {
        return Err(format!(
            "{code} reported findings without its input: {:?}",
            report.findings
        )
        .into());
    }
    let Some(reason) = report
        .not_evaluated
        .iter()
        .find(|n| n.code == code)
        .map(|n| &n.reason)
    else {
        return Err(format!("{code} is not listed as not evaluated without {missing:?}").into());
    };
    let names_input = match missing.first() {
        Some(kind) => {
            reason.contains(&format!("no {}", kind.noun())) && reason.contains("in input")
        }
        None => reason.contains("break-glass"),
    };
    if !names_input {
        return Err(format!(
            "{code}: the reason `{reason}` does not name the missing input {missing:?}"
        )
        .into());
    }
    Ok(())
}
