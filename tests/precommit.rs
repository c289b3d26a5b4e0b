//! The hooks in .pre-commit-hooks.yaml, run the way pre-commit runs them (pre-commit itself is not
//! needed): in a temporary git repository holding a committed export, each hook's `entry` with the
//! installed binary, plus the matching committed file names unless `pass_filenames: false`.

mod common;

use common::{copy_dir, root, stderr, stdout};
use std::path::Path;
use std::process::{Command, Output};
use yaml_rust2::{Yaml, YamlLoader};

/// The hooks of .pre-commit-hooks.yaml, as pre-commit reads them: a YAML list of mappings.
fn hooks() -> Vec<Yaml> {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let mut documents = YamlLoader::load_from_str(&text).expect(".pre-commit-hooks.yaml is YAML");
    assert_eq!(documents.len(), 1);
    documents.remove(0).into_vec().expect("a list of hooks")
}

fn hook<'a>(hooks: &'a [Yaml], id: &str) -> &'a Yaml {
    hooks
        .iter()
        .find(|h| h["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no hook {id}"))
}

/// A hook's key that holds a string.
fn text<'a>(hook: &'a Yaml, key: &str) -> &'a str {
    hook[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {hook:?}"))
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git is installed");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    stdout(&o)
}

/// A git repository with `example` committed as `tenant/`.
fn repository(example: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    copy_dir(&root().join("examples").join(example), &d.join("tenant"));
    // A policy-as-code repository keeps its configuration at the root, where `entralint check`
    // run there (the whole-tenant hook) finds it.
    let config = d.join("tenant/entralint.toml");
    if config.exists() {
        std::fs::rename(&config, d.join("entralint.toml")).unwrap();
    }
    commit(d, "export");
    dir
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(
        dir,
        &[
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "commit",
            "-q",
            "-m",
            message,
        ],
    );
}

/// The committed JSON files, which both hooks select (`types: [json]`, or `files:` matching
/// `.json` names).
fn selected(dir: &Path, hook: &Yaml) -> Vec<String> {
    let by_type = hook["types"] == Yaml::Array(vec![Yaml::String("json".to_owned())]);
    let by_pattern = hook["files"]
        .as_str()
        .is_some_and(|f| f.contains(r"\.json"));
    assert!(by_type || by_pattern, "a hook runs on JSON files: {hook:?}");
    git(dir, &["ls-files"])
        .lines()
        .filter(|f| f.ends_with(".json"))
        .map(str::to_owned)
        .collect()
}

/// Runs a hook as pre-commit would: `entry` split on spaces, its first word the installed
/// `entralint`, then the selected file names unless `pass_filenames: false`.
fn run_hook(dir: &Path, hook: &Yaml, files: &[String]) -> Output {
    let entry = text(hook, "entry");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("entralint"), "{entry}");
    let mut command = common::command(dir);
    command.args(words);
    let pass_filenames = hook["pass_filenames"].as_bool() != Some(false);
    if pass_filenames {
        command.args(files);
    }
    command.output().expect("entralint runs")
}

#[test]
fn hooks_are_declared_for_a_rust_install_from_the_root_package() {
    let hooks = hooks();
    assert_eq!(hooks.len(), 2);
    for h in &hooks {
        assert_eq!(text(h, "language"), "rust", "{h:?}");
        for key in ["id", "name", "description", "entry"] {
            text(h, key);
        }
    }
    let file = hook(&hooks, "entralint");
    assert_eq!(text(file, "entry"), "entralint check --select JSON");
    assert_eq!(
        file["types"],
        Yaml::Array(vec![Yaml::String("json".to_owned())])
    );
    assert!(file["pass_filenames"].is_badvalue());
    let tenant = hook(&hooks, "entralint-tenant");
    assert_eq!(text(tenant, "entry"), "entralint check");
    assert_eq!(tenant["pass_filenames"].as_bool(), Some(false));
    assert_eq!(tenant["always_run"].as_bool(), Some(false));
    assert_eq!(text(tenant, "files"), r"\.json$");
    // `language: rust` runs `cargo install --path .` in this repository: the root must be the
    // package that builds the `entralint` binary.
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("[package]\nname = \"entralint\"\n"));
    assert!(manifest.contains("[[bin]]\nname = \"entralint\"\n"));
}

#[test]
fn per_file_hook_runs_the_json_checks_on_the_committed_files() {
    let hooks = hooks();
    let hook = hook(&hooks, "entralint");
    let repo = repository("contoso-risky");
    let d = repo.path();
    let files = selected(d, hook);
    assert_eq!(files.len(), json_files(&d.join("tenant")));

    // The export is valid JSON: the JSON checks pass, and the chain rules do not run.
    let o = run_hook(d, hook, &files);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).starts_with(&format!("no findings in {} files", files.len())),
        "{}",
        stdout(&o)
    );

    // A broken file and a duplicate key are committed: the hook fails on them, and only them.
    std::fs::write(
        d.join("tenant/broken.json"),
        "{\n  \"displayName\": \"half\",\n",
    )
    .unwrap();
    std::fs::write(
        d.join("tenant/duplicate.json"),
        "{\n  \"displayName\": \"CA300\",\n  \"state\": \"enabled\",\n  \"state\": \"disabled\"\n}\n",
    )
    .unwrap();
    commit(d, "hand edits");
    let files = selected(d, hook);
    let o = run_hook(d, hook, &files);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("entralint::JSON001 (high)"), "{out}");
    assert!(out.contains("entralint::JSON002 (medium)"), "{out}");
    assert!(
        !out.contains("entralint::PIM"),
        "per-file hook runs JSON checks only: {out}"
    );

    // pre-commit may split the file names into batches: each batch stands alone.
    let o = run_hook(d, hook, &["tenant/duplicate.json".to_owned()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("JSON002"));
    let o = run_hook(d, hook, &files[..10]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn tenant_hook_lints_the_whole_repository_without_file_names() {
    let hooks = hooks();
    let hook = hook(&hooks, "entralint-tenant");

    let repo = repository("contoso-risky");
    let d = repo.path();
    assert!(!selected(d, hook).is_empty(), "the hook would be triggered");
    let o = run_hook(d, hook, &["ignored.json".to_owned()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    for code in ["PIM001", "PIM004", "PIM006"] {
        assert!(
            out.contains(&format!("entralint::{code} (")),
            "{code}: {out}"
        );
    }
    let n = json_files(&d.join("tenant"));
    assert!(out.contains(&format!("in {n} files")), "{out}");

    let repo = repository("contoso-hardened");
    let o = run_hook(repo.path(), hook, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("no findings in "), "{}", stdout(&o));
}

/// How many `*.json` files lie below `dir`.
fn json_files(dir: &Path) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            n += json_files(&p);
        } else if p.extension().is_some_and(|e| e == "json") {
            n += 1;
        }
    }
    n
}
