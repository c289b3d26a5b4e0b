//! The hooks in .pre-commit-hooks.yaml, run the way pre-commit runs them (pre-commit itself is not
//! needed): in a temporary git repository holding a committed export, each hook's `entry` with the
//! installed binary, plus the matching committed file names unless `pass_filenames: false`. One
//! test, ignored by default, runs them through pre-commit itself; .ci/run installs pre-commit and
//! runs it.

mod common;

use common::{copy_dir, header, root, stderr, stdout};
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
        // Fixed dates: the same tree committed twice is the same commit.
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
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

/// The committed JSON files, which both hooks select (`files:` matching `.json` names).
fn selected(dir: &Path, hook: &Yaml) -> Vec<String> {
    let by_pattern = hook["files"]
        .as_str()
        .is_some_and(|f| f.contains(r"\.json"));
    assert!(by_pattern, "a hook runs on JSON files: {hook:?}");
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
    assert_eq!(
        text(file, "entry"),
        "entralint check --select JSON --allow-empty"
    );
    assert_eq!(
        text(file, "files"),
        r"(\.json|\.tf|(^|/)terraform\.tfvars|\.auto\.tfvars|\.ps1|\.psd1)$"
    );
    assert!(file["pass_filenames"].is_badvalue());
    let tenant = hook(&hooks, "entralint-tenant");
    assert_eq!(text(tenant, "entry"), "entralint check");
    assert_eq!(tenant["pass_filenames"].as_bool(), Some(false));
    assert_eq!(tenant["always_run"].as_bool(), Some(false));
    assert_eq!(
        text(tenant, "files"),
        r"(\.json|\.tf|(^|/)terraform\.tfvars|\.auto\.tfvars|\.ps1|\.psd1|(^|/)entralint\.toml)$"
    );
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
    assert!(out.contains(&header("JSON001", "high")), "{out}");
    assert!(out.contains(&header("JSON002", "medium")), "{out}");
    assert!(
        !out.lines().any(|l| common::is_header(l)
            && l.split(' ')
                .nth(1)
                .is_some_and(|code| code.starts_with("PIM"))),
        "per-file hook runs JSON checks only: {out}"
    );

    // pre-commit may split the file names into batches: each batch stands alone.
    let o = run_hook(d, hook, &["tenant/duplicate.json".to_owned()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("JSON002"));
    let o = run_hook(d, hook, &files[..10]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // Files that are no Entra ID configuration pass, and are named; a broken Microsoft365DSC
    // configuration does not.
    std::fs::write(d.join("package.json"), "{\"name\": \"site\"}\n").unwrap();
    std::fs::write(d.join("build.ps1"), "Write-Host 'building'\n").unwrap();
    let o = run_hook(
        d,
        hook,
        &["package.json".to_owned(), "build.ps1".to_owned()],
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).starts_with("no findings"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("unrecognized files (build.ps1")
            || stdout(&o).contains("unrecognized files (package.json"),
        "{}",
        stdout(&o)
    );
    std::fs::write(
        d.join("M365TenantConfig.ps1"),
        "Configuration C\n{\n    Import-DscResource -ModuleName Microsoft365DSC\n    Node localhost\n    {\n        AADConditionalAccessPolicy \"x\"\n        {\n            DisplayName = \"never closed;\n        }\n    }\n}\n",
    )
    .unwrap();
    let o = run_hook(d, hook, &["M365TenantConfig.ps1".to_owned()]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains(&header("JSON001", "high")),
        "{}",
        stdout(&o)
    );
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
            out.lines()
                .any(|l| common::is_header(l) && l.contains(&format!(" {code} ["))),
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

/// Whether the tenant hook's `files` pattern selects a path: the alternatives of
/// `(\.json|\.tf|(^|/)terraform\.tfvars|\.auto\.tfvars|\.ps1|\.psd1|(^|/)entralint\.toml)$`, checked one
/// by one (the pattern itself is compared with this list in
/// `hooks_are_declared_for_a_rust_install_from_the_root_package`).
fn tenant_hook_selects(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.ends_with(".json")
        || path.ends_with(".tf")
        || name == "terraform.tfvars"
        || path.ends_with(".auto.tfvars")
        || path.ends_with(".ps1")
        || path.ends_with(".psd1")
        || name == "entralint.toml"
}

/// A Terraform repository: the tenant hook is triggered by a staged `.tf` file or
/// `terraform.tfvars`, and lints the configuration (the PIM chain read from the Microsoft Graph
/// provider's bodies, on the `.tf` lines).
#[test]
fn tenant_hook_lints_a_terraform_repository() {
    let hooks = hooks();
    let hook = hook(&hooks, "entralint-tenant");
    let repo = repository("contoso-risky-terraform");
    let d = repo.path();
    let staged = git(d, &["ls-files"]);
    for f in [
        "tenant/configuration/pim.tf",
        "tenant/configuration/terraform.tfvars",
        "tenant/configuration/entralint.toml",
        "tenant/plan/tfplan.json",
    ] {
        assert!(staged.lines().any(|l| l == f), "{f}: {staged}");
        assert!(tenant_hook_selects(f), "{f}");
    }
    for f in [
        "tenant/README.md",
        "tenant/secrets.tfvars",
        "tenant/main.tf.orig",
    ] {
        assert!(!tenant_hook_selects(f), "{f}");
    }
    let o = run_hook(d, hook, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    for code in ["PIM004", "PIM005", "PIM006"] {
        assert!(
            out.lines()
                .any(|l| common::is_header(l) && l.contains(&format!(" {code} ["))),
            "{code}: {out}"
        );
    }
    assert!(out.contains("tenant/configuration/pim.tf:"), "{out}");
    assert!(out.contains("tenant/plan/tfplan.json:"), "{out}");
}

/// A Microsoft365DSC repository: the tenant hook is triggered by a staged `.ps1` or `.psd1` and
/// lints the configuration, each finding on its line.
#[test]
fn tenant_hook_lints_a_microsoft365dsc_repository() {
    let hooks = hooks();
    let hook = hook(&hooks, "entralint-tenant");
    let repo = repository("contoso-risky-m365dsc");
    let d = repo.path();
    let staged = git(d, &["ls-files"]);
    for f in [
        "tenant/M365TenantConfig.ps1",
        "tenant/ConfigurationData.psd1",
    ] {
        assert!(staged.lines().any(|l| l == f), "{f}: {staged}");
        assert!(tenant_hook_selects(f), "{f}");
    }
    assert!(!tenant_hook_selects("tenant/M365TenantConfig.ps1.bak"));
    let o = run_hook(d, hook, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    for code in ["PIM001", "PIM002", "PIM004"] {
        assert!(
            out.lines().any(|l| common::is_header(l)
                && l.contains(&format!(" {code} ["))
                && l.contains("tenant/M365TenantConfig.ps1:")),
            "{code}: {out}"
        );
    }
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

/// A git repository holding this repository's working tree (the files git tracks or would track),
/// committed at a fixed date: the same sources give the same commit, and pre-commit, which keeps
/// one environment per repository and revision, builds entralint once per change.
fn hooks_repository(dir: &Path) -> String {
    if dir.exists() {
        std::fs::remove_dir_all(dir).unwrap();
    }
    std::fs::create_dir_all(dir).unwrap();
    let files = git(
        &root(),
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
    );
    for file in files.split('\0').filter(|f| !f.is_empty()) {
        let from = root().join(file);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let to = dir.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
    git(dir, &["init", "-q"]);
    commit(dir, "hooks");
    git(dir, &["rev-parse", "HEAD"]).trim().to_owned()
}

/// `pre-commit run ARGS` in `dir`, its environments in `home`, cargo's build in `target`.
fn pre_commit(dir: &Path, home: &Path, target: &Path, args: &[&str]) -> (Option<i32>, String) {
    let o = Command::new("pre-commit")
        .args(["run", "--color", "never"])
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .env("CARGO_TARGET_DIR", target)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("pre-commit runs");
    (o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
}

/// The tenant hook through pre-commit itself (https://pre-commit.com/#pre-commit-run): pre-commit
/// clones the hooks from a snapshot of this repository, builds entralint with `cargo install`
/// (`language: rust`), picks the files by the hook's `files` and runs it. The repository is laid
/// out as docs/ci.md describes: the export and its entralint.toml in `tenant/`, the hook given no
/// arguments. (`pre-commit try-repo` builds the hook anew on every call.) The first run builds entralint in release mode, which takes minutes; the build and the
/// environment are kept under the target directory's tmp/pre-commit for the next runs.
#[test]
#[ignore = "needs pre-commit; .ci/run installs it and runs this test"]
fn tenant_hook_runs_under_pre_commit_when_entralint_toml_changes() {
    let version = Command::new("pre-commit").arg("--version").output();
    assert!(
        version.is_ok_and(|o| o.status.success()),
        "pre-commit is not installed: install it (`python3 -m pip install pre-commit`) and run \
         this test again"
    );
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit");
    let rev = hooks_repository(&base.join("hooks"));
    // One environment at a time: a new revision starts from an empty home (cargo's build stays,
    // and rebuilds only the entralint crates).
    let home = base.join("home");
    let target = base.join("target");
    let built = base.join("home.rev");
    if std::fs::read_to_string(&built).ok().as_deref() != Some(rev.as_str()) {
        if home.exists() {
            std::fs::remove_dir_all(&home).unwrap();
        }
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(&built, &rev).unwrap();
    }

    let repo = tempfile::tempdir().unwrap();
    let d = repo.path();
    git(d, &["init", "-q"]);
    copy_dir(&root().join("examples/contoso-hardened"), &d.join("tenant"));
    std::fs::write(
        d.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: '{}'\n    rev: {rev}\n    hooks:\n      - id: entralint-tenant\n",
            base.join("hooks").display()
        ),
    )
    .unwrap();
    commit(d, "export");
    let run = |files: &[&str]| {
        let mut args = vec!["entralint-tenant", "--files"];
        args.extend_from_slice(files);
        pre_commit(d, &home, &target, &args)
    };
    let hook = "entralint (whole tenant)";

    // Only entralint.toml staged: the hook runs, and the tenant is clean. It is clean only under
    // its tenant/entralint.toml (its break-glass accounts are declared there): the hook, run from
    // the repository's root with no path, uses it.
    let (status, out) = run(&["tenant/entralint.toml"]);
    assert!(out.contains(hook), "{out}");
    assert!(out.contains("Passed"), "{out}");
    assert_eq!(status, Some(0), "{out}");

    // A broken entralint.toml fails the hook, whichever file of the tenant is staged.
    let config = d.join("tenant/entralint.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[rules]\nfail-on = [\n");
    std::fs::write(&config, text).unwrap();
    commit(d, "break the configuration");
    let policy = first_json(&d.join("tenant/Policies")).expect("a policy file");
    let policy = policy.strip_prefix(d).unwrap().to_str().unwrap().to_owned();
    for staged in ["tenant/entralint.toml", "entralint.toml", policy.as_str()] {
        if !d.join(staged).exists() {
            std::fs::write(d.join(staged), "").unwrap();
        }
        let (status, out) = run(&[staged]);
        assert!(out.contains("Failed"), "{staged}: {out}");
        assert!(out.contains("exit code: 2"), "{staged}: {out}");
        assert!(out.contains("invalid configuration"), "{staged}: {out}");
        assert_eq!(status, Some(1), "{staged}: {out}");
    }

    // Files that are neither JSON nor an entralint.toml do not run it.
    for staged in [
        "tenant/README.md",
        "notentralint.toml",
        "entralint.toml.orig",
    ] {
        if !d.join(staged).exists() {
            std::fs::write(d.join(staged), "").unwrap();
        }
        let (status, out) = run(&[staged]);
        assert!(
            out.contains("(no files to check)Skipped"),
            "{staged}: {out}"
        );
        assert_eq!(status, Some(0), "{staged}: {out}");
    }
}

/// The first `*.json` file below `dir`, in name order.
fn first_json(dir: &Path) -> Option<std::path::PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries.into_iter().find_map(|p| {
        if p.is_dir() {
            first_json(&p)
        } else {
            p.extension().is_some_and(|e| e == "json").then_some(p)
        }
    })
}
