//! The public corpus of real export files (ENTRALINT_CORPUS, set by CI to ../shared/corpus):
//! every file is loaded, listed as unrecognized, or yields a JSON00x finding; nothing panics; and
//! the number of objects recognised in each file is pinned, so a silent regression in format
//! detection fails here. The corpus is never copied into this repository.
//!
//! These tests are ignored by default, so a run without the corpus says so instead of passing:
//! `ENTRALINT_CORPUS=/path/to/corpus cargo test --workspace --tests -- --ignored`. Run that way
//! without the variable, they fail.

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

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
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
